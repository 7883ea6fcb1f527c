/*
 * test_store_cache: the page cache a handle gets (src/store/store.c,
 * STORE_WRITE_CACHE): 8 MB while it only reads, 512 MB from its first
 * write transaction on, and kept through later ones.
 *
 * Design note: the size is read back with PRAGMA cache_size on the
 * handle's own connection (a negative value is KiB), since the effect
 * (no page buffer allocated per page read by a big query) is a matter
 * of time, which tests do not measure (bench/RESULTS.md does).
 */
#include "store_fixture.h"

#include "store/store.h"

static long long cache_kib(chr_db *db)
{
	sqlite3_stmt *s = NULL;
	long long v = 0;
	if (sqlite3_prepare_v2(db->h, "PRAGMA cache_size", -1, &s, NULL) ==
	    SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

static void test_cache_sizes(void)
{
	chr_db *db = fresh("cache.db");
	if (!db)
		return;
	CHECK_INT(cache_kib(db), -8192);
	CHECK_INT(chr_db_article_count(db), 0); /* a read changes nothing */
	CHECK_INT(cache_kib(db), -8192);
	chr_doc d = doc("c1", "Harbour talks", "OSLO (Reuters) - Harbour talks"
			" opened on Monday between the port authority and the"
			" city council, officials said.");
	chr_ingest_stats s;
	CHECK_INT(ingest(db, &d, 1, 0, &s), CHR_OK);
	CHECK_INT(s.stored, 1);
	CHECK_INT(cache_kib(db), -524288);
	CHECK_INT(ingest(db, &d, 1, 0, &s), CHR_OK); /* a duplicate now */
	CHECK_INT(cache_kib(db), -524288);
	chr_db_close(db);
	/* a new handle on the same file reads with the small cache again */
	CHECK_INT(chr_db_open(tpath("cache.db"), &db), CHR_OK);
	if (!db)
		return;
	CHECK_INT(cache_kib(db), -8192);
	CHECK_INT(chr_db_article_count(db), 1);
	chr_db_close(db);
}

static const th_test tests[] = {
	TEST(test_cache_sizes),
};

int main(void)
{
	(void)fresh_with; /* fixtures this file does not need */
	(void)reopen;
	make_tmpdir();
	int rc = th_run("store_cache", tests, sizeof tests / sizeof tests[0]);
	remove_tmpdir();
	return rc;
}
