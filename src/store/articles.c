/*
 * articles: storing, fetching, listing and searching articles.
 *
 * Lists inside an article (agencies, removed spans, notes) are stored as
 * small JSON arrays in their row: they are always read with the article
 * and never queried on their own, so a side table would cost joins for
 * nothing.  FTS5 uses external content (the articles table), written in
 * the same transaction as the row: inside a transaction, all of its
 * articles are indexed in one statement at commit (store.c).
 */
#include "store.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/jsonw.h"

static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, i);
}

static chr_status json_strings(buf *b, const char *const *v, size_t n)
{
	jw w;
	buf_reset(b);
	jw_init(&w, b);
	jw_arr(&w);
	for (size_t i = 0; i < n; i++)
		jw_str(&w, v[i]);
	jw_arr_end(&w);
	return w.st;
}

static chr_status json_removed(buf *b, const chr_article *a)
{
	jw w;
	buf_reset(b);
	jw_init(&w, b);
	jw_arr(&w);
	for (size_t i = 0; i < a->removed.n; i++) {
		jw_obj(&w);
		jw_kstr(&w, "text", a->removed.v[i].text);
		jw_kstr(&w, "reason", a->removed.v[i].reason);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	return w.st;
}

/* Does id exist?  1 yes, 0 no, -1 error. */
static int id_exists(chr_db *db, const char *id)
{
	sqlite3_stmt *s = store_stmt(db, ST_ART_ID_EXISTS);
	if (!s)
		return -1;
	bind_text(s, 1, id);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : -1;
}

/* The article's row: SQLite's result code (SQLITE_DONE when stored), or
 * -1 when the statement could not be had (db->err says why). */
static int insert_row(chr_db *db, const chr_article *a, const buf *ag,
		      const buf *rm, const buf *nt)
{
	sqlite3_stmt *s = store_stmt_bound(db, ST_ART_INSERT);
	if (!s)
		return -1;
	bind_text(s, 1, a->id);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)a->content_hash);
	bind_text(s, 3, a->path);
	if (a->line)
		sqlite3_bind_int64(s, 4, (sqlite3_int64)a->line);
	else
		sqlite3_bind_null(s, 4);
	bind_text(s, 5, a->url);
	bind_text(s, 6, a->source);
	bind_text(s, 7, a->headline);
	bind_text(s, 8, chr_article_published(a));
	bind_text(s, 9, chr_article_published_from(a));
	bind_text(s, 10, a->dateline);
	bind_text(s, 11, a->outlet);
	bind_text(s, 12, a->agencies.n ? ag->p : "[]");
	bind_text(s, 13, a->removed.n ? rm->p : "[]");
	bind_text(s, 14, a->notes.n ? nt->p : "[]");
	sqlite3_bind_text(s, 15, a->raw, (int)a->raw_len, SQLITE_STATIC);
	sqlite3_bind_text(s, 16, a->text, (int)a->text_len, SQLITE_STATIC);
	sqlite3_bind_int64(s, 17, (sqlite3_int64)time(NULL));
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc;
}

/* The slow path, after the row failed a constraint: a stored article
 * with the same content is a duplicate; a different one with the same
 * id gives this one a suffix; then the row again. */
static chr_status put_checked(chr_db *db, chr_article *a, char **existing_id,
			      const buf *ag, const buf *rm, const buf *nt)
{
	sqlite3_stmt *s = store_stmt(db, ST_ART_BY_HASH);
	if (!s)
		return CHR_EDB;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)a->content_hash);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		if (existing_id) {
			const char *id = (const char *)sqlite3_column_text(s, 0);
			*existing_id = strdup(id ? id : "");
		}
		sqlite3_reset(s);
		return CHR_EDUPLICATE;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(db, "lookup by hash");

	/* A different article with the same id: add a suffix. */
	int ex = id_exists(db, a->id);
	if (ex < 0)
		return store_fail(db, "lookup by id");
	if (ex) {
		size_t n = strlen(a->id) + 24;
		char *nid = arena_alloc(&a->mem, n);
		if (!nid)
			return CHR_ENOMEM;
		for (int k = 2; ex; k++) {
			snprintf(nid, n, "%s-%d", a->id, k);
			ex = id_exists(db, nid);
			if (ex < 0)
				return store_fail(db, "lookup by id");
		}
		a->id = nid;
	}
	rc = insert_row(db, a, ag, rm, nt);
	if (rc < 0)
		return CHR_EDB;
	return rc == SQLITE_DONE ? CHR_OK : store_fail(db, "insert article");
}

/* The row is inserted first: a new article (nearly all of them) passes
 * the unique hash and id without a lookup of either, and a failed
 * single-row insert has written nothing (SQLite checks every constraint
 * before it writes), so the checked path then finds the store as it
 * was and does what it always did. */
chr_status store_put_article(chr_db *db, chr_article *a, char **existing_id)
{
	if (existing_id)
		*existing_id = NULL;
	buf ag, rm, nt;
	buf_init(&ag, 0);
	buf_init(&rm, 0);
	buf_init(&nt, 0);
	/* an empty list is "[]", as the writer would make it, without one */
	chr_status st = a->agencies.n ? json_strings(&ag, a->agencies.v,
						     a->agencies.n) : CHR_OK;
	if (!st && a->removed.n)
		st = json_removed(&rm, a);
	if (!st && a->notes.n)
		st = json_strings(&nt, a->notes.v, a->notes.n);
	if (!st) {
		int rc = insert_row(db, a, &ag, &rm, &nt);
		if (rc < 0)
			st = CHR_EDB;
		else if ((rc & 0xff) == SQLITE_CONSTRAINT)
			st = put_checked(db, a, existing_id, &ag, &rm, &nt);
		else if (rc != SQLITE_DONE)
			st = store_fail(db, "insert article");
	}
	sqlite3_stmt *s;
	if (!st) {
		sqlite3_int64 rowid = sqlite3_last_insert_rowid(db->h);
		a->rowid = rowid;
		if (db->in_tx) { /* indexed at commit (store.c, fts_catch_up) */
			if (!db->fts_from)
				db->fts_from = rowid;
		} else if (!(s = store_stmt(db, ST_FTS_INSERT))) {
			st = CHR_EDB;
		} else {
			sqlite3_bind_int64(s, 1, rowid);
			bind_text(s, 2, a->headline);
			sqlite3_bind_text(s, 3, a->text, (int)a->text_len,
					  SQLITE_STATIC);
			int rc = sqlite3_step(s);
			sqlite3_reset(s);
			if (rc != SQLITE_DONE)
				st = store_fail(db, "index article");
		}
	}
	buf_free(&ag);
	buf_free(&rm);
	buf_free(&nt);
	return st;
}

/* ---- reading back ---- */

static const char *col(chr_article *a, sqlite3_stmt *s, int i)
{
	const char *v = (const char *)sqlite3_column_text(s, i);
	return v ? art_strndup(a, v, (size_t)sqlite3_column_bytes(s, i)) : NULL;
}

static void load_strings(chr_article *a, const char *js, int removed)
{
	if (!js)
		return;
	json_t *arr = json_loads(js, 0, NULL);
	if (!json_is_array(arr)) {
		json_decref(arr);
		return;
	}
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		if (removed) {
			const char *t = json_string_value(json_object_get(v, "text"));
			const char *r = json_string_value(json_object_get(v, "reason"));
			art_removed rm = { art_strdup(a, t ? t : ""),
					   art_strdup(a, r ? r : "") };
			if (rm.text && rm.reason)
				art_vec_push(&a->mem, a->removed, rm);
		} else if (removed == 0 && json_is_string(v)) {
			const char *t = art_strdup(a, json_string_value(v));
			if (t)
				art_vec_push(&a->mem, a->agencies, t);
		}
	}
	json_decref(arr);
}

static void load_notes(chr_article *a, const char *js)
{
	json_t *arr = js ? json_loads(js, 0, NULL) : NULL;
	size_t i;
	json_t *v;
	if (json_is_array(arr))
		json_array_foreach(arr, i, v) if (json_is_string(v))
			art_note(a, json_string_value(v));
	json_decref(arr);
}

static chr_article *row_article(sqlite3_stmt *s)
{
	chr_article *a = art_new();
	if (!a)
		return NULL;
	a->id = col(a, s, 0);
	a->path = col(a, s, 1);
	a->line = (uint64_t)sqlite3_column_int64(s, 2);
	a->url = col(a, s, 3);
	a->source = col(a, s, 4);
	a->headline = col(a, s, 5);
	const char *pub = (const char *)sqlite3_column_text(s, 6);
	if (pub && strlen(pub) == 10) {
		memcpy(a->published, pub, 11);
		a->published_from = col(a, s, 7);
	}
	a->dateline = col(a, s, 8);
	a->outlet = col(a, s, 9);
	load_strings(a, (const char *)sqlite3_column_text(s, 10), 0);
	load_strings(a, (const char *)sqlite3_column_text(s, 11), 1);
	load_notes(a, (const char *)sqlite3_column_text(s, 12));
	a->raw = col(a, s, 13);
	a->raw_len = (size_t)sqlite3_column_bytes(s, 13);
	a->text = col(a, s, 14);
	a->text_len = (size_t)sqlite3_column_bytes(s, 14);
	if (!a->id || !a->headline || !a->text || !a->raw) {
		chr_article_free(a);
		return NULL;
	}
	return a;
}

chr_status chr_db_article(chr_db *db, const char *id, chr_article **out)
{
	*out = NULL;
	if (!db || !id)
		return CHR_EINVAL;
	sqlite3_stmt *s = store_stmt(db, ST_ART_GET);
	if (!s)
		return CHR_EDB;
	bind_text(s, 1, id);
	int rc = sqlite3_step(s);
	chr_status st = CHR_OK;
	if (rc == SQLITE_ROW) {
		*out = row_article(s);
		if (!*out)
			st = CHR_ENOMEM;
	} else if (rc == SQLITE_DONE) {
		st = CHR_ENOTFOUND;
	} else {
		st = store_fail(db, "get article");
	}
	sqlite3_reset(s);
	return st;
}

chr_status chr_db_articles(chr_db *db, size_t limit, size_t offset,
			   chr_article_fn fn, void *ctx)
{
	sqlite3_stmt *s = store_stmt(db, ST_ART_LIST);
	if (!s)
		return CHR_EDB;
	sqlite3_bind_int64(s, 1, limit ? (sqlite3_int64)limit : -1);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)offset);
	chr_status st = CHR_OK;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		chr_article *a = row_article(s);
		if (!a) {
			st = CHR_ENOMEM;
			break;
		}
		int stop = fn(ctx, a);
		chr_article_free(a);
		if (stop) {
			st = CHR_EINTERRUPTED;
			break;
		}
	}
	if (!st && rc != SQLITE_DONE)
		st = store_fail(db, "list articles");
	sqlite3_reset(s);
	return st;
}

int64_t chr_db_article_count(chr_db *db)
{
	sqlite3_stmt *s = store_stmt(db, ST_ART_COUNT);
	if (!s)
		return -1;
	int64_t n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
	sqlite3_reset(s);
	return n;
}

chr_status chr_db_search(chr_db *db, const char *query, size_t limit,
			 size_t offset, chr_hit_fn fn, void *ctx)
{
	if (!db || !query || !fn)
		return CHR_EINVAL;
	if (!*query) {
		snprintf(db->err, sizeof db->err, "empty query");
		return CHR_EQUERY;
	}
	sqlite3_stmt *s = store_stmt(db, ST_SEARCH);
	if (!s)
		return CHR_EDB;
	sqlite3_bind_text(s, 1, query, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, limit ? (sqlite3_int64)limit : 20);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)offset);
	chr_status st = CHR_OK;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		chr_hit h;
		h.id = (const char *)sqlite3_column_text(s, 0);
		h.headline = (const char *)sqlite3_column_text(s, 1);
		h.published = (const char *)sqlite3_column_text(s, 2);
		h.snippet = (const char *)sqlite3_column_text(s, 3);
		h.score = -sqlite3_column_double(s, 4);
		if (fn(ctx, &h)) {
			st = CHR_EINTERRUPTED;
			break;
		}
	}
	if (!st && rc != SQLITE_DONE) {
		/* FTS5 reports query syntax problems as SQLITE_ERROR. */
		int ec = sqlite3_errcode(db->h);
		store_fail(db, "search");
		st = (ec == SQLITE_ERROR) ? CHR_EQUERY : CHR_EDB;
	}
	sqlite3_reset(s);
	return st;
}
