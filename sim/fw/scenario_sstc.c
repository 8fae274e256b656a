/* SPDX-License-Identifier: MIT */
/*
 * Scenario commands that drive the Sstc model (models/sstc) directly, with
 * no guest code (docs/scenario-language.md, "Sstc model"):
 *
 *   stimecmp-max spec|qemu             (setup) what 2^64 - 1 means to the vCPUs
 *   sstc reset [rv32] [no-h] [qemu-max] fresh model: RV64 with H unless told
 *   sstc mode M|HS|S|U|VS|VU           privilege and virtualisation of accesses
 *   sstc time TICKS                    the model's `time`
 *   sstc advance TICKS                 time += TICKS (mod 2^64)
 *   sstc csrr CSR                      a read (csrrs rd, CSR, x0)
 *   sstc csrw|csrs|csrc CSR VALUE      csrrw / csrrs / csrrc with rs1 != x0
 *   sstc mip MASK VALUE                an M-mode write of mip's MASK bits
 *   sstc hvip-vstip 0|1                hvip.VSTIP
 *   sstc hvictl-vti 0|1                AIA hvictl.VTI
 *   sstc sstatus-sie 0|1               HS's sstatus.SIE (for 'expect sstc take')
 *   sstc vsstatus-sie 0|1              vsstatus.SIE
 *
 *   expect sstc trap none|illegal|virtual   the last access's outcome
 *   expect sstc value OP N                  the value it read (the old value)
 *   expect sstc stip|vstip 0|1              levels at the model's time
 *   expect sstc next OP TICKS | none        ticks to the next level change
 *   expect sstc take none|hs|vs [cause N]   where a pending VS timer interrupt
 *                                           goes now, and its cause code
 *
 * hideleg, hie, hvip, hip, vsie and vsip (their timer bits) are CSRs of the
 * model: 'sstc csrw hideleg 0x40', and at V = 1 'sstc csrr sip' reads vsip.
 * Unicorn 2.0.1 cannot run VS-mode code, so this is how vstimecmp,
 * htimedelta, henvcfg and VSTIP are exercised.  The model here is the
 * scenario's own (the family's state), separate from any vCPU's.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "binding.h"
#include "firmware.h"
#include "digest.h"
#include "scenario_internal.h"
#include "sstc.h"

enum sstc_verb { SV_RESET, SV_MODE, SV_TIME, SV_ADVANCE, SV_CSR, SV_MIP, SV_HVIP, SV_VTI, SV_SIE, SV_VSSIE };
enum { OP_R, OP_W, OP_S, OP_C };

struct sstc_step {
	enum sstc_verb verb;
	bool rv32, no_h, qemu_max; /* reset */
	enum sstc_priv priv; /* mode */
	bool virt;
	uint16_t csr;        /* csr* */
	int op;              /* csr*: OP_R, OP_W, OP_S, OP_C */
	uint64_t value;      /* time, advance: ticks; csr*, mip: the value; hvip, vti, *sie: the bit */
	uint64_t mask;       /* mip */
};

enum sstc_check { SE_TRAP, SE_VALUE, SE_LEVEL, SE_NEXT, SE_TAKE };

struct sstc_expect {
	enum sstc_check what;
	enum scn_op op;
	int trap;     /* trap: SSTC_OK, SSTC_ILLEGAL, SSTC_VIRTUAL */
	bool vstip;   /* level: VSTIP, not STIP */
	bool none;    /* next: no change at all */
	enum sstc_vs_take take;
	bool has_cause; /* take: cause N given */
	uint64_t want;  /* value, level, ticks; take: the cause code */
};

/* The scenario's own Sstc model. */
struct sstc_state {
	struct sstc m;
	enum sstc_priv priv;
	bool virt, ready;
	bool sstatus_sie, vsstatus_sie;
	uint64_t time;  /* ticks */
	bool accessed;  /* a CSR access has run */
	int trap;       /* its outcome: SSTC_OK, SSTC_ILLEGAL, SSTC_VIRTUAL */
	uint64_t value; /* and the value it read */
};

static int csr_arg(struct pctx *p, uint16_t *csr)
{
	struct tok *t = scn_next(p, "CSR name");

	if (!t)
		return -1;
	if (!t->quoted && sstc_csr_lookup(t->text, csr) == 0)
		return 0;
	return scn_perr(p, t->col, "unknown CSR '%s' (stimecmp[h], vstimecmp[h], menvcfg[h], henvcfg[h], "
			"htimedelta[h], mcounteren, hcounteren, scounteren, time[h])", t->text);
}

static int bit_arg(struct pctx *p, const char *what, uint64_t *v)
{
	if (scn_number(p, what, v) < 0)
		return -1;
	if (*v > 1)
		return scn_perr(p, p->t[p->i - 1].col, "%s must be 0 or 1", what);
	return 0;
}

static int parse_mode(struct pctx *p, struct sstc_step *z)
{
	static const struct {
		const char *name;
		enum sstc_priv priv;
		bool virt;
	} modes[] = { { "M", SSTC_PRIV_M, false }, { "HS", SSTC_PRIV_S, false }, { "S", SSTC_PRIV_S, false },
		      { "U", SSTC_PRIV_U, false }, { "VS", SSTC_PRIV_S, true },	  { "VU", SSTC_PRIV_U, true } };
	struct tok *t = scn_next(p, "mode");

	if (!t)
		return -1;
	z->verb = SV_MODE;
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (strcmp(t->text, modes[i].name) == 0 && !t->quoted) {
			z->priv = modes[i].priv;
			z->virt = modes[i].virt;
			return scn_no_more(p);
		}
	return scn_perr(p, t->col, "unknown mode '%s' (M, HS, S, U, VS, VU)", t->text);
}

static int parse_reset(struct pctx *p, struct sstc_step *z)
{
	struct tok *t;

	z->verb = SV_RESET;
	while (p->i < p->n) {
		t = &p->t[p->i++];
		if (scn_is(t, "rv32"))
			z->rv32 = true;
		else if (scn_is(t, "no-h"))
			z->no_h = true;
		else if (scn_is(t, "qemu-max"))
			z->qemu_max = true;
		else
			return scn_perr(p, t->col, "unexpected '%s' (expected 'rv32', 'no-h' or 'qemu-max')", t->text);
	}
	return 0;
}

static int parse_csr(struct pctx *p, const struct tok *t, struct sstc_step *z)
{
	z->verb = SV_CSR;
	z->op = scn_is(t, "csrr") ? OP_R : scn_is(t, "csrw") ? OP_W : scn_is(t, "csrs") ? OP_S : OP_C;
	if (csr_arg(p, &z->csr) < 0 || (z->op != OP_R && scn_number(p, "value", &z->value) < 0))
		return -1;
	return scn_no_more(p);
}

static int parse_sstc(struct pctx *p, struct scn_cmd *c)
{
	struct sstc_step *z;
	struct tok *t;

	if (!cpu_arch_is_riscv(p->s->cfg.arch))
		return scn_perr(p, c->col, "'sstc' needs 'arch riscv64' or 'arch riscv32'");
	if (!(z = scn_typed(p, c, sizeof(*z))) || !(t = scn_next(p, "sstc command")))
		return -1;
	if (scn_is(t, "reset"))
		return parse_reset(p, z);
	if (scn_is(t, "mode"))
		return parse_mode(p, z);
	if (scn_is(t, "time") || scn_is(t, "advance")) {
		z->verb = scn_is(t, "time") ? SV_TIME : SV_ADVANCE;
		return scn_number(p, "ticks", &z->value) < 0 ? -1 : scn_no_more(p);
	}
	if (scn_is(t, "csrr") || scn_is(t, "csrw") || scn_is(t, "csrs") || scn_is(t, "csrc"))
		return parse_csr(p, t, z);
	if (scn_is(t, "mip")) {
		z->verb = SV_MIP;
		if (scn_number(p, "mask", &z->mask) < 0 || scn_number(p, "value", &z->value) < 0)
			return -1;
		return scn_no_more(p);
	}
	if (scn_is(t, "hvip-vstip") || scn_is(t, "hvictl-vti") || scn_is(t, "sstatus-sie") ||
	    scn_is(t, "vsstatus-sie")) {
		z->verb = scn_is(t, "hvip-vstip")  ? SV_HVIP
			  : scn_is(t, "hvictl-vti") ? SV_VTI
			  : scn_is(t, "sstatus-sie") ? SV_SIE
						     : SV_VSSIE;
		return bit_arg(p, "bit", &z->value) < 0 ? -1 : scn_no_more(p);
	}
	return scn_perr(p, t->col,
			"unknown sstc command '%s' (reset, mode, time, advance, csrr, csrw, csrs, csrc, mip, "
			"hvip-vstip, hvictl-vti, sstatus-sie, vsstatus-sie)", t->text);
}

static int parse_trap(struct pctx *p, struct sstc_expect *e)
{
	struct tok *t = scn_next(p, "'none', 'illegal' or 'virtual'");

	e->what = SE_TRAP;
	if (!t)
		return -1;
	if (scn_is(t, "none"))
		e->trap = SSTC_OK;
	else if (scn_is(t, "illegal"))
		e->trap = SSTC_ILLEGAL;
	else if (scn_is(t, "virtual"))
		e->trap = SSTC_VIRTUAL;
	else
		return scn_perr(p, t->col, "expected 'none', 'illegal' or 'virtual', found '%s'", t->text);
	return scn_no_more(p);
}

/* take none|hs|vs [cause N] */
static int parse_take(struct pctx *p, struct sstc_expect *e)
{
	struct tok *t = scn_next(p, "'none', 'hs' or 'vs'");

	e->what = SE_TAKE;
	if (!t)
		return -1;
	if (scn_is(t, "none"))
		e->take = SSTC_TAKE_NONE;
	else if (scn_is(t, "hs"))
		e->take = SSTC_TAKE_HS;
	else if (scn_is(t, "vs"))
		e->take = SSTC_TAKE_VS;
	else
		return scn_perr(p, t->col, "expected 'none', 'hs' or 'vs', found '%s'", t->text);
	if (p->i < p->n && e->take != SSTC_TAKE_NONE) {
		if (scn_expect_word(p, "cause") < 0 || scn_number(p, "cause code", &e->want) < 0)
			return -1;
		e->has_cause = true;
	}
	return scn_no_more(p);
}

static int parse_expect_sstc(struct pctx *p, struct scn_cmd *c)
{
	struct sstc_expect *e = scn_typed(p, c, sizeof(*e));
	struct tok *t;

	if (!e || !(t = scn_next(p, "sstc expectation")))
		return -1;
	if (scn_is(t, "trap"))
		return parse_trap(p, e);
	if (scn_is(t, "take"))
		return parse_take(p, e);
	if (scn_is(t, "value")) {
		e->what = SE_VALUE;
		if (scn_op_arg(p, &e->op) < 0 || scn_number(p, "value", &e->want) < 0)
			return -1;
		return scn_no_more(p);
	}
	if (scn_is(t, "stip") || scn_is(t, "vstip")) {
		e->what = SE_LEVEL;
		e->vstip = scn_is(t, "vstip");
		return bit_arg(p, "level", &e->want) < 0 ? -1 : scn_no_more(p);
	}
	if (scn_is(t, "next")) {
		e->what = SE_NEXT;
		if (p->i < p->n && scn_is(&p->t[p->i], "none")) {
			p->i++;
			e->none = true;
			return scn_no_more(p);
		}
		if (scn_op_arg(p, &e->op) < 0 || scn_number(p, "ticks", &e->want) < 0)
			return -1;
		return scn_no_more(p);
	}
	return scn_perr(p, t->col, "unknown sstc expectation '%s' (trap, value, stip, vstip, next, take)", t->text);
}

/* ---- running ------------------------------------------------------------------------ */

extern const struct model_binding sstc_binding;

/* The model, reset to RV64 with H at S-mode on first use. */
static struct sstc_state *model(struct exec *x)
{
	struct sstc_state *z = scn_state(x, sstc_binding.family);

	if (!z->ready) {
		sstc_reset(&z->m, false, true);
		z->priv = SSTC_PRIV_S;
		z->ready = true;
	}
	return z;
}

static const char *trap_name(int r)
{
	return r == SSTC_OK ? "none" : r == SSTC_ILLEGAL ? "illegal" : "virtual";
}

static void access(struct sstc_state *z, const struct sstc_step *s)
{
	static const enum sstc_op ops[] = { [OP_R] = SSTC_OP_RS, [OP_W] = SSTC_OP_RW, [OP_S] = SSTC_OP_RS,
					    [OP_C] = SSTC_OP_RC };
	uint64_t old = 0, new_val;

	z->accessed = true;
	z->trap = sstc_csr_insn(&z->m, z->priv, z->virt, s->csr, ops[s->op], s->op != OP_R, s->op == OP_R ? 0 : s->value,
				z->time, &old, &new_val);
	z->value = old;
}

static int exec_sstc(struct exec *x, const struct scn_cmd *c)
{
	const struct sstc_step *s = c->ext;
	struct sstc_state *z = model(x);

	switch (s->verb) {
	case SV_RESET:
		sstc_reset(&z->m, s->rv32, !s->no_h);
		z->m.allones_off = s->qemu_max;
		z->accessed = false;
		break;
	case SV_MODE:
		if (s->virt && !z->m.has_h)
			return scn_errorf(x, c, "no V=1 modes: the model was reset with 'no-h'");
		z->priv = s->priv;
		z->virt = s->virt;
		break;
	case SV_TIME:
		z->time = s->value;
		break;
	case SV_ADVANCE:
		z->time += s->value;
		break;
	case SV_CSR:
		if ((s->csr == CSR_SIE || s->csr == CSR_SIP) && !(z->virt && z->m.has_h))
			return scn_errorf(x, c, "at V = 0, sie and sip are the CPU's registers, not the model's "
						"(at V = 1 they are vsie and vsip)");
		access(z, s);
		break;
	case SV_MIP:
		sstc_mip_write(&z->m, s->mask, s->value);
		break;
	case SV_HVIP:
		z->m.hvip_vstip = s->value;
		break;
	case SV_VTI:
		z->m.hvictl_vti = s->value;
		break;
	case SV_SIE:
		z->sstatus_sie = s->value;
		break;
	case SV_VSSIE:
		z->vsstatus_sie = s->value;
		break;
	}
	return 0;
}

static void sstc_result(struct exec *x, const struct scn_cmd *c, int64_t *status, uint64_t *value)
{
	const struct sstc_state *z = model(x);

	(void)c;
	*status = z->trap;
	*value = z->value;
}

static void check_next(struct exec *x, const struct scn_cmd *c, struct sstc_state *z, const struct sstc_expect *e)
{
	uint64_t d;
	bool any = sstc_next_change(&z->m, z->time, &d);

	if (e->none) {
		if (any)
			scn_failf(x, c, "expected no scheduled change, got one in 0x%" PRIx64 " ticks", d);
	} else if (!any) {
		scn_failf(x, c, "expected a change in %s 0x%" PRIx64 " ticks, got none", scn_op_text(e->op), e->want);
	} else {
		scn_check_op(x, c, "ticks to the next change", d, e->op, e->want);
	}
}

static const char *take_name(enum sstc_vs_take t)
{
	return t == SSTC_TAKE_NONE ? "none" : t == SSTC_TAKE_HS ? "hs" : "vs";
}

static void check_take(struct exec *x, const struct scn_cmd *c, struct sstc_state *z, const struct sstc_expect *e)
{
	struct sstc_vs_ctx ctx = { z->sstatus_sie, z->vsstatus_sie, z->virt, z->priv };
	uint64_t cause = 0, code;
	enum sstc_vs_take got = sstc_vs_delivery(&z->m, z->time, &ctx, &cause);

	code = cause & ~(z->m.rv32 ? 1ull << 31 : 1ull << 63);
	if (got != e->take)
		scn_failf(x, c, "expected the VS timer interrupt taken by %s, got %s", take_name(e->take), take_name(got));
	else if (e->has_cause && code != e->want)
		scn_failf(x, c, "expected cause %" PRIu64 " in %s, got %" PRIu64, e->want,
			  got == SSTC_TAKE_VS ? "vscause" : "scause", code);
}

static void check_sstc(struct exec *x, const struct scn_cmd *c)
{
	const struct sstc_expect *e = c->ext;
	struct sstc_state *z = model(x);
	bool lvl;

	switch (e->what) {
	case SE_TRAP:
		if (!z->accessed)
			scn_failf(x, c, "no 'sstc' CSR access has run yet");
		else if (z->trap != e->trap)
			scn_failf(x, c, "expected trap %s, got %s", trap_name(e->trap), trap_name(z->trap));
		break;
	case SE_VALUE:
		if (!z->accessed || z->trap != SSTC_OK)
			scn_failf(x, c, "the last sstc access %s", z->accessed ? "trapped" : "has not run");
		else
			scn_check_op(x, c, "sstc value", z->value, e->op, e->want);
		break;
	case SE_LEVEL:
		lvl = e->vstip ? sstc_vstip(&z->m, z->time) : sstc_stip(&z->m, z->time);
		if (lvl != (bool)e->want)
			scn_failf(x, c, "expected %s %d at time 0x%" PRIx64 ", got %d", e->vstip ? "VSTIP" : "STIP",
				  (int)e->want, z->time, lvl);
		break;
	case SE_NEXT:
		check_next(x, c, z, e);
		break;
	case SE_TAKE:
		check_take(x, c, z, e);
		break;
	}
}

/* The model's registers (0 until first used), then its time. */
static uint64_t sstc_scenario_digest(const void *state, uint64_t h)
{
	const struct sstc_state *z = state;

	h = dg_u64(h, z->ready ? sstc_digest(&z->m) : 0);
	if (z->sstatus_sie || z->vsstatus_sie) /* only when set: older recordings' digests still match */
		h = dg_u64(h, (uint64_t)z->sstatus_sie << 1 | z->vsstatus_sie);
	return dg_u64(h, z->time);
}

/* ---- the vCPUs' own comparators: the firmware's writes under a running guest ---- */

/* menvcfg stce 0|1 [vcpu N|all], mcounteren tm 0|1 [vcpu N|all] */
struct env_step {
	bool counteren; /* mcounteren.TM, else menvcfg.STCE */
	bool on;
};

static int parse_env(struct pctx *p, struct scn_cmd *c, bool counteren)
{
	struct env_step *t = scn_typed(p, c, sizeof(*t));
	uint64_t v;

	if (!t)
		return -1;
	if (!cpu_arch_is_riscv(p->s->cfg.arch))
		return scn_perr(p, c->col, "'%s' is a riscv firmware register", counteren ? "mcounteren" : "menvcfg");
	t->counteren = counteren;
	if (scn_expect_word(p, counteren ? "tm" : "stce") < 0 || scn_number(p, "0 or 1", &v) < 0)
		return -1;
	if (v > 1)
		return scn_perr(p, p->t[p->i - 1].col, "%s is one bit: 0 or 1", counteren ? "TM" : "STCE");
	t->on = v;
	return scn_clauses(p, c, false);
}

static int parse_menvcfg(struct pctx *p, struct scn_cmd *c)
{
	return parse_env(p, c, false);
}

static int parse_mcounteren(struct pctx *p, struct scn_cmd *c)
{
	return parse_env(p, c, true);
}

/* The write happens now, between two instructions of each vCPU: the level at once, the next access sees it. */
static int exec_env(struct exec *x, const struct scn_cmd *c)
{
	const struct env_step *t = c->ext;
	int v = c->vcpu < 0 ? 0 : c->vcpu, last = c->vcpu == SCN_ALL_VCPUS ? x->m.cfg.nvcpus - 1 : v;

	if (!x->m.booted)
		return scn_errorf(x, c, "the firmware sets these as the guest starts: write them after a run step "
					"(for STCE before the start, put 'stce off' in the setup)");
	for (; v <= last; v++) {
		bool stce, tm;

		if (!sstc_fw_env(&x->m, &x->m.vcpus[v], &stce, &tm))
			return scn_errorf(x, c, "this machine has no Sstc comparator");
		if (t->counteren)
			tm = t->on;
		else
			stce = t->on;
		sstc_fw_set_env(&x->m, &x->m.vcpus[v], stce, tm);
	}
	return 0;
}

/* stimecmp-max spec|qemu: the setup line (models/sstc.h, allones_off) */
static int parse_setup(struct pctx *p, struct scn_cmd *c)
{
	struct sstc_setup *t = scn_typed(p, c, sizeof(*t));
	struct tok *w;

	if (!t)
		return -1;
	if (!cpu_arch_is_riscv(p->s->cfg.arch))
		return scn_perr(p, c->col, "'stimecmp-max' needs 'arch riscv64' or 'arch riscv32' above it");
	if (!(w = scn_next(p, "'spec' or 'qemu'")))
		return -1;
	if (!scn_is(w, "spec") && !scn_is(w, "qemu"))
		return scn_perr(p, w->col, "expected 'spec' (2^64 - 1 is a deadline) or 'qemu' (it means off), found '%s'",
				w->text);
	t->qemu_max = scn_is(w, "qemu");
	return scn_no_more(p);
}

static const struct scn_verb sstc_verbs[] = {
	{ .word = "sstc", .parse = parse_sstc, .exec = exec_sstc, .result = sstc_result },
	{ .word = "menvcfg", .parse = parse_menvcfg, .exec = exec_env },
	{ .word = "mcounteren", .parse = parse_mcounteren, .exec = exec_env },
	{ 0 },
};

static const struct scn_expectation sstc_expects[] = {
	{ .word = "sstc", .parse = parse_expect_sstc, .check = check_sstc },
	{ 0 },
};

const struct scn_family sstc_family = {
	.setup = "stimecmp-max",
	.parse_setup = parse_setup,
	.verbs = sstc_verbs,
	.expects = sstc_expects,
	.state_size = sizeof(struct sstc_state),
	.digest = sstc_scenario_digest,
};
