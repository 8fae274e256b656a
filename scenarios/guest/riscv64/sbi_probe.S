/*
 * SBI probe: base extension queries, console output through DBCN and the
 * legacy putchar, an unknown extension, then SRST shutdown (exit code 0).
 *   RESULTS+0x00  get_spec_version value
 *   RESULTS+0x08  get_impl_id value
 *   RESULTS+0x10  probe(BASE)   value (1)
 *   RESULTS+0x18  probe(DBCN)   value (1)
 *   RESULTS+0x20  probe(SRST)   value (1)
 *   RESULTS+0x28  probe(TIME)   value (0: not implemented)
 *   RESULTS+0x30  unknown EID   error (-2)
 *   RESULTS+0x38  DBCN write    value (bytes written)
 */
#include "guest.h"

	.section .rodata
msg:	.ascii	"sbi: debug console "

	.text
	.globl main
main:
	li	s1, RESULTS
	SBI_CALL SBI_EXT_BASE, 0
	sd	a1, 0x00(s1)
	SBI_CALL SBI_EXT_BASE, 1
	sd	a1, 0x08(s1)
	li	a0, SBI_EXT_BASE
	SBI_CALL SBI_EXT_BASE, 3
	sd	a1, 0x10(s1)
	li	a0, SBI_EXT_DBCN
	SBI_CALL SBI_EXT_BASE, 3
	sd	a1, 0x18(s1)
	li	a0, SBI_EXT_SRST
	SBI_CALL SBI_EXT_BASE, 3
	sd	a1, 0x20(s1)
	li	a0, SBI_EXT_TIME
	SBI_CALL SBI_EXT_BASE, 3
	sd	a1, 0x28(s1)
	SBI_CALL 0x0a000000, 0
	sd	a0, 0x30(s1)
	la	a1, msg
	li	a0, 19			/* strlen("sbi: debug console ") */
	li	a2, 0
	SBI_CALL SBI_EXT_DBCN, 0
	sd	a1, 0x38(s1)
	li	a0, 'o'
	SBI_CALL SBI_EXT_LEGACY_PUTCHAR, 0
	li	a0, 'k'
	SBI_CALL SBI_EXT_LEGACY_PUTCHAR, 0
	li	a0, '\n'
	SBI_CALL SBI_EXT_LEGACY_PUTCHAR, 0
	li	a0, 0			/* shutdown */
	li	a1, 0			/* no reason */
	SBI_CALL SBI_EXT_SRST, 0
	li	a0, 98			/* not reached */
	ret
