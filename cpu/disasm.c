/* SPDX-License-Identifier: MIT */
/*
 * One-instruction disassembly for traces.  arm64 uses Capstone 4.  Capstone 4
 * has no RISC-V, and shelling out to llvm-objdump per event would be slow and
 * add a run-time dependency, so riscv64 uses the small RV64I/Zicsr/privileged
 * decoder in disasm_riscv.c: it names the instructions that appear at trace
 * events (ECALL, EBREAK, WFI, CSR accesses, loads, stores, branches, ALU) and
 * prints anything else as ".insn 0x...".
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

size_t cpu_disasm(struct cpu_disasm *d, const uint8_t *code, size_t len, uint64_t pc, char *out,
		  size_t outlen)
{
	cs_insn *insn;
	size_t n;

	if (cpu_arch_is_riscv(d->arch))
		return disasm_riscv(code, len, out, outlen);
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
