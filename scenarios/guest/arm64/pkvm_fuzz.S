/*
 * The hypercall fuzzer's guest (sim/fuzz/fuzz.c, docs/guest-abi.md): vCPU 0 boots
 * pKVM (__pkvm_init for every vCPU, the key, __pkvm_prot_finalize) and
 * releases the others, which finalise their own host stage-2; then every
 * vCPU issues the calls queued in its own ring through real HVCs, storing
 * each call's x0 and x1 beside it.  vCPUs take turns (the scenario's
 * quantum), so their calls interleave.
 *
 *   RING + 8            number of vCPUs taking part (0 means 1), set before the run
 *   RING + 16           vCPU 0 has booted pKVM: the others may go
 *   RING + 24 + 8*i     vCPU i (i >= 1) is done
 *   RING + STRIDE*i     vCPU i's ring: the number of queued calls, then at
 *     + 64 + 128*k        call k: x0..x5 (48 bytes), x0 and x1 as returned,
 *                         two addresses to touch after the call (0: none) and
 *                         the two touches' outcomes
 *
 * When its ring is done a vCPU asks for more (HYPSIM_SIP_FUZZ_REFILL: x0 =
 * how many were queued in its ring); 0 ends its part.  vCPU 0 then waits for
 * the others and exits 0.  A reproducer scenario writes the rings with
 * `write mem` and runs them once.
 *
 * The access oracle: after each call the vCPU loads from and stores back to
 * the call's touch addresses.  The fuzzer runs pKVM with the Android policy,
 * so a touch the host stage-2 refuses comes back as an injected abort; the
 * handler counts it and skips the instruction.  Each outcome is 0x100 plus
 * the number of refused accesses (0 or 2; 1 would be a load and a store
 * that disagree).
 */
#include "guest.h"

#define HYP_BASE 0x42000000
#define HYP_SIZE 0x00800000
#define RING 0x43000000
#define STRIDE 0x00400000

	.text
	.globl main
main:
	stp	x29, x30, [sp, #-16]!
	mov	x23, x0			/* this vCPU's index */
	adr	x9, vectors
	msr	vbar_el1, x9
	isb
	li32	x24, RING
	ldr	x22, [x24, #8]		/* vCPUs taking part */
	cbnz	x22, 1f
	mov	x22, #1
1:	cmp	x23, x22
	b.hs	idle			/* not taking part */
	cbnz	x23, secondary

	li32	x0, 0xc6000001		/* __pkvm_init(base, size, vCPUs, per-CPU bases, 48) */
	li32	x1, HYP_BASE
	li32	x2, HYP_SIZE
	mov	x3, x22
	adr	x4, hyp_percpu_bases
	mov	x5, #48
	hvc	#0
	li32	x0, 0xc2000003		/* the host's static key */
	hvc	#0
	li32	x0, 0xc6000007		/* __pkvm_prot_finalize */
	hvc	#0
	mov	x0, #1
	str	x0, [x24, #16]		/* release the others */
	mov	x19, x24
	bl	ring_loop
	mov	x9, #1			/* wait for vCPUs 1 .. n-1 */
2:	cmp	x9, x22
	b.hs	4f
	add	x10, x24, #24
3:	ldr	x11, [x10, x9, lsl #3]
	cbz	x11, 3b
	add	x9, x9, #1
	b	2b
4:	mov	x0, #0
	ldp	x29, x30, [sp], #16
	ret

secondary:
	ldr	x0, [x24, #16]
	cbz	x0, secondary
	li32	x0, 0xc6000007		/* __pkvm_prot_finalize, on this vCPU */
	hvc	#0
	li32	x9, STRIDE
	madd	x19, x23, x9, x24	/* RING + STRIDE * index */
	bl	ring_loop
	mov	x0, #1
	add	x10, x24, #24
	str	x0, [x10, x23, lsl #3]
idle:
	wfi
	b	idle

/* Issue the calls of the ring at x19 until a refill gives none (uses x0-x5, x9-x12, x20, x21, x25). */
ring_loop:
1:	ldr	x20, [x19]
	add	x21, x19, #64
2:	cbz	x20, 3f
	ldp	x0, x1, [x21]
	ldp	x2, x3, [x21, #16]
	ldp	x4, x5, [x21, #32]
	hvc	#0
	stp	x0, x1, [x21, #48]
	mov	x11, #0
4:	ldr	x10, [x21, #64]		/* touch k: address, or 0 */
	cbz	x10, 5f
	mov	x25, #0x100
	mov	x9, #0
	ldr	x9, [x10]		/* a refusal: x25 + 1, skipped */
	str	x9, [x10]		/* the same value back */
	str	x25, [x21, #80]
5:	add	x21, x21, #8
	add	x11, x11, #1
	cmp	x11, #2
	b.lo	4b
	add	x21, x21, #(128 - 16)
	sub	x20, x20, #1
	b	2b
3:	li32	x0, 0xc2000004		/* HYPSIM_SIP_FUZZ_REFILL */
	hvc	#0
	cbnz	x0, 1b
	ret

	count_injected_aborts
	sync_vectors sync_handler, unexpected, unexpected

	hyp_percpu_bases
