/* SPDX-License-Identifier: MIT */
/*
 * Check tests for models/hyp_alloc: the edge cases of docs/models/pkvm.md §6
 * (numbers in the test names), the invariant checker, and a property test of
 * 10^6 random operations against a bitmap reference.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hyp_alloc.h"
#include "suites.h"

#define MEM_BASE 0x40000000ull
#define MEM_SIZE (32ull << 20)            /* pool pages live here ...         */
#define VMEMMAP_PA (MEM_BASE + MEM_SIZE - (1 << 20)) /* ... the vmemmap in the last MiB */
#define HEADS_VA 0xffff800000001000ull   /* the pool struct's hyp VA */
#define PG(n) (MEM_BASE + (uint64_t)(n) * HYP_PAGE_SIZE)

struct fx {
	uint8_t *buf;
	struct hyp_mem mem;
	struct hyp_vmemmap vm;
	struct hyp_pool pool;
};

static struct fx *fx_new(void)
{
	struct fx *f = calloc(1, sizeof(*f));

	ck_assert_ptr_nonnull(f);
	f->buf = calloc(1, MEM_SIZE);
	ck_assert_ptr_nonnull(f->buf);
	f->mem = (struct hyp_mem){ .base = MEM_BASE, .size = MEM_SIZE, .host = f->buf };
	f->vm = (struct hyp_vmemmap){ .mem = f->mem, .pa = VMEMMAP_PA, .first_pfn = MEM_BASE >> 12,
				      .nr_pfns = (MEM_SIZE - (1 << 20)) >> 12 };
	return f;
}

static void fx_free(struct fx *f)
{
	free(f->buf);
	free(f);
}

/* A pool of @nr pages at page @first of memory, @reserved of them kept. */
static struct fx *pool_new(uint32_t first, uint32_t nr, uint32_t reserved)
{
	struct fx *f = fx_new();
	char why[256];

	ck_assert_int_eq(hyp_pool_init(&f->pool, &f->vm, (MEM_BASE >> 12) + first, nr, reserved, 0, HEADS_VA), 0);
	ck_assert_msg(hyp_pool_check(&f->pool, why, sizeof(why)) == 0, "%s", why);
	return f;
}

static uint64_t nfree(struct fx *f, unsigned order)
{
	uint64_t n = 0;

	ck_assert_int_eq(hyp_pool_free_blocks(&f->pool, order, &n), 0);
	return n;
}

static struct hyp_page_info info(struct fx *f, uint64_t pa)
{
	struct hyp_page_info i;

	ck_assert_int_eq(hyp_page_info(&f->pool, pa, &i), 0);
	return i;
}

static void assert_ok(struct fx *f)
{
	char why[256];

	ck_assert_msg(hyp_pool_check(&f->pool, why, sizeof(why)) == 0, "%s", why);
}

static uint64_t alloc_ok(struct fx *f, uint8_t order)
{
	uint64_t pa = 0;

	ck_assert_int_eq(hyp_alloc_pages(&f->pool, order, &pa), 0);
	return pa;
}

/* ---- pool_init ----------------------------------------------------------------- */

START_TEST(test_hyp_get_order)
{
	ck_assert_uint_eq(hyp_get_order(0), 52);
	ck_assert_uint_eq(hyp_get_order(1), 0);
	ck_assert_uint_eq(hyp_get_order(4096), 0);
	ck_assert_uint_eq(hyp_get_order(4097), 1);
	ck_assert_uint_eq(hyp_get_order(4096 * 1024), 10);
}
END_TEST

/* §1.4 worked values: nr=1 -> 0, 3 -> 2, 4 -> 2, 5 -> 3, >= 1024 -> 10. */
START_TEST(test_hyp_pool_init_max_order)
{
	static const uint32_t nr[] = { 1, 3, 4, 5, 1024, 2048 };
	static const uint8_t want[] = { 0, 2, 2, 3, 10, 10 };
	struct fx *f = pool_new(0, nr[_i], 0);

	ck_assert_uint_eq(f->pool.max_order, want[_i]);
	ck_assert_uint_eq(f->pool.range_start, MEM_BASE);
	ck_assert_uint_eq(f->pool.range_end, MEM_BASE + nr[_i] * HYP_PAGE_SIZE);
	fx_free(f);
}
END_TEST

START_TEST(test_hyp_pool_init_reserved_pages)
{
	struct fx *f = pool_new(0, 8, 3);
	struct hyp_page_info i = info(f, PG(0));

	ck_assert_uint_eq(i.refcount, 1); /* reserved: allocated, order 0, on no list */
	ck_assert_uint_eq(i.order, 0);
	ck_assert_uint_eq(info(f, PG(2)).refcount, 1);
	/* pages 3..7 free: 3 (order 0), 4..7 (order 2) */
	ck_assert_uint_eq(nfree(f, 0), 1);
	ck_assert_uint_eq(nfree(f, 1), 0);
	ck_assert_uint_eq(nfree(f, 2), 1);
	ck_assert_uint_eq(info(f, PG(4)).order, 2);
	ck_assert_uint_eq(info(f, PG(5)).order, HYP_NO_ORDER);
	fx_free(f);
}
END_TEST

/* §6.8: pool init over a dirty vmemmap -> BUG in hyp_set_page_refcounted. */
START_TEST(test_hyp_pool_init_dirty_vmemmap_panics)
{
	struct fx *f = fx_new();

	f->buf[VMEMMAP_PA - MEM_BASE + 3 * 8] = 1; /* page 3's refcount */
	ck_assert_int_eq(hyp_pool_init(&f->pool, &f->vm, MEM_BASE >> 12, 8, 0, 0, HEADS_VA), HYP_EPANIC);
	ck_assert_int_eq(f->pool.panic.reason, HYP_PANIC_REFCOUNTED_TWICE);
	ck_assert_uint_eq(f->pool.panic.phys, PG(3));
	fx_free(f);
}
END_TEST

/* ---- allocation -------------------------------------------------------------- */

/* §6.1: merging stops at max_order: two adjacent free order-10 blocks stay two. */
START_TEST(test_hyp_alloc_max_order_cap)
{
	struct fx *f = pool_new(0, 2048, 0);
	uint64_t pa;

	ck_assert_uint_eq(nfree(f, 10), 2);
	pa = alloc_ok(f, 0);
	ck_assert_uint_eq(nfree(f, 10), 1);
	ck_assert_int_eq(hyp_put_page(&f->pool, pa), 0);
	ck_assert_uint_eq(nfree(f, 10), 2); /* merged back up to 10, no further */
	assert_ok(f);
	fx_free(f);
}
END_TEST

/* §6.3: a 3-page pool: max_order 2, order 2 -> NULL, order 1 -> the aligned pair. */
START_TEST(test_hyp_alloc_three_page_pool)
{
	struct fx *f = pool_new(0, 3, 0);
	uint64_t pa = 1;

	ck_assert_uint_eq(f->pool.max_order, 2);
	ck_assert_int_eq(hyp_alloc_pages(&f->pool, 2, &pa), -ENOMEM);
	ck_assert_uint_eq(pa, 1);
	ck_assert_uint_eq(alloc_ok(f, 1), PG(0));
	ck_assert_uint_eq(alloc_ok(f, 0), PG(2));
	ck_assert_int_eq(hyp_alloc_pages(&f->pool, 0, &pa), -ENOMEM);
	assert_ok(f);
	fx_free(f);
}
END_TEST

/* §6.4: order > max_order -> NULL with no state change. */
START_TEST(test_hyp_alloc_above_max_order)
{
	struct fx *f = pool_new(0, 16, 0);
	uint8_t before[16 * 8];
	uint64_t pa;

	memcpy(before, f->buf + (VMEMMAP_PA - MEM_BASE), sizeof(before));
	ck_assert_int_eq(hyp_alloc_pages(&f->pool, 5, &pa), -ENOMEM);
	ck_assert_mem_eq(before, f->buf + (VMEMMAP_PA - MEM_BASE), sizeof(before));
	ck_assert_uint_eq(nfree(f, 4), 1);
	fx_free(f);
}
END_TEST

/* §6.5: exhausting the pool -> NULL. */
START_TEST(test_hyp_alloc_oom)
{
	struct fx *f = pool_new(0, 4, 0);
	uint64_t pa;
	int i;

	for (i = 0; i < 4; i++)
		alloc_ok(f, 0);
	ck_assert_int_eq(hyp_alloc_pages(&f->pool, 0, &pa), -ENOMEM);
	assert_ok(f);
	fx_free(f);
}
END_TEST

/* §6.13: extract hands back the lowest part and frees the upper halves. */
START_TEST(test_hyp_alloc_extract_upper_halves)
{
	struct fx *f = pool_new(0, 8, 0);

	ck_assert_uint_eq(alloc_ok(f, 0), PG(0));
	ck_assert_uint_eq(nfree(f, 0), 1);
	ck_assert_uint_eq(nfree(f, 1), 1);
	ck_assert_uint_eq(nfree(f, 2), 1);
	ck_assert_uint_eq(info(f, PG(1)).order, 0);
	ck_assert_uint_eq(info(f, PG(2)).order, 1);
	ck_assert_uint_eq(info(f, PG(4)).order, 2);
	ck_assert_uint_eq(info(f, PG(0)).refcount, 1);
	assert_ok(f);
	fx_free(f);
}
END_TEST

/* §6.12: FIFO within an order: free A then B (no merge), the next alloc is A. */
START_TEST(test_hyp_alloc_fifo)
{
	struct fx *f = pool_new(0, 8, 0);
	int i;

	for (i = 0; i < 8; i++)
		ck_assert_uint_eq(alloc_ok(f, 0), PG(i));
	ck_assert_int_eq(hyp_put_page(&f->pool, PG(4)), 0); /* A: buddy 5 is allocated */
	ck_assert_int_eq(hyp_put_page(&f->pool, PG(2)), 0); /* B: buddy 3 is allocated */
	ck_assert_uint_eq(alloc_ok(f, 0), PG(4));
	ck_assert_uint_eq(alloc_ok(f, 0), PG(2));
	fx_free(f);
}
END_TEST

/* §6.11: pages are zeroed on free, node included, so allocations read as zero. */
START_TEST(test_hyp_alloc_zeroed)
{
	struct fx *f = pool_new(0, 8, 0);
	uint64_t pa = alloc_ok(f, 1);
	uint8_t *p = f->buf + (pa - MEM_BASE);
	static const uint8_t zero[2 * 4096];

	memset(p, 0xa5, 2 * 4096);
	ck_assert_int_eq(hyp_put_page(&f->pool, pa), 0);
	ck_assert_uint_eq(alloc_ok(f, 1), pa);
	ck_assert_mem_eq(p, zero, sizeof(zero));
	fx_free(f);
}
END_TEST

START_TEST(test_hyp_split_then_put_each)
{
	struct fx *f = pool_new(0, 8, 0);
	uint64_t pa = alloc_ok(f, 2);
	int i;

	ck_assert_int_eq(hyp_split_page(&f->pool, pa), 0);
	for (i = 0; i < 4; i++) {
		ck_assert_uint_eq(info(f, pa + i * HYP_PAGE_SIZE).refcount, 1);
		ck_assert_uint_eq(info(f, pa + i * HYP_PAGE_SIZE).order, 0);
	}
	assert_ok(f);
	for (i = 3; i >= 0; i--)
		ck_assert_int_eq(hyp_put_page(&f->pool, pa + i * HYP_PAGE_SIZE), 0);
	ck_assert_uint_eq(nfree(f, 3), 1); /* all merged back */
	assert_ok(f);
	fx_free(f);
}
END_TEST

/* [K]: a page from outside the range is added to the lists without coalescing. */
START_TEST(test_hyp_put_external_page)
{
	struct fx *f = pool_new(0, 4, 0);
	struct hyp_page_info i;

	/* Page 8 is outside the pool, with refcount 1 and order 0 as a memcache page has. */
	f->buf[VMEMMAP_PA - MEM_BASE + 8 * 8] = 1;
	ck_assert_int_eq(hyp_put_page(&f->pool, PG(8)), 0);
	ck_assert_uint_eq(nfree(f, 0), 1);
	i = info(f, PG(8));
	ck_assert_uint_eq(i.refcount, 0);
	ck_assert_uint_eq(i.order, 0);
	ck_assert_uint_eq(alloc_ok(f, 0), PG(8));
	fx_free(f);
}
END_TEST

/* ---- hyp panics ------------------------------------------------------------------ */

/* §6.6: a double free. */
START_TEST(test_hyp_put_double_free_panics)
{
	struct fx *f = pool_new(0, 8, 0);
	uint64_t pa = alloc_ok(f, 0), x;

	ck_assert_int_eq(hyp_put_page(&f->pool, pa), 0);
	ck_assert_int_eq(hyp_put_page(&f->pool, pa), HYP_EPANIC);
	ck_assert_int_eq(f->pool.panic.reason, HYP_PANIC_REFCOUNT_UNDERFLOW);
	ck_assert_uint_eq(f->pool.panic.phys, pa);
	ck_assert_int_eq(hyp_alloc_pages(&f->pool, 0, &x), HYP_EPANIC); /* sticky */
	fx_free(f);
}
END_TEST

/* §6.6: putting the tail of an unsplit block. */
START_TEST(test_hyp_put_tail_panics)
{
	struct fx *f = pool_new(0, 8, 0);
	uint64_t pa = alloc_ok(f, 1);

	ck_assert_int_eq(hyp_put_page(&f->pool, pa + HYP_PAGE_SIZE), HYP_EPANIC);
	ck_assert_int_eq(f->pool.panic.reason, HYP_PANIC_REFCOUNT_UNDERFLOW);
	fx_free(f);
}
END_TEST

/* §6.7: the 65536th reference. */
START_TEST(test_hyp_get_overflow_panics)
{
	struct fx *f = pool_new(0, 8, 0);
	uint64_t pa = alloc_ok(f, 0);
	int i;

	for (i = 1; i < HYP_REFCOUNT_MAX; i++)
		ck_assert_int_eq(hyp_get_page(&f->pool, pa), 0);
	ck_assert_uint_eq(info(f, pa).refcount, HYP_REFCOUNT_MAX);
	ck_assert_int_eq(hyp_get_page(&f->pool, pa), HYP_EPANIC);
	ck_assert_int_eq(f->pool.panic.reason, HYP_PANIC_REFCOUNT_OVERFLOW);
	fx_free(f);
}
END_TEST

/* §6.8: splitting a block whose tail is already refcounted. */
START_TEST(test_hyp_split_refcounted_tail_panics)
{
	struct fx *f = pool_new(0, 8, 0);
	uint64_t pa = alloc_ok(f, 1);

	f->buf[VMEMMAP_PA - MEM_BASE + ((pa - MEM_BASE) >> 12) * 8 + 8] = 1; /* the tail's refcount */
	ck_assert_int_eq(hyp_split_page(&f->pool, pa), HYP_EPANIC);
	ck_assert_int_eq(f->pool.panic.reason, HYP_PANIC_REFCOUNTED_TWICE);
	ck_assert_uint_eq(f->pool.panic.phys, pa + HYP_PAGE_SIZE);
	fx_free(f);
}
END_TEST

/* §6.9: splitting a tail (order HYP_NO_ORDER) is refused as a panic. */
START_TEST(test_hyp_split_tail_panics)
{
	struct fx *f = pool_new(0, 8, 0);
	uint64_t pa = alloc_ok(f, 2);

	ck_assert_int_eq(hyp_split_page(&f->pool, pa + HYP_PAGE_SIZE), HYP_EPANIC);
	ck_assert_int_eq(f->pool.panic.reason, HYP_PANIC_SPLIT_TAIL);
	fx_free(f);
}
END_TEST

/* A corrupted free-list pointer: the next allocation panics, the host does not crash. */
START_TEST(test_hyp_alloc_corrupted_node_panics)
{
	struct fx *f = pool_new(0, 8, 0);
	uint64_t bad = 0x1234567890ull, pa;

	memcpy(f->buf, &bad, 8); /* page 0 heads free_area[3]: overwrite node->next */
	ck_assert_int_eq(hyp_alloc_pages(&f->pool, 0, &pa), HYP_EPANIC);
	ck_assert_int_eq(f->pool.panic.reason, HYP_PANIC_BAD_POINTER);
	fx_free(f);
}
END_TEST

/* ---- the checker catches corruption ------------------------------------------- */

static void expect_violation(struct fx *f, const char *needle)
{
	char why[256];

	ck_assert_int_eq(hyp_pool_check(&f->pool, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, needle), "'%s' does not mention '%s'", why, needle);
}

START_TEST(test_hyp_check_nonzero_free_data)
{
	struct fx *f = pool_new(0, 8, 0);

	f->buf[5 * 4096 + 100] = 0x42; /* a guest-style stray write into free page 5 */
	expect_violation(f, "free block 0x40000000 of order 3 holds non-zero data");
	fx_free(f);
}
END_TEST

START_TEST(test_hyp_check_free_refcount)
{
	struct fx *f = pool_new(0, 8, 0);

	f->buf[VMEMMAP_PA - MEM_BASE] = 2; /* free head page 0 gets refcount 2 */
	expect_violation(f, "free page 0x40000000 on free_area[3] has refcount 2");
	fx_free(f);
}
END_TEST

START_TEST(test_hyp_check_broken_link)
{
	struct fx *f = pool_new(0, 8, 0);
	uint64_t bogus = PG(4);

	alloc_ok(f, 0);             /* free: 1 (o0), 2 (o1), 4 (o2) */
	memcpy(f->buf + 2 * 4096 + 8, &bogus, 8); /* page 2's node->prev */
	expect_violation(f, "free_area[1]: node at VA 0x40002000 has prev 0x40004000");
	fx_free(f);
}
END_TEST

START_TEST(test_hyp_check_leaked_page)
{
	struct fx *f = pool_new(0, 8, 0);
	uint64_t pa = alloc_ok(f, 0);

	f->buf[VMEMMAP_PA - MEM_BASE + ((pa - MEM_BASE) >> 12) * 8] = 0; /* refcount 1 -> 0 */
	expect_violation(f, "page 0x40000000 has refcount 0 but is on no free list (leaked)");
	fx_free(f);
}
END_TEST

START_TEST(test_hyp_check_unmerged_buddies)
{
	struct fx *f = pool_new(0, 2, 0);
	uint64_t a = alloc_ok(f, 0), b = alloc_ok(f, 0);

	/* Free both halves behind the allocator's back: order 0 on free_area[0],
	 * unmerged, with their list nodes threaded by hand. */
	(void)a;
	(void)b;
	f->buf[VMEMMAP_PA - MEM_BASE] = 0;
	f->buf[VMEMMAP_PA - MEM_BASE + 8] = 0;
	f->buf[VMEMMAP_PA - MEM_BASE + 8 + 2] = 0; /* page 1 order 0 */
	{
		uint64_t h = HEADS_VA, n0 = PG(0), n1 = PG(1);

		memcpy(f->buf, &n1, 8);
		memcpy(f->buf + 8, &h, 8);
		memcpy(f->buf + 4096, &h, 8);
		memcpy(f->buf + 4096 + 8, &n0, 8);
		f->pool.heads[0][0] = n0;
		f->pool.heads[0][1] = n1;
	}
	expect_violation(f, "free buddies 0x40000000 and 0x40001000 of order 0 were not merged");
	fx_free(f);
}
END_TEST

/* ---- the early allocator (§6.14) ---------------------------------------------------- */

START_TEST(test_hyp_early_alloc)
{
	struct fx *f = fx_new();
	struct hyp_early_alloc ea;
	uint64_t pa = 7;

	hyp_early_alloc_init(&ea, &f->mem, MEM_BASE, 4 * HYP_PAGE_SIZE);
	ck_assert_int_eq(hyp_early_alloc_contig(&ea, 0, &pa), -ENOMEM);
	ck_assert_uint_eq(pa, 7);
	f->buf[0] = 0x99;
	ck_assert_int_eq(hyp_early_alloc_contig(&ea, 3, &pa), 0);
	ck_assert_uint_eq(pa, MEM_BASE);
	ck_assert_uint_eq(f->buf[0], 0); /* zeroed */
	ck_assert_int_eq(hyp_early_alloc_contig(&ea, 2, &pa), -ENOMEM); /* one page too many */
	ck_assert_uint_eq(ea.cur, MEM_BASE + 3 * HYP_PAGE_SIZE);          /* cursor unchanged */
	ck_assert_int_eq(hyp_early_alloc_page(&ea, &pa), 0);              /* exact fit */
	ck_assert_uint_eq(pa, MEM_BASE + 3 * HYP_PAGE_SIZE);
	ck_assert_uint_eq(hyp_early_alloc_nr_used_pages(&ea), 4);
	ck_assert_int_eq(hyp_early_alloc_page(&ea, &pa), -ENOMEM);
	fx_free(f);
}
END_TEST

/* nr_pages >= 2^20: the 32-bit shift wraps and the call "succeeds" wrongly. */
START_TEST(test_hyp_early_alloc_shift_wrap)
{
	struct fx *f = fx_new();
	struct hyp_early_alloc ea;
	uint64_t pa;

	hyp_early_alloc_init(&ea, &f->mem, MEM_BASE, 2 * HYP_PAGE_SIZE);
	ck_assert_int_eq(hyp_early_alloc_contig(&ea, 1u << 20, &pa), 0);   /* size 0 */
	ck_assert_uint_eq(pa, MEM_BASE);
	ck_assert_uint_eq(hyp_early_alloc_nr_used_pages(&ea), 0);
	ck_assert_int_eq(hyp_early_alloc_contig(&ea, (1u << 20) + 1, &pa), 0); /* size 4096 */
	ck_assert_uint_eq(hyp_early_alloc_nr_used_pages(&ea), 1);
	fx_free(f);
}
END_TEST

/* ---- property test ------------------------------------------------------------------ */

#define PROP_PAGES 512
#define PROP_OPS 1000000

struct held {
	uint64_t pa;
	unsigned order, refs;
};

static uint64_t rng(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Is there a fully free, aligned region of 2^order pages in the reference? */
static bool reference_has_room(const uint8_t *owned, unsigned order)
{
	unsigned n = 1u << order, i, j;

	for (i = 0; i + n <= PROP_PAGES; i += n) {
		for (j = 0; j < n && !owned[i + j]; j++)
			;
		if (j == n)
			return true;
	}
	return false;
}

static void prop_alloc(struct fx *f, struct held *held, unsigned *nheld, uint8_t *owned, unsigned order)
{
	uint64_t pa;
	unsigned i, first;
	int r = hyp_alloc_pages(&f->pool, (uint8_t)order, &pa);

	if (r == -ENOMEM) {
		ck_assert_msg(!reference_has_room(owned, order), "alloc order %u failed with room left", order);
		return;
	}
	ck_assert_int_eq(r, 0);
	first = (unsigned)((pa - MEM_BASE) >> 12);
	ck_assert_msg((first & ((1u << order) - 1)) == 0, "block %u of order %u not aligned", first, order);
	ck_assert_uint_le(first + (1u << order), PROP_PAGES);
	for (i = 0; i < (1u << order); i++) {
		ck_assert_msg(!owned[first + i], "page %u handed out twice", first + i);
		owned[first + i] = 1;
	}
	ck_assert_uint_eq(f->buf[first * 4096 + 4095], 0);
	f->buf[first * 4096 + 7] = 0x77; /* the owner scribbles on its page */
	held[(*nheld)++] = (struct held){ .pa = pa, .order = order, .refs = 1 };
}

static void prop_put(struct fx *f, struct held *held, unsigned *nheld, uint8_t *owned, unsigned k)
{
	struct held *h = &held[k];
	unsigned i, first = (unsigned)((h->pa - MEM_BASE) >> 12);

	ck_assert_int_eq(hyp_put_page(&f->pool, h->pa), 0);
	if (--h->refs)
		return;
	for (i = 0; i < (1u << h->order); i++)
		owned[first + i] = 0;
	held[k] = held[--*nheld];
}

static void prop_split(struct fx *f, struct held *held, unsigned *nheld, unsigned k)
{
	struct held h = held[k];
	unsigned i;

	if (h.order == 0 || h.refs != 1)
		return;
	ck_assert_int_eq(hyp_split_page(&f->pool, h.pa), 0);
	held[k].order = 0;
	for (i = 1; i < (1u << h.order); i++)
		held[(*nheld)++] = (struct held){ .pa = h.pa + i * HYP_PAGE_SIZE, .order = 0, .refs = 1 };
}

START_TEST(test_hyp_alloc_property)
{
	struct fx *f = pool_new(0, PROP_PAGES, 0);
	struct held *held = calloc(PROP_PAGES, sizeof(*held));
	uint8_t owned[PROP_PAGES] = { 0 };
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	unsigned nheld = 0, op, checks = 0;

	for (op = 1; op <= PROP_OPS; op++) {
		uint64_t r = rng(&seed);
		unsigned kind = r % 16, k = nheld ? (unsigned)((r >> 8) % nheld) : 0;

		if (kind < 7 || !nheld)
			prop_alloc(f, held, &nheld, owned, (unsigned)((r >> 20) % 5));
		else if (kind < 14)
			prop_put(f, held, &nheld, owned, k);
		else if (kind == 14 && held[k].refs < 3) {
			ck_assert_int_eq(hyp_get_page(&f->pool, held[k].pa), 0);
			held[k].refs++;
		} else
			prop_split(f, held, &nheld, k);
		if (op % 1000 == 0) {
			assert_ok(f);
			checks++;
		}
	}
	while (nheld)
		prop_put(f, held, &nheld, owned, 0);
	assert_ok(f);
	ck_assert_uint_eq(nfree(f, 9), 1); /* everything merged back: one order-9 block */
	ck_assert_uint_eq(checks, PROP_OPS / 1000);
	free(held);
	fx_free(f);
}
END_TEST

TCase *hyp_alloc_tcase(void)
{
	TCase *tc = tcase_create("hyp_alloc");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_hyp_get_order);
	tcase_add_loop_test(tc, test_hyp_pool_init_max_order, 0, 6);
	tcase_add_test(tc, test_hyp_pool_init_reserved_pages);
	tcase_add_test(tc, test_hyp_pool_init_dirty_vmemmap_panics);
	tcase_add_test(tc, test_hyp_alloc_max_order_cap);
	tcase_add_test(tc, test_hyp_alloc_three_page_pool);
	tcase_add_test(tc, test_hyp_alloc_above_max_order);
	tcase_add_test(tc, test_hyp_alloc_oom);
	tcase_add_test(tc, test_hyp_alloc_extract_upper_halves);
	tcase_add_test(tc, test_hyp_alloc_fifo);
	tcase_add_test(tc, test_hyp_alloc_zeroed);
	tcase_add_test(tc, test_hyp_split_then_put_each);
	tcase_add_test(tc, test_hyp_put_external_page);
	tcase_add_test(tc, test_hyp_put_double_free_panics);
	tcase_add_test(tc, test_hyp_put_tail_panics);
	tcase_add_test(tc, test_hyp_get_overflow_panics);
	tcase_add_test(tc, test_hyp_split_refcounted_tail_panics);
	tcase_add_test(tc, test_hyp_split_tail_panics);
	tcase_add_test(tc, test_hyp_alloc_corrupted_node_panics);
	tcase_add_test(tc, test_hyp_check_nonzero_free_data);
	tcase_add_test(tc, test_hyp_check_free_refcount);
	tcase_add_test(tc, test_hyp_check_broken_link);
	tcase_add_test(tc, test_hyp_check_leaked_page);
	tcase_add_test(tc, test_hyp_check_unmerged_buddies);
	tcase_add_test(tc, test_hyp_early_alloc);
	tcase_add_test(tc, test_hyp_early_alloc_shift_wrap);
	tcase_add_test(tc, test_hyp_alloc_property);
	return tc;
}
