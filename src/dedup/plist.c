/*
 * plist: 64-bit-keyed posting lists in memory, newest first.
 *
 * Design note: both in-memory dedup indexes (memidx.c for the benchmark
 * and tests, recent.c for the store's window of recent band keys) need
 * the same two things: an open-addressing map from a 64-bit key to a
 * 32-bit value, and per-key lists of doc ids where the newest is read
 * first.  Nothing reads more than a key's DEDUP_POSTINGS newest ids, so
 * a list keeps only those: each key has one chunk in one array of 64-bit
 * words, which grows by copying into a new chunk of twice the ids plus one
 * (1, 3, 7, 15, 31, then DEDUP_PLIST_KEEP, where it becomes a ring that
 * drops its oldest id); an outgrown chunk goes on a free list by size and
 * is the next chunk of that size.  So a key seen once costs two words, a
 * busy key 33, and reading a key is one cache
 * miss (prefetched ahead: dedup_plist_prefetch_chunk) and a few lines in
 * a row.  (Linked one id a node, reading a busy key was 32 dependent
 * misses, and in chunks linked newest first still ~66 an article, most of
 * them not prefetched: once the store's lists filled up, that walk was
 * the store thread's hottest loop, bench/RESULTS.md.)  Adding is
 * amortised O(1) with no per-key allocation.  Keys are already hashes
 * (XXH3), so the map only mixes them with a multiply.
 */
#include "dedup.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NONE UINT32_MAX

static size_t slot_of(uint64_t key, size_t cap)
{
	return (size_t)(key * 0x9E3779B97F4A7C15ULL >> 20) & (cap - 1);
}

void dedup_map_prefetch(const dedup_map *m, uint64_t key)
{
	if (m->cap)
		__builtin_prefetch(&m->s[slot_of(key, m->cap)]);
}

/* Rehash m into cap slots (a power of two, more than m->n). */
static int map_resize(dedup_map *m, size_t cap)
{
	dedup_slot *s = malloc(cap * sizeof *s);
	if (!s)
		return -1;
	for (size_t i = 0; i < cap; i++)
		s[i].val = NONE;
	for (size_t i = 0; i < m->cap; i++) {
		if (m->s[i].val == NONE)
			continue;
		size_t h = slot_of(m->s[i].key, cap);
		while (s[h].val != NONE)
			h = (h + 1) & (cap - 1);
		s[h] = m->s[i];
	}
	free(m->s);
	m->s = s;
	m->cap = cap;
	return 0;
}

static int map_grow(dedup_map *m)
{
	return map_resize(m, m->cap ? m->cap * 2 : 1024);
}

/* The index of key's slot, or of the empty slot where it would go. */
static size_t probe(const dedup_map *m, uint64_t key)
{
	size_t h = slot_of(key, m->cap);
	while (m->s[h].val != NONE && m->s[h].key != key)
		h = (h + 1) & (m->cap - 1);
	return h;
}

uint32_t *dedup_map_slot(dedup_map *m, uint64_t key, int add)
{
	if (add && (m->n + 1) * 2 > m->cap && map_grow(m))
		return NULL;
	if (!m->cap)
		return NULL;
	size_t h = probe(m, key);
	if (m->s[h].val == NONE) {
		if (!add)
			return NULL;
		m->s[h].key = key;
		m->n++;
	}
	return &m->s[h].val;
}

static uint32_t map_get(const dedup_map *m, uint64_t key)
{
	return m->cap ? m->s[probe(m, key)].val : NONE;
}

void dedup_map_free(dedup_map *m)
{
	free(m->s);
	m->s = NULL;
	m->cap = m->n = 0;
}

size_t dedup_map_bytes(const dedup_map *m)
{
	return m->cap * sizeof *m->s;
}

/* A key's chunk at word c: w[c] is its header (in the low 32 bits the
 * slot of its oldest id, which moves once the chunk is a full ring; its
 * capacity in bits 32-47 and the ids it holds in bits 48-63), w[c + 1 ..
 * c + cap] its ids, oldest first from that slot round. */
#define HDR(first, cap, n) \
	((uint64_t)(first) | (uint64_t)(cap) << 32 | (uint64_t)(n) << 48)

static uint32_t hdr_first(uint64_t h) { return (uint32_t)h; }
static uint32_t hdr_cap(uint64_t h) { return (uint32_t)(h >> 32) & 0xffff; }
static uint32_t hdr_n(uint64_t h) { return (uint32_t)(h >> 48); }

/* The free list of chunks of cap ids, or NULL: a chunk that grows has
 * 2^k - 1 ids (1, 3, 7, 15, 31), then DEDUP_PLIST_KEEP. */
static uint32_t *freed_of(dedup_plist *l, uint32_t cap)
{
	unsigned k = (unsigned)__builtin_ctz(cap + 1) - 1;
	if (cap >= DEDUP_PLIST_KEEP || (cap & (cap + 1)) ||
	    k >= sizeof l->freed / sizeof l->freed[0])
		return NULL;
	return &l->freed[k];
}

/* A new chunk of cap ids: its word, or NONE when out of memory (or past
 * the 32-bit word offsets); its header is the caller's to write.  An
 * outgrown chunk of the same size is taken first: it was copied from
 * a moment ago, so it is in cache, and it takes no fresh memory (about
 * a fifth of a store's words were such chunks left behind). */
static uint32_t chunk_new(dedup_plist *l, uint32_t cap)
{
	uint32_t *f = freed_of(l, cap);
	if (f && *f) {
		uint32_t c = *f - 1;
		*f = (uint32_t)l->w[c];
		return c;
	}
	size_t need = l->nw + 1 + cap;
	if (need >= NONE || (need > l->wcap &&
			     dedup_grow((void **)&l->w, &l->wcap, need,
					sizeof *l->w)))
		return NONE;
	uint32_t c = (uint32_t)l->nw;
	l->nw = need;
	return c;
}

chr_status dedup_plist_add(dedup_plist *l, uint64_t key, int64_t id)
{
	uint32_t *v = dedup_map_slot(&l->heads, key, 1);
	if (!v)
		return CHR_ENOMEM;
	uint32_t old = *v, n = 0, cap = 1;
	if (old != NONE) {
		uint64_t *h = &l->w[old];
		uint32_t f = hdr_first(*h), c = hdr_cap(*h);
		n = hdr_n(*h);
		if (h[1 + (f + n - 1) % c] == (uint64_t)id)
			return CHR_OK; /* the same key twice for one doc */
		if (n < c) { /* (not wrapped yet: f is 0) */
			h[1 + n] = (uint64_t)id;
			*h = HDR(0, c, n + 1);
			return CHR_OK;
		}
		if (c == DEDUP_PLIST_KEEP) { /* a full ring: drop the oldest */
			h[1 + f] = (uint64_t)id;
			*h = HDR((f + 1) % c, c, n);
			return CHR_OK;
		}
		cap = 2 * c + 1 < DEDUP_PLIST_KEEP ? 2 * c + 1
						   : DEDUP_PLIST_KEEP;
	}
	uint32_t c = chunk_new(l, cap); /* (may move l->w, not v) */
	if (c == NONE)
		return CHR_ENOMEM;
	uint64_t *h = &l->w[c];
	if (n) { /* the old chunk's ids, oldest first; it is freed */
		memcpy(h + 1, &l->w[old + 1], n * sizeof *h);
		uint32_t *f = freed_of(l, n);
		if (f) {
			l->w[old] = *f;
			*f = old + 1;
		}
	}
	h[1 + n] = (uint64_t)id;
	*h = HDR(0, cap, n + 1);
	*v = c;
	return CHR_OK;
}

/* Slots a bucket of dedup_plist_build covers: 256 KiB of map, which
 * stays in the core's cache while the bucket's keys are filed. */
#define BUILD_SLOTS 16384

/* How many distinct keys there are among n, a little over rather than
 * under (the map is sized for them before they are filed; a map too
 * small only grows, by a rehash, as dedup_map_slot grows it): linear
 * counting on a bitmap of at least 8 bits a key (under 0.2 % off at that
 * load), at most 2^27 bits.  Keys are hashes, so their bits are a hash. */
static size_t distinct_estimate(const uint64_t *keys, size_t n)
{
	size_t m = 1024;
	while (m < 8 * n && m < ((size_t)1 << 27))
		m *= 2;
	uint64_t *bits = calloc(m / 64, sizeof *bits);
	if (!bits)
		return n;
	for (size_t i = 0; i < n; i++) {
		size_t b = (size_t)(keys[i] >> 7) & (m - 1);
		bits[b / 64] |= (uint64_t)1 << (b % 64);
	}
	size_t set = 0;
	for (size_t i = 0; i < m / 64; i++)
		set += (size_t)__builtin_popcountll(bits[i]);
	free(bits);
	if (set >= m)
		return n;
	double est = (double)m * log((double)m / (double)(m - set));
	size_t d = (size_t)(est * 1.01) + 64;
	return d < n ? d : n;
}

chr_status dedup_plist_build(dedup_plist *l, const uint64_t *keys,
			     const uint32_t *off, int64_t base, size_t n)
{
	if (l->heads.n || l->nw)
		return CHR_EINVAL;
	if (!n)
		return CHR_OK;
	size_t d = distinct_estimate(keys, n), cap = 1024;
	while ((d + 1) * 2 > cap) /* as dedup_map_slot grows */
		cap *= 2;
	if (cap < l->heads.cap)
		cap = l->heads.cap;
	if (cap > l->heads.cap && map_resize(&l->heads, cap))
		return CHR_ENOMEM;
	/* every key once with one id is two words: the least it takes */
	if (dedup_grow((void **)&l->w, &l->wcap, 2 * n, sizeof *l->w))
		return CHR_ENOMEM;
	size_t nb = cap / BUILD_SLOTS ? cap / BUILD_SLOTS : 1;
	size_t per = cap / nb;
	size_t *at = calloc(nb + 1, sizeof *at);
	uint64_t *k2 = malloc(n * sizeof *k2);
	uint32_t *o2 = malloc(n * sizeof *o2);
	chr_status st = at && k2 && o2 ? CHR_OK : CHR_ENOMEM;
	if (!st) { /* a stable counting sort by bucket */
		for (size_t i = 0; i < n; i++)
			at[slot_of(keys[i], cap) / per + 1]++;
		for (size_t b = 0; b < nb; b++)
			at[b + 1] += at[b];
		for (size_t i = 0; i < n; i++) {
			size_t j = at[slot_of(keys[i], cap) / per]++;
			k2[j] = keys[i];
			o2[j] = off[i];
		}
		for (size_t i = 0; i < n && !st; i++)
			st = dedup_plist_add(l, k2[i], base + (int64_t)o2[i]);
	}
	free(at);
	free(k2);
	free(o2);
	return st;
}

size_t dedup_plist_get(const dedup_plist *l, uint64_t key, size_t cap,
		       int64_t *out)
{
	uint32_t c = map_get(&l->heads, key);
	if (c == NONE)
		return 0;
	const uint64_t *h = &l->w[c];
	uint32_t f = hdr_first(*h), cc = hdr_cap(*h), n = hdr_n(*h);
	size_t k = 0;
	uint32_t i = (f + n) % cc; /* one past the newest */
	for (; k < n && k < cap; k++) { /* newest first */
		i = i ? i - 1 : cc - 1;
		out[k] = (int64_t)h[1 + i];
	}
	return k;
}

void dedup_plist_prefetch(const dedup_plist *l, uint64_t key)
{
	dedup_map_prefetch(&l->heads, key);
}

void dedup_plist_prefetch_chunk(const dedup_plist *l, uint64_t key)
{
	uint32_t c = map_get(&l->heads, key);
	if (c != NONE)
		__builtin_prefetch(&l->w[c]);
}

void dedup_plist_free(dedup_plist *l)
{
	dedup_map_free(&l->heads);
	free(l->w);
	l->w = NULL;
	l->nw = l->wcap = 0;
	memset(l->freed, 0, sizeof l->freed);
}

void dedup_plist_clear(dedup_plist *l)
{
	for (size_t i = 0; i < l->heads.cap; i++)
		l->heads.s[i].val = NONE;
	l->heads.n = 0;
	l->nw = 0;
	memset(l->freed, 0, sizeof l->freed);
}

void dedup_plist_reserve(dedup_plist *l, const dedup_plist *like)
{
	if (like->heads.cap > l->heads.cap)
		(void)map_resize(&l->heads, like->heads.cap);
	(void)dedup_grow((void **)&l->w, &l->wcap, like->nw, sizeof *l->w);
}

size_t dedup_plist_bytes(const dedup_plist *l)
{
	return dedup_map_bytes(&l->heads) + l->wcap * sizeof *l->w;
}
