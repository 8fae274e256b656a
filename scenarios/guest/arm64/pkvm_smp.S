/*
 * A pKVM boot on every vCPU (docs/models/pkvm.md §5.2 steps 3-7): vCPU 0 runs
 * __pkvm_init and flips the key, then releases the others (a flag in
 * memory); every vCPU calls __pkvm_prot_finalize (x1 at FIN + 8*cpu) and
 * stores its index into PERCPU + 8*cpu under its own host stage-2, then marks
 * itself done (DONE + 8*cpu).  vCPU 0 exits 0 once all are done.
 */
#include "guest.h"

#define HYP_BASE 0x42000000
#define HYP_SIZE 0x00800000
#define PERCPU 0x40900000
#define NCPUS 4
#define RELEASE 0x100
#define FIN 0x110
#define DONE 0x150

	.text
	.globl main
main:
	stp	x29, x30, [sp, #-16]!
	mov	x19, x0
	li32	x21, RESULTS
	cbnz	x19, secondary

	pkvm_init_hvc HYP_BASE, HYP_SIZE, NCPUS
	str	x1, [x21, #0x08]
	li32	x0, 0xc2000003		/* the key */
	hvc	#0
	mov	x0, #1
	str	x0, [x21, #RELEASE]
	bl	finalize_and_touch
1:	ldr	x0, [x21, #DONE + 8]
	ldr	x1, [x21, #DONE + 16]
	ldr	x2, [x21, #DONE + 24]
	and	x0, x0, x1
	and	x0, x0, x2
	cbz	x0, 1b
	mov	x0, #0
	ldp	x29, x30, [sp], #16
	ret

secondary:
1:	ldr	x0, [x21, #RELEASE]
	cbz	x0, 1b
	bl	finalize_and_touch
2:	wfi
	b	2b

finalize_and_touch:
	li32	x0, 0xc6000007
	hvc	#0
	add	x2, x21, #FIN
	str	x1, [x2, x19, lsl #3]
	li32	x3, PERCPU
	str	x19, [x3, x19, lsl #3]
	mov	x0, #1
	add	x2, x21, #DONE
	str	x0, [x2, x19, lsl #3]
	ret

	hyp_percpu_bases
