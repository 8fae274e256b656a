/*
 * U-mode traps into the S-mode guest's own handler (docs/models/sstc.md §10.24:
 * U-mode never reaches stimecmp, whatever the enables).  S-mode drops to U
 * with sret; U-mode reads stimecmp, writes it, then makes two system calls.
 * The handler records each trap and returns past the trapping instruction.
 *   RESULTS + 0x00/0x08/0x10/0x18  csrr stimecmp: scause (2), stval (the
 *       instruction), sstatus.SPP (0: from U), sepc minus its address (0)
 *   RESULTS + 0x20/0x28  csrw stimecmp: scause (2), stval
 *   RESULTS + 0x30/0x38  first ecall: scause (8), stval (0); it returns
 *       a0 = 42 to U-mode, which stores it at RESULTS + 0x40
 *   RESULTS + 0x48  traps taken (4 at the exit)
 * The second ecall (a7 = 1) exits the run from S-mode with code 0.
 */
#include "guest.h"

#define CSR_STIMECMP 0x14d
#define SSTATUS_SPP (1 << 8)

	.text
	.globl main
main:
	li	s1, RESULTS
	li	s2, 0			/* traps taken */
	la	t0, trap
	csrw	stvec, t0
	li	t0, SSTATUS_SPP
	csrc	sstatus, t0		/* sret goes to U */
	la	t0, user
	csrw	sepc, t0
	sret

	.balign	4
user:
read_cmp:
	csrr	a0, CSR_STIMECMP	/* illegal from U */
write_cmp:
	csrw	CSR_STIMECMP, a0	/* illegal from U */
	li	a7, 0
	ecall				/* a system call: returns 42 */
	sd	a0, 0x40(s1)
	li	a7, 1
	ecall				/* exit */
1:	j	1b

	.balign	4
trap:
	csrr	t0, scause
	csrr	t1, stval
	csrr	t2, sstatus
	andi	t2, t2, SSTATUS_SPP
	csrr	t3, sepc
	addi	s2, s2, 1
	sd	s2, 0x48(s1)
	li	t4, 2
	bne	t0, t4, 2f
	la	t4, read_cmp		/* illegal instruction */
	bne	t3, t4, 1f
	sd	t0, 0x00(s1)
	sd	t1, 0x08(s1)
	sd	t2, 0x10(s1)
	sub	t4, t3, t4
	sd	t4, 0x18(s1)
	j	9f
1:	sd	t0, 0x20(s1)
	sd	t1, 0x28(s1)
	j	9f
2:	li	t4, 8
	bne	t0, t4, 8f		/* not a system call: exit 99 */
	bnez	a7, 7f
	sd	t0, 0x30(s1)
	sd	t1, 0x38(s1)
	li	a0, 42
	j	9f
7:	li	a0, 0
	j	semi_exit
8:	li	a0, 99
	j	semi_exit
9:	addi	t3, t3, 4
	csrw	sepc, t3
	sret
