/* SPDX-License-Identifier: MIT */
/* Check tests for models/smccc and the riscv64 trace disassembler. */
#include <check.h>
#include <string.h>

#include "disasm_riscv.h"
#include "smccc.h"
#include "suites.h"

START_TEST(test_smccc_decode_fields)
{
	struct smccc_fid f = smccc_decode(0xc6000003);

	ck_assert(f.fast && f.conv64 && f.well_formed);
	ck_assert_uint_eq(f.owner, SMCCC_OWNER_VENDOR_HYP);
	ck_assert_uint_eq(f.func, 3);
	ck_assert_str_eq(smccc_owner_name(f.owner), "vendor-hyp");
	f = smccc_decode(0x84000000);
	ck_assert(f.fast && !f.conv64 && f.owner == SMCCC_OWNER_STD_SECURE);
	ck_assert(!smccc_decode(0x1c6000003ull).well_formed); /* bits 63:32 */
	ck_assert(!smccc_decode(0xc6020003).well_formed);     /* bits 23:17 on a fast call */
	ck_assert(smccc_decode(0xc6010003).well_formed);      /* bit 16: SVE hint */
	ck_assert_uint_eq(SMCCC_ID(1, 1, SMCCC_OWNER_SIP, 2), 0xc2000002);
	ck_assert_str_eq(smccc_owner_name(63), "trusted-os");
}
END_TEST

struct rv_case {
	uint32_t word;
	const char *text;
};

static const struct rv_case rv_cases[] = {
	{ 0x00000073, "ecall" },
	{ 0x00100073, "ebreak" },
	{ 0x10500073, "wfi" },
	{ 0x30200073, "mret" },
	{ 0xc01022f3, "csrrs t0, time, zero" },
	{ 0x14d29073, "csrrw zero, stimecmp, t0" },
	{ 0x10017073, "csrrci zero, sstatus, 2" },
	{ 0xfff00293, "addi t0, zero, -1" },
	{ 0x00b50533, "add a0, a0, a1" },
	{ 0x40b50533, "sub a0, a0, a1" },
	{ 0x02b50533, "mul a0, a0, a1" },
	{ 0x00853023, "sd s0, 0(a0)" },
	{ 0xff843403, "ld s0, -8(s0)" },
	{ 0xfe0a1ee3, "bne s4, zero, 0x80000ffc" }, /* absolute, as llvm-objdump prints it */
	{ 0x800000b7, "lui ra, 524288" },
	{ 0x0ff0000f, "fence iorw, iorw" },
	{ 0x1002a32f, "lr.w t1, (t0)" },
	{ 0x0063b02f, "amoadd.d zero, t1, (t2)" },
};

START_TEST(test_disasm_riscv_names)
{
	const struct rv_case *c = &rv_cases[_i];
	uint8_t b[4];
	char out[64];

	memcpy(b, &c->word, 4);
	ck_assert_uint_eq(disasm_riscv(b, 4, 0x80001000, false, out, sizeof(out)), 4);
	ck_assert_str_eq(out, c->text);
}
END_TEST

START_TEST(test_disasm_riscv_unknown_and_compressed)
{
	const uint8_t nop[2] = { 0x01, 0x00 }, res[2] = { 0x00, 0x80 }, bad[4] = { 0x7f, 0x00, 0x00, 0x00 };
	const uint8_t cj[2] = { 0x01, 0xa0 }, jal32[2] = { 0x01, 0x20 }, sdsp[2] = { 0x16, 0xe0 };
	char out[64];

	ck_assert_uint_eq(disasm_riscv(nop, 2, 0, false, out, sizeof(out)), 2);
	ck_assert_str_eq(out, "c.nop");
	ck_assert_uint_eq(disasm_riscv(sdsp, 2, 0, false, out, sizeof(out)), 2);
	ck_assert_str_eq(out, "c.sdsp t0, 0(sp)");
	ck_assert_uint_eq(disasm_riscv(sdsp, 2, 0, true, out, sizeof(out)), 2); /* RV32: c.fswsp */
	ck_assert_str_eq(out, "c.fswsp ft5, 0(sp)");
	ck_assert_uint_eq(disasm_riscv(cj, 2, 0x8000004c, false, out, sizeof(out)), 2);
	ck_assert_str_eq(out, "c.j 0x8000004c");
	ck_assert_uint_eq(disasm_riscv(jal32, 2, 0x1000, true, out, sizeof(out)), 2);
	ck_assert_str_eq(out, "c.jal 0x1000");
	ck_assert_uint_eq(disasm_riscv(jal32, 2, 0x1000, false, out, sizeof(out)), 0); /* RV64: c.addiw zero */
	ck_assert_str_eq(out, ".insn 0x2001");
	ck_assert_uint_eq(disasm_riscv(res, 2, 0, false, out, sizeof(out)), 0); /* funct3 100 of quadrant 0 */
	ck_assert_str_eq(out, ".insn 0x8000");
	ck_assert_uint_eq(disasm_riscv(bad, 4, 0, false, out, sizeof(out)), 0);
	ck_assert_str_eq(out, ".insn 0x0000007f");
	ck_assert_uint_eq(disasm_riscv(bad, 1, 0, false, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "(unreadable)");
}
END_TEST

TCase *smccc_tcase(void)
{
	TCase *tc = tcase_create("smccc");

	tcase_add_test(tc, test_smccc_decode_fields);
	return tc;
}

TCase *disasm_riscv_tcase(void)
{
	TCase *tc = tcase_create("disasm_riscv");

	tcase_add_loop_test(tc, test_disasm_riscv_names, 0, (int)(sizeof(rv_cases) / sizeof(rv_cases[0])));
	tcase_add_test(tc, test_disasm_riscv_unknown_and_compressed);
	return tc;
}
