/* SPDX-License-Identifier: MIT */
/*
 * A GDB remote serial protocol stub (GDB manual, "Remote Protocol") for
 * `hypsim run --gdb`.  All-stop: when GDB has the machine, every vCPU stands
 * still and virtual time does not move.  Threads are vCPUs (thread id =
 * index + 1).  Breakpoints and watchpoints live in the cpu layer
 * (cpu_debug_*) and never touch guest memory.  docs/gdb.md describes it.
 */
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "binding.h"
#include "firmware.h"
#include "gdbstub.h"
#include "gtimer.h"

#define PKT_MAX 16384

struct gdbstub {
	int lfd, fd;
	char unix_path[108];
	struct machine_debugger dbg;
	struct machine *m;
	int gthread, cthread;   /* vCPU for register/memory access, for step; -1: the stopped one */
	int stopped_vcpu;
	bool resumed;           /* GDB waits for a stop reply */
	bool detached;
	char in[PKT_MAX], out[PKT_MAX];
};

/* ---- the connection ----------------------------------------------------------------------------- */

static int listen_tcp(struct gdbstub *g, const char *where, char *err, size_t n)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	char *end;
	unsigned long port = strtoul(where, &end, 10);
	int one = 1;

	if (*where == '\0' || *end || port > 65535) {
		snprintf(err, n, "--gdb needs a port number or unix:PATH, not '%s'", where);
		return -1;
	}
	a.sin_port = htons((uint16_t)port);
	if ((g->lfd = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    setsockopt(g->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(g->lfd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(g->lfd, 1) < 0 ||
	    getsockname(g->lfd, (struct sockaddr *)&a, &len) < 0) {
		snprintf(err, n, "cannot listen on 127.0.0.1:%lu: %s", port, strerror(errno));
		return -1;
	}
	fprintf(stderr, "hypsim: waiting for GDB on 127.0.0.1:%u\n", ntohs(a.sin_port));
	return 0;
}

static int listen_unix(struct gdbstub *g, const char *path, char *err, size_t n)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };

	if (strlen(path) >= sizeof(a.sun_path)) {
		snprintf(err, n, "the socket path '%s' is too long", path);
		return -1;
	}
	strcpy(a.sun_path, path);
	unlink(path);
	if ((g->lfd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0 || bind(g->lfd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(g->lfd, 1) < 0) {
		snprintf(err, n, "cannot listen on %s: %s", path, strerror(errno));
		return -1;
	}
	snprintf(g->unix_path, sizeof(g->unix_path), "%s", path);
	fprintf(stderr, "hypsim: waiting for GDB on %s\n", path);
	return 0;
}

static int get_byte(struct gdbstub *g)
{
	unsigned char ch;

	return g->fd >= 0 && read(g->fd, &ch, 1) == 1 ? ch : -1;
}

static void put(struct gdbstub *g, const char *s, size_t n)
{
	while (g->fd >= 0 && n) {
		ssize_t w = write(g->fd, s, n);

		if (w <= 0) {
			close(g->fd);
			g->fd = -1;
			return;
		}
		s += w;
		n -= (size_t)w;
	}
}

/* Send $data#cs and wait for GDB's '+' (a '-' asks again). */
static void send_packet(struct gdbstub *g, const char *data)
{
	char head = '$', tail[4];
	unsigned sum = 0;
	size_t i, n = strlen(data);
	int ack;

	for (i = 0; i < n; i++)
		sum += (unsigned char)data[i];
	snprintf(tail, sizeof(tail), "#%02x", sum & 0xff);
	do {
		put(g, &head, 1);
		put(g, data, n);
		put(g, tail, 3);
		ack = get_byte(g);
	} while (ack == '-');
}

/* The next packet's data in g->in (NUL-terminated).  0x03 (interrupt) is returned as "\x03". Return: -1 when GDB left. */
static int recv_packet(struct gdbstub *g)
{
	int ch;
	size_t n;

	for (;;) {
		while ((ch = get_byte(g)) != '$' && ch != 0x03)
			if (ch < 0)
				return -1;
		if (ch == 0x03) {
			strcpy(g->in, "\x03");
			return 0;
		}
		for (n = 0; (ch = get_byte(g)) >= 0 && ch != '#'; )
			if (n + 1 < sizeof(g->in))
				g->in[n++] = (char)ch;
		g->in[n] = '\0';
		if (ch < 0 || get_byte(g) < 0 || get_byte(g) < 0)
			return -1;
		put(g, "+", 1); /* the checksum is not checked: a local stream does not corrupt */
		return 0;
	}
}

/* ---- registers ------------------------------------------------------------------------------------- */

struct gdb_reg {
	const char *name; /* hypsim's name (cpu_reg_lookup) */
	unsigned bits;
};

static const char *const arm64_names[] = {
	"x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15",
	"x16", "x17", "x18", "x19", "x20", "x21", "x22", "x23", "x24", "x25", "x26", "x27", "x28", "x29", "x30",
	"sp", "pc", "pstate", "esr_el1", "far_el1", "elr_el1", "vbar_el1", "sp_el0", "tpidr_el1", "tpidr_el2",
	/* read-only: the generic timer (the model's), the host stage-2's EL2 registers */
	"cntp_ctl_el0", "cntp_cval_el0", "cntv_ctl_el0", "cntv_cval_el0", "cntvoff_el2", "hcr_el2", "vttbr_el2",
	"vtcr_el2", NULL,
};
#define ARM64_FIRST_MODEL 41
static const char *const riscv_names[] = {
	"x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15",
	"x16", "x17", "x18", "x19", "x20", "x21", "x22", "x23", "x24", "x25", "x26", "x27", "x28", "x29", "x30",
	"x31", "pc", "sstatus", "sie", "stvec", "sscratch", "sepc", "scause", "stval", "sip", "satp", "stimecmp",
	/* the FP registers GDB needs for an ELF built with D: reported unavailable */
	"f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10", "f11", "f12", "f13", "f14", "f15",
	"f16", "f17", "f18", "f19", "f20", "f21", "f22", "f23", "f24", "f25", "f26", "f27", "f28", "f29", "f30",
	"f31", "fcsr", NULL,
};
#define RISCV_FIRST_CSR 33
#define RISCV_STIMECMP 42 /* the Sstc model's, read-only */
#define RISCV_FIRST_FP 43

static const char *const *reg_names(enum cpu_arch arch)
{
	return arch == CPU_ARM64 ? arm64_names : riscv_names;
}

/* The width of register @i in GDB's view. */
static unsigned reg_bits(enum cpu_arch arch, int i)
{
	if (arch == CPU_ARM64)
		return i == 33 ? 32 : 64; /* cpsr */
	if (i == RISCV_FIRST_FP + 32)
		return 32; /* fcsr */
	return i >= RISCV_FIRST_FP || i == RISCV_STIMECMP ? 64 : arch == CPU_RISCV32 ? 32 : 64;
}

static int reg_count(enum cpu_arch arch)
{
	const char *const *n = reg_names(arch);
	int i = 0;

	while (n[i])
		i++;
	return i;
}

static void hex_le(char *out, uint64_t v, unsigned bytes)
{
	unsigned i;

	for (i = 0; i < bytes; i++)
		sprintf(out + 2 * i, "%02x", (unsigned)((v >> (8 * i)) & 0xff));
}

static uint64_t unhex_le(const char *s, unsigned bytes)
{
	uint64_t v = 0;
	unsigned i, b;

	for (i = 0; i < bytes && s[2 * i] && s[2 * i + 1]; i++) {
		sscanf(s + 2 * i, "%2x", &b);
		v |= (uint64_t)b << (8 * i);
	}
	return v;
}

static struct cpu *thread_cpu(struct gdbstub *g, int t)
{
	int i = t >= 0 ? t : g->stopped_vcpu;

	return &g->m->vcpus[i < g->m->cfg.nvcpus ? i : 0].cpu;
}

/* A register hypsim's models hold, not the CPU (read-only). */
static bool model_reg(struct gdbstub *g, int i, uint64_t *v)
{
	static const int gt[] = { GT_CNTP_CTL, GT_CNTP_CVAL, GT_CNTV_CTL, GT_CNTV_CVAL, GT_CNTVOFF };
	struct cpu *c = thread_cpu(g, g->gthread);
	struct vcpu *vc = &g->m->vcpus[c->index];

	if (g->m->cfg.arch != CPU_ARM64)
		return i == RISCV_STIMECMP && sstc_fw_stimecmp(g->m, vc, v);
	if (i >= ARM64_FIRST_MODEL && i < ARM64_FIRST_MODEL + 5)
		return gtimer_fw_reg(g->m, vc, gt[i - ARM64_FIRST_MODEL], v);
	if (i >= ARM64_FIRST_MODEL + 5) {
		*v = cpu_arm64_el2_reg(c, (enum cpu_arm64_el2_reg)(i - ARM64_FIRST_MODEL - 5));
		return true;
	}
	return false;
}

static bool read_reg(struct gdbstub *g, int i, char *out)
{
	enum cpu_arch arch = g->m->cfg.arch;
	int reg = cpu_reg_lookup(arch, reg_names(arch)[i]);
	uint64_t v = 0;

	if (reg < 0 ? !model_reg(g, i, &v) : cpu_reg_read(thread_cpu(g, g->gthread), reg, &v) < 0)
		return false;
	hex_le(out, v, reg_bits(arch, i) / 8);
	return true;
}

static void cmd_read_regs(struct gdbstub *g)
{
	int i, n = reg_count(g->m->cfg.arch);
	size_t at = 0;

	for (i = 0; i < n; i++) {
		if (!read_reg(g, i, g->out + at))
			memset(g->out + at, 'x', reg_bits(g->m->cfg.arch, i) / 4);
		at += reg_bits(g->m->cfg.arch, i) / 4;
	}
	g->out[at] = '\0';
	send_packet(g, g->out);
}

static void cmd_reg(struct gdbstub *g, const char *args, bool write)
{
	enum cpu_arch arch = g->m->cfg.arch;
	char *end;
	long i = strtol(args, &end, 16);
	int reg;

	if (i < 0 || i >= reg_count(arch) || (reg = cpu_reg_lookup(arch, reg_names(arch)[i])) < 0) {
		send_packet(g, "E01");
		return;
	}
	if (!write) {
		send_packet(g, read_reg(g, (int)i, g->out) ? g->out : "E01");
		return;
	}
	if (*end != '=' || cpu_reg_write(thread_cpu(g, g->gthread), reg, unhex_le(end + 1, reg_bits(arch, (int)i) / 8)) < 0)
		send_packet(g, "E01");
	else
		send_packet(g, "OK");
}

static const char *target_xml(enum cpu_arch arch)
{
	if (arch == CPU_ARM64)
		return "<?xml version=\"1.0\"?><!DOCTYPE target SYSTEM \"gdb-target.dtd\"><target>"
		       "<architecture>aarch64</architecture><feature name=\"org.gnu.gdb.aarch64.core\">"
		       "<reg name=\"x0\" bitsize=\"64\" regnum=\"0\"/><reg name=\"x1\" bitsize=\"64\"/>"
		       "<reg name=\"x2\" bitsize=\"64\"/><reg name=\"x3\" bitsize=\"64\"/><reg name=\"x4\" bitsize=\"64\"/>"
		       "<reg name=\"x5\" bitsize=\"64\"/><reg name=\"x6\" bitsize=\"64\"/><reg name=\"x7\" bitsize=\"64\"/>"
		       "<reg name=\"x8\" bitsize=\"64\"/><reg name=\"x9\" bitsize=\"64\"/><reg name=\"x10\" bitsize=\"64\"/>"
		       "<reg name=\"x11\" bitsize=\"64\"/><reg name=\"x12\" bitsize=\"64\"/><reg name=\"x13\" bitsize=\"64\"/>"
		       "<reg name=\"x14\" bitsize=\"64\"/><reg name=\"x15\" bitsize=\"64\"/><reg name=\"x16\" bitsize=\"64\"/>"
		       "<reg name=\"x17\" bitsize=\"64\"/><reg name=\"x18\" bitsize=\"64\"/><reg name=\"x19\" bitsize=\"64\"/>"
		       "<reg name=\"x20\" bitsize=\"64\"/><reg name=\"x21\" bitsize=\"64\"/><reg name=\"x22\" bitsize=\"64\"/>"
		       "<reg name=\"x23\" bitsize=\"64\"/><reg name=\"x24\" bitsize=\"64\"/><reg name=\"x25\" bitsize=\"64\"/>"
		       "<reg name=\"x26\" bitsize=\"64\"/><reg name=\"x27\" bitsize=\"64\"/><reg name=\"x28\" bitsize=\"64\"/>"
		       "<reg name=\"x29\" bitsize=\"64\"/><reg name=\"x30\" bitsize=\"64\"/>"
		       "<reg name=\"sp\" bitsize=\"64\" type=\"data_ptr\"/><reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\"/>"
		       "<reg name=\"cpsr\" bitsize=\"32\"/></feature><feature name=\"org.hypsim.aarch64.sys\">"
		       "<reg name=\"esr_el1\" bitsize=\"64\" group=\"system\"/><reg name=\"far_el1\" bitsize=\"64\" group=\"system\"/>"
		       "<reg name=\"elr_el1\" bitsize=\"64\" group=\"system\"/><reg name=\"vbar_el1\" bitsize=\"64\" group=\"system\"/>"
		       "<reg name=\"sp_el0\" bitsize=\"64\" group=\"system\"/><reg name=\"tpidr_el1\" bitsize=\"64\" group=\"system\"/>"
		       "<reg name=\"tpidr_el2\" bitsize=\"64\" group=\"system\"/>"
		       "<reg name=\"cntp_ctl_el0\" bitsize=\"64\" group=\"system\"/><reg name=\"cntp_cval_el0\" bitsize=\"64\" group=\"system\"/>"
		       "<reg name=\"cntv_ctl_el0\" bitsize=\"64\" group=\"system\"/><reg name=\"cntv_cval_el0\" bitsize=\"64\" group=\"system\"/>"
		       "<reg name=\"cntvoff_el2\" bitsize=\"64\" group=\"system\"/><reg name=\"hcr_el2\" bitsize=\"64\" group=\"system\"/>"
		       "<reg name=\"vttbr_el2\" bitsize=\"64\" group=\"system\"/><reg name=\"vtcr_el2\" bitsize=\"64\" group=\"system\"/>"
		       "</feature></target>";
	return NULL; /* riscv: built by riscv_xml() */
}

static void riscv_xml(enum cpu_arch arch, char *out, size_t n)
{
	static const char *const abi[] = { "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "fp", "s1", "a0",
					   "a1", "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5",
					   "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6" };
	unsigned bits = arch == CPU_RISCV32 ? 32 : 64;
	size_t at = 0;
	int i;

	at += (size_t)snprintf(out + at, n - at, "<?xml version=\"1.0\"?><!DOCTYPE target SYSTEM \"gdb-target.dtd\">"
				     "<target><architecture>riscv:rv%u</architecture>"
				     "<feature name=\"org.gnu.gdb.riscv.cpu\">", bits);
	for (i = 0; i < 32 && at < n; i++)
		at += (size_t)snprintf(out + at, n - at, "<reg name=\"%s\" bitsize=\"%u\" regnum=\"%d\"/>", abi[i], bits, i);
	at += (size_t)snprintf(out + at, n - at, "<reg name=\"pc\" bitsize=\"%u\" regnum=\"32\" type=\"code_ptr\"/>"
				     "</feature><feature name=\"org.gnu.gdb.riscv.csr\">", bits);
	for (i = RISCV_FIRST_CSR; i < RISCV_FIRST_FP && at < n; i++) /* stimecmp: 64 bits on RV32 too */
		at += (size_t)snprintf(out + at, n - at, "<reg name=\"%s\" bitsize=\"%u\" regnum=\"%d\" group=\"csr\"/>",
				       riscv_names[i], reg_bits(arch, i), i);
	at += (size_t)snprintf(out + at, n - at, "</feature><feature name=\"org.gnu.gdb.riscv.fpu\">");
	for (i = RISCV_FIRST_FP; riscv_names[i] && at < n; i++)
		at += (size_t)snprintf(out + at, n - at, "<reg name=\"%s\" bitsize=\"%u\" regnum=\"%d\"%s/>", riscv_names[i],
				       reg_bits(arch, i), i, i < RISCV_FIRST_FP + 32 ? " type=\"ieee_double\"" : "");
	if (at < n)
		snprintf(out + at, n - at, "</feature></target>");
}

/* qXfer:features:read:target.xml:OFF,LEN */
static void cmd_xfer(struct gdbstub *g, const char *args)
{
	static char buf[8192];
	const char *xml = target_xml(g->m->cfg.arch);
	unsigned long off, len;
	size_t total;

	if (!xml) {
		riscv_xml(g->m->cfg.arch, buf, sizeof(buf));
		xml = buf;
	}
	if (sscanf(args, "%lx,%lx", &off, &len) != 2) {
		send_packet(g, "E01");
		return;
	}
	total = strlen(xml);
	if (len > sizeof(g->out) - 2)
		len = sizeof(g->out) - 2;
	if (off >= total) {
		send_packet(g, "l");
		return;
	}
	g->out[0] = off + len >= total ? 'l' : 'm';
	snprintf(g->out + 1, len + 1, "%s", xml + off);
	send_packet(g, g->out);
}

/* ---- memory, points, threads ------------------------------------------------------------------- */

static void cmd_mem(struct gdbstub *g, const char *args, bool write)
{
	static uint8_t buf[PKT_MAX / 2];
	uint64_t addr, len;
	const char *data = strchr(args, ':');
	uint64_t i;

	if (sscanf(args, "%" SCNx64 ",%" SCNx64, &addr, &len) != 2 || len > sizeof(buf) - 1 || (write && !data)) {
		send_packet(g, "E01");
		return;
	}
	if (write) {
		for (i = 0; i < len; i++)
			buf[i] = (uint8_t)unhex_le(data + 1 + 2 * i, 1);
		send_packet(g, cpu_debug_write(thread_cpu(g, g->gthread), addr, buf, len) < 0 ? "E14" : "OK");
		return;
	}
	if (cpu_debug_read(thread_cpu(g, g->gthread), addr, buf, len) < 0) {
		send_packet(g, "E14");
		return;
	}
	for (i = 0; i < len; i++)
		sprintf(g->out + 2 * i, "%02x", buf[i]);
	g->out[2 * len] = '\0';
	send_packet(g, g->out);
}

/* Z/z TYPE,ADDR,KIND: 0/1 breakpoints, 2 write, 3 read, 4 access watchpoints, on every vCPU. */
static void cmd_point(struct gdbstub *g, const char *args, bool insert)
{
	static const enum cpu_debug_why kinds[] = { CPU_DBG_BREAK, CPU_DBG_BREAK, CPU_DBG_WATCH_WRITE,
						     CPU_DBG_WATCH_READ, CPU_DBG_WATCH_ACCESS };
	unsigned type;
	uint64_t addr, len;
	int i, bad = 0;

	if (sscanf(args, "%u,%" SCNx64 ",%" SCNx64, &type, &addr, &len) != 3 || type > 4) {
		send_packet(g, "");
		return;
	}
	for (i = 0; i < g->m->cfg.nvcpus; i++)
		bad |= type < 2 ? cpu_debug_break(&g->m->vcpus[i].cpu, addr, insert)
				: cpu_debug_watch(&g->m->vcpus[i].cpu, addr, len, kinds[type], insert);
	send_packet(g, bad ? "E0e" : "OK");
}

static void cmd_threads(struct gdbstub *g, const char *q)
{
	size_t at = 0;
	int i;

	if (strcmp(q, "qsThreadInfo") == 0) {
		send_packet(g, "l");
		return;
	}
	g->out[at++] = 'm';
	for (i = 0; i < g->m->cfg.nvcpus; i++)
		at += (size_t)snprintf(g->out + at, sizeof(g->out) - at, "%s%x", i ? "," : "", i + 1);
	send_packet(g, g->out);
}

/* Hg/Hc THREAD: -1 and 0 mean any (the stopped vCPU). */
static void cmd_thread_select(struct gdbstub *g, const char *args)
{
	long t = strtol(args + 1, NULL, 16);

	if (t > g->m->cfg.nvcpus) {
		send_packet(g, "E01");
		return;
	}
	if (args[0] == 'g')
		g->gthread = t > 0 ? (int)t - 1 : -1;
	else
		g->cthread = t > 0 ? (int)t - 1 : -1;
	send_packet(g, "OK");
}

/* ---- monitor commands (qRcmd) -------------------------------------------------------------------- */

static void monitor_out(struct gdbstub *g, const char *text)
{
	size_t i, n = strlen(text);

	g->out[0] = 'O';
	for (i = 0; i < n && 2 * i + 2 < sizeof(g->out); i++)
		sprintf(g->out + 1 + 2 * i, "%02x", (unsigned char)text[i]);
	send_packet(g, g->out);
}

static void monitor_models(struct gdbstub *g, char *text, size_t n)
{
	size_t at = 0;
	int i;

	for (i = 0; machine_bindings[i] && at < n; i++) {
		char d[512];

		if (!machine_model(g->m, machine_bindings[i]) || !machine_bindings[i]->digest ||
		    !machine_bindings[i]->digest(g->m, d, sizeof(d)))
			continue;
		at += (size_t)snprintf(text + at, n - at, "%s %s\n", machine_bindings[i]->name, d);
	}
}

/* The next (up to 8) events on the queue, in time order: a copy is popped, the queue is not touched. */
static void monitor_events(struct gdbstub *g, char *text, size_t n)
{
	struct evq q = g->m->evq;
	struct event e;
	size_t at = 0;
	int i;

	q.heap = malloc(q.cap ? q.cap * sizeof(*q.heap) : sizeof(*q.heap));
	if (!q.heap) {
		snprintf(text, n, "out of memory\n");
		return;
	}
	memcpy(q.heap, g->m->evq.heap, q.len * sizeof(*q.heap));
	if (q.len == 0)
		snprintf(text, n, "no event is scheduled\n");
	for (i = 0; i < 8 && at < n && evq_pop(&q, &e); i++)
		at += (size_t)snprintf(text + at, n - at, "cycle %" PRIu64 " (%" PRIu64 " ns): vcpu %d, %s\n", e.time,
				       vclock_ns(&g->m->clk, e.time), e.vcpu, e.kind == EVK_IRQ ? "interrupt line"
				       : e.kind == EVK_IRQ_EVERY ? "periodic interrupt" : e.kind >= EVK_MODEL &&
				       machine_bindings[e.kind - EVK_MODEL] ? machine_bindings[e.kind - EVK_MODEL]->name : "event");
	free(q.heap);
}

/* A time: cycles, or a number with ns, us, ms or s. Return: false when it is not one. */
static bool parse_time(const struct machine *m, const char *s, uint64_t *cycle)
{
	static const struct { const char *unit; uint64_t ns; } units[] = {
		{ "ns", 1 }, { "us", 1000 }, { "ms", 1000000 }, { "s", 1000000000 }, { "cycles", 0 }, { "", 0 },
	};
	char *end;
	uint64_t v = strtoull(s, &end, 0);
	size_t i;

	if (end == s)
		return false;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].unit) != 0)
			continue;
		if (!units[i].ns) {
			*cycle = v;
			return true;
		}
		if (v > UINT64_MAX / units[i].ns)
			return false;
		*cycle = vclock_cycle_for_ns(&m->clk, v * units[i].ns);
		return true;
	}
	return false;
}

/* run-until TIME: every vCPU stops before its first instruction at or after it (then `continue`). */
static void monitor_run_until(struct gdbstub *g, const char *arg, char *text, size_t n)
{
	uint64_t cycle;
	int i;

	if (!parse_time(g->m, arg, &cycle)) {
		snprintf(text, n, "run-until needs a time: cycles, or a number with ns, us, ms or s\n");
		return;
	}
	for (i = 0; i < g->m->cfg.nvcpus; i++)
		cpu_debug_stop_at(&g->m->vcpus[i].cpu, cycle);
	snprintf(text, n, "the next `continue` stops at cycle %" PRIu64 " (%" PRIu64 " ns)\n", cycle,
		 vclock_ns(&g->m->clk, cycle));
}

/* Output of a firmware describer, captured. */
static void capture(struct gdbstub *g, char *text, size_t n, int what, uint64_t arg)
{
	FILE *f = fmemopen(text, n, "w");
	struct vcpu *v = &g->m->vcpus[thread_cpu(g, g->gthread)->index];

	if (!f) {
		snprintf(text, n, "out of memory\n");
		return;
	}
	if (what == 0)
		pkvm_fw_dump_ipa(g->m, arg, f);
	else if (g->m->cfg.arch == CPU_ARM64)
		gtimer_fw_describe(g->m, v, f);
	else
		sstc_fw_describe(g->m, v, f);
	fclose(f);
}

static void cmd_monitor(struct gdbstub *g, const char *hex)
{
	char cmd[256] = "", text[4096];
	struct cpu *c = thread_cpu(g, g->gthread);
	size_t i;

	for (i = 0; hex[2 * i] && hex[2 * i + 1] && i + 1 < sizeof(cmd); i++)
		cmd[i] = (char)unhex_le(hex + 2 * i, 1);
	cmd[i] = '\0';
	if (strcmp(cmd, "time") == 0)
		snprintf(text, sizeof(text), "vcpu %d: cycle %" PRIu64 ", ticks %" PRIu64 ", %" PRIu64 " ns; machine at cycle %" PRIu64 "\n",
			 c->index, c->now, vclock_ticks(&g->m->clk, c->now), vclock_ns(&g->m->clk, c->now), g->m->now);
	else if (strcmp(cmd, "events") == 0)
		monitor_events(g, text, sizeof(text));
	else if (strcmp(cmd, "models") == 0)
		monitor_models(g, text, sizeof(text));
	else if (strcmp(cmd, "timer") == 0 || strcmp(cmd, "sstc") == 0)
		capture(g, text, sizeof(text), 1, 0);
	else if (strncmp(cmd, "stage2 ", 7) == 0)
		capture(g, text, sizeof(text), 0, strtoull(cmd + 7, NULL, 0));
	else if (strncmp(cmd, "run-until ", 10) == 0)
		monitor_run_until(g, cmd + 10, text, sizeof(text));
	else
		snprintf(text, sizeof(text), "monitor commands: time, events, models, timer, stage2 IPA, run-until TIME\n");
	monitor_out(g, text);
	send_packet(g, "OK");
}

/* ---- the command loop ------------------------------------------------------------------------------ */

static void send_stop(struct gdbstub *g)
{
	const struct cpu *c = &g->m->vcpus[g->stopped_vcpu].cpu;
	const char *w = c->dbg_why == CPU_DBG_WATCH_WRITE ? "watch" : c->dbg_why == CPU_DBG_WATCH_READ ? "rwatch"
			: c->dbg_why == CPU_DBG_WATCH_ACCESS ? "awatch" : NULL;

	if (w)
		snprintf(g->out, sizeof(g->out), "T05thread:%x;%s:%" PRIx64 ";", g->stopped_vcpu + 1, w, c->dbg_addr);
	else
		snprintf(g->out, sizeof(g->out), "T05thread:%x;", g->stopped_vcpu + 1);
	send_packet(g, g->out);
}

/* c/s [ADDR]: resume all; a step is the selected (or stopped) vCPU's next instruction. */
static bool cmd_resume(struct gdbstub *g, bool step)
{
	if (step)
		cpu_debug_step(thread_cpu(g, g->cthread), true);
	g->resumed = true;
	return true;
}

/* D: drop every point and let the run go on without a debugger. */
static void cmd_detach(struct gdbstub *g)
{
	int i;

	for (i = 0; i < g->m->cfg.nvcpus; i++)
		cpu_debug_clear(&g->m->vcpus[i].cpu);
	send_packet(g, "OK");
	close(g->fd);
	g->fd = -1;
	g->detached = true;
}

static bool query(struct gdbstub *g, const char *p)
{
	if (strncmp(p, "qSupported", 10) == 0)
		send_packet(g, "PacketSize=3fff;qXfer:features:read+");
	else if (strncmp(p, "qXfer:features:read:target.xml:", 31) == 0)
		cmd_xfer(g, p + 31);
	else if (strcmp(p, "qfThreadInfo") == 0 || strcmp(p, "qsThreadInfo") == 0)
		cmd_threads(g, p);
	else if (strcmp(p, "qC") == 0) {
		snprintf(g->out, sizeof(g->out), "QC%x", g->stopped_vcpu + 1);
		send_packet(g, g->out);
	} else if (strcmp(p, "qAttached") == 0)
		send_packet(g, "1");
	else if (strncmp(p, "qRcmd,", 6) == 0)
		cmd_monitor(g, p + 6);
	else
		return false;
	return true;
}

/* One packet. Return: true when GDB resumed the machine. */
static bool handle(struct gdbstub *g)
{
	const char *p = g->in;

	switch (p[0]) {
	case '?': send_stop(g); return false;
	case 'g': cmd_read_regs(g); return false;
	case 'p': cmd_reg(g, p + 1, false); return false;
	case 'P': cmd_reg(g, p + 1, true); return false;
	case 'm': cmd_mem(g, p + 1, false); return false;
	case 'M': cmd_mem(g, p + 1, true); return false;
	case 'Z': cmd_point(g, p + 1, true); return false;
	case 'z': cmd_point(g, p + 1, false); return false;
	case 'H': cmd_thread_select(g, p + 1); return false;
	case 'T': send_packet(g, strtol(p + 1, NULL, 16) <= g->m->cfg.nvcpus ? "OK" : "E01"); return false;
	case 'c': return cmd_resume(g, false);
	case 's': return cmd_resume(g, true);
	case 'D': cmd_detach(g); return true;
	case 'k':
		g->m->stop_requested = true;
		close(g->fd);
		g->fd = -1;
		return true;
	case 'q':
		if (query(g, p))
			return false;
		break;
	}
	send_packet(g, ""); /* not supported */
	return false;
}

static void stopped(void *ctx, struct machine *m, int vcpu)
{
	struct gdbstub *g = ctx;

	g->m = m;
	g->stopped_vcpu = vcpu;
	if (g->detached)
		return;
	if (g->fd < 0) {
		g->fd = accept(g->lfd, NULL, NULL);
		if (g->fd < 0) {
			g->detached = true;
			return;
		}
	}
	if (g->resumed) {
		int i;

		if (m->vcpus[vcpu].cpu.dbg_why == CPU_DBG_TIME)
			for (i = 0; i < m->cfg.nvcpus; i++)
				cpu_debug_stop_at(&m->vcpus[i].cpu, UINT64_MAX);
		g->resumed = false;
		send_stop(g);
	}
	while (g->fd >= 0) {
		if (recv_packet(g) < 0) {
			close(g->fd);
			g->fd = -1;
			g->detached = true; /* GDB went away: the run goes on */
			return;
		}
		if (handle(g))
			return;
	}
}

struct gdbstub *gdbstub_open(const char *where, char *err, size_t n)
{
	struct gdbstub *g = calloc(1, sizeof(*g));
	int r;

	if (!g) {
		snprintf(err, n, "out of memory");
		return NULL;
	}
	g->fd = -1;
	g->gthread = g->cthread = -1;
	g->dbg = (struct machine_debugger){ .ctx = g, .stopped = stopped };
	r = strncmp(where, "unix:", 5) == 0 ? listen_unix(g, where + 5, err, n) : listen_tcp(g, where, err, n);
	if (r < 0) {
		if (g->lfd > 0)
			close(g->lfd);
		free(g);
		return NULL;
	}
	return g;
}

struct machine_debugger *gdbstub_debugger(struct gdbstub *g)
{
	return &g->dbg;
}

void gdbstub_close(struct gdbstub *g, bool exited, int64_t code)
{
	if (!g)
		return;
	if (g->fd >= 0 && g->resumed) {
		snprintf(g->out, sizeof(g->out), exited ? "W%02x" : "X09", (unsigned)(code & 0xff));
		send_packet(g, g->out);
	}
	if (g->fd >= 0)
		close(g->fd);
	close(g->lfd);
	if (g->unix_path[0])
		unlink(g->unix_path);
	free(g);
}
