/*
 * arm64 guest runtime: stack per vCPU (x0 = vCPU index at entry), call
 * main(x0), exit through semihosting with main's return value.
 */
#include "guest.h"

	.section .text.start, "ax"
	.globl _start
_start:
	adrp	x9, stack_top
	add	x9, x9, :lo12:stack_top
	sub	x9, x9, x0, lsl #12	/* 4 KiB of stack per vCPU */
	mov	sp, x9
	bl	main
	b	semi_exit

	.text
/* semi_exit(code): SYS_EXIT with {ADP_Stopped_ApplicationExit, code}. */
	.globl semi_exit
semi_exit:
	sub	sp, sp, #16
	li32	x2, ADP_STOPPED_APPLICATION_EXIT
	stp	x2, x0, [sp]
	mov	x1, sp
	mov	x0, #SYS_EXIT
	hlt	#0xf000
1:	b	1b

/* semi_puts(str) */
	.globl semi_puts
semi_puts:
	mov	x1, x0
	mov	x0, #SYS_WRITE0
	hlt	#0xf000
	ret

/* semi_putc(ch) */
	.globl semi_putc
semi_putc:
	sub	sp, sp, #16
	strb	w0, [sp]
	mov	x1, sp
	mov	x0, #SYS_WRITEC
	hlt	#0xf000
	add	sp, sp, #16
	ret

/* semi_puthex(value): 16 hex digits. */
	.globl semi_puthex
semi_puthex:
	stp	x29, x30, [sp, #-32]!
	stp	x19, x20, [sp, #16]
	mov	x19, x0
	mov	x20, #60
1:	lsr	x0, x19, x20
	and	x0, x0, #0xf
	cmp	x0, #10
	add	x1, x0, #'0'
	add	x2, x0, #('a' - 10)
	csel	x0, x1, x2, lo
	bl	semi_putc
	subs	x20, x20, #4
	b.ge	1b
	ldp	x19, x20, [sp, #16]
	ldp	x29, x30, [sp], #32
	ret

	.bss
	.balign	16
stack:	.space	16384
stack_top:
