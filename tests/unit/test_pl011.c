/* SPDX-License-Identifier: MIT */
/*
 * Check tests for models/pl011 against the PL011 TRM (DDI 0183): reset
 * values (3.2), the flag register, the ID registers Linux's AMBA bus reads,
 * transmission gated by UARTEN and TXE with the FIFO depth LCR_H.FEN gives,
 * the transmit interrupt (raised by a transmission, cleared by UARTICR,
 * masked by UARTIMSC) and register widths.
 */
#include <check.h>

#include "pl011.h"
#include "suites.h"

static uint64_t rd(struct pl011 *u, uint64_t off, unsigned size)
{
	uint64_t v = ~0ull;
	uint8_t tx[PL011_FIFO];

	ck_assert_uint_eq(pl011_access(u, off, size, false, &v, tx), 0);
	return v;
}

static unsigned wr(struct pl011 *u, uint64_t off, unsigned size, uint64_t v, uint8_t *tx)
{
	return pl011_access(u, off, size, true, &v, tx);
}

START_TEST(test_pl011_reset_and_ids)
{
	static const uint8_t ids[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };
	struct pl011 u;
	int i;

	pl011_reset(&u);
	ck_assert_uint_eq(rd(&u, 0x030, 4), 0x300); /* UARTCR: TXE | RXE, UART disabled */
	ck_assert_uint_eq(rd(&u, 0x034, 4), 0x12);  /* UARTIFLS: 1/2 full */
	ck_assert_uint_eq(rd(&u, 0x018, 4), 0x90);  /* UARTFR: TXFE | RXFE */
	ck_assert_uint_eq(rd(&u, 0x038, 4), 0);
	ck_assert_uint_eq(rd(&u, 0x03c, 4), 0);
	ck_assert_uint_eq(rd(&u, 0x000, 4), 0); /* nothing received */
	for (i = 0; i < 8; i++)
		ck_assert_uint_eq(rd(&u, 0xfe0 + 4 * (uint64_t)i, 4), ids[i]);
	ck_assert_uint_eq(rd(&u, 0x800, 4), 0); /* reserved */
	ck_assert(!pl011_irq(&u));
}
END_TEST

START_TEST(test_pl011_transmit_gated)
{
	struct pl011 u;
	uint8_t tx[PL011_FIFO];
	int i;

	pl011_reset(&u);
	/* disabled, no FIFO: one byte waits, the next is lost */
	ck_assert_uint_eq(wr(&u, 0x000, 4, 'a', tx), 0);
	ck_assert_uint_eq(rd(&u, 0x018, 4), 0x10 | 0x20); /* RXFE, TXFF; not TXFE */
	ck_assert_uint_eq(wr(&u, 0x000, 4, 'b', tx), 0);
	/* enabled: the waiting byte goes out */
	ck_assert_uint_eq(wr(&u, 0x030, 4, 0x301, tx), 1);
	ck_assert_uint_eq(tx[0], 'a');
	ck_assert_uint_eq(rd(&u, 0x018, 4), 0x90);
	ck_assert_uint_eq(u.tx_bytes, 1);
	/* FIFOs on, transmitter off: 32 wait, then sent together */
	ck_assert_uint_eq(wr(&u, 0x02c, 4, 0x70, tx), 0);
	ck_assert_uint_eq(wr(&u, 0x030, 4, 0x201, tx), 0);
	for (i = 0; i < 33; i++)
		ck_assert_uint_eq(wr(&u, 0x000, 1, (uint64_t)('0' + i), tx), 0);
	ck_assert_uint_eq(rd(&u, 0x018, 4) & 0x20, 0x20);
	ck_assert_uint_eq(wr(&u, 0x030, 4, 0x301, tx), 32);
	ck_assert_uint_eq(tx[0], '0');
	ck_assert_uint_eq(tx[31], '0' + 31);
	/* on: a store is sent at once */
	ck_assert_uint_eq(wr(&u, 0x000, 2, 0x1241, tx), 1);
	ck_assert_uint_eq(tx[0], 'A');
}
END_TEST

START_TEST(test_pl011_tx_interrupt)
{
	struct pl011 u;
	uint8_t tx[PL011_FIFO];

	pl011_reset(&u);
	wr(&u, 0x030, 4, 0x301, tx);
	wr(&u, 0x000, 4, 'x', tx);
	ck_assert_uint_eq(rd(&u, 0x03c, 4), PL011_INT_TX); /* raw: raised by the transmission */
	ck_assert_uint_eq(rd(&u, 0x040, 4), 0);            /* masked */
	ck_assert(!pl011_irq(&u));
	wr(&u, 0x038, 4, PL011_INT_TX | PL011_INT_RT, tx);
	ck_assert_uint_eq(rd(&u, 0x040, 4), PL011_INT_TX);
	ck_assert(pl011_irq(&u));
	wr(&u, 0x044, 4, PL011_INT_TX, tx); /* UARTICR */
	ck_assert_uint_eq(rd(&u, 0x03c, 4), 0);
	ck_assert(!pl011_irq(&u));
	wr(&u, 0x03c, 4, PL011_INT_TX, tx); /* UARTRIS is read-only */
	ck_assert_uint_eq(rd(&u, 0x03c, 4), 0);
}
END_TEST

START_TEST(test_pl011_widths)
{
	struct pl011 u;
	uint8_t tx[PL011_FIFO];

	pl011_reset(&u);
	wr(&u, 0x024, 4, 0xffffffff, tx); /* UARTIBRD: 16 bits */
	ck_assert_uint_eq(rd(&u, 0x024, 4), 0xffff);
	wr(&u, 0x028, 4, 0xff, tx); /* UARTFBRD: 6 bits */
	ck_assert_uint_eq(rd(&u, 0x028, 4), 0x3f);
	wr(&u, 0x038, 4, 0xffff, tx); /* UARTIMSC: 11 bits */
	ck_assert_uint_eq(rd(&u, 0x038, 4), 0x7ff);
	wr(&u, 0x031, 1, 0x02, tx); /* a byte store to UARTCR's high byte keeps the low one */
	ck_assert_uint_eq(rd(&u, 0x030, 4), 0x200);
	ck_assert_uint_eq(rd(&u, 0x031, 1), 0x02);
	ck_assert_uint_eq(rd(&u, 0x018, 2), 0x90);
}
END_TEST

TCase *pl011_tcase(void)
{
	TCase *tc = tcase_create("pl011");

	tcase_add_test(tc, test_pl011_reset_and_ids);
	tcase_add_test(tc, test_pl011_transmit_gated);
	tcase_add_test(tc, test_pl011_tx_interrupt);
	tcase_add_test(tc, test_pl011_widths);
	return tc;
}
