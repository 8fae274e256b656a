/*
 * Self-modifying code: `patched` is 8 bytes of two 4-byte NOPs, called,
 * then rewritten into four 2-byte C.NOPs (same address, same size, twice the
 * instructions) and called again.  A clock that cached the block's count by
 * address and size alone would lose 2 instructions; the time read after the
 * second call shows it.  RESULTS+0 and +8: time before and after.
 */
#include "guest.h"

	.text
	.globl main
main:
	addi	sp, sp, -16
	sd	ra, 8(sp)
	li	s1, RESULTS
	call	patched
	call	patched			/* cached now */
	la	t0, patched
	li	t1, 0x00010001		/* c.nop ; c.nop */
	sw	t1, 0(t0)
	sw	t1, 4(t0)
	fence.i
	rdtime	t2
	sd	t2, 0(s1)
	call	patched
	rdtime	t2
	sd	t2, 8(s1)
	li	a0, 0
	ld	ra, 8(sp)
	addi	sp, sp, 16
	ret

	.balign	8
	.option push
	.option norvc
patched:
	nop
	nop
	.option pop
	ret
