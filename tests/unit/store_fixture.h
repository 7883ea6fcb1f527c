/*
 * store_fixture.h: the fixtures test_store.c, test_store_query.c,
 * test_ckpt.c and test_events_store.c share: a private temporary
 * folder, fresh databases in it, an ingest run over invented docs, and
 * one integer or text read from the file through a separate sqlite3
 * connection (event_entities checked against its recomputed counts).
 *
 * Design note: a header of static functions rather than a library, so
 * each test stays a single C file with a tiny harness (as ev_input.h).
 * Each test binary makes its own folder and removes it, whatever files
 * its tests left there.
 */
#ifndef CHR_TEST_STORE_FIXTURE_H
#define CHR_TEST_STORE_FIXTURE_H

#include <dirent.h>
#include <sqlite3.h>
#include <unistd.h>

#include "harness.h"
#include "chronicle.h"

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

/* One text from sql on a separate connection ("" on error), into out
 * (inline: not every test that includes this reads one). */
static inline void raw_text(const char *path, const char *sql, char *out, size_t n)
{
	sqlite3 *h;
	out[0] = '\0';
	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
		sqlite3_stmt *s;
		if (sqlite3_prepare_v2(h, sql, -1, &s, NULL) == SQLITE_OK) {
			if (sqlite3_step(s) == SQLITE_ROW &&
			    sqlite3_column_text(s, 0))
				snprintf(out, n, "%s", sqlite3_column_text(s, 0));
			sqlite3_finalize(s);
		}
	}
	sqlite3_close(h);
}

/* Rows of event_entities that differ from the counts recomputed from
 * event_articles and entity_mentions (0: the stage and the triggers
 * kept them; inline, as raw_text). */
static inline long long event_entities_off(const char *path)
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

/* A fresh store called name, closed, then sql run on the file through
 * plain sqlite3 (rows a test needs, or an older schema); the path, or
 * NULL (and a failed check) on error. */
static const char *fresh_with(const char *name, const char *sql)
{
	chr_db *db = fresh(name);
	if (!db)
		return NULL;
	chr_db_close(db);
	const char *p = tpath(name);
	sqlite3 *h;
	CHECK_INT(sqlite3_open(p, &h), SQLITE_OK);
	int rc = sqlite3_exec(h, sql, NULL, NULL, NULL);
	CHECK_INT(rc, SQLITE_OK);
	sqlite3_close(h);
	return rc == SQLITE_OK ? p : NULL;
}

/* The store at path p opened (NULL and a failed check on error). */
static chr_db *reopen(const char *p)
{
	chr_db *db = NULL;
	CHECK_INT(chr_db_open(p, &db), CHR_OK);
	return db;
}

/* Remove every file in the folder, then the folder. */
static void remove_tmpdir(void)
{
	DIR *d = opendir(tmpdir);
	if (d) {
		struct dirent *de;
		char path[sizeof tmpdir + 1 + sizeof de->d_name];
		while ((de = readdir(d))) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			snprintf(path, sizeof path, "%s/%s", tmpdir, de->d_name);
			unlink(path);
		}
		closedir(d);
	}
	rmdir(tmpdir);
}

#endif
