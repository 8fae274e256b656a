/* SPDX-License-Identifier: MIT */
/*
 * s390x adapter.  The guest runs in supervisor state with 64-bit addressing
 * and DAT off; the firmware (SIC) and semihosting are the simulator.
 *
 * Unicorn 2.0.1 facts used here (measured; docs/unicorn.md keeps the list):
 *   - SIC (0xEB..0xD1, RSY-a) decodes as a silent no-op: no FLIC, no IIB
 *     access, no CC.  UC_HOOK_INSN and UC_HOOK_INSN_INVALID never fire on
 *     s390x; only UC_HOOK_CODE sees the instruction.  So a code hook over all
 *     of memory looks at the first byte of every instruction; on SIC it
 *     reports a CPU_EXIT_SIC, stops Unicorn (a stop requested in a code hook
 *     keeps the instruction from executing) and the run resumes at PC + 6
 *     with the condition code the owner chose written into the PSW mask.
 *   - Inside a hook the PC register reads the start of the translated block,
 *     not the instruction: the code hook keeps the current instruction's
 *     address for memory hooks and faults.
 *   - In problem state the code hook still sees SIC and DIAGNOSE before
 *     Unicorn's privilege check would raise (re-measured: an earlier
 *     measurement without a code hook saw only the exception), so the hook
 *     raises the privileged-operation exception (PGM 0x0002) itself.
 *   - A program interruption (privileged operation in problem state, an
 *     unknown opcode, a specification error) reaches the INTR hook as intno
 *     3 (EXCP_PGM) with PC at the instruction; the interruption code is not
 *     readable, so it is reported as CPU_FAULT_OTHER (CPU_FAULT_UNDEF for
 *     opcodes the table below does not know).
 *   - Semihosting: hypsim's own convention, `diag %rX,%rY,0xf00` (DIAGNOSE
 *     with base 0, displacement 0xF00): the operation in rX, the parameter in
 *     rY, the result back in rX (docs/guest-abi.md).  It is caught by the
 *     same code hook, so Unicorn never executes the DIAGNOSE.
 * Instruction lengths come from the first byte's two high bits (00: 2,
 * 01/10: 4, 11: 6 bytes), so blocks are counted by walking them like riscv's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu_internal.h"

#define EXCP_PGM 3
#define PSW_MASK_WAIT (1ull << 49)   /* bit 14 */
#define PSW_MASK_EA (1ull << 32)     /* bit 31 */
#define PSW_MASK_BA (1ull << 31)     /* bit 32 */
#define PSW_CC_SHIFT 44              /* bits 18-19 */
#define PSW_MASK_PSTATE (1ull << 48) /* bit 15: problem state */
#define SEMIHOST_DISP 0xf00
#define PGM_PRIVILEGED 0x0002

struct s390x_state {
	uc_hook code_hook, intr_hook;
	uint64_t cur_pc;   /* the instruction the code hook saw last */
	int pending_cc;    /* -1: none; else written into the PSW once Unicorn stops */
};

static unsigned insn_len(uint8_t first)
{
	return (first >> 6) == 0 ? 2 : (first >> 6) == 3 ? 6 : 4;
}

uint64_t cpu_s390x_walk(const uint8_t *p, uint64_t size)
{
	uint64_t off = 0, n = 0;

	while (off < size) {
		off += insn_len(p[off]);
		n++;
	}
	return n;
}

static struct s390x_state *state(struct cpu *c)
{
	return cpu_arch_state(c);
}

static uint64_t gpr(struct cpu *c, unsigned r)
{
	return cpu_reg_get(c, UC_S390X_REG_R0 + (int)r);
}

/* A program interruption at @pc (the instruction does not retire). */
static void pgm_fault(struct cpu *c, uint64_t pc, const uint8_t *b, uint16_t code, uint64_t addr)
{
	struct cpu_exit e = { .pc = pc };

	e.time = cpu_insn_time(c, pc);
	e.fault.kind = CPU_FAULT_OTHER;
	e.fault.syndrome = code;
	e.fault.addr = addr;
	e.fault.insn = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	cpu_report_fault(c, &e);
}

static bool problem_state(struct cpu *c)
{
	return cpu_reg_get(c, UC_S390X_REG_PSWM) & PSW_MASK_PSTATE;
}

/* SIC R1,R3,D2(B2) (RSY-a): the firmware call KVM's kvm_s390_pci_aen_init() makes (docs/architecture.md). */
static void do_sic(struct cpu *c, uint64_t pc, const uint8_t *b)
{
	struct cpu_exit e = { .kind = CPU_EXIT_SIC, .pc = pc };
	unsigned r1 = b[1] >> 4, r3 = b[1] & 15, b2 = b[2] >> 4;
	int32_t disp = (int32_t)(((uint32_t)(b[2] & 15) << 8 | b[3]) | ((uint32_t)b[4] << 12));
	enum cpu_action a;

	if (disp & 0x80000)
		disp -= 0x100000; /* DH2:DL2 is a signed 20-bit displacement */
	if (problem_state(c)) {
		pgm_fault(c, pc, b, PGM_PRIVILEGED, pc);
		return;
	}
	e.time = cpu_insn_time(c, pc);
	e.sic.r1 = gpr(c, r1);
	e.sic.r3 = gpr(c, r3);
	e.sic.addr = (b2 ? gpr(c, b2) : 0) + (uint64_t)(int64_t)disp;
	a = c->on_exit(c->ctx, c, &e);
	if (e.sic.pgm) {
		pgm_fault(c, pc, b, e.sic.pgm, e.sic.addr);
		return;
	}
	c->now = e.time + 1;
	state(c)->pending_cc = e.sic.cc & 3;
	cpu_request_stop_at(c, a == CPU_STOP ? CPU_RUN_STOPPED : CPU_RUN_RESTART, pc + 6);
}

/* DIAG rX,rY,0xf00: hypsim semihosting. */
static void do_semihost(struct cpu *c, uint64_t pc, const uint8_t *b)
{
	struct cpu_exit e = { .kind = CPU_EXIT_SEMIHOST, .pc = pc };
	unsigned rx = b[1] >> 4, ry = b[1] & 15;
	enum cpu_action a;

	if (problem_state(c)) {
		pgm_fault(c, pc, b, PGM_PRIVILEGED, pc);
		return;
	}
	e.time = cpu_insn_time(c, pc);
	e.semihost.op = gpr(c, rx) & 0xffffffffu;
	e.semihost.param = gpr(c, ry);
	a = c->on_exit(c->ctx, c, &e);
	cpu_reg_put(c, UC_S390X_REG_R0 + (int)rx, e.semihost.ret);
	c->now = e.time + 1;
	cpu_request_stop_at(c, a == CPU_STOP ? CPU_RUN_STOPPED : CPU_RUN_RESTART, pc + 4);
}

static void hook_code(uc_engine *uc, uint64_t addr, uint32_t size, void *user)
{
	struct cpu *c = user;
	const uint8_t *b;

	(void)uc;
	state(c)->cur_pc = addr;
	if (c->stop_requested)
		return; /* the clock stopped before this block; nothing in it runs */
	b = cpu_host_ptr(c, addr, size);
	if (!b)
		return;
	if (size == 6 && b[0] == 0xeb && b[5] == 0xd1)
		do_sic(c, addr, b);
	else if (size == 4 && b[0] == 0x83 && (b[2] >> 4) == 0 && ((b[2] & 15) << 8 | b[3]) == SEMIHOST_DISP)
		do_semihost(c, addr, b);
}

static void hook_intr(uc_engine *uc, uint32_t intno, void *user)
{
	struct cpu *c = user;
	struct cpu_exit e = { 0 };
	uint64_t pc = 0;
	uint8_t b[6] = { 0 };

	uc_reg_read(uc, UC_S390X_REG_PC, &pc);
	e.pc = pc;
	e.time = cpu_insn_time(c, pc);
	e.fault.kind = CPU_FAULT_OTHER;
	e.fault.syndrome = intno; /* 3: a program interruption (EXCP_PGM) */
	e.fault.addr = pc;
	if (uc_mem_read(uc, pc, b, 4) == UC_ERR_OK)
		e.fault.insn = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	cpu_report_fault(c, &e);
}

static int s390x_init(struct cpu *c)
{
	struct s390x_state *st = calloc(1, sizeof(*st));
	uc_engine *uc = cpu_uc(c);

	if (!st)
		return -1;
	st->pending_cc = -1;
	cpu_set_arch_state(c, st);
	if (uc_hook_add(uc, &st->code_hook, UC_HOOK_CODE, (void *)hook_code, c, 1, 0) != UC_ERR_OK ||
	    uc_hook_add(uc, &st->intr_hook, UC_HOOK_INTR, (void *)hook_intr, c, 1, 0) != UC_ERR_OK) {
		snprintf(c->err, sizeof(c->err), "cannot install s390x hooks");
		return -1;
	}
	return 0;
}

static void s390x_destroy(struct cpu *c)
{
	(void)c;
}

/* Supervisor state, DAT off, 64-bit addressing, CC 0; r2 = @arg0 (the first argument register). */
static int s390x_boot(struct cpu *c, uint64_t entry, uint64_t arg0)
{
	cpu_reg_put(c, UC_S390X_REG_PSWM, PSW_MASK_EA | PSW_MASK_BA);
	cpu_reg_put(c, UC_S390X_REG_R2, arg0);
	if (cpu_set_pc(c, entry) < 0) {
		snprintf(c->err, sizeof(c->err), "cannot set the s390x PSW");
		return -1;
	}
	c->now = 0;
	return 0;
}

static void s390x_before_run(struct cpu *c)
{
	(void)c;
}

static int s390x_after_run(struct cpu *c)
{
	struct s390x_state *st = state(c);

	if (st->pending_cc >= 0) {
		uint64_t m = cpu_reg_get(c, UC_S390X_REG_PSWM);

		m = (m & ~(3ull << PSW_CC_SHIFT)) | (uint64_t)st->pending_cc << PSW_CC_SHIFT;
		cpu_reg_put(c, UC_S390X_REG_PSWM, m);
		st->pending_cc = -1;
	}
	return CPU_RUN_NONE;
}

static int s390x_classify_return(struct cpu *c)
{
	if (cpu_reg_get(c, UC_S390X_REG_PSWM) & PSW_MASK_WAIT)
		return CPU_RUN_WFI;
	snprintf(c->err, sizeof(c->err), "emulation ended for no known reason");
	return CPU_RUN_ERROR;
}

static uint64_t s390x_insn_bytes(struct cpu *c, uint64_t pc, uint64_t n)
{
	uint64_t off = 0;

	for (uint64_t i = 0; i < n; i++) {
		const uint8_t *p = cpu_host_ptr(c, pc + off, 1);

		off += p ? insn_len(*p) : 2;
	}
	return off;
}

static uint64_t s390x_insn_count(struct cpu *c, uint64_t pc, uint64_t len)
{
	const uint8_t *p = cpu_host_ptr(c, pc, len);

	return p ? cpu_s390x_walk(p, len) : len / 4;
}

static int s390x_irq_set(struct cpu *c, unsigned line, bool level)
{
	(void)c;
	(void)line;
	(void)level;
	return -1; /* no interrupt is modelled on s390x */
}

static bool s390x_irq_pending(struct cpu *c)
{
	(void)c;
	return false;
}

static uint64_t s390x_access_pc(struct cpu *c, uint64_t addr, bool write)
{
	(void)addr;
	(void)write;
	return state(c)->cur_pc;
}

#define R(n) { "r" #n, UC_S390X_REG_R##n }
static const struct cpu_reg_name s390x_regs[] = {
	R(0), R(1), R(2), R(3), R(4), R(5), R(6), R(7), R(8), R(9), R(10), R(11), R(12), R(13), R(14), R(15),
	{ "pc", UC_S390X_REG_PC }, { "pswm", UC_S390X_REG_PSWM }, { NULL, 0 }
};
#undef R

const struct cpu_arch_ops cpu_s390x_ops = {
	.uc_arch = UC_ARCH_S390X,
	.uc_mode = UC_MODE_BIG_ENDIAN,
	.pc_reg = UC_S390X_REG_PC,
	.init = s390x_init,
	.destroy = s390x_destroy,
	.boot = s390x_boot,
	.before_run = s390x_before_run,
	.after_run = s390x_after_run,
	.classify_return = s390x_classify_return,
	.irq_set = s390x_irq_set,
	.insn_bytes = s390x_insn_bytes,
	.insn_count = s390x_insn_count,
	.irq_pending = s390x_irq_pending,
	.access_pc = s390x_access_pc,
	.regs = s390x_regs,
};
