/*
 * fts_tok: FTS5's "unicode61" tokenizer with an ASCII fast path (see
 * fts_tok.c).
 *
 * Design note: registered under the built-in's own name on every
 * connection chronicle opens, so the schema (tokenize='unicode61
 * remove_diacritics 2') does not change and a plain sqlite3 shell reads
 * the same file with the same results.  It produces exactly the
 * built-in's tokens, offsets and flags; tests/unit/test_fts_tok.c runs
 * both over random texts.  Internal prefix: fts_tok_.
 */
#ifndef CHR_FTS_TOK_H
#define CHR_FTS_TOK_H

#include <sqlite3.h>

/* The connection's FTS5 API (NULL when SQLite has no FTS5). */
struct fts5_api *fts_tok_api(sqlite3 *h);

/* Register the fast "unicode61" on h; it wraps the one registered there
 * before (the built-in).  FTS5 looks tokenizers up newest first, so every
 * FTS5 table h opens afterwards uses it.  Returns an SQLite result code. */
int fts_tok_register(sqlite3 *h);

/* The same with the portable byte-at-a-time loop, whatever the machine
 * (fts_tok_register takes 64 bytes a step with SSE2): for the tests. */
int fts_tok_register_bytes(sqlite3 *h);

#endif
