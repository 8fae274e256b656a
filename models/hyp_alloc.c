/* SPDX-License-Identifier: MIT */
/*
 * pKVM's buddy page allocator (arch/arm64/kvm/hyp/nvhe/page_alloc.c, [K]) over
 * simulated physical memory.  See hyp_alloc.h for the layout and the choices.
 *
 * Buddies are found by XOR on the absolute physical address and must lie in
 * [range_start, range_end).  For a pool of four pages at PFN 0:
 *
 *   __find_buddy(page 0, order 0) => page 1     __find_buddy(page 1, order 0) => page 0
 *   __find_buddy(page 0, order 1) => page 2     __find_buddy(page 2, order 0) => page 3
 *
 * Freeing zeroes the whole block, then merges it with its buddy while the
 * buddy is a free block of the same order and order + 1 <= max_order; the
 * lower address becomes the head.  Allocating takes the first block of the
 * first non-empty list at or above the order and splits it down, putting the
 * upper halves back on the lists.
 */
#include <errno.h>
#include <string.h>

#include "hyp_alloc.h"

#define LIST_NODE_SIZE 16

/* ---- struct hyp_page in the vmemmap --------------------------------------------- */

static uint8_t *page_meta(const struct hyp_vmemmap *vm, uint64_t phys)
{
	uint64_t pfn = phys >> HYP_PAGE_SHIFT;

	if (pfn < vm->first_pfn || pfn - vm->first_pfn >= vm->nr_pfns)
		return NULL;
	return hyp_mem_ptr(&vm->mem, vm->pa + (pfn - vm->first_pfn) * HYP_PAGE_STRUCT_SIZE, HYP_PAGE_STRUCT_SIZE);
}

static uint16_t meta_refcount(const uint8_t *m)
{
	return (uint16_t)(m[0] | m[1] << 8);
}

static void meta_set_refcount(uint8_t *m, uint16_t v)
{
	m[0] = (uint8_t)v;
	m[1] = (uint8_t)(v >> 8);
}

int hyp_vmemmap_read(const struct hyp_vmemmap *vm, uint64_t phys, struct hyp_page_info *out)
{
	const uint8_t *m = page_meta(vm, phys);

	if (!m)
		return -EFAULT;
	out->refcount = meta_refcount(m);
	out->order = m[2];
	out->host_state = m[3] & 0xf;
	out->hyp_state = (m[3] >> 4) ^ 3; /* stored as its complement */
	out->host_share_guest_count = (uint32_t)m[4] | (uint32_t)m[5] << 8 | (uint32_t)m[6] << 16 |
				      (uint32_t)m[7] << 24;
	return 0;
}

unsigned hyp_get_order(uint64_t size)
{
	unsigned order = 0;

	size = (size - 1) >> HYP_PAGE_SHIFT; /* size 0 wraps: order 52 */
	while (size) {
		order++;
		size >>= 1;
	}
	return order;
}

/* ---- panics --------------------------------------------------------------------- */

int hyp_pool_bug(struct hyp_pool *pool, enum hyp_panic_reason reason, uint64_t phys)
{
	if (pool->panic.reason == HYP_PANIC_NONE)
		pool->panic = (struct hyp_panic){ .reason = reason, .phys = phys };
	return HYP_EPANIC;
}

const char *hyp_panic_reason_name(enum hyp_panic_reason r)
{
	static const char *const names[] = {
		[HYP_PANIC_NONE] = "none",
		[HYP_PANIC_REFCOUNT_UNDERFLOW] = "refcount underflow (hyp_page_ref_dec on 0)",
		[HYP_PANIC_REFCOUNT_OVERFLOW] = "refcount overflow (hyp_page_ref_inc at 65535)",
		[HYP_PANIC_REFCOUNTED_TWICE] = "hyp_set_page_refcounted on a non-zero refcount",
		[HYP_PANIC_SPLIT_TAIL] = "hyp_split_page on a tail page (order HYP_NO_ORDER)",
		[HYP_PANIC_BAD_POINTER] = "access outside memory (corrupted list or order)",
	};

	return (unsigned)r < sizeof(names) / sizeof(names[0]) ? names[r] : "?";
}

/* The refcount helpers of nvhe/memory.h: the allocator's only BUG() sites. */
static int ref_inc(struct hyp_pool *pool, uint8_t *m, uint64_t phys)
{
	if (meta_refcount(m) == HYP_REFCOUNT_MAX)
		return hyp_pool_bug(pool, HYP_PANIC_REFCOUNT_OVERFLOW, phys);
	meta_set_refcount(m, meta_refcount(m) + 1);
	return 0;
}

static int ref_dec_and_test(struct hyp_pool *pool, uint8_t *m, uint64_t phys, bool *zero)
{
	if (meta_refcount(m) == 0)
		return hyp_pool_bug(pool, HYP_PANIC_REFCOUNT_UNDERFLOW, phys);
	meta_set_refcount(m, meta_refcount(m) - 1);
	*zero = meta_refcount(m) == 0;
	return 0;
}

static int set_page_refcounted(struct hyp_pool *pool, uint8_t *m, uint64_t phys)
{
	if (meta_refcount(m) != 0)
		return hyp_pool_bug(pool, HYP_PANIC_REFCOUNTED_TWICE, phys);
	meta_set_refcount(m, 1);
	return 0;
}

/* ---- intrusive lists (struct list_head {next, prev}, hyp VAs) ------------------- */

static uint64_t head_va(const struct hyp_pool *pool, unsigned order)
{
	return pool->heads_va + (uint64_t)order * LIST_NODE_SIZE;
}

/*
 * A list node by hyp VA: one of the pool's free_area heads (host memory, as
 * the kernel keeps hyp_pool in hyp .bss), or 16 bytes of simulated memory.
 * NULL when the VA leads nowhere: at EL2 that would be a data abort.
 */
static inline uint8_t *node_ptr(struct hyp_pool *pool, uint64_t va)
{
	uint64_t off = va - pool->heads_va; /* wraps below heads_va: one compare */

	if (off < HYP_NR_PAGE_ORDERS * LIST_NODE_SIZE)
		return off % LIST_NODE_SIZE ? NULL : (uint8_t *)pool->heads[off / LIST_NODE_SIZE];
	return hyp_mem_ptr(&pool->vm->mem, va + (uint64_t)pool->physvirt_offset, LIST_NODE_SIZE);
}

/* node->next (field 0) and node->prev (field 1); memcpy: nodes may be unaligned. */
static inline uint64_t ld(const uint8_t *node, int field)
{
	uint64_t v;

	memcpy(&v, node + 8 * field, 8);
	return v;
}

static inline void st(uint8_t *node, int field, uint64_t v)
{
	memcpy(node + 8 * field, &v, 8);
}

static uint64_t page_va(const struct hyp_pool *pool, uint64_t phys)
{
	return phys - (uint64_t)pool->physvirt_offset;
}

/* INIT_LIST_HEAD(node); list_add_tail(node, &free_area[order]). */
static int page_add_to_list(struct hyp_pool *pool, uint64_t phys, unsigned order)
{
	uint64_t node = page_va(pool, phys), head = head_va(pool, order), prev;
	uint8_t *np = node_ptr(pool, node), *hp = node_ptr(pool, head), *pp;

	if (!np || !hp || !(pp = node_ptr(pool, prev = ld(hp, 1))))
		return hyp_pool_bug(pool, HYP_PANIC_BAD_POINTER, phys);
	st(np, 0, head);
	st(np, 1, prev);
	st(pp, 0, node);
	st(hp, 1, node);
	return 0;
}

/* __list_del_entry(node); memset(node, 0, sizeof(*node)). */
static int page_remove_from_list(struct hyp_pool *pool, uint64_t phys)
{
	uint8_t *np = node_ptr(pool, page_va(pool, phys)), *xp, *pp;
	uint64_t next, prev;

	if (!np || !(xp = node_ptr(pool, next = ld(np, 0))) || !(pp = node_ptr(pool, prev = ld(np, 1))))
		return hyp_pool_bug(pool, HYP_PANIC_BAD_POINTER, phys);
	st(xp, 1, prev);
	st(pp, 0, next);
	memset(np, 0, LIST_NODE_SIZE);
	return 0;
}

/* ---- buddies ----------------------------------------------------------------------- */

/* __find_buddy_nocheck(): the XOR buddy if it lies in the pool's range, else 0. */
static uint64_t find_buddy_nocheck(const struct hyp_pool *pool, uint64_t phys, unsigned order)
{
	uint64_t addr = phys ^ (HYP_PAGE_SIZE << order);

	if (addr < pool->range_start || addr >= pool->range_end)
		return 0;
	return addr;
}

/* __find_buddy_avail(): ... and a free block head of the same order. */
static uint64_t find_buddy_avail(const struct hyp_pool *pool, uint64_t phys, unsigned order)
{
	uint64_t addr = find_buddy_nocheck(pool, phys, order);
	const uint8_t *m = addr ? page_meta(pool->vm, addr) : NULL;

	if (!m || m[2] != order || meta_refcount(m) != 0)
		return 0;
	return addr;
}

/* __hyp_attach_page(): zero the block, coalesce, put its head on a list. */
static int hyp_attach_page(struct hyp_pool *pool, uint64_t phys, uint8_t *m)
{
	unsigned order = m[2];
	uint8_t *block = order <= HYP_MAX_PAGE_ORDER ? hyp_mem_ptr(&pool->vm->mem, phys, HYP_PAGE_SIZE << order)
						      : NULL;
	uint64_t buddy;

	if (!block) /* an absurd order: the kernel's memset would fault at EL2 */
		return hyp_pool_bug(pool, HYP_PANIC_BAD_POINTER, phys);
	memset(block, 0, HYP_PAGE_SIZE << order);
	if (phys >= pool->range_start && phys < pool->range_end) {
		/* @p may stop being the head while coalescing: mark it first. */
		m[2] = HYP_NO_ORDER;
		for (; order + 1 <= pool->max_order; order++) {
			uint8_t *bm;

			buddy = find_buddy_avail(pool, phys, order);
			if (!buddy)
				break;
			if (page_remove_from_list(pool, buddy) < 0)
				return HYP_EPANIC;
			bm = page_meta(pool->vm, buddy);
			bm[2] = HYP_NO_ORDER;
			if (buddy < phys)
				phys = buddy;
		}
		m = page_meta(pool->vm, phys);
	}
	/* else: an external page (outside the range) goes straight on the list */
	m[2] = (uint8_t)order;
	return page_add_to_list(pool, phys, order);
}

/* __hyp_extract_page(): take a free block off its list, split it down to @order. */
static int hyp_extract_page(struct hyp_pool *pool, uint64_t phys, uint8_t *m, unsigned order)
{
	if (page_remove_from_list(pool, phys) < 0)
		return HYP_EPANIC;
	while (m[2] > order) {
		uint64_t buddy;
		uint8_t *bm;

		m[2]--;
		buddy = find_buddy_nocheck(pool, phys, m[2]);
		bm = buddy ? page_meta(pool->vm, buddy) : NULL;
		if (!bm)
			return hyp_pool_bug(pool, HYP_PANIC_BAD_POINTER, phys);
		bm[2] = m[2];
		if (page_add_to_list(pool, buddy, bm[2]) < 0)
			return HYP_EPANIC;
	}
	return 0;
}

/* ---- the public calls ------------------------------------------------------------ */

static bool panicked(const struct hyp_pool *pool)
{
	return pool->panic.reason != HYP_PANIC_NONE;
}

int hyp_pool_init(struct hyp_pool *pool, const struct hyp_vmemmap *vm, uint64_t pfn, uint32_t nr_pages,
		  uint32_t reserved_pages, int64_t physvirt_offset, uint64_t heads_va)
{
	uint64_t phys = pfn << HYP_PAGE_SHIFT;
	uint32_t bytes = nr_pages << HYP_PAGE_SHIFT; /* unsigned int in the kernel: wraps */
	unsigned order = hyp_get_order(bytes), i;
	uint32_t n;

	memset(pool, 0, sizeof(*pool));
	pool->vm = vm;
	pool->physvirt_offset = physvirt_offset;
	pool->heads_va = heads_va;
	pool->max_order = (uint8_t)(order < HYP_MAX_PAGE_ORDER ? order : HYP_MAX_PAGE_ORDER);
	for (i = 0; i <= pool->max_order; i++)
		pool->heads[i][0] = pool->heads[i][1] = head_va(pool, i);
	pool->range_start = phys;
	pool->range_end = phys + bytes;
	for (n = 0; n < nr_pages; n++)
		if (!page_meta(vm, phys + (uint64_t)n * HYP_PAGE_SIZE) ||
		    !hyp_mem_ptr(&vm->mem, phys + (uint64_t)n * HYP_PAGE_SIZE, HYP_PAGE_SIZE))
			return -EINVAL;
	for (n = 0; n < nr_pages; n++) {
		uint64_t p = phys + (uint64_t)n * HYP_PAGE_SIZE;

		if (set_page_refcounted(pool, page_meta(vm, p), p) < 0)
			return HYP_EPANIC;
	}
	for (n = reserved_pages; n < nr_pages; n++)
		if (hyp_put_page(pool, phys + (uint64_t)n * HYP_PAGE_SIZE) < 0)
			return HYP_EPANIC;
	return 0;
}

int hyp_alloc_pages(struct hyp_pool *pool, uint8_t order, uint64_t *pa)
{
	unsigned i = order;
	uint64_t node, phys;
	uint8_t *m;
	int r;

	if (panicked(pool))
		return HYP_EPANIC;
	while (i <= pool->max_order && pool->heads[i][0] == head_va(pool, i))
		i++;
	if (i > pool->max_order)
		return -ENOMEM;
	node = pool->heads[i][0];
	phys = node + (uint64_t)pool->physvirt_offset; /* node_to_page */
	m = page_meta(pool->vm, phys);
	if (!m || !node_ptr(pool, node))
		return hyp_pool_bug(pool, HYP_PANIC_BAD_POINTER, phys);
	r = hyp_extract_page(pool, phys, m, order);
	if (r < 0)
		return r;
	r = set_page_refcounted(pool, m, phys);
	if (r < 0)
		return r;
	*pa = phys;
	return 0;
}

int hyp_get_page(struct hyp_pool *pool, uint64_t pa)
{
	uint8_t *m = page_meta(pool->vm, pa);

	if (panicked(pool))
		return HYP_EPANIC;
	if (!m)
		return -EINVAL;
	return ref_inc(pool, m, pa);
}

int hyp_put_page(struct hyp_pool *pool, uint64_t pa)
{
	uint8_t *m = page_meta(pool->vm, pa);
	bool zero = false;
	int r;

	if (panicked(pool))
		return HYP_EPANIC;
	if (!m)
		return -EINVAL;
	r = ref_dec_and_test(pool, m, pa, &zero);
	if (r < 0 || !zero)
		return r;
	return hyp_attach_page(pool, pa, m);
}

int hyp_split_page(struct hyp_pool *pool, uint64_t pa)
{
	uint8_t *m = page_meta(pool->vm, pa);
	unsigned order;
	uint64_t i;

	if (panicked(pool))
		return HYP_EPANIC;
	if (!m)
		return -EINVAL;
	order = m[2];
	if (order == HYP_NO_ORDER) /* the kernel would loop 2^255 times */
		return hyp_pool_bug(pool, HYP_PANIC_SPLIT_TAIL, pa);
	m[2] = 0;
	for (i = 1; i < (1ull << (order < 63 ? order : 63)); i++) {
		uint64_t tail = pa + i * HYP_PAGE_SIZE;
		uint8_t *tm = page_meta(pool->vm, tail);

		if (!tm)
			return hyp_pool_bug(pool, HYP_PANIC_BAD_POINTER, tail);
		tm[2] = 0;
		if (set_page_refcounted(pool, tm, tail) < 0)
			return HYP_EPANIC;
	}
	return 0;
}

int hyp_page_info(const struct hyp_pool *pool, uint64_t pa, struct hyp_page_info *out)
{
	return hyp_vmemmap_read(pool->vm, pa, out) < 0 ? -EINVAL : 0;
}

int hyp_pool_free_blocks(const struct hyp_pool *pool, unsigned order, uint64_t *count)
{
	uint64_t head, va, n = 0, limit;

	if (order > pool->max_order)
		return -EINVAL;
	head = head_va(pool, order);
	limit = pool->vm->nr_pfns + 1;
	for (va = pool->heads[order][0]; va != head; n++) {
		const uint8_t *np = node_ptr((struct hyp_pool *)pool, va);

		if (n > limit || !np)
			return -EFAULT; /* a cycle or a pointer outside memory */
		va = ld(np, 0);
	}
	*count = n;
	return 0;
}
