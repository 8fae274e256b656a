/* SPDX-License-Identifier: MIT */
/*
 * How a scenario reports: a failed expectation (the run goes on), an input
 * error (the scenario ends), and the comparison every `OP VALUE` check makes.
 * Each names the command's file:line:column.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_internal.h"

void scn_failf(struct exec *x, const struct scn_cmd *c, const char *fmt, ...)
{
	struct scn_failure *f = realloc(x->r->fails, (size_t)(x->r->nfails + 1) * sizeof(*f));
	va_list ap;

	if (!f)
		return;
	x->r->fails = f;
	f = &f[x->r->nfails++];
	f->line = c ? c->line : 0;
	f->col = c ? c->col : 0;
	va_start(ap, fmt);
	vsnprintf(f->msg, sizeof(f->msg), fmt, ap);
	va_end(ap);
}

int scn_errorf(struct exec *x, const struct scn_cmd *c, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(x->r->error, sizeof(x->r->error), "%s:%d:%d: %s", x->s->path, c->line, c->col, msg);
	x->r->status = SCN_ERROR;
	return -1;
}

static bool compare(uint64_t got, enum scn_op op, uint64_t want)
{
	switch (op) {
	case SCN_EQ: return got == want;
	case SCN_NE: return got != want;
	case SCN_LT: return got < want;
	case SCN_LE: return got <= want;
	case SCN_GT: return got > want;
	case SCN_GE: return got >= want;
	}
	return false;
}

const char *scn_op_text(enum scn_op op)
{
	static const char *const t[] = { "==", "!=", "<", "<=", ">", ">=" };

	return t[op];
}

void scn_check_op(struct exec *x, const struct scn_cmd *c, const char *what, uint64_t got, enum scn_op op,
		  uint64_t want)
{
	if (!compare(got, op, want))
		scn_failf(x, c, "expected %s %s 0x%" PRIx64 " (%" PRId64 "), got 0x%" PRIx64 " (%" PRId64 ")", what,
			  scn_op_text(op), want, (int64_t)want, got, (int64_t)got);
}

void scn_check_value(struct exec *x, const struct scn_cmd *c, const char *what, uint64_t got)
{
	scn_check_op(x, c, what, got, c->op, c->b);
}
