/* SPDX-License-Identifier: MIT */
/*
 * Check tests for models/mem_protect: the EL2 ownership selftest matrix
 * (docs/models/pkvm.md §2.6), the lazy identity map of host faults (§2.3), the
 * memory-protection edge cases of §6 (16-19, 23, 25), and the ownership
 * checker, which runs after every transition.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mem_protect.h"
#include "suites.h"

#define MEM_BASE 0x40000000ull
#define MEM_SIZE (16ull << 20)
#define VMEMMAP_PA (MEM_BASE + MEM_SIZE - (64 << 10))
#define POOL_PAGES 64
#define NOMAP_BASE 0x80000000ull

struct fx {
	uint8_t *buf;
	struct hyp_vmemmap vm;
	struct hyp_pool pool;
	struct mem_protect mp;
};

static void ok(struct fx *f)
{
	char why[256];

	ck_assert_msg(mp_check(&f->mp, why, sizeof(why)) == 0, "%s", why);
}

static struct fx *fx_new(void)
{
	static const struct hyp_memblock mem[] = {
		{ .base = MEM_BASE, .size = MEM_SIZE },
		{ .base = NOMAP_BASE, .size = 1 << 20, .nomap = true },
	};
	struct fx *f = calloc(1, sizeof(*f));

	f->buf = calloc(1, MEM_SIZE);
	f->vm = (struct hyp_vmemmap){ .mem = { .base = MEM_BASE, .size = MEM_SIZE, .host = f->buf },
				      .pa = VMEMMAP_PA, .first_pfn = MEM_BASE >> 12, .nr_pfns = MEM_SIZE >> 12 };
	ck_assert_int_eq(hyp_pool_init(&f->pool, &f->vm, MEM_BASE >> 12, POOL_PAGES, 0, 0, 0xffff800000000000ull), 0);
	ck_assert_int_eq(mp_init(&f->mp, mem, 2, &f->vm, &f->pool, 40), 0);
	/* What boot leaves: the pool and the vmemmap belong to hyp. */
	ck_assert_int_eq(mp_fix_hyp_owned(&f->mp, MEM_BASE, POOL_PAGES * 4096), 0);
	ck_assert_int_eq(mp_fix_hyp_owned(&f->mp, VMEMMAP_PA, 64 << 10), 0);
	ok(f);
	return f;
}

static void fx_free(struct fx *f)
{
	free(f->buf);
	free(f);
}

static void states(struct fx *f, uint64_t pa, int host, int hyp)
{
	ck_assert_str_eq(pkvm_page_state_name(mp_host_state(&f->mp, pa)), pkvm_page_state_name(host));
	ck_assert_str_eq(pkvm_page_state_name(mp_hyp_state(&f->mp, pa)), pkvm_page_state_name(hyp));
	ok(f);
}

/* ---- §2.6: the ownership selftest, state by state --------------------------------- */

/* The ownership selftest's states, one function each; every one leaves the page in the next. */
static void matrix_nopage_owned(struct fx *f, uint64_t pa) /* A: NOPAGE/OWNED -> B */
{
	struct mem_protect *mp = &f->mp;
	uint64_t pfn = pa >> 12;

	states(f, pa, PKVM_NOPAGE, PKVM_PAGE_OWNED);
	ck_assert_int_eq(mp_host_donate_hyp(mp, pfn, 1), -EPERM);
	ck_assert_int_eq(mp_host_share_hyp(mp, pfn), -EPERM);
	ck_assert_int_eq(mp_host_unshare_hyp(mp, pfn), -EPERM);
	ck_assert_int_eq(mp_host_share_ffa(mp, pfn, 1), -EPERM);
	ck_assert_int_eq(mp_host_unshare_ffa(mp, pfn, 1), -EPERM);
	ck_assert_int_eq(mp_pin_shared_mem(mp, pa, pa + 4096), -EPERM);
	states(f, pa, PKVM_NOPAGE, PKVM_PAGE_OWNED); /* nothing changed */
	ck_assert_int_eq(mp_hyp_donate_host(mp, pfn, 1), 0);
}

static void matrix_owned_nopage(struct fx *f, uint64_t pa) /* B: OWNED/NOPAGE -> A -> B -> C */
{
	struct mem_protect *mp = &f->mp;
	uint64_t pfn = pa >> 12;

	states(f, pa, PKVM_PAGE_OWNED, PKVM_NOPAGE);
	ck_assert_int_eq(mp_hyp_donate_host(mp, pfn, 1), -EPERM);
	ck_assert_int_eq(mp_host_unshare_hyp(mp, pfn), -EPERM);
	ck_assert_int_eq(mp_host_unshare_ffa(mp, pfn, 1), -EPERM);
	ck_assert_int_eq(mp_pin_shared_mem(mp, pa, pa + 4096), -EPERM);
	ck_assert_int_eq(mp_host_donate_hyp(mp, pfn, 1), 0);
	states(f, pa, PKVM_NOPAGE, PKVM_PAGE_OWNED); /* back to A */
	ck_assert_int_eq(mp_hyp_donate_host(mp, pfn, 1), 0);
	ck_assert_int_eq(mp_host_share_hyp(mp, pfn), 0);
}

static void matrix_shared_hyp(struct fx *f, uint64_t pa) /* C: SHARED_OWNED/SHARED_BORROWED -> B */
{
	struct mem_protect *mp = &f->mp;
	uint64_t pfn = pa >> 12;

	states(f, pa, PKVM_PAGE_SHARED_OWNED, PKVM_PAGE_SHARED_BORROWED);
	ck_assert_int_eq(mp_host_donate_hyp(mp, pfn, 1), -EPERM);
	ck_assert_int_eq(mp_host_share_hyp(mp, pfn), -EPERM); /* §6.16 */
	ck_assert_int_eq(mp_host_share_ffa(mp, pfn, 1), -EPERM);
	ck_assert_int_eq(mp_hyp_donate_host(mp, pfn, 1), -EPERM);
	ck_assert_int_eq(mp_pin_shared_mem(mp, pa, pa + 4096), 0);
	ck_assert_int_eq(mp_pin_shared_mem(mp, pa + 100, pa + 200), 0); /* rounded to the page */
	ck_assert_int_eq(mp_unpin_shared_mem(mp, pa, pa + 4096), 0);
	ck_assert_int_eq(mp_host_unshare_hyp(mp, pfn), -EBUSY);         /* §6.17: still pinned */
	ck_assert_int_eq(mp_unpin_shared_mem(mp, pa, pa + 4096), 0);
	ck_assert_int_eq(mp_host_unshare_hyp(mp, pfn), 0);
}

static void matrix_shared_ffa(struct fx *f, uint64_t pa) /* B again, then D: SHARED_OWNED/NOPAGE (FF-A) -> B */
{
	struct mem_protect *mp = &f->mp;
	uint64_t pfn = pa >> 12;

	states(f, pa, PKVM_PAGE_OWNED, PKVM_NOPAGE);
	ck_assert_int_eq(mp_host_share_ffa(mp, pfn, 1), 0);
	states(f, pa, PKVM_PAGE_SHARED_OWNED, PKVM_NOPAGE);
	ck_assert_int_eq(mp_host_donate_hyp(mp, pfn, 1), -EPERM);
	ck_assert_int_eq(mp_host_share_hyp(mp, pfn), -EPERM);
	ck_assert_int_eq(mp_host_unshare_hyp(mp, pfn), -EPERM);
	ck_assert_int_eq(mp_host_share_ffa(mp, pfn, 1), -EPERM);
	ck_assert_int_eq(mp_hyp_donate_host(mp, pfn, 1), -EPERM);
	ck_assert_int_eq(mp_pin_shared_mem(mp, pa, pa + 4096), -EPERM);
	ck_assert_int_eq(mp_host_unshare_ffa(mp, pfn, 1), 0);
	states(f, pa, PKVM_PAGE_OWNED, PKVM_NOPAGE);
	ck_assert_int_eq(mp_host_unshare_ffa(mp, pfn, 1), -EPERM);
}

START_TEST(test_mp_ownership_matrix)
{
	struct fx *f = fx_new();
	uint64_t pa;

	/* The page comes from host_s2_pool: host NOPAGE / hyp OWNED.  Like the
	 * kernel's selftest, drop the allocator's reference so pins count from 0. */
	ck_assert_int_eq(hyp_alloc_pages(&f->pool, 0, &pa), 0);
	f->buf[VMEMMAP_PA - MEM_BASE + ((pa - MEM_BASE) >> 12) * 8] = 0;
	matrix_nopage_owned(f, pa);
	matrix_owned_nopage(f, pa);
	matrix_shared_hyp(f, pa);
	matrix_shared_ffa(f, pa);
	fx_free(f);
}
END_TEST

/* §6.17: unsharing a page that was never shared. */
START_TEST(test_mp_unshare_never_shared)
{
	struct fx *f = fx_new();

	ck_assert_int_eq(mp_host_unshare_hyp(&f->mp, 0x40800), -EPERM);
	states(f, 0x40800000, PKVM_PAGE_OWNED, PKVM_NOPAGE);
	fx_free(f);
}
END_TEST

/* §6.18: donating what the host does not own; hyp returning what it does not own. */
START_TEST(test_mp_donate_not_owned)
{
	struct fx *f = fx_new();

	ck_assert_int_eq(mp_host_donate_hyp(&f->mp, MEM_BASE >> 12, 1), -EPERM); /* hyp's pool */
	ck_assert_int_eq(mp_host_share_hyp(&f->mp, 0x40800), 0);
	ck_assert_int_eq(mp_host_donate_hyp(&f->mp, 0x40800, 1), -EPERM);        /* shared */
	ck_assert_int_eq(mp_hyp_donate_host(&f->mp, 0x40801, 1), -EPERM);        /* host's */
	ok(f);
	fx_free(f);
}
END_TEST

/* §6.19: MMIO, NOMAP, and ranges across a boundary. */
START_TEST(test_mp_range_checks)
{
	struct fx *f = fx_new();
	uint64_t last = (MEM_BASE + MEM_SIZE) >> 12;

	ck_assert_int_eq(mp_host_share_hyp(&f->mp, 0x09000), -EPERM);                  /* MMIO */
	ck_assert_int_eq(mp_host_share_hyp(&f->mp, NOMAP_BASE >> 12), -EPERM);         /* NOMAP */
	ck_assert_int_eq(mp_host_donate_hyp(&f->mp, last - 1, 2), -EINVAL);            /* crosses the end */
	ck_assert_int_eq(mp_host_share_ffa(&f->mp, (MEM_BASE >> 12) - 1, 2), -EINVAL); /* MMIO into memory */
	ok(f);
	fx_free(f);
}
END_TEST

/* ---- §2.3: host faults and the lazy identity map ------------------------------------ */

START_TEST(test_mp_host_fault_idmap)
{
	struct fx *f = fx_new();
	struct s2pt_translation t;

	/* memory: the largest block inside the region, RWX, identity */
	ck_assert_int_eq(mp_host_mem_abort(&f->mp, 0x40800123), 0);
	ck_assert_int_eq(s2pt_translate(&f->mp.host_s2, 0x40812345, &t), 0);
	ck_assert(t.valid && t.r && t.w && t.x);
	ck_assert_uint_eq(t.pa, 0x40812345);
	ck_assert_int_eq(t.level, 2);                                   /* a 2 MiB block */
	ck_assert_int_eq(mp_host_mem_abort(&f->mp, 0x40800000), -EAGAIN); /* spurious */
	/* next to hyp's pages the table already has page entries: one page */
	ck_assert_int_eq(mp_host_mem_abort(&f->mp, 0x40100000), 0);
	ck_assert_int_eq(s2pt_translate(&f->mp.host_s2, 0x40100000, &t), 0);
	ck_assert_int_eq(t.level, 3);
	/* MMIO: RW, never X, a 1 GiB block in the gap below memory */
	ck_assert_int_eq(mp_host_mem_abort(&f->mp, 0x09000000), 0);
	ck_assert_int_eq(s2pt_translate(&f->mp.host_s2, 0x09000000, &t), 0);
	ck_assert(t.valid && t.r && t.w && !t.x);
	ck_assert_int_eq(t.level, 1);
	/* §6.23: a hyp page refuses */
	ck_assert_int_eq(mp_host_mem_abort(&f->mp, MEM_BASE + 0x5000), -EPERM);
	ck_assert_int_eq(mp_host_mem_abort(&f->mp, 1ull << 40), -ERANGE);
	ok(f);
	fx_free(f);
}
END_TEST

/* A donated page is annotated; given back, the host faults it in again. */
START_TEST(test_mp_donate_then_return)
{
	struct fx *f = fx_new();
	kvm_pte_t pte;
	int level;

	ck_assert_int_eq(mp_host_mem_abort(&f->mp, 0x40600000), 0);
	ck_assert_int_eq(mp_host_donate_hyp(&f->mp, 0x40601, 1), 0);
	ck_assert_int_eq(s2pt_get_leaf(&f->mp.host_s2, 0x40601000, &pte, NULL), 0);
	ck_assert_uint_eq(pte, PKVM_ID_HYP << 2);
	ck_assert_int_eq(mp_host_mem_abort(&f->mp, 0x40601000), -EPERM);
	/* Splitting the 2 MiB block for the annotation dropped the rest of it
	 * (break-before-make, §3.7): the neighbour faults back in, as a page. */
	ck_assert_int_eq(mp_host_mem_abort(&f->mp, 0x40600000), 0);
	ck_assert_int_eq(s2pt_get_leaf(&f->mp.host_s2, 0x40600000, &pte, &level), 0);
	ck_assert_int_eq(level, 3);
	ck_assert_int_eq(mp_hyp_donate_host(&f->mp, 0x40601, 1), 0);
	ck_assert_int_eq(s2pt_get_leaf(&f->mp.host_s2, 0x40601000, &pte, NULL), 0);
	ck_assert_uint_eq(pte, 0);
	ck_assert_int_eq(mp_host_mem_abort(&f->mp, 0x40601000), 0);
	ok(f);
	fx_free(f);
}
END_TEST

/* hyp_unpin_shared_mem without a pin: BUG on the refcount, a hyp panic. */
START_TEST(test_mp_unpin_without_pin_panics)
{
	struct fx *f = fx_new();

	ck_assert_int_eq(mp_host_share_hyp(&f->mp, 0x40800), 0);
	ck_assert_int_eq(mp_unpin_shared_mem(&f->mp, 0x40800000, 0x40801000), HYP_EPANIC);
	ck_assert_int_eq(f->pool.panic.reason, HYP_PANIC_REFCOUNT_UNDERFLOW);
	fx_free(f);
}
END_TEST

/* ---- the checker ------------------------------------------------------------------------ */

START_TEST(test_mp_check_catches_corruption)
{
	struct fx *f = fx_new();
	char why[256];
	uint8_t *b3 = &f->buf[VMEMMAP_PA - MEM_BASE + 5 * 8 + 3]; /* page MEM_BASE + 0x5000 */

	*b3 &= 0xf0; /* host state OWNED on a hyp-owned page */
	ck_assert_int_eq(mp_check(&f->mp, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "page 0x40005000 (host OWNED, hyp OWNED) is owned by both host and hyp");
	*b3 |= PKVM_NOPAGE;
	ok(f);
	ck_assert_int_eq(mp_host_share_hyp(&f->mp, 0x40800), 0);
	f->buf[VMEMMAP_PA - MEM_BASE + 0x800 * 8 + 3] = (uint8_t)((PKVM_PAGE_OWNED) | (PKVM_PAGE_SHARED_BORROWED ^ 3) << 4);
	ck_assert_int_eq(mp_check(&f->mp, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "page 0x40800000 (host OWNED, hyp SHARED_BORROWED) is borrowed by hyp but not shared by the host");
	fx_free(f);
}
END_TEST

TCase *mem_protect_tcase(void)
{
	TCase *tc = tcase_create("mem_protect");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_mp_ownership_matrix);
	tcase_add_test(tc, test_mp_unshare_never_shared);
	tcase_add_test(tc, test_mp_donate_not_owned);
	tcase_add_test(tc, test_mp_range_checks);
	tcase_add_test(tc, test_mp_host_fault_idmap);
	tcase_add_test(tc, test_mp_donate_then_return);
	tcase_add_test(tc, test_mp_unpin_without_pin_panics);
	tcase_add_test(tc, test_mp_check_catches_corruption);
	return tc;
}
