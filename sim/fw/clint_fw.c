/* SPDX-License-Identifier: MIT */
/*
 * The CLINT (models/clint, docs/models/clint.md) of a riscv64 machine whose
 * M-mode is guest firmware: its registers at HYPSIM_CLINT_BASE as MMIO
 * (QEMU virt's address), hart h's MSIP and MTIP driven into that hart's mip
 * (bits 3 and 7), and each MTIP edge on the event queue as the first cycle
 * whose tick count reaches it, exactly as the Sstc comparator's
 * (sstc_fw.c).  mtime is the machine's counter: a store to it sets the
 * counter (machine_set_counter_at()).  The `linux` step attaches it when a
 * firmware is given (clint_fw_attach()).
 */
#include <stdlib.h>

#include "binding.h"
#include "clint.h"
#include "firmware.h"

#define IRQ_MSI 3
#define IRQ_MTI 7

extern const struct model_binding clint_binding;

struct clint_state {
	struct clint c;
	bool msip[CLINT_MAX_HARTS], mtip[CLINT_MAX_HARTS]; /* the levels last driven */
	uint64_t ev[CLINT_MAX_HARTS];                       /* pending MTIP edge events (0: none) */
};

static struct clint_state *of(const struct machine *m)
{
	return machine_model(m, &clint_binding);
}

static void drive(struct machine *m, struct vcpu *v, unsigned line, bool level, uint64_t cycle, uint64_t ticks, uint64_t pc)
{
	machine_irq_set(m, v, line, level, cycle);
	if (line == IRQ_MTI && machine_count(m, EV_TIMER)) {
		struct tline l;

		tl_begin(&l, EV_TIMER, cycle, v->cpu.index, pc);
		tl_u64(&l, "mtip", level);
		tl_u64(&l, "ticks", ticks);
		machine_emit(m, &l);
	}
	if (level)
		machine_wake(m, v, cycle);
}

/*
 * Drive hart @h's MSIP and MTIP as they are at @cycle, and queue its next
 * MTIP edge.  @pc: the instruction that caused it (a store), else ~0 for
 * the hart's own PC (at a block boundary).
 */
static void update(struct machine *m, unsigned h, uint64_t cycle, uint64_t pc)
{
	struct clint_state *s = of(m);
	struct vcpu *v = &m->vcpus[h];
	uint64_t ticks = vclock_ticks(&m->clk, cycle), d = 0;
	bool msip = clint_msip(&s->c, h), mtip = clint_mtip(&s->c, h, ticks), has_next;

	if (pc == ~0ull)
		pc = cpu_pc(&v->cpu);

	if (msip != s->msip[h]) {
		s->msip[h] = msip;
		drive(m, v, IRQ_MSI, msip, cycle, ticks, pc);
	}
	if (mtip != s->mtip[h]) {
		s->mtip[h] = mtip;
		drive(m, v, IRQ_MTI, mtip, cycle, ticks, pc);
	}
	has_next = clint_next_change(&s->c, h, ticks, &d);
	machine_model_edge(m, &clint_binding, &s->ev[h], v, cycle, has_next, d, 0);
}

static enum cpu_action clint_exit(struct machine *m, struct vcpu *v, struct cpu_exit *e)
{
	struct clint_state *s = of(m);
	uint64_t value = e->watch.value, ticks = vclock_ticks(&m->clk, e->time);
	int hart;
	enum clint_result r = clint_access(&s->c, e->watch.addr - HYPSIM_CLINT_BASE, e->watch.size, e->watch.write,
					   &value, ticks, &hart);

	if (!e->watch.write)
		e->watch.value = value;
	machine_trace_mmio(m, v, e, e->watch.value);
	if (r == CLINT_SET_MTIME) {
		machine_set_counter_at(m, e->time + 1, value); /* counter_set re-evaluates every hart */
		return CPU_RESUME;
	}
	if (hart >= 0) /* the store retired at e->time: the new level holds from the next instruction */
		update(m, (unsigned)hart, e->time + 1, e->pc);
	return CPU_RESUME;
}

static void clint_counter_set(struct machine *m)
{
	unsigned h;

	for (h = 0; h < of(m)->c.nharts; h++)
		update(m, h, m->vcpus[h].cpu.now, ~0ull);
}

static void clint_edge(struct machine *m, const struct event *e)
{
	of(m)->ev[e->vcpu] = 0;
	update(m, (unsigned)e->vcpu, e->time, ~0ull);
}

static void clint_vcpu_boot(struct machine *m, struct vcpu *v)
{
	update(m, (unsigned)v->cpu.index, v->cpu.now, ~0ull);
}

int clint_fw_attach(struct machine *m)
{
	struct clint_state *s = calloc(1, sizeof(*s));

	if (!s) {
		snprintf(m->err, sizeof(m->err), "out of memory for the CLINT");
		return -1;
	}
	clint_reset(&s->c, (unsigned)m->cfg.nvcpus);
	machine_set_model(m, &clint_binding, s);
	return machine_map_mmio(m, &clint_binding, HYPSIM_CLINT_BASE, CLINT_SIZE);
}

static void clint_detach(struct machine *m)
{
	free(of(m));
}

static bool clint_fw_digest(const struct machine *m, char *out, size_t n)
{
	return binding_digest_hex(out, n, clint_digest(&of(m)->c));
}

/* Attached by the `linux` step with a firmware (clint_fw_attach()), not at machine creation. */
const struct model_binding clint_binding = {
	.name = "clint",
	.detach = clint_detach,
	.vcpu_boot = clint_vcpu_boot,
	.on_exit = clint_exit,
	.on_event = clint_edge,
	.counter_set = clint_counter_set,
	.digest = clint_fw_digest,
};
