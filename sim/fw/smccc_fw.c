/* SPDX-License-Identifier: MIT */
/*
 * The arm64 hypercall dispatcher: HVC and SMC from the guest, SMCCC register
 * ABI (x0 function id, x1-x5 arguments, results in x0-x3).  An id with no
 * handler returns x0 = SMCCC NOT_SUPPORTED (-1) and leaves x1-x3 unchanged.
 *
 * Services: SMCCC_VERSION, SMCCC_ARCH_FEATURES, PSCI (power_fw.c), and
 * hypsim's own SiP calls (NOP, ECHO, IRQ_ACK).  Later models (pKVM) add their ids to this table.
 */
#include <string.h>

#include "binding.h"
#include "firmware.h"

extern const struct model_binding smccc_binding;

/* A handler reads e->hcall.a[] and writes e->hcall.ret[] (preset to x0-x3). */
typedef void (*hcall_fn)(struct machine *m, struct vcpu *v, struct cpu_exit *e);

struct hcall {
	uint64_t fid;
	const char *name;
	hcall_fn fn;
};

static void hc_version(struct machine *m, struct vcpu *v, struct cpu_exit *e)
{
	(void)m;
	(void)v;
	e->hcall.ret[0] = SMCCC_VERSION_1_2;
}

static void hc_nop(struct machine *m, struct vcpu *v, struct cpu_exit *e)
{
	(void)m;
	(void)v;
	e->hcall.ret[0] = SMCCC_RET_SUCCESS;
}

static void hc_echo(struct machine *m, struct vcpu *v, struct cpu_exit *e)
{
	(void)m;
	(void)v;
	e->hcall.ret[0] = SMCCC_RET_SUCCESS;
	e->hcall.ret[1] = e->hcall.a[3];
	e->hcall.ret[2] = e->hcall.a[2];
	e->hcall.ret[3] = e->hcall.a[1];
}

static void hc_arch_features(struct machine *m, struct vcpu *v, struct cpu_exit *e);

static void hc_pkvm_key(struct machine *m, struct vcpu *v, struct cpu_exit *e)
{
	(void)v;
	pkvm_key_flip(m);
	e->hcall.ret[0] = machine_pkvm(m) ? (uint64_t)SMCCC_RET_SUCCESS : (uint64_t)(int64_t)SMCCC_RET_NOT_SUPPORTED;
}

static void hc_fuzz_refill(struct machine *m, struct vcpu *v, struct cpu_exit *e)
{
	e->hcall.ret[0] = m->hobs && m->hobs->refill ? m->hobs->refill(m->hobs->ctx, m, v->cpu.index) : 0;
}

static void hc_pkvm_test(struct machine *m, struct vcpu *v, struct cpu_exit *e)
{
	if (!machine_pkvm(m) || !pkvm_fw_options(m)->test_calls) {
		e->hcall.ret[0] = (uint64_t)(int64_t)SMCCC_RET_NOT_SUPPORTED;
		return;
	}
	pkvm_test_call(m, v, e);
}

static const struct hcall hcalls[] = {
	{ SMCCC_VERSION_ID, "smccc_version", hc_version },
	{ SMCCC_ARCH_FEATURES_ID, "smccc_arch_features", hc_arch_features },
	{ HYPSIM_SIP_NOP, "hypsim_nop", hc_nop },
	{ HYPSIM_SIP_ECHO, "hypsim_echo", hc_echo },
	{ HYPSIM_SIP_PKVM_KEY, "hypsim_pkvm_key", hc_pkvm_key },
	{ HYPSIM_SIP_FUZZ_REFILL, "hypsim_fuzz_refill", hc_fuzz_refill },
	{ HYPSIM_SIP_PKVM_TEST, "hypsim_pkvm_test", hc_pkvm_test },
};

static const struct hcall *lookup(uint64_t fid)
{
	size_t i;

	for (i = 0; i < sizeof(hcalls) / sizeof(hcalls[0]); i++)
		if (hcalls[i].fid == fid)
			return &hcalls[i];
	return NULL;
}

static void hc_arch_features(struct machine *m, struct vcpu *v, struct cpu_exit *e)
{
	(void)m;
	(void)v;
	e->hcall.ret[0] = lookup(e->hcall.a[1]) ? (uint64_t)SMCCC_RET_SUCCESS
						 : (uint64_t)(int64_t)SMCCC_RET_NOT_SUPPORTED;
}

static void trace_hcall(struct machine *m, struct vcpu *v, const struct cpu_exit *e, const char *name)
{
	enum ev_kind kind = e->hcall.conduit == CPU_CONDUIT_SMC ? EV_SMC : EV_HVC;
	struct smccc_fid f;
	struct tline l;

	if (!machine_count(m, kind))
		return;
	f = smccc_decode(e->hcall.a[0]);
	tl_begin(&l, kind, e->time, v->cpu.index, e->pc);
	tl_u64(&l, "imm", e->hcall.imm);
	tl_hex(&l, "fid", e->hcall.a[0]);
	tl_str(&l, "owner", smccc_owner_name(f.owner));
	tl_str(&l, "call", name ? name : "unknown");
	tl_hex_array(&l, "args", &e->hcall.a[1], 5);
	tl_hex_array(&l, "ret", e->hcall.ret, 4);
	machine_trace(m, &l, e->pc);
}

void smccc_host_call(struct machine *m, struct vcpu *v, const uint64_t a[6], uint64_t ret[4])
{
	struct cpu_exit e = { .kind = CPU_EXIT_HCALL, .time = m->now, .pc = cpu_pc(&v->cpu) };

	e.hcall.conduit = CPU_CONDUIT_HVC;
	memcpy(e.hcall.a, a, 6 * sizeof(*a)); /* x6, x7: 0 */
	memcpy(e.hcall.ret, a, sizeof(e.hcall.ret)); /* x1-x3 come back as passed unless a handler sets them */
	smccc_dispatch(m, v, &e);
	memcpy(ret, e.hcall.ret, sizeof(e.hcall.ret));
}

enum cpu_action smccc_dispatch(struct machine *m, struct vcpu *v, struct cpu_exit *e)
{
	const struct hcall *h;
	const char *name = NULL;
	enum cpu_action a = CPU_RESUME;

	if (!pkvm_percpu_intact(m, v, e))
		return CPU_STOP;
	if (m->hobs && m->hobs->pre)
		m->hobs->pre(m->hobs->ctx, m, v->cpu.index, e->hcall.a);
	if (machine_pkvm(m) && e->hcall.conduit == CPU_CONDUIT_HVC && smccc_decode(e->hcall.a[0]).owner == SMCCC_OWNER_VENDOR_HYP &&
	    (e->hcall.a[0] >> 32) == 0) {
		a = pkvm_hvc(m, v, e, &name);
	} else if (psci_owns(e->hcall.a[0])) {
		a = psci_hcall(m, v, e, &name);
	} else if ((h = lookup(e->hcall.a[0]))) {
		h->fn(m, v, e);
		name = h->name;
	} else {
		e->hcall.ret[0] = (uint64_t)(int64_t)SMCCC_RET_NOT_SUPPORTED;
	}
	trace_hcall(m, v, e, name);
	if (m->hobs && m->hobs->post && !m->hobs->post(m->hobs->ctx, m, v->cpu.index, e->hcall.a, e->hcall.ret)) {
		m->stop_requested = true;
		return CPU_STOP;
	}
	return a;
}

static int smccc_attach(struct machine *m)
{
	if (cpu_arch_info(m->cfg.arch)->firmware == CPU_FIRMWARE_SMCCC)
		machine_attach_stateless(m, &smccc_binding);
	return 0;
}

/* arm64 HVC and SMC: the SMCCC dispatcher (hypsim's SiP calls, PSCI, pKVM). */
extern const struct scn_family smccc_family; /* scenario_smccc.c: `hvc` and `expect hvc` */

const struct model_binding smccc_binding = {
	.name = "smccc",
	.family = &smccc_family,
	.attach = smccc_attach,
	.exits = 1u << CPU_EXIT_HCALL,
	.on_exit = smccc_dispatch,
};
