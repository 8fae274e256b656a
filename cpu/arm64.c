/* SPDX-License-Identifier: MIT */
/*
 * arm64 adapter.  The guest runs at EL1; EL2 and EL3 are the simulator.
 *
 * Unicorn 2.0.1 facts used here (measured on Debian's libunicorn 2.0.1;
 * docs/unicorn.md keeps the list):
 *   - HVC needs SCR_EL3.HCE, then arrives as INTR 11 with PC after it;
 *     SMC is INTR 13, SVC INTR 2 (PC after); UDEF (and so HLT) INTR 1 with PC
 *     at the instruction; BRK 7, aborts 4 (data) and 3 (fetch).  None is
 *     taken: the syndrome and fault address are in the exception record
 *     (below), and take_exception() enters the guest's vector.
 *   - PSTATE writes do not change the translator's cached EL (hflags): from
 *     EL0, EL1's mode goes in through the saved context (hflags_el0_to_el1()).
 *   - CPACR_EL1.FPEN is ignored: the FP/SIMD trap is raised here.
 *   - The CPU resets in Secure EL1, and a register write of SCR_EL3.NS does
 *     not leave the Secure regime (it is cached): the boot trampoline is a
 *     single ERET to the entry point at EL1h, which rebuilds it.
 *   - The timer registers read host time and never fire, and the GIC's
 *     ICC_* registers are UNDEFINED: MRS/MSR hooks hand them to the owner
 *     (CPU_EXIT_SYSREG).
 *   - HCR_EL2.VI/VF with IMO/FMO raise a virtual IRQ/FIQ the guest takes
 *     natively at VBAR_EL1 + 0x280/0x300 (+0x80/0x100 from EL1t).
 *   - Native stage-2: with VTTBR/VTCR/HCR_EL2.VM programmed, EL1 accesses are
 *     translated through the model's tables from the next TLB fill on.
 *     A stage-2 abort is INTR 4 (data) or 3 (fetch) with PC at the faulting
 *     instruction and HPFAR_EL2 = IPA >> 8; nothing else writes HPFAR_EL2,
 *     so it is parked at a sentinel to tell stage-2 aborts from others.
 *   - The TLB caches combined stage-1+2 translations per Unicorn instance.
 *     Writing the TLBI VMALLS12E1IS system instruction through
 *     UC_ARM64_REG_CP_REG runs its writefn, which drops them (0.3-0.9 us);
 *     the broadcast to other CPUs is compiled out, so every vCPU needs its
 *     own.  uc_mem_protect() with unchanged permissions flushes nothing, and
 *     TLBI IPAS2E1IS drops only stage-2-only entries, not the combined ones.
 *   - An exception that is never taken still leaves its record in the CPU
 *     state, and so in a saved context: {u32 syndrome; u32 fsr; u64 vaddress;
 *     u32 target_el} (QEMU's env->exception).  For a stage-2 abort that is
 *     ESR_EL2 (with ISV/WnR/DFSC) and FAR_EL2.  Its offset in the context blob
 *     is found once per process (exc_record_offset), not assumed.
 *   - A uc_mem_write() over code leaves the translated block cached: the
 *     probe removes it with uc_ctl_remove_cache().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu_internal.h"

#define INSN_ERET 0xd69f03e0u
#define INSN_WFI 0xd503207fu
#define INSN_HLT_SEMIHOST 0xd45e0000u /* HLT #0xF000 */

#define EXCP_UDEF 1
#define EXCP_SWI 2
#define EXCP_PREFETCH_ABORT 3
#define EXCP_DATA_ABORT 4
#define EXCP_BKPT 7
#define EXCP_HVC 11
#define EXCP_SMC 13

#define HCR_RW (1ull << 31)
#define HCR_IMO (1ull << 4)
#define HCR_FMO (1ull << 3)
#define HCR_VI (1ull << 7)
#define HCR_VF (1ull << 6)

#define ESR_IL (1ull << 25)
#define ESR_EC(ec) ((uint64_t)(ec) << 26)

#define ARM64_DC_LINES 4096

struct arm64_state {
	uc_hook intr_hook, mrs_hook, msr_hook, sys_hook;
	uint64_t last_vector;  /* the vector entry take_exception() last entered */
	unsigned fpen;         /* CPACR_EL1.FPEN as the guest last wrote it (Unicorn ignores it) */
	uc_context *syn_ctx;   /* stage2_syndrome()'s copy of the CPU state, kept for reuse */
	bool s2_enabled;       /* HCR_EL2.VM is set */
	bool probing;          /* cpu_arm64_probe() is running: record aborts */
	int probe_fault;       /* 0 none, 1 stage-2, 2 other */
	/* arm64_access_pc(): the block and instruction the last device access matched */
	uint64_t acc_blk_now, acc_blk_pc, acc_pc, acc_ea, acc_addr, acc_span;
	struct va_windows win; /* cpu_va_windows() */
	/* lines cleaned to the PoU or PoC since the last IC IALLUIS (report_ic()) */
	uint64_t dc_lines[ARM64_DC_LINES];
	unsigned ndc;
	bool dc_overflow;
};

#define HPFAR_SENTINEL (1ull << 63) /* never produced: FIPA is bits [50:4] */
#define HCR_VM (1ull << 0)

static const uc_arm64_cp_reg reg_scr_el3 = { .crn = 1, .crm = 1, .op0 = 3, .op1 = 6, .op2 = 0 };
static const uc_arm64_cp_reg reg_hcr_el2 = { .crn = 1, .crm = 1, .op0 = 3, .op1 = 4, .op2 = 0 };
static const uc_arm64_cp_reg reg_spsr_el1 = { .crn = 4, .crm = 0, .op0 = 3, .op1 = 0, .op2 = 0 };
static const uc_arm64_cp_reg reg_sctlr_el1 = { .crn = 1, .crm = 0, .op0 = 3, .op1 = 0, .op2 = 0 };
#define SCTLR_M (1ull << 0)
#define SCTLR_C (1ull << 2)
static const uc_arm64_cp_reg reg_hpfar_el2 = { .crn = 6, .crm = 0, .op0 = 3, .op1 = 4, .op2 = 4 };
static const uc_arm64_cp_reg reg_vttbr_el2 = { .crn = 2, .crm = 1, .op0 = 3, .op1 = 4, .op2 = 0 };
static const uc_arm64_cp_reg reg_vtcr_el2 = { .crn = 2, .crm = 1, .op0 = 3, .op1 = 4, .op2 = 2 };
static const uc_arm64_cp_reg reg_tpidr_el2 = { .crn = 13, .crm = 0, .op0 = 3, .op1 = 4, .op2 = 2 };

static int cp_write(struct cpu *c, uc_arm64_cp_reg r, uint64_t val)
{
	r.val = val;
	return uc_reg_write(cpu_uc(c), UC_ARM64_REG_CP_REG, &r) == UC_ERR_OK ? 0 : -1;
}

static uint64_t cp_read(struct cpu *c, uc_arm64_cp_reg r)
{
	r.val = 0;
	uc_reg_read(cpu_uc(c), UC_ARM64_REG_CP_REG, &r);
	return r.val;
}

static void read_args(struct cpu *c, uint64_t a[8])
{
	static const int regs[8] = { UC_ARM64_REG_X0, UC_ARM64_REG_X1, UC_ARM64_REG_X2, UC_ARM64_REG_X3,
				     UC_ARM64_REG_X4, UC_ARM64_REG_X5, UC_ARM64_REG_X6, UC_ARM64_REG_X7 };
	void *ptrs[8];
	int i;

	for (i = 0; i < 8; i++)
		ptrs[i] = &a[i];
	uc_reg_read_batch(cpu_uc(c), (int *)regs, ptrs, 8);
}

/* x0-x3 = @r, writing only those that differ from @a (what the registers hold). */
static void write_results(struct cpu *c, const uint64_t a[4], const uint64_t r[4])
{
	static const int all[4] = { UC_ARM64_REG_X0, UC_ARM64_REG_X1, UC_ARM64_REG_X2, UC_ARM64_REG_X3 };
	int regs[4], n = 0, i;
	void *ptrs[4];

	for (i = 0; i < 4; i++)
		if (r[i] != a[i]) {
			regs[n] = all[i];
			ptrs[n++] = (void *)&r[i];
		}
	if (n)
		uc_reg_write_batch(cpu_uc(c), regs, ptrs, n);
}

/* HVC/SMC: PC is already past the instruction; serve and continue. */
static void do_hcall(struct cpu *c, enum cpu_hcall_conduit conduit, uint64_t pc_after)
{
	struct cpu_exit e; /* every field of the hcall kind is set: no zeroing on the hot path */
	uint32_t insn = 0;

	e.kind = CPU_EXIT_HCALL;
	e.pc = pc_after - 4;
	e.time = cpu_insn_time(c, e.pc);
	e.hcall.conduit = conduit;
	e.hcall.imm = 0;
	if (c->want_imm && cpu_fetch32(c, e.pc, &insn)) /* a code read: only when something shows it */
		e.hcall.imm = (insn >> 5) & 0xffff;
	read_args(c, e.hcall.a);
	e.hcall.ret[0] = e.hcall.a[0];
	e.hcall.ret[1] = e.hcall.a[1];
	e.hcall.ret[2] = e.hcall.a[2];
	e.hcall.ret[3] = e.hcall.a[3];
	cpu_report(c, &e);
	write_results(c, e.hcall.a, e.hcall.ret);
}

/* HLT #0xF000 (UDEF with PC at it): a semihosting call.  Return: false for any other instruction. */
static bool do_semihost(struct cpu *c, uint64_t pc)
{
	struct cpu_exit e;
	uint32_t insn = 0;
	enum cpu_action a;

	if (!cpu_fetch32(c, pc, &insn) || insn != INSN_HLT_SEMIHOST)
		return false;
	e = (struct cpu_exit){ .kind = CPU_EXIT_SEMIHOST, .pc = pc };
	e.time = cpu_insn_time(c, pc);
	e.semihost.op = cpu_reg_get(c, UC_ARM64_REG_X0) & 0xffffffffu;
	e.semihost.param = cpu_reg_get(c, UC_ARM64_REG_X1);
	a = c->on_exit(c->ctx, c, &e);
	cpu_reg_put(c, UC_ARM64_REG_X0, e.semihost.ret);
	if (a == CPU_STOP) {
		c->now = e.time + 1;
		cpu_request_stop_at(c, CPU_RUN_STOPPED, pc + 4);
	}
	else
		cpu_reg_put(c, UC_ARM64_REG_PC, pc + 4);
	return true;
}

/* An exception nothing at EL1 can take: the vCPU stops with a reported fault. */
static void do_fault(struct cpu *c, uint32_t intno, uint64_t pc, uint32_t syndrome, uint64_t far)
{
	static const enum cpu_fault_kind kinds[16] = {
		[EXCP_UDEF] = CPU_FAULT_UNDEF, [EXCP_SWI] = CPU_FAULT_SYSCALL, [EXCP_BKPT] = CPU_FAULT_BREAKPOINT,
		[EXCP_DATA_ABORT] = CPU_FAULT_DATA_ABORT, [EXCP_PREFETCH_ABORT] = CPU_FAULT_FETCH_ABORT,
	};
	struct cpu_exit e = { 0 };
	uint64_t at = intno == EXCP_SWI ? pc - 4 : pc; /* SVC retired: PC is the preferred return */
	uint32_t insn = 0;

	e.fault.kind = intno < 16 && (intno == EXCP_UDEF || kinds[intno]) ? kinds[intno] : CPU_FAULT_OTHER;
	e.pc = at;
	e.time = cpu_insn_time(c, at);
	cpu_fetch32(c, at, &insn);
	e.fault.insn = insn;
	e.fault.addr = intno == EXCP_DATA_ABORT || intno == EXCP_PREFETCH_ABORT ? far : at;
	e.fault.syndrome = syndrome;
	cpu_report_fault(c, &e);
}

#define SVC_PROBE_IMM 0x5a5au
#define SVC_PROBE_SYNDROME (ESR_EC(0x15) | ESR_IL | SVC_PROBE_IMM)

struct exc_probe {
	long offset;
};

static void exc_probe_hook(uc_engine *uc, uint32_t intno, void *user)
{
	struct exc_probe *p = user;
	uc_context *ctx;
	size_t size = uc_context_size(uc), o;

	(void)intno;
	uc_emu_stop(uc);
	if (uc_context_alloc(uc, &ctx) != UC_ERR_OK)
		return;
	uc_context_save(uc, ctx);
	for (o = 0; o + 20 <= size; o += 8) {
		const uint8_t *b = (const uint8_t *)ctx + o;
		uint32_t syn, el;

		memcpy(&syn, b, 4);
		memcpy(&el, b + 16, 4);
		if (syn == SVC_PROBE_SYNDROME && el == 1) {
			p->offset = (long)o;
			break;
		}
	}
	uc_context_free(ctx);
}

/*
 * The exception record's offset in this Unicorn build's arm64 context blob:
 * a scratch engine executes SVC #0x5a5a and the record is where its
 * syndrome (EC 0x15, IL, imm16) sits with target EL 1.  -1 if not found.
 */
static long exc_record_offset(void)
{
	static long offset = -2;
	static const uint32_t code = 0xd4000001u | (SVC_PROBE_IMM << 5);
	struct exc_probe p = { .offset = -1 };
	uc_engine *uc;
	uc_hook h;

	if (offset != -2)
		return offset;
	offset = -1;
	if (uc_open(UC_ARCH_ARM64, UC_MODE_ARM, &uc) != UC_ERR_OK)
		return offset;
	if (uc_mem_map(uc, 0x10000, 0x1000, UC_PROT_ALL) == UC_ERR_OK &&
	    uc_mem_write(uc, 0x10000, &code, 4) == UC_ERR_OK &&
	    uc_hook_add(uc, &h, UC_HOOK_INTR, (void *)exc_probe_hook, &p, 1, 0) == UC_ERR_OK) {
		uc_emu_start(uc, 0x10000, 0x10004, 0, 1);
		offset = p.offset;
	}
	uc_close(uc);
	return offset;
}

/* ESR_EL2 and FAR_EL2 of the abort being reported, from the exception record. */
static void stage2_syndrome(struct cpu *c, struct cpu_exit *e)
{
	struct arm64_state *st = cpu_arch_state(c);
	long off = exc_record_offset();
	uint32_t syn = 0;
	uint64_t far = 0;

	if (off < 0 || uc_context_save(cpu_uc(c), st->syn_ctx) != UC_ERR_OK)
		return;
	memcpy(&syn, (const uint8_t *)st->syn_ctx + off, 4);
	memcpy(&far, (const uint8_t *)st->syn_ctx + off + 8, 8);
	e->stage2.esr = syn;
	e->stage2.far = far;
}

/* A stage-2 abort: the model maps (retry) or refuses; PC is at the access. */
static bool do_stage2(struct cpu *c, struct arm64_state *st, uint32_t intno, uint64_t pc)
{
	struct cpu_exit e;
	uint64_t hpfar;

	if (!st->s2_enabled || (intno != EXCP_DATA_ABORT && intno != EXCP_PREFETCH_ABORT))
		return false;
	e = (struct cpu_exit){ .kind = CPU_EXIT_STAGE2, .pc = pc }; /* zeroed only here: hook_intr() inlines this */
	hpfar = cp_read(c, reg_hpfar_el2);
	if (hpfar == HPFAR_SENTINEL)
		return false; /* a stage-1 abort */
	cp_write(c, reg_hpfar_el2, HPFAR_SENTINEL);
	if (st->probing) {
		st->probe_fault = 1;
		cpu_request_stop(c, CPU_RUN_STOPPED);
		return true;
	}
	e.time = cpu_insn_time(c, pc);
	c->now = e.time; /* the access did not retire (yet) */
	e.stage2.ipa = (hpfar << 8) & ~0xfffull;
	e.stage2.fetch = intno == EXCP_PREFETCH_ABORT;
	stage2_syndrome(c, &e);
	if (c->on_exit(c->ctx, c, &e) == CPU_STOP)
		cpu_request_stop(c, CPU_RUN_STOPPED); /* at the access, which did not retire */
	return true;
}

/* ---- synchronous exceptions into the guest's EL1 vectors ------------------------------------------ */

/* The exception record of the exception being raised: its syndrome, fault address and target EL. */
struct exc_record {
	uint32_t syndrome;
	uint64_t vaddress;
	uint32_t target_el;
};

static bool read_exc_record(struct cpu *c, struct exc_record *r)
{
	struct arm64_state *st = cpu_arch_state(c);
	long off = exc_record_offset();
	const uint8_t *b = (const uint8_t *)st->syn_ctx;

	if (off < 0 || uc_context_save(cpu_uc(c), st->syn_ctx) != UC_ERR_OK)
		return false;
	memcpy(&r->syndrome, b + off, 4);
	memcpy(&r->vaddress, b + off + 8, 8);
	memcpy(&r->target_el, b + off + 16, 4);
	return true;
}

#define HFLAGS_OFFSET 352 /* QEMU's env->hflags (the cached translation mode) in the context blob */

struct hflags_probe {
	uint32_t el1, el0;
	int seen;
};

static const uc_arm64_cp_reg reg_elr_el1 = { .crn = 4, .crm = 0, .op0 = 3, .op1 = 0, .op2 = 1 };

static void hflags_probe_hook(uc_engine *uc, uint32_t intno, void *user)
{
	struct hflags_probe *p = user;
	uc_context *ctx;
	uint32_t h = 0;

	if (uc_context_alloc(uc, &ctx) != UC_ERR_OK || uc_context_size(uc) < HFLAGS_OFFSET + 4) {
		uc_emu_stop(uc);
		return;
	}
	uc_context_save(uc, ctx);
	memcpy(&h, (const uint8_t *)ctx + HFLAGS_OFFSET, 4);
	uc_context_free(ctx);
	if (intno == EXCP_HVC && p->seen == 0) { /* at EL1h: now ERET to EL0t at 0x1000c */
		uc_arm64_cp_reg elr = reg_elr_el1, spsr = reg_spsr_el1;

		p->el1 = h;
		elr.val = 0x1000c;
		spsr.val = 0;
		uc_reg_write(uc, UC_ARM64_REG_CP_REG, &elr);
		uc_reg_write(uc, UC_ARM64_REG_CP_REG, &spsr);
		p->seen = 1;
		return;
	}
	if (intno == EXCP_SWI && p->seen == 1) {
		p->el0 = h;
		p->seen = 2;
	}
	uc_emu_stop(uc);
}

/*
 * Unicorn 2.0.1 caches the translation mode (QEMU's hflags, EL included) and
 * does not rebuild it when PSTATE is written: entering EL1 from EL0 inside a
 * hook needs EL1's hflags put into the saved context.  EL0 and EL1 of the
 * same EL1&0 regime differ in a fixed set of bits (the MMU index, the
 * unprivileged-access flag); a scratch engine finds them once per process:
 * ERET into non-secure EL1h, HVC (hflags at EL1), ERET to EL0t, SVC (at EL0).
 * Return: the bits, or 0 when they cannot be found.
 */
static uint32_t hflags_el0_to_el1(void)
{
	static uint32_t delta = UINT32_MAX;
	static const uint32_t code[4] = { INSN_ERET, 0xd4000002u /* hvc #0 */, INSN_ERET, 0xd4000001u /* svc #0 */ };
	struct hflags_probe p = { 0 };
	uc_arm64_cp_reg r;
	uc_engine *uc;
	uc_hook h;
	uint64_t v;

	if (delta != UINT32_MAX)
		return delta;
	delta = 0;
	if (uc_open(UC_ARCH_ARM64, UC_MODE_ARM, &uc) != UC_ERR_OK)
		return delta;
	v = 3ull << 20;
	uc_reg_write(uc, UC_ARM64_REG_CPACR_EL1, &v);
	r = reg_scr_el3, r.val = 0x501;
	uc_reg_write(uc, UC_ARM64_REG_CP_REG, &r);
	r = reg_hcr_el2, r.val = HCR_RW | HCR_IMO | HCR_FMO;
	uc_reg_write(uc, UC_ARM64_REG_CP_REG, &r);
	r = reg_spsr_el1, r.val = 0x3c5;
	uc_reg_write(uc, UC_ARM64_REG_CP_REG, &r);
	r = reg_elr_el1, r.val = 0x10004;
	uc_reg_write(uc, UC_ARM64_REG_CP_REG, &r);
	if (uc_mem_map(uc, 0x10000, 0x1000, UC_PROT_ALL) == UC_ERR_OK &&
	    uc_mem_write(uc, 0x10000, code, sizeof(code)) == UC_ERR_OK &&
	    uc_hook_add(uc, &h, UC_HOOK_INTR, (void *)hflags_probe_hook, &p, 1, 0) == UC_ERR_OK) {
		uc_emu_start(uc, 0x10000, 0x10010, 0, 8);
		if (p.seen == 2)
			delta = p.el1 ^ p.el0;
	}
	uc_close(uc);
	return delta;
}

/* From EL0, after the register writes: make the translator run at EL1 (hflags_el0_to_el1()). */
static bool enter_el1_mode(struct cpu *c)
{
	struct arm64_state *st = cpu_arch_state(c);
	uint32_t delta = hflags_el0_to_el1(), h;
	uint8_t *b = (uint8_t *)st->syn_ctx;

	if (!delta || uc_context_save(cpu_uc(c), st->syn_ctx) != UC_ERR_OK)
		return false;
	memcpy(&h, b + HFLAGS_OFFSET, 4);
	h ^= delta;
	memcpy(b + HFLAGS_OFFSET, &h, 4);
	return uc_context_restore(cpu_uc(c), st->syn_ctx) == UC_ERR_OK;
}

#define PSTATE_EL(p) (((p) >> 2) & 3)
#define PSTATE_SP 1ull
#define PSTATE_NZCV 0xf0000000ull
#define PSTATE_EL1H_DAIF 0x3c5ull

/* The vector offset an exception from the current state takes (Arm ARM D1.10.2). */
static uint64_t vector_offset(uint64_t pstate)
{
	if (PSTATE_EL(pstate) == 0)
		return 0x400; /* lower EL, AArch64 */
	return pstate & PSTATE_SP ? 0x200 : 0x000;
}

/*
 * AArch64.TakeException() to EL1 for a synchronous exception: ESR_EL1,
 * FAR_EL1 (when @far_valid), ELR_EL1 = @elr, SPSR_EL1 = PSTATE; then EL1h,
 * DAIF masked, NZCV kept, SP_EL1 in use, PC = VBAR_EL1 + offset.  Inside the
 * INTR hook: the PC write makes Unicorn continue there.
 */
static void take_exception(struct cpu *c, uint32_t esr, uint64_t far, bool far_valid, uint64_t elr)
{
	struct arm64_state *st = cpu_arch_state(c);
	uint64_t pstate = cpu_reg_get(c, UC_ARM64_REG_PSTATE);
	uint64_t vector = cpu_reg_get(c, UC_ARM64_REG_VBAR_EL1) + vector_offset(pstate);

	cpu_reg_put(c, UC_ARM64_REG_ESR_EL1, esr);
	if (far_valid)
		cpu_reg_put(c, UC_ARM64_REG_FAR_EL1, far);
	cpu_reg_put(c, UC_ARM64_REG_ELR_EL1, elr);
	cp_write(c, reg_spsr_el1, pstate);
	if (PSTATE_EL(pstate) == 0 || !(pstate & PSTATE_SP)) { /* SP_EL0 was in use: switch to SP_EL1 */
		cpu_reg_put(c, UC_ARM64_REG_SP_EL0, cpu_reg_get(c, UC_ARM64_REG_SP));
		cpu_reg_put(c, UC_ARM64_REG_SP, cpu_reg_get(c, UC_ARM64_REG_SP_EL1));
	}
	cpu_reg_put(c, UC_ARM64_REG_PSTATE, (pstate & PSTATE_NZCV) | PSTATE_EL1H_DAIF);
	cpu_reg_put(c, UC_ARM64_REG_PC, vector);
	if (PSTATE_EL(pstate) == 0)
		enter_el1_mode(c);
	st->last_vector = vector;
}

/* Exception classes whose FAR_EL1 is the faulting address (Arm ARM D17.2.40, FAR_EL1). */
static bool ec_sets_far(uint32_t esr)
{
	unsigned ec = esr >> 26;

	return ec == 0x20 || ec == 0x21 || ec == 0x22 || ec == 0x24 || ec == 0x25 || ec == 0x34 || ec == 0x35;
}

/*
 * Can the guest take it?  Its vector must be fetchable: with the MMU off,
 * RAM at VBAR_EL1 + offset; and the exception must not come from that very
 * vector entry again (an exception loop a real CPU would spin in).
 */
static bool vector_usable(struct cpu *c, uint64_t pc)
{
	struct arm64_state *st = cpu_arch_state(c);
	uint64_t pstate = cpu_reg_get(c, UC_ARM64_REG_PSTATE);
	uint64_t vector = cpu_reg_get(c, UC_ARM64_REG_VBAR_EL1) + vector_offset(pstate);

	if (pc == vector && st->last_vector == vector)
		return false;
	if (cp_read(c, reg_sctlr_el1) & SCTLR_M)
		return true;
	return cpu_host_ptr(c, vector, 4) != NULL;
}

/*
 * A synchronous exception QEMU raised for EL1 (UDEF, SVC, BRK, aborts from
 * the guest's own stage 1, FP/SIMD traps, trapped system registers): enter
 * the guest's vector with the syndrome QEMU recorded.  The instruction at
 * @insn_pc took its cycle; the rest of its block did not run.
 */
static void deliver(struct cpu *c, uint32_t intno, uint64_t pc)
{
	struct exc_record r = { 0 };
	struct cpu_exit e = { .kind = CPU_EXIT_EXCEPTION };
	uint64_t insn_pc = intno == EXCP_SWI ? pc - 4 : pc;
	uint64_t pstate = cpu_reg_get(c, UC_ARM64_REG_PSTATE);

	if (!read_exc_record(c, &r) || r.target_el != 1 || !vector_usable(c, insn_pc)) {
		do_fault(c, intno, pc, r.syndrome, r.vaddress);
		return;
	}
	e.pc = insn_pc;
	e.time = cpu_insn_time(c, insn_pc);
	if (insn_pc >= c->blk_pc && insn_pc < c->blk_end)
		c->now = e.time + 1;
	e.exception.esr = r.syndrome;
	e.exception.has_far = ec_sets_far(r.syndrome);
	e.exception.far = e.exception.has_far ? r.vaddress : 0;
	e.exception.elr = pc;
	e.exception.from_el = (uint8_t)PSTATE_EL(pstate);
	take_exception(c, r.syndrome, r.vaddress, ec_sets_far(r.syndrome), pc);
	e.exception.vector = ((struct arm64_state *)cpu_arch_state(c))->last_vector;
	cpu_report(c, &e);
}

/* ---- the FP/SIMD access trap (CPACR_EL1.FPEN), which Unicorn does not raise ------------------------ */

#define CPACR_FPEN(v) (((v) >> 20) & 3)
#define ESR_FP_ACCESS 0x1fe00000u /* EC 0x07, IL, CV 1, COND 0b1110 (from AArch64) */

static const uc_arm64_cp_reg reg_at_s1e1r = { .crn = 7, .crm = 8, .op0 = 1, .op1 = 0, .op2 = 0 };
static const uc_arm64_cp_reg reg_par_el1 = { .crn = 7, .crm = 4, .op0 = 3, .op1 = 0, .op2 = 0 };

/* Does FPEN trap FP/SIMD at @el (Arm ARM D13.2.30, CPACR_EL1)?  0b01: EL0 only; 0b00, 0b10: EL0 and EL1. */
static bool fp_traps(unsigned fpen, unsigned el)
{
	return fpen == 1 ? el == 0 : fpen != 3;
}

/* An FP/SIMD instruction (C4.1): the SIMD&FP data-processing group, loads and stores with V set, MRS/MSR of FPCR/FPSR. */
static bool is_fp_simd(uint32_t insn)
{
	return (insn & 0x0e000000u) == 0x0e000000u || (insn & 0x0e000000u) == 0x0c000000u ||
	       (insn & 0xffdfffc0u) == 0xd51b4400u;
}

/*
 * The address translation instruction @at (AT S1E1R, S1E1W, S12E1W) for
 * virtual @va, as the guest's MMU would do it; the guest's own PAR_EL1 is
 * kept.  Return: true with the output address in *@pa, false on a fault.
 */
static bool at_translate(struct cpu *c, uc_arm64_cp_reg at, uint64_t va, uint64_t *pa)
{
	uint64_t par, guest_par = cp_read(c, reg_par_el1);

	cp_write(c, at, va);
	par = cp_read(c, reg_par_el1);
	cp_write(c, reg_par_el1, guest_par);
	*pa = (par & 0xfffffffff000ull) | (va & 0xfff);
	return !(par & 1);
}

/* Host bytes of the code at @va (within one page), through the guest's stage 1 when it is on (AT S1E1R). */
/* Virtual @va as this vCPU's stage 1 translates a data read (MMU off: itself). */
static bool stage1_pa(struct cpu *c, uint64_t va, uint64_t *pa)
{
	if (cp_read(c, reg_sctlr_el1) & SCTLR_M)
		return at_translate(c, reg_at_s1e1r, va, pa);
	*pa = va;
	return true;
}

static const uint8_t *code_bytes(struct cpu *c, uint64_t va, uint32_t size)
{
	uint64_t pa;

	return stage1_pa(c, va, &pa) ? cpu_host_ptr(c, pa, size) : NULL;
}

/* code_ptr: host bytes of virtual @va as the vCPU sees it (GDB memory access, the FP trap's scan). */
/*
 * drop_lines: uc_ctl_remove_cache() translates its address as an instruction
 * fetch through the vCPU's MMU, so the vCPU's stage 1 (SCTLR_EL1.M) and
 * stage 2 (HCR_EL2.VM) are off for the calls: every address is then its
 * physical one and fetchable (outside RAM, Unicorn skips it), and nothing
 * can fault.  Both registers are restored (each write also drops the TLB).
 */
static void arm64_drop_lines(struct cpu *c, const uint64_t *pa, unsigned n)
{
	uint64_t sctlr = cp_read(c, reg_sctlr_el1), hcr = cp_read(c, reg_hcr_el2);
	unsigned i;

	if (sctlr & SCTLR_M)
		cp_write(c, reg_sctlr_el1, sctlr & ~SCTLR_M);
	if (hcr & HCR_VM)
		cp_write(c, reg_hcr_el2, hcr & ~HCR_VM);
	for (i = 0; i < n; i++)
		uc_ctl_remove_cache(cpu_uc(c), pa[i], pa[i] + 64);
	if (hcr & HCR_VM)
		cp_write(c, reg_hcr_el2, hcr);
	if (sctlr & SCTLR_M)
		cp_write(c, reg_sctlr_el1, sctlr);
}

static const uint8_t *arm64_code_ptr(struct cpu *c, uint64_t va, uint64_t len)
{
	return (va & 0xfff) + len > 0x1000 ? NULL : code_bytes(c, va, (uint32_t)len);
}

/*
 * Before each block while FPEN traps somewhere: the first FP/SIMD
 * instruction of the block, at the current EL, takes the access trap.  At
 * the block's start it is taken now (the block does not run); further in,
 * the run ends just before it (the block is split), and the next run's
 * first block starts there.  The per-instruction clock (@size 4, @first:
 * the instruction starts a translated block) ends its run at the same
 * instruction, so a vCPU's turn ends there under both clocks.
 */
static bool arm64_block_start(struct cpu *c, uint64_t addr, uint32_t size, bool first)
{
	struct arm64_state *st = cpu_arch_state(c);
	uint64_t pstate = cpu_reg_get(c, UC_ARM64_REG_PSTATE);
	struct cpu_exit e;
	const uint8_t *p;
	uint32_t k, insn;

	if (!fp_traps(st->fpen, (unsigned)PSTATE_EL(pstate)) || !(p = code_bytes(c, addr, size)))
		return false;
	for (k = 0; k < size / 4; k++) {
		memcpy(&insn, p + 4 * k, 4);
		if (is_fp_simd(insn))
			break;
	}
	if (k == size / 4)
		return false;
	if (k > 0) { /* end the run just before it: the block is split there */
		cpu_lower_limit(c, c->now > UINT64_MAX - k ? UINT64_MAX : c->now + k);
		return false;
	}
	if (!first) { /* the per-instruction clock inside a block: the run ends here, as the split's would */
		cpu_lower_limit(c, c->now);
		c->block_stopped = true;
		cpu_request_stop(c, CPU_RUN_LIMIT);
		return true;
	}
	e = (struct cpu_exit){ .kind = CPU_EXIT_EXCEPTION, .pc = addr, .time = c->now };
	c->now += 1; /* it took its cycle, as every exception here does */
	e.exception.esr = ESR_FP_ACCESS;
	e.exception.elr = addr;
	e.exception.from_el = (uint8_t)PSTATE_EL(pstate);
	take_exception(c, ESR_FP_ACCESS, 0, false, addr);
	e.exception.vector = st->last_vector;
	cpu_report(c, &e);
	return true;
}

/* MSR CPACR_EL1: note FPEN (the write goes on to the CPU, which keeps but ignores it). */
static void cpacr_written(struct cpu *c, uint64_t value)
{
	struct arm64_state *st = cpu_arch_state(c);

	st->fpen = CPACR_FPEN(value);
	cpu_watch_blocks(c, st->fpen != 3);
}

/*
 * Unicorn 2.0.1 stops at an exit address (a split, cpu.c) by translating it
 * as a WFI.  At EL0 with SCTLR_EL1.nTWI clear (Linux's setting) that WFI
 * traps as a guest's own would: EXCP_UDEF, a WFx syndrome, and PC moved
 * back by 4 onto the instruction before the exit, which has retired.  That
 * is the split's end, not the guest's exception: the run ends with PC at
 * the exit, as the split's own end would.  Return: true if so.
 */
static bool exit_wfi_trapped(struct cpu *c, uint64_t pc)
{
	uint64_t exit = cpu_split_exit(c);
	struct exc_record r = { 0 };
	uint32_t insn = 0;

	if (!exit || pc + 4 != exit || !read_exc_record(c, &r) || r.syndrome >> 26 != 0x01)
		return false;
	if (cpu_fetch32(c, pc, &insn) && (insn | 0x20u) == INSN_WFI)
		return false; /* the guest's own WFI or WFE, just before the exit */
	cpu_request_stop_at(c, CPU_RUN_LIMIT, exit);
	return true;
}

static void hook_intr(uc_engine *uc, uint32_t intno, void *user)
{
	struct cpu *c = user;
	struct arm64_state *st = cpu_arch_state(c);
	uint64_t pc = 0;

	uc_reg_read(uc, UC_ARM64_REG_PC, &pc);
	if (intno == EXCP_UDEF && exit_wfi_trapped(c, pc))
		return;
	if (do_stage2(c, st, intno, pc))
		return;
	if (st->probing) {
		st->probe_fault = 2;
		cpu_request_stop(c, CPU_RUN_STOPPED);
		return;
	}
	switch (intno) {
	case EXCP_HVC:
		do_hcall(c, CPU_CONDUIT_HVC, pc);
		break;
	case EXCP_SMC:
		do_hcall(c, CPU_CONDUIT_SMC, pc);
		break;
	case EXCP_UDEF:
		if (!do_semihost(c, pc))
			deliver(c, intno, pc);
		break;
	case EXCP_SWI:
	case EXCP_PREFETCH_ABORT:
	case EXCP_DATA_ABORT:
	case EXCP_BKPT:
		deliver(c, intno, pc);
		break;
	default: {
		struct exc_record r = { 0 };

		read_exc_record(c, &r);
		do_fault(c, intno, pc, r.syndrome, r.vaddress);
		break;
	}
	}
}

/* ---- system registers -------------------------------------------------------------------------- */

/* The registers the owner may model: the generic timer (CRn 14), the GIC CPU interface, ID_AA64PFR0_EL1. */
static bool owner_sysreg(const uc_arm64_cp_reg *cp, bool write)
{
	if (cp->op0 != 3)
		return false;
	if (cp->crn == 14)
		return true;
	if (cp->op1 != 0)
		return false;
	if ((cp->crn == 12 && cp->crm >= 8 && cp->crm <= 12) || (cp->crn == 4 && cp->crm == 6 && cp->op2 == 0))
		return true;
	return !write && cp->crn == 0 && cp->crm == 4 && cp->op2 == 0; /* ID_AA64PFR0_EL1 */
}

/*
 * Skip a performed MRS/MSR.  For a register QEMU defines (the timer's, the
 * IDs, MPIDR_EL1) returning 1 is enough: the instruction is skipped inside
 * its translated block.  For one it does not (the GIC's ICC_* registers),
 * QEMU ended the block at the instruction, as for any UNDEFINED one, and
 * resumes at PC: it must be written, pc + 4, and the next block starts
 * there (an interrupt the access raised is taken before it).
 */
static bool skip_needs_pc(const uc_arm64_cp_reg *cp)
{
	return cp->op1 == 0 && (cp->crn == 12 || cp->crn == 4);
}

static void skip_insn(struct cpu *c, const uc_arm64_cp_reg *cp, uint64_t pc)
{
	uint64_t next = pc + 4;

	if (skip_needs_pc(cp))
		uc_reg_write(cpu_uc(c), UC_ARM64_REG_PC, &next);
}

/*
 * MRS/MSR (Unicorn calls this before its own permission checks, at any EL):
 * MPIDR_EL1 is answered here (Aff0 = the vCPU's index), the owner's
 * registers go out as CPU_EXIT_SYSREG.  A performed access skips the
 * instruction (skip_insn()); anything else runs natively, so a
 * refused access is UNDEFINED or trapped as QEMU decides and arrives at
 * hook_intr() with its syndrome.
 */
static uint32_t sysreg_access(uc_engine *uc, uc_arm64_reg reg, const uc_arm64_cp_reg *cp, void *user, bool write)
{
	struct cpu *c = user;
	struct cpu_exit e;
	enum cpu_action a;

	if (!write && cp->op0 == 3 && cp->op1 == 0 && cp->crn == 0 && cp->crm == 0 && cp->op2 == 5) {
		uint64_t mpidr = 0x80000000ull | (uint64_t)c->index; /* RES1, Aff0 */

		if (reg != UC_ARM64_REG_XZR)
			uc_reg_write(uc, reg, &mpidr);
		return 1;
	}
	if (write && cp->op0 == 3 && cp->op1 == 0 && cp->crn == 1 && cp->crm == 0 && cp->op2 == 2)
		cpacr_written(c, cp->val);
	if (!owner_sysreg(cp, write))
		return 0;
	e = (struct cpu_exit){ .kind = CPU_EXIT_SYSREG }; /* zeroed only for the owner's registers */
	uc_reg_read(uc, UC_ARM64_REG_PC, &e.pc);
	e.time = cpu_insn_time(c, e.pc);
	e.sysreg.op0 = (uint8_t)cp->op0, e.sysreg.op1 = (uint8_t)cp->op1, e.sysreg.crn = (uint8_t)cp->crn;
	e.sysreg.crm = (uint8_t)cp->crm, e.sysreg.op2 = (uint8_t)cp->op2;
	e.sysreg.el = (uint8_t)PSTATE_EL(cpu_reg_get(c, UC_ARM64_REG_PSTATE));
	e.sysreg.write = write;
	if (write)
		e.sysreg.value = cp->val;
	else if (cp->crn == 0) {
		uc_arm64_cp_reg id = *cp;

		id.val = 0;
		uc_reg_read(uc, UC_ARM64_REG_CP_REG, &id);
		e.sysreg.value = id.val;
	}
	a = c->on_exit(c->ctx, c, &e);
	if (e.sysreg.result != CPU_SYSREG_DONE) {
		if (a == CPU_STOP)
			cpu_request_stop(c, CPU_RUN_STOPPED); /* before the access, which runs on resume */
		return 0;
	}
	if (!write && reg != UC_ARM64_REG_XZR)
		uc_reg_write(uc, reg, &e.sysreg.value);
	if (a == CPU_STOP) { /* a hook that stops must not write PC: cpu_run() applies it */
		c->now = e.time + 1;
		cpu_request_stop_at(c, CPU_RUN_STOPPED, e.pc + 4);
	} else {
		skip_insn(c, cp, e.pc);
	}
	return 1;
}

static uint32_t hook_mrs(uc_engine *uc, uc_arm64_reg reg, const uc_arm64_cp_reg *cp, void *user)
{
	return sysreg_access(uc, reg, cp, user, false);
}

static uint32_t hook_msr(uc_engine *uc, uc_arm64_reg reg, const uc_arm64_cp_reg *cp, void *user)
{
	return sysreg_access(uc, reg, cp, user, true);
}

/* ---- DC ZVA on memory that is already zero -------------------------------------------------- */

/*
 * Unicorn 2.0.1 performs DC ZVA (zero a block, the kernel's clear_page())
 * as two probes and 64 one-byte stores, each on its slow store path (the
 * self-modifying-code check runs on every store): a third of an arm64
 * Linux boot's host time.  Most of those blocks are zero already, and then
 * the instruction changes nothing: it is skipped, which is exact.  Only at
 * EL1, with DCZID_EL0 giving 64-byte blocks, when the translation for a
 * write (AT S1E1W, or AT S12E1W under stage 2: the same permission checks
 * the store would make) reaches RAM, and when no memory hook watches
 * stores.  Anything else runs as Unicorn does it, faults included.
 */
static const uc_arm64_cp_reg reg_at_s1e1w = { .crn = 7, .crm = 8, .op0 = 1, .op1 = 0, .op2 = 1 };
static const uc_arm64_cp_reg reg_at_s12e1w = { .crn = 7, .crm = 8, .op0 = 1, .op1 = 4, .op2 = 5 };
static const uc_arm64_cp_reg reg_dczid_el0 = { .crn = 0, .crm = 0, .op0 = 3, .op1 = 3, .op2 = 7 };
#define DCZID_64_BYTES 4u /* BS = log2(words): 16 words */

static bool is_dc_zva(const uc_arm64_cp_reg *cp)
{
	return cp->op0 == 1 && cp->op1 == 3 && cp->crn == 7 && cp->crm == 4 && cp->op2 == 1;
}

/* Host bytes of the 64-byte block at virtual @va if a store there would reach RAM, else NULL. */
static const uint8_t *zva_block(struct cpu *c, uint64_t va)
{
	struct arm64_state *st = cpu_arch_state(c);
	uint64_t pa;

	if (!st->s2_enabled && !(cp_read(c, reg_sctlr_el1) & SCTLR_M))
		return cpu_host_ptr(c, va, 64);
	return at_translate(c, st->s2_enabled ? reg_at_s12e1w : reg_at_s1e1w, va, &pa) ? cpu_host_ptr(c, pa, 64) : NULL;
}

/* The physical 64-byte line of RAM holding virtual @va as this vCPU translates it (data access). */
static bool line_pa(struct cpu *c, uint64_t va, uint64_t *pa)
{
	if (!stage1_pa(c, va, pa))
		return false;
	*pa &= ~63ull;
	return cpu_host_ptr(c, *pa, 64) != NULL; /* elsewhere no code runs, and no address may fault later */
}

/*
 * DC CVAC, CVAU, CVAP, CVADP, CIVAC: a data-cache clean by VA, which code
 * written as data needs before any PE can fetch it (Arm ARM B2.4.4; Linux's
 * patching cleans with DC CIVAC or CVAU).  The lines are what an IC IALLUIS
 * then has to make visible to the other vCPUs.
 */
static void note_dc_clean(struct cpu *c, struct arm64_state *st, const uc_arm64_cp_reg *cp)
{
	uint64_t line;

	if (cp->op0 != 1 || cp->op1 != 3 || cp->crn != 7 || cp->crm < 10 || cp->crm > 14 || cp->op2 != 1 ||
	    !line_pa(c, cp->val, &line))
		return;
	if (st->ndc && st->dc_lines[st->ndc - 1] == line)
		return;
	if (st->ndc == ARM64_DC_LINES)
		st->dc_overflow = true;
	else
		st->dc_lines[st->ndc++] = line;
}

/* IC IALLUIS (all) or IC IVAU (by VA to the PoU): both reach every PE of the Inner Shareable domain. */
static bool ic_broadcast(const uc_arm64_cp_reg *cp, bool *all)
{
	*all = cp->op1 == 0 && cp->crm == 1 && cp->op2 == 0;
	return cp->op0 == 1 && cp->crn == 7 && (*all || (cp->op1 == 3 && cp->crm == 5 && cp->op2 == 1));
}

/*
 * Each vCPU is its own Unicorn instance, which retranslates code after its
 * own stores only: the invalidation goes to the owner, which drops the
 * other vCPUs' translated blocks.  The instruction itself then runs (a no-op
 * in Unicorn).
 */
static void report_ic(struct cpu *c, const uc_arm64_cp_reg *cp, bool all)
{
	struct arm64_state *st = cpu_arch_state(c);
	struct cpu_exit e = { .kind = CPU_EXIT_ICACHE };

	e.icache.all = all;
	if (all) {
		e.icache.lines = st->dc_lines;
		e.icache.nlines = st->ndc;
		e.icache.overflow = st->dc_overflow;
	} else if (!line_pa(c, cp->val, &e.icache.pa)) {
		return; /* no physical line: nothing another vCPU can have translated */
	}
	uc_reg_read(cpu_uc(c), UC_ARM64_REG_PC, &e.pc);
	e.time = cpu_insn_time(c, e.pc);
	cpu_report(c, &e);
	if (all) {
		st->ndc = 0;
		st->dc_overflow = false;
	}
}

static uint32_t hook_sys(uc_engine *uc, uc_arm64_reg reg, const uc_arm64_cp_reg *cp, void *user)
{
	static const uint8_t zero[64];
	struct cpu *c = user;
	const uint8_t *p;
	bool all;

	(void)uc;
	(void)reg;
	if (ic_broadcast(cp, &all)) {
		report_ic(c, cp, all);
		return 0;
	}
	note_dc_clean(c, cpu_arch_state(c), cp);
	if (!is_dc_zva(cp) || PSTATE_EL(cpu_reg_get(c, UC_ARM64_REG_PSTATE)) != 1 || cpu_stores_watched(c) ||
	    (cp_read(c, reg_dczid_el0) & 0x1f) != DCZID_64_BYTES)
		return 0;
	p = zva_block(c, cp->val & ~63ull);
	return p && memcmp(p, zero, sizeof(zero)) == 0; /* 1: skipped, it would change nothing */
}

static int arm64_init(struct cpu *c)
{
	struct arm64_state *st = calloc(1, sizeof(*st));
	uc_engine *uc = cpu_uc(c);

	if (!st)
		return -1;
	cpu_set_arch_state(c, st);
	hflags_el0_to_el1(); /* found now, not inside the first EL0 exception */
	if (exc_record_offset() < 0 || uc_context_alloc(uc, &st->syn_ctx) != UC_ERR_OK) {
		snprintf(c->err, sizeof(c->err), "cannot find the exception record in this Unicorn's arm64 context");
		return -1;
	}
	if (uc_hook_add(uc, &st->intr_hook, UC_HOOK_INTR, (void *)hook_intr, c, 1, 0) != UC_ERR_OK ||
	    uc_hook_add(uc, &st->mrs_hook, UC_HOOK_INSN, (void *)hook_mrs, c, 1, 0, UC_ARM64_INS_MRS) != UC_ERR_OK ||
	    uc_hook_add(uc, &st->msr_hook, UC_HOOK_INSN, (void *)hook_msr, c, 1, 0, UC_ARM64_INS_MSR) != UC_ERR_OK ||
	    uc_hook_add(uc, &st->sys_hook, UC_HOOK_INSN, (void *)hook_sys, c, 1, 0, UC_ARM64_INS_SYS) != UC_ERR_OK) {
		snprintf(c->err, sizeof(c->err), "cannot install arm64 hooks");
		return -1;
	}
	/* FP/SIMD enabled at EL1 and EL0 (CPACR_EL1.FPEN = 0b11). */
	cpu_reg_put(c, UC_ARM64_REG_CPACR_EL1, 3ull << 20);
	st->fpen = 3;
	if (cp_write(c, reg_scr_el3, 0x501) < 0 || cp_write(c, reg_hcr_el2, HCR_RW | HCR_IMO | HCR_FMO) < 0 ||
	    cp_write(c, reg_hpfar_el2, HPFAR_SENTINEL) < 0) {
		snprintf(c->err, sizeof(c->err), "cannot program SCR_EL3/HCR_EL2");
		return -1;
	}
	return 0;
}

static int arm64_boot(struct cpu *c, uint64_t entry, uint64_t arg0)
{
	static const uint32_t tramp[] = { INSN_ERET };

	cpu_reg_put(c, UC_ARM64_REG_ELR_EL1, entry);
	/* MMU and D-cache off (a vCPU restarted by PSCI CPU_ON may have had them on) */
	cp_write(c, reg_sctlr_el1, cp_read(c, reg_sctlr_el1) & ~(SCTLR_M | SCTLR_C));
	if (cp_write(c, reg_spsr_el1, 0x3c5) < 0) { /* EL1h, DAIF masked */
		snprintf(c->err, sizeof(c->err), "cannot program SPSR_EL1");
		return -1;
	}
	cpu_reg_put(c, UC_ARM64_REG_X0, arg0);
	if (cpu_run_boot_code(c, tramp, 1, 1) < 0)
		return -1;
	if (cpu_pc(c) != entry) {
		snprintf(c->err, sizeof(c->err), "arm64 boot trampoline did not reach the entry point");
		return -1;
	}
	c->now = 0;
	return 0;
}

static void arm64_destroy(struct cpu *c)
{
	struct arm64_state *st = cpu_arch_state(c);

	if (st && st->syn_ctx)
		uc_context_free(st->syn_ctx);
}

static void arm64_before_run(struct cpu *c)
{
	(void)c;
}

static int arm64_after_run(struct cpu *c)
{
	struct arm64_state *st = cpu_arch_state(c);

	return va_window_after_run(c, &st->win) ? CPU_RUN_RESTART : CPU_RUN_NONE;
}

static int arm64_va_windows(struct cpu *c)
{
	struct arm64_state *st = cpu_arch_state(c);

	return va_windows_enable(c, &st->win);
}

/* An access Unicorn refused: with the EL1&0 stage 1 on, a window (va_window.c); with it off, a fault. */
static int arm64_va_unmapped(struct cpu *c, uint64_t addr, bool fetch)
{
	struct arm64_state *st = cpu_arch_state(c);

	if (!st->win.on || !(cp_read(c, reg_sctlr_el1) & SCTLR_M))
		return CPU_UNMAPPED_FAULT;
	return va_window_unmapped(c, &st->win, addr, fetch);
}

int cpu_arm64_stage2(struct cpu *c, uint64_t vttbr, uint64_t vtcr, bool enable)
{
	struct arm64_state *st = cpu_arch_state(c);
	uint64_t hcr = cp_read(c, reg_hcr_el2);

	if (c->arch != CPU_ARM64 || cp_write(c, reg_vttbr_el2, vttbr) < 0 || cp_write(c, reg_vtcr_el2, vtcr) < 0 ||
	    cp_write(c, reg_hcr_el2, enable ? hcr | HCR_VM : hcr & ~HCR_VM) < 0)
		return -1;
	st->s2_enabled = enable;
	/* Whether stage-2 applies is decided at each TLB fill (the boot ERET
	 * already left the Secure regime the CPU resets in): dropping what the
	 * TLB holds is enough, running or not. */
	cpu_tlb_flush(c);
	return 0;
}

enum cpu_probe_result cpu_arm64_probe(struct cpu *c, uint64_t ipa, bool write)
{
	struct arm64_state *st = cpu_arch_state(c);
	uint32_t insn = write ? 0xf9000020u : 0xf9400020u; /* str/ldr x0, [x1] */
	uint64_t pc = cpu_pc(c), now = c->now, value = 0, blk[3] = { c->blk_now, c->blk_pc, c->blk_end };
	uint32_t orig;
	uc_context *ctx;
	enum cpu_run_result r;
	enum cpu_probe_result out;
	bool ran = cpu_code_ran(c);

	if (c->running || uc_context_alloc(cpu_uc(c), &ctx) != UC_ERR_OK)
		return CPU_PROBE_FAILED;
	if (uc_mem_read(cpu_uc(c), pc, &orig, 4) != UC_ERR_OK) {
		uc_context_free(ctx);
		return CPU_PROBE_FAILED;
	}
	uc_context_save(cpu_uc(c), ctx);
	uc_mem_read(cpu_uc(c), ipa & ~7ull, &value, 8); /* identity map: store back what is there */
	uc_mem_write(cpu_uc(c), pc, &insn, 4);
	uc_ctl_remove_cache(cpu_uc(c), pc, pc + 4);     /* the write alone leaves the old block cached */
	cpu_reg_put(c, UC_ARM64_REG_X0, value);
	cpu_reg_put(c, UC_ARM64_REG_X1, ipa & ~7ull);
	st->probing = true;
	st->probe_fault = 0;
	r = cpu_run(c, now + 1);
	st->probing = false;
	out = st->probe_fault == 1 ? CPU_PROBE_STAGE2_FAULT : st->probe_fault == 2 ? CPU_PROBE_OTHER_FAULT
				: r == CPU_RUN_LIMIT ? CPU_PROBE_OK : CPU_PROBE_FAILED;
	uc_mem_write(cpu_uc(c), pc, &orig, 4);
	uc_ctl_remove_cache(cpu_uc(c), pc, pc + 4);
	cpu_set_code_ran(c, ran); /* its one block is gone again */
	uc_context_restore(cpu_uc(c), ctx);
	uc_context_free(ctx);
	c->now = now;
	c->blk_now = blk[0], c->blk_pc = blk[1], c->blk_end = blk[2];
	return out;
}

/* TLBI VMALLS12E1IS: op0=1 op1=4 CRn=8 CRm=3 op2=6 (Arm ARM C5.5). */
static const uc_arm64_cp_reg reg_tlbi_vmalls12e1is = { .crn = 8, .crm = 3, .op0 = 1, .op1 = 4, .op2 = 6 };

static void arm64_tlb_flush(struct cpu *c)
{
	cp_write(c, reg_tlbi_vmalls12e1is, 0);
}

int cpu_arm64_inject_sync(struct cpu *c, uint64_t esr, uint64_t far)
{
	take_exception(c, (uint32_t)esr, far, true, cpu_pc(c));
	return 0;
}

/* ---- the instruction behind a device access ------------------------------------------------- */

/* Xn (31: SP as a base, XZR as an index). */
static uint64_t xreg(struct cpu *c, unsigned n, bool sp)
{
	if (n == 31)
		return sp ? cpu_reg_get(c, UC_ARM64_REG_SP) : 0;
	return cpu_reg_get(c, n == 29 ? UC_ARM64_REG_X29 : n == 30 ? UC_ARM64_REG_X30 : UC_ARM64_REG_X0 + (int)n);
}

static int64_t sext(uint64_t v, unsigned bits)
{
	return (int64_t)(v << (64 - bits)) >> (64 - bits);
}

/* Rm extended by option (UXTW, LSL/UXTX, SXTW, SXTX), shifted. */
static uint64_t extended(struct cpu *c, uint32_t insn, unsigned shift)
{
	unsigned opt = (insn >> 13) & 7;
	uint64_t m = xreg(c, (insn >> 16) & 31, false);

	if (opt == 2)
		m = (uint32_t)m;
	else if (opt == 6)
		m = (uint64_t)(int64_t)(int32_t)m;
	return m << shift;
}

/*
 * The address a load or store (Arm ARM C4.1.4: the load/store encodings)
 * accesses, from the registers as they are before it runs, and how many
 * bytes (*@len; a 128-bit SIMD&FP register counts 16, a pair twice its
 * register).  Return: false if @insn is not one, or not of the direction
 * @write.
 */
static bool ls_address(struct cpu *c, uint64_t pc, uint32_t insn, bool write, uint64_t *ea, unsigned *len)
{
	uint64_t rn = xreg(c, (insn >> 5) & 31, true);
	unsigned size = insn >> 30;
	bool load, q = ((insn >> 26) & 1) && size == 0 && ((insn >> 23) & 1); /* SIMD&FP, 128 bits */

	*len = q ? 16 : 1u << size;
	if ((insn & 0x3b000000u) == 0x39000000u) { /* unsigned offset */
		load = ((insn >> 22) & 3) != 0;
		*ea = rn + (((insn >> 10) & 0xfff) << size);
	} else if ((insn & 0x3b200000u) == 0x38000000u) { /* unscaled, pre/post-index, unprivileged */
		load = ((insn >> 22) & 3) != 0;
		*ea = ((insn >> 10) & 3) == 1 ? rn : rn + (uint64_t)sext((insn >> 12) & 0x1ff, 9);
	} else if ((insn & 0x3b200c00u) == 0x38200800u) { /* register offset */
		load = ((insn >> 22) & 3) != 0;
		*ea = rn + extended(c, insn, (insn >> 12) & 1 ? size : 0);
	} else if ((insn & 0x3a000000u) == 0x28000000u) { /* pairs */
		unsigned scale = (insn >> 26) & 1 ? 2 + (insn >> 30) : 2 + ((insn >> 31) & 1);

		load = (insn >> 22) & 1;
		*ea = ((insn >> 23) & 3) == 1 ? rn : rn + (uint64_t)(sext((insn >> 15) & 0x7f, 7) * (1ll << scale));
		*len = 2u << scale;
	} else if ((insn & 0x3b000000u) == 0x18000000u) { /* literal */
		load = true;
		*ea = pc + (uint64_t)(sext((insn >> 5) & 0x7ffff, 19) * 4);
		*len = 16; /* at most a Q register */
	} else if ((insn & 0x3f000000u) == 0x08000000u) { /* exclusive, acquire/release */
		load = (insn >> 22) & 1;
		*ea = rn;
		*len = (insn >> 21) & 1 ? 2u << size : 1u << size; /* LDXP/STXP: a pair */
	} else if ((insn & ~0x1fu) == 0xd50b7420u) { /* DC ZVA, Xt: stores to the 64-byte block */
		load = false;
		*ea = xreg(c, insn & 31, false) & ~63ull;
		*len = 64;
	} else {
		return false;
	}
	return load != write;
}

/*
 * The address a device callback sees for virtual @ea: with the MMU on, its
 * stage-1 output (AT S1E1R; a host stage-2 is an identity map); the guest's
 * PAR_EL1 is kept.
 */
static uint64_t ea_physical(struct cpu *c, uint64_t ea)
{
	uint64_t pa;

	if (!(cp_read(c, reg_sctlr_el1) & SCTLR_M))
		return ea;
	return at_translate(c, reg_at_s1e1r, ea, &pa) ? pa : ea;
}

/*
 * Unicorn 2.0.1 does not sync PC before a device (MMIO) callback: it reads
 * as the start of the translated block.  Find the access in the block: from
 * the instruction the last callback matched (an 8-byte access arrives as two
 * 4-byte halves, a pair as two words), the first load or store of the right
 * direction whose address covers @addr.
 */
static uint64_t arm64_access_pc(struct cpu *c, uint64_t addr, bool write)
{
	struct arm64_state *st = cpu_arch_state(c);
	bool same_block = st->acc_blk_now == c->blk_now && st->acc_blk_pc == c->blk_pc;
	uint64_t pc = c->blk_pc, ea;
	unsigned span;
	uint32_t insn;

	if (same_block && addr > st->acc_addr && addr - st->acc_ea < st->acc_span)
		return st->acc_pc; /* the next part of the same access */
	if (same_block)
		pc = st->acc_pc + 4;
	for (; pc < c->blk_end && cpu_fetch32(c, pc, &insn); pc += 4) {
		if (!ls_address(c, pc, insn, write, &ea, &span))
			continue;
		ea = ea_physical(c, ea);
		if (addr < ea || addr - ea >= span)
			continue;
		st->acc_blk_now = c->blk_now;
		st->acc_blk_pc = c->blk_pc;
		st->acc_pc = pc;
		st->acc_ea = ea;
		st->acc_addr = addr;
		st->acc_span = span;
		return pc;
	}
	return cpu_pc(c);
}

static int arm64_classify_return(struct cpu *c)
{
	uint32_t insn = 0;

	if (cpu_fetch32(c, cpu_pc(c) - 4, &insn) && insn == INSN_WFI)
		return CPU_RUN_WFI;
	snprintf(c->err, sizeof(c->err), "emulation ended for no known reason");
	return CPU_RUN_ERROR;
}

static uint64_t arm64_insn_bytes(struct cpu *c, uint64_t pc, uint64_t n)
{
	(void)c;
	(void)pc;
	return 4 * n;
}

static uint64_t arm64_insn_count(struct cpu *c, uint64_t pc, uint64_t len)
{
	(void)c;
	(void)pc;
	return len / 4;
}

/* HCR_EL2.VI and VF from irq_lines (bit 0 IRQ, bit 1 FIQ), or both low while @hold. */
static int drive_lines(struct cpu *c, bool hold)
{
	uint64_t hcr = cp_read(c, reg_hcr_el2) & ~(HCR_VI | HCR_VF);

	if (!hold)
		hcr |= (c->irq_lines & 1 ? HCR_VI : 0) | (c->irq_lines & 2 ? HCR_VF : 0);
	return cp_write(c, reg_hcr_el2, hcr);
}

static int arm64_irq_set(struct cpu *c, unsigned line, bool level)
{
	uint64_t bit = line == CPU_ARM64_FIQ ? 2 : 1;

	c->irq_lines = level ? c->irq_lines | bit : c->irq_lines & ~bit;
	return drive_lines(c, false);
}

static void arm64_irq_hold(struct cpu *c, bool hold)
{
	drive_lines(c, hold);
}

static int arm64_current_level(struct cpu *c)
{
	return (int)PSTATE_EL(cpu_reg_get(c, UC_ARM64_REG_PSTATE));
}

static uint64_t arm64_enables(struct cpu *c)
{
	return (cpu_reg_get(c, UC_ARM64_REG_PSTATE) >> 6) & 0xf; /* DAIF */
}

static bool arm64_irq_pending(struct cpu *c)
{
	return c->irq_lines != 0;
}

#define X(n) { "x" #n, UC_ARM64_REG_X##n }
static const struct cpu_reg_name arm64_regs[] = {
	X(0), X(1), X(2), X(3), X(4), X(5), X(6), X(7), X(8), X(9), X(10), X(11), X(12), X(13), X(14),
	X(15), X(16), X(17), X(18), X(19), X(20), X(21), X(22), X(23), X(24), X(25), X(26), X(27),
	X(28), X(29), X(30),
	{ "fp", UC_ARM64_REG_X29 }, { "lr", UC_ARM64_REG_X30 }, { "sp", UC_ARM64_REG_SP },
	{ "pc", UC_ARM64_REG_PC }, { "pstate", UC_ARM64_REG_PSTATE },
	{ "tpidr_el0", UC_ARM64_REG_TPIDR_EL0 }, { "tpidr_el1", UC_ARM64_REG_TPIDR_EL1 },
	{ "tpidr_el2", CPU_ARM64_REG_TPIDR_EL2 },
	{ "vbar_el1", UC_ARM64_REG_VBAR_EL1 }, { "elr_el1", UC_ARM64_REG_ELR_EL1 },
	{ "esr_el1", UC_ARM64_REG_ESR_EL1 },
	{ "far_el1", UC_ARM64_REG_FAR_EL1 }, { "sp_el0", UC_ARM64_REG_SP_EL0 },
	{ NULL, 0 }
};
#undef X

uint64_t cpu_arm64_el2_reg(struct cpu *c, enum cpu_arm64_el2_reg r)
{
	if (c->arch != CPU_ARM64)
		return 0;
	return cp_read(c, r == CPU_EL2_HCR ? reg_hcr_el2 : r == CPU_EL2_VTTBR ? reg_vttbr_el2 : reg_vtcr_el2);
}

static int arm64_sysreg(struct cpu *c, int reg, uint64_t *val, bool write)
{
	if (reg != CPU_ARM64_REG_TPIDR_EL2)
		return -1;
	if (write)
		return cp_write(c, reg_tpidr_el2, *val);
	*val = cp_read(c, reg_tpidr_el2);
	return 0;
}

const struct cpu_arch_ops cpu_arm64_ops = {
	.tlb_flush = arm64_tlb_flush,
	.sysreg = arm64_sysreg,
	.uc_arch = UC_ARCH_ARM64,
	.uc_mode = UC_MODE_ARM,
	.pc_reg = UC_ARM64_REG_PC,
	.init = arm64_init,
	.destroy = arm64_destroy,
	.boot = arm64_boot,
	.before_run = arm64_before_run,
	.after_run = arm64_after_run,
	.unmapped = arm64_va_unmapped,
	.va_windows = arm64_va_windows,
	.classify_return = arm64_classify_return,
	.irq_set = arm64_irq_set,
	.irq_hold = arm64_irq_hold,
	.block_start = arm64_block_start,
	.drop_lines = arm64_drop_lines,
	.code_ptr = arm64_code_ptr,
	.current_level = arm64_current_level,
	.enables = arm64_enables,
	.insn_bytes = arm64_insn_bytes,
	.insn_count = arm64_insn_count,
	.irq_pending = arm64_irq_pending,
	.regs = arm64_regs,
	.access_pc = arm64_access_pc,
};
