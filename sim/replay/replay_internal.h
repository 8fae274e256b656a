/* SPDX-License-Identifier: MIT */
/*
 * What `hypsim replay` (replay.c) and `hypsim replay --model`
 * (replay_model.c) share: reading a recording line by line, remembering the
 * last matching lines, and reporting the first difference (replay_report.c).
 */
#ifndef HYPSIM_REPLAY_INTERNAL_H
#define HYPSIM_REPLAY_INTERNAL_H

#include <jansson.h>

#include "record.h"

#define RP_MAX_CONTEXT 16

struct rp_seen {
	char *text;
	long lineno;
};

/* A recording being read, and the report of its first difference. */
struct rp {
	FILE *f;
	const char *path;
	const char *label;   /* "replay" or "model replay": starts each report */
	char *buf;
	size_t cap;
	long lineno;
	struct rp_seen last[RP_MAX_CONTEXT];
	unsigned nlast, context;
	uint64_t matched;
	bool diverged, bad, truncated;
	long at_line;
	char *expected, *actual;
	json_t *diffs;       /* [{field, expected, actual}] */
	const char *cause;   /* a sentence on the divergence, or NULL */
	char why[600];       /* what made the recording bad */
};

/** rp_init() - start reading @f (named @path); @context < 0 means 3. */
void rp_init(struct rp *r, FILE *f, const char *path, const char *label, int context);
/** rp_next_line() - the next line without its newline, or NULL at the end (or on an over-long line: bad). */
const char *rp_next_line(struct rp *r);
/** rp_remember() - @line (the current one) matched. */
void rp_remember(struct rp *r, const char *line);
/** rp_remember_at() - the same for a line read earlier, @lineno. */
void rp_remember_at(struct rp *r, const char *line, long lineno);
/** rp_diverge() - the current line differs: keep copies of both for the report. */
void rp_diverge(struct rp *r, const char *expected, const char *actual);
/** rp_bad() - the recording is malformed or incompatible: "path: message". Return: REPLAY_BAD. */
enum replay_status rp_bad(struct rp *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** rp_add_diff() - one differing field (at most a dozen are kept). */
void rp_add_diff(json_t *diffs, const char *path, json_t *exp, json_t *act);
/** rp_diff_json() - every path where @exp and @act differ (objects by key, arrays by index). */
void rp_diff_json(json_t *diffs, const char *path, json_t *exp, json_t *act);
/**
 * rp_report() - the verdict @st to @out: text, or one JSON object with
 * @json, to which the members of @extra (may be NULL) are added.
 */
void rp_report(struct rp *r, FILE *out, enum replay_status st, bool json, json_t *extra, const char *same_text);
/** rp_open_failed() - report that @path cannot be opened (errno) as a bad recording. Return: REPLAY_BAD. */
enum replay_status rp_open_failed(const char *path, const char *label, bool json, FILE *out);
void rp_free(struct rp *r);

/* A recording's header (replay.c). */
struct rp_header {
	json_t *root;
	const char *spath, *text;
	size_t text_len;
	uint64_t every, max_insns;
	enum cpu_clock clock;
	const char *guest_dir;
};

/**
 * rp_parse_header() - check @line, a recording's first line: kind, version,
 * the embedded scenario (parsed into @s) against its digest, the options,
 * the config against the scenario's, and each image against its digest
 * (looked for under @guest_dir when given).  Return: REPLAY_SAME, or
 * REPLAY_BAD with the reason in @r.  The caller frees h->root.
 */
enum replay_status rp_parse_header(struct rp *r, const char *line, struct rp_header *h, struct scenario *s,
				   const char *guest_dir);

#endif
