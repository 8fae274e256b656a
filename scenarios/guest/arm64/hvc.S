/*
 * HVC/SMC round trips through hypsim's SMCCC dispatcher.  Each check stores
 * x0 (and for ECHO x1-x3) to RESULTS and counts mismatches in x20; main
 * returns the mismatch count, so the exit code is 0 when all agree.
 *   RESULTS+0x00  SMCCC_VERSION                 -> 0x10002
 *   RESULTS+0x08  HYPSIM_ECHO(1,2,3) x0..x3     -> 0, 3, 2, 1
 *   RESULTS+0x28  unknown id 0xc2001234         -> -1 (NOT_SUPPORTED), as HVC #0x1234
 *   RESULTS+0x30  id with bit 32 set            -> -1
 *   RESULTS+0x38  SMC #0x5a HYPSIM_NOP          -> 0 (the immediate is the trace's alone)
 *   RESULTS+0x40  ARCH_FEATURES(HYPSIM_ECHO)    -> 0
 *   RESULTS+0x48  ARCH_FEATURES(0xc2001234)     -> -1
 */
#include "guest.h"

.macro check reg, want
	mov	x9, \want
	cmp	\reg, x9
	cinc	x20, x20, ne
.endm

	.text
	.globl main
main:
	stp	x29, x30, [sp, #-16]!
	mov	x20, #0
	li32	x21, RESULTS

	li32	x0, SMCCC_VERSION
	hvc	#0
	str	x0, [x21, #0x00]
	li32	x10, 0x10002
	check	x0, x10

	li32	x0, HYPSIM_ECHO
	mov	x1, #1
	mov	x2, #2
	mov	x3, #3
	hvc	#0
	stp	x0, x1, [x21, #0x08]
	stp	x2, x3, [x21, #0x18]
	check	x0, #0
	check	x1, #3
	check	x2, #2
	check	x3, #1

	li32	x0, 0xc2001234
	hvc	#0x1234
	str	x0, [x21, #0x28]
	check	x0, #-1

	li32	x0, HYPSIM_NOP
	orr	x0, x0, #(1 << 32)
	hvc	#0
	str	x0, [x21, #0x30]
	check	x0, #-1

	li32	x0, HYPSIM_NOP
	smc	#0x5a
	str	x0, [x21, #0x38]
	check	x0, #0

	li32	x0, SMCCC_ARCH_FEATURES
	li32	x1, HYPSIM_ECHO
	hvc	#0
	str	x0, [x21, #0x40]
	check	x0, #0

	li32	x0, SMCCC_ARCH_FEATURES
	li32	x1, 0xc2001234
	hvc	#0
	str	x0, [x21, #0x48]
	check	x0, #-1

	cbnz	x20, 1f
	adr	x0, ok
	bl	semi_puts
1:	mov	x0, x20
	ldp	x29, x30, [sp], #16
	ret

ok:	.asciz	"hvc: all round trips ok\n"
