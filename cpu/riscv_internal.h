/* SPDX-License-Identifier: MIT */
/* Private to the riscv adapter: riscv64.c (exits, boot) and riscv_mmu.c (guest virtual memory). */
#ifndef HYPSIM_RISCV_INTERNAL_H
#define HYPSIM_RISCV_INTERNAL_H

#include "cpu_internal.h"

#define EXCP_ILLEGAL 2
#define EXCP_BREAKPOINT 3
#define EXCP_ECALL_U 8
#define EXCP_ECALL_S 9
#define EXCP_ECALL_M 11

#define SSTATUS_SIE (1ull << 1)
#define SSTATUS_SPIE (1ull << 5)
#define SSTATUS_SPP (1ull << 8)

/* Kernel-half code translations, cached by page (riscv_mmu.c). */
#define RISCV_CODE_TLB 256

struct riscv_code_tlb {
	uint64_t vpn; /* va >> 12, of an upper-half (kernel) address */
	const uint8_t *host; /* the page, NULL: empty */
};

struct riscv_state {
	uc_hook intr_hook, invalid_hook;
	size_t priv_offset;     /* byte offset of the privilege level in uc_context */
	uc_context *ctx;
	bool semihost_pending;
	uint64_t semihost_pc;
	/* A trap into S-mode taken between runs: from U-mode (it changes the
	 * privilege level, which only the saved context can do), or after an
	 * EBREAK (which ends Unicorn's run). */
	bool utrap_pending;
	bool utrap_to_m;     /* guest firmware: into mtvec */
	uint8_t utrap_from;  /* the level it came from: 0 U, 1 S, 3 M */
	uint64_t utrap_pc, utrap_time, utrap_cause, utrap_tval;
	/* Context byte offsets found at boot (0: not found): env->badaddr, satp. */
	size_t badaddr_offset, satp_offset;
	bool calibrating; /* boot: a trap is the calibration's, not the guest's */
	uint64_t deleg;   /* exception causes delivered to the guest's stvec (cpu_delegate_exceptions) */
	struct riscv_code_tlb tlb[RISCV_CODE_TLB];
	struct va_windows win; /* cpu_va_windows() */
	/* mip bits to set / clear before the next run (requested inside a hook).
	 * Only changes are applied: the guest may clear SSIP itself. */
	uint64_t mip_set, mip_clear;
	/* Guest M-mode firmware (cpu_riscv_enter_mmode()): the byte offset of
	 * env->mip in the saved context (M bits are set there: Unicorn's CSR
	 * write only reaches the delegable ones), and the CSRs emulated here. */
	bool mfw;
	size_t mip_offset;
	uint64_t mcountinhibit;
	/* Where the last memory hook of the current block found its instruction. */
	uint64_t acc_blk_now, acc_blk_pc, acc_next;
};

static inline struct riscv_state *rv(struct cpu *c)
{
	return cpu_arch_state(c);
}

/* riscv_mmu.c */
/* Host pointer to @len bytes of code or data at guest virtual @va (within one page), or NULL. */
const uint8_t *riscv_va_ptr(struct cpu *c, uint64_t va, uint64_t len);
/* The instruction at guest virtual @va: 16 bits for RVC (high half 0), else 32.  False when unreadable. */
bool riscv_fetch(struct cpu *c, uint64_t va, uint32_t *insn);
/* Length (2 or 4) of the instruction at @va. */
uint64_t riscv_insn_len(struct cpu *c, uint64_t va);
/* The saved context's satp and env->badaddr (uc_context_save first). */
uint64_t riscv_ctx_satp(struct cpu *c);
uint64_t riscv_ctx_badaddr(struct cpu *c);
/* Boot-time searches for the context offsets of badaddr (M-mode boot code) and satp (in S-mode). Return: 0 or -1. */
int riscv_calibrate_mmu(struct cpu *c);
int riscv_calibrate_satp(struct cpu *c);
/* Turn virtual-address windows on (ops->va_windows). Return: 0 or -1. */
int riscv_va_windows(struct cpu *c);
/* An access Unicorn refused at @addr: CPU_UNMAPPED_* (cpu_internal.h). */
int riscv_va_unmapped(struct cpu *c, uint64_t addr, bool fetch);

#endif
