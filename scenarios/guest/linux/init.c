/* SPDX-License-Identifier: MIT */
/*
 * hypsim-init: the /init of the Linux guests (scripts/build-linux.sh): prints,
 * reads the clocks, sleeps three times 10 ms, reports the timer interrupts
 * the kernel counted and what CLOCK_MONOTONIC said across the sleeps, and
 * powers off.
 * Built against the kernel's own tools/include/nolibc (6.1), which has
 * no clock_gettime()/nanosleep() wrappers, so those use my_syscall2().
 *
 *   riscv64-linux-gnu-gcc (or aarch64-linux-gnu-gcc) -Os -nostdlib -static ... -include nolibc.h init.c -lgcc
 */
#ifndef _NOLIBC_H
#include "nolibc.h"
#endif

/* The per-CPU timer's name in /proc/interrupts (timer-riscv.c, arm_arch_timer.c) */
#ifdef __aarch64__
#define TIMER_NAME "arch_timer"
#else
#define TIMER_NAME "riscv-timer"
#endif

#define CLK_REALTIME  0
#define CLK_MONOTONIC 1

/* Same layout as struct __kernel_timespec on rv64 and arm64 */
struct kts {
	long long tv_sec;
	long long tv_nsec;
};

static void out(const char *s)
{
	write(1, s, strlen(s));
}

/* unsigned decimal, optionally zero-padded to `width` digits */
static void out_u(unsigned long long v, int width)
{
	char b[24];
	int i = sizeof(b);

	do {
		b[--i] = '0' + (v % 10);
		v /= 10;
		width--;
	} while (v || width > 0);
	write(1, b + i, sizeof(b) - i);
}

static void out_s(long long v)
{
	if (v < 0) {
		out("-");
		v = -v;
	}
	out_u((unsigned long long)v, 0);
}

static int clk_get(int clk, struct kts *ts)
{
	return my_syscall2(__NR_clock_gettime, clk, ts);
}

static long long ts_ns(const struct kts *ts)
{
	return ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

static void out_ts(const char *label, int clk)
{
	struct kts ts = { 0, 0 };
	int ret = clk_get(clk, &ts);

	out("hypsim-init: ");
	out(label);
	out(" ");
	if (ret) {
		out("error ");
		out_s(ret);
		out("\n");
		return;
	}
	out_s(ts.tv_sec);
	out(".");
	out_u(ts.tv_nsec, 9);
	out(" s (sec=");
	out_s(ts.tv_sec);
	out(" nsec=");
	out_s(ts.tv_nsec);
	out(")\n");
}

static char buf[8192];

/* 6.1 nolibc has no strstr() */
static int contains(const char *s, const char *w)
{
	size_t n = strlen(w);

	for (; *s; s++)
		if (!strncmp(s, w, n))
			return 1;
	return 0;
}

/* Read a whole (small) file into buf; returns length or -1. */
static int slurp(const char *path)
{
	int fd, n, tot = 0;

	fd = open(path, O_RDONLY, 0);
	if (fd < 0)
		return -1;
	while (tot < (int)sizeof(buf) - 1 &&
	       (n = read(fd, buf + tot, sizeof(buf) - 1 - tot)) > 0)
		tot += n;
	close(fd);
	buf[tot] = 0;
	return tot;
}

/* Sum the per-CPU counts on the /proc/interrupts line naming the timer. */
static void show_interrupts(void)
{
	int tot;
	char *p, *line, *end;

	if (mount("proc", "/proc", "proc", 0, NULL) != 0) {
		out("hypsim-init: no procfs (mount failed), skipping /proc/interrupts\n");
		return;
	}
	if ((tot = slurp("/proc/cpuinfo")) > 0) {
		out("hypsim-init: /proc/cpuinfo:\n");
		write(1, buf, tot);
	}
	tot = slurp("/proc/interrupts");
	if (tot < 0) {
		out("hypsim-init: cannot open /proc/interrupts\n");
		return;
	}
	out("hypsim-init: /proc/interrupts:\n");
	write(1, buf, tot);

	for (line = buf; *line; line = end) {
		unsigned long long sum = 0;
		int ncpu = 0;

		for (end = line; *end && *end != '\n'; end++)
			;
		if (*end)
			*end++ = 0;
		if (!contains(line, TIMER_NAME))
			continue;
		p = line;
		while (*p && *p != ':')
			p++;
		if (*p)
			p++;
		for (;;) {
			unsigned long long v = 0;
			int digits = 0;

			while (*p == ' ')
				p++;
			while (*p >= '0' && *p <= '9') {
				v = v * 10 + (*p++ - '0');
				digits++;
			}
			if (!digits)
				break;
			sum += v;
			ncpu++;
		}
		out("hypsim-init: timer interrupts (" TIMER_NAME ") = ");
		out_u(sum, 0);
		out(" over ");
		out_u(ncpu, 0);
		out(" cpu(s)\n");
	}
}

int main(int argc, char **argv)
{
	struct kts t0, t1, req = { 0, 10 * 1000 * 1000 };
	int i, ret;

	out("hypsim-init: start\n");
	for (i = 0; i < argc; i++) {
		out("hypsim-init: argv[");
		out_u(i, 0);
		out("] = ");
		out(argv[i]);
		out("\n");
	}
	out_ts("CLOCK_MONOTONIC", CLK_MONOTONIC);
	out_ts("CLOCK_REALTIME ", CLK_REALTIME);

	clk_get(CLK_MONOTONIC, &t0);
	for (i = 0; i < 3; i++) {
		ret = my_syscall2(__NR_nanosleep, &req, NULL);
		if (ret) {
			out("hypsim-init: nanosleep error ");
			out_s(ret);
			out("\n");
		}
		out_ts(i == 0 ? "after sleep 1: CLOCK_MONOTONIC" :
		       i == 1 ? "after sleep 2: CLOCK_MONOTONIC" :
				"after sleep 3: CLOCK_MONOTONIC", CLK_MONOTONIC);
	}
	clk_get(CLK_MONOTONIC, &t1);

	show_interrupts();

	out("hypsim-init: slept ");
	out_s(ts_ns(&t1) - ts_ns(&t0));
	out(" ns\n");

	out("hypsim-init: power off\n");
	reboot(LINUX_REBOOT_CMD_POWER_OFF);
	out("hypsim-init: reboot() returned!\n");
	for (;;)
		;
	return 0;
}
