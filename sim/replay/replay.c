/* SPDX-License-Identifier: MIT */
/* Replay: re-run a recording's scenario and compare line by line (record.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "replay_internal.h"

struct replayer {
	struct rec_core core;
	struct rp rp;
};

/* ---- comparing ---------------------------------------------------------------------- */

static void diverge(struct replayer *r, struct machine *m, const char *expected, const char *actual)
{
	rp_diverge(&r->rp, expected, actual);
	if (m)
		m->stop_requested = true;
}

static void compare(struct rec_core *c, struct machine *m, const char *line, size_t len)
{
	struct replayer *r = (struct replayer *)c;
	struct rp *p = &r->rp;
	const char *rec;
	json_t *je, *ja;
	json_error_t jerr;

	if (p->diverged || p->bad || p->truncated)
		return;
	rec = rp_next_line(p);
	if (!rec) {
		if (!p->bad)
			diverge(r, m, NULL, line);
		else if (m)
			m->stop_requested = true;
		return;
	}
	if (strcmp(rec, line) == 0) {
		p->matched++;
		rp_remember(p, line);
		return;
	}
	je = json_loads(rec, JSON_REJECT_DUPLICATES, &jerr);
	if (!je) {
		p->bad = true;
		snprintf(p->why, sizeof(p->why), "%s:%ld:%d: not JSON: %s", p->path, p->lineno, jerr.column, jerr.text);
		if (m)
			m->stop_requested = true;
		return;
	}
	if (json_is_object(je) && json_is_string(json_object_get(je, "kind")) &&
	    strcmp(json_string_value(json_object_get(je, "kind")), "truncated") == 0) {
		/* where the recorder stopped: before this very line, which would not have fitted */
		if (!rp_truncation(p, je, len) && m)
			m->stop_requested = true;
		json_decref(je);
		return;
	}
	ja = json_loads(line, 0, NULL);
	if (ja && json_equal(je, ja)) {
		p->matched++;
		rp_remember(p, line);
	} else {
		p->diffs = json_array();
		rp_diff_json(p->diffs, "", je, ja);
		diverge(r, m, rec, line);
	}
	json_decref(je);
	json_decref(ja);
}

/* ---- the header --------------------------------------------------------------------- */

static bool same_config(const struct scenario *s, json_t *recorded)
{
	char *text = rec_config_json(s);
	json_t *now = text ? json_loads(text, 0, NULL) : NULL;
	bool same = now && json_equal(now, recorded);

	free(text);
	json_decref(now);
	return same;
}

/* The header's image list names exactly the images the embedded scenario loads, in order. */
static enum replay_status same_images(struct rp *r, json_t *images, const struct scenario *s)
{
	static const char *const keys[] = { "name", "xxh3", NULL };
	const char *name;
	size_t i, n = 0;
	int k;

	if (!json_is_array(images))
		return rp_bad(r, "header: 'images' is not a list");
	for (i = 0; i < s->ncmds; i++)
		for (k = 0; (name = scn_cmd_image(&s->cmds[i], k)); k++, n++) {
			json_t *im = json_array_get(images, n);
			const char *got = json_string_value(json_object_get(im, "name"));

			if (!json_is_object(im) || !got || !json_is_string(json_object_get(im, "xxh3")))
				return rp_bad(r, "header: 'images' lacks an entry {name, xxh3} for '%s' (scenario line %d)",
					      name, s->cmds[i].line);
			if (rp_only_keys(r, im, keys, "an image entry") != REPLAY_SAME)
				return REPLAY_BAD;
			if (strcmp(got, name) != 0)
				return rp_bad(r, "header: image %zu is '%s', but the scenario loads '%s' there (line %d): edited?",
					      n + 1, got, name, s->cmds[i].line);
		}
	if (json_array_size(images) != n)
		return rp_bad(r, "header: 'images' has %zu entries; the scenario loads %zu images: edited?",
			      json_array_size(images), n);
	return REPLAY_SAME;
}

/*
 * Each image under @guest_dir (as `load` finds it) with the recorded digest.
 * Return: REPLAY_SAME; else REPLAY_BAD with the reason, and *found set when
 * an image was there but differs.
 */
static enum replay_status check_images(struct rp *r, json_t *images, const struct scenario *s,
				       const char *guest_dir, bool *found)
{
	size_t i;
	json_t *im;

	*found = false;
	json_array_foreach(images, i, im) {
		const char *name = json_string_value(json_object_get(im, "name"));
		const char *want = json_string_value(json_object_get(im, "xxh3"));
		char path[1024], hex[32];
		bool ok;
		uint64_t h;

		scenario_image_path(s, guest_dir, name, path, sizeof(path));
		h = rec_file_digest(path, &ok);
		if (!ok)
			return rp_bad(r, "image %s is missing (looked next to the scenario and in %s); pass --guest-dir DIR "
				      "if it moved", name, guest_dir ? guest_dir : "no guest directory");
		snprintf(hex, sizeof(hex), "0x%016" PRIx64, h);
		if (strcmp(hex, want) != 0) {
			*found = true;
			return rp_bad(r, "image %s differs from the recorded one (%s: recorded %s, now %s)", name, path,
				      want, hex);
		}
	}
	return REPLAY_SAME;
}

/*
 * Where the images are: --guest-dir when given; else the recorded guest
 * directory (relative to the recording) when it holds them, else the
 * default one ($HYPSIM_GUEST_DIR or the build's).  Each image is checked by
 * its digest wherever it is found; when neither place will do, the report
 * is about an image found but different, if there was one.
 */
static enum replay_status find_images(struct rp *r, struct rp_header *h, const struct scenario *s,
				      const char *recorded, const struct replay_opts *o)
{
	json_t *images = json_object_get(h->root, "images");
	char why[sizeof(r->why)];
	bool found;

	if (same_images(r, images, s) != REPLAY_SAME)
		return REPLAY_BAD;
	if (o->guest_dir || !recorded) {
		h->guest_dir = o->guest_dir ? o->guest_dir : o->default_guest_dir;
		return check_images(r, images, s, h->guest_dir, &found);
	}
	if (rec_path_resolve(r->dir, recorded, h->gdir_buf, sizeof(h->gdir_buf)) < 0)
		return rp_bad(r, "header: options.guest_dir is too long");
	h->guest_dir = h->gdir_buf;
	if (check_images(r, images, s, h->guest_dir, &found) == REPLAY_SAME)
		return REPLAY_SAME;
	if (!o->default_guest_dir || strcmp(o->default_guest_dir, h->guest_dir) == 0)
		return REPLAY_BAD;
	snprintf(why, sizeof(why), "%s", r->why);
	r->bad = false;
	h->guest_dir = o->default_guest_dir;
	if (check_images(r, images, s, h->guest_dir, &found) == REPLAY_SAME)
		return REPLAY_SAME;
	if (!found)
		snprintf(r->why, sizeof(r->why), "%s", why);
	return REPLAY_BAD;
}

/* A number member of @o, 0..INT64_MAX (@min at least). Return: REPLAY_SAME, or REPLAY_BAD (reported). */
static enum replay_status number(struct rp *r, json_t *o, const char *key, const char *where, int64_t min,
				 uint64_t *v)
{
	json_t *j = json_object_get(o, key);

	if (!json_is_integer(j) || json_integer_value(j) < min)
		return rp_bad(r, "header: %s%s must be a number >= %" PRId64, where, key, min);
	*v = (uint64_t)json_integer_value(j);
	return REPLAY_SAME;
}

/* The header's 'scenario': its path (resolved against the recording's directory), text and digest. */
static enum replay_status scenario_member(struct rp *r, struct rp_header *h)
{
	static const char *const scn_keys[] = { "path", "xxh3", "text", NULL };
	json_t *sc;
	const char *sum;
	char hex[32];

	sc = json_object_get(h->root, "scenario");
	h->spath = json_string_value(json_object_get(sc, "path"));
	h->text = json_string_value(json_object_get(sc, "text"));
	h->text_len = json_string_length(json_object_get(sc, "text"));
	sum = json_string_value(json_object_get(sc, "xxh3"));
	if (!h->spath || !h->text || !sum)
		return rp_bad(r, "header: 'scenario' needs 'path', 'text' and 'xxh3'");
	if (rp_only_keys(r, sc, scn_keys, "'scenario'") != REPLAY_SAME)
		return REPLAY_BAD;
	if (rec_path_resolve(r->dir, h->spath, h->spath_buf, sizeof(h->spath_buf)) < 0)
		return rp_bad(r, "header: scenario.path is too long");
	h->spath = h->spath_buf;
	snprintf(hex, sizeof(hex), "0x%016" PRIx64, rec_text_digest(h->text, h->text_len));
	if (strcmp(hex, sum) != 0)
		return rp_bad(r, "header: the scenario text does not match its digest (%s recorded, %s now): edited?", sum, hex);
	return REPLAY_SAME;
}

enum replay_status rp_parse_header(struct rp *r, const char *line, struct rp_header *h, struct scenario *s,
				   const struct replay_opts *o)
{
	static const char *const top[] = { "kind", "version", "generator", "scenario", "config", "images", "options",
					   "digest_every", "record_limit", NULL };
	static const char *const opt_keys[] = { "clock", "max_insns", "guest_dir", NULL };
	json_error_t jerr;
	json_t *opt, *v, *gd;
	const char *gen;
	char hex[32], err[600];

	h->root = json_loads(line, JSON_REJECT_DUPLICATES, &jerr);
	if (!h->root)
		return rp_bad(r, "line 1 is not JSON (%s)", jerr.text);
	v = json_object_get(h->root, "kind");
	if (!json_is_string(v) || strcmp(json_string_value(v), "hypsim-recording") != 0)
		return rp_bad(r, "line 1 is not a hypsim recording header (kind \"hypsim-recording\")");
	v = json_object_get(h->root, "version");
	if (!json_is_integer(v) || json_integer_value(v) != REC_VERSION) {
		if (!json_is_integer(v))
			return rp_bad(r, "header: 'version' is not a number");
		snprintf(hex, sizeof(hex), "%" PRId64, (int64_t)json_integer_value(v));
		return rp_bad(r, "recording format version %s; this hypsim reads version %d (record it again)", hex,
			      REC_VERSION);
	}
	if (rp_only_keys(r, h->root, top, "the header") != REPLAY_SAME)
		return REPLAY_BAD;
	gen = json_string_value(json_object_get(h->root, "generator"));
	if (!gen || strncmp(gen, "hypsim ", 7) != 0)
		return rp_bad(r, "header: 'generator' must be \"hypsim VERSION\"");
	if (scenario_member(r, h) != REPLAY_SAME)
		return REPLAY_BAD;
	opt = json_object_get(h->root, "options");
	if (!json_is_object(opt))
		return rp_bad(r, "header: 'options' is not an object");
	if (rp_only_keys(r, opt, opt_keys, "'options'") != REPLAY_SAME)
		return REPLAY_BAD;
	v = json_object_get(opt, "clock");
	if (!json_is_string(v) || (strcmp(json_string_value(v), "block") && strcmp(json_string_value(v), "insn")))
		return rp_bad(r, "header: options.clock must be \"block\" or \"insn\"");
	h->clock = strcmp(json_string_value(v), "insn") == 0 ? CPU_CLOCK_INSN : CPU_CLOCK_BLOCK;
	if (number(r, opt, "max_insns", "options.", 0, &h->max_insns) != REPLAY_SAME ||
	    number(r, h->root, "digest_every", "", 0, &h->every) != REPLAY_SAME ||
	    number(r, h->root, "record_limit", "", 1, &r->limit) != REPLAY_SAME)
		return REPLAY_BAD;
	if (r->limit > REC_MAX_LIMIT)
		return rp_bad(r, "header: record_limit is larger than 2^46");
	gd = json_object_get(opt, "guest_dir");
	if (!json_is_null(gd) && !json_is_string(gd))
		return rp_bad(r, "header: options.guest_dir must be a path or null");
	if (scenario_parse(h->spath, h->text, h->text_len, s, err, sizeof(err)) < 0)
		return rp_bad(r, "the embedded scenario does not parse: %s", err);
	if (!same_config(s, json_object_get(h->root, "config")))
		return rp_bad(r, "header: 'config' does not match the embedded scenario's machine: edited?");
	return find_images(r, h, s, json_string_value(gd), o);
}

/* ---- replay ----------------------------------------------------------------------- */

enum replay_status replay_file(const char *path, const struct replay_opts *opts, FILE *out,
			       struct replay_speed *speed)
{
	FILE *f = rp_open(path, "replay", opts->json, out);
	enum replay_status st;

	if (!f)
		return REPLAY_BAD;
	st = replay_stream(f, path, opts, out, speed);
	fclose(f);
	return st;
}

enum replay_status replay_stream(FILE *in, const char *path, const struct replay_opts *opts, FILE *out,
				 struct replay_speed *speed)
{
	struct replayer r = { 0 };
	struct rp_header h = { 0 };
	struct scenario s = { 0 };
	struct scn_options so = { 0 };
	struct scn_result res;
	enum replay_status st;
	const char *line;
	char same[160];

	rp_init(&r.rp, in, path, "replay", opts->context);
	line = rp_next_line(&r.rp);
	if (!line)
		st = r.rp.bad ? REPLAY_BAD : rp_bad(&r.rp, "empty file, not a recording");
	else
		st = rp_parse_header(&r.rp, line, &h, &s, opts);
	if (st != REPLAY_SAME)
		goto report;
	rec_core_init(&r.core, &s, h.guest_dir, h.every);
	r.core.emit = compare;
	so.obs = &r.core.obs;
	so.clock = h.clock;
	so.max_insns = h.max_insns;
	so.guest_dir = h.guest_dir;
	so.trace = opts->trace;
	scenario_run(&s, &so, &res);
	rec_core_end(&r.core, &res);
	if (speed)
		speed->lines = r.core.lines;
	scn_result_free(&res);
	if (!r.rp.diverged && !r.rp.bad && !r.rp.truncated && rp_next_line(&r.rp))
		diverge(&r, NULL, r.rp.buf, NULL); /* the recording goes on */
	st = r.rp.bad ? REPLAY_BAD : r.rp.diverged ? REPLAY_DIVERGED : REPLAY_SAME;
report:
	snprintf(same, sizeof(same), "%" PRIu64 " lines matched%s", r.rp.matched,
		 r.rp.truncated ? " (the recording was truncated at its size limit; the rest is unchecked)" : "");
	rp_report(&r.rp, out, st, opts->json, NULL, same);
	json_decref(h.root);
	scenario_free(&s);
	rp_free(&r.rp);
	rec_core_free(&r.core);
	return st;
}
