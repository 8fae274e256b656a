/*
 * A pKVM "host kernel" (docs/models/pkvm.md §5.2), at EL1 with the MMU off:
 *   __pkvm_init(HYP_BASE, HYP_SIZE, 1 CPU, hyp_percpu_bases, 48)   RESULTS+0x00 x0, +0x08 x1
 *   flip kvm_protected_mode_initialized (hypsim's stand-in SiP call)
 *   __pkvm_init again: refused                       RESULTS+0x10 x0
 *   __pkvm_prot_finalize, twice                      RESULTS+0x18, +0x20 x1
 *   then, under the host stage-2 (faulted in lazily):
 *   store and load SHARE_PAGE                        RESULTS+0x28
 *   share_hyp, share_hyp, unshare_hyp, unshare_hyp   RESULTS+0x30 .. +0x48 x1
 *   touch HYP_BASE, which pKVM now owns: mainline hyp-panics here; with the
 *   Android policy the abort comes back to this kernel's vector, which
 *   records ESR/FAR/ELR at RESULTS+0x58/+0x60/+0x68 and exits with 7.
 */
#include "guest.h"

#define HYP_BASE 0x42000000
#define HYP_SIZE 0x00800000
#define SHARE_PAGE 0x40800000
#define PKVM(n) (0xc6000000 + (n))
#define HYPSIM_PKVM_KEY 0xc2000003

.macro hcall id, slot
	li32	x0, \id
	hvc	#0
	str	x1, [x21, #\slot]
.endm

	.text
	.globl main
main:
	stp	x29, x30, [sp, #-16]!
	li32	x21, RESULTS
	adr	x0, vectors
	msr	vbar_el1, x0
	isb

	pkvm_init_hvc HYP_BASE, HYP_SIZE, 1
	stp	x0, x1, [x21, #0x00]

	li32	x0, HYPSIM_PKVM_KEY
	hvc	#0
	li32	x0, PKVM(1)
	hvc	#0
	str	x0, [x21, #0x10]

	hcall	PKVM(7), 0x18
	hcall	PKVM(7), 0x20

	li32	x22, SHARE_PAGE
	mov	x0, #0x55
	str	x0, [x22]
	ldr	x1, [x22]
	str	x1, [x21, #0x28]

	lsr	x1, x22, #12
	hcall	PKVM(8), 0x30
	lsr	x1, x22, #12
	hcall	PKVM(8), 0x38
	lsr	x1, x22, #12
	hcall	PKVM(9), 0x40
	lsr	x1, x22, #12
	hcall	PKVM(9), 0x48

	li32	x23, HYP_BASE
	ldr	x0, [x23]		/* pKVM's memory */
	adr	x0, survived
	bl	semi_puts
	mov	x0, #0
	ldp	x29, x30, [sp], #16
	ret

	report_abort

survived: .asciz "pkvm: touched hyp memory and survived?\n"
aborted:  .asciz "pkvm: abort on hyp memory, as injected\n"

	sync_vectors sync_handler, sync_handler, .

	hyp_percpu_bases
