/* SPDX-License-Identifier: MIT */
#include "smccc.h"

struct smccc_fid smccc_decode(uint64_t x0)
{
	uint32_t w0 = (uint32_t)x0;
	struct smccc_fid f = {
		.fast = (w0 & SMCCC_FAST_CALL) != 0,
		.conv64 = (w0 & SMCCC_CONV_64) != 0,
		.owner = (w0 >> 24) & 0x3f,
		.func = w0 & 0xffff,
	};

	f.well_formed = (x0 >> 32) == 0 && (!f.fast || ((w0 >> 17) & 0x7f) == 0);
	return f;
}

const char *smccc_owner_name(unsigned owner)
{
	static const char *const names[] = { "arch", "cpu", "sip", "oem", "std-secure", "std-hyp", "vendor-hyp" };

	if (owner < sizeof(names) / sizeof(names[0]))
		return names[owner];
	if (owner >= 48 && owner <= 49)
		return "trusted-app";
	if (owner >= 50)
		return "trusted-os";
	return "reserved";
}
