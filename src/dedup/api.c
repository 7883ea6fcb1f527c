/*
 * api: the public read side of dedup (chronicle.h, "Dedup" section).
 *
 * Design note: reads only.  A group is listed from the groups table and
 * its members through the dedup_docs(grp) index.  Reuse is derived at read
 * time: the article's paragraphs are hashed again from its stored text
 * (the same function ingest used) and looked up in dedup_paras, keeping
 * the articles of other groups.  Deriving it, instead of storing links,
 * means a later merge of two groups can never leave a stale reuse link.
 */
#include "dedup.h"

#include <stdlib.h>
#include <string.h>

#include "core/jsonw.h"
#include "pipeline/article.h"
#include "store/store.h"

#define REUSE_MAX 64

/* pipeline/json.c: the article object with extra fields before its end. */
char *art_json_with(const chr_article *a, void (*extra)(jw *w, void *ctx),
		    void *ctx, size_t *len);

typedef struct strs {
	char **v;
	size_t n, cap;
} strs;

static void strs_clear(strs *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	l->n = 0;
}

static void strs_free(strs *l)
{
	strs_clear(l);
	free(l->v);
	l->v = NULL;
	l->cap = 0;
}

static chr_status strs_add(strs *l, const char *s)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		char **v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return CHR_ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	if (!(l->v[l->n] = strdup(s ? s : "")))
		return CHR_ENOMEM;
	l->n++;
	return CHR_OK;
}

/* Collect the ids a statement returns in column 0. */
static chr_status collect(chr_db *db, sqlite3_stmt *s, strs *out)
{
	int rc;
	chr_status st = CHR_OK;
	strs_clear(out);
	while (!st && (rc = sqlite3_step(s)) == SQLITE_ROW)
		st = strs_add(out, (const char *)sqlite3_column_text(s, 0));
	if (!st && rc != SQLITE_DONE)
		st = store_fail(db, "dedup read");
	sqlite3_reset(s);
	return st;
}

static chr_status members(chr_db *db, int64_t gid, strs *out)
{
	sqlite3_stmt *s = store_stmt(db, ST_DD_MEMBERS);
	if (!s)
		return CHR_EDB;
	sqlite3_bind_int64(s, 1, gid);
	return collect(db, s, out);
}

chr_status chr_db_dup_groups(chr_db *db, size_t min_size,
			     chr_dup_group_fn fn, void *ctx)
{
	if (!db || !fn)
		return CHR_EINVAL;
	strs ids = { 0 }, mem = { 0 };
	chr_status st = CHR_OK;
	sqlite3_stmt *s = store_stmt(db, ST_DD_GROUPS);
	if (!s)
		return CHR_EDB;
	sqlite3_bind_int64(s, 1, min_size ? (sqlite3_int64)min_size : 1);
	/* Read the group list first, so callbacks never run inside a step. */
	int64_t *gids = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while (!st && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			int64_t *g = realloc(gids, cap * sizeof *g);
			if (!g) {
				st = CHR_ENOMEM;
				break;
			}
			gids = g;
		}
		gids[n++] = sqlite3_column_int64(s, 0);
		st = strs_add(&ids, (const char *)sqlite3_column_text(s, 1));
	}
	if (!st && rc != SQLITE_DONE)
		st = store_fail(db, "dedup groups");
	sqlite3_reset(s);
	for (size_t i = 0; i < n && !st; i++) {
		st = members(db, gids[i], &mem);
		if (st)
			break;
		chr_dup_group g = { gids[i], ids.v[i], mem.n,
				    (const char *const *)mem.v };
		if (fn(ctx, &g))
			st = CHR_EINTERRUPTED;
	}
	free(gids);
	strs_free(&ids);
	strs_free(&mem);
	return st;
}

/* The dedup row of article id: doc, group, text (malloc'd), original. */
typedef struct of_article {
	int64_t doc, grp;
	char *text, *original;
} of_article;

static chr_status of_article_get(chr_db *db, const char *id, of_article *o)
{
	memset(o, 0, sizeof *o);
	sqlite3_stmt *s = store_stmt(db, ST_DD_OF_ARTICLE);
	if (!s)
		return CHR_EDB;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	chr_status st = CHR_OK;
	if (rc == SQLITE_ROW) {
		o->doc = sqlite3_column_int64(s, 0);
		o->grp = sqlite3_column_int64(s, 1);
		const char *t = (const char *)sqlite3_column_text(s, 2);
		const char *orig = (const char *)sqlite3_column_text(s, 4);
		o->text = strdup(t ? t : "");
		o->original = strdup(orig ? orig : "");
		if (!o->text || !o->original)
			st = CHR_ENOMEM;
	} else {
		st = rc == SQLITE_DONE ? CHR_ENOTFOUND : store_fail(db, "dedup article");
	}
	sqlite3_reset(s);
	return st;
}

static void of_article_free(of_article *o)
{
	free(o->text);
	free(o->original);
}

chr_status chr_db_article_group(chr_db *db, const char *id,
				chr_dup_group_fn fn, void *ctx)
{
	if (!db || !id || !fn)
		return CHR_EINVAL;
	of_article o;
	strs mem = { 0 };
	chr_status st = of_article_get(db, id, &o);
	if (!st)
		st = members(db, o.grp, &mem);
	if (!st) {
		chr_dup_group g = { o.grp, o.original, mem.n,
				    (const char *const *)mem.v };
		if (fn(ctx, &g))
			st = CHR_EINTERRUPTED;
	}
	strs_free(&mem);
	of_article_free(&o);
	return st;
}

chr_status chr_db_article_reuse(chr_db *db, const char *id, chr_reuse_fn fn,
				void *ctx)
{
	if (!db || !id || !fn)
		return CHR_EINVAL;
	of_article o;
	strs other = { 0 };
	dedup_feat f;
	dedup_feat_init(&f);
	chr_status st = of_article_get(db, id, &o);
	if (!st)
		st = dedup_features(&f, o.text, strlen(o.text));
	for (size_t p = 0; !st && p < f.npara; p++) {
		sqlite3_stmt *s = store_stmt(db, ST_DD_PARA_OTHERS);
		if (!s) {
			st = CHR_EDB;
			break;
		}
		sqlite3_bind_int64(s, 1, (sqlite3_int64)f.para[p].hash);
		sqlite3_bind_int64(s, 2, o.grp);
		sqlite3_bind_int64(s, 3, REUSE_MAX);
		st = collect(db, s, &other);
		if (st || !other.n)
			continue;
		const dedup_para *pa = &f.para[p];
		char *text = strndup(o.text + pa->start, pa->end - pa->start);
		if (!text) {
			st = CHR_ENOMEM;
			break;
		}
		chr_reuse r = { pa->start, pa->end, text, other.n,
				(const char *const *)other.v };
		if (fn(ctx, &r))
			st = CHR_EINTERRUPTED;
		free(text);
	}
	dedup_feat_free(&f);
	strs_free(&other);
	of_article_free(&o);
	return st;
}

/* ---- the article JSON with the dedup fields ---- */

typedef struct jctx {
	chr_db *db;
	const char *id;
} jctx;

static void write_ids(jw *w, const char *const *v, size_t n)
{
	jw_arr(w);
	for (size_t i = 0; i < n; i++)
		jw_str(w, v[i]);
	jw_arr_end(w);
}

static int group_json(void *ctx, const chr_dup_group *g)
{
	jw *w = ctx;
	jw_obj(w);
	jw_kint(w, "id", g->id);
	jw_kstr(w, "original", g->original);
	jw_key(w, "articles");
	write_ids(w, g->articles, g->n);
	jw_obj_end(w);
	return 0;
}

static int reuse_json(void *ctx, const chr_reuse *r)
{
	jw *w = ctx;
	jw_obj(w);
	jw_kint(w, "start", (int64_t)r->start);
	jw_kint(w, "end", (int64_t)r->end);
	jw_kstr(w, "text", r->text);
	jw_key(w, "articles");
	write_ids(w, r->articles, r->n);
	jw_obj_end(w);
	return 0;
}

static void dedup_fields(jw *w, void *ctx)
{
	jctx *c = ctx;
	jw_key(w, "group");
	if (chr_db_article_group(c->db, c->id, group_json, w))
		jw_null(w);
	jw_key(w, "reused");
	jw_arr(w);
	chr_db_article_reuse(c->db, c->id, reuse_json, w);
	jw_arr_end(w);
}

char *chr_db_article_json(chr_db *db, const chr_article *a, size_t *len)
{
	if (!db || !a)
		return NULL;
	jctx c = { db, a->id };
	return art_json_with(a, dedup_fields, &c, len);
}
