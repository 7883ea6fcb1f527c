/*
 * hash: seeded XXH3 and a linear-probing string map (see hash.h).
 *
 * Design note: XXH3 is compiled in here (XXH_INLINE_ALL, the same
 * algorithm and values as the shared library) because nearly every call
 * hashes a short word or name, where the call into the library and its
 * dispatch cost as much as the hash.
 */
#include "hash.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

static uint64_t g_seed;
static int g_seeded;

uint64_t hash_seed(void)
{
	if (!g_seeded) {
		uint64_t s = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
		s ^= (uint64_t)(uintptr_t)&s;
		g_seed = XXH3_64bits(&s, sizeof s);
		g_seeded = 1;
	}
	return g_seed;
}

void hash_set_seed(uint64_t seed)
{
	g_seed = seed;
	g_seeded = 1;
}

uint64_t hash_bytes(const void *p, size_t n)
{
	return XXH3_64bits_withSeed(p, n, g_seeded ? g_seed : hash_seed());
}

uint64_t hash_stable(const void *p, size_t n, uint64_t seed)
{
	return XXH3_64bits_withSeed(p, n, seed);
}

void ht_init(ht *t, size_t max)
{
	t->slots = NULL;
	t->cap = t->count = 0;
	t->max = max ? max : ((size_t)64 << 20);
}

void ht_free(ht *t)
{
	free(t->slots);
	t->slots = NULL;
	t->cap = t->count = 0;
}

static ht_entry *probe(ht_entry *slots, size_t cap, const char *key,
		       size_t klen, uint64_t h)
{
	size_t i = (size_t)h & (cap - 1);
	for (;;) {
		ht_entry *e = &slots[i];
		if (!e->key)
			return e;
		if (e->h == h && e->klen == klen && memcmp(e->key, key, klen) == 0)
			return e;
		i = (i + 1) & (cap - 1);
	}
}

ht_entry *ht_get_h(const ht *t, const char *key, size_t klen, uint64_t h)
{
	if (!t->cap)
		return NULL;
	ht_entry *e = probe(t->slots, t->cap, key, klen, h);
	return e->key ? e : NULL;
}

ht_entry *ht_get(const ht *t, const char *key, size_t klen)
{
	return t->cap ? ht_get_h(t, key, klen, hash_bytes(key, klen)) : NULL;
}

static int rehash(ht *t, size_t cap)
{
	ht_entry *s = calloc(cap, sizeof *s);
	if (!s)
		return -1;
	for (size_t i = 0; i < t->cap; i++) {
		ht_entry *e = &t->slots[i];
		if (e->key)
			*probe(s, cap, e->key, e->klen, e->h) = *e;
	}
	free(t->slots);
	t->slots = s;
	t->cap = cap;
	return 0;
}

int ht_reserve(ht *t, size_t n)
{
	if (n > t->max)
		n = t->max;
	size_t cap = t->cap ? t->cap : 16;
	while (n * 10 > cap * 7)
		cap *= 2;
	return cap > t->cap ? rehash(t, cap) : 0;
}

ht_entry *ht_put(ht *t, const char *key, size_t klen, int *created)
{
	return ht_put_h(t, key, klen, hash_bytes(key, klen), created);
}

ht_entry *ht_put_h(ht *t, const char *key, size_t klen, uint64_t h,
		   int *created)
{
	if ((t->count + 1) * 10 > t->cap * 7) {
		if (rehash(t, t->cap ? t->cap * 2 : 16))
			return NULL;
	}
	ht_entry *e = probe(t->slots, t->cap, key, klen, h);
	if (e->key) {
		if (created)
			*created = 0;
		return e;
	}
	if (t->count >= t->max)
		return NULL;
	e->key = key;
	e->klen = klen;
	e->h = h;
	e->v.ptr = NULL;
	t->count++;
	if (created)
		*created = 1;
	return e;
}
