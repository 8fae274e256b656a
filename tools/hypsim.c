/* SPDX-License-Identifier: MIT */
/* hypsim: command dispatch. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"

#ifndef HYPSIM_VERSION
#define HYPSIM_VERSION "unknown"
#endif

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	void (*help)(void);
	const char *summary;
};

static const struct command commands[] = {
	{ "run", cmd_run, cmd_run_help, "run scenario files and check their expectations" },
	{ "replay", cmd_replay, cmd_replay_help, "re-run a recording and report the first divergence" },
	{ "fuzz", cmd_fuzz, cmd_fuzz_help, "fuzz pKVM's hypercalls through the guest, with oracles" },
	{ "bench", cmd_bench, cmd_bench_help, "measure speed against bare Unicorn and QEMU" },
};

int parse_u64_arg(const char *s, uint64_t *v)
{
	char *end;

	if (*s < '0' || *s > '9') /* no sign, no blanks: strtoull() would take them */
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 0);
	if (errno == ERANGE)
		return -2; /* more than 2^64 - 1: never saturated silently */
	return *end ? -1 : 0;
}

/*
 * The guest images next to this binary, never a path baked in at build time:
 * BIN/../guest in a build tree (build/tools/hypsim), BIN/../share/hypsim/guest
 * once installed (PREFIX/bin/hypsim).
 */
static const char *guest_dir_near_binary(void)
{
	static char dir[4096];
	static const char *const rel[] = { "../guest", "../share/hypsim/guest" };
	char exe[4000], *slash;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	size_t i;

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	if (!(slash = strrchr(exe, '/')))
		return NULL;
	*slash = '\0';
	for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		snprintf(dir, sizeof(dir), "%s/%s", exe, rel[i]);
		if (access(dir, R_OK | X_OK) == 0)
			return dir;
	}
	return NULL;
}

const char *default_guest_dir(void)
{
	const char *env = getenv("HYPSIM_GUEST_DIR"), *near;

	if (env && *env)
		return env;
	near = guest_dir_near_binary();
	return near ? near : "guest";
}

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: hypsim COMMAND [OPTIONS] [ARGS]\n\n"
		   "A deterministic simulator for memory-protection and timer semantics:\n"
		   "arm64 and riscv64 guests on Unicorn, one virtual clock, scripted scenarios.\n\n"
		   "commands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n  hypsim COMMAND --help   options of one command\n"
		   "  hypsim --version        print the version\n\n"
		   "exit status: 0 success, 1 an expectation failed, 2 bad input or usage.\n");
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return EXIT_PASS;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("hypsim %s\n", HYPSIM_VERSION);
		return EXIT_PASS;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "hypsim: unknown command '%s' (try 'hypsim --help')\n", argv[1]);
	return EXIT_USAGE;
}
