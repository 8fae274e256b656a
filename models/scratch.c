/* SPDX-License-Identifier: MIT */
#include "scratch.h"

uint64_t scratch_load(const struct scratch *s, uint64_t off, unsigned size)
{
	if (size != 4)
		return 0;
	if (off == SCRATCH_REG_VALUE)
		return s->value;
	if (off == SCRATCH_REG_STORES)
		return s->stores;
	return 0;
}

bool scratch_store(struct scratch *s, uint64_t off, unsigned size, uint64_t value)
{
	if (size != 4 || off != SCRATCH_REG_VALUE)
		return false;
	s->value = (uint32_t)value;
	s->stores++;
	return true;
}
