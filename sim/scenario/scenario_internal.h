/* SPDX-License-Identifier: MIT */
/*
 * Shared between the scenario parser and executor files: the tokenizer's
 * state and helpers (scenario_parse.c), and the executor's state and
 * reporting helpers (scenario_run.c).  Not a public interface.
 */
#ifndef HYPSIM_SCENARIO_INTERNAL_H
#define HYPSIM_SCENARIO_INTERNAL_H

#include "hyp_alloc.h"
#include "scenario.h"
#include "sstc.h"

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
int scn_width_arg(struct pctx *p, int *width);
/* The trailing clauses of a step or expectation: `vcpu N`, and `at TIME` when @allow_at. */
int scn_clauses(struct pctx *p, struct scn_cmd *c, bool allow_at);
struct tok *scn_next(struct pctx *p, const char *what);
bool scn_is(const struct tok *t, const char *word);
int scn_expect_word(struct pctx *p, const char *word);
int scn_no_more(struct pctx *p);
int scn_number(struct pctx *p, const char *what, uint64_t *v);
int scn_vcpu_arg(struct pctx *p, int *vcpu);
int scn_ok_or_text(struct pctx *p, char **text);
int scn_op_arg(struct pctx *p, enum scn_op *op);
int scn_string_arg(struct pctx *p, const char *what, struct scn_cmd *c);
int scn_event_arg(struct pctx *p, struct scn_cmd *c);
/* Does [base, base+size) overlap RAM, a `device` region or the firmware page? */
bool scn_overlaps_machine(const struct machine_config *cfg, uint64_t base, uint64_t size);

/* scenario_hyp.c: `hyp ...` commands and `expect hyp ...`. */
int scn_parse_hyp(struct pctx *p, struct scn_cmd *c);
int scn_parse_expect_hyp(struct pctx *p, struct scn_cmd *c);
struct exec;
/* scenario_pkvm.c: `dump stage2` and `expect pkvm ...`. */
int scn_parse_dump(struct pctx *p, struct scn_cmd *c);
int scn_parse_write_stage2(struct pctx *p, struct scn_cmd *c);
int scn_exec_write_stage2(struct exec *x, const struct scn_cmd *c);
int scn_parse_hvc(struct pctx *p, struct scn_cmd *c);
int scn_exec_hvc(struct exec *x, const struct scn_cmd *c);
int scn_parse_expect_pkvm(struct pctx *p, struct scn_cmd *c);
int scn_exec_dump(struct exec *x, const struct scn_cmd *c);
int scn_parse_stage2(struct pctx *p, struct scn_cmd *c);
int scn_parse_expect_stage2(struct pctx *p, struct scn_cmd *c);
int scn_exec_stage2(struct exec *x, const struct scn_cmd *c);
void scn_check_stage2(struct exec *x, const struct scn_cmd *c);
void scn_check_pkvm(struct exec *x, const struct scn_cmd *c);

/*
 * A model binding's scenario commands (binding.h: model_binding.family).
 * Each keyword may be NULL.  The parse functions fill c->ext with the
 * family's own typed command (malloc'd; the scenario frees it); a setup
 * line's ext is also what the binding finds with machine_model_config().
 */
struct scn_family {
	const char *setup;  /* a machine-setup keyword */
	int (*parse_setup)(struct pctx *p, struct scn_cmd *c);
	const char *verb;   /* a step keyword */
	int (*parse)(struct pctx *p, struct scn_cmd *c);
	int (*exec)(struct exec *x, const struct scn_cmd *c);
	const char *expect; /* the word after `expect` */
	int (*parse_expect)(struct pctx *p, struct scn_cmd *c);
	void (*check)(struct exec *x, const struct scn_cmd *c);
};

/* ---- running ------------------------------------------------------------------------ */

#define SCN_MAX_POOLS 8
#define SCN_MAX_LABELS 64

struct scn_pool {
	char name[32];
	struct hyp_pool pool;
	bool panic_reported;
};

struct scn_label {
	char name[32];
	uint64_t value;
};

/* The result of the last `hyp` command, for `expect hyp result`. */
struct scn_hyp_result {
	int status; /* 0, -errno or HYP_EPANIC */
	uint64_t value;
};

/* The scenario's own Sstc model (scenario_sstc.c). */
struct scn_sstc {
	struct sstc m;
	enum sstc_priv priv;
	bool virt, ready;
	uint64_t time;  /* ticks */
	bool accessed;  /* a CSR access has run */
	int trap;       /* its outcome: SSTC_OK, SSTC_ILLEGAL, SSTC_VIRTUAL */
	uint64_t value; /* and the value it read */
};

struct exec {
	const struct scenario *s;
	const struct scn_options *opt;
	struct scn_result *r;
	struct machine m;
	bool have_machine, have_image;
	struct hyp_vmemmap vmemmap;
	bool have_vmemmap;
	struct hyp_early_alloc early;
	bool have_early;
	struct scn_pool pools[SCN_MAX_POOLS];
	int npools;
	struct scn_label labels[SCN_MAX_LABELS];
	int nlabels;
	struct scn_hyp_result last;
	uint64_t hvc_ret[4];  /* x0..x3 of the last `hvc` command */
	bool have_hvc;
	struct scn_sstc sstc;
	int64_t stage2_result; /* what the last `stage2` command returned */
	bool have_stage2_result;
	int64_t aen_result;   /* what the last `aen` command returned */
	bool have_aen_result;
};

/* scenario_report.c: failures, input errors and value checks. */
void scn_failf(struct exec *x, const struct scn_cmd *c, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int scn_errorf(struct exec *x, const struct scn_cmd *c, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
const char *scn_op_text(enum scn_op op);
void scn_check_value(struct exec *x, const struct scn_cmd *c, const char *what, uint64_t got);
/* The same with the operator and expected value given (a family's typed expectation). */
void scn_check_op(struct exec *x, const struct scn_cmd *c, const char *what, uint64_t got, enum scn_op op,
		  uint64_t want);
/* The value of an address operand: c->a, or the label c->ref. Return: 0 or -1 (reported). */
int scn_operand(struct exec *x, const struct scn_cmd *c, uint64_t *v);

int scn_exec_hyp(struct exec *x, const struct scn_cmd *c);
int scn_parse_sstc(struct pctx *p, struct scn_cmd *c);
int scn_parse_expect_sstc(struct pctx *p, struct scn_cmd *c);
int scn_exec_sstc(struct exec *x, const struct scn_cmd *c);
void scn_check_sstc(struct exec *x, const struct scn_cmd *c);
void scn_check_hyp(struct exec *x, const struct scn_cmd *c);
/* scenario_aen.c: `aen ...` and `expect aen ...` (arch s390x). */
int scn_parse_aen(struct pctx *p, struct scn_cmd *c);
int scn_parse_expect_aen(struct pctx *p, struct scn_cmd *c);
int scn_exec_aen(struct exec *x, const struct scn_cmd *c);
void scn_check_aen(struct exec *x, const struct scn_cmd *c);

#endif
