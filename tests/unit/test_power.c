/* SPDX-License-Identifier: MIT */
/* Check tests for models/power: PSCI and SBI HSM power states. */
#include <check.h>

#include "power.h"
#include "suites.h"

START_TEST(test_psci_cpu_on_codes)
{
	struct power p;
	int cpu = -1;

	power_init(&p, 4, false);
	ck_assert(p.on[0] && !p.on[1] && !p.on[3]);
	ck_assert_int_eq(psci_affinity_info(&p, 1, 0), PSCI_AFF_OFF);
	ck_assert_int_eq(psci_cpu_on(&p, 4, 0x1000, true, &cpu), PSCI_INVALID_PARAMETERS);     /* no CPU 4 */
	ck_assert_int_eq(psci_cpu_on(&p, 0x101, 0x1000, true, &cpu), PSCI_INVALID_PARAMETERS); /* Aff1 */
	ck_assert_int_eq(psci_cpu_on(&p, 1ull << 32, 0x1000, true, &cpu), PSCI_INVALID_PARAMETERS); /* Aff3 */
	ck_assert_int_eq(psci_cpu_on(&p, 0, 0x1000, true, &cpu), PSCI_ALREADY_ON);             /* the caller */
	ck_assert_int_eq(psci_cpu_on(&p, 1, 0x1002, true, &cpu), PSCI_INVALID_ADDRESS);
	ck_assert_int_eq(psci_cpu_on(&p, 1, 0x1000, false, &cpu), PSCI_INVALID_ADDRESS); /* not RAM */
	ck_assert_int_eq(psci_cpu_on(&p, 4, 0x1000, false, &cpu), PSCI_INVALID_PARAMETERS); /* target first */
	ck_assert(!p.on[1]);                                                             /* unchanged */
	ck_assert_int_eq(psci_cpu_on(&p, 1, 0x1000, true, &cpu), PSCI_SUCCESS);
	ck_assert_int_eq(cpu, 1);
	ck_assert_int_eq(psci_affinity_info(&p, 1, 0), PSCI_AFF_ON);
	ck_assert_int_eq(psci_affinity_info(&p, 1, 1), PSCI_INVALID_PARAMETERS);
	ck_assert_int_eq(psci_cpu_on(&p, 1, 0x1000, true, &cpu), PSCI_ALREADY_ON);
}
END_TEST

START_TEST(test_psci_cpu_off_last_denied)
{
	struct power p;
	int cpu;

	power_init(&p, 2, false);
	ck_assert_int_eq(psci_cpu_off(&p, 0), PSCI_DENIED); /* the only CPU on */
	ck_assert_int_eq(psci_cpu_on(&p, 1, 0, true, &cpu), PSCI_SUCCESS);
	ck_assert_int_eq(psci_cpu_off(&p, 0), PSCI_SUCCESS); /* CPU 0 may go: 1 is on */
	ck_assert_int_eq(psci_cpu_off(&p, 0), PSCI_DENIED);  /* already off */
	ck_assert_int_eq(psci_cpu_off(&p, 1), PSCI_DENIED);  /* now the last */
	ck_assert_int_eq(power_count_on(&p), 1);
	ck_assert_int_eq(psci_features(PSCI_CPU_ON_64, false), PSCI_SUCCESS);
	ck_assert_int_eq(psci_features(PSCI_CPU_SUSPEND_64, false), PSCI_NOT_SUPPORTED);
	ck_assert_int_eq(psci_features(0xc2000000, false), PSCI_NOT_SUPPORTED);
	/* SMCCC_VERSION is discoverable through PSCI_FEATURES (DEN0022); QEMU 7.2 does not list it */
	ck_assert_int_eq(psci_features(0x80000000, false), PSCI_SUCCESS);
	ck_assert_int_eq(psci_features(0x80000000, true), PSCI_NOT_SUPPORTED);
	ck_assert_int_eq(psci_features(PSCI_CPU_ON_64, true), PSCI_SUCCESS);
}
END_TEST

START_TEST(test_hsm_codes)
{
	struct power p;
	uint64_t st = 99;

	power_init(&p, 3, false);
	ck_assert_int_eq(hsm_hart_get_status(&p, 2, &st), 0);
	ck_assert_uint_eq(st, SBI_HSM_STOPPED);
	ck_assert_int_eq(hsm_hart_get_status(&p, 3, &st), SBI_ERR_INVALID_PARAM);
	ck_assert_int_eq(hsm_hart_start(&p, 3, 0x1000, true), SBI_ERR_INVALID_PARAM);
	ck_assert_int_eq(hsm_hart_start(&p, 2, 0x1001, true), SBI_ERR_INVALID_ADDRESS);
	ck_assert_int_eq(hsm_hart_start(&p, 2, 0x1000, false), SBI_ERR_INVALID_ADDRESS); /* not RAM */
	ck_assert_int_eq(hsm_hart_start(&p, 2, 0x1002, true), 0); /* RVC: 2-byte aligned is fine */
	ck_assert_int_eq(hsm_hart_start(&p, 2, 0x1000, true), SBI_ERR_ALREADY_AVAILABLE);
	ck_assert_int_eq(hsm_hart_get_status(&p, 2, &st), 0);
	ck_assert_uint_eq(st, SBI_HSM_STARTED);
	ck_assert_int_eq(hsm_hart_stop(&p, 2), 0);
	ck_assert_int_eq(hsm_hart_stop(&p, 0), SBI_ERR_FAILED); /* the last hart */
	power_init(&p, 3, true);
	ck_assert_int_eq(power_count_on(&p), 3);
	power_init(&p, 1000, true); /* clamped */
	ck_assert_int_eq(p.ncpus, POWER_MAX_CPUS);
}
END_TEST

TCase *power_tcase(void)
{
	TCase *tc = tcase_create("power");

	tcase_add_test(tc, test_psci_cpu_on_codes);
	tcase_add_test(tc, test_psci_cpu_off_last_denied);
	tcase_add_test(tc, test_hsm_codes);
	return tc;
}
