/* SPDX-License-Identifier: MIT */
/*
 * The hypercall fuzzer (docs/fuzzing.md).  A guest (arm64/pkvm-fuzz.elf)
 * boots pKVM and issues generated calls through real HVCs: share_hyp and
 * unshare_hyp, the internal transitions through HYPSIM_SIP_PKVM_TEST
 * (donate, FF-A share, pin), prot_finalize again, TLB maintenance, and
 * invalid function ids; arguments aim at edges (zero, out of memory, hyp
 * pages, pfn wrap past 2^52, huge page counts, pages in every ownership
 * state).
 *
 * Oracles, independent of the model's code: before each call the expected
 * result is computed from pKVM's precondition table (docs/models/pkvm.md §2.5,
 * §4.4) and the page states; after it, the result and the touched pages'
 * host/hyp states and refcounts must be the ones the table gives.  Every
 * `check_every` calls the full checkers run: ownership (mp_check), both hyp
 * pools, and the model's stage-2 walker against Unicorn's MMU over the
 * fuzzed window.  The first violation stops the run; the call sequence is
 * minimised (re-run on fresh machines) and written as a scenario.
 *
 * With several vCPUs each has its own ring and they take short turns, so
 * their calls interleave on the same pages; calls whose legality depends on
 * the states (unpin, FF-A unshare) are decided as they run.
 *
 * Runs are epochs of `epoch` calls, each on a fresh machine seeded from
 * (seed, epoch): the same seed gives the same calls and results.
 */
#ifndef HYPSIM_FUZZ_H
#define HYPSIM_FUZZ_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct fuzz_stats;

#define FUZZ_MAX_VCPUS 4

struct fuzz_opts {
	uint64_t seed;
	uint64_t iters;        /* calls in all; 0: until time_limit */
	/* Asked between epochs: stop now? (the CLI's --time; sim/ reads no host clock). NULL: never. */
	bool (*out_of_time)(void *ctx);
	void *time_ctx;
	uint64_t epoch;        /* calls per fresh machine */
	unsigned vcpus;        /* vCPUs issuing calls, interleaved (1..FUZZ_MAX_VCPUS; 0: 1) */
	uint64_t check_every;  /* calls between full invariant checks; 0: only at each epoch's end */
	const char *guest_dir; /* where arm64/pkvm-fuzz.elf is */
	const char *repro;     /* where to write the reproducer scenario */
	/* Called after each epoch (the CLI prints a progress line), or NULL. */
	void (*progress)(void *ctx, const struct fuzz_stats *st);
};

struct fuzz_stats {
	uint64_t calls, full_checks, epochs, min_runs;
	uint64_t by_result[8]; /* 0, -EPERM, -EINVAL, -EBUSY, NOT_SUPPORTED, other */
	uint64_t by_vcpu[FUZZ_MAX_VCPUS]; /* calls each vCPU issued */
	uint64_t switches;     /* consecutive calls from different vCPUs: how interleaved the run was */
	uint64_t touches[3];   /* the access oracle: touches allowed, refused, and not judged (states changed between) */
	bool violation;
	uint64_t at_call;      /* index in its epoch */
	uint64_t epoch_seed;
	uint64_t repro_calls;
	bool repro_written;    /* a violation that came back on a fresh machine was written out */
	char what[600];        /* the violation */
	char error[300];       /* a setup failure (exit 2) */
};

/** fuzz_run() - fuzz. Return: 0 no violation, 1 a violation (reproducer written), 2 setup error. */
int fuzz_run(const struct fuzz_opts *o, struct fuzz_stats *st);

/**
 * fuzz_calls() - run exactly these calls (x0..x5 each) through the fuzz
 * guest on a fresh machine, with every oracle.  The libFuzzer harness uses
 * it.  Return: 0 clean, 1 a violation (@what), 2 setup error (@what).
 */
int fuzz_calls(const uint64_t (*calls)[6], size_t n, const char *guest_dir, char *what, size_t len);

#endif
