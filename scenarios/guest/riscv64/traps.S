/*
 * Synchronous exceptions into the guest's own stvec (booted with `linux`,
 * which delegates them as OpenSBI does; docs/linux.md).  A Linux-format
 * Image: S-mode, a0 = hartid, a1 = the device tree.  It turns on Sv39 with
 * its own tables, then takes, in order:
 *   0 a load page fault (unmapped VA)       cause 13, stval = the VA
 *   1 a store page fault (read-only page)   cause 15, stval = the VA
 *   2 an illegal instruction (custom-0)     cause 2,  stval = the instruction
 *   3 a breakpoint (ebreak)                 cause 3,  stval = its PC
 *   4 a misaligned lr.w                     cause 4,  stval = the address
 *   5 a fetch page fault (jump to a hole)   cause 12, stval = sepc = the target
 *   6 from U-mode: a load page fault        cause 13, SPP = 0
 *   7 from U-mode: ecall                    cause 8,  stval = 0
 * Record i at MAILBOX + 32*i: scause, sepc, stval, sstatus & (SPP|SPIE|SIE).
 * MAILBOX + 0x100: traps taken.  SIE is set before each trap: SPIE must be
 * 1 and SIE 0 in the handler (privileged spec, "Supervisor Status Register").
 * Ends with SBI SRST shutdown (exit code 0).
 */
#define MAILBOX 0x80100000
#define ROOT 0x80110000		/* Sv39 root, then L1 and L0 tables */
#define L1 0x80111000
#define L0 0x80112000
#define RO_PAGE 0x80120000	/* VA 0x40000000: read-only */
#define UCODE 0x80121000	/* VA 0x40001000: user code (U|R|X) */
#define PTE_V 0x01
#define PTE_R 0x02
#define PTE_W 0x04
#define PTE_X 0x08
#define PTE_U 0x10
#define PTE_A 0x40
#define PTE_D 0x80
#define SSTATUS_SIE 0x2
#define SSTATUS_SPP 0x100

	.option norvc
	.section .text.start, "ax"
	.globl _start
_start:				/* the Image header: 64 bytes */
	j	entry		/* code0 */
	.word	0		/* code1 */
	.dword	0x200000	/* text_offset */
	.dword	_end - _start	/* image_size */
	.dword	0		/* flags */
	.word	2		/* version 0.2 */
	.word	0
	.dword	0
	.ascii	"RISCV\0\0\0"
	.ascii	"RSC\x05"
	.word	0

	.text
entry:
	la	t0, trap
	csrw	stvec, t0
	li	s0, MAILBOX
	sd	zero, 0x100(s0)
	/* ROOT[2]: VA 0x80000000..0xbfffffff identity, RWX; ROOT[1] -> L1 -> L0 */
	li	t0, ROOT
	li	t1, (0x80000000 >> 12 << 10) | PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D
	sd	t1, 16(t0)
	li	t1, (L1 >> 12 << 10) | PTE_V
	sd	t1, 8(t0)
	li	t0, L1
	li	t1, (L0 >> 12 << 10) | PTE_V
	sd	t1, 0(t0)
	li	t0, L0
	li	t1, (RO_PAGE >> 12 << 10) | PTE_V | PTE_R | PTE_A
	sd	t1, 0(t0)		/* VA 0x40000000: read-only */
	li	t1, (UCODE >> 12 << 10) | PTE_V | PTE_R | PTE_X | PTE_U | PTE_A
	sd	t1, 8(t0)		/* VA 0x40001000: user code */
	li	t0, (8 << 60) | (ROOT >> 12)
	csrw	satp, t0
	sfence.vma
	/* copy the user code to its page */
	la	t0, user
	la	t1, user_end
	li	t2, UCODE
1:	lw	t3, 0(t0)
	sw	t3, 0(t2)
	addi	t0, t0, 4
	addi	t2, t2, 4
	bltu	t0, t1, 1b
	fence.i

	csrsi	sstatus, SSTATUS_SIE	/* masked anyway: sie = 0 */
	li	t0, 0x40002008
	ld	t1, 0(t0)		/* 0: load page fault */
	csrsi	sstatus, SSTATUS_SIE
	li	t0, 0x40000010
	sd	t1, 0(t0)		/* 1: store page fault */
	csrsi	sstatus, SSTATUS_SIE
	.word	0x0000000b		/* 2: custom-0: illegal */
	csrsi	sstatus, SSTATUS_SIE
	ebreak				/* 3 */
	csrsi	sstatus, SSTATUS_SIE
	li	t0, MAILBOX + 2
	lr.w	t1, (t0)		/* 4: misaligned */
	csrsi	sstatus, SSTATUS_SIE
	la	s1, back
	li	t0, 0x40005000
	jr	t0			/* 5: fetch page fault; the handler resumes at s1 */
back:
	/* to U-mode at VA 0x40001000 */
	li	t0, SSTATUS_SPP
	csrc	sstatus, t0
	csrsi	sstatus, SSTATUS_SIE
	li	t0, 0x40001000
	csrw	sepc, t0
	la	s1, from_user
	sret
from_user:
	li	a7, 0x53525354		/* SRST shutdown */
	li	a6, 0
	li	a0, 0
	li	a1, 0
	ecall
1:	j	1b

/* Record the trap; return past it, or to s1 (fetch fault, U ecall). */
	.balign 4
trap:
	ld	t4, 0x100(s0)
	slli	t5, t4, 5
	add	t5, t5, s0
	csrr	t6, scause
	sd	t6, 0(t5)
	csrr	t6, sepc
	sd	t6, 8(t5)
	csrr	t6, stval
	sd	t6, 16(t5)
	csrr	t6, sstatus
	andi	t6, t6, 0x122
	sd	t6, 24(t5)
	addi	t4, t4, 1
	sd	t4, 0x100(s0)
	csrr	t6, scause
	li	a5, 12
	beq	t6, a5, 2f
	li	a5, 8
	beq	t6, a5, 3f
	csrr	t6, sepc
	addi	t6, t6, 4
	csrw	sepc, t6
	sret
2:	csrw	sepc, s1
	sret
3:	li	t6, SSTATUS_SPP		/* back to S at from_user */
	csrs	sstatus, t6
	csrw	sepc, s1
	sret

/* User code, copied to VA 0x40001000: a load from a hole, then ecall. */
	.balign 4
user:
	lui	t0, 0x40002
	ld	t1, 16(t0)		/* 6: load page fault from U */
	ecall				/* 7 */
user_end:
