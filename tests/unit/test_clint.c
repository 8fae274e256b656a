/* SPDX-License-Identifier: MIT */
/*
 * Check tests for models/clint (the SiFive CLINT as an ACLINT MSWI +
 * MTIMER pair, RISC-V ACLINT specification 1.0), models/ns16550 (the
 * 16550A UART as OpenSBI's uart8250 driver uses it) and the SiFive test
 * device's decoding: register layout, access sizes, the unsigned compare
 * and its wrap, the THRE interrupt, the divisor latch.
 */
#include <check.h>

#include "clint.h"
#include "ns16550.h"
#include "suites.h"

static uint64_t crd(struct clint *c, uint64_t off, unsigned size, uint64_t mtime)
{
	uint64_t v = 0x5a5a5a5a5a5a5a5aull;
	int hart;

	ck_assert_int_eq(clint_access(c, off, size, false, &v, mtime, &hart), CLINT_OK);
	ck_assert_int_eq(hart, -1);
	return v;
}

static int cwr(struct clint *c, uint64_t off, unsigned size, uint64_t v)
{
	int hart;

	ck_assert_int_eq(clint_access(c, off, size, true, &v, 0, &hart), CLINT_OK);
	return hart;
}

START_TEST(test_clint_layout)
{
	struct clint c;

	clint_reset(&c, 2);
	ck_assert_uint_eq(crd(&c, 0x4000, 8, 0), UINT64_MAX); /* mtimecmp's reset value (the model's choice) */
	ck_assert_uint_eq(crd(&c, 0x4008, 8, 0), UINT64_MAX);
	ck_assert_uint_eq(crd(&c, 0x0000, 4, 0), 0);
	ck_assert_int_eq(cwr(&c, 0x0004, 4, 0xffffffff), 1); /* msip[1]: bit 0 only */
	ck_assert_uint_eq(crd(&c, 0x0004, 4, 0), 1);
	ck_assert(clint_msip(&c, 1) && !clint_msip(&c, 0));
	ck_assert_int_eq(cwr(&c, 0x4008, 4, 0x11223344), 1); /* mtimecmp[1], low half */
	ck_assert_int_eq(cwr(&c, 0x400c, 4, 0x55667788), 1); /* high half */
	ck_assert_uint_eq(crd(&c, 0x4008, 8, 0), 0x5566778811223344ull);
	ck_assert_uint_eq(crd(&c, 0x400c, 4, 0), 0x55667788);
	ck_assert_uint_eq(crd(&c, 0xbff8, 8, 0x123456789abcdef0ull), 0x123456789abcdef0ull); /* mtime */
	ck_assert_uint_eq(crd(&c, 0xbffc, 4, 0x123456789abcdef0ull), 0x12345678);
	ck_assert_uint_eq(crd(&c, 0x0008, 4, 0), 0); /* msip[2]: no such hart, reserved */
	ck_assert_uint_eq(crd(&c, 0x4010, 8, 0), 0);
	ck_assert_int_eq(cwr(&c, 0x4010, 8, 7), -1);
}
END_TEST

START_TEST(test_clint_sizes_and_mtime_store)
{
	struct clint c;
	uint64_t v = 0x99;
	int hart;

	clint_reset(&c, 1);
	ck_assert_int_eq(clint_access(&c, 0x0000, 8, true, &v, 0, &hart), CLINT_REFUSED); /* msip is 32 bits */
	ck_assert_int_eq(clint_access(&c, 0x4002, 4, false, &v, 0, &hart), CLINT_REFUSED); /* misaligned */
	ck_assert_uint_eq(v, 0);
	ck_assert_int_eq(clint_access(&c, 0x4000, 1, true, &v, 0, &hart), CLINT_REFUSED);
	ck_assert_uint_eq(crd(&c, 0x4000, 8, 0), UINT64_MAX);
	v = 0xabcd;
	ck_assert_int_eq(clint_access(&c, 0xbffc, 4, true, &v, 0x1111222233334444ull, &hart), CLINT_SET_MTIME);
	ck_assert_uint_eq(v, 0x0000abcd33334444ull); /* the new counter: the other half kept */
}
END_TEST

START_TEST(test_clint_compare_and_wrap)
{
	struct clint c;
	uint64_t d;

	clint_reset(&c, 1);
	ck_assert(!clint_mtip(&c, 0, 0));
	ck_assert(clint_next_change(&c, 0, 0, &d));
	ck_assert_uint_eq(d, UINT64_MAX); /* rises at 2^64 - 1 */
	cwr(&c, 0x4000, 8, 1000);
	ck_assert(!clint_mtip(&c, 0, 999));
	ck_assert(clint_mtip(&c, 0, 1000)); /* mtime >= mtimecmp */
	ck_assert(clint_next_change(&c, 0, 999, &d));
	ck_assert_uint_eq(d, 1);
	ck_assert(clint_mtip(&c, 0, 1ull << 63)); /* unsigned: 2^63 is above 1000 */
	ck_assert(clint_next_change(&c, 0, UINT64_MAX - 9, &d));
	ck_assert_uint_eq(d, 10); /* high until mtime wraps to 0 */
	cwr(&c, 0x4000, 8, 0);
	ck_assert(clint_mtip(&c, 0, 0));
	ck_assert(!clint_next_change(&c, 0, 0, &d)); /* 2^64 ticks away: never */
	ck_assert(!clint_mtip(&c, 1, 0));            /* no hart 1 */
}
END_TEST

static uint64_t urd(struct ns16550 *u, uint64_t off)
{
	uint64_t v = ~0ull;
	uint8_t tx;

	ck_assert(!ns16550_access(u, off, 1, false, &v, &tx));
	return v;
}

static bool uwr(struct ns16550 *u, uint64_t off, uint64_t v, uint8_t *tx)
{
	return ns16550_access(u, off, 1, true, &v, tx);
}

START_TEST(test_ns16550_uart8250_init_and_putc)
{
	struct ns16550 u;
	uint8_t tx = 0;

	ns16550_reset(&u);
	ck_assert_uint_eq(urd(&u, 5), NS16550_LSR_THRE | NS16550_LSR_TEMT);
	ck_assert_uint_eq(urd(&u, 2), 0x01); /* IIR: nothing pending */
	/* uart8250_init(): IER = 0, DLAB, divisor 3686400 / (16 * 115200) = 2, 8N1, FIFO, MCR = 0 */
	uwr(&u, 1, 0, &tx);
	uwr(&u, 3, 0x80, &tx);
	uwr(&u, 0, 2, &tx);
	uwr(&u, 1, 0, &tx);
	ck_assert_uint_eq(urd(&u, 0), 2); /* DLL while DLAB */
	uwr(&u, 3, 0x03, &tx);
	uwr(&u, 2, 0x01, &tx);
	uwr(&u, 4, 0x00, &tx);
	ck_assert_uint_eq(ns16550_divisor(&u), 2);
	ck_assert_uint_eq(urd(&u, 2), 0xc1); /* FIFOs on, nothing pending */
	ck_assert(uwr(&u, 0, 'K', &tx));
	ck_assert_uint_eq(tx, 'K');
	ck_assert_uint_eq(urd(&u, 5), 0x60); /* sent at once */
	ck_assert_uint_eq(urd(&u, 0), 0);    /* RBR: nothing received */
	ck_assert(!uwr(&u, 5, 0, &tx));      /* LSR is read-only */
	uwr(&u, 7, 0xa5, &tx);
	ck_assert_uint_eq(urd(&u, 7), 0xa5);
	ck_assert_uint_eq(urd(&u, 0x10), 0); /* past the registers */
	ck_assert_uint_eq(u.tx_bytes, 1);
}
END_TEST

START_TEST(test_ns16550_thre_interrupt_and_loop)
{
	struct ns16550 u;
	uint8_t tx;

	ns16550_reset(&u);
	ck_assert(!ns16550_irq(&u));
	uwr(&u, 1, NS16550_IER_ETBEI, &tx); /* enabling ETBEI with THR empty raises it */
	ck_assert(ns16550_irq(&u));
	ck_assert_uint_eq(urd(&u, 2), 0x02); /* IIR: THRE ... */
	ck_assert(!ns16550_irq(&u));         /* ... and reading IIR clears it */
	ck_assert_uint_eq(urd(&u, 2), 0x01);
	uwr(&u, 0, 'x', &tx); /* the byte is gone at once: THRE again */
	ck_assert(ns16550_irq(&u));
	uwr(&u, 1, 0, &tx);
	ck_assert(!ns16550_irq(&u));
	ck_assert_uint_eq(urd(&u, 6), 0); /* MSR: no modem lines */
	uwr(&u, 4, 0x10 | 0x0f, &tx);     /* loop, OUT2 OUT1 RTS DTR */
	ck_assert_uint_eq(urd(&u, 6), 0xf0);
	uwr(&u, 4, 0x10 | 0x02, &tx); /* loop, RTS only: CTS */
	ck_assert_uint_eq(urd(&u, 6), 0x10);
}
END_TEST

START_TEST(test_sifive_test_decoding)
{
	int code = -1;

	ck_assert_int_eq(sifive_test_store(0, 4, 0x5555, &code), SIFIVE_TEST_PASS);
	ck_assert_int_eq(sifive_test_store(0, 2, 0x5555, &code), SIFIVE_TEST_PASS); /* OpenSBI's writew */
	ck_assert_int_eq(sifive_test_store(0, 4, 0x00073333, &code), SIFIVE_TEST_FAIL);
	ck_assert_int_eq(code, 7);
	ck_assert_int_eq(sifive_test_store(0, 4, 0x7777, &code), SIFIVE_TEST_RESET);
	ck_assert_int_eq(sifive_test_store(0, 4, 0x1234, &code), SIFIVE_TEST_NONE);
	ck_assert_int_eq(sifive_test_store(4, 4, 0x5555, &code), SIFIVE_TEST_NONE);
	ck_assert_int_eq(sifive_test_store(0, 1, 0x55, &code), SIFIVE_TEST_NONE);
}
END_TEST

TCase *clint_tcase(void)
{
	TCase *tc = tcase_create("clint-ns16550");

	tcase_add_test(tc, test_clint_layout);
	tcase_add_test(tc, test_clint_sizes_and_mtime_store);
	tcase_add_test(tc, test_clint_compare_and_wrap);
	tcase_add_test(tc, test_ns16550_uart8250_init_and_putc);
	tcase_add_test(tc, test_ns16550_thre_interrupt_and_loop);
	tcase_add_test(tc, test_sifive_test_decoding);
	return tc;
}
