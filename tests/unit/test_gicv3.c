/* SPDX-License-Identifier: MIT */
/*
 * The GICv3 model (models/gicv3): the identification registers a driver
 * probes, pending/enable/active, priority and the priority mask, preemption
 * through the running priority and the binary point, EOImode, SGI
 * targeting, level and edge inputs, and the redistributor's sleep gate.
 * Each expected value is the GIC architecture specification's (IHI 0069).
 */
#include <check.h>

#include "gicv3.h"
#include "suites.h"

static struct gicv3 g;

static void wr(uint64_t off, uint32_t v)
{
	gicv3_dist_access(&g, off, 4, v, true);
}

static uint32_t rd(uint64_t off)
{
	return (uint32_t)gicv3_dist_access(&g, off, 4, 0, false);
}

static void rwr(int cpu, uint64_t off, uint32_t v)
{
	gicv3_redist_access(&g, cpu, off, 4, v, true);
}

/* A driver's set-up: every INTID in Group 1 and enabled, CPUs awake, PMR 0xf0, Group 1 on. */
static void driver_init(int ncpus)
{
	int c, n;

	gicv3_reset(&g, ncpus);
	for (n = 1; n < 32; n++) {
		wr(0x80 + 4 * n, ~0u);
		wr(0x100 + 4 * n, ~0u);
	}
	wr(0, 2);
	for (c = 0; c < ncpus; c++) {
		rwr(c, 0x14, 0);
		rwr(c, 0x10080, ~0u);
		rwr(c, 0x10100, ~0u);
		gicv3_icc_write(&g, c, ICC_PMR, 0xf0);
		gicv3_icc_write(&g, c, ICC_IGRPEN1, 1);
	}
}

START_TEST(test_gic_id_registers)
{
	gicv3_reset(&g, 4);
	ck_assert_uint_eq(rd(0xffe8) >> 4 & 0xf, 3);            /* GICD_PIDR2.ArchRev: GICv3 */
	ck_assert_uint_eq(rd(0x4) & 0x1f, 31);                   /* ITLinesNumber: 1024 INTIDs */
	ck_assert_uint_eq(rd(0x4) >> 19 & 0x1f, 9);              /* IDbits: 10 bits */
	ck_assert_uint_eq(rd(0x4) >> 10 & 1, 0);                 /* SecurityExtn: one Security state */
	ck_assert_uint_eq(rd(0x0) & 0x50, 0x50);                 /* ARE and DS read as one */
	ck_assert_uint_eq(gicv3_redist_access(&g, 2, 0x8, 8, 0, false), (2ull << 32) | (2u << 8));
	ck_assert_uint_eq(gicv3_redist_access(&g, 3, 0x8, 8, 0, false) & 0x10, 0x10); /* Last */
	ck_assert_uint_eq(gicv3_redist_access(&g, 0, 0x14, 4, 0, false), 6);    /* asleep at reset */
	ck_assert_uint_eq(gicv3_redist_access(&g, 0, 0xffe8, 4, 0, false) >> 4 & 0xf, 3);
	ck_assert_uint_eq(gicv3_icc_read(&g, 0, ICC_CTLR) >> 8 & 7, 4); /* PRIbits: 5 bits */
	ck_assert_uint_eq(gicv3_icc_read(&g, 0, ICC_SRE), 7);
	ck_assert_uint_eq(gicv3_redist_access(&g, 0, 0x10c00, 4, 0, false), 0xaaaaaaaau); /* SGIs edge */
}
END_TEST

/* Pending, enabled and the group gate; IAR acknowledges, EOI ends (EOImode 0). */
START_TEST(test_gic_ack_eoi)
{
	driver_init(1);
	ck_assert_uint_eq(gicv3_outputs(&g, 0), 0);
	wr(0x200 + 4, 1u << 8); /* GICD_ISPENDR1: SPI 40 */
	ck_assert_uint_eq(gicv3_outputs(&g, 0), GIC_OUT_IRQ);
	ck_assert_uint_eq(gicv3_icc_read(&g, 0, ICC_HPPIR1), 40);
	ck_assert_uint_eq(gicv3_icc_read(&g, 0, ICC_IAR1), 40);
	ck_assert_uint_eq(rd(0x300 + 4), 1u << 8);               /* active */
	ck_assert_uint_eq(rd(0x200 + 4), 0);                     /* no longer pending */
	ck_assert_uint_eq(gicv3_icc_read(&g, 0, ICC_RPR), 0);    /* running at its priority */
	ck_assert_uint_eq(gicv3_outputs(&g, 0), 0);
	ck_assert_uint_eq(gicv3_icc_read(&g, 0, ICC_IAR1), GIC_SPURIOUS);
	gicv3_icc_write(&g, 0, ICC_EOIR1, 40);
	ck_assert_uint_eq(rd(0x300 + 4), 0);
	ck_assert_uint_eq(gicv3_icc_read(&g, 0, ICC_RPR), 0xff); /* idle */
	/* a disabled INTID stays pending without signalling */
	wr(0x180 + 4, 1u << 9);
	wr(0x200 + 4, 1u << 9);
	ck_assert_uint_eq(gicv3_outputs(&g, 0), 0);
	wr(0x100 + 4, 1u << 9);
	ck_assert_uint_eq(gicv3_outputs(&g, 0), GIC_OUT_IRQ);
	/* Group 1 off at the CPU interface, then at the distributor */
	gicv3_icc_write(&g, 0, ICC_IGRPEN1, 0);
	ck_assert_uint_eq(gicv3_outputs(&g, 0), 0);
	gicv3_icc_write(&g, 0, ICC_IGRPEN1, 1);
	wr(0, 0);
	ck_assert_uint_eq(gicv3_outputs(&g, 0), 0);
}
END_TEST

/* Priority, the priority mask and preemption with the binary point. */
START_TEST(test_gic_priority_preemption)
{
	driver_init(1);
	gicv3_dist_access(&g, 0x400 + 40, 1, 0x80, true);
	gicv3_dist_access(&g, 0x400 + 41, 1, 0x40, true);
	gicv3_dist_access(&g, 0x400 + 42, 1, 0x47, true); /* 5 bits: reads 0x40 */
	ck_assert_uint_eq(gicv3_dist_access(&g, 0x400 + 42, 1, 0, false), 0x40);
	gicv3_set_pending(&g, 0, 40, true);
	gicv3_set_pending(&g, 0, 41, true);
	ck_assert_uint_eq(gicv3_icc_read(&g, 0, ICC_IAR1), 41);  /* the higher priority first */
	/* running at 0x40: 40 (0x80) cannot preempt */
	ck_assert_uint_eq(gicv3_outputs(&g, 0), 0);
	gicv3_set_pending(&g, 0, 42, true);                      /* same priority: no preemption */
	ck_assert_uint_eq(gicv3_outputs(&g, 0), 0);
	gicv3_set_pending(&g, 0, 42, false);
	gicv3_icc_write(&g, 0, ICC_EOIR1, 41);
	ck_assert_uint_eq(gicv3_outputs(&g, 0), GIC_OUT_IRQ);
	/* PMR 0x80: priority 0x80 is masked (it must be strictly higher) */
	gicv3_icc_write(&g, 0, ICC_PMR, 0x80);
	ck_assert_uint_eq(gicv3_outputs(&g, 0), 0);
	ck_assert_uint_eq(gicv3_icc_read(&g, 0, ICC_IAR1), GIC_SPURIOUS);
	gicv3_icc_write(&g, 0, ICC_PMR, 0xff);
	ck_assert_uint_eq(gicv3_icc_read(&g, 0, ICC_PMR), 0xf8);
	/* BPR1 = 7: the group priority is bit 7 alone; 0x80 cannot preempt 0x88 */
	gicv3_dist_access(&g, 0x400 + 40, 1, 0x88, true);
	gicv3_dist_access(&g, 0x400 + 41, 1, 0x80, true);
	gicv3_icc_write(&g, 0, ICC_BPR1, 7);
	ck_assert_uint_eq(gicv3_icc_read(&g, 0, ICC_IAR1), 40);
	ck_assert_uint_eq(gicv3_icc_read(&g, 0, ICC_RPR), 0x80);
	gicv3_set_pending(&g, 0, 41, true);
	ck_assert_uint_eq(gicv3_outputs(&g, 0), 0);
	gicv3_icc_write(&g, 0, ICC_BPR1, 0);                     /* below the minimum: 3 */
	ck_assert_uint_eq(gicv3_icc_read(&g, 0, ICC_BPR1), 3);
	ck_assert_uint_eq(gicv3_outputs(&g, 0), 0);              /* the running priority stays 0x80 */
	gicv3_icc_write(&g, 0, ICC_AP1R0, 0);
	ck_assert_uint_eq(gicv3_outputs(&g, 0), GIC_OUT_IRQ);
}
END_TEST

/* EOImode 1: EOIR drops the priority only, DIR deactivates. */
START_TEST(test_gic_eoimode)
{
	driver_init(1);
	gicv3_icc_write(&g, 0, ICC_CTLR, 2);
	gicv3_set_pending(&g, 0, 33, true);
	ck_assert_uint_eq(gicv3_icc_read(&g, 0, ICC_IAR1), 33);
	gicv3_icc_write(&g, 0, ICC_EOIR1, 33);
	ck_assert_uint_eq(gicv3_icc_read(&g, 0, ICC_RPR), 0xff);
	ck_assert_uint_eq(rd(0x300 + 4), 2);                     /* still active */
	gicv3_set_pending(&g, 0, 33, true);
	ck_assert_uint_eq(gicv3_outputs(&g, 0), 0);              /* active and pending: not again */
	gicv3_icc_write(&g, 0, ICC_DIR, 33);
	ck_assert_uint_eq(rd(0x300 + 4), 0);
	ck_assert_uint_eq(gicv3_outputs(&g, 0), GIC_OUT_IRQ);
}
END_TEST

/* SGIs: target list, IRM (all but self), Aff1 mismatch, the target's group. */
START_TEST(test_gic_sgi)
{
	driver_init(4);
	gicv3_icc_write(&g, 0, ICC_SGI1R, (5ull << 24) | 0x6); /* CPUs 1 and 2 */
	ck_assert_uint_eq(gicv3_hppi(&g, 1), 5);
	ck_assert_uint_eq(gicv3_hppi(&g, 2), 5);
	ck_assert_uint_eq(gicv3_hppi(&g, 0), GIC_SPURIOUS);
	ck_assert_uint_eq(gicv3_hppi(&g, 3), GIC_SPURIOUS);
	gicv3_icc_write(&g, 3, ICC_SGI1R, (7ull << 24) | (1ull << 40));
	ck_assert_uint_eq(gicv3_hppi(&g, 0), 7);
	ck_assert_uint_eq(gicv3_hppi(&g, 3), GIC_SPURIOUS);
	gicv3_icc_write(&g, 0, ICC_SGI1R, (9ull << 24) | (1ull << 16) | 0x8); /* Aff1 = 1: nobody */
	ck_assert_uint_eq(gicv3_hppi(&g, 3), GIC_SPURIOUS);
	rwr(3, 0x10080, 0);                                    /* CPU 3's SGIs in Group 0 */
	gicv3_icc_write(&g, 0, ICC_SGI1R, (9ull << 24) | 0x8);
	ck_assert_uint_eq(gicv3_hppi(&g, 3), GIC_SPURIOUS);
	gicv3_icc_write(&g, 0, ICC_SGI0R, (9ull << 24) | 0x8);
	gicv3_icc_write(&g, 3, ICC_IGRPEN0, 1);
	wr(0, 3);
	ck_assert_uint_eq(gicv3_outputs(&g, 3), GIC_OUT_FIQ);  /* Group 0 is FIQ */
	ck_assert_uint_eq(gicv3_icc_read(&g, 3, ICC_IAR1), GIC_SPURIOUS);
	ck_assert_uint_eq(gicv3_icc_read(&g, 3, ICC_IAR0), 9);
}
END_TEST

/* Level-sensitive PPIs follow their input; edge-triggered ones latch a rising edge. */
START_TEST(test_gic_level_edge)
{
	driver_init(1);
	gicv3_set_level(&g, 0, 27, true);
	ck_assert_uint_eq(gicv3_icc_read(&g, 0, ICC_IAR1), 27);
	ck_assert_uint_eq(gicv3_redist_access(&g, 0, 0x10200, 4, 0, false), 1u << 27); /* active and pending */
	gicv3_icc_write(&g, 0, ICC_EOIR1, 27);
	ck_assert_uint_eq(gicv3_outputs(&g, 0), GIC_OUT_IRQ);    /* the level is still high */
	rwr(0, 0x10280, 1u << 27);                             /* ICPENDR cannot clear a high level */
	ck_assert_uint_eq(gicv3_outputs(&g, 0), GIC_OUT_IRQ);
	gicv3_set_level(&g, 0, 27, false);
	ck_assert_uint_eq(gicv3_outputs(&g, 0), 0);
	rwr(0, 0x10c04, 2u << 22);                             /* PPI 27 edge-triggered */
	gicv3_set_level(&g, 0, 27, true);
	ck_assert_uint_eq(gicv3_icc_read(&g, 0, ICC_IAR1), 27);
	gicv3_icc_write(&g, 0, ICC_EOIR1, 27);
	ck_assert_uint_eq(gicv3_outputs(&g, 0), 0);              /* one edge, one interrupt */
}
END_TEST

/* Routing and the sleep gate. */
START_TEST(test_gic_routing_sleep)
{
	driver_init(2);
	gicv3_dist_access(&g, 0x6000 + 8 * 50, 8, 1, true);
	gicv3_set_pending(&g, 0, 50, true);
	ck_assert_uint_eq(gicv3_outputs(&g, 0), 0);
	ck_assert_uint_eq(gicv3_outputs(&g, 1), GIC_OUT_IRQ);
	rwr(1, 0x14, 2);                                       /* CPU 1 asleep */
	ck_assert_uint_eq(gicv3_outputs(&g, 1), 0);
	gicv3_dist_access(&g, 0x6000 + 8 * 50, 8, 0x100, true); /* Aff1 = 1: no such CPU */
	rwr(1, 0x14, 0);
	ck_assert_uint_eq(gicv3_outputs(&g, 1), 0);
	ck_assert_uint_eq(gicv3_outputs(&g, 0), 0);
	ck_assert_uint_eq(gicv3_dist_access(&g, 0x6000 + 8 * 50, 8, 1ull << 31, true), 0); /* IRM: RAZ/WI */
}
END_TEST

TCase *gicv3_tcase(void)
{
	TCase *tc = tcase_create("gicv3");

	tcase_add_test(tc, test_gic_id_registers);
	tcase_add_test(tc, test_gic_ack_eoi);
	tcase_add_test(tc, test_gic_priority_preemption);
	tcase_add_test(tc, test_gic_eoimode);
	tcase_add_test(tc, test_gic_sgi);
	tcase_add_test(tc, test_gic_level_edge);
	tcase_add_test(tc, test_gic_routing_sleep);
	return tc;
}
