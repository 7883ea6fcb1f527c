/*
 * facts/conflicts: where sources disagree (chr_db_conflicts).
 *
 * Design note: four kinds, each comparing statements about the same
 * thing at the same time from different independent sources (different
 * syndication groups):
 *   - duration: visits by the same person to the same place, with
 *     articles within ten days of each other, that give different lengths
 *     ("three-day visit" against "five-day trip");
 *   - date: the same meeting or visit (same participants) put on two
 *     different days three days apart at most, by disjoint sets of
 *     sources;
 *   - count: numbers of the same kind (deaths, injured, ...) in articles
 *     of the same event, or, until events land, articles within two days
 *     that share two or more entities;
 *   - title: the same person given two different titles (neither a part
 *     of the other) in articles within seven days.
 * Each side lists its value, the sentences saying it and its sources.
 */
#include "facts/model.h"
#include "events/events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/jsonw.h"

typedef struct side {
	const char *value;
	size_t doc[16];
	uint32_t s0[16], s1[16];
	size_t n;
} side;

static int64_t group_of(const fm_doc *d)
{
	return d->grp ? d->grp : -d->rowid;
}

static int add_side(side *sv, int *ns, const char *value, size_t doc,
		    uint32_t s0, uint32_t s1)
{
	int k = 0;
	while (k < *ns && strcmp(sv[k].value, value))
		k++;
	if (k == *ns) {
		if (*ns == 8)
			return -1;
		memset(&sv[k], 0, sizeof sv[k]);
		sv[k].value = value;
		(*ns)++;
	}
	side *s = &sv[k];
	for (size_t i = 0; i < s->n; i++)
		if (s->doc[i] == doc && s->s0[i] == s0)
			return 0;
	if (s->n < 16) {
		s->doc[s->n] = doc;
		s->s0[s->n] = s0;
		s->s1[s->n++] = s1;
	}
	return 0;
}

static int sources(const fm_model *m, const side *s)
{
	int64_t g[16];
	int n = 0;
	for (size_t i = 0; i < s->n; i++) {
		int64_t x = group_of(&m->docs[s->doc[i]]);
		int dup = 0;
		for (int j = 0; j < n; j++)
			dup |= g[j] == x;
		if (!dup)
			g[n++] = x;
	}
	return n;
}

/* Two sides from independent sources: no source on both. */
static int independent(const fm_model *m, const side *sv, int ns)
{
	if (ns < 2)
		return 0;
	for (int a = 0; a < ns; a++)
		for (int b = a + 1; b < ns; b++)
			for (size_t i = 0; i < sv[a].n; i++)
				for (size_t j = 0; j < sv[b].n; j++)
					if (group_of(&m->docs[sv[a].doc[i]]) ==
					    group_of(&m->docs[sv[b].doc[j]]))
						return 0;
	return 1;
}

static chr_status emit_conflict(fm_model *m, const char *kind,
				const char *about, int64_t event,
				const side *sv, int ns, chr_json_fn fn,
				void *ctx)
{
	buf b;
	buf_init(&b, 0);
	jw w;
	jw_init(&w, &b);
	jw_obj(&w);
	char id[64];
	uint64_t h = 1469598103934665603ULL;
	for (const char *p = about; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	for (const char *p = kind; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	snprintf(id, sizeof id, "c%012llx", (unsigned long long)(h & 0xffffffffffffULL));
	jw_kstr(&w, "id", id);
	jw_kstr(&w, "kind", kind);
	jw_kstr(&w, "about", about);
	jw_kint(&w, "event", event);
	jw_key(&w, "sides");
	jw_arr(&w);
	for (int k = 0; k < ns; k++) {
		jw_obj(&w);
		jw_kstr(&w, "value", sv[k].value);
		jw_kint(&w, "sources", sources(m, &sv[k]));
		jw_key(&w, "sentences");
		jw_arr(&w);
		for (size_t i = 0; i < sv[k].n; i++) {
			const fm_doc *d = &m->docs[sv[k].doc[i]];
			jw_obj(&w);
			jw_kstr(&w, "article", d->id);
			jw_kint(&w, "start", sv[k].s0[i]);
			jw_kint(&w, "end", sv[k].s1[i]);
			jw_key(&w, "text");
			jw_strn(&w, d->text + sv[k].s0[i], sv[k].s1[i] - sv[k].s0[i]);
			jw_obj_end(&w);
		}
		jw_arr_end(&w);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
	chr_status st = w.st;
	if (!st && fn(ctx, b.p, b.len))
		st = CHR_EINTERRUPTED;
	buf_free(&b);
	return st;
}

static int32_t row_day(const fm_model *m, const fm_row *r)
{
	int32_t d = ev_parse_day(r->when);
	return d != INT32_MIN ? d : fm_doc_day(&m->docs[r->doc]);
}

static int near(int32_t a, int32_t b, int32_t days)
{
	return a != INT32_MIN && b != INT32_MIN && (a > b ? a - b : b - a) <= days;
}

/* ---- duration ---- */

static chr_status durations(fm_model *m, chr_json_fn fn, void *ctx)
{
	char *done = calloc(m->nrows + 1, 1);
	if (!done)
		return CHR_ENOMEM;
	chr_status st = CHR_OK;
	for (size_t i = 0; !st && i < m->nrows; i++) {
		const fm_row *r = &m->rows[i];
		if (done[i] || r->type != FACT_VISIT || !r->duration || !r->place)
			continue;
		side sv[8];
		int ns = 0;
		add_side(sv, &ns, r->duration, r->doc, r->s0, r->s1);
		for (size_t j = i + 1; j < m->nrows; j++) {
			const fm_row *q = &m->rows[j];
			if (done[j] || q->type != FACT_VISIT || !q->duration ||
			    !q->place || q->who != r->who || strcmp(q->place, r->place) ||
			    !near(row_day(m, r), row_day(m, q), 10))
				continue;
			done[j] = 1;
			add_side(sv, &ns, q->duration, q->doc, q->s0, q->s1);
		}
		if (!independent(m, sv, ns))
			continue;
		char about[256];
		const char *who = fm_name(m, r->who);
		snprintf(about, sizeof about, "%s visit to %s", who ? who : "?", r->place);
		st = emit_conflict(m, "duration", about, m->docs[r->doc].event, sv, ns,
				   fn, ctx);
	}
	free(done);
	return st;
}

/* ---- dates ---- */

static chr_status dates(fm_model *m, chr_json_fn fn, void *ctx)
{
	chr_status st = CHR_OK;
	for (size_t a = 0; !st && a < m->nfacts; a++) {
		const fm_fact *f = &m->facts[a];
		int32_t da = ev_parse_day(f->when);
		if (da == INT32_MIN || f->type == FACT_SAY || f->status != FACT_HAPPENED)
			continue;
		for (size_t b = a + 1; !st && b < m->nfacts; b++) {
			const fm_fact *g = &m->facts[b];
			int32_t db = ev_parse_day(g->when);
			if (db == INT32_MIN || db == da || !near(da, db, 3) ||
			    g->type != f->type || g->status != f->status ||
			    g->who != f->who || g->nwith != f->nwith ||
			    memcmp(g->with, f->with, sizeof f->with[0] * (size_t)f->nwith))
				continue;
			side sv[8];
			int ns = 0;
			for (size_t i = 0; i < f->nsup; i++) {
				const fm_row *r = &m->rows[f->sup[i].row];
				add_side(sv, &ns, f->when, r->doc, r->s0, r->s1);
			}
			for (size_t i = 0; i < g->nsup; i++) {
				const fm_row *r = &m->rows[g->sup[i].row];
				add_side(sv, &ns, g->when, r->doc, r->s0, r->s1);
			}
			if (!independent(m, sv, ns))
				continue;
			char about[256];
			const char *who = fm_name(m, f->who);
			snprintf(about, sizeof about, "%s of %s", facts_type_name(f->type),
				 who ? who : "?");
			st = emit_conflict(m, "date", about, f->event, sv, ns, fn, ctx);
		}
	}
	return st;
}

/* ---- counts ---- */

typedef struct cnt {
	size_t doc;
	uint32_t s0, s1;
	const char *what;
	char value[24];
} cnt;

static int shared_entities(fm_model *m, const fm_doc *a, const fm_doc *b)
{
	int64_t ea[256];
	int na = 0, shared = 0;
	sqlite3_stmt *s = store_stmt(m->db, ST_FA_DOC_EIDS);
	if (!s)
		return 0;
	sqlite3_bind_int64(s, 1, a->rowid);
	while (na < 256 && sqlite3_step(s) == SQLITE_ROW)
		ea[na++] = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (!(s = store_stmt(m->db, ST_FA_DOC_EIDS)))
		return 0;
	sqlite3_bind_int64(s, 1, b->rowid);
	while (sqlite3_step(s) == SQLITE_ROW) {
		int64_t e = sqlite3_column_int64(s, 0);
		for (int i = 0; i < na; i++)
			shared += ea[i] == e;
	}
	sqlite3_reset(s);
	return shared;
}

static int same_story(fm_model *m, const fm_doc *a, const fm_doc *b)
{
	if (m->events_table)
		return a->event == b->event;
	return near(fm_doc_day(a), fm_doc_day(b), 2) && shared_entities(m, a, b) >= 2;
}

/* Step s; for a row, make room for one more element of v (n grows) and
 * set *di to the doc of column 0; *di = -1 at the end. */
static chr_status next_row(fm_model *m, sqlite3_stmt *s, void **v, size_t *n,
			   size_t *cap, size_t elem, long *di)
{
	*di = -1;
	if (sqlite3_step(s) != SQLITE_ROW)
		return CHR_OK;
	long d = fm_doc_get(m, sqlite3_column_int64(s, 0));
	if (d < 0)
		return CHR_EDB;
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 32;
		void *p = realloc(*v, c * elem);
		if (!p)
			return CHR_ENOMEM;
		*v = p;
		*cap = c;
	}
	(*n)++;
	*di = d;
	return CHR_OK;
}

static chr_status counts(fm_model *m, chr_json_fn fn, void *ctx)
{
	cnt *v = NULL;
	size_t n = 0, cap = 0;
	sqlite3_stmt *s = store_stmt(m->db, ST_FA_COUNTS);
	if (!s)
		return CHR_EDB;
	chr_status st = CHR_OK;
	long di;
	while (!st && (st = next_row(m, s, (void **)&v, &n, &cap, sizeof *v, &di)) == CHR_OK &&
	       di >= 0) {
		cnt *c = &v[n - 1];
		c->doc = (size_t)di;
		c->s0 = (uint32_t)sqlite3_column_int64(s, 5);
		c->s1 = (uint32_t)sqlite3_column_int64(s, 6);
		c->what = arena_strdup(&m->mem, (const char *)sqlite3_column_text(s, 3));
		snprintf(c->value, sizeof c->value, "%lld",
			 (long long)sqlite3_column_int64(s, 4));
	}
	sqlite3_reset(s);
	char *done = calloc(n + 1, 1);
	if (!st && !done)
		st = CHR_ENOMEM;
	for (size_t i = 0; !st && i < n; i++) {
		if (done[i] || !v[i].what)
			continue;
		side sv[8];
		int ns = 0;
		add_side(sv, &ns, v[i].value, v[i].doc, v[i].s0, v[i].s1);
		for (size_t j = i + 1; j < n; j++) {
			if (done[j] || !v[j].what || strcmp(v[i].what, v[j].what) ||
			    v[j].doc == v[i].doc ||
			    !same_story(m, &m->docs[v[i].doc], &m->docs[v[j].doc]))
				continue;
			done[j] = 1;
			add_side(sv, &ns, v[j].value, v[j].doc, v[j].s0, v[j].s1);
		}
		/* the same article's own numbers (a toll that rose) are folded
		 * into its first side */
		for (size_t j = i + 1; j < n; j++)
			if (v[j].doc == v[i].doc && !strcmp(v[j].what, v[i].what))
				done[j] = 1;
		if (!independent(m, sv, ns))
			continue;
		st = emit_conflict(m, "count", v[i].what, m->docs[v[i].doc].event, sv,
				   ns, fn, ctx);
	}
	free(done);
	free(v);
	return st;
}

/* ---- titles ---- */

typedef struct role {
	size_t doc;
	int64_t eid;
	const char *title;
	uint32_t start, end;
} role;

static int lower_contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++)
		if (!strncasecmp(hay, needle, n))
			return 1;
	return 0;
}

/* The sentence around [start, end) in doc text: the line and the nearest
 * '. ' on either side. */
static void around(const fm_doc *d, uint32_t start, uint32_t *s0, uint32_t *s1)
{
	uint32_t a = start, b = start;
	while (a > 0 && d->text[a - 1] != '\n' &&
	       !(a >= 2 && d->text[a - 2] == '.' && d->text[a - 1] == ' '))
		a--;
	while (b < d->len && d->text[b] != '\n' &&
	       !(d->text[b] == '.' && (b + 1 >= d->len || d->text[b + 1] == ' ')))
		b++;
	*s0 = a;
	*s1 = b < d->len ? b + 1 : b;
}

static chr_status titles(fm_model *m, chr_json_fn fn, void *ctx)
{
	role *v = NULL;
	size_t n = 0, cap = 0;
	sqlite3_stmt *s = store_stmt(m->db, ST_FA_ROLES);
	if (!s)
		return CHR_EDB;
	chr_status st = CHR_OK;
	long di;
	while (!st && (st = next_row(m, s, (void **)&v, &n, &cap, sizeof *v, &di)) == CHR_OK &&
	       di >= 0) {
		role *r = &v[n - 1];
		r->doc = (size_t)di;
		r->eid = sqlite3_column_int64(s, 1);
		r->title = arena_strdup(&m->mem, (const char *)sqlite3_column_text(s, 2));
		r->start = (uint32_t)sqlite3_column_int64(s, 3);
		r->end = (uint32_t)sqlite3_column_int64(s, 4);
	}
	sqlite3_reset(s);
	char *done = calloc(n + 1, 1);
	if (!st && !done)
		st = CHR_ENOMEM;
	for (size_t i = 0; !st && i < n; i++) {
		if (done[i] || !v[i].title)
			continue;
		side sv[8];
		int ns = 0;
		uint32_t s0, s1;
		around(&m->docs[v[i].doc], v[i].start, &s0, &s1);
		add_side(sv, &ns, v[i].title, v[i].doc, s0, s1);
		int differ = 0;
		for (size_t j = i + 1; j < n; j++) {
			if (done[j] || !v[j].title || v[j].eid != v[i].eid ||
			    !near(fm_doc_day(&m->docs[v[i].doc]),
				  fm_doc_day(&m->docs[v[j].doc]), 7))
				continue;
			done[j] = 1;
			if (lower_contains(v[i].title, v[j].title) ||
			    lower_contains(v[j].title, v[i].title))
				continue; /* "Foreign Minister" in "Russian Foreign Minister" */
			differ = 1;
			around(&m->docs[v[j].doc], v[j].start, &s0, &s1);
			add_side(sv, &ns, v[j].title, v[j].doc, s0, s1);
		}
		if (!differ || !independent(m, sv, ns))
			continue;
		const char *who = fm_name(m, v[i].eid);
		st = emit_conflict(m, "title", who ? who : "?", m->docs[v[i].doc].event,
				   sv, ns, fn, ctx);
	}
	free(done);
	free(v);
	return st;
}

chr_status chr_db_conflicts(chr_db *db, chr_json_fn fn, void *ctx)
{
	if (!db || !fn)
		return CHR_EINVAL;
	fm_model m;
	chr_status st = fm_load(&m, db);
	if (!st)
		st = durations(&m, fn, ctx);
	if (!st)
		st = dates(&m, fn, ctx);
	if (!st)
		st = counts(&m, fn, ctx);
	if (!st)
		st = titles(&m, fn, ctx);
	fm_free(&m);
	return st;
}
