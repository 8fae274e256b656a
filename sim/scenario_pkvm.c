/* SPDX-License-Identifier: MIT */
/*
 * Scenario commands for a machine running pKVM (`pkvm` in the setup):
 *
 *   dump stage2 ADDR SIZE                    the host stage-2 as a table
 *   expect pkvm host-state ADDR == STATE     OWNED, SHARED_OWNED, SHARED_BORROWED, NOPAGE
 *   expect pkvm hyp-state ADDR == STATE
 *   expect pkvm check ok|"TEXT"              the ownership checker's verdict
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "pkvm.h"
#include "scenario_internal.h"

#define DUMP_MAX_LINES 256

static int state_arg(struct pctx *p, uint64_t *state)
{
	static const char *const names[] = { "OWNED", "SHARED_OWNED", "SHARED_BORROWED", "NOPAGE" };
	struct tok *t = scn_next(p, "page state");
	uint64_t i;

	if (!t)
		return -1;
	for (i = 0; i < 4; i++)
		if (scn_is(t, names[i])) {
			*state = i;
			return 0;
		}
	return scn_perr(p, t->col, "unknown page state '%s' (OWNED, SHARED_OWNED, SHARED_BORROWED, NOPAGE)", t->text);
}

int scn_parse_dump(struct pctx *p, struct scn_cmd *c)
{
	if (!p->s->pkvm.enabled)
		return scn_perr(p, c->col, "'dump stage2' needs 'pkvm' in the machine setup");
	c->kind = SCN_DUMP_STAGE2;
	if (scn_expect_word(p, "stage2") < 0 || scn_number(p, "address", &c->a) < 0 || scn_number(p, "size", &c->b) < 0)
		return -1;
	return scn_no_more(p);
}

int scn_parse_expect_pkvm(struct pctx *p, struct scn_cmd *c)
{
	struct tok *t;

	if (!p->s->pkvm.enabled)
		return scn_perr(p, c->col, "'expect pkvm' needs 'pkvm' in the machine setup");
	if (!(t = scn_next(p, "'host-state', 'hyp-state' or 'check'")))
		return -1;
	if (scn_is(t, "host-state") || scn_is(t, "hyp-state")) {
		c->kind = SCN_EXPECT_PKVM_STATE;
		c->width = scn_is(t, "hyp-state");
		if (scn_number(p, "address", &c->a) < 0 || scn_op_arg(p, &c->op) < 0)
			return -1;
		if (c->op != SCN_EQ && c->op != SCN_NE)
			return scn_perr(p, p->t[p->i - 1].col, "a state compares with == or != only");
		return state_arg(p, &c->b) < 0 ? -1 : scn_no_more(p);
	}
	if (scn_is(t, "check")) {
		c->kind = SCN_EXPECT_PKVM_CHECK;
		if (!(t = scn_next(p, "'ok' or \"text\"")))
			return -1;
		if (!scn_is(t, "ok")) {
			if (!t->quoted)
				return scn_perr(p, t->col, "expected 'ok' or a \"quoted\" part of the violation");
			c->str2 = strdup(t->text);
		}
		return scn_no_more(p);
	}
	return scn_perr(p, t->col, "unknown pkvm expectation '%s' (host-state, hyp-state, check)", t->text);
}

static bool ready(struct exec *x, const struct scn_cmd *c)
{
	if (x->m.pkvm && x->m.pkvm->initialised)
		return true;
	scn_failf(x, c, "pKVM is not initialised (no successful __pkvm_init yet)");
	return false;
}

static void dump_line(FILE *f, struct pkvm *pk, uint64_t ipa)
{
	struct s2pt_translation t;
	int host = mp_host_state(&pk->mp, ipa), hyp = mp_hyp_state(&pk->mp, ipa);

	if (s2pt_translate(&pk->mp.host_s2, ipa, &t) < 0) {
		fprintf(f, "  0x%012" PRIx64 "  (outside the IPA space)\n", ipa);
		return;
	}
	if (t.valid)
		fprintf(f, "  0x%012" PRIx64 "  0x%012" PRIx64 "  L%d    %c%c%c    ", ipa, t.pa, t.level, t.r ? 'R' : '-',
			t.w ? 'W' : '-', t.x ? 'X' : '-');
	else if (t.owner)
		fprintf(f, "  0x%012" PRIx64 "  %-14s  L%d    owner %u  ", ipa, "-", t.level, t.owner);
	else
		fprintf(f, "  0x%012" PRIx64 "  %-14s  L%d    ---    ", ipa, "(unmapped)", t.level);
	if (host >= 0)
		fprintf(f, "%-16s %s\n", pkvm_page_state_name(host), pkvm_page_state_name(hyp));
	else
		fprintf(f, "%-16s %s\n", "(MMIO)", "-");
}

int scn_exec_dump(struct exec *x, const struct scn_cmd *c)
{
	FILE *f = x->opt->report;
	uint64_t ipa, lines = 0, end = c->a + c->b;

	if (!ready(x, c) || !f)
		return 0;
	fprintf(f, "%s:%d: host stage-2, 0x%" PRIx64 "..0x%" PRIx64 "\n", x->s->path, c->line, c->a, end);
	fprintf(f, "  %-14s  %-14s  level perms  %-16s %s\n", "IPA", "PA", "host state", "hyp state");
	for (ipa = c->a & ~0xfffull; ipa < end && lines < DUMP_MAX_LINES; ipa += 4096, lines++)
		dump_line(f, x->m.pkvm, ipa);
	if (ipa < end)
		fprintf(f, "  ... %" PRIu64 " more pages\n", (end - ipa + 4095) / 4096);
	return 0;
}

void scn_check_pkvm(struct exec *x, const struct scn_cmd *c)
{
	struct pkvm *pk = x->m.pkvm;
	char why[320];
	int state;

	if (!ready(x, c))
		return;
	if (c->kind == SCN_EXPECT_PKVM_STATE) {
		state = c->width ? mp_hyp_state(&pk->mp, c->a) : mp_host_state(&pk->mp, c->a);
		if ((state == (int)c->b) != (c->op == SCN_EQ))
			scn_failf(x, c, "expected %s state of 0x%" PRIx64 " %s %s, it is %s", c->width ? "hyp" : "host", c->a,
				  scn_op_text(c->op), pkvm_page_state_name((int)c->b), pkvm_page_state_name(state));
		return;
	}
	if (mp_check(&pk->mp, why, sizeof(why)) == 0) {
		if (c->str2)
			scn_failf(x, c, "expected the ownership checker to find \"%s\", it found nothing wrong", c->str2);
	} else if (!c->str2 || !strstr(why, c->str2)) {
		scn_failf(x, c, "ownership: %s", why);
	}
}
