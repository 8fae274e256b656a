/* SPDX-License-Identifier: MIT */
/*
 * hypsim bench: speed of the simulator against bare Unicorn and QEMU, all
 * measured in this one run on the same guest binaries (not a test; nothing
 * here asserts on time).  Host wall-clock time is read here, in tools/, and
 * never reaches the simulator.
 *
 *   ALU loop (6x10^8 instructions), riscv64 and arm64:
 *     hypsim (full machine: counting hook, exits, semihosting)
 *     bare Unicorn with uc_emu_start(count = same number of instructions)
 *     qemu-system-* -icount shift=0 (QEMU's deterministic mode), startup
 *     time subtracted using the 1-iteration build of the same loop
 *   HVC round trips (10^7), arm64: hypsim's SMCCC dispatcher against a bare
 *     Unicorn INTR hook that only writes x0.
 *   vCPU switching: one vCPU against four sharing the same work at several
 *     quanta, and the per-CPU cross-access check on and off.
 */
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "aen.h"
#include "commands.h"
#include "firmware.h"
#include "fuzz.h"
#include "record.h"
#include "hyp_alloc.h"
#include "machine.h"
#include "pkvm.h"

extern char **environ;

struct bench_opts {
	const char *guest_dir;
	bool no_qemu;
	const char *only; /* one section, or NULL for all */
};

void cmd_bench_help(void)
{
	printf("usage: hypsim bench [--guest-dir DIR] [--no-qemu] [--only SECTION]\n\n"
	       "Measure, in one run on the same guest code:\n"
	       "  - a 6x10^8-instruction ALU loop (riscv64, arm64) under hypsim, under bare\n"
	       "    Unicorn with an instruction count, and under qemu-system-* -icount shift=0;\n"
	       "  - arm64 HVC round trips per second through hypsim's dispatcher against a\n"
	       "    bare Unicorn interrupt hook;\n"
	       "  - the hyp page allocator model: order-0 alloc+free pairs with and without\n"
	       "    coalescing, a mixed-order workload, and glibc malloc/free of 4 KiB blocks;\n"
	       "  - pKVM's host stage-2: model walks, lazy host faults and share/unshare pairs\n"
	       "    through the guest, and guest memory throughput with stage-2 on and off;\n"
	       "  - the riscv64 Sstc timer: host time for 10^6 timer interrupts (stimecmp\n"
	       "    reprogrammed in each handler) and for one WFI sleep of 2^40 ticks;\n"
	       "  - the arm64 generic timer through the GICv3: 10^6 virtual-timer interrupts\n"
	       "    (TVAL re-armed, IAR/EOI in each handler) against qemu-system-aarch64 icount;\n"
	       "  - vCPU switches per second and the cost of one, against one vCPU doing the\n"
	       "    same work, and the cost of watching per-CPU areas for cross-CPU accesses;\n"
	       "  - s390 zPCI AEN: adapter events forwarded per second through the model\n"
	       "    (firmware alert, summary-vector scan, GAIT entry, guest summary bit, GISA\n"
	       "    IPM) with 512 and 4096 devices, one event per alert and 64 per alert;\n"
	       "  - the hypercall fuzzer's calls per second through the guest, with its oracles;\n"
	       "  - replay speed against the recorded run's, on 2x10^5 pKVM hypercalls.\n"
	       "Prints a table of rates and ratios (higher is better for hypsim).\n\n"
	       "options:\n"
	       "  --guest-dir DIR   guest images (default: $HYPSIM_GUEST_DIR, else %s)\n"
	       "  --no-qemu         skip the QEMU columns\n"
	       "  --only SECTION    one section: cpu (ALU and HVC), alloc, pkvm, sstc, gtimer, smp,\n"
	       "                    aen, fuzz, replay or linux (the riscv64 and arm64 Linux boots: build\n"
	       "                    the kernels first with scripts/build-linux.sh riscv64|arm64)\n"
	       "  --alloc-only      the same as --only alloc\n"
	       "  -h, --help        this text\n",
	       default_guest_dir());
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct load {
	struct machine m;
	uint64_t ram_base;
};

static void default_config(struct machine_config *cfg, enum cpu_arch arch)
{
	*cfg = (struct machine_config){
		.arch = arch, .nvcpus = 1, .cpu_hz = 1000000000, .timebase_hz = 10000000, .nmem = 1,
		.max_insns = 0,
	};
	cfg->mem[0].base = arch == CPU_ARM64 ? 0x40000000 : arch == CPU_S390X ? 0 : 0x80000000;
	cfg->mem[0].size = 16 << 20;
}

static int make_machine_cfg(struct machine *m, const struct machine_config *cfg, const char *elf)
{
	if (machine_create(m, cfg) < 0 || machine_load_elf(m, elf) < 0) {
		fprintf(stderr, "hypsim bench: %s\n", m->err);
		machine_destroy(m);
		return -1;
	}
	return 0;
}

static int make_machine(struct machine *m, enum cpu_arch arch, const char *elf)
{
	struct machine_config cfg;

	default_config(&cfg, arch);
	return make_machine_cfg(m, &cfg, elf);
}

/* Run a guest to its exit under hypsim. Return: seconds, with *retired set. */
static double run_hypsim(enum cpu_arch arch, const char *elf, uint64_t *retired, uint64_t *hvcs)
{
	struct machine m;
	struct run_goal g = { .until_cycle = VCLOCK_NEVER, .until_exit = true };
	enum run_outcome o;
	double t;

	if (make_machine(&m, arch, elf) < 0)
		return -1;
	t = now_s();
	o = machine_run(&m, &g);
	t = now_s() - t;
	*retired = machine_retired(&m.vcpus[0]);
	if (hvcs)
		*hvcs = m.counts[EV_HVC];
	if (o != RUN_EXITED || m.exit_code != 0) {
		fprintf(stderr, "hypsim bench: %s did not exit cleanly (%s)\n", elf, m.err);
		t = -1;
	}
	machine_destroy(&m);
	return t;
}

/* The same image on a bare Unicorn instance, for @count instructions. */
static double run_bare(enum cpu_arch arch, const char *elf, uint64_t count, bool hvc_hook)
{
	struct machine m; /* only for loading the image into host memory */
	struct cpu_bare *b;
	char err[160];
	double t;

	if (make_machine(&m, arch, elf) < 0)
		return -1;
	b = cpu_bare_open(arch, m.cfg.mem[0].base, m.cfg.mem[0].size, m.cfg.mem[0].host, hvc_hook, err, sizeof(err));
	if (!b) {
		fprintf(stderr, "hypsim bench: %s\n", err);
		machine_destroy(&m);
		return -1;
	}
	t = now_s();
	if (cpu_bare_run(b, m.entry, count, err, sizeof(err)) < 0) {
		fprintf(stderr, "hypsim bench: %s\n", err);
		t = -1;
	} else {
		t = now_s() - t;
	}
	cpu_bare_close(b);
	machine_destroy(&m);
	return t;
}

/* Why the last spawn_timed() failed, for the table's notes ("" after a success). */
static char spawn_why[160];

/* Wall time of running @argv (output discarded) to a zero exit status, or -1 (spawn_why says why). */
static double spawn_timed(const char *const *argv)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int status, err;
	double t;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	t = now_s();
	/* posix_spawnp() takes char *const[]: the strings are not written. */
	if ((err = posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, environ)) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		snprintf(spawn_why, sizeof(spawn_why), "%s %s", argv[0],
			 err == ENOENT ? "is not installed (apt-get install qemu-system-misc qemu-system-arm)" : strerror(err));
		return -1;
	}
	posix_spawn_file_actions_destroy(&fa);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		if (WIFSIGNALED(status))
			snprintf(spawn_why, sizeof(spawn_why), "%s was killed by signal %d", argv[0], WTERMSIG(status));
		else
			snprintf(spawn_why, sizeof(spawn_why), "%s exited with status %d (run it by hand to see why)",
				 argv[0], WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return -1;
	}
	spawn_why[0] = '\0';
	return now_s() - t;
}

/*
 * Wall time of one QEMU run, or -1 when QEMU is missing or fails.  @icount is
 * the -icount value; @extra (NULL-terminated, may be NULL) more arguments.
 */
static double run_qemu_ex(enum cpu_arch arch, const char *elf, const char *icount, const char *const *extra)
{
	const char *bin = arch == CPU_ARM64 ? "qemu-system-aarch64" : "qemu-system-riscv64";
	const char *head_rv[] = { bin, "-M", "virt", "-bios", "none", NULL };
	/* -nic none: the default NIC wants a boot ROM Debian's QEMU ships without */
	const char *head_a64[] = { bin, "-M", "virt,gic-version=3", "-cpu", "cortex-a57", "-nic", "none", NULL };
	const char *tail[] = { "-display", "none", "-serial", "none", "-monitor", "none", "-semihosting-config",
			       "enable=on,target=native", "-icount", icount, "-kernel", elf, NULL };
	const char *argv[48];
	const char *const *part;
	size_t n = 0;

	for (part = arch == CPU_ARM64 ? head_a64 : head_rv; *part; part++)
		argv[n++] = *part;
	for (part = tail; *part; part++)
		argv[n++] = *part;
	for (part = extra; part && *part && n + 1 < sizeof(argv) / sizeof(argv[0]); part++)
		argv[n++] = *part;
	argv[n] = NULL;
	return spawn_timed(argv);
}

/*
 * QEMU icount's boot of @image (riscv64 virt with its bundled OpenSBI, or
 * with @bios instead; arm64 virt with a GICv3 and no ITS).
 */
static double run_qemu_linux(bool arm64, const char *image, const char *bios)
{
	const char *rv[] = { "qemu-system-riscv64", "-M", "virt", "-m", "128M", "-smp", "1", "-display", "none",
			     "-serial", "null", "-monitor", "none", "-icount", "shift=0", "-kernel", image,
			     "-append", "earlycon=sbi console=hvc0", bios ? "-bios" : NULL, bios, NULL };
	const char *a64[] = { "qemu-system-aarch64", "-M", "virt,gic-version=3,its=off", "-cpu", "cortex-a72", "-m", "128M",
			      "-smp", "1", "-nic", "none", "-display", "none", "-serial", "null", "-monitor", "none",
			      "-icount", "shift=0", "-kernel", image, "-append", "earlycon=pl011,0x9000000 console=ttyAMA0",
			      NULL };

	return spawn_timed(arm64 ? a64 : rv);
}

static double run_qemu(enum cpu_arch arch, const char *elf)
{
	return run_qemu_ex(arch, elf, "shift=0", NULL);
}

static void row(const char *name, double a, const char *unit, double b, double q)
{
	printf("%-34s %10.1f %-5s %10.1f %-5s %6.2f", name, a, unit, b, unit, b > 0 ? a / b : 0.0);
	if (q > 0)
		printf(" %10.1f %-5s %6.2f\n", q, unit, a / q);
	else
		printf(" %10s %-5s %6s\n", "-", "", "-");
}

static void bench_alu(const struct bench_opts *o, enum cpu_arch arch)
{
	char elf[1024], short_elf[1024], name[64];
	uint64_t n = 0;
	double th, tb, tq = -1, ts;

	snprintf(elf, sizeof(elf), "%s/%s/alu-loop.elf", o->guest_dir, cpu_arch_name(arch));
	snprintf(short_elf, sizeof(short_elf), "%s/%s/alu-loop-short.elf", o->guest_dir, cpu_arch_name(arch));
	th = run_hypsim(arch, elf, &n, NULL);
	if (th <= 0)
		return;
	tb = run_bare(arch, elf, n, false);
	/* s390x: no QEMU column (its guest ends through hypsim's semihosting, which QEMU lacks) */
	if (!o->no_qemu && arch != CPU_S390X && (tq = run_qemu(arch, elf)) > 0 && (ts = run_qemu(arch, short_elf)) > 0)
		tq = tq - ts > 0 ? tq - ts : -1;
	snprintf(name, sizeof(name), "%s ALU loop (%" PRIu64 "M insns)", cpu_arch_name(arch), n / 1000000);
	row(name, (double)n / th / 1e6, "MIPS", tb > 0 ? (double)n / tb / 1e6 : 0, tq > 0 ? (double)n / tq / 1e6 : 0);
}

/* ---- models/hyp_alloc, timed in isolation ---------------------------------------- */

#define ALLOC_PAGES 8192 /* 32 MiB pool */
#define ALLOC_OPS 10000000

struct alloc_fx {
	uint8_t *buf;
	struct hyp_vmemmap vm;
	struct hyp_pool pool;
};

static int alloc_fx_init(struct alloc_fx *f, uint32_t nr, uint32_t reserved)
{
	uint64_t size = (uint64_t)ALLOC_PAGES * HYP_PAGE_SIZE + (1 << 20);

	f->buf = calloc(1, size);
	if (!f->buf)
		return -1;
	f->vm = (struct hyp_vmemmap){ .mem = { .base = 0x40000000, .size = size, .host = f->buf },
				      .pa = 0x40000000 + (uint64_t)ALLOC_PAGES * HYP_PAGE_SIZE, .first_pfn = 0x40000,
				      .nr_pfns = ALLOC_PAGES };
	return hyp_pool_init(&f->pool, &f->vm, 0x40000, nr, reserved, 0, 0xffff800000000000ull);
}

/* @n order-0 alloc+put pairs on @f's pool, then free it. Return: pairs per second, or -1. */
static double time_pairs(struct alloc_fx *f, uint64_t n)
{
	uint64_t pa, i;
	double t = now_s();

	for (i = 0; i < n; i++)
		if (hyp_alloc_pages(&f->pool, 0, &pa) < 0 || hyp_put_page(&f->pool, pa) < 0)
			break;
	t = now_s() - t;
	free(f->buf);
	return i == n ? (double)n / t : -1;
}

/*
 * Order-0 pairs on a pool whose @nfree free pages all have allocated buddies:
 * no coalescing.  The lists are FIFO, so the pairs cycle through all of them.
 */
static double alloc_pairs_fragmented(uint64_t nfree)
{
	struct alloc_fx f;
	uint64_t i;

	if (alloc_fx_init(&f, ALLOC_PAGES, ALLOC_PAGES) < 0)
		return -1;
	for (i = 0; i < nfree; i++)
		hyp_put_page(&f.pool, 0x40000000 + (2 * i + 1) * HYP_PAGE_SIZE);
	return time_pairs(&f, ALLOC_OPS);
}

/* Order-0 pairs from a single order-10 block: 10 splits and 10 merges each. */
static double alloc_pairs_coalescing(void)
{
	struct alloc_fx f;

	if (alloc_fx_init(&f, 1024, 0) < 0)
		return -1;
	return time_pairs(&f, ALLOC_OPS / 4);
}

/* Random orders 0..3 against a live set of up to 1024 blocks, half allocs, half frees. */
static double alloc_mixed(void)
{
	struct alloc_fx f;
	uint64_t *live = calloc(1024, sizeof(*live)), x = 88172645463325252ull, i;
	unsigned nlive = 0;
	double t;

	if (!live || alloc_fx_init(&f, ALLOC_PAGES, 0) < 0) {
		free(live);
		return -1;
	}
	t = now_s();
	for (i = 0; i < ALLOC_OPS; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		if ((x & 1) && nlive < 1024) {
			if (hyp_alloc_pages(&f.pool, (uint8_t)((x >> 8) & 3), &live[nlive]) == 0)
				nlive++;
		} else if (nlive) {
			unsigned k = (unsigned)((x >> 16) % nlive);

			hyp_put_page(&f.pool, live[k]);
			live[k] = live[--nlive];
		}
	}
	t = now_s() - t;
	free(live);
	free(f.buf);
	return (double)ALLOC_OPS / t;
}

static double malloc_pairs(void)
{
	static void *volatile sink;
	uint64_t i;
	double t = now_s();

	for (i = 0; i < ALLOC_OPS; i++) {
		void *p = malloc(4096);

		sink = p;
		free(p);
	}
	(void)sink;
	return (double)ALLOC_OPS / (now_s() - t);
}

static void alloc_row(const char *name, double rate, const char *unit, double yardstick)
{
	printf("%-38s %10.1f %-6s", name, rate / 1e6, unit);
	if (yardstick > 0)
		printf(" %10.1f %-4s %6.2f\n", yardstick / 1e6, "M/s", rate / yardstick);
	else
		printf("\n");
}

static void bench_alloc(void)
{
	double m = malloc_pairs();

	printf("\n%-38s %17s %15s %6s\n", "allocator (models/hyp_alloc)", "hypsim model", "glibc 4 KiB", "ratio");
	alloc_row("order-0 pairs, 16 free pages (warm)", alloc_pairs_fragmented(16), "M/s", m);
	alloc_row("order-0 pairs, 4096 free pages (16 MiB)", alloc_pairs_fragmented(4096), "M/s", m);
	alloc_row("order-0 alloc+free pairs, 10 merges", alloc_pairs_coalescing(), "M/s", m);
	alloc_row("mixed orders 0-3, random live set", alloc_mixed(), "Mop/s", 0);
	printf("\nEvery hyp_alloc free zeroes the block (the kernel's semantics); glibc's does not.\n"
	       "With many free pages the FIFO lists cycle through all of them, so each zeroing\n"
	       "misses the cache: that row measures memory bandwidth more than the allocator.\n"
	       "Target: >= 20 M order-0 pairs/s.\n");
}

/* ---- pKVM and the host stage-2 ------------------------------------------------------ */

/* What a pKVM bench run counted. */
struct pkvm_run_stats {
	uint64_t counts[EV_MAX_KINDS];
	uint64_t tlb_flushes;
};

/* Run pkvm-bench.elf in @mode to its exit. Return: seconds, or -1. */
static double run_pkvm_mode(const struct bench_opts *o, uint64_t mode, struct pkvm_run_stats *out_stats)
{
	const struct pkvm_options pkvm = { .enabled = true, .policy = PKVM_POLICY_MAINLINE, .phys_shift = 40,
					   .ffa_pages = 3, .test_calls = true };
	struct machine m;
	struct machine_config cfg = { .arch = CPU_ARM64, .nvcpus = 1, .cpu_hz = 1000000000, .timebase_hz = 62500000,
				      .nmem = 1 };
	struct run_goal boot = { .until_cycle = 0 }, all = { .until_cycle = VCLOCK_NEVER, .until_exit = true };
	char elf[1024];
	enum run_outcome r;
	double t;

	snprintf(elf, sizeof(elf), "%s/arm64/pkvm-bench.elf", o->guest_dir);
	cfg.mem[0].base = 0x40000000;
	cfg.mem[0].size = 512 << 20;
	if (machine_create(&m, &cfg) < 0 || machine_load_elf(&m, elf) < 0 ||
	    machine_pkvm_enable(&m, &pkvm) < 0 || machine_run(&m, &boot) == RUN_ERROR) {
		fprintf(stderr, "hypsim bench: pkvm: %s\n", m.err);
		machine_destroy(&m);
		return -1;
	}
	cpu_reg_write(&m.vcpus[0].cpu, cpu_reg_lookup(CPU_ARM64, "x1"), mode);
	t = now_s();
	r = machine_run(&m, &all);
	t = now_s() - t;
	if (r != RUN_EXITED || m.exit_code != 0) {
		fprintf(stderr, "hypsim bench: pkvm mode %llu did not exit cleanly\n", (unsigned long long)mode);
		t = -1;
	}
	if (out_stats) {
		memcpy(out_stats->counts, m.counts, sizeof(m.counts));
		out_stats->tlb_flushes = pkvm_fw_tlb_flushes(&m);
	}
	machine_destroy(&m);
	return t;
}

/* Model walks: s2pt_translate over a mapped 64 MiB, page by page. */
static double s2_walks_per_s(void)
{
	const uint64_t base = 0x40000000, size = 72ull << 20;
	uint8_t *buf = calloc(1, size);
	struct hyp_mem mem = { .base = base, .size = size, .host = buf };
	struct hyp_vmemmap vm = { .mem = mem, .pa = base + (64ull << 20), .first_pfn = base >> 12, .nr_pfns = size >> 12 };
	struct hyp_pool pool;
	struct s2pt_mm_ops mm;
	struct s2pt pgt;
	struct s2pt_translation tr;
	uint64_t i, n = 4000000;
	double t;

	if (!buf || hyp_pool_init(&pool, &vm, (base + (66ull << 20)) >> 12, 1024, 0, 0, 0xffff800000000000ull) ||
	    (mm = s2pt_pool_mm_ops(&pool), s2pt_init(&pgt, &mem, 40, &mm, S2PT_IDMAP)) ||
	    s2pt_map(&pgt, base, 64ull << 20, base, S2PT_PROT_RW, &pool)) {
		free(buf);
		return -1;
	}
	pgt.force_pte_cb = NULL;
	s2pt_unmap(&pgt, base, 64ull << 20);
	for (i = 0; i < (64ull << 20); i += 4096) /* page mappings: full-depth walks */
		s2pt_map(&pgt, base + i, 4096, base + i, S2PT_PROT_R, &pool);
	t = now_s();
	for (i = 0; i < n; i++)
		s2pt_translate(&pgt, base + ((i * 2654435761u) % (64u << 8)) * 4096, &tr);
	t = now_s() - t;
	free(buf);
	return (double)n / t;
}

static void bench_pkvm(const struct bench_opts *o)
{
	struct pkvm_run_stats stats;
	double base = run_pkvm_mode(o, 4, NULL), off = run_pkvm_mode(o, 0, NULL), on = run_pkvm_mode(o, 1, NULL);
	double faults = run_pkvm_mode(o, 2, &stats);
	uint64_t nfaults = stats.counts[EV_S2_FAULT], pair_flushes, flushes;
	double pairs = run_pkvm_mode(o, 3, &stats), cycles;

	pair_flushes = stats.tlb_flushes;
	cycles = run_pkvm_mode(o, 5, &stats);
	flushes = stats.tlb_flushes;

	printf("\n%-38s %17s %15s %6s\n", "pKVM host stage-2", "rate", "compared with", "ratio");
	printf("%-38s %10.1f %-6s\n", "model walks (s2pt_translate, L3 leaves)", s2_walks_per_s() / 1e6, "M/s");
	if (base < 0 || off < 0 || on < 0 || faults < 0 || pairs < 0 || cycles < 0)
		return;
	on = on - base > 0 ? on - base : on;
	printf("%-38s %10.1f %-6s %10.1f %-4s %6.2f\n", "guest memory loop, stage-2 on vs off",
	       64.0 * 65536 * 3 / on / 1e6, "Mops", 64.0 * 65536 * 3 / off / 1e6, "Mops", off / on);
	printf("%-38s %10.1f %-6s (%llu faults)\n", "host faults resolved (lazy idmap)",
	       (double)nfaults / (faults - base > 0 ? faults - base : faults) / 1e3, "k/s", (unsigned long long)nfaults);
	printf("%-38s %10.1f %-6s (%llu TLB flushes)\n", "share+unshare pairs through HVC", 100000.0 / (pairs - base) / 1e6,
	       "M/s", (unsigned long long)pair_flushes);
	printf("%-38s %10.1f %-6s (%llu TLB flushes)\n", "store+donate+reclaim cycles", 20000.0 / (cycles - base) / 1e3,
	       "k/s", (unsigned long long)flushes);
	printf("\nThe memory loop does 3 ops per 16 bytes (ldp, add, stp) over 1 MiB, 64 times.\n"
	       "Share and unshare leave the host's mapping as it is: no TLB flush.  Each donation\n"
	       "removes a valid translation: every vCPU's TLB is flushed (TLBI VMALLS12E1IS), and\n"
	       "the next store faults the page back in.\n"
	       "Targets: stage-2 on >= 0.90 of off once the working set is mapped; share+unshare >= 1 M/s.\n");
}

/*
 * A timer guest taking @nirq timer interrupts @delta ticks apart, re-armed
 * in each handler, sleeping in WFI between them: sstc-timer.elf on riscv64,
 * gtimer-bench.elf on arm64, which read both from RESULTS + 0x118/0x120.
 * Return: host seconds, or -1; *vns gets the virtual time covered.
 */
static double run_timer_guest(const struct bench_opts *o, enum cpu_arch arch, uint64_t timebase, uint64_t nirq,
			      uint64_t delta, uint64_t *vns)
{
	const char *name = arch == CPU_ARM64 ? "arm64/gtimer-bench" : "riscv64/sstc-timer";
	struct machine m;
	struct machine_config cfg;
	struct run_goal g = { .until_cycle = VCLOCK_NEVER, .until_exit = true };
	char elf[1024];
	enum run_outcome r;
	double t;

	snprintf(elf, sizeof(elf), "%s/%s.elf", o->guest_dir, name);
	default_config(&cfg, arch);
	cfg.timebase_hz = timebase;
	cfg.horizon = VCLOCK_NEVER; /* the 2^40-tick sleep is 30 hours: past the default horizon of a day */
	if (make_machine_cfg(&m, &cfg, elf) < 0)
		return -1;
	machine_mem_write(&m, cfg.mem[0].base + 0x10118, &delta, sizeof(delta));
	machine_mem_write(&m, cfg.mem[0].base + 0x10120, &nirq, sizeof(nirq));
	t = now_s();
	r = machine_run(&m, &g);
	t = now_s() - t;
	*vns = vclock_ns(&m.clk, m.now);
	if (r != RUN_EXITED || m.exit_code != 0) {
		fprintf(stderr, "hypsim bench: %s did not exit cleanly (%s)\n", name, m.err);
		t = -1;
	}
	machine_destroy(&m);
	return t;
}

static double run_sstc(const struct bench_opts *o, uint64_t nirq, uint64_t delta, uint64_t *vns)
{
	return run_timer_guest(o, CPU_RISCV64, 10000000, nirq, delta, vns);
}

/*
 * The same 10^6-interrupt run under QEMU (-icount shift=0,sleep=off, so idle
 * time jumps as in hypsim), minus a one-interrupt run for process start-up.
 */
static void timer_qemu_row(const struct bench_opts *o, enum cpu_arch arch, double t_hypsim)
{
	static const char *const many_rv[] = { "-device", "loader,addr=0x80010120,data=1000000,data-len=8", NULL };
	static const char *const one_rv[] = { "-device", "loader,addr=0x80010120,data=1,data-len=8", NULL };
	static const char *const many_a64[] = { "-device", "loader,addr=0x40010120,data=1000000,data-len=8", NULL };
	static const char *const one_a64[] = { "-device", "loader,addr=0x40010120,data=1,data-len=8", NULL };
	bool a64 = arch == CPU_ARM64;
	char elf[1024];
	double tq, ts;

	snprintf(elf, sizeof(elf), "%s/%s.elf", o->guest_dir, a64 ? "arm64/gtimer-bench" : "riscv64/sstc-timer");
	tq = run_qemu_ex(arch, elf, "shift=0,sleep=off", a64 ? many_a64 : many_rv);
	ts = run_qemu_ex(arch, elf, "shift=0,sleep=off", a64 ? one_a64 : one_rv);
	if (tq <= 0 || ts <= 0 || tq <= ts) {
		printf("  the same under QEMU: no figure: %s\n", spawn_why[0] ? spawn_why : "the run was too short to time");
		return;
	}
	printf("%-40s %12.3f s %14s   (hypsim/QEMU host-time ratio %.2f)\n", "  the same under QEMU icount", tq - ts, "",
	       t_hypsim / (tq - ts));
}

static void bench_sstc(const struct bench_opts *o)
{
	uint64_t vns = 0;
	double t;
	const uint64_t n = 1000000;

	printf("\n%-40s %14s %16s\n", "Sstc timer (riscv64, 1 GHz / 10 MHz)", "host time", "virtual time");
	t = run_sstc(o, n, 1000, &vns);
	if (t > 0) {
		printf("%-40s %12.3f s %14.3f s   (%.2f us per interrupt)\n", "10^6 interrupts, stimecmp += 1000",
		       t, (double)vns / 1e9, t * 1e6 / (double)n);
		if (!o->no_qemu)
			timer_qemu_row(o, CPU_RISCV64, t);
	}
	t = run_sstc(o, 1, 1ull << 40, &vns);
	if (t > 0)
		printf("%-40s %12.6f s %14.1f s\n", "one WFI sleep of 2^40 ticks", t, (double)vns / 1e9);
}

/* ---- the arm64 generic timer through the GICv3 ---------------------------------------------- */

/* gtimer-bench.elf at 1 GHz and QEMU's 62.5 MHz counter (run_timer_guest()). */
static double run_gtimer(const struct bench_opts *o, uint64_t nirq, uint64_t delta, uint64_t *vns)
{
	return run_timer_guest(o, CPU_ARM64, 62500000, nirq, delta, vns);
}

static void bench_gtimer(const struct bench_opts *o)
{
	uint64_t vns = 0;
	double t;
	const uint64_t n = 1000000;

	printf("\n%-40s %14s %16s\n", "generic timer + GICv3 (arm64, 1 GHz / 62.5 MHz)", "host time", "virtual time");
	t = run_gtimer(o, n, 1000, &vns);
	if (t > 0) {
		printf("%-40s %12.3f s %14.3f s   (%.2f us per interrupt)\n", "10^6 interrupts, TVAL = 1000", t,
		       (double)vns / 1e9, t * 1e6 / (double)n);
		if (!o->no_qemu)
			timer_qemu_row(o, CPU_ARM64, t);
	}
}

/* ---- vCPU switching and the per-CPU check ----------------------------------------- */

#define SMP_ITERS 2000000ull /* per vCPU with 4; 4x that on one */

/*
 * smp-work.elf: @nvcpus harts of @iters iterations each, @quantum cycles per
 * turn, per-CPU areas watched or not.  Return: host seconds, or -1.
 */
static double run_smp(const struct bench_opts *o, int nvcpus, uint64_t iters, uint64_t quantum, bool watch,
		      uint64_t *switches)
{
	struct machine_config cfg;
	struct machine m;
	struct run_goal g = { .until_cycle = VCLOCK_NEVER, .until_exit = true };
	uint64_t n = (uint64_t)nvcpus;
	char elf[1024];
	enum run_outcome r;
	double t;
	int i;

	default_config(&cfg, CPU_RISCV64);
	cfg.nvcpus = nvcpus;
	cfg.quantum = quantum;
	for (i = 0; watch && i < nvcpus; i++) {
		cfg.percpu[i].base = 0x80100000 + 0x1000 * (uint64_t)i;
		cfg.percpu[i].size = 0x1000;
	}
	snprintf(elf, sizeof(elf), "%s/riscv64/smp-work.elf", o->guest_dir);
	if (make_machine_cfg(&m, &cfg, elf) < 0)
		return -1;
	machine_mem_write(&m, 0x80010100, &iters, sizeof(iters));
	machine_mem_write(&m, 0x80010108, &n, sizeof(n));
	t = now_s();
	r = machine_run(&m, &g);
	t = now_s() - t;
	*switches = m.counts[EV_VCPU_SWITCH];
	if (r != RUN_EXITED || m.exit_code != 0 || m.counts[EV_PERCPU_CROSS]) {
		fprintf(stderr, "hypsim bench: smp-work did not exit cleanly (%s)\n", m.err);
		t = -1;
	}
	machine_destroy(&m);
	return t;
}

/* run_smp(), best of three: this shared host's noise is larger than the differences measured. */
static double best_smp(const struct bench_opts *o, int nvcpus, uint64_t iters, uint64_t quantum, bool watch,
		       uint64_t *switches)
{
	double best = -1;

	for (int k = 0; k < 3; k++) {
		double t = run_smp(o, nvcpus, iters, quantum, watch, switches);

		if (t <= 0)
			return -1;
		if (best < 0 || t < best)
			best = t;
	}
	return best;
}

static void bench_smp(const struct bench_opts *o)
{
	static const uint64_t quanta[] = { 10000, 1000, 100 };
	uint64_t sw = 0, sw_w = 0, sw_first = 0;
	double t1, t4 = 0, tw, t_first = 0;
	size_t i;

	printf("\n%-42s %10s %10s %12s %10s\n", "vCPU switching (riscv64, best of 3)", "host time",
	       "switches", "switches/s", "/ 1 vCPU");
	t1 = best_smp(o, 1, 4 * SMP_ITERS, MACHINE_DEFAULT_QUANTUM, false, &sw);
	if (t1 <= 0)
		return;
	printf("%-42s %8.3f s\n", "1 vCPU, all the work", t1);
	for (i = 0; i < sizeof(quanta) / sizeof(quanta[0]); i++) {
		char name[64];

		t4 = best_smp(o, 4, SMP_ITERS, quanta[i], false, &sw);
		if (t4 <= 0 || !sw)
			return;
		if (i == 0)
			t_first = t4, sw_first = sw;
		snprintf(name, sizeof(name), "4 vCPUs, a quarter each, quantum %" PRIu64, quanta[i]);
		printf("%-42s %8.3f s %10" PRIu64 " %10.2f M %9.2fx\n", name, t4, sw, (double)sw / t4 / 1e6, t4 / t1);
	}
	/* the same work on the same four vCPUs, only the number of switches differs */
	printf("cost / switch: %.0f ns ((quantum 100 time - quantum 10000 time) / extra switches; target < 2 us)\n",
	       sw > sw_first && t4 > t_first ? (t4 - t_first) * 1e9 / (double)(sw - sw_first) : 0.0);
	t4 = best_smp(o, 4, SMP_ITERS, MACHINE_DEFAULT_QUANTUM, false, &sw);
	tw = best_smp(o, 4, SMP_ITERS, MACHINE_DEFAULT_QUANTUM, true, &sw_w);
	if (t4 > 0 && tw > 0)
		printf("%-42s %8.3f s   (%.2fx the unwatched run: Unicorn's memory hooks)\n",
		       "4 vCPUs, quantum 10000, per-CPU areas watched", tw, tw / t4);
	printf("Every iteration loads and stores its vCPU's own per-CPU area once.  Target: 4 vCPUs\n"
	       "at quantum 1000 within 1.2x of one vCPU.\n");
}

static void bench_hvc(const struct bench_opts *o)
{
	char elf[1024];
	uint64_t n = 0, hvcs = 0;
	double th, tb;

	snprintf(elf, sizeof(elf), "%s/arm64/hvc-loop.elf", o->guest_dir);
	th = run_hypsim(CPU_ARM64, elf, &n, &hvcs);
	if (th <= 0)
		return;
	tb = run_bare(CPU_ARM64, elf, n, true);
	row("arm64 HVC round trips (10M)", (double)hvcs / th / 1e6, "M/s", tb > 0 ? (double)hvcs / tb / 1e6 : 0, 0);
}

/*
 * AEN forwarding through the model: every device of ZPCI_NR_DEVICES = @n
 * enabled for one VM, events raised round-robin.  "1/alert": each event is
 * its own GIB alert (two scans of the summary vector and one SIC each);
 * "64/alert": 64 events land while the alert is held back (NIMM), then one
 * alert forwards them all.  Return: events per second.
 */
#define AEN_BENCH_MEM (8ull << 20)
#define AEN_BENCH_GISA 0x1000ull
#define AEN_BENCH_VECS 0x100000ull /* 8 bytes of AIBV and 8 of AISB per device */
#define AEN_BENCH_HEAP 0x400000ull

static double aen_rate(struct aen *a, uint8_t *ram, uint32_t n, uint32_t batch, uint64_t events)
{
	struct aen_mem mem = { .host = ram, .base = 0, .size = AEN_BENCH_MEM };
	uint64_t done = 0;
	double t;

	if (aen_boot(a, &mem, n, AEN_BENCH_HEAP, AEN_BENCH_MEM - AEN_BENCH_HEAP) < 0 || aen_init(a, AEN_GAL_ISC) ||
	    aen_vm_create(a, 0, AEN_BENCH_GISA))
		return 0;
	for (uint32_t d = 0; d < n; d++) {
		struct aen_reg_aen r = { .ibv = AEN_BENCH_VECS + 16ull * d, .sb = AEN_BENCH_VECS + 16ull * d + 8,
					 .sbo = 0, .noi = 1, .isc = 3 };

		if (aen_dev_register(a, (int)d, 0, (uint32_t)AEN_BENCH_GISA, 1) || aen_reg_aen(a, 0, (int)d, &r))
			return 0;
	}
	t = now_s();
	for (uint32_t d = 0; done < events; d = (d + batch) % n) {
		if (batch > 1)
			a->fw.nimm |= (uint8_t)AEN_AIS_MODE_MASK(AEN_GAL_ISC); /* an alert is in flight */
		for (uint32_t k = 0; k < batch; k++)
			aen_fw_raise(a, (int)((d + k) % n), 0);
		if (batch > 1) {
			aen_fw_sic(a, SIC_IRQ_MODE_SINGLE, AEN_GAL_ISC, 0);
			aen_fw_alert(a, AEN_GAL_ISC);
		}
		done += batch;
	}
	t = now_s() - t;
	return a->forwarded >= events ? (double)a->forwarded / t : 0;
}

static void bench_aen(void)
{
	static const uint32_t devices[] = { 512, 4096 };
	uint8_t *ram = calloc(1, AEN_BENCH_MEM);
	struct aen *a = calloc(1, sizeof(*a));

	printf("\n%-34s %16s %16s\n", "AEN forwarding (model)", "1 event/alert", "64 events/alert");
	for (unsigned i = 0; ram && a && i < 2; i++) {
		double one = aen_rate(a, ram, devices[i], 1, 400000);
		double batch = aen_rate(a, ram, devices[i], 64, 4000000);
		char label[40];

		snprintf(label, sizeof(label), "%u devices (events/s)", devices[i]);
		printf("%-34s %14.2f M %14.2f M\n", label, one / 1e6, batch / 1e6);
	}
	printf("each event: AIBV and summary bits set, alert, scan, GAIT entry read, guest summary\n"
	       "bit and GISA IPM set.  Target: none stated; reported for regression tracking.\n");
	if (a)
		aen_free(a);
	free(a);
	free(ram);
}

/* ---- fuzzing and replay ----------------------------------------------------------------- */

static void bench_fuzz(const struct bench_opts *bo)
{
	struct fuzz_opts o = { .seed = 1, .iters = 2000000, .epoch = 1000000, .guest_dir = bo->guest_dir };
	struct fuzz_stats st;
	double per_call, full;

	printf("\n%-46s %16s\n", "hypercall fuzzer (through the guest's HVC)", "calls/s");
	double t = now_s();

	if (fuzz_run(&o, &st) != 0) {
		printf("  fuzz: %s%s\n", st.error, st.what);
		return;
	}
	per_call = (double)st.calls / (now_s() - t);
	printf("%-46s %16.0f\n", "per-call oracles", per_call);
	o.check_every = 1000;
	o.iters = 500000;
	t = now_s();
	if (fuzz_run(&o, &st) != 0)
		return;
	full = (double)st.calls / (now_s() - t);
	printf("%-46s %16.0f\n", "... and the full checkers every 1000 calls", full);
	o.check_every = 0;
	o.iters = 2000000;
	o.vcpus = 4;
	t = now_s();
	if (fuzz_run(&o, &st) != 0)
		return;
	printf("%-46s %16.0f\n", "per-call oracles, 4 vCPUs interleaved", (double)st.calls / (now_s() - t));
	printf("\nTargets: >= 500000 calls/s with the per-call oracles; >= 1000000 on 4 vCPUs.\n");
}

static double run_scenario_timed(const char *path, const char *guest_dir, const char *record)
{
	struct scn_options so = { .guest_dir = guest_dir, .clock = CPU_CLOCK_BLOCK };
	struct rec_config rc = { .guest_dir = guest_dir, .every = REC_DEFAULT_EVERY };
	struct recorder *rec = NULL;
	struct scenario s;
	struct scn_result r;
	char err[400];
	FILE *f = NULL;
	double t0;

	if (scenario_load(path, &s, err, sizeof(err)) < 0)
		return -1;
	if (record && (!(f = fopen(record, "w")) || !(rec = rec_start(f, &s, &rc, err, sizeof(err))))) {
		if (f)
			fclose(f);
		scenario_free(&s);
		return -1;
	}
	so.obs = rec ? rec_observer(rec) : NULL;
	t0 = now_s();
	scenario_run(&s, &so, &r);
	if (rec)
		rec_end(rec, &r);
	t0 = now_s() - t0;
	if (f)
		fclose(f);
	if (r.status != SCN_PASS)
		t0 = -1;
	scn_result_free(&r);
	scenario_free(&s);
	return t0;
}

/* @text into the mkstemp() file @scn (a "/tmp/...XXXXXX" template), @rec = its name + ".rec". Return: 0 or -1 (said). */
static int temp_scenario(const char *text, char *scn, char *rec, size_t n)
{
	int fd = mkstemp(scn);
	FILE *f;

	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		printf("  cannot write a temporary scenario\n");
		return -1;
	}
	fputs(text, f);
	fclose(f);
	snprintf(rec, n, "%s.rec", scn);
	return 0;
}

/* The fastest of three runs (host noise only ever slows a run down), or -1 if one failed. */
static double best_of_3(const char *scn, const char *guest_dir, const char *rec)
{
	double best = -1;

	for (int i = 0; i < 3; i++) {
		double t = run_scenario_timed(scn, guest_dir, rec);

		if (t <= 0)
			return -1;
		if (best < 0 || t < best)
			best = t;
	}
	return best;
}

/* One Linux boot of the bench: its scenario, its instruction count (the scenario's `expect insns`). */
struct linux_boot {
	const char *title, *arch, *text;
	double insns;
	bool qemu; /* also time it under QEMU icount (the boots without pKVM: QEMU has no pKVM) */
	const char *bios; /* QEMU's -bios: the same firmware hypsim runs (NULL: QEMU's own) */
};

static const struct linux_boot linux_boots[] = {
	{ "Linux 6.1 riscv64 boot to power-off", "riscv64",
	  "arch riscv64\nmemory 0x80000000 128M\ntimebase 10MHz\nmax-insns 100000000\n"
	  "linux linux/riscv64/Image\nrun until exit\nexpect exit 0\n",
	  23269210.0 /* scenarios/linux-riscv64.scn */, true, NULL },
	{ "Linux 6.1 riscv64 boot under Debian's OpenSBI", "riscv64",
	  "arch riscv64\nmemory 0x80000000 128M\ntimebase 10MHz\nmax-insns 100000000\n"
	  "linux linux/riscv64/Image firmware opensbi\nrun until exit\nexpect exit 0\n",
	  29696921.0 /* scenarios/linux-riscv64-opensbi.scn */, true,
	  "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin" },
	{ "Linux 6.1 arm64 boot, stage-2 off", "arm64",
	  "arch arm64\nmemory 0x40000000 128M\ntimebase 62500000\nmax-insns 100000000\n"
	  "linux linux/arm64/Image\nrun until exit\nexpect exit 0\n",
	  19959083.0 /* tests/scenarios/linux-arm64.scn */, true, NULL },
	{ "Linux 6.1 arm64 boot as pKVM's host, stage-2 on", "arm64",
	  "arch arm64\nmemory 0x40000000 128M\ntimebase 62500000\nmax-insns 100000000\npkvm mainline\n"
	  "linux linux/arm64/Image\nrun until exit\nexpect exit 0\n",
	  20085203.0 /* scenarios/linux-arm64-pkvm.scn */, false, NULL },
};

/* One boot, best of three: plain, recorded, and under QEMU icount. */
static void bench_linux_boot(const struct bench_opts *bo, const struct linux_boot *b)
{
	char scn[] = "/tmp/hypsim-bench-XXXXXX", rec[64], image[1024];
	double plain, recorded, tq = -1;

	printf("\n%-46s %10s %10s %8s\n", b->title, "seconds", "MIPS", "ratio");
	if (temp_scenario(b->text, scn, rec, sizeof(rec)) < 0)
		return;
	snprintf(image, sizeof(image), "%s/linux/%s/Image", bo->guest_dir, b->arch);
	plain = best_of_3(scn, bo->guest_dir, NULL);
	recorded = best_of_3(scn, bo->guest_dir, rec);
	for (int i = 0; i < 3 && b->qemu && !bo->no_qemu; i++) {
		double t = run_qemu_linux(strcmp(b->arch, "arm64") == 0, image, b->bios);

		if (t > 0 && (tq <= 0 || t < tq))
			tq = t;
	}
	unlink(scn);
	unlink(rec);
	if (plain <= 0) {
		printf("  the boot failed: build the kernel first (bash scripts/build-linux.sh %s)\n", b->arch);
		return;
	}
	printf("%-46s %10.2f %10.1f\n", "hypsim", plain, b->insns / plain / 1e6);
	if (recorded > 0)
		printf("%-46s %10.2f %10s %8.2f\n", "hypsim --record (ratio: cost / plain)", recorded, "", recorded / plain);
	if (tq > 0)
		printf("%-46s %10.2f %10s %8.2f\n", "qemu -icount shift=0 (ratio: hypsim speed)", tq, "",
		       tq / plain);
	else if (b->qemu && !bo->no_qemu)
		printf("  qemu -icount shift=0: no figure: %s\n", spawn_why[0] ? spawn_why : "it did not finish");
}

/* The Linux boots: riscv64 (hypsim as the firmware, then Debian's OpenSBI), arm64 without and with pKVM's host stage-2. */
static void bench_linux(const struct bench_opts *bo)
{
	size_t i;

	for (i = 0; i < sizeof(linux_boots) / sizeof(linux_boots[0]); i++)
		bench_linux_boot(bo, &linux_boots[i]);
	printf("\nTargets: recording <= 2x a plain run; hypsim >= 0.5 of QEMU icount's speed.\n");
}

static void bench_replay(const struct bench_opts *bo)
{
	static const char text[] = "arch arm64\nmemory 0x40000000 64M\npkvm mainline\nload arm64/pkvm-bench.elf\n"
				   "set reg x1 3\nrun until exit\nexpect exit 0\n";
	char scn[] = "/tmp/hypsim-bench-XXXXXX", rec[64];
	struct replay_opts ro = { .context = 3, .guest_dir = bo->guest_dir };
	struct replay_speed sp = { 0 };
	double plain, recorded, replayed;
	FILE *null;
	enum replay_status st;

	printf("\n%-46s %12s\n", "record and replay: pKVM share/unshare x 10^5", "seconds");
	if (temp_scenario(text, scn, rec, sizeof(rec)) < 0)
		return;
	plain = run_scenario_timed(scn, bo->guest_dir, NULL);
	recorded = run_scenario_timed(scn, bo->guest_dir, rec);
	null = fopen("/dev/null", "w");
	replayed = now_s();
	st = replay_file(rec, &ro, null ? null : stdout, &sp);
	replayed = now_s() - replayed;
	if (null)
		fclose(null);
	if (plain < 0 || recorded < 0 || st != REPLAY_SAME) {
		printf("  the benchmark scenario failed (%s)\n", st != REPLAY_SAME ? "replay differs" : "run");
	} else {
		printf("%-46s %12.3f\n", "run, not recorded", plain);
		printf("%-46s %12.3f\n", "run, recorded", recorded);
		printf("%-46s %12.3f   (%" PRIu64 " lines compared)\n", "replay", replayed, sp.lines);
		printf("\nreplay speed / recorded run speed: %.2f (target >= 0.8); recording costs %.2fx a plain run.\n",
		       recorded / replayed, recorded / plain);
	}
	unlink(rec);
	unlink(scn);
}

static void bench_cpu(const struct bench_opts *o)
{
	printf("%-34s %16s %16s %6s %16s %6s\n", "workload", "hypsim", "bare unicorn", "ratio", "qemu icount",
	       "ratio");
	spawn_why[0] = '\0';
	bench_alu(o, CPU_RISCV64);
	bench_alu(o, CPU_ARM64);
	bench_alu(o, CPU_S390X);
	bench_hvc(o);
	if (o->no_qemu)
		printf("\nqemu icount: not measured (--no-qemu).\n");
	else if (spawn_why[0])
		printf("\nqemu icount: an empty column because %s.\n", spawn_why);
	printf("\nbare unicorn: uc_emu_start with count=N (ALU) or an INTR hook writing x0 (HVC).\n"
	       "qemu icount: -icount shift=0, process startup subtracted.  Targets: ALU >= 0.90 of\n"
	       "bare unicorn and above qemu icount; HVC >= 0.5 of the bare hook.  s390x: no qemu\n"
	       "column (its guest ends through hypsim's semihosting, which QEMU lacks).\n");
}

static void bench_alloc_section(const struct bench_opts *o)
{
	(void)o;
	bench_alloc();
}

static void bench_aen_section(const struct bench_opts *o)
{
	(void)o;
	bench_aen();
}

/* The sections, in the order a full run prints them (--only NAME picks one). */
static const struct {
	const char *name;
	void (*run)(const struct bench_opts *o);
} sections[] = {
	{ "cpu", bench_cpu },	{ "alloc", bench_alloc_section }, { "pkvm", bench_pkvm }, { "sstc", bench_sstc },
	{ "gtimer", bench_gtimer }, { "smp", bench_smp },	{ "aen", bench_aen_section },	  { "fuzz", bench_fuzz }, { "replay", bench_replay },
	{ "linux", bench_linux },
};

static bool section_known(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		if (strcmp(sections[i].name, name) == 0)
			return true;
	return false;
}

int cmd_bench(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "guest-dir", required_argument, NULL, 'g' },
		{ "no-qemu", no_argument, NULL, 'n' },
		{ "alloc-only", no_argument, NULL, 'a' },
		{ "only", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct bench_opts o = { .guest_dir = default_guest_dir() };
	int ch;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'g': o.guest_dir = optarg; break;
		case 'n': o.no_qemu = true; break;
		case 'a': o.only = "alloc"; break;
		case 'o':
			if (!section_known(optarg)) {
				fprintf(stderr, "hypsim bench: --only takes cpu, alloc, pkvm, sstc, gtimer, smp, aen, fuzz, replay or linux, not '%s'\n", optarg);
				return EXIT_USAGE;
			}
			o.only = optarg;
			break;
		case 'h': cmd_bench_help(); return EXIT_PASS;
		case ':':
			fprintf(stderr, "hypsim bench: %s needs an argument\n", argv[optind - 1]);
			return EXIT_USAGE;
		default:
			fprintf(stderr, "hypsim bench: unknown option '%s' (try 'hypsim bench --help')\n", argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "hypsim bench: unexpected argument '%s'\n", argv[optind]);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		if (!o.only || strcmp(o.only, sections[i].name) == 0)
			sections[i].run(&o);
	return EXIT_PASS;
}
