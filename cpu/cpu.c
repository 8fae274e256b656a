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

struct cpu_common {
	void *fw;               /* boot-stub page */
	uc_hook code_hook, mem_hook;
	/* Set by the invalid-memory hook, consumed after uc_emu_start(). */
	bool mem_fault;
	uc_mem_type mem_type;
	uint64_t mem_addr;
	void *arch;             /* per-architecture state */
};

static const struct cpu_arch_ops *arch_ops(enum cpu_arch arch)
{
	return arch == CPU_ARM64 ? &cpu_arm64_ops : &cpu_riscv64_ops;
}

static struct cpu_common *common(struct cpu *c)
{
	return c->priv;
}

const char *cpu_arch_name(enum cpu_arch arch)
{
	return arch == CPU_ARM64 ? "arm64" : "riscv64";
}

/*
 * The clock: fires before each instruction.  Stopping here prevents the
 * instruction from executing, exactly as Unicorn's own `count` does.
 */
static void hook_code(uc_engine *uc, uint64_t addr, uint32_t size, void *user)
{
	struct cpu *c = user;

	(void)uc;
	(void)addr;
	(void)size;
	if (__builtin_expect(c->now >= c->stop_at, 0)) {
		cpu_request_stop(c, CPU_RUN_LIMIT);
		return;
	}
	c->now++;
}

static bool hook_mem_invalid(uc_engine *uc, uc_mem_type type, uint64_t addr, int size,
			     int64_t value, void *user)
{
	struct cpu *c = user;
	struct cpu_common *cc = common(c);

	(void)uc;
	(void)size;
	(void)value;
	cc->mem_fault = true;
	cc->mem_type = type;
	cc->mem_addr = addr;
	return false;
}

/* Several hooks may ask to stop in one run: the most severe reason wins. */
void cpu_request_stop(struct cpu *c, int reason)
{
	if (!c->stop_requested || reason > c->stop_reason)
		c->stop_reason = reason;
	c->stop_requested = true;
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

	if (a == CPU_STOP)
		cpu_request_stop(c, CPU_RUN_STOPPED);
	return a;
}

void cpu_report_fault(struct cpu *c, struct cpu_exit *e)
{
	e->kind = CPU_EXIT_FAULT;
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
	return uc_mem_read(cpu_uc(c), addr, insn, sizeof(*insn)) == UC_ERR_OK;
}

int cpu_run_stub(struct cpu *c, const uint32_t *code, size_t n, uint64_t count)
{
	struct cpu_common *cc = common(c);
	uc_err err;

	memcpy(cc->fw, code, n * sizeof(*code));
	c->now = 0;
	c->stop_at = count;
	c->stop_requested = false;
	err = uc_emu_start(cpu_uc(c), CPU_FW_BASE, UINT64_MAX, 0, 0);
	if (err != UC_ERR_OK || c->now != count) {
		snprintf(c->err, sizeof(c->err), "boot stub failed: %s (ran %" PRIu64 " of %" PRIu64 " instructions)",
			 uc_strerror(err), c->now, count);
		return -1;
	}
	return 0;
}

int cpu_create(struct cpu *c, enum cpu_arch arch, int index, cpu_exit_fn on_exit, void *ctx)
{
	const struct cpu_arch_ops *ops = arch_ops(arch);
	struct cpu_common *cc;
	uc_engine *uc;
	uc_err err;

	memset(c, 0, sizeof(*c));
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
	if (uc_mem_map_ptr(uc, CPU_FW_BASE, CPU_FW_SIZE, UC_PROT_ALL, cc->fw) != UC_ERR_OK ||
	    uc_hook_add(uc, &cc->code_hook, UC_HOOK_CODE, (void *)hook_code, c, 1, 0) != UC_ERR_OK ||
	    uc_hook_add(uc, &cc->mem_hook, UC_HOOK_MEM_INVALID, (void *)hook_mem_invalid, c, 1, 0) != UC_ERR_OK) {
		snprintf(c->err, sizeof(c->err), "cannot set up the %s vCPU", cpu_arch_name(arch));
		cpu_destroy(c);
		return -1;
	}
	if (ops->init(c) < 0) {
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
	if (c->uc)
		uc_close(cpu_uc(c));
	if (cc) {
		free(cc->arch);
		free(cc->fw);
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
	uc_err err = uc_mem_map_ptr(cpu_uc(c), base, size, UC_PROT_ALL, host);

	if (err != UC_ERR_OK) {
		snprintf(c->err, sizeof(c->err), "cannot map RAM 0x%" PRIx64 "+0x%" PRIx64 ": %s",
			 base, size, uc_strerror(err));
		return -1;
	}
	return 0;
}

int cpu_boot(struct cpu *c, uint64_t entry, uint64_t arg0)
{
	return arch_ops(c->arch)->boot(c, entry, arg0);
}

/* A load or store that faulted was counted by the hook but did not retire. */
static enum cpu_run_result report_mem_fault(struct cpu *c)
{
	struct cpu_common *cc = common(c);
	struct cpu_exit e = { .kind = CPU_EXIT_FAULT };
	bool fetch = cc->mem_type == UC_MEM_FETCH_UNMAPPED || cc->mem_type == UC_MEM_FETCH_PROT;

	cc->mem_fault = false;
	if (!fetch && c->now > 0)
		c->now--;
	e.pc = cpu_pc(c);
	e.time = c->now;
	e.fault.kind = fetch ? CPU_FAULT_FETCH_ABORT : CPU_FAULT_DATA_ABORT;
	e.fault.addr = cc->mem_addr;
	if (c->arch == CPU_ARM64)
		e.fault.syndrome = ((fetch ? 0x21ULL : 0x25ULL) << 26) | (1u << 25) |
				   ((cc->mem_type == UC_MEM_WRITE_UNMAPPED || cc->mem_type == UC_MEM_WRITE_PROT) ? 1u << 6 : 0);
	else
		e.fault.syndrome = fetch ? 1 : (cc->mem_type == UC_MEM_WRITE_UNMAPPED || cc->mem_type == UC_MEM_WRITE_PROT) ? 7 : 5;
	if (!fetch)
		cpu_fetch32(c, e.pc, &e.fault.insn);
	c->on_exit(c->ctx, c, &e);
	return CPU_RUN_FAULT;
}

enum cpu_run_result cpu_run(struct cpu *c, uint64_t limit)
{
	const struct cpu_arch_ops *ops = arch_ops(c->arch);

	for (;;) {
		uc_err err;
		int r;

		if (c->now >= limit)
			return CPU_RUN_LIMIT;
		c->stop_at = limit;
		c->stop_requested = false;
		c->stop_reason = CPU_RUN_RESTART;
		ops->before_run(c);
		c->running = true;
		err = uc_emu_start(cpu_uc(c), cpu_pc(c), UINT64_MAX, 0, 0);
		c->running = false;
		if (c->pc_deferred) {
			c->pc_deferred = false;
			cpu_set_pc(c, c->pc_after_stop);
		}
		if (common(c)->mem_fault)
			return report_mem_fault(c);
		r = ops->after_run(c);
		if (r != CPU_RUN_NONE)
			;
		else if (c->stop_requested)
			r = c->stop_reason;
		else if (err != UC_ERR_OK) {
			snprintf(c->err, sizeof(c->err), "unicorn: %s at pc 0x%" PRIx64, uc_strerror(err), cpu_pc(c));
			return CPU_RUN_ERROR;
		} else
			r = ops->classify_return(c);
		if (r != CPU_RUN_RESTART)
			return r;
	}
}

int cpu_irq_set(struct cpu *c, unsigned line, bool level)
{
	return arch_ops(c->arch)->irq_set(c, line, level);
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

int cpu_reg_lookup(enum cpu_arch arch, const char *name)
{
	const struct cpu_reg_name *r;

	for (r = arch_ops(arch)->regs; r->name; r++)
		if (strcmp(r->name, name) == 0)
			return r->reg;
	return -1;
}

int cpu_reg_read(struct cpu *c, int reg, uint64_t *val)
{
	return uc_reg_read(cpu_uc(c), reg, val) == UC_ERR_OK ? 0 : -1;
}

int cpu_reg_write(struct cpu *c, int reg, uint64_t val)
{
	return uc_reg_write(cpu_uc(c), reg, &val) == UC_ERR_OK ? 0 : -1;
}
