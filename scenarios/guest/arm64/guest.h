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

/* Load a 32-bit constant into a register. */
.macro li32 reg, val
	movz \reg, #((\val) & 0xffff)
	movk \reg, #(((\val) >> 16) & 0xffff), lsl #16
.endm
