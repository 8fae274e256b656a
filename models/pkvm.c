/* SPDX-License-Identifier: MIT */
/*
 * pKVM's host hypercall interface and boot: handle_host_hcall() dispatch,
 * __pkvm_init() and __pkvm_prot_finalize() ([K], docs/models/pkvm.md §4.3-§5.2).
 */
#include <errno.h>
#include <stdio.h>
#include <inttypes.h>
#include <string.h>

#include "digest.h"
#include "pkvm.h"

#define PAGE_MASK (~(HYP_PAGE_SIZE - 1))

static const char *const hcall_names[PKVM_NR_HCALLS] = {
	[1] = "__pkvm_init",
	[2] = "__pkvm_create_private_mapping",
	[3] = "__pkvm_cpu_set_vector",
	[4] = "__kvm_enable_ssbs",
	[5] = "__vgic_v3_init_lrs",
	[6] = "__vgic_v3_get_gic_config",
	[7] = "__pkvm_prot_finalize",
	[8] = "__pkvm_host_share_hyp",
	[9] = "__pkvm_host_unshare_hyp",
	[10] = "__pkvm_host_share_guest",
	[11] = "__pkvm_host_unshare_guest",
	[12] = "__pkvm_host_relax_perms_guest",
	[13] = "__pkvm_host_wrprotect_guest",
	[14] = "__pkvm_host_test_clear_young_guest",
	[15] = "__pkvm_host_mkyoung_guest",
	[16] = "__kvm_adjust_pc",
	[17] = "__kvm_vcpu_run",
	[18] = "__kvm_flush_vm_context",
	[19] = "__kvm_tlb_flush_vmid_ipa",
	[20] = "__kvm_tlb_flush_vmid_ipa_nsh",
	[21] = "__kvm_tlb_flush_vmid",
	[22] = "__kvm_tlb_flush_vmid_range",
	[23] = "__kvm_flush_cpu_context",
	[24] = "__kvm_timer_set_cntvoff",
	[25] = "__vgic_v3_save_vmcr_aprs",
	[26] = "__vgic_v3_restore_vmcr_aprs",
	[27] = "__pkvm_init_vm",
	[28] = "__pkvm_init_vcpu",
	[29] = "__pkvm_teardown_vm",
	[30] = "__pkvm_vcpu_load",
	[31] = "__pkvm_vcpu_put",
	[32] = "__pkvm_tlb_flush_vmid",
};

const char *pkvm_hcall_name(unsigned id)
{
	return id < PKVM_NR_HCALLS ? hcall_names[id] : NULL;
}

/* ---- §5.1 sizing ------------------------------------------------------------------ */

/* __hyp_pgtable_max_pages(): 5 levels in [K] (4 before LPA2). */
uint64_t pkvm_pgtable_max_pages(uint64_t nr_pages)
{
	uint64_t total = 0;
	int i;

	for (i = 0; i < 5; i++) {
		nr_pages = (nr_pages + 511) / 512;
		total += nr_pages;
	}
	return total;
}

static uint64_t total_pages(const struct hyp_memblock *mem, int nr)
{
	uint64_t t = 0;
	int i;

	for (i = 0; i < nr; i++)
		t += pkvm_pgtable_max_pages(mem[i].size >> HYP_PAGE_SHIFT);
	return t;
}

uint64_t pkvm_hyp_s1_pgtable_pages(const struct hyp_memblock *mem, int nr)
{
	return total_pages(mem, nr) + pkvm_pgtable_max_pages((1ull << 30) >> HYP_PAGE_SHIFT);
}

uint64_t pkvm_host_s2_pgtable_pages(const struct hyp_memblock *mem, int nr)
{
	return total_pages(mem, nr) + 16 + pkvm_pgtable_max_pages((1ull << 30) >> HYP_PAGE_SHIFT);
}

uint64_t pkvm_vmemmap_pages(const struct hyp_memblock *mem, int nr)
{
	uint64_t sum = 0;
	int i;

	for (i = 0; i < nr; i++) {
		uint64_t start = (mem[i].base >> HYP_PAGE_SHIFT) * HYP_PAGE_STRUCT_SIZE;
		uint64_t end = start + (mem[i].size >> HYP_PAGE_SHIFT) * HYP_PAGE_STRUCT_SIZE;

		sum += ((end + HYP_PAGE_SIZE - 1) & PAGE_MASK) - (start & PAGE_MASK);
	}
	return sum >> HYP_PAGE_SHIFT;
}

/* ---- __pkvm_init ------------------------------------------------------------------- */

static int carve(struct pkvm *pk, uint64_t nr_pages, uint64_t *base)
{
	return hyp_early_alloc_contig(&pk->early, (uint32_t)nr_pages, base) ? -ENOMEM : 0;
}

/* divide_memory_pool(): selftest (none) -> vmemmap -> VM table -> hyp s1 -> host s2 -> FF-A. */
static int divide_memory_pool(struct pkvm *pk, uint64_t phys, uint64_t size)
{
	const struct hyp_memblock *mb = &pk->cfg.memblock;

	hyp_early_alloc_init(&pk->early, &pk->cfg.mem, phys, size);
	pk->vmemmap_pages = pkvm_vmemmap_pages(mb, 1);
	pk->hyp_pgt_pages = pkvm_hyp_s1_pgtable_pages(mb, 1);
	pk->host_s2_pgt_pages = pkvm_host_s2_pgtable_pages(mb, 1);
	if (carve(pk, pk->vmemmap_pages, &pk->vmemmap_base) || carve(pk, 1, &pk->vm_table_base) ||
	    carve(pk, pk->hyp_pgt_pages, &pk->hyp_pgt_base) ||
	    carve(pk, pk->host_s2_pgt_pages, &pk->host_s2_pgt_base) ||
	    (pk->cfg.ffa_pages && carve(pk, pk->cfg.ffa_pages, &pk->ffa_base)))
		return -ENOMEM;
	return 0;
}

/* __pkvm_init_finalise(): the pools, the host stage-2, fix_host_ownership(). */
static int init_finalise(struct pkvm *pk, uint64_t phys, uint64_t size)
{
	const struct hyp_memblock *mb = &pk->cfg.memblock;
	int r;

	pk->vmemmap = (struct hyp_vmemmap){
		.mem = pk->cfg.mem, .pa = pk->vmemmap_base,
		.first_pfn = ((mb->base >> HYP_PAGE_SHIFT) * HYP_PAGE_STRUCT_SIZE & PAGE_MASK) / HYP_PAGE_STRUCT_SIZE,
		.nr_pfns = pk->vmemmap_pages * (HYP_PAGE_SIZE / HYP_PAGE_STRUCT_SIZE),
	};
	r = hyp_pool_init(&pk->hpool, &pk->vmemmap, pk->hyp_pgt_base >> HYP_PAGE_SHIFT, (uint32_t)pk->hyp_pgt_pages,
			  0, 0, 0xffff800000100000ull);
	if (!r)
		r = hyp_pool_init(&pk->host_s2_pool, &pk->vmemmap, pk->host_s2_pgt_base >> HYP_PAGE_SHIFT,
				  (uint32_t)pk->host_s2_pgt_pages, 0, 0, 0xffff800000200000ull);
	if (!r)
		r = mp_init(&pk->mp, mb, 1, &pk->vmemmap, &pk->host_s2_pool, pk->cfg.phys_shift);
	/* Everything hyp mapped (the whole donated region, each CPU's per-CPU area) is hyp's. */
	if (!r)
		r = mp_fix_hyp_owned(&pk->mp, phys, size);
	for (unsigned i = 0; !r && i < pk->nr_cpus; i++)
		r = mp_fix_hyp_owned(&pk->mp, pk->percpu_base[i], PKVM_PERCPU_SIZE);
	return r;
}

/* Read per_cpu_base[0..nr_cpus) and check each area (see pkvm.h). Return: 0 or -EINVAL. */
static int read_percpu_bases(struct pkvm *pk, uint64_t array, uint64_t nr_cpus, uint64_t phys, uint64_t size,
			     uint64_t *base)
{
	const struct hyp_memblock *mb = &pk->cfg.memblock;
	const uint8_t *p = hyp_mem_ptr(&pk->cfg.mem, array, nr_cpus * 8);
	uint64_t i, j;

	if (!p || array % 8)
		return -EINVAL;
	for (i = 0; i < nr_cpus; i++) {
		uint64_t b;

		memcpy(&b, p + 8 * i, 8);
		if (b & ~PAGE_MASK || b < mb->base || b > mb->base + mb->size - PKVM_PERCPU_SIZE ||
		    !hyp_mem_ptr(&pk->cfg.mem, b, PKVM_PERCPU_SIZE) || (b < phys + size && phys < b + PKVM_PERCPU_SIZE))
			return -EINVAL;
		for (j = 0; j < i; j++)
			if (base[j] == b)
				return -EINVAL;
		base[i] = b;
	}
	return 0;
}

static int pkvm_init(struct pkvm *pk, uint64_t phys, uint64_t size, uint64_t nr_cpus, uint64_t per_cpu_base)
{
	uint64_t base[PKVM_MAX_CPUS];
	int r;

	if ((phys | size) & ~PAGE_MASK)
		return -EINVAL;
	if (!size || phys < pk->cfg.memblock.base || phys + size > pk->cfg.memblock.base + pk->cfg.memblock.size ||
	    !hyp_mem_ptr(&pk->cfg.mem, phys, size))
		return -EINVAL; /* the donated region must be memory the model can see */
	if (nr_cpus == 0 || nr_cpus > pk->cfg.nr_cpus)
		return -EINVAL;
	if (read_percpu_bases(pk, per_cpu_base, nr_cpus, phys, size, base) < 0)
		return -EINVAL;
	memcpy(pk->percpu_base, base, nr_cpus * sizeof(base[0]));
	pk->nr_cpus = (uint32_t)nr_cpus;
	r = divide_memory_pool(pk, phys, size);
	if (r)
		return r;
	pk->hyp_phys = phys;
	pk->hyp_size = size;
	r = init_finalise(pk, phys, size);
	if (r)
		return r;
	pk->initialised = true;
	return 0;
}

/* ---- per-CPU finalisation and the dispatcher ------------------------------------------ */

/* this_cpu_ptr(&kvm_init_params): at the start of the CPU's per-CPU area. */
static uint8_t *cpu_params(const struct pkvm *pk, unsigned cpu)
{
	if (!pk->initialised || cpu >= pk->nr_cpus)
		return NULL;
	return hyp_mem_ptr(&pk->cfg.mem, pk->percpu_base[cpu], PKVM_PERCPU_SIZE);
}

uint64_t pkvm_cpu_params(const struct pkvm *pk, unsigned cpu, unsigned off)
{
	const uint8_t *p = cpu_params(pk, cpu);
	uint64_t v = 0;

	if (p && off <= PKVM_PERCPU_SIZE - 8)
		memcpy(&v, p + off, 8);
	return v;
}

bool pkvm_cpu_finalised(const struct pkvm *pk, unsigned cpu)
{
	return pkvm_cpu_params(pk, cpu, PKVM_PARAMS_HCR_EL2) & PKVM_HCR_VM;
}

/* §5.2 step 7: -EPERM when params->hcr_el2 has HCR_VM; else fill the params. */
static int64_t prot_finalize(struct pkvm *pk, unsigned cpu)
{
	uint8_t *p = cpu_params(pk, cpu);
	struct s2pt_geometry g;
	uint64_t hcr, vttbr = pk->mp.host_s2.pgd, vtcr;

	memcpy(&hcr, p + PKVM_PARAMS_HCR_EL2, 8);
	if (hcr & PKVM_HCR_VM)
		return -EPERM;
	s2pt_geometry(pk->cfg.phys_shift, &g);
	vtcr = g.vtcr;
	hcr |= PKVM_HCR_VM;
	memcpy(p + PKVM_PARAMS_VTTBR, &vttbr, 8); /* VMID 0 */
	memcpy(p + PKVM_PARAMS_VTCR, &vtcr, 8);
	memcpy(p + PKVM_PARAMS_HCR_EL2, &hcr, 8);
	return 0;
}

static enum pkvm_hcall_outcome panic_or_done(int r, uint64_t *x1)
{
	if (r == HYP_EPANIC)
		return PKVM_HCALL_PANIC;
	*x1 = (uint64_t)(int64_t)r;
	return PKVM_HCALL_DONE;
}

enum pkvm_hcall_outcome pkvm_handle_host_hcall(struct pkvm *pk, unsigned cpu, uint64_t x[6])
{
	uint64_t hcall_min = pk->protected_mode_initialized ? PKVM_HC_PROT_FINALIZE : 0;
	uint64_t id = (x[0] & ~ARM_SMCCC_CALL_HINTS) - KVM_HOST_SMCCC_ID(0); /* unsigned: wraps */

	if (id < hcall_min || id >= PKVM_NR_HCALLS || !hcall_names[id]) {
		x[0] = PKVM_SMCCC_NOT_SUPPORTED;
		return PKVM_HCALL_REJECTED;
	}
	x[0] = PKVM_SMCCC_SUCCESS;
	switch (id) {
	case PKVM_HC_PKVM_INIT:
		if (pk->initialised) /* the kernel never calls it twice; its state would be rebuilt */
			return PKVM_HCALL_UNMODELLED;
		return panic_or_done(pkvm_init(pk, x[1], x[2], x[3], x[4]), &x[1]);
	case PKVM_HC_PROT_FINALIZE:
		if (!cpu_params(pk, cpu)) /* before __pkvm_init: params hypsim never saw */
			return PKVM_HCALL_UNMODELLED;
		x[1] = (uint64_t)prot_finalize(pk, cpu);
		return PKVM_HCALL_DONE;
	case PKVM_HC_HOST_SHARE_HYP:
	case PKVM_HC_HOST_UNSHARE_HYP:
		if (!pk->initialised)
			return PKVM_HCALL_UNMODELLED;
		return panic_or_done(id == PKVM_HC_HOST_SHARE_HYP ? mp_host_share_hyp(&pk->mp, x[1])
								  : mp_host_unshare_hyp(&pk->mp, x[1]),
				     &x[1]);
	case PKVM_HC_ENABLE_SSBS:
	case PKVM_HC_VGIC_V3_INIT_LRS:
		return PKVM_HCALL_DONE; /* void, nothing hypsim models: x1 unchanged */
	case PKVM_HC_FLUSH_VM_CONTEXT:
	case PKVM_HC_TLB_FLUSH_VMID_IPA:
	case PKVM_HC_TLB_FLUSH_VMID_IPA_NSH:
	case PKVM_HC_TLB_FLUSH_VMID:
	case PKVM_HC_TLB_FLUSH_VMID_RANGE:
	case PKVM_HC_FLUSH_CPU_CONTEXT:
		return PKVM_HCALL_TLBI;
	default:
		return PKVM_HCALL_UNMODELLED;
	}
}

void pkvm_set_protected_mode_initialized(struct pkvm *pk)
{
	pk->protected_mode_initialized = true;
}

/* Every page of [phys, phys + size) is hyp OWNED and host NOPAGE. Return: 0, or -1 with @what named in @why. */
static int check_hyp_owned(struct pkvm *pk, uint64_t phys, uint64_t size, const char *what, char *why, size_t n)
{
	uint64_t a;

	for (a = phys; a < phys + size; a += HYP_PAGE_SIZE) {
		int host = mp_host_state(&pk->mp, a), hyp = mp_hyp_state(&pk->mp, a);

		if (host != PKVM_NOPAGE || hyp != PKVM_PAGE_OWNED) {
			snprintf(why, n, "page 0x%" PRIx64 " of %s (host %s, hyp %s) is not hyp's alone: it must stay "
				 "hyp OWNED, host NOPAGE", a, what, pkvm_page_state_name(host), pkvm_page_state_name(hyp));
			return -1;
		}
	}
	return 0;
}

int pkvm_check(struct pkvm *pk, char *why, size_t whylen)
{
	char what[80];
	unsigned i;

	if (mp_check(&pk->mp, why, whylen) < 0)
		return -1;
	if (!pk->initialised)
		return 0;
	if (check_hyp_owned(pk, pk->hyp_phys, pk->hyp_size, "the hyp region __pkvm_init carved up", why, whylen) < 0)
		return -1;
	for (i = 0; i < pk->nr_cpus; i++) {
		snprintf(what, sizeof(what), "CPU %u's hyp per-CPU area", i);
		if (check_hyp_owned(pk, pk->percpu_base[i], PKVM_PERCPU_SIZE, what, why, whylen) < 0)
			return -1;
	}
	snprintf(why, whylen, "ok");
	return 0;
}

int pkvm_create(struct pkvm *pk, const struct pkvm_config *cfg)
{
	memset(pk, 0, sizeof(*pk));
	if (!cfg->memblock.size || (cfg->memblock.base | cfg->memblock.size) & ~PAGE_MASK ||
	    cfg->phys_shift < 32 || cfg->phys_shift > 48 || cfg->nr_cpus == 0 || cfg->nr_cpus > PKVM_MAX_CPUS)
		return -EINVAL;
	pk->cfg = *cfg;
	return 0;
}

static uint64_t pool_digest(uint64_t h, const struct hyp_pool *p)
{
	unsigned i;

	h = dg_u64(h, (uint64_t)p->physvirt_offset);
	h = dg_u64(h, p->heads_va);
	for (i = 0; i < HYP_NR_PAGE_ORDERS; i++)
		h = dg_array(h, p->heads[i], 2);
	h = dg_u64(h, p->range_start);
	h = dg_u64(h, p->range_end);
	h = dg_u64(h, p->max_order);
	h = dg_u64(h, (uint64_t)p->panic.reason);
	return dg_u64(h, p->panic.phys);
}

uint64_t pkvm_digest(const struct pkvm *pk)
{
	uint64_t h = DG_INIT;

	h = dg_u64(h, pk->initialised);
	h = dg_u64(h, pk->protected_mode_initialized);
	h = dg_u64(h, pk->nr_cpus);
	h = dg_array(h, pk->percpu_base, PKVM_MAX_CPUS);
	h = dg_u64(h, pk->early.base);
	h = dg_u64(h, pk->early.end);
	h = dg_u64(h, pk->early.cur);
	h = dg_u64(h, pk->vmemmap.pa);
	h = dg_u64(h, pk->vmemmap.first_pfn);
	h = dg_u64(h, pk->vmemmap.nr_pfns);
	h = pool_digest(h, &pk->hpool);
	h = pool_digest(h, &pk->host_s2_pool);
	h = dg_u64(h, pk->mp.host_s2.pgd);
	h = dg_u64(h, pk->vmemmap_base);
	h = dg_u64(h, pk->vm_table_base);
	h = dg_u64(h, pk->hyp_pgt_base);
	h = dg_u64(h, pk->host_s2_pgt_base);
	return dg_u64(h, pk->ffa_base);
}
