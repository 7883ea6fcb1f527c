/*
 * ev_members: what the events stage knows of its held events' stored
 * members (see events.h, ev_members).
 *
 * Design note: writing an event needs its article count and the
 * datelines of its latest EV_PLACE_N articles (its place, ev_place_pick).
 * Both were read back with SQL at every write, a count of all the
 * event's rows and a join over up to 64 of them, so the cost of a write
 * grew with the event.  Here an entry per event (by engine index) holds
 * the count and the latest min(n, EV_PLACE_N) docs with their datelines
 * (interned: a few thousand distinct places), kept exact as the stage
 * changes event_articles: a doc joining counts and goes in by rowid; an
 * event merged into another gives the survivor the sum of the counts
 * and the latest of both lists (the union's latest EV_PLACE_N are among
 * each side's latest EV_PLACE_N).  Whatever the entry cannot follow
 * exactly drops it, and the stage reads the event back from the store
 * at its next write: a doc moved out of an event (its 65th latest is
 * not known), a merge with one side unknown, a dateline over the
 * interning ceiling, an error (the batch is rolled back).  An event
 * made in this run starts known and empty; one replayed from the store
 * is read at its first write.  Entries go with their events: a merged
 * event's at the merge, retired ones at the sweep after ev_retire (the
 * list of entries is walked, not every index), so the memory is that
 * of the held events.
 */
#include "events.h"

#include <stdlib.h>
#include <string.h>

#define EV_MEM_DATELINES ((size_t)1 << 20) /* distinct datelines */
#define EV_MEM_INDEXES ((size_t)1 << 28)   /* engine indexes */

void ev_mem_init(ev_members *m)
{
	memset(m, 0, sizeof *m);
	ht_init(&m->dl, EV_MEM_DATELINES);
	arena_init(&m->dlmem, (size_t)1 << 26);
}

void ev_mem_clear(ev_members *m)
{
	for (size_t i = 0; i < m->nlist; i++) {
		ev_mev *v = m->at[m->list[i]];
		free(v->lat);
		free(v);
		m->at[m->list[i]] = NULL;
	}
	m->nlist = 0;
}

void ev_mem_free(ev_members *m)
{
	ev_mem_clear(m);
	free(m->at);
	free(m->list);
	ht_free(&m->dl);
	arena_free(&m->dlmem);
	memset(m, 0, sizeof *m);
}

/* s[0..n) interned: *out the copy (NULL when n is 0: none, as NULL and
 * '' are to ev_place_pick). */
static chr_status intern(ev_members *m, const char *s, size_t n,
			 const char **out, int *len)
{
	*out = NULL;
	*len = 0;
	if (!n)
		return CHR_OK;
	if (n > (size_t)1 << 20)
		return CHR_ELIMIT;
	int created;
	ht_entry *h = ht_get(&m->dl, s, n);
	if (!h) {
		char *k = arena_strndup(&m->dlmem, s, n);
		if (!k || !(h = ht_put(&m->dl, k, n, &created)))
			return CHR_ELIMIT;
	}
	*out = h->key;
	*len = (int)n;
	return CHR_OK;
}

chr_status ev_mem_dateline(ev_members *m, const char *s, const char **out,
			   int *len)
{
	return intern(m, s, s ? strlen(s) : 0, out, len);
}

ev_mev *ev_mem_get(const ev_members *m, size_t k)
{
	return k < m->nat ? m->at[k] : NULL;
}

void ev_mem_drop(ev_members *m, size_t k)
{
	ev_mev *v = ev_mem_get(m, k);
	if (!v)
		return;
	size_t last = m->list[--m->nlist]; /* swap the last into its place */
	m->list[v->pos] = last;
	m->at[last]->pos = v->pos;
	m->at[k] = NULL;
	free(v->lat);
	free(v);
}

/* An empty entry for k (any old one dropped first). */
static ev_mev *make(ev_members *m, size_t k)
{
	if (k >= EV_MEM_INDEXES)
		return NULL;
	ev_mem_drop(m, k);
	if (k >= m->nat) {
		size_t nc = m->nat ? m->nat : 1024;
		while (nc <= k)
			nc *= 2;
		ev_mev **a = realloc(m->at, nc * sizeof *a);
		if (!a)
			return NULL;
		memset(a + m->nat, 0, (nc - m->nat) * sizeof *a);
		m->at = a;
		m->nat = nc;
	}
	if (m->nlist == m->listcap) {
		size_t nc = m->listcap ? m->listcap * 2 : 256;
		size_t *l = realloc(m->list, nc * sizeof *l);
		if (!l)
			return NULL;
		m->list = l;
		m->listcap = nc;
	}
	ev_mev *v = calloc(1, sizeof *v);
	if (!v)
		return NULL;
	v->pos = (uint32_t)m->nlist;
	m->list[m->nlist++] = k;
	m->at[k] = v;
	return v;
}

static int reserve(ev_mev *v, uint32_t n)
{
	if (n <= v->cap)
		return 0;
	uint32_t nc = v->cap ? v->cap : 4;
	while (nc < n)
		nc *= 2;
	if (nc > EV_PLACE_N)
		nc = EV_PLACE_N;
	ev_mlat *l = realloc(v->lat, nc * sizeof *l);
	if (!l)
		return -1;
	v->lat = l;
	v->cap = nc;
	return 0;
}

chr_status ev_mem_new(ev_members *m, size_t k)
{
	return make(m, k) ? CHR_OK : CHR_ENOMEM;
}

chr_status ev_mem_set(ev_members *m, size_t k, int64_t n,
		      const int64_t *doc, const char *const *dl,
		      const int *len, size_t nl)
{
	ev_mev *v = make(m, k);
	if (!v || nl > EV_PLACE_N || reserve(v, (uint32_t)nl)) {
		ev_mem_drop(m, k);
		return CHR_ENOMEM;
	}
	for (size_t i = 0; i < nl; i++) {
		size_t n_i = len[i] > 0 ? (size_t)len[i] : 0;
		chr_status st = intern(m, dl[i], n_i, &v->lat[i].dl,
				       &v->lat[i].len);
		if (st) {
			ev_mem_drop(m, k);
			return st;
		}
		v->lat[i].doc = doc[i];
	}
	v->nl = (uint32_t)nl;
	v->n = n;
	return CHR_OK;
}

chr_status ev_mem_add(ev_members *m, size_t k, int64_t doc, const char *dl,
		      int len)
{
	ev_mev *v = ev_mem_get(m, k);
	if (!v)
		return CHR_OK;
	v->n++;
	uint32_t i = 0; /* newest first: after every later doc */
	while (i < v->nl && v->lat[i].doc > doc)
		i++;
	if (i == EV_PLACE_N)
		return CHR_OK; /* older than the latest EV_PLACE_N */
	uint32_t nl = v->nl < EV_PLACE_N ? v->nl + 1 : EV_PLACE_N;
	if (reserve(v, nl)) {
		ev_mem_drop(m, k);
		return CHR_ENOMEM;
	}
	memmove(v->lat + i + 1, v->lat + i, (nl - 1 - i) * sizeof *v->lat);
	v->lat[i] = (ev_mlat){ doc, dl, len };
	v->nl = nl;
	return CHR_OK;
}

chr_status ev_mem_merge(ev_members *m, size_t from, size_t into)
{
	ev_mev *f = ev_mem_get(m, from), *t = ev_mem_get(m, into);
	if (!f || !t || from == into) {
		ev_mem_drop(m, from);
		if (from != into)
			ev_mem_drop(m, into);
		return CHR_OK;
	}
	ev_mlat tmp[EV_PLACE_N];
	uint32_t i = 0, j = 0, n = 0;
	while (n < EV_PLACE_N && (i < f->nl || j < t->nl))
		tmp[n++] = j == t->nl || (i < f->nl &&
					  f->lat[i].doc > t->lat[j].doc)
				   ? f->lat[i++] : t->lat[j++];
	t->n += f->n;
	ev_mem_drop(m, from);
	if (reserve(t, n)) {
		ev_mem_drop(m, into);
		return CHR_ENOMEM;
	}
	memcpy(t->lat, tmp, n * sizeof *tmp);
	t->nl = n;
	return CHR_OK;
}

void ev_mem_sweep(ev_members *m, const ev_engine *e)
{
	for (size_t i = 0; i < m->nlist;) {
		size_t k = m->list[i];
		if (k < e->nev && e->ev[k])
			i++;
		else
			ev_mem_drop(m, k); /* (the last moves to i) */
	}
}

int ev_mem_place(const ev_mev *v)
{
	const char *dl[EV_PLACE_N];
	int len[EV_PLACE_N];
	for (uint32_t i = 0; i < v->nl; i++) {
		dl[i] = v->lat[i].dl;
		len[i] = v->lat[i].len;
	}
	return ev_place_pick(dl, len, v->nl);
}
