/*
 * test_store_journal: the ingest's row writes open no statement journal
 * (store.c, JOURNAL) and store the rows the REPLACE and upsert forms
 * did.
 *
 * Design note: a statement journal is invisible from SQL, so a VFS over
 * the default one counts the writes to sub-journal files.  The store
 * keeps its statement journals in memory (temp_store=MEMORY) and SQLite
 * spills them to a file only past 64 kB; here the connection's
 * temp_store goes back to FILE and SQLITE_CONFIG_STMTJRNL_SPILL to 0, so
 * every page a statement journals is a write the VFS sees.  The test
 * writes through the store's own functions, one stage at a time, and
 * checks each stage's count; a control (a write still in a journalled
 * form) shows the count does move when a journal is written.
 *
 * The same statements are taken with store_stmt_bound, which keeps the
 * last use's bindings (store_stmt clears them; store.h): the last tests
 * show the two differ, and that an optional value (an article's line, a
 * time expression's mod) left out of one row is stored as NULL, not as
 * the previous row's value.
 */
#include "harness.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>

#include "chronicle.h"
#include "store_fixture.h"
#include "dedup/dedup.h"
#include "store/store.h"
#include "vfs_fwd.h"

/* ---- a VFS that counts sub-journal writes ---- */

static sqlite3_vfs *real_vfs;
static sqlite3_vfs count_vfs;
static long long subj_writes;

static int c_write(sqlite3_file *f, const void *p, int n, sqlite3_int64 o)
{
	subj_writes++;
	return fwd_write(f, p, n, o);
}

static const sqlite3_io_methods count_io = {
	1, fwd_close, fwd_read, c_write, fwd_truncate, fwd_sync,
	fwd_file_size, fwd_lock, fwd_unlock, fwd_check_lock, fwd_file_control,
	fwd_sector_size, fwd_device, NULL, NULL, NULL, NULL, NULL, NULL,
};

/* Sub-journals get the counting methods; every other file is the real
 * VFS's own (opened in place, its methods untouched). */
static int c_open(sqlite3_vfs *v, const char *name, sqlite3_file *f,
		  int flags, int *out)
{
	(void)v;
	if (!(flags & SQLITE_OPEN_SUBJOURNAL))
		return real_vfs->xOpen(real_vfs, name, f, flags, out);
	fwd_file *c = (fwd_file *)f;
	c->real = (sqlite3_file *)(c + 1);
	int rc = real_vfs->xOpen(real_vfs, name, c->real, flags, out);
	c->base.pMethods = rc == SQLITE_OK ? &count_io : NULL;
	return rc;
}

static int install_vfs(void)
{
	if (real_vfs)
		return SQLITE_OK;
	sqlite3_shutdown();
	if (sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, 0) != SQLITE_OK ||
	    sqlite3_initialize() != SQLITE_OK || !(real_vfs = sqlite3_vfs_find(NULL)))
		return -1;
	count_vfs = *real_vfs;
	count_vfs.szOsFile = (int)sizeof(fwd_file) + real_vfs->szOsFile;
	count_vfs.zName = "chr_count_subj";
	count_vfs.xOpen = c_open;
	count_vfs.pNext = NULL;
	return sqlite3_vfs_register(&count_vfs, 1);
}

/* ---- the store's writes ---- */

static const char *const texts[] = {
	"LONDON (Reuters) - Talks opened on Monday, May 6, 2024, between"
	" Britain and France over the fishing rights in the Channel.\n\n"
	"On Tuesday the ministers met again in London and agreed on a"
	" timetable for the next round of the talks.\n\n"
	"A further meeting is planned for June 3 in Paris, officials from"
	" both sides of the Channel said on Wednesday.\n\n"
	"British Prime Minister Rishi Sunak spoke with French President"
	" Emmanuel Macron and Ursula von der Leyen in Brussels.",
	"PARIS (Reuters) - French President Emmanuel Macron met German"
	" Chancellor Olaf Scholz in Berlin on Friday, May 10, 2024.\n\n"
	"Macron and Scholz discussed the budget of the European Union and"
	" the talks with Britain, officials in Paris said.\n\n"
	"Ursula von der Leyen will visit Madrid and Rome in June, her"
	" spokesman in Brussels said on Saturday.",
	"BERLIN (Reuters) - Olaf Scholz flew to Warsaw on Monday, May 13,"
	" 2024, to meet Polish Prime Minister Donald Tusk.\n\n"
	"Tusk and Scholz spoke about the border and about trade between"
	" Poland and Germany, a spokesman in Berlin said on Tuesday.",
};
enum { NDOC = sizeof texts / sizeof texts[0] };

/* The stages whose journal writes store_round counts. */
enum { J_TIMEX, J_ENTITY, J_DEDUP, J_FLUSH, J_N };

/* Store round r's articles (ids jr-0, jr-1, ...) in one transaction,
 * stage by stage, adding each stage's journal writes to jw[stage]
 * (J_FLUSH: the entity counts' flush). */
static void store_round(chr_db *db, int r, long long jw[J_N])
{
	memset(jw, 0, J_N * sizeof *jw);
	CHECK_INT(store_begin(db), CHR_OK);
	for (int i = 0; i < NDOC; i++) {
		char id[16];
		snprintf(id, sizeof id, "j%d-%d", r, i);
		chr_doc d = doc(id, r ? "More talks" : "Talks", texts[i]);
		d.date = "2024-05-14";
		chr_article *a = NULL;
		CHECK_INT(chr_article_process(&d, &a), CHR_OK);
		if (!a)
			continue;
		CHECK(a->timexes.n >= 2);
		CHECK(a->mentions.n >= 4);
		CHECK(a->ddfeat && a->ddfeat->npara >= 2);
		CHECK_INT(store_put_article(db, a, NULL), CHR_OK);
		long long w = subj_writes;
		CHECK_INT(store_put_timexes(db, a), CHR_OK);
		jw[J_TIMEX] += subj_writes - w;
		w = subj_writes;
		CHECK_INT(store_put_entities(db, a), CHR_OK);
		jw[J_ENTITY] += subj_writes - w;
		w = subj_writes;
		CHECK_INT(dedup_article(db, a), CHR_OK);
		jw[J_DEDUP] += subj_writes - w;
		chr_article_free(a);
	}
	long long w = subj_writes;
	CHECK_INT(store_ents_flush(db), CHR_OK);
	jw[J_FLUSH] = subj_writes - w;
	CHECK_INT(store_commit(db), CHR_OK);
}

/* Two rounds of the same names in new articles: the article stages
 * journal nothing; the first round's flush (every entity new) neither;
 * the second's writes aliases of entities that have rows, an upsert
 * that journals (the control).  The rows are those an ingest stores. */
static void test_no_statement_journal(void)
{
	if (install_vfs() != SQLITE_OK) {
		CHECK(!"counting VFS");
		return;
	}
	chr_db *db = fresh("journal.db");
	if (!db)
		return;
	CHECK_INT(sqlite3_exec(db->h, "PRAGMA temp_store=FILE", NULL, NULL, NULL),
		  SQLITE_OK);
	long long jw[J_N];
	store_round(db, 0, jw);
	CHECK_INT(jw[J_TIMEX], 0);
	CHECK_INT(jw[J_ENTITY], 0);
	CHECK_INT(jw[J_DEDUP], 0);
	CHECK_INT(jw[J_FLUSH], 0);
	chr_db_close(db);
	char p[256], q[256]; /* (tpath's buffer is reused) */
	snprintf(p, sizeof p, "%s", tpath("journal.db"));
	snprintf(q, sizeof q, "%s", tpath("journal_ingest.db"));
	if (!(db = reopen(p)))
		return;
	CHECK_INT(sqlite3_exec(db->h, "PRAGMA temp_store=FILE", NULL, NULL, NULL),
		  SQLITE_OK);
	store_round(db, 1, jw);
	CHECK_INT(jw[J_TIMEX], 0);
	CHECK_INT(jw[J_ENTITY], 0);
	CHECK_INT(jw[J_DEDUP], 0);
	CHECK(jw[J_FLUSH] > 0); /* the control: an upsert journals pages */
	chr_db_close(db);
	CHECK_INT(raw_int(p, "SELECT count(*) FROM dedup_docs"), 2 * NDOC);
	CHECK_INT(raw_int(p, "SELECT count(*) FROM dedup_docs d JOIN articles a"
			  " ON a.rowid = d.doc"), 2 * NDOC);
	/* the rows an ingest of the same articles stores */
	if (!(db = fresh("journal_ingest.db")))
		return;
	chr_doc d[2 * NDOC];
	char id[2 * NDOC][32];
	for (int r = 0; r < 2; r++)
		for (int i = 0; i < NDOC; i++) {
			snprintf(id[r * NDOC + i], sizeof id[0], "j%d-%d", r, i);
			d[r * NDOC + i] = doc(id[r * NDOC + i],
					      r ? "More talks" : "Talks", texts[i]);
			d[r * NDOC + i].date = "2024-05-14";
		}
	chr_ingest_stats s;
	CHECK_INT(ingest(db, d, NDOC, 0, &s), CHR_OK);
	CHECK_INT(ingest(db, d + NDOC, NDOC, 0, &s), CHR_OK);
	chr_db_close(db);
	static const char *const same[] = {
		"SELECT group_concat(x, ';') FROM (SELECT a.id || ',' || d.grp"
		" || ',' || d.tier || ',' || d.nwords || ',' || length(d.shingles)"
		" AS x FROM dedup_docs d JOIN articles a ON a.rowid = d.doc"
		" ORDER BY a.id)",
		"SELECT group_concat(x, ';') FROM (SELECT a.id || ',' || t.start"
		" || ',' || t.end || ',' || t.value AS x FROM timexes t JOIN"
		" articles a ON a.rowid = t.doc ORDER BY a.id, t.start)",
		"SELECT group_concat(x, ';') FROM (SELECT a.id || ',' || m.start"
		" || ',' || m.end || ',' || e.key || ',' || m.flags AS x FROM"
		" entity_mentions m JOIN articles a ON a.rowid = m.doc JOIN"
		" entities e ON e.eid = m.eid ORDER BY a.id, m.start)",
		"SELECT group_concat(x, ';') FROM (SELECT e.key || ',' || e.mentions"
		" || ',' || l.alias || ',' || l.n AS x FROM entity_aliases l JOIN"
		" entities e ON e.eid = l.eid ORDER BY e.key, l.alias)",
	};
	for (size_t i = 0; i < sizeof same / sizeof *same; i++) {
		static char got[16384], want[16384];
		raw_text(q, same[i], want, sizeof want);
		raw_text(p, same[i], got, sizeof got);
		if (strlen(want) < 50)
			fprintf(stderr, "  query %zu: %s\n", i, want);
		CHECK(strlen(want) >= 50);
		CHECK_STR(got, want);
	}
}

/* Store a alone in db (temp_store FILE; one transaction) and close
 * db; the journal writes of stage J_TIMEX or J_ENTITY. */
static long long put_alone(chr_db *db, chr_article *a, int stage)
{
	CHECK_INT(sqlite3_exec(db->h, "PRAGMA temp_store=FILE", NULL, NULL, NULL),
		  SQLITE_OK);
	CHECK_INT(store_begin(db), CHR_OK);
	CHECK_INT(store_put_article(db, a, NULL), CHR_OK);
	long long w = subj_writes;
	CHECK_INT(stage == J_TIMEX ? store_put_timexes(db, a)
				   : store_put_entities(db, a), CHR_OK);
	w = subj_writes - w;
	CHECK_INT(store_commit(db), CHR_OK);
	chr_db_close(db);
	return w;
}

/* Two keyed mentions at one start (none in 2,000 Reuters stories, but
 * the resolver may make them): the store takes the REPLACE statements,
 * which journal, and the later mention's row is the one kept. */
static void test_mentions_at_one_start(void)
{
	if (install_vfs() != SQLITE_OK) {
		CHECK(!"counting VFS");
		return;
	}
	chr_doc d = doc("ms1", "Talks", texts[1]);
	d.date = "2024-05-14";
	chr_article *a = NULL;
	CHECK_INT(chr_article_process(&d, &a), CHR_OK);
	if (!a)
		return;
	size_t n = a->mentions.n, i0 = n, j = n, keyed = 0;
	for (size_t i = 0; i < n; i++) {
		const art_mention *m = &a->mentions.v[i];
		if (!m->key || !*m->key)
			continue;
		keyed++;
		if (i0 == n && !(m->flags & MEN_HEADLINE))
			i0 = i;
		else if (i0 < n && j == n && strcmp(m->key, a->mentions.v[i0].key))
			j = i;
	}
	art_mention *v = malloc((n + 1) * sizeof *v);
	chr_db *db = fresh("onestart.db");
	CHECK(j < n && v && db);
	if (j == n || !v || !db) {
		free(v);
		chr_db_close(db);
		chr_article_free(a);
		return;
	}
	memcpy(v, a->mentions.v, n * sizeof *v);
	v[n] = v[j]; /* mention j's entity at mention i0's span */
	v[n].start = v[i0].start;
	v[n].end = v[i0].end;
	v[n].flags = v[i0].flags;
	art_mention *orig = a->mentions.v;
	a->mentions.v = v;
	a->mentions.n = n + 1;
	a->entkeys_made = 0; /* the store makes the keys again */
	a->entkeys.n = 0;
	CHECK(put_alone(db, a, J_ENTITY) > 0);
	char p[256], q[256], got[128];
	snprintf(p, sizeof p, "%s", tpath("onestart.db"));
	CHECK_INT(raw_int(p, "SELECT count(*) FROM entity_mentions"),
		  (long long)keyed); /* keyed + 1 mentions, one start twice */
	snprintf(q, sizeof q, "SELECT e.key FROM entity_mentions m JOIN"
		 " entities e ON e.eid = m.eid WHERE m.start = %u", v[i0].start);
	raw_text(p, q, got, sizeof got);
	CHECK_STR(got, v[j].key);
	a->mentions.v = orig;
	a->mentions.n = n;
	free(v);
	chr_article_free(a);
}

/* One flush with aliases of entities that have alias rows (eids 1 to
 * 3; upserts, which add to a row) and of entities past them (4, 5;
 * plain inserts): every pair once, with its sum. */
static void test_alias_flush_old_and_new(void)
{
	if (!fresh_with("aliases.db", "INSERT INTO entity_aliases (eid, alias,"
			" n) VALUES (1, 'a', 100), (3, 'b', 300)"))
		return;
	char p[256], got[256];
	snprintf(p, sizeof p, "%s", tpath("aliases.db"));
	chr_db *db = reopen(p);
	if (!db)
		return;
	CHECK_INT(store_begin(db), CHR_OK);
	for (int twice = 0; twice < 2; twice++)
		for (int eid = 5; eid >= 1; eid--) {
			CHECK_INT(store_ents_add(db, eid, "b", 1, eid * 10 + 1), CHR_OK);
			CHECK_INT(store_ents_add(db, eid, "a", 1, eid * 10), CHR_OK);
		}
	CHECK_INT(store_commit(db), CHR_OK);
	chr_db_close(db);
	raw_text(p, "SELECT group_concat(x, ',') FROM (SELECT eid || alias ||"
		 " n AS x FROM entity_aliases ORDER BY eid, alias)", got, sizeof got);
	CHECK_STR(got, "1a120,1b22,2a40,2b42,3a60,3b362,4a80,4b82,5a100,5b102");
}

/* A dedup row already at a new article's rowid (left by hand) is
 * replaced whole, as INSERT OR REPLACE did: every column, and the group
 * index's entry with it. */
static void test_dedup_row_replaced(void)
{
	if (!fresh_with("ddrow.db", "INSERT INTO dedup_docs (doc, grp, tier,"
			" published, nwords, sig, shingles) VALUES (1, 77, 9,"
			" '1990-01-01', 5, x'01', x'0102030405060708')"))
		return;
	char p[256];
	snprintf(p, sizeof p, "%s", tpath("ddrow.db"));
	chr_db *db = reopen(p);
	if (!db)
		return;
	chr_doc d = doc("dd1", "Talks", texts[0]);
	d.date = "2024-05-14";
	chr_ingest_stats s;
	CHECK_INT(ingest(db, &d, 1, 0, &s), CHR_OK);
	chr_db_close(db);
	CHECK_INT(raw_int(p, "SELECT count(*) FROM dedup_docs"), 1);
	CHECK_INT(raw_int(p, "SELECT grp = 1 AND tier <> 9 AND published ="
			  " '2024-05-14' AND nwords > 5 AND length(sig) = 0 AND"
			  " length(shingles) > 8 FROM dedup_docs WHERE doc = 1"), 1);
	CHECK_INT(raw_int(p, "SELECT count(*) FROM dedup_docs INDEXED BY"
			  " dedup_docs_grp WHERE grp = 77"), 0);
	CHECK_INT(raw_int(p, "SELECT count(*) FROM dedup_docs INDEXED BY"
			  " dedup_docs_grp WHERE grp = 1"), 1);
	char ok[64];
	raw_text(p, "PRAGMA integrity_check", ok, sizeof ok);
	CHECK_STR(ok, "ok");
}

/* Time expressions out of text order, two at one start: the store
 * takes the REPLACE statements, which journal, and the later one's row
 * is kept. */
static void test_timexes_out_of_order(void)
{
	if (install_vfs() != SQLITE_OK) {
		CHECK(!"counting VFS");
		return;
	}
	chr_doc d = doc("tx1", "Talks", texts[0]);
	d.date = "2024-05-14";
	chr_article *a = NULL;
	CHECK_INT(chr_article_process(&d, &a), CHR_OK);
	chr_db *db = fresh("txorder.db");
	size_t n = a ? a->timexes.n : 0;
	CHECK(n >= 3 && db);
	if (n < 3 || !db) {
		chr_db_close(db);
		chr_article_free(a);
		return;
	}
	chr_timex *v = a->timexes.v;
	for (size_t i = 0; i < n / 2; i++) { /* reversed */
		chr_timex t = v[i];
		v[i] = v[n - 1 - i];
		v[n - 1 - i] = t;
	}
	v[n - 1].start = v[1].start; /* after v[1], at its start */
	snprintf(v[n - 1].value, sizeof v[n - 1].value, "later");
	CHECK(put_alone(db, a, J_TIMEX) > 0);
	char p[256], q[128], got[64];
	snprintf(p, sizeof p, "%s", tpath("txorder.db"));
	CHECK_INT(raw_int(p, "SELECT count(*) FROM timexes"), (long long)n - 1);
	snprintf(q, sizeof q, "SELECT value FROM timexes WHERE start = %zu",
		 v[1].start);
	raw_text(p, q, got, sizeof got);
	CHECK_STR(got, "later");
	chr_article_free(a);
}

/* A conflict the store rules out (a new article's rows at distinct
 * starts cannot meet a row) is an error if a file has one anyway (a
 * row left by hand at the next article's rowid): the batch fails and
 * stores nothing, rather than a row other than the REPLACE's. */
static void test_conflict_fails(void)
{
	chr_doc d = doc("c1", "Talks", texts[0]);
	d.date = "2024-05-14";
	chr_article *a = NULL;
	CHECK_INT(chr_article_process(&d, &a), CHR_OK);
	if (!a || !a->timexes.n) {
		CHECK(!"a time expression");
		chr_article_free(a);
		return;
	}
	char sql[256];
	snprintf(sql, sizeof sql, "INSERT INTO timexes (doc, start, end, type,"
		 " value) VALUES (1, %zu, 1, 'DATE', 'left')",
		 (size_t)a->timexes.v[a->timexes.n - 1].start);
	chr_article_free(a);
	if (!fresh_with("orphan.db", sql))
		return;
	char p[256];
	snprintf(p, sizeof p, "%s", tpath("orphan.db"));
	chr_db *db = reopen(p);
	if (!db)
		return;
	chr_ingest_stats s;
	CHECK(ingest(db, &d, 1, 0, &s) != CHR_OK);
	chr_db_close(db);
	CHECK_INT(raw_int(p, "SELECT count(*) FROM articles"), 0);
	CHECK_INT(raw_int(p, "SELECT count(*) FROM timexes"), 1);
	CHECK_INT(raw_int(p, "SELECT count(*) FROM timexes WHERE value = 'left'"), 1);
}

/* The statement's SQL with its bindings; out "" on failure. */
static void expanded(sqlite3_stmt *s, char *out, size_t n)
{
	char *x = s ? sqlite3_expanded_sql(s) : NULL;
	snprintf(out, n, "%s", x ? x : "");
	sqlite3_free(x);
}

static void test_bound_keeps_clear_drops(void)
{
	chr_db *db = fresh("keep.db");
	if (!db)
		return;
	char got[256];
	sqlite3_stmt *s = store_stmt(db, ST_EN_BY_KEY);
	CHECK(s != NULL);
	if (!s) {
		chr_db_close(db);
		return;
	}
	sqlite3_bind_text(s, 1, "kept-key", -1, SQLITE_STATIC);
	CHECK_INT(sqlite3_step(s), SQLITE_DONE);
	CHECK(store_stmt_bound(db, ST_EN_BY_KEY) == s);
	expanded(s, got, sizeof got);
	CHECK(strstr(got, "'kept-key'") != NULL);
	CHECK(store_stmt(db, ST_EN_BY_KEY) == s);
	expanded(s, got, sizeof got);
	CHECK(strstr(got, "kept-key") == NULL);
	CHECK(strstr(got, "NULL") != NULL);
	chr_db_close(db);
}

/* Store doc d (its first time expression's mod set to mod, or every
 * mod emptied when mod is NULL; line as given) in db. */
static void put(chr_db *db, chr_doc *d, uint64_t line, const char *mod)
{
	d->line = line;
	chr_article *a = NULL;
	CHECK_INT(chr_article_process(d, &a), CHR_OK);
	CHECK(a && a->timexes.n >= 2);
	if (!a || a->timexes.n < 2) {
		chr_article_free(a);
		return;
	}
	for (size_t i = 0; i < a->timexes.n; i++)
		a->timexes.v[i].mod[0] = '\0';
	if (mod)
		snprintf(a->timexes.v[0].mod, sizeof a->timexes.v[0].mod, "%s", mod);
	CHECK_INT(store_begin(db), CHR_OK);
	CHECK_INT(store_put_article(db, a, NULL), CHR_OK);
	CHECK_INT(store_put_timexes(db, a), CHR_OK);
	CHECK_INT(store_commit(db), CHR_OK);
	chr_article_free(a);
}

static void test_optional_values_not_carried(void)
{
	chr_db *db = fresh("carry.db");
	if (!db)
		return;
	chr_doc d1 = doc("b1", "Talks",
			 "LONDON (Reuters) - Talks opened on Monday, May 6,"
			 " 2024, between Britain and France.\n\nA further"
			 " meeting is planned for June 3 in Paris, officials"
			 " said on Wednesday.");
	chr_doc d2 = doc("b2", "More talks",
			 "PARIS (Reuters) - Ministers met on Friday, May 10,"
			 " 2024, in Paris.\n\nThey will meet again on June 7"
			 " in Berlin, a spokesman said on Saturday.");
	d1.date = d2.date = "2024-05-14";
	put(db, &d1, 7, "APPROX");
	put(db, &d2, 0, NULL);
	chr_db_close(db);
	char p[256];
	snprintf(p, sizeof p, "%s", tpath("carry.db"));
	CHECK_INT(raw_int(p, "SELECT count(*) FROM articles"), 2);
	CHECK_INT(raw_int(p, "SELECT line FROM articles WHERE id = 'b1'"), 7);
	CHECK_INT(raw_int(p, "SELECT count(*) FROM articles WHERE id = 'b2'"
			  " AND line IS NULL"), 1);
	CHECK_INT(raw_int(p, "SELECT count(*) FROM timexes t JOIN articles a"
			  " ON a.rowid = t.doc WHERE a.id = 'b1'"
			  " AND t.mod = 'APPROX'"), 1);
	CHECK(raw_int(p, "SELECT count(*) FROM timexes t JOIN articles a ON"
		      " a.rowid = t.doc WHERE a.id = 'b2'") >= 2);
	CHECK_INT(raw_int(p, "SELECT count(*) FROM timexes WHERE mod IS NOT NULL"),
		  1);
}

/* Linking events to storylines (ST_EV_STORY_LINK), new rows and an
 * event moved to another storyline, journals nothing (an upsert; the
 * REPLACE it was journalled the move) and leaves the moved row and its
 * index entry under the new storyline only. */
static void test_storyline_link(void)
{
	if (install_vfs() != SQLITE_OK) {
		CHECK(!"counting VFS");
		return;
	}
	chr_db *db = fresh("storylink.db");
	if (!db)
		return;
	CHECK_INT(sqlite3_exec(db->h, "PRAGMA temp_store=FILE", NULL, NULL, NULL),
		  SQLITE_OK);
	long long w = subj_writes;
	CHECK_INT(store_begin(db), CHR_OK);
	for (int round = 0; round < 2; round++)
		for (int ev = 1; ev <= 40; ev++) {
			sqlite3_stmt *q = store_stmt(db, ST_EV_STORY_LINK);
			CHECK(q != NULL);
			if (!q)
				break;
			sqlite3_bind_int64(q, 1, ev);
			/* the second round moves every third event to 9 */
			sqlite3_bind_int64(q, 2, round && ev % 3 == 0 ? 9 : 1 + ev % 2);
			CHECK_INT(sqlite3_step(q), SQLITE_DONE);
			sqlite3_reset(q);
		}
	CHECK_INT(store_commit(db), CHR_OK);
	CHECK_INT(subj_writes - w, 0);
	chr_db_close(db);
	char p[256];
	snprintf(p, sizeof p, "%s", tpath("storylink.db"));
	CHECK_INT(raw_int(p, "SELECT count(*) FROM storyline_events"), 40);
	CHECK_INT(raw_int(p, "SELECT count(*) FROM storyline_events"
			  " INDEXED BY storyline_events_story WHERE story = 9"), 13);
	CHECK_INT(raw_int(p, "SELECT count(*) FROM storyline_events"
			  " NOT INDEXED WHERE story = 9 AND event % 3 = 0"), 13);
	CHECK_INT(raw_int(p, "SELECT count(*) FROM storyline_events"
			  " INDEXED BY storyline_events_story WHERE story = 2"
			  " AND event % 3 = 0"), 0);
	char ok[16];
	raw_text(p, "PRAGMA integrity_check", ok, sizeof ok);
	CHECK_STR(ok, "ok");
}

/* Eight pairs of event ev (eids 1 .. 8, n each) through
 * store_ev_ents_add in a transaction of db; its journal writes. */
static long long ee_add8(chr_db *db, int64_t ev, int64_t n)
{
	store_evn v[STORE_EE_ROWS];
	for (int i = 0; i < STORE_EE_ROWS; i++)
		v[i] = (store_evn){ ev, i + 1, n };
	long long w = subj_writes;
	CHECK_INT(store_begin(db), CHR_OK);
	CHECK_INT(store_ev_ents_add(db, v, STORE_EE_ROWS), CHR_OK);
	CHECK_INT(store_commit(db), CHR_OK);
	return subj_writes - w;
}

/* event_entities sums of events with no row yet (past the largest event
 * with rows, read once a transaction) go in as plain rows, which
 * journal nothing; an event with rows, also rows another connection
 * added since the last transaction or a merge just moved there, takes
 * the upsert and its sums add up (an INSERT OR FAIL would fail). */
static void test_ee_new_events(void)
{
	if (install_vfs() != SQLITE_OK) {
		CHECK(!"counting VFS");
		return;
	}
	chr_db *db = fresh("eenew.db");
	if (!db)
		return;
	CHECK_INT(sqlite3_exec(db->h, "PRAGMA temp_store=FILE", NULL, NULL, NULL),
		  SQLITE_OK);
	char p[256];
	snprintf(p, sizeof p, "%s", tpath("eenew.db"));
	CHECK_INT(ee_add8(db, 10, 1) + ee_add8(db, 11, 1), 0);
	CHECK(ee_add8(db, 11, 2) > 0); /* the upsert (the control) */
	sqlite3 *h = NULL;
	CHECK_INT(sqlite3_open(p, &h), SQLITE_OK);
	CHECK_INT(sqlite3_exec(h, "INSERT INTO event_entities (event, eid, n)"
			       " VALUES (20, 1, 5)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	ee_add8(db, 20, 2);
	CHECK_INT(store_begin(db), CHR_OK);
	store_evn v[STORE_EE_ROWS];
	for (int i = 0; i < STORE_EE_ROWS; i++) /* (the bound read: 21) */
		v[i] = (store_evn){ 25, i + 1, 1 };
	CHECK_INT(store_ev_ents_add(db, v, STORE_EE_ROWS), CHR_OK);
	CHECK_INT(store_ev_ents_merge(db, 10, 30), CHR_OK);
	for (int i = 0; i < STORE_EE_ROWS; i++)
		v[i] = (store_evn){ 30, i + 1, 4 };
	CHECK_INT(store_ev_ents_add(db, v, STORE_EE_ROWS), CHR_OK);
	CHECK_INT(store_commit(db), CHR_OK);
	chr_db_close(db);
	CHECK_INT(raw_int(p, "SELECT n FROM event_entities WHERE event = 11"
			  " AND eid = 8"), 3);
	CHECK_INT(raw_int(p, "SELECT n FROM event_entities WHERE event = 20"
			  " AND eid = 1"), 7);
	CHECK_INT(raw_int(p, "SELECT count(*) || sum(n) FROM event_entities"
			  " WHERE event = 30"), 840);
	CHECK_INT(raw_int(p, "SELECT count(*) FROM event_entities"), 32);
}

static const th_test tests[] = {
	TEST(test_no_statement_journal),
	TEST(test_mentions_at_one_start),
	TEST(test_alias_flush_old_and_new),
	TEST(test_dedup_row_replaced),
	TEST(test_timexes_out_of_order),
	TEST(test_conflict_fails),
	TEST(test_bound_keeps_clear_drops),
	TEST(test_optional_values_not_carried),
	TEST(test_storyline_link),
	TEST(test_ee_new_events),
};

int main(void)
{
	make_tmpdir();
	int rc = th_run("store_journal", tests, sizeof tests / sizeof tests[0]);
	remove_tmpdir();
	return rc;
}
