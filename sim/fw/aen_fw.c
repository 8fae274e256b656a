/* SPDX-License-Identifier: MIT */
/*
 * s390x firmware: SIC from real guest code into the AEN model (models/aen).
 * The adapter decoded R1, R3 and the second-operand address; here the
 * operation control (r1 & 0xffff) and ISC ((r3 >> 27) & 7) are taken as QEMU
 * and Linux define them (docs/models/aen.md §1.2), the model performs the operation
 * and decides the condition code, and a "sic" trace line records it.
 */
#include <inttypes.h>

#include <stdlib.h>

#include "aen.h"
#include "binding.h"
#include "firmware.h"

extern const struct model_binding aen_binding;

struct aen *machine_aen(const struct machine *m)
{
	return machine_model(m, &aen_binding);
}

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

void aen_fw_wave(struct machine *m, uint64_t cycle)
{
	struct aen *a = machine_aen(m);
	uint64_t sum = 0;
	int i;

	if (!m->wave || !a)
		return;
	for (i = 0; a->sbv.live && i < 64 && (uint32_t)i < a->sbv.bits; i++)
		if (aen_vec_bit(a, a->sbv.vector, (uint32_t)i) == 1)
			sum |= 1ull << (63 - i);
	machine_wave(m, 0, WAVE_AEN_SUMMARY, sum, cycle);
	for (i = 0; i < AEN_MAX_VMS; i++) {
		int ipm = aen_gisa_byte(a, i, 4);

		machine_wave(m, i, WAVE_AEN_IPM, ipm < 0 ? 0 : (uint64_t)ipm, cycle);
	}
}

static enum cpu_action sic_exit(struct machine *m, struct vcpu *v, struct cpu_exit *e)
{
	uint16_t ctl = (uint16_t)(e->sic.r1 & 0xffff);
	uint8_t isc = (uint8_t)((e->sic.r3 >> 27) & 7);
	int r = aen_fw_sic(machine_aen(m), ctl, isc, e->sic.addr);

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
	aen_fw_wave(m, e->time + 1);
	return CPU_RESUME;
}

/* s390x: the zPCI firmware and KVM's AEN state over the first RAM region, no kernel heap until `aen boot`. */
static int aen_attach(struct machine *m)
{
	struct aen_mem mem = { .host = m->cfg.mem[0].host, .base = m->cfg.mem[0].base, .size = m->cfg.mem[0].size };
	struct aen *a;

	if (m->cfg.arch != CPU_S390X)
		return 0;
	a = calloc(1, sizeof(*a));
	if (!a || aen_boot(a, &mem, AEN_DEFAULT_DEVICES, mem.base, 0) < 0) {
		if (a)
			aen_free(a);
		free(a);
		snprintf(m->err, sizeof(m->err), "cannot set up the AEN model");
		return -1;
	}
	machine_set_model(m, &aen_binding, a);
	return 0;
}

static void aen_detach(struct machine *m)
{
	struct aen *a = machine_aen(m);

	aen_free(a);
	free(a);
}

static bool aen_digest_json(const struct machine *m, char *out, size_t n)
{
	return binding_digest_hex(out, n, aen_digest(machine_aen(m)));
}

extern const struct scn_family aen_family; /* scenario_aen.c: `aen` and `expect aen` */

const struct model_binding aen_binding = {
	.name = "aen",
	.family = &aen_family,
	.attach = aen_attach,
	.detach = aen_detach,
	.exits = 1u << CPU_EXIT_SIC,
	.on_exit = sic_exit,
	.digest = aen_digest_json,
};
