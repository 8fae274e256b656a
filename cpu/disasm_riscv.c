/* SPDX-License-Identifier: MIT */
/*
 * A RISC-V disassembler for traces (--disasm) and the GDB stub's x/i: RV32 and
 * RV64 I, M, A, Zicsr, Zifencei, the F/D loads and stores, the privileged
 * SYSTEM forms, and all of C (disasm_rvc.c).  The text is what Debian 12's
 * llvm-objdump -M no-aliases prints (LLVM 14): canonical mnemonics, no
 * pseudo-instructions, decimal immediates, absolute branch targets, and CSR
 * names as LLVM knows them (a CSR that exists only on RV32 is a number on
 * RV64).  tests/disasm_llvm.sh checks it against llvm-objdump on every
 * shipped riscv guest and on every 16-bit encoding.  F/D arithmetic is not
 * named (".insn").
 */
#include <stdio.h>
#include <string.h>

#include "disasm_riscv.h"
#include "disasm_riscv_internal.h"

const char *const rv_xreg[32] = {
	"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
	"a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

const char *const rv_freg[32] = {
	"ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1", "fa2", "fa3", "fa4", "fa5",
	"fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7", "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
};

int32_t rv_sext(uint32_t v, int bits)
{
	return (int32_t)(v << (32 - bits)) >> (32 - bits);
}

uint64_t rv_target(uint64_t pc, int32_t off, bool rv32)
{
	uint64_t t = pc + (uint64_t)(int64_t)off;

	return rv32 ? (uint32_t)t : t;
}

/* ---- CSR names (privileged spec, "CSR Listing"), as LLVM 14 spells them ---- */

/* A name ending in 'h' (bar the scratch registers) is an RV32-only high half: a number on RV64, as LLVM prints it. */
struct csr_name {
	unsigned num;
	const char *name;
};

static const struct csr_name csrs[] = {
	{ 0x000, "ustatus" },	{ 0x004, "uie" },	  { 0x005, "utvec" },	      { 0x040, "uscratch" },
	{ 0x041, "uepc" },	{ 0x042, "ucause" },	  { 0x043, "utval" },	      { 0x044, "uip" },
	{ 0x008, "vstart" },	{ 0x009, "vxsat" },	  { 0x00a, "vxrm" },	      { 0x00f, "vcsr" },
	{ 0xc20, "vl" },	{ 0xc21, "vtype" },	  { 0xc22, "vlenb" },	      { 0x102, "sedeleg" },
	{ 0x103, "sideleg" },	{ 0x001, "fflags" },	{ 0x002, "frm" },	  { 0x003, "fcsr" },	      { 0x100, "sstatus" },
	{ 0x104, "sie" },	{ 0x105, "stvec" },	  { 0x106, "scounteren" },    { 0x10a, "senvcfg" },
	{ 0x140, "sscratch" },	{ 0x141, "sepc" },	  { 0x142, "scause" },	      { 0x143, "stval" },
	{ 0x144, "sip" },	{ 0x14d, "stimecmp" },	  { 0x15d, "stimecmph" },  { 0x180, "satp" },
	{ 0x5a8, "scontext" },	{ 0x200, "vsstatus" },	  { 0x204, "vsie" },	      { 0x205, "vstvec" },
	{ 0x240, "vsscratch" }, { 0x241, "vsepc" },	  { 0x242, "vscause" },	      { 0x243, "vstval" },
	{ 0x244, "vsip" },	{ 0x24d, "vstimecmp" },	  { 0x25d, "vstimecmph" }, { 0x280, "vsatp" },
	{ 0x600, "hstatus" },	{ 0x602, "hedeleg" },	  { 0x603, "hideleg" },	      { 0x604, "hie" },
	{ 0x605, "htimedelta" }, { 0x606, "hcounteren" }, { 0x607, "hgeie" },	      { 0x60a, "henvcfg" },
	{ 0x615, "htimedeltah" }, { 0x61a, "henvcfgh" }, { 0x643, "htval" },    { 0x644, "hip" },
	{ 0x645, "hvip" },	{ 0x64a, "htinst" },	  { 0x680, "hgatp" },	      { 0x6a8, "hcontext" },
	{ 0xe12, "hgeip" },	{ 0xf11, "mvendorid" },	  { 0xf12, "marchid" },	      { 0xf13, "mimpid" },
	{ 0xf14, "mhartid" },	{ 0xf15, "mconfigptr" },  { 0x300, "mstatus" },	      { 0x301, "misa" },
	{ 0x302, "medeleg" },	{ 0x303, "mideleg" },	  { 0x304, "mie" },	      { 0x305, "mtvec" },
	{ 0x306, "mcounteren" }, { 0x30a, "menvcfg" },	  { 0x310, "mstatush" },   { 0x31a, "menvcfgh" },
	{ 0x320, "mcountinhibit" }, { 0x340, "mscratch" }, { 0x341, "mepc" },	      { 0x342, "mcause" },
	{ 0x343, "mtval" },	{ 0x344, "mip" },	  { 0x34a, "mtinst" },	      { 0x34b, "mtval2" },
	{ 0x747, "mseccfg" },	{ 0x757, "mseccfgh" }, { 0xb00, "mcycle" },	      { 0xb02, "minstret" },
	{ 0xb80, "mcycleh" }, { 0xb82, "minstreth" }, { 0x7a0, "tselect" },     { 0x7a1, "tdata1" },
	{ 0x7a2, "tdata2" },	{ 0x7a3, "tdata3" },	  { 0x7a8, "mcontext" },      { 0x7b0, "dcsr" },
	{ 0x7b1, "dpc" },	{ 0x7b2, "dscratch0" },	  { 0x7b3, "dscratch1" },     { 0xc00, "cycle" },
	{ 0xc01, "time" },	{ 0xc02, "instret" },	  { 0xc80, "cycleh" },     { 0xc81, "timeh" },
	{ 0xc82, "instreth" },
};

/* Numbered families: pmpcfgN, pmpaddrN, the counters and events, the stateen registers. */
static const struct {
	unsigned first, count;
	const char *fmt;
	unsigned base;
} csr_ranges[] = {
	{ 0x3a0, 16, "pmpcfg%u", 0 },	    { 0x3b0, 64, "pmpaddr%u", 0 },	{ 0xc03, 29, "hpmcounter%u", 3 },
	{ 0xc83, 29, "hpmcounter%uh", 3 }, { 0xb03, 29, "mhpmcounter%u", 3 }, { 0xb83, 29, "mhpmcounter%uh", 3 },
	{ 0x323, 29, "mhpmevent%u", 3 },    { 0x723, 29, "mhpmevent%uh", 3 },    { 0x30c, 4, "mstateen%u", 0 },	{ 0x31c, 4, "mstateen%uh", 0 },
	{ 0x60c, 4, "hstateen%u", 0 },	    { 0x61c, 4, "hstateen%uh", 0 },	{ 0x10c, 4, "sstateen%u", 0 },
};

static bool high_half(const char *name)
{
	return name[strlen(name) - 1] == 'h' && !strstr(name, "scratch");
}

static void csr_str(unsigned csr, bool rv32, char *buf, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(csrs) / sizeof(csrs[0]); i++)
		if (csrs[i].num == csr && (rv32 || !high_half(csrs[i].name))) {
			snprintf(buf, n, "%s", csrs[i].name);
			return;
		}
	for (i = 0; i < sizeof(csr_ranges) / sizeof(csr_ranges[0]); i++) {
		unsigned k = csr - csr_ranges[i].first;

		/* odd pmpcfg registers exist only on RV32 */
		if (csr < csr_ranges[i].first || k >= csr_ranges[i].count || (!rv32 && high_half(csr_ranges[i].fmt)) ||
		    (!rv32 && csr_ranges[i].first == 0x3a0 && (k & 1)))
			continue;
		snprintf(buf, n, csr_ranges[i].fmt, k + csr_ranges[i].base);
		return;
	}
	snprintf(buf, n, "%u", csr);
}

/* ---- 32-bit instructions ---------------------------------------------------------------- */

static size_t system_insn(uint32_t w, bool rv32, char *out, size_t n)
{
	static const char *const csrop[8] = { NULL, "csrrw", "csrrs", "csrrc", NULL, "csrrwi", "csrrsi", "csrrci" };
	unsigned f3 = (w >> 12) & 7, rd = (w >> 7) & 31, rs1 = (w >> 15) & 31;
	char csr[24];

	switch (w) {
	case 0x00000073: snprintf(out, n, "ecall"); return 4;
	case 0x00100073: snprintf(out, n, "ebreak"); return 4;
	case 0x10200073: snprintf(out, n, "sret"); return 4;
	case 0x30200073: snprintf(out, n, "mret"); return 4;
	case 0x10500073: snprintf(out, n, "wfi"); return 4;
	}
	if ((w & 0xfe007fff) == 0x12000073) {
		snprintf(out, n, "sfence.vma %s, %s", rv_xreg[rs1], rv_xreg[(w >> 20) & 31]);
		return 4;
	}
	if (!csrop[f3])
		return 0;
	csr_str(w >> 20, rv32, csr, sizeof(csr));
	if (f3 >= 5)
		snprintf(out, n, "%s %s, %s, %u", csrop[f3], rv_xreg[rd], csr, rs1);
	else
		snprintf(out, n, "%s %s, %s, %s", csrop[f3], rv_xreg[rd], csr, rv_xreg[rs1]);
	return 4;
}

/* The register forms (OP, OP-32): base, M, and the shifts' funct7. */
static size_t alu_reg(uint32_t w, bool word, bool rv32, char *out, size_t n)
{
	static const char *const ops[8] = { "add", "sll", "slt", "sltu", "xor", "srl", "or", "and" };
	static const char *const mops[8] = { "mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu" };
	unsigned f3 = (w >> 12) & 7, f7 = w >> 25, rd = (w >> 7) & 31, rs1 = (w >> 15) & 31, rs2 = (w >> 20) & 31;
	const char *op = ops[f3];

	if (word && (rv32 || (f7 == 0 && f3 != 0 && f3 != 1 && f3 != 5)))
		return 0; /* the W forms: RV64 only, and only add/sub/sll/srl/sra (and M's) */
	if (f7 == 1) {
		if (word && (f3 == 1 || f3 == 2 || f3 == 3))
			return 0; /* no mulhw */
		snprintf(out, n, "%s%s %s, %s, %s", mops[f3], word ? "w" : "", rv_xreg[rd], rv_xreg[rs1], rv_xreg[rs2]);
		return 4;
	}
	if (f7 == 0x20 && (f3 == 0 || f3 == 5))
		op = f3 ? "sra" : "sub";
	else if (f7 != 0)
		return 0;
	snprintf(out, n, "%s%s %s, %s, %s", op, word ? "w" : "", rv_xreg[rd], rv_xreg[rs1], rv_xreg[rs2]);
	return 4;
}

/* The immediate forms (OP-IMM, OP-IMM-32). */
static size_t alu_imm(uint32_t w, bool word, bool rv32, char *out, size_t n)
{
	static const char *const ops[8] = { "addi", "slli", "slti", "sltiu", "xori", "srli", "ori", "andi" };
	unsigned f3 = (w >> 12) & 7, rd = (w >> 7) & 31, rs1 = (w >> 15) & 31;
	/* LLVM 14 decodes a 6-bit shamt on RV32 too (the spec reserves shamt[5] = 1 there): so do we */
	unsigned shbits = word ? 5 : 6, top = (w >> 20) >> shbits, sh = (w >> 20) & ((1u << shbits) - 1);
	const char *op = ops[f3];

	if (word && (rv32 || (f3 != 0 && f3 != 1 && f3 != 5)))
		return 0;
	if (f3 == 1 || f3 == 5) {
		unsigned sra = 0x400 >> shbits; /* bit 30 of the instruction, within top */

		if (f3 == 5 && top == sra)
			op = "srai";
		else if (top != 0)
			return 0;
		snprintf(out, n, "%s%s %s, %s, %u", op, word ? "w" : "", rv_xreg[rd], rv_xreg[rs1], sh);
		return 4;
	}
	snprintf(out, n, "%s%s %s, %s, %d", op, word ? "w" : "", rv_xreg[rd], rv_xreg[rs1], rv_sext(w >> 20, 12));
	return 4;
}

/* Loads and stores, integer (LOAD, STORE) and F/D (LOAD-FP, STORE-FP). */
static size_t mem_insn(uint32_t w, bool store, bool fp, bool rv32, char *out, size_t n)
{
	static const char *const ld[8] = { "lb", "lh", "lw", "ld", "lbu", "lhu", "lwu", NULL };
	static const char *const st[8] = { "sb", "sh", "sw", "sd", NULL, NULL, NULL, NULL };
	static const char *const fld[8] = { NULL, NULL, "flw", "fld", NULL, NULL, NULL, NULL };
	static const char *const fst[8] = { NULL, NULL, "fsw", "fsd", NULL, NULL, NULL, NULL };
	unsigned f3 = (w >> 12) & 7, rs1 = (w >> 15) & 31;
	const char *op = fp ? (store ? fst[f3] : fld[f3]) : (store ? st[f3] : ld[f3]);
	int32_t off = store ? rv_sext(((w >> 25) << 5) | ((w >> 7) & 31), 12) : rv_sext(w >> 20, 12);
	unsigned r = store ? (w >> 20) & 31 : (w >> 7) & 31;

	if (!op || (rv32 && !fp && (f3 == 3 || f3 == 6)))
		return 0;
	snprintf(out, n, "%s %s, %d(%s)", op, fp ? rv_freg[r] : rv_xreg[r], off, rv_xreg[rs1]);
	return 4;
}

/* A: lr/sc and the AMOs, with their .aq/.rl suffixes. */
static size_t amo_insn(uint32_t w, bool rv32, char *out, size_t n)
{
	static const struct {
		unsigned f5;
		const char *name;
	} ops[] = { { 0x02, "lr" },	{ 0x03, "sc" },	     { 0x01, "amoswap" }, { 0x00, "amoadd" },
		    { 0x04, "amoxor" }, { 0x0c, "amoand" },  { 0x08, "amoor" },	  { 0x10, "amomin" },
		    { 0x14, "amomax" }, { 0x18, "amominu" }, { 0x1c, "amomaxu" } };
	unsigned f3 = (w >> 12) & 7, f5 = w >> 27, rd = (w >> 7) & 31, rs1 = (w >> 15) & 31, rs2 = (w >> 20) & 31;
	const char *ord = (w >> 25 & 3) == 3 ? ".aqrl" : (w >> 26 & 1) ? ".aq" : (w >> 25 & 1) ? ".rl" : "";

	if (f3 != 2 && (f3 != 3 || rv32))
		return 0;
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (ops[i].f5 != f5)
			continue;
		if (f5 == 0x02) {
			if (rs2)
				return 0;
			snprintf(out, n, "lr.%c%s %s, (%s)", f3 == 2 ? 'w' : 'd', ord, rv_xreg[rd], rv_xreg[rs1]);
		} else {
			snprintf(out, n, "%s.%c%s %s, %s, (%s)", ops[i].name, f3 == 2 ? 'w' : 'd', ord, rv_xreg[rd],
				 rv_xreg[rs2], rv_xreg[rs1]);
		}
		return 4;
	}
	return 0;
}

static void fence_set(unsigned set, char *buf)
{
	char *p = buf;

	if (set & 8)
		*p++ = 'i';
	if (set & 4)
		*p++ = 'o';
	if (set & 2)
		*p++ = 'r';
	if (set & 1)
		*p++ = 'w';
	if (p == buf)
		strcpy(buf, "unknown");
	else
		*p = 0;
}

static size_t fence_insn(uint32_t w, char *out, size_t n)
{
	unsigned f3 = (w >> 12) & 7;
	char pred[8], succ[8];

	if (w == 0x0000100f) {
		snprintf(out, n, "fence.i");
		return 4;
	}
	if (w == 0x8330000f) {
		snprintf(out, n, "fence.tso");
		return 4;
	}
	/* rd, rs1 and fm are reserved (ignored by hardware); LLVM names only the zero forms, and so do we */
	if (f3 != 0 || (w & 0xf00f8f80))
		return 0;
	fence_set((w >> 24) & 15, pred);
	fence_set((w >> 20) & 15, succ);
	snprintf(out, n, "fence %s, %s", pred, succ);
	return 4;
}

static size_t branch_insn(uint32_t w, uint64_t pc, bool rv32, char *out, size_t n)
{
	static const char *const ops[8] = { "beq", "bne", NULL, NULL, "blt", "bge", "bltu", "bgeu" };
	unsigned f3 = (w >> 12) & 7;
	int32_t off = rv_sext(((w >> 31) << 12) | (((w >> 7) & 1) << 11) | (((w >> 25) & 0x3f) << 5) |
				      (((w >> 8) & 0xf) << 1),
			      13);

	if (!ops[f3])
		return 0;
	snprintf(out, n, "%s %s, %s, 0x%" PRIx64, ops[f3], rv_xreg[(w >> 15) & 31], rv_xreg[(w >> 20) & 31],
		 rv_target(pc, off, rv32));
	return 4;
}

static size_t decode32(uint32_t w, uint64_t pc, bool rv32, char *out, size_t n)
{
	unsigned rd = (w >> 7) & 31;
	int32_t jal;

	switch (w & 0x7f) {
	case 0x37: snprintf(out, n, "lui %s, %u", rv_xreg[rd], w >> 12); return 4;
	case 0x17: snprintf(out, n, "auipc %s, %u", rv_xreg[rd], w >> 12); return 4;
	case 0x6f:
		jal = rv_sext(((w >> 31) << 20) | (((w >> 12) & 0xff) << 12) | (((w >> 20) & 1) << 11) |
				      (((w >> 21) & 0x3ff) << 1),
			      21);
		snprintf(out, n, "jal %s, 0x%" PRIx64, rv_xreg[rd], rv_target(pc, jal, rv32));
		return 4;
	case 0x67:
		if ((w >> 12) & 7)
			return 0;
		snprintf(out, n, "jalr %s, %d(%s)", rv_xreg[rd], rv_sext(w >> 20, 12), rv_xreg[(w >> 15) & 31]);
		return 4;
	case 0x63: return branch_insn(w, pc, rv32, out, n);
	case 0x03: return mem_insn(w, false, false, rv32, out, n);
	case 0x23: return mem_insn(w, true, false, rv32, out, n);
	case 0x07: return mem_insn(w, false, true, rv32, out, n);
	case 0x27: return mem_insn(w, true, true, rv32, out, n);
	case 0x13: return alu_imm(w, false, rv32, out, n);
	case 0x1b: return alu_imm(w, true, rv32, out, n);
	case 0x33: return alu_reg(w, false, rv32, out, n);
	case 0x3b: return alu_reg(w, true, rv32, out, n);
	case 0x2f: return amo_insn(w, rv32, out, n);
	case 0x0f: return fence_insn(w, out, n);
	case 0x73: return system_insn(w, rv32, out, n);
	}
	return 0;
}

size_t disasm_riscv(const uint8_t *code, size_t len, uint64_t pc, bool rv32, char *out, size_t outlen)
{
	uint32_t w;
	size_t r;

	if (len < 2) {
		snprintf(out, outlen, "(unreadable)");
		return 0;
	}
	w = code[0] | (uint32_t)code[1] << 8;
	if ((w & 3) != 3) {
		r = rv_decode16(w, pc, rv32, out, outlen);
		if (!r)
			snprintf(out, outlen, ".insn 0x%04x", w);
		return r;
	}
	if (len < 4) {
		snprintf(out, outlen, "(unreadable)");
		return 0;
	}
	w |= (uint32_t)code[2] << 16 | (uint32_t)code[3] << 24;
	r = decode32(w, pc, rv32, out, outlen);
	if (!r)
		snprintf(out, outlen, ".insn 0x%08x", w);
	return r;
}
