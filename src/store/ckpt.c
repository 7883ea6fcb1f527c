/*
 * ckpt: WAL checkpoints off the writer's thread (see ckpt.h).
 *
 * Design note: sqlite3_wal_hook tells the writer, after each commit, how
 * many frames the WAL holds.  Past STORE_CKPT_FRAMES the hook wakes the
 * checkpointer thread (started then, once), which runs
 * sqlite3_wal_checkpoint_v2(PASSIVE) on its own connection to the same
 * file: it copies the frames committed so far into the database file
 * and fdatasyncs, while the writer goes on appending; PASSIVE takes no
 * lock the writer waits for and calls no busy handler, and a
 * checkpoint, complete or not, never leaves a WAL database inconsistent
 * (the WAL is only rewound by a writer that finds it all copied).  The
 * thread is asked again every STORE_CKPT_FRAMES new frames, and once
 * more when the next commit will likely pass the ceiling, so the copy
 * is nearly current when it does.
 *
 * The WAL only starts over when a write transaction begins with every
 * frame copied, which a writer that never pauses between transactions
 * does not see while the thread is copying; so past the ceiling the
 * writer checkpoints itself (after waiting for a running background
 * checkpoint, so its own is not refused), copying what is left, usually
 * one commit's frames, and its next transaction rewinds the WAL.  Disk
 * use is thus bounded by the ceiling plus a commit, as before by the
 * threshold plus a commit.  With no thread (SQLite built single-thread,
 * pthread_create failed, or a test said so) the writer checkpoints at
 * the threshold, as SQLite's autocheckpoint did.
 *
 * An ingest's end asks the thread once more (store_ckpt_soon), whatever
 * the threshold, as it starts placing and committing its last batch:
 * the text workers are done by then, so the copy of everything already
 * committed runs on their idle core, and the checkpoint SQLite makes at
 * close copies only the last commit's frames.  Reuters ingest (2
 * threads, 4 interleaved rounds): the last batch plus close 0.49 ->
 * 0.42 s, close alone 0.27 -> 0.19 s.
 *
 * Errors: a background checkpoint that fails is counted and forgotten
 * (the next one, or the writer's, or the final one at close, copies the
 * same frames); the writer's own checkpoint errors are ignored as
 * SQLite's autocheckpoint ignores them.  Neither fails a commit.
 */
#include "store/ckpt.h"
#include "pipeline/profile.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

struct store_ckpt {
	/* The writer's thread only (the hook runs inside its COMMIT). */
	int frames;      /* threshold; the ceiling is STORE_CKPT_CEILING x */
	int background;  /* a thread may help */
	int asked;       /* WAL frames when the thread was last asked; 0 */
	int prev;        /* WAL frames after the previous commit */
	long fg_runs;
	int max_frames, max_commit;
	int started;     /* th runs */
	char *path;      /* the database file, for the thread's connection */
	pthread_t th;
	/* Shared, under mu. */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int want;        /* a checkpoint is asked for */
	int busy;        /* the thread is checkpointing */
	int stop;        /* chr_db_close: end the thread */
	long bg_runs, bg_fails;
};

/* The thread's connection: no busy timeout (nothing it does waits), and
 * one read so the pager opens the WAL, which a checkpoint on a fresh
 * connection would not do. */
static sqlite3 *ckpt_open(const char *path)
{
	sqlite3 *h = NULL;
	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK ||
	    sqlite3_exec(h, "PRAGMA synchronous=NORMAL; PRAGMA schema_version",
			 NULL, NULL, NULL) != SQLITE_OK) {
		sqlite3_close(h);
		return NULL;
	}
	return h;
}

static void *ckpt_main(void *arg)
{
	store_ckpt *c = arg;
	sqlite3 *h = NULL;
	pthread_mutex_lock(&c->mu);
	for (;;) {
		while (!c->want && !c->stop)
			pthread_cond_wait(&c->cv, &c->mu);
		if (c->stop)
			break;
		c->want = 0;
		c->busy = 1;
		pthread_mutex_unlock(&c->mu);
		if (!h)
			h = ckpt_open(c->path);
		int rc = h ? sqlite3_wal_checkpoint_v2(h, "main",
						      SQLITE_CHECKPOINT_PASSIVE,
						      NULL, NULL)
			   : SQLITE_CANTOPEN;
		pthread_mutex_lock(&c->mu);
		c->busy = 0;
		if (rc == SQLITE_OK)
			c->bg_runs++;
		else
			c->bg_fails++;
		pthread_cond_broadcast(&c->cv);
	}
	pthread_mutex_unlock(&c->mu);
	sqlite3_close(h);
	return NULL;
}

/* Wake the thread, starting it the first time; 0 when there is none. */
static int ask(store_ckpt *c, sqlite3 *h)
{
	if (!c->started) {
		const char *p = sqlite3_db_filename(h, "main");
		/* the program's signals are not the thread's to take */
		sigset_t all, old;
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &old);
		int bad = !p || !*p || !(c->path = strdup(p)) ||
			  pthread_create(&c->th, NULL, ckpt_main, c);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		if (bad) {
			free(c->path);
			c->path = NULL;
			c->background = 0; /* do not try at every commit */
			return 0;
		}
		c->started = 1;
	}
	pthread_mutex_lock(&c->mu);
	c->want = 1;
	pthread_cond_signal(&c->cv);
	pthread_mutex_unlock(&c->mu);
	return 1;
}

/* Until the thread has no checkpoint running or asked for. */
static void wait_idle(store_ckpt *c)
{
	if (!c->started)
		return;
	pthread_mutex_lock(&c->mu);
	while (c->busy || c->want)
		pthread_cond_wait(&c->cv, &c->mu);
	pthread_mutex_unlock(&c->mu);
}

/* After each commit on the writer, n the WAL's frames. */
static int on_commit(void *arg, sqlite3 *h, const char *name, int n)
{
	store_ckpt *c = arg;
	int grew = n > c->prev ? n - c->prev : n;
	c->prev = n;
	if (n > c->max_frames)
		c->max_frames = n;
	if (grew > c->max_commit)
		c->max_commit = grew;
	if (n < c->frames) {
		c->asked = 0; /* the WAL started over */
		return SQLITE_OK;
	}
	int64_t ceiling = (int64_t)c->frames * STORE_CKPT_CEILING;
	if (c->background && n < ceiling) {
		if (c->asked && n - c->asked < c->frames &&
		    (int64_t)n + grew < ceiling)
			return SQLITE_OK;
		if (ask(c, h)) {
			c->asked = n;
			return SQLITE_OK;
		}
	}
	uint64_t t = prof_on() ? prof_now() : 0;
	wait_idle(c);
	prof_lap("commit-ckpt-wait", &t);
	sqlite3_wal_checkpoint_v2(h, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	prof_lap("commit-ckpt", &t);
	c->fg_runs++;
	c->asked = 0;
	return SQLITE_OK;
}

void store_ckpt_soon(chr_db *db)
{
	store_ckpt *c = db->ckpt;
	if (!c || !c->background || c->prev - c->asked < STORE_CKPT_SOON)
		return;
	if (ask(c, db->h))
		c->asked = c->prev;
}

void store_ckpt_attach(chr_db *db)
{
	store_ckpt *c = calloc(1, sizeof *c);
	if (!c)
		return;
	if (pthread_mutex_init(&c->mu, NULL)) {
		free(c);
		return;
	}
	if (pthread_cond_init(&c->cv, NULL)) {
		pthread_mutex_destroy(&c->mu);
		free(c);
		return;
	}
	c->frames = STORE_CKPT_FRAMES;
	c->background = sqlite3_threadsafe() != 0;
	db->ckpt = c;
	sqlite3_wal_hook(db->h, on_commit, c);
}

void store_ckpt_detach(chr_db *db)
{
	store_ckpt *c = db->ckpt;
	if (!c)
		return;
	sqlite3_wal_hook(db->h, NULL, NULL);
	if (c->started) {
		pthread_mutex_lock(&c->mu);
		c->stop = 1;
		pthread_cond_signal(&c->cv);
		pthread_mutex_unlock(&c->mu);
		pthread_join(c->th, NULL);
	}
	pthread_cond_destroy(&c->cv);
	pthread_mutex_destroy(&c->mu);
	free(c->path);
	free(c);
	db->ckpt = NULL;
}

void store_ckpt_limits(chr_db *db, int frames, int background)
{
	store_ckpt *c = db->ckpt;
	if (!c)
		return;
	c->frames = frames > 0 ? frames : 1;
	c->background = background && sqlite3_threadsafe() != 0;
}

void store_ckpt_stats(chr_db *db, store_ckpt_stat *out)
{
	memset(out, 0, sizeof *out);
	store_ckpt *c = db->ckpt;
	if (!c)
		return;
	out->fg_runs = c->fg_runs;
	out->max_frames = c->max_frames;
	out->last_frames = c->prev;
	out->max_commit = c->max_commit;
	out->thread = c->started;
	pthread_mutex_lock(&c->mu);
	out->bg_runs = c->bg_runs;
	out->bg_fails = c->bg_fails;
	pthread_mutex_unlock(&c->mu);
}
