/* Hello: print through semihosting (SYS_WRITE0, SYS_WRITEC) and exit with
 * the value x1 had at entry (0 from the boot trampoline, unless a scenario sets
 * it; x0 is the vCPU index, which start.S uses for the stack). */
#include "guest.h"

	.text
	.globl main
main:
	stp	x29, x30, [sp, #-16]!
	mov	x19, x1
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
