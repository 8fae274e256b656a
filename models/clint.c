/* SPDX-License-Identifier: MIT */
#include "clint.h"
#include "digest.h"

#include <string.h>

void clint_reset(struct clint *c, unsigned nharts)
{
	unsigned i;

	memset(c, 0, sizeof(*c));
	c->nharts = nharts > CLINT_MAX_HARTS ? CLINT_MAX_HARTS : nharts;
	for (i = 0; i < CLINT_MAX_HARTS; i++)
		c->mtimecmp[i] = UINT64_MAX;
}

/* A 4-byte half (@off & 4) or all 8 bytes of a 64-bit register. */
static uint64_t read64(uint64_t reg, uint64_t off, unsigned size)
{
	return size == 8 ? reg : (off & 4) ? reg >> 32 : reg & 0xffffffffu;
}

static uint64_t merge64(uint64_t reg, uint64_t off, unsigned size, uint64_t v)
{
	if (size == 8)
		return v;
	if (off & 4)
		return (reg & 0xffffffffu) | (v & 0xffffffffu) << 32;
	return (reg & ~0xffffffffull) | (v & 0xffffffffu);
}

enum clint_result clint_access(struct clint *c, uint64_t off, unsigned size, bool write, uint64_t *value,
			       uint64_t mtime, int *hart)
{
	*hart = -1;
	if ((size != 4 && size != 8) || (off & (size - 1))) {
		if (!write)
			*value = 0;
		return CLINT_REFUSED;
	}
	if (off < CLINT_MSIP + 4u * c->nharts) {
		unsigned h = (unsigned)(off - CLINT_MSIP) / 4;

		if (size != 4) {
			if (!write)
				*value = 0;
			return CLINT_REFUSED;
		}
		if (write) {
			c->msip[h] = (uint32_t)*value & 1;
			*hart = (int)h;
		} else {
			*value = c->msip[h];
		}
		return CLINT_OK;
	}
	if (off >= CLINT_MTIMECMP && off < CLINT_MTIMECMP + 8u * c->nharts) {
		unsigned h = (unsigned)(off - CLINT_MTIMECMP) / 8;

		if (write) {
			c->mtimecmp[h] = merge64(c->mtimecmp[h], off, size, *value);
			*hart = (int)h;
		} else {
			*value = read64(c->mtimecmp[h], off, size);
		}
		return CLINT_OK;
	}
	if (off >= CLINT_MTIME && off < CLINT_MTIME + 8) {
		if (write) {
			*value = merge64(mtime, off, size, *value);
			return CLINT_SET_MTIME;
		}
		*value = read64(mtime, off, size);
		return CLINT_OK;
	}
	if (!write)
		*value = 0;
	return CLINT_OK;
}

bool clint_msip(const struct clint *c, unsigned hart)
{
	return hart < c->nharts && (c->msip[hart] & 1);
}

bool clint_mtip(const struct clint *c, unsigned hart, uint64_t mtime)
{
	return hart < c->nharts && mtime >= c->mtimecmp[hart];
}

bool clint_next_change(const struct clint *c, unsigned hart, uint64_t mtime, uint64_t *ticks)
{
	if (hart >= c->nharts)
		return false;
	if (mtime < c->mtimecmp[hart]) {
		*ticks = c->mtimecmp[hart] - mtime;
		return true;
	}
	if (mtime == 0)
		return false; /* high from 0 to 2^64 - 1: the fall is 2^64 ticks away */
	*ticks = 0 - mtime; /* the fall at the wrap */
	return true;
}

uint64_t clint_digest(const struct clint *c)
{
	uint64_t h = dg_u64(DG_INIT, c->nharts);
	unsigned i;

	for (i = 0; i < c->nharts; i++)
		h = dg_u64(dg_u64(h, c->mtimecmp[i]), c->msip[i]);
	return h;
}
