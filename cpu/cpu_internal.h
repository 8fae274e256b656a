/* SPDX-License-Identifier: MIT */
/* Private interface between cpu.c and the per-architecture adapters. */
#ifndef HYPSIM_CPU_INTERNAL_H
#define HYPSIM_CPU_INTERNAL_H

#include <unicorn/unicorn.h>
#include "cpu.h"

enum { CPU_UNMAPPED_FAULT, CPU_UNMAPPED_RETRY, CPU_UNMAPPED_DEFER };

/* Internal stop reason: restart uc_emu_start() without returning to the owner. */
#define CPU_RUN_RESTART (-1)
/* after_run(): nothing pending, classify the return normally. */
#define CPU_RUN_NONE (-2)
/* The block hook stopped before a block that the deadline falls inside. */
#define CPU_RUN_SPLIT (-3)

struct cpu_arch_ops {
	uc_arch uc_arch;
	uc_mode uc_mode;
	int pc_reg;
	int (*init)(struct cpu *c);
	void (*destroy)(struct cpu *c);
	int (*boot)(struct cpu *c, uint64_t entry, uint64_t arg0);
	/* Called as cpu_run() starts: work deferred while no run was going. NULL: none.
	 * Return: CPU_RUN_NONE, or CPU_RUN_ERROR with c->err. */
	int (*prepare)(struct cpu *c);
	/* Called with Unicorn stopped, before each uc_emu_start(). */
	void (*before_run)(struct cpu *c);
	/* Called after each uc_emu_start() for work a hook deferred. */
	int (*after_run)(struct cpu *c);
	/* uc_emu_start() returned without an error or a hook's stop request. */
	int (*classify_return)(struct cpu *c);
	int (*irq_set)(struct cpu *c, unsigned line, bool level);
	/* Hold every interrupt input low for a split (@hold), or drive them from irq_lines again; NULL: none. */
	void (*irq_hold)(struct cpu *c, bool hold);
	/* Bytes taken by the first @n instructions at @pc (n = 0 gives 0). */
	uint64_t (*insn_bytes)(struct cpu *c, uint64_t pc, uint64_t n);
	/* Instructions in [@pc, @pc + @len): a block's count. */
	uint64_t (*insn_count)(struct cpu *c, uint64_t pc, uint64_t len);
	bool (*irq_pending)(struct cpu *c);
	/* The instruction making a load/store a memory hook sees; NULL: Unicorn's PC is exact. */
	uint64_t (*access_pc)(struct cpu *c, uint64_t addr, bool write);
	const struct cpu_reg_name *regs;
	/* Host pointer to @len code bytes at guest virtual @va (one page), or NULL; NULL op: none. */
	const uint8_t *(*code_ptr)(struct cpu *c, uint64_t va, uint64_t len);
	/* Drop the vCPU's cached translations (cpu_tlb_flush()); NULL: nothing cached. */
	void (*tlb_flush)(struct cpu *c);
	/*
	 * An access Unicorn refused as unmapped: CPU_UNMAPPED_RETRY if the
	 * adapter mapped it, CPU_UNMAPPED_DEFER if it will map it between runs
	 * (after_run() restarts), CPU_UNMAPPED_FAULT otherwise; NULL: always a fault.
	 */
	int (*unmapped)(struct cpu *c, uint64_t addr, bool fetch);
	/*
	 * A refused access (@e: the guest-fault about to be reported, PC and time
	 * at the instruction): true when the guest takes it as an exception of its
	 * own instead (riscv64 with guest firmware: an access fault); the run
	 * then restarts.  NULL: always a guest fault.
	 */
	bool (*mem_trap)(struct cpu *c, const struct cpu_exit *e, bool write);
	/* Turn on windows over refused virtual addresses (cpu_va_windows()); NULL: not offered. */
	int (*va_windows)(struct cpu *c);
	/*
	 * While cpu_watch_blocks() is on: a block (or, with the per-instruction
	 * clock, an instruction) at @addr is about to run; @first: it starts a
	 * translated block (always, for a block).  Return: true when the
	 * adapter redirected the CPU instead (an exception taken before it: the
	 * block is not counted) or stopped it there.  It may end the run inside
	 * the block with cpu_lower_limit(); the per-instruction clock must then
	 * end its run at the same instruction.
	 */
	bool (*block_start)(struct cpu *c, uint64_t addr, uint32_t size, bool first);
	/* Drop the translated blocks of @n physical 64-byte lines of a vCPU not running (cpu_code_sync_lines()). */
	void (*drop_lines)(struct cpu *c, const uint64_t *pa, unsigned n);
	/* The current privilege level and interrupt enables (cpu_watch_level()). */
	int (*current_level)(struct cpu *c);
	uint64_t (*enables)(struct cpu *c);
	/* A register numbered from CPU_REG_SYS_BASE; NULL: none. Return: 0 or -1. */
	int (*sysreg)(struct cpu *c, int reg, uint64_t *val, bool write);
};

struct cpu_reg_name {
	const char *name;
	int reg;
};

extern const struct cpu_arch_ops cpu_arm64_ops;
extern const struct cpu_arch_ops cpu_riscv64_ops;
extern const struct cpu_arch_ops cpu_riscv32_ops;
extern const struct cpu_arch_ops cpu_s390x_ops;

static inline uc_engine *cpu_uc(struct cpu *c)
{
	return (uc_engine *)c->uc;
}

/* Ask Unicorn to stop from inside a hook, recording why. */
void cpu_request_stop(struct cpu *c, int reason);
/*
 * Stop and continue at @pc later.  Unicorn 2.0.1 treats a PC write inside a
 * hook as a quit request that cancels any stop request of the same hook, so
 * a hook that stops must never write PC itself: cpu_run() applies @pc after
 * uc_emu_start() has returned.
 */
void cpu_request_stop_at(struct cpu *c, int reason, uint64_t pc);
/* Whether a memory hook sees guest stores (watched ranges, a debugger): an adapter must not skip one. */
bool cpu_stores_watched(struct cpu *c);
/* The address the current run's split ends at (Unicorn's exit), or 0 when no split is on. */
uint64_t cpu_split_exit(struct cpu *c);
/* Report an exit to the owner; on CPU_STOP, request a stop. */
enum cpu_action cpu_report(struct cpu *c, struct cpu_exit *e);
/*
 * Whether the guest ran since the vCPU's translated blocks were last dropped
 * (cpu_code_sync() skips a vCPU that did not: nothing of it can be stale).
 * A probe that removes its own block again restores the flag.
 */
bool cpu_code_ran(struct cpu *c);
void cpu_set_code_ran(struct cpu *c, bool ran);
/* Call ops->block_start() before every block (@on), or stop calling it. */
void cpu_watch_blocks(struct cpu *c, bool on);
/* Report a fault and request a CPU_RUN_FAULT stop. */
void cpu_report_fault(struct cpu *c, struct cpu_exit *e);
uint64_t cpu_reg_get(struct cpu *c, int reg);
void cpu_reg_put(struct cpu *c, int reg, uint64_t val);
/* riscv instructions in the @size code bytes at @p (RVC-aware). */
uint64_t cpu_rvc_walk(const uint8_t *p, uint64_t size);
/* s390x instructions in the @size code bytes at @p (2, 4 or 6 bytes each). */
uint64_t cpu_s390x_walk(const uint8_t *p, uint64_t size);
/* Host pointer to guest RAM [addr, addr+len), or NULL (boot page, unmapped). */
const uint8_t *cpu_host_ptr(struct cpu *c, uint64_t addr, uint64_t len);
/*
 * The time at which the instruction at @pc starts: the current block's start
 * time plus @pc's index in the block.  For an exit that stops the vCPU, set
 * c->now to this (not retired) or to this + 1 (retired).
 */
uint64_t cpu_insn_time(struct cpu *c, uint64_t pc);
/* va_window.c: regions over the virtual addresses a guest with paging on uses (see there). */
struct va_windows {
	bool on;      /* map refused virtual addresses on demand */
	bool pending; /* a refused fetch: map a window at addr between runs */
	uint64_t addr;
	uint64_t count; /* how many were mapped */
};
/* Turn windows on. Return: 0, or -1 with c->err. */
int va_windows_enable(struct cpu *c, struct va_windows *w);
/* Unicorn refused @addr with paging on: CPU_UNMAPPED_RETRY, _DEFER (a fetch) or _FAULT. */
int va_window_unmapped(struct cpu *c, struct va_windows *w, uint64_t addr, bool fetch);
/* After a run: map the window a refused fetch asked for. Return: true if one was mapped (restart). */
bool va_window_after_run(struct cpu *c, struct va_windows *w);
/* Read an instruction word at guest virtual @addr (physical when the guest has no MMU on); false when unmapped. */
bool cpu_fetch32(struct cpu *c, uint64_t addr, uint32_t *insn);
void *cpu_arch_state(struct cpu *c);
void cpu_set_arch_state(struct cpu *c, void *state);
/* Write code into the private boot page and run @n instructions of it. */
int cpu_run_boot_code(struct cpu *c, const uint32_t *code, size_t n, uint64_t count);
/* The same straight through, all @n instructions (traps a hook resumes included), without the clock (c->now is 0 after). */
int cpu_exec_boot_code(struct cpu *c, const uint32_t *code, size_t n);

#endif
