/*
 * doccache: the dedup_docs rows the store thread has written or read,
 * in memory.
 *
 * Design note: verifying an article's candidates read each one's row
 * (group, rank fields, shingle set) back from dedup_docs, ~5,000
 * instructions a row (a point lookup, a blob, the statement's reset);
 * on the whole Reuters file that was 98,476 reads, 482 M instructions of
 * the store thread, nearly all of rows it had written itself a few
 * articles before.  So every row the dbidx.c hook writes, and every row
 * with its set it reads, is kept here (the set copied), and a candidate
 * found here costs a map probe (whole Reuters file: d_get_doc 503.0 M
 * -> 18.0 M instructions).  It mirrors rows exactly, as entcache.c
 * does the entities: the only writers of dedup_docs are the dbidx.c
 * hook's upsert (put) and its group merge (regroup), and both are
 * applied here after the statement has succeeded; a rollback drops the
 * cache with the rest of db->cache (store_rollback), and a commit by
 * another connection, seen as a new PRAGMA data_version at the start of
 * a transaction (store_begin, db->ents_version), empties it.  Outside a
 * transaction nothing is cached (recent.c hands out no cache).  The
 * cache has a ceiling (DOCS_MAX rows, DOCS_BYTES of sets): reaching it,
 * or failing to allocate, empties it, which only costs reads.
 */
#include "dedup.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"

#define DOCS_MAX ((size_t)1 << 18)
#define DOCS_BYTES ((size_t)64 << 20)

typedef struct doc_ent {
	int64_t grp;
	uint32_t nwords, nset;
	int tier;
	char published[11];
	uint32_t *set; /* in mem */
} doc_ent;

struct dedup_docs {
	dedup_map byid; /* doc id -> index in e */
	doc_ent *e;
	size_t n, cap;
	arena mem;      /* the sets */
	int64_t version; /* db->ents_version the rows are valid for */
};

dedup_docs *dedup_docs_new(int64_t version)
{
	dedup_docs *c = calloc(1, sizeof *c);
	if (c) {
		arena_init(&c->mem, DOCS_BYTES);
		c->version = version;
	}
	return c;
}

static void docs_clear(dedup_docs *c)
{
	dedup_map_free(&c->byid);
	arena_reset(&c->mem);
	c->n = 0;
}

void dedup_docs_free(dedup_docs *c)
{
	if (!c)
		return;
	dedup_map_free(&c->byid);
	arena_free(&c->mem);
	free(c->e);
	free(c);
}

void dedup_docs_check(dedup_docs *c, int64_t version)
{
	if (c->version != version) {
		docs_clear(c);
		c->version = version;
	}
}

int dedup_docs_get(const dedup_docs *c, int64_t id, int want_set,
		   dedup_doc *d)
{
	uint32_t *v = dedup_map_slot((dedup_map *)&c->byid, (uint64_t)id, 0);
	if (!v)
		return 0;
	const doc_ent *e = &c->e[*v];
	memset(d, 0, sizeof *d);
	d->id = id;
	d->grp = e->grp;
	d->tier = e->tier;
	memcpy(d->published, e->published, sizeof d->published);
	d->nwords = e->nwords;
	d->nset = e->nset;
	if (want_set)
		d->set = e->set;
	return 1;
}

/* Put the row; -1 when there is no room (the caller empties the cache). */
static int docs_put(dedup_docs *c, const dedup_doc *d, const uint32_t *set,
		    size_t nset)
{
	if (nset > UINT32_MAX / 4)
		return -1;
	uint32_t *v = dedup_map_slot(&c->byid, (uint64_t)d->id, 1);
	if (!v)
		return -1;
	if (*v == UINT32_MAX) { /* new */
		if (c->n == c->cap) {
			size_t cap = c->cap ? 2 * c->cap : 1024;
			doc_ent *e = realloc(c->e, cap * sizeof *e);
			if (!e)
				return -1;
			c->e = e;
			c->cap = cap;
		}
		*v = (uint32_t)c->n++;
		c->e[*v].set = NULL; /* (filled below) */
		c->e[*v].nset = 0;
	}
	doc_ent *e = &c->e[*v];
	uint32_t *s = nset ? arena_alloc(&c->mem, nset * 4) : NULL;
	if (nset && !s)
		return -1;
	if (nset)
		memcpy(s, set, nset * 4);
	e->grp = d->grp;
	e->tier = d->tier;
	/* as the row reads back: a date of ten characters, or none */
	memset(e->published, 0, sizeof e->published);
	if (strnlen(d->published, sizeof d->published) == 10)
		memcpy(e->published, d->published, 11);
	e->nwords = d->nwords;
	e->nset = (uint32_t)nset;
	e->set = s;
	return 0;
}

void dedup_docs_put(dedup_docs *c, const dedup_doc *d, const uint32_t *set,
		    size_t nset)
{
	if (c->n >= DOCS_MAX)
		docs_clear(c);
	if (docs_put(c, d, set, nset)) {
		/* a half-made entry must not stay: start again, once */
		docs_clear(c);
		if (docs_put(c, d, set, nset))
			docs_clear(c);
	}
}

void dedup_docs_regroup(dedup_docs *c, int64_t from, int64_t into)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->e[i].grp == from)
			c->e[i].grp = into;
}
