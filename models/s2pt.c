/* SPDX-License-Identifier: MIT */
/*
 * Stage-2 page tables over simulated memory: the walker and the map, unmap
 * and set_owner walkers of arch/arm64/kvm/hyp/pgtable.c ([K], docs/models/pkvm.md §3).
 * Each operation is a small data struct, a visitor and a wrapper, as there.
 */
#include <errno.h>
#include <string.h>

#include "s2pt.h"

#define KVM_INVALID_PTE_LOCKED (1ull << 10)
#define PAGE_MASK (~(HYP_PAGE_SIZE - 1))

/* ---- entries in memory ------------------------------------------------------- */

static int pte_read(const struct s2pt *pgt, uint64_t ptep, kvm_pte_t *v)
{
	const uint8_t *p = hyp_mem_ptr(&pgt->mem, ptep, 8);

	if (!p)
		return -EFAULT;
	memcpy(v, p, 8);
	return 0;
}

static int pte_write(const struct s2pt *pgt, uint64_t ptep, kvm_pte_t v)
{
	uint8_t *p = hyp_mem_ptr(&pgt->mem, ptep, 8);

	if (!p)
		return -EFAULT;
	memcpy(p, &v, 8);
	return 0;
}

/* Any non-zero entry, annotations included, holds a reference on its table page. */
static bool pte_is_counted(kvm_pte_t pte)
{
	return pte != 0;
}

static int get_table_page(struct s2pt *pgt, uint64_t ptep)
{
	return pgt->mm.get_page(pgt->mm.arg, ptep & PAGE_MASK);
}

static int put_table_page(struct s2pt *pgt, uint64_t ptep)
{
	return pgt->mm.put_page(pgt->mm.arg, ptep & PAGE_MASK);
}

/* ---- geometry ------------------------------------------------------------------ */

static uint64_t parange_encoding(uint32_t bits)
{
	static const uint32_t pa[] = { 32, 36, 40, 42, 44, 48 };
	uint64_t i;

	for (i = 0; i < sizeof(pa) / sizeof(pa[0]) - 1 && pa[i] < bits; i++)
		;
	return i;
}

int s2pt_geometry(uint32_t ia_bits, struct s2pt_geometry *g)
{
	if (ia_bits < 32 || ia_bits > 48)
		return -EINVAL;
	g->levels = (ia_bits - 8) / 9; /* ARM64_HW_PGTABLE_LEVELS(ia_bits - 4) */
	if (g->levels < 2)
		g->levels = 2;
	g->start_level = 4 - (int)g->levels;
	g->sl0 = g->levels - 2; /* VTCR_EL2_TGRAN_SL0_BASE (2) - (4 - levels) */
	g->pgd_pages = (uint32_t)(((1ull << ia_bits) - 1) >> s2pt_granule_shift(g->start_level - 1)) + 1;
	g->vtcr = (64 - ia_bits) | (uint64_t)g->sl0 << 6 | 1ull << 8 | 1ull << 10 | 3ull << 12 |
		  parange_encoding(ia_bits) << 16 | 1ull << 31;
	return 0;
}

int s2pt_init(struct s2pt *pgt, const struct hyp_mem *mem, uint32_t ia_bits, const struct s2pt_mm_ops *mm,
	      uint32_t flags)
{
	struct s2pt_geometry g;
	int r;

	memset(pgt, 0, sizeof(*pgt));
	if (s2pt_geometry(ia_bits, &g) < 0)
		return -EINVAL;
	pgt->mem = *mem;
	pgt->mm = *mm;
	pgt->ia_bits = ia_bits;
	pgt->start_level = g.start_level;
	pgt->flags = flags;
	r = mm->zalloc_pages_exact(mm->arg, (uint64_t)g.pgd_pages * HYP_PAGE_SIZE, &pgt->pgd);
	return r < 0 ? r : 0;
}

/* ---- the walker (kvm_pgtable_walk) ------------------------------------------------ */

struct walk_data {
	struct s2pt *pgt;
	const struct s2pt_walker *w;
	uint64_t start, addr, end;
};

/* -EAGAIN is swallowed unless the walk handles a fault. */
static bool walk_continue(const struct s2pt_walker *w, int r)
{
	if (r == -EAGAIN)
		return !(w->flags & S2PT_WALK_HANDLE_FAULT);
	return r == 0;
}

static int walk_table(struct walk_data *d, uint64_t table, int level);

static int visit(struct walk_data *d, uint64_t ptep, int level)
{
	const struct s2pt_walker *w = d->w;
	struct s2pt_visit ctx = { .ptep = ptep, .start = d->start, .addr = d->addr, .end = d->end,
				  .level = level, .arg = w->arg, .pgt = d->pgt };
	bool table, reload = false;
	int ret = 0;

	if (pte_read(d->pgt, ptep, &ctx.old) < 0)
		return -EFAULT;
	table = s2pt_pte_table(ctx.old, level);
	if (table && (w->flags & S2PT_WALK_TABLE_PRE)) {
		ret = w->cb(&ctx, S2PT_WALK_TABLE_PRE);
		reload = true;
	}
	if (!table && (w->flags & S2PT_WALK_LEAF)) {
		ret = w->cb(&ctx, S2PT_WALK_LEAF);
		reload = true;
	}
	/* Re-read: the callback may have installed or replaced a table. */
	if (reload) {
		if (pte_read(d->pgt, ptep, &ctx.old) < 0)
			return -EFAULT;
		table = s2pt_pte_table(ctx.old, level);
	}
	if (!walk_continue(w, ret))
		goto out;
	if (!table) {
		d->addr = (d->addr & ~(s2pt_granule_size(level) - 1)) + s2pt_granule_size(level);
		goto out;
	}
	ret = walk_table(d, ctx.old & KVM_PTE_ADDR_MASK, level + 1);
	if (!walk_continue(w, ret))
		goto out;
	if (w->flags & S2PT_WALK_TABLE_POST)
		ret = w->cb(&ctx, S2PT_WALK_TABLE_POST);
out:
	return walk_continue(w, ret) ? 0 : ret;
}

static int walk_table(struct walk_data *d, uint64_t table, int level)
{
	uint64_t idx;
	int ret = 0;

	if (level < 0 || level > S2PT_LAST_LEVEL)
		return -EINVAL;
	for (idx = (d->addr >> s2pt_granule_shift(level)) & (S2PT_PTRS_PER_TABLE - 1); idx < S2PT_PTRS_PER_TABLE;
	     idx++) {
		if (d->addr >= d->end)
			break;
		ret = visit(d, table + idx * 8, level);
		if (ret)
			break;
	}
	return ret;
}

int s2pt_walk(struct s2pt *pgt, uint64_t addr, uint64_t size, const struct s2pt_walker *w)
{
	struct walk_data d = { .pgt = pgt, .w = w };
	uint64_t limit = 1ull << pgt->ia_bits, idx;
	int ret = 0;

	d.start = d.addr = addr & PAGE_MASK;
	d.end = (d.addr + size + HYP_PAGE_SIZE - 1) & PAGE_MASK;
	if (d.addr > limit || d.end > limit)
		return -ERANGE;
	if (!pgt->pgd)
		return -EINVAL;
	for (idx = (d.addr & (limit - 1)) >> s2pt_granule_shift(pgt->start_level - 1); d.addr < d.end; idx++) {
		ret = walk_table(&d, pgt->pgd + idx * HYP_PAGE_SIZE, pgt->start_level);
		if (ret)
			break;
	}
	return ret;
}

/* ---- break-before-make -------------------------------------------------------------- */

/* stage2_try_break_pte(): lock the entry, invalidate the TLB, drop its reference. */
static int break_pte(const struct s2pt_visit *ctx)
{
	struct s2pt *pgt = ctx->pgt;
	int r = pte_write(pgt, ctx->ptep, KVM_INVALID_PTE_LOCKED);

	if (r < 0)
		return r;
	if (s2pt_pte_table(ctx->old, ctx->level)) {
		uint64_t size = s2pt_granule_size(ctx->level);

		if (pgt->mm.tlbi_range)
			pgt->mm.tlbi_range(pgt->mm.tlbi_arg, ctx->addr & ~(size - 1), size);
	} else if (s2pt_pte_valid(ctx->old) && pgt->mm.tlbi_ipa) {
		pgt->mm.tlbi_ipa(pgt->mm.tlbi_arg, ctx->addr, ctx->level);
	}
	return pte_is_counted(ctx->old) ? put_table_page(pgt, ctx->ptep) : 0;
}

/* stage2_make_pte(): take a reference for a counted entry, then write it. */
static int make_pte(const struct s2pt_visit *ctx, kvm_pte_t new)
{
	int r = pte_is_counted(new) ? get_table_page(ctx->pgt, ctx->ptep) : 0;

	return r < 0 ? r : pte_write(ctx->pgt, ctx->ptep, new);
}

/* ---- freeing an unlinked subtree (stage2_free_walker) ------------------------------ */

static int free_walker(const struct s2pt_visit *ctx, unsigned visit)
{
	struct s2pt *pgt = ctx->pgt;
	int r;

	(void)visit;
	if (!pte_is_counted(ctx->old))
		return 0;
	r = put_table_page(pgt, ctx->ptep);
	if (r == 0 && s2pt_pte_table(ctx->old, ctx->level))
		r = pgt->mm.put_page(pgt->mm.arg, ctx->old & KVM_PTE_ADDR_MASK);
	return r;
}

/* kvm_pgtable_stage2_free_unlinked(): the table at @child was an entry at @level. */
static int free_unlinked_table(struct s2pt *pgt, uint64_t child, int level)
{
	const struct s2pt_walker w = { .cb = free_walker, .flags = S2PT_WALK_LEAF | S2PT_WALK_TABLE_POST };
	struct walk_data d = { .pgt = pgt, .w = &w, .start = 0, .addr = 0, .end = s2pt_granule_size(level) };
	int r = walk_table(&d, child, level + 1);

	return r < 0 ? r : pgt->mm.put_page(pgt->mm.arg, child);
}

/* ---- map and set_owner (stage2_map_walker) -------------------------------------------- */

struct map_data {
	uint64_t phys;
	kvm_pte_t attr;
	void *mc;
	bool force_pte, annotation;
	uint8_t owner_id;
};

int s2pt_prot_attr(uint64_t prot, kvm_pte_t *attr)
{
	kvm_pte_t a;

	switch (prot & (S2PT_PROT_DEVICE | S2PT_PROT_NORMAL_NC)) {
	case S2PT_PROT_DEVICE | S2PT_PROT_NORMAL_NC:
		return -EINVAL;
	case S2PT_PROT_DEVICE:
		if (prot & S2PT_PROT_X)
			return -EINVAL;
		a = KVM_S2_MEMATTR_DEVICE << KVM_PTE_S2_MEMATTR_SHIFT;
		break;
	case S2PT_PROT_NORMAL_NC:
		if (prot & S2PT_PROT_X)
			return -EINVAL;
		a = KVM_S2_MEMATTR_NORMAL_NC << KVM_PTE_S2_MEMATTR_SHIFT;
		break;
	default:
		a = KVM_S2_MEMATTR_NORMAL << KVM_PTE_S2_MEMATTR_SHIFT;
	}
	if (!(prot & S2PT_PROT_X))
		a |= KVM_PTE_S2_XN;
	if (prot & S2PT_PROT_R)
		a |= KVM_PTE_S2AP_R;
	if (prot & S2PT_PROT_W)
		a |= KVM_PTE_S2AP_W;
	a |= KVM_PTE_SH_INNER | KVM_PTE_AF | (prot & KVM_PTE_SW_MASK);
	*attr = a;
	return 0;
}

static bool block_mapping_supported(const struct s2pt_visit *ctx, uint64_t phys)
{
	uint64_t granule = s2pt_granule_size(ctx->level);

	return ctx->level >= S2PT_MIN_BLOCK_LEVEL && granule <= ctx->end - ctx->addr &&
	       (phys & (granule - 1)) == 0 && (ctx->addr & (granule - 1)) == 0;
}

static bool leaf_mapping_allowed(const struct s2pt_visit *ctx, const struct map_data *data)
{
	if (data->force_pte && ctx->level < S2PT_LAST_LEVEL)
		return false;
	if (data->annotation)
		return true;
	return block_mapping_supported(ctx, data->phys + (ctx->addr - ctx->start));
}

/* Only a change outside S2AP R/W and XN between two valid entries is an update. */
static bool pte_needs_update(kvm_pte_t old, kvm_pte_t new)
{
	if (!s2pt_pte_valid(old) || !s2pt_pte_valid(new))
		return true;
	return (old ^ new) & ~KVM_PTE_S2_PERMS;
}

static int map_try_leaf(const struct s2pt_visit *ctx, struct map_data *data)
{
	uint64_t phys = data->annotation ? data->phys : data->phys + (ctx->addr - ctx->start);
	kvm_pte_t new;
	int r;

	if (!leaf_mapping_allowed(ctx, data))
		return -E2BIG;
	if (data->annotation)
		new = ((kvm_pte_t)data->owner_id << 2) & KVM_INVALID_PTE_OWNER_MASK;
	else
		new = (phys & KVM_PTE_ADDR_MASK) | (data->attr & (KVM_PTE_LEAF_ATTR_LO | KVM_PTE_LEAF_ATTR_HI)) |
		      (ctx->level == S2PT_LAST_LEVEL ? KVM_PTE_TYPE : 0) | KVM_PTE_VALID;
	/* The same mapping, or only a permission change: skipped (relax_perms does that). */
	if (!pte_needs_update(ctx->old, new))
		return -EAGAIN;
	/* Only the software bits change: rewrite in place. */
	if (!((ctx->old ^ new) & ~KVM_PTE_SW_MASK)) {
		if (pte_is_counted(ctx->old) != pte_is_counted(new)) {
			r = pte_is_counted(ctx->old) ? put_table_page(ctx->pgt, ctx->ptep)
						     : get_table_page(ctx->pgt, ctx->ptep);
			if (r < 0)
				return r;
		}
		return pte_write(ctx->pgt, ctx->ptep, new);
	}
	r = break_pte(ctx);
	return r < 0 ? r : make_pte(ctx, new);
}

static int map_walk_leaf(const struct s2pt_visit *ctx, struct map_data *data)
{
	struct s2pt *pgt = ctx->pgt;
	uint64_t child;
	int r = map_try_leaf(ctx, data);

	if (r != -E2BIG)
		return r;
	if (ctx->level == S2PT_LAST_LEVEL) /* WARN in the kernel */
		return -EINVAL;
	if (!data->mc)
		return -ENOMEM;
	r = pgt->mm.zalloc_page(pgt->mm.arg, data->mc, &child);
	if (r < 0)
		return r == HYP_EPANIC ? r : -ENOMEM;
	/* Replacing a block drops the rest of it: it is faulted back lazily. */
	r = break_pte(ctx);
	return r < 0 ? r : make_pte(ctx, child | KVM_PTE_TYPE | KVM_PTE_VALID);
}

static int map_walk_table_pre(const struct s2pt_visit *ctx, struct map_data *data)
{
	int r;

	if (!leaf_mapping_allowed(ctx, data))
		return 0;
	r = map_try_leaf(ctx, data);
	return r ? r : free_unlinked_table(ctx->pgt, ctx->old & KVM_PTE_ADDR_MASK, ctx->level);
}

static int map_walker(const struct s2pt_visit *ctx, unsigned visit)
{
	struct map_data *data = ctx->arg;

	switch (visit) {
	case S2PT_WALK_TABLE_PRE:
		return map_walk_table_pre(ctx, data);
	case S2PT_WALK_LEAF:
		return map_walk_leaf(ctx, data);
	}
	return -EINVAL;
}

int s2pt_map(struct s2pt *pgt, uint64_t addr, uint64_t size, uint64_t phys, uint64_t prot, void *mc)
{
	struct map_data data = { .phys = phys & PAGE_MASK, .mc = mc };
	const struct s2pt_walker w = { .cb = map_walker, .arg = &data,
				       .flags = S2PT_WALK_TABLE_PRE | S2PT_WALK_LEAF };
	int r;

	data.force_pte = pgt->force_pte_cb && pgt->force_pte_cb(pgt->force_pte_arg, addr, addr + size, prot);
	if ((pgt->flags & S2PT_IDMAP) && addr != phys) /* WARN in the kernel */
		return -EINVAL;
	r = s2pt_prot_attr(prot, &data.attr);
	return r < 0 ? r : s2pt_walk(pgt, addr, size, &w);
}

int s2pt_set_owner(struct s2pt *pgt, uint64_t addr, uint64_t size, void *mc, uint8_t owner_id)
{
	struct map_data data = { .mc = mc, .owner_id = owner_id, .force_pte = true, .annotation = true };
	const struct s2pt_walker w = { .cb = map_walker, .arg = &data,
				       .flags = S2PT_WALK_TABLE_PRE | S2PT_WALK_LEAF };

	if (owner_id > KVM_MAX_OWNER_ID)
		return -EINVAL;
	return s2pt_walk(pgt, addr, size, &w);
}

/* ---- unmap (stage2_unmap_walker) -------------------------------------------------------- */

static int unmap_walker(const struct s2pt_visit *ctx, unsigned visit)
{
	struct s2pt *pgt = ctx->pgt;
	uint64_t child = 0;
	unsigned count;
	int r;

	(void)visit;
	if (!s2pt_pte_valid(ctx->old)) {
		/* annotations are cleared too */
		if (!pte_is_counted(ctx->old))
			return 0;
		r = pte_write(pgt, ctx->ptep, 0);
		return r < 0 ? r : put_table_page(pgt, ctx->ptep);
	}
	if (s2pt_pte_table(ctx->old, ctx->level)) {
		child = ctx->old & KVM_PTE_ADDR_MASK;
		r = pgt->mm.page_count(pgt->mm.arg, child, &count);
		if (r < 0)
			return r;
		if (count != 1)
			return 0; /* still in use */
	}
	/* The whole block goes, even if the range covers only part of it. */
	r = pte_write(pgt, ctx->ptep, 0);
	if (r < 0)
		return r;
	if (!child && pgt->mm.tlbi_ipa)
		pgt->mm.tlbi_ipa(pgt->mm.tlbi_arg, ctx->addr, ctx->level);
	else if (child && pgt->mm.tlbi_range)
		pgt->mm.tlbi_range(pgt->mm.tlbi_arg, ctx->addr & ~(s2pt_granule_size(ctx->level) - 1),
				   s2pt_granule_size(ctx->level));
	r = put_table_page(pgt, ctx->ptep);
	return r < 0 || !child ? r : pgt->mm.put_page(pgt->mm.arg, child);
}

int s2pt_unmap(struct s2pt *pgt, uint64_t addr, uint64_t size)
{
	const struct s2pt_walker w = { .cb = unmap_walker, .flags = S2PT_WALK_LEAF | S2PT_WALK_TABLE_POST };

	return s2pt_walk(pgt, addr, size, &w);
}

/* ---- lookups -------------------------------------------------------------------------------- */

struct leaf_data {
	kvm_pte_t pte;
	uint64_t ptep;
	int level;
};

static int leaf_walker(const struct s2pt_visit *ctx, unsigned visit)
{
	struct leaf_data *data = ctx->arg;

	(void)visit;
	data->pte = ctx->old;
	data->ptep = ctx->ptep;
	data->level = ctx->level;
	return 0;
}

int s2pt_get_leaf(struct s2pt *pgt, uint64_t addr, kvm_pte_t *pte, int *level)
{
	struct leaf_data data = { 0 };
	const struct s2pt_walker w = { .cb = leaf_walker, .arg = &data, .flags = S2PT_WALK_LEAF };
	int r = s2pt_walk(pgt, addr & PAGE_MASK, HYP_PAGE_SIZE, &w);

	if (!r) {
		if (pte)
			*pte = data.pte;
		if (level)
			*level = data.level;
	}
	return r;
}

int s2pt_translate(struct s2pt *pgt, uint64_t ipa, struct s2pt_translation *t)
{
	struct leaf_data data = { 0 };
	const struct s2pt_walker w = { .cb = leaf_walker, .arg = &data, .flags = S2PT_WALK_LEAF };
	kvm_pte_t pte;
	int level, r;
	uint64_t gran;

	memset(t, 0, sizeof(*t));
	if (ipa >> pgt->ia_bits)
		return -ERANGE;
	r = s2pt_walk(pgt, ipa & PAGE_MASK, HYP_PAGE_SIZE, &w);
	if (r < 0)
		return r;
	pte = data.pte;
	level = data.level;
	t->ptep = data.ptep;
	t->pte = pte;
	t->level = level;
	if (!s2pt_pte_valid(pte)) {
		t->owner = (uint8_t)((pte & KVM_INVALID_PTE_OWNER_MASK) >> 2);
		return 0;
	}
	gran = s2pt_granule_size(level);
	t->valid = true;
	t->pa = (pte & KVM_PTE_ADDR_MASK & ~(gran - 1)) | (ipa & (gran - 1));
	t->r = pte & KVM_PTE_S2AP_R;
	t->w = pte & KVM_PTE_S2AP_W;
	t->x = !(pte & KVM_PTE_S2_XN);
	t->memattr = (pte & KVM_PTE_S2_MEMATTR_MASK) >> KVM_PTE_S2_MEMATTR_SHIFT;
	return 0;
}

/* ---- mm ops over a hyp_pool (host_s2_zalloc_page and friends) --------------------------- */

static int pool_zalloc_page(void *arg, void *mc, uint64_t *pa)
{
	(void)mc;
	return hyp_alloc_pages(arg, 0, pa);
}

/* host_s2_zalloc_pages_exact(): alloc get_order(size), then split; the kernel
 * does not check for NULL before splitting, which would be a hyp panic. */
static int pool_zalloc_pages_exact(void *arg, uint64_t size, uint64_t *pa)
{
	int r = hyp_alloc_pages(arg, (uint8_t)hyp_get_order(size), pa);

	if (r == -ENOMEM)
		return hyp_pool_bug(arg, HYP_PANIC_BAD_POINTER, 0);
	return r < 0 ? r : hyp_split_page(arg, *pa);
}

static int pool_get_page(void *arg, uint64_t pa)
{
	return hyp_get_page(arg, pa);
}

static int pool_put_page(void *arg, uint64_t pa)
{
	return hyp_put_page(arg, pa);
}

static int pool_page_count(void *arg, uint64_t pa, unsigned *count)
{
	struct hyp_page_info info;
	int r = hyp_page_info(arg, pa, &info);

	if (!r)
		*count = info.refcount;
	return r;
}

struct s2pt_mm_ops s2pt_pool_mm_ops(struct hyp_pool *pool)
{
	return (struct s2pt_mm_ops){ .zalloc_page = pool_zalloc_page, .zalloc_pages_exact = pool_zalloc_pages_exact,
				     .get_page = pool_get_page, .put_page = pool_put_page,
				     .page_count = pool_page_count, .arg = pool };
}
