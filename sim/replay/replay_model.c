/* SPDX-License-Identifier: MIT */
/*
 * Model-only replay (`hypsim replay --model`, docs/recording.md): the
 * hypercalls and host stage-2 faults of a recording, or of a hand-written
 * log, drive the pKVM model through the same dispatchers a guest HVC or a
 * stage-2 abort reaches, with no guest code run.  Each call's outcome (the
 * event the dispatcher reports: x0..x3, the fault's resolution) and what it
 * caused (hyp panics, injected aborts, unmodelled calls, ownership
 * violations, vCPUs powered on or off) are compared with the log; a recording's state digests are
 * compared on the pKVM model's part.
 *
 * Lines that say how the guest ran (timers, console, exits, WFI, vCPU
 * switches) are not the model's and are skipped.  Fields a line leaves out
 * are not compared, so a hand-written line need give only what it checks;
 * numbers compare by value ("0x10", "16" and 16 are one number).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "firmware.h"
#include "pkvm.h"
#include "replay_internal.h"
#include "smccc.h"

#define LOG_KIND "hypsim-hcall-log"
#define LOG_VERSION 1
#define MAX_SETUP (64u << 10)

enum line_role { ROLE_SKIP, ROLE_CAUSE, ROLE_EFFECT };

struct mreplay {
	struct rp rp;
	const struct replay_opts *opts;
	bool recording;            /* a `run --record` recording, not a hand-written log */
	struct scenario s;
	struct scn_options so;
	struct scn_session *ss;
	struct machine *m;
	struct machine_observer obs;
	json_t *emitted;           /* what the current call or fault made the model report */
	json_t *pending;           /* the log's effect lines not yet matched: [{line, text, event}] */
	json_t *queue;             /* the model's effect lines not yet matched, in order */
	uint64_t calls, faults, effects, digests, skipped;
	char cause[400];
};

/* The machine's events arrive without their closing brace (the trace adds it). */
static void on_event(void *ctx, struct machine *m, const char *line, size_t len)
{
	struct mreplay *r = ctx;
	char *text = malloc(len + 2);
	json_t *j;

	(void)m;
	if (!text)
		return;
	memcpy(text, line, len);
	text[len] = '}';
	text[len + 1] = '\0';
	j = json_loads(text, 0, NULL);
	free(text);
	if (j)
		json_array_append_new(r->emitted, j);
}

/* ---- values ------------------------------------------------------------------------- */

/* A number as a log writes it: a JSON integer, or a string "0x..", "16", "-1". */
static bool number(json_t *v, uint64_t *out)
{
	const char *s, *p;
	char *end;
	bool neg;

	if (json_is_integer(v)) {
		*out = (uint64_t)json_integer_value(v);
		return true;
	}
	if (!json_is_string(v))
		return false;
	s = json_string_value(v);
	neg = *s == '-';
	p = s + neg;
	if (*p < '0' || *p > '9')
		return false;
	errno = 0;
	*out = strtoull(p, &end, 0);
	if (*end || errno)
		return false;
	if (neg)
		*out = -*out;
	return true;
}

static bool same_value(json_t *want, json_t *got)
{
	uint64_t a, b;

	if (number(want, &a) && number(got, &b))
		return a == b;
	return json_equal(want, got);
}

static bool ignored(const char *key)
{
	/* Virtual time and PC are the guest's: no guest runs here. */
	return strcmp(key, "t") == 0 || strcmp(key, "pc") == 0;
}

/* The fields of @want that @got lacks or holds differently (arrays: @want's prefix). */
static void diff_subset(json_t *diffs, const char *path, json_t *want, json_t *got, bool top)
{
	char sub[256];

	if (json_is_object(want) && json_is_object(got)) {
		const char *k;
		json_t *v;

		json_object_foreach(want, k, v) {
			if (top && ignored(k))
				continue;
			snprintf(sub, sizeof(sub), "%s%s%s", path, *path ? "." : "", k);
			diff_subset(diffs, sub, v, json_object_get(got, k), false);
		}
		return;
	}
	if (json_is_array(want) && json_is_array(got)) {
		size_t i;

		for (i = 0; i < json_array_size(want); i++) {
			snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
			diff_subset(diffs, sub, json_array_get(want, i), json_array_get(got, i), false);
		}
		return;
	}
	if (!got || !same_value(want, got))
		rp_add_diff(diffs, *path ? path : "(line)", want, got);
}

/* ---- divergence ----------------------------------------------------------------------- */

static char *dump(json_t *j)
{
	return j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
}

/* Diverge at log line @lineno (expected text @want) against the model's @got (may be NULL). */
static void diverge(struct mreplay *r, long lineno, const char *want, json_t *got, json_t *diffs, const char *fmt,
		    ...) __attribute__((format(printf, 6, 7)));
static void diverge(struct mreplay *r, long lineno, const char *want, json_t *got, json_t *diffs, const char *fmt,
		    ...)
{
	char *actual = dump(got);
	va_list ap;

	rp_diverge(&r->rp, want, actual);
	r->rp.at_line = lineno;
	r->rp.diffs = diffs ? diffs : json_array();
	va_start(ap, fmt);
	vsnprintf(r->cause, sizeof(r->cause), fmt, ap);
	va_end(ap);
	r->rp.cause = r->cause;
	free(actual);
}

static const char *kind_of(json_t *j)
{
	const char *k = json_string_value(json_object_get(j, "kind"));

	return k ? k : "hvc";
}

/* Compare a log line with what the model reported; true when they agree. */
static bool check_line(struct mreplay *r, long lineno, const char *text, json_t *want, json_t *got, const char *what)
{
	json_t *diffs = json_array();

	diff_subset(diffs, "", want, got, true);
	if (json_array_size(diffs) == 0) {
		json_decref(diffs);
		r->rp.matched++;
		rp_remember_at(&r->rp, text, lineno);
		return true;
	}
	diverge(r, lineno, text, got, diffs, "the model's %s differs from the log's", what);
	return false;
}

/* ---- the log's lines ------------------------------------------------------------------ */

static enum line_role role_of(const char *kind)
{
	static const char *const causes[] = { "hvc", "smc", "s2-fault" };
	static const char *const effects[] = { "hyp-panic",	    "abort-inject", "unmodelled",
					       "ownership-violation", "cpu-on",	      "cpu-off" };
	size_t i;

	for (i = 0; i < sizeof(causes) / sizeof(causes[0]); i++)
		if (strcmp(kind, causes[i]) == 0)
			return ROLE_CAUSE;
	for (i = 0; i < sizeof(effects) / sizeof(effects[0]); i++)
		if (strcmp(kind, effects[i]) == 0)
			return ROLE_EFFECT;
	return ROLE_SKIP;
}

/* An effect the model reported that the log does not have, before @lineno (or at the end: 0). */
static bool unexplained_model_effects(struct mreplay *r, long lineno, const char *text)
{
	json_t *q = json_array_get(r->queue, 0);

	if (!q)
		return false;
	diverge(r, lineno ? lineno : r->rp.lineno + 1, text, q, NULL,
		"the model reported a %s that the log does not have %s", kind_of(q),
		lineno ? "before this line" : "(the log ends)");
	return true;
}

/* An effect in the log that no call or fault of the model produced. */
static bool unexplained_log_effects(struct mreplay *r)
{
	json_t *p = json_array_get(r->pending, 0);

	if (!p)
		return false;
	diverge(r, (long)json_integer_value(json_object_get(p, "line")), json_string_value(json_object_get(p, "text")),
		NULL, NULL, "the log has a %s here that the model did not report",
		kind_of(json_object_get(p, "event")));
	return true;
}

static int vcpu_of(struct mreplay *r, json_t *j)
{
	json_t *v = json_object_get(j, "vcpu");
	uint64_t n;

	if (!v)
		return 0;
	if (!number(v, &n) || n >= (uint64_t)r->m->cfg.nvcpus) {
		rp_bad(&r->rp, "line %ld: 'vcpu' must be a vCPU of the machine (0..%d)", r->rp.lineno,
		       r->m->cfg.nvcpus - 1);
		return -1;
	}
	return (int)n;
}

/* A function id by name: a pKVM host hypercall slot, hypsim's key flip or its test call. */
static bool fid_by_name(const char *name, uint64_t *fid)
{
	unsigned id;

	if (strcmp(name, "hypsim_pkvm_key") == 0 || strcmp(name, "hypsim_pkvm_test") == 0) {
		*fid = name[12] == 'k' ? HYPSIM_SIP_PKVM_KEY : HYPSIM_SIP_PKVM_TEST;
		return true;
	}
	for (id = 0; id < PKVM_NR_HCALLS; id++)
		if (pkvm_hcall_name(id) && strcmp(pkvm_hcall_name(id), name) == 0) {
			*fid = KVM_HOST_SMCCC_ID(id);
			return true;
		}
	return false;
}

/*
 * An s2-fault's ESR_EL2 and FAR_EL2: "esr" and "far" as recorded, else a
 * lower-EL abort (IL, level-3 translation fault, no ISV) at the IPA.
 */
static bool fault_syndrome(struct mreplay *r, json_t *j, struct cpu_exit *e)
{
	json_t *esr = json_object_get(j, "esr"), *far = json_object_get(j, "far");
	uint64_t n = ((e->stage2.fetch ? 0x20ull : 0x24ull) << 26) | (1ull << 25) | 0x07;

	if (esr && (!number(esr, &n) || n > 0xffffffffu)) {
		rp_bad(&r->rp, "line %ld: 'esr' must be a 32-bit number", r->rp.lineno);
		return false;
	}
	e->stage2.esr = (uint32_t)n;
	e->stage2.far = e->stage2.ipa;
	if (far && !number(far, &e->stage2.far)) {
		rp_bad(&r->rp, "line %ld: 'far' must be a number", r->rp.lineno);
		return false;
	}
	return true;
}

/* An s2-fault line's exit: the IPA, data or fetch, the syndrome. Return: false (bad input, reported). */
static bool make_fault(struct mreplay *r, json_t *j, struct cpu_exit *e)
{
	const char *access = json_string_value(json_object_get(j, "access"));

	e->kind = CPU_EXIT_STAGE2;
	if (!number(json_object_get(j, "ipa"), &e->stage2.ipa)) {
		rp_bad(&r->rp, "line %ld: an s2-fault needs 'ipa' (a number)", r->rp.lineno);
		return false;
	}
	if (access && strcmp(access, "fetch") && strcmp(access, "data")) {
		rp_bad(&r->rp, "line %ld: 'access' is \"data\" or \"fetch\", not \"%s\"", r->rp.lineno, access);
		return false;
	}
	e->stage2.fetch = access && strcmp(access, "fetch") == 0;
	return fault_syndrome(r, j, e);
}

/* Build the exit a guest HVC/SMC or stage-2 abort would make. Return: false (bad input, reported). */
static bool make_exit(struct mreplay *r, json_t *j, const char *kind, struct vcpu *v, struct cpu_exit *e)
{
	json_t *args, *a;
	const char *name;
	uint64_t n;
	size_t i;

	if (number(json_object_get(j, "t"), &n) && n > r->m->now)
		r->m->now = n; /* the recorded virtual time: what the handlers stamp (PSCI start times) */
	e->pc = cpu_pc(&v->cpu);
	e->time = r->m->now;
	if (strcmp(kind, "s2-fault") == 0)
		return make_fault(r, j, e);
	e->kind = CPU_EXIT_HCALL;
	e->hcall.conduit = strcmp(kind, "smc") == 0 ? CPU_CONDUIT_SMC : CPU_CONDUIT_HVC;
	if (json_object_get(j, "imm")) {
		if (!number(json_object_get(j, "imm"), &n) || n > 0xffff) {
			rp_bad(&r->rp, "line %ld: 'imm' must be a number 0..0xffff", r->rp.lineno);
			return false;
		}
		e->hcall.imm = (uint32_t)n;
	}
	if (json_object_get(j, "fid")) {
		if (!number(json_object_get(j, "fid"), &e->hcall.a[0])) {
			rp_bad(&r->rp, "line %ld: 'fid' must be a number", r->rp.lineno);
			return false;
		}
	} else if (!(name = json_string_value(json_object_get(j, "call"))) || !fid_by_name(name, &e->hcall.a[0])) {
		rp_bad(&r->rp, "line %ld: a call needs 'fid', or 'call' naming a pKVM host hypercall (e.g. "
		       "\"__pkvm_host_share_hyp\"), \"hypsim_pkvm_key\" or \"hypsim_pkvm_test\"", r->rp.lineno);
		return false;
	}
	args = json_object_get(j, "args");
	if (args && (!json_is_array(args) || json_array_size(args) > 5)) {
		rp_bad(&r->rp, "line %ld: 'args' must be a list of at most 5 numbers (x1..x5)", r->rp.lineno);
		return false;
	}
	json_array_foreach(args, i, a) {
		if (!number(a, &e->hcall.a[i + 1])) {
			rp_bad(&r->rp, "line %ld: args[%zu] is not a number", r->rp.lineno, i);
			return false;
		}
	}
	for (i = 0; i < 4; i++) /* x0..x3 come back as passed unless the handler writes them */
		e->hcall.ret[i] = e->hcall.a[i];
	return true;
}

/* A call or fault: drive the model, then compare what it reported with the log. */
/*
 * The exit a log line stands for, with the vCPUs booted on first use.
 * Return: false when the line is not served (already reported, or a call
 * that reads no model).
 */
static bool prepare_cause(struct mreplay *r, json_t *j, const char *text, int *vcpu, struct cpu_exit *e)
{
	if (unexplained_model_effects(r, r->rp.lineno, text))
		return false;
	if (r->m->halted) {
		diverge(r, r->rp.lineno, text, NULL, NULL,
			"the hypervisor stopped earlier (a hyp panic or an unmodelled call); it takes no more calls");
		return false;
	}
	if ((*vcpu = vcpu_of(r, j)) < 0 || !make_exit(r, j, kind_of(j), &r->m->vcpus[*vcpu], e))
		return false;
	if (e->kind == CPU_EXIT_HCALL && e->hcall.a[0] == HYPSIM_SIP_FUZZ_REFILL) {
		r->skipped++; /* it reads the fuzzer's generator, not a model */
		json_array_clear(r->pending);
		return false;
	}
	if (!r->m->booted) {
		struct run_goal g = { .until_cycle = 0 };

		if (!r->m->entry && r->m->cfg.nmem) /* no image: park the vCPUs at the start of RAM */
			r->m->entry = r->m->cfg.mem[0].base;
		if (machine_run(r->m, &g) == RUN_ERROR) { /* boots the vCPUs, runs nothing */
			rp_bad(&r->rp, "cannot boot the vCPUs: %s", r->m->err);
			return false;
		}
	}
	return true;
}

/* Serve @e as the guest's exit would; the model's report of it in *@got, the effects around it returned. */
static json_t *serve_cause(struct mreplay *r, int vcpu, struct cpu_exit *e, json_t **got)
{
	json_t *effects = json_array(), *ev;
	size_t i;

	json_array_clear(r->emitted);
	if (e->kind == CPU_EXIT_STAGE2) {
		pkvm_stage2_fault(r->m, &r->m->vcpus[vcpu], e);
		r->faults++;
	} else {
		smccc_dispatch(r->m, &r->m->vcpus[vcpu], e);
		r->calls++;
	}
	*got = NULL;
	json_array_foreach(r->emitted, i, ev) {
		enum line_role role = role_of(kind_of(ev));

		if (!*got && role == ROLE_CAUSE)
			*got = ev;
		else if (role != ROLE_SKIP) /* not what the guest's state decides (an IRQ acknowledged, say) */
			json_array_append(effects, ev);
	}
	return effects;
}

/* Effects the log put before the call (a panic is reported before the call's line). Return: how many matched, -1 on a divergence. */
static long check_pending(struct mreplay *r, json_t *effects)
{
	size_t k;

	for (k = 0; k < json_array_size(r->pending); k++) {
		json_t *p = json_array_get(r->pending, k);
		long at = (long)json_integer_value(json_object_get(p, "line"));
		const char *ptext = json_string_value(json_object_get(p, "text"));

		if (k >= json_array_size(effects)) {
			diverge(r, at, ptext, NULL, NULL, "the log has a %s here that the model did not report",
				kind_of(json_object_get(p, "event")));
			return -1;
		}
		if (!check_line(r, at, ptext, json_object_get(p, "event"), json_array_get(effects, k), "report"))
			return -1;
		r->effects++;
	}
	return (long)k;
}

static void cause(struct mreplay *r, json_t *j, const char *text)
{
	const char *kind = kind_of(j);
	struct cpu_exit e = { 0 };
	json_t *got, *effects, *want = j;
	long k;
	int vcpu;

	if (!prepare_cause(r, j, text, &vcpu, &e))
		return;
	effects = serve_cause(r, vcpu, &e, &got);
	if ((k = check_pending(r, effects)) < 0)
		goto out;
	if (json_object_get(j, "call") && !json_object_get(j, "fid")) {
		want = json_deep_copy(j); /* a call given by name: its name is not a result */
		json_object_del(want, "call");
	}
	if (!got)
		diverge(r, r->rp.lineno, text, json_array_get(effects, 0), NULL,
			"the model made no %s report for this line", kind);
	else if (check_line(r, r->rp.lineno, text, want, got, strcmp(kind, "s2-fault") ? "call result" : "fault"))
		for (; (size_t)k < json_array_size(effects); k++) /* effects after the call's own line */
			json_array_append(r->queue, json_array_get(effects, (size_t)k));
	json_array_clear(r->pending);
	if (want != j)
		json_decref(want);
out:
	json_decref(effects);
}

/* A hyp panic, injected abort, unmodelled call or ownership violation in the log. */
static void effect(struct mreplay *r, json_t *j, const char *text)
{
	json_t *q = json_array_get(r->queue, 0);

	if (!q) { /* reported before the call that causes it: wait for the call */
		json_array_append_new(r->pending,
				      json_pack("{s:I,s:s,s:O}", "line", (json_int_t)r->rp.lineno, "text", text, "event", j));
		return;
	}
	json_incref(q);
	json_array_remove(r->queue, 0);
	if (check_line(r, r->rp.lineno, text, j, q, "report"))
		r->effects++;
	json_decref(q);
}

/* A recording's digest: its pKVM model part. */
static void digest(struct mreplay *r, json_t *j, const char *text)
{
	json_t *want = json_object_get(json_object_get(j, "models"), "pkvm"), *got;
	char hex[32];

	if (!want || unexplained_model_effects(r, r->rp.lineno, text) || unexplained_log_effects(r))
		return;
	snprintf(hex, sizeof(hex), "0x%016" PRIx64, pkvm_digest(machine_pkvm(r->m)));
	got = json_pack("{s:s,s:{s:s}}", "kind", "digest", "models", "pkvm", hex);
	if (json_is_string(want) && strcmp(json_string_value(want), hex) == 0) {
		r->rp.matched++;
		r->digests++;
		rp_remember(&r->rp, text);
	} else {
		json_t *diffs = json_array(), *gv = json_string(hex);

		rp_add_diff(diffs, "models.pkvm", want, gv);
		json_decref(gv);
		diverge(r, r->rp.lineno, text, got, diffs, "the pKVM model's state differs from the recorded digest");
	}
	json_decref(got);
}

/* A recorded scenario input: the ones that set memory or registers run again. */
static void input(struct mreplay *r, json_t *j)
{
	json_t *ln = json_object_get(j, "line");
	char err[600];
	size_t i;

	if (!json_is_integer(ln)) {
		rp_bad(&r->rp, "line %ld: an input without its scenario 'line'", r->rp.lineno);
		return;
	}
	for (i = 0; i < r->s.ncmds; i++) {
		const struct scn_cmd *c = &r->s.cmds[i];

		if (c->line != json_integer_value(ln))
			continue;
		if (!scn_cmd_sets_state(c))
			return;
		if (scn_session_exec(r->ss, c, err, sizeof(err)) < 0)
			rp_bad(&r->rp, "line %ld: %s", r->rp.lineno, err);
		return;
	}
	rp_bad(&r->rp, "line %ld: input names scenario line %" JSON_INTEGER_FORMAT ", which has no command", r->rp.lineno,
	       json_integer_value(ln));
}

/* ---- headers -------------------------------------------------------------------------- */

static bool open_machine(struct mreplay *r, const char *guest_dir)
{
	char err[600];

	if (r->s.cfg.arch != CPU_ARM64 || !pkvm_config(&r->s.cfg)) {
		rp_bad(&r->rp, "%s", r->recording ? "this recording's machine runs no pKVM; model-only replay drives the "
						    "pKVM model (replay it without --model)"
						  : "the setup needs 'arch arm64' and a 'pkvm' line: model-only replay "
						    "drives the pKVM model");
		return false;
	}
	r->so.guest_dir = guest_dir;
	if (!(r->ss = scn_session_open(&r->s, &r->so, err, sizeof(err)))) {
		rp_bad(&r->rp, "cannot build the machine: %s", err);
		return false;
	}
	r->m = scn_session_machine(r->ss);
	r->m->model_only = true;
	r->obs = (struct machine_observer){ .ctx = r, .event = on_event };
	r->m->obs = &r->obs;
	return true;
}

/* A hand-written log's header: {"kind":"hypsim-hcall-log","version":1,"setup":[scenario lines]}. */
/* The header's "setup" (a string or a list of them) as scenario text, one line each. Return: NULL (reported). */
static char *setup_text(struct mreplay *r, json_t *setup, size_t *out_len)
{
	size_t i, len = 0;
	json_t *ln;
	char *text;

	if (json_is_string(setup))
		setup = json_pack("[O]", setup);
	else if (json_is_array(setup) && json_array_size(setup))
		json_incref(setup);
	else {
		rp_bad(&r->rp, "line 1: 'setup' must be the machine's scenario lines (a list of strings)");
		return NULL;
	}
	json_array_foreach(setup, i, ln) {
		if (!json_is_string(ln)) {
			json_decref(setup);
			rp_bad(&r->rp, "line 1: setup[%zu] is not a string", i);
			return NULL;
		}
		len += json_string_length(ln) + 1;
	}
	if (len > MAX_SETUP || !(text = malloc(len + 1))) {
		json_decref(setup);
		rp_bad(&r->rp, "line 1: 'setup' is too long");
		return NULL;
	}
	len = 0;
	json_array_foreach(setup, i, ln) {
		memcpy(text + len, json_string_value(ln), json_string_length(ln));
		len += json_string_length(ln);
		text[len++] = '\n';
	}
	text[len] = '\0';
	json_decref(setup);
	*out_len = len;
	return text;
}

static bool log_header(struct mreplay *r, json_t *h, char **label)
{
	json_t *setup = json_object_get(h, "setup"), *v = json_object_get(h, "version");
	char *text, err[600];
	size_t i, len = 0;

	if (!json_is_integer(v) || json_integer_value(v) != LOG_VERSION) {
		rp_bad(&r->rp, "line 1: hcall log version must be %d", LOG_VERSION);
		return false;
	}
	if (!(text = setup_text(r, setup, &len)))
		return false;
	/* Errors read "LOG setup:LINE:COL", LINE counting setup's strings; images load next to the log. */
	if ((*label = malloc(strlen(r->rp.path) + 7)))
		sprintf(*label, "%s setup", r->rp.path);
	if (!*label || scenario_parse(*label, text, len, &r->s, err, sizeof(err)) < 0) {
		free(text);
		rp_bad(&r->rp, "line 1: %s", *label ? err : "out of memory");
		return false;
	}
	free(text);
	if (!open_machine(r, r->opts->guest_dir))
		return false;
	for (i = 0; i < r->s.ncmds; i++) {
		const struct scn_cmd *c = &r->s.cmds[i];

		if (c->kind < SCN_LOAD)
			continue;
		if (scn_session_exec(r->ss, c, err, sizeof(err)) < 0) {
			rp_bad(&r->rp, "line 1: %s", err);
			return false;
		}
	}
	return true;
}

/* ---- the replay ----------------------------------------------------------------------- */

static void run_log(struct mreplay *r)
{
	const char *line;
	json_error_t jerr;

	while (!r->rp.diverged && !r->rp.bad && (line = rp_next_line(&r->rp))) {
		json_t *j;
		const char *kind;

		if (!r->recording && (!*line || *line == '#'))
			continue; /* blank lines and comments in a hand-written log */
		if (!(j = json_loads(line, JSON_REJECT_DUPLICATES, &jerr)) || !json_is_object(j)) {
			rp_bad(&r->rp, "line %ld:%d: %s", r->rp.lineno, j ? 1 : jerr.column,
			       j ? "not a JSON object" : jerr.text);
			json_decref(j);
			return;
		}
		kind = kind_of(j);
		if (r->recording && strcmp(kind, "truncated") == 0) {
			rp_truncation(&r->rp, j, 0); /* the next line's length is not known here */
			json_decref(j);
			return;
		}
		if (r->recording && strcmp(kind, "end") == 0) {
			json_decref(j);
			break;
		}
		switch (role_of(kind)) {
		case ROLE_CAUSE:
			cause(r, j, line);
			break;
		case ROLE_EFFECT:
			effect(r, j, line);
			break;
		case ROLE_SKIP:
			if (r->recording && strcmp(kind, "input") == 0)
				input(r, j);
			else if (r->recording && strcmp(kind, "digest") == 0)
				digest(r, j, line);
			else if (!r->recording)
				rp_bad(&r->rp, "line %ld: kind \"%s\" is not one of hvc, smc, s2-fault, hyp-panic, abort-inject, "
				       "unmodelled, ownership-violation, cpu-on, cpu-off", r->rp.lineno, kind);
			break;
		}
		json_decref(j);
	}
	if (!r->rp.diverged && !r->rp.bad && !r->rp.truncated && !unexplained_model_effects(r, 0, NULL))
		unexplained_log_effects(r);
}

static const char *plural(uint64_t n)
{
	return n == 1 ? "" : "s";
}

enum replay_status replay_model_stream(FILE *in, const char *path, const struct replay_opts *opts, FILE *out)
{
	struct mreplay r = { .opts = opts };
	struct rp_header h = { 0 };
	enum replay_status st = REPLAY_SAME;
	const char *line;
	char *label = NULL, same[300];
	json_t *head = NULL, *extra;

	rp_init(&r.rp, in, path, "model replay", opts->context);
	r.emitted = json_array();
	r.pending = json_array();
	r.queue = json_array();
	line = rp_next_line(&r.rp);
	if (!line)
		st = r.rp.bad ? REPLAY_BAD : rp_bad(&r.rp, "empty file, not a recording or an hcall log");
	else if (!(head = json_loads(line, JSON_REJECT_DUPLICATES, NULL)) || !json_is_object(head))
		st = rp_bad(&r.rp, "line 1 is not a JSON object (a recording or hcall log header)");
	else if (strcmp(kind_of(head), LOG_KIND) == 0)
		st = log_header(&r, head, &label) ? REPLAY_SAME : REPLAY_BAD;
	else {
		r.recording = true;
		st = rp_parse_header(&r.rp, line, &h, &r.s, opts);
		if (st == REPLAY_SAME && !open_machine(&r, h.guest_dir))
			st = REPLAY_BAD;
	}
	if (st == REPLAY_SAME) {
		run_log(&r);
		st = r.rp.bad ? REPLAY_BAD : r.rp.diverged ? REPLAY_DIVERGED : REPLAY_SAME;
	}
	snprintf(same, sizeof(same), "%" PRIu64 " hypercall%s, %" PRIu64 " stage-2 fault%s, %" PRIu64
		 " hypervisor report%s and %" PRIu64 " digest%s agree with the pKVM model%s",
		 r.calls, plural(r.calls), r.faults, plural(r.faults), r.effects, plural(r.effects), r.digests,
		 plural(r.digests),
		 r.rp.truncated ? " (the recording was truncated at its size limit; the rest is unchecked)" : "");
	if (r.skipped)
		snprintf(same + strlen(same), sizeof(same) - strlen(same),
			 "; %" PRIu64 " interrupt-acknowledge or fuzz-refill call%s skipped (not a model's)", r.skipped,
			 plural(r.skipped));
	extra = json_pack("{s:s,s:I,s:I,s:I,s:I,s:I}", "mode", "model", "calls", (json_int_t)r.calls, "faults",
			  (json_int_t)r.faults, "reports", (json_int_t)r.effects, "digests", (json_int_t)r.digests,
			  "skipped", (json_int_t)r.skipped);
	rp_report(&r.rp, out, st, opts->json, extra, same);
	json_decref(extra);
	json_decref(head);
	json_decref(h.root);
	json_decref(r.emitted);
	json_decref(r.pending);
	json_decref(r.queue);
	scn_session_close(r.ss);
	scenario_free(&r.s);
	free(label);
	rp_free(&r.rp);
	return st;
}

enum replay_status replay_model_file(const char *path, const struct replay_opts *opts, FILE *out)
{
	FILE *f = rp_open(path, "model replay", opts->json, out);
	enum replay_status st;

	if (!f)
		return REPLAY_BAD;
	st = replay_model_stream(f, path, opts, out);
	fclose(f);
	return st;
}
