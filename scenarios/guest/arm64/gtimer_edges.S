/*
 * The Arm generic timer's edges (docs/models/gtimer.md §3), one case after
 * another on the virtual timer (PPI 27) unless it says physical (PPI 30),
 * with the GICv3 delivering them.  Each result is a u64 at RESULTS + off:
 *
 *  0x00  CVAL in the past, then ENABLE: the IRQ is taken before the next
 *        instruction (ELR_EL1 - the address after the MSR: 0)
 *  0x08  ... and INTID 27 was acknowledged
 *  0x10  CVAL in the past, ENABLE|IMASK: CTL reads 7 (ISTATUS set, masked)
 *  0x18  ... no interrupt meanwhile (interrupts so far: 1)
 *  0x20  IMASK cleared: taken before the next instruction (0)
 *  0x28  ENABLE clear with the condition met: CTL reads 0 (ISTATUS 0)
 *  0x30  TVAL = -100 (disabled): CVAL + 100 - the count read just before (>= 0)
 *  0x38  ... the count read just after - (CVAL + 100) (>= 0)
 *  0x40  ... TVAL read back, bits 63:32 (RES0: 0)
 *  0x48  ... TVAL read back as a signed 32-bit value, + 100 (<= 0)
 *  0x50  TVAL = 2^31 - 1: CVAL - count before - 0x7fffffff (>= 0, small)
 *  0x58  TVAL = 0x80000000 (-2^31): count after - (CVAL + 2^31) (>= 0, small)
 *  0x60  ... CTL with ENABLE|IMASK: 7 (the condition is met)
 *  0x68  TVAL = 0xffffffff00000005 (bits 63:32 ignored): CVAL - count before - 5 (>= 0, small)
 *  0x70  CVAL = count + 2^32 + 1000: TVAL reads the low 32 bits, 1000 - elapsed (<= 1000)
 *  0x78  TVAL = 0, then ENABLE: taken before the next instruction (0)
 *  0x80  CVAL = count + 1000, spinning on CNTVCT: CVAL - the last count read
 *        before the interrupt (>= 1: never early)
 *  0x88  ... the count at the handler's first read - CVAL (never late: small)
 *  0x90  the physical timer, CVAL in the past: taken before the next instruction (0)
 *  0x98  ... INTID 30
 *  0xa0  WFI with CVAL = count + 1000: the count after the wake - CVAL (>= 0, small)
 *  0xa8  CNTPCT read right after CNTVCT, minus it: CNTVOFF_EL2 + the ticks between
 *  0xb0  interrupts taken in all (6)
 *  0xb8  ISTATUS while disabled never raised an interrupt: 0 spurious (1023) acknowledgements
 * The console gets "gtimer edges: done" and then each result in hex, one per
 * line (tests/gtimer_qemu_diff.sh compares them with QEMU's).  An unexpected
 * exception exits 99.
 */
#include "guest.h"

#define R(off) [x19, #(off)]
#define NRESULTS 24

/* x20 interrupts taken, x21 the last INTID, x22 its ELR_EL1, x23 the count at the handler's first read */

.macro disable_v
	msr	cntv_ctl_el0, xzr
	isb
.endm

	.text
	.globl main
main:
	stp	x29, x30, [sp, #-16]!
	li32	x19, RESULTS
	mov	x20, #0
	mov	x24, #0
	adr	x0, vectors
	msr	vbar_el1, x0
	gic_dist_init
	gic_cpu_init xzr
	msr	daifclr, #2

	/* 0x00: CVAL in the past, then ENABLE */
	msr	cntv_cval_el0, xzr
	mov	x0, #1
	msr	cntv_ctl_el0, x0
c1:	adr	x1, c1
	sub	x1, x22, x1
	str	x1, R(0x00)
	str	x21, R(0x08)

	/* 0x10: ENABLE|IMASK with the condition met */
	mov	x0, #3
	msr	cntv_ctl_el0, x0
	mrs	x1, cntv_ctl_el0
	str	x1, R(0x10)
	str	x20, R(0x18)
	mov	x0, #1
	msr	cntv_ctl_el0, x0
c2:	adr	x1, c2
	sub	x1, x22, x1
	str	x1, R(0x20)

	/* 0x28: disabled, condition met */
	disable_v
	mrs	x1, cntv_ctl_el0
	str	x1, R(0x28)

	/* 0x30..0x48: TVAL = -100 */
	mov	x0, #-100
	mrs	x1, cntvct_el0
	msr	cntv_tval_el0, x0
	mrs	x2, cntvct_el0
	mrs	x3, cntv_cval_el0
	add	x3, x3, #100
	sub	x4, x3, x1
	str	x4, R(0x30)
	sub	x4, x2, x3
	str	x4, R(0x38)
	mrs	x5, cntv_tval_el0
	lsr	x6, x5, #32
	str	x6, R(0x40)
	sxtw	x6, w5
	add	x6, x6, #100
	str	x6, R(0x48)

	/* 0x50: TVAL = 2^31 - 1 */
	mov	w0, #0x7fffffff
	mrs	x1, cntvct_el0
	msr	cntv_tval_el0, x0
	mrs	x3, cntv_cval_el0
	sub	x4, x3, x1
	sub	x4, x4, x0
	str	x4, R(0x50)

	/* 0x58, 0x60: TVAL = 0x80000000, -2^31 */
	mov	x0, #0x80000000
	msr	cntv_tval_el0, x0
	mrs	x2, cntvct_el0
	mrs	x3, cntv_cval_el0
	add	x3, x3, x0
	sub	x4, x2, x3
	str	x4, R(0x58)
	mov	x0, #3
	msr	cntv_ctl_el0, x0
	mrs	x1, cntv_ctl_el0
	str	x1, R(0x60)
	disable_v

	/* 0x68: TVAL with bits 63:32 set */
	mov	x0, #5
	movk	x0, #0xffff, lsl #32
	movk	x0, #0xffff, lsl #48
	mrs	x1, cntvct_el0
	msr	cntv_tval_el0, x0
	mrs	x3, cntv_cval_el0
	sub	x4, x3, x1
	sub	x4, x4, #5
	str	x4, R(0x68)

	/* 0x70: CVAL = count + 2^32 + 1000, TVAL read */
	mrs	x1, cntvct_el0
	mov	x2, #1000
	movk	x2, #1, lsl #32		/* 2^32 + 1000 */
	add	x2, x1, x2
	msr	cntv_cval_el0, x2
	mrs	x5, cntv_tval_el0
	str	x5, R(0x70)

	/* 0x78: TVAL = 0, then ENABLE */
	msr	cntv_tval_el0, xzr
	mov	x0, #1
	msr	cntv_ctl_el0, x0
c3:	adr	x1, c3
	sub	x1, x22, x1
	str	x1, R(0x78)

	/* 0x80, 0x88: CVAL = count + 1000, spinning */
	mrs	x1, cntvct_el0
	add	x3, x1, #1000
	msr	cntv_cval_el0, x3
	mov	x0, #1
	mov	x6, x20
	mov	x7, x1
	msr	cntv_ctl_el0, x0
1:	mrs	x1, cntvct_el0
	cmp	x20, x6
	b.ne	2f
	mov	x7, x1
	b	1b
2:	sub	x4, x3, x7
	str	x4, R(0x80)
	sub	x4, x23, x3
	str	x4, R(0x88)

	/* 0x90, 0x98: the physical timer, CVAL in the past */
	msr	cntp_cval_el0, xzr
	mov	x0, #1
	msr	cntp_ctl_el0, x0
c4:	adr	x1, c4
	sub	x1, x22, x1
	str	x1, R(0x90)
	str	x21, R(0x98)

	/* 0xa0: WFI until CVAL = count + 1000 */
	mrs	x1, cntvct_el0
	add	x3, x1, #1000
	msr	cntv_cval_el0, x3
	mov	x0, #1
	msr	cntv_ctl_el0, x0
	wfi
	sub	x4, x23, x3
	str	x4, R(0xa0)

	/* 0xa8: CNTPCT - CNTVCT */
	mrs	x1, cntvct_el0
	mrs	x2, cntpct_el0
	sub	x4, x2, x1
	str	x4, R(0xa8)
	str	x20, R(0xb0)
	str	x24, R(0xb8)

	msr	daifset, #2
	adr	x0, msg
	bl	semi_puts
	mov	x25, #0			/* then every result, one per line */
4:	ldr	x0, [x19, x25, lsl #3]
	bl	semi_puthex
	mov	x0, #'\n'
	bl	semi_putc
	add	x25, x25, #1
	cmp	x25, #NRESULTS
	b.lo	4b
	mov	x0, #0
	ldp	x29, x30, [sp], #16
	ret

/* Count the interrupt, note where and when it came, turn the timer that fired off. */
irq_handler:
	mrs	x23, cntvct_el0
	stp	x0, x1, [sp, #-16]!
	mrs	x0, cntpct_el0
	mrs	x21, icc_iar1_el1
	mrs	x22, elr_el1
	cmp	x21, #1023
	b.ne	1f
	add	x24, x24, #1
	b	9f
1:	add	x20, x20, #1
	cmp	x21, #30
	b.ne	2f
	mov	x23, x0			/* the physical timer: its own count */
	msr	cntp_ctl_el0, xzr
2:	cmp	x21, #27
	b.ne	3f
	msr	cntv_ctl_el0, xzr
3:	msr	icc_eoir1_el1, x21
9:	ldp	x0, x1, [sp], #16
	eret

unexpected:
	mov	x0, #99
	b	semi_exit

msg:	.asciz	"gtimer edges: done\n"

	irq_vectors irq_handler, unexpected
