/* SPDX-License-Identifier: MIT */
/*
 * SMC Calling Convention (Arm DEN0028) function identifiers and return codes.
 * Pure: no I/O, no state.
 *
 *   bit 31     1 = fast call
 *   bit 30     1 = SMC64/HVC64 calling convention
 *   bits 29:24 service owner (0 Arm architecture, 1 CPU, 2 SiP, 3 OEM,
 *              4 standard secure, 5 standard hypervisor, 6 vendor hypervisor,
 *              48-49 trusted applications, 50-63 trusted OS)
 *   bits 23:16 zero for fast calls (SVE hint in bit 16 from SMCCC 1.3)
 *   bits 15:0  function number
 *
 * The function id is W0; hypsim's dispatcher matches the whole of X0, so an id
 * with any of bits 63:32 set is NOT_SUPPORTED (as pKVM's host handler does).
 */
#ifndef HYPSIM_SMCCC_H
#define HYPSIM_SMCCC_H

#include <stdbool.h>
#include <stdint.h>

#define SMCCC_FAST_CALL (1u << 31)
#define SMCCC_CONV_64 (1u << 30)

enum smccc_owner {
	SMCCC_OWNER_ARCH = 0,
	SMCCC_OWNER_CPU = 1,
	SMCCC_OWNER_SIP = 2,
	SMCCC_OWNER_OEM = 3,
	SMCCC_OWNER_STD_SECURE = 4,
	SMCCC_OWNER_STD_HYP = 5,
	SMCCC_OWNER_VENDOR_HYP = 6,
};

#define SMCCC_ID(fast, conv64, owner, func)                                                        \
	(((fast) ? SMCCC_FAST_CALL : 0u) | ((conv64) ? SMCCC_CONV_64 : 0u) |                         \
	 ((uint32_t)(owner) << 24) | ((uint32_t)(func) & 0xffffu))

/* Return codes (DEN0028 §7.1), as the signed values the guest sees in x0. */
#define SMCCC_RET_SUCCESS 0
#define SMCCC_RET_NOT_SUPPORTED (-1)
#define SMCCC_RET_NOT_REQUIRED (-2)
#define SMCCC_RET_INVALID_PARAMETER (-3)

#define SMCCC_VERSION_ID 0x80000000u
#define SMCCC_ARCH_FEATURES_ID 0x80000001u
#define SMCCC_VERSION_1_2 0x10002u

struct smccc_fid {
	bool fast;
	bool conv64;
	unsigned owner;
	unsigned func;
	bool well_formed; /* upper 32 bits zero, bits 23:16 zero for fast calls */
};

/** smccc_decode() - split a function id (the whole of x0) into its fields. */
struct smccc_fid smccc_decode(uint64_t x0);

/** smccc_owner_name() - short name of an owner field, for traces. */
const char *smccc_owner_name(unsigned owner);

#endif
