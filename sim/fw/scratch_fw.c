/* SPDX-License-Identifier: MIT */
/*
 * The scratch-register device (models/scratch) on a machine, with its
 * scenario commands:
 *
 *   scratch BASE                          setup: the device's page at BASE
 *   scratch set VALUE                     the scenario stores SCRATCH (not counted)
 *   expect scratch value|stores OP N      the registers as the model holds them
 *
 * Guest loads and stores reach it through MMIO on every vCPU and appear as
 * `mmio` trace events; a store SCRATCH takes is also a `scratch-store`
 * event, the binding's own trace kind.  This file, models/scratch and one line of the
 * binding table are all it takes: nothing in machine.c, the scenario hubs
 * or record.c names it.
 */
#include <stdlib.h>

#include "binding.h"
#include "firmware.h"
#include "scenario_internal.h"
#include "scratch.h"

extern const struct model_binding scratch_binding;

/* The family's typed commands. */
struct scratch_setup {
	uint64_t base;
};
struct scratch_set {
	uint32_t value;
};
struct scratch_expect {
	bool stores; /* STORES, else SCRATCH */
	enum scn_op op;
	uint64_t value;
};

/* ---- the machine side ----------------------------------------------------- */

/* Its own trace kind: a store SCRATCH took, with the value and the new count. */
static const char *const scratch_kinds[] = { "scratch-store", NULL };

static void trace_store(struct machine *m, struct vcpu *v, const struct cpu_exit *e, const struct scratch *s)
{
	int kind = machine_trace_kind(&scratch_binding, 0);
	struct tline l;

	if (!machine_count(m, kind))
		return;
	tl_begin(&l, kind, e->time, v->cpu.index, e->pc);
	tl_hex(&l, "value", s->value);
	tl_u64(&l, "stores", s->stores);
	machine_trace(m, &l, e->pc);
}

static enum cpu_action scratch_mmio(struct machine *m, struct vcpu *v, struct cpu_exit *e)
{
	struct scratch *s = machine_model(m, &scratch_binding);
	const struct scratch_setup *cfg = machine_model_config(m, &scratch_binding);
	uint64_t off = e->watch.addr - cfg->base;
	bool took = false;

	if (e->watch.write)
		took = scratch_store(s, off, e->watch.size, e->watch.value);
	else
		e->watch.value = scratch_load(s, off, e->watch.size);
	machine_trace_mmio(m, v, e, e->watch.value);
	if (took && off == SCRATCH_REG_VALUE)
		trace_store(m, v, e, s);
	return CPU_RESUME;
}

static int scratch_attach(struct machine *m)
{
	const struct scratch_setup *cfg = machine_model_config(m, &scratch_binding);
	struct scratch *s;

	if (!cfg)
		return 0;
	if (!(s = calloc(1, sizeof(*s)))) {
		snprintf(m->err, sizeof(m->err), "out of memory");
		return -1;
	}
	machine_set_model(m, &scratch_binding, s);
	return machine_map_mmio(m, &scratch_binding, cfg->base, SCRATCH_SIZE);
}

static void scratch_detach(struct machine *m)
{
	free(machine_model(m, &scratch_binding));
}

/* ---- the scenario side ---------------------------------------------------- */

static int parse_setup(struct pctx *p, struct scn_cmd *c)
{
	struct scratch_setup *t = scn_typed(p, c, sizeof(*t));
	int col = p->i < p->n ? p->t[p->i].col : c->col;

	if (!t)
		return -1;
	if (p->i < p->n && scn_is(&p->t[p->i], "set"))
		return scn_perr(p, col, "'scratch set' is a step: put it after 'load' or another step");
	if (scn_number(p, "scratch base", &t->base) < 0)
		return -1;
	if (t->base % SCRATCH_SIZE || t->base > UINT64_MAX - SCRATCH_SIZE)
		return scn_perr(p, col, "the scratch device's base must be 4 KiB aligned");
	if (scn_overlaps_machine(&p->s->cfg, t->base, SCRATCH_SIZE))
		return scn_perr(p, col, "the scratch device overlaps memory, a device or the firmware page");
	return scn_no_more(p);
}

static int parse_set(struct pctx *p, struct scn_cmd *c)
{
	struct scratch_set *t = scn_typed(p, c, sizeof(*t));
	uint64_t v;

	if (!t || scn_expect_word(p, "set") < 0 || scn_number(p, "value", &v) < 0)
		return -1;
	if (v > UINT32_MAX)
		return scn_perr(p, p->t[p->i - 1].col, "SCRATCH is a 32-bit register");
	t->value = (uint32_t)v;
	return scn_no_more(p);
}

static int exec_set(struct exec *x, const struct scn_cmd *c)
{
	struct scratch *s = machine_model(&x->m, &scratch_binding);

	if (!s)
		return scn_errorf(x, c, "no scratch device: put 'scratch BASE' in the machine setup");
	s->value = ((const struct scratch_set *)c->ext)->value;
	return 0;
}

static int parse_expect(struct pctx *p, struct scn_cmd *c)
{
	struct scratch_expect *t = scn_typed(p, c, sizeof(*t));
	struct tok *w;

	if (!t || !(w = scn_next(p, "'value' or 'stores'")))
		return -1;
	if (!scn_is(w, "value") && !scn_is(w, "stores"))
		return scn_perr(p, w->col, "unknown scratch register '%s' (value, stores)", w->text);
	t->stores = scn_is(w, "stores");
	if (scn_op_arg(p, &t->op) < 0 || scn_number(p, "value", &t->value) < 0)
		return -1;
	return scn_no_more(p);
}

static void check(struct exec *x, const struct scn_cmd *c)
{
	const struct scratch_expect *t = c->ext;
	const struct scratch *s = machine_model(&x->m, &scratch_binding);

	if (!s)
		scn_failf(x, c, "no scratch device: put 'scratch BASE' in the machine setup");
	else
		scn_check_op(x, c, t->stores ? "scratch stores" : "scratch value", t->stores ? s->stores : s->value, t->op,
			     t->value);
}

static const struct scn_verb scratch_verbs[] = {
	{ .word = "scratch", .parse = parse_set, .exec = exec_set },
	{ 0 },
};

static const struct scn_expectation scratch_expects[] = {
	{ .word = "scratch", .parse = parse_expect, .check = check },
	{ 0 },
};

static const struct scn_family scratch_family = {
	.setup = "scratch",
	.parse_setup = parse_setup,
	.verbs = scratch_verbs,
	.expects = scratch_expects,
};

const struct model_binding scratch_binding = {
	.name = "scratch",
	.attach = scratch_attach,
	.detach = scratch_detach,
	.on_exit = scratch_mmio,
	.trace_kinds = scratch_kinds,
	.family = &scratch_family,
};
