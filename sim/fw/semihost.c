/* SPDX-License-Identifier: MIT */
/*
 * Semihosting (Arm "Semihosting for AArch32 and AArch64" v3; the RISC-V
 * semihosting spec reuses it with XLEN-sized fields).  Operation in w0/a0,
 * parameter (usually a pointer to a block of XLEN-sized fields: 8 bytes,
 * 4 on riscv32) in x1/a1, result in x0/a0.  Console output goes to the machine's console; clocks report
 * virtual time, never host time.
 *
 * SYS_EXIT on a 64-bit target takes a pointer to {reason, subcode}:
 * ADP_Stopped_ApplicationExit exits with the subcode, any other reason with
 * 1 (QEMU does the same).  On riscv32 SYS_EXIT takes the reason itself
 * (ApplicationExit exits 0); SYS_EXIT_EXTENDED takes the {reason, subcode}
 * block on both.  Unknown operations return -1.
 */
#include <string.h>

#include "binding.h"
#include "firmware.h"

extern const struct model_binding semihost_binding;

static const char *op_name(uint64_t op)
{
	switch (op) {
	case SEMI_SYS_WRITEC: return "SYS_WRITEC";
	case SEMI_SYS_WRITE0: return "SYS_WRITE0";
	case SEMI_SYS_WRITE: return "SYS_WRITE";
	case SEMI_SYS_CLOCK: return "SYS_CLOCK";
	case SEMI_SYS_TIME: return "SYS_TIME";
	case SEMI_SYS_ERRNO: return "SYS_ERRNO";
	case SEMI_SYS_EXIT: return "SYS_EXIT";
	case SEMI_SYS_EXIT_EXTENDED: return "SYS_EXIT_EXTENDED";
	case SEMI_SYS_ELAPSED: return "SYS_ELAPSED";
	case SEMI_SYS_TICKFREQ: return "SYS_TICKFREQ";
	}
	return "unsupported";
}

/* Parameter blocks hold XLEN-sized fields: 4 bytes on riscv32, else 8; big-endian on s390x. */
static bool read_fields(struct machine *m, uint64_t addr, uint64_t *f, size_t n)
{
	uint32_t w[3];
	size_t i;

	if (cpu_arch_info(m->cfg.arch)->big_endian) {
		if (machine_mem_read(m, addr, f, n * sizeof(*f)) != 0)
			return false;
		for (i = 0; i < n; i++)
			f[i] = __builtin_bswap64(f[i]);
		return true;
	}
	if (cpu_arch_info(m->cfg.arch)->xlen == 8)
		return machine_mem_read(m, addr, f, n * sizeof(*f)) == 0;
	if (machine_mem_read(m, addr, w, n * sizeof(*w)) != 0)
		return false;
	for (i = 0; i < n; i++)
		f[i] = w[i];
	return true;
}

/* SYS_WRITE0: a NUL-terminated string, bounded by the RAM region it is in. */
static uint64_t write0(struct machine *m, uint64_t addr)
{
	size_t len = 0;
	uint8_t *p = machine_mem_ptr(m, addr, 1);

	if (!p)
		return (uint64_t)-1;
	while (machine_mem_ptr(m, addr + len, 1) && p[len])
		len++;
	machine_console_put(m, (const char *)p, len);
	return 0;
}

static uint64_t do_op(struct machine *m, struct vcpu *v, struct cpu_exit *e, bool *stop)
{
	uint64_t f[3];
	uint8_t *p;

	switch (e->semihost.op) {
	case SEMI_SYS_WRITEC:
		p = machine_mem_ptr(m, e->semihost.param, 1);
		if (!p)
			return (uint64_t)-1;
		machine_console_put(m, (const char *)p, 1);
		return 0;
	case SEMI_SYS_WRITE0:
		return write0(m, e->semihost.param);
	case SEMI_SYS_WRITE: /* {fd, buffer, length}; returns bytes NOT written */
		if (!read_fields(m, e->semihost.param, f, 3) || !(p = machine_mem_ptr(m, f[1], f[2])))
			return (uint64_t)-1;
		if (f[0] != 1 && f[0] != 2)
			return f[2];
		machine_console_put(m, (const char *)p, f[2]);
		return 0;
	case SEMI_SYS_CLOCK: /* centiseconds */
		return vclock_ns(&m->clk, e->time) / 10000000u;
	case SEMI_SYS_TIME:
		return vclock_ns(&m->clk, e->time) / 1000000000u;
	case SEMI_SYS_ERRNO:
		return 0;
	case SEMI_SYS_ELAPSED: /* {low, high} 64-bit tick count into the block */
		f[0] = cpu_arch_info(m->cfg.arch)->big_endian ? __builtin_bswap64(e->time) : e->time;
		return machine_mem_write(m, e->semihost.param, f, 8) == 0 ? 0 : (uint64_t)-1;
	case SEMI_SYS_TICKFREQ:
		return m->clk.cpu_hz;
	case SEMI_SYS_EXIT:
	case SEMI_SYS_EXIT_EXTENDED:
		if (e->semihost.op == SEMI_SYS_EXIT && cpu_arch_info(m->cfg.arch)->xlen == 4) {
			/* 32-bit SYS_EXIT: the reason itself, no exit code */
			f[0] = e->semihost.param;
			f[1] = 0;
		} else if (!read_fields(m, e->semihost.param, f, 2)) {
			return (uint64_t)-1;
		}
		machine_exit(m, v, e->pc, e->time,
			     f[0] == SEMI_ADP_STOPPED_APPLICATION_EXIT ? (int64_t)f[1] : 1, "semihosting");
		*stop = true;
		return 0;
	}
	return (uint64_t)-1;
}

enum cpu_action semihost_call(struct machine *m, struct vcpu *v, struct cpu_exit *e)
{
	bool stop = false;

	e->semihost.ret = do_op(m, v, e, &stop);
	if (machine_count(m, EV_SEMIHOST)) {
		struct tline l;

		tl_begin(&l, EV_SEMIHOST, e->time, v->cpu.index, e->pc);
		tl_str(&l, "op", op_name(e->semihost.op));
		tl_hex(&l, "param", e->semihost.param);
		tl_hex(&l, "ret", e->semihost.ret);
		machine_trace(m, &l, e->pc);
	}
	return stop ? CPU_STOP : CPU_RESUME;
}

static int semihost_attach(struct machine *m)
{
	machine_attach_stateless(m, &semihost_binding);
	return 0;
}

/* Semihosting on every architecture (guest output, exit, time). */
const struct model_binding semihost_binding = {
	.name = "semihost",
	.attach = semihost_attach,
	.exits = 1u << CPU_EXIT_SEMIHOST,
	.on_exit = semihost_call,
};
