/*
 * Counter reads.  The instruction stream below is fixed, so the cycle at
 * which each MRS executes is known and the scenario can expect exact values:
 *   RESULTS+0x00  CNTFRQ_EL0 at cycle 7
 *   RESULTS+0x08  CNTVCT_EL0 at cycle 9
 *   RESULTS+0x10  CNTVCT_EL0 at cycle 9 + 3 + 2*1000 = 2012
 *   RESULTS+0x18  CNTPCT_EL0 at cycle 2013
 * (_start is 5 instructions including the bl, so main starts at cycle 5;
 * li32 is 2 instructions.)
 */
#include "guest.h"

	.text
	.globl main
main:
	li32	x21, RESULTS		/* cycles 5, 6 */
	mrs	x0, cntfrq_el0
	str	x0, [x21, #0x00]
	mrs	x1, cntvct_el0
	str	x1, [x21, #0x08]
	mov	x2, #1000
1:	subs	x2, x2, #1
	b.ne	1b
	mrs	x3, cntvct_el0
	mrs	x4, cntpct_el0
	str	x3, [x21, #0x10]
	str	x4, [x21, #0x18]
	mov	x0, #0
	ret
