/* SPDX-License-Identifier: MIT */
/*
 * The event queue: a binary min-heap ordered by (time, sequence number).
 * The sequence number is assigned at insertion, so events at the same time
 * fire in the order they were scheduled, on every host.
 */
#ifndef HYPSIM_EVQ_H
#define HYPSIM_EVQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct event {
	uint64_t time; /* cycle at which it fires */
	uint64_t seq;  /* insertion order; also the event's id */
	int kind;      /* owner-defined */
	int vcpu;
	uint64_t arg[2];
	uint64_t tag;  /* the owner's, carried along (evq_push_tagged()); 0 from evq_push() */
};

struct evq {
	struct event *heap;
	size_t len, cap;
	uint64_t next_seq;
};

void evq_init(struct evq *q);
void evq_free(struct evq *q);

/** evq_push() - schedule an event. Return: its id (sequence number), or 0 on ENOMEM. */
uint64_t evq_push(struct evq *q, uint64_t time, int kind, int vcpu, uint64_t arg0, uint64_t arg1);
/** evq_push_tagged() - the same, with the owner's @tag in the event. */
uint64_t evq_push_tagged(struct evq *q, uint64_t time, int kind, int vcpu, uint64_t arg0, uint64_t arg1,
			 uint64_t tag);

/** evq_peek() - the earliest event, or NULL when empty. */
const struct event *evq_peek(const struct evq *q);

/** evq_next_time() - time of the earliest event, or UINT64_MAX when empty. */
uint64_t evq_next_time(const struct evq *q);

/** evq_pop() - remove the earliest event into @out. Return: false when empty. */
bool evq_pop(struct evq *q, struct event *out);

/** evq_cancel() - remove the event with id @seq. Return: false when absent. */
bool evq_cancel(struct evq *q, uint64_t seq);

#endif
