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
#include "store_fixture.h"

/* ---- fixtures ---- */

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

/* An article (a) and a near copy of it (b, its last line changed) that
 * only their band and anchor keys can match (one paragraph each). */
static void near_pair(char *a, char *b)
{
	static const char body[] =
		"The river authority opened the new flood barrier at Kelmford on"
		" Monday after four years of work. Engineers said the barrier"
		" would protect eleven thousand homes from the spring floods that"
		" closed the town centre twice last decade. The project cost 84"
		" million pounds and employed some three hundred workers from the"
		" valley. Residents gathered on the embankment to watch the gates"
		" rise for the first test. ";
	snprintf(a, 1024, "%sThe mayor thanked the crews.", body);
	snprintf(b, 1024, "%sThe mayor was not present.", body);
}

/* Open the store at p (migrating it) and close it: now the latest
 * version. */
static void open_migrated(const char *p)
{
	chr_db *db = NULL;
	CHECK_INT(chr_db_open(p, &db), CHR_OK);
	chr_db_close(db);
	CHECK_INT(raw_int(p, "PRAGMA user_version"), chr_db_schema_version());
}

/* Migration 9 packs a doc's dedup key rows (version 8: one row a key)
 * into one row of 16 hex digits a key, in key order, and migration 16
 * turns the digits into the bytes they spell (8 a key); a store whose
 * keys came through them still finds a near copy of what it holds. */
static void test_dedup_keys_migrated(void)
{
	const char *p = fresh_with("dk.db",
		"DROP TABLE dedup_keyset;"
		"CREATE TABLE dedup_keys (doc INTEGER NOT NULL, key INTEGER"
		" NOT NULL, PRIMARY KEY (doc, key)) WITHOUT ROWID;"
		"INSERT INTO dedup_keys VALUES (1, 255), (1, -5), (2, 7);"
		"PRAGMA user_version = 8;");
	if (!p)
		return;
	chr_db *db = NULL;
	sqlite3 *h;
	open_migrated(p);
	char t[128];
	raw_text(p, "SELECT typeof(keys) || hex(keys) FROM dedup_keyset"
		    " WHERE doc = 1", t, sizeof t);
	CHECK_STR(t, "blobFFFFFFFFFFFFFFFB00000000000000FF");
	raw_text(p, "SELECT typeof(keys) || hex(keys) FROM dedup_keyset"
		    " WHERE doc = 2", t, sizeof t);
	CHECK_STR(t, "blob0000000000000007");
	CHECK_INT(raw_int(p, "SELECT count(*) FROM sqlite_master"
			     " WHERE name = 'dedup_keys'"), 0);
	/* real keys: one run stores an article, the next (lists rebuilt
	 * from the rows) gets a copy with a changed last line */
	char a[1024], b[1024];
	near_pair(a, b);
	db = fresh("dk2.db");
	chr_doc d = doc("flood-1", "Flood barrier opens", a);
	chr_ingest_stats s;
	CHECK_INT(ingest(db, &d, 1, 0, &s), CHR_OK);
	chr_db_close(db);
	CHECK_INT(raw_int(tpath("dk2.db"), "SELECT length(keys) % 8 + count(*)"
					   " FROM dedup_keyset WHERE typeof(keys)"
					   " = 'blob'"), 1);
	CHECK_INT(chr_db_open(tpath("dk2.db"), &db), CHR_OK);
	d = doc("flood-2", "Flood barrier opens", b);
	CHECK_INT(ingest(db, &d, 1, 0, &s), CHR_OK);
	chr_db_close(db);
	CHECK_INT(raw_int(tpath("dk2.db"), "SELECT count(DISTINCT grp) FROM"
					   " dedup_docs WHERE grp IS NOT NULL"), 1);
	CHECK_INT(raw_int(tpath("dk2.db"), "SELECT count(*) FROM dedup_docs"
					   " WHERE grp IS NOT NULL"), 2);
	/* a damaged row is an error that names the doc, not a crash, and
	 * the run stores nothing of the failed batch */
	CHECK_INT(sqlite3_open(tpath("dk2.db"), &h), SQLITE_OK);
	CHECK_INT(sqlite3_exec(h, "UPDATE dedup_keyset SET keys = 'zz' WHERE"
			       " doc = (SELECT min(doc) FROM dedup_keyset)",
			       NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	CHECK_INT(chr_db_open(tpath("dk2.db"), &db), CHR_OK);
	d = doc("flood-3", "Another", "A different text about a bridge.");
	CHECK(ingest(db, &d, 1, 0, &s) != CHR_OK);
	CHECK(strstr(chr_db_errmsg(db), "dedup keys of doc") != NULL);
	chr_db_close(db);
	CHECK_INT(raw_int(tpath("dk2.db"), "SELECT count(*) FROM articles"), 2);
	/* so is a blob that is not whole keys, and a row left as text (hex
	 * digits that are not keys' digits, kept by migration 16) */
	static const char *const bad[] = {
		"X'0102030405060708090a'", "'0000000000000007'",
	};
	for (size_t c = 0; c < sizeof bad / sizeof bad[0]; c++) {
		char sql[256];
		snprintf(sql, sizeof sql, "UPDATE dedup_keyset SET keys = %s"
			 " WHERE doc = (SELECT min(doc) FROM dedup_keyset)",
			 bad[c]);
		CHECK_INT(sqlite3_open(tpath("dk2.db"), &h), SQLITE_OK);
		CHECK_INT(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
		sqlite3_close(h);
		CHECK_INT(chr_db_open(tpath("dk2.db"), &db), CHR_OK);
		CHECK(ingest(db, &d, 1, 0, &s) != CHR_OK);
		CHECK(strstr(chr_db_errmsg(db), "dedup keys of doc") != NULL);
		chr_db_close(db);
	}
	CHECK_INT(raw_int(tpath("dk2.db"), "SELECT count(*) FROM articles"), 2);
}

/* Migration 16: a version 15 store's hex key rows become blobs of the
 * same keys (an odd, a non-hex and an empty row as the function says:
 * the first two kept as text, to be reported when read, the last an
 * empty blob), and its lists, built from them, find a near copy of an
 * article it holds, as before. */
static void test_dedup_keys_blob(void)
{
	char a[1024], b[1024];
	near_pair(a, b);
	chr_db *db = fresh("kb.db");
	if (!db)
		return;
	chr_doc d = doc("flood-1", "Flood barrier opens", a);
	chr_ingest_stats s;
	CHECK_INT(ingest(db, &d, 1, 0, &s), CHR_OK);
	chr_db_close(db);
	/* back to version 15: the keys as hex digits */
	sqlite3 *h;
	const char *p = tpath("kb.db");
	CHECK_INT(sqlite3_open(p, &h), SQLITE_OK);
	CHECK_INT(sqlite3_exec(h,
		"CREATE TABLE k15 (doc INTEGER PRIMARY KEY, keys TEXT NOT NULL);"
		"INSERT INTO k15 SELECT doc, lower(hex(keys)) FROM dedup_keyset;"
		"DROP TABLE dedup_keyset;"
		"ALTER TABLE k15 RENAME TO dedup_keyset;"
		"INSERT INTO dedup_keyset VALUES (101, 'abc'), (102, 'zz'),"
		" (103, '');"
		"PRAGMA user_version = 15;", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	char was[2048];
	raw_text(p, "SELECT keys FROM dedup_keyset WHERE doc = 1", was,
		 sizeof was);
	CHECK(strlen(was) >= 16 && strlen(was) % 16 == 0);
	open_migrated(p);
	char now[2048];
	raw_text(p, "SELECT typeof(keys) || lower(hex(keys)) FROM dedup_keyset"
		    " WHERE doc = 1", now, sizeof now);
	CHECK(!strncmp(now, "blob", 4) && !strcmp(now + 4, was));
	raw_text(p, "SELECT group_concat(typeof(keys) || length(keys), ' ')"
		    " FROM dedup_keyset WHERE doc > 100", now, sizeof now);
	CHECK_STR(now, "text3 text2 blob0");
	/* rows 101 and 102 are not keys: away, then a copy is found */
	CHECK_INT(sqlite3_open(p, &h), SQLITE_OK);
	CHECK_INT(sqlite3_exec(h, "DELETE FROM dedup_keyset WHERE doc IN"
			       " (101, 102)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	CHECK_INT(chr_db_open(p, &db), CHR_OK);
	d = doc("flood-2", "Flood barrier opens", b);
	CHECK_INT(ingest(db, &d, 1, 0, &s), CHR_OK);
	chr_db_close(db);
	CHECK_INT(raw_int(p, "SELECT count(*) FROM dedup_docs WHERE grp ="
			     " (SELECT grp FROM dedup_docs WHERE doc = 1)"), 2);
	CHECK_INT(raw_int(p, "SELECT count(*) FROM dedup_keyset WHERE typeof(keys)"
			     " = 'blob' AND length(keys) % 8 = 0"), 3);
}

/* Migration 11 drops the value index of timexes and the who index of
 * facts_found (no statement reads them), migration 12 makes the surname
 * index one of people only; a version 10 store upgrades with its rows
 * kept, and ingests into the new schema (its event written, with no
 * index by date: migration 15). */
static void test_unread_indexes_dropped(void)
{
	const char *p = fresh_with("ix.db",
		"CREATE INDEX timexes_value ON timexes(value);"
		"CREATE INDEX facts_found_who ON facts_found(who);"
		"DROP INDEX entities_skey;"
		"CREATE INDEX entities_skey ON entities(skey, type, fkey);"
		"INSERT INTO timexes VALUES (1, 0, 4, 'DATE', '2024', NULL);"
		"PRAGMA user_version = 10;");
	chr_db *db = p ? reopen(p) : NULL;
	if (!db)
		return;
	chr_doc d = doc("ix1", "Talks on Monday",
			"LONDON (Reuters) - Talks opened on Monday, May 6, 2024.");
	d.date = "2024-05-06";
	chr_ingest_stats s;
	CHECK_INT(ingest(db, &d, 1, 0, &s), CHR_OK);
	chr_db_close(db);
	CHECK_INT(raw_int(p, "PRAGMA user_version"), chr_db_schema_version());
	CHECK_INT(raw_int(p, "SELECT count(*) FROM sqlite_master WHERE name IN"
			     " ('timexes_value', 'facts_found_who')"), 0);
	CHECK_INT(raw_int(p, "SELECT count(*) FROM timexes WHERE doc = 1"
			     " AND value = '2024'"), 1);
	CHECK(raw_int(p, "SELECT count(*) FROM timexes") >= 2);
	CHECK_INT(raw_int(p, "SELECT count(*) FROM sqlite_master WHERE name ="
			     " 'entities_skey' AND sql LIKE '%WHERE type = ''PER''%'"),
		  1);
	CHECK_INT(raw_int(p, "SELECT count(*) FROM sqlite_master WHERE name ="
			     " 'events_date'"), 0);
	CHECK_INT(raw_int(p, "SELECT count(*) FROM events WHERE date ="
			     " '2024-05-06'"), 1);
}

/* Migration 15 drops the events index by date (nothing reads it): a
 * version 14 store loses it and keeps its events (a version 10 one, in
 * test_unread_indexes_dropped, still has the stage write its event). */
static void test_events_date_dropped(void)
{
	const char *p = fresh_with("evd.db",
		"CREATE INDEX IF NOT EXISTS events_date ON events(date);"
		"INSERT INTO events (id, title, date) VALUES (7, 't', '2024-05-06');"
		"PRAGMA user_version = 14;");
	chr_db *db = p ? reopen(p) : NULL;
	if (!db)
		return;
	chr_db_close(db);
	CHECK_INT(raw_int(p, "PRAGMA user_version"), chr_db_schema_version());
	CHECK_INT(raw_int(p, "SELECT count(*) FROM sqlite_master WHERE name ="
			     " 'events_date'"), 0);
	CHECK_INT(raw_int(p, "SELECT count(*) FROM events WHERE id = 7 AND"
			     " date = '2024-05-06'"), 1);
}

/* One batch is one FTS5 segment: pending terms are written out at 16 MB,
 * not FTS5's default 1 MB (migration 14), so a batch whose terms pass
 * 1 MB still makes a single segment; an older file gets the setting. */
static void test_fts_one_segment_a_batch(void)
{
	chr_db *db = fresh("seg.db");
	if (!db)
		return;
	enum { NDOC = 160, WORDS = 900 };
	static char text[NDOC][WORDS * 9 + 1];
	static char ids[NDOC][16];
	static chr_doc docs[NDOC];
	uint32_t r = 7;
	for (int i = 0; i < NDOC; i++) {
		char *t = text[i];
		for (int w = 0; w < WORDS; w++) {
			for (int k = 0; k < 8; k++) {
				r = r * 1103515245u + 12345u;
				*t++ = (char)('a' + (r >> 16) % 26);
			}
			*t++ = w % 12 == 11 ? '.' : ' ';
		}
		*t = '\0';
		snprintf(ids[i], sizeof ids[i], "seg%d", i);
		docs[i] = doc(ids[i], "A batch of words", text[i]);
	}
	chr_ingest_stats s;
	CHECK_INT(ingest(db, docs, NDOC, NDOC, &s), CHR_OK);
	chr_db_close(db);
	const char *p = tpath("seg.db");
	CHECK_INT(raw_int(p, "SELECT v FROM articles_fts_config WHERE k = 'hashsize'"),
		  16777216);
	/* more than 1 MB of index, in one segment (data rows 1 and 10 are
	 * the averages and the structure record) */
	CHECK(raw_int(p, "SELECT sum(length(block)) FROM articles_fts_data") > (1 << 20));
	CHECK_INT(raw_int(p, "SELECT count(DISTINCT id >> 37) FROM articles_fts_data"
			     " WHERE id > 10"), 1);
	CHECK_INT(raw_int(p, "SELECT count(*) FROM articles_fts WHERE articles_fts"
			     " MATCH 'batch'"), NDOC);

	p = fresh_with("seg13.db",
		       "DELETE FROM articles_fts_config WHERE k = 'hashsize';"
		       "PRAGMA user_version = 13;");
	db = p ? reopen(p) : NULL;
	chr_db_close(db);
	if (p)
		CHECK_INT(raw_int(p, "SELECT v FROM articles_fts_config"
				     " WHERE k = 'hashsize'"), 16777216);
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

static chr_article *bare(const char *id, uint64_t hash, const char *headline)
{
	chr_article *a = art_new();
	if (!a)
		return NULL;
	a->id = id;
	a->headline = headline;
	a->text = a->raw = "only text";
	a->text_len = a->raw_len = 9;
	a->content_hash = hash;
	return a;
}

/* store_put_article inserts the row first and looks up hash and id
 * only when a constraint fails: a failed insert leaves nothing (the
 * next row takes the next rowid), the same content under any id is a
 * duplicate naming the stored id, a taken id gets its suffix, and a
 * row that fails another constraint is the insert's error. */
static void test_put_article_first(void)
{
	chr_db *db = fresh("first.db");
	if (!db)
		return;
	const char *ids[] = { "x", "x", "y", "x", "z", "w" };
	const uint64_t hashes[] = { 10, 10, 10, 11, 12, 13 };
	const chr_status want[] = { CHR_OK, CHR_EDUPLICATE, CHR_EDUPLICATE,
				    CHR_OK, CHR_EDB, CHR_OK };
	const int64_t rowids[] = { 1, 0, 0, 2, 0, 3 };
	CHECK_INT(store_begin(db), CHR_OK);
	for (int i = 0; i < 6; i++) {
		chr_article *a = bare(ids[i], hashes[i], i == 4 ? NULL : "H");
		if (!a)
			break;
		char *ex = NULL;
		CHECK_INT(store_put_article(db, a, &ex), want[i]);
		CHECK_INT(a->rowid, rowids[i]);
		if (want[i] == CHR_EDUPLICATE)
			CHECK_STR(ex ? ex : "", "x");
		else
			CHECK(ex == NULL);
		if (i == 3)
			CHECK_STR(a->id, "x-2");
		if (i == 4)
			CHECK(strstr(chr_db_errmsg(db), "insert article") != NULL);
		free(ex);
		chr_article_free(a);
	}
	CHECK_INT(store_commit(db), CHR_OK);
	CHECK_INT(chr_db_article_count(db), 3);
	CHECK_INT(raw_int(tpath("first.db"), "SELECT count(*) FROM articles_fts"
			  " WHERE articles_fts MATCH 'only'"), 3);
	/* empty lists are stored as the JSON writer writes them */
	CHECK_INT(raw_int(tpath("first.db"), "SELECT count(*) FROM articles"
			  " WHERE agencies = '[]' AND removed = '[]'"
			  " AND notes = '[]'"), 3);
	chr_db_close(db);
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

/* The entity and dedup mirrors (entcache.c, src/dedup/recent.c) outlive
 * an ingest run that committed: the next run on the handle (the
 * server's next POST /ingest) finds the same objects, not rebuilt ones,
 * copies are still grouped through them, and another connection's
 * article between runs is seen; an error since the last commit, or a
 * transaction to undo, drops them. */
static void test_mirrors_kept(void)
{
	chr_db *db = fresh("mirror.db");
	if (!db)
		return;
	static const char body[] =
		"LONDON (Reuters) - Talks opened on Monday between Britain and"
		" France over the fishing rights in the Channel, officials from"
		" both sides said after the first round in London.\n\n"
		"British Prime Minister Rishi Sunak spoke with French President"
		" Emmanuel Macron by telephone before the talks began, and both"
		" said they hoped for a deal before the end of the year.\n\n"
		"Fishing crews from Brittany and Cornwall have argued over the"
		" licences since the old agreement expired in December.";
	static char text[4][1024];
	static const char *const id[4] = { "mk1", "mk2", "mk3", "mk4" };
	chr_doc d[4];
	for (int i = 0; i < 4; i++) {
		snprintf(text[i], sizeof text[i], "%s\n\nCopy %d of the story"
			 " as one outlet ran it.", body, i + 1);
		d[i] = doc(id[i], "Fishing talks open", text[i]);
		d[i].date = "2024-05-06";
	}
	chr_ingest_stats s;
	CHECK_INT(ingest(db, &d[0], 1, 0, &s), CHR_OK);
	void *cache = db->cache;
	struct store_ents *ents = db->ents;
	CHECK(cache && ents);
	CHECK_INT(ingest(db, &d[1], 1, 0, &s), CHR_OK);
	CHECK(db->cache == cache && db->ents == ents);
	chr_db *other = reopen(tpath("mirror.db"));
	if (other) {
		CHECK_INT(ingest(other, &d[2], 1, 0, &s), CHR_OK);
		chr_db_close(other);
	}
	CHECK_INT(ingest(db, &d[3], 1, 0, &s), CHR_OK);
	CHECK(db->cache == cache); /* (caught up per article) */
	const char *p = tpath("mirror.db");
	CHECK_INT(raw_int(p, "SELECT count(*) FROM dedup_docs"), 4);
	CHECK_INT(raw_int(p, "SELECT count(DISTINCT grp) FROM dedup_docs"), 1);
	CHECK_INT(raw_int(p, "SELECT size FROM dedup_groups"), 4);
	CHECK(raw_int(p, "SELECT count(*) FROM entities") > 3);
	CHECK_INT(raw_int(p, "SELECT count(*) FROM entities e WHERE mentions <>"
			  " (SELECT count(*) FROM entity_mentions m WHERE"
			  " m.eid = e.eid)"), 0);
	CHECK_INT(raw_int(p, "SELECT count(*) FROM (SELECT key FROM entities"
			  " GROUP BY key HAVING count(*) > 1)"), 0);
	/* an error since the last commit: dropped by the next rollback */
	store_fail(db, "test");
	chr_ingest *g = NULL;
	CHECK_INT(chr_ingest_new(db, NULL, &g), CHR_OK);
	chr_ingest_free(g);
	CHECK(!db->cache && !db->ents);
	/* made again by a run; a transaction to undo drops them */
	chr_doc again = doc("mk5", "Fishing talks go on", body);
	CHECK_INT(ingest(db, &again, 1, 0, &s), CHR_OK);
	CHECK(db->cache && db->ents);
	CHECK_INT(store_begin(db), CHR_OK);
	store_rollback(db);
	CHECK(!db->cache && !db->ents);
	chr_db_close(db);
}

static const th_test tests[] = {
	TEST(test_open_create_reopen),
	TEST(test_open_bad_args),
	TEST(test_schema_version),
	TEST(test_newer_schema_refused),
	TEST(test_older_schema_upgraded),
	TEST(test_dedup_keys_migrated),
	TEST(test_dedup_keys_blob),
	TEST(test_unread_indexes_dropped),
	TEST(test_fts_one_segment_a_batch),
	TEST(test_wal_mode),
	TEST(test_open_directory),
	TEST(test_open_garbage),
	TEST(test_roundtrip_ingest),
	TEST(test_roundtrip_all_fields),
	TEST(test_idempotent),
	TEST(test_finish_releases_lock),
	TEST(test_data_version),
	TEST(test_id_collision),
	TEST(test_put_article_first),
	TEST(test_events_date_dropped),
	TEST(test_mirrors_kept),
};

int main(void)
{
	make_tmpdir();
	int rc = th_run("store", tests, sizeof tests / sizeof tests[0]);
	remove_tmpdir();
	return rc;
}
