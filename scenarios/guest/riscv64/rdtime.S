/*
 * `time` reads, emulated by hypsim from virtual time.  The instruction stream
 * is fixed (no compressed instructions), so the cycle of each read is known:
 *   RESULTS+0x00  rdtime at cycle 8  (csrrs rd, time, x0)
 *   RESULTS+0x08  rdtime at cycle 8 + 4 + 2*1000 - 1 = 2011
 *   RESULTS+0x10  csrrc rd, time, x0 at cycle 2013 (rs1 = x0: a read)
 *   RESULTS+0x18  csrrs rd, time, x0 after a WFI-free wait of 10^6 loops
 * (_start is 6 instructions, `li t6, RESULTS` 2, `li t1, 1000000` 2.)
 */
#include "guest.h"

	.option norvc		/* fixed 4-byte instructions: exact cycle counts */
	.text
	.globl main
main:
	li	t6, RESULTS
	rdtime	t0
	sd	t0, 0x00(t6)
	li	t1, 1000
1:	addi	t1, t1, -1
	bnez	t1, 1b
	rdtime	t0
	sd	t0, 0x08(t6)
	csrrc	t0, time, x0
	sd	t0, 0x10(t6)
	li	t1, 1000000
2:	addi	t1, t1, -1
	bnez	t1, 2b
	csrr	t0, time
	sd	t0, 0x18(t6)
	li	a0, 0
	ret
