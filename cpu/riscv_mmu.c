/* SPDX-License-Identifier: MIT */
/*
 * riscv adapter: guest virtual memory, for guests that turn paging on (a
 * Linux kernel).  Unicorn translates the guest's own loads, stores and
 * fetches through satp natively; what is here is what the simulator needs
 * besides:
 *
 *   - the code bytes behind a guest virtual PC (instruction counts, the
 *     instruction behind a trap), read by walking the guest's Sv39/Sv48
 *     tables in RAM (RISC-V privileged spec, "Sv39: Page-Based 39-bit
 *     Virtual-Memory System", the walk of "Virtual Address Translation
 *     Process" without permission checks);
 *   - with paging on, an address Unicorn refuses because no region of its
 *     memory map covers it gets a window (va_window.c);
 *   - env->badaddr (the faulting address of a page fault) and satp live in
 *     the saved context at offsets found at boot, as the privilege level's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "riscv_internal.h"

#define PAGE_SHIFT 12
#define PAGE_MASK 0xfffull
#define SATP_MODE_SV39 8ull
#define SATP_MODE_SV48 9ull
#define SATP_MODE_SV57 10ull
#define PTE_V 0x1ull
#define PTE_R 0x2ull
#define PTE_X 0x8ull
#define PPN_MASK ((1ull << 44) - 1)

/* The 64-bit field of the saved context at @offset (0: not found at boot, reads 0). */
static uint64_t ctx_u64(struct cpu *c, size_t offset)
{
	uint64_t v = 0;

	if (offset)
		memcpy(&v, (uint8_t *)rv(c)->ctx + offset, sizeof(v));
	return v;
}

uint64_t riscv_ctx_satp(struct cpu *c)
{
	return ctx_u64(c, rv(c)->satp_offset);
}

uint64_t riscv_ctx_badaddr(struct cpu *c)
{
	return ctx_u64(c, rv(c)->badaddr_offset);
}

/* The physical address @va maps to under @satp (Sv39 or Sv48; bare: itself). Return: false if unmapped. */
static bool walk(struct cpu *c, uint64_t satp, uint64_t va, uint64_t *pa)
{
	uint64_t mode = satp >> 60, table = (satp & PPN_MASK) << PAGE_SHIFT;
	int level = mode == SATP_MODE_SV39 ? 2 : mode == SATP_MODE_SV48 ? 3 : mode == SATP_MODE_SV57 ? 4 : -1;

	if (level < 0) {
		*pa = va;
		return mode == 0;
	}
	for (; level >= 0; level--) {
		const uint8_t *p = cpu_host_ptr(c, table + ((va >> (PAGE_SHIFT + 9 * level)) & 511) * 8, 8);
		uint64_t pte, mask = (1ull << (PAGE_SHIFT + 9 * level)) - 1;

		if (!p)
			return false;
		memcpy(&pte, p, sizeof(pte));
		if (!(pte & PTE_V))
			return false;
		if (pte & (PTE_R | PTE_X)) {
			*pa = ((((pte >> 10) & PPN_MASK) << PAGE_SHIFT) & ~mask) | (va & mask);
			return true;
		}
		table = ((pte >> 10) & PPN_MASK) << PAGE_SHIFT;
	}
	return false;
}

/*
 * RAM at @va itself first (paging off, or the boot page), then a walk.
 * Kernel-half pages are cached: the kernel maps them alike in every address
 * space and never moves its text; user pages are walked every time.
 */
const uint8_t *riscv_va_ptr(struct cpu *c, uint64_t va, uint64_t len)
{
	struct riscv_state *st = rv(c);
	struct riscv_code_tlb *t = &st->tlb[(va >> PAGE_SHIFT) % RISCV_CODE_TLB];
	const uint8_t *p = cpu_host_ptr(c, va, len), *page;
	bool kernel = (int64_t)va < 0;
	uint64_t pa;

	if (p || !st->satp_offset || (va & PAGE_MASK) + len > PAGE_MASK + 1)
		return p;
	if (kernel && t->host && t->vpn == va >> PAGE_SHIFT)
		return t->host + (va & PAGE_MASK);
	uc_context_save(cpu_uc(c), st->ctx);
	if (!walk(c, riscv_ctx_satp(c), va, &pa) || !(page = cpu_host_ptr(c, pa & ~PAGE_MASK, PAGE_MASK + 1)))
		return NULL;
	if (kernel)
		*t = (struct riscv_code_tlb){ .vpn = va >> PAGE_SHIFT, .host = page };
	return page + (va & PAGE_MASK);
}

static bool fetch16(struct cpu *c, uint64_t va, uint16_t *h)
{
	const uint8_t *p = riscv_va_ptr(c, va, 2);

	if (p) {
		*h = (uint16_t)(p[0] | p[1] << 8);
		return true;
	}
	return uc_mem_read(cpu_uc(c), va, h, sizeof(*h)) == UC_ERR_OK; /* the boot page */
}

bool riscv_fetch(struct cpu *c, uint64_t va, uint32_t *insn)
{
	uint16_t lo, hi;

	if (!fetch16(c, va, &lo))
		return false;
	if ((lo & 3) != 3) {
		*insn = lo;
		return true;
	}
	if (!fetch16(c, va + 2, &hi))
		return false;
	*insn = (uint32_t)lo | (uint32_t)hi << 16;
	return true;
}

uint64_t riscv_insn_len(struct cpu *c, uint64_t va)
{
	uint16_t h = 0;

	fetch16(c, va, &h);
	return (h & 3) == 3 ? 4 : 2;
}

/* The XLEN-sized field of the context equal to @v, once only. Return: its offset, or 0. */
static size_t find_field(struct cpu *c, uint64_t v)
{
	struct riscv_state *st = rv(c);
	size_t size = uc_context_size(cpu_uc(c)), i, found = 0, n = 0;
	const uint8_t *b = (const uint8_t *)st->ctx;

	uc_context_save(cpu_uc(c), st->ctx);
	for (i = 8; i + 8 <= size; i += 8) {
		uint64_t x;

		memcpy(&x, b + i, sizeof(x));
		if (x == v)
			found = i, n++;
	}
	return n == 1 ? found : 0;
}

/*
 * badaddr: a misaligned LR inside the boot page (cause 4; an unmapped
 * address would stop the run instead), run as boot code in M-mode: its
 * address is in badaddr and, once t2 is cleared, nowhere else.  RV64 only
 * (Linux); riscv32 guests run with paging off.
 */
int riscv_calibrate_mmu(struct cpu *c)
{
	static const uint32_t lr[] = {
		0x00000397u, /* auipc t2, 0 */
		0x7ff38393u, /* addi  t2, t2, 0x7ff */
		0x1003a02fu, /* lr.w  x0, (t2) */
		0x00000393u, /* li    t2, 0 */
	};
	struct riscv_state *st = rv(c);

	if (c->arch != CPU_RISCV64)
		return 0;
	st->calibrating = true;
	if (cpu_exec_boot_code(c, lr, 4) < 0) {
		st->calibrating = false;
		return -1;
	}
	st->calibrating = false;
	st->badaddr_offset = find_field(c, CPU_FW_BASE + 0x7ff);
	return st->badaddr_offset ? 0 : -1;
}

/* After the trampoline, in S-mode: find satp. */
int riscv_calibrate_satp(struct cpu *c)
{
	const uint64_t satp = SATP_MODE_SV39 << 60 | 0x5a5a5ull;
	struct riscv_state *st = rv(c);

	if (c->arch != CPU_RISCV64)
		return 0;
	cpu_reg_put(c, UC_RISCV_REG_SATP, satp);
	st->satp_offset = find_field(c, satp);
	cpu_reg_put(c, UC_RISCV_REG_SATP, 0);
	return st->satp_offset ? 0 : -1;
}

int cpu_delegate_exceptions(struct cpu *c, uint64_t causes)
{
	if (c->arch != CPU_RISCV64 && c->arch != CPU_RISCV32) {
		snprintf(c->err, sizeof(c->err), "%s: exception delegation is not modelled", cpu_arch_name(c->arch));
		return -1;
	}
	rv(c)->deleg = causes;
	return 0;
}

/* An access Unicorn refused: with paging on, a window (va_window.c); with paging off, a fault. */
int riscv_va_unmapped(struct cpu *c, uint64_t addr, bool fetch)
{
	struct riscv_state *st = rv(c);

	if (!st->win.on)
		return CPU_UNMAPPED_FAULT;
	uc_context_save(cpu_uc(c), st->ctx);
	if (riscv_ctx_satp(c) >> 60 == 0)
		return CPU_UNMAPPED_FAULT; /* paging off: a wild physical access stays a fault */
	if (st->mfw && ((uint8_t *)st->ctx)[st->priv_offset] == 3)
		return CPU_UNMAPPED_FAULT; /* M-mode firmware's addresses are physical (MPRV is not followed here) */
	return va_window_unmapped(c, &st->win, addr, fetch);
}

int riscv_va_windows(struct cpu *c)
{
	if (!rv(c)->satp_offset) {
		snprintf(c->err, sizeof(c->err), "virtual-address windows need satp's place in the CPU context");
		return -1;
	}
	return va_windows_enable(c, &rv(c)->win);
}
