/* SPDX-License-Identifier: MIT */
/*
 * Check tests for models/pkvm: §5.1 sizing (the worked example of docs/models/pkvm.md), the
 * dispatch rules of §4.4 with the hypercall cases of §6 (39-43, 46, 29), and
 * what __pkvm_init leaves behind (§5.2).
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pkvm.h"
#include "suites.h"

#define RAM_BASE 0x40000000ull
#define RAM_SIZE (64ull << 20)
#define HYP_BASE 0x42000000ull
#define HYP_SIZE (8ull << 20)
#define PCPU_ARRAY 0x40900000ull /* per_cpu_base[] */
#define PCPU_BASE 0x41f00000ull  /* CPU i's hyp per-CPU area: PCPU_BASE + i pages */

struct fx {
	uint8_t *buf;
	struct pkvm pk;
};

static void set_u64(struct fx *f, uint64_t pa, uint64_t v)
{
	memcpy(f->buf + (pa - RAM_BASE), &v, 8);
}

static uint64_t get_u64(struct fx *f, uint64_t pa)
{
	uint64_t v;

	memcpy(&v, f->buf + (pa - RAM_BASE), 8);
	return v;
}

static struct fx *fx_new(void)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct pkvm_config cfg = {
		.memblock = { .base = RAM_BASE, .size = RAM_SIZE }, .phys_shift = 40, .ffa_pages = 3, .nr_cpus = 4,
	};

	f->buf = calloc(1, RAM_SIZE);
	cfg.mem = (struct hyp_mem){ .base = RAM_BASE, .size = RAM_SIZE, .host = f->buf };
	ck_assert_int_eq(pkvm_create(&f->pk, &cfg), 0);
	for (int i = 0; i < 4; i++)
		set_u64(f, PCPU_ARRAY + 8 * (uint64_t)i, PCPU_BASE + 4096 * (uint64_t)i);
	return f;
}

static void fx_free(struct fx *f)
{
	free(f->buf);
	free(f);
}

/* x0..x5 in, the outcome out. */
static enum pkvm_hcall_outcome hvc(struct fx *f, unsigned cpu, uint64_t *x)
{
	return pkvm_handle_host_hcall(&f->pk, cpu, x);
}

static void do_init(struct fx *f)
{
	uint64_t x[6] = { KVM_HOST_SMCCC_ID(1), HYP_BASE, HYP_SIZE, 4, PCPU_ARRAY, 48 };

	ck_assert_int_eq(hvc(f, 0, x), PKVM_HCALL_DONE);
	ck_assert_uint_eq(x[0], 0);
	ck_assert_uint_eq(x[1], 0);
}

START_TEST(test_pkvm_sizing_worked_example)
{
	const struct hyp_memblock mb = { .base = 4ull << 30, .size = 4ull << 30 };

	ck_assert_uint_eq(pkvm_pgtable_max_pages(1 << 20), 2055);
	ck_assert_uint_eq(pkvm_pgtable_max_pages((1ull << 30) >> 12), 516);
	ck_assert_uint_eq(pkvm_hyp_s1_pgtable_pages(&mb, 1), 2571);
	ck_assert_uint_eq(pkvm_host_s2_pgtable_pages(&mb, 1), 2587);
	ck_assert_uint_eq(pkvm_vmemmap_pages(&mb, 1), 2048);
}
END_TEST

/* §6.39, 6.40, 6.43: ids out of range, slot 0, below the range, upper bits. */
START_TEST(test_pkvm_dispatch_rejects)
{
	static const uint64_t ids[] = {
		KVM_HOST_SMCCC_ID(33), KVM_HOST_SMCCC_ID(0), 0x86000001, 0xc5000001, 0x1c6000007ull, 0,
	};
	struct fx *f = fx_new();
	uint64_t x[6] = { ids[_i], 0x1111, 0x2222, 0x3333, 0, 0 };

	ck_assert_int_eq(hvc(f, 0, x), PKVM_HCALL_REJECTED);
	ck_assert_uint_eq(x[0], (uint64_t)-1);
	ck_assert_uint_eq(x[1], 0x1111); /* untouched */
	ck_assert_uint_eq(x[2], 0x2222);
	fx_free(f);
}
END_TEST

/* §6.46: __pkvm_init with unaligned arguments, or a region too small. */
START_TEST(test_pkvm_init_errors)
{
	struct fx *f = fx_new();
	uint64_t x[6] = { KVM_HOST_SMCCC_ID(1), HYP_BASE + 0x800, HYP_SIZE, 4, PCPU_ARRAY, 48 };

	ck_assert_int_eq(hvc(f, 0, x), PKVM_HCALL_DONE);
	ck_assert_uint_eq(x[0], 0);
	ck_assert_int_eq((int64_t)x[1], -EINVAL);
	x[0] = KVM_HOST_SMCCC_ID(1), x[1] = HYP_BASE, x[2] = HYP_SIZE + 0x10;
	hvc(f, 0, x);
	ck_assert_int_eq((int64_t)x[1], -EINVAL);
	x[0] = KVM_HOST_SMCCC_ID(1), x[1] = HYP_BASE, x[2] = 1 << 20; /* 256 pages: too small */
	hvc(f, 0, x);
	ck_assert_int_eq((int64_t)x[1], -ENOMEM);
	ck_assert(!f->pk.initialised);
	fx_free(f);
}
END_TEST

/* §5.2: the carving order, the pools, and the donated region now hyp's. */
START_TEST(test_pkvm_init_effects)
{
	struct fx *f = fx_new();
	char why[256];
	uint64_t n;

	do_init(f);
	ck_assert_uint_eq(f->pk.vmemmap_base, HYP_BASE);                         /* first carve */
	ck_assert_uint_eq(f->pk.vm_table_base, HYP_BASE + f->pk.vmemmap_pages * 4096);
	ck_assert_uint_eq(f->pk.hyp_pgt_base, f->pk.vm_table_base + 4096);
	ck_assert_uint_eq(f->pk.host_s2_pgt_base, f->pk.hyp_pgt_base + f->pk.hyp_pgt_pages * 4096);
	ck_assert_uint_eq(f->pk.vmemmap_pages, 32);       /* 16384 pages * 8 bytes */
	ck_assert_uint_eq(f->pk.hyp_pgt_pages, 36 + 516);
	ck_assert_uint_eq(f->pk.host_s2_pgt_pages, 36 + 16 + 516);
	ck_assert_int_eq(mp_host_state(&f->pk.mp, HYP_BASE), PKVM_NOPAGE);
	ck_assert_int_eq(mp_hyp_state(&f->pk.mp, HYP_BASE + HYP_SIZE - 4096), PKVM_PAGE_OWNED);
	ck_assert_int_eq(mp_host_state(&f->pk.mp, HYP_BASE + HYP_SIZE), PKVM_PAGE_OWNED);
	ck_assert_int_eq(mp_host_mem_abort(&f->pk.mp, HYP_BASE + 0x1000), -EPERM); /* §6.23 */
	ck_assert_int_eq(mp_host_mem_abort(&f->pk.mp, RAM_BASE), 0);
	ck_assert_msg(mp_check(&f->pk.mp, why, sizeof(why)) == 0, "%s", why);
	ck_assert_msg(hyp_pool_check(&f->pk.host_s2_pool, why, sizeof(why)) == 0, "%s", why);
	ck_assert_int_eq(hyp_pool_free_blocks(&f->pk.hpool, 0, &n), 0);
	fx_free(f);
}
END_TEST

/*
 * The layout rule on top of the ownership checker: a page of the hyp region
 * whose hyp state is edited to NOPAGE (host still NOPAGE: owned by nobody,
 * which mp_check() allows for guest memory) breaks pkvm_check(), which names
 * the region; so does a per-CPU area page.
 */
START_TEST(test_pkvm_check_layout)
{
	struct fx *f = fx_new();
	char why[320];
	uint64_t page = HYP_BASE + 0x10000, pfn = page >> 12;
	uint8_t *meta;

	ck_assert_msg(pkvm_check(&f->pk, why, sizeof(why)) == 0, "%s", why); /* before init: no layout yet */
	do_init(f);
	ck_assert_msg(pkvm_check(&f->pk, why, sizeof(why)) == 0, "%s", why);
	meta = f->buf + (f->pk.vmemmap.pa + (pfn - f->pk.vmemmap.first_pfn) * HYP_PAGE_STRUCT_SIZE + 3 - RAM_BASE);
	*meta &= 0x0f; /* hyp state NOPAGE (stored as its complement, 3 ^ 3) */
	ck_assert_int_eq(mp_hyp_state(&f->pk.mp, page), PKVM_NOPAGE);
	ck_assert_msg(mp_check(&f->pk.mp, why, sizeof(why)) == 0, "%s", why);
	ck_assert_int_eq(pkvm_check(&f->pk, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "page 0x42010000 of the hyp region __pkvm_init carved up (host NOPAGE, hyp NOPAGE) is "
			      "not hyp's alone: it must stay hyp OWNED, host NOPAGE");
	*meta |= 0x30; /* back to OWNED; now CPU 2's per-CPU area */
	ck_assert_msg(pkvm_check(&f->pk, why, sizeof(why)) == 0, "%s", why);
	pfn = (PCPU_BASE + 2 * 4096) >> 12;
	meta = f->buf + (f->pk.vmemmap.pa + (pfn - f->pk.vmemmap.first_pfn) * HYP_PAGE_STRUCT_SIZE + 3 - RAM_BASE);
	*meta &= 0x0f;
	ck_assert_int_eq(pkvm_check(&f->pk, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "of CPU 2's hyp per-CPU area") != NULL, "%s", why);
	fx_free(f);
}
END_TEST

/* §6.42: init is refused once the host has flipped its key; ids below 7 too. */
START_TEST(test_pkvm_key_flip)
{
	struct fx *f = fx_new();
	uint64_t x[6] = { KVM_HOST_SMCCC_ID(4), 7, 0, 0, 0, 0 };

	ck_assert_int_eq(hvc(f, 0, x), PKVM_HCALL_DONE); /* __kvm_enable_ssbs before the flip */
	ck_assert_uint_eq(x[1], 7);                       /* void: x1 as passed */
	do_init(f);
	pkvm_set_protected_mode_initialized(&f->pk);
	x[0] = KVM_HOST_SMCCC_ID(1);
	ck_assert_int_eq(hvc(f, 0, x), PKVM_HCALL_REJECTED);
	x[0] = KVM_HOST_SMCCC_ID(6);
	ck_assert_int_eq(hvc(f, 0, x), PKVM_HCALL_REJECTED);
	fx_free(f);
}
END_TEST

/* §6.29: prot_finalize twice on one CPU: x0 = 0, x1 = -EPERM; another CPU is fine.
 * The hint bit (bit 16) is masked off. */
START_TEST(test_pkvm_prot_finalize_twice)
{
	struct fx *f = fx_new();
	uint64_t x[6] = { KVM_HOST_SMCCC_ID(7) | ARM_SMCCC_CALL_HINTS, 0, 0, 0, 0, 0 };

	do_init(f);
	pkvm_set_protected_mode_initialized(&f->pk);
	ck_assert_int_eq(hvc(f, 1, x), PKVM_HCALL_DONE);
	ck_assert_uint_eq(x[0], 0);
	ck_assert_uint_eq(x[1], 0);
	x[0] = KVM_HOST_SMCCC_ID(7);
	hvc(f, 1, x);
	ck_assert_uint_eq(x[0], 0);
	ck_assert_int_eq((int64_t)x[1], -EPERM);
	x[0] = KVM_HOST_SMCCC_ID(7);
	hvc(f, 2, x);
	ck_assert_uint_eq(x[1], 0);
	fx_free(f);
}
END_TEST

START_TEST(test_pkvm_share_through_hvc)
{
	struct fx *f = fx_new();
	uint64_t x[6] = { KVM_HOST_SMCCC_ID(8), (RAM_BASE >> 12) + 5, 0, 0, 0, 0 };

	do_init(f);
	ck_assert_int_eq(hvc(f, 0, x), PKVM_HCALL_DONE);
	ck_assert_uint_eq(x[1], 0);
	x[0] = KVM_HOST_SMCCC_ID(8), x[1] = (RAM_BASE >> 12) + 5;
	hvc(f, 0, x);
	ck_assert_int_eq((int64_t)x[1], -EPERM);          /* §6.16 */
	x[0] = KVM_HOST_SMCCC_ID(8), x[1] = HYP_BASE >> 12;
	hvc(f, 0, x);
	ck_assert_int_eq((int64_t)x[1], -EPERM);          /* hyp's own memory */
	x[0] = KVM_HOST_SMCCC_ID(9), x[1] = (RAM_BASE >> 12) + 5;
	hvc(f, 0, x);
	ck_assert_uint_eq(x[1], 0);
	x[0] = KVM_HOST_SMCCC_ID(17);                     /* __kvm_vcpu_run: no vCPUs modelled */
	ck_assert_int_eq(hvc(f, 0, x), PKVM_HCALL_UNMODELLED);
	x[0] = KVM_HOST_SMCCC_ID(21);
	ck_assert_int_eq(hvc(f, 0, x), PKVM_HCALL_TLBI);
	fx_free(f);
}
END_TEST

/*
 * per_cpu_base: each CPU's area becomes hyp's (fix_host_ownership), and a
 * bad array or area is refused with nothing changed (hypsim's check, pkvm.h).
 */
START_TEST(test_pkvm_percpu_areas)
{
	static const struct { int cpu; uint64_t base; } bad[] = {
		{ 1, PCPU_BASE + 0x800 },       /* not page aligned */
		{ 2, HYP_BASE + 0x4000 },       /* inside the donated region */
		{ 3, RAM_BASE + RAM_SIZE },     /* outside memory */
		{ 3, PCPU_BASE },               /* the same area as CPU 0 */
	};
	struct fx *f = fx_new();
	uint64_t x[6] = { KVM_HOST_SMCCC_ID(1), HYP_BASE, HYP_SIZE, 4, PCPU_ARRAY, 48 };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		set_u64(f, PCPU_ARRAY + 8 * (uint64_t)bad[i].cpu, bad[i].base);
		x[0] = KVM_HOST_SMCCC_ID(1), x[4] = PCPU_ARRAY;
		hvc(f, 0, x);
		ck_assert_int_eq((int64_t)x[1], -EINVAL);
		set_u64(f, PCPU_ARRAY + 8 * (uint64_t)bad[i].cpu, PCPU_BASE + 4096 * (uint64_t)bad[i].cpu);
	}
	x[0] = KVM_HOST_SMCCC_ID(1), x[4] = RAM_BASE + RAM_SIZE - 8; /* the array runs out of memory */
	hvc(f, 0, x);
	ck_assert_int_eq((int64_t)x[1], -EINVAL);
	x[0] = KVM_HOST_SMCCC_ID(1), x[3] = 5, x[4] = PCPU_ARRAY;    /* more CPUs than the machine has */
	hvc(f, 0, x);
	ck_assert_int_eq((int64_t)x[1], -EINVAL);
	ck_assert(!f->pk.initialised);
	ck_assert_uint_eq(f->pk.early.cur, 0); /* divide_memory_pool never ran */

	do_init(f);
	for (i = 0; i < 4; i++) {
		ck_assert_uint_eq(f->pk.percpu_base[i], PCPU_BASE + 4096 * i);
		ck_assert_int_eq(mp_host_state(&f->pk.mp, PCPU_BASE + 4096 * i), PKVM_NOPAGE);
		ck_assert_int_eq(mp_hyp_state(&f->pk.mp, PCPU_BASE + 4096 * i), PKVM_PAGE_OWNED);
	}
	ck_assert_int_eq(mp_host_state(&f->pk.mp, PCPU_BASE + 4 * 4096), PKVM_PAGE_OWNED);
	fx_free(f);
}
END_TEST

/* §5.2 step 7: __pkvm_prot_finalize fills this CPU's kvm_init_params in its per-CPU area. */
START_TEST(test_pkvm_prot_finalize_params)
{
	struct fx *f = fx_new();
	uint64_t x[6] = { KVM_HOST_SMCCC_ID(7), 0, 0, 0, 0, 0 };
	uint64_t p2 = PCPU_BASE + 2 * 4096;

	ck_assert_int_eq(hvc(f, 2, x), PKVM_HCALL_UNMODELLED); /* before __pkvm_init */
	do_init(f);
	set_u64(f, p2 + PKVM_PARAMS_HCR_EL2, 0x80000000ull); /* HCR_RW, as the host prepared it */
	x[0] = KVM_HOST_SMCCC_ID(7);
	ck_assert_int_eq(hvc(f, 2, x), PKVM_HCALL_DONE);
	ck_assert_uint_eq(x[1], 0);
	ck_assert_uint_eq(get_u64(f, p2 + PKVM_PARAMS_HCR_EL2), 0x80000001ull);
	ck_assert_uint_eq(get_u64(f, p2 + PKVM_PARAMS_VTTBR), f->pk.mp.host_s2.pgd); /* VMID 0 */
	ck_assert_uint_ne(get_u64(f, p2 + PKVM_PARAMS_VTCR), 0);
	ck_assert(pkvm_cpu_finalised(&f->pk, 2));
	ck_assert(!pkvm_cpu_finalised(&f->pk, 1));
	ck_assert_uint_eq(get_u64(f, PCPU_BASE + 4096 + PKVM_PARAMS_HCR_EL2), 0); /* CPU 1's untouched */
	fx_free(f);
}
END_TEST

TCase *pkvm_tcase(void)
{
	TCase *tc = tcase_create("pkvm");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_pkvm_sizing_worked_example);
	tcase_add_loop_test(tc, test_pkvm_dispatch_rejects, 0, 6);
	tcase_add_test(tc, test_pkvm_init_errors);
	tcase_add_test(tc, test_pkvm_init_effects);
	tcase_add_test(tc, test_pkvm_check_layout);
	tcase_add_test(tc, test_pkvm_key_flip);
	tcase_add_test(tc, test_pkvm_prot_finalize_twice);
	tcase_add_test(tc, test_pkvm_percpu_areas);
	tcase_add_test(tc, test_pkvm_prot_finalize_params);
	tcase_add_test(tc, test_pkvm_share_through_hvc);
	return tc;
}
