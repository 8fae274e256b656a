/*
 * The same work split across vCPUs, for the vCPU-switch benchmark: each
 * hart runs ITERS iterations (RESULTS + 0x100) of a loop of ALU work and
 * one load/store pair into its own per-CPU area (PERCPU + 0x1000 * hart),
 * then marks itself done (RESULTS + 8 * hart).  Hart 0 exits 0 once the
 * first NHARTS (RESULTS + 0x108) harts are done; the others sleep.
 */
#include "guest.h"

#define PERCPU 0x80100000

	.text
	.globl main
main:
	li	s1, RESULTS
	ld	s2, 0x100(s1)
	li	s3, PERCPU
	slli	t0, a0, 12
	add	s3, s3, t0
	li	t1, 1
	li	t2, 2
1:	ld	t0, 0(s3)
	add	t1, t1, t2
	xor	t2, t2, t1
	addi	t0, t0, 1
	sd	t0, 0(s3)
	addi	s2, s2, -1
	bnez	s2, 1b
	slli	t0, a0, 3
	add	t0, t0, s1
	li	t1, 1
	sd	t1, 0(t0)
	fence	rw, rw
	bnez	a0, 4f
	ld	t3, 0x108(s1)		/* hart 0: wait for the others */
2:	li	t0, 0
	li	t2, 0
3:	slli	t1, t0, 3
	add	t1, t1, s1
	ld	t1, 0(t1)
	add	t2, t2, t1
	addi	t0, t0, 1
	bltu	t0, t3, 3b
	bltu	t2, t3, 2b
	li	a0, 0
	ret
4:	wfi
	j	4b
