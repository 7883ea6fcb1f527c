/*
 * store: opening, pragmas, running the schema migrations, the statement
 * cache and transactions (see store.h).
 *
 * Design note: this file is the code that drives SQLite, and none of the
 * SQL it runs: the migrations are in schema.c, where a released entry is
 * never edited, and the statement text is in sql.c, looked up by enum
 * store_stmt.  What stays here is the order things happen in: the
 * version is checked before anything is written, each migration runs in
 * its own transaction, and each statement is prepared once, on first
 * use, and kept until the handle closes.
 */
#include "store.h"
#include "core/lasterr.h"
#include "store/ckpt.h"
#include "store/fold.h"
#include "store/fts_tok.h"
#include "store/schema.h"
#include "store/sql.h"
#include "store/walbuf.h"
#include "pipeline/profile.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int chr_db_schema_version(void)
{
	return store_schema_count();
}

chr_status store_fail(chr_db *db, const char *what)
{
	snprintf(db->err, sizeof db->err, "%s: %s", what,
		 db->h ? sqlite3_errmsg(db->h) : "no database");
	db->mirror_ok = 0;
	return CHR_EDB;
}

const char *chr_db_errmsg(const chr_db *db)
{
	return db ? db->err : "no database";
}

chr_status chr_db_data_version(chr_db *db, int64_t *out)
{
	if (!db || !out)
		return CHR_EINVAL;
	sqlite3_stmt *s = store_stmt(db, ST_DATA_VERSION);
	if (!s)
		return CHR_EDB;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? CHR_OK : store_fail(db, "data_version");
}

sqlite3_stmt *store_stmt_bound(chr_db *db, enum store_stmt k)
{
	sqlite3_stmt *s = db->st[k];
	if (!s) {
		if (sqlite3_prepare_v3(db->h, store_sql_text(k), -1,
				       SQLITE_PREPARE_PERSISTENT, &db->st[k],
				       NULL) != SQLITE_OK) {
			store_fail(db, "prepare");
			return NULL;
		}
		return db->st[k];
	}
	sqlite3_reset(s);
	return s;
}

sqlite3_stmt *store_stmt(chr_db *db, enum store_stmt k)
{
	sqlite3_stmt *s = store_stmt_bound(db, k);
	if (s)
		sqlite3_clear_bindings(s); /* (none yet when just prepared) */
	return s;
}

chr_status store_int(chr_db *db, enum store_stmt k, const char *what,
		     int64_t *out)
{
	sqlite3_stmt *s = store_stmt(db, k);
	if (!s)
		return CHR_EDB;
	int rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? CHR_OK : store_fail(db, what);
}

static chr_status exec1(chr_db *db, enum store_stmt k)
{
	sqlite3_stmt *s = store_stmt(db, k);
	if (!s)
		return CHR_EDB;
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? CHR_OK : store_fail(db, store_sql_text(k));
}

/* 512 MB of page cache at most for a handle that writes (pages are
 * allocated as read): at a million articles the entity, dedup and
 * mention indexes are ~1 GB of random-key B-trees, and with 64 MB a 1M
 * store's ingest read 58 pages an article through the OS (16 with 256
 * MB, 5 with 512 MB; RESULTS.md).  Peak RSS at a million articles was
 * 1.3 GB with 256 MB and is 1.65 GB with 512 MB (and 8,192 articles a
 * transaction), inside the 2 GB budget.  A
 * handle that only reads keeps 8 MB:
 * a search at a million articles reads the rows of all its ~50,000
 * matches once, and a page cache still growing allocates a buffer for
 * each page read (`search minister`, 984k articles: 1.8 s with 256 MB,
 * RESULTS.md "1M (session 12"). */
#define STORE_WRITE_CACHE "PRAGMA cache_size=-524288"

static chr_status exec_sql(chr_db *db, const char *s);

chr_status store_begin(chr_db *db)
{
	if (db->in_tx)
		return CHR_OK;
	if (!db->write_cache) {
		chr_status cst = exec_sql(db, STORE_WRITE_CACHE);
		if (cst)
			return cst;
		db->write_cache = 1;
	}
	chr_status st = exec1(db, ST_BEGIN);
	if (!st)
		db->in_tx = 1;
	db->ee_top = 0; /* (another writer may have added rows since) */
	if (!st && (st = store_ents_begin(db)))
		store_rollback(db);
	return st;
}

/* Index the articles stored in this transaction, in one statement.
 * FTS5 flushes its pending terms to a new segment at every statement
 * savepoint, and other stages' writes (INSERT OR REPLACE, multi-index
 * rows) open one per article: indexing row by row made one tiny segment
 * per article and merge work to match (a quarter of all instructions).
 * One INSERT ... SELECT per batch makes one segment per batch.  Rowids
 * grow under the write lock, so rowid >= fts_from is exactly this
 * transaction's articles. */
static chr_status fts_catch_up(chr_db *db)
{
	if (!db->fts_from)
		return CHR_OK;
	sqlite3_stmt *s = store_stmt(db, ST_FTS_BATCH);
	if (!s)
		return CHR_EDB;
	sqlite3_bind_int64(s, 1, db->fts_from);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(db, "index articles");
	db->fts_from = 0;
	return CHR_OK;
}

chr_status store_commit_prep(chr_db *db)
{
	if (!db->in_tx)
		return CHR_OK;
	/* with --profile, the commit's parts as stages of their own (the
	 * "commit" stage, timed by the caller, includes them) */
	uint64_t t = prof_on() ? prof_now() : 0;
	chr_status st = store_ents_flush(db);
	prof_lap("commit-entities", &t);
	if (!st)
		st = fts_catch_up(db);
	prof_lap("commit-fts", &t);
	if (!st)
		st = store_fold_due(db);
	prof_lap("commit-fold", &t);
	return st;
}

chr_status store_commit(chr_db *db)
{
	if (!db->in_tx)
		return CHR_OK;
	chr_status st = store_commit_prep(db);
	uint64_t t = prof_on() ? prof_now() : 0;
	if (!st)
		st = exec1(db, ST_COMMIT);
	prof_lap("commit-sql", &t);
	if (!st)
		db->in_tx = 0;
	if (!st)
		db->mirror_ok = 1;
	return st;
}

/* Keeps db->err: the error that caused the rollback is the one to report,
 * and after an I/O or memory error SQLite may already have rolled back. */
void store_drop_cache(chr_db *db)
{
	if (db->cache && db->cache_free)
		db->cache_free(db->cache);
	db->cache = NULL;
	db->cache_free = NULL;
}

/* The mirrors go only when they may hold rows the file does not: a
 * transaction to undo, or an error since the last commit (a transaction
 * SQLite rolled back by itself, a write outside one that failed half
 * way).  Otherwise they hold committed rows (another connection's
 * commits are caught up with as before: data_version at store_begin,
 * newer docs per article), and the next run on this handle (each of
 * the server's POST /ingest requests is one) need not rebuild them. */
void store_rollback(chr_db *db)
{
	if (db->in_tx || !db->mirror_ok) {
		store_drop_cache(db);
		store_ents_drop(db);
	}
	db->fts_from = 0;
	if (!db->in_tx)
		return;
	db->in_tx = 0;
	if (sqlite3_get_autocommit(db->h))
		return;
	char keep[sizeof db->err];
	memcpy(keep, db->err, sizeof keep);
	exec1(db, ST_ROLLBACK);
	memcpy(db->err, keep, sizeof keep);
}

static chr_status exec_sql(chr_db *db, const char *s)
{
	char *msg = NULL;
	if (sqlite3_exec(db->h, s, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(db->err, sizeof db->err, "%s", msg ? msg : "exec failed");
		sqlite3_free(msg);
		return CHR_EDB;
	}
	return CHR_OK;
}

/* The file's schema version into *v. */
static chr_status read_version(chr_db *db, int *v)
{
	sqlite3_stmt *s;
	*v = -1;
	if (sqlite3_prepare_v2(db->h, "PRAGMA user_version", -1, &s, NULL))
		return store_fail(db, "schema version");
	if (sqlite3_step(s) == SQLITE_ROW)
		*v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return *v < 0 ? store_fail(db, "schema version") : CHR_OK;
}

/* Refuse a file from a newer chronicle.  Runs before anything is written
 * (not even the journal mode), so a refused file is left as it was. */
static chr_status check_version(chr_db *db, int *v)
{
	chr_status st = read_version(db, v);
	if (!st && *v > store_schema_count()) {
		snprintf(db->err, sizeof db->err,
			 "schema version %d is newer than this build's %d", *v,
			 store_schema_count());
		st = CHR_ESCHEMA;
	}
	return st;
}

/* Apply the missing migrations, each in its own write transaction; the
 * version is read again under the lock, so two processes opening an old
 * file at once do not both migrate it. */
static chr_status migrate(chr_db *db)
{
	for (;;) {
		int v = -1;
		chr_status st = exec_sql(db, "BEGIN IMMEDIATE");
		if (!st)
			st = check_version(db, &v);
		if (!st && v == store_schema_count())
			return exec_sql(db, "COMMIT");
		if (!st)
			st = exec_sql(db, store_schema_migration(v));
		if (!st) {
			char ver[64];
			snprintf(ver, sizeof ver, "PRAGMA user_version = %d", v + 1);
			st = exec_sql(db, ver);
		}
		if (!st)
			st = exec_sql(db, "COMMIT");
		if (st) {
			char keep[512];
			snprintf(keep, sizeof keep, "migration %d: %.400s", v + 1, db->err);
			if (!sqlite3_get_autocommit(db->h))
				exec_sql(db, "ROLLBACK");
			snprintf(db->err, sizeof db->err, "%s", keep);
			return st;
		}
	}
}

static int hex_digit(unsigned char c)
{
	return c >= '0' && c <= '9' ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* chr_unhex(x), for migration 16: the bytes a text of hex digit pairs
 * spells, as a blob; anything else (not text, an odd length, a character
 * that is not a digit) unchanged.  (SQLite's own unhex() came in 3.41.) */
static void sql_unhex(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	(void)argc;
	sqlite3_value *v = argv[0];
	int text = sqlite3_value_type(v) == SQLITE_TEXT; /* (before any
							    * conversion) */
	const unsigned char *t = text ? sqlite3_value_text(v) : NULL;
	size_t n = t ? (size_t)sqlite3_value_bytes(v) : 0;
	if (!t || n % 2) {
		sqlite3_result_value(cx, v);
		return;
	}
	if (!n) {
		sqlite3_result_zeroblob(cx, 0);
		return;
	}
	unsigned char *b = sqlite3_malloc64(n / 2);
	if (!b) {
		sqlite3_result_error_nomem(cx);
		return;
	}
	for (size_t i = 0; i < n / 2; i++) {
		int hi = hex_digit(t[2 * i]), lo = hex_digit(t[2 * i + 1]);
		if (hi < 0 || lo < 0) {
			sqlite3_free(b);
			sqlite3_result_value(cx, v);
			return;
		}
		b[i] = (unsigned char)(hi << 4 | lo);
	}
	sqlite3_result_blob64(cx, b, n / 2, sqlite3_free);
}

/* SQLite keeps allocation statistics by default, which takes a global
 * mutex around every one of its mallocs (~350 an article); nothing here
 * reads them.  Turned off once, before the first connection; when the
 * program has already started SQLite the call just fails and changes
 * nothing.  2,000 Reuters stories: 6.46 G -> 6.30 G instructions.
 * The same once: the VFS that gathers WAL writes (walbuf.h), which every
 * connection chr_db_open makes then uses; if it cannot be registered,
 * connections use the default VFS as before. */
static pthread_once_t sqlite_once = PTHREAD_ONCE_INIT;
static const char *sqlite_vfs; /* walbuf.h's, when it could be had */

static void sqlite_setup(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if (store_walbuf_register() == SQLITE_OK)
		sqlite_vfs = STORE_WALBUF_VFS;
}

chr_status chr_db_open(const char *path, chr_db **out)
{
	*out = NULL;
	if (!path || !*path)
		return CHR_EINVAL;
	chr_db *db = calloc(1, sizeof *db);
	if (!db)
		return CHR_ENOMEM;
	pthread_once(&sqlite_once, sqlite_setup);
	int rc = sqlite3_open_v2(path, &db->h,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
					 SQLITE_OPEN_NOMUTEX,
				 sqlite_vfs);
	chr_status st = CHR_OK;
	int v = -1;
	if (rc != SQLITE_OK) {
		st = rc == SQLITE_NOMEM ? CHR_ENOMEM : CHR_EDB;
		store_fail(db, path);
	}
	if (!st) {
		sqlite3_busy_timeout(db->h, 10000);
		sqlite3_extended_result_codes(db->h, 1);
		/* before any FTS5 table is opened on this connection, so
		 * articles_fts tokenizes with it (fts_tok.h) */
		if (fts_tok_register(db->h) != SQLITE_OK)
			st = store_fail(db, "fts5 tokenizer");
		else if (sqlite3_create_function(db->h, "chr_unhex", 1,
						 SQLITE_UTF8 | SQLITE_DETERMINISTIC,
						 NULL, sql_unhex, NULL,
						 NULL) != SQLITE_OK)
			st = store_fail(db, "chr_unhex");
	}
	if (!st)
		st = check_version(db, &v);
	if (!st) {
		st = exec_sql(db, "PRAGMA journal_mode=WAL;"
				  /* Debian builds SQLite with SECURE_DELETE,
				   * which zeroes every deleted cell and freed
				   * page (REPLACE and count updates delete
				   * often); deleted news text is not a secret */
				  "PRAGMA secure_delete=OFF;"
				  "PRAGMA synchronous=NORMAL;"
				  "PRAGMA foreign_keys=ON;"
				  "PRAGMA temp_store=MEMORY;"
				  /* 8 MB of page cache for queries; the
				   * first write transaction raises it
				   * (store_begin, STORE_WRITE_CACHE) */
				  "PRAGMA cache_size=-8192;"
				  /* checkpoint every 64 MB of WAL, not 4 MB: a
				   * batch commit writes thousands of pages, so
				   * the default checkpointed (and fsynced) after
				   * every commit; Reuters ingest: a third of the
				   * fsyncs, half the reads, 17% fewer writes;
				   * ckpt.c then moves them to a thread of their
				   * own (same threshold, STORE_CKPT_FRAMES) */
				  "PRAGMA wal_autocheckpoint=16384;");
		if (st) {
			char keep[512];
			snprintf(keep, sizeof keep, "%.100s: %.400s", path, db->err);
			snprintf(db->err, sizeof db->err, "%s", keep);
		}
	}
	if (!st) /* the autocheckpoint above stays if this cannot be had */
		store_ckpt_attach(db);
	if (!st && v < store_schema_count()) /* no write lock when up to date */
		st = migrate(db);
	if (st) {
		chr_set_last_error("%s", db->err);
		chr_db_close(db);
		return st;
	}
	*out = db;
	return CHR_OK;
}

void chr_db_close(chr_db *db)
{
	if (!db)
		return;
	if (db->in_tx)
		store_rollback(db);
	store_drop_cache(db);
	store_ents_drop(db);
	/* the thread first: the close below makes the final checkpoint */
	store_ckpt_detach(db);
	for (int i = 0; i < ST_COUNT_; i++)
		sqlite3_finalize(db->st[i]);
	sqlite3_close_v2(db->h);
	free(db);
}
