/* SPDX-License-Identifier: MIT */
/* The hypercall fuzzer: generator, oracles, minimiser, reproducer (fuzz.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "firmware.h"
#include "fuzz.h"
#include "pkvm.h"
#include "scenario.h"

/* The fuzzed machine: the reproducer scenario's first lines. */
#define FZ_RAM_BASE 0x40000000ull
#define FZ_RAM_SIZE (64ull << 20)
#define FZ_RING ((uint64_t)0x43000000)
#define FZ_RING_STRIDE ((uint64_t)0x400000)
#define FZ_RING_MAX 64          /* calls per refill */
#define FZ_ENTRY 128            /* x0..x5, x0 and x1 returned, two touch addresses, their outcomes */
#define FZ_RING_CAP ((FZ_RING_STRIDE - 64) / FZ_ENTRY) /* calls a ring holds: vCPU i's is at FZ_RING + i * FZ_RING_STRIDE */
#define FZ_TOUCHES 2
#define FZ_TOUCH_OFF 0x40       /* where in a page the guest touches */
#define FZ_TOUCH_DONE 0x100     /* an outcome: this plus the refused accesses (0 or 2) */
#define FZ_QUANTUM 100          /* cycles per turn with several vCPUs: their calls interleave every few */
#define FZ_WIN_PFN 0x40800ull   /* the window the transitions aim at: host memory nothing else uses */
#define FZ_WIN_PAGES 64
#define FZ_SAFE_END_PFN 0x42000ull /* ranges may run on to the hyp region, never into the guest */
#define FZ_SAMPLE 64            /* pages whose states each call checks */
#define FZ_MIN_RUNS 3000        /* minimiser budget */

#define ID(n) KVM_HOST_SMCCC_ID(n)
#define NOT_SUPPORTED ((uint64_t)-1)

/* Which oracle a violation broke: the minimiser keeps the calls that break the same one. */
enum fz_vkind { FZ_V_CALL, FZ_V_TOUCH, FZ_V_FULL, FZ_V_RUN };

enum fz_op {
	OP_NONE, OP_SHARE_HYP, OP_UNSHARE_HYP, OP_DONATE_HYP, OP_HYP_DONATE_HOST, OP_SHARE_FFA, OP_UNSHARE_FFA,
	OP_PIN, OP_UNPIN, OP_FINALIZE, OP_TLBI, OP_INVALID,
};

static const char *const op_names[] = {
	"?", "__pkvm_host_share_hyp", "__pkvm_host_unshare_hyp", "donate_hyp", "hyp_donate_host",
	"share_ffa", "unshare_ffa", "pin", "unpin", "__pkvm_prot_finalize", "tlb maintenance", "invalid id",
};

struct fz_call {
	uint64_t a[6];
	uint64_t touch[FZ_TOUCHES]; /* addresses the guest loads from and stores to after the call, or 0 */
	uint32_t vcpu;          /* whose ring it goes in */
	bool executed;          /* the guest issued it (in the current run) */
};

/* What the oracle expects of one call, and the pages it looked at before. */
struct fz_expect {
	enum fz_op op;
	uint64_t phys, size;    /* the range it acts on */
	bool check_x1;
	uint64_t x0, x1;
	int n;
	uint64_t page[FZ_SAMPLE];
	int8_t host[FZ_SAMPLE], hyp[FZ_SAMPLE];   /* before */
	int8_t host_after[FZ_SAMPLE], hyp_after[FZ_SAMPLE];
	uint16_t ref[FZ_SAMPLE], ref_after[FZ_SAMPLE];
};

struct fuzz {
	const struct fuzz_opts *o;
	struct fuzz_stats *st;
	struct machine m;
	struct scenario s;
	uint64_t rng;
	unsigned nvcpus;
	char setup[200];        /* the machine, as the reproducer's first lines */
	/* the calls of this epoch, in the order they were generated */
	struct fz_call *calls;
	size_t ncalls, cap;
	/* replaying a fixed list (minimiser) instead of generating */
	struct fz_call *fixed;
	size_t nfixed, next_fixed[FUZZ_MAX_VCPUS];
	/* each vCPU's ring as last refilled: the list index of each call, and the next to run */
	struct {
		uint32_t idx[FZ_RING_MAX];
		unsigned n, pos;
	} batch[FUZZ_MAX_VCPUS];
	int last_vcpu;
	/* the access oracle: each vCPU's last call with touches, checked at its next trap */
	struct {
		long idx;           /* list index, -1: none */
		uint64_t entry;     /* its ring entry */
		uint64_t gen;       /* ownership changes so far, right after the call */
	} touched[FUZZ_MAX_VCPUS];
	uint64_t gen;           /* successful ownership-changing calls in this run */
	uint64_t slot[FUZZ_MAX_VCPUS]; /* fixed-list runs: each vCPU's calls issued so far */
	uint64_t cur_entry;     /* the ring entry of the call being served */
	long cur;               /* the list index of the call being served, or -1 */
	uint64_t limit;         /* calls to generate this epoch */
	uint64_t done;          /* calls answered this epoch */
	uint64_t next_full;
	bool pause, violated;
	enum fz_vkind vkind;    /* with violated */
	enum fz_vkind want_vkind; /* the minimiser's target */
	unsigned boot_left[FUZZ_MAX_VCPUS]; /* the vCPU's boot calls still to come (not fuzzed) */
	bool skip;              /* the call being served is not a fuzzed one */
	struct hcall_observer hobs;
	struct fz_expect ex;
	char what[600];
	struct fz_expect last_bad;
	/* each call's expectation in a fixed-list run, for the reproducer */
	uint64_t *exp_x0, *exp_x1;
	bool *exp_x1_checked;
	uint64_t (*exp_touch)[FZ_TOUCHES]; /* FZ_TOUCH_DONE + 0 or 2, or 0: not decided */
};

/* ---- random numbers (splitmix64: the seed is the only source) ----------------------- */

static uint64_t rnd(struct fuzz *f)
{
	uint64_t z = (f->rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t below(struct fuzz *f, uint64_t n)
{
	return rnd(f) % n;
}

/* ---- page states, read from the model's vmemmap ---------------------------------------- */

static struct pkvm *pk(struct fuzz *f)
{
	return machine_pkvm(&f->m);
}

static int host_state(struct fuzz *f, uint64_t phys)
{
	return mp_host_state(&pk(f)->mp, phys);
}

static int hyp_state(struct fuzz *f, uint64_t phys)
{
	return mp_hyp_state(&pk(f)->mp, phys);
}

static uint16_t refcount(struct fuzz *f, uint64_t phys)
{
	struct hyp_page_info pi;

	return hyp_vmemmap_read(&pk(f)->vmemmap, phys, &pi) == 0 ? pi.refcount : 0;
}

/* ---- the oracle: docs/models/pkvm.md §2.5 ------------------------------------------------------- */

/* check_range_allowed_memory() over the one memory region. */
static int range_allowed(uint64_t start, uint64_t end)
{
	uint64_t rs, re;
	bool memory = false;

	if (start < FZ_RAM_BASE) {
		rs = 0;
		re = FZ_RAM_BASE;
	} else if (start - FZ_RAM_BASE < FZ_RAM_SIZE) {
		rs = FZ_RAM_BASE;
		re = FZ_RAM_BASE + FZ_RAM_SIZE;
		memory = true;
	} else {
		rs = FZ_RAM_BASE + FZ_RAM_SIZE;
		re = UINT64_MAX;
	}
	if (end - 1 < rs || end - 1 >= re)
		return -EINVAL;
	return memory ? 0 : -EPERM;
}

/* Every page of [addr, addr + size) in state @s for host (or hyp); -EPERM at the first that is not. */
static int all_in(struct fuzz *f, uint64_t addr, uint64_t size, int s, bool hyp)
{
	uint64_t a;

	for (a = addr; a < addr + size; a += 4096)
		if ((hyp ? hyp_state(f, a) : host_state(f, a)) != s)
			return -EPERM;
	return 0;
}

static int host_check(struct fuzz *f, uint64_t addr, uint64_t size, int s)
{
	int r = range_allowed(addr, addr + size);

	return r ? r : all_in(f, addr, size, s, false);
}

static int expected_result(struct fuzz *f, const struct fz_expect *e)
{
	uint64_t a = e->phys, n = e->size;
	int r;

	switch (e->op) {
	case OP_SHARE_HYP:
	case OP_DONATE_HYP:
		r = host_check(f, a, n, PKVM_PAGE_OWNED);
		return r ? r : all_in(f, a, n, PKVM_NOPAGE, true);
	case OP_UNSHARE_HYP:
		r = host_check(f, a, n, PKVM_PAGE_SHARED_OWNED);
		if (!r)
			r = all_in(f, a, n, PKVM_PAGE_SHARED_BORROWED, true);
		return r ? r : refcount(f, a) ? -EBUSY : 0;
	case OP_HYP_DONATE_HOST:
		r = all_in(f, a, n, PKVM_PAGE_OWNED, true);
		return r ? r : host_check(f, a, n, PKVM_NOPAGE);
	case OP_SHARE_FFA:
		return host_check(f, a, n, PKVM_PAGE_OWNED);
	case OP_UNSHARE_FFA:
		return host_check(f, a, n, PKVM_PAGE_SHARED_OWNED);
	case OP_PIN:
		r = host_check(f, a, n, PKVM_PAGE_SHARED_OWNED);
		return r ? r : all_in(f, a, n, PKVM_PAGE_SHARED_BORROWED, true);
	default:
		return 0;
	}
}

/* The states a successful call leaves (a failed one leaves everything as it was). */
static void effect(struct fz_expect *e, int i)
{
	e->host_after[i] = e->host[i];
	e->hyp_after[i] = e->hyp[i];
	e->ref_after[i] = e->ref[i];
	if (e->x0 != 0 || e->x1 != 0)
		return;
	switch (e->op) {
	case OP_SHARE_HYP: e->host_after[i] = PKVM_PAGE_SHARED_OWNED; e->hyp_after[i] = PKVM_PAGE_SHARED_BORROWED; break;
	case OP_UNSHARE_HYP: e->host_after[i] = PKVM_PAGE_OWNED; e->hyp_after[i] = PKVM_NOPAGE; break;
	case OP_DONATE_HYP: e->host_after[i] = PKVM_NOPAGE; e->hyp_after[i] = PKVM_PAGE_OWNED; break;
	case OP_HYP_DONATE_HOST: e->host_after[i] = PKVM_PAGE_OWNED; e->hyp_after[i] = PKVM_NOPAGE; break;
	case OP_SHARE_FFA: e->host_after[i] = PKVM_PAGE_SHARED_OWNED; break;
	case OP_UNSHARE_FFA: e->host_after[i] = PKVM_PAGE_OWNED; break;
	case OP_PIN: e->ref_after[i] = (uint16_t)(e->ref[i] + 1); break;
	case OP_UNPIN: e->ref_after[i] = (uint16_t)(e->ref[i] - 1); break;
	default: break;
	}
}

/* Decode a call the way the dispatcher must (§4.4): which operation, on which range. */
static void decode(const uint64_t a[6], struct fz_expect *e)
{
	uint64_t id = (a[0] & ~ARM_SMCCC_CALL_HINTS) - KVM_HOST_SMCCC_ID(0);
	bool vendor = (a[0] >> 32) == 0 && ((a[0] >> 24) & 0x3f) == 6;

	memset(e, 0, offsetof(struct fz_expect, n));
	e->op = OP_INVALID;
	if (vendor && id == PKVM_HC_HOST_SHARE_HYP)
		e->op = OP_SHARE_HYP;
	else if (vendor && id == PKVM_HC_HOST_UNSHARE_HYP)
		e->op = OP_UNSHARE_HYP;
	else if (vendor && id == PKVM_HC_PROT_FINALIZE)
		e->op = OP_FINALIZE;
	else if (vendor && id >= PKVM_HC_FLUSH_VM_CONTEXT && id <= PKVM_HC_FLUSH_CPU_CONTEXT)
		e->op = OP_TLBI;
	else if (a[0] == HYPSIM_SIP_PKVM_TEST && a[1] >= PKVM_TEST_DONATE_HYP && a[1] <= PKVM_TEST_UNPIN)
		e->op = (enum fz_op)(OP_DONATE_HYP + (a[1] - PKVM_TEST_DONATE_HYP));
	if (e->op == OP_SHARE_HYP || e->op == OP_UNSHARE_HYP) {
		e->phys = a[1] << 12;
		e->size = 4096;
	} else if (e->op == OP_PIN || e->op == OP_UNPIN) {
		e->phys = a[2] << 12;
		e->size = ((a[2] + a[3]) << 12) - e->phys; /* [from, to) as passed: u64 arithmetic, wrap included */
	} else if (e->op >= OP_DONATE_HYP && e->op <= OP_UNSHARE_FFA) {
		e->phys = a[2] << 12;
		e->size = 4096 * a[3]; /* PAGE_SIZE * nr_pages, wrap included */
	}
}

static struct fz_call *list_at(struct fuzz *f, long idx)
{
	return idx < 0 ? NULL : f->fixed ? &f->fixed[idx] : &f->calls[idx];
}

/*
 * The calls whose legality hangs on the states (an unpin of a zero refcount
 * is a hyp BUG by design, and the FF-A proxy never unshares a page hyp
 * borrows) are decided as they run, not when generated: with several vCPUs
 * another one's calls come in between.  The decision is written back into
 * the list, so a reproducer replays what ran.
 */
static void decide(struct fuzz *f, uint64_t a[6])
{
	uint64_t phys = a[2] << 12;

	if (a[0] != HYPSIM_SIP_PKVM_TEST)
		return;
	if (a[1] == PKVM_TEST_UNSHARE_FFA && hyp_state(f, phys) == PKVM_PAGE_SHARED_BORROWED) {
		a[0] = ID(PKVM_HC_HOST_SHARE_HYP);
		a[1] = a[2];
		a[2] = a[3] = 0;
	} else if (a[1] == PKVM_TEST_UNPIN && refcount(f, phys) == 0) {
		a[1] = PKVM_TEST_PIN;
	} else if (a[1] == PKVM_TEST_PIN && refcount(f, phys) >= 60000) {
		a[1] = PKVM_TEST_UNPIN;
	}
}

static const char *state_name(int s)
{
	return s < 0 ? "none" : pkvm_page_state_name(s);
}

/* ---- the access oracle --------------------------------------------------------------------- */

/* The address of entry @k of @vcpu's ring. */
static uint64_t ring_entry(unsigned vcpu, uint64_t k)
{
	return FZ_RING + FZ_RING_STRIDE * vcpu + 64 + FZ_ENTRY * k;
}

static bool in_window(uint64_t phys)
{
	return phys >= FZ_WIN_PFN << 12 && phys < (FZ_WIN_PFN + FZ_WIN_PAGES) << 12;
}

/*
 * What the guest touches after a transition: the first page of its range
 * and the page right after it (a neighbour the call must leave alone), each
 * where it lies in the window.
 */
static void choose_touches(struct fz_call *c)
{
	struct fz_expect e;
	uint64_t at[FZ_TOUCHES];
	int k, n = 0;

	decode(c->a, &e);
	memset(c->touch, 0, sizeof(c->touch));
	if (e.op < OP_SHARE_HYP || e.op > OP_UNPIN)
		return;
	at[0] = e.phys;
	at[1] = e.phys + e.size;
	for (k = 0; k < FZ_TOUCHES; k++)
		if (in_window(at[k]))
			c->touch[n++] = (at[k] & ~0xfffull) + FZ_TOUCH_OFF;
}

/*
 * The outcome the model's states give a touch of @addr: the host stage-2
 * lets the host at every page it owns or shares (a fault there is resolved
 * by the lazy idmap); a page the host has no state in (NOPAGE: hyp owns it)
 * is refused, its load and its store each an injected abort.
 */
static uint64_t touch_outcome(struct fuzz *f, uint64_t addr)
{
	int h = host_state(f, addr & ~0xfffull);

	return FZ_TOUCH_DONE + (h < 0 || h == PKVM_NOPAGE ? 2 : 0);
}

/*
 * Check what @vcpu's touches after its last call did, now that it traps
 * again.  Only when no ownership changed since that call (another vCPU may
 * have run between the call and the touches): the states are then the ones
 * the touches met.  Return: false on a violation.
 */
static bool check_touches(struct fuzz *f, int vcpu)
{
	uint64_t w[2 * FZ_TOUCHES], want;
	long idx = f->touched[vcpu].idx;
	int k;

	if (idx < 0)
		return true;
	f->touched[vcpu].idx = -1;
	if (machine_mem_read(&f->m, f->touched[vcpu].entry + 64, w, sizeof(w)) < 0)
		return true;
	for (k = 0; k < FZ_TOUCHES; k++) {
		if (!w[k] || w[FZ_TOUCHES + k] < FZ_TOUCH_DONE)
			continue; /* no touch, or the guest did not get to it */
		if (f->gen != f->touched[vcpu].gen) {
			f->st->touches[2] += !f->fixed;
			continue;
		}
		want = touch_outcome(f, w[k]);
		if (f->exp_touch)
			f->exp_touch[idx][k] = want;
		f->st->touches[want != FZ_TOUCH_DONE] += !f->fixed;
		if (w[FZ_TOUCHES + k] == want)
			continue;
		snprintf(f->what, sizeof(f->what),
			 "call %ld (vCPU %d): the guest's touch of 0x%" PRIx64 " after it was %s (%" PRIu64
			 " of 2 accesses refused); the page's host state %s says %s",
			 idx + 1, vcpu, w[k], w[FZ_TOUCHES + k] == FZ_TOUCH_DONE ? "allowed" : "refused",
			 w[FZ_TOUCHES + k] - FZ_TOUCH_DONE, state_name(host_state(f, w[k] & ~0xfffull)),
			 want == FZ_TOUCH_DONE ? "allowed" : "refused");
		f->violated = true;
		f->vkind = FZ_V_TOUCH;
		f->last_bad.n = 0;
		return false;
	}
	return true;
}

/* Which generated call @vcpu is issuing now: f->cur (-1: none) and its ring entry. */
static void find_current(struct fuzz *f, int vcpu)
{
	size_t *next = &f->next_fixed[vcpu];

	if (f->fixed) { /* the rings were written before the run: this vCPU's next call in the list */
		while (*next < f->nfixed && f->fixed[*next].vcpu != (uint32_t)vcpu)
			++*next;
		if (*next < f->nfixed)
			f->cur = (long)(*next)++;
		f->cur_entry = ring_entry((unsigned)vcpu, f->slot[vcpu]++);
	} else if (f->batch[vcpu].pos < f->batch[vcpu].n) {
		f->cur_entry = ring_entry((unsigned)vcpu, f->batch[vcpu].pos);
		f->cur = f->batch[vcpu].idx[f->batch[vcpu].pos++];
	}
}

/* The expected x0/x1 of the call in @a, from pKVM's rules and the page states now. */
static void expect_result(struct fuzz *f, const uint64_t a[6], struct fz_expect *e)
{
	decode(a, e);
	switch (e->op) {
	case OP_INVALID:
		e->x0 = NOT_SUPPORTED;
		e->x1 = a[1]; /* untouched */
		e->check_x1 = true;
		break;
	case OP_FINALIZE:
		e->x1 = (uint64_t)(int64_t)-EPERM; /* already finalised on this CPU */
		e->check_x1 = true;
		break;
	case OP_TLBI:
		break;
	default:
		e->x1 = (uint64_t)(int64_t)expected_result(f, e);
		e->check_x1 = true;
	}
	if (f->fixed && f->exp_x0 && f->cur >= 0) {
		f->exp_x0[f->cur] = e->x0;
		f->exp_x1[f->cur] = e->x1;
		f->exp_x1_checked[f->cur] = e->check_x1;
	}
}

/* The range's pages in memory (outside it there is nothing to check), at most FZ_SAMPLE, and what the call must do to them. */
static void expect_pages(struct fuzz *f, struct fz_expect *e)
{
	uint64_t p;
	int i;

	e->n = 0;
	if (e->op < OP_SHARE_HYP || e->op > OP_UNPIN || e->phys + e->size < e->phys)
		return;
	p = e->phys > FZ_RAM_BASE ? e->phys : FZ_RAM_BASE;
	for (; p < e->phys + e->size && p < FZ_RAM_BASE + FZ_RAM_SIZE && e->n < FZ_SAMPLE; p += 4096) {
		i = e->n++;
		e->page[i] = p;
		e->host[i] = (int8_t)host_state(f, p);
		e->hyp[i] = (int8_t)hyp_state(f, p);
		e->ref[i] = refcount(f, p);
	}
	for (i = 0; i < e->n; i++)
		effect(e, i);
}

static void oracle_pre(void *ctx, struct machine *m, int vcpu, uint64_t a[6])
{
	struct fuzz *f = ctx;
	struct fz_call *c;

	f->cur = -1;
	f->skip = true;
	if (vcpu >= (int)f->nvcpus || f->violated)
		return;
	if (!check_touches(f, vcpu)) {
		m->stop_requested = true;
		return;
	}
	if (a[0] == HYPSIM_SIP_FUZZ_REFILL)
		return;
	if (f->boot_left[vcpu]) { /* __pkvm_init, the key and finalize (vCPU 0); finalize (the others) */
		f->boot_left[vcpu]--;
		return;
	}
	f->skip = false;
	find_current(f, vcpu);
	decide(f, a);
	if ((c = list_at(f, f->cur))) {
		memcpy(c->a, a, sizeof(c->a));
		c->executed = true;
	}
	expect_result(f, a, &f->ex);
	expect_pages(f, &f->ex);
}

static void call_text(const uint64_t a[6], char *out, size_t n)
{
	struct fz_expect e;

	decode(a, &e);
	if (e.op == OP_SHARE_HYP || e.op == OP_UNSHARE_HYP)
		snprintf(out, n, "%s(pfn 0x%" PRIx64 ")", op_names[e.op], a[1]);
	else if (e.op >= OP_DONATE_HYP && e.op <= OP_UNPIN)
		snprintf(out, n, "%s(pfn 0x%" PRIx64 ", %" PRIu64 " pages)", op_names[e.op], a[2], a[3]);
	else
		snprintf(out, n, "%s (x0 0x%" PRIx64 ", x1 0x%" PRIx64 ")", op_names[e.op], a[0], a[1]);
}

static bool violation(struct fuzz *f, const uint64_t a[6], const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool violation(struct fuzz *f, const uint64_t a[6], const char *fmt, ...)
{
	char call[160], msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	call_text(a, call, sizeof(call));
	snprintf(f->what, sizeof(f->what), "%s: %s", call, msg);
	f->violated = true;
	f->vkind = FZ_V_CALL;
	f->last_bad = f->ex;
	return false;
}

static void count_result(struct fuzz *f, const uint64_t ret[4])
{
	int64_t r = (int64_t)ret[1];
	int k = ret[0] == NOT_SUPPORTED ? 4 : r == 0 ? 0 : r == -EPERM ? 1 : r == -EINVAL ? 2 : r == -EBUSY ? 3 : 5;

	f->st->by_result[k]++;
}

static bool oracle_post(void *ctx, struct machine *m, int vcpu, const uint64_t a[6], const uint64_t ret[4])
{
	struct fuzz *f = ctx;
	struct fz_expect *e = &f->ex;
	int i;

	struct fz_call *c;

	if (f->violated)
		return false;
	if (a[0] == HYPSIM_SIP_FUZZ_REFILL || vcpu >= (int)f->nvcpus || f->skip)
		return true;
	f->done++;
	if (!f->fixed) {
		count_result(f, ret);
		f->st->by_vcpu[vcpu]++;
		f->st->switches += f->done > 1 && vcpu != f->last_vcpu;
	}
	f->last_vcpu = vcpu;
	if (ret[0] == 0 && ret[1] == 0 && e->op >= OP_SHARE_HYP && e->op <= OP_UNSHARE_FFA)
		f->gen++;
	if ((c = list_at(f, f->cur)) && c->touch[0]) {
		f->touched[vcpu].idx = f->cur;
		f->touched[vcpu].entry = f->cur_entry;
		f->touched[vcpu].gen = f->gen;
	}
	if (m->halted)
		return violation(f, a, "the hypervisor panicked");
	if (ret[0] != e->x0)
		return violation(f, a, "x0 = 0x%" PRIx64 ", pKVM's rules say 0x%" PRIx64, ret[0], e->x0);
	if (e->check_x1 && ret[1] != e->x1)
		return violation(f, a, "returned %" PRId64 ", pKVM's rules say %" PRId64 " for the states before the call",
				 (int64_t)ret[1], (int64_t)e->x1);
	for (i = 0; i < e->n; i++) {
		uint64_t p = e->page[i];
		int h = host_state(f, p), y = hyp_state(f, p);

		if (h != e->host_after[i] || y != e->hyp_after[i])
			return violation(f, a, "page 0x%" PRIx64 " went %s/%s -> %s/%s (host/hyp); pKVM's rules say %s/%s", p,
					 state_name(e->host[i]), state_name(e->hyp[i]), state_name(h), state_name(y),
					 state_name(e->host_after[i]), state_name(e->hyp_after[i]));
		if (refcount(f, p) != e->ref_after[i])
			return violation(f, a, "page 0x%" PRIx64 " refcount %u -> %u; pKVM's rules say %u", p, e->ref[i],
					 refcount(f, p), e->ref_after[i]);
	}
	if (f->o->check_every && f->done >= f->next_full) {
		f->next_full = f->done + f->o->check_every;
		f->pause = true;
		return false; /* full checks need Unicorn idle: machine_run returns */
	}
	return true;
}

/* ---- the full checkers ------------------------------------------------------------------ */

static bool full_check(struct fuzz *f)
{
	struct pkvm *p = pk(f);
	char why[320];
	uint64_t pfn;
	unsigned i;

	f->st->full_checks++;
	if (pkvm_check(p, why, sizeof(why)) < 0 || hyp_pool_check(&p->hpool, why, sizeof(why)) < 0 ||
	    hyp_pool_check(&p->host_s2_pool, why, sizeof(why)) < 0) {
		snprintf(f->what, sizeof(f->what), "invariant broken after call %" PRIu64 ": %s", f->done, why);
		f->violated = true;
		f->vkind = FZ_V_FULL;
		return false;
	}
	/* every vCPU under its stage-2, the one whose call paused the run and the others alike */
	for (i = 0; i < f->nvcpus; i++) {
		if (!pkvm_cpu_finalised(p, i))
			continue;
		for (pfn = FZ_WIN_PFN; pfn < FZ_WIN_PFN + FZ_WIN_PAGES; pfn++) {
			if (pkvm_xcheck_page(&f->m, &f->m.vcpus[i], pfn << 12, why, sizeof(why)))
				continue;
			snprintf(f->what, sizeof(f->what), "after call %" PRIu64 ": vCPU %u: %s", f->done, i, why);
			f->violated = true;
			f->vkind = FZ_V_FULL;
			return false;
		}
	}
	return true;
}

/* ---- the generator ------------------------------------------------------------------------- */

static uint64_t window_pfn(struct fuzz *f)
{
	return FZ_WIN_PFN + below(f, FZ_WIN_PAGES);
}

static uint64_t edge_pfn(struct fuzz *f)
{
	static const uint64_t fixed[] = {
		0, 1, (FZ_RAM_BASE >> 12) - 1, (FZ_RAM_BASE + FZ_RAM_SIZE) >> 12, ((FZ_RAM_BASE + FZ_RAM_SIZE) >> 12) - 1,
		(1ull << 52) - 1, UINT64_MAX, 1ull << 52, 0x42000, 0x42001, 0x427ff, 0x41f00,
	};

	switch (below(f, 4)) {
	case 0: return fixed[below(f, sizeof(fixed) / sizeof(fixed[0]))];
	case 1: return window_pfn(f) | (1ull << (52 + below(f, 12))); /* wraps back into the window */
	case 2: return 0x42000 + below(f, 0x800);                      /* hyp's own pages */
	default: return window_pfn(f);
	}
}

static uint64_t any_pfn(struct fuzz *f)
{
	return below(f, 10) < 7 ? window_pfn(f) : edge_pfn(f);
}

static uint64_t page_count(struct fuzz *f)
{
	static const uint64_t edges[] = { 0, 2, 3, 8, 64, 512, 1ull << 32, 1ull << 52, (1ull << 52) + 1, UINT64_MAX,
					  (1ull << 52) - 1, 16384 };

	return below(f, 10) < 5 ? 1 : below(f, 10) < 5 ? 1 + below(f, 4) : edges[below(f, sizeof(edges) / sizeof(edges[0]))];
}

/* Ranges for the hyp-side transitions stay in the window (trusted callers: never hyp's own memory). */
static void window_range(struct fuzz *f, uint64_t *pfn, uint64_t *nr)
{
	*pfn = window_pfn(f);
	*nr = below(f, 8) ? 1 + below(f, 3) : below(f, FZ_SAFE_END_PFN - *pfn);
}

static void test_call(struct fz_call *c, unsigned op, uint64_t pfn, uint64_t nr)
{
	c->a[0] = HYPSIM_SIP_PKVM_TEST;
	c->a[1] = op;
	c->a[2] = pfn;
	c->a[3] = nr;
}

static bool pinned(struct fuzz *f, uint64_t pfn)
{
	return refcount(f, pfn << 12) > 0;
}

/*
 * One call.  Pin, unpin and unshare_ffa read the current states to choose
 * (an unpin of a zero refcount is a hyp BUG by design, not a finding), so
 * refill() ends a batch before one of them unless it comes first.
 */
static void generate(struct fuzz *f, struct fz_call *c, bool first)
{
	static const uint64_t invalid[] = {
		ID(0), ID(1), ID(2), ID(3), ID(4), ID(5), ID(6), ID(33), ID(0xff), ID(0xffffff), 0x1c6000008ull,
		0x86000008ull, 0xc7000008ull, 0xc5000001ull, 0xc20000ffull,
	};
	uint64_t pfn, nr, k = below(f, 100);

	memset(c, 0, sizeof(*c));
	c->a[1] = rnd(f) & 0xffff;
	if (k < 22) {
		c->a[0] = ID(PKVM_HC_HOST_SHARE_HYP) | (below(f, 8) ? 0 : ARM_SMCCC_CALL_HINTS);
		c->a[1] = any_pfn(f);
	} else if (k < 44) {
		c->a[0] = ID(PKVM_HC_HOST_UNSHARE_HYP);
		c->a[1] = any_pfn(f);
	} else if (k < 54) {
		test_call(c, PKVM_TEST_DONATE_HYP, any_pfn(f), page_count(f));
	} else if (k < 62) {
		window_range(f, &pfn, &nr);
		test_call(c, PKVM_TEST_HYP_DONATE_HOST, pfn, nr);
	} else if (k < 69) {
		test_call(c, PKVM_TEST_SHARE_FFA, any_pfn(f), page_count(f));
	} else if (k < 76 && first) {
		/*
		 * The FF-A proxy only unshares what it shared: a page hyp borrows
		 * (state C) is never passed, so that one draws a share_hyp instead.
		 */
		pfn = any_pfn(f);
		if (hyp_state(f, pfn << 12) == PKVM_PAGE_SHARED_BORROWED) {
			c->a[0] = ID(PKVM_HC_HOST_SHARE_HYP);
			c->a[1] = pfn;
		} else {
			test_call(c, PKVM_TEST_UNSHARE_FFA, pfn, 1);
		}
	} else if (k < 82 && first) {
		pfn = window_pfn(f);
		if (refcount(f, pfn << 12) < 60000)
			test_call(c, PKVM_TEST_PIN, pfn, 1);
		else
			test_call(c, PKVM_TEST_UNPIN, pfn, 1);
	} else if (k < 88 && first) {
		for (pfn = window_pfn(f), nr = 0; nr < FZ_WIN_PAGES && !pinned(f, pfn); nr++)
			pfn = FZ_WIN_PFN + (pfn - FZ_WIN_PFN + 1) % FZ_WIN_PAGES;
		if (nr < FZ_WIN_PAGES)
			test_call(c, PKVM_TEST_UNPIN, pfn, 1);
		else
			test_call(c, PKVM_TEST_PIN, pfn, 1);
	} else if (k < 90) {
		c->a[0] = ID(PKVM_HC_PROT_FINALIZE);
	} else if (k < 93) {
		c->a[0] = ID(PKVM_HC_FLUSH_VM_CONTEXT + below(f, 6));
		c->a[2] = rnd(f);
	} else {
		c->a[0] = below(f, 4) ? invalid[below(f, sizeof(invalid) / sizeof(invalid[0]))] : HYPSIM_SIP_PKVM_TEST;
		if (c->a[0] == HYPSIM_SIP_PKVM_TEST)
			c->a[1] = below(f, 2) ? 0 : 7 + below(f, 100); /* no such transition */
	}
}

static bool grow(struct fuzz *f)
{
	struct fz_call *n;

	if (f->ncalls < f->cap)
		return true;
	n = realloc(f->calls, (f->cap ? f->cap * 2 : 1024) * sizeof(*n));
	if (!n)
		return false;
	f->calls = n;
	f->cap = f->cap ? f->cap * 2 : 1024;
	return true;
}

/* HYPSIM_SIP_FUZZ_REFILL: queue the next calls in the guest's ring. */
static uint64_t refill(void *ctx, struct machine *m, int vcpu)
{
	struct fuzz *f = ctx;
	uint64_t n = 0, i;
	uint8_t *ring = machine_mem_ptr(m, FZ_RING + FZ_RING_STRIDE * (uint64_t)vcpu, 64 + FZ_ENTRY * FZ_RING_MAX);

	/* A fixed list was written into the rings before the run, as a reproducer writes it. */
	if (!ring || f->violated || vcpu >= (int)f->nvcpus || f->fixed)
		return 0;
	f->batch[vcpu].n = f->batch[vcpu].pos = 0;
	for (; n < FZ_RING_MAX; n++) {
		struct fz_call c;

		if (f->ncalls >= f->limit || !grow(f))
			break;
		generate(f, &c, true);
		if (n > 0 && c.a[0] == HYPSIM_SIP_PKVM_TEST &&
		    (c.a[1] == PKVM_TEST_PIN || c.a[1] == PKVM_TEST_UNPIN || c.a[1] == PKVM_TEST_UNSHARE_FFA))
			break;
		c.vcpu = (uint32_t)vcpu;
		c.executed = false;
		choose_touches(&c);
		f->batch[vcpu].idx[n] = (uint32_t)f->ncalls;
		f->batch[vcpu].n++;
		f->calls[f->ncalls++] = c;
		memset(ring + 64 + FZ_ENTRY * n, 0, FZ_ENTRY);
		for (i = 0; i < 6; i++)
			memcpy(ring + 64 + FZ_ENTRY * n + 8 * i, &c.a[i], 8); /* little-endian host and guest */
		memcpy(ring + 64 + FZ_ENTRY * n + 64, c.touch, sizeof(c.touch));
	}
	memcpy(ring, &n, 8);
	return n;
}

/* ---- running one epoch ---------------------------------------------------------------------- */

/* The machine's scenario lines: with several vCPUs, short turns so their calls interleave. */
static void setup_text(struct fuzz *f)
{
	if (f->nvcpus > 1)
		snprintf(f->setup, sizeof(f->setup),
			 "arch arm64\nmemory 0x40000000 64M\nvcpus %u\nquantum %u\npkvm android test-calls\n"
			 "load arm64/pkvm-fuzz.elf\n",
			 f->nvcpus, FZ_QUANTUM);
	else
		snprintf(f->setup, sizeof(f->setup),
			 "arch arm64\nmemory 0x40000000 64M\npkvm android test-calls\nload arm64/pkvm-fuzz.elf\n");
}

/* The address of @vcpu's next ring entry, counting the entries given out in @used. */
static uint64_t next_slot(uint64_t used[FUZZ_MAX_VCPUS], uint32_t vcpu)
{
	return ring_entry(vcpu, used[vcpu]++);
}

/* A fixed list goes into the rings before the run, exactly as the reproducer's `write mem` lines put it. */
static int write_rings(struct fuzz *f, char *err, size_t n)
{
	uint64_t count[FUZZ_MAX_VCPUS] = { 0 }, at;
	unsigned v;
	size_t i;

	for (i = 0; i < f->nfixed; i++) {
		const struct fz_call *c = &f->fixed[i];

		if (c->vcpu >= f->nvcpus || count[c->vcpu] >= FZ_RING_CAP) {
			snprintf(err, n, "call %zu: no room in vCPU %u's ring (it holds %" PRIu64 " calls)", i + 1, c->vcpu,
				 (uint64_t)FZ_RING_CAP);
			return -1;
		}
		at = next_slot(count, c->vcpu);
		if (machine_mem_write(&f->m, at, c->a, sizeof(c->a)) < 0 ||
		    machine_mem_write(&f->m, at + 64, c->touch, sizeof(c->touch)) < 0)
			return -1;
	}
	for (v = 0; v < f->nvcpus; v++)
		if (machine_mem_write(&f->m, FZ_RING + FZ_RING_STRIDE * v, &count[v], 8) < 0)
			return -1;
	return 0;
}

static int epoch_setup(struct fuzz *f, char *err, size_t n)
{
	char path[1024];
	struct machine_config cfg;
	uint64_t nvcpus = f->nvcpus;

	setup_text(f);
	if (scenario_parse("fuzz", f->setup, strlen(f->setup), &f->s, err, n) < 0)
		return -1;
	cfg = f->s.cfg;
	cfg.max_insns = UINT64_MAX / 2;
	if (machine_create(&f->m, &cfg) < 0) { /* pKVM attached from setup_text()'s `pkvm` line */
		snprintf(err, n, "%s", f->m.err);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/arm64/pkvm-fuzz.elf", f->o->guest_dir ? f->o->guest_dir : ".");
	if (machine_load_elf(&f->m, path) < 0) {
		snprintf(err, n, "%s (build the guests, or pass --guest-dir)", f->m.err);
		return -1;
	}
	if (nvcpus > 1 && machine_mem_write(&f->m, FZ_RING + 8, &nvcpus, 8) < 0) { /* the guest's vCPU count */
		snprintf(err, n, "cannot write the guest's vCPU count");
		return -1;
	}
	return f->fixed ? write_rings(f, err, n) : 0;
}

/* Run the machine to the end of its calls (or the first violation). Return: -1 setup error. */
/* A fresh epoch's bookkeeping: no calls yet, the boot calls to let through, no violation. */
static void epoch_reset(struct fuzz *f)
{
	size_t i;

	memset(&f->m, 0, sizeof(f->m));
	memset(&f->s, 0, sizeof(f->s));
	f->done = 0;
	f->ncalls = 0;
	memset(f->next_fixed, 0, sizeof(f->next_fixed));
	memset(f->batch, 0, sizeof(f->batch));
	for (i = 0; i < FUZZ_MAX_VCPUS; i++)
		f->boot_left[i] = i == 0 ? 3 : 1;
	f->gen = 0;
	for (i = 0; i < FUZZ_MAX_VCPUS; i++) {
		f->touched[i].idx = -1;
		f->slot[i] = 0;
	}
	for (i = 0; f->fixed && i < f->nfixed; i++)
		f->fixed[i].executed = false;
	f->violated = false;
	f->next_full = f->o->check_every ? f->o->check_every : UINT64_MAX;
}

/* How the run ended is itself an oracle: a simulator error, a guest exit other than 0, a stop before the end. */
static void judge_run(struct fuzz *f, enum run_outcome o)
{
	size_t i;

	if (!f->violated && o == RUN_ERROR) {
		snprintf(f->what, sizeof(f->what), "simulator error: %s", f->m.err);
		f->violated = true;
		f->vkind = FZ_V_RUN;
	}
	for (i = 0; !f->violated && i < f->nvcpus; i++)
		check_touches(f, (int)i);
	if (!f->violated && o == RUN_EXITED && f->m.exit_code != 0) {
		snprintf(f->what, sizeof(f->what), "the guest exited with %" PRId64 " (9: an exception pKVM did not inject)",
			 f->m.exit_code);
		f->violated = true;
		f->vkind = FZ_V_RUN;
	}
	if (!f->violated && o != RUN_EXITED) {
		snprintf(f->what, sizeof(f->what), "the guest stopped before its calls were done (%s)",
			 f->m.halted ? "hyp panic" : "fault or limit");
		f->violated = true;
		f->vkind = FZ_V_RUN;
	}
}

static int epoch_run(struct fuzz *f, char *err, size_t n)
{
	struct run_goal g = { .until_cycle = VCLOCK_NEVER, .until_exit = true };
	enum run_outcome o;

	epoch_reset(f);
	if (epoch_setup(f, err, n) < 0) {
		machine_destroy(&f->m);
		scenario_free(&f->s);
		return -1;
	}
	f->hobs = (struct hcall_observer){ .ctx = f, .pre = oracle_pre, .post = oracle_post, .refill = refill };
	f->m.hobs = &f->hobs;
	for (;;) {
		o = machine_run(&f->m, &g);
		if (o == RUN_STOPPED && f->pause && !f->violated) {
			f->pause = false;
			f->m.stop_requested = false;
			if (full_check(f))
				continue;
		}
		break;
	}
	judge_run(f, o);
	if (!f->violated)
		full_check(f);
	machine_destroy(&f->m);
	scenario_free(&f->s);
	return 0;
}

/* ---- minimising and the reproducer ---------------------------------------------------------- */

/* Keep the calls that ran (flags from the last run); @i becomes the index of what was at @i. */
static size_t keep_executed(struct fz_call *calls, size_t n, size_t *i)
{
	size_t k, m = 0, at = i ? *i : 0;

	for (k = 0; k < n; k++) {
		if (i && k == at)
			*i = m;
		if (calls[k].executed)
			calls[m++] = calls[k];
	}
	if (i && at >= n)
		*i = m;
	return m;
}

/* Does this call list (on a fresh machine) still break an oracle? */
static bool still_fails(struct fuzz *f, struct fz_call *calls, size_t n)
{
	char err[300] = "";

	f->fixed = calls;
	f->nfixed = n;
	f->st->min_runs++;
	if (epoch_run(f, err, sizeof(err)) < 0)
		return false;
	return f->violated && f->vkind == f->want_vkind;
}

/*
 * Delta debugging (Zeller's ddmin) over the call list: try dropping each of
 * @k chunks; keep a smaller list whenever the violation stays, else split
 * finer, down to single calls.  Bounded by FZ_MIN_RUNS runs in all.
 */
static size_t ddmin(struct fuzz *f, struct fz_call *calls, size_t n)
{
	struct fz_call *trial = malloc((n ? n : 1) * sizeof(*trial));
	size_t k = 2;

	if (!trial)
		return n;
	while (n >= 2 && f->st->min_runs < FZ_MIN_RUNS) {
		size_t chunk = (n + k - 1) / k, c, m;
		bool reduced = false;

		for (c = 0; c * chunk < n && f->st->min_runs < FZ_MIN_RUNS; c++) {
			size_t lo = c * chunk, hi = lo + chunk < n ? lo + chunk : n;

			memcpy(trial, calls, lo * sizeof(*trial)); /* the list without [lo, hi) */
			memcpy(trial + lo, calls + hi, (n - hi) * sizeof(*trial));
			m = n - (hi - lo);
			if (m && still_fails(f, trial, m)) {
				/* the violation may now come earlier: drop what did not run before it */
				n = keep_executed(trial, m, NULL);
				memcpy(calls, trial, n * sizeof(*calls));
				k = k > 2 ? k - 1 : 2;
				reduced = true;
				break;
			}
		}
		if (reduced)
			continue;
		if (k >= n)
			break;
		k = 2 * k < n ? 2 * k : n;
	}
	free(trial);
	return n;
}

/*
 * Fewer vCPUs: move each call to the lowest-numbered vCPU that keeps the
 * violation, so that a reproducer shows the interleaving that matters and
 * no more.  Return: true when a call moved.
 */
static bool reassign(struct fuzz *f, struct fz_call *calls, size_t n)
{
	bool moved = false;
	size_t i;

	for (i = 0; i < n && f->st->min_runs < FZ_MIN_RUNS; i++) {
		uint32_t was = calls[i].vcpu, v;

		for (v = 0; v < was && f->st->min_runs < FZ_MIN_RUNS; v++) {
			calls[i].vcpu = v;
			if (still_fails(f, calls, n)) {
				moved = true;
				break;
			}
			calls[i].vcpu = was;
		}
	}
	return moved;
}

/* Minimise: delta debugging over the calls, then over their vCPUs, until neither helps (bounded runs). */
static size_t minimise(struct fuzz *f, struct fz_call *calls, size_t n)
{
	n = ddmin(f, calls, n);
	while (f->o->vcpus > 1 && f->st->min_runs < FZ_MIN_RUNS && reassign(f, calls, n)) {
		size_t m = ddmin(f, calls, n);

		if (m == n)
			break;
		n = m;
	}
	return n;
}

static const char *state_word(int s)
{
	static const char *const w[] = { "OWNED", "SHARED_OWNED", "SHARED_BORROWED", "NOPAGE" };

	return s >= 0 && s < 4 ? w[s] : NULL;
}

/* The reproducer's inputs: the machine setup and each vCPU's ring, as `write mem` lines. */
static void repro_rings(FILE *out, struct fuzz *f, const struct fz_call *calls, size_t n)
{
	uint64_t count[FUZZ_MAX_VCPUS] = { 0 }, used[FUZZ_MAX_VCPUS] = { 0 };
	size_t i, j;
	unsigned v;

	fprintf(out, "%s\n", f->setup);
	for (i = 0; i < n; i++)
		count[calls[i].vcpu]++;
	if (f->nvcpus > 1)
		fprintf(out, "write mem 0x%" PRIx64 " u64 %u    # vCPUs taking part\n", FZ_RING + 8, f->nvcpus);
	for (v = 0; v < f->nvcpus; v++)
		fprintf(out, "write mem 0x%" PRIx64 " u64 %" PRIu64 "    # vCPU %u's ring: call count\n",
			FZ_RING + FZ_RING_STRIDE * v, count[v], v);
	for (i = 0; i < n; i++) {
		char text[160];
		uint64_t at = next_slot(used, calls[i].vcpu);

		call_text(calls[i].a, text, sizeof(text));
		fprintf(out, "# call %zu: vCPU %u: %s\n", i + 1, calls[i].vcpu, text);
		for (j = 0; j < 6; j++)
			if (calls[i].a[j])
				fprintf(out, "write mem 0x%" PRIx64 " u64 0x%" PRIx64 "\n", at + 8 * j, calls[i].a[j]);
		for (j = 0; j < FZ_TOUCHES; j++)
			if (calls[i].touch[j])
				fprintf(out, "write mem 0x%" PRIx64 " u64 0x%" PRIx64 "    # then touch it\n", at + 64 + 8 * j,
					calls[i].touch[j]);
	}
}

/* Each call's expected x0, x1 and touch outcomes, where its ring entry holds them after the run. */
static void repro_results(FILE *out, struct fuzz *f, const struct fz_call *calls, size_t n)
{
	uint64_t used[FUZZ_MAX_VCPUS] = { 0 };
	size_t i, j;

	for (i = 0; i < n; i++) {
		uint64_t at = next_slot(used, calls[i].vcpu);

		fprintf(out, "expect mem 0x%" PRIx64 " u64 == 0x%" PRIx64 "    # call %zu: x0\n", at + 48, f->exp_x0[i],
			i + 1);
		if (f->exp_x1_checked[i])
			fprintf(out, "expect mem 0x%" PRIx64 " u64 == 0x%" PRIx64 "    # call %zu: x1\n", at + 56,
				f->exp_x1[i], i + 1);
		for (j = 0; j < FZ_TOUCHES; j++)
			if (f->exp_touch[i][j])
				fprintf(out, "expect mem 0x%" PRIx64 " u64 == 0x%" PRIx64 "    # call %zu: touch of 0x%" PRIx64
					" %s\n", at + 80 + 8 * j, f->exp_touch[i][j], i + 1, calls[i].touch[j],
					f->exp_touch[i][j] == FZ_TOUCH_DONE ? "allowed" : "refused");
	}
}

static int write_repro(struct fuzz *f, const struct fz_call *calls, size_t n, const char *path)
{
	FILE *out = fopen(path, "w");
	size_t i;
	unsigned v;

	if (!out)
		return -1;
	fprintf(out, "# hypsim fuzz reproducer: seed %" PRIu64 ", epoch seed 0x%" PRIx64 ", %u vCPU%s, minimised to %zu calls.\n",
		f->o->seed, f->st->epoch_seed, f->nvcpus, f->nvcpus > 1 ? "s" : "", n);
	fprintf(out, "# Violation: %s\n", f->what);
	fprintf(out, "# Fails on the model that broke the oracle, passes on one that follows pKVM's rules.\n");
	repro_rings(out, f, calls, n);
	fprintf(out, "\nrun until exit\nexpect exit 0\n");
	repro_results(out, f, calls, n);
	for (i = 0; i < (size_t)f->last_bad.n; i++) {
		const char *h = state_word(f->last_bad.host_after[i]), *y = state_word(f->last_bad.hyp_after[i]);

		if (h)
			fprintf(out, "expect pkvm host-state 0x%" PRIx64 " == %s\n", f->last_bad.page[i], h);
		if (y)
			fprintf(out, "expect pkvm hyp-state 0x%" PRIx64 " == %s\n", f->last_bad.page[i], y);
	}
	fprintf(out, "expect pkvm check ok\n");
	/* the full check's MMU probes, on every vCPU: a stale translation fails here */
	for (v = 0; v < f->nvcpus; v++)
		fprintf(out, "expect pkvm xcheck 0x%" PRIx64 " 0x%" PRIx64 " vcpu %u\n", (uint64_t)FZ_WIN_PFN << 12,
			(uint64_t)FZ_WIN_PAGES << 12, v);
	return fclose(out) == 0 ? 0 : -1;
}

/* ---- the driver ---------------------------------------------------------------------------- */

/* The violation's calls: minimised, re-run once more for the expectations, written out. */
static int report_violation(struct fuzz *f)
{
	size_t n = f->ncalls;
	struct fz_call *calls = malloc((n ? n : 1) * sizeof(*calls));
	char what[sizeof(f->what)];
	int r = -1;

	memcpy(what, f->what, sizeof(what));
	f->want_vkind = f->vkind;
	if (!calls)
		return -1;
	memcpy(calls, f->calls, n * sizeof(*calls));
	n = keep_executed(calls, n, NULL); /* the calls generated but not yet issued did not matter */
	f->st->at_call = n;
	if (n && still_fails(f, calls, n)) {
		n = keep_executed(calls, n, NULL);
		n = minimise(f, calls, n);
	}
	f->exp_x0 = calloc(n + 1, sizeof(uint64_t));
	f->exp_x1 = calloc(n + 1, sizeof(uint64_t));
	f->exp_x1_checked = calloc(n + 1, sizeof(bool));
	f->exp_touch = calloc(n + 1, sizeof(*f->exp_touch));
	if (f->exp_x0 && f->exp_x1 && f->exp_x1_checked && f->exp_touch && still_fails(f, calls, n)) {
		f->st->repro_calls = n;
		snprintf(f->st->what, sizeof(f->st->what), "%s", what);
		r = f->o->repro ? write_repro(f, calls, n, f->o->repro) : 0;
		f->st->repro_written = f->o->repro && r == 0;
	} else {
		snprintf(f->st->what, sizeof(f->st->what), "%.500s (did not reproduce on a fresh machine)", what);
		r = 0;
	}
	free(f->exp_x0);
	free(f->exp_x1);
	free(f->exp_x1_checked);
	free(f->exp_touch);
	f->exp_touch = NULL;
	f->exp_x0 = f->exp_x1 = NULL;
	f->exp_x1_checked = NULL;
	f->fixed = NULL;
	free(calls);
	return r;
}

int fuzz_run(const struct fuzz_opts *o, struct fuzz_stats *st)
{
	struct fuzz *f = calloc(1, sizeof(*f));
	uint64_t epoch_len = o->epoch ? o->epoch : 100000;
	int ret = 0;

	memset(st, 0, sizeof(*st));
	if (!f) {
		snprintf(st->error, sizeof(st->error), "out of memory");
		return 2;
	}
	f->o = o;
	f->st = st;
	f->nvcpus = o->vcpus ? o->vcpus : 1;
	if (f->nvcpus > FUZZ_MAX_VCPUS) {
		snprintf(st->error, sizeof(st->error), "at most %d vCPUs", FUZZ_MAX_VCPUS);
		free(f);
		return 2;
	}
	for (;;) {
		uint64_t left = o->iters ? o->iters - st->calls : epoch_len;

		if ((o->iters && st->calls >= o->iters) || (o->out_of_time && o->out_of_time(o->time_ctx)))
			break;
		f->rng = st->epoch_seed = o->seed * 0x100000001b3ull + st->epochs;
		f->limit = left < epoch_len ? left : epoch_len;
		f->fixed = NULL;
		if (epoch_run(f, st->error, sizeof(st->error)) < 0) {
			ret = 2;
			break;
		}
		st->epochs++;
		st->calls += f->done;
		if (f->violated) {
			st->violation = true;
			if (report_violation(f) < 0) {
				snprintf(st->error, sizeof(st->error), "cannot write the reproducer %s: %s", o->repro, strerror(errno));
				ret = 2;
			} else {
				ret = 1;
			}
			break;
		}
		if (o->progress)
			o->progress(o->time_ctx, st);
	}
	free(f->calls);
	free(f);
	return ret;
}

int fuzz_calls(const uint64_t (*calls)[6], size_t n, const char *guest_dir, char *what, size_t len)
{
	struct fuzz_opts o = { .guest_dir = guest_dir };
	struct fuzz_stats st;
	struct fuzz *f = calloc(1, sizeof(*f));
	struct fz_call *list = calloc(n ? n : 1, sizeof(*list));
	size_t i;
	int r = 2;

	memset(&st, 0, sizeof(st));
	if (f && list) {
		for (i = 0; i < n; i++)
			memcpy(list[i].a, calls[i], sizeof(list[i].a));
		f->o = &o;
		f->st = &st;
		f->nvcpus = 1;
		f->fixed = list;
		f->nfixed = n;
		what[0] = '\0';
		if (epoch_run(f, what, len) == 0) {
			r = f->violated ? 1 : 0;
			if (f->violated)
				snprintf(what, len, "%s", f->what);
		}
	}
	free(list);
	free(f);
	return r;
}
