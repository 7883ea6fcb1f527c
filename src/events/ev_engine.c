/*
 * ev_engine: the online clustering engine (see events.h).
 *
 * Design note: all state is in memory and grows with new terms,
 * entities and events, each bounded on a long stream (ev_retire frees
 * events that can no longer be joined and, past a ceiling, compacts the
 * vocabulary: ev_vocab.c); per-article work is bounded by constants (top
 * keys filed per doc, EV_POSTINGS events per key, EV_MAXCAND candidates,
 * capped centroids), so the cost per article does not grow with the
 * number of events.  Weights are BM25-like: a saturated term frequency
 * times an idf from the document frequencies seen so far (the stream's
 * own statistics; early docs see flatter idf).  Ties are broken by index,
 * never by hash order, so results depend only on the input order.  The
 * scoring itself (weights, norms, cosines, the join features) is in
 * ev_score.c; this file keeps the index, adding and retiring (merging
 * is ev_merge.c; the vocabulary's compaction, which retiring triggers,
 * is ev_vocab.c).
 * A join or a merge needs a minimum content match (model.min_content)
 * besides p.  Once a batch is placed, its small events are re-checked
 * against the events as they are then (ev_settle): one bounded merge
 * check per event, so order matters less at the same cost per article.
 * With batch_merge (ingest, ev_cluster), the larger events' merge check
 * also waits for the batch end instead of following each join: a merge
 * then sees the whole batch placed, not the part that arrived first.
 */
#include "events.h"

#include <libstemmer.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

chr_status ev_engine_init(ev_engine *e, const ev_model *m)
{
	memset(e, 0, sizeof *e);
	if (m)
		e->model = *m;
	else
		ev_model_default(&e->model);
	arena_init(&e->mem, (size_t)4 << 30);
	ht_init(&e->terms, 0);
	ht_init(&e->ents, 0);
	ht_init(&e->places, 0);
	ht_init(&e->groups, 0);
	e->stem = sb_stemmer_new("english", NULL);
	e->idf_memo = calloc(EV_IDF_MEMO, sizeof *e->idf_memo);
	e->normc = calloc(EV_NORMC, sizeof *e->normc);
	e->normc_tick = calloc(1, sizeof *e->normc_tick);
	e->tab_max = EV_TAB_MAX;
	e->avx2 = ev_avx2_ok();
	e->full_k = EV_FULL_K;
	e->vocab_max = EV_VOCAB_MAX;
	/* the log-scaled distance and size features, tabled (ev_features
	 * clips both at 1, which these tables' last entries reach) */
	for (int i = 0; i < 366; i++)
		e->time_x[i] = log1p((double)i) / log1p(365.0);
	for (int i = 0; i < 51; i++)
		e->size_x[i] = log1p((double)i) / log1p(50.0);
	for (int i = 0; i < EV_LOG1P_N; i++)
		e->log1p_x[i] = log1p((double)i);
	return e->stem && e->idf_memo && e->normc &&
			       e->normc_tick
		       ? CHR_OK
		       : CHR_ENOMEM;
}

static void cent_free(ev_cent *c)
{
	free(c->v);
	memset(c, 0, sizeof *c);
}

static void event_free(ev_event *ev)
{
	if (!ev)
		return;
	cent_free(&ev->body);
	cent_free(&ev->head);
	cent_free(&ev->ents);
	for (int k = 0; k < EV_KEEP; k++) {
		cent_free(&ev->mb[k]);
		cent_free(&ev->me[k]);
	}
	for (size_t i = 0; i < ev->narts; i++)
		free(ev->arts[i]);
	free(ev->arts);
	free(ev);
}

/* Free event index k (merged away or retired); its index, id and merge
 * link stay. */
void ev_event_drop(ev_engine *e, size_t k)
{
	event_free(e->ev[k]);
	e->ev[k] = NULL;
	e->nheld--;
}

void ev_engine_free(ev_engine *e)
{
	if (e->stem)
		sb_stemmer_delete(e->stem);
	for (size_t i = 0; i < e->nev; i++)
		event_free(e->ev[i]);
	free(e->ev);
	free(e->fwd);
	free(e->touch);
	free(e->ids);
	free(e->held);
	for (size_t i = 0; i < e->tdcap; i++)
		free(e->tpost[i]);
	for (size_t i = 0; i < e->tecap; i++)
		free(e->epost[i]);
	free(e->tpost);
	free(e->epost);
	free(e->tdf);
	free(e->edf);
	for (size_t i = 0; i < e->nstory; i++) {
		free(e->story[i].events);
		cent_free(&e->story[i].ents);
		cent_free(&e->story[i].body);
	}
	free(e->story);
	free(e->idf_memo);
	for (int k = 0; e->normc && k < EV_NORMC; k++) {
		free(e->normc[k].key);
		free(e->normc[k].val);
		free(e->normc[k].w);
	}
	free(e->normc);
	free(e->normc_tick);
	ht_free(&e->terms);
	ht_free(&e->ents);
	ht_free(&e->places);
	ht_free(&e->groups);
	arena_free(&e->mem);
	memset(e, 0, sizeof *e);
}

/* ---- document frequencies --------------------------------------------- */

static chr_status grow_ids(uint32_t **df, ev_post ***post, size_t *cap,
			   size_t need)
{
	if (need <= *cap)
		return CHR_OK;
	size_t nc = *cap ? *cap : 1024;
	while (nc < need)
		nc *= 2;
	uint32_t *nd = realloc(*df, nc * sizeof *nd);
	if (!nd)
		return CHR_ENOMEM;
	*df = nd;
	ev_post **np = realloc(*post, nc * sizeof *np);
	if (!np)
		return CHR_ENOMEM;
	*post = np;
	memset(nd + *cap, 0, (nc - *cap) * sizeof *nd);
	memset(np + *cap, 0, (nc - *cap) * sizeof *np);
	*cap = nc;
	return CHR_OK;
}

chr_status ev_observe(ev_engine *e, const ev_doc *d)
{
	if (grow_ids(&e->tdf, &e->tpost, &e->tdcap, e->terms.count + 1) ||
	    grow_ids(&e->edf, &e->epost, &e->tecap, e->ents.count + 1))
		return CHR_ENOMEM;
	for (uint32_t i = 0; i < d->body.n; i++)
		e->tdf[d->body.v[i].id]++;
	for (uint32_t i = 0; i < d->head.n; i++)
		if (!ev_has_id(&d->body, d->head.v[i].id))
			e->tdf[d->head.v[i].id]++;
	for (uint32_t i = 0; i < d->ents.n; i++)
		e->edf[d->ents.v[i].id]++;
	if (!d->undated && d->anchor != EV_NODAY &&
	    (!e->ndocs_dated || d->anchor > e->newest))
		e->newest = d->anchor;
	e->ndocs_dated += !d->undated && d->anchor != EV_NODAY;
	e->ndocs++;
	return CHR_OK;
}

/* ---- candidates ------------------------------------------------------------ */

/* A candidate's rank key: key hits above the arrival number of its
 * latest article (e->ndocs then, which counts the docs observed one by
 * one, so it stays far below 2^CAND_LAST), compared as one number. */
#define CAND_LAST 52
typedef struct cand {
	uint64_t key; /* hits << CAND_LAST | last */
	uint32_t ev;  /* index */
} cand;

/* x ranks before y: more key hits, then touched later, then the smaller
 * index (a total order: indexes are distinct). */
static inline int cand_before(const cand *x, const cand *y)
{
	if (x->key != y->key)
		return x->key > y->key;
	return x->ev < y->ev;
}

/* The child of c[i] in the heap c[0, n) that ranks first, or n when
 * c[i] is a leaf. */
static inline size_t cand_child(const cand *c, size_t n, size_t i)
{
	size_t k = 2 * i + 1;
	if (k >= n)
		return n;
	return k + 1 < n && cand_before(&c[k + 1], &c[k]) ? k + 1 : k;
}

/* Sift c[i] down the heap c[0, n) whose top ranks first. */
static void cand_sift(cand *c, size_t n, size_t i)
{
	cand x = c[i];
	for (size_t k; (k = cand_child(c, n, i)) < n &&
		       cand_before(&c[k], &x);
	     i = k)
		c[i] = c[k];
	c[i] = x;
}

/* Pop the top of the heap c[0, n), n > 0, into *top; returns n - 1.
 * Bottom-up: the hole left at the top moves down to a leaf along the
 * children that rank first (one comparison a level), then the last
 * entry, which ranks late, rises from there (a level or two), where a
 * sift from the top compares it at every level too.  The order is
 * total, so the pops come in the same order either way. */
static size_t cand_pop(cand *c, size_t n, cand *top)
{
	*top = c[0];
	cand x = c[--n];
	size_t i = 0;
	for (size_t k; (k = cand_child(c, n, i)) < n; i = k)
		c[i] = c[k];
	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (!cand_before(&x, &c[p]))
			break;
		c[i] = c[p];
		i = p;
	}
	c[i] = x;
	return n;
}

#define CAND_TAB 1024 /* slots of collect's table (> 2 x its cap) */

/* Count p's events into c[0..*n) (one entry each, in first-seen order;
 * at most cap); at[] finds an event's entry (position + 1 by hashed
 * index, open addressing, 0 = empty). */
static void collect(const ev_engine *e, const ev_post *p, cand *c, size_t *n,
		    size_t cap, uint16_t *at)
{
	if (!p)
		return;
	for (uint32_t i = 0; i < p->n; i++) {
		uint32_t k = (uint32_t)ev_live(e, p->ev[i] - 1);
		if (!e->ev[k]) /* retired */
			continue;
		uint32_t h = k * 0x9E3779B1u >> 22; /* 10 bits: CAND_TAB */
		while (at[h] && c[at[h] - 1].ev != k)
			h = (h + 1) & (CAND_TAB - 1);
		if (at[h]) {
			c[at[h] - 1].key += (uint64_t)1 << CAND_LAST;
		} else if (*n < cap) {
			c[*n].ev = k;
			c[*n].key = (uint64_t)1 << CAND_LAST | e->touch[k];
			at[h] = (uint16_t)++(*n);
		}
	}
}

#define NKEYS (EV_TOPTERMS + EV_TOPTITLE + EV_TOPENTS)

static size_t doc_keys(const ev_engine *e, const ev_doc *d, ev_keyw *kt,
		       size_t *nt, ev_keyw *ke)
{
	*nt = ev_doc_top_keys(e, e->tdf, &d->body, EV_TOPTERMS, kt);
	*nt += ev_doc_top_keys(e, e->tdf, &d->head, EV_TOPTITLE, kt + *nt);
	return ev_doc_top_keys(e, e->edf, &d->ents, EV_TOPENTS, ke);
}

int ev_time_ok(const ev_engine *e, const ev_doc *d, const ev_event *ev)
{
	if (e->model.max_gap_days <= 0 || d->anchor == EV_NODAY ||
	    ev->lo == EV_NODAY)
		return 1;
	int32_t dist = d->anchor < ev->lo   ? ev->lo - d->anchor
		       : d->anchor > ev->hi ? d->anchor - ev->hi
					    : 0;
	return dist <= e->model.max_gap_days;
}

/* Free a posting list whose events were all retired.  A list that
 * still names a held event is left as it is (collect skips the retired
 * entries, which fall off as new events are filed, as they did before
 * they were retired), so retiring changes no candidate set. */
static void prune_post(ev_engine *e, ev_post **slot)
{
	ev_post *p = *slot;
	if (!p || !e->retired)
		return;
	for (uint32_t i = 0; i < p->n; i++)
		if (ev_held(e, p->ev[i] - 1))
			return;
	free(p);
	*slot = NULL;
}

size_t ev_candidates(ev_engine *e, const ev_doc *d, uint32_t *out)
{
	ev_keyw kt[NKEYS], ke[EV_TOPENTS];
	size_t nt, ne = doc_keys(e, d, kt, &nt, ke);
	cand c[NKEYS * EV_POSTINGS];
	_Static_assert(2 * NKEYS * EV_POSTINGS <= CAND_TAB, "CAND_TAB");
	uint16_t at[CAND_TAB] = { 0 };
	_Static_assert(NKEYS * EV_POSTINGS < (1 << (64 - CAND_LAST)),
		       "a candidate's hits fit its key");
	/* the keys' lists are cold once the index is large: their slots,
	 * then the lists themselves (two lines each), are loaded before
	 * the walks below read them one after another */
	for (size_t i = 0; i < nt; i++)
		__builtin_prefetch(&e->tpost[kt[i].id]);
	for (size_t i = 0; i < ne; i++)
		__builtin_prefetch(&e->epost[ke[i].id]);
	for (size_t i = 0; i < nt + ne; i++) {
		const ev_post *p = i < nt ? e->tpost[kt[i].id]
					  : e->epost[ke[i - nt].id];
		if (p) {
			__builtin_prefetch(p);
			__builtin_prefetch((const char *)p + 64);
		}
	}
	size_t n = 0;
	for (size_t i = 0; i < nt; i++) {
		prune_post(e, &e->tpost[kt[i].id]);
		collect(e, e->tpost[kt[i].id], c, &n, sizeof c / sizeof *c, at);
	}
	for (size_t i = 0; i < ne; i++) {
		prune_post(e, &e->epost[ke[i].id]);
		collect(e, e->epost[ke[i].id], c, &n, sizeof c / sizeof *c, at);
	}
	/* best first, as far as needed: a heap pops them in the order a sort
	 * gives (the order is total), and most lists stop at EV_MAXCAND */
	for (size_t i = n / 2; i-- > 0;)
		cand_sift(c, n, i);
	size_t m = 0;
	while (n && m < EV_MAXCAND) {
		cand top;
		n = cand_pop(c, n, &top);
		if (ev_time_ok(e, d, e->ev[top.ev]))
			out[m++] = top.ev;
	}
	n = m;
	e->cand_total += n;
	return n;
}

/* ---- adding ----------------------------------------------------------------- */

static chr_status post(ev_post **slot, uint32_t k)
{
	ev_post *p = *slot;
	if (!p && !(p = *slot = calloc(1, sizeof *p)))
		return CHR_ENOMEM;
	uint32_t i = 0;
	while (i < p->n && p->ev[i] != k + 1)
		i++;
	if (i == p->n && p->n < EV_POSTINGS)
		p->n++;
	if (i == p->n) /* full and absent: the oldest falls off */
		i = p->n - 1;
	memmove(p->ev + 1, p->ev, i * sizeof *p->ev);
	p->ev[0] = k + 1;
	return CHR_OK;
}

/* Merge v into centroid c, then prune to c->max keys by weight. */
chr_status ev_cent_add(const ev_engine *e, const uint32_t *df, ev_cent *c,
		       const ev_tw *vv, uint32_t vn)
{
	ev_idfv idv = ev_idf_view(e);
	uint32_t need = c->n + vn;
	ev_tw *m = malloc((need + 1) * sizeof *m);
	if (!m)
		return CHR_ENOMEM;
	uint32_t i = 0, j = 0, n = 0;
	while (i < c->n || j < vn) {
		uint32_t ic = i < c->n ? c->v[i].id : UINT32_MAX;
		uint32_t iv = j < vn ? vv[j].id : UINT32_MAX;
		if (ic == iv) {
			m[n] = c->v[i++];
			m[n++].tf += vv[j++].tf;
		} else if (ic < iv) {
			m[n++] = c->v[i++];
		} else {
			m[n++] = vv[j++];
		}
	}
	if (n > c->max) {
		ev_keyw *k = malloc(n * sizeof *k);
		if (!k) {
			free(m);
			return CHR_ENOMEM;
		}
		for (uint32_t x = 0; x < n; x++) {
			k[x].id = x; /* position in m */
			k[x].w = m[x].tf * ev_idfv_get(&idv, df[m[x].id]);
		}
		ev_select_keyw(k, n, c->max);
		unsigned char *keep = calloc(n, 1);
		if (!keep) {
			free(k);
			free(m);
			return CHR_ENOMEM;
		}
		for (uint32_t x = 0; x < c->max; x++)
			keep[k[x].id] = 1;
		uint32_t w = 0;
		for (uint32_t x = 0; x < n; x++)
			if (keep[x])
				m[w++] = m[x];
		n = w;
		free(keep);
		free(k);
	}
	free(c->v);
	c->v = m;
	c->n = n;
	c->cap = need + 1;
	c->norm_at = 0;
	c->cos_v = NULL;
	c->dot_v = NULL;
	return CHR_OK;
}

static chr_status new_event(ev_engine *e, size_t *k)
{
	if (e->nev == e->evcap) {
		size_t nc = e->evcap ? e->evcap * 2 : 256;
		if (nc > UINT32_MAX - 1)
			return CHR_ENOMEM; /* indexes are stored as uint32 */
		ev_event **nv = realloc(e->ev, nc * sizeof *nv);
		if (!nv)
			return CHR_ENOMEM;
		e->ev = nv;
		uint32_t *nf = realloc(e->fwd, nc * sizeof *nf);
		if (!nf)
			return CHR_ENOMEM;
		e->fwd = nf;
		uint64_t *nt = realloc(e->touch, nc * sizeof *nt);
		if (!nt)
			return CHR_ENOMEM;
		e->touch = nt;
		int64_t *ni = realloc(e->ids, nc * sizeof *ni);
		if (!ni)
			return CHR_ENOMEM;
		e->ids = ni;
		e->evcap = nc;
	}
	if (e->nheld_list == e->heldcap) {
		size_t nc = e->heldcap ? e->heldcap * 2 : 256;
		uint32_t *nh = realloc(e->held, nc * sizeof *nh);
		if (!nh)
			return CHR_ENOMEM;
		e->held = nh;
		e->heldcap = nc;
	}
	ev_event *ev = calloc(1, sizeof *ev);
	if (!ev)
		return CHR_ENOMEM;
	ev->id = ++e->last_id;
	ev->body.max = EV_CENT_BODY;
	ev->head.max = EV_CENT_TITLE;
	ev->ents.max = EV_CENT_ENTS;
	ev->lo = ev->hi = EV_NODAY;
	e->nlive++;
	e->nheld++;
	*k = e->nev;
	e->fwd[e->nev] = 0;
	e->touch[e->nev] = 0;
	e->ids[e->nev] = ev->id;
	e->held[e->nheld_list++] = (uint32_t)e->nev;
	e->ev[e->nev++] = ev;
	return CHR_OK;
}

void ev_event_year(ev_event *ev, int y)
{
	int free_slot = -1, least = 0;
	for (int i = 0; i < EV_MAXYEARS; i++) {
		if (ev->yearn[i] && ev->year[i] == y) {
			if (ev->yearn[i] < UINT16_MAX)
				ev->yearn[i]++;
			return;
		}
		if (!ev->yearn[i] && free_slot < 0)
			free_slot = i;
		if (ev->yearn[i] < ev->yearn[least])
			least = i;
	}
	int s = free_slot >= 0 ? free_slot : least;
	ev->year[s] = (int16_t)y;
	ev->yearn[s] = 1;
}

/* Count `by` more for key k in a table of n (key, count) slots; a full
 * table drops its least counted key (the first such).  Returns the slot
 * a new key took, or -1 when k was counted already. */
static int count_key(uint32_t *key, uint16_t *cnt, int n, uint32_t k,
		     uint16_t by)
{
	int least = 0;
	for (int i = 0; i < n; i++) {
		if (cnt[i] && key[i] == k) {
			cnt[i] = (uint16_t)(cnt[i] + by < UINT16_MAX ? cnt[i] + by
								    : UINT16_MAX);
			return -1;
		}
		if (cnt[i] < cnt[least])
			least = i;
	}
	key[least] = k;
	cnt[least] = by;
	return least;
}

/* Count n more articles giving number h. */
void ev_event_num(ev_event *ev, uint32_t h, uint16_t n)
{
	count_key(ev->num, ev->numn, EV_EVNUMS, h, n);
}

/* Count n more articles whose main person is p. */
void ev_event_person(ev_event *ev, uint32_t p, uint16_t n)
{
	count_key(ev->person, ev->personn, EV_PERSONS, p, n);
	/* keep the most counted first (event_as_doc and person_major_clash
	 * use [0]): a person counted again can pass the one before it, not
	 * only a new one (insertion sort, stable; EV_PERSONS is 4) */
	for (int i = 1; i < EV_PERSONS; i++)
		for (int j = i; j > 0 && ev->personn[j] > ev->personn[j - 1]; j--) {
			uint32_t tp = ev->person[j];
			uint16_t tn = ev->personn[j];
			ev->person[j] = ev->person[j - 1];
			ev->personn[j] = ev->personn[j - 1];
			ev->person[j - 1] = tp;
			ev->personn[j - 1] = tn;
		}
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* Copy the top k entries of v (by saturated tf x idf, as ev_top_keys
 * ranks them) into c, sorted by id: the k best positions of v are
 * selected and taken in position order, which is id order.  The
 * weights are the doc slot's when it holds v (ev_doc_weights: the same
 * products, made by tab_fill for the scoring), else made here. */
static chr_status keep_top(const ev_engine *e, const uint32_t *df,
			   const ev_vec *v, size_t k, ev_cent *c)
{
	ev_idfv idv = ev_idf_view(e);
	if (k > EV_MEMB_TERMS)
		k = EV_MEMB_TERMS;
	size_t n = v->n < k ? v->n : k;
	if (c->cap < n + 1) {
		ev_tw *nv = realloc(c->v, (n + 1) * sizeof *nv);
		if (!nv)
			return CHR_ENOMEM;
		c->v = nv;
		c->cap = (uint32_t)n + 1;
	}
	if (n == v->n) {
		if (n) /* an empty vector may have no buffer */
			memcpy(c->v, v->v, n * sizeof *c->v);
	} else {
		ev_keyw *w = malloc(v->n * sizeof *w);
		if (!w)
			return CHR_ENOMEM;
		const double *held = ev_doc_weights(e, v);
		for (uint32_t i = 0; i < v->n; i++) {
			w[i].id = i; /* position in v */
			uint32_t id = v->v[i].id;
			w[i].w = held ? held[i]
				      : ev_sat(v->v[i].tf) *
						ev_idfv_get(&idv, df[id]);
		}
		ev_select_keyw(w, v->n, n);
		for (size_t i = 1; i < n; i++) { /* the n positions, ascending */
			ev_keyw x = w[i];
			size_t j = i;
			for (; j > 0 && w[j - 1].id > x.id; j--)
				w[j] = w[j - 1];
			w[j] = x;
		}
		for (size_t i = 0; i < n; i++)
			c->v[i] = v->v[w[i].id];
		free(w);
	}
	c->n = (uint32_t)n;
	c->norm_at = 0;
	c->cos_v = NULL;
	c->dot_v = NULL;
	return CHR_OK;
}

chr_status ev_add_to(ev_engine *e, ev_doc *d, size_t k, size_t *index)
{
	chr_status st;
	if (k == (size_t)-1 && (st = new_event(e, &k)))
		return st;
	ev_event *ev = e->ev[k];
	ev_keyw kt[NKEYS], ke[EV_TOPENTS];
	size_t nt, ne = doc_keys(e, d, kt, &nt, ke);
	if ((st = ev_cent_add(e, e->tdf, &ev->body, d->body.v, d->body.n)) ||
	    (st = ev_cent_add(e, e->tdf, &ev->head, d->head.v, d->head.n)) ||
	    (st = ev_cent_add(e, e->edf, &ev->ents, d->ents.v, d->ents.n)))
		return st;
	if (!ev->n)
		snprintf(ev->title, sizeof ev->title, "%s", d->title);
	uint32_t slot = ev->nmemb++ % EV_KEEP;
	if ((st = keep_top(e, e->tdf, &d->body, EV_MEMB_TERMS, &ev->mb[slot])) ||
	    (st = keep_top(e, e->edf, &d->ents, EV_MEMB_TERMS, &ev->me[slot])))
		return st;
	ev->n++;
	e->touch[k] = e->ndocs;
	if (d->anchor != EV_NODAY) {
		if (ev->lo == EV_NODAY || d->anchor < ev->lo)
			ev->lo = d->anchor;
		if (ev->hi == EV_NODAY || d->anchor > ev->hi)
			ev->hi = d->anchor;
	}
	for (uint32_t i = 0; i < d->nyears; i++)
		ev_event_year(ev, d->years[i]);
	for (uint32_t i = 0; i < d->nnums; i++)
		ev_event_num(ev, d->nums[i], 1);
	ev->months |= d->rmonths;
	if (d->person)
		ev_event_person(ev, d->person, 1);
	if (d->place) {
		if (d->place == ev->place)
			ev->placen++;
		else if (ev->placen == 0)
			ev->place = d->place, ev->placen = 1;
		else
			ev->placen--;
	}
	if (ev->narts == ev->artcap) {
		size_t nc = ev->artcap ? ev->artcap * 2 : 4;
		char **na = realloc(ev->arts, nc * sizeof *na);
		if (!na)
			return CHR_ENOMEM;
		ev->arts = na;
		ev->artcap = nc;
	}
	if (!(ev->arts[ev->narts] = strdup(d->id)))
		return CHR_ENOMEM;
	ev->narts++;
	for (size_t i = 0; i < nt; i++)
		if ((st = post(&e->tpost[kt[i].id], (uint32_t)k)))
			return st;
	for (size_t i = 0; i < ne; i++)
		if ((st = post(&e->epost[ke[i].id], (uint32_t)k)))
			return st;
	if (d->group >= 0) {
		int64_t *key = arena_alloc(&e->mem, sizeof *key);
		int created;
		ht_entry *h;
		if (!key)
			return CHR_ENOMEM;
		*key = d->group;
		if (!(h = ht_put(&e->groups, (const char *)key, sizeof *key,
				 &created)))
			return CHR_ENOMEM;
		h->v.num = (int64_t)k + 1;
	}
	if (index)
		*index = k;
	return CHR_OK;
}

/* ---- the content floor --------------------------------------------------- */

/* The content match is the best of the centroid body, nearest-member
 * body and headline cosines.  ECB+ never shows two unrelated events of
 * one country and week (its topics share no names), so the learnt model
 * lets shared names and dates carry a join on their own; in a live
 * stream they are shared by everything that week.  The floor is chosen
 * on ECB+ dev by the trainer. */

int ev_content_ok(const ev_model *m, const double f[EV_NFEAT])
{
	double content = f[EVF_BODY] > f[EVF_NN_BODY] ? f[EVF_BODY]
						      : f[EVF_NN_BODY];
	if (f[EVF_TITLE] > content)
		content = f[EVF_TITLE];
	return content >= m->min_content;
}

/* ---- merging events ------------------------------------------------------ */

size_t ev_live(const ev_engine *e, size_t k)
{
	while (e->fwd[k])
		k = e->fwd[k] - 1;
	return k;
}

ev_event *ev_held(const ev_engine *e, size_t k)
{
	return e->ev[ev_live(e, k)];
}

/* An undated article that names months the time stage could not place
 * ("last September") agrees with an event whose articles name all those
 * months with a year; among the events it could join, it prefers one
 * that agrees.  Dated articles, articles naming a year (the year
 * features place them) or no month, and events naming no month agree
 * with everything.  Neutral on ECB+ dev (0.895 in file order, 0.863 over
 * shuffles, with and without); without the year condition it cost 0.012. */
static int months_agree(const ev_doc *d, const ev_event *ev)
{
	if (!d->undated || !d->umonths || d->nyears)
		return 1;
	return !ev->months || (d->umonths & ev->months) == d->umonths;
}

/* Two-stage placement: of the n candidates c, keep the e->full_k with
 * the best first-stage score (ev_prescore: the centroid body and
 * headline cosines), in their order; ties go to the earlier candidate
 * (more key hits).  The full feature vector walks each candidate's
 * recent members too (EV_KEEP x 2 cosines) and its key entities; that
 * was most of the placing cost.  What the cut can lose is a candidate
 * whose centroid matches the doc less than full_k others do but one of
 * whose members matches it closely (single link); that member's terms
 * are in the centroid too, so this is rare (Reuters: bench/RESULTS.md,
 * Pipeline, session 5).  Returns the count kept. */
static size_t pick_full(const ev_engine *e, const ev_doc *d, uint32_t *c,
			size_t n)
{
	size_t k = e->full_k;
	if (!k || n <= k)
		return n;
	double s[EV_MAXCAND];
	unsigned char keep[EV_MAXCAND] = { 0 };
	ev_prescores(e, d, c, n, s);
	for (size_t j = 0; j < k; j++) {
		size_t b = (size_t)-1;
		for (size_t i = 0; i < n; i++)
			if (!keep[i] && (b == (size_t)-1 || s[i] > s[b]))
				b = i;
		if (b == (size_t)-1)
			break;
		keep[b] = 1;
	}
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (keep[i])
			c[m++] = c[i];
	return m;
}

chr_status ev_add(ev_engine *e, ev_doc *d, size_t *index, double *p)
{
	chr_status st = ev_observe(e, d);
	if (st)
		return st;
	size_t best = (size_t)-1;
	double bp = 0;
	int bok = 0;
	if (d->group >= 0) {
		ht_entry *h = ht_get(&e->groups, (const char *)&d->group,
				     sizeof d->group);
		if (h && ev_held(e, (size_t)h->v.num - 1)) {
			best = ev_live(e, (size_t)h->v.num - 1);
			bp = 1;
		} /* a retired group's copy is placed like any article */
	}
	if (best == (size_t)-1) {
		uint32_t c[EV_MAXCAND];
		size_t n = pick_full(e, d, c, ev_candidates(e, d, c));
		for (size_t i = 0; i < n; i++) {
			double f[EV_NFEAT];
			e->scored_total++;
			if (!ev_content_pass(e, d, e->ev[c[i]]))
				continue; /* below the floor (as below) */
			ev_features(e, d, e->ev[c[i]], f);
			if (!ev_content_ok(&e->model, f))
				continue;
			double q = ev_model_prob(&e->model, f);
			/* no date of its own against an event with dates:
			 * the model's p lacks the time evidence it was fit
			 * with, so the bar is higher (undated_threshold) */
			if (d->anchor == EV_NODAY && e->ev[c[i]]->lo != EV_NODAY &&
			    q < e->model.undated_threshold)
				continue;
			int ok = q >= e->model.threshold && months_agree(d, e->ev[c[i]]);
			if (ok > bok || (ok == bok && (q > bp || (q == bp && best != (size_t)-1 && c[i] < best)))) {
				bp = q;
				best = c[i];
				bok = ok;
			}
		}
		if (bp < e->model.threshold)
			best = (size_t)-1;
	}
	if (p)
		*p = best == (size_t)-1 ? 0 : bp;
	e->merged_id = e->merged_into = 0;
	size_t k;
	if ((st = ev_add_to(e, d, best, &k)))
		return st;
	if (best != (size_t)-1 && e->model.merge_threshold > 0 &&
	    !e->batch_merge &&
	    (st = ev_merge_check(e, &k, e->model.merge_threshold,
			      e->model.undated_merge_threshold)))
		return st;
	if (index)
		*index = k;
	return CHR_OK;
}

/* ---- retirement ------------------------------------------------------------ */

/* Most recently touched first; ties by index (deterministic). */
static int cmp_touch(const void *a, const void *b, void *arg)
{
	const ev_engine *e = arg;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	uint64_t lx = e->touch[x], ly = e->touch[y];
	if (lx != ly)
		return lx > ly ? -1 : 1;
	return x < y ? 1 : x > y ? -1 : 0;
}

/* An event can no longer be joined when it ended max_gap_days before
 * the newest dated doc (a dated doc that far from it never joins it:
 * ev_time_ok) and no doc touched it for EV_RETIRE_IDLE docs (a stream
 * out of date order, or an undated doc, could still reach it before). */
static int stale(const ev_engine *e, size_t k)
{
	const ev_event *ev = e->ev[k];
	if (e->ndocs - e->touch[k] < EV_RETIRE_IDLE || !e->ndocs_dated ||
	    e->model.max_gap_days <= 0 || ev->hi == EV_NODAY)
		return 0;
	return (double)e->newest - ev->hi > e->model.max_gap_days;
}

size_t ev_retire(ev_engine *e)
{
	if (e->ndocs - e->swept < EV_RETIRE_EVERY)
		return 0;
	e->swept = e->ndocs;
	size_t freed = 0, w = 0;
	for (size_t i = 0; i < e->nheld_list; i++) {
		uint32_t k = e->held[i];
		if (!e->ev[k]) /* merged away */
			continue;
		if (stale(e, k)) {
			ev_event_drop(e, k);
			freed++;
			continue;
		}
		e->held[w++] = k;
	}
	e->nheld_list = w;
	if (w > EV_MAX_LIVE) {
		/* least recently touched out; the list keeps creation order */
		qsort_r(e->held, w, sizeof *e->held, cmp_touch, e);
		for (size_t i = EV_LIVE_TARGET; i < w; i++) {
			ev_event_drop(e, e->held[i]);
			freed++;
		}
		w = EV_LIVE_TARGET;
		qsort(e->held, w, sizeof *e->held, cmp_u32);
		e->nheld_list = w;
	}
	e->retired += freed;
	/* out of memory there leaves the vocabulary as it was: the next
	 * sweep tries again */
	(void)ev_vocab_check(e);
	return freed;
}
