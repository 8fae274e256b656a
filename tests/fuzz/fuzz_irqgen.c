/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer: termination and clock agreement under any interrupt pattern.
 * The input bytes choose a scenario: architecture and guest, vCPU count,
 * frequencies, quantum, horizon, a small instruction bound, and up to eight
 * interrupt injections or clears (lines, masks by vCPU, times from 0 to
 * 2^64 - 2, periods from 1 cycle, repeat counts), then a run step.  The
 * scenario runs under the block clock and under the instruction clock; both
 * runs must end, each vCPU within its instruction bound and the run loop
 * within one turn per instruction or event, with byte-identical traces and
 * the same result.  A difference aborts with the scenario text
 * on stderr (docs/fuzzing.md); HYPSIM_IRQGEN_PRINT=1 prints every scenario.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

#ifndef HYPSIM_BUILD_GUEST_DIR
#define HYPSIM_BUILD_GUEST_DIR "guest"
#endif
#define MAX_INSNS 3000u /* per vCPU: small, so that each run is quick */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input, then (when it runs out) a splitmix64 stream seeded by it: short inputs still give rich scenarios. */
struct bytes {
	const uint8_t *p;
	size_t n;
	uint64_t state;
};

static unsigned take(struct bytes *b, unsigned range)
{
	unsigned v;

	if (b->n) {
		v = *b->p++;
		b->n--;
	} else {
		uint64_t z = (b->state += 0x9e3779b97f4a7c15ull);

		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
		v = (unsigned)((z ^ (z >> 31)) & 0xff);
	}
	return range ? v % range : v;
}

static uint64_t take64(struct bytes *b)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | take(b, 256);
	return v;
}

/* An injection time: 0, 1, small, medium, or within a few cycles of the end of time (2^64 - 2). */
static uint64_t when(struct bytes *b)
{
	switch (take(b, 6)) {
	case 0: return 0;
	case 1: return 1 + take(b, 8);
	case 2: return take(b, 256) * 16;
	case 3: return take64(b) % 100000;
	case 4: return UINT64_MAX - 1 - take(b, 16); /* 2^64 - 2 and just below */
	default: return take64(b);
	}
}

struct gen {
	char text[4096];
	size_t len;
};

static void put(struct gen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct gen *g, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(g->text + g->len, sizeof(g->text) - g->len, fmt, ap);
	va_end(ap);
	if (n > 0 && (size_t)n < sizeof(g->text) - g->len)
		g->len += (size_t)n;
}

static void gen_setup(struct gen *g, struct bytes *b, bool arm, int *nvcpus)
{
	static const char *const arm_guests[] = { "irq", "hello", "gic-smp", "alu-loop-short", "counter" };
	static const char *const rv_guests[] = { "irq", "hello", "sstc-timer", "alu-loop-short", "smp-work" };
	static const char *const freqs[] = { "1GHz", "10MHz", "3MHz", "2GHz", "1MHz", "24MHz", "62.5MHz" };
	static const unsigned quanta[] = { 1, 2, 7, 100, 10000 };

	*nvcpus = 1 + (int)take(b, 4);
	put(g, "arch %s\nmemory %s 16M\nvcpus %d\n", arm ? "arm64" : "riscv64", arm ? "0x40000000" : "0x80000000",
	    *nvcpus);
	put(g, "cpu-freq %s\ntimebase %s\n", freqs[take(b, 7)], freqs[1 + take(b, 6)]);
	put(g, "quantum %u\nmax-insns %u\n", quanta[take(b, 5)], MAX_INSNS);
	if (take(b, 2))
		put(g, "horizon none\n");
	put(g, "load %s/%s.elf\n", arm ? "arm64" : "riscv64", (arm ? arm_guests : rv_guests)[take(b, 5)]);
}

static void gen_irq(struct gen *g, struct bytes *b, bool arm, int nvcpus)
{
	static const unsigned arm_lines[] = { 27, 30, 1, 33, 40, 1019 };
	static const unsigned rv_lines[] = { 1, 5, 9 };
	unsigned line = arm ? arm_lines[take(b, 6)] : rv_lines[take(b, 3)];
	unsigned kind = take(b, 4), target = take(b, 3);

	put(g, "%s irq %u", kind == 3 ? "clear" : "inject", line);
	if (kind == 1 || kind == 2) {
		put(g, " every %u", 1 + (take(b, 2) ? take(b, 8) : take(b, 256) * 4));
		if (kind == 2)
			put(g, " times %u", 1 + take(b, 64));
	}
	if (target == 1)
		put(g, " vcpu %u", take(b, (unsigned)nvcpus));
	else if (target == 2 && kind != 3)
		put(g, " vcpu all");
	put(g, " at %" PRIu64 "\n", when(b));
}

static void generate(struct gen *g, struct bytes *b)
{
	bool arm = take(b, 2) == 0;
	int nvcpus, i, n;

	gen_setup(g, b, arm, &nvcpus);
	for (i = 0, n = (int)take(b, 9); i < n; i++)
		gen_irq(g, b, arm, nvcpus);
	if (take(b, 2))
		put(g, "run until exit\n");
	else
		put(g, "run for %u\n", 1 + take(b, 256) * 1000);
}

struct outcome {
	char *trace;
	size_t len;
	struct scn_result r;
};

static void run(const struct scenario *s, enum cpu_clock clock, struct outcome *o)
{
	struct scn_options so = { .clock = clock, .guest_dir = HYPSIM_BUILD_GUEST_DIR };
	FILE *t = open_memstream(&o->trace, &o->len);

	so.trace = t;
	scenario_run(s, &so, &o->r);
	fclose(t);
}

static void fail(const struct gen *g, const char *why)
{
	fprintf(stderr, "fuzz_irqgen: %s; the scenario:\n%.*s", why, (int)g->len, g->text);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bytes b = { data, size, 0x5eed };
	struct gen g = { .len = 0 };
	struct scenario s;
	struct outcome blk = { 0 }, ins = { 0 };
	char err[512];

	for (size_t i = 0; i < size; i++)
		b.state = (b.state ^ data[i]) * 0x100000001b3ull;
	generate(&g, &b);
	if (getenv("HYPSIM_IRQGEN_PRINT"))
		fprintf(stderr, "---\n%.*s", (int)g.len, g.text);
	if (scenario_parse("irqgen.scn", g.text, g.len, &s, err, sizeof(err)) < 0) {
		scenario_free(&s);
		return 0; /* an injection the language refuses (past the end of time, say) */
	}
	run(&s, CPU_CLOCK_BLOCK, &blk);
	run(&s, CPU_CLOCK_INSN, &ins);
	/* the only input error a run may find: an injection after the end of virtual time */
	if (blk.r.status == SCN_ERROR && !strstr(blk.r.error, "after the end of virtual time"))
		fail(&g, blk.r.error);
	if (blk.r.retired > (uint64_t)MAX_INSNS * (uint64_t)s.cfg.nvcpus)
		fail(&g, "more instructions retired than the bound allows");
	if (blk.r.status != ins.r.status || blk.r.cycles != ins.r.cycles || blk.r.retired != ins.r.retired)
		fail(&g, "the two clocks end differently");
	if (blk.len != ins.len || memcmp(blk.trace, ins.trace, blk.len) != 0)
		fail(&g, "the two clocks' traces differ");
	/* the host's side is bounded too: every run-loop turn retires an instruction or follows an event */
	if (blk.r.turns > blk.r.retired + blk.r.events_fired + (uint64_t)s.cfg.nvcpus + 1 ||
	    ins.r.turns > ins.r.retired + ins.r.events_fired + (uint64_t)s.cfg.nvcpus + 1)
		fail(&g, "more run-loop turns than instructions and events");
	free(blk.trace);
	free(ins.trace);
	scn_result_free(&blk.r);
	scn_result_free(&ins.r);
	scenario_free(&s);
	return 0;
}
