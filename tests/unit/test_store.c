/*
 * test_store: the SQLite store through the public API (chr_db_*,
 * chr_ingest_*), checked against the file itself with plain sqlite3.
 *
 * Design note: in SQLite's tradition the store is tested from the outside
 * in: every test works on a fresh file in its own temporary folder, drives
 * it only through chr_db_* / chr_ingest_*, and then looks at the file with
 * a separate sqlite3 connection (schema version, journal mode, rows) so a
 * bug in the store cannot hide itself.  The one internal entry point used
 * is store_put_article, to round-trip an article whose every field is set
 * whatever the clean and meta stages currently produce.
 */
#include "harness.h"

#include <sqlite3.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chronicle.h"
#include "pipeline/article.h"
#include "store/store.h"

/* ---- fixtures ---- */

static char tmpdir[64];
static char pathbuf[256];

static void make_tmpdir(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/chr_store_XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		exit(2);
	}
}

/* tmpdir/name, in a static buffer (one at a time). */
static const char *tpath(const char *name)
{
	snprintf(pathbuf, sizeof pathbuf, "%s/%s", tmpdir, name);
	return pathbuf;
}

static void rm_db(const char *name)
{
	th_rm_db(tpath(name));
}

/* A fresh database called name; NULL (and a failed check) on error. */
static chr_db *fresh(const char *name)
{
	rm_db(name);
	chr_db *db = NULL;
	chr_status st = chr_db_open(tpath(name), &db);
	CHECK_INT(st, CHR_OK);
	return db;
}

static chr_doc doc(const char *id, const char *title, const char *text)
{
	chr_doc d;
	memset(&d, 0, sizeof d);
	d.id = id;
	d.title = title;
	d.text = text;
	d.text_len = strlen(text);
	d.path = "test.jsonl";
	return d;
}

/* Ingest docs in one run; returns the finish status, stats in *s. */
static chr_status ingest(chr_db *db, const chr_doc *docs, size_t n,
			 size_t batch, chr_ingest_stats *s)
{
	chr_ingest_opts o;
	memset(&o, 0, sizeof o);
	o.batch = batch;
	chr_ingest *g = NULL;
	chr_status st = chr_ingest_new(db, &o, &g);
	CHECK_INT(st, CHR_OK);
	if (st)
		return st;
	for (size_t i = 0; i < n && !st; i++)
		st = chr_ingest_doc(g, &docs[i]);
	chr_status fst = chr_ingest_finish(g, s);
	chr_ingest_free(g);
	return st ? st : fst;
}

/* One integer from sql on a separate connection to the file; -999 on
 * error. */
static long long raw_int(const char *path, const char *sql)
{
	sqlite3 *h;
	long long v = -999;
	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
		sqlite3_stmt *s;
		if (sqlite3_prepare_v2(h, sql, -1, &s, NULL) == SQLITE_OK) {
			if (sqlite3_step(s) == SQLITE_ROW)
				v = sqlite3_column_int64(s, 0);
			sqlite3_finalize(s);
		}
	}
	sqlite3_close(h);
	return v;
}

/* Whole file into a malloc'd buffer; *n gets the size. */
static unsigned char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	*n = 0;
	if (!f)
		return NULL;
	unsigned char *p = NULL;
	size_t cap = 0;
	for (;;) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 65536;
			unsigned char *q = realloc(p, cap);
			if (!q)
				break;
			p = q;
		}
		size_t got = fread(p + *n, 1, cap - *n, f);
		if (!got)
			break;
		*n += got;
	}
	fclose(f);
	return p;
}

static int file_exists(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0;
}

/* ---- open, schema, pragmas ---- */

static void test_open_create_reopen(void)
{
	chr_db *db = fresh("a.db");
	if (!db)
		return;
	CHECK(file_exists(tpath("a.db")));
	CHECK_INT(chr_db_article_count(db), 0);
	chr_doc d = doc("one", "First", "A body about harbour cranes.");
	chr_ingest_stats s;
	CHECK_INT(ingest(db, &d, 1, 0, &s), CHR_OK);
	CHECK_INT(s.stored, 1);
	chr_db_close(db);

	db = NULL;
	CHECK_INT(chr_db_open(tpath("a.db"), &db), CHR_OK);
	if (!db)
		return;
	CHECK_INT(chr_db_article_count(db), 1);
	chr_article *a = NULL;
	CHECK_INT(chr_db_article(db, "one", &a), CHR_OK);
	CHECK(a && !strcmp(chr_article_text(a), "A body about harbour cranes."));
	chr_article_free(a);
	chr_db_close(db);

	/* A second handle on the same file sees the same rows. */
	chr_db *d1 = NULL, *d2 = NULL;
	CHECK_INT(chr_db_open(tpath("a.db"), &d1), CHR_OK);
	CHECK_INT(chr_db_open(tpath("a.db"), &d2), CHR_OK);
	if (d1 && d2)
		CHECK_INT(chr_db_article_count(d2), 1);
	chr_db_close(d1);
	chr_db_close(d2);
	chr_db_close(NULL); /* fine */
}

static void test_open_bad_args(void)
{
	chr_db *db = (chr_db *)&db;
	CHECK_INT(chr_db_open("", &db), CHR_EINVAL);
	CHECK(db == NULL);
	db = (chr_db *)&db;
	CHECK_INT(chr_db_open(NULL, &db), CHR_EINVAL);
	CHECK(db == NULL);
	CHECK_STR(chr_db_errmsg(NULL), "no database");
}

static void test_schema_version(void)
{
	CHECK(chr_db_schema_version() >= 1);
	chr_db *db = fresh("v.db");
	if (!db)
		return;
	chr_db_close(db);
	CHECK_INT(raw_int(tpath("v.db"), "PRAGMA user_version"),
		  chr_db_schema_version());
	/* The tables the schema promises. */
	CHECK_INT(raw_int(tpath("v.db"),
			  "SELECT count(*) FROM sqlite_master WHERE name IN"
			  " ('articles', 'articles_fts')"),
		  2);
	/* Reopening an up-to-date file changes nothing. */
	CHECK_INT(chr_db_open(tpath("v.db"), &db), CHR_OK);
	chr_db_close(db);
	CHECK_INT(raw_int(tpath("v.db"), "PRAGMA user_version"),
		  chr_db_schema_version());
}

static void test_newer_schema_refused(void)
{
	rm_db("new.db");
	const char *p = tpath("new.db");
	sqlite3 *h;
	CHECK_INT(sqlite3_open(p, &h), SQLITE_OK);
	char sql[128];
	snprintf(sql, sizeof sql,
		 "CREATE TABLE future (x); INSERT INTO future VALUES (42);"
		 " PRAGMA user_version = %d;",
		 chr_db_schema_version() + 1);
	CHECK_INT(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);

	size_t n0, n1;
	unsigned char *before = slurp(p, &n0);
	chr_db *db = (chr_db *)&db;
	chr_status st = chr_db_open(p, &db);
	CHECK_INT(st, CHR_ESCHEMA);
	CHECK(db == NULL);
	CHECK(strstr(chr_last_error(), "newer") != NULL);
	unsigned char *after = slurp(tpath("new.db"), &n1);
	/* Not one byte changed: not even the journal mode in the header. */
	CHECK(before && after && n0 == n1 && !memcmp(before, after, n0));
	free(before);
	free(after);
	CHECK(!file_exists(tpath("new.db-wal")));
	CHECK_INT(raw_int(tpath("new.db"), "PRAGMA user_version"),
		  chr_db_schema_version() + 1);
	CHECK_INT(raw_int(tpath("new.db"),
			  "SELECT count(*) FROM sqlite_master WHERE name = 'articles'"),
		  0);
}

static void test_older_schema_upgraded(void)
{
	/* An empty file at version 0 (as SQLite creates it) is migrated. */
	rm_db("old.db");
	sqlite3 *h;
	CHECK_INT(sqlite3_open(tpath("old.db"), &h), SQLITE_OK);
	CHECK_INT(sqlite3_exec(h, "CREATE TABLE mine (x); INSERT INTO mine VALUES (7);",
			       NULL, NULL, NULL),
		  SQLITE_OK);
	sqlite3_close(h);
	chr_db *db = NULL;
	CHECK_INT(chr_db_open(tpath("old.db"), &db), CHR_OK);
	chr_db_close(db);
	CHECK_INT(raw_int(tpath("old.db"), "PRAGMA user_version"),
		  chr_db_schema_version());
	CHECK_INT(raw_int(tpath("old.db"), "SELECT x FROM mine"), 7);
}

/* Rows of event_entities that differ from the counts recomputed from
 * event_articles and entity_mentions (0 = the triggers kept them). */
static long long event_entities_off(const char *path)
{
	return raw_int(path,
		       "SELECT count(*) FROM (SELECT * FROM (SELECT event, eid, n"
		       " FROM event_entities EXCEPT SELECT ea.event, m.eid,"
		       " count(*) FROM event_articles ea JOIN entity_mentions m"
		       " ON m.doc = ea.doc GROUP BY 1, 2) UNION ALL SELECT * FROM"
		       " (SELECT ea.event, m.eid, count(*) FROM event_articles ea"
		       " JOIN entity_mentions m ON m.doc = ea.doc GROUP BY 1, 2"
		       " EXCEPT SELECT event, eid, n FROM event_entities))");
}

/* event_entities follows event_articles: an article placed, re-placed
 * with INSERT OR REPLACE (whose implicit delete fires no trigger), moved
 * by a merge, removed; and the migration fills it from existing rows. */
static void test_event_entity_counts(void)
{
	chr_db *db = fresh("ee.db");
	if (!db)
		return;
	chr_db_close(db);
	const char *p = tpath("ee.db");
	sqlite3 *h;
	CHECK_INT(sqlite3_open(p, &h), SQLITE_OK);
	static const char *const steps[] = {
		/* doc 1 names entity 10 twice and 11 once; doc 2 names 10 */
		"INSERT INTO entity_mentions VALUES (1, 0, 3, 10, 0, NULL),"
		" (1, 9, 12, 10, 0, NULL), (1, 20, 25, 11, 0, NULL),"
		" (2, 0, 3, 10, 0, NULL), (3, 0, 4, 12, 0, NULL)",
		"INSERT INTO event_articles VALUES (1, 100), (2, 100), (3, 101)",
		"INSERT OR REPLACE INTO event_articles VALUES (2, 101)",
		"UPDATE event_articles SET event = 100 WHERE event = 101",
		"DELETE FROM event_articles WHERE doc = 1",
	};
	static const long long n10[] = { -1, 3, 2, 3, 1 }; /* eid 10 in 100 */
	for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
		CHECK_INT(sqlite3_exec(h, steps[i], NULL, NULL, NULL), SQLITE_OK);
		CHECK_INT(event_entities_off(p), 0);
		if (n10[i] >= 0)
			CHECK_INT(raw_int(p, "SELECT coalesce(sum(n), 0) FROM"
					     " event_entities WHERE eid = 10"
					     " AND event = 100"),
				  n10[i]);
	}
	/* emptied rows go: only event 100 is left, with docs 2 and 3 */
	CHECK_INT(raw_int(p, "SELECT count(*) FROM event_entities"), 2);
	/* the 7 -> 8 migration fills the table from the rows it finds */
	CHECK_INT(sqlite3_exec(h, "DROP TABLE event_entities;"
			       " DROP TRIGGER event_entities_replace;"
			       " DROP TRIGGER event_entities_add;"
			       " DROP TRIGGER event_entities_move;"
			       " DROP TRIGGER event_entities_del;"
			       " PRAGMA user_version = 7;", NULL, NULL, NULL),
		  SQLITE_OK);
	sqlite3_close(h);
	CHECK_INT(chr_db_open(p, &db), CHR_OK);
	chr_db_close(db);
	CHECK_INT(raw_int(p, "SELECT count(*) FROM event_entities"), 2);
	CHECK_INT(event_entities_off(p), 0);
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

/* `entity NAME`: an entity of that name before one it is an alias of,
 * then the entity the alias was most often written for. */
static void test_entity_lookup(void)
{
	chr_db *db = fresh("el.db");
	if (!db)
		return;
	chr_db_close(db);
	const char *p = tpath("el.db");
	sqlite3 *h;
	CHECK_INT(sqlite3_open(p, &h), SQLITE_OK);
	CHECK_INT(sqlite3_exec(h,
		"INSERT INTO entities (eid, key, name, score, type, mentions) VALUES"
		" (1, 'russia', 'Russia', 1, 'LOC', 30),"
		" (2, 'moscow', 'Moscow', 1, 'LOC', 10),"
		" (3, 'valmoracity', 'Valmora City', 1, 'LOC', 50),"
		" (4, 'valmoraport', 'Valmora Port', 1, 'LOC', 5);"
		"INSERT INTO entity_aliases (eid, alias, n) VALUES"
		" (1, 'Russia', 28), (1, 'Moscow', 2), (2, 'Moscow', 10),"
		" (3, 'Valmora', 1), (4, 'Valmora', 4);", NULL, NULL, NULL),
		  SQLITE_OK);
	sqlite3_close(h);
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

static void test_wal_mode(void)
{
	chr_db *db = fresh("w.db");
	if (!db)
		return;
	sqlite3_stmt *s;
	CHECK_INT(sqlite3_prepare_v2(db->h, "PRAGMA journal_mode", -1, &s, NULL),
		  SQLITE_OK);
	CHECK_INT(sqlite3_step(s), SQLITE_ROW);
	CHECK_STR((const char *)sqlite3_column_text(s, 0), "wal");
	sqlite3_finalize(s);
	chr_db_close(db);
	/* WAL is persistent: a plain connection sees it too. */
	sqlite3 *h;
	CHECK_INT(sqlite3_open(tpath("w.db"), &h), SQLITE_OK);
	CHECK_INT(sqlite3_prepare_v2(h, "PRAGMA journal_mode", -1, &s, NULL),
		  SQLITE_OK);
	CHECK_INT(sqlite3_step(s), SQLITE_ROW);
	CHECK_STR((const char *)sqlite3_column_text(s, 0), "wal");
	sqlite3_finalize(s);
	sqlite3_close(h);
}

static void test_open_directory(void)
{
	mkdir(tpath("adir"), 0700);
	chr_db *db = (chr_db *)&db;
	chr_status st = chr_db_open(tpath("adir"), &db);
	CHECK(st != CHR_OK);
	CHECK(st == CHR_EDB || st == CHR_EIO);
	CHECK(db == NULL);
	CHECK(*chr_last_error() != '\0');
	rmdir(tpath("adir"));
}

static void test_open_garbage(void)
{
	const char *p = tpath("junk.db");
	FILE *f = fopen(p, "wb");
	CHECK(f != NULL);
	if (!f)
		return;
	uint64_t x = 0x9E3779B97F4A7C15ULL;
	for (int i = 0; i < 16384; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		fputc((int)(x & 0xff), f);
	}
	fclose(f);
	size_t n0, n1;
	unsigned char *before = slurp(tpath("junk.db"), &n0);
	chr_db *db = (chr_db *)&db;
	chr_status st = chr_db_open(tpath("junk.db"), &db);
	CHECK_INT(st, CHR_EDB);
	CHECK(db == NULL);
	CHECK(strstr(chr_last_error(), "not a database") != NULL);
	unsigned char *after = slurp(tpath("junk.db"), &n1);
	CHECK(before && after && n0 == n1 && !memcmp(before, after, n0));
	free(before);
	free(after);

	/* A short text file is not a database either. */
	f = fopen(tpath("notes.txt"), "wb");
	if (f) {
		fputs("These are my notes, not a database at all, and long enough"
		      " to fill the first hundred bytes of a header: 0123456789"
		      " 0123456789 0123456789\n", f);
		fclose(f);
	}
	db = (chr_db *)&db;
	st = chr_db_open(tpath("notes.txt"), &db);
	CHECK_INT(st, CHR_EDB);
	CHECK(db == NULL);
	CHECK(*chr_last_error() != '\0');
}

/* ---- round trip ---- */

/* Every public field of a and b equal (ids aside). */
static void check_same_article(const chr_article *a, const chr_article *b)
{
	CHECK_STR(chr_article_headline(b), chr_article_headline(a));
	CHECK_STR(chr_article_text(b), chr_article_text(a));
	CHECK_STR(chr_article_path(b), chr_article_path(a));
	CHECK_STR(chr_article_published(b), chr_article_published(a));
	CHECK_STR(chr_article_published_from(b), chr_article_published_from(a));
	CHECK_STR(chr_article_dateline(b), chr_article_dateline(a));
	CHECK_STR(chr_article_outlet(b), chr_article_outlet(a));
	CHECK_STR(chr_article_url(b), chr_article_url(a));
	CHECK_INT(chr_article_agency_count(b), chr_article_agency_count(a));
	for (size_t i = 0; i < chr_article_agency_count(a) &&
			   i < chr_article_agency_count(b); i++)
		CHECK_STR(chr_article_agency(b, i), chr_article_agency(a, i));
	CHECK_INT(chr_article_removed_count(b), chr_article_removed_count(a));
	for (size_t i = 0; i < chr_article_removed_count(a) &&
			   i < chr_article_removed_count(b); i++) {
		CHECK_STR(chr_article_removed_text(b, i), chr_article_removed_text(a, i));
		CHECK_STR(chr_article_removed_reason(b, i),
			  chr_article_removed_reason(a, i));
	}
	CHECK_INT(b->notes.n, a->notes.n);
	for (size_t i = 0; i < a->notes.n && i < b->notes.n; i++)
		CHECK_STR(b->notes.v[i], a->notes.v[i]);
	CHECK_INT(b->raw_len, a->raw_len);
	CHECK(b->raw && a->raw && !memcmp(b->raw, a->raw, a->raw_len));
	CHECK_INT(b->line, a->line);
	CHECK_STR(b->source, a->source);
}

static void test_roundtrip_ingest(void)
{
	chr_db *db = fresh("rt.db");
	if (!db)
		return;
	const char *body =
		"SEOUL/MOSCOW, Nov. 20 (Yonhap) -- North Korea and Russia held"
		" talks in Moscow on Wednesday, officials said.\n\nRead more\n\n"
		"The delegations discussed a \"new\" spaceport agreement.\n\n"
		"Sign up for eNewsletter\n\nThe talks will continue. (Yonhap)";
	chr_doc d = doc("rt1", "(LEAD) N. Korea, Russia hold talks", body);
	d.date = "2019-11-20";
	d.url = "http://example.test/1";
	d.source = "Yonhap";
	d.line = 7;
	d.note = "decoded as Windows-1252";
	chr_article *want = NULL;
	CHECK_INT(chr_article_process(&d, &want), CHR_OK);
	chr_ingest_stats s;
	CHECK_INT(ingest(db, &d, 1, 0, &s), CHR_OK);
	CHECK_INT(s.stored, 1);
	chr_article *got = NULL;
	CHECK_INT(chr_db_article(db, "rt1", &got), CHR_OK);
	if (want && got) {
		CHECK_STR(chr_article_id(got), "rt1");
		check_same_article(want, got);
		CHECK_STR(chr_article_published(got), "2019-11-20");
		CHECK_STR(chr_article_published_from(got), "input");
		CHECK_STR(chr_article_url(got), "http://example.test/1");
		CHECK_INT(got->notes.n, 1);
		if (got->notes.n)
			CHECK_STR(got->notes.v[0], "decoded as Windows-1252");
		/* The JSON form is the same too. */
		char *j1 = chr_article_json(want, NULL);
		char *j2 = chr_article_json(got, NULL);
		CHECK(j1 && j2 && !strcmp(j1, j2));
		chr_free(j1);
		chr_free(j2);
	}
	chr_article_free(want);
	chr_article_free(got);

	got = (chr_article *)&got;
	CHECK_INT(chr_db_article(db, "no-such-id", &got), CHR_ENOTFOUND);
	CHECK(got == NULL);
	chr_db_close(db);
}

/* Every field set by hand, with awkward bytes, straight into the store. */
static void test_roundtrip_all_fields(void)
{
	chr_db *db = fresh("rt2.db");
	if (!db)
		return;
	chr_article *a = art_new();
	if (!a)
		return;
	const char *text = "Caf\xc3\xa9 \"quoted\" text,\nwith a newline\n\nand "
			   "a tab\there, a backslash \\ and \xe2\x80\xa6 an ellipsis.";
	a->id = art_strdup(a, "all-\xc3\xa9");
	a->path = art_strdup(a, "dir/file.txt");
	a->line = 0;
	a->url = art_strdup(a, "https://example.test/a?b=c&d=\"e\"");
	a->source = art_strdup(a, "The Example Times");
	a->raw = art_strdup(a, "raw input body");
	a->raw_len = strlen(a->raw);
	a->content_hash = 0xFEDCBA9876543210ULL; /* negative as int64 */
	a->headline = art_strdup(a, "Choe Son-hui visits Moscow \xe2\x80\x94 talks");
	a->text = art_strdup(a, text);
	a->text_len = strlen(text);
	a->dateline = art_strdup(a, "SEOUL/MOSCOW");
	a->outlet = art_strdup(a, "Yonhap");
	art_agency(a, "Yonhap", 6);
	art_agency(a, "TASS", 4);
	art_agency(a, "A\"F\\P", 5);
	art_remove(a, "Read more", 9, "boilerplate");
	art_remove(a, "\xc2\xa9 Photo: \"x\"\nline", 19, "credit");
	art_remove(a, "", 0, "empty");
	art_note(a, "decoded as Windows-1252");
	art_note(a, "second note");
	art_set_published(a, 2024, 1, 16, "dateline");

	CHECK_INT(store_begin(db), CHR_OK);
	CHECK_INT(store_put_article(db, a, NULL), CHR_OK);
	CHECK_INT(store_commit(db), CHR_OK);
	chr_article *b = NULL;
	CHECK_INT(chr_db_article(db, "all-\xc3\xa9", &b), CHR_OK);
	if (b) {
		check_same_article(a, b);
		CHECK_STR(chr_article_published(b), "2024-01-16");
		CHECK_STR(chr_article_published_from(b), "dateline");
		CHECK_STR(chr_article_dateline(b), "SEOUL/MOSCOW");
		CHECK_STR(chr_article_outlet(b), "Yonhap");
		CHECK_INT(chr_article_agency_count(b), 3);
		CHECK_INT(chr_article_removed_count(b), 3);
		if (chr_article_removed_count(b) == 3)
			CHECK_STR(chr_article_removed_text(b, 1),
				  "\xc2\xa9 Photo: \"x\"\nline");
		CHECK_INT(b->notes.n, 2);
	}
	/* The same content again is a duplicate that names the stored id. */
	char *ex = NULL;
	CHECK_INT(store_begin(db), CHR_OK);
	CHECK_INT(store_put_article(db, a, &ex), CHR_EDUPLICATE);
	CHECK_STR(ex, "all-\xc3\xa9");
	free(ex);
	store_rollback(db);
	chr_article_free(b);

	/* Absent optional fields come back absent, not as "". */
	chr_article *c = art_new();
	c->id = "bare";
	c->headline = "";
	c->text = "only text";
	c->text_len = 9;
	c->raw = "only text";
	c->raw_len = 9;
	c->content_hash = 1;
	CHECK_INT(store_begin(db), CHR_OK);
	CHECK_INT(store_put_article(db, c, NULL), CHR_OK);
	CHECK_INT(store_commit(db), CHR_OK);
	b = NULL;
	CHECK_INT(chr_db_article(db, "bare", &b), CHR_OK);
	if (b) {
		CHECK_STR(chr_article_headline(b), "");
		CHECK(chr_article_published(b) == NULL);
		CHECK(chr_article_published_from(b) == NULL);
		CHECK(chr_article_dateline(b) == NULL);
		CHECK(chr_article_url(b) == NULL);
		CHECK(chr_article_path(b) == NULL);
		CHECK_INT(chr_article_agency_count(b), 0);
		CHECK_INT(chr_article_removed_count(b), 0);
	}
	chr_article_free(b);
	chr_article_free(c);
	chr_article_free(a);
	chr_db_close(db);
}

/* ---- idempotence and ids ---- */

static void test_idempotent(void)
{
	chr_db *db = fresh("idem.db");
	if (!db)
		return;
	chr_doc d[3] = {
		doc("x1", "Bridge vote", "The council voted 7 to 2 for the bridge."),
		doc("x1", "Bridge vote", "The council voted 7 to 2 for the bridge."),
		doc("x2", "Port strike", "Dock workers stopped work on Monday."),
	};
	chr_ingest_stats s;
	CHECK_INT(ingest(db, d, 3, 0, &s), CHR_OK);
	CHECK_INT(s.stored, 2);
	CHECK_INT(s.duplicates, 1);
	CHECK_INT(s.rejected, 0);
	/* Everything again, in another run: all duplicates. */
	CHECK_INT(ingest(db, d, 3, 0, &s), CHR_OK);
	CHECK_INT(s.stored, 0);
	CHECK_INT(s.duplicates, 3);
	CHECK_INT(chr_db_article_count(db), 2);
	/* The same content under another id or path is still a duplicate. */
	chr_doc e = d[2];
	e.id = "renamed";
	e.path = "elsewhere/feed.jsonl";
	CHECK_INT(ingest(db, &e, 1, 0, &s), CHR_OK);
	CHECK_INT(s.duplicates, 1);
	chr_article *a = NULL;
	CHECK_INT(chr_db_article(db, "renamed", &a), CHR_ENOTFOUND);
	/* A different date makes it a different article. */
	e.date = "2020-02-02";
	CHECK_INT(ingest(db, &e, 1, 0, &s), CHR_OK);
	CHECK_INT(s.stored, 1);
	CHECK_INT(chr_db_article_count(db), 3);
	chr_db_close(db);
	CHECK_INT(raw_int(tpath("idem.db"),
			  "SELECT count(*) - count(DISTINCT hash) FROM articles"),
		  0);
}

static void test_finish_releases_lock(void)
{
	/* An ingest that only met duplicates must not keep the write lock
	 * after chr_ingest_finish: another writer gets in at once. */
	chr_db *db = fresh("lock.db");
	if (!db)
		return;
	chr_doc d = doc("l1", "Lock", "A body that will be seen twice.");
	chr_ingest_stats s;
	CHECK_INT(ingest(db, &d, 1, 0, &s), CHR_OK);
	chr_ingest_opts o;
	memset(&o, 0, sizeof o);
	chr_ingest *g = NULL;
	CHECK_INT(chr_ingest_new(db, &o, &g), CHR_OK);
	CHECK_INT(chr_ingest_doc(g, &d), CHR_OK);
	CHECK_INT(chr_ingest_finish(g, &s), CHR_OK);
	CHECK_INT(s.duplicates, 1);
	sqlite3 *h;
	CHECK_INT(sqlite3_open(tpath("lock.db"), &h), SQLITE_OK);
	CHECK_INT(sqlite3_exec(h, "CREATE TABLE other (x)", NULL, NULL, NULL),
		  SQLITE_OK);
	sqlite3_close(h);
	chr_ingest_free(g);

	/* Freeing an unfinished ingest rolls its batch back. */
	chr_doc e = doc("l2", "Dropped", "This one is never finished.");
	CHECK_INT(chr_ingest_new(db, &o, &g), CHR_OK);
	CHECK_INT(chr_ingest_doc(g, &e), CHR_OK);
	chr_ingest_free(g);
	CHECK_INT(chr_db_article_count(db), 1);
	CHECK_INT(sqlite3_open(tpath("lock.db"), &h), SQLITE_OK);
	CHECK_INT(sqlite3_exec(h, "DROP TABLE other", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	chr_db_close(db);
}

/* chr_db_data_version moves for another connection's commit, not for
 * reads or for commits made through the same handle. */
static void test_data_version(void)
{
	chr_db *w = fresh("dv.db"), *r = NULL;
	if (!w)
		return;
	CHECK_INT(chr_db_open(tpath("dv.db"), &r), CHR_OK);
	if (!r) {
		chr_db_close(w);
		return;
	}
	int64_t v0 = -1, v1 = -1, w0 = -1, w1 = -1;
	CHECK_INT(chr_db_data_version(r, &v0), CHR_OK);
	CHECK_INT(chr_db_data_version(w, &w0), CHR_OK);
	CHECK_INT(chr_db_article_count(r), 0);
	CHECK_INT(chr_db_data_version(r, &v1), CHR_OK);
	CHECK(v1 == v0); /* a read changes nothing */
	chr_doc d = doc("dv1", "Version", "A body stored by the other handle.");
	chr_ingest_stats s;
	CHECK_INT(ingest(w, &d, 1, 0, &s), CHR_OK);
	CHECK_INT(chr_db_data_version(r, &v1), CHR_OK);
	CHECK(v1 != v0);
	CHECK_INT(chr_db_data_version(w, &w1), CHR_OK);
	CHECK(w1 == w0); /* its own commit */
	CHECK_INT(chr_db_data_version(NULL, &v1), CHR_EINVAL);
	chr_db_close(r);
	chr_db_close(w);
}

static void test_id_collision(void)
{
	chr_db *db = fresh("coll.db");
	if (!db)
		return;
	chr_doc d[3] = {
		doc("good", "One", "The first body."),
		doc("good", "Two", "A second, different body."),
		doc("good", "Three", "A third body, different again."),
	};
	chr_ingest_stats s;
	CHECK_INT(ingest(db, d, 3, 0, &s), CHR_OK);
	CHECK_INT(s.stored, 3);
	const char *ids[3] = { "good", "good-2", "good-3" };
	for (int i = 0; i < 3; i++) {
		chr_article *a = NULL;
		CHECK_INT(chr_db_article(db, ids[i], &a), CHR_OK);
		if (a)
			CHECK_STR(chr_article_text(a), d[i].text);
		chr_article_free(a);
	}
	/* A stored "good-2" taken by an input of that name pushes on. */
	chr_doc e = doc("good-2", "Four", "Fourth body.");
	CHECK_INT(ingest(db, &e, 1, 0, &s), CHR_OK);
	chr_article *a = NULL;
	CHECK_INT(chr_db_article(db, "good-2-2", &a), CHR_OK);
	chr_article_free(a);
	/* Re-ingesting the second one is a duplicate, not "good-4". */
	CHECK_INT(ingest(db, &d[1], 1, 0, &s), CHR_OK);
	CHECK_INT(s.duplicates, 1);
	CHECK_INT(chr_db_article(db, "good-4", &a), CHR_ENOTFOUND);
	CHECK_INT(chr_db_article_count(db), 4);
	chr_db_close(db);
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

static void cleanup(void)
{
	const char *names[] = { "a.db", "v.db", "new.db", "old.db", "w.db",
				"rt.db", "rt2.db", "idem.db", "lock.db",
				"coll.db", "list.db", "search.db", "dv.db" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		rm_db(names[i]);
	unlink(tpath("junk.db"));
	unlink(tpath("notes.txt"));
	rmdir(tmpdir);
}

static const th_test tests[] = {
	TEST(test_open_create_reopen),
	TEST(test_open_bad_args),
	TEST(test_schema_version),
	TEST(test_newer_schema_refused),
	TEST(test_older_schema_upgraded),
	TEST(test_event_entity_counts),
	TEST(test_entity_counts),
	TEST(test_entity_lookup),
	TEST(test_wal_mode),
	TEST(test_open_directory),
	TEST(test_open_garbage),
	TEST(test_roundtrip_ingest),
	TEST(test_roundtrip_all_fields),
	TEST(test_idempotent),
	TEST(test_finish_releases_lock),
	TEST(test_data_version),
	TEST(test_id_collision),
	TEST(test_articles_listing),
	TEST(test_search_ranking),
	TEST(test_search_malformed),
};

int main(void)
{
	make_tmpdir();
	int rc = th_run("store", tests, sizeof tests / sizeof tests[0]);
	cleanup();
	return rc;
}
