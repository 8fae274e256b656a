/*
 * The virtual timer across the wrap of its count (docs/models/gtimer.md §3),
 * for scenarios that start the count just below 2^64 (counter-start, or
 * CNTVOFF_EL2 with `gtimer cntvoff`).  Results, u64 at RESULTS + off:
 *
 *  0x00  at the start, CVAL = 100 with ENABLE|IMASK: CTL reads 7 (the compare
 *        is unsigned: a count near 2^64 has met a small CVAL)
 *  0x08  CVAL = 2^64 - 1, ENABLE, spinning on CNTVCT: CVAL - the last count
 *        read before the interrupt (>= 1: never early)
 *  0x10  the count at the handler's first read - CVAL, modulo 2^64 (small:
 *        never late, though the count may have wrapped by then)
 *  0x18  after the wrap, the same CVAL with ENABLE|IMASK: CTL reads 1 (the
 *        count is small again: the condition no longer holds)
 *  0x20  CNTVCT then (small)
 *  0x28  CNTPCT read right after CNTVCT, minus it: CNTVOFF_EL2 + the ticks between
 *  0x30  interrupts taken (1)
 * An unexpected exception exits 99.
 */
#include "guest.h"

#define R(off) [x19, #(off)]

	.text
	.globl main
main:
	stp	x29, x30, [sp, #-16]!
	li32	x19, RESULTS
	mov	x20, #0
	adr	x0, vectors
	msr	vbar_el1, x0
	gic_dist_init
	gic_cpu_init xzr

	/* 0x00: a small CVAL before the wrap */
	mov	x0, #100
	msr	cntv_cval_el0, x0
	mov	x0, #3
	msr	cntv_ctl_el0, x0
	mrs	x1, cntv_ctl_el0
	str	x1, R(0x00)
	msr	cntv_ctl_el0, xzr

	/* 0x08, 0x10: CVAL = 2^64 - 1 */
	msr	daifclr, #2
	mov	x3, #-1
	msr	cntv_cval_el0, x3
	mrs	x7, cntvct_el0
	mov	x0, #1
	msr	cntv_ctl_el0, x0
1:	mrs	x1, cntvct_el0
	cbnz	x20, 2f
	mov	x7, x1
	b	1b
2:	sub	x4, x3, x7
	str	x4, R(0x08)
	sub	x4, x23, x3
	str	x4, R(0x10)

	/* 0x18, 0x20: after the wrap (wait for it: bit 63 clear) */
3:	mrs	x1, cntvct_el0
	tbnz	x1, #63, 3b
	mov	x0, #3
	msr	cntv_ctl_el0, x0
	mrs	x1, cntv_ctl_el0
	str	x1, R(0x18)
	mrs	x1, cntvct_el0
	str	x1, R(0x20)
	mrs	x2, cntpct_el0
	sub	x4, x2, x1
	str	x4, R(0x28)
	msr	cntv_ctl_el0, xzr
	str	x20, R(0x30)

	msr	daifset, #2
	adr	x0, msg
	bl	semi_puts
	mov	x0, #0
	ldp	x29, x30, [sp], #16
	ret

irq_handler:
	mrs	x23, cntvct_el0
	mrs	x21, icc_iar1_el1
	add	x20, x20, #1
	msr	cntv_ctl_el0, xzr
	msr	icc_eoir1_el1, x21
	eret

unexpected:
	mov	x0, #99
	b	semi_exit

msg:	.asciz	"gtimer wrap: done\n"

	irq_vectors irq_handler, unexpected
