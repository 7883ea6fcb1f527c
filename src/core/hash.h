/*
 * hash: a seeded string hash and an open-addressing string map.
 *
 * Design note: keys come from untrusted text (words, names, ids), so the
 * hash is XXH3 with a per-process random seed: nobody can feed chronicle a
 * crafted list of words that all collide.  The map stores borrowed key
 * pointers (the caller keeps keys alive, usually in an arena) and a
 * void* or integer value; linear probing with a power-of-two table kept at
 * most 70% full.  It has a ceiling on entries like every growable thing.
 * Internal prefix: ht_ (map) and hash_ (functions).
 */
#ifndef CHR_HASH_H
#define CHR_HASH_H

#include <stddef.h>
#include <stdint.h>
#include "chronicle.h"

/* The process-wide seed; chosen at random on first use unless set. */
uint64_t hash_seed(void);
/* Fix the seed (tests and reproducible model builds). */
void hash_set_seed(uint64_t seed);
uint64_t hash_bytes(const void *p, size_t n);
/* Unseeded, stable hash: for values that are stored (content hashes). */
uint64_t hash_stable(const void *p, size_t n, uint64_t seed);

typedef struct ht_entry {
	const char *key; /* borrowed; NULL = empty slot */
	size_t klen;
	uint64_t h;
	union {
		void *ptr;
		int64_t num;
	} v;
} ht_entry;

typedef struct ht {
	ht_entry *slots;
	size_t cap;   /* power of two */
	size_t count;
	size_t max;   /* ceiling on count (0 = 64M) */
} ht;

void ht_init(ht *t, size_t max);
void ht_free(ht *t);
/* Size the table so that n entries in all fit without growing (a hint
 * for a caller that knows its count, e.g. a word list being loaded):
 * no rehash on the way.  0, or -1 on ENOMEM (the table is unchanged). */
int ht_reserve(ht *t, size_t n);
/* Find key; NULL when absent. */
ht_entry *ht_get(const ht *t, const char *key, size_t klen);
/* Find or insert key; *created says which.  The key pointer is stored as
 * given, so it must outlive the map.  NULL on ENOMEM or over the ceiling. */
ht_entry *ht_put(ht *t, const char *key, size_t klen, int *created);
/* ht_get and ht_put for a caller that has h = hash_bytes(key, klen)
 * already (made on another thread, or used to prefetch). */
ht_entry *ht_get_h(const ht *t, const char *key, size_t klen, uint64_t h);
ht_entry *ht_put_h(ht *t, const char *key, size_t klen, uint64_t h,
		   int *created);

/* A hint: the slot a key of hash h starts at will be read soon. */
static inline void ht_prefetch(const ht *t, uint64_t h)
{
	if (t->cap)
		__builtin_prefetch(&t->slots[(size_t)h & (t->cap - 1)]);
}

#endif
