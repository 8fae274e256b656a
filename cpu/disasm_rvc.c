/* SPDX-License-Identifier: MIT */
/*
 * RVC: the compressed instructions (RISC-V unprivileged spec, "C" Standard
 * Extension, RVC instruction set listings), RV32 and RV64, printed as
 * llvm-objdump -M no-aliases prints them (Debian 12's LLVM 14).  Where LLVM 14
 * names an encoding the spec reserves, this follows LLVM, so the two agree
 * on every one of the 49152 16-bit encodings (tests/disasm_llvm.sh):
 *   - c.lui with nzimm = 0 (reserved) prints as "c.lui rd, 0", and the rd = 0
 *     HINT's immediate signed ("c.lui zero, -32"), other c.lui's as 20 bits;
 *   - c.slli/c.srli/c.srai with shamt[5] = 1 on RV32 (custom space) print as
 *     the shift, and shamt = 0 as c.slli64/c.srli64/c.srai64 (RV128's forms).
 * HINTs print as their instruction (c.nop 5, c.addi ra, 0, c.li zero, 3).
 */
#include <stdio.h>

#include "disasm_riscv_internal.h"

/* Bits [hi:lo] of w. */
static unsigned bits(unsigned w, int hi, int lo)
{
	return (w >> lo) & ((1u << (hi - lo + 1)) - 1);
}

/* The 3-bit register fields name x8..x15 (f8..f15). */
static unsigned creg(unsigned w, int lo)
{
	return 8 + bits(w, lo + 2, lo);
}

static int32_t ci_imm(unsigned w) /* imm[5] = bit 12, imm[4:0] = bits 6:2 */
{
	return rv_sext(bits(w, 12, 12) << 5 | bits(w, 6, 2), 6);
}

static int32_t cj_off(unsigned w) /* c.j / c.jal: offset[11|4|9:8|10|6|7|3:1|5] */
{
	return rv_sext(bits(w, 12, 12) << 11 | bits(w, 11, 11) << 4 | bits(w, 10, 9) << 8 | bits(w, 8, 8) << 10 |
			       bits(w, 7, 7) << 6 | bits(w, 6, 6) << 7 | bits(w, 5, 3) << 1 | bits(w, 2, 2) << 5,
		       12);
}

static int32_t cb_off(unsigned w) /* c.beqz / c.bnez: offset[8|4:3] [7:6|2:1|5] */
{
	return rv_sext(bits(w, 12, 12) << 8 | bits(w, 11, 10) << 3 | bits(w, 6, 5) << 6 | bits(w, 4, 3) << 1 |
			       bits(w, 2, 2) << 5,
		       9);
}

/* Quadrant 0: c.addi4spn and the register-based loads and stores. */
static size_t quadrant0(unsigned w, bool rv32, char *out, size_t n)
{
	unsigned f3 = bits(w, 15, 13), rd = creg(w, 2), rs1 = creg(w, 7);
	unsigned w_off = bits(w, 12, 10) << 3 | bits(w, 6, 6) << 2 | bits(w, 5, 5) << 6; /* c.lw, c.sw, c.flw, c.fsw */
	unsigned d_off = bits(w, 12, 10) << 3 | bits(w, 6, 5) << 6;			  /* c.ld, c.sd, c.fld, c.fsd */
	unsigned spn = bits(w, 12, 11) << 4 | bits(w, 10, 7) << 6 | bits(w, 6, 6) << 2 | bits(w, 5, 5) << 3;

	switch (f3) {
	case 0:
		if (w == 0) {
			snprintf(out, n, "c.unimp");
			return 2;
		}
		if (!spn)
			return 0; /* reserved */
		snprintf(out, n, "c.addi4spn %s, sp, %u", rv_xreg[rd], spn);
		return 2;
	case 1: snprintf(out, n, "c.fld %s, %u(%s)", rv_freg[rd], d_off, rv_xreg[rs1]); return 2;
	case 2: snprintf(out, n, "c.lw %s, %u(%s)", rv_xreg[rd], w_off, rv_xreg[rs1]); return 2;
	case 3:
		if (rv32)
			snprintf(out, n, "c.flw %s, %u(%s)", rv_freg[rd], w_off, rv_xreg[rs1]);
		else
			snprintf(out, n, "c.ld %s, %u(%s)", rv_xreg[rd], d_off, rv_xreg[rs1]);
		return 2;
	case 5: snprintf(out, n, "c.fsd %s, %u(%s)", rv_freg[rd], d_off, rv_xreg[rs1]); return 2;
	case 6: snprintf(out, n, "c.sw %s, %u(%s)", rv_xreg[rd], w_off, rv_xreg[rs1]); return 2;
	case 7:
		if (rv32)
			snprintf(out, n, "c.fsw %s, %u(%s)", rv_freg[rd], w_off, rv_xreg[rs1]);
		else
			snprintf(out, n, "c.sd %s, %u(%s)", rv_xreg[rd], d_off, rv_xreg[rs1]);
		return 2;
	}
	return 0; /* funct3 100: reserved */
}

/* Quadrant 1, funct3 100: c.srli, c.srai, c.andi and the register-register ALU forms. */
static size_t q1_alu(unsigned w, bool rv32, char *out, size_t n)
{
	static const char *const ops[8] = { "c.sub", "c.xor", "c.or", "c.and", "c.subw", "c.addw", NULL, NULL };
	unsigned rd = creg(w, 7), sh = bits(w, 12, 12) << 5 | bits(w, 6, 2);
	unsigned f2 = bits(w, 11, 10), op = bits(w, 12, 12) << 2 | bits(w, 6, 5);

	if (f2 < 2) {
		const char *name = f2 ? "c.srai" : "c.srli";

		if (!sh)
			snprintf(out, n, "%s64 %s", name, rv_xreg[rd]);
		else
			snprintf(out, n, "%s %s, %u", name, rv_xreg[rd], sh);
		return 2;
	}
	if (f2 == 2) {
		snprintf(out, n, "c.andi %s, %d", rv_xreg[rd], ci_imm(w));
		return 2;
	}
	if (!ops[op] || (rv32 && op >= 4))
		return 0; /* reserved, and c.subw/c.addw on RV32 */
	snprintf(out, n, "%s %s, %s", ops[op], rv_xreg[rd], rv_xreg[creg(w, 2)]);
	return 2;
}

/* Quadrant 1: immediates, jumps and branches. */
static size_t quadrant1(unsigned w, uint64_t pc, bool rv32, char *out, size_t n)
{
	unsigned rd = bits(w, 11, 7);
	int32_t imm = ci_imm(w);

	switch (bits(w, 15, 13)) {
	case 0:
		if (!rd)
			snprintf(out, n, imm ? "c.nop %d" : "c.nop", imm);
		else
			snprintf(out, n, "c.addi %s, %d", rv_xreg[rd], imm);
		return 2;
	case 1:
		if (rv32) {
			snprintf(out, n, "c.jal 0x%" PRIx64, rv_target(pc, cj_off(w), rv32));
			return 2;
		}
		if (!rd)
			return 0;
		snprintf(out, n, "c.addiw %s, %d", rv_xreg[rd], imm);
		return 2;
	case 2: snprintf(out, n, "c.li %s, %d", rv_xreg[rd], imm); return 2;
	case 3:
		if (rd == 2) {
			int32_t sp16 = rv_sext(bits(w, 12, 12) << 9 | bits(w, 6, 6) << 4 | bits(w, 5, 5) << 6 |
						       bits(w, 4, 3) << 7 | bits(w, 2, 2) << 5,
					       10);

			if (!sp16)
				return 0;
			snprintf(out, n, "c.addi16sp sp, %d", sp16);
		} else if (!rd) {
			snprintf(out, n, "c.lui zero, %d", imm); /* the HINT: LLVM prints it signed */
		} else {
			snprintf(out, n, "c.lui %s, %u", rv_xreg[rd], (unsigned)imm & 0xfffff);
		}
		return 2;
	case 4: return q1_alu(w, rv32, out, n);
	case 5: snprintf(out, n, "c.j 0x%" PRIx64, rv_target(pc, cj_off(w), rv32)); return 2;
	case 6:
	case 7:
		snprintf(out, n, "%s %s, 0x%" PRIx64, bits(w, 13, 13) ? "c.bnez" : "c.beqz", rv_xreg[creg(w, 7)],
			 rv_target(pc, cb_off(w), rv32));
		return 2;
	}
	return 0;
}

/* Quadrant 2, funct3 100: c.jr, c.mv, c.ebreak, c.jalr, c.add. */
static size_t q2_jr_mv(unsigned w, char *out, size_t n)
{
	unsigned rd = bits(w, 11, 7), rs2 = bits(w, 6, 2);

	if (!bits(w, 12, 12)) {
		if (rs2)
			snprintf(out, n, "c.mv %s, %s", rv_xreg[rd], rv_xreg[rs2]);
		else if (rd)
			snprintf(out, n, "c.jr %s", rv_xreg[rd]);
		else
			return 0; /* reserved */
		return 2;
	}
	if (rs2)
		snprintf(out, n, "c.add %s, %s", rv_xreg[rd], rv_xreg[rs2]);
	else if (rd)
		snprintf(out, n, "c.jalr %s", rv_xreg[rd]);
	else
		snprintf(out, n, "c.ebreak");
	return 2;
}

/* Quadrant 2: c.slli and the stack-pointer-based loads and stores. */
static size_t quadrant2(unsigned w, bool rv32, char *out, size_t n)
{
	unsigned rd = bits(w, 11, 7), rs2 = bits(w, 6, 2), sh = bits(w, 12, 12) << 5 | bits(w, 6, 2);
	unsigned lw = bits(w, 12, 12) << 5 | bits(w, 6, 4) << 2 | bits(w, 3, 2) << 6;
	unsigned ld = bits(w, 12, 12) << 5 | bits(w, 6, 5) << 3 | bits(w, 4, 2) << 6;
	unsigned sw = bits(w, 12, 9) << 2 | bits(w, 8, 7) << 6, sd = bits(w, 12, 10) << 3 | bits(w, 9, 7) << 6;

	switch (bits(w, 15, 13)) {
	case 0:
		if (!sh)
			snprintf(out, n, "c.slli64 %s", rv_xreg[rd]);
		else
			snprintf(out, n, "c.slli %s, %u", rv_xreg[rd], sh);
		return 2;
	case 1: snprintf(out, n, "c.fldsp %s, %u(sp)", rv_freg[rd], ld); return 2;
	case 2:
		if (!rd)
			return 0;
		snprintf(out, n, "c.lwsp %s, %u(sp)", rv_xreg[rd], lw);
		return 2;
	case 3:
		if (rv32) {
			snprintf(out, n, "c.flwsp %s, %u(sp)", rv_freg[rd], lw);
			return 2;
		}
		if (!rd)
			return 0;
		snprintf(out, n, "c.ldsp %s, %u(sp)", rv_xreg[rd], ld);
		return 2;
	case 4: return q2_jr_mv(w, out, n);
	case 5: snprintf(out, n, "c.fsdsp %s, %u(sp)", rv_freg[rs2], sd); return 2;
	case 6: snprintf(out, n, "c.swsp %s, %u(sp)", rv_xreg[rs2], sw); return 2;
	case 7:
		if (rv32)
			snprintf(out, n, "c.fswsp %s, %u(sp)", rv_freg[rs2], sw);
		else
			snprintf(out, n, "c.sdsp %s, %u(sp)", rv_xreg[rs2], sd);
		return 2;
	}
	return 0;
}

size_t rv_decode16(unsigned w, uint64_t pc, bool rv32, char *out, size_t n)
{
	switch (w & 3) {
	case 0: return quadrant0(w, rv32, out, n);
	case 1: return quadrant1(w, pc, rv32, out, n);
	case 2: return quadrant2(w, rv32, out, n);
	}
	return 0;
}
