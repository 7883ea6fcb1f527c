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
 */
#include "store/fts_tok.h"

#include <string.h>

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

/* Per connection: the tokenizer "unicode61" named before ours. */
typedef struct tok_base {
	fts5_tokenizer x;
	void *ud;
} tok_base;

/* Per FTS5 table: the built-in's instance, and whether the fast path
 * applies to its arguments. */
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
	t->fast = 1;
	for (int i = 0; i < narg; i += 2)
		if (sqlite3_stricmp(arg[i], "remove_diacritics") != 0)
			t->fast = 0;
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

static int tok_tokenize(Fts5Tokenizer *p, void *ctx, int flags,
			const char *text, int n, tok_cb cb)
{
	const tok_inst *t = (const tok_inst *)p;
	if (!t->fast)
		return t->x.xTokenize(t->inner, ctx, flags, text, n, cb);
	const unsigned char *u = (const unsigned char *)text;
	char fold[TOK_FOLD_MAX];
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
		if (any == C_LOW) {
			rc = cb(ctx, 0, text + s, i - s, s, i);
		} else if (any < C_HI && i - s <= TOK_FOLD_MAX) {
			for (int k = s; k < i; k++) /* C_UP << 4 is 'a' - 'A' */
				fold[k - s] = (char)(u[k] | (cls[u[k]] & C_UP) << 4);
			rc = cb(ctx, 0, fold, i - s, s, i);
		} else {
			rc = tok_run_builtin(t, ctx, flags, text, s, i, cb);
		}
	}
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int fts_tok_register(sqlite3 *h)
{
	fts5_api *api = fts_tok_api(h);
	if (!api || api->iVersion < 2)
		return SQLITE_ERROR;
	tok_base *b = sqlite3_malloc(sizeof *b);
	if (!b)
		return SQLITE_NOMEM;
	memset(b, 0, sizeof *b);
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
