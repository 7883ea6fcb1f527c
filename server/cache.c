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
 * reads it first (no table is read; it is a look at the WAL index); when
 * it moved, the generation goes up and every entry becomes stale.  An
 * entry is filed under the generation of the lookup that missed, and its
 * content was read after that lookup, so it is never older than the
 * generation it claims.
 *
 * A stale entry is rebuilt by one request at a time (single flight): the
 * first request to find it stale claims it and runs the handler, and
 * while it does, other requests for the same target get the stale answer
 * instead of running the same queries in every pool thread at once (a
 * feed that commits every second would otherwise have all threads
 * rebuilding the same page most of the time).  So an answer can be older
 * than the last commit by at most one rebuild, and only while that
 * rebuild runs; with no rebuild under way every answer is current.  A
 * successful POST through this server drops every entry outright, so its
 * client reads its own write.
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
	uint64_t gen;             /* current when equal to C.gen */
	int building;             /* a request is rebuilding it */
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

static void evict_lru(void)
{
	size_t old = 0;
	for (size_t i = 1; i < C.n; i++)
		if (C.e[i].used < C.e[old].used)
			old = i;
	drop(old);
	C.st.evictions++;
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
		C.gen++; /* every entry is stale now */
		C.version = v;
		C.have_version = 1;
	}
	return 0;
}

static entry *find(const char *key, size_t klen, uint64_t h)
{
	for (size_t i = 0; i < C.n; i++)
		if (C.e[i].hash == h && C.e[i].klen == klen &&
		    !memcmp(C.e[i].key, key, klen))
			return &C.e[i];
	return NULL;
}

int srv_cache_serve(const char *key, size_t klen, void *conn,
		    uint64_t *gen, int *claimed, int *queued)
{
	*queued = 0;
	*claimed = 0;
	if (!key || klen > SRV_CACHE_MAX_KEY)
		return -1;
	uint64_t h = hash_key(key, klen);
	pthread_mutex_lock(&C.mu);
	if (check_version()) {
		pthread_mutex_unlock(&C.mu);
		return -1;
	}
	*gen = C.gen;
	entry *e = find(key, klen, h);
	if (e && (e->gen == C.gen || e->building)) {
		e->used = ++C.clock;
		if (e->gen == C.gen)
			C.st.hits++;
		else
			C.st.stale_hits++;
		/* queued under the lock: the entry cannot be dropped between
		 * finding it and libmicrohttpd taking its own reference */
		*queued = MHD_queue_response(conn, MHD_HTTP_OK, e->res) == MHD_YES
			  ? 1 : -1;
		pthread_mutex_unlock(&C.mu);
		return 0;
	}
	if (e) {
		e->building = 1; /* this request rebuilds it */
		*claimed = 1;
	}
	C.st.misses++;
	pthread_mutex_unlock(&C.mu);
	return 0;
}

void srv_cache_store(const char *key, size_t klen, uint64_t gen,
		     int claimed, void *response, size_t bytes)
{
	struct MHD_Response *res = response;
	uint64_t h = hash_key(key, klen);
	char *k = NULL;
	pthread_mutex_lock(&C.mu);
	entry *e = find(key, klen, h);
	if (claimed && e)
		e->building = 0;
	if (res && (bytes > SRV_CACHE_MAX_ENTRY || (e && e->gen > gen)))
		goto discard; /* too big, or a newer answer is there already */
	if (res && e) {
		/* replace the stale answer; readers holding it keep their
		 * own references */
		MHD_destroy_response(e->res);
		C.bytes = C.bytes - e->bytes + bytes;
		e->res = res;
		e->bytes = bytes;
		e->gen = gen;
		e->used = ++C.clock;
		C.st.stores++;
		res = NULL;
		while (C.n > 1 && C.bytes > SRV_CACHE_BYTES)
			evict_lru();
	} else if (res) {
		if (!(k = malloc(klen + 1)))
			goto discard;
		memcpy(k, key, klen);
		k[klen] = '\0';
		while (C.n && (C.n == SRV_CACHE_ENTRIES ||
			       C.bytes + bytes > SRV_CACHE_BYTES))
			evict_lru();
		e = &C.e[C.n++];
		e->key = k;
		e->klen = klen;
		e->hash = h;
		e->res = res;
		e->bytes = bytes;
		e->used = ++C.clock;
		e->gen = gen;
		e->building = 0;
		C.bytes += bytes;
		C.st.stores++;
		res = NULL;
	}
discard:
	pthread_mutex_unlock(&C.mu);
	if (res)
		MHD_destroy_response(res);
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
