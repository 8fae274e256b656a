/* SPDX-License-Identifier: MIT */
/*
 * Scenario executor: builds the machine at `load`, runs steps in order and
 * checks expectations where they stand.  Failures are collected (the run
 * goes on); input errors (a missing image, a write outside RAM) end the
 * scenario with SCN_ERROR.  Guest faults, deadlocks and instruction-limit
 * stops fail the scenario unless an expectation names that event kind.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "binding.h"
#include "digest.h"
#include "scenario_internal.h"

/* ---- load ------------------------------------------------------------------ */

static bool readable(const char *path)
{
	return access(path, R_OK) == 0;
}

void scenario_image_path(const struct scenario *s, const char *guest_dir, const char *name, char *out, size_t n)
{
	const char *slash = strrchr(s->path, '/');

	snprintf(out, n, "%s", name);
	if (name[0] == '/')
		return;
	if (slash) {
		snprintf(out, n, "%.*s/%s", (int)(slash - s->path), s->path, name);
		if (readable(out))
			return;
	} else if (readable(name))
		return;
	if (guest_dir) {
		snprintf(out, n, "%s/%s", guest_dir, name);
		if (readable(out))
			return;
	}
	snprintf(out, n, "%s", name);
}

/* ---- the families' state (scn_family.state_size) ------------------------------- */

void *scn_state(struct exec *x, const struct scn_family *f)
{
	int i;

	for (i = 0; machine_bindings[i] && i < SCN_MAX_FAMILIES; i++)
		if (machine_bindings[i]->family == f)
			return x->family_state[i];
	return NULL;
}

/* Every family's state, zeroed. Return: 0, or -1 (out of memory: nothing kept). */
static int states_alloc(struct exec *x)
{
	int i;

	for (i = 0; machine_bindings[i] && i < SCN_MAX_FAMILIES; i++) {
		const struct scn_family *f = machine_bindings[i]->family;

		if (f && f->state_size && !(x->family_state[i] = calloc(1, f->state_size)))
			return -1;
	}
	return 0;
}

static void states_free(struct exec *x)
{
	int i;

	for (i = 0; i < SCN_MAX_FAMILIES; i++)
		free(x->family_state[i]);
	memset(x->family_state, 0, sizeof(x->family_state));
}

/* The models scenario commands drive outside the machine (hyp pools, the Sstc model), in table order. */
static uint64_t scenario_models_digest(const void *ctx)
{
	const struct exec *x = ctx;
	uint64_t h = DG_INIT;
	int i;

	for (i = 0; machine_bindings[i] && i < SCN_MAX_FAMILIES; i++) {
		const struct scn_family *f = machine_bindings[i]->family;

		if (f && f->digest)
			h = f->digest(x->family_state[i], h);
	}
	return h;
}

/*
 * Where a machine that cannot be built is reported: at the last setup line,
 * the one that completed the configuration the machine refused (a memory
 * region after `pkvm`, say), or at @c when there is none.
 */
static const struct scn_cmd *setup_end(const struct exec *x, const struct scn_cmd *c)
{
	const struct scn_cmd *last = NULL;
	size_t i;

	for (i = 0; i < x->s->ncmds; i++)
		if (x->s->cmds[i].kind <= SCN_MODEL_SETUP && x->s->cmds[i].kind != SCN_ARCH)
			last = &x->s->cmds[i];
	return last ? last : c;
}

/* The machine is built at `load`, or at the first step of a scenario without one. */
static int ensure_machine(struct exec *x, const struct scn_cmd *c)
{
	struct machine_config cfg = x->s->cfg;

	if (x->have_machine)
		return 0;

	cfg.clock = x->opt->clock;
	if (x->opt->max_insns)
		cfg.max_insns = x->opt->max_insns;
	else if (!cfg.max_insns)
		cfg.max_insns = SCN_DEFAULT_MAX_INSNS;
	if (machine_create(&x->m, &cfg) < 0) {
		char msg[sizeof(x->m.err)];

		memcpy(msg, x->m.err, sizeof(msg));
		machine_destroy(&x->m);
		return scn_errorf(x, setup_end(x, c), "%s", msg[0] ? msg : "cannot create the machine");
	}
	x->have_machine = true;
	x->m.trace = x->opt->trace;
	x->m.trace_limit = x->opt->trace_limit;
	x->m.trace_kinds = x->opt->trace_kinds;
	x->m.console.echo = x->opt->console_echo;
	x->m.progress = x->opt->progress;
	x->m.progress_ctx = x->opt->progress_ctx;
	x->m.progress_every = x->opt->progress_every;
	if (x->opt->disasm)
		x->m.disasm = cpu_disasm_open(cfg.arch);
	if (x->opt->obs)
		x->m.obs = &x->opt->obs->mobs;
	if (x->opt->debugger && machine_attach_debugger(&x->m, x->opt->debugger) < 0)
		return scn_errorf(x, c, "%s", x->m.err);
	if (x->opt->wave) {
		machine_attach_wave(&x->m, x->opt->wave);
		x->opt->wave->start(x->opt->wave->ctx, &x->m.cfg);
	}
	if ((x->events = scn_events_open(x->s)))
		x->m.capture = scn_events_observer(x->events);
	x->m.extra_digest = scenario_models_digest;
	x->m.extra_ctx = x;
	return 0;
}

static int do_load(struct exec *x, const struct scn_cmd *c)
{
	char path[1024];

	if (ensure_machine(x, c) < 0)
		return -1;
	scenario_image_path(x->s, x->opt->guest_dir, c->str, path, sizeof(path));
	if (c->str[0] != '/' && !readable(path))
		return scn_errorf(x, c, "cannot load %s: not found next to the scenario%s%s", c->str,
			      x->opt->guest_dir ? " or in " : "", x->opt->guest_dir ? x->opt->guest_dir : "");
	if (machine_load_elf(&x->m, path) < 0)
		return scn_errorf(x, c, "cannot load %s", x->m.err);
	x->have_image = true;
	return 0;
}

/* ---- steps ------------------------------------------------------------------- */

static uint64_t to_cycles(struct exec *x, const struct scn_time *t)
{
	return t->ns ? vclock_cycle_for_ns(&x->m.clk, t->value) : t->value;
}

static int do_run(struct exec *x, const struct scn_cmd *c)
{
	struct run_goal g = { .until_cycle = VCLOCK_NEVER };
	enum run_outcome o;

	switch (c->kind) {
	case SCN_RUN_EXIT:
		g.until_exit = true;
		break;
	case SCN_RUN_UNTIL:
		g.until_cycle = to_cycles(x, &c->t);
		if (g.until_cycle < x->m.now)
			return scn_errorf(x, c, "run until cycle %" PRIu64 ": the machine is already at cycle %" PRIu64
				       " (%" PRIu64 " ns); use 'run for' for a duration", g.until_cycle, x->m.now,
				       vclock_ns(&x->m.clk, x->m.now));
		if (g.until_cycle > MACHINE_TIME_END)
			g.until_cycle = MACHINE_TIME_END; /* as far as time goes: bounded, not "no end" */
		break;
	case SCN_RUN_FOR: {
		uint64_t d = to_cycles(x, &c->t);

		/* a bounded step stays bounded: past the end of virtual time it runs to the end (time-end) */
		g.until_cycle = d > MACHINE_TIME_END - x->m.now ? MACHINE_TIME_END : x->m.now + d;
		break;
	}
	case SCN_RUN_TICKS:
		if (vclock_ticks(&x->m.clk, x->m.now) > c->a)
			return scn_errorf(x, c, "run until ticks %" PRIu64 ": the counter already reads %" PRIu64, c->a,
				       vclock_ticks(&x->m.clk, x->m.now));
		g.until_cycle = vclock_cycle_for_counter(&x->m.clk, x->m.now, c->a);
		break;
	default:
		break;
	}
	o = machine_run(&x->m, &g);
	if (o == RUN_ERROR)
		return scn_errorf(x, c, "simulator error: %s", x->m.err);
	return 0;
}

static int do_irq(struct exec *x, const struct scn_cmd *c)
{
	uint64_t when = c->has_at ? to_cycles(x, &c->t) : x->m.now;
	uint64_t period = c->every.value ? to_cycles(x, &c->every) : 0;
	int v = c->vcpu < 0 ? 0 : c->vcpu, last = c->vcpu == SCN_ALL_VCPUS ? x->m.cfg.nvcpus - 1 : v;

	if (when < x->m.now) /* as `run until`: a time already gone is a mistake, not "now" */
		return scn_errorf(x, c, "%s at cycle %" PRIu64 ": the machine is already at cycle %" PRIu64,
				  c->b ? "inject" : "clear", when, x->m.now);
	for (; v <= last; v++) {
		int r = period ? machine_schedule_irq_every(&x->m, v, (unsigned)c->a, when, period, c->times)
			       : machine_schedule_irq(&x->m, v, (unsigned)c->a, c->b != 0, when);

		if (r == -2)
			return scn_errorf(x, c, "the interrupt would come after the end of virtual time (cycle %" PRIu64 ")",
					  (uint64_t)MACHINE_TIME_END);
		if (r < 0)
			return scn_errorf(x, c, "cannot schedule the interrupt");
	}
	return 0;
}

/* Memory values in the guest's byte order: big-endian on s390x, else little-endian. */
static uint64_t guest_order(const struct exec *x, uint64_t v, int width)
{
	if (!cpu_arch_info(x->m.cfg.arch)->big_endian || width <= 1)
		return v;
	v = __builtin_bswap64(v);
	return v >> (64 - 8 * width);
}

static int do_write_mem(struct exec *x, const struct scn_cmd *c)
{
	uint64_t v = guest_order(x, c->b, c->width);

	if (machine_mem_write(&x->m, c->a, &v, (size_t)c->width) < 0)
		return machine_mem_ptr(&x->m, c->a, 1)
			       ? scn_errorf(x, c, "the %d-byte write at 0x%" PRIx64 " runs past the end of its memory region",
					    c->width, c->a)
			       : scn_errorf(x, c, "address 0x%" PRIx64 " is not in guest memory", c->a);
	return 0;
}

static int do_set_reg(struct exec *x, const struct scn_cmd *c)
{
	struct vcpu *v = &x->m.vcpus[c->vcpu < 0 ? 0 : c->vcpu];
	int reg = cpu_reg_lookup(x->m.cfg.arch, c->str);

	if (!x->m.booted) {
		struct run_goal g = { .until_cycle = 0 };

		if (machine_run(&x->m, &g) == RUN_ERROR) /* boots the vCPUs, runs nothing */
			return scn_errorf(x, c, "simulator error: %s", x->m.err);
	}
	if (cpu_reg_write(&v->cpu, reg, c->b) < 0)
		return scn_errorf(x, c, "cannot write register %s", c->str);
	return 0;
}

/* ---- expectations --------------------------------------------------------- */

static void quote(char *out, size_t n, const char *s, size_t len)
{
	size_t o = 0, i;

	for (i = 0; i < len && o + 6 < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '\n')
			o += (size_t)snprintf(out + o, n - o, "\\n");
		else if (ch < 0x20 || ch >= 0x7f || ch == '"' || ch == '\\')
			o += (size_t)snprintf(out + o, n - o, "\\x%02x", ch);
		else
			out[o++] = (char)ch;
	}
	if (i < len && o + 4 < n)
		o += (size_t)snprintf(out + o, n - o, "...");
	out[o] = '\0';
}

static bool contains(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
	size_t i;

	if (nlen == 0)
		return true;
	for (i = 0; i + nlen <= hlen; i++)
		if (memcmp(hay + i, needle, nlen) == 0)
			return true;
	return false;
}

static void check_console(struct exec *x, const struct scn_cmd *c)
{
	const struct console *con = &x->m.console;
	char got[120], want[120];
	bool ok = c->kind == SCN_EXPECT_CONSOLE
			  ? con->len == c->str_len && memcmp(con->buf, c->str, con->len) == 0
			  : contains(con->buf, con->len, c->str, c->str_len) != (c->b == 1);

	if (ok)
		return;
	quote(want, sizeof(want), c->str, c->str_len);
	if (c->kind == SCN_EXPECT_CONSOLE_CONTAINS && c->b == 1) {
		scn_failf(x, c, "expected console not to contain \"%s\", it does", want);
		return;
	}
	quote(got, sizeof(got), con->buf, con->len);
	scn_failf(x, c, "expected console %s\"%s\", got \"%s\"", c->kind == SCN_EXPECT_CONSOLE ? "" : "to contain ",
	      want, got);
}

static void check_reg(struct exec *x, const struct scn_cmd *c)
{
	struct vcpu *v = &x->m.vcpus[c->vcpu < 0 ? 0 : c->vcpu];
	uint64_t val = 0;
	char what[64];

	cpu_reg_read(&v->cpu, cpu_reg_lookup(x->m.cfg.arch, c->str), &val);
	snprintf(what, sizeof(what), "vcpu %d %s", v->cpu.index, c->str);
	scn_check_value(x, c, what, val);
}

static void check_mem(struct exec *x, const struct scn_cmd *c)
{
	uint64_t val = 0;

	if (machine_mem_read(&x->m, c->a, &val, (size_t)c->width) < 0) {
		if (machine_mem_ptr(&x->m, c->a, 1))
			scn_failf(x, c, "the %d-byte read at 0x%" PRIx64 " runs past the end of its memory region", c->width,
				  c->a);
		else
			scn_failf(x, c, "address 0x%" PRIx64 " is not in guest memory", c->a);
		return;
	}
	scn_check_value(x, c, "memory", guest_order(x, val, c->width));
}

static void check_state(struct exec *x, const struct scn_cmd *c)
{
	static const char *const names[] = { "running", "idle", "exited", "faulted", "limit" };
	struct vcpu *v = &x->m.vcpus[c->vcpu < 0 ? 0 : c->vcpu];

	if ((uint64_t)v->state != c->a)
		scn_failf(x, c, "expected vcpu %d to be %s, it is %s", v->cpu.index, names[c->a], names[v->state]);
}

/* The expectations about the machine and the guest. */
static void check_machine(struct exec *x, const struct scn_cmd *c)
{
	char what[64];

	switch (c->kind) {
	case SCN_EXPECT_EXIT:
		if (!x->m.exited)
			scn_failf(x, c, "expected exit code %" PRId64 ", the guest has not exited", (int64_t)c->b);
		else if (x->m.exit_code != (int64_t)c->b)
			scn_failf(x, c, "expected exit code %" PRId64 ", got %" PRId64, (int64_t)c->b, x->m.exit_code);
		break;
	case SCN_EXPECT_REG:
		check_reg(x, c);
		break;
	case SCN_EXPECT_MEM:
		check_mem(x, c);
		break;
	case SCN_EXPECT_CONSOLE:
	case SCN_EXPECT_CONSOLE_CONTAINS:
		check_console(x, c);
		break;
	case SCN_EXPECT_COUNT:
		snprintf(what, sizeof(what), "count of %s events", ev_kind_name((int)c->a));
		scn_check_value(x, c, what, x->m.counts[c->a]);
		break;
	case SCN_EXPECT_EVENT:
		scn_check_event(x, c, x->events);
		break;
	case SCN_EXPECT_CYCLE:
		scn_check_value(x, c, "cycle", x->m.now);
		break;
	case SCN_EXPECT_TICKS:
		scn_check_value(x, c, "counter (ticks)", vclock_ticks(&x->m.clk, x->m.now));
		break;
	case SCN_EXPECT_INSNS:
		snprintf(what, sizeof(what), "vcpu %d retired instructions", c->vcpu < 0 ? 0 : c->vcpu);
		scn_check_value(x, c, what, machine_retired(&x->m.vcpus[c->vcpu < 0 ? 0 : c->vcpu]));
		break;
	case SCN_EXPECT_STATE:
		check_state(x, c);
		break;
	default:
		break;
	}
}

/* Commands that drive a model directly, and what they returned (for recordings). */
static void note_result(struct exec *x, const struct scn_cmd *c)
{
	const struct scn_observer *o = x->opt->obs;
	uint64_t value = 0;
	int64_t status = 0;

	if (!o || !o->result || !x->have_machine || c->kind != SCN_MODEL || !c->verb->result)
		return;
	c->verb->result(x, c, &status, &value);
	o->result(o->mobs.ctx, &x->m, c, status, value);
}

static int exec_step(struct exec *x, const struct scn_cmd *c);

static int exec_cmd(struct exec *x, const struct scn_cmd *c)
{
	const struct scn_observer *o = x->opt->obs;
	bool input = c->kind >= SCN_LOAD && c->kind < SCN_EXPECT_EXIT;
	int r;

	if (c->kind != SCN_LOAD && ensure_machine(x, c) < 0)
		return -1;
	if (input && c->kind != SCN_LOAD && o && o->input)
		o->input(o->mobs.ctx, &x->m, c);
	r = exec_step(x, c);
	if (r == 0 && input) {
		if (c->kind == SCN_LOAD && o && o->input)
			o->input(o->mobs.ctx, &x->m, c);
		note_result(x, c);
	}
	return r;
}

/* One command; exec_cmd() has built the machine (`load` builds its own). */
static int exec_step(struct exec *x, const struct scn_cmd *c)
{
	if (!x->have_image && (c->kind == SCN_RUN_EXIT || c->kind == SCN_RUN_UNTIL || c->kind == SCN_RUN_FOR ||
			       c->kind == SCN_RUN_TICKS || c->kind == SCN_SET_REG || c->kind == SCN_SET_COUNTER))
		return scn_errorf(x, c, "nothing to run: the scenario loads no guest image");
	switch (c->kind) {
	case SCN_LOAD:
		return do_load(x, c);
	case SCN_MODEL:
		return c->verb->exec(x, c);
	case SCN_EXPECT_MODEL:
		c->expectation->check(x, c);
		return 0;
	case SCN_RUN_EXIT:
	case SCN_RUN_UNTIL:
	case SCN_RUN_FOR:
	case SCN_RUN_TICKS:
		return do_run(x, c);
	case SCN_IRQ:
		return do_irq(x, c);
	case SCN_WRITE_MEM:
		return do_write_mem(x, c);
	case SCN_SET_REG:
		return do_set_reg(x, c);
	case SCN_SET_COUNTER:
		machine_set_counter(&x->m, c->b);
		return 0;
	default:
		if (c->kind >= SCN_EXPECT_EXIT)
			check_machine(x, c);
		return 0;
	}
}

/* Faults, deadlocks and limit stops the scenario did not name are failures. */
static void check_trouble(struct exec *x)
{
	int k;

	for (k = 0; k < ev_kind_count(); k++) {
		if (!((EV_MASK_TROUBLE >> k) & 1) || !x->m.counts[k] || ((x->s->expected_events >> k) & 1))
			continue;
		scn_failf(x, NULL, "unexpected %s event (%" PRIu64 "x); see the trace, or add 'expect event %s'",
		      ev_kind_name((int)k), x->m.counts[k], ev_kind_name((int)k));
		if (k == EV_PERCPU_CROSS) {
			const struct percpu_cross *f = &x->m.first_cross;

			scn_failf(x, NULL,
				  "first: vcpu %d at pc 0x%" PRIx64 ", cycle %" PRIu64 ", %s %u bytes at 0x%" PRIx64
				  " in vcpu %d's per-CPU area",
				  f->vcpu, f->pc, f->time, f->write ? "wrote" : "read", f->size, f->addr, f->owner);
		}
		if (k == EV_DEADLOCK && x->m.deadlock_next)
			scn_failf(x, NULL,
				  "the next event (cycle %" PRIu64 ") lies beyond the horizon of %" PRIu64
				  " cycles: a longer 'horizon', 'horizon none' or a bounded 'run for' takes the run there",
				  x->m.deadlock_next, x->m.horizon_cycles);
	}
}

static void collect(struct exec *x)
{
	struct machine *m = &x->m;
	struct scn_result *r = x->r;
	int i;

	r->cycles = m->now;
	r->turns = m->turns;
	r->events_fired = m->events_fired;
	r->ns = vclock_ns(&m->clk, m->now);
	for (i = 0; i < m->cfg.nvcpus; i++)
		r->retired += machine_retired(&m->vcpus[i]);
	memcpy(r->counts, m->counts, sizeof(r->counts));
	r->exited = m->exited;
	r->exit_code = m->exit_code;
	r->hyp_panicked = m->halted;
	r->console = malloc(m->console.len + 1);
	if (r->console) {
		memcpy(r->console, m->console.buf, m->console.len);
		r->console[m->console.len] = '\0';
		r->console_len = m->console.len;
	}
}

void scenario_run(const struct scenario *s, const struct scn_options *opt, struct scn_result *r)
{
	struct exec x = { .s = s, .opt = opt, .r = r };
	size_t i;

	memset(r, 0, sizeof(*r));
	if (states_alloc(&x) < 0) {
		states_free(&x);
		snprintf(r->error, sizeof(r->error), "%s: out of memory", s->path);
		r->status = SCN_ERROR;
		return;
	}
	if (opt->trace) {
		fputs("{\"kind\":\"scenario\",\"file\":", opt->trace);
		json_write_string(opt->trace, s->path, strlen(s->path));
		fputs("}\n", opt->trace);
	}
	for (i = 0; i < s->ncmds; i++) {
		if (exec_cmd(&x, &s->cmds[i]) < 0)
			break;
		if (x.have_machine && x.m.stop_requested)
			break;
	}
	if (x.have_machine) {
		if (r->status != SCN_ERROR)
			check_trouble(&x);
		collect(&x);
	}
	if (r->status != SCN_ERROR)
		r->status = r->nfails ? SCN_FAIL : SCN_PASS;
	if (x.have_machine) {
		if (opt->obs && opt->obs->finish)
			opt->obs->finish(opt->obs->mobs.ctx, &x.m, r);
		if (x.m.disasm)
			cpu_disasm_close(x.m.disasm);
		machine_destroy(&x.m);
	}
	scn_events_close(x.events);
	states_free(&x);
	if (opt->trace)
		fflush(opt->trace);
}

void scn_result_free(struct scn_result *r)
{
	free(r->fails);
	free(r->console);
	memset(r, 0, sizeof(*r));
}

/* ---- model-only sessions (scenario.h) ---------------------------------------- */

struct scn_session {
	struct exec x;
	struct scn_result r;
};

struct scn_session *scn_session_open(const struct scenario *s, const struct scn_options *opt, char *err, size_t n)
{
	struct scn_session *ss = calloc(1, sizeof(*ss));
	static const struct scn_cmd setup = { .kind = SCN_ARCH, .line = 1, .col = 1 };

	if (!ss) {
		snprintf(err, n, "out of memory");
		return NULL;
	}
	ss->x.s = s;
	ss->x.opt = opt;
	ss->x.r = &ss->r;
	if (states_alloc(&ss->x) < 0) {
		snprintf(err, n, "out of memory");
		scn_session_close(ss);
		return NULL;
	}
	if (ensure_machine(&ss->x, &setup) < 0) {
		snprintf(err, n, "%s", ss->r.error);
		scn_session_close(ss);
		return NULL;
	}
	return ss;
}

const char *scn_cmd_image(const struct scn_cmd *c, int i)
{
	if (c->kind == SCN_LOAD)
		return i == 0 ? c->str : NULL;
	return c->kind == SCN_MODEL && c->verb->image ? c->verb->image(c, i) : NULL;
}

bool scn_cmd_sets_state(const struct scn_cmd *c)
{
	return c->kind == SCN_LOAD || c->kind == SCN_WRITE_MEM || c->kind == SCN_SET_REG ||
	       (c->kind == SCN_MODEL && c->verb->session);
}

int scn_session_exec(struct scn_session *ss, const struct scn_cmd *c, char *err, size_t n)
{
	static const char not_state[] = "not a memory or register command (model-only replay takes 'load', "
					"'write mem', 'write stage2' and 'set reg')";
	int r;

	switch (c->kind) {
	case SCN_LOAD:
		r = do_load(&ss->x, c);
		break;
	case SCN_WRITE_MEM:
		r = do_write_mem(&ss->x, c);
		break;
	case SCN_MODEL:
		r = c->verb->session ? c->verb->exec(&ss->x, c) : scn_errorf(&ss->x, c, "%s", not_state);
		break;
	case SCN_SET_REG:
		r = ss->x.have_image ? do_set_reg(&ss->x, c)
				     : scn_errorf(&ss->x, c, "'set reg' needs a loaded image (the vCPUs boot from it)");
		break;
	default:
		r = scn_errorf(&ss->x, c, "%s", not_state);
		break;
	}
	if (r < 0) {
		snprintf(err, n, "%s", ss->r.error);
		ss->r.status = SCN_PASS; /* the session goes on; the caller decides */
	}
	return r;
}

struct machine *scn_session_machine(struct scn_session *ss)
{
	return &ss->x.m;
}

void scn_session_close(struct scn_session *ss)
{
	if (!ss)
		return;
	if (ss->x.have_machine) {
		if (ss->x.m.disasm)
			cpu_disasm_close(ss->x.m.disasm);
		machine_destroy(&ss->x.m);
	}
	states_free(&ss->x);
	scn_result_free(&ss->r);
	free(ss);
}
