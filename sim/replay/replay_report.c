/* SPDX-License-Identifier: MIT */
/* Reading recordings and reporting divergences, for replay and model-only replay (replay_internal.h). */
#include <errno.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "infile.h"
#include "replay_internal.h"

#define MAX_DIFFS 12
#define MAX_RECORDING_LINE (64u << 20)
#define MAX_MARKER_LINE 64u /* {"kind":"truncated","limit":N} and its newline */

void rp_init(struct rp *r, FILE *f, const char *path, const char *label, int context)
{
	char *abs = path ? realpath(path, NULL) : NULL;

	memset(r, 0, sizeof(*r));
	r->f = f;
	r->path = path;
	r->label = label;
	r->context = context < 0 ? 3u : context > RP_MAX_CONTEXT ? RP_MAX_CONTEXT : (unsigned)context;
	if (abs) /* header paths are relative to the recording's directory */
		snprintf(r->dir, sizeof(r->dir), "%s", dirname(abs));
	else if (!getcwd(r->dir, sizeof(r->dir)))
		snprintf(r->dir, sizeof(r->dir), "/");
	free(abs);
}

/*
 * Read into r->buf up to and with a newline, never more than
 * MAX_RECORDING_LINE + 1 bytes (a file without newlines, /dev/zero say,
 * must end as "too long", not fill memory).  Return: the length, -1 at the end.
 */
static long read_line(struct rp *r)
{
	size_t n = 0;
	int ch = EOF;

	while (n <= MAX_RECORDING_LINE && (ch = getc_unlocked(r->f)) != EOF) {
		if (n + 2 > r->cap) {
			size_t cap = r->cap ? r->cap * 2 : 4096;
			char *b = realloc(r->buf, cap);

			if (!b)
				return (long)MAX_RECORDING_LINE + 1; /* reported as too long */
			r->buf = b;
			r->cap = cap;
		}
		r->buf[n++] = (char)ch;
		if (ch == '\n')
			break;
	}
	if (n == 0)
		return -1;
	r->buf[n] = '\0';
	return (long)n;
}

/* The next line without its newline, or NULL at the end (or on an over-long line: bad). */
const char *rp_next_line(struct rp *r)
{
	long n = read_line(r);

	if (n < 0)
		return NULL;
	r->lineno++;
	r->line_bytes = (uint64_t)n;
	if (r->lineno > 1)
		r->event_bytes += (uint64_t)n;
	if (r->limit && r->event_bytes > r->limit + MAX_MARKER_LINE) {
		r->bad = true;
		snprintf(r->why, sizeof(r->why), "%s:%ld: the recording goes on past its record_limit (%" PRIu64
			 " bytes after the header)", r->path, r->lineno, r->limit);
		return NULL;
	}
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

void rp_remember(struct rp *r, const char *line)
{
	rp_remember_at(r, line, r->lineno);
}

void rp_remember_at(struct rp *r, const char *line, long lineno)
{
	struct rp_seen *s;

	if (!r->context)
		return;
	if (r->nlast == r->context) {
		free(r->last[0].text);
		memmove(r->last, r->last + 1, (r->context - 1) * sizeof(r->last[0]));
		r->nlast--;
	}
	s = &r->last[r->nlast++];
	s->text = strdup(line);
	s->lineno = lineno;
}

void rp_diverge(struct rp *r, const char *expected, const char *actual)
{
	r->diverged = true;
	r->at_line = r->lineno;
	r->expected = expected ? strdup(expected) : NULL;
	r->actual = actual ? strdup(actual) : NULL;
}

void rp_add_diff(json_t *diffs, const char *path, json_t *exp, json_t *act)
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
void rp_diff_json(json_t *diffs, const char *path, json_t *exp, json_t *act)
{
	char sub[256];

	if (exp && act && json_equal(exp, act))
		return;
	if (json_is_object(exp) && json_is_object(act)) {
		const char *k;
		json_t *v;

		json_object_foreach(exp, k, v) {
			snprintf(sub, sizeof(sub), "%s%s%s", path, *path ? "." : "", k);
			rp_diff_json(diffs, sub, v, json_object_get(act, k));
		}
		json_object_foreach(act, k, v) {
			if (json_object_get(exp, k))
				continue;
			snprintf(sub, sizeof(sub), "%s%s%s", path, *path ? "." : "", k);
			rp_add_diff(diffs, sub, NULL, v);
		}
		return;
	}
	if (json_is_array(exp) && json_is_array(act)) {
		size_t i, n = json_array_size(exp) > json_array_size(act) ? json_array_size(exp) : json_array_size(act);

		for (i = 0; i < n; i++) {
			snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
			rp_diff_json(diffs, sub, json_array_get(exp, i), json_array_get(act, i));
		}
		return;
	}
	rp_add_diff(diffs, *path ? path : "(line)", exp, act);
}

enum replay_status rp_bad(struct rp *r, const char *fmt, ...)
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

/* Where the divergence is: from the expected line, the vCPU from the actual one if need be. Return: a PC is known. */
static bool locate(struct rp *r, uint64_t *t, int *vcpu, char *pc, size_t n)
{
	int v2;
	uint64_t t2;
	char pc2[8];

	where(r->expected ? r->expected : r->actual, t, vcpu, pc, n);
	if (*vcpu < 0 && r->expected && r->actual) {
		where(r->actual, &t2, &v2, pc2, sizeof(pc2));
		*vcpu = v2;
	}
	return strcmp(pc, "?") != 0;
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

static void report_text(struct rp *r, FILE *out)
{
	uint64_t t;
	int vcpu;
	char pc[64];
	size_t i;
	json_t *d;
	bool digest = is_digest(r->expected), timed = locate(r, &t, &vcpu, pc, sizeof(pc));

	fprintf(out, "%s: DIVERGED at %s:%ld, after %" PRIu64 " matching lines\n", r->label, r->path, r->at_line,
		r->matched);
	if (r->cause)
		fprintf(out, "  %s\n", r->cause);
	if (timed)
		fprintf(out, "  virtual time %" PRIu64 " cycles, vcpu %d, pc %s\n", t, vcpu, pc);
	else if (vcpu >= 0)
		fprintf(out, "  vcpu %d\n", vcpu);
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

static void report_json(struct rp *r, FILE *out, enum replay_status st, json_t *extra)
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
	if (extra)
		json_object_update(o, extra);
	if (st == REPLAY_DIVERGED) {
		locate(r, &t, &vcpu, pc, sizeof(pc));
		json_object_set_new(o, "line", json_integer(r->at_line));
		json_object_set_new(o, "t", json_integer((json_int_t)t));
		json_object_set_new(o, "vcpu", json_integer(vcpu));
		json_object_set_new(o, "pc", json_string(pc));
		if (r->cause)
			json_object_set_new(o, "cause", json_string(r->cause));
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

void rp_report(struct rp *r, FILE *out, enum replay_status st, bool json, json_t *extra, const char *same_text)
{
	if (json)
		report_json(r, out, st, extra);
	else if (st == REPLAY_BAD)
		fprintf(out, "%s: bad recording: %s\n", r->label, r->why);
	else if (st == REPLAY_DIVERGED)
		report_text(r, out);
	else
		fprintf(out, "%s: identical: %s\n", r->label, same_text);
}

enum replay_status rp_open_failed(const char *path, const char *label, bool json, FILE *out)
{
	const char *why = strerror(errno); /* before rp_init(), whose realpath() may change errno */
	struct rp r;
	enum replay_status st;

	rp_init(&r, NULL, path, label, 0);
	st = rp_bad(&r, "cannot open: %s", why);
	rp_report(&r, out, st, json, NULL, "");
	return st;
}

enum replay_status rp_only_keys(struct rp *r, json_t *obj, const char *const *keys, const char *where)
{
	const char *key;
	json_t *v;
	unsigned i;

	json_object_foreach(obj, key, v) {
		for (i = 0; keys[i] && strcmp(keys[i], key) != 0; i++)
			;
		if (!keys[i])
			return rp_bad(r, "header: %s has a member '%.64s' this format does not have: edited?", where, key);
	}
	return REPLAY_SAME;
}

bool rp_truncation(struct rp *r, json_t *marker, size_t next_len)
{
	static const char *const keys[] = { "kind", "limit", NULL };
	json_t *lim = json_object_get(marker, "limit");
	long at = r->lineno;
	uint64_t before = r->event_bytes - r->line_bytes; /* the lines before the marker */
	const char *why = NULL;

	if (rp_only_keys(r, marker, keys, "the truncation marker") != REPLAY_SAME)
		why = "it has members other than 'kind' and 'limit'";
	else if (!json_is_integer(lim) || (uint64_t)json_integer_value(lim) != r->limit)
		why = "its limit is not the header's record_limit";
	else if (before > r->limit)
		why = "the lines before it are already over the limit";
	else if (next_len ? before + next_len + 1 <= r->limit : r->limit - before > MAX_RECORDING_LINE + 1)
		why = "the recording stops short of its limit there: a recording cut short?";
	else if (rp_next_line(r) || r->bad)
		why = r->bad ? NULL : "it is not the last line";
	if (r->bad && !why)
		return false;
	if (why) {
		r->bad = true;
		snprintf(r->why, sizeof(r->why), "%s:%ld: a truncation marker that is not valid: %s", r->path, at, why);
		return false;
	}
	r->truncated = true;
	return true;
}

FILE *rp_open(const char *path, const char *label, bool json, FILE *out)
{
	struct rp r;
	enum infile_err why;
	uint64_t size;
	FILE *f = infile_open(path, &size, &why);

	if (f && size <= REC_MAX_LIMIT + 2ull * MAX_RECORDING_LINE)
		return f;
	if (!f && why == INFILE_ERRNO) {
		rp_open_failed(path, label, json, out);
		return NULL;
	}
	rp_init(&r, NULL, path, label, 0);
	if (f)
		rp_bad(&r, "%" PRIu64 " bytes: larger than any recording can be", size);
	else if (why == INFILE_DIR)
		rp_bad(&r, "a directory, not a recording");
	else
		rp_bad(&r, "not a regular file (a FIFO, socket or device): a recording is read from a file");
	if (f)
		fclose(f);
	rp_report(&r, out, REPLAY_BAD, json, NULL, "");
	rp_free(&r);
	return NULL;
}

void rp_free(struct rp *r)
{
	unsigned i;

	for (i = 0; i < r->nlast; i++)
		free(r->last[i].text);
	free(r->buf);
	free(r->expected);
	free(r->actual);
	json_decref(r->diffs);
	memset(r, 0, sizeof(*r));
}
