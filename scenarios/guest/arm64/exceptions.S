/*
 * Synchronous exceptions into the guest's own EL1 vectors
 * (docs/exceptions.md), from EL1h, EL1t and EL0, with the guest's stage 1
 * on (identity map, 4 KiB pages; test pages at 0x40100000: +0x0000 invalid,
 * +0x1000 read-only (AP 0b11), +0x2000 access flag clear, +0x3000 EL1 only
 * (AP 0b00), +0x4000 EL0 data, never executable (UXN)).
 *
 * Each case puts the faulting instruction's address in x27 and SP_EL1's
 * value in x26; the handler fills one 0x40-byte slot at RESULTS + 0x100 +
 * 0x40 * n:
 *   +0x00 ESR_EL1      +0x08 FAR_EL1      +0x10 ELR_EL1 - x27
 *   +0x18 SPSR_EL1 without NZCV (M[3:0], DAIF)
 *   +0x20 the vector entry taken (0x000, 0x200, 0x400)
 *   +0x28 SP at the handler - x26 (0: SP_EL1)
 *   +0x30 PSTATE at the handler: CurrentEL | SPSel | DAIF
 * and resumes after the instruction (an instruction abort: at x30).  The EL0
 * part ends with SVC #0xff, which returns to EL1.  RESULTS + 0x00 = slots
 * filled.  CPACR_EL1.FPEN is 0b00 (trap EL1 and EL0) for one EL1 case, then
 * 0b01 (trap EL0 only) until the EL0 part ends.  An IRQ, FIQ or SError, or
 * an exception from AArch32, exits 99.
 */
#include "guest.h"

#define TEST_PAGES 0x40100000
#define P_INVALID (TEST_PAGES + 0x0000)
#define P_RO (TEST_PAGES + 0x1000)
#define P_NOAF (TEST_PAGES + 0x2000)
#define P_EL1ONLY (TEST_PAGES + 0x3000)
#define P_XN (TEST_PAGES + 0x4000)

/* Stage-1 descriptors (Arm ARM D8.3): page, AF, inner shareable, AttrIndx 0. */
#define PAGE 0x703
#define AP_EL0_RW 0x40
#define AP_RO 0xc0
#define UXN (1 << 54)

/* Run \insn with x27 = its address. */
.macro case insn:vararg
	adr	x27, 9999f
9999:	\insn
.endm

	.text
	.globl main
main:
	stp	x29, x30, [sp, #-16]!
	li32	x19, RESULTS
	mov	x28, #0
	mov	x26, sp
	adr	x0, vectors
	msr	vbar_el1, x0
	bl	mmu_on

	/* EL1h: SP_EL1 */
	case	udf #1
	case	brk #0x42
	case	svc #0x11
	li32	x1, P_INVALID + 0x18
	case	ldr x0, [x1]
	li32	x1, P_RO + 0x20
	case	str x0, [x1]
	li32	x1, P_NOAF + 0x28
	case	ldr x0, [x1]
	li32	x1, P_EL1ONLY + 1
	case	ldxr x0, [x1]		/* exclusives are always alignment checked */
	msr	cpacr_el1, xzr		/* FPEN 0b00: FP/SIMD traps at EL1 and EL0 */
	isb
	case	fmov d0, x1
	mov	x0, #(1 << 20)		/* FPEN 0b01: at EL0 only */
	msr	cpacr_el1, x0
	isb
	fmov	d0, x1			/* no trap, no slot */

	/* EL1t: SP_EL0, the exception switches to SP_EL1 (vector +0x000) */
	mov	x26, sp
	sub	x0, sp, #256
	msr	spsel, #0
	mov	sp, x0
	case	svc #0x12
	msr	spsel, #1

	/* EL0 */
	mov	x0, #0
	msr	cntkctl_el1, x0
	mov	x26, sp
	li32	x0, P_XN + 0x1000	/* SP_EL0: the top of the EL0 data page */
	msr	sp_el0, x0
	adr	x0, el0_code
	msr	elr_el1, x0
	mov	x0, #0x3c0		/* EL0t, DAIF masked */
	msr	spsr_el1, x0
	eret
el1_resume:
	mov	x0, #(3 << 20)		/* FPEN 0b11 again */
	msr	cpacr_el1, x0
	isb
	str	x28, [x19]
	msr	sctlr_el1, xzr		/* MMU off again */
	isb
	adr	x0, msg
	bl	semi_puts
	mov	x0, #0
	ldp	x29, x30, [sp], #16
	ret

/* Build the identity map of the first 16 MiB and turn the MMU on. Clobbers x0-x7. */
mmu_on:
	adr	x0, l3
	li32	x1, 0x40000000
	mov	x2, #0
	movz	x3, #(UXN >> 48), lsl #48
	mov	x5, #PAGE
	orr	x3, x3, x5
1:	orr	x4, x1, x3
	str	x4, [x0, x2, lsl #3]
	add	x1, x1, #0x1000
	add	x2, x2, #1
	cmp	x2, #512
	b.lo	1b
	/* the test pages, from P_INVALID's index on */
	li32	x1, P_INVALID
	lsr	x2, x1, #12
	and	x2, x2, #511
	str	xzr, [x0, x2, lsl #3]
	add	x2, x2, #1
	li32	x1, P_RO
	orr	x4, x1, x3
	orr	x4, x4, #AP_RO
	str	x4, [x0, x2, lsl #3]
	add	x2, x2, #1
	li32	x1, P_NOAF
	orr	x4, x1, x3
	bic	x4, x4, #(1 << 10)
	str	x4, [x0, x2, lsl #3]
	add	x2, x2, #2		/* P_EL1ONLY keeps the default */
	li32	x1, P_XN
	orr	x4, x1, x3
	orr	x4, x4, #AP_EL0_RW
	str	x4, [x0, x2, lsl #3]
	/* EL0's code page: read-only at both levels, executable at EL0 */
	adr	x1, el0_code
	lsr	x2, x1, #12
	and	x2, x2, #511
	mov	x4, #(PAGE | AP_RO)
	orr	x4, x4, x1
	str	x4, [x0, x2, lsl #3]
	/* L2: the L3 table, then 2 MiB blocks; L1[1]: the L2 table */
	adr	x5, l2
	orr	x4, x0, #3
	str	x4, [x5]
	li32	x1, 0x40200000
	movz	x3, #(UXN >> 48), lsl #48
	mov	x4, #0x701		/* block, AF, inner shareable */
	orr	x3, x3, x4
	mov	x2, #1
2:	orr	x4, x1, x3
	str	x4, [x5, x2, lsl #3]
	add	x1, x1, #0x200000
	add	x2, x2, #1
	cmp	x2, #8
	b.lo	2b
	adr	x6, l1
	orr	x4, x5, #3
	str	x4, [x6, #8]
	mov	x0, #0xff
	msr	mair_el1, x0
	movz	x0, #2, lsl #32		/* IPS 40 bits */
	movk	x0, #0x0080, lsl #16	/* EPD1 */
	movk	x0, #0x3519		/* SH0 inner, WB, T0SZ 25 */
	msr	tcr_el1, x0
	msr	ttbr0_el1, x6
	dsb	sy
	tlbi	vmalle1
	dsb	sy
	isb
	mrs	x0, sctlr_el1
	orr	x0, x0, #1
	msr	sctlr_el1, x0
	isb
	ret

/* x10: the vector entry.  Record the slot, then resume. */
sync_common:
	mov	x9, sp
	mrs	x11, esr_el1
	lsr	x12, x11, #26
	cmp	x12, #0x15
	b.ne	1f
	and	x13, x11, #0xffff
	cmp	x13, #0xff		/* EL0 is done: back to EL1h at el1_resume */
	b.ne	1f
	adr	x13, el1_resume
	msr	elr_el1, x13
	mov	x13, #0x3c5
	msr	spsr_el1, x13
	eret
1:	add	x13, x19, #0x100
	add	x13, x13, x28, lsl #6
	str	x11, [x13, #0x00]
	mrs	x14, far_el1
	str	x14, [x13, #0x08]
	mrs	x14, elr_el1
	sub	x15, x14, x27
	str	x15, [x13, #0x10]
	mrs	x15, spsr_el1
	and	x15, x15, #0x3ff
	str	x15, [x13, #0x18]
	str	x10, [x13, #0x20]
	sub	x15, x9, x26
	str	x15, [x13, #0x28]
	mrs	x15, currentel
	mrs	x9, spsel
	orr	x15, x15, x9
	mrs	x9, daif
	orr	x15, x15, x9
	str	x15, [x13, #0x30]
	add	x28, x28, #1
	cmp	x12, #0x15		/* SVC: ELR is already past it */
	b.eq	3f
	cmp	x12, #0x20		/* instruction abort: back to the caller */
	b.eq	2f
	cmp	x12, #0x21
	b.eq	2f
	add	x14, x14, #4
	msr	elr_el1, x14
	b	3f
2:	msr	elr_el1, x30
3:	eret

unexpected:
	mov	x0, #99
	b	semi_exit

msg:	.asciz	"exceptions: done\n"

	.balign	2048
vectors:
	mov	x10, #0x000
	b	sync_common
	.balign	0x80
	.rept	3
	b	unexpected
	.balign	0x80
	.endr
	mov	x10, #0x200
	b	sync_common
	.balign	0x80
	.rept	3
	b	unexpected
	.balign	0x80
	.endr
	mov	x10, #0x400
	b	sync_common
	.balign	0x80
	.rept	7
	b	unexpected
	.balign	0x80
	.endr

/* EL0: its own page, read-only and executable there. */
	.balign	4096
el0_code:
	case	svc #0x21
	case	udf #2
	case	brk #0x43
	li32	x1, P_INVALID + 0x30
	case	ldr x0, [x1]
	li32	x1, P_RO + 0x38
	case	str x0, [x1]
	li32	x1, P_EL1ONLY + 0x40
	case	ldr x0, [x1]
	li32	x1, P_XN + 0x48
	case	ldr x0, [x1]		/* EL0 data: no fault, no slot */
	li32	x1, P_XN
	mov	x27, x1			/* UXN: an instruction abort at the target */
	blr	x1
	case	mrs x1, cntvct_el0	/* CNTKCTL_EL1.EL0VCTEN clear: trapped, EC 0x18 */
	case	mrs x1, icc_iar1_el1	/* the GIC's CPU interface: UNDEFINED at EL0 */
	case	fmov d1, x2		/* FPEN 0b01: the FP/SIMD access trap, EC 0x07 */
	li32	x1, P_XN + 0x50
	case	ldr q0, [x1]		/* a SIMD&FP load */
	case	mrs x1, fpcr
	svc	#0xff
	.balign	4096

	.bss
	.balign	4096
l1:	.skip	4096
l2:	.skip	4096
l3:	.skip	4096
