/*
 * wordlist: "is this a word?" for repairing words broken across lines.
 *
 * Design note: the system word list (Debian's wamerican,
 * /usr/share/dict/american-english) is loaded once, lazily, under
 * pthread_once, into a seeded hash set that every thread then only reads;
 * possessive entries ("report's") are skipped to keep the set small.  When
 * the list is missing the decision falls back to the document itself: a
 * joined form that occurs elsewhere in the same text is a word.  The
 * first few such questions of a document are answered by searching its
 * text for the word (memmem, then a word-boundary test), which is cheaper
 * than hashing every word of it; from the CLEAN_SCANS+1-th on, the
 * per-document word set is built, in one pass, so the cost stays linear
 * however many line breaks ask.  Documents that never ask pay nothing.
 * Internal prefix: clean_.
 */
#ifndef CHR_CLEAN_WORDLIST_H
#define CHR_CLEAN_WORDLIST_H

#include <stddef.h>
#include "core/hash.h"

#define CLEAN_SCANS 4 /* text searches per document before the word set */

/* The process-wide dictionary, loaded on first call; NULL when no word
 * list could be read.  Thread-safe. */
const ht *clean_dict(void);

/* Use path instead of the default list.  Only effective before the first
 * clean_dict() call; "" means "no dictionary" (tests). */
void clean_dict_set_path(const char *path);

/* 1 when w[0..n) is in dict, with spell-checker case rules: a lower-case
 * word must match a lower-case entry; "Word" may match "word"; "WORD" may
 * match "word" or "Word". */
int clean_dict_has(const ht *dict, const char *w, size_t n);

/* Context for join decisions over one document. */
typedef struct clean_words {
	const ht *dict;     /* may be NULL */
	const char *doc;    /* the whole raw text, for the fallback */
	size_t doc_len;
	ht seen;            /* word -> count in doc, built on demand */
	int seen_built;
	int scans;          /* questions answered by searching the text */
} clean_words;

void clean_words_init(clean_words *cw, const ht *dict, const char *doc,
		      size_t doc_len);
void clean_words_free(clean_words *cw);

/* Decide how to join a line ending in left[0..ln) (the last word of the
 * line) with a line starting with right[0..rn) (the first word of the
 * next).  Returns 1 when they are one broken word to be joined without a
 * space, 2 when a trailing hyphen in left should be dropped as well, 0 to
 * join with a space as usual. */
int clean_join_broken(clean_words *cw, const char *left, size_t ln,
		      const char *right, size_t rn);

#endif
