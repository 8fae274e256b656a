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
	char dir[4096];      /* the recording's directory (absolute): header paths are relative to it */
	uint64_t limit;      /* the header's record_limit; 0 until the header is read */
	uint64_t event_bytes; /* bytes of the lines after the header read so far, newlines included */
	uint64_t line_bytes;  /* bytes of the current line as read, its newline included */
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
/**
 * rp_only_keys() - @obj has no member outside @keys (NULL-terminated);
 * @where names it in the message.  Return: REPLAY_SAME, or REPLAY_BAD.
 */
enum replay_status rp_only_keys(struct rp *r, json_t *obj, const char *const *keys, const char *where);
/**
 * rp_truncation() - the current line is a "truncated" marker: it must have
 * only "kind" and "limit", name the header's record_limit, be the last line,
 * and come where the recorder would have written it: before a line of
 * @next_len bytes (0 when unknown) that would not have fitted.  Return:
 * true when it is a valid marker (r->truncated set), else false with the
 * recording marked bad.
 */
bool rp_truncation(struct rp *r, json_t *marker, size_t next_len);
/**
 * rp_open() - open the recording @path for reading: a regular file only (a
 * FIFO, directory or device is refused, as is a file larger than a
 * recording can be).  Return: the stream, or NULL with the report written.
 */
FILE *rp_open(const char *path, const char *label, bool json, FILE *out);
void rp_free(struct rp *r);

/* A recording's header (replay.c). */
struct rp_header {
	json_t *root;
	const char *spath, *text;
	size_t text_len;
	uint64_t every, max_insns;
	enum cpu_clock clock;
	const char *guest_dir;
	char spath_buf[4096];   /* the scenario's path, resolved against the recording's directory */
	char gdir_buf[4096];    /* the recorded guest directory, resolved likewise */
};

/**
 * rp_parse_header() - check @line, a recording's first line: kind, version,
 * the embedded scenario (parsed into @s) against its digest, the options,
 * the config against the scenario's, and each image against its digest
 * (by name: under o->guest_dir when given, else the recorded guest
 * directory, else o->default_guest_dir).  Every member is checked: an
 * unknown one makes the header bad.  Return: REPLAY_SAME, or
 * REPLAY_BAD with the reason in @r.  The caller frees h->root.
 */
enum replay_status rp_parse_header(struct rp *r, const char *line, struct rp_header *h, struct scenario *s,
				   const struct replay_opts *o);

#endif
