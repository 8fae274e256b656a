/* Shared definitions for riscv64 guest programs (assembly). */
#define SYS_WRITEC 0x03
#define SYS_WRITE0 0x04
#define SYS_EXIT 0x18
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

#define SBI_EXT_BASE 0x10
#define SBI_EXT_LEGACY_PUTCHAR 0x01
#define SBI_EXT_TIME 0x54494d45
#define SBI_EXT_DBCN 0x4442434e
#define SBI_EXT_SRST 0x53525354
#define SBI_EXT_HYPSIM 0x09000000

#define RESULTS 0x80010000

/* The RISC-V semihosting trap: must be uncompressed and in one page. */
.macro SEMIHOST
	.balign 16		/* padding may use compressed nops: align first */
	.option push
	.option norvc
	slli	x0, x0, 0x1f
	ebreak
	srai	x0, x0, 7
	.option pop
.endm

.macro SBI_CALL eid, fid
	li	a7, \eid
	li	a6, \fid
	ecall
.endm
