/*
 * ev_corpus: labelled corpora and clustering runs for the events tools
 * (train_events, eval_events) and tests.  See ev_corpus.c.
 */
#ifndef CHR_EV_CORPUS_H
#define CHR_EV_CORPUS_H

#include "events.h"

typedef struct ev_item {
	const char *id, *title, *text, *date, *dateline; /* corpus arena */
	int gold;            /* dense gold label, -1 when none */
	chr_article *art;    /* processed article, or NULL (raw) */
} ev_item;

typedef struct ev_corpus {
	ev_item *items;
	size_t n, cap;
	int nlabels;
	arena mem;
} ev_corpus;

/* Load JSON Lines (fields id, title, text, date, dateline, and an
 * integer cluster used as the gold label) and, when gold is non-NULL, a
 * TSV of "id topic event ..." giving each id's gold event.  With process
 * set, every item runs through the text pipeline. */
chr_status ev_corpus_load(ev_corpus *c, const char *jsonl, const char *gold,
			  int process, char *err, size_t errlen);
void ev_corpus_free(ev_corpus *c);
/* The engine input of an item (borrowed from the item); release with
 * ev_input_release. */
chr_status ev_item_input(const ev_item *it, ev_input *in);
/* order = 0..n-1, shuffled by seed (0 = file order). */
void ev_order(size_t *order, size_t n, uint64_t seed);
/* Articles per batch: within a batch (one ingest transaction) dated
 * articles are clustered before undated ones, whose time evidence then
 * comes from the events already formed. */
#ifndef EV_BATCH
#define EV_BATCH 256
#endif

/* Cluster the items in the given order with model m; labels[i] gets
 * item i's event index.  When keep is non-NULL the engine is handed
 * over (caller frees with ev_engine_free). */
chr_status ev_cluster(const ev_corpus *c, const ev_model *m,
		      const size_t *order, int *labels, ev_engine *keep);

#endif
