/* SPDX-License-Identifier: MIT */
/*
 * The virtual clock.
 *
 * Virtual time is counted in CPU cycles: every retired guest instruction is
 * one cycle at the configured CPU frequency F (Hz), and idle time in WFI jumps
 * whole cycles.  The architectural counter (riscv `time`, arm64 CNTVCT_EL0)
 * ticks at the timebase T (Hz):
 *
 *     ticks(c) = offset + floor(c * T / F)          (mod 2^64)
 *
 * and a counter value k (relative to offset) is first reached at cycle
 *
 *     cycle_of(k) = ceil(k * F / T)
 *
 * which is the first instruction boundary at which floor(c*T/F) >= k: never
 * one earlier, never one later.  All arithmetic is exact, with unsigned
 * 128-bit intermediates; results that do not fit 64 bits saturate to
 * VCLOCK_NEVER.  No floating point anywhere.
 */
#ifndef HYPSIM_CLOCK_H
#define HYPSIM_CLOCK_H

#include <stdint.h>

#define VCLOCK_NEVER UINT64_MAX

struct vclock {
	uint64_t cpu_hz;      /* F: instructions (cycles) per second, > 0 */
	uint64_t timebase_hz; /* T: counter ticks per second, > 0 */
	uint64_t offset;      /* counter value at cycle 0 */
};

/** vclock_init() - Return: 0, or -EINVAL when a frequency is zero. */
int vclock_init(struct vclock *clk, uint64_t cpu_hz, uint64_t timebase_hz);

/**
 * vclock_set_ticks() - the counter reads @value at @cycle from now on (an
 * mtime or CNTPCT write): the offset moves, the tick boundaries stay.
 */
void vclock_set_ticks(struct vclock *clk, uint64_t cycle, uint64_t value);

/** vclock_ticks() - the counter value at @cycle (wraps modulo 2^64). */
uint64_t vclock_ticks(const struct vclock *clk, uint64_t cycle);

/**
 * vclock_cycle_for_ticks() - first cycle at which floor(c*T/F) >= @elapsed
 * (ticks counted from cycle 0, offset not included).
 * Return: that cycle, or VCLOCK_NEVER when it is beyond 2^64 - 1.
 */
uint64_t vclock_cycle_for_ticks(const struct vclock *clk, uint64_t elapsed);

/**
 * vclock_cycle_for_counter() - first cycle at or after @now at which the
 * counter (offset included) is >= @target, comparing as unsigned 64-bit
 * values without wrapping.  Return: @now when already reached; VCLOCK_NEVER
 * when the counter would have to wrap past 2^64 first or the cycle does not
 * fit in 64 bits.
 */
uint64_t vclock_cycle_for_counter(const struct vclock *clk, uint64_t now, uint64_t target);

/**
 * vclock_cycle_after() - first cycle at which floor(c*T/F) is @d more than
 * at @now: the instruction boundary where a counter @d ticks ahead of its
 * value at @now is reached (counting through the 2^64 wrap).
 * Return: that cycle, or VCLOCK_NEVER when it is beyond 2^64 - 1.
 */
uint64_t vclock_cycle_after(const struct vclock *clk, uint64_t now, uint64_t d);

/**
 * vclock_ns() - floor(@cycle * 10^9 / F): nanoseconds, for display; UINT64_MAX
 * when that is beyond 2^64 - 1 (about 584 years).
 */
uint64_t vclock_ns(const struct vclock *clk, uint64_t cycle);

/** vclock_cycle_for_ns() - ceil(@ns * F / 10^9), saturating to VCLOCK_NEVER. */
uint64_t vclock_cycle_for_ns(const struct vclock *clk, uint64_t ns);

#endif
