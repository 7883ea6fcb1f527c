/*
 * chronicle.h: the one public header of libchronicle.
 *
 * Design note: everything a program needs goes through opaque handles with
 * a chr_ prefix, so the internals (arenas, token arrays, SQL) can change
 * without breaking callers.  Every function that can fail returns a
 * chr_status; the values below are never renumbered.  Ownership is stated
 * per function: "caller frees with X" means exactly that; "borrowed"
 * means valid until the handle it came from is freed or reused.  Strings
 * are NUL-terminated UTF-8 (NFC) unless a length is given.
 *
 * The CLI (cli/) and the server link only through this header.
 */
#ifndef CHRONICLE_H
#define CHRONICLE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CHR_VERSION "0.1.0"

/* ------------------------------------------------------------------ */
/* Status                                                               */
/* ------------------------------------------------------------------ */

typedef enum chr_status {
	CHR_OK = 0,
	CHR_ENOMEM = 1,     /* out of memory */
	CHR_EIO = 2,        /* a file could not be read or written */
	CHR_EINVAL = 3,     /* a bad argument from the caller */
	CHR_EPARSE = 4,     /* malformed input (JSON, TimeML, CoNLL) */
	CHR_EENCODING = 5,  /* invalid UTF-8 where it is not tolerated */
	CHR_EBINARY = 6,    /* binary data where text was expected */
	CHR_EEMPTY = 7,     /* no content */
	CHR_ETOOBIG = 8,    /* over a size ceiling */
	CHR_EDB = 9,        /* the database refused */
	CHR_ENOTFOUND = 10, /* no such article, event, entity, file */
	CHR_EQUERY = 11,    /* a malformed search query */
	CHR_EMODEL = 12,    /* a missing, corrupt or incompatible model file */
	CHR_EDUPLICATE = 13,/* already stored (informational) */
	CHR_ELIMIT = 14,    /* a structural limit (nesting, count) was hit */
	CHR_EINTERRUPTED = 15, /* stopped by the caller's callback */
	CHR_ESCHEMA = 16,   /* the database was written by a newer chronicle */
	CHR_STATUS_COUNT
} chr_status;

/* A static English message for st; never NULL. */
const char *chr_strerror(chr_status st);
/* The library version string, static. */
const char *chr_version(void);
/* Details of the last failure in this thread of a function that has no
 * handle to carry them (chr_db_open, chr_reader_new, model loading): a
 * borrowed, thread-local string, "" when none. */
const char *chr_last_error(void);
/* Process tuning for programs built on the library (the library never
 * calls these).  chr_tune_exec(argv), called first thing in main with
 * main's argv (borrowed), re-executes the program once with glibc's
 * malloc tunable for transparent huge pages set (GLIBC_TUNABLES gains
 * glibc.malloc.hugetlb=1), which makes ingest faster; it returns without
 * doing anything when that would not help or is not wanted (not glibc
 * 2.35+ on Linux, the kernel's THP mode is not "madvise", the tunable is
 * already set, LD_PRELOAD is set, CHRONICLE_HUGEPAGES=0), and returns
 * after restoring the environment if the exec fails.  chr_tune_wanted
 * says whether it would re-execute now (1) or not (0). */
void chr_tune_exec(char **argv);
int chr_tune_wanted(void);
/* Free memory the library handed to the caller ("caller frees with
 * chr_free").  NULL is fine. */
void chr_free(void *p);

/* ------------------------------------------------------------------ */
/* Documents and the reader                                             */
/* ------------------------------------------------------------------ */

/* One input document before processing.  All fields are borrowed from the
 * producer and may be NULL except text.  text need not be NUL-terminated;
 * text_len counts its bytes. */
typedef struct chr_doc {
	const char *id;       /* input id (JSON) or file stem (text) */
	const char *title;    /* headline given by the input, if any */
	const char *text;     /* body, valid NFC UTF-8 */
	size_t text_len;
	const char *date;     /* input date, any common form */
	const char *url;
	const char *source;   /* outlet or feed named by the input */
	const char *dateline; /* dateline given by the input */
	const char *path;     /* where it came from ("-" for stdin) */
	uint64_t line;        /* 1-based JSON Lines line, 0 for text files */
	const char *note;     /* reader's note, e.g. decoded as Windows-1252 */
} chr_doc;

/* Called for each document.  Return 0 to go on, non-zero to stop the
 * reader with CHR_EINTERRUPTED.  The doc and its strings are borrowed for
 * the duration of the call only. */
typedef int (*chr_doc_fn)(void *ctx, const chr_doc *doc);
/* Called for each input the reader refuses: where is "file", "file:line"
 * or "file:byte N"; reason is a short English phrase.  Both borrowed. */
typedef void (*chr_reject_fn)(void *ctx, const char *where,
			      chr_status st, const char *reason);

typedef enum chr_format {
	CHR_FORMAT_AUTO = 0,  /* JSON Lines if the first byte is '{', else text */
	CHR_FORMAT_TEXT = 1,  /* one plain-text article */
	CHR_FORMAT_JSONL = 2  /* one JSON object per line */
} chr_format;

typedef struct chr_reader chr_reader;

/* Create a streaming reader for one input named name (used for ids of text
 * articles and in messages; borrowed, copied).  max_article bounds one
 * article or one JSON line in bytes (0 = 2 MiB).  Caller frees with
 * chr_reader_free. */
chr_status chr_reader_new(const char *name, chr_format fmt,
			  size_t max_article, chr_doc_fn on_doc,
			  chr_reject_fn on_reject, void *ctx,
			  chr_reader **out);
/* Feed the next bytes of the input; documents are emitted as soon as they
 * are complete (a full JSON line).  Returns CHR_EINTERRUPTED if on_doc
 * asked to stop. */
chr_status chr_reader_feed(chr_reader *r, const void *data, size_t len);
/* End of input: emit what remains (a text article, a last line without a
 * newline; a truncated JSON line is rejected). */
chr_status chr_reader_finish(chr_reader *r);
/* Documents emitted and inputs rejected so far. */
uint64_t chr_reader_emitted(const chr_reader *r);
uint64_t chr_reader_rejected(const chr_reader *r);
void chr_reader_free(chr_reader *r);

/* Read a file, a folder (recursively, in name order) or "-" (stdin),
 * calling on_doc and on_reject as chr_reader does.  Non-regular files and
 * unreadable entries are rejected, not fatal. */
chr_status chr_read_path(const char *path, size_t max_article,
			 chr_doc_fn on_doc, chr_reject_fn on_reject,
			 void *ctx);

/* ------------------------------------------------------------------ */
/* Articles                                                             */
/* ------------------------------------------------------------------ */

typedef struct chr_article chr_article;

/* Run the text stages (clean, meta, text, time, ...) on one document,
 * without a store.  Caller frees *out with chr_article_free. */
chr_status chr_article_process(const chr_doc *doc, chr_article **out);
void chr_article_free(chr_article *a);

/* Accessors: every string is borrowed from a and may be NULL when absent
 * (never for id, headline and text, which are "" when empty). */
const char *chr_article_id(const chr_article *a);
const char *chr_article_path(const chr_article *a);
const char *chr_article_headline(const chr_article *a);
const char *chr_article_text(const chr_article *a);
/* YYYY-MM-DD or NULL; source is "input", "header", "dateline", "text",
 * "event" or NULL. */
const char *chr_article_published(const chr_article *a);
const char *chr_article_published_from(const chr_article *a);
const char *chr_article_dateline(const chr_article *a);
const char *chr_article_outlet(const chr_article *a);
const char *chr_article_url(const chr_article *a);
size_t chr_article_agency_count(const chr_article *a);
const char *chr_article_agency(const chr_article *a, size_t i);
/* What cleaning removed, in input order, with the reason for each. */
size_t chr_article_removed_count(const chr_article *a);
const char *chr_article_removed_text(const chr_article *a, size_t i);
const char *chr_article_removed_reason(const chr_article *a, size_t i);
size_t chr_article_sentence_count(const chr_article *a);
/* Byte offsets of sentence i in chr_article_text. */
void chr_article_sentence(const chr_article *a, size_t i, size_t *start,
			  size_t *end);
size_t chr_article_token_count(const chr_article *a);
void chr_article_token(const chr_article *a, size_t i, size_t *start,
		       size_t *end);

/* The article as one JSON object (the contract in PRODUCT.md).  Caller
 * frees with chr_free; *len (if non-NULL) gets the length. */
char *chr_article_json(const chr_article *a, size_t *len);

/* ------------------------------------------------------------------ */
/* Store                                                                */
/* ------------------------------------------------------------------ */

typedef struct chr_db chr_db;

/* Open or create the database at path, upgrading its schema if it is
 * older.  Caller frees with chr_db_close.  On failure *out is NULL.
 * The first call turns off SQLite's memory statistics
 * (SQLITE_CONFIG_MEMSTATUS) if the program has not started SQLite yet;
 * like any sqlite3_config call it must not race another thread's first
 * use of SQLite. */
chr_status chr_db_open(const char *path, chr_db **out);
void chr_db_close(chr_db *db);
/* The last database error in English (borrowed from db). */
const char *chr_db_errmsg(const chr_db *db);
/* The schema version this build writes. */
int chr_db_schema_version(void);

/* Fetch one stored article by id.  Caller frees with chr_article_free.
 * CHR_ENOTFOUND when there is no such id. */
chr_status chr_db_article(chr_db *db, const char *id, chr_article **out);
/* Called per article in a listing; the article is borrowed for the call.
 * Return non-zero to stop. */
typedef int (*chr_article_fn)(void *ctx, const chr_article *a);
/* Articles in id order; limit 0 means no limit. */
chr_status chr_db_articles(chr_db *db, size_t limit, size_t offset,
			   chr_article_fn fn, void *ctx);
int64_t chr_db_article_count(chr_db *db);

/* One full-text search hit; strings borrowed for the call. */
typedef struct chr_hit {
	const char *id;
	const char *headline;
	const char *published;
	const char *snippet; /* with matches between \x02 and \x03 */
	double score;        /* larger is better */
} chr_hit;
typedef int (*chr_hit_fn)(void *ctx, const chr_hit *hit);
/* FTS5 search over headline and text, best first.  A malformed query is
 * CHR_EQUERY (chr_db_errmsg says why), never a crash. */
chr_status chr_db_search(chr_db *db, const char *query, size_t limit,
			 size_t offset, chr_hit_fn fn, void *ctx);

/* ---- added for the server (issue 8) ---------------------------------- */
/* Articles newest first: published date descending, then articles with no
 * known date; within a date, the most recently stored first.  Otherwise as
 * chr_db_articles (limit 0 means no limit). */
chr_status chr_db_articles_newest(chr_db *db, size_t limit, size_t offset,
				  chr_article_fn fn, void *ctx);
/* A number that changes whenever another connection commits to the
 * database (SQLite's PRAGMA data_version): the key of a cache of answers
 * built from it.  Commits made through db itself do not change it, and
 * values are comparable only between calls on the same db.  Cheap: it
 * reads no table.  CHR_EDB on failure (*out untouched). */
chr_status chr_db_data_version(chr_db *db, int64_t *out);
/* s[0, n) as a JSON string literal, quotes included, valid JSON whatever
 * the bytes: RFC 8259 escapes, other control bytes and DEL as \u00XX,
 * U+2028/U+2029 escaped (they end JavaScript strings), and each byte that
 * is not part of valid UTF-8 replaced by U+FFFD.  A NULL s gives null.
 * Caller frees with chr_free; *len (if non-NULL) gets the length; NULL
 * when out of memory. */
char *chr_json_quote(const char *s, size_t n, size_t *len);
/* ---- end of server additions ----------------------------------------- */

/* ------------------------------------------------------------------ */
/* Dedup: syndication groups and paragraph reuse (src/dedup/)           */
/* ------------------------------------------------------------------ */

/* One syndication group: copies of one story.  Every pointer is borrowed
 * for the duration of the callback only. */
typedef struct chr_dup_group {
	int64_t id;                  /* stable: the store rowid of its first article */
	const char *original;        /* article id of the best guess of the source
					copy (rule in docs/dedup.md) */
	size_t n;                    /* articles in the group */
	const char *const *articles; /* their ids, in arrival order */
} chr_dup_group;
/* Return non-zero to stop (the call then returns CHR_EINTERRUPTED). */
typedef int (*chr_dup_group_fn)(void *ctx, const chr_dup_group *g);
/* Groups with at least min_size articles, by id (min_size 2: real
 * syndication groups; 0 or 1: every article's group). */
chr_status chr_db_dup_groups(chr_db *db, size_t min_size,
			     chr_dup_group_fn fn, void *ctx);
/* The group of article id, passed to fn once (a lone article is a group
 * of one).  CHR_ENOTFOUND for no such article or one not deduplicated. */
chr_status chr_db_article_group(chr_db *db, const char *id,
				chr_dup_group_fn fn, void *ctx);

/* A paragraph of an article that also appears, word for word (after
 * normalisation), in articles outside its group: stock text such as a
 * standard explanation.  Borrowed for the duration of the callback. */
typedef struct chr_reuse {
	size_t start, end;           /* byte span in the article's text */
	const char *text;            /* that paragraph, NUL-terminated */
	size_t n;                    /* other articles with it (at most 64) */
	const char *const *articles; /* their ids, in arrival order */
} chr_reuse;
typedef int (*chr_reuse_fn)(void *ctx, const chr_reuse *r);
/* Reused paragraphs of article id, in text order. */
chr_status chr_db_article_reuse(chr_db *db, const char *id, chr_reuse_fn fn,
				void *ctx);
/* chr_article_json plus the dedup fields "group" ({id, original,
 * articles}, null when unknown) and "reused" ([{start, end, text,
 * articles}]).  Caller frees with chr_free; NULL on failure. */
char *chr_db_article_json(chr_db *db, const chr_article *a, size_t *len);
/* ---- end of Dedup -------------------------------------------------- */

/* ------------------------------------------------------------------ */
/* Ingest                                                               */
/* ------------------------------------------------------------------ */

typedef struct chr_ingest_stats {
	uint64_t stored;     /* new articles committed */
	uint64_t duplicates; /* already stored (same content) */
	uint64_t rejected;   /* refused inputs */
	uint64_t bytes;      /* input bytes processed */
} chr_ingest_stats;

typedef struct chr_ingest_opts {
	size_t max_article;  /* bytes; 0 = 2 MiB */
	size_t batch;        /* articles per transaction; 0 = 8192 */
	/* articles per events placement inside a transaction (and at its
	 * end); 0 = 1024 */
	size_t ev_batch;
	/* 1 = read, process and store on the caller's thread; n > 1 = a
	 * reader thread and n - 1 text workers process articles in parallel
	 * while the caller's thread stores; 0 = one text worker per online
	 * core but one (at least one, at most 16).  Callbacks always run on
	 * the caller's thread, in input order, and the stored result is the
	 * same either way. */
	int threads;
	chr_reject_fn on_reject;
	/* Called for an article stored with a caveat (e.g. decoded as
	 * Windows-1252); where as in chr_reject_fn.  May be NULL. */
	void (*on_note)(void *ctx, const char *where, const char *note);
	/* Called after each committed batch; may be NULL. */
	void (*on_progress)(void *ctx, const chr_ingest_stats *st);
	void *ctx;
} chr_ingest_opts;

typedef struct chr_ingest chr_ingest;

/* Start an ingest into db (borrowed; must outlive the ingest).  opts is
 * copied; NULL means defaults.  Caller frees with chr_ingest_free. */
chr_status chr_ingest_new(chr_db *db, const chr_ingest_opts *opts,
			  chr_ingest **out);
/* Ingest a file, folder or "-".  Rejections go to on_reject and do not
 * stop the run; the return is an error only when the store failed. */
chr_status chr_ingest_path(chr_ingest *ing, const char *path);
/* Ingest one document (already read). */
chr_status chr_ingest_doc(chr_ingest *ing, const chr_doc *doc);
/* Commit what is pending and fill *stats (may be NULL). */
chr_status chr_ingest_finish(chr_ingest *ing, chr_ingest_stats *stats);
/* Free; anything not finished is rolled back. */
void chr_ingest_free(chr_ingest *ing);

/* ------------------------------------------------------------------ */
/* Entities / NER                                                       */
/* ------------------------------------------------------------------ */

typedef enum chr_ent_type {
	CHR_ENT_NONE = 0,
	CHR_ENT_PER = 1,
	CHR_ENT_LOC = 2,
	CHR_ENT_ORG = 3,
	CHR_ENT_MISC = 4
} chr_ent_type;

/* "PER", "LOC", "ORG", "MISC" ("O" otherwise); static. */
const char *chr_ent_type_name(int type);

typedef struct chr_ner chr_ner;

/* Load the NER model (mmap'ed, read-only; one model may be shared by
 * threads).  path NULL searches: $CHRONICLE_MODELS/ner.bin, then
 * <exe dir>/../models/ner.bin, <exe dir>/../share/chronicle/models/ner.bin,
 * the compiled-in CHR_MODELS_DIR, then ./models/ner.bin.  A missing,
 * truncated, corrupt or wrong-version file is CHR_EMODEL, with the reason
 * in chr_ner_errmsg().  Caller frees *out with chr_ner_free. */
chr_status chr_ner_load(const char *path, chr_ner **out);
/* Why the last chr_ner_load in this thread failed; static, per thread. */
const char *chr_ner_errmsg(void);
void chr_ner_free(chr_ner *m);

/* Tag n pre-tokenized tokens forming one document (tok[i] borrowed,
 * NUL-terminated UTF-8).  sent_start[i] non-zero marks the first token of
 * a sentence (NULL: one sentence).  tags[n] (caller's) receives IOB2
 * codes: 0 = O, 2k-1 = B- and 2k = I- of type k (a chr_ent_type). */
chr_status chr_ner_tag_tokens(const chr_ner *m, const char *const *tok,
			      const unsigned char *sent_start, size_t n,
			      uint8_t *tags);
/* "O", "B-PER", "I-PER", ... for a tag code; static. */
const char *chr_ner_tag_name(uint8_t tag);

/* One entity mention: byte offsets into the tagged text, end exclusive. */
typedef struct chr_entity {
	size_t start, end;
	chr_ent_type type;
} chr_entity;

/* Tokenize plain text (len bytes of UTF-8) with the built-in tokenizer,
 * tag it as one document and return the mentions in text order.  *out is
 * NULL when *n is 0; otherwise the caller frees it with chr_free. */
chr_status chr_ner_tag_text(const chr_ner *m, const char *text, size_t len,
			    chr_entity **out, size_t *n);

/* ------------------------------------------------------------------ */
/* Time (TIMEX3 tagging and normalisation; src/time/)                   */
/* ------------------------------------------------------------------ */

typedef enum chr_timex_type {
	CHR_TIMEX_DATE = 0,
	CHR_TIMEX_TIME = 1,
	CHR_TIMEX_DURATION = 2,
	CHR_TIMEX_SET = 3
} chr_timex_type;

/* One temporal expression.  Plain data: no pointers to free. */
typedef struct chr_timex {
	size_t start, end;   /* byte offsets into the tagged text, end exclusive */
	chr_timex_type type;
	char value[24];      /* TIMEX3 value: "2024-01-16", "2023-09", "P3D",
				"2019-W47", "XXXX-WXX-1", "PAST_REF" */
	char mod[16];        /* TIMEX3 mod ("START", "END", "APPROX") or "" */
} chr_timex;

/* "DATE", "TIME", "DURATION" or "SET" (static). */
const char *chr_timex_type_name(chr_timex_type t);
/* Tag text[0, len) (UTF-8, need not be NUL-terminated) and normalise
 * against dct ("YYYY-MM-DD", more may follow; NULL or "" = unknown, then
 * relative values keep X placeholders).  *out gets the expressions in
 * text order; caller frees *out with chr_free (NULL when *n is 0).
 * CHR_EINVAL for a malformed dct. */
chr_status chr_time_tag(const char *text, size_t len, const char *dct,
			chr_timex **out, size_t *n);
/* Tag a TempEval-3 document (.TE3input: TimeML with <DCT> and <TEXT>):
 * the result is the same bytes with <TIMEX3 tid type value> elements
 * inserted in TEXT.  dct overrides the document's DCT when non-NULL.
 * Caller frees *out with chr_free; *out_len gets its length.
 * CHR_EPARSE when there is no <TEXT>. */
chr_status chr_time_timeml(const char *doc, size_t len, const char *dct,
			   char **out, size_t *out_len);
/* The expressions the time stage found in chr_article_text(a); the
 * returned pointer is borrowed from a. */
size_t chr_article_timex_count(const chr_article *a);
const chr_timex *chr_article_timex(const chr_article *a, size_t i);

/* ------------------------------------------------------------------ */
/* Canonical entities (stored)                                          */
/* ------------------------------------------------------------------ */

/* One row of an entity listing; strings borrowed for the call. */
typedef struct chr_entity_row {
	int64_t id;
	const char *name;   /* canonical name */
	const char *type;   /* "PER", "LOC", "ORG", "MISC" */
	int64_t mentions;   /* mentions in all articles */
	int64_t articles;   /* articles that mention it */
} chr_entity_row;
typedef int (*chr_entity_row_fn)(void *ctx, const chr_entity_row *row);

/* Entities, most mentioned first; type NULL for all.  fn returns non-zero
 * to stop. */
chr_status chr_db_entities(chr_db *db, const char *type, size_t limit,
			   size_t offset, chr_entity_row_fn fn, void *ctx);
/* One entity as JSON {id, name, type, aliases, roles:[{title, from, to}],
 * mentions, articles}, found by id, any alias (case-insensitive) or name.
 * Caller frees *out with chr_free.  CHR_ENOTFOUND when unknown. */
chr_status chr_db_entity_json(chr_db *db, const char *name, char **out,
			      size_t *len);

/* ------------------------------------------------------------------ */
/* Events and storylines (issue 6; src/events/, src/store/events_store.c) */
/* ------------------------------------------------------------------ */

/* Events are computed at ingest: each stored article joins one event
 * (ids stable, in arrival order).  Each event is handed over as a JSON
 * object {id, title, date, date_end, place, storyline, articles:[article
 * ids], entities:[up to 10 names]} (date and date_end YYYY-MM-DD or
 * null), borrowed for the call (see chr_json_fn below). */
typedef int (*chr_event_fn)(void *ctx, const char *json, size_t len);
/* Events in id order; limit 0 for all.  fn returns non-zero to stop
 * (CHR_EINTERRUPTED). */
chr_status chr_db_events(chr_db *db, size_t limit, size_t offset,
			 chr_event_fn fn, void *ctx);
/* One event as JSON; caller frees *out with chr_free; *len (if non-NULL)
 * gets its length.  CHR_ENOTFOUND when there is no such event. */
chr_status chr_db_event_json(chr_db *db, int64_t id, char **out,
			     size_t *len);
/* Storylines in id order, each {id, title, events:[event ids]}, borrowed
 * for the call. */
chr_status chr_db_storylines(chr_db *db, chr_event_fn fn, void *ctx);
/* The event ids of storyline id, ascending, into a new array *out of *n
 * ids; the caller frees *out with chr_free (NULL when *n is 0).
 * CHR_ENOTFOUND when there is no such storyline; CHR_ELIMIT past
 * CHR_STORY_MAX_EVENTS events. */
#define CHR_STORY_MAX_EVENTS 1000000
chr_status chr_db_storyline_events(chr_db *db, int64_t id, int64_t **out,
				   size_t *n);
/* ---- end of Events -------------------------------------------------- */

/* ------------------------------------------------------------------ */
/* Facts, conflicts, summaries and timelines (issue 7; src/facts/,      */
/* src/digest/)                                                         */
/* ------------------------------------------------------------------ */

/* Called with one JSON object (not NUL-terminated beyond len, borrowed
 * for the call).  Return non-zero to stop (CHR_EINTERRUPTED). */
typedef int (*chr_json_fn)(void *ctx, const char *json, size_t len);
/* Facts merged across articles, by date: {id, type, status, who, with,
 * group, where, when, duration, sentences:[{article, start, end, text,
 * partial}], sources, event}.  entity (name or alias) filters to facts
 * it takes part in; NULL for all.  CHR_ENOTFOUND for an unknown entity. */
chr_status chr_db_facts(chr_db *db, const char *entity, chr_json_fn fn,
			void *ctx);
/* Disagreements between sources: {id, kind ("duration", "count", "date",
 * "title"), about, event, sides:[{value, text, sources, sentences}]}. */
chr_status chr_db_conflicts(chr_db *db, chr_json_fn fn, void *ctx);
/* Dated entries in time order: {date, text, event, sources, fact, type,
 * background, article}.  entity and query (words that must all appear)
 * may be NULL. */
chr_status chr_db_timeline(chr_db *db, const char *entity,
			   const char *query, chr_json_fn fn, void *ctx);
/* Per event: {event, title, date, articles, summary:[{article, start,
 * end, text, date}]}.  event 0 for every event. */
chr_status chr_db_digests(chr_db *db, int64_t event, chr_json_fn fn,
			  void *ctx);
/* ---- end of facts ---------------------------------------------------- */

/* ------------------------------------------------------------------ */
/* Profiling (for benchmarks)                                           */
/* ------------------------------------------------------------------ */

/* Turn per-stage timing on or off (off by default; process-wide). */
void chr_profile_enable(int on);
void chr_profile_reset(void);
/* Stages timed so far, their names (static strings) and total seconds,
 * summed over threads. */
size_t chr_profile_count(void);
const char *chr_profile_name(size_t i);
double chr_profile_seconds(size_t i);

#ifdef __cplusplus
}
#endif
#endif
