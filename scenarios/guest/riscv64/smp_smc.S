/*
 * Cross-modifying code on two harts.  A hart sees another hart's stores to
 * instructions once its own instruction fetch is synchronised: FENCE.I on
 * that hart (the RISC-V unprivileged ISA, "Zifencei"), which Linux asks of
 * the others with SBI RFENCE remote_fence_i (arch/riscv/mm/cacheflush.c,
 * flush_icache_all()).
 *   hart 1: calls `patched` (li a0, 1), stores a0 at RESULTS+0x08, sets
 *           FLAG1, waits for FLAG2, calls `patched` again, stores a0 at
 *           RESULTS+0x10, sets FLAG3, waits.
 *   hart 0: waits for FLAG1, rewrites `patched` to li a0, 2 (one word),
 *           FENCE.I, remote_fence_i to every hart, sets FLAG2, waits for
 *           FLAG3 and exits 0.
 * RESULTS+0x10 is 2 when hart 1 ran the new code, 1 when it ran a stale
 * translation.
 */
#include "guest.h"

#define FLAG1 (RESULTS + 0x20)
#define FLAG2 (RESULTS + 0x28)
#define FLAG3 (RESULTS + 0x30)
#define SBI_EXT_RFENCE 0x52464e43

	.text
	.globl main
main:
	addi	sp, sp, -16
	sd	ra, 8(sp)
	li	s1, RESULTS
	bnez	a0, hart1
	li	t0, FLAG1
1:	ld	t1, 0(t0)
	beqz	t1, 1b
	la	t0, patched
	li	t1, 0x00200513		/* addi a0, zero, 2 */
	sw	t1, 0(t0)
	fence.i
	li	a0, 0
	li	a1, -1			/* hart_mask_base -1: every hart */
	SBI_CALL SBI_EXT_RFENCE, 0	/* remote_fence_i */
	sd	a0, 0x18(s1)		/* the call's error: 0 */
	fence	rw, rw
	li	t0, FLAG2
	li	t1, 1
	sd	t1, 0(t0)
	li	t0, FLAG3
2:	ld	t1, 0(t0)
	beqz	t1, 2b
	li	a0, 0
	ld	ra, 8(sp)
	addi	sp, sp, 16
	ret

hart1:
	call	patched
	sd	a0, 0x08(s1)
	fence	rw, rw
	li	t0, FLAG1
	li	t1, 1
	sd	t1, 0(t0)
	li	t0, FLAG2
1:	ld	t1, 0(t0)
	beqz	t1, 1b
	call	patched
	sd	a0, 0x10(s1)
	li	t0, FLAG3
	li	t1, 1
	sd	t1, 0(t0)
2:	wfi
	j	2b

	.balign	8
	.option push
	.option norvc
patched:
	li	a0, 1
	ret
	.option pop
