/*
 * ev_merge: merging events into each other (split from ev_engine.c).
 *
 * Design note: a merge check treats a whole event as one document (its
 * centroids as mean-tf vectors, its years, numbers and main persons) and
 * scores it against the candidates the engine would give that document,
 * with the join model at a higher threshold; the older event survives
 * and takes the other's centroids, members and counts.  ev_add makes the
 * check after a join (or, with batch_merge, ev_settle makes it at the
 * batch end), so a merge costs what one placement costs.  The index,
 * adding and retiring stay in ev_engine.c; the scoring is ev_score.c.
 */
#include "events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Copy a centroid's entries into v as a doc vector (mean tf). */
static chr_status cent_as_vec(const ev_cent *c, uint32_t n, ev_vec *v)
{
	if (v->cap < c->n + 1) {
		ev_tw *nv = realloc(v->v, (c->n + 1) * sizeof *nv);
		if (!nv)
			return CHR_ENOMEM;
		v->v = nv;
		v->cap = c->n + 1;
	}
	for (uint32_t i = 0; i < c->n; i++) {
		v->v[i].id = c->v[i].id;
		v->v[i].tf = c->v[i].tf / (float)(n ? n : 1);
	}
	v->n = c->n;
	return CHR_OK;
}

/* Event ev as a doc (its centroids, span and years), for scoring it
 * against other events with the join model. */
static chr_status event_as_doc(ev_engine *e, const ev_event *ev, ev_doc *d)
{
	chr_status st;
	e->docgen++;
	if ((st = cent_as_vec(&ev->body, ev->n, &d->body)) ||
	    (st = cent_as_vec(&ev->head, ev->n, &d->head)) ||
	    (st = cent_as_vec(&ev->ents, ev->n, &d->ents)))
		return st;
	d->anchor = ev->lo;
	d->ndates = 0;
	d->nyears = 0;
	for (int i = 0; i < EV_MAXYEARS; i++)
		if (ev->yearn[i])
			d->years[d->nyears++] = ev->year[i];
	d->nnums = 0;
	for (int i = 0; i < EV_EVNUMS && d->nnums < EV_MAXNUMS; i++)
		if (ev->numn[i])
			d->nums[d->nnums++] = ev->num[i];
	d->place = ev->place;
	d->group = -1;
	d->rmonths = ev->months;
	d->umonths = 0;
	d->undated = ev->lo == EV_NODAY;
	d->person = ev->personn[0] ? ev->person[0] : 0;
	d->id[0] = '\0';
	snprintf(d->title, sizeof d->title, "%s", ev->title);
	return CHR_OK;
}

/* Merge event index b into a (a stays live and keeps its id). */
static chr_status merge_into(ev_engine *e, size_t a, size_t b)
{
	ev_event *A = e->ev[a], *B = e->ev[b];
	chr_status st;
	if ((st = ev_cent_add(e, e->tdf, &A->body, B->body.v, B->body.n)) ||
	    (st = ev_cent_add(e, e->tdf, &A->head, B->head.v, B->head.n)) ||
	    (st = ev_cent_add(e, e->edf, &A->ents, B->ents.v, B->ents.n)))
		return st;
	/* B's recent members join A's ring (buffers swapped, so each is
	 * still freed once) */
	uint32_t nb = B->nmemb < EV_KEEP ? B->nmemb : EV_KEEP;
	for (uint32_t i = 0; i < nb; i++) {
		uint32_t slot = A->nmemb++ % EV_KEEP;
		ev_cent t = A->mb[slot];
		A->mb[slot] = B->mb[i];
		B->mb[i] = t;
		t = A->me[slot];
		A->me[slot] = B->me[i];
		B->me[i] = t;
	}
	A->n += B->n;
	if (B->lo != EV_NODAY) {
		if (A->lo == EV_NODAY || B->lo < A->lo)
			A->lo = B->lo;
		if (A->hi == EV_NODAY || B->hi > A->hi)
			A->hi = B->hi;
	}
	for (int i = 0; i < EV_MAXYEARS; i++)
		for (uint16_t c = 0; c < B->yearn[i]; c++)
			ev_event_year(A, B->year[i]);
	A->months |= B->months;
	for (int i = 0; i < EV_EVNUMS; i++)
		if (B->numn[i])
			ev_event_num(A, B->num[i], B->numn[i]);
	for (int i = 0; i < EV_PERSONS; i++)
		if (B->personn[i])
			ev_event_person(A, B->person[i], B->personn[i]);
	if (B->placen > A->placen)
		A->place = B->place, A->placen = B->placen;
	if (e->touch[b] > e->touch[a])
		e->touch[a] = e->touch[b];
	if (A->narts + B->narts > A->artcap) {
		size_t nc = A->narts + B->narts;
		char **na = realloc(A->arts, nc * sizeof *na);
		if (!na)
			return CHR_ENOMEM;
		A->arts = na;
		A->artcap = nc;
	}
	memcpy(A->arts + A->narts, B->arts, B->narts * sizeof *B->arts);
	A->narts += B->narts;
	B->narts = 0;
	B->into = (uint32_t)a + 1;
	e->fwd[b] = (uint32_t)a + 1;
	e->nlive--;
	e->merges++;
	e->merged_id = B->id;
	e->merged_into = A->id;
	ev_event_drop(e, b);
	return CHR_OK;
}

/* Event index *k's centroid just moved: when its best candidate event
 * (scored with the event as the doc) reaches threshold, the two merge;
 * *k becomes the survivor, the older event.  A candidate dated where
 * the event is not, or the other way round, needs p >= undated as well
 * (0 = no such bar).
 *
 * Design note: an event none of whose articles has a date is scored
 * without the time evidence the model was fit with, as an undated doc
 * is (model.undated_threshold), and merging moves all of its articles
 * at once.  On ECB+ the wrong merges of the shuffled orders were all of
 * this kind: the undated older half of a topic (an earlier title
 * defence of one boxer, an earlier zero-day patch of one browser)
 * merged whole with the dated newer half at p 0.91-0.98 (4-fold CV over
 * shuffles 0.907 -> 0.915, bench/RESULTS.md, Events, round 7).  Settling
 * (small events, ev_settle) passes 0: a lone undated report still
 * settles into its dated event there. */
chr_status ev_merge_check(ev_engine *e, size_t *k, double threshold,
			  double undated)
{
	ev_doc d;
	ev_doc_init(&d);
	chr_status st = event_as_doc(e, e->ev[*k], &d);
	uint32_t c[EV_MAXCAND];
	size_t n = st ? 0 : ev_candidates(e, &d, c), best = (size_t)-1;
	double bp = 0;
	if (n > EV_MERGE_CAND) /* the best-connected ones (most key hits) */
		n = EV_MERGE_CAND;
	for (size_t i = 0; i < n; i++) {
		if (c[i] == *k)
			continue;
		double f[EV_NFEAT];
		e->scored_total++;
		if (!ev_content_pass(e, &d, e->ev[c[i]]))
			continue; /* below the floor: the rest is not needed */
		ev_features(e, &d, e->ev[c[i]], f);
		if (!ev_content_ok(&e->model, f))
			continue;
		double q = ev_model_prob(&e->model, f);
		if (q < undated && (e->ev[*k]->lo == EV_NODAY) !=
					   (e->ev[c[i]]->lo == EV_NODAY))
			continue;
		if (q > bp || (q == bp && best != (size_t)-1 && c[i] < best))
			bp = q, best = c[i];
	}
	ev_doc_free(&d);
	if (st || best == (size_t)-1 || bp < threshold)
		return st;
	size_t a = e->ev[best]->id < e->ev[*k]->id ? best : *k;
	size_t b = a == best ? *k : best;
	if ((st = merge_into(e, a, b)))
		return st;
	*k = a;
	return CHR_OK;
}

chr_status ev_settle(ev_engine *e, size_t *k)
{
	e->merged_id = e->merged_into = 0;
	*k = ev_live(e, *k);
	double t = e->model.settle_threshold;
	if (!e->ev[*k])
		return CHR_OK;
	if (t <= 0 || e->ev[*k]->n > EV_SETTLE_N)
		return e->batch_merge && e->model.merge_threshold > 0
			       ? ev_merge_check(e, k, e->model.merge_threshold,
					     e->model.undated_merge_threshold)
			       : CHR_OK;
	/* never below what a join needs */
	return ev_merge_check(e, k, t > e->model.threshold ? t : e->model.threshold,
			   0);
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

chr_status ev_settle_batch(ev_engine *e, size_t *ks, size_t n,
			   ev_merged_fn merged, void *arg)
{
	chr_status st = CHR_OK;
	if (e->model.settle_threshold <= 0 &&
	    (!e->batch_merge || e->model.merge_threshold <= 0))
		return st;
	for (size_t i = 0; i < n; i++)
		ks[i] = ev_live(e, ks[i]);
	qsort(ks, n, sizeof *ks, cmp_size);
	for (size_t i = 0; !st && i < n; i++) {
		if (i && ks[i] == ks[i - 1])
			continue;
		size_t k = ks[i];
		if (!(st = ev_settle(e, &k)) && e->merged_id && merged)
			st = merged(arg, e->merged_id, e->merged_into);
	}
	return st;
}
