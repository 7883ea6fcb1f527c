/*
 * test_ckpt: WAL checkpoints off the writer's thread (src/store/ckpt.c).
 *
 * Design note: the threshold is lowered to a few dozen frames so a few
 * hundred small invented articles, committed ten at a time, pass it and
 * the ceiling many times.  After every committed batch the WAL file's
 * size is read, so the bound is checked where it matters (while the
 * store is open), not only after close.  Each run is compared with a
 * run that checkpoints only on the writer (as SQLite's autocheckpoint
 * did): same rows, same article ids in order, integrity_check ok, and
 * no WAL left after close.  A reader holding an old snapshot, which no
 * checkpoint can get past, must slow nothing down into an error.
 */
#include "store_fixture.h"

#include <sys/stat.h>

#include "store/ckpt.h"

#define N_DOCS 400
#define BATCH 10
#define FRAMES 32

static chr_doc docs[N_DOCS];
static char *texts[N_DOCS], *ids[N_DOCS], *titles[N_DOCS];

/* Invented wire copy, every body different (a serial and an LCG). */
static void make_docs(void)
{
	static const char *const w[] = {
		"harbour", "bridge", "council", "talks", "rain", "strike",
		"vote", "summit", "minister", "delegation", "border", "treaty",
		"market", "port", "railway", "drought", "election", "envoy"};
	unsigned r = 12345;
	for (int i = 0; i < N_DOCS; i++) {
		size_t cap = 4096, n = 0;
		char *t = malloc(cap);
		if (!t)
			exit(2);
		for (int j = 0; j < 200; j++) {
			r = r * 1103515245u + 12345u;
			n += (size_t)snprintf(t + n, cap - n, "%s ",
					      w[(r >> 16) % (sizeof w / sizeof w[0])]);
		}
		snprintf(t + n, cap - n, "(serial %d).", i);
		texts[i] = t;
		ids[i] = malloc(16);
		titles[i] = malloc(48);
		if (!ids[i] || !titles[i])
			exit(2);
		snprintf(ids[i], 16, "k%05d", i);
		snprintf(titles[i], 48, "Story %d on the %s", i, w[i % 18]);
		docs[i] = doc(ids[i], titles[i], texts[i]);
	}
}

static void free_docs(void)
{
	for (int i = 0; i < N_DOCS; i++) {
		free(texts[i]);
		free(ids[i]);
		free(titles[i]);
	}
}

typedef struct run {
	const char *wal;  /* the WAL's path */
	long long most;   /* largest WAL file after a batch */
	int batches;
} run;

static long long file_size(const char *path)
{
	struct stat sb;
	return stat(path, &sb) ? 0 : (long long)sb.st_size;
}

static void on_progress(void *ctx, const chr_ingest_stats *s)
{
	(void)s;
	run *r = ctx;
	long long n = file_size(r->wal);
	if (n > r->most)
		r->most = n;
	r->batches++;
}

/* Ingest every doc into a fresh store name with these limits; the
 * checkpointer's counts into *cs, the run's into *r; the store is left
 * closed. */
static void ingest_with(const char *name, int frames, int background,
			store_ckpt_stat *cs, run *r)
{
	char wal[300];
	snprintf(wal, sizeof wal, "%s-wal", tpath(name));
	memset(r, 0, sizeof *r);
	r->wal = wal;
	memset(cs, 0, sizeof *cs);
	chr_db *db = fresh(name);
	if (!db)
		return;
	if (frames)
		store_ckpt_limits(db, frames, background);
	chr_ingest_opts o;
	memset(&o, 0, sizeof o);
	o.batch = BATCH;
	o.threads = 1;
	o.ctx = r;
	o.on_progress = on_progress;
	chr_ingest *g = NULL;
	CHECK_INT(chr_ingest_new(db, &o, &g), CHR_OK);
	chr_status st = CHR_OK;
	for (int i = 0; g && i < N_DOCS && !st; i++)
		st = chr_ingest_doc(g, &docs[i]);
	CHECK_INT(st, CHR_OK);
	if (g)
		CHECK_INT(chr_ingest_finish(g, NULL), CHR_OK);
	chr_ingest_free(g);
	store_ckpt_stats(db, cs);
	chr_db_close(db);
	r->wal = NULL;
	/* the close made the last checkpoint and removed the WAL */
	CHECK_INT(file_size(wal), 0);
}

/* The same rows in both stores: every table's row count, and the
 * articles' ids in rowid order (hashed). */
static void check_same(const char *a, const char *b)
{
	static const char *const q[] = {
		"PRAGMA integrity_check",
		"SELECT count(*) FROM articles",
		"SELECT count(*) FROM entity_mentions",
		"SELECT count(*) FROM dedup_docs",
		"SELECT count(*) FROM events",
		"SELECT group_concat(id, ',') FROM (SELECT id FROM articles"
		" ORDER BY rowid)",
	};
	for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
		char x[8192], y[8192];
		char pa[256];
		snprintf(pa, sizeof pa, "%s", tpath(a));
		raw_text(pa, q[i], x, sizeof x);
		raw_text(tpath(b), q[i], y, sizeof y);
		CHECK(x[0] != 0);
		CHECK_STR(x, y);
	}
	char ic[64];
	raw_text(tpath(a), "PRAGMA integrity_check", ic, sizeof ic);
	CHECK_STR(ic, "ok");
}

/* The thread checkpoints, the writer only past the ceiling, and the
 * WAL never grows past the ceiling plus a batch's frames. */
static void test_background(void)
{
	store_ckpt_stat cs, fs;
	run r, f;
	ingest_with("bg.db", FRAMES, 1, &cs, &r);
	ingest_with("fg.db", FRAMES, 0, &fs, &f);
	CHECK_INT(r.batches, N_DOCS / BATCH);
	CHECK_INT(cs.thread, 1);
	CHECK(cs.bg_runs >= 3);
	CHECK_INT(cs.bg_fails, 0);
	/* the ceiling was passed (the WAL started over) but most
	 * checkpoints were the thread's */
	CHECK(cs.max_frames >= FRAMES * STORE_CKPT_CEILING);
	CHECK(cs.fg_runs >= 1);
	/* each time, the thread was asked, and ran, before the writer
	 * waited for it and checkpointed the rest itself */
	CHECK(cs.fg_runs <= cs.bg_runs);
	/* the foreground run: the writer at every threshold, no thread */
	CHECK_INT(fs.thread, 0);
	CHECK_INT(fs.bg_runs, 0);
	CHECK(fs.fg_runs > cs.fg_runs);
	CHECK(fs.max_frames < FRAMES * STORE_CKPT_CEILING);
	/* bounded: one commit's frames past the ceiling at most (a
	 * commit here adds under twice the threshold) */
	long long frame = 4096 + 24;
	CHECK(cs.max_commit > 0 && cs.max_commit < FRAMES * 2);
	CHECK(cs.max_frames < FRAMES * STORE_CKPT_CEILING + cs.max_commit);
	CHECK(r.most <= 32 + frame * cs.max_frames);
	CHECK(r.most > f.most);
	check_same("bg.db", "fg.db");
}

/* Default limits: these few articles never reach 64 MB of WAL, so
 * nothing is checkpointed while they are stored; the thread is started
 * only as the ingest finishes (store_ckpt_soon), since the WAL then
 * holds more than STORE_CKPT_SOON frames, and the writer checkpoints
 * nothing itself before close. */
static void test_default_no_thread(void)
{
	store_ckpt_stat cs;
	run r;
	ingest_with("df.db", 0, 1, &cs, &r);
	CHECK(cs.last_frames >= STORE_CKPT_SOON);
	CHECK_INT(cs.thread, 1);
	CHECK_INT(cs.fg_runs, 0);
	CHECK(cs.max_frames > 0 && cs.max_frames < STORE_CKPT_FRAMES);
	check_same("df.db", "bg.db");
	CHECK_INT(raw_int(tpath("df.db"), "SELECT count(*) FROM articles"), N_DOCS);
	chr_db *db = reopen(tpath("df.db"));
	if (db)
		CHECK_INT(chr_db_article_count(db), N_DOCS);
	chr_db_close(db);
}

/* An ingest whose WAL stays under STORE_CKPT_SOON frames starts no
 * thread at its finish: close copies the little there is. */
static void test_soon_small(void)
{
	chr_db *db = fresh("sm.db");
	if (!db)
		return;
	chr_ingest_stats s;
	CHECK_INT(ingest(db, docs, 4, BATCH, &s), CHR_OK);
	store_ckpt_stat cs;
	store_ckpt_stats(db, &cs);
	CHECK(cs.last_frames > 0 && cs.last_frames < STORE_CKPT_SOON);
	CHECK_INT(cs.thread, 0);
	CHECK_INT(cs.bg_runs + cs.fg_runs, 0);
	chr_db_close(db);
	CHECK_INT(raw_int(tpath("sm.db"), "SELECT count(*) FROM articles"), 4);
}

/* A reader holds an old snapshot: no checkpoint gets past it, so the
 * WAL cannot start over; commits still succeed (nothing waits for the
 * reader), and once it is gone the WAL starts over again. */
static void test_reader_pins_wal(void)
{
	chr_db *db = fresh("rd.db");
	if (!db)
		return;
	store_ckpt_limits(db, FRAMES, 1);
	chr_ingest_stats s;
	CHECK_INT(ingest(db, docs, 20, BATCH, &s), CHR_OK);
	sqlite3 *h;
	CHECK_INT(sqlite3_open_v2(tpath("rd.db"), &h, SQLITE_OPEN_READONLY, NULL),
		  SQLITE_OK);
	CHECK_INT(sqlite3_exec(h, "BEGIN; SELECT count(*) FROM articles;", NULL,
			       NULL, NULL), SQLITE_OK);
	CHECK_INT(ingest(db, docs + 20, 200, BATCH, &s), CHR_OK);
	store_ckpt_stat cs;
	store_ckpt_stats(db, &cs);
	CHECK(cs.max_frames > FRAMES * (STORE_CKPT_CEILING + 1));
	CHECK_INT(cs.bg_fails, 0);
	CHECK_INT(sqlite3_exec(h, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	long fg = cs.fg_runs;
	CHECK_INT(ingest(db, docs + 220, N_DOCS - 220, BATCH, &s), CHR_OK);
	store_ckpt_stats(db, &cs);
	CHECK(cs.fg_runs > fg);
	CHECK(cs.last_frames < FRAMES * STORE_CKPT_CEILING);
	CHECK_INT(chr_db_article_count(db), N_DOCS);
	chr_db_close(db);
	char ic[64];
	raw_text(tpath("rd.db"), "PRAGMA integrity_check", ic, sizeof ic);
	CHECK_STR(ic, "ok");
	check_same("rd.db", "bg.db");
}

static const th_test tests[] = {
	TEST(test_background),
	TEST(test_default_no_thread),
	TEST(test_soon_small),
	TEST(test_reader_pins_wal),
};

int main(void)
{
	(void)fresh_with; /* a fixture this file does not need */
	make_tmpdir();
	make_docs();
	int rc = th_run("ckpt", tests, sizeof tests / sizeof tests[0]);
	free_docs();
	remove_tmpdir();
	return rc;
}
