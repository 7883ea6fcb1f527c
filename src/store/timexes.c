/*
 * timexes: time expressions per stored article.
 *
 * Design note: the events, facts and timeline stages ask "which dates does
 * this article talk about", so each expression is a row (doc, span, type,
 * normalised value); the span lets a reader quote the words the date
 * came from.  An article's rows go in one statement while they fit
 * (STORE_TX_ROWS; then that many to a statement and one for the rest),
 * in order, so a later row at the same start replaces an earlier one as
 * with a statement each.  Rows at strictly increasing starts (the tagger
 * writes them in text order; the article just stored has none yet)
 * cannot conflict and go in with INSERT OR FAIL, which needs no
 * statement journal (sql.c, JOURNAL).
 */
#include "store.h"

chr_status store_put_timexes(chr_db *db, const chr_article *a)
{
	enum store_stmt first = ST_TX_NEW;
	for (size_t i = 1; i < a->timexes.n; i++)
		if (a->timexes.v[i].start <= a->timexes.v[i - 1].start)
			first = ST_TX_PUT;
	for (size_t i = 0; i < a->timexes.n;) {
		size_t n = a->timexes.n - i < STORE_TX_ROWS ? a->timexes.n - i
							    : STORE_TX_ROWS;
		sqlite3_stmt *s = store_stmt_bound(db, first + (int)n - 1);
		if (!s)
			return CHR_EDB;
		for (int k = 0; k < (int)n; k++, i++) {
			const chr_timex *t = &a->timexes.v[i];
			int b = k * 6;
			sqlite3_bind_int64(s, b + 1, a->rowid);
			sqlite3_bind_int64(s, b + 2, (sqlite3_int64)t->start);
			sqlite3_bind_int64(s, b + 3, (sqlite3_int64)t->end);
			sqlite3_bind_text(s, b + 4, chr_timex_type_name(t->type), -1,
					  SQLITE_STATIC);
			sqlite3_bind_text(s, b + 5, t->value, -1, SQLITE_STATIC);
			if (t->mod[0])
				sqlite3_bind_text(s, b + 6, t->mod, -1, SQLITE_STATIC);
			else
				sqlite3_bind_null(s, b + 6);
		}
		int rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			return store_fail(db, "store time expression");
	}
	return CHR_OK;
}
