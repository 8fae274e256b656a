/* SPDX-License-Identifier: MIT */
/*
 * Scenarios: a line-oriented script (docs/scenario-language.md).  Parsing
 * checks the whole file first and never touches a machine; every error names
 * file:line:column.  Running executes the commands in order against a fresh
 * machine and collects expectation failures.
 */
#ifndef HYPSIM_SCENARIO_H
#define HYPSIM_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "machine.h"

enum scn_kind {
	/* machine setup: before `load` */
	SCN_ARCH,
	SCN_MEMORY,
	SCN_VCPUS,
	SCN_CPU_FREQ,
	SCN_TIMEBASE,
	SCN_MAX_INSNS,
	SCN_QUANTUM,
	SCN_PKVM,
	SCN_COUNTER_START,
	SCN_STCE,
	SCN_SECONDARIES,
	SCN_WATCH,
	SCN_TRACE_CODE,
	SCN_PERCPU,
	SCN_DEVICE,
	SCN_MODEL_SETUP, /* a model binding's setup line (scn_cmd.family) */
	/* image */
	SCN_LOAD,
	/* steps */
	SCN_RUN_EXIT,
	SCN_RUN_UNTIL,  /* absolute time */
	SCN_RUN_FOR,    /* relative time */
	SCN_RUN_TICKS,  /* until the counter reaches a value */
	SCN_IRQ,        /* inject irq / clear irq */
	SCN_WRITE_MEM,
	SCN_SET_REG,
	/* hypervisor allocator models, driven directly (scenario_hyp.c) */
	SCN_HYP_VMEMMAP,
	SCN_HYP_POOL,
	SCN_HYP_ALLOC,
	SCN_HYP_GET,
	SCN_HYP_PUT,
	SCN_HYP_SPLIT,
	SCN_HYP_EARLY,
	SCN_HYP_EARLY_ALLOC,
	SCN_DUMP_STAGE2,
	SCN_WRITE_STAGE2,
	SCN_HVC,
	SCN_STAGE2,     /* stage2 map|unmap|inject-enomem (scenario_pkvm.c) */
	/* the Sstc model, driven directly (scenario_sstc.c) */
	SCN_SSTC_RESET,
	SCN_SSTC_MODE,
	SCN_SSTC_TIME,
	SCN_SSTC_ADVANCE,
	SCN_SSTC_CSR,
	SCN_SSTC_MIP,
	SCN_SSTC_HVIP,
	SCN_SSTC_VTI,
	/* the s390 AEN model (scenario_aen.c) */
	SCN_AEN,
	SCN_MODEL,      /* a model binding's step (scn_cmd.family) */
	/* expectations: every kind from here on */
	SCN_EXPECT_EXIT,
	SCN_EXPECT_REG,
	SCN_EXPECT_MEM,
	SCN_EXPECT_CONSOLE,
	SCN_EXPECT_CONSOLE_CONTAINS,
	SCN_EXPECT_COUNT,
	SCN_EXPECT_CYCLE,
	SCN_EXPECT_INSNS,
	SCN_EXPECT_STATE,
	SCN_EXPECT_HYP_RESULT,
	SCN_EXPECT_HYP_FREE,
	SCN_EXPECT_HYP_PAGE,
	SCN_EXPECT_HYP_CHECK,
	SCN_EXPECT_HYP_EARLY_USED,
	SCN_EXPECT_PKVM_STATE,
	SCN_EXPECT_PKVM_CHECK,
	SCN_EXPECT_PKVM_XCHECK,
	SCN_EXPECT_HVC,
	SCN_EXPECT_STAGE2,        /* expect stage2 IPA == ... */
	SCN_EXPECT_STAGE2_RESULT, /* expect stage2 result == ... */
	SCN_EXPECT_SSTC_TRAP,
	SCN_EXPECT_SSTC_VALUE,
	SCN_EXPECT_SSTC_LEVEL,
	SCN_EXPECT_SSTC_NEXT,
	SCN_EXPECT_AEN,
	SCN_EXPECT_AEN_CHECK,
	SCN_EXPECT_AEN_IMAGE,
	SCN_EXPECT_MODEL, /* a model binding's expectation (scn_cmd.family) */
};

/* scn_cmd.vcpu for `vcpu all` */
#define SCN_ALL_VCPUS (-2)

enum scn_op { SCN_EQ, SCN_NE, SCN_LT, SCN_LE, SCN_GT, SCN_GE };

/* A time given in the script: cycles, or nanoseconds converted at run time. */
struct scn_time {
	uint64_t value;
	bool ns;
};

struct scn_cmd {
	enum scn_kind kind;
	int line, col;
	int vcpu;         /* -1: not given (0, or all where that makes sense) */
	enum scn_op op;
	uint64_t a, b, c; /* operands; meaning per kind (see scenario_parse.c) */
	struct scn_time t;
	bool has_at;      /* inject ... at <time> */
	struct scn_time every; /* inject ... every <period> (value 0: once) */
	uint64_t times;   /* inject ... times <n> (0: for ever) */
	int width;        /* memory access width in bytes */
	char *str;        /* path, text, register name, pool name */
	size_t str_len;
	char *str2;       /* a second string (expected checker text) */
	char *ref;        /* `$label` given for an address operand */
	char *label;      /* `as label`: name the command's result */
	bool null_value;  /* `expect hyp result == null` */
	uint64_t args[8]; /* `hvc`: x0..x5; `aen`: keyword options */
	const struct scn_family *family; /* SCN_MODEL*: whose command */
	void *ext;        /* SCN_MODEL*: the family's own typed command, freed with the scenario */
};

struct scenario {
	char *path;
	char *text;       /* the source, NUL-terminated (recordings embed it) */
	size_t text_len;
	struct machine_config cfg;
	struct scn_cmd *cmds;
	size_t ncmds;
	unsigned expected_events; /* bit per ev_kind named by an expectation */
	struct pkvm_options pkvm;
};

/**
 * scenario_parse() - parse @text (the contents of @path).
 * Return: 0, or -1 with "path:line:col: message" in @err.
 */
int scenario_parse(const char *path, const char *text, size_t len, struct scenario *s, char *err,
		   size_t errlen);
/** scenario_load() - read and parse a file. Return: 0 or -1 with @err. */
int scenario_load(const char *path, struct scenario *s, char *err, size_t errlen);
void scenario_free(struct scenario *s);

struct scn_result;

/*
 * A scenario run's observer (sim/replay/record.c): the machine's observer plus the
 * scenario's inputs.  @input sees each executed step, injection or model
 * command (not machine setup, not expectations) before it runs; @result
 * sees what a command that drives a model directly returned (hyp, hvc,
 * sstc, aen); @finish sees the machine at the end, with the outcome.
 */
struct scn_observer {
	struct machine_observer mobs;
	void (*input)(void *ctx, struct machine *m, const struct scn_cmd *c);
	void (*result)(void *ctx, struct machine *m, const struct scn_cmd *c, int64_t status, uint64_t value);
	void (*finish)(void *ctx, struct machine *m, const struct scn_result *r);
};

struct scn_options {
	FILE *trace;            /* JSON Lines trace, or NULL */
	bool disasm;            /* add the instruction to trace lines */
	uint64_t max_insns;     /* overrides the scenario's bound when non-zero */
	enum cpu_clock clock;
	const char *guest_dir;  /* where `load` looks after the scenario's folder */
	FILE *console_echo;     /* live copy of guest console output, or NULL */
	machine_progress_fn progress;
	void *progress_ctx;
	uint64_t progress_every;
	FILE *report;           /* where `dump` writes its tables, or NULL */
	uint64_t trace_limit;   /* bytes of trace per scenario; 0 = the default */
	struct scn_observer *obs; /* recording or replay, or NULL */
};

struct scn_failure {
	int line, col;
	char msg[320];
};

enum scn_status { SCN_PASS, SCN_FAIL, SCN_ERROR };

struct scn_result {
	enum scn_status status;
	char error[512];          /* SCN_ERROR: what was wrong with the input */
	struct scn_failure *fails;
	int nfails;
	uint64_t cycles;          /* global virtual time at the end */
	uint64_t ns;              /* the same in nanoseconds */
	uint64_t retired;         /* instructions retired, all vCPUs */
	uint64_t counts[EV__COUNT];
	bool exited;
	int64_t exit_code;
	bool hyp_panicked;
	char *console;
	size_t console_len;
};

/**
 * scenario_image_path() - where `load NAME` finds its image: absolute, else
 * next to the scenario, else under @guest_dir (may be NULL).
 */
void scenario_image_path(const struct scenario *s, const char *guest_dir, const char *name, char *out, size_t n);

/** scenario_run() - execute a parsed scenario on a fresh machine. */
void scenario_run(const struct scenario *s, const struct scn_options *opt, struct scn_result *r);
void scn_result_free(struct scn_result *r);

/*
 * A scenario's machine for model-only use (`hypsim replay --model`): built
 * and configured as scenario_run() builds it, but commands run only one at a
 * time through scn_session_exec(), and never guest code.
 */
struct scn_session;

/** scn_session_open() - the machine of @s (setup applied, nothing loaded). Return: NULL with @err. */
struct scn_session *scn_session_open(const struct scenario *s, const struct scn_options *opt, char *err, size_t n);
/**
 * scn_session_exec() - run @c, one of @s's commands that set memory or
 * registers: `load`, `write mem`, `write stage2`, `set reg` (others are
 * refused).  Return: 0, or -1 with "path:line:col: message" in @err.
 */
int scn_session_exec(struct scn_session *ss, const struct scn_cmd *c, char *err, size_t n);
struct machine *scn_session_machine(struct scn_session *ss);
void scn_session_close(struct scn_session *ss);

/* Default bound on instructions per vCPU when neither scenario nor CLI sets one. */
#define SCN_DEFAULT_MAX_INSNS 2000000000ull

#endif
