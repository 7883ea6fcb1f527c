/*
 * test_dedup_store: dedup through the SQLite store: the ingest -> dups
 * API path (groups, originals, paragraph reuse) including the shared
 * seeds, the store's window of recent keys across connections, long
 * shingle sets read back, and paragraph lookups and rows batched to a
 * statement.
 *
 * Design note: a binary of its own, apart from the in-memory tests of
 * test_dedup.c, since every test here opens a temporary database: some
 * ingest the invented stories of tests/data/dedup through the public
 * API, the rest drive the store's dedup hook (dedup_db_add) directly and
 * hold it to what the memory index gives.  Each test makes its own file
 * under /tmp and removes it.
 */
#include <stdint.h>
#include <unistd.h>

#include "harness.h"
#include "chronicle.h"
#include "dedup/dedup.h"
#include "store/store.h"
#include "dedup_fixture.h"

/* ---- the store path ---- */

typedef struct grp_list {
	int n, big;
	char orig[64];
} grp_list;

static int on_group(void *ctx, const chr_dup_group *g)
{
	grp_list *l = ctx;
	l->n++;
	if (g->n > 1) {
		l->big++;
		snprintf(l->orig, sizeof l->orig, "%s", g->original);
	}
	return 0;
}

static int on_reuse(void *ctx, const chr_reuse *r)
{
	int *n = ctx;
	*n += (int)r->n;
	CHECK(strstr(r->text, "third-largest port") != NULL);
	return 0;
}

static chr_db *ingest(const char *dbpath, const char *const *paths, int n)
{
	unlink(dbpath);
	chr_db *db;
	if (chr_db_open(dbpath, &db))
		return NULL;
	chr_ingest *g;
	CHECK(chr_ingest_new(db, NULL, &g) == CHR_OK);
	for (int i = 0; i < n; i++)
		CHECK(chr_ingest_path(g, paths[i]) == CHR_OK);
	CHECK(chr_ingest_finish(g, NULL) == CHR_OK);
	chr_ingest_free(g);
	return db;
}

static void test_store_groups_and_reuse(void)
{
	const char *names[] = { "harbour_trim.txt", "bridge.txt", "harbour_full.txt",
				"festival.txt", "harbour_copy.txt" };
	char paths[5][512];
	const char *pp[5];
	for (int i = 0; i < 5; i++) {
		snprintf(paths[i], sizeof paths[i], "%s/dedup/%s", th_data_dir(), names[i]);
		pp[i] = paths[i];
		if (access(paths[i], R_OK))
			SKIP("tests/data/dedup missing");
	}
	char dbpath[] = "/tmp/chr_test_dedup_XXXXXX";
	int fd = mkstemp(dbpath);
	if (fd >= 0)
		close(fd);
	chr_db *db = ingest(dbpath, pp, 5);
	CHECK(db != NULL);
	if (!db)
		return;
	grp_list l = { 0, 0, "" };
	CHECK(chr_db_dup_groups(db, 2, on_group, &l) == CHR_OK);
	CHECK_INT(l.big, 1);
	l = (grp_list){ 0, 0, "" };
	CHECK(chr_db_dup_groups(db, 0, on_group, &l) == CHR_OK);
	CHECK_INT(l.n, 3); /* harbour (3 copies), bridge, festival */
	l = (grp_list){ 0, 0, "" };
	CHECK(chr_db_article_group(db, "harbour_copy", on_group, &l) == CHR_OK);
	CHECK_INT(l.big, 1);
	int others = 0;
	CHECK(chr_db_article_reuse(db, "bridge", on_reuse, &others) == CHR_OK);
	CHECK_INT(others, 3); /* harbour_full, harbour_copy, festival */
	chr_article *a;
	if (chr_db_article(db, "festival", &a) == CHR_OK) {
		char *js = chr_db_article_json(db, a, NULL);
		CHECK(js && strstr(js, "\"group\":{\"id\":") && strstr(js, "\"reused\":[{"));
		chr_free(js);
		chr_article_free(a);
	}
	CHECK(chr_db_article_group(db, "nope", on_group, &l) == CHR_ENOTFOUND);
	/* every doc has its set; the signature, which nothing reads back,
	 * is not stored (an empty blob keeps the column NOT NULL) */
	sqlite3_stmt *q = NULL;
	CHECK_INT(sqlite3_prepare_v2(db->h, "SELECT count(*), sum(length(sig) = 0"
				     " AND typeof(sig) = 'blob'), sum(length(shingles) > 0)"
				     " FROM dedup_docs", -1, &q, NULL), SQLITE_OK);
	CHECK_INT(sqlite3_step(q), SQLITE_ROW);
	CHECK_INT(sqlite3_column_int(q, 0), 5);
	CHECK_INT(sqlite3_column_int(q, 1), 5);
	CHECK_INT(sqlite3_column_int(q, 2), 5);
	sqlite3_finalize(q);
	chr_db_close(db);
	/* the same input in the same order gives the same groups */
	db = ingest(dbpath, pp, 5);
	grp_list l2 = { 0, 0, "" };
	CHECK(db && chr_db_article_group(db, "harbour_copy", on_group, &l2) == CHR_OK);
	chr_db_close(db);
	th_rm_db(dbpath);
}

static void test_seeds_no_false_groups(void)
{
	const char *sh = th_shared_dir();
	if (!sh)
		SKIP("../shared absent");
	char seeds[512];
	snprintf(seeds, sizeof seeds, "%s/corpus/seeds", sh);
	if (access(seeds, R_OK))
		SKIP("seeds absent");
	char dbpath[] = "/tmp/chr_test_seeds_XXXXXX";
	int fd = mkstemp(dbpath);
	if (fd >= 0)
		close(fd);
	const char *pp[1] = { seeds };
	chr_db *db = ingest(dbpath, pp, 1);
	CHECK(db != NULL);
	if (db) {
		grp_list l = { 0, 0, "" };
		CHECK(chr_db_dup_groups(db, 0, on_group, &l) == CHR_OK);
		CHECK_INT(l.n, 5);
		CHECK_INT(l.big, 0);
		chr_db_close(db);
	}
	th_rm_db(dbpath);
}


/* ---- the store's window of recent keys (recent.c) ---- */

/* A fresh temporary path from the template (the file is not left). */
static void tmp_db(char *tmpl)
{
	int fd = mkstemp(tmpl);
	if (fd >= 0)
		close(fd);
	unlink(tmpl);
}

static int64_t db_add(chr_db *db, int64_t id, const char *text)
{
	dedup_feat f;
	feat(&f, text);
	dedup_doc d;
	memset(&d, 0, sizeof d);
	d.id = id;
	d.tier = DEDUP_TIER_PLAIN;
	d.nwords = f.nwords;
	int64_t gid = -1;
	CHECK(dedup_db_add(db, &d, &f, &gid, NULL) == CHR_OK);
	dedup_feat_free(&f);
	return gid;
}

/* Candidates' sets are read into a stack buffer of 1024 values, or a
 * heap one when longer: copies of a 3,000-word and of a 100-word story
 * both find their original through the store, in either order. */
static void test_store_long_sets(void)
{
	char dbpath[] = "/tmp/chr_test_longset_XXXXXX";
	tmp_db(dbpath);
	chr_db *db = NULL;
	CHECK(chr_db_open(dbpath, &db) == CHR_OK);
	if (!db)
		return;
	char *lng = words(777, 3000), *sht = words(778, 100);
	size_t ll = strlen(lng), sl = strlen(sht);
	char *lcopy = malloc(ll + 16), *scopy = malloc(sl + 16);
	snprintf(lcopy, ll + 16, "%s extra", lng);
	snprintf(scopy, sl + 16, "%s extra", sht);
	dedup_feat f;
	feat(&f, lng);
	CHECK(f.nset > 2048);
	dedup_feat_free(&f);
	CHECK(store_begin(db) == CHR_OK);
	CHECK_INT(db_add(db, 1, sht), 1);
	CHECK_INT(db_add(db, 2, lng), 2);
	CHECK_INT(db_add(db, 3, lcopy), 2); /* a long set read back */
	CHECK_INT(db_add(db, 4, scopy), 1); /* then a short one */
	CHECK_INT(db_add(db, 5, lcopy), 2);
	CHECK(store_commit(db) == CHR_OK);
	free(lng);
	free(sht);
	free(lcopy);
	free(scopy);
	chr_db_close(db);
	th_rm_db(dbpath);
}

/* The store reads a doc's paragraphs' postings STORE_PARA_ROWS
 * paragraphs to a statement and writes its paragraph rows as many to a
 * statement: docs of 1 to 20 paragraphs, from a pool shared by more
 * docs than DEDUP_PARA_POSTINGS (so their postings are cut to the
 * newest), some twice in a doc, give the memory index's groups and
 * counts doc by doc, and each doc has one row per distinct paragraph. */
static void para_batches(size_t filter_after)
{
	dedup_pfilt_after = filter_after;
	char dbpath[] = "/tmp/chr_test_parab_XXXXXX";
	tmp_db(dbpath);
	chr_db *db = NULL;
	CHECK(chr_db_open(dbpath, &db) == CHR_OK);
	if (!db)
		return;
	char *pool[10];
	for (int j = 0; j < 10; j++)
		pool[j] = words(5000 + (uint64_t)j, 10);
	dedup_mem *m = dedup_mem_new();
	sqlite3_stmt *q = NULL;
	CHECK_INT(sqlite3_prepare_v2(db->h, "SELECT (SELECT count(*) FROM"
				     " dedup_paras WHERE doc = ?1) + (SELECT"
				     " count(*) FROM dedup_paras_new WHERE"
				     " doc = ?1)", -1, &q, NULL), SQLITE_OK);
	CHECK(store_begin(db) == CHR_OK);
	for (int i = 1; i <= 40; i++) {
		size_t cap = 32 * 200, k = 0;
		char *t = malloc(cap);
		int np = 1 + (i * 7) % 20;
		for (int p = 0; p < np; p++) {
			char *u = p % 3 == 0 ? words((uint64_t)i * 100 + (uint64_t)p, 12)
					     : NULL;
			const char *x = u ? u : pool[(i + p * (p % 5 == 4 ? 0 : 1)) % 10];
			k += (size_t)snprintf(t + k, cap - k, "%s\n\n", x);
			free(u);
		}
		dedup_feat f;
		feat(&f, t);
		CHECK_INT(f.npara, np);
		size_t distinct = 0;
		for (size_t a = 0; a < f.npara; a++) {
			size_t b = 0;
			while (b < a && f.para[b].hash != f.para[a].hash)
				b++;
			distinct += b == a;
		}
		dedup_doc d, e;
		memset(&d, 0, sizeof d);
		d.id = i;
		d.tier = DEDUP_TIER_PLAIN;
		d.nwords = f.nwords;
		e = d;
		dedup_stats sm, sd;
		int64_t gm = -1, gd = -2;
		CHECK(dedup_add(&dedup_mem_ops, m, &d, &f, &gm, &sm) == CHR_OK);
		CHECK(dedup_db_add(db, &e, &f, &gd, &sd) == CHR_OK);
		CHECK_INT(gd, gm);
		CHECK_INT(sd.keys_read, sm.keys_read);
		CHECK_INT(sd.candidates, sm.candidates);
		CHECK_INT(sd.verified, sm.verified);
		CHECK_INT(sd.matched, sm.matched);
		sqlite3_reset(q);
		sqlite3_bind_int64(q, 1, i);
		CHECK_INT(sqlite3_step(q), SQLITE_ROW);
		CHECK_INT(sqlite3_column_int64(q, 0), (int64_t)distinct);
		dedup_feat_free(&f);
		free(t);
	}
	CHECK(store_commit(db) == CHR_OK);
	sqlite3_finalize(q);
	for (int j = 0; j < 10; j++)
		free(pool[j]);
	dedup_mem_free(m);
	chr_db_close(db);
	th_rm_db(dbpath);
	dedup_pfilt_after = DEDUP_PFILT_AFTER;
}

/* The paragraph lookups give what the in-memory index gives: with no
 * filter (40 articles ask far fewer hashes than DEDUP_PFILT_AFTER),
 * with one from the first ask, and with one built from the tables
 * after 25 asks. */
static void test_store_para_batches(void)
{
	para_batches(DEDUP_PFILT_AFTER);
	para_batches(0);
	para_batches(25);
}

/* A handle's filter learns of paragraphs another connection stored:
 * after b commits a doc, a's next article sees its paragraphs as
 * maybe stored (the filter is dropped and built again), and a stored
 * copy of that doc finds it. */
static void test_store_para_filter_others(void)
{
	dedup_pfilt_after = 0;
	char dbpath[] = "/tmp/chr_test_pfilt_XXXXXX";
	tmp_db(dbpath);
	chr_db *a = NULL, *b = NULL;
	CHECK(chr_db_open(dbpath, &a) == CHR_OK);
	CHECK(chr_db_open(dbpath, &b) == CHR_OK);
	char *t1 = words(8100, 40), *t2 = words(8200, 40), *t3 = words(8300, 40);
	char *fresh = words(8400, 40);
	char text[4096];
	if (!a || !b)
		goto out;
	CHECK(store_begin(a) == CHR_OK);
	CHECK_INT(db_add(a, 1, t1), 1);
	CHECK(store_commit(a) == CHR_OK);
	snprintf(text, sizeof text, "%s\n\n%s", t2, t3);
	CHECK(store_begin(b) == CHR_OK);
	CHECK_INT(db_add(b, 2, text), 2);
	CHECK(store_commit(b) == CHR_OK);
	CHECK(store_begin(a) == CHR_OK);
	CHECK(dedup_recent_sync(a) == CHR_OK);
	dedup_feat f;
	feat(&f, text);
	uint64_t h[4];
	unsigned char may[4] = { 0 };
	CHECK_INT(f.npara, 2);
	for (size_t i = 0; i < f.npara && i < 4; i++)
		h[i] = f.para[i].hash;
	CHECK(dedup_recent_paras_may(a, h, f.npara, may) == CHR_OK);
	CHECK(may[0] && may[1]);
	dedup_feat_free(&f);
	feat(&f, fresh);
	CHECK_INT(f.npara, 1);
	h[0] = f.para[0].hash;
	CHECK(dedup_recent_paras_may(a, h, 1, may) == CHR_OK);
	CHECK_INT(may[0], 0);
	dedup_feat_free(&f);
	/* a copy of b's doc, under a's filter, joins it */
	snprintf(text, sizeof text, "%s\n\n%s\n\nA line of its own here.",
		 t2, t3);
	CHECK_INT(db_add(a, 3, text), 2);
	CHECK(store_commit(a) == CHR_OK);
out:
	free(t1);
	free(t2);
	free(t3);
	free(fresh);
	chr_db_close(a);
	chr_db_close(b);
	th_rm_db(dbpath);
	dedup_pfilt_after = DEDUP_PFILT_AFTER;
}

/* A 64-bit mix of x (splitmix64's finaliser): hashes spread over all
 * bits, as XXH3's are. */
static uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* The filter is sized from the tables' row count, so it is built in one
 * scan: 40,000 stored hashes (more than a filter sized from nothing
 * holds, which restarted the scan at 32,768 rows) are read once, and
 * every one of them answers "maybe". */
static void test_store_para_filter_sized(void)
{
	enum { ROWS = 40000, NEW = 1000 };
	dedup_pfilt_after = 0;
	char dbpath[] = "/tmp/chr_test_pfsz_XXXXXX";
	tmp_db(dbpath);
	chr_db *db = NULL;
	sqlite3_stmt *ins[2] = { NULL, NULL };
	CHECK(chr_db_open(dbpath, &db) == CHR_OK);
	if (!db)
		goto out;
	/* the main table and _new, as between two folds */
	CHECK_INT(sqlite3_prepare_v2(db->h, "INSERT INTO dedup_paras VALUES (?1, ?2)",
				     -1, &ins[0], NULL), SQLITE_OK);
	CHECK_INT(sqlite3_prepare_v2(db->h,
				     "INSERT INTO dedup_paras_new VALUES (?1, ?2)",
				     -1, &ins[1], NULL), SQLITE_OK);
	if (!ins[0] || !ins[1])
		goto out;
	CHECK(store_begin(db) == CHR_OK);
	for (uint64_t x = 0; x < ROWS; x++) {
		sqlite3_stmt *st = ins[x >= ROWS - NEW];
		sqlite3_bind_int64(st, 1, (sqlite3_int64)mix64(x));
		sqlite3_bind_int64(st, 2, (sqlite3_int64)x + 1);
		CHECK_INT(sqlite3_step(st), SQLITE_DONE);
		sqlite3_reset(st);
	}
	CHECK_INT(dedup_recent_paras_scanned(db), 0);
	uint64_t h[3] = { mix64(0), mix64(ROWS / 2), mix64(ROWS - 1) };
	unsigned char may[3] = { 0 };
	CHECK(dedup_recent_paras_may(db, h, 3, may) == CHR_OK);
	CHECK_INT(dedup_recent_paras_scanned(db), ROWS);
	CHECK(may[0] && may[1] && may[2]);
	int missed = 0, through = 0;
	for (uint64_t x = 0; x < ROWS; x++) { /* every stored hash: maybe */
		uint64_t y = mix64(x);
		unsigned char m = 0;
		CHECK(dedup_recent_paras_may(db, &y, 1, &m) == CHR_OK);
		missed += !m;
		y = mix64(x + ROWS); /* and one never stored: rarely */
		CHECK(dedup_recent_paras_may(db, &y, 1, &m) == CHR_OK);
		through += m;
	}
	CHECK_INT(missed, 0);
	CHECK(through < ROWS / 100);
	CHECK_INT(dedup_recent_paras_scanned(db), ROWS); /* built once */
	store_rollback(db);
out:
	sqlite3_finalize(ins[0]);
	sqlite3_finalize(ins[1]);
	chr_db_close(db);
	th_rm_db(dbpath);
	dedup_pfilt_after = DEDUP_PFILT_AFTER;
}

static void test_store_recent_window(void)
{
	char dbpath[] = "/tmp/chr_test_recent_XXXXXX";
	tmp_db(dbpath);
	size_t keep = dedup_recent_gen;
	dedup_recent_gen = 4; /* lookups see the newest 4 to 8 docs */
	chr_db *a = NULL, *b = NULL;
	CHECK(chr_db_open(dbpath, &a) == CHR_OK);
	CHECK(chr_db_open(dbpath, &b) == CHR_OK);
	if (!a || !b)
		goto out;
	char *t[20];
	for (int i = 0; i < 20; i++)
		t[i] = words(5000 + (uint64_t)i, 120);
	CHECK(store_begin(a) == CHR_OK);
	for (int i = 1; i <= 12; i++)
		CHECK_INT(db_add(a, i, t[i]), i);
	/* Copies with a word added, so that only the band and anchor keys
	 * (not the exact paragraph hash, kept in SQLite) can find them. */
	char copy[2048];
	snprintf(copy, sizeof copy, "%s extra", t[1]);
	CHECK_INT(db_add(a, 13, copy), 13);  /* doc 1 is out of the window */
	snprintf(copy, sizeof copy, "%s extra", t[11]);
	CHECK_INT(db_add(a, 14, copy), 11); /* doc 11 is in it */
	CHECK(store_commit(a) == CHR_OK);
	/* A second connection builds its lists from the table ... */
	CHECK(store_begin(b) == CHR_OK);
	snprintf(copy, sizeof copy, "%s extra", t[12]);
	CHECK_INT(db_add(b, 15, copy), 12);
	CHECK_INT(db_add(b, 16, t[15]), 16);
	CHECK(store_commit(b) == CHR_OK);
	/* ... and the first one sees what the second committed. */
	CHECK(store_begin(a) == CHR_OK);
	snprintf(copy, sizeof copy, "%s extra", t[15]);
	CHECK_INT(db_add(a, 17, copy), 16);
	CHECK(a->cache != NULL);
	store_rollback(a); /* the lists may hold doc 17: dropped */
	CHECK(a->cache == NULL);
	CHECK(store_begin(a) == CHR_OK);
	CHECK_INT(db_add(a, 17, t[16]), 17);
	snprintf(copy, sizeof copy, "%s extra", t[16]);
	CHECK_INT(db_add(a, 18, copy), 17);
	CHECK(store_commit(a) == CHR_OK);
	for (int i = 0; i < 20; i++)
		free(t[i]);
out:
	chr_db_close(a);
	chr_db_close(b);
	dedup_recent_gen = keep;
	th_rm_db(dbpath);
}

/* A connection's first lists, filed in bulk from the table, have the
 * generations that filing the same rows one by one gives: of 12 docs it
 * loads the newest 8 (5-8 and 9-12, two generations of 4), so a copy of
 * doc 5 is found; filing that copy (doc 13) starts a new generation and
 * drops 5-8, so a copy of doc 6 then is not. */
static void test_store_recent_load(void)
{
	char dbpath[] = "/tmp/chr_test_rload_XXXXXX";
	tmp_db(dbpath);
	size_t keep = dedup_recent_gen;
	dedup_recent_gen = 4;
	chr_db *a = NULL, *b = NULL;
	char *t[13] = {0};
	CHECK(chr_db_open(dbpath, &a) == CHR_OK);
	if (!a)
		goto out;
	for (int i = 0; i < 13; i++)
		t[i] = words(7100 + (uint64_t)i, 120);
	CHECK(store_begin(a) == CHR_OK);
	for (int i = 1; i <= 12; i++)
		CHECK_INT(db_add(a, i, t[i]), i);
	CHECK(store_commit(a) == CHR_OK);
	CHECK(chr_db_open(dbpath, &b) == CHR_OK);
	if (!b)
		goto out;
	char copy[2048];
	CHECK(store_begin(b) == CHR_OK);
	snprintf(copy, sizeof copy, "%s extra", t[12]);
	CHECK_INT(db_add(b, 13, copy), 12);
	snprintf(copy, sizeof copy, "%s extra", t[9]);
	CHECK_INT(db_add(b, 14, copy), 9);
	store_rollback(b);
	CHECK(store_begin(b) == CHR_OK); /* built again, from the table */
	snprintf(copy, sizeof copy, "%s extra", t[5]);
	CHECK_INT(db_add(b, 13, copy), 5);
	snprintf(copy, sizeof copy, "%s more", t[6]);
	CHECK_INT(db_add(b, 14, copy), 14);
	CHECK(store_commit(b) == CHR_OK);
out:
	for (int i = 0; i < 13; i++)
		free(t[i]);
	chr_db_close(a);
	chr_db_close(b);
	dedup_recent_gen = keep;
	th_rm_db(dbpath);
}

/* The per-article sync is skipped while a transaction is open and the
 * data version is the last sync's.  A connection whose new transaction
 * writes before its first dedup lookup (as the ingest does: the article
 * row first) must still see what another connection committed since. */
static void test_store_recent_sync_skip(void)
{
	char dbpath[] = "/tmp/chr_test_rsync_XXXXXX";
	tmp_db(dbpath);
	chr_db *a = NULL, *b = NULL;
	CHECK(chr_db_open(dbpath, &a) == CHR_OK);
	CHECK(chr_db_open(dbpath, &b) == CHR_OK);
	if (!a || !b)
		goto out;
	char *t[8];
	for (int i = 0; i < 8; i++)
		t[i] = words(7000 + (uint64_t)i, 120);
	char copy[2048];
	CHECK_INT(sqlite3_exec(a->h, "CREATE TABLE test_w (x)", NULL, NULL,
			       NULL), SQLITE_OK);
	CHECK(store_begin(a) == CHR_OK);
	CHECK_INT(db_add(a, 1, t[1]), 1);
	CHECK_INT(db_add(a, 2, t[2]), 2); /* same transaction: no sync */
	snprintf(copy, sizeof copy, "%s extra", t[1]);
	CHECK_INT(db_add(a, 3, copy), 1);
	CHECK(store_commit(a) == CHR_OK);
	for (int round = 0; round < 2; round++) {
		int64_t id = 10 + 10 * round;
		CHECK(store_begin(b) == CHR_OK);
		CHECK_INT(db_add(b, id, t[3 + round]), id);
		CHECK(store_commit(b) == CHR_OK);
		CHECK(store_begin(a) == CHR_OK);
		CHECK_INT(sqlite3_exec(a->h, "INSERT INTO test_w VALUES (1)",
				       NULL, NULL, NULL), SQLITE_OK);
		snprintf(copy, sizeof copy, "%s extra", t[3 + round]);
		CHECK_INT(db_add(a, id + 1, copy), id); /* b's doc seen */
		snprintf(copy, sizeof copy, "%s more", t[2]);
		CHECK_INT(db_add(a, id + 2, copy), 2);
		CHECK(store_commit(a) == CHR_OK);
	}
	for (int i = 0; i < 8; i++)
		free(t[i]);
out:
	chr_db_close(a);
	chr_db_close(b);
	th_rm_db(dbpath);
}

static const th_test tests[] = {
	TEST(test_store_groups_and_reuse),
	TEST(test_seeds_no_false_groups),
	TEST(test_store_recent_window),
	TEST(test_store_recent_load),
	TEST(test_store_recent_sync_skip),
	TEST(test_store_long_sets),
	TEST(test_store_para_batches),
	TEST(test_store_para_filter_others),
	TEST(test_store_para_filter_sized),
};

TH_MAIN("dedup_store", tests)
