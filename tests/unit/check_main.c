/* SPDX-License-Identifier: MIT */
/* One runner for the unit tests; CK_RUN_CASE selects a case. */
#include <check.h>
#include <stdlib.h>

#include "suites.h"

int main(void)
{
	Suite *s = suite_create("hypsim");
	SRunner *sr;
	int failed;

	suite_add_tcase(s, clock_tcase());
	suite_add_tcase(s, evq_tcase());
	suite_add_tcase(s, scenario_parse_tcase());
	suite_add_tcase(s, smccc_tcase());
	suite_add_tcase(s, disasm_riscv_tcase());
	suite_add_tcase(s, hyp_alloc_tcase());
	suite_add_tcase(s, s2pt_tcase());
	suite_add_tcase(s, mem_protect_tcase());
	suite_add_tcase(s, pkvm_tcase());
	suite_add_tcase(s, sstc_tcase());
	suite_add_tcase(s, power_tcase());
	suite_add_tcase(s, aen_tcase());
	suite_add_tcase(s, s2_coherence_tcase());
	suite_add_tcase(s, scratch_tcase());
	suite_add_tcase(s, gtimer_tcase());
	suite_add_tcase(s, gicv3_tcase());
	suite_add_tcase(s, pl011_tcase());
	suite_add_tcase(s, clint_tcase());
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
