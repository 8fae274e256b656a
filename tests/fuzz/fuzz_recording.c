/* SPDX-License-Identifier: MIT */
/* libFuzzer: the recording reader, replay and model-only replay (recordings and hand-written
 * hcall logs), must answer any input with a verdict, never a crash. */
#include <stdint.h>
#include <stdio.h>

#include "record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct replay_opts o = { .json = true, .context = 3 };
	FILE *in = fmemopen((void *)data, size, "r"), *out = fopen("/dev/null", "w");

	if (in && out) {
		replay_stream(in, "fuzz.rec", &o, out, NULL);
		rewind(in);
		replay_model_stream(in, "fuzz.rec", &o, out);
	}
	if (in)
		fclose(in);
	if (out)
		fclose(out);
	return 0;
}
