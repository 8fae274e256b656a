/* SPDX-License-Identifier: MIT */
/* Check tests for sim/clock: exact integer conversions, ceilings, saturation. */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "clock.h"
#include "suites.h"

static struct vclock mk(uint64_t f, uint64_t t)
{
	struct vclock c;

	ck_assert_int_eq(vclock_init(&c, f, t), 0);
	return c;
}

START_TEST(test_vclock_init_rejects_zero)
{
	struct vclock c;

	ck_assert_int_eq(vclock_init(&c, 0, 10), -EINVAL);
	ck_assert_int_eq(vclock_init(&c, 10, 0), -EINVAL);
}
END_TEST

START_TEST(test_vclock_ticks_ratio_5_8)
{
	struct vclock c = mk(100000000, 62500000); /* T/F = 5/8 */

	ck_assert_uint_eq(vclock_ticks(&c, 0), 0);
	ck_assert_uint_eq(vclock_ticks(&c, 1), 0);
	ck_assert_uint_eq(vclock_ticks(&c, 2), 1);
	ck_assert_uint_eq(vclock_ticks(&c, 9), 5);
	ck_assert_uint_eq(vclock_ticks(&c, 2012), 1257);
	ck_assert_uint_eq(vclock_ticks(&c, 2013), 1258);
}
END_TEST

START_TEST(test_vclock_ticks_cpu_slower_than_timebase)
{
	struct vclock c = mk(10000000, 62500000); /* 6.25 ticks per cycle */

	ck_assert_uint_eq(vclock_ticks(&c, 9), 56);
	ck_assert_uint_eq(vclock_ticks(&c, 2013), 12581);
}
END_TEST

START_TEST(test_vclock_ticks_no_overflow_at_huge_cycles)
{
	struct vclock c = mk(3000000000ull, 2000000000ull);

	/* floor((2^64 - 1) * 2 / 3): needs the 128-bit product */
	ck_assert_uint_eq(vclock_ticks(&c, UINT64_MAX), 12297829382473034410ull);
}
END_TEST

START_TEST(test_vclock_ticks_wraps_with_offset)
{
	struct vclock c = mk(1000, 1000);

	c.offset = UINT64_MAX - 1;
	ck_assert_uint_eq(vclock_ticks(&c, 1), UINT64_MAX);
	ck_assert_uint_eq(vclock_ticks(&c, 2), 0);
	ck_assert_uint_eq(vclock_ticks(&c, 5), 3);
}
END_TEST

/*
 * cycle_for_ticks(k) is the first cycle c with floor(c*T/F) >= k: check it
 * against brute force for many frequency pairs, whole and fractional ratios.
 */
/* A counter write moves the value, not the tick boundaries (an mtime write). */
START_TEST(test_vclock_set_ticks)
{
	struct vclock c;

	ck_assert_int_eq(vclock_init(&c, 8, 5), 0); /* ticks at cycles 0, 2, 4, 5, 7, 8, ... */
	vclock_set_ticks(&c, 3, 100);               /* floor(3 * 5/8) = 1 */
	ck_assert_uint_eq(vclock_ticks(&c, 3), 100);
	ck_assert_uint_eq(vclock_ticks(&c, 4), 101); /* the boundary at cycle 4 stays */
	ck_assert_uint_eq(vclock_ticks(&c, 5), 102);
	ck_assert_uint_eq(vclock_ticks(&c, 6), 102);
	vclock_set_ticks(&c, 8, UINT64_MAX);        /* and wraps like any offset */
	ck_assert_uint_eq(vclock_ticks(&c, 8), UINT64_MAX);
	ck_assert_uint_eq(vclock_ticks(&c, 10), 0);
}
END_TEST

START_TEST(test_vclock_cycle_for_ticks_first_boundary)
{
	static const uint64_t pairs[][2] = {
		{ 1000000000, 10000000 }, { 100000000, 62500000 }, { 10000000, 62500000 },
		{ 3000000000ull, 10000000 }, { 24000000, 1000000000 }, { 7, 3 }, { 3, 7 },
		{ 2000000000, 2000000000 }, { 1000000007, 999999937 },
	};
	size_t p;

	for (p = 0; p < sizeof(pairs) / sizeof(pairs[0]); p++) {
		struct vclock c = mk(pairs[p][0], pairs[p][1]);
		uint64_t k;

		for (k = 0; k < 400; k++) {
			uint64_t cyc = vclock_cycle_for_ticks(&c, k);

			ck_assert_msg(vclock_ticks(&c, cyc) >= k, "F=%llu T=%llu k=%llu: too early",
				      (unsigned long long)pairs[p][0], (unsigned long long)pairs[p][1],
				      (unsigned long long)k);
			ck_assert_msg(cyc == 0 || vclock_ticks(&c, cyc - 1) < k, "F=%llu T=%llu k=%llu: too late",
				      (unsigned long long)pairs[p][0], (unsigned long long)pairs[p][1],
				      (unsigned long long)k);
		}
	}
}
END_TEST

START_TEST(test_vclock_cycle_for_ticks_saturates)
{
	struct vclock c = mk(1000000000, 10000000); /* 100 cycles per tick */

	ck_assert_uint_eq(vclock_cycle_for_ticks(&c, UINT64_MAX), VCLOCK_NEVER);
	ck_assert_uint_eq(vclock_cycle_for_ticks(&c, UINT64_MAX / 100), (UINT64_MAX / 100) * 100);
	ck_assert_uint_eq(vclock_cycle_for_ticks(&c, UINT64_MAX / 100 + 1), VCLOCK_NEVER);
}
END_TEST

START_TEST(test_vclock_cycle_for_counter)
{
	struct vclock c = mk(1000, 100); /* 10 cycles per tick */

	ck_assert_uint_eq(vclock_cycle_for_counter(&c, 0, 0), 0);
	ck_assert_uint_eq(vclock_cycle_for_counter(&c, 0, 5), 50);
	ck_assert_uint_eq(vclock_cycle_for_counter(&c, 55, 5), 55);   /* already reached */
	ck_assert_uint_eq(vclock_cycle_for_counter(&c, 55, 6), 60);
	c.offset = UINT64_MAX - 2;                                     /* counter near the top */
	ck_assert_uint_eq(vclock_cycle_for_counter(&c, 0, UINT64_MAX), 20);
	ck_assert_uint_eq(vclock_cycle_for_counter(&c, 25, 3), 25);    /* counter is 2^64-1 >= 3 */
}
END_TEST

/*
 * vclock_cycle_after: the first cycle at which the counter is d ticks past
 * its value at `now`, for every F/T pair the Sstc suite uses and more
 * (F < T, T above 1 GHz, ratios that are not whole numbers), checked by
 * brute force: that cycle reaches d, the one before does not.
 */
START_TEST(test_vclock_cycle_after_exact)
{
	static const uint64_t hz[][2] = { { 1000000000, 10000000 }, { 1000000000, 3000000 }, { 1000000000, 24000000 },
					  { 1000000000, 2000000000 }, { 1000000, 10000000 }, { 62500000, 24000000 },
					  { 7000000, 3000000000u }, { 3, 7 }, { 1000000007, 999999937 } };

	for (unsigned i = 0; i < sizeof(hz) / sizeof(hz[0]); i++) {
		struct vclock clk;

		ck_assert_int_eq(vclock_init(&clk, hz[i][0], hz[i][1]), 0);
		clk.offset = 0xfffffffffffff000ull; /* the counter wraps on the way: no matter */
		for (uint64_t now = 0; now < 3000; now += 97)
			for (uint64_t d = 1; d < 5000; d += 13) {
				uint64_t c = vclock_cycle_after(&clk, now, d);
				uint64_t t0 = vclock_ticks(&clk, now);

				ck_assert_uint_gt(c, now);
				ck_assert_uint_ge(vclock_ticks(&clk, c) - t0, d);
				ck_assert_uint_lt(vclock_ticks(&clk, c - 1) - t0, d);
			}
	}
}
END_TEST

/* Horizons up to 2^64 - 1 ticks never overflow: they saturate to VCLOCK_NEVER or fit. */
START_TEST(test_vclock_cycle_after_huge)
{
	struct vclock clk;

	ck_assert_int_eq(vclock_init(&clk, 1000000000, 10000000), 0);
	ck_assert_uint_eq(vclock_cycle_after(&clk, 0, 1ull << 63), VCLOCK_NEVER); /* 2^63 * 100 cycles */
	ck_assert_uint_eq(vclock_cycle_after(&clk, 0, UINT64_MAX), VCLOCK_NEVER);
	ck_assert_uint_eq(vclock_cycle_after(&clk, 100, 1ull << 50), 100 + (1ull << 50) * 100);
	ck_assert_int_eq(vclock_init(&clk, 1000000, 3000000000u), 0);
	ck_assert_uint_eq(vclock_cycle_after(&clk, 0, UINT64_MAX), 6148914691236518); /* ceil((2^64-1)/3000) */
	ck_assert_int_eq(vclock_init(&clk, 1, 1), 0);
	ck_assert_uint_eq(vclock_cycle_after(&clk, UINT64_MAX - 5, UINT64_MAX), VCLOCK_NEVER);
}
END_TEST

START_TEST(test_vclock_ns_conversions)
{
	struct vclock c = mk(3000000000ull, 10000000); /* 3 GHz */

	ck_assert_uint_eq(vclock_ns(&c, 3000), 1000);
	ck_assert_uint_eq(vclock_ns(&c, 2999), 999);
	ck_assert_uint_eq(vclock_cycle_for_ns(&c, 1), 3);
	c = mk(24000000, 10000000); /* 24 MHz: 41.67 ns per cycle */
	ck_assert_uint_eq(vclock_cycle_for_ns(&c, 1000), 24);
	ck_assert_uint_eq(vclock_cycle_for_ns(&c, 42), 2); /* ceil(1.008) */
	ck_assert_uint_eq(vclock_cycle_for_ns(&c, UINT64_MAX), 442721857769029239ull);
}
END_TEST

TCase *clock_tcase(void)
{
	TCase *tc = tcase_create("clock");

	tcase_add_test(tc, test_vclock_init_rejects_zero);
	tcase_add_test(tc, test_vclock_ticks_ratio_5_8);
	tcase_add_test(tc, test_vclock_ticks_cpu_slower_than_timebase);
	tcase_add_test(tc, test_vclock_ticks_no_overflow_at_huge_cycles);
	tcase_add_test(tc, test_vclock_ticks_wraps_with_offset);
	tcase_add_test(tc, test_vclock_set_ticks);
	tcase_add_test(tc, test_vclock_cycle_for_ticks_first_boundary);
	tcase_add_test(tc, test_vclock_cycle_for_ticks_saturates);
	tcase_add_test(tc, test_vclock_cycle_for_counter);
	tcase_add_test(tc, test_vclock_ns_conversions);
	tcase_add_test(tc, test_vclock_cycle_after_exact);
	tcase_add_test(tc, test_vclock_cycle_after_huge);
	return tc;
}
