/* SPDX-License-Identifier: MIT */
/* Between the `linux` step (linux_fw.c) and its arm64 half (linux_arm64.c). */
#ifndef HYPSIM_LINUX_INTERNAL_H
#define HYPSIM_LINUX_INTERNAL_H

#include <stdint.h>

#include "scenario_internal.h"

#define LINUX_DTB_SPACE 0x10000ull /* 64 KiB at the end of the first RAM region */

/* The boot's state on the machine. */
struct linux_fw {
	uint64_t dtb;
	uint64_t image_base, image_end;
	uint64_t initrd_start, initrd_end;
	uint64_t low_top; /* the top of what the initrd may use */
	/* arm64 with pKVM: what the host's kvm_hyp_reserve() and init_hyp_mode() set aside */
	uint64_t hyp_base, hyp_size;
	uint64_t percpu_array; /* per_cpu_base[], one page, then one page per CPU's hyp area */
	/* riscv64 with guest M-mode firmware: where it runs, and its fw_dynamic_info */
	uint64_t fw_base, fw_info;
};

/*
 * arm64: set aside pKVM's memory below the device tree (nothing to do
 * without pKVM): the hyp region sized as kvm_hyp_reserve() sizes it, 2 MiB
 * aligned, then the per-CPU areas, and lowers lf->low_top under them.
 * Return: 0, or -1 with a message in @err.
 */
int linux_arm64_reserve(struct machine *m, struct linux_fw *lf, char *err, size_t n);
/* The arm64 device tree into @fdt (an empty tree). Return: 0 or a libfdt error. */
int linux_arm64_fdt(void *fdt, const struct machine *m, const struct linux_fw *lf);
/*
 * arm64 with pKVM, once the Image is loaded: boot the vCPUs and do what the
 * host's kvm_arm_init() would: __pkvm_init, the protected-mode key, and
 * __pkvm_prot_finalize on every vCPU.  Return: 0, or -1 (reported at @c).
 */
int linux_arm64_pkvm(struct exec *x, const struct scn_cmd *c, struct linux_fw *lf);

#endif
