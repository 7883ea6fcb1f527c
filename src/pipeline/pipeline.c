/*
 * pipeline: one document through every text stage, in order.
 *
 * Design note: the order of stages lives here and only here, so adding a
 * stage (time, entities, ...) is one line.  Stages share the article and
 * its arena; none of them allocates on the heap per token.
 */
#include "article.h"

#include <string.h>

#include "clean/clean.h"
#include "core/hash.h"
#include "core/utf8.h"
#include "dedup/dedup.h"
#include "entities/entities.h"
#include "events/events.h"
#include "facts/facts.h"
#include "meta/meta.h"
#include "pipeline/profile.h"
#include "text/text.h"
#include "time/time.h"

/* Content identity: stable across runs and machines (fixed seed). */
#define CONTENT_SEED 0x6368726f6e69636cULL /* "chronicl" */

/* Identity is what was published: title, body, date and dateline (two
 * wire copies of one text sent on different days are two articles; the
 * same copy read twice is one).  The id and path are not part of it, so
 * the same file found in two folders is stored once. */
static uint64_t content_hash(const chr_doc *d)
{
	const char *parts[3] = { d->title, d->date, d->dateline };
	uint64_t h = hash_stable(d->text, d->text_len, CONTENT_SEED);
	for (int i = 0; i < 3; i++)
		if (parts[i] && *parts[i])
			h = (h ^ hash_stable(parts[i], strlen(parts[i]),
					     CONTENT_SEED + 1 + (uint64_t)i)) *
			    0x9E3779B97F4A7C15ULL;
	return h; /* stored as SQLite's signed 64-bit integer; any value works */
}

typedef chr_status (*stage_fn)(chr_article *a);

typedef struct stage {
	const char *name;
	stage_fn run;
} stage;

/* The text stages, in order.  The store-side stages (dedup, events) run
 * in ingest.c inside the batch transaction; events-prep and dedup-prep
 * do the text half of those stages here, off the store thread. */
static const stage stages[] = {
	{ "clean", clean_run },
	{ "meta", meta_run },
	{ "text", text_run },
	{ "time", time_run },
	{ "entities", entities_run },
	{ "facts", facts_run },
	{ "events-prep", ev_prep_run },
	{ "dedup-prep", dedup_prep_run },
};
#define N_STAGES (sizeof stages / sizeof stages[0])

/* An article holding d's input fields, before any stage. */
static chr_status art_begin(const chr_doc *d, chr_article **out)
{
	*out = NULL;
	if (!d || !d->text)
		return CHR_EINVAL;
	if (u8_invalid_at((const unsigned char *)d->text, d->text_len) <
	    d->text_len)
		return CHR_EENCODING;
	chr_article *a = art_new();
	if (!a)
		return CHR_ENOMEM;
	a->id = art_strdup(a, d->id ? d->id : "");
	a->path = art_strdup(a, d->path);
	a->line = d->line;
	a->in_title = art_strdup(a, d->title);
	a->in_date = art_strdup(a, d->date);
	a->in_dateline = art_strdup(a, d->dateline);
	a->url = art_strdup(a, d->url);
	a->source = art_strdup(a, d->source);
	a->raw = art_strndup(a, d->text, d->text_len);
	a->raw_len = d->text_len;
	a->content_hash = content_hash(d);
	chr_status st = CHR_OK;
	if (!a->id || !a->raw)
		st = CHR_ENOMEM;
	if (!st && d->note && art_note(a, d->note))
		st = CHR_ENOMEM;
	if (st) {
		chr_article_free(a);
		return st;
	}
	*out = a;
	return CHR_OK;
}

/* Stage by stage over the batch, not article by article: each stage's
 * tables (the NER model and word memo, lexicons, the tokenizer's) stay
 * in the cache for the whole batch instead of being pushed out by the
 * other stages' between two articles.  Every stage is a function of one
 * article, so the order changes nothing else. */
void art_process_many(const chr_doc *const *d, size_t n, chr_article **out,
		      chr_status *st)
{
	for (size_t k = 0; k < n; k++)
		st[k] = art_begin(d[k], &out[k]);
	int prof = prof_on();
	for (size_t i = 0; i < N_STAGES; i++) {
		uint64_t t0 = prof ? prof_now() : 0;
		for (size_t k = 0; k < n; k++) {
			if (st[k])
				continue;
			st[k] = stages[i].run(out[k]);
			if (st[k]) {
				chr_article_free(out[k]);
				out[k] = NULL;
			}
		}
		if (prof)
			prof_add(stages[i].name, prof_now() - t0);
	}
}

chr_status chr_article_process(const chr_doc *d, chr_article **out)
{
	chr_status st;
	art_process_many(&d, 1, out, &st);
	return st;
}
