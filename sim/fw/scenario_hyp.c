/* SPDX-License-Identifier: MIT */
/*
 * Scenario commands that drive the hypervisor allocator models directly,
 * without guest code (docs/scenario-language.md, "Hypervisor allocators"):
 *
 *   hyp vmemmap ADDR                       struct hyp_page array for ADDR's RAM region
 *   hyp pool NAME ADDR PAGES [reserved N]  hyp_pool_init
 *   hyp alloc NAME ORDER [as LABEL]        hyp_alloc_pages
 *   hyp get|put NAME PAGE [times N]        hyp_get_page / hyp_put_page, N times
 *   hyp split NAME PAGE                    hyp_split_page
 *   hyp early ADDR SIZE                    hyp_early_alloc_init
 *   hyp early-alloc PAGES [as LABEL]       hyp_early_alloc_contig
 *
 *   expect hyp result == VALUE|$LABEL|null|panic|einval
 *   expect hyp free NAME ORDER OP N        blocks on free_area[ORDER]
 *   expect hyp page PAGE refcount|order OP N|none
 *   expect hyp check NAME ok|"TEXT"        hyp_pool_check verdict
 *   expect hyp early-used OP N
 *
 * PAGE is an address or $LABEL.  The models work on the machine's RAM, so
 * `write mem` can corrupt them as a stray guest store would.  A hyp panic is
 * reported as a hyp-panic event and halts the machine.  The allocators are
 * not attached to a machine: this binding is only their scenario family,
 * whose state (vmemmap, pools, labels, the last result) is the scenario's.
 */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binding.h"
#include "digest.h"
#include "hyp_alloc.h"
#include "scenario_internal.h"

#define HYP_HEADS_VA_BASE 0xffff800000000000ull /* pool structs' hyp VAs, 4 KiB apart */
#define MAX_POOLS 8
#define MAX_LABELS 64
#define NAME_MAX_LEN 32

extern const struct model_binding hyp_binding;

/* ---- the family's typed commands and state --------------------------------------- */

/* An address, or the value of $label when the command runs. */
struct hyp_addr {
	uint64_t value;
	char label[NAME_MAX_LEN]; /* "" for a plain address */
};

enum hyp_verb { HV_VMEMMAP, HV_POOL, HV_ALLOC, HV_GET, HV_PUT, HV_SPLIT, HV_EARLY, HV_EARLY_ALLOC };

struct hyp_step {
	enum hyp_verb verb;
	char pool[NAME_MAX_LEN]; /* pool, alloc, get, put, split */
	struct hyp_addr addr;    /* vmemmap, pool, early: where; get, put, split: the page */
	uint64_t count;          /* pool, early-alloc: pages; early: bytes; alloc: the order */
	uint64_t reserved;       /* pool */
	uint64_t times;          /* get, put: repeats (1 otherwise) */
	char as[NAME_MAX_LEN];   /* alloc, early-alloc: `as LABEL`, or "" */
};

enum hyp_check { HC_RESULT, HC_FREE, HC_PAGE, HC_CHECK, HC_EARLY_USED };

struct hyp_expect {
	enum hyp_check what;
	enum scn_op op;
	struct hyp_addr addr;   /* result: the value wanted; page: the page */
	bool named;             /* result: a status (null, panic, einval), not a value */
	int status;
	char pool[NAME_MAX_LEN]; /* free, check */
	uint64_t order;         /* free */
	bool order_field;       /* page: its order, not its refcount */
	uint64_t want;          /* free, page, early-used */
	bool has_text;          /* check: "TEXT" rather than ok */
	char text[];
};

struct hyp_pool_slot {
	char name[NAME_MAX_LEN];
	struct hyp_pool pool;
	bool panic_reported;
};

struct hyp_state {
	struct hyp_vmemmap vmemmap;
	bool have_vmemmap;
	struct hyp_early_alloc early;
	bool have_early;
	struct hyp_pool_slot pools[MAX_POOLS];
	int npools;
	struct {
		char name[NAME_MAX_LEN];
		uint64_t value;
	} labels[MAX_LABELS];
	int nlabels;
	int status; /* the last command's: 0, -errno or HYP_EPANIC */
	uint64_t value;
};

static struct hyp_state *state(struct exec *x)
{
	return scn_state(x, hyp_binding.family);
}

/* ---- parsing -------------------------------------------------------------------- */

static int copy_word(struct pctx *p, const char *what, char *out)
{
	struct tok *t = scn_next(p, what);

	if (!t)
		return -1;
	if (t->quoted || t->len == 0 || t->len >= NAME_MAX_LEN || t->text[0] == '$')
		return scn_perr(p, t->col, "%s: expected a name of at most 31 characters, found '%s'", what, t->text);
	memcpy(out, t->text, t->len + 1);
	return 0;
}

/* An address, or $LABEL resolved when the command runs. */
static int page_arg(struct pctx *p, struct hyp_addr *a)
{
	struct tok *t;

	if (p->i < p->n && p->t[p->i].text[0] == '$' && !p->t[p->i].quoted) {
		t = &p->t[p->i++];
		if (t->len < 2 || t->len >= 33)
			return scn_perr(p, t->col, "bad label '%s'", t->text);
		memcpy(a->label, t->text + 1, t->len);
		return 0;
	}
	return scn_number(p, "page address", &a->value);
}

static int as_label(struct pctx *p, struct hyp_step *h)
{
	if (p->i < p->n && scn_is(&p->t[p->i], "as")) {
		p->i++;
		if (copy_word(p, "label", h->as) < 0)
			return -1;
	}
	return scn_no_more(p);
}

static int parse_pool(struct pctx *p, struct hyp_step *h)
{
	h->verb = HV_POOL;
	if (copy_word(p, "pool name", h->pool) < 0 || scn_number(p, "pool address", &h->addr.value) < 0 ||
	    scn_number(p, "page count", &h->count) < 0)
		return -1;
	if (h->addr.value % HYP_PAGE_SIZE)
		return scn_perr(p, p->t[p->i - 2].col, "pool address must be page aligned");
	if (h->count > UINT32_MAX)
		return scn_perr(p, p->t[p->i - 1].col, "page count must fit in 32 bits (an unsigned int)");
	if (p->i < p->n && scn_is(&p->t[p->i], "reserved")) {
		p->i++;
		if (scn_number(p, "reserved pages", &h->reserved) < 0)
			return -1;
		if (h->reserved > h->count)
			return scn_perr(p, p->t[p->i - 1].col, "more reserved pages than pages");
	}
	return scn_no_more(p);
}

static int parse_page_op(struct pctx *p, const struct tok *t, struct hyp_step *h)
{
	h->verb = scn_is(t, "get") ? HV_GET : scn_is(t, "put") ? HV_PUT : HV_SPLIT;
	if (copy_word(p, "pool name", h->pool) < 0 || page_arg(p, &h->addr) < 0)
		return -1;
	if (h->verb != HV_SPLIT && p->i < p->n && scn_is(&p->t[p->i], "times")) {
		p->i++;
		if (scn_number(p, "repeat count", &h->times) < 0)
			return -1;
		if (h->times == 0 || h->times > 1000000)
			return scn_perr(p, p->t[p->i - 1].col, "repeat count must be 1..1000000");
	}
	return scn_no_more(p);
}

static int parse_count(struct pctx *p, struct hyp_step *h, const char *what, uint64_t max, const char *msg)
{
	if (scn_number(p, what, &h->count) < 0)
		return -1;
	if (h->count > max)
		return scn_perr(p, p->t[p->i - 1].col, "%s", msg);
	return as_label(p, h);
}

static int parse_hyp(struct pctx *p, struct scn_cmd *c)
{
	struct hyp_step *h = scn_typed(p, c, sizeof(*h));
	struct tok *t;

	if (!h || !(t = scn_next(p, "allocator command")))
		return -1;
	h->times = 1;
	if (scn_is(t, "vmemmap")) {
		h->verb = HV_VMEMMAP;
		return scn_number(p, "vmemmap address", &h->addr.value) < 0 ? -1 : scn_no_more(p);
	}
	if (scn_is(t, "pool"))
		return parse_pool(p, h);
	if (scn_is(t, "alloc")) {
		h->verb = HV_ALLOC;
		if (copy_word(p, "pool name", h->pool) < 0)
			return -1;
		return parse_count(p, h, "order", 255, "order must fit in 8 bits");
	}
	if (scn_is(t, "get") || scn_is(t, "put") || scn_is(t, "split"))
		return parse_page_op(p, t, h);
	if (scn_is(t, "early")) {
		h->verb = HV_EARLY;
		if (scn_number(p, "address", &h->addr.value) < 0 || scn_number(p, "size", &h->count) < 0)
			return -1;
		return scn_no_more(p);
	}
	if (scn_is(t, "early-alloc")) {
		h->verb = HV_EARLY_ALLOC;
		return parse_count(p, h, "page count", UINT32_MAX, "page count must fit in 32 bits (an unsigned int)");
	}
	return scn_perr(p, t->col, "unknown allocator command '%s' (vmemmap, pool, alloc, get, put, split, early, "
				   "early-alloc)", t->text);
}

static int parse_expect_result(struct pctx *p, struct hyp_expect *e)
{
	static const struct { const char *word; int status; } named[] = {
		{ "null", -ENOMEM }, { "panic", HYP_EPANIC }, { "einval", -EINVAL },
	};
	struct tok *t;
	size_t i;

	e->what = HC_RESULT;
	if (scn_op_arg(p, &e->op) < 0)
		return -1;
	if (e->op != SCN_EQ && e->op != SCN_NE)
		return scn_perr(p, p->t[p->i - 1].col, "a result compares with == or != only");
	if (p->i < p->n) {
		t = &p->t[p->i];
		for (i = 0; i < sizeof(named) / sizeof(named[0]); i++)
			if (scn_is(t, named[i].word)) {
				p->i++;
				e->named = true;
				e->status = named[i].status;
				return scn_no_more(p);
			}
	}
	return page_arg(p, &e->addr) < 0 ? -1 : scn_no_more(p);
}

static int parse_expect_page(struct pctx *p, struct hyp_expect *e)
{
	struct tok *t;

	e->what = HC_PAGE;
	if (page_arg(p, &e->addr) < 0 || !(t = scn_next(p, "'refcount' or 'order'")))
		return -1;
	if (!scn_is(t, "refcount") && !scn_is(t, "order"))
		return scn_perr(p, t->col, "expected 'refcount' or 'order', found '%s'", t->text);
	e->order_field = scn_is(t, "order");
	if (scn_op_arg(p, &e->op) < 0)
		return -1;
	if (e->order_field && p->i < p->n && scn_is(&p->t[p->i], "none")) {
		p->i++;
		e->want = HYP_NO_ORDER;
		return scn_no_more(p);
	}
	return scn_number(p, "value", &e->want) < 0 ? -1 : scn_no_more(p);
}

static int parse_expect_hyp(struct pctx *p, struct scn_cmd *c)
{
	struct hyp_expect *e = scn_typed(p, c, sizeof(*e));
	struct tok *t;
	int r;

	if (!e || !(t = scn_next(p, "allocator expectation")))
		return -1;
	if (scn_is(t, "result"))
		return parse_expect_result(p, e);
	if (scn_is(t, "free")) {
		e->what = HC_FREE;
		if (copy_word(p, "pool name", e->pool) < 0 || scn_number(p, "order", &e->order) < 0 ||
		    scn_op_arg(p, &e->op) < 0 || scn_number(p, "count", &e->want) < 0)
			return -1;
		return scn_no_more(p);
	}
	if (scn_is(t, "page"))
		return parse_expect_page(p, e);
	if (scn_is(t, "check")) {
		e->what = HC_CHECK;
		if (copy_word(p, "pool name", e->pool) < 0 || (r = scn_ok_or_text(p, c, offsetof(struct hyp_expect, text))) < 0)
			return -1;
		((struct hyp_expect *)c->ext)->has_text = r;
		return 0;
	}
	if (scn_is(t, "early-used")) {
		e->what = HC_EARLY_USED;
		if (scn_op_arg(p, &e->op) < 0 || scn_number(p, "page count", &e->want) < 0)
			return -1;
		return scn_no_more(p);
	}
	return scn_perr(p, t->col, "unknown allocator expectation '%s' (result, free, page, check, early-used)",
			t->text);
}

/* ---- running ---------------------------------------------------------------------- */

static const struct mem_region *region_of(struct exec *x, uint64_t addr)
{
	int i;

	for (i = 0; i < x->m.cfg.nmem; i++) {
		const struct mem_region *r = &x->m.cfg.mem[i];

		if (addr >= r->base && addr - r->base < r->size)
			return r;
	}
	return NULL;
}

static struct hyp_mem region_mem(const struct mem_region *r)
{
	return (struct hyp_mem){ .base = r->base, .size = r->size, .host = r->host };
}

static struct hyp_pool_slot *find_pool(struct exec *x, const struct scn_cmd *c, const char *name)
{
	struct hyp_state *st = state(x);
	int i;

	for (i = 0; i < st->npools; i++)
		if (strcmp(st->pools[i].name, name) == 0)
			return &st->pools[i];
	scn_errorf(x, c, "no pool named '%s' (create it with 'hyp pool')", name);
	return NULL;
}

/* The value of an address operand. Return: 0 or -1 (reported). */
static int operand(struct exec *x, const struct scn_cmd *c, const struct hyp_addr *a, uint64_t *v)
{
	struct hyp_state *st = state(x);
	int i;

	if (!a->label[0]) {
		*v = a->value;
		return 0;
	}
	for (i = 0; i < st->nlabels; i++)
		if (strcmp(st->labels[i].name, a->label) == 0) {
			*v = st->labels[i].value;
			return 0;
		}
	return scn_errorf(x, c, "label $%s has no value (was its allocation refused?)", a->label);
}

static int set_label(struct exec *x, const struct scn_cmd *c, const struct hyp_step *h)
{
	struct hyp_state *st = state(x);
	int i;

	if (!h->as[0] || st->status != 0)
		return 0;
	for (i = 0; i < st->nlabels; i++)
		if (strcmp(st->labels[i].name, h->as) == 0)
			break;
	if (i == MAX_LABELS)
		return scn_errorf(x, c, "more than %d labels", MAX_LABELS);
	snprintf(st->labels[i].name, sizeof(st->labels[i].name), "%s", h->as);
	st->labels[i].value = st->value;
	if (i == st->nlabels)
		st->nlabels++;
	return 0;
}

static void report_panic(struct exec *x, struct hyp_pool_slot *sp)
{
	if (state(x)->status != HYP_EPANIC || sp->panic_reported)
		return;
	sp->panic_reported = true;
	machine_hyp_panic(&x->m, NULL, x->m.now, 0, sp->name, hyp_panic_reason_name(sp->pool.panic.reason),
			  sp->pool.panic.phys);
}

static int exec_vmemmap(struct exec *x, const struct scn_cmd *c, const struct hyp_step *h)
{
	const struct mem_region *r = region_of(x, h->addr.value);
	struct hyp_state *st = state(x);
	uint64_t nr, a = h->addr.value;

	if (!r)
		return scn_errorf(x, c, "vmemmap address 0x%" PRIx64 " is not in guest memory", a);
	nr = r->size >> HYP_PAGE_SHIFT;
	if ((a - r->base) + nr * HYP_PAGE_STRUCT_SIZE > r->size)
		return scn_errorf(x, c, "a vmemmap for %" PRIu64 " pages (%" PRIu64 " bytes) does not fit at 0x%" PRIx64,
				  nr, nr * HYP_PAGE_STRUCT_SIZE, a);
	st->vmemmap = (struct hyp_vmemmap){ .mem = region_mem(r), .pa = a, .first_pfn = r->base >> HYP_PAGE_SHIFT,
					    .nr_pfns = nr };
	st->have_vmemmap = true;
	return 0;
}

static int exec_pool(struct exec *x, const struct scn_cmd *c, const struct hyp_step *h)
{
	struct hyp_state *st = state(x);
	struct hyp_pool_slot *sp;
	int i;

	if (!st->have_vmemmap)
		return scn_errorf(x, c, "'hyp pool' needs a 'hyp vmemmap ADDR' line above it");
	for (i = 0; i < st->npools; i++)
		if (strcmp(st->pools[i].name, h->pool) == 0)
			return scn_errorf(x, c, "pool '%s' exists already", h->pool);
	if (st->npools == MAX_POOLS)
		return scn_errorf(x, c, "at most %d pools", MAX_POOLS);
	sp = &st->pools[st->npools];
	snprintf(sp->name, sizeof(sp->name), "%s", h->pool);
	st->status = hyp_pool_init(&sp->pool, &st->vmemmap, h->addr.value >> HYP_PAGE_SHIFT, (uint32_t)h->count,
				   (uint32_t)h->reserved, 0, HYP_HEADS_VA_BASE + (uint64_t)st->npools * 0x1000);
	st->value = 0;
	if (st->status == -EINVAL)
		return scn_errorf(x, c, "pool pages 0x%" PRIx64 "+%" PRIu64 " pages are not all in the vmemmap's RAM region",
				  h->addr.value, h->count);
	st->npools++;
	report_panic(x, sp);
	return 0;
}

static int exec_page_op(struct exec *x, const struct scn_cmd *c, const struct hyp_step *h)
{
	struct hyp_pool_slot *sp = find_pool(x, c, h->pool);
	struct hyp_state *st = state(x);
	uint64_t pa, n;

	if (!sp)
		return -1;
	if (h->verb == HV_ALLOC) {
		st->value = 0;
		st->status = hyp_alloc_pages(&sp->pool, (uint8_t)h->count, &st->value);
		report_panic(x, sp);
		return set_label(x, c, h);
	}
	if (operand(x, c, &h->addr, &pa) < 0)
		return -1;
	st->value = pa;
	st->status = 0;
	for (n = 0; n < h->times && st->status == 0; n++)
		st->status = h->verb == HV_GET ? hyp_get_page(&sp->pool, pa)
			     : h->verb == HV_PUT ? hyp_put_page(&sp->pool, pa)
						 : hyp_split_page(&sp->pool, pa);
	if (st->status == -EINVAL)
		return scn_errorf(x, c, "page 0x%" PRIx64 " has no vmemmap entry", pa);
	report_panic(x, sp);
	return 0;
}

static int exec_early(struct exec *x, const struct scn_cmd *c, const struct hyp_step *h)
{
	const struct mem_region *r = region_of(x, h->addr.value);
	struct hyp_state *st = state(x);
	struct hyp_mem mem;

	if (h->verb == HV_EARLY) {
		if (!r)
			return scn_errorf(x, c, "address 0x%" PRIx64 " is not in guest memory", h->addr.value);
		mem = region_mem(r);
		hyp_early_alloc_init(&st->early, &mem, h->addr.value, h->count);
		st->have_early = true;
		return 0;
	}
	if (!st->have_early)
		return scn_errorf(x, c, "'hyp early-alloc' needs a 'hyp early ADDR SIZE' line above it");
	st->value = 0;
	st->status = hyp_early_alloc_contig(&st->early, (uint32_t)h->count, &st->value);
	return set_label(x, c, h);
}

static int exec_hyp(struct exec *x, const struct scn_cmd *c)
{
	const struct hyp_step *h = c->ext;

	switch (h->verb) {
	case HV_VMEMMAP:
		return exec_vmemmap(x, c, h);
	case HV_POOL:
		return exec_pool(x, c, h);
	case HV_EARLY:
	case HV_EARLY_ALLOC:
		return exec_early(x, c, h);
	default:
		return exec_page_op(x, c, h);
	}
}

static void hyp_result(struct exec *x, const struct scn_cmd *c, int64_t *status, uint64_t *value)
{
	(void)c;
	*status = state(x)->status;
	*value = state(x)->value;
}

/* ---- expectations ------------------------------------------------------------------- */

static const char *status_name(int status)
{
	switch (status) {
	case 0: return "ok";
	case -ENOMEM: return "null";
	case -EINVAL: return "einval";
	case -EFAULT: return "efault";
	case HYP_EPANIC: return "panic";
	}
	return "error";
}

static void check_result(struct exec *x, const struct scn_cmd *c, const struct hyp_expect *e)
{
	struct hyp_state *st = state(x);
	uint64_t want = 0;
	bool same;

	if (e->named)
		same = st->status == e->status;
	else {
		if (operand(x, c, &e->addr, &want) < 0)
			return;
		same = st->status == 0 && st->value == want;
	}
	if (same == (e->op == SCN_EQ))
		return;
	if (e->named)
		scn_failf(x, c, "expected result %s %s, got %s (0x%" PRIx64 ")", scn_op_text(e->op), status_name(e->status),
			  status_name(st->status), st->value);
	else
		scn_failf(x, c, "expected result %s 0x%" PRIx64 ", got %s 0x%" PRIx64, scn_op_text(e->op), want,
			  status_name(st->status), st->value);
}

static void check_page(struct exec *x, const struct scn_cmd *c, const struct hyp_expect *e)
{
	struct hyp_state *st = state(x);
	struct hyp_page_info info;
	uint64_t pa;
	char what[64];

	if (operand(x, c, &e->addr, &pa) < 0)
		return;
	if (!st->have_vmemmap || hyp_vmemmap_read(&st->vmemmap, pa, &info) < 0) {
		scn_failf(x, c, "page 0x%" PRIx64 " has no vmemmap entry", pa);
		return;
	}
	snprintf(what, sizeof(what), "page 0x%" PRIx64 " %s", pa, e->order_field ? "order" : "refcount");
	scn_check_op(x, c, what, e->order_field ? info.order : info.refcount, e->op, e->want);
}

static void check_pool(struct exec *x, const struct scn_cmd *c, const struct hyp_expect *e)
{
	struct hyp_pool_slot *sp = find_pool(x, c, e->pool);
	char why[320], what[64];
	uint64_t n = 0;

	if (!sp)
		return;
	if (e->what == HC_FREE) {
		if (hyp_pool_free_blocks(&sp->pool, (unsigned)e->order, &n) < 0) {
			scn_failf(x, c, "free_area[%" PRIu64 "] of pool '%s' cannot be walked (order above max_order %u, "
					"or a corrupted list)", e->order, sp->name, sp->pool.max_order);
			return;
		}
		snprintf(what, sizeof(what), "free blocks of order %" PRIu64 " in '%s'", e->order, sp->name);
		scn_check_op(x, c, what, n, e->op, e->want);
		return;
	}
	if (hyp_pool_check(&sp->pool, why, sizeof(why)) == 0) {
		if (e->has_text)
			scn_failf(x, c, "expected the checker to find \"%s\" in '%s', it found nothing wrong", e->text,
				  sp->name);
	} else if (!e->has_text || !strstr(why, e->text)) {
		scn_failf(x, c, "pool '%s': %s", sp->name, why);
	}
}

static void check_hyp(struct exec *x, const struct scn_cmd *c)
{
	const struct hyp_expect *e = c->ext;
	struct hyp_state *st = state(x);

	switch (e->what) {
	case HC_RESULT:
		check_result(x, c, e);
		break;
	case HC_PAGE:
		check_page(x, c, e);
		break;
	case HC_FREE:
	case HC_CHECK:
		check_pool(x, c, e);
		break;
	case HC_EARLY_USED:
		if (!st->have_early)
			scn_failf(x, c, "no early allocator ('hyp early ADDR SIZE')");
		else
			scn_check_op(x, c, "early allocator pages used", hyp_early_alloc_nr_used_pages(&st->early), e->op,
				     e->want);
		break;
	}
}

/* The early allocator's cursor, then each pool's free lists, order and panic. */
static uint64_t hyp_digest(const void *state, uint64_t h)
{
	const struct hyp_state *st = state;
	int i, o;

	h = dg_u64(h, st->have_early ? st->early.cur : 0);
	for (i = 0; i < st->npools; i++) {
		const struct hyp_pool *p = &st->pools[i].pool;

		for (o = 0; o < HYP_NR_PAGE_ORDERS; o++)
			h = dg_array(h, p->heads[o], 2);
		h = dg_u64(h, p->max_order);
		h = dg_u64(h, (uint64_t)p->panic.reason);
	}
	return h;
}

static const struct scn_verb hyp_verbs[] = {
	{ .word = "hyp", .parse = parse_hyp, .exec = exec_hyp, .result = hyp_result },
	{ 0 },
};

static const struct scn_expectation hyp_expects[] = {
	{ .word = "hyp", .parse = parse_expect_hyp, .check = check_hyp },
	{ 0 },
};

static const struct scn_family hyp_family = {
	.verbs = hyp_verbs,
	.expects = hyp_expects,
	.state_size = sizeof(struct hyp_state),
	.digest = hyp_digest,
};

const struct model_binding hyp_binding = {
	.name = "hyp",
	.family = &hyp_family,
};
