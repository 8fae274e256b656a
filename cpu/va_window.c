/* SPDX-License-Identifier: MIT */
/*
 * Virtual-address windows, for guests that turn their MMU on (a Linux kernel).
 *
 * Unicorn 2.0.1 refuses a load, store or fetch whose *virtual* address no
 * region of its own memory map covers, before it looks at the guest's page
 * tables: a kernel at 0xffff800008000000 (arm64) or in the upper half of Sv57
 * (riscv64) would fault although its tables map the address.  The halves of
 * those address spaces are far too large to cover up front, so while paging
 * is on an access Unicorn refuses maps a window around its address, the
 * largest aligned block up to 64 GiB that overlaps no region, and is retried.
 * Every window aliases one reserved host range that is never touched: the
 * accesses themselves go to the physical address the guest's tables give.
 * A refused instruction fetch happens while Unicorn translates a block, where
 * a new region would pull the memory map from under the translator: that one
 * is mapped between runs (va_window_after_run()).
 */
#include <stdio.h>
#include <sys/mman.h>

#include "cpu_internal.h"

#define WINDOW_MAX (64ull << 30)
#define PAGE_SIZE 0x1000ull

/* One reserved host range aliased by every window: never read or written. */
static void *window_host(void)
{
	static void *host;

	if (!host) {
		host = mmap(NULL, WINDOW_MAX, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (host == MAP_FAILED)
			host = NULL;
	}
	return host;
}

static bool map_window(struct cpu *c, struct va_windows *w, uint64_t addr)
{
	uint64_t size;

	w->count++;
	for (size = WINDOW_MAX; size >= PAGE_SIZE; size >>= 1)
		if (uc_mem_map_ptr(cpu_uc(c), addr & ~(size - 1), size, UC_PROT_ALL, window_host()) == UC_ERR_OK)
			return true;
	return false;
}

int va_windows_enable(struct cpu *c, struct va_windows *w)
{
	if (!window_host()) {
		snprintf(c->err, sizeof(c->err), "cannot reserve host address space for the virtual-address windows");
		return -1;
	}
	w->on = true;
	return 0;
}

int va_window_unmapped(struct cpu *c, struct va_windows *w, uint64_t addr, bool fetch)
{
	if (fetch) {
		w->pending = true;
		w->addr = addr;
		cpu_request_stop(c, CPU_RUN_RESTART);
		return CPU_UNMAPPED_DEFER;
	}
	return map_window(c, w, addr) ? CPU_UNMAPPED_RETRY : CPU_UNMAPPED_FAULT;
}

bool va_window_after_run(struct cpu *c, struct va_windows *w)
{
	if (!w->pending)
		return false;
	w->pending = false;
	return map_window(c, w, w->addr);
}
