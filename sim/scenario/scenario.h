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
	SCN_COUNTER_START,
	SCN_STCE,
	SCN_HORIZON,
	SCN_SECONDARIES,
	SCN_PSCI_FEATURES,
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
	SCN_SET_COUNTER, /* set counter V */
	SCN_MODEL,      /* a model binding's step (scn_cmd.verb) */
	/* expectations: every kind from here on */
	SCN_EXPECT_EXIT,
	SCN_EXPECT_REG,
	SCN_EXPECT_MEM,
	SCN_EXPECT_CONSOLE,
	SCN_EXPECT_CONSOLE_CONTAINS,
	SCN_EXPECT_COUNT,
	SCN_EXPECT_EVENT, /* expect event KIND FIELD=VALUE... [at T] (ext: scenario_events.c) */
	SCN_EXPECT_CYCLE,
	SCN_EXPECT_TICKS, /* the architectural counter now */
	SCN_EXPECT_INSNS,
	SCN_EXPECT_STATE,
	SCN_EXPECT_MODEL, /* a model binding's expectation (scn_cmd.expectation) */
};

/* scn_cmd.vcpu for `vcpu all` */
#define SCN_ALL_VCPUS (-2)

enum scn_op { SCN_EQ, SCN_NE, SCN_LT, SCN_LE, SCN_GT, SCN_GE };

/* A time given in the script: cycles, or nanoseconds converted at run time. */
struct scn_time {
	uint64_t value;
	bool ns;
};

struct scn_family;
struct scn_verb;
struct scn_expectation;

/*
 * One line of a scenario.  The machine's own commands use the operands
 * below; a model binding's commands (SCN_MODEL_SETUP, SCN_MODEL,
 * SCN_EXPECT_MODEL) carry their family's typed command in @ext.
 */
struct scn_cmd {
	enum scn_kind kind;
	int line, col;
	int vcpu;         /* -1: not given (0, or all where that makes sense) */
	enum scn_op op;
	/*
	 * The machine's commands' operands:
	 *   RUN_TICKS: a = counter value       IRQ: a = line, b = 1 inject / 0 clear
	 *   WRITE_MEM, EXPECT_MEM: a = address, b = value (width bytes)
	 *   SET_REG, EXPECT_REG: str = register, b = value
	 *   EXPECT_EXIT: b = code              EXPECT_COUNT: a = event kind, b = count
	 *   EXPECT_STATE: a = state            EXPECT_CYCLE, EXPECT_INSNS: b = value
	 */
	uint64_t a, b;
	struct scn_time t;
	bool has_at;      /* inject ... at <time> */
	struct scn_time every; /* inject ... every <period> (value 0: once) */
	uint64_t times;   /* inject ... times <n> (0: for ever) */
	int width;        /* memory access width in bytes */
	char *str;        /* path, text, register name */
	size_t str_len;
	const struct scn_family *family;	    /* SCN_MODEL_SETUP: whose line */
	const struct scn_verb *verb;		    /* SCN_MODEL: which step */
	const struct scn_expectation *expectation; /* SCN_EXPECT_MODEL: which check */
	void *ext;        /* the family's own typed command, freed with the scenario */
};

struct scenario {
	char *path;
	char *text;       /* the source, NUL-terminated (recordings embed it) */
	size_t text_len;
	struct machine_config cfg;
	struct scn_cmd *cmds;
	size_t ncmds;
	uint64_t expected_events; /* bit per event kind named by an expectation */
	uint64_t capture_events;  /* ... by an `expect event` with matchers: their lines are kept */
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
	struct machine_debugger *debugger; /* a GDB stub (needs clock CPU_CLOCK_INSN), or NULL */
	struct machine_wave *wave;  /* a waveform writer, or NULL */
	uint64_t trace_kinds;       /* the kinds the trace keeps (bit per kind), 0: all */
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
	uint64_t turns, events_fired; /* the machine's host-side work (struct machine) */
	uint64_t counts[EV_MAX_KINDS];
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
/** scn_cmd_image() - the @i-th file @c loads as guest image (`load`, `linux`), or NULL. */
const char *scn_cmd_image(const struct scn_cmd *c, int i);
/** scn_cmd_sets_state() - is @c one that scn_session_exec() runs (it sets memory or registers)? */
bool scn_cmd_sets_state(const struct scn_cmd *c);
/**
 * scn_session_exec() - run @c, one of @s's commands that set memory or
 * registers: `load`, `write mem`, `set reg` and a model's (`write stage2`);
 * others are refused.  Return: 0, or -1 with "path:line:col: message" in @err.
 */
int scn_session_exec(struct scn_session *ss, const struct scn_cmd *c, char *err, size_t n);
struct machine *scn_session_machine(struct scn_session *ss);
void scn_session_close(struct scn_session *ss);

/* Default bound on instructions per vCPU when neither scenario nor CLI sets one. */
#define SCN_DEFAULT_MAX_INSNS 2000000000ull

#endif
