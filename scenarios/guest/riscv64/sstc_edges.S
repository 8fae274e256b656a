/*
 * Sstc edge cases from docs/models/sstc.md §10, one after another, each recorded:
 *   §10.8  arm stimecmp = now + 1000, then "stop" (all ones) before it
 *          fires; sleep in WFI with the interrupt enabled until the SSIP the
 *          scenario injects at 200 us, well after the old deadline:
 *          RESULTS+0x00 = timer interrupts taken (0), +0x50 = software
 *          interrupts (1), +0x58 = time after that WFI
 *   §10.6  STIE clear, stimecmp in the past: STIP shows in sip without a trap:
 *          +0x08 = sip & STIP (0x20), +0x10 = interrupts so far (0);
 *          then set STIE: the trap comes before the next instruction:
 *          +0x18 = interrupts after `csrs sie` (1), +0x20 = its sepc minus
 *          the address after the `csrs` (0)
 *   §10.37 STIP pending but STIE clear, SIE set: WFI must not wake for it.
 *          The scenario injects SSIP at 500 us to end the wait:
 *          +0x28 = time after that WFI, +0x30 = timer interrupts
 *          (still 1), +0x38 = software interrupts (2);
 *          then STIE set, SIE clear: WFI resumes at once, with no trap:
 *          +0x40 = ticks that WFI took (0 or 1), +0x48 = timer interrupts (1)
 *   §10.5  STIP high (C = time), then C = time + 10^6 with STIE set, SIE
 *          clear: +0x60 = sip & STIP before (0x20), +0x68 = after (0), and
 *          setting SIE takes no trap: +0x70 = timer interrupts (still 1)
 *   §10.2/§10.15  C = time + 1 with the interrupt enabled, spinning on
 *          `csrr time`: +0x78 = C minus the last time read before the trap
 *          (>= 1: never early), +0x80 = time in the handler minus C (>= 0,
 *          and small: never late), +0x88 = timer interrupts (2)
 * The handler counts timer interrupts (and stops the timer) in s2, software
 * interrupts (and clears SSIP) in s3; an exception exits 99.
 */
#include "guest.h"

#define CSR_STIMECMP 0x14d
#define STIP (1 << 5)

	.text
	.globl main
main:
	addi	sp, sp, -16
	sd	ra, 8(sp)
	li	s1, RESULTS
	li	s2, 0
	li	s3, 0
	la	t0, trap
	csrw	stvec, t0
	li	t0, STIP | 2		/* STIE, SSIE */
	csrs	sie, t0
	csrsi	sstatus, 2		/* SIE */

	/* §10.8: armed, then stopped: nothing may fire */
	csrr	t0, time
	addi	t1, t0, 1000
	csrw	CSR_STIMECMP, t1
	li	t1, -1
	csrw	CSR_STIMECMP, t1
	wfi
	csrr	t1, time
	sd	s2, 0x00(s1)
	sd	s3, 0x50(s1)
	sd	t1, 0x58(s1)

	/* §10.6: pending while STIE is clear, taken once STIE is set */
	li	t0, STIP
	csrc	sie, t0
	csrr	t1, time
	csrw	CSR_STIMECMP, t1	/* time >= stimecmp: STIP */
	csrr	t1, sip
	andi	t1, t1, STIP
	sd	t1, 0x08(s1)
	sd	s2, 0x10(s1)
	csrs	sie, t0
after_csrs:
	sd	s2, 0x18(s1)
	la	t1, after_csrs
	sub	t1, s4, t1		/* s4: sepc of the last timer trap */
	sd	t1, 0x20(s1)

	/* §10.37: pending, STIE clear: WFI waits for something else */
	csrc	sie, t0
	csrr	t1, time
	csrw	CSR_STIMECMP, t1
	wfi
	csrr	t1, time
	sd	t1, 0x28(s1)
	sd	s2, 0x30(s1)
	sd	s3, 0x38(s1)
	/* ... STIE set, SIE clear: WFI resumes at once, no trap */
	csrci	sstatus, 2
	csrs	sie, t0
	csrr	t2, time
	wfi
	csrr	t1, time
	sub	t1, t1, t2
	sd	t1, 0x40(s1)
	sd	s2, 0x48(s1)
	li	t1, -1
	csrw	CSR_STIMECMP, t1

	/* §10.5: moved ahead while pending: falls at once, no trap */
	csrr	t1, time
	csrw	CSR_STIMECMP, t1
	csrr	t2, sip
	andi	t2, t2, STIP
	sd	t2, 0x60(s1)
	li	t2, 1000000
	add	t1, t1, t2
	csrw	CSR_STIMECMP, t1
	csrr	t2, sip
	andi	t2, t2, STIP
	sd	t2, 0x68(s1)
	csrsi	sstatus, 2
	nop
	sd	s2, 0x70(s1)

	/* §10.2/§10.15: one tick ahead; the handler records time (s6) and
	 * the last read before it (s5) */
	csrr	t1, time
	addi	s7, t1, 1
	mv	s5, t1
	mv	t2, s2
	csrw	CSR_STIMECMP, s7
1:	csrr	s5, time
	beq	s2, t2, 1b
	sub	t1, s7, s8
	sd	t1, 0x78(s1)
	sub	t1, s6, s7
	sd	t1, 0x80(s1)
	sd	s2, 0x88(s1)
	csrci	sstatus, 2

	la	a0, msg
	call	semi_puts
	li	a0, 0
	ld	ra, 8(sp)
	addi	sp, sp, 16
	ret

	.balign	4
trap:
	addi	sp, sp, -16
	sd	t0, 0(sp)
	sd	t1, 8(sp)
	csrr	t0, scause
	bgez	t0, 9f			/* an exception */
	andi	t0, t0, 0xff
	li	t1, 5
	bne	t0, t1, 2f
	csrr	s6, time		/* timer: its time and the last read before */
	mv	s8, s5
	addi	s2, s2, 1		/* count, remember sepc, stop it */
	csrr	s4, sepc
	li	t1, -1
	csrw	CSR_STIMECMP, t1
	j	3f
2:	addi	s3, s3, 1		/* software: count, clear SSIP */
	csrci	sip, 2
3:	ld	t0, 0(sp)
	ld	t1, 8(sp)
	addi	sp, sp, 16
	sret
9:	li	a0, 99
	j	semi_exit

	.section .rodata
msg:	.asciz	"sstc edges: done\n"
