/*
 * events_store: the public read side of events and storylines (see
 * chronicle.h, "Events").
 *
 * Design note: the events stage (src/events/ev_ingest.c) writes the
 * tables events, event_articles, storylines and storyline_events; here
 * SQLite's JSON functions build each object in one statement (sql.c,
 * EV_JSON), so the JSON shape lives in one place and the CLI and the
 * server print what they are handed.  One write lives here too: the
 * stage's per-batch (event, entity) sums go into event_entities sorted,
 * one upsert a pair (store_ev_ents_add), since migration 13 dropped the
 * insert triggers that did it per article; the sums are sorted by an
 * inline merge sort (sort_evn), not qsort.  Pairs of events past every
 * event with rows (db->ee_top, read once a transaction) have no row to
 * add to and go in as plain rows, which need no statement journal
 * (store.c, JOURNAL).
 */
#include "store.h"

#include <stdlib.h>
#include <string.h>

static chr_status each_row(chr_db *db, sqlite3_stmt *s, chr_event_fn fn,
			   void *ctx, const char *what)
{
	chr_status st = CHR_OK;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *js = (const char *)sqlite3_column_text(s, 0);
		size_t n = (size_t)sqlite3_column_bytes(s, 0);
		if (js && fn(ctx, js, n)) {
			st = CHR_EINTERRUPTED;
			break;
		}
	}
	if (!st && rc != SQLITE_DONE)
		st = store_fail(db, what);
	sqlite3_reset(s);
	return st;
}

chr_status chr_db_events(chr_db *db, size_t limit, size_t offset,
			 chr_event_fn fn, void *ctx)
{
	if (!db || !fn)
		return CHR_EINVAL;
	sqlite3_stmt *s = store_stmt(db, ST_EV_LIST);
	if (!s)
		return CHR_EDB;
	sqlite3_bind_int64(s, 1, limit ? (sqlite3_int64)limit : -1);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)offset);
	return each_row(db, s, fn, ctx, "list events");
}

chr_status chr_db_event_json(chr_db *db, int64_t id, char **out, size_t *len)
{
	if (!db || !out)
		return CHR_EINVAL;
	*out = NULL;
	sqlite3_stmt *s = store_stmt(db, ST_EV_GET);
	if (!s)
		return CHR_EDB;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	chr_status st = CHR_OK;
	if (rc == SQLITE_ROW) {
		const char *js = (const char *)sqlite3_column_text(s, 0);
		size_t n = (size_t)sqlite3_column_bytes(s, 0);
		if (!(*out = malloc(n + 1)))
			st = CHR_ENOMEM;
		else {
			memcpy(*out, js ? js : "", n);
			(*out)[n] = '\0';
			if (len)
				*len = n;
		}
	} else if (rc == SQLITE_DONE) {
		st = CHR_ENOTFOUND;
	} else {
		st = store_fail(db, "read event");
	}
	sqlite3_reset(s);
	return st;
}

chr_status chr_db_storylines(chr_db *db, chr_event_fn fn, void *ctx)
{
	if (!db || !fn)
		return CHR_EINVAL;
	sqlite3_stmt *s = store_stmt(db, ST_EV_STORIES);
	if (!s)
		return CHR_EDB;
	return each_row(db, s, fn, ctx, "list storylines");
}

chr_status chr_db_storyline_events(chr_db *db, int64_t id, int64_t **out,
				   size_t *n)
{
	if (!db || !out || !n)
		return CHR_EINVAL;
	*out = NULL;
	*n = 0;
	sqlite3_stmt *s = store_stmt(db, ST_EV_STORY_EVENTS);
	if (!s)
		return CHR_EDB;
	sqlite3_bind_int64(s, 1, id);
	int64_t *ev = NULL;
	size_t cap = 0, k = 0;
	int found = 0, rc;
	chr_status st = CHR_OK;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t e = sqlite3_column_int64(s, 0);
		if (e == 0) { /* the storyline's own row */
			found = 1;
			continue;
		}
		if (k == cap) {
			size_t nc = cap ? cap * 2 : 16;
			int64_t *q = k < CHR_STORY_MAX_EVENTS
					     ? realloc(ev, nc * sizeof *ev) : NULL;
			if (!q) {
				st = k < CHR_STORY_MAX_EVENTS ? CHR_ENOMEM : CHR_ELIMIT;
				break;
			}
			ev = q;
			cap = nc;
		}
		ev[k++] = e;
	}
	if (!st && rc != SQLITE_DONE)
		st = store_fail(db, "read storyline events");
	sqlite3_reset(s);
	if (!st && !found)
		st = CHR_ENOTFOUND;
	if (st) {
		free(ev);
		return st;
	}
	*out = ev;
	*n = k;
	return CHR_OK;
}

/* ---- event_entities, written by the events stage ---- */

static int cmp_evn(const void *a, const void *b)
{
	const store_evn *x = a, *y = b;
	if (x->event != y->event)
		return x->event < y->event ? -1 : 1;
	return (x->eid > y->eid) - (x->eid < y->eid);
}

static inline int evn_before(const store_evn *x, const store_evn *y)
{
	return x->event < y->event || (x->event == y->event && x->eid < y->eid);
}

/* Sort v by (event, eid): insertion sort in runs of EVN_RUN, then
 * bottom-up merges through a buffer of n (the caller's sums are
 * bounded), the compare inline (through qsort it was a sixth of the
 * write); qsort when the buffer cannot be had.  Equal pairs are summed
 * after, so their order does not matter. */
#define EVN_RUN 16

static void sort_evn(store_evn *v, size_t n)
{
	for (size_t lo = 0; lo < n; lo += EVN_RUN) {
		size_t hi = n - lo > EVN_RUN ? lo + EVN_RUN : n;
		for (size_t i = lo + 1; i < hi; i++) {
			store_evn x = v[i];
			size_t j = i;
			for (; j > lo && evn_before(&x, &v[j - 1]); j--)
				v[j] = v[j - 1];
			v[j] = x;
		}
	}
	if (n <= EVN_RUN)
		return;
	store_evn *tmp = malloc(n * sizeof *tmp);
	if (!tmp) {
		qsort(v, n, sizeof *v, cmp_evn);
		return;
	}
	store_evn *src = v, *dst = tmp;
	for (size_t w = EVN_RUN; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = n - lo > w ? lo + w : n;
			size_t hi = n - mid > w ? mid + w : n;
			size_t i = lo, j = mid, k = lo;
			while (i < mid && j < hi) /* either one on a tie */
				dst[k++] = evn_before(&src[j], &src[i])
						   ? src[j++] : src[i++];
			while (i < mid)
				dst[k++] = src[i++];
			while (j < hi)
				dst[k++] = src[j++];
		}
		store_evn *t = src;
		src = dst;
		dst = t;
	}
	if (src != v)
		memcpy(v, src, n * sizeof *v);
	free(tmp);
}

/* One (event, eid) row: added to (made when missing), or taken from
 * and left out when it reaches 0 (a missing row stays missing). */
static chr_status ev_ent(chr_db *db, enum store_stmt k, const store_evn *r,
			 int64_t sum)
{
	sqlite3_stmt *s = store_stmt(db, k);
	if (!s)
		return CHR_EDB;
	sqlite3_bind_int64(s, 1, r->event);
	sqlite3_bind_int64(s, 2, r->eid);
	sqlite3_bind_int64(s, 3, sum);
	int rc = sqlite3_step(s);
	int gone = rc == SQLITE_ROW && sqlite3_column_int64(s, 0) <= 0;
	if (rc == SQLITE_ROW)
		rc = sqlite3_step(s); /* (one row at most: the key) */
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(db, "event entities");
	if (!gone)
		return CHR_OK;
	if (!(s = store_stmt(db, ST_EV_ENT_DEL)))
		return CHR_EDB;
	sqlite3_bind_int64(s, 1, r->event);
	sqlite3_bind_int64(s, 2, r->eid);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? CHR_OK : store_fail(db, "event entities");
}

/* Add v[0..*n) (STORE_EE_ROWS distinct pairs, sorted) in one statement:
 * plain rows when every event is at or past top (above every event
 * with rows before this call; 0: unknown), none having a row to add
 * to, which needs no statement journal (store.c, JOURNAL); else the
 * upsert. */
static chr_status ev_ents_put(chr_db *db, const store_evn *v, size_t *n,
			      int64_t top)
{
	int fresh = top && v[0].event >= top;
	sqlite3_stmt *s = store_stmt_bound(db, fresh ? ST_EV_ENT_NEWN
						     : ST_EV_ENT_ADDN);
	if (!s)
		return CHR_EDB;
	for (int j = 0; j < STORE_EE_ROWS; j++) {
		sqlite3_bind_int64(s, 3 * j + 1, v[j].event);
		sqlite3_bind_int64(s, 3 * j + 2, v[j].eid);
		sqlite3_bind_int64(s, 3 * j + 3, v[j].n);
	}
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	*n = 0;
	return rc == SQLITE_DONE ? CHR_OK : store_fail(db, "event entities");
}

/* db->ee_top for the open transaction: read once (the largest event
 * with rows, + 1), then raised by each write; 0 outside a transaction,
 * where another writer may add rows between statements (every pair
 * then takes the upsert). */
static chr_status ee_top(chr_db *db)
{
	if (db->ee_top || !db->in_tx)
		return CHR_OK;
	sqlite3_stmt *s = store_stmt(db, ST_EV_ENT_MAXEV);
	if (!s)
		return CHR_EDB;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		db->ee_top = sqlite3_column_int64(s, 0) + 1;
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? CHR_OK : store_fail(db, "event entities");
}

chr_status store_ev_ents_add(chr_db *db, store_evn *v, size_t n)
{
	if (!n)
		return CHR_OK;
	sort_evn(v, n); /* the table's order, too */
	chr_status tst = ee_top(db);
	if (tst)
		return tst;
	int64_t top = db->ee_top, hi = v[n - 1].event; /* (sorted: the largest) */
	if (top && hi >= top) /* (raised first: rows may be written) */
		db->ee_top = hi + 1;
	size_t nadd = 0; /* (never past i: a pair takes a row at least) */
	for (size_t i = 0; i < n;) {
		int64_t sum = 0;
		size_t j = i;
		for (; j < n && v[j].event == v[i].event && v[j].eid == v[i].eid;
		     j++)
			sum += v[j].n;
		chr_status st = CHR_OK;
		if (sum < 0)
			st = ev_ent(db, ST_EV_ENT_SUB, &v[i], sum);
		else if (sum > 0) /* v[0..nadd): the sums to add, in order */
			v[nadd++] = (store_evn){ v[i].event, v[i].eid, sum };
		if (!st && nadd == STORE_EE_ROWS)
			st = ev_ents_put(db, v, &nadd, top);
		if (st)
			return st;
		i = j;
	}
	for (size_t k = 0; k < nadd; k++) { /* the last few one a time */
		chr_status st = ev_ent(db, ST_EV_ENT_ADD, &v[k], v[k].n);
		if (st)
			return st;
	}
	return CHR_OK;
}

chr_status store_ev_ents_merge(chr_db *db, int64_t from, int64_t into)
{
	static const enum store_stmt k[] = { ST_EV_ENT_MERGE, ST_EV_ENT_DROP };
	if (db->ee_top && into >= db->ee_top) /* (rows of into may be new) */
		db->ee_top = into + 1;
	for (size_t i = 0; i < sizeof k / sizeof *k; i++) {
		sqlite3_stmt *s = store_stmt(db, k[i]);
		if (!s)
			return CHR_EDB;
		sqlite3_bind_int64(s, 1, from);
		if (k[i] == ST_EV_ENT_MERGE)
			sqlite3_bind_int64(s, 2, into);
		int rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			return store_fail(db, "merge event entities");
	}
	return CHR_OK;
}
