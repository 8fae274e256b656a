/* SPDX-License-Identifier: MIT */
#include <stdbool.h>
#include <stdio.h>

#include "disasm_riscv.h"

static const char *const abi[32] = {
	"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
	"a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

struct csr_name {
	unsigned num;
	const char *name;
};

static const struct csr_name csrs[] = {
	{ 0x100, "sstatus" }, { 0x104, "sie" }, { 0x105, "stvec" }, { 0x106, "scounteren" },
	{ 0x10a, "senvcfg" }, { 0x140, "sscratch" }, { 0x141, "sepc" }, { 0x142, "scause" },
	{ 0x143, "stval" }, { 0x144, "sip" }, { 0x14d, "stimecmp" }, { 0x15d, "stimecmph" },
	{ 0x180, "satp" }, { 0x300, "mstatus" }, { 0x30a, "menvcfg" }, { 0x344, "mip" },
	{ 0x60a, "henvcfg" }, { 0x605, "htimedelta" }, { 0x24d, "vstimecmp" },
	{ 0xc00, "cycle" }, { 0xc01, "time" }, { 0xc02, "instret" }, { 0xc81, "timeh" },
};

static void csr_str(unsigned csr, char *buf, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(csrs) / sizeof(csrs[0]); i++)
		if (csrs[i].num == csr) {
			snprintf(buf, n, "%s", csrs[i].name);
			return;
		}
	snprintf(buf, n, "0x%03x", csr);
}

static int32_t sext(uint32_t v, int bits)
{
	return (int32_t)(v << (32 - bits)) >> (32 - bits);
}

static size_t system_insn(uint32_t w, char *out, size_t n)
{
	static const char *const csrop[8] = { NULL, "csrrw", "csrrs", "csrrc", NULL, "csrrwi", "csrrsi", "csrrci" };
	unsigned f3 = (w >> 12) & 7, rd = (w >> 7) & 31, rs1 = (w >> 15) & 31;
	char csr[16];

	switch (w) {
	case 0x00000073: snprintf(out, n, "ecall"); return 4;
	case 0x00100073: snprintf(out, n, "ebreak"); return 4;
	case 0x10200073: snprintf(out, n, "sret"); return 4;
	case 0x30200073: snprintf(out, n, "mret"); return 4;
	case 0x10500073: snprintf(out, n, "wfi"); return 4;
	}
	if ((w & 0xfe007fff) == 0x12000073) {
		snprintf(out, n, "sfence.vma %s, %s", abi[rs1], abi[(w >> 20) & 31]);
		return 4;
	}
	if (!csrop[f3])
		return 0;
	csr_str(w >> 20, csr, sizeof(csr));
	if (f3 >= 5)
		snprintf(out, n, "%s %s, %s, %u", csrop[f3], abi[rd], csr, rs1);
	else
		snprintf(out, n, "%s %s, %s, %s", csrop[f3], abi[rd], csr, abi[rs1]);
	return 4;
}

static size_t alu_insn(uint32_t w, bool imm, bool word, char *out, size_t n)
{
	static const char *const ops[8] = { "add", "sll", "slt", "sltu", "xor", "srl", "or", "and" };
	static const char *const mops[8] = { "mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu" };
	unsigned f3 = (w >> 12) & 7, f7 = w >> 25, rd = (w >> 7) & 31, rs1 = (w >> 15) & 31, rs2 = (w >> 20) & 31;
	const char *op = ops[f3];
	const char *sfx = word ? "w" : "";

	if (!imm && f7 == 1) {
		snprintf(out, n, "%s%s %s, %s, %s", mops[f3], sfx, abi[rd], abi[rs1], abi[rs2]);
		return 4;
	}
	if (f3 == 0 && !imm && f7 == 0x20)
		op = "sub";
	if (f3 == 5 && (w >> 30) & 1)
		op = "sra";
	if (!imm) {
		snprintf(out, n, "%s%s %s, %s, %s", op, sfx, abi[rd], abi[rs1], abi[rs2]);
		return 4;
	}
	if (f3 == 1 || f3 == 5)
		snprintf(out, n, "%si%s %s, %s, %u", op, sfx, abi[rd], abi[rs1], (w >> 20) & (word ? 31 : 63));
	else
		snprintf(out, n, "%si%s %s, %s, %d", op, sfx, abi[rd], abi[rs1], sext(w >> 20, 12));
	return 4;
}

static size_t mem_insn(uint32_t w, bool store, char *out, size_t n)
{
	static const char *const ld[8] = { "lb", "lh", "lw", "ld", "lbu", "lhu", "lwu", NULL };
	static const char *const st[8] = { "sb", "sh", "sw", "sd", NULL, NULL, NULL, NULL };
	unsigned f3 = (w >> 12) & 7, rs1 = (w >> 15) & 31;
	const char *op = store ? st[f3] : ld[f3];
	int32_t off = store ? sext(((w >> 25) << 5) | ((w >> 7) & 31), 12) : sext(w >> 20, 12);
	unsigned r = store ? (w >> 20) & 31 : (w >> 7) & 31;

	if (!op)
		return 0;
	snprintf(out, n, "%s %s, %d(%s)", op, abi[r], off, abi[rs1]);
	return 4;
}

static size_t branch_insn(uint32_t w, char *out, size_t n)
{
	static const char *const ops[8] = { "beq", "bne", NULL, NULL, "blt", "bge", "bltu", "bgeu" };
	unsigned f3 = (w >> 12) & 7;
	int32_t off = sext(((w >> 31) << 12) | (((w >> 7) & 1) << 11) | (((w >> 25) & 0x3f) << 5) |
				   (((w >> 8) & 0xf) << 1), 13);

	if (!ops[f3])
		return 0;
	snprintf(out, n, "%s %s, %s, %d", ops[f3], abi[(w >> 15) & 31], abi[(w >> 20) & 31], off);
	return 4;
}

static size_t decode32(uint32_t w, char *out, size_t n)
{
	unsigned rd = (w >> 7) & 31;
	int32_t jal;

	switch (w & 0x7f) {
	case 0x37: snprintf(out, n, "lui %s, 0x%x", abi[rd], w >> 12); return 4;
	case 0x17: snprintf(out, n, "auipc %s, 0x%x", abi[rd], w >> 12); return 4;
	case 0x6f:
		jal = sext(((w >> 31) << 20) | (((w >> 12) & 0xff) << 12) | (((w >> 20) & 1) << 11) |
				   (((w >> 21) & 0x3ff) << 1), 21);
		snprintf(out, n, "jal %s, %d", abi[rd], jal);
		return 4;
	case 0x67:
		snprintf(out, n, "jalr %s, %d(%s)", abi[rd], sext(w >> 20, 12), abi[(w >> 15) & 31]);
		return 4;
	case 0x63: return branch_insn(w, out, n);
	case 0x03: return mem_insn(w, false, out, n);
	case 0x23: return mem_insn(w, true, out, n);
	case 0x13: return alu_insn(w, true, false, out, n);
	case 0x1b: return alu_insn(w, true, true, out, n);
	case 0x33: return alu_insn(w, false, false, out, n);
	case 0x3b: return alu_insn(w, false, true, out, n);
	case 0x0f: snprintf(out, n, (w >> 12 & 7) == 1 ? "fence.i" : "fence"); return 4;
	case 0x73: return system_insn(w, out, n);
	}
	return 0;
}

size_t disasm_riscv(const uint8_t *code, size_t len, char *out, size_t outlen)
{
	uint32_t w;
	size_t r;

	if (len < 2) {
		snprintf(out, outlen, "(unreadable)");
		return 0;
	}
	w = code[0] | (uint32_t)code[1] << 8;
	if ((w & 3) != 3) {
		snprintf(out, outlen, ".insn 0x%04x", w);
		return 0;
	}
	if (len < 4) {
		snprintf(out, outlen, "(unreadable)");
		return 0;
	}
	w |= (uint32_t)code[2] << 16 | (uint32_t)code[3] << 24;
	r = decode32(w, out, outlen);
	if (!r)
		snprintf(out, outlen, ".insn 0x%08x", w);
	return r;
}
