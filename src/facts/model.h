/*
 * facts/model: the stored facts of all articles, dated and merged, in
 * memory for one query (merge.c), with conflicts (conflicts.c) and the
 * JSON answers (api.c).
 *
 * Design note: merging happens at query time, not at ingest, because the
 * inputs keep changing underneath: an article may be dated later (from
 * its event), and events and syndication groups grow.  Each query loads
 * the stored rows, tags each article's text against its current date,
 * picks each fact's date from its window, dates undated articles from
 * facts they share with dated ones (fm_anchor), and merges.  The cost is
 * linear in the stored facts; filters (an entity) cut it down.
 */
#ifndef CHR_FACTS_MODEL_H
#define CHR_FACTS_MODEL_H

#include "core/arena.h"
#include "core/hash.h"
#include "facts/facts.h"
#include "store/store.h"

typedef struct fm_doc {
	int64_t rowid, grp, event;
	const char *id, *text, *headline;
	size_t len;
	char published[11], from[12];
	int dated;        /* 0 no date, 1 published, 2 anchored (approximate) */
	char anchor[11];  /* the anchor date when dated == 2 */
	chr_timex *tx;    /* the text's expressions against the date (malloc) */
	size_t ntx;
	int tagged;
} fm_doc;

typedef struct fm_row {
	size_t doc;
	int type, status, who_from, place_from;
	int64_t who, with[FACT_MAXP];
	int nwith;
	const char *group, *with_titles, *place, *duration;
	uint32_t s0, s1, t0, t1, w0, w1, x0, x1;
	char when[24];
	int when_doc;     /* when is the article's date (a statement) */
	int tod;          /* minutes into the day from its time expression
			     ("late Tuesday", "Tuesday morning"), -1 unknown */
	uint32_t tx0;     /* where that expression starts */
	int fact;         /* merged fact index, -1 before merging */
} fm_row;

typedef struct fm_support {
	size_t row;
	int partial;      /* a group counterpart ("Russian officials") */
} fm_support;

typedef struct fm_fact {
	int type, status;
	int64_t who, with[FACT_MAXP];
	int nwith;
	const char *group, *place, *duration;
	char when[24];
	int when_doc;     /* every sentence dated by its article (statements) */
	int tod;          /* time of day from a sentence, -1 unknown */
	fm_support *sup;
	size_t nsup, cap;
	int sources;
	int64_t event;
	char id[24];
} fm_fact;

typedef struct fm_model {
	chr_db *db;
	arena mem;
	fm_doc *docs;
	size_t ndocs, dcap;
	ht docix;          /* rowid (8 bytes) -> doc index + 1 */
	fm_row *rows;
	size_t nrows, rcap;
	fm_fact *facts;
	size_t nfacts, fcap;
	int events_table;  /* 1 when the events engine's table exists */
} fm_model;

chr_status fm_load(fm_model *m, chr_db *db);
void fm_free(fm_model *m);
/* The doc for a stored article, loading it when new; -1 on error. */
long fm_doc_get(fm_model *m, int64_t rowid);
/* "YYYY-MM-DD" of a day count (days since 1970-01-01; parse with
 * ev_parse_day from events/events.h). */
void fm_fmt_days(int32_t d, char out[11]);
/* The doc's reference day (published or anchor), INT32_MIN when none. */
int32_t fm_doc_day(const fm_doc *d);
/* Where the own words of the sentence text[s0, s1) begin: past a run-in
 * dateline credit ("(CPA) -- ", "VALMORA (CWN) - "); s0 when none
 * (api.c). */
uint32_t fm_lead(const char *t, uint32_t s0, uint32_t s1);
/* An entity's name (arena copy). */
const char *fm_name(fm_model *m, int64_t eid);
/* An entity id for a name or alias; 0 when unknown. */
int64_t fm_find_entity(fm_model *m, const char *name);

#endif
