/*
 * article: the in-memory form of one article as it moves down the pipeline.
 *
 * Design note: each stage reads fields filled by the stages before it and
 * fills its own; nothing is freed until the article is done, so every
 * string and array lives in the article's arena and stages never free.
 * Offsets (tokens, sentences, time expressions, mentions) are byte offsets
 * into `text`, the clean body, which is fixed once the clean stage ends.
 * The struct is internal; the public API sees the opaque chr_article.
 */
#ifndef CHR_ARTICLE_H
#define CHR_ARTICLE_H

#include <stddef.h>
#include <stdint.h>
#include "chronicle.h"
#include "core/arena.h"

typedef struct art_removed {
	const char *text;   /* what was removed (arena) */
	const char *reason; /* static string, e.g. "boilerplate" */
} art_removed;

typedef struct art_span {
	uint32_t start, end; /* byte offsets into text, end exclusive */
} art_span;

/* Token flags set by the text stage. */
enum {
	TOK_WORD = 1,   /* letters or digits */
	TOK_PUNCT = 2,  /* punctuation */
	TOK_CAP = 4,    /* starts with an upper-case letter */
	TOK_ABBR = 8,   /* abbreviation ending in '.', e.g. "Nov." */
	TOK_NUM = 16,   /* starts with a digit */
	TOK_SENT_START = 32
};

typedef struct art_token {
	uint32_t start, end;
	uint32_t flags;
} art_token;

/* An entity mention (filled by the entities stage). */
enum {
	MEN_METONYM = 1,   /* a capital standing for its state ("Pyongyang said") */
	MEN_ALIAS = 2,     /* resolved through the alias table */
	MEN_LINKED = 4,    /* a short form linked to a fuller mention */
	MEN_HEADLINE = 8   /* offsets are into the headline, not the text */
};

typedef struct art_mention {
	uint32_t start, end;  /* byte span in text */
	uint8_t type;         /* chr_ent_type: 1 PER, 2 LOC, 3 ORG, 4 MISC */
	uint8_t flags;        /* MEN_* */
	int32_t head;         /* index of the mention this one resolves to */
	const char *name;     /* best full name in this article (arena/static) */
	const char *key;      /* cross-article key: normalised name */
	const char *role;     /* title attached here ("Foreign Minister"), or NULL */
} art_mention;

/* One distinct mention key of an article, for the entity store
 * (src/store/entities.c), made with the mentions on the text thread
 * (entities_store_prep) so the store thread neither hashes keys nor
 * splits names. */
typedef struct art_entkey {
	const char *key;
	const char *fkey, *skey; /* keys of the first words and of the last
				  * word of its first mention's name ("" for
				  * one word) */
	int score;               /* canon_name_score of that name */
	uint32_t first;          /* its first mention */
	uint32_t n;              /* its mentions */
	uint32_t rows;           /* its mention rows as stored: one a start
				  * (as stored: a headline's at -1 - start),
				  * the last mention at it */
	uint32_t alias;          /* its first alias in entaliases + 1 */
} art_entkey;

/* One way an article writes a key (the mention's bytes), with its count:
 * the entity store's alias counts. */
typedef struct art_entalias {
	uint32_t key;     /* index into entkeys */
	uint32_t first;   /* its first mention (the bytes) */
	uint32_t n;       /* mentions written so */
	uint32_t next;    /* the key's next alias + 1, or 0 */
} art_entalias;

typedef struct art_sentence {
	uint32_t start, end;   /* byte span in text */
	uint32_t tok, ntok;    /* token range */
} art_sentence;

/* Growable array in an arena: doubling, old copies are left behind (the
 * waste is bounded by the final size). */
#define ART_VEC(T) struct { T *v; size_t n, cap; }
int art_vec_grow_(arena *a, void **v, size_t *cap, size_t need, size_t elem);
#define art_vec_push(a, vec, item)                                          \
	(((vec).n < (vec).cap ||                                            \
	  !art_vec_grow_((a), (void **)&(vec).v, &(vec).cap, (vec).n + 1,   \
			 sizeof *(vec).v))                                  \
		 ? ((vec).v[(vec).n++] = (item), 0)                         \
		 : -1)

struct chr_article {
	arena mem;
	chr_article *gone; /* ingest.c: list of stored articles to free */

	/* read: identity and input fields (arena copies) */
	const char *id;
	const char *path;
	uint64_t line;
	const char *in_title;    /* title given by the input */
	const char *in_date;     /* date given by the input */
	const char *in_dateline; /* dateline given by the input */
	const char *url;
	const char *source;
	const char *raw;         /* valid NFC UTF-8 input body */
	size_t raw_len;
	uint64_t content_hash;   /* of raw title + body; idempotent ingest */
	int64_t rowid;           /* store row, set when stored (0 before) */

	/* clean */
	const char *headline;
	const char *text;        /* clean body, paragraphs split by "\n\n" */
	size_t text_len;
	ART_VEC(art_removed) removed;
	ART_VEC(const char *) notes; /* e.g. "decoded as Windows-1252" */

	/* meta */
	const char *dateline;    /* place, e.g. "SEOUL/MOSCOW" */
	const char *outlet;
	ART_VEC(const char *) agencies;
	char published[11];      /* YYYY-MM-DD or "" */
	const char *published_from;

	/* text */
	ART_VEC(art_token) toks;
	ART_VEC(art_sentence) sents;

	/* time: TIMEX3 expressions in text, in text order (src/time/) */
	ART_VEC(chr_timex) timexes;

	/* entities: mentions in text order, resolved within the article
	 * (src/entities/canon.h) */
	ART_VEC(art_mention) mentions;
	/* the distinct keys of mentions in first-mention order, the distinct
	 * (key, bytes written) pairs in first-mention order, and each
	 * mention's index into entkeys + 1 (0: no key); entkeys_made says
	 * they are made (src/entities/entities.c, entities_store_prep) */
	ART_VEC(art_entkey) entkeys;
	ART_VEC(art_entalias) entaliases;
	uint32_t *menkey;
	int entkeys_made;

	/* facts: meetings, visits, statements, agreements and counts found
	 * in the sentences (src/facts/facts.h) */
	ART_VEC(struct facts_fact) facts;
	ART_VEC(struct facts_count) fact_counts;

	/* events: the engine-free half of the article's event doc, made on
	 * the text thread and used by the store thread's events stage
	 * (ev_prep_run, ev_stage_add); owned, freed with the article */
	struct ev_prep *evprep;
	/* dedup: the text's shingles, signature and paragraph hashes, made
	 * on the text thread (dedup_prep_run); owned, freed with it */
	struct dedup_feat *ddfeat;

	/* Later stages (time, entities, dedup, events) add their fields here. */
};

/* Make an empty article with its own arena.  Caller frees with
 * chr_article_free. */
chr_article *art_new(void);
/* Copy a string into the article's arena (NULL stays NULL). */
const char *art_strdup(chr_article *a, const char *s);
const char *art_strndup(chr_article *a, const char *s, size_t n);
/* Record a removal; text is copied.  Returns 0 or -1 on ENOMEM. */
int art_remove(chr_article *a, const char *text, size_t n, const char *reason);
int art_note(chr_article *a, const char *note);
/* Add an agency unless already present (case-insensitive). */
int art_agency(chr_article *a, const char *name, size_t n);
/* Set published (YYYY-MM-DD) and where it came from, unless already set. */
void art_set_published(chr_article *a, int y, int m, int d, const char *from);

/* Documents per art_process_many call, at most. */
#define ART_BATCH_MAX 64
/* chr_article_process for n (<= ART_BATCH_MAX) documents at once, stage
 * by stage (pipeline.c): out[i] gets the article or NULL, st[i] its
 * status, exactly as chr_article_process(d[i], &out[i]) would.  The
 * caller frees each article with chr_article_free. */
void art_process_many(const chr_doc *const *d, size_t n, chr_article **out,
		      chr_status *st);

#endif
