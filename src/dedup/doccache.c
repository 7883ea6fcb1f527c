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
 * transaction nothing is cached (recent.c hands out no cache).
 *
 * The rows are kept in two generations, each with a ceiling (DOCS_MAX
 * rows, DOCS_BYTES of sets): a row goes into the newer, and when that is
 * full (or an allocation fails) the older is emptied and takes the
 * puts.  A cache emptied whole at its ceiling, as it was, held some
 * 65,000 synthetic articles (64 MB of sets) and then none, while the
 * candidates come from the last 65,536 to 131,072 articles (recent.c):
 * after each emptying every candidate was a SELECT again, a random read
 * in a 1 GB table once the store is big.  Two generations always hold
 * the last DOCS_BYTES or more of rows.  Memory: at most 2 x DOCS_BYTES of
 * sets, plus 40 bytes a row.
 */
#include "dedup.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"

/* A generation's ceiling: rows, and bytes of sets. */
#define DOCS_MAX ((size_t)1 << 17)
#define DOCS_BYTES ((size_t)80 << 20)

typedef struct doc_ent {
	int64_t grp;
	uint32_t nwords, nset;
	int tier;
	char published[11];
	uint32_t *set; /* in mem */
} doc_ent;

typedef struct doc_gen {
	dedup_map byid; /* doc id -> index in e */
	doc_ent *e;
	size_t n, cap;
	arena mem;      /* the sets */
} doc_gen;

/* g[cur] takes the puts; g[!cur] is the generation before it. */
struct dedup_docs {
	doc_gen g[2];
	int cur;
	int64_t version; /* db->ents_version the rows are valid for */
};

dedup_docs *dedup_docs_new(int64_t version)
{
	dedup_docs *c = calloc(1, sizeof *c);
	if (c) {
		arena_init(&c->g[0].mem, DOCS_BYTES);
		arena_init(&c->g[1].mem, DOCS_BYTES);
		c->version = version;
	}
	return c;
}

static void gen_clear(doc_gen *g)
{
	dedup_map_free(&g->byid);
	arena_reset(&g->mem);
	g->n = 0;
}

static void gen_free(doc_gen *g)
{
	dedup_map_free(&g->byid);
	arena_free(&g->mem);
	free(g->e);
}

void dedup_docs_free(dedup_docs *c)
{
	if (!c)
		return;
	gen_free(&c->g[0]);
	gen_free(&c->g[1]);
	free(c);
}

void dedup_docs_check(dedup_docs *c, int64_t version)
{
	if (c->version != version) {
		gen_clear(&c->g[0]);
		gen_clear(&c->g[1]);
		c->version = version;
	}
}

static const doc_ent *gen_get(const doc_gen *g, int64_t id)
{
	uint32_t *v = dedup_map_slot((dedup_map *)&g->byid, (uint64_t)id, 0);
	return v ? &g->e[*v] : NULL;
}

int dedup_docs_get(const dedup_docs *c, int64_t id, int want_set,
		   dedup_doc *d)
{
	const doc_ent *e = gen_get(&c->g[c->cur], id); /* the newer first */
	if (!e && !(e = gen_get(&c->g[!c->cur], id)))
		return 0;
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

void dedup_docs_prefetch(const dedup_docs *c, const int64_t *ids, size_t n)
{
	const doc_gen *g[2] = {&c->g[c->cur], &c->g[!c->cur]};
	const doc_ent *e[DEDUP_VERIFY_MAX];
	if (n > DEDUP_VERIFY_MAX)
		n = DEDUP_VERIFY_MAX;
	for (size_t i = 0; i < n; i++)
		for (int k = 0; k < 2; k++)
			dedup_map_prefetch(&g[k]->byid, (uint64_t)ids[i]);
	for (size_t i = 0; i < n; i++) {
		if (!(e[i] = gen_get(g[0], ids[i])))
			e[i] = gen_get(g[1], ids[i]);
		if (e[i])
			__builtin_prefetch(e[i]);
	}
	for (size_t i = 0; i < n; i++)
		if (e[i] && e[i]->set)
			__builtin_prefetch(e[i]->set);
}

/* Put the row; -1 when there is no room (the caller starts a new
 * generation). */
static int gen_put(doc_gen *g, const dedup_doc *d, const uint32_t *set,
		   size_t nset)
{
	if (nset > UINT32_MAX / 4 || g->n >= DOCS_MAX)
		return -1;
	uint32_t *v = dedup_map_slot(&g->byid, (uint64_t)d->id, 1);
	if (!v)
		return -1;
	if (*v == UINT32_MAX) { /* new */
		if (g->n == g->cap) {
			size_t cap = g->cap ? 2 * g->cap : 1024;
			doc_ent *e = realloc(g->e, cap * sizeof *e);
			if (!e)
				return -1;
			g->e = e;
			g->cap = cap;
		}
		*v = (uint32_t)g->n++;
		g->e[*v].set = NULL; /* (filled below) */
		g->e[*v].nset = 0;
	}
	doc_ent *e = &g->e[*v];
	uint32_t *s = nset ? arena_alloc(&g->mem, nset * 4) : NULL;
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
	doc_gen *g = &c->g[c->cur];
	if (!gen_put(g, d, set, nset))
		return;
	/* full (or out of memory): the older generation goes, this one
	 * becomes it, and the row starts a new one, once.  A half-made
	 * entry of the full one may stay: its row is the one being put,
	 * which the new generation answers for first. */
	gen_clear(&c->g[!c->cur]);
	c->cur = !c->cur;
	g = &c->g[c->cur];
	if (gen_put(g, d, set, nset)) {
		gen_clear(&c->g[0]); /* no room for one row: nothing stays */
		gen_clear(&c->g[1]);
	}
}

void dedup_docs_regroup(dedup_docs *c, int64_t from, int64_t into)
{
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < c->g[k].n; i++)
			if (c->g[k].e[i].grp == from)
				c->g[k].e[i].grp = into;
}
