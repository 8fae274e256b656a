/* SPDX-License-Identifier: MIT */
/* models/power: PSCI and SBI HSM CPU power states (see power.h). */
#include "digest.h"
#include "power.h"

void power_init(struct power *p, int ncpus, bool all_on)
{
	int i;

	p->ncpus = ncpus < 1 ? 1 : ncpus > POWER_MAX_CPUS ? POWER_MAX_CPUS : ncpus;
	for (i = 0; i < POWER_MAX_CPUS; i++)
		p->on[i] = i < p->ncpus && (i == 0 || all_on);
}

int power_count_on(const struct power *p)
{
	int i, n = 0;

	for (i = 0; i < p->ncpus; i++)
		n += p->on[i];
	return n;
}

/* Aff0 = index; Aff1 (15:8), Aff2 (23:16), Aff3 (39:32) and the rest zero. */
int psci_mpidr_to_cpu(const struct power *p, uint64_t mpidr)
{
	if (mpidr & ~0xffull || mpidr >= (uint64_t)p->ncpus)
		return -1;
	return (int)mpidr;
}

int64_t psci_cpu_on(struct power *p, uint64_t target_mpidr, uint64_t entry, bool in_ram, int *cpu)
{
	int t = psci_mpidr_to_cpu(p, target_mpidr);

	if (t < 0)
		return PSCI_INVALID_PARAMETERS;
	if (p->on[t])
		return PSCI_ALREADY_ON;
	if ((entry & 3) || !in_ram)
		return PSCI_INVALID_ADDRESS;
	p->on[t] = true;
	*cpu = t;
	return PSCI_SUCCESS;
}

int64_t psci_cpu_off(struct power *p, int cpu)
{
	if (cpu < 0 || cpu >= p->ncpus || !p->on[cpu] || power_count_on(p) == 1)
		return PSCI_DENIED;
	p->on[cpu] = false;
	return PSCI_SUCCESS;
}

int64_t psci_affinity_info(const struct power *p, uint64_t target_affinity, uint64_t lowest_level)
{
	int t;

	if (lowest_level != 0)
		return PSCI_INVALID_PARAMETERS; /* only level 0 (a single CPU) exists */
	t = psci_mpidr_to_cpu(p, target_affinity);
	if (t < 0)
		return PSCI_INVALID_PARAMETERS;
	return p->on[t] ? PSCI_AFF_ON : PSCI_AFF_OFF;
}

int64_t psci_features(uint64_t fid, bool qemu_list)
{
	if (fid == SMCCC_VERSION_FID)
		return qemu_list ? PSCI_NOT_SUPPORTED : PSCI_SUCCESS;
	switch (fid) {
	case PSCI_VERSION:
	case PSCI_CPU_OFF:
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
	case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
	case PSCI_FEATURES:
		return PSCI_SUCCESS;
	}
	return PSCI_NOT_SUPPORTED;
}

int64_t hsm_hart_start(struct power *p, uint64_t hartid, uint64_t start_addr, bool in_ram)
{
	if (hartid >= (uint64_t)p->ncpus)
		return SBI_ERR_INVALID_PARAM;
	if (p->on[hartid])
		return SBI_ERR_ALREADY_AVAILABLE;
	if ((start_addr & 1) || !in_ram)
		return SBI_ERR_INVALID_ADDRESS;
	p->on[hartid] = true;
	return 0;
}

int64_t hsm_hart_stop(struct power *p, int cpu)
{
	if (cpu < 0 || cpu >= p->ncpus || !p->on[cpu] || power_count_on(p) == 1)
		return SBI_ERR_FAILED;
	p->on[cpu] = false;
	return 0;
}

int64_t hsm_hart_get_status(const struct power *p, uint64_t hartid, uint64_t *value)
{
	if (hartid >= (uint64_t)p->ncpus)
		return SBI_ERR_INVALID_PARAM;
	*value = p->on[hartid] ? SBI_HSM_STARTED : SBI_HSM_STOPPED;
	return 0;
}

uint64_t power_digest(const struct power *p)
{
	uint64_t h = dg_u64(DG_INIT, (uint64_t)p->ncpus);
	int i;

	for (i = 0; i < p->ncpus && i < POWER_MAX_CPUS; i++)
		h = dg_u64(h, p->on[i]);
	return h;
}
