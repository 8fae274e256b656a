/* SPDX-License-Identifier: MIT */
/*
 * s390x firmware: SIC from real guest code into the AEN model (models/aen).
 * The adapter decoded R1, R3 and the second-operand address; here the
 * operation control (r1 & 0xffff) and ISC ((r3 >> 27) & 7) are taken as QEMU
 * and Linux define them (docs/models/aen.md §1.2), the model performs the operation
 * and decides the condition code, and a "sic" trace line records it.
 */
#include <inttypes.h>

#include "aen.h"
#include "firmware.h"

static const char *op_name(uint16_t ctl)
{
	switch (ctl) {
	case SIC_IRQ_MODE_ALL: return "IRQ_MODE_ALL";
	case SIC_IRQ_MODE_SINGLE: return "IRQ_MODE_SINGLE";
	case SIC_SET_AENI_CONTROLS: return "SET_AENI_CONTROLS";
	case SIC_IRQ_MODE_DIRECT: return "IRQ_MODE_DIRECT";
	case SIC_IRQ_MODE_D_ALL: return "IRQ_MODE_D_ALL";
	case SIC_IRQ_MODE_D_SINGLE: return "IRQ_MODE_D_SINGLE";
	case SIC_IRQ_MODE_SET_CPU: return "IRQ_MODE_SET_CPU";
	}
	return "unknown";
}

enum cpu_action aen_fw_sic_exit(struct machine *m, struct vcpu *v, struct cpu_exit *e)
{
	uint16_t ctl = (uint16_t)(e->sic.r1 & 0xffff);
	uint8_t isc = (uint8_t)((e->sic.r3 >> 27) & 7);
	int r = aen_fw_sic(m->aen, ctl, isc, e->sic.addr);

	if (r < 0)
		e->sic.pgm = (uint16_t)-r;
	else
		e->sic.cc = r;
	if (machine_count(m, EV_SIC)) {
		struct tline l;

		tl_begin(&l, EV_SIC, e->time, v->cpu.index, e->pc);
		tl_str(&l, "op", op_name(ctl));
		tl_u64(&l, "ctl", ctl);
		tl_u64(&l, "isc", isc);
		tl_hex(&l, "iib", e->sic.addr);
		if (r < 0)
			tl_hex(&l, "pgm", (uint64_t)-r);
		else
			tl_u64(&l, "cc", (uint64_t)r);
		machine_trace(m, &l, e->pc);
	}
	return CPU_RESUME;
}
