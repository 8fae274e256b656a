/* SPDX-License-Identifier: MIT */
/*
 * models/scratch: a scratch-register device, the smallest model with a
 * rule.  One page of MMIO space:
 *
 *   +0x0  SCRATCH  32-bit read/write: a load returns the last value stored
 *   +0x4  STORES   32-bit read-only: how many stores SCRATCH has taken
 *                  (wraps at 2^32); a store here is ignored
 *
 * Only aligned 32-bit accesses reach a register; anything else reads 0
 * and stores nothing (as many real devices ignore unsupported widths).
 * Pure: no I/O, the caller owns the state.
 */
#ifndef HYPSIM_SCRATCH_H
#define HYPSIM_SCRATCH_H

#include <stdbool.h>
#include <stdint.h>

#define SCRATCH_REG_VALUE 0x0
#define SCRATCH_REG_STORES 0x4
#define SCRATCH_SIZE 0x1000

struct scratch {
	uint32_t value;
	uint32_t stores;
};

/** scratch_load() - a load of @size bytes at @off (< SCRATCH_SIZE). Return: the value read. */
uint64_t scratch_load(const struct scratch *s, uint64_t off, unsigned size);
/** scratch_store() - a store of @size bytes at @off. Return: true if a register took it. */
bool scratch_store(struct scratch *s, uint64_t off, unsigned size, uint64_t value);

#endif
