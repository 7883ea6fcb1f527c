/*
 * memidx: the dedup index in memory (benchmark, evaluation, unit tests).
 *
 * Design note: the same operations as the SQLite index (dbidx.c), so the
 * engine cannot tell them apart and the benchmark measures exactly the
 * algorithm ingest runs.  Postings are singly linked lists threaded
 * through one array, newest first, found through an open-addressing map
 * from key to list head; shingle sets live in one pool.  Groups keep a
 * member list so a merge touches only the members of the smaller-id side
 * being folded in.
 */
#include "dedup.h"

#include <stdlib.h>
#include <string.h>

#define NONE UINT32_MAX

typedef struct slot {
	uint64_t key;
	uint32_t val;   /* NONE = empty */
} mslot;

typedef struct u64map {
	mslot *s;
	size_t cap, n;
} u64map;

static int map_grow(u64map *m)
{
	size_t cap = m->cap ? m->cap * 2 : 1024;
	mslot *s = malloc(cap * sizeof *s);
	if (!s)
		return -1;
	for (size_t i = 0; i < cap; i++)
		s[i].val = NONE;
	for (size_t i = 0; i < m->cap; i++) {
		if (m->s[i].val == NONE)
			continue;
		size_t h = (size_t)(m->s[i].key * 0x9E3779B97F4A7C15ULL >> 20) & (cap - 1);
		while (s[h].val != NONE)
			h = (h + 1) & (cap - 1);
		s[h] = m->s[i];
	}
	free(m->s);
	m->s = s;
	m->cap = cap;
	return 0;
}

/* The value slot of key; with add, inserted as NONE when absent (the
 * caller sets it).  NULL when absent (or ENOMEM with add). */
static uint32_t *map_slot(u64map *m, uint64_t key, int add)
{
	if (add && (m->n + 1) * 2 > m->cap && map_grow(m))
		return NULL;
	if (!m->cap)
		return NULL;
	size_t h = (size_t)(key * 0x9E3779B97F4A7C15ULL >> 20) & (m->cap - 1);
	while (m->s[h].val != NONE) {
		if (m->s[h].key == key)
			return &m->s[h].val;
		h = (h + 1) & (m->cap - 1);
	}
	if (!add)
		return NULL;
	m->s[h].key = key;
	m->n++;
	return &m->s[h].val;
}

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

typedef struct post {
	int64_t id;
	uint32_t doc, next;
} post;

struct dedup_mem {
	mdoc *doc;
	size_t ndoc, doccap;
	u64map byid;          /* id -> doc index */
	uint32_t *pool;
	size_t npool, poolcap;
	post *post;
	size_t npost, postcap;
	u64map heads[2];      /* per key kind: key -> first post */
	mgroup *grp;
	size_t ngrp, grpcap;
	u64map bygid;         /* gid -> group index */
};

dedup_mem *dedup_mem_new(void)
{
	return calloc(1, sizeof(dedup_mem));
}

static void map_free(u64map *m)
{
	free(m->s);
}

void dedup_mem_free(dedup_mem *m)
{
	if (!m)
		return;
	free(m->doc);
	free(m->pool);
	free(m->post);
	free(m->grp);
	map_free(&m->byid);
	map_free(&m->heads[0]);
	map_free(&m->heads[1]);
	map_free(&m->bygid);
	free(m);
}

static size_t map_bytes(const u64map *m)
{
	return m->cap * sizeof *m->s;
}

size_t dedup_mem_bytes(const dedup_mem *m)
{
	return m->doccap * sizeof *m->doc + m->poolcap * 4 +
	       m->postcap * sizeof *m->post + m->grpcap * sizeof *m->grp +
	       map_bytes(&m->byid) + map_bytes(&m->heads[0]) +
	       map_bytes(&m->heads[1]) + map_bytes(&m->bygid) + sizeof *m;
}

static mdoc *find_doc(dedup_mem *m, int64_t id)
{
	uint32_t *v = map_slot(&m->byid, (uint64_t)id, 0);
	return v ? &m->doc[*v] : NULL;
}

static mgroup *find_group(dedup_mem *m, int64_t gid)
{
	uint32_t *v = map_slot(&m->bygid, (uint64_t)gid, 0);
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
	*n = 0;
	uint32_t *v = map_slot(&m->heads[kind & 1], key, 0);
	for (uint32_t p = v ? *v : NONE; p != NONE && *n < cap; p = m->post[p].next)
		out[(*n)++] = m->post[p].id;
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

static chr_status add_key(dedup_mem *m, int kind, uint64_t key, uint32_t doc)
{
	if (dedup_grow((void **)&m->post, &m->postcap, m->npost + 1, sizeof *m->post))
		return CHR_ENOMEM;
	uint32_t *v = map_slot(&m->heads[kind], key, 1);
	if (!v)
		return CHR_ENOMEM;
	m->post[m->npost].doc = doc;
	m->post[m->npost].id = m->doc[doc].id;
	m->post[m->npost].next = *v; /* NONE when new */
	*v = (uint32_t)m->npost++;
	return CHR_OK;
}

static chr_status m_put_doc(void *ctx, const dedup_doc *d, const dedup_feat *f)
{
	dedup_mem *m = ctx;
	if (dedup_grow((void **)&m->doc, &m->doccap, m->ndoc + 1, sizeof *m->doc) ||
	    dedup_grow((void **)&m->pool, &m->poolcap, m->npool + f->nset, 4))
		return CHR_ENOMEM;
	uint32_t *slot = map_slot(&m->byid, (uint64_t)d->id, 1);
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
		st = add_key(m, DEDUP_KEY_LSH, f->band[b], di);
	for (size_t k = 0; k < f->nanchor && !st; k++)
		st = add_key(m, DEDUP_KEY_LSH, f->anchor[k], di);
	for (size_t p = 0; p < f->npara && !st; p++)
		st = add_key(m, DEDUP_KEY_PARA, f->para[p].hash, di);
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
		uint32_t *v = map_slot(&m->bygid, (uint64_t)gid, 1);
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

const dedup_ops dedup_mem_ops = {
	m_postings, m_get_doc, m_put_doc, m_get_group, m_set_group, m_merge_group,
};
