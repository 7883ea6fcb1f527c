/*
 * ev_decide: the decide half of placing an events batch (ev_stage.h),
 * and the events thread that runs it beside the store thread.
 *
 * Design note: the events stage used to place a batch with the engine
 * and SQLite interleaved, so the engine's work (ev_add, the settle
 * checks: 5.7 G of the store thread's 14.4 G instructions on the whole
 * Reuters file) ran on the store thread, the ingest's serial line.  Here
 * the engine part runs alone, reading no SQLite and writing nothing but
 * the engine and the batch's record (ev_op), so it can run on a thread
 * of its own while the store thread stores the next articles; the
 * store thread replays the record through the stage's statements when
 * it next needs the engine (the next hand-over, a commit, the end: see
 * ev_ingest.c), inside the same transaction.  Only one thread touches
 * the engine at any time: the events thread from the hand-over until
 * the store thread's wait returns (the mutex orders the two), so the
 * engine needs no locks.
 *
 * The one store read the engine's choices depend on is a group's event:
 * an article whose syndication group has another article with an event
 * row joins the smallest such event (store/sql.c's ST_EV_GROUP_EVENT, read
 * per article as it was placed).  That answer depends only on the
 * group's members (dedup_docs, which nothing changes while a batch is
 * placed: the next articles' dedup runs after the gather) and on
 * event_articles, which only this stage writes: rows of earlier
 * batches (all written before the gather, which runs after the last
 * batch's write half), rows the batch itself writes as it places
 * (put_article: a new row or a moved one) and merges (apply_merge:
 * every row of the merged event renamed).  So ev_batch_gather reads,
 * for each group of the batch, its rows (doc, event) once, on the store
 * thread, and the decide half applies the same three changes to them
 * as it records them; a group's event for an article is then the
 * smallest event among its group's rows of other docs, what the SELECT
 * min() would have read at that point.  The keys of the batch's articles
 * are interned here too (ev_prep_apply, in arrival order, after the
 * last batch's retirement: where ev_stage_add did it), since the
 * vocabulary is the engine's.
 */
#include "ev_stage.h"

#include <stdlib.h>
#include <string.h>

#include "pipeline/profile.h"
#include "store/store.h"

/* ---- the gather (store thread) ---- */

static const char *const sib_sql[] = {
	"SELECT grp FROM dedup_docs WHERE doc = ?1",
	"SELECT d.doc, ea.event FROM dedup_docs d JOIN event_articles ea"
	" ON ea.doc = d.doc WHERE d.grp = ?1",
};

typedef struct gq {
	int64_t grp;
	size_t i;
} gq;

static int gq_cmp(const void *x, const void *y)
{
	const gq *a = x, *b = y;
	if (a->grp != b->grp)
		return a->grp < b->grp ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

static sqlite3_stmt *sib_stmt(ev_stage *s, size_t i)
{
	return ev_lazy_stmt(s, &s->sib_q[i], sib_sql[i]);
}

/* Room for one more element in *v (cap elements of size each): doubled
 * from first, refused past max elements (0: no ceiling of its own). */
static chr_status room(void **v, size_t *cap, size_t n, size_t size,
		       size_t first, size_t max)
{
	if (n < *cap)
		return CHR_OK;
	if (max && *cap >= max)
		return CHR_ELIMIT;
	size_t nc = *cap ? *cap * 2 : first;
	void *nv = realloc(*v, nc * size);
	if (!nv)
		return CHR_ENOMEM;
	*v = nv;
	*cap = nc;
	return CHR_OK;
}

static chr_status row_put(ev_batch *b, ev_group *g, int64_t doc, int64_t ev)
{
	for (size_t j = 0; j < g->n; j++)
		if (g->v[j].doc == doc) { /* a moved row */
			g->v[j].ev = ev;
			return CHR_OK;
		}
	if (g->n == g->cap && b->nrows >= EV_GROUP_ROWS_MAX)
		return CHR_ELIMIT;
	chr_status st = room((void **)&g->v, &g->cap, g->n, sizeof *g->v, 4, 0);
	if (st)
		return st;
	g->v[g->n++] = (ev_grow){ doc, ev };
	b->nrows++;
	return CHR_OK;
}

/* One group's rows, as event_articles holds them now. */
static chr_status read_group(ev_stage *s, ev_batch *b, ev_group *g)
{
	sqlite3_stmt *q = sib_stmt(s, 1);
	if (!q)
		return store_fail(s->db, "prepare group events");
	sqlite3_bind_int64(q, 1, g->id);
	chr_status st = CHR_OK;
	int rc;
	while (!st && (rc = sqlite3_step(q)) == SQLITE_ROW)
		if (sqlite3_column_type(q, 1) != SQLITE_NULL) /* (min skips) */
			st = row_put(b, g, sqlite3_column_int64(q, 0),
				     sqlite3_column_int64(q, 1));
	if (!st && rc != SQLITE_DONE)
		st = store_fail(s->db, "group events");
	sqlite3_reset(q);
	return st;
}

chr_status ev_batch_gather(ev_stage *s, ev_batch *b)
{
	b->ng = b->nrows = 0;
	if (!b->nq)
		return CHR_OK;
	sqlite3_stmt *q = sib_stmt(s, 0);
	gq *v = malloc(b->nq * sizeof *v);
	size_t n = 0;
	chr_status st = CHR_OK;
	if (!v)
		return CHR_ENOMEM;
	if (!q)
		st = store_fail(s->db, "prepare article group");
	for (size_t i = 0; !st && i < b->nq; i++) {
		b->q[i].grp = (size_t)-1;
		sqlite3_bind_int64(q, 1, b->q[i].rowid);
		int rc = sqlite3_step(q);
		if (rc == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL)
			v[n++] = (gq){ sqlite3_column_int64(q, 0), i };
		else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			st = store_fail(s->db, "article group");
		sqlite3_reset(q);
	}
	if (!st)
		qsort(v, n, sizeof *v, gq_cmp);
	for (size_t i = 0; !st && i < n; i++) {
		if (!i || v[i].grp != v[i - 1].grp) {
			if ((st = room((void **)&b->g, &b->gcap, b->ng,
				       sizeof *b->g, 64, 0)))
				break;
			ev_group *g = &b->g[b->ng++];
			memset(g, 0, sizeof *g);
			g->id = v[i].grp;
			st = read_group(s, b, g);
		}
		b->q[v[i].i].grp = b->ng - 1;
	}
	free(v);
	return st;
}

/* ---- the decide half (the events thread, or the caller's) ---- */

static chr_status op(ev_batch *b, int kind, size_t at, int64_t x, int64_t y)
{
	chr_status st = room((void **)&b->ops, &b->opscap, b->nops,
			     sizeof *b->ops, 256, EV_OPS_MAX);
	if (st)
		return st;
	b->ops[b->nops++] = (ev_op){ kind, at, x, y };
	return CHR_OK;
}

/* Queued article i placed in event ev (put_article's row). */
static chr_status art(ev_batch *b, size_t i, int64_t ev, int64_t sib,
		      int stored)
{
	chr_status st = op(b, stored ? EV_OP_ART_STORED : EV_OP_ART, i, ev,
			   sib);
	if (!st && b->q[i].grp != (size_t)-1)
		st = row_put(b, &b->g[b->q[i].grp], b->q[i].rowid, ev);
	return st;
}

/* Event from merged into event into (apply_merge's UPDATE). */
static chr_status merged(void *arg, int64_t from, int64_t into)
{
	ev_batch *b = arg;
	for (size_t k = 0; k < b->ng; k++)
		for (size_t j = 0; j < b->g[k].n; j++)
			if (b->g[k].v[j].ev == from)
				b->g[k].v[j].ev = into;
	return op(b, EV_OP_MERGE, 0, from, into);
}

/* ST_EV_GROUP_EVENT for queued article p: 0 when none. */
static int64_t group_event(const ev_batch *b, const pend *p)
{
	if (p->grp == (size_t)-1)
		return 0;
	const ev_group *g = &b->g[p->grp];
	int64_t m = 0;
	for (size_t j = 0; j < g->n; j++)
		if (g->v[j].doc != p->rowid && (!m || g->v[j].ev < m))
			m = g->v[j].ev;
	return m;
}

/* Place queued article i; b->idx[i] gets its engine index, or stays -1
 * when it joined a stored event the engine no longer holds. */
static chr_status place(ev_stage *s, ev_batch *b, size_t i)
{
	pend *p = &b->q[i];
	size_t *k = &b->idx[i];
	chr_status st;
	int64_t sib = group_event(b, p);
	if (sib > 0) { /* a copy of an article already in an event */
		size_t idx = ev_find_id(s, sib);
		if (idx == (size_t)-1)
			return art(b, i, sib, sib, 1);
		if ((st = ev_observe(&s->e, &p->d)) ||
		    (st = ev_add_to(&s->e, &p->d, idx, k)))
			return st;
	} else {
		size_t before = s->e.nev;
		if ((st = ev_add(&s->e, &p->d, k, NULL)))
			return st;
		if (s->e.nev != before &&
		    ((st = ev_map_id(s, s->e.ev[before]->id, before)) ||
		     (st = op(b, EV_OP_NEW, before, 0, 0)))) /* no rows yet */
			return st;
		if (s->e.merged_id &&
		    (st = merged(b, s->e.merged_id, s->e.merged_into)))
			return st;
	}
	return art(b, i, s->e.ev[*k]->id, sib, 0);
}

/* ev_settle_batch over the events the batch placed into. */
static chr_status settle(ev_stage *s, ev_batch *b)
{
	size_t *ks = malloc((b->nq + 1) * sizeof *ks), n = 0;
	if (!ks)
		return CHR_ENOMEM;
	for (size_t i = 0; i < b->nq; i++)
		if (b->idx[i] != (size_t)-1)
			ks[n++] = b->idx[i];
	chr_status st = ev_settle_batch(&s->e, ks, n, merged, b);
	free(ks);
	return st;
}

static chr_status decide(ev_stage *s, ev_batch *b)
{
	chr_status st = CHR_OK;
	b->nops = 0;
	free(b->idx);
	b->idx = b->nq ? malloc(b->nq * sizeof *b->idx) : NULL;
	if (b->nq && !b->idx)
		return CHR_ENOMEM;
	for (size_t i = 0; i < b->nq; i++)
		b->idx[i] = (size_t)-1; /* not placed (yet, or after an error) */
	for (size_t i = 0; !st && i < b->nq; i++) {
		st = ev_prep_apply(&s->e, b->q[i].prep, &b->q[i].d);
		ev_prep_free(b->q[i].prep);
		b->q[i].prep = NULL;
	}
	/* dated first, then undated, each in arrival order */
	for (int pass = 1; !st && pass >= 0; pass--)
		for (size_t i = 0; !st && i < b->nq; i++)
			if (b->q[i].dated == pass)
				st = place(s, b, i);
	/* re-check the batch's events against the events as they are now
	 * (ev_settle), oldest first; a merge moves the stored articles */
	if (!st && (s->e.model.settle_threshold > 0 ||
		    s->e.model.merge_threshold > 0))
		st = settle(s, b);
	return st;
}

/* With --profile, "events-decide" is this half's time on whichever
 * thread runs it (on the store thread it is inside "events"). */
chr_status ev_batch_decide(ev_stage *s, ev_batch *b)
{
	uint64_t t0 = prof_on() ? prof_now() : 0;
	chr_status st = decide(s, b);
	if (t0)
		prof_add("events-decide", prof_now() - t0);
	return st;
}

/* ---- the events thread ---- */

static void *ev_thread_main(void *arg)
{
	ev_stage *s = arg;
	pthread_mutex_lock(&s->mu);
	for (;;) {
		while (!s->busy && !s->quit)
			pthread_cond_wait(&s->cv, &s->mu);
		if (!s->busy)
			break;
		pthread_mutex_unlock(&s->mu);
		chr_status st = ev_batch_decide(s, &s->fly);
		pthread_mutex_lock(&s->mu);
		s->fly.st = st;
		s->busy = 0;
		pthread_cond_broadcast(&s->cv);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

chr_status ev_stage_thread(ev_stage *s)
{
	if (s->threaded)
		return CHR_OK;
	if (pthread_create(&s->th, NULL, ev_thread_main, s))
		return CHR_OK; /* none: the caller's thread decides */
	s->threaded = 1;
	return CHR_OK;
}

void ev_fly_start(ev_stage *s)
{
	pthread_mutex_lock(&s->mu);
	s->busy = 1;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

void ev_fly_wait(ev_stage *s)
{
	pthread_mutex_lock(&s->mu);
	if (s->busy) {
		int prof = prof_on();
		uint64_t t0 = prof ? prof_now() : 0;
		while (s->busy)
			pthread_cond_wait(&s->cv, &s->mu);
		if (prof)
			prof_add("events-wait", prof_now() - t0);
	}
	pthread_mutex_unlock(&s->mu);
}

void ev_thread_stop(ev_stage *s)
{
	if (!s->threaded)
		return;
	pthread_mutex_lock(&s->mu);
	s->quit = 1; /* after the batch in flight, if any */
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->th, NULL);
	s->threaded = 0;
}
