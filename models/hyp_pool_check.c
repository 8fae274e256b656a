/* SPDX-License-Identifier: MIT */
/*
 * hyp_pool_check(): the buddy allocator's invariants (docs/models/pkvm.md §1.5),
 * checked from what is in simulated memory, never from a shadow copy:
 *   1. every free-list node is inside memory, its back link is right, and the
 *      walk ends (no cycle);
 *   2. a free block of order k is aligned to 4096 << k, lies in the range, and
 *      its head has refcount 0 and order k, its tails refcount 0 and
 *      HYP_NO_ORDER; no page is on two lists or in two blocks;
 *   3. every byte of a free block is zero except its head's 16-byte node;
 *   4. two free buddies of order k < max_order never both sit on the lists;
 *   5. every page of the range is free or allocated: an allocated head has
 *      refcount >= 1 and an order, its tails refcount 0 and HYP_NO_ORDER.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hyp_alloc.h"

enum { UNSEEN, FREE_HEAD, FREE_TAIL, USED_HEAD, USED_TAIL };

struct check {
	const struct hyp_pool *pool;
	uint8_t *state;  /* per page of the range */
	uint8_t *order;  /* per free head */
	uint64_t nr;
	char *why;
	size_t whylen;
};

static int fail(struct check *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct check *k, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(k->why, k->whylen, fmt, ap);
	va_end(ap);
	return -1;
}

static bool in_range(const struct hyp_pool *pool, uint64_t phys)
{
	return phys >= pool->range_start && phys < pool->range_end;
}

static uint64_t index_of(const struct check *k, uint64_t phys)
{
	return (phys - k->pool->range_start) >> HYP_PAGE_SHIFT;
}

/* A node at hyp VA @va: its {next, prev}; false when outside memory. */
static bool read_node(const struct hyp_pool *pool, uint64_t va, uint64_t *next, uint64_t *prev)
{
	uint64_t base = pool->heads_va, off = va - base;
	const uint8_t *p;

	if (va >= base && off < HYP_NR_PAGE_ORDERS * 16 && off % 16 == 0) {
		*next = pool->heads[off / 16][0];
		*prev = pool->heads[off / 16][1];
		return true;
	}
	p = hyp_mem_ptr(&pool->vm->mem, va + (uint64_t)pool->physvirt_offset, 16);
	if (!p)
		return false;
	memcpy(next, p, 8);
	memcpy(prev, p + 8, 8);
	return true;
}

static bool all_zero(const uint8_t *p, uint64_t len)
{
	uint64_t i;

	for (i = 0; i < len; i++)
		if (p[i])
			return false;
	return true;
}

/* One free block found on free_area[order]: check it and mark its pages. */
static int check_free_block(struct check *k, uint64_t phys, unsigned order)
{
	const struct hyp_pool *pool = k->pool;
	uint64_t size = HYP_PAGE_SIZE << order, i;
	struct hyp_page_info info;
	const uint8_t *bytes;

	if (hyp_vmemmap_read(pool->vm, phys, &info) < 0)
		return fail(k, "free_area[%u]: page 0x%" PRIx64 " has no vmemmap entry", order, phys);
	if (info.refcount != 0)
		return fail(k, "free page 0x%" PRIx64 " on free_area[%u] has refcount %u", phys, order, info.refcount);
	if (info.order != order)
		return fail(k, "free page 0x%" PRIx64 " is on free_area[%u] but its order is %u", phys, order, info.order);
	bytes = hyp_mem_ptr(&pool->vm->mem, phys, size);
	if (!bytes)
		return fail(k, "free block 0x%" PRIx64 " of order %u is outside memory", phys, order);
	if (!all_zero(bytes + 16, size - 16))
		return fail(k, "free block 0x%" PRIx64 " of order %u holds non-zero data", phys, order);
	if (!in_range(pool, phys))
		return 0; /* an external page: no position in the range */
	if (phys & (size - 1))
		return fail(k, "free block 0x%" PRIx64 " is not aligned to its order %u", phys, order);
	if (phys + size > pool->range_end)
		return fail(k, "free block 0x%" PRIx64 " of order %u runs past the pool's end", phys, order);
	for (i = 0; i < size >> HYP_PAGE_SHIFT; i++) {
		uint64_t idx = index_of(k, phys) + i;

		if (k->state[idx] != UNSEEN)
			return fail(k, "page 0x%" PRIx64 " is in two free blocks (or twice on the lists)",
				    phys + i * HYP_PAGE_SIZE);
		k->state[idx] = i ? FREE_TAIL : FREE_HEAD;
		if (i && (hyp_vmemmap_read(pool->vm, phys + i * HYP_PAGE_SIZE, &info) < 0 || info.refcount ||
			  info.order != HYP_NO_ORDER))
			return fail(k, "tail page 0x%" PRIx64 " of free block 0x%" PRIx64 " has refcount %u order %u",
				    phys + i * HYP_PAGE_SIZE, phys, info.refcount, info.order);
	}
	k->order[index_of(k, phys)] = (uint8_t)order;
	return 0;
}

static int check_lists(struct check *k)
{
	const struct hyp_pool *pool = k->pool;
	unsigned order;

	for (order = 0; order <= pool->max_order; order++) {
		uint64_t head = pool->heads_va + order * 16, va, prev_va = head, next, prev, steps = 0;

		for (va = pool->heads[order][0]; va != head; prev_va = va, va = next) {
			if (++steps > pool->vm->nr_pfns + 1)
				return fail(k, "free_area[%u] does not end: a cycle in the list", order);
			if (!read_node(pool, va, &next, &prev))
				return fail(k, "free_area[%u]: node at VA 0x%" PRIx64 " is outside memory", order, va);
			if (prev != prev_va)
				return fail(k, "free_area[%u]: node at VA 0x%" PRIx64 " has prev 0x%" PRIx64
					       ", expected 0x%" PRIx64, order, va, prev, prev_va);
			if (check_free_block(k, va + (uint64_t)pool->physvirt_offset, order) < 0)
				return -1;
		}
		if (pool->heads[order][1] != prev_va)
			return fail(k, "free_area[%u]: the head's prev does not point at the last node", order);
	}
	return 0;
}

static int check_buddies(struct check *k)
{
	const struct hyp_pool *pool = k->pool;
	uint64_t i;

	for (i = 0; i < k->nr; i++) {
		uint64_t phys = pool->range_start + (i << HYP_PAGE_SHIFT), buddy;
		unsigned order = k->order[i];

		if (k->state[i] != FREE_HEAD || order + 1 > pool->max_order)
			continue;
		buddy = phys ^ (HYP_PAGE_SIZE << order);
		if (in_range(pool, buddy) && k->state[index_of(k, buddy)] == FREE_HEAD &&
		    k->order[index_of(k, buddy)] == order)
			return fail(k, "free buddies 0x%" PRIx64 " and 0x%" PRIx64 " of order %u were not merged", phys,
				    buddy, order);
	}
	return 0;
}

static int check_allocated(struct check *k)
{
	const struct hyp_pool *pool = k->pool;
	uint64_t i, j;

	for (i = 0; i < k->nr; i++) {
		uint64_t phys = pool->range_start + (i << HYP_PAGE_SHIFT);
		struct hyp_page_info info;

		if (k->state[i] != UNSEEN)
			continue;
		if (hyp_vmemmap_read(pool->vm, phys, &info) < 0)
			return fail(k, "page 0x%" PRIx64 " has no vmemmap entry", phys);
		if (info.refcount == 0)
			return fail(k, "page 0x%" PRIx64 " has refcount 0 but is on no free list (leaked)", phys);
		if (info.order > HYP_MAX_PAGE_ORDER)
			return fail(k, "allocated page 0x%" PRIx64 " has refcount %u and order %u", phys, info.refcount,
				    info.order);
		if (i + (1ull << info.order) > k->nr)
			return fail(k, "allocated block 0x%" PRIx64 " of order %u runs past the pool's end", phys, info.order);
		k->state[i] = USED_HEAD;
		for (j = 1; j < (1ull << info.order); j++) {
			struct hyp_page_info t;

			if (k->state[i + j] != UNSEEN || hyp_vmemmap_read(pool->vm, phys + (j << HYP_PAGE_SHIFT), &t) < 0 ||
			    t.refcount || t.order != HYP_NO_ORDER)
				return fail(k, "tail page 0x%" PRIx64 " of allocated block 0x%" PRIx64 " is not a plain tail",
					    phys + (j << HYP_PAGE_SHIFT), phys);
			k->state[i + j] = USED_TAIL;
		}
	}
	return 0;
}

int hyp_pool_check(const struct hyp_pool *pool, char *why, size_t whylen)
{
	struct check k = { .pool = pool, .why = why, .whylen = whylen };
	int r;

	if (pool->panic.reason != HYP_PANIC_NONE) {
		snprintf(why, whylen, "the pool has panicked: %s at 0x%" PRIx64, hyp_panic_reason_name(pool->panic.reason),
			 pool->panic.phys);
		return -1;
	}
	if (pool->max_order > HYP_MAX_PAGE_ORDER)
		return fail(&k, "max_order %u is above %d", pool->max_order, HYP_MAX_PAGE_ORDER);
	k.nr = pool->range_end > pool->range_start ? (pool->range_end - pool->range_start) >> HYP_PAGE_SHIFT : 0;
	k.state = calloc(k.nr + 1, 1);
	k.order = calloc(k.nr + 1, 1);
	if (!k.state || !k.order) {
		r = fail(&k, "out of memory while checking");
		goto out;
	}
	r = check_lists(&k);
	if (!r)
		r = check_buddies(&k);
	if (!r)
		r = check_allocated(&k);
	if (!r)
		snprintf(why, whylen, "ok");
out:
	free(k.state);
	free(k.order);
	return r;
}
