/*
 * ingest: read -> process -> store, in batches, on two threads.
 *
 * Design note: a batch is one transaction, so a crash (even SIGKILL) loses
 * at most the batch in flight and the file stays consistent; rejected
 * inputs are reported and skipped and never stop the run.  Idempotence
 * comes from the content hash: storing the same article twice is a
 * duplicate, not a second row.
 *
 * With threads != 1, a reader thread reads, text workers run the text
 * stages (clean, meta, text, ...) on several articles at once, and the
 * caller's thread stores, so parsing and SQLite overlap: the store thread
 * is one serial line (one SQLite connection, events placed in order), and
 * every article's text work is independent, so more than one worker keeps
 * the store thread fed through NER-heavy stretches and takes up whatever
 * CPU the store thread leaves.  Results come back in input order
 * (processed articles, rejections and notes); all callbacks and all
 * database work happen on the caller's thread, in input order, so the
 * result is the same with any number of threads.  Threads wake each
 * other in runs (a reader waiting for room, the caller waiting for
 * results), not once per article, and memory goes back to the thread
 * that allocated it: per-article hand-offs made 57,000 context switches
 * on the Reuters ingest and took the workers' malloc locks from the
 * store thread (9 % of the run's CPU; bench/RESULTS.md).
 *
 * The events engine has a thread of its own as well (threads != 1):
 * every INGEST_EV_BATCH articles the store thread hands the queued
 * articles to the events stage (ev_stage_place), whose thread places
 * them while this one stores the next; their rows are written on this
 * thread at the next hand-over or before the commit (ev_stage_flush),
 * so every write stays on the one connection, in the transaction of its
 * articles, and a committed article is fully placed
 * (src/events/ev_decide.c).  On the whole Reuters file that took 4.6 G
 * of its 15.1 G instructions off the store thread (callgrind,
 * --separate-threads), for 23 M more in all.
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
#include "store/ckpt.h"
#include "store/store.h"

/* Articles per transaction.  Other stages' indexes take random-key
 * inserts (dedup keys, entity mentions), so a commit writes nearly one
 * page per insert to the WAL whatever the batch; bigger batches write each
 * page once for more articles: 256 -> 1024 halved sys time and cut the
 * Reuters ingest by a third, 1024 -> 4096 cut the commits' instructions
 * by a third again (bench/RESULTS.md, "Pipeline"), and 4096 -> 8192 at a
 * million articles, where a commit of 4096 wrote 27,450 pages (4,600 of
 * them entity rows and their count index, 2,800 the article hash index),
 * cut the commits of 20,000 new articles from 3.3-3.7 s to 1.8-2.4 s
 * (the 2 GB budget has room for the dirty pages: the writer's cache is
 * 512 MB, store.c).  Events are placed
 * every INGEST_EV_BATCH articles inside the transaction as well as at its
 * end (the events stage places its queue in one pass, dated articles
 * first), so the default gives the same events as one transaction per
 * 1024 articles did. */
#define INGEST_DEFAULT_BATCH 8192
#define INGEST_EV_BATCH 1024
/* Items in flight between the threads: enough for the text thread to
 * keep working while the store thread places events or commits (with 64
 * it stalled after 64 articles, so the flush ran alone on one core;
 * 2048 and 32 MB measured no faster than this with 4096-article
 * transactions, for 65 MB more); and a ceiling on their input bytes,
 * since a processed article holds several times its text. */
#define INGEST_QUEUE 1024
#define INGEST_QUEUE_BYTES ((uint64_t)16 << 20)
/* Results the caller waits for at once when it has caught up with the
 * workers (put_result). */
#define INGEST_WAKE 32
/* A ceiling on text workers, whatever the caller asks. */
#define INGEST_MAX_WORKERS 16

typedef struct item {
	chr_article *a;     /* processed article, or NULL for a rejection */
	chr_status st;      /* rejection status */
	int fatal;          /* out of memory: the run cannot go on */
	const char *where;  /* into block */
	const char *why;    /* static, or into block; rejection reason or note */
	uint64_t bytes;     /* input bytes */
	void *block;        /* malloc'd; owns where and the note */
	int block_is_job;   /* block is a job (the reader's to free) */
} item;

typedef struct pool pool;

struct chr_ingest {
	chr_db *db;
	chr_ingest_opts o;
	chr_ingest_stats stats;
	size_t pending;     /* articles in the open transaction */
	chr_status fatal;   /* first store failure */
	pool *p;            /* set while a threaded read runs */
	const char *path;   /* the path being read by the reader thread */
	chr_status read_st;
	ev_stage *ev;       /* events stage, opened at the first article */
	chr_article *gone;  /* stored articles not yet handed back (p) */
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
	if (!g->o.ev_batch)
		g->o.ev_batch = INGEST_EV_BATCH;
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

/* Place the queued articles in events, in the open transaction: all
 * of them before a commit (last), else hand them to the events thread
 * (ev_stage_place), whose rows are written at the next call. */
static chr_status place_events(chr_ingest *g, int last)
{
	int prof = prof_on();
	uint64_t t0 = prof ? prof_now() : 0;
	chr_status st = store_begin(g->db);
	if (!st)
		st = last ? ev_stage_flush(g->ev, g->finishing)
			  : ev_stage_place(g->ev);
	if (prof)
		prof_add("events", prof_now() - t0);
	return st;
}

/* Commit the open transaction, if any: even one that only looked up
 * duplicates holds the write lock until it ends.  The batch's last
 * articles are handed to the events thread (when there is one) before
 * the commit's own work (entity counts, the FTS index: store_commit_prep),
 * which needs nothing from the events stage, so their placing runs
 * meanwhile instead of on this thread; then their rows are written and
 * the transaction committed.  The order of the writes changes, the rows
 * do not. */
static chr_status flush(chr_ingest *g)
{
	chr_status st = CHR_OK;
	int prof = prof_on();
	uint64_t t0 = 0;
	if (g->ev && (g->pending || g->finishing)) {
		st = place_events(g, 0);
		t0 = prof ? prof_now() : 0;
		if (!st)
			st = store_commit_prep(g->db);
		if (prof)
			prof_add("commit", prof_now() - t0);
		if (!st)
			st = place_events(g, 1); /* lands it, writes its rows */
	}
	t0 = prof ? prof_now() : 0;
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

/* Process n documents (any thread; n <= ART_BATCH_MAX), stage by stage
 * (art_process_many).  Each out[i] gets the article, or NULL with st and
 * why set for a rejection; its other fields are left alone. */
static void process_many(const chr_ingest *g, const chr_doc *const *d,
			 size_t n, item *out)
{
	const chr_doc *run[ART_BATCH_MAX] = { 0 };
	size_t at[ART_BATCH_MAX], m = 0;
	chr_article *a[ART_BATCH_MAX];
	chr_status st[ART_BATCH_MAX];
	for (size_t k = 0; k < n; k++) {
		out[k].a = NULL;
		out[k].st = CHR_OK;
		out[k].why = NULL;
		if (d[k]->text_len > g->o.max_article) {
			out[k].st = CHR_ETOOBIG;
			out[k].why = "article over the size limit";
		} else {
			at[m] = k;
			run[m++] = d[k];
		}
	}
	art_process_many(run, m, a, st);
	for (size_t q = 0; q < m; q++) {
		item *it = &out[at[q]];
		if (st[q]) {
			it->st = st[q];
			it->why = chr_strerror(st[q]);
		} else if (!*a[q]->text && !*a[q]->headline) {
			chr_article_free(a[q]);
			it->st = CHR_EEMPTY;
			it->why = "nothing left after cleaning";
		} else {
			it->a = a[q];
		}
	}
}

/* Free a stored article; with worker threads, it goes back to the
 * workers (give_back), so that memory is freed by the thread that
 * allocated it: freeing it here took that thread's malloc arena lock
 * against it, and the blocks came back cold for the next article. */
static void drop_article(chr_ingest *g, chr_article *a)
{
	if (g->p) {
		a->gone = g->gone;
		g->gone = a;
	} else {
		chr_article_free(a);
	}
}

static void free_articles(chr_article *a)
{
	while (a) {
		chr_article *next = a->gone;
		chr_article_free(a);
		a = next;
	}
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
		if (!g->ev && !(st = ev_stage_open(g->db, &g->ev)) &&
		    g->o.threads != 1) /* the engine beside this thread */
			st = ev_stage_thread(g->ev);
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
	drop_article(g, a);
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
	else if (!st && g->pending && g->pending % g->o.ev_batch == 0 &&
		 g->ev)
		st = place_events(g, 0);
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
	item it;
	process_many(g, &d, 1, &it);
	if (!it.a && it.st == CHR_ENOMEM) {
		g->fatal = it.st; /* out of memory is not the input's fault */
		return it.st;
	}
	if (!it.a) {
		reject(g, where, it.st, it.why);
		return CHR_OK;
	}
	return store_one(g, it.a, where, d->note);
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

/* ---- several threads: a reader, text workers, and the caller storing ----
 *
 * The reader thread copies each document off the reader's buffers into a
 * job (one block) and numbers it; the workers take jobs in that order and
 * process them in parallel; each result goes to the ring slot of its
 * number, and the caller's thread takes the slots in number order, so it
 * sees exactly the sequence one thread would.  The reader waits while
 * INGEST_QUEUE numbers or INGEST_QUEUE_BYTES input bytes are in flight
 * (taken but not yet stored), which bounds both the jobs and the results.
 * One mutex guards it all: a few operations per article. */

typedef struct job {
	struct job *next;
	uint64_t seq;
	chr_doc d;          /* strings point into this block */
	const char *where;  /* ditto */
} job;

struct pool {
	pthread_mutex_t mu;
	pthread_cond_t room;    /* reader: the window has room */
	pthread_cond_t work;    /* workers: a job, the end, or cancel */
	pthread_cond_t ready;   /* caller: the next slot is filled */
	job *head, *tail;       /* jobs not yet taken, in number order */
	item ring[INGEST_QUEUE];
	unsigned char full[INGEST_QUEUE];
	uint64_t next_seq;      /* the reader's next number */
	uint64_t next_out;      /* the caller's next number */
	uint64_t bytes;         /* input bytes in flight */
	uint64_t want;          /* caller waits for this number (ready) */
	int reader_waits;       /* the reader waits for room */
	int done;               /* the reader finished */
	int cancel;             /* the caller stopped: drop the rest */
	job *gone_jobs;         /* stored jobs, for the reader to free */
	chr_article *gone_arts; /* stored articles, for a worker to free */
};

/* Append s (n bytes) and a NUL at *at; returns where it went. */
static const char *blk_put(char **at, const char *s, size_t n)
{
	char *r = *at;
	if (n)
		memcpy(r, s, n);
	r[n] = '\0';
	*at += n + 1;
	return r;
}

static size_t opt_len(const char *s)
{
	return s ? strlen(s) + 1 : 0;
}

static const char *blk_opt(char **at, const char *s)
{
	return s ? blk_put(at, s, strlen(s)) : NULL;
}

/* A job holding a copy of d and where, or NULL without memory. */
static job *job_copy(const chr_doc *d, const char *where)
{
	size_t n = sizeof(job) + d->text_len + 1 + opt_len(d->id) +
		   opt_len(d->title) + opt_len(d->date) + opt_len(d->url) +
		   opt_len(d->source) + opt_len(d->dateline) +
		   opt_len(d->path) + opt_len(d->note) + strlen(where) + 1;
	job *j = malloc(n);
	if (!j)
		return NULL;
	char *at = (char *)(j + 1);
	j->next = NULL;
	j->d = *d;
	j->d.text = blk_put(&at, d->text, d->text_len);
	j->d.id = blk_opt(&at, d->id);
	j->d.title = blk_opt(&at, d->title);
	j->d.date = blk_opt(&at, d->date);
	j->d.url = blk_opt(&at, d->url);
	j->d.source = blk_opt(&at, d->source);
	j->d.dateline = blk_opt(&at, d->dateline);
	j->d.path = blk_opt(&at, d->path);
	j->d.note = blk_opt(&at, d->note);
	j->where = blk_put(&at, where, strlen(where));
	return j;
}

/* Wait for room for bytes more input; the number, or -1 once cancelled.
 * Called with the mutex held.  A waiting reader is woken only once an
 * eighth of the window is free again (room_back), not at every stored
 * article: one wake-up (two context switches) per article cost more
 * than the reading itself. */
static int64_t take_number(pool *p, uint64_t bytes)
{
	while (!p->cancel &&
	       (p->next_seq - p->next_out >= INGEST_QUEUE ||
		(p->next_seq != p->next_out &&
		 p->bytes + bytes > INGEST_QUEUE_BYTES))) {
		p->reader_waits = 1;
		pthread_cond_wait(&p->room, &p->mu);
	}
	p->reader_waits = 0;
	if (p->cancel)
		return -1;
	p->bytes += bytes;
	return (int64_t)p->next_seq++;
}

/* Whether a waiting reader should be woken (mutex held): an eighth of
 * the window's numbers and bytes are free.  Any wait ends, since the
 * window empties as the caller stores what is in flight. */
static int room_back(const pool *p)
{
	return p->reader_waits &&
	       p->next_seq - p->next_out <= INGEST_QUEUE - INGEST_QUEUE / 8 &&
	       p->bytes <= INGEST_QUEUE_BYTES - INGEST_QUEUE_BYTES / 8;
}

/* Fill slot seq (mutex held).  A waiting caller is woken when the
 * number it waits for is filled, or when no job is left to process
 * (the end of the input, or the reader waits for room): so it takes
 * results in runs of INGEST_WAKE, not one wake-up per article. */
static void put_result(pool *p, uint64_t seq, item it)
{
	p->ring[seq % INGEST_QUEUE] = it;
	p->full[seq % INGEST_QUEUE] = 1;
	if (p->want && (seq + 1 >= p->want || !p->head))
		pthread_cond_signal(&p->ready);
}

static void free_jobs(job *j)
{
	while (j) {
		job *next = j->next;
		free(j);
		j = next;
	}
}

/* After the caller stored it (mutex held): its job block goes back to
 * the reader and its article (in g->gone) to the workers, to be freed
 * on the threads that allocated them (drop_article). */
static void give_back(chr_ingest *g, item *it)
{
	pool *p = g->p;
	if (it->block_is_job) {
		job *j = it->block;
		j->next = p->gone_jobs;
		p->gone_jobs = j;
	} else {
		free(it->block);
	}
	while (g->gone) {
		chr_article *a = g->gone;
		g->gone = a->gone;
		a->gone = p->gone_arts;
		p->gone_arts = a;
	}
}

static int on_doc_async(void *ctx, const chr_doc *d)
{
	chr_ingest *g = ctx;
	pool *p = g->p;
	char where[512];
	doc_where(d, where, sizeof where);
	job *j = job_copy(d, where);
	pthread_mutex_lock(&p->mu);
	int64_t seq = take_number(p, d->text_len);
	job *gone = p->gone_jobs;
	p->gone_jobs = NULL;
	if (seq >= 0 && j) {
		j->seq = (uint64_t)seq;
		if (p->tail)
			p->tail->next = j;
		else
			p->head = j;
		p->tail = j;
		pthread_cond_signal(&p->work);
	} else if (seq >= 0) {
		item it = { .st = CHR_ENOMEM, .fatal = 1, .bytes = d->text_len };
		put_result(p, (uint64_t)seq, it);
	}
	pthread_mutex_unlock(&p->mu);
	free_jobs(gone);
	if (seq < 0)
		free(j);
	return seq < 0 || !j;
}

static void on_reject_async(void *ctx, const char *where, chr_status st,
			    const char *why)
{
	chr_ingest *g = ctx;
	pool *p = g->p;
	size_t nw = strlen(where), ny = strlen(why);
	char *b = malloc(nw + ny + 2);
	item it = { .st = st, .block = b };
	if (b) {
		char *at = b;
		it.where = blk_put(&at, where, nw);
		it.why = blk_put(&at, why, ny);
	} else {
		it.st = CHR_ENOMEM;
		it.fatal = 1;
	}
	pthread_mutex_lock(&p->mu);
	int64_t seq = take_number(p, 0);
	if (seq >= 0)
		put_result(p, (uint64_t)seq, it);
	pthread_mutex_unlock(&p->mu);
	if (seq < 0)
		free(b);
}

static void *reader_main(void *arg)
{
	chr_ingest *g = arg;
	g->read_st = chr_read_path(g->path, g->o.max_article, on_doc_async,
				   on_reject_async, g);
	pthread_mutex_lock(&g->p->mu);
	g->p->done = 1;
	pthread_cond_broadcast(&g->p->work);
	pthread_cond_signal(&g->p->ready);
	pthread_mutex_unlock(&g->p->mu);
	return NULL;
}

/* A worker takes up to INGEST_TAKE queued jobs at once and runs them
 * stage by stage (art_process_many), so that each stage's tables stay
 * in the cache across the run of articles. */
#define INGEST_TAKE 16
_Static_assert(INGEST_TAKE <= ART_BATCH_MAX, "a worker's take fits a batch");

static void *worker_main(void *arg)
{
	chr_ingest *g = arg;
	pool *p = g->p;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->head && !p->done && !p->cancel)
			pthread_cond_wait(&p->work, &p->mu);
		if (!p->head || p->cancel)
			break;
		job *js[INGEST_TAKE];
		size_t n = 0;
		while (n < INGEST_TAKE && p->head) {
			js[n++] = p->head;
			p->head = p->head->next;
		}
		if (!p->head)
			p->tail = NULL;
		chr_article *gone = p->gone_arts;
		p->gone_arts = NULL;
		pthread_mutex_unlock(&p->mu);
		free_articles(gone);
		const chr_doc *ds[INGEST_TAKE];
		item its[INGEST_TAKE];
		for (size_t k = 0; k < n; k++)
			ds[k] = &js[k]->d;
		process_many(g, ds, n, its);
		for (size_t k = 0; k < n; k++) {
			item *it = &its[k];
			it->where = js[k]->where;
			it->bytes = js[k]->d.text_len;
			it->block = js[k];
			it->block_is_job = 1;
			it->fatal = !it->a && it->st == CHR_ENOMEM;
			if (!it->why)
				it->why = js[k]->d.note;
		}
		pthread_mutex_lock(&p->mu);
		for (size_t k = 0; k < n; k++)
			put_result(p, js[k]->seq, its[k]);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* Store or report one result (caller's thread); non-zero to stop. */
static int take_result(chr_ingest *g, const item *it)
{
	g->stats.bytes += it->bytes;
	if (it->fatal || g->fatal) {
		chr_article_free(it->a);
		if (!g->fatal)
			g->fatal = it->st;
		return 1;
	}
	if (it->a)
		return store_one(g, it->a, it->where, it->why) != CHR_OK;
	reject(g, it->where, it->st, it->why);
	return 0;
}

/* Workers for threads = n: n - 1; for 0, one per online core but the
 * store thread's.  On 2 cores a second worker made the ingest slower
 * (Reuters, bench/RESULTS.md: 1.46 cores busy against 1.70 with one):
 * it takes CPU from the store thread, which is the serial line, and the
 * two workers' NER tables crowd each other's cache. */
static int n_workers(int threads)
{
	long n = threads > 1 ? threads - 1 : sysconf(_SC_NPROCESSORS_ONLN) - 1;
	return n < 1 ? 1 : n > INGEST_MAX_WORKERS ? INGEST_MAX_WORKERS : (int)n;
}

static chr_status ingest_threaded(chr_ingest *g, const char *path)
{
	pool *p = calloc(1, sizeof *p);
	if (!p)
		return CHR_ENOMEM;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->room, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->ready, NULL);
	g->p = p;
	g->path = path;
	g->read_st = CHR_OK;
	pthread_t rd, wk[INGEST_MAX_WORKERS];
	int nw = 0, want = n_workers(g->o.threads);
	chr_status st = CHR_OK;
	if (pthread_create(&rd, NULL, reader_main, g)) {
		st = CHR_ENOMEM;
		goto out;
	}
	while (nw < want && !pthread_create(&wk[nw], NULL, worker_main, g))
		nw++;
	pthread_mutex_lock(&p->mu);
	if (!nw) { /* no worker: nothing would ever be processed */
		st = CHR_ENOMEM;
		p->cancel = 1;
	}
	for (;;) {
		size_t k = p->next_out % INGEST_QUEUE;
		while (!p->cancel && !p->full[k] &&
		       !(p->done && p->next_out == p->next_seq)) {
			p->want = p->next_out + INGEST_WAKE;
			pthread_cond_wait(&p->ready, &p->mu);
		}
		p->want = 0;
		if (p->cancel || !p->full[k])
			break;
		item it = p->ring[k];
		p->full[k] = 0;
		p->next_out++;
		p->bytes -= it.bytes;
		if (room_back(p))
			pthread_cond_signal(&p->room);
		pthread_mutex_unlock(&p->mu);
		int stop = take_result(g, &it);
		pthread_mutex_lock(&p->mu);
		give_back(g, &it);
		if (stop)
			p->cancel = 1;
	}
	/* wake everyone: the reader and the workers see cancel or the end */
	pthread_cond_broadcast(&p->room);
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	pthread_join(rd, NULL);
	for (int i = 0; i < nw; i++)
		pthread_join(wk[i], NULL);
out:
	for (size_t k = 0; k < INGEST_QUEUE; k++)
		if (p->full[k]) {
			chr_article_free(p->ring[k].a);
			free(p->ring[k].block);
		}
	free_jobs(p->head);
	free_jobs(p->gone_jobs);
	free_articles(p->gone_arts);
	free_articles(g->gone);
	g->gone = NULL;
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->room);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->ready);
	free(p);
	g->p = NULL;
	return st ? st : g->read_st;
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
	/* the text workers are done: copy the WAL's committed frames on
	 * the checkpointer's thread while the last batch is placed and
	 * committed, not all of them in chr_db_close (store/ckpt.h) */
	if (!g->fatal)
		store_ckpt_soon(g->db);
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
