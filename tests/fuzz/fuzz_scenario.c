/* SPDX-License-Identifier: MIT */
/* libFuzzer: the scenario parser must answer any input with a result or an error. */
#include <stddef.h>
#include <stdint.h>

#include "scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scenario s;
	char err[512];

	if (scenario_parse("fuzz.scn", (const char *)data, size, &s, err, sizeof(err)) == 0)
		scenario_free(&s);
	else
		scenario_free(&s);
	return 0;
}
