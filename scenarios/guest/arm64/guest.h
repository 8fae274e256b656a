/* Shared definitions for arm64 guest programs (assembly). */
#define SYS_WRITEC 0x03
#define SYS_WRITE0 0x04
#define SYS_EXIT 0x18
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

#define SMCCC_VERSION 0x80000000
#define SMCCC_ARCH_FEATURES 0x80000001
#define HYPSIM_NOP 0xc2000000
#define HYPSIM_ECHO 0xc2000001

/* Results area the scenarios inspect: RAM base + 64 KiB. */
#define RESULTS 0x40010000

/*
 * pKVM: each CPU's hyp per-CPU area (one page; kvm_init_params at its start),
 * named in __pkvm_init's per_cpu_base array (x4).  `hyp_percpu_bases` emits
 * that array for up to four CPUs.
 */
#define HYP_PERCPU 0x41f00000

.macro hyp_percpu_bases
	.balign	8
hyp_percpu_bases:
	.quad	HYP_PERCPU, HYP_PERCPU + 0x1000, HYP_PERCPU + 0x2000, HYP_PERCPU + 0x3000
.endm

/* __pkvm_init(base, size, ncpus, hyp_percpu_bases, 48): x0 SUCCESS, x1 the result. */
.macro pkvm_init_hvc base, size, ncpus
	movz	x0, #0x0001
	movk	x0, #0xc600, lsl #16
	movz	x1, #((\base) & 0xffff)
	movk	x1, #(((\base) >> 16) & 0xffff), lsl #16
	movz	x2, #((\size) & 0xffff)
	movk	x2, #(((\size) >> 16) & 0xffff), lsl #16
	mov	x3, #\ncpus
	adr	x4, hyp_percpu_bases
	mov	x5, #48
	hvc	#0
.endm

/* A vector table whose only live entry is IRQ from the current EL (+0x280). */
.macro irq_vectors irq, other
	.balign	2048
vectors:
	.rept	5
	b	\other
	.balign	0x80
	.endr
	b	\irq
	.balign	0x80
	.rept	10
	b	\other
	.balign	0x80
	.endr
.endm

/*
 * A vector table for synchronous exceptions: the entries from the current EL
 * with SP_EL0 go to \sp0, the synchronous entry with SP_ELx (+0x200) to \sync,
 * every other entry to \other.
 */
.macro sync_vectors sync, sp0, other
	.balign	2048
vectors:
	.rept	4
	b	\sp0
	.balign	0x80
	.endr
	b	\sync
	.balign	0x80
	.rept	11
	b	\other
	.balign	0x80
	.endr
.endm

/*
 * sync_handler for a host under pKVM's Android policy: an abort pKVM injected
 * (S1PTW set in ESR_EL1) adds one to x25 and skips the access; anything else
 * (at `unexpected`) exits with status 9.
 */
.macro count_injected_aborts
sync_handler:
	mrs	x12, esr_el1
	tbz	x12, #7, unexpected
	add	x25, x25, #1
	mrs	x12, elr_el1
	add	x12, x12, #4
	msr	elr_el1, x12
	eret
unexpected:
	mov	x0, #9
	b	semi_exit
.endm

/*
 * sync_handler that reports an abort pKVM injected and stops: ESR_EL1, FAR_EL1
 * and ELR_EL1 at x21 + 0x58/0x60/0x68, the string at `aborted` on the console,
 * exit status 7.
 */
.macro report_abort
sync_handler:
	mrs	x0, esr_el1
	str	x0, [x21, #0x58]
	mrs	x0, far_el1
	str	x0, [x21, #0x60]
	mrs	x0, elr_el1
	str	x0, [x21, #0x68]
	adr	x0, aborted
	bl	semi_puts
	mov	x0, #7
	b	semi_exit
.endm

/* Load a 32-bit constant into a register. */
.macro li32 reg, val
	movz \reg, #((\val) & 0xffff)
	movk \reg, #(((\val) >> 16) & 0xffff), lsl #16
.endm

/*
 * The GICv3 (docs/models/gicv3.md): distributor at GICD, redistributor n at
 * GICR + n * 0x20000 (RD_base, then SGI_base at +0x10000).
 */
#define GICD 0x08000000
#define GICR 0x080a0000

/* Every SPI in Group 1 and enabled (routed to CPU 0 by reset), Group 1 on. Clobbers x9-x13. */
.macro gic_dist_init
	li32	x9, GICD + 0x80		/* GICD_IGROUPR0 */
	add	x10, x9, #0x80		/* GICD_ISENABLER0 */
	movn	w12, #0
	mov	x11, #1
1:	str	w12, [x9, x11, lsl #2]
	str	w12, [x10, x11, lsl #2]
	add	x11, x11, #1
	cmp	x11, #32
	b.lo	1b
	li32	x9, GICD
	mov	w12, #2			/* GICD_CTLR.EnableGrp1 */
	str	w12, [x9]
.endm

/*
 * This CPU's redistributor awake, its SGIs and PPIs in Group 1 and enabled,
 * priority mask 0xf0, Group 1 on at the CPU interface.  \idx: a register with
 * the CPU's index.  Clobbers x9, x10, x12.
 */
.macro gic_cpu_init idx
	li32	x9, GICR
	lsl	x10, \idx, #17
	add	x9, x9, x10
	str	wzr, [x9, #0x14]	/* GICR_WAKER.ProcessorSleep = 0 */
	add	x9, x9, #0x10000
	movn	w12, #0
	str	w12, [x9, #0x80]	/* GICR_IGROUPR0 */
	str	w12, [x9, #0x100]	/* GICR_ISENABLER0 */
	mov	x12, #0xf0
	msr	icc_pmr_el1, x12
	mov	x12, #1
	msr	icc_igrpen1_el1, x12
	isb
.endm
