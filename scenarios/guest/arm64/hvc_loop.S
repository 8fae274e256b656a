/* HVC round trips for the benchmark: HYPSIM_NOP, ITERS times. */
#include "guest.h"
#define ITERS 10000000

	.text
	.globl main
main:
	li32	x9, ITERS
1:	li32	x0, HYPSIM_NOP
	hvc	#0
	subs	x9, x9, #1
	b.ne	1b
	mov	x0, #0
	ret
