/*
 * M-mode trap entry, as guest firmware sees it (`linux IMAGE firmware
 * riscv64/mtraps.img`: hypsim hands the hart over in M-mode with a0 =
 * hartid, a1 = the device tree, a2 = OpenSBI's fw_dynamic_info).  It copies
 * a0, a1 and the info's magic, version, next_addr and next_mode to
 * MAILBOX + 0x200.., then takes, in order (privileged spec, "Machine Trap
 * Vector", "Machine Cause", "Machine Trap Value", "Machine Status"):
 *   0 ECALL from M, with MIE set        mcause 11, MPP 3, MPIE 1, MIE 0
 *   1 an illegal instruction (custom-0) mcause 2, mtval = the instruction
 *   2 EBREAK                            mcause 3, mtval = its PC
 *   3 a write to mconfigptr (read-only) mcause 2, mtval = the instruction
 *   4 ECALL from U (MRET to U)          mcause 8, MPP 0
 *   5 ECALL from S (MRET to S)          mcause 9, MPP 1
 *   6 the CLINT's MTIP, vectored mtvec  mcause 2^63 + 7, at mtvec + 4*7
 *   7 the CLINT's MSIP, vectored mtvec  mcause 2^63 + 3, at mtvec + 4*3
 *   8 a misaligned LR.W                 mcause 4, mtval = the address
 *   9 a load from where nothing is      mcause 5, mtval = the address
 *  10 a store there                     mcause 7, mtval = the address
 * Record i at MAILBOX + 0x600 + 32*i: mcause, mepc, mtval, mstatus & (MPP|MPIE|MIE);
 * MAILBOX + 0x100: M traps taken.  In S-mode, with medeleg delegating
 * illegal instructions, S's own handler records at MAILBOX + 0x300 + 32*i
 * (scause, sepc, stval, sstatus & (SPP|SPIE|SIE); count at + 0x2f8):
 *   0 an illegal instruction            scause 2, stval = the instruction
 *   1 rdtime with mcounteren.TM = 0     scause 2, stval = the instruction
 * then rdtime with TM = 1 goes through.  CSR values at MAILBOX + 0x230..
 * (mcountinhibit after writing all ones, mconfigptr, menvcfg after writing
 * STCE).  The vectored entries 3 and 7 store their number at MAILBOX + 0x118
 * and 0x110.  Prints "mtraps: done" on the NS16550 and powers off through
 * the SiFive test device (exit code 0).
 */
#define MAILBOX 0x80100000
#define CLINT 0x02000000
#define UART 0x10000000
#define TEST 0x00100000
#define MSTATUS_MPP 0x1800
#define DONE 99		/* a7 at an ECALL from U/S: go on in M at s10 */
#define GRANT_TM 98	/* a7 at an ECALL from S: set mcounteren.TM */

	.option norvc
	.section .text.start, "ax"
	.globl _start
_start:
	li	s0, MAILBOX
	sd	a0, 0x200(s0)
	sd	a1, 0x208(s0)
	ld	t1, 0(a2)
	sd	t1, 0x210(s0)
	ld	t1, 8(a2)
	sd	t1, 0x218(s0)
	ld	t1, 16(a2)
	sd	t1, 0x220(s0)
	ld	t1, 24(a2)
	sd	t1, 0x228(s0)
	sd	zero, 0x100(s0)
	sd	zero, 0x2f8(s0)
	li	a7, 0
	la	t0, mtrap
	csrw	mtvec, t0
	li	t0, -1			/* PMP: all of memory to S and U */
	csrw	pmpaddr0, t0
	li	t0, 0x0f		/* TOR | R | W | X */
	csrw	pmpcfg0, t0

	csrsi	mstatus, 8		/* 0: ECALL from M with MIE set */
	ecall
	.word	0x0000000b		/* 1: custom-0, illegal */
	ebreak				/* 2 */
	csrw	0xf15, zero		/* 3: mconfigptr is read-only */

	li	t0, -1
	csrw	0x320, t0		/* mcountinhibit */
	csrr	t1, 0x320
	sd	t1, 0x230(s0)
	csrr	t1, 0xf15		/* mconfigptr */
	sd	t1, 0x238(s0)
	li	t0, 1
	slli	t0, t0, 63
	csrw	0x30a, t0		/* menvcfg.STCE */
	csrr	t1, 0x30a
	sd	t1, 0x240(s0)

	la	s10, after_u		/* 4: to U-mode, ECALL */
	li	t0, MSTATUS_MPP
	csrc	mstatus, t0
	la	t0, u_code
	csrw	mepc, t0
	mret
after_u:
	la	t0, strap		/* 5: to S-mode */
	csrw	stvec, t0
	li	t0, 1 << 2		/* illegal instructions go to S */
	csrw	medeleg, t0
	csrw	mcounteren, zero
	la	s10, after_s
	li	t0, MSTATUS_MPP
	csrc	mstatus, t0
	li	t0, 0x800		/* MPP = S */
	csrs	mstatus, t0
	la	t0, s_code
	csrw	mepc, t0
	mret
after_s:
	la	t0, vec			/* 6, 7: vectored interrupts */
	ori	t0, t0, 1
	csrw	mtvec, t0
	li	t2, CLINT + 0xbff8
	ld	t1, 0(t2)		/* mtime */
	addi	t1, t1, 50
	li	t2, CLINT + 0x4000
	sd	t1, 0(t2)		/* mtimecmp[0] = mtime + 50 */
	li	t0, 0x80
	csrs	mie, t0			/* MTIE */
	csrsi	mstatus, 8
1:	wfi
after_wfi:
	ld	t1, 0x110(s0)
	beqz	t1, 1b
	li	t0, 0x8
	csrs	mie, t0			/* MSIE */
	li	t0, CLINT
	li	t1, 1
	sw	t1, 0(t0)		/* msip[0] = 1 */
2:	ld	t1, 0x118(s0)
	beqz	t1, 2b
	csrci	mstatus, 8
	li	t0, MAILBOX + 0x401	/* 8: a misaligned LR in M */
	lr.w	x0, (t0)
	li	s1, 0x40000000		/* 9, 10: no RAM, no device there */
	ld	t1, 8(s1)
	sd	t1, 16(s1)

	la	a0, done_msg
	li	t0, UART
3:	lbu	t1, 0(a0)
	beqz	t1, 4f
	sb	t1, 0(t0)
	addi	a0, a0, 1
	j	3b
4:	li	t0, TEST
	li	t1, 0x5555		/* FINISHER_PASS */
	sw	t1, 0(t0)
5:	j	5b

u_code:
	ecall				/* 4: mcause 8 */
	li	a7, DONE
	ecall

s_code:
	ecall				/* 5: mcause 9 */
	.word	0x0000000b		/* S handler: scause 2 */
	rdtime	t1			/* TM = 0: S handler, scause 2 */
	li	a7, GRANT_TM
	ecall
	rdtime	t1			/* TM = 1: reads */
	sd	t1, 0x248(s0)
	li	a7, DONE
	ecall

/* M's handler (direct mode; vectored entry 0 comes here too). */
	.align	2
mtrap:
	csrr	t0, mcause
	bltz	t0, record
	li	t1, DONE
	beq	a7, t1, go_on
	li	t1, GRANT_TM
	beq	a7, t1, grant
record:
	ld	t3, 0x100(s0)
	slli	t4, t3, 5
	add	t4, t4, s0
	csrr	t5, mcause
	sd	t5, 0x600(t4)
	csrr	t5, mepc
	sd	t5, 0x608(t4)
	csrr	t5, mtval
	sd	t5, 0x610(t4)
	csrr	t5, mstatus
	li	t6, 0x1888
	and	t5, t5, t6
	sd	t5, 0x618(t4)
	addi	t3, t3, 1
	sd	t3, 0x100(s0)
	bltz	t0, 1f			/* an interrupt: return to the interrupted instruction */
	csrr	t5, mepc
	addi	t5, t5, 4
	csrw	mepc, t5
1:	mret
grant:
	li	a7, 0
	csrsi	mcounteren, 2
	csrr	t5, mepc
	addi	t5, t5, 4
	csrw	mepc, t5
	mret
go_on:
	li	a7, 0
	csrw	mepc, s10
	li	t5, MSTATUS_MPP
	csrs	mstatus, t5		/* back to M */
	mret

/* S's handler. */
	.align	2
strap:
	ld	t3, 0x2f8(s0)
	slli	t4, t3, 5
	add	t4, t4, s0
	csrr	t5, scause
	sd	t5, 0x300(t4)
	csrr	t5, sepc
	sd	t5, 0x308(t4)
	csrr	t5, stval
	sd	t5, 0x310(t4)
	csrr	t5, sstatus
	li	t6, 0x122
	and	t5, t5, t6
	sd	t5, 0x318(t4)
	addi	t3, t3, 1
	sd	t3, 0x2f8(s0)
	csrr	t5, sepc
	addi	t5, t5, 4
	csrw	sepc, t5
	sret

/* The vectored table: entry 0 (exceptions) and the M timer and software interrupts. */
	.align	6
vec:
	j	mtrap			/* 0 */
	j	mtrap
	j	mtrap
	j	irq3			/* 3: MSI */
	j	mtrap
	j	mtrap
	j	mtrap
	j	irq7			/* 7: MTI */
irq3:
	li	t1, CLINT
	sw	zero, 0(t1)		/* msip[0] = 0 */
	li	t1, 3
	sd	t1, 0x118(s0)
	j	mtrap
irq7:
	li	t1, CLINT + 0x4000
	li	t2, -1
	sd	t2, 0(t1)		/* mtimecmp[0] = all ones */
	li	t1, 7
	sd	t1, 0x110(s0)
	j	mtrap

	.section .rodata
done_msg:
	.asciz	"mtraps: done\n"
