/* SPDX-License-Identifier: MIT */
/* hypsim fuzz: generated hypercalls through the guest, checked by oracles. */
#include <getopt.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "fuzz.h"
#include "trace.h"

void cmd_fuzz_help(void)
{
	printf("usage: hypsim fuzz [OPTIONS]\n\n"
	       "Fuzz pKVM's host hypercalls through a guest's real HVCs (docs/fuzzing.md).\n"
	       "After each call the oracles check the result and the touched pages' states\n"
	       "against pKVM's preconditions (mem_protect.c), and the guest loads and stores\n"
	       "two touched pages: each access must fault exactly when the page is not the\n"
	       "host's.  Every N calls the full checkers run (ownership, both hyp pools, the\n"
	       "model's stage-2 walker against Unicorn's MMU on every vCPU).  On the\n"
	       "first violation the calls are minimised and written as a scenario that fails on\n"
	       "the broken model and passes on a correct one; exit status 1.\n\n"
	       "options:\n"
	       "  --seed N          the run's seed (default 1): same seed, same calls\n"
	       "  --iters N         stop after N calls (default 100000 when --time is not given)\n"
	       "  --time SECONDS    stop after this much host time (checked between batches)\n"
	       "  --check-every N   full invariant checks every N calls (default 1000; 0: per epoch)\n"
	       "  --epoch N         calls per fresh machine (default 100000)\n"
	       "  --vcpus N         vCPUs issuing calls, interleaved in short turns (1..4, default 2)\n"
	       "  --repro FILE      where to write the reproducer (default fuzz-repro.scn)\n"
	       "  --guest-dir DIR   where arm64/pkvm-fuzz.elf is (default as for 'run')\n"
	       "  --json            print the summary as one JSON object\n"
	       "  -h, --help        this text\n\n"
	       "exit status: 0 no violation, 1 a violation (reproducer written), 2 bad usage or setup.\n");
}

/* Before hours of fuzzing: could the reproducer be written?  The file is not created. */
static bool repro_writable(const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[1024];
	bool ok;

	if (access(path, F_OK) == 0) {
		ok = access(path, W_OK) == 0;
	} else {
		if (!slash)
			snprintf(dir, sizeof(dir), ".");
		else if (slash == path)
			snprintf(dir, sizeof(dir), "/");
		else
			snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
		ok = access(dir, W_OK) == 0;
	}
	if (!ok)
		fprintf(stderr, "hypsim fuzz: cannot write the reproducer to %s: %s\n", path, strerror(errno));
	return ok;
}

static int num(const char *opt, const char *s, uint64_t *v)
{
	int r = parse_u64_arg(s, v);

	if (r < 0) {
		fprintf(stderr, "hypsim fuzz: %s needs a number, not '%s'%s\n", opt, s, r == -2 ? " (larger than 2^64 - 1)" : "");
		return -1;
	}
	return 0;
}

/* The option's value (optarg) in [@min, @max]; @need words the range. Return: 0, or -1 (reported). */
static int num_in(const char *opt, uint64_t min, uint64_t max, const char *need, uint64_t *v)
{
	if (num(opt, optarg, v) < 0)
		return -1;
	if (*v < min || *v > max) {
		fprintf(stderr, "hypsim fuzz: %s needs %s\n", opt, need);
		return -1;
	}
	return 0;
}

/* --time SECONDS (optarg): a positive number. Return: 0, or -1 (reported). */
static int seconds_opt(double *limit)
{
	char *end;

	errno = 0;
	*limit = strtod(optarg, &end);
	if (!*optarg || *end || errno == ERANGE || !(*limit > 0) || !(*limit <= 1e9)) {
		fprintf(stderr, "hypsim fuzz: --time needs a number of seconds above 0 and at most 1e9, not '%s'\n",
			optarg);
		return -1;
	}
	return 0;
}

struct clockctx {
	double t0, limit, last;
	bool tty;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool out_of_time(void *ctx)
{
	const struct clockctx *c = ctx;

	return c->limit > 0 && now_s() - c->t0 >= c->limit;
}

static void progress(void *ctx, const struct fuzz_stats *st)
{
	struct clockctx *c = ctx;
	double now = now_s();

	if (!c->tty || now - c->last < 1.0)
		return;
	c->last = now;
	fprintf(stderr, "\r  fuzz: %" PRIu64 " calls, %" PRIu64 " epochs, %.0f calls/s   ", st->calls, st->epochs,
		(double)st->calls / (now - c->t0));
}

/* Options into @o, @clk's time limit and @json. Return: 0, 1 after --help, or -1 (a usage error, reported). */
static int fuzz_opts(int argc, char **argv, struct fuzz_opts *o, struct clockctx *clk, bool *json)
{
	static const struct option longopts[] = {
		{ "seed", required_argument, NULL, 's' },	 { "iters", required_argument, NULL, 'i' },
		{ "time", required_argument, NULL, 't' },	 { "check-every", required_argument, NULL, 'c' },
		{ "epoch", required_argument, NULL, 'e' },	 { "repro", required_argument, NULL, 'r' },
		{ "guest-dir", required_argument, NULL, 'g' }, { "json", no_argument, NULL, 'j' },
		{ "vcpus", required_argument, NULL, 'v' },	 { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool have_iters = false;
	uint64_t vcpus;
	char need[32];
	int ch;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (ch) {
		case 's': if (num("--seed", optarg, &o->seed) < 0) return -1; break;
		case 'i':
			if (num_in("--iters", 1, UINT64_MAX, "a positive number", &o->iters) < 0)
				return -1;
			have_iters = true;
			break;
		case 't': if (seconds_opt(&clk->limit) < 0) return -1; break;
		case 'c': if (num("--check-every", optarg, &o->check_every) < 0) return -1; break;
		case 'e': if (num_in("--epoch", 1, UINT64_MAX, "a positive number", &o->epoch) < 0) return -1; break;
		case 'v':
			snprintf(need, sizeof(need), "a number 1..%d", FUZZ_MAX_VCPUS);
			if (num_in("--vcpus", 1, FUZZ_MAX_VCPUS, need, &vcpus) < 0)
				return -1;
			o->vcpus = (unsigned)vcpus;
			break;
		case 'r': o->repro = optarg; break;
		case 'g': o->guest_dir = optarg; break;
		case 'j': *json = true; break;
		case 'h': cmd_fuzz_help(); return 1;
		case ':':
			fprintf(stderr, "hypsim fuzz: %s needs an argument\n", argv[optind - 1]);
			return -1;
		default:
			fprintf(stderr, "hypsim fuzz: unknown option '%s' (try 'hypsim fuzz --help')\n", argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "hypsim fuzz: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	if (!have_iters && !(clk->limit > 0)) /* neither: a default length */
		o->iters = 100000;
	if (!o->guest_dir)
		o->guest_dir = default_guest_dir();
	return 0;
}

static void print_json(const struct fuzz_opts *o, const struct fuzz_stats *st, double seconds)
{
	printf("{\"seed\":%" PRIu64 ",\"vcpus\":%u,\"calls\":%" PRIu64 ",\"epochs\":%" PRIu64 ",\"full_checks\":%" PRIu64
	       ",\"results\":{\"ok\":%" PRIu64 ",\"eperm\":%" PRIu64 ",\"einval\":%" PRIu64 ",\"ebusy\":%" PRIu64
	       ",\"not_supported\":%" PRIu64 ",\"other\":%" PRIu64 "},\"seconds\":%.3f,\"violation\":%s",
	       o->seed, o->vcpus, st->calls, st->epochs, st->full_checks, st->by_result[0], st->by_result[1],
	       st->by_result[2], st->by_result[3], st->by_result[4], st->by_result[5], seconds,
	       st->violation ? "true" : "false");
	printf(",\"per_vcpu\":[");
	for (unsigned v = 0; v < o->vcpus; v++)
		printf("%s%" PRIu64, v ? "," : "", st->by_vcpu[v]);
	printf("],\"switches\":%" PRIu64, st->switches);
	printf(",\"touches\":{\"allowed\":%" PRIu64 ",\"refused\":%" PRIu64 ",\"not_judged\":%" PRIu64 "}",
	       st->touches[0], st->touches[1], st->touches[2]);
	if (st->violation) {
		printf(",\"what\":");
		json_write_string(stdout, st->what, strlen(st->what));
		printf(",\"repro\":");
		if (st->repro_written)
			json_write_string(stdout, o->repro, strlen(o->repro));
		else
			printf("null");
		printf(",\"repro_calls\":%" PRIu64 ",\"minimiser_runs\":%" PRIu64, st->repro_calls, st->min_runs);
	}
	printf("}\n");
}

static void print_text(const struct fuzz_opts *o, const struct fuzz_stats *st, double seconds)
{
	printf("fuzz: seed %" PRIu64 ", %u vCPU%s: %" PRIu64 " calls in %" PRIu64 " epochs, %" PRIu64
	       " full checks, %.2f s (%.0f calls/s)\n", o->seed, o->vcpus, o->vcpus > 1 ? "s" : "", st->calls,
	       st->epochs, st->full_checks, seconds, seconds > 0 ? (double)st->calls / seconds : 0.0);
	printf("      results: %" PRIu64 " ok, %" PRIu64 " -EPERM, %" PRIu64 " -EINVAL, %" PRIu64 " -EBUSY, %" PRIu64
	       " not supported, %" PRIu64 " other\n", st->by_result[0], st->by_result[1], st->by_result[2],
	       st->by_result[3], st->by_result[4], st->by_result[5]);
	printf("      guest touches after the calls: %" PRIu64 " allowed, %" PRIu64 " refused as the states say, %" PRIu64
	       " not judged (another vCPU changed states in between)\n", st->touches[0], st->touches[1], st->touches[2]);
	if (o->vcpus > 1) {
		printf("      per vCPU:");
		for (unsigned v = 0; v < o->vcpus; v++)
			printf(" %" PRIu64, st->by_vcpu[v]);
		printf(" calls; %" PRIu64 " switches between vCPUs\n", st->switches);
	}
	if (st->violation && st->repro_written)
		printf("VIOLATION after %" PRIu64 " calls of its epoch: %s\n  reproducer (%" PRIu64
		       " calls, %" PRIu64 " minimiser runs): %s\n  check: hypsim run %s\n", st->at_call, st->what,
		       st->repro_calls, st->min_runs, o->repro, o->repro);
	else if (st->violation)
		printf("VIOLATION after %" PRIu64 " calls of its epoch: %s\n  no reproducer written: the calls did not "
		       "break the oracle again on a fresh machine (%" PRIu64 " minimiser runs); rerun with --seed %" PRIu64
		       " to see it\n", st->at_call, st->what, st->min_runs, o->seed);
	else
		printf("no violation\n");
}

int cmd_fuzz(int argc, char **argv)
{
	struct clockctx clk = { 0 };
	struct fuzz_opts o = { .seed = 1, .check_every = 1000, .epoch = 100000, .repro = "fuzz-repro.scn", .vcpus = 2 };
	struct fuzz_stats st;
	bool json = false;
	double seconds;
	int r = fuzz_opts(argc, argv, &o, &clk, &json);

	if (r)
		return r > 0 ? EXIT_PASS : EXIT_USAGE;
	if (!repro_writable(o.repro))
		return EXIT_USAGE;
	clk.tty = isatty(STDERR_FILENO) && !json;
	clk.t0 = clk.last = now_s();
	o.out_of_time = out_of_time;
	o.progress = progress;
	o.time_ctx = &clk;
	r = fuzz_run(&o, &st);
	seconds = now_s() - clk.t0;
	if (clk.tty)
		fprintf(stderr, "\r\033[K");
	if (r == 2) {
		fprintf(stderr, "hypsim fuzz: %s\n", st.error);
		return EXIT_USAGE;
	}
	if (json)
		print_json(&o, &st, seconds);
	else
		print_text(&o, &st, seconds);
	return st.violation ? EXIT_FAILED : EXIT_PASS;
}
