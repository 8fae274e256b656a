/*
 * The hypercall fuzzer's guest (sim/fuzz.c, docs/guest-abi.md): boots pKVM
 * (__pkvm_init, the key, __pkvm_prot_finalize), then issues the calls queued
 * in its ring through real HVCs, storing each call's x0 and x1 beside it.
 *
 *   RING + 0           number of queued calls
 *   RING + 64 + 64*i   call i: x0..x5 (48 bytes), then x0 and x1 as returned
 *
 * When the ring is done it asks for more (HYPSIM_SIP_FUZZ_REFILL: x0 = how
 * many were queued); 0 ends the run, exit code 0.  A reproducer scenario
 * writes the ring with `write mem` and runs it once.
 */
#include "guest.h"

#define HYP_BASE 0x42000000
#define HYP_SIZE 0x00800000
#define RING 0x43000000

	.text
	.globl main
main:
	stp	x29, x30, [sp, #-16]!
	pkvm_init_hvc HYP_BASE, HYP_SIZE, 1
	li32	x0, 0xc2000003		/* the host's static key */
	hvc	#0
	li32	x0, 0xc6000007		/* __pkvm_prot_finalize */
	hvc	#0
	li32	x19, RING
1:	ldr	x20, [x19]
	add	x21, x19, #64
2:	cbz	x20, 3f
	ldp	x0, x1, [x21]
	ldp	x2, x3, [x21, #16]
	ldp	x4, x5, [x21, #32]
	hvc	#0
	stp	x0, x1, [x21, #48]
	add	x21, x21, #64
	sub	x20, x20, #1
	b	2b
3:	li32	x0, 0xc2000004		/* HYPSIM_SIP_FUZZ_REFILL */
	hvc	#0
	cbnz	x0, 1b
	mov	x0, #0
	ldp	x29, x30, [sp], #16
	ret

	hyp_percpu_bases
