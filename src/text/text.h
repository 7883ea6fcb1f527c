/*
 * text: tokens and sentences with byte offsets, for every later stage.
 *
 * Design note: the tokenizer is a cursor that yields one token at a time
 * from a byte range, so a caller can fill an arena vector (text_run), a
 * fixed array (text_tokenize), or stream tokens into a tagger without
 * storing them.  It is one forward pass with bounded look-ahead, no
 * allocation and no regex: ASCII is classified by a byte table, other
 * code points by utf8proc's category table.  Sentence splitting is a second,
 * separate pass over the tokens that only sets TOK_SENT_START, so a stage
 * that tokenizes plain text (NER on CoNLL input, the time tagger on
 * TimeML) can split it the same way the pipeline does.  Knowledge about
 * abbreviations and sentence starters lives in two small sorted tables in
 * abbrev.c.  Offsets are uint32_t like art_token; inputs over 4 GiB are
 * refused by text_run and cut at 4 GiB by the cursor.
 * Internal prefix: text_.
 */
#ifndef CHR_TEXT_H
#define CHR_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include "pipeline/article.h"

/* ---- tokenizer ---------------------------------------------------- */

/* A cursor over s[0, n).  s need not be NUL-terminated; invalid UTF-8 is
 * tolerated (each bad byte becomes a one-byte punctuation token). */
typedef struct text_cursor {
	const unsigned char *s;
	size_t n;        /* bytes, at most UINT32_MAX */
	size_t i;        /* next byte to look at */
	size_t word_end; /* end of the last word token (for "'s" clitics) */
} text_cursor;

void text_cursor_init(text_cursor *c, const char *s, size_t n);
/* Store the next token in *t and return 1, or return 0 at the end.
 * Tokens come in order, never overlap, never split a UTF-8 sequence and
 * cover every byte that is not white space.  Flags: TOK_WORD or
 * TOK_PUNCT, plus TOK_CAP, TOK_NUM, TOK_ABBR (never TOK_SENT_START). */
int text_next(text_cursor *c, art_token *t);

/* Tokenize s[0, n) into out[0, max).  Returns the number of tokens in the
 * whole input, which may exceed max (then only max were stored), like
 * snprintf; out may be NULL when max is 0. */
size_t text_tokenize(const char *s, size_t n, art_token *out, size_t max);

/* ---- sentences ---------------------------------------------------- */

/* Decide sentence boundaries over toks[0, ntok), tokens of s as made by
 * the tokenizer: set TOK_SENT_START on the first token of each sentence
 * (clearing it elsewhere) and return the number of sentences.  A blank
 * line or an indented line start (newline + tab or two spaces) between
 * tokens always starts a sentence; a single newline does not. */
size_t text_split(const char *s, size_t n, art_token *toks, size_t ntok);

/* Turn the TOK_SENT_START marks into sentences: byte span from the first
 * token's start to the last token's end, and the token range.  Writes at
 * most max and returns how many there are. */
size_t text_spans(const art_token *toks, size_t ntok, art_sentence *out,
		  size_t max);

/* ---- the pipeline stage ------------------------------------------- */

/* Input: a->text (a->text_len bytes; strlen when 0).  Output: a->toks and
 * a->sents in the article arena.  CHR_ENOMEM, or CHR_ETOOBIG over 4 GiB. */
chr_status text_run(chr_article *a);

/* ---- word lists (abbrev.c) ---------------------------------------- */

typedef enum text_abbr {
	TEXT_ABBR_NONE = 0,
	TEXT_ABBR_END,    /* may end a sentence: "Inc.", "Nov.", "a.m." */
	TEXT_ABBR_TITLE,  /* never ends one: "Mr.", "Gen.", "St." */
	TEXT_ABBR_NUMBER  /* an abbreviation only before a number: "No. 2" */
} text_abbr;

/* w[0, n) is a word without its final period, e.g. "Nov".  Matching is
 * exact (case-sensitive).  Dotted forms ("U.S.") and initials are
 * recognised by the tokenizer, not listed. */
text_abbr text_abbrev(const char *w, size_t n);
/* 1 when w[0, n) is a capitalised word that commonly opens a sentence
 * ("The", "He", "However"), used after an abbreviation that may end one. */
int text_is_starter(const char *w, size_t n);
/* For tests: 1 when both tables are sorted and free of duplicates. */
int text_tables_ok(void);

#endif
