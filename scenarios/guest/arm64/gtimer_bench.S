/*
 * The arm64 timer benchmark guest (hypsim bench, section gtimer): NIRQ
 * virtual-timer interrupts DELTA ticks apart through the GICv3, sleeping in
 * WFI between them; the handler acknowledges, counts, re-arms with TVAL and
 * ends the interrupt.  NIRQ and DELTA are u64s at RESULTS + 0x120 and + 0x118
 * (0: 5 and 1000), so a benchmark or QEMU's loader device can set them.
 * RESULTS + 0x00 = interrupts taken.  Exits 0.  The same binary runs on
 * qemu-system-aarch64 -M virt,gic-version=3.
 */
#include "guest.h"

	.text
	.globl main
main:
	stp	x29, x30, [sp, #-16]!
	li32	x19, RESULTS
	ldr	x21, [x19, #0x120]
	ldr	x22, [x19, #0x118]
	cbnz	x21, 1f
	mov	x21, #5
1:	cbnz	x22, 2f
	mov	x22, #1000
2:	mov	x20, #0
	adr	x0, vectors
	msr	vbar_el1, x0
	gic_dist_init
	gic_cpu_init xzr
	msr	cntv_tval_el0, x22
	mov	x0, #1
	msr	cntv_ctl_el0, x0
	msr	daifclr, #2
3:	wfi
	cmp	x20, x21
	b.lo	3b
	msr	daifset, #2
	str	x20, [x19]
	mov	x0, #0
	ldp	x29, x30, [sp], #16
	ret

irq_handler:
	mrs	x0, icc_iar1_el1
	add	x20, x20, #1
	msr	cntv_tval_el0, x22
	cmp	x20, x21
	cset	x1, lo
	msr	cntv_ctl_el0, x1
	msr	icc_eoir1_el1, x0
	eret

unexpected:
	mov	x0, #99
	b	semi_exit

	irq_vectors irq_handler, unexpected
