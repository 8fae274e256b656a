/* SPDX-License-Identifier: MIT */
/*
 * The GICv3 (models/gicv3, docs/models/gicv3.md) on every arm64 machine:
 * the distributor at HYPSIM_GICD_BASE and one redistributor per vCPU from
 * HYPSIM_GICR_BASE (QEMU virt's layout), both as MMIO; the CPU interface
 * through the ICC_* system registers (MRS/MSR exits); ID_AA64PFR0_EL1.GIC
 * reads 1 (system-register interface present).
 *
 * Each vCPU's IRQ and FIQ inputs (HCR_EL2.VI/VF) follow gicv3_outputs()
 * after every change; a vCPU in WFI wakes when one rises.  A scenario's
 * `inject irq N` makes INTID N pending as a write to GICD_ISPENDR (an SPI,
 * wherever GICD_IROUTER sends it) or to the vCPU's GICR_ISPENDR0 (an SGI or
 * PPI) would, and `clear irq N` clears it as ICPENDR does.  Models with a
 * wired line (the generic timer's PPIs) drive it with gic_fw_set_level().
 */
#include <stdlib.h>

#include "binding.h"
#include "firmware.h"
#include "gicv3.h"

extern const struct model_binding gic_binding;

/* The model and the inputs last driven into each vCPU. */
struct gic_state {
	struct gicv3 gic;
	uint8_t out[GIC_MAX_CPUS];
};

static const char *const gic_kinds[] = { "gic", NULL };

static struct gic_state *of(const struct machine *m)
{
	return machine_model(m, &gic_binding);
}

/* Drive every vCPU's inputs from the model; a rising input wakes an idle vCPU at @when. */
static void update(struct machine *m, uint64_t when)
{
	struct gic_state *s = of(m);
	int i;

	for (i = 0; i < m->cfg.nvcpus; i++) {
		unsigned out = gicv3_outputs(&s->gic, i), changed = out ^ s->out[i];

		if (m->wave) {
			machine_wave(m, i, WAVE_PENDING, gicv3_redist_access(&s->gic, i, 0x10200, 4, 0, false), when);
			machine_wave(m, i, WAVE_ENABLED, gicv3_redist_access(&s->gic, i, 0x10100, 4, 0, false), when);
		}
		if (!changed)
			continue;
		s->out[i] = (uint8_t)out;
		if (changed & GIC_OUT_IRQ)
			machine_irq_set(m, &m->vcpus[i], CPU_ARM64_IRQ, out & GIC_OUT_IRQ, when);
		if (changed & GIC_OUT_FIQ)
			machine_irq_set(m, &m->vcpus[i], CPU_ARM64_FIQ, out & GIC_OUT_FIQ, when);
		if (changed & out)
			machine_wake(m, &m->vcpus[i], when);
	}
}

void gic_fw_set_level(struct machine *m, struct vcpu *v, unsigned intid, bool level, uint64_t when)
{
	struct gic_state *s = of(m);

	if (!s)
		return;
	gicv3_set_level(&s->gic, v->cpu.index, intid, level);
	update(m, when);
}

/* `inject irq` / `clear irq`: the INTID's pending latch. Return: the vCPU's IRQ input. */
static bool gic_line(struct machine *m, struct vcpu *v, unsigned intid, bool level, uint64_t when)
{
	struct gic_state *s = of(m);

	gicv3_set_pending(&s->gic, v->cpu.index, intid, level);
	update(m, when);
	return s->out[v->cpu.index] & GIC_OUT_IRQ;
}

static void trace_icc(struct machine *m, struct vcpu *v, const struct cpu_exit *e, enum gic_icc reg, uint64_t val)
{
	struct tline l;
	int kind = reg == ICC_IAR1 || reg == ICC_IAR0 ? EV_IRQ_ACK : machine_trace_kind(&gic_binding, 0);

	if (!machine_count(m, kind))
		return;
	tl_begin(&l, kind, e->time, v->cpu.index, e->pc);
	if (kind == EV_IRQ_ACK) {
		tl_u64(&l, "intid", val);
	} else {
		tl_str(&l, "reg", gicv3_icc_name(reg));
		tl_u64(&l, "write", e->sysreg.write);
		tl_hex(&l, "value", val);
	}
	machine_trace(m, &l, e->pc);
}

/* An MRS/MSR: the CPU interface, or ID_AA64PFR0_EL1.  EL0 and wrong-direction accesses stay UNDEFINED. */
static enum cpu_action gic_sysreg(struct machine *m, struct vcpu *v, struct cpu_exit *e)
{
	struct gic_state *s = of(m);
	enum gic_icc reg;

	if (e->sysreg.crn == 0) { /* ID_AA64PFR0_EL1.GIC, bits [27:24]: 1, GICv3 system registers */
		e->sysreg.value = (e->sysreg.value & ~(0xfull << 24)) | (1ull << 24);
		e->sysreg.result = CPU_SYSREG_DONE;
		return CPU_RESUME;
	}
	reg = gicv3_icc_from_enc(e->sysreg.op0, e->sysreg.op1, e->sysreg.crn, e->sysreg.crm, e->sysreg.op2);
	if (reg == ICC_NREGS || e->sysreg.el == 0 ||
	    !(e->sysreg.write ? gicv3_icc_writable(reg) : gicv3_icc_readable(reg)))
		return CPU_RESUME; /* CPU_SYSREG_NATIVE: Unicorn knows no ICC_* register, so UNDEFINED */
	if (e->sysreg.write)
		gicv3_icc_write(&s->gic, v->cpu.index, reg, e->sysreg.value);
	else
		e->sysreg.value = gicv3_icc_read(&s->gic, v->cpu.index, reg);
	e->sysreg.result = CPU_SYSREG_DONE;
	trace_icc(m, v, e, reg, e->sysreg.value);
	/* the access retired at e->time: a newly signalled interrupt is taken before the next instruction */
	update(m, e->time + 1);
	return CPU_RESUME;
}

static enum cpu_action gic_mmio(struct machine *m, struct vcpu *v, struct cpu_exit *e)
{
	struct gic_state *s = of(m);
	uint64_t a = e->watch.addr, val;

	if (a - HYPSIM_GICD_BASE < GICD_SIZE)
		val = gicv3_dist_access(&s->gic, a - HYPSIM_GICD_BASE, e->watch.size, e->watch.value, e->watch.write);
	else
		val = gicv3_redist_access(&s->gic, (int)((a - HYPSIM_GICR_BASE) / GICR_STRIDE),
					  (a - HYPSIM_GICR_BASE) % GICR_STRIDE, e->watch.size, e->watch.value,
					  e->watch.write);
	if (!e->watch.write)
		e->watch.value = val;
	machine_trace_mmio(m, v, e, e->watch.value);
	if (e->watch.write)
		update(m, e->time + 1);
	return CPU_RESUME;
}

static enum cpu_action gic_exit(struct machine *m, struct vcpu *v, struct cpu_exit *e)
{
	return e->kind == CPU_EXIT_MMIO ? gic_mmio(m, v, e) : gic_sysreg(m, v, e);
}

static bool overlaps_memory(const struct machine *m, uint64_t base, uint64_t size)
{
	int i;

	for (i = 0; i < m->cfg.nmem; i++)
		if (base < m->cfg.mem[i].base + m->cfg.mem[i].size && m->cfg.mem[i].base < base + size)
			return true;
	return false;
}

static int gic_attach(struct machine *m)
{
	struct gic_state *s;
	uint64_t rsize = (uint64_t)m->cfg.nvcpus * GICR_STRIDE;

	if (m->cfg.arch != CPU_ARM64)
		return 0;
	if (overlaps_memory(m, HYPSIM_GICD_BASE, GICD_SIZE) || overlaps_memory(m, HYPSIM_GICR_BASE, rsize)) {
		snprintf(m->err, sizeof(m->err),
			 "memory overlaps the GIC (distributor 0x%llx-0x%llx, redistributors 0x%llx-0x%llx)",
			 (unsigned long long)HYPSIM_GICD_BASE, (unsigned long long)(HYPSIM_GICD_BASE + GICD_SIZE - 1),
			 (unsigned long long)HYPSIM_GICR_BASE, (unsigned long long)(HYPSIM_GICR_BASE + rsize - 1));
		return -1;
	}
	if (!(s = calloc(1, sizeof(*s)))) {
		snprintf(m->err, sizeof(m->err), "out of memory for the GIC");
		return -1;
	}
	gicv3_reset(&s->gic, m->cfg.nvcpus);
	machine_set_model(m, &gic_binding, s);
	if (machine_map_mmio(m, &gic_binding, HYPSIM_GICD_BASE, GICD_SIZE) < 0 ||
	    machine_map_mmio(m, &gic_binding, HYPSIM_GICR_BASE, rsize) < 0)
		return -1;
	return 0;
}

static void gic_detach(struct machine *m)
{
	free(of(m));
}

static bool gic_digest(const struct machine *m, char *out, size_t n)
{
	return binding_digest_hex(out, n, gicv3_digest(&of(m)->gic));
}

const struct model_binding gic_binding = {
	.name = "gic",
	.attach = gic_attach,
	.detach = gic_detach,
	.exits = 1u << CPU_EXIT_SYSREG,
	.on_exit = gic_exit,
	.irq_line = gic_line,
	.digest = gic_digest,
	.trace_kinds = gic_kinds,
};
