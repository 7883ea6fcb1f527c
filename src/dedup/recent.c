/*
 * recent: the store's LSH band and anchor keys of recent docs, in memory.
 *
 * Design note: filing ~30 random 64-bit keys per article in a B-tree
 * keyed by key made every commit rewrite one page per key once the index
 * outgrew the page cache, so the ingest rate fell as the store grew
 * (bench/RESULTS.md, "Scale").  Now the rows are filed by doc
 * (dedup_keys, PRIMARY KEY (doc, key)), which is an append, and the
 * key -> docs lookup the engine needs is answered from memory: two
 * generations of plist.c lists, DEDUP_RECENT_GEN docs each; when the
 * newer one fills up the older one is dropped.  So lookups see the last
 * DEDUP_RECENT_GEN to 2 x DEDUP_RECENT_GEN docs, memory stays bounded,
 * and a copy arriving after that many other articles is not matched by
 * its bands (paragraph keys stay in SQLite, unbounded).
 *
 * The lists are a mirror of the table, never the other way round: they
 * are built from the table on first use (the newest 2 x GEN docs),
 * topped up from it once per article with rows other connections
 * committed (doc > the newest doc seen, one index seek), and dropped
 * when a transaction rolls back (store_rollback), to be rebuilt.  Doc
 * ids are article rowids, so they only grow.
 */
#include "dedup.h"

#include <stdlib.h>

#include "store/store.h"

size_t dedup_recent_gen = DEDUP_RECENT_GEN;

typedef struct dedup_recent {
	dedup_plist gen[2];
	size_t ndocs[2];
	int cur;         /* the generation being filled */
	int64_t last;    /* newest doc whose keys are in memory */
} dedup_recent;

static void recent_free(void *p)
{
	dedup_recent *r = p;
	if (!r)
		return;
	dedup_plist_free(&r->gen[0]);
	dedup_plist_free(&r->gen[1]);
	free(r);
}

/* File key under doc; a doc newer than the last starts a new entry and
 * may retire the older generation. */
static chr_status recent_add(dedup_recent *r, uint64_t key, int64_t doc)
{
	if (doc > r->last) {
		if (r->ndocs[r->cur] >= dedup_recent_gen) {
			r->cur ^= 1;
			dedup_plist_free(&r->gen[r->cur]);
			r->ndocs[r->cur] = 0;
		}
		r->ndocs[r->cur]++;
		r->last = doc;
	}
	return dedup_plist_add(&r->gen[r->cur], key, doc);
}

/* Load the rows of docs newer than r->last. */
static chr_status recent_sync(chr_db *db, dedup_recent *r)
{
	sqlite3_stmt *s = store_stmt(db, ST_DD_KEYS_SINCE);
	if (!s)
		return CHR_EDB;
	sqlite3_bind_int64(s, 1, r->last);
	chr_status st = CHR_OK;
	int rc;
	while (!st && (rc = sqlite3_step(s)) == SQLITE_ROW)
		st = recent_add(r, (uint64_t)sqlite3_column_int64(s, 1),
				sqlite3_column_int64(s, 0));
	if (!st && rc != SQLITE_DONE)
		st = store_fail(db, "dedup keys");
	sqlite3_reset(s);
	return st;
}

/* The db's lists, built on first use; with sync (once per article, see
 * dedup_recent_sync) also brought up to date with other connections'
 * commits.  Within one transaction nobody else commits, so the lookups
 * and inserts of one article need no further sync. */
static chr_status recent_of(chr_db *db, dedup_recent **out, int sync)
{
	dedup_recent *r = db->cache_free == recent_free ? db->cache : NULL;
	chr_status st = CHR_OK;
	if (!r) {
		store_drop_cache(db);
		sqlite3_stmt *s = store_stmt(db, ST_DD_KEYS_MAX);
		if (!s)
			return CHR_EDB;
		int rc = sqlite3_step(s);
		int64_t max = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
		sqlite3_reset(s);
		if (rc != SQLITE_ROW)
			return store_fail(db, "dedup keys");
		if (!(r = calloc(1, sizeof *r)))
			return CHR_ENOMEM;
		int64_t win = 2 * (int64_t)dedup_recent_gen;
		r->last = max > win ? max - win : 0;
		db->cache = r;
		db->cache_free = recent_free;
		sync = 1;
	}
	if (sync)
		st = recent_sync(db, r);
	if (st) {
		store_drop_cache(db); /* half loaded: rebuild next time */
		return st;
	}
	*out = r;
	return CHR_OK;
}

chr_status dedup_recent_postings(chr_db *db, uint64_t key, size_t cap,
				 int64_t *out, size_t *n)
{
	dedup_recent *r;
	*n = 0;
	chr_status st = recent_of(db, &r, 0);
	if (st)
		return st;
	*n = dedup_plist_get(&r->gen[r->cur], key, cap, out);
	*n += dedup_plist_get(&r->gen[r->cur ^ 1], key, cap - *n, out + *n);
	return CHR_OK;
}

chr_status dedup_recent_put(chr_db *db, int64_t doc, const uint64_t *keys,
			    size_t nkeys)
{
	dedup_recent *r;
	chr_status st = recent_of(db, &r, 0);
	for (size_t i = 0; i < nkeys && !st; i++) {
		sqlite3_stmt *s = store_stmt(db, ST_DD_KEY_PUT);
		if (!s)
			return CHR_EDB;
		sqlite3_bind_int64(s, 1, doc);
		sqlite3_bind_int64(s, 2, (sqlite3_int64)keys[i]);
		int rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			st = store_fail(db, "dedup key");
		else
			st = recent_add(r, keys[i], doc);
	}
	if (st)
		store_drop_cache(db);
	return st;
}

chr_status dedup_recent_sync(chr_db *db)
{
	dedup_recent *r;
	return recent_of(db, &r, 1);
}
