/*
 * A GICv3 driver on four vCPUs (docs/models/gicv3.md): vCPU 0 sets the
 * distributor up (every SPI in Group 1, SPI 41 routed to vCPU 2) and starts
 * vCPUs 1-3 with PSCI CPU_ON.  Each vCPU then takes NTICKS ticks of its own
 * virtual timer (PPI 27, re-armed with TVAL in the handler) and on each tick
 * sends SGI 5 to the next vCPU round the ring through ICC_SGI1R_EL1.  It
 * waits until it has its ticks, NTICKS SGIs from its neighbour and the SPIs
 * routed to it (the scenario injects SPI 40, for vCPU 0, and SPI 41), then
 * writes its counts at RESULTS + 0x40 * n:
 *   +0x00 ticks  +0x08 SGIs  +0x10 SPIs  +0x18 the last SPI's INTID
 *   +0x20 spurious acknowledgements (1023)  +0x28 MPIDR_EL1
 *   +0x30 GICR_TYPER of its redistributor (Affinity 0.0.0.n, Processor_Number n, Last)
 * vCPU 0 waits for the others' counts and exits 0.
 */
#include "guest.h"

#define NCPUS 4
#define NTICKS 50
#define PERIOD 2000		/* ticks between timer interrupts */
#define SGI_RING 5
#define PSCI_CPU_ON_64 0xc4000003
#define DONE (RESULTS + 0x200)	/* one u64 flag per vCPU */

	.text
	.globl main
main:
	gic_dist_init
	li32	x9, GICD + 0x6000 + 8 * 41	/* GICD_IROUTER41: vCPU 2 */
	mov	x10, #2
	str	x10, [x9]
	mov	x19, #1
1:	li32	x0, PSCI_CPU_ON_64
	mov	x1, x19
	adr	x2, secondary
	mov	x3, x19
	hvc	#0
	cbnz	x0, fail
	add	x19, x19, #1
	cmp	x19, #NCPUS
	b.lo	1b
	mov	x0, #0
	b	percpu

/* CPU_ON entry: x0 = context_id = index; no stack yet. */
secondary:
	adr	x9, stacks_top
	sub	x9, x9, x0, lsl #12
	mov	sp, x9

/* Every vCPU, x0 = its index. */
percpu:
	mov	x19, x0
	li32	x20, RESULTS
	add	x20, x20, x19, lsl #6
	mov	x22, #0			/* ticks */
	mov	x23, #0			/* SGIs */
	mov	x24, #0			/* SPIs */
	mov	x25, #0			/* last SPI */
	mov	x26, #0			/* spurious */
	adr	x9, vectors
	msr	vbar_el1, x9
	gic_cpu_init x19
	mrs	x9, mpidr_el1
	str	x9, [x20, #0x28]
	li32	x9, GICR + 8
	lsl	x10, x19, #17
	ldr	x9, [x9, x10]
	str	x9, [x20, #0x30]
	/* the SPIs this vCPU waits for: 40 on vCPU 0, 41 on vCPU 2 */
	cmp	x19, #0
	ccmp	x19, #2, #4, ne
	cset	x27, eq
	mov	x9, #PERIOD
	msr	cntv_tval_el0, x9
	mov	x9, #1
	msr	cntv_ctl_el0, x9
	msr	daifclr, #2
2:	wfi
	cmp	x22, #NTICKS
	b.lo	2b
	cmp	x23, #NTICKS
	b.lo	2b
	cmp	x24, x27
	b.lo	2b
	msr	daifset, #2
	stp	x22, x23, [x20, #0x00]
	stp	x24, x25, [x20, #0x10]
	str	x26, [x20, #0x20]
	li32	x9, DONE
	mov	x10, #1
	str	x10, [x9, x19, lsl #3]
	cbz	x19, wait_all
3:	wfi
	b	3b

wait_all:
	li32	x9, DONE
	mov	x11, #0
4:	ldr	x10, [x9, x11, lsl #3]
	cbz	x10, 4b
	add	x11, x11, #1
	cmp	x11, #NCPUS
	b.lo	4b
	adr	x0, msg
	bl	semi_puts
	mov	x0, #0
	b	semi_exit

irq_handler:
	stp	x0, x1, [sp, #-16]!
	mrs	x0, icc_iar1_el1
	cmp	x0, #1023
	b.ne	1f
	add	x26, x26, #1
	b	9f
1:	cmp	x0, #27
	b.ne	2f
	add	x22, x22, #1
	cmp	x22, #NTICKS
	mov	x1, #PERIOD
	csel	x1, x1, xzr, lo
	msr	cntv_tval_el0, x1	/* next tick (or, after the last, stop below) */
	cset	x1, lo
	msr	cntv_ctl_el0, x1
	mov	x1, #1			/* SGI_RING to the next vCPU: its TargetList bit */
	add	x0, x19, #1
	and	x0, x0, #(NCPUS - 1)
	lsl	x1, x1, x0
	mov	x0, #(SGI_RING << 24)
	orr	x1, x1, x0
	msr	icc_sgi1r_el1, x1
	mov	x0, #27
	b	8f
2:	cmp	x0, #SGI_RING
	b.ne	3f
	add	x23, x23, #1
	b	8f
3:	add	x24, x24, #1
	mov	x25, x0
8:	msr	icc_eoir1_el1, x0
9:	ldp	x0, x1, [sp], #16
	eret

fail:
	mov	x0, #3
	b	semi_exit

unexpected:
	mov	x0, #99
	b	semi_exit

msg:	.asciz	"gic smp: done\n"

	irq_vectors irq_handler, unexpected

	.bss
	.balign	4096
stacks:	.skip	4096 * NCPUS
stacks_top:
