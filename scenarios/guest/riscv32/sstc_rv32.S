/*
 * RV32 Sstc: the stimecmp / stimecmph split writes of docs/models/sstc.md §10.18,
 * §10.19 and §10.39, with the timer interrupt enabled throughout, and
 * `time` / `timeh` read as a 64-bit pair.  The scenario starts time at
 * 0x1_8000_0000 (under QEMU the guest writes mtime itself).  Results, 32-bit
 * words at RESULTS:
 *   +0x00/+0x04  time / timeh read first (timeh read again until stable)
 *   §10.18 from C = 0x1_9000_0000, write low 0x10, then high 0x2:
 *   +0x08  timer interrupts after the pair (1: the spurious one)
 *   +0x0c  its sepc minus the address of the high write (0: taken between)
 *   +0x10  sip & STIP after the high write (0)
 *   +0x14  sip & STIP in the handler (0x20)
 *   +0x18/+0x1c  stimecmph / stimecmp in the handler (1, 0x10)
 *   §10.19 from C = 0x1_9000_0000, write low -1, high 0x2, low 0x10:
 *   +0x20  sip & STIP ORed over the three writes (0)
 *   +0x24  timer interrupts after them (still 1)
 *   +0x28/+0x2c  stimecmp / stimecmph at the end (0x10, 2)
 *   §10.39 (STIE clear): low 0x89abcdef, high 0x01234567, then high only:
 *   +0x30/+0x34  read back (0x89abcdef, 0x01234567)
 *   +0x38/+0x3c  after high = 0xfedcba98 (0x89abcdef, 0xfedcba98)
 *   +0x40/+0x44  scause / stval of an exception (exits 2 for an illegal
 *                instruction, 99 for anything else)
 * At the end it prints "rv32 OFFSET VALUE" in hex for +0x08..+0x3c, the
 * lines tests/sstc_qemu_diff.sh compares with QEMU's.
 *
 * Under qemu-system-riscv32 -M virt -bios none the guest starts in M-mode
 * with a1 = the device tree: it sets mtime (ACLINT at 0x0200bff8), opens
 * PMP, delegates, sets menvcfgh.STCE and mcounteren.TM, and drops to S.
 */
#include "guest.h"

#define CSR_STIMECMP 0x14d
#define CSR_STIMECMPH 0x15d
#define CSR_MENVCFGH 0x31a
#define STIP (1 << 5)
#define MTIME 0x0200bff8

	.text
	.globl main
main:
	addi	sp, sp, -16
	sw	ra, 12(sp)
	beqz	a1, 1f
	call	drop_to_s
1:	li	s1, RESULTS
	li	s2, 0			/* timer interrupts */
	la	t0, trap
	csrw	stvec, t0

	/* a 64-bit time from two 32-bit reads: high, low, high again */
2:	csrr	t1, timeh
	csrr	t0, time
	csrr	t2, timeh
	bne	t1, t2, 2b
	sw	t0, 0x00(s1)
	sw	t1, 0x04(s1)

	/* C_old = 0x1_9000_0000 without passing below time: high 1 first
	 * (C = 0x1_ffff_ffff from the firmware's all ones), then low */
	li	t0, 1
	csrw	CSR_STIMECMPH, t0
	li	t0, 0x90000000
	csrw	CSR_STIMECMP, t0
	li	t0, STIP
	csrs	sie, t0
	csrsi	sstatus, 2		/* SIE */

	/* §10.18: the low write makes C = 0x1_0000_0010 <= time */
	li	t0, 0x10
	li	t1, 2
	csrw	CSR_STIMECMP, t0
high_write:
	csrw	CSR_STIMECMPH, t1
	csrr	t2, sip
	andi	t2, t2, STIP
	sw	t2, 0x10(s1)
	li	t0, STIP
	csrs	sie, t0			/* the handler masked it; STIP is low now */
	sw	s2, 0x08(s1)
	la	t0, high_write
	sub	t0, s4, t0		/* s4: sepc of the last timer trap */
	sw	t0, 0x0c(s1)

	/* §10.19: back to 0x1_9000_0000 safely (low first: 0x2_9000_0000) */
	li	t0, 0x90000000
	csrw	CSR_STIMECMP, t0
	li	t0, 1
	csrw	CSR_STIMECMPH, t0
	li	t3, 0
	li	t0, -1
	csrw	CSR_STIMECMP, t0	/* 0x1_ffff_ffff */
	csrr	t2, sip
	or	t3, t3, t2
	li	t0, 2
	csrw	CSR_STIMECMPH, t0	/* 0x2_ffff_ffff */
	csrr	t2, sip
	or	t3, t3, t2
	li	t0, 0x10
	csrw	CSR_STIMECMP, t0	/* 0x2_0000_0010 */
	csrr	t2, sip
	or	t3, t3, t2
	andi	t3, t3, STIP
	sw	t3, 0x20(s1)
	sw	s2, 0x24(s1)
	csrr	t0, CSR_STIMECMP
	sw	t0, 0x28(s1)
	csrr	t0, CSR_STIMECMPH
	sw	t0, 0x2c(s1)

	/* §10.39: the halves read back independently (STIE clear) */
	csrci	sstatus, 2
	li	t0, STIP
	csrc	sie, t0
	li	t0, 0x89abcdef
	csrw	CSR_STIMECMP, t0
	li	t0, 0x01234567
	csrw	CSR_STIMECMPH, t0
	csrr	t0, CSR_STIMECMP
	sw	t0, 0x30(s1)
	csrr	t0, CSR_STIMECMPH
	sw	t0, 0x34(s1)
	li	t0, 0xfedcba98
	csrw	CSR_STIMECMPH, t0
	csrr	t0, CSR_STIMECMP
	sw	t0, 0x38(s1)
	csrr	t0, CSR_STIMECMPH
	sw	t0, 0x3c(s1)

	call	report
	li	a0, 0
	lw	ra, 12(sp)
	addi	sp, sp, 16
	ret

/* Timer: count, record, mask STIE (the comparand is still in the past). */
	.balign	4
trap:
	csrr	t5, scause
	bgez	t5, exception
	addi	s2, s2, 1
	csrr	s4, sepc
	csrr	t5, sip
	andi	t5, t5, STIP
	sw	t5, 0x14(s1)
	csrr	t5, CSR_STIMECMPH
	sw	t5, 0x18(s1)
	csrr	t5, CSR_STIMECMP
	sw	t5, 0x1c(s1)
	li	t5, STIP
	csrc	sie, t5
	sret
exception:
	li	s1, RESULTS
	sw	t5, 0x40(s1)
	csrr	t6, stval
	sw	t6, 0x44(s1)
	li	a0, 99
	li	t6, 2
	bne	t5, t6, 1f
	li	a0, 2
1:	j	semi_exit

/* Print "rv32 OO VVVVVVVV\n" for offsets 0x08..0x3c. */
report:
	addi	sp, sp, -16
	sw	ra, 12(sp)
	li	s5, 0x08
1:	la	a0, line
	srli	a1, s5, 4
	call	hexdigit
	sb	a1, 5(a0)
	andi	a1, s5, 15
	call	hexdigit
	sb	a1, 6(a0)
	add	t0, s1, s5
	lw	t0, 0(t0)
	li	t1, 28			/* shift for the top nibble */
	addi	t2, a0, 8
2:	srl	a1, t0, t1
	andi	a1, a1, 15
	call	hexdigit
	sb	a1, 0(t2)
	addi	t2, t2, 1
	addi	t1, t1, -4
	bgez	t1, 2b
	call	semi_puts
	addi	s5, s5, 4
	li	t0, 0x40
	bltu	s5, t0, 1b
	lw	ra, 12(sp)
	addi	sp, sp, 16
	ret

/* a1 = the hex digit for a1 (0..15); leaves a0, t0-t2 alone. */
hexdigit:
	li	t3, 10
	bltu	a1, t3, 1f
	addi	a1, a1, 'a' - 10 - '0'
1:	addi	a1, a1, '0'
	ret

/* In M-mode (QEMU -bios none): set mtime, act as the firmware, drop to S. */
drop_to_s:
	li	t0, MTIME
	sw	zero, 0(t0)		/* low 0 first: no carry while writing */
	li	t1, 1
	sw	t1, 4(t0)
	li	t1, 0x80000000
	sw	t1, 0(t0)
	li	t0, -1
	csrw	pmpaddr0, t0
	li	t0, 0x1f		/* NAPOT, RWX: all of memory */
	csrw	pmpcfg0, t0
	li	t0, 0x222		/* SSIP, STIP, SEIP */
	csrw	mideleg, t0
	li	t0, 1 << 2		/* illegal instruction */
	csrw	medeleg, t0
	li	t0, 0x80000000		/* menvcfgh.STCE (menvcfg bit 63) */
	csrs	CSR_MENVCFGH, t0
	li	t0, 2			/* TM */
	csrs	mcounteren, t0
	li	t0, 3 << 11
	csrc	mstatus, t0
	li	t0, 1 << 11		/* MPP = S */
	csrs	mstatus, t0
	csrw	mepc, ra
	mret

	.data
line:	.asciz	"rv32 00 00000000\n"
