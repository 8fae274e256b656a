/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer: hypercall sequences from the input bytes, 16 bytes a call,
 * through the fuzz guest's real HVCs and every oracle of hypsim fuzz
 * (sim/fuzz/fuzz.c).  A violation aborts, so libFuzzer keeps the input.
 * Only calls a host may make with any arguments are built: share_hyp,
 * unshare_hyp, donate_hyp, share_ffa, pin on the fuzzed window, finalize,
 * TLB maintenance and invalid ids (the trusted internal calls -- unpin,
 * hyp_donate_host, unshare_ffa -- need the states the generator reads).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "firmware.h"
#include "fuzz.h"
#include "pkvm.h"

#define MAX_CALLS 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t word(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static uint64_t pfn_of(const uint8_t *p)
{
	return p[0] & 0x80 ? word(p + 1) : 0x40800 + (p[0] & 0x3f); /* raw, or in the window */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint64_t calls[MAX_CALLS][6];
	const char *dir = getenv("HYPSIM_GUEST_DIR");
	size_t n = 0;
	char what[600];

	for (; size >= 16 && n < MAX_CALLS; data += 16, size -= 16, n++) {
		uint64_t *c = calls[n];

		memset(c, 0, sizeof(calls[n]));
		switch (data[0] % 8) {
		case 0: c[0] = KVM_HOST_SMCCC_ID(PKVM_HC_HOST_SHARE_HYP) | (data[0] & 0x80 ? ARM_SMCCC_CALL_HINTS : 0);
			c[1] = pfn_of(data + 1); break;
		case 1: c[0] = KVM_HOST_SMCCC_ID(PKVM_HC_HOST_UNSHARE_HYP); c[1] = pfn_of(data + 1); break;
		case 2: c[0] = HYPSIM_SIP_PKVM_TEST; c[1] = PKVM_TEST_DONATE_HYP; c[2] = pfn_of(data + 1);
			c[3] = data[10] & 0x80 ? word(data + 8) : data[10] & 7; break;
		case 3: c[0] = HYPSIM_SIP_PKVM_TEST; c[1] = PKVM_TEST_SHARE_FFA; c[2] = pfn_of(data + 1);
			c[3] = data[10] & 0x80 ? word(data + 8) : data[10] & 7; break;
		case 4: c[0] = HYPSIM_SIP_PKVM_TEST; c[1] = PKVM_TEST_PIN; c[2] = 0x40800 + (data[1] & 0x3f); c[3] = 1; break;
		case 5: c[0] = KVM_HOST_SMCCC_ID(PKVM_HC_PROT_FINALIZE); break;
		case 6: c[0] = KVM_HOST_SMCCC_ID(PKVM_HC_FLUSH_VM_CONTEXT + data[1] % 6); c[1] = word(data + 2); break;
		default: { /* vendor-hyp ids the dispatcher must refuse: below hcall_min, or past the table */
			uint64_t id = data[1] % 64;

			c[0] = KVM_HOST_SMCCC_ID(id >= 7 && id <= 32 ? id + 33 : id) | (uint64_t)(data[2] & 1) << 32;
			c[1] = data[9];
		}
		}
	}
	switch (fuzz_calls((const uint64_t(*)[6])calls, n, dir ? dir : HYPSIM_BUILD_GUEST_DIR, what, sizeof(what))) {
	case 1:
		fprintf(stderr, "fuzz_hcall: oracle violation: %s\n", what);
		abort();
	case 2:
		fprintf(stderr, "fuzz_hcall: cannot set up: %s\n", what);
		exit(2);
	}
	return 0;
}
