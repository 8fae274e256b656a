/* SPDX-License-Identifier: MIT */
/*
 * models/power: the power state of each CPU, as PSCI (Arm DEN0022) on arm64
 * and the SBI HSM extension on riscv64 see it (docs/models/boot-percpu.md).  Pure:
 * the simulator starts and stops its vCPUs on the model's word.
 *
 * A CPU is ON or OFF.  hypsim starts a CPU within the call that asks for it
 * (the new vCPU runs from the caller's virtual time), so the transient states
 * (PSCI ON_PENDING, HSM START_PENDING / STOP_PENDING) are never observable
 * and never returned.  The targets are vCPU indices: a PSCI target MPIDR is
 * Aff0 = index with Aff1..Aff3 and the other bits zero; an SBI hartid is the
 * index.
 *
 * Choices where the specifications leave room, tested in test_power.c:
 *   - CPU_ON / hart_start of the calling CPU: ALREADY_ON / ALREADY_AVAILABLE
 *     (it is on).
 *   - CPU_OFF of the last CPU that is on: DENIED (PSCI allows it to power
 *     the system down; hypsim refuses, so a run always has a CPU that can
 *     end it).  hart_stop likewise returns FAILED.
 *   - An entry point that is not 4-byte aligned (arm64) or 2-byte aligned
 *     (riscv64), or not in RAM, is INVALID_ADDRESS; the caller knows the
 *     memory map and passes in_ram.
 */
#ifndef HYPSIM_POWER_H
#define HYPSIM_POWER_H

#include <stdbool.h>
#include <stdint.h>

#define POWER_MAX_CPUS 64

/* PSCI function ids (SMC32 and, where it exists, SMC64) and return codes. */
#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_SUSPEND_64 0xc4000001u
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON_32 0x84000003u
#define PSCI_CPU_ON_64 0xc4000003u
#define PSCI_AFFINITY_INFO_32 0x84000004u
#define PSCI_AFFINITY_INFO_64 0xc4000004u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u
#define PSCI_FEATURES 0x8400000au
#define SMCCC_VERSION_FID 0x80000000u /* SMCCC_VERSION (Arm DEN0028), which PSCI_FEATURES also answers for */
#define PSCI_VERSION_1_1 0x10001u

#define PSCI_SUCCESS 0
#define PSCI_NOT_SUPPORTED (-1)
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_DENIED (-3)
#define PSCI_ALREADY_ON (-4)
#define PSCI_ON_PENDING (-5)
#define PSCI_INTERNAL_FAILURE (-6)
#define PSCI_NOT_PRESENT (-7)
#define PSCI_DISABLED (-8)
#define PSCI_INVALID_ADDRESS (-9)

#define PSCI_AFF_ON 0
#define PSCI_AFF_OFF 1

/* SBI HSM: extension, functions, states and the error codes it uses. */
#define SBI_EXT_HSM 0x48534du
#define SBI_HSM_HART_START 0
#define SBI_HSM_HART_STOP 1
#define SBI_HSM_HART_GET_STATUS 2
#define SBI_HSM_STARTED 0
#define SBI_HSM_STOPPED 1

#define SBI_ERR_FAILED (-1)
#define SBI_ERR_INVALID_PARAM (-3)
#define SBI_ERR_INVALID_ADDRESS (-5)
#define SBI_ERR_ALREADY_AVAILABLE (-6)

struct power {
	int ncpus;
	bool on[POWER_MAX_CPUS];
};

/* ncpus CPUs (1..POWER_MAX_CPUS); CPU 0 on, the others on when all_on. */
void power_init(struct power *p, int ncpus, bool all_on);
int power_count_on(const struct power *p);
/** power_digest() - which CPUs are on, as a digest (recordings). */
uint64_t power_digest(const struct power *p);

/* PSCI target MPIDR -> CPU index, or -1 when it names no CPU. */
int psci_mpidr_to_cpu(const struct power *p, uint64_t mpidr);

/* CPU_ON: on PSCI_SUCCESS the target is ON and the caller starts it. */
int64_t psci_cpu_on(struct power *p, uint64_t target_mpidr, uint64_t entry, bool in_ram, int *cpu);
/* CPU_OFF from cpu: on PSCI_SUCCESS it is OFF and must not run again. */
int64_t psci_cpu_off(struct power *p, int cpu);
int64_t psci_affinity_info(const struct power *p, uint64_t target_affinity, uint64_t lowest_level);
/*
 * PSCI_FEATURES: 0 for the functions hypsim implements, else NOT_SUPPORTED.
 * SMCCC_VERSION is one of them (the PSCI spec, DEN0022, PSCI_FEATURES: "the
 * function ID of a PSCI function or of SMCCC_VERSION"; SMCCC 1.1+ callers
 * discover it this way, as Linux's psci_init_smccc() does) unless
 * @qemu_list: QEMU 7.2's PSCI (target/arm/psci.c) does not list it.
 */
int64_t psci_features(uint64_t fid, bool qemu_list);

/* HSM, with SBI error codes; *value is the state for get_status. */
int64_t hsm_hart_start(struct power *p, uint64_t hartid, uint64_t start_addr, bool in_ram);
int64_t hsm_hart_stop(struct power *p, int cpu);
int64_t hsm_hart_get_status(const struct power *p, uint64_t hartid, uint64_t *value);

#endif
