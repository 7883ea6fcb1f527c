/*
 * entcache: what the entity store (entities.c) keeps in memory.
 *
 * Design note: storing an article's entities was ~30 statements an
 * article, about 10k instructions each, most of them on rows the store
 * thread had just written.  Two things here cut them:
 *
 * - key -> (eid, score) of every entity looked up or created by its key,
 *   so a known entity costs no SELECT.  It mirrors rows exactly: entities
 *   are never deleted or re-keyed, and a score changes only through
 *   entities.c's rename, which updates the entry.  Other connections'
 *   commits are seen by PRAGMA data_version at the start of each
 *   transaction (store_begin) and drop the mirror, as does a rollback
 *   (store_rollback), so it never holds what the database does not.  At
 *   ENTCACHE_MAX keys it is emptied and refilled.  When it is made and
 *   the table has at most ENTCACHE_LOAD rows it is filled with all of
 *   them, and then, while every row entities.c inserts goes in too, it
 *   is complete: a key it lacks is not in the table either (a new name
 *   costs no SELECT).  A store over ENTCACHE_LOAD entities, a failed
 *   insert into the map and the refill at the ceiling make it a plain
 *   cache again.
 *
 * - the open transaction's mention counts, per entity and per (entity,
 *   alias), summed in memory and written once each at commit
 *   (store_commit, before COMMIT), instead of an UPDATE and an upsert per
 *   article (each UPDATE of `mentions` also moves an entry of the
 *   entities_mentions index).  The stored sums are the same.  Nothing
 *   reads these columns while ingesting (the events stage reads
 *   entity_mentions and entities.key; the counts serve queries), and a
 *   transaction's own statements are the only writers.  At ENTPEND_MAX
 *   pending rows they are written early, inside the same transaction.
 *   A new entity's row is inserted with its article's mentions of its
 *   key already counted, and its article's alias records say so (they
 *   count for the alias, not again for the entity), so an entity nothing
 *   else names before the commit costs no UPDATE at all (most entities
 *   appear in one article).
 *
 * - the (start, eid) of the mention rows of the article stored last, so
 *   its facts (src/facts/store.c) find their participants' entities
 *   without a SELECT by (doc, start), and the events stage its counts
 *   per entity for event_entities (store_ents_doc_counts: the rows as
 *   stored, one a start, the last written; the table's GROUP BY when
 *   the rows are not known).  The entity store also hands over those
 *   counts per entity, summed from the article's per-key row counts
 *   that the text thread made (store_ents_counts), so nothing is sorted
 *   here.
 */
#include "store.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/hash.h"

/* Keys in the map at most, ~90 bytes each with the slot and the
 * ent_val.  A million articles hold ~1.4 M entities: with a ceiling of
 * 2^20 keys the map was emptied from ~700k articles on, and from then
 * every new name cost a SELECT on the key index (entities-store per 100k
 * articles grew ~30 %, bench/RESULTS.md).  At 2^22 it stays complete
 * past 2.5 M articles, at ~130 MB a million articles. */
#define ENTCACHE_MAX ((size_t)1 << 22)
#define ENTPEND_MAX ((size_t)1 << 16)
#define ENTCACHE_LOAD 65536

typedef struct ent_val {
	int64_t eid;
	int score;
	char key[]; /* the map's key */
} ent_val;

typedef struct ent_pend {
	int64_t eid;
	const char *alias; /* in pmem; NULL: the entity's count alone */
	size_t len;
	int64_t n;         /* the alias's count */
	int64_t e;         /* the entity's (n less what its row holds) */
} ent_pend;

struct store_ents {
	ht keys;      /* key -> ent_val */
	arena kmem;   /* the ent_vals */
	int loaded;   /* the table was read into keys (or tried) */
	int complete; /* keys holds every row of the table */
	ent_pend *p;  /* the transaction's counts, unsorted */
	ent_pend *sp; /* sort_pend's scratch, cap records */
	size_t np, cap;
	arena pmem;   /* their aliases */
	int64_t doc;  /* the article whose mention rows are in men */
	store_men *men;
	size_t nmen, capmen;
	int64_t cdoc; /* the article whose counts per entity are in cnt */
	store_eidn *cnt;
	size_t ncnt, capcnt;
};

static void cache_reset(store_ents *e)
{
	ht_free(&e->keys);
	arena_free(&e->kmem);
	ht_init(&e->keys, ENTCACHE_MAX);
	arena_init(&e->kmem, 0);
	e->complete = 0;
}

static store_ents *ents_of(chr_db *db)
{
	if (!db->ents && (db->ents = calloc(1, sizeof *db->ents))) {
		ht_init(&db->ents->keys, ENTCACHE_MAX);
		arena_init(&db->ents->kmem, 0);
		arena_init(&db->ents->pmem, 0);
	}
	return db->ents;
}

void store_ents_drop(chr_db *db)
{
	store_ents *e = db->ents;
	if (!e)
		return;
	ht_free(&e->keys);
	arena_free(&e->kmem);
	arena_free(&e->pmem);
	free(e->p);
	free(e->sp);
	free(e->men);
	free(e->cnt);
	free(e);
	db->ents = NULL;
}

chr_status store_ents_begin(chr_db *db)
{
	int64_t v = 0;
	chr_status st = chr_db_data_version(db, &v);
	if (st)
		return st;
	if (v != db->ents_version)
		store_ents_drop(db); /* another connection committed */
	db->ents_version = v;
	return CHR_OK;
}

/* Put key's row in the map; 0, or -1 when it could not (memory). */
static int cache_put(store_ents *e, const char *key, int64_t eid, int score)
{
	size_t n = strlen(key);
	ht_entry *h = ht_get(&e->keys, key, n);
	if (h) {
		ent_val *v = h->v.ptr;
		v->eid = eid;
		v->score = score;
		return 0;
	}
	if (e->keys.count >= ENTCACHE_MAX)
		cache_reset(e);
	ent_val *v = arena_alloc(&e->kmem, sizeof *v + n + 1);
	if (!v)
		return -1;
	v->eid = eid;
	v->score = score;
	memcpy(v->key, key, n + 1);
	int created;
	if (!(h = ht_put(&e->keys, v->key, n, &created)))
		return -1;
	h->v.ptr = v;
	return 0;
}

/* Read a small table whole (see the design note); errors leave a plain
 * cache, and the lookups that follow report them. */
static void cache_load(chr_db *db, store_ents *e)
{
	e->loaded = 1;
	sqlite3_stmt *s = store_stmt(db, ST_EN_CACHE_LOAD);
	if (!s)
		return;
	sqlite3_bind_int64(s, 1, ENTCACHE_LOAD + 1);
	size_t n = 0;
	int rc, ok = 1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && ok) {
		const char *key = (const char *)sqlite3_column_text(s, 1);
		ok = key && !cache_put(e, key, sqlite3_column_int64(s, 0),
				       sqlite3_column_int(s, 2));
		n++;
	}
	sqlite3_reset(s);
	e->complete = ok && rc == SQLITE_DONE && n <= ENTCACHE_LOAD;
}

int store_ents_get(chr_db *db, const char *key, int64_t *eid, int *score)
{
	store_ents *e = db->in_tx ? ents_of(db) : NULL;
	if (!e)
		return 0;
	if (!e->loaded)
		cache_load(db, e);
	ht_entry *h = ht_get(&e->keys, key, strlen(key));
	if (!h)
		return e->complete ? -1 : 0;
	const ent_val *v = h->v.ptr;
	*eid = v->eid;
	*score = v->score;
	return 1;
}

void store_ents_set(chr_db *db, const char *key, int64_t eid, int score)
{
	if (!db->in_tx) {
		/* a write outside a transaction is not mirrored, and the
		 * connection's own commit does not move data_version: forget
		 * the keys (a stale or falsely complete map would miss the
		 * row), keep the pending counts and mention rows */
		if (db->ents) {
			cache_reset(db->ents);
			db->ents->loaded = 0;
		}
		return;
	}
	store_ents *e = ents_of(db);
	if (e && cache_put(e, key, eid, score))
		e->complete = 0; /* only a cache now */
}

chr_status store_ents_add_counted(chr_db *db, int64_t eid, const char *alias,
				  size_t len, int64_t n, int64_t counted)
{
	store_ents *e = ents_of(db);
	if (!e)
		return CHR_ENOMEM;
	if (e->np >= ENTPEND_MAX) {
		chr_status st = store_ents_flush(db);
		if (st)
			return st;
	}
	if (e->np == e->cap) {
		size_t cap = e->cap ? 2 * e->cap : 256;
		ent_pend *p = realloc(e->p, cap * sizeof *p);
		if (!p)
			return CHR_ENOMEM;
		e->p = p;
		e->cap = cap;
		free(e->sp); /* (made again at the new size when sorting) */
		e->sp = NULL;
	}
	char *s = alias ? arena_strndup(&e->pmem, alias, len) : NULL;
	if (alias && !s)
		return CHR_ENOMEM;
	e->p[e->np++] = (ent_pend){ eid, s, len, alias ? n : 0, n - counted };
	return CHR_OK;
}

chr_status store_ents_add(chr_db *db, int64_t eid, const char *alias,
			  size_t len, int64_t n)
{
	return store_ents_add_counted(db, eid, alias, len, n, 0);
}

store_men *store_ents_rows_buf(chr_db *db, size_t n)
{
	store_ents *e = ents_of(db);
	if (!e)
		return NULL;
	e->doc = e->cdoc = 0; /* none known while writing */
	if (n >= e->capmen) { /* (room for one at least: never NULL) */
		store_men *v = realloc(e->men, (n + 1) * sizeof *v);
		if (!v)
			return NULL; /* the lookups read the table */
		e->men = v;
		e->capmen = n + 1;
	}
	return e->men;
}

void store_ents_rows_set(chr_db *db, int64_t doc, size_t n)
{
	store_ents *e = db->ents;
	if (!e || n > e->capmen)
		return;
	e->nmen = n;
	e->doc = doc;
}

void store_ents_rows(chr_db *db, int64_t doc, const store_men *r, size_t n)
{
	store_men *v = store_ents_rows_buf(db, n);
	if (!v)
		return;
	if (n)
		memcpy(v, r, n * sizeof *r);
	store_ents_rows_set(db, doc, n);
}

store_eidn *store_ents_counts_buf(chr_db *db, int64_t doc, size_t n)
{
	store_ents *e = db->ents;
	if (!e || e->doc != doc)
		return NULL; /* (only with the rows they count) */
	e->cdoc = 0;
	if (n >= e->capcnt) { /* (room for one at least: never NULL) */
		store_eidn *v = realloc(e->cnt, (n + 1) * sizeof *v);
		if (!v)
			return NULL; /* counted from the rows */
		e->cnt = v;
		e->capcnt = n + 1;
	}
	return e->cnt;
}

void store_ents_counts_set(chr_db *db, int64_t doc, size_t n)
{
	store_ents *e = db->ents;
	if (!e || e->doc != doc || n > e->capcnt)
		return;
	e->ncnt = n;
	e->cdoc = doc;
}

void store_ents_counts(chr_db *db, int64_t doc, const store_eidn *c, size_t n)
{
	store_eidn *v = store_ents_counts_buf(db, doc, n);
	if (!v)
		return;
	if (n)
		memcpy(v, c, n * sizeof *c);
	store_ents_counts_set(db, doc, n);
}

int store_ents_row_eid(chr_db *db, int64_t doc, int64_t start, int64_t *eid)
{
	store_ents *e = db->ents;
	if (!e || !doc || e->doc != doc)
		return 0;
	for (size_t i = e->nmen; i-- > 0;) /* the last row written wins */
		if (e->men[i].start == start) {
			*eid = e->men[i].eid;
			return 1;
		}
	return 0;
}

static int cmp_pend(const void *a, const void *b)
{
	const ent_pend *x = a, *y = b;
	if (x->eid != y->eid)
		return x->eid < y->eid ? -1 : 1;
	if (!x->alias || !y->alias) /* those first */
		return !!x->alias - !!y->alias;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->alias, y->alias, n);
	return c ? c : (x->len > y->len) - (x->len < y->len);
}

static chr_status step_done(chr_db *db, sqlite3_stmt *s, const char *what)
{
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? CHR_OK : store_fail(db, what);
}

#define PEND_DIGIT 11 /* bits of an eid a radix pass sorts by */
#define PEND_RUN 32   /* an eid's records sorted by insertion up to this */

/* Order the pending records as cmp_pend does (records equal under it
 * are summed, so their order does not matter): by eid with an LSD radix
 * sort, PEND_DIGIT bits a pass and as many passes as the largest eid
 * needs (qsort for a negative eid, over 33 bits, or no scratch), then
 * each eid's records by insertion, or qsort for a long run.  A third of
 * qsort's instructions on the ~6,000 records of a Reuters batch. */
static void sort_pend(store_ents *e)
{
	ent_pend *r = e->p;
	size_t n = e->np;
	uint64_t all = 0;
	for (size_t i = 0; i < n; i++)
		all |= (uint64_t)r[i].eid;
	if ((all >> 33) || n < 2 ||
	    (!e->sp && !(e->sp = malloc(e->cap * sizeof *e->sp)))) {
		qsort(r, n, sizeof *r, cmp_pend);
		return;
	}
	ent_pend *a = r, *b = e->sp;
	for (int shift = 0; shift < 33 && (all >> shift); shift += PEND_DIGIT) {
		size_t at[1 << PEND_DIGIT] = { 0 };
		const uint64_t mask = (1 << PEND_DIGIT) - 1;
		for (size_t i = 0; i < n; i++)
			at[((uint64_t)a[i].eid >> shift) & mask]++;
		size_t sum = 0;
		for (size_t d = 0; d < (1 << PEND_DIGIT); d++) {
			size_t c = at[d];
			at[d] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			b[at[((uint64_t)a[i].eid >> shift) & mask]++] = a[i];
		ent_pend *t = a;
		a = b;
		b = t;
	}
	if (a != r)
		memcpy(r, a, n * sizeof *r);
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && r[j].eid == r[i].eid)
			j++;
		if (j - i > PEND_RUN) {
			qsort(r + i, j - i, sizeof *r, cmp_pend);
		} else {
			for (size_t k = i + 1; k < j; k++) {
				ent_pend x = r[k];
				size_t m = k;
				for (; m > i && cmp_pend(&r[m - 1], &x) > 0;
				     m--)
					r[m] = r[m - 1];
				r[m] = x;
			}
		}
		i = j;
	}
}

/* The flush's (entity, alias) counts waiting to be written, up to
 * STORE_ALIAS_ROWS to a statement, in the order they came; fresh: of
 * entities with no alias row, plain inserts. */
typedef struct alias_q {
	const ent_pend *r[STORE_ALIAS_ROWS];
	int64_t n[STORE_ALIAS_ROWS];
	int k;
	int fresh;
} alias_q;

static chr_status put_aliases(chr_db *db, alias_q *q)
{
	if (!q->k)
		return CHR_OK;
	sqlite3_stmt *s = store_stmt_bound(db, (q->fresh ? ST_EN_ALIAS_NEW
							 : ST_EN_ALIAS_PUT) + q->k - 1);
	if (!s)
		return CHR_EDB;
	for (int i = 0; i < q->k; i++) {
		const ent_pend *r = q->r[i];
		sqlite3_bind_int64(s, 3 * i + 1, r->eid);
		sqlite3_bind_text(s, 3 * i + 2, r->alias, (int)r->len,
				  SQLITE_STATIC);
		sqlite3_bind_int64(s, 3 * i + 3, q->n[i]);
	}
	chr_status st = step_done(db, s, "entity alias");
	/* and the pairs as keys of the alias lookup (migration 18) */
	if (!st && !(s = store_stmt_bound(db, ST_EN_AKEYS_PUT + q->k - 1)))
		st = CHR_EDB;
	for (int i = 0; i < q->k && !st; i++) {
		const ent_pend *r = q->r[i];
		sqlite3_bind_text(s, 2 * i + 1, r->alias, (int)r->len,
				  SQLITE_STATIC);
		sqlite3_bind_int64(s, 2 * i + 2, r->eid);
	}
	if (!st)
		st = step_done(db, s, "entity alias key");
	q->k = 0;
	return st;
}

/* The largest eid with an alias row (0: none); -1 on error. */
static int64_t alias_max_eid(chr_db *db)
{
	sqlite3_stmt *s = store_stmt(db, ST_EN_ALIAS_MAXEID);
	if (!s)
		return -1;
	int64_t m = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
	sqlite3_reset(s);
	return m;
}

/* One UPDATE per entity, in eid order (neighbouring rows share pages),
 * and one upsert row per (entity, alias), STORE_ALIAS_ROWS to a
 * statement: the pairs are distinct after the sort, so the rows of a
 * statement touch distinct rows and sum as a statement each would.
 * Entities past the largest eid with an alias row (eids only grow; most
 * of a batch's are new) have no row to add to: their pairs are plain
 * inserts (ST_EN_ALIAS_NEW), which need no statement journal (sql.c,
 * JOURNAL), the same rows as the upsert's. */
chr_status store_ents_flush(chr_db *db)
{
	store_ents *e = db->ents;
	if (!e || !e->np)
		return CHR_OK;
	ent_pend *r = e->p;
	size_t n = e->np;
	sort_pend(e);
	int64_t old = alias_max_eid(db);
	if (old < 0)
		return store_fail(db, "entity aliases");
	chr_status st = CHR_OK;
	alias_q q;
	q.k = 0;
	q.fresh = 0;
	for (size_t i = 0; i < n && !st;) {
		if (!q.fresh && r[i].eid > old) { /* (sorted: the rest too) */
			if ((st = put_aliases(db, &q)))
				break;
			q.fresh = 1;
		}
		size_t j = i;
		int64_t sum = 0;
		for (; j < n && r[j].eid == r[i].eid; j++)
			sum += r[j].e;
		if (sum) { /* (0: all counted when the row was inserted) */
			sqlite3_stmt *s = store_stmt(db, ST_EN_COUNT_UP);
			if (!s)
				return CHR_EDB;
			sqlite3_bind_int64(s, 1, r[i].eid);
			sqlite3_bind_int64(s, 2, sum);
			if ((st = step_done(db, s, "entity count")))
				break;
		}
		size_t k = i;
		while (k < j && !r[k].alias)
			k++;
		for (; k < j && !st;) {
			size_t m = k;
			int64_t an = 0;
			for (; m < j && r[m].len == r[k].len &&
			       !memcmp(r[m].alias, r[k].alias, r[k].len); m++)
				an += r[m].n;
			q.r[q.k] = &r[k];
			q.n[q.k++] = an;
			if (q.k == STORE_ALIAS_ROWS)
				st = put_aliases(db, &q);
			k = m;
		}
		i = j;
	}
	if (!st)
		st = put_aliases(db, &q);
	if (!st) {
		e->np = 0;
		arena_reset(&e->pmem);
	}
	return st;
}

/* ---- an article's counts per entity, for event_entities ---- */

typedef struct men_at {
	int64_t start, eid;
	size_t i; /* the order written */
} men_at;

static int cmp_start_last(const void *a, const void *b)
{
	const men_at *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->i < y->i) - (x->i > y->i); /* the latest first */
}

static int cmp_eid(const void *a, const void *b)
{
	const men_at *x = a, *y = b;
	return (x->eid > y->eid) - (x->eid < y->eid);
}

/* From the table: the statement's GROUP BY, for a doc whose rows the
 * cache does not hold (a failed allocation, a dropped cache). */
static chr_status doc_counts_read(chr_db *db, int64_t doc, store_eidn **out,
				  size_t *n)
{
	sqlite3_stmt *s = store_stmt(db, ST_EV_DOC_COUNTS);
	if (!s)
		return CHR_EDB;
	sqlite3_bind_int64(s, 1, doc);
	chr_status st = CHR_OK;
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap) {
			size_t nc = cap ? cap * 2 : 16;
			store_eidn *v = realloc(*out, nc * sizeof *v);
			if (!v) {
				st = CHR_ENOMEM;
				break;
			}
			*out = v;
			cap = nc;
		}
		(*out)[*n].eid = sqlite3_column_int64(s, 0);
		(*out)[(*n)++].n = sqlite3_column_int64(s, 1);
	}
	if (!st && rc != SQLITE_DONE)
		st = store_fail(db, "article entity counts");
	sqlite3_reset(s);
	return st;
}

chr_status store_ents_doc_counts(chr_db *db, int64_t doc, store_eidn **out,
				 size_t *n)
{
	store_ents *e = db->ents;
	*out = NULL;
	*n = 0;
	if (!e || !doc || e->doc != doc)
		return doc_counts_read(db, doc, out, n);
	if (e->cdoc == doc) { /* counted from the article's keys */
		if (!e->ncnt)
			return CHR_OK;
		if (!(*out = malloc(e->ncnt * sizeof **out)))
			return CHR_ENOMEM;
		memcpy(*out, e->cnt, e->ncnt * sizeof **out);
		*n = e->ncnt;
		return CHR_OK;
	}
	if (!e->nmen)
		return CHR_OK;
	men_at *m = malloc(e->nmen * sizeof *m);
	if (!m)
		return CHR_ENOMEM;
	for (size_t i = 0; i < e->nmen; i++)
		m[i] = (men_at){ e->men[i].start, e->men[i].eid, i };
	/* one row a start, the last written (INSERT OR REPLACE) */
	qsort(m, e->nmen, sizeof *m, cmp_start_last);
	size_t k = 0;
	for (size_t i = 0; i < e->nmen; i++)
		if (!k || m[i].start != m[k - 1].start)
			m[k++] = m[i];
	qsort(m, k, sizeof *m, cmp_eid);
	store_eidn *v = malloc(k * sizeof *v);
	if (!v) {
		free(m);
		return CHR_ENOMEM;
	}
	for (size_t i = 0; i < k; i++) {
		if (*n && v[*n - 1].eid == m[i].eid)
			v[*n - 1].n++;
		else
			v[(*n)++] = (store_eidn){ m[i].eid, 1 };
	}
	free(m);
	*out = v;
	return CHR_OK;
}
