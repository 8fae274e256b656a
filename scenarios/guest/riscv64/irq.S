/*
 * Interrupts through the guest's own trap vector (stvec, direct mode):
 * enable SSIE and SEIE, sleep in WFI, and on each interrupt record scause at
 * RESULTS + 8*n.  A software interrupt is cleared by the guest (csrc sip);
 * an external one by hypsim's vendor SBI call.  After NIRQ interrupts,
 * print and exit 0; an exception (not an interrupt) exits 99.
 */
#include "guest.h"

#define NIRQ 3

	.text
	.globl main
main:
	addi	sp, sp, -16
	sd	ra, 8(sp)
	li	s1, RESULTS
	li	s2, 0
	la	t0, trap
	csrw	stvec, t0
	li	t0, (1 << 1) | (1 << 9)
	csrs	sie, t0
	csrsi	sstatus, 2		/* SIE */
1:	wfi
	li	t0, NIRQ
	bltu	s2, t0, 1b
	csrci	sstatus, 2
	la	a0, msg
	call	semi_puts
	li	a0, 0
	ld	ra, 8(sp)
	addi	sp, sp, 16
	ret

	.balign	4
trap:
	addi	sp, sp, -48
	sd	t0, 0(sp)
	sd	t1, 8(sp)
	sd	a0, 16(sp)
	sd	a7, 24(sp)
	sd	a6, 32(sp)
	csrr	t0, scause
	bgez	t0, unexpected		/* bit 63 clear: an exception */
	slli	t1, s2, 3
	add	t1, t1, s1
	sd	t0, 0(t1)
	addi	s2, s2, 1
	andi	t0, t0, 0xff
	li	t1, 1
	bne	t0, t1, 2f
	csrci	sip, 2			/* SSIP: the guest clears it */
	j	3f
2:	li	a0, 9			/* SEIP: ask the firmware to lower it */
	li	a7, SBI_EXT_HYPSIM
	li	a6, 0
	ecall
3:	ld	t0, 0(sp)
	ld	t1, 8(sp)
	ld	a0, 16(sp)
	ld	a7, 24(sp)
	ld	a6, 32(sp)
	addi	sp, sp, 48
	sret

unexpected:
	li	a0, 99
	j	semi_exit

	.section .rodata
msg:	.asciz	"irq: 3 interrupts handled\n"
