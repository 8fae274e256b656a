/* SPDX-License-Identifier: MIT */
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include "binding.h"
#include "trace.h"

static const char *const names[EV__COUNT] = {
	[EV_HVC] = "hvc",
	[EV_MMIO] = "mmio",
	[EV_EXCEPTION] = "exception",
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
	[EV_TIME_END] = "time-end",
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

/*
 * Appenders: a line stops growing at sizeof(buf) - 1 bytes, as snprintf()
 * would cut it.  Hand-written because trace lines are built for every event
 * of a recorded run (printf's parsing was most of the recording's cost).
 */
static void put_mem(struct tline *l, const char *s, size_t n)
{
	size_t room = sizeof(l->buf) - 1 - l->len;

	if (l->len >= sizeof(l->buf) - 1)
		return;
	if (n > room)
		n = room;
	memcpy(l->buf + l->len, s, n);
	l->len += n;
	l->buf[l->len] = '\0';
}

static void put_str(struct tline *l, const char *s)
{
	put_mem(l, s, strlen(s));
}

static void put_u64(struct tline *l, uint64_t v)
{
	char b[24];
	int i = sizeof(b);

	do
		b[--i] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	put_mem(l, b + i, sizeof(b) - (size_t)i);
}

static void put_i64(struct tline *l, int64_t v)
{
	if (v < 0) {
		put_mem(l, "-", 1);
		put_u64(l, 0 - (uint64_t)v);
		return;
	}
	put_u64(l, (uint64_t)v);
}

/* "0x..." in lowercase, no leading zeros (as %#llx would, but 0 is "0x0"). */
static void put_hex(struct tline *l, uint64_t v)
{
	static const char digits[] = "0123456789abcdef";
	char b[20];
	int i = sizeof(b);

	do
		b[--i] = digits[v & 15];
	while ((v >>= 4) != 0);
	b[--i] = 'x';
	b[--i] = '0';
	put_mem(l, b + i, sizeof(b) - (size_t)i);
}

static void put_key(struct tline *l, const char *key)
{
	put_mem(l, ",\"", 2);
	put_str(l, key);
	put_mem(l, "\":", 2);
}

void tl_begin(struct tline *l, int kind, uint64_t time, int vcpu, uint64_t pc)
{
	l->len = 0;
	l->vcpu = vcpu;
	l->kind = kind;
	l->pc = pc;
	put_mem(l, "{\"t\":", 5);
	put_u64(l, time);
	put_mem(l, ",\"vcpu\":", 8);
	put_i64(l, vcpu);
	put_mem(l, ",\"pc\":\"", 7);
	put_hex(l, pc);
	put_mem(l, "\",\"kind\":\"", 10);
	put_str(l, ev_kind_name(kind));
	put_mem(l, "\"", 1);
}

void tl_u64(struct tline *l, const char *key, uint64_t v)
{
	put_key(l, key);
	put_u64(l, v);
}

void tl_i64(struct tline *l, const char *key, int64_t v)
{
	put_key(l, key);
	put_i64(l, v);
}

void tl_hex(struct tline *l, const char *key, uint64_t v)
{
	put_key(l, key);
	put_mem(l, "\"", 1);
	put_hex(l, v);
	put_mem(l, "\"", 1);
}

void tl_hex_array(struct tline *l, const char *key, const uint64_t *v, size_t n)
{
	size_t i;

	put_key(l, key);
	put_mem(l, "[", 1);
	for (i = 0; i < n; i++) {
		put_mem(l, i ? ",\"" : "\"", i ? 2 : 1);
		put_hex(l, v[i]);
		put_mem(l, "\"", 1);
	}
	put_mem(l, "]", 1);
}

void tl_str(struct tline *l, const char *key, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	put_key(l, key);
	put_mem(l, "\"", 1);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		char esc[6] = { '\\', 'u', '0', '0', hex[ch >> 4], hex[ch & 15] };

		if (ch == '"' || ch == '\\') {
			esc[1] = (char)ch;
			put_mem(l, esc, 2);
		} else if (ch < 0x20 || ch >= 0x7f) {
			put_mem(l, esc, 6);
		} else {
			put_mem(l, (const char *)&ch, 1);
		}
	}
	put_mem(l, "\"", 1);
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
