/*
 * ingest: read -> process -> store, in batches, on two threads.
 *
 * Design note: a batch is one transaction, so a crash (even SIGKILL) loses
 * at most the batch in flight and the file stays consistent; rejected
 * inputs are reported and skipped and never stop the run.  Idempotence
 * comes from the content hash: storing the same article twice is a
 * duplicate, not a second row.
 *
 * With threads > 1, a worker thread reads and runs the text stages
 * (clean, meta, text, ...) while the caller's thread stores, so parsing and
 * SQLite overlap on two cores.  The worker hands over a bounded queue of
 * items in input order: processed articles, rejections and notes.  All
 * callbacks and all database work happen on the caller's thread, in input
 * order, so the result is the same with one thread or two.
 */
#include "article.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pipeline/profile.h"
#include "dedup/dedup.h"
#include "events/events.h"
#include "store/store.h"

/* Articles per transaction.  Other stages' indexes take random-key
 * inserts (dedup keys, entity mentions), so a commit writes nearly one
 * page per insert to the WAL whatever the batch; bigger batches write each
 * page once for more articles: 256 -> 1024 halved sys time and cut the
 * Reuters ingest by a third (bench/RESULTS.md, "Pipeline"). */
#define INGEST_DEFAULT_BATCH 1024
/* Items in flight between the threads: enough for the text thread to
 * keep working through a whole batch's commit and event placing on the
 * store thread (with 64 it stalled after 64 articles, so the flush ran
 * alone on one core); and a ceiling on their input bytes, since a
 * processed article holds several times its text. */
#define INGEST_QUEUE 1024
#define INGEST_QUEUE_BYTES ((uint64_t)16 << 20)

typedef struct item {
	chr_article *a;     /* processed article, or NULL for a rejection */
	chr_status st;      /* rejection status */
	char *where;        /* malloc'd */
	char *why;          /* malloc'd; the rejection reason or the note */
	uint64_t bytes;
} item;

typedef struct queue {
	pthread_mutex_t mu;
	pthread_cond_t not_full, not_empty;
	item v[INGEST_QUEUE];
	size_t head, n;
	uint64_t bytes; /* input bytes of the items in flight */
	int done;    /* producer finished */
	int cancel;  /* consumer gave up */
	chr_status fatal; /* the worker ran out of memory */
} queue;

struct chr_ingest {
	chr_db *db;
	chr_ingest_opts o;
	chr_ingest_stats stats;
	size_t pending;     /* articles in the open transaction */
	chr_status fatal;   /* first store failure */
	queue *q;           /* set while a threaded read runs */
	const char *path;   /* the path being read by the worker */
	chr_status read_st;
	ev_stage *ev;       /* events stage, opened at the first article */
	int finishing;      /* the last flush also relinks storylines */
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
	if (!g->o.max_article)
		g->o.max_article = (size_t)2 << 20;
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
	int prof = prof_on();
	uint64_t t0 = prof ? prof_now() : 0;
	chr_status st = CHR_OK;
	if (g->ev && (g->pending || g->finishing)) {
		/* events: place the batch's articles in its transaction */
		if (!(st = store_begin(g->db)))
			st = ev_stage_flush(g->ev, g->finishing);
		if (prof)
			prof_add("events", prof_now() - t0);
	}
	if (!st)
		st = store_commit(g->db);
	if (prof)
		prof_add("commit", prof_now() - t0);
	if (st || !g->pending)
		return st;
	g->pending = 0;
	if (g->o.on_progress)
		g->o.on_progress(g->o.ctx, &g->stats);
	return CHR_OK;
}

static void doc_where(const chr_doc *d, char *where, size_t cap)
{
	if (d->line)
		snprintf(where, cap, "%s:%llu", d->path ? d->path : "-",
			 (unsigned long long)d->line);
	else
		snprintf(where, cap, "%s", d->path ? d->path : "-");
}

/* Process one document (any thread).  Returns the article, or NULL with
 * *st and why set for a rejection. */
static chr_article *process(const chr_ingest *g, const chr_doc *d,
			    chr_status *st, const char **why)
{
	chr_article *a = NULL;
	*why = NULL;
	if (d->text_len > g->o.max_article) {
		*st = CHR_ETOOBIG;
		*why = "article over the size limit";
		return NULL;
	}
	*st = chr_article_process(d, &a);
	if (*st) {
		*why = chr_strerror(*st);
		return NULL;
	}
	if (!*a->text && !*a->headline) {
		chr_article_free(a);
		*st = CHR_EEMPTY;
		*why = "nothing left after cleaning";
		return NULL;
	}
	return a;
}

/* Store one processed article (caller's thread).  Takes ownership of a.
 * Later stages that need the database (dedup, events) hook in here,
 * inside the batch transaction. */
static chr_status store_one(chr_ingest *g, chr_article *a, const char *where,
			    const char *note)
{
	int prof = prof_on();
	uint64_t t0 = prof ? prof_now() : 0;
	chr_status st = store_begin(g->db);
	if (!st)
		st = store_put_article(g->db, a, NULL);
	if (prof)
		prof_add("store", prof_now() - t0);
	if (!st) /* time expressions, for events, facts and timelines */
		st = store_put_timexes(g->db, a);
	if (!st) { /* entities: merged across articles in the store */
		uint64_t t1 = prof ? prof_now() : 0;
		st = store_put_entities(g->db, a);
		if (prof)
			prof_add("entities-store", prof_now() - t1);
	}
	if (!st) /* facts: after entities, whose ids they name */
		st = store_put_facts(g->db, a);
	if (!st) { /* dedup: same transaction as the article */
		uint64_t t1 = prof ? prof_now() : 0;
		st = dedup_article(g->db, a);
		if (prof)
			prof_add("dedup", prof_now() - t1);
	}
	if (!st) { /* events: queued, placed at the batch commit (flush) */
		if (!g->ev)
			st = ev_stage_open(g->db, &g->ev);
		if (!st)
			st = ev_stage_add(g->ev, a);
	}
	/* After an out-of-memory or I/O error SQLite may roll the whole
	 * transaction back by itself; a stage that missed that error must not
	 * let the rest of the batch run in autocommit mode. */
	if ((!st || st == CHR_EDUPLICATE) && g->db->in_tx &&
	    sqlite3_get_autocommit(g->db->h)) {
		g->db->in_tx = 0;
		st = store_fail(g->db, "transaction lost");
	}
	chr_article_free(a);
	if (st == CHR_EDUPLICATE) {
		g->stats.duplicates++;
		st = CHR_OK;
	} else if (!st) {
		if (note && g->o.on_note)
			g->o.on_note(g->o.ctx, where, note);
		g->stats.stored++;
		g->pending++;
	}
	if (!st && g->pending >= g->o.batch)
		st = flush(g);
	if (st)
		g->fatal = st;
	return st;
}

chr_status chr_ingest_doc(chr_ingest *g, const chr_doc *d)
{
	if (g->fatal)
		return g->fatal;
	g->stats.bytes += d->text_len;
	char where[512];
	doc_where(d, where, sizeof where);
	chr_status st;
	const char *why;
	chr_article *a = process(g, d, &st, &why);
	if (!a && st == CHR_ENOMEM) {
		g->fatal = st; /* out of memory is not the input's fault */
		return st;
	}
	if (!a) {
		reject(g, where, st, why);
		return CHR_OK;
	}
	return store_one(g, a, where, d->note);
}

/* ---- single-threaded reading ---- */

static int on_doc_sync(void *ctx, const chr_doc *d)
{
	return chr_ingest_doc(ctx, d) != CHR_OK;
}

static void on_reject_sync(void *ctx, const char *where, chr_status st,
			   const char *why)
{
	reject(ctx, where, st, why);
}

/* ---- two threads: the worker reads and processes ---- */

static int q_push(queue *q, item it)
{
	pthread_mutex_lock(&q->mu);
	while ((q->n == INGEST_QUEUE ||
		(q->n && q->bytes + it.bytes > INGEST_QUEUE_BYTES)) && !q->cancel)
		pthread_cond_wait(&q->not_full, &q->mu);
	int cancel = q->cancel;
	if (!cancel) {
		q->v[(q->head + q->n) % INGEST_QUEUE] = it;
		q->n++;
		q->bytes += it.bytes;
		pthread_cond_signal(&q->not_empty);
	}
	pthread_mutex_unlock(&q->mu);
	if (cancel) {
		chr_article_free(it.a);
		free(it.where);
		free(it.why);
	}
	return cancel ? -1 : 0;
}

/* 1 with an item, 0 when the producer is done and the queue empty. */
static int q_pop(queue *q, item *it)
{
	pthread_mutex_lock(&q->mu);
	while (q->n == 0 && !q->done)
		pthread_cond_wait(&q->not_empty, &q->mu);
	int got = q->n > 0;
	if (got) {
		*it = q->v[q->head];
		q->head = (q->head + 1) % INGEST_QUEUE;
		q->n--;
		q->bytes -= it->bytes;
		pthread_cond_signal(&q->not_full);
	}
	pthread_mutex_unlock(&q->mu);
	return got;
}

/* The worker cannot go on: record why; the consumer makes it fatal. */
static void worker_fail(queue *q, chr_status st)
{
	pthread_mutex_lock(&q->mu);
	if (!q->fatal)
		q->fatal = st;
	pthread_mutex_unlock(&q->mu);
}

static int on_doc_async(void *ctx, const chr_doc *d)
{
	chr_ingest *g = ctx;
	char where[512];
	doc_where(d, where, sizeof where);
	item it = { 0 };
	const char *why;
	it.a = process(g, d, &it.st, &why);
	it.where = strdup(where);
	it.why = why ? strdup(why) : d->note ? strdup(d->note) : NULL;
	it.bytes = d->text_len;
	if (!it.where || ((why || d->note) && !it.why) ||
	    (!it.a && it.st == CHR_ENOMEM)) {
		chr_article_free(it.a);
		free(it.where);
		free(it.why);
		worker_fail(g->q, CHR_ENOMEM);
		return 1;
	}
	return q_push(g->q, it);
}

static void on_reject_async(void *ctx, const char *where, chr_status st,
			    const char *why)
{
	chr_ingest *g = ctx;
	item it = { NULL, st, strdup(where), strdup(why), 0 };
	if (!it.where || !it.why) {
		free(it.where);
		free(it.why);
		worker_fail(g->q, CHR_ENOMEM);
		return;
	}
	q_push(g->q, it);
}

static void *worker(void *arg)
{
	chr_ingest *g = arg;
	g->read_st = chr_read_path(g->path, g->o.max_article, on_doc_async,
				   on_reject_async, g);
	pthread_mutex_lock(&g->q->mu);
	g->q->done = 1;
	pthread_cond_signal(&g->q->not_empty);
	pthread_mutex_unlock(&g->q->mu);
	return NULL;
}

static chr_status ingest_threaded(chr_ingest *g, const char *path)
{
	queue *q = calloc(1, sizeof *q);
	if (!q)
		return CHR_ENOMEM;
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->not_full, NULL);
	pthread_cond_init(&q->not_empty, NULL);
	g->q = q;
	g->path = path;
	g->read_st = CHR_OK;
	pthread_t th;
	if (pthread_create(&th, NULL, worker, g)) {
		g->q = NULL;
		free(q);
		return CHR_ENOMEM;
	}
	item it;
	while (q_pop(q, &it)) {
		if (g->fatal || q->cancel) {
			chr_article_free(it.a);
		} else if (it.a) {
			g->stats.bytes += it.bytes;
			if (store_one(g, it.a, it.where, it.why)) {
				pthread_mutex_lock(&q->mu);
				q->cancel = 1; /* stop the worker */
				pthread_cond_broadcast(&q->not_full);
				pthread_mutex_unlock(&q->mu);
			}
		} else {
			g->stats.bytes += it.bytes;
			reject(g, it.where, it.st, it.why);
		}
		free(it.where);
		free(it.why);
	}
	pthread_join(th, NULL);
	if (q->fatal && !g->fatal)
		g->fatal = q->fatal;
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->not_full);
	pthread_cond_destroy(&q->not_empty);
	free(q);
	g->q = NULL;
	return g->read_st;
}

chr_status chr_ingest_path(chr_ingest *g, const char *path)
{
	if (g->fatal)
		return g->fatal;
	chr_status st;
	if (g->o.threads == 1)
		st = chr_read_path(path, g->o.max_article, on_doc_sync,
				   on_reject_sync, g);
	else
		st = ingest_threaded(g, path);
	if (g->fatal)
		return g->fatal;
	return st == CHR_EINTERRUPTED ? CHR_OK : st;
}

chr_status chr_ingest_finish(chr_ingest *g, chr_ingest_stats *stats)
{
	g->finishing = 1;
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
	ev_stage_free(g->ev);
	free(g);
}
