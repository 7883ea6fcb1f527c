/*
 * test_store_query: what the store answers once articles are in:
 * entity counts and lookup, per-event entity counts (kept by the
 * events stage and triggers),
 * the articles listing and full-text search.
 *
 * Design note: split from test_store.c (open, schema, round trip,
 * idempotence) when that passed 1,000 lines; the same outside-in style:
 * each test drives a fresh file through chr_db_* / chr_ingest_* and
 * checks it with a separate sqlite3 connection (store_fixture.h).
 */
#include "harness.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>

#include "chronicle.h"
#include "store_fixture.h"
#include "dedup/dedup.h"
#include "entities/canon.h"
#include "entities/entities.h"
#include "store/store.h"

/* ---- entities ---- */

/* Add docs [lo, hi]'s counts times sign to event ev the way the events
 * stage does (src/events/ev_ingest.c): each doc's (eid, n) pairs, then
 * the (event, eid) sums written once. */
static void stage_add(chr_db *db, int64_t lo, int64_t hi, int64_t ev,
		      int sign)
{
	store_evn v[16];
	size_t nv = 0;
	for (int64_t doc = lo; doc <= hi; doc++) {
		store_eidn *c = NULL;
		size_t n = 0;
		CHECK_INT(store_ents_doc_counts(db, doc, &c, &n), CHR_OK);
		for (size_t i = 0; i < n && nv < 16; i++)
			v[nv++] = (store_evn){ ev, c[i].eid, sign * c[i].n };
		free(c);
	}
	CHECK_INT(store_ev_ents_add(db, v, nv), CHR_OK);
}

/* event_entities follows event_articles: an article placed (the stage
 * adds its counts: migration 12 -> 13 dropped the insert and move
 * triggers, so a bare INSERT or UPDATE counts nothing), placed again in
 * another event (its counts taken from the old one), moved by a merge
 * (the merged event's rows summed into the survivor's), removed (the
 * delete trigger); and the 7 -> 8 migration fills it from existing
 * rows. */
static void test_event_entity_counts(void)
{
	chr_db *db = fresh("ee.db");
	if (!db)
		return;
	const char *p = tpath("ee.db");
	sqlite3 *h;
	CHECK_INT(sqlite3_open(p, &h), SQLITE_OK);
	CHECK_INT(raw_int(p, "SELECT count(*) FROM sqlite_master WHERE"
			     " type = 'trigger' AND tbl_name = 'event_articles'"),
		  1); /* delete */
	static const char *const steps[] = {
		"INSERT INTO entity_mentions VALUES (1, 0, 3, 10, 0, NULL),"
		" (1, 9, 12, 10, 0, NULL), (1, 20, 25, 11, 0, NULL),"
		" (2, 0, 3, 10, 0, NULL), (3, 0, 4, 12, 0, NULL)",
		"INSERT INTO event_articles VALUES (1, 100), (2, 100), (3, 101)",
		"UPDATE event_articles SET event = 101 WHERE doc = 2",
		"UPDATE event_articles SET event = 100 WHERE event = 101",
		"DELETE FROM event_articles WHERE doc = 1",
	};
	static const long long n10[] = { -1, 3, 2, 3, 1 }; /* eid 10 in 100 */
	for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
		CHECK_INT(sqlite3_exec(h, steps[i], NULL, NULL, NULL), SQLITE_OK);
		if (i == 1) { /* a bare insert: nothing yet, then the stage's */
			CHECK_INT(raw_int(p, "SELECT count(*) FROM"
					     " event_entities"), 0);
			stage_add(db, 1, 2, 100, 1);
			stage_add(db, 3, 3, 101, 1);
		} else if (i == 2) { /* nothing moved yet */
			CHECK_INT(event_entities_off(p), 3);
			stage_add(db, 2, 2, 100, -1);
			stage_add(db, 2, 2, 101, 1);
		} else if (i == 3) {
			CHECK_INT(event_entities_off(p), 5);
			CHECK_INT(store_ev_ents_merge(db, 101, 100), CHR_OK);
		}
		CHECK_INT(event_entities_off(p), 0);
		if (n10[i] >= 0)
			CHECK_INT(raw_int(p, "SELECT coalesce(sum(n), 0) FROM"
					     " event_entities WHERE eid = 10"
					     " AND event = 100"),
				  n10[i]);
	}
	chr_db_close(db);
	/* emptied rows go: only event 100 is left, with docs 2 and 3 */
	CHECK_INT(raw_int(p, "SELECT count(*) FROM event_entities"), 2);
	/* the 7 -> 8 migration fills the table from the rows it finds */
	CHECK_INT(sqlite3_exec(h, "DROP TABLE event_entities;"
			       " DROP TRIGGER IF EXISTS event_entities_replace;"
			       " DROP TRIGGER IF EXISTS event_entities_add;"
			       " DROP TRIGGER IF EXISTS event_entities_move;"
			       " DROP TRIGGER event_entities_del;"
			       " DROP TABLE dedup_keyset;"
			       " CREATE TABLE dedup_keys (doc INTEGER NOT NULL,"
			       " key INTEGER NOT NULL, PRIMARY KEY (doc, key))"
			       " WITHOUT ROWID;"
			       " PRAGMA user_version = 7;", NULL, NULL, NULL),
		  SQLITE_OK);
	sqlite3_close(h);
	CHECK_INT(chr_db_open(p, &db), CHR_OK);
	chr_db_close(db);
	CHECK_INT(raw_int(p, "SELECT count(*) FROM event_entities"), 2);
	CHECK_INT(event_entities_off(p), 0);
	CHECK_INT(raw_int(p, "SELECT count(*) FROM sqlite_master WHERE"
			     " type = 'trigger' AND tbl_name = 'event_articles'"),
		  1); /* 12 -> 13 ran again */
}

/* An article's counts from the mention rows just written: one row a
 * start, the last written (INSERT OR REPLACE), counted per entity in
 * eid order; and the stage's sums, one row per (event, entity). */
static void test_doc_counts(void)
{
	chr_db *db = fresh("dc.db");
	if (!db)
		return;
	static const store_men rows[] = {
		{ 5, 30 }, { 9, 20 }, { 5, 31 }, { -1, 20 }, { 9, 20 },
	};
	store_ents_rows(db, 7, rows, sizeof rows / sizeof *rows);
	store_eidn *c = NULL;
	size_t n = 0;
	CHECK_INT(store_ents_doc_counts(db, 7, &c, &n), CHR_OK);
	CHECK_INT(n, 2);
	if (c && n == 2) {
		CHECK_INT(c[0].eid, 20); /* starts -1 and 9 */
		CHECK_INT(c[0].n, 2);
		CHECK_INT(c[1].eid, 31); /* start 5's last row */
		CHECK_INT(c[1].n, 1);
	}
	free(c);
	/* counts handed over with the rows answer instead (eid order as
	 * given); for another doc they are ignored, and new rows drop them */
	static const store_eidn given[] = { { 20, 5 }, { 44, 1 } };
	store_ents_counts(db, 6, given, 2);
	CHECK_INT(store_ents_doc_counts(db, 7, &c, &n), CHR_OK);
	CHECK_INT(n, 2);
	if (c && n == 2)
		CHECK_INT(c[1].eid, 31);
	free(c);
	store_ents_counts(db, 7, given, 2);
	CHECK_INT(store_ents_doc_counts(db, 7, &c, &n), CHR_OK);
	CHECK_INT(n, 2);
	if (c && n == 2) {
		CHECK_INT(c[0].eid, 20);
		CHECK_INT(c[0].n, 5);
		CHECK_INT(c[1].eid, 44);
	}
	free(c);
	store_ents_rows(db, 7, rows, 1);
	CHECK_INT(store_ents_doc_counts(db, 7, &c, &n), CHR_OK);
	CHECK_INT(n, 1);
	if (c && n == 1)
		CHECK_INT(c[0].eid, 30);
	free(c);
	/* the same made in place (entities.c): taking room forgets what
	 * was held until the rows are said to be doc's; counts only for
	 * the doc whose rows are held, and only once said */
	store_men *mr = store_ents_rows_buf(db, 3);
	CHECK(mr != NULL);
	CHECK_INT(store_ents_row_eid(db, 7, 5, &(int64_t){ 0 }), 0);
	CHECK(store_ents_counts_buf(db, 7, 1) == NULL);
	if (mr) {
		mr[0] = (store_men){ 4, 50 };
		mr[1] = (store_men){ 8, 51 };
		mr[2] = (store_men){ 4, 52 };
		store_ents_rows_set(db, 9, 3);
	}
	CHECK(store_ents_counts_buf(db, 7, 1) == NULL);
	store_eidn *mc = store_ents_counts_buf(db, 9, 0);
	CHECK(mc != NULL);
	CHECK_INT(store_ents_doc_counts(db, 9, &c, &n), CHR_OK);
	CHECK_INT(n, 2); /* from the rows: start 4's last (52), 51 */
	if (c && n == 2)
		CHECK_INT(c[0].eid + c[1].eid, 103);
	free(c);
	store_ents_counts_set(db, 9, 0); /* said: none */
	CHECK_INT(store_ents_doc_counts(db, 9, &c, &n), CHR_OK);
	CHECK_INT(n, 0);
	free(c);
	/* another doc: read from the table (none there) */
	CHECK_INT(store_ents_doc_counts(db, 8, &c, &n), CHR_OK);
	CHECK_INT(n, 0);
	CHECK(c == NULL);
	store_evn v[] = {
		{ 3, 20, 2 }, { 2, 20, 1 }, { 3, 31, 1 }, { 3, 20, 4 },
	};
	CHECK_INT(store_ev_ents_add(db, v, 4), CHR_OK);
	CHECK_INT(store_ev_ents_add(db, v, 1), CHR_OK); /* v[0]: (2, 20, 1) */
	/* ten pairs: eight in one statement, two alone; then one taken
	 * back to 0, which removes its row */
	store_evn w[11];
	for (int i = 0; i < 10; i++)
		w[i] = (store_evn){ 5, 100 + i, i + 1 };
	w[10] = (store_evn){ 5, 100, 1 };
	CHECK_INT(store_ev_ents_add(db, w, 11), CHR_OK);
	const char *p = tpath("dc.db");
	CHECK_INT(raw_int(p, "SELECT count(*) || sum(n) FROM event_entities"
			     " WHERE event = 5"), 1056);
	CHECK_INT(raw_int(p, "SELECT n FROM event_entities WHERE event = 5"
			     " AND eid = 100"), 2);
	w[0] = (store_evn){ 5, 100, -2 };
	w[1] = (store_evn){ 5, 109, -3 };
	CHECK_INT(store_ev_ents_add(db, w, 2), CHR_OK);
	CHECK_INT(raw_int(p, "SELECT count(*) || sum(n) FROM event_entities"
			     " WHERE event = 5"), 951);
	chr_db_close(db);
	CHECK_INT(raw_int(p, "SELECT count(*) FROM event_entities"
			     " WHERE event < 5"), 3);
	CHECK_INT(raw_int(p, "SELECT n FROM event_entities WHERE event = 3"
			     " AND eid = 20"), 6);
	CHECK_INT(raw_int(p, "SELECT n FROM event_entities WHERE event = 2"
			     " AND eid = 20"), 2);
}

/* An entity's mention count and its aliases' counts are sums over its
 * stored mentions, whatever order or repetition the article has. */
static void test_entity_counts(void)
{
	chr_db *db = fresh("ec.db");
	if (!db)
		return;
	chr_doc d[2];
	d[0] = doc("ec1", "Lavrov meets Wang Yi in Moscow",
		   "MOSCOW (Reuters) - Russian Foreign Minister Sergei Lavrov met"
		   " Chinese Foreign Minister Wang Yi in Moscow on Monday. Lavrov"
		   " said the talks were useful. Wang said China and Russia would"
		   " keep talking, and Lavrov agreed.");
	d[1] = doc("ec2", "Lavrov in Beijing",
		   "BEIJING (Reuters) - Sergei Lavrov arrived in Beijing on Friday."
		   " Lavrov will meet Wang Yi on Saturday.");
	d[0].date = "2024-04-01";
	d[1].date = "2024-04-05";
	chr_ingest_stats s;
	CHECK_INT(ingest(db, d, 2, 0, &s), CHR_OK);
	chr_db_close(db);
	const char *p = tpath("ec.db");
	long long lav = raw_int(p, "SELECT eid FROM entity_aliases"
				   " WHERE alias = 'Lavrov'");
	CHECK(lav > 0);
	/* each alias's count is the number of its stored mentions written
	 * so (headline mentions are stored at -1 - start) */
	CHECK_INT(raw_int(p, "SELECT count(*) FROM entity_aliases al WHERE n !="
			     " (SELECT count(*) FROM entity_mentions m JOIN articles a"
			     " ON a.rowid = m.doc WHERE m.eid = al.eid AND al.alias ="
			     " CASE WHEN m.start >= 0"
			     " THEN substr(a.text, m.start + 1, m.end - m.start)"
			     " ELSE substr(a.headline, -m.start, m.end + 1 + m.start) END)"),
		  0);
	CHECK(raw_int(p, "SELECT n FROM entity_aliases WHERE alias = 'Lavrov'") >= 3);
	CHECK(raw_int(p, "SELECT n FROM entity_aliases"
			 " WHERE alias = 'Sergei Lavrov'") >= 2);
	CHECK(raw_int(p, "SELECT mentions FROM entities WHERE eid ="
			 " (SELECT eid FROM entity_aliases WHERE alias = 'Lavrov')") >= 5);
	/* and for every entity */
	CHECK_INT(raw_int(p, "SELECT count(*) FROM entities e WHERE mentions !="
			     " (SELECT count(*) FROM entity_mentions m WHERE m.eid = e.eid)"
			     " OR mentions != (SELECT sum(n) FROM entity_aliases a"
			     " WHERE a.eid = e.eid)"),
		  0);
	CHECK(raw_int(p, "SELECT count(*) FROM entities") >= 4);
}

/* sql run on the file through a separate connection; the SQLite code. */
static int raw_exec(const char *path, const char *sql)
{
	sqlite3 *h;
	int rc = sqlite3_open(path, &h);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(h, sql, NULL, NULL, NULL);
	sqlite3_close(h);
	return rc;
}

/* The entity store's memory (src/store/entcache.c): the key cache is
 * read whole from a small table and then answers "not stored" too; it
 * lives only while it mirrors the rows (rebuilt after a rollback and
 * after another connection's commit); pending counts are summed and
 * written at commit, or not at all after a rollback. */
static void test_entity_cache(void)
{
	chr_db *db = fresh("ecache.db");
	if (!db)
		return;
	CHECK_INT(sqlite3_exec(db->h, "INSERT INTO entities (eid, key, name,"
			       " score, type) VALUES (7, 'valmora', 'Valmora', 1,"
			       " 'LOC')", NULL, NULL, NULL), SQLITE_OK);
	int64_t eid = 0;
	int score = 0;
	/* nothing is cached outside a transaction */
	CHECK_INT(store_ents_get(db, "valmora", &eid, &score), 0);
	CHECK_INT(store_begin(db), CHR_OK);
	CHECK_INT(store_ents_get(db, "valmora", &eid, &score), 1);
	CHECK_INT(eid, 7);
	CHECK_INT(score, 1);
	CHECK_INT(store_ents_get(db, "valmoraport", &eid, &score), -1);
	store_ents_set(db, "valmora", 7, 3); /* a rename updates the entry */
	store_ents_set(db, "ghost", 99, 1);  /* an insert adds one */
	CHECK_INT(store_ents_get(db, "valmora", &eid, &score), 1);
	CHECK_INT(score, 3);
	CHECK_INT(store_ents_get(db, "ghost", &eid, &score), 1);
	CHECK_INT(eid, 99);
	CHECK_INT(store_ents_add(db, 7, "Valmora", 7, 2), CHR_OK);
	store_rollback(db); /* the cache and the counts go */
	CHECK_INT(store_begin(db), CHR_OK);
	CHECK_INT(store_ents_get(db, "ghost", &eid, &score), -1);
	CHECK_INT(store_ents_get(db, "valmora", &eid, &score), 1);
	CHECK_INT(score, 1);
	CHECK_INT(store_ents_flush(db), CHR_OK); /* nothing pending */
	CHECK_INT(store_ents_add(db, 7, "Valmora", 7, 2), CHR_OK);
	CHECK_INT(store_ents_add(db, 7, "VALMORA", 7, 1), CHR_OK);
	CHECK_INT(store_ents_add(db, 7, "Valmora!", 7, 4), CHR_OK);
	store_ents_set(db, "valmora", 7, 5);
	CHECK_INT(store_commit(db), CHR_OK);
	/* kept after the commit, for the next transaction */
	CHECK_INT(store_begin(db), CHR_OK);
	CHECK_INT(store_ents_get(db, "valmora", &eid, &score), 1);
	CHECK_INT(score, 5);
	CHECK_INT(store_commit(db), CHR_OK);
	const char *p = tpath("ecache.db");
	CHECK_INT(raw_int(p, "SELECT mentions FROM entities WHERE eid = 7"), 7);
	CHECK_INT(raw_int(p, "SELECT count(*) FROM entity_aliases"), 2);
	CHECK_INT(raw_int(p, "SELECT n FROM entity_aliases"
			     " WHERE alias = 'Valmora'"), 6);
	/* another connection's commit: read again at the next begin */
	CHECK_INT(raw_exec(p, "UPDATE entities SET score = 9 WHERE eid = 7"),
		  SQLITE_OK);
	CHECK_INT(store_begin(db), CHR_OK);
	CHECK_INT(store_ents_get(db, "valmora", &eid, &score), 1);
	CHECK_INT(score, 9);
	/* mentions already in the row (alias NULL) cancel out: the
	 * aliases still get theirs, the entity's count stays */
	CHECK_INT(store_ents_add(db, 7, NULL, 0, -2), CHR_OK);
	CHECK_INT(store_ents_add(db, 7, "Valmora", 7, 1), CHR_OK);
	CHECK_INT(store_ents_add(db, 7, "Valmora", 7, 1), CHR_OK);
	CHECK_INT(store_commit(db), CHR_OK);
	CHECK_INT(raw_int(p, "SELECT mentions FROM entities WHERE eid = 7"), 7);
	CHECK_INT(raw_int(p, "SELECT n FROM entity_aliases"
			     " WHERE alias = 'Valmora'"), 8);
	CHECK_INT(raw_int(p, "SELECT count(*) FROM entity_aliases"), 2);
	/* the same said by the alias records (store_ents_add_counted): 3
	 * for the aliases, 2 of them in the row already */
	CHECK_INT(store_begin(db), CHR_OK);
	CHECK_INT(store_ents_add_counted(db, 7, "Valmora", 7, 2, 2), CHR_OK);
	CHECK_INT(store_ents_add_counted(db, 7, "VALMORA", 7, 1, 0), CHR_OK);
	CHECK_INT(store_commit(db), CHR_OK);
	CHECK_INT(raw_int(p, "SELECT mentions FROM entities WHERE eid = 7"), 8);
	CHECK_INT(raw_int(p, "SELECT n FROM entity_aliases"
			     " WHERE alias = 'Valmora'"), 10);
	CHECK_INT(raw_int(p, "SELECT n FROM entity_aliases"
			     " WHERE alias = 'VALMORA'"), 2);
	CHECK_INT(raw_exec(p, "UPDATE entities SET mentions = 7 WHERE eid = 7;"
			      "UPDATE entity_aliases SET n = n - 2 WHERE alias ="
			      " 'Valmora'; UPDATE entity_aliases SET n = n - 1"
			      " WHERE alias = 'VALMORA'"), SQLITE_OK);
	/* this connection writes an entity outside a transaction (its own
	 * commit does not move data_version): the complete map must not
	 * answer "not stored" for it afterwards, and the pending counts
	 * stay */
	CHECK_INT(store_begin(db), CHR_OK);
	CHECK_INT(store_ents_get(db, "newport", &eid, &score), -1);
	CHECK_INT(store_commit(db), CHR_OK);
	CHECK_INT(store_ents_add(db, 7, "Valmora", 7, 1), CHR_OK);
	CHECK_INT(sqlite3_exec(db->h, "INSERT INTO entities (eid, key, name,"
			       " score, type) VALUES (8, 'newport', 'Newport', 1,"
			       " 'LOC')", NULL, NULL, NULL), SQLITE_OK);
	store_ents_set(db, "newport", 8, 1);
	CHECK_INT(store_ents_flush(db), CHR_OK);
	CHECK_INT(raw_int(p, "SELECT n FROM entity_aliases"
			     " WHERE alias = 'Valmora'"), 9);
	CHECK_INT(store_begin(db), CHR_OK);
	CHECK_INT(store_ents_get(db, "newport", &eid, &score), 1);
	CHECK_INT(eid, 8);
	CHECK_INT(store_commit(db), CHR_OK);
	/* a table too big to read whole: a plain cache, "not cached" */
	CHECK_INT(raw_exec(p, "INSERT INTO entities (key, name, score, type)"
			      " WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT"
			      " i + 1 FROM n WHERE i < 65536) SELECT 'k' || i,"
			      " 'K' || i, 1, 'ORG' FROM n"), SQLITE_OK);
	CHECK_INT(store_begin(db), CHR_OK);
	CHECK_INT(store_ents_get(db, "valmoraport", &eid, &score), 0);
	CHECK_INT(store_commit(db), CHR_OK);
	chr_db_close(db);
}

/* The flush writes (entity, alias) counts STORE_ALIAS_ROWS to a
 * statement: 1 to 19 distinct aliases an entity (a full statement, one
 * spanning two entities, the rest alone), records of one alias summed,
 * stored rows added to, and every count the one a statement each gave. */
static void test_alias_flush(void)
{
	chr_db *db = fresh("aflush.db");
	if (!db)
		return;
	CHECK_INT(sqlite3_exec(db->h, "INSERT INTO entities (eid, key, name,"
			       " score, type) VALUES (1, 'a', 'A', 1, 'ORG'),"
			       " (2, 'b', 'B', 1, 'ORG'), (3, 'c', 'C', 1, 'ORG');"
			       "INSERT INTO entity_aliases (eid, alias, n)"
			       " VALUES (1, 'x05', 100), (3, 'y', 50)",
			       NULL, NULL, NULL), SQLITE_OK);
	static const int per[] = { 19, 8, 1 };
	char want[2048] = "", al[16];
	size_t w = 0;
	CHECK_INT(store_begin(db), CHR_OK);
	for (int e = 0; e < 3; e++) {
		for (int i = per[e]; i >= 1; i--) { /* out of order */
			snprintf(al, sizeof al, e == 2 ? "y" : "x%02d", i);
			CHECK_INT(store_ents_add(db, e + 1, al, strlen(al), i), CHR_OK);
			if (i % 3 == 0) /* a second record of the alias */
				CHECK_INT(store_ents_add(db, e + 1, al, strlen(al), 1000),
					  CHR_OK);
		}
	}
	CHECK_INT(store_commit(db), CHR_OK);
	for (int e = 0; e < 3; e++)
		for (int i = 1; i <= per[e]; i++) {
			long long n = i + (i % 3 == 0 ? 1000 : 0) +
				      (e == 0 && i == 5 ? 100 : 0) + (e == 2 ? 50 : 0);
			if (e == 2)
				snprintf(al, sizeof al, "y");
			else
				snprintf(al, sizeof al, "x%02d", i);
			w += (size_t)snprintf(want + w, sizeof want - w, "%s%d:%s:%lld",
					      w ? "," : "", e + 1, al, n);
		}
	char got[2048];
	raw_text(tpath("aflush.db"), "SELECT group_concat(eid || ':' || alias"
		 " || ':' || n, ',') FROM (SELECT * FROM entity_aliases"
		 " ORDER BY eid, alias)", got, sizeof got);
	CHECK_STR(got, want);
	CHECK_INT(raw_int(tpath("aflush.db"), "SELECT sum(mentions) FROM entities"),
		  (19 * 20 / 2 + 6 * 1000) + (8 * 9 / 2 + 2 * 1000) + 1);
	/* the records are sorted by eid in radix passes of 11 bits (as many
	 * as the largest eid needs; qsort past 33 bits), an eid's records
	 * by insertion (qsort past 32): eids across those bounds, records
	 * in no order, one eid with 100 records over 10 aliases */
	static const int64_t big[] = { 3, 2047, 2048, 4194305, 4194304,
				       ((int64_t)1 << 33) - 1, (int64_t)1 << 33 };
	for (int pass = 0; pass < 2; pass++) {
		size_t nb = sizeof big / sizeof *big - (pass ? 0 : 1);
		CHECK_INT(raw_exec(tpath("aflush.db"), "DELETE FROM entity_aliases;"
				   " DELETE FROM entities"), SQLITE_OK);
		CHECK_INT(store_begin(db), CHR_OK);
		for (int i = 0; i < 140; i++) {
			int64_t eid = i < 100 ? 77 : big[(size_t)(i * 5) % nb];
			snprintf(al, sizeof al, "z%d", (i * 7) % 10);
			CHECK_INT(store_ents_add(db, eid, al, strlen(al), i), CHR_OK);
			CHECK_INT(store_ents_add(db, eid, NULL, 0, 1), CHR_OK);
		}
		long long keys0 = raw_int(tpath("aflush.db"), "SELECT count(*)"
					  " FROM entity_alias_keys_new");
		sqlite3_int64 ch = sqlite3_total_changes64(db->h);
		CHECK_INT(store_commit(db), CHR_OK);
		/* sorted right, each (eid, alias) is one row of one upsert
		 * (a pair split in two runs would be two changes), plus the
		 * insert trigger's row for each pair not yet in the alias side
		 * table (migration 18); no entity row is there for the counts'
		 * UPDATEs to change */
		long long keys1 = raw_int(tpath("aflush.db"), "SELECT count(*)"
					  " FROM entity_alias_keys_new");
		CHECK(keys1 > keys0 || pass == 1);
		long long want_rows = 0;
		char seen[8][10] = { { 0 } };
		for (int i = 0; i < 140; i++) {
			size_t bi = i < 100 ? 7 : (size_t)(i * 5) % nb;
			if (!seen[bi][(i * 7) % 10]++)
				want_rows++;
		}
		CHECK_INT(sqlite3_total_changes64(db->h) - ch,
			  want_rows + (keys1 - keys0));
		raw_text(tpath("aflush.db"), "SELECT count(*) || ' ' || sum(n)"
			 " FROM entity_aliases", got, sizeof got);
		long long sum_n = 0;
		for (int i = 0; i < 140; i++)
			sum_n += i;
		char w2[64];
		snprintf(w2, sizeof w2, "%lld %lld", want_rows, sum_n);
		CHECK_STR(got, w2);
		/* each (eid, alias) once, with its own sum */
		raw_text(tpath("aflush.db"), "SELECT sum(n * (eid % 1000 + 1) *"
			 " (CAST(substr(alias, 2) AS INTEGER) + 1)) FROM entity_aliases",
			 got, sizeof got);
		long long wsum = 0;
		for (int i = 0; i < 140; i++) {
			int64_t eid = i < 100 ? 77 : big[(size_t)(i * 5) % nb];
			wsum += (long long)i * (eid % 1000 + 1) * ((i * 7) % 10 + 1);
		}
		snprintf(w2, sizeof w2, "%lld", wsum);
		CHECK_STR(got, w2);
	}
	chr_db_close(db);
}

/* The mention rows of the article stored last answer facts' lookups by
 * (doc, start) as the table would: the last row at a start wins, and
 * another doc's rows or a start not written are "ask the table"; an
 * ingest's facts name the entities its mention rows hold. */
static void test_entity_rows(void)
{
	chr_db *db = fresh("erows.db");
	if (!db)
		return;
	int64_t eid = 0;
	CHECK_INT(store_ents_row_eid(db, 5, 10, &eid), 0);
	store_men r[] = { { 10, 1 }, { -11, 2 }, { 30, 3 }, { 10, 4 } };
	store_ents_rows(db, 5, r, 4);
	CHECK_INT(store_ents_row_eid(db, 5, 10, &eid), 1);
	CHECK_INT(eid, 4);
	CHECK_INT(store_ents_row_eid(db, 5, 30, &eid), 1);
	CHECK_INT(eid, 3);
	CHECK_INT(store_ents_row_eid(db, 5, 11, &eid), 0);
	CHECK_INT(store_ents_row_eid(db, 6, 30, &eid), 0);
	store_ents_rows(db, 6, r, 1);
	CHECK_INT(store_ents_row_eid(db, 5, 30, &eid), 0);
	CHECK_INT(store_ents_row_eid(db, 6, 10, &eid), 1);
	CHECK_INT(eid, 1);
	chr_db_close(db);

	db = fresh("erows2.db");
	if (!db)
		return;
	chr_doc d = doc("er1", "Lavrov meets Wang Yi",
			"MOSCOW (Reuters) - Russian Foreign Minister Sergei Lavrov"
			" met Chinese Foreign Minister Wang Yi in Moscow on Monday.");
	d.date = "2024-04-01";
	chr_ingest_stats s;
	CHECK_INT(ingest(db, &d, 1, 0, &s), CHR_OK);
	chr_db_close(db);
	const char *p = tpath("erows2.db");
	/* every fact's participant is the entity of a mention row of its
	 * article (none dangling) */
	CHECK_INT(raw_int(p, "SELECT count(*) FROM facts_found f WHERE who IS NOT"
			     " NULL AND NOT EXISTS (SELECT 1 FROM entity_mentions m"
			     " WHERE m.doc = f.doc AND m.eid = f.who)"), 0);
	CHECK(raw_int(p, "SELECT count(*) FROM facts_found WHERE who ="
			 " (SELECT eid FROM entity_aliases WHERE alias ="
			 " 'Sergei Lavrov')") >= 1);
}

/* Rows written several to a statement (time expressions up to 8,
 * paragraph hashes 4, mentions up to 16) are all there, in an article with more of each
 * than one statement takes, as processing the article alone finds. */
static void test_batched_rows(void)
{
	chr_db *db = fresh("brows.db");
	if (!db)
		return;
	static const char text[] =
		"LONDON (Reuters) - Talks opened on Monday, May 6, 2024, between"
		" Britain and France over the fishing rights in the Channel.\n\n"
		"On Tuesday the ministers met again in London and agreed on a"
		" timetable for the next round of the talks.\n\n"
		"A further meeting is planned for June 3 in Paris, officials from"
		" both sides of the Channel said on Wednesday.\n\n"
		"The previous agreement expired on December 31, 2023, after three"
		" years of disputes between fishing crews of both countries.\n\n"
		"Talks will continue in July and again in September, a spokesman"
		" for the French ministry told reporters in Paris.\n\n"
		"Fishing crews from Brittany and Cornwall said on Thursday they"
		" hoped for a final deal before the end of the year.\n\n"
		"British Prime Minister Rishi Sunak spoke with French President"
		" Emmanuel Macron and Ursula von der Leyen in Brussels.";
	chr_doc d = doc("br1", "Fishing talks open", text);
	d.date = "2024-05-06";
	chr_article *a = NULL;
	CHECK_INT(chr_article_process(&d, &a), CHR_OK);
	if (!a) {
		chr_db_close(db);
		return;
	}
	size_t ntx = a->timexes.n, nmen = 0;
	for (size_t i = 0; i < a->mentions.n; i++)
		nmen += a->mentions.v[i].key && *a->mentions.v[i].key;
	CHECK(ntx >= 5);
	CHECK(nmen >= 9);
	size_t npara = a->ddfeat ? a->ddfeat->npara : 0; /* (dedup-prep ran) */
	CHECK(npara >= 5);
	chr_article_free(a);
	chr_ingest_stats s;
	CHECK_INT(ingest(db, &d, 1, 0, &s), CHR_OK);
	chr_db_close(db);
	const char *p = tpath("brows.db");
	CHECK_INT(raw_int(p, "SELECT count(*) FROM timexes"), (long long)ntx);
	CHECK_INT(raw_int(p, "SELECT (SELECT count(*) FROM dedup_paras) +"
			     " (SELECT count(*) FROM dedup_paras_new)"),
		  (long long)npara);
	CHECK_INT(raw_int(p, "SELECT count(*) FROM entity_mentions"), (long long)nmen);
}

/* what (an aggregate) over table's rows of the article with this id. */
static long long doc_int(const char *p, const char *what, const char *table,
			 const char *id)
{
	char q[512];
	snprintf(q, sizeof q, "SELECT %s FROM %s t JOIN articles a"
		 " ON a.rowid = t.doc WHERE a.id = '%s'", what, table, id);
	return raw_int(p, q);
}

/* Every row count of the multi-row statements: articles of 1 to 24
 * sentences, each with a date and names, so their mention rows (up to
 * STORE_MEN_ROWS in one statement, then one for the rest) and time
 * expressions (up to STORE_TX_ROWS) take each size; each article's rows
 * are the ones processing it alone finds (one a start), the first and
 * last of them included. */
/* An article's mention rows as stored: one a start among the keyed
 * mentions (a later mention at one start replaces), and the first and
 * last start. */
static size_t keyed_starts(const chr_article *a, int64_t *first, int64_t *last)
{
	size_t n = 0;
	*first = INT64_MAX;
	*last = INT64_MIN;
	for (size_t m = 0; m < a->mentions.n; m++) {
		const art_mention *x = &a->mentions.v[m];
		if (!x->key || !*x->key)
			continue;
		int64_t st = x->flags & MEN_HEADLINE ? -1 - (int64_t)x->start
						     : (int64_t)x->start;
		int dup = 0;
		for (size_t o = 0; o < m && !dup; o++) {
			const art_mention *y = &a->mentions.v[o];
			dup = y->key && *y->key && y->start == x->start &&
			      (y->flags & MEN_HEADLINE) == (x->flags & MEN_HEADLINE);
		}
		n += !dup;
		*first = st < *first ? st : *first;
		*last = st > *last ? st : *last;
	}
	return n;
}

static void test_row_counts(void)
{
	static const char *const sent[] = {
		"On March 3, 1997, Maria Kowalski visited Lisbon.",
		"Jan Novak met Carlos Mendes in Madrid on April 4, 1997.",
		"The talks in Warsaw ended on May 5, 1997.",
		"Pedro Alves flew to Rome on June 6, 1997.",
		"Anna Berg spoke in Vienna on July 7, 1997.",
		"On August 8, 1997, Olaf Lund arrived in Oslo.",
		"Talks with Ivan Petrov in Kiev began on September 9, 1997.",
		"Luis Garcia returned to Lima on October 10, 1997.",
		"On November 11, 1997, Hans Weber opened a plant in Munich.",
		"Eva Horak met Tomas Blaha in Prague on December 12, 1997.",
		"On January 13, 1998, Marco Rossi left Milan.",
		"Sofia Ivanova visited Sofia on February 14, 1998.",
		"Ahmed Nasser arrived in Cairo on March 15, 1998.",
		"On April 16, 1998, Kenji Sato spoke in Tokyo.",
		"Li Wei met officials in Beijing on May 17, 1998.",
		"On June 18, 1998, Rahul Mehta opened talks in Delhi.",
		"Nadia Haddad returned to Beirut on July 19, 1998.",
		"Peter Smith spoke in Boston on August 20, 1998.",
		"On September 21, 1998, Paul Martin visited Ottawa.",
		"Jose Silva met Ana Costa in Brasilia on October 22, 1998.",
		"On November 23, 1998, Erik Holm arrived in Stockholm.",
		"Mika Virtanen spoke in Helsinki on December 24, 1998.",
		"On January 25, 1999, Dan Levy visited Jerusalem.",
		"Omar Khalil met Yusuf Demir in Ankara on February 26, 1999.",
	};
	enum { N = sizeof sent / sizeof sent[0] };
	chr_db *db = fresh("rcount.db");
	if (!db)
		return;
	static char text[N][2048], id[N][16];
	chr_doc d[N];
	size_t ntx[N], nmen[N], maxtx = 0, maxmen = 0;
	int64_t first[N], last[N];
	for (size_t i = 0; i < N; i++) {
		size_t len = 0;
		for (size_t k = 0; k <= i; k++)
			len += (size_t)snprintf(text[i] + len, sizeof text[i] - len,
						"%s%s", k ? " " : "", sent[k]);
		snprintf(id[i], sizeof id[i], "rc%zu", i + 1);
		d[i] = doc(id[i], "Diplomatic round", text[i]);
		d[i].date = "1999-03-01";
		chr_article *a = NULL;
		CHECK_INT(chr_article_process(&d[i], &a), CHR_OK);
		if (!a) {
			chr_db_close(db);
			return;
		}
		ntx[i] = a->timexes.n;
		nmen[i] = keyed_starts(a, &first[i], &last[i]);
		maxtx = ntx[i] > maxtx ? ntx[i] : maxtx;
		maxmen = nmen[i] > maxmen ? nmen[i] : maxmen;
		chr_article_free(a);
	}
	CHECK(maxtx > 8);   /* more than one statement takes (STORE_TX_ROWS) */
	CHECK(maxmen > 16); /* (STORE_MEN_ROWS) */
	chr_ingest_stats s;
	CHECK_INT(ingest(db, d, N, 0, &s), CHR_OK);
	chr_db_close(db);
	const char *p = tpath("rcount.db");
	CHECK_INT(raw_int(p, "SELECT count(*) FROM articles"), N);
	for (size_t i = 0; i < N; i++) {
		CHECK_INT(doc_int(p, "count(*)", "timexes", id[i]), (long long)ntx[i]);
		CHECK_INT(doc_int(p, "count(*)", "entity_mentions", id[i]),
			  (long long)nmen[i]);
		if (!nmen[i])
			continue;
		CHECK_INT(doc_int(p, "min(start)", "entity_mentions", id[i]),
			  (long long)first[i]);
		CHECK_INT(doc_int(p, "max(start)", "entity_mentions", id[i]),
			  (long long)last[i]);
	}
	/* every sentence four times: more mentions than entities.c keeps
	 * on the stack (PUT_SMALL, 128), so its arrays come from the heap */
	static char big[8192];
	size_t blen = 0;
	for (int r = 0; r < 4; r++)
		blen += (size_t)snprintf(big + blen, sizeof big - blen, "%s%s",
					 r ? " " : "", text[N - 1]);
	chr_doc bd = doc("rcbig", "Diplomatic round", big);
	bd.date = "1999-03-01";
	chr_article *ba = NULL;
	CHECK_INT(chr_article_process(&bd, &ba), CHR_OK);
	if (!ba)
		return;
	int64_t bfirst, blast;
	size_t bn = keyed_starts(ba, &bfirst, &blast);
	CHECK(bn > 128);
	chr_article_free(ba);
	if (!(db = reopen(p)))
		return;
	CHECK_INT(ingest(db, &bd, 1, 0, &s), CHR_OK);
	chr_db_close(db);
	CHECK_INT(doc_int(p, "count(*)", "entity_mentions", "rcbig"), (long long)bn);
	CHECK_INT(raw_int(p, "SELECT count(*) FROM entity_mentions m JOIN entities e"
			  " ON e.eid = m.eid JOIN articles a ON a.rowid = m.doc"
			  " WHERE a.id = 'rcbig'"), (long long)bn);
	CHECK_INT(doc_int(p, "max(start)", "entity_mentions", "rcbig"),
		  (long long)blast);
}

/* The entities stage makes the store's keys (entities_store_prep): the
 * distinct keys in first-mention order, each mention's index into them,
 * each key's mentions, rows and aliases (the bytes written, counted),
 * and its first mention's name parts and score; an article without them (entkeys_made 0) has them made by the
 * store, which stores its mentions the same and hands the events stage
 * the counts per entity its rows have. */
static void test_entity_keys_prep(void)
{
	chr_doc d = doc("kp1", "Lavrov meets Wang Yi",
			"MOSCOW (Reuters) - Russian Foreign Minister Sergei Lavrov"
			" met Chinese Foreign Minister Wang Yi in Moscow on Monday."
			" Lavrov said the talks were useful. Wang said China and"
			" Russia would keep talking, and Lavrov agreed.");
	d.date = "2024-04-01";
	chr_article *a = NULL;
	CHECK_INT(chr_article_process(&d, &a), CHR_OK);
	if (!a)
		return;
	CHECK(a->entkeys_made);
	size_t keyed = 0, sum = 0, lav = 0;
	for (size_t i = 0; i < a->mentions.n; i++) {
		const art_mention *m = &a->mentions.v[i];
		if (!m->key || !*m->key) {
			CHECK_INT(a->menkey[i], 0);
			continue;
		}
		keyed++;
		CHECK(a->menkey[i] >= 1 && a->menkey[i] <= a->entkeys.n);
		CHECK_STR(a->entkeys.v[a->menkey[i] - 1].key, m->key);
	}
	for (size_t k = 0; k < a->entkeys.n; k++) {
		const art_entkey *e = &a->entkeys.v[k];
		const art_mention *f = &a->mentions.v[e->first];
		sum += e->n;
		CHECK_STR(f->key, e->key);
		CHECK_INT(a->menkey[e->first], (long long)k + 1);
		for (size_t i = 0; i < e->first; i++) /* none earlier */
			CHECK(a->menkey[i] != k + 1);
		for (size_t j = 0; j < k; j++) /* first-mention order */
			CHECK(a->entkeys.v[j].first < e->first);
		CHECK_INT(e->score, canon_name_score(f->name));
		if (!strcmp(e->skey, "lavrov")) {
			CHECK_STR(e->fkey, "sergei");
			lav = e->n;
		}
	}
	CHECK_INT(sum, keyed);
	CHECK(lav >= 3);
	/* rows: one a stored start (the text's and the headline's apart) */
	size_t rows = 0, starts = 0;
	for (size_t k = 0; k < a->entkeys.n; k++)
		rows += a->entkeys.v[k].rows;
	for (size_t i = 0; i < a->mentions.n; i++) {
		const art_mention *m = &a->mentions.v[i];
		int again = 0;
		for (size_t j = i + 1; j < a->mentions.n && !again; j++)
			again = a->menkey[i] && a->menkey[j] &&
				a->mentions.v[j].start == m->start &&
				(a->mentions.v[j].flags & MEN_HEADLINE) ==
				(m->flags & MEN_HEADLINE);
		starts += a->menkey[i] && !again;
	}
	CHECK_INT(rows, starts);
	/* aliases: each (key, bytes) once, with its mentions, on its key's
	 * chain; "Lavrov" alone three times */
	size_t asum = 0, lavrov = 0;
	for (size_t x = 0; x < a->entaliases.n; x++) {
		const art_entalias *al = &a->entaliases.v[x];
		const art_mention *f = &a->mentions.v[al->first];
		const char *fs = (f->flags & MEN_HEADLINE ? a->headline : a->text) +
				 f->start;
		size_t flen = f->end - f->start, same = 0, onchain = 0;
		CHECK_INT(a->menkey[al->first], (long long)al->key + 1);
		for (size_t i = 0; i < a->mentions.n; i++) {
			const art_mention *m = &a->mentions.v[i];
			const char *ms = (m->flags & MEN_HEADLINE ? a->headline
								  : a->text) + m->start;
			same += a->menkey[i] == al->key + 1 &&
				m->end - m->start == flen && !memcmp(ms, fs, flen);
		}
		CHECK_INT(al->n, (long long)same);
		for (uint32_t at = a->entkeys.v[al->key].alias; at;
		     at = a->entaliases.v[at - 1].next)
			onchain += at == x + 1;
		CHECK_INT(onchain, 1);
		asum += al->n;
		if (flen == 6 && !memcmp(fs, "Lavrov", 6))
			lavrov = al->n;
	}
	CHECK_INT(asum, keyed);
	CHECK_INT(lavrov, 3);
	/* made by the store when missing */
	chr_db *db = fresh("kp.db");
	if (db) {
		a->entkeys_made = 0;
		a->entkeys.n = 0;
		CHECK_INT(store_begin(db), CHR_OK);
		CHECK_INT(store_put_article(db, a, NULL), CHR_OK);
		CHECK_INT(store_put_entities(db, a), CHR_OK);
		CHECK_INT(store_commit(db), CHR_OK);
		CHECK(a->entkeys_made);
		/* the counts per entity the events stage reads: from the keys'
		 * rows, as the table's GROUP BY has them */
		store_eidn *c = NULL;
		size_t nc = 0;
		CHECK_INT(store_ents_doc_counts(db, a->rowid, &c, &nc), CHR_OK);
		chr_db_close(db);
		const char *p = tpath("kp.db");
		char q[160];
		snprintf(q, sizeof q, "SELECT count(DISTINCT eid) FROM entity_mentions"
			 " WHERE doc = %lld", (long long)a->rowid);
		CHECK_INT(raw_int(p, q), (long long)nc);
		for (size_t i = 0; i < nc; i++) {
			CHECK(!i || c[i - 1].eid < c[i].eid);
			snprintf(q, sizeof q, "SELECT count(*) FROM entity_mentions"
				 " WHERE doc = %lld AND eid = %lld",
				 (long long)a->rowid, (long long)c[i].eid);
			CHECK_INT(raw_int(p, q), c[i].n);
		}
		free(c);
		CHECK_INT(raw_int(p, "SELECT mentions FROM entities"
				     " WHERE key = 'sergeilavrov'"), (long long)lav);
		CHECK_INT(raw_int(p, "SELECT fkey = 'sergei' AND skey = 'lavrov'"
				     " FROM entities WHERE key = 'sergeilavrov'"), 1);
		CHECK_INT(raw_int(p, "SELECT sum(mentions) FROM entities"),
			  (long long)keyed);
	}
	chr_article_free(a);
}

/* A name stored by another connection between two ingests on one handle
 * is what the second ingest compares against, not the score the first
 * ingest cached: here a worse-scored name, which the second ingest's
 * better-formed one replaces. */
static void test_entity_cache_other_writer(void)
{
	chr_db *db = fresh("eow.db");
	if (!db)
		return;
	chr_doc d[2];
	d[0] = doc("eow1", "Talks in Valmora",
		   "VALMORA (Reuters) - Talks opened in Valmora on Monday.");
	d[1] = doc("eow2", "More talks in Valmora",
		   "VALMORA (Reuters) - Talks went on in Valmora on Tuesday.");
	chr_ingest_stats s;
	CHECK_INT(ingest(db, d, 1, 0, &s), CHR_OK);
	const char *p = tpath("eow.db");
	long long e = raw_int(p, "SELECT eid FROM entities WHERE key = 'valmora'");
	CHECK(e > 0);
	CHECK_INT(raw_exec(p, "UPDATE entities SET name = 'Outer Valmora',"
			      " score = -1000000 WHERE key = 'valmora'"), SQLITE_OK);
	CHECK_INT(ingest(db, d + 1, 1, 0, &s), CHR_OK);
	chr_db_close(db);
	CHECK_INT(raw_int(p, "SELECT count(*) FROM entities WHERE key = 'valmora'"
			     " AND name = 'Valmora'"), 1);
	CHECK(raw_int(p, "SELECT mentions FROM entities WHERE key = 'valmora'") >= 2);
}

/* `entity NAME`: an entity of that name before one it is an alias of,
 * then the entity the alias was most often written for. */
static void test_entity_lookup(void)
{
	const char *p = fresh_with("el.db",
		"INSERT INTO entities (eid, key, name, score, type, mentions) VALUES"
		" (1, 'russia', 'Russia', 1, 'LOC', 30),"
		" (2, 'moscow', 'Moscow', 1, 'LOC', 10),"
		" (3, 'valmoracity', 'Valmora City', 1, 'LOC', 50),"
		" (4, 'valmoraport', 'Valmora Port', 1, 'LOC', 5);"
		"INSERT INTO entity_aliases (eid, alias, n) VALUES"
		" (1, 'Russia', 28), (1, 'Moscow', 2), (2, 'Moscow', 10),"
		" (3, 'Valmora', 1), (4, 'Valmora', 4);"
		/* as the commit's flush writes them (migration 18) */
		"INSERT INTO entity_alias_keys (alias, eid) SELECT alias, eid"
		" FROM entity_aliases;");
	if (!p)
		return;
	chr_db *db = NULL;
	CHECK_INT(chr_db_open(p, &db), CHR_OK);
	static const struct { const char *q, *want; } cases[] = {
		{ "Moscow", "\"name\":\"Moscow\"" },
		{ "moscow", "\"name\":\"Moscow\"" },
		{ "Russia", "\"name\":\"Russia\"" },
		{ "Valmora", "\"name\":\"Valmora Port\"" },
	};
	for (size_t i = 0; db && i < sizeof cases / sizeof *cases; i++) {
		char *j = NULL;
		size_t n = 0;
		CHECK_INT(chr_db_entity_json(db, cases[i].q, &j, &n), CHR_OK);
		CHECK(j && strstr(j, cases[i].want));
		chr_free(j);
	}
	chr_db_close(db);
}

/* Transliterated first names ("Sergei"/"Sergey") merge across articles,
 * also when the surname is shared by more people than one lookup reads
 * (60 stored before the match, all with another initial), and a first
 * name two edits away stays a separate person. */
static void test_entity_translit(void)
{
	const char *p = fresh_with("tr.db",
		"INSERT INTO entities (eid, key, skey, fkey, name, score, type)"
		" WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
		" WHERE i < 60) SELECT i, 'anton' || i || 'lavrov', 'lavrov',"
		" 'anton' || i, 'Anton' || i || ' Lavrov', 1, 'PER' FROM n;"
		"INSERT INTO entities (eid, key, skey, fkey, name, score, type)"
		" VALUES (1000, 'sergeylavrov', 'lavrov', 'sergey',"
		" 'Sergey Lavrov', 5, 'PER');");
	chr_db *db = p ? reopen(p) : NULL;
	if (!db)
		return;
	chr_doc d[2];
	d[0] = doc("tr1", "Lavrov visits Ankara",
		   "ANKARA (Reuters) - Russian Foreign Minister Sergei Lavrov"
		   " arrived in Ankara on Monday for talks. Sergei Lavrov said"
		   " the visit would last two days.");
	d[1] = doc("tr2", "Banker named",
		   "LONDON (Reuters) - The bank named Sergio Lavrov as its new"
		   " chief executive on Tuesday. Sergio Lavrov joined in 2010.");
	d[0].date = "2024-04-01";
	d[1].date = "2024-04-02";
	chr_ingest_stats s;
	CHECK_INT(ingest(db, d, 2, 0, &s), CHR_OK);
	chr_db_close(db);
	CHECK_INT(raw_int(p, "SELECT eid FROM entity_aliases"
			     " WHERE alias = 'Sergei Lavrov'"), 1000);
	CHECK_INT(raw_int(p, "SELECT count(*) FROM entities WHERE eid = 1000"
			     " AND name = 'Sergey Lavrov'"), 1);
	long long other = raw_int(p, "SELECT eid FROM entity_aliases"
				     " WHERE alias = 'Sergio Lavrov'");
	CHECK(other > 0 && other != 1000);
}

/* An event's place: the dateline most of its latest 64 articles carry
 * (ST_EV_PUT).  Event 1 has 90 articles, 50 older ones from Oldtown and
 * the 40 newest from Newtown: Newtown, although Oldtown has more in all.
 * Event 2 (3 articles, a tie broken by the earliest) is read whole. */
static void test_event_place(void)
{
	const char *p = fresh_with("pl.db",
		"INSERT INTO articles (rowid, id, hash, headline, dateline, raw,"
		" text, ingested_at) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL"
		" SELECT i + 1 FROM n WHERE i < 93) SELECT i, 'p' || i, i, 'h',"
		" CASE WHEN i <= 50 THEN 'OLDTOWN' WHEN i <= 90 THEN 'NEWTOWN'"
		" WHEN i = 91 THEN '' ELSE 'B' || (i % 2) END, 'r', 't', 0 FROM n;"
		"INSERT INTO event_articles (doc, event) SELECT rowid,"
		" CASE WHEN rowid <= 90 THEN 1 ELSE 2 END FROM articles;");
	if (!p)
		return;
	chr_db *db = NULL;
	CHECK_INT(chr_db_open(p, &db), CHR_OK);
	for (int ev = 1; db && ev <= 2; ev++) {
		sqlite3_stmt *s = store_stmt(db, ST_EV_PUT);
		CHECK(s != NULL);
		if (!s)
			break;
		sqlite3_bind_int64(s, 1, ev);
		sqlite3_bind_text(s, 2, "t", -1, SQLITE_STATIC);
		CHECK_INT(sqlite3_step(s), SQLITE_DONE);
		sqlite3_reset(s);
	}
	chr_db_close(db);
	CHECK_INT(raw_int(p, "SELECT count(*) FROM events WHERE id = 1"
			     " AND place = 'NEWTOWN' AND n = 90"), 1);
	/* docs 92 ('B0') and 93 ('B1') tie; the earliest wins; 91 has none */
	CHECK_INT(raw_int(p, "SELECT count(*) FROM events WHERE id = 2"
			     " AND place = 'B0' AND n = 3"), 1);
}

/* ---- listing ---- */

typedef struct collect {
	char ids[16][32];
	int n;
	int stop_after;
} collect;

static int on_article(void *ctx, const chr_article *a)
{
	collect *c = ctx;
	if (c->n < 16)
		snprintf(c->ids[c->n], sizeof c->ids[0], "%s", chr_article_id(a));
	c->n++;
	return c->stop_after && c->n >= c->stop_after;
}

static void test_articles_listing(void)
{
	chr_db *db = fresh("list.db");
	if (!db)
		return;
	const char *ids[5] = { "c", "a", "e", "b", "d" };
	chr_doc d[5];
	char bodies[5][64];
	for (int i = 0; i < 5; i++) {
		snprintf(bodies[i], sizeof bodies[i], "Body number %d of five.", i);
		d[i] = doc(ids[i], "Listing", bodies[i]);
	}
	chr_ingest_stats s;
	CHECK_INT(ingest(db, d, 5, 2, &s), CHR_OK); /* batches of 2 */
	CHECK_INT(s.stored, 5);

	collect c;
	memset(&c, 0, sizeof c);
	CHECK_INT(chr_db_articles(db, 0, 0, on_article, &c), CHR_OK);
	CHECK_INT(c.n, 5);
	const char *sorted[5] = { "a", "b", "c", "d", "e" };
	for (int i = 0; i < 5 && i < c.n; i++)
		CHECK_STR(c.ids[i], sorted[i]);

	memset(&c, 0, sizeof c);
	CHECK_INT(chr_db_articles(db, 2, 1, on_article, &c), CHR_OK);
	CHECK_INT(c.n, 2);
	CHECK_STR(c.ids[0], "b");
	CHECK_STR(c.ids[1], "c");

	memset(&c, 0, sizeof c);
	CHECK_INT(chr_db_articles(db, 10, 3, on_article, &c), CHR_OK);
	CHECK_INT(c.n, 2);
	CHECK_STR(c.ids[0], "d");

	memset(&c, 0, sizeof c);
	CHECK_INT(chr_db_articles(db, 0, 5, on_article, &c), CHR_OK);
	CHECK_INT(c.n, 0);
	CHECK_INT(chr_db_articles(db, 0, 1000000, on_article, &c), CHR_OK);
	CHECK_INT(c.n, 0);

	memset(&c, 0, sizeof c);
	c.stop_after = 3;
	CHECK_INT(chr_db_articles(db, 0, 0, on_article, &c), CHR_EINTERRUPTED);
	CHECK_INT(c.n, 3);
	/* The statement is reusable after an interrupted listing. */
	memset(&c, 0, sizeof c);
	CHECK_INT(chr_db_articles(db, 1, 4, on_article, &c), CHR_OK);
	CHECK_INT(c.n, 1);
	CHECK_STR(c.ids[0], "e");
	chr_db_close(db);
}

/* ---- search ---- */

typedef struct hits {
	char ids[16][32];
	char snip[16][256];
	double score[16];
	int n;
	int null_fields;
} hits;

static int on_hit(void *ctx, const chr_hit *h)
{
	hits *c = ctx;
	if (!h->id || !h->headline || !h->snippet)
		c->null_fields++;
	if (c->n < 16) {
		snprintf(c->ids[c->n], sizeof c->ids[0], "%s", h->id ? h->id : "");
		snprintf(c->snip[c->n], sizeof c->snip[0], "%s",
			 h->snippet ? h->snippet : "");
		c->score[c->n] = h->score;
	}
	c->n++;
	return 0;
}

static chr_db *search_db(void)
{
	chr_db *db = fresh("search.db");
	if (!db)
		return NULL;
	chr_doc d[5] = {
		doc("weak", "Weather report",
		    "Rain in the north; a spaceport official mentioned the wind."),
		doc("strong", "Spaceport talks open",
		    "Talks on the spaceport began. The spaceport deal covers the"
		    " spaceport launch pads."),
		doc("none", "Harbour cranes", "Dock workers stopped work on Monday."),
		doc("mid", "Trade fair", "The spaceport was discussed. Also trade."),
		doc("caf", "Caf\xc3\xa9 owners protest",
		    "The caf\xc3\xa9 association said prices rose."),
	};
	chr_ingest_stats s;
	CHECK_INT(ingest(db, d, 5, 0, &s), CHR_OK);
	CHECK_INT(s.stored, 5);
	return db;
}

static void test_search_ranking(void)
{
	chr_db *db = search_db();
	if (!db)
		return;
	hits h;
	memset(&h, 0, sizeof h);
	CHECK_INT(chr_db_search(db, "spaceport", 0, 0, on_hit, &h), CHR_OK);
	CHECK_INT(h.n, 3);
	CHECK_INT(h.null_fields, 0);
	CHECK_STR(h.ids[0], "strong");   /* in the headline and three times */
	CHECK_STR(h.ids[2], "weak");     /* once, in a longer text */
	for (int i = 1; i < h.n && i < 16; i++)
		CHECK(h.score[i - 1] >= h.score[i]);
	for (int i = 0; i < h.n && i < 16; i++)
		CHECK(strcmp(h.ids[i], "none") != 0);
	/* Matches are marked with \x02 ... \x03 in the snippet. */
	CHECK(strstr(h.snip[0], "\x02spaceport\x03") != NULL);
	CHECK(strstr(h.snip[2], "\x02spaceport\x03") != NULL);

	/* limit and offset */
	memset(&h, 0, sizeof h);
	CHECK_INT(chr_db_search(db, "spaceport", 1, 1, on_hit, &h), CHR_OK);
	CHECK_INT(h.n, 1);
	CHECK_STR(h.ids[0], "mid");

	/* Diacritics are folded; phrases and prefixes work. */
	memset(&h, 0, sizeof h);
	CHECK_INT(chr_db_search(db, "cafe", 0, 0, on_hit, &h), CHR_OK);
	CHECK_INT(h.n, 1);
	CHECK_STR(h.ids[0], "caf");
	memset(&h, 0, sizeof h);
	CHECK_INT(chr_db_search(db, "\"dock workers\"", 0, 0, on_hit, &h), CHR_OK);
	CHECK_INT(h.n, 1);
	memset(&h, 0, sizeof h);
	CHECK_INT(chr_db_search(db, "space*", 0, 0, on_hit, &h), CHR_OK);
	CHECK_INT(h.n, 3);
	memset(&h, 0, sizeof h);
	CHECK_INT(chr_db_search(db, "zeppelin", 0, 0, on_hit, &h), CHR_OK);
	CHECK_INT(h.n, 0);
	chr_db_close(db);
}

/* Pages of a search are slices of one ranking, each row with its own
 * snippet: the page is ranked first and its rows joined after
 * (ST_SEARCH), so a wrong LIMIT/OFFSET or join would show here. */
static void test_search_pages(void)
{
	chr_db *db = fresh("search_pages.db");
	if (!db)
		return;
	static const char *const words[] = {
		"amber", "basalt", "cobalt", "dune", "ember", "fjord", "granite",
		"heron", "ibis", "jasper", "kestrel", "lagoon", "marble",
		"nectar", "onyx", "pumice", "quartz", "raven", "slate", "topaz",
	};
	enum { NDOC = 16 };
	char text[NDOC][200], id[NDOC][16];
	chr_doc d[NDOC];
	for (int i = 0; i < NDOC; i++) {
		/* docNN, 1-4 words of its own, "harbour" 1-4 times: no two
		 * alike in both, so no two scores tie */
		int len = snprintf(text[i], sizeof text[i], "doc%02d", i);
		for (int k = 0; k <= i / 4; k++)
			len += snprintf(text[i] + len, sizeof text[i] - (size_t)len,
					" %s", words[(i * 7 + k * 3) % 20]);
		for (int k = 0; k <= i % 4; k++)
			len += snprintf(text[i] + len, sizeof text[i] - (size_t)len,
					" harbour");
		snprintf(id[i], sizeof id[i], "p%02d", i);
		d[i] = doc(id[i], "Port notes", text[i]);
	}
	chr_ingest_stats s;
	CHECK_INT(ingest(db, d, NDOC, 0, &s), CHR_OK);
	CHECK_INT(s.stored, NDOC);
	hits all;
	memset(&all, 0, sizeof all);
	CHECK_INT(chr_db_search(db, "harbour", NDOC, 0, on_hit, &all), CHR_OK);
	CHECK_INT(all.n, NDOC);
	for (int i = 1; i < NDOC; i++)
		CHECK(all.score[i - 1] > all.score[i]);
	/* the best have "harbour" four times: i % 4 == 3 */
	CHECK_INT(atoi(all.ids[0] + 1) % 4, 3);
	for (int off = 0; off < NDOC; off += 5) {
		hits pg;
		memset(&pg, 0, sizeof pg);
		CHECK_INT(chr_db_search(db, "harbour", 5, (size_t)off, on_hit, &pg),
			  CHR_OK);
		CHECK_INT(pg.n, off + 5 <= NDOC ? 5 : NDOC - off);
		for (int j = 0; j < pg.n && j < 5; j++) {
			CHECK_STR(pg.ids[j], all.ids[off + j]);
			CHECK(pg.score[j] == all.score[off + j]);
			/* the snippet is this row's text: it names its docNN */
			char tag[8];
			snprintf(tag, sizeof tag, "doc%s", pg.ids[j] + 1);
			CHECK(strstr(pg.snip[j], tag) != NULL);
			CHECK(strstr(pg.snip[j], "\x02harbour\x03") != NULL);
		}
	}
	/* past the end: nothing */
	hits end;
	memset(&end, 0, sizeof end);
	CHECK_INT(chr_db_search(db, "harbour", 5, NDOC, on_hit, &end), CHR_OK);
	CHECK_INT(end.n, 0);
	chr_db_close(db);
}

static void test_search_malformed(void)
{
	chr_db *db = search_db();
	if (!db)
		return;
	const char *bad[] = {
		"\"unbalanced", "AND (", "NOT", "*", "(", ")", "spaceport AND",
		"OR", "\"", "NEAR(", "a:b", "^", "(spaceport",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		hits h;
		memset(&h, 0, sizeof h);
		chr_status st = chr_db_search(db, bad[i], 0, 0, on_hit, &h);
		if (st != CHR_EQUERY)
			fprintf(stderr, "  query [%s]: status %d\n", bad[i], st);
		CHECK_INT(st, CHR_EQUERY);
		CHECK(*chr_db_errmsg(db) != '\0');
		CHECK_INT(h.n, 0);
	}
	hits h;
	memset(&h, 0, sizeof h);
	CHECK_INT(chr_db_search(db, "", 0, 0, on_hit, &h), CHR_EQUERY);
	CHECK_INT(chr_db_search(NULL, "x", 0, 0, on_hit, &h), CHR_EINVAL);
	CHECK_INT(chr_db_search(db, NULL, 0, 0, on_hit, &h), CHR_EINVAL);
	/* After all that the handle still works. */
	CHECK_INT(chr_db_search(db, "spaceport", 0, 0, on_hit, &h), CHR_OK);
	CHECK_INT(h.n, 3);
	chr_db_close(db);
}
static const th_test tests[] = {
	TEST(test_event_entity_counts),
	TEST(test_doc_counts),
	TEST(test_entity_counts),
	TEST(test_entity_cache),
	TEST(test_alias_flush),
	TEST(test_entity_cache_other_writer),
	TEST(test_entity_rows),
	TEST(test_batched_rows),
	TEST(test_row_counts),
	TEST(test_entity_keys_prep),
	TEST(test_entity_lookup),
	TEST(test_entity_translit),
	TEST(test_event_place),
	TEST(test_articles_listing),
	TEST(test_search_ranking),
	TEST(test_search_pages),
	TEST(test_search_malformed),
};

int main(void)
{
	make_tmpdir();
	int rc = th_run("store_query", tests, sizeof tests / sizeof tests[0]);
	remove_tmpdir();
	return rc;
}
