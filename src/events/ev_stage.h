/*
 * ev_stage.h: the events stage's insides, shared by ev_ingest.c (the
 * stage, its store writes) and ev_decide.c (the engine's decisions for a
 * batch, on the events thread).  Not part of the library's interface.
 *
 * Design note: a batch (ev_batch) is placed in two halves.  The decide
 * half (ev_decide.c) runs the engine only (the keys interned, the
 * placements, the batch's merge checks) and records, in order, what the
 * store must be told (ev_op: an event made, an article placed, a merge);
 * it reads no SQLite.  The write half (ev_ingest.c, the store thread)
 * replays that record through the same store calls the stage made while
 * placing, in the same order, then writes the events the batch touched.
 * The one store read the engine's choices depended on (the event of
 * another article of an article's syndication group) is gathered before
 * the batch is handed over (ev_batch_gather) and kept exact in memory as
 * the decide half places and merges (ev_decide.c).
 */
#ifndef CHR_EV_STAGE_H
#define CHR_EV_STAGE_H

#include <pthread.h>
#include <sqlite3.h>

#include "events.h"

#define EV_MAXWDAYS 8

typedef struct pend {
	ev_doc d;         /* built by the decide half from prep */
	ev_prep *prep;    /* the article's, taken over; freed once applied */
	int64_t rowid;
	int dated;
	int wdays[EV_MAXWDAYS], wtense[EV_MAXWDAYS];
	size_t nwdays;
	struct store_eidn *ents; /* (eid, mentions), for event_entities */
	size_t nents;
	const char *dl;   /* its dateline, interned (NULL: none) */
	int dll, dlok;    /* dlok = 0: over the ceiling, not kept */
	size_t grp;       /* its group's index in the batch's, -1: none */
} pend;

/* What the store is told, in the order the stage told it. */
enum { EV_OP_NEW, EV_OP_ART, EV_OP_ART_STORED, EV_OP_MERGE };
typedef struct ev_op {
	int kind;
	size_t at;        /* NEW: engine index; ART*: queue index */
	int64_t a, b;     /* ART*: the event id and the group's event
			   * the decide half used; MERGE: from, into */
} ev_op;

/* One syndication group's event_articles rows (doc, event): read when
 * the batch is handed over, then kept as the stage's statements would
 * change them. */
typedef struct ev_grow {
	int64_t doc, ev;
} ev_grow;
typedef struct ev_group {
	int64_t id;
	ev_grow *v;
	size_t n, cap;
} ev_group;
#define EV_GROUP_ROWS_MAX ((size_t)1 << 22) /* a batch's, in all */

typedef struct ev_batch {
	pend *q;
	size_t nq, qcap;
	size_t *idx;      /* per queued article: its engine index, -1: none */
	ev_op *ops;
	size_t nops, opscap;
	ev_group *g;
	size_t ng, gcap, nrows;
	chr_status st;    /* the decide half's */
} ev_batch;
#define EV_OPS_MAX ((size_t)1 << 24)

struct ev_stage {
	chr_db *db;
	ev_engine e;
	ht ids;          /* event id -> engine index + 1 */
	arena keys;      /* ids' keys */
	ev_batch fill;   /* articles queued since the last hand-over */
	ev_batch fly;    /* handed over: deciding, or decided and unwritten */
	int64_t max_id;  /* stored maximum */
	sqlite3_stmt *merge_q[3]; /* apply_merge's, prepared at the first */
	sqlite3_stmt *put_q[3];   /* put_event's, prepared at the first */
	sqlite3_stmt *sib_q[2];   /* ev_batch_gather's, the same */
	int flying;               /* fly is handed over, not yet written */
	ev_eesums ee;             /* event_entities sums not yet written */
	ev_members mem;           /* held events' counts and datelines */
	/* the events thread (ev_stage_thread; threaded = 0: none, the
	 * decide half runs on the caller's thread) */
	int threaded, busy, quit;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

/* ev_ingest.c */
chr_status ev_map_id(ev_stage *s, int64_t id, size_t k);
size_t ev_find_id(const ev_stage *s, int64_t id);
/* *q, prepared from sql at the first call (NULL: failed). */
sqlite3_stmt *ev_lazy_stmt(ev_stage *s, sqlite3_stmt **q, const char *sql);
void ev_batch_clear(ev_batch *b); /* free the articles, keep the arrays */
void ev_batch_free(ev_batch *b);
/* ev_decide.c */
chr_status ev_batch_gather(ev_stage *s, ev_batch *b); /* store thread */
chr_status ev_batch_decide(ev_stage *s, ev_batch *b); /* engine only */
/* Hand s->fly to the events thread; wait until it is decided. */
void ev_fly_start(ev_stage *s);
void ev_fly_wait(ev_stage *s);
void ev_thread_stop(ev_stage *s); /* after the batch in flight */

#endif
