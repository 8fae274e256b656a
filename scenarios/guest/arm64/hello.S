/* Hello: print through semihosting (SYS_WRITE0, SYS_WRITEC) and exit with
 * the value x0 had at entry (the vCPU index, 0, unless a scenario sets it). */
#include "guest.h"

	.text
	.globl main
main:
	stp	x29, x30, [sp, #-16]!
	mov	x19, x0
	adr	x0, msg
	bl	semi_puts
	mov	x0, #'!'
	bl	semi_putc
	mov	x0, #'\n'
	bl	semi_putc
	mov	x0, x19
	ldp	x29, x30, [sp], #16
	ret

msg:	.asciz	"Hello from arm64 EL1"
