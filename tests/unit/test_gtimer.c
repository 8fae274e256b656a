/* SPDX-License-Identifier: MIT */
/*
 * The generic timer model (models/gtimer): the Arm ARM's timer condition,
 * TVAL's 32-bit signed view, CNTVOFF, the EL0 access rules, and the edges
 * around the 64-bit wrap: the arm64 twin of the Sstc overflow suite.
 */
#include <check.h>

#include "gtimer.h"
#include "suites.h"

#define MAX UINT64_MAX

static struct gtimer armed(enum gt_timer t, uint64_t cval)
{
	struct gtimer g;

	gtimer_reset(&g, 62500000);
	g.cval[t] = cval;
	g.ctl[t] = GT_CTL_ENABLE;
	return g;
}

/* CVAL = 2^64 - 1: met for the single tick the count is 2^64 - 1, and falls at the wrap. */
START_TEST(test_gtimer_cval_max)
{
	struct gtimer g = armed(GT_PHYS, MAX);
	uint64_t d;

	ck_assert(!gtimer_level(&g, GT_PHYS, MAX - 2));
	ck_assert(gtimer_next_change(&g, GT_PHYS, MAX - 2, &d));
	ck_assert_uint_eq(d, 2);
	ck_assert(gtimer_level(&g, GT_PHYS, MAX));
	ck_assert(gtimer_next_change(&g, GT_PHYS, MAX, &d));
	ck_assert_uint_eq(d, 1);
	ck_assert(!gtimer_level(&g, GT_PHYS, 0));
	ck_assert(gtimer_next_change(&g, GT_PHYS, 0, &d));
	ck_assert_uint_eq(d, MAX);
}
END_TEST

/* Armed with a small CVAL while the count wraps: met until the wrap, then CVAL ticks later. */
START_TEST(test_gtimer_count_wraps_armed)
{
	struct gtimer g = armed(GT_PHYS, 5);
	uint64_t d;

	ck_assert(gtimer_level(&g, GT_PHYS, MAX - 1));
	ck_assert(gtimer_next_change(&g, GT_PHYS, MAX - 1, &d));
	ck_assert_uint_eq(d, 2);
	ck_assert(!gtimer_level(&g, GT_PHYS, 0));
	ck_assert(gtimer_next_change(&g, GT_PHYS, 0, &d));
	ck_assert_uint_eq(d, 5);
	ck_assert(gtimer_level(&g, GT_PHYS, 5));
}
END_TEST

/* CVAL in the past: ISTATUS at once; and CVAL = count 0 met at 0 changes only 2^64 ticks on. */
START_TEST(test_gtimer_cval_past)
{
	struct gtimer g = armed(GT_PHYS, 100);
	uint64_t d;

	ck_assert_uint_eq(gtimer_read(&g, GT_CNTP_CTL, 200), GT_CTL_ENABLE | GT_CTL_ISTATUS);
	ck_assert(gtimer_level(&g, GT_PHYS, 200));
	g.cval[GT_PHYS] = 0;
	ck_assert(gtimer_level(&g, GT_PHYS, 0));
	ck_assert(!gtimer_next_change(&g, GT_PHYS, 0, &d));
}
END_TEST

/* TVAL: the low 32 bits of CVAL - count read back, upper bits zero; writes sign-extend. */
START_TEST(test_gtimer_tval)
{
	struct gtimer g = armed(GT_VIRT, 0);

	ck_assert(gtimer_write(&g, GT_CNTV_TVAL, 0xffffffff, 1000)); /* -1 */
	ck_assert_uint_eq(g.cval[GT_VIRT], 999);
	ck_assert_uint_eq(gtimer_read(&g, GT_CNTV_TVAL, 1000), 0xffffffffull);
	ck_assert(gtimer_level(&g, GT_VIRT, 1000));
	gtimer_write(&g, GT_CNTV_TVAL, 0, 1000);
	ck_assert_uint_eq(g.cval[GT_VIRT], 1000);
	ck_assert(gtimer_level(&g, GT_VIRT, 1000)); /* >=: met at once */
	gtimer_write(&g, GT_CNTV_TVAL, 0x7fffffff, 1000);
	ck_assert_uint_eq(g.cval[GT_VIRT], 1000 + 0x7fffffffull);
	ck_assert_uint_eq(gtimer_read(&g, GT_CNTV_TVAL, 1001), 0x7ffffffeull);
	gtimer_write(&g, GT_CNTV_TVAL, 0x80000000, 1ull << 40); /* -2^31 */
	ck_assert_uint_eq(g.cval[GT_VIRT], (1ull << 40) - 0x80000000ull);
	ck_assert_uint_eq(gtimer_read(&g, GT_CNTV_TVAL, 1ull << 40), 0x80000000ull);
	gtimer_write(&g, GT_CNTV_TVAL, 0xdeadbeef00000005ull, 7); /* bits 63:32 ignored */
	ck_assert_uint_eq(g.cval[GT_VIRT], 12);
	/* more than 2^32 ticks away: TVAL shows only the low 32 bits */
	g.cval[GT_VIRT] = (1ull << 33) + 3;
	ck_assert_uint_eq(gtimer_read(&g, GT_CNTV_TVAL, 0), 3);
	/* a TVAL write near the top wraps CVAL past 2^64 */
	gtimer_write(&g, GT_CNTV_TVAL, 10, MAX - 4);
	ck_assert_uint_eq(g.cval[GT_VIRT], 5);
	ck_assert(gtimer_level(&g, GT_VIRT, MAX - 4)); /* unsigned: already met, as Sstc's wrapped comparand */
}
END_TEST

/* CNTVOFF above the physical count: the virtual count wraps while the physical one does not. */
START_TEST(test_gtimer_cntvoff_wrap)
{
	struct gtimer g = armed(GT_VIRT, 10);
	uint64_t d;

	g.cntvoff = 100;
	g.ctl[GT_PHYS] = GT_CTL_ENABLE;
	g.cval[GT_PHYS] = 60;
	ck_assert_uint_eq(gtimer_read(&g, GT_CNTVCT, 50), MAX - 49);
	ck_assert(gtimer_level(&g, GT_VIRT, 50));
	ck_assert(gtimer_next_change(&g, GT_VIRT, 50, &d));
	ck_assert_uint_eq(d, 50); /* the virtual count wraps at physical 100 */
	ck_assert(!gtimer_level(&g, GT_VIRT, 100));
	ck_assert(gtimer_next_change(&g, GT_VIRT, 100, &d));
	ck_assert_uint_eq(d, 10);
	ck_assert(!gtimer_level(&g, GT_PHYS, 50));
	ck_assert(gtimer_next_change(&g, GT_PHYS, 50, &d));
	ck_assert_uint_eq(d, 10);
}
END_TEST

/* ENABLE and IMASK toggled while the condition holds. */
START_TEST(test_gtimer_enable_imask)
{
	struct gtimer g = armed(GT_PHYS, 10);
	uint64_t d;

	gtimer_write(&g, GT_CNTP_CTL, GT_CTL_ENABLE | GT_CTL_IMASK | GT_CTL_ISTATUS, 20); /* ISTATUS is read-only */
	ck_assert_uint_eq(g.ctl[GT_PHYS], GT_CTL_ENABLE | GT_CTL_IMASK);
	ck_assert_uint_eq(gtimer_read(&g, GT_CNTP_CTL, 20), GT_CTL_ENABLE | GT_CTL_IMASK | GT_CTL_ISTATUS);
	ck_assert(!gtimer_level(&g, GT_PHYS, 20));
	ck_assert(!gtimer_next_change(&g, GT_PHYS, 20, &d));
	gtimer_write(&g, GT_CNTP_CTL, GT_CTL_ENABLE, 20);
	ck_assert(gtimer_level(&g, GT_PHYS, 20));
	gtimer_write(&g, GT_CNTP_CTL, 0, 20);
	ck_assert_uint_eq(gtimer_read(&g, GT_CNTP_CTL, 20), 0); /* ISTATUS reads 0 while disabled */
	ck_assert(!gtimer_level(&g, GT_PHYS, 20));
	ck_assert(!gtimer_next_change(&g, GT_PHYS, 5, &d));
}
END_TEST

/* EL0 access under CNTKCTL_EL1; read-only registers; the frequency; the digest. */
START_TEST(test_gtimer_el0_and_registers)
{
	struct gtimer g, h;

	gtimer_reset(&g, 3000000);
	ck_assert_uint_eq(gtimer_read(&g, GT_CNTFRQ, 0), 3000000);
	for (int r = 0; r < GT_NREGS; r++)
		ck_assert(!gtimer_el0_ok(&g, (enum gt_reg)r));
	gtimer_write(&g, GT_CNTKCTL, GT_KCTL_EL0PCTEN | GT_KCTL_EL0VTEN | 0xfffff000u, 0);
	ck_assert_uint_eq(g.cntkctl, GT_KCTL_EL0PCTEN | GT_KCTL_EL0VTEN);
	ck_assert(gtimer_el0_ok(&g, GT_CNTFRQ) && gtimer_el0_ok(&g, GT_CNTPCT) && !gtimer_el0_ok(&g, GT_CNTVCT));
	ck_assert(gtimer_el0_ok(&g, GT_CNTV_CTL) && gtimer_el0_ok(&g, GT_CNTV_TVAL) && !gtimer_el0_ok(&g, GT_CNTP_CVAL));
	ck_assert(!gtimer_el0_ok(&g, GT_CNTKCTL) && !gtimer_el0_ok(&g, GT_CNTVOFF));
	ck_assert(!gtimer_write(&g, GT_CNTPCT, 5, 0));
	ck_assert(!gtimer_write(&g, GT_CNTVCT, 5, 0));
	h = g;
	ck_assert_uint_eq(gtimer_digest(&g), gtimer_digest(&h));
	h.cval[GT_VIRT] = 1;
	ck_assert_uint_ne(gtimer_digest(&g), gtimer_digest(&h));
}
END_TEST

TCase *gtimer_tcase(void)
{
	TCase *tc = tcase_create("gtimer");

	tcase_add_test(tc, test_gtimer_cval_max);
	tcase_add_test(tc, test_gtimer_count_wraps_armed);
	tcase_add_test(tc, test_gtimer_cval_past);
	tcase_add_test(tc, test_gtimer_tval);
	tcase_add_test(tc, test_gtimer_cntvoff_wrap);
	tcase_add_test(tc, test_gtimer_enable_imask);
	tcase_add_test(tc, test_gtimer_el0_and_registers);
	return tc;
}
