/* SPDX-License-Identifier: MIT */
/*
 * The benchmark's baseline: a guest image on a bare Unicorn engine, with none
 * of hypsim's hooks (no clock, no exits), for uc_emu_start(count = N).  It
 * lives in cpu/ because only cpu/ may talk to Unicorn; hypsim never runs a
 * guest this way.
 */
#include <stdio.h>
#include <stdlib.h>

#include <unicorn/unicorn.h>

#include "cpu.h"

struct cpu_bare {
	uc_engine *uc;
	uc_hook hook;
};

/* HVC (INTR 11) returns x0 = 0, as hypsim's HYPSIM_NOP would; the engine goes on after it. */
static void bare_hvc_hook(uc_engine *uc, uint32_t intno, void *user)
{
	uint64_t zero = 0;

	(void)user;
	if (intno == 11)
		uc_reg_write(uc, UC_ARM64_REG_X0, &zero);
}

struct cpu_bare *cpu_bare_open(enum cpu_arch arch, uint64_t base, uint64_t size, void *host, bool hvc_nop,
			       char *err, size_t n)
{
	struct cpu_bare *b = calloc(1, sizeof(*b));

	if (!b) {
		snprintf(err, n, "out of memory");
		return NULL;
	}
	if (arch != CPU_ARM64 && arch != CPU_RISCV64 && arch != CPU_S390X) {
		snprintf(err, n, "a bare baseline exists for arm64, riscv64 and s390x only");
		free(b);
		return NULL;
	}
	if (uc_open(arch == CPU_ARM64 ? UC_ARCH_ARM64 : arch == CPU_S390X ? UC_ARCH_S390X : UC_ARCH_RISCV,
		    arch == CPU_ARM64 ? UC_MODE_ARM : arch == CPU_S390X ? UC_MODE_BIG_ENDIAN : UC_MODE_RISCV64,
		    &b->uc) != UC_ERR_OK) {
		snprintf(err, n, "cannot open a bare %s engine", cpu_arch_name(arch));
		free(b);
		return NULL;
	}
	if (uc_mem_map_ptr(b->uc, base, size, UC_PROT_ALL, host) != UC_ERR_OK) {
		snprintf(err, n, "cannot map the image's memory into the bare engine");
		cpu_bare_close(b);
		return NULL;
	}
	if (arch == CPU_ARM64) {
		uc_arm64_cp_reg scr = { .crn = 1, .crm = 1, .op0 = 3, .op1 = 6, .op2 = 0, .val = 0x501 }; /* NS|HCE|RW */
		uint64_t cpacr = 3ull << 20;                                                          /* FP/SIMD on */

		uc_reg_write(b->uc, UC_ARM64_REG_CP_REG, &scr);
		uc_reg_write(b->uc, UC_ARM64_REG_CPACR_EL1, &cpacr);
		if (hvc_nop && uc_hook_add(b->uc, &b->hook, UC_HOOK_INTR, (void *)bare_hvc_hook, NULL, 1, 0) != UC_ERR_OK) {
			snprintf(err, n, "cannot install the bare engine's HVC hook");
			cpu_bare_close(b);
			return NULL;
		}
	}
	if (arch == CPU_S390X) {
		uint64_t psw = (1ull << 32) | (1ull << 31); /* 64-bit addressing, as hypsim boots it */

		uc_reg_write(b->uc, UC_S390X_REG_PSWM, &psw);
	}
	return b;
}

int cpu_bare_run(struct cpu_bare *b, uint64_t entry, uint64_t count, char *err, size_t n)
{
	uc_err r = uc_emu_start(b->uc, entry, UINT64_MAX, 0, count);

	/* The image's own exit (semihosting HLT, EBREAK) is an exception the bare engine cannot serve: the end. */
	if (r != UC_ERR_OK && r != UC_ERR_EXCEPTION && r != UC_ERR_INSN_INVALID) {
		snprintf(err, n, "bare unicorn: %s", uc_strerror(r));
		return -1;
	}
	return 0;
}

void cpu_bare_close(struct cpu_bare *b)
{
	if (!b)
		return;
	if (b->uc)
		uc_close(b->uc);
	free(b);
}
