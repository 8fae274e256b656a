/* SPDX-License-Identifier: MIT */
/*
 * Architecture-neutral half of the Unicorn adapter: instance lifetime, the
 * per-instruction counting hook, invalid-memory reporting and the run wrapper.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu_internal.h"

#define CPU_MAX_RAM 8
#define RVC_CACHE 4096 /* entries; a power of two */

struct cpu_ram {
	uint64_t base, size;
	uint8_t *host;
};

/* A riscv block's instruction count and a copy of the bytes it was taken from. */
struct rvc_entry {
	uint64_t addr;
	uint32_t size, n;
	uint8_t *bytes;
};

/* One device region's callback context. */
struct cpu_device {
	struct cpu *c;
	uint64_t base;
};

struct cpu_common {
	void *fw;               /* boot page */
	struct cpu_device dev[CPU_MAX_DEVICES];
	int ndev;
	uc_hook clock_hook, mark_hook, mem_hook;
	struct cpu_ram ram[CPU_MAX_RAM];
	int nram;
	const struct cpu_ram *last_ram; /* where the last riscv block was */
	struct rvc_entry *rvc;           /* variable-length block counts, see var_block_count() */
	uint64_t (*walk)(const uint8_t *p, uint64_t size); /* cpu_rvc_walk or cpu_s390x_walk */
	bool split_active;      /* a Unicorn exit is set for a split */
	uint64_t split_exit;
	bool split_vi_held;     /* arm64: HCR_EL2.VI held low for the split, to be raised after */
	bool block_watch;       /* call ops->block_start() before each block */
	bool code_sync;         /* drop the translated blocks once the run stops (cpu_code_sync()) */
	bool ran;               /* the guest ran since the blocks were last dropped: some may be stale */
	struct cpu_debug *dbg;  /* a debugger's points (cpu_debug_enable()), or NULL */
	bool level_watch;       /* report privilege-level changes (cpu_watch_level()) */
	bool stores_watched;    /* a memory hook sees guest stores (watch ranges, a debugger) */
	int last_level;
	uint64_t last_enables;
	uint64_t next_seq_pc;   /* per-instruction clock: the address after the last instruction */
	/* Set by the invalid-memory hook, consumed after uc_emu_start(). */
	bool mem_fault;
	uc_mem_type mem_type;
	uint64_t mem_addr;
	void *arch;             /* per-architecture state */
};

static const struct cpu_arch_ops *arch_ops(enum cpu_arch arch)
{
	return arch == CPU_ARM64 ? &cpu_arm64_ops : arch == CPU_RISCV64 ? &cpu_riscv64_ops
	       : arch == CPU_S390X ? &cpu_s390x_ops : &cpu_riscv32_ops;
}

static struct cpu_common *common(struct cpu *c)
{
	return c->priv;
}

struct cpu_watchpoint {
	uint64_t addr, len;
	enum cpu_debug_why kind;
};

struct cpu_debug {
	uc_hook mem_hook;
	uint64_t bp[CPU_DBG_MAX_POINTS];
	int nbp;
	struct cpu_watchpoint wp[CPU_DBG_MAX_POINTS];
	int nwp;
	int step;              /* 1: armed, 2: its instruction ran, stop at the next */
	bool skip;             /* the first instruction after a stop is not a breakpoint hit */
	bool watch_hit;        /* a watched access: stop before the next instruction */
	uint64_t stop_time;    /* stop before the first instruction at or after this cycle */
	enum cpu_debug_why hit_kind;
	uint64_t hit_addr;
};

/*
 * Interrupt lines: arm64 virtual INTIDs below the first special INTID (1020,
 * Arm GIC architecture spec, "Special INTIDs"); riscv the S-level lines of mip
 * (SSIP 1, STIP 5, SEIP 9; privileged ISA, "Machine Interrupt Registers");
 * s390x none (its interruptions are not modelled).
 */
static const struct cpu_arch_info arch_infos[] = {
	[CPU_ARM64] = { CPU_ARM64, "arm64", 183, "AArch64", false, false, 8, 4, "esr", CPU_FIRMWARE_SMCCC, 1020, 0,
			"arm64 interrupt ids are 0..1019", "x", 0 },
	[CPU_RISCV64] = { CPU_RISCV64, "riscv64", 243, "RISC-V", false, false, 8, 4, "scause", CPU_FIRMWARE_SBI, 10,
			  (1u << 1) | (1u << 5) | (1u << 9), "riscv64 lines are 1 (SSIP), 5 (STIP) and 9 (SEIP)", "a", 0 },
	[CPU_RISCV32] = { CPU_RISCV32, "riscv32", 243, "RISC-V", true, false, 4, 4, "scause", CPU_FIRMWARE_SBI, 10,
			  (1u << 1) | (1u << 5) | (1u << 9), "riscv32 lines are 1 (SSIP), 5 (STIP) and 9 (SEIP)", "a", 0 },
	[CPU_S390X] = { CPU_S390X, "s390x", 22, "S/390", false, true, 8, 6, "code", CPU_FIRMWARE_NONE, 0, 0,
			"s390x guests take no injected interrupts (docs/guest-abi.md)", "r", 2 },
};

const struct cpu_arch_info *cpu_arch_info(enum cpu_arch arch)
{
	return &arch_infos[(unsigned)arch < sizeof(arch_infos) / sizeof(arch_infos[0]) ? arch : CPU_ARM64];
}

int cpu_arch_from_name(const char *name, enum cpu_arch *arch)
{
	size_t i;

	for (i = 0; i < sizeof(arch_infos) / sizeof(arch_infos[0]); i++)
		if (strcmp(arch_infos[i].name, name) == 0) {
			*arch = arch_infos[i].arch;
			return 0;
		}
	return -1;
}

const char *cpu_arch_names(void)
{
	static char names[64];
	size_t i, n = sizeof(arch_infos) / sizeof(arch_infos[0]), len = 0;

	if (!names[0]) /* built once from the table */
		for (i = 0; i < n; i++)
			len += (size_t)snprintf(names + len, sizeof(names) - len, "%s%s",
						i == 0 ? "" : i + 1 < n ? ", " : " or ", arch_infos[i].name);
	return names;
}

bool cpu_arch_irq_ok(enum cpu_arch arch, uint64_t line)
{
	const struct cpu_arch_info *a = cpu_arch_info(arch);

	return line < a->irq_limit && (!a->irq_mask || (a->irq_mask >> line) & 1);
}

const char *cpu_arch_name(enum cpu_arch arch)
{
	return cpu_arch_info(arch)->name;
}

/*
 * The clock: fires as each translated block starts and adds its instruction
 * count.  A block that would run past the deadline is not started: the stop
 * here prevents it from executing, and cpu_run() splits it.  Such a stop
 * names the block's start as the PC to resume at: when a chained jump from a
 * block with code hooks (`trace code`) entered this one, Unicorn 2.0.1 still
 * has the jump's own address as PC, and would run the jump again.
 */
/* Walk riscv code: 2 bytes when an instruction's low two bits are not 11, else 4. */
uint64_t cpu_rvc_walk(const uint8_t *p, uint64_t size)
{
	uint64_t off = 0, n = 0;

	while (off < size) {
		off += (p[off] & 3) == 3 ? 4 : 2;
		n++;
	}
	return n;
}

/*
 * Whether @size bytes at @a and @b are equal: 8 bytes at a time, inline.
 * The block hook runs this on every riscv block; a memcmp() call there was
 * half of an ALU loop's host time (a short block's compare is mostly call).
 */
static inline bool same_bytes(const uint8_t *a, const uint8_t *b, uint32_t size)
{
	uint64_t d = 0, x, y;
	uint32_t i = 0;

	for (; i + 8 <= size; i += 8) {
		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		d |= x ^ y;
	}
	for (; i < size; i++)
		d |= (uint64_t)(a[i] ^ b[i]);
	return d == 0;
}

/*
 * riscv (RVC) and s390x instructions in a block.  The walk is latency-bound (each step needs
 * the byte the previous one found), so counts are cached by (address, size)
 * together with a copy of the block's bytes: a hit compares the bytes, so code
 * the guest rewrites is recounted, never miscounted.
 */
static uint32_t rvc_cached(struct cpu_common *cc, uint64_t addr, const uint8_t *p, uint32_t size)
{
	struct rvc_entry *e = &cc->rvc[(addr >> 1) & (RVC_CACHE - 1)];
	uint8_t *copy;

	if (e->addr == addr && e->size == size && same_bytes(e->bytes, p, size))
		return e->n;
	copy = e->size >= size ? e->bytes : realloc(e->bytes, size);
	if (!copy)
		return cc->walk(p, size);
	memcpy(copy, p, size);
	*e = (struct rvc_entry){ .addr = addr, .size = size, .n = (uint32_t)cc->walk(p, size), .bytes = copy };
	return e->n;
}

static bool ram_holds(const struct cpu_ram *r, uint64_t addr, uint64_t len)
{
	return addr >= r->base && addr - r->base < r->size && len <= r->size - (addr - r->base);
}

/* The RAM region holding [addr, addr+len) whole, or NULL. */
static const struct cpu_ram *find_ram(const struct cpu_common *cc, uint64_t addr, uint64_t len)
{
	int i;

	for (i = 0; i < cc->nram; i++)
		if (ram_holds(&cc->ram[i], addr, len))
			return &cc->ram[i];
	return NULL;
}

static uint64_t var_block_count(struct cpu *c, uint64_t addr, uint32_t size)
{
	struct cpu_common *cc = common(c);
	const struct cpu_ram *r = cc->last_ram;
	const uint8_t *p;

	if (!r || !ram_holds(r, addr, size)) {
		r = find_ram(cc, addr, size);
		if (!r)
			return arch_ops(c->arch)->insn_count(c, addr, size);
		cc->last_ram = r;
	}
	p = r->host + (addr - r->base);
	return cc->rvc ? rvc_cached(cc, addr, p, size) : cc->walk(p, size);
}

void cpu_watch_level(struct cpu *c, bool on)
{
	common(c)->level_watch = on && arch_ops(c->arch)->current_level;
	common(c)->last_level = -1;
	common(c)->last_enables = UINT64_MAX;
	common(c)->next_seq_pc = 0;
}

/* Before a block at @addr runs: report a new privilege level. */
static void level_check(struct cpu *c, uint64_t addr)
{
	struct cpu_common *cc = common(c);
	int lvl = arch_ops(c->arch)->current_level(c);
	struct cpu_exit e = { .kind = CPU_EXIT_LEVEL, .pc = addr };

	if (lvl == cc->last_level)
		return;
	cc->last_level = lvl;
	e.time = c->now;
	e.level.now = lvl;
	c->on_exit(c->ctx, c, &e);
}

/*
 * Per-instruction clock: the enables at every instruction; the level only
 * after a jump (levels change at exceptions and returns, never in a straight
 * run of instructions), since reading it can cost a saved context.
 */
static void insn_watch(struct cpu *c, uint64_t addr, uint32_t size)
{
	struct cpu_common *cc = common(c);
	const struct cpu_arch_ops *ops = arch_ops(c->arch);
	uint64_t en;

	if (addr != cc->next_seq_pc)
		level_check(c, addr);
	cc->next_seq_pc = addr + size;
	if (!ops->enables || (en = ops->enables(c)) == cc->last_enables)
		return;
	cc->last_enables = en;
	{
		struct cpu_exit e = { .kind = CPU_EXIT_LEVEL, .pc = addr, .time = c->now };

		e.level.mask = true;
		e.level.enables = en;
		c->on_exit(c->ctx, c, &e);
	}
}

void cpu_watch_blocks(struct cpu *c, bool on)
{
	common(c)->block_watch = on && arch_ops(c->arch)->block_start;
}

/* Before the instruction at @addr, with a debugger: a watched access just done, a step, a breakpoint. */
static bool debug_stop(struct cpu *c, uint64_t addr)
{
	struct cpu_debug *d = common(c)->dbg;
	int i;

	if (d->watch_hit) {
		d->watch_hit = false;
		c->dbg_why = (int)d->hit_kind;
		c->dbg_addr = d->hit_addr;
		d->skip = true;
		return true;
	}
	if (c->now >= d->stop_time) {
		d->stop_time = UINT64_MAX;
		c->dbg_why = CPU_DBG_TIME;
		c->dbg_addr = addr;
		d->skip = true;
		return true;
	}
	if (d->step == 2) {
		d->step = 0;
		c->dbg_why = CPU_DBG_STEP;
		c->dbg_addr = addr;
		d->skip = true;
		return true;
	}
	if (d->step == 1)
		d->step = 2;
	if (d->skip) {
		d->skip = false;
		return false;
	}
	for (i = 0; i < d->nbp; i++)
		if (d->bp[i] == addr) {
			c->dbg_why = CPU_DBG_BREAK;
			c->dbg_addr = addr;
			d->skip = true;
			return true;
		}
	return false;
}

static void hook_block(uc_engine *uc, uint64_t addr, uint32_t size, void *user)
{
	struct cpu *c = user;
	uint64_t n = c->arch == CPU_ARM64 ? size / 4 : var_block_count(c, addr, size);

	(void)uc;
	if (__builtin_expect(c->now >= c->soft_at, 0)) { /* a quantum's end: before anything of this block */
		c->block_stopped = true;
		cpu_request_stop_at(c, CPU_RUN_LIMIT, addr); /* PC may still name a code hook's instruction */
		return;
	}
	if (__builtin_expect(common(c)->block_watch, 0) && c->now < c->stop_at &&
	    arch_ops(c->arch)->block_start(c, addr, size, true))
		return;
	if (__builtin_expect(n > c->stop_at - c->now || c->now > c->stop_at, 0)) {
		if (c->now == c->stop_at) { /* the deadline at the block's start: no split */
			c->block_stopped = true;
			cpu_request_stop_at(c, CPU_RUN_LIMIT, addr);
			return;
		}
		c->split_pc = addr; /* no wrap near 2^64: now > stop_at is caught too */
		c->split_size = size;
		c->block_stopped = true;
		cpu_request_stop_at(c, CPU_RUN_SPLIT, addr);
		return;
	}
	if (__builtin_expect(common(c)->level_watch, 0))
		level_check(c, addr);
	c->blk_now = c->now;
	c->blk_pc = addr;
	c->blk_end = addr + size;
	c->now += n;
}

/* The reference clock's view of block boundaries: where a quantum may end. */
static void hook_block_mark(uc_engine *uc, uint64_t addr, uint32_t size, void *user)
{
	struct cpu *c = user;

	(void)uc;
	(void)addr;
	(void)size;
	if (c->resume_mid) { /* only the debugger made this block start here: the run without it has none */
		c->resume_mid = false;
		return;
	}
	c->at_block = true;
}

/* The reference clock: every instruction is a block of one. */
static void hook_insn(uc_engine *uc, uint64_t addr, uint32_t size, void *user)
{
	struct cpu *c = user;
	bool first = c->at_block;

	(void)uc;
	c->at_block = false;
	if (__builtin_expect(c->now >= c->stop_at || (first && c->now >= c->soft_at), 0)) {
		c->block_stopped = true;
		cpu_request_stop(c, CPU_RUN_LIMIT);
		return;
	}
	if (__builtin_expect(common(c)->dbg != NULL, 0) && debug_stop(c, addr)) {
		c->resume_mid = !first;
		c->block_stopped = true;
		cpu_request_stop(c, CPU_RUN_BREAK);
		return;
	}
	if (__builtin_expect(common(c)->block_watch, 0) && arch_ops(c->arch)->block_start(c, addr, size, first))
		return;
	if (__builtin_expect(common(c)->level_watch, 0))
		insn_watch(c, addr, size);
	c->blk_now = c->now;
	c->blk_pc = addr;
	c->blk_end = addr + size;
	c->now++;
}

const uint8_t *cpu_host_ptr(struct cpu *c, uint64_t addr, uint64_t len)
{
	const struct cpu_ram *r = find_ram(common(c), addr, len);

	return r ? r->host + (addr - r->base) : NULL;
}

uint64_t cpu_insn_time(struct cpu *c, uint64_t pc)
{
	if (pc < c->blk_pc || pc - c->blk_pc >= 4096)
		return c->now; /* not inside the current block: no better answer */
	if (c->arch == CPU_ARM64) /* every hypercall asks: no indirect call for fixed-size instructions */
		return c->blk_now + (pc - c->blk_pc) / 4;
	return c->blk_now + arch_ops(c->arch)->insn_count(c, c->blk_pc, pc - c->blk_pc);
}

static bool hook_mem_invalid(uc_engine *uc, uc_mem_type type, uint64_t addr, int size,
			     int64_t value, void *user)
{
	struct cpu *c = user;
	struct cpu_common *cc = common(c);
	const struct cpu_arch_ops *ops = arch_ops(c->arch);

	(void)uc;
	(void)size;
	(void)value;
	if (ops->unmapped && (type == UC_MEM_READ_UNMAPPED || type == UC_MEM_WRITE_UNMAPPED ||
			      type == UC_MEM_FETCH_UNMAPPED)) {
		int r = ops->unmapped(c, addr, type == UC_MEM_FETCH_UNMAPPED);

		if (r == CPU_UNMAPPED_RETRY)
			return true;
		if (r == CPU_UNMAPPED_DEFER)
			return false;
	}
	cc->mem_fault = true;
	cc->mem_type = type;
	cc->mem_addr = addr;
	return false;
}

/* A load or store seen by a memory hook, reported as @kind. */
static void mem_exit(struct cpu *c, enum cpu_exit_kind kind, uc_mem_type type, uint64_t addr, int size,
		     int64_t value)
{
	struct cpu_exit e = { .kind = kind };

	const struct cpu_arch_ops *ops = arch_ops(c->arch);

	e.watch.write = type == UC_MEM_WRITE;
	e.pc = ops->access_pc ? ops->access_pc(c, addr, e.watch.write) : cpu_pc(c);
	e.time = cpu_insn_time(c, e.pc);
	e.watch.addr = addr;
	e.watch.size = (uint32_t)size;
	if (e.watch.write)
		e.watch.value = size >= 8 ? (uint64_t)value : (uint64_t)value & ((1ull << (8 * size)) - 1);
	c->on_exit(c->ctx, c, &e);
}

static void hook_watch(uc_engine *uc, uc_mem_type type, uint64_t addr, int size, int64_t value, void *user)
{
	(void)uc;
	mem_exit(user, CPU_EXIT_WATCH, type, addr, size, value);
}

static void hook_access(uc_engine *uc, uc_mem_type type, uint64_t addr, int size, int64_t value, void *user)
{
	(void)uc;
	mem_exit(user, CPU_EXIT_ACCESS, type, addr, size, value);
}

static void hook_code_trace(uc_engine *uc, uint64_t addr, uint32_t size, void *user)
{
	struct cpu *c = user;
	struct cpu_exit e = { .kind = CPU_EXIT_CODE, .pc = addr };

	(void)uc;
	(void)size;
	e.time = cpu_insn_time(c, addr);
	c->on_exit(c->ctx, c, &e);
}

static int range_hook(struct cpu *c, int type, void *fn, uint64_t begin, uint64_t end, const char *what)
{
	uc_hook h;

	if (uc_hook_add(cpu_uc(c), &h, type, fn, c, begin, end) != UC_ERR_OK) {
		snprintf(c->err, sizeof(c->err), "cannot %s 0x%" PRIx64 "..0x%" PRIx64, what, begin, end);
		return -1;
	}
	return 0;
}

bool cpu_stores_watched(struct cpu *c)
{
	return common(c)->stores_watched;
}

int cpu_watch_writes(struct cpu *c, uint64_t begin, uint64_t end)
{
	common(c)->stores_watched = true;
	return range_hook(c, UC_HOOK_MEM_WRITE, (void *)hook_watch, begin, end, "watch stores to");
}

int cpu_watch_access(struct cpu *c, uint64_t begin, uint64_t end)
{
	common(c)->stores_watched = true;
	return range_hook(c, UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE, (void *)hook_access, begin, end, "watch accesses to");
}

int cpu_trace_code(struct cpu *c, uint64_t begin, uint64_t end)
{
	return range_hook(c, UC_HOOK_CODE, (void *)hook_code_trace, begin, end, "trace code at");
}

/* Several hooks may ask to stop in one run: the most severe reason wins. */
/* Record why the run is to end (the most severe reason wins), without stopping Unicorn yet. */
static void note_stop(struct cpu *c, int reason)
{
	if (!c->stop_requested || reason > c->stop_reason)
		c->stop_reason = reason;
	c->stop_requested = true;
}

void cpu_request_stop(struct cpu *c, int reason)
{
	note_stop(c, reason);
	uc_emu_stop(cpu_uc(c));
}

void cpu_request_stop_at(struct cpu *c, int reason, uint64_t pc)
{
	c->pc_deferred = true;
	c->pc_after_stop = pc;
	cpu_request_stop(c, reason);
}

enum cpu_action cpu_report(struct cpu *c, struct cpu_exit *e)
{
	enum cpu_action a = c->on_exit(c->ctx, c, e);

	if (a == CPU_STOP) {
		c->now = e->time + 1; /* the rest of the block does not run */
		cpu_request_stop(c, CPU_RUN_STOPPED);
	}
	return a;
}

void cpu_report_fault(struct cpu *c, struct cpu_exit *e)
{
	e->kind = CPU_EXIT_FAULT;
	c->now = e->time; /* the faulting instruction did not retire */
	c->on_exit(c->ctx, c, e);
	cpu_request_stop_at(c, CPU_RUN_FAULT, e->pc);
}

uint64_t cpu_reg_get(struct cpu *c, int reg)
{
	uint64_t v = 0;

	uc_reg_read(cpu_uc(c), reg, &v);
	return v;
}

void cpu_reg_put(struct cpu *c, int reg, uint64_t val)
{
	uc_reg_write(cpu_uc(c), reg, &val);
}

bool cpu_fetch32(struct cpu *c, uint64_t addr, uint32_t *insn)
{
	const struct cpu_arch_ops *ops = arch_ops(c->arch);
	const uint8_t *p = ops->code_ptr && (addr & 0xfff) <= 0xffc ? ops->code_ptr(c, addr, 4) : NULL;

	if (p) { /* through the guest's own translation, when it has one */
		memcpy(insn, p, sizeof(*insn));
		return true;
	}
	return uc_mem_read(cpu_uc(c), addr, insn, sizeof(*insn)) == UC_ERR_OK;
}

int cpu_run_boot_code(struct cpu *c, const uint32_t *code, size_t n, uint64_t count)
{
	struct cpu_common *cc = common(c);
	enum cpu_run_result r;

	memcpy(cc->fw, code, n * sizeof(*code));
	c->now = 0;
	cpu_set_pc(c, CPU_FW_BASE);
	r = cpu_run(c, count);
	if (r != CPU_RUN_LIMIT || c->now != count) {
		snprintf(c->err, sizeof(c->err), "boot trampoline failed (ran %" PRIu64 " of %" PRIu64 " instructions)",
			 c->now, count);
		return -1;
	}
	return 0;
}

/* Exits are how splits stop mid-block; "none" is an address never fetched. */
static const uint64_t no_exit = 1;

/*
 * Run to an exit placed after the code, never with an instruction count:
 * Unicorn 2.0.1 flushes every translated block when a counted run follows an
 * uncounted one (or the reverse), which costs 0.1-3 s each time.
 */
int cpu_exec_boot_code(struct cpu *c, const uint32_t *code, size_t n)
{
	struct cpu_common *cc = common(c);
	uint64_t end = CPU_FW_BASE + n * sizeof(*code);
	uc_err err;

	memcpy(cc->fw, code, n * sizeof(*code));
	c->stop_at = UINT64_MAX;
	uc_ctl_remove_cache(cpu_uc(c), CPU_FW_BASE, end);
	uc_ctl_set_exits(cpu_uc(c), &end, 1);
	err = uc_emu_start(cpu_uc(c), CPU_FW_BASE, 0, 0, 0);
	uc_ctl_set_exits(cpu_uc(c), (uint64_t *)&no_exit, 1);
	uc_ctl_remove_cache(cpu_uc(c), CPU_FW_BASE, end);
	c->now = 0;
	if (err != UC_ERR_OK || cpu_pc(c) != end) {
		snprintf(c->err, sizeof(c->err), "boot code failed: %s", err != UC_ERR_OK ? uc_strerror(err) : "it did not reach its end");
		return -1;
	}
	return 0;
}

static int enable_exits(struct cpu *c)
{
	if (uc_ctl_exits_enable(cpu_uc(c)) != UC_ERR_OK ||
	    uc_ctl_set_exits(cpu_uc(c), (uint64_t *)&no_exit, 1) != UC_ERR_OK) {
		snprintf(c->err, sizeof(c->err), "cannot enable Unicorn exits");
		return -1;
	}
	return 0;
}

int cpu_create(struct cpu *c, enum cpu_arch arch, int index, enum cpu_clock clock, cpu_exit_fn on_exit,
	       void *ctx)
{
	const struct cpu_arch_ops *ops = arch_ops(arch);
	struct cpu_common *cc;
	uc_engine *uc;
	uc_err err;

	memset(c, 0, sizeof(*c));
	c->soft_at = UINT64_MAX;
	c->arch = arch;
	c->index = index;
	c->on_exit = on_exit;
	c->ctx = ctx;
	err = uc_open(ops->uc_arch, ops->uc_mode, &uc);
	if (err != UC_ERR_OK) {
		snprintf(c->err, sizeof(c->err), "uc_open(%s): %s", cpu_arch_name(arch), uc_strerror(err));
		return -1;
	}
	c->uc = uc;
	cc = calloc(1, sizeof(*cc));
	cc->fw = aligned_alloc(CPU_FW_SIZE, CPU_FW_SIZE);
	if (!cc->fw) {
		snprintf(c->err, sizeof(c->err), "out of memory");
		free(cc);
		uc_close(uc);
		c->uc = NULL;
		return -1;
	}
	memset(cc->fw, 0, CPU_FW_SIZE);
	c->priv = cc;
	if (arch != CPU_ARM64)
		cc->rvc = calloc(RVC_CACHE, sizeof(*cc->rvc)); /* NULL: walk every time */
	cc->walk = arch == CPU_S390X ? cpu_s390x_walk : cpu_rvc_walk;
	if (uc_mem_map_ptr(uc, CPU_FW_BASE, CPU_FW_SIZE, UC_PROT_ALL, cc->fw) != UC_ERR_OK ||
	    (clock == CPU_CLOCK_BLOCK
		     ? uc_hook_add(uc, &cc->clock_hook, UC_HOOK_BLOCK, (void *)hook_block, c, 1, 0)
		     : uc_hook_add(uc, &cc->clock_hook, UC_HOOK_CODE, (void *)hook_insn, c, 1, 0) != UC_ERR_OK ||
		       uc_hook_add(uc, &cc->mark_hook, UC_HOOK_BLOCK, (void *)hook_block_mark, c, 1, 0)) != UC_ERR_OK ||
	    uc_hook_add(uc, &cc->mem_hook, UC_HOOK_MEM_INVALID, (void *)hook_mem_invalid, c, 1, 0) != UC_ERR_OK) {
		snprintf(c->err, sizeof(c->err), "cannot set up the %s vCPU", cpu_arch_name(arch));
		cpu_destroy(c);
		return -1;
	}
	if (enable_exits(c) < 0 || ops->init(c) < 0) {
		char msg[sizeof(c->err)];

		memcpy(msg, c->err, sizeof(msg));
		cpu_destroy(c);
		memcpy(c->err, msg, sizeof(msg));
		return -1;
	}
	return 0;
}

void cpu_destroy(struct cpu *c)
{
	struct cpu_common *cc = common(c);

	if (cc && cc->arch)
		arch_ops(c->arch)->destroy(c);
	if (cc && cc->rvc) {
		int i;

		for (i = 0; i < RVC_CACHE; i++)
			free(cc->rvc[i].bytes);
		free(cc->rvc);
	}
	if (c->uc)
		uc_close(cpu_uc(c));
	if (cc) {
		free(cc->arch);
		free(cc->fw);
		free(cc->dbg);
		free(cc);
	}
	c->uc = NULL;
	c->priv = NULL;
}

void *cpu_arch_state(struct cpu *c)
{
	return common(c)->arch;
}

void cpu_set_arch_state(struct cpu *c, void *state)
{
	common(c)->arch = state;
}

int cpu_map_ram(struct cpu *c, uint64_t base, uint64_t size, void *host)
{
	struct cpu_common *cc = common(c);
	uc_err err = cc->nram == CPU_MAX_RAM ? UC_ERR_ARG : uc_mem_map_ptr(cpu_uc(c), base, size, UC_PROT_ALL, host);

	if (err == UC_ERR_OK)
		cc->ram[cc->nram++] = (struct cpu_ram){ .base = base, .size = size, .host = host };
	if (err != UC_ERR_OK) {
		snprintf(c->err, sizeof(c->err), "cannot map RAM 0x%" PRIx64 "+0x%" PRIx64 ": %s",
			 base, size, uc_strerror(err));
		return -1;
	}
	return 0;
}

static uint64_t device_access(struct cpu_device *d, uint64_t off, unsigned size, uint64_t value, bool write)
{
	struct cpu *c = d->c;
	const struct cpu_arch_ops *ops = arch_ops(c->arch);
	struct cpu_exit e = { .kind = CPU_EXIT_MMIO };

	e.pc = ops->access_pc ? ops->access_pc(c, d->base + off, write) : cpu_pc(c);
	e.time = cpu_insn_time(c, e.pc);
	e.watch.addr = d->base + off;
	e.watch.size = size;
	e.watch.write = write;
	e.watch.value = write && size < 8 ? value & ((1ull << (8 * size)) - 1) : value;
	c->in_device = true;
	if (c->on_exit(c->ctx, c, &e) == CPU_STOP) {
		/*
		 * Stopping Unicorn inside a device callback restarts the block
		 * from its start (docs/unicorn.md): the run ends at the next
		 * instruction (reference clock) or block (block clock) instead,
		 * and the time is that of the access's instruction retired.
		 */
		c->now = e.time + 1;
		c->stop_at = c->now;
		note_stop(c, CPU_RUN_STOPPED);
	}
	c->in_device = false;
	return e.watch.value;
}

static uint64_t device_read(uc_engine *uc, uint64_t off, unsigned size, void *user)
{
	(void)uc;
	return device_access(user, off, size, 0, false);
}

static void device_write(uc_engine *uc, uint64_t off, unsigned size, uint64_t value, void *user)
{
	(void)uc;
	device_access(user, off, size, value, true);
}

int cpu_map_device(struct cpu *c, uint64_t base, uint64_t size)
{
	struct cpu_common *cc = common(c);
	struct cpu_device *d = &cc->dev[cc->ndev];
	uc_err err;

	if (cc->ndev == CPU_MAX_DEVICES) {
		snprintf(c->err, sizeof(c->err), "at most %d device regions", CPU_MAX_DEVICES);
		return -1;
	}
	*d = (struct cpu_device){ .c = c, .base = base };
	err = uc_mmio_map(cpu_uc(c), base, size, device_read, d, device_write, d);
	if (err != UC_ERR_OK) {
		snprintf(c->err, sizeof(c->err), "cannot map the device region 0x%" PRIx64 "+0x%" PRIx64 ": %s", base, size,
			 uc_strerror(err));
		return -1;
	}
	cc->ndev++;
	return 0;
}

int cpu_boot(struct cpu *c, uint64_t entry, uint64_t arg0)
{
	return arch_ops(c->arch)->boot(c, entry, arg0);
}

/* A load or store that faulted was counted by the hook but did not retire. */
/* Return: CPU_RUN_FAULT, or CPU_RUN_RESTART when the guest took it as its own exception. */
static int report_mem_fault(struct cpu *c)
{
	struct cpu_common *cc = common(c);
	struct cpu_exit e = { .kind = CPU_EXIT_FAULT };
	bool fetch = cc->mem_type == UC_MEM_FETCH_UNMAPPED || cc->mem_type == UC_MEM_FETCH_PROT;

	cc->mem_fault = false;
	e.pc = cpu_pc(c);
	if (c->arch == CPU_S390X) { /* Unicorn's PC is the block's start: use the code hook's */
		e.pc = fetch ? cc->mem_addr : arch_ops(c->arch)->access_pc(c, cc->mem_addr, false);
		cpu_set_pc(c, e.pc);
	} else if (cpu_arch_is_riscv(c->arch) && !fetch) {
		/* riscv: a data fault leaves PC at the block's start too; find the access's instruction */
		e.pc = arch_ops(c->arch)->access_pc(c, cc->mem_addr,
						    cc->mem_type == UC_MEM_WRITE_UNMAPPED || cc->mem_type == UC_MEM_WRITE_PROT);
		cpu_set_pc(c, e.pc);
	}
	if (!fetch)
		c->now = cpu_insn_time(c, e.pc); /* the access did not retire */
	e.time = c->now;
	e.fault.kind = fetch ? CPU_FAULT_FETCH_ABORT : CPU_FAULT_DATA_ABORT;
	e.fault.addr = cc->mem_addr;
	if (c->arch == CPU_ARM64)
		e.fault.syndrome = ((fetch ? 0x21ULL : 0x25ULL) << 26) | (1u << 25) |
				   ((cc->mem_type == UC_MEM_WRITE_UNMAPPED || cc->mem_type == UC_MEM_WRITE_PROT) ? 1u << 6 : 0);
	else if (c->arch == CPU_S390X)
		e.fault.syndrome = 5; /* PGM addressing exception */
	else
		e.fault.syndrome = fetch ? 1 : (cc->mem_type == UC_MEM_WRITE_UNMAPPED || cc->mem_type == UC_MEM_WRITE_PROT) ? 7 : 5;
	if (!fetch)
		cpu_fetch32(c, e.pc, &e.fault.insn);
	if (arch_ops(c->arch)->mem_trap &&
	    arch_ops(c->arch)->mem_trap(c, &e, cc->mem_type == UC_MEM_WRITE_UNMAPPED || cc->mem_type == UC_MEM_WRITE_PROT))
		return CPU_RUN_RESTART;
	c->on_exit(c->ctx, c, &e);
	return CPU_RUN_FAULT;
}

/*
 * Unicorn returned with PC inside the last block (WFI on riscv halts without
 * ending its block; a fault stops mid-block): the block hook counted the
 * whole block, but only the instructions before PC ran.
 */
static void settle_time(struct cpu *c)
{
	uint64_t pc = cpu_pc(c);

	if (pc > c->blk_pc && pc < c->blk_end)
		c->now = cpu_insn_time(c, pc);
}

/*
 * Start a split: the next run executes exactly stop_at - now instructions of
 * the block at split_pc.  Unicorn decides where a block ends when it
 * translates it, so the cached block is dropped and retranslated up to the
 * exit; finish_split() drops the short block again.
 */
static void start_split(struct cpu *c)
{
	struct cpu_common *cc = common(c);
	uint64_t k = c->stop_at - c->now;

	cc->split_exit = c->split_pc + arch_ops(c->arch)->insn_bytes(c, c->split_pc, k);
	uc_ctl_remove_cache(cpu_uc(c), c->split_pc, c->split_pc + c->split_size);
	uc_ctl_set_exits(cpu_uc(c), &cc->split_exit, 1);
	/*
	 * Unicorn 2.0.1 stops at an exit by translating it as a WFI, and a WFI
	 * wakes on any pending interrupt, masked or not: with a line high and
	 * masked, the vCPU would halt and wake at the exit for ever.  The split
	 * runs part of one translated block, where no interrupt can be taken
	 * (QEMU takes them between blocks), so the input is held low for it and
	 * raised again after, unless the owner set it meanwhile.  arm64 only:
	 * its one input (HCR_EL2.VI) is the simulator's alone, while a riscv
	 * guest may clear its own pending bits (SSIP), which restoring would
	 * undo, and riscv's exits were not seen to hang.
	 */
	cc->split_vi_held = arch_ops(c->arch)->irq_hold && c->irq_lines;
	if (cc->split_vi_held)
		arch_ops(c->arch)->irq_hold(c, true);
	cc->split_active = true;
}

uint64_t cpu_split_exit(struct cpu *c)
{
	return common(c)->split_active ? common(c)->split_exit : 0;
}

/* The input start_split() held low, raised again (cpu_irq_set() during the split clears the hold). */
static void end_split_irqs(struct cpu *c)
{
	struct cpu_common *cc = common(c);

	if (cc->split_vi_held)
		arch_ops(c->arch)->irq_hold(c, false);
	cc->split_vi_held = false;
}

/* Return: true when the run stopped at the split's exit. */
static bool finish_split(struct cpu *c)
{
	struct cpu_common *cc = common(c);

	if (!cc->split_active)
		return false;
	cc->split_active = false;
	end_split_irqs(c);
	uc_ctl_set_exits(cpu_uc(c), (uint64_t *)&no_exit, 1);
	uc_ctl_remove_cache(cpu_uc(c), c->split_pc, c->split_pc + c->split_size);
	return cpu_pc(c) == cc->split_exit && c->now == c->stop_at;
}

static int classify(struct cpu *c, const struct cpu_arch_ops *ops, uc_err err, bool at_exit)
{
	int r = ops->after_run(c);

	if (r != CPU_RUN_NONE)
		return r;
	if (c->stop_requested)
		return c->stop_reason;
	if (err != UC_ERR_OK) {
		snprintf(c->err, sizeof(c->err), "unicorn: %s at pc 0x%" PRIx64, uc_strerror(err), cpu_pc(c));
		return CPU_RUN_ERROR;
	}
	if (!at_exit)
		return ops->classify_return(c);
	/*
	 * The split ended where it should; if its last instruction was the
	 * guest's own WFI, the vCPU now waits, as the per-instruction clock
	 * sees it (riscv's WFI does not end its block, so a split can end just
	 * after one).  s390x has no WFI.
	 */
	return c->arch != CPU_S390X && ops->classify_return(c) == CPU_RUN_WFI ? CPU_RUN_WFI : CPU_RUN_LIMIT;
}

/* Drop every translated block of the vCPU (0.1-1.4 s in Unicorn 2.0.1: callers avoid it where they can). */
static void drop_blocks(struct cpu *c)
{
	uc_ctl_flush_tlb(cpu_uc(c)); /* Unicorn 2.0.1's name for UC_CTL_TB_FLUSH: the translated blocks */
	common(c)->ran = false;
}

static enum cpu_run_result run_loop(struct cpu *c, const struct cpu_arch_ops *ops)
{
	for (;;) {
		uc_err err;
		bool at_exit;
		int r;

		if (c->now >= c->run_limit)
			return CPU_RUN_LIMIT;
		c->stop_at = c->run_limit;
		c->stop_requested = false;
		c->block_stopped = false;
		c->stop_reason = CPU_RUN_RESTART;
		ops->before_run(c);
		c->running = true;
		if (cpu_pc(c) - CPU_FW_BASE >= CPU_FW_SIZE) /* a trampoline's run translates only the boot page */
			common(c)->ran = true;
		err = uc_emu_start(cpu_uc(c), cpu_pc(c), 0, 0, 0);
		c->running = false;
		if (common(c)->code_sync) {
			common(c)->code_sync = false;
			drop_blocks(c);
		}
		at_exit = finish_split(c);
		if (c->pc_deferred) {
			c->pc_deferred = false;
			cpu_set_pc(c, c->pc_after_stop);
		}
		if (!c->block_stopped)
			settle_time(c);
		if (common(c)->mem_fault) {
			if ((r = report_mem_fault(c)) == CPU_RUN_RESTART)
				continue;
			return r;
		}
		r = classify(c, ops, err, at_exit);
		if (r == CPU_RUN_SPLIT)
			start_split(c);
		else if (r != CPU_RUN_RESTART)
			return r;
	}
}

enum cpu_run_result cpu_run(struct cpu *c, uint64_t limit)
{
	return cpu_run_quantum(c, limit, UINT64_MAX);
}

enum cpu_run_result cpu_run_quantum(struct cpu *c, uint64_t limit, uint64_t soft)
{
	const struct cpu_arch_ops *ops = arch_ops(c->arch);
	enum cpu_run_result r;

	if (ops->prepare && ops->prepare(c) == CPU_RUN_ERROR)
		return CPU_RUN_ERROR;
	c->run_limit = limit;
	c->soft_at = soft;
	r = run_loop(c, ops);
	c->soft_at = UINT64_MAX;
	return r;
}

void cpu_lower_limit(struct cpu *c, uint64_t at)
{
	if (at < c->run_limit)
		c->run_limit = at;
	if (c->running && at < c->stop_at)
		c->stop_at = at;
}

int cpu_irq_set(struct cpu *c, unsigned line, bool level)
{
	/* the owner set the input during a split: its level stands, start_split()'s hold is over */
	common(c)->split_vi_held = false;
	return arch_ops(c->arch)->irq_set(c, line, level);
}

int cpu_code_read(struct cpu *c, uint64_t va, void *buf, size_t n)
{
	const uint8_t *p;

	if (!arch_ops(c->arch)->code_ptr || !(p = arch_ops(c->arch)->code_ptr(c, va, n)))
		return -1;
	memcpy(buf, p, n);
	return 0;
}

void cpu_code_sync(struct cpu *c)
{
	if (!common(c)->ran)
		return; /* nothing translated since the last time: a secondary not started yet costs nothing */
	if (!c->running) {
		drop_blocks(c);
		return;
	}
	common(c)->code_sync = true; /* not under the block that is running */
	cpu_request_stop(c, CPU_RUN_RESTART);
}

bool cpu_code_ran(struct cpu *c)
{
	return common(c)->ran;
}

void cpu_set_code_ran(struct cpu *c, bool ran)
{
	common(c)->ran = ran;
}

void cpu_code_sync_lines(struct cpu *c, const uint64_t *pa, unsigned n)
{
	if (!common(c)->ran || !n)
		return; /* nothing translated since the blocks were last dropped */
	if (c->running || !arch_ops(c->arch)->drop_lines)
		cpu_code_sync(c);
	else
		arch_ops(c->arch)->drop_lines(c, pa, n);
}

void cpu_tlb_flush(struct cpu *c)
{
	if (arch_ops(c->arch)->tlb_flush)
		arch_ops(c->arch)->tlb_flush(c);
}

int cpu_va_windows(struct cpu *c)
{
	if (!arch_ops(c->arch)->va_windows) {
		snprintf(c->err, sizeof(c->err), "virtual-address windows are for riscv64 and arm64 guests");
		return -1;
	}
	return arch_ops(c->arch)->va_windows(c);
}

bool cpu_irq_pending(struct cpu *c)
{
	return arch_ops(c->arch)->irq_pending(c);
}

uint64_t cpu_pc(struct cpu *c)
{
	return cpu_reg_get(c, arch_ops(c->arch)->pc_reg);
}

int cpu_set_pc(struct cpu *c, uint64_t pc)
{
	return uc_reg_write(cpu_uc(c), arch_ops(c->arch)->pc_reg, &pc) == UC_ERR_OK ? 0 : -1;
}

int cpu_arg_reg(enum cpu_arch arch, unsigned n)
{
	const struct cpu_arch_info *a = cpu_arch_info(arch);
	char name[8];

	snprintf(name, sizeof(name), "%s%u", a->arg_prefix, a->arg_first + n);
	return cpu_reg_lookup(arch, name);
}

int cpu_reg_lookup(enum cpu_arch arch, const char *name)
{
	const struct cpu_reg_name *r;

	for (r = arch_ops(arch)->regs; r->name; r++)
		if (strcmp(r->name, name) == 0)
			return r->reg;
	return -1;
}

const char *cpu_reg_at(enum cpu_arch arch, int i, int *reg)
{
	const struct cpu_reg_name *regs = arch_ops(arch)->regs, *r, *q;
	int n = 0;

	for (r = regs; r->name; r++) {
		for (q = regs; q < r && q->reg != r->reg; q++)
			;
		if (q < r)
			continue; /* an alias (fp, lr, ...) */
		if (n++ == i) {
			*reg = r->reg;
			return r->name;
		}
	}
	return NULL;
}

int cpu_reg_read(struct cpu *c, int reg, uint64_t *val)
{
	const struct cpu_arch_ops *ops = arch_ops(c->arch);

	*val = 0; /* riscv32 registers fill only the low half */
	if (reg >= CPU_REG_SYS_BASE)
		return ops->sysreg ? ops->sysreg(c, reg, val, false) : -1;
	return uc_reg_read(cpu_uc(c), reg, val) == UC_ERR_OK ? 0 : -1;
}

int cpu_reg_write(struct cpu *c, int reg, uint64_t val)
{
	const struct cpu_arch_ops *ops = arch_ops(c->arch);

	if (reg >= CPU_REG_SYS_BASE)
		return ops->sysreg ? ops->sysreg(c, reg, &val, true) : -1;
	return uc_reg_write(cpu_uc(c), reg, &val) == UC_ERR_OK ? 0 : -1;
}

/* ---- debugging ------------------------------------------------------------------------------------ */

static void hook_debug_mem(uc_engine *uc, uc_mem_type type, uint64_t addr, int size, int64_t value, void *user)
{
	struct cpu *c = user;
	struct cpu_debug *d = common(c)->dbg;
	bool write = type == UC_MEM_WRITE;
	int i;

	(void)uc;
	(void)value;
	for (i = 0; i < d->nwp && !d->watch_hit; i++) {
		const struct cpu_watchpoint *w = &d->wp[i];

		if (addr + (uint64_t)size <= w->addr || addr >= w->addr + w->len)
			continue;
		if ((w->kind == CPU_DBG_WATCH_WRITE && !write) || (w->kind == CPU_DBG_WATCH_READ && write))
			continue;
		d->watch_hit = true;
		d->hit_kind = w->kind;
		d->hit_addr = addr > w->addr ? addr : w->addr;
	}
}

int cpu_debug_enable(struct cpu *c)
{
	struct cpu_common *cc = common(c);

	if (cc->dbg)
		return 0;
	if (!(cc->dbg = calloc(1, sizeof(*cc->dbg))))
		return -1;
	cc->dbg->stop_time = UINT64_MAX;
	cc->stores_watched = true;
	if (uc_hook_add(cpu_uc(c), &cc->dbg->mem_hook, UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE, (void *)hook_debug_mem, c,
			1, 0) != UC_ERR_OK) {
		snprintf(c->err, sizeof(c->err), "cannot install the debugger's memory hook");
		return -1;
	}
	return 0;
}

int cpu_debug_break(struct cpu *c, uint64_t pc, bool insert)
{
	struct cpu_debug *d = common(c)->dbg;
	int i;

	if (!d)
		return -1;
	for (i = 0; i < d->nbp; i++)
		if (d->bp[i] == pc) {
			if (!insert)
				d->bp[i] = d->bp[--d->nbp];
			return 0;
		}
	if (!insert || d->nbp == CPU_DBG_MAX_POINTS)
		return insert ? -1 : 0;
	d->bp[d->nbp++] = pc;
	return 0;
}

int cpu_debug_watch(struct cpu *c, uint64_t addr, uint64_t len, enum cpu_debug_why kind, bool insert)
{
	struct cpu_debug *d = common(c)->dbg;
	int i;

	if (!d || len == 0)
		return -1;
	for (i = 0; i < d->nwp; i++)
		if (d->wp[i].addr == addr && d->wp[i].len == len && d->wp[i].kind == kind) {
			if (!insert)
				d->wp[i] = d->wp[--d->nwp];
			return 0;
		}
	if (!insert || d->nwp == CPU_DBG_MAX_POINTS)
		return insert ? -1 : 0;
	d->wp[d->nwp++] = (struct cpu_watchpoint){ .addr = addr, .len = len, .kind = kind };
	return 0;
}

void cpu_debug_clear(struct cpu *c)
{
	struct cpu_debug *d = common(c)->dbg;

	if (d) {
		d->nbp = d->nwp = 0;
		d->step = 0;
		d->watch_hit = false;
		d->stop_time = UINT64_MAX;
	}
}

void cpu_debug_stop_at(struct cpu *c, uint64_t cycle)
{
	if (common(c)->dbg)
		common(c)->dbg->stop_time = cycle;
}

void cpu_debug_step(struct cpu *c, bool on)
{
	if (common(c)->dbg)
		common(c)->dbg->step = on ? 1 : 0;
}

/* Host bytes behind virtual @va (not crossing a page), as the vCPU would see them now. */
static uint8_t *debug_ptr(struct cpu *c, uint64_t va, size_t n)
{
	const struct cpu_arch_ops *ops = arch_ops(c->arch);
	const uint8_t *p = ops->code_ptr ? ops->code_ptr(c, va, n) : cpu_host_ptr(c, va, n);

	return (uint8_t *)p;
}

static int debug_copy(struct cpu *c, uint64_t va, uint8_t *buf, size_t n, bool write)
{
	while (n) {
		size_t chunk = 0x1000 - (va & 0xfff);
		uint8_t *p;

		if (chunk > n)
			chunk = n;
		if (!(p = debug_ptr(c, va, chunk)))
			return -1;
		if (write) {
			memcpy(p, buf, chunk);
			uc_ctl_remove_cache(cpu_uc(c), va, va + chunk); /* code written: translate it again */
		} else {
			memcpy(buf, p, chunk);
		}
		va += chunk;
		buf += chunk;
		n -= chunk;
	}
	return 0;
}

int cpu_debug_read(struct cpu *c, uint64_t va, void *buf, size_t n)
{
	return debug_copy(c, va, buf, n, false);
}

int cpu_debug_write(struct cpu *c, uint64_t va, const void *buf, size_t n)
{
	return debug_copy(c, va, (uint8_t *)buf, n, true);
}
