/*
 * facts/store: writing the facts of one article into the store.
 *
 * Design note: runs in ingest's batch transaction right after the
 * entities, so each participant is written as the entity id its mention
 * got there (looked up by (doc, start) in entity_mentions, or in the
 * rows the entity store just wrote, store_ents_row_eid): merging
 * across articles then compares ids, not names.  Nothing about dates is
 * written except the windows (see facts.h), so re-dating an article needs
 * no rewrite here.
 */
#include "store/store.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "facts/facts.h"

static int64_t eid_of(chr_db *db, const chr_article *a, int32_t m)
{
	if (m < 0)
		return 0;
	const art_mention *mm = &a->mentions.v[m];
	int64_t eid;
	if (store_ents_row_eid(db, a->rowid, mm->start, &eid))
		return eid;
	sqlite3_stmt *s = store_stmt(db, ST_FA_EID);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, a->rowid);
	sqlite3_bind_int64(s, 2, mm->start);
	eid = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return eid;
}

static void bind_opt(sqlite3_stmt *s, int i, const char *v)
{
	if (v && *v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

static chr_status put_fact(chr_db *db, const chr_article *a, size_t i)
{
	const facts_fact *f = &a->facts.v[i];
	int64_t who = eid_of(db, a, f->who);
	if (who < 0)
		return CHR_EDB;
	char ids[FACT_MAXP * 21 + 1];
	size_t n = 0;
	ids[0] = '\0';
	for (uint32_t k = 0; k < f->nwith; k++) {
		int64_t e = eid_of(db, a, f->with[k]);
		if (e < 0)
			return CHR_EDB;
		if (e == 0)
			continue;
		int w = snprintf(ids + n, sizeof ids - n, "%s%lld", n ? " " : "",
				 (long long)e);
		if (w < 0 || (size_t)w >= sizeof ids - n)
			break;
		n += (size_t)w;
	}
	if ((f->who >= 0 && !who) || (f->nwith && !n && !f->group))
		return CHR_OK; /* a participant the store did not keep */
	sqlite3_stmt *s = store_stmt(db, ST_FA_PUT);
	if (!s)
		return CHR_EDB;
	const art_sentence *se = &a->sents.v[f->sent];
	sqlite3_bind_int64(s, 1, a->rowid);
	sqlite3_bind_int64(s, 2, (int64_t)i);
	sqlite3_bind_int(s, 3, f->type);
	sqlite3_bind_int(s, 4, f->status);
	if (who)
		sqlite3_bind_int64(s, 5, who);
	else
		sqlite3_bind_null(s, 5);
	sqlite3_bind_int(s, 6, f->who_from);
	sqlite3_bind_text(s, 7, ids, (int)n, SQLITE_TRANSIENT);
	bind_opt(s, 8, f->group);
	bind_opt(s, 9, f->with_titles);
	bind_opt(s, 10, f->where);
	sqlite3_bind_int(s, 11, f->where_from);
	sqlite3_bind_int64(s, 12, se->start);
	sqlite3_bind_int64(s, 13, se->end);
	sqlite3_bind_int64(s, 14, f->trig_start);
	sqlite3_bind_int64(s, 15, f->trig_end);
	sqlite3_bind_int64(s, 16, f->win_lo);
	sqlite3_bind_int64(s, 17, f->win_hi);
	sqlite3_bind_int64(s, 18, f->xwin_lo);
	sqlite3_bind_int64(s, 19, f->xwin_hi);
	bind_opt(s, 20, f->duration);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? CHR_OK : store_fail(db, "fact");
}

chr_status store_put_facts(chr_db *db, const chr_article *a)
{
	chr_status st = CHR_OK;
	for (size_t i = 0; i < a->facts.n && !st; i++)
		st = put_fact(db, a, i);
	for (size_t i = 0; i < a->fact_counts.n && !st; i++) {
		const facts_count *c = &a->fact_counts.v[i];
		const art_sentence *se = &a->sents.v[c->sent];
		sqlite3_stmt *s = store_stmt(db, ST_FA_COUNT_PUT);
		if (!s)
			return CHR_EDB;
		sqlite3_bind_int64(s, 1, a->rowid);
		sqlite3_bind_int64(s, 2, c->start);
		sqlite3_bind_int64(s, 3, c->end);
		sqlite3_bind_text(s, 4, c->what, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 5, c->value);
		sqlite3_bind_int64(s, 6, se->start);
		sqlite3_bind_int64(s, 7, se->end);
		int rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			st = store_fail(db, "fact count");
	}
	return st;
}
