/* SPDX-License-Identifier: MIT */
/*
 * The Arm generic timer (models/gtimer, docs/models/gtimer.md) on each arm64
 * vCPU: the EL1 physical timer on PPI 30 and the virtual timer on PPI 27
 * (the Server Base System Architecture's INTIDs, as QEMU virt and Linux's
 * arm_arch_timer use), level-sensitive lines into the GIC.
 *
 * Unicorn's own timer registers read host time and never fire: every MRS
 * and MSR of CNTFRQ_EL0, CNTPCT_EL0, CNTVCT_EL0, CNTKCTL_EL1 and the
 * CNTP_* / CNTV_* registers is a CPU_EXIT_SYSREG served here.  An EL0
 * access CNTKCTL_EL1 refuses is left to the CPU, whose own CNTKCTL_EL1
 * stays 0, so it traps to EL1 with EC 0x18 as the architecture says.
 * CNTVOFF_EL2 belongs to EL2 (the simulator): the scenario sets it with
 * `gtimer cntvoff N`.
 *
 * Timing, in ticks only, as for Sstc: after a write the levels are
 * evaluated at the next instruction boundary (the write's cycle + 1), and
 * each timer's next level change goes on the event queue at the first cycle
 * whose tick count reaches it (vclock_cycle_after(): exact for every
 * cpu-freq/timebase pair).
 */
#include <stdlib.h>

#include "binding.h"
#include "firmware.h"
#include "gtimer.h"
#include "scenario_internal.h"

#define PPI_CNTP 30u
#define PPI_CNTV 27u

struct gtimer_vcpu {
	struct gtimer g;
	bool level[GT_NTIMERS];
	bool istatus[GT_NTIMERS]; /* as last reported to a waveform */
	uint64_t ev[GT_NTIMERS];
};

struct gtimer_setup {
	uint64_t cntvoff;
};

extern const struct model_binding gtimer_binding;

static struct gtimer_vcpu *of(const struct machine *m, const struct vcpu *v)
{
	struct gtimer_vcpu *all = machine_model(m, &gtimer_binding);

	return &all[v->cpu.index];
}

static void trace_level(struct machine *m, struct vcpu *v, enum gt_timer t, bool level, uint64_t cycle,
			uint64_t ticks)
{
	struct tline l;

	if (!machine_count(m, EV_TIMER))
		return;
	tl_begin(&l, EV_TIMER, cycle, v->cpu.index, cpu_pc(&v->cpu));
	tl_str(&l, "timer", t == GT_PHYS ? "phys" : "virt");
	tl_u64(&l, "level", level);
	tl_u64(&l, "ticks", ticks);
	machine_emit(m, &l);
}

/*
 * The ticks to the timer's next change: of its interrupt line, and with a
 * waveform attached also of ISTATUS, which changes while IMASK holds the line
 * low (reported here; the extra event changes nothing else).
 */
static bool next_change(struct machine *m, struct vcpu *v, enum gt_timer t, uint64_t ticks, uint64_t cycle,
			uint64_t *d)
{
	struct gtimer_vcpu *gv = of(m, v);
	struct gtimer unmasked;
	bool istatus;

	if (!m->wave)
		return gtimer_next_change(&gv->g, t, ticks, d);
	istatus = (gv->g.ctl[t] & GT_CTL_ENABLE) && gtimer_met(&gv->g, t, ticks);
	if (istatus != gv->istatus[t]) {
		gv->istatus[t] = istatus;
		machine_wave(m, v->cpu.index, t == GT_PHYS ? WAVE_ISTATUS0 : WAVE_ISTATUS1, istatus, cycle);
	}
	unmasked = gv->g;
	unmasked.ctl[t] &= ~GT_CTL_IMASK;
	return gtimer_next_change(&unmasked, t, ticks, d);
}

/* Drive timer @t's level at @cycle into the GIC and put its next change on the queue. */
static void update(struct machine *m, struct vcpu *v, enum gt_timer t, uint64_t cycle)
{
	struct gtimer_vcpu *gv = of(m, v);
	uint64_t ticks = vclock_ticks(&m->clk, cycle), d = 0;
	bool level = gtimer_level(&gv->g, t, ticks), has_next;

	machine_wave(m, v->cpu.index, t == GT_PHYS ? WAVE_CMP0 : WAVE_CMP1, gv->g.cval[t], cycle);
	if (level != gv->level[t]) {
		gv->level[t] = level;
		machine_wave(m, v->cpu.index, t == GT_PHYS ? WAVE_TIMER0 : WAVE_TIMER1, level, cycle);
		trace_level(m, v, t, level, cycle, ticks);
		gic_fw_set_level(m, v, t == GT_PHYS ? PPI_CNTP : PPI_CNTV, level, cycle);
	}
	has_next = next_change(m, v, t, ticks, cycle, &d);
	machine_model_edge(m, &gtimer_binding, &gv->ev[t], v, cycle, has_next, d, (uint64_t)t);
}

static void gtimer_boot(struct machine *m, struct vcpu *v)
{
	struct gtimer_vcpu *gv = of(m, v);
	const struct gtimer_setup *cfg = machine_model_config(m, &gtimer_binding);

	gtimer_reset(&gv->g, m->clk.timebase_hz & 0xffffffffu); /* CNTFRQ_EL0 bits [31:0] */
	if (cfg)
		gv->g.cntvoff = cfg->cntvoff;
	gv->level[GT_PHYS] = gv->level[GT_VIRT] = false;
	gv->istatus[GT_PHYS] = gv->istatus[GT_VIRT] = false;
	update(m, v, GT_PHYS, v->cpu.now);
	update(m, v, GT_VIRT, v->cpu.now);
}

static void gtimer_counter_set(struct machine *m)
{
	int i;

	for (i = 0; i < m->cfg.nvcpus; i++) {
		update(m, &m->vcpus[i], GT_PHYS, m->vcpus[i].cpu.now);
		update(m, &m->vcpus[i], GT_VIRT, m->vcpus[i].cpu.now);
	}
}

static void gtimer_edge(struct machine *m, const struct event *e)
{
	struct vcpu *v = &m->vcpus[e->vcpu];
	enum gt_timer t = e->arg[0] ? GT_VIRT : GT_PHYS;

	of(m, v)->ev[t] = 0;
	update(m, v, t, e->time);
}

/* The model's name for an MRS/MSR encoding in CRn 14, or GT_NREGS. */
static enum gt_reg decode(const struct cpu_exit *e)
{
	unsigned op1 = e->sysreg.op1, crm = e->sysreg.crm, op2 = e->sysreg.op2;

	if (e->sysreg.op0 != 3 || e->sysreg.crn != 14)
		return GT_NREGS;
	if (op1 == 0 && crm == 1 && op2 == 0)
		return GT_CNTKCTL;
	if (op1 != 3)
		return GT_NREGS; /* CNTVOFF_EL2 and the EL2 timers: UNDEFINED at EL1 */
	if (crm == 0 && op2 <= 2)
		return (enum gt_reg[]){ GT_CNTFRQ, GT_CNTPCT, GT_CNTVCT }[op2];
	if (crm == 2 && op2 <= 2)
		return (enum gt_reg[]){ GT_CNTP_TVAL, GT_CNTP_CTL, GT_CNTP_CVAL }[op2];
	if (crm == 3 && op2 <= 2)
		return (enum gt_reg[]){ GT_CNTV_TVAL, GT_CNTV_CTL, GT_CNTV_CVAL }[op2];
	return GT_NREGS;
}

static const char *const reg_names[GT_NREGS] = {
	[GT_CNTFRQ] = "CNTFRQ_EL0",     [GT_CNTPCT] = "CNTPCT_EL0",     [GT_CNTVCT] = "CNTVCT_EL0",
	[GT_CNTKCTL] = "CNTKCTL_EL1",   [GT_CNTVOFF] = "CNTVOFF_EL2",   [GT_CNTP_CTL] = "CNTP_CTL_EL0",
	[GT_CNTP_CVAL] = "CNTP_CVAL_EL0", [GT_CNTP_TVAL] = "CNTP_TVAL_EL0", [GT_CNTV_CTL] = "CNTV_CTL_EL0",
	[GT_CNTV_CVAL] = "CNTV_CVAL_EL0", [GT_CNTV_TVAL] = "CNTV_TVAL_EL0",
};

static const char *const gtimer_kinds[] = { "gtimer", NULL };

static void trace_access(struct machine *m, struct vcpu *v, const struct cpu_exit *e, enum gt_reg r, uint64_t ticks)
{
	int kind = machine_trace_kind(&gtimer_binding, 0);
	struct tline l;

	if (r == GT_CNTPCT || r == GT_CNTVCT || r == GT_CNTFRQ) { /* the counters keep their `counter` event */
		machine_trace_counter(m, v, e->time, e->pc,
				      r == GT_CNTPCT ? CPU_CNT_PHYSICAL : r == GT_CNTVCT ? CPU_CNT_VIRTUAL : CPU_CNT_FREQ,
				      e->sysreg.value);
		return;
	}
	if (!machine_count(m, kind))
		return;
	tl_begin(&l, kind, e->time, v->cpu.index, e->pc);
	tl_str(&l, "reg", reg_names[r]);
	tl_u64(&l, "write", e->sysreg.write);
	tl_hex(&l, "value", e->sysreg.value);
	tl_u64(&l, "ticks", ticks);
	machine_trace(m, &l, e->pc);
}

static enum cpu_action gtimer_sysreg(struct machine *m, struct vcpu *v, struct cpu_exit *e)
{
	struct gtimer_vcpu *gv = of(m, v);
	enum gt_reg r = decode(e);
	uint64_t ticks = vclock_ticks(&m->clk, e->time);

	if (r == GT_NREGS || (e->sysreg.el == 0 && (r == GT_CNTKCTL || !gtimer_el0_ok(&gv->g, r))))
		return CPU_RESUME; /* CPU_SYSREG_NATIVE: the CPU undefines or traps it */
	if (e->sysreg.write) {
		if (!gtimer_write(&gv->g, r, e->sysreg.value, ticks))
			return CPU_RESUME; /* a read-only register: the CPU decides */
	} else {
		e->sysreg.value = gtimer_read(&gv->g, r, ticks);
	}
	e->sysreg.result = CPU_SYSREG_DONE;
	trace_access(m, v, e, r, ticks);
	if (e->sysreg.write) {
		update(m, v, GT_PHYS, e->time + 1);
		update(m, v, GT_VIRT, e->time + 1);
	}
	return CPU_RESUME;
}

bool gtimer_fw_reg(struct machine *m, struct vcpu *v, int gt_reg, uint64_t *value)
{
	if (!machine_model(m, &gtimer_binding) || gt_reg < 0 || gt_reg >= GT_NREGS)
		return false;
	*value = gtimer_read(&of(m, v)->g, (enum gt_reg)gt_reg, vclock_ticks(&m->clk, v->cpu.now));
	return true;
}

void gtimer_fw_describe(struct machine *m, struct vcpu *v, FILE *f)
{
	struct gtimer_vcpu *gv = machine_model(m, &gtimer_binding) ? of(m, v) : NULL;
	uint64_t ticks = vclock_ticks(&m->clk, v->cpu.now);
	int t;

	if (!gv) {
		fprintf(f, "no generic timer on this machine\n");
		return;
	}
	fprintf(f, "CNTPCT 0x%llx, CNTVOFF 0x%llx, CNTKCTL 0x%x, CNTFRQ %llu\n", (unsigned long long)ticks,
		(unsigned long long)gv->g.cntvoff, gv->g.cntkctl, (unsigned long long)gv->g.cntfrq);
	for (t = 0; t < GT_NTIMERS; t++)
		fprintf(f, "%s: CTL 0x%llx, CVAL 0x%llx, count 0x%llx, line %d (PPI %u)\n", t == GT_PHYS ? "CNTP" : "CNTV",
			(unsigned long long)gtimer_read(&gv->g, t == GT_PHYS ? GT_CNTP_CTL : GT_CNTV_CTL, ticks),
			(unsigned long long)gv->g.cval[t], (unsigned long long)gtimer_count(&gv->g, (enum gt_timer)t, ticks),
			gv->level[t], t == GT_PHYS ? PPI_CNTP : PPI_CNTV);
}

static int gtimer_attach(struct machine *m)
{
	if (m->cfg.arch != CPU_ARM64)
		return 0;
	return machine_attach_per_vcpu(m, &gtimer_binding, sizeof(struct gtimer_vcpu)) ? 0 : -1;
}

static void gtimer_detach(struct machine *m)
{
	free(machine_model(m, &gtimer_binding));
}

static uint64_t vcpu_digest(const struct machine *m, int i)
{
	return gtimer_digest(&of(m, &m->vcpus[i])->g);
}

static bool gtimer_digest_json(const struct machine *m, char *out, size_t n)
{
	return binding_digest_per_vcpu(m, out, n, vcpu_digest);
}

/* ---- `gtimer cntvoff N`: the setup line ----------------------------------------------------- */

static int parse_setup(struct pctx *p, struct scn_cmd *c)
{
	struct gtimer_setup *t = scn_typed(p, c, sizeof(*t));

	if (!t)
		return -1;
	if (p->s->cfg.arch != CPU_ARM64)
		return scn_perr(p, c->col, "'gtimer' needs 'arch arm64' before it");
	if (scn_expect_word(p, "cntvoff") < 0 || scn_number(p, "CNTVOFF_EL2", &t->cntvoff) < 0)
		return -1;
	return scn_no_more(p);
}

static const struct scn_family gtimer_family = {
	.setup = "gtimer",
	.parse_setup = parse_setup,
};

const struct model_binding gtimer_binding = {
	.name = "gtimer",
	.family = &gtimer_family,
	.attach = gtimer_attach,
	.detach = gtimer_detach,
	.vcpu_boot = gtimer_boot,
	.exits = 1u << CPU_EXIT_SYSREG,
	.on_exit = gtimer_sysreg,
	.on_event = gtimer_edge,
	.counter_set = gtimer_counter_set,
	.digest = gtimer_digest_json,
	.trace_kinds = gtimer_kinds,
};
