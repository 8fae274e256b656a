/* SPDX-License-Identifier: MIT */
/* hypsim replay: re-run a recording and report the first divergence. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "record.h"

void cmd_replay_help(void)
{
	printf("usage: hypsim replay [OPTIONS] FILE.rec\n"
	       "       hypsim replay --model [OPTIONS] FILE.rec|LOG.jsonl\n\n"
	       "Re-run a recording made by 'hypsim run --record' on a fresh machine and compare\n"
	       "every event, input, result and state digest with the recorded ones.  The first\n"
	       "difference stops the run and is reported: recording line, virtual time, vCPU, PC,\n"
	       "expected and actual line, the fields that differ (for a digest: which register,\n"
	       "which memory page, which model) and the last matching lines.\n\n"
	       "With --model, no guest code runs: the hypercalls and host stage-2 faults of a\n"
	       "recording, or of a hand-written hcall log (docs/recording.md), drive the pKVM\n"
	       "model directly, and each result, each hyp panic, injected abort, unmodelled call\n"
	       "or ownership violation, and a recording's pKVM digests are compared with the log.\n\n"
	       "options:\n"
	       "  --model           model-only replay (pKVM), as above\n"

	       "  --guest-dir DIR   look for the recorded guest images under DIR only (default:\n"
	       "                    the recorded guest directory, relative to the recording,\n"
	       "                    else $HYPSIM_GUEST_DIR, else %s);\n"
	       "                    images are found by name and checked by digest\n"
	       "  --context N       matching lines to show before a divergence (default 3, max 16)\n"
	       "  --json            print one JSON object instead of text\n"
	       "  --trace FILE      also write the replayed run's trace (as 'hypsim run --trace')\n"
	       "  -h, --help        this text\n\n"
	       "exit status: 0 identical, 1 diverged, 2 malformed or incompatible recording\n"
	       "(format version, missing image, image digest mismatch, an edited header or\n"
	       "truncation marker, not a regular file) or bad usage.\n",
	       default_guest_dir());
}

int cmd_replay(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "guest-dir", required_argument, NULL, 'g' }, { "model", no_argument, NULL, 'm' },
		{ "context", required_argument, NULL, 'c' }, { "json", no_argument, NULL, 'j' },
		{ "trace", required_argument, NULL, 't' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct replay_opts o = { .context = -1, .default_guest_dir = default_guest_dir() };
	const char *trace_path = NULL;
	bool model = false;
	char *end;
	int ch, st;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'g': o.guest_dir = optarg; break;
		case 'j': o.json = true; break;
		case 'm': model = true; break;
		case 't': trace_path = optarg; break;
		case 'c':
			o.context = (int)strtol(optarg, &end, 10);
			if (!*optarg || *end || o.context < 0 || o.context > 16) {
				fprintf(stderr, "hypsim replay: --context needs a number 0..16, not '%s'\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h': cmd_replay_help(); return EXIT_PASS;
		case ':':
			fprintf(stderr, "hypsim replay: %s needs an argument\n", argv[optind - 1]);
			return EXIT_USAGE;
		default:
			fprintf(stderr, "hypsim replay: unknown option '%s' (try 'hypsim replay --help')\n",
				argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "hypsim replay: give exactly one recording (try 'hypsim replay --help')\n");
		return EXIT_USAGE;
	}
	if (model)
		return (int)replay_model_file(argv[optind], &o, stdout);
	if (trace_path && !(o.trace = fopen(trace_path, "w"))) {
		fprintf(stderr, "hypsim replay: cannot write trace file '%s'\n", trace_path);
		return EXIT_USAGE;
	}
	st = (int)replay_file(argv[optind], &o, stdout, NULL);
	if (o.trace && fclose(o.trace) != 0) {
		fprintf(stderr, "hypsim replay: writing the trace '%s' failed\n", trace_path);
		return EXIT_USAGE;
	}
	return st;
}
