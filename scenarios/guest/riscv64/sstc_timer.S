/*
 * The Sstc timer programmed the way Linux does (timer-riscv.c): stimecmp =
 * time + DELTA, and in the interrupt handler the next deadline, or "stop"
 * (all ones) after the last one.  The guest sleeps in WFI in between.
 *   RESULTS + 16*n        the stimecmp programmed for interrupt n (n < NIRQ)
 *   RESULTS + 16*n + 8    `time` read first thing in its handler
 *   RESULTS + 0x100       timer interrupts taken
 *   RESULTS + 0x108/0x110 scause/stval of an exception: exits 2 for an
 *                         illegal instruction, 99 for anything else
 *   RESULTS + 0x118       DELTA in ticks, if the scenario wrote one (else 1000)
 *   RESULTS + 0x120       NIRQ, if the scenario wrote one (else 5)
 * stimecmp is CSR 0x14d (this assembler predates the name).
 */
#include "guest.h"

#define CSR_STIMECMP 0x14d

	.text
	.globl main
main:
	addi	sp, sp, -16
	sd	ra, 8(sp)
	li	s1, RESULTS
	li	s2, 0
	ld	s3, 0x118(s1)
	bnez	s3, 1f
	li	s3, 1000
1:	ld	s4, 0x120(s1)
	bnez	s4, 1f
	li	s4, 5
1:	la	t0, trap
	csrw	stvec, t0
	li	t0, 1 << 5		/* STIE */
	csrs	sie, t0
	csrr	t0, time
	add	t0, t0, s3
	sd	t0, 0(s1)
	csrw	CSR_STIMECMP, t0
	csrsi	sstatus, 2		/* SIE */
2:	bgeu	s2, s4, 3f
	wfi
	j	2b
3:	csrci	sstatus, 2
	sd	s2, 0x100(s1)
	la	a0, msg
	call	semi_puts
	li	a0, 0
	ld	ra, 8(sp)
	addi	sp, sp, 16
	ret

	.balign	4
trap:
	addi	sp, sp, -32
	sd	t0, 0(sp)
	sd	t1, 8(sp)
	sd	t2, 16(sp)
	csrr	t1, time
	csrr	t0, scause
	bgez	t0, exception		/* bit 63 clear: not an interrupt */
	slli	t2, s2, 4
	add	t2, t2, s1
	sd	t1, 8(t2)
	addi	s2, s2, 1
	bgeu	s2, s4, 3f
	add	t1, t1, s3		/* now + delta */
	sd	t1, 16(t2)
	csrw	CSR_STIMECMP, t1
	j	4f
3:	li	t1, -1			/* stop */
	csrw	CSR_STIMECMP, t1
4:	ld	t0, 0(sp)
	ld	t1, 8(sp)
	ld	t2, 16(sp)
	addi	sp, sp, 32
	sret

exception:
	sd	t0, 0x108(s1)
	csrr	t1, stval
	sd	t1, 0x110(s1)
	li	a0, 99
	li	t1, 2
	bne	t0, t1, 5f
	li	a0, 2
5:	j	semi_exit

	.section .rodata
msg:	.asciz	"sstc: timer interrupts done\n"
