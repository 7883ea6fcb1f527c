/*
 * test_dedup_docs: the store's dedup_docs rows kept in memory
 * (src/dedup/doccache.c).
 *
 * Design note: the cache must answer exactly as the table would, so the
 * tests change rows behind a cached copy in each way the store can:
 * the cache's own calls (put again, regroup, a new data version), a
 * group merge by the engine in the same transaction, and a merge
 * committed by another connection.  The store runs are checked doc by
 * doc against the in-memory index (memidx.c), which has no cache.
 */
#include <stdint.h>
#include <unistd.h>

#include "harness.h"
#include "chronicle.h"
#include "dedup/dedup.h"
#include "store/store.h"

/* n invented words from seed: "v<number>" separated by spaces. */
static char *story(uint32_t seed, size_t n)
{
	char *s = malloc(n * 10 + 1);
	size_t k = 0;
	uint32_t x = seed * 2654435761u + 1;
	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		k += (size_t)snprintf(s + k, 11, "v%u ", x % 40000u);
	}
	s[k] = 0;
	return s;
}

static void doc_init(dedup_doc *d, int64_t id, int64_t grp, const char *pub)
{
	memset(d, 0, sizeof *d);
	d->id = id;
	d->grp = grp;
	d->tier = DEDUP_TIER_PICKUP;
	snprintf(d->published, sizeof d->published, "%s", pub);
	d->nwords = 300 + (uint32_t)id;
}

/* put, get, put again, regroup, a new data version. */
static void test_docs_rows(void)
{
	dedup_docs *c = dedup_docs_new(7);
	CHECK(c != NULL);
	if (!c)
		return;
	uint32_t set[3] = { 5, 9, 40 };
	dedup_doc d, g;
	CHECK_INT(dedup_docs_get(c, 1, 1, &g), 0);
	doc_init(&d, 1, 1, "1987-03-02");
	dedup_docs_put(c, &d, set, 3);
	set[0] = 6; /* copied, not borrowed */
	doc_init(&d, 2, 1, "1987-03"); /* not a full date: none, as read */
	dedup_docs_put(c, &d, NULL, 0);
	CHECK_INT(dedup_docs_get(c, 1, 1, &g), 1);
	CHECK_INT(g.id, 1);
	CHECK_INT(g.grp, 1);
	CHECK_INT(g.tier, DEDUP_TIER_PICKUP);
	CHECK_STR(g.published, "1987-03-02");
	CHECK_INT(g.nwords, 301);
	CHECK_INT(g.nset, 3);
	CHECK(g.set && g.set[0] == 5 && g.set[2] == 40);
	CHECK_INT(dedup_docs_get(c, 1, 0, &g), 1);
	CHECK(g.set == NULL); /* as d_get_doc without the set */
	CHECK_INT(dedup_docs_get(c, 2, 1, &g), 1);
	CHECK_STR(g.published, "");
	CHECK_INT(g.nset, 0);
	doc_init(&d, 1, 4, ""); /* the upsert again: the new row */
	dedup_docs_put(c, &d, set, 1);
	CHECK_INT(dedup_docs_get(c, 1, 1, &g), 1);
	CHECK_INT(g.grp, 4);
	CHECK_INT(g.nset, 1);
	CHECK_INT(g.set[0], 6);
	dedup_docs_regroup(c, 4, 2);
	CHECK_INT(dedup_docs_get(c, 1, 0, &g), 1);
	CHECK_INT(g.grp, 2);
	CHECK_INT(dedup_docs_get(c, 2, 0, &g), 1);
	CHECK_INT(g.grp, 1); /* another group: left alone */
	dedup_docs_check(c, 7);
	CHECK_INT(dedup_docs_get(c, 2, 0, &g), 1);
	dedup_docs_check(c, 8); /* another connection committed */
	CHECK_INT(dedup_docs_get(c, 1, 0, &g), 0);
	CHECK_INT(dedup_docs_get(c, 2, 0, &g), 0);
	doc_init(&d, 3, 3, "");
	dedup_docs_put(c, &d, set, 2);
	CHECK_INT(dedup_docs_get(c, 3, 1, &g), 1);
	dedup_docs_free(c);
}

/* Stories s and t, then one text carrying both (paragraphs apart), in
 * v[0 .. 2]; v[3] room for a copy (COPY_CAP). */
#define COPY_CAP (2 * 1500 + 64)
static void texts(char **v, uint32_t s, uint32_t t)
{
	v[0] = story(s, 150);
	v[1] = story(t, 150);
	v[2] = malloc(COPY_CAP);
	v[3] = malloc(COPY_CAP);
	snprintf(v[2], COPY_CAP, "%s\n\n%s", v[0], v[1]);
}

static void texts_free(char **v)
{
	for (int i = 0; i < 4; i++)
		free(v[i]);
}

static void tmp_path(char *tmpl)
{
	int fd = mkstemp(tmpl);
	if (fd >= 0)
		close(fd);
	unlink(tmpl);
}

/* Add text as doc id to the store and, when m, to the memory index too:
 * the same group and counts.  The store's group id. */
static int64_t add_both(chr_db *db, dedup_mem *m, int64_t id, const char *text)
{
	dedup_feat f;
	dedup_feat_init(&f);
	CHECK(dedup_features(&f, text, strlen(text)) == CHR_OK);
	dedup_doc d, e;
	doc_init(&d, id, 0, id % 2 ? "1987-04-01" : "");
	d.nwords = f.nwords;
	e = d;
	dedup_stats sd, sm;
	int64_t gd = -1, gm = -2;
	CHECK(dedup_db_add(db, &d, &f, &gd, &sd) == CHR_OK);
	if (m) {
		CHECK(dedup_add(&dedup_mem_ops, m, &e, &f, &gm, &sm) == CHR_OK);
		CHECK_INT(gd, gm);
		CHECK_INT(sd.candidates, sm.candidates);
		CHECK_INT(sd.verified, sm.verified);
		CHECK_INT(sd.matched, sm.matched);
	}
	dedup_feat_free(&f);
	return gd;
}

/* Two stories, then an article carrying both: their groups merge into
 * the first, and later copies of the second story (whose cached row
 * was written in group 2) join group 1, as in the memory index; with
 * the merge not applied to the cache they would name the dropped
 * group 2. */
static void test_docs_merge_same_tx(void)
{
	char path[] = "/tmp/chr_test_ddocs_XXXXXX";
	tmp_path(path);
	chr_db *db = NULL;
	CHECK(chr_db_open(path, &db) == CHR_OK);
	dedup_mem *m = dedup_mem_new();
	if (!db || !m)
		goto out;
	char *v[4], *x = story(3, 150);
	texts(v, 1, 2);
	CHECK(store_begin(db) == CHR_OK);
	CHECK_INT(add_both(db, m, 1, v[0]), 1);
	CHECK_INT(add_both(db, m, 2, v[1]), 2);
	CHECK_INT(add_both(db, m, 3, x), 3);
	CHECK_INT(add_both(db, m, 4, v[2]), 1); /* groups 1 and 2 merge */
	snprintf(v[3], COPY_CAP, "%s again", v[1]);
	CHECK_INT(add_both(db, m, 5, v[3]), 1);
	snprintf(v[3], COPY_CAP, "%s more", x);
	CHECK_INT(add_both(db, m, 6, v[3]), 3);
	CHECK(store_commit(db) == CHR_OK);
	CHECK(store_begin(db) == CHR_OK); /* the next transaction keeps it */
	snprintf(v[3], COPY_CAP, "%s once more", v[1]);
	CHECK_INT(add_both(db, m, 7, v[3]), 1);
	CHECK(store_commit(db) == CHR_OK);
	texts_free(v);
	free(x);
out:
	dedup_mem_free(m);
	chr_db_close(db);
	th_rm_db(path);
}

/* Connection a has cached docs 1 and 2; connection b merges their
 * groups and commits; a's next copy of doc 2 must find group 1. */
static void test_docs_merge_other_connection(void)
{
	char path[] = "/tmp/chr_test_ddocs2_XXXXXX";
	tmp_path(path);
	chr_db *a = NULL, *b = NULL;
	CHECK(chr_db_open(path, &a) == CHR_OK);
	CHECK(chr_db_open(path, &b) == CHR_OK);
	if (!a || !b)
		goto out;
	char *v[4];
	texts(v, 11, 12);
	CHECK(store_begin(a) == CHR_OK);
	CHECK_INT(add_both(a, NULL, 1, v[0]), 1);
	CHECK_INT(add_both(a, NULL, 2, v[1]), 2);
	snprintf(v[3], COPY_CAP, "%s again", v[1]);
	CHECK_INT(add_both(a, NULL, 3, v[3]), 2); /* doc 2's row cached */
	CHECK(store_commit(a) == CHR_OK);
	CHECK(store_begin(b) == CHR_OK);
	CHECK_INT(add_both(b, NULL, 4, v[2]), 1);
	CHECK(store_commit(b) == CHR_OK);
	CHECK(store_begin(a) == CHR_OK);
	snprintf(v[3], COPY_CAP, "%s more", v[1]);
	CHECK_INT(add_both(a, NULL, 5, v[3]), 1);
	CHECK(store_commit(a) == CHR_OK);
	texts_free(v);
out:
	chr_db_close(a);
	chr_db_close(b);
	th_rm_db(path);
}

/* Rows found among n puts of docs 1 .. n. */
static size_t found(const dedup_docs *c, int64_t from, int64_t to)
{
	size_t k = 0;
	dedup_doc g;
	for (int64_t id = from; id <= to; id++)
		k += (size_t)dedup_docs_get(c, id, 1, &g);
	return k;
}

/* Two generations: past a generation's ceiling (rows, or bytes of sets)
 * the older goes and the newer stays whole, so the newest rows are
 * always there; a row put again in the newer generation is read from
 * it, and a regroup reaches both. */
static void test_docs_generations(void)
{
	dedup_docs *c = dedup_docs_new(7);
	CHECK(c != NULL);
	if (!c)
		return;
	uint32_t set[2] = { 11, 12 };
	dedup_doc d, g;
	const int64_t n = 400000;
	size_t lo = SIZE_MAX, hi = 0; /* rows found every 9,973 puts */
	for (int64_t id = 1; id <= n; id++) {
		doc_init(&d, id, id, "2024-01-02");
		dedup_docs_put(c, &d, set, 2);
		if (id % 9973 == 0 && id > 140000) {
			size_t k = found(c, id - 65535, id);
			CHECK_INT(k, 65536); /* the newest 65,536, always */
			k = found(c, 1, id);
			lo = k < lo ? k : lo;
			hi = k > hi ? k : hi;
		}
	}
	CHECK(lo >= 131072 && hi <= 2 * 131072 && lo < hi);
	CHECK_INT(dedup_docs_get(c, 1, 1, &g), 0); /* long gone */
	/* a row of the older generation put again: the new one read */
	int64_t old = n - 131072 - (n % 131072) / 2;
	if (dedup_docs_get(c, old, 1, &g)) {
		doc_init(&d, old, 9, "");
		dedup_docs_put(c, &d, NULL, 0);
		CHECK_INT(dedup_docs_get(c, old, 1, &g), 1);
		CHECK_INT(g.grp, 9);
		CHECK_INT(g.nset, 0);
	}
	dedup_docs_regroup(c, n, 3);        /* the newest row */
	dedup_docs_regroup(c, old - 1, 3);  /* a row of the older one */
	CHECK_INT(dedup_docs_get(c, n, 0, &g), 1);
	CHECK_INT(g.grp, 3);
	CHECK_INT(dedup_docs_get(c, old - 1, 0, &g), 1);
	CHECK_INT(g.grp, 3);
	/* sets of 80 kB: the bytes' ceiling comes first */
	uint32_t *big = calloc(20000, sizeof *big);
	CHECK(big != NULL);
	for (int64_t id = n + 1; big && id <= n + 3000; id++) {
		doc_init(&d, id, 1, "");
		dedup_docs_put(c, &d, big, 20000);
	}
	size_t k = found(c, n + 1, n + 3000);
	CHECK(k >= 1000 && k < 3000);
	CHECK_INT(found(c, n + 2001, n + 3000), 1000);
	free(big);
	dedup_docs_free(c);
}

static const th_test tests[] = {
	TEST(test_docs_rows),
	TEST(test_docs_generations),
	TEST(test_docs_merge_same_tx),
	TEST(test_docs_merge_other_connection),
};

TH_MAIN("dedup_docs", tests)
