/*
 * ev_story: storylines, events linked across time by shared central
 * entities and topic.
 *
 * Design note: events are taken in id order (so the result is
 * deterministic and can run incrementally as events appear).  An event's
 * candidate storylines are those of the events filed under its top
 * entities and terms in the candidate index (bounded, like article
 * clustering).  The link score is a mix of the entity cosine (rarity
 * weighted, central entities dominate) and the content cosine of the
 * event against the storyline's merged centroids; the event joins the
 * best storyline at or above model.story_threshold, else it starts one.
 * Unlike events, storylines have no time limit: the Nov 2019 dialogue
 * and the Jan 2024 visit belong to one DPRK-Russia storyline.
 */
#include "events.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define STORY_TOPKEYS 8
#define STORY_W_ENT 0.6
#define STORY_W_BODY 0.4

/* log1p(tf): a centroid's tf is a sum of counts, a whole number far
 * more often than not, whose log1p the engine tables (the same value;
 * log1p was half of the relinking's instructions). */
static double tf_log1p(const ev_engine *e, float tf)
{
	if (tf >= 0 && tf < EV_LOG1P_N) {
		int i = (int)tf;
		if ((float)i == tf)
			return e->log1p_x[i];
	}
	return log1p(tf);
}

/* Squared norm of a centroid with the storyline weights, log1p(tf) x
 * idf. */
static double cent_norm(const ev_engine *e, const uint32_t *df,
			const ev_cent *a)
{
	ev_idfv idv = ev_idf_view(e);
	double na = 0;
	for (uint32_t i = 0; i < a->n; i++) {
		double x = tf_log1p(e, a->v[i].tf) *
			   ev_idfv_get(&idv, df[a->v[i].id]);
		na += x * x;
	}
	return na;
}

/* A storyline centroid's norm, cached in it until it changes
 * (ev_cent_add clears norm_at) or a doc is observed.  Storyline
 * centroids are only weighed here, so the cache fields, which hold the
 * events' own norms elsewhere, are this file's. */
static double story_norm(const ev_engine *e, const uint32_t *df,
			 const ev_cent *c)
{
	if (c->norm_at != e->ndocs + 1) {
		ev_cent *w = (ev_cent *)c;
		w->norm = cent_norm(e, df, c);
		w->norm_at = e->ndocs + 1;
	}
	return c->norm;
}

/* Cosine of two centroids with tf x idf weights, their squared norms
 * given: the walk only weighs the shared ids (an id one side lacks adds
 * 0 to the dot product, so the value is that of a full walk). */
static double cent_cos(const ev_engine *e, const uint32_t *df, const ev_cent *a,
		       double na, const ev_cent *b, double nb)
{
	ev_idfv idv = ev_idf_view(e);
	if (!a->n || !b->n || !(na > 0) || !(nb > 0))
		return 0;
	double dot = 0;
	uint32_t i = 0, j = 0;
	while (i < a->n && j < b->n) {
		uint32_t ia = a->v[i].id, ib = b->v[j].id;
		if (ia < ib) {
			i++;
		} else if (ib < ia) {
			j++;
		} else {
			double w = ev_idfv_get(&idv, df[ia]);
			double x = tf_log1p(e, a->v[i++].tf) * w;
			double y = tf_log1p(e, b->v[j++].tf) * w;
			dot += x * y;
		}
	}
	return dot / sqrt(na * nb);
}

/* One event's centroid spread over the vocabulary for relinking: at[id]
 * is the stamp of the event that has id, x[id] its log1p(tf).  An event
 * is scored against every storyline its keys reach (two dozen on
 * Reuters), and each merge walk stepped through both centroids; with
 * the event spread once, a cosine walks the storyline's centroid alone
 * and finds the shared ids by one load each (with AVX2, one gather for
 * eight: ev_stamp_next_avx2).  Made for one relink (vocabulary-sized:
 * 12 bytes an id). */
typedef struct spread {
	uint32_t *at;
	double *x;
	size_t cap;     /* ids below this; 0 = none (merge walks) */
	uint32_t stamp;
} spread;

static void spread_init(spread *sp, size_t cap)
{
	sp->at = calloc(cap, sizeof *sp->at);
	sp->x = sp->at ? malloc(cap * sizeof *sp->x) : NULL;
	sp->cap = sp->x ? cap : 0;
	sp->stamp = 0;
}

static void spread_free(spread *sp)
{
	free(sp->at);
	free(sp->x);
	memset(sp, 0, sizeof *sp);
}

/* Spread centroid a (a new stamp); 0 when it does not fit (an id past
 * cap: the merge walk then). */
static int spread_fill(const ev_engine *e, spread *sp, const ev_cent *a)
{
	if (!sp->cap)
		return 0;
	for (uint32_t i = 0; i < a->n; i++)
		if (a->v[i].id >= sp->cap)
			return 0;
	if (++sp->stamp == 0) { /* wrapped: old stamps would match */
		memset(sp->at, 0, sp->cap * sizeof *sp->at);
		sp->stamp = 1;
	}
	for (uint32_t i = 0; i < a->n; i++) {
		sp->at[a->v[i].id] = sp->stamp;
		sp->x[a->v[i].id] = tf_log1p(e, a->v[i].tf);
	}
	return 1;
}

/* The first index in b from j whose id is in the spread centroid (b->n
 * when none); wide: ev_stamp_next_avx2 may look (every id of b fits). */
static inline uint32_t spread_next(const spread *sp, int wide,
				   const ev_cent *b, uint32_t j)
{
	if (wide)
		return ev_stamp_next_avx2(sp->at, sp->stamp, b->v, j, b->n);
	while (j < b->n && !(b->v[j].id < sp->cap &&
			     sp->at[b->v[j].id] == sp->stamp))
		j++;
	return j;
}

/* cent_cos of the spread centroid a (n entries) and b: the shared ids
 * in b's order, which is id order, each product as cent_cos makes it;
 * the same value. */
static double spread_cos(const ev_engine *e, const uint32_t *df,
			 const spread *sp, uint32_t an, double na,
			 const ev_cent *b, double nb)
{
	ev_idfv idv = ev_idf_view(e);
	if (!an || !b->n || !(na > 0) || !(nb > 0))
		return 0;
	/* with AVX2 when every id of b is below cap (the last is the
	 * largest) */
	int wide = e->avx2 && b->v[b->n - 1].id < sp->cap;
	double dot = 0;
	for (uint32_t j = spread_next(sp, wide, b, 0); j < b->n;
	     j = spread_next(sp, wide, b, j + 1)) {
		uint32_t id = b->v[j].id;
		double w = ev_idfv_get(&idv, df[id]);
		double x = sp->x[id] * w;
		double y = tf_log1p(e, b->v[j].tf) * w;
		dot += x * y;
	}
	return dot / sqrt(na * nb);
}

/* ev_story_score with the event's norms (ents, body) given; sp (may be
 * NULL) holds the event's centroids spread, when they fit. */
static double story_score(const ev_engine *e, const ev_event *ev,
			  const double nev[2], const ev_story *s,
			  const spread *sp)
{
	double ne = story_norm(e, e->edf, &s->ents);
	double nb = story_norm(e, e->tdf, &s->body);
	double ce = sp && sp[0].cap
			    ? spread_cos(e, e->edf, &sp[0], ev->ents.n, nev[0],
					 &s->ents, ne)
			    : cent_cos(e, e->edf, &ev->ents, nev[0], &s->ents, ne);
	double cb = sp && sp[1].cap
			    ? spread_cos(e, e->tdf, &sp[1], ev->body.n, nev[1],
					 &s->body, nb)
			    : cent_cos(e, e->tdf, &ev->body, nev[1], &s->body, nb);
	return STORY_W_ENT * ce + STORY_W_BODY * cb;
}

double ev_story_score(const ev_engine *e, const ev_event *ev,
		      const ev_story *s)
{
	double nev[2] = { cent_norm(e, e->edf, &ev->ents),
			  cent_norm(e, e->tdf, &ev->body) };
	return story_score(e, ev, nev, s, NULL);
}

/* Top keys of a centroid by tf x idf (ids into out). */
static size_t top(const ev_engine *e, const uint32_t *df, const ev_cent *c,
		  uint32_t *out, size_t k)
{
	ev_idfv idv = ev_idf_view(e);
	size_t n = 0;
	double w[STORY_TOPKEYS];
	for (uint32_t i = 0; i < c->n; i++) {
		double x = c->v[i].tf * ev_idfv_get(&idv, df[c->v[i].id]);
		size_t p = n;
		while (p > 0 && w[p - 1] < x)
			p--;
		if (p >= k)
			continue;
		size_t last = n < k ? n : k - 1;
		memmove(w + p + 1, w + p, (last - p) * sizeof *w);
		memmove(out + p + 1, out + p, (last - p) * sizeof *out);
		w[p] = x;
		out[p] = c->v[i].id;
		if (n < k)
			n++;
	}
	return n;
}

static void gather(const ev_engine *e, const ev_post *p, size_t self,
		   int64_t *sids, size_t *ns, size_t cap)
{
	if (!p)
		return;
	for (uint32_t i = 0; i < p->n; i++) {
		size_t k = ev_live(e, p->ev[i] - 1);
		if (k >= self || !e->ev[k]) /* placed before, and held */
			continue;
		int64_t s = e->ev[k]->story;
		size_t j = 0;
		while (j < *ns && sids[j] != s)
			j++;
		if (j == *ns && *ns < cap && s > 0)
			sids[(*ns)++] = s;
	}
}

static chr_status story_add(ev_engine *e, ev_story *s, size_t k)
{
	ev_event *ev = e->ev[k];
	if (s->n == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 4;
		uint32_t *nv = realloc(s->events, nc * sizeof *nv);
		if (!nv)
			return CHR_ENOMEM;
		s->events = nv;
		s->cap = nc;
	}
	s->events[s->n++] = (uint32_t)k;
	ev->story = s->id;
	chr_status st = ev_cent_add(e, e->edf, &s->ents, ev->ents.v, ev->ents.n);
	if (!st)
		st = ev_cent_add(e, e->tdf, &s->body, ev->body.v, ev->body.n);
	return st;
}

int ev_story_spread_check(const ev_engine *e)
{
	spread sp[2];
	spread_init(&sp[0], e->ents.count + 1);
	spread_init(&sp[1], e->terms.count + 1);
	int ok = sp[0].cap && sp[1].cap, tried = 0;
	for (size_t k = 0; ok && k < e->nev; k++) {
		const ev_event *ev = e->ev[k];
		if (!ev || ev->into)
			continue;
		ok = spread_fill(e, &sp[0], &ev->ents) &&
		     spread_fill(e, &sp[1], &ev->body);
		double na = cent_norm(e, e->edf, &ev->ents);
		double nb = cent_norm(e, e->tdf, &ev->body);
		for (size_t i = 0; ok && i < e->nstory; i++) {
			const ev_story *s = &e->story[i];
			double ne = story_norm(e, e->edf, &s->ents);
			double nt = story_norm(e, e->tdf, &s->body);
			double a = spread_cos(e, e->edf, &sp[0], ev->ents.n, na,
					      &s->ents, ne);
			double b = spread_cos(e, e->tdf, &sp[1], ev->body.n, nb,
					      &s->body, nt);
			ok = a == cent_cos(e, e->edf, &ev->ents, na, &s->ents, ne) &&
			     b == cent_cos(e, e->tdf, &ev->body, nb, &s->body, nt);
			tried += a > 0 || b > 0;
		}
	}
	spread_free(&sp[0]);
	spread_free(&sp[1]);
	return ok && tried > 0;
}

chr_status ev_storylines(ev_engine *e)
{
	for (size_t i = 0; i < e->nstory; i++) {
		free(e->story[i].events);
		free(e->story[i].ents.v);
		free(e->story[i].body.v);
	}
	e->nstory = 0;
	for (size_t k = 0; k < e->nev; k++)
		if (e->ev[k])
			e->ev[k]->story = 0;
	/* out of memory for these: the merge walks, the same values */
	spread sp[2];
	spread_init(&sp[0], e->ents.count + 1);
	spread_init(&sp[1], e->terms.count + 1);
	chr_status st = CHR_OK;
	for (size_t k = 0; !st && k < e->nev; k++) {
		ev_event *ev = e->ev[k];
		if (!ev || ev->into) /* merged away or retired */
			continue;
		uint32_t keys[STORY_TOPKEYS];
		int64_t sids[64];
		size_t ns = 0, nk = top(e, e->edf, &ev->ents, keys, STORY_TOPKEYS);
		for (size_t i = 0; i < nk; i++)
			gather(e, e->epost[keys[i]], k, sids, &ns, 64);
		nk = top(e, e->tdf, &ev->body, keys, STORY_TOPKEYS);
		for (size_t i = 0; i < nk; i++)
			gather(e, e->tpost[keys[i]], k, sids, &ns, 64);
		double best = 0;
		int64_t bs = 0;
		double nev[2] = { 0, 0 };
		spread use[2] = { sp[0], sp[1] };
		if (ns) {
			nev[0] = cent_norm(e, e->edf, &ev->ents);
			nev[1] = cent_norm(e, e->tdf, &ev->body);
			if (!spread_fill(e, &sp[0], &ev->ents))
				use[0].cap = 0;
			if (!spread_fill(e, &sp[1], &ev->body))
				use[1].cap = 0;
			use[0].stamp = sp[0].stamp;
			use[1].stamp = sp[1].stamp;
		}
		for (size_t i = 0; i < ns; i++) {
			double x = story_score(e, ev, nev, &e->story[sids[i] - 1],
					       use);
			if (x > best || (x == best && bs && sids[i] < bs)) {
				best = x;
				bs = sids[i];
			}
		}
		if (!bs || best < e->model.story_threshold) {
			if (e->nstory == e->storycap) {
				size_t nc = e->storycap ? e->storycap * 2 : 64;
				ev_story *nv = realloc(e->story, nc * sizeof *nv);
				if (!nv) {
					st = CHR_ENOMEM;
					break;
				}
				e->story = nv;
				e->storycap = nc;
			}
			ev_story *s = &e->story[e->nstory++];
			memset(s, 0, sizeof *s);
			s->id = (int64_t)e->nstory;
			s->ents.max = EV_CENT_ENTS;
			s->body.max = EV_CENT_BODY;
			memcpy(s->title, ev->title, sizeof s->title);
			bs = s->id;
		}
		st = story_add(e, &e->story[bs - 1], k);
	}
	spread_free(&sp[0]);
	spread_free(&sp[1]);
	return st;
}
