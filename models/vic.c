/* SPDX-License-Identifier: MIT */
#include "vic.h"

#define NWORDS (sizeof(((struct vic *)0)->pending) / sizeof(uint64_t))

bool vic_set(struct vic *c, unsigned intid, bool level)
{
	if (intid < VIC_NR_INTIDS) {
		uint64_t bit = 1ull << (intid % 64);

		if (level)
			c->pending[intid / 64] |= bit;
		else
			c->pending[intid / 64] &= ~bit;
	}
	return vic_output(c);
}

bool vic_output(const struct vic *c)
{
	unsigned i;

	for (i = 0; i < NWORDS; i++)
		if (c->pending[i])
			return true;
	return false;
}

unsigned vic_ack(struct vic *c)
{
	unsigned i;

	for (i = 0; i < NWORDS; i++)
		if (c->pending[i]) {
			unsigned intid = i * 64 + (unsigned)__builtin_ctzll(c->pending[i]);

			c->pending[i] &= c->pending[i] - 1;
			return intid;
		}
	return VIC_SPURIOUS;
}
