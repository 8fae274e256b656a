/* SPDX-License-Identifier: MIT */
/*
 * Scenario parser.  One command per line (the lexer and argument readers
 * are scenario_lex.c).  The grammar is in docs/scenario-language.md; each
 * parse_<command>() below handles one line shape.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binding.h"
#include "infile.h"
#include "scenario_internal.h"

/* ---- setup commands -------------------------------------------------------- */

static int setup_allowed(struct pctx *p, const struct tok *kw)
{
	if (p->steps_started)
		return scn_perr(p, kw->col, "'%s' configures the machine and must come before 'load' and the first step",
				kw->text);
	return 0;
}

/* ---- model families (binding.h) ---------------------------------------------- */

void *scn_typed(struct pctx *p, struct scn_cmd *c, size_t size)
{
	if (!(c->ext = calloc(1, size)))
		scn_perr(p, c->col, "out of memory");
	return c->ext;
}

/* The model family whose setup keyword @t is, and its binding's table index. */
static const struct scn_family *family_for(const struct tok *t, int *index)
{
	int i;

	for (i = 0; machine_bindings[i]; i++) {
		const struct scn_family *f = machine_bindings[i]->family;

		if (f && f->setup && scn_is(t, f->setup)) {
			*index = i;
			return f;
		}
	}
	return NULL;
}

/* The model verb that the step starting with @kw is (its second word consumed when it has one). */
static const struct scn_verb *verb_for(struct pctx *p, const struct tok *kw)
{
	const struct scn_verb *v;
	int i;

	for (i = 0; machine_bindings[i]; i++) {
		if (!machine_bindings[i]->family || !(v = machine_bindings[i]->family->verbs))
			continue;
		for (; v->word; v++) {
			if (!scn_is(kw, v->word))
				continue;
			if (!v->sub)
				return v;
			if (p->i < p->n && scn_is(&p->t[p->i], v->sub)) {
				p->i++;
				return v;
			}
		}
	}
	return NULL;
}

/* The model expectation named @t, or NULL; with @list, appends every model's word to it instead. */
static const struct scn_expectation *expectation_for(const struct tok *t, char *list, size_t n)
{
	const struct scn_expectation *e;
	size_t len = list ? strlen(list) : 0;
	int i;

	for (i = 0; machine_bindings[i]; i++) {
		if (!machine_bindings[i]->family || !(e = machine_bindings[i]->family->expects))
			continue;
		for (; e->word; e++) {
			if (list && len < n)
				len += (size_t)snprintf(list + len, n - len, "%s, ", e->word);
			else if (!list && scn_is(t, e->word))
				return e;
		}
	}
	return NULL;
}

/* A model's setup line: its typed configuration becomes the machine's model_cfg for the binding. */
static int parse_model_setup(struct pctx *p, const struct tok *kw, struct scn_cmd *c, const struct scn_family *f,
			     int index)
{
	if (setup_allowed(p, kw) < 0)
		return -1;
	if (p->s->cfg.model_cfg[index])
		return scn_perr(p, kw->col, "only one '%s' line", kw->text);
	c->kind = SCN_MODEL_SETUP;
	c->family = f;
	if (f->parse_setup(p, c) < 0)
		return -1;
	p->s->cfg.model_cfg[index] = c->ext;
	return 0;
}

/* 'on' or 'off': *off = whether it was 'off'. */
static int parse_off(struct pctx *p, bool *off)
{
	struct tok *t = scn_next(p, "'on' or 'off'");

	if (!t)
		return -1;
	if (!scn_is(t, "on") && !scn_is(t, "off"))
		return scn_perr(p, t->col, "expected 'on' or 'off', found '%s'", t->text);
	*off = scn_is(t, "off");
	return 0;
}

/* percpu vcpu N BASE SIZE | percpu areas BASE SIZE [stride S] */
static int parse_percpu(struct pctx *p, struct scn_cmd *c)
{
	struct machine_config *cfg = &p->s->cfg;
	struct tok *t = scn_next(p, "'vcpu' or 'areas'");
	uint64_t base, size, stride;
	char err[128];
	int i, first = 0, last = cfg->nvcpus - 1, col;

	if (!t)
		return -1;
	col = t->col;
	if (scn_is(t, "vcpu")) {
		if (scn_vcpu_arg(p, &first) < 0)
			return -1;
		last = first;
	} else if (!scn_is(t, "areas")) {
		return scn_perr(p, t->col, "expected 'vcpu N' or 'areas', found '%s'", t->text);
	}
	if (scn_number(p, "area base", &base) < 0 || scn_number(p, "area size", &size) < 0)
		return -1;
	stride = size;
	if (last > first && p->i < p->n && scn_is(&p->t[p->i], "stride")) {
		p->i++;
		if (scn_number(p, "stride", &stride) < 0)
			return -1;
	}
	if (size == 0 || stride < size)
		return scn_perr(p, col, "the area size must be above 0 and the stride at least the size");
	for (i = first; i <= last; i++) {
		uint64_t off = (uint64_t)(i - first) * stride;

		if (base + off < base)
			return scn_perr(p, col, "the areas wrap past 2^64");
		cfg->percpu[i].base = base + off;
		cfg->percpu[i].size = size;
	}
	if (machine_check_percpu(cfg, err, sizeof(err)) < 0)
		return scn_perr(p, col, "%s", err);
	p->have_percpu = true;
	c->kind = SCN_PERCPU;
	return scn_no_more(p);
}

/* Does [base, base+size) overlap RAM, another device region or the firmware page? */
bool scn_overlaps_machine(const struct machine_config *cfg, uint64_t base, uint64_t size)
{
	int i;

	for (i = 0; i < cfg->nmem; i++)
		if (base < cfg->mem[i].base + cfg->mem[i].size && cfg->mem[i].base < base + size)
			return true;
	for (i = 0; i < cfg->ndev; i++)
		if (base < cfg->dev[i].base + cfg->dev[i].size && cfg->dev[i].base < base + size)
			return true;
	return base < CPU_FW_BASE + 4096 && CPU_FW_BASE < base + size;
}

/* device BASE SIZE: an MMIO region (a register file that reads back what was stored). */
static int parse_device(struct pctx *p, const struct tok *kw, struct scn_cmd *c)
{
	struct machine_config *cfg = &p->s->cfg;
	uint64_t base, size;

	if (scn_number(p, "device base", &base) < 0 ||
	    scn_scaled_arg(p, "device size", scn_size_units, "a size such as 4K", &size, NULL) < 0)
		return -1;
	if (cfg->ndev == CPU_MAX_DEVICES)
		return scn_perr(p, kw->col, "at most %d device regions", CPU_MAX_DEVICES);
	if (size == 0 || size % 4096 || base % 4096 || base + size < base)
		return scn_perr(p, kw->col, "device base and size must be non-zero multiples of 4 KiB below 2^64");
	if (size > (1ull << 24))
		return scn_perr(p, kw->col, "a device region is at most 16 MiB");
	if (scn_overlaps_machine(cfg, base, size))
		return scn_perr(p, kw->col, "the device region overlaps memory, another device or the firmware page 0x%llx",
				CPU_FW_BASE);
	cfg->dev[cfg->ndev].base = base;
	cfg->dev[cfg->ndev++].size = size;
	c->kind = SCN_DEVICE;
	return scn_no_more(p);
}

static int setup_arch(struct pctx *p, const struct tok *kw, struct scn_cmd *c)
{
	char what[96];
	struct tok *t;

	snprintf(what, sizeof(what), "architecture (%s)", cpu_arch_names());
	if (!(t = scn_next(p, what)))
		return -1;
	if (cpu_arch_from_name(t->text, &p->s->cfg.arch) < 0)
		return scn_perr(p, t->col, "unknown architecture '%s' (%s)", t->text, cpu_arch_names());
	if (p->have_arch)
		return scn_perr(p, kw->col, "'arch' is given twice: one machine, one architecture");
	p->have_arch = true;
	c->kind = SCN_ARCH;
	return scn_no_more(p);
}

static int setup_memory(struct pctx *p, const struct tok *kw, struct scn_cmd *c)
{
	struct machine_config *cfg = &p->s->cfg;
	uint64_t v, size;
	int base_col = p->i < p->n ? p->t[p->i].col : kw->col, size_col;

	if (scn_number(p, "memory base", &v) < 0)
		return -1;
	size_col = p->i < p->n ? p->t[p->i].col : kw->col;
	if (scn_scaled_arg(p, "memory size", scn_size_units, "a size such as 16M", &size, NULL) < 0)
		return -1;
	if (cfg->nmem == MACHINE_MAX_MEM)
		return scn_perr(p, kw->col, "at most %d memory regions", MACHINE_MAX_MEM);
	if (v % 4096)
		return scn_perr(p, base_col, "memory base 0x%" PRIx64 " is not a multiple of 4 KiB", v);
	if (size == 0 || size % 4096)
		return scn_perr(p, size_col, "memory size must be a non-zero multiple of 4 KiB");
	if (v + size <= v) /* the end, base + size, must be an address */
		return scn_perr(p, size_col, "the memory region 0x%" PRIx64 "+0x%" PRIx64 " does not end below 2^64", v,
				size);
	if (size > MACHINE_MAX_REGION)
		return scn_perr(p, size_col, "a memory region is at most %llu GiB", MACHINE_MAX_REGION >> 30);
	if (v < CPU_FW_BASE + CPU_FW_SIZE && CPU_FW_BASE < v + size)
		return scn_perr(p, kw->col, "memory 0x%" PRIx64 "+0x%" PRIx64 " overlaps the boot page at 0x%llx", v, size,
				CPU_FW_BASE);
	for (int i = 0; i < cfg->nmem; i++)
		if (v < cfg->mem[i].base + cfg->mem[i].size && cfg->mem[i].base < v + size)
			return scn_perr(p, kw->col, "the memory region 0x%" PRIx64 "+0x%" PRIx64
					" overlaps the one at 0x%" PRIx64 "+0x%" PRIx64, v, size, cfg->mem[i].base,
					cfg->mem[i].size);
	if (cfg->ndev && scn_overlaps_machine(cfg, v, size))
		return scn_perr(p, kw->col, "the memory region overlaps a device region");
	cfg->mem[cfg->nmem].base = v;
	cfg->mem[cfg->nmem++].size = size;
	c->kind = SCN_MEMORY;
	return scn_no_more(p);
}

static int setup_vcpus(struct pctx *p, const struct tok *kw, struct scn_cmd *c)
{
	uint64_t v;

	if (scn_number(p, "vCPU count", &v) < 0)
		return -1;
	if (v < 1 || v > MACHINE_MAX_VCPUS)
		return scn_perr(p, p->t[p->i - 1].col, "vcpus must be 1..%d", MACHINE_MAX_VCPUS);
	if (p->have_percpu)
		return scn_perr(p, kw->col, "'vcpus' must come before 'percpu'");
	p->s->cfg.nvcpus = (int)v;
	c->kind = SCN_VCPUS;
	return scn_no_more(p);
}

/* cpu-freq FREQ, timebase FREQ */
static int setup_freq(struct pctx *p, const struct tok *kw, struct scn_cmd *c)
{
	bool cpu = scn_is(kw, "cpu-freq");
	uint64_t v;

	if (scn_scaled_arg(p, kw->text, scn_freq_units, "a frequency such as 1GHz", &v, NULL) < 0)
		return -1;
	if (v == 0)
		return scn_perr(p, p->t[p->i - 1].col, "%s must be above 0 Hz", kw->text);
	*(cpu ? &p->s->cfg.cpu_hz : &p->s->cfg.timebase_hz) = v;
	c->kind = cpu ? SCN_CPU_FREQ : SCN_TIMEBASE;
	return scn_no_more(p);
}

/* max-insns N, quantum N */
static int setup_positive(struct pctx *p, const struct tok *kw, struct scn_cmd *c)
{
	bool quantum = scn_is(kw, "quantum");
	uint64_t v;

	if (scn_number(p, kw->text, &v) < 0)
		return -1;
	if (v == 0)
		return scn_perr(p, p->t[p->i - 1].col, "%s must be above 0", kw->text);
	*(quantum ? &p->s->cfg.quantum : &p->s->cfg.max_insns) = v;
	c->kind = quantum ? SCN_QUANTUM : SCN_MAX_INSNS;
	return scn_no_more(p);
}

static int setup_counter_start(struct pctx *p, const struct tok *kw, struct scn_cmd *c)
{
	(void)kw;
	if (scn_number(p, "counter value", &p->s->cfg.counter_start) < 0)
		return -1;
	c->kind = SCN_COUNTER_START;
	return scn_no_more(p);
}

/* horizon DURATION|none: how far an idle machine may jump in a run with no end of its own */
static int setup_horizon(struct pctx *p, const struct tok *kw, struct scn_cmd *c)
{
	struct scn_time t;

	(void)kw;
	c->kind = SCN_HORIZON;
	if (p->i < p->n && scn_is(&p->t[p->i], "none")) {
		p->i++;
		p->s->cfg.horizon = VCLOCK_NEVER;
		p->s->cfg.horizon_ns = false;
		return scn_no_more(p);
	}
	if (scn_time_arg(p, "horizon", &t) < 0)
		return -1;
	if (t.value == 0 || t.value == VCLOCK_NEVER)
		return scn_perr(p, p->t[p->i - 1].col, "the horizon must be above 0 (or 'none')");
	p->s->cfg.horizon = t.value;
	p->s->cfg.horizon_ns = t.ns;
	return scn_no_more(p);
}

static int setup_stce(struct pctx *p, const struct tok *kw, struct scn_cmd *c)
{
	if (!cpu_arch_is_riscv(p->s->cfg.arch) || !p->have_arch)
		return scn_perr(p, kw->col, "'stce' needs 'arch riscv64' or 'arch riscv32' above it");
	if (parse_off(p, &p->s->cfg.stce_off) < 0)
		return -1;
	c->kind = SCN_STCE;
	return scn_no_more(p);
}

/* sstc-extension off: the harts lack Sstc (no stimecmp, no _sstc in riscv,isa; so STCE stays 0) */
static int setup_sstc_extension(struct pctx *p, const struct tok *kw, struct scn_cmd *c)
{
	if (p->s->cfg.arch != CPU_RISCV64 || !p->have_arch)
		return scn_perr(p, kw->col, "'sstc-extension' needs 'arch riscv64' above it");
	if (parse_off(p, &p->s->cfg.sstc_absent) < 0)
		return -1;
	p->s->cfg.stce_off = p->s->cfg.stce_off || p->s->cfg.sstc_absent;
	c->kind = SCN_STCE;
	return scn_no_more(p);
}

static int setup_secondaries(struct pctx *p, const struct tok *kw, struct scn_cmd *c)
{
	(void)kw;
	if (parse_off(p, &p->s->cfg.secondaries_off) < 0)
		return -1;
	c->kind = SCN_SECONDARIES;
	return scn_no_more(p);
}

/* psci-features spec|qemu */
static int setup_psci_features(struct pctx *p, const struct tok *kw, struct scn_cmd *c)
{
	struct tok *t;

	if (p->s->cfg.arch != CPU_ARM64 || !p->have_arch)
		return scn_perr(p, kw->col, "'psci-features' needs 'arch arm64' above it");
	if (!(t = scn_next(p, "'spec' or 'qemu'")))
		return -1;
	if (!scn_is(t, "spec") && !scn_is(t, "qemu"))
		return scn_perr(p, t->col, "expected 'spec' or 'qemu', found '%s'", t->text);
	p->s->cfg.psci_features_qemu = scn_is(t, "qemu");
	c->kind = SCN_PSCI_FEATURES;
	return scn_no_more(p);
}

/* watch writes BASE SIZE, trace code BASE SIZE */
static int setup_range(struct pctx *p, const struct tok *kw, struct scn_cmd *c)
{
	struct machine_config *cfg = &p->s->cfg;
	bool watch = scn_is(kw, "watch");
	int *n = watch ? &cfg->nwatch : &cfg->ncode;
	uint64_t base, size;

	if (scn_expect_word(p, watch ? "writes" : "code") < 0 || scn_number(p, "range base", &base) < 0 ||
	    scn_number(p, "range size", &size) < 0)
		return -1;
	if (size == 0 || base + size - 1 < base)
		return scn_perr(p, p->t[p->i - 1].col, "the range must be non-empty and below 2^64");
	if (*n == MACHINE_MAX_RANGES)
		return scn_perr(p, kw->col, "at most %d '%s' ranges", MACHINE_MAX_RANGES, kw->text);
	if (watch) {
		cfg->watch[*n].base = base;
		cfg->watch[*n].size = size;
	} else {
		cfg->code[*n].base = base;
		cfg->code[*n].size = size;
	}
	(*n)++;
	c->kind = watch ? SCN_WATCH : SCN_TRACE_CODE;
	return scn_no_more(p);
}

static int setup_percpu(struct pctx *p, const struct tok *kw, struct scn_cmd *c)
{
	(void)kw;
	return parse_percpu(p, c);
}

/* The machine-setup keywords, once: a model binding's come from its family. */
static const struct {
	const char *word;
	int (*parse)(struct pctx *p, const struct tok *kw, struct scn_cmd *c);
} setups[] = {
	{ "arch", setup_arch },		  { "memory", setup_memory },		  { "vcpus", setup_vcpus },
	{ "cpu-freq", setup_freq },	  { "timebase", setup_freq },		  { "max-insns", setup_positive },
	{ "quantum", setup_positive },	  { "counter-start", setup_counter_start },
	{ "stce", setup_stce },		  { "secondaries", setup_secondaries },
	{ "sstc-extension", setup_sstc_extension },
	{ "psci-features", setup_psci_features }, { "watch", setup_range },
	{ "horizon", setup_horizon },
	{ "trace", setup_range },	  { "percpu", setup_percpu },		  { "device", parse_device },
};

static int parse_load(struct pctx *p, const struct tok *kw, struct scn_cmd *c)
{
	if (p->have_load)
		return scn_perr(p, kw->col, "only one 'load' per scenario");
	if (p->steps_started)
		return scn_perr(p, kw->col, "'load' must come before the first step");
	if (!p->have_arch)
		return scn_perr(p, kw->col, "'load' needs an 'arch' line (arm64, riscv64, riscv32 or s390x) above it");
	if (p->s->cfg.nmem == 0)
		return scn_perr(p, kw->col, "'load' needs a 'memory BASE SIZE' line above it");
	c->kind = SCN_LOAD;
	if (scn_string_arg(p, "ELF file path", c) < 0)
		return -1;
	p->have_load = true;
	p->steps_started = true;
	return scn_no_more(p);
}

/* ---- steps ------------------------------------------------------------------- */

static int parse_run(struct pctx *p, struct scn_cmd *c)
{
	struct tok *t = scn_next(p, "'until' or 'for'");

	if (!t)
		return -1;
	if (scn_is(t, "for")) {
		c->kind = SCN_RUN_FOR;
		if (scn_time_arg(p, "duration", &c->t) < 0)
			return -1;
		if (p->i < p->n && (scn_is(&p->t[p->i], "insns") || scn_is(&p->t[p->i], "cycles"))) {
			if (c->t.ns)
				return scn_perr(p, p->t[p->i].col, "'%s' after a time unit", p->t[p->i].text);
			p->i++;
		}
		return scn_no_more(p);
	}
	if (!scn_is(t, "until"))
		return scn_perr(p, t->col, "expected 'until' or 'for', found '%s'", t->text);
	if (!(t = scn_next(p, "'exit', 'time' or 'ticks'")))
		return -1;
	if (scn_is(t, "exit"))
		c->kind = SCN_RUN_EXIT;
	else if (scn_is(t, "time")) {
		c->kind = SCN_RUN_UNTIL;
		if (scn_time_arg(p, "time", &c->t) < 0)
			return -1;
	} else if (scn_is(t, "ticks")) {
		c->kind = SCN_RUN_TICKS;
		if (scn_number(p, "counter value", &c->a) < 0)
			return -1;
	} else
		return scn_perr(p, t->col, "expected 'exit', 'time' or 'ticks', found '%s'", t->text);
	return scn_no_more(p);
}

/* inject|clear irq LINE [every PERIOD [times N]] [vcpu N|all] [at TIME] */
static int parse_irq(struct pctx *p, const struct tok *kw, struct scn_cmd *c)
{
	const struct cpu_arch_info *a = cpu_arch_info(p->s->cfg.arch);
	int col;

	if (!a->irq_limit)
		return scn_perr(p, kw->col, "%s", a->irq_lines_text);
	if (scn_expect_word(p, "irq") < 0 || scn_number(p, "interrupt line", &c->a) < 0)
		return -1;
	col = p->t[p->i - 1].col;
	if (!cpu_arch_irq_ok(p->s->cfg.arch, c->a))
		return scn_perr(p, col, "%s", a->irq_lines_text);
	c->kind = SCN_IRQ;
	c->b = scn_is(kw, "inject");
	while (p->i < p->n) {
		struct tok *t = &p->t[p->i++];

		if (c->b && scn_is(t, "every") && !c->every.value) {
			if (scn_time_arg(p, "period", &c->every) < 0)
				return -1;
			if (!c->every.value)
				return scn_perr(p, p->t[p->i - 1].col, "the period must be above 0");
		} else if (c->every.value && scn_is(t, "times")) {
			if (scn_number(p, "count", &c->times) < 0)
				return -1;
			if (c->times == 0 || c->times > MACHINE_IRQ_EVERY_MAX_TIMES)
				return scn_perr(p, p->t[p->i - 1].col, "times must be 1..2^48-1");
		} else if (scn_is(t, "vcpu") && p->i < p->n && scn_is(&p->t[p->i], "all")) {
			p->i++;
			c->vcpu = SCN_ALL_VCPUS;
		} else if (scn_is(t, "vcpu")) {
			if (scn_vcpu_arg(p, &c->vcpu) < 0)
				return -1;
		} else if (scn_is(t, "at")) {
			if (scn_time_arg(p, "time", &c->t) < 0)
				return -1;
			c->has_at = true;
		} else {
			return scn_perr(p, t->col, "unexpected '%s' (expected %s'vcpu N', 'vcpu all' or 'at TIME')",
					t->text, c->b ? "'every PERIOD', 'times N', " : "");
		}
	}
	return 0;
}

/* The value just read (token p->i - 1) fits the access width. Return: 0, or -1 (reported). */
static int fits_width(struct pctx *p, const struct scn_cmd *c)
{
	if (c->width < 8 && c->b >> (8 * c->width))
		return scn_perr(p, p->t[p->i - 1].col, "value 0x%" PRIx64 " does not fit in u%d", c->b, 8 * c->width);
	return 0;
}

static int parse_write(struct pctx *p, struct scn_cmd *c)
{
	c->kind = SCN_WRITE_MEM;
	if (scn_expect_word(p, "mem") < 0 || scn_number(p, "address", &c->a) < 0 || scn_width_arg(p, &c->width) < 0 ||
	    scn_number(p, "value", &c->b) < 0 || fits_width(p, c) < 0)
		return -1;
	return scn_no_more(p);
}

static int reg_arg(struct pctx *p, struct scn_cmd *c)
{
	struct tok *t;

	if (scn_string_arg(p, "register name", c) < 0)
		return -1;
	t = &p->t[p->i - 1];
	if (cpu_reg_lookup(p->s->cfg.arch, c->str) < 0)
		return scn_perr(p, t->col, "unknown %s register '%s'", cpu_arch_name(p->s->cfg.arch), c->str);
	return 0;
}

/* set reg NAME VALUE [vcpu N] | set counter VALUE */
static int parse_set(struct pctx *p, struct scn_cmd *c)
{
	if (p->i < p->n && scn_is(&p->t[p->i], "counter")) {
		p->i++;
		c->kind = SCN_SET_COUNTER;
		if (scn_number(p, "counter value", &c->b) < 0)
			return -1;
		return scn_no_more(p);
	}
	c->kind = SCN_SET_REG;
	if (scn_expect_word(p, "reg") < 0 || reg_arg(p, c) < 0 || scn_number(p, "value", &c->b) < 0)
		return -1;
	return scn_clauses(p, c, false);
}

/* ---- expectations --------------------------------------------------------- */

int scn_event_arg(struct pctx *p, struct scn_cmd *c)
{
	struct tok *t = scn_next(p, "event kind");
	int k;

	if (!t)
		return -1;
	k = ev_kind_lookup(t->text);
	if (k < 0 || t->quoted)
		return scn_perr(p, t->col, "unknown event kind '%s' (see docs/trace-format.md)", t->text);
	c->a = (uint64_t)k;
	p->s->expected_events |= 1ull << k;
	return 0;
}

static int parse_expect_state(struct pctx *p, struct scn_cmd *c)
{
	static const char *const states[] = { "running", "idle", "exited", "faulted", "limit" };
	struct tok *t = scn_next(p, "vCPU state");
	int i;

	if (!t)
		return -1;
	for (i = 0; i < 5; i++)
		if (scn_is(t, states[i]))
			break;
	if (i == 5)
		return scn_perr(p, t->col, "unknown state '%s' (running, idle, exited, faulted, limit)", t->text);
	c->kind = SCN_EXPECT_STATE;
	c->a = (uint64_t)i;
	return scn_clauses(p, c, false);
}

/* The expectations: each parser gets the word after `expect` (already consumed). */
typedef int (*expect_fn)(struct pctx *p, const struct tok *t, struct scn_cmd *c);

static int expect_exit(struct pctx *p, const struct tok *t, struct scn_cmd *c)
{
	(void)t;
	c->kind = SCN_EXPECT_EXIT;
	if (scn_number(p, "exit code", &c->b) < 0)
		return -1;
	return scn_no_more(p);
}

static int expect_reg(struct pctx *p, const struct tok *t, struct scn_cmd *c)
{
	(void)t;
	c->kind = SCN_EXPECT_REG;
	if (reg_arg(p, c) < 0 || scn_op_arg(p, &c->op) < 0 || scn_number(p, "value", &c->b) < 0)
		return -1;
	return scn_clauses(p, c, false);
}

static int expect_mem(struct pctx *p, const struct tok *t, struct scn_cmd *c)
{
	(void)t;
	c->kind = SCN_EXPECT_MEM;
	if (scn_number(p, "address", &c->a) < 0 || scn_width_arg(p, &c->width) < 0 || scn_op_arg(p, &c->op) < 0 ||
	    scn_number(p, "value", &c->b) < 0 || fits_width(p, c) < 0)
		return -1;
	return scn_no_more(p);
}

static int expect_console(struct pctx *p, const struct tok *t, struct scn_cmd *c)
{
	(void)t;
	c->kind = SCN_EXPECT_CONSOLE;
	if (p->i < p->n && (scn_is(&p->t[p->i], "contains") || scn_is(&p->t[p->i], "lacks"))) {
		c->b = scn_is(&p->t[p->i], "lacks"); /* 1: must not contain */
		p->i++;
		c->kind = SCN_EXPECT_CONSOLE_CONTAINS;
	}
	if (scn_string_arg(p, "\"text\"", c) < 0)
		return -1;
	if (!p->t[p->i - 1].quoted)
		return scn_perr(p, p->t[p->i - 1].col, "console text must be in double quotes");
	return scn_no_more(p);
}

/* count KIND OP N; event KIND (at least one) */
static int expect_count(struct pctx *p, const struct tok *t, struct scn_cmd *c)
{
	c->kind = SCN_EXPECT_COUNT;
	if (scn_is(t, "event")) {
		c->op = SCN_GE;
		c->b = 1;
		return scn_event_arg(p, c) < 0 ? -1 : scn_parse_event_matchers(p, c);
	}
	if (scn_event_arg(p, c) < 0 || scn_op_arg(p, &c->op) < 0 || scn_number(p, "count", &c->b) < 0)
		return -1;
	return scn_no_more(p);
}

/* cycle OP N; ticks OP N; insns OP N [vcpu N] */
static int expect_time(struct pctx *p, const struct tok *t, struct scn_cmd *c)
{
	c->kind = scn_is(t, "cycle") ? SCN_EXPECT_CYCLE : scn_is(t, "ticks") ? SCN_EXPECT_TICKS : SCN_EXPECT_INSNS;
	if (scn_op_arg(p, &c->op) < 0 || scn_number(p, "value", &c->b) < 0)
		return -1;
	return c->kind != SCN_EXPECT_INSNS ? scn_no_more(p) : scn_clauses(p, c, false);
}

#define EXPECT_WITHOUT_WORD(name, fn)                                                \
	static int name(struct pctx *p, const struct tok *t, struct scn_cmd *c)      \
	{                                                                            \
		(void)t;                                                             \
		return fn(p, c);                                                     \
	}
EXPECT_WITHOUT_WORD(expect_state, parse_expect_state)

/* The expectation words, once: a model binding's come from its family. */
static const struct {
	const char *word;
	expect_fn parse;
} expects[] = {
	{ "exit", expect_exit },     { "reg", expect_reg },	{ "mem", expect_mem },	   { "console", expect_console },
	{ "count", expect_count },   { "event", expect_count }, { "cycle", expect_time }, { "insns", expect_time },
	{ "ticks", expect_time },
	{ "state", expect_state },
};

static int parse_expect(struct pctx *p, struct scn_cmd *c)
{
	struct tok *t = scn_next(p, "what to expect");
	const struct scn_expectation *e;
	char words[512];
	size_t i, len = 0;

	if (!t)
		return -1;
	for (i = 0; i < sizeof(expects) / sizeof(expects[0]); i++)
		if (scn_is(t, expects[i].word))
			return expects[i].parse(p, t, c);
	if ((e = expectation_for(t, NULL, 0))) {
		c->kind = SCN_EXPECT_MODEL;
		c->expectation = e;
		return e->parse(p, c);
	}
	for (i = 0; i < sizeof(expects) / sizeof(expects[0]); i++)
		len += (size_t)snprintf(words + len, sizeof(words) - len, "%s, ", expects[i].word);
	expectation_for(t, words, sizeof(words));
	len = strlen(words);
	if (len >= 2)
		words[len - 2] = '\0';
	return scn_perr(p, t->col, "unknown expectation '%s' (%s)", t->text, words);
}

/* ---- lines and files ------------------------------------------------------ */

/* Step parsers all take the keyword; most do not need it. */
#define STEP_WITHOUT_KW(name, fn)                                                    \
	static int name(struct pctx *p, const struct tok *kw, struct scn_cmd *c)     \
	{                                                                            \
		(void)kw;                                                            \
		return fn(p, c);                                                     \
	}
STEP_WITHOUT_KW(step_run, parse_run)
STEP_WITHOUT_KW(step_write, parse_write)
STEP_WITHOUT_KW(step_set, parse_set)
STEP_WITHOUT_KW(step_expect, parse_expect)

/* The step keywords, once: a model binding's verbs come from its family. */
static const struct {
	const char *word;
	int (*parse)(struct pctx *p, const struct tok *kw, struct scn_cmd *c);
} steps[] = {
	{ "run", step_run },	 { "inject", parse_irq }, { "clear", parse_irq }, { "write", step_write },
	{ "set", step_set },	 { "expect", step_expect },
};

static int step_allowed(struct pctx *p, const struct tok *kw)
{
	if (!p->have_arch || p->s->cfg.nmem == 0)
		return scn_perr(p, kw->col, "'%s' needs a machine: put 'arch' and 'memory' lines above it", kw->text);
	p->steps_started = true;
	return 0;
}

static int parse_line(struct pctx *p, struct scn_cmd *c)
{
	struct tok *kw = &p->t[p->i++];
	const struct scn_family *f;
	const struct scn_verb *v;
	size_t i;
	int index;

	c->line = p->line;
	c->col = kw->col;
	c->vcpu = -1;
	for (i = 0; i < sizeof(setups) / sizeof(setups[0]); i++)
		if (scn_is(kw, setups[i].word))
			return setup_allowed(p, kw) < 0 ? -1 : setups[i].parse(p, kw, c);
	/* a family's setup keyword may also be its verb: before the first step it is setup */
	if ((f = family_for(kw, &index)) && !p->steps_started)
		return parse_model_setup(p, kw, c, f, index);
	if (scn_is(kw, "load"))
		return parse_load(p, kw, c);
	/* before the machine's steps: a model verb may be two words whose first is one of them (`write stage2`) */
	if ((v = verb_for(p, kw))) {
		if (step_allowed(p, kw) < 0)
			return -1;
		c->kind = SCN_MODEL;
		c->verb = v;
		return v->parse(p, c);
	}
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (scn_is(kw, steps[i].word))
			return step_allowed(p, kw) < 0 ? -1 : steps[i].parse(p, kw, c);
	if (f)
		return setup_allowed(p, kw);
	return scn_perr(p, kw->col, "unknown command '%s'", kw->text);
}

/* Append @c, growing the array by doubling (*@cap commands allocated). */
static int add_cmd(struct scenario *s, size_t *cap, const struct scn_cmd *c)
{
	if (s->ncmds == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		struct scn_cmd *n = realloc(s->cmds, ncap * sizeof(*n));

		if (!n)
			return -1;
		s->cmds = n;
		*cap = ncap;
	}
	s->cmds[s->ncmds++] = *c;
	return 0;
}

static void defaults(struct scenario *s)
{
	memset(s, 0, sizeof(*s));
	s->cfg.nvcpus = 1;
	s->cfg.cpu_hz = 1000000000;
	s->cfg.timebase_hz = 10000000;
	s->cfg.quantum = MACHINE_DEFAULT_QUANTUM;
}

/* The line at *@pos into @line (without its newline or a trailing CR), *@pos past it. Return: 0, or -1 (reported). */
static int next_line(struct pctx *p, const char *text, size_t len, size_t *pos, char *line)
{
	size_t n = 0;

	while (*pos < len && text[*pos] != '\n') {
		if (text[*pos] == '\0' || n == MAX_LINE)
			return scn_perr(p, (int)n + 1, text[*pos] ? "line longer than %d characters" : "NUL byte (binary file?)",
					MAX_LINE);
		line[n++] = text[(*pos)++];
	}
	(*pos)++;
	if (n && line[n - 1] == '\r')
		n--;
	line[n] = '\0';
	return 0;
}

int scenario_parse(const char *path, const char *text, size_t len, struct scenario *s, char *err,
		   size_t errlen)
{
	struct pctx *p = calloc(1, sizeof(*p));
	char line[MAX_LINE + 2];
	size_t pos = 0, cap = 0;
	int ret = -1;

	defaults(s);
	if (!p) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	*p = (struct pctx){ .path = path, .err = err, .errlen = errlen, .s = s };
	s->path = strdup(path);
	s->text = malloc(len + 1);
	if (s->text) {
		memcpy(s->text, text, len);
		s->text[len] = '\0';
		s->text_len = len;
	}
	while (pos < len) {
		struct scn_cmd c = { 0 };

		p->line++;
		if (next_line(p, text, len, &pos, line) < 0 || scn_tokenize(p, line) < 0)
			goto out;
		if (p->n == 0)
			continue;
		if (parse_line(p, &c) < 0 || add_cmd(s, &cap, &c) < 0) {
			free(c.str);
			free(c.ext);
			goto out;
		}
	}
	p->line++;
	if (!p->have_arch || s->cfg.nmem == 0) {
		snprintf(err, errlen, "%s:%d:1: the scenario defines no machine: add 'arch' and 'memory' lines",
			 path, p->line);
		goto out;
	}
	ret = 0;
out:
	free(p);
	if (ret < 0)
		scenario_free(s);
	return ret;
}

/* Open a scenario file: a regular file only, so that a FIFO or device is refused, not waited on or read for ever. */
static FILE *open_scenario(const char *path, char *err, size_t errlen)
{
	enum infile_err why;
	uint64_t size;
	FILE *f = infile_open(path, &size, &why);

	if (!f)
		snprintf(err, errlen, "%s: %s", path,
			 why == INFILE_DIR       ? "a directory, not a scenario file"
			 : why == INFILE_SPECIAL ? "not a regular file (a FIFO, socket or device); '-' reads standard input"
						 : strerror(errno));
	return f;
}

int scenario_load(const char *path, struct scenario *s, char *err, size_t errlen)
{
	bool std = strcmp(path, "-") == 0; /* standard input, named <stdin> in messages */
	FILE *f;
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	int ret;

	memset(s, 0, sizeof(*s));
	f = std ? stdin : open_scenario(path, err, errlen);
	if (!f)
		return -1;
	do {
		if (len + 4096 > cap) {
			char *nb = realloc(buf, cap = cap ? cap * 2 : 8192);

			if (!nb || cap > (16u << 20)) {
				free(nb ? nb : buf);
				if (!std)
					fclose(f);
				snprintf(err, errlen, "%s: %s", path, nb ? "larger than 16 MiB" : "out of memory");
				return -1;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	if (ferror(f)) {
		snprintf(err, errlen, "%s: cannot read (is it a directory?)", path);
		if (!std)
			fclose(f);
		free(buf);
		return -1;
	}
	if (!std)
		fclose(f);
	ret = scenario_parse(std ? "<stdin>" : path, buf, len, s, err, errlen);
	free(buf);
	return ret;
}

void scenario_free(struct scenario *s)
{
	size_t i;

	for (i = 0; i < s->ncmds; i++) {
		free(s->cmds[i].str);
		free(s->cmds[i].ext);
	}
	free(s->cmds);
	free(s->path);
	free(s->text);
	memset(s, 0, sizeof(*s));
}
