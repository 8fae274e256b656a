/* SPDX-License-Identifier: MIT */
/*
 * pKVM host memory protection (arch/arm64/kvm/hyp/nvhe/mem_protect.c, newest
 * mainline [K], docs/models/pkvm.md §2): the host stage-2 (identity-mapped lazily on
 * host faults, annotated with the owner where hyp owns a page) and the page
 * ownership states of host and hyp, kept in the vmemmap as [K] keeps them:
 * struct hyp_page byte 3 = host_state (bits 3:0) | ~hyp_state (bits 7:4), so a
 * zeroed vmemmap reads host OWNED / hyp NOPAGE.
 *
 * Transitions check first, then commit, each in upstream's order with its
 * error code (§2.5): share_hyp, unshare_hyp, donate_hyp, hyp_donate_host,
 * share_ffa, unshare_ffa, pin and unpin.  A failed check changes nothing.
 *
 * Not modelled (noted for the stage-2 issue): the hyp stage-1 page table (in
 * [K] a share no longer maps it; donate_hyp and pin map PAGE_HYP there, which
 * here only changes states and refcounts), guests and their stage-2
 * (share_guest and friends), and locks (the simulator is single-threaded).
 * What the host sees when it touches a page it does not own (mainline: hyp
 * panic; Android: an injected abort) is decided by the caller from
 * mp_host_mem_abort()'s -EPERM.
 */
#ifndef HYPSIM_MEM_PROTECT_H
#define HYPSIM_MEM_PROTECT_H

#include <stdbool.h>
#include <stdint.h>

#include "hyp_alloc.h"
#include "s2pt.h"

#define HYP_MEMBLOCK_REGIONS 128

/* enum pkvm_page_state, [K] v6.15+ */
enum pkvm_page_state {
	PKVM_PAGE_OWNED = 0,
	PKVM_PAGE_SHARED_OWNED = 1,
	PKVM_PAGE_SHARED_BORROWED = 2,
	PKVM_NOPAGE = 3,
};

/* enum pkvm_component_id */
#define PKVM_ID_HOST 0
#define PKVM_ID_HYP 1

#define PKVM_HOST_MEM_PROT S2PT_PROT_RWX
#define PKVM_HOST_MMIO_PROT S2PT_PROT_RW

struct hyp_memblock {
	uint64_t base, size;
	bool nomap;
};

struct mem_protect {
	struct hyp_memblock mem[HYP_MEMBLOCK_REGIONS]; /* sorted, disjoint */
	int nr_mem;
	const struct hyp_vmemmap *vm;  /* must cover every memory region */
	struct hyp_pool *host_s2_pool;
	struct s2pt host_s2;           /* IDMAP, page tables from host_s2_pool */
	/* TLB invalidations the host stage-2's walkers issued (a valid entry
	 * was removed, split or changed): every one since mp_tlbi_take(). */
	uint64_t tlbi_pending;
	uint64_t tlbi_total;
	unsigned enomem_inject; /* host_stage2_try() attempts still to fail with -ENOMEM */
};

/**
 * mp_init() - kvm_host_prepare_stage2(): the host stage-2 (IDMAP, with the
 * host's force_pte rule) over @ia_bits, tables from @pool.  @mem lists the
 * memory regions, sorted.  Return: 0, -EINVAL (regions), -ENOMEM, HYP_EPANIC.
 */
int mp_init(struct mem_protect *mp, const struct hyp_memblock *mem, int nr_mem, const struct hyp_vmemmap *vm,
	    struct hyp_pool *pool, uint32_t ia_bits);

/**
 * mp_fix_hyp_owned() - what fix_host_ownership() does for hyp-owned leaves at
 * boot: hyp OWNED, host annotated with PKVM_ID_HYP (NOPAGE). Return: 0 or -errno.
 */
int mp_fix_hyp_owned(struct mem_protect *mp, uint64_t phys, uint64_t size);

/**
 * mp_tlbi_take() - the TLB maintenance the last operations issued: true if
 * any (a valid translation changed, so every CPU that may hold it in its TLB
 * must drop it before the host runs again: the DSB ISH that completes
 * kvm_pgtable's TLBIs).  Clears the pending count.
 */
bool mp_tlbi_take(struct mem_protect *mp);

/** mp_host_state() / mp_hyp_state() - a page's states, or -1 without a vmemmap entry. */
int mp_host_state(const struct mem_protect *mp, uint64_t phys);
int mp_hyp_state(const struct mem_protect *mp, uint64_t phys);

/**
 * mp_host_mem_abort() - handle_host_mem_abort() for a stage-2 fault at IPA
 * @addr (page granular): host_stage2_idmap().  Return: 0 (mapped), -EAGAIN
 * (already mapped: spurious), -EPERM (the page is not the host's: mainline
 * hyp-panics, Android injects an abort), -EINVAL (no block fits: WARN),
 * -ERANGE, -ENOMEM (after unmap_dev_all and one retry), HYP_EPANIC.
 */
int mp_host_mem_abort(struct mem_protect *mp, uint64_t addr);

/**
 * mp_host_stage2_map() / mp_host_stage2_unmap() - the host stage-2 driven
 * directly: kvm_pgtable_stage2_map() through host_stage2_try() (tables from
 * the host pool; on -ENOMEM every MMIO mapping is unmapped and the map tried
 * once more) and kvm_pgtable_stage2_unmap().  Addresses and sizes need not be
 * aligned: the walker covers the pages they touch.  The host stage-2 is an
 * identity map, so @pa != @ipa is -EINVAL.  No page state changes.
 * Return: 0 or the walker's -errno.
 */
int mp_host_stage2_map(struct mem_protect *mp, uint64_t ipa, uint64_t pa, uint64_t size, uint64_t prot);
int mp_host_stage2_unmap(struct mem_protect *mp, uint64_t ipa, uint64_t size);
/**
 * mp_inject_enomem() - fault injection: the next @n host_stage2_try()
 * attempts (a host fault's idmap, a set_owner, mp_host_stage2_map) fail with
 * -ENOMEM as an exhausted host pool would, reaching the unmap_dev_all()-and-
 * retry path.
 */
void mp_inject_enomem(struct mem_protect *mp, unsigned n);

/* The transitions (§2.5); pfn = phys >> 12.  Return: 0 or upstream's -errno. */
int mp_host_share_hyp(struct mem_protect *mp, uint64_t pfn);
int mp_host_unshare_hyp(struct mem_protect *mp, uint64_t pfn);
int mp_host_donate_hyp(struct mem_protect *mp, uint64_t pfn, uint64_t nr_pages);
int mp_hyp_donate_host(struct mem_protect *mp, uint64_t pfn, uint64_t nr_pages);
int mp_host_share_ffa(struct mem_protect *mp, uint64_t pfn, uint64_t nr_pages);
int mp_host_unshare_ffa(struct mem_protect *mp, uint64_t pfn, uint64_t nr_pages);
/** mp_pin_shared_mem() - hyp_pin_shared_mem(from, to), physical addresses rounded outwards. */
int mp_pin_shared_mem(struct mem_protect *mp, uint64_t from, uint64_t to);
/** mp_unpin_shared_mem() - hyp_unpin_shared_mem(); an unpin without a pin is a hyp panic. */
int mp_unpin_shared_mem(struct mem_protect *mp, uint64_t from, uint64_t to);

/**
 * mp_check() - the ownership invariants over every memory page: host and hyp
 * never both OWNED; SHARED_BORROWED on one side only with SHARED_OWNED on the
 * other; host NOPAGE exactly where the host stage-2 holds the hyp annotation;
 * no valid host mapping of a page the host cannot access; pins only on pages
 * shared with hyp; every valid host mapping an identity map (the IPA is the
 * PA, as host_stage2_idmap() maps it).  Writes the first violation.
 * Return: 0 or -1.
 */
int mp_check(struct mem_protect *mp, char *why, size_t whylen);

const char *pkvm_page_state_name(int state);

#endif
