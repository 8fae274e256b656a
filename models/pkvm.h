/* SPDX-License-Identifier: MIT */
/*
 * pKVM's host hypercall interface (nvhe/hyp-main.c, setup.c; newest mainline
 * [K], docs/models/pkvm.md §4-§5): the dispatch rules of handle_host_hcall, the
 * 33-slot ID table, __pkvm_init (argument checks, divide_memory_pool, the hyp
 * pools, the host stage-2, fix_host_ownership), __pkvm_prot_finalize per CPU,
 * and the share/unshare hypercalls through models/mem_protect.
 *
 * Register ABI: x0 function id in, x1..x5 arguments; x0 out is SMCCC SUCCESS
 * (0) or NOT_SUPPORTED (-1); handlers write x1 only; x2/x3 come back as passed.
 *
 * Modelled choices and limits:
 *   - __kvm_hyp_init has run on every CPU before the guest starts (the host
 *     vectors are installed).  Its TPIDR_EL2 comes from per_cpu_base[cpu],
 *     which __pkvm_init reads: the simulator loads each vCPU's TPIDR_EL2
 *     from there.  hypsim checks what the kernel trusts the host for: the
 *     array and each area (one page, aligned, in memory, outside the donated
 *     region, distinct) or -EINVAL, with nothing changed.
 *   - The hyp stage-1 page table is not modelled: recreate_hyp_mappings'
 *     table pages are not carved, so hpool starts with no reserved pages.
 *   - The hyp vmemmap is one contiguous array: one memory region only.
 *   - Hypercalls in valid slots that need state hypsim does not model (vCPUs,
 *     VMs, vGIC, hyp private mappings) are reported as PKVM_HCALL_UNMODELLED
 *     so the simulator can say so, never silently answered.  TLB maintenance
 *     calls return PKVM_HCALL_TLBI for the simulator to flush.
 */
#ifndef HYPSIM_PKVM_H
#define HYPSIM_PKVM_H

#include <stdbool.h>
#include <stdint.h>

#include "hyp_alloc.h"
#include "mem_protect.h"

#define KVM_HOST_SMCCC_ID(n) (0xc6000000ull | (uint64_t)(n))
#define ARM_SMCCC_CALL_HINTS 0x10000ull
#define PKVM_NR_HCALLS 33
#define PKVM_MAX_CPUS 64
#define PKVM_SMCCC_SUCCESS 0ull
#define PKVM_SMCCC_NOT_SUPPORTED ((uint64_t)-1)

/*
 * Each CPU's hyp per-CPU area: one page the host allocates and names in
 * __pkvm_init's per_cpu_base array.  TPIDR_EL2 holds its address (hypsim's
 * hyp per-CPU template sits at 0, so offset == address), and
 * struct kvm_nvhe_init_params (§4.5) sits at its start.
 */
#define PKVM_PERCPU_SIZE 4096ull
#define PKVM_PARAMS_TPIDR_EL2 16
#define PKVM_PARAMS_HCR_EL2 48
#define PKVM_PARAMS_VTTBR 56
#define PKVM_PARAMS_VTCR 64
#define PKVM_HCR_VM 1ull

/* Slots of host_hcall[] ([K], §4.3). */
enum pkvm_hcall_id {
	PKVM_HC_KVM_HYP_INIT = 0, /* no slot: only via the init vector */
	PKVM_HC_PKVM_INIT = 1,
	PKVM_HC_CREATE_PRIVATE_MAPPING = 2,
	PKVM_HC_CPU_SET_VECTOR = 3,
	PKVM_HC_ENABLE_SSBS = 4,
	PKVM_HC_VGIC_V3_INIT_LRS = 5,
	PKVM_HC_VGIC_V3_GET_GIC_CONFIG = 6,
	PKVM_HC_PROT_FINALIZE = 7,
	PKVM_HC_HOST_SHARE_HYP = 8,
	PKVM_HC_HOST_UNSHARE_HYP = 9,
	PKVM_HC_FLUSH_VM_CONTEXT = 18,
	PKVM_HC_TLB_FLUSH_VMID_IPA = 19,
	PKVM_HC_TLB_FLUSH_VMID_IPA_NSH = 20,
	PKVM_HC_TLB_FLUSH_VMID = 21,
	PKVM_HC_TLB_FLUSH_VMID_RANGE = 22,
	PKVM_HC_FLUSH_CPU_CONTEXT = 23,
};

/** pkvm_hcall_name() - the kernel's name of slot @id, or NULL. */
const char *pkvm_hcall_name(unsigned id);

enum pkvm_hcall_outcome {
	PKVM_HCALL_DONE,        /* x0 = SUCCESS, x1 as the handler left it */
	PKVM_HCALL_REJECTED,    /* x0 = NOT_SUPPORTED, x1 untouched */
	PKVM_HCALL_TLBI,        /* done; the simulator must flush its TLB */
	PKVM_HCALL_UNMODELLED,  /* a valid slot whose handler hypsim does not model */
	PKVM_HCALL_PANIC,       /* a hyp BUG(): the machine stops */
};

/* §5.1 sizing, for one region of @pages pages at @base (exposed for tests). */
uint64_t pkvm_pgtable_max_pages(uint64_t nr_pages);
uint64_t pkvm_hyp_s1_pgtable_pages(const struct hyp_memblock *mem, int nr);
uint64_t pkvm_host_s2_pgtable_pages(const struct hyp_memblock *mem, int nr);
uint64_t pkvm_vmemmap_pages(const struct hyp_memblock *mem, int nr);

struct pkvm_config {
	struct hyp_mem mem;                  /* simulated RAM holding the hyp region */
	struct hyp_memblock memblock;        /* hyp_memory[]: the host's memory (one region) */
	uint32_t phys_shift;                 /* host stage-2 IPA bits (from PARange) */
	uint32_t ffa_pages;                  /* hyp_ffa_proxy_pages() */
	uint32_t nr_cpus;                    /* num_possible_cpus() */
};

struct pkvm {
	struct pkvm_config cfg;
	bool initialised;                    /* __pkvm_init succeeded */
	bool protected_mode_initialized;     /* the host's static key */
	uint32_t nr_cpus;                    /* __pkvm_init's (at most the configured count) */
	uint64_t percpu_base[PKVM_MAX_CPUS]; /* each CPU's hyp per-CPU area (= its TPIDR_EL2) */
	struct hyp_early_alloc early;
	struct hyp_vmemmap vmemmap;
	struct hyp_pool hpool, host_s2_pool;
	struct mem_protect mp;
	/* divide_memory_pool()'s carving, in its order */
	uint64_t vmemmap_base, vm_table_base, hyp_pgt_base, host_s2_pgt_base, ffa_base;
	uint64_t vmemmap_pages, hyp_pgt_pages, host_s2_pgt_pages;
	uint64_t hyp_phys, hyp_size;         /* the region __pkvm_init was given */
};

/**
 * pkvm_check() - the ownership checker (mp_check()) and the layout rules
 * hyp's own memory follows once __pkvm_init has run: every page of the
 * region it was given (divide_memory_pool()'s carve-outs: vmemmap, VM
 * table, hyp stage-1 tables, host stage-2 tables, FF-A buffers) and of each
 * CPU's hyp per-CPU area stays hyp OWNED and host NOPAGE (fix_host_ownership()
 * in arch/arm64/kvm/hyp/nvhe/setup.c).  Return: 0, or -1 with the first
 * broken rule in @why.
 */
int pkvm_check(struct pkvm *pk, char *why, size_t whylen);

/** pkvm_create() - an uninitialised hypervisor. Return: 0 or -EINVAL (config). */
int pkvm_create(struct pkvm *pk, const struct pkvm_config *cfg);

/** pkvm_cpu_finalised() - @cpu's kvm_init_params.hcr_el2 has HCR_VM (read from memory). */
bool pkvm_cpu_finalised(const struct pkvm *pk, unsigned cpu);
/** pkvm_cpu_params() - @cpu's kvm_init_params field at byte @off; 0 before __pkvm_init. */
uint64_t pkvm_cpu_params(const struct pkvm *pk, unsigned cpu, unsigned off);

/** pkvm_set_protected_mode_initialized() - the host flips its static key (§5.2 step 6). */
void pkvm_set_protected_mode_initialized(struct pkvm *pk);

/**
 * pkvm_handle_host_hcall() - handle_host_hcall() for vCPU @cpu with registers
 * @x[0..5] (x0 id, x1..x5 args); writes x0 and, where the handler does, x1.
 */
enum pkvm_hcall_outcome pkvm_handle_host_hcall(struct pkvm *pk, unsigned cpu, uint64_t x[6]);

/** pkvm_digest() - a digest of the state kept outside simulated memory (pools, carving, flags). */
uint64_t pkvm_digest(const struct pkvm *pk);

#endif
