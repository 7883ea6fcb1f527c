/*
 * facts: who met whom, who went where, who said what, who agreed to what
 * (internal interface).  Internal prefix: facts_.
 *
 * Design note: extraction is per article and needs no database (the
 * pipeline stage facts_run fills a->facts and a->fact_counts).  It works
 * over the tokens and the resolved entity mentions of one sentence at a
 * time, with trigger phrases and word classes from small tables
 * (data/facts_verbs.tsv, data/facts_words.tsv), so there is no sentence,
 * no fact.  A fact does not keep a date: it keeps the byte window of its
 * clause and its trigger, and the date is chosen when the article's date
 * is known (the nearest DATE expression in the window, tagged against the
 * article's date).  That makes the date lazy: an article dated later
 * (from its event) gets its facts dated without re-extraction.  Merging
 * across articles, conflicts and timelines work over the stored rows
 * (merge.c, conflicts.c, api.c).
 */
#ifndef CHR_FACTS_H
#define CHR_FACTS_H

#include <stddef.h>
#include <stdint.h>
#include "chronicle.h"

struct chr_article;

enum { FACT_MEET = 1, FACT_VISIT = 2, FACT_SAY = 3, FACT_AGREE = 4 };
enum { FACT_HAPPENED = 0, FACT_NEGATED = 1, FACT_PLANNED = 2 };
/* how `who` was found */
enum { FWHO_NAME = 0, FWHO_DESC = 1, FWHO_PRON = 2 };
/* where `where` came from */
enum { FWHERE_NONE = 0, FWHERE_TEXT = 1, FWHERE_DATELINE = 2,
       FWHERE_INHERIT = 3 };

#define FACT_MAXP 6 /* counterparts kept per fact */

typedef struct facts_fact {
	uint8_t type, status, who_from, where_from;
	int32_t who;                /* mention index, -1 for none */
	int32_t with[FACT_MAXP];    /* mention indexes */
	uint32_t nwith;
	const char *group;          /* "Russian foreign ministry officials"
				       when the counterpart is a group */
	const char *with_titles;    /* words before each counterpart, '|'
				       separated, lower case ("russian foreign
				       minister"), for matching groups */
	const char *where;          /* place name or NULL */
	uint32_t sent;              /* sentence index */
	uint32_t trig_start, trig_end; /* trigger bytes in text */
	uint32_t win_lo, win_hi;    /* bytes where its date may be: its clause */
	uint32_t xwin_lo, xwin_hi;  /* the wider window (the sentence up to
				       reporting verbs), used when the clause
				       has no date ("hosted Choe, following
				       talks earlier on Tuesday") */
	char duration[24];          /* DURATION value ("P3D") for visits */
} facts_fact;

/* A number attached to a counted noun ("12 people were killed"). */
typedef struct facts_count {
	uint32_t start, end;  /* the number */
	uint32_t sent;
	int64_t value;
	const char *what;     /* category: "deaths", "injured", ... (static) */
} facts_count;

/* The pipeline stage: fill a->facts and a->fact_counts. */
chr_status facts_run(struct chr_article *a);

const char *facts_type_name(int type);     /* "meeting", "visit", ... */
const char *facts_status_name(int status); /* "happened", ... */

/* Pick the date of a fact: the DATE or TIME expression in tx[0, n) that
 * lies in [lo, hi) nearest to the trigger.  Index or -1. */
long facts_pick_timex(const chr_timex *tx, size_t n, uint32_t lo,
		      uint32_t hi, uint32_t trig_start, uint32_t trig_end);

/* ---- lexicon (lex.c) ---- */

enum { FW_PREP = 1, FW_BOUND = 2, FW_NEG = 4, FW_PLAN = 8, FW_TITLE = 16,
       FW_GROUP = 32, FW_DESC = 64, FW_PRON = 128, FW_COUNT = 256,
       FW_NUM = 512, FW_TRIG = 1024 /* the first word of a trigger */,
       FW_SAY = 2048 /* a reporting verb: "said", "told" */,
       FW_FILL = 4096 /* may stand between a number and its count noun:
			 "12 people were killed" */,
       FW_QUOTE = 8192 /* a quote mark */ };

enum { FR_ACT = 1, FR_WITH, FR_PASS, FR_PLACE, FR_NOUN, FR_BY, FR_BETWEEN,
       FR_GER, FR_SAY, FR_QUOTE, FR_ACCORD };

#define FACTS_MAXW 6
typedef struct facts_trigger {
	const char *w[FACTS_MAXW]; /* lower-case words, "*" = up to 3 */
	int n;
	int type, frame;
} facts_trigger;

/* Word classes (FW_* bits) of a lower-case word of len bytes; *count
 * gets the count category and *num the number value when present. */
unsigned facts_word(const char *w, size_t len, const char **count,
		    int64_t *num);
/* The same for a word with no upper-case ASCII letter (no copy). */
unsigned facts_word_lc(const char *w, size_t len, const char **count,
		       int64_t *num);
/* facts_word_lc once the tables are loaded (by any call above or below,
 * e.g. facts_trig_marked): no once-only check, for a lookup per token. */
unsigned facts_word_lc_loaded(const char *w, size_t len, const char **count,
			      int64_t *num);
/* Trigger phrases, longest first. */
const facts_trigger *facts_triggers(size_t *n);
/* The triggers a lower-case word starts: bit i (word i / 64, bit i % 64)
 * for facts_triggers()[i]; NULL when the word starts none.  Complete
 * only when facts_trig_marked(). */
const uint64_t *facts_word_trig(const char *w, size_t len);
#define FACTS_TRIG_WORDS 2 /* uint64_t words in that set */
/* 1 when every trigger's first word carries FW_TRIG in facts_word and
 * its bit in facts_word_trig, so a token without FW_TRIG starts no
 * trigger (0 if a first word did not fit the word table: then every
 * token must be tried against every trigger). */
int facts_trig_marked(void);

/* ---- event words (evword.c) ---- */

/* A lexicon of verbs and event nouns.  Owned by the caller: free with
 * facts_evlex_free. */
typedef struct facts_evlex facts_evlex;
/* An empty lexicon (NULL on ENOMEM). */
facts_evlex *facts_evlex_new(void);
/* Build one from a WordNet directory (index.*, cntlist.rev, data.noun,
 * verb.exc); CHR_EIO when the index files are missing. */
chr_status facts_evlex_load(const char *wordnet_dir, facts_evlex **out);
void facts_evlex_free(facts_evlex *x);
/* Add a lemma: verb or not, tagged uses as verb and as noun, percent of
 * noun uses that are events.  0, or -1 on ENOMEM. */
int facts_evlex_add(facts_evlex *x, const char *lemma, int verb,
		    unsigned vcnt, unsigned ncnt, unsigned evshare);
/* Add an irregular form of a lemma ("sold" -> "sell"). */
int facts_evlex_add_form(facts_evlex *x, const char *form, const char *lemma);
/* Is token i of the sentence tok[0, n) (len[] bytes each) an event
 * mention: FACTS_EV_VERB (with FACTS_EV_PRESENT for a simple present),
 * FACTS_EV_NOUN, or 0.  Tokens are borrowed. */
enum { FACTS_EV_VERB = 1, FACTS_EV_NOUN = 2, FACTS_EV_PRESENT = 4 };
int facts_event_word(const facts_evlex *x, const char *const *tok,
		     const size_t *len, size_t n, size_t i);

#endif
