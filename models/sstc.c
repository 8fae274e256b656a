/* SPDX-License-Identifier: MIT */
/* RISC-V Sstc timer comparator: access rules, CSR state and levels in ticks. */
#include "digest.h"
#include "sstc.h"

#include <string.h>

void sstc_reset(struct sstc *s, bool rv32, bool has_h)
{
	memset(s, 0, sizeof(*s));
	s->rv32 = rv32;
	s->has_h = has_h;
}

static bool is_high_half(uint16_t csr)
{
	switch (csr) {
	case CSR_STIMECMPH:
	case CSR_VSTIMECMPH:
	case CSR_MENVCFGH:
	case CSR_HENVCFGH:
	case CSR_HTIMEDELTAH:
	case CSR_TIMEH:
		return true;
	}
	return false;
}

static bool is_h_csr(uint16_t csr)
{
	return ((csr >> 8) & 3) == 2;
}

static const struct {
	uint16_t csr;
	const char *name;
} csr_names[] = {
	{ CSR_SCOUNTEREN, "scounteren" }, { CSR_STIMECMP, "stimecmp" },	      { CSR_STIMECMPH, "stimecmph" },
	{ CSR_VSTIMECMP, "vstimecmp" },	  { CSR_VSTIMECMPH, "vstimecmph" },   { CSR_MCOUNTEREN, "mcounteren" },
	{ CSR_MENVCFG, "menvcfg" },	  { CSR_MENVCFGH, "menvcfgh" },	      { CSR_HTIMEDELTA, "htimedelta" },
	{ CSR_HCOUNTEREN, "hcounteren" }, { CSR_HENVCFG, "henvcfg" },	      { CSR_HTIMEDELTAH, "htimedeltah" },
	{ CSR_HENVCFGH, "henvcfgh" },	  { CSR_TIME, "time" },		      { CSR_TIMEH, "timeh" },
	{ CSR_VSIE, "vsie" },		  { CSR_VSIP, "vsip" },		      { CSR_HIDELEG, "hideleg" },
	{ CSR_HIE, "hie" },		  { CSR_HIP, "hip" },		      { CSR_HVIP, "hvip" },
};

/* At V = 1, sie and sip are vsie and vsip (the model's); at V = 0 they are not the model's. */
static uint16_t vs_alias(uint16_t csr, bool virt)
{
	if (virt && csr == CSR_SIE)
		return CSR_VSIE;
	if (virt && csr == CSR_SIP)
		return CSR_VSIP;
	return csr;
}

const char *sstc_csr_name(uint16_t csr)
{
	for (size_t i = 0; i < sizeof(csr_names) / sizeof(csr_names[0]); i++)
		if (csr_names[i].csr == csr)
			return csr_names[i].name;
	return NULL;
}

int sstc_csr_lookup(const char *name, uint16_t *csr)
{
	if (strcmp(name, "sie") == 0 || strcmp(name, "sip") == 0) {
		*csr = name[2] == 'e' ? CSR_SIE : CSR_SIP;
		return 0;
	}
	for (size_t i = 0; i < sizeof(csr_names) / sizeof(csr_names[0]); i++)
		if (strcmp(csr_names[i].name, name) == 0) {
			*csr = csr_names[i].csr;
			return 0;
		}
	return -1;
}

bool sstc_owns(uint16_t csr)
{
	return sstc_csr_name(csr) != NULL;
}

static bool stce(const struct sstc *s)
{
	return s->menvcfg & ENVCFG_STCE;
}

static bool hstce(const struct sstc *s)
{
	return s->henvcfg & ENVCFG_STCE;
}

static bool tm(uint32_t counteren)
{
	return counteren & COUNTEREN_TM;
}

/* Would this access be legal from HS-mode?  (The "HS-qualified" rule of §1.4.) */
static bool hs_legal(const struct sstc *s)
{
	return stce(s) && tm(s->mcounteren);
}

/* §1.4, `time`/`timeh`: the counter-enable chain M -> H -> S. */
static enum sstc_access check_time(const struct sstc *s, enum sstc_priv priv, bool virt, bool write)
{
	if (write)
		return SSTC_ILLEGAL; /* read-only CSR */
	if (priv == SSTC_PRIV_M)
		return SSTC_OK;
	if (!tm(s->mcounteren))
		return SSTC_ILLEGAL;
	if (virt && !tm(s->hcounteren))
		return SSTC_VIRTUAL;
	if (priv == SSTC_PRIV_U && !tm(s->scounteren))
		return virt ? SSTC_VIRTUAL : SSTC_ILLEGAL;
	return SSTC_OK;
}

/* §1.4, `stimecmp`/`stimecmph` (with V = 1: vstimecmp). */
static enum sstc_access check_stimecmp(const struct sstc *s, enum sstc_priv priv, bool virt, bool write)
{
	if (priv == SSTC_PRIV_M)
		return SSTC_OK;
	if (priv == SSTC_PRIV_U)
		return virt && hs_legal(s) ? SSTC_VIRTUAL : SSTC_ILLEGAL;
	if (!hs_legal(s))
		return SSTC_ILLEGAL; /* HS, or VS not HS-qualified */
	if (!virt)
		return SSTC_OK;
	if (!tm(s->hcounteren) || !hstce(s) || (write && s->hvictl_vti))
		return SSTC_VIRTUAL;
	return SSTC_OK;
}

/* §1.4, `vstimecmp`/`vstimecmph`: an H-level CSR, gated by mcounteren.TM and menvcfg.STCE only. */
static enum sstc_access check_vstimecmp(const struct sstc *s, enum sstc_priv priv, bool virt)
{
	if (priv == SSTC_PRIV_M)
		return SSTC_OK;
	if (virt)
		return hs_legal(s) ? SSTC_VIRTUAL : SSTC_ILLEGAL;
	if (priv == SSTC_PRIV_U || !hs_legal(s))
		return SSTC_ILLEGAL;
	return SSTC_OK;
}

enum sstc_access sstc_check(const struct sstc *s, enum sstc_priv priv, bool virt, uint16_t csr, bool write)
{
	unsigned level;

	if (priv == SSTC_PRIV_M || !s->has_h)
		virt = false;
	if (virt && vs_alias(csr, virt) != csr)
		return priv == SSTC_PRIV_U ? SSTC_VIRTUAL : SSTC_OK; /* sie/sip from VU or VS */
	if (!sstc_owns(csr))
		return SSTC_NOT_MINE;
	level = (csr >> 8) & 3;
	if ((is_high_half(csr) && !s->rv32) || (is_h_csr(csr) && !s->has_h))
		return SSTC_ILLEGAL; /* the CSR does not exist here */
	if (s->absent && (csr == CSR_STIMECMP || csr == CSR_STIMECMPH || csr == CSR_VSTIMECMP || csr == CSR_VSTIMECMPH))
		return SSTC_ILLEGAL; /* a hart without Sstc */

	switch (csr) {
	case CSR_TIME:
	case CSR_TIMEH:
		return check_time(s, priv, virt, write);
	case CSR_STIMECMP:
	case CSR_STIMECMPH:
		return check_stimecmp(s, priv, virt, write);
	case CSR_VSTIMECMP:
	case CSR_VSTIMECMPH:
		return check_vstimecmp(s, priv, virt);
	}
	/* The envcfg, counteren, htimedelta and interrupt registers: the plain privilege rule. */
	if (priv == SSTC_PRIV_M)
		return SSTC_OK;
	if (level == 3)
		return SSTC_ILLEGAL;
	if (priv == SSTC_PRIV_U)
		return virt ? SSTC_VIRTUAL : SSTC_ILLEGAL;
	if (virt && level == 2)
		return SSTC_VIRTUAL; /* an HS-legal hypervisor CSR from VS */
	return SSTC_OK;
}

static uint64_t half(const struct sstc *s, uint64_t v, bool high)
{
	if (!s->rv32)
		return v;
	return high ? v >> 32 : (uint32_t)v;
}

static void deposit(const struct sstc *s, uint64_t *reg, uint64_t value, bool high)
{
	if (!s->rv32)
		*reg = value;
	else if (high)
		*reg = (*reg & 0xffffffffull) | (uint64_t)(uint32_t)value << 32;
	else
		*reg = (*reg & ~0xffffffffull) | (uint32_t)value;
}

/* hideleg, hie, hvip, hip, vsie, vsip: the timer bits (see the header). */
static uint64_t read_irq_reg(const struct sstc *s, uint16_t csr, uint64_t time)
{
	switch (csr) {
	case CSR_HIDELEG:
		return s->hideleg_vsti ? MIP_VSTIP : 0;
	case CSR_HIE:
		return s->hie_vstie ? MIP_VSTIP : 0;
	case CSR_HVIP:
		return s->hvip_vstip ? MIP_VSTIP : 0;
	case CSR_HIP:
		return sstc_vstip(s, time) ? MIP_VSTIP : 0;
	case CSR_VSIE:
		return s->hideleg_vsti && s->hie_vstie ? MIP_STIP : 0;
	case CSR_VSIP:
		return s->hideleg_vsti && sstc_vstip(s, time) ? MIP_STIP : 0;
	}
	return 0;
}

static void write_irq_reg(struct sstc *s, uint16_t csr, uint64_t value)
{
	switch (csr) {
	case CSR_HIDELEG:
		s->hideleg_vsti = value & MIP_VSTIP;
		break;
	case CSR_HIE:
		s->hie_vstie = value & MIP_VSTIP;
		break;
	case CSR_HVIP:
		s->hvip_vstip = value & MIP_VSTIP;
		break;
	case CSR_VSIE:
		if (s->hideleg_vsti)
			s->hie_vstie = value & MIP_STIP;
		break;
	} /* hip.VSTIP and vsip.STIP are read-only */
}

static bool is_irq_reg(uint16_t csr)
{
	return csr == CSR_HIDELEG || csr == CSR_HIE || csr == CSR_HVIP || csr == CSR_HIP || csr == CSR_VSIE ||
	       csr == CSR_VSIP;
}

uint64_t sstc_read(const struct sstc *s, bool virt, uint16_t csr, uint64_t time)
{
	bool high = is_high_half(csr);

	csr = vs_alias(csr, virt);
	if (is_irq_reg(csr))
		return read_irq_reg(s, csr, time);
	switch (csr) {
	case CSR_TIME:
	case CSR_TIMEH:
		return half(s, virt ? time + s->htimedelta : time, high);
	case CSR_STIMECMP:
	case CSR_STIMECMPH:
		return half(s, virt ? s->vstimecmp : s->stimecmp, high);
	case CSR_VSTIMECMP:
	case CSR_VSTIMECMPH:
		return half(s, s->vstimecmp, high);
	case CSR_HTIMEDELTA:
	case CSR_HTIMEDELTAH:
		return half(s, s->htimedelta, high);
	case CSR_MENVCFG:
	case CSR_MENVCFGH:
		return half(s, s->menvcfg, high);
	case CSR_HENVCFG:
	case CSR_HENVCFGH:
		return half(s, s->henvcfg, high);
	case CSR_MCOUNTEREN:
		return s->mcounteren;
	case CSR_HCOUNTEREN:
		return s->hcounteren;
	case CSR_SCOUNTEREN:
		return s->scounteren;
	}
	return 0;
}

static void write_menvcfg(struct sstc *s, uint64_t value)
{
	s->menvcfg = s->absent ? 0 : value & ENVCFG_STCE;
	if (!stce(s)) {
		s->stip_sw = false;  /* see the header: STCE 1 -> 0 drops STIP */
		s->henvcfg = 0;      /* henvcfg.STCE is read-only zero */
	}
}

void sstc_write(struct sstc *s, bool virt, uint16_t csr, uint64_t value)
{
	bool high = is_high_half(csr);
	uint64_t v;

	csr = vs_alias(csr, virt);
	if (is_irq_reg(csr)) {
		write_irq_reg(s, csr, value);
		return;
	}
	switch (csr) {
	case CSR_STIMECMP:
	case CSR_STIMECMPH:
		deposit(s, virt ? &s->vstimecmp : &s->stimecmp, value, high);
		break;
	case CSR_VSTIMECMP:
	case CSR_VSTIMECMPH:
		deposit(s, &s->vstimecmp, value, high);
		break;
	case CSR_HTIMEDELTA:
	case CSR_HTIMEDELTAH:
		deposit(s, &s->htimedelta, value, high);
		break;
	case CSR_MENVCFG:
	case CSR_MENVCFGH:
		v = s->menvcfg;
		deposit(s, &v, value, high);
		write_menvcfg(s, v);
		break;
	case CSR_HENVCFG:
	case CSR_HENVCFGH:
		v = s->henvcfg;
		deposit(s, &v, value, high);
		s->henvcfg = stce(s) ? v & ENVCFG_STCE : 0;
		break;
	case CSR_MCOUNTEREN:
		s->mcounteren = (uint32_t)value;
		break;
	case CSR_HCOUNTEREN:
		s->hcounteren = (uint32_t)value;
		break;
	case CSR_SCOUNTEREN:
		s->scounteren = (uint32_t)value;
		break;
	}
}

enum sstc_access sstc_csr_insn(struct sstc *s, enum sstc_priv priv, bool virt, uint16_t csr, enum sstc_op op,
			       bool write, uint64_t src, uint64_t time, uint64_t *old, uint64_t *new_val)
{
	enum sstc_access r = sstc_check(s, priv, virt, csr, write);

	if (r != SSTC_OK)
		return r;
	virt = virt && priv != SSTC_PRIV_M && s->has_h;
	*old = sstc_read(s, virt, csr, time);
	*new_val = op == SSTC_OP_RW ? src : op == SSTC_OP_RS ? *old | src : *old & ~src;
	if (write)
		sstc_write(s, virt, csr, *new_val);
	return r;
}

bool sstc_stip_writable(const struct sstc *s)
{
	return !stce(s);
}

void sstc_mip_write(struct sstc *s, uint64_t wmask, uint64_t value)
{
	if ((wmask & MIP_STIP) && sstc_stip_writable(s))
		s->stip_sw = value & MIP_STIP;
	/* VSTIP is not writable in mip: software sets it through hvip. */
}

/* `t >= cmp` unsigned; under allones_off a comparand of all ones never asserts. */
static bool signal(const struct sstc *s, uint64_t t, uint64_t cmp)
{
	return t >= cmp && !(s->allones_off && cmp == UINT64_MAX);
}

bool sstc_s_signal(const struct sstc *s, uint64_t time)
{
	return signal(s, time, s->stimecmp);
}

bool sstc_vs_signal(const struct sstc *s, uint64_t time)
{
	return signal(s, time + s->htimedelta, s->vstimecmp);
}

bool sstc_stip(const struct sstc *s, uint64_t time)
{
	return stce(s) ? sstc_s_signal(s, time) : s->stip_sw;
}

static bool vs_enabled(const struct sstc *s)
{
	return s->has_h && stce(s) && hstce(s);
}

bool sstc_vstip(const struct sstc *s, uint64_t time)
{
	return s->hvip_vstip || (vs_enabled(s) && sstc_vs_signal(s, time));
}

uint64_t sstc_mip(const struct sstc *s, uint64_t time)
{
	return (sstc_stip(s, time) ? MIP_STIP : 0) | (sstc_vstip(s, time) ? MIP_VSTIP : 0);
}

enum sstc_vs_take sstc_vs_delivery(const struct sstc *s, uint64_t time, const struct sstc_vs_ctx *c, uint64_t *cause)
{
	uint64_t irq = s->rv32 ? 1ull << 31 : 1ull << 63;
	bool virt = c->virt && c->priv != SSTC_PRIV_M;

	if (!s->has_h || !sstc_vstip(s, time) || !s->hie_vstie)
		return SSTC_TAKE_NONE;
	if (s->hideleg_vsti) {
		if (!virt || (c->priv == SSTC_PRIV_S && !c->vsstatus_sie))
			return SSTC_TAKE_NONE;
		*cause = irq | IRQ_S_TIMER;
		return SSTC_TAKE_VS;
	}
	if (c->priv == SSTC_PRIV_M || (!virt && c->priv == SSTC_PRIV_S && !c->sstatus_sie))
		return SSTC_TAKE_NONE;
	*cause = irq | IRQ_VS_TIMER;
	return SSTC_TAKE_HS;
}

/* Distance to the next edge of the signal `t >= cmp` as t counts up and wraps. */
static bool edge(const struct sstc *s, uint64_t t, uint64_t cmp, uint64_t *ticks)
{
	if (s->allones_off && cmp == UINT64_MAX)
		return false; /* QEMU's "off": see the header */
	if (t >= cmp) {
		if (cmp == 0)
			return false; /* always true */
		*ticks = 0 - t;       /* falls when t wraps to 0: 2^64 - t */
		return true;
	}
	*ticks = cmp - t; /* for cmp = 2^64 - 1 too: a deadline like any other */
	return true;
}

bool sstc_next_change(const struct sstc *s, uint64_t time, uint64_t *ticks)
{
	uint64_t d;
	bool any = false;

	if (stce(s) && edge(s, time, s->stimecmp, &d)) {
		*ticks = d;
		any = true;
	}
	if (vs_enabled(s) && !s->hvip_vstip && edge(s, time + s->htimedelta, s->vstimecmp, &d)) {
		if (!any || d < *ticks)
			*ticks = d;
		any = true;
	}
	return any;
}

uint64_t sstc_digest(const struct sstc *s)
{
	const uint64_t v[] = { s->rv32, s->has_h, s->stimecmp, s->vstimecmp, s->htimedelta, s->menvcfg, s->henvcfg,
			       s->mcounteren, s->hcounteren, s->scounteren, s->hvictl_vti, s->stip_sw, s->hvip_vstip };

	uint64_t h = dg_array(DG_INIT, v, sizeof(v) / sizeof(v[0]));

	/* Folded in only when set, so digests from before these registers existed still match. */
	if (s->hideleg_vsti || s->hie_vstie || s->allones_off || s->absent)
		h = dg_u64(h, (uint64_t)s->absent << 3 | (uint64_t)s->allones_off << 2 | (uint64_t)s->hideleg_vsti << 1 |
				      s->hie_vstie);
	return h;
}
