/*
 * test_walbuf: the VFS that gathers WAL frame writes (src/store/walbuf.c).
 *
 * Design note: what matters is what other connections and a crash see,
 * so every check reads the files as SQLite's default VFS leaves them.
 * After each COMMIT through the VFS the database and WAL files are
 * copied byte for byte, as a process killed at that moment would leave
 * them, and the copy must open, pass integrity_check and hold every
 * committed row; a second connection on the default VFS must see the
 * commit at once.  Transactions of one row, of many pages (more than a
 * buffer), and ones larger than the page cache (SQLite then writes
 * frames before the commit and reads them back) are mixed, one is
 * rolled back, and the counts show the writes were gathered.
 */
#include "harness.h"

#include <sqlite3.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/walbuf.h"

static char dir[64], path[128];

static int exec(sqlite3 *h, const char *sql)
{
	char *err = NULL;
	int rc = sqlite3_exec(h, sql, NULL, NULL, &err);
	if (rc != SQLITE_OK)
		fprintf(stderr, "  sql: %s: %s\n", sql, err ? err : "?");
	sqlite3_free(err);
	return rc;
}

static long long count(sqlite3 *h, const char *sql)
{
	sqlite3_stmt *s = NULL;
	long long n = -1;
	if (sqlite3_prepare_v2(h, sql, -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

/* PRAGMA integrity_check says "ok". */
static void check_integrity(sqlite3 *h)
{
	sqlite3_stmt *s = NULL;
	const char *ok = NULL;
	if (sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &s, NULL) ==
		    SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		ok = (const char *)sqlite3_column_text(s, 0);
	CHECK_STR(ok, "ok");
	sqlite3_finalize(s);
}

/* A file that is not there is copied as no file. */
static int errno_missing_ok(const char *to)
{
	unlink(to);
	return 0;
}

static int copy_file(const char *from, const char *to)
{
	FILE *a = fopen(from, "rb");
	if (!a)
		return errno_missing_ok(to);
	FILE *b = fopen(to, "wb");
	if (!b) {
		fclose(a);
		return -1;
	}
	char buf[65536];
	size_t n;
	int bad = 0;
	while ((n = fread(buf, 1, sizeof buf, a)) > 0)
		bad |= fwrite(buf, 1, n, b) != n;
	bad |= ferror(a);
	fclose(a);
	bad |= fclose(b) != 0;
	return bad ? -1 : 0;
}

/* The files as a crash now would leave them, opened on the default VFS:
 * integrity ok and `want` rows. */
static void check_crash_copy(long long want)
{
	char p[200], q[200], snap[150];
	snprintf(snap, sizeof snap, "%s/snap.db", dir);
	snprintf(p, sizeof p, "%s-wal", path);
	snprintf(q, sizeof q, "%s-wal", snap);
	CHECK(copy_file(path, snap) == 0);
	CHECK(copy_file(p, q) == 0);
	snprintf(q, sizeof q, "%s-shm", snap);
	unlink(q); /* the index is rebuilt from the WAL, as after a crash */
	sqlite3 *h = NULL;
	CHECK(sqlite3_open_v2(snap, &h, SQLITE_OPEN_READWRITE, NULL) ==
	      SQLITE_OK);
	check_integrity(h);
	CHECK_INT(count(h, "SELECT count(*) FROM t"), want);
	sqlite3_close(h);
	unlink(snap);
	snprintf(q, sizeof q, "%s-wal", snap);
	unlink(q);
}

/* Insert n rows of sz random bytes each, in one transaction. */
static int put(sqlite3 *h, int n, int sz, int commit)
{
	if (exec(h, "BEGIN"))
		return -1;
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(h, "INSERT INTO t (v) VALUES (randomblob(?1))",
			       -1, &s, NULL) != SQLITE_OK)
		return -1;
	for (int i = 0; i < n; i++) {
		sqlite3_bind_int(s, 1, sz);
		if (sqlite3_step(s) != SQLITE_DONE)
			break;
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	return exec(h, commit ? "COMMIT" : "ROLLBACK");
}

static void test_commits_visible(void)
{
	CHECK(store_walbuf_register() == SQLITE_OK);
	snprintf(path, sizeof path, "%s/w.db", dir);
	sqlite3 *w = NULL, *r = NULL;
	CHECK(sqlite3_open_v2(path, &w,
			      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
			      STORE_WALBUF_VFS) == SQLITE_OK);
	/* no automatic checkpoint: the frames stay in the WAL, where the
	 * copies must find them */
	CHECK(exec(w, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
		      "PRAGMA wal_autocheckpoint=0; PRAGMA cache_size=50;"
		      "CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)") == 0);
	CHECK(sqlite3_open_v2(path, &r, SQLITE_OPEN_READONLY, NULL) ==
	      SQLITE_OK);
	long long g0, m0, g1, m1;
	store_walbuf_counts(&g0, &m0);
	/* rows: one small, many pages (> a buffer), more than the cache
	 * (50 pages: frames written and read back before the commit) */
	static const int rows[][2] = {
		{ 1, 10 }, { 200, 900 }, { 1, 3000 }, { 2000, 700 },
		{ 3, 10 }, { 400, 5000 }, { 1, 1 },
	};
	long long want = 0;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		CHECK(put(w, rows[i][0], rows[i][1], 1) == 0);
		want += rows[i][0];
		CHECK_INT(count(r, "SELECT count(*) FROM t"), want);
		check_crash_copy(want);
		if (i == 3) { /* a big transaction rolled back */
			CHECK(put(w, 1500, 800, 0) == 0);
			CHECK_INT(count(w, "SELECT count(*) FROM t"), want);
			check_crash_copy(want);
		}
	}
	store_walbuf_counts(&g1, &m1);
	/* ~2 writes a frame gathered into ~30 frames a write */
	CHECK(g1 - g0 > 2000);
	CHECK(m1 - m0 > 0);
	CHECK((m1 - m0) * 8 < g1 - g0);
	/* the writer reads its own frames back (after the rollback, the
	 * pages it had spilled are read from the WAL again) */
	CHECK_INT(count(w, "SELECT count(*) FROM t WHERE length(v) > 0"), want);
	check_integrity(w);
	/* a checkpoint through the VFS, a restart of the WAL, more rows */
	CHECK(exec(w, "PRAGMA wal_checkpoint(TRUNCATE)") == 0);
	CHECK(put(w, 300, 600, 1) == 0);
	want += 300;
	check_crash_copy(want);
	sqlite3_close(r);
	CHECK(sqlite3_close(w) == SQLITE_OK);
	/* closed: no WAL left, every row in the file */
	char p[160];
	snprintf(p, sizeof p, "%s-wal", path);
	CHECK(access(p, F_OK) != 0);
	CHECK(sqlite3_open_v2(path, &r, SQLITE_OPEN_READONLY, NULL) ==
	      SQLITE_OK);
	CHECK_INT(count(r, "SELECT count(*) FROM t"), want);
	sqlite3_close(r);
	unlink(path);
}

/* The VFS names itself and what it sits on. */
static void test_vfs_name(void)
{
	CHECK(store_walbuf_register() == SQLITE_OK);
	snprintf(path, sizeof path, "%s/n.db", dir);
	sqlite3 *w = NULL;
	CHECK(sqlite3_open_v2(path, &w,
			      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
			      STORE_WALBUF_VFS) == SQLITE_OK);
	char *name = NULL;
	CHECK(sqlite3_file_control(w, "main", SQLITE_FCNTL_VFSNAME, &name) ==
	      SQLITE_OK);
	CHECK(name && strncmp(name, STORE_WALBUF_VFS "/", 11) == 0);
	sqlite3_free(name);
	sqlite3_close(w);
	unlink(path);
}

static const th_test tests[] = {
	TEST(test_commits_visible),
	TEST(test_vfs_name),
};

int main(void)
{
	snprintf(dir, sizeof dir, "/tmp/chr_walbuf_XXXXXX");
	if (!mkdtemp(dir))
		return 2;
	int rc = th_run("walbuf", tests, sizeof tests / sizeof tests[0]);
	rmdir(dir);
	return rc;
}
