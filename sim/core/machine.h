/* SPDX-License-Identifier: MIT */
/*
 * The machine: guest RAM, vCPUs, the virtual clock, the event queue, the run
 * loop and the simulator's own firmware (hypercall dispatcher, SBI,
 * semihosting).
 *
 * Scheduling (documented in docs/architecture.md): a single vCPU runs until
 * the next event's deadline in one cpu_run() call.  With several vCPUs, the
 * running vCPU with the smallest local time runs (lowest index on ties) for at
 * most cfg.quantum cycles, and never past the next event; events fire once
 * every running vCPU has reached their time.  A vCPU in WFI with nothing
 * pending is idle; when every vCPU is idle, time jumps to the next event, and
 * with no event left the run ends as a deadlock.
 */
#ifndef HYPSIM_MACHINE_H
#define HYPSIM_MACHINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "clock.h"
#include "cpu.h"
#include "evq.h"
#include "power.h"
#include "trace.h"

#define MACHINE_MAX_MEM 8
#define MACHINE_MAX_VCPUS 64
#define MACHINE_DEFAULT_QUANTUM 10000
#define MACHINE_CONSOLE_MAX (1u << 20)
#define MACHINE_MAX_MODELS 16 /* entries of the model-binding table */
#define MACHINE_MAX_REGION (64ull << 30) /* bytes per RAM region */

struct mem_region {
	uint64_t base, size;
	uint8_t *host;
};

#define MACHINE_MAX_RANGES 8
/*
 * The last cycle virtual time reaches: 2^64 - 2 (2^64 - 1 is VCLOCK_NEVER).
 * A vCPU that gets there stops with a `time-end` event; nothing is scheduled
 * later; time never wraps.
 */
#define MACHINE_TIME_END (VCLOCK_NEVER - 1)
#define MACHINE_DEFAULT_HORIZON_NS (86400ull * 1000000000ull) /* a day of virtual time */

struct machine_config {
	enum cpu_arch arch;
	int nvcpus;
	uint64_t cpu_hz, timebase_hz;
	struct mem_region mem[MACHINE_MAX_MEM]; /* host == NULL in a config */
	int nmem;
	uint64_t max_insns; /* per vCPU; 0 = unlimited */
	uint64_t quantum;   /* cycles per turn with several vCPUs */
	uint64_t counter_start; /* counter value at cycle 0 (riscv time, arm64 CNTVCT) */
	/*
	 * How far an idle machine may jump to its next event in a run with no
	 * end of its own (`run until exit`): cycles, or ns with horizon_ns;
	 * 0: MACHINE_DEFAULT_HORIZON_NS; VCLOCK_NEVER: no horizon.  An event
	 * beyond it is "never" for the idle jump (a deadlock), not for the models.
	 */
	uint64_t horizon;
	bool horizon_ns;
	bool stce_off;      /* riscv64: firmware leaves menvcfg.STCE clear */
	bool sstc_absent;   /* riscv64: `sstc-extension off`, the harts lack Sstc (implies stce_off) */
	bool mmode_fw;      /* riscv64: guest M-mode firmware (`linux ... firmware FILE`) */
	bool secondaries_off; /* vCPUs 1.. start powered off (PSCI CPU_ON / SBI HSM) */
	bool psci_features_qemu; /* arm64: PSCI_FEATURES answers as QEMU 7.2 (no SMCCC_VERSION) */
	struct { uint64_t base, size; } watch[MACHINE_MAX_RANGES], code[MACHINE_MAX_RANGES];
	struct { uint64_t base, size; } dev[CPU_MAX_DEVICES]; /* device regions (MMIO) */
	const void *model_cfg[MACHINE_MAX_MODELS]; /* a model's own setup (binding.h), owned by the scenario */
	int ndev;
	int nwatch, ncode;  /* stores traced as mem-write; instructions traced as code */
	/* Each vCPU's declared per-CPU area (size 0: none); any access by another vCPU is reported. */
	struct { uint64_t base, size; } percpu[MACHINE_MAX_VCPUS];
	enum cpu_clock clock;
};

enum vcpu_state { VCPU_RUNNING, VCPU_IDLE, VCPU_EXITED, VCPU_FAULTED, VCPU_LIMIT, VCPU_OFF };

struct vcpu {
	struct cpu cpu;
	struct machine *m;
	enum vcpu_state state;
	uint64_t idle_cycles; /* cycles skipped while idle: now - idle = retired */
	uint64_t s2_last_pc, s2_last_ipa, s2_last_now; /* stage-2 fault repeats */
	unsigned s2_repeats;
};

struct console {
	char *buf;
	size_t len;
	bool truncated;
	FILE *echo; /* optional live copy */
};

enum run_outcome {
	RUN_GOAL,    /* the requested time was reached */
	RUN_EXITED,  /* the guest exited (semihosting or SBI reset) */
	RUN_STOPPED, /* every vCPU stopped: fault or instruction limit */
	RUN_DEADLOCK,
	RUN_ERROR,   /* simulator failure; message in m->err */
};

struct run_goal {
	uint64_t until_cycle; /* VCLOCK_NEVER: none */
	bool until_exit;
};

struct machine;
typedef void (*machine_progress_fn)(void *ctx, const struct machine *m);

/*
 * Kinds of events on the machine's queue.  EVK_IRQ_EVERY: arg[0] = line |
 * remaining << 16 (0: for ever), arg[1] = period.  EVK_MODEL + i: binding i's
 * (machine_model_event()).
 */
enum { EVK_IRQ = 1, EVK_IRQ_EVERY = 3, EVK_MODEL = 16 };


/*
 * Someone watching the run (sim/replay/record.c: recording and replay).  @event
 * sees every trace event line as built (without "insn"), whether or not a
 * trace file is open; @checkpoint runs at the first turn boundary at or
 * after each multiple of @every cycles (the run loop ends turns there), so
 * its points depend only on virtual time.  Either may set
 * machine.stop_requested to end the run at the next turn boundary.
 */
/*
 * Sees every SMCCC call (sim/fuzz/fuzz.c): @pre before it is served, @post after,
 * with x0..x5 as passed and x0..x3 as returned.  @post returning false stops
 * the machine (stop_requested).  @refill serves HYPSIM_SIP_FUZZ_REFILL: it
 * returns how many calls it queued for the guest (0: none, the guest exits).
 */
struct hcall_observer {
	void *ctx;
	/* Before the call is served; may rewrite x0..x5 (the fuzzer decides state-dependent calls here). */
	void (*pre)(void *ctx, struct machine *m, int vcpu, uint64_t a[6]);
	bool (*post)(void *ctx, struct machine *m, int vcpu, const uint64_t a[6], const uint64_t ret[4]);
	/* HYPSIM_SIP_FUZZ_REFILL from @vcpu: queue calls in its ring. Return: how many. */
	uint64_t (*refill)(void *ctx, struct machine *m, int vcpu);
};

struct machine_observer {
	void *ctx;
	void (*event)(void *ctx, struct machine *m, const char *line, size_t len);
	void (*checkpoint)(void *ctx, struct machine *m);
	uint64_t every; /* cycles; 0: no checkpoints */
};

struct machine {
	/* host-side work, for the termination property (fuzz_irqgen): run-loop turns and events fired */
	uint64_t turns, events_fired;
	/* the current quiet stretch: bumped whenever a vCPU runs or wakes, or an event other than a
	 * periodic raise fires; a periodic raise that wakes nobody in a fully idle machine is tagged
	 * with it (fire_irq_every(), idle_jump()) */
	uint64_t stretch;
	struct machine_config cfg;
	struct vclock clk;
	struct evq evq;
	struct vcpu *vcpus;
	uint64_t now; /* global virtual time, cycles */
	uint64_t horizon_cycles; /* cfg.horizon in cycles (VCLOCK_NEVER: none) */
	uint64_t deadlock_next;  /* a deadlock's next event beyond the horizon (0: none) */
	uint64_t entry;
	bool booted;
	struct power power; /* which vCPUs are powered on (PSCI, SBI HSM) */
	uint64_t counts[EV_MAX_KINDS];
	int last_vcpu;      /* the vCPU that ran the last turn, -1 before the first */
	struct percpu_cross {
		bool seen;
		int vcpu, owner;
		uint64_t time, pc, addr;
		uint32_t size;
		bool write;
	} first_cross;      /* the first cross-CPU access, for messages */
	FILE *trace;
	uint64_t trace_bytes, trace_limit; /* trace output is capped: 0 = default */
	bool trace_truncated;
	struct cpu_disasm *disasm; /* non-NULL: add "insn" to trace lines */
	struct cpu_disasm *code_disasm; /* for `code` events (trace code ranges) */
	struct console console;
	bool exited;
	int64_t exit_code;
	bool halted; /* a hyp panic stopped the machine */
	bool model_only; /* no vCPU runs: exits come from a log (hypsim replay --model) */
	void *models[MACHINE_MAX_MODELS]; /* each model binding's state (binding.h), NULL: not on this machine */
	uint32_t model_exits; /* the CPU exits some binding serves */
	struct mmio_region {
		uint64_t base, size;
		int owner; /* the binding that mapped it (machine_map_mmio()) */
	} mmio[CPU_MAX_DEVICES];
	int nmmio;
	struct hcall_observer *hobs; /* the fuzzer's oracles, or NULL */
	struct machine_observer *obs; /* NULL: none */
	struct machine_observer *capture; /* a second one: the scenario's `expect event` matchers, or NULL */
	uint64_t trace_kinds; /* bit per kind the trace file keeps; 0: every kind */
	uint64_t next_checkpoint;
	bool stop_requested; /* an observer ended the run */
	struct machine_debugger *dbg; /* NULL: none */
	struct machine_wave *wave;    /* NULL: none */
	bool dbg_started;    /* the debugger has had its stop before the first instruction */
	/* Digest of models the scenario drives outside the machine (scenario_run.c); NULL: none. */
	uint64_t (*extra_digest)(const void *ctx);
	const void *extra_ctx;
	machine_progress_fn progress;
	void *progress_ctx;
	uint64_t progress_every, next_progress;
	char err[256];
};

/** machine_check_percpu() - per-CPU areas of existing vCPUs, below 2^64, disjoint. Return: 0 or -1 with @err. */
int machine_check_percpu(const struct machine_config *cfg, char *err, size_t len);

/** machine_create() - allocate RAM and vCPUs. Return: 0, or -1 with m->err. */
int machine_create(struct machine *m, const struct machine_config *cfg);
void machine_destroy(struct machine *m);

/**
 * machine_load_elf() - load an ELF64 executable of the machine's architecture
 * into RAM and make its entry point the boot address.
 * Return: 0, or -1 with a message in m->err (missing, corrupt, wrong
 * architecture, or a segment outside RAM).
 */
int machine_load_elf(struct machine *m, const char *path);

/** machine_run() - run towards @goal; boots the vCPUs on first use. */
enum run_outcome machine_run(struct machine *m, const struct run_goal *goal);

/** machine_schedule_irq() - raise (@level) or lower an interrupt at @when. */
int machine_schedule_irq(struct machine *m, int vcpu, unsigned line, bool level, uint64_t when);
/**
 * machine_schedule_irq_every() - raise @line on @vcpu at @first and every
 * @period cycles after it, @times times in all (0: for ever).  Each raise is
 * an edge the guest acknowledges (arm64 ICC_IAR1_EL1, riscv clearing sip).
 */
#define MACHINE_IRQ_EVERY_MAX_TIMES ((1ull << 48) - 1) /* the count shares a word with the line */
int machine_schedule_irq_every(struct machine *m, int vcpu, unsigned line, uint64_t first, uint64_t period,
			       uint64_t times);


/* Guest physical memory access from the simulator.  Return: 0 or -1 (unmapped). */
int machine_mem_read(struct machine *m, uint64_t addr, void *buf, size_t len);
int machine_mem_write(struct machine *m, uint64_t addr, const void *buf, size_t len);
/* Host pointer for [addr, addr+len) when it lies in one region, else NULL. */
uint8_t *machine_mem_ptr(struct machine *m, uint64_t addr, size_t len);
/**
 * machine_ram_untouched() - for @n host pages of RAM region @region from its
 * page @first, set untouched[i] when page first + i has never been given
 * memory by the host kernel (not present and not swapped, per
 * /proc/self/pagemap): such a page of the region's private anonymous
 * mapping reads as zeros, so a digest need not read it.  Where the kernel
 * cannot say, untouched[i] is false (the page is read as usual), so the
 * answer only ever saves work; it never changes a digest.
 */
void machine_ram_untouched(const struct machine *m, int region, uint64_t first, uint64_t n, bool *untouched);

/** machine_retired() - instructions the vCPU has retired. */
uint64_t machine_retired(const struct vcpu *v);

#define MACHINE_DEFAULT_TRACE_LIMIT (256ull << 20)

/* Write a finished trace line, within the trace size limit. */
void machine_emit(struct machine *m, struct tline *l);
/* Emit a trace line (adds the instruction when disassembly is on). */
void machine_trace(struct machine *m, struct tline *l, uint64_t pc);
/* Count an event; true when a trace line should be built. */
bool machine_count(struct machine *m, int kind);
/* Append guest console output. */
void machine_console_put(struct machine *m, const char *s, size_t len);
/*
 * How a firmware call starts a CPU: the entry point, the argument registers
 * it sets (1 or 2, from the first), and the argument the `cpu-on` trace line
 * shows (PSCI's context_id, SBI's opaque).
 */
struct cpu_start {
	uint64_t entry;
	uint64_t args[2];
	unsigned nargs;
	const char *traced; /* the trace field's name */
	uint64_t traced_value;
};
/* Start vCPU @target as @s says, one cycle after the call @e. Return: 0 or -1. */
int machine_cpu_start(struct machine *m, struct vcpu *caller, const struct cpu_exit *e, int target,
		      const struct cpu_start *s);
void machine_cpu_stop(struct machine *m, struct vcpu *v, const struct cpu_exit *e);
/* The `counter` trace event of a counter read (riscv time, arm64 CNTPCT/CNTVCT/CNTFRQ). */
void machine_trace_counter(struct machine *m, struct vcpu *v, uint64_t time, uint64_t pc, enum cpu_counter which,
			   uint64_t value);
/* The `mmio` trace event of a device access (@value: what was stored, or what the load returned). */
void machine_trace_mmio(struct machine *m, struct vcpu *v, const struct cpu_exit *e, uint64_t value);

/*
 * A debugger attached to the run (tools/gdbstub.c).  @stopped runs with the
 * whole machine stopped: before the first instruction (vCPU 0, why 0), and
 * whenever a vCPU reaches a breakpoint, a step or a watched access
 * (cpu.dbg_why, cpu.dbg_addr); it returns when the debugger resumes.  The
 * interrupted turn then goes on to its own end, so the schedule, and with it
 * the trace, is the one a run without the debugger has.
 */
/*
 * Waveform signals (hypsim run --vcd, tools/vcd.c), per vCPU, reported at
 * each change with the cycle it takes effect at.  The strobes (HCALL and
 * after) are events: the writer shows each as a one-cycle pulse.  The AEN
 * signals belong to the machine, not to a vCPU.
 */
enum machine_wave_sig {
	WAVE_STATE,     /* enum vcpu_state */
	WAVE_IRQ,       /* the interrupt inputs hypsim drives: arm64 bit 0 IRQ, bit 1 FIQ; riscv the mip bits */
	WAVE_TIMER0,    /* riscv STIP from Sstc; arm64 the EL1 physical timer's line */
	WAVE_TIMER1,    /* arm64 the EL1 virtual timer's line */
	WAVE_CMP0,      /* riscv stimecmp; arm64 CNTP_CVAL_EL0 */
	WAVE_CMP1,      /* arm64 CNTV_CVAL_EL0 */
	WAVE_LEVEL,     /* the privilege level: arm64 the EL; riscv 0 U, 1 S, 3 M */
	WAVE_ISTATUS0,  /* arm64 CNTP_CTL_EL0.ISTATUS (the condition, masked or not) */
	WAVE_ISTATUS1,  /* arm64 CNTV_CTL_EL0.ISTATUS */
	WAVE_ENABLES,   /* arm64 PSTATE.DAIF (1 = masked); riscv sie, sstatus.SIE as bit 15 */
	WAVE_PENDING,   /* arm64: the vCPU's SGIs and PPIs pending in its redistributor (GICR_ISPENDR0) */
	WAVE_ENABLED,   /* arm64: ... and enabled (GICR_ISENABLER0) */
	/* s390x, machine-wide (the vcpu argument is the VM for IPM): */
	WAVE_AEN_SUMMARY, /* bits 0-63 of the forwarding summary vector, bit 0 leftmost */
	WAVE_AEN_IPM,     /* a VM's GISA IPM byte */
	WAVE_HCALL,     /* a hypercall, SMC or SBI call served */
	WAVE_S2FAULT,   /* a host stage-2 fault */
	WAVE_EXCEPTION, /* arm64: an exception entered the guest's vector */
	WAVE_NSIGS
};
struct machine_wave {
	void *ctx;
	void (*start)(void *ctx, const struct machine_config *cfg); /* the machine was created */
	void (*change)(void *ctx, int vcpu, int sig, uint64_t value, uint64_t cycle);
};

struct machine_debugger {
	void *ctx;
	void (*stopped)(void *ctx, struct machine *m, int vcpu);
};
/** machine_wave() - report a waveform change (nothing without a wave sink). */
static inline void machine_wave(struct machine *m, int vcpu, int sig, uint64_t value, uint64_t cycle)
{
	if (m->wave)
		m->wave->change(m->wave->ctx, vcpu, sig, value, cycle);
}
/**
 * machine_set_counter() - the architectural counter (riscv `time`, arm64
 * CNTPCT_EL0) reads @value at the machine's current cycle, as an mtime write
 * would set it; every model that counts in ticks re-evaluates its levels and
 * edges at once (binding.counter_set).
 */
void machine_set_counter(struct machine *m, uint64_t value);
/* The same at @cycle (a guest's store to mtime, from inside its run). */
void machine_set_counter_at(struct machine *m, uint64_t cycle, uint64_t value);
/** machine_attach_wave() - report waveform changes to @w (privilege levels included). */
void machine_attach_wave(struct machine *m, struct machine_wave *w);
/** machine_irq_set() - drive interrupt input @line of @v (cpu_irq_set()) at @cycle, and tell the waveform. */
int machine_irq_set(struct machine *m, struct vcpu *v, unsigned line, bool level, uint64_t cycle);

/** machine_attach_debugger() - needs the per-instruction clock (cfg.clock). Return: 0, or -1 with m->err. */
int machine_attach_debugger(struct machine *m, struct machine_debugger *d);

/* An idle vCPU becomes runnable at @when (an interrupt for it, a timer edge). */
void machine_wake(struct machine *m, struct vcpu *v, uint64_t when);

/* A hypervisor model hit a BUG(): report a hyp-panic event and halt the machine. */
void machine_hyp_panic(struct machine *m, const struct vcpu *v, uint64_t time, uint64_t pc, const char *where,
		       const char *reason, uint64_t page);
/* End the whole machine with an exit code (semihosting exit, SBI reset). */
void machine_exit(struct machine *m, struct vcpu *v, uint64_t pc, uint64_t time, int64_t code,
		  const char *how);

#endif
