/* SPDX-License-Identifier: MIT */
/*
 * The pKVM hypervisor at EL2, for an arm64 machine with `pkvm` enabled:
 * connects models/pkvm (hypercalls) and models/mem_protect (host stage-2)
 * to the vCPUs.
 *
 *   - HVCs with a VENDOR_HYP function id go to pkvm_handle_host_hcall().
 *   - A successful __pkvm_prot_finalize turns the host stage-2 on for that
 *     vCPU in Unicorn's MMU (VTTBR = the host PGD, VMID 0).
 *   - When the model's walkers issued TLB maintenance (a valid host stage-2
 *     entry was removed, split or changed) or a TLB-flush hypercall ran,
 *     every vCPU's TLB is flushed, paused ones included, before any of them
 *     runs again (sync_tlbs).
 *   - A stage-2 abort goes through host_stage2_idmap(): mapped or spurious,
 *     the access is retried; refused (-EPERM, the page is not the host's),
 *     the policy decides: mainline hyp-panics, android injects a data/
 *     instruction abort with S1PTW set into the host at EL1.  Any other
 *     error is the kernel's BUG_ON: a hyp panic.
 *   - hypsim's SiP call HYPSIM_PKVM_KEY stands for the host's
 *     static_branch_enable(&kvm_protected_mode_initialized).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "binding.h"
#include "firmware.h"
#include "pkvm.h"

/* The binding's state: the model and how it runs. */
struct pkvm_fw {
	struct pkvm pk;
	struct pkvm_options o;
	uint64_t tlb_flushes;
	uint64_t host_faults[4]; /* host stage-2 faults the idmap mapped, by the leaf's level (1 GiB, 2 MiB, 4 KiB) */
};

extern const struct model_binding pkvm_binding;

static struct pkvm_fw *fw(const struct machine *m)
{
	return machine_model(m, &pkvm_binding);
}

struct pkvm *machine_pkvm(const struct machine *m)
{
	struct pkvm_fw *f = fw(m);

	return f ? &f->pk : NULL;
}

const struct pkvm_options *pkvm_fw_options(const struct machine *m)
{
	struct pkvm_fw *f = fw(m);

	return f ? &f->o : NULL;
}

uint64_t pkvm_fw_host_faults(const struct machine *m, int level)
{
	struct pkvm_fw *f = fw(m);
	uint64_t n = 0;
	int l;

	for (l = 1; f && l <= 3; l++)
		if (level == 0 || level == l)
			n += f->host_faults[l];
	return n;
}

uint64_t pkvm_fw_tlb_flushes(const struct machine *m)
{
	struct pkvm_fw *f = fw(m);

	return f ? f->tlb_flushes : 0;
}

int machine_pkvm_enable(struct machine *m, const struct pkvm_options *o)
{
	const struct mem_region *r = &m->cfg.mem[0];
	struct pkvm_config cfg = {
		.mem = { .base = r->base, .size = r->size, .host = r->host },
		.memblock = { .base = r->base, .size = r->size },
		.phys_shift = o->phys_shift, .ffa_pages = o->ffa_pages, .nr_cpus = (uint32_t)m->cfg.nvcpus,
	};
	struct pkvm_fw *f;

	if (m->cfg.arch != CPU_ARM64 || m->cfg.nmem != 1) {
		snprintf(m->err, sizeof(m->err), "pkvm needs an arm64 machine with one memory region");
		return -1;
	}
	f = calloc(1, sizeof(*f));
	if (!f || pkvm_create(&f->pk, &cfg) < 0) {
		free(f);
		snprintf(m->err, sizeof(m->err), "pkvm: bad configuration (phys-shift 32..48)");
		return -1;
	}
	f->o = *o;
	f->o.enabled = true;
	machine_set_model(m, &pkvm_binding, f);
	return 0;
}

static void sync_tlbs(struct machine *m, bool force);

/*
 * The DSB ISH after kvm_pgtable's TLBIs: every vCPU, running or paused,
 * drops its cached translations (Unicorn's TLBs are per instance).  @force
 * for the TLB-flush hypercalls, which change no descriptor themselves.
 * hypsim-mutant-tlbi skips it, so the fuzzer's access oracle can be shown
 * to catch stale translations.
 */
void pkvm_sync_tlbs(struct machine *m)
{
	sync_tlbs(m, false);
}

static void sync_tlbs(struct machine *m, bool force)
{
	int i;

	if (!mp_tlbi_take(&machine_pkvm(m)->mp) && !force)
		return;
#ifndef HYPSIM_MUTANT_SKIP_TLBI
	for (i = 0; i < m->cfg.nvcpus; i++)
		cpu_tlb_flush(&m->vcpus[i].cpu);
	fw(m)->tlb_flushes++;
#else
	(void)i;
#endif
}

static void trace_unmodelled(struct machine *m, struct vcpu *v, const struct cpu_exit *e, unsigned id)
{
	m->halted = true;
	if (machine_count(m, EV_UNMODELLED)) {
		struct tline l;

		tl_begin(&l, EV_UNMODELLED, e->time, v->cpu.index, e->pc);
		tl_str(&l, "call", pkvm_hcall_name(id) ? pkvm_hcall_name(id) : "__pkvm_init (again)");
		machine_trace(m, &l, e->pc);
	}
}

/* __pkvm_prot_finalize loads what it wrote into this CPU's kvm_init_params. */
static void finalize_stage2(struct machine *m, struct vcpu *v)
{
	unsigned cpu = (unsigned)v->cpu.index;

	cpu_arm64_stage2(&v->cpu, pkvm_cpu_params(machine_pkvm(m), cpu, PKVM_PARAMS_VTTBR),
			 pkvm_cpu_params(machine_pkvm(m), cpu, PKVM_PARAMS_VTCR), true);
}

/* After __pkvm_init: every CPU's TPIDR_EL2 is its per-CPU area (docs/models/boot-percpu.md). */
static void load_tpidr_el2(struct machine *m)
{
	unsigned i;

	for (i = 0; i < machine_pkvm(m)->nr_cpus; i++)
		cpu_reg_write(&m->vcpus[i].cpu, CPU_ARM64_REG_TPIDR_EL2, machine_pkvm(m)->percpu_base[i]);
}

/*
 * Every trap into EL2 finds the hypervisor's per-CPU data through TPIDR_EL2:
 * once __pkvm_init has set it, it must still be this vCPU's area.  A change
 * (a simulator bug, or a scenario's `set reg`) is a hyp panic, reported.
 */
bool pkvm_percpu_intact(struct machine *m, struct vcpu *v, const struct cpu_exit *e)
{
	struct pkvm *pk = machine_pkvm(m);
	unsigned cpu = (unsigned)v->cpu.index;
	uint64_t tpidr = 0;

	if (!pk || !pk->initialised || cpu >= pk->nr_cpus)
		return true;
	cpu_reg_read(&v->cpu, CPU_ARM64_REG_TPIDR_EL2, &tpidr);
	if (tpidr == pk->percpu_base[cpu])
		return true;
	machine_hyp_panic(m, v, e->time, e->pc, "pkvm", "TPIDR_EL2 is not this CPU's per-CPU area", tpidr);
	return false;
}

/* With check-every-call, an ownership violation after a hypercall stops the machine. */
static enum cpu_action check_ownership(struct machine *m, struct vcpu *v, const struct cpu_exit *e)
{
	char why[320];

	if (!fw(m)->o.check_every_call || !machine_pkvm(m)->initialised || pkvm_check(machine_pkvm(m), why, sizeof(why)) == 0)
		return CPU_RESUME;
	m->halted = true;
	if (machine_count(m, EV_OWNERSHIP)) {
		struct tline l;

		tl_begin(&l, EV_OWNERSHIP, e->time, v->cpu.index, e->pc);
		tl_str(&l, "violation", why);
		machine_emit(m, &l);
	}
	return CPU_STOP;
}

/* A BUG() in the hypervisor's pools during a call: the reason the pool recorded. */
static void report_pool_panic(struct machine *m, struct vcpu *v, const struct cpu_exit *e)
{
	const struct hyp_panic *p = &machine_pkvm(m)->host_s2_pool.panic;

	machine_hyp_panic(m, v, e->time, e->pc, "pkvm", hyp_panic_reason_name(p->reason), p->phys);
}

/* An HVC for pKVM. Return: the vCPU's next action. */
enum cpu_action pkvm_hvc(struct machine *m, struct vcpu *v, struct cpu_exit *e, const char **name)
{
	struct pkvm *pk = machine_pkvm(m);
	uint64_t x[6];
	unsigned id = (unsigned)((e->hcall.a[0] & ~ARM_SMCCC_CALL_HINTS) - KVM_HOST_SMCCC_ID(0));
	enum pkvm_hcall_outcome o;

	memcpy(x, e->hcall.a, sizeof(x));
	o = pkvm_handle_host_hcall(pk, (unsigned)v->cpu.index, x);
	e->hcall.ret[0] = x[0];
	e->hcall.ret[1] = x[1];
	*name = o == PKVM_HCALL_REJECTED ? NULL : pkvm_hcall_name(id);
	switch (o) {
	case PKVM_HCALL_REJECTED:
		return CPU_RESUME;
	case PKVM_HCALL_PANIC:
		report_pool_panic(m, v, e);
		return CPU_STOP;
	case PKVM_HCALL_UNMODELLED:
		trace_unmodelled(m, v, e, id);
		return CPU_STOP;
	case PKVM_HCALL_DONE:
		if (id == PKVM_HC_PROT_FINALIZE && x[1] == 0)
			finalize_stage2(m, v);
		if (id == PKVM_HC_PKVM_INIT && x[1] == 0)
			load_tpidr_el2(m);
		sync_tlbs(m, false);
		return check_ownership(m, v, e);
	case PKVM_HCALL_TLBI:
		sync_tlbs(m, true);
		return check_ownership(m, v, e);
	}
	return CPU_RESUME;
}

void pkvm_key_flip(struct machine *m)
{
	if (machine_pkvm(m))
		pkvm_set_protected_mode_initialized(machine_pkvm(m));
}

/* A fault the idmap resolved: the level of the leaf it left (1, 2 or 3), counted; 0 for none. */
static int count_mapped(struct machine *m, const struct cpu_exit *e, int r)
{
	struct s2pt_translation t;

	if (r != 0 || s2pt_translate(&machine_pkvm(m)->mp.host_s2, e->stage2.ipa, &t) < 0 || !t.valid ||
	    t.level < 1 || t.level > 3)
		return 0;
	fw(m)->host_faults[t.level]++;
	return t.level;
}

static void trace_s2(struct machine *m, struct vcpu *v, const struct cpu_exit *e, int r)
{
	static const char *const sizes[] = { NULL, "1G", "2M", "4K" };
	int level = count_mapped(m, e, r);

	if (machine_count(m, EV_S2_FAULT)) {
		struct tline l;

		tl_begin(&l, EV_S2_FAULT, e->time, v->cpu.index, e->pc);
		tl_hex(&l, "ipa", e->stage2.ipa);
		tl_str(&l, "access", e->stage2.fetch ? "fetch" : "data");
		tl_hex(&l, "esr", e->stage2.esr);
		tl_hex(&l, "far", e->stage2.far);
		tl_str(&l, "result", r == 0 ? "mapped" : r == -EAGAIN ? "spurious" : r == -EPERM ? "refused" : "error");
		if (level)
			tl_str(&l, "size", sizes[level]);
		machine_trace(m, &l, e->pc);
	}
}

#define ESR_EC_SHIFT 26
#define ESR_EC_MASK (0x3full << ESR_EC_SHIFT)
#define ESR_EC_IABT_LOW 0x20ull
#define ESR_EC_IABT_CUR 0x21ull
#define ESR_EC_DABT_LOW 0x24ull
#define ESR_EC_DABT_CUR 0x25ull
#define ESR_S1PTW (1ull << 7)

/*
 * The host's own abort, as Android's host_inject_abort() builds it from
 * ESR_EL2 and FAR_EL2: the EC repainted from a lower-EL to a same-EL abort
 * (the host runs at EL1), S1PTW set so the host's handler can tell it from
 * a stage-1 fault, everything else (IL, ISV and the access's SAS/SRT/SF,
 * WnR, the DFSC with its level) as the hardware reported it; FAR_EL1 =
 * FAR_EL2, the exact address.
 */
static void inject_abort(struct machine *m, struct vcpu *v, const struct cpu_exit *e)
{
	uint64_t esr = e->stage2.esr, ec = (esr & ESR_EC_MASK) >> ESR_EC_SHIFT;

	ec = ec == ESR_EC_DABT_LOW ? ESR_EC_DABT_CUR : ec == ESR_EC_IABT_LOW ? ESR_EC_IABT_CUR : ec;
	esr = (esr & ~ESR_EC_MASK) | (ec << ESR_EC_SHIFT) | ESR_S1PTW;
	cpu_arm64_inject_sync(&v->cpu, esr, e->stage2.far);
	if (machine_count(m, EV_ABORT_INJECT)) {
		struct tline l;

		tl_begin(&l, EV_ABORT_INJECT, e->time, v->cpu.index, e->pc);
		tl_hex(&l, "esr", esr);
		tl_hex(&l, "far", e->stage2.far);
		machine_trace(m, &l, e->pc);
	}
}

/*
 * A fault that repeats at the same PC and IPA with nothing retired means
 * Unicorn's MMU and the model disagree (the kernel would spin forever): stop
 * rather than livelock, since no instruction retires to end the run.  Not
 * for model-only replay, where no MMU is involved and a log may repeat a
 * fault at one time.
 */
static bool livelocked(struct machine *m, struct vcpu *v, const struct cpu_exit *e)
{
	if (m->model_only)
		return false;
	if (e->pc == v->s2_last_pc && e->stage2.ipa == v->s2_last_ipa && e->time == v->s2_last_now)
		return ++v->s2_repeats > 8;
	v->s2_last_pc = e->pc;
	v->s2_last_ipa = e->stage2.ipa;
	v->s2_last_now = e->time;
	v->s2_repeats = 0;
	return false;
}

enum cpu_action pkvm_stage2_fault(struct machine *m, struct vcpu *v, struct cpu_exit *e)
{
	int r;

	if (!pkvm_percpu_intact(m, v, e))
		return CPU_STOP;
	r = machine_pkvm(m) ? mp_host_mem_abort(&machine_pkvm(m)->mp, e->stage2.ipa) : -EFAULT;
	trace_s2(m, v, e, r);
	if ((r == 0 || r == -EAGAIN) && livelocked(m, v, e)) {
		m->halted = true;
		if (machine_count(m, EV_UNMODELLED)) {
			struct tline l;

			tl_begin(&l, EV_UNMODELLED, e->time, v->cpu.index, e->pc);
			tl_str(&l, "call", "stage-2 fault repeats: Unicorn's MMU and the model disagree");
			tl_hex(&l, "ipa", e->stage2.ipa);
			machine_emit(m, &l);
		}
		return CPU_STOP;
	}
	if (r == 0 || r == -EAGAIN) {
		sync_tlbs(m, false); /* unmap_dev_all may have run */
		return CPU_RESUME; /* the access is retried */
	}
	if (r == -EPERM && fw(m)->o.policy == PKVM_POLICY_ANDROID) {
		inject_abort(m, v, e);
		return CPU_RESUME;
	}
	machine_hyp_panic(m, v, e->time, e->pc, "host stage-2",
			  r == -EPERM ? "host access to a page it does not own (BUG_ON in handle_host_mem_abort)"
				      : "host_stage2_idmap failed (BUG_ON in handle_host_mem_abort)",
			  e->stage2.ipa);
	return CPU_STOP;
}

/* HYPSIM_SIP_PKVM_TEST: one of the internal transitions, as the EL2 selftest calls it. */
void pkvm_test_call(struct machine *m, struct vcpu *v, struct cpu_exit *e)
{
	struct mem_protect *mp = &machine_pkvm(m)->mp;
	uint64_t pfn = e->hcall.a[2], nr = e->hcall.a[3];
	int r;

	if (!machine_pkvm(m)->initialised) {
		e->hcall.ret[0] = (uint64_t)(int64_t)SMCCC_RET_NOT_SUPPORTED;
		return;
	}
	switch (e->hcall.a[1]) {
	case PKVM_TEST_DONATE_HYP: r = mp_host_donate_hyp(mp, pfn, nr); break;
	case PKVM_TEST_HYP_DONATE_HOST: r = mp_hyp_donate_host(mp, pfn, nr); break;
	case PKVM_TEST_SHARE_FFA: r = mp_host_share_ffa(mp, pfn, nr); break;
	case PKVM_TEST_UNSHARE_FFA: r = mp_host_unshare_ffa(mp, pfn, nr); break;
	case PKVM_TEST_PIN: r = mp_pin_shared_mem(mp, pfn << 12, (pfn + nr) << 12); break;
	case PKVM_TEST_UNPIN: r = mp_unpin_shared_mem(mp, pfn << 12, (pfn + nr) << 12); break;
	default:
		e->hcall.ret[0] = (uint64_t)(int64_t)SMCCC_RET_NOT_SUPPORTED;
		return;
	}
	if (r == HYP_EPANIC) {
		report_pool_panic(m, v, e);
		return;
	}
	e->hcall.ret[0] = SMCCC_RET_SUCCESS;
	e->hcall.ret[1] = (uint64_t)(int64_t)r;
	sync_tlbs(m, false);
	check_ownership(m, v, e);
}

static const char *probe_name(enum cpu_probe_result r)
{
	static const char *const n[] = { "allowed", "a stage-2 fault", "another fault", "no answer" };

	return n[r];
}

/* One page: the model's walker against two probes through Unicorn's MMU. */
bool pkvm_xcheck_page(struct machine *m, struct vcpu *v, uint64_t ipa, char *why, size_t n)
{
	struct s2pt_translation t;
	enum cpu_probe_result rd, wr;
	bool want_r, want_w;

	if (s2pt_translate(&machine_pkvm(m)->mp.host_s2, ipa, &t) < 0) {
		snprintf(why, n, "IPA 0x%" PRIx64 ": the model's walker failed", ipa);
		return false;
	}
	want_r = t.valid && t.r;
	want_w = t.valid && t.w;
	rd = cpu_arm64_probe(&v->cpu, ipa, false);
	wr = cpu_arm64_probe(&v->cpu, ipa, true);
	if ((rd == CPU_PROBE_OK) == want_r && (wr == CPU_PROBE_OK) == want_w &&
	    (want_r || rd == CPU_PROBE_STAGE2_FAULT) && (want_w || wr == CPU_PROBE_STAGE2_FAULT))
		return true;
	snprintf(why, n, "IPA 0x%" PRIx64 ": the model says %s%s, Unicorn's MMU gives %s on read and %s on write", ipa,
		 t.valid ? "mapped " : "unmapped", t.valid ? (t.w ? "RW" : t.r ? "R" : "-") : "", probe_name(rd),
		 probe_name(wr));
	return false;
}

static void pkvm_detach(struct machine *m)
{
	free(fw(m));
}

static bool pkvm_digest_json(const struct machine *m, char *out, size_t n)
{
	return binding_digest_hex(out, n, pkvm_digest(machine_pkvm(m)));
}

const struct pkvm_options *pkvm_config(const struct machine_config *cfg)
{
	int i = machine_binding_index(&pkvm_binding);

	return i < 0 ? NULL : cfg->model_cfg[i];
}

/* With a `pkvm` line in the configuration; otherwise machine_pkvm_enable() may enable it later (the benchmark). */
static int pkvm_attach(struct machine *m)
{
	const struct pkvm_options *o = pkvm_config(&m->cfg);

	return o ? machine_pkvm_enable(m, o) : 0;
}

extern const struct scn_family pkvm_family; /* scenario_pkvm.c: stage2, dump, write stage2, expect pkvm|stage2 */

const struct model_binding pkvm_binding = {
	.name = "pkvm",
	.family = &pkvm_family,
	.attach = pkvm_attach,
	.detach = pkvm_detach,
	.exits = 1u << CPU_EXIT_STAGE2,
	.on_exit = pkvm_stage2_fault,
	.digest = pkvm_digest_json,
};
