/*
 * fold: random-key rows written to small side tables, moved into their
 * main tables in key order now and then (see fold.h).
 *
 * Design note: two tables take rows whose key is random with respect to
 * arrival: a paragraph's hash and its doc (dedup_paras, read by hash),
 * and an entity and a doc that mentions it (entity_docs, read by
 * entity).  Written straight into a big b-tree, each row lands on its
 * own leaf page, so a commit of 4,096 articles rewrote some 21,000 pages
 * of those two indexes (84 MB into the WAL, and again at the
 * checkpoint) once the store held a million articles, and read most of
 * them first: the commit's cost grew with the store.  So new rows go to
 * a side table of the same shape (dedup_paras_new, entity_docs_new),
 * small enough to stay in the page cache, and when one holds
 * STORE_FOLD_ROWS rows the commit that finds it so copies it into the
 * main table in key order and empties it: each leaf page of the main
 * table is written once a fold, not once a commit.  The readers ask
 * both tables (a compound SELECT over the two, in store.c), which
 * answers exactly what one table did: a doc's rows are written once,
 * when it is stored, and a fold moves them whole, so a row is in one
 * table or the other.  Folding in the commit's own transaction keeps
 * the two tables consistent through a crash.  The count that decides a
 * fold walks only the side tables (~5,000 pages at most, cached).
 */
#include "store/fold.h"

static chr_status step_done(chr_db *db, enum store_stmt k, const char *what)
{
	sqlite3_stmt *s = store_stmt(db, k);
	if (!s)
		return CHR_EDB;
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? CHR_OK : store_fail(db, what);
}

chr_status store_fold_due(chr_db *db)
{
	if (!db->in_tx)
		return CHR_OK;
	long limit = db->fold_rows > 0 ? db->fold_rows : STORE_FOLD_ROWS;
	sqlite3_stmt *s = store_stmt(db, ST_FOLD_COUNT);
	if (!s)
		return CHR_EDB;
	int rc = sqlite3_step(s);
	int64_t paras = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	int64_t edocs = rc == SQLITE_ROW ? sqlite3_column_int64(s, 1) : 0;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return store_fail(db, "side table rows");
	chr_status st = CHR_OK;
	if (paras >= limit) {
		st = step_done(db, ST_FOLD_PARAS, "fold paragraph rows");
		if (!st)
			st = step_done(db, ST_FOLD_PARAS_CLEAR, "fold paragraph rows");
	}
	if (!st && edocs >= limit) {
		st = step_done(db, ST_FOLD_EDOCS, "fold entity rows");
		if (!st)
			st = step_done(db, ST_FOLD_EDOCS_CLEAR, "fold entity rows");
	}
	return st;
}

void store_fold_set(chr_db *db, long rows)
{
	db->fold_rows = rows > 0 ? rows : 0;
}
