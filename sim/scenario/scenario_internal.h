/* SPDX-License-Identifier: MIT */
/*
 * Shared between the scenario parser and executor files: the tokenizer's
 * state and helpers (scenario_parse.c), and the executor's state and
 * reporting helpers (scenario_run.c).  Not a public interface.
 */
#ifndef HYPSIM_SCENARIO_INTERNAL_H
#define HYPSIM_SCENARIO_INTERNAL_H

#include "scenario.h"

/* ---- parsing -------------------------------------------------------------------- */

#define MAX_TOKENS 24
#define MAX_LINE 4096

struct tok {
	char *text; /* NUL-terminated, unescaped */
	size_t len;
	int col;
	bool quoted;
};

struct pctx {
	const char *path;
	int line;
	struct tok t[MAX_TOKENS];
	int n, i;
	char *err;
	size_t errlen;
	struct scenario *s;
	bool have_arch, have_load, have_percpu;
	bool steps_started; /* machine setup is closed */
	char buf[MAX_LINE * 2];
};

/* scenario_lex.c: the lexer and argument readers. */
int scn_perr(struct pctx *p, int col, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int scn_tokenize(struct pctx *p, const char *line);
/* A decimal with an optional fraction times a unit's scale, required to be whole ("62.5MHz", "1.5ms"). */
struct scn_unit {
	const char *name;
	uint64_t scale;
};
extern const struct scn_unit scn_size_units[], scn_freq_units[];
int scn_scaled_arg(struct pctx *p, const char *what, const struct scn_unit *units, const char *hint, uint64_t *v,
		   bool *had_unit);
int scn_time_arg(struct pctx *p, const char *what, struct scn_time *t);
/* The same from @text (part of a token at @col); @ticks: a plain count only. */
int scn_time_text(struct pctx *p, int col, const char *what, const char *text, bool ticks, struct scn_time *t);
int scn_width_arg(struct pctx *p, int *width);
/* The trailing clauses of a step or expectation: `vcpu N`, and `at TIME` when @allow_at. */
int scn_clauses(struct pctx *p, struct scn_cmd *c, bool allow_at);
struct tok *scn_next(struct pctx *p, const char *what);
bool scn_is(const struct tok *t, const char *word);
int scn_expect_word(struct pctx *p, const char *word);
int scn_no_more(struct pctx *p);
int scn_number(struct pctx *p, const char *what, uint64_t *v);
int scn_vcpu_arg(struct pctx *p, int *vcpu);
/*
 * `ok` or "TEXT", the end of the line.  TEXT goes into the typed command
 * c->ext at @offset (its flexible `char text[]` member; ext grows).
 * Return: 1 (TEXT), 0 (ok), or -1 (reported).
 */
int scn_ok_or_text(struct pctx *p, struct scn_cmd *c, size_t offset);
int scn_op_arg(struct pctx *p, enum scn_op *op);
int scn_string_arg(struct pctx *p, const char *what, struct scn_cmd *c);
int scn_event_arg(struct pctx *p, struct scn_cmd *c);
/* Does [base, base+size) overlap RAM, a `device` region or the firmware page? */
bool scn_overlaps_machine(const struct machine_config *cfg, uint64_t base, uint64_t size);

struct exec;

/*
 * A model binding's scenario commands (binding.h: model_binding.family):
 * a setup line, steps (verbs) and expectations.  Each parse function fills
 * c->ext with the family's own typed command (malloc'd; the scenario frees
 * it); a setup line's ext is also what the binding finds with
 * machine_model_config().  A family may keep state for the scenario's run
 * (pools, the last result): @state_size zeroed bytes, found with
 * scn_state(), hashed in recordings' "scenario" digest by @digest.
 */
struct scn_verb {
	const char *word; /* the step keyword */
	const char *sub;  /* and the word after it, or NULL */
	int (*parse)(struct pctx *p, struct scn_cmd *c);
	int (*exec)(struct exec *x, const struct scn_cmd *c);
	/* What the command returned, for recordings' result lines; NULL: it returns nothing. */
	void (*result)(struct exec *x, const struct scn_cmd *c, int64_t *status, uint64_t *value);
	bool session; /* it only sets memory or registers: model-only replay runs it */
	/* The @i-th file it loads into the guest (recordings keep their digests), or NULL; NULL: none. */
	const char *(*image)(const struct scn_cmd *c, int i);
};

struct scn_expectation {
	const char *word; /* the word after `expect` */
	int (*parse)(struct pctx *p, struct scn_cmd *c);
	void (*check)(struct exec *x, const struct scn_cmd *c);
};

struct scn_family {
	const char *setup; /* a machine-setup keyword, or NULL */
	int (*parse_setup)(struct pctx *p, struct scn_cmd *c);
	const struct scn_verb *verbs;	      /* ends with a NULL word; NULL: none */
	const struct scn_expectation *expects; /* likewise */
	size_t state_size;
	/* Fold the state into the scenario digest (state zeroed if no command touched it). */
	uint64_t (*digest)(const void *state, uint64_t h);
};

/* A typed command's storage: @size zeroed bytes as c->ext, or NULL (reported). */
void *scn_typed(struct pctx *p, struct scn_cmd *c, size_t size);

/* ---- running ------------------------------------------------------------------------ */

#define SCN_MAX_FAMILIES MACHINE_MAX_MODELS

struct event_store;

struct exec {
	const struct scenario *s;
	const struct scn_options *opt;
	struct scn_result *r;
	struct machine m;
	bool have_machine, have_image;
	void *family_state[SCN_MAX_FAMILIES]; /* by binding table index (scn_state()) */
	struct event_store *events; /* the lines `expect event` matchers look at, or NULL */
};

/* scenario_events.c: `expect event KIND FIELD=VALUE... [at TIME]`. */
int scn_parse_event_matchers(struct pctx *p, struct scn_cmd *c);
struct event_store *scn_events_open(const struct scenario *s);
struct machine_observer *scn_events_observer(struct event_store *st);
void scn_events_close(struct event_store *st);
void scn_check_event(struct exec *x, const struct scn_cmd *c, struct event_store *st);

/* scenario_report.c: failures, input errors and value checks. */
void scn_failf(struct exec *x, const struct scn_cmd *c, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int scn_errorf(struct exec *x, const struct scn_cmd *c, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
const char *scn_op_text(enum scn_op op);
void scn_check_value(struct exec *x, const struct scn_cmd *c, const char *what, uint64_t got);
/* The same with the operator and expected value given (a family's typed expectation). */
void scn_check_op(struct exec *x, const struct scn_cmd *c, const char *what, uint64_t got, enum scn_op op,
		  uint64_t want);
/* @f's state for this run (scn_family.state_size bytes, zeroed at the start). */
void *scn_state(struct exec *x, const struct scn_family *f);

#endif
