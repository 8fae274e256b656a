/* SPDX-License-Identifier: MIT */
#ifndef HYPSIM_TEST_SUITES_H
#define HYPSIM_TEST_SUITES_H
#include <check.h>

TCase *clock_tcase(void);
TCase *evq_tcase(void);
TCase *scenario_parse_tcase(void);
TCase *smccc_tcase(void);
TCase *disasm_riscv_tcase(void);
TCase *hyp_alloc_tcase(void);
TCase *s2pt_tcase(void);
TCase *mem_protect_tcase(void);
TCase *pkvm_tcase(void);
TCase *sstc_tcase(void);
TCase *power_tcase(void);
TCase *aen_tcase(void);
TCase *s2_coherence_tcase(void);
TCase *scratch_tcase(void);
TCase *pl011_tcase(void);
TCase *clint_tcase(void);
TCase *gtimer_tcase(void);
TCase *gicv3_tcase(void);

#endif
