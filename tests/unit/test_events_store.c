/*
 * test_events_store: the events stage's pending event_entities sums
 * (ev_eesums, src/events/ev_ingest.c) against the store.
 *
 * Design note: the oracle is the table recomputed from event_articles
 * and entity_mentions (what the 7 -> 8 migration fills it with), read
 * through a separate connection; the sums are driven the way the stage
 * drives them (each doc's counts pushed to its event, merges, a write at
 * the batch end) with event_articles moved by plain SQL as the stage's
 * own statements move it.  A merge must give the rows writing every sum
 * and moving the merged event's rows gives, whether its sums were
 * still pending (made the survivor's in memory), written before (its
 * rows read back as the survivor's sums and deleted, added at the
 * next write), or with a sum taken from an event pending (written
 * first).
 * The members cache (ev_members, src/events/ev_members.c) is checked
 * against a plain model that keeps every doc of every event (doc id,
 * dateline) and answers by sorting: the count, the latest EV_PLACE_N
 * newest first, ev_place_pick over their datelines.  The cache is
 * driven the way the stage drives it (docs joining in no rowid order,
 * a doc moved out dropping the old event's entry, merges, entries made
 * empty or read from the model as from the store) and every known entry
 * must match the model after each step.  Through an ingest (two runs,
 * batches of 3), each event's row must carry the count and the place
 * the SQL that used to make them gives.
 */
#include "store_fixture.h"

#include <stdint.h>
#include <stdlib.h>

#include "events/events.h"
#include "store/store.h"

/* doc's counts, times sign, to event ev's pending sums. */
static void push(chr_db *db, ev_eesums *p, int64_t doc, int64_t ev, int sign)
{
	store_eidn *c = NULL;
	size_t n = 0;
	CHECK_INT(store_ents_doc_counts(db, doc, &c, &n), CHR_OK);
	CHECK(n > 0);
	CHECK_INT(ev_ee_push(db, p, ev, c, n, sign), CHR_OK);
	free(c);
}

static void sql(sqlite3 *h, const char *q)
{
	CHECK_INT(sqlite3_exec(h, q, NULL, NULL, NULL), SQLITE_OK);
}

/* ev's pending sums, the merges so far applied. */
static size_t pending_of(ev_eesums *p, int64_t ev)
{
	ev_ee_rename(p);
	size_t k = 0;
	for (size_t i = 0; i < p->n; i++)
		k += p->v[i].event == ev;
	return k;
}

static void test_ee_merge(void)
{
	const char *path = fresh_with("ee.db",
		"INSERT INTO entity_mentions VALUES (1, 0, 3, 10, 0, NULL),"
		" (1, 9, 12, 10, 0, NULL), (1, 20, 25, 11, 0, NULL),"
		" (2, 0, 3, 10, 0, NULL), (3, 0, 4, 12, 0, NULL),"
		" (4, 0, 3, 10, 0, NULL), (4, 5, 9, 12, 0, NULL),"
		" (5, 0, 3, 13, 0, NULL), (6, 0, 3, 11, 0, NULL)");
	chr_db *db = path ? reopen(path) : NULL;
	if (!db)
		return;
	sqlite3 *h;
	CHECK_INT(sqlite3_open(path, &h), SQLITE_OK);
	ev_eesums p;
	CHECK_INT(ev_ee_open(db, &p), CHR_OK);
	CHECK_INT(p.upto, 0);
	/* docs 1 and 2 in event 100, written */
	sql(h, "INSERT INTO event_articles VALUES (1, 100), (2, 100)");
	push(db, &p, 1, 100, 1);
	push(db, &p, 2, 100, 1);
	CHECK_INT(ev_ee_write(db, &p), CHR_OK);
	CHECK_INT(p.n, 0);
	CHECK_INT(p.upto, 100);
	CHECK_INT(event_entities_off(path), 0);
	/* a new event (105, above upto: no rows) merged into 100 while
	 * both have sums pending: they become 100's, nothing is written */
	sql(h, "INSERT INTO event_articles VALUES (3, 105), (4, 100)");
	push(db, &p, 3, 105, 1);
	push(db, &p, 4, 100, 1);
	CHECK_INT(ev_ee_merge(db, &p, 105, 100), CHR_OK);
	CHECK_INT(p.n, 3);
	CHECK_INT(pending_of(&p, 105), 0);
	CHECK_INT(raw_int(path, "SELECT count(*) FROM event_entities"), 2);
	sql(h, "UPDATE event_articles SET event = 100 WHERE event = 105");
	CHECK_INT(ev_ee_write(db, &p), CHR_OK);
	CHECK_INT(event_entities_off(path), 0);
	/* an event written after the stage opened (120) has rows: merged,
	 * they are read as 100's sums and go (fails when a write does not
	 * raise upto), and the write adds them to 100's rows */
	sql(h, "INSERT INTO event_articles VALUES (5, 120)");
	push(db, &p, 5, 120, 1);
	CHECK_INT(ev_ee_write(db, &p), CHR_OK);
	CHECK_INT(p.upto, 120);
	CHECK_INT(ev_ee_merge(db, &p, 120, 100), CHR_OK);
	CHECK_INT(pending_of(&p, 100), 1);
	CHECK_INT(raw_int(path, "SELECT count(*) FROM event_entities"
				" WHERE event = 120"), 0);
	sql(h, "UPDATE event_articles SET event = 100 WHERE event = 120");
	CHECK_INT(ev_ee_write(db, &p), CHR_OK);
	CHECK_INT(event_entities_off(path), 0);
	/* a stored event merged into a new one (90) with a sum pending:
	 * its sum and its rows (4) become 90's sums */
	sql(h, "INSERT INTO event_articles VALUES (6, 100)");
	push(db, &p, 6, 100, 1);
	CHECK_INT(raw_int(path, "SELECT count(*) FROM event_entities"
				" WHERE event = 100"), 4);
	CHECK_INT(ev_ee_merge(db, &p, 100, 90), CHR_OK);
	CHECK_INT(pending_of(&p, 100), 0);
	CHECK_INT(pending_of(&p, 90), 5);
	sql(h, "UPDATE event_articles SET event = 90 WHERE event = 100");
	CHECK_INT(ev_ee_write(db, &p), CHR_OK);
	CHECK_INT(event_entities_off(path), 0);
	CHECK_INT(raw_int(path, "SELECT count(*) FROM event_entities"
				" WHERE event <> 90"), 0);
	/* a doc moved (its counts taken from 90, pending) and the event it
	 * went to (130) merged back: the sums are written at the merge,
	 * then 130's new rows read back as 90's sums */
	sql(h, "UPDATE event_articles SET event = 130 WHERE doc = 2");
	push(db, &p, 2, 90, -1);
	push(db, &p, 2, 130, 1);
	CHECK_INT(p.nneg, 1);
	CHECK_INT(ev_ee_merge(db, &p, 130, 90), CHR_OK);
	CHECK_INT(p.nneg, 0);
	CHECK_INT(pending_of(&p, 90), 1);
	CHECK_INT(p.n, 1);
	sql(h, "UPDATE event_articles SET event = 90 WHERE event = 130");
	CHECK_INT(ev_ee_write(db, &p), CHR_OK);
	CHECK_INT(event_entities_off(path), 0);
	CHECK_INT(raw_int(path, "SELECT sum(n) FROM event_entities"), 9);
	ev_ee_free(&p);
	/* opened again: upto is the highest stored event id (either table) */
	CHECK_INT(ev_ee_open(db, &p), CHR_OK);
	CHECK_INT(p.upto, 90);
	sql(h, "INSERT INTO events (id, title) VALUES (140, 't')");
	CHECK_INT(ev_ee_open(db, &p), CHR_OK);
	CHECK_INT(p.upto, 140);
	ev_ee_free(&p);
	sqlite3_close(h);
	chr_db_close(db);
}

/* Through an ingest (the stage's own pushes and writes, in batches of
 * 4, the second run's sums added to the rows of the first's event):
 * the table is the recomputed one. */
static void test_ee_ingest(void)
{
	static const char *const place[] = { "Valmora", "Kessmar", "Hesper" };
	static const char *const what[] = {
		"Dock workers in %s walked out on Monday over pay, the Harbour"
		" Union said.  Union leader Ana Perl said the strike at the port"
		" of %s would go on until the Port Authority met its demands.",
		"Foreign ministers from %s and Nordhaven met in Geneva on Tuesday"
		" for talks on the river border, the Foreign Ministry of %s said."
		"  Minister Tomas Reyes called the talks useful.",
	};
	char text[24][512], id[24][16];
	chr_doc d[24];
	for (int i = 0; i < 24; i++) {
		const char *pl = place[i % 3];
		int k = snprintf(text[i], sizeof text[i], what[(i / 3) % 2],
				 pl, pl);
		snprintf(text[i] + k, sizeof text[i] - (size_t)k,
			 "  Report %d of %s from %s.", i, "the wire", pl);
		snprintf(id[i], sizeof id[i], "ee-%02d", i);
		d[i] = doc(id[i], i % 2 ? "Strike and talks" : "Port news",
			   text[i]);
	}
	chr_db *db = fresh("eei.db");
	if (!db)
		return;
	chr_ingest_stats st;
	CHECK_INT(ingest(db, d, 12, 4, &st), CHR_OK);
	CHECK_INT(ingest(db, d + 12, 12, 4, &st), CHR_OK);
	chr_db_close(db);
	const char *path = tpath("eei.db");
	CHECK_INT(raw_int(path, "SELECT count(*) FROM event_articles"), 24);
	CHECK_INT(event_entities_off(path), 0);
}

/* store_ev_ents_add over many sums in no order (pairs repeated, sums
 * taken from rows and from missing ones): each pair's sums are added
 * together, so the table is what one upsert a pair of the whole sum
 * gives (fails when the sort leaves a pair's sums apart: a part taken
 * from a missing row is lost, or one that takes a row to 0 drops it
 * before the rest comes back). */
#define SE 4
#define SK 30

static void test_ee_add_sorted(void)
{
	chr_db *db = fresh("eea.db");
	if (!db)
		return;
	const char *path = tpath("eea.db");
	static store_evn v[2000];
	long long want[SE + 1][SK + 1] = { { 0 } };
	long long sum[SE + 1][SK + 1] = { { 0 } };
	size_t n = 0;
	for (int ev = 1; ev <= 3; ev++) /* rows of 5 to start from */
		for (int k = 1; k <= 20; k++) {
			v[n++] = (store_evn){ ev, k, 5 };
			want[ev][k] = 5;
		}
	CHECK_INT(store_ev_ents_add(db, v, n), CHR_OK);
	uint32_t r = 12345;
	for (n = 0; n < sizeof v / sizeof *v; n++) {
		r = r * 1103515245u + 12345u;
		int ev = 1 + (int)(r >> 16) % SE;
		r = r * 1103515245u + 12345u;
		int k = 1 + (int)(r >> 16) % SK;
		r = r * 1103515245u + 12345u;
		int x = (int)(r >> 16) % 8 - 3; /* -3 .. 4 */
		v[n] = (store_evn){ ev, k, x };
		sum[ev][k] += x;
	}
	CHECK_INT(store_ev_ents_add(db, v, n), CHR_OK);
	chr_db_close(db);
	long long rows = 0, bad = 0, negs = 0;
	for (int ev = 1; ev <= SE; ev++)
		for (int k = 1; k <= SK; k++) {
			long long w = want[ev][k];
			if (sum[ev][k] > 0 || w) /* a missing row stays missing */
				w += sum[ev][k];
			negs += sum[ev][k] < 0;
			if (w < 0)
				w = 0;
			rows += w > 0;
			char q[128];
			snprintf(q, sizeof q, "SELECT coalesce(max(n), 0) FROM"
				 " event_entities WHERE event = %d AND eid = %d",
				 ev, k);
			bad += raw_int(path, q) != w;
		}
	CHECK(negs > 0);
	CHECK_INT(bad, 0);
	CHECK_INT(raw_int(path, "SELECT count(*) FROM event_entities"), rows);
}

/* Merges relabel the pending sums at the write (ev_ee_rename), as a
 * scan at each merge did: each merge applies to the sums pushed before
 * it, chains follow (a -> b, then b -> c), a sum pushed to a merged id
 * after its merge stays (fails when the order or the prefix is lost, or
 * a rename map that fills up is not applied first). */
static void test_ee_renames(void)
{
	enum { NV = 3000 };
	static int64_t want[NV];
	ev_eesums p;
	memset(&p, 0, sizeof p); /* upto 0: no rows, no db needed */
	uint32_t r = 4242;
	size_t merges = 0, chained = 0;
	for (int step = 0; step < 4000 && p.n < NV; step++) {
		r = r * 1103515245u + 12345u;
		int64_t a = 1 + (int64_t)(r >> 16) % 40;
		r = r * 1103515245u + 12345u;
		int64_t b = 1 + (int64_t)(r >> 16) % 40;
		if ((r >> 8) % 8) { /* a sum to a, or to 4096 + a (a's bit) */
			store_eidn c = { (int64_t)(r >> 4) % 50, 1 };
			int64_t e = (r >> 12) % 5 ? a : 4096 + a;
			want[p.n] = e;
			CHECK_INT(ev_ee_push(NULL, &p, e, &c, 1, 1), CHR_OK);
		} else if (a != b) { /* a merged into b */
			for (size_t i = 0; i < p.n; i++)
				if (want[i] == a) {
					want[i] = b;
					chained += p.nren > 0;
				}
			CHECK_INT(ev_ee_merge(NULL, &p, a, b), CHR_OK);
			merges++;
		}
	}
	CHECK(merges > EV_EE_RENAMES); /* the map filled at least once */
	CHECK(chained > 0);
	ev_ee_rename(&p);
	size_t bad = 0;
	for (size_t i = 0; i < p.n; i++)
		bad += p.v[i].event != want[i];
	CHECK_INT(bad, 0);
	CHECK_INT(p.nren, 0);
	ev_ee_free(&p);
}

#define NE 6
#define ND 1500

static const char *const dls[] = { "VALMORA", "KESSMAR", "", "HESPER" };

static int64_t owner[ND + 1]; /* doc -> event + 1, 0: none */
static int dlof[ND + 1];      /* doc -> dls index */

/* Event k's latest min(n, EV_PLACE_N) docs, newest first; its count. */
static int64_t model(int k, int64_t *doc, size_t *nl)
{
	int64_t n = 0;
	*nl = 0;
	for (int64_t d = ND; d >= 1; d--)
		if (owner[d] == k + 1) {
			n++;
			if (*nl < EV_PLACE_N)
				doc[(*nl)++] = d;
		}
	return n;
}

/* 1 when k's entry (if any) is the model's. */
static int matches(const ev_members *m, int k)
{
	const ev_mev *v = ev_mem_get(m, (size_t)k);
	if (!v)
		return 1;
	int64_t doc[EV_PLACE_N];
	size_t nl;
	int64_t n = model(k, doc, &nl);
	if (v->n != n || v->nl != nl)
		return 0;
	const char *dl[EV_PLACE_N];
	int len[EV_PLACE_N];
	for (size_t i = 0; i < nl; i++) {
		const char *w = dls[dlof[doc[i]]];
		if (v->lat[i].doc != doc[i] || v->lat[i].len != (int)strlen(w) ||
		    (*w && memcmp(v->lat[i].dl, w, strlen(w))))
			return 0;
		dl[i] = w;
		len[i] = (int)strlen(w);
	}
	return ev_mem_place(v) == ev_place_pick(dl, len, nl);
}

/* k's entry read from the model, as the stage reads it from the store. */
static void load(ev_members *m, int k)
{
	int64_t doc[EV_PLACE_N];
	const char *dl[EV_PLACE_N];
	int len[EV_PLACE_N];
	size_t nl;
	int64_t n = model(k, doc, &nl);
	for (size_t i = 0; i < nl; i++) {
		dl[i] = dls[dlof[doc[i]]];
		len[i] = (int)strlen(dl[i]);
	}
	CHECK_INT(ev_mem_set(m, (size_t)k, n, doc, dl, len, nl), CHR_OK);
}

static void test_mem_model(void)
{
	ev_members m;
	ev_mem_init(&m);
	memset(owner, 0, sizeof owner);
	const char *p;
	int len;
	CHECK_INT(ev_mem_dateline(&m, "", &p, &len), CHR_OK);
	CHECK(!p && !len);
	CHECK_INT(ev_mem_dateline(&m, NULL, &p, &len), CHR_OK);
	CHECK(!p && !len);
	for (int k = 0; k < NE; k++)
		CHECK_INT(ev_mem_new(&m, (size_t)k), CHR_OK);
	uint32_t r = 777;
	int bad = 0, known = 0, merged = 0, moved = 0;
	int64_t next = 1; /* docs come in blocks, each block in no order */
	for (int step = 0; step < 4000 && next <= ND; step++) {
		r = r * 1103515245u + 12345u;
		int op = (int)(r >> 16) % 100;
		r = r * 1103515245u + 12345u;
		int k = (int)(r >> 16) % NE, j = (int)(r >> 8) % NE;
		if (op < 70) { /* a doc joins: a later one of the next 8 */
			int64_t d = next + (int64_t)(r >> 20) % 8;
			while (d > ND || owner[d])
				d = d > ND ? next : d + 1;
			dlof[d] = (int)(r >> 4) % 4;
			owner[d] = k + 1;
			while (next <= ND && owner[next])
				next++;
			CHECK_INT(ev_mem_dateline(&m, dls[dlof[d]], &p, &len),
				  CHR_OK);
			CHECK_INT(ev_mem_add(&m, (size_t)k, d, p, len), CHR_OK);
		} else if (op < 74 && next > 1) { /* a doc moves k -> j */
			int64_t d = 1 + (int64_t)(r >> 20) % (next - 1);
			if (!owner[d])
				continue;
			ev_mem_drop(&m, (size_t)owner[d] - 1);
			owner[d] = k + 1;
			CHECK_INT(ev_mem_dateline(&m, dls[dlof[d]], &p, &len),
				  CHR_OK);
			CHECK_INT(ev_mem_add(&m, (size_t)k, d, p, len), CHR_OK);
			moved++;
		} else if (op < 82 && j != k) { /* k merged into j */
			merged += ev_mem_get(&m, (size_t)k) &&
				  ev_mem_get(&m, (size_t)j);
			for (int64_t d = 1; d <= ND; d++)
				if (owner[d] == k + 1)
					owner[d] = j + 1;
			CHECK_INT(ev_mem_merge(&m, (size_t)k, (size_t)j),
				  CHR_OK);
			CHECK(!ev_mem_get(&m, (size_t)k));
		} else if (!ev_mem_get(&m, (size_t)k)) {
			load(&m, k);
		}
		for (int e = 0; e < NE; e++) {
			bad += !matches(&m, e);
			known += ev_mem_get(&m, (size_t)e) != NULL;
		}
	}
	CHECK_INT(bad, 0);
	CHECK(known > 1000);
	CHECK(merged > 10);
	CHECK(moved > 10);
	int64_t most = 0, doc[EV_PLACE_N]; /* past EV_PLACE_N somewhere */
	for (int e = 0; e < NE; e++) {
		size_t nl;
		int64_t n = model(e, doc, &nl);
		most = n > most ? n : most;
	}
	CHECK(most > EV_PLACE_N);
	ev_mem_clear(&m);
	for (int e = 0; e < NE; e++)
		CHECK(!ev_mem_get(&m, (size_t)e));
	ev_mem_free(&m);
}

/* Two runs in batches of 3 (the second run's events read back from the
 * store at their first write): each event's n and place are what SQL
 * makes of its rows. */
static void test_mem_ingest(void)
{
	static const char *const place[] = { "VALMORA", "KESSMAR", "HESPER",
					     "" };
	static const char *const what[] = {
		"Dock workers walked out on Monday over pay, the Harbour Union"
		" said.  Union leader Ana Perl said the strike at the port of"
		" Valmora would go on until the Port Authority met its"
		" demands.",
		"Foreign ministers from Kessmar and Nordhaven met in Geneva on"
		" Tuesday for talks on the river border, the Foreign Ministry"
		" said.  Minister Tomas Reyes called the talks useful.",
	};
	enum { N = 30 };
	char text[N][512], id[N][16];
	chr_doc d[N];
	for (int i = 0; i < N; i++) {
		snprintf(text[i], sizeof text[i], "%s  Report %d of the wire.",
			 what[(i / 5) % 2], i);
		snprintf(id[i], sizeof id[i], "mem-%02d", i);
		d[i] = doc(id[i], i % 2 ? "Strike and talks" : "Port news",
			   text[i]);
		d[i].dateline = place[(i * 7) % 4];
		d[i].date = "2024-03-04";
	}
	chr_db *db = fresh("mem.db");
	if (!db)
		return;
	chr_ingest_stats st;
	CHECK_INT(ingest(db, d, 14, 3, &st), CHR_OK);
	CHECK_INT(ingest(db, d + 14, N - 14, 3, &st), CHR_OK);
	chr_db_close(db);
	const char *path = tpath("mem.db");
	CHECK_INT(raw_int(path, "SELECT count(*) FROM event_articles"), N);
	CHECK_INT(raw_int(path, "SELECT count(*) FROM events e WHERE n <>"
			  " (SELECT count(*) FROM event_articles"
			  " WHERE event = e.id)"), 0);
	CHECK(raw_int(path, "SELECT max(n) FROM events") > 3);
	long long top = raw_int(path, "SELECT max(id) FROM events");
	int bad = 0, placed = 0;
	for (long long e = 1; e <= top; e++) {
		char q[640], got[64], want[64];
		snprintf(q, sizeof q, "SELECT place FROM events WHERE id = %lld",
			 e);
		raw_text(path, q, got, sizeof got);
		snprintf(q, sizeof q, "SELECT dateline FROM (SELECT a.dateline,"
			 " a.rowid AS r FROM event_articles ea JOIN articles a"
			 " ON a.rowid = ea.doc WHERE ea.event = %lld ORDER BY"
			 " ea.doc DESC LIMIT 64) WHERE dateline <> '' GROUP BY"
			 " dateline ORDER BY count(*) DESC, min(r) LIMIT 1", e);
		raw_text(path, q, want, sizeof want);
		bad += strcmp(got, want) != 0;
		placed += *got != '\0';
	}
	CHECK_INT(bad, 0);
	CHECK(placed > 0);
}

int main(void)
{
	static const th_test tests[] = {
		TEST(test_ee_merge),
		TEST(test_ee_ingest),
		TEST(test_ee_add_sorted),
		TEST(test_ee_renames),
		TEST(test_mem_model),
		TEST(test_mem_ingest),
	};
	make_tmpdir();
	int rc = th_run("events_store", tests, sizeof tests / sizeof tests[0]);
	remove_tmpdir();
	return rc;
}
