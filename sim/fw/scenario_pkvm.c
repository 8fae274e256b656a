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
 *                                            walker on every page (read and write),
 *                                            on vCPU N or every finalised vCPU
 *   stage2 map IPA PA SIZE PERMS [device]    kvm_pgtable_stage2_map() through
 *                                            host_stage2_try() on the host stage-2
 *   stage2 unmap IPA SIZE                    kvm_pgtable_stage2_unmap()
 *   stage2 inject-enomem N                   the next N host_stage2_try() attempts
 *                                            fail with -ENOMEM
 *   expect stage2 result OP VALUE            what the last `stage2` command returned
 *   expect stage2 IPA ==|!= unmapped|owner N|PERMS [device] [level L]
 *                                            the model's walk of the host stage-2
 */
#include <errno.h>
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
	if (machine_pkvm(&x->m) && machine_pkvm(&x->m)->initialised)
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
		fprintf(f, "  0x%012" PRIx64 "  0x%012" PRIx64 "  L%d @0x%09" PRIx64 "  %c%c%c%s   ", ipa, t.pa, t.level,
			t.ptep, t.r ? 'R' : '-', t.w ? 'W' : '-', t.x ? 'X' : '-',
			t.memattr == KVM_S2_MEMATTR_DEVICE ? " D " : "   ");
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

	if (!machine_pkvm(&x->m) || !machine_pkvm(&x->m)->initialised)
		return scn_errorf(x, c, "pKVM is not initialised: there is no stage-2 yet");
	if (s2pt_translate(&machine_pkvm(&x->m)->mp.host_s2, c->a, &t) < 0 ||
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
		dump_line(f, machine_pkvm(&x->m), ipa);
	if (ipa < end)
		fprintf(f, "  ... %" PRIu64 " more pages\n", (end - ipa + 4095) / 4096);
	return 0;
}

/* One vCPU's probes over the range. Return: false (reported) at the first disagreement. */
static bool xcheck_vcpu(struct exec *x, const struct scn_cmd *c, struct vcpu *v, bool name_it)
{
	uint64_t ipa, end = c->a + c->b;
	char why[300];

	for (ipa = c->a & ~0xfffull; ipa < end; ipa += 4096) {
		if (!machine_mem_ptr(&x->m, ipa, 4096)) {
			scn_failf(x, c, "IPA 0x%" PRIx64 " is not RAM: xcheck probes memory only", ipa);
			return false;
		}
		if (!pkvm_xcheck_page(&x->m, v, ipa, why, sizeof(why))) {
			if (name_it)
				scn_failf(x, c, "vcpu %d: %s", v->cpu.index, why);
			else
				scn_failf(x, c, "%s", why);
			return false;
		}
	}
	return true;
}

/* `vcpu N`: that vCPU; otherwise every vCPU that has finalised, paused or not. */
static void xcheck(struct exec *x, const struct scn_cmd *c)
{
	int i, n = 0;

	if (c->vcpu >= 0) {
		if (!pkvm_cpu_finalised(machine_pkvm(&x->m), (unsigned)c->vcpu))
			scn_failf(x, c, "vcpu %d has not finalised: its stage-2 is off", c->vcpu);
		else
			xcheck_vcpu(x, c, &x->m.vcpus[c->vcpu], false);
		return;
	}
	for (i = 0; i < x->m.cfg.nvcpus; i++) {
		if (!pkvm_cpu_finalised(machine_pkvm(&x->m), (unsigned)i))
			continue;
		n++;
		if (!xcheck_vcpu(x, c, &x->m.vcpus[i], true))
			return;
	}
	if (!n)
		scn_failf(x, c, "no vCPU has finalised: no stage-2 is on");
}

void scn_check_pkvm(struct exec *x, const struct scn_cmd *c)
{
	struct pkvm *pk = machine_pkvm(&x->m);
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

/* ---- the host stage-2, driven directly --------------------------------------------------- */

enum { STAGE2_MAP, STAGE2_UNMAP, STAGE2_ENOMEM };
enum { S2_WANT_UNMAPPED, S2_WANT_OWNER, S2_WANT_PERMS };

/* PERMS: letters from "rwx" once each, or "none"; then optionally `device`. */
static int prot_arg(struct pctx *p, uint64_t *prot)
{
	struct tok *t = scn_next(p, "permissions (r, rw, rwx, x, none)");
	const char *q;

	if (!t)
		return -1;
	*prot = 0;
	for (q = t->text; !scn_is(t, "none") && *q; q++) {
		uint64_t bit = *q == 'r' ? S2PT_PROT_R : *q == 'w' ? S2PT_PROT_W : *q == 'x' ? S2PT_PROT_X : 0;

		if (!bit || (*prot & bit))
			return scn_perr(p, t->col, "permissions are letters from 'rwx', each once, or 'none'; found '%s'",
					t->text);
		*prot |= bit;
	}
	if (p->i < p->n && scn_is(&p->t[p->i], "device")) {
		p->i++;
		*prot |= S2PT_PROT_DEVICE;
	}
	return 0;
}

int scn_parse_stage2(struct pctx *p, struct scn_cmd *c)
{
	struct tok *t;

	if (!p->s->pkvm.enabled)
		return scn_perr(p, c->col, "'stage2' needs 'pkvm' in the machine setup");
	if (!(t = scn_next(p, "'map', 'unmap' or 'inject-enomem'")))
		return -1;
	c->kind = SCN_STAGE2;
	if (scn_is(t, "map")) {
		c->width = STAGE2_MAP;
		if (scn_number(p, "IPA", &c->a) < 0 || scn_number(p, "PA", &c->b) < 0 || scn_number(p, "size", &c->c) < 0 ||
		    prot_arg(p, &c->args[0]) < 0)
			return -1;
	} else if (scn_is(t, "unmap")) {
		c->width = STAGE2_UNMAP;
		if (scn_number(p, "IPA", &c->a) < 0 || scn_number(p, "size", &c->c) < 0)
			return -1;
	} else if (scn_is(t, "inject-enomem")) {
		c->width = STAGE2_ENOMEM;
		if (scn_number(p, "attempt count", &c->a) < 0)
			return -1;
		if (c->a > 1000000)
			return scn_perr(p, p->t[p->i - 1].col, "at most 1000000 failing attempts");
	} else {
		return scn_perr(p, t->col, "unknown stage2 command '%s' (map, unmap, inject-enomem)", t->text);
	}
	return scn_no_more(p);
}

/* After a change, every vCPU's TLB is brought in line (as pKVM's TLBIs would). */
int scn_exec_stage2(struct exec *x, const struct scn_cmd *c)
{
	struct mem_protect *mp;

	if (!machine_pkvm(&x->m) || !machine_pkvm(&x->m)->initialised)
		return scn_errorf(x, c, "pKVM is not initialised: there is no host stage-2 yet (no successful __pkvm_init)");
	mp = &machine_pkvm(&x->m)->mp;
	switch (c->width) {
	case STAGE2_MAP:
		x->stage2_result = mp_host_stage2_map(mp, c->a, c->b, c->c, c->args[0]);
		break;
	case STAGE2_UNMAP:
		x->stage2_result = mp_host_stage2_unmap(mp, c->a, c->c);
		break;
	default:
		mp_inject_enomem(mp, (unsigned)c->a);
		x->stage2_result = 0;
		break;
	}
	x->have_stage2_result = true;
	pkvm_sync_tlbs(&x->m);
	return 0;
}

static const struct {
	const char *name;
	int64_t value;
} errnos[] = {
	{ "-EPERM", -EPERM }, { "-EINVAL", -EINVAL }, { "-ENOMEM", -ENOMEM }, { "-ERANGE", -ERANGE },
	{ "-EAGAIN", -EAGAIN }, { "-EEXIST", -EEXIST }, { "-EFAULT", -EFAULT },
};

/* A result: a number or an errno name. */
static int result_arg(struct pctx *p, uint64_t *v)
{
	size_t i;

	for (i = 0; p->i < p->n && i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (scn_is(&p->t[p->i], errnos[i].name)) {
			p->i++;
			*v = (uint64_t)errnos[i].value;
			return 0;
		}
	return scn_number(p, "result (a number or -EPERM, -EINVAL, -ENOMEM, -ERANGE, -EAGAIN, -EEXIST, -EFAULT)", v);
}

/* expect stage2 result OP VALUE | expect stage2 IPA ==|!= unmapped|owner N|PERMS [device] [level L] */
int scn_parse_expect_stage2(struct pctx *p, struct scn_cmd *c)
{
	struct tok *t;

	if (!p->s->pkvm.enabled)
		return scn_perr(p, c->col, "'expect stage2' needs 'pkvm' in the machine setup");
	if (p->i < p->n && scn_is(&p->t[p->i], "result")) {
		p->i++;
		c->kind = SCN_EXPECT_STAGE2_RESULT;
		if (scn_op_arg(p, &c->op) < 0 || result_arg(p, &c->b) < 0)
			return -1;
		return scn_no_more(p);
	}
	c->kind = SCN_EXPECT_STAGE2;
	if (scn_number(p, "IPA", &c->a) < 0 || scn_op_arg(p, &c->op) < 0)
		return -1;
	if (c->op != SCN_EQ && c->op != SCN_NE)
		return scn_perr(p, p->t[p->i - 1].col, "a mapping compares with == or != only");
	if (!(t = &p->t[p->i]) || p->i >= p->n)
		return scn_perr(p, c->col, "expected 'unmapped', 'owner N' or permissions after the operator");
	if (scn_is(t, "unmapped")) {
		p->i++;
		c->b = S2_WANT_UNMAPPED;
	} else if (scn_is(t, "owner")) {
		p->i++;
		c->b = S2_WANT_OWNER;
		if (scn_number(p, "owner id", &c->c) < 0)
			return -1;
		if (c->c == 0 || c->c > 255)
			return scn_perr(p, p->t[p->i - 1].col, "an owner id is 1..255 (0 is an unmapped entry)");
	} else {
		c->b = S2_WANT_PERMS;
		if (prot_arg(p, &c->c) < 0)
			return -1;
	}
	if (p->i < p->n && scn_is(&p->t[p->i], "level")) {
		p->i++;
		if (scn_number(p, "level", &c->args[0]) < 0)
			return -1;
		if (c->args[0] > 3)
			return scn_perr(p, p->t[p->i - 1].col, "a stage-2 level is 0..3");
		c->args[0]++; /* 0: any level */
	}
	return scn_no_more(p);
}

/* The walk's answer in the expectation's words: "unmapped", "owner 1", "rw device", "rwx", "none". */
static void describe(const struct s2pt_translation *t, char *out, size_t n)
{
	if (!t->valid && t->owner)
		snprintf(out, n, "owner %u at level %d", t->owner, t->level);
	else if (!t->valid)
		snprintf(out, n, "unmapped (level %d)", t->level);
	else
		snprintf(out, n, "%s%s%s%s%s at level %d, PA 0x%" PRIx64, t->r ? "r" : "", t->w ? "w" : "",
			 t->x ? "x" : "", !t->r && !t->w && !t->x ? "none" : "",
			 t->memattr == KVM_S2_MEMATTR_DEVICE ? " device" : "", t->level, t->pa);
}

static bool stage2_matches(const struct scn_cmd *c, const struct s2pt_translation *t)
{
	uint64_t prot;

	if (c->args[0] && (uint64_t)t->level != c->args[0] - 1)
		return false;
	if (c->b == S2_WANT_UNMAPPED)
		return !t->valid && !t->owner;
	if (c->b == S2_WANT_OWNER)
		return !t->valid && t->owner == c->c;
	prot = (t->r ? S2PT_PROT_R : 0) | (t->w ? S2PT_PROT_W : 0) | (t->x ? S2PT_PROT_X : 0) |
	       (t->memattr == KVM_S2_MEMATTR_DEVICE ? S2PT_PROT_DEVICE : 0);
	return t->valid && prot == c->c;
}

void scn_check_stage2(struct exec *x, const struct scn_cmd *c)
{
	struct s2pt_translation t;
	char got[96];

	if (c->kind == SCN_EXPECT_STAGE2_RESULT) {
		if (!x->have_stage2_result)
			scn_failf(x, c, "no 'stage2' command has run yet");
		else
			scn_check_value(x, c, "stage2 result", (uint64_t)x->stage2_result);
		return;
	}
	if (!ready(x, c))
		return;
	if (s2pt_translate(&machine_pkvm(&x->m)->mp.host_s2, c->a, &t) < 0) {
		scn_failf(x, c, "IPA 0x%" PRIx64 " is outside the host stage-2's IPA space", c->a);
		return;
	}
	if (stage2_matches(c, &t) == (c->op == SCN_EQ))
		return;
	describe(&t, got, sizeof(got));
	scn_failf(x, c, "IPA 0x%" PRIx64 ": the host stage-2 maps it %s", c->a, got);
}
