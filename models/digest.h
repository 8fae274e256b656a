/* SPDX-License-Identifier: MIT */
/*
 * A model state digest: a 64-bit mix of a model's fields, fed one value at a
 * time so that padding bytes and host pointers never reach it.  Recordings
 * (sim/replay/record.c) store these to find which model diverged; equal states give
 * equal digests on every host.
 */
#ifndef HYPSIM_DIGEST_H
#define HYPSIM_DIGEST_H

#include <stdint.h>

#define DG_INIT 0x6a09e667f3bcc909ull

static inline uint64_t dg_u64(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	h ^= h >> 31;
	h *= 0xbf58476d1ce4e5b9ull;
	return h ^ (h >> 29);
}

static inline uint64_t dg_array(uint64_t h, const uint64_t *v, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		h = dg_u64(h, v[i]);
	return h;
}

#endif
