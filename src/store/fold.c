/*
 * fold: random-key rows written to small side tables, moved into their
 * main tables in key order now and then (see fold.h).
 *
 * Design note: three tables take rows whose key is random with respect
 * to arrival: a paragraph's hash and its doc (dedup_paras, read by
 * hash), an entity and a doc that mentions it (entity_docs, read by
 * entity; migration 17), and an alias and its entity
 * (entity_alias_keys, read by alias in any case; migration 18).
 * Written straight into a big b-tree, each row lands on a leaf page of
 * its own, so once the store held a million articles a commit of 4,096
 * articles rewrote ~25,000 pages of those indexes (100 MB into the
 * WAL, and again at the checkpoint), most of them read first: the
 * commit's cost grew with the store.  So new rows go to a side table of
 * the same shape (dedup_paras_new, entity_docs_new,
 * entity_alias_keys_new), small enough to stay in the page cache, and
 * the commit that finds one holding STORE_FOLD_ROWS rows copies it into
 * the main table in key order and empties it: a leaf page of the main
 * table is written once a fold, not once a commit.  A fold still writes
 * most of its main table (its rows land all over it), so with a fixed
 * threshold the folds' cost per article grew with the store (at a
 * million articles ~2 s a fold of entity rows, one every ~60,000
 * articles).  The threshold is therefore at least the store's article
 * count: folds get rarer as the main tables grow, and their cost per
 * article stays flat (a side table of ~1 M rows is ~25 MB of pages).
 *
 * The readers ask both tables (a compound SELECT, in sql.c), which
 * answers what one table did: a doc's paragraph and entity rows are
 * written once, when it is stored, and a fold moves rows whole, so a
 * row is in one table or the other; an alias row may be in both (the
 * same alias in another case, folded already), and the alias readers
 * take distinct entities.  Folding in the commit's own transaction keeps
 * the tables consistent through a crash.  The count that decides a fold
 * walks only the side tables (a few thousand cached pages at most).
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

/* The side tables, in ST_FOLD_COUNT's column order: each one's fold
 * (into its main table) and its emptying. */
static const struct {
	enum store_stmt fold, clear;
	const char *what;
} sides[] = {
	{ ST_FOLD_PARAS, ST_FOLD_PARAS_CLEAR, "fold paragraph rows" },
	{ ST_FOLD_EDOCS, ST_FOLD_EDOCS_CLEAR, "fold entity rows" },
	{ ST_FOLD_AKEYS, ST_FOLD_AKEYS_CLEAR, "fold alias rows" },
};
#define N_SIDES (sizeof sides / sizeof sides[0])

chr_status store_fold_due(chr_db *db)
{
	if (!db->in_tx)
		return CHR_OK;
	int64_t limit = db->fold_rows > 0 ? db->fold_rows : STORE_FOLD_ROWS;
	sqlite3_stmt *s = store_stmt(db, ST_FOLD_COUNT);
	if (!s)
		return CHR_EDB;
	int64_t rows[N_SIDES];
	int rc = sqlite3_step(s);
	for (size_t i = 0; i < N_SIDES; i++)
		rows[i] = rc == SQLITE_ROW ? sqlite3_column_int64(s, (int)i) : 0;
	int64_t articles = rc == SQLITE_ROW
				   ? sqlite3_column_int64(s, (int)N_SIDES)
				   : 0;
	sqlite3_reset(s);
	if (articles > limit)
		limit = articles;
	if (rc != SQLITE_ROW)
		return store_fail(db, "side table rows");
	chr_status st = CHR_OK;
	for (size_t i = 0; i < N_SIDES && !st; i++)
		if (rows[i] >= limit) {
			st = step_done(db, sides[i].fold, sides[i].what);
			if (!st)
				st = step_done(db, sides[i].clear, sides[i].what);
		}
	return st;
}

void store_fold_set(chr_db *db, long rows)
{
	db->fold_rows = rows > 0 ? rows : 0;
}
