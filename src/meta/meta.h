/*
 * meta: dateline place, agencies, outlet and publication date.
 * Internal prefix: meta_.
 */
#ifndef CHR_META_H
#define CHR_META_H

#include "pipeline/article.h"

/* Input: the cleaned article (a->headline, a->text) and the input fields
 * (a->in_date, a->in_dateline, a->source).  Output: a->dateline,
 * a->agencies, a->outlet, a->published and a->published_from, taking the
 * first that exists: input, header, dateline, text. */
chr_status meta_run(chr_article *a);

#endif
