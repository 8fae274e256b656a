/*
 * Multi-vCPU bring-up through PSCI (docs/models/boot-percpu.md), with vCPUs 1..3
 * powered off at reset (`secondaries off`).  vCPU 0 probes PSCI, starts the
 * secondaries with CPU_ON (context_id = 0xc0de00 | index), waits for them to
 * arrive, releases them to CPU_OFF, starts vCPU 1 a second time, and ends
 * the run with SYSTEM_OFF.  Results (RESULTS + offset, 64-bit):
 *   0x00 PSCI_VERSION (0x10001)       0x08 FEATURES(CPU_ON_64) (0)
 *   0x10 FEATURES(CPU_SUSPEND_64) (-1) 0x18 AFFINITY_INFO(1) before (1 OFF)
 *   0x20 CPU_ON(MPIDR 9) (-2)         0x28 CPU_ON(1, entry + 2) (-9)
 *   0x30 CPU_ON(1) (0)                0x38 CPU_ON(1) again (-4 ALREADY_ON)
 *   0x40 AFFINITY_INFO(2) (0 ON)      0x48 AFFINITY_INFO(2, level 1) (-2)
 *   0x50 CPU_OFF on the last CPU on (-3 DENIED)
 *   0x58 CPU_ON(MPIDR 0x100: Aff1 = 1) (-2)
 *   0x60 CPU_ON(1) after it went off (0)
 *   0x100 + 8*n  the x0 (context_id) vCPU n started with (the last start)
 *   0x140 + 8*n  SCTLR_EL1.M at its entry (0: MMU off)
 *   0x180 + 8*n  how many times vCPU n started
 */
#include "guest.h"

#define PSCI_VERSION 0x84000000
#define PSCI_CPU_SUSPEND_64 0xc4000001
#define PSCI_CPU_OFF 0x84000002
#define PSCI_CPU_ON_64 0xc4000003
#define PSCI_AFFINITY_INFO_64 0xc4000004
#define PSCI_SYSTEM_OFF 0x84000008
#define PSCI_FEATURES 0x8400000a
#define RELEASE 0x1c0
#define ARRIVED 0x1c8

/* psci fid [, a1 [, a2 [, a3]]] -> x0; stores x0 at RESULTS + off when off >= 0 */
.macro psci off, fid, a1=0, a2=0, a3=0
	li32	x0, \fid
	mov	x1, \a1
	mov	x2, \a2
	mov	x3, \a3
	hvc	#0
	.if \off >= 0
	str	x0, [x21, #\off]
	.endif
.endm

	.text
	.globl main
main:
	stp	x29, x30, [sp, #-16]!
	li32	x21, RESULTS
	adr	x22, secondary
	psci	0x00, PSCI_VERSION
	li32	x1, PSCI_CPU_ON_64
	psci	0x08, PSCI_FEATURES, x1
	li32	x1, PSCI_CPU_SUSPEND_64
	psci	0x10, PSCI_FEATURES, x1
	psci	0x18, PSCI_AFFINITY_INFO_64, #1, #0
	psci	0x20, PSCI_CPU_ON_64, #9, x22, #0
	add	x2, x22, #2
	psci	0x28, PSCI_CPU_ON_64, #1, x2, #0
	li32	x3, 0xc0de01
	psci	0x30, PSCI_CPU_ON_64, #1, x22, x3
	psci	0x38, PSCI_CPU_ON_64, #1, x22, x3
	li32	x3, 0xc0de02
	psci	-1, PSCI_CPU_ON_64, #2, x22, x3
	li32	x3, 0xc0de03
	psci	-1, PSCI_CPU_ON_64, #3, x22, x3
1:	ldr	x0, [x21, #ARRIVED]	/* wait for the three */
	cmp	x0, #3
	b.lo	1b
	psci	0x40, PSCI_AFFINITY_INFO_64, #2, #0
	psci	0x48, PSCI_AFFINITY_INFO_64, #2, #1
	mov	x0, #1
	str	x0, [x21, #RELEASE]
	mov	x19, #1			/* wait until 1..3 are all off */
2:	psci	-1, PSCI_AFFINITY_INFO_64, x19, #0
	cmp	x0, #1
	b.ne	2b
	add	x19, x19, #1
	cmp	x19, #4
	b.lo	2b
	psci	0x50, PSCI_CPU_OFF
	psci	0x58, PSCI_CPU_ON_64, #0x100, x22, #0
	li32	x3, 0xbeef01
	psci	0x60, PSCI_CPU_ON_64, #1, x22, x3
3:	psci	-1, PSCI_AFFINITY_INFO_64, #1, #0
	cmp	x0, #1
	b.ne	3b
	psci	-1, PSCI_SYSTEM_OFF
4:	b	4b			/* SYSTEM_OFF does not return */

/* A secondary: x0 = context_id, whose low byte is its index. */
	.balign	4
secondary:
	li32	x21, RESULTS
	and	x1, x0, #0xff
	add	x2, x21, x1, lsl #3
	str	x0, [x2, #0x100]
	mrs	x3, sctlr_el1
	and	x3, x3, #1
	str	x3, [x2, #0x140]
	ldr	x3, [x2, #0x180]
	add	x3, x3, #1
	str	x3, [x2, #0x180]
	add	x4, x21, #ARRIVED	/* arrived++ */
5:	ldaxr	x5, [x4]
	add	x5, x5, #1
	stlxr	w6, x5, [x4]
	cbnz	w6, 5b
6:	ldr	x5, [x21, #RELEASE]	/* wait for the release */
	cbz	x5, 6b
	psci	-1, PSCI_CPU_OFF
7:	b	7b			/* CPU_OFF does not return */
