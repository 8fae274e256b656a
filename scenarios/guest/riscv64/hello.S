/* Hello: print through semihosting and exit with a1 from entry (0 from the
 * boot trampoline unless a scenario sets it; a0 is the hart index). */
#include "guest.h"

	.text
	.globl main
main:
	addi	sp, sp, -16
	sd	ra, 8(sp)
	sd	s0, 0(sp)
	mv	s0, a1
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
