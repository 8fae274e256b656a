/*
 * s390x guest runtime: a stack, main(%r2 = 0), then SYS_EXIT with main's
 * return value.  Supervisor state, DAT off, 64-bit addressing (set by hypsim).
 */
#include "guest.h"

	.section .text.start, "ax"
	.globl _start
_start:
	larl	%r15, stack_top
	aghi	%r15, -160		/* the ABI's register save area */
	brasl	%r14, main
	j	semi_exit

	.text
/* semi_exit(code): SYS_EXIT with a pointer to {ApplicationExit, code}. */
	.globl semi_exit
semi_exit:
	larl	%r3, exit_block
	lgfi	%r0, ADP_STOPPED_APPLICATION_EXIT
	stg	%r0, 0(%r3)
	stg	%r2, 8(%r3)
	lghi	%r2, SYS_EXIT
	SEMIHOST
1:	j	1b

/* semi_puts(str) */
	.globl semi_puts
semi_puts:
	lgr	%r3, %r2
	lghi	%r2, SYS_WRITE0
	SEMIHOST
	br	%r14

	.bss
	.balign 8
exit_block:
	.space	16
	.balign 16
	.space	16384
stack_top:
