/* SPDX-License-Identifier: MIT */
/* The Arm generic timer's EL1 physical and virtual timers (gtimer.h). */
#include <string.h>

#include "digest.h"
#include "gtimer.h"

void gtimer_reset(struct gtimer *g, uint64_t freq_hz)
{
	memset(g, 0, sizeof(*g));
	g->cntfrq = freq_hz;
}

uint64_t gtimer_count(const struct gtimer *g, enum gt_timer t, uint64_t cntpct)
{
	return t == GT_VIRT ? cntpct - g->cntvoff : cntpct;
}

bool gtimer_met(const struct gtimer *g, enum gt_timer t, uint64_t cntpct)
{
	return gtimer_count(g, t, cntpct) >= g->cval[t];
}

bool gtimer_level(const struct gtimer *g, enum gt_timer t, uint64_t cntpct)
{
	return (g->ctl[t] & (GT_CTL_ENABLE | GT_CTL_IMASK)) == GT_CTL_ENABLE && gtimer_met(g, t, cntpct);
}

static uint64_t ctl_read(const struct gtimer *g, enum gt_timer t, uint64_t cntpct)
{
	bool istatus = (g->ctl[t] & GT_CTL_ENABLE) && gtimer_met(g, t, cntpct);

	return g->ctl[t] | (istatus ? GT_CTL_ISTATUS : 0);
}

/* TVAL: the low 32 bits of CVAL - count; bits 63:32 are RES0. */
static uint64_t tval_read(const struct gtimer *g, enum gt_timer t, uint64_t cntpct)
{
	return (uint32_t)(g->cval[t] - gtimer_count(g, t, cntpct));
}

uint64_t gtimer_read(const struct gtimer *g, enum gt_reg reg, uint64_t cntpct)
{
	switch (reg) {
	case GT_CNTFRQ: return g->cntfrq;
	case GT_CNTPCT: return cntpct;
	case GT_CNTVCT: return gtimer_count(g, GT_VIRT, cntpct);
	case GT_CNTKCTL: return g->cntkctl;
	case GT_CNTVOFF: return g->cntvoff;
	case GT_CNTP_CTL: return ctl_read(g, GT_PHYS, cntpct);
	case GT_CNTP_CVAL: return g->cval[GT_PHYS];
	case GT_CNTP_TVAL: return tval_read(g, GT_PHYS, cntpct);
	case GT_CNTV_CTL: return ctl_read(g, GT_VIRT, cntpct);
	case GT_CNTV_CVAL: return g->cval[GT_VIRT];
	case GT_CNTV_TVAL: return tval_read(g, GT_VIRT, cntpct);
	case GT_NREGS: break;
	}
	return 0;
}

/* A TVAL write: CVAL = count + SignExtend(TVAL[31:0]). */
static void tval_write(struct gtimer *g, enum gt_timer t, uint64_t value, uint64_t cntpct)
{
	g->cval[t] = gtimer_count(g, t, cntpct) + (uint64_t)(int64_t)(int32_t)(uint32_t)value;
}

bool gtimer_write(struct gtimer *g, enum gt_reg reg, uint64_t value, uint64_t cntpct)
{
	switch (reg) {
	case GT_CNTFRQ: g->cntfrq = (uint32_t)value; return true; /* 32 bits; written by firmware at EL3 */
	case GT_CNTKCTL: g->cntkctl = (uint32_t)value & GT_KCTL_MASK; return true;
	case GT_CNTVOFF: g->cntvoff = value; return true;
	case GT_CNTP_CTL: g->ctl[GT_PHYS] = (uint32_t)value & (GT_CTL_ENABLE | GT_CTL_IMASK); return true;
	case GT_CNTP_CVAL: g->cval[GT_PHYS] = value; return true;
	case GT_CNTP_TVAL: tval_write(g, GT_PHYS, value, cntpct); return true;
	case GT_CNTV_CTL: g->ctl[GT_VIRT] = (uint32_t)value & (GT_CTL_ENABLE | GT_CTL_IMASK); return true;
	case GT_CNTV_CVAL: g->cval[GT_VIRT] = value; return true;
	case GT_CNTV_TVAL: tval_write(g, GT_VIRT, value, cntpct); return true;
	case GT_CNTPCT:
	case GT_CNTVCT:
	case GT_NREGS:
		break;
	}
	return false;
}

bool gtimer_el0_ok(const struct gtimer *g, enum gt_reg reg)
{
	switch (reg) {
	case GT_CNTFRQ: return g->cntkctl & (GT_KCTL_EL0PCTEN | GT_KCTL_EL0VCTEN);
	case GT_CNTPCT: return g->cntkctl & GT_KCTL_EL0PCTEN;
	case GT_CNTVCT: return g->cntkctl & GT_KCTL_EL0VCTEN;
	case GT_CNTP_CTL:
	case GT_CNTP_CVAL:
	case GT_CNTP_TVAL:
		return g->cntkctl & GT_KCTL_EL0PTEN;
	case GT_CNTV_CTL:
	case GT_CNTV_CVAL:
	case GT_CNTV_TVAL:
		return g->cntkctl & GT_KCTL_EL0VTEN;
	case GT_CNTKCTL:
	case GT_CNTVOFF:
	case GT_NREGS:
		break;
	}
	return false;
}

/*
 * Not met: the level rises when the timer's count reaches CVAL, CVAL - count
 * ticks on.  Met: it falls when the count wraps to 0, 2^64 - count ticks on
 * (2^64 itself, from count 0, does not fit: never within the horizon).
 */
bool gtimer_next_change(const struct gtimer *g, enum gt_timer t, uint64_t cntpct, uint64_t *ticks)
{
	uint64_t v = gtimer_count(g, t, cntpct);

	if ((g->ctl[t] & (GT_CTL_ENABLE | GT_CTL_IMASK)) != GT_CTL_ENABLE)
		return false;
	if (v < g->cval[t]) {
		*ticks = g->cval[t] - v;
		return true;
	}
	if (v == 0)
		return false;
	*ticks = 0 - v; /* 2^64 - v */
	return true;
}

uint64_t gtimer_digest(const struct gtimer *g)
{
	uint64_t h = DG_INIT;
	int t;

	for (t = 0; t < GT_NTIMERS; t++) {
		h = dg_u64(h, g->ctl[t]);
		h = dg_u64(h, g->cval[t]);
	}
	h = dg_u64(h, g->cntvoff);
	h = dg_u64(h, g->cntkctl);
	return dg_u64(h, g->cntfrq);
}
