/* SPDX-License-Identifier: MIT */
/*
 * Scenario commands that drive the Sstc model (models/sstc) directly, with
 * no guest code (docs/scenario-language.md, "Sstc model"):
 *
 *   sstc reset [rv32] [no-h]           fresh model: RV64 with H unless told
 *   sstc mode M|HS|S|U|VS|VU           privilege and virtualisation of accesses
 *   sstc time TICKS                    the model's `time`
 *   sstc advance TICKS                 time += TICKS (mod 2^64)
 *   sstc csrr CSR                      a read (csrrs rd, CSR, x0)
 *   sstc csrw|csrs|csrc CSR VALUE      csrrw / csrrs / csrrc with rs1 != x0
 *   sstc mip MASK VALUE                an M-mode write of mip's MASK bits
 *   sstc hvip-vstip 0|1                hvip.VSTIP
 *   sstc hvictl-vti 0|1                AIA hvictl.VTI
 *
 *   expect sstc trap none|illegal|virtual   the last access's outcome
 *   expect sstc value OP N                  the value it read (the old value)
 *   expect sstc stip|vstip 0|1              levels at the model's time
 *   expect sstc next OP TICKS | none        ticks to the next level change
 *
 * Unicorn 2.0.1 cannot run VS-mode code, so this is how vstimecmp,
 * htimedelta, henvcfg and VSTIP are exercised.  The model here is the
 * scenario's own, separate from any vCPU.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "scenario_internal.h"

enum { OP_R, OP_W, OP_S, OP_C };

static int csr_arg(struct pctx *p, uint64_t *csr)
{
	struct tok *t = scn_next(p, "CSR name");
	uint16_t n;

	if (!t)
		return -1;
	if (!t->quoted && sstc_csr_lookup(t->text, &n) == 0) {
		*csr = n;
		return 0;
	}
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

static int parse_mode(struct pctx *p, struct scn_cmd *c)
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
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (strcmp(t->text, modes[i].name) == 0 && !t->quoted) {
			c->a = modes[i].priv;
			c->b = modes[i].virt;
			return scn_no_more(p);
		}
	return scn_perr(p, t->col, "unknown mode '%s' (M, HS, S, U, VS, VU)", t->text);
}

int scn_parse_sstc(struct pctx *p, struct scn_cmd *c)
{
	struct tok *t;

	if (!cpu_arch_is_riscv(p->s->cfg.arch))
		return scn_perr(p, c->col, "'sstc' needs 'arch riscv64' or 'arch riscv32'");
	if (!(t = scn_next(p, "sstc command")))
		return -1;
	if (scn_is(t, "reset")) {
		c->kind = SCN_SSTC_RESET;
		while (p->i < p->n) {
			t = &p->t[p->i++];
			if (scn_is(t, "rv32"))
				c->a = 1;
			else if (scn_is(t, "no-h"))
				c->b = 1;
			else
				return scn_perr(p, t->col, "unexpected '%s' (expected 'rv32' or 'no-h')", t->text);
		}
		return 0;
	}
	if (scn_is(t, "mode")) {
		c->kind = SCN_SSTC_MODE;
		return parse_mode(p, c);
	}
	if (scn_is(t, "time") || scn_is(t, "advance")) {
		c->kind = scn_is(t, "time") ? SCN_SSTC_TIME : SCN_SSTC_ADVANCE;
		return scn_number(p, "ticks", &c->a) < 0 ? -1 : scn_no_more(p);
	}
	if (scn_is(t, "csrr")) {
		c->kind = SCN_SSTC_CSR;
		c->c = OP_R;
		return csr_arg(p, &c->a) < 0 ? -1 : scn_no_more(p);
	}
	if (scn_is(t, "csrw") || scn_is(t, "csrs") || scn_is(t, "csrc")) {
		c->kind = SCN_SSTC_CSR;
		c->c = scn_is(t, "csrw") ? OP_W : scn_is(t, "csrs") ? OP_S : OP_C;
		if (csr_arg(p, &c->a) < 0 || scn_number(p, "value", &c->b) < 0)
			return -1;
		return scn_no_more(p);
	}
	if (scn_is(t, "mip")) {
		c->kind = SCN_SSTC_MIP;
		if (scn_number(p, "mask", &c->a) < 0 || scn_number(p, "value", &c->b) < 0)
			return -1;
		return scn_no_more(p);
	}
	if (scn_is(t, "hvip-vstip") || scn_is(t, "hvictl-vti")) {
		c->kind = scn_is(t, "hvip-vstip") ? SCN_SSTC_HVIP : SCN_SSTC_VTI;
		return bit_arg(p, "bit", &c->a) < 0 ? -1 : scn_no_more(p);
	}
	return scn_perr(p, t->col,
			"unknown sstc command '%s' (reset, mode, time, advance, csrr, csrw, csrs, csrc, mip, "
			"hvip-vstip, hvictl-vti)", t->text);
}

int scn_parse_expect_sstc(struct pctx *p, struct scn_cmd *c)
{
	struct tok *t = scn_next(p, "sstc expectation");

	if (!t)
		return -1;
	if (scn_is(t, "trap")) {
		c->kind = SCN_EXPECT_SSTC_TRAP;
		if (!(t = scn_next(p, "'none', 'illegal' or 'virtual'")))
			return -1;
		if (scn_is(t, "none"))
			c->b = SSTC_OK;
		else if (scn_is(t, "illegal"))
			c->b = SSTC_ILLEGAL;
		else if (scn_is(t, "virtual"))
			c->b = SSTC_VIRTUAL;
		else
			return scn_perr(p, t->col, "expected 'none', 'illegal' or 'virtual', found '%s'", t->text);
		return scn_no_more(p);
	}
	if (scn_is(t, "value")) {
		c->kind = SCN_EXPECT_SSTC_VALUE;
		if (scn_op_arg(p, &c->op) < 0 || scn_number(p, "value", &c->b) < 0)
			return -1;
		return scn_no_more(p);
	}
	if (scn_is(t, "stip") || scn_is(t, "vstip")) {
		c->kind = SCN_EXPECT_SSTC_LEVEL;
		c->a = scn_is(t, "vstip");
		return bit_arg(p, "level", &c->b) < 0 ? -1 : scn_no_more(p);
	}
	if (scn_is(t, "next")) {
		c->kind = SCN_EXPECT_SSTC_NEXT;
		if (p->i < p->n && scn_is(&p->t[p->i], "none")) {
			p->i++;
			c->null_value = true;
			return scn_no_more(p);
		}
		if (scn_op_arg(p, &c->op) < 0 || scn_number(p, "ticks", &c->b) < 0)
			return -1;
		return scn_no_more(p);
	}
	return scn_perr(p, t->col, "unknown sstc expectation '%s' (trap, value, stip, vstip, next)", t->text);
}

/* ---- running ------------------------------------------------------------------------ */

static struct scn_sstc *model(struct exec *x)
{
	if (!x->sstc.ready) {
		sstc_reset(&x->sstc.m, false, true);
		x->sstc.priv = SSTC_PRIV_S;
		x->sstc.ready = true;
	}
	return &x->sstc;
}

static const char *trap_name(int r)
{
	return r == SSTC_OK ? "none" : r == SSTC_ILLEGAL ? "illegal" : "virtual";
}

static void access(struct scn_sstc *z, const struct scn_cmd *c)
{
	static const enum sstc_op ops[] = { [OP_R] = SSTC_OP_RS, [OP_W] = SSTC_OP_RW, [OP_S] = SSTC_OP_RS,
					    [OP_C] = SSTC_OP_RC };
	uint64_t old = 0, new_val;

	z->accessed = true;
	z->trap = sstc_csr_insn(&z->m, z->priv, z->virt, (uint16_t)c->a, ops[c->c], c->c != OP_R,
				c->c == OP_R ? 0 : c->b, z->time, &old, &new_val);
	z->value = old;
}

int scn_exec_sstc(struct exec *x, const struct scn_cmd *c)
{
	struct scn_sstc *z = model(x);

	switch (c->kind) {
	case SCN_SSTC_RESET:
		sstc_reset(&z->m, c->a, !c->b);
		z->accessed = false;
		break;
	case SCN_SSTC_MODE:
		if (c->b && !z->m.has_h)
			return scn_errorf(x, c, "no V=1 modes: the model was reset with 'no-h'");
		z->priv = (enum sstc_priv)c->a;
		z->virt = c->b;
		break;
	case SCN_SSTC_TIME:
		z->time = c->a;
		break;
	case SCN_SSTC_ADVANCE:
		z->time += c->a;
		break;
	case SCN_SSTC_CSR:
		access(z, c);
		break;
	case SCN_SSTC_MIP:
		sstc_mip_write(&z->m, c->a, c->b);
		break;
	case SCN_SSTC_HVIP:
		z->m.hvip_vstip = c->a;
		break;
	case SCN_SSTC_VTI:
		z->m.hvictl_vti = c->a;
		break;
	default:
		break;
	}
	return 0;
}

void scn_check_sstc(struct exec *x, const struct scn_cmd *c)
{
	struct scn_sstc *z = model(x);
	uint64_t d;
	bool any;

	switch (c->kind) {
	case SCN_EXPECT_SSTC_TRAP:
		if (!z->accessed)
			scn_failf(x, c, "no 'sstc' CSR access has run yet");
		else if (z->trap != (int)c->b)
			scn_failf(x, c, "expected trap %s, got %s", trap_name((int)c->b), trap_name(z->trap));
		break;
	case SCN_EXPECT_SSTC_VALUE:
		if (!z->accessed || z->trap != SSTC_OK)
			scn_failf(x, c, "the last sstc access %s", z->accessed ? "trapped" : "has not run");
		else
			scn_check_value(x, c, "sstc value", z->value);
		break;
	case SCN_EXPECT_SSTC_LEVEL: {
		bool lvl = c->a ? sstc_vstip(&z->m, z->time) : sstc_stip(&z->m, z->time);

		if (lvl != (bool)c->b)
			scn_failf(x, c, "expected %s %d at time 0x%" PRIx64 ", got %d", c->a ? "VSTIP" : "STIP",
				  (int)c->b, z->time, lvl);
		break;
	}
	case SCN_EXPECT_SSTC_NEXT:
		any = sstc_next_change(&z->m, z->time, &d);
		if (c->null_value) {
			if (any)
				scn_failf(x, c, "expected no scheduled change, got one in 0x%" PRIx64 " ticks", d);
		} else if (!any) {
			scn_failf(x, c, "expected a change in %s 0x%" PRIx64 " ticks, got none", scn_op_text(c->op), c->b);
		} else {
			scn_check_value(x, c, "ticks to the next change", d);
		}
		break;
	default:
		break;
	}
}
