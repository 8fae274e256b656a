/* SPDX-License-Identifier: MIT */
/*
 * The arm64 virtual interrupt controller (models/vic) in front of each
 * vCPU: `inject irq N` makes INTID N pending, the vCPU's virtual IRQ input
 * (HCR_EL2.VI) follows "any pending", and HYPSIM_SIP_IRQ_ACK (firmware.h)
 * acknowledges the lowest pending INTID as a GIC IAR read would.
 */
#include <stdlib.h>

#include "binding.h"
#include "firmware.h"
#include "vic.h"

extern const struct model_binding vic_binding;

static struct vic *of(const struct machine *m, const struct vcpu *v)
{
	struct vic *all = machine_model(m, &vic_binding);

	return all ? &all[v->cpu.index] : NULL;
}

uint64_t vic_fw_ack(struct machine *m, struct vcpu *v)
{
	struct vic *c = of(m, v);
	unsigned intid = c ? vic_ack(c) : VIC_SPURIOUS;

	if (c && !vic_output(c))
		cpu_irq_set(&v->cpu, 0, false);
	return intid;
}

static bool vic_line(struct machine *m, struct vcpu *v, unsigned line, bool level)
{
	return vic_set(of(m, v), line, level);
}

static int vic_attach(struct machine *m)
{
	if (m->cfg.arch != CPU_ARM64)
		return 0;
	return machine_attach_per_vcpu(m, &vic_binding, sizeof(struct vic)) ? 0 : -1;
}

static void vic_detach(struct machine *m)
{
	free(machine_model(m, &vic_binding));
}

const struct model_binding vic_binding = {
	.name = "vic",
	.attach = vic_attach,
	.detach = vic_detach,
	.irq_line = vic_line,
};
