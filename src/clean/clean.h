/*
 * clean: turn a raw article body into a clean body and a headline.
 *
 * Design note: every removal is recorded in the article's `removed` list
 * with its reason, so a user can audit what cleaning did.  The rules are
 * general (line shapes, repetition, word lists), never keyed to one file.
 * Internal prefix: clean_.
 */
#ifndef CHR_CLEAN_H
#define CHR_CLEAN_H

#include "pipeline/article.h"

/* Input: a->raw (valid NFC UTF-8), a->in_title (may be NULL).
 * Output: a->headline, a->text (paragraphs separated by "\n\n"),
 * a->removed, and agencies found in credits and tags.  Returns CHR_OK or
 * CHR_ENOMEM / CHR_ETOOBIG. */
chr_status clean_run(chr_article *a);

#endif
