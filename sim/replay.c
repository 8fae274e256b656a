/* SPDX-License-Identifier: MIT */
/* Replay: re-run a recording's scenario and compare line by line (record.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "record.h"

#define MAX_CONTEXT 16
#define MAX_DIFFS 12
#define MAX_RECORDING_LINE (64u << 20)

struct seen {
	char *text;
	long lineno;
};

struct replayer {
	struct rec_core core;
	FILE *f;
	const char *path;
	char *buf;
	size_t cap;
	long lineno;
	struct seen last[MAX_CONTEXT];
	unsigned nlast, context;
	uint64_t matched;
	bool diverged, bad, truncated;
	/* the report */
	long at_line;
	char *expected, *actual;
	json_t *diffs;
	char why[600];
};

/* ---- reading the recording ------------------------------------------------------------ */

/* The next line without its newline, or NULL at the end (or on an over-long line: bad). */
static const char *next_line(struct replayer *r)
{
	ssize_t n = getline(&r->buf, &r->cap, r->f);

	if (n < 0)
		return NULL;
	r->lineno++;
	if ((size_t)n > MAX_RECORDING_LINE) {
		r->bad = true;
		snprintf(r->why, sizeof(r->why), "%s:%ld: line longer than %u bytes", r->path, r->lineno,
			 MAX_RECORDING_LINE);
		return NULL;
	}
	while (n > 0 && (r->buf[n - 1] == '\n' || r->buf[n - 1] == '\r'))
		r->buf[--n] = '\0';
	return r->buf;
}

static void remember(struct replayer *r, const char *line)
{
	struct seen *s;

	if (!r->context)
		return;
	if (r->nlast == r->context) {
		free(r->last[0].text);
		memmove(r->last, r->last + 1, (r->context - 1) * sizeof(r->last[0]));
		r->nlast--;
	}
	s = &r->last[r->nlast++];
	s->text = strdup(line);
	s->lineno = r->lineno;
}

/* ---- comparing ---------------------------------------------------------------------- */

static void add_diff(json_t *diffs, const char *path, json_t *exp, json_t *act)
{
	if (json_array_size(diffs) >= MAX_DIFFS)
		return;
	json_t *d = json_pack("{s:s}", "field", path);

	if (exp)
		json_object_set(d, "expected", exp);
	if (act)
		json_object_set(d, "actual", act);
	json_array_append_new(diffs, d);
}

/* Collect the paths where @exp and @act differ (objects by key, arrays by index). */
static void diff_json(json_t *diffs, const char *path, json_t *exp, json_t *act)
{
	char sub[256];

	if (exp && act && json_equal(exp, act))
		return;
	if (json_is_object(exp) && json_is_object(act)) {
		const char *k;
		json_t *v;

		json_object_foreach(exp, k, v) {
			snprintf(sub, sizeof(sub), "%s%s%s", path, *path ? "." : "", k);
			diff_json(diffs, sub, v, json_object_get(act, k));
		}
		json_object_foreach(act, k, v) {
			if (json_object_get(exp, k))
				continue;
			snprintf(sub, sizeof(sub), "%s%s%s", path, *path ? "." : "", k);
			add_diff(diffs, sub, NULL, v);
		}
		return;
	}
	if (json_is_array(exp) && json_is_array(act)) {
		size_t i, n = json_array_size(exp) > json_array_size(act) ? json_array_size(exp) : json_array_size(act);

		for (i = 0; i < n; i++) {
			snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
			diff_json(diffs, sub, json_array_get(exp, i), json_array_get(act, i));
		}
		return;
	}
	add_diff(diffs, *path ? path : "(line)", exp, act);
}

static void diverge(struct replayer *r, struct machine *m, const char *expected, const char *actual)
{
	r->diverged = true;
	r->at_line = r->lineno;
	r->expected = expected ? strdup(expected) : NULL;
	r->actual = actual ? strdup(actual) : NULL;
	if (m)
		m->stop_requested = true;
}

static void compare(struct rec_core *c, struct machine *m, const char *line, size_t len)
{
	struct replayer *r = (struct replayer *)c;
	const char *rec;
	json_t *je, *ja;
	json_error_t jerr;

	(void)len;
	if (r->diverged || r->bad || r->truncated)
		return;
	rec = next_line(r);
	if (!rec) {
		if (!r->bad)
			diverge(r, m, NULL, line);
		else if (m)
			m->stop_requested = true;
		return;
	}
	if (strcmp(rec, line) == 0) {
		r->matched++;
		remember(r, line);
		return;
	}
	je = json_loads(rec, 0, &jerr);
	if (!je) {
		r->bad = true;
		snprintf(r->why, sizeof(r->why), "%s:%ld:%d: not JSON: %s", r->path, r->lineno, jerr.column, jerr.text);
		if (m)
			m->stop_requested = true;
		return;
	}
	if (json_is_object(je) && json_is_string(json_object_get(je, "kind")) &&
	    strcmp(json_string_value(json_object_get(je, "kind")), "truncated") == 0) {
		r->truncated = true;
		json_decref(je);
		return;
	}
	ja = json_loads(line, 0, NULL);
	if (ja && json_equal(je, ja)) {
		r->matched++;
		remember(r, line);
	} else {
		r->diffs = json_array();
		diff_json(r->diffs, "", je, ja);
		diverge(r, m, rec, line);
	}
	json_decref(je);
	json_decref(ja);
}

/* ---- the header --------------------------------------------------------------------- */

static enum replay_status bad(struct replayer *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static enum replay_status bad(struct replayer *r, const char *fmt, ...)
{
	size_t n = (size_t)snprintf(r->why, sizeof(r->why), "%s: ", r->path);
	va_list ap;

	if (n < sizeof(r->why)) {
		va_start(ap, fmt);
		vsnprintf(r->why + n, sizeof(r->why) - n, fmt, ap);
		va_end(ap);
	}
	r->bad = true;
	return REPLAY_BAD;
}

static bool same_config(const struct scenario *s, json_t *recorded)
{
	char *text = rec_config_json(s);
	json_t *now = text ? json_loads(text, 0, NULL) : NULL;
	bool same = now && json_equal(now, recorded);

	free(text);
	json_decref(now);
	return same;
}

/* Each recorded image is where the header says, with the same digest. */
static enum replay_status check_images(struct replayer *r, json_t *images, const struct scenario *s,
				       const char *guest_dir)
{
	size_t i;
	json_t *im;

	if (!json_is_array(images))
		return bad(r, "header: 'images' is not a list");
	json_array_foreach(images, i, im) {
		const char *name = json_string_value(json_object_get(im, "name"));
		const char *want = json_string_value(json_object_get(im, "xxh3"));
		char path[1024], hex[32];
		bool ok;
		uint64_t h;

		if (!name || !want)
			return bad(r, "header: image entry without 'name' and 'xxh3'");
		scenario_image_path(s, guest_dir, name, path, sizeof(path));
		h = rec_file_digest(path, &ok);
		if (!ok)
			return bad(r, "image %s is missing (looked for %s); pass --guest-dir DIR if it moved", name, path);
		snprintf(hex, sizeof(hex), "0x%016" PRIx64, h);
		if (strcmp(hex, want) != 0)
			return bad(r, "image %s differs from the recorded one (%s: recorded %s, now %s)", name, path, want,
				   hex);
	}
	return REPLAY_SAME;
}

struct header {
	json_t *root;
	const char *spath, *text;
	size_t text_len;
	uint64_t every, max_insns;
	enum cpu_clock clock;
	const char *guest_dir;
};

static enum replay_status read_header(struct replayer *r, struct header *h, struct scenario *s, const char *guest_dir)
{
	json_error_t jerr;
	json_t *sc, *opt, *v;
	const char *line = next_line(r), *sum;
	char hex[32], err[600];

	if (!line)
		return r->bad ? REPLAY_BAD : bad(r, "empty file, not a recording");
	h->root = json_loads(line, 0, &jerr);
	if (!h->root)
		return bad(r, "line 1 is not JSON (%s)", jerr.text);
	v = json_object_get(h->root, "kind");
	if (!json_is_string(v) || strcmp(json_string_value(v), "hypsim-recording") != 0)
		return bad(r, "line 1 is not a hypsim recording header (kind \"hypsim-recording\")");
	v = json_object_get(h->root, "version");
	if (!json_is_integer(v) || json_integer_value(v) != REC_VERSION) {
		snprintf(hex, sizeof(hex), "%" PRId64, json_is_integer(v) ? (int64_t)json_integer_value(v) : -1);
		return bad(r, "recording format version %s; this hypsim reads version %s", hex, "1");
	}
	sc = json_object_get(h->root, "scenario");
	h->spath = json_string_value(json_object_get(sc, "path"));
	h->text = json_string_value(json_object_get(sc, "text"));
	h->text_len = json_string_length(json_object_get(sc, "text"));
	sum = json_string_value(json_object_get(sc, "xxh3"));
	if (!h->spath || !h->text || !sum)
		return bad(r, "header: 'scenario' needs 'path', 'text' and 'xxh3'");
	snprintf(hex, sizeof(hex), "0x%016" PRIx64, rec_text_digest(h->text, h->text_len));
	if (strcmp(hex, sum) != 0)
		return bad(r, "header: the scenario text does not match its digest (%s recorded, %s now): edited?", sum, hex);
	opt = json_object_get(h->root, "options");
	v = json_object_get(opt, "clock");
	if (!json_is_string(v) || (strcmp(json_string_value(v), "block") && strcmp(json_string_value(v), "insn")))
		return bad(r, "header: options.clock must be \"block\" or \"insn\"");
	h->clock = strcmp(json_string_value(v), "insn") == 0 ? CPU_CLOCK_INSN : CPU_CLOCK_BLOCK;
	v = json_object_get(opt, "max_insns");
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return bad(r, "header: options.max_insns must be a number >= 0");
	h->max_insns = (uint64_t)json_integer_value(v);
	h->guest_dir = guest_dir ? guest_dir : json_string_value(json_object_get(opt, "guest_dir"));
	v = json_object_get(h->root, "digest_every");
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return bad(r, "header: digest_every must be a number >= 0");
	h->every = (uint64_t)json_integer_value(v);
	if (scenario_parse(h->spath, h->text, h->text_len, s, err, sizeof(err)) < 0)
		return bad(r, "the embedded scenario does not parse: %s", err);
	if (!same_config(s, json_object_get(h->root, "config")))
		return bad(r, "header: 'config' does not match the embedded scenario's machine: edited?");
	return check_images(r, json_object_get(h->root, "images"), s, h->guest_dir);
}

/* ---- the report ----------------------------------------------------------------------- */

/* Time, vCPU and PC of a line, as far as it has them. */
static void where(const char *line, uint64_t *t, int *vcpu, char *pc, size_t n)
{
	json_t *j = line ? json_loads(line, 0, NULL) : NULL;
	json_t *regs;

	*t = 0;
	*vcpu = -1;
	snprintf(pc, n, "?");
	if (!j)
		return;
	if (json_is_integer(json_object_get(j, "t")))
		*t = (uint64_t)json_integer_value(json_object_get(j, "t"));
	if (json_is_integer(json_object_get(j, "vcpu")))
		*vcpu = (int)json_integer_value(json_object_get(j, "vcpu"));
	if (json_is_string(json_object_get(j, "pc")))
		snprintf(pc, n, "%s", json_string_value(json_object_get(j, "pc")));
	regs = json_object_get(j, "regs");
	if (*vcpu < 0 && json_is_object(regs)) {
		const char *k;
		json_t *v;

		json_object_foreach(regs, k, v) {
			if (json_is_string(json_object_get(v, "pc"))) {
				*vcpu = atoi(k + 4);
				snprintf(pc, n, "%s", json_string_value(json_object_get(v, "pc")));
				break;
			}
		}
	}
	json_decref(j);
}

/* What a digest difference means, in words. */
static void digest_part(const char *field, char *out, size_t n)
{
	const char *dot;

	if (strncmp(field, "regs.vcpu", 9) == 0 && (dot = strchr(field + 9, '.')))
		snprintf(out, n, "register %s of vcpu %.*s", dot + 1, (int)(dot - field - 9), field + 9);
	else if (strncmp(field, "pages.", 6) == 0)
		snprintf(out, n, "memory page %s (contents written since the previous digest)", field + 6);
	else if (strncmp(field, "models.", 7) == 0)
		snprintf(out, n, "model %s", field + 7);
	else if (strncmp(field, "retired", 7) == 0)
		snprintf(out, n, "instructions retired %s", field + 7);
	else
		snprintf(out, n, "%s", field);
}

static void print_value(FILE *out, json_t *v)
{
	char *s = v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;

	fputs(s ? s : "(absent)", out);
	free(s);
}

static bool is_digest(const char *line)
{
	json_t *j = line ? json_loads(line, 0, NULL) : NULL;
	const char *kind = json_string_value(json_object_get(j, "kind"));
	bool yes = kind && strcmp(kind, "digest") == 0;

	json_decref(j);
	return yes;
}

/* A line in the text report: long ones (digests) are cut; the differences name the fields. */
static void print_line(FILE *out, const char *label, const char *line, const char *none)
{
	size_t n = line ? strlen(line) : 0;

	if (!line)
		fprintf(out, "  %s%s\n", label, none);
	else if (n <= 400)
		fprintf(out, "  %s%s\n", label, line);
	else
		fprintf(out, "  %s%.400s ... (%zu more bytes)\n", label, line, n - 400);
}

static void report_text(struct replayer *r, FILE *out)
{
	uint64_t t;
	int vcpu;
	char pc[64];
	size_t i;
	json_t *d;
	bool digest = is_digest(r->expected);

	where(r->expected ? r->expected : r->actual, &t, &vcpu, pc, sizeof(pc));
	fprintf(out, "replay: DIVERGED at %s:%ld, after %" PRIu64 " matching lines\n", r->path, r->at_line, r->matched);
	fprintf(out, "  virtual time %" PRIu64 " cycles, vcpu %d, pc %s\n", t, vcpu, pc);
	print_line(out, "expected: ", r->expected, "(end of recording)");
	print_line(out, "actual:   ", r->actual, "(the run ended)");
	json_array_foreach(r->diffs, i, d) {
		const char *field = json_string_value(json_object_get(d, "field"));
		char what[300];

		if (digest)
			digest_part(field, what, sizeof(what));
		else
			snprintf(what, sizeof(what), "%s", field);
		fprintf(out, "  differs:  %s: expected ", what);
		print_value(out, json_object_get(d, "expected"));
		fputs(", actual ", out);
		print_value(out, json_object_get(d, "actual"));
		fputc('\n', out);
	}
	if (r->nlast) {
		fprintf(out, "  last matching lines:\n");
		for (i = 0; i < r->nlast; i++)
			fprintf(out, "    %ld: %s\n", r->last[i].lineno, r->last[i].text);
	}
}

static void report_json(struct replayer *r, FILE *out, enum replay_status st)
{
	json_t *o = json_object(), *last = json_array();
	uint64_t t;
	int vcpu;
	char pc[64], *text;
	unsigned i;

	json_object_set_new(o, "recording", json_string(r->path));
	json_object_set_new(o, "result", json_string(st == REPLAY_SAME ? "same" : st == REPLAY_DIVERGED ? "diverged" : "bad"));
	json_object_set_new(o, "matched_lines", json_integer((json_int_t)r->matched));
	if (st == REPLAY_BAD)
		json_object_set_new(o, "error", json_string(r->why));
	if (r->truncated)
		json_object_set_new(o, "recording_truncated", json_true());
	if (st == REPLAY_DIVERGED) {
		where(r->expected ? r->expected : r->actual, &t, &vcpu, pc, sizeof(pc));
		json_object_set_new(o, "line", json_integer(r->at_line));
		json_object_set_new(o, "t", json_integer((json_int_t)t));
		json_object_set_new(o, "vcpu", json_integer(vcpu));
		json_object_set_new(o, "pc", json_string(pc));
		json_object_set_new(o, "expected", r->expected ? json_loads(r->expected, 0, NULL) : json_null());
		json_object_set_new(o, "actual", r->actual ? json_loads(r->actual, 0, NULL) : json_null());
		json_object_set_new(o, "differences", r->diffs ? json_incref(r->diffs) : json_array());
		for (i = 0; i < r->nlast; i++)
			json_array_append_new(last, json_pack("{s:I,s:o?}", "line", (json_int_t)r->last[i].lineno, "event",
							      json_loads(r->last[i].text, 0, NULL)));
		json_object_set(o, "last_matching", last);
	}
	text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	fprintf(out, "%s\n", text ? text : "{}");
	free(text);
	json_decref(last);
	json_decref(o);
}

/* ---- replay ----------------------------------------------------------------------- */

static void replayer_free(struct replayer *r)
{
	unsigned i;

	for (i = 0; i < r->nlast; i++)
		free(r->last[i].text);
	free(r->buf);
	free(r->expected);
	free(r->actual);
	json_decref(r->diffs);
	rec_core_free(&r->core);
}

enum replay_status replay_file(const char *path, const struct replay_opts *opts, FILE *out,
			       struct replay_speed *speed)
{
	FILE *f = fopen(path, "r");
	enum replay_status st;

	if (!f) {
		if (opts->json)
			fprintf(out, "{\"recording\":\"%s\",\"result\":\"bad\",\"error\":\"cannot open: %s\"}\n", path,
				strerror(errno));
		else
			fprintf(out, "replay: bad recording: %s: %s\n", path, strerror(errno));
		return REPLAY_BAD;
	}
	st = replay_stream(f, path, opts, out, speed);
	fclose(f);
	return st;
}

enum replay_status replay_stream(FILE *in, const char *path, const struct replay_opts *opts, FILE *out,
				 struct replay_speed *speed)
{
	struct replayer r = { .path = path, .context = opts->context < 0 ? 3u : (unsigned)opts->context };
	struct header h = { 0 };
	struct scenario s = { 0 };
	struct scn_options so = { 0 };
	struct scn_result res;
	enum replay_status st;

	if (r.context > MAX_CONTEXT)
		r.context = MAX_CONTEXT;
	r.f = in;
	st = read_header(&r, &h, &s, opts->guest_dir);
	if (st != REPLAY_SAME)
		goto report;
	rec_core_init(&r.core, &s, h.guest_dir, h.every);
	r.core.emit = compare;
	so.obs = &r.core.obs;
	so.clock = h.clock;
	so.max_insns = h.max_insns;
	so.guest_dir = h.guest_dir;
	scenario_run(&s, &so, &res);
	rec_core_end(&r.core, &res);
	if (speed)
		speed->lines = r.core.lines;
	scn_result_free(&res);
	if (!r.diverged && !r.bad && !r.truncated && next_line(&r))
		diverge(&r, NULL, r.buf, NULL); /* the recording goes on */
	st = r.bad ? REPLAY_BAD : r.diverged ? REPLAY_DIVERGED : REPLAY_SAME;
report:
	if (opts->json)
		report_json(&r, out, st);
	else if (st == REPLAY_BAD)
		fprintf(out, "replay: bad recording: %s\n", r.why);
	else if (st == REPLAY_DIVERGED)
		report_text(&r, out);
	else
		fprintf(out, "replay: identical: %" PRIu64 " lines matched%s\n", r.matched,
			r.truncated ? " (the recording was truncated at its size limit; the rest is unchecked)" : "");
	json_decref(h.root);
	scenario_free(&s);
	replayer_free(&r);
	return st;
}
