/* SPDX-License-Identifier: MIT */
/*
 * The riscv64 M-mode firmware's SBI, for ECALL from S-mode: a7 extension id,
 * a6 function id, a0-a5 arguments; returns a0 = error, a1 = value.
 *
 * Implemented: Base (0x10), legacy console putchar (0x01) / getchar (0x02) /
 * shutdown (0x08), Debug Console "DBCN", System Reset "SRST", Hart State
 * Management "HSM" (start, stop, get_status: power_fw.c), and hypsim's
 * vendor extension 0x09000000 (FID 0: lower an injected interrupt line).
 * Everything else returns SBI_ERR_NOT_SUPPORTED.
 */
#include <inttypes.h>

#include "binding.h"
#include "firmware.h"

extern const struct model_binding sbi_binding;

struct sbi_ret {
	int64_t error;
	uint64_t value;
};

static bool extension_present(uint64_t eid)
{
	switch (eid) {
	case SBI_EXT_BASE:
	case SBI_EXT_LEGACY_PUTCHAR:
	case SBI_EXT_LEGACY_GETCHAR:
	case SBI_EXT_LEGACY_SHUTDOWN:
	case SBI_EXT_DBCN:
	case SBI_EXT_SRST:
	case SBI_EXT_HSM:
	case SBI_EXT_TIME:
	case SBI_EXT_IPI:
	case SBI_EXT_RFENCE:
	case SBI_EXT_HYPSIM:
		return true;
	}
	return false;
}

static struct sbi_ret sbi_base(uint64_t fid, const uint64_t *a)
{
	switch (fid) {
	case 0: return (struct sbi_ret){ SBI_SUCCESS, SBI_SPEC_VERSION };
	case 1: return (struct sbi_ret){ SBI_SUCCESS, SBI_IMPL_ID_HYPSIM };
	case 2: return (struct sbi_ret){ SBI_SUCCESS, 1 }; /* implementation version */
	case 3: return (struct sbi_ret){ SBI_SUCCESS, extension_present(a[0]) };
	case 4: /* mvendorid */
	case 5: /* marchid */
	case 6: /* mimpid */
		return (struct sbi_ret){ SBI_SUCCESS, 0 };
	}
	return (struct sbi_ret){ SBI_ERR_NOT_SUPPORTED, 0 };
}

/* DBCN write: a0 = byte count, a1/a2 = physical address low/high. */
static struct sbi_ret sbi_dbcn(struct machine *m, uint64_t fid, const uint64_t *a)
{
	uint8_t *p;

	switch (fid) {
	case 0:
		p = machine_mem_ptr(m, a[1], a[0]);
		if (a[2] != 0 || !p)
			return (struct sbi_ret){ SBI_ERR_INVALID_PARAM, 0 };
		machine_console_put(m, (const char *)p, a[0]);
		return (struct sbi_ret){ SBI_SUCCESS, a[0] };
	case 2: {
		char ch = (char)a[0];

		machine_console_put(m, &ch, 1);
		return (struct sbi_ret){ SBI_SUCCESS, 0 };
	}
	}
	return (struct sbi_ret){ SBI_ERR_NOT_SUPPORTED, 0 };
}

/*
 * The harts a hart mask names (SBI spec, "Hart list parameter"): bit i of
 * @mask is hart @base + i; @base = -1 means every hart.  Return: false when
 * a named hart does not exist.
 */
static bool hart_mask(const struct machine *m, uint64_t mask, uint64_t base, bool *out)
{
	int h, i;

	for (h = 0; h < m->cfg.nvcpus; h++)
		out[h] = base == UINT64_MAX;
	if (base == UINT64_MAX)
		return true;
	for (i = 0; i < 64; i++) {
		if (!((mask >> i) & 1))
			continue;
		if (base >= (uint64_t)m->cfg.nvcpus || (uint64_t)i >= (uint64_t)m->cfg.nvcpus - base)
			return false;
		out[base + (uint64_t)i] = true;
	}
	return true;
}

/* IPI send_ipi: SSIP on each named hart, one cycle after the call; RFENCE: their instruction fetch or TLBs. */
/*
 * remote_fence_i drops the other named harts' translated blocks: each hart is
 * its own Unicorn instance, which sees only its own stores to code.  The
 * caller's own stores are current in its instance (dropping its blocks too
 * cost a quarter of a Linux boot's host time for nothing).
 */
static struct sbi_ret sbi_harts(struct machine *m, const struct vcpu *v, const struct cpu_exit *e, uint64_t eid,
				uint64_t fid)
{
	bool on[MACHINE_MAX_VCPUS];
	int h;

	if ((eid == SBI_EXT_IPI && fid != 0) || (eid == SBI_EXT_RFENCE && fid > 2))
		return (struct sbi_ret){ SBI_ERR_NOT_SUPPORTED, 0 };
	if (!hart_mask(m, e->hcall.a[0], e->hcall.a[1], on))
		return (struct sbi_ret){ SBI_ERR_INVALID_PARAM, 0 };
	for (h = 0; h < m->cfg.nvcpus; h++) {
		if (!on[h])
			continue;
		if (eid == SBI_EXT_IPI)
			machine_schedule_irq(m, h, 1, true, e->time + 1);
		else if (fid != 0)
			cpu_tlb_flush(&m->vcpus[h].cpu);
		else if (h != v->cpu.index)
			cpu_code_sync(&m->vcpus[h].cpu);
	}
	return (struct sbi_ret){ SBI_SUCCESS, 0 };
}

static struct sbi_ret sbi_call(struct machine *m, struct vcpu *v, struct cpu_exit *e, bool *stop)
{
	const uint64_t *a = e->hcall.a;
	uint64_t eid = a[7], fid = a[6];
	char ch;

	switch (eid) {
	case SBI_EXT_BASE:
		return sbi_base(fid, a);
	case SBI_EXT_LEGACY_PUTCHAR:
		ch = (char)a[0];
		machine_console_put(m, &ch, 1);
		return (struct sbi_ret){ 0, 0 };
	case SBI_EXT_LEGACY_GETCHAR:
		return (struct sbi_ret){ -1, 0 };
	case SBI_EXT_LEGACY_SHUTDOWN:
		machine_exit(m, v, e->pc, e->time, 0, "sbi-shutdown");
		*stop = true;
		return (struct sbi_ret){ 0, 0 };
	case SBI_EXT_DBCN:
		return sbi_dbcn(m, fid, a);
	case SBI_EXT_SRST:
		if (fid != 0)
			return (struct sbi_ret){ SBI_ERR_NOT_SUPPORTED, 0 };
		if (a[0] > 2 || a[1] > 1)
			return (struct sbi_ret){ SBI_ERR_INVALID_PARAM, 0 };
		machine_exit(m, v, e->pc, e->time, (int64_t)a[1], a[0] == 0 ? "sbi-shutdown" : "sbi-reboot");
		*stop = true;
		return (struct sbi_ret){ SBI_SUCCESS, 0 };
	case SBI_EXT_HSM: {
		struct sbi_ret r = { 0, 0 };

		r.error = sbi_hsm(m, v, e, &r.value, stop);
		return r;
	}
	case SBI_EXT_TIME:
		if (fid != 0)
			return (struct sbi_ret){ SBI_ERR_NOT_SUPPORTED, 0 };
		sstc_fw_set_timer(m, v, a[0], e->time + 1);
		return (struct sbi_ret){ SBI_SUCCESS, 0 };
	case SBI_EXT_IPI:
	case SBI_EXT_RFENCE:
		return sbi_harts(m, v, e, eid, fid);
	case SBI_EXT_HYPSIM:
		if (fid != 0 || machine_irq_set(m, v, (unsigned)a[0], false, e->time + 1) < 0)
			return (struct sbi_ret){ SBI_ERR_INVALID_PARAM, 0 };
		return (struct sbi_ret){ SBI_SUCCESS, 0 };
	}
	return (struct sbi_ret){ SBI_ERR_NOT_SUPPORTED, 0 };
}

enum cpu_action sbi_dispatch(struct machine *m, struct vcpu *v, struct cpu_exit *e)
{
	bool stop = false;
	struct sbi_ret r = sbi_call(m, v, e, &stop);

	e->hcall.ret[0] = (uint64_t)r.error;
	e->hcall.ret[1] = r.value;
	if (machine_count(m, EV_SBI)) {
		struct tline l;

		tl_begin(&l, EV_SBI, e->time, v->cpu.index, e->pc);
		tl_hex(&l, "eid", e->hcall.a[7]);
		tl_hex(&l, "fid", e->hcall.a[6]);
		tl_hex_array(&l, "args", e->hcall.a, 3);
		tl_i64(&l, "error", r.error);
		tl_hex(&l, "value", r.value);
		machine_trace(m, &l, e->pc);
	}
	return stop ? CPU_STOP : CPU_RESUME;
}

static int sbi_attach(struct machine *m)
{
	if (cpu_arch_info(m->cfg.arch)->firmware == CPU_FIRMWARE_SBI)
		machine_attach_stateless(m, &sbi_binding);
	return 0;
}

/* riscv ECALL from S-mode: the SBI implementation (hypsim as M-mode firmware). */
const struct model_binding sbi_binding = {
	.name = "sbi",
	.attach = sbi_attach,
	.exits = 1u << CPU_EXIT_HCALL,
	.on_exit = sbi_dispatch,
};
