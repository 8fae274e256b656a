/*
 * ALU loop for the benchmark (hypsim bench --only cpu), the s390x row: six
 * instructions per iteration, of mixed lengths (4 and 6 bytes), so the
 * block clock walks each block as it does riscv's compressed code.  10^7
 * iterations: s390x runs under a per-instruction code hook (cpu/s390x.c).
 */
#include "guest.h"
#define ITERS 10000000

	.text
	.globl main
main:
	lgfi	%r1, ITERS
	lghi	%r3, 1
	lghi	%r4, 2
1:	agr	%r3, %r4
	xgr	%r4, %r3
	sllg	%r5, %r3, 3
	sgr	%r5, %r4
	aghi	%r6, 1
	brctg	%r1, 1b
	lghi	%r2, 0
	br	%r14
