/* SPDX-License-Identifier: MIT */
/*
 * Scenario commands for a machine running pKVM (`pkvm` in the setup):
 *
 *   dump stage2 ADDR SIZE                    the host stage-2 as a table
 *   write stage2 IPA VALUE                   overwrite the IPA's leaf descriptor in
 *                                            memory, behind the model's and Unicorn's
 *                                            backs (no TLB flush): corruption tests
 *   expect pkvm host-state ADDR == STATE     OWNED, SHARED_OWNED, SHARED_BORROWED, NOPAGE
 *   expect pkvm hyp-state ADDR == STATE
 *   hvc FID [ARG...] [vcpu N]                a hypercall from the host side: served as
 *                                            if the vCPU had executed HVC, its registers
 *                                            untouched; `expect hvc xN OP VALUE` checks
 *   expect pkvm check ok|"TEXT"              the ownership checker's verdict
 *   expect pkvm xcheck ADDR SIZE [vcpu N]    Unicorn's MMU agrees with the model's
 *                                            walker on every page (read and write)
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "firmware.h"
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

int scn_parse_hvc(struct pctx *p, struct scn_cmd *c)
{
	int n = 0;

	if (p->s->cfg.arch != CPU_ARM64)
		return scn_perr(p, c->col, "'hvc' is arm64 only");
	c->kind = SCN_HVC;
	if (scn_number(p, "function id", &c->args[0]) < 0)
		return -1;
	while (p->i < p->n && !scn_is(&p->t[p->i], "vcpu")) {
		if (++n > 5)
			return scn_perr(p, p->t[p->i].col, "at most 5 arguments (x1..x5)");
		if (scn_number(p, "argument", &c->args[n]) < 0)
			return -1;
	}
	if (p->i < p->n) {
		p->i++;
		if (scn_vcpu_arg(p, &c->vcpu) < 0)
			return -1;
	}
	return scn_no_more(p);
}

int scn_exec_hvc(struct exec *x, const struct scn_cmd *c)
{
	struct vcpu *v = &x->m.vcpus[c->vcpu < 0 ? 0 : c->vcpu];
	struct cpu_exit e = { .kind = CPU_EXIT_HCALL, .time = x->m.now };
	int i;

	if (!x->m.booted) {
		struct run_goal g = { .until_cycle = 0 };

		if (machine_run(&x->m, &g) == RUN_ERROR) /* boots the vCPUs */
			return scn_errorf(x, c, "simulator error: %s", x->m.err);
	}
	e.pc = cpu_pc(&v->cpu);
	e.hcall.conduit = CPU_CONDUIT_HVC;
	for (i = 0; i < 6; i++)
		e.hcall.a[i] = c->args[i];
	for (i = 0; i < 4; i++)
		e.hcall.ret[i] = c->args[i];
	smccc_dispatch(&x->m, v, &e);
	memcpy(x->hvc_ret, e.hcall.ret, sizeof(x->hvc_ret));
	x->have_hvc = true;
	return 0;
}

int scn_parse_write_stage2(struct pctx *p, struct scn_cmd *c)
{
	if (!p->s->pkvm.enabled)
		return scn_perr(p, c->col, "'write stage2' needs 'pkvm' in the machine setup");
	c->kind = SCN_WRITE_STAGE2;
	if (scn_number(p, "IPA", &c->a) < 0 || scn_number(p, "descriptor value", &c->b) < 0)
		return -1;
	return scn_no_more(p);
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
	if (scn_is(t, "xcheck")) {
		c->kind = SCN_EXPECT_PKVM_XCHECK;
		if (scn_number(p, "address", &c->a) < 0 || scn_number(p, "size", &c->b) < 0)
			return -1;
		if (p->i < p->n && scn_is(&p->t[p->i], "vcpu")) {
			p->i++;
			if (scn_vcpu_arg(p, &c->vcpu) < 0)
				return -1;
		}
		return scn_no_more(p);
	}
	if (scn_is(t, "check")) {
		c->kind = SCN_EXPECT_PKVM_CHECK;
		return scn_ok_or_text(p, &c->str2);
	}
	return scn_perr(p, t->col, "unknown pkvm expectation '%s' (host-state, hyp-state, check, xcheck)", t->text);
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
		fprintf(f, "  0x%012" PRIx64 "  0x%012" PRIx64 "  L%d @0x%09" PRIx64 "  %c%c%c      ", ipa, t.pa, t.level,
			t.ptep, t.r ? 'R' : '-', t.w ? 'W' : '-', t.x ? 'X' : '-');
	else if (t.owner)
		fprintf(f, "  0x%012" PRIx64 "  %-14s  L%d @0x%09" PRIx64 "  owner %u  ", ipa, "-", t.level, t.ptep,
			t.owner);
	else
		fprintf(f, "  0x%012" PRIx64 "  %-14s  L%d @0x%09" PRIx64 "  ---      ", ipa, "(unmapped)", t.level, t.ptep);
	if (host >= 0)
		fprintf(f, "%-16s %s\n", pkvm_page_state_name(host), pkvm_page_state_name(hyp));
	else
		fprintf(f, "%-16s %s\n", "(MMIO)", "-");
}

int scn_exec_write_stage2(struct exec *x, const struct scn_cmd *c)
{
	struct s2pt_translation t;

	if (!x->m.pkvm || !x->m.pkvm->initialised)
		return scn_errorf(x, c, "pKVM is not initialised: there is no stage-2 yet");
	if (s2pt_translate(&x->m.pkvm->mp.host_s2, c->a, &t) < 0 ||
	    machine_mem_write(&x->m, t.ptep, &c->b, 8) < 0)
		return scn_errorf(x, c, "IPA 0x%" PRIx64 " has no stage-2 entry in memory", c->a);
	return 0;
}

int scn_exec_dump(struct exec *x, const struct scn_cmd *c)
{
	FILE *f = x->opt->report;
	uint64_t ipa, lines = 0, end = c->a + c->b;

	if (!ready(x, c) || !f)
		return 0;
	fprintf(f, "%s:%d: host stage-2, 0x%" PRIx64 "..0x%" PRIx64 "\n", x->s->path, c->line, c->a, end);
	fprintf(f, "  %-14s  %-14s  %-16s  %-8s %-16s %s\n", "IPA", "PA", "level, entry", "perms", "host state",
		"hyp state");
	for (ipa = c->a & ~0xfffull; ipa < end && lines < DUMP_MAX_LINES; ipa += 4096, lines++)
		dump_line(f, x->m.pkvm, ipa);
	if (ipa < end)
		fprintf(f, "  ... %" PRIu64 " more pages\n", (end - ipa + 4095) / 4096);
	return 0;
}

static void xcheck(struct exec *x, const struct scn_cmd *c)
{
	struct vcpu *v = &x->m.vcpus[c->vcpu < 0 ? 0 : c->vcpu];
	uint64_t ipa, end = c->a + c->b;
	char why[300];

	if (!pkvm_cpu_finalised(x->m.pkvm, (unsigned)v->cpu.index)) {
		scn_failf(x, c, "vcpu %d has not finalised: its stage-2 is off", v->cpu.index);
		return;
	}
	for (ipa = c->a & ~0xfffull; ipa < end; ipa += 4096) {
		if (!machine_mem_ptr(&x->m, ipa, 4096)) {
			scn_failf(x, c, "IPA 0x%" PRIx64 " is not RAM: xcheck probes memory only", ipa);
			return;
		}
		if (!pkvm_xcheck_page(&x->m, v, ipa, why, sizeof(why))) {
			scn_failf(x, c, "%s", why);
			return;
		}
	}
}

void scn_check_pkvm(struct exec *x, const struct scn_cmd *c)
{
	struct pkvm *pk = x->m.pkvm;
	char why[320];
	int state;

	if (!ready(x, c))
		return;
	if (c->kind == SCN_EXPECT_PKVM_XCHECK) {
		xcheck(x, c);
		return;
	}
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
