/* SPDX-License-Identifier: MIT */
/*
 * Recordings and replay (format: docs/recording.md).
 *
 * A recording is JSON Lines: a header (format version, the scenario's text
 * and digest, the machine configuration, each guest image's path and
 * digest, the options that shape the run), then, in simulation order, every
 * trace event, every scenario input (`input`) and model-command result
 * (`result`), a state digest (`digest`: registers, pages changed since the
 * last digest, each model's digest) every `digest_every` cycles and at the
 * end, and a closing `end` line with the outcome.
 *
 * Replay re-runs the embedded scenario on a fresh machine and compares each
 * line it produces with the recording's next line: byte-equal lines match
 * at once; otherwise both are parsed (jansson) and compared as JSON, so a
 * re-formatted line still matches and a changed one is reported field by
 * field.  The first difference stops the run.
 */
#ifndef HYPSIM_RECORD_H
#define HYPSIM_RECORD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "scenario.h"

#define REC_VERSION 2
#define REC_DEFAULT_EVERY 10000000ull  /* cycles between state digests */
#define REC_DEFAULT_LIMIT (1ull << 30) /* bytes of recording */
#define REC_MAX_LIMIT (1ull << 46)     /* the largest --record-limit: 64 TiB */
#define REC_PAGE 4096u
#define REC_PAGE_BATCH 4096u /* pages asked about at once */

struct rec_config {
	const char *guest_dir; /* as `run --guest-dir` (absolute), or NULL */
	const char *dir;       /* the recording's directory (absolute): header paths are relative to it */
	const char *scenario;  /* the scenario's absolute path (NULL: the scenario's own path) */
	enum cpu_clock clock;
	uint64_t max_insns;    /* `run --max-insns`, 0: none */
	uint64_t every;        /* digest interval in cycles; 0: only the final digest */
	uint64_t limit;        /* bytes; 0: REC_DEFAULT_LIMIT */
};

struct recorder;

/**
 * rec_path_relative() - @target as a path relative to the directory
 * @from_dir, both absolute ("../../build/guest").  Return: 0, or -1 (not
 * absolute, or longer than @n).
 */
int rec_path_relative(const char *from_dir, const char *target, char *out, size_t n);
/**
 * rec_path_resolve() - @path, relative to @base_dir unless absolute, with
 * "." and ".." resolved in the text (the disk is not asked).  Return: 0, or -1.
 */
int rec_path_resolve(const char *base_dir, const char *path, char *out, size_t n);

/**
 * rec_start() - write the header of a recording of @s to @f (which the
 * caller keeps open until rec_end()).  Return: the recorder, or NULL with a
 * message in @err (an unreadable image, out of memory).
 */
struct recorder *rec_start(FILE *f, const struct scenario *s, const struct rec_config *rc, char *err, size_t n);
/** rec_observer() - pass in scn_options.obs while the scenario runs. */
struct scn_observer *rec_observer(struct recorder *r);
/** rec_end() - write the closing line and free @r. Return: 0, or -1 when a write failed. */
int rec_end(struct recorder *r, const struct scn_result *res);

/* Exit statuses of `hypsim replay`. */
enum replay_status { REPLAY_SAME = 0, REPLAY_DIVERGED = 1, REPLAY_BAD = 2 };

struct replay_opts {
	const char *guest_dir; /* overrides the recorded one (images moved) */
	const char *default_guest_dir; /* where to look when the recorded one does not hold the images, or NULL */
	bool json;
	int context;           /* matching lines shown before a divergence; < 0: 3 */
	FILE *trace;           /* the replayed run's trace (as hypsim run --trace writes it), or NULL */
};

struct replay_speed {
	uint64_t lines;        /* lines compared */
};

/**
 * replay_file() - replay the recording at @path; the report goes to @out
 * (text, or one JSON object with opts->json).
 * Return: REPLAY_SAME, REPLAY_DIVERGED, or REPLAY_BAD (malformed or
 * incompatible recording, with the reason).
 */
enum replay_status replay_file(const char *path, const struct replay_opts *opts, FILE *out,
			       struct replay_speed *speed);

/** replay_stream() - the same, reading the recording from @in (named @path in messages). */
enum replay_status replay_stream(FILE *in, const char *path, const struct replay_opts *opts, FILE *out,
				 struct replay_speed *speed);

/**
 * replay_model_file() - model-only replay (docs/recording.md): the
 * hypercalls and host stage-2 faults of the recording, or hand-written
 * hcall log, at @path drive the pKVM model with no guest code; each outcome,
 * each hypervisor report (panic, injected abort, unmodelled call, ownership
 * violation) and a recording's pKVM digests are compared with the log.
 * Return: as replay_file().
 */
enum replay_status replay_model_file(const char *path, const struct replay_opts *opts, FILE *out);
enum replay_status replay_model_stream(FILE *in, const char *path, const struct replay_opts *opts, FILE *out);

/* ---- shared by record.c and replay.c -------------------------------------- */

/* A growing string. */
struct dbuf {
	char *p;
	size_t len, cap;
	bool oom;
};
void db_printf(struct dbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void db_json_string(struct dbuf *b, const char *s, size_t len);
void db_free(struct dbuf *b);

/*
 * What recorder and replayer share: the lines a run produces.  @emit gets
 * each finished line (no newline); @m is NULL for the closing line.
 */
struct rec_core {
	struct scn_observer obs;
	const struct scenario *s;
	const char *guest_dir;
	uint64_t *page_hash[MACHINE_MAX_MEM]; /* per page of each RAM region, at the last digest */
	uint64_t zero_hash;                   /* XXH3-64 of a page of zeros */
	bool untouched[REC_PAGE_BATCH];       /* machine_ram_untouched() for the batch being digested */
	uint64_t digests, lines;
	struct dbuf line;
	void (*emit)(struct rec_core *c, struct machine *m, const char *line, size_t len);
};

void rec_core_init(struct rec_core *c, const struct scenario *s, const char *guest_dir, uint64_t every);
void rec_core_free(struct rec_core *c);
/* The closing line for @res. */
void rec_core_end(struct rec_core *c, const struct scn_result *res);
/* The header's "config" and "images" members, as JSON text (malloc'd); images NULL with @err when one is unreadable. */
char *rec_config_json(const struct scenario *s);
uint64_t rec_file_digest(const char *path, bool *ok);
uint64_t rec_text_digest(const char *text, size_t len);

#endif
