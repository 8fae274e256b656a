/* SPDX-License-Identifier: MIT */
/*
 * Model bindings: the one place a model is wired into the machine.
 *
 * A binding is a table entry (sim/fw/bindings.c) that says when its model is
 * on a machine (attach), what to do as a vCPU enters the guest, which CPU
 * exits it serves, which interrupt lines it stands between, its timed
 * events, and its digest in recordings.  machine.c and record.c call
 * through the table and never name a model; a model's state hangs off the
 * machine through its binding (machine_model()), not as a named field.
 *
 * Every hook is optional (NULL: nothing to do).  Hooks other than attach
 * run only while the binding's state is set (the model is on this machine).
 */
#ifndef HYPSIM_BINDING_H
#define HYPSIM_BINDING_H

#include <stdio.h>

#include "evq.h"
#include "machine.h"

struct scn_family; /* scenario_internal.h */

struct model_binding {
	const char *name; /* also its key in a recording's "models" digest */
	/*
	 * At machine_create(), after RAM and vCPUs: set the state with
	 * machine_set_model() if the model belongs on this machine (or leave
	 * it unset: a model enabled later, like pKVM, sets it then).
	 * Return: 0, or -1 with m->err.
	 */
	int (*attach)(struct machine *m);
	void (*detach)(struct machine *m); /* free the state (the machine forgets it afterwards) */
	/* vCPU @v entered the guest (machine boot, PSCI CPU_ON, SBI hart_start). */
	void (*vcpu_boot)(struct machine *m, struct vcpu *v);
	/*
	 * The CPU exits it serves: a mask of 1u << enum cpu_exit_kind, and their
	 * handler.  CPU_EXIT_MMIO is not in the mask: a device access goes to the
	 * binding that mapped the region (machine_map_mmio()), to the same handler.
	 */
	uint32_t exits;
	enum cpu_action (*on_exit)(struct machine *m, struct vcpu *v, struct cpu_exit *e);
	/*
	 * An interrupt controller: the scenario drove interrupt @line of @v at
	 * cycle @when.  It drives the vCPUs' inputs itself (cpu_irq_set());
	 * return whether @v's input is raised now (an idle @v then wakes).
	 */
	bool (*irq_line)(struct machine *m, struct vcpu *v, unsigned line, bool level, uint64_t when);
	/* The counter was set (machine_set_counter()): levels and edges from the new value. */
	void (*counter_set)(struct machine *m);
	/* One of its timed events (machine_model_event()) is due. */
	void (*on_event)(struct machine *m, const struct event *e);
	/* Its digest for recordings, a JSON value ("\"0x...\"" or an array). Return: false for none. */
	bool (*digest)(const struct machine *m, char *out, size_t n);
	/*
	 * Its own trace kinds, NULL-terminated names (NULL: none): numbered
	 * after the machine's (trace.h), in table order; machine_trace_kind()
	 * gives the number to count and trace with.
	 */
	const char *const *trace_kinds;
	/* Its scenario commands (setup line, steps, expectations), NULL: none. */
	const struct scn_family *family;
};

/* The table, NULL-terminated, in digest order (sim/fw/bindings.c). */
extern const struct model_binding *const machine_bindings[];

/** machine_trace_kind() - the trace kind number of @b->trace_kinds[@i]. */
int machine_trace_kind(const struct model_binding *b, int i);
/** machine_binding_index() - @b's position in the table, or -1. */
int machine_binding_index(const struct model_binding *b);
/** machine_model_config() - what the scenario's setup line gave @b (machine_config.model_cfg), or NULL. */
const void *machine_model_config(const struct machine *m, const struct model_binding *b);
/** machine_model() - @b's state on @m, or NULL when the model is not on this machine. */
void *machine_model(const struct machine *m, const struct model_binding *b);
void machine_set_model(struct machine *m, const struct model_binding *b, void *state);
/* Per-vCPU state: @size zeroed bytes for each vCPU, attached as @b's state. Return: it, or NULL with m->err. */
void *machine_attach_per_vcpu(struct machine *m, const struct model_binding *b, size_t size);
/* A digest callback's usual value: the hash as a JSON string "0x%016x". */
static inline bool binding_digest_hex(char *out, size_t n, uint64_t h)
{
	snprintf(out, n, "\"0x%016llx\"", (unsigned long long)h);
	return true;
}
/* A per-vCPU model's digest: a JSON array of @digest_of(m, i) for every vCPU, in vCPU order. */
bool binding_digest_per_vcpu(const struct machine *m, char *out, size_t n,
			     uint64_t (*digest_of)(const struct machine *m, int vcpu));
/* For a binding with no state of its own (a firmware interface): attached, and machine_model() is @b itself. */
void machine_attach_stateless(struct machine *m, const struct model_binding *b);
/**
 * machine_map_mmio() - a device region of @b's at guest physical @base on
 * every vCPU: each load and store there is a CPU_EXIT_MMIO for @b->on_exit.
 * Return: 0, or -1 with m->err (at most CPU_MAX_DEVICES regions).
 */
int machine_map_mmio(struct machine *m, const struct model_binding *b, uint64_t base, uint64_t size);
/**
 * machine_model_event() - put one of @b's events on the queue at cycle
 * @when for @vcpu; @b->on_event gets it back with @a0/@a1 in arg[].
 * Return: its id for evq_cancel(), 0 when the queue is full.
 */
uint64_t machine_model_event(struct machine *m, const struct model_binding *b, uint64_t when, int vcpu, uint64_t a0,
			     uint64_t a1);
/**
 * machine_model_edge() - a tick-domain comparator's next edge: cancel @b's
 * pending event *@ev (0: none) and, when @has_next, queue one for @v at the
 * first cycle whose tick count is @ticks past @cycle's (vclock_cycle_after():
 * exact for every frequency pair) with @a0 in arg[0], lowering @v's running
 * limit to it; *@ev gets its id (0: none, or beyond the end of time).
 */
void machine_model_edge(struct machine *m, const struct model_binding *b, uint64_t *ev, struct vcpu *v,
			uint64_t cycle, bool has_next, uint64_t ticks, uint64_t a0);

#endif
