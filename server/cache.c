/*
 * cache: finished GET /api responses, kept while the database is
 * unchanged.
 *
 * Design note: a list page is the same bytes for every reader until
 * something is stored, and building it can cost milliseconds (the event
 * list gathers each event's articles and top entities), so the first
 * reader builds it and the rest get the very same libmicrohttpd response
 * object: libmicrohttpd counts its references, so one response can be
 * queued on many connections in many pool threads at once, and the cache
 * holds one reference of its own.
 *
 * The key is the raw request target (path and query string, as sent).
 * Validity is SQLite's PRAGMA data_version, read on a connection of the
 * cache's own that never writes: every commit, by a POST through a
 * worker's connection or by a `chronicle ingest` in another process,
 * comes from another connection and so changes the number.  Each lookup
 * reads it first (no table is read; it is a look at the WAL index) and
 * drops every entry when it moved.  An entry is stored only if no change
 * was seen between its lookup and its store (the generation), and its
 * content was read after that lookup, so an entry is never older than the
 * version it is filed under.  A successful POST also drops everything
 * itself, which does not depend on the order in which the two
 * connections see the commit.
 *
 * Bounds: SRV_CACHE_ENTRIES entries, SRV_CACHE_BYTES bytes in all, no
 * entry over SRV_CACHE_MAX_ENTRY bytes or with a key over
 * SRV_CACHE_MAX_KEY; the least recently used entry goes first.  One
 * mutex guards everything; it is held for a lookup (a key compare per
 * entry, the data_version read) and for queueing a hit, never while a
 * response is built.
 */
#include "server.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
	char *key;
	size_t klen;
	uint64_t hash;
	struct MHD_Response *res; /* the cache's reference */
	size_t bytes;
	uint64_t used;            /* LRU clock */
} entry;

static struct {
	pthread_mutex_t mu;
	chr_db *watch;    /* asks data_version only; NULL: cache off */
	int64_t version;
	int have_version;
	uint64_t gen;     /* bumped whenever the entries are dropped */
	entry e[SRV_CACHE_ENTRIES];
	size_t n, bytes;
	uint64_t clock;
	srv_cache_stats st;
} C = { .mu = PTHREAD_MUTEX_INITIALIZER };

static uint64_t hash_key(const char *k, size_t n)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)k[i]) * 1099511628211ull;
	return h;
}

static void drop(size_t i)
{
	C.bytes -= C.e[i].bytes;
	free(C.e[i].key);
	MHD_destroy_response(C.e[i].res);
	C.e[i] = C.e[--C.n];
}

static void drop_all(void)
{
	while (C.n)
		drop(C.n - 1);
	C.gen++;
}

int srv_cache_init(const char *db_path)
{
	if (chr_db_open(db_path, &C.watch))
		C.watch = NULL;
	return C.watch ? 0 : -1;
}

void srv_cache_free(void)
{
	pthread_mutex_lock(&C.mu);
	drop_all();
	chr_db_close(C.watch);
	C.watch = NULL;
	pthread_mutex_unlock(&C.mu);
}

/* With the lock held: 0 when the cache may be used, after dropping the
 * entries if the database changed. */
static int check_version(void)
{
	int64_t v;
	if (!C.watch || chr_db_data_version(C.watch, &v))
		return -1;
	if (!C.have_version || v != C.version) {
		if (C.n)
			C.st.invalidations++;
		drop_all();
		C.version = v;
		C.have_version = 1;
	}
	return 0;
}

int srv_cache_serve(const char *key, size_t klen, void *conn,
		    uint64_t *gen, int *queued)
{
	*queued = 0;
	if (!key || klen > SRV_CACHE_MAX_KEY)
		return -1;
	uint64_t h = hash_key(key, klen);
	pthread_mutex_lock(&C.mu);
	if (check_version()) {
		pthread_mutex_unlock(&C.mu);
		return -1;
	}
	*gen = C.gen;
	for (size_t i = 0; i < C.n; i++) {
		entry *e = &C.e[i];
		if (e->hash != h || e->klen != klen || memcmp(e->key, key, klen))
			continue;
		e->used = ++C.clock;
		C.st.hits++;
		/* queued under the lock: the entry cannot be dropped between
		 * finding it and libmicrohttpd taking its own reference */
		*queued = MHD_queue_response(conn, MHD_HTTP_OK, e->res) == MHD_YES
			  ? 1 : -1;
		pthread_mutex_unlock(&C.mu);
		return 0;
	}
	C.st.misses++;
	pthread_mutex_unlock(&C.mu);
	return 0;
}

void srv_cache_store(const char *key, size_t klen, uint64_t gen,
		     void *response, size_t bytes)
{
	struct MHD_Response *res = response;
	char *k = NULL;
	if (bytes > SRV_CACHE_MAX_ENTRY || klen > SRV_CACHE_MAX_KEY ||
	    !(k = malloc(klen + 1))) {
		MHD_destroy_response(res);
		return;
	}
	memcpy(k, key, klen);
	k[klen] = '\0';
	uint64_t h = hash_key(key, klen);
	pthread_mutex_lock(&C.mu);
	int stale = gen != C.gen;
	for (size_t i = 0; i < C.n && !stale; i++)
		if (C.e[i].hash == h && C.e[i].klen == klen &&
		    !memcmp(C.e[i].key, key, klen))
			stale = 1; /* another thread stored it meanwhile */
	if (stale) {
		pthread_mutex_unlock(&C.mu);
		free(k);
		MHD_destroy_response(res);
		return;
	}
	while (C.n && (C.n == SRV_CACHE_ENTRIES ||
		       C.bytes + bytes > SRV_CACHE_BYTES)) {
		size_t old = 0;
		for (size_t i = 1; i < C.n; i++)
			if (C.e[i].used < C.e[old].used)
				old = i;
		drop(old);
		C.st.evictions++;
	}
	entry *e = &C.e[C.n++];
	e->key = k;
	e->klen = klen;
	e->hash = h;
	e->res = res;
	e->bytes = bytes;
	e->used = ++C.clock;
	C.bytes += bytes;
	C.st.stores++;
	pthread_mutex_unlock(&C.mu);
}

void srv_cache_invalidate(void)
{
	pthread_mutex_lock(&C.mu);
	if (C.n)
		C.st.invalidations++;
	drop_all();
	pthread_mutex_unlock(&C.mu);
}

void srv_cache_get_stats(srv_cache_stats *out)
{
	pthread_mutex_lock(&C.mu);
	*out = C.st;
	out->entries = C.n;
	out->bytes = C.bytes;
	out->enabled = C.watch != NULL;
	pthread_mutex_unlock(&C.mu);
}
