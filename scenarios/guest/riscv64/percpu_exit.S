/*
 * The per-CPU exit-path ordering bug (docs/models/boot-percpu.md, "Per-CPU state
 * across entry and exit"), on four harts.
 *
 * The kernel keeps its per-CPU *offset* in tp, as arm64 keeps it in
 * TPIDR_EL1: a per-CPU variable's address is its static address plus the
 * offset (this_cpu_ptr).  Hart 0 uses the static copy itself (offset 0), so
 * hart h's area is PERCPU + h * 0x1000.  User code runs in U-mode with its
 * own tp (0: no TLS).  Every entry saves the interrupted tp in the trap
 * frame and loads the kernel's offset; every exit restores the saved tp.
 *
 * Each hart makes NSYSCALL system calls from U-mode; the kernel counts them
 * in its per-CPU area, and the exit path calls trace_hardirqs_on(), which
 * counts too (a load and a store through tp).  RESULTS + 0x100 picks the
 * exit path:
 *   0  fixed: trace_hardirqs_on() runs, then tp is restored.  Clean.
 *   1  early restore: tp is restored first, so trace_hardirqs_on() runs
 *      with the user's tp (0) and updates the static copy: hart 0's area.
 *      Harts 1-3 touch another CPU's data twice per call; on hart 0 the
 *      bug is invisible.  hypsim's per-CPU check reports it.
 * A last system call (a7 = 1) ends the hart's work: it copies its own
 * counters to RESULTS + 0x40 + 16*hart (syscalls, irq-trace count) and
 * marks itself done (RESULTS + 0x20 + 8*hart).  Hart 0 exits 0 once all
 * four are done.  An unexpected trap exits 99.
 */
#include "guest.h"

#define NHARTS 4
#define NSYSCALL 10
#define PERCPU 0x80100000
#define PCPU_SYSCALLS 0x00
#define PCPU_IRQTRACE 0x08
#define PCPU_SELF 0x10
#define MODE (RESULTS + 0x100)
#define SSTATUS_SPP (1 << 8)

/* Frame: ra, t0, t1, a0, a7, tp (interrupted), 48 bytes; the kernel's tp sits above it. */
#define F_RA 0
#define F_T0 8
#define F_T1 16
#define F_A0 24
#define F_A7 32
#define F_TP 40
#define FRAME 48

	.text
	.globl main
main:
	slli	tp, a0, 12		/* this hart's per-CPU offset */
	li	t0, PERCPU + PCPU_SELF
	add	t0, t0, tp
	sd	a0, 0(t0)		/* this_cpu_write(self, hart) */
	addi	sp, sp, -16
	sd	tp, 0(sp)		/* the kernel's tp, above every frame */
	csrw	sscratch, sp		/* kernel stack top while in U-mode */
	la	t0, kentry
	csrw	stvec, t0
	li	t0, SSTATUS_SPP
	csrc	sstatus, t0		/* sret goes to U */
	la	t0, user
	csrw	sepc, t0
	la	t0, user_stacks
	addi	t1, a0, 1
	slli	t1, t1, 10		/* 1 KiB of user stack per hart */
	add	t0, t0, t1
	mv	sp, t0
	li	tp, 0			/* the user has no TLS */
	sret

/* U-mode: NSYSCALL system calls, then the last one. */
	.balign	4
user:
	li	s0, NSYSCALL
1:	li	a7, 0
	ecall
	addi	s0, s0, -1
	bnez	s0, 1b
	li	a7, 1
	ecall
2:	j	2b

/* Trap entry: swap to the kernel stack, save, load the kernel's tp. */
	.balign	4
kentry:
	csrrw	sp, sscratch, sp	/* sp = kernel stack top, sscratch = user sp */
	addi	sp, sp, -FRAME
	sd	ra, F_RA(sp)
	sd	t0, F_T0(sp)
	sd	t1, F_T1(sp)
	sd	a0, F_A0(sp)
	sd	a7, F_A7(sp)
	sd	tp, F_TP(sp)		/* the interrupted tp */
	ld	tp, FRAME(sp)		/* the kernel's per-CPU offset */
	csrr	t0, scause
	li	t1, 8			/* ecall from U */
	bne	t0, t1, unexpected
	csrr	t0, sepc
	addi	t0, t0, 4
	csrw	sepc, t0
	bnez	a7, hart_done
	call	do_syscall
	/* exit path */
	li	t0, MODE
	ld	t0, 0(t0)
	bnez	t0, early
	call	trace_hardirqs_on	/* fixed: the last kernel call, with the kernel's tp */
	ld	tp, F_TP(sp)		/* then the outgoing value */
	j	restore
early:
	ld	tp, F_TP(sp)		/* BUG: the user's tp too early ... */
	call	trace_hardirqs_on	/* ... so this updates another CPU's data */
restore:
	ld	ra, F_RA(sp)
	ld	t0, F_T0(sp)
	ld	t1, F_T1(sp)
	ld	a0, F_A0(sp)
	ld	a7, F_A7(sp)
	addi	sp, sp, FRAME
	csrrw	sp, sscratch, sp	/* sp = user sp, sscratch = kernel stack top */
	sret

/* this_cpu_inc(syscalls) */
do_syscall:
	li	t0, PERCPU + PCPU_SYSCALLS
	add	t0, t0, tp
	ld	t1, 0(t0)
	addi	t1, t1, 1
	sd	t1, 0(t0)
	ret

/* this_cpu_inc(irqtrace): the tracing call at the end of the exit path */
trace_hardirqs_on:
	li	t0, PERCPU + PCPU_IRQTRACE
	add	t0, t0, tp
	ld	t1, 0(t0)
	addi	t1, t1, 1
	sd	t1, 0(t0)
	ret

/* The hart's last system call: publish its own counters, mark it done. */
hart_done:
	li	s1, RESULTS
	li	t0, PERCPU + PCPU_SELF
	add	t0, t0, tp
	ld	a0, 0(t0)		/* this_cpu_read(self) */
	slli	t1, a0, 4
	add	t1, t1, s1
	li	t0, PERCPU + PCPU_SYSCALLS
	add	t0, t0, tp
	ld	t2, 0(t0)
	sd	t2, 0x40(t1)
	li	t0, PERCPU + PCPU_IRQTRACE
	add	t0, t0, tp
	ld	t2, 0(t0)
	sd	t2, 0x48(t1)
	slli	t1, a0, 3
	add	t1, t1, s1
	li	t0, 1
	sd	t0, 0x20(t1)
	fence	rw, rw
	bnez	a0, park
	li	t2, 0			/* hart 0: wait for everyone */
1:	li	t2, 0
	li	t3, 0
2:	slli	t1, t3, 3
	add	t1, t1, s1
	ld	t0, 0x20(t1)
	add	t2, t2, t0
	addi	t3, t3, 1
	li	t0, NHARTS
	bltu	t3, t0, 2b
	bltu	t2, t0, 1b
	li	a0, 0
	j	semi_exit
park:
	wfi
	j	park

unexpected:
	li	a0, 99
	j	semi_exit

	.bss
	.balign	16
user_stacks:
	.space	1024 * NHARTS
