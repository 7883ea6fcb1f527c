/*
 * memidx: the dedup index in memory (benchmark, evaluation, unit tests).
 *
 * Design note: the same operations as the SQLite index (dbidx.c), so the
 * engine cannot tell them apart and the benchmark measures exactly the
 * algorithm ingest runs.  Postings are plist.c's lists (newest first);
 * shingle sets live in one pool.  Groups keep a
 * member list so a merge touches only the members of the smaller-id side
 * being folded in.
 */
#include "dedup.h"

#include <stdlib.h>
#include <string.h>

#define NONE UINT32_MAX

typedef struct mdoc {
	int64_t id, grp;
	int tier;
	char published[11];
	uint32_t nwords, nset;
	size_t set;           /* offset in the pool */
	uint32_t next_member; /* doc index, NONE at the end */
} mdoc;

typedef struct mgroup {
	int64_t original, size;
	uint32_t head, tail;  /* member list */
} mgroup;

struct dedup_mem {
	mdoc *doc;
	size_t ndoc, doccap;
	dedup_map byid;       /* id -> doc index */
	uint32_t *pool;
	size_t npool, poolcap;
	dedup_plist keys[2];  /* per key kind */
	mgroup *grp;
	size_t ngrp, grpcap;
	dedup_map bygid;      /* gid -> group index */
};

dedup_mem *dedup_mem_new(void)
{
	return calloc(1, sizeof(dedup_mem));
}

void dedup_mem_free(dedup_mem *m)
{
	if (!m)
		return;
	free(m->doc);
	free(m->pool);
	free(m->grp);
	dedup_map_free(&m->byid);
	dedup_plist_free(&m->keys[0]);
	dedup_plist_free(&m->keys[1]);
	dedup_map_free(&m->bygid);
	free(m);
}

size_t dedup_mem_bytes(const dedup_mem *m)
{
	return m->doccap * sizeof *m->doc + m->poolcap * 4 +
	       m->grpcap * sizeof *m->grp + dedup_map_bytes(&m->byid) +
	       dedup_plist_bytes(&m->keys[0]) + dedup_plist_bytes(&m->keys[1]) +
	       dedup_map_bytes(&m->bygid) + sizeof *m;
}

static mdoc *find_doc(dedup_mem *m, int64_t id)
{
	uint32_t *v = dedup_map_slot(&m->byid, (uint64_t)id, 0);
	return v ? &m->doc[*v] : NULL;
}

static mgroup *find_group(dedup_mem *m, int64_t gid)
{
	uint32_t *v = dedup_map_slot(&m->bygid, (uint64_t)gid, 0);
	return v ? &m->grp[*v] : NULL;
}

int64_t dedup_mem_group(dedup_mem *m, int64_t id)
{
	mdoc *d = find_doc(m, id);
	return d ? d->grp : -1;
}

int64_t dedup_mem_original(dedup_mem *m, int64_t gid)
{
	mgroup *g = find_group(m, gid);
	return g ? g->original : -1;
}

static chr_status m_postings(void *ctx, int kind, uint64_t key, size_t cap,
			     int64_t *out, size_t *n)
{
	dedup_mem *m = ctx;
	*n = dedup_plist_get(&m->keys[kind & 1], key, cap, out);
	return CHR_OK;
}

static chr_status m_get_doc(void *ctx, int64_t id, int want_set, dedup_doc *d)
{
	dedup_mem *m = ctx;
	mdoc *x = find_doc(m, id);
	if (!x)
		return CHR_ENOTFOUND;
	d->id = x->id;
	d->grp = x->grp;
	d->tier = x->tier;
	memcpy(d->published, x->published, sizeof d->published);
	d->nwords = x->nwords;
	d->nset = x->nset;
	d->set = want_set ? m->pool + x->set : NULL;
	return CHR_OK;
}

static chr_status m_put_doc(void *ctx, const dedup_doc *d, const dedup_feat *f)
{
	dedup_mem *m = ctx;
	if (dedup_grow((void **)&m->doc, &m->doccap, m->ndoc + 1, sizeof *m->doc) ||
	    dedup_grow((void **)&m->pool, &m->poolcap, m->npool + f->nset, 4))
		return CHR_ENOMEM;
	uint32_t *slot = dedup_map_slot(&m->byid, (uint64_t)d->id, 1);
	mgroup *g = find_group(m, d->grp);
	if (!slot || !g)
		return slot ? CHR_EINVAL : CHR_ENOMEM;
	uint32_t di = (uint32_t)m->ndoc++;
	*slot = di;
	mdoc *x = &m->doc[di];
	x->id = d->id;
	x->grp = d->grp;
	x->tier = d->tier;
	memcpy(x->published, d->published, sizeof x->published);
	x->nwords = d->nwords;
	x->nset = (uint32_t)f->nset;
	x->set = m->npool;
	memcpy(m->pool + m->npool, f->set, f->nset * 4);
	m->npool += f->nset;
	x->next_member = NONE;
	if (g->tail == NONE)
		g->head = di;
	else
		m->doc[g->tail].next_member = di;
	g->tail = di;
	chr_status st = CHR_OK;
	for (size_t b = 0; b < DEDUP_BANDS && !st && f->nseq; b++)
		st = dedup_plist_add(&m->keys[DEDUP_KEY_LSH], f->band[b], d->id);
	for (size_t k = 0; k < f->nanchor && !st; k++)
		st = dedup_plist_add(&m->keys[DEDUP_KEY_LSH], f->anchor[k], d->id);
	for (size_t p = 0; p < f->npara && !st; p++)
		st = dedup_plist_add(&m->keys[DEDUP_KEY_PARA], f->para[p].hash, d->id);
	return st;
}

static chr_status m_get_group(void *ctx, int64_t gid, int64_t *original,
			      int64_t *size)
{
	mgroup *g = find_group(ctx, gid);
	if (!g)
		return CHR_ENOTFOUND;
	*original = g->original;
	*size = g->size;
	return CHR_OK;
}

static chr_status m_set_group(void *ctx, int64_t gid, int64_t original,
			      int64_t size)
{
	dedup_mem *m = ctx;
	mgroup *g = find_group(m, gid);
	if (!g) {
		if (dedup_grow((void **)&m->grp, &m->grpcap, m->ngrp + 1, sizeof *m->grp))
			return CHR_ENOMEM;
		uint32_t *v = dedup_map_slot(&m->bygid, (uint64_t)gid, 1);
		if (!v)
			return CHR_ENOMEM;
		*v = (uint32_t)m->ngrp;
		g = &m->grp[m->ngrp++];
		g->head = g->tail = NONE;
	}
	g->original = original;
	g->size = size;
	return CHR_OK;
}

static chr_status m_merge_group(void *ctx, int64_t from, int64_t into)
{
	dedup_mem *m = ctx;
	mgroup *f = find_group(m, from), *t = find_group(m, into);
	if (!f || !t)
		return CHR_ENOTFOUND;
	if (f->head == NONE)
		return CHR_OK;
	for (uint32_t i = f->head; i != NONE; i = m->doc[i].next_member)
		m->doc[i].grp = into;
	if (t->tail == NONE)
		t->head = f->head;
	else
		m->doc[t->tail].next_member = f->head;
	t->tail = f->tail;
	f->head = f->tail = NONE;
	f->size = 0;
	return CHR_OK;
}

static void m_prefetch(void *ctx, const uint64_t *keys, size_t n)
{
	dedup_mem *m = ctx;
	for (size_t i = 0; i < n; i++)
		dedup_plist_prefetch(&m->keys[DEDUP_KEY_LSH], keys[i]);
	for (size_t i = 0; i < n; i++) /* (recent.c says why) */
		dedup_plist_prefetch_chunk(&m->keys[DEDUP_KEY_LSH], keys[i]);
}

const dedup_ops dedup_mem_ops = {
	m_postings, m_get_doc, m_put_doc, m_get_group, m_set_group, m_merge_group,
	m_prefetch, NULL, /* (tests and the benchmark: no docs hint) */
};
