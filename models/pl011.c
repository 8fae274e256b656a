/* SPDX-License-Identifier: MIT */
/*
 * models/pl011: the PL011 UART's registers (Arm PrimeCell UART (PL011)
 * Technical Reference Manual, DDI 0183, chapter 3), with instant
 * transmission and an idle receiver:
 *
 *   - A UARTDR store transmits its byte at once when the UART and its
 *     transmitter are enabled (UARTCR.UARTEN and TXE); otherwise the byte
 *     waits in the transmit FIFO (32 entries with UARTLCR_H.FEN, else 1;
 *     a store to a full FIFO is lost) and goes out when both are set.
 *   - Each transmission empties the FIFO, which raises the transmit
 *     interrupt (UARTRIS.TXRIS) until UARTICR clears it: the FIFO has
 *     passed its trigger level, as TRM 3.4.3 describes.  QEMU's
 *     hw/char/pl011.c (7.2) sets TXRIS on every UARTDR store the same way.
 *   - UARTFR: TXFE while nothing waits, TXFF when the FIFO is full, RXFE
 *     always (nothing is received), BUSY never; modem inputs read 0.
 *   - The peripheral and PrimeCell ID registers hold the PL011 r1p5 values
 *     (0x00141011, 0xb105f00d) Linux's AMBA bus matches.
 */
#include <string.h>

#include "digest.h"
#include "pl011.h"

enum {
	UARTDR = 0x000, UARTRSR = 0x004, UARTFR = 0x018, UARTILPR = 0x020, UARTIBRD = 0x024, UARTFBRD = 0x028,
	UARTLCR_H = 0x02c, UARTCR = 0x030, UARTIFLS = 0x034, UARTIMSC = 0x038, UARTRIS = 0x03c, UARTMIS = 0x040,
	UARTICR = 0x044, UARTDMACR = 0x048, UARTPERIPHID0 = 0xfe0,
};

#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)
#define FR_TXFE (1u << 7)

static const uint8_t ids[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

void pl011_reset(struct pl011 *u)
{
	memset(u, 0, sizeof(*u));
	u->cr = PL011_CR_TXE | PL011_CR_RXE;
	u->ifls = 0x12;
}

static bool tx_on(const struct pl011 *u)
{
	return (u->cr & (PL011_CR_UARTEN | PL011_CR_TXE)) == (PL011_CR_UARTEN | PL011_CR_TXE);
}

static unsigned fifo_depth(const struct pl011 *u)
{
	return u->lcr_h & PL011_LCRH_FEN ? PL011_FIFO : 1;
}

/* Send what waits, if the transmitter is on. Return: bytes copied to @tx. */
static unsigned drain(struct pl011 *u, uint8_t *tx)
{
	unsigned n = u->nfifo;

	if (!n || !tx_on(u))
		return 0;
	memcpy(tx, u->fifo, n);
	u->nfifo = 0;
	u->tx_bytes += n;
	u->ris |= PL011_INT_TX;
	return n;
}

static uint32_t reg_read(const struct pl011 *u, uint64_t r)
{
	switch (r) {
	case UARTFR:
		return FR_RXFE | (u->nfifo ? 0 : FR_TXFE) | (u->nfifo >= fifo_depth(u) ? FR_TXFF : 0);
	case UARTILPR: return u->ilpr;
	case UARTIBRD: return u->ibrd;
	case UARTFBRD: return u->fbrd;
	case UARTLCR_H: return u->lcr_h;
	case UARTCR: return u->cr;
	case UARTIFLS: return u->ifls;
	case UARTIMSC: return u->imsc;
	case UARTRIS: return u->ris;
	case UARTMIS: return u->ris & u->imsc;
	case UARTDMACR: return u->dmacr;
	default:
		if (r >= UARTPERIPHID0 && r < UARTPERIPHID0 + 4 * sizeof(ids))
			return ids[(r - UARTPERIPHID0) / 4];
		return 0; /* UARTDR (nothing received), UARTRSR (no errors), reserved */
	}
}

static unsigned reg_write(struct pl011 *u, uint64_t r, uint32_t v, uint8_t *tx)
{
	switch (r) {
	case UARTDR:
		if (u->nfifo < fifo_depth(u))
			u->fifo[u->nfifo++] = (uint8_t)v;
		return drain(u, tx);
	case UARTILPR: u->ilpr = v & 0xff; break;
	case UARTIBRD: u->ibrd = v & 0xffff; break;
	case UARTFBRD: u->fbrd = v & 0x3f; break;
	case UARTLCR_H: u->lcr_h = v & 0xff; break;
	case UARTCR:
		u->cr = v & 0xffff;
		return drain(u, tx);
	case UARTIFLS: u->ifls = v & 0x3f; break;
	case UARTIMSC: u->imsc = v & PL011_INT_ALL; break;
	case UARTICR: u->ris &= ~v; break;
	case UARTDMACR: u->dmacr = v & 0x7; break;
	default: break; /* UARTRSR/UARTECR (clears errors there are none of), read-only and reserved offsets */
	}
	return 0;
}

unsigned pl011_access(struct pl011 *u, uint64_t off, unsigned size, bool write, uint64_t *value, uint8_t *tx)
{
	unsigned shift = (unsigned)(off & 3) * 8;
	uint64_t mask = size >= 4 ? 0xffffffffull : (1ull << (8 * size)) - 1;
	uint32_t old;

	off &= PL011_SIZE - 4;
	old = reg_read(u, off);
	if (!write) {
		*value = (old >> shift) & mask;
		return 0;
	}
	/* a narrower store replaces its bytes of the register (a byte store to UARTDR is the byte) */
	if (off == UARTDR || off == UARTICR)
		return reg_write(u, off, (uint32_t)((*value & mask) << shift), tx);
	return reg_write(u, off, (uint32_t)((old & ~(mask << shift)) | ((*value & mask) << shift)), tx);
}

bool pl011_irq(const struct pl011 *u)
{
	return (u->ris & u->imsc) != 0;
}

uint64_t pl011_digest(const struct pl011 *u)
{
	uint64_t h = DG_INIT;
	unsigned i;

	h = dg_u64(h, u->ilpr);
	h = dg_u64(h, u->ibrd);
	h = dg_u64(h, u->fbrd);
	h = dg_u64(h, u->lcr_h);
	h = dg_u64(h, u->cr);
	h = dg_u64(h, u->ifls);
	h = dg_u64(h, u->imsc);
	h = dg_u64(h, u->ris);
	h = dg_u64(h, u->dmacr);
	h = dg_u64(h, u->nfifo);
	for (i = 0; i < u->nfifo; i++)
		h = dg_u64(h, u->fifo[i]);
	return dg_u64(h, u->tx_bytes);
}
