/* SPDX-License-Identifier: MIT */
/*
 * Scenario commands for a machine running pKVM:
 *
 *   pkvm [mainline|android] [phys-shift N] [ffa-pages N] [check-every-call] [test-calls]
 *                                            (setup) pKVM at EL2: the binding's
 *                                            configuration (struct pkvm_options)
 *   dump stage2 ADDR SIZE                    the host stage-2 as a table
 *   write stage2 IPA VALUE                   overwrite the IPA's leaf descriptor in
 *                                            memory, behind the model's and Unicorn's
 *                                            backs (no TLB flush): corruption tests
 *   expect pkvm host-state ADDR == STATE     OWNED, SHARED_OWNED, SHARED_BORROWED, NOPAGE
 *   expect pkvm host-faults [1G|2M|4K] OP N  host stage-2 faults the idmap mapped (with a leaf of that size)
 *   expect pkvm hyp-state ADDR == STATE
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
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "binding.h"
#include "firmware.h"
#include "pkvm.h"
#include "scenario_internal.h"

#define DUMP_MAX_LINES 256

extern const struct model_binding pkvm_binding;

/* ---- the family's typed commands and state ------------------------------------------------- */

enum stage2_op { STAGE2_MAP, STAGE2_UNMAP, STAGE2_ENOMEM };

/* write stage2, dump stage2, stage2 map|unmap|inject-enomem */
struct s2_step {
	enum stage2_op op;
	uint64_t ipa;   /* write, dump (the start), map, unmap */
	uint64_t pa;    /* map */
	uint64_t size;  /* dump, map, unmap */
	uint64_t prot;  /* map: S2PT_PROT_* */
	uint64_t value; /* write: the descriptor; inject-enomem: the attempt count */
};

enum pkvm_check { PC_STATE, PC_XCHECK, PC_CHECK, PC_FAULTS };

struct pkvm_expect {
	enum pkvm_check what;
	bool hyp;      /* state: the hypervisor's view, not the host's */
	uint64_t addr, size;
	enum scn_op op;
	int state;     /* PKVM_PAGE_* */
	int level;     /* host-faults: the leaf level counted (0: all) */
	uint64_t value;
	bool has_text; /* check: "TEXT" rather than ok */
	char text[];
};

enum s2_want { S2_WANT_UNMAPPED, S2_WANT_OWNER, S2_WANT_PERMS };

struct s2_expect {
	bool result; /* `expect stage2 result`, not a walk */
	enum scn_op op;
	uint64_t ipa;
	enum s2_want want;
	uint64_t value; /* result: the value; owner: the id; perms: S2PT_PROT_* */
	int level;      /* -1: any */
};

/* What the last `stage2` command returned. */
struct pkvm_scn_state {
	int64_t stage2_result;
	bool have_stage2_result;
};

static int state_arg(struct pctx *p, int *state)
{
	static const char *const names[] = { "OWNED", "SHARED_OWNED", "SHARED_BORROWED", "NOPAGE" };
	struct tok *t = scn_next(p, "page state");
	int i;

	if (!t)
		return -1;
	for (i = 0; i < 4; i++)
		if (scn_is(t, names[i])) {
			*state = i;
			return 0;
		}
	return scn_perr(p, t->col, "unknown page state '%s' (OWNED, SHARED_OWNED, SHARED_BORROWED, NOPAGE)", t->text);
}

/* pkvm [mainline|android] [phys-shift N] [ffa-pages N] [check-every-call] [test-calls] */
static int pkvm_option(struct pctx *p, struct pkvm_options *o, const struct tok *t)
{
	uint64_t v;

	if (scn_is(t, "test-calls")) {
		o->test_calls = true;
	} else if (scn_is(t, "check-every-call")) {
		o->check_every_call = true;
	} else if (scn_is(t, "mainline") || scn_is(t, "android")) {
		o->policy = scn_is(t, "android") ? PKVM_POLICY_ANDROID : PKVM_POLICY_MAINLINE;
	} else if (scn_is(t, "phys-shift") || scn_is(t, "ffa-pages")) {
		bool shift = scn_is(t, "phys-shift");

		if (scn_number(p, t->text, &v) < 0)
			return -1;
		if (shift && (v < 32 || v > 48))
			return scn_perr(p, p->t[p->i - 1].col, "phys-shift must be 32..48");
		if (!shift && v > 1024)
			return scn_perr(p, p->t[p->i - 1].col, "ffa-pages must be 0..1024");
		*(shift ? &o->phys_shift : &o->ffa_pages) = (uint32_t)v;
	} else {
		return scn_perr(p, t->col,
				"unexpected '%s' (mainline, android, phys-shift N, ffa-pages N, check-every-call, test-calls)",
				t->text);
	}
	return 0;
}

static int parse_pkvm_setup(struct pctx *p, struct scn_cmd *c)
{
	struct pkvm_options *o;

	if (p->s->cfg.arch != CPU_ARM64 || !p->have_arch)
		return scn_perr(p, c->col, "'pkvm' needs 'arch arm64' above it");
	if (p->s->cfg.nmem > 1)
		return scn_perr(p, c->col, "pkvm runs on one memory region; the setup above has %d", p->s->cfg.nmem);
	if (!(o = scn_typed(p, c, sizeof(*o))))
		return -1;
	*o = (struct pkvm_options){ .enabled = true, .policy = PKVM_POLICY_MAINLINE, .phys_shift = 40, .ffa_pages = 3 };
	while (p->i < p->n)
		if (pkvm_option(p, o, &p->t[p->i++]) < 0)
			return -1;
	return 0;
}

static int parse_write_stage2(struct pctx *p, struct scn_cmd *c)
{
	struct s2_step *w;

	if (!pkvm_config(&p->s->cfg))
		return scn_perr(p, c->col, "'write stage2' needs 'pkvm' in the machine setup");
	if (!(w = scn_typed(p, c, sizeof(*w))) || scn_number(p, "IPA", &w->ipa) < 0 ||
	    scn_number(p, "descriptor value", &w->value) < 0)
		return -1;
	return scn_no_more(p);
}

static int parse_dump(struct pctx *p, struct scn_cmd *c)
{
	struct s2_step *d;

	if (p->i < p->n && !scn_is(&p->t[p->i], "stage2"))
		return scn_perr(p, p->t[p->i].col, "'dump' shows the host stage-2 ('dump stage2 ADDR SIZE'), not '%s'",
				p->t[p->i].text);
	if (!pkvm_config(&p->s->cfg))
		return scn_perr(p, c->col, "'dump stage2' needs 'pkvm' in the machine setup");
	if (!(d = scn_typed(p, c, sizeof(*d))) || scn_expect_word(p, "stage2") < 0 ||
	    scn_number(p, "address", &d->ipa) < 0 || scn_number(p, "size", &d->size) < 0)
		return -1;
	return scn_no_more(p);
}

static int parse_xcheck(struct pctx *p, struct scn_cmd *c, struct pkvm_expect *e)
{
	e->what = PC_XCHECK;
	if (scn_number(p, "address", &e->addr) < 0 || scn_number(p, "size", &e->size) < 0)
		return -1;
	if (p->i < p->n && scn_is(&p->t[p->i], "vcpu")) {
		p->i++;
		if (scn_vcpu_arg(p, &c->vcpu) < 0)
			return -1;
	}
	return scn_no_more(p);
}

/* `expect pkvm host-faults [1G|2M|4K] OP N`: faults the idmap mapped (with a leaf of that size). */
static int parse_faults(struct pctx *p, struct pkvm_expect *e)
{
	static const char *const sizes[] = { "1G", "2M", "4K" };
	int i;

	e->what = PC_FAULTS;
	for (i = 0; p->i < p->n && i < 3; i++)
		if (scn_is(&p->t[p->i], sizes[i])) {
			e->level = i + 1;
			p->i++;
			break;
		}
	if (scn_op_arg(p, &e->op) < 0 || scn_number(p, "count", &e->value) < 0)
		return -1;
	return scn_no_more(p);
}

static int parse_expect_pkvm(struct pctx *p, struct scn_cmd *c)
{
	struct pkvm_expect *e;
	struct tok *t;
	int r;

	if (!pkvm_config(&p->s->cfg))
		return scn_perr(p, c->col, "'expect pkvm' needs 'pkvm' in the machine setup");
	if (!(e = scn_typed(p, c, sizeof(*e))) || !(t = scn_next(p, "'host-state', 'hyp-state' or 'check'")))
		return -1;
	if (scn_is(t, "host-state") || scn_is(t, "hyp-state")) {
		e->what = PC_STATE;
		e->hyp = scn_is(t, "hyp-state");
		if (scn_number(p, "address", &e->addr) < 0 || scn_op_arg(p, &e->op) < 0)
			return -1;
		if (e->op != SCN_EQ && e->op != SCN_NE)
			return scn_perr(p, p->t[p->i - 1].col, "a state compares with == or != only");
		return state_arg(p, &e->state) < 0 ? -1 : scn_no_more(p);
	}
	if (scn_is(t, "xcheck"))
		return parse_xcheck(p, c, e);
	if (scn_is(t, "host-faults"))
		return parse_faults(p, e);
	if (scn_is(t, "check")) {
		e->what = PC_CHECK;
		if ((r = scn_ok_or_text(p, c, offsetof(struct pkvm_expect, text))) < 0)
			return -1;
		((struct pkvm_expect *)c->ext)->has_text = r;
		return 0;
	}
	return scn_perr(p, t->col, "unknown pkvm expectation '%s' (host-state, hyp-state, check, xcheck, host-faults)",
			t->text);
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

void pkvm_fw_dump_ipa(struct machine *m, uint64_t ipa, FILE *f)
{
	struct pkvm *pk = machine_pkvm(m);

	if (!pk || !pk->initialised) {
		fprintf(f, "pKVM is not initialised: there is no host stage-2\n");
		return;
	}
	fprintf(f, "  %-14s  %-14s  %-16s  %-8s %-16s %s\n", "IPA", "PA", "level, entry", "perms", "host state",
		"hyp state");
	dump_line(f, pk, ipa & ~0xfffull);
}

static int exec_write_stage2(struct exec *x, const struct scn_cmd *c)
{
	const struct s2_step *w = c->ext;
	struct s2pt_translation t;

	if (!machine_pkvm(&x->m) || !machine_pkvm(&x->m)->initialised)
		return scn_errorf(x, c, "pKVM is not initialised: there is no stage-2 yet");
	if (s2pt_translate(&machine_pkvm(&x->m)->mp.host_s2, w->ipa, &t) < 0 ||
	    machine_mem_write(&x->m, t.ptep, &w->value, 8) < 0)
		return scn_errorf(x, c, "IPA 0x%" PRIx64 " has no stage-2 entry in memory", w->ipa);
	return 0;
}

static int exec_dump(struct exec *x, const struct scn_cmd *c)
{
	const struct s2_step *d = c->ext;
	FILE *f = x->opt->report;
	uint64_t ipa, lines = 0, end = d->ipa + d->size;

	if (!ready(x, c) || !f)
		return 0;
	fprintf(f, "%s:%d: host stage-2, 0x%" PRIx64 "..0x%" PRIx64 "\n", x->s->path, c->line, d->ipa, end);
	fprintf(f, "  %-14s  %-14s  %-16s  %-8s %-16s %s\n", "IPA", "PA", "level, entry", "perms", "host state",
		"hyp state");
	for (ipa = d->ipa & ~0xfffull; ipa < end && lines < DUMP_MAX_LINES; ipa += 4096, lines++)
		dump_line(f, machine_pkvm(&x->m), ipa);
	if (ipa < end)
		fprintf(f, "  ... %" PRIu64 " more pages\n", (end - ipa + 4095) / 4096);
	return 0;
}

/* One vCPU's probes over the range. Return: false (reported) at the first disagreement. */
static bool xcheck_vcpu(struct exec *x, const struct scn_cmd *c, struct vcpu *v, bool name_it)
{
	const struct pkvm_expect *e = c->ext;
	uint64_t ipa, end = e->addr + e->size;
	char why[300];

	for (ipa = e->addr & ~0xfffull; ipa < end; ipa += 4096) {
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

static void check_pkvm(struct exec *x, const struct scn_cmd *c)
{
	const struct pkvm_expect *e = c->ext;
	struct pkvm *pk = machine_pkvm(&x->m);
	char why[320];
	int state;

	if (!ready(x, c))
		return;
	if (e->what == PC_XCHECK) {
		xcheck(x, c);
		return;
	}
	if (e->what == PC_FAULTS) {
		scn_check_op(x, c, e->level == 1 ? "1 GiB host faults" : e->level == 2 ? "2 MiB host faults"
				   : e->level == 3 ? "4 KiB host faults" : "host faults",
			     pkvm_fw_host_faults(&x->m, e->level), e->op, e->value);
		return;
	}
	if (e->what == PC_STATE) {
		state = e->hyp ? mp_hyp_state(&pk->mp, e->addr) : mp_host_state(&pk->mp, e->addr);
		if ((state == e->state) != (e->op == SCN_EQ))
			scn_failf(x, c, "expected %s state of 0x%" PRIx64 " %s %s, it is %s", e->hyp ? "hyp" : "host", e->addr,
				  scn_op_text(e->op), pkvm_page_state_name(e->state), pkvm_page_state_name(state));
		return;
	}
	if (pkvm_check(pk, why, sizeof(why)) == 0) {
		if (e->has_text)
			scn_failf(x, c, "expected the ownership checker to find \"%s\", it found nothing wrong", e->text);
	} else if (!e->has_text || !strstr(why, e->text)) {
		scn_failf(x, c, "ownership: %s", why);
	}
}

/* ---- the host stage-2, driven directly --------------------------------------------------- */

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

static int parse_stage2(struct pctx *p, struct scn_cmd *c)
{
	struct s2_step *s;
	struct tok *t;

	if (!pkvm_config(&p->s->cfg))
		return scn_perr(p, c->col, "'stage2' needs 'pkvm' in the machine setup");
	if (!(s = scn_typed(p, c, sizeof(*s))) || !(t = scn_next(p, "'map', 'unmap' or 'inject-enomem'")))
		return -1;
	if (scn_is(t, "map")) {
		s->op = STAGE2_MAP;
		if (scn_number(p, "IPA", &s->ipa) < 0 || scn_number(p, "PA", &s->pa) < 0 ||
		    scn_number(p, "size", &s->size) < 0 || prot_arg(p, &s->prot) < 0)
			return -1;
	} else if (scn_is(t, "unmap")) {
		s->op = STAGE2_UNMAP;
		if (scn_number(p, "IPA", &s->ipa) < 0 || scn_number(p, "size", &s->size) < 0)
			return -1;
	} else if (scn_is(t, "inject-enomem")) {
		s->op = STAGE2_ENOMEM;
		if (scn_number(p, "attempt count", &s->value) < 0)
			return -1;
		if (s->value > 1000000)
			return scn_perr(p, p->t[p->i - 1].col, "at most 1000000 failing attempts");
	} else {
		return scn_perr(p, t->col, "unknown stage2 command '%s' (map, unmap, inject-enomem)", t->text);
	}
	return scn_no_more(p);
}

/* After a change, every vCPU's TLB is brought in line (as pKVM's TLBIs would). */
static int exec_stage2(struct exec *x, const struct scn_cmd *c)
{
	const struct s2_step *s = c->ext;
	struct pkvm_scn_state *st = scn_state(x, pkvm_binding.family);
	struct mem_protect *mp;

	if (!machine_pkvm(&x->m) || !machine_pkvm(&x->m)->initialised)
		return scn_errorf(x, c, "pKVM is not initialised: there is no host stage-2 yet (no successful __pkvm_init)");
	mp = &machine_pkvm(&x->m)->mp;
	switch (s->op) {
	case STAGE2_MAP:
		st->stage2_result = mp_host_stage2_map(mp, s->ipa, s->pa, s->size, s->prot);
		break;
	case STAGE2_UNMAP:
		st->stage2_result = mp_host_stage2_unmap(mp, s->ipa, s->size);
		break;
	default:
		mp_inject_enomem(mp, (unsigned)s->value);
		st->stage2_result = 0;
		break;
	}
	st->have_stage2_result = true;
	pkvm_sync_tlbs(&x->m);
	return 0;
}

static void stage2_result(struct exec *x, const struct scn_cmd *c, int64_t *status, uint64_t *value)
{
	const struct pkvm_scn_state *st = scn_state(x, pkvm_binding.family);

	(void)c;
	*status = st->stage2_result;
	*value = 0;
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

/* unmapped | owner N | PERMS [device], then [level L] */
static int parse_s2_want(struct pctx *p, struct s2_expect *e)
{
	struct tok *t = &p->t[p->i];

	if (scn_is(t, "unmapped")) {
		p->i++;
		e->want = S2_WANT_UNMAPPED;
	} else if (scn_is(t, "owner")) {
		p->i++;
		e->want = S2_WANT_OWNER;
		if (scn_number(p, "owner id", &e->value) < 0)
			return -1;
		if (e->value == 0 || e->value > 255)
			return scn_perr(p, p->t[p->i - 1].col, "an owner id is 1..255 (0 is an unmapped entry)");
	} else {
		e->want = S2_WANT_PERMS;
		if (prot_arg(p, &e->value) < 0)
			return -1;
	}
	if (p->i < p->n && scn_is(&p->t[p->i], "level")) {
		uint64_t level;

		p->i++;
		if (scn_number(p, "level", &level) < 0)
			return -1;
		if (level > 3)
			return scn_perr(p, p->t[p->i - 1].col, "a stage-2 level is 0..3");
		e->level = (int)level;
	}
	return scn_no_more(p);
}

/* expect stage2 result OP VALUE | expect stage2 IPA ==|!= unmapped|owner N|PERMS [device] [level L] */
static int parse_expect_stage2(struct pctx *p, struct scn_cmd *c)
{
	struct s2_expect *e;

	if (!pkvm_config(&p->s->cfg))
		return scn_perr(p, c->col, "'expect stage2' needs 'pkvm' in the machine setup");
	if (!(e = scn_typed(p, c, sizeof(*e))))
		return -1;
	e->level = -1;
	if (p->i < p->n && scn_is(&p->t[p->i], "result")) {
		p->i++;
		e->result = true;
		if (scn_op_arg(p, &e->op) < 0 || result_arg(p, &e->value) < 0)
			return -1;
		return scn_no_more(p);
	}
	if (scn_number(p, "IPA", &e->ipa) < 0 || scn_op_arg(p, &e->op) < 0)
		return -1;
	if (e->op != SCN_EQ && e->op != SCN_NE)
		return scn_perr(p, p->t[p->i - 1].col, "a mapping compares with == or != only");
	if (p->i >= p->n)
		return scn_perr(p, c->col, "expected 'unmapped', 'owner N' or permissions after the operator");
	return parse_s2_want(p, e);
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

static bool stage2_matches(const struct s2_expect *e, const struct s2pt_translation *t)
{
	uint64_t prot;

	if (e->level >= 0 && t->level != e->level)
		return false;
	if (e->want == S2_WANT_UNMAPPED)
		return !t->valid && !t->owner;
	if (e->want == S2_WANT_OWNER)
		return !t->valid && t->owner == e->value;
	prot = (t->r ? S2PT_PROT_R : 0) | (t->w ? S2PT_PROT_W : 0) | (t->x ? S2PT_PROT_X : 0) |
	       (t->memattr == KVM_S2_MEMATTR_DEVICE ? S2PT_PROT_DEVICE : 0);
	return t->valid && prot == e->value;
}

static void check_stage2(struct exec *x, const struct scn_cmd *c)
{
	const struct s2_expect *e = c->ext;
	const struct pkvm_scn_state *st = scn_state(x, pkvm_binding.family);
	struct s2pt_translation t;
	char got[96];

	if (e->result) {
		if (!st->have_stage2_result)
			scn_failf(x, c, "no 'stage2' command has run yet");
		else
			scn_check_op(x, c, "stage2 result", (uint64_t)st->stage2_result, e->op, e->value);
		return;
	}
	if (!ready(x, c))
		return;
	if (s2pt_translate(&machine_pkvm(&x->m)->mp.host_s2, e->ipa, &t) < 0) {
		scn_failf(x, c, "IPA 0x%" PRIx64 " is outside the host stage-2's IPA space", e->ipa);
		return;
	}
	if (stage2_matches(e, &t) == (e->op == SCN_EQ))
		return;
	describe(&t, got, sizeof(got));
	scn_failf(x, c, "IPA 0x%" PRIx64 ": the host stage-2 maps it %s", e->ipa, got);
}

/* `write stage2` only sets memory: model-only replay runs it. */
static const struct scn_verb pkvm_verbs[] = {
	{ .word = "write", .sub = "stage2", .parse = parse_write_stage2, .exec = exec_write_stage2, .session = true },
	{ .word = "dump", .parse = parse_dump, .exec = exec_dump },
	{ .word = "stage2", .parse = parse_stage2, .exec = exec_stage2, .result = stage2_result },
	{ 0 },
};

static const struct scn_expectation pkvm_expects[] = {
	{ .word = "pkvm", .parse = parse_expect_pkvm, .check = check_pkvm },
	{ .word = "stage2", .parse = parse_expect_stage2, .check = check_stage2 },
	{ 0 },
};

const struct scn_family pkvm_family = {
	.setup = "pkvm",
	.parse_setup = parse_pkvm_setup,
	.verbs = pkvm_verbs,
	.expects = pkvm_expects,
	.state_size = sizeof(struct pkvm_scn_state),
};
