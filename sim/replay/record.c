/* SPDX-License-Identifier: MIT */
/* Recording: the lines a run produces (shared with replay) and the writer. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <xxhash.h>

#include "binding.h"
#include "firmware.h"
#include "record.h"

/* ---- growing strings ----------------------------------------------------------- */

static bool db_reserve(struct dbuf *b, size_t more)
{
	char *np;
	size_t cap;

	if (b->oom)
		return false;
	if (b->len + more + 1 <= b->cap)
		return true;
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + more + 1)
		cap *= 2;
	np = realloc(b->p, cap);
	if (!np) {
		b->oom = true;
		return false;
	}
	b->p = np;
	b->cap = cap;
	return true;
}

void db_printf(struct dbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !db_reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void db_json_string(struct dbuf *b, const char *s, size_t len)
{
	char buf[8];
	size_t i;

	db_printf(b, "\"");
	for (i = 0; i < len; i++)
		db_printf(b, "%s", json_escape_char((unsigned char)s[i], buf));
	db_printf(b, "\"");
}

void db_free(struct dbuf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

/* ---- digests ------------------------------------------------------------------- */

uint64_t rec_text_digest(const char *text, size_t len)
{
	return XXH3_64bits(text, len);
}

uint64_t rec_file_digest(const char *path, bool *ok)
{
	XXH3_state_t *st = XXH3_createState();
	FILE *f = fopen(path, "rb");
	char buf[65536];
	size_t n;
	uint64_t h = 0;

	*ok = false;
	if (st && f) {
		XXH3_64bits_reset(st);
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			XXH3_64bits_update(st, buf, n);
		*ok = !ferror(f);
		h = XXH3_64bits_digest(st);
	}
	if (f)
		fclose(f);
	XXH3_freeState(st);
	return h;
}

/* ---- the lines a run produces ------------------------------------------------- */

static void line_begin(struct rec_core *c)
{
	c->line.len = 0;
	c->line.oom = false;
}

static void line_emit(struct rec_core *c, struct machine *m)
{
	if (c->line.oom || !c->line.p)
		return;
	c->lines++;
	c->emit(c, m, c->line.p, c->line.len);
}

static void on_event(void *ctx, struct machine *m, const char *text, size_t len)
{
	struct rec_core *c = ctx;

	line_begin(c);
	if (db_reserve(&c->line, len + 1)) {
		memcpy(c->line.p, text, len);
		c->line.p[len] = '}';
		c->line.len = len + 1;
		c->line.p[c->line.len] = '\0';
	}
	line_emit(c, m);
}

/* The text of line @n of the scenario, trimmed. */
static void source_line(const struct scenario *s, int n, const char **p, size_t *len)
{
	const char *t = s->text ? s->text : "", *end;
	int i;

	for (i = 1; i < n && (t = strchr(t, '\n')); i++)
		t++;
	if (!t)
		t = "";
	end = strchr(t, '\n');
	*len = end ? (size_t)(end - t) : strlen(t);
	while (*len && (t[*len - 1] == '\r' || t[*len - 1] == ' ' || t[*len - 1] == '\t'))
		(*len)--;
	while (*len && (*t == ' ' || *t == '\t')) {
		t++;
		(*len)--;
	}
	*p = t;
}

static void on_input(void *ctx, struct machine *m, const struct scn_cmd *cmd)
{
	struct rec_core *c = ctx;
	const char *text;
	size_t len;

	source_line(c->s, cmd->line, &text, &len);
	line_begin(c);
	db_printf(&c->line, "{\"t\":%" PRIu64 ",\"kind\":\"input\",\"line\":%d,\"cmd\":", m->now, cmd->line);
	db_json_string(&c->line, text, len);
	if (scn_cmd_image(cmd, 0)) {
		char path[1024];
		bool ok;
		uint64_t h;

		scenario_image_path(c->s, c->guest_dir, scn_cmd_image(cmd, 0), path, sizeof(path));
		h = rec_file_digest(path, &ok);
		db_printf(&c->line, ",\"image_xxh3\":\"0x%016" PRIx64 "\"", ok ? h : 0);
	}
	db_printf(&c->line, "}");
	line_emit(c, m);
}

static void on_result(void *ctx, struct machine *m, const struct scn_cmd *cmd, int64_t status, uint64_t value)
{
	struct rec_core *c = ctx;

	line_begin(c);
	db_printf(&c->line, "{\"t\":%" PRIu64 ",\"kind\":\"result\",\"line\":%d,\"status\":%" PRId64
		  ",\"value\":\"0x%" PRIx64 "\"}", m->now, cmd->line, status, value);
	line_emit(c, m);
}

static void digest_regs(struct rec_core *c, struct machine *m)
{
	int v, i, reg;
	const char *name;

	db_printf(&c->line, ",\"regs\":{");
	for (v = 0; v < m->cfg.nvcpus; v++) {
		bool first = true;

		db_printf(&c->line, "%s\"vcpu%d\":{", v ? "," : "", v);
		for (i = 0; (name = cpu_reg_at(m->cfg.arch, i, &reg)); i++) {
			uint64_t val;

			if (cpu_reg_read(&m->vcpus[v].cpu, reg, &val) < 0)
				continue;
			db_printf(&c->line, "%s\"%s\":\"0x%" PRIx64 "\"", first ? "" : ",", name, val);
			first = false;
		}
		db_printf(&c->line, "}");
	}
	db_printf(&c->line, "}");
}

/* Pages whose contents changed since the last digest, by hash. */
static void digest_pages(struct rec_core *c, struct machine *m)
{
	bool first = true;
	int r;

	db_printf(&c->line, ",\"pages\":{");
	for (r = 0; r < m->cfg.nmem; r++) {
		const struct mem_region *mr = &m->cfg.mem[r];
		uint64_t i, n = mr->size / REC_PAGE;

		if (!c->page_hash[r]) {
			static const uint8_t zero_page[REC_PAGE];

			c->zero_hash = XXH3_64bits(zero_page, REC_PAGE);
			c->page_hash[r] = malloc(n * sizeof(uint64_t));
			if (!c->page_hash[r]) {
				c->line.oom = true;
				return;
			}
			for (i = 0; i < n; i++)
				c->page_hash[r][i] = c->zero_hash;
		}
		for (i = 0; i < n; i++) {
			uint64_t h;

			if (i % REC_PAGE_BATCH == 0) /* pages the host never backed read as zeros: no need to hash them */
				machine_ram_untouched(m, r, i, n - i < REC_PAGE_BATCH ? n - i : REC_PAGE_BATCH, c->untouched);
			h = c->untouched[i % REC_PAGE_BATCH] ? c->zero_hash : XXH3_64bits(mr->host + i * REC_PAGE, REC_PAGE);
			if (h == c->page_hash[r][i])
				continue;
			c->page_hash[r][i] = h;
			db_printf(&c->line, "%s\"0x%" PRIx64 "\":\"0x%016" PRIx64 "\"", first ? "" : ",",
				  mr->base + i * REC_PAGE, h);
			first = false;
		}
	}
	db_printf(&c->line, "}");
}

/* Power first, then each model on the machine in binding-table order. */
static void digest_models(struct rec_core *c, struct machine *m)
{
	char value[MACHINE_MAX_VCPUS * 24 + 8];
	int i;

	db_printf(&c->line, ",\"models\":{\"power\":\"0x%016" PRIx64 "\"", power_digest(&m->power));
	for (i = 0; machine_bindings[i]; i++)
		if (m->models[i] && machine_bindings[i]->digest && machine_bindings[i]->digest(m, value, sizeof(value)))
			db_printf(&c->line, ",\"%s\":%s", machine_bindings[i]->name, value);
	if (m->extra_digest)
		db_printf(&c->line, ",\"scenario\":\"0x%016" PRIx64 "\"", m->extra_digest(m->extra_ctx));
	db_printf(&c->line, "}");
}

static void on_checkpoint(void *ctx, struct machine *m)
{
	struct rec_core *c = ctx;
	int v;

	line_begin(c);
	db_printf(&c->line, "{\"t\":%" PRIu64 ",\"kind\":\"digest\",\"n\":%" PRIu64 ",\"retired\":[", m->now,
		  c->digests++);
	for (v = 0; v < m->cfg.nvcpus; v++)
		db_printf(&c->line, "%s%" PRIu64, v ? "," : "", machine_retired(&m->vcpus[v]));
	db_printf(&c->line, "]");
	digest_regs(c, m);
	digest_pages(c, m);
	digest_models(c, m);
	db_printf(&c->line, "}");
	line_emit(c, m);
}

static void on_finish(void *ctx, struct machine *m, const struct scn_result *r)
{
	(void)r;
	on_checkpoint(ctx, m);
}

void rec_core_init(struct rec_core *c, const struct scenario *s, const char *guest_dir, uint64_t every)
{
	memset(c, 0, sizeof(*c));
	c->s = s;
	c->guest_dir = guest_dir;
	c->obs.mobs = (struct machine_observer){ .ctx = c, .event = on_event, .checkpoint = on_checkpoint, .every = every };
	c->obs.input = on_input;
	c->obs.result = on_result;
	c->obs.finish = on_finish;
}

void rec_core_free(struct rec_core *c)
{
	int r;

	for (r = 0; r < MACHINE_MAX_MEM; r++)
		free(c->page_hash[r]);
	db_free(&c->line);
}

static const char *status_name(enum scn_status s)
{
	return s == SCN_PASS ? "pass" : s == SCN_FAIL ? "fail" : "error";
}

void rec_core_end(struct rec_core *c, const struct scn_result *res)
{
	line_begin(c);
	db_printf(&c->line, "{\"t\":%" PRIu64 ",\"kind\":\"end\",\"status\":\"%s\",\"retired\":%" PRIu64
		  ",\"exited\":%s,\"exit_code\":%" PRId64 ",\"failures\":%d}",
		  res->cycles, status_name(res->status), res->retired, res->exited ? "true" : "false", res->exit_code,
		  res->nfails);
	line_emit(c, NULL);
}

/* ---- the header ---------------------------------------------------------------- */

char *rec_config_json(const struct scenario *s)
{
	const struct machine_config *cfg = &s->cfg;
	const struct pkvm_options *pkvm = pkvm_config(cfg);
	json_t *o = json_object(), *mem = json_array();
	char hex[2][32];
	char *text;
	int i;

	for (i = 0; i < cfg->nmem; i++) {
		snprintf(hex[0], sizeof(hex[0]), "0x%" PRIx64, cfg->mem[i].base);
		snprintf(hex[1], sizeof(hex[1]), "0x%" PRIx64, cfg->mem[i].size);
		json_array_append_new(mem, json_pack("{s:s,s:s}", "base", hex[0], "size", hex[1]));
	}
	json_object_set_new(o, "arch", json_string(cpu_arch_name(cfg->arch)));
	json_object_set_new(o, "vcpus", json_integer(cfg->nvcpus));
	json_object_set_new(o, "cpu_hz", json_integer((json_int_t)cfg->cpu_hz));
	json_object_set_new(o, "timebase_hz", json_integer((json_int_t)cfg->timebase_hz));
	json_object_set_new(o, "memory", mem);
	json_object_set_new(o, "max_insns", json_integer((json_int_t)cfg->max_insns));
	json_object_set_new(o, "quantum", json_integer((json_int_t)cfg->quantum));
	json_object_set_new(o, "pkvm", pkvm ? json_string(pkvm->policy == PKVM_POLICY_ANDROID ? "android" : "mainline")
					     : json_null());
	text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return text;
}

struct recorder {
	struct rec_core core;
	FILE *f;
	uint64_t bytes, limit;
	bool truncated, write_error;
};

static void rec_emit(struct rec_core *c, struct machine *m, const char *line, size_t len)
{
	struct recorder *r = (struct recorder *)c;

	(void)m;
	if (r->truncated)
		return;
	if (r->bytes + len + 1 > r->limit) {
		r->truncated = true;
		fprintf(r->f, "{\"kind\":\"truncated\",\"limit\":%" PRIu64 "}\n", r->limit);
		return;
	}
	r->bytes += len + 1;
	if (fwrite(line, 1, len, r->f) != len || fputc('\n', r->f) == EOF)
		r->write_error = true;
}

/* Each image a command loads (`load`, `linux`), resolved as the run will, with its digest. */
static json_t *images_json(const struct scenario *s, const char *guest_dir, char *err, size_t n)
{
	json_t *a = json_array();
	const char *name;
	size_t i;
	int k;

	for (i = 0; i < s->ncmds; i++) {
		const struct scn_cmd *c = &s->cmds[i];

		for (k = 0; (name = scn_cmd_image(c, k)); k++) {
			char path[1024], hex[32];
			bool ok;
			uint64_t h;

			scenario_image_path(s, guest_dir, name, path, sizeof(path));
			h = rec_file_digest(path, &ok);
			if (!ok) {
				snprintf(err, n, "%s:%d: cannot read image %s (%s)", s->path, c->line, path, strerror(errno));
				json_decref(a);
				return NULL;
			}
			snprintf(hex, sizeof(hex), "0x%016" PRIx64, h);
			json_array_append_new(a, json_pack("{s:s,s:s}", "name", name, "xxh3", hex));
		}
	}
	return a;
}

/* @abs relative to the recording's directory, into @buf; @abs itself when that cannot be done. */
static const char *header_path(const struct rec_config *rc, const char *abs, char *buf, size_t n)
{
	if (!abs || !rc->dir || rec_path_relative(rc->dir, abs, buf, n) < 0)
		return abs;
	return buf;
}

struct recorder *rec_start(FILE *f, const struct scenario *s, const struct rec_config *rc, char *err, size_t n)
{
	struct recorder *r = calloc(1, sizeof(*r));
	json_t *h, *images, *cfg;
	char *cfg_text, hex[32], *text, spath[4096], gdir[4096];
	uint64_t limit = rc->limit ? rc->limit : REC_DEFAULT_LIMIT;
	int ok;

	images = images_json(s, rc->guest_dir, err, n);
	cfg_text = rec_config_json(s);
	cfg = cfg_text ? json_loads(cfg_text, 0, NULL) : NULL;
	free(cfg_text);
	if (!r || !images || !cfg) {
		if (r && images && !cfg)
			snprintf(err, n, "out of memory");
		free(r);
		json_decref(images);
		json_decref(cfg);
		return NULL;
	}
	snprintf(hex, sizeof(hex), "0x%016" PRIx64, rec_text_digest(s->text, s->text_len));
	h = json_pack("{s:s,s:i,s:s,s:{s:s,s:s,s:s%},s:o,s:o,s:{s:s,s:I,s:s?},s:I,s:I}", "kind", "hypsim-recording",
		      "version", REC_VERSION, "generator", "hypsim " HYPSIM_VERSION, "scenario", "path",
		      header_path(rc, rc->scenario ? rc->scenario : s->path, spath, sizeof(spath)), "xxh3", hex, "text", s->text, s->text_len,
		      "config", cfg, "images", images, "options", "clock", rc->clock == CPU_CLOCK_INSN ? "insn" : "block",
		      "max_insns", (json_int_t)rc->max_insns, "guest_dir", header_path(rc, rc->guest_dir, gdir, sizeof(gdir)),
		      "digest_every", (json_int_t)rc->every, "record_limit", (json_int_t)limit);
	text = h ? json_dumps(h, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(h);
	if (!text) {
		snprintf(err, n, "cannot build the recording header");
		free(r);
		return NULL;
	}
	ok = fprintf(f, "%s\n", text) > 0;
	free(text);
	if (!ok) {
		snprintf(err, n, "cannot write the recording: %s", strerror(errno));
		free(r);
		return NULL;
	}
	rec_core_init(&r->core, s, rc->guest_dir, rc->every);
	r->core.emit = rec_emit;
	r->f = f;
	r->limit = limit;
	return r;
}

struct scn_observer *rec_observer(struct recorder *r)
{
	return &r->core.obs;
}

int rec_end(struct recorder *r, const struct scn_result *res)
{
	int ret;

	rec_core_end(&r->core, res);
	ret = r->write_error || fflush(r->f) != 0 ? -1 : 0;
	rec_core_free(&r->core);
	free(r);
	return ret;
}
