/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "evq.h"

static bool before(const struct event *a, const struct event *b)
{
	return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

static void swap(struct event *a, struct event *b)
{
	struct event t = *a;

	*a = *b;
	*b = t;
}

static void sift_up(struct evq *q, size_t i)
{
	while (i > 0) {
		size_t parent = (i - 1) / 2;

		if (!before(&q->heap[i], &q->heap[parent]))
			break;
		swap(&q->heap[i], &q->heap[parent]);
		i = parent;
	}
}

static void sift_down(struct evq *q, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < q->len && before(&q->heap[l], &q->heap[m]))
			m = l;
		if (r < q->len && before(&q->heap[r], &q->heap[m]))
			m = r;
		if (m == i)
			return;
		swap(&q->heap[i], &q->heap[m]);
		i = m;
	}
}

void evq_init(struct evq *q)
{
	memset(q, 0, sizeof(*q));
	q->next_seq = 1;
}

void evq_free(struct evq *q)
{
	free(q->heap);
	memset(q, 0, sizeof(*q));
}

uint64_t evq_push(struct evq *q, uint64_t time, int kind, int vcpu, uint64_t arg0, uint64_t arg1)
{
	return evq_push_tagged(q, time, kind, vcpu, arg0, arg1, 0);
}

uint64_t evq_push_tagged(struct evq *q, uint64_t time, int kind, int vcpu, uint64_t arg0, uint64_t arg1,
			 uint64_t tag)
{
	uint64_t seq;

	if (q->len == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 16;
		struct event *h = realloc(q->heap, cap * sizeof(*h));

		if (!h)
			return 0;
		q->heap = h;
		q->cap = cap;
	}
	seq = q->next_seq++;
	q->heap[q->len] = (struct event){ .time = time, .seq = seq, .kind = kind, .vcpu = vcpu,
					  .arg = { arg0, arg1 }, .tag = tag };
	sift_up(q, q->len++);
	return seq;
}

const struct event *evq_peek(const struct evq *q)
{
	return q->len ? &q->heap[0] : NULL;
}

uint64_t evq_next_time(const struct evq *q)
{
	return q->len ? q->heap[0].time : UINT64_MAX;
}

static void remove_at(struct evq *q, size_t i)
{
	q->heap[i] = q->heap[--q->len];
	if (i < q->len) {
		sift_down(q, i);
		sift_up(q, i);
	}
}

bool evq_pop(struct evq *q, struct event *out)
{
	if (!q->len)
		return false;
	*out = q->heap[0];
	remove_at(q, 0);
	return true;
}

bool evq_cancel(struct evq *q, uint64_t seq)
{
	size_t i;

	for (i = 0; i < q->len; i++)
		if (q->heap[i].seq == seq) {
			remove_at(q, i);
			return true;
		}
	return false;
}
