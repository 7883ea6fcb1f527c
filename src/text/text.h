/*
 * text: sentences and tokens with byte offsets.
 * Internal prefix: text_.
 */
#ifndef CHR_TEXT_H
#define CHR_TEXT_H

#include "pipeline/article.h"

/* Input: a->text.  Output: a->toks and a->sents. */
chr_status text_run(chr_article *a);

#endif
