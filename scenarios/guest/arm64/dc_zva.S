/* DC ZVA (zero a 64-byte block, as Linux's clear_page() does): on a block
 * with data in it, and on one that is already zero (which hypsim skips,
 * cpu/arm64.c).  Leaves DCZID_EL0 at RESULT, exits with 0. */
#include "guest.h"

#define BUF 0x40100000
#define RESULT 0x40101000

	.text
	.globl main
main:
	li32	x20, BUF
	li32	x21, RESULT
	mrs	x0, dczid_el0
	str	x0, [x21]
	mov	x0, #0x1122
	str	x0, [x20, #8]		/* block 0: one word of data */
	str	x0, [x20, #0x78]	/* block 1: its last word */
	dc	zva, x20		/* zeroes block 0 */
	add	x1, x20, #0x40		/* one register per address: the block clock finds a */
	add	x2, x20, #0x80		/* device or watched access's instruction by the */
	add	x3, x20, #0xdf		/* registers' values when the hook runs */
	dc	zva, x1			/* zeroes block 1 */
	dc	zva, x2			/* block 2: already zero */
	dc	zva, x3			/* an unaligned address names its block: block 3, zero */
	str	x0, [x20, #0x100]	/* block 4 keeps its data: not zeroed */
	mov	x0, #0
	ret
