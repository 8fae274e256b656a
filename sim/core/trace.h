/* SPDX-License-Identifier: MIT */
/*
 * Trace events: counted always, written as JSON Lines when a trace file is
 * open.  One line per event:
 *   {"t":<cycle>,"vcpu":<n>,"pc":"0x...","kind":"<kind>",<details>[,"insn":"..."]}
 * Only virtual quantities appear: no host time, no host addresses.
 */
#ifndef HYPSIM_TRACE_H
#define HYPSIM_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum ev_kind {
	EV_HVC,
	EV_SMC,
	EV_SBI,
	EV_SEMIHOST,
	EV_COUNTER_READ,
	EV_IRQ_INJECT,
	EV_IRQ_ACK,
	EV_WFI,
	EV_WAKE,
	EV_EXIT,
	EV_GUEST_FAULT,
	EV_DEADLOCK,
	EV_INSN_LIMIT,
	EV_HYP_PANIC,
	EV_S2_FAULT,
	EV_ABORT_INJECT,
	EV_UNMODELLED,
	EV_OWNERSHIP,
	EV_CSR,
	EV_TIMER,
	EV_CPU_ON,
	EV_CPU_OFF,
	EV_MEM_WRITE,
	EV_CODE,
	EV_VCPU_SWITCH,
	EV_PERCPU_CROSS,
	EV_SIC,
	EV_MMIO,
	EV_EXCEPTION,
	EV_TIME_END,
	EV__COUNT /* the machine's own kinds; model bindings' follow (binding.h: trace_kinds) */
};

/* Every kind, the machine's and the model bindings': the size of a count array. */
#define EV_MAX_KINDS 64

/* Kinds that fail a scenario unless the scenario expects them by name. */
#define EV_MASK_TROUBLE                                                                              \
	((1ull << EV_GUEST_FAULT) | (1ull << EV_DEADLOCK) | (1ull << EV_INSN_LIMIT) | (1ull << EV_HYP_PANIC) |  \
	 (1ull << EV_UNMODELLED) | (1ull << EV_OWNERSHIP) | (1ull << EV_PERCPU_CROSS) | (1ull << EV_TIME_END))

/** ev_kind_name() - the name of kind @k (a machine kind or a binding's), "?" for none. */
const char *ev_kind_name(int k);
/** ev_kind_lookup() - kind for a name, or -1. */
int ev_kind_lookup(const char *name);
/** ev_kind_count() - how many kinds there are: EV__COUNT plus the bindings' (at most EV_MAX_KINDS). */
int ev_kind_count(void);

/* A line under construction. */
struct tline {
	char buf[1024];
	size_t len;
	int vcpu; /* as tl_begin() wrote it */
	int kind; /* ... and its kind */
	uint64_t pc; /* ... and the PC */
};

void tl_begin(struct tline *l, int kind, uint64_t time, int vcpu, uint64_t pc);
void tl_u64(struct tline *l, const char *key, uint64_t v);
void tl_i64(struct tline *l, const char *key, int64_t v);
void tl_hex(struct tline *l, const char *key, uint64_t v);
void tl_hex_array(struct tline *l, const char *key, const uint64_t *v, size_t n);
void tl_str(struct tline *l, const char *key, const char *s);
/* Close the object and write it with a newline. */
void tl_write(struct tline *l, FILE *f);

/** json_escape_char() - @ch as it stands inside a JSON string literal (in @buf or a constant). */
const char *json_escape_char(unsigned char ch, char buf[8]);
/** json_write_string() - write @s (@len bytes) as a JSON string literal. */
void json_write_string(FILE *f, const char *s, size_t len);

#endif
