/*
 * test_fold: the side tables of paragraph and entity rows and their
 * folds into the main tables (src/store/fold.c, migration 17).
 *
 * Design note: the same invented articles go into two stores, one that
 * folds after a handful of side-table rows (so a run of small batches
 * folds many times, some folds in the middle of a run) and one that
 * never reaches the default threshold.  Everything a reader can ask
 * must be the same in both (the folding store ends with rows in both
 * of each pair of tables): the entity list with its article counts,
 * each entity's page (roles, articles), each article's dedup group and
 * reused paragraphs.  The row counts say that the folding store did
 * move rows, that a row sits in one table only, and that the entity
 * rows are exactly the distinct (entity, doc) pairs of the mentions.  A
 * store taken back to version 16 (indexes by entity and by alias, no
 * side tables) migrates to the same answers.
 */
#include "store_fixture.h"

#include <limits.h>

#include "store/fold.h"

#define N_DOCS 24
#define FOLD_AT 50
#define FOLD_OFTEN 5

static chr_doc docs[N_DOCS];
static char *texts[N_DOCS], *ids[N_DOCS], *titles[N_DOCS];

static char *dupf(const char *fmt, int a, int b)
{
	char buf[2048];
	int n = snprintf(buf, sizeof buf, fmt, a, b);
	char *s = n > 0 ? malloc((size_t)n + 1) : NULL;
	if (!s)
		exit(2);
	memcpy(s, buf, (size_t)n + 1);
	return s;
}

/* Wire copy about a few recurring people, places and firms, with a
 * stock paragraph every third story and every fourth a copy of the one
 * before it (a new outlet's headline, the same body). */
static void make_docs(void)
{
	static const char *const who[] = {
		"Marta Lindqvist", "Oskar Brandt", "Helena Varga",
		"Tomas Okafor"};
	static const char *const where[] = {"Oslo", "Lisbon", "Nairobi",
					     "Quito", "Hanoi"};
	static const char *const firm[] = {"Nordvik Shipping", "Tessaro Bank",
					    "Aurelia Mining"};
	for (int i = 0; i < N_DOCS; i++) {
		int k = i % 4 == 3 ? i - 1 : i; /* the copy's source */
		char body[1536];
		snprintf(body, sizeof body,
			 "%s (Reuters) - %s met executives of %s in %s on Tuesday"
			 " to discuss a loan of %d million dollars for the port,"
			 " officials said.\n\n"
			 "The talks, the %dth round this year, ended without a"
			 " statement, and %s said further meetings with %s would"
			 " follow next month in %s.\n\n%s",
			 where[k % 5], who[k % 4], firm[k % 3], where[(k + 1) % 5],
			 100 + k, k + 2, who[(k + 1) % 4], firm[(k + 2) % 3],
			 where[(k + 2) % 5],
			 k % 3 == 0 ? "Shipping rates have risen sharply since the"
				      " spring as insurers raised premiums for"
				      " vessels crossing the busiest routes.\n"
				    : "");
		texts[i] = strdup(body);
		if (!texts[i])
			exit(2);
		ids[i] = dupf("fold-%d-%d", i, k);
		titles[i] = dupf(i % 4 == 3 ? "Port loan talks go on (%d/%d)"
					    : "Talks on port loan %d (%d)",
				 i, k);
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

/* The docs in runs of 6, committed 2 at a time, folding from `at` rows
 * on (0: the default); the last doc then on its own, with no fold, so
 * that a folding store ends with rows on both sides of each pair. */
static void fill(chr_db *db, long at)
{
	chr_ingest_stats s;
	store_fold_set(db, at);
	for (int i = 0; i < N_DOCS - 1; i += 6) {
		size_t n = i + 6 < N_DOCS ? 6 : (size_t)(N_DOCS - 1 - i);
		CHECK_INT(ingest(db, docs + i, n, 2, &s), CHR_OK);
	}
	store_fold_set(db, LONG_MAX);
	CHECK_INT(ingest(db, docs + N_DOCS - 1, 1, 0, &s), CHR_OK);
}

/* Everything a reader sees, as one text. */
typedef struct seen {
	char *s;
	size_t n, cap;
} seen;

static void add(seen *v, const char *t, size_t len)
{
	if (v->n + len + 2 > v->cap) {
		size_t cap = (v->n + len + 2) * 2;
		char *q = realloc(v->s, cap);
		if (!q)
			exit(2);
		v->s = q;
		v->cap = cap;
	}
	memcpy(v->s + v->n, t, len);
	v->n += len;
	v->s[v->n++] = '\n';
	v->s[v->n] = '\0';
}

static int on_entity(void *ctx, const chr_entity_row *r)
{
	seen *v = ctx;
	char line[256];
	int n = snprintf(line, sizeof line, "%lld\t%s\t%lld %lld", (long long)r->id,
			 r->name, (long long)r->mentions, (long long)r->articles);
	add(v, line, (size_t)n);
	return 0;
}

static int on_group(void *ctx, const chr_dup_group *g)
{
	seen *v = ctx;
	add(v, g->original, strlen(g->original));
	for (size_t i = 0; i < g->n; i++)
		add(v, g->articles[i], strlen(g->articles[i]));
	return 0;
}

static char *reader_view(const char *name, size_t *nent)
{
	chr_db *db = NULL;
	CHECK_INT(chr_db_open(tpath(name), &db), CHR_OK);
	seen v = {0};
	seen ents = {0};
	CHECK_INT(chr_db_entities(db, NULL, 1000, 0, on_entity, &ents), CHR_OK);
	add(&v, ents.s ? ents.s : "", ents.n);
	*nent = 0;
	for (char *p = ents.s, *e; p && (e = strchr(p, '\n')); p = e + 1) {
		char id[32];
		size_t n = strcspn(p, "\t");
		snprintf(id, sizeof id, "%.*s", (int)n, p);
		char *js = NULL;
		size_t len = 0;
		CHECK_INT(chr_db_entity_json(db, id, &js, &len), CHR_OK);
		if (js)
			add(&v, js, len);
		chr_free(js);
		/* by name, in upper case: found through the alias rows */
		const char *nm = p + n + 1;
		size_t nl = strcspn(nm, "\t\n");
		char up[128];
		snprintf(up, sizeof up, "%.*s", (int)nl, nm);
		for (char *c = up; *c; c++)
			if (*c >= 'a' && *c <= 'z')
				*c = (char)(*c - 'a' + 'A');
		js = NULL;
		if (chr_db_entity_json(db, up, &js, &len) == CHR_OK && js)
			add(&v, js, len);
		else
			add(&v, "-", 1);
		chr_free(js);
		++*nent;
	}
	CHECK_INT(chr_db_dup_groups(db, 2, on_group, &v), CHR_OK);
	for (int i = 0; i < N_DOCS; i++) {
		chr_article *a = NULL;
		CHECK_INT(chr_db_article(db, ids[i], &a), CHR_OK);
		size_t len = 0;
		char *js = a ? chr_db_article_json(db, a, &len) : NULL;
		CHECK(js != NULL);
		if (js)
			add(&v, js, len);
		chr_free(js);
		chr_article_free(a);
	}
	chr_db_close(db);
	free(ents.s);
	return v.s;
}

static long long side_rows(const char *name, const char *table)
{
	char q[128];
	snprintf(q, sizeof q, "SELECT count(*) FROM %s", table);
	return raw_int(tpath(name), q);
}

/* The entity rows are the mentions' distinct (entity, doc) pairs, each
 * in one table. */
static void check_entity_rows(const char *name)
{
	long long pairs = raw_int(tpath(name), "SELECT count(*) FROM (SELECT"
				  " DISTINCT eid, doc FROM entity_mentions)");
	CHECK(pairs > N_DOCS);
	CHECK_INT(side_rows(name, "entity_docs") +
		  side_rows(name, "entity_docs_new"), pairs);
	CHECK_INT(raw_int(tpath(name), "SELECT count(*) FROM (SELECT eid, doc"
			  " FROM entity_docs UNION SELECT eid, doc FROM"
			  " entity_docs_new UNION SELECT eid, doc FROM"
			  " entity_mentions)"), pairs);
	CHECK_INT(raw_int(tpath(name), "SELECT count(*) FROM dedup_paras p JOIN"
			  " dedup_paras_new n USING (hash, doc)"), 0);
	/* every alias's entity is found by the alias in any case */
	long long akeys = raw_int(tpath(name), "SELECT count(*) FROM (SELECT"
				  " DISTINCT alias COLLATE NOCASE, eid FROM"
				  " entity_aliases)");
	CHECK(akeys >= 6);
	CHECK_INT(raw_int(tpath(name), "SELECT count(*) FROM (SELECT alias, eid"
			  " FROM entity_alias_keys UNION SELECT alias, eid FROM"
			  " entity_alias_keys_new)"), akeys);
}

/* A store folded every `at` rows: the same answers as the plain one. */
static void same_as_plain(const char *name, long at, const char *plain_view,
			  size_t nplain)
{
	chr_db *db = fresh(name);
	if (!db)
		return;
	fill(db, at);
	chr_db_close(db);
	CHECK_INT(side_rows(name, "dedup_paras") +
		  side_rows(name, "dedup_paras_new"),
		  side_rows("plain.db", "dedup_paras_new"));
	check_entity_rows(name);
	size_t n = 0;
	char *v = reader_view(name, &n);
	CHECK_INT(n, nplain);
	CHECK(v && plain_view && !strcmp(v, plain_view));
	free(v);
}

static void test_fold_same_answers(void)
{
	chr_db *db = fresh("plain.db");
	if (!db)
		return;
	fill(db, 0);
	chr_db_close(db);
	/* the plain store never folded */
	CHECK_INT(side_rows("plain.db", "dedup_paras"), 0);
	CHECK_INT(side_rows("plain.db", "entity_docs"), 0);
	CHECK_INT(side_rows("plain.db", "entity_alias_keys"), 0);
	check_entity_rows("plain.db");
	size_t np = 0;
	char *plain = reader_view("plain.db", &np);
	CHECK(np >= 6);
	/* the stock paragraph is reused across groups, and a copy joined
	 * its source's group */
	CHECK(plain && strstr(plain, "\"reused\":[{"));
	CHECK(plain && strstr(plain, ids[3]));
	/* folds of paragraph and entity rows, each table pair ending with
	 * rows on both sides */
	same_as_plain("fold.db", FOLD_AT, plain, np);
	CHECK(side_rows("fold.db", "dedup_paras") >= FOLD_AT);
	CHECK(side_rows("fold.db", "entity_docs") >= 2 * FOLD_AT);
	CHECK(side_rows("fold.db", "dedup_paras_new") > 0);
	CHECK(side_rows("fold.db", "entity_docs_new") > 0);
	/* folds at nearly every commit, the alias rows' too */
	same_as_plain("often.db", FOLD_OFTEN, plain, np);
	CHECK(side_rows("often.db", "entity_alias_keys") >= FOLD_OFTEN);
	CHECK(side_rows("often.db", "entity_alias_keys_new") > 0);
	CHECK(side_rows("often.db", "dedup_paras_new") > 0);
	CHECK(side_rows("often.db", "entity_docs_new") > 0);
	free(plain);
}

/* A version 16 store (entities read through an index on the mentions,
 * entities found by alias through an index on the aliases,
 * paragraphs in one table) migrates to the same answers. */
static void test_migrated_from_16(void)
{
	chr_db *db = fresh("m16.db");
	if (!db)
		return;
	fill(db, 0);
	chr_db_close(db);
	size_t n0 = 0, n1 = 0;
	char *before = reader_view("m16.db", &n0);
	sqlite3 *h;
	CHECK_INT(sqlite3_open(tpath("m16.db"), &h), SQLITE_OK);
	CHECK_INT(sqlite3_exec(h,
		"CREATE INDEX entity_mentions_eid ON entity_mentions(eid, doc);"
		"CREATE INDEX entity_aliases_alias ON entity_aliases(alias"
		" COLLATE NOCASE);"
		"DROP TABLE entity_alias_keys; DROP TABLE entity_alias_keys_new;"
		"INSERT INTO dedup_paras SELECT hash, doc FROM dedup_paras_new;"
		"DROP TABLE dedup_paras_new; DROP TABLE entity_docs;"
		"DROP TABLE entity_docs_new; PRAGMA user_version = 16;",
		NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	CHECK(side_rows("m16.db", "dedup_paras") > 0);
	char *after = reader_view("m16.db", &n1);
	CHECK_INT(raw_int(tpath("m16.db"), "PRAGMA user_version"),
		  chr_db_schema_version());
	CHECK_INT(raw_int(tpath("m16.db"), "SELECT count(*) FROM sqlite_master"
			  " WHERE name IN ('entity_mentions_eid',"
			  " 'entity_aliases_alias')"), 0);
	CHECK_INT(side_rows("m16.db", "entity_alias_keys_new"), 0);
	CHECK_INT(side_rows("m16.db", "entity_docs_new"), 0);
	check_entity_rows("m16.db");
	CHECK_INT(n0, n1);
	CHECK(before && after && !strcmp(before, after));
	/* and it goes on: new rows aside, old ones found */
	if ((db = reopen(tpath("m16.db")))) {
		/* a copy of doc 1 under a new id */
		chr_doc d = doc("fold-late", "Port loan talks resume", texts[1]);
		chr_ingest_stats s;
		CHECK_INT(ingest(db, &d, 1, 0, &s), CHR_OK);
		chr_db_close(db);
	}
	CHECK(side_rows("m16.db", "entity_docs_new") > 0);
	CHECK_INT(raw_int(tpath("m16.db"), "SELECT count(*) FROM dedup_docs"
			  " WHERE grp = (SELECT grp FROM dedup_docs d JOIN articles a"
			  " ON a.rowid = d.doc WHERE a.id = 'fold-late')"), 2);
	free(before);
	free(after);
}

/* The fold threshold grows with the store: a side table is folded once
 * it holds as many rows as the store has articles, when that is more
 * than the set threshold (3 here).  One doc a commit: no commit leaves
 * as many entity rows aside as there are articles, and some commit
 * leaves more than 3 (a fixed threshold of 3 never would). */
static void test_fold_grows_with_store(void)
{
	chr_db *db = fresh("grow.db");
	if (!db)
		return;
	store_fold_set(db, 3);
	long long most = 0;
	int over = 0;
	for (int i = 0; i < N_DOCS; i++) {
		chr_ingest_stats s;
		CHECK_INT(ingest(db, docs + i, 1, 0, &s), CHR_OK);
		long long side = raw_int(tpath("grow.db"),
					 "SELECT count(*) FROM entity_docs_new");
		long long arts = raw_int(tpath("grow.db"),
					 "SELECT count(*) FROM articles");
		over += arts > 3 && side >= arts;
		most = side > most ? side : most;
	}
	chr_db_close(db);
	CHECK_INT(over, 0);
	CHECK(most > 3);
	CHECK(side_rows("grow.db", "entity_docs") > 0); /* it did fold */
}

static const th_test tests[] = {
	TEST(test_fold_same_answers),
	TEST(test_migrated_from_16),
	TEST(test_fold_grows_with_store),
};

int main(void)
{
	(void)fresh_with;
	make_tmpdir();
	make_docs();
	int rc = th_run("fold", tests, sizeof tests / sizeof tests[0]);
	free_docs();
	remove_tmpdir();
	return rc;
}
