/* SPDX-License-Identifier: MIT */
/*
 * `expect event KIND FIELD=VALUE... [at [cycle|tick] T[..T2]]`: at least one
 * event of KIND so far whose fields have those values (and that happened at
 * time T, or within T..T2 inclusive: cycles, a time with a unit, or with
 * `tick` the counter's value when it happened).  The
 * runner keeps the trace lines of the kinds such expectations name while the
 * scenario runs (the machine's capture observer), at most
 * EVENT_KEEP_BYTES of them; an expectation that finds no match after lines
 * were dropped says so.
 *
 * A VALUE that is a number matches a field holding that number, in decimal or
 * as a "0x..." string (trace-format.md writes addresses and syndromes so); any
 * other VALUE matches a string field's text exactly.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_internal.h"

#define EVENT_KEEP_BYTES (64u << 20)
#define EVENT_MAX_MATCHERS 8

struct event_matcher {
	char key[32];
	char text[96];  /* the VALUE as written */
	bool numeric;
	uint64_t value;
};

struct event_expect {
	int n;
	struct event_matcher m[EVENT_MAX_MATCHERS];
	bool has_at, at_ticks;
	struct scn_time at, at_end; /* at..at_end, inclusive (at_end = at for one time) */
};

/* ---- parsing -------------------------------------------------------------------------------- */

static int parse_matcher(struct pctx *p, const struct tok *t, struct event_matcher *m)
{
	const char *eq = strchr(t->text, '=');
	size_t klen = eq ? (size_t)(eq - t->text) : 0;
	char *end;

	if (!eq || klen == 0 || klen >= sizeof(m->key) || !eq[1] || strlen(eq + 1) >= sizeof(m->text))
		return scn_perr(p, t->col, "expected FIELD=VALUE (as in the trace: stip=1, esr=0x96000007), found '%s'",
				t->text);
	memcpy(m->key, t->text, klen);
	m->key[klen] = '\0';
	strcpy(m->text, eq + 1);
	m->value = strtoull(m->text, &end, 0);
	m->numeric = *end == '\0' && (m->text[0] >= '0' && m->text[0] <= '9');
	return 0;
}

/* at [cycle|tick] T[..T2] */
static int parse_at(struct pctx *p, struct event_expect *e)
{
	struct tok *t = scn_next(p, "time");
	char lo[64];
	const char *dots;

	if (!t)
		return -1;
	if (!t->quoted && (scn_is(t, "cycle") || scn_is(t, "tick"))) {
		e->at_ticks = scn_is(t, "tick");
		if (!(t = scn_next(p, e->at_ticks ? "tick count" : "cycle")))
			return -1;
	}
	dots = strstr(t->text, "..");
	if (t->quoted || (dots && (size_t)(dots - t->text) >= sizeof(lo)))
		return scn_perr(p, t->col, "expected a time or a range T..T2, found '%s'", t->text);
	if (!dots) {
		if (scn_time_text(p, t->col, "time", t->text, e->at_ticks, &e->at) < 0)
			return -1;
		e->at_end = e->at;
		return scn_no_more(p);
	}
	memcpy(lo, t->text, (size_t)(dots - t->text));
	lo[dots - t->text] = '\0';
	if (scn_time_text(p, t->col, "range start", lo, e->at_ticks, &e->at) < 0 ||
	    scn_time_text(p, t->col, "range end", dots + 2, e->at_ticks, &e->at_end) < 0)
		return -1;
	if (e->at_end.ns == e->at.ns && e->at_end.value < e->at.value)
		return scn_perr(p, t->col, "the range %s ends before it starts", t->text);
	return scn_no_more(p);
}

/* After `expect event KIND`: matchers and `at ...`, or nothing (then it is a count). */
int scn_parse_event_matchers(struct pctx *p, struct scn_cmd *c)
{
	struct event_expect *e;
	struct tok *t;

	if (p->i >= p->n)
		return 0;
	if (!(e = scn_typed(p, c, sizeof(*e))))
		return -1;
	c->kind = SCN_EXPECT_EVENT;
	p->s->capture_events |= 1ull << c->a;
	while (p->i < p->n) {
		t = &p->t[p->i];
		if (scn_is(t, "at")) {
			p->i++;
			e->has_at = true;
			return parse_at(p, e);
		}
		if (e->n == EVENT_MAX_MATCHERS)
			return scn_perr(p, t->col, "at most %d FIELD=VALUE matchers", EVENT_MAX_MATCHERS);
		p->i++;
		if (parse_matcher(p, t, &e->m[e->n++]) < 0)
			return -1;
	}
	return 0;
}

/* ---- keeping the lines ----------------------------------------------------------------------- */

struct event_store {
	struct machine_observer obs;
	uint64_t kinds;         /* the kinds to keep */
	char **line;
	int *kind;
	uint64_t *ticks; /* the counter when each line was written */
	size_t n, cap, bytes;
	bool dropped;
};

static int line_kind(const char *line)
{
	const char *k = strstr(line, "\"kind\":\"");
	char name[64];
	size_t i;

	if (!k)
		return -1;
	k += 8;
	for (i = 0; k[i] && k[i] != '"' && i + 1 < sizeof(name); i++)
		name[i] = k[i];
	name[i] = '\0';
	return ev_kind_lookup(name);
}

static void keep(void *ctx, struct machine *m, const char *line, size_t len)
{
	struct event_store *st = ctx;
	int k = line_kind(line);
	char *copy;

	if (k < 0 || !((st->kinds >> k) & 1))
		return;
	if (st->bytes + len > EVENT_KEEP_BYTES) {
		st->dropped = true;
		return;
	}
	if (st->n == st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 256;
		char **l = realloc(st->line, cap * sizeof(*l));
		int *kd = l ? realloc(st->kind, cap * sizeof(*kd)) : NULL;
		uint64_t *tk;

		if (l)
			st->line = l;
		if (kd)
			st->kind = kd;
		tk = kd ? realloc(st->ticks, cap * sizeof(*tk)) : NULL;
		if (!tk) {
			st->dropped = true;
			return;
		}
		st->ticks = tk;
		st->cap = cap;
	}
	if (!(copy = malloc(len + 1))) {
		st->dropped = true;
		return;
	}
	memcpy(copy, line, len);
	copy[len] = '\0';
	st->ticks[st->n] = vclock_ticks(&m->clk, strtoull(copy + 5, NULL, 10)); /* {"t":N */
	st->line[st->n] = copy;
	st->kind[st->n++] = k;
	st->bytes += len;
}

struct event_store *scn_events_open(const struct scenario *s)
{
	struct event_store *st;

	if (!s->capture_events || !(st = calloc(1, sizeof(*st))))
		return NULL;
	st->kinds = s->capture_events;
	st->obs = (struct machine_observer){ .ctx = st, .event = keep };
	return st;
}

struct machine_observer *scn_events_observer(struct event_store *st)
{
	return st ? &st->obs : NULL;
}

void scn_events_close(struct event_store *st)
{
	size_t i;

	if (!st)
		return;
	for (i = 0; i < st->n; i++)
		free(st->line[i]);
	free(st->line);
	free(st->kind);
	free(st->ticks);
	free(st);
}

/* ---- matching -------------------------------------------------------------------------------- */

/* The value of "key": in @line, as text (without quotes). Return: false when the line has no such field. */
static bool field(const char *line, const char *key, char *out, size_t n, bool *quoted)
{
	char pat[40];
	const char *v;
	size_t i = 0;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	if (!(v = strstr(line, pat)))
		return false;
	v += strlen(pat);
	*quoted = *v == '"';
	if (*quoted)
		v++;
	while (v[i] && (*quoted ? v[i] != '"' : v[i] != ',' && v[i] != '}') && i + 1 < n) {
		out[i] = v[i];
		i++;
	}
	out[i] = '\0';
	return true;
}

static bool matches(const char *line, const struct event_matcher *m)
{
	char got[128], *end;
	bool quoted;
	uint64_t v;

	if (!field(line, m->key, got, sizeof(got), &quoted))
		return false;
	if (!m->numeric)
		return strcmp(got, m->text) == 0;
	v = strtoull(got, &end, 0);
	return *end == '\0' && end != got && v == m->value;
}

static uint64_t at_cycles(struct exec *x, const struct scn_time *t)
{
	return t->ns ? vclock_cycle_for_ns(&x->m.clk, t->value) : t->value;
}

static bool line_matches(struct exec *x, const char *line, uint64_t ticks, const struct event_expect *e)
{
	uint64_t t;
	int i;

	for (i = 0; i < e->n; i++)
		if (!matches(line, &e->m[i]))
			return false;
	if (!e->has_at)
		return true;
	if (e->at_ticks)
		return ticks >= e->at.value && ticks <= e->at_end.value;
	t = strtoull(line + 5, NULL, 10); /* {"t":N */
	return t >= at_cycles(x, &e->at) && t <= at_cycles(x, &e->at_end);
}

void scn_check_event(struct exec *x, const struct scn_cmd *c, struct event_store *st)
{
	const struct event_expect *e = c->ext;
	size_t i, seen = 0;

	for (i = 0; st && i < st->n; i++) {
		if (st->kind[i] != (int)c->a)
			continue;
		seen++;
		if (line_matches(x, st->line[i], st->ticks[i], e))
			return;
	}
	scn_failf(x, c, "no %s event matches (%zu %s event%s so far%s)", ev_kind_name((int)c->a), seen,
		  ev_kind_name((int)c->a), seen == 1 ? "" : "s",
		  st && st->dropped ? "; some were not kept: more than 64 MiB of events" : "");
}
