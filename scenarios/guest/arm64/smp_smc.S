/*
 * Cross-modifying code on two vCPUs, as Linux patches kernel text
 * (arch/arm64/kernel/patching.c: the new instruction, then
 * caches_clean_inval_pou(): DC CVAU, DSB ISH, IC IVAU, DSB ISH, ISB; the
 * IC IVAU is broadcast to the Inner Shareable domain, Arm ARM D7.5.9):
 *   vCPU 1: calls `patched` (mov x0, #1), stores x0 at RESULTS+0x08, sets
 *           FLAG1, waits for FLAG2, ISB, calls `patched` again, stores
 *           RESULTS+0x10, sets FLAG3, waits for FLAG4, ISB, calls it a third
 *           time, stores RESULTS+0x18, sets FLAG5, waits.
 *   vCPU 0: waits for FLAG1, rewrites `patched` to mov x0, #2, cleans and
 *           invalidates the line to the PoU, sets FLAG2, waits for FLAG3;
 *           rewrites it to mov x0, #3 as Linux's alternatives do (DC CIVAC
 *           of the line, DSB ISH, IC IALLUIS, DSB ISH, ISB;
 *           arch/arm64/kernel/alternative.c), sets FLAG4, waits for FLAG5,
 *           exits 0.
 * RESULTS+0x10 is 2 and RESULTS+0x18 is 3 when vCPU 1 ran the new code.
 * Before exiting, vCPU 0 cleans and invalidates lines that are no RAM (a
 * device, the top of the address space): nothing to do, no fault.
 */
#include "guest.h"

#define FLAG1 (RESULTS + 0x20)
#define FLAG2 (RESULTS + 0x28)
#define FLAG3 (RESULTS + 0x30)
#define FLAG4 (RESULTS + 0x38)
#define FLAG5 (RESULTS + 0x40)

	.text
	.globl main
main:
	stp	x29, x30, [sp, #-16]!
	li32	x20, RESULTS
	cbnz	x0, vcpu1
	li32	x9, FLAG1
1:	ldr	x10, [x9]
	cbz	x10, 1b
	adr	x9, patched
	li32	w10, 0xd2800040		/* mov x0, #2 */
	str	w10, [x9]
	dc	cvau, x9
	dsb	ish
	ic	ivau, x9
	dsb	ish
	isb
	li32	x9, FLAG2
	mov	x10, #1
	str	x10, [x9]
	li32	x9, FLAG3
2:	ldr	x10, [x9]
	cbz	x10, 2b
	adr	x9, patched
	li32	w10, 0xd2800060		/* mov x0, #3 */
	str	w10, [x9]
	dc	civac, x9
	dsb	ish
	ic	ialluis
	dsb	ish
	isb
	li32	x9, FLAG4
	mov	x10, #1
	str	x10, [x9]
	li32	x9, FLAG5
3:	ldr	x10, [x9]
	cbz	x10, 3b
	mov	x9, #0xffff000000000000
	li32	x10, 0x09000000
	dc	civac, x9
	dc	civac, x10
	ic	ivau, x9
	ic	ivau, x10
	ic	ialluis
	dsb	ish
	isb
	mov	x0, #0
	ldp	x29, x30, [sp], #16
	ret

vcpu1:
	bl	patched
	str	x0, [x20, #0x08]
	li32	x9, FLAG1
	mov	x10, #1
	str	x10, [x9]
	li32	x9, FLAG2
1:	ldr	x10, [x9]
	cbz	x10, 1b
	isb
	bl	patched
	str	x0, [x20, #0x10]
	li32	x9, FLAG3
	mov	x10, #1
	str	x10, [x9]
	li32	x9, FLAG4
2:	ldr	x10, [x9]
	cbz	x10, 2b
	isb
	bl	patched
	str	x0, [x20, #0x18]
	li32	x9, FLAG5
	mov	x10, #1
	str	x10, [x9]
3:	wfi
	b	3b

	.balign	64
patched:
	mov	x0, #1
	ret
