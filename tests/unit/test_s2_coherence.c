/* SPDX-License-Identifier: MIT */
/*
 * Stage-2 coherence under a running guest: after each kind of change to the
 * host stage-2 (unmap, block split, permission change, ownership change, a
 * newly mapped fault, a whole-table reset), the next access by a vCPU that
 * had the old translation in its TLB (paused while the change happened)
 * goes through the new table.  The guest itself makes the accesses
 * (arm64/pkvm-access.elf, one mailbox per vCPU); the outcomes, and how many
 * host stage-2 faults they took, are the architectural answer: a removed or
 * changed translation must fault again.  Each case runs under both clocks.
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "scenario.h"
#include "suites.h"

#ifndef HYPSIM_TEST_GUEST_DIR
#error "HYPSIM_TEST_GUEST_DIR must name the built guests"
#endif

#define A 0x40a00000ull /* the page under test: a 2 MiB block of its own */
#define B 0x40a01000ull /* its neighbour in the block */

/* Two vCPUs under the Android policy (a refused access is an abort the guest counts), pKVM booted by hvc. */
static const char prelude[] =
	"arch arm64\nmemory 0x40000000 64M\nvcpus 2\nquantum 200\npkvm android test-calls\n"
	"load arm64/pkvm-access.elf\n"
	"write mem 0x40020000 u64 0x41f00000\nwrite mem 0x40020008 u64 0x41f01000\n"
	"hvc 0xc6000001 0x42000000 0x800000 2 0x40020000 48\nhvc 0xc2000003\n"
	"hvc 0xc6000007\nhvc 0xc6000007 vcpu 1\n";

struct text {
	char buf[8192];
	size_t len;
};

static void add(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct text *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	t->len += (size_t)vsnprintf(t->buf + t->len, sizeof(t->buf) - t->len, fmt, ap);
	va_end(ap);
	ck_assert_uint_lt(t->len, sizeof(t->buf));
}

/* vCPU @v loads (@op 1) or stores (2) at @addr; @outcome 0x100 allowed, 0x101 refused. */
static void access(struct text *t, int v, int op, uint64_t addr, unsigned outcome)
{
	uint64_t mbox = 0x40010200ull + 0x40ull * (uint64_t)v;

	add(t, "write mem 0x%llx u64 0x%llx\n", (unsigned long long)mbox + 0x20, 0x5500ull + (unsigned long long)v);
	add(t, "write mem 0x%llx u64 0x%llx\n", (unsigned long long)mbox + 8, (unsigned long long)addr);
	add(t, "write mem 0x%llx u64 %d\nrun for 2000\n", (unsigned long long)mbox, op);
	add(t, "expect mem 0x%llx u64 == 0\n", (unsigned long long)mbox);
	add(t, "expect mem 0x%llx u64 == 0x%x\n", (unsigned long long)mbox + 0x10, outcome);
}

static void begin(struct text *t)
{
	t->len = 0;
	add(t, "%s", prelude);
	access(t, 1, 2, A, 0x100); /* vCPU 1 maps A's block and caches it */
	access(t, 1, 1, A, 0x100);
}

/* Run the text under @clock; it must pass. Return: the number of host stage-2 faults (and unmodelled events). */
static uint64_t run(const struct text *t, enum cpu_clock clock, uint64_t *unmodelled)
{
	struct scenario s;
	struct scn_options o = { .clock = clock, .guest_dir = HYPSIM_TEST_GUEST_DIR };
	struct scn_result r;
	char err[512];
	uint64_t faults;
	int i;

	ck_assert_msg(scenario_parse("coherence", t->buf, t->len, &s, err, sizeof(err)) == 0, "%s", err);
	memset(&r, 0, sizeof(r));
	scenario_run(&s, &o, &r);
	for (i = 0; i < r.nfails; i++)
		fprintf(stderr, "coherence:%d:%d: %s\n", r.fails[i].line, r.fails[i].col, r.fails[i].msg);
	ck_assert_msg(r.status != SCN_ERROR, "%s", r.error);
	if (unmodelled)
		*unmodelled = r.counts[EV_UNMODELLED];
	ck_assert_int_eq(r.status, SCN_PASS);
	faults = r.counts[EV_S2_FAULT];
	scn_result_free(&r);
	scenario_free(&s);
	return faults;
}

/* Faults before the change: vCPU 0's code block, then A's block (vCPU 1). */
#define BASE_FAULTS 2

/* Unmap: the cached translation of A is gone; the next access faults and is mapped again. */
START_TEST(test_coherent_unmap)
{
	struct text t;

	begin(&t);
	add(&t, "stage2 unmap 0x%llx 0x1000\nexpect stage2 result == 0\n", A);
	add(&t, "expect stage2 0x%llx == unmapped\n", A);
	access(&t, 1, 1, A, 0x100);
	add(&t, "expect stage2 0x%llx == rwx level 2\n", A);
	ck_assert_uint_eq(run(&t, (enum cpu_clock)_i, NULL), BASE_FAULTS + 1);
}
END_TEST

/*
 * Block split: vCPU 0's own HVC donates B (kvm_pgtable_stage2_set_owner
 * breaks A's 2 MiB block and annotates B); vCPU 1, paused, had the block
 * cached: its touch of A faults back in as a page, its touch of B is refused.
 */
START_TEST(test_coherent_block_split)
{
	struct text t;

	begin(&t);
	add(&t, "write mem 0x40010220 u64 0xc2000005\nwrite mem 0x40010208 u64 1\n"); /* HYPSIM_PKVM_TEST donate_hyp */
	add(&t, "write mem 0x40010230 u64 0x%llx\nwrite mem 0x40010238 u64 1\n", B >> 12);
	add(&t, "write mem 0x40010200 u64 3\nrun for 2000\nexpect mem 0x40010210 u64 == 0\n");
	add(&t, "expect stage2 0x%llx == owner 1 level 3\nexpect stage2 0x%llx == unmapped level 3\n", B, A);
	access(&t, 1, 1, A, 0x100);
	add(&t, "expect stage2 0x%llx == rwx level 3\n", A);
	access(&t, 1, 2, B, 0x101);
	ck_assert_uint_eq(run(&t, (enum cpu_clock)_i, NULL), BASE_FAULTS + 2); /* A again, B (refused) */
}
END_TEST

/*
 * Permission change: A remapped read-only.  A load still works; a store is a
 * stage-2 permission fault that host_stage2_idmap() finds already mapped
 * (-EAGAIN), so upstream retries it for ever: hypsim stops with the
 * repeated-fault report, and the store never lands.
 */
START_TEST(test_coherent_permission_change)
{
	struct text t;
	uint64_t unmodelled = 0;

	begin(&t);
	add(&t, "stage2 map 0x%llx 0x%llx 0x1000 r\nexpect stage2 result == 0\n", A, A);
	add(&t, "expect stage2 0x%llx == r level 3\n", A);
	access(&t, 1, 1, A, 0x100);
	add(&t, "write mem 0x40010260 u64 0x77\nwrite mem 0x40010248 u64 0x%llx\nwrite mem 0x40010240 u64 2\n", A);
	add(&t, "run for 2000\nexpect mem 0x%llx u64 == 0x5501\n", A); /* the first store's value */
	add(&t, "expect event unmodelled\nexpect mem 0x40010250 u64 == 0x100\n"); /* the load's outcome stands */
	ck_assert_uint_eq(run(&t, (enum cpu_clock)_i, &unmodelled), BASE_FAULTS + 10); /* the store: once, then 9 repeats */
	ck_assert_uint_eq(unmodelled, 1);
}
END_TEST

/* Ownership change: A itself donated from the scenario; vCPU 1's cached translation must not serve it. */
START_TEST(test_coherent_ownership_change)
{
	struct text t;

	begin(&t);
	add(&t, "hvc 0xc2000005 1 0x%llx 1\nexpect hvc x1 == 0\n", A >> 12);
	access(&t, 1, 1, A, 0x101);
	access(&t, 1, 2, A, 0x101);
	access(&t, 1, 1, B, 0x100);
	add(&t, "expect mem 0x%llx u64 == 0x5501\n", A);
	ck_assert_uint_eq(run(&t, (enum cpu_clock)_i, NULL), BASE_FAULTS + 3); /* A twice (refused), B */
}
END_TEST

/* A newly mapped fault: the first touch faults once, later touches do not. */
START_TEST(test_coherent_new_mapping)
{
	struct text t;

	begin(&t);
	access(&t, 1, 2, 0x40c00000, 0x100);
	access(&t, 1, 1, 0x40c00000, 0x100);
	access(&t, 0, 1, 0x40c00000, 0x100);
	add(&t, "expect mem 0x40c00000 u64 == 0x5501\n");
	ck_assert_uint_eq(run(&t, (enum cpu_clock)_i, NULL), BASE_FAULTS + 1);
}
END_TEST

/* A whole-table reset: everything unmapped; both vCPUs fault their code and data back in. */
START_TEST(test_coherent_whole_table)
{
	struct text t;

	begin(&t);
	add(&t, "stage2 unmap 0 0x10000000000\nexpect stage2 result == 0\n");
	add(&t, "expect stage2 0x40000000 == unmapped\nexpect stage2 0x%llx == unmapped\n", A);
	access(&t, 1, 1, A, 0x100);
	access(&t, 0, 1, A, 0x100);
	ck_assert_uint_eq(run(&t, (enum cpu_clock)_i, NULL), BASE_FAULTS + 2);
}
END_TEST

TCase *s2_coherence_tcase(void)
{
	TCase *tc = tcase_create("s2_coherence");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_coherent_unmap, CPU_CLOCK_BLOCK, CPU_CLOCK_INSN + 1);
	tcase_add_loop_test(tc, test_coherent_block_split, CPU_CLOCK_BLOCK, CPU_CLOCK_INSN + 1);
	tcase_add_loop_test(tc, test_coherent_permission_change, CPU_CLOCK_BLOCK, CPU_CLOCK_INSN + 1);
	tcase_add_loop_test(tc, test_coherent_ownership_change, CPU_CLOCK_BLOCK, CPU_CLOCK_INSN + 1);
	tcase_add_loop_test(tc, test_coherent_new_mapping, CPU_CLOCK_BLOCK, CPU_CLOCK_INSN + 1);
	tcase_add_loop_test(tc, test_coherent_whole_table, CPU_CLOCK_BLOCK, CPU_CLOCK_INSN + 1);
	return tc;
}
