/* SPDX-License-Identifier: MIT */
/*
 * Scenario commands for the s390 zPCI AEN model (models/aen) of an s390x
 * machine (docs/scenario-language.md, "AEN model"): boot, KVM module
 * init/exit/reload, VMs and devices, REG_AEN/DEREG_AEN, adapter events,
 * failure injection, and expectations on every piece of state, read back
 * from simulated memory where the real system keeps it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aen.h"
#include "binding.h"
#include "firmware.h"
#include "scenario_internal.h"

enum aen_verb {
	V_BOOT, V_FACILITY, V_INIT, V_EXIT, V_RELOAD, V_FAIL, V_MEMLOCK, V_VM, V_DEVICE, V_REG, V_DEREG, V_RAISE,
	V_SUMMARY, V_ALERT, V_PROCESS, V_SIC, V_GISA,
};

#define AEN_MAX_KEYS 8

/* An `aen` step. */
struct aen_cmd {
	enum aen_verb verb;
	uint64_t arg;  /* the first operand: a value, a device, a VM, a step to fail, an operation control */
	uint64_t arg2; /* the second: vm's GISA, raise's vector, sic's ISC, gisa's byte offset */
	uint64_t opt[AEN_MAX_KEYS]; /* `key value` options, in the verb's key order; sic: the IIB address */
};

/* An `expect aen` line: a field compared with a value, the IIB image, or the checker. */
struct aen_expect {
	int field;       /* enum field, F_IMAGE or F_CHECK */
	uint64_t index;  /* the field's argument: bit, VM, device, byte or SIC operation */
	uint64_t isc;    /* gisc-refs */
	enum scn_op op;
	uint64_t want;
	uint8_t image[AEN_IIB_SIZE];
	bool has_text;   /* check: "TEXT" rather than ok */
	char text[];
};

/* What the last `aen` command returned. */
struct aen_scn_state {
	int64_t result;
	bool have;
};

extern const struct model_binding aen_binding;

/* Symbolic values accepted wherever an expectation or argument takes a number. */
static const struct {
	const char *name;
	int64_t value;
} symbols[] = {
	{ "null", AEN_REF_NULL }, { "valid", AEN_REF_VALID }, { "stale", AEN_REF_STALE }, { "none", 0 },
	{ "-EPERM", -EPERM },	  { "-EINVAL", -EINVAL },     { "-ENOMEM", -ENOMEM },	  { "-EIO", -EIO },
	{ "-ENODEV", -ENODEV },	  { "-ERANGE", -ERANGE },     { "on", 1 },		  { "off", 0 },
};

static int value_arg(struct pctx *p, const char *what, uint64_t *v)
{
	struct tok *t;

	if (p->i < p->n && !p->t[p->i].quoted) {
		t = &p->t[p->i];
		for (size_t i = 0; i < sizeof(symbols) / sizeof(symbols[0]); i++)
			if (strcmp(t->text, symbols[i].name) == 0) {
				p->i++;
				*v = (uint64_t)symbols[i].value;
				return 0;
			}
		if (t->text[0] == '-' && t->text[1] >= '0' && t->text[1] <= '9') {
			t->text++; /* a negative number */
			if (scn_number(p, what, v) < 0)
				return -1;
			*v = (uint64_t)-(int64_t)*v;
			return 0;
		}
	}
	return scn_number(p, what, v);
}

static int bounded(struct pctx *p, const char *what, uint64_t *v, uint64_t max)
{
	if (value_arg(p, what, v) < 0)
		return -1;
	if (*v > max)
		return scn_perr(p, p->t[p->i - 1].col, "%s must be at most %" PRIu64, what, max);
	return 0;
}

/* `key value` options: each key once; @keys[i] goes to st->opt[i]. */
static int options(struct pctx *p, struct aen_cmd *st, const char *const *keys, const uint64_t *max, int nkeys,
		   unsigned *seen)
{
	*seen = 0;
	while (p->i < p->n) {
		struct tok *t = &p->t[p->i++];
		int k;

		for (k = 0; k < nkeys; k++)
			if (scn_is(t, keys[k]))
				break;
		if (k == nkeys) {
			char list[160] = "";

			for (int j = 0; j < nkeys; j++)
				snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", j ? ", " : "", keys[j]);
			return scn_perr(p, t->col, "unexpected '%s' (expected %s)", t->text, list);
		}
		if (*seen & (1u << k))
			return scn_perr(p, t->col, "'%s' given twice", keys[k]);
		*seen |= 1u << k;
		if (max[k] == 0) /* a flag */
			st->opt[k] = 1;
		else if (bounded(p, keys[k], &st->opt[k], max[k]) < 0)
			return -1;
	}
	return 0;
}

static int step_arg(struct pctx *p, uint64_t *step)
{
	struct tok *t = scn_next(p, "step to fail");

	if (!t)
		return -1;
	for (int s = 0; s < AEN_STEP__COUNT; s++)
		if (scn_is(t, aen_step_name((enum aen_step)s))) {
			*step = (uint64_t)s;
			return 0;
		}
	if (scn_is(t, "firmware")) {
		*step = AEN_STEP__COUNT;
		return 0;
	}
	return scn_perr(p, t->col, "unknown step '%s' (kzdev, aipb, sbv, gait, sic-aeni, sic-single, pin-aibv, "
			"pin-aisb, account, mpcifc, firmware)", t->text);
}

static int parse_fail(struct pctx *p, struct scn_cmd *c, struct aen_cmd *st)
{
	static const char *const keys[] = { "after", "cc", "status", "times" };
	static const uint64_t max[] = { UINT32_MAX, 3, 255, UINT32_MAX };
	unsigned seen;

	if (step_arg(p, &st->arg) < 0)
		return -1;
	st->opt[0] = 1; /* the next pass */
	st->opt[1] = 2;
	st->opt[3] = 1;
	if (options(p, st, keys, max, 4, &seen) < 0)
		return -1;
	if ((seen & 6) && st->arg != AEN_STEP_MPCIFC)
		return scn_perr(p, c->col, "'cc' and 'status' go with 'aen fail mpcifc'");
	if ((seen & 8) && st->arg != AEN_STEP__COUNT)
		return scn_perr(p, c->col, "'times' goes with 'aen fail firmware'");
	if (st->opt[0] == 0)
		return scn_perr(p, c->col, "'after' counts from 1 (the next pass)");
	return 0;
}

static const char *const verbs[] = {
	[V_BOOT] = "boot",	   [V_FACILITY] = "facility72", [V_INIT] = "init",     [V_EXIT] = "exit",
	[V_RELOAD] = "reload",	   [V_FAIL] = "fail",		[V_MEMLOCK] = "memlock", [V_VM] = "vm",
	[V_DEVICE] = "device",	   [V_REG] = "reg-aen",		[V_DEREG] = "dereg-aen", [V_RAISE] = "raise",
	[V_SUMMARY] = "set-summary", [V_ALERT] = "alert",	[V_PROCESS] = "process", [V_SIC] = "sic",
	[V_GISA] = "gisa",
};

/* The verbs that take `key value` options: boot, device, reg-aen, dereg-aen. */
static int parse_keyed_verb(struct pctx *p, struct scn_cmd *c, struct aen_cmd *st)
{
	static const char *const boot_keys[] = { "devices", "heap", "size" };
	static const uint64_t boot_max[] = { AEN_MAX_DEVICES, UINT64_MAX, UINT64_MAX };
	static const char *const dev_keys[] = { "vm", "gd", "msi" };
	static const uint64_t dev_max[] = { AEN_MAX_VMS - 1, UINT32_MAX, UINT32_MAX };
	static const char *const reg_keys[] = { "vm", "dev", "ibv", "sb", "sbo", "noi", "isc", "flags" };
	static const uint64_t reg_max[] = { AEN_MAX_VMS - 1, AEN_MAX_ZDEVS - 1, UINT64_MAX, UINT64_MAX, 255,
					    UINT32_MAX, 255, UINT32_MAX };
	static const char *const dereg_keys[] = { "vm", "dev", "force" };
	static const uint64_t dereg_max[] = { AEN_MAX_VMS - 1, AEN_MAX_ZDEVS - 1, 0 };
	unsigned seen;

	switch (st->verb) {
	case V_BOOT:
		st->opt[0] = AEN_DEFAULT_DEVICES;
		if (options(p, st, boot_keys, boot_max, 3, &seen) < 0)
			return -1;
		if (st->opt[0] == 0)
			return scn_perr(p, c->col, "devices: ZPCI_NR_DEVICES is 1..4096");
		if (!!(seen & 2) != !!(seen & 4))
			return scn_perr(p, c->col, "'heap' and 'size' go together");
		return 0;
	case V_DEVICE:
		st->opt[1] = UINT64_MAX; /* gd: the VM's GISA */
		st->opt[2] = 64;
		if (bounded(p, "device", &st->arg, AEN_MAX_ZDEVS - 1) < 0 || options(p, st, dev_keys, dev_max, 3, &seen) < 0)
			return -1;
		return (seen & 1) ? 0 : scn_perr(p, c->col, "'aen device' needs 'vm N'");
	case V_REG:
		st->opt[5] = 1; /* noi */
		if (options(p, st, reg_keys, reg_max, 8, &seen) < 0)
			return -1;
		if ((seen & 7) != 7)
			return scn_perr(p, c->col, "'aen reg-aen' needs 'vm', 'dev' and 'ibv'");
		return 0;
	default: /* V_DEREG */
		if (options(p, st, dereg_keys, dereg_max, 3, &seen) < 0)
			return -1;
		return (seen & 3) == 3 ? 0 : scn_perr(p, c->col, "'aen dereg-aen' needs 'vm' and 'dev'");
	}
}

/* The verbs with positional operands: raise, sic, gisa. */
static int parse_operand_verb(struct pctx *p, struct aen_cmd *st)
{
	struct tok *t;

	if (st->verb == V_RAISE) {
		if (bounded(p, "device", &st->arg, AEN_MAX_ZDEVS - 1) < 0)
			return -1;
		if (p->i < p->n && (scn_expect_word(p, "vec") < 0 || bounded(p, "vector", &st->arg2, UINT32_MAX) < 0))
			return -1;
		return scn_no_more(p);
	}
	if (st->verb == V_SIC) {
		if (bounded(p, "operation control", &st->arg, 0xffff) < 0 || bounded(p, "isc", &st->arg2, AEN_MAX_ISC) < 0 ||
		    value_arg(p, "IIB address", &st->opt[0]) < 0)
			return -1;
		return scn_no_more(p);
	}
	if (bounded(p, "vm", &st->arg, AEN_MAX_VMS - 1) < 0 || !(t = scn_next(p, "simm, nimm or ipm")))
		return -1;
	if (!scn_is(t, "simm") && !scn_is(t, "nimm") && !scn_is(t, "ipm"))
		return scn_perr(p, t->col, "expected simm, nimm or ipm, found '%s'", t->text);
	st->arg2 = scn_is(t, "ipm") ? 4 : scn_is(t, "simm") ? 5 : 6;
	if (bounded(p, "byte", &st->opt[0], 255) < 0)
		return -1;
	return scn_no_more(p);
}

static int parse_verb(struct pctx *p, struct scn_cmd *c, struct aen_cmd *st)
{
	switch (st->verb) {
	case V_BOOT:
	case V_DEVICE:
	case V_REG:
	case V_DEREG:
		return parse_keyed_verb(p, c, st);
	case V_FACILITY:
	case V_MEMLOCK:
	case V_INIT:
	case V_ALERT:
	case V_PROCESS:
	case V_SUMMARY:
		if (bounded(p, verbs[st->verb], &st->arg, st->verb == V_FACILITY ? 1 : st->verb == V_SUMMARY ? AEN_MAX_DEVICES - 1
							       : st->verb == V_MEMLOCK ? UINT64_MAX : 255) < 0)
			return -1;
		if ((st->verb == V_ALERT || st->verb == V_PROCESS) && st->arg > AEN_MAX_ISC)
			return scn_perr(p, p->t[p->i - 1].col, "an ISC is 0..7");
		return scn_no_more(p);
	case V_EXIT:
		if (p->i < p->n && scn_is(&p->t[p->i], "unlocked")) {
			p->i++;
			st->arg = 1;
		}
		return scn_no_more(p);
	case V_RELOAD:
		return scn_no_more(p);
	case V_FAIL:
		return parse_fail(p, c, st);
	case V_VM:
		if (bounded(p, "vm", &st->arg, AEN_MAX_VMS - 1) < 0 || scn_expect_word(p, "gisa") < 0 ||
		    value_arg(p, "GISA address", &st->arg2) < 0)
			return -1;
		return scn_no_more(p);
	case V_RAISE:
	case V_SIC:
	case V_GISA:
		return parse_operand_verb(p, st);
	}
	return -1;
}

static int parse_aen(struct pctx *p, struct scn_cmd *c)
{
	struct aen_cmd *st;
	struct tok *t;

	if (p->s->cfg.arch != CPU_S390X)
		return scn_perr(p, c->col, "'aen' needs 'arch s390x'");
	if (!(st = scn_typed(p, c, sizeof(*st))) || !(t = scn_next(p, "aen command")))
		return -1;
	for (size_t v = 0; v < sizeof(verbs) / sizeof(verbs[0]); v++)
		if (scn_is(t, verbs[v])) {
			st->verb = (enum aen_verb)v;
			return parse_verb(p, c, st);
		}
	return scn_perr(p, t->col, "unknown aen command '%s' (boot, facility72, init, exit, reload, fail, memlock, vm, "
			"device, reg-aen, dereg-aen, raise, set-summary, alert, process, sic, gisa)", t->text);
}

/* ---- expectations ------------------------------------------------------------------------- */

enum field_arg { NOARG, ARG_BIT, ARG_VM, ARG_DEV, ARG_SIC, ARG_BYTE };

enum field {
	F_RESULT, F_GAIT, F_SBV, F_KZDEV, F_P_AIPB, F_P_SBV, F_REGISTERED, F_FW_FAISB, F_FW_GAIT, F_FW_AFI,
	F_FW_FAAL, F_SIC, F_REFUSED, F_AIPB_BYTE, F_SUMMARY, F_SBV_END, F_SBV_ALLOCATED, F_SBV_ADDR, F_GAIT_ADDR,
	F_GAIT_ORDER, F_IPM, F_SIMM, F_NIMM, F_IAM, F_FORWARD, F_GISC_REF, F_DEV_AISB, F_DEV_EVENTS, F_DEV_DROPPED,
	F_FW_SIMM, F_FW_NIMM, F_ALERTS, F_SUPPRESSED, F_FORWARDED, F_SCAN_SICS, F_LOCKED, F_HEAP_LIVE,
	F_GAITE_GISA, F_GAITE_GISC, F_GAITE_COUNT, F_GAITE_AISBO, F_GAITE_AISB, F_P_AIPB_ADDR,
};

static const struct {
	const char *name;
	enum field_arg arg;
} fields[] = {
	[F_RESULT] = { "result", NOARG },	  [F_GAIT] = { "gait", NOARG },
	[F_SBV] = { "sbv", NOARG },		  [F_KZDEV] = { "kzdev", NOARG },
	[F_P_AIPB] = { "p-aipb", NOARG },	  [F_P_SBV] = { "p-sbv", NOARG },
	[F_REGISTERED] = { "registered", NOARG }, [F_FW_FAISB] = { "fw-faisb", NOARG },
	[F_FW_GAIT] = { "fw-gait", NOARG },	  [F_FW_AFI] = { "fw-afi", NOARG },
	[F_FW_FAAL] = { "fw-faal", NOARG },	  [F_SIC] = { "sic", ARG_SIC },
	[F_REFUSED] = { "sic-refused", NOARG },	  [F_AIPB_BYTE] = { "aipb-byte", ARG_BYTE },
	[F_SUMMARY] = { "summary", ARG_BIT },	  [F_SBV_END] = { "sbv-end", NOARG },
	[F_SBV_ALLOCATED] = { "sbv-allocated", ARG_BIT }, [F_SBV_ADDR] = { "sbv-addr", NOARG },
	[F_GAIT_ADDR] = { "gait-addr", NOARG },	  [F_GAIT_ORDER] = { "gait-order", NOARG },
	[F_IPM] = { "ipm", ARG_VM },		  [F_SIMM] = { "simm", ARG_VM },
	[F_NIMM] = { "nimm", ARG_VM },		  [F_IAM] = { "iam", ARG_VM },
	[F_FORWARD] = { "aen-forward", ARG_VM },  [F_GISC_REF] = { "gisc-refs", ARG_VM },
	[F_DEV_AISB] = { "dev-aisb", ARG_DEV },	  [F_DEV_EVENTS] = { "dev-events", ARG_DEV },
	[F_DEV_DROPPED] = { "dev-dropped", ARG_DEV }, [F_FW_SIMM] = { "fw-simm", NOARG },
	[F_FW_NIMM] = { "fw-nimm", NOARG },	  [F_ALERTS] = { "alerts", NOARG },
	[F_SUPPRESSED] = { "suppressed", NOARG }, [F_FORWARDED] = { "forwarded", NOARG },
	[F_SCAN_SICS] = { "scan-sics", NOARG },	  [F_LOCKED] = { "locked-pages", NOARG },
	[F_HEAP_LIVE] = { "heap-live", NOARG },	  [F_GAITE_GISA] = { "gaite-gisa", ARG_BIT },
	[F_GAITE_GISC] = { "gaite-gisc", ARG_BIT }, [F_GAITE_COUNT] = { "gaite-count", ARG_BIT },
	[F_GAITE_AISBO] = { "gaite-aisbo", ARG_BIT }, [F_GAITE_AISB] = { "gaite-aisb", ARG_BIT },
	[F_P_AIPB_ADDR] = { "p-aipb-addr", NOARG },
};

/* The IIB image: 80 hex digits (40 bytes), spaces allowed. */
static int parse_image(struct pctx *p, struct aen_expect *e)
{
	struct tok *t = scn_next(p, "\"hex bytes\"");
	uint8_t *out = e->image;
	size_t n = 0;

	if (!t)
		return -1;
	if (!t->quoted)
		return scn_perr(p, t->col, "the image is a \"quoted\" string of hex bytes");
	for (const char *s = t->text; *s; s++) {
		unsigned hi, lo;

		if (*s == ' ')
			continue;
		if (n == AEN_IIB_SIZE || sscanf(s, "%1x%1x", &hi, &lo) != 2)
			return scn_perr(p, t->col, "the image must be exactly %d hex bytes", AEN_IIB_SIZE);
		out[n++] = (uint8_t)(hi << 4 | lo);
		s++;
	}
	if (n != AEN_IIB_SIZE)
		return scn_perr(p, t->col, "the image must be exactly %d hex bytes, found %zu", AEN_IIB_SIZE, n);
	return scn_no_more(p);
}

static int sic_arg(struct pctx *p, uint64_t *op)
{
	static const char *const names[] = { "all", "single", "aeni" };

	if (p->i < p->n)
		for (int i = 0; i < 3; i++)
			if (scn_is(&p->t[p->i], names[i])) {
				p->i++;
				*op = (uint64_t)i;
				return 0;
			}
	return bounded(p, "SIC operation", op, AEN_SIC_OPS - 1);
}

enum { F_IMAGE = 100, F_CHECK };

/* The field's argument, after its name. */
static int field_arg(struct pctx *p, struct aen_expect *e)
{
	switch (fields[e->field].arg) {
	case NOARG:
		return 0;
	case ARG_SIC:
		return sic_arg(p, &e->index);
	case ARG_BIT:
		return bounded(p, "bit", &e->index, AEN_MAX_DEVICES - 1);
	case ARG_VM:
		if (bounded(p, "vm", &e->index, AEN_MAX_VMS - 1) < 0)
			return -1;
		return e->field == F_GISC_REF ? bounded(p, "isc", &e->isc, AEN_MAX_ISC) : 0;
	case ARG_DEV:
		return bounded(p, "device", &e->index, AEN_MAX_ZDEVS - 1);
	case ARG_BYTE:
		return bounded(p, "byte", &e->index, AEN_IIB_SIZE - 1);
	}
	return 0;
}

static int parse_expect_aen(struct pctx *p, struct scn_cmd *c)
{
	struct aen_expect *e = scn_typed(p, c, sizeof(*e));
	struct tok *t;
	size_t f;
	int r;

	if (!e || !(t = scn_next(p, "aen field")))
		return -1;
	if (p->s->cfg.arch != CPU_S390X)
		return scn_perr(p, c->col, "'expect aen' needs 'arch s390x'");
	if (scn_is(t, "check")) {
		e->field = F_CHECK;
		if ((r = scn_ok_or_text(p, c, offsetof(struct aen_expect, text))) < 0)
			return -1;
		((struct aen_expect *)c->ext)->has_text = r;
		return 0;
	}
	if (scn_is(t, "aipb")) {
		e->field = F_IMAGE;
		return parse_image(p, e);
	}
	for (f = 0; f < sizeof(fields) / sizeof(fields[0]); f++)
		if (scn_is(t, fields[f].name))
			break;
	if (f == sizeof(fields) / sizeof(fields[0]))
		return scn_perr(p, t->col, "unknown aen field '%s' (see docs/scenario-language.md, \"AEN model\")",
				t->text);
	e->field = (int)f;
	if (field_arg(p, e) < 0 || scn_op_arg(p, &e->op) < 0 || value_arg(p, "value", &e->want) < 0)
		return -1;
	return scn_no_more(p);
}

/* ---- running ------------------------------------------------------------------------------ */

static struct aen *model(struct exec *x)
{
	return machine_aen(&x->m);
}

static const char *result_text(int64_t r, char *buf, size_t n)
{
	for (size_t i = 4; i < 10; i++)
		if (symbols[i].value == r)
			return symbols[i].name;
	snprintf(buf, n, "%" PRId64, r);
	return buf;
}

static int do_boot(struct exec *x, const struct scn_cmd *c, const struct aen_cmd *st)
{
	const struct mem_region *r = &x->m.cfg.mem[0];
	struct aen_mem mem = { .host = r->host, .base = r->base, .size = r->size };
	int rc = aen_boot(model(x), &mem, (uint32_t)st->opt[0], st->opt[1], st->opt[2]);

	if (rc < 0)
		return scn_errorf(x, c, "aen boot: the heap 0x%" PRIx64 "+0x%" PRIx64 " is not inside the first RAM "
				  "region 0x%" PRIx64 "+0x%" PRIx64, st->opt[1], st->opt[2], r->base, r->size);
	return 0;
}

/* aen fail STEP ...: a failure injected into the KVM side or the firmware. */
static void run_fail(struct aen *a, const struct aen_cmd *st)
{
	if (st->arg == AEN_STEP__COUNT) {
		a->fw.fail_sic = (uint32_t)st->opt[3];
		return;
	}
	aen_inject(a, (enum aen_step)st->arg, (uint32_t)st->opt[0]);
	if (st->arg == AEN_STEP_MPCIFC) {
		a->mpcifc_cc = (uint8_t)st->opt[1];
		a->mpcifc_status = (uint8_t)st->opt[2];
	}
}

/* aen gisa VM simm|nimm|ipm BYTE: a byte of the VM's GISA, written as the guest's interrupt code would. */
static int64_t set_gisa_byte(struct exec *x, struct aen *a, const struct aen_cmd *st)
{
	uint8_t *g = a->vm[st->arg].exists && a->vm[st->arg].gisa ? machine_mem_ptr(&x->m, a->vm[st->arg].gisa + st->arg2, 1)
							    : NULL;

	if (!g)
		return -ENODEV;
	*g = (uint8_t)st->opt[0];
	return 0;
}

static int64_t run_verb(struct exec *x, const struct aen_cmd *st)
{
	struct aen *a = model(x);
	struct aen_reg_aen reg;
	uint64_t gd;

	switch (st->verb) {
	case V_FACILITY:
		a->fw.facility72 = st->arg;
		return 0;
	case V_INIT:
		return aen_init(a, (uint8_t)st->arg);
	case V_EXIT:
		aen_exit(a, !st->arg);
		return 0;
	case V_RELOAD:
		aen_module_reload(a);
		return 0;
	case V_FAIL:
		run_fail(a, st);
		return 0;
	case V_MEMLOCK:
		a->memlock_limit = st->arg;
		return 0;
	case V_VM:
		return aen_vm_create(a, (int)st->arg, st->arg2);
	case V_DEVICE:
		gd = st->opt[1] == UINT64_MAX ? a->vm[st->opt[0]].gisa : st->opt[1];
		return aen_dev_register(a, (int)st->arg, (int)st->opt[0], (uint32_t)gd, (uint32_t)st->opt[2]);
	case V_REG:
		reg = (struct aen_reg_aen){ .ibv = st->opt[2], .sb = st->opt[3], .sbo = (uint8_t)st->opt[4],
					    .noi = (uint32_t)st->opt[5], .isc = (uint8_t)st->opt[6],
					    .flags = (uint32_t)st->opt[7] };
		return aen_reg_aen(a, (int)st->opt[0], (int)st->opt[1], &reg);
	case V_DEREG:
		return aen_dereg_aen(a, (int)st->opt[0], (int)st->opt[1], st->opt[2]);
	case V_RAISE:
		return aen_fw_raise(a, (int)st->arg, (uint32_t)st->arg2);
	case V_SUMMARY:
		return aen_summary_set(a, (uint32_t)st->arg);
	case V_ALERT:
		return aen_fw_alert(a, (uint8_t)st->arg);
	case V_PROCESS:
		return (int64_t)aen_process_gait(a, (uint8_t)st->arg);
	case V_SIC:
		return aen_fw_sic(a, (uint16_t)st->arg, (uint8_t)st->arg2, st->opt[0]);
	case V_GISA:
		return set_gisa_byte(x, a, st);
	case V_BOOT: /* exec_aen() */
		break;
	}
	return 0;
}

static int exec_aen(struct exec *x, const struct scn_cmd *c)
{
	const struct aen_cmd *st = c->ext;
	struct aen_scn_state *z = scn_state(x, aen_binding.family);

	int r = 0;

	if (st->verb == V_BOOT)
		r = do_boot(x, c, st);
	else {
		z->result = run_verb(x, st);
		z->have = true;
	}
	aen_fw_wave(&x->m, x->m.now);
	return r;
}

static void aen_result(struct exec *x, const struct scn_cmd *c, int64_t *status, uint64_t *value)
{
	const struct aen_scn_state *z = scn_state(x, aen_binding.family);

	(void)c;
	*status = z->have ? z->result : 0;
	*value = 0;
}

/* The value of a field. Return: 0, or -1 with @why when it does not exist now. */
/* The fields read through the model's memory: the AIPB, the summary vector, the GAIT, GISAs. Return: why not, or NULL. */
static const char *memory_field(struct aen *a, const struct aen_expect *e, uint64_t *v)
{
	uint8_t iib[AEN_IIB_SIZE];
	struct aen_gaite g;
	int b;

	switch ((enum field)e->field) {
	case F_AIPB_BYTE:
		if (!a->p_aipb || aen_mem_copy(a, a->p_aipb, iib, sizeof(iib)) < 0)
			return "zpci_aipb is NULL";
		*v = iib[e->index];
		return NULL;
	case F_SUMMARY:
		b = a->sbv.live ? aen_vec_bit(a, a->sbv.vector, (uint32_t)e->index) : -1;
		*v = (uint64_t)b;
		return b < 0 ? "there is no summary-bit vector" : NULL;
	case F_SBV_END: *v = a->sbv.end; return a->sbv.live ? NULL : "there is no summary-bit vector";
	case F_SBV_ALLOCATED:
		if (!a->sbv.live || e->index >= a->sbv.bits) {
			*v = 0;
			return "no such summary bit";
		}
		*v = !a->sbv.avail[e->index];
		return NULL;
	case F_GAIT_ORDER:
		for (*v = 0; a->gait_pages && ((uint64_t)AEN_PAGE << *v) < a->gait_pages; ++*v)
			;
		return a->gait_pages ? NULL : "no GAIT is allocated";
	case F_IPM: case F_SIMM: case F_NIMM: case F_IAM:
		b = aen_gisa_byte(a, (int)e->index, e->field == F_IPM ? 4 : e->field == F_SIMM ? 5 : e->field == F_NIMM ? 6 : 7);
		*v = (uint64_t)b;
		return b < 0 ? "the VM has no GISA" : NULL;
	default: /* the GAIT entry's fields */
		if (aen_gaite_read(a, (uint32_t)e->index, &g) < 0)
			return "there is no GAIT (aift.gait is not valid) or the bit is beyond it";
		*v = e->field == F_GAITE_GISA ? g.gisa : e->field == F_GAITE_GISC ? g.gisc : e->field == F_GAITE_COUNT ? g.count
		     : e->field == F_GAITE_AISBO ? g.aisbo : g.aisb;
		return NULL;
	}
}

static int field_value(struct exec *x, const struct aen_expect *e, uint64_t *v, const char **why)
{
	struct aen *a = model(x);
	const struct aen_zdev *z = &a->zdev[e->index];

	*why = NULL;
	switch ((enum field)e->field) {
	case F_RESULT:
		*v = (uint64_t)((struct aen_scn_state *)scn_state(x, aen_binding.family))->result;
		*why = ((struct aen_scn_state *)scn_state(x, aen_binding.family))->have ? NULL : "no aen command has run yet";
		break;
	case F_GAIT: *v = a->gait_ref; break;
	case F_SBV: *v = a->sbv_ref; break;
	case F_KZDEV: *v = a->kzdev_ref; break;
	case F_P_AIPB: *v = a->p_aipb ? AEN_REF_VALID : AEN_REF_NULL; break;
	case F_P_AIPB_ADDR: *v = a->p_aipb; break;
	case F_P_SBV: *v = a->p_sbv; break;
	case F_REGISTERED: *v = a->fw.registered; break;
	case F_FW_FAISB: *v = a->fw.faisb; break;
	case F_FW_GAIT: *v = a->fw.gait; break;
	case F_FW_AFI: *v = a->fw.afi; break;
	case F_FW_FAAL: *v = a->fw.faal; break;
	case F_SIC: *v = a->fw.sic[e->index]; break;
	case F_REFUSED: *v = a->fw.sic_refused; break;
	case F_SBV_ADDR: *v = a->sbv.live ? a->sbv.vector : 0; break;
	case F_GAIT_ADDR: *v = a->gait_addr; break;
	case F_FORWARD: *v = a->vm[e->index].aen_forward; break;
	case F_GISC_REF: *v = a->vm[e->index].gisc_ref[e->isc]; break;
	case F_DEV_AISB: *v = z->aisb; break;
	case F_DEV_EVENTS: *v = z->events; break;
	case F_DEV_DROPPED: *v = z->dropped; break;
	case F_FW_SIMM: *v = a->fw.simm; break;
	case F_FW_NIMM: *v = a->fw.nimm; break;
	case F_ALERTS: *v = a->fw.alerts; break;
	case F_SUPPRESSED: *v = a->fw.suppressed; break;
	case F_FORWARDED: *v = a->forwarded; break;
	case F_SCAN_SICS: *v = a->scan_sics; break;
	case F_LOCKED: *v = a->locked_pages; break;
	case F_HEAP_LIVE: *v = (uint64_t)a->heap.nlive; break;
	default:
		*why = memory_field(a, e, v);
		break;
	}
	return *why ? -1 : 0;
}

static void check_aen_text(struct exec *x, const struct scn_cmd *c, const struct aen_expect *e)
{
	char msg[256];

	if (aen_check(model(x), msg, sizeof(msg)) == 0) {
		if (e->has_text)
			scn_failf(x, c, "expected the AEN checker to report \"%s\", it found nothing", e->text);
	} else if (!e->has_text) {
		scn_failf(x, c, "AEN invariant violated: %s", msg);
	} else if (!strstr(msg, e->text)) {
		scn_failf(x, c, "expected the AEN checker to report \"%s\", it said: %s", e->text, msg);
	}
}

static void check_aen_image(struct exec *x, const struct scn_cmd *c, const struct aen_expect *e)
{
	struct aen *a = model(x);
	uint8_t iib[AEN_IIB_SIZE];
	char got[3 * AEN_IIB_SIZE + 1];

	if (!a->p_aipb || aen_mem_copy(a, a->p_aipb, iib, sizeof(iib)) < 0) {
		scn_failf(x, c, "zpci_aipb is NULL");
	} else if (memcmp(iib, e->image, AEN_IIB_SIZE) != 0) {
		for (int i = 0; i < AEN_IIB_SIZE; i++)
			snprintf(got + 3 * i, 4, "%02x ", iib[i]);
		got[3 * AEN_IIB_SIZE - 1] = '\0';
		scn_failf(x, c, "the IIB at 0x%" PRIx64 " holds %s", a->p_aipb, got);
	}
}

static void check_aen(struct exec *x, const struct scn_cmd *c)
{
	const struct aen_expect *e = c->ext;
	char what[64], buf[32];
	const char *why;
	uint64_t v;

	if (e->field == F_CHECK) {
		check_aen_text(x, c, e);
		return;
	}
	if (e->field == F_IMAGE) {
		check_aen_image(x, c, e);
		return;
	}
	if (field_value(x, e, &v, &why) < 0) {
		scn_failf(x, c, "aen %s: %s", fields[e->field].name, why);
		return;
	}
	if (e->field == F_RESULT && (e->op == SCN_EQ || e->op == SCN_NE) && ((v == e->want) != (e->op == SCN_EQ))) {
		scn_failf(x, c, "expected result %s %s, got %s", e->op == SCN_EQ ? "==" : "!=",
			  result_text((int64_t)e->want, what, sizeof(what)), result_text((int64_t)v, buf, sizeof(buf)));
		return;
	}
	snprintf(what, sizeof(what), "aen %s", fields[e->field].name);
	scn_check_op(x, c, what, v, e->op, e->want);
}

static const struct scn_verb aen_verbs[] = {
	{ .word = "aen", .parse = parse_aen, .exec = exec_aen, .result = aen_result },
	{ 0 },
};

static const struct scn_expectation aen_expects[] = {
	{ .word = "aen", .parse = parse_expect_aen, .check = check_aen },
	{ 0 },
};

const struct scn_family aen_family = {
	.verbs = aen_verbs,
	.expects = aen_expects,
	.state_size = sizeof(struct aen_scn_state),
};
