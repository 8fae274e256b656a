/* ALU loop for the benchmark: 6 instructions per iteration. */
	.text
	.globl main
main:
	li32	x9, ITERS
	mov	x1, #1
	mov	x2, #2
1:	add	x1, x1, x2
	eor	x2, x2, x1
	lsl	x3, x1, #3
	sub	x4, x3, x2
	subs	x9, x9, #1
	b.ne	1b
	mov	x0, #0
	ret
