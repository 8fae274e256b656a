/* SPDX-License-Identifier: MIT */
#include <errno.h>

#include "clock.h"

typedef unsigned __int128 u128;

static uint64_t sat64(u128 v)
{
	return v > (u128)UINT64_MAX ? VCLOCK_NEVER : (uint64_t)v;
}

/* ceil(a * b / d) with a 128-bit product; d > 0. */
static u128 muldiv_ceil(uint64_t a, uint64_t b, uint64_t d)
{
	u128 p = (u128)a * b;

	return p / d + (p % d != 0);
}

int vclock_init(struct vclock *clk, uint64_t cpu_hz, uint64_t timebase_hz)
{
	if (cpu_hz == 0 || timebase_hz == 0)
		return -EINVAL;
	clk->cpu_hz = cpu_hz;
	clk->timebase_hz = timebase_hz;
	clk->offset = 0;
	return 0;
}

uint64_t vclock_ticks(const struct vclock *clk, uint64_t cycle)
{
	u128 t = (u128)cycle * clk->timebase_hz / clk->cpu_hz;

	return clk->offset + (uint64_t)t; /* the counter is 64 bits wide: wraps */
}

uint64_t vclock_cycle_for_ticks(const struct vclock *clk, uint64_t elapsed)
{
	return sat64(muldiv_ceil(elapsed, clk->cpu_hz, clk->timebase_hz));
}

uint64_t vclock_cycle_for_counter(const struct vclock *clk, uint64_t now, uint64_t target)
{
	uint64_t cur = vclock_ticks(clk, now);
	/* Ticks elapsed since cycle 0 at which the counter equals target, if it
	 * gets there before wrapping: the counter runs from offset upwards. */
	uint64_t since_zero = (uint64_t)((u128)now * clk->timebase_hz / clk->cpu_hz);
	uint64_t remaining, cycle;

	if (cur >= target)
		return now;
	remaining = target - cur;
	if (since_zero > UINT64_MAX - remaining)
		return VCLOCK_NEVER;
	cycle = vclock_cycle_for_ticks(clk, since_zero + remaining);
	return cycle < now ? now : cycle;
}

void vclock_set_ticks(struct vclock *clk, uint64_t cycle, uint64_t value)
{
	clk->offset = value - (vclock_ticks(clk, cycle) - clk->offset);
}

uint64_t vclock_cycle_after(const struct vclock *clk, uint64_t now, uint64_t d)
{
	const uint64_t f = clk->cpu_hz, t = clk->timebase_hz;
	u128 base = (u128)now * t / f, k, q, r;

	if (base > ~(u128)0 - d)
		return VCLOCK_NEVER;
	k = base + d; /* elapsed ticks to reach */
	q = k / t;
	r = k % t;

	/* ceil(k * F / T) = q * F + ceil(r * F / T), without overflowing 128 bits */
	if (q > (u128)(UINT64_MAX / f))
		return VCLOCK_NEVER;
	return sat64(q * f + muldiv_ceil((uint64_t)r, f, t));
}

uint64_t vclock_ns(const struct vclock *clk, uint64_t cycle)
{
	return sat64((u128)cycle * 1000000000u / clk->cpu_hz);
}

uint64_t vclock_cycle_for_ns(const struct vclock *clk, uint64_t ns)
{
	return sat64(muldiv_ceil(ns, clk->cpu_hz, 1000000000u));
}
