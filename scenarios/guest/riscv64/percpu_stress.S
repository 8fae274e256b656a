/*
 * Per-CPU registers under load, on every hart (docs/models/boot-percpu.md): each
 * hart keeps its per-CPU base in tp (PERCPU + hart * 0x1000) and a value of
 * its own in sscratch (SCRATCH_TAG + hart), then loops making SBI calls
 * while the Sstc timer interrupts it every TICKS ticks and the scenario
 * injects supervisor software interrupts (SSIP).  Both registers are checked
 * after every SBI call, at the entry and the exit of every interrupt
 * handler, and on every trip round the loop, so a change made by a
 * hypercall, an interrupt, an injection or a switch to another vCPU (the
 * scenario's quantum) is seen before the next one.
 *
 * Counters live in the hart's own per-CPU area (tp-relative):
 *   +0x00 SBI calls, +0x08 timer interrupts, +0x10 software interrupts,
 *   +0x18 checks made.
 * The first mismatch stores the hart at RESULTS + 0x00, where (1 after an
 * SBI call, 2 at handler entry, 3 at handler exit, 4 in the loop) at +0x08,
 * the two registers at +0x10/+0x18, and exits 10 + hart.  An exception
 * exits 99.  The guest never exits on its own: the scenario runs it for a
 * fixed virtual time and reads the counters.
 */
#include "guest.h"

#define PERCPU 0x80100000
#define SCRATCH_TAG 0x5c000
#define TICKS 2
#define CSR_STIMECMP 0x14d
#define SIP_SSIP 2

#define PC_SBI 0x00
#define PC_TIMER 0x08
#define PC_SOFT 0x10
#define PC_CHECKS 0x18

/* check WHERE: tp == s2 and sscratch == s3, else fail */
.macro CHECK where
	csrr	t6, sscratch
	bne	tp, s2, 1f
	beq	t6, s3, 2f
1:	li	a5, \where
	j	mismatch
2:	ld	t6, PC_CHECKS(tp)
	addi	t6, t6, 1
	sd	t6, PC_CHECKS(tp)
.endm

	.text
	.globl main
main:
	mv	s1, a0			/* hart */
	li	s2, PERCPU
	slli	t0, a0, 12
	add	s2, s2, t0		/* the per-CPU base tp must keep */
	li	s3, SCRATCH_TAG
	add	s3, s3, a0		/* the sscratch value it must keep */
	mv	tp, s2
	csrw	sscratch, s3
	la	t0, trap
	csrw	stvec, t0
	li	t0, (1 << 5) | (1 << 1)	/* STIE, SSIE */
	csrs	sie, t0
	csrr	t0, time
	addi	t0, t0, TICKS
	csrw	CSR_STIMECMP, t0
	csrsi	sstatus, 2		/* SIE */
loop:
	li	a7, SBI_EXT_BASE
	li	a6, 0			/* sbi_get_spec_version */
	ecall
	CHECK	1
	ld	t0, PC_SBI(tp)
	addi	t0, t0, 1
	sd	t0, PC_SBI(tp)
	CHECK	4
	j	loop

	.balign	4
trap:
	addi	sp, sp, -32
	sd	t0, 0(sp)
	sd	t1, 8(sp)
	sd	t6, 16(sp)
	sd	a5, 24(sp)
	CHECK	2
	csrr	t0, scause
	bgez	t0, exception
	slli	t0, t0, 1
	srli	t0, t0, 1
	li	t1, 5
	beq	t0, t1, timer
	li	t1, 1
	bne	t0, t1, exception
	li	t0, SIP_SSIP		/* software interrupt: acknowledge */
	csrc	sip, t0
	ld	t0, PC_SOFT(tp)
	addi	t0, t0, 1
	sd	t0, PC_SOFT(tp)
	j	out
timer:
	csrr	t0, time
	addi	t0, t0, TICKS
	csrw	CSR_STIMECMP, t0	/* the next deadline; STIP falls */
	ld	t0, PC_TIMER(tp)
	addi	t0, t0, 1
	sd	t0, PC_TIMER(tp)
out:
	CHECK	3
	ld	a5, 24(sp)
	ld	t6, 16(sp)
	ld	t1, 8(sp)
	ld	t0, 0(sp)
	addi	sp, sp, 32
	sret

mismatch:
	li	t0, RESULTS
	sd	s1, 0x00(t0)
	sd	a5, 0x08(t0)
	sd	tp, 0x10(t0)
	csrr	t1, sscratch
	sd	t1, 0x18(t0)
	addi	a0, s1, 10
	j	semi_exit

exception:
	li	a0, 99
	j	semi_exit
