/* SPDX-License-Identifier: MIT */
/* Check tests for sim/evq: (time, sequence) order, cancel, growth. */
#include <check.h>

#include "evq.h"
#include "suites.h"

START_TEST(test_evq_orders_by_time_then_seq)
{
	struct evq q;
	struct event e;
	static const uint64_t times[] = { 50, 10, 50, 30, 10, 0 };
	static const int want_kind[] = { 5, 1, 4, 3, 0, 2 }; /* by time, then insertion */
	int i;

	evq_init(&q);
	for (i = 0; i < 6; i++)
		ck_assert_uint_ne(evq_push(&q, times[i], i, 0, 0, 0), 0);
	ck_assert_uint_eq(evq_next_time(&q), 0);
	for (i = 0; i < 6; i++) {
		ck_assert(evq_pop(&q, &e));
		ck_assert_int_eq(e.kind, want_kind[i]);
	}
	ck_assert(!evq_pop(&q, &e));
	ck_assert_uint_eq(evq_next_time(&q), UINT64_MAX);
	evq_free(&q);
}
END_TEST

START_TEST(test_evq_cancel)
{
	struct evq q;
	struct event e;
	uint64_t a, b, c;

	evq_init(&q);
	a = evq_push(&q, 10, 1, 0, 0, 0);
	b = evq_push(&q, 5, 2, 0, 0, 0);
	c = evq_push(&q, 20, 3, 0, 0, 0);
	ck_assert(evq_cancel(&q, b));
	ck_assert(!evq_cancel(&q, b));
	ck_assert_uint_eq(evq_next_time(&q), 10);
	ck_assert(evq_pop(&q, &e));
	ck_assert_uint_eq(e.seq, a);
	ck_assert(evq_pop(&q, &e));
	ck_assert_uint_eq(e.seq, c);
	evq_free(&q);
}
END_TEST

/* Many events in pseudo-random order come out sorted and stable. */
START_TEST(test_evq_many_sorted_and_stable)
{
	struct evq q;
	struct event e, prev = { 0 };
	uint64_t x = 12345;
	int i;

	evq_init(&q);
	for (i = 0; i < 5000; i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		ck_assert_uint_ne(evq_push(&q, (x >> 33) % 100, 0, i, 0, 0), 0);
	}
	for (i = 0; i < 5000; i++) {
		ck_assert(evq_pop(&q, &e));
		if (i)
			ck_assert(prev.time < e.time || (prev.time == e.time && prev.seq < e.seq));
		prev = e;
	}
	evq_free(&q);
}
END_TEST

TCase *evq_tcase(void)
{
	TCase *tc = tcase_create("evq");

	tcase_add_test(tc, test_evq_orders_by_time_then_seq);
	tcase_add_test(tc, test_evq_cancel);
	tcase_add_test(tc, test_evq_many_sorted_and_stable);
	return tc;
}
