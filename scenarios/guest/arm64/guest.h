/* Shared definitions for arm64 guest programs (assembly). */
#define SYS_WRITEC 0x03
#define SYS_WRITE0 0x04
#define SYS_EXIT 0x18
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

#define SMCCC_VERSION 0x80000000
#define SMCCC_ARCH_FEATURES 0x80000001
#define HYPSIM_NOP 0xc2000000
#define HYPSIM_ECHO 0xc2000001
#define HYPSIM_IRQ_ACK 0xc2000002

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
