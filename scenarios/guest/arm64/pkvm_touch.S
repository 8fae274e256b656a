/*
 * A host that gives a page away and touches it again (the stage-2
 * coherence reproducer).  One vCPU, at EL1 with the MMU off:
 *   __pkvm_init, the key, __pkvm_prot_finalize         RESULTS+0x00, +0x08 x1
 *   store 0x1111 to PAGE (its 2 MiB block of the lazy idmap is now mapped)
 *   __pkvm_host_donate_hyp(PAGE >> 12, 1) through HYPSIM_PKVM_TEST (an HVC)
 *                                                      RESULTS+0x10 x0, +0x18 x1
 *   touch PAGE + 0x18 again: a store of 0x2222 or a load (into RESULTS+0x20)
 * MODE (RESULTS+0x100, written by the scenario before the run):
 *   bit 0: the second touch is a load, not a store;
 *   bit 1: the scenario donates the page between two runs: the guest skips
 *          its own donation, sets RESULTS+0x28 = 1 and spins until the
 *          scenario writes a non-zero value to RESULTS+0x30;
 *   bit 2: the scenario booted pKVM and finalised this vCPU's stage-2 with
 *          its own `hvc` commands: the guest starts at the first store.
 * Upstream, the second touch is a stage-2 fault that host_stage2_idmap()
 * refuses: mainline hyp-panics; Android injects an abort, which this
 * kernel's vector records (ESR +0x58, FAR +0x60, ELR +0x68) before exiting
 * with 7.  A touch that goes through exits with 3.
 */
#include "guest.h"

#define HYP_BASE 0x42000000
#define HYP_SIZE 0x00800000
#define PAGE 0x40880000
#define MODE 0x100
#define HYPSIM_PKVM_KEY 0xc2000003
#define HYPSIM_PKVM_TEST 0xc2000005

	.text
	.globl main
main:
	stp	x29, x30, [sp, #-16]!
	li32	x21, RESULTS
	adr	x0, vectors
	msr	vbar_el1, x0
	isb
	ldr	x24, [x21, #MODE]
	tbnz	x24, #2, booted

	pkvm_init_hvc HYP_BASE, HYP_SIZE, 1
	str	x1, [x21, #0x00]
	li32	x0, HYPSIM_PKVM_KEY
	hvc	#0
	li32	x0, 0xc6000007		/* __pkvm_prot_finalize */
	hvc	#0
	str	x1, [x21, #0x08]

booted:
	li32	x22, PAGE
	mov	x0, #0x1111
	str	x0, [x22]		/* maps PAGE's block; Unicorn caches it */

	tbnz	x24, #1, wait_for_scenario
	li32	x0, HYPSIM_PKVM_TEST
	mov	x1, #1			/* donate_hyp */
	lsr	x2, x22, #12
	mov	x3, #1
	hvc	#0
	stp	x0, x1, [x21, #0x10]
	b	touch

wait_for_scenario:
	mov	x0, #1
	str	x0, [x21, #0x28]
1:	ldr	x0, [x21, #0x30]
	cbz	x0, 1b

touch:
	tbnz	x24, #0, 2f
	mov	x0, #0x2222
	str	x0, [x22, #0x18]	/* hyp's page now */
	b	3f
2:	ldr	x0, [x22, #0x18]
	str	x0, [x21, #0x20]
3:	adr	x0, survived
	bl	semi_puts
	mov	x0, #3
	ldp	x29, x30, [sp], #16
	ret

	report_abort

survived: .asciz "pkvm-touch: touched a donated page and survived\n"
aborted:  .asciz "pkvm-touch: abort on the donated page, as injected\n"

	sync_vectors sync_handler, sync_handler, .

	hyp_percpu_bases
