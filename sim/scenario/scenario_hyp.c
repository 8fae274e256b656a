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
 * reported as a hyp-panic event and halts the machine.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_internal.h"

#define HYP_HEADS_VA_BASE 0xffff800000000000ull /* pool structs' hyp VAs, 4 KiB apart */

/* ---- parsing -------------------------------------------------------------------- */

static int copy_word(struct pctx *p, const char *what, char **out)
{
	struct tok *t = scn_next(p, what);

	if (!t)
		return -1;
	if (t->quoted || t->len == 0 || t->len >= 32 || t->text[0] == '$')
		return scn_perr(p, t->col, "%s: expected a name of at most 31 characters, found '%s'", what, t->text);
	*out = strdup(t->text);
	return *out ? 0 : -1;
}

/* An address, or $LABEL resolved when the command runs. */
static int page_arg(struct pctx *p, struct scn_cmd *c)
{
	struct tok *t;

	if (p->i < p->n && p->t[p->i].text[0] == '$' && !p->t[p->i].quoted) {
		t = &p->t[p->i++];
		if (t->len < 2 || t->len >= 33)
			return scn_perr(p, t->col, "bad label '%s'", t->text);
		c->ref = strdup(t->text + 1);
		return c->ref ? 0 : -1;
	}
	return scn_number(p, "page address", &c->a);
}

static int as_label(struct pctx *p, struct scn_cmd *c)
{
	if (p->i < p->n && scn_is(&p->t[p->i], "as")) {
		p->i++;
		if (copy_word(p, "label", &c->label) < 0)
			return -1;
	}
	return scn_no_more(p);
}

static int parse_pool(struct pctx *p, struct scn_cmd *c)
{
	c->kind = SCN_HYP_POOL;
	if (copy_word(p, "pool name", &c->str) < 0 || scn_number(p, "pool address", &c->a) < 0 ||
	    scn_number(p, "page count", &c->b) < 0)
		return -1;
	if (c->a % HYP_PAGE_SIZE)
		return scn_perr(p, p->t[p->i - 2].col, "pool address must be page aligned");
	if (c->b > UINT32_MAX)
		return scn_perr(p, p->t[p->i - 1].col, "page count must fit in 32 bits (an unsigned int)");
	if (p->i < p->n && scn_is(&p->t[p->i], "reserved")) {
		p->i++;
		if (scn_number(p, "reserved pages", &c->c) < 0)
			return -1;
		if (c->c > c->b)
			return scn_perr(p, p->t[p->i - 1].col, "more reserved pages than pages");
	}
	return scn_no_more(p);
}

int scn_parse_hyp(struct pctx *p, struct scn_cmd *c)
{
	struct tok *t = scn_next(p, "allocator command");

	if (!t)
		return -1;
	if (scn_is(t, "vmemmap")) {
		c->kind = SCN_HYP_VMEMMAP;
		return scn_number(p, "vmemmap address", &c->a) < 0 ? -1 : scn_no_more(p);
	}
	if (scn_is(t, "pool"))
		return parse_pool(p, c);
	if (scn_is(t, "alloc")) {
		c->kind = SCN_HYP_ALLOC;
		if (copy_word(p, "pool name", &c->str) < 0 || scn_number(p, "order", &c->a) < 0)
			return -1;
		if (c->a > 255)
			return scn_perr(p, p->t[p->i - 1].col, "order must fit in 8 bits");
		return as_label(p, c);
	}
	if (scn_is(t, "get") || scn_is(t, "put") || scn_is(t, "split")) {
		c->kind = scn_is(t, "get") ? SCN_HYP_GET : scn_is(t, "put") ? SCN_HYP_PUT : SCN_HYP_SPLIT;
		if (copy_word(p, "pool name", &c->str) < 0 || page_arg(p, c) < 0)
			return -1;
		c->c = 1;
		if (c->kind != SCN_HYP_SPLIT && p->i < p->n && scn_is(&p->t[p->i], "times")) {
			p->i++;
			if (scn_number(p, "repeat count", &c->c) < 0)
				return -1;
			if (c->c == 0 || c->c > 1000000)
				return scn_perr(p, p->t[p->i - 1].col, "repeat count must be 1..1000000");
		}
		return scn_no_more(p);
	}
	if (scn_is(t, "early")) {
		c->kind = SCN_HYP_EARLY;
		if (scn_number(p, "address", &c->a) < 0 || scn_number(p, "size", &c->b) < 0)
			return -1;
		return scn_no_more(p);
	}
	if (scn_is(t, "early-alloc")) {
		c->kind = SCN_HYP_EARLY_ALLOC;
		if (scn_number(p, "page count", &c->a) < 0)
			return -1;
		if (c->a > UINT32_MAX)
			return scn_perr(p, p->t[p->i - 1].col, "page count must fit in 32 bits (an unsigned int)");
		return as_label(p, c);
	}
	return scn_perr(p, t->col, "unknown allocator command '%s' (vmemmap, pool, alloc, get, put, split, early, "
				   "early-alloc)", t->text);
}

static int parse_expect_result(struct pctx *p, struct scn_cmd *c)
{
	static const struct { const char *word; int status; } named[] = {
		{ "null", -ENOMEM }, { "panic", HYP_EPANIC }, { "einval", -EINVAL },
	};
	struct tok *t;
	size_t i;

	c->kind = SCN_EXPECT_HYP_RESULT;
	if (scn_op_arg(p, &c->op) < 0)
		return -1;
	if (c->op != SCN_EQ && c->op != SCN_NE)
		return scn_perr(p, p->t[p->i - 1].col, "a result compares with == or != only");
	if (p->i < p->n) {
		t = &p->t[p->i];
		for (i = 0; i < sizeof(named) / sizeof(named[0]); i++)
			if (scn_is(t, named[i].word)) {
				p->i++;
				c->null_value = true;
				c->c = (uint64_t)(int64_t)named[i].status;
				return scn_no_more(p);
			}
	}
	if (page_arg(p, c) < 0)
		return -1;
	c->b = c->a;
	return scn_no_more(p);
}

static int parse_expect_page(struct pctx *p, struct scn_cmd *c)
{
	struct tok *t;

	c->kind = SCN_EXPECT_HYP_PAGE;
	if (page_arg(p, c) < 0 || !(t = scn_next(p, "'refcount' or 'order'")))
		return -1;
	if (!scn_is(t, "refcount") && !scn_is(t, "order"))
		return scn_perr(p, t->col, "expected 'refcount' or 'order', found '%s'", t->text);
	c->width = scn_is(t, "order");
	if (scn_op_arg(p, &c->op) < 0)
		return -1;
	if (c->width && p->i < p->n && scn_is(&p->t[p->i], "none")) {
		p->i++;
		c->b = HYP_NO_ORDER;
		return scn_no_more(p);
	}
	return scn_number(p, "value", &c->b) < 0 ? -1 : scn_no_more(p);
}

int scn_parse_expect_hyp(struct pctx *p, struct scn_cmd *c)
{
	struct tok *t = scn_next(p, "allocator expectation");

	if (!t)
		return -1;
	if (scn_is(t, "result"))
		return parse_expect_result(p, c);
	if (scn_is(t, "free")) {
		c->kind = SCN_EXPECT_HYP_FREE;
		if (copy_word(p, "pool name", &c->str) < 0 || scn_number(p, "order", &c->a) < 0 ||
		    scn_op_arg(p, &c->op) < 0 || scn_number(p, "count", &c->b) < 0)
			return -1;
		return scn_no_more(p);
	}
	if (scn_is(t, "page"))
		return parse_expect_page(p, c);
	if (scn_is(t, "check")) {
		c->kind = SCN_EXPECT_HYP_CHECK;
		if (copy_word(p, "pool name", &c->str) < 0)
			return -1;
		return scn_ok_or_text(p, &c->str2);
	}
	if (scn_is(t, "early-used")) {
		c->kind = SCN_EXPECT_HYP_EARLY_USED;
		if (scn_op_arg(p, &c->op) < 0 || scn_number(p, "page count", &c->b) < 0)
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

static struct scn_pool *find_pool(struct exec *x, const struct scn_cmd *c)
{
	int i;

	for (i = 0; i < x->npools; i++)
		if (strcmp(x->pools[i].name, c->str) == 0)
			return &x->pools[i];
	scn_errorf(x, c, "no pool named '%s' (create it with 'hyp pool')", c->str);
	return NULL;
}

int scn_operand(struct exec *x, const struct scn_cmd *c, uint64_t *v)
{
	int i;

	if (!c->ref) {
		*v = c->a;
		return 0;
	}
	for (i = 0; i < x->nlabels; i++)
		if (strcmp(x->labels[i].name, c->ref) == 0) {
			*v = x->labels[i].value;
			return 0;
		}
	return scn_errorf(x, c, "label $%s has no value (was its allocation refused?)", c->ref);
}

static int set_label(struct exec *x, const struct scn_cmd *c, uint64_t value)
{
	int i;

	if (!c->label || x->last.status != 0)
		return 0;
	for (i = 0; i < x->nlabels; i++)
		if (strcmp(x->labels[i].name, c->label) == 0)
			break;
	if (i == SCN_MAX_LABELS)
		return scn_errorf(x, c, "more than %d labels", SCN_MAX_LABELS);
	snprintf(x->labels[i].name, sizeof(x->labels[i].name), "%s", c->label);
	x->labels[i].value = value;
	if (i == x->nlabels)
		x->nlabels++;
	return 0;
}

static void report_panic(struct exec *x, struct scn_pool *sp)
{
	if (x->last.status != HYP_EPANIC || sp->panic_reported)
		return;
	sp->panic_reported = true;
	machine_hyp_panic(&x->m, NULL, x->m.now, 0, sp->name, hyp_panic_reason_name(sp->pool.panic.reason),
			  sp->pool.panic.phys);
}

static int exec_vmemmap(struct exec *x, const struct scn_cmd *c)
{
	const struct mem_region *r = region_of(x, c->a);
	uint64_t nr;

	if (!r)
		return scn_errorf(x, c, "vmemmap address 0x%" PRIx64 " is not in guest memory", c->a);
	nr = r->size >> HYP_PAGE_SHIFT;
	if ((c->a - r->base) + nr * HYP_PAGE_STRUCT_SIZE > r->size)
		return scn_errorf(x, c, "a vmemmap for %" PRIu64 " pages (%" PRIu64 " bytes) does not fit at 0x%" PRIx64,
				  nr, nr * HYP_PAGE_STRUCT_SIZE, c->a);
	x->vmemmap = (struct hyp_vmemmap){ .mem = region_mem(r), .pa = c->a, .first_pfn = r->base >> HYP_PAGE_SHIFT,
					   .nr_pfns = nr };
	x->have_vmemmap = true;
	return 0;
}

static int exec_pool(struct exec *x, const struct scn_cmd *c)
{
	struct scn_pool *sp;
	int i;

	if (!x->have_vmemmap)
		return scn_errorf(x, c, "'hyp pool' needs a 'hyp vmemmap ADDR' line above it");
	for (i = 0; i < x->npools; i++)
		if (strcmp(x->pools[i].name, c->str) == 0)
			return scn_errorf(x, c, "pool '%s' exists already", c->str);
	if (x->npools == SCN_MAX_POOLS)
		return scn_errorf(x, c, "at most %d pools", SCN_MAX_POOLS);
	sp = &x->pools[x->npools];
	snprintf(sp->name, sizeof(sp->name), "%s", c->str);
	x->last.status = hyp_pool_init(&sp->pool, &x->vmemmap, c->a >> HYP_PAGE_SHIFT, (uint32_t)c->b, (uint32_t)c->c,
				       0, HYP_HEADS_VA_BASE + (uint64_t)x->npools * 0x1000);
	x->last.value = 0;
	if (x->last.status == -EINVAL)
		return scn_errorf(x, c, "pool pages 0x%" PRIx64 "+%" PRIu64 " pages are not all in the vmemmap's RAM region",
				  c->a, c->b);
	x->npools++;
	report_panic(x, sp);
	return 0;
}

static int exec_page_op(struct exec *x, const struct scn_cmd *c)
{
	struct scn_pool *sp = find_pool(x, c);
	uint64_t pa, n;

	if (!sp)
		return -1;
	if (c->kind == SCN_HYP_ALLOC) {
		x->last.value = 0;
		x->last.status = hyp_alloc_pages(&sp->pool, (uint8_t)c->a, &x->last.value);
		report_panic(x, sp);
		return set_label(x, c, x->last.value);
	}
	if (scn_operand(x, c, &pa) < 0)
		return -1;
	x->last.value = pa;
	x->last.status = 0;
	for (n = 0; n < c->c && x->last.status == 0; n++)
		x->last.status = c->kind == SCN_HYP_GET ? hyp_get_page(&sp->pool, pa)
				 : c->kind == SCN_HYP_PUT ? hyp_put_page(&sp->pool, pa)
							  : hyp_split_page(&sp->pool, pa);
	if (x->last.status == -EINVAL)
		return scn_errorf(x, c, "page 0x%" PRIx64 " has no vmemmap entry", pa);
	report_panic(x, sp);
	return 0;
}

static int exec_early(struct exec *x, const struct scn_cmd *c)
{
	const struct mem_region *r = region_of(x, c->a);
	struct hyp_mem mem;

	if (c->kind == SCN_HYP_EARLY) {
		if (!r)
			return scn_errorf(x, c, "address 0x%" PRIx64 " is not in guest memory", c->a);
		mem = region_mem(r);
		hyp_early_alloc_init(&x->early, &mem, c->a, c->b);
		x->have_early = true;
		return 0;
	}
	if (!x->have_early)
		return scn_errorf(x, c, "'hyp early-alloc' needs a 'hyp early ADDR SIZE' line above it");
	x->last.value = 0;
	x->last.status = hyp_early_alloc_contig(&x->early, (uint32_t)c->a, &x->last.value);
	return set_label(x, c, x->last.value);
}

int scn_exec_hyp(struct exec *x, const struct scn_cmd *c)
{
	switch (c->kind) {
	case SCN_HYP_VMEMMAP:
		return exec_vmemmap(x, c);
	case SCN_HYP_POOL:
		return exec_pool(x, c);
	case SCN_HYP_EARLY:
	case SCN_HYP_EARLY_ALLOC:
		return exec_early(x, c);
	default:
		return exec_page_op(x, c);
	}
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

static void check_result(struct exec *x, const struct scn_cmd *c)
{
	uint64_t want = c->b;
	bool same;

	if (c->null_value)
		same = x->last.status == (int)(int64_t)c->c;
	else {
		if (scn_operand(x, c, &want) < 0)
			return;
		same = x->last.status == 0 && x->last.value == want;
	}
	if (same == (c->op == SCN_EQ))
		return;
	if (c->null_value)
		scn_failf(x, c, "expected result %s %s, got %s (0x%" PRIx64 ")", scn_op_text(c->op),
			  status_name((int)(int64_t)c->c), status_name(x->last.status), x->last.value);
	else
		scn_failf(x, c, "expected result %s 0x%" PRIx64 ", got %s 0x%" PRIx64, scn_op_text(c->op), want,
			  status_name(x->last.status), x->last.value);
}

static void check_page(struct exec *x, const struct scn_cmd *c)
{
	struct hyp_page_info info;
	uint64_t pa;
	char what[64];

	if (scn_operand(x, c, &pa) < 0)
		return;
	if (!x->have_vmemmap || hyp_vmemmap_read(&x->vmemmap, pa, &info) < 0) {
		scn_failf(x, c, "page 0x%" PRIx64 " has no vmemmap entry", pa);
		return;
	}
	snprintf(what, sizeof(what), "page 0x%" PRIx64 " %s", pa, c->width ? "order" : "refcount");
	scn_check_value(x, c, what, c->width ? info.order : info.refcount);
}

static void check_pool(struct exec *x, const struct scn_cmd *c)
{
	struct scn_pool *sp = find_pool(x, c);
	char why[320], what[64];
	uint64_t n = 0;

	if (!sp)
		return;
	if (c->kind == SCN_EXPECT_HYP_FREE) {
		if (hyp_pool_free_blocks(&sp->pool, (unsigned)c->a, &n) < 0) {
			scn_failf(x, c, "free_area[%" PRIu64 "] of pool '%s' cannot be walked (order above max_order %u, "
					"or a corrupted list)", c->a, sp->name, sp->pool.max_order);
			return;
		}
		snprintf(what, sizeof(what), "free blocks of order %" PRIu64 " in '%s'", c->a, sp->name);
		scn_check_value(x, c, what, n);
		return;
	}
	if (hyp_pool_check(&sp->pool, why, sizeof(why)) == 0) {
		if (c->str2)
			scn_failf(x, c, "expected the checker to find \"%s\" in '%s', it found nothing wrong", c->str2,
				  sp->name);
	} else if (!c->str2 || !strstr(why, c->str2)) {
		scn_failf(x, c, "pool '%s': %s", sp->name, why);
	}
}

void scn_check_hyp(struct exec *x, const struct scn_cmd *c)
{
	switch (c->kind) {
	case SCN_EXPECT_HYP_RESULT:
		check_result(x, c);
		break;
	case SCN_EXPECT_HYP_PAGE:
		check_page(x, c);
		break;
	case SCN_EXPECT_HYP_FREE:
	case SCN_EXPECT_HYP_CHECK:
		check_pool(x, c);
		break;
	case SCN_EXPECT_HYP_EARLY_USED:
		if (!x->have_early)
			scn_failf(x, c, "no early allocator ('hyp early ADDR SIZE')");
		else
			scn_check_value(x, c, "early allocator pages used", hyp_early_alloc_nr_used_pages(&x->early));
		break;
	default:
		break;
	}
}
