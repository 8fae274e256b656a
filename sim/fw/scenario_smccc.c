/* SPDX-License-Identifier: MIT */
/*
 * Scenario commands of the SMCCC binding (arm64):
 *
 *   hvc FID [ARG...] [vcpu N]      a hypercall from the host side: served as if
 *                                  the vCPU had executed HVC, its registers
 *                                  untouched
 *   expect hvc xN OP VALUE         x0..x3 as the last `hvc` returned them
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "binding.h"
#include "firmware.h"
#include "scenario_internal.h"

extern const struct model_binding smccc_binding;

struct hvc_step {
	uint64_t x[6]; /* x0 (the function id) .. x5 */
};

struct hvc_expect {
	unsigned reg; /* x0..x3 */
	enum scn_op op;
	uint64_t want;
};

/* What the last `hvc` returned, for `expect hvc` and recordings. */
struct hvc_state {
	uint64_t ret[4];
	bool have;
};

static int parse_hvc(struct pctx *p, struct scn_cmd *c)
{
	struct hvc_step *h;
	int n = 0;

	if (p->s->cfg.arch != CPU_ARM64)
		return scn_perr(p, c->col, "'hvc' is arm64 only");
	if (!(h = scn_typed(p, c, sizeof(*h))) || scn_number(p, "function id", &h->x[0]) < 0)
		return -1;
	while (p->i < p->n && !scn_is(&p->t[p->i], "vcpu")) {
		if (++n > 5)
			return scn_perr(p, p->t[p->i].col, "at most 5 arguments (x1..x5)");
		if (scn_number(p, "argument", &h->x[n]) < 0)
			return -1;
	}
	if (p->i < p->n) {
		p->i++;
		if (scn_vcpu_arg(p, &c->vcpu) < 0)
			return -1;
	}
	return scn_no_more(p);
}

static int exec_hvc(struct exec *x, const struct scn_cmd *c)
{
	const struct hvc_step *h = c->ext;
	struct hvc_state *st = scn_state(x, smccc_binding.family);
	struct vcpu *v = &x->m.vcpus[c->vcpu < 0 ? 0 : c->vcpu];

	if (!x->have_image)
		return scn_errorf(x, c, "nothing to run: the scenario loads no guest image");
	if (!x->m.booted) {
		struct run_goal g = { .until_cycle = 0 };

		if (machine_run(&x->m, &g) == RUN_ERROR) /* boots the vCPUs */
			return scn_errorf(x, c, "simulator error: %s", x->m.err);
	}
	smccc_host_call(&x->m, v, h->x, st->ret);
	st->have = true;
	return 0;
}

static void hvc_result(struct exec *x, const struct scn_cmd *c, int64_t *status, uint64_t *value)
{
	const struct hvc_state *st = scn_state(x, smccc_binding.family);

	(void)c;
	*status = (int64_t)st->ret[0];
	*value = st->ret[1];
}

static int parse_expect_hvc(struct pctx *p, struct scn_cmd *c)
{
	struct hvc_expect *e = scn_typed(p, c, sizeof(*e));
	struct tok *r;

	if (!e || !(r = scn_next(p, "x0, x1, x2 or x3")))
		return -1;
	if (r->len != 2 || r->text[0] != 'x' || r->text[1] < '0' || r->text[1] > '3')
		return scn_perr(p, r->col, "expected x0, x1, x2 or x3, found '%s'", r->text);
	e->reg = (unsigned)(r->text[1] - '0');
	if (scn_op_arg(p, &e->op) < 0 || scn_number(p, "value", &e->want) < 0)
		return -1;
	return scn_no_more(p);
}

static void check_hvc(struct exec *x, const struct scn_cmd *c)
{
	const struct hvc_expect *e = c->ext;
	const struct hvc_state *st = scn_state(x, smccc_binding.family);
	char what[16];

	snprintf(what, sizeof(what), "hvc x%u", e->reg);
	if (!st->have)
		scn_failf(x, c, "no 'hvc' command has run yet");
	else
		scn_check_op(x, c, what, st->ret[e->reg], e->op, e->want);
}

static const struct scn_verb smccc_verbs[] = {
	{ .word = "hvc", .parse = parse_hvc, .exec = exec_hvc, .result = hvc_result },
	{ 0 },
};

static const struct scn_expectation smccc_expects[] = {
	{ .word = "hvc", .parse = parse_expect_hvc, .check = check_hvc },
	{ 0 },
};

const struct scn_family smccc_family = {
	.verbs = smccc_verbs,
	.expects = smccc_expects,
	.state_size = sizeof(struct hvc_state),
};
