/*
 * The Sstc timer programmed the way Linux does (timer-riscv.c): stimecmp =
 * time + DELTA, and in the interrupt handler the next deadline, or "stop"
 * (all ones) after the last one.  The guest sleeps in WFI in between.
 *   RESULTS + 16*n        the stimecmp programmed for interrupt n (n < 8)
 *   RESULTS + 16*n + 8    `time` read first thing in its handler
 *   RESULTS + 0x100       timer interrupts taken
 *   RESULTS + 0x108/0x110 scause/stval of an exception: exits 2 for an
 *                         illegal instruction, 99 for anything else
 *   RESULTS + 0x118       DELTA in ticks, if the scenario wrote one (else 1000)
 *   RESULTS + 0x120       NIRQ, if the scenario wrote one (else 5)
 * At the end it prints "sstc C T" in hex for each recorded interrupt, then
 * "sstc: timer interrupts done".
 *
 * The same binary runs under qemu-system-riscv64 -M virt -bios none, which
 * enters it in M-mode with a1 = the device tree (hypsim enters in S-mode with
 * a1 = 0): there it first plays firmware, as OpenSBI would (PMP open, S
 * interrupts and illegal-instruction delegated, menvcfg.STCE, mcounteren.TM),
 * and drops to S-mode.  stimecmp is CSR 0x14d and menvcfg 0x30a (this
 * assembler predates the names).
 */
#include "guest.h"

#define CSR_STIMECMP 0x14d
#define CSR_MENVCFG 0x30a
#define NREC 8

	.text
	.globl main
main:
	addi	sp, sp, -16
	sd	ra, 8(sp)
	beqz	a1, 1f
	call	drop_to_s
1:	li	s1, RESULTS
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
	call	report
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
	li	t0, NREC
	bgeu	s2, t0, 1f
	sd	t1, 8(t2)
1:	addi	s2, s2, 1
	bgeu	s2, s4, 3f
	add	t1, t1, s3		/* now + delta */
	bgeu	s2, t0, 2f
	sd	t1, 16(t2)
2:	csrw	CSR_STIMECMP, t1
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

/* Print "sstc C T\n" for the first min(count, NREC) interrupts. */
report:
	addi	sp, sp, -32
	sd	ra, 24(sp)
	sd	s5, 16(sp)
	sd	s6, 8(sp)
	li	s5, 0
	mv	s6, s2
	li	t0, NREC
	bleu	s6, t0, 1f
	mv	s6, t0
1:	bgeu	s5, s6, 2f
	la	a0, tag
	call	semi_puts
	slli	t0, s5, 4
	add	t0, t0, s1
	ld	a0, 0(t0)
	call	puthex
	li	a0, ' '
	call	semi_putc
	slli	t0, s5, 4
	add	t0, t0, s1
	ld	a0, 8(t0)
	call	puthex
	li	a0, '\n'
	call	semi_putc
	addi	s5, s5, 1
	j	1b
2:	ld	ra, 24(sp)
	ld	s5, 16(sp)
	ld	s6, 8(sp)
	addi	sp, sp, 32
	ret

/* puthex(a0): 16 hex digits. */
puthex:
	addi	sp, sp, -32
	sd	ra, 24(sp)
	sd	s7, 16(sp)
	sd	s8, 8(sp)
	mv	s7, a0
	li	s8, 60
1:	srl	a0, s7, s8
	andi	a0, a0, 15
	li	t0, 10
	bltu	a0, t0, 2f
	addi	a0, a0, 'a' - 10 - '0'
2:	addi	a0, a0, '0'
	call	semi_putc
	addi	s8, s8, -4
	bgez	s8, 1b
	ld	ra, 24(sp)
	ld	s7, 16(sp)
	ld	s8, 8(sp)
	addi	sp, sp, 32
	ret

/* In M-mode (QEMU -bios none): act as the firmware, then return in S-mode. */
drop_to_s:
	li	t0, -1
	csrw	pmpaddr0, t0
	li	t0, 0x1f		/* NAPOT, RWX: all of memory */
	csrw	pmpcfg0, t0
	li	t0, 0x222		/* SSIP, STIP, SEIP */
	csrw	mideleg, t0
	li	t0, 1 << 2		/* illegal instruction */
	csrw	medeleg, t0
	li	t0, 1
	slli	t0, t0, 63		/* STCE */
	csrs	CSR_MENVCFG, t0
	li	t0, 2			/* TM */
	csrs	mcounteren, t0
	li	t0, 3 << 11
	csrc	mstatus, t0
	li	t0, 1 << 11		/* MPP = S */
	csrs	mstatus, t0
	csrw	mepc, ra
	mret

	.section .rodata
tag:	.asciz	"sstc "
msg:	.asciz	"sstc: timer interrupts done\n"
