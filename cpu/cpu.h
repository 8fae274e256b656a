/* SPDX-License-Identifier: MIT */
/*
 * cpu/: the only layer that talks to Unicorn and Capstone.
 *
 * A struct cpu is one vCPU: one Unicorn instance running guest code at arm64
 * EL1, riscv64 S-mode or s390x supervisor state.  The adapter turns Unicorn's callbacks into typed
 * exits (struct cpu_exit) handed to the owner's on_exit() callback *inside*
 * the hook, so hypercalls, semihosting, counter reads and SBI calls are served
 * without leaving uc_emu_start() where Unicorn allows it.  It hides the
 * Unicorn 2.0.1 quirks listed in docs/unicorn.md:
 *   - synchronous exceptions never reach guest vectors (INTR hook instead);
 *   - CNTVCT_EL0/CNTPCT_EL0 and rdtime/rdcycle would read host time;
 *   - riscv privilege is only reachable through the saved context;
 *   - uc_emu_start() does not say how many instructions ran.
 *
 * Time: c->now counts instruction cycles (one retired instruction = one
 * cycle).  A block hook adds each translated block's instruction count as
 * the block starts, so time costs one callback per block, not one per
 * instruction.  The time of an instruction inside a block is the block's
 * start time plus the instruction's index, derived from its PC.  A deadline
 * that falls inside a block is met exactly: the hook stops before the block,
 * and cpu_run() drops that block from Unicorn's cache, sets a Unicorn exit
 * at the deadline's instruction and runs the shortened block (a "split").
 * An instruction that starts at cycle t reports t as its time in every exit.
 *
 * A quantum's end is softer: the run ends before the first translated block
 * that starts at or after it (cpu_run_quantum()), so switching vCPUs never
 * splits a block.  The per-instruction clock sees the same boundaries
 * through a block hook of its own, so both clocks end every turn at the same
 * instruction.
 */
#ifndef HYPSIM_CPU_H
#define HYPSIM_CPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum cpu_arch { CPU_ARM64, CPU_RISCV64, CPU_RISCV32, CPU_S390X };

/* riscv64 and riscv32 share one adapter (XLEN is the only difference). */
static inline bool cpu_arch_is_riscv(enum cpu_arch arch)
{
	return arch == CPU_RISCV64 || arch == CPU_RISCV32;
}

/* Which firmware interface the guest's calls (HVC/SMC, ECALL) speak. */
enum cpu_firmware { CPU_FIRMWARE_SMCCC, CPU_FIRMWARE_SBI, CPU_FIRMWARE_NONE };

/*
 * What sim/ needs to know about an architecture, in one place: scenario
 * name, ELF identity, byte order and width, and the interrupt lines a
 * scenario may drive.  cpu_arch_info() never returns NULL for a valid enum.
 */
struct cpu_arch_info {
	enum cpu_arch arch;
	const char *name;             /* the scenario's `arch` word */
	uint16_t elf_machine;         /* e_machine: EM_AARCH64 183, EM_RISCV 243, EM_S390 22 */
	const char *elf_machine_name; /* for messages: "AArch64" */
	bool elf32;                   /* ELFCLASS32 images (riscv32) */
	bool big_endian;              /* guest memory byte order (s390x) */
	unsigned xlen;                /* register and semihosting field width, bytes */
	unsigned max_insn_len;        /* longest instruction, bytes (disassembly) */
	const char *syndrome_name;    /* a guest fault's syndrome in the trace: esr, scause, code */
	enum cpu_firmware firmware;
	/* Interrupt lines `inject irq` may drive: line < irq_limit and (irq_mask == 0 or bit set). */
	unsigned irq_limit;           /* 0: no injectable lines */
	uint64_t irq_mask;
	const char *irq_lines_text;   /* for messages: "interrupt ids 0..1019" */
	/* Call arguments: argument n is register arg_prefix<arg_first + n> (x0.., a0.., r2..). */
	const char *arg_prefix;
	unsigned arg_first;
};
const struct cpu_arch_info *cpu_arch_info(enum cpu_arch arch);
/** cpu_arch_from_name() - the architecture a scenario names. Return: 0, or -1 for an unknown name. */
int cpu_arch_from_name(const char *name, enum cpu_arch *arch);
/** cpu_arch_names() - every name, for messages: "arm64, riscv64, riscv32 or s390x". */
const char *cpu_arch_names(void);
/** cpu_arch_irq_ok() - may a scenario drive interrupt @line on this architecture? */
bool cpu_arch_irq_ok(enum cpu_arch arch, uint64_t line);

/*
 * How time is counted.  CPU_CLOCK_BLOCK (the default) takes one callback per
 * translated block; CPU_CLOCK_INSN one per instruction, about half as fast.
 * Both give the same time for every instruction: INSN is the reference the
 * tests compare BLOCK against.
 */
enum cpu_clock { CPU_CLOCK_BLOCK, CPU_CLOCK_INSN };

/* The boot page each vCPU maps privately; guest RAM must not overlap it. */
#define CPU_FW_BASE 0xfffff000ULL
#define CPU_FW_SIZE 0x1000ULL

enum cpu_exit_kind {
	CPU_EXIT_HCALL,    /* arm64 HVC/SMC (SMCCC), riscv ECALL from S (SBI) */
	CPU_EXIT_SEMIHOST, /* Arm HLT #0xF000 or the RISC-V semihosting sequence */
	CPU_EXIT_COUNTER,  /* a read of a virtualised counter register */
	CPU_EXIT_FAULT,    /* any other synchronous exception: the vCPU stops */
	CPU_EXIT_STAGE2,   /* arm64: a stage-2 abort (host stage-2 enabled) */
	CPU_EXIT_CSR,      /* riscv: a CSR instruction Unicorn does not implement */
	CPU_EXIT_WATCH,    /* a store into a range given to cpu_watch_writes() */
	CPU_EXIT_CODE,     /* an instruction in a range given to cpu_trace_code() */
	CPU_EXIT_ACCESS,   /* a load or store in a range given to cpu_watch_access() */
	CPU_EXIT_SIC,      /* s390x: SET INTERRUPTION CONTROLS, the firmware call */
	CPU_EXIT_MMIO,     /* a load or store to a region given to cpu_map_device() (watch.*) */
	CPU_EXIT_SYSREG,   /* arm64: an MRS/MSR of a register the owner may model (timer, GIC, IDs) */
	CPU_EXIT_EXCEPTION, /* a synchronous exception entered into the guest's own vector (arm64 VBAR_EL1, riscv stvec) */
	CPU_EXIT_LEVEL,    /* the privilege level changed (cpu_watch_level()): level.now */
	CPU_EXIT_ICACHE,   /* arm64: IC IALLUIS or IC IVAU, broadcast to the other vCPUs (icache.*) */
};

/* What the owner made of a CPU_EXIT_SYSREG. */
enum cpu_sysreg_result {
	CPU_SYSREG_NATIVE, /* not the owner's: the CPU executes it (and may find it UNDEFINED) */
	CPU_SYSREG_DONE,   /* performed: an MRS's Xt gets sysreg.value */
};

/* What the owner made of a CPU_EXIT_CSR. */
enum cpu_csr_result {
	CPU_CSR_UNKNOWN, /* not a CSR the owner models: an undefined-instruction fault */
	CPU_CSR_DONE,    /* performed: csr.value goes to rd */
	CPU_CSR_TRAP,    /* raise csr.cause (2 illegal, 22 virtual) into the guest's stvec */
};

enum cpu_hcall_conduit { CPU_CONDUIT_HVC, CPU_CONDUIT_SMC, CPU_CONDUIT_ECALL };

enum cpu_counter {
	CPU_CNT_VIRTUAL,  /* arm64 CNTVCT_EL0, riscv time */
	CPU_CNT_PHYSICAL, /* arm64 CNTPCT_EL0 */
	CPU_CNT_FREQ,     /* arm64 CNTFRQ_EL0 */
};

enum cpu_fault_kind {
	CPU_FAULT_UNDEF,       /* undefined / illegal instruction */
	CPU_FAULT_SYSCALL,     /* SVC (arm64), ECALL from U (riscv) */
	CPU_FAULT_BREAKPOINT,  /* BRK, stray EBREAK */
	CPU_FAULT_DATA_ABORT,  /* data abort, unmapped or protected access */
	CPU_FAULT_FETCH_ABORT, /* instruction fetch from unmapped memory */
	CPU_FAULT_OTHER,
};

struct cpu_exit {
	enum cpu_exit_kind kind;
	uint64_t pc;   /* address of the instruction that caused the exit */
	uint64_t time; /* cycle at which that instruction started */
	union {
		struct {
			enum cpu_hcall_conduit conduit;
			uint32_t imm;     /* HVC/SMC immediate (0 for ECALL) */
			uint64_t a[8];    /* arm64: x0-x7; riscv: a0-a7 */
			uint64_t ret[4];  /* set by the handler: x0-x3 / a0-a1 */
		} hcall;
		struct {
			uint64_t op, param; /* w0/a0 and x1/a1 */
			uint64_t ret;       /* set by the handler */
		} semihost;
		struct {
			bool all;    /* IC IALLUIS; else IC IVAU of the 64-byte line at physical pa */
			uint64_t pa;
			/* IC IALLUIS: the physical 64-byte lines this vCPU cleaned (DC CVAU, CVAC, CIVAC...) since its last one */
			const uint64_t *lines;
			unsigned nlines;
			bool overflow; /* more lines than it keeps: everything may have changed */
		} icache;
		struct {
			enum cpu_counter which;
			uint64_t value; /* set by the handler */
		} counter;
		struct {
			uint16_t csr;
			uint8_t op;      /* funct3 & 3: 1 csrrw, 2 csrrs, 3 csrrc */
			uint8_t priv;    /* 0 U, 1 S, 3 M (M only with guest M-mode firmware) */
			bool fw;         /* guest M-mode firmware: the counteren values below are the CPU's */
			uint32_t mcounteren, scounteren;
			bool write;      /* csrrw[i], or csrrs[i]/csrrc[i] with rs1/uimm field != 0 */
			uint64_t src;    /* rs1's value, or the 5-bit immediate */
			uint32_t insn;
			/* set by the handler */
			enum cpu_csr_result result;
			uint64_t value;  /* the CSR's old value, for rd */
			uint32_t cause;
		} csr;
		struct {
			uint64_t addr;  /* first byte stored */
			uint32_t size;  /* bytes */
			uint64_t value; /* the value stored (low size bytes); 0 for a load */
			bool write;     /* a store (CPU_EXIT_WATCH is always one) */
			/* CPU_EXIT_MMIO: the load's value, set by the handler */
		} watch;
		struct {
			uint64_t r1, r3; /* the R1 and R3 registers' values */
			uint64_t addr;   /* the second-operand (IIB) address, D2(B2) */
			/* set by the handler */
			int cc;          /* condition code 0..3 the instruction leaves */
			uint16_t pgm;    /* non-zero: a program interruption with this code instead */
		} sic;
		struct {
			uint64_t ipa;   /* faulting IPA, page granular (HPFAR_EL2) */
			bool fetch;     /* an instruction fetch, else a data access */
			uint32_t esr;   /* ESR_EL2 as the hardware writes it (EC, IL, ISV.., WnR, DFSC) */
			uint64_t far;   /* FAR_EL2: the faulting virtual address, byte exact */
		} stage2;
		struct {
			uint8_t op0, op1, crn, crm, op2; /* the encoding (Arm ARM C5.3) */
			uint8_t el;      /* exception level of the access: 0 or 1 */
			bool write;      /* MSR (else MRS) */
			uint64_t value;  /* MSR: the value written; MRS: the CPU's own value for
					  * ID registers, set by the handler when DONE */
			enum cpu_sysreg_result result; /* set by the handler */
		} sysreg;
		struct {
			bool mask;       /* the interrupt enables changed, else the level */
			int now;         /* arm64: the EL; riscv: 0 U, 1 S, 3 M */
			uint64_t enables; /* mask: arm64 PSTATE.DAIF (bit 3 D .. bit 0 F, 1 = masked);
					   * riscv sie, with sstatus.SIE as bit 15 */
		} level;
		struct {
			uint64_t esr;    /* ESR_EL1 as entered; riscv scause */
			uint64_t far;    /* FAR_EL1 (aborts), else 0; riscv stval */
			bool has_far;    /* riscv: stval is always written */
			uint64_t elr;    /* the preferred return address (riscv sepc) */
			uint8_t from_el; /* 0 or 1: arm64 EL0/EL1, riscv U/S (3 M: to_m only) */
			bool to_m;       /* riscv: entered M-mode's mtvec (guest firmware): esr is
					  * mcause, far mtval, elr mepc */
			uint64_t vector; /* the handler's address */
		} exception;
		struct {
			enum cpu_fault_kind kind;
			uint64_t syndrome; /* arm64: ESR-style EC/IL/ISS; riscv: scause */
			uint64_t addr;     /* faulting address (data/fetch), or stval */
			uint32_t insn;     /* instruction word when it could be read */
		} fault;
	};
};

/* What on_exit() asks the adapter to do next. */
enum cpu_action { CPU_RESUME, CPU_STOP };

struct cpu;
typedef enum cpu_action (*cpu_exit_fn)(void *ctx, struct cpu *c, struct cpu_exit *e);

/* Why cpu_run() returned. */
enum cpu_run_result {
	CPU_RUN_LIMIT,   /* c->now reached the limit */
	CPU_RUN_STOPPED, /* on_exit() returned CPU_STOP */
	CPU_RUN_WFI,     /* the guest executed WFI; PC is after it */
	CPU_RUN_FAULT,   /* a fault was reported through on_exit() */
	CPU_RUN_ERROR,   /* Unicorn failed in a way the adapter did not expect */
	CPU_RUN_BREAK,   /* a debugger's breakpoint, step or watchpoint (cpu_debug_enable()) */
};

struct cpu {
	enum cpu_arch arch;
	int index;
	/* Hot fields read by the per-instruction hook. */
	uint64_t now;     /* cycles: instructions retired + idle cycles skipped */
	uint64_t stop_at; /* stop before the instruction starting at this cycle */
	uint64_t run_limit; /* cpu_run()'s limit, lowered by cpu_lower_limit() */
	uint64_t soft_at; /* a quantum's end: stop before the first block starting at or after it */
	uint64_t blk_now; /* time at which the current block started */
	uint64_t blk_pc;  /* its first instruction */
	uint64_t blk_end; /* the address just past it */
	/* Owner's callback. */
	cpu_exit_fn on_exit;
	void *ctx;
	/* Adapter-private state. */
	void *uc;            /* uc_engine * */
	void *priv;          /* per-architecture state */
	bool running;        /* inside uc_emu_start() */
	bool in_device;      /* inside a device (MMIO) callback: Unicorn must not be stopped there (docs/unicorn.md) */
	bool stop_requested; /* a hook asked Unicorn to stop */
	bool block_stopped;  /* ... the block hook, before a block ran */
	bool at_block;       /* per-instruction clock: the next instruction starts a translated block */
	bool resume_mid;     /* ... a debugger stopped it inside a block: the block it resumes with is no boundary */
	bool want_imm;       /* arm64: read HVC/SMC immediates into hcall.imm (only the trace shows them), else 0 */
	int stop_reason;     /* enum cpu_run_result set by the hook */
	bool pc_deferred;    /* set PC to pc_after_stop once Unicorn returns */
	uint64_t pc_after_stop;
	uint64_t split_pc, split_size; /* the block a deadline falls inside */
	uint64_t irq_lines;  /* arm64: pending virtual IRQ; riscv: mip bits we drive */
	int dbg_why;         /* why the last CPU_RUN_BREAK (enum cpu_debug_why) */
	uint64_t dbg_addr;   /* ... the breakpoint's PC or the watched address */
	char err[160];       /* last adapter error, for messages */
};

/**
 * cpu_create() - open a Unicorn instance for one vCPU and install its hooks.
 * Return: 0, or -1 with a message in c->err (for riscv64, also when the
 * privilege-field calibration of docs/unicorn.md fails).
 */
int cpu_create(struct cpu *c, enum cpu_arch arch, int index, enum cpu_clock clock, cpu_exit_fn on_exit,
	       void *ctx);
void cpu_destroy(struct cpu *c);

/** cpu_map_ram() - alias host memory at guest physical @base. Return: 0 or -1. */
int cpu_map_ram(struct cpu *c, uint64_t base, uint64_t size, void *host);
/**
 * cpu_map_device() - a device region at guest physical @base: every load
 * and store there is a CPU_EXIT_MMIO (address, size, value; a load takes the
 * value the handler sets in watch.value).  At most CPU_MAX_DEVICES.
 * Return: 0, or -1 with a message in c->err.
 */
#define CPU_MAX_DEVICES 8
int cpu_map_device(struct cpu *c, uint64_t base, uint64_t size);

/**
 * cpu_boot() - run the boot trampoline that enters the guest: arm64 EL1h with
 * SCR_EL3 = NS|HCE|RW (so HVC reaches the simulator), riscv64 S-mode with
 * S interrupts delegated.  @arg0 lands in x0/a0.  The trampoline's instructions do
 * not count as guest time: c->now is 0 afterwards.  Return: 0 or -1.
 */
int cpu_boot(struct cpu *c, uint64_t entry, uint64_t arg0);

/*
 * Debugging (a GDB stub).  cpu_debug_enable() needs the per-instruction
 * clock: every instruction's hook checks the breakpoints, and one memory hook
 * over all addresses checks the watchpoints, so a vCPU without a debugger
 * pays nothing.  Neither modifies guest memory or virtual time: cpu_run()
 * returns CPU_RUN_BREAK before the instruction at a breakpoint, before the
 * next instruction after a step or after a watched access, with c->dbg_why
 * and c->dbg_addr saying which.  The first instruction after a stop is not
 * checked against the breakpoints (the debugger resumes from one).
 */
enum cpu_debug_why { CPU_DBG_BREAK = 1, CPU_DBG_STEP, CPU_DBG_WATCH_WRITE, CPU_DBG_WATCH_READ, CPU_DBG_WATCH_ACCESS,
		     CPU_DBG_TIME };
#define CPU_DBG_MAX_POINTS 32
int cpu_debug_enable(struct cpu *c);
/** cpu_debug_break() - insert or remove a breakpoint at virtual address @pc. Return: 0, or -1 (full, or absent). */
int cpu_debug_break(struct cpu *c, uint64_t pc, bool insert);
/** cpu_debug_watch() - insert or remove a watchpoint over [@addr, @addr + @len) of @kind (a CPU_DBG_WATCH_*). */
int cpu_debug_watch(struct cpu *c, uint64_t addr, uint64_t len, enum cpu_debug_why kind, bool insert);
/** cpu_debug_stop_at() - stop before the first instruction at or after cycle @cycle (UINT64_MAX: none). */
void cpu_debug_stop_at(struct cpu *c, uint64_t cycle);
/** cpu_debug_clear() - remove every breakpoint and watchpoint and any pending step. */
void cpu_debug_clear(struct cpu *c);
/** cpu_debug_step() - stop before the vCPU's next instruction after the one it runs next. */
void cpu_debug_step(struct cpu *c, bool on);
/** cpu_debug_read()/write() - guest memory at virtual address @va as the vCPU sees it now. Return: 0 or -1. */
int cpu_debug_read(struct cpu *c, uint64_t va, void *buf, size_t n);
int cpu_debug_write(struct cpu *c, uint64_t va, const void *buf, size_t n);

/**
 * cpu_watch_level() - report each change of the privilege level as a
 * CPU_EXIT_LEVEL, at the start of the first block (or instruction) that runs
 * at the new level: levels change only at exceptions and exception returns,
 * which end a translated block.  With the per-instruction clock, also each
 * change of the interrupt enables (the guest writes them inside blocks), at
 * the first instruction after the write.  For waveforms only: it costs a
 * register read per block, and two per instruction with the enables.
 */
void cpu_watch_level(struct cpu *c, bool on);

/** cpu_run() - run until c->now == @limit or an exit that ends the run. */
enum cpu_run_result cpu_run(struct cpu *c, uint64_t limit);
/**
 * cpu_run_quantum() - cpu_run(), and also end the run (CPU_RUN_LIMIT) before
 * the first translated block that starts at or after cycle @soft: a vCPU's
 * turn ends at a block boundary, where no block is split.  The same under
 * both clocks.
 */
enum cpu_run_result cpu_run_quantum(struct cpu *c, uint64_t limit, uint64_t soft);

/**
 * cpu_irq_set() - drive an interrupt line of the vCPU.  arm64: line
 * CPU_ARM64_FIQ raises HCR_EL2.VF (the virtual FIQ), any other line
 * HCR_EL2.VI (the virtual IRQ); riscv64: @line is
 * the mip bit (1 SSIP, 5 STIP, 9 SEIP).  Safe inside on_exit().
 * Return: 0, or -1 for a line the architecture cannot raise.
 */
int cpu_irq_set(struct cpu *c, unsigned line, bool level);
#define CPU_ARM64_IRQ 0u
#define CPU_ARM64_FIQ 1u

/*
 * cpu_lower_limit() - make the current (or next) cpu_run() return by cycle
 * @at at the latest: for a deadline scheduled from inside an exit handler.
 */
void cpu_lower_limit(struct cpu *c, uint64_t at);
/**
 * cpu_arm64_stage2() - program VTTBR_EL2/VTCR_EL2 and HCR_EL2.VM and flush
 * this vCPU's TLB, from inside on_exit() or between runs: the guest's next
 * access translates through the new tables.  Stage-2 aborts then arrive as CPU_EXIT_STAGE2; on CPU_RESUME the faulting
 * instruction is re-executed.  Return: 0 or -1.
 */
int cpu_arm64_stage2(struct cpu *c, uint64_t vttbr, uint64_t vtcr, bool enable);
/* The EL2 registers behind the host's stage-2 (read-only, for a debugger). */
enum cpu_arm64_el2_reg { CPU_EL2_HCR, CPU_EL2_VTTBR, CPU_EL2_VTCR };
uint64_t cpu_arm64_el2_reg(struct cpu *c, enum cpu_arm64_el2_reg r);
/* What the MMU does with one access (cpu_arm64_probe). */
enum cpu_probe_result { CPU_PROBE_OK, CPU_PROBE_STAGE2_FAULT, CPU_PROBE_OTHER_FAULT, CPU_PROBE_FAILED };

/**
 * cpu_arm64_probe() - ask Unicorn's MMU, not the model, whether the guest can
 * read (or write) IPA @ipa now: with Unicorn stopped, one `ldr x0, [x1]` (a
 * write probe stores the value already there) is placed at the guest's PC,
 * a page stage-2 must map executable, and run; a stage-2 abort is recorded,
 * not handled.  The code bytes, registers and time are restored afterwards.
 */
enum cpu_probe_result cpu_arm64_probe(struct cpu *c, uint64_t ipa, bool write);
/**
 * cpu_code_read() - @n bytes of code at the guest virtual address @va as the
 * vCPU would fetch them now (riscv64 with paging: through the guest's page
 * tables).  Return: 0, or -1 (not readable, or no translation here: read RAM).
 */
int cpu_code_read(struct cpu *c, uint64_t va, void *buf, size_t n);
/** cpu_tlb_flush() - drop Unicorn's cached translations after a descriptor change. */
void cpu_tlb_flush(struct cpu *c);
/**
 * cpu_code_sync() - synchronise the vCPU's instruction fetch with every
 * store so far (riscv FENCE.I on its behalf).  Each vCPU is its own Unicorn
 * instance, and Unicorn retranslates code only on its own instance's
 * stores: another vCPU's code stays stale until this drops its translated
 * blocks (at once between runs; inside a hook of this vCPU, when its run
 * stops, which it then does before the next block).
 */
void cpu_code_sync(struct cpu *c);
/*
 * cpu_code_sync() for the code in the @n physical 64-byte lines at @pa only
 * (the whole cache while the vCPU runs, or where the architecture cannot).
 * Physical, not virtual: Unicorn translates the address it is given as an
 * instruction fetch through the vCPU's own MMU, and a fault there
 * (unmapped, execute-never) is not survivable in Unicorn 2.0.1.
 */
void cpu_code_sync_lines(struct cpu *c, const uint64_t *pa, unsigned n);
/**
 * cpu_arm64_inject_sync() - take a synchronous exception at EL1 as the
 * hardware would (AArch64.TakeException): ESR_EL1, FAR_EL1, ELR_EL1 (the
 * faulting PC), SPSR_EL1, then EL1h with DAIF masked at VBAR_EL1 + 0x200
 * (0x000 from EL1t, 0x400 from EL0).  Safe inside on_exit() for a stage-2 exit.
 */
int cpu_arm64_inject_sync(struct cpu *c, uint64_t esr, uint64_t far);
/**
 * cpu_delegate_exceptions() - the synchronous exception causes (a mask of
 * 1 << cause, RISC-V numbering) the guest's own trap vector takes, as the
 * firmware's medeleg (plus the traps it redirects, as OpenSBI's
 * sbi_trap_redirect() does) would send them: riscv `stvec`, with scause,
 * sepc, stval and sstatus set as the privileged spec says, from S and from
 * U.  Causes outside the mask end the run as guest faults (M-mode's).
 * riscv only.  Return: 0, or -1 with c->err.
 */
int cpu_delegate_exceptions(struct cpu *c, uint64_t causes);
/**
 * cpu_riscv_enter_mmode() - make M-mode guest code (a firmware such as
 * OpenSBI): the hart is put at @pc in M-mode with the M CSRs as at reset
 * (mstatus, medeleg, mideleg, mie, mcounteren, scounteren 0, PMP off) and a0-a2
 * from @a.  From then on every synchronous exception goes where the
 * privileged spec sends it: S-mode's stvec when it came from S or U and
 * medeleg delegates it, else M-mode's mtvec (mepc, mcause, mtval,
 * mstatus.MPP/MPIE/MIE); ECALLs are exceptions like any other (no SBI exit);
 * `time` obeys mcounteren/scounteren.TM; mcountinhibit and mconfigptr
 * exist; and cpu_irq_set() takes the M lines too (3 MSIP, 7 MTIP, 11 MEIP).
 * riscv64 only.  Return: 0, or -1 with c->err.
 */
int cpu_riscv_enter_mmode(struct cpu *c, uint64_t pc, const uint64_t a[3]);
/**
 * cpu_va_windows() - for a guest that turns its MMU on (riscv64 and arm64):
 * while paging is on, a virtual address Unicorn's memory map does not cover
 * gets a region (a window aliasing reserved host address space that is never
 * accessed) so that Unicorn lets the guest's page tables decide.
 * Return: 0, or -1 with c->err.
 */
int cpu_va_windows(struct cpu *c);

/*
 * cpu_watch_writes() - report every guest store into [begin, end] (inclusive)
 * as a CPU_EXIT_WATCH, before the store lands; cpu_trace_code() - report
 * every instruction executed in [begin, end] as a CPU_EXIT_CODE.  Both cost
 * only where they are set (Unicorn checks the range); on_exit's answer is
 * ignored.  Return: 0, or -1 with a message in c->err.
 */
int cpu_watch_writes(struct cpu *c, uint64_t begin, uint64_t end);
int cpu_trace_code(struct cpu *c, uint64_t begin, uint64_t end);
/*
 * cpu_watch_access() - report every guest load and store into [begin, end]
 * (guest virtual addresses, as the vCPU issues them) as a CPU_EXIT_ACCESS in
 * e.watch.  Unicorn 2.0.1 sends every access through its slow path once any
 * memory hook exists, so this costs on all accesses, not only in the range.
 */
int cpu_watch_access(struct cpu *c, uint64_t begin, uint64_t end);

/** cpu_irq_pending() - an interrupt is pending (so WFI would wake). */
bool cpu_irq_pending(struct cpu *c);

uint64_t cpu_pc(struct cpu *c);
int cpu_set_pc(struct cpu *c, uint64_t pc);

/* Registers Unicorn 2.0.1 names no id for, reached as system registers (arm64). */
#define CPU_REG_SYS_BASE 0x10000
#define CPU_ARM64_REG_TPIDR_EL2 (CPU_REG_SYS_BASE + 0) /* the hypervisor's per-CPU base */

/** cpu_arg_reg() - the register that carries argument @n of a call (arm64 xN, riscv aN, s390x rN+2). */
int cpu_arg_reg(enum cpu_arch arch, unsigned n);
/** cpu_reg_lookup() - register number for a name ("x3", "a0", "sp", "pc", ...). */
int cpu_reg_lookup(enum cpu_arch arch, const char *name);
/** cpu_reg_at() - the @i-th named register (aliases skipped), its number in *@reg; NULL past the end. */
const char *cpu_reg_at(enum cpu_arch arch, int i, int *reg);
int cpu_reg_read(struct cpu *c, int reg, uint64_t *val);
int cpu_reg_write(struct cpu *c, int reg, uint64_t val);

/* The registers' names (for messages and dumps). */
const char *cpu_arch_name(enum cpu_arch arch);

/*
 * The benchmark's baseline (cpu/bare.c): guest memory on a bare Unicorn
 * engine with none of hypsim's hooks.  @hvc_nop (arm64): an HVC returns
 * x0 = 0 through a plain interrupt hook.  cpu_bare_run() runs @count
 * instructions from @entry (or until the image traps).  Errors: NULL / -1
 * with a message in @err.
 */
struct cpu_bare;
struct cpu_bare *cpu_bare_open(enum cpu_arch arch, uint64_t base, uint64_t size, void *host, bool hvc_nop,
			       char *err, size_t n);
int cpu_bare_run(struct cpu_bare *b, uint64_t entry, uint64_t count, char *err, size_t n);
void cpu_bare_close(struct cpu_bare *b);

/**
 * cpu_disasm() - disassemble one instruction into @out: Capstone for arm64;
 * for riscv64 (absent from Capstone 4) the small decoder in disasm_riscv.c.
 * Return: the instruction length, or 0 when it could not be decoded (@out
 * then holds ".word 0x...").
 */
struct cpu_disasm;
struct cpu_disasm *cpu_disasm_open(enum cpu_arch arch);
void cpu_disasm_close(struct cpu_disasm *d);
size_t cpu_disasm(struct cpu_disasm *d, const uint8_t *code, size_t len, uint64_t pc,
		  char *out, size_t outlen);

#endif
