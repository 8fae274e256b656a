/* SPDX-License-Identifier: MIT */
/*
 * The serial port and the test (power) device of a riscv64 machine whose
 * M-mode is guest firmware, at QEMU virt's addresses: an NS16550A
 * (models/ns16550, docs/models/ns16550.md) at HYPSIM_NS16550_BASE whose
 * every transmitted byte goes to the machine's console, and the SiFive test
 * device at HYPSIM_SIFIVE_TEST_BASE, through which OpenSBI powers the
 * machine off (its "sifive,test1" reset driver).  The UART's interrupt
 * output is not wired: the machine has no PLIC, and nothing here receives.
 * The `linux` step attaches both when a firmware is given.
 */
#include <stdlib.h>

#include "binding.h"
#include "firmware.h"
#include "ns16550.h"

extern const struct model_binding ns16550_binding;
extern const struct model_binding sifive_test_binding;

static struct ns16550 *of(const struct machine *m)
{
	return machine_model(m, &ns16550_binding);
}

static enum cpu_action ns16550_exit(struct machine *m, struct vcpu *v, struct cpu_exit *e)
{
	uint64_t value = e->watch.value;
	uint8_t tx;
	bool sent = ns16550_access(of(m), e->watch.addr - HYPSIM_NS16550_BASE, e->watch.size, e->watch.write, &value, &tx);

	if (!e->watch.write)
		e->watch.value = value;
	machine_trace_mmio(m, v, e, e->watch.value);
	if (sent)
		machine_console_put(m, (const char *)&tx, 1);
	return CPU_RESUME;
}

static enum cpu_action sifive_test_exit(struct machine *m, struct vcpu *v, struct cpu_exit *e)
{
	int code = 0;
	enum sifive_test_op op = SIFIVE_TEST_NONE;

	if (e->watch.write)
		op = sifive_test_store(e->watch.addr - HYPSIM_SIFIVE_TEST_BASE, e->watch.size, e->watch.value, &code);
	else
		e->watch.value = 0;
	machine_trace_mmio(m, v, e, e->watch.value);
	switch (op) {
	case SIFIVE_TEST_PASS:
		machine_exit(m, v, e->pc, e->time, 0, "sifive-test-pass");
		return CPU_STOP;
	case SIFIVE_TEST_FAIL:
		machine_exit(m, v, e->pc, e->time, code, "sifive-test-fail");
		return CPU_STOP;
	case SIFIVE_TEST_RESET:
		machine_exit(m, v, e->pc, e->time, 0, "sifive-test-reset");
		return CPU_STOP;
	case SIFIVE_TEST_NONE:
		break;
	}
	return CPU_RESUME;
}

int ns16550_fw_attach(struct machine *m)
{
	struct ns16550 *u = calloc(1, sizeof(*u));

	if (!u) {
		snprintf(m->err, sizeof(m->err), "out of memory for the NS16550");
		return -1;
	}
	ns16550_reset(u);
	machine_set_model(m, &ns16550_binding, u);
	machine_attach_stateless(m, &sifive_test_binding);
	if (machine_map_mmio(m, &ns16550_binding, HYPSIM_NS16550_BASE, 0x1000) /* a page: Unicorn maps no less */ < 0)
		return -1;
	return machine_map_mmio(m, &sifive_test_binding, HYPSIM_SIFIVE_TEST_BASE, SIFIVE_TEST_SIZE);
}

static void ns16550_detach(struct machine *m)
{
	free(of(m));
}

static bool ns16550_fw_digest(const struct machine *m, char *out, size_t n)
{
	return binding_digest_hex(out, n, ns16550_digest(of(m)));
}

/* Attached by the `linux` step with a firmware (ns16550_fw_attach()), not at machine creation. */
const struct model_binding ns16550_binding = {
	.name = "ns16550",
	.detach = ns16550_detach,
	.on_exit = ns16550_exit,
	.digest = ns16550_fw_digest,
};

/* Stateless: a store ends the machine or does nothing. */
const struct model_binding sifive_test_binding = {
	.name = "sifive-test",
	.on_exit = sifive_test_exit,
};
