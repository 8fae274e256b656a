/* SPDX-License-Identifier: MIT */
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include "binding.h"
#include "trace.h"

static const char *const names[EV__COUNT] = {
	[EV_HVC] = "hvc",
	[EV_MMIO] = "mmio",
	[EV_SMC] = "smc",
	[EV_SBI] = "sbi",
	[EV_SEMIHOST] = "semihost",
	[EV_COUNTER_READ] = "counter-read",
	[EV_IRQ_INJECT] = "irq-inject",
	[EV_IRQ_ACK] = "irq-ack",
	[EV_WFI] = "wfi",
	[EV_WAKE] = "wake",
	[EV_EXIT] = "exit",
	[EV_GUEST_FAULT] = "guest-fault",
	[EV_DEADLOCK] = "deadlock",
	[EV_INSN_LIMIT] = "insn-limit",
	[EV_HYP_PANIC] = "hyp-panic",
	[EV_S2_FAULT] = "s2-fault",
	[EV_ABORT_INJECT] = "abort-inject",
	[EV_UNMODELLED] = "unmodelled",
	[EV_OWNERSHIP] = "ownership-violation",
	[EV_CSR] = "csr",
	[EV_TIMER] = "timer",
	[EV_CPU_ON] = "cpu-on",
	[EV_CPU_OFF] = "cpu-off",
	[EV_MEM_WRITE] = "mem-write",
	[EV_CODE] = "code",
	[EV_VCPU_SWITCH] = "vcpu-switch",
	[EV_PERCPU_CROSS] = "percpu-cross",
	[EV_SIC] = "sic",
};

/* A binding's kinds follow the machine's, in table order: the name of kind @k, or NULL. */
static const char *binding_kind(int k)
{
	const char *const *n;
	int i, next = EV__COUNT;

	for (i = 0; machine_bindings[i]; i++)
		for (n = machine_bindings[i]->trace_kinds; n && *n; n++, next++)
			if (next == k)
				return *n;
	return NULL;
}

const char *ev_kind_name(int k)
{
	const char *n = k < 0 ? NULL : k < EV__COUNT ? names[k] : binding_kind(k);

	return n ? n : "?";
}

int ev_kind_lookup(const char *name)
{
	int k, n = ev_kind_count();

	for (k = 0; k < n; k++)
		if (strcmp(ev_kind_name(k), name) == 0)
			return k;
	return -1;
}

int ev_kind_count(void)
{
	int k = EV__COUNT;

	while (k < EV_MAX_KINDS && binding_kind(k))
		k++;
	return k;
}

static void put(struct tline *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct tline *l, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (l->len >= sizeof(l->buf) - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(l->buf + l->len, sizeof(l->buf) - l->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		l->len += (size_t)n < sizeof(l->buf) - l->len ? (size_t)n : sizeof(l->buf) - 1 - l->len;
}

void tl_begin(struct tline *l, int kind, uint64_t time, int vcpu, uint64_t pc)
{
	l->len = 0;
	put(l, "{\"t\":%" PRIu64 ",\"vcpu\":%d,\"pc\":\"0x%" PRIx64 "\",\"kind\":\"%s\"", time, vcpu, pc,
	    ev_kind_name(kind));
}

void tl_u64(struct tline *l, const char *key, uint64_t v)
{
	put(l, ",\"%s\":%" PRIu64, key, v);
}

void tl_i64(struct tline *l, const char *key, int64_t v)
{
	put(l, ",\"%s\":%" PRId64, key, v);
}

void tl_hex(struct tline *l, const char *key, uint64_t v)
{
	put(l, ",\"%s\":\"0x%" PRIx64 "\"", key, v);
}

void tl_hex_array(struct tline *l, const char *key, const uint64_t *v, size_t n)
{
	size_t i;

	put(l, ",\"%s\":[", key);
	for (i = 0; i < n; i++)
		put(l, "%s\"0x%" PRIx64 "\"", i ? "," : "", v[i]);
	put(l, "]");
}

void tl_str(struct tline *l, const char *key, const char *s)
{
	put(l, ",\"%s\":\"", key);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			put(l, "\\%c", ch);
		else if (ch < 0x20 || ch >= 0x7f)
			put(l, "\\u%04x", ch);
		else
			put(l, "%c", ch);
	}
	put(l, "\"");
}

void tl_write(struct tline *l, FILE *f)
{
	fwrite(l->buf, 1, l->len, f);
	fputs("}\n", f);
}

const char *json_escape_char(unsigned char ch, char buf[8])
{
	switch (ch) {
	case '"': return "\\\"";
	case '\\': return "\\\\";
	case '\n': return "\\n";
	case '\t': return "\\t";
	case '\r': return "\\r";
	default:
		if (ch < 0x20 || ch >= 0x7f)
			snprintf(buf, 8, "\\u%04x", ch);
		else {
			buf[0] = (char)ch;
			buf[1] = '\0';
		}
		return buf;
	}
}

void json_write_string(FILE *f, const char *s, size_t len)
{
	char buf[8];
	size_t i;

	fputc('"', f);
	for (i = 0; i < len; i++)
		fputs(json_escape_char((unsigned char)s[i], buf), f);
	fputc('"', f);
}
