/* Hello: print through semihosting and exit with a0 from entry (the hart
 * index, 0, unless a scenario sets it). */
#include "guest.h"

	.text
	.globl main
main:
	addi	sp, sp, -16
	sd	ra, 8(sp)
	sd	s0, 0(sp)
	mv	s0, a0
	la	a0, msg
	call	semi_puts
	li	a0, '!'
	call	semi_putc
	li	a0, '\n'
	call	semi_putc
	mv	a0, s0
	ld	s0, 0(sp)
	ld	ra, 8(sp)
	addi	sp, sp, 16
	ret

	.section .rodata
msg:	.asciz	"Hello from riscv64 S-mode"
