/* SPDX-License-Identifier: MIT */
/*
 * models/regfile: the simplest device, a register file that reads back what
 * was stored (a scenario's `device BASE SIZE`).  Pure: byte-addressed,
 * little-endian values of 1 to 8 bytes; an access that runs past the end is
 * cut to the bytes inside.
 */
#ifndef HYPSIM_REGFILE_H
#define HYPSIM_REGFILE_H

#include <stdbool.h>
#include <stdint.h>

struct regfile {
	uint8_t *bytes;
	uint64_t size;
};

/** regfile_init() - @size zeroed bytes. Return: 0, or -1 when out of memory. */
int regfile_init(struct regfile *r, uint64_t size);
void regfile_free(struct regfile *r);
/**
 * regfile_access() - a load or store of *@size bytes at offset @off (< size):
 * a store writes *@value's low bytes, then either returns what the bytes
 * hold now in *@value.  *@size is cut to at most 8 and to the end of the file.
 */
void regfile_access(struct regfile *r, uint64_t off, uint32_t *size, bool write, uint64_t *value);

#endif
