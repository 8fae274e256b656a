/* SPDX-License-Identifier: MIT */
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "binding.h"
#include "machine.h"

static void set_err(struct machine *m, const char *msg)
{
	snprintf(m->err, sizeof(m->err), "%s", msg);
}

/* ---- memory ------------------------------------------------------------- */

uint8_t *machine_mem_ptr(struct machine *m, uint64_t addr, size_t len)
{
	int i;

	for (i = 0; i < m->cfg.nmem; i++) {
		struct mem_region *r = &m->cfg.mem[i];

		if (addr >= r->base && addr - r->base <= r->size && len <= r->size - (addr - r->base))
			return r->host + (addr - r->base);
	}
	return NULL;
}

int machine_mem_read(struct machine *m, uint64_t addr, void *buf, size_t len)
{
	uint8_t *p = machine_mem_ptr(m, addr, len);

	if (!p)
		return -1;
	memcpy(buf, p, len);
	return 0;
}

int machine_mem_write(struct machine *m, uint64_t addr, const void *buf, size_t len)
{
	uint8_t *p = machine_mem_ptr(m, addr, len);

	if (!p)
		return -1;
	memcpy(p, buf, len);
	return 0;
}

/* ---- events and the console --------------------------------------------- */

/* Whether anything sees the events' lines (a trace, an observer, `expect event`). */
static bool observed(const struct machine *m)
{
	return (m->trace != NULL && !m->trace_truncated) || (m->obs && m->obs->event) || m->capture;
}

bool machine_count(struct machine *m, int kind)
{
	m->counts[kind]++;
	return observed(m);
}

static void set_state(struct machine *m, struct vcpu *v, enum vcpu_state st, uint64_t cycle);
static bool any_state(struct machine *m, enum vcpu_state s);

static void observe(struct machine *m, const struct tline *l)
{
	if (m->obs && m->obs->event)
		m->obs->event(m->obs->ctx, m, l->buf, l->len);
	if (m->capture)
		m->capture->event(m->capture->ctx, m, l->buf, l->len);
}

/* A runaway guest must not fill the disk: stop tracing at the limit, and say so. */
static void write_trace(struct machine *m, struct tline *l)
{
	uint64_t limit = m->trace_limit ? m->trace_limit : MACHINE_DEFAULT_TRACE_LIMIT;

	if (!m->trace || m->trace_truncated || (m->trace_kinds && !((m->trace_kinds >> l->kind) & 1)))
		return;
	if (m->trace_bytes + l->len + 2 > limit) {
		m->trace_truncated = true;
		fprintf(m->trace, "{\"kind\":\"trace-truncated\",\"limit\":%llu}\n", (unsigned long long)limit);
		return;
	}
	m->trace_bytes += l->len + 2;
	tl_write(l, m->trace);
}

void machine_emit(struct machine *m, struct tline *l)
{
	machine_trace(m, l, l->pc); /* with --disasm every event with a PC gets its instruction */
}

/* The code bytes at @pc as the line's vCPU fetches them (a virtual address with paging on), else from RAM. */
static int code_read(struct machine *m, const struct tline *l, uint64_t pc, void *buf, size_t n)
{
	if (l->vcpu >= 0 && l->vcpu < m->cfg.nvcpus && cpu_code_read(&m->vcpus[l->vcpu].cpu, pc, buf, n) == 0)
		return 0;
	return machine_mem_read(m, pc, buf, n);
}

/* Add "insn": the instruction at pc as d disassembles it. */
static void tl_insn(struct machine *m, struct cpu_disasm *d, struct tline *l, uint64_t pc)
{
	uint8_t code[6] = { 0 };
	char text[96];
	size_t want = cpu_arch_info(m->cfg.arch)->max_insn_len;
	size_t n = code_read(m, l, pc, code, want) == 0 ? want : code_read(m, l, pc, code, 4) == 0 ? 4 : 0;

	cpu_disasm(d, code, n, pc, text, sizeof(text));
	tl_str(l, "insn", text);
}

void machine_trace(struct machine *m, struct tline *l, uint64_t pc)
{
	observe(m, l);
	if (!m->trace || m->trace_truncated)
		return;
	if (m->disasm)
		tl_insn(m, m->disasm, l, pc);
	write_trace(m, l);
}

void machine_console_put(struct machine *m, const char *s, size_t len)
{
	struct console *c = &m->console;
	size_t room = MACHINE_CONSOLE_MAX - c->len;

	if (c->echo) {
		fwrite(s, 1, len, c->echo);
		fflush(c->echo);
	}
	if (len > room) {
		c->truncated = true;
		len = room;
	}
	memcpy(c->buf + c->len, s, len);
	c->len += len;
}

void machine_exit(struct machine *m, struct vcpu *v, uint64_t pc, uint64_t time, int64_t code,
		  const char *how)
{
	int i;

	m->exited = true;
	m->exit_code = code;
	for (i = 0; i < m->cfg.nvcpus; i++)
		if (m->vcpus[i].state == VCPU_RUNNING || m->vcpus[i].state == VCPU_IDLE)
			set_state(m, &m->vcpus[i], VCPU_EXITED, time);
	if (machine_count(m, EV_EXIT)) {
		struct tline l;

		tl_begin(&l, EV_EXIT, time, v->cpu.index, pc);
		tl_i64(&l, "code", code);
		tl_str(&l, "how", how);
		machine_trace(m, &l, pc);
	}
}

void machine_hyp_panic(struct machine *m, const struct vcpu *v, uint64_t time, uint64_t pc, const char *where,
		       const char *reason, uint64_t page)
{
	m->halted = true;
	if (machine_count(m, EV_HYP_PANIC)) {
		struct tline l;

		tl_begin(&l, EV_HYP_PANIC, time, v ? v->cpu.index : 0, pc);
		tl_str(&l, "model", where);
		tl_str(&l, "reason", reason);
		tl_hex(&l, "page", page);
		machine_emit(m, &l);
	}
}

uint64_t machine_retired(const struct vcpu *v)
{
	return v->cpu.now - v->idle_cycles;
}

/* ---- exits from the cpu layer ------------------------------------------- */

void machine_trace_counter(struct machine *m, struct vcpu *v, uint64_t time, uint64_t pc, enum cpu_counter which,
			   uint64_t value)
{
	static const char *const names[] = { "virtual", "physical", "freq" };

	if (machine_count(m, EV_COUNTER_READ)) {
		struct tline l;

		tl_begin(&l, EV_COUNTER_READ, time, v->cpu.index, pc);
		tl_str(&l, "counter", names[which]);
		tl_u64(&l, "value", value);
		machine_trace(m, &l, pc);
	}
}

static void counter_read(struct machine *m, struct vcpu *v, struct cpu_exit *e)
{
	switch (e->counter.which) {
	case CPU_CNT_VIRTUAL:
	case CPU_CNT_PHYSICAL:
		e->counter.value = vclock_ticks(&m->clk, e->time);
		break;
	case CPU_CNT_FREQ:
		/* CNTFRQ_EL0 holds the frequency in bits [31:0]. */
		e->counter.value = m->clk.timebase_hz & 0xffffffffu;
		break;
	}
	machine_trace_counter(m, v, e->time, e->pc, e->counter.which, e->counter.value);
}

/* A synchronous exception the guest's own vector took (arm64 VBAR_EL1, riscv stvec, or mtvec under guest firmware). */
static void guest_exception(struct machine *m, struct vcpu *v, const struct cpu_exit *e)
{
	if (machine_count(m, EV_EXCEPTION)) {
		struct tline l;

		bool a64 = m->cfg.arch == CPU_ARM64;

		tl_begin(&l, EV_EXCEPTION, e->time, v->cpu.index, e->pc);
		tl_hex(&l, a64 ? "esr" : e->exception.to_m ? "mcause" : "scause", e->exception.esr);
		if (e->exception.has_far)
			tl_hex(&l, a64 ? "far" : e->exception.to_m ? "mtval" : "stval", e->exception.far);
		tl_u64(&l, a64 ? "from_el" : "from_priv", e->exception.from_el);
		tl_hex(&l, "vector", e->exception.vector);
		machine_trace(m, &l, e->pc);
	}
}

static void guest_fault(struct machine *m, struct vcpu *v, const struct cpu_exit *e)
{
	static const char *const kinds[] = { "undefined-instruction", "syscall", "breakpoint",
					     "data-abort", "fetch-abort", "exception" };

	set_state(m, v, VCPU_FAULTED, e->time);
	if (machine_count(m, EV_GUEST_FAULT)) {
		struct tline l;

		tl_begin(&l, EV_GUEST_FAULT, e->time, v->cpu.index, e->pc);
		tl_str(&l, "fault", kinds[e->fault.kind]);
		tl_hex(&l, cpu_arch_info(m->cfg.arch)->syndrome_name, e->fault.syndrome);
		tl_hex(&l, "addr", e->fault.addr);
		tl_hex(&l, "insn_word", e->fault.insn);
		machine_trace(m, &l, e->pc);
	}
}

/* A store into a `watch writes` range. */
static void watched_store(struct machine *m, struct vcpu *v, const struct cpu_exit *e)
{
	struct tline l;

	if (!machine_count(m, EV_MEM_WRITE))
		return;
	tl_begin(&l, EV_MEM_WRITE, e->time, v->cpu.index, e->pc);
	tl_hex(&l, "addr", e->watch.addr);
	tl_u64(&l, "size", e->watch.size);
	tl_hex(&l, "value", e->watch.value);
	machine_trace(m, &l, e->pc);
}

void machine_trace_mmio(struct machine *m, struct vcpu *v, const struct cpu_exit *e, uint64_t value)
{
	struct tline l;

	if (!machine_count(m, EV_MMIO))
		return;
	tl_begin(&l, EV_MMIO, e->time, v->cpu.index, e->pc);
	tl_str(&l, "access", e->watch.write ? "write" : "read");
	tl_hex(&l, "addr", e->watch.addr);
	tl_u64(&l, "size", e->watch.size);
	tl_hex(&l, "value", value);
	machine_trace(m, &l, e->pc);
}

/* The vCPU whose declared per-CPU area holds @addr, or -1. */
static int percpu_owner(const struct machine *m, uint64_t addr)
{
	int i;

	for (i = 0; i < m->cfg.nvcpus; i++)
		if (m->cfg.percpu[i].size && addr - m->cfg.percpu[i].base < m->cfg.percpu[i].size)
			return i;
	return -1;
}

/*
 * A load or store near other vCPUs' per-CPU areas (the hooks cover runs of
 * them, gaps included): report it when a byte of it lies in another vCPU's area.
 */
static void percpu_access(struct machine *m, struct vcpu *v, const struct cpu_exit *e)
{
	uint64_t last = e->watch.addr + (e->watch.size ? e->watch.size - 1 : 0);
	int owner = percpu_owner(m, e->watch.addr);
	struct percpu_cross *f = &m->first_cross;

	if (owner < 0 || owner == v->cpu.index)
		owner = percpu_owner(m, last);
	if (owner < 0 || owner == v->cpu.index)
		return;
	if (!f->seen)
		*f = (struct percpu_cross){ .seen = true, .vcpu = v->cpu.index, .owner = owner, .time = e->time,
					    .pc = e->pc, .addr = e->watch.addr, .size = e->watch.size,
					    .write = e->watch.write };
	if (machine_count(m, EV_PERCPU_CROSS)) {
		struct tline l;

		tl_begin(&l, EV_PERCPU_CROSS, e->time, v->cpu.index, e->pc);
		tl_str(&l, "access", e->watch.write ? "write" : "read");
		tl_hex(&l, "addr", e->watch.addr);
		tl_u64(&l, "size", e->watch.size);
		tl_u64(&l, "owner", (uint64_t)owner);
		machine_trace(m, &l, e->pc);
	}
}

/* An instruction in a `trace code` range, always with its disassembly. */
static void traced_insn(struct machine *m, struct vcpu *v, const struct cpu_exit *e)
{
	struct tline l;

	if (!machine_count(m, EV_CODE))
		return;
	tl_begin(&l, EV_CODE, e->time, v->cpu.index, e->pc);
	tl_insn(m, m->code_disasm, &l, e->pc);
	machine_emit(m, &l);
}

/*
 * A load or store in a `device` region: a register file that reads back
 * what was stored (little-endian, any width), each access traced as mmio.
 */
/* ---- model bindings ------------------------------------------------------ */

/*
 * A binding's place in the (constant) table.  Models ask for their state on
 * every exit they serve (pKVM twice per hypercall), so the answer is
 * memoised in a small direct-mapped table: a pure function's cache, the
 * same on every run.
 */
int machine_binding_index(const struct model_binding *b)
{
	static const struct model_binding *seen[16];
	static int where[16];
	unsigned h = (unsigned)((uintptr_t)b >> 4) & 15u;
	int i;

	if (seen[h] == b)
		return where[h];
	for (i = 0; machine_bindings[i]; i++)
		if (machine_bindings[i] == b) {
			seen[h] = b;
			where[h] = i;
			return i;
		}
	return -1;
}

int machine_trace_kind(const struct model_binding *b, int i)
{
	const char *const *n;
	int j, k = EV__COUNT;

	for (j = 0; machine_bindings[j] && machine_bindings[j] != b; j++)
		for (n = machine_bindings[j]->trace_kinds; n && *n; n++)
			k++;
	return k + i;
}

const void *machine_model_config(const struct machine *m, const struct model_binding *b)
{
	int i = machine_binding_index(b);

	return i < 0 ? NULL : m->cfg.model_cfg[i];
}

void *machine_model(const struct machine *m, const struct model_binding *b)
{
	int i = machine_binding_index(b);

	return i < 0 ? NULL : m->models[i];
}

/* The exits a binding serves count only while its model is on the machine. */
static void update_model_exits(struct machine *m)
{
	int i;

	m->model_exits = 0;
	for (i = 0; machine_bindings[i]; i++)
		if (m->models[i])
			m->model_exits |= machine_bindings[i]->exits;
}

void machine_set_model(struct machine *m, const struct model_binding *b, void *state)
{
	int i = machine_binding_index(b);

	if (i >= 0) {
		m->models[i] = state;
		update_model_exits(m);
	}
}

void *machine_attach_per_vcpu(struct machine *m, const struct model_binding *b, size_t size)
{
	void *all = calloc((size_t)m->cfg.nvcpus, size);

	if (!all)
		set_err(m, "out of memory");
	else
		machine_set_model(m, b, all);
	return all;
}

bool binding_digest_per_vcpu(const struct machine *m, char *out, size_t n,
			     uint64_t (*digest_of)(const struct machine *m, int vcpu))
{
	size_t len = 0;
	int i;

	len += (size_t)snprintf(out, n, "[");
	for (i = 0; i < m->cfg.nvcpus && len < n; i++)
		len += (size_t)snprintf(out + len, n - len, "%s\"0x%016" PRIx64 "\"", i ? "," : "", digest_of(m, i));
	if (len < n)
		snprintf(out + len, n - len, "]");
	return true;
}

void machine_attach_stateless(struct machine *m, const struct model_binding *b)
{
	machine_set_model(m, b, (void *)b);
}

uint64_t machine_model_event(struct machine *m, const struct model_binding *b, uint64_t when, int vcpu, uint64_t a0,
			     uint64_t a1)
{
	int i = machine_binding_index(b);

	if (i < 0 || when > MACHINE_TIME_END)
		return 0; /* past the end of time: never */
	return evq_push(&m->evq, when, EVK_MODEL + i, vcpu, a0, a1);
}

void machine_model_edge(struct machine *m, const struct model_binding *b, uint64_t *ev, struct vcpu *v,
			uint64_t cycle, bool has_next, uint64_t ticks, uint64_t a0)
{
	uint64_t when;

	if (*ev) {
		evq_cancel(&m->evq, *ev);
		*ev = 0;
	}
	if (!has_next || (when = vclock_cycle_after(&m->clk, cycle, ticks)) == VCLOCK_NEVER)
		return;
	*ev = machine_model_event(m, b, when, v->cpu.index, a0, 0);
	cpu_lower_limit(&v->cpu, when);
}

static enum cpu_action model_exit(struct machine *m, struct vcpu *v, struct cpu_exit *e)
{
	int i;

	for (i = 0; machine_bindings[i]; i++) {
		enum cpu_action a;

		if (!m->models[i] || !(machine_bindings[i]->exits & (1u << e->kind)))
			continue;
		a = machine_bindings[i]->on_exit(m, v, e);
		/* a system register goes on to the next binding until one performs it */
		if (e->kind != CPU_EXIT_SYSREG || e->sysreg.result == CPU_SYSREG_DONE || a == CPU_STOP)
			return a;
	}
	return e->kind == CPU_EXIT_SYSREG ? CPU_RESUME : CPU_STOP;
}

int machine_map_mmio(struct machine *m, const struct model_binding *b, uint64_t base, uint64_t size)
{
	int i, owner = machine_binding_index(b);

	if (owner < 0 || m->nmmio == CPU_MAX_DEVICES) {
		snprintf(m->err, sizeof(m->err), "at most %d device regions", CPU_MAX_DEVICES);
		return -1;
	}
	for (i = 0; i < m->cfg.nvcpus; i++)
		if (cpu_map_device(&m->vcpus[i].cpu, base, size) < 0) {
			snprintf(m->err, sizeof(m->err), "vcpu %d: %s", i, m->vcpus[i].cpu.err);
			return -1;
		}
	m->mmio[m->nmmio++] = (struct mmio_region){ .base = base, .size = size, .owner = owner };
	return 0;
}

/* A device access goes to the binding that mapped the region. */
static enum cpu_action mmio_exit(struct machine *m, struct vcpu *v, struct cpu_exit *e)
{
	int i;

	for (i = 0; i < m->nmmio; i++)
		if (e->watch.addr - m->mmio[i].base < m->mmio[i].size)
			return machine_bindings[m->mmio[i].owner]->on_exit(m, v, e);
	return CPU_RESUME;
}

static int attach_models(struct machine *m)
{
	int i;

	for (i = 0; machine_bindings[i]; i++)
		if (i == MACHINE_MAX_MODELS) {
			set_err(m, "the model-binding table is longer than MACHINE_MAX_MODELS");
			return -1;
		}
	for (i = 0; machine_bindings[i]; i++)
		if (machine_bindings[i]->attach && machine_bindings[i]->attach(m) < 0)
			return -1;
	return 0;
}

static void detach_models(struct machine *m)
{
	int i;

	for (i = 0; machine_bindings[i]; i++) {
		if (m->models[i] && machine_bindings[i]->detach)
			machine_bindings[i]->detach(m);
		m->models[i] = NULL;
	}
}

/* Return: 0, or -1 when a binding could not set the vCPU up (its message in m->err). */
static int boot_models(struct machine *m, struct vcpu *v)
{
	int i;

	m->err[0] = '\0';
	for (i = 0; machine_bindings[i]; i++)
		if (m->models[i] && machine_bindings[i]->vcpu_boot)
			machine_bindings[i]->vcpu_boot(m, v);
	return m->err[0] ? -1 : 0;
}

/*
 * A scenario's interrupt line changed at @when: an interrupt controller
 * takes it (and drives the CPU's inputs), else it goes to the CPU as it is.
 * Return: whether @v's interrupt input is now raised.
 */
static bool model_irq_line(struct machine *m, struct vcpu *v, unsigned line, bool level, uint64_t when)
{
	int i;

	for (i = 0; machine_bindings[i]; i++)
		if (m->models[i] && machine_bindings[i]->irq_line)
			return machine_bindings[i]->irq_line(m, v, line, level, when);
	machine_irq_set(m, v, line, level, when);
	return level;
}

static void model_event(struct machine *m, const struct event *e)
{
	const struct model_binding *b = machine_bindings[e->kind - EVK_MODEL];

	if (m->models[e->kind - EVK_MODEL] && b->on_event)
		b->on_event(m, e);
}

/* ---- exits ---------------------------------------------------------------- */

/* The waveform's strobes: a call served, a stage-2 fault, an exception entered. */
static void wave_strobe(struct machine *m, struct vcpu *v, const struct cpu_exit *e)
{
	int sig = e->kind == CPU_EXIT_HCALL ? WAVE_HCALL : e->kind == CPU_EXIT_STAGE2 ? WAVE_S2FAULT
		  : e->kind == CPU_EXIT_EXCEPTION ? WAVE_EXCEPTION : -1;

	if (sig >= 0)
		machine_wave(m, v->cpu.index, sig, 1, e->time);
}

/*
 * IC IALLUIS / IC IVAU on @v: every other vCPU drops its translated blocks
 * (of the 64-byte line, IminLine of the modelled CPUs' CTR_EL0), so code
 * @v stored is what they run next.  @v's own Unicorn already retranslates
 * after its own stores.  For IC IALLUIS those are the lines @v cleaned with
 * DC since its last one (code must be cleaned before it can be fetched):
 * dropping all of a Unicorn instance's blocks costs 0.1-1.4 s here.
 */
static void icache_broadcast(struct machine *m, struct vcpu *v, const struct cpu_exit *e)
{
	int i;

	for (i = 0; i < m->cfg.nvcpus; i++) {
		if (&m->vcpus[i] == v)
			continue;
		if (!e->icache.all)
			cpu_code_sync_lines(&m->vcpus[i].cpu, &e->icache.pa, 1);
		else if (e->icache.overflow)
			cpu_code_sync(&m->vcpus[i].cpu);
		else
			cpu_code_sync_lines(&m->vcpus[i].cpu, e->icache.lines, e->icache.nlines);
	}
}

static enum cpu_action handle_exit(void *ctx, struct cpu *c, struct cpu_exit *e)
{
	struct vcpu *v = ctx;
	struct machine *m = v->m;

	(void)c;
	if (m->wave)
		wave_strobe(m, v, e);
	if (m->model_exits & (1u << e->kind))
		return model_exit(m, v, e);
	switch (e->kind) {
	case CPU_EXIT_COUNTER:
		counter_read(m, v, e);
		return CPU_RESUME;
	case CPU_EXIT_FAULT:
		guest_fault(m, v, e);
		return CPU_STOP;
	case CPU_EXIT_HCALL:
	case CPU_EXIT_SEMIHOST:
	case CPU_EXIT_STAGE2:
	case CPU_EXIT_CSR:
	case CPU_EXIT_SIC:
		break; /* a binding's, and none on this machine serves it */
	case CPU_EXIT_WATCH:
		watched_store(m, v, e);
		return CPU_RESUME;
	case CPU_EXIT_CODE:
		traced_insn(m, v, e);
		return CPU_RESUME;
	case CPU_EXIT_ACCESS:
		percpu_access(m, v, e);
		return CPU_RESUME;
	case CPU_EXIT_MMIO:
		return mmio_exit(m, v, e);
	case CPU_EXIT_SYSREG:
		e->sysreg.result = CPU_SYSREG_NATIVE; /* no model owns it: the CPU's own register */
		return CPU_RESUME;
	case CPU_EXIT_EXCEPTION:
		guest_exception(m, v, e);
		return CPU_RESUME;
	case CPU_EXIT_ICACHE:
		icache_broadcast(m, v, e);
		return CPU_RESUME;
	case CPU_EXIT_LEVEL:
		if (e->level.mask)
			machine_wave(m, v->cpu.index, WAVE_ENABLES, e->level.enables, e->time);
		else
			machine_wave(m, v->cpu.index, WAVE_LEVEL, (uint64_t)e->level.now, e->time);
		return CPU_RESUME;
	}
	return CPU_STOP;
}

/* ---- lifetime ----------------------------------------------------------- */

int machine_check_percpu(const struct machine_config *cfg, char *err, size_t len)
{
	int i, j;

	for (i = 0; i < MACHINE_MAX_VCPUS; i++) {
		uint64_t b = cfg->percpu[i].base, n = cfg->percpu[i].size;

		if (!n)
			continue;
		if (i >= cfg->nvcpus || b + n - 1 < b) {
			snprintf(err, len, "per-CPU area of vcpu %d: %s", i,
				 i >= cfg->nvcpus ? "no such vCPU" : "the range wraps past 2^64");
			return -1;
		}
		for (j = 0; j < i; j++)
			if (cfg->percpu[j].size && b <= cfg->percpu[j].base + cfg->percpu[j].size - 1 &&
			    cfg->percpu[j].base <= b + n - 1) {
				snprintf(err, len, "per-CPU areas of vcpus %d and %d overlap", j, i);
				return -1;
			}
	}
	return 0;
}

static int check_config(struct machine *m, const struct machine_config *cfg)
{
	int i, j;

	if (cfg->nvcpus < 1 || cfg->nvcpus > MACHINE_MAX_VCPUS) {
		snprintf(m->err, sizeof(m->err), "vcpus must be 1..%d", MACHINE_MAX_VCPUS);
		return -1;
	}
	if (cfg->nmem < 1) {
		set_err(m, "no memory configured");
		return -1;
	}
	if (machine_check_percpu(cfg, m->err, sizeof(m->err)) < 0)
		return -1;
	for (i = 0; i < cfg->nmem; i++) {
		const struct mem_region *a = &cfg->mem[i];

		if (a->size > MACHINE_MAX_REGION) {
			snprintf(m->err, sizeof(m->err), "memory region of %" PRIu64 " bytes is larger than %llu GiB",
				 a->size, MACHINE_MAX_REGION >> 30);
			return -1;
		}
		if (a->size == 0 || a->size % 4096 || a->base % 4096 || a->base + a->size < a->base) {
			snprintf(m->err, sizeof(m->err),
				 "memory 0x%" PRIx64 "+0x%" PRIx64 ": base and size must be non-zero multiples of 4 KiB",
				 a->base, a->size);
			return -1;
		}
		if (a->base < CPU_FW_BASE + CPU_FW_SIZE && CPU_FW_BASE < a->base + a->size) {
			snprintf(m->err, sizeof(m->err),
				 "memory 0x%" PRIx64 "+0x%" PRIx64 " overlaps the boot page at 0x%llx",
				 a->base, a->size, CPU_FW_BASE);
			return -1;
		}
		for (j = 0; j < i; j++) {
			const struct mem_region *b = &cfg->mem[j];

			if (a->base < b->base + b->size && b->base < a->base + a->size) {
				set_err(m, "memory regions overlap");
				return -1;
			}
		}
	}
	return 0;
}

static int alloc_ram(struct machine *m)
{
	int i;

	for (i = 0; i < m->cfg.nmem; i++) {
		struct mem_region *r = &m->cfg.mem[i];

		/* Zero pages, committed only when the guest touches them. */
		void *p = mmap(NULL, r->size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
			       -1, 0);

		if (p == MAP_FAILED) {
			snprintf(m->err, sizeof(m->err), "cannot allocate %" PRIu64 " bytes of guest RAM", r->size);
			return -1;
		}
		r->host = p;
	}
	return 0;
}

void machine_ram_untouched(const struct machine *m, int region, uint64_t first, uint64_t n, bool *untouched)
{
	const uint64_t host_page = (uint64_t)sysconf(_SC_PAGESIZE);
	uint64_t entries[512], va = (uint64_t)(uintptr_t)m->cfg.mem[region].host + first * 4096, i = 0;
	int fd = host_page == 4096 ? open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC) : -1;

	memset(untouched, 0, n * sizeof(*untouched));
	while (fd >= 0 && i < n) {
		uint64_t k = n - i < 512 ? n - i : 512, j;
		ssize_t got = pread(fd, entries, k * 8, (off_t)((va / 4096 + i) * 8));

		if (got != (ssize_t)(k * 8))
			break;
		for (j = 0; j < k; j++) /* bit 63: present, bit 62: swapped (Documentation/admin-guide/mm/pagemap.rst) */
			untouched[i + j] = !(entries[j] >> 62);
		i += k;
	}
	if (fd >= 0)
		close(fd);
}

/*
 * Hooks for vCPU @self over the other vCPUs' per-CPU areas: one per run of
 * consecutive areas (in address order) that are not its own, so its own
 * accesses never reach the callback unless they fall in a gap.
 */
static int percpu_hooks(struct machine *m, struct vcpu *self)
{
	int order[MACHINE_MAX_VCPUS], n = 0, i, j;

	for (i = 0; i < m->cfg.nvcpus; i++)
		if (m->cfg.percpu[i].size) {
			for (j = n++; j > 0 && m->cfg.percpu[order[j - 1]].base > m->cfg.percpu[i].base; j--)
				order[j] = order[j - 1];
			order[j] = i;
		}
	for (i = 0; i < n; i = j) {
		uint64_t begin, end = 0;

		if (order[i] == self->cpu.index) {
			j = i + 1;
			continue;
		}
		begin = m->cfg.percpu[order[i]].base;
		for (j = i; j < n && order[j] != self->cpu.index; j++)
			end = m->cfg.percpu[order[j]].base + m->cfg.percpu[order[j]].size - 1;
		if (cpu_watch_access(&self->cpu, begin, end) < 0)
			return -1;
	}
	return 0;
}

static int create_vcpus(struct machine *m)
{
	int i, j;

	m->vcpus = calloc((size_t)m->cfg.nvcpus, sizeof(*m->vcpus));
	if (!m->vcpus) {
		set_err(m, "out of memory");
		return -1;
	}
	for (i = 0; i < m->cfg.nvcpus; i++) {
		struct vcpu *v = &m->vcpus[i];

		v->m = m;
		if (cpu_create(&v->cpu, m->cfg.arch, i, m->cfg.clock, handle_exit, v) < 0) {
			snprintf(m->err, sizeof(m->err), "vcpu %d: %s", i, v->cpu.err);
			return -1;
		}
		for (j = 0; j < m->cfg.nmem; j++) {
			struct mem_region *r = &m->cfg.mem[j];

			if (cpu_map_ram(&v->cpu, r->base, r->size, r->host) < 0) {
				snprintf(m->err, sizeof(m->err), "vcpu %d: %s", i, v->cpu.err);
				return -1;
			}
		}
		for (j = 0; j < m->cfg.nwatch; j++)
			if (cpu_watch_writes(&v->cpu, m->cfg.watch[j].base,
					     m->cfg.watch[j].base + m->cfg.watch[j].size - 1) < 0)
				goto fail;
		for (j = 0; j < m->cfg.ncode; j++)
			if (cpu_trace_code(&v->cpu, m->cfg.code[j].base, m->cfg.code[j].base + m->cfg.code[j].size - 1) < 0)
				goto fail;
		if (percpu_hooks(m, v) < 0)
			goto fail;
	}
	if (m->cfg.ncode && !(m->code_disasm = cpu_disasm_open(m->cfg.arch))) {
		set_err(m, "cannot open the disassembler for 'trace code'");
		return -1;
	}
	return 0;
fail:
	snprintf(m->err, sizeof(m->err), "vcpu %d: %s", i, m->vcpus[i].cpu.err);
	return -1;
}

int machine_create(struct machine *m, const struct machine_config *cfg)
{
	memset(m, 0, sizeof(*m));
	if (check_config(m, cfg) < 0)
		return -1;
	m->cfg = *cfg;
	m->last_vcpu = -1;
	if (!m->cfg.quantum)
		m->cfg.quantum = MACHINE_DEFAULT_QUANTUM;
	evq_init(&m->evq);
	if (vclock_init(&m->clk, cfg->cpu_hz, cfg->timebase_hz) < 0) {
		set_err(m, "cpu-freq and timebase must be non-zero");
		return -1;
	}
	m->clk.offset = cfg->counter_start;
	if (!cfg->horizon)
		m->horizon_cycles = vclock_cycle_for_ns(&m->clk, MACHINE_DEFAULT_HORIZON_NS);
	else
		m->horizon_cycles = cfg->horizon_ns ? vclock_cycle_for_ns(&m->clk, cfg->horizon) : cfg->horizon;
	m->console.buf = malloc(MACHINE_CONSOLE_MAX);
	if (!m->console.buf) {
		set_err(m, "out of memory");
		return -1;
	}
	if (alloc_ram(m) < 0 || create_vcpus(m) < 0 || attach_models(m) < 0)
		return -1;
	return 0;
}

void machine_destroy(struct machine *m)
{
	int i;

	if (m->vcpus) {
		for (i = 0; i < m->cfg.nvcpus; i++)
			if (m->vcpus[i].cpu.uc)
				cpu_destroy(&m->vcpus[i].cpu);
		free(m->vcpus);
	}
	for (i = 0; i < m->cfg.nmem; i++)
		if (m->cfg.mem[i].host)
			munmap(m->cfg.mem[i].host, m->cfg.mem[i].size);
	free(m->console.buf);
	detach_models(m);
	if (m->code_disasm)
		cpu_disasm_close(m->code_disasm);
	evq_free(&m->evq);
	memset(m, 0, sizeof(*m));
}

/* ---- interrupts ---------------------------------------------------------- */

static bool irq_target_ok(const struct machine *m, int vcpu, unsigned line)
{
	if (vcpu < 0 || vcpu >= m->cfg.nvcpus)
		return false;
	return cpu_arch_irq_ok(m->cfg.arch, line);
}

int machine_schedule_irq(struct machine *m, int vcpu, unsigned line, bool level, uint64_t when)
{
	if (!irq_target_ok(m, vcpu, line))
		return -1;
	if (when > MACHINE_TIME_END)
		return -2; /* past the end of time */
	if (when < m->now)
		when = m->now;
	return evq_push(&m->evq, when, EVK_IRQ, vcpu, line, level) ? 0 : -1;
}

int machine_schedule_irq_every(struct machine *m, int vcpu, unsigned line, uint64_t first, uint64_t period,
			       uint64_t times)
{
	if (!irq_target_ok(m, vcpu, line) || period == 0 || times > MACHINE_IRQ_EVERY_MAX_TIMES)
		return -1;
	if (first > MACHINE_TIME_END)
		return -2;
	if (first < m->now)
		first = m->now;
	return evq_push(&m->evq, first, EVK_IRQ_EVERY, vcpu, line | times << 16, period) ? 0 : -1;
}

void machine_set_counter(struct machine *m, uint64_t value)
{
	machine_set_counter_at(m, m->now, value);
}

void machine_set_counter_at(struct machine *m, uint64_t cycle, uint64_t value)
{
	int i;

	vclock_set_ticks(&m->clk, cycle, value);
	if (!m->booted)
		return; /* the models take the counter from here as their vCPUs boot */
	for (i = 0; machine_bindings[i]; i++)
		if (m->models[i] && machine_bindings[i]->counter_set)
			machine_bindings[i]->counter_set(m);
}

void machine_attach_wave(struct machine *m, struct machine_wave *w)
{
	int i;

	m->wave = w;
	for (i = 0; i < m->cfg.nvcpus; i++)
		cpu_watch_level(&m->vcpus[i].cpu, w != NULL);
}

int machine_irq_set(struct machine *m, struct vcpu *v, unsigned line, bool level, uint64_t cycle)
{
	int r = cpu_irq_set(&v->cpu, line, level);

	machine_wave(m, v->cpu.index, WAVE_IRQ, v->cpu.irq_lines, cycle);
	return r;
}

static void set_state(struct machine *m, struct vcpu *v, enum vcpu_state st, uint64_t cycle)
{
	if (st == VCPU_RUNNING)
		m->stretch++;
	v->state = st;
	machine_wave(m, v->cpu.index, WAVE_STATE, st, cycle);
}

int machine_attach_debugger(struct machine *m, struct machine_debugger *d)
{
	int i;

	if (m->cfg.clock != CPU_CLOCK_INSN) {
		set_err(m, "a debugger needs the per-instruction clock (--clock insn)");
		return -1;
	}
	for (i = 0; i < m->cfg.nvcpus; i++)
		if (cpu_debug_enable(&m->vcpus[i].cpu) < 0) {
			snprintf(m->err, sizeof(m->err), "vcpu %d: %s", i, m->vcpus[i].cpu.err);
			return -1;
		}
	m->dbg = d;
	return 0;
}

void machine_wake(struct machine *m, struct vcpu *v, uint64_t when)
{
	if (v->state != VCPU_IDLE)
		return;
	if (when > v->cpu.now) {
		v->idle_cycles += when - v->cpu.now;
		v->cpu.now = when;
	}
	set_state(m, v, VCPU_RUNNING, v->cpu.now);
	if (machine_count(m, EV_WAKE)) {
		struct tline l;

		tl_begin(&l, EV_WAKE, v->cpu.now, v->cpu.index, cpu_pc(&v->cpu));
		tl_u64(&l, "idle_cycles", v->idle_cycles);
		machine_emit(m, &l);
	}
}

static void fire_irq(struct machine *m, const struct event *e)
{
	struct vcpu *v = &m->vcpus[e->vcpu];
	unsigned line = (unsigned)e->arg[0];

	if (machine_count(m, EV_IRQ_INJECT)) {
		struct tline l;

		tl_begin(&l, EV_IRQ_INJECT, e->time, e->vcpu, cpu_pc(&v->cpu));
		tl_u64(&l, "line", line);
		tl_u64(&l, "level", e->arg[1] != 0);
		machine_emit(m, &l);
	}
	if (model_irq_line(m, v, line, e->arg[1] != 0, e->time))
		machine_wake(m, v, e->time);
}

/* One raise of a periodic interrupt, and the next one scheduled. */
static void fire_irq_every(struct machine *m, const struct event *e)
{
	struct event raise = *e;
	uint64_t line = e->arg[0] & 0xffff, left = e->arg[0] >> 16, period = e->arg[1], stretch = m->stretch;
	bool quiet;

	raise.arg[0] = line;
	raise.arg[1] = 1;
	fire_irq(m, &raise);
	/* nobody runs and this raise woke nobody: tag the next one with the stretch (idle_jump()) */
	quiet = m->stretch == stretch && !any_state(m, VCPU_RUNNING);
	if (left != 1 && e->time <= MACHINE_TIME_END - period)
		evq_push_tagged(&m->evq, e->time + period, EVK_IRQ_EVERY, e->vcpu, line | (left ? left - 1 : 0) << 16,
				period, quiet ? stretch : 0);
}

static void fire_due_events(struct machine *m)
{
	struct event e;

	while (evq_next_time(&m->evq) <= m->now && evq_pop(&m->evq, &e) && ++m->events_fired) {
		if (e.kind != EVK_IRQ_EVERY)
			m->stretch++; /* a one-shot change (a clear, a timer): the quiet stretch is over */
		if (e.kind == EVK_IRQ)
			fire_irq(m, &e);
		else if (e.kind == EVK_IRQ_EVERY)
			fire_irq_every(m, &e);
		else if (e.kind >= EVK_MODEL)
			model_event(m, &e);
	}
}

/* ---- the run loop -------------------------------------------------------- */

static int boot(struct machine *m)
{
	int i;

	power_init(&m->power, m->cfg.nvcpus, !m->cfg.secondaries_off);
	for (i = 0; i < m->cfg.nvcpus; i++) {
		struct vcpu *v = &m->vcpus[i];

		if (!m->power.on[i]) {
			set_state(m, v, VCPU_OFF, 0); /* booted by PSCI CPU_ON / SBI hart_start */
			continue;
		}
		if (cpu_boot(&v->cpu, m->entry, (uint64_t)i) < 0) {
			snprintf(m->err, sizeof(m->err), "vcpu %d: %s", i, v->cpu.err);
			return -1;
		}
		if (boot_models(m, v) < 0)
			return -1;
	}
	m->booted = true;
	return 0;
}

int machine_cpu_start(struct machine *m, struct vcpu *caller, const struct cpu_exit *e, int target,
		      const struct cpu_start *s)
{
	struct vcpu *t = &m->vcpus[target];
	uint64_t start = e->time + 1, retired = machine_retired(t);

	if (cpu_boot(&t->cpu, s->entry, s->args[0]) < 0)
		return -1;
	if (s->nargs > 1)
		cpu_reg_write(&t->cpu, cpu_arg_reg(m->cfg.arch, 1), s->args[1]);
	if (boot_models(m, t) < 0)
		return -1;
	/* the instructions it retired before stay counted; the gap is idle time */
	t->cpu.now = start;
	t->idle_cycles = start - retired;
	set_state(m, t, VCPU_RUNNING, start);
	if (machine_count(m, EV_CPU_ON)) {
		struct tline l;

		tl_begin(&l, EV_CPU_ON, e->time, caller->cpu.index, e->pc);
		tl_u64(&l, "target", (uint64_t)target);
		tl_hex(&l, "entry", s->entry);
		tl_hex(&l, s->traced, s->traced_value);
		tl_u64(&l, "starts_at", start);
		machine_trace(m, &l, e->pc);
	}
	return 0;
}

void machine_cpu_stop(struct machine *m, struct vcpu *v, const struct cpu_exit *e)
{
	set_state(m, v, VCPU_OFF, e->time + 1);
	if (machine_count(m, EV_CPU_OFF)) {
		struct tline l;

		tl_begin(&l, EV_CPU_OFF, e->time, v->cpu.index, e->pc);
		machine_trace(m, &l, e->pc);
	}
}

static struct vcpu *pick_running(struct machine *m)
{
	struct vcpu *best = NULL;
	int i;

	for (i = 0; i < m->cfg.nvcpus; i++) {
		struct vcpu *v = &m->vcpus[i];

		if (v->state == VCPU_RUNNING && (!best || v->cpu.now < best->cpu.now))
			best = v;
	}
	return best;
}

static bool any_idle_or_running(const struct machine *m)
{
	int i;

	for (i = 0; i < m->cfg.nvcpus; i++)
		if (m->vcpus[i].state == VCPU_RUNNING || m->vcpus[i].state == VCPU_IDLE)
			return true;
	return false;
}

/* Global time: the slowest running vCPU; with none running, the latest idle one. */
static void update_now(struct machine *m)
{
	uint64_t lo = UINT64_MAX, idle_hi = 0;
	int i;

	for (i = 0; i < m->cfg.nvcpus; i++) {
		struct vcpu *v = &m->vcpus[i];

		if (v->state == VCPU_RUNNING && v->cpu.now < lo)
			lo = v->cpu.now;
		if (v->state == VCPU_IDLE && v->cpu.now > idle_hi)
			idle_hi = v->cpu.now;
	}
	if (lo != UINT64_MAX)
		m->now = lo;
	else if (idle_hi > m->now)
		m->now = idle_hi;
	else if (!any_idle_or_running(m))
		for (i = 0; i < m->cfg.nvcpus; i++)
			if (m->vcpus[i].cpu.now > m->now)
				m->now = m->vcpus[i].cpu.now;
}

static bool any_state(struct machine *m, enum vcpu_state s)
{
	int i;

	for (i = 0; i < m->cfg.nvcpus; i++)
		if (m->vcpus[i].state == s)
			return true;
	return false;
}

static uint64_t min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* a + b, saturating at 2^64 - 1 (never wrapping near the end of time) */
static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static uint64_t budget_end(const struct machine *m, const struct vcpu *v)
{
	if (!m->cfg.max_insns || v->idle_cycles > UINT64_MAX - m->cfg.max_insns)
		return VCLOCK_NEVER;
	return v->idle_cycles + m->cfg.max_insns;
}

static void report_simple(struct machine *m, struct vcpu *v, enum ev_kind kind)
{
	if (machine_count(m, kind)) {
		struct tline l;
		uint64_t pc = cpu_pc(&v->cpu);

		tl_begin(&l, kind, v->cpu.now, v->cpu.index, pc);
		if (kind == EV_INSN_LIMIT)
			tl_u64(&l, "retired", machine_retired(v));
		machine_trace(m, &l, kind == EV_WFI ? pc - 4 : pc);
	}
}

/* The run moves from one vCPU to another (the first turn is not a switch). */
static void note_switch(struct machine *m, struct vcpu *v)
{
	int from = m->last_vcpu;

	m->last_vcpu = v->cpu.index;
	if (from >= 0 && machine_count(m, EV_VCPU_SWITCH)) {
		struct tline l;

		tl_begin(&l, EV_VCPU_SWITCH, v->cpu.now, v->cpu.index, cpu_pc(&v->cpu));
		tl_u64(&l, "from", (uint64_t)from);
		machine_emit(m, &l);
	}
}

/* The vCPU is at the last cycle of virtual time: it stops there, reported. */
static void time_end(struct machine *m, struct vcpu *v)
{
	set_state(m, v, VCPU_LIMIT, v->cpu.now);
	report_simple(m, v, EV_TIME_END);
}

/* Run one vCPU for one turn and act on why it stopped. Return: -1 on error. */
static int run_turn(struct machine *m, struct vcpu *v, const struct run_goal *goal)
{
	uint64_t limit = min64(evq_next_time(&m->evq), goal->until_cycle);
	uint64_t bend = budget_end(m, v);
	uint64_t soft = UINT64_MAX; /* several vCPUs: the turn ends at a block boundary after the quantum */
	enum cpu_run_result r;

	if (v->cpu.now >= MACHINE_TIME_END)
		return time_end(m, v), 0;
	limit = min64(min64(limit, bend), MACHINE_TIME_END);
	if (m->cfg.nvcpus > 1)
		soft = add_sat(v->cpu.now, m->cfg.quantum);
	if (m->progress)
		limit = min64(limit, m->next_progress);
	if (m->obs && m->obs->every)
		limit = min64(limit, m->next_checkpoint);
	v->cpu.want_imm = observed(m);
	/* a debugger's stop: the machine waits for it, then the turn goes on */
	while ((r = cpu_run_quantum(&v->cpu, limit, soft)) == CPU_RUN_BREAK && m->dbg && !m->stop_requested)
		m->dbg->stopped(m->dbg->ctx, m, v->cpu.index);
	switch (r) {
	case CPU_RUN_BREAK: /* the debugger ended the run */
		break;
	case CPU_RUN_LIMIT:
		if (v->cpu.now >= MACHINE_TIME_END) {
			time_end(m, v);
		} else if (v->cpu.now >= bend) {
			set_state(m, v, VCPU_LIMIT, v->cpu.now);
			report_simple(m, v, EV_INSN_LIMIT);
		}
		break;
	case CPU_RUN_WFI:
		report_simple(m, v, EV_WFI);
		if (!cpu_irq_pending(&v->cpu))
			set_state(m, v, VCPU_IDLE, v->cpu.now);
		break;
	case CPU_RUN_STOPPED:
	case CPU_RUN_FAULT:
		break; /* the exit handler already set the state */
	case CPU_RUN_ERROR:
		snprintf(m->err, sizeof(m->err), "vcpu %d: %s", v->cpu.index, v->cpu.err);
		return -1;
	}
	return 0;
}

/* run_turn(), counted: a vCPU ran, so the quiet stretch (if any) is over. */
static int run_turn_counted(struct machine *m, struct vcpu *v, const struct run_goal *goal)
{
	m->turns++;
	m->stretch++;
	return run_turn(m, v, goal);
}

static bool beyond_horizon(const struct machine *m, uint64_t when)
{
	return m->horizon_cycles != VCLOCK_NEVER && when > m->now && when - m->now > m->horizon_cycles;
}

/* Idle with nothing due: no event at all, or (next != UINT64_MAX) only events beyond the horizon. */
/* @quiet: only periodic raises that wake nobody are left (idle_jump()). */
static void report_deadlock(struct machine *m, struct vcpu *v, uint64_t next, bool quiet)
{
	struct tline l;

	if (next != UINT64_MAX)
		m->deadlock_next = next;
	if (!machine_count(m, EV_DEADLOCK))
		return;
	tl_begin(&l, EV_DEADLOCK, v->cpu.now, v->cpu.index, cpu_pc(&v->cpu));
	if (quiet)
		tl_str(&l, "why", "interrupts-wake-nobody");
	if (next != UINT64_MAX) {
		tl_u64(&l, "next_event", next);
		tl_u64(&l, "horizon", m->horizon_cycles);
	}
	machine_trace(m, &l, cpu_pc(&v->cpu));
}

/*
 * Quiet raises: while nobody runs, a periodic raise that woke nobody is
 * tagged with the stretch (fire_irq_every()).  Raises only set pending
 * latches, which stay set while nobody runs to take them, so until some
 * other event changes something, its later raises cannot wake anyone
 * either.  Return: the earliest event that is not a quiet raise, or
 * UINT64_MAX when there is none (the idle vCPUs then wait for ever).
 */
static uint64_t next_loud_event(const struct machine *m)
{
	uint64_t t = UINT64_MAX;
	size_t i;

	for (i = 0; i < m->evq.len; i++)
		if ((m->evq.heap[i].kind != EVK_IRQ_EVERY || m->evq.heap[i].tag != m->stretch) && m->evq.heap[i].time < t)
			t = m->evq.heap[i].time;
	return t;
}

/*
 * Suspend the quiet raises before @until: each series resumes with its first
 * raise at or after @until (untagged, so it is simulated again), or ends if
 * its count or the end of time runs out first.  This bounds the host's work
 * in an idle machine whatever the periods (docs/architecture.md).
 */
static void skip_quiet_raises(struct machine *m, uint64_t until)
{
	struct event e;

	while (evq_next_time(&m->evq) < until && evq_pop(&m->evq, &e)) {
		uint64_t line = e.arg[0] & 0xffff, left = e.arg[0] >> 16, period = e.arg[1];
		uint64_t k = (until - e.time + period - 1) / period; /* raises skipped */

		if ((left && k >= left) || k > (MACHINE_TIME_END - e.time) / period)
			continue; /* the series would have ended in between */
		evq_push(&m->evq, e.time + k * period, EVK_IRQ_EVERY, e.vcpu, line | (left ? left - k : 0) << 16, period);
	}
}

/* Nothing can run: jump idle time to the next event, or report a deadlock. */
static enum run_outcome idle_jump(struct machine *m, const struct run_goal *goal, bool *done)
{
	uint64_t next = evq_next_time(&m->evq);
	bool quiet = false;
	int i;

	*done = true;
	if (!any_state(m, VCPU_IDLE))
		return m->exited ? RUN_EXITED : RUN_STOPPED;
	if (next != UINT64_MAX && evq_peek(&m->evq)->kind == EVK_IRQ_EVERY && evq_peek(&m->evq)->tag == m->stretch) {
		uint64_t loud = next_loud_event(m);

		quiet = loud == UINT64_MAX && goal->until_cycle == VCLOCK_NEVER; /* nothing else will ever happen */
		if (!quiet)
			skip_quiet_raises(m, min64(loud, goal->until_cycle));
		next = quiet ? UINT64_MAX : evq_next_time(&m->evq);
	}
	if (next == UINT64_MAX || (goal->until_cycle == VCLOCK_NEVER && beyond_horizon(m, next))) {
		for (i = 0; i < m->cfg.nvcpus; i++)
			if (m->vcpus[i].state == VCPU_IDLE) {
				report_deadlock(m, &m->vcpus[i], next, quiet);
				break;
			}
		return RUN_DEADLOCK;
	}
	if (goal->until_cycle < next) {
		m->now = goal->until_cycle;
		return RUN_GOAL;
	}
	m->now = next;
	*done = false;
	return RUN_GOAL;
}

enum run_outcome machine_run(struct machine *m, const struct run_goal *goal)
{
	if (m->halted || m->stop_requested)
		return RUN_STOPPED;
	if (m->obs && m->obs->every && !m->next_checkpoint)
		m->next_checkpoint = m->obs->every;
	if (!m->booted && boot(m) < 0)
		return RUN_ERROR;
	if (m->progress && !m->next_progress)
		m->next_progress = m->progress_every;
	if (m->dbg && !m->dbg_started) {
		m->dbg_started = true;
		m->vcpus[0].cpu.dbg_why = 0;
		m->dbg->stopped(m->dbg->ctx, m, 0);
	}
	for (;;) {
		struct vcpu *v;

		fire_due_events(m);
		if (m->exited)
			return RUN_EXITED;
		if (m->halted)
			return RUN_STOPPED;
		if (m->now >= goal->until_cycle)
			return RUN_GOAL;
		v = pick_running(m);
		if (!v) {
			bool done;
			enum run_outcome o = idle_jump(m, goal, &done);

			if (done)
				return o;
			continue;
		}
		if (v->cpu.index != m->last_vcpu)
			note_switch(m, v);
		if (run_turn_counted(m, v, goal) < 0)
			return RUN_ERROR;
		update_now(m);
		if (m->progress && m->now >= m->next_progress) {
			m->progress(m->progress_ctx, m);
			m->next_progress = add_sat(m->now, m->progress_every);
		}
		if (m->obs && m->obs->every && m->now >= m->next_checkpoint) {
			m->obs->checkpoint(m->obs->ctx, m);
			m->next_checkpoint = (m->now / m->obs->every + 1) * m->obs->every;
		}
		if (m->stop_requested)
			return RUN_STOPPED;
	}
}
