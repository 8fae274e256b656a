/* SPDX-License-Identifier: MIT */
#include "digest.h"
#include "ns16550.h"

#include <string.h>

#define IIR_NONE 0x01u
#define IIR_THRE 0x02u
#define IIR_FIFO 0xc0u
#define MCR_LOOP 0x10u

void ns16550_reset(struct ns16550 *u)
{
	memset(u, 0, sizeof(*u));
}

static uint8_t msr(const struct ns16550 *u)
{
	uint8_t m = u->mcr;

	if (!(m & MCR_LOOP))
		return 0; /* no modem lines are connected */
	/* CTS <- RTS (bit 1), DSR <- DTR (bit 0), RI <- OUT1 (bit 2), DCD <- OUT2 (bit 3) */
	return (uint8_t)(((m & 2) << 3) | ((m & 1) << 5) | ((m & 4) << 4) | ((m & 8) << 4));
}

static uint8_t load(struct ns16550 *u, unsigned reg)
{
	bool dlab = u->lcr & NS16550_LCR_DLAB;
	uint8_t iir;

	switch (reg) {
	case 0:
		return dlab ? u->dll : 0;
	case 1:
		return dlab ? u->dlm : u->ier;
	case 2:
		iir = (u->fcr & 1 ? IIR_FIFO : 0) | (ns16550_irq(u) ? IIR_THRE : IIR_NONE);
		if (ns16550_irq(u))
			u->thre_pending = false; /* reading IIR acknowledges THRE */
		return iir;
	case 3:
		return u->lcr;
	case 4:
		return u->mcr;
	case 5:
		return NS16550_LSR_THRE | NS16550_LSR_TEMT;
	case 6:
		return msr(u);
	case 7:
		return u->scr;
	}
	return 0;
}

static bool store(struct ns16550 *u, unsigned reg, uint8_t v, uint8_t *tx)
{
	bool dlab = u->lcr & NS16550_LCR_DLAB;

	switch (reg) {
	case 0:
		if (dlab) {
			u->dll = v;
			return false;
		}
		*tx = v;
		u->tx_bytes++;
		u->thre_pending = true; /* sent at once: the holding register is empty again */
		return true;
	case 1:
		if (dlab) {
			u->dlm = v;
		} else {
			if ((v & NS16550_IER_ETBEI) && !(u->ier & NS16550_IER_ETBEI))
				u->thre_pending = true;
			u->ier = v & 0x0f;
		}
		return false;
	case 2:
		u->fcr = v & 1;
		return false;
	case 3:
		u->lcr = v;
		return false;
	case 4:
		u->mcr = v & 0x1f;
		return false;
	case 7:
		u->scr = v;
		return false;
	}
	return false; /* LSR and MSR are read-only */
}

bool ns16550_access(struct ns16550 *u, uint64_t off, unsigned size, bool write, uint64_t *value, uint8_t *tx)
{
	(void)size;
	if (off >= 8) {
		if (!write)
			*value = 0;
		return false;
	}
	if (write)
		return store(u, (unsigned)off, (uint8_t)*value, tx);
	*value = load(u, (unsigned)off);
	return false;
}

bool ns16550_irq(const struct ns16550 *u)
{
	return u->thre_pending && (u->ier & NS16550_IER_ETBEI);
}

unsigned ns16550_divisor(const struct ns16550 *u)
{
	return (unsigned)u->dlm << 8 | u->dll;
}

uint64_t ns16550_digest(const struct ns16550 *u)
{
	const uint64_t v[] = { u->ier, u->lcr, u->mcr, u->scr, u->dll, u->dlm, u->fcr, u->thre_pending, u->tx_bytes };

	return dg_array(DG_INIT, v, sizeof(v) / sizeof(v[0]));
}

enum sifive_test_op sifive_test_store(uint64_t off, unsigned size, uint64_t value, int *code)
{
	if (off != 0 || (size != 2 && size != 4))
		return SIFIVE_TEST_NONE;
	switch (value & 0xffff) {
	case 0x5555:
		return SIFIVE_TEST_PASS;
	case 0x3333:
		*code = size == 4 ? (int)((value >> 16) & 0xffff) : 0;
		return SIFIVE_TEST_FAIL;
	case 0x7777:
		return SIFIVE_TEST_RESET;
	}
	return SIFIVE_TEST_NONE;
}
