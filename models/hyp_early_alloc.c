/* SPDX-License-Identifier: MIT */
/*
 * pKVM's early bump allocator (arch/arm64/kvm/hyp/nvhe/early_alloc.c,
 * docs/models/pkvm.md §1.1): contiguous zeroed pages from a range, never freed.
 */
#include <errno.h>
#include <string.h>

#include "hyp_alloc.h"

void hyp_early_alloc_init(struct hyp_early_alloc *ea, const struct hyp_mem *mem, uint64_t base, uint64_t size)
{
	ea->mem = *mem;
	ea->base = ea->cur = base;
	ea->end = base + size;
}

int hyp_early_alloc_contig(struct hyp_early_alloc *ea, uint32_t nr_pages, uint64_t *pa)
{
	/* nr_pages is an unsigned int in the kernel: the shift wraps at 2^20. */
	uint32_t size = nr_pages << HYP_PAGE_SHIFT;
	uint8_t *p;

	if (!nr_pages || ea->end - ea->cur < size)
		return -ENOMEM;
	p = hyp_mem_ptr(&ea->mem, ea->cur, size);
	if (!p)
		return -EFAULT;
	*pa = ea->cur;
	ea->cur += size;
	memset(p, 0, size);
	return 0;
}

int hyp_early_alloc_page(struct hyp_early_alloc *ea, uint64_t *pa)
{
	return hyp_early_alloc_contig(ea, 1, pa);
}

uint64_t hyp_early_alloc_nr_used_pages(const struct hyp_early_alloc *ea)
{
	return (ea->cur - ea->base) >> HYP_PAGE_SHIFT;
}
