/* SPDX-License-Identifier: MIT */
/*
 * Check tests for models/s2pt: geometry (docs/models/pkvm.md §3.2), map / unmap /
 * set_owner semantics and quirks (§3.7), walker ranges (§3.5), the page-table
 * edge cases of §6 (31, 33, 35, 37, 38, 28), and table pages going back to
 * the hyp pool (no leaks), with the pool checker after each test.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "s2pt.h"
#include "suites.h"

#define MEM_BASE 0x40000000ull
#define MEM_SIZE (8ull << 20)
#define VMEMMAP_PA (MEM_BASE + MEM_SIZE - (64 << 10))
#define POOL_PAGES 256
#define MB2 (2ull << 20)
#define GB1 (1ull << 30)

struct fx {
	uint8_t *buf;
	struct hyp_mem mem;
	struct hyp_vmemmap vm;
	struct hyp_pool pool;
	struct s2pt pgt;
	uint64_t free_after_init;
};

static uint64_t pool_free_pages(struct fx *f)
{
	uint64_t total = 0, n;
	unsigned o;

	for (o = 0; o <= f->pool.max_order; o++) {
		ck_assert_int_eq(hyp_pool_free_blocks(&f->pool, o, &n), 0);
		total += n << o;
	}
	return total;
}

static struct fx *fx_new(uint32_t ia_bits, uint32_t flags)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct s2pt_mm_ops mm;

	f->buf = calloc(1, MEM_SIZE);
	f->mem = (struct hyp_mem){ .base = MEM_BASE, .size = MEM_SIZE, .host = f->buf };
	f->vm = (struct hyp_vmemmap){ .mem = f->mem, .pa = VMEMMAP_PA, .first_pfn = MEM_BASE >> 12,
				      .nr_pfns = (MEM_SIZE >> 12) - 16 };
	ck_assert_int_eq(hyp_pool_init(&f->pool, &f->vm, MEM_BASE >> 12, POOL_PAGES, 0, 0, 0xffff800000000000ull), 0);
	mm = s2pt_pool_mm_ops(&f->pool);
	ck_assert_int_eq(s2pt_init(&f->pgt, &f->mem, ia_bits, &mm, flags), 0);
	f->free_after_init = pool_free_pages(f);
	return f;
}

static void fx_done(struct fx *f)
{
	char why[256];

	ck_assert_msg(hyp_pool_check(&f->pool, why, sizeof(why)) == 0, "%s", why);
	free(f->buf);
	free(f);
}

static struct s2pt_translation xlate(struct fx *f, uint64_t ipa)
{
	struct s2pt_translation t;

	ck_assert_int_eq(s2pt_translate(&f->pgt, ipa, &t), 0);
	return t;
}

static int leaf_level(struct fx *f, uint64_t ipa)
{
	int level = -9;

	ck_assert_int_eq(s2pt_get_leaf(&f->pgt, ipa, NULL, &level), 0);
	return level;
}

/* ---- geometry (§3.2, §6.38) --------------------------------------------------------- */

START_TEST(test_s2pt_geometry_table)
{
	static const struct { uint32_t ia; unsigned levels; int start; unsigned sl0, pgd; } t[] = {
		{ 32, 2, 2, 0, 4 }, { 36, 3, 1, 1, 1 }, { 40, 3, 1, 1, 2 },
		{ 42, 3, 1, 1, 8 }, { 44, 4, 0, 2, 1 }, { 48, 4, 0, 2, 1 },
	};
	struct s2pt_geometry g;

	ck_assert_int_eq(s2pt_geometry(t[_i].ia, &g), 0);
	ck_assert_uint_eq(g.levels, t[_i].levels);
	ck_assert_int_eq(g.start_level, t[_i].start);
	ck_assert_uint_eq(g.sl0, t[_i].sl0);
	ck_assert_uint_eq(g.pgd_pages, t[_i].pgd);
	ck_assert_uint_eq(g.vtcr & 0x3f, 64 - t[_i].ia);          /* T0SZ */
	ck_assert_uint_eq((g.vtcr >> 6) & 3, t[_i].sl0);          /* SL0 */
	ck_assert_uint_eq((g.vtcr >> 14) & 3, 0);                 /* TG0 = 4K */
}
END_TEST

START_TEST(test_s2pt_geometry_vtcr_and_limits)
{
	struct s2pt_geometry g;

	ck_assert_int_eq(s2pt_geometry(40, &g), 0);
	/* T0SZ 24, SL0 1, IRGN0/ORGN0 WBWA, SH0 inner, PS 40-bit (2), RES1 bit 31 */
	ck_assert_uint_eq(g.vtcr, 0x80023558ull);
	ck_assert_int_eq(s2pt_geometry(31, &g), -EINVAL);
	ck_assert_int_eq(s2pt_geometry(49, &g), -EINVAL);
}
END_TEST

/* The concatenated PGD comes from the pool as one split block. */
START_TEST(test_s2pt_init_pgd_from_pool)
{
	struct fx *f = fx_new(42, 0);
	struct hyp_page_info i;

	ck_assert_uint_eq(f->free_after_init, POOL_PAGES - 8);
	ck_assert_int_eq(hyp_page_info(&f->pool, f->pgt.pgd + 7 * 4096, &i), 0);
	ck_assert_uint_eq(i.refcount, 1); /* split: each PGD page refcounted */
	ck_assert_uint_eq(i.order, 0);
	fx_done(f);
}
END_TEST

/* ---- map ----------------------------------------------------------------------------- */

START_TEST(test_s2pt_map_page)
{
	struct fx *f = fx_new(40, 0);
	struct s2pt_translation t;
	kvm_pte_t pte;

	ck_assert_int_eq(s2pt_map(&f->pgt, 0x80001000, 4096, 0x90005000, S2PT_PROT_RWX, &f->pool), 0);
	t = xlate(f, 0x80001234);
	ck_assert(t.valid && t.r && t.w && t.x);
	ck_assert_uint_eq(t.pa, 0x90005234);
	ck_assert_int_eq(t.level, 3);
	ck_assert_uint_eq(t.memattr, KVM_S2_MEMATTR_NORMAL);
	ck_assert_int_eq(s2pt_get_leaf(&f->pgt, 0x80001000, &pte, NULL), 0);
	ck_assert_uint_eq(pte, 0x90005000ull | KVM_PTE_TYPE | KVM_PTE_VALID | KVM_PTE_S2AP_R | KVM_PTE_S2AP_W |
				       KVM_PTE_SH_INNER | KVM_PTE_AF | (0xfull << 2));
	ck_assert(!xlate(f, 0x80002000).valid);
	ck_assert_uint_eq(pool_free_pages(f), f->free_after_init - 2); /* an L2 and an L3 table */
	fx_done(f);
}
END_TEST

START_TEST(test_s2pt_map_blocks)
{
	struct fx *f = fx_new(40, 0);

	ck_assert_int_eq(s2pt_map(&f->pgt, 0x80200000, MB2, 0x80200000, S2PT_PROT_RW, &f->pool), 0);
	ck_assert_int_eq(leaf_level(f, 0x80200000), 2);
	ck_assert_uint_eq(xlate(f, 0x803fffff).pa, 0x803fffff);
	ck_assert(!xlate(f, 0x80200000).x);
	ck_assert_int_eq(s2pt_map(&f->pgt, 0xc0000000, GB1, 0xc0000000, S2PT_PROT_R, &f->pool), 0);
	ck_assert_int_eq(leaf_level(f, 0xc0000000), 1);                  /* a 1 GiB block at L1 */
	fx_done(f);
}
END_TEST

/* Block size allowed but phys not aligned to it: pages. */
START_TEST(test_s2pt_map_unaligned_phys_uses_pages)
{
	struct fx *f = fx_new(40, 0);

	ck_assert_int_eq(s2pt_map(&f->pgt, 0x80200000, MB2, 0x90201000, S2PT_PROT_RW, &f->pool), 0);
	ck_assert_int_eq(leaf_level(f, 0x80200000), 3);
	ck_assert_uint_eq(xlate(f, 0x803ff000).pa, 0x90201000 + 0x1ff000);
	fx_done(f);
}
END_TEST

/* §3.7: a permission-only change is -EAGAIN, swallowed: 0, and NOT applied. */
START_TEST(test_s2pt_map_perm_change_ignored)
{
	struct fx *f = fx_new(40, 0);

	ck_assert_int_eq(s2pt_map(&f->pgt, 0x80001000, 4096, 0x80001000, S2PT_PROT_RW, &f->pool), 0);
	ck_assert_int_eq(s2pt_map(&f->pgt, 0x80001000, 4096, 0x80001000, S2PT_PROT_R, &f->pool), 0);
	ck_assert(xlate(f, 0x80001000).w); /* still writable */
	fx_done(f);
}
END_TEST

/* Only software bits differ: rewritten in place. */
START_TEST(test_s2pt_map_sw_bits_rewritten)
{
	struct fx *f = fx_new(40, 0);
	kvm_pte_t pte;

	ck_assert_int_eq(s2pt_map(&f->pgt, 0x80001000, 4096, 0x80001000, S2PT_PROT_RW, &f->pool), 0);
	ck_assert_int_eq(s2pt_map(&f->pgt, 0x80001000, 4096, 0x80001000, S2PT_PROT_RW | S2PT_PROT_SW0, &f->pool), 0);
	ck_assert_int_eq(s2pt_get_leaf(&f->pgt, 0x80001000, &pte, NULL), 0);
	ck_assert_uint_eq(pte & KVM_PTE_SW_MASK, S2PT_PROT_SW0);
	fx_done(f);
}
END_TEST

/* Mapping a page inside a block breaks the block: the rest of it is dropped. */
START_TEST(test_s2pt_map_page_inside_block_drops_rest)
{
	struct fx *f = fx_new(40, 0);

	ck_assert_int_eq(s2pt_map(&f->pgt, 0x80200000, MB2, 0x80200000, S2PT_PROT_RW, &f->pool), 0);
	ck_assert_int_eq(s2pt_map(&f->pgt, 0x80205000, 4096, 0x90000000, S2PT_PROT_RW, &f->pool), 0);
	ck_assert_int_eq(leaf_level(f, 0x80205000), 3);
	ck_assert_uint_eq(xlate(f, 0x80205000).pa, 0x90000000);
	ck_assert(!xlate(f, 0x80204000).valid); /* faulted back in lazily later */
	ck_assert(!xlate(f, 0x803ff000).valid);
	fx_done(f);
}
END_TEST

/* A block mapped over a table replaces it and frees the detached subtree. */
START_TEST(test_s2pt_map_block_over_table_frees_it)
{
	struct fx *f = fx_new(40, 0);

	ck_assert_int_eq(s2pt_map(&f->pgt, 0x80200000, 8 * 4096, 0x80200000, S2PT_PROT_RW, &f->pool), 0);
	ck_assert_uint_eq(pool_free_pages(f), f->free_after_init - 2);
	ck_assert_int_eq(s2pt_map(&f->pgt, 0x80200000, MB2, 0x80200000, S2PT_PROT_RW, &f->pool), 0);
	ck_assert_int_eq(leaf_level(f, 0x80200000), 2);
	ck_assert_uint_eq(pool_free_pages(f), f->free_after_init - 1); /* the L3 table went back */
	fx_done(f);
}
END_TEST

START_TEST(test_s2pt_map_needs_memcache)
{
	struct fx *f = fx_new(40, 0);

	ck_assert_int_eq(s2pt_map(&f->pgt, 0x80001000, 4096, 0x80001000, S2PT_PROT_RW, NULL), -ENOMEM);
	fx_done(f);
}
END_TEST

START_TEST(test_s2pt_map_pool_exhausted)
{
	struct fx *f = fx_new(40, 0);
	uint64_t pa;

	while (hyp_alloc_pages(&f->pool, 0, &pa) == 0)
		;
	ck_assert_int_eq(s2pt_map(&f->pgt, 0x80001000, 4096, 0x80001000, S2PT_PROT_RW, &f->pool), -ENOMEM);
	fx_done(f);
}
END_TEST

/* §6.33: an identity-mapped table refuses addr != phys. */
START_TEST(test_s2pt_map_idmap_mismatch)
{
	struct fx *f = fx_new(40, S2PT_IDMAP);

	ck_assert_int_eq(s2pt_map(&f->pgt, 0x80001000, 4096, 0x80002000, S2PT_PROT_RW, &f->pool), -EINVAL);
	ck_assert_int_eq(s2pt_map(&f->pgt, 0x80001000, 4096, 0x80001000, S2PT_PROT_RW, &f->pool), 0);
	fx_done(f);
}
END_TEST

/* §6.35 and §3.4: prot combinations. */
START_TEST(test_s2pt_prot_attr)
{
	kvm_pte_t a;

	ck_assert_int_eq(s2pt_prot_attr(S2PT_PROT_DEVICE | S2PT_PROT_X, &a), -EINVAL);
	ck_assert_int_eq(s2pt_prot_attr(S2PT_PROT_DEVICE | S2PT_PROT_NORMAL_NC, &a), -EINVAL);
	ck_assert_int_eq(s2pt_prot_attr(S2PT_PROT_NORMAL_NC | S2PT_PROT_X, &a), -EINVAL);
	ck_assert_int_eq(s2pt_prot_attr(S2PT_PROT_W, &a), 0); /* R is not required */
	ck_assert_uint_eq(a & KVM_PTE_S2_PERMS, KVM_PTE_S2AP_W | KVM_PTE_S2_XN);
	ck_assert_int_eq(s2pt_prot_attr(S2PT_PROT_RW | S2PT_PROT_DEVICE, &a), 0);
	ck_assert_uint_eq((a & KVM_PTE_S2_MEMATTR_MASK) >> 2, KVM_S2_MEMATTR_DEVICE);
}
END_TEST

/* ---- walker ranges (§3.5, §6.31) ------------------------------------------------------ */

static int count_leaves(const struct s2pt_visit *ctx, unsigned visit)
{
	uint64_t *first = ctx->arg;

	(void)visit;
	if (first[1]++ == 0)
		first[0] = ctx->addr;
	return 0;
}

START_TEST(test_s2pt_walk_range)
{
	struct fx *f = fx_new(40, 0);
	uint64_t seen[2] = { 0, 0 };
	const struct s2pt_walker w = { .cb = count_leaves, .arg = seen, .flags = S2PT_WALK_LEAF };

	/* addr 0x1800 size 0x1000: the aligned start plus size, so only page 0x1000 */
	ck_assert_int_eq(s2pt_map(&f->pgt, 0, 4 * 4096, 0, S2PT_PROT_RW, &f->pool), 0);
	ck_assert_int_eq(s2pt_walk(&f->pgt, 0x1800, 0x1000, &w), 0);
	ck_assert_uint_eq(seen[1], 1);
	ck_assert_uint_eq(seen[0], 0x1000);
	ck_assert_int_eq(s2pt_walk(&f->pgt, (1ull << 40) - 4096, 8192, &w), -ERANGE);
	ck_assert_int_eq(s2pt_walk(&f->pgt, 1ull << 40, 0, &w), 0);
	ck_assert_int_eq(s2pt_walk(&f->pgt, (1ull << 40) + 4096, 0, &w), -ERANGE);
	fx_done(f);
}
END_TEST

/* ---- unmap and table refcounts (§3.6, §6.37) --------------------------------------- */

START_TEST(test_s2pt_unmap_frees_tables)
{
	struct fx *f = fx_new(40, 0);

	ck_assert_int_eq(s2pt_map(&f->pgt, 0x80001000, 3 * 4096, 0x80001000, S2PT_PROT_RW, &f->pool), 0);
	/* another 1 GiB slot: its own L2 and L3 tables */
	ck_assert_int_eq(s2pt_map(&f->pgt, 0xc0000000, 4096, 0xc0000000, S2PT_PROT_RW, &f->pool), 0);
	ck_assert_uint_eq(pool_free_pages(f), f->free_after_init - 4);
	ck_assert_int_eq(s2pt_unmap(&f->pgt, 0x80002000, 4096), 0);
	ck_assert(!xlate(f, 0x80002000).valid);
	ck_assert(xlate(f, 0x80001000).valid);
	ck_assert_uint_eq(pool_free_pages(f), f->free_after_init - 4); /* table still in use */
	ck_assert_int_eq(s2pt_unmap(&f->pgt, 0x80000000, 1ull << 30), 0);
	ck_assert_uint_eq(pool_free_pages(f), f->free_after_init - 2); /* first L2 + L3 gone */
	ck_assert_int_eq(s2pt_unmap(&f->pgt, 0, 1ull << 40), 0);
	ck_assert_uint_eq(pool_free_pages(f), f->free_after_init);     /* no leak */
	fx_done(f);
}
END_TEST

/* Unmapping part of a block removes the whole block. */
START_TEST(test_s2pt_unmap_part_of_block)
{
	struct fx *f = fx_new(40, 0);

	ck_assert_int_eq(s2pt_map(&f->pgt, 0x80200000, MB2, 0x80200000, S2PT_PROT_RW, &f->pool), 0);
	ck_assert_int_eq(s2pt_unmap(&f->pgt, 0x80300000, 4096), 0);
	ck_assert(!xlate(f, 0x80200000).valid);
	fx_done(f);
}
END_TEST

/* ---- set_owner (§3.7, §6.28) -------------------------------------------------------- */

START_TEST(test_s2pt_set_owner)
{
	struct fx *f = fx_new(40, 0);
	struct s2pt_translation t;
	kvm_pte_t pte;

	ck_assert_int_eq(s2pt_set_owner(&f->pgt, 0x80000000, 4096, &f->pool, 2), -EINVAL);
	ck_assert_int_eq(s2pt_set_owner(&f->pgt, 0x80000000, 2 * 4096, &f->pool, 1), 0);
	ck_assert_int_eq(s2pt_get_leaf(&f->pgt, 0x80001000, &pte, NULL), 0);
	ck_assert_uint_eq(pte, 1 << 2); /* invalid PTE, owner 1 in bits [9:2] */
	t = xlate(f, 0x80001000);
	ck_assert(!t.valid);
	ck_assert_uint_eq(t.owner, 1);
	ck_assert_uint_eq(pool_free_pages(f), f->free_after_init - 2); /* annotations are counted */
	ck_assert_int_eq(s2pt_set_owner(&f->pgt, 0x80000000, 4096, &f->pool, 0), 0);
	ck_assert_int_eq(s2pt_get_leaf(&f->pgt, 0x80000000, &pte, NULL), 0);
	ck_assert_uint_eq(pte, 0);
	ck_assert_int_eq(s2pt_unmap(&f->pgt, 0x80000000, 2 * 4096), 0); /* clears the annotation */
	ck_assert_uint_eq(pool_free_pages(f), f->free_after_init);
	fx_done(f);
}
END_TEST

/* set_owner over a valid block splits it down to pages (force_pte). */
START_TEST(test_s2pt_set_owner_splits_block)
{
	struct fx *f = fx_new(40, 0);

	ck_assert_int_eq(s2pt_map(&f->pgt, 0x80200000, MB2, 0x80200000, S2PT_PROT_RW, &f->pool), 0);
	ck_assert_int_eq(s2pt_set_owner(&f->pgt, 0x80201000, 4096, &f->pool, 1), 0);
	ck_assert_int_eq(leaf_level(f, 0x80201000), 3);
	ck_assert_uint_eq(xlate(f, 0x80201000).owner, 1);
	fx_done(f);
}
END_TEST

TCase *s2pt_tcase(void)
{
	TCase *tc = tcase_create("s2pt");

	tcase_add_loop_test(tc, test_s2pt_geometry_table, 0, 6);
	tcase_add_test(tc, test_s2pt_geometry_vtcr_and_limits);
	tcase_add_test(tc, test_s2pt_init_pgd_from_pool);
	tcase_add_test(tc, test_s2pt_map_page);
	tcase_add_test(tc, test_s2pt_map_blocks);
	tcase_add_test(tc, test_s2pt_map_unaligned_phys_uses_pages);
	tcase_add_test(tc, test_s2pt_map_perm_change_ignored);
	tcase_add_test(tc, test_s2pt_map_sw_bits_rewritten);
	tcase_add_test(tc, test_s2pt_map_page_inside_block_drops_rest);
	tcase_add_test(tc, test_s2pt_map_block_over_table_frees_it);
	tcase_add_test(tc, test_s2pt_map_needs_memcache);
	tcase_add_test(tc, test_s2pt_map_pool_exhausted);
	tcase_add_test(tc, test_s2pt_map_idmap_mismatch);
	tcase_add_test(tc, test_s2pt_prot_attr);
	tcase_add_test(tc, test_s2pt_walk_range);
	tcase_add_test(tc, test_s2pt_unmap_frees_tables);
	tcase_add_test(tc, test_s2pt_unmap_part_of_block);
	tcase_add_test(tc, test_s2pt_set_owner);
	tcase_add_test(tc, test_s2pt_set_owner_splits_block);
	return tc;
}
