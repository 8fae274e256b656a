/* SPDX-License-Identifier: MIT */
/*
 * models/ns16550: the National Semiconductor 16550A UART (reg-shift 0,
 * byte registers), as OpenSBI's uart8250 driver (lib/utils/serial/uart8250.c)
 * and QEMU virt's serial port present it (docs/models/ns16550.md).  Pure:
 * registers in, bytes and an interrupt level out.  Transmission is instant,
 * so the transmitter is always empty (LSR.THRE and LSR.TEMT read 1); nothing
 * is ever received (LSR.DR reads 0, RBR reads 0).
 *
 *   0 RBR (load) / THR (store); DLL while LCR.DLAB = 1
 *   1 IER (bits 3:0); DLM while LCR.DLAB = 1
 *   2 IIR (load) / FCR (store: bit 0 enables the FIFOs, IIR bits 7:6 show it)
 *   3 LCR   4 MCR (bits 4:0)   5 LSR (read-only)   6 MSR   7 SCR
 *
 * Interrupts: only "transmitter holding register empty" can be pending
 * (IER.ETBEI): it rises when ETBEI is set and after each THR store (the
 * byte is gone at once), and a load of IIR that reports it, or a THR store,
 * clears it (16550A data sheet, "Interrupt Identification Register").
 * With MCR.LOOP, MSR reflects MCR: CTS = RTS, DSR = DTR, RI = OUT1, DCD = OUT2.
 */
#ifndef HYPSIM_NS16550_H
#define HYPSIM_NS16550_H

#include <stdbool.h>
#include <stdint.h>

#define NS16550_SIZE 0x100ull
#define NS16550_LSR_DR 0x01u
#define NS16550_LSR_THRE 0x20u
#define NS16550_LSR_TEMT 0x40u
#define NS16550_LCR_DLAB 0x80u
#define NS16550_IER_ETBEI 0x02u

struct ns16550 {
	uint8_t ier, lcr, mcr, scr, dll, dlm, fcr;
	bool thre_pending;
	uint64_t tx_bytes; /* bytes transmitted since reset */
};

/* The reset values: everything 0 (the divisor latch too), transmitter empty. */
void ns16550_reset(struct ns16550 *u);
/**
 * ns16550_access() - a load or store of @size (1, 2 or 4) bytes at offset
 * @off (< 0x1000: the page it is mapped in): only the low byte reaches the register at @off
 * (offsets 8 and up read 0, stores there are ignored).  A load's value goes
 * to *@value, a store takes it from *@value.  Return: true when the store
 * transmitted a byte (*@tx).
 */
bool ns16550_access(struct ns16550 *u, uint64_t off, unsigned size, bool write, uint64_t *value, uint8_t *tx);
/* The interrupt output: a pending enabled interrupt. */
bool ns16550_irq(const struct ns16550 *u);
/* The divisor latch (DLM:DLL): baud = clock / (16 * divisor). */
unsigned ns16550_divisor(const struct ns16550 *u);
uint64_t ns16550_digest(const struct ns16550 *u);

/*
 * The SiFive test device ("sifive,test1", QEMU's sifive_test, OpenSBI's
 * lib/utils/reset/fdt_reset_sifive_test.c): a 16- or 32-bit store at offset 0 whose
 * low 16 bits are 0x5555 (pass: power off), 0x3333 (fail, exit code in
 * bits 31:16 of a 32-bit store) or 0x7777 (reset) ends the machine; any other value, and
 * every load (0), do nothing.
 */
#define SIFIVE_TEST_SIZE 0x1000ull
enum sifive_test_op { SIFIVE_TEST_NONE, SIFIVE_TEST_PASS, SIFIVE_TEST_FAIL, SIFIVE_TEST_RESET };
enum sifive_test_op sifive_test_store(uint64_t off, unsigned size, uint64_t value, int *code);

#endif
