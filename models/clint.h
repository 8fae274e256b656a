/* SPDX-License-Identifier: MIT */
/*
 * models/clint: the SiFive CLINT, the core-local interruptor QEMU's virt
 * machine has and OpenSBI's generic platform drives as an ACLINT MSWI and
 * MTIMER pair ("riscv,clint0"; RISC-V ACLINT specification 1.0, and
 * lib/utils/timer/aclint_mtimer.c, lib/utils/ipi/aclint_mswi.c in OpenSBI).
 * Pure, in the tick domain (docs/models/clint.md):
 *
 *   0x0000 + 4h   msip[h]      bit 0 is hart h's MSIP, bits 31:1 read 0
 *   0x4000 + 8h   mtimecmp[h]  MTIP of hart h = mtime >= mtimecmp[h], unsigned
 *   0xbff8        mtime        the machine's tick counter (the value `time` reads)
 *
 * mtimecmp and mtime take 8-byte accesses or 4-byte halves; msip 4-byte
 * ones.  Choices where the specifications leave one (each has a test):
 *  - mtimecmp resets to 2^64 - 1 (the ACLINT specification gives no reset
 *    value); as on Sstc, 2^64 - 1 is a compare value like any other.
 *  - mtime is the machine's counter: a store to it (or to a half) answers
 *    CLINT_SET_MTIME with the new 64-bit value, which the caller makes the
 *    counter's (every tick-domain model then re-evaluates).
 *  - An access of another size, or misaligned, is refused (CLINT_REFUSED):
 *    a load reads 0, a store changes nothing.
 *  - Other offsets in the 64 KiB window read 0 and ignore stores (reserved).
 */
#ifndef HYPSIM_CLINT_H
#define HYPSIM_CLINT_H

#include <stdbool.h>
#include <stdint.h>

#define CLINT_SIZE 0x10000ull
#define CLINT_MSIP 0x0000u
#define CLINT_MTIMECMP 0x4000u
#define CLINT_MTIME 0xbff8u
#define CLINT_MAX_HARTS 8

struct clint {
	unsigned nharts;
	uint64_t mtimecmp[CLINT_MAX_HARTS];
	uint32_t msip[CLINT_MAX_HARTS];
};

enum clint_result {
	CLINT_OK,
	CLINT_SET_MTIME, /* a store to mtime: *value is the new counter value */
	CLINT_REFUSED,   /* an access of a size or alignment the device does not take */
};

void clint_reset(struct clint *c, unsigned nharts);
/**
 * clint_access() - a load or store of @size bytes at offset @off
 * (< CLINT_SIZE), at tick count @mtime.  A load's value goes to *@value, a
 * store takes it from *@value.  *@hart is set to the hart whose MSIP or
 * MTIP input the access may have changed (-1: none).
 */
enum clint_result clint_access(struct clint *c, uint64_t off, unsigned size, bool write, uint64_t *value,
			       uint64_t mtime, int *hart);
bool clint_msip(const struct clint *c, unsigned hart);
bool clint_mtip(const struct clint *c, unsigned hart, uint64_t mtime);
/*
 * Ticks from @mtime until hart @hart's MTIP next changes by the passing of
 * time: the rise at mtimecmp, or the fall when mtime wraps past 2^64.
 * False when it never will (the distance would be 2^64).
 */
bool clint_next_change(const struct clint *c, unsigned hart, uint64_t mtime, uint64_t *ticks);
uint64_t clint_digest(const struct clint *c);

#endif
