/*
 * dbidx: the dedup index in the SQLite store, and the ingest hook.
 *
 * Design note: the engine's operations map onto prepared statements
 * (store/sql.c, ST_DD_*), each an indexed point lookup or a bounded range
 * ("ORDER BY doc DESC LIMIT n" on a (key, doc) primary key; a doc's
 * paragraphs eight such ranges to a statement), so no step scans and
 * the cost per article does not grow with the store.  Doc ids are
 * article rowids, so they grow with arrival.  The shingle set blob is an
 * array of 32-bit values in host byte order; the signature column is
 * left empty (an empty blob) since nothing reads it.  Everything runs
 * inside the ingest transaction: an article and its dedup rows are
 * committed together or not at all.  The dedup_docs rows written and
 * read with their sets are kept in memory (doccache.c), so verifying a
 * candidate stored earlier in the run costs no SELECT: on the whole
 * Reuters file d_get_doc 503.0 M -> 18.0 M instructions, dedup_add
 * 2,013.3 M -> 1,525.2 M.
 */
#include "dedup.h"

#include <stdlib.h>
#include <string.h>

#include "pipeline/article.h"
#include "pipeline/profile.h"
#include "store/store.h"

/* A candidate's set is read into set: the stack buffer small unless it
 * is longer (then malloc'd, freed by ctx_done).  The doc being added
 * (f) asks for its paragraphs' postings in order, before anything is
 * written (dedup_add): they are read STORE_PARA_ROWS paragraphs to a
 * statement (ST_DD_PARA_GETN) into post, paragraphs [pfrom, pto). */
#define DBCTX_SMALL 1024
typedef struct dbctx {
	chr_db *db;
	uint32_t *set;
	size_t cap;
	const dedup_feat *f;
	size_t pnext;       /* the paragraph asked for next, in order */
	size_t pfrom, pto;
	int64_t post[STORE_PARA_ROWS][DEDUP_PARA_POSTINGS];
	size_t npost[STORE_PARA_ROWS];
	uint32_t small[DBCTX_SMALL];
} dbctx;

static void ctx_init(dbctx *c, chr_db *db, const dedup_feat *f)
{
	c->db = db;
	c->set = c->small;
	c->cap = DBCTX_SMALL;
	c->f = f;
	c->pnext = c->pfrom = c->pto = 0;
}

static void ctx_done(dbctx *c)
{
	if (c->set != c->small)
		free(c->set);
}

/* The hashes of f's paragraphs p .. p + k - 1 (k <= STORE_PARA_ROWS). */
static void para_hashes(const dedup_feat *f, size_t p, size_t k,
			uint64_t *h)
{
	for (size_t j = 0; j < k; j++)
		h[j] = f->para[p + j].hash;
}

/* The postings of f's paragraphs p .. p + k - 1 into c->post, each
 * newest first as ST_DD_PARA_GET reads them (rows sorted here, not left
 * to the compound's order).  Only the paragraphs the filter may hold
 * are asked (dedup_recent_paras_may); the others have none. */
static chr_status para_batch(dbctx *c, size_t p)
{
	const dedup_feat *f = c->f;
	size_t k = f->npara - p;
	if (k > STORE_PARA_ROWS)
		k = STORE_PARA_ROWS;
	uint64_t h[STORE_PARA_ROWS] = { 0 };
	unsigned char may[STORE_PARA_ROWS] = { 0 };
	size_t ask[STORE_PARA_ROWS], na = 0; /* the paragraphs asked */
	para_hashes(f, p, k, h);
	memset(c->npost, 0, sizeof c->npost);
	chr_status st = dedup_recent_paras_may(c->db, h, k, may);
	if (st)
		return st;
	for (size_t j = 0; j < k; j++)
		if (may[j])
			ask[na++] = j;
	if (!na) {
		c->pfrom = p;
		c->pto = p + k;
		return CHR_OK;
	}
	int prof = prof_on();
	uint64_t t0 = prof ? prof_now() : 0;
	sqlite3_stmt *s = store_stmt(c->db, ST_DD_PARA_GETN + (int)na - 1);
	if (!s)
		return CHR_EDB;
	sqlite3_bind_int(s, 1, DEDUP_PARA_POSTINGS);
	for (size_t q = 0; q < na; q++)
		sqlite3_bind_int64(s, (int)q + 2, (sqlite3_int64)h[ask[q]]);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int q = sqlite3_column_int(s, 0);
		if (q < 0 || (size_t)q >= na)
			continue; /* (cannot happen) */
		size_t j = ask[q];
		int64_t doc = sqlite3_column_int64(s, 1);
		if (c->npost[j] >= DEDUP_PARA_POSTINGS)
			continue; /* (cannot happen: each part is LIMITed) */
		int64_t *v = c->post[j];
		size_t i = c->npost[j]++;
		for (; i > 0 && v[i - 1] < doc; i--) /* doc descending */
			v[i] = v[i - 1];
		v[i] = doc;
	}
	sqlite3_reset(s);
	if (prof)
		prof_add("dedup-paragraphs", prof_now() - t0);
	if (rc != SQLITE_DONE)
		return store_fail(c->db, "dedup postings");
	c->pfrom = p;
	c->pto = p + k;
	return CHR_OK;
}

static chr_status step_done(dbctx *c, sqlite3_stmt *s, const char *what)
{
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? CHR_OK : store_fail(c->db, what);
}

static chr_status d_postings(void *ctx, int kind, uint64_t key, size_t cap,
			     int64_t *out, size_t *n)
{
	dbctx *c = ctx;
	*n = 0;
	if (kind != DEDUP_KEY_PARA)
		return dedup_recent_postings(c->db, key, cap, out, n);
	const dedup_feat *f = c->f;
	if (f && cap == DEDUP_PARA_POSTINGS && c->pnext < f->npara &&
	    f->para[c->pnext].hash == key) { /* the next of the doc's */
		size_t p = c->pnext++;
		if (p < c->pfrom || p >= c->pto) {
			chr_status st = para_batch(c, p);
			if (st)
				return st;
		}
		*n = c->npost[p - c->pfrom];
		memcpy(out, c->post[p - c->pfrom], *n * sizeof *out);
		return CHR_OK;
	}
	unsigned char may;
	chr_status st = dedup_recent_paras_may(c->db, &key, 1, &may);
	if (st || !may)
		return st;
	sqlite3_stmt *s = store_stmt(c->db, ST_DD_PARA_GET);
	if (!s)
		return CHR_EDB;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)key);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)cap);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < cap)
		out[(*n)++] = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? CHR_OK
						      : store_fail(c->db, "dedup postings");
}

static chr_status d_get_doc(void *ctx, int64_t id, int want_set, dedup_doc *d)
{
	dbctx *c = ctx;
	dedup_docs *dc = dedup_recent_docs(c->db);
	if (dc && dedup_docs_get(dc, id, want_set, d))
		return CHR_OK;
	int prof = prof_on();
	uint64_t t0 = prof ? prof_now() : 0;
	sqlite3_stmt *s = store_stmt(c->db, ST_DD_DOC_GET);
	if (!s)
		return CHR_EDB;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	chr_status st = CHR_OK;
	if (rc == SQLITE_ROW) {
		memset(d, 0, sizeof *d);
		d->id = id;
		d->grp = sqlite3_column_int64(s, 0);
		d->tier = sqlite3_column_int(s, 1);
		const char *p = (const char *)sqlite3_column_text(s, 2);
		if (p && strlen(p) == 10)
			memcpy(d->published, p, 11);
		d->nwords = (uint32_t)sqlite3_column_int64(s, 3);
		size_t nb = (size_t)sqlite3_column_bytes(s, 4);
		d->nset = (uint32_t)(nb / 4);
		if (want_set) {
			if (d->nset > c->cap) {
				uint32_t *q = realloc(c->set == c->small ? NULL : c->set,
						      (size_t)d->nset * 4);
				if (!q)
					st = CHR_ENOMEM;
				else {
					c->set = q;
					c->cap = d->nset;
				}
			}
			if (!st && d->nset)
				memcpy(c->set, sqlite3_column_blob(s, 4), (size_t)d->nset * 4);
			d->set = c->set;
			if (!st && dc) /* the row whole: kept */
				dedup_docs_put(dc, d, d->set, d->nset);
		}
	} else {
		st = rc == SQLITE_DONE ? CHR_ENOTFOUND : store_fail(c->db, "dedup doc");
	}
	sqlite3_reset(s);
	if (prof)
		prof_add("dedup-docs-read", prof_now() - t0);
	return st;
}

static chr_status d_put_doc(void *ctx, const dedup_doc *d, const dedup_feat *f)
{
	dbctx *c = ctx;
	int prof = prof_on();
	uint64_t t0 = prof ? prof_now() : 0;
	sqlite3_stmt *s = store_stmt(c->db, ST_DD_DOC_PUT);
	if (!s)
		return CHR_EDB;
	sqlite3_bind_int64(s, 1, d->id);
	sqlite3_bind_int64(s, 2, d->grp);
	sqlite3_bind_int(s, 3, d->tier);
	if (d->published[0])
		sqlite3_bind_text(s, 4, d->published, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, d->nwords);
	/* the signature is not stored: nothing reads it back (candidates
	 * come from the band keys, verification from the set), and it was a
	 * third of the row; an empty blob keeps the column NOT NULL */
	sqlite3_bind_zeroblob(s, 6, 0);
	sqlite3_bind_blob(s, 7, f->nset ? (const void *)f->set : "", (int)(f->nset * 4),
			  SQLITE_STATIC);
	chr_status st = step_done(c, s, "dedup doc insert");
	dedup_docs *dc = st ? NULL : dedup_recent_docs(c->db);
	if (dc) /* the row as written (the published date as it reads back) */
		dedup_docs_put(dc, d, f->set, f->nset);
	uint64_t keys[DEDUP_BANDS + DEDUP_ANCHOR_MAX];
	size_t nk = dedup_feat_keys(f, keys);
	if (!st) /* f->keyblob: the same keys, packed by dedup_features */
		st = dedup_recent_put(c->db, d->id, keys, nk, f->keyblob,
				      f->nkeyblob);
	/* paragraph rows in one statement while they fit (STORE_PARA_ROWS;
	 * then that many to a statement and one for the rest), in order:
	 * OR IGNORE keeps the first of equal rows either way */
	for (size_t p = 0; p < f->npara && !st;) {
		size_t k = f->npara - p < STORE_PARA_ROWS ? f->npara - p
							  : STORE_PARA_ROWS;
		if (!(s = store_stmt(c->db, ST_DD_PARA_PUT + (int)k - 1)))
			return CHR_EDB;
		for (size_t j = 0; j < k; j++) {
			sqlite3_bind_int64(s, 2 * (int)j + 1,
					   (sqlite3_int64)f->para[p + j].hash);
			sqlite3_bind_int64(s, 2 * (int)j + 2, d->id);
		}
		st = step_done(c, s, "dedup key");
		if (!st) {
			uint64_t h[STORE_PARA_ROWS] = { 0 };
			para_hashes(f, p, k, h);
			st = dedup_recent_paras_put(c->db, h, k);
		}
		p += k;
	}
	if (prof)
		prof_add("dedup-write", prof_now() - t0);
	return st;
}

static chr_status d_get_group(void *ctx, int64_t gid, int64_t *original,
			      int64_t *size)
{
	dbctx *c = ctx;
	sqlite3_stmt *s = store_stmt(c->db, ST_DD_GRP_GET);
	if (!s)
		return CHR_EDB;
	sqlite3_bind_int64(s, 1, gid);
	int rc = sqlite3_step(s);
	chr_status st = CHR_OK;
	if (rc == SQLITE_ROW) {
		*original = sqlite3_column_int64(s, 0);
		*size = sqlite3_column_int64(s, 1);
	} else {
		st = rc == SQLITE_DONE ? CHR_ENOTFOUND : store_fail(c->db, "dedup group");
	}
	sqlite3_reset(s);
	return st;
}

static chr_status d_set_group(void *ctx, int64_t gid, int64_t original,
			      int64_t size)
{
	dbctx *c = ctx;
	sqlite3_stmt *s = store_stmt(c->db, ST_DD_GRP_SET);
	if (!s)
		return CHR_EDB;
	sqlite3_bind_int64(s, 1, gid);
	sqlite3_bind_int64(s, 2, original);
	sqlite3_bind_int64(s, 3, size);
	return step_done(c, s, "dedup group update");
}

static chr_status d_merge_group(void *ctx, int64_t from, int64_t into)
{
	dbctx *c = ctx;
	sqlite3_stmt *s = store_stmt(c->db, ST_DD_GRP_MOVE);
	if (!s)
		return CHR_EDB;
	sqlite3_bind_int64(s, 1, from);
	sqlite3_bind_int64(s, 2, into);
	chr_status st = step_done(c, s, "dedup group merge");
	if (!st && !(s = store_stmt(c->db, ST_DD_GRP_DEL)))
		st = CHR_EDB;
	if (!st) {
		sqlite3_bind_int64(s, 1, from);
		st = step_done(c, s, "dedup group merge");
	}
	dedup_docs *dc = st ? NULL : dedup_recent_docs(c->db);
	if (dc)
		dedup_docs_regroup(dc, from, into);
	return st;
}

static void d_prefetch(void *ctx, const uint64_t *keys, size_t n)
{
	dbctx *c = ctx;
	(void)dedup_recent_prefetch(c->db, keys, n); /* a hint: errors come
							* again from postings */
}

static void d_prefetch_docs(void *ctx, const int64_t *ids, size_t n)
{
	dbctx *c = ctx;
	dedup_docs *dc = dedup_recent_docs(c->db);
	if (dc)
		dedup_docs_prefetch(dc, ids, n);
}

static const dedup_ops db_ops = {
	d_postings, d_get_doc, d_put_doc, d_get_group, d_set_group, d_merge_group,
	d_prefetch, d_prefetch_docs,
};

chr_status dedup_article(chr_db *db, chr_article *a)
{
	const dedup_feat *fp = a->ddfeat; /* made by the dedup-prep stage */
	if (!fp)
		return CHR_EINVAL;
	int64_t rowid = a->rowid; /* set by store_put_article */
	if (!rowid) { /* not stored by this process: its row by id */
		sqlite3_stmt *s = store_stmt(db, ST_DD_ROWID);
		if (!s)
			return CHR_EDB;
		sqlite3_bind_text(s, 1, a->id, -1, SQLITE_STATIC);
		int rc = sqlite3_step(s);
		rowid = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
		sqlite3_reset(s);
		if (rc != SQLITE_ROW)
			return rc == SQLITE_DONE ? CHR_ENOTFOUND
						 : store_fail(db, "dedup rowid");
	}
	dedup_doc d;
	memset(&d, 0, sizeof d);
	d.id = rowid;
	d.tier = dedup_tier(a->outlet ? a->outlet : a->source, a->agencies.v,
			    a->agencies.n);
	if (strlen(a->published) == 10)
		memcpy(d.published, a->published, 11);
	d.nwords = fp->nwords;
	dbctx c;
	ctx_init(&c, db, fp);
	chr_status st = dedup_recent_sync(db);
	if (!st)
		st = dedup_add(&db_ops, &c, &d, fp, NULL, NULL);
	ctx_done(&c);
	return st;
}

chr_status dedup_prep_run(chr_article *a)
{
	dedup_feat *f = malloc(sizeof *f);
	if (!f)
		return CHR_ENOMEM;
	dedup_feat_init(f);
	chr_status st = dedup_features(f, a->text ? a->text : "", a->text_len);
	if (st) {
		dedup_feat_release(f);
		return st;
	}
	a->ddfeat = f;
	return CHR_OK;
}

void dedup_feat_release(dedup_feat *f)
{
	if (!f)
		return;
	dedup_feat_free(f);
	free(f);
}

/* For the benchmarks and tests: the same operations on a db. */
chr_status dedup_db_add(chr_db *db, dedup_doc *d, const dedup_feat *f,
			int64_t *gid, dedup_stats *stats)
{
	dbctx c;
	ctx_init(&c, db, f);
	chr_status st = dedup_recent_sync(db);
	if (!st)
		st = dedup_add(&db_ops, &c, d, f, gid, stats);
	ctx_done(&c);
	return st;
}
