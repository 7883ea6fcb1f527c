/*
 * recent: the store's LSH band and anchor keys of recent docs, in memory.
 *
 * Design note: filing ~30 random 64-bit keys per article in a B-tree
 * keyed by key made every commit rewrite one page per key once the index
 * outgrew the page cache, so the ingest rate fell as the store grew
 * (bench/RESULTS.md, "Scale").  Now they are filed by doc, one
 * dedup_keyset row per doc holding all its keys as one blob, 8 bytes a
 * key (one append per article, not one insert per key; the 16 hex
 * digits a key of migration 9 took twice the bytes and a parse of each
 * digit when the lists are built: 10.6 MB of rows on the Reuters file,
 * now 5.3 MB), and the
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
 * committed (doc > the newest doc seen, one index seek; none while a
 * transaction is open and SQLite's data version has not moved), and dropped
 * when a transaction rolls back (store_rollback), to be rebuilt.  Doc
 * ids are article rowids, so they only grow.
 */
#include "dedup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

size_t dedup_recent_gen = DEDUP_RECENT_GEN;
size_t dedup_pfilt_after = DEDUP_PFILT_AFTER;

typedef struct dedup_recent {
	dedup_plist gen[2];
	size_t ndocs[2];
	int cur;         /* the generation being filled */
	int64_t last;    /* newest doc whose keys are in memory */
	int dv_ok;       /* dv is the data version of the last sync */
	unsigned dv;
	dedup_docs *docs; /* doccache.c: rows of dedup_docs, made on use */
	dedup_pfilt *paras; /* parafilt.c: the stored paragraph hashes */
	size_t asked;       /* hashes asked while there was no filter */
	size_t pwant;       /* hashes the next filter is sized for */
	size_t pscanned;    /* rows the last filter build read */
} dedup_recent;

static void recent_free(void *p)
{
	dedup_recent *r = p;
	if (!r)
		return;
	dedup_plist_free(&r->gen[0]);
	dedup_plist_free(&r->gen[1]);
	dedup_docs_free(r->docs);
	dedup_pfilt_free(r->paras);
	free(r);
}

/* Start filling the other generation, dropping the docs it held. */
static void gen_next(dedup_recent *r)
{
	r->cur ^= 1;
	dedup_plist_clear(&r->gen[r->cur]);
	r->ndocs[r->cur] = 0;
}

/* File key under doc; a doc newer than the last starts a new entry and
 * may retire the older generation. */
static chr_status recent_add(dedup_recent *r, uint64_t key, int64_t doc)
{
	if (doc > r->last) {
		if (r->ndocs[r->cur] >= dedup_recent_gen) {
			/* the older generation's memory is reused, sized
			 * like the one just filled: growing a map of ~4 M
			 * slots by doubling rehashed every key a dozen times
			 * and took fresh pages the kernel zeroes each time */
			gen_next(r);
			dedup_plist_reserve(&r->gen[r->cur], &r->gen[r->cur ^ 1]);
		}
		r->ndocs[r->cur]++;
		r->last = doc;
	}
	return dedup_plist_add(&r->gen[r->cur], key, doc);
}

/* A doc's keys are stored as one blob of 8 bytes per key, most
 * significant first, sorted and distinct (migration 16; before, the
 * same keys as 16 hex digits each, migration 9). */
#define KEY_BYTES 8

/* A key to and from its 8 bytes, most significant first: one byte swap
 * on a little-endian host, not a shift per byte. */
static void put_key(unsigned char *b, uint64_t k)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	k = __builtin_bswap64(k);
	memcpy(b, &k, KEY_BYTES);
#elif defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	memcpy(b, &k, KEY_BYTES);
#else
	for (size_t i = 0; i < KEY_BYTES; i++)
		b[i] = (unsigned char)(k >> (8 * (KEY_BYTES - 1 - i)));
#endif
}

static uint64_t get_key(const unsigned char *b)
{
	uint64_t k = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(&k, b, KEY_BYTES);
	k = __builtin_bswap64(k);
#elif defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	memcpy(&k, b, KEY_BYTES);
#else
	for (size_t i = 0; i < KEY_BYTES; i++)
		k = k << 8 | b[i];
#endif
	return k;
}

/* File the keys of doc's stored blob under doc; CHR_EDB when it is not
 * whole keys (a damaged row).  Building the lists at open files 2 x
 * DEDUP_RECENT_GEN docs' keys (~4 M at a million articles) into maps of
 * ~100 MB, one cache miss a key: the slots of a doc's first
 * DEDUP_RECENT_MAXKEYS keys are prefetched after its first key is filed
 * (which may start the other generation), so their misses overlap.  The
 * same adds in the same order. */
static chr_status add_blob(dedup_recent *r, int64_t doc,
			   const unsigned char *b, size_t n)
{
	if (n % KEY_BYTES)
		return CHR_EDB;
	size_t nk = n / KEY_BYTES, m = nk < DEDUP_RECENT_MAXKEYS ? nk
								: DEDUP_RECENT_MAXKEYS;
	chr_status st = CHR_OK;
	for (size_t i = 0; i < nk && !st; i++) {
		st = recent_add(r, get_key(b + i * KEY_BYTES), doc);
		if (i == 0)
			for (size_t j = 1; j < m; j++)
				dedup_plist_prefetch(&r->gen[r->cur],
						     get_key(b + j * KEY_BYTES));
	}
	return st;
}

/* Each stored row of a doc newer than r->last, in doc order, to fn with
 * its keys (a blob of whole 8-byte keys; anything else is CHR_EDB, a
 * damaged row) until fn returns other than CHR_OK. */
typedef chr_status (*row_fn)(dedup_recent *r, int64_t doc,
			     const unsigned char *b, size_t n, void *ctx);

static chr_status each_row(chr_db *db, dedup_recent *r, row_fn fn, void *ctx)
{
	sqlite3_stmt *s = store_stmt(db, ST_DD_KEYS_SINCE);
	if (!s)
		return CHR_EDB;
	sqlite3_bind_int64(s, 1, r->last);
	chr_status st = CHR_OK;
	int rc;
	while (!st && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t doc = sqlite3_column_int64(s, 0);
		/* the type first: reading a value may convert it */
		int blob = sqlite3_column_type(s, 1) == SQLITE_BLOB;
		const unsigned char *b = blob ? sqlite3_column_blob(s, 1) : NULL;
		size_t n = blob ? (size_t)sqlite3_column_bytes(s, 1) : 0;
		st = blob && !(n % KEY_BYTES) && doc > r->last
			     ? fn(r, doc, b, n, ctx) : CHR_EDB;
		if (st == CHR_EDB)
			snprintf(db->err, sizeof db->err,
				 "dedup keys of doc %lld: not 8-byte keys",
				 (long long)doc);
	}
	if (!st && rc != SQLITE_DONE)
		st = store_fail(db, "dedup keys");
	sqlite3_reset(s);
	return st;
}

static chr_status sync_row(dedup_recent *r, int64_t doc,
			   const unsigned char *b, size_t n, void *ctx)
{
	(void)ctx;
	if (r->paras) { /* another connection's doc: its paragraphs are not
			 * in the filter */
		dedup_pfilt_free(r->paras);
		r->paras = NULL;
		r->asked = 0;
	}
	return add_blob(r, doc, b, n);
}

/* Load the rows of docs newer than r->last. */
static chr_status recent_sync(chr_db *db, dedup_recent *r)
{
	return each_row(db, r, sync_row, NULL);
}

/* The first load, of the rows of docs newer than r->last into empty
 * lists: all their keys are read first, then each generation is filed
 * in bulk (dedup_plist_build), with the same generations and lists that
 * filing them one by one (recent_sync) gives.  At a million articles
 * that is ~4 M keys, one cache miss each when filed one by one: ~1 s of
 * every ingest's start on such a store. */
typedef struct pending {
	uint64_t *keys;
	uint32_t *off;
	size_t n, kcap, ocap;
	int64_t base;
} pending;

static chr_status pending_file(dedup_recent *r, pending *p)
{
	chr_status st = dedup_plist_build(&r->gen[r->cur], p->keys, p->off,
					  p->base, p->n);
	p->n = 0;
	return st;
}

static chr_status load_row(dedup_recent *r, int64_t doc,
			   const unsigned char *b, size_t n, void *ctx)
{
	pending *p = ctx;
	chr_status st;
	if (doc - p->base > (int64_t)UINT32_MAX)
		return CHR_EDB;
	if (r->ndocs[r->cur] >= dedup_recent_gen) { /* as recent_add */
		if ((st = pending_file(r, p)))
			return st;
		gen_next(r);
	}
	r->ndocs[r->cur]++;
	r->last = doc;
	size_t nk = n / KEY_BYTES;
	/* bounded: the window's docs times the keys each row has */
	if (dedup_grow((void **)&p->keys, &p->kcap, p->n + nk,
		       sizeof *p->keys) ||
	    dedup_grow((void **)&p->off, &p->ocap, p->n + nk, sizeof *p->off))
		return CHR_ENOMEM;
	for (size_t i = 0; i < nk; i++) {
		p->keys[p->n] = get_key(b + i * KEY_BYTES);
		p->off[p->n++] = (uint32_t)(doc - p->base);
	}
	return CHR_OK;
}

static chr_status recent_load(chr_db *db, dedup_recent *r)
{
	pending p = { .base = r->last };
	chr_status st = each_row(db, r, load_row, &p);
	if (!st)
		st = pending_file(r, &p);
	free(p.keys);
	free(p.off);
	return st;
}

/* The pager's data version while a read or write transaction is open
 * (0 when none is, or the VFS cannot tell).  SQLite moves it when a
 * transaction starts on a file another connection has changed (and at
 * this connection's commits), so while it stays put and a transaction is
 * open, the snapshot holds no dedup_keyset row of another connection
 * that the last sync did not see: this connection's own rows are filed
 * by dedup_recent_put as they are written. */
static int snapshot_dv(chr_db *db, unsigned *dv)
{
	if (sqlite3_txn_state(db->h, "main") == SQLITE_TXN_NONE)
		return 0;
	return sqlite3_file_control(db->h, "main", SQLITE_FCNTL_DATA_VERSION,
				    dv) == SQLITE_OK;
}

/* db's lists, or NULL when it has none (yet, or its cache holds
 * something else). */
static dedup_recent *recent_peek(chr_db *db)
{
	return db->cache_free == recent_free ? db->cache : NULL;
}

/* The db's lists, built on first use; with sync (once per article, see
 * dedup_recent_sync) also brought up to date with other connections'
 * commits.  Within one transaction nobody else commits, so the lookups
 * and inserts of one article need no further sync; and the sync itself
 * (an index seek that deepens as the store grows) is skipped when a
 * transaction is open and the data version is the last sync's (see
 * snapshot_dv): its SELECT would return no row. */
static chr_status recent_of(chr_db *db, dedup_recent **out, int sync)
{
	dedup_recent *r = recent_peek(db);
	chr_status st = CHR_OK;
	if (!r) {
		store_drop_cache(db);
		int64_t max;
		if ((st = store_int(db, ST_DD_KEYS_MAX, "dedup keys", &max)))
			return st;
		if (!(r = calloc(1, sizeof *r)))
			return CHR_ENOMEM;
		int64_t win = 2 * (int64_t)dedup_recent_gen;
		r->last = max > win ? max - win : 0;
		db->cache = r;
		db->cache_free = recent_free;
		if ((st = recent_load(db, r))) {
			store_drop_cache(db);
			return st;
		}
		r->dv_ok = snapshot_dv(db, &r->dv);
		sync = 0; /* just read: the next article's sync catches up */
	}
	unsigned dv;
	if (sync && (!r->dv_ok || !snapshot_dv(db, &dv) || dv != r->dv)) {
		r->dv_ok = 0;
		st = recent_sync(db, r);
		if (!st)
			r->dv_ok = snapshot_dv(db, &r->dv);
	}
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

chr_status dedup_recent_prefetch(chr_db *db, const uint64_t *keys, size_t n)
{
	dedup_recent *r;
	chr_status st = recent_of(db, &r, 0);
	for (size_t i = 0; !st && i < n; i++) {
		dedup_plist_prefetch(&r->gen[0], keys[i]);
		dedup_plist_prefetch(&r->gen[1], keys[i]);
	}
	/* then each key's chunk: the slots are on their way, and the
	 * chunks' misses overlap instead of one per key read */
	for (size_t i = 0; !st && i < n; i++) {
		dedup_plist_prefetch_chunk(&r->gen[0], keys[i]);
		dedup_plist_prefetch_chunk(&r->gen[1], keys[i]);
	}
	return st;
}

/* Sort a doc's few keys (DEDUP_RECENT_MAXKEYS at most): insertion sort,
 * a fifth of qsort's instructions at ~35 keys. */
static void sort_u64(uint64_t *v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		uint64_t x = v[i];
		size_t j = i;
		for (; j && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* Pure (no store): dedup_features makes it on the text side, so the
 * store thread does not sort and pack the keys of every article. */
size_t dedup_keys_blob(const uint64_t *keys, size_t nkeys, unsigned char *blob)
{
	uint64_t sorted[DEDUP_RECENT_MAXKEYS];
	if (nkeys > DEDUP_RECENT_MAXKEYS)
		nkeys = DEDUP_RECENT_MAXKEYS;
	memcpy(sorted, keys, nkeys * sizeof *keys);
	sort_u64(sorted, nkeys);
	size_t len = 0;
	for (size_t i = 0; i < nkeys; i++) {
		if (i && sorted[i] == sorted[i - 1])
			continue;
		put_key(blob + len, sorted[i]);
		len += KEY_BYTES;
	}
	return len;
}

chr_status dedup_recent_put(chr_db *db, int64_t doc, const uint64_t *keys,
			    size_t nkeys, const unsigned char *blob, size_t len)
{
	if (nkeys > DEDUP_RECENT_MAXKEYS)
		return CHR_EINVAL;
	dedup_recent *r;
	chr_status st = recent_of(db, &r, 0);
	if (st)
		return st;
	sqlite3_stmt *s = store_stmt(db, ST_DD_KEY_PUT);
	if (!s)
		return CHR_EDB;
	sqlite3_bind_int64(s, 1, doc);
	sqlite3_bind_blob(s, 2, len ? (const void *)blob : "", (int)len,
			  SQLITE_STATIC);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		st = store_fail(db, "dedup keys");
	/* in memory in the caller's order, repeats included, as before */
	for (size_t i = 0; i < nkeys && !st; i++)
		st = recent_add(r, keys[i], doc);
	if (st)
		store_drop_cache(db);
	return st;
}

dedup_docs *dedup_recent_docs(chr_db *db)
{
	dedup_recent *r;
	if (!db->in_tx || recent_of(db, &r, 0))
		return NULL;
	if (!r->docs)
		r->docs = dedup_docs_new(db->ents_version);
	else
		dedup_docs_check(r->docs, db->ents_version);
	return r->docs;
}

chr_status dedup_recent_sync(chr_db *db)
{
	dedup_recent *r;
	return recent_of(db, &r, 1);
}

/* A filter of every stored paragraph hash, sized for at least want and
 * for twice the rows the tables hold: counting them reads only the
 * B-trees' pages, not each row, and saves the restarts a filter sized
 * from nothing made (a store of 984k articles, 4.3 M rows: five
 * restarts, 6.9 M rows read and added instead of 4.3 M).  The scan
 * still restarts with a bigger filter if it finds more (rows another
 * connection added meanwhile). */
static chr_status paras_build(chr_db *db, dedup_recent *r, size_t want)
{
	int64_t rows;
	chr_status st = store_int(db, ST_DD_PARA_COUNT, "dedup paragraph count",
				  &rows);
	if (st)
		return st;
	if (rows > 0 && (uint64_t)rows <= SIZE_MAX / 4 && want < 2 * (size_t)rows)
		want = 2 * (size_t)rows;
	sqlite3_stmt *s = store_stmt(db, ST_DD_PARA_ALL);
	if (!s)
		return CHR_EDB;
	dedup_pfilt *f = dedup_pfilt_new(want);
	int rc = SQLITE_DONE;
	r->pscanned = 0;
	while (f && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		dedup_pfilt_add(f, (uint64_t)sqlite3_column_int64(s, 0));
		r->pscanned++;
		if (dedup_pfilt_full(f)) { /* again, four times the size */
			want = 4 * dedup_pfilt_count(f);
			dedup_pfilt_free(f);
			sqlite3_reset(s);
			f = dedup_pfilt_new(want);
		}
	}
	sqlite3_reset(s);
	if (!f)
		return CHR_ENOMEM;
	if (rc != SQLITE_DONE) {
		dedup_pfilt_free(f);
		return store_fail(db, "dedup paragraph hashes");
	}
	r->paras = f;
	r->pwant = 2 * dedup_pfilt_count(f);
	return CHR_OK;
}

chr_status dedup_recent_paras_may(chr_db *db, const uint64_t *h, size_t n,
				  unsigned char *may)
{
	dedup_recent *r;
	chr_status st = recent_of(db, &r, 0);
	if (st)
		return st;
	if (!r->paras && r->asked >= dedup_pfilt_after) {
		st = paras_build(db, r, r->pwant);
		if (st == CHR_ENOMEM) { /* no filter: ask the table, try later */
			r->asked = 0;
			st = CHR_OK;
		}
		if (st)
			return st;
	}
	for (size_t i = 0; i < n; i++)
		may[i] = !r->paras || dedup_pfilt_may(r->paras, h[i]);
	if (!r->paras)
		r->asked += n;
	return CHR_OK;
}

size_t dedup_recent_paras_scanned(chr_db *db)
{
	const dedup_recent *r = recent_peek(db);
	return r ? r->pscanned : 0;
}

chr_status dedup_recent_paras_put(chr_db *db, const uint64_t *h, size_t n)
{
	dedup_recent *r;
	chr_status st = recent_of(db, &r, 0);
	if (st || !r->paras)
		return st;
	for (size_t i = 0; i < n; i++)
		dedup_pfilt_add(r->paras, h[i]);
	if (dedup_pfilt_full(r->paras)) { /* rebuilt bigger when next asked */
		r->pwant = 4 * dedup_pfilt_count(r->paras);
		dedup_pfilt_free(r->paras);
		r->paras = NULL;
		r->asked = dedup_pfilt_after;
	}
	return CHR_OK;
}
