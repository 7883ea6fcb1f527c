/*
 * entities: the pipeline stage that finds and resolves entity mentions.
 *
 * Design note: the stage runs the trained tagger (ner_*.c) over the text
 * stage's tokens, turns IOB2 tags into mention spans, and hands them to
 * canon_resolve.  The model is loaded once per process, lazily and
 * thread-safely; without a model the stage records no mentions and says
 * so once on stderr, so a library user without models still gets clean,
 * dated articles.  Internal prefix: entities_.
 */
#ifndef CHR_ENTITIES_H
#define CHR_ENTITIES_H

#include "pipeline/article.h"

/* Input: a->text, a->toks.  Output: a->mentions, resolved. */
chr_status entities_run(chr_article *a);

/* Tag and resolve without the model: mentions given by the caller as
 * (start, end, type) in text order (tests and tools).  The mention list is
 * copied into a->mentions. */
chr_status entities_from_spans(chr_article *a, const uint32_t *start,
			       const uint32_t *end, const uint8_t *type,
			       size_t n);

/* The mentions' distinct keys for the entity store (a->entkeys,
 * a->menkey; see pipeline/article.h), made again from a->mentions. */
chr_status entities_store_prep(chr_article *a);

#endif
