/*
 * A host that touches memory on request, for tests of the host stage-2
 * under a running guest.  pKVM is booted and finalised by the scenario's own
 * `hvc` commands; every vCPU serves its mailbox at
 * MBOX + 0x40 * vCPU index:
 *   +0x00 op: 0 idle, 1 load, 2 store, 3 hvc (the scenario writes it last)
 *   +0x08 address (hvc: x1) +0x10 outcome: 0x100 + refused accesses (0 or 1);
 *                           hvc: x1 as returned
 *   +0x18 requests served   +0x20 the value to store (hvc: x0)
 *   +0x28 the value loaded (hvc: x0 as returned)  +0x30, +0x38 hvc: x2, x3
 * The vCPU performs the request, writes its outcome, counts it, clears op.
 * With the Android policy a refused access comes back as an abort pKVM
 * injected (S1PTW set): counted and skipped.  Any other exception exits 9.
 */
#include "guest.h"

#define MBOX 0x40010200

	.text
	.globl main
main:
	li32	x21, MBOX
	add	x21, x21, x0, lsl #6
	adr	x9, vectors
	msr	vbar_el1, x9
	isb
1:	ldr	x1, [x21]
	cbz	x1, 1b
	ldr	x2, [x21, #0x08]
	mov	x25, #0x100
	cmp	x1, #3
	b.eq	4f
	cmp	x1, #1
	b.ne	2f
	mov	x3, #0
	ldr	x3, [x2]
	str	x3, [x21, #0x28]
	b	3f
2:	ldr	x3, [x21, #0x20]
	str	x3, [x2]
	b	3f
4:	ldr	x0, [x21, #0x20]
	mov	x1, x2
	ldp	x2, x3, [x21, #0x30]
	hvc	#0
	str	x0, [x21, #0x28]
	mov	x25, x1
3:	str	x25, [x21, #0x10]
	ldr	x4, [x21, #0x18]
	add	x4, x4, #1
	str	x4, [x21, #0x18]
	str	xzr, [x21]
	b	1b

	count_injected_aborts
	sync_vectors sync_handler, unexpected, unexpected
