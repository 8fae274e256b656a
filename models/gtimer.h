/* SPDX-License-Identifier: MIT */
/*
 * The Arm generic timer's EL1 timers (Arm ARM, "The Generic Timer in
 * AArch64 state", D11 in DDI 0487): the physical timer (CNTP_*_EL0) and the
 * virtual timer (CNTV_*_EL0), CNTVOFF_EL2, CNTKCTL_EL1 and CNTFRQ_EL0, as a
 * pure model in the tick domain.  The caller gives the physical count
 * (CNTPCT_EL0) at each call; nothing here knows about nanoseconds or host
 * time.
 *
 *   virtual count      CNTVCT = (CNTPCT - CNTVOFF) mod 2^64
 *   condition met      UInt(count - offset) >= UInt(CVAL)     (the ARM's
 *                      IsTimerConditionMet(): an unsigned compare of the
 *                      timer's own count, offset 0 for the physical timer)
 *   ISTATUS            ENABLE && condition met
 *   interrupt level    ENABLE && condition met && !IMASK
 *   TVAL read          (CVAL - count)[31:0], bits 63:32 RES0 (zero)
 *   TVAL write         CVAL = count + SignExtend(TVAL[31:0], 64)
 *
 * The count - offset and CVAL comparison wraps: after the timer's count
 * passes 2^64 - 1 it starts again at 0 and the condition is no longer met
 * until it reaches CVAL again.  gtimer_next_change() gives the distance to
 * the next change of the interrupt level in ticks, or none.
 *
 * Choices where the architecture leaves one (each has a unit test):
 *  - Reset: CTL = 0 (ENABLE 0, IMASK 0), CVAL = 0, CNTVOFF = 0,
 *    CNTKCTL = 0 (no EL0 access).  The architecture leaves CVAL and the
 *    enables UNKNOWN at reset; zero is QEMU's choice too.
 *  - ISTATUS reads 0 while ENABLE is 0 (architecturally UNKNOWN; QEMU reads
 *    0), and TVAL reads follow the formula whatever ENABLE is (UNKNOWN when
 *    disabled; QEMU computes it).
 */
#ifndef HYPSIM_GTIMER_H
#define HYPSIM_GTIMER_H

#include <stdbool.h>
#include <stdint.h>

#define GT_CTL_ENABLE (1u << 0)
#define GT_CTL_IMASK (1u << 1)
#define GT_CTL_ISTATUS (1u << 2)

/* CNTKCTL_EL1 EL0 access bits (Arm ARM D13, CNTKCTL_EL1). */
#define GT_KCTL_EL0PCTEN (1u << 0) /* CNTPCT_EL0 (and CNTFRQ_EL0) */
#define GT_KCTL_EL0VCTEN (1u << 1) /* CNTVCT_EL0 (and CNTFRQ_EL0) */
#define GT_KCTL_EL0VTEN (1u << 8)  /* CNTV_CTL/CVAL/TVAL_EL0 */
#define GT_KCTL_EL0PTEN (1u << 9)  /* CNTP_CTL/CVAL/TVAL_EL0 */
#define GT_KCTL_MASK 0x3ffu        /* EVNTI, EVNTDIR, EVNTEN and the enables */

enum gt_timer { GT_PHYS, GT_VIRT, GT_NTIMERS };

/* The registers an access can name (the EL0 names of both timers, the counters, the controls). */
enum gt_reg {
	GT_CNTFRQ, GT_CNTPCT, GT_CNTVCT, GT_CNTKCTL, GT_CNTVOFF,
	GT_CNTP_CTL, GT_CNTP_CVAL, GT_CNTP_TVAL, GT_CNTV_CTL, GT_CNTV_CVAL, GT_CNTV_TVAL,
	GT_NREGS
};

struct gtimer {
	uint32_t ctl[GT_NTIMERS]; /* ENABLE and IMASK; ISTATUS is computed */
	uint64_t cval[GT_NTIMERS];
	uint64_t cntvoff;
	uint32_t cntkctl;
	uint64_t cntfrq;
};

/** gtimer_reset() - the reset values above, with CNTFRQ_EL0 = @freq_hz. */
void gtimer_reset(struct gtimer *g, uint64_t freq_hz);

/** gtimer_count() - the timer's own count at physical count @cntpct: CNTPCT or CNTVCT. */
uint64_t gtimer_count(const struct gtimer *g, enum gt_timer t, uint64_t cntpct);
/** gtimer_met() - the timer condition (before ENABLE and IMASK). */
bool gtimer_met(const struct gtimer *g, enum gt_timer t, uint64_t cntpct);
/** gtimer_level() - the interrupt output: ENABLE && met && !IMASK. */
bool gtimer_level(const struct gtimer *g, enum gt_timer t, uint64_t cntpct);

/**
 * gtimer_read() - an MRS of @reg at physical count @cntpct; gtimer_write() an
 * MSR (read-only registers and fields ignore writes; CTL.ISTATUS is read-only).
 * Return: the value read; gtimer_write() returns false for a read-only register.
 */
uint64_t gtimer_read(const struct gtimer *g, enum gt_reg reg, uint64_t cntpct);
bool gtimer_write(struct gtimer *g, enum gt_reg reg, uint64_t value, uint64_t cntpct);

/**
 * gtimer_el0_ok() - may EL0 access @reg under CNTKCTL_EL1 (with HCR_EL2.E2H
 * clear)?  CNTFRQ_EL0 with either counter enable; CNTKCTL and CNTVOFF never.
 * A refused access is UNDEFINED: the exception goes to EL1.
 */
bool gtimer_el0_ok(const struct gtimer *g, enum gt_reg reg);

/**
 * gtimer_next_change() - ticks from physical count @cntpct to the next change
 * of @t's interrupt level, in *@ticks (>= 1).  Return: false when the level
 * never changes without a register write (disabled, masked, or the change is
 * 2^64 ticks away: a met condition at count 0 falls only at the next wrap).
 */
bool gtimer_next_change(const struct gtimer *g, enum gt_timer t, uint64_t cntpct, uint64_t *ticks);

/** gtimer_digest() - a hash of the whole state, for recordings. */
uint64_t gtimer_digest(const struct gtimer *g);

#endif
