/* SPDX-License-Identifier: MIT */
/*
 * The PL011 UART (models/pl011, docs/models/pl011.md) on an arm64 machine
 * that boots Linux: its registers at HYPSIM_PL011_BASE as MMIO (QEMU virt's
 * address), its interrupt output on SPI HYPSIM_PL011_SPI of the GICv3, and
 * every byte it transmits on the machine's console.  The `linux` step
 * attaches it (pl011_fw_attach()) and leaves it as a boot firmware would:
 * enabled, 115200 baud from its 24 MHz clock, 8N1 with FIFOs.
 */
#include <stdlib.h>

#include "binding.h"
#include "firmware.h"
#include "pl011.h"

extern const struct model_binding pl011_binding;

struct pl011_state {
	struct pl011 u;
	bool irq; /* the level last driven into the GIC */
};

static struct pl011_state *of(const struct machine *m)
{
	return machine_model(m, &pl011_binding);
}

static enum cpu_action pl011_exit(struct machine *m, struct vcpu *v, struct cpu_exit *e)
{
	struct pl011_state *s = of(m);
	uint8_t tx[PL011_FIFO];
	uint64_t value = e->watch.value;
	unsigned n = pl011_access(&s->u, e->watch.addr - HYPSIM_PL011_BASE, e->watch.size, e->watch.write, &value, tx);

	if (!e->watch.write)
		e->watch.value = value;
	machine_trace_mmio(m, v, e, e->watch.value);
	if (n)
		machine_console_put(m, (const char *)tx, n);
	if (pl011_irq(&s->u) != s->irq) {
		s->irq = pl011_irq(&s->u);
		/* the access retired at e->time: a raised line is taken before the next instruction */
		gic_fw_set_level(m, &m->vcpus[0], HYPSIM_PL011_SPI, s->irq, e->time + 1);
	}
	return CPU_RESUME;
}

int pl011_fw_attach(struct machine *m)
{
	struct pl011_state *s = calloc(1, sizeof(*s));
	uint64_t cr = PL011_CR_UARTEN | PL011_CR_TXE | PL011_CR_RXE, lcr = PL011_LCRH_FEN | PL011_LCRH_WLEN8;
	uint64_t ibrd = 13, fbrd = 1; /* 24 MHz / (16 * 115200) = 13.02: 13 + 1/64 */
	uint8_t none[PL011_FIFO];

	if (!s) {
		snprintf(m->err, sizeof(m->err), "out of memory for the PL011");
		return -1;
	}
	pl011_reset(&s->u);
	pl011_access(&s->u, 0x024, 4, true, &ibrd, none);
	pl011_access(&s->u, 0x028, 4, true, &fbrd, none);
	pl011_access(&s->u, 0x02c, 4, true, &lcr, none);
	pl011_access(&s->u, 0x030, 4, true, &cr, none);
	machine_set_model(m, &pl011_binding, s);
	return machine_map_mmio(m, &pl011_binding, HYPSIM_PL011_BASE, PL011_SIZE);
}

static void pl011_detach(struct machine *m)
{
	free(of(m));
}

static bool pl011_fw_digest(const struct machine *m, char *out, size_t n)
{
	return binding_digest_hex(out, n, pl011_digest(&of(m)->u));
}

/* Attached by the `linux` step on arm64 (pl011_fw_attach()), not at machine creation. */
const struct model_binding pl011_binding = {
	.name = "pl011",
	.detach = pl011_detach,
	.on_exit = pl011_exit,
	.digest = pl011_fw_digest,
};
