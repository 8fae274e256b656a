/* SPDX-License-Identifier: MIT */
/*
 * pKVM's hypervisor page allocators: the early bump allocator and the buddy
 * allocator (hyp_pool), modelled on newest mainline (docs/models/pkvm.md §1, [K]
 * ≈ v6.16/17: u8 orders, HYP_NO_ORDER = 0xff, inclusive max_order).
 *
 * All allocator state the kernel keeps in memory lives in *simulated
 * physical memory*, laid out as the kernel lays it out:
 *   - struct hyp_page, 8 bytes per 4 KiB page, in a vmemmap indexed by PFN:
 *       +0 u16 refcount, +2 u8 order, +3 u8 {host_state:4, hyp_state_comp:4},
 *       +4 u32 host_share_guest_count                       (little-endian)
 *   - free-list nodes (struct list_head {next, prev}, hyp VAs) in the first
 *     16 bytes of each free block's head page.
 * The pool's own fields (free_area heads, range, max_order) are a plain
 * struct the caller owns, as the kernel keeps hyp_pool in hyp .bss; its list
 * heads have a hyp VA (heads_va) so nodes can point at them.  A stray write
 * into a free page or the vmemmap therefore corrupts the allocator exactly as
 * it would on hardware, and hyp_pool_check() finds it.
 *
 * Every BUG() in the kernel's allocator is a *hyp panic* here: the call
 * returns HYP_EPANIC, the reason and page are recorded in pool->panic, and
 * every later call on the pool returns HYP_EPANIC too.  Nothing aborts.
 * A list pointer that leads outside memory (a corrupted node) is a panic too:
 * at EL2 it would be a data abort, which pKVM turns into hyp_panic().
 *
 * Choices where versions differ (history in docs/models/pkvm.md §1):
 *   - hyp_early_alloc_contig() reproduces the 32-bit `nr_pages << PAGE_SHIFT`
 *     wrap: nr_pages >= 2^20 computes a small (or zero) size and succeeds
 *     wrongly, as the kernel does.
 *   - hyp_pool_init() reproduces the 32-bit `nr_pages << PAGE_SHIFT` in both
 *     get_order() and range_end, and get_order(0) = 52 (so max_order = 10).
 *   - [K] external pages: a page outside [range_start, range_end) put into a
 *     pool is added to its free list without coalescing.
 *   - Older kernels (v5.14-6.3, [T-pa]) had an exclusive max_order sized from
 *     nr_pages + 1 and 16-bit orders; not modelled.
 */
#ifndef HYPSIM_HYP_ALLOC_H
#define HYPSIM_HYP_ALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HYP_PAGE_SHIFT 12
#define HYP_PAGE_SIZE ((uint64_t)1 << HYP_PAGE_SHIFT)
#define HYP_MAX_PAGE_ORDER 10
#define HYP_NR_PAGE_ORDERS (HYP_MAX_PAGE_ORDER + 1)
#define HYP_NO_ORDER 0xff
#define HYP_PAGE_STRUCT_SIZE 8
#define HYP_REFCOUNT_MAX 0xffff

/* Returned by every call once the pool has panicked (not an errno value). */
#define HYP_EPANIC (-4096)

/* The simulated physical memory a model sees: one contiguous region. */
struct hyp_mem {
	uint64_t base, size;
	uint8_t *host;
};

/* Host pointer for [pa, pa+len) inside @m, or NULL. */
static inline uint8_t *hyp_mem_ptr(const struct hyp_mem *m, uint64_t pa, uint64_t len)
{
	if (pa < m->base || pa - m->base > m->size || len > m->size - (pa - m->base))
		return NULL;
	return m->host + (pa - m->base);
}

/* ---- early allocator -------------------------------------------------------- */

struct hyp_early_alloc {
	struct hyp_mem mem;
	uint64_t base, end, cur; /* physical addresses */
};

/** hyp_early_alloc_init() - bump allocator over [base, base+size). */
void hyp_early_alloc_init(struct hyp_early_alloc *ea, const struct hyp_mem *mem, uint64_t base, uint64_t size);

/**
 * hyp_early_alloc_contig() - @nr_pages contiguous zeroed pages.
 * Return: 0 with *pa set; -ENOMEM (the kernel's NULL) for nr_pages == 0 or
 * when the block does not fit (cur unchanged); -EFAULT when the block is not
 * in simulated memory.  nr_pages >= 2^20 wraps as in the kernel (see top).
 */
int hyp_early_alloc_contig(struct hyp_early_alloc *ea, uint32_t nr_pages, uint64_t *pa);
int hyp_early_alloc_page(struct hyp_early_alloc *ea, uint64_t *pa);
/** hyp_early_alloc_nr_used_pages() - (cur - base) >> PAGE_SHIFT. */
uint64_t hyp_early_alloc_nr_used_pages(const struct hyp_early_alloc *ea);

/* ---- the vmemmap ---------------------------------------------------------------- */

/* Where struct hyp_page entries live: entry(pfn) at pa + (pfn - first_pfn) * 8. */
struct hyp_vmemmap {
	struct hyp_mem mem;
	uint64_t pa;
	uint64_t first_pfn, nr_pfns;
};

/* A decoded struct hyp_page. */
struct hyp_page_info {
	uint16_t refcount;
	uint8_t order;
	uint8_t host_state, hyp_state; /* hyp_state decoded from its complement */
	uint32_t host_share_guest_count;
};

/** hyp_vmemmap_read() - decode the entry for @phys. Return: 0 or -EFAULT. */
int hyp_vmemmap_read(const struct hyp_vmemmap *vm, uint64_t phys, struct hyp_page_info *out);

/* ---- the buddy allocator ------------------------------------------------------- */

enum hyp_panic_reason {
	HYP_PANIC_NONE,
	HYP_PANIC_REFCOUNT_UNDERFLOW, /* hyp_page_ref_dec on refcount 0 */
	HYP_PANIC_REFCOUNT_OVERFLOW,  /* hyp_page_ref_inc at 65535 */
	HYP_PANIC_REFCOUNTED_TWICE,   /* hyp_set_page_refcounted on refcount != 0 */
	HYP_PANIC_SPLIT_TAIL,         /* hyp_split_page on order HYP_NO_ORDER */
	HYP_PANIC_BAD_POINTER,        /* a page or list node outside memory */
};

struct hyp_panic {
	enum hyp_panic_reason reason;
	uint64_t phys; /* the page concerned */
};

struct hyp_pool {
	const struct hyp_vmemmap *vm;
	int64_t physvirt_offset;             /* hyp VA = PA - offset (__hyp_va) */
	uint64_t heads_va;                   /* hyp VA of free_area[0]; 16 bytes each */
	uint64_t heads[HYP_NR_PAGE_ORDERS][2]; /* free_area[i] as a list_head {next, prev} */
	uint64_t range_start, range_end;     /* physical, end exclusive */
	uint8_t max_order;
	struct hyp_panic panic;
};

/**
 * hyp_pool_init() - the kernel's hyp_pool_init(pool, pfn, nr_pages,
 * reserved_pages) over the vmemmap @vm.  @heads_va names the pool's
 * free_area in hyp VA space (must not be a page's VA).
 * Return: 0; HYP_EPANIC when a vmemmap entry was not zero (BUG in
 * hyp_set_page_refcounted); -EINVAL when the pages are not all covered by
 * @vm and memory (a configuration error, not kernel behaviour).
 */
int hyp_pool_init(struct hyp_pool *pool, const struct hyp_vmemmap *vm, uint64_t pfn, uint32_t nr_pages,
		  uint32_t reserved_pages, int64_t physvirt_offset, uint64_t heads_va);

/**
 * hyp_alloc_pages() - a 2^@order block, zeroed, refcount 1.
 * Return: 0 with *pa its head; -ENOMEM (the kernel's NULL) when no block is
 * free or order > max_order; HYP_EPANIC.
 */
int hyp_alloc_pages(struct hyp_pool *pool, uint8_t order, uint64_t *pa);
/** hyp_get_page() - refcount + 1. Return: 0, -EINVAL (not covered), HYP_EPANIC. */
int hyp_get_page(struct hyp_pool *pool, uint64_t pa);
/** hyp_put_page() - refcount - 1; at 0 the block is freed (zeroed, coalesced). */
int hyp_put_page(struct hyp_pool *pool, uint64_t pa);
/** hyp_split_page() - make every page of an allocated block its own order-0 page. */
int hyp_split_page(struct hyp_pool *pool, uint64_t pa);

/** hyp_pool_free_blocks() - number of blocks on free_area[@order] (walks the list). */
int hyp_pool_free_blocks(const struct hyp_pool *pool, unsigned order, uint64_t *count);
/** hyp_page_info() - decoded vmemmap entry. Return: 0 or -EINVAL. */
int hyp_page_info(const struct hyp_pool *pool, uint64_t pa, struct hyp_page_info *out);

/**
 * hyp_pool_check() - the invariant checker (docs/models/pkvm.md §1.5).  Walks the
 * free lists and the vmemmap slice; writes the first violation in words.
 * Return: 0 when every invariant holds, -1 otherwise.
 */
int hyp_pool_check(const struct hyp_pool *pool, char *why, size_t whylen);

const char *hyp_panic_reason_name(enum hyp_panic_reason r);

/**
 * hyp_pool_bug() - record a hyp panic on @pool (the first one sticks), for
 * users of the pool that hit a BUG() of their own (e.g. a NULL dereference).
 * Return: HYP_EPANIC.
 */
int hyp_pool_bug(struct hyp_pool *pool, enum hyp_panic_reason reason, uint64_t phys);

/** hyp_get_order() - the kernel's get_order(size): 52 for size 0. */
unsigned hyp_get_order(uint64_t size);

#endif
