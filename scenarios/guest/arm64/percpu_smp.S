/*
 * A four-vCPU pKVM boot over PSCI, then per-CPU registers under load
 * (docs/models/boot-percpu.md, docs/models/pkvm.md §5.2).
 *
 * Boot: vCPU 0 runs __pkvm_init(HYP_BASE, HYP_SIZE, 4, hyp_percpu_bases, 48),
 * which gives every CPU its hyp per-CPU area (TPIDR_EL2), flips the host's
 * key, and starts vCPUs 1-3 with PSCI CPU_ON (context_id = the index).
 * Every vCPU then sets its kernel per-CPU base, TPIDR_EL1 = PCPU + 0x1000 *
 * cpu, and calls __pkvm_prot_finalize on itself.  Results (RESULTS + ...):
 *   0x00 __pkvm_init's x1 (0)   0x08 + 8*i CPU_ON(i)'s x0 (0)
 *   0x20 + 8*cpu __pkvm_prot_finalize's x1 (0)
 *
 * Load: each vCPU loops making HVCs (hypsim's NOP) while the scenario
 * injects interrupts; the handler acknowledges them (another HVC).
 * TPIDR_EL1 is checked after every HVC, at the entry and exit of every
 * interrupt handler and round every loop, so a change by a hypercall, an
 * interrupt or a switch to another vCPU is seen before the next one (hypsim
 * itself checks TPIDR_EL2 on every trap into EL2).  Counters in the vCPU's
 * own per-CPU area (TPIDR_EL1-relative): +0x00 HVCs, +0x08 INTID 27
 * interrupts, +0x10 other interrupts, +0x18 checks.
 * The first mismatch stores cpu, where (1 after an HVC, 2 at handler
 * entry, 3 at handler exit, 4 in the loop) and TPIDR_EL1 at RESULTS +
 * 0x40/0x48/0x50 and exits 10 + cpu.  Any other exception, or a failed
 * boot step, exits 2..5 or 99.  The guest never exits on its own.
 */
#include "guest.h"

#define HYP_BASE 0x42000000
#define HYP_SIZE 0x00800000
#define PCPU 0x40900000
#define NCPUS 4
#define PSCI_CPU_ON_64 0xc4000003
#define PKVM_PROT_FINALIZE 0xc6000007
#define HYPSIM_PKVM_KEY 0xc2000003

#define PC_HVC 0x00
#define PC_TIMER 0x08
#define PC_OTHER 0x10
#define PC_CHECKS 0x18

/* check WHERE: TPIDR_EL1 == x20, else fail; count the check */
.macro CHECK where
	mrs	x9, tpidr_el1
	cmp	x9, x20
	b.eq	1f
	mov	x10, #\where
	b	mismatch
1:	ldr	x10, [x9, #PC_CHECKS]
	add	x10, x10, #1
	str	x10, [x9, #PC_CHECKS]
.endm

	.text
	.globl main
main:
	li32	x21, RESULTS
	gic_dist_init
	pkvm_init_hvc HYP_BASE, HYP_SIZE, NCPUS
	str	x1, [x21, #0x00]
	mov	x0, #2
	cbnz	x1, fail
	li32	x0, HYPSIM_PKVM_KEY
	hvc	#0
	mov	x19, #1
1:	li32	x0, PSCI_CPU_ON_64
	mov	x1, x19			/* target MPIDR: Aff0 = index */
	adr	x2, secondary
	mov	x3, x19			/* context_id */
	hvc	#0
	add	x9, x21, #0x08
	str	x0, [x9, x19, lsl #3]
	mov	x9, x0
	mov	x0, #3
	cbnz	x9, fail
	add	x19, x19, #1
	cmp	x19, #NCPUS
	b.lo	1b
	mov	x0, #0
	b	percpu_main

/* CPU_ON entry: x0 = context_id = index; MMU off, no stack yet. */
secondary:
	adr	x9, stacks_top
	sub	x9, x9, x0, lsl #12
	mov	sp, x9

/* Every vCPU, x0 = index. */
percpu_main:
	mov	x19, x0
	li32	x21, RESULTS
	li32	x20, PCPU
	add	x20, x20, x19, lsl #12	/* the base TPIDR_EL1 must keep */
	msr	tpidr_el1, x20
	adr	x9, vectors
	msr	vbar_el1, x9
	gic_cpu_init x19
	li32	x0, PKVM_PROT_FINALIZE
	hvc	#0
	add	x9, x21, #0x20
	str	x1, [x9, x19, lsl #3]
	mov	x0, #4
	cbnz	x1, fail
	msr	daifclr, #2		/* IRQs on */
loop:
	li32	x0, HYPSIM_NOP
	hvc	#0
	CHECK	1
	ldr	x10, [x9, #PC_HVC]
	add	x10, x10, #1
	str	x10, [x9, #PC_HVC]
	CHECK	4
	b	loop

irq_handler:
	stp	x0, x1, [sp, #-48]!
	stp	x2, x3, [sp, #16]
	stp	x9, x10, [sp, #32]
	CHECK	2
	mrs	x0, icc_iar1_el1
	msr	icc_eoir1_el1, x0
	mrs	x9, tpidr_el1
	cmp	x0, #27
	mov	x1, #PC_TIMER
	mov	x2, #PC_OTHER
	csel	x1, x1, x2, eq
	ldr	x10, [x9, x1]
	add	x10, x10, #1
	str	x10, [x9, x1]
	CHECK	3
	ldp	x9, x10, [sp, #32]
	ldp	x2, x3, [sp, #16]
	ldp	x0, x1, [sp], #48
	eret

mismatch:
	str	x19, [x21, #0x40]
	str	x10, [x21, #0x48]
	str	x9, [x21, #0x50]
	add	x0, x19, #10
fail:
	b	semi_exit

unexpected:
	mov	x0, #99
	b	semi_exit

	irq_vectors irq_handler, unexpected

	hyp_percpu_bases

	.bss
	.balign	16
stacks:
	.space	4096 * NCPUS
stacks_top:
