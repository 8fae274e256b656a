/* SPDX-License-Identifier: MIT */
/* Model-only replay: hypercalls straight into models/pkvm (record.h). */
#include "record.h"

enum replay_status replay_model_file(const char *path, const struct replay_opts *opts, FILE *out)
{
	(void)opts;
	fprintf(out, "replay: %s: model-only replay is not built yet\n", path);
	return REPLAY_BAD;
}
