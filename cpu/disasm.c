/* SPDX-License-Identifier: MIT */
/*
 * One-instruction disassembly for traces.  arm64 uses Capstone 4.  Capstone 4
 * has no RISC-V, and shelling out to llvm-objdump per event would be slow and
 * add a run-time dependency, so riscv64 uses the small RV64I/Zicsr/privileged
 * decoder in disasm_riscv.c: it names the instructions that appear at trace
 * events (ECALL, EBREAK, WFI, CSR accesses, loads, stores, branches, ALU) and
 * prints anything else as ".insn 0x...".  s390x uses Capstone's SystemZ,
 * which does not know SIC (0xEB..0xD1) nor take DIAGNOSE: both are printed
 * here, since they are the instructions hypsim's s390x traces are about.
 */
#include <capstone/capstone.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu.h"
#include "disasm_riscv.h"

struct cpu_disasm {
	enum cpu_arch arch;
	csh cs;
	bool cs_open;
};

struct cpu_disasm *cpu_disasm_open(enum cpu_arch arch)
{
	struct cpu_disasm *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->arch = arch;
	if (arch == CPU_ARM64 && cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &d->cs) == CS_ERR_OK)
		d->cs_open = true;
	if (arch == CPU_S390X && cs_open(CS_ARCH_SYSZ, CS_MODE_BIG_ENDIAN, &d->cs) == CS_ERR_OK)
		d->cs_open = true;
	return d;
}

void cpu_disasm_close(struct cpu_disasm *d)
{
	if (!d)
		return;
	if (d->cs_open)
		cs_close(&d->cs);
	free(d);
}

/* s390x: SIC and DIAGNOSE by hand, the rest through Capstone; lengths from the first byte. */
static size_t disasm_s390x(struct cpu_disasm *d, const uint8_t *b, size_t len, uint64_t pc, char *out,
			   size_t outlen)
{
	size_t n = len ? ((b[0] >> 6) == 0 ? 2 : (b[0] >> 6) == 3 ? 6 : 4) : 0;
	cs_insn *insn;

	if (!n || n > len) {
		snprintf(out, outlen, "(unreadable)");
		return 0;
	}
	if (n == 6 && b[0] == 0xeb && b[5] == 0xd1) {
		int32_t disp = (int32_t)((uint32_t)(b[2] & 15) << 8 | b[3] | (uint32_t)b[4] << 12);

		if (disp & 0x80000)
			disp -= 0x100000;
		snprintf(out, outlen, "sic %%r%u, %%r%u, %d(%%r%u)", b[1] >> 4, b[1] & 15, disp, b[2] >> 4);
		return n;
	}
	if (b[0] == 0x83) {
		snprintf(out, outlen, "diag %%r%u, %%r%u, 0x%x(%%r%u)", b[1] >> 4, b[1] & 15, (b[2] & 15) << 8 | b[3],
			 b[2] >> 4);
		return n;
	}
	if (d->cs_open && cs_disasm(d->cs, b, n, pc, 1, &insn) == 1) {
		snprintf(out, outlen, insn->op_str[0] ? "%s %s" : "%s", insn->mnemonic, insn->op_str);
		cs_free(insn, 1);
		return n;
	}
	snprintf(out, outlen, ".insn 0x");
	for (size_t i = 0; i < n; i++)
		snprintf(out + strlen(out), outlen - strlen(out), "%02x", b[i]);
	return 0;
}

size_t cpu_disasm(struct cpu_disasm *d, const uint8_t *code, size_t len, uint64_t pc, char *out,
		  size_t outlen)
{
	cs_insn *insn;
	size_t n;

	if (cpu_arch_is_riscv(d->arch))
		return disasm_riscv(code, len, pc, d->arch == CPU_RISCV32, out, outlen);
	if (d->arch == CPU_S390X)
		return disasm_s390x(d, code, len, pc, out, outlen);
	if (len >= 4 && d->cs_open && cs_disasm(d->cs, code, 4, pc, 1, &insn) == 1) {
		if (insn->op_str[0])
			snprintf(out, outlen, "%s %s", insn->mnemonic, insn->op_str);
		else
			snprintf(out, outlen, "%s", insn->mnemonic);
		n = insn->size;
		cs_free(insn, 1);
		return n;
	}
	if (len >= 4)
		snprintf(out, outlen, ".word 0x%08x",
			 (unsigned)(code[0] | code[1] << 8 | code[2] << 16 | (uint32_t)code[3] << 24));
	else
		snprintf(out, outlen, "(unreadable)");
	return 0;
}
