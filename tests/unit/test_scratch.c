/* SPDX-License-Identifier: MIT */
/*
 * Check tests for models/scratch, the scratch-register device: SCRATCH keeps
 * the last aligned 32-bit store, STORES counts them (read-only, wrapping at
 * 2^32), and every other width or offset reads 0 and stores nothing.  Its
 * scenario family's errors are checked through the parser.
 */
#include <check.h>
#include <string.h>

#include "binding.h"
#include "scenario.h"
#include "scratch.h"
#include "suites.h"

START_TEST(test_scratch_registers)
{
	struct scratch s = { 0 };

	ck_assert(scratch_store(&s, SCRATCH_REG_VALUE, 4, 0x1122334455667788ull)); /* low 32 bits kept */
	ck_assert_uint_eq(scratch_load(&s, SCRATCH_REG_VALUE, 4), 0x55667788u);
	ck_assert_uint_eq(scratch_load(&s, SCRATCH_REG_STORES, 4), 1);
	ck_assert(!scratch_store(&s, SCRATCH_REG_STORES, 4, 7)); /* read-only */
	ck_assert_uint_eq(scratch_load(&s, SCRATCH_REG_STORES, 4), 1);
	ck_assert(scratch_store(&s, SCRATCH_REG_VALUE, 4, 0));
	ck_assert_uint_eq(scratch_load(&s, SCRATCH_REG_VALUE, 4), 0);
	ck_assert_uint_eq(scratch_load(&s, SCRATCH_REG_STORES, 4), 2);
}
END_TEST

START_TEST(test_scratch_other_accesses)
{
	struct scratch s = { .value = 0xabcd, .stores = 3 };
	static const unsigned sizes[] = { 1, 2, 8 };
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		ck_assert(!scratch_store(&s, SCRATCH_REG_VALUE, sizes[i], 1));
		ck_assert_uint_eq(scratch_load(&s, SCRATCH_REG_VALUE, sizes[i]), 0);
	}
	ck_assert(!scratch_store(&s, 0x8, 4, 1)); /* past the registers */
	ck_assert(!scratch_store(&s, 0x2, 4, 1)); /* unaligned */
	ck_assert_uint_eq(scratch_load(&s, 0x8, 4), 0);
	ck_assert_uint_eq(scratch_load(&s, 0xffc, 4), 0);
	ck_assert_uint_eq(s.value, 0xabcd);
	ck_assert_uint_eq(s.stores, 3);
}
END_TEST

START_TEST(test_scratch_stores_wrap)
{
	struct scratch s = { .stores = UINT32_MAX };

	ck_assert(scratch_store(&s, SCRATCH_REG_VALUE, 4, 9));
	ck_assert_uint_eq(scratch_load(&s, SCRATCH_REG_STORES, 4), 0);
}
END_TEST

/* The family's setup and expectation errors name the line and column. */
START_TEST(test_scratch_family_errors)
{
	static const struct {
		const char *text, *msg;
	} bad[] = {
		{ "arch arm64\nmemory 0x40000000 16M\nscratch 0x09010800\n", "x:3:9: the scratch device's base must be 4 KiB aligned" },
		{ "arch arm64\nmemory 0x40000000 16M\nscratch 0x40fff000\n", "x:3:9: the scratch device overlaps memory" },
		{ "arch arm64\nmemory 0x40000000 16M\nscratch 0x9000000\nscratch 0x9001000\n", "x:4:1: only one 'scratch' line" },
		{ "arch arm64\nmemory 0x40000000 16M\nload a.elf\nscratch set 0x100000000\n", "x:4:13: SCRATCH is a 32-bit register" },
		{ "arch arm64\nmemory 0x40000000 16M\nload a.elf\nexpect scratch bogus == 1\n", "x:4:16: unknown scratch register 'bogus'" },
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct scenario s;
		char err[256];

		ck_assert_int_lt(scenario_parse("x", bad[i].text, strlen(bad[i].text), &s, err, sizeof(err)), 0);
		ck_assert_msg(strncmp(err, bad[i].msg, strlen(bad[i].msg)) == 0, "%s", err);
	}
}
END_TEST

extern const struct model_binding scratch_binding;

/* A binding's own trace kind is numbered after the machine's and found by name. */
START_TEST(test_scratch_trace_kind)
{
	int k = machine_trace_kind(&scratch_binding, 0);

	ck_assert_int_ge(k, EV__COUNT);
	ck_assert_int_lt(k, ev_kind_count());
	ck_assert_int_le(ev_kind_count(), EV_MAX_KINDS);
	ck_assert_str_eq(ev_kind_name(k), "scratch-store");
	ck_assert_int_eq(ev_kind_lookup("scratch-store"), k);
	ck_assert_str_eq(ev_kind_name(ev_kind_count()), "?");
	ck_assert_str_eq(ev_kind_name(EV_MMIO), "mmio");
}
END_TEST

TCase *scratch_tcase(void)
{
	TCase *tc = tcase_create("scratch");

	tcase_add_test(tc, test_scratch_registers);
	tcase_add_test(tc, test_scratch_other_accesses);
	tcase_add_test(tc, test_scratch_stores_wrap);
	tcase_add_test(tc, test_scratch_family_errors);
	tcase_add_test(tc, test_scratch_trace_kind);
	return tc;
}
