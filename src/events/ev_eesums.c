/*
 * ev_eesums: the events stage's pending (event, entity) mention sums
 * (see events.h, ev_eesums).
 *
 * Design note: an article's mention counts per entity are summed per
 * (event, entity) as articles join events, and each pair is written
 * once at the end of a flush (store_ev_ents_add), not by triggers per
 * article.  A merge makes the merged event's pending sums the
 * survivor's: recorded as a rename and applied once, at the write, in
 * the merges' order, each to the sums pushed before it (a scan of every
 * pending sum at each merge grew with the batch).  The merged event's
 * stored rows are taken only when it can have any (upto: the stored
 * maxima at open, raised by each write and merge; an event made since
 * the last write has none): read into the survivor's sums and deleted.
 * A sum taken from an event (a moved doc, < 0) stops at 0 in the
 * table, so with one pending a merge writes the sums first.  Split from
 * ev_ingest.c, which places articles and writes events, so that each
 * file reads on its own.
 */
#include "events.h"

#include <stdlib.h>
#include <string.h>

#include "store/store.h"

#define EV_EE_MAX ((size_t)1 << 20) /* pending (event, entity) sums */

chr_status ev_ee_open(chr_db *db, ev_eesums *p)
{
	static const char *const q[] = {
		"SELECT coalesce(max(event), 0) FROM event_entities",
		"SELECT coalesce(max(id), 0) FROM events",
	};
	memset(p, 0, sizeof *p);
	for (size_t i = 0; i < sizeof q / sizeof *q; i++) {
		sqlite3_stmt *h;
		if (sqlite3_prepare_v2(db->h, q[i], -1, &h, NULL) != SQLITE_OK)
			return store_fail(db, "event entities");
		int rc = sqlite3_step(h);
		int64_t v = rc == SQLITE_ROW ? sqlite3_column_int64(h, 0) : 0;
		sqlite3_finalize(h);
		if (rc != SQLITE_ROW)
			return store_fail(db, "event entities");
		if (v > p->upto)
			p->upto = v;
	}
	return CHR_OK;
}

void ev_ee_free(ev_eesums *p)
{
	for (size_t i = 0; i < sizeof p->take / sizeof *p->take; i++)
		sqlite3_finalize(p->take[i]); /* NULL: a no-op */
	free(p->v);
	memset(p, 0, sizeof *p);
}

void ev_ee_drop(ev_eesums *p)
{
	p->n = p->nneg = 0;
	p->hi = 0;
	if (p->nren)
		memset(p->renbits, 0, sizeof p->renbits);
	p->nren = 0;
}

void ev_ee_rename(ev_eesums *p)
{
	const ev_eeren *r = p->ren;
	size_t nr = p->nren;
	for (size_t i = 0; nr && i < p->n; i++) {
		int64_t e = p->v[i].event;
		uint64_t b = (uint64_t)e % 4096;
		if (!(p->renbits[b / 64] >> (b % 64) & 1))
			continue; /* no merge from e: none applies */
		for (size_t j = 0; j < nr; j++)
			if (e == r[j].from && i < r[j].n)
				e = r[j].into;
		p->v[i].event = e;
	}
	if (nr)
		memset(p->renbits, 0, sizeof p->renbits);
	p->nren = 0;
}

chr_status ev_ee_write(chr_db *db, ev_eesums *p)
{
	ev_ee_rename(p);
	chr_status st = store_ev_ents_add(db, p->v, p->n);
	if (p->n && p->hi > p->upto) /* (rows may now be there) */
		p->upto = p->hi;
	if (!st)
		ev_ee_drop(p);
	return st;
}

chr_status ev_ee_push(chr_db *db, ev_eesums *p, int64_t ev,
		      const store_eidn *c, size_t n, int sign)
{
	chr_status st;
	if (p->n + n > EV_EE_MAX && (st = ev_ee_write(db, p)))
		return st;
	if (p->n + n > p->cap) {
		size_t nc = p->cap ? p->cap : 1024;
		while (nc < p->n + n)
			nc *= 2;
		store_evn *v = realloc(p->v, nc * sizeof *v);
		if (!v)
			return CHR_ENOMEM;
		p->v = v;
		p->cap = nc;
	}
	for (size_t i = 0; i < n; i++)
		p->v[p->n++] = (store_evn){ ev, c[i].eid, sign * c[i].n };
	if (sign < 0)
		p->nneg += n;
	if (n && ev > p->hi)
		p->hi = ev;
	return CHR_OK;
}

chr_status ev_ee_merge(chr_db *db, ev_eesums *p, int64_t from, int64_t into)
{
	chr_status st;
	if (p->nneg) { /* a sum taken from a row stops at 0: write first */
		if ((st = ev_ee_write(db, p)))
			return st;
	} else if (p->n) { /* applied at the write (ev_ee_rename) */
		if (p->nren == EV_EE_RENAMES)
			ev_ee_rename(p);
		p->ren[p->nren++] = (ev_eeren){ from, into, p->n };
		uint64_t b = (uint64_t)from % 4096;
		p->renbits[b / 64] |= (uint64_t)1 << (b % 64);
		if (into > p->hi)
			p->hi = into;
	}
	if (from > p->upto) /* never written, never merged into */
		return CHR_OK;
	if (into > p->upto)
		p->upto = into;
	/* from's rows, as into's sums (added to into's rows at the write,
	 * with into's other sums: what moving them now with an upsert a
	 * row gives), then deleted (one DELETE ... RETURNING cost 3.5
	 * times as much) */
	static const char *const sql[] = {
		"SELECT eid, n FROM event_entities WHERE event = ?1",
		"DELETE FROM event_entities WHERE event = ?1",
	};
	for (size_t i = 0; i < sizeof sql / sizeof *sql; i++)
		if (!p->take[i] &&
		    sqlite3_prepare_v2(db->h, sql[i], -1, &p->take[i], NULL) !=
			    SQLITE_OK)
			return store_fail(db, "prepare merge event entities");
	sqlite3_stmt *q = p->take[0];
	sqlite3_bind_int64(q, 1, from);
	int rc;
	st = CHR_OK;
	while (!st && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		store_eidn c = { sqlite3_column_int64(q, 0),
				 sqlite3_column_int64(q, 1) };
		st = ev_ee_push(db, p, into, &c, 1, 1);
	}
	sqlite3_reset(q);
	if (!st && rc != SQLITE_DONE)
		st = store_fail(db, "merge event entities");
	if (st)
		return st;
	q = p->take[1];
	sqlite3_bind_int64(q, 1, from);
	rc = sqlite3_step(q);
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? CHR_OK
				 : store_fail(db, "merge event entities");
}
