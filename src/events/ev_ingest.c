/*
 * ev_ingest: the events stage of an ingest run (see events.h).
 *
 * Design note: the engine's state (vocabulary, document frequencies,
 * centroids, the candidate index) is not stored; it is rebuilt when the
 * stage opens by replaying the store's most recent event members
 * (EV_REPLAY_EVENTS events, at most EV_REPLAY_DOCS articles) through the
 * engine with their stored event ids.  That bounds the start-up cost,
 * keeps ids stable (the engine's id counter restarts at the stored
 * maximum) and means an article can join any recent event across runs.
 * Older events stay in the tables but take no new articles, except
 * through a syndication group: a copy of an article placed in any stored
 * event joins that event.
 *
 * Articles are queued as ingest stores them and placed every events
 * batch and at each commit, dated before undated (an undated article is then compared with
 * event spans its batch already set).  Undated articles are dated from
 * their event (ev_date_from_event) with a parameterised UPDATE.  Each
 * event the batch touched is written once, its place picked here from
 * its latest 64 articles' datelines (ev_place_pick: the choice store/sql.c's
 * ST_EV_PUT makes in SQL, without its two temp b-trees per event).  Its
 * article count and those datelines come from the stage's members cache
 * (ev_members.c: kept exact as the stage writes event_articles, read
 * from the store once for an event it does not know), not from SQL
 * over the event's rows at every write, which grew with the event.
 * An article's mention counts per entity are taken when it is queued
 * (store_ents_doc_counts: from the rows the entity store just wrote) and
 * summed per (event, entity) as articles join, each pair written once
 * at the end of the flush (store_ev_ents_add), instead of by insert
 * triggers reading the mention rows back per article; a merge makes the
 * merged event's pending sums the survivor's (ev_eesums.c).
 * Storylines are relinked over the engine's events when the run
 * finishes; a storyline keeps the smallest stored id among its events'
 * previous storylines, so ids stay stable as events are added.
 *
 * A batch is placed in two halves (ev_stage.h): the engine's decisions
 * (ev_decide.c: keys interned, placements, merge checks, no SQLite) and
 * the writes here (write_batch: the decisions' record replayed through
 * the statements below in the order the stage used to make them, then
 * the dates and the event rows).  With the events thread
 * (ev_stage_thread; ingest starts it for threads != 1) ev_stage_place
 * hands a batch over and returns: the engine places it while the store
 * thread stores the next articles, and its rows are written at the next
 * ev_stage_place or ev_stage_flush, in the transaction still open
 * (ingest commits only after ev_stage_flush, which writes all).  On the
 * whole Reuters file with two threads (callgrind, --separate-threads)
 * the store thread ran 15.10 -> 10.53 G instructions (store_one 14.41 ->
 * 9.80 G), the events thread 4.60 G, all threads 32.343 -> 32.366 G; the
 * store thread waited for the events thread at 2 of 14 hand-overs (the
 * last batch of each transaction is decided at its commit, on the store
 * thread: 1.54 G of the 2.73 G left there).  Without the thread the
 * same halves run one after the other.  After an error the batch is
 * dropped and the members cache cleared, as before: the transaction is
 * rolled back and the ingest stops.
 */
#include "ev_stage.h"

#include <stdlib.h>
#include <string.h>

#include "pipeline/article.h"
#include "store/store.h"

#define EV_REPLAY_EVENTS 2000
#define EV_REPLAY_DOCS 4000

int ev_weekday(int32_t days)
{
	return (int)(((days % 7) + 7 + 3) % 7) + 1; /* 1970-01-01: Thursday */
}

/* "XXXX-WXX-N" (a weekday the time stage could not anchor) -> N. */
static int weekday_value(const char *v)
{
	if (strncmp(v, "XXXX-WXX-", 9) || v[9] < '1' || v[9] > '7' || v[10])
		return 0;
	return v[9] - '0';
}

int32_t ev_date_from_event(int32_t lo, int32_t hi, const int *wdays,
			   const int *tense, size_t n)
{
	if (lo == EV_NODAY)
		return EV_NODAY;
	/* A reported weekday ("said on Tuesday", "late Monday") is the day
	 * of that name nearest the event's first day (lo - 3 .. lo + 3); the
	 * article is dated on the latest such day (news name the days of
	 * the week ending on publication), not before the event's first
	 * day.  A weekday ahead ("will resume on Wednesday", "is due to meet
	 * Thursday") is the first day of that name after lo, and only says
	 * the article came out before it: with no reported weekday, the
	 * article gets the event's last day, moved before the earliest day
	 * ahead (not before lo). */
	int32_t best = EV_NODAY, ahead = EV_NODAY;
	for (size_t i = 0; i < n; i++) {
		int fut = tense && tense[i] > 0;
		int32_t d = fut ? lo + 1 : lo - 3;
		while (ev_weekday(d) != wdays[i])
			d++;
		if (fut) {
			if (ahead == EV_NODAY || d < ahead)
				ahead = d;
		} else if (best == EV_NODAY || d > best) {
			best = d;
		}
	}
	if (best == EV_NODAY) {
		best = hi;
		if (ahead != EV_NODAY && best >= ahead)
			best = ahead - 1;
	}
	return best < lo ? lo : best;
}

int ev_check_groups;

chr_status ev_map_id(ev_stage *s, int64_t id, size_t k)
{
	int64_t *key = arena_alloc(&s->keys, sizeof *key);
	int created;
	ht_entry *h;
	if (!key)
		return CHR_ENOMEM;
	*key = id;
	if (!(h = ht_put(&s->ids, (const char *)key, sizeof *key, &created)))
		return CHR_ENOMEM;
	h->v.num = (int64_t)k + 1;
	return CHR_OK;
}

/* The engine index event id was made at (merged or retired or not),
 * -1 when the engine never had it: the key of its members' entry. */
static size_t raw_index(const ev_stage *s, int64_t id)
{
	ht_entry *h = ht_get(&s->ids, (const char *)&id, sizeof id);
	return h ? (size_t)h->v.num - 1 : (size_t)-1;
}

size_t ev_find_id(const ev_stage *s, int64_t id)
{
	ht_entry *h = ht_get(&s->ids, (const char *)&id, sizeof id);
	if (!h || !ev_held(&s->e, (size_t)h->v.num - 1))
		return (size_t)-1; /* not replayed, or retired: the store has it */
	return ev_live(&s->e, (size_t)h->v.num - 1);
}

static int64_t one_int(chr_db *db, enum store_stmt k, int64_t arg, int bind)
{
	sqlite3_stmt *st = store_stmt(db, k);
	if (!st)
		return -1;
	if (bind)
		sqlite3_bind_int64(st, 1, arg);
	int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0)
						    : 0;
	sqlite3_reset(st);
	return v;
}

static const char *col(sqlite3_stmt *st, int i)
{
	const char *v = (const char *)sqlite3_column_text(st, i);
	return v ? v : "";
}

/* Replay one stored article into its stored event. */
static chr_status replay(ev_stage *s, int64_t doc, ev_doc *d)
{
	chr_db *db = s->db;
	sqlite3_stmt *g = store_stmt(db, ST_EV_DOC_GET);
	if (!g)
		return CHR_EDB;
	sqlite3_bind_int64(g, 1, doc);
	int grc = sqlite3_step(g);
	if (grc != SQLITE_ROW) {
		sqlite3_reset(g);
		return grc == SQLITE_DONE ? CHR_OK : store_fail(db, "replay event member");
	}
	int64_t evid = sqlite3_column_int64(g, 0);
	char **ents = NULL;
	int32_t *dates = NULL;
	size_t ne = 0, nd = 0, ce = 0, cd = 0;
	chr_status st = CHR_OK;
	sqlite3_stmt *q = store_stmt(db, ST_EV_DOC_ENTS);
	if (!q)
		st = CHR_EDB;
	else
		sqlite3_bind_int64(q, 1, doc);
	while (!st && sqlite3_step(q) == SQLITE_ROW) {
		if (ne == ce) {
			ce = ce ? ce * 2 : 16;
			char **nv = realloc(ents, ce * sizeof *nv);
			if (!nv) {
				st = CHR_ENOMEM;
				break;
			}
			ents = nv;
		}
		if (!(ents[ne++] = strdup(col(q, 0))))
			st = CHR_ENOMEM;
	}
	if (q)
		sqlite3_reset(q);
	if (!st && !(q = store_stmt(db, ST_EV_DOC_TIMEX)))
		st = CHR_EDB;
	else if (!st)
		sqlite3_bind_int64(q, 1, doc);
	uint16_t rm = 0, um = 0;
	while (!st && sqlite3_step(q) == SQLITE_ROW) {
		ev_input tmp;
		tmp.rmonths = rm;
		tmp.umonths = um;
		ev_input_month(&tmp, col(q, 0));
		rm = tmp.rmonths;
		um = tmp.umonths;
		int32_t day = ev_parse_day(col(q, 0));
		if (day == EV_NODAY)
			continue;
		if (nd == cd) {
			cd = cd ? cd * 2 : 16;
			int32_t *nv = realloc(dates, cd * sizeof *nv);
			if (!nv) {
				st = CHR_ENOMEM;
				break;
			}
			dates = nv;
		}
		dates[nd++] = day;
	}
	if (!st)
		sqlite3_reset(q);
	if (!st) {
		ev_input in;
		memset(&in, 0, sizeof in);
		in.id = col(g, 1);
		in.headline = col(g, 2);
		in.text = col(g, 3);
		in.text_len = strlen(in.text);
		const char *pub = col(g, 4);
		in.published = *pub ? pub : NULL;
		in.dateline = col(g, 5);
		in.group = sqlite3_column_int64(g, 6);
		in.entities = ne ? (const char *const *)ents : NULL;
		in.nentities = ne;
		in.dates = nd ? dates : NULL;
		in.ndates = nd;
		in.rmonths = rm;
		in.umonths = um;
		st = ev_doc_build(&s->e, &in, d);
	}
	sqlite3_reset(g);
	for (size_t i = 0; i < ne; i++)
		free(ents[i]);
	free(ents);
	free(dates);
	if (!st)
		st = ev_observe(&s->e, d);
	if (!st) {
		size_t k = ev_find_id(s, evid), idx;
		st = ev_add_to(&s->e, d, k, &idx);
		if (!st && k == (size_t)-1) {
			s->e.ev[idx]->id = evid;
			s->e.ids[idx] = evid;
			st = ev_map_id(s, evid, idx);
		}
	}
	return st;
}

chr_status ev_stage_open(chr_db *db, ev_stage **out)
{
	*out = NULL;
	ev_stage *s = calloc(1, sizeof *s);
	if (!s)
		return CHR_ENOMEM;
	s->db = db;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	ev_mem_init(&s->mem);
	ev_model m;
	ev_model_builtin(&m);
	chr_status st = ev_engine_init(&s->e, &m);
	s->e.batch_merge = 1; /* merge checks at the batch end (ev_settle) */
	ht_init(&s->ids, 0);
	arena_init(&s->keys, (size_t)1 << 30);
	if (st) {
		ev_stage_free(s);
		return st;
	}
	s->max_id = one_int(db, ST_EV_MAXID, 0, 0);
	if (s->max_id < 0 || (st = ev_ee_open(db, &s->ee))) {
		ev_stage_free(s);
		return st ? st : CHR_EDB;
	}
	/* recent members, replayed oldest first */
	int64_t *docs = malloc(EV_REPLAY_DOCS * sizeof *docs);
	size_t n = 0;
	sqlite3_stmt *q = docs ? store_stmt(db, ST_EV_RECENT_DOCS) : NULL;
	if (!q)
		st = docs ? CHR_EDB : CHR_ENOMEM;
	else {
		sqlite3_bind_int64(q, 1, s->max_id - EV_REPLAY_EVENTS);
		sqlite3_bind_int64(q, 2, EV_REPLAY_DOCS);
		int qrc;
		while (n < EV_REPLAY_DOCS && (qrc = sqlite3_step(q)) == SQLITE_ROW)
			docs[n++] = sqlite3_column_int64(q, 0);
		if (n < EV_REPLAY_DOCS && qrc != SQLITE_DONE)
			st = store_fail(db, "recent event members");
		sqlite3_reset(q);
	}
	ev_doc d;
	ev_doc_init(&d);
	while (!st && n)
		st = replay(s, docs[--n], &d);
	ev_doc_free(&d);
	free(docs);
	s->e.last_id = s->max_id;
	if (st) {
		ev_stage_free(s);
		return st;
	}
	*out = s;
	return CHR_OK;
}

chr_status ev_stage_add(ev_stage *s, chr_article *a)
{
	ev_batch *b = &s->fill;
	if (!a->evprep) /* the text half, made by the events-prep stage */
		return CHR_EINVAL;
	if (b->nq == b->qcap) {
		size_t nc = b->qcap ? b->qcap * 2 : 64;
		pend *nv = realloc(b->q, nc * sizeof *nv);
		if (!nv)
			return CHR_ENOMEM;
		b->q = nv;
		b->qcap = nc;
	}
	pend *p = &b->q[b->nq];
	memset(p, 0, sizeof *p);
	ev_doc_init(&p->d);
	p->rowid = a->rowid;
	chr_status st = store_ents_doc_counts(s->db, a->rowid, &p->ents,
					      &p->nents);
	if (st) {
		free(p->ents);
		return st;
	}
	/* its keys are interned when the batch is decided (the engine's
	 * vocabulary is the events thread's then): the prep goes with it */
	p->prep = a->evprep;
	a->evprep = NULL;
	p->dlok = ev_mem_dateline(&s->mem, a->dateline, &p->dl, &p->dll) ==
		  CHR_OK;
	p->dated = a->published[0] != '\0';
	size_t starts[EV_MAXWDAYS];
	for (size_t i = 0; i < a->timexes.n && p->nwdays < EV_MAXWDAYS; i++) {
		int w = weekday_value(a->timexes.v[i].value);
		if (w) {
			starts[p->nwdays] = a->timexes.v[i].start;
			p->wdays[p->nwdays++] = w;
		}
	}
	if (!p->dated)
		ev_weekday_tenses(a->text, a->text_len, starts, p->wdays,
				  p->wtense, p->nwdays);
	b->nq++;
	return CHR_OK;
}

/* put_event's statements: an event's latest EV_PLACE_N articles and
 * their datelines (newest first: the index order, no sort), the event
 * row with its place and count given (store/sql.c's ST_EV_PUT chose the
 * place in SQL, with two temp b-trees per event written), and the
 * event's count; the first and the last read an event whose members
 * the stage does not know yet (s->mem). */
static const char *const put_sql[] = {
	"SELECT ea.doc, a.dateline FROM event_articles ea JOIN articles a"
	" ON a.rowid = ea.doc WHERE ea.event = ?1 ORDER BY ea.doc DESC"
	" LIMIT 64",
	"INSERT INTO events (id, title, date, date_end, place, n)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(id) DO UPDATE SET"
	" title = excluded.title, date = excluded.date,"
	" date_end = excluded.date_end, place = excluded.place, n = excluded.n",
	"SELECT count(*) FROM event_articles WHERE event = ?1",
};
_Static_assert(EV_PLACE_N == 64, "put_sql's LIMIT");

sqlite3_stmt *ev_lazy_stmt(ev_stage *s, sqlite3_stmt **q, const char *sql)
{
	if (!*q && sqlite3_prepare_v2(s->db->h, sql, -1, q, NULL) != SQLITE_OK)
		return NULL;
	return *q;
}

static sqlite3_stmt *put_stmt(ev_stage *s, size_t i)
{
	return ev_lazy_stmt(s, &s->put_q[i], put_sql[i]);
}

int ev_place_pick(const char *const *v, const int *len, size_t n)
{
	int best = -1, bn = 0, blast = 0;
	for (size_t i = 0; i < n; i++) {
		if (!v[i] || len[i] <= 0)
			continue;
		size_t j = 0; /* counted already at its first row? */
		while (j < i && !(v[j] && len[j] == len[i] &&
				  !memcmp(v[j], v[i], (size_t)len[i])))
			j++;
		if (j < i)
			continue;
		int c = 0, last = 0;
		for (size_t k = i; k < n; k++)
			if (v[k] && len[k] == len[i] &&
			    !memcmp(v[k], v[i], (size_t)len[i]))
				c++, last = (int)k;
		/* more rows, or as many and an earlier earliest article
		 * (rows are newest first: a later last row) */
		if (best < 0 || c > bn || (c == bn && last > blast))
			best = (int)i, bn = c, blast = last;
	}
	return best;
}

/* Bind the event's place to q's ?5 (NULL when none) and its count to
 * ?6, from its members' entry (k: its engine index), made from the
 * store when there is none; when one cannot be kept (the datelines'
 * ceiling), from the rows read.  The rows are its latest EV_PLACE_N
 * articles, newest first, and the place ev_place_pick's choice. */
static chr_status bind_members(ev_stage *s, size_t k, int64_t id,
			       sqlite3_stmt *q)
{
	ev_mev *m = ev_mem_get(&s->mem, k);
	if (m) {
		int b = ev_mem_place(m);
		if (b >= 0)
			sqlite3_bind_text(q, 5, m->lat[b].dl, m->lat[b].len,
					  SQLITE_STATIC); /* (interned) */
		else
			sqlite3_bind_null(q, 5);
		sqlite3_bind_int64(q, 6, m->n);
		return CHR_OK;
	}
	sqlite3_stmt *r = put_stmt(s, 0), *c = put_stmt(s, 2);
	if (!r || !c)
		return store_fail(s->db, "prepare event place");
	char *v[EV_PLACE_N];
	int len[EV_PLACE_N], rc;
	int64_t doc[EV_PLACE_N], n = 0;
	size_t nl = 0;
	chr_status st = CHR_OK;
	sqlite3_bind_int64(r, 1, id);
	while (nl < EV_PLACE_N && (rc = sqlite3_step(r)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(r, 1);
		doc[nl] = sqlite3_column_int64(r, 0);
		len[nl] = t ? sqlite3_column_bytes(r, 1) : 0;
		v[nl] = NULL;
		if (len[nl] > 0 && !(v[nl] = malloc((size_t)len[nl]))) {
			st = CHR_ENOMEM;
			break;
		}
		if (len[nl] > 0)
			memcpy(v[nl], t, (size_t)len[nl]);
		nl++;
	}
	if (!st && nl < EV_PLACE_N && rc != SQLITE_DONE)
		st = store_fail(s->db, "event place");
	sqlite3_reset(r);
	if (!st) {
		sqlite3_bind_int64(c, 1, id);
		if (sqlite3_step(c) == SQLITE_ROW)
			n = sqlite3_column_int64(c, 0);
		else
			st = store_fail(s->db, "event count");
		sqlite3_reset(c);
	}
	if (!st) {
		st = ev_mem_set(&s->mem, k, n, doc, (const char *const *)v, len,
				nl);
		if (!st) {
			for (size_t i = 0; i < nl; i++)
				free(v[i]);
			return bind_members(s, k, id, q);
		}
		if (st == CHR_ELIMIT) /* not kept: this once from the rows */
			st = CHR_OK;
	}
	int b = st ? -1 : ev_place_pick((const char *const *)v, len, nl);
	if (b >= 0)
		sqlite3_bind_text(q, 5, v[b], len[b], SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(q, 5);
	sqlite3_bind_int64(q, 6, n);
	for (size_t i = 0; i < nl; i++)
		free(v[i]);
	return st;
}

/* Write the engine's event k. */
static chr_status put_event(ev_stage *s, size_t k)
{
	const ev_event *ev = s->e.ev[k];
	sqlite3_stmt *q = put_stmt(s, 1);
	if (!q)
		return store_fail(s->db, "prepare event");
	char lo[11], hi[11];
	chr_status st = bind_members(s, k, ev->id, q);
	if (st)
		return st;
	sqlite3_bind_int64(q, 1, ev->id);
	sqlite3_bind_text(q, 2, ev->title, -1, SQLITE_TRANSIENT);
	if (ev->lo != EV_NODAY) {
		ev_fmt_day(ev->lo, lo);
		ev_fmt_day(ev->hi, hi);
		sqlite3_bind_text(q, 3, lo, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(q, 4, hi, -1, SQLITE_TRANSIENT);
	} else {
		sqlite3_bind_null(q, 3);
		sqlite3_bind_null(q, 4);
	}
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? CHR_OK : store_fail(s->db, "store event");
}

static chr_status exec_ii(ev_stage *s, enum store_stmt k, int64_t a,
			  int64_t b, const char *what)
{
	sqlite3_stmt *q = store_stmt(s->db, k);
	if (!q)
		return CHR_EDB;
	sqlite3_bind_int64(q, 1, a);
	sqlite3_bind_int64(q, 2, b);
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? CHR_OK : store_fail(s->db, what);
}

/* The engine merged event `from` into the older event `into`: move the
 * entity counts and the stored articles over and drop the merged event
 * and its storyline link (storylines are relinked when the run ends).
 * The statements are the stage's, prepared at the first merge and
 * finalized with the stage (preparing them at each merge once cost a
 * quarter of the merge); the counts move with ev_ee_merge. */
static chr_status apply_merge(ev_stage *s, int64_t from, int64_t into)
{
	static const char *const sql[] = {
		"UPDATE event_articles SET event = ?2 WHERE event = ?1",
		"DELETE FROM storyline_events WHERE event = ?1",
		"DELETE FROM events WHERE id = ?1",
	};
	_Static_assert(sizeof sql / sizeof *sql ==
			       sizeof s->merge_q / sizeof *s->merge_q,
		       "merge_q");
	chr_status st = ev_ee_merge(s->db, &s->ee, from, into);
	if (!st)
		st = ev_mem_merge(&s->mem, raw_index(s, from),
				  raw_index(s, into));
	if (st)
		return st;
	for (size_t i = 0; i < sizeof sql / sizeof *sql; i++) {
		sqlite3_stmt *q = s->merge_q[i];
		if (!q && sqlite3_prepare_v2(s->db->h, sql[i], -1, &s->merge_q[i],
					     NULL) != SQLITE_OK)
			return store_fail(s->db, "prepare event merge");
		q = s->merge_q[i];
		sqlite3_bind_int64(q, 1, from);
		if (sqlite3_bind_parameter_count(q) > 1)
			sqlite3_bind_int64(q, 2, into);
		int rc = sqlite3_step(q);
		sqlite3_reset(q);
		if (rc != SQLITE_DONE)
			return store_fail(s->db, "merge events");
	}
	return CHR_OK;
}

/* Store p in event ev: a new event_articles row, or, for a doc that
 * has one, an UPDATE, its counts taken from the old event (whose
 * members' entry goes: its next latest doc is not known); p's counts
 * go to ev's pending sums, p to ev's members. */
static chr_status put_article(ev_stage *s, pend *p, int64_t ev)
{
	chr_status st = exec_ii(s, ST_EV_ART_PUT, p->rowid, ev,
				"store event article");
	if (st)
		return st;
	if (!sqlite3_changes(s->db->h)) {
		int64_t old = one_int(s->db, ST_EV_ART_EVENT, p->rowid, 1);
		if (old < 0)
			return CHR_EDB;
		ev_mem_drop(&s->mem, raw_index(s, old));
		if ((st = exec_ii(s, ST_EV_ART_MOVE, p->rowid, ev,
				  "move event article")) ||
		    (st = ev_ee_push(s->db, &s->ee, old, p->ents, p->nents,
				     -1)))
			return st;
	}
	size_t k = raw_index(s, ev);
	if (!p->dlok)
		ev_mem_drop(&s->mem, k);
	else if ((st = ev_mem_add(&s->mem, k, p->rowid, p->dl, p->dll)))
		return st;
	return ev_ee_push(s->db, &s->ee, ev, p->ents, p->nents, 1);
}

static chr_status relink_stories(ev_stage *s)
{
	ev_engine *e = &s->e;
	chr_status st = ev_storylines(e);
	if (st)
		return st;
	int64_t next = one_int(s->db, ST_EV_STORY_MAX, 0, 0);
	if (next < 0)
		return CHR_EDB;
	for (size_t i = 0; i < e->nstory; i++) {
		ev_story *sy = &e->story[i];
		int64_t id = 0;
		for (size_t j = 0; j < sy->n; j++) {
			int64_t old = one_int(s->db, ST_EV_STORY_OF,
					      e->ev[sy->events[j]]->id, 1);
			if (old < 0)
				return CHR_EDB;
			if (old > 0 && (!id || old < id))
				id = old;
		}
		if (!id)
			id = ++next;
		sqlite3_stmt *q = store_stmt(s->db, ST_EV_STORY_PUT);
		if (!q)
			return CHR_EDB;
		sqlite3_bind_int64(q, 1, id);
		sqlite3_bind_text(q, 2, sy->title, -1, SQLITE_TRANSIENT);
		int rc = sqlite3_step(q);
		sqlite3_reset(q);
		if (rc != SQLITE_DONE)
			return store_fail(s->db, "store storyline");
		for (size_t j = 0; j < sy->n; j++)
			if ((st = exec_ii(s, ST_EV_STORY_LINK,
					  e->ev[sy->events[j]]->id, id,
					  "link storyline")))
				return st;
	}
	sqlite3_stmt *q = store_stmt(s->db, ST_EV_STORY_GC);
	if (!q)
		return CHR_EDB;
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? CHR_OK : store_fail(s->db, "storylines");
}

void ev_batch_clear(ev_batch *b)
{
	for (size_t i = 0; i < b->nq; i++) {
		ev_doc_free(&b->q[i].d);
		ev_prep_free(b->q[i].prep);
		free(b->q[i].ents);
	}
	b->nq = b->nops = 0;
	for (size_t k = 0; k < b->ng; k++)
		free(b->g[k].v);
	b->ng = b->nrows = 0;
	free(b->idx);
	b->idx = NULL;
	b->st = CHR_OK;
}

void ev_batch_free(ev_batch *b)
{
	ev_batch_clear(b);
	free(b->q);
	free(b->ops);
	free(b->g);
	memset(b, 0, sizeof *b);
}

/* The write half of batch b, decided (st: how), on the store thread:
 * the store calls the stage made while placing, in the order it made
 * them (b->ops: events made, articles placed, merges), then the event
 * rows.  The batch is emptied whatever happens. */
static chr_status write_batch(ev_stage *s, ev_batch *b, chr_status st)
{
	for (size_t i = 0; !st && i < b->nops; i++) {
		const ev_op *o = &b->ops[i];
		if (o->kind != EV_OP_NEW && o->kind != EV_OP_MERGE &&
		    ev_check_groups &&
		    one_int(s->db, ST_EV_GROUP_EVENT, b->q[o->at].rowid, 1) !=
			    o->b)
			st = CHR_EINVAL; /* (a test's check, see events.h) */
		else if (o->kind == EV_OP_NEW)
			st = ev_mem_new(&s->mem, o->at);
		else if (o->kind == EV_OP_MERGE)
			st = apply_merge(s, o->a, o->b);
		else if (!(st = put_article(s, &b->q[o->at], o->a)) &&
			 o->kind == EV_OP_ART_STORED) /* not in the engine */
			st = exec_ii(s, ST_EV_COUNT_UP, o->a, 0, "count event");
	}
	if (!st)
		st = ev_ee_write(s->db, &s->ee);
	size_t *idx = b->idx;
	/* date the undated from their event's span */
	for (size_t i = 0; !st && i < b->nq; i++) {
		if (b->q[i].dated || idx[i] == (size_t)-1)
			continue;
		const ev_event *ev = ev_held(&s->e, idx[i]);
		if (!ev)
			continue;
		int32_t day = ev_date_from_event(ev->lo, ev->hi, b->q[i].wdays,
						 b->q[i].wtense, b->q[i].nwdays);
		if (day == EV_NODAY)
			continue;
		char buf[11];
		ev_fmt_day(day, buf);
		sqlite3_stmt *q = store_stmt(s->db, ST_EV_DATE_ART);
		if (!q) {
			st = CHR_EDB;
			break;
		}
		sqlite3_bind_int64(q, 1, b->q[i].rowid);
		sqlite3_bind_text(q, 2, buf, -1, SQLITE_TRANSIENT);
		int rc = sqlite3_step(q);
		sqlite3_reset(q);
		if (rc != SQLITE_DONE)
			st = store_fail(s->db, "date article from its event");
	}
	/* events touched by this batch (each written once; merged ones
	 * under their survivor) */
	for (size_t i = 0; !st && i < b->nq; i++)
		if (idx[i] != (size_t)-1)
			idx[i] = ev_live(&s->e, idx[i]);
	for (size_t i = 0; !st && i < b->nq; i++) {
		if (idx[i] == (size_t)-1)
			continue;
		int seen = 0;
		for (size_t j = 0; j < i && !seen; j++)
			seen = idx[j] == idx[i];
		if (!seen)
			st = put_event(s, idx[i]);
	}
	ev_batch_clear(b);
	ev_ee_drop(&s->ee); /* (after an error: rolled back) */
	/* the batch is written: free events that can no longer be joined
	 * (their ids stay in the store and in s->ids; ev_find_id sends a
	 * copy of one of their articles to the store) */
	if (!st) {
		ev_retire(&s->e);
		ev_mem_sweep(&s->mem, &s->e);
	} else {
		ev_mem_clear(&s->mem); /* (rolled back) */
	}
	return st;
}

/* Write the batch handed over, if any, once decided. */
static chr_status land(ev_stage *s)
{
	if (!s->flying)
		return CHR_OK;
	ev_fly_wait(s);
	s->flying = 0;
	return write_batch(s, &s->fly, s->fly.st);
}

/* Land the batch in flight, then hand the queued articles over (to the
 * events thread when async and there are any; else decided and written
 * here). */
static chr_status hand_over(ev_stage *s, int async)
{
	chr_status st = land(s);
	if (st)
		return st;
	ev_batch t = s->fly;
	s->fly = s->fill;
	s->fill = t;
	s->flying = 1;
	if ((st = ev_batch_gather(s, &s->fly))) {
		s->flying = 0;
		return write_batch(s, &s->fly, st);
	}
	if (async && s->threaded && s->fly.nq) {
		ev_fly_start(s);
		return CHR_OK;
	}
	s->fly.st = ev_batch_decide(s, &s->fly);
	return land(s);
}

chr_status ev_stage_place(ev_stage *s)
{
	return hand_over(s, 1);
}

chr_status ev_stage_flush(ev_stage *s, int stories)
{
	chr_status st = hand_over(s, 0);
	if (!st && stories)
		st = relink_stories(s);
	return st;
}

void ev_stage_free(ev_stage *s)
{
	if (!s)
		return;
	ev_thread_stop(s);
	ev_batch_free(&s->fill);
	ev_batch_free(&s->fly);
	ev_ee_free(&s->ee);
	for (size_t i = 0; i < sizeof s->merge_q / sizeof *s->merge_q; i++)
		sqlite3_finalize(s->merge_q[i]); /* NULL: a no-op */
	for (size_t i = 0; i < sizeof s->put_q / sizeof *s->put_q; i++)
		sqlite3_finalize(s->put_q[i]);
	for (size_t i = 0; i < sizeof s->sib_q / sizeof *s->sib_q; i++)
		sqlite3_finalize(s->sib_q[i]);
	ev_mem_free(&s->mem); /* (after put_q: ?5 may point at a dateline) */
	ev_engine_free(&s->e);
	ht_free(&s->ids);
	arena_free(&s->keys);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
	free(s);
}
