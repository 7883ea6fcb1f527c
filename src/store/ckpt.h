/*
 * ckpt: WAL checkpoints off the writer's thread (see ckpt.c).
 *
 * Design note: SQLite's autocheckpoint copies the WAL into the database
 * file, and fdatasyncs both, inside the COMMIT that takes the WAL past
 * its threshold: on the ingest's store thread, the pipeline's serial
 * line.  A chr_db's connection instead hands that work to a thread of
 * its own (started when the WAL first needs a checkpoint, joined at
 * chr_db_close) with its own connection, which checkpoints PASSIVE, so
 * it never waits for, nor blocks, the writer.  The writer still
 * checkpoints itself when the WAL passes a ceiling (disk use stays
 * bounded) or when no thread can be had (as SQLite's autocheckpoint).
 * Internal prefix: store_ckpt_.
 */
#ifndef CHR_STORE_CKPT_H
#define CHR_STORE_CKPT_H

#include "store/store.h"

/* WAL frames (pages) that ask for a checkpoint: 64 MB of 4 KB pages;
 * past STORE_CKPT_CEILING times that the writer checkpoints itself.
 * That checkpoint makes the writer wait for the thread's copy and then
 * copy and sync the rest itself, and at a million articles, where a
 * commit writes ~25,000 frames, a ceiling of 4 (256 MB) came every third
 * commit and cost ~1 s each time (0.2-0.3 s for the others): 8 (512 MB
 * of WAL on disk at most, plus a commit) halved how often.  With 8,192
 * articles a commit and the WAL's writes gathered (walbuf.c), the
 * writer's own checkpoints were then more than half of the COMMITs'
 * time late in a million-article ingest (3.9 of 7.0 s per 100k
 * articles): 16 (1 GB at most, plus a commit) halves how often again. */
#ifndef STORE_CKPT_FRAMES /* -D for a crash test that passes it often */
#define STORE_CKPT_FRAMES 16384
#endif
#define STORE_CKPT_CEILING 16

/* Watch db's commits (sqlite3_wal_hook, which replaces SQLite's
 * autocheckpoint).  Failure leaves the autocheckpoint as it was. */
void store_ckpt_attach(chr_db *db);
/* Stop and join the thread, close its connection, free; the caller's
 * close then makes the final checkpoint as SQLite always does. */
void store_ckpt_detach(chr_db *db);

/* Ask the thread (starting it if need be) to copy what the WAL holds now,
 * without waiting, when that is at least STORE_CKPT_SOON frames it was
 * not asked to copy yet: ingest calls this as it starts its last batch,
 * so the copy runs on the core the finished text workers left idle, and
 * the checkpoint at close copies only the last commit's frames.  Nothing
 * when there is no thread. */
#define STORE_CKPT_SOON 1024
void store_ckpt_soon(chr_db *db);

/* For tests: the threshold in frames (the ceiling is
 * STORE_CKPT_CEILING times it), and whether a thread may help (0: the
 * writer checkpoints at the threshold, as the autocheckpoint did). */
void store_ckpt_limits(chr_db *db, int frames, int background);

typedef struct store_ckpt_stat {
	long bg_runs;    /* checkpoints the thread completed */
	long bg_fails;   /* its checkpoints that returned an error */
	long fg_runs;    /* checkpoints on the writer's thread */
	int max_frames;  /* most WAL frames a commit saw */
	int last_frames; /* WAL frames after the last commit */
	int max_commit;  /* most frames one commit added */
	int thread;      /* a thread was started */
} store_ckpt_stat;
/* Counts so far; the thread's as of its last finished checkpoint. */
void store_ckpt_stats(chr_db *db, store_ckpt_stat *out);

#endif
