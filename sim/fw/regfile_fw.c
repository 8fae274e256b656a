/* SPDX-License-Identifier: MIT */
/*
 * The scenario's `device BASE SIZE` regions (models/regfile): each a
 * register file behind an MMIO mapping on every vCPU.  Every access is an
 * `mmio` trace event; a load returns what the bytes hold.
 */
#include <stdlib.h>

#include "binding.h"
#include "firmware.h"
#include "regfile.h"

extern const struct model_binding regfile_binding;

struct regfiles {
	int n;
	struct regfile rf[CPU_MAX_DEVICES];
};

static enum cpu_action regfile_mmio(struct machine *m, struct vcpu *v, struct cpu_exit *e)
{
	struct regfiles *d = machine_model(m, &regfile_binding);
	uint64_t value = e->watch.value;
	int i;

	for (i = 0; i < d->n; i++)
		if (e->watch.addr - m->cfg.dev[i].base < m->cfg.dev[i].size)
			break;
	if (i == d->n)
		return CPU_RESUME;
	regfile_access(&d->rf[i], e->watch.addr - m->cfg.dev[i].base, &e->watch.size, e->watch.write, &value);
	if (!e->watch.write)
		e->watch.value = value;
	machine_trace_mmio(m, v, e, value);
	return CPU_RESUME;
}

static void regfile_detach(struct machine *m)
{
	struct regfiles *d = machine_model(m, &regfile_binding);
	int i;

	for (i = 0; i < d->n; i++)
		regfile_free(&d->rf[i]);
	free(d);
}

static int regfile_attach(struct machine *m)
{
	struct regfiles *d;
	int i;

	if (!m->cfg.ndev)
		return 0;
	if (!(d = calloc(1, sizeof(*d)))) {
		snprintf(m->err, sizeof(m->err), "out of memory");
		return -1;
	}
	machine_set_model(m, &regfile_binding, d);
	for (; d->n < m->cfg.ndev; d->n++)
		if (regfile_init(&d->rf[d->n], m->cfg.dev[d->n].size) < 0) {
			snprintf(m->err, sizeof(m->err), "out of memory for a device region");
			return -1;
		}
	for (i = 0; i < m->cfg.ndev; i++)
		if (machine_map_mmio(m, &regfile_binding, m->cfg.dev[i].base, m->cfg.dev[i].size) < 0)
			return -1;
	return 0;
}

const struct model_binding regfile_binding = {
	.name = "regfile",
	.attach = regfile_attach,
	.detach = regfile_detach,
	.on_exit = regfile_mmio,
};
