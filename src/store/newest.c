/*
 * newest: articles newest first, for the server's article list.
 *
 * Design note: kept in its own file so the shared statement cache in
 * store.c is untouched; the statement is prepared per call (a page is
 * one call).  ORDER BY published DESC, rowid DESC walks the
 * articles_published index backwards (rowid is part of every index
 * entry), so no sort is needed, and NULL dates come last because SQLite
 * orders NULL below every value.  Each id is then fetched with
 * chr_db_article so the objects are the same as everywhere else.
 */
#include "store.h"

chr_status chr_db_articles_newest(chr_db *db, size_t limit, size_t offset,
				  chr_article_fn fn, void *ctx)
{
	if (!db || !fn)
		return CHR_EINVAL;
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db->h,
			       "SELECT id FROM articles"
			       " ORDER BY published DESC, rowid DESC"
			       " LIMIT ?1 OFFSET ?2",
			       -1, &s, NULL) != SQLITE_OK)
		return store_fail(db, "list articles");
	sqlite3_bind_int64(s, 1, limit ? (sqlite3_int64)limit : -1);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)offset);
	chr_status st = CHR_OK;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(s, 0);
		chr_article *a = NULL;
		st = chr_db_article(db, id ? id : "", &a);
		if (st == CHR_ENOTFOUND) { /* gone between the two reads */
			st = CHR_OK;
			continue;
		}
		if (st)
			break;
		int stop = fn(ctx, a);
		chr_article_free(a);
		if (stop) {
			st = CHR_EINTERRUPTED;
			break;
		}
	}
	if (!st && rc != SQLITE_DONE)
		st = store_fail(db, "list articles");
	sqlite3_finalize(s);
	return st;
}
