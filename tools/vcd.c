/* SPDX-License-Identifier: MIT */
/*
 * hypsim run --vcd: the run's waveform signals (machine_wave) as a Value
 * Change Dump (IEEE 1364-2005, section 18), for GTKWave or sigrok.  Changes
 * arrive per vCPU, not in time order across vCPUs (each runs its quantum in
 * turn), so they are collected and written sorted when the run ends.
 * Timescale: 1 ns when a cycle is a whole number of nanoseconds (cpu-freq
 * divides 1 GHz), else 1 ps, a cycle being 10^12 / cpu-freq ps rounded down.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vcd.h"

#define VCD_MAX_CHANGES (1u << 22) /* 4 M changes, ~100 MiB: a runaway run is cut, and says so */

struct change {
	uint64_t cycle, value;
	uint32_t seq;
	uint16_t vcpu;
	uint8_t sig;
};

struct vcd {
	FILE *f;
	struct machine_wave wave;
	struct machine_config cfg;
	bool started;
	struct change *ch;
	size_t n, cap;
	bool truncated;
};

struct sig_info {
	const char *arm64, *riscv, *s390x; /* NULL: not on that architecture */
	unsigned bits;
};

static const struct sig_info sigs[WAVE_NSIGS] = {
	[WAVE_STATE] = { "state", "state", "state", 3 },
	[WAVE_IRQ] = { "irq_inputs", "mip_driven", NULL, 16 },
	[WAVE_TIMER0] = { "cntp_level", "stip", NULL, 1 },
	[WAVE_TIMER1] = { "cntv_level", NULL, NULL, 1 },
	[WAVE_CMP0] = { "cntp_cval", "stimecmp", NULL, 64 },
	[WAVE_CMP1] = { "cntv_cval", NULL, NULL, 64 },
	[WAVE_LEVEL] = { "el", "priv", NULL, 2 },
	[WAVE_ISTATUS0] = { "cntp_istatus", NULL, NULL, 1 },
	[WAVE_ISTATUS1] = { "cntv_istatus", NULL, NULL, 1 },
	[WAVE_ENABLES] = { "daif", "sie", NULL, 16 },
	[WAVE_PENDING] = { "gicr_pending", NULL, NULL, 32 },
	[WAVE_ENABLED] = { "gicr_enabled", NULL, NULL, 32 },
	[WAVE_AEN_SUMMARY] = { NULL, NULL, "summary", 64 },
	[WAVE_AEN_IPM] = { NULL, NULL, "ipm_vm", 8 },
	[WAVE_HCALL] = { "hcall", "sbi_call", NULL, 1 },
	[WAVE_S2FAULT] = { "s2_fault", NULL, NULL, 1 },
	[WAVE_EXCEPTION] = { "exception", NULL, NULL, 1 },
};

#define AEN_VMS 8 /* IPM signals: one per VM (AEN_MAX_VMS) */

static const char *sig_name(const struct vcd *v, int sig)
{
	return v->cfg.arch == CPU_ARM64 ? sigs[sig].arm64 : cpu_arch_is_riscv(v->cfg.arch) ? sigs[sig].riscv
		: sigs[sig].s390x;
}

/* The machine's own signals (a scope of their own), not a vCPU's. */
static bool machine_sig(int sig)
{
	return sig == WAVE_AEN_SUMMARY || sig == WAVE_AEN_IPM;
}

static bool strobe(int sig)
{
	return sig == WAVE_HCALL || sig == WAVE_S2FAULT || sig == WAVE_EXCEPTION;
}

/* Each signal's place: vCPU signals first, then the summary and one IPM per VM. */
static size_t slot(const struct vcd *v, int who, int sig)
{
	size_t base = (size_t)v->cfg.nvcpus * WAVE_NSIGS;

	if (!machine_sig(sig))
		return (size_t)who * WAVE_NSIGS + (size_t)sig;
	return base + (sig == WAVE_AEN_SUMMARY ? 0 : 1 + (size_t)who);
}

static size_t nslots(const struct vcd *v)
{
	return (size_t)v->cfg.nvcpus * WAVE_NSIGS + 1 + AEN_VMS;
}

static void push(struct vcd *v, int vcpu, int sig, uint64_t value, uint64_t cycle)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 4096;
		struct change *ch;

		if (cap > VCD_MAX_CHANGES || !(ch = realloc(v->ch, cap * sizeof(*ch)))) {
			v->truncated = true;
			return;
		}
		v->ch = ch;
		v->cap = cap;
	}
	v->ch[v->n] = (struct change){ .cycle = cycle, .value = value, .seq = (uint32_t)v->n, .vcpu = (uint16_t)vcpu,
				       .sig = (uint8_t)sig };
	v->n++;
}

static void on_change(void *ctx, int vcpu, int sig, uint64_t value, uint64_t cycle)
{
	struct vcd *v = ctx;

	if (v->truncated || sig < 0 || sig >= WAVE_NSIGS || !sig_name(v, sig) || vcpu < 0 ||
	    vcpu >= (machine_sig(sig) ? AEN_VMS : v->cfg.nvcpus))
		return;
	push(v, vcpu, sig, value, cycle);
	if (strobe(sig)) /* one cycle high */
		push(v, vcpu, sig, 0, cycle + 1);
}

static void on_start(void *ctx, const struct machine_config *cfg)
{
	struct vcd *v = ctx;

	v->cfg = *cfg;
	v->started = true;
}

struct vcd *vcd_open(const char *path, char *err, size_t n)
{
	struct vcd *v = calloc(1, sizeof(*v));

	if (!v) {
		snprintf(err, n, "out of memory");
		return NULL;
	}
	if (!(v->f = fopen(path, "w"))) {
		snprintf(err, n, "cannot write the waveform '%s': %s", path, strerror(errno));
		free(v);
		return NULL;
	}
	v->wave = (struct machine_wave){ .ctx = v, .start = on_start, .change = on_change };
	return v;
}

struct machine_wave *vcd_wave(struct vcd *v)
{
	return &v->wave;
}

/* The identifier of signal slot @k: printable characters from '!', base 94. */
static void ident(size_t k, char *out)
{
	int i = 0;

	do {
		out[i++] = (char)('!' + k % 94);
		k /= 94;
	} while (k && i < 7);
	out[i] = '\0';
}

/* Is a cycle a whole number of nanoseconds? */
static bool whole_ns(const struct vcd *v)
{
	return v->cfg.cpu_hz <= 1000000000u && 1000000000u % v->cfg.cpu_hz == 0;
}

/* Cycle @cycle in the file's time unit. */
static uint64_t vcd_time(const struct vcd *v, uint64_t cycle)
{
	if (whole_ns(v))
		return cycle * (1000000000u / v->cfg.cpu_hz);
	return (uint64_t)((unsigned __int128)cycle * 1000000000000ull / v->cfg.cpu_hz);
}

static void machine_scope(struct vcd *v)
{
	char id[8];
	int i;

	if (!sig_name(v, WAVE_AEN_SUMMARY))
		return;
	fprintf(v->f, "$scope module aen $end\n");
	ident(slot(v, 0, WAVE_AEN_SUMMARY), id);
	fprintf(v->f, "$var wire 64 %s summary $end\n", id);
	for (i = 0; i < AEN_VMS; i++) {
		ident(slot(v, i, WAVE_AEN_IPM), id);
		fprintf(v->f, "$var wire 8 %s ipm_vm%d $end\n", id, i);
	}
	fprintf(v->f, "$upscope $end\n");
}

static void header(struct vcd *v)
{
	int c, s;
	char id[8];

	fprintf(v->f, "$comment hypsim %s, %d vCPU(s), cpu-freq %" PRIu64 " Hz, timebase %" PRIu64 " Hz%s $end\n",
		cpu_arch_info(v->cfg.arch)->name, v->cfg.nvcpus, v->cfg.cpu_hz, v->cfg.timebase_hz,
		v->truncated ? "; cut at 4 M changes" : "");
	fprintf(v->f, "$timescale 1 %s $end\n$scope module hypsim $end\n", whole_ns(v) ? "ns" : "ps");
	for (c = 0; c < v->cfg.nvcpus; c++) {
		fprintf(v->f, "$scope module vcpu%d $end\n", c);
		for (s = 0; s < WAVE_NSIGS; s++) {
			if (!sig_name(v, s) || machine_sig(s))
				continue;
			ident(slot(v, c, s), id);
			fprintf(v->f, "$var wire %u %s %s $end\n", sigs[s].bits, id, sig_name(v, s));
		}
		fprintf(v->f, "$upscope $end\n");
	}
	machine_scope(v);
	fprintf(v->f, "$upscope $end\n$enddefinitions $end\n");
}

static void value(FILE *f, unsigned bits, uint64_t val, const char *id)
{
	int i;

	if (bits == 1) {
		fprintf(f, "%d%s\n", (int)(val & 1), id);
		return;
	}
	fputc('b', f);
	for (i = (int)bits - 1; i > 0 && !((val >> i) & 1); i--)
		;
	for (; i >= 0; i--)
		fputc((val >> i) & 1 ? '1' : '0', f);
	fprintf(f, " %s\n", id);
}

static int by_time(const void *a, const void *b)
{
	const struct change *x = a, *y = b;

	if (x->cycle != y->cycle)
		return x->cycle < y->cycle ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The width of the signal in slot @k. */
static unsigned slot_bits(const struct vcd *v, size_t k)
{
	size_t base = (size_t)v->cfg.nvcpus * WAVE_NSIGS;

	return k < base ? sigs[k % WAVE_NSIGS].bits : k == base ? 64 : 8;
}

static bool slot_used(const struct vcd *v, size_t k)
{
	size_t base = (size_t)v->cfg.nvcpus * WAVE_NSIGS;

	if (k < base)
		return sig_name(v, (int)(k % WAVE_NSIGS)) && !machine_sig((int)(k % WAVE_NSIGS));
	return sig_name(v, WAVE_AEN_SUMMARY) != NULL;
}

/* #0 with every signal at 0, then each change that changes something, in time order. */
static void body(struct vcd *v)
{
	uint64_t *last = calloc(nslots(v), sizeof(*last)), t;
	char id[8];
	size_t i, k;

	if (!last)
		return;
	fprintf(v->f, "#0\n$dumpvars\n");
	for (k = 0; k < nslots(v); k++)
		if (slot_used(v, k)) {
			ident(k, id);
			value(v->f, slot_bits(v, k), 0, id);
		}
	fprintf(v->f, "$end\n");
	t = 0;
	qsort(v->ch, v->n, sizeof(*v->ch), by_time);
	for (i = 0; i < v->n; i++) {
		const struct change *ch = &v->ch[i];
		uint64_t at;

		k = slot(v, ch->vcpu, ch->sig);
		if (last[k] == ch->value)
			continue;
		last[k] = ch->value;
		at = vcd_time(v, ch->cycle);
		if (at != t)
			fprintf(v->f, "#%" PRIu64 "\n", t = at);
		ident(k, id);
		value(v->f, sigs[ch->sig].bits, ch->value, id);
	}
	free(last);
}

int vcd_close(struct vcd *v)
{
	int r = 0;

	if (!v)
		return 0;
	if (v->started && v->cfg.cpu_hz) {
		header(v);
		body(v);
	}
	if (ferror(v->f))
		r = -1;
	if (fclose(v->f) != 0)
		r = -1;
	free(v->ch);
	free(v);
	return r;
}
