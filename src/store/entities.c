/*
 * entities: storing resolved mentions and querying canonical entities.
 *
 * Design note: the article-level resolver (src/entities/canon.c) has
 * already linked short forms and aliases; what is left here is merging
 * across articles, by the normalised key ("Choe son-hui" and "Choe Son-hui"
 * share "choesonhui") and, for people, by a transliteration rule: same
 * surname key and type, and first names at most one edit apart when both
 * have four letters or more ("Sergei"/"Sergey").  Each stored mention
 * keeps its role, and roles over time are a GROUP BY over mentions joined
 * to article dates, so nothing needs rewriting when an article's date is
 * learned later.  The best-formed name seen wins as the canonical name.
 * An entity known by its key costs no SELECT, and mention counts are
 * summed over the transaction and written at its commit (entcache.c).
 * What needs no database (an article's distinct keys, their counts, the
 * name parts and scores) is made on the text thread by the entities
 * stage (entities_store_prep, a->entkeys), so the store thread only
 * looks up and writes.
 */
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/hash.h"
#include "core/jsonw.h"
#include "entities/canon.h"
#include "entities/entities.h"

static const char *type_name(int t)
{
	return chr_ent_type_name(t);
}

static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

/* For the ingest statements: v outlives the step (every statement is
 * reset, and its parameters cleared or all bound again, before it is
 * stepped again: store_stmt, store_stmt_bound), so SQLite need not copy
 * it. */
static void bind_static(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, i);
}

/* The person stored under the same surname key whose first-name key is at
 * most one edit from fkey and has the same initial (and four letters or
 * more), or 0.  Reads only the (skey, fkey) entries of that initial in
 * the index of people, at most 50 of them, so the cost stays bounded
 * however many people share a surname; of several matches the oldest
 * entity wins. */
static int64_t find_translit(chr_db *db, const char *fkey, const char *skey)
{
	if (strlen(fkey) < 4 || !*skey)
		return 0;
	sqlite3_stmt *s = store_stmt(db, ST_EN_BY_SKEY);
	if (!s)
		return -1;
	unsigned char lo = (unsigned char)fkey[0];
	char hi[2] = { (char)(lo + 1), 0 }; /* first names of that initial */
	bind_static(s, 1, skey);
	sqlite3_bind_text(s, 3, fkey, 1, SQLITE_STATIC);
	if (lo < 0xFF)
		sqlite3_bind_text(s, 4, hi, 1, SQLITE_STATIC);
	else
		sqlite3_bind_blob(s, 4, "", 0, SQLITE_STATIC); /* above any text */
	int64_t found = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *f = (const char *)sqlite3_column_text(s, 1);
		int64_t eid = sqlite3_column_int64(s, 0);
		if (f && strlen(f) >= 4 && canon_edit_distance(f, fkey, 1) <= 1 &&
		    (!found || eid < found))
			found = eid;
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? found : -1;
}

/* The entity for key k (m its first mention), created when new with the
 * article's mentions of that key already counted (then *created is set).
 * -1 on error. */
static int64_t entity_for(chr_db *db, const art_mention *m,
			  const art_entkey *k, int *created)
{
	int64_t nsame = k->n;
	const char *fkey = k->fkey, *skey = k->skey;
	int64_t eid = 0;
	int score = 0, rc;
	sqlite3_stmt *s;
	if (!store_ents_get(db, m->key, &eid, &score)) { /* -1: not stored */
		if (!(s = store_stmt(db, ST_EN_BY_KEY)))
			return -1;
		bind_static(s, 1, m->key);
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			eid = sqlite3_column_int64(s, 0);
			score = sqlite3_column_int(s, 1);
		}
		sqlite3_reset(s);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return -1;
		if (eid)
			store_ents_set(db, m->key, eid, score);
	}
	int bykey = eid != 0;
	const char *type = type_name(m->type);
	if (!eid && m->type == CHR_ENT_PER) {
		eid = find_translit(db, fkey, skey);
		if (eid < 0)
			return -1;
		if (eid)
			score = 1 << 30; /* keep the name it has */
	}
	if (!eid && !strchr(m->name, ' ') && !(m->flags & MEN_ALIAS)) {
		/* a lone surname: the one person stored with it, if only one
		 * (also when the tagger took it for a place or an organisation:
		 * "according to Lavrov") */
		if (!(s = store_stmt(db, ST_EN_BY_SURNAME)))
			return -1;
		bind_static(s, 1, m->key);
		int n = 0;
		int64_t only = 0;
		while (sqlite3_step(s) == SQLITE_ROW && n < 2) {
			only = sqlite3_column_int64(s, 0);
			n++;
		}
		sqlite3_reset(s);
		if (n == 1)
			return only;
	}
	int my = k->score;
	if (!eid) {
		if (!(s = store_stmt_bound(db, ST_EN_INSERT)))
			return -1;
		bind_static(s, 1, m->key);
		bind_static(s, 2, *skey ? skey : NULL);
		bind_static(s, 3, *fkey ? fkey : NULL);
		bind_static(s, 4, m->name);
		sqlite3_bind_int(s, 5, my);
		bind_static(s, 6, type);
		sqlite3_bind_int64(s, 7, nsame);
		rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			return -1;
		eid = sqlite3_last_insert_rowid(db->h);
		store_ents_set(db, m->key, eid, my);
		/* those mentions' count is in the row: the article's alias
		 * counts say so, and an entity no other mention names costs
		 * no UPDATE */
		*created = 1;
		return eid;
	}
	if (my > score) {
		if (!(s = store_stmt(db, ST_EN_RENAME)))
			return -1;
		sqlite3_bind_int64(s, 1, eid);
		bind_static(s, 2, m->name);
		sqlite3_bind_int(s, 3, my);
		rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			return -1;
		if (bykey) /* (a transliteration match keeps its name) */
			store_ents_set(db, m->key, eid, my);
	}
	return eid;
}

static chr_status step_done(chr_db *db, sqlite3_stmt *s, const char *what)
{
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? CHR_OK : store_fail(db, what);
}

/* One mention to store: the article's mention and its entity. */
typedef struct men_row {
	const art_mention *m;
	int64_t eid;
} men_row;

/* Mention r's start as stored: headline mentions with negative offsets,
 * -1 - start, so (doc, start) stays a key and body offsets stay plain. */
static int64_t row_start(const men_row *r)
{
	return r->m->flags & MEN_HEADLINE ? -1 - (int64_t)r->m->start
					  : (int64_t)r->m->start;
}

/* Bind mention r as the k-th row (from 0) of a mention insert. */
static void bind_row(sqlite3_stmt *s, int k, int64_t doc, const men_row *r)
{
	const art_mention *m = r->m;
	int b = k * 6;
	sqlite3_bind_int64(s, b + 1, doc);
	sqlite3_bind_int64(s, b + 2, row_start(r));
	sqlite3_bind_int64(s, b + 3, m->end);
	sqlite3_bind_int64(s, b + 4, r->eid);
	sqlite3_bind_int(s, b + 5, m->flags);
	bind_static(s, b + 6, m->role);
}

/* The article's mention rows, in order, in one statement while they fit
 * (STORE_MEN_ROWS; then that many to a statement and one for the rest).
 * Rows of one statement are inserted in order, so a later row at the
 * same (doc, start) replaces an earlier one as with one statement each.
 * Rows at distinct starts (the article just stored has none yet) go in
 * with INSERT OR FAIL, which needs no statement journal (sql.c,
 * JOURNAL); only an article with two mentions at one start takes the
 * REPLACE statements. */
static chr_status put_mentions(chr_db *db, int64_t doc, const men_row *r,
			       size_t n, int distinct)
{
	enum store_stmt first = distinct ? ST_EN_MENTION_NEW : ST_EN_MENTION_PUT;
	chr_status st = CHR_OK;
	/* (start, eid) as stored, for the article's facts (src/facts/
	 * store.c), written straight into the entity cache */
	store_men *keep = store_ents_rows_buf(db, n);
	for (size_t i = 0; keep && i < n; i++)
		keep[i] = (store_men){ row_start(&r[i]), r[i].eid };
	for (size_t i = 0; i < n && !st;) {
		size_t k = n - i < STORE_MEN_ROWS ? n - i : STORE_MEN_ROWS;
		sqlite3_stmt *s = store_stmt_bound(db, first + (int)k - 1);
		if (!s)
			return CHR_EDB;
		for (size_t j = 0; j < k; j++)
			bind_row(s, (int)j, doc, &r[i + j]);
		st = step_done(db, s, "entity mention");
		i += k;
	}
	if (!st && keep)
		store_ents_rows_set(db, doc, n);
	return st;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* The doc's distinct entities as (entity, doc) rows of the side table
 * (src/store/fold.c), one statement while they fit: the entities of
 * the mention rows that stay (of rows at one start, the last; distinct
 * says there are none such).  v: room for n eids. */
static chr_status put_docs(chr_db *db, int64_t doc, const men_row *r,
			   size_t n, int distinct, int64_t *v)
{
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		int later = 0; /* replaced by a later row at its start */
		for (size_t j = i + 1; !distinct && j < n && !later; j++)
			later = row_start(&r[j]) == row_start(&r[i]);
		if (!later)
			v[m++] = r[i].eid;
	}
	qsort(v, m, sizeof *v, cmp_i64);
	size_t u = 0;
	for (size_t i = 0; i < m; i++)
		if (!u || v[u - 1] != v[i])
			v[u++] = v[i];
	chr_status st = CHR_OK;
	for (size_t i = 0; i < u && !st;) {
		size_t k = u - i < STORE_MEN_ROWS ? u - i : STORE_MEN_ROWS;
		sqlite3_stmt *s = store_stmt_bound(db, ST_EN_DOCS_PUT + (int)k - 1);
		if (!s)
			return CHR_EDB;
		for (size_t j = 0; j < k; j++) {
			sqlite3_bind_int64(s, 2 * (int)j + 1, v[i + j]);
			sqlite3_bind_int64(s, 2 * (int)j + 2, doc);
		}
		st = step_done(db, s, "entity docs");
		i += k;
	}
	return st;
}

static int cmp_eidn(const void *a, const void *b)
{
	const store_eidn *x = a, *y = b;
	return (x->eid > y->eid) - (x->eid < y->eid);
}

/* The article's rows per entity (keys resolved to eids[k]), eid
 * ascending, for the events stage (store_ents_doc_counts), made in the
 * entity cache's own array. */
static void put_counts(chr_db *db, const chr_article *a, const int64_t *eids)
{
	store_eidn *v = store_ents_counts_buf(db, a->rowid, a->entkeys.n);
	if (!v)
		return; /* counted from the rows */
	size_t n = 0;
	for (size_t k = 0; k < a->entkeys.n; k++)
		if (a->entkeys.v[k].rows)
			v[n++] = (store_eidn){ eids[k], a->entkeys.v[k].rows };
	qsort(v, n, sizeof *v, cmp_eidn);
	size_t m = 0;
	for (size_t i = 0; i < n; i++) { /* two keys, one entity: summed */
		if (m && v[m - 1].eid == v[i].eid)
			v[m - 1].n += v[i].n;
		else
			v[m++] = v[i];
	}
	store_ents_counts_set(db, a->rowid, m);
}

#define PUT_SMALL 128

chr_status store_put_entities(chr_db *db, chr_article *a)
{
	if (!a->mentions.n)
		return CHR_OK;
	/* the keys, counts and name parts come from the text thread (made
	 * here for an article that did not pass the entities stage) */
	chr_status st = a->entkeys_made ? CHR_OK : entities_store_prep(a);
	if (st)
		return st;
	/* on the stack for a usual article (PUT_SMALL keys and mentions at
	 * most), else on the heap */
	int64_t eids_s[PUT_SMALL];
	int made_s[PUT_SMALL];
	men_row rows_s[PUT_SMALL];
	size_t nk = a->entkeys.n ? a->entkeys.n : 1;
	int64_t *eids = nk <= PUT_SMALL ? eids_s : calloc(nk, sizeof *eids);
	int *made = nk <= PUT_SMALL ? made_s : calloc(nk, sizeof *made);
	men_row *rows = a->mentions.n <= PUT_SMALL
			? rows_s : malloc(a->mentions.n * sizeof *rows);
	if (eids == eids_s) {
		memset(eids_s, 0, nk * sizeof *eids);
		memset(made_s, 0, nk * sizeof *made);
	}
	size_t nrow = 0;
	st = rows && eids && made ? CHR_OK : CHR_ENOMEM;
	for (size_t i = 0; i < a->mentions.n && !st; i++) {
		const art_mention *m = &a->mentions.v[i];
		if (!a->menkey[i])
			continue;
		size_t k = a->menkey[i] - 1;
		if (!eids[k]) {
			int64_t eid = entity_for(db, m, &a->entkeys.v[k], &made[k]);
			if (eid <= 0) {
				st = store_fail(db, "entity");
				break;
			}
			eids[k] = eid;
		}
		rows[nrow++] = (men_row){ m, eids[k] };
	}
	/* the entities' counts and their aliases': summed in memory (an
	 * article's counted on the text thread), written at the commit */
	for (size_t i = 0; i < a->entaliases.n && !st; i++) {
		const art_entalias *x = &a->entaliases.v[i];
		const art_mention *m = &a->mentions.v[x->first];
		const char *src = m->flags & MEN_HEADLINE ? a->headline : a->text;
		st = store_ents_add_counted(db, eids[x->key], src + m->start,
					    m->end - m->start, x->n,
					    made[x->key] ? x->n : 0);
	}
	/* (the lookups above read only entities, so the rows can wait);
	 * the keys' rows count one a distinct start (entities_store_prep),
	 * so they sum to nrow when no two rows share a start */
	size_t nstart = 0;
	for (size_t k = 0; k < a->entkeys.n; k++)
		nstart += a->entkeys.v[k].rows;
	if (!st)
		st = put_mentions(db, a->rowid, rows, nrow, nstart == nrow);
	if (!st) {
		int64_t v_s[PUT_SMALL];
		int64_t *v = nrow <= PUT_SMALL ? v_s : malloc(nrow * sizeof *v);
		st = v ? put_docs(db, a->rowid, rows, nrow, nstart == nrow, v)
		       : CHR_ENOMEM;
		if (v != v_s)
			free(v);
	}
	if (!st)
		put_counts(db, a, eids);
	if (!st && !db->in_tx) /* no commit to write them at */
		st = store_ents_flush(db);
	if (rows != rows_s)
		free(rows);
	if (eids != eids_s)
		free(eids);
	if (made != made_s)
		free(made);
	return st;
}

/* ---- queries ---- */

chr_status chr_db_entities(chr_db *db, const char *type, size_t limit,
			   size_t offset, chr_entity_row_fn fn, void *ctx)
{
	if (!db || !fn)
		return CHR_EINVAL;
	sqlite3_stmt *s = store_stmt(db, type ? ST_EN_LIST_TYPE : ST_EN_LIST);
	if (!s)
		return CHR_EDB;
	sqlite3_bind_int64(s, 1, limit ? (sqlite3_int64)limit : -1);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)offset);
	if (type)
		bind_text(s, 3, type);
	chr_status st = CHR_OK;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		chr_entity_row r;
		r.id = sqlite3_column_int64(s, 0);
		r.name = (const char *)sqlite3_column_text(s, 1);
		r.type = (const char *)sqlite3_column_text(s, 2);
		r.mentions = sqlite3_column_int64(s, 3);
		r.articles = sqlite3_column_int64(s, 4);
		if (fn(ctx, &r)) {
			st = CHR_EINTERRUPTED;
			break;
		}
	}
	if (!st && rc != SQLITE_DONE)
		st = store_fail(db, "list entities");
	sqlite3_reset(s);
	return st;
}

static int64_t find_entity(chr_db *db, const char *name)
{
	char *end;
	long long id = strtoll(name, &end, 10);
	sqlite3_stmt *s;
	if (*name && !*end && id > 0) {
		if (!(s = store_stmt(db, ST_EN_GET)))
			return -1;
		sqlite3_bind_int64(s, 1, id);
		int rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc == SQLITE_ROW)
			return id;
	}
	/* any alias (an entity of that name first, then the one the
	 * name was most often written for: "Moscow" is the city, though
	 * "Moscow said" also names Russia), then the normalised key, then
	 * an alias table form */
	if (!(s = store_stmt(db, ST_EN_FIND_ALIAS)))
		return -1;
	bind_text(s, 1, name);
	int64_t eid = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	if (eid)
		return eid;
	char key[256];
	const char *canonical = canon_alias(name, strlen(name), NULL, NULL, NULL);
	const char *src = canonical ? canonical : name;
	canon_key(src, strlen(src), key, sizeof key);
	if (!(s = store_stmt(db, ST_EN_BY_KEY)))
		return -1;
	bind_text(s, 1, key);
	eid = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return eid;
}

static void list_col(chr_db *db, enum store_stmt k, int64_t eid, jw *w)
{
	sqlite3_stmt *s = store_stmt(db, k);
	jw_arr(w);
	if (s) {
		sqlite3_bind_int64(s, 1, eid);
		while (sqlite3_step(s) == SQLITE_ROW)
			jw_str(w, (const char *)sqlite3_column_text(s, 0));
		sqlite3_reset(s);
	}
	jw_arr_end(w);
}

chr_status chr_db_entity_json(chr_db *db, const char *name, char **out,
			      size_t *len)
{
	*out = NULL;
	if (!db || !name)
		return CHR_EINVAL;
	int64_t eid = find_entity(db, name);
	if (eid < 0)
		return store_fail(db, "find entity");
	if (!eid)
		return CHR_ENOTFOUND;
	sqlite3_stmt *s = store_stmt(db, ST_EN_GET);
	if (!s)
		return CHR_EDB;
	sqlite3_bind_int64(s, 1, eid);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		return CHR_ENOTFOUND;
	}
	buf b;
	buf_init(&b, 0);
	jw w;
	jw_init(&w, &b);
	jw_obj(&w);
	jw_kint(&w, "id", eid);
	jw_kstr(&w, "name", (const char *)sqlite3_column_text(s, 1));
	jw_kstr(&w, "type", (const char *)sqlite3_column_text(s, 2));
	int64_t mentions = sqlite3_column_int64(s, 3);
	sqlite3_reset(s);
	jw_key(&w, "aliases");
	list_col(db, ST_EN_ALIASES, eid, &w);
	jw_key(&w, "roles");
	jw_arr(&w);
	if ((s = store_stmt(db, ST_EN_ROLES))) {
		sqlite3_bind_int64(s, 1, eid);
		while (sqlite3_step(s) == SQLITE_ROW) {
			jw_obj(&w);
			jw_kstr(&w, "title", (const char *)sqlite3_column_text(s, 0));
			jw_kstr(&w, "from", (const char *)sqlite3_column_text(s, 1));
			jw_kstr(&w, "to", (const char *)sqlite3_column_text(s, 2));
			jw_obj_end(&w);
		}
		sqlite3_reset(s);
	}
	jw_arr_end(&w);
	jw_kint(&w, "mentions", mentions);
	jw_key(&w, "articles");
	list_col(db, ST_EN_ARTICLES, eid, &w);
	jw_obj_end(&w);
	if (w.st) {
		buf_free(&b);
		return w.st;
	}
	*out = buf_detach(&b, len);
	return *out ? CHR_OK : CHR_ENOMEM;
}
