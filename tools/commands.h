/* SPDX-License-Identifier: MIT */
#ifndef HYPSIM_COMMANDS_H
#define HYPSIM_COMMANDS_H

#include <stdint.h>

/* Exit statuses of every command. */
#define EXIT_PASS 0
#define EXIT_FAILED 1 /* an expectation failed */
#define EXIT_USAGE 2  /* bad input or usage */

int cmd_run(int argc, char **argv);
void cmd_run_help(void);
int cmd_bench(int argc, char **argv);
void cmd_bench_help(void);
int cmd_replay(int argc, char **argv);
int cmd_fuzz(int argc, char **argv);
void cmd_fuzz_help(void);
void cmd_replay_help(void);

/**
 * parse_u64_arg() - a whole non-negative number (decimal, 0x hex, 0 octal).
 * Return: 0, -1 (not a number), or -2 (larger than 2^64 - 1).
 */
int parse_u64_arg(const char *s, uint64_t *v);

/* The guest directory: --guest-dir, else $HYPSIM_GUEST_DIR, else the build's. */
const char *default_guest_dir(void);

#endif
