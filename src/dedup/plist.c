/*
 * plist: 64-bit-keyed posting lists in memory, newest first.
 *
 * Design note: both in-memory dedup indexes (memidx.c for the benchmark
 * and tests, recent.c for the store's window of recent band keys) need
 * the same two things: an open-addressing map from a 64-bit key to a
 * 32-bit value, and per-key lists of doc ids where the newest is read
 * first.  Lists are singly linked through one array (prepend = append
 * to the array), so adding is amortised O(1) with no per-key allocation
 * and reading the most recent cap ids stops after cap steps.  Keys are
 * already hashes (XXH3), so the map only mixes them with a multiply.
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

chr_status dedup_plist_add(dedup_plist *l, uint64_t key, int64_t id)
{
	uint32_t *v = dedup_map_slot(&l->heads, key, 1);
	if (!v)
		return CHR_ENOMEM;
	if (*v != NONE && l->post[*v].id == id)
		return CHR_OK; /* the same key twice for one doc */
	if (l->npost >= NONE - 1 ||
	    (l->npost == l->postcap && /* (the call only to grow) */
	     dedup_grow((void **)&l->post, &l->postcap, l->npost + 1,
			sizeof *l->post)))
		return CHR_ENOMEM;
	l->post[l->npost].id = id;
	l->post[l->npost].next = *v; /* NONE when new */
	*v = (uint32_t)l->npost++;
	return CHR_OK;
}

size_t dedup_plist_get(const dedup_plist *l, uint64_t key, size_t cap,
		       int64_t *out)
{
	size_t n = 0;
	for (uint32_t p = map_get(&l->heads, key); p != NONE && n < cap;
	     p = l->post[p].next)
		out[n++] = l->post[p].id;
	return n;
}

void dedup_plist_prefetch(const dedup_plist *l, uint64_t key)
{
	if (l->heads.cap)
		__builtin_prefetch(&l->heads.s[slot_of(key, l->heads.cap)]);
}

void dedup_plist_free(dedup_plist *l)
{
	dedup_map_free(&l->heads);
	free(l->post);
	l->post = NULL;
	l->npost = l->postcap = 0;
}

size_t dedup_plist_bytes(const dedup_plist *l)
{
	return dedup_map_bytes(&l->heads) + l->postcap * sizeof *l->post;
}
