/*
 * ner: the named-entity tagger (PER, LOC, ORG, MISC), internal interface.
 *
 * Design note: a left-to-right averaged perceptron in the style of
 * Ratinov & Roth (2009), trained greedily and decoded with a small beam
 * (ner_beam.c; the width is stored in the model).  Every feature is hashed (template id, value) into
 * a fixed table of 2^row_bits rows holding one weight per tag, so the model
 * is a flat array and scoring a token is ~50 row reads.  Features split in
 * two: static ones (word forms, shapes, affixes, word clusters,
 * gazetteers, document capitalisation) computed for a whole document up
 * front, and dynamic ones (previous tags, the tags this document already
 * gave the same word) computed while decoding.  The lexicon (word
 * clusters) and the gazetteer (lower-cased phrases to list bits) live in
 * the model file as open-addressing tables, so the model is one
 * self-contained file that is mmap'ed and used in place.  All hashes are
 * XXH3 with fixed seeds, so a model is stable across processes.
 *
 * Two stages (Ratinov & Roth's "prediction aggregation"): the first
 * tagger runs over the whole document; then a second tagger, with its
 * own weight table, re-tags it using the same static rows plus
 * aggregation rows built from the first stage's output (its tags of the
 * token and neighbours, and the types it gave the same word anywhere in
 * the document, before and after).  The second stage is trained on
 * first-stage output from k-fold cross-validation over eng.train, so it
 * learns how far to trust realistic first-stage errors.
 * Internal prefix: ner_.
 */
#ifndef CHR_NER_H
#define CHR_NER_H

#include <stddef.h>
#include <stdint.h>
#include "chronicle.h"

#define NER_NTYPES 4                 /* PER LOC ORG MISC (types 1..4) */
#define NER_MAXTAGS 17               /* O + 4 x BILU */
#define NER_SCHEME_BIO 0
#define NER_SCHEME_BILOU 1
#define NER_MAXWORD 64               /* bytes of a word used for hashing */
#define NER_GAZ_MAXLEN 6             /* tokens in a gazetteer phrase */
#define NER_GAZ_LISTS 22             /* gazetteer lists (bits 0..21) */
#define NER_GAZ_PREFIX 0x800000u     /* phrase is a prefix of a longer one */
#define NER_NSTATIC 160              /* static (+ stage-2) rows per token */
#define NER_NDYN 12                  /* dynamic feature rows per token */

/* Type names indexed 1..4; 0 is "O". */
extern const char *const ner_type_names[NER_NTYPES + 1];

/* One input token; s need not be NUL-terminated. */
typedef struct ner_tok {
	const char *s;
	uint32_t len;
	uint8_t sent_start; /* 1 on the first token of a sentence */
} ner_tok;

/* Lexicon entry: a word form (exact case) and its cluster ids. */
typedef struct ner_lexent {
	uint64_t key;  /* ner_hash_word of the form; 0 = empty slot */
	uint32_t clus; /* 3 cluster ids, 10 bits each, +1 (0 = none) */
	uint32_t clus2; /* right-context cluster id + 1 (0 = none) */
} ner_lexent;

/* Gazetteer entry, packed in 64 bits: the top 40 bits of the
 * ner_hash_word of a lower-cased phrase (words joined by one space), and
 * in the low 24 its list bits plus NER_GAZ_PREFIX.  0 = empty slot. */
typedef uint64_t ner_gazent;
#define NER_GAZ_MASKBITS 24
#define NER_GAZ_MASKALL (((uint64_t)1 << NER_GAZ_MASKBITS) - 1)
#define NER_GAZ_KEY(h) (((h) & ~NER_GAZ_MASKALL) ? ((h) & ~NER_GAZ_MASKALL) \
						 : (uint64_t)1 << NER_GAZ_MASKBITS)

typedef struct ner_model {
	uint32_t scheme, ntags, row_bits;
	uint32_t stages;         /* 1, or 2 with the aggregation tagger */
	uint32_t beam;           /* decoding beam width (0 or 1 = greedy) */
	float scale;             /* int16 weight * scale = weight */
	const int16_t *w;        /* rows x (ntags - 1): tag O scores 0 */
	float *wf;               /* training: float weights instead of w */
	float scale2;            /* stage 2: the same, its own table */
	const int16_t *w2;
	float *wf2;
	const ner_lexent *lex;   /* 2^lex_bits slots */
	uint32_t lex_bits;
	const ner_gazent *gaz;   /* 2^gaz_bits slots */
	uint32_t gaz_bits;
	/* backing storage */
	void *map;
	size_t map_len;
	int mapped;              /* 1: munmap, 0: free */
	void *owned[3];          /* training: tables owned by the model */
	uint32_t serial;         /* loaded: unique in the process (per-word
				  * lookups are kept by it); 0: not kept */
} ner_model;

/* ---- tags ---- */
/* Entity type (0 for O) and part ('O','B','I','L','U') of tag t. */
int ner_tag_type(int scheme, int t);
char ner_tag_part(int scheme, int t);
/* Tag index for (part, type); part as above. */
int ner_tag_make(int scheme, char part, int type);
/* 1 when cur may follow prev (prev -1 = sentence start). */
int ner_tag_valid(int scheme, int prev, int cur);
/* 1 when the tag at the end of a sentence is allowed. */
int ner_tag_final_ok(int scheme, int t);
/* Encode entity spans as tags.  types[i] is 0 or a type, begins[i] 1
 * where an entity starts; out gets n tags. */
void ner_encode(int scheme, const uint8_t *types, const uint8_t *begins,
		size_t n, uint8_t *out);

/* ---- hashing and word shapes ---- */
uint64_t ner_hash_word(const char *s, size_t n);
/* Lower-case (ASCII) s into out (at most NER_MAXWORD bytes); the length. */
size_t ner_lower(const char *s, size_t n, char *out);
/* Word shape: runs of the same class collapsed ("Xx", "X.X.", "d-d"). */
size_t ner_shape(const char *s, size_t n, char *out, int collapse);
/* Feature row for template tmpl with value v. */
static inline uint32_t ner_row(uint32_t bits, uint32_t tmpl, uint64_t v)
{
	uint64_t z = v ^ ((uint64_t)tmpl * 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	z ^= z >> 31;
	return (uint32_t)(z >> (64 - bits));
}
const ner_lexent *ner_lex_find(const ner_model *m, uint64_t key);
uint32_t ner_gaz_find(const ner_model *m, uint64_t key);
/* The gazetteer slot where ner_gaz_find(m, key) starts (m->gaz set). */
static inline const ner_gazent *ner_gaz_slot(const ner_model *m,
					     uint64_t key)
{
	size_t mask = ((size_t)1 << m->gaz_bits) - 1;
	return m->gaz + ((size_t)(NER_GAZ_KEY(key) >> NER_GAZ_MASKBITS) & mask);
}

/* ---- features and decoding ---- */
/* The hashes of one token's own bytes that its features use, and the
 * rows they make (a pure function of the bytes and the table size:
 * ner_word.c remembers them per thread). */
typedef struct ner_wordh {
	uint64_t word, low, shape; /* form, lower case, shape */
	uint64_t title; /* lower case with an initial capital; 0 = none */
	/* the rows of the word's own templates in a table of 2^(rkey - 1)
	 * rows (rkey 0: not made): form, lower case, shape, shape long,
	 * prefix and suffix 1..4 in turn, suffix 5; then the rows it gives
	 * its neighbours (lower case as the word before, after, two before,
	 * two after; shape before, after), its lower case in a sentence
	 * of no particular kind, and its lower case and shape after a tag
	 * O (ner_word.c) */
	uint32_t row[22], rkey;
	/* its clusters (low 32 bits, right-context above) and gazetteer
	 * lists in the model with serial number mserial (0: none made) */
	uint64_t clus;
	uint32_t gaz, mserial;
	uint8_t cls;    /* capitalisation class */
	uint8_t hyphen; /* 1: a hyphen inside (not first or last byte) */
	uint8_t naff;   /* prefix and suffix rows: min(bytes, 4) */
	/* the integer sums of the weights of its word rows (ner_word_rows)
	 * and of its rows after a tag O (ner_dyn_prev) in the stage-1
	 * int16 table of the loaded model with serial number sserial (0:
	 * none made) */
	uint32_t sserial;
	int32_t wsum[16], osum[16];
} ner_wordh;

/* Per-document scratch; reused between calls (zero-initialise). */
typedef struct ner_work {
	uint32_t *rows;   /* n x NER_NSTATIC static rows */
	uint8_t *nrows;   /* static rows used per token */
	uint64_t *hlow;   /* lower-case word hash per token */
	uint64_t *hshape; /* shape hash per token */
	uint32_t *slot;   /* per token: its word's slot in the document */
	uint8_t *cls;     /* capitalisation class per token */
	uint8_t *gazpos;  /* n x NER_GAZ_LISTS: 1..4 = B,I,L,U where the
			   * token's gazetteer mask has the list */
	uint8_t *gazlen;  /* n x NER_GAZ_LISTS: length of that match */
	uint16_t (*hcnt)[NER_NTYPES + 1]; /* tag history per slot */
	uint8_t *dflag;   /* per slot: document capitalisation flags */
	/* the document's slot table (open addressing): an entry is in
	 * use when its gen is the document's (sgen), so a new document
	 * needs no clearing */
	struct ner_slotent {
		uint64_t key;
		uint32_t val, gen;
	} *stab;
	uint32_t sgen;
	uint32_t nslots;  /* distinct words in the document */
	/* per token (ner_static): the sentence's kind, counts as
	 * capitalised (caps, then capl: 2 x n), clusters, gazetteer lists */
	uint8_t *caps;
	uint64_t *cl;
	uint32_t *gmask;
	uint16_t (*acnt)[NER_NTYPES + 1]; /* stage 1 types per slot */
	uint32_t *afirst; /* per slot: first token tagged as an entity */
	ner_wordh *wh;    /* per token: its own hashes */
	uint32_t *spos;   /* per slot: last position decoded (ner_beam.c) */
	/* the static rows are split (ner_static) for a loaded model of
	 * one int16 table (sserial: its serial number; 0: not split): a
	 * token's rows are then the rows other than its word rows
	 * (ner_word_rows) and the rows its neighbours give it (or the
	 * sentence ends: ner_nb_rows), whose weights add to nsum[i]:
	 * nsmall[i] rows of small values, then the hashed ones */
	uint8_t *nsmall;
	int32_t (*nsum)[16];
	uint32_t sserial;
	struct ner_wmemo *memo; /* hashes of recent words (lazily made) */
	void *memo_mem;         /* its allocation (memo: 64-byte aligned) */
	struct ner_rowtab *rt;  /* rows of small values (ner_static makes) */
	size_t cap, scap;
} ner_work;

void ner_work_free(ner_work *w);
/* Tests: make w's table of small-value rows for 2^bits rows and count
 * its rows that differ from ner_row (0 when right). */
uint32_t ner_rowtab_check(ner_work *w, uint32_t bits);
/* Compute the static rows of a document of n tokens into w->rows. */
chr_status ner_static(const ner_model *m, const ner_tok *toks, size_t n,
		      ner_work *w);
/* Dynamic rows for token i given the previous two tags (-1 none); the
 * count of rows. */
size_t ner_dynamic(const ner_model *m, const ner_work *w, size_t i,
		   int prev, int prev2, uint32_t *rows);
/* The same with the tag history h[NER_NTYPES + 1] of the token's word
 * given (the beam keeps one per hypothesis). */
size_t ner_dynamic_h(const ner_model *m, const ner_work *w, size_t i,
		     int prev, int prev2, const uint16_t *h, uint32_t *rows);
/* acc[0, st) = init[0, st) (0s when init is NULL) plus the integer
 * sums of n int16 rows of st weights each (ner_weights.c); acc and init
 * hold 16 entries when st is 16. */
void ner_sum_rows(const int16_t *wt, uint32_t st, const uint32_t *rows,
		  size_t n, const int32_t *init, int32_t *acc);
/* Tests: 1 keeps ner_sum_rows off its AVX2 path. */
extern int ner_no_avx2;
/* ner_dynamic_h in parts, for decoders that share them between
 * hypotheses: the rows that read only the previous tag (4), the one that
 * reads both previous tags, and the tag-history rows (none when the
 * token's class does not use them, ner_dyn_uses_hist; at most 6). */
size_t ner_dyn_prev(const ner_model *m, const ner_work *w, size_t i,
		    int prev, uint32_t *rows);
uint32_t ner_dyn_prev2(const ner_model *m, const ner_work *w, int prev,
		       int prev2);
int ner_dyn_uses_hist(const ner_work *w, size_t i);
size_t ner_dyn_hist(const ner_model *m, const ner_work *w, size_t i,
		    const uint16_t *h, uint32_t *rows);
/* out[t] += (float)acc[t] * scale for t < st (the same roundings with
 * or without SIMD). */
void ner_add_scaled(const int32_t *acc, uint32_t st, float scale,
		    float *out);
/* out[t] = add[t] + (float)(init[t] + the row sums)[t] * scale for
 * t < st: ner_sum_rows then ner_add_scaled onto add, the same numbers
 * bit for bit (out may be add; each holds 16 entries when st is 16). */
void ner_sum_scaled(const int16_t *wt, uint32_t st, const uint32_t *rows,
		    size_t n, const int32_t *init, float scale,
		    const float *add, float *out);
/* Add the weights of rows into score[ntags] (stage 1 table). */
void ner_score_rows(const ner_model *m, const uint32_t *rows, size_t n,
		    float *score);
/* The same for stage 1 or 2. */
void ner_score_stage(const ner_model *m, int stage, const uint32_t *rows,
		     size_t n, float *score);
/* Append the stage-2 aggregation rows to w->rows (after ner_static),
 * from the stage-1 tags s1[n] of the document. */
void ner_aggregate(const ner_model *m, const ner_tok *toks, size_t n,
		   ner_work *w, const uint8_t *s1);
/* Clear the prediction history (before decoding the document again). */
void ner_hist_reset(ner_work *w);
/* Greedy decoding of one stage over rows already computed. */
void ner_decode(const ner_model *m, int stage, const ner_tok *toks,
		size_t n, ner_work *w, uint8_t *tags);
/* Add the weights of token i's static rows into score[ntags] (stage 1
 * or 2): with split rows (ner_work.sserial) in stage 1, the word's sum
 * plus its other rows (the same integers, so the same floats). */
void ner_score_static(const ner_model *m, int stage, const ner_work *w,
		      size_t i, float *score);
/* Prefetch the weight rows of token i's static features. */
void ner_prefetch_token(const ner_model *m, int stage, const ner_work *w,
			size_t i);
/* Beam-search decoding (ner_beam.c); beam 1 = ner_decode. */
#define NER_BEAM_MAX 8
#define NER_BEAM_SPAN 64 /* tokens decoded before a commit */
void ner_decode_beam(const ner_model *m, int stage, const ner_tok *toks,
		     size_t n, ner_work *w, uint8_t *tags, int beam);
/* End of the segment starting at a: whole sentences while they fit in
 * NER_BEAM_SPAN tokens, or NER_BEAM_SPAN tokens of a longer sentence. */
size_t ner_beam_seg_end(const ner_tok *toks, size_t n, size_t a);
/* Dynamic rows of token i (a <= i < segment end) when the segment's
 * tokens a..i-1 are tagged path[0..i-a) after prev0, prev20. */
size_t ner_path_dynamic(const ner_model *m, const ner_work *w,
			const ner_tok *toks, size_t a, size_t i,
			const uint8_t *path, int prev0, int prev20,
			uint32_t *rows);
/* Record that token i was tagged t (prediction history). */
void ner_hist_add(const ner_model *m, ner_work *w, size_t i, int t);
/* Tag a document (both stages when the model has two); tags[n] get
 * internal tags (scheme of m). */
chr_status ner_tag_doc(const ner_model *m, const ner_tok *toks, size_t n,
		       ner_work *w, uint8_t *tags);
/* Tag a document and give IOB2 output codes in tags[n] (the work of
 * chr_ner_tag_tokens, on tokens the caller points into its text; the
 * thread's kept scratch). */
chr_status ner_tag_iob2(const ner_model *m, const ner_tok *toks, size_t n,
			uint8_t *tags);
/* Internal tags to IOB2 output codes: 0 O, 2k-1 B-type k, 2k I-type k. */
void ner_to_iob2(int scheme, const uint8_t *tags, size_t n, uint8_t *out);

/* ---- model file ---- */
#define NER_MAGIC "CHRNER\r\n"
#define NER_VERSION 8
chr_status ner_model_load(const char *path, ner_model **out, char *err,
			  size_t errlen);
/* Load from memory (copied); for tests and the fuzzer. */
chr_status ner_model_from_mem(const void *p, size_t n, ner_model **out,
			      char *err, size_t errlen);
/* avg: stage-1 weights; avg2: stage-2 weights or NULL (one stage). */
chr_status ner_model_save(const ner_model *m, const char *path,
			  const float *avg, const float *avg2);
void ner_model_free(ner_model *m);

/* ---- scoring (conlleval) ---- */
typedef struct ner_counts {
	/* [0] = overall, [1..4] = types, [5] = any other type name */
	uint64_t correct[NER_NTYPES + 2];
	uint64_t gold[NER_NTYPES + 2];
	uint64_t pred[NER_NTYPES + 2];
	uint64_t tokens, tok_correct;
} ner_counts;
/* Add one sentence (IOB1 or IOB2 tag strings, "O" etc.) to c. */
void ner_count_sentence(ner_counts *c, const char *const *gold,
			const char *const *pred, size_t n);
/* Precision, recall, F1 (percent) for type k (0 = overall). */
void ner_prf(const ner_counts *c, int k, double *p, double *r, double *f);
/* Type index of a type name ("PER" -> 1); NER_NTYPES + 1 when unknown,
 * 0 for an empty name. */
int ner_type_of(const char *name, size_t n);

/* ---- plain-text tokenizer ---- */
typedef struct ner_span {
	uint32_t start, end;
	uint8_t sent_start;
} ner_span;
/* Split text into tokens; *out is malloc'ed (caller frees). */
chr_status ner_tokenize(const char *text, size_t len, ner_span **out,
			size_t *n);

#endif
