/*
 * Interrupts through the guest's own vector table and the GICv3: enable
 * every INTID in Group 1, unmask IRQs, sleep in WFI, and on each IRQ
 * acknowledge it (ICC_IAR1_EL1), record the INTID at RESULTS + 4*n, end it
 * (ICC_EOIR1_EL1) and return.
 * After NIRQ interrupts, print them and exit 0.  Any other exception exits
 * with 99.
 */
#include "guest.h"

#define NIRQ 3

	.text
	.globl main
main:
	stp	x29, x30, [sp, #-16]!
	li32	x20, RESULTS
	mov	x21, #0
	adr	x0, vectors
	msr	vbar_el1, x0
	gic_dist_init
	gic_cpu_init xzr
	msr	daifclr, #2
1:	wfi
	cmp	x21, #NIRQ
	b.lo	1b
	msr	daifset, #2
	adr	x0, msg
	bl	semi_puts
	mov	x19, #0
2:	ldr	w0, [x20, x19, lsl #2]
	bl	semi_puthex
	mov	x0, #'\n'
	bl	semi_putc
	add	x19, x19, #1
	cmp	x19, #NIRQ
	b.lo	2b
	mov	x0, #0
	ldp	x29, x30, [sp], #16
	ret

irq_handler:
	stp	x0, x1, [sp, #-16]!
	mrs	x0, icc_iar1_el1
	str	w0, [x20, x21, lsl #2]
	add	x21, x21, #1
	msr	icc_eoir1_el1, x0
	ldp	x0, x1, [sp], #16
	eret

unexpected:
	mov	x0, #99
	b	semi_exit

msg:	.asciz	"irq: acknowledged intids\n"

	irq_vectors irq_handler, unexpected
