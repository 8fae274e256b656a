/* SPDX-License-Identifier: MIT */
/*
 * Check tests for models/sstc: docs/models/sstc.md §1.4 access rules and the §10
 * cases the model decides on its own (levels, edges, RV32 halves, choices).
 */
#include <check.h>

#include "sstc.h"
#include "suites.h"

#define S SSTC_PRIV_S
#define U SSTC_PRIV_U
#define M SSTC_PRIV_M

/* An RV64 hart with H, Sstc enabled and every counter enable set, as Linux/OpenSBI/KVM leave it. */
static void enabled(struct sstc *s)
{
	sstc_reset(s, false, true);
	sstc_write(s, false, CSR_MENVCFG, ENVCFG_STCE);
	sstc_write(s, false, CSR_HENVCFG, ENVCFG_STCE);
	s->mcounteren = s->hcounteren = s->scounteren = COUNTEREN_TM;
	sstc_write(s, false, CSR_VSTIMECMP, UINT64_MAX); /* the VS timer stopped, as KVM resets it */
}

/* §10.1, 2, 3, 5: the level is time >= stimecmp, evaluated at once. */
START_TEST(test_sstc_level)
{
	struct sstc s;
	uint64_t d;

	enabled(&s);
	sstc_write(&s, false, CSR_STIMECMP, 5000);
	ck_assert(sstc_stip(&s, 5000));  /* 1: C == T */
	ck_assert(!sstc_stip(&s, 4999)); /* 2: one tick before */
	ck_assert(sstc_next_change(&s, 4999, &d));
	ck_assert_uint_eq(d, 1);
	ck_assert(sstc_stip(&s, 6000)); /* 3: in the past */
	sstc_write(&s, false, CSR_STIMECMP, 6010);
	ck_assert(!sstc_stip(&s, 6000)); /* 5: moved ahead, falls at once */
	ck_assert_uint_eq(sstc_mip(&s, 6010), MIP_STIP);
}
END_TEST

/* §10.7: unsigned compare around 2^63. */
START_TEST(test_sstc_unsigned_2_63)
{
	struct sstc s;
	uint64_t d;

	enabled(&s);
	sstc_write(&s, false, CSR_STIMECMP, 0x8000000000000000ull);
	ck_assert(!sstc_stip(&s, 0x7fffffffffffffffull));
	ck_assert(sstc_stip(&s, 0x8000000000000000ull));
	ck_assert(sstc_next_change(&s, 0x7fffffffffffffffull, &d));
	ck_assert_uint_eq(d, 1);
	ck_assert(sstc_next_change(&s, 0, &d)); /* §10.13: a 2^63-tick horizon */
	ck_assert_uint_eq(d, 0x8000000000000000ull);
}
END_TEST

/*
 * §10.8, spec first: all ones is a compare value like any other.  STIP rises
 * when time reaches 2^64 - 1 and falls at the wrap, and both edges are
 * reported; with allones_off (QEMU's reading) it never asserts and nothing is
 * scheduled.
 */
START_TEST(test_sstc_all_ones_is_a_deadline)
{
	struct sstc s;
	uint64_t d;

	enabled(&s);
	sstc_write(&s, false, CSR_VSTIMECMP, 0); /* the VS signal: always 1, no edges */
	sstc_write(&s, false, CSR_STIMECMP, UINT64_MAX);
	ck_assert(!sstc_stip(&s, 0x123456789ull));
	ck_assert(sstc_next_change(&s, 0x123456789ull, &d));
	ck_assert_uint_eq(d, UINT64_MAX - 0x123456789ull); /* the rise, 2^64 - 1 - T ticks ahead */
	ck_assert(!sstc_stip(&s, UINT64_MAX - 2));
	ck_assert(sstc_next_change(&s, UINT64_MAX - 2, &d));
	ck_assert_uint_eq(d, 2);
	ck_assert(sstc_stip(&s, UINT64_MAX)); /* the one-tick pulse */
	ck_assert(sstc_next_change(&s, UINT64_MAX, &d));
	ck_assert_uint_eq(d, 1); /* and it falls on the wrap */
	ck_assert(!sstc_stip(&s, 0));

	s.allones_off = true; /* stimecmp-max qemu */
	ck_assert(!sstc_stip(&s, UINT64_MAX - 2));
	ck_assert(!sstc_next_change(&s, UINT64_MAX - 2, &d));
	ck_assert(!sstc_stip(&s, UINT64_MAX));
	ck_assert(!sstc_next_change(&s, UINT64_MAX, &d));
	sstc_write(&s, false, CSR_STIMECMP, UINT64_MAX - 1); /* any other value is a deadline */
	ck_assert(sstc_stip(&s, UINT64_MAX - 1));
	sstc_write(&s, false, CSR_VSTIMECMP, UINT64_MAX); /* the VS comparator alike */
	ck_assert(!sstc_vstip(&s, UINT64_MAX));
	s.allones_off = false;
	ck_assert(sstc_vstip(&s, UINT64_MAX));
}
END_TEST

/* Falling edge when time wraps past 2^64; stimecmp = 0 never falls. */
START_TEST(test_sstc_wrap_falls)
{
	struct sstc s;
	uint64_t d;

	enabled(&s);
	sstc_write(&s, false, CSR_VSTIMECMP, 0); /* the VS signal: always 1, no edges */
	sstc_write(&s, false, CSR_STIMECMP, 0xfffffffffffff000ull);
	ck_assert(sstc_stip(&s, 0xfffffffffffffff0ull));
	ck_assert(sstc_next_change(&s, 0xfffffffffffffff0ull, &d));
	ck_assert_uint_eq(d, 0x10);
	ck_assert(!sstc_stip(&s, 0xfffffffffffffff0ull + d)); /* time 0 after the wrap */
	sstc_write(&s, false, CSR_STIMECMP, 0);
	ck_assert(sstc_stip(&s, 0));
	ck_assert(!sstc_next_change(&s, 12345, &d));
}
END_TEST

/* §10.12 and the reset choice: stimecmp resets to 0, so STCE alone raises STIP. */
START_TEST(test_sstc_reset_then_stce)
{
	struct sstc s;
	uint64_t d;

	sstc_reset(&s, false, true);
	ck_assert_uint_eq(s.stimecmp, 0);
	ck_assert(!sstc_stip(&s, 1000));
	ck_assert(!sstc_next_change(&s, 1000, &d)); /* nothing while STCE = 0 */
	sstc_write(&s, false, CSR_MENVCFG, ENVCFG_STCE);
	ck_assert(sstc_stip(&s, 1000));
	sstc_write(&s, false, CSR_STIMECMP, UINT64_MAX);
	ck_assert(!sstc_stip(&s, 1000));
}
END_TEST

/* §10.29, §10.30 and the STCE 1 -> 0 choice. */
START_TEST(test_sstc_stip_software)
{
	struct sstc s;

	sstc_reset(&s, false, false);
	sstc_write(&s, false, CSR_STIMECMP, 50);
	ck_assert(sstc_stip_writable(&s));
	sstc_mip_write(&s, MIP_STIP, MIP_STIP);
	ck_assert(sstc_stip(&s, 0)); /* pre-Sstc: M-mode software drives STIP */
	sstc_mip_write(&s, MIP_STIP, 0);
	ck_assert(!sstc_stip(&s, 100));
	sstc_write(&s, false, CSR_MENVCFG, ENVCFG_STCE); /* 29: C <= T, STIP rises at once */
	ck_assert(sstc_stip(&s, 100));
	sstc_write(&s, false, CSR_STIMECMP, 500);
	ck_assert(!sstc_stip_writable(&s));
	sstc_mip_write(&s, MIP_STIP, MIP_STIP); /* 30: ignored */
	ck_assert(!sstc_stip(&s, 100));
	sstc_write(&s, false, CSR_STIMECMP, 50);
	ck_assert(sstc_stip(&s, 100));
	sstc_write(&s, false, CSR_MENVCFG, 0); /* STCE 1 -> 0 while pending: STIP drops */
	ck_assert(!sstc_stip(&s, 100));
	ck_assert(sstc_stip_writable(&s));
}
END_TEST

/* §10.18, 19, 39: RV32 halves, each evaluated at once. */
START_TEST(test_sstc_rv32_split_writes)
{
	struct sstc s;
	const uint64_t t = 0x180000000ull;

	sstc_reset(&s, true, false);
	sstc_write(&s, false, CSR_MENVCFGH, ENVCFG_STCE >> 32);
	ck_assert_uint_eq(s.menvcfg, ENVCFG_STCE);
	ck_assert_uint_eq(sstc_read(&s, false, CSR_MENVCFG, 0), 0);
	ck_assert_uint_eq(sstc_read(&s, false, CSR_MENVCFGH, 0), 0x80000000u);

	s.stimecmp = 0x190000000ull;
	sstc_write(&s, false, CSR_STIMECMP, 0x10); /* 18: low then high */
	ck_assert_uint_eq(s.stimecmp, 0x100000010ull);
	ck_assert(sstc_stip(&s, t)); /* spurious, as the specification allows */
	sstc_write(&s, false, CSR_STIMECMPH, 0x2);
	ck_assert(!sstc_stip(&s, t));

	s.stimecmp = 0x190000000ull; /* 19: -1 low, then high, then low */
	sstc_write(&s, false, CSR_STIMECMP, 0xffffffffu);
	ck_assert(!sstc_stip(&s, t));
	sstc_write(&s, false, CSR_STIMECMPH, 0x2);
	ck_assert(!sstc_stip(&s, t));
	sstc_write(&s, false, CSR_STIMECMP, 0x10);
	ck_assert(!sstc_stip(&s, t));
	ck_assert_uint_eq(s.stimecmp, 0x200000010ull);

	ck_assert_uint_eq(sstc_read(&s, false, CSR_STIMECMP, 0), 0x10); /* 39: halves read back */
	ck_assert_uint_eq(sstc_read(&s, false, CSR_STIMECMPH, 0), 0x2);
	ck_assert_uint_eq(sstc_read(&s, false, CSR_TIMEH, t), 1);
	ck_assert_uint_eq(sstc_read(&s, false, CSR_TIME, t), 0x80000000u);
}
END_TEST

/* §10.39 on RV64: no WARL masking of the comparand. */
START_TEST(test_sstc_rv64_readback)
{
	struct sstc s;

	enabled(&s);
	sstc_write(&s, false, CSR_STIMECMP, 0xdeadbeefcafef00dull);
	ck_assert_uint_eq(sstc_read(&s, false, CSR_STIMECMP, 0), 0xdeadbeefcafef00dull);
	sstc_write(&s, false, CSR_MENVCFG, ~0ull); /* only STCE is implemented */
	ck_assert_uint_eq(sstc_read(&s, false, CSR_MENVCFG, 0), ENVCFG_STCE);
}
END_TEST

/* §10.22, 23, 24: high halves on RV64, STCE and TM gating, U mode. */
START_TEST(test_sstc_access_s_u)
{
	struct sstc s;

	enabled(&s);
	ck_assert_int_eq(sstc_check(&s, M, false, CSR_STIMECMPH, false), SSTC_ILLEGAL); /* 22 */
	ck_assert_int_eq(sstc_check(&s, S, false, CSR_VSTIMECMPH, true), SSTC_ILLEGAL);
	ck_assert_int_eq(sstc_check(&s, S, false, CSR_STIMECMP, true), SSTC_OK);
	ck_assert_int_eq(sstc_check(&s, U, false, CSR_STIMECMP, false), SSTC_ILLEGAL); /* 24 */
	s.mcounteren = 0;
	ck_assert_int_eq(sstc_check(&s, S, false, CSR_STIMECMP, false), SSTC_ILLEGAL); /* 24 */
	ck_assert_int_eq(sstc_check(&s, S, false, CSR_TIME, false), SSTC_ILLEGAL);
	s.mcounteren = COUNTEREN_TM;
	sstc_write(&s, false, CSR_MENVCFG, 0);
	ck_assert_int_eq(sstc_check(&s, S, false, CSR_STIMECMP, false), SSTC_ILLEGAL); /* 23 */
	ck_assert_int_eq(sstc_check(&s, M, false, CSR_STIMECMP, true), SSTC_OK);
	sstc_write(&s, false, CSR_STIMECMP, 0); /* M's write has no effect on STIP while STCE = 0 */
	ck_assert(!sstc_stip(&s, 10));
	ck_assert_int_eq(sstc_check(&s, S, false, CSR_MENVCFG, false), SSTC_ILLEGAL);
	ck_assert_int_eq(sstc_check(&s, S, false, CSR_TIME, true), SSTC_ILLEGAL); /* read-only */
	ck_assert_int_eq(sstc_check(&s, U, false, CSR_TIME, false), SSTC_OK);
	s.scounteren = 0;
	ck_assert_int_eq(sstc_check(&s, U, false, CSR_TIME, false), SSTC_ILLEGAL);
	ck_assert_int_eq(sstc_check(&s, S, false, 0x180, false), SSTC_NOT_MINE); /* satp */
}
END_TEST

/* §10.25 (a)-(e): VS-mode stimecmp. */
START_TEST(test_sstc_access_vs)
{
	struct sstc s;

	enabled(&s);
	s.mcounteren = 0;
	ck_assert_int_eq(sstc_check(&s, S, true, CSR_STIMECMP, true), SSTC_ILLEGAL); /* a */
	s.mcounteren = COUNTEREN_TM;
	s.hcounteren = 0;
	ck_assert_int_eq(sstc_check(&s, S, true, CSR_STIMECMP, true), SSTC_VIRTUAL); /* b */
	s.hcounteren = COUNTEREN_TM;
	sstc_write(&s, false, CSR_HENVCFG, 0);
	ck_assert_int_eq(sstc_check(&s, S, true, CSR_STIMECMP, true), SSTC_VIRTUAL); /* c */
	sstc_write(&s, false, CSR_HENVCFG, ENVCFG_STCE);
	s.hvictl_vti = true;
	ck_assert_int_eq(sstc_check(&s, S, true, CSR_STIMECMP, true), SSTC_VIRTUAL); /* d: writes */
	ck_assert_int_eq(sstc_check(&s, S, true, CSR_STIMECMP, false), SSTC_OK);
	s.hvictl_vti = false;
	ck_assert_int_eq(sstc_check(&s, S, true, CSR_STIMECMP, true), SSTC_OK); /* e */
	sstc_write(&s, false, CSR_STIMECMP, 111);
	sstc_write(&s, true, CSR_STIMECMP, 222);
	ck_assert_uint_eq(s.stimecmp, 111);
	ck_assert_uint_eq(s.vstimecmp, 222);
	ck_assert_uint_eq(sstc_read(&s, true, CSR_STIMECMP, 0), 222);
	/* VU: VI when the HS access would be legal, else ILL. */
	ck_assert_int_eq(sstc_check(&s, U, true, CSR_STIMECMP, false), SSTC_VIRTUAL);
	sstc_write(&s, false, CSR_MENVCFG, 0);
	ck_assert_int_eq(sstc_check(&s, U, true, CSR_STIMECMP, false), SSTC_ILLEGAL);
	/* Hypervisor CSRs from V = 1. */
	ck_assert_int_eq(sstc_check(&s, S, true, CSR_HTIMEDELTA, false), SSTC_VIRTUAL);
	ck_assert_int_eq(sstc_check(&s, S, true, CSR_VSTIMECMP, false), SSTC_ILLEGAL); /* not HS-legal */
	ck_assert_int_eq(sstc_check(&s, S, true, CSR_MENVCFG, false), SSTC_ILLEGAL);
}
END_TEST

/* §10.27: HS access to vstimecmp ignores henvcfg.STCE but not menvcfg.STCE; no H: ILL. */
START_TEST(test_sstc_access_hs_vstimecmp)
{
	struct sstc s;

	enabled(&s);
	sstc_write(&s, false, CSR_HENVCFG, 0);
	ck_assert_int_eq(sstc_check(&s, S, false, CSR_VSTIMECMP, true), SSTC_OK);
	sstc_write(&s, false, CSR_MENVCFG, 0);
	ck_assert_int_eq(sstc_check(&s, S, false, CSR_VSTIMECMP, true), SSTC_ILLEGAL);
	ck_assert_int_eq(sstc_check(&s, M, false, CSR_VSTIMECMP, true), SSTC_OK);
	sstc_reset(&s, false, false);
	ck_assert_int_eq(sstc_check(&s, M, false, CSR_VSTIMECMP, false), SSTC_ILLEGAL);
	ck_assert_int_eq(sstc_check(&s, M, false, CSR_HENVCFG, false), SSTC_ILLEGAL);
}
END_TEST

/* §10.31, 33, 35: henvcfg.STCE read-only zero, KVM's htimedelta, hvip OR. */
/*
 * The VS timer delivery table (privileged spec, interrupt-trap conditions for
 * HS and VS, and "Trap Cause Codes"), every combination of the inputs, written
 * out case by case rather than as the model's formula.
 */
static enum sstc_vs_take spec_take(bool pending, bool hie, bool hideleg, const struct sstc_vs_ctx *c)
{
	bool m = c->priv == SSTC_PRIV_M, v = c->virt && !m;

	if (!pending || !hie)
		return SSTC_TAKE_NONE;
	if (hideleg) { /* VS-level: V = 1 and (VU, or VS with vsstatus.SIE) */
		if (!v)
			return SSTC_TAKE_NONE;
		return c->priv == SSTC_PRIV_U || c->vsstatus_sie ? SSTC_TAKE_VS : SSTC_TAKE_NONE;
	}
	if (m) /* mideleg[6] is read-only 1: above HS, not interrupted */
		return SSTC_TAKE_NONE;
	if (v || c->priv == SSTC_PRIV_U) /* below HS */
		return SSTC_TAKE_HS;
	return c->sstatus_sie ? SSTC_TAKE_HS : SSTC_TAKE_NONE;
}

START_TEST(test_sstc_vs_delivery_table)
{
	static const enum sstc_priv privs[] = { SSTC_PRIV_U, SSTC_PRIV_S, SSTC_PRIV_M };
	struct sstc s;
	int taken_hs = 0, taken_vs = 0;

	for (unsigned bits = 0; bits < 64; bits++)
		for (size_t p = 0; p < 3; p++) {
			struct sstc_vs_ctx c = { bits & 1, (bits >> 1) & 1, (bits >> 2) & 1, privs[p] };
			bool pending = (bits >> 3) & 1, hie = (bits >> 4) & 1, hideleg = (bits >> 5) & 1;
			uint64_t cause = 0;
			enum sstc_vs_take want = spec_take(pending, hie, hideleg, &c), got;

			sstc_reset(&s, false, true);
			s.hvip_vstip = pending;
			sstc_write(&s, false, CSR_HIE, hie ? MIP_VSTIP : 0);
			sstc_write(&s, false, CSR_HIDELEG, hideleg ? MIP_VSTIP : 0);
			got = sstc_vs_delivery(&s, 0, &c, &cause);
			ck_assert_msg(got == want, "bits %u priv %d: got %d want %d", bits, (int)privs[p], got, want);
			if (got == SSTC_TAKE_HS) {
				ck_assert_uint_eq(cause, (1ull << 63) | 6);
				taken_hs++;
			}
			if (got == SSTC_TAKE_VS) {
				ck_assert_uint_eq(cause, (1ull << 63) | 5);
				taken_vs++;
			}
		}
	ck_assert_int_eq(taken_hs, 14); /* M never; HS only with SIE; U, VS, VU always */
	ck_assert_int_eq(taken_vs, 6);  /* VU always, VS with vsstatus.SIE */

	/* RV32: the interrupt bit is bit 31. */
	{
		struct sstc_vs_ctx c = { false, true, true, SSTC_PRIV_S };
		uint64_t cause = 0;

		sstc_reset(&s, true, true);
		s.hvip_vstip = true;
		s.hie_vstie = true;
		ck_assert_int_eq(sstc_vs_delivery(&s, 0, &c, &cause), SSTC_TAKE_HS);
		ck_assert_uint_eq(cause, (1ull << 31) | 6);
	}
	/* Without H nothing is delivered. */
	{
		struct sstc_vs_ctx c = { true, true, true, SSTC_PRIV_S };
		uint64_t cause = 0;

		sstc_reset(&s, false, false);
		s.hvip_vstip = true;
		s.hie_vstie = true;
		ck_assert_int_eq(sstc_vs_delivery(&s, 0, &c, &cause), SSTC_TAKE_NONE);
	}
}
END_TEST

/* vsip/vsie alias hip/hie bit 6 as bit 5 only while hideleg delegates VSTI; sip/sie are them at V = 1. */
START_TEST(test_sstc_vs_irq_regs)
{
	struct sstc s;

	sstc_reset(&s, false, true);
	s.hvip_vstip = true;
	sstc_write(&s, false, CSR_HIE, ~0ull);
	ck_assert_uint_eq(sstc_read(&s, false, CSR_HIE, 0), MIP_VSTIP); /* only bit 6 is implemented */
	ck_assert_uint_eq(sstc_read(&s, false, CSR_HIP, 0), MIP_VSTIP);
	ck_assert_uint_eq(sstc_read(&s, false, CSR_VSIP, 0), 0);
	ck_assert_uint_eq(sstc_read(&s, false, CSR_VSIE, 0), 0);
	sstc_write(&s, false, CSR_VSIE, 0); /* read-only zero now: hie keeps its bit */
	ck_assert(s.hie_vstie);
	sstc_write(&s, false, CSR_HIDELEG, MIP_VSTIP | MIP_STIP);
	ck_assert_uint_eq(sstc_read(&s, false, CSR_HIDELEG, 0), MIP_VSTIP);
	ck_assert_uint_eq(sstc_read(&s, false, CSR_VSIP, 0), MIP_STIP);
	ck_assert_uint_eq(sstc_read(&s, true, CSR_SIP, 0), MIP_STIP);
	ck_assert_uint_eq(sstc_read(&s, true, CSR_SIE, 0), MIP_STIP);
	sstc_write(&s, true, CSR_SIE, 0);
	ck_assert(!s.hie_vstie);
	sstc_write(&s, false, CSR_HIP, 0); /* read-only */
	sstc_write(&s, false, CSR_VSIP, 0);
	ck_assert_uint_eq(sstc_read(&s, false, CSR_HIP, 0), MIP_VSTIP);
	/* access: H-level from VS is virtual, sip from VU virtual, from VS fine; sie at V = 0 is not the model's */
	ck_assert_int_eq(sstc_check(&s, SSTC_PRIV_S, true, CSR_HIDELEG, false), SSTC_VIRTUAL);
	ck_assert_int_eq(sstc_check(&s, SSTC_PRIV_U, false, CSR_HIE, false), SSTC_ILLEGAL);
	ck_assert_int_eq(sstc_check(&s, SSTC_PRIV_S, false, CSR_HVIP, true), SSTC_OK);
	ck_assert_int_eq(sstc_check(&s, SSTC_PRIV_S, true, CSR_SIP, false), SSTC_OK);
	ck_assert_int_eq(sstc_check(&s, SSTC_PRIV_U, true, CSR_SIP, false), SSTC_VIRTUAL);
	ck_assert_int_eq(sstc_check(&s, SSTC_PRIV_S, false, CSR_SIE, false), SSTC_NOT_MINE);
	sstc_reset(&s, false, false);
	ck_assert_int_eq(sstc_check(&s, SSTC_PRIV_S, false, CSR_HIDELEG, false), SSTC_ILLEGAL);
}
END_TEST

START_TEST(test_sstc_vs_timer)
{
	struct sstc s;
	const uint64_t t0 = 0x0000123456789abcull;
	uint64_t d;

	sstc_reset(&s, false, true);
	sstc_write(&s, false, CSR_HENVCFG, ENVCFG_STCE); /* 31 */
	ck_assert_uint_eq(sstc_read(&s, false, CSR_HENVCFG, 0), 0);
	sstc_write(&s, false, CSR_VSTIMECMP, 0);
	ck_assert(!sstc_vstip(&s, 5)); /* VSTIP = hvip.VSTIP only */
	s.hvip_vstip = true;
	ck_assert(sstc_vstip(&s, 5));
	s.hvip_vstip = false;

	enabled(&s);
	sstc_write(&s, false, CSR_HTIMEDELTA, 0 - t0); /* 33: the guest's time starts at 0 */
	sstc_write(&s, false, CSR_VSTIMECMP, 10);
	ck_assert_uint_eq(sstc_read(&s, true, CSR_TIME, t0 + 3), 3);
	ck_assert(!sstc_vstip(&s, t0 + 9));
	ck_assert(sstc_vstip(&s, t0 + 10));
	ck_assert(sstc_next_change(&s, t0, &d));
	ck_assert_uint_eq(d, 10);
	sstc_write(&s, false, CSR_STIMECMP, t0 + 4); /* the nearer of the two */
	ck_assert(sstc_next_change(&s, t0, &d));
	ck_assert_uint_eq(d, 4);

	s.hvip_vstip = true; /* 35 */
	sstc_write(&s, false, CSR_VSTIMECMP, UINT64_MAX);
	ck_assert(sstc_vstip(&s, t0));
	s.hvip_vstip = false;
	sstc_write(&s, false, CSR_VSTIMECMP, 0); /* the guest's time 0 is not before 0 */
	ck_assert(sstc_vstip(&s, t0));
	ck_assert_uint_eq(sstc_mip(&s, t0), MIP_VSTIP);
	sstc_write(&s, false, CSR_MENVCFG, 0); /* menvcfg.STCE = 0 forces henvcfg.STCE to 0 */
	ck_assert(!sstc_vstip(&s, t0));
	sstc_write(&s, false, CSR_MENVCFG, ENVCFG_STCE);
	ck_assert_uint_eq(s.henvcfg, 0);
}
END_TEST

/* Every distance next_change gives lands exactly on a change, and nothing changes before it. */
START_TEST(test_sstc_next_change_exact)
{
	static const uint64_t pts[] = { 0, 1, 2, 1000, 0x7fffffffffffffffull, 0x8000000000000000ull,
					0xfffffffffffffffeull, UINT64_MAX };
	struct sstc s;

	enabled(&s);
	sstc_write(&s, false, CSR_HENVCFG, 0); /* the S timer alone */
	for (unsigned i = 0; i < sizeof(pts) / sizeof(pts[0]); i++)
		for (unsigned j = 0; j < sizeof(pts) / sizeof(pts[0]); j++) {
			uint64_t t = pts[j], d;
			bool lvl;

			s.stimecmp = pts[i];
			lvl = sstc_stip(&s, t);
			if (!sstc_next_change(&s, t, &d)) {
				ck_assert(pts[i] == 0 || pts[i] == UINT64_MAX);
				continue;
			}
			ck_assert_uint_ge(d, 1);
			ck_assert(sstc_stip(&s, t + d) != lvl);
			ck_assert(sstc_stip(&s, t + d - 1) == lvl);
		}
}
END_TEST

/* A hart without Sstc (`sstc-extension off`): no stimecmp at any level, STCE read-only zero. */
START_TEST(test_sstc_absent)
{
	struct sstc s;
	uint64_t old = 1, nv = 1;

	sstc_reset(&s, false, false);
	s.absent = true;
	ck_assert_int_eq(sstc_check(&s, SSTC_PRIV_M, false, CSR_STIMECMP, false), SSTC_ILLEGAL);
	ck_assert_int_eq(sstc_check(&s, SSTC_PRIV_S, false, CSR_STIMECMP, true), SSTC_ILLEGAL);
	ck_assert_int_eq(sstc_check(&s, SSTC_PRIV_M, false, CSR_MENVCFG, true), SSTC_OK); /* menvcfg exists */
	ck_assert_int_eq(sstc_csr_insn(&s, SSTC_PRIV_M, false, CSR_MENVCFG, SSTC_OP_RW, true, ENVCFG_STCE, 0, &old, &nv),
			 SSTC_OK);
	ck_assert_uint_eq(sstc_read(&s, false, CSR_MENVCFG, 0), 0); /* STCE did not stick */
	ck_assert(!sstc_stip(&s, 0));
	/* present: the same write sticks, and M may read stimecmp */
	s.absent = false;
	sstc_write(&s, false, CSR_MENVCFG, ENVCFG_STCE | 1);
	ck_assert_uint_eq(sstc_read(&s, false, CSR_MENVCFG, 0), ENVCFG_STCE);
	ck_assert_int_eq(sstc_check(&s, SSTC_PRIV_M, false, CSR_STIMECMP, false), SSTC_OK);
}
END_TEST

TCase *sstc_tcase(void)
{
	TCase *tc = tcase_create("sstc");

	tcase_add_test(tc, test_sstc_level);
	tcase_add_test(tc, test_sstc_unsigned_2_63);
	tcase_add_test(tc, test_sstc_all_ones_is_a_deadline);
	tcase_add_test(tc, test_sstc_wrap_falls);
	tcase_add_test(tc, test_sstc_reset_then_stce);
	tcase_add_test(tc, test_sstc_stip_software);
	tcase_add_test(tc, test_sstc_rv32_split_writes);
	tcase_add_test(tc, test_sstc_rv64_readback);
	tcase_add_test(tc, test_sstc_access_s_u);
	tcase_add_test(tc, test_sstc_access_vs);
	tcase_add_test(tc, test_sstc_access_hs_vstimecmp);
	tcase_add_test(tc, test_sstc_vs_timer);
	tcase_add_test(tc, test_sstc_vs_delivery_table);
	tcase_add_test(tc, test_sstc_vs_irq_regs);
	tcase_add_test(tc, test_sstc_next_change_exact);
	tcase_add_test(tc, test_sstc_absent);
	return tc;
}
