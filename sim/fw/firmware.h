/* SPDX-License-Identifier: MIT */
/*
 * The simulator's own firmware: what runs at EL2/EL3 (arm64) or in M-mode
 * (riscv64) when the guest calls out.  Each handler serves one typed exit
 * from the cpu layer inside the Unicorn hook, counts and traces it.
 */
#ifndef HYPSIM_FIRMWARE_H
#define HYPSIM_FIRMWARE_H

#include "machine.h"
#include "power.h"
#include "smccc.h"

/* hypsim's own services, in the SMCCC SiP range (see docs/guest-abi.md). */
/* Fast calls, SMC64 convention: 0xc2000000 | n. */
#define HYPSIM_SIP_NOP SMCCC_ID(1, 1, SMCCC_OWNER_SIP, 0)
#define HYPSIM_SIP_ECHO SMCCC_ID(1, 1, SMCCC_OWNER_SIP, 1)
/* SiP function 2 was HYPSIM_SIP_IRQ_ACK, retired: guests acknowledge interrupts through the GIC. */
#define HYPSIM_SIP_PKVM_KEY SMCCC_ID(1, 1, SMCCC_OWNER_SIP, 3) /* kvm_protected_mode_initialized */
/*
 * Fuzzing (docs/guest-abi.md).  FUZZ_REFILL: x0 out = how many calls the
 * fuzzer queued in the guest's ring (0 without a fuzzer).  PKVM_TEST (with
 * `pkvm ... test-calls`): x1 = transition (enum pkvm_test_op), x2 = pfn,
 * x3 = page count; x0 out SUCCESS, x1 the transition's result -- the
 * internal calls the EL2 ownership selftest makes (docs/models/pkvm.md §2.6).
 */
#define HYPSIM_SIP_FUZZ_REFILL SMCCC_ID(1, 1, SMCCC_OWNER_SIP, 4)
#define HYPSIM_SIP_PKVM_TEST SMCCC_ID(1, 1, SMCCC_OWNER_SIP, 5)
enum pkvm_test_op {
	PKVM_TEST_DONATE_HYP = 1,
	PKVM_TEST_HYP_DONATE_HOST,
	PKVM_TEST_SHARE_FFA,
	PKVM_TEST_UNSHARE_FFA,
	PKVM_TEST_PIN,   /* hyp_pin_shared_mem(pfn << 12, (pfn + nr) << 12) */
	PKVM_TEST_UNPIN, /* hyp_unpin_shared_mem(), same range */
};

/* SBI (RISC-V SBI specification v2.0). */
#define SBI_EXT_LEGACY_PUTCHAR 0x01
#define SBI_EXT_LEGACY_GETCHAR 0x02
#define SBI_EXT_LEGACY_SHUTDOWN 0x08
#define SBI_EXT_BASE 0x10
#define SBI_EXT_DBCN 0x4442434e
#define SBI_EXT_SRST 0x53525354
#define SBI_EXT_TIME 0x54494d45
#define SBI_EXT_IPI 0x735049
#define SBI_EXT_RFENCE 0x52464e43
#define SBI_EXT_HYPSIM 0x09000000 /* vendor range, mvendorid 0 */
#define SBI_SPEC_VERSION 0x02000000 /* 2.0 */
#define SBI_IMPL_ID_HYPSIM 0x68797073 /* "hyps": not a registered id */

#define SBI_SUCCESS 0
#define SBI_ERR_NOT_SUPPORTED (-2) /* the others are in power.h */

/* Semihosting operations (Arm semihosting v3, also RISC-V). */
#define SEMI_SYS_WRITEC 0x03
#define SEMI_SYS_WRITE0 0x04
#define SEMI_SYS_WRITE 0x05
#define SEMI_SYS_CLOCK 0x10
#define SEMI_SYS_TIME 0x11
#define SEMI_SYS_ERRNO 0x13
#define SEMI_SYS_EXIT 0x18
#define SEMI_SYS_EXIT_EXTENDED 0x20
#define SEMI_SYS_ELAPSED 0x30
#define SEMI_SYS_TICKFREQ 0x31
#define SEMI_ADP_STOPPED_APPLICATION_EXIT 0x20026

enum cpu_action smccc_dispatch(struct machine *m, struct vcpu *v, struct cpu_exit *e);
/*
 * smccc_host_call() - an HVC made on @v's behalf from outside the guest (a
 * scenario's `hvc`, the linux step's pKVM calls): x0-x5 from @a, served by
 * the same dispatcher at @v's PC and the current time; x0-x3 out in @ret.
 * @v's registers are not touched.
 */
void smccc_host_call(struct machine *m, struct vcpu *v, const uint64_t a[6], uint64_t ret[4]);
enum cpu_action sbi_dispatch(struct machine *m, struct vcpu *v, struct cpu_exit *e);
enum cpu_action semihost_call(struct machine *m, struct vcpu *v, struct cpu_exit *e);

/* s390x: the zPCI AEN model on this machine (aen_fw.c), NULL on other architectures. */
struct aen *machine_aen(const struct machine *m);
/* Report the AEN summary vector and the GISAs' IPM to the waveform (after the model changed, at @cycle). */
void aen_fw_wave(struct machine *m, uint64_t cycle);

/* pKVM at EL2 (pkvm_fw.c). */
enum pkvm_policy { PKVM_POLICY_MAINLINE, PKVM_POLICY_ANDROID };

/* How pKVM runs at EL2: the scenario's `pkvm` setup line, its configuration (machine_model_config()). */
struct pkvm_options {
	bool enabled;
	enum pkvm_policy policy;   /* a host access to a page it does not own: panic or injected abort */
	uint32_t phys_shift, ffa_pages;
	bool check_every_call;     /* run the ownership checker after each hypercall */
	bool test_calls;           /* serve HYPSIM_SIP_PKVM_TEST (firmware.h) */
};

/*
 * machine_pkvm_enable() - run pKVM at EL2 (arm64, one memory region); the
 * binding's attach does it when the machine's configuration has a `pkvm`
 * line.  Return: 0 or -1 with m->err.
 */
int machine_pkvm_enable(struct machine *m, const struct pkvm_options *o);
/* The `pkvm` line of @cfg, or NULL when pKVM is not configured. */
const struct pkvm_options *pkvm_config(const struct machine_config *cfg);

/* The pKVM model on this machine, NULL when pKVM is not enabled. */
struct pkvm *machine_pkvm(const struct machine *m);
const struct pkvm_options *pkvm_fw_options(const struct machine *m);
uint64_t pkvm_fw_tlb_flushes(const struct machine *m); /* broadcasts of TLB maintenance to every vCPU */
/* Host stage-2 faults the lazy idmap mapped, with a leaf at @level (1: 1 GiB, 2: 2 MiB, 3: 4 KiB; 0: all). */
uint64_t pkvm_fw_host_faults(const struct machine *m, int level);
/* False (and a hyp panic reported) when TPIDR_EL2 no longer points at the vCPU's per-CPU area. */
bool pkvm_percpu_intact(struct machine *m, struct vcpu *v, const struct cpu_exit *e);
enum cpu_action pkvm_hvc(struct machine *m, struct vcpu *v, struct cpu_exit *e, const char **name);
enum cpu_action pkvm_stage2_fault(struct machine *m, struct vcpu *v, struct cpu_exit *e);
void pkvm_key_flip(struct machine *m);

/* menvcfg.STCE and mcounteren.TM of @v, written (sstc_fw_set_env) or read, as the firmware would (sstc_fw.c). */
void sstc_fw_set_env(struct machine *m, struct vcpu *v, bool stce, bool tm);
bool sstc_fw_env(struct machine *m, struct vcpu *v, bool *stce, bool *tm);
/* `stimecmp-max spec|qemu` (scenario_sstc.c): what stimecmp = 2^64 - 1 means (models/sstc.h). */
struct sstc_setup {
	bool qemu_max;
};
/* SBI TIME set_timer (sstc_fw.c): program the S timer as the firmware would (stimecmp). */
void sstc_fw_set_timer(struct machine *m, struct vcpu *v, uint64_t stime, uint64_t cycle);

/* CPU power: PSCI on arm64, SBI HSM on riscv64 (power_fw.c). */
bool psci_owns(uint64_t fid);
enum cpu_action psci_hcall(struct machine *m, struct vcpu *v, struct cpu_exit *e, const char **name);
int64_t sbi_hsm(struct machine *m, struct vcpu *v, struct cpu_exit *e, uint64_t *value, bool *stop);


/* The arm64 GICv3 (gic_fw.c): distributor and redistributor frames, as on QEMU's virt machine. */
#define HYPSIM_GICD_BASE 0x08000000ull
#define HYPSIM_GICR_BASE 0x080a0000ull
/* A wired interrupt's level (a PPI of @v, or an SPI) at cycle @when: the generic timer's lines. */
void gic_fw_set_level(struct machine *m, struct vcpu *v, unsigned intid, bool level, uint64_t when);

/* The PL011 UART (pl011_fw.c) of an arm64 Linux boot, at QEMU virt's address and SPI. */
#define HYPSIM_PL011_BASE 0x09000000ull
#define HYPSIM_PL011_SPI 33u /* SPI 1 */
/* Attach it (enabled, 115200 8N1 as a boot firmware leaves it). Return: 0, or -1 with m->err. */
int pl011_fw_attach(struct machine *m);

/* Guest M-mode firmware's devices on riscv64 (clint_fw.c, ns16550_fw.c), at QEMU virt's addresses. */
#define HYPSIM_CLINT_BASE 0x02000000ull
#define HYPSIM_NS16550_BASE 0x10000000ull
#define HYPSIM_NS16550_CLOCK 3686400u /* the input clock the device tree gives, as QEMU's */
#define HYPSIM_SIFIVE_TEST_BASE 0x00100000ull
/* Attach them. Return: 0, or -1 with m->err. */
int clint_fw_attach(struct machine *m);
int ns16550_fw_attach(struct machine *m);

/* For a debugger (tools/gdbstub.c): the host stage-2 entry and page states of @ipa, as `dump stage2` prints them. */
void pkvm_fw_dump_ipa(struct machine *m, uint64_t ipa, FILE *f);
/* For a debugger: @v's timer state in words (gtimer_fw.c, sstc_fw.c). */
void gtimer_fw_describe(struct machine *m, struct vcpu *v, FILE *f);
/* For a debugger: a generic timer register of @v by its name in the model (gtimer.h). Return: false for none. */
bool gtimer_fw_reg(struct machine *m, struct vcpu *v, int gt_reg, uint64_t *value);
/* For a debugger: @v's stimecmp. Return: false without the comparator. */
bool sstc_fw_stimecmp(struct machine *m, struct vcpu *v, uint64_t *value);
void sstc_fw_describe(struct machine *m, struct vcpu *v, FILE *f);

/* HYPSIM_SIP_PKVM_TEST (pkvm_fw.c). */
void pkvm_test_call(struct machine *m, struct vcpu *v, struct cpu_exit *e);
/* The model's host stage-2 walk of @ipa against Unicorn's MMU (both probes). Return: false with @why. */
bool pkvm_xcheck_page(struct machine *m, struct vcpu *v, uint64_t ipa, char *why, size_t n);
/* After a host stage-2 change made outside a hypercall: flush every vCPU's TLB if the walkers asked for it. */
void pkvm_sync_tlbs(struct machine *m);

#endif
