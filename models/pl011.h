/* SPDX-License-Identifier: MIT */
/*
 * models/pl011: the Arm PrimeCell UART (PL011), as Linux's amba-pl011
 * driver and its earlycon use it (docs/models/pl011.md).  Pure: registers
 * in, bytes and an interrupt level out.  Transmission is instant, so the
 * transmit FIFO is always empty; nothing is ever received.
 */
#ifndef HYPSIM_PL011_H
#define HYPSIM_PL011_H

#include <stdbool.h>
#include <stdint.h>

#define PL011_SIZE 0x1000ull

/* UARTRIS/UARTIMSC bits (PL011 TRM, DDI 0183, 3.3.13) */
#define PL011_INT_RX (1u << 4)
#define PL011_INT_TX (1u << 5)
#define PL011_INT_RT (1u << 6)
#define PL011_INT_ALL 0x7ffu

#define PL011_FIFO 32

/* UARTCR bits */
#define PL011_CR_UARTEN (1u << 0)
#define PL011_CR_TXE (1u << 8)
#define PL011_CR_RXE (1u << 9)
/* UARTLCR_H: FIFOs enabled, 8 data bits */
#define PL011_LCRH_FEN (1u << 4)
#define PL011_LCRH_WLEN8 (3u << 5)

struct pl011 {
	uint32_t ilpr, ibrd, fbrd, lcr_h, cr, ifls, imsc, ris, dmacr;
	/* Bytes written while the transmitter was off, sent when it is turned on. */
	uint8_t fifo[PL011_FIFO];
	unsigned nfifo;
	uint64_t tx_bytes; /* bytes transmitted since reset */
};

/* The registers' reset values (TRM 3.2): UART disabled, transmitter and receiver enabled. */
void pl011_reset(struct pl011 *u);
/**
 * pl011_access() - a load or store of @size (1, 2 or 4) bytes at offset
 * @off (< PL011_SIZE): a load's value goes to *@value, a store takes it
 * from *@value.  Bytes transmitted by the access (a UARTDR store, or a
 * UARTCR store that turns the transmitter on with bytes waiting) are
 * copied to @tx (room for PL011_FIFO).  Return: how many.
 */
unsigned pl011_access(struct pl011 *u, uint64_t off, unsigned size, bool write, uint64_t *value, uint8_t *tx);
/** pl011_irq() - the interrupt output (UARTINTR): any masked interrupt status bit set. */
bool pl011_irq(const struct pl011 *u);
uint64_t pl011_digest(const struct pl011 *u);

#endif
