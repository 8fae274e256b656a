/*
 * The host kernel's side of AEN registration, in real s390x code: build the
 * zpci_aipb in memory as zpci_setup_aipb() does (faisb, gait, afi = nisc,
 * faal = 512; docs/models/aen.md §1.6), then the two SICs kvm_s390_pci_aen_init()
 * issues: SET_AENI_CONTROLS (op 2, ISC 0) and IRQ_MODE_SINGLE (op 1,
 * ISC = nisc << 27).  A second SET_AENI shows the firmware refusing to
 * register twice.  Each SIC's condition code (from IPM) goes to RESULTS:
 *   +0  CC of SET_AENI_CONTROLS       (0 expected)
 *   +8  CC of IRQ_MODE_SINGLE         (0)
 *   +16 CC of the second SET_AENI     (1: already registered)
 *   +24 CC of IRQ_MODE_ALL            (0)
 *   +32 the AIPB's address, +40 the summary vector's, +48 the GAIT's
 * The word at MODE (written by a scenario before the run) picks extras:
 *   1: SIC with the undefined operation control 3 (an operand exception)
 * Exit code: 0 when the CCs are the expected ones, else 1.
 */
#include "guest.h"

#define NISC 5

/* The condition code the last instruction left, into RESULTS + off. */
	.macro cc_to off
	ipm	%r8
	srlg	%r8, %r8, 28
	nill	%r8, 3
	stg	%r8, \off(%r9)
	.endm
#define NR_DEVICES 512

	.text
	.globl main
main:
	stmg	%r6, %r15, 48(%r15)
	larl	%r9, results_base
	lg	%r9, 0(%r9)		/* %r9 = RESULTS */

	/* zpci_setup_aipb: the 40-byte IIB is zeroed, then filled big-endian */
	larl	%r4, aipb
	xc	0(40, %r4), 0(%r4)
	larl	%r5, sbv
	stg	%r5, 0(%r4)		/* faisb */
	larl	%r6, gait
	stg	%r6, 8(%r4)		/* gait */
	mvi	17(%r4), NISC		/* afi: low 3 bits of the halfword at 16 */
	lghi	%r7, NR_DEVICES
	sth	%r7, 22(%r4)		/* faal */
	stg	%r4, 32(%r9)
	stg	%r5, 40(%r9)
	stg	%r6, 48(%r9)

	/* SIC SET_AENI_CONTROLS, isc 0, iib = aipb */
	lghi	%r1, 2
	lghi	%r3, 0
	SIC(%r1, %r3, 0(%r4))
	cc_to	0

	/* SIC IRQ_MODE_SINGLE, isc = nisc << 27, a zeroed IIB */
	larl	%r10, zero_iib
	lghi	%r1, 1
	llilh	%r3, NISC << 11		/* NISC << 27 */
	SIC(%r1, %r3, 0(%r10))
	cc_to	8

	/* a second SET_AENI: registration is once per boot */
	lghi	%r1, 2
	lghi	%r3, 0
	SIC(%r1, %r3, 0(%r4))
	cc_to	16

	/* SIC IRQ_MODE_ALL for ISC 2 (PCI_ISC), through a base + displacement */
	lghi	%r1, 0
	llilh	%r3, 2 << 11
	SIC(%r1, %r3, 8(%r10))
	cc_to	24

	larl	%r11, mode
	lg	%r11, 0(%r11)
	cghi	%r11, 1
	jne	2f
	lghi	%r1, 3			/* not an operation control Linux defines */
	SIC(%r1, %r3, 0(%r10))
2:
	/* expected: 0, 0, 1, 0 */
	lghi	%r2, 1
	lg	%r0, 0(%r9)
	cghi	%r0, 0
	jne	3f
	lg	%r0, 8(%r9)
	cghi	%r0, 0
	jne	3f
	lg	%r0, 16(%r9)
	cghi	%r0, 1
	jne	3f
	lg	%r0, 24(%r9)
	cghi	%r0, 0
	jne	3f
	lghi	%r2, 0
3:	lmg	%r6, %r15, 48(%r15)
	br	%r14

	.section .rodata
	.balign 8
results_base:	.quad RESULTS

	.data
	.balign 8
	.globl mode
mode:	.quad 0
	.balign 8
aipb:	.space 40
	.balign 8
zero_iib: .space 48
	.balign 256
sbv:	.space NR_DEVICES / 8
	.balign 4096
gait:	.space NR_DEVICES * 16
