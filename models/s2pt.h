/* SPDX-License-Identifier: MIT */
/*
 * ARMv8 stage-2 page tables, 4 KiB granule, as arch/arm64/kvm/hyp/pgtable.c
 * builds them (docs/models/pkvm.md §3, newest mainline [K], non-LPA2).  Descriptors
 * live in simulated physical memory as 64-bit little-endian words, exactly
 * what the hardware (and Unicorn's MMU) walks; table pages come from, and go
 * back to, a page allocator through mm ops (normally a hyp_pool).
 *
 * Geometry: levels 0..3; blocks at L1 (1 GiB) and L2 (2 MiB), pages at L3;
 * the start level and the number of concatenated PGD pages follow the IPA
 * size (s2pt_geometry(), the table in §3.2).
 *
 * Semantics reproduced (§3.5-3.7), quirks included:
 *   - walks cover [ALIGN_DOWN(addr), PAGE_ALIGN(ALIGN_DOWN(addr) + size)),
 *     -ERANGE beyond 2^ia_bits, re-read the PTE after each callback, and
 *     swallow -EAGAIN unless S2PT_WALK_HANDLE_FAULT;
 *   - map: a leaf that only changes S2AP R/W/XN (or nothing) is skipped with
 *     -EAGAIN, swallowed: the permission change is NOT applied; a block split
 *     by a smaller map drops the rest of the block (break-before-make);
 *   - set_owner writes invalid annotations (owner << 2), owner > 1 -EINVAL;
 *   - unmap clears annotations too and removes whole blocks;
 *   - every non-zero PTE holds a reference on its table page; emptied tables
 *     go back to the allocator.
 * Not modelled: LPA2 (level -1, 52-bit), FWB, shared walkers, hyp stage-1.
 */
#ifndef HYPSIM_S2PT_H
#define HYPSIM_S2PT_H

#include <stdbool.h>
#include <stdint.h>

#include "hyp_alloc.h"

typedef uint64_t kvm_pte_t;

#define S2PT_PTRS_PER_TABLE 512
#define S2PT_LAST_LEVEL 3
#define S2PT_MIN_BLOCK_LEVEL 1

/* Descriptor bits (§3.3). */
#define KVM_PTE_VALID (1ull << 0)
#define KVM_PTE_TYPE (1ull << 1)
#define KVM_PTE_ADDR_MASK 0x0000fffffffff000ull /* [47:12] */
#define KVM_PTE_LEAF_ATTR_LO (0x3ffull << 2)    /* [11:2] */
#define KVM_PTE_LEAF_ATTR_HI (0x3fffull << 50)  /* [63:50] */
#define KVM_PTE_S2_MEMATTR_SHIFT 2
#define KVM_PTE_S2_MEMATTR_MASK (0xfull << 2)
#define KVM_S2_MEMATTR_NORMAL 0xfull
#define KVM_S2_MEMATTR_NORMAL_NC 0x5ull
#define KVM_S2_MEMATTR_DEVICE 0x1ull
#define KVM_PTE_S2AP_R (1ull << 6)
#define KVM_PTE_S2AP_W (1ull << 7)
#define KVM_PTE_SH_INNER (3ull << 8)
#define KVM_PTE_AF (1ull << 10)
#define KVM_PTE_S2_XN (1ull << 54)
#define KVM_PTE_SW_MASK (0xfull << 55)          /* SW0..SW3 = bits 55..58 */
#define KVM_PTE_S2_PERMS (KVM_PTE_S2AP_R | KVM_PTE_S2AP_W | KVM_PTE_S2_XN)
#define KVM_INVALID_PTE_OWNER_MASK (0xffull << 2) /* [9:2] of an invalid PTE */
#define KVM_MAX_OWNER_ID 1

/* enum kvm_pgtable_prot (§3.4). */
#define S2PT_PROT_X (1ull << 0)
#define S2PT_PROT_W (1ull << 1)
#define S2PT_PROT_R (1ull << 2)
#define S2PT_PROT_DEVICE (1ull << 3)
#define S2PT_PROT_NORMAL_NC (1ull << 4)
#define S2PT_PROT_SW0 (1ull << 55)
#define S2PT_PROT_SW1 (1ull << 56)
#define S2PT_PROT_SW2 (1ull << 57)
#define S2PT_PROT_SW3 (1ull << 58)
#define S2PT_PROT_RW (S2PT_PROT_R | S2PT_PROT_W)
#define S2PT_PROT_RWX (S2PT_PROT_RW | S2PT_PROT_X)

/* Walk flags (§3.5). */
#define S2PT_WALK_LEAF (1u << 0)
#define S2PT_WALK_TABLE_PRE (1u << 1)
#define S2PT_WALK_TABLE_POST (1u << 2)
#define S2PT_WALK_HANDLE_FAULT (1u << 4)

/* Table flags. */
#define S2PT_IDMAP (1u << 0) /* KVM_PGTABLE_S2_IDMAP: map only addr == phys */

/*
 * Where table pages come from.  Every call returns 0 or a negative error
 * (HYP_EPANIC from a hyp_pool is passed through).  Addresses are physical.
 */
struct s2pt_mm_ops {
	int (*zalloc_page)(void *arg, void *mc, uint64_t *pa); /* refcount 1, zeroed */
	int (*zalloc_pages_exact)(void *arg, uint64_t size, uint64_t *pa);
	int (*get_page)(void *arg, uint64_t pa);
	int (*put_page)(void *arg, uint64_t pa);
	int (*page_count)(void *arg, uint64_t pa, unsigned *count);
	/* TLB maintenance after a valid entry is broken (optional), called
	 * with tlbi_arg: __tlbi_level(ipas2e1is) and kvm_tlb_flush_vmid_range(). */
	void (*tlbi_ipa)(void *arg, uint64_t ipa, int level);
	void (*tlbi_range)(void *arg, uint64_t ipa, uint64_t size);
	void *arg;
	void *tlbi_arg;
};

/** s2pt_pool_mm_ops() - mm ops backed by a hyp_pool, as pKVM's host stage-2 uses. */
struct s2pt_mm_ops s2pt_pool_mm_ops(struct hyp_pool *pool);

struct s2pt {
	struct hyp_mem mem;       /* where the tables live */
	struct s2pt_mm_ops mm;
	uint32_t ia_bits;
	int start_level;
	uint64_t pgd;             /* physical address of the (concatenated) PGD */
	uint32_t flags;
	/* Optional: force page mappings for [addr, end) with prot (force_pte_cb). */
	bool (*force_pte_cb)(void *arg, uint64_t addr, uint64_t end, uint64_t prot);
	void *force_pte_arg;
};

struct s2pt_geometry {
	unsigned levels, sl0, pgd_pages;
	int start_level;
	uint64_t vtcr; /* T0SZ, SL0, IRGN0/ORGN0 WBWA, SH0 inner, TG0 4K */
};

/** s2pt_geometry() - levels, start level, SL0 and PGD pages for an IPA size (32..48). Return: 0 or -EINVAL. */
int s2pt_geometry(uint32_t ia_bits, struct s2pt_geometry *g);

/** s2pt_init() - allocate the PGD. Return: 0, -EINVAL (ia_bits), -ENOMEM. */
int s2pt_init(struct s2pt *pgt, const struct hyp_mem *mem, uint32_t ia_bits, const struct s2pt_mm_ops *mm,
	      uint32_t flags);

/* What a walker callback sees. */
struct s2pt_visit {
	uint64_t ptep;  /* physical address of the entry */
	kvm_pte_t old;  /* its value when visited */
	uint64_t start, addr, end;
	int level;
	void *arg;
	struct s2pt *pgt;
};

typedef int (*s2pt_visitor_fn)(const struct s2pt_visit *ctx, unsigned visit);

struct s2pt_walker {
	s2pt_visitor_fn cb;
	void *arg;
	unsigned flags;
};

/** s2pt_walk() - kvm_pgtable_walk(). Return: 0, -ERANGE, -EINVAL, or the callback's error. */
int s2pt_walk(struct s2pt *pgt, uint64_t addr, uint64_t size, const struct s2pt_walker *w);

/** s2pt_map() - kvm_pgtable_stage2_map(). @mc NULL means no memcache (-ENOMEM when a table is needed). */
int s2pt_map(struct s2pt *pgt, uint64_t addr, uint64_t size, uint64_t phys, uint64_t prot, void *mc);
/** s2pt_set_owner() - kvm_pgtable_stage2_set_owner(). */
int s2pt_set_owner(struct s2pt *pgt, uint64_t addr, uint64_t size, void *mc, uint8_t owner_id);
/** s2pt_unmap() - kvm_pgtable_stage2_unmap(). */
int s2pt_unmap(struct s2pt *pgt, uint64_t addr, uint64_t size);
/** s2pt_get_leaf() - kvm_pgtable_get_leaf(): the last entry a one-page walk visits. */
int s2pt_get_leaf(struct s2pt *pgt, uint64_t addr, kvm_pte_t *pte, int *level);

/* The result of translating an IPA. */
struct s2pt_translation {
	bool valid;
	uint64_t pa;
	int level;
	bool r, w, x;
	uint64_t memattr;
	kvm_pte_t pte;
	uint64_t ptep; /* physical address of the entry */
	uint8_t owner; /* for an invalid annotated entry */
};

/** s2pt_translate() - IPA to PA and permissions, as the hardware walk would. */
int s2pt_translate(struct s2pt *pgt, uint64_t ipa, struct s2pt_translation *t);

/** s2pt_prot_attr() - stage2_set_prot_attr(): prot to descriptor attributes. Return: 0 or -EINVAL. */
int s2pt_prot_attr(uint64_t prot, kvm_pte_t *attr);

static inline uint64_t s2pt_granule_shift(int level)
{
	return (uint64_t)(HYP_PAGE_SHIFT - 3) * (uint64_t)(4 - level) + 3;
}

static inline uint64_t s2pt_granule_size(int level)
{
	return 1ull << s2pt_granule_shift(level);
}

static inline bool s2pt_pte_valid(kvm_pte_t pte)
{
	return pte & KVM_PTE_VALID;
}

static inline bool s2pt_pte_table(kvm_pte_t pte, int level)
{
	return level < S2PT_LAST_LEVEL && s2pt_pte_valid(pte) && (pte & KVM_PTE_TYPE);
}

#endif
