/*
 * fts_tok: FTS5's "unicode61" tokenizer with an ASCII fast path (see
 * fts_tok.h).
 *
 * Design note: indexing an article's headline and text in FTS5 was 172 M
 * instructions of 4,075 M on 2,000 Reuters stories, all on the store
 * thread; 38 M of it the built-in tokenizer's byte loop (UTF-8 decoding,
 * a fold buffer it copies every token into).  This wrapper keeps the
 * built-in's instance (same arguments, so the same errors) and, when the
 * arguments leave the ASCII classes at their defaults (only
 * remove_diacritics given; any tokenchars, separators or categories
 * argument sends every call to the built-in), splits the text itself:
 * with the default categories (L* N* Co) an ASCII byte is a token
 * character exactly when it is a letter or digit, every other ASCII byte
 * ends a token, and A-Z fold to a-z whatever remove_diacritics says.
 *
 * A run of bytes between two ASCII separators (or the text's ends) that
 * holds a byte >= 0x80 goes to the built-in as a text of its own, its
 * offsets moved by the run's start.  That is exact: the built-in reads
 * one code point at a time with no state but "in a token or not", an
 * ASCII separator always ends a token and is never part of a UTF-8
 * sequence, so the run starts and ends outside any token as it would in
 * the whole text.  A token whose fold would need more than TOK_FOLD_MAX
 * bytes goes the same way, so there is no buffer to grow.  All-lower-case
 * tokens are passed straight from the text (the caller copies them).
 * The built-in's stop rule is kept: a callback's SQLITE_DONE ends the
 * call with SQLITE_OK, any other code ends it with that code.
 *
 * With SSE2 (every x86-64) the text is read 64 bytes a step into three
 * bit masks (token bytes, A-Z, >= 0x80) and a folded copy, and tokens
 * are the runs of set bits, found with count-trailing-zeros: a token
 * costs a few instructions whatever its length, and one inside a step
 * is passed from the folded copy.  Elsewhere, a byte at a time through
 * a class table.  2,000 Reuters stories: tokenizer 37.6 M -> 19.5 M
 * instructions (the FTS5 hash it feeds is another 96 M, unchanged).
 * tests/unit/test_fts_tok.c runs both paths against the built-in.
 */
#include "store/fts_tok.h"

#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define TOK_FOLD_MAX 256

/* Byte classes: 0 separator, C_LOW a-z and 0-9, C_UP A-Z, C_HI a byte of
 * a non-ASCII UTF-8 sequence (or a stray one). */
enum { C_LOW = 1, C_UP = 2, C_HI = 4 };

#define H4 4, 4, 4, 4
#define H16 H4, H4, H4, H4
static const unsigned char cls[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, /* 0-9 */
	0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* A-O */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0, /* P-Z */
	0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* a-o */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, /* p-z */
	H16, H16, H16, H16, H16, H16, H16, H16,
};
#undef H16
#undef H4

typedef int (*tok_cb)(void *ctx, int flags, const char *tok, int n,
		      int start, int end);

/* How an instance splits text: through the built-in (arguments other
 * than remove_diacritics), a byte at a time, or 64 bytes a step. */
enum { TOK_BUILTIN, TOK_BYTES, TOK_BLOCKS };

/* Per connection: the tokenizer "unicode61" named before ours, and the
 * fast path to use (TOK_BYTES or TOK_BLOCKS). */
typedef struct tok_base {
	fts5_tokenizer x;
	void *ud;
	int fast;
} tok_base;

/* Per FTS5 table: the built-in's instance, and how to split. */
typedef struct tok_inst {
	fts5_tokenizer x;
	Fts5Tokenizer *inner;
	int fast;
} tok_inst;

struct fts5_api *fts_tok_api(sqlite3 *h)
{
	fts5_api *api = NULL;
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(h, "SELECT fts5(?1)", -1, &s, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_pointer(s, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(s);
	sqlite3_finalize(s);
	return api;
}

static int tok_create(void *ud, const char **arg, int narg,
		      Fts5Tokenizer **out)
{
	const tok_base *b = ud;
	tok_inst *t = sqlite3_malloc(sizeof *t);
	*out = NULL;
	if (!t)
		return SQLITE_NOMEM;
	t->x = b->x;
	t->inner = NULL;
	int rc = b->x.xCreate(b->ud, arg, narg, &t->inner);
	if (rc != SQLITE_OK) {
		sqlite3_free(t);
		return rc;
	}
	t->fast = b->fast;
	for (int i = 0; i < narg; i += 2)
		if (sqlite3_stricmp(arg[i], "remove_diacritics") != 0)
			t->fast = TOK_BUILTIN;
	*out = (Fts5Tokenizer *)t;
	return SQLITE_OK;
}

static void tok_delete(Fts5Tokenizer *p)
{
	tok_inst *t = (tok_inst *)p;
	if (!t)
		return;
	t->x.xDelete(t->inner);
	sqlite3_free(t);
}

/* A run handed to the built-in: its tokens' offsets moved by off, and
 * the caller's last answer kept (the built-in turns SQLITE_DONE into
 * SQLITE_OK, which must still stop the whole text). */
typedef struct tok_run {
	void *ctx;
	tok_cb cb;
	int off;
	int rc;
} tok_run;

static int run_cb(void *ctx, int flags, const char *tok, int n, int start,
		  int end)
{
	tok_run *r = ctx;
	r->rc = r->cb(r->ctx, flags, tok, n, start + r->off, end + r->off);
	return r->rc;
}

static int tok_run_builtin(const tok_inst *t, void *ctx, int flags,
			   const char *text, int start, int end, tok_cb cb)
{
	tok_run r = { ctx, cb, start, SQLITE_OK };
	int rc = t->x.xTokenize(t->inner, &r, flags, text + start,
				end - start, run_cb);
	return rc != SQLITE_OK ? rc : r.rc;
}

/* One token, text[s, e), whose bytes hold the classes any (C_UP, C_HI):
 * to the callback as it is, folded, or through the built-in. */
static inline int emit(const tok_inst *t, void *ctx, int flags,
		       const char *text, int s, int e, unsigned any, tok_cb cb)
{
	if (!any)
		return cb(ctx, 0, text + s, e - s, s, e);
	if (any == C_UP && e - s <= TOK_FOLD_MAX) {
		const unsigned char *u = (const unsigned char *)text;
		char fold[TOK_FOLD_MAX];
		for (int k = s; k < e; k++) /* C_UP << 4 is 'a' - 'A' */
			fold[k - s] = (char)(u[k] | (cls[u[k]] & C_UP) << 4);
		return cb(ctx, 0, fold, e - s, s, e);
	}
	return tok_run_builtin(t, ctx, flags, text, s, e, cb);
}

#ifdef __SSE2__
/* 64 bytes at p as bit masks (bit k for p[k]): *tok the bytes that are
 * no ASCII separator (letters, digits, >= 0x80), *up A-Z, *hi >= 0x80;
 * and the bytes with A-Z folded into low[64].  Signed compares: a byte
 * >= 0x80 is below every ASCII bound. */
static inline void block_masks(const unsigned char *p, uint64_t *tok,
			       uint64_t *up, uint64_t *hi, char *low)
{
	const __m128i b20 = _mm_set1_epi8(0x20);
	const __m128i a0 = _mm_set1_epi8('a' - 1), z1 = _mm_set1_epi8('z' + 1);
	const __m128i A0 = _mm_set1_epi8('A' - 1), Z1 = _mm_set1_epi8('Z' + 1);
	const __m128i d0 = _mm_set1_epi8('0' - 1), d1 = _mm_set1_epi8('9' + 1);
	uint64_t tm = 0, um = 0, hm = 0;
	for (int k = 0; k < 4; k++) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
		__m128i l = _mm_or_si128(v, b20);
		__m128i alpha = _mm_and_si128(_mm_cmpgt_epi8(l, a0), _mm_cmpgt_epi8(z1, l));
		__m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, d0), _mm_cmpgt_epi8(d1, v));
		__m128i upper = _mm_and_si128(_mm_cmpgt_epi8(v, A0), _mm_cmpgt_epi8(Z1, v));
		__m128i any = _mm_or_si128(_mm_or_si128(alpha, digit), v);
		_mm_storeu_si128((__m128i *)(void *)(low + 16 * k),
				 _mm_or_si128(v, _mm_and_si128(upper, b20)));
		tm |= (uint64_t)(unsigned)_mm_movemask_epi8(any) << (16 * k);
		um |= (uint64_t)(unsigned)_mm_movemask_epi8(upper) << (16 * k);
		hm |= (uint64_t)(unsigned)_mm_movemask_epi8(v) << (16 * k);
	}
	*tok = tm;
	*up = um;
	*hi = hm;
}

/* 64 bytes a step: tokens are the runs of set bits of the block's mask,
 * found with count-trailing-zeros; a token may run on into the next
 * block.  The last, short block is copied into a zeroed one (NUL is a
 * separator, so nothing past the text joins a token). */
static int tokenize_blocks(const tok_inst *t, void *ctx, int flags,
			   const char *text, int n, tok_cb cb)
{
	const unsigned char *u = (const unsigned char *)text;
	unsigned char pad[64];
	char low[64];
	int s = -1; /* start of the token in progress, -1: none */
	unsigned any = 0;
	for (int base = 0; base < n; base += 64) {
		const unsigned char *p = u + base;
		if (n - base < 64) {
			memset(pad, 0, sizeof pad);
			memcpy(pad, p, (size_t)(n - base));
			p = pad;
		}
		uint64_t tm, um, hm;
		block_masks(p, &tm, &um, &hm, low);
		int off = 0; /* always < 64 */
		for (;;) {
			if (s < 0) {
				uint64_t m = tm >> off << off;
				if (!m)
					break;
				off = __builtin_ctzll(m);
				s = base + off;
				any = 0;
			}
			uint64_t from = ~(uint64_t)0 << off;
			uint64_t z = ~tm & from;
			if (!z) { /* runs on into the next block */
				any |= (um & from ? C_UP : 0) | (hm & from ? C_HI : 0);
				break;
			}
			int e = __builtin_ctzll(z);
			uint64_t r = from & (((uint64_t)1 << e) - 1);
			any |= (um & r ? C_UP : 0) | (hm & r ? C_HI : 0);
			int rc;
			if (any == C_UP && s >= base) /* folded in this block */
				rc = cb(ctx, 0, low + (s - base), base + e - s, s, base + e);
			else
				rc = emit(t, ctx, flags, text, s, base + e, any, cb);
			if (rc != SQLITE_OK)
				return rc == SQLITE_DONE ? SQLITE_OK : rc;
			s = -1;
			off = e;
		}
	}
	if (s >= 0) { /* the text (a multiple of 64 bytes) ends in a token */
		int rc = emit(t, ctx, flags, text, s, n, any, cb);
		return rc == SQLITE_DONE ? SQLITE_OK : rc;
	}
	return SQLITE_OK;
}
#endif

/* A byte at a time, with the class table (no SSE2, or asked for). */
static int tokenize_bytes(const tok_inst *t, void *ctx, int flags,
			  const char *text, int n, tok_cb cb)
{
	const unsigned char *u = (const unsigned char *)text;
	int i = 0, rc = SQLITE_OK;
	while (rc == SQLITE_OK) {
		while (i < n && !cls[u[i]])
			i++;
		if (i >= n)
			break;
		int s = i;
		unsigned any = 0, c;
		while (i < n && (c = cls[u[i]]) != 0) {
			any |= c;
			i++;
		}
		rc = emit(t, ctx, flags, text, s, i, any & (C_UP | C_HI), cb);
	}
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int tok_tokenize(Fts5Tokenizer *p, void *ctx, int flags,
			const char *text, int n, tok_cb cb)
{
	const tok_inst *t = (const tok_inst *)p;
	if (t->fast == TOK_BYTES)
		return tokenize_bytes(t, ctx, flags, text, n, cb);
#ifdef __SSE2__
	if (t->fast == TOK_BLOCKS)
		return tokenize_blocks(t, ctx, flags, text, n, cb);
#endif
	return t->x.xTokenize(t->inner, ctx, flags, text, n, cb);
}

static int tok_register(sqlite3 *h, int fast)
{
	fts5_api *api = fts_tok_api(h);
	if (!api || api->iVersion < 2)
		return SQLITE_ERROR;
	tok_base *b = sqlite3_malloc(sizeof *b);
	if (!b)
		return SQLITE_NOMEM;
	memset(b, 0, sizeof *b);
	b->fast = fast;
	int rc = api->xFindTokenizer(api, "unicode61", &b->ud, &b->x);
	if (rc == SQLITE_OK) {
		fts5_tokenizer mine = { tok_create, tok_delete, tok_tokenize };
		rc = api->xCreateTokenizer(api, "unicode61", b, &mine,
					   sqlite3_free);
	}
	if (rc != SQLITE_OK) /* FTS5 keeps b (and frees it) only on success */
		sqlite3_free(b);
	return rc;
}

int fts_tok_register(sqlite3 *h)
{
#ifdef __SSE2__
	return tok_register(h, TOK_BLOCKS);
#else
	return tok_register(h, TOK_BYTES);
#endif
}

int fts_tok_register_bytes(sqlite3 *h)
{
	return tok_register(h, TOK_BYTES);
}
