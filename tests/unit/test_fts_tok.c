/*
 * test_fts_tok: the fast "unicode61" (src/store/fts_tok.c) against
 * SQLite's built-in one, token by token.
 *
 * Design note: differential.  One in-memory connection has the fast
 * tokenizer registered, another is left plain; both tokenizers are
 * fetched by name (xFindTokenizer, FTS5's own lookup) and run over the
 * same texts with the same arguments: random ASCII (letters of both
 * cases, digits, punctuation, control bytes, NUL, tokens longer than the
 * fold buffer), random mixes with UTF-8 (accents, combining marks,
 * curly quotes, no-break spaces, CJK, stray and cut sequences), and
 * callbacks that stop early with SQLITE_DONE or an error.  Every token's
 * bytes, flags and offsets, and every return code, must be the same.  An
 * FTS5 table on each connection must end with the same index blobs and
 * the same answers; and chr_db_open's connection must find the fast one
 * under the built-in's name, which a table then uses (newest wins).
 */
#include "harness.h"

#include <sqlite3.h>
#include <stdint.h>

#include "store/fts_tok.h"
#include "store/store.h"
#include <unistd.h>

/* ---- recording ---- */

/* Every token of one call, flattened: "flags start end n:" and the bytes.
 * A fixed buffer; overflowing it is a failed test, not a crash. */
typedef struct rec {
	char b[1 << 16];
	size_t n;
	int ntok;
	int stop_at;  /* answer stop_rc to token number stop_at (0: never) */
	int stop_rc;
	int overflow;
} rec;

static int rec_cb(void *ctx, int flags, const char *tok, int n, int start,
		  int end)
{
	rec *r = ctx;
	char head[64];
	int h = snprintf(head, sizeof head, "%d %d %d %d:", flags, start, end, n);
	if (n < 0 || r->n + (size_t)h + (size_t)n + 1 > sizeof r->b) {
		r->overflow = 1;
	} else {
		memcpy(r->b + r->n, head, (size_t)h);
		memcpy(r->b + r->n + h, tok, (size_t)n);
		r->n += (size_t)h + (size_t)n;
		r->b[r->n++] = '\n';
	}
	r->ntok++;
	return r->ntok == r->stop_at ? r->stop_rc : SQLITE_OK;
}

/* ---- the two tokenizers ---- */

static sqlite3 *fast_h, *bytes_h, *plain_h;
static fts5_tokenizer fast_x, bytes_x, plain_x;
static void *fast_ud, *bytes_ud, *plain_ud;

static int setup(void)
{
	if (fast_h)
		return 1;
	if (sqlite3_open(":memory:", &fast_h) || sqlite3_open(":memory:", &plain_h) ||
	    sqlite3_open(":memory:", &bytes_h))
		return 0;
	if (fts_tok_register(fast_h) != SQLITE_OK ||
	    fts_tok_register_bytes(bytes_h) != SQLITE_OK)
		return 0;
	fts5_api *fa = fts_tok_api(fast_h), *pa = fts_tok_api(plain_h);
	fts5_api *ba = fts_tok_api(bytes_h);
	if (!fa || !pa || !ba)
		return 0;
	return fa->xFindTokenizer(fa, "unicode61", &fast_ud, &fast_x) == SQLITE_OK &&
	       ba->xFindTokenizer(ba, "unicode61", &bytes_ud, &bytes_x) == SQLITE_OK &&
	       pa->xFindTokenizer(pa, "unicode61", &plain_ud, &plain_x) == SQLITE_OK;
}

typedef struct args {
	const char *a[6];
	int n;
} args;

static const args arg_sets[] = {
	{ { "remove_diacritics", "2" }, 2 }, /* chronicle's schema */
	{ { 0 }, 0 },
	{ { "remove_diacritics", "0" }, 2 },
	{ { "REMOVE_DIACRITICS", "1" }, 2 },
	{ { "remove_diacritics", "2", "remove_diacritics", "0" }, 4 },
	{ { "tokenchars", "-_." }, 2 },
	{ { "separators", "eX1" }, 2 },
	{ { "categories", "L* N* Co Sc Pd" }, 2 },
	{ { "remove_diacritics", "2", "tokenchars", "'" }, 4 },
	{ { "categories", "Lu" }, 2 },
};
#define N_ARGS (sizeof arg_sets / sizeof arg_sets[0])

static rec ra, rb;

/* Run x and the built-in over text with arg set k; 1 when they agree in
 * everything. */
static int same_as(const fts5_tokenizer *x, void *ud, size_t k,
		   const char *text, int n, int flags, int stop_at, int stop_rc)
{
	const char *a[6];
	memcpy(a, arg_sets[k].a, sizeof a);
	Fts5Tokenizer *ta = NULL, *tb = NULL;
	int ca = x->xCreate(ud, a, arg_sets[k].n, &ta);
	int cb = plain_x.xCreate(plain_ud, a, arg_sets[k].n, &tb);
	if (ca != cb || ca != SQLITE_OK) {
		if (ta)
			x->xDelete(ta);
		if (tb)
			plain_x.xDelete(tb);
		return ca == cb;
	}
	memset(&ra, 0, sizeof ra);
	memset(&rb, 0, sizeof rb);
	ra.stop_at = rb.stop_at = stop_at;
	ra.stop_rc = rb.stop_rc = stop_rc;
	int rca = x->xTokenize(ta, &ra, flags, text, n, rec_cb);
	int rcb = plain_x.xTokenize(tb, &rb, flags, text, n, rec_cb);
	x->xDelete(ta);
	plain_x.xDelete(tb);
	int ok = rca == rcb && !ra.overflow && !rb.overflow && ra.n == rb.n &&
		 ra.ntok == rb.ntok && memcmp(ra.b, rb.b, ra.n) == 0;
	if (!ok)
		fprintf(stderr, "  differ (args %zu, %d bytes, rc %d/%d, %d/%d "
			"tokens):\n%.*s---\n%.*s", k, n, rca, rcb, ra.ntok,
			rb.ntok, (int)(ra.n < 400 ? ra.n : 400), ra.b,
			(int)(rb.n < 400 ? rb.n : 400), rb.b);
	return ok;
}

/* Both fast paths (64 bytes a step, a byte at a time) against the
 * built-in. */
static int same(size_t k, const char *text, int n, int flags, int stop_at,
		int stop_rc)
{
	return same_as(&bytes_x, bytes_ud, k, text, n, flags, stop_at, stop_rc) &&
	       same_as(&fast_x, fast_ud, k, text, n, flags, stop_at, stop_rc);
}

/* ---- random texts ---- */

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t rnd(uint32_t below)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % below);
}

static const char ascii_pick[] =
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	"eeeaaaoooEEE      ,.;:'\"-_()[]{}<>!?@#$%^&*+=/\\|`~\t\n\r\x01\x1f\x7f";

/* UTF-8 pieces: accents, combining marks, quotes, spaces, other
 * scripts, private use, an emoji, and broken sequences. */
static const char *const utf8_pick[] = {
	"\xc3\xa9", "\xc3\x89", "e\xcc\x81", "\xcc\x81", "\xe2\x80\x99",
	"\xe2\x80\x9c", "\xc2\xa0", "\xe2\x80\x94", "\xe4\xb8\xad\xe6\x96\x87",
	"\xd0\x9c\xd0\xbe\xd1\x81", "\xc3\x9f", "\xef\xac\x81", "\xee\x80\x80",
	"\xf0\x9f\x98\x80", "\x80", "\xbf", "\xc3", "\xe2\x80", "\xff", "\xfe",
	"\xc2\xb2", "\xd9\xa3", "\xe2\x82\xac", "\xc5\x81", "\xe1\xba\x9e",
};
#define N_UTF8 (sizeof utf8_pick / sizeof utf8_pick[0])

/* A random text into buf (cap bytes at most); utf8: mix in UTF-8 pieces. */
static int random_text(char *buf, int cap, int utf8)
{
	int len = (int)rnd(4) == 0 ? (int)rnd((uint32_t)cap - 8) : (int)rnd(120);
	int n = 0;
	while (n < len) {
		uint32_t r = rnd(100);
		if (utf8 && r < 8) {
			const char *p = utf8_pick[rnd(N_UTF8)];
			size_t l = strlen(p);
			if (n + (int)l > cap)
				break;
			memcpy(buf + n, p, l);
			n += (int)l;
		} else if (r < 10) { /* a long run, upper or lower */
			int run = (int)rnd(600);
			char base = rnd(2) ? 'A' : 'a';
			for (int i = 0; i < run && n < cap; i++)
				buf[n++] = (char)(base + rnd(26));
		} else if (r < 11) {
			buf[n++] = '\0';
		} else {
			buf[n++] = ascii_pick[rnd(sizeof ascii_pick - 1)];
		}
	}
	return n;
}

/* ---- tests ---- */

static char text[4096];

static void test_random_ascii(void)
{
	CHECK(setup());
	int bad = 0;
	for (int i = 0; i < 20000 && bad < 3; i++) {
		int n = random_text(text, sizeof text, 0);
		size_t k = i % 3 ? 0 : (size_t)rnd(N_ARGS);
		int flags = (int)rnd(4) == 0 ? FTS5_TOKENIZE_QUERY : FTS5_TOKENIZE_DOCUMENT;
		if (!same(k, text, n, flags, 0, 0))
			bad++;
	}
	CHECK_INT(bad, 0);
}

static void test_random_utf8(void)
{
	CHECK(setup());
	int bad = 0;
	for (int i = 0; i < 20000 && bad < 3; i++) {
		int n = random_text(text, sizeof text, 1);
		size_t k = i % 3 ? 0 : (size_t)rnd(N_ARGS);
		if (!same(k, text, n, FTS5_TOKENIZE_DOCUMENT, 0, 0))
			bad++;
	}
	CHECK_INT(bad, 0);
}

static void test_fixed_texts(void)
{
	CHECK(setup());
	static const char *const t[] = {
		"", " ", "a", "A", "Hello, World! 123abc", "U.S. OIL-PRICES rose 2.5 pct",
		"caf\xc3\xa9 Caf\xc3\x89 CAFE\xcc\x81", "don\xe2\x80\x99t \xe2\x80\x9cQuote\xe2\x80\x9d",
		"a\xc2\xa0" "b", "\xc3", "x\xe2\x80", "\x80x", "tail end",
		"trailing ", "  lead", "x\tY\nz\rW", "\xef\xac\x81nance \xc3\x9f",
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		for (size_t k = 0; k < N_ARGS; k++)
			CHECK(same(k, t[i], (int)strlen(t[i]), 0, 0, 0));
	/* a NULL text of length 0, as FTS5 passes for a NULL column */
	CHECK(same(0, NULL, 0, 0, 0, 0));
	/* the NUL byte is a separator, not an end */
	CHECK(same(0, "ab\0CD", 5, 0, 0, 0));
	CHECK_INT(ra.ntok, 2);
}

/* Texts around the 64-byte steps: tokens that end at, cross or run to
 * the end of a step, texts of 63 to 129 bytes. */
static void test_block_edges(void)
{
	CHECK(setup());
	char t[200];
	for (int len = 1; len <= 129; len++)
		for (int gap = 0; gap < 6; gap++) {
			for (int i = 0; i < len; i++)
				t[i] = (char)(gap && i % (gap * 11) == gap * 11 - 1
						      ? ' ' : (i % 3 ? 'a' + i % 26 : 'A' + i % 26));
			CHECK(same(0, t, len, 0, 0, 0));
			t[len / 2] = '\xc3'; /* a cut sequence mid-text */
			CHECK(same(0, t, len, 0, 0, 0));
		}
	memset(t, 'x', 128);
	CHECK(same(0, t, 128, 0, 0, 0));
	CHECK_INT(ra.ntok, 1);
	t[63] = '.';
	CHECK(same(0, t, 128, 0, 0, 0));
	CHECK_INT(ra.ntok, 2);
}

/* The callback stopping at every token: SQLITE_DONE ends the call with
 * SQLITE_OK, another code is returned, in both tokenizers alike, also
 * when the stop comes inside a run handed to the built-in. */
static void test_stop_early(void)
{
	CHECK(setup());
	static const char *const t[] = {
		"One two THREE four five",
		"caf\xc3\xa9 au lait, cr\xc3\xa8me BR\xc3\x9bL\xc3\x89" "E and more words",
		"x\xe2\x80\x99y\xe2\x80\x99z end",
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		for (int at = 1; at <= 8; at++) {
			CHECK(same(0, t[i], (int)strlen(t[i]), 0, at, SQLITE_DONE));
			CHECK(same(0, t[i], (int)strlen(t[i]), 0, at, SQLITE_ABORT));
		}
	CHECK(same(0, t[0], (int)strlen(t[0]), 0, 2, SQLITE_DONE));
	CHECK_INT(ra.ntok, 2);
}

static void test_bad_arguments(void)
{
	CHECK(setup());
	const char *bad1[] = { "remove_diacritics", "3" };
	const char *bad2[] = { "remove_diacritics" };
	const char *bad3[] = { "nonsense", "1" };
	Fts5Tokenizer *t = NULL;
	CHECK(fast_x.xCreate(fast_ud, bad1, 2, &t) != SQLITE_OK && !t);
	CHECK(fast_x.xCreate(fast_ud, bad2, 1, &t) != SQLITE_OK && !t);
	CHECK(fast_x.xCreate(fast_ud, bad3, 2, &t) != SQLITE_OK && !t);
}

/* One SQL result as "rows:hash" (FNV-1a over every value's bytes and
 * type), for comparing two connections. */
static void dump(sqlite3 *h, const char *sql, char *out, size_t cap)
{
	sqlite3_stmt *s = NULL;
	uint64_t f = 0xcbf29ce484222325ULL;
	int rows = 0;
	CHECK_INT(sqlite3_prepare_v2(h, sql, -1, &s, NULL), SQLITE_OK);
	while (s && sqlite3_step(s) == SQLITE_ROW) {
		rows++;
		for (int c = 0; c < sqlite3_column_count(s); c++) {
			const unsigned char *v = sqlite3_column_blob(s, c);
			int n = sqlite3_column_bytes(s, c);
			f = (f ^ (uint64_t)sqlite3_column_type(s, c)) * 0x100000001b3ULL;
			for (int i = 0; i < n; i++)
				f = (f ^ v[i]) * 0x100000001b3ULL;
			f = (f ^ 0xff) * 0x100000001b3ULL;
		}
	}
	sqlite3_finalize(s);
	snprintf(out, cap, "%d:%016llx", rows, (unsigned long long)f);
}

static char da[64], db_[64];

/* The same documents through an FTS5 table on each connection: the same
 * index blobs, the same matches and snippets. */
static void test_same_index(void)
{
	CHECK(setup());
	const char *mk = "CREATE TABLE t_ (rowid INTEGER PRIMARY KEY, a, b);"
			 "CREATE VIRTUAL TABLE t USING fts5(a, b, content='t_',"
			 " content_rowid='rowid', tokenize='unicode61 remove_diacritics 2');"
			 "INSERT INTO t(t, rank) VALUES('pgsz', 4050);";
	CHECK_INT(sqlite3_exec(fast_h, mk, NULL, NULL, NULL), SQLITE_OK);
	CHECK_INT(sqlite3_exec(plain_h, mk, NULL, NULL, NULL), SQLITE_OK);
	sqlite3 *hs[2] = { fast_h, plain_h };
	for (int h = 0; h < 2; h++) {
		sqlite3_stmt *s = NULL;
		rng = 12345;
		sqlite3_exec(hs[h], "BEGIN", NULL, NULL, NULL);
		CHECK_INT(sqlite3_prepare_v2(hs[h], "INSERT INTO t_ (a, b) VALUES (?1, ?2)",
					     -1, &s, NULL), SQLITE_OK);
		for (int i = 0; i < 600; i++) {
			int n = random_text(text, 200, i % 4 == 0);
			sqlite3_bind_text(s, 1, text, n, SQLITE_TRANSIENT);
			n = random_text(text, sizeof text, i % 4 == 0);
			sqlite3_bind_text(s, 2, text, n, SQLITE_TRANSIENT);
			CHECK_INT(sqlite3_step(s), SQLITE_DONE);
			sqlite3_reset(s);
		}
		sqlite3_finalize(s);
		CHECK_INT(sqlite3_exec(hs[h], "INSERT INTO t (rowid, a, b) SELECT rowid,"
				       " a, b FROM t_; COMMIT", NULL, NULL, NULL), SQLITE_OK);
	}
	dump(fast_h, "SELECT id, hex(block) FROM t_data ORDER BY id", da, sizeof da);
	dump(plain_h, "SELECT id, hex(block) FROM t_data ORDER BY id", db_, sizeof db_);
	CHECK(atoi(da) > 20); /* index rows: segments' leaves, not one blob */
	CHECK_STR(da, db_);
	static const char *const q[] = { "abc", "e*", "a OR zz", "caf\xc3\xa9", "A B",
					 "\"ab cd\"", "x NOT y", "b: q*" };
	for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
		char sql[256];
		snprintf(sql, sizeof sql, "SELECT rowid, snippet(t, 1, '[', ']', '', 8),"
			 " bm25(t) FROM t WHERE t MATCH '%s' ORDER BY rank", q[i]);
		dump(fast_h, sql, da, sizeof da);
		dump(plain_h, sql, db_, sizeof db_);
		CHECK_STR(da, db_);
	}
	dump(fast_h, "SELECT rowid FROM t WHERE t MATCH 'e*'", da, sizeof da);
	CHECK(atoi(da) > 100);
}

/* A tokenizer that answers one token, "marker", whatever the text. */
static int mark_create(void *ud, const char **a, int n, Fts5Tokenizer **out)
{
	(void)a;
	(void)n;
	*out = ud;
	return SQLITE_OK;
}
static void mark_delete(Fts5Tokenizer *t)
{
	(void)t;
}
static int mark_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *p,
			 int n, int (*cb)(void *, int, const char *, int, int, int))
{
	(void)t;
	(void)flags;
	(void)p;
	return cb(ctx, 0, "marker", 6, 0, n);
}

/* chr_db_open's connection finds the fast tokenizer under the built-in's
 * name, and FTS5 gives a table the newest tokenizer of a name: one more
 * "unicode61" registered on top is the one a new table tokenizes with. */
static void test_newest_wins(void)
{
	CHECK(setup());
	CHECK(fast_x.xTokenize != plain_x.xTokenize);
	CHECK(bytes_x.xTokenize != plain_x.xTokenize);
	char path[64];
	snprintf(path, sizeof path, "/tmp/chr_fts_tok_%d.db", (int)getpid());
	th_rm_db(path);
	chr_db *db = NULL;
	CHECK_INT(chr_db_open(path, &db), CHR_OK);
	if (!db)
		return;
	fts5_api *api = fts_tok_api(db->h);
	fts5_tokenizer x;
	void *ud = NULL;
	CHECK(api && api->xFindTokenizer(api, "unicode61", &ud, &x) == SQLITE_OK);
	CHECK(api && x.xTokenize == fast_x.xTokenize);
	chr_db_close(db);
	th_rm_db(path);

	sqlite3 *h = NULL;
	CHECK_INT(sqlite3_open(":memory:", &h), SQLITE_OK);
	CHECK_INT(fts_tok_register(h), SQLITE_OK);
	api = fts_tok_api(h);
	fts5_tokenizer mark = { mark_create, mark_delete, mark_tokenize };
	static int dummy;
	CHECK(api && api->xCreateTokenizer(api, "unicode61", &dummy, &mark, NULL) == SQLITE_OK);
	char out[64];
	CHECK_INT(sqlite3_exec(h, "CREATE VIRTUAL TABLE m USING fts5(a,"
			       " tokenize='unicode61 remove_diacritics 2');"
			       "INSERT INTO m VALUES ('plain words')", NULL, NULL, NULL),
		  SQLITE_OK);
	dump(h, "SELECT rowid FROM m WHERE m MATCH 'marker'", out, sizeof out);
	CHECK(atoi(out) == 1);
	sqlite3_close(h);
}

static const th_test tests[] = {
	TEST(test_random_ascii),
	TEST(test_random_utf8),
	TEST(test_fixed_texts),
	TEST(test_block_edges),
	TEST(test_stop_early),
	TEST(test_bad_arguments),
	TEST(test_same_index),
	TEST(test_newest_wins),
};

int main(void)
{
	int rc = th_run("fts_tok", tests, sizeof tests / sizeof tests[0]);
	sqlite3_close(fast_h);
	sqlite3_close(plain_h);
	sqlite3_close(bytes_h);
	return rc;
}
