/*
 * Stage-2 across turn switches: vCPU 0 boots pKVM for two vCPUs; both
 * finalise; vCPU 1 then makes LOOPS hypercalls (each one a chance for its
 * turn to end inside or right after the HVC) and touches a hyp page, which in
 * mainline must be a hyp panic however its turns fell.  vCPU 0 spins on
 * hypercalls meanwhile, so the two interleave.
 */
#include "guest.h"

#define HYP_BASE 0x42000000
#define HYP_SIZE 0x00800000
#define RELEASE 0x100
#define LOOPS 2000

	.text
	.globl main
main:
	stp	x29, x30, [sp, #-16]!
	mov	x19, x0
	li32	x21, RESULTS
	cbnz	x19, secondary
	pkvm_init_hvc HYP_BASE, HYP_SIZE, 2
	li32	x0, 0xc2000003		/* the key */
	hvc	#0
	li32	x0, 0xc6000007		/* __pkvm_prot_finalize */
	hvc	#0
	mov	x0, #1
	str	x0, [x21, #RELEASE]
1:	li32	x0, 0xc2000000		/* hypsim_nop, until the machine stops */
	hvc	#0
	b	1b

secondary:
1:	ldr	x0, [x21, #RELEASE]
	cbz	x0, 1b
	li32	x0, 0xc6000007
	hvc	#0
	li32	x20, LOOPS
2:	li32	x0, 0xc2000000
	hvc	#0
	sub	x20, x20, #1
	cbnz	x20, 2b
	li32	x1, HYP_BASE
	ldr	x0, [x1]		/* a hyp page: BUG_ON in handle_host_mem_abort */
	str	x0, [x21, #0x108]	/* never reached */
3:	wfi
	b	3b

	hyp_percpu_bases
