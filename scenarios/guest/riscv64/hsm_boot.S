/*
 * Multi-hart bring-up through the SBI HSM extension (docs/models/boot-percpu.md),
 * with harts 1..3 stopped at reset (`secondaries off`).  Hart 0 probes HSM,
 * starts the others with hart_start (opaque = 0xc0de00 | hartid), waits for
 * them, releases them to hart_stop, and exits through semihosting.
 * Results (RESULTS + offset, 64-bit; SBI error in a0):
 *   0x00 probe_extension(HSM) value (1)   0x08 get_status(1) value (1 STOPPED)
 *   0x10 hart_start(9) (-3 INVALID_PARAM) 0x18 hart_start(1, odd) (-5)
 *   0x20 hart_start(1) (0)                0x28 hart_start(1) again (-6)
 *   0x30 get_status(2) value (0 STARTED)  0x38 hart_stop on the last hart (-1)
 *   0x40 get_status(9) (-3)
 *   0x100 + 8*n  a0 hart n started with (n)   0x140 + 8*n  a1 (opaque)
 *   0x180 + 8*n  satp | sstatus.SIE at its entry (0)
 */
#include "guest.h"

#define SBI_EXT_HSM 0x48534d
#define RELEASE 0x1c0
#define ARRIVED 0x1c8

	.text
	.globl main
main:
	addi	sp, sp, -16
	sd	ra, 8(sp)
	li	s1, RESULTS
	la	s2, secondary
	li	a0, SBI_EXT_HSM
	SBI_CALL SBI_EXT_BASE, 3
	sd	a1, 0x00(s1)
	li	a0, 1
	SBI_CALL SBI_EXT_HSM, 2
	sd	a1, 0x08(s1)
	li	a0, 9
	mv	a1, s2
	SBI_CALL SBI_EXT_HSM, 0
	sd	a0, 0x10(s1)
	li	a0, 1
	addi	a1, s2, 1
	SBI_CALL SBI_EXT_HSM, 0
	sd	a0, 0x18(s1)
	li	s3, 1			/* start harts 1..3 */
1:	mv	a0, s3
	mv	a1, s2
	li	a2, 0xc0de00
	or	a2, a2, s3
	SBI_CALL SBI_EXT_HSM, 0
	li	t0, 1
	bne	s3, t0, 2f
	sd	a0, 0x20(s1)
	li	a0, 1			/* hart 1 again: already started */
	mv	a1, s2
	SBI_CALL SBI_EXT_HSM, 0
	sd	a0, 0x28(s1)
2:	addi	s3, s3, 1
	li	t0, 4
	bltu	s3, t0, 1b
3:	ld	t0, ARRIVED(s1)
	li	t1, 3
	bltu	t0, t1, 3b
	li	a0, 2
	SBI_CALL SBI_EXT_HSM, 2
	sd	a1, 0x30(s1)
	li	a0, 9
	SBI_CALL SBI_EXT_HSM, 2
	sd	a0, 0x40(s1)
	li	t0, 1
	sd	t0, RELEASE(s1)
	li	s3, 1			/* wait until 1..3 are stopped */
4:	mv	a0, s3
	SBI_CALL SBI_EXT_HSM, 2
	li	t0, 1
	bne	a1, t0, 4b
	addi	s3, s3, 1
	li	t0, 4
	bltu	s3, t0, 4b
	SBI_CALL SBI_EXT_HSM, 1		/* the last hart may not stop */
	sd	a0, 0x38(s1)
	li	a0, 0
	ld	ra, 8(sp)
	addi	sp, sp, 16
	ret

/* A secondary: a0 = hartid, a1 = opaque. */
	.balign	4
secondary:
	li	s1, RESULTS
	slli	t0, a0, 3
	add	t0, t0, s1
	sd	a0, 0x100(t0)
	sd	a1, 0x140(t0)
	csrr	t1, satp
	csrr	t2, sstatus
	andi	t2, t2, 2
	or	t1, t1, t2
	sd	t1, 0x180(t0)
	li	t1, 1
	addi	t2, s1, ARRIVED
	amoadd.d zero, t1, (t2)
5:	ld	t1, RELEASE(s1)
	beqz	t1, 5b
	SBI_CALL SBI_EXT_HSM, 1
6:	j	6b			/* hart_stop does not return */
