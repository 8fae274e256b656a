/* SPDX-License-Identifier: MIT */
/*
 * The riscv64 Sstc timer on each vCPU (docs/models/sstc.md), with models/sstc as
 * the comparator.
 *
 * Unicorn 2.0.1 predates Sstc: every access to stimecmp, menvcfg and the
 * other CSRs the model owns is an illegal-instruction exit that the cpu
 * layer hands here as CPU_EXIT_CSR.  The model decides: the access goes
 * ahead (rd gets the old value), or the guest's own handler gets an
 * illegal-instruction trap (scause 2, stval the instruction).
 *
 * Timing, in ticks only: after a write, the level is evaluated at the next
 * instruction boundary (the write's cycle + 1), driven into mip.STIP if it
 * changed, and the comparator's next edge goes on the event queue as the
 * first cycle whose tick count reaches it (vclock_cycle_after: exact for
 * every F/T pair, never earlier, never later).  A stale edge is cancelled
 * when stimecmp is written again.  stimecmp = 2^64 - 1 is a deadline like
 * any other (`stimecmp-max qemu` makes it "off", as QEMU does); an edge
 * beyond 2^64 cycles is never scheduled, and one beyond the run's horizon
 * is not jumped to by an idle machine (machine.c, idle_jump).
 *
 * The firmware (hypsim as M-mode, as OpenSBI does) sets menvcfg.STCE (unless
 * the scenario says `stce off`) and mcounteren.TM, and stops the S timer
 * (stimecmp = 2^64 - 1) before the guest starts: with the reset value 0 a
 * guest would take a timer interrupt as soon as it enabled STIE.
 */
#include <stdlib.h>

#include "binding.h"
#include "firmware.h"
#include "sstc.h"

/* Each vCPU's comparator, the STIP level last driven into its mip, and its pending edge event (0: none). */
struct sstc_vcpu {
	struct sstc sstc;
	bool stip;
	uint64_t ev;
};

extern const struct model_binding sstc_binding;

static struct sstc_vcpu *of(const struct machine *m, const struct vcpu *v)
{
	struct sstc_vcpu *all = machine_model(m, &sstc_binding);

	return &all[v->cpu.index];
}

/* Drive the level at @cycle into mip and put the next edge on the queue. */
static void update(struct machine *m, struct vcpu *v, uint64_t cycle)
{
	struct sstc_vcpu *sv = of(m, v);
	uint64_t ticks = vclock_ticks(&m->clk, cycle), d = 0;
	bool level = sstc_stip(&sv->sstc, ticks), has_next;

	machine_wave(m, v->cpu.index, WAVE_CMP0, sv->sstc.stimecmp, cycle);
	if (level != sv->stip) {
		sv->stip = level;
		machine_wave(m, v->cpu.index, WAVE_TIMER0, level, cycle);
		machine_irq_set(m, v, 5, level, cycle);
		if (machine_count(m, EV_TIMER)) {
			struct tline l;

			tl_begin(&l, EV_TIMER, cycle, v->cpu.index, cpu_pc(&v->cpu));
			tl_u64(&l, "stip", level);
			tl_u64(&l, "ticks", ticks);
			machine_emit(m, &l);
		}
		if (level)
			machine_wake(m, v, cycle);
	}
	has_next = sstc_next_change(&sv->sstc, ticks, &d);
	machine_model_edge(m, &sstc_binding, &sv->ev, v, cycle, has_next, d, 0);
}

static void sstc_boot(struct machine *m, struct vcpu *v)
{
	struct sstc_vcpu *sv = of(m, v);
	bool rv32 = cpu_arch_info(m->cfg.arch)->xlen == 4;

	const struct sstc_setup *cfg = machine_model_config(m, &sstc_binding);

	sstc_reset(&sv->sstc, rv32, false);
	sv->sstc.allones_off = cfg && cfg->qemu_max;
	sv->sstc.absent = m->cfg.sstc_absent;
	sv->stip = false;
	sv->ev = 0;
	if (m->cfg.mmode_fw) { /* the guest's firmware sets STCE and the comparator itself */
		update(m, v, v->cpu.now);
		return;
	}
	if (!m->cfg.stce_off) /* STCE is bit 63: in menvcfgh on RV32 */
		sstc_write(&sv->sstc, false, rv32 ? CSR_MENVCFGH : CSR_MENVCFG,
			   rv32 ? ENVCFG_STCE >> 32 : ENVCFG_STCE);
	sstc_write(&sv->sstc, false, CSR_MCOUNTEREN, COUNTEREN_TM);
	sstc_write(&sv->sstc, false, CSR_STIMECMP, UINT64_MAX);
	if (rv32)
		sstc_write(&sv->sstc, false, CSR_STIMECMPH, UINT32_MAX);
	sv->stip = false;
	sv->ev = 0;
	update(m, v, v->cpu.now);
}

static void sstc_counter_set(struct machine *m)
{
	int i;

	for (i = 0; i < m->cfg.nvcpus; i++)
		update(m, &m->vcpus[i], m->vcpus[i].cpu.now);
}

/* A run-time write of menvcfg.STCE or mcounteren.TM by the firmware (a scenario step). */
void sstc_fw_set_env(struct machine *m, struct vcpu *v, bool stce, bool tm)
{
	struct sstc *s = &of(m, v)->sstc;
	bool rv32 = cpu_arch_info(m->cfg.arch)->xlen == 4;
	uint64_t env = stce ? s->menvcfg | ENVCFG_STCE : s->menvcfg & ~ENVCFG_STCE;

	sstc_write(s, false, rv32 ? CSR_MENVCFGH : CSR_MENVCFG, rv32 ? env >> 32 : env);
	sstc_write(s, false, CSR_MCOUNTEREN, tm ? s->mcounteren | COUNTEREN_TM : s->mcounteren & ~COUNTEREN_TM);
	update(m, v, v->cpu.now);
}

bool sstc_fw_env(struct machine *m, struct vcpu *v, bool *stce, bool *tm)
{
	struct sstc *s;

	if (!machine_model(m, &sstc_binding))
		return false;
	s = &of(m, v)->sstc;
	*stce = (s->menvcfg & ENVCFG_STCE) != 0;
	*tm = (s->mcounteren & COUNTEREN_TM) != 0;
	return true;
}

static void sstc_edge(struct machine *m, const struct event *e)
{
	struct vcpu *v = &m->vcpus[e->vcpu];

	of(m, v)->ev = 0;
	update(m, v, e->time);
}

static enum cpu_action sstc_csr(struct machine *m, struct vcpu *v, struct cpu_exit *e)
{
	struct sstc *s = &of(m, v)->sstc;
	uint16_t csr = e->csr.csr;
	enum sstc_priv priv = e->csr.priv == 0 ? SSTC_PRIV_U : e->csr.priv == 3 ? SSTC_PRIV_M : SSTC_PRIV_S;
	uint64_t ticks = vclock_ticks(&m->clk, e->time), old = 0, val = 0;
	enum sstc_access r;

	if (!sstc_owns(csr)) {
		e->csr.result = CPU_CSR_UNKNOWN;
		return CPU_RESUME;
	}
	if (e->csr.fw) { /* guest firmware: the CPU holds the counter enables */
		s->mcounteren = e->csr.mcounteren;
		s->scounteren = e->csr.scounteren;
	}
	r = sstc_csr_insn(s, priv, false, csr, (enum sstc_op)e->csr.op, e->csr.write, e->csr.src, ticks, &old, &val);
	if (r == SSTC_OK) {
		e->csr.result = CPU_CSR_DONE;
		e->csr.value = old;
	} else {
		e->csr.result = CPU_CSR_TRAP;
		e->csr.cause = (uint32_t)r;
	}
	if (machine_count(m, EV_CSR)) {
		struct tline l;

		tl_begin(&l, EV_CSR, e->time, v->cpu.index, e->pc);
		tl_str(&l, "csr", sstc_csr_name(csr));
		tl_u64(&l, "write", e->csr.write);
		if (r == SSTC_OK) {
			tl_hex(&l, "old", old);
			if (e->csr.write)
				tl_hex(&l, "new", val);
		} else {
			tl_u64(&l, "trap", (uint64_t)r);
		}
		tl_u64(&l, "ticks", ticks);
		machine_trace(m, &l, e->pc);
	}
	if (r == SSTC_OK && e->csr.write)
		update(m, v, e->time + 1);
	return CPU_RESUME;
}

void sstc_fw_set_timer(struct machine *m, struct vcpu *v, uint64_t stime, uint64_t cycle)
{
	struct sstc *s = &of(m, v)->sstc;

	sstc_write(s, false, CSR_STIMECMP, stime);
	if (cpu_arch_info(m->cfg.arch)->xlen == 4)
		sstc_write(s, false, CSR_STIMECMPH, stime >> 32);
	update(m, v, cycle);
}

bool sstc_fw_stimecmp(struct machine *m, struct vcpu *v, uint64_t *value)
{
	if (!machine_model(m, &sstc_binding))
		return false;
	*value = of(m, v)->sstc.stimecmp;
	return true;
}

void sstc_fw_describe(struct machine *m, struct vcpu *v, FILE *f)
{
	struct sstc_vcpu *sv = machine_model(m, &sstc_binding) ? of(m, v) : NULL;

	if (!sv) {
		fprintf(f, "no Sstc comparator on this machine\n");
		return;
	}
	fprintf(f, "time 0x%llx, stimecmp 0x%llx, STIP %d, menvcfg.STCE %d, mcounteren 0x%x\n",
		(unsigned long long)vclock_ticks(&m->clk, v->cpu.now), (unsigned long long)sv->sstc.stimecmp, sv->stip,
		(sv->sstc.menvcfg & ENVCFG_STCE) != 0, sv->sstc.mcounteren);
}

/* Every riscv vCPU has the comparator (the firmware enables it, or not, with STCE). */
static int sstc_attach(struct machine *m)
{
	if (!cpu_arch_is_riscv(m->cfg.arch))
		return 0;
	return machine_attach_per_vcpu(m, &sstc_binding, sizeof(struct sstc_vcpu)) ? 0 : -1;
}

static void sstc_detach(struct machine *m)
{
	free(machine_model(m, &sstc_binding));
}

/* One digest per vCPU, in vCPU order. */
static uint64_t vcpu_digest(const struct machine *m, int i)
{
	return sstc_digest(&of(m, &m->vcpus[i])->sstc);
}

static bool sstc_digest_json(const struct machine *m, char *out, size_t n)
{
	return binding_digest_per_vcpu(m, out, n, vcpu_digest);
}

extern const struct scn_family sstc_family; /* scenario_sstc.c: `sstc` and `expect sstc` */

const struct model_binding sstc_binding = {
	.name = "sstc",
	.family = &sstc_family,
	.attach = sstc_attach,
	.detach = sstc_detach,
	.vcpu_boot = sstc_boot,
	.exits = 1u << CPU_EXIT_CSR,
	.on_exit = sstc_csr,
	.on_event = sstc_edge,
	.counter_set = sstc_counter_set,
	.digest = sstc_digest_json,
};
