/* SPDX-License-Identifier: MIT */
/*
 * pKVM host memory protection, newest mainline [K] (docs/models/pkvm.md §2).
 *
 *   share_hyp:      host OWNED        -> SHARED_OWNED   hyp NOPAGE          -> SHARED_BORROWED
 *   unshare_hyp:    host SHARED_OWNED -> OWNED          hyp SHARED_BORROWED -> NOPAGE (not while pinned)
 *   donate_hyp:     host OWNED        -> NOPAGE         hyp NOPAGE          -> OWNED
 *   hyp_donate_host: host NOPAGE      -> OWNED          hyp OWNED           -> NOPAGE
 *   share_ffa / unshare_ffa: host OWNED <-> SHARED_OWNED, hyp untouched
 *
 * Host NOPAGE is written into the host stage-2 as an owner annotation (an
 * invalid PTE with PKVM_ID_HYP), so a host access faults and is refused.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "mem_protect.h"

#define PAGE_MASK (~(HYP_PAGE_SIZE - 1))

struct range {
	uint64_t start, end;
};

/* ---- states in the vmemmap ---------------------------------------------------- */

static uint8_t *meta(const struct mem_protect *mp, uint64_t phys)
{
	const struct hyp_vmemmap *vm = mp->vm;
	uint64_t pfn = phys >> HYP_PAGE_SHIFT;

	if (pfn < vm->first_pfn || pfn - vm->first_pfn >= vm->nr_pfns)
		return NULL;
	return hyp_mem_ptr(&vm->mem, vm->pa + (pfn - vm->first_pfn) * HYP_PAGE_STRUCT_SIZE, HYP_PAGE_STRUCT_SIZE);
}

int mp_host_state(const struct mem_protect *mp, uint64_t phys)
{
	const uint8_t *m = meta(mp, phys);

	return m ? m[3] & 0xf : -1;
}

int mp_hyp_state(const struct mem_protect *mp, uint64_t phys)
{
	const uint8_t *m = meta(mp, phys);

	return m ? (m[3] >> 4) ^ 3 : -1;
}

static void set_host_state(struct mem_protect *mp, uint64_t phys, uint64_t size, enum pkvm_page_state s)
{
	uint64_t a;

	for (a = phys; a < phys + size; a += HYP_PAGE_SIZE) {
		uint8_t *m = meta(mp, a);

		if (m)
			m[3] = (uint8_t)((m[3] & 0xf0) | s);
	}
}

static void set_hyp_state(struct mem_protect *mp, uint64_t phys, uint64_t size, enum pkvm_page_state s)
{
	uint64_t a;

	for (a = phys; a < phys + size; a += HYP_PAGE_SIZE) {
		uint8_t *m = meta(mp, a);

		if (m)
			m[3] = (uint8_t)((m[3] & 0x0f) | (s ^ 3) << 4); /* stored as its complement */
	}
}

const char *pkvm_page_state_name(int state)
{
	static const char *const names[] = { "OWNED", "SHARED_OWNED", "SHARED_BORROWED", "NOPAGE" };

	return state >= 0 && state <= 3 ? names[state] : "?";
}

/* ---- memory regions ------------------------------------------------------------- */

/* find_mem_range(): the region holding @addr, or NULL with @range set to the gap. */
static const struct hyp_memblock *find_mem_range(const struct mem_protect *mp, uint64_t addr, struct range *range)
{
	int i;

	range->start = 0;
	range->end = UINT64_MAX;
	for (i = 0; i < mp->nr_mem; i++) {
		const struct hyp_memblock *r = &mp->mem[i];

		if (addr < r->base) {
			range->end = r->base;
			return NULL;
		}
		if (addr - r->base < r->size) {
			range->start = r->base;
			range->end = r->base + r->size;
			return r;
		}
		range->start = r->base + r->size;
	}
	return NULL;
}

static bool range_is_memory(const struct mem_protect *mp, uint64_t start, uint64_t end)
{
	struct range r;

	return find_mem_range(mp, start, &r) && end <= r.end;
}

/* Only the default mappings may be blocks (host_stage2_force_pte_cb). */
static bool host_force_pte(void *arg, uint64_t addr, uint64_t end, uint64_t prot)
{
	const struct mem_protect *mp = arg;

	if (range_is_memory(mp, addr, end))
		return prot != PKVM_HOST_MEM_PROT;
	return prot != PKVM_HOST_MMIO_PROT;
}

/* ---- the host stage-2 ------------------------------------------------------------- */

/* host_stage2_unmap_dev_all(): unmap everything outside memory, to recycle table pages. */
static int unmap_dev_all(struct mem_protect *mp)
{
	uint64_t addr = 0, limit = 1ull << mp->host_s2.ia_bits;
	int i, r;

	for (i = 0; i < mp->nr_mem; i++) {
		r = s2pt_unmap(&mp->host_s2, addr, mp->mem[i].base - addr);
		if (r)
			return r;
		addr = mp->mem[i].base + mp->mem[i].size;
	}
	return s2pt_unmap(&mp->host_s2, addr, limit - addr);
}

/* An injected -ENOMEM (mp_inject_enomem) stands in for the first attempt, as an empty pool would fail it. */
static bool injected_enomem(struct mem_protect *mp)
{
	if (!mp->enomem_inject)
		return false;
	mp->enomem_inject--;
	return true;
}

/* host_stage2_try(): on -ENOMEM, recycle MMIO table pages and retry once. */
static int map_try(struct mem_protect *mp, uint64_t addr, uint64_t size, uint64_t phys, uint64_t prot)
{
	int r = injected_enomem(mp) ? -ENOMEM : s2pt_map(&mp->host_s2, addr, size, phys, prot, mp->host_s2_pool);

	if (r == -ENOMEM && (r = unmap_dev_all(mp)) == 0)
		r = s2pt_map(&mp->host_s2, addr, size, phys, prot, mp->host_s2_pool);
	return r;
}

static int idmap_locked(struct mem_protect *mp, uint64_t addr, uint64_t size, uint64_t prot)
{
	return map_try(mp, addr, size, addr, prot);
}

static int set_owner_try(struct mem_protect *mp, uint64_t addr, uint64_t size, uint8_t owner)
{
	int r = injected_enomem(mp) ? -ENOMEM : s2pt_set_owner(&mp->host_s2, addr, size, mp->host_s2_pool, owner);

	if (r == -ENOMEM && (r = unmap_dev_all(mp)) == 0)
		r = s2pt_set_owner(&mp->host_s2, addr, size, mp->host_s2_pool, owner);
	return r;
}

int mp_host_stage2_map(struct mem_protect *mp, uint64_t ipa, uint64_t pa, uint64_t size, uint64_t prot)
{
	return map_try(mp, ipa, size, pa, prot);
}

int mp_host_stage2_unmap(struct mem_protect *mp, uint64_t ipa, uint64_t size)
{
	return s2pt_unmap(&mp->host_s2, ipa, size);
}

void mp_inject_enomem(struct mem_protect *mp, unsigned n)
{
	mp->enomem_inject = n;
}

/* host_stage2_adjust_range(): the largest aligned block around @addr inside @range. */
static int adjust_range(struct mem_protect *mp, uint64_t addr, struct range *range)
{
	kvm_pte_t pte = 0;
	int level = 0, r = s2pt_get_leaf(&mp->host_s2, addr, &pte, &level);

	if (r)
		return r;
	if (s2pt_pte_valid(pte))
		return -EAGAIN; /* already mapped: a spurious fault */
	if (pte)
		return -EPERM;  /* an owner annotation: not the host's page */
	for (; level <= S2PT_LAST_LEVEL; level++) {
		uint64_t granule = s2pt_granule_size(level), start = addr & ~(granule - 1);

		if (level < S2PT_MIN_BLOCK_LEVEL)
			continue;
		if (range->start <= start && start + granule <= range->end) {
			range->start = start;
			range->end = start + granule;
			return 0;
		}
	}
	return -EINVAL; /* WARN in the kernel */
}

int mp_host_mem_abort(struct mem_protect *mp, uint64_t addr)
{
	struct range range;
	bool memory = find_mem_range(mp, addr &= PAGE_MASK, &range) != NULL;
	int r = adjust_range(mp, addr, &range);

	if (r)
		return r;
	return idmap_locked(mp, range.start, range.end - range.start,
			    memory ? PKVM_HOST_MEM_PROT : PKVM_HOST_MMIO_PROT);
}

/* host_stage2_set_owner_locked() */
static int set_owner_locked(struct mem_protect *mp, uint64_t addr, uint64_t size, uint8_t owner)
{
	int r;

	if (!range_is_memory(mp, addr, addr + size))
		return -EPERM;
	r = set_owner_try(mp, addr, size, owner);
	if (r)
		return r;
	set_host_state(mp, addr, size, owner == PKVM_ID_HOST ? PKVM_PAGE_OWNED : PKVM_NOPAGE);
	return 0;
}

/* __host_set_page_state_range(): leaving NOPAGE re-maps the range, removing the annotation. */
static int host_set_page_state_range(struct mem_protect *mp, uint64_t addr, uint64_t size,
				     enum pkvm_page_state s)
{
	if (mp_host_state(mp, addr) == PKVM_NOPAGE) {
		int r = idmap_locked(mp, addr, size, PKVM_HOST_MEM_PROT);

		if (r)
			return r;
	}
	set_host_state(mp, addr, size, s);
	return 0;
}

/* ---- the checks ---------------------------------------------------------------------- */

/* check_range_allowed_memory(): one region or gap; memory, not NOMAP. */
static int check_range_allowed_memory(const struct mem_protect *mp, uint64_t start, uint64_t end)
{
	struct range range;
	const struct hyp_memblock *reg = find_mem_range(mp, start, &range);

	if (end - 1 < range.start || end - 1 >= range.end)
		return -EINVAL;
	if (!reg || reg->nomap)
		return -EPERM;
	return 0;
}

static int host_check_page_state_range(const struct mem_protect *mp, uint64_t addr, uint64_t size,
				       enum pkvm_page_state s)
{
	int r = check_range_allowed_memory(mp, addr, addr + size);
	uint64_t a;

	if (r)
		return r;
	for (a = addr; a < addr + size; a += HYP_PAGE_SIZE)
		if (mp_host_state(mp, a) != (int)s)
			return -EPERM;
	return 0;
}

static int hyp_check_page_state_range(const struct mem_protect *mp, uint64_t addr, uint64_t size,
				      enum pkvm_page_state s)
{
	uint64_t a;

	for (a = addr; a < addr + size; a += HYP_PAGE_SIZE)
		if (mp_hyp_state(mp, a) != (int)s)
			return -EPERM;
	return 0;
}

static uint16_t page_refcount(const struct mem_protect *mp, uint64_t phys)
{
	const uint8_t *m = meta(mp, phys);

	return m ? (uint16_t)(m[0] | m[1] << 8) : 0;
}

/* ---- transitions (check first, then commit) -------------------------------------------- */

int mp_host_share_hyp(struct mem_protect *mp, uint64_t pfn)
{
	uint64_t phys = pfn << HYP_PAGE_SHIFT;
#ifdef HYPSIM_MUTANT_SHARE_HYP
	/* A planted bug for the fuzzer's own test (tests/fuzz.sh): the host state goes unchecked. */
	int r = check_range_allowed_memory(mp, phys, phys + HYP_PAGE_SIZE);
#else
	int r = host_check_page_state_range(mp, phys, HYP_PAGE_SIZE, PKVM_PAGE_OWNED);
#endif

	if (!r)
		r = hyp_check_page_state_range(mp, phys, HYP_PAGE_SIZE, PKVM_NOPAGE);
	if (r)
		return r;
	set_hyp_state(mp, phys, HYP_PAGE_SIZE, PKVM_PAGE_SHARED_BORROWED);
	return host_set_page_state_range(mp, phys, HYP_PAGE_SIZE, PKVM_PAGE_SHARED_OWNED);
}

int mp_host_unshare_hyp(struct mem_protect *mp, uint64_t pfn)
{
	uint64_t phys = pfn << HYP_PAGE_SHIFT;
	int r = host_check_page_state_range(mp, phys, HYP_PAGE_SIZE, PKVM_PAGE_SHARED_OWNED);

	if (!r)
		r = hyp_check_page_state_range(mp, phys, HYP_PAGE_SIZE, PKVM_PAGE_SHARED_BORROWED);
	if (r)
		return r;
#ifndef HYPSIM_MUTANT_UNSHARE_PIN /* a planted bug for tests/fuzz.sh: the pin goes unchecked */
	if (page_refcount(mp, phys))
		return -EBUSY; /* pinned by hyp */
#endif
	set_hyp_state(mp, phys, HYP_PAGE_SIZE, PKVM_NOPAGE);
	return host_set_page_state_range(mp, phys, HYP_PAGE_SIZE, PKVM_PAGE_OWNED);
}

int mp_host_donate_hyp(struct mem_protect *mp, uint64_t pfn, uint64_t nr_pages)
{
	uint64_t phys = pfn << HYP_PAGE_SHIFT, size = HYP_PAGE_SIZE * nr_pages;
	int r = host_check_page_state_range(mp, phys, size, PKVM_PAGE_OWNED);

	if (!r)
		r = hyp_check_page_state_range(mp, phys, size, PKVM_NOPAGE);
	if (r)
		return r;
	set_hyp_state(mp, phys, size, PKVM_PAGE_OWNED);
	return set_owner_locked(mp, phys, size, PKVM_ID_HYP);
}

int mp_hyp_donate_host(struct mem_protect *mp, uint64_t pfn, uint64_t nr_pages)
{
	uint64_t phys = pfn << HYP_PAGE_SHIFT, size = HYP_PAGE_SIZE * nr_pages;
	int r = hyp_check_page_state_range(mp, phys, size, PKVM_PAGE_OWNED);

	if (!r)
		r = host_check_page_state_range(mp, phys, size, PKVM_NOPAGE);
	if (r)
		return r;
	set_hyp_state(mp, phys, size, PKVM_NOPAGE);
	return set_owner_locked(mp, phys, size, PKVM_ID_HOST); /* zero PTEs: faulted back in lazily */
}

int mp_host_share_ffa(struct mem_protect *mp, uint64_t pfn, uint64_t nr_pages)
{
	uint64_t phys = pfn << HYP_PAGE_SHIFT, size = HYP_PAGE_SIZE * nr_pages;
	int r = host_check_page_state_range(mp, phys, size, PKVM_PAGE_OWNED);

	return r ? r : host_set_page_state_range(mp, phys, size, PKVM_PAGE_SHARED_OWNED);
}

int mp_host_unshare_ffa(struct mem_protect *mp, uint64_t pfn, uint64_t nr_pages)
{
	uint64_t phys = pfn << HYP_PAGE_SHIFT, size = HYP_PAGE_SIZE * nr_pages;
	int r = host_check_page_state_range(mp, phys, size, PKVM_PAGE_SHARED_OWNED);

	return r ? r : host_set_page_state_range(mp, phys, size, PKVM_PAGE_OWNED);
}

int mp_pin_shared_mem(struct mem_protect *mp, uint64_t from, uint64_t to)
{
	uint64_t start = from & PAGE_MASK, end = (to + HYP_PAGE_SIZE - 1) & PAGE_MASK, a;
	int r = host_check_page_state_range(mp, start, end - start, PKVM_PAGE_SHARED_OWNED);

	if (!r)
		r = hyp_check_page_state_range(mp, start, end - start, PKVM_PAGE_SHARED_BORROWED);
	if (r)
		return r;
	for (a = start; a < end; a += HYP_PAGE_SIZE) {
		uint8_t *m = meta(mp, a);
		uint16_t c = (uint16_t)(m[0] | m[1] << 8);

		if (c == HYP_REFCOUNT_MAX)
			return hyp_pool_bug(mp->host_s2_pool, HYP_PANIC_REFCOUNT_OVERFLOW, a);
		c++;
		m[0] = (uint8_t)c;
		m[1] = (uint8_t)(c >> 8);
	}
	return 0;
}

int mp_unpin_shared_mem(struct mem_protect *mp, uint64_t from, uint64_t to)
{
	uint64_t start = from & PAGE_MASK, end = (to + HYP_PAGE_SIZE - 1) & PAGE_MASK, a;

	for (a = start; a < end; a += HYP_PAGE_SIZE) {
		uint8_t *m = meta(mp, a);
		uint16_t c;

		if (!m)
			return hyp_pool_bug(mp->host_s2_pool, HYP_PANIC_BAD_POINTER, a);
		c = (uint16_t)(m[0] | m[1] << 8);
		if (c == 0)
			return hyp_pool_bug(mp->host_s2_pool, HYP_PANIC_REFCOUNT_UNDERFLOW, a);
		c--;
		m[0] = (uint8_t)c;
		m[1] = (uint8_t)(c >> 8);
	}
	return 0;
}

/* ---- set-up -------------------------------------------------------------------------------- */

/* Which translations a TLBI names does not matter to the caller: every CPU drops all. */
static void tlbi_issued(struct mem_protect *mp)
{
	mp->tlbi_pending++;
	mp->tlbi_total++;
}

static void host_tlbi_ipa(void *arg, uint64_t ipa, int level)
{
	(void)ipa;
	(void)level;
	tlbi_issued(arg);
}

static void host_tlbi_range(void *arg, uint64_t ipa, uint64_t size)
{
	(void)ipa;
	(void)size;
	tlbi_issued(arg);
}

bool mp_tlbi_take(struct mem_protect *mp)
{
	bool any = mp->tlbi_pending != 0;

	mp->tlbi_pending = 0;
	return any;
}

int mp_init(struct mem_protect *mp, const struct hyp_memblock *mem, int nr_mem, const struct hyp_vmemmap *vm,
	    struct hyp_pool *pool, uint32_t ia_bits)
{
	struct s2pt_mm_ops mm = s2pt_pool_mm_ops(pool);
	int i, r;

	memset(mp, 0, sizeof(*mp));
	if (nr_mem < 0 || nr_mem > HYP_MEMBLOCK_REGIONS)
		return -EINVAL;
	for (i = 0; i < nr_mem; i++) {
		const struct hyp_memblock *b = &mem[i];

		if (!b->size || (b->base | b->size) & ~PAGE_MASK || (i && b->base < mem[i - 1].base + mem[i - 1].size))
			return -EINVAL;
		mp->mem[i] = *b;
	}
	mp->nr_mem = nr_mem;
	mp->vm = vm;
	mp->host_s2_pool = pool;
	mm.tlbi_ipa = host_tlbi_ipa;
	mm.tlbi_range = host_tlbi_range;
	mm.tlbi_arg = mp;
	r = s2pt_init(&mp->host_s2, &vm->mem, ia_bits, &mm, S2PT_IDMAP);
	mp->host_s2.force_pte_cb = host_force_pte;
	mp->host_s2.force_pte_arg = mp;
	return r;
}

int mp_fix_hyp_owned(struct mem_protect *mp, uint64_t phys, uint64_t size)
{
	set_hyp_state(mp, phys, size, PKVM_PAGE_OWNED);
	return set_owner_locked(mp, phys, size, PKVM_ID_HYP);
}

/* ---- the ownership checker ------------------------------------------------------------------- */

static int check_page(struct mem_protect *mp, uint64_t a, char *why, size_t whylen)
{
	int host = mp_host_state(mp, a), hyp = mp_hyp_state(mp, a), level;
	kvm_pte_t pte = 0;
	const char *bad = NULL;

	if (host < 0)
		bad = "has no vmemmap entry";
	else if (host == PKVM_PAGE_OWNED && hyp == PKVM_PAGE_OWNED)
		bad = "is owned by both host and hyp";
	else if (hyp == PKVM_PAGE_SHARED_BORROWED && host != PKVM_PAGE_SHARED_OWNED)
		bad = "is borrowed by hyp but not shared by the host";
	else if (host == PKVM_PAGE_SHARED_BORROWED && hyp != PKVM_PAGE_SHARED_OWNED)
		bad = "is borrowed by the host but not shared by hyp";
	else if (hyp == PKVM_PAGE_OWNED && host != PKVM_NOPAGE)
		bad = "is hyp's but the host can still reach it";
	else if (host == PKVM_PAGE_OWNED && hyp == PKVM_NOPAGE && page_refcount(mp, a))
		bad = "is pinned but not shared with hyp";
	if (!bad && s2pt_get_leaf(&mp->host_s2, a, &pte, &level) == 0) {
		struct s2pt_translation t;

		if (host == PKVM_NOPAGE && pte != ((kvm_pte_t)PKVM_ID_HYP << 2))
			bad = "is not the host's but its stage-2 entry is not the hyp annotation";
		else if (host != PKVM_NOPAGE && pte && !s2pt_pte_valid(pte))
			bad = "is the host's but its stage-2 entry is an annotation";
		else if (s2pt_pte_valid(pte) && s2pt_translate(&mp->host_s2, a, &t) == 0 && t.valid && t.pa != a)
			bad = "is mapped by the host stage-2 to another page (it is an identity map)";
	}
	if (!bad)
		return 0;
	snprintf(why, whylen, "page 0x%" PRIx64 " (host %s, hyp %s) %s", a, pkvm_page_state_name(host),
		 pkvm_page_state_name(hyp), bad);
	return -1;
}

int mp_check(struct mem_protect *mp, char *why, size_t whylen)
{
	int i;

	for (i = 0; i < mp->nr_mem; i++) {
		uint64_t a;

		if (mp->mem[i].nomap)
			continue;
		for (a = mp->mem[i].base; a < mp->mem[i].base + mp->mem[i].size; a += HYP_PAGE_SIZE)
			if (check_page(mp, a, why, whylen) < 0)
				return -1;
	}
	snprintf(why, whylen, "ok");
	return 0;
}
