/*
 * store: the SQLite database behind chr_db.
 *
 * Design note: SQLite is the default store because it is one file, crash
 * safe in WAL mode, and has FTS5.  The schema is versioned with
 * PRAGMA user_version and upgraded by an ordered list of migrations, each
 * in its own transaction; a file from a newer chronicle is refused rather
 * than damaged.  Every statement is prepared once with bound parameters
 * (no SQL is ever built from input), and ingest writes in batches, one
 * transaction per batch, so a crash loses at most the batch in flight.
 * The WAL's checkpoints run on a thread of their own, not inside the
 * writer's commits (ckpt.h).
 * Internal prefix: store_.
 */
#ifndef CHR_STORE_H
#define CHR_STORE_H

#include <sqlite3.h>
#include "chronicle.h"
#include "pipeline/article.h"

/* Most mention rows (entities.c) and time expression rows (timexes.c)
 * one statement writes: each has a statement for every row count up to
 * that, so an article's rows take one statement while they fit (a
 * statement's fixed cost is a third of a one-row insert's). */
#define STORE_MEN_ROWS 16
#define STORE_TX_ROWS 8
/* The same for dedup's paragraph rows (src/dedup/dbidx.c). */
#define STORE_PARA_ROWS 8
/* Most (entity, alias) counts one statement of the commit's flush
 * writes (entcache.c: ST_EN_ALIAS_PUT + k - 1). */
#define STORE_ALIAS_ROWS 8

enum store_stmt {
	ST_BEGIN,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_DATA_VERSION,
	ST_ART_BY_HASH,
	ST_ART_ID_EXISTS,
	ST_ART_INSERT,
	ST_FTS_INSERT,
	ST_FTS_BATCH,
	ST_ART_GET,
	ST_ART_LIST,
	ST_ART_COUNT,
	ST_SEARCH,
	/* dedup (src/dedup/) */
	ST_DD_ROWID,
	ST_DD_KEYS_SINCE,
	ST_DD_KEYS_MAX,
	ST_DD_PARA_GET,
	ST_DD_PARA_ALL,
	ST_DD_PARA_COUNT,
	ST_DD_PARA_GETN, /* + k - 1: k paragraphs' docs, k <= STORE_PARA_ROWS */
	ST_DD_PARA_GETN_LAST_ = ST_DD_PARA_GETN + STORE_PARA_ROWS - 1,
	ST_DD_KEY_PUT,
	ST_DD_PARA_PUT, /* + k - 1: k rows, k <= STORE_PARA_ROWS */
	ST_DD_PARA_PUT_LAST_ = ST_DD_PARA_PUT + STORE_PARA_ROWS - 1,
	ST_DD_DOC_GET,
	ST_DD_DOC_PUT,
	ST_DD_GRP_GET,
	ST_DD_GRP_SET,
	ST_DD_GRP_MOVE,
	ST_DD_GRP_DEL,
	ST_DD_GROUPS,
	ST_DD_MEMBERS,
	ST_DD_OF_ARTICLE,
	ST_DD_PARA_OTHERS,
	/* time expressions (src/store/timexes.c) */
	ST_TX_PUT, /* ST_TX_PUT + k - 1: k rows, k <= STORE_TX_ROWS */
	ST_TX_PUT_LAST_ = ST_TX_PUT + STORE_TX_ROWS - 1,
	ST_TX_NEW, /* + k - 1: k rows at distinct starts of a new doc */
	ST_TX_NEW_LAST_ = ST_TX_NEW + STORE_TX_ROWS - 1,
	/* entities (src/store/entities.c) */
	ST_EN_BY_KEY,
	ST_EN_BY_SKEY,
	ST_EN_BY_SURNAME,
	ST_EN_INSERT,
	ST_EN_RENAME,
	ST_EN_COUNT_UP,
	ST_EN_ALIAS_PUT, /* + k - 1: k distinct (entity, alias) pairs */
	ST_EN_ALIAS_PUT_LAST_ = ST_EN_ALIAS_PUT + STORE_ALIAS_ROWS - 1,
	ST_EN_ALIAS_NEW, /* + k - 1: k pairs of entities with no alias row */
	ST_EN_ALIAS_NEW_LAST_ = ST_EN_ALIAS_NEW + STORE_ALIAS_ROWS - 1,
	ST_EN_ALIAS_MAXEID,
	ST_EN_AKEYS_PUT, /* + k - 1: k (alias, entity) keys, k <= STORE_ALIAS_ROWS */
	ST_EN_AKEYS_PUT_LAST_ = ST_EN_AKEYS_PUT + STORE_ALIAS_ROWS - 1,
	ST_EN_MENTION_PUT, /* + k - 1: k rows, k <= STORE_MEN_ROWS */
	ST_EN_MENTION_PUT_LAST_ = ST_EN_MENTION_PUT + STORE_MEN_ROWS - 1,
	ST_EN_MENTION_NEW, /* + k - 1: k rows at distinct starts of a new doc */
	ST_EN_MENTION_NEW_LAST_ = ST_EN_MENTION_NEW + STORE_MEN_ROWS - 1,
	ST_EN_DOCS_PUT, /* + k - 1: k (entity, doc) pairs, k <= STORE_MEN_ROWS */
	ST_EN_DOCS_PUT_LAST_ = ST_EN_DOCS_PUT + STORE_MEN_ROWS - 1,
	ST_EN_CACHE_LOAD,
	ST_EN_LIST,
	ST_EN_LIST_TYPE,
	ST_EN_FIND_ALIAS,
	ST_EN_GET,
	ST_EN_ALIASES,
	ST_EN_ROLES,
	ST_EN_ARTICLES,
	/* facts (src/facts/store.c) */
	ST_FA_PUT,
	ST_FA_COUNT_PUT,
	ST_FA_EID,
	ST_FA_ROWS,
	ST_FA_DOC,
	ST_FA_COUNTS,
	ST_FA_ROLES,
	ST_FA_DOC_EIDS,
	ST_FA_EN_NAME,
	ST_FA_DOCS,
	ST_FA_FIND,
	/* events (src/events/ev_ingest.c, src/store/events_store.c) */
	ST_EV_GROUP_EVENT,
	ST_EV_ART_PUT,
	ST_EV_ART_EVENT,
	ST_EV_ART_MOVE,
	ST_EV_ENT_ADD,
	ST_EV_ENT_ADDN, /* STORE_EE_ROWS rows */
	ST_EV_ENT_NEWN, /* STORE_EE_ROWS rows of events past ee_top */
	ST_EV_ENT_MAXEV,
	ST_EV_ENT_SUB,
	ST_EV_ENT_DEL,
	ST_EV_ENT_MERGE,
	ST_EV_ENT_DROP,
	ST_EV_DOC_COUNTS,
	ST_EV_PUT,
	ST_EV_COUNT_UP,
	ST_EV_MAXID,
	ST_EV_RECENT_DOCS,
	ST_EV_DOC_GET,
	ST_EV_DOC_ENTS,
	ST_EV_DOC_TIMEX,
	ST_EV_DATE_ART,
	ST_EV_STORY_OF,
	ST_EV_STORY_MAX,
	ST_EV_STORY_LINK,
	ST_EV_STORY_PUT,
	ST_EV_STORY_GC,
	ST_EV_LIST,
	ST_EV_GET,
	ST_EV_STORIES,
	ST_EV_STORY_EVENTS,
	/* the side tables' moves into their main tables (src/store/fold.c) */
	ST_FOLD_COUNT,
	ST_FOLD_PARAS,
	ST_FOLD_PARAS_CLEAR,
	ST_FOLD_EDOCS,
	ST_FOLD_EDOCS_CLEAR,
	ST_FOLD_AKEYS,
	ST_FOLD_AKEYS_CLEAR,
	ST_COUNT_
};


/* The WAL checkpointer (ckpt.c). */
typedef struct store_ckpt store_ckpt;

struct chr_db {
	sqlite3 *h;
	sqlite3_stmt *st[ST_COUNT_];
	int in_tx;
	/* Above every event with event_entities rows in the open
	 * transaction (store_ev_ents_add; 0: not read yet; read again in
	 * each transaction, unused outside one). */
	int64_t ee_top;
	/* First article rowid of the open transaction not yet in the FTS
	 * index (0: none); indexed in one statement at commit (store.c). */
	sqlite3_int64 fts_from;
	/* A stage's in-memory mirror of rows it wrote (src/dedup/recent.c),
	 * built from the store on first use; dropped at a rollback of
	 * writes (store_rollback) and at close, so it never holds what the
	 * database does not. */
	void *cache;
	void (*cache_free)(void *cache);
	/* The entity store's key cache and the open transaction's pending
	 * mention counts (entcache.c); dropped as cache is. */
	struct store_ents *ents;
	int64_t ents_version; /* PRAGMA data_version the cache is valid for */
	/* No error since the last commit (store_fail clears it, a commit
	 * sets it): outside a transaction the two mirrors above then hold
	 * only committed rows, so a rollback with nothing to undo (the end
	 * of every ingest run) keeps them for the next run. */
	int mirror_ok;
	store_ckpt *ckpt;     /* checkpoints off this thread; NULL: SQLite's */
	long fold_rows;       /* side-table rows that make a fold (0: default) */
	int write_cache;      /* the writer's page cache is set (store_begin) */
	char err[512];
};

/* Record the SQLite error (or msg when non-NULL) in db->err and return
 * CHR_EDB. */
chr_status store_fail(chr_db *db, const char *what);
/* The prepared statement k, reset and with bindings cleared. */
sqlite3_stmt *store_stmt(chr_db *db, enum store_stmt k);
/* Step k, a statement of no parameters that gives one row, and put its
 * first column in *out; CHR_EDB (the error says what) without a row. */
chr_status store_int(chr_db *db, enum store_stmt k, const char *what,
		     int64_t *out);
/* The same, reset but with the last use's bindings left: only for a
 * caller that binds every parameter of k before each step (NULLs
 * included), where clearing them (a pass over all of them, ~230
 * instructions a use) changes nothing. */
sqlite3_stmt *store_stmt_bound(chr_db *db, enum store_stmt k);
chr_status store_begin(chr_db *db);
/* The open transaction's work before COMMIT: the pending entity counts,
 * the FTS index of its articles, the side tables' folds when due.
 * store_commit does it too (then it finds nothing left); a caller runs
 * it first to overlap it with other work. */
chr_status store_commit_prep(chr_db *db);
chr_status store_commit(chr_db *db);
void store_rollback(chr_db *db);
/* Free db->cache (if any); the next user rebuilds it. */
void store_drop_cache(chr_db *db);

/* entcache.c: the entity store's memory (see there).  At a
 * transaction's start: drop the key cache if another connection
 * committed. */
typedef struct store_ents store_ents;
chr_status store_ents_begin(chr_db *db);
/* The cached (eid, score) of the entity with this key: 1; 0 when not
 * cached (outside a transaction, nothing is); -1 when the cache holds
 * every row, so there is no such entity. */
int store_ents_get(chr_db *db, const char *key, int64_t *eid, int *score);
/* Cache key's entity row as it now is (best effort). */
void store_ents_set(chr_db *db, const char *key, int64_t eid, int score);
/* Add n mentions of entity eid written as alias[0..len) to the pending
 * counts; with alias NULL, to the entity's count only (a new row's
 * mentions already counted in it are -n). */
chr_status store_ents_add(chr_db *db, int64_t eid, const char *alias,
			  size_t len, int64_t n);
/* The same, of which counted are in the entity's row already (its
 * article's, when the row was inserted): n for the alias, n - counted
 * for the entity. */
chr_status store_ents_add_counted(chr_db *db, int64_t eid, const char *alias,
				  size_t len, int64_t n, int64_t counted);
/* A stored mention row: its start as stored and its entity. */
typedef struct store_men {
	int64_t start;
	int64_t eid;
} store_men;
/* Remember the mention rows just written for article doc, in order. */
void store_ents_rows(chr_db *db, int64_t doc, const store_men *r, size_t n);
/* The same without a copy: room for n rows in the cache (NULL when
 * none could be had), which forgets the rows it held until
 * store_ents_rows_set(db, doc, n) says the first n are doc's. */
store_men *store_ents_rows_buf(chr_db *db, size_t n);
void store_ents_rows_set(chr_db *db, int64_t doc, size_t n);
/* The entity of doc's mention row at start as store_ents_rows was told:
 * 1, or 0 when it was not (then read the table). */
int store_ents_row_eid(chr_db *db, int64_t doc, int64_t start, int64_t *eid);
/* An entity's mentions in one article (or n of them in one event). */
typedef struct store_eidn {
	int64_t eid;
	int64_t n;
} store_eidn;
/* doc's (eid, rows) pairs, eid ascending, as its mention rows just
 * written count them (store_ents_doc_counts answers with them). */
void store_ents_counts(chr_db *db, int64_t doc, const store_eidn *c, size_t n);
/* The same without a copy: room for n pairs (NULL when doc's rows are
 * not the ones held, or no room could be had), which forgets the pairs
 * it held until store_ents_counts_set(db, doc, n) says the first n are
 * doc's. */
store_eidn *store_ents_counts_buf(chr_db *db, int64_t doc, size_t n);
void store_ents_counts_set(chr_db *db, int64_t doc, size_t n);
/* doc's (eid, mentions) pairs as its stored mention rows count them (a
 * later row at the same start replaced an earlier one), eid ascending:
 * as store_ents_counts was told for doc, else from the rows
 * store_ents_rows was told, else read from the table.  *out is malloc'd
 * (NULL when *n is 0). */
chr_status store_ents_doc_counts(chr_db *db, int64_t doc, store_eidn **out,
				 size_t *n);
/* Write the pending counts (store_commit calls it). */
chr_status store_ents_flush(chr_db *db);
/* Forget the cache and the pending counts. */
void store_ents_drop(chr_db *db);

/* One (event, entity) count for event_entities. */
typedef struct store_evn {
	int64_t event;
	int64_t eid;
	int64_t n;
} store_evn;
/* Add each v[i].n to event_entities' (event, eid) row, made when
 * missing: what its insert triggers did per article (src/store/
 * events_store.c).  v is sorted and summed in place, each pair written
 * once; a negative sum (a doc's counts taken away) leaves a row that
 * reaches 0 out, as the triggers did. */
#define STORE_EE_ROWS 8
chr_status store_ev_ents_add(chr_db *db, store_evn *v, size_t n);
/* Event from merged into event into: from's event_entities rows summed
 * into into's and removed (what moving each of its articles did through
 * the move trigger, one read-back of its mentions per article). */
chr_status store_ev_ents_merge(chr_db *db, int64_t from, int64_t into);

/* Insert a processed article.  Returns CHR_OK when stored,
 * CHR_EDUPLICATE when the same content is already there (*existing_id, if
 * non-NULL, gets a malloc'd copy of the stored id).  Id collisions with
 * different content get a suffix ("-2", "-3", ...); a->id is updated. */
chr_status store_put_article(chr_db *db, chr_article *a, char **existing_id);

/* Store the article's time expressions (a->rowid set), inside the open
 * transaction. */
chr_status store_put_timexes(chr_db *db, const chr_article *a);

/* Resolve and store the entity mentions of a stored article (a->rowid
 * set), inside the open transaction. */
chr_status store_put_entities(chr_db *db, chr_article *a);

/* Store the facts and counts found in a stored article (a->rowid set,
 * entities stored), inside the open transaction (src/facts/store.c). */
chr_status store_put_facts(chr_db *db, const chr_article *a);

#endif
