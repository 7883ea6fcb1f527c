/*
 * plist: 64-bit-keyed posting lists in memory, newest first.
 *
 * Design note: both in-memory dedup indexes (memidx.c for the benchmark
 * and tests, recent.c for the store's window of recent band keys) need
 * the same two things: an open-addressing map from a 64-bit key to a
 * 32-bit value, and per-key lists of doc ids where the newest is read
 * first.  A key's ids are kept in chunks of one array of 64-bit words,
 * newest chunk first: each chunk holds twice the ids of the one before
 * it, plus one (1, 3, 7, 15, then 31 each), so a key seen once costs two
 * words and reading the 32 newest ids of a busy key touches two or three
 * chunks.  (Linked one id a node, that read was 32 dependent cache
 * misses: once the store's lists filled up, the walk was the store
 * thread's hottest loop, bench/RESULTS.md.)  Adding is amortised O(1)
 * with no per-key allocation.  Keys are already hashes (XXH3), so the
 * map only mixes them with a multiply.
 */
#include "dedup.h"

#include <stdlib.h>

#define NONE UINT32_MAX

static size_t slot_of(uint64_t key, size_t cap)
{
	return (size_t)(key * 0x9E3779B97F4A7C15ULL >> 20) & (cap - 1);
}

static int map_grow(dedup_map *m)
{
	size_t cap = m->cap ? m->cap * 2 : 1024;
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

/* A chunk at word c: w[c] is its header (the next, older chunk's word
 * in the low 32 bits, NONE for none; its capacity in bits 32-47 and the
 * ids it holds in bits 48-63), w[c + 1 ..] its ids, oldest first. */
#define CHUNK_MAX 31 /* ids in a chunk at most */
#define HDR(next, cap, n) \
	((uint64_t)(next) | (uint64_t)(cap) << 32 | (uint64_t)(n) << 48)

static uint32_t hdr_next(uint64_t h) { return (uint32_t)h; }
static uint32_t hdr_cap(uint64_t h) { return (uint32_t)(h >> 32) & 0xffff; }
static uint32_t hdr_n(uint64_t h) { return (uint32_t)(h >> 48); }

/* A new chunk of cap ids holding id, after next: its word, or NONE when
 * out of memory (or past the 32-bit word offsets). */
static uint32_t chunk_new(dedup_plist *l, uint32_t cap, uint32_t next,
			  int64_t id)
{
	size_t need = l->nw + 1 + cap;
	if (need >= NONE || (need > l->wcap &&
			     dedup_grow((void **)&l->w, &l->wcap, need,
					sizeof *l->w)))
		return NONE;
	uint32_t c = (uint32_t)l->nw;
	l->w[c] = HDR(next, cap, 1);
	l->w[c + 1] = (uint64_t)id;
	l->nw = need;
	return c;
}

chr_status dedup_plist_add(dedup_plist *l, uint64_t key, int64_t id)
{
	uint32_t *v = dedup_map_slot(&l->heads, key, 1);
	if (!v)
		return CHR_ENOMEM;
	uint32_t cap = 1;
	if (*v != NONE) {
		uint64_t *h = &l->w[*v];
		uint32_t n = hdr_n(*h), c = hdr_cap(*h);
		if (h[n] == (uint64_t)id)
			return CHR_OK; /* the same key twice for one doc */
		if (n < c) {
			h[n + 1] = (uint64_t)id;
			*h = HDR(hdr_next(*h), c, n + 1);
			return CHR_OK;
		}
		cap = 2 * c + 1 < CHUNK_MAX ? 2 * c + 1 : CHUNK_MAX;
	}
	uint32_t c = chunk_new(l, cap, *v, id); /* (may move l->w, not v) */
	if (c == NONE)
		return CHR_ENOMEM;
	*v = c;
	return CHR_OK;
}

size_t dedup_plist_get(const dedup_plist *l, uint64_t key, size_t cap,
		       int64_t *out)
{
	size_t k = 0;
	for (uint32_t c = map_get(&l->heads, key); c != NONE && k < cap;) {
		const uint64_t *h = &l->w[c];
		for (uint32_t i = hdr_n(*h); i > 0 && k < cap; i--)
			out[k++] = (int64_t)h[i];
		c = hdr_next(*h);
	}
	return k;
}

void dedup_plist_prefetch(const dedup_plist *l, uint64_t key)
{
	if (l->heads.cap)
		__builtin_prefetch(&l->heads.s[slot_of(key, l->heads.cap)]);
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
}

size_t dedup_plist_bytes(const dedup_plist *l)
{
	return dedup_map_bytes(&l->heads) + l->wcap * sizeof *l->w;
}
