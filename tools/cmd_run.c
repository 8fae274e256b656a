/* SPDX-License-Identifier: MIT */
/* hypsim run: execute scenarios, print a summary (text or JSON). */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "commands.h"
#include "gdbstub.h"
#include "record.h"
#include "vcd.h"
#include "scenario.h"

struct run_opts {
	const char *trace_path, *record_path;
	uint64_t digest_every, record_limit;
	bool disasm, json, console, quiet;
	uint64_t max_insns, trace_limit;
	const char *guest_dir;
	enum cpu_clock clock;
	const char *gdb;        /* --gdb PORT or unix:PATH */
	const char *vcd;        /* --vcd FILE */
	bool progress;          /* --progress: the progress line even when stderr is not a terminal */
	uint64_t trace_kinds;   /* --trace-kinds: bit per kind kept, 0: all */
};

void cmd_run_help(void)
{
	printf("usage: hypsim run [OPTIONS] FILE.scn...\n\n"
	       "Run each scenario on a fresh machine and check its expectations.\n"
	       "FILE '-' is standard input (<stdin> in messages); --trace - writes the trace\n"
	       "to standard output, and the summary then goes to standard error.\n"
	       "One line per scenario; failures name file:line:column.\n\n"
	       "options:\n"
	       "  --trace FILE      write every event as JSON Lines to FILE (all scenarios, in order)\n"
	       "  --trace-kinds K,K only these event kinds in the trace (docs/trace-format.md)\n"
	       "  --trace-limit N   stop tracing a scenario after N bytes (default %llu MiB)\n"
	       "  --record FILE     write a recording of the (one) scenario for 'hypsim replay':\n"
	       "                    every event, input and result, and state digests\n"
	       "  --digest-every N  a state digest every N cycles (default %llu; 0: only at the end)\n"
	       "  --record-limit N  stop recording after N bytes (default %llu MiB)\n"
	       "  --disasm          add the instruction at each event's PC to the trace\n"
	       "  --json            print a machine-readable summary instead of text\n"
	       "  --max-insns N     stop each vCPU after N instructions (default: the scenario's\n"
	       "                    max-insns, else %llu); reaching it is an insn-limit event\n"
	       "  --guest-dir DIR   where 'load' finds guest images after the scenario's folder\n"
	       "                    (default: $HYPSIM_GUEST_DIR, else %s)\n"
	       "  --console         copy guest console output to standard output as it appears\n"
	       "  --clock MODE      'block' (default): count time per translated block;\n"
	       "                    'insn': per instruction, slower, the reference for tests.\n"
	       "                    Both give identical traces.\n"
	       "  --vcd FILE        write the run's waveforms (vCPU state, interrupt inputs,\n"
	       "                    timer lines and comparators, call strobes) as a Value\n"
	       "                    Change Dump for GTKWave. One scenario; implies --clock insn\n"
	       "                    (docs/vcd.md)\n"
	       "  --gdb PORT        wait for GDB (gdb-multiarch: target remote :PORT) before the\n"
	       "                    first instruction; 'unix:PATH' for a socket, 0 for a free port.\n"
	       "                    One scenario; implies --clock insn (docs/gdb.md)\n"
	       "  --progress        show the progress line even when stderr is not a terminal\n"
	       "  -q, --quiet       print only failures and the closing count\n"
	       "  -h, --help        this text\n\n"
	       "exit status: 0 all passed, 1 an expectation failed, 2 bad input or usage.\n",
	       MACHINE_DEFAULT_TRACE_LIMIT >> 20, REC_DEFAULT_EVERY, REC_DEFAULT_LIMIT >> 20, SCN_DEFAULT_MAX_INSNS,
	       default_guest_dir());
}

/* A number option's value (optarg) into @v; 0 only when @zero_ok. Return: 0, or -1 (reported). */
static int u64_opt(const char *opt, const char *need, bool zero_ok, uint64_t *v)
{
	int r = parse_u64_arg(optarg, v);

	if (r < 0 || (!zero_ok && *v == 0)) {
		fprintf(stderr, "hypsim run: %s needs %s, not '%s'%s\n", opt, need, optarg,
			r == -2 ? " (larger than 2^64 - 1)" : "");
		return -1;
	}
	return 0;
}

static int check_opts(struct run_opts *o, int argc, char **argv);

/* --trace-kinds K,K,...: event kind names. Return: 0, or -1 (reported). */
static int parse_kinds(const char *list, uint64_t *mask)
{
	char buf[512], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", list);
	*mask = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int k = ev_kind_lookup(tok);

		if (k < 0) {
			fprintf(stderr, "hypsim run: --trace-kinds: unknown event kind '%s' (docs/trace-format.md)\n", tok);
			return -1;
		}
		*mask |= 1ull << k;
	}
	if (!*mask) {
		fprintf(stderr, "hypsim run: --trace-kinds needs at least one event kind\n");
		return -1;
	}
	return 0;
}

static int parse_opts(int argc, char **argv, struct run_opts *o)
{
	static const struct option longopts[] = {
		{ "trace", required_argument, NULL, 't' }, { "disasm", no_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },        { "max-insns", required_argument, NULL, 'm' },
		{ "guest-dir", required_argument, NULL, 'g' }, { "console", no_argument, NULL, 'c' },
		{ "quiet", no_argument, NULL, 'q' },       { "help", no_argument, NULL, 'h' },
		{ "clock", required_argument, NULL, 'k' },
		{ "trace-limit", required_argument, NULL, 'L' },
		{ "record", required_argument, NULL, 'r' },
		{ "digest-every", required_argument, NULL, 'D' },
		{ "record-limit", required_argument, NULL, 'R' },
		{ "gdb", required_argument, NULL, 'G' },
		{ "vcd", required_argument, NULL, 'V' },
		{ "progress", no_argument, NULL, 'P' },
		{ "trace-kinds", required_argument, NULL, 'T' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":qh", longopts, NULL)) != -1) {
		switch (ch) {
		case 't': o->trace_path = optarg; break;
		case 'd': o->disasm = true; break;
		case 'j': o->json = true; break;
		case 'c': o->console = true; break;
		case 'q': o->quiet = true; break;
		case 'g': o->guest_dir = optarg; break;
		case 'm': if (u64_opt("--max-insns", "a positive number", false, &o->max_insns) < 0) return -1; break;
		case 'L': if (u64_opt("--trace-limit", "a positive number", false, &o->trace_limit) < 0) return -1; break;
		case 'r': o->record_path = optarg; break;
		case 'D': if (u64_opt("--digest-every", "a number of cycles", true, &o->digest_every) < 0) return -1; break;
		case 'R': if (u64_opt("--record-limit", "a number 1..2^46", false, &o->record_limit) < 0) return -1; break;
		case 'k':
			if (strcmp(optarg, "block") != 0 && strcmp(optarg, "insn") != 0) {
				fprintf(stderr, "hypsim run: --clock is 'block' or 'insn', not '%s'\n", optarg);
				return -1;
			}
			o->clock = strcmp(optarg, "insn") == 0 ? CPU_CLOCK_INSN : CPU_CLOCK_BLOCK;
			break;
		case 'G': o->gdb = optarg; break;
		case 'V': o->vcd = optarg; break;
		case 'P': o->progress = true; break;
		case 'T':
			if (parse_kinds(optarg, &o->trace_kinds) < 0)
				return -1;
			break;
		case 'h': cmd_run_help(); return 1;
		case ':':
			fprintf(stderr, "hypsim run: %s needs an argument\n", argv[optind - 1]);
			return -1;
		default:
			fprintf(stderr, "hypsim run: unknown option '%s' (try 'hypsim run --help')\n", argv[optind - 1]);
			return -1;
		}
	}
	return check_opts(o, argc, argv);
}

/* What the options require of each other and of the file list. Return: 0 or -1 (reported). */
static int check_opts(struct run_opts *o, int argc, char **argv)
{
	if (optind >= argc) {
		fprintf(stderr, "hypsim run: no scenario files given (try 'hypsim run --help')\n");
		return -1;
	}
	if (o->record_path && argc - optind != 1) {
		fprintf(stderr, "hypsim run: --record takes exactly one scenario file\n");
		return -1;
	}
	if (o->record_path && strcmp(argv[optind], "-") == 0) {
		fprintf(stderr, "hypsim run: --record needs a scenario file a replay can read again, not standard input\n");
		return -1;
	}
	if (o->record_limit > REC_MAX_LIMIT) {
		fprintf(stderr, "hypsim run: --record-limit needs a number 1..2^46, not %" PRIu64 "\n", o->record_limit);
		return -1;
	}
	if (o->record_path && (o->max_insns > INT64_MAX || o->digest_every > INT64_MAX)) {
		fprintf(stderr, "hypsim run: --record keeps --max-insns and --digest-every below 2^63 (a recording's "
				"header holds them as JSON integers)\n");
		return -1;
	}
	if ((o->gdb || o->vcd) && argc - optind != 1) {
		fprintf(stderr, "hypsim run: --%s takes exactly one scenario file\n", o->gdb ? "gdb" : "vcd");
		return -1;
	}
	if (o->gdb || o->vcd)
		o->clock = CPU_CLOCK_INSN; /* breakpoints and interrupt enables are checked per instruction */
	return 0;
}

static void progress(void *ctx, const struct machine *m)
{
	fprintf(stderr, "\r  %s: %" PRIu64 " M cycles, %.3f ms virtual   ", (const char *)ctx,
		m->now / 1000000, (double)vclock_ns(&m->clk, m->now) / 1e6);
}

static const char *status_word(enum scn_status s)
{
	return s == SCN_PASS ? "PASS" : s == SCN_FAIL ? "FAIL" : "ERROR";
}

static void print_text(const char *file, const struct scn_result *r, bool quiet)
{
	int i;

	if (quiet && r->status == SCN_PASS)
		return;
	printf("%-5s %s", status_word(r->status), file);
	if (r->status != SCN_ERROR) {
		printf("  (");
		if (r->exited)
			printf("exit %" PRId64 ", ", r->exit_code);
		if (r->ns == UINT64_MAX) /* past 2^64 ns: the cycles say it */
			printf("%" PRIu64 " insns, %" PRIu64 " cycles: over 584 years virtual)", r->retired, r->cycles);
		else
			printf("%" PRIu64 " insns, %" PRIu64 " ns virtual)", r->retired, r->ns);
	}
	printf("\n");
	if (r->status == SCN_ERROR)
		printf("      %s\n", r->error);
	for (i = 0; i < r->nfails; i++) {
		if (r->fails[i].line)
			printf("      %s:%d:%d: %s\n", file, r->fails[i].line, r->fails[i].col, r->fails[i].msg);
		else
			printf("      %s: %s\n", file, r->fails[i].msg);
	}
}

static void print_json(FILE *f, const char *file, const struct scn_result *r, bool first, const char *report)
{
	int i, k;

	fprintf(f, "%s\n    {\"file\":", first ? "" : ",");
	json_write_string(f, file, strlen(file));
	fprintf(f, ",\"status\":\"%s\"", r->status == SCN_PASS ? "pass" : r->status == SCN_FAIL ? "fail" : "error");
	if (r->status == SCN_ERROR) {
		fprintf(f, ",\"error\":");
		json_write_string(f, r->error, strlen(r->error));
	}
	fprintf(f, ",\"failures\":[");
	for (i = 0; i < r->nfails; i++) {
		fprintf(f, "%s{\"line\":%d,\"col\":%d,\"message\":", i ? "," : "", r->fails[i].line, r->fails[i].col);
		json_write_string(f, r->fails[i].msg, strlen(r->fails[i].msg));
		fprintf(f, "}");
	}
	fprintf(f, "],\"exited\":%s", r->exited ? "true" : "false");
	if (r->exited)
		fprintf(f, ",\"exit_code\":%" PRId64, r->exit_code);
	fprintf(f, ",\"cycles\":%" PRIu64 ",\"ns\":%" PRIu64 ",\"retired\":%" PRIu64 ",\"events\":{", r->cycles,
		r->ns, r->retired);
	for (k = 0; k < ev_kind_count(); k++)
		fprintf(f, "%s\"%s\":%" PRIu64, k ? "," : "", ev_kind_name(k), r->counts[k]);
	fprintf(f, "},\"console\":");
	json_write_string(f, r->console ? r->console : "", r->console_len);
	fprintf(f, ",\"report\":"); /* what `dump` printed */
	json_write_string(f, report ? report : "", report ? strlen(report) : 0);
	fprintf(f, "}");
}

/* A recording that could not be written whole must not be left to replay as good: remove it (a regular file). */
static void drop_recording(const char *path, struct scn_result *r)
{
	struct stat st;
	const char *why = errno ? strerror(errno) : "write error";
	bool removed = stat(path, &st) == 0 && S_ISREG(st.st_mode) && unlink(path) == 0;

	r->status = SCN_ERROR;
	snprintf(r->error, sizeof(r->error), "writing the recording '%s' failed (%s)%s", path, why,
		 removed ? "; the partial file was removed" : "");
}

/*
 * Run one scenario while recording it.  The scenario and guest directory
 * are named relative to the recording's directory, so that a recording
 * replays from another checkout (record.h).  Return: -1 when the recording
 * could not be written (reported).
 */
static int run_recorded(const struct run_opts *o, struct scn_options *so, const char *file, struct scn_result *r)
{
	char *abs = realpath(file, NULL), *gdir = so->guest_dir ? realpath(so->guest_dir, NULL) : NULL, err[400];
	char *rpath = NULL;
	struct rec_config rc = { .guest_dir = gdir ? gdir : so->guest_dir, .clock = o->clock, .max_insns = o->max_insns,
				 .every = o->digest_every, .limit = o->record_limit, .scenario = abs };
	const char *guest_dir = so->guest_dir;
	struct recorder *rec = NULL;
	struct scenario s;
	FILE *f = NULL;
	int ret = 0;

	memset(r, 0, sizeof(*r));
	/* loaded under the name given, so that messages and reports read as without --record */
	if (scenario_load(file, &s, err, sizeof(err)) < 0) {
		r->status = SCN_ERROR;
		snprintf(r->error, sizeof(r->error), "%s", err);
		goto out;
	}
	if (!(f = fopen(o->record_path, "w"))) {
		/* nothing ran: the scenario is an input error, not a pass */
		r->status = SCN_ERROR;
		snprintf(r->error, sizeof(r->error), "cannot write the recording '%s': %s", o->record_path, strerror(errno));
		goto done;
	}
	if ((rpath = realpath(o->record_path, NULL)))
		rc.dir = dirname(rpath);
	if (!(rec = rec_start(f, &s, &rc, err, sizeof(err)))) {
		r->status = SCN_ERROR;
		snprintf(r->error, sizeof(r->error), "cannot record: %s", err);
	} else {
		so->obs = rec_observer(rec);
		so->guest_dir = rc.guest_dir;
		scenario_run(&s, so, r);
		so->obs = NULL;
		so->guest_dir = guest_dir;
		errno = 0;
		if (rec_end(rec, r) < 0)
			ret = -1;
	}
	errno = 0;
	if (fclose(f) != 0)
		ret = -1;
	if (ret < 0)
		drop_recording(o->record_path, r);
done:
	scenario_free(&s);
out:
	free(abs);
	free(gdir);
	free(rpath);
	return ret;
}

/* How every scenario of the run is run: the command line's options as the scenario runner takes them. */
static void scn_opts(const struct run_opts *o, FILE *trace, struct scn_options *so)
{
	so->trace = trace;
	so->disasm = o->disasm;
	so->max_insns = o->max_insns;
	so->clock = o->clock;
	so->trace_limit = o->trace_limit;
	so->trace_kinds = o->trace_kinds;
	so->guest_dir = o->guest_dir ? o->guest_dir : default_guest_dir();
	so->console_echo = o->console && !o->json ? stdout : NULL;
	so->report = o->json ? NULL : stdout;
	if (o->progress || isatty(STDERR_FILENO)) {
		so->progress = progress;
		so->progress_every = 1ull << 28;
	}
}

/* One scenario file, recorded or not, into @r. Return: -1 when the recording could not be written, else 0. */
static int run_one(const struct run_opts *o, struct scn_options *so, const char *path, struct scn_result *r)
{
	struct scenario s;
	char err[512];

	if (o->record_path)
		return run_recorded(o, so, path, r);
	if (scenario_load(path, &s, err, sizeof(err)) < 0) {
		r->status = SCN_ERROR;
		snprintf(r->error, sizeof(r->error), "%s", err);
	} else {
		scenario_run(&s, so, r);
		scenario_free(&s);
	}
	return 0;
}

/* --vcd: open the file, and have the scenario runner attach the writer. Return: NULL (reported) on failure. */
static struct vcd *open_vcd(const char *path, struct scn_options *so)
{
	struct vcd *v;
	char err[300];

	if (!(v = vcd_open(path, err, sizeof(err)))) {
		fprintf(stderr, "hypsim run: %s\n", err);
		return NULL;
	}
	so->wave = vcd_wave(v);
	return v;
}

/* --gdb: listen, and have the scenario runner attach the stub. Return: NULL (reported) on failure. */
static struct gdbstub *open_debugger(const char *where, struct scn_options *so)
{
	struct gdbstub *stub;
	char err[256];

	if (!(stub = gdbstub_open(where, err, sizeof(err)))) {
		fprintf(stderr, "hypsim run: %s\n", err);
		return NULL;
	}
	so->debugger = gdbstub_debugger(stub);
	so->progress = NULL;
	return stub;
}

/* The trace file; '-' is standard output, and what would go there (the summary, the console) goes to stderr. */
static FILE *open_trace(const char *path)
{
	int fd;

	if (strcmp(path, "-") != 0)
		return fopen(path, "w");
	fflush(stdout);
	if ((fd = dup(STDOUT_FILENO)) < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
		return NULL;
	return fdopen(fd, "w");
}

/* After the (one) scenario: tell GDB how it ended, write the waveform. Return: -1 when writing failed (reported). */
static int close_tools(const struct run_opts *o, const struct scn_result *r, struct gdbstub **stub, struct vcd **vcd)
{
	int ret = 0;

	if (*stub)
		gdbstub_close(*stub, r->exited, r->exit_code);
	if (*vcd && vcd_close(*vcd) < 0) {
		fprintf(stderr, "hypsim run: writing the waveform '%s' failed\n", o->vcd);
		ret = -1;
	}
	*stub = NULL;
	*vcd = NULL;
	return ret;
}

/* What the run's scenarios came to. */
struct tally {
	int pass, fail, err;
	bool rec_failed;
};

/* One scenario file: run it, close the tools it had, print its line or JSON object. */
static void run_print(const struct run_opts *o, struct scn_options *so, const char *path, bool first, struct tally *t,
		      struct gdbstub **stub, struct vcd **vcd)
{
	struct scn_result r = { 0 };
	char *report = NULL;
	size_t report_len = 0;

	so->progress_ctx = (void *)path;
	if (o->json) /* `dump` output goes into the JSON summary */
		so->report = open_memstream(&report, &report_len);
	if (run_one(o, so, path, &r) < 0)
		t->rec_failed = true;
	if (close_tools(o, &r, stub, vcd) < 0)
		t->rec_failed = true;
	if (so->progress)
		fprintf(stderr, "\r\033[K");
	t->pass += r.status == SCN_PASS;
	t->fail += r.status == SCN_FAIL;
	t->err += r.status == SCN_ERROR;
	if (o->json) {
		if (so->report)
			fclose(so->report);
		so->report = NULL;
		print_json(stdout, path, &r, first, report);
		free(report);
	} else {
		print_text(path, &r, o->quiet);
	}
	fflush(stdout);
	scn_result_free(&r);
}

int cmd_run(int argc, char **argv)
{
	struct run_opts o = { .digest_every = REC_DEFAULT_EVERY };
	struct scn_options so = { 0 };
	int pr = parse_opts(argc, argv, &o), i;
	FILE *trace = NULL;
	struct gdbstub *stub = NULL;
	struct vcd *vcd = NULL;
	struct tally t = { 0 };

	if (pr)
		return pr > 0 ? EXIT_PASS : EXIT_USAGE;
	if (o.trace_path && !(trace = open_trace(o.trace_path))) {
		fprintf(stderr, "hypsim run: cannot write trace file '%s'\n", o.trace_path);
		return EXIT_USAGE;
	}
	scn_opts(&o, trace, &so);
	if ((o.gdb && !(stub = open_debugger(o.gdb, &so))) || (o.vcd && !(vcd = open_vcd(o.vcd, &so)))) {
		if (trace)
			fclose(trace);
		gdbstub_close(stub, false, 0);
		return EXIT_USAGE;
	}
	if (o.json)
		printf("{\"hypsim\":\"%s\",\"scenarios\":[", HYPSIM_VERSION);
	for (i = optind; i < argc; i++)
		run_print(&o, &so, argv[i], i == optind, &t, &stub, &vcd);
	if (o.json)
		printf("\n  ],\"passed\":%d,\"failed\":%d,\"errors\":%d}\n", t.pass, t.fail, t.err);
	else
		printf("%d passed, %d failed%s\n", t.pass, t.fail + t.err, t.err ? " (including input errors)" : "");
	if (trace)
		fclose(trace);
	return t.err || t.rec_failed ? EXIT_USAGE : t.fail ? EXIT_FAILED : EXIT_PASS;
}
