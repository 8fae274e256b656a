/* SPDX-License-Identifier: MIT */
/*
 * CPU power management as firmware: PSCI through HVC or SMC on arm64 and the
 * SBI HSM extension on riscv64 (docs/models/boot-percpu.md), with models/power
 * deciding and the machine starting and stopping vCPUs.  A started vCPU
 * begins at the caller's virtual time plus one cycle, at the requested entry
 * in the caller's mode (EL1 / S-mode) with the MMU off: arm64 x0 = context_id;
 * riscv64 a0 = hartid, a1 = opaque.
 */
#include "firmware.h"

/* The entry must be code in guest RAM. */
static bool entry_ok(struct machine *m, uint64_t entry)
{
	return machine_mem_ptr(m, entry, 4) != NULL;
}

bool psci_owns(uint64_t fid)
{
	/* fast calls 0..0x1f of the Standard Secure Service owner, SMC32 or SMC64 */
	return (fid >> 32) == 0 && (fid & 0xbfffffe0ull) == 0x84000000ull;
}

/* CPU_ON (SMC32 or SMC64): the target starts one cycle after the call, with x0 = context_id. */
static int64_t cpu_on(struct machine *m, struct vcpu *v, struct cpu_exit *e)
{
	const uint64_t *a = e->hcall.a;
	bool is32 = (uint32_t)a[0] == PSCI_CPU_ON_32;
	uint64_t mpidr = is32 ? (uint32_t)a[1] : a[1], entry = is32 ? (uint32_t)a[2] : a[2];
	uint64_t ctx = is32 ? (uint32_t)a[3] : a[3];
	int target = -1;
	int64_t r = psci_cpu_on(&m->power, mpidr, entry, entry_ok(m, entry), &target);

	if (r == PSCI_SUCCESS &&
	    machine_cpu_start(m, v, e, target, &(struct cpu_start){ entry, { ctx }, 1, "context_id", ctx }) < 0) {
		m->power.on[target] = false;
		r = PSCI_INTERNAL_FAILURE;
	}
	return r;
}

enum cpu_action psci_hcall(struct machine *m, struct vcpu *v, struct cpu_exit *e, const char **name)
{
	const uint64_t *a = e->hcall.a;
	uint64_t *ret = e->hcall.ret;
	int64_t r = PSCI_NOT_SUPPORTED;

	switch ((uint32_t)a[0]) {
	case PSCI_VERSION:
		*name = "psci_version";
		r = PSCI_VERSION_1_1;
		break;
	case PSCI_FEATURES:
		*name = "psci_features";
		r = psci_features(a[1], m->cfg.psci_features_qemu);
		break;
	case PSCI_MIGRATE_INFO_TYPE:
		*name = "psci_migrate_info_type";
		r = 2; /* no migration needed (no Trusted OS) */
		break;
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
		*name = "psci_affinity_info";
		r = psci_affinity_info(&m->power, (uint32_t)a[0] == PSCI_AFFINITY_INFO_32 ? (uint32_t)a[1] : a[1],
				       a[2]);
		break;
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
		*name = "psci_cpu_on";
		r = cpu_on(m, v, e);
		break;
	case PSCI_CPU_OFF:
		*name = "psci_cpu_off";
		r = psci_cpu_off(&m->power, v->cpu.index);
		if (r == PSCI_SUCCESS) {
			machine_cpu_stop(m, v, e);
			return CPU_STOP; /* does not return */
		}
		break;
	case PSCI_SYSTEM_OFF:
		*name = "psci_system_off";
		machine_exit(m, v, e->pc, e->time, 0, "psci-system-off");
		return CPU_STOP;
	case PSCI_SYSTEM_RESET:
		*name = "psci_system_reset";
		machine_exit(m, v, e->pc, e->time, 0, "psci-system-reset");
		return CPU_STOP;
	default:
		*name = "psci_unknown";
		break;
	}
	ret[0] = (uint64_t)r;
	return CPU_RESUME;
}

int64_t sbi_hsm(struct machine *m, struct vcpu *v, struct cpu_exit *e, uint64_t *value, bool *stop)
{
	const uint64_t *a = e->hcall.a;
	int64_t r;

	switch (a[6]) {
	case SBI_HSM_HART_START:
		r = hsm_hart_start(&m->power, a[0], a[1], entry_ok(m, a[1]));
		/* the hart starts with a0 = its hartid, a1 = opaque */
		if (r == 0 && machine_cpu_start(m, v, e, (int)a[0],
						&(struct cpu_start){ a[1], { a[0], a[2] }, 2, "opaque", a[2] }) < 0) {
			m->power.on[a[0]] = false;
			r = SBI_ERR_FAILED;
		}
		return r;
	case SBI_HSM_HART_STOP:
		r = hsm_hart_stop(&m->power, v->cpu.index);
		if (r == 0) {
			machine_cpu_stop(m, v, e);
			*stop = true;
		}
		return r;
	case SBI_HSM_HART_GET_STATUS:
		return hsm_hart_get_status(&m->power, a[0], value);
	}
	return SBI_ERR_NOT_SUPPORTED;
}
