/*
 * ingest: read -> process -> store, in batches.
 *
 * Design note: a batch is one transaction, so a crash (even SIGKILL) loses
 * at most the batch in flight and the file stays consistent; rejected
 * inputs are reported and skipped and never stop the run.  Idempotence
 * comes from the content hash: storing the same article twice is a
 * duplicate, not a second row.
 */
#include "article.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

#define INGEST_DEFAULT_BATCH 256

struct chr_ingest {
	chr_db *db;
	chr_ingest_opts o;
	chr_ingest_stats stats;
	size_t pending;     /* articles in the open transaction */
	chr_status fatal;   /* first store failure */
};

chr_status chr_ingest_new(chr_db *db, const chr_ingest_opts *opts,
			  chr_ingest **out)
{
	*out = NULL;
	if (!db)
		return CHR_EINVAL;
	chr_ingest *g = calloc(1, sizeof *g);
	if (!g)
		return CHR_ENOMEM;
	g->db = db;
	if (opts)
		g->o = *opts;
	if (!g->o.batch)
		g->o.batch = INGEST_DEFAULT_BATCH;
	*out = g;
	return CHR_OK;
}

static void reject(chr_ingest *g, const char *where, chr_status st,
		   const char *why)
{
	g->stats.rejected++;
	if (g->o.on_reject)
		g->o.on_reject(g->o.ctx, where, st, why);
}

/* Commit the open transaction, if any: even one that only looked up
 * duplicates holds the write lock until it ends. */
static chr_status flush(chr_ingest *g)
{
	chr_status st = store_commit(g->db);
	if (st || !g->pending)
		return st;
	g->pending = 0;
	if (g->o.on_progress)
		g->o.on_progress(g->o.ctx, &g->stats);
	return CHR_OK;
}

chr_status chr_ingest_doc(chr_ingest *g, const chr_doc *d)
{
	if (g->fatal)
		return g->fatal;
	g->stats.bytes += d->text_len;
	char where[512];
	if (d->line)
		snprintf(where, sizeof where, "%s:%llu", d->path ? d->path : "-",
			 (unsigned long long)d->line);
	else
		snprintf(where, sizeof where, "%s", d->path ? d->path : "-");
	size_t max = g->o.max_article ? g->o.max_article : ((size_t)2 << 20);
	if (d->text_len > max) {
		char why[128];
		snprintf(why, sizeof why, "article over the %zu-byte limit", max);
		reject(g, where, CHR_ETOOBIG, why);
		return CHR_OK;
	}
	chr_article *a;
	chr_status st = chr_article_process(d, &a);
	if (st) {
		reject(g, where, st, chr_strerror(st));
		return st == CHR_ENOMEM ? st : CHR_OK;
	}
	if (!*a->text && !*a->headline) {
		reject(g, where, CHR_EEMPTY, "nothing left after cleaning");
		chr_article_free(a);
		return CHR_OK;
	}
	st = store_begin(g->db);
	if (!st)
		st = store_put_article(g->db, a, NULL);
	chr_article_free(a);
	if (st == CHR_EDUPLICATE) {
		g->stats.duplicates++;
		st = CHR_OK;
	} else if (!st) {
		if (d->note && g->o.on_note)
			g->o.on_note(g->o.ctx, where, d->note);
		g->stats.stored++;
		g->pending++;
	}
	if (!st && g->pending >= g->o.batch)
		st = flush(g);
	if (st)
		g->fatal = st;
	return st;
}

static int on_doc(void *ctx, const chr_doc *d)
{
	chr_ingest *g = ctx;
	return chr_ingest_doc(g, d) != CHR_OK;
}

static void on_reject(void *ctx, const char *where, chr_status st,
		      const char *why)
{
	reject(ctx, where, st, why);
}

chr_status chr_ingest_path(chr_ingest *g, const char *path)
{
	if (g->fatal)
		return g->fatal;
	size_t max = g->o.max_article ? g->o.max_article : ((size_t)2 << 20);
	chr_status st = chr_read_path(path, max, on_doc, on_reject, g);
	if (g->fatal)
		return g->fatal;
	return st == CHR_EINTERRUPTED ? CHR_OK : st;
}

chr_status chr_ingest_finish(chr_ingest *g, chr_ingest_stats *stats)
{
	chr_status st = g->fatal ? g->fatal : flush(g);
	if (st) {
		store_rollback(g->db);
		g->fatal = st;
	}
	if (stats)
		*stats = g->stats;
	return st;
}

void chr_ingest_free(chr_ingest *g)
{
	if (!g)
		return;
	store_rollback(g->db); /* nothing when finished */
	free(g);
}
