/*
 * recent: the store's LSH band and anchor keys of recent docs, in memory.
 *
 * Design note: filing ~30 random 64-bit keys per article in a B-tree
 * keyed by key made every commit rewrite one page per key once the index
 * outgrew the page cache, so the ingest rate fell as the store grew
 * (bench/RESULTS.md, "Scale").  Now they are filed by doc, one
 * dedup_keyset row per doc holding all its keys as hex text (one append
 * per article, not one insert per key), and the
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

typedef struct dedup_recent {
	dedup_plist gen[2];
	size_t ndocs[2];
	int cur;         /* the generation being filled */
	int64_t last;    /* newest doc whose keys are in memory */
	int dv_ok;       /* dv is the data version of the last sync */
	unsigned dv;
	dedup_docs *docs; /* doccache.c: rows of dedup_docs, made on use */
} dedup_recent;

static void recent_free(void *p)
{
	dedup_recent *r = p;
	if (!r)
		return;
	dedup_plist_free(&r->gen[0]);
	dedup_plist_free(&r->gen[1]);
	dedup_docs_free(r->docs);
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

/* A doc's keys are stored as one text of 16 lower-case hex digits per
 * key (migration 9), sorted and distinct. */
#define KEY_HEX 16

static int hexval(unsigned char c)
{
	return c >= '0' && c <= '9' ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
				      : -1;
}

/* Parse one key of KEY_HEX hex digits at t; -1 on a digit that is not
 * one. */
static int parse_key(const unsigned char *t, uint64_t *key)
{
	uint64_t k = 0;
	for (size_t i = 0; i < KEY_HEX; i++) {
		int v = hexval(t[i]);
		if (v < 0)
			return -1;
		k = k << 4 | (uint64_t)v;
	}
	*key = k;
	return 0;
}

/* File the keys of doc's stored text under doc; CHR_EDB when the text
 * is not whole keys of hex digits (a damaged row).  Building the lists
 * at open files 2 x DEDUP_RECENT_GEN docs' keys (~4 M at a million
 * articles) into maps of ~100 MB, one cache miss a key: a doc's keys
 * are parsed first and the slots of the first DEDUP_RECENT_MAXKEYS
 * prefetched after its first key is filed (which may start the other
 * generation), so their misses overlap.  The same adds in the same
 * order. */
static chr_status add_hex(dedup_recent *r, int64_t doc,
			  const unsigned char *t, size_t n)
{
	if (n % KEY_HEX)
		return CHR_EDB;
	uint64_t keys[DEDUP_RECENT_MAXKEYS];
	size_t nk = n / KEY_HEX, m = nk < DEDUP_RECENT_MAXKEYS ? nk
								: DEDUP_RECENT_MAXKEYS;
	for (size_t i = 0; i < m; i++)
		if (parse_key(t + i * KEY_HEX, &keys[i]))
			return CHR_EDB;
	chr_status st = CHR_OK;
	for (size_t i = 0; i < nk && !st; i++) {
		uint64_t key;
		if (i < m)
			key = keys[i];
		else if (parse_key(t + i * KEY_HEX, &key))
			return CHR_EDB;
		st = recent_add(r, key, doc);
		if (i == 0)
			for (size_t j = 1; j < m; j++)
				dedup_plist_prefetch(&r->gen[r->cur], keys[j]);
	}
	return st;
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
	while (!st && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t doc = sqlite3_column_int64(s, 0);
		const unsigned char *t = sqlite3_column_text(s, 1);
		size_t n = (size_t)sqlite3_column_bytes(s, 1);
		st = t ? add_hex(r, doc, t, n) : CHR_EDB;
		if (st == CHR_EDB)
			snprintf(db->err, sizeof db->err,
				 "dedup keys of doc %lld: not hex keys",
				 (long long)doc);
	}
	if (!st && rc != SQLITE_DONE)
		st = store_fail(db, "dedup keys");
	sqlite3_reset(s);
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

/* The db's lists, built on first use; with sync (once per article, see
 * dedup_recent_sync) also brought up to date with other connections'
 * commits.  Within one transaction nobody else commits, so the lookups
 * and inserts of one article need no further sync; and the sync itself
 * (an index seek that deepens as the store grows) is skipped when a
 * transaction is open and the data version is the last sync's (see
 * snapshot_dv): its SELECT would return no row. */
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

/* The 8 hex digits of x, most significant first, in one 64-bit word
 * (byte i of the result, in memory order, is digit i): the nibbles are
 * spread one to a byte, then each becomes '0' + d, plus 39 more ('a' -
 * '0' - 10) where d >= 10, all eight at once. */
static uint64_t hex8(uint32_t x)
{
	uint64_t v = x;
	v = (v | v << 16) & 0x0000FFFF0000FFFFULL;
	v = (v | v << 8) & 0x00FF00FF00FF00FFULL;
	v = (v | v << 4) & 0x0F0F0F0F0F0F0F0FULL; /* digit 0 in the top byte */
	uint64_t ten = ((v + 0x0606060606060606ULL) >> 4) & 0x0101010101010101ULL;
	v += 0x3030303030303030ULL + ten * 39;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return __builtin_bswap64(v); /* top byte first in memory */
#elif defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return v;
#else
	unsigned char b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (56 - 8 * i));
	memcpy(&v, b, 8);
	return v;
#endif
}

/* Pure (no store): dedup_features makes it on the text side, so the
 * store thread does not sort and print the keys of every article. */
size_t dedup_keys_text(const uint64_t *keys, size_t nkeys, char *text)
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
		uint64_t hi = hex8((uint32_t)(sorted[i] >> 32));
		uint64_t lo = hex8((uint32_t)sorted[i]);
		memcpy(text + len, &hi, 8);
		memcpy(text + len + 8, &lo, 8);
		len += KEY_HEX;
	}
	text[len] = '\0';
	return len;
}

chr_status dedup_recent_put(chr_db *db, int64_t doc, const uint64_t *keys,
			    size_t nkeys, const char *text, size_t len)
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
	sqlite3_bind_text(s, 2, text, (int)len, SQLITE_STATIC);
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
