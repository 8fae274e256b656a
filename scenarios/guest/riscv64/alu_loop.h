/* ALU loop for the benchmark: 6 instructions per iteration. */
	.option norvc
	.text
	.globl main
main:
	li	t0, ITERS
	li	a1, 1
	li	a2, 2
1:	add	a1, a1, a2
	xor	a2, a2, a1
	slli	a3, a1, 3
	sub	a4, a3, a2
	addi	t0, t0, -1
	bnez	t0, 1b
	li	a0, 0
	ret
