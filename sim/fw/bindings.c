/* SPDX-License-Identifier: MIT */
/*
 * The model-binding table (binding.h): one line per model.  Order matters
 * twice: a CPU exit goes to the first attached binding that serves it, and
 * recordings list the models' digests in this order.
 */
#include "binding.h"

extern const struct model_binding smccc_binding;    /* smccc_fw.c: arm64 HVC/SMC */
extern const struct model_binding sbi_binding;      /* sbi.c: riscv ECALL */
extern const struct model_binding semihost_binding; /* semihost.c: semihosting calls */
extern const struct model_binding hyp_binding;  /* scenario_hyp.c: the hyp allocators' scenario commands */
extern const struct model_binding pkvm_binding; /* pkvm_fw.c: pKVM at EL2, arm64 */
extern const struct model_binding aen_binding;  /* aen_fw.c: s390 zPCI AEN, s390x */
extern const struct model_binding sstc_binding; /* sstc_fw.c: the Sstc comparator, riscv */
extern const struct model_binding gic_binding;    /* gic_fw.c: the arm64 GICv3 */
extern const struct model_binding gtimer_binding; /* gtimer_fw.c: the arm64 generic timer */
extern const struct model_binding regfile_binding; /* regfile_fw.c: `device` register files */
extern const struct model_binding scratch_binding; /* scratch_fw.c: a scratch-register device */
extern const struct model_binding linux_binding;   /* linux_fw.c: a Linux Image, its device tree, OpenSBI's delegation */
extern const struct model_binding pl011_binding;   /* pl011_fw.c: the arm64 Linux boot's PL011 UART */
extern const struct model_binding clint_binding;   /* clint_fw.c: riscv64 guest firmware's CLINT (mtime, mtimecmp, msip) */
extern const struct model_binding ns16550_binding; /* ns16550_fw.c: riscv64 guest firmware's UART */
extern const struct model_binding sifive_test_binding; /* ns16550_fw.c: riscv64 guest firmware's power-off device */

const struct model_binding *const machine_bindings[] = {
	&smccc_binding,
	&sbi_binding,
	&semihost_binding,
	&hyp_binding,
	&pkvm_binding,
	&aen_binding,
	&sstc_binding,
	&gic_binding,
	&gtimer_binding,
	&regfile_binding,
	&scratch_binding,
	&linux_binding,
	&pl011_binding,
	&clint_binding,
	&ns16550_binding,
	&sifive_test_binding,
	NULL,
};
