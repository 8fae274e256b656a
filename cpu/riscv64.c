/* SPDX-License-Identifier: MIT */
/*
 * riscv64 and riscv32 adapter.  The guest runs in S-mode; M-mode firmware is
 * the simulator.  The two differ only in Unicorn's mode and in XLEN: on
 * riscv32 registers are 32 bits (cpu_reg_get() zero-extends them) and `timeh`
 * exists.
 *
 * Unicorn 2.0.1 facts used here (measured; docs/unicorn.md keeps the list):
 *   - The CPU resets in M-mode; the boot trampoline opens PMP, delegates the S
 *     interrupts and MRETs to S-mode.
 *   - There is no privilege register: the level is a field of the saved
 *     context, found at start-up by watching which byte goes 3 -> 1 across the
 *     trampoline's MRET.  Without it hypsim cannot inject interrupts, so it refuses
 *     to run.
 *   - M-mode CSRs (mip) are only writable through uc_reg_write() while the
 *     context says M: interrupts are raised by switching the field to 3,
 *     writing mip and switching back, always with Unicorn stopped.
 *   - Synchronous exceptions reach the INTR hook with PC already advanced by
 *     4 (also for 2-byte instructions); every ECALL arrives as cause 8, so
 *     the privilege level (from the context) tells S from U; EBREAK instead reaches the
 *     INSN_INVALID hook with PC at the EBREAK, then uc_emu_start() returns.
 *   - `time` is an illegal instruction (no time source is wired): emulated
 *     here from virtual time.  `cycle`/`instret` are NOT virtualised: this
 *     QEMU 5.0 base ignores mcounteren for them (counters "always enabled"
 *     from priv spec 1.10), so they execute natively and read host-derived
 *     values.  Guests must not use them (docs/guest-abi.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu_internal.h"
#include "riscv_internal.h"

#define INSN_MRET 0x30200073u
#define INSN_WFI 0x10500073u
#define INSN_EBREAK 0x00100073u
#define INSN_SEMI_PRE 0x01f01013u  /* slli x0, x0, 0x1f */
#define INSN_SEMI_POST 0x40705013u /* srai x0, x0, 7 */


#define CSR_TIME 0xc01
#define CSR_TIMEH 0xc81 /* riscv32 only */
#define CSR_PMPCFG0 0x3a0
#define CSR_PMPADDR0 0x3b0

#define CSR_MCOUNTINHIBIT 0x320
#define CSR_MCONFIGPTR 0xf15

#define MSTATUS_MIE (1ull << 3)
#define MSTATUS_MPIE (1ull << 7)
#define MSTATUS_MPP (3ull << 11)
#define MSTATUS_MPP_S (1ull << 11)
#define MSTATUS_FS_INITIAL (1ull << 13)
#define MIP_S_ALL 0x222ull /* SSIP | STIP | SEIP */
#define MIP_M_ALL 0x888ull /* MSIP | MTIP | MEIP */
#define COUNTEREN_TM 2u

static uint32_t i_type(uint32_t imm, uint32_t rs1, uint32_t f3, uint32_t rd, uint32_t op)
{
	return (imm << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
}

/* ---- privilege switching through the saved context ---------------------- */

static uint8_t *ctx_bytes(struct riscv_state *st)
{
	return (uint8_t *)st->ctx;
}

static void set_priv(struct cpu *c, uint8_t priv, uint8_t *old)
{
	struct riscv_state *st = rv(c);

	uc_context_save(cpu_uc(c), st->ctx);
	if (old)
		*old = ctx_bytes(st)[st->priv_offset];
	ctx_bytes(st)[st->priv_offset] = priv;
	uc_context_restore(cpu_uc(c), st->ctx);
}

/* The current privilege level (0 U, 1 S, 3 M), from the saved context. */
static uint8_t current_priv(struct cpu *c)
{
	struct riscv_state *st = rv(c);

	uc_context_save(cpu_uc(c), st->ctx);
	return ctx_bytes(st)[st->priv_offset];
}

/*
 * Write mip as M-mode would, then return to the guest's level.  The M bits
 * (guest firmware only: MSIP, MTIP, MEIP, which no CSR write reaches, as on
 * hardware) are set in the saved context; the CSR write that follows makes
 * Unicorn look at the pending set again.
 */
static void write_mip(struct cpu *c, uint64_t set, uint64_t clear)
{
	struct riscv_state *st = rv(c);
	uint8_t old, *b = ctx_bytes(st);
	uint64_t mip;

	uc_context_save(cpu_uc(c), st->ctx);
	old = b[st->priv_offset];
	b[st->priv_offset] = 3;
	if (st->mip_offset && ((set | clear) & MIP_M_ALL)) {
		b[st->mip_offset] = (uint8_t)((b[st->mip_offset] | (set & 0x88)) & ~(clear & 0x88));
		b[st->mip_offset + 1] = (uint8_t)((b[st->mip_offset + 1] | ((set >> 8) & 0x8)) & ~((clear >> 8) & 0x8));
	}
	uc_context_restore(cpu_uc(c), st->ctx);
	mip = cpu_reg_get(c, UC_RISCV_REG_MIP);
	cpu_reg_put(c, UC_RISCV_REG_MIP, (mip | set) & ~clear);
	if (old != 3)
		set_priv(c, old, NULL);
}

/* An M-mode CSR, read at M and back (a host read above the guest's level returns garbage). */
static uint64_t m_csr(struct cpu *c, int reg)
{
	uint8_t old;
	uint64_t v;

	set_priv(c, 3, &old);
	v = cpu_reg_get(c, reg);
	if (old != 3)
		set_priv(c, old, NULL);
	return v;
}

/*
 * Check a candidate privilege byte: with it at 3 an mscratch write must stick,
 * at 1 it must be dropped (this Unicorn privilege-checks host CSR writes, not
 * reads).  Leaves the vCPU at level 1 with mscratch = 0.
 */
static bool priv_field_works(struct cpu *c)
{
	const uint64_t magic = 0x68797073ull; /* fits XLEN 32 */
	bool ok;

	set_priv(c, 3, NULL);
	cpu_reg_put(c, UC_RISCV_REG_MSCRATCH, magic);
	ok = cpu_reg_get(c, UC_RISCV_REG_MSCRATCH) == magic;
	set_priv(c, 1, NULL);
	cpu_reg_put(c, UC_RISCV_REG_MSCRATCH, 0);
	ok = ok && cpu_reg_get(c, UC_RISCV_REG_MSCRATCH) == magic;
	set_priv(c, 3, NULL);
	cpu_reg_put(c, UC_RISCV_REG_MSCRATCH, 0);
	set_priv(c, 1, NULL);
	return ok;
}

/* Find the privilege byte: 3 before the trampoline's MRET, 1 after it. */
static int calibrate_priv(struct cpu *c, const uint8_t *before, const uint8_t *after, size_t size)
{
	struct riscv_state *st = rv(c);
	size_t i;

	for (i = 0; i < size; i++) {
		if (before[i] != 3 || after[i] != 1)
			continue;

		st->priv_offset = i;
		if (priv_field_works(c))
			return 0;
		memcpy(st->ctx, after, size);
		uc_context_restore(cpu_uc(c), st->ctx);
	}
	snprintf(c->err, sizeof(c->err),
		 "%s: cannot find the privilege level in Unicorn's saved context "
		 "(calibration failed: this Unicorn build is not the 2.0.1 hypsim expects)",
		 cpu_arch_name(c->arch));
	return -1;
}

static int riscv_boot(struct cpu *c, uint64_t entry, uint64_t arg0)
{
	const uint32_t tramp[] = {
		i_type(0xfff, 0, 0, 5, 0x13),           /* li    t0, -1 */
		i_type(CSR_PMPADDR0, 5, 1, 0, 0x73),    /* csrw  pmpaddr0, t0 */
		i_type(0x00f, 0, 0, 6, 0x13),           /* li    t1, TOR|R|W|X */
		i_type(CSR_PMPCFG0, 6, 1, 0, 0x73),     /* csrw  pmpcfg0, t1 */
		INSN_MRET,
	};
	struct riscv_state *st = rv(c);
	size_t size = uc_context_size(cpu_uc(c));
	uint8_t *before = malloc(size), *after = malloc(size);
	int ret = -1;

	if (!before || !after)
		goto out;
	if (riscv_calibrate_mmu(c) < 0) {
		snprintf(c->err, sizeof(c->err), "%s: cannot find the faulting address in Unicorn's saved context "
			 "(this Unicorn build is not the 2.0.1 hypsim expects)", cpu_arch_name(c->arch));
		goto out;
	}
	cpu_reg_put(c, UC_RISCV_REG_MSTATUS, MSTATUS_MPP_S | MSTATUS_FS_INITIAL);
	cpu_reg_put(c, UC_RISCV_REG_MEPC, entry);
	cpu_reg_put(c, UC_RISCV_REG_MIDELEG, MIP_S_ALL);
	cpu_reg_put(c, UC_RISCV_REG_MEDELEG, 0);
	cpu_reg_put(c, UC_RISCV_REG_MCOUNTEREN, 7); /* CY|TM|IR: what a firmware grants */
	cpu_reg_put(c, UC_RISCV_REG_MIE, MIP_S_ALL);
	cpu_reg_put(c, UC_RISCV_REG_A0, arg0);
	cpu_reg_put(c, UC_RISCV_REG_A1, 0);
	if (cpu_run_boot_code(c, tramp, 5, 4) < 0)
		goto out;
	uc_context_save(cpu_uc(c), st->ctx);
	memcpy(before, st->ctx, size);
	if (cpu_run(c, 5) != CPU_RUN_LIMIT || cpu_pc(c) != entry) {
		snprintf(c->err, sizeof(c->err), "%s boot trampoline did not reach the entry point",
			 cpu_arch_name(c->arch));
		goto out;
	}
	uc_context_save(cpu_uc(c), st->ctx);
	memcpy(after, st->ctx, size);
	ret = calibrate_priv(c, before, after, size);
	if (ret == 0 && riscv_calibrate_satp(c) < 0) {
		snprintf(c->err, sizeof(c->err), "%s: cannot find satp in Unicorn's saved context", cpu_arch_name(c->arch));
		ret = -1;
	}
	c->now = 0;
out:
	free(before);
	free(after);
	return ret;
}

/* env->mip's first byte in the saved context: the byte that is 0x22 with SSIP|STIP|SEIP written, 0 without. */
static int find_mip(struct cpu *c)
{
	struct riscv_state *st = rv(c);
	size_t size = uc_context_size(cpu_uc(c)), i, n = 0;
	uint8_t *zero = malloc(size);

	if (!zero)
		return -1;
	cpu_reg_put(c, UC_RISCV_REG_MIP, 0);
	uc_context_save(cpu_uc(c), st->ctx);
	memcpy(zero, st->ctx, size);
	cpu_reg_put(c, UC_RISCV_REG_MIP, MIP_S_ALL);
	uc_context_save(cpu_uc(c), st->ctx);
	for (i = 0; i + 1 < size; i++)
		if (zero[i] == 0 && zero[i + 1] == 0 && ctx_bytes(st)[i] == 0x22 && ctx_bytes(st)[i + 1] == 0x02)
			st->mip_offset = i, n++;
	cpu_reg_put(c, UC_RISCV_REG_MIP, 0);
	free(zero);
	if (n != 1)
		st->mip_offset = 0;
	return n == 1 ? 0 : -1;
}

/*
 * Give the hart its mhartid (Unicorn numbers every engine's hart 0, and the
 * CSR is read-only).  QEMU 5.0's CPURISCVState holds priv, virt, resetvec
 * and mhartid in that order: the field three words after the privilege
 * level, checked by resetvec's value (0x1000) before it and by reading the
 * CSR back.  Return: 0, or -1 when this Unicorn's layout is another.
 */
static int set_mhartid(struct cpu *c, uint64_t id)
{
	struct riscv_state *st = rv(c);
	uint8_t *b = ctx_bytes(st);
	uint64_t resetvec, old;
	size_t at = st->priv_offset + 24;

	if (at + 8 > uc_context_size(cpu_uc(c)))
		return -1;
	uc_context_save(cpu_uc(c), st->ctx);
	memcpy(&resetvec, b + at - 8, 8);
	memcpy(&old, b + at, 8);
	if (resetvec != 0x1000 || old != cpu_reg_get(c, UC_RISCV_REG_MHARTID))
		return -1;
	memcpy(b + at, &id, 8);
	uc_context_restore(cpu_uc(c), st->ctx);
	return cpu_reg_get(c, UC_RISCV_REG_MHARTID) == id ? 0 : -1;
}

int cpu_riscv_enter_mmode(struct cpu *c, uint64_t pc, const uint64_t a[3])
{
	static const int zeroed[] = { UC_RISCV_REG_MSTATUS, UC_RISCV_REG_MEDELEG, UC_RISCV_REG_MIDELEG, UC_RISCV_REG_MIE,
				      UC_RISCV_REG_MCOUNTEREN, UC_RISCV_REG_SCOUNTEREN, UC_RISCV_REG_MTVEC,
				      UC_RISCV_REG_MSCRATCH, UC_RISCV_REG_MEPC, UC_RISCV_REG_MCAUSE, UC_RISCV_REG_MTVAL,
				      UC_RISCV_REG_SATP, UC_RISCV_REG_STVEC, UC_RISCV_REG_SSTATUS };
	const uint32_t pmp_off[] = {
		i_type(CSR_PMPADDR0, 0, 1, 0, 0x73), /* csrw pmpaddr0, zero */
		i_type(CSR_PMPCFG0, 0, 1, 0, 0x73),  /* csrw pmpcfg0, zero: PMP off, as at reset */
		0x00000013u,                          /* nop: a PMP write ending the code fails the exit (docs/unicorn.md) */
	};
	struct riscv_state *st;
	size_t i;

	if (c->arch != CPU_RISCV64) {
		snprintf(c->err, sizeof(c->err), "%s: guest M-mode firmware is modelled on riscv64 only", cpu_arch_name(c->arch));
		return -1;
	}
	st = rv(c);
	set_priv(c, 3, NULL);
	if (!st->mip_offset && find_mip(c) < 0) {
		snprintf(c->err, sizeof(c->err), "riscv64: cannot find mip in Unicorn's saved context "
			 "(this Unicorn build is not the 2.0.1 hypsim expects)");
		return -1;
	}
	if (set_mhartid(c, (uint64_t)c->index) < 0) {
		snprintf(c->err, sizeof(c->err), "riscv64: cannot set mhartid in Unicorn's saved context "
			 "(this Unicorn build is not the 2.0.1 hypsim expects)");
		return -1;
	}
	if (cpu_exec_boot_code(c, pmp_off, 3) < 0)
		return -1;
	for (i = 0; i < sizeof(zeroed) / sizeof(zeroed[0]); i++)
		cpu_reg_put(c, zeroed[i], 0);
	write_mip(c, 0, MIP_S_ALL | MIP_M_ALL);
	c->irq_lines = 0;
	st->mip_set = st->mip_clear = 0;
	st->mcountinhibit = 0;
	st->deleg = 0;
	st->mfw = true;
	memset(st->tlb, 0, sizeof(st->tlb));
	for (i = 0; i < 3; i++)
		cpu_reg_put(c, UC_RISCV_REG_A0 + (int)i, a[i]);
	cpu_set_pc(c, pc);
	return 0;
}

/* ---- exits ------------------------------------------------------------- */

static void do_sbi(struct cpu *c, uint64_t pc)
{
	static const int regs[8] = { UC_RISCV_REG_A0, UC_RISCV_REG_A1, UC_RISCV_REG_A2, UC_RISCV_REG_A3,
				     UC_RISCV_REG_A4, UC_RISCV_REG_A5, UC_RISCV_REG_A6, UC_RISCV_REG_A7 };
	struct cpu_exit e = { .kind = CPU_EXIT_HCALL };
	void *ptrs[8];
	int i;

	e.pc = pc;
	e.time = cpu_insn_time(c, pc);
	e.hcall.conduit = CPU_CONDUIT_ECALL;
	for (i = 0; i < 8; i++)
		ptrs[i] = &e.hcall.a[i];
	uc_reg_read_batch(cpu_uc(c), (int *)regs, ptrs, 8);
	e.hcall.ret[0] = e.hcall.a[0];
	e.hcall.ret[1] = e.hcall.a[1];
	cpu_report(c, &e);
	cpu_reg_put(c, UC_RISCV_REG_A0, e.hcall.ret[0]);
	cpu_reg_put(c, UC_RISCV_REG_A1, e.hcall.ret[1]);
}

static void fault(struct cpu *c, uint64_t pc, enum cpu_fault_kind kind, uint64_t cause, uint32_t insn)
{
	struct cpu_exit e = { .pc = pc };

	e.time = cpu_insn_time(c, pc);
	e.fault.kind = kind;
	e.fault.syndrome = cause;
	e.fault.insn = insn;
	e.fault.addr = kind == CPU_FAULT_UNDEF ? insn : pc;
	cpu_report_fault(c, &e);
}

/* One of the six CSR instructions (SYSTEM opcode, funct3 not 0 or 4). */
static bool is_csr_insn(uint32_t insn)
{
	uint32_t f3 = (insn >> 12) & 7;

	return (insn & 0x7f) == 0x73 && f3 != 0 && f3 != 4;
}

/* Does it write the CSR?  csrrw[i] always; csrrs[i]/csrrc[i] unless rs1/uimm is 0. */
static bool csr_insn_writes(uint32_t insn)
{
	return ((insn >> 12) & 3) == 1 || ((insn >> 15) & 31) != 0;
}

/*
 * With guest firmware, may level @priv read `time`?  M always; S with
 * mcounteren.TM; U with mcounteren.TM and scounteren.TM (privileged spec,
 * "Machine Counter-Enable Register" and "Supervisor Counter-Enable Register").
 */
static bool time_allowed(struct cpu *c, uint8_t priv)
{
	if (priv == 3)
		return true;
	if (!(m_csr(c, UC_RISCV_REG_MCOUNTEREN) & COUNTEREN_TM))
		return false;
	return priv == 1 || (cpu_reg_get(c, UC_RISCV_REG_SCOUNTEREN) & COUNTEREN_TM);
}

/*
 * A read of `time` (or, on riscv32, `timeh`): emulate it from virtual time.
 * Return: false when the instruction is not one, or when the counter-enable
 * bits refuse it (*refused: an illegal-instruction trap is due).
 */
static bool emulate_counter_csr(struct cpu *c, uint64_t pc, uint32_t insn, bool *refused)
{
	uint32_t rd = (insn >> 7) & 31, csr = insn >> 20;
	bool high = c->arch == CPU_RISCV32 && csr == CSR_TIMEH;
	struct cpu_exit e = { .kind = CPU_EXIT_COUNTER, .pc = pc };

	if (!is_csr_insn(insn) || csr_insn_writes(insn) || (csr != CSR_TIME && !high))
		return false;
	if (rv(c)->mfw && !time_allowed(c, current_priv(c))) {
		*refused = true;
		return false;
	}
	e.counter.which = CPU_CNT_VIRTUAL;
	e.time = cpu_insn_time(c, pc);
	cpu_report(c, &e);
	if (rd != 0)
		cpu_reg_put(c, UC_RISCV_REG_X0 + rd, high ? e.counter.value >> 32 : e.counter.value);
	return true;
}

/* A trap taken into the guest's own vector, for the trace (from: the level it came from). */
static void report_trap(struct cpu *c, uint64_t pc, uint64_t time, uint64_t cause, uint64_t tval, uint8_t from,
			bool to_m, uint64_t vector)
{
	struct cpu_exit e = { .kind = CPU_EXIT_EXCEPTION, .pc = pc, .time = time };

	e.exception.esr = cause;
	e.exception.far = tval;
	e.exception.has_far = true;
	e.exception.elr = pc;
	e.exception.from_el = from;
	e.exception.to_m = to_m;
	e.exception.vector = vector;
	c->on_exit(c->ctx, c, &e);
}

/*
 * The registers a trap into S or M writes, and the status bits it moves
 * (privileged spec, "Supervisor Status Register" / "Machine Status
 * Registers": xPP = the level it came from, xPIE = xIE, xIE = 0).
 */
struct trap_csrs {
	int epc, cause, tval, status, tvec;
	uint64_t pp, pie, ie;
	unsigned pp_shift;
};

static const struct trap_csrs s_trap = { UC_RISCV_REG_SEPC, UC_RISCV_REG_SCAUSE, UC_RISCV_REG_STVAL,
					  UC_RISCV_REG_SSTATUS, UC_RISCV_REG_STVEC, SSTATUS_SPP, SSTATUS_SPIE,
					  SSTATUS_SIE, 8 };
static const struct trap_csrs m_trap = { UC_RISCV_REG_MEPC, UC_RISCV_REG_MCAUSE, UC_RISCV_REG_MTVAL,
					  UC_RISCV_REG_MSTATUS, UC_RISCV_REG_MTVEC, MSTATUS_MPP, MSTATUS_MPIE,
					  MSTATUS_MIE, 11 };

/*
 * Enter a trap handler for a synchronous exception: xepc = the instruction,
 * xcause, xtval, the status bits above, then PC = xtvec's base (the vectored
 * mode applies to interrupts only).  The caller has the level set to the
 * handler's (S: from S inside the INTR hook, where a PC write makes Unicorn
 * continue at the new PC; from U between runs).
 */
static void enter_trap(struct cpu *c, const struct trap_csrs *r, uint64_t pc, uint64_t cause, uint64_t tval,
		       uint8_t from, uint64_t time)
{
	uint64_t status = cpu_reg_get(c, r->status), tvec = cpu_reg_get(c, r->tvec);

	status = (status & ~(r->pp | r->pie | r->ie)) | (((uint64_t)from << r->pp_shift) & r->pp) |
		 (status & r->ie ? r->pie : 0);
	cpu_reg_put(c, r->epc, pc);
	cpu_reg_put(c, r->cause, cause);
	cpu_reg_put(c, r->tval, tval);
	cpu_reg_put(c, r->status, status);
	cpu_set_pc(c, tvec & ~3ull);
	report_trap(c, pc, time, cause, tval, from, r == &m_trap, tvec & ~3ull);
}

/* Into the guest's S-mode handler, as hardware with the exception delegated (medeleg). */
static void enter_s_trap(struct cpu *c, uint64_t pc, uint64_t cause, uint64_t tval, bool from_s, uint64_t time)
{
	enter_trap(c, &s_trap, pc, cause, tval, from_s, time);
}

/* Into M-mode's handler (guest firmware): the level becomes M. */
static void enter_m_trap(struct cpu *c, uint64_t pc, uint64_t cause, uint64_t tval, uint8_t from, uint64_t time)
{
	set_priv(c, 3, NULL);
	enter_trap(c, &m_trap, pc, cause, tval, from, time);
}

/* Queue a trap (into S, or with guest firmware into M): the run stops and riscv_after_run() takes it. */
static void queue_trap_to(struct cpu *c, uint64_t pc, uint64_t cause, uint64_t tval, uint8_t from, bool to_m)
{
	struct riscv_state *st = rv(c);

	st->utrap_pending = true;
	st->utrap_from = from;
	st->utrap_to_m = to_m;
	st->utrap_pc = pc;
	st->utrap_time = cpu_insn_time(c, pc);
	st->utrap_cause = cause;
	st->utrap_tval = tval;
	cpu_request_stop(c, CPU_RUN_RESTART);
}

static void queue_trap(struct cpu *c, uint64_t pc, uint64_t cause, uint64_t tval, bool from_s)
{
	queue_trap_to(c, pc, cause, tval, from_s ? 1 : 0, false);
}

/* Guest firmware: does an exception of @cause from level @priv go to M (else S)? medeleg decides, never for M's own. */
static bool to_m_mode(struct cpu *c, uint8_t priv, uint64_t cause)
{
	return priv == 3 || cause >= 64 || !((m_csr(c, UC_RISCV_REG_MEDELEG) >> cause) & 1);
}

/*
 * Guest firmware: a synchronous exception from level @priv goes to S when it came from S or
 * U and medeleg delegates it, else to M (privileged spec, "Machine Trap
 * Delegation Registers").  Taken inside the INTR hook, except from U
 * (between runs: the level changes).  The trapping instruction took its
 * cycle; the rest of its block did not run.
 */
static void fw_take(struct cpu *c, uint8_t priv, uint64_t pc, uint64_t cause, uint64_t tval)
{
	bool in_block = pc >= c->blk_pc && pc < c->blk_end;
	bool to_m = to_m_mode(c, priv, cause);
	uint64_t time;

	if (priv == 0) {
		queue_trap_to(c, pc, cause, tval, 0, to_m);
		return;
	}
	time = cpu_insn_time(c, pc);
	if (in_block)
		c->now = time + 1;
	if (to_m)
		enter_m_trap(c, pc, cause, tval, priv, time);
	else
		enter_s_trap(c, pc, cause, tval, true, time);
}

/*
 * Guest firmware: the CSRs of priv 1.11/1.12 that neither Unicorn nor a
 * model has, at M only: mcountinhibit (WARL: CY, IR and the HPM bits are
 * kept, TM is read-only zero; the counters are the host's anyway, see
 * docs/unicorn.md) and mconfigptr (read-only 0: no configuration
 * structure).  Return: false when not one of them, or not allowed.
 */
static bool fw_csr(struct cpu *c, uint32_t insn, uint8_t priv)
{
	struct riscv_state *st = rv(c);
	uint32_t csr = insn >> 20, rd = (insn >> 7) & 31, rs1 = (insn >> 15) & 31, f3 = (insn >> 12) & 7;
	uint64_t src = f3 & 4 ? rs1 : cpu_reg_get(c, UC_RISCV_REG_X0 + (int)rs1), old, val;

	if (priv != 3 || (csr != CSR_MCOUNTINHIBIT && csr != CSR_MCONFIGPTR))
		return false;
	if (csr == CSR_MCONFIGPTR) {
		if (csr_insn_writes(insn))
			return false; /* read-only: illegal instruction */
		if (rd)
			cpu_reg_put(c, UC_RISCV_REG_X0 + (int)rd, 0);
		return true;
	}
	old = st->mcountinhibit;
	val = (f3 & 3) == 1 ? src : (f3 & 3) == 2 ? old | src : old & ~src;
	if (csr_insn_writes(insn))
		st->mcountinhibit = val & 0xfffffffdull;
	if (rd)
		cpu_reg_put(c, UC_RISCV_REG_X0 + (int)rd, old);
	return true;
}

/*
 * A CSR instruction Unicorn does not implement (its CSR table predates
 * Sstc): hand it to the owner, then write rd, enter the guest's trap
 * handler, or report an undefined instruction.  Return: false when the
 * instruction is not a CSR access.
 */
static bool csr_exit(struct cpu *c, uint64_t pc, uint32_t insn)
{
	uint32_t f3 = (insn >> 12) & 7, rd = (insn >> 7) & 31, rs1 = (insn >> 15) & 31;
	struct cpu_exit e = { .kind = CPU_EXIT_CSR, .pc = pc };
	uint8_t priv;

	if (!is_csr_insn(insn))
		return false;
	priv = current_priv(c);
	e.time = cpu_insn_time(c, pc);
	e.csr.csr = (uint16_t)(insn >> 20);
	e.csr.op = (uint8_t)(f3 & 3);
	e.csr.priv = priv;
	e.csr.write = csr_insn_writes(insn);
	if (rv(c)->mfw) { /* the model's access rules need the CPU's counter enables */
		e.csr.fw = true;
		e.csr.mcounteren = (uint32_t)m_csr(c, UC_RISCV_REG_MCOUNTEREN);
		e.csr.scounteren = (uint32_t)cpu_reg_get(c, UC_RISCV_REG_SCOUNTEREN);
	}
	e.csr.src = f3 & 4 ? rs1 : cpu_reg_get(c, UC_RISCV_REG_X0 + (int)rs1);
	e.csr.insn = insn;
	if (cpu_report(c, &e) == CPU_STOP)
		return true;
	switch (e.csr.result) {
	case CPU_CSR_DONE:
		if (rd != 0)
			cpu_reg_put(c, UC_RISCV_REG_X0 + (int)rd, e.csr.value);
		return true;
	case CPU_CSR_TRAP:
		if (rv(c)->mfw)
			fw_take(c, priv, pc, e.csr.cause, insn);
		else if (priv == 1)
			enter_s_trap(c, pc, e.csr.cause, insn, true, e.time);
		else
			queue_trap(c, pc, e.csr.cause, insn, false);
		return true;
	case CPU_CSR_UNKNOWN:
		break;
	}
	return false;
}

/*
 * A synchronous exception the guest takes (cpu_delegate_exceptions()), from
 * inside the INTR hook: from S-mode at once, from U-mode between runs.  The
 * trapping instruction took its cycle (the rest of its block did not run);
 * a fetch fault's PC is not in the block that ran, so nothing is taken back.
 * @badaddr: stval is the faulting address Unicorn recorded.
 */
static void deliver(struct cpu *c, uint64_t pc, uint64_t cause, uint64_t tval, bool badaddr)
{
	bool in_block = pc >= c->blk_pc && pc < c->blk_end;
	uint8_t priv = current_priv(c); /* saves the context: badaddr is read from it */
	uint64_t time;

	if (badaddr)
		tval = riscv_ctx_badaddr(c);
	if (priv != 1) {
		queue_trap(c, pc, cause, tval, false);
		return;
	}
	time = cpu_insn_time(c, pc);
	if (in_block)
		c->now = time + 1;
	enter_s_trap(c, pc, cause, tval, true, time);
}

static bool delegated(struct cpu *c, uint32_t cause)
{
	return cause < 64 && ((rv(c)->deleg >> cause) & 1);
}

static void illegal(struct cpu *c, uint64_t pc)
{
	uint32_t insn = 0;
	bool refused = false, csr;

	riscv_fetch(c, pc, &insn);
	csr = (insn & 3) == 3 && is_csr_insn(insn);
	if (csr && (emulate_counter_csr(c, pc, insn, &refused) || (!refused && csr_exit(c, pc, insn))))
		return; /* Unicorn already moved PC past it; resume there (or at a trap vector) */
	if (rv(c)->mfw) {
		uint8_t priv = current_priv(c);

		if (csr && !refused && fw_csr(c, insn, priv))
			return;
		fw_take(c, priv, pc, EXCP_ILLEGAL, (insn & 3) == 3 ? insn : insn & 0xffff);
		return;
	}
	if (delegated(c, EXCP_ILLEGAL))
		deliver(c, pc, EXCP_ILLEGAL, insn, false);
	else
		fault(c, pc, CPU_FAULT_UNDEF, EXCP_ILLEGAL, (insn & 3) == 3 ? insn : insn & 0xffff);
}

/* Causes whose tval is the faulting address (privileged spec, "Machine Trap Value Register"). */
static bool tval_is_addr(uint32_t cause)
{
	return cause < 16 && ((0xb0f3u >> cause) & 1); /* 0, 1, 4-7, 12, 13, 15 */
}

static void hook_intr(uc_engine *uc, uint32_t intno, void *user)
{
	struct cpu *c = user;
	uint64_t pc = 0;
	uint32_t insn = 0;

	uc_reg_read(uc, UC_RISCV_REG_PC, &pc);
	pc -= 4; /* Unicorn advanced PC before calling us, by 4 even for RVC */
	if (rv(c)->calibrating) /* boot code's own trap (riscv_calibrate_mmu()) */
		return;
	if (rv(c)->mfw && intno != EXCP_ILLEGAL) { /* guest firmware: every exception is the guest's */
		uint8_t priv = current_priv(c);

		if (intno == EXCP_ECALL_U || intno == EXCP_ECALL_S) /* cause 8, 9 or 11 by level */
			fw_take(c, priv, pc, EXCP_ECALL_U + priv, 0);
		else
			fw_take(c, priv, pc, intno, tval_is_addr(intno) ? riscv_ctx_badaddr(c) : 0);
		return;
	}
	switch (intno) {
	case EXCP_ECALL_U:
	case EXCP_ECALL_S:
		/* Unicorn reports every ECALL as cause 8 (before QEMU maps it
		 * by privilege): the level decides who it is for. */
		if (current_priv(c) == 1)
			do_sbi(c, pc);
		else /* a system call: the S-mode guest's own handler */
			queue_trap(c, pc, EXCP_ECALL_U, 0, false);
		return;
	case EXCP_ILLEGAL:
		illegal(c, pc);
		return;
	default:
		if (delegated(c, intno)) {
			deliver(c, pc, intno, 0, true);
			return;
		}
		riscv_fetch(c, pc, &insn);
		fault(c, pc, intno == 3 ? CPU_FAULT_BREAKPOINT : CPU_FAULT_OTHER, intno, insn);
		return;
	}
}

/* EBREAK: the RISC-V semihosting sequence, a breakpoint the guest takes, or a stray one. */
static bool hook_invalid(uc_engine *uc, void *user)
{
	struct cpu *c = user;
	struct riscv_state *st = rv(c);
	uint32_t pre = 0, at = 0, post = 0;
	uint64_t pc = 0;
	uint32_t cause;

	uc_reg_read(uc, UC_RISCV_REG_PC, &pc);
	riscv_fetch(c, pc, &at);
	if (at == INSN_EBREAK && riscv_fetch(c, pc - 4, &pre) && pre == INSN_SEMI_PRE &&
	    riscv_fetch(c, pc + 4, &post) && post == INSN_SEMI_POST) {
		st->semihost_pending = true;
		st->semihost_pc = pc;
		cpu_request_stop(c, CPU_RUN_RESTART);
		return true;
	}
	cause = at == INSN_EBREAK || at == 0x9002 /* c.ebreak */ ? EXCP_BREAKPOINT : EXCP_ILLEGAL;
	if (st->mfw) { /* the run ends after this hook: taken between runs */
		uint8_t priv = current_priv(c);
		bool to_m = to_m_mode(c, priv, cause);

		queue_trap_to(c, pc, cause, cause == EXCP_BREAKPOINT ? pc : at, priv, to_m);
		return true;
	}
	if (delegated(c, cause)) { /* the run ends after this hook: take it between runs */
		queue_trap(c, pc, cause, cause == EXCP_BREAKPOINT ? pc : at, current_priv(c) == 1);
		return true;
	}
	fault(c, pc, cause == EXCP_BREAKPOINT ? CPU_FAULT_BREAKPOINT : CPU_FAULT_UNDEF, cause, at);
	return true;
}

/*
 * A trap taken with Unicorn stopped (from U, after an EBREAK, or an access
 * Unicorn refused): the level switched to the handler's, then the entry.
 * The trapping instruction took its cycle.
 */
static void take_between_runs(struct cpu *c, uint64_t pc, uint64_t cause, uint64_t tval, uint8_t from, bool to_m,
			      uint64_t time)
{
	c->now = time + 1;
	if (to_m) {
		enter_m_trap(c, pc, cause, tval, from, time);
		return;
	}
	set_priv(c, 1, NULL);
	enter_s_trap(c, pc, cause, tval, from == 1, time);
}

/*
 * Guest firmware: an access Unicorn refused (no RAM or device there, paging
 * off or at M) is an access fault (privileged spec, "Physical Memory
 * Attributes" and the exception codes: 1 fetch, 5 load, 7 store/AMO; tval the
 * address), taken as any other exception, between runs.  Without guest
 * firmware it stays a guest fault.
 */
static bool riscv_mem_trap(struct cpu *c, const struct cpu_exit *e, bool write)
{
	uint64_t cause = e->fault.kind == CPU_FAULT_FETCH_ABORT ? 1 : write ? 7 : 5;
	uint8_t priv;

	if (!rv(c)->mfw)
		return false;
	priv = current_priv(c);
	take_between_runs(c, e->pc, cause, e->fault.addr, priv, to_m_mode(c, priv, cause), e->time);
	return true;
}

static int riscv_after_run(struct cpu *c)
{
	struct riscv_state *st = rv(c);
	struct cpu_exit e = { .kind = CPU_EXIT_SEMIHOST };

	if (va_window_after_run(c, &st->win))
		return CPU_RUN_RESTART;

	if (st->utrap_pending) {
		st->utrap_pending = false;
		take_between_runs(c, st->utrap_pc, st->utrap_cause, st->utrap_tval, st->utrap_from, st->utrap_to_m,
				  st->utrap_time);
		if (c->stop_requested && c->stop_reason > CPU_RUN_LIMIT)
			return c->stop_reason;
		return CPU_RUN_RESTART;
	}
	if (!st->semihost_pending)
		return CPU_RUN_NONE;
	st->semihost_pending = false;
	e.pc = st->semihost_pc;
	e.time = cpu_insn_time(c, e.pc);
	c->now = e.time + 1; /* the EBREAK retired; nothing after it ran */
	e.semihost.op = cpu_reg_get(c, UC_RISCV_REG_A0);
	e.semihost.param = cpu_reg_get(c, UC_RISCV_REG_A1);
	cpu_set_pc(c, e.pc + 4);
	if (c->on_exit(c->ctx, c, &e) == CPU_STOP) {
		cpu_reg_put(c, UC_RISCV_REG_A0, e.semihost.ret);
		return CPU_RUN_STOPPED;
	}
	cpu_reg_put(c, UC_RISCV_REG_A0, e.semihost.ret);
	if (c->stop_requested && c->stop_reason > CPU_RUN_LIMIT)
		return c->stop_reason;
	return CPU_RUN_RESTART;
}

static void riscv_before_run(struct cpu *c)
{
	struct riscv_state *st = rv(c);

	if (!st->mip_set && !st->mip_clear)
		return;
	write_mip(c, st->mip_set, st->mip_clear);
	st->mip_set = st->mip_clear = 0;
}

static int riscv_classify_return(struct cpu *c)
{
	uint32_t insn = 0;

	if (riscv_fetch(c, cpu_pc(c) - 4, &insn) && insn == INSN_WFI)
		return CPU_RUN_WFI;
	snprintf(c->err, sizeof(c->err), "emulation ended for no known reason");
	return CPU_RUN_ERROR;
}

static uint64_t riscv_insn_bytes(struct cpu *c, uint64_t pc, uint64_t n)
{
	uint64_t off = 0;

	while (n--)
		off += riscv_insn_len(c, pc + off);
	return off;
}

/* Instructions in [pc, pc+len): through a host pointer, else read from Unicorn. */
static uint64_t riscv_insn_count(struct cpu *c, uint64_t pc, uint64_t len)
{
	const uint8_t *p = (pc & 0xfff) + len <= 0x1000 ? riscv_va_ptr(c, pc, len) : cpu_host_ptr(c, pc, len);
	uint64_t off = 0, n = 0;

	if (p)
		return cpu_rvc_walk(p, len);
	while (off < len)
		off += riscv_insn_len(c, pc + off), n++;
	return n;
}

/* ---- the instruction behind a memory hook ------------------------------- */

static int64_t sext(uint64_t v, unsigned bits)
{
	return (int64_t)(v << (64 - bits)) >> (64 - bits);
}

/*
 * Decode a load or store (RV64GC / RV32GC): its base register, offset and
 * whether it reads and/or writes.  Return: false for any other instruction.
 */
static bool mem_insn(uint32_t insn, bool rv32, unsigned *rs1, int64_t *off, bool *rd, bool *wr, unsigned *width)
{
	unsigned f3 = (insn >> 13) & 7, q = insn & 3, op = insn & 0x7f, f5 = insn >> 27;
	bool word = false;

	*rd = *wr = false;
	if (q == 3) {
		*rs1 = (insn >> 15) & 31;
		*width = op == 0x2f ? ((insn >> 12) & 1 ? 8u : 4u) : 1u << ((insn >> 12) & 3);
		if (op == 0x03 || op == 0x07) {
			*off = sext(insn >> 20, 12);
			return *rd = true;
		}
		if (op == 0x23 || op == 0x27) {
			*off = sext(((insn >> 25) << 5) | ((insn >> 7) & 31), 12);
			return *wr = true;
		}
		if (op == 0x2f) { /* AMO: LR reads, SC writes, the rest do both */
			*off = 0;
			*rd = f5 != 3;
			*wr = f5 != 2;
			return true;
		}
		return false;
	}
	insn &= 0xffff;
	word = f3 == 2 || f3 == 6 || (rv32 && (f3 == 3 || f3 == 7));
	*width = word ? 4 : 8;
	if (q == 0 && f3 != 0 && f3 != 4) { /* c.fld c.lw c.ld/c.flw, c.fsd c.sw c.sd/c.fsw */
		*rs1 = ((insn >> 7) & 7) + 8;
		*off = ((insn >> 10) & 7) << 3;
		*off |= word ? ((insn >> 6) & 1) << 2 | ((insn >> 5) & 1) << 6 : ((insn >> 5) & 3) << 6;
		*rd = f3 < 4;
		*wr = f3 > 4;
		return true;
	}
	if (q == 2 && f3 != 0 && f3 != 4) { /* the sp-relative forms */
		*rs1 = 2;
		if (f3 < 4)
			*off = ((insn >> 12) & 1) << 5 |
			       (word ? ((insn >> 4) & 7) << 2 | ((insn >> 2) & 3) << 6
				     : ((insn >> 5) & 3) << 3 | ((insn >> 2) & 7) << 6);
		else
			*off = word ? ((insn >> 9) & 15) << 2 | ((insn >> 7) & 3) << 6
				    : ((insn >> 10) & 7) << 3 | ((insn >> 7) & 7) << 6;
		*rd = f3 < 4;
		*wr = f3 > 4;
		return true;
	}
	return false;
}

/*
 * Unicorn 2.0.1's riscv target does not sync PC before a memory hook (it
 * reads as the block's start).  Find the instruction instead: walk the
 * block from where the last hook of this block matched, and take the first
 * load or store of the right direction whose address, from the registers
 * as they are now, is @addr.  The hook fires before the access, so the base
 * register still holds the value the instruction used.
 */
static uint64_t riscv_access_pc(struct cpu *c, uint64_t addr, bool write)
{
	struct riscv_state *st = rv(c);
	bool rv32 = c->arch == CPU_RISCV32;
	uint64_t pc = st->acc_blk_now == c->blk_now && st->acc_blk_pc == c->blk_pc ? st->acc_next : c->blk_pc;

	for (; pc < c->blk_end; pc += riscv_insn_len(c, pc)) {
		uint32_t insn = 0;
		unsigned rs1, width = 0;
		int64_t off;
		bool rd, wr;
		uint64_t ea;

		if (!riscv_fetch(c, pc, &insn))
			break;
		if (!mem_insn(insn, rv32, &rs1, &off, &rd, &wr, &width) || !(write ? wr : rd))
			continue;
		ea = (rs1 ? cpu_reg_get(c, UC_RISCV_REG_X0 + (int)rs1) : 0) + (uint64_t)off;
		if (rv32)
			ea &= 0xffffffffu;
		if (addr - ea >= width) /* a device access of 8 bytes arrives as two halves */
			continue;
		st->acc_blk_now = c->blk_now;
		st->acc_blk_pc = c->blk_pc;
		/* an AMO's store follows its load, a split access's second half its first: look again */
		st->acc_next = (rd && wr && !write) || (addr == ea && width == 8) ? pc : pc + riscv_insn_len(c, pc);
		return pc;
	}
	return cpu_pc(c);
}

static int riscv_irq_set(struct cpu *c, unsigned line, bool level)
{
	struct riscv_state *st = rv(c);
	uint64_t bit = 1ull << line;

	if (line >= 64 || !(bit & (st->mfw ? MIP_S_ALL | MIP_M_ALL : MIP_S_ALL)))
		return -1;
	c->irq_lines = level ? (c->irq_lines | bit) : (c->irq_lines & ~bit);
	if (c->running && c->in_device) {
		/*
		 * A device store changed the level (a CLINT register).  Stopping
		 * Unicorn inside a device callback restarts the block from its
		 * start with the instructions before the store already done, so
		 * the level goes into mip here: the saved context is written back
		 * unchanged but for mip, and the CSR write makes QEMU look at the
		 * pending set at the next block, as it would for a guest write.
		 */
		write_mip(c, level ? bit : 0, level ? 0 : bit);
		return 0;
	}
	if (c->running) {
		st->mip_set = level ? (st->mip_set | bit) : (st->mip_set & ~bit);
		st->mip_clear = level ? (st->mip_clear & ~bit) : (st->mip_clear | bit);
		cpu_request_stop(c, CPU_RUN_RESTART);
		return 0;
	}
	write_mip(c, level ? bit : 0, level ? 0 : bit);
	return 0;
}

/*
 * An SFENCE.VMA on the vCPU's behalf (SBI RFENCE): a satp write that changes
 * the ASID makes Unicorn drop its TLB; written back, it drops it again.  A
 * host satp write needs S-mode, so a vCPU stopped in U-mode is switched to
 * S and back.  The code pages riscv_va_ptr() cached go too.
 */
static void riscv_tlb_flush(struct cpu *c)
{
	struct riscv_state *st = rv(c);
	uint8_t priv = current_priv(c);
	uint64_t satp;

	memset(st->tlb, 0, sizeof(st->tlb));
	if (priv != 1)
		set_priv(c, 1, NULL);
	satp = cpu_reg_get(c, UC_RISCV_REG_SATP);
	cpu_reg_put(c, UC_RISCV_REG_SATP, satp ^ (c->arch == CPU_RISCV32 ? 1ull << 22 : 1ull << 44)); /* an ASID bit */
	cpu_reg_put(c, UC_RISCV_REG_SATP, satp);
	if (priv != 1)
		set_priv(c, priv, NULL);
}

/*
 * WFI wakes when an interrupt is pending and enabled in sie (with guest
 * firmware: in mie), whatever the global enables say.
 */
static bool riscv_irq_pending(struct cpu *c)
{
	if (rv(c)->mfw) {
		uint8_t old;
		uint64_t pending;

		set_priv(c, 3, &old); /* mip and mie are M's: read both at one switch */
		pending = cpu_reg_get(c, UC_RISCV_REG_MIP) & cpu_reg_get(c, UC_RISCV_REG_MIE);
		if (old != 3)
			set_priv(c, old, NULL);
		return pending != 0 || rv(c)->mip_set != 0;
	}
	return (cpu_reg_get(c, UC_RISCV_REG_SIP) & cpu_reg_get(c, UC_RISCV_REG_SIE)) != 0 ||
	       rv(c)->mip_set != 0;
}

static int riscv_init(struct cpu *c)
{
	struct riscv_state *st = calloc(1, sizeof(*st));
	uc_engine *uc = cpu_uc(c);

	if (!st)
		return -1;
	cpu_set_arch_state(c, st);
	if (uc_context_alloc(uc, &st->ctx) != UC_ERR_OK ||
	    uc_hook_add(uc, &st->intr_hook, UC_HOOK_INTR, (void *)hook_intr, c, 1, 0) != UC_ERR_OK ||
	    uc_hook_add(uc, &st->invalid_hook, UC_HOOK_INSN_INVALID, (void *)hook_invalid, c, 1, 0) != UC_ERR_OK) {
		snprintf(c->err, sizeof(c->err), "cannot install %s hooks", cpu_arch_name(c->arch));
		return -1;
	}
	return 0;
}

static void riscv_destroy(struct cpu *c)
{
	if (rv(c)->ctx)
		uc_context_free(rv(c)->ctx);
}

#define X(n) { "x" #n, UC_RISCV_REG_X##n }
#define A(name, n) { name, UC_RISCV_REG_X##n }
static const struct cpu_reg_name riscv_regs[] = {
	X(0), X(1), X(2), X(3), X(4), X(5), X(6), X(7), X(8), X(9), X(10), X(11), X(12), X(13), X(14),
	X(15), X(16), X(17), X(18), X(19), X(20), X(21), X(22), X(23), X(24), X(25), X(26), X(27),
	X(28), X(29), X(30), X(31),
	A("zero", 0), A("ra", 1), A("sp", 2), A("gp", 3), A("tp", 4), A("t0", 5), A("t1", 6), A("t2", 7),
	A("s0", 8), A("fp", 8), A("s1", 9), A("a0", 10), A("a1", 11), A("a2", 12), A("a3", 13),
	A("a4", 14), A("a5", 15), A("a6", 16), A("a7", 17), A("s2", 18), A("s3", 19), A("s4", 20),
	A("s5", 21), A("s6", 22), A("s7", 23), A("s8", 24), A("s9", 25), A("s10", 26), A("s11", 27),
	A("t3", 28), A("t4", 29), A("t5", 30), A("t6", 31),
	{ "pc", UC_RISCV_REG_PC }, { "sstatus", UC_RISCV_REG_SSTATUS }, { "sie", UC_RISCV_REG_SIE },
	{ "sip", UC_RISCV_REG_SIP }, { "stvec", UC_RISCV_REG_STVEC }, { "sepc", UC_RISCV_REG_SEPC },
	{ "scause", UC_RISCV_REG_SCAUSE }, { "stval", UC_RISCV_REG_STVAL },
	{ "sscratch", UC_RISCV_REG_SSCRATCH }, { "satp", UC_RISCV_REG_SATP },
	{ NULL, 0 }
};
#undef X
#undef A

static int riscv_current_level(struct cpu *c)
{
	return current_priv(c);
}

static uint64_t riscv_enables(struct cpu *c)
{
	return (cpu_reg_get(c, UC_RISCV_REG_SIE) & 0x7fff) | ((cpu_reg_get(c, UC_RISCV_REG_SSTATUS) >> 1) & 1) << 15;
}

#define RISCV_OPS(mode)                                                                            \
	{                                                                                          \
		.uc_arch = UC_ARCH_RISCV, .uc_mode = (mode), .pc_reg = UC_RISCV_REG_PC,            \
		.init = riscv_init, .destroy = riscv_destroy, .boot = riscv_boot,                  \
		.before_run = riscv_before_run, .after_run = riscv_after_run,                      \
		.classify_return = riscv_classify_return, .irq_set = riscv_irq_set,                \
		.insn_bytes = riscv_insn_bytes, .insn_count = riscv_insn_count,                    \
		.irq_pending = riscv_irq_pending, .regs = riscv_regs, .access_pc = riscv_access_pc,    \
		.unmapped = riscv_va_unmapped, .va_windows = riscv_va_windows, .tlb_flush = riscv_tlb_flush, .code_ptr = riscv_va_ptr, \
		.current_level = riscv_current_level, .enables = riscv_enables, .mem_trap = riscv_mem_trap, \
	}

const struct cpu_arch_ops cpu_riscv64_ops = RISCV_OPS(UC_MODE_RISCV64);
const struct cpu_arch_ops cpu_riscv32_ops = RISCV_OPS(UC_MODE_RISCV32);
