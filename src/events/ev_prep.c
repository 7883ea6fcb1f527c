/*
 * ev_prep: the store-thread half of the events text stage.  It turns a
 * prep record (ev_prep.h), which ev_text.c made on another thread, into
 * a doc against the engine's vocabulary (ev_prep_apply), and frees the
 * record (ev_prep_free).
 *
 * Design note: this is the only part of the stage that touches the
 * engine, so it is the part the store thread must run; everything that
 * reads the text stays in ev_text.c.  The ops are interned in the order
 * they were recorded, so the ids are the ones a single pass over the
 * text would give, and ev_doc_build (ev_text.c: build, then apply on
 * one thread) gives the same doc as the two halves on two threads.
 * Each op carries its key's hash, so nothing is hashed here, and the
 * engine's tables, which outgrow the cache, are prefetched a few ops
 * ahead (PREP_AHEAD) so that their misses overlap.  The vectors are
 * sorted by id with a sort written for ev_tw (sort_tw): through qsort
 * the compare calls were a third of ev_prep_apply's time.
 */
#include "ev_prep.h"

#include <stdlib.h>
#include <string.h>

/* How many ops ahead ev_prep_apply prefetches table slots. */
#define PREP_AHEAD 8

/* Append (id, tf) to v, growing v->v (v owns it; ev_doc_free frees it).
 * The ops give each vector distinct keys (ev_text.c sums a repeated key
 * into one op), so the ids arrive distinct; ev_prep_apply still folds
 * equal neighbours after it sorts. */
static chr_status vec_add(ev_vec *v, uint32_t id, float tf)
{
	if (v->n == v->cap) {
		uint32_t nc = v->cap ? v->cap * 2 : 64;
		ev_tw *nv = realloc(v->v, nc * sizeof *nv);
		if (!nv)
			return CHR_ENOMEM;
		v->v = nv;
		v->cap = nc;
	}
	v->v[v->n].id = id;
	v->v[v->n].tf = tf;
	v->n++;
	return CHR_OK;
}

/* Sort v by id, stably: equal ids keep their order, as they did under
 * qsort's merge sort.  Runs of SORT_RUN are sorted by insertion, then
 * merged bottom-up through a buffer, which is on the stack when the
 * vector has at most SORT_STACK entries and otherwise malloc'd and freed
 * before the return. */
#define SORT_RUN 16
#define SORT_STACK 512

static chr_status sort_tw(ev_vec *v)
{
	ev_tw *a = v->v;
	uint32_t n = v->n;
	for (uint32_t lo = 0; lo < n; lo += SORT_RUN) {
		uint32_t hi = n - lo > SORT_RUN ? lo + SORT_RUN : n;
		for (uint32_t i = lo + 1; i < hi; i++) {
			ev_tw x = a[i];
			uint32_t j = i;
			for (; j > lo && a[j - 1].id > x.id; j--)
				a[j] = a[j - 1];
			a[j] = x;
		}
	}
	if (n <= SORT_RUN)
		return CHR_OK;
	ev_tw stack[SORT_STACK];
	ev_tw *tmp = n <= SORT_STACK ? stack : malloc(n * sizeof *tmp);
	if (!tmp)
		return CHR_ENOMEM;
	ev_tw *src = a, *dst = tmp;
	for (uint32_t w = SORT_RUN; w < n; w *= 2) {
		for (uint32_t lo = 0; lo < n; lo += 2 * w) {
			uint32_t mid = n - lo > w ? lo + w : n;
			uint32_t hi = n - mid > w ? mid + w : n;
			uint32_t i = lo, j = mid, k = lo;
			while (i < mid && j < hi) /* the left one on a tie */
				dst[k++] = src[j].id < src[i].id ? src[j++] : src[i++];
			while (i < mid)
				dst[k++] = src[i++];
			while (j < hi)
				dst[k++] = src[j++];
		}
		ev_tw *t = src;
		src = dst;
		dst = t;
	}
	if (src != a)
		memcpy(a, src, n * sizeof *a);
	if (tmp != stack)
		free(tmp);
	return CHR_OK;
}

/* Id of key[0, n) (hash hk) in table t, adding it when it is new.  The
 * key stays the caller's: a new key is copied into e->mem, which owns
 * it for the engine's life. */
static chr_status intern(ev_engine *e, ht *t, const char *key, size_t n,
			 uint64_t hk, uint32_t *id)
{
	ht_entry *h = ht_get_h(t, key, n, hk);
	if (h) {
		*id = (uint32_t)h->v.num;
		return CHR_OK;
	}
	char *k = arena_strndup(&e->mem, key, n);
	int created;
	if (!k || !(h = ht_put_h(t, k, n, hk, &created)))
		return CHR_ENOMEM;
	h->v.num = (int64_t)t->count; /* ids start at 1 */
	*id = (uint32_t)h->v.num;
	return CHR_OK;
}

/* Free p and every buffer it holds; p may be NULL.  The caller owns p
 * (ev_prep_new made it). */
void ev_prep_free(ev_prep *p)
{
	if (!p)
		return;
	free(p->keys);
	free(p->ops);
	free(p->slot);
	free(p);
}

/* Fill d from p, interning p's keys in e.  p stays the caller's and is
 * not changed.  d's vector buffers are kept and reused (their old
 * contents are dropped); the rest of d is replaced by p's copy, and d
 * stays the caller's to free with ev_doc_free. */
chr_status ev_prep_apply(ev_engine *e, const ev_prep *p, ev_doc *d)
{
	e->docgen++; /* cached doc norms are stale (ev_engine.c) */
	ev_vec body = d->body, head = d->head, ents = d->ents;
	*d = p->d; /* no vectors: keep d's buffers */
	d->body = body;
	d->head = head;
	d->ents = ents;
	d->body.n = d->head.n = d->ents.n = 0;
	ev_vec *vec[] = { &d->body, &d->head, &d->ents };
	ht *table[] = { &e->terms, &e->terms, &e->ents, &e->ents, &e->places };
	chr_status st = CHR_OK;
	/* the tables outgrow the cache: each key's slot is asked for
	 * PREP_AHEAD keys before it is read, so the misses overlap */
	for (size_t i = 0; i < p->nops && i < PREP_AHEAD; i++)
		ht_prefetch(table[p->ops[i].dst], p->ops[i].h);
	for (size_t i = 0; i < p->nops && !st; i++) {
		const ev_prep_op *o = &p->ops[i];
		if (i + PREP_AHEAD < p->nops)
			ht_prefetch(table[o[PREP_AHEAD].dst], o[PREP_AHEAD].h);
		uint32_t id;
		if ((st = intern(e, table[o->dst], p->keys + o->off, o->len,
				 o->h, &id)))
			break;
		if (o->dst == EV_PREP_PERSON)
			d->person = id;
		else if (o->dst == EV_PREP_PLACE)
			d->place = id;
		else
			st = vec_add(vec[o->dst], id, o->tf);
	}
	/* An article that is only its headline (one-line texts, whose line
	 * the clean stage takes as the headline) uses it as its body too, so
	 * the body signals see it. */
	for (uint32_t i = 0, nb = d->body.n; !st && !nb && i < d->head.n; i++)
		st = vec_add(&d->body, d->head.v[i].id, d->head.v[i].tf);
	if (st)
		return st;
	for (size_t k = 0; k < 3; k++) {
		ev_vec *v = vec[k];
		if (!v->n)
			continue;
		if ((st = sort_tw(v)))
			return st;
		uint32_t m = 1;
		for (uint32_t i = 1; i < v->n; i++) {
			if (v->v[i].id == v->v[m - 1].id)
				v->v[m - 1].tf += v->v[i].tf;
			else
				v->v[m++] = v->v[i];
		}
		v->n = m;
	}
	return CHR_OK;
}
