/*
 * arm64 kexec (docs/models/boot-percpu.md, issue 8 part 1), MMU off throughout.
 * The "kernel" (main) builds a kimage list for the case the scenario writes
 * at RESULTS + 0x100, then either jumps straight to the new image (head =
 * IND_DONE: in place, the relocation routine is skipped) or runs the
 * relocation routine, which walks the list, copies pages, cleans them to the
 * point of coherency, invalidates the I-cache and jumps to the entry.
 *
 *   case 0  in place: head = IND_DONE, entry = SRC
 *   case 1  relocation: DEST, then three SOURCE pages
 *   case 2  the same list continued through a second indirection page
 *   case 3  overlap downwards: DEST = SRC - 1 page, pages in ascending order
 *   case 4  overlap upwards: DEST = SRC + 1 page, last page first, each after
 *           its own DESTINATION (the order that keeps sources intact)
 *   case 5  empty list: the routine runs but the first entry is IND_DONE
 *   case 6  malformed: an entry with SOURCE and DESTINATION both set
 *
 * The new image (section .kexec_payload, 3 pages at SRC, position
 * independent) stores x0-x3 at RESULTS + 0x00..0x18, its own base at +0x20,
 * a checksum of its 3 pages at +0x28, and at +0x38 whether that equals the
 * checksum the kernel took of the source before kexec (+0x30); then exits 0.
 * The routine reports a malformed entry on the console, stores it at
 * RESULTS + 0x48 and exits 3.
 */
#include "guest.h"

#define SRC 0x40200000
#define DEST 0x40400000
#define LIST 0x40300000
#define LIST2 0x40301000
#define DTB 0x40f00000
#define NPAGES 3
#define IND_DESTINATION 1
#define IND_INDIRECTION 2
#define IND_DONE 4
#define IND_SOURCE 8

	.text
	.globl main
main:
	stp	x29, x30, [sp, #-16]!
	li32	x21, RESULTS
	li32	x0, SRC
	bl	checksum
	str	x0, [x21, #0x30]
	li32	x0, ADP_STOPPED_APPLICATION_EXIT /* the image's exit block */
	stp	x0, xzr, [x21, #0x40]
	li32	x19, LIST
	li32	x20, LIST2
	li32	x22, SRC
	li32	x23, DEST
	ldr	x0, [x21, #0x100]
	cmp	x0, #6
	b.hi	bad_case
	adr	x1, cases
	ldr	w2, [x1, x0, lsl #2]
	add	x1, x1, x2
	br	x1

	.balign	4
cases:	.word	in_place - cases, reloc - cases, indirect - cases, down - cases
	.word	up - cases, empty - cases, malformed - cases

/* x24 = list write pointer; put appends address|flag */
.macro put addr, flag
	mov	x9, #(\flag)
	orr	x9, x9, \addr
	str	x9, [x24], #8
.endm
.macro put_sources from
	mov	x10, \from
	put	x10, IND_SOURCE
	add	x10, x10, #0x1000
	put	x10, IND_SOURCE
	add	x10, x10, #0x1000
	put	x10, IND_SOURCE
.endm

in_place:
	mov	x0, #IND_DONE
	mov	x1, x22
	b	kexec
reloc:
	mov	x24, x19
	put	x23, IND_DESTINATION
	put_sources x22
	mov	x9, #IND_DONE
	str	x9, [x24]
	orr	x0, x19, #IND_INDIRECTION
	mov	x1, x23
	b	kexec
indirect:
	mov	x24, x19
	put	x23, IND_DESTINATION
	put	x22, IND_SOURCE
	put	x20, IND_INDIRECTION
	mov	x24, x20
	add	x10, x22, #0x1000
	put	x10, IND_SOURCE
	add	x10, x10, #0x1000
	put	x10, IND_SOURCE
	mov	x9, #IND_DONE
	str	x9, [x24]
	orr	x0, x19, #IND_INDIRECTION
	mov	x1, x23
	b	kexec
down:
	mov	x24, x19
	sub	x11, x22, #0x1000
	put	x11, IND_DESTINATION
	put_sources x22
	mov	x9, #IND_DONE
	str	x9, [x24]
	orr	x0, x19, #IND_INDIRECTION
	mov	x1, x11
	b	kexec
up:
	mov	x24, x19
	mov	x12, #2			/* pages 2, 1, 0 */
1:	add	x11, x22, x12, lsl #12
	add	x10, x11, #0x1000
	put	x10, IND_DESTINATION
	put	x11, IND_SOURCE
	subs	x12, x12, #1
	b.pl	1b
	mov	x9, #IND_DONE
	str	x9, [x24]
	orr	x0, x19, #IND_INDIRECTION
	add	x1, x22, #0x1000
	b	kexec
empty:
	mov	x9, #IND_DONE
	str	x9, [x19]
	orr	x0, x19, #IND_INDIRECTION
	mov	x1, x22
	b	kexec
malformed:
	mov	x24, x19
	put	x23, IND_DESTINATION
	put	x22, IND_SOURCE | IND_DESTINATION
	mov	x9, #IND_DONE
	str	x9, [x24]
	orr	x0, x19, #IND_INDIRECTION
	mov	x1, x23
	b	kexec
bad_case:
	mov	x0, #98
	b	semi_exit

/*
 * machine_kexec: x0 = head, x1 = entry.  In place (head = IND_DONE): clean
 * the image to the point of coherency and jump to it directly; otherwise run
 * the relocation routine from its control page.
 */
kexec:
	li32	x2, DTB
	tbz	x0, #2, 2f		/* IND_DONE? */
	mov	x9, x1			/* segment flush: NPAGES pages from the entry */
	add	x10, x1, #NPAGES << 12
1:	dc	cvac, x9
	add	x9, x9, #64
	cmp	x9, x10
	b.lo	1b
	dsb	sy
	mov	x0, x2
	mov	x2, xzr
	mov	x3, xzr
	mov	x9, x1
	mov	x1, xzr
	br	x9
2:	ldr	x9, =relocate_kernel
	br	x9

/* checksum(x0 = base) -> x0: h = h * 31 + word over NPAGES pages */
	.globl checksum
checksum:
	mov	x11, #0
	mov	x13, #(NPAGES * 4096 / 8)
	mov	x15, #31
1:	ldr	x14, [x0], #8
	madd	x11, x11, x15, x14
	subs	x13, x13, #1
	b.ne	1b
	mov	x0, x11
	ret

	.section .rodata
malformed_msg:
	.asciz	"kexec: malformed kimage entry (flags other than exactly one of DESTINATION, INDIRECTION, DONE, SOURCE, or a SOURCE before any DESTINATION)\n"

/*
 * The relocation routine, in its own control page (0x40100000).
 * x0 = head, x1 = entry, x2 = DTB.  Walk: entry = head; until IND_DONE:
 * DESTINATION sets dest, INDIRECTION sets ptr, SOURCE copies a page to dest
 * and cleans it (dc cvac per 64-byte line), dest += 4 KiB; entry = *ptr++.
 * Then dsb nsh; ic iallu; dsb nsh; isb; jump with x0 = DTB, x1-x3 = 0.
 */
	.section .kexec_reloc, "ax"
	.globl relocate_kernel
relocate_kernel:
	mov	x16, x0			/* entry */
	mov	x17, xzr		/* dest (0: none yet) */
	mov	x18, xzr		/* ptr */
	mov	x19, x1
	mov	x20, x2
next:	and	x3, x16, #0xfff		/* flags */
	and	x4, x16, #~0xfff	/* page address */
	cmp	x3, #IND_DONE
	b.eq	done
	cmp	x3, #IND_DESTINATION
	b.eq	set_dest
	cmp	x3, #IND_INDIRECTION
	b.eq	set_ptr
	cmp	x3, #IND_SOURCE
	b.ne	bad
	cbz	x17, bad
	mov	x5, #4096 / 16		/* copy one page */
	mov	x6, x17
1:	ldp	x7, x8, [x4], #16
	stp	x7, x8, [x6], #16
	subs	x5, x5, #1
	b.ne	1b
	mov	x6, x17			/* clean it to the point of coherency */
2:	dc	cvac, x6
	add	x6, x6, #64
	add	x7, x17, #4096
	cmp	x6, x7
	b.lo	2b
	add	x17, x17, #4096
	b	advance
set_dest:
	mov	x17, x4
	b	advance
set_ptr:
	mov	x18, x4
	b	fetch
advance:
	cbz	x18, bad		/* a list must start with INDIRECTION */
fetch:	ldr	x16, [x18], #8
	b	next
done:	dsb	nsh
	ic	iallu
	dsb	nsh
	isb
	mov	x0, x20
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	br	x19
bad:	li32	x21, RESULTS
	str	x16, [x21, #0x48]
	ldr	x0, =malformed_msg
	ldr	x9, =semi_puts
	blr	x9
	mov	x0, #3
	ldr	x9, =semi_exit
	br	x9
	.ltorg

/* The new image: 3 pages, position independent. */
	.section .kexec_payload, "ax"
image:
	adr	x9, image
	li32	x10, RESULTS
	stp	x0, x1, [x10, #0x00]
	stp	x2, x3, [x10, #0x10]
	str	x9, [x10, #0x20]
	mov	x0, x9
	ldr	x11, =checksum
	blr	x11
	li32	x10, RESULTS
	str	x0, [x10, #0x28]
	ldr	x1, [x10, #0x30]
	cmp	x0, x1
	cset	x1, eq
	str	x1, [x10, #0x38]
	add	x1, x10, #0x40		/* {ApplicationExit, 0} */
	mov	x0, #SYS_EXIT
	hlt	#0xf000
3:	b	3b
	.ltorg
	.balign	4096
	.rept	512
	.quad	0x1111222233334444
	.endr
	.rept	512
	.quad	0x5555666677778888
	.endr
