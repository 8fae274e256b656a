/* SPDX-License-Identifier: MIT */
/*
 * The scenario language's lexer and argument readers, shared by the parser
 * and every model family: tokens separated by blanks, `#` starts a comment,
 * "double quoted" strings take \n \t \\ \" \xNN escapes; numbers, scaled
 * values (sizes, frequencies, times), operators, and the error report that
 * names file:line:column.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_internal.h"

int scn_perr(struct pctx *p, int col, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(p->err, p->errlen, "%s:%d:%d: %s", p->path, p->line, col, msg);
	return -1;
}

/* Column just past the last token: where a missing argument should be. */
static int end_col(const struct pctx *p)
{
	const struct tok *t = &p->t[p->n - 1];

	return t->col + (int)t->len + (t->quoted ? 2 : 0);
}

/* ---- tokenizer ----------------------------------------------------------- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Unescape a quoted string starting after the opening quote. */
static int lex_string(struct pctx *p, const char *line, size_t *pos, char **out)
{
	int start_col = (int)*pos + 1;
	size_t i = *pos + 1;
	char *o = *out;

	for (;; i++) {
		char c = line[i];

		if (c == '\0')
			return scn_perr(p, start_col, "unterminated string");
		if (c == '"')
			break;
		if (c != '\\') {
			*o++ = c;
			continue;
		}
		c = line[++i];
		switch (c) {
		case 'n': *o++ = '\n'; break;
		case 't': *o++ = '\t'; break;
		case 'r': *o++ = '\r'; break;
		case '0': *o++ = '\0'; break;
		case '\\': *o++ = '\\'; break;
		case '"': *o++ = '"'; break;
		case 'x':
			if (hexval(line[i + 1]) < 0 || hexval(line[i + 2]) < 0)
				return scn_perr(p, (int)i, "\\x needs two hex digits");
			*o++ = (char)(hexval(line[i + 1]) * 16 + hexval(line[i + 2]));
			i += 2;
			break;
		default:
			return scn_perr(p, (int)i, "unknown escape \\%c", c ? c : '0');
		}
	}
	*pos = i + 1;
	*out = o;
	return 0;
}

int scn_tokenize(struct pctx *p, const char *line)
{
	size_t pos = 0;
	char *o = p->buf;

	p->n = 0;
	p->i = 0;
	for (;;) {
		struct tok *t;

		while (line[pos] == ' ' || line[pos] == '\t')
			pos++;
		if (line[pos] == '\0' || line[pos] == '#')
			return 0;
		if (p->n == MAX_TOKENS)
			return scn_perr(p, (int)pos + 1, "too many words on one line (at most %d)", MAX_TOKENS);
		t = &p->t[p->n++];
		t->col = (int)pos + 1;
		t->text = o;
		t->quoted = line[pos] == '"';
		if (t->quoted) {
			if (lex_string(p, line, &pos, &o) < 0)
				return -1;
		} else {
			while (line[pos] && line[pos] != ' ' && line[pos] != '\t' && line[pos] != '#')
				*o++ = line[pos++];
		}
		t->len = (size_t)(o - t->text);
		*o++ = '\0';
	}
}

/* ---- token accessors ----------------------------------------------------- */

struct tok *scn_next(struct pctx *p, const char *what)
{
	if (p->i >= p->n) {
		scn_perr(p, end_col(p), "missing %s", what);
		return NULL;
	}
	return &p->t[p->i++];
}

bool scn_is(const struct tok *t, const char *word)
{
	return !t->quoted && strcmp(t->text, word) == 0;
}

int scn_expect_word(struct pctx *p, const char *word)
{
	struct tok *t = scn_next(p, word);

	if (!t)
		return -1;
	if (!scn_is(t, word))
		return scn_perr(p, t->col, "expected '%s', found '%s'", word, t->text);
	return 0;
}

int scn_no_more(struct pctx *p)
{
	if (p->i < p->n)
		return scn_perr(p, p->t[p->i].col, "unexpected '%s'", p->t[p->i].text);
	return 0;
}

/* ---- numbers --------------------------------------------------------------- */

/* Integer: decimal, 0x hex or 0b binary, `_` separators, optional leading '-'. */
static int num_prefix(const char *s, uint64_t *v, const char **end)
{
	bool neg = *s == '-';
	unsigned base = 10;
	uint64_t acc = 0;
	int digits = 0;

	if (neg)
		s++;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16, s += 2;
	else if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
		base = 2, s += 2;
	for (; *s; s++) {
		int d = hexval(*s);

		if (*s == '_' && digits)
			continue;
		if (d < 0 || (unsigned)d >= base)
			break;
		if (acc > (UINT64_MAX - (unsigned)d) / base)
			return -ERANGE;
		acc = acc * base + (unsigned)d;
		digits++;
	}
	if (!digits)
		return -EINVAL;
	*v = neg ? (uint64_t)0 - acc : acc;
	*end = s;
	return 0;
}

int scn_number(struct pctx *p, const char *what, uint64_t *v)
{
	struct tok *t = scn_next(p, what);
	const char *end;
	int r;

	if (!t)
		return -1;
	r = t->quoted ? -EINVAL : num_prefix(t->text, v, &end);
	if (r == -ERANGE)
		return scn_perr(p, t->col, "%s '%s' does not fit in 64 bits", what, t->text);
	if (r < 0 || *end)
		return scn_perr(p, t->col, "%s: expected a number, found '%s'", what, t->text);
	return 0;
}

/* A vCPU index that exists on the machine being described. */
int scn_vcpu_arg(struct pctx *p, int *vcpu)
{
	uint64_t v;

	if (scn_number(p, "vcpu index", &v) < 0)
		return -1;
	if (v >= (uint64_t)p->s->cfg.nvcpus)
		return scn_perr(p, p->t[p->i - 1].col, "vcpu %llu does not exist (the machine has %d)",
			    (unsigned long long)v, p->s->cfg.nvcpus);
	*vcpu = (int)v;
	return 0;
}

/* The last argument of a checker expectation: 'ok', or a "quoted" part of the violation (into *text). */
int scn_ok_or_text(struct pctx *p, struct scn_cmd *c, size_t offset)
{
	struct tok *t = scn_next(p, "'ok' or \"text\"");
	char *ext;

	if (!t)
		return -1;
	if (scn_is(t, "ok"))
		return scn_no_more(p);
	if (!t->quoted)
		return scn_perr(p, t->col, "expected 'ok' or a \"quoted\" part of the violation");
	if (!(ext = realloc(c->ext, offset + t->len + 1)))
		return scn_perr(p, t->col, "out of memory");
	c->ext = ext;
	memcpy(ext + offset, t->text, t->len + 1);
	return scn_no_more(p) < 0 ? -1 : 1;
}

/*
 * A decimal with an optional fraction times a unit scale, required to be a
 * whole number: "62.5MHz" -> 62500000, "1.5ms" -> 1500000 (ns).
 */
static int scaled(const char *s, const struct scn_unit *units, uint64_t *v, bool *had_unit)
{
	uint64_t whole = 0, frac = 0, frac_div = 1;
	const char *q = s;
	const struct scn_unit *u;
	unsigned __int128 r;
	int n = num_prefix(s, &whole, &q);

	if (n == -ERANGE && *s != '-')
		return -ERANGE; /* digits past 2^64 - 1: too large, not "not a number" */
	if (n < 0 || *s == '-')
		return -EINVAL;
	if (*q == '.' && q[1] >= '0' && q[1] <= '9') {
		for (q++; *q >= '0' && *q <= '9'; q++) {
			if (frac_div >= 1000000000000000000ull)
				return -EINVAL;
			frac = frac * 10 + (uint64_t)(*q - '0');
			frac_div *= 10;
		}
	}
	*had_unit = *q != '\0';
	for (u = units; u->name; u++)
		if (strcmp(q, u->name) == 0)
			break;
	if (!u->name)
		return -EINVAL;
	r = (unsigned __int128)whole * u->scale + (unsigned __int128)frac * u->scale / frac_div;
	if ((unsigned __int128)frac * u->scale % frac_div)
		return -EDOM;
	if (r > UINT64_MAX)
		return -ERANGE;
	*v = (uint64_t)r;
	return 0;
}

int scn_scaled_arg(struct pctx *p, const char *what, const struct scn_unit *units, const char *hint,
		      uint64_t *v, bool *had_unit)
{
	struct tok *t = scn_next(p, what);
	bool dummy;
	int r;

	if (!t)
		return -1;
	r = t->quoted ? -EINVAL : scaled(t->text, units, v, had_unit ? had_unit : &dummy);
	if (r == -EDOM)
		return scn_perr(p, t->col, "%s '%s' is not a whole number of the base unit", what, t->text);
	if (r == -ERANGE)
		return scn_perr(p, t->col, "%s '%s' is too large", what, t->text);
	if (r < 0)
		return scn_perr(p, t->col, "%s: expected %s, found '%s'", what, hint, t->text);
	return 0;
}

const struct scn_unit scn_size_units[] = {
	{ "", 1 }, { "K", 1ull << 10 }, { "KiB", 1ull << 10 }, { "M", 1ull << 20 }, { "MiB", 1ull << 20 },
	{ "G", 1ull << 30 }, { "GiB", 1ull << 30 }, { NULL, 0 },
};
const struct scn_unit scn_freq_units[] = {
	{ "", 1 }, { "Hz", 1 }, { "kHz", 1000 }, { "MHz", 1000000 }, { "GHz", 1000000000 }, { NULL, 0 },
};
/* Times: a bare number is cycles; with a unit, nanoseconds. */
static const struct scn_unit time_units[] = {
	{ "", 1 }, { "ns", 1 }, { "us", 1000 }, { "ms", 1000000 }, { "s", 1000000000 }, { "min", 60000000000 },
	{ "h", 3600000000000 }, { "d", 86400000000000 }, { NULL, 0 },
};

int scn_time_text(struct pctx *p, int col, const char *what, const char *text, bool ticks, struct scn_time *t)
{
	bool unit = false;
	int r = scaled(text, time_units, &t->value, &unit);

	if (r == 0 && ticks && unit)
		return scn_perr(p, col, "%s: a tick count is a plain number, found '%s'", what, text);
	if (r == -ERANGE)
		return scn_perr(p, col, "%s '%s' is too large", what, text);
	if (r < 0)
		return scn_perr(p, col, "%s: expected %s, found '%s'", what,
				ticks ? "a tick count" : "cycles or a time such as 10us", text);
	t->ns = unit;
	return 0;
}

int scn_time_arg(struct pctx *p, const char *what, struct scn_time *t)
{
	bool unit = false;

	if (scn_scaled_arg(p, what, time_units, "cycles or a time such as 10us", &t->value, &unit) < 0)
		return -1;
	t->ns = unit;
	return 0;
}

int scn_op_arg(struct pctx *p, enum scn_op *op)
{
	static const char *const ops[] = { "==", "!=", "<", "<=", ">", ">=" };
	struct tok *t = scn_next(p, "comparison (==, !=, <, <=, >, >=)");
	int i;

	if (!t)
		return -1;
	for (i = 0; i < 6; i++)
		if (scn_is(t, ops[i])) {
			*op = (enum scn_op)i;
			return 0;
		}
	return scn_perr(p, t->col, "expected a comparison (==, !=, <, <=, >, >=), found '%s'", t->text);
}

int scn_width_arg(struct pctx *p, int *width)
{
	struct tok *t = scn_next(p, "access width (u8, u16, u32, u64)");

	if (!t)
		return -1;
	if (scn_is(t, "u8"))
		*width = 1;
	else if (scn_is(t, "u16"))
		*width = 2;
	else if (scn_is(t, "u32"))
		*width = 4;
	else if (scn_is(t, "u64"))
		*width = 8;
	else
		return scn_perr(p, t->col, "expected u8, u16, u32 or u64, found '%s'", t->text);
	return 0;
}

int scn_string_arg(struct pctx *p, const char *what, struct scn_cmd *c)
{
	struct tok *t = scn_next(p, what);

	if (!t)
		return -1;
	c->str = malloc(t->len + 1);
	if (!c->str)
		return scn_perr(p, t->col, "out of memory");
	memcpy(c->str, t->text, t->len + 1);
	c->str_len = t->len;
	return 0;
}

/* Trailing "vcpu N" and (when allowed) "at TIME" clauses, in any order. */
int scn_clauses(struct pctx *p, struct scn_cmd *c, bool allow_at)
{
	while (p->i < p->n) {
		struct tok *t = &p->t[p->i++];

		if (scn_is(t, "vcpu")) {
			if (scn_vcpu_arg(p, &c->vcpu) < 0)
				return -1;
		} else if (allow_at && scn_is(t, "at")) {
			if (scn_time_arg(p, "time", &c->t) < 0)
				return -1;
			c->has_at = true;
		} else {
			return scn_perr(p, t->col, "unexpected '%s'%s", t->text,
				    allow_at ? " (expected 'vcpu N' or 'at TIME')" : " (expected 'vcpu N')");
		}
	}
	return 0;
}
