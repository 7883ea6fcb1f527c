/*
 * repeat: exact and near-exact repeated paragraphs, the headline repeated
 * in the body, and related-story headlines.
 *
 * Design note: every paragraph is reduced once to a normalised form
 * (letters and digits only, ASCII lower-cased), hashed with the seeded
 * hash, and looked up in a hash table: exact repeats (also those differing
 * only in case, spacing, punctuation or a missing final period) cost O(n)
 * in total.  Near-exact repeats are only compared among candidates that
 * share the hash of their first or last 48 normalised bytes, and each
 * paragraph is compared with at most two earlier ones, so there is no
 * all-pairs work even on 100k paragraphs.  A repeated copy is removed and
 * the first kept, except that a copy marked CLEAN_P_KEEP (the one after
 * the dateline, the real start of the story) wins over earlier ones.
 * Short headline-like lines seen more than once, or next to a "Read more",
 * are related-story headlines and all go.  Internal prefix: clean_.
 */
#ifndef CHR_CLEAN_REPEAT_H
#define CHR_CLEAN_REPEAT_H

#include "paragraphs.h"

/* Mark repeats in ps (paragraph text in text[]).  headline may be NULL. */
chr_status clean_repeats(clean_paras *ps, const char *text,
			 const char *headline, arena *mem);

/* 1 when the normalised forms of a and b are equal. */
int clean_same_text(const char *a, size_t an, const char *b, size_t bn);

#endif
