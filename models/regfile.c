/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "regfile.h"

int regfile_init(struct regfile *r, uint64_t size)
{
	r->bytes = calloc(1, size);
	r->size = r->bytes ? size : 0;
	return r->bytes ? 0 : -1;
}

void regfile_free(struct regfile *r)
{
	free(r->bytes);
	r->bytes = NULL;
	r->size = 0;
}

void regfile_access(struct regfile *r, uint64_t off, uint32_t *size, bool write, uint64_t *value)
{
	uint64_t v = 0;

	if (*size > 8 || off + *size > r->size)
		*size = (uint32_t)(r->size - off < 8 ? r->size - off : 8);
	if (write)
		memcpy(r->bytes + off, value, *size); /* little-endian host and guest */
	memcpy(&v, r->bytes + off, *size);
	*value = v;
}
