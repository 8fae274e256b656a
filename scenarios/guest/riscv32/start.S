/*
 * riscv32 guest runtime: stack per hart (a0 = hart index at entry), call
 * main(a0), exit through semihosting with main's return value.  Runs in
 * S-mode under hypsim and in M-mode under qemu-system-riscv32 -bios none.
 * Semihosting parameter blocks hold 32-bit fields here.
 */
#include "guest.h"

	.section .text.start, "ax"
	.globl _start
_start:
	la	sp, stack_top
	slli	t0, a0, 12		/* 4 KiB of stack per hart */
	sub	sp, sp, t0
	call	main
	j	semi_exit

	.text
/*
 * semi_exit(code): SYS_EXIT_EXTENDED with a pointer to {ApplicationExit,
 * code} (the 32-bit SYS_EXIT carries no exit code).
 */
	.globl semi_exit
semi_exit:
	addi	sp, sp, -16
	li	t0, ADP_STOPPED_APPLICATION_EXIT
	sw	t0, 0(sp)
	sw	a0, 4(sp)
	mv	a1, sp
	li	a0, SYS_EXIT_EXTENDED
	SEMIHOST
1:	j	1b

/* semi_call(op, param) -> a0 */
	.globl semi_call
semi_call:
	SEMIHOST
	ret

/* semi_puts(str) */
	.globl semi_puts
semi_puts:
	mv	a1, a0
	li	a0, SYS_WRITE0
	j	semi_call

	.bss
	.balign	16
stack:	.space	16384
stack_top:
