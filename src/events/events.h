/*
 * events: streaming clustering of articles into events and storylines
 * (internal interface).
 *
 * Design note: single-pass (online) clustering.  Each arriving article is
 * turned into an ev_doc: stemmed term vectors for the headline and the
 * body, an entity vector, dates and a place.  The engine looks up a
 * bounded set of candidate events through an inverted index (the doc's
 * top terms and entities -> the most recent events filed under them, at
 * most EV_POSTINGS per key), ranks them by a cheap content score
 * (ev_prescore), scores the best few (EV_FULL_K) with a small logistic
 * model over a fixed feature vector (ev_features), and joins the best one
 * when its probability reaches the model's threshold and its content
 * match reaches the model's floor (ev_content_ok); otherwise the
 * article starts a new event.  Articles of one syndication group always
 * share an event.  When an article joins an event, the event (its
 * centroid as the doc) is scored against its own candidates, and a
 * candidate above the merge threshold is merged with it: the older event
 * keeps its id and takes the other's articles, which makes the result
 * depend less on arrival order.  Per-article cost is bounded by the index
 * caps, not by the number of events.  Event ids are assigned in arrival
 * order and never change except by such a merge; nothing is random, so
 * the same input in the same order gives the same events.
 *
 * Signals and where they come from (ev_input):
 *   - content: BM25-style saturated tf x online idf over Snowball stems,
 *     headline and body separately (ev_text.c);
 *   - entities: today a STAND-IN, capitalised phrases (ev_text.c); when
 *     the NER stage lands its canonical entities are passed in
 *     ev_input.entities instead;
 *   - time: the published date and explicit dates in the text (a STAND-IN
 *     scanner until the TIMEX stage is wired; ev_input.dates takes its
 *     resolved values);
 *   - place: the dateline;
 *   - syndication group from dedup (ev_input.group).
 * Storylines (ev_story.c) link events that share central entities and
 * topic.  Internal prefix: ev_.
 */
#ifndef CHR_EVENTS_H
#define CHR_EVENTS_H

#include <stddef.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include "chronicle.h"
#include "core/arena.h"
#include "core/bytes.h"
#include "core/hash.h"

#define EV_NODAY INT32_MIN   /* no date */
#define EV_MAXYEARS 8        /* years kept per doc */
#define EV_MAXNUMS 12        /* numbers kept per doc (ev_doc.nums) */
#define EV_EVNUMS 24         /* numbers counted per event */
#define EV_MAXDATES 16       /* explicit dates kept per doc */
#define EV_TOPTERMS 12       /* body terms a doc files in the index */
#define EV_TOPTITLE 6        /* headline terms filed */
#define EV_TOPENTS 10        /* entities filed */
#define EV_POSTINGS 16       /* recent events kept per index key */
#define EV_MAXCAND 48        /* candidates scored per doc */
#define EV_CENT_BODY 256     /* terms kept in an event's body centroid */
#define EV_CENT_TITLE 64
#define EV_CENT_ENTS 96
#define EV_KEEP 2            /* recent members kept per event (8 gave the
				same 4-fold CV at 4x the member cosines) */
#define EV_MEMB_TERMS 48     /* terms kept per member */
#define EV_PERSONS 4         /* main persons kept per event */
#define EV_PRE_STALE 16   /* ev_prescore keeps a centroid norm until the
			     stream grows by 1/16 */
#define EV_FULL_K 8       /* candidates ev_add scores in full (full_k) */
#define EV_MERGE_CAND 8      /* candidates scored by the merge check */
#define EV_SETTLE_N 3        /* ev_settle re-checks events of at most this
				many articles (a larger cap merged the
				bundled sample's strike and talks) */
#define EV_LOG1P_N 1024   /* log1p of whole tf values, tabled */
/* idf values memoised per doc count, for df below this (ev_idfm): 16
 * MB, of which a stream touches the pages of the df values it has.
 * With 65,536 a longer stream computed the idf of each word in more
 * than 65,536 docs at every use (bench/scale's stream: ~270 more logs
 * a doc by 280,000 docs, and growing); the value is the same either
 * way. */
#define EV_IDF_MEMO (1 << 20)
/* Retirement (ev_retire): an event dated more than model.max_gap_days
 * before the newest dated doc and not touched by the last
 * EV_RETIRE_IDLE docs is freed; over EV_MAX_LIVE held events, the least
 * recently touched are freed down to EV_LIVE_TARGET. */
#define EV_RETIRE_IDLE 4096
#define EV_MAX_LIVE 8192
#define EV_LIVE_TARGET 7168
#define EV_RETIRE_EVERY 256  /* docs between two retirement sweeps */
/* Vocabulary (ev_vocab.c): terms + entity keys past which ev_retire
 * compacts it (ev_engine.vocab_max).  Far above what the evaluation
 * corpora bring (ECB+, GoogleNews-TS, Reuters' 19k stories: their
 * results are identical with it); the scale benchmark's fresh-name
 * stream had 734,327 keys after 147,505 articles (~4.5 new keys an
 * article by then), so it reaches it after ~220k. */
#ifndef EV_VOCAB_MAX
#define EV_VOCAB_MAX ((size_t)1 << 20)
#endif
#ifndef EV_BG_DOCS
#define EV_BG_DOCS 1000     /* pseudo background docs for idf */
#endif

/* ---- features and the model ---------------------------------------- */

enum {
	EVF_BIAS = 0,
	EVF_BODY,       /* body cosine, doc vs event centroid */
	EVF_TITLE,      /* headline cosine, doc vs event headlines */
	EVF_CROSS,      /* doc headline vs event body */
	EVF_ENT,        /* entity cosine, rarity weighted */
	EVF_ENT_NONE,   /* 1 when either side has no entities */
	EVF_TIME,       /* 1 - log-scaled day distance (0 when unknown),
			   times the content match (EVF_CONTENT) */
	EVF_TIME_NONE,  /* 1 when either side has no date */
	EVF_YEAR,       /* share of the doc's years the event also has,
			   times the content match */
	EVF_YEAR_CLASH, /* both have years and share none */
	EVF_PLACE,      /* same place */
	EVF_PLACE_CLASH,/* both have a place and they differ */
	EVF_SIZE,       /* log event size */
	EVF_BODY_ENT,   /* body x entity */
	EVF_NN_BODY,    /* best body cosine with one recent member */
	EVF_NN_ENT,     /* best entity cosine with one recent member */
	EVF_ENT_COVER,  /* share of the doc's entity idf mass the event has */
	EVF_KEY_ENT,    /* the doc's key entities (top 3 by weight) the
			   event has, and the event's key entities the doc
			   has: the mean of the two shares */
	EVF_PERSON_SAME,  /* the doc's main person is a main person of
			     the event */
	EVF_PERSON_CLASH, /* both have main persons, none the same */
	EVF_ENT_ZERO,   /* both have entities and share none */
	EVF_PERSON_MAJOR, /* the event has a dominant main person (the main
			     person of at least half its articles, two or
			     more) and the doc's main person is another */
	EVF_NUM_SHARE,  /* share of the doc's numbers (tolls, ages,
			   magnitudes) the event's articles also give,
			   times the content match */
	EVF_NUM_CLASH,  /* both give two or more numbers, none shared */
	EV_NFEAT
};

extern const char *const ev_feat_names[EV_NFEAT];

typedef struct ev_model {
	double w[EV_NFEAT];
	double threshold;     /* join when p >= threshold */
	double story_threshold; /* storyline link score */
	double max_gap_days;  /* an article dated further than this from an
				 event's dates never joins it (0 = no gate) */
	double merge_threshold; /* merge an event whose centroid moved into
				   a candidate event scored at least this
				   (the event's centroid as the doc); 0 = off */
	double min_content;   /* never join (or merge) an event whose content
				 match (the largest of the centroid body,
				 best-member body and headline cosines) is
				 below this,
				 whatever the other signals say (0 = off) */
	double undated_threshold; /* a doc with no date joins an event that
				     has dates only when p >= this (and >=
				     threshold); 0 = off */
	double settle_threshold; /* once a batch is placed, each event it
				    touched merges into its best candidate
				    scored at least this (ev_settle); 0 = off */
	double undated_merge_threshold; /* the merge check (merge_threshold,
					   not settling) merges an event with
					   no date and an event with dates
					   only when p >= this too; 0 = off */
} ev_model;

/* Built-in hand-set priors (the trainer's L2 centre; a fallback when no
 * model file is found). */
void ev_model_default(ev_model *m);
/* Load "name value" lines; unknown names are an error.  CHR_EMODEL with
 * a message in err on failure. */
chr_status ev_model_load(ev_model *m, const char *path, char *err,
			 size_t errlen);
chr_status ev_model_save(const ev_model *m, const char *path,
			 const char *comment);
double ev_model_prob(const ev_model *m, const double f[EV_NFEAT]);
/* 1 when features f pass the model's content floor (min_content): an
 * event whose content does not match is never joined or merged, however
 * many names and dates it shares. */
int ev_content_ok(const ev_model *m, const double f[EV_NFEAT]);

/* ---- input ------------------------------------------------------------ */

/* What the engine needs from one article.  All strings borrowed for the
 * ev_doc_build call. */
typedef struct ev_input {
	const char *id;
	const char *headline;  /* may be "" */
	const char *text;      /* clean body */
	size_t text_len;
	const char *published; /* YYYY-MM-DD or NULL */
	const char *dateline;  /* place or NULL */
	int64_t group;         /* syndication group, -1 when none */
	/* Canonical entities from the NER stage; NULL = use the stand-in. */
	const char *const *entities;
	size_t nentities;
	/* Resolved dates (days since 1970-01-01) from the TIMEX stage; NULL
	 * = use the stand-in scanner. */
	const int32_t *dates;
	size_t ndates;
	/* Months the article names: resolved (YYYY-MM..., bit m-1) and
	 * unresolved ("XXXX-09": a September the time stage could not
	 * place); see ev_input_month. */
	uint16_t rmonths, umonths;
	/* The article's main person: the PER entity key mentioned most
	 * (at least twice); NULL when none. */
	const char *person;
	void *own;             /* ev_input_from_article's allocation */
} ev_input;

struct chr_article;
/* Fill in from a processed article (borrowed from a): TIMEX dates from
 * the time stage, entity keys from the entities stage when it tagged
 * any.  Release with ev_input_release. */
chr_status ev_input_from_article(ev_input *in, const struct chr_article *a);
void ev_input_release(ev_input *in);
/* Count one TIMEX DATE value into in's month masks. */
void ev_input_month(ev_input *in, const char *value);

/* ---- docs ------------------------------------------------------------- */

typedef struct ev_tw {
	uint32_t id;   /* term or entity id */
	float tf;      /* count */
} ev_tw;

typedef struct ev_vec {
	ev_tw *v;
	uint32_t n, cap;
} ev_vec;

typedef struct ev_doc {
	char id[64];
	char title[160];        /* headline or lead, for event titles */
	ev_vec body, head, ents; /* sorted by id */
	int32_t anchor;         /* published or first explicit date */
	int32_t dates[EV_MAXDATES];
	uint32_t ndates;
	int16_t years[EV_MAXYEARS];
	uint32_t nyears;
	uint32_t nums[EV_MAXNUMS]; /* hashes of the body's numbers, distinct */
	uint32_t nnums;
	uint32_t place;         /* place id, 0 = none */
	int64_t group;
	uint16_t rmonths, umonths; /* from ev_input */
	int undated;            /* no published date */
	uint32_t person;        /* main person (entity id), 0 = none */
} ev_doc;

void ev_doc_init(ev_doc *d);
void ev_doc_free(ev_doc *d);

/* ---- the engine ------------------------------------------------------- */

typedef struct ev_cent {
	ev_tw *v;       /* sorted by id; tf is the sum over articles */
	uint32_t n, cap, max;
	/* cached squared norm (ev_engine.c): valid while norm_at is the
	 * engine's ndocs + 1 and the mean is over norm_n articles; cleared
	 * when the entries change */
	double norm;
	uint64_t norm_at;
	uint32_t norm_n;
	/* the latest cosine with a doc vector (ev_score.c): valid while
	 * the norm is (norm_at, norm_n) and cos_v, cos_gen, cos_at name
	 * the doc vector, its generation and the doc count */
	double cos;
	const struct ev_vec *cos_v;
	uint64_t cos_gen, cos_at;
	/* the latest dot product with a doc vector that ev_prescore's walk
	 * made (current idf, stale norm): valid for the doc vector dot_v,
	 * its generation dot_gen, the doc count dot_at and the mean over
	 * dot_n; cleared with cos_v, so ev_features only adds the norm */
	double dot;
	const struct ev_vec *dot_v;
	uint64_t dot_gen, dot_at;
	uint32_t dot_n;
} ev_cent;

typedef struct ev_event {
	int64_t id;            /* 1-based, arrival order */
	uint32_t n;            /* articles */
	ev_cent body, head, ents;
	int32_t lo, hi;        /* span of article dates, EV_NODAY */
	int16_t year[EV_MAXYEARS];
	uint16_t yearn[EV_MAXYEARS];
	uint32_t place, placen;
	uint16_t months;       /* resolved months its articles name */
	uint32_t num[EV_EVNUMS]; /* numbers its articles give (hashes) */
	uint16_t numn[EV_EVNUMS]; /* and in how many articles each */
	uint32_t person[EV_PERSONS]; /* its articles' main persons */
	uint16_t personn[EV_PERSONS]; /* and how many articles each */
	char title[160];
	char **arts;           /* article ids */
	size_t narts, artcap;
	int64_t story;         /* storyline id, 0 = none yet */
	ev_cent mb[EV_KEEP], me[EV_KEEP]; /* recent members: terms, entities */
	uint32_t nmemb;        /* members added (ring index = nmemb % KEEP) */
	uint32_t into;         /* merged into event index into - 1; 0 = live */
} ev_event;

/* An engine's events by index: e->ev[k] is NULL once event k was merged
 * away or retired (its memory freed); e->fwd[k] still says what it was
 * merged into and e->ids[k] its id, so indexes held elsewhere (the
 * inverted index, syndication groups, callers' labels) stay valid. */

typedef struct ev_post {
	uint32_t ev[EV_POSTINGS]; /* event index + 1, most recent first */
	uint32_t n;
} ev_post;

typedef struct ev_keyw {
	uint32_t id;
	double w;
} ev_keyw;

#define EV_TOPK_SMALL 16 /* top k kept by insertion, no sort */

#define EV_NORMC 8
#define EV_TAB_MAX 4096 /* doc vectors longer than this are not tabled */
#define EV_TAB_FILTER 8192 /* the table's filter: one byte per id mod this */
typedef struct ev_normc {
	const struct ev_vec *v;
	uint64_t gen, at, used;
	double norm;
	/* the vector's weights sat(tf) * idf by id, open addressing
	 * (key id + 1, 0 = empty); cap 0 = no table (vector too long) */
	uint32_t *key;
	double *val;
	uint32_t cap, tabcap;
	/* the same weights by position, w[i] v[i]'s (with the table; the
	 * top keys read them) */
	double *w;
	/* filter[id % EV_TAB_FILTER] is 0x80 for every id in the table (the
	 * AVX2 walk, tab_next_avx2, tests only that top bit): a 0
	 * says an id is absent without probing (most centroid ids are not
	 * in the doc); a byte, not a bit, is one load and test per id
	 * (the AVX2 walk reads four bytes at each id's and keeps the
	 * first: at the last id's, three bytes of top, which follows) */
	unsigned char filter[EV_TAB_FILTER];
	/* the vector's top topk keys (ev_top_keys; 0 = not yet): the
	 * first k of them are its top k for any k <= topk */
	ev_keyw top[EV_TOPK_SMALL];
	uint32_t ntop, topk;
} ev_normc;

typedef struct ev_engine {
	ev_model model;
	struct sb_stemmer *stem;
	arena mem;               /* term strings */
	ht terms;                /* stem -> id */
	ht ents;                 /* entity key -> id */
	ht places;
	ht groups;               /* syndication group -> event index + 1 */
	uint32_t *tdf, *edf;     /* document frequencies by id */
	size_t ntd, nte, tdcap, tecap;
	ev_post **tpost, **epost; /* index, lazily allocated per id */
	ev_event **ev;           /* NULL = merged away or retired */
	uint32_t *fwd;           /* merged into index + 1, 0 = not merged */
	/* by index: the arrival number (ndocs) of the event's latest
	 * article; a dense array, not a field of ev_event, as ranking
	 * candidates reads it for every posting of a doc's keys */
	uint64_t *touch;
	int64_t *ids;            /* every index's event id */
	size_t nev, evcap;
	/* held events (ev[k] != NULL) as indexes, in creation order; may
	 * name freed ones until the next sweep compacts it */
	uint32_t *held;
	size_t nheld_list, heldcap, nheld; /* list length; events held */
	int32_t newest;          /* latest published date observed */
	uint64_t ndocs_dated;    /* docs observed with a published date */
	uint64_t swept;          /* ndocs at the last retirement sweep */
	uint64_t retired;        /* events retired so far */
	uint64_t ndocs;
	int64_t last_id;         /* the latest event id given (ids never reused) */
	/* storylines */
	struct ev_story *story;
	size_t nstory, storycap;
	/* the merge made by the latest ev_add (ids; 0 = none): event
	 * merged_id's articles now belong to merged_into */
	int64_t merged_id, merged_into;
	/* 1: ev_add makes no merge check; ev_settle makes it for the
	 * batch's larger events at the batch end (ev_cluster and ingest
	 * set it: the merges then see the whole batch placed) */
	int batch_merge;
	/* two-stage placement (ev_add): every candidate gets the cheap
	 * content score (ev_prescore), and only the full_k best by it get
	 * the full feature vector; 0 = all (EV_FULL_K at init) */
	size_t full_k;
	size_t nlive;            /* events not merged away */
	/* statistics */
	uint64_t cand_total, scored_total, merges;
	/* idf memo: idf_memo[df].idf is valid while its at == ndocs + 1
	 * (the idf of a df only changes when a doc is observed); a fixed
	 * EV_IDF_MEMO entries, larger df are computed each time */
	struct ev_idf_ent *idf_memo;
	/* doc-vector norm cache (EV_NORMC slots, least recently used
	 * replaced); docgen changes whenever a doc vector is refilled */
	double time_x[366];      /* log1p(d) / log1p(365): a date distance */
	double size_x[51];       /* log1p(n) / log1p(50): an event size */
	double log1p_x[EV_LOG1P_N]; /* log1p(i): a storyline tf (ev_story.c) */
	struct ev_normc *normc;
	uint32_t tab_max;        /* longest doc vector tabled (EV_TAB_MAX;
				    a test sets 0 to check the walk) */
	int avx2;                /* 1: a walk against a doc's table tests
				    its filter eight ids at a time with
				    AVX2 (ev_engine_init asks the CPU:
				    ev_avx2_ok; a test sets 0 to check the
				    plain walk gives the same bits) */
	uint64_t *normc_tick;
	uint64_t docgen;
	/* vocabulary compaction (ev_vocab.c): the ceiling on terms +
	 * entity keys (EV_VOCAB_MAX at init; 0 = never compact; a test sets
	 * it low), the size at which the next run waits (0 = the ceiling),
	 * runs so far and ids they dropped */
	size_t vocab_max, vocab_next;
	uint64_t vocab_runs, vocab_dropped;
} ev_engine;

chr_status ev_engine_init(ev_engine *e, const ev_model *m);
void ev_engine_free(ev_engine *e);

/* Turn one input into d (vocabulary ids come from e; document
 * frequencies are not touched until the doc is added). */
chr_status ev_doc_build(ev_engine *e, const ev_input *in, ev_doc *d);

/* The text half of ev_doc_build (tokens, stop words, stems, name runs,
 * dates), which needs no engine: the ingest pipeline runs it on its text
 * thread (ev_prep_run) so that the store thread only interns the keys.
 * stem is the caller's Snowball English stemmer (not shared between
 * threads).  *out is the caller's; free it with ev_prep_free. */
typedef struct ev_prep ev_prep;
struct sb_stemmer;
chr_status ev_prep_new(const ev_input *in, struct sb_stemmer *stem,
		       ev_prep **out);
void ev_prep_free(ev_prep *p);
/* d from p against e's vocabulary: exactly ev_doc_build's result (the
 * keys are interned in the same order, so ids match).  p stays p's. */
chr_status ev_prep_apply(ev_engine *e, const ev_prep *p, ev_doc *d);
/* Pipeline stage: a->evprep from a (ev_input_from_article + ev_prep_new;
 * freed with the article). */
chr_status ev_prep_run(struct chr_article *a);
/* The word sets (ev_words.c): fill them (once per process; call before
 * ev_is_stop or ev_is_notname), then is w[0, n), lower case, a stop
 * word / a capitalised word that is never a name in the stand-in? */
void ev_words_init(void);
int ev_is_stop(const char *w, size_t n);
int ev_is_notname(const char *w, size_t n);
/* The same for a caller that has fnv, the 32-bit FNV-1a hash of w[0, n)
 * (EV_FNV_BASIS, then EV_FNV_STEP for each byte). */
#define EV_FNV_BASIS 2166136261u
#define EV_FNV_STEP(h, c) (((h) ^ (uint32_t)(c)) * 16777619u)
int ev_is_stop_h(const char *w, size_t n, uint32_t fnv);
int ev_is_notname_h(const char *w, size_t n, uint32_t fnv);
/* 1 when ev_words.c's word lists are in strcmp order (binary search). */
int ev_text_lists_sorted(void);
/* 1 when ev_words.c's word sets (the stop words and the capitalised words
 * that are never names, hashed) answer for w[0, n) as a binary search of
 * their lists does; with w NULL, for every listed word, its prefixes
 * and the word with a letter more. */
int ev_text_sets_check(const char *w, size_t n);
/* Is w[0, n) (lower case) a stop word? */
int ev_text_is_stop(const char *w, size_t n);

/* Count d into the document frequencies (ev_add does this first). */
chr_status ev_observe(ev_engine *e, const ev_doc *d);
/* 0 when d's date is more than model.max_gap_days from ev's dates. */
int ev_time_ok(const ev_engine *e, const ev_doc *d, const ev_event *ev);
/* Candidate event indexes for d (at most EV_MAXCAND), best first; events
 * failing ev_time_ok are left out. */
size_t ev_candidates(ev_engine *e, const ev_doc *d, uint32_t *out);
/* The cheap first-stage content score of d against ev (ev_add's
 * two-stage placement): the larger of the centroid body and headline
 * cosines, with a centroid's norm kept while the stream grew by at most
 * 1/EV_PRE_STALE (ev_score.c); when it computes them afresh, ev_features
 * reuses the values (cached). */
double ev_prescore(const ev_engine *e, const ev_doc *d, const ev_event *ev);
/* s[i] = ev_prescore of d against event index c[i], i < n, with the
 * doc's cache slots looked up once for all of them (pick_full). */
void ev_prescores(const ev_engine *e, const ev_doc *d, const uint32_t *c,
		  size_t n, double *s);
/* ev_content_ok of the features of d against ev, computing only the
 * three cosines it reads (the centroid body and headline, the best
 * member body), as ev_features does; they stay in the centroids'
 * caches.  A candidate below the content floor is never joined or
 * merged, so ev_add and the merge check make the full feature vector
 * only for the candidates that pass (on Reuters, four in five fail). */
int ev_content_pass(const ev_engine *e, const ev_doc *d, const ev_event *ev);
/* The feature vector of d against event index k. */
void ev_features(const ev_engine *e, const ev_doc *d, const ev_event *ev,
		 double f[EV_NFEAT]);
/* Add d: join the best candidate event or start one.  *index gets the
 * event's index; *p (may be NULL) the join probability (0 for a new
 * event).  When d joined an event, that event may then be merged with
 * its best candidate event (model.merge_threshold): the older event (the
 * smaller id) keeps its id and takes the other's articles; the merge is
 * reported in e->merged_id / merged_into, and *index is the survivor.
 * With e->batch_merge set, that check waits for ev_settle. */
chr_status ev_add(ev_engine *e, ev_doc *d, size_t *index, double *p);
/* Once a batch is placed: re-check event index *k (an event the batch
 * touched, live, of at most EV_SETTLE_N articles) against its
 * candidates as they are now, merging at model.settle_threshold (never
 * below model.threshold) as ev_add's merge check does: a small event
 * formed early in the batch meets the events that grew after it.  The
 * older id survives; reported in e->merged_id / merged_into, *k the
 * survivor.  With e->batch_merge set, a larger event (or any, when
 * settle_threshold is 0) gets ev_add's merge check instead, at
 * model.merge_threshold.  Otherwise a no-op when settle_threshold is 0,
 * the event is larger or gone. */
chr_status ev_settle(ev_engine *e, size_t *k);
/* ev_settle over the event indexes ks[0..n) (a batch's events; the
 * array is reused: made live, sorted), each once, oldest index first;
 * merged (may be NULL) is told of each merge. */
typedef chr_status (*ev_merged_fn)(void *arg, int64_t from, int64_t into);
chr_status ev_settle_batch(ev_engine *e, size_t *ks, size_t n,
			   ev_merged_fn merged, void *arg);
/* The event that event index k was merged into (k when not merged).
 * The result may be retired (e->ev[...] NULL); see ev_held. */
size_t ev_live(const ev_engine *e, size_t k);
/* The held event index k ends up in (after merges), or NULL when that
 * event was retired. */
ev_event *ev_held(const ev_engine *e, size_t k);
/* Free events that can no longer be joined (see EV_RETIRE_IDLE and
 * EV_MAX_LIVE): call between placements (ingest: after each batch),
 * when no ev_doc holds engine ids; it sweeps at most once per
 * EV_RETIRE_EVERY docs, and after a sweep compacts the vocabulary when
 * it passed its ceiling (ev_vocab_check).  Indexes stay valid (ev_live,
 * e->ids); event ids are never reused.  Returns the number freed. */
size_t ev_retire(ev_engine *e);
/* Compact the vocabulary (ev_vocab.c): keep the term and entity ids
 * anything held refers to (held events' centroids, members and main
 * persons, storylines, posting lists that name a held event) and the
 * ids of highest df (at most vocab_max / 4), drop the rest with their
 * df and postings (a dropped key that comes back is a new key: df from
 * 1), renumber the kept ids densely in their old order, and drop the
 * syndication groups whose event is gone.  No ev_doc may hold engine
 * ids across the call (build docs again after it).  CHR_ENOMEM leaves
 * the engine as it was. */
chr_status ev_vocab_compact(ev_engine *e);
/* ev_vocab_compact when the vocabulary has passed the ceiling
 * (vocab_max, or vocab_next when larger); ev_retire calls it after a
 * sweep.  CHR_OK when nothing was needed. */
chr_status ev_vocab_check(ev_engine *e);
/* Add d to event index k, or to a new event when k == (size_t)-1; for
 * training with gold events. */
chr_status ev_add_to(ev_engine *e, ev_doc *d, size_t k, size_t *index);
/* Internal to the engine (ev_engine.c, ev_merge.c).  Free event index
 * k (merged away or retired); its index, id and merge link stay. */
void ev_event_drop(ev_engine *e, size_t k);
/* Count an article's year, number h (n articles) or main person p (n
 * articles) in ev's small tables. */
void ev_event_year(ev_event *ev, int y);
void ev_event_num(ev_event *ev, uint32_t h, uint16_t n);
void ev_event_person(ev_event *ev, uint32_t p, uint16_t n);
/* Score event index *k as a document against its candidate events and
 * merge it with the best when p >= threshold (and p >= undated when
 * one of the two is dated and the other is not; 0 = no such bar); *k
 * becomes the survivor, the older event (ev_merge.c). */
chr_status ev_merge_check(ev_engine *e, size_t *k, double threshold,
			  double undated);

/* idf of a document frequency, over the docs seen so far. */
double ev_idf(const ev_engine *e, uint32_t df);
/* Merge (id, tf) pairs sorted by id into c, pruning to c->max keys by
 * tf x idf. */
chr_status ev_cent_add(const ev_engine *e, const uint32_t *df, ev_cent *c,
		       const ev_tw *v, uint32_t n);

/* ---- storylines (ev_story.c) -------------------------------------------- */

typedef struct ev_story {
	int64_t id;
	uint32_t *events;  /* event indexes */
	size_t n, cap;
	ev_cent ents, body;
	char title[160];
} ev_story;

/* Link events into storylines, in event-id order (deterministic). */
chr_status ev_storylines(ev_engine *e);
/* 1 when relinking's cosines of each held event (spread over the
 * vocabulary) against each storyline are bit for bit the merge walk's,
 * and some are not 0 (a test). */
int ev_story_spread_check(const ev_engine *e);
/* The link score between an event and a storyline. */
double ev_story_score(const ev_engine *e, const ev_event *ev,
		      const ev_story *s);

/* Load the model compiled into the library (models/events.txt, embedded
 * by the build); the built-in priors when it is missing or malformed. */
void ev_model_builtin(ev_model *m);

/* ---- the stage's members cache (ev_members.c) -------------------------- */

/* What the events stage knows of a held event's stored members, exact
 * as it changes event_articles: its count and its latest EV_PLACE_N
 * docs' datelines (ev_place_pick's input), by engine index; an event
 * without an entry is read back from the store.  See ev_members.c. */
#define EV_PLACE_N 64
typedef struct ev_mlat {
	int64_t doc;    /* articles rowid */
	const char *dl; /* its dateline (interned; NULL: none) */
	int len;
} ev_mlat;
typedef struct ev_mev {
	int64_t n;       /* the event's event_articles rows */
	ev_mlat *lat;    /* the latest min(n, EV_PLACE_N), newest first */
	uint32_t nl, cap;
	uint32_t pos;    /* in ev_members.list */
} ev_mev;
typedef struct ev_members {
	ev_mev **at;     /* by engine index; NULL: not known */
	size_t nat;
	size_t *list;    /* the indexes with an entry */
	size_t nlist, listcap;
	ht dl;           /* datelines, interned in dlmem */
	arena dlmem;
} ev_members;
void ev_mem_init(ev_members *m);
void ev_mem_free(ev_members *m);
void ev_mem_clear(ev_members *m); /* forget every entry */
/* s (NUL-terminated; NULL or "" gives NULL, 0) interned; CHR_ELIMIT
 * past the ceiling. */
chr_status ev_mem_dateline(ev_members *m, const char *s, const char **out,
			   int *len);
ev_mev *ev_mem_get(const ev_members *m, size_t k);
/* A known, empty entry for k (an event made in this run). */
chr_status ev_mem_new(ev_members *m, size_t k);
/* k's entry from the store: n rows, the latest nl (<= EV_PLACE_N) given
 * newest first (datelines of len[i] bytes, not terminated); no entry
 * and CHR_ELIMIT past the interning ceiling. */
chr_status ev_mem_set(ev_members *m, size_t k, int64_t n,
		      const int64_t *doc, const char *const *dl,
		      const int *len, size_t nl);
/* doc (dateline dl, interned) joined event k (kept when k is known). */
chr_status ev_mem_add(ev_members *m, size_t k, int64_t doc, const char *dl,
		      int len);
void ev_mem_drop(ev_members *m, size_t k); /* k no longer known */
/* Event from merged into event into. */
chr_status ev_mem_merge(ev_members *m, size_t from, size_t into);
/* Drop the entries of events e no longer holds (retired or merged). */
void ev_mem_sweep(ev_members *m, const ev_engine *e);
/* ev_place_pick over v's datelines: an index into v->lat, -1 when none. */
int ev_mem_place(const ev_mev *v);

/* ---- the ingest stage (ev_ingest.c) ------------------------------------ */

/* The events stage of an ingest run, bound to one store.  Articles are
 * queued as they are stored and placed at each batch commit, dated ones
 * first; the engine is rebuilt from the store's recent events when the
 * stage opens, so event ids and clustering carry over across runs. */
typedef struct ev_stage ev_stage;
struct chr_db;
/* Open the stage and replay the store's recent events into its engine. */
chr_status ev_stage_open(struct chr_db *db, ev_stage **out);
/* Queue a stored article (a->rowid set, dedup done, a->evprep made by
 * the events-prep stage; CHR_EINVAL without it), in the open
 * transaction. */
chr_status ev_stage_add(ev_stage *s, struct chr_article *a);
/* Place the queued articles, write events and event_articles, date the
 * undated ones from their event; with stories, relink storylines too.
 * Inside the open transaction; the batch handed to the events thread
 * (ev_stage_place) is written first. */
chr_status ev_stage_flush(ev_stage *s, int stories);
/* The same, but with the events thread (ev_stage_thread) the queued
 * articles are only handed over: the engine places them while the
 * caller stores more, and their rows are written at the next
 * ev_stage_place or ev_stage_flush, inside the transaction open then
 * (ev_decide.c).  The caller must not commit before ev_stage_flush. */
chr_status ev_stage_place(ev_stage *s);
/* Tests: 1 = each article's group event, as the decide half resolved
 * it, is checked against the store's answer (ST_EV_GROUP_EVENT) as
 * its row is written, where the stage once read it; a difference fails
 * the write (CHR_EINVAL).  Off (0) by default: it costs a query per
 * article. */
extern int ev_check_groups;
/* Start the events thread (none when one cannot be made: the caller's
 * thread then places, with the same result).  ev_stage_free stops it. */
chr_status ev_stage_thread(ev_stage *s);
void ev_stage_free(ev_stage *s);
/* The stage's (event, entity) counts not yet in event_entities: each
 * joining article's (eid, mentions) pairs, summed and written once a
 * batch (store_ev_ents_add).  A merge makes the merged event's pending
 * sums the survivor's in memory and moves its stored rows only when it
 * can have any: upto bounds the event ids that can (the stored maxima
 * when opened, raised by each write and merge).  A sum taken from an
 * event (< 0: a doc moved) stops at 0 in the table, so with one pending
 * a merge writes the sums first, as it did at every merge.  The sums
 * are relabelled once, at the write (ren: a rename map), not scanned
 * at each merge. */
struct store_evn;
struct store_eidn;
struct sqlite3_stmt;
typedef struct ev_eeren {
	int64_t from, into;
	size_t n;     /* applies to v[0..n): the sums pushed before it */
} ev_eeren;
#define EV_EE_RENAMES 256
typedef struct ev_eesums {
	struct store_evn *v;
	size_t n, cap;
	size_t nneg;  /* of v, taken from an event (< 0) */
	int64_t hi;   /* the highest event id in v */
	int64_t upto; /* no stored rows above this event id */
	ev_eeren ren[EV_EE_RENAMES]; /* merges not yet applied to v */
	size_t nren;
	uint64_t renbits[64]; /* bit from % 4096 of each: may apply */
	struct sqlite3_stmt *take[2]; /* ev_ee_merge's, prepared at the first */
} ev_eesums;
/* Empty sums, upto from the store's event_entities and events. */
chr_status ev_ee_open(struct chr_db *db, ev_eesums *p);
/* n (eid, mentions) pairs, times sign (+1, -1), to event ev. */
chr_status ev_ee_push(struct chr_db *db, ev_eesums *p, int64_t ev,
		      const struct store_eidn *c, size_t n, int sign);
chr_status ev_ee_write(struct chr_db *db, ev_eesums *p);
/* Apply the merges since the last write to the sums, in their order,
 * each to the sums pushed before it (ev_ee_write does it first). */
void ev_ee_rename(ev_eesums *p);
/* Event from merged into event into: its pending sums become into's,
 * its stored rows too (read into the sums as into's and deleted; the
 * write adds them to into's rows with the rest). */
chr_status ev_ee_merge(struct chr_db *db, ev_eesums *p, int64_t from,
		       int64_t into);
void ev_ee_drop(ev_eesums *p); /* forget the sums (a rolled back batch) */
void ev_ee_free(ev_eesums *p);
/* The date an undated article gets from its event span lo..hi (days),
 * given the ISO weekdays (1 = Monday) it names and their tense (> 0:
 * future, the day is not yet publication; else a report: tense may be
 * NULL): see docs/events.md. */
int32_t ev_date_from_event(int32_t lo, int32_t hi, const int *wdays,
			   const int *tense, size_t n);
/* The tense of n weekday mentions (ISO weekday wdays[i], starting at
 * byte starts[i] of text) as the time stage reads them: tense[i] is +1
 * when the weekday lies ahead of the writer (future), -1 behind, 0 when
 * the time stage did not place it. */
void ev_weekday_tenses(const char *text, size_t len, const size_t *starts,
		       const int *wdays, int *tense, size_t n);
/* An event's place from the datelines v[i] (len[i] bytes; NULL or empty
 * = none) of its latest articles, newest first: the one the most carry,
 * ties to the one whose earliest article is the earliest (GROUP BY
 * dateline ORDER BY count(*) DESC, min(rowid)); the index of its first
 * row, -1 when none. */
int ev_place_pick(const char *const *v, const int *len, size_t n);
/* ISO weekday (1 = Monday .. 7 = Sunday) of a day count. */
int ev_weekday(int32_t days);

/* ---- helpers shared with the tools ----------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date. */
int32_t ev_days(int y, int m, int d);
void ev_ymd(int32_t days, int *y, int *m, int *d);
/* Parse "YYYY-MM-DD" (more may follow); EV_NODAY when malformed. */
int32_t ev_parse_day(const char *s);
/* Format days as YYYY-MM-DD into out[11]. */
void ev_fmt_day(int32_t days, char out[11]);

/* The month (1..12) that the first three bytes of s spell in any case
 * ("Jan" .. "dec"; s has at least three), 0 when none. */
int ev_month3(const char *s);
/* The stand-in scanner: explicit dates and years in text. */
void ev_scan_dates(const char *text, size_t len, ev_doc *d);
/* The same scan fed by a tokenizer that has the text's words already
 * (ev_text.c): its state, then the text's spans in order.  Every run of
 * ASCII letters and digits of text[0, len) must lie inside one span fed,
 * and the spans fed must not overlap.  A span known to be exactly one
 * such run goes to ev_dscan_word (digits: all its bytes are digits);
 * any other to ev_dscan_span, which finds the runs in it.  After an ISO
 * date the scan resumes at ds->resume: bytes before it are skipped. */
typedef struct ev_dscan {
	int mon[3], num[3]; /* the last three words' month and number */
	size_t nw, resume;  /* words kept (at most 3); where to go on */
} ev_dscan;
void ev_dscan_init(ev_dscan *ds);
void ev_dscan_word(ev_dscan *ds, const char *text, size_t len, size_t i,
		   size_t j, int digits, ev_doc *d);
void ev_dscan_span(ev_dscan *ds, const char *text, size_t len, size_t from,
		   size_t to, ev_doc *d);

/* Evaluation (ev_eval.c).  Labels are small ints per item. */
typedef struct ev_bcubed {
	double p, r, f;
} ev_bcubed;
ev_bcubed ev_bcubed_score(const int *sys, const int *gold, size_t n);
double ev_nmi(const int *sys, const int *gold, size_t n);

/* ---- scoring internals (ev_score.c; ev_engine.c shares them) ---- */

#define EV_SAT_K 1.2

/* One df's memoised idf and the doc count + 1 it is for: the two side
 * by side, so a look-up is one address (ev_engine.idf_memo). */
typedef struct ev_idf_ent {
	uint64_t at;
	double idf;
} ev_idf_ent;

static inline double ev_idf_of(uint64_t ndocs, uint32_t df)
{
	double n = (double)ndocs + EV_BG_DOCS;
	return log(1.0 + (n - df + 0.5) / (df + 0.5));
}

/* The same value as ev_idf_of, memoised: the scoring loops ask for the idf
 * of the same few df values thousands of times per article, and log()
 * was a sixth of all ingest CPU.  The memo is written through the
 * engine's pointers (the engine is used by one thread at a time). */
static inline double ev_idfm(const ev_engine *e, uint32_t df)
{
	if (df >= EV_IDF_MEMO || !e->idf_memo)
		return ev_idf_of(e->ndocs, df);
	ev_idf_ent *m = &e->idf_memo[df];
	if (m->at != e->ndocs + 1) {
		m->idf = ev_idf_of(e->ndocs, df);
		m->at = e->ndocs + 1;
	}
	return m->idf;
}

/* ev_idfm's memo as loop locals: a loop over a vector's ids reads the
 * memo through these instead of reloading the engine's pointers and doc
 * count at each id (the memo's stores could alias them); the same
 * values. */
typedef struct ev_idfv {
	ev_idf_ent *memo;
	uint64_t now;  /* ndocs + 1 */
	uint32_t lim;  /* EV_IDF_MEMO, 0 without a memo */
} ev_idfv;

static inline ev_idfv ev_idf_view(const ev_engine *e)
{
	ev_idfv v = { e->idf_memo, e->ndocs + 1,
		      e->idf_memo ? EV_IDF_MEMO : 0 };
	return v;
}

static inline double ev_idfv_get(const ev_idfv *v, uint32_t df)
{
	if (df >= v->lim)
		return ev_idf_of(v->now - 1, df);
	ev_idf_ent *m = &v->memo[df];
	if (m->at != v->now) {
		m->idf = ev_idf_of(v->now - 1, df);
		m->at = v->now;
	}
	return m->idf;
}

static inline double ev_sat(double tf)
{
	return tf * (EV_SAT_K + 1) / (tf + EV_SAT_K);
}


int ev_cmp_keyw(const void *a, const void *b); /* weight desc, then id */
/* Reorder a[0..n) so that a[0..m) are the m first by ev_cmp_keyw (ids
 * distinct), unordered among themselves. */
void ev_select_keyw(ev_keyw *a, size_t n, size_t m);
/* The top k keys of v by saturated tf x idf (df) into out; the count. */
size_t ev_top_keys(const ev_engine *e, const uint32_t *df, const ev_vec *v,
		   size_t k, ev_keyw *out);
/* ev_top_keys of a doc vector, kept in its cache slot (see doc_slot in
 * ev_score.c) for the doc count: the candidate index, adding and
 * key_share ask for the same doc's keys. */
size_t ev_doc_top_keys(const ev_engine *e, const uint32_t *df,
		       const ev_vec *v, size_t k, ev_keyw *out);
/* Doc vector v's weights sat(tf) * idf by position, as its cache slot
 * holds them for the current doc generation and count (tab_fill's), or
 * NULL when no slot holds it with a table; a look only (no fill, no
 * change to which slot is replaced next). */
const double *ev_doc_weights(const ev_engine *e, const ev_vec *v);
/* 1 when this build and CPU have the AVX2 walk (ev_engine.avx2). */
int ev_avx2_ok(void);
/* The first index in v[j..n) whose id has at[id] == stamp (n when
 * none), eight ids at a time with AVX2 (only when ev_engine.avx2; plain
 * otherwise); every id of v[j..n) indexes at (ev_story.c's spread
 * centroids: the caller checks the last, ids ascend). */
uint32_t ev_stamp_next_avx2(const uint32_t *at, uint32_t stamp,
			    const ev_tw *v, uint32_t j, uint32_t n);
/* The squared norm of centroid c as mean tf (sum / n), as the scoring
 * loops compute it (uncached; four entries at a time with AVX2 when
 * ev_engine.avx2, the same sums) and, when a is given, its dot product
 * with doc vector a through a's weight table into *dot (0 when a has no
 * table).  For tests. */
double ev_cent_walk(const ev_engine *e, const uint32_t *df, const ev_cent *c,
		    uint32_t n, const ev_vec *a, double *dot);
int ev_has_id(const ev_vec *v, uint32_t id); /* binary search, sorted v */

#endif
