/*
 * ev_vocab: the engine's vocabulary stays bounded on a long stream.
 *
 * Design note: every body/headline stem and every entity key a doc brings
 * is interned for good (ev_prep.c intern: an id, a string in e->mem, a
 * document frequency, a posting list), so one long ingest grew the
 * tables by 4-8 ids an article while the events that use them are
 * bounded (ev_retire).  When terms + entity keys pass the ceiling
 * (e->vocab_max, EV_VOCAB_MAX by default), ev_retire calls
 * ev_vocab_compact right after its sweep: no doc then holds engine ids
 * (ingest has placed its whole queue, ev_cluster rebuilds its doc).
 *
 * What is kept: every id something held refers to - the held events'
 * centroids (body, headline, entities), their kept members' vectors,
 * main persons and places, the storylines' centroids, and every id
 * whose posting list still names a held event (so the candidate index
 * answers as it did) - plus the ids of the highest document frequency,
 * at most a quarter of the ceiling (a histogram of df, not a sort: the
 * cut is at a df value, so ties stay together), so common words keep
 * their counts.  Everything else is dropped with its df and postings: a
 * dropped term that comes back starts again at df 1, as a new word
 * would (its weight is then that of a rare word; a word that rare was
 * not in anything held).  A place has no df: one that comes back gets a
 * new id, and no held event has the old one, so nothing changes.
 *
 * Ids are renumbered densely and monotonically (the k-th kept id
 * becomes k) rather than freed ids reused: the engine compares ids all
 * over (id-sorted vectors and their merge walks, galloping and binary
 * searches; ties in key weights broken by id), and a monotone map keeps
 * every such comparison between kept ids as it was, so no vector needs
 * sorting again and new ids still come after all the old ones, as
 * without compaction.  Hence the documented identity: on a stream whose
 * dropped words never return, placements are exactly those of an
 * engine that never compacts.  Reused ids would scatter new words
 * among old ones and change tie-breaks.
 *
 * The strings move into a fresh arena (the old one, with the dropped
 * strings and stale group keys, is freed), the hash tables are rebuilt
 * (terms, entities, places: the places held events name are kept,
 * renumbered the same way; syndication groups whose event is gone are
 * dropped), df and postings are moved down in place, and the doc-vector
 * caches (e->normc, keyed by ids) are emptied.  A centroid's cached norm
 * stays: its ids keep their df, so the value is unchanged.  Everything
 * new is built before anything is changed, so running out of memory
 * leaves the engine as it was (the next sweep tries again).
 *
 * Cost: O(vocabulary + held centroids) per run.  The next run waits
 * until the vocabulary passes max(ceiling, kept + ceiling / 2), so at
 * least half a ceiling of new ids come between two runs however much
 * is live: the cost per new id is constant (amortised), and a live set
 * that is itself near the ceiling (an enormous live event) delays the
 * runs rather than repeating them every batch.
 */
#include "events.h"

#include <stdlib.h>
#include <string.h>

#define DF_BUCKETS 65536 /* df histogram; larger df share the last */

static void mark_vec(uint32_t *keep, size_t n, const ev_tw *v, uint32_t len)
{
	for (uint32_t i = 0; i < len; i++)
		if (v[i].id <= n)
			keep[v[i].id] = 1;
}

/* 1 when posting list p names an event still held. */
static int names_held(const ev_engine *e, const ev_post *p)
{
	for (uint32_t i = 0; p && i < p->n; i++)
		if (ev_held(e, p->ev[i] - 1))
			return 1;
	return 0;
}

/* keep[id] = 1 (ids 1..n; the arrays are n + 1 long) for every term,
 * entity and place id held events, storylines or live postings refer
 * to. */
static void mark_live(const ev_engine *e, uint32_t *kt, size_t nt,
		      uint32_t *ke, size_t ne, uint32_t *kp, size_t np)
{
	for (size_t i = 0; i < e->nheld_list; i++) {
		const ev_event *ev = e->ev[e->held[i]];
		if (!ev)
			continue;
		mark_vec(kt, nt, ev->body.v, ev->body.n);
		mark_vec(kt, nt, ev->head.v, ev->head.n);
		mark_vec(ke, ne, ev->ents.v, ev->ents.n);
		for (int k = 0; k < EV_KEEP; k++) {
			mark_vec(kt, nt, ev->mb[k].v, ev->mb[k].n);
			mark_vec(ke, ne, ev->me[k].v, ev->me[k].n);
		}
		for (int k = 0; k < EV_PERSONS; k++)
			if (ev->personn[k] && ev->person[k] <= ne)
				ke[ev->person[k]] = 1;
		/* read even when its count fell to 0 (ev_add_to) */
		if (ev->place <= np)
			kp[ev->place] = 1;
	}
	for (size_t i = 0; i < e->nstory; i++) {
		mark_vec(ke, ne, e->story[i].ents.v, e->story[i].ents.n);
		mark_vec(kt, nt, e->story[i].body.v, e->story[i].body.n);
	}
	for (size_t id = 1; id <= nt && id < e->tdcap; id++)
		if (e->tpost[id] && names_held(e, e->tpost[id]))
			kt[id] = 1;
	for (size_t id = 1; id <= ne && id < e->tecap; id++)
		if (e->epost[id] && names_held(e, e->epost[id]))
			ke[id] = 1;
}

static uint32_t df_of(const uint32_t *df, size_t cap, size_t id)
{
	return id < cap ? df[id] : 0;
}

static size_t bucket(uint32_t df)
{
	return df < DF_BUCKETS ? df : DF_BUCKETS - 1;
}

/* Mark the ids of the highest df, terms and entities together: all
 * those whose df reaches the lowest value at which at most quota ids
 * do (none when even the top bucket holds more).  CHR_ENOMEM or OK. */
static chr_status mark_common(const ev_engine *e, uint32_t *kt, size_t nt,
			      uint32_t *ke, size_t ne, size_t quota)
{
	uint32_t *hist = calloc(DF_BUCKETS, sizeof *hist);
	if (!hist)
		return CHR_ENOMEM;
	for (size_t id = 1; id <= nt; id++)
		hist[bucket(df_of(e->tdf, e->tdcap, id))]++;
	for (size_t id = 1; id <= ne; id++)
		hist[bucket(df_of(e->edf, e->tecap, id))]++;
	size_t cut = DF_BUCKETS, sum = 0; /* keep buckets >= cut */
	for (size_t b = DF_BUCKETS - 1; b >= 1; b--) {
		if (sum + hist[b] > quota)
			break;
		sum += hist[b];
		cut = b;
	}
	free(hist);
	for (size_t id = 1; id <= nt; id++)
		if (bucket(df_of(e->tdf, e->tdcap, id)) >= cut)
			kt[id] = 1;
	for (size_t id = 1; id <= ne; id++)
		if (bucket(df_of(e->edf, e->tecap, id)) >= cut)
			ke[id] = 1;
	return CHR_OK;
}

/* Marks -> new ids (the k-th kept id becomes k, 0 = dropped); returns
 * the number kept. */
static size_t renumber(uint32_t *map, size_t n)
{
	uint32_t k = 0;
	for (size_t id = 1; id <= n; id++)
		map[id] = map[id] ? ++k : 0;
	return k;
}

/* Copy the entries of old into out with their keys in mem: ids through
 * map (NULL = unchanged; a 0 drops the entry), or for the groups table
 * (groups set) only the entries whose event is still held. */
static chr_status rebuild(const ev_engine *e, const ht *old,
			  const uint32_t *map, int groups, arena *mem, ht *out)
{
	ht_init(out, old->max);
	for (size_t i = 0; i < old->cap; i++) {
		const ht_entry *h = &old->slots[i];
		if (!h->key)
			continue;
		int64_t v = h->v.num;
		if (groups ? !ev_held(e, (size_t)v - 1) : map && !map[v])
			continue;
		char *k = arena_alloc(mem, h->klen + 1);
		ht_entry *n;
		int created;
		if (!k) {
			ht_free(out);
			return CHR_ENOMEM;
		}
		memcpy(k, h->key, h->klen);
		k[h->klen] = '\0';
		if (!(n = ht_put(out, k, h->klen, &created))) {
			ht_free(out);
			return CHR_ENOMEM;
		}
		n->v.num = groups || !map ? v : (int64_t)map[v];
	}
	return CHR_OK;
}

/* Rewrite a vector's ids (all kept: mark_live saw them); the map is
 * monotone, so the order stays.  The cached cosine names a doc vector
 * of the old numbering: cleared (the norm stays, see the note). */
static void remap_cent(ev_cent *c, const uint32_t *map)
{
	for (uint32_t i = 0; i < c->n; i++)
		c->v[i].id = map[c->v[i].id];
	c->cos_v = NULL;
	c->dot_v = NULL;
}

/* Move df and postings of kept ids down to their new ids (in place:
 * new <= old), free the dropped postings and clear what is above (ids
 * at or past cap were interned but never counted: df 0, no postings). */
static void move_ids(uint32_t *df, ev_post **post, size_t cap,
		     const uint32_t *map, size_t n, size_t kept)
{
	for (size_t id = 1; id <= n; id++) {
		uint32_t to = map[id];
		if (id >= cap) {
			if (to && to < cap)
				df[to] = 0, post[to] = NULL;
		} else if (to) {
			df[to] = df[id];
			post[to] = post[id];
		} else {
			free(post[id]);
		}
	}
	if (kept + 1 < cap) {
		memset(df + kept + 1, 0, (cap - kept - 1) * sizeof *df);
		memset(post + kept + 1, 0, (cap - kept - 1) * sizeof *post);
	}
}

chr_status ev_vocab_compact(ev_engine *e)
{
	size_t nt = e->terms.count, ne = e->ents.count, np = e->places.count;
	uint32_t *mt = calloc(nt + 1, sizeof *mt);
	uint32_t *me = calloc(ne + 1, sizeof *me);
	uint32_t *mp = calloc(np + 1, sizeof *mp);
	chr_status st = mt && me && mp ? CHR_OK : CHR_ENOMEM;
	if (!st) {
		mark_live(e, mt, nt, me, ne, mp, np);
		st = mark_common(e, mt, nt, me, ne, e->vocab_max / 4);
	}
	size_t kt = st ? 0 : renumber(mt, nt), ke = st ? 0 : renumber(me, ne);
	if (!st)
		renumber(mp, np);
	/* the new tables: terms, entities, places, groups */
	const ht *old[4] = { &e->terms, &e->ents, &e->places, &e->groups };
	const uint32_t *map[4] = { mt, me, mp, NULL };
	ht t[4];
	arena mem;
	arena_init(&mem, e->mem.max);
	size_t built = 0;
	while (!st && built < 4)
		if (!(st = rebuild(e, old[built], map[built], built == 3, &mem,
				   &t[built])))
			built++;
	if (st) { /* nothing changed yet */
		while (built)
			ht_free(&t[--built]);
		arena_free(&mem);
		free(mt);
		free(me);
		free(mp);
		return st;
	}
	for (size_t i = 0; i < e->nheld_list; i++) {
		ev_event *ev = e->ev[e->held[i]];
		if (!ev)
			continue;
		remap_cent(&ev->body, mt);
		remap_cent(&ev->head, mt);
		remap_cent(&ev->ents, me);
		for (int k = 0; k < EV_KEEP; k++) {
			remap_cent(&ev->mb[k], mt);
			remap_cent(&ev->me[k], me);
		}
		/* an empty slot's stale key is never read: 0 unless kept */
		for (int k = 0; k < EV_PERSONS; k++)
			ev->person[k] = ev->person[k] <= ne ? me[ev->person[k]] : 0;
		ev->place = ev->place <= np ? mp[ev->place] : 0;
	}
	for (size_t i = 0; i < e->nstory; i++) {
		remap_cent(&e->story[i].ents, me);
		remap_cent(&e->story[i].body, mt);
	}
	move_ids(e->tdf, e->tpost, e->tdcap, mt, nt, kt);
	move_ids(e->edf, e->epost, e->tecap, me, ne, ke);
	ht_free(&e->terms);
	ht_free(&e->ents);
	ht_free(&e->places);
	ht_free(&e->groups);
	arena_free(&e->mem);
	e->terms = t[0];
	e->ents = t[1];
	e->places = t[2];
	e->groups = t[3];
	e->mem = mem;
	/* the doc-vector caches hold ids (tables, top keys) */
	e->docgen++;
	for (int k = 0; e->normc && k < EV_NORMC; k++) {
		e->normc[k].v = NULL;
		e->normc[k].cap = 0;
		e->normc[k].topk = e->normc[k].ntop = 0;
	}
	e->vocab_runs++;
	e->vocab_dropped += (nt + ne) - (kt + ke);
	e->vocab_next = kt + ke + e->vocab_max / 2;
	free(mt);
	free(me);
	free(mp);
	return CHR_OK;
}

chr_status ev_vocab_check(ev_engine *e)
{
	size_t at = e->vocab_next > e->vocab_max ? e->vocab_next : e->vocab_max;
	if (!e->vocab_max || e->terms.count + e->ents.count <= at)
		return CHR_OK;
	return ev_vocab_compact(e);
}
