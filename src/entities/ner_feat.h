/*
 * ner_feat.h: what the NER feature files share (private to
 * src/entities/ner_*.c; the tagger's API is ner.h).
 *
 * Design note: the rows of the tagger's features are hashes of
 * (template, value).  This header numbers the templates (T_*), the
 * capitalisation classes (CLS_*) and document flags (DF_*), lays out the
 * table of small-value rows a work area makes once for its table size
 * (RT_SPECS, struct ner_rowtab; rowtab_of and RROW read it, falling back
 * to hashing), and names the rows a word's memo entry keeps for its
 * neighbours (WR_*), and has the AVX2 sums of weight rows (inlined by
 * ner_weights.c and the beam).  ner_word.c makes the per-word rows (the
 * memo) and the small-value table, ner_feat.c the document pass
 * (ner_static) and
 * the decoders' driver, ner_dyn.c the tag-dependent rows and the stage-2
 * aggregation.
 */
#ifndef CHR_NER_FEAT_H
#define CHR_NER_FEAT_H

#include "entities/ner.h"

#include <string.h>

enum {
	CLS_LOWER = 0, CLS_INITCAP, CLS_ALLCAP, CLS_MIXED, CLS_DIGIT,
	CLS_PUNCT, CLS_NONE
};

/* static templates */
enum {
	T_BIAS = 1, T_W, T_LOW, T_LOWM1, T_LOWP1, T_LOWM2, T_LOWP2, T_SHAPE,
	T_SHAPEL, T_SHAPEM1, T_SHAPEP1, T_SHAPE2L, T_SHAPE2R, T_PRE, T_SUF,
	T_CLS_START, T_CLS_CAPS, T_BIL, T_BIR, T_CLUS, T_CLUSM1, T_CLUSP1,
	T_GAZ, T_GAZCLS, T_GAZM1, T_GAZP1, T_DOC, T_LOWM1_CLS, T_CLS3,
	T_LOW_CAPS, T_CLUS_CLS, T_DOC_LOW, T_TOPIC_CLS, T_TOPIC_GAZ,
	T_TOPIC_CL3, T_KIND_GAZ, T_CLUSM2, T_CLUSP2, T_CLBIL, T_CLBIR,
	T_HYPRE, T_HYSUF, T_HYGAZ, T_HYCLUS, T_SUF5, T_INITLOW, T_CLUSR,
	T_CLUSRM1, T_CLUSRP1, T_RUNLAST, T_RUNFIRST, T_RUNLEN,
	T_RUNCLUS, T_RUNPREV, T_RUNNEXT,
	/* dynamic */
	T_PREV = 64, T_PREV2, T_PREV_LOW, T_PREV_SHAPE, T_HIST, T_HIST_CLS,
	T_PREV_CLS,
	/* stage 2: aggregation of stage-1 tags */
	T_A_SELF = 90, T_A_M1, T_A_P1, T_A_TRI, T_A_DOC, T_A_DOCMAJ, T_A_FIRST
};

enum { DF_CAP_MID = 1, DF_LOWER = 2, DF_CAP_ANY = 4 };

/* Rows of the templates whose values are small integers (classes,
 * cluster ids, gazetteer lists, document flags, tags): ner_row of a
 * (template, value) is a pure function of the table size, so a work
 * area makes them once for its model's size (ner_rowtab) and a token
 * looks up ~30 rows instead of hashing them.  X(name, template, values
 * 0..n-1); a value past n is hashed as before. */
#define NCL 1026 /* cluster ids 0..1023 and the ends 1024, 1025 */
#define RT_SPECS(X)                                                      \
	X(BIAS, T_BIAS, 1) X(CLS_START, T_CLS_START, 32)                 \
	X(CLS_CAPS, T_CLS_CAPS, 32) X(CLS3, T_CLS3, 512)                 \
	X(CLUS0, T_CLUS, NCL) X(CLUS1, T_CLUS + 100, NCL)                \
	X(CLUS2, T_CLUS + 200, NCL) X(CLUSM1_0, T_CLUSM1, NCL)           \
	X(CLUSM1_1, T_CLUSM1 + 100, NCL) X(CLUSM1_2, T_CLUSM1 + 200, NCL) \
	X(CLUSP1_0, T_CLUSP1, NCL) X(CLUSP1_1, T_CLUSP1 + 100, NCL)      \
	X(CLUSP1_2, T_CLUSP1 + 200, NCL) X(CLUSM2_0, T_CLUSM2, NCL)      \
	X(CLUSM2_1, T_CLUSM2 + 100, NCL) X(CLUSP2_0, T_CLUSP2, NCL)      \
	X(CLUSP2_1, T_CLUSP2 + 100, NCL) X(CLUSR, T_CLUSR, NCL)          \
	X(CLUSRM1, T_CLUSRM1, NCL) X(CLUSRP1, T_CLUSRP1, NCL)            \
	X(CLUS_CLS, T_CLUS_CLS, 8192) X(GAZ, T_GAZ, 176)                 \
	X(GAZCLS, T_GAZCLS, 1408) X(GAZM1, T_GAZM1, 1) X(GAZP1, T_GAZP1, 1) \
	X(KIND_GAZ, T_KIND_GAZ, 64) X(RUNLEN, T_RUNLEN, 128)             \
	X(DOC, T_DOC, 128) X(PREV, T_PREV, 32) X(PREV2, T_PREV2, 576)    \
	X(PREV_CLS, T_PREV_CLS, 224) X(HIST, T_HIST, 40)                 \
	X(HIST_CLS, T_HIST_CLS, 100) X(LOWM1, T_LOWM1, 20)               \
	X(LOWP1, T_LOWP1, 20) X(LOWM2, T_LOWM2, 20) X(LOWP2, T_LOWP2, 20) \
	X(SHAPEM1, T_SHAPEM1, 20) X(SHAPEP1, T_SHAPEP1, 20)
enum { /* RT_name: the first row of name's values in the table */
#define X(id, tmpl, n) RT_##id, RT_##id##_LAST = RT_##id + (n) - 1,
	RT_SPECS(X)
#undef X
	RT_N
};
enum { /* RTT_name: its template */
#define X(id, tmpl, n) RTT_##id = tmpl,
	RT_SPECS(X)
#undef X
};
/* the cluster templates of granularity g are NCL rows apart */
_Static_assert(RT_CLUS1 == RT_CLUS0 + NCL && RT_CLUS2 == RT_CLUS1 + NCL &&
	       RT_CLUSM1_1 == RT_CLUSM1_0 + NCL &&
	       RT_CLUSM1_2 == RT_CLUSM1_1 + NCL &&
	       RT_CLUSP1_1 == RT_CLUSP1_0 + NCL &&
	       RT_CLUSP1_2 == RT_CLUSP1_1 + NCL &&
	       RT_CLUSM2_1 == RT_CLUSM2_0 + NCL &&
	       RT_CLUSP2_1 == RT_CLUSP2_0 + NCL, "cluster rows by granularity");

struct ner_rowtab {
	uint32_t bits; /* table size the rows are for */
	uint32_t r[RT_N];
};

/* w's small-value rows for a table of 2^bits rows (made or remade when
 * the size differs); NULL without memory. */
const uint32_t *ner_rowtab_get(ner_work *w, uint32_t bits);

/* The rows made by ner_static for bits, or NULL (then rows are hashed). */
static inline const uint32_t *rowtab_of(const ner_work *w, uint32_t bits)
{
	return w->rt && w->rt->bits == bits ? w->rt->r : NULL;
}

/* Row of template tmpl with value v: from the table rt (rows off..off+n)
 * when it holds v, else hashed. */
static inline uint32_t rt_row(const uint32_t *rt, uint32_t bits,
			      uint32_t off, uint32_t n, uint32_t tmpl,
			      uint64_t v)
{
	return rt && v < n ? rt[off + v] : ner_row(bits, tmpl, v);
}
#define RROW(id, v) rt_row(rt, bits, RT_##id, RT_##id##_LAST - RT_##id + 1, \
			   RTT_##id, (v))

/* Rows a word gives its neighbours, after its own (ner_wordh.row). */
enum {
	WR_LOWM1 = 13, WR_LOWP1, WR_LOWM2, WR_LOWP2, WR_SHAPEM1, WR_SHAPEP1,
	WR_LOW_CAPS0, WR_PREV_LOW_O, WR_PREV_SHAPE_O, WR_N
};
_Static_assert(WR_N == sizeof ((ner_wordh *)0)->row / sizeof (uint32_t),
	       "ner_wordh.row holds the neighbour rows");


/* Where ner_static puts the rows of small values among a token's first
 * rows (ner_prefetch_token does not prefetch those: the table of their
 * weights is small and read for every token): row 0 is the bias; after
 * the 13 + 2 naff rows of words and shapes (SR_CLS(naff)) come the two
 * class rows, four rows of words, the class trigram and 14 cluster rows
 * (SR_CLUS), two cluster bigrams (SR_CLBI), three right-context cluster
 * rows (SR_CLUSR); the rows after those (SR_TAIL) vary in number. */
#define SR_CLS(naff) (13 + 2 * (size_t)(naff))
enum { SR_LOW = 2, SR_CLUS = 6, SR_NCLUS = 15, SR_CLBI = 21, SR_CLUSR = 23,
       SR_TAIL = 26 };

/* Each token's hashes and rows into w->wh (w reserved for n tokens),
 * through w's memo (ner_word.c); one call a document. */
void ner_doc_hashes(ner_work *w, const ner_model *m, const ner_tok *toks,
		    size_t n);
/* The rows of token i's word alone (its bytes, class, clusters and,
 * hyphenated, its parts; and the bias), the part of its static rows
 * whose stage-1 weights a memo entry sums (ner_wordh.wsum): at most
 * NER_WROWS; the count (ner_word.c).  ner_static writes the same rows,
 * among the others, in its own order. */
#define NER_WROWS 24
size_t ner_word_rows(const ner_model *m, const uint32_t *rt,
		     const char *s, size_t len, const ner_wordh *h,
		     uint32_t *r);
/* ner_hist_add of a tag of type ty (the beam has the types in a
 * table): token i's word was tagged ty once more. */
static inline void ner_hist_count(ner_work *w, size_t i, int ty)
{
	uint16_t *h = w->hcnt[w->slot[i]];
	if (h[ty] < 60000)
		h[ty]++;
}

/* ner_sum_rows and ner_sum_scaled of 16-weight rows with AVX2 (the
 * caller checks the CPU: ner_weights.c, and ner_beam.c's AVX2 copy of
 * the decoder, which inlines them). */
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define NER_AVX2 1
/* The integer sums of 16-weight rows with AVX2: the same pairing, a
 * whole row per load (an odd last row paired with zeros).  The 256-bit
 * unpacks work within 128-bit lanes, so *lo gathers tags 0-3 and 8-11,
 * *hi tags 4-7 and 12-15. */
__attribute__((target("avx2"))) static inline void
ner_sum16_lanes(const int16_t *wt, const uint32_t *rows, size_t n,
		const int32_t *init, __m256i *plo, __m256i *phi)
{
	const __m256i one = _mm256_set1_epi16(1);
	__m256i lo = _mm256_setzero_si256(), hi = lo;
	if (init) {
		const __m128i *ip = (const __m128i *)(const void *)init;
		lo = _mm256_set_m128i(_mm_loadu_si128(ip + 2), _mm_loadu_si128(ip));
		hi = _mm256_set_m128i(_mm_loadu_si128(ip + 3), _mm_loadu_si128(ip + 1));
	}
	size_t f = 0;
	for (; f + 2 <= n; f += 2) {
		__m256i p0 = _mm256_loadu_si256((const __m256i *)(const void *)(wt + (size_t)rows[f] * 16));
		__m256i q0 = _mm256_loadu_si256((const __m256i *)(const void *)(wt + (size_t)rows[f + 1] * 16));
		lo = _mm256_add_epi32(lo, _mm256_madd_epi16(_mm256_unpacklo_epi16(p0, q0), one));
		hi = _mm256_add_epi32(hi, _mm256_madd_epi16(_mm256_unpackhi_epi16(p0, q0), one));
	}
	if (f < n) {
		__m256i p0 = _mm256_loadu_si256((const __m256i *)(const void *)(wt + (size_t)rows[f] * 16));
		__m256i q0 = _mm256_setzero_si256();
		lo = _mm256_add_epi32(lo, _mm256_madd_epi16(_mm256_unpacklo_epi16(p0, q0), one));
		hi = _mm256_add_epi32(hi, _mm256_madd_epi16(_mm256_unpackhi_epi16(p0, q0), one));
	}
	*plo = lo;
	*phi = hi;
}

/* ner_sum_scaled of 16-weight rows with AVX2: the sums stay in
 * registers, put back in tag order (tags 0-7 are the low halves of lo
 * and hi, 8-15 the high halves) and scaled 8 tags at a time with the
 * same conversion, product and sum per tag as ner_add_scaled. */
__attribute__((target("avx2"))) static inline void
ner_sum16_scaled_avx2(const int16_t *wt, const uint32_t *rows, size_t n,
		      const int32_t *init, float scale, const float *add,
		      float *out)
{
	__m256i lo, hi;
	ner_sum16_lanes(wt, rows, n, init, &lo, &hi);
	const __m256 sc = _mm256_set1_ps(scale);
	__m256 a = _mm256_cvtepi32_ps(_mm256_permute2x128_si256(lo, hi, 0x20));
	__m256 b = _mm256_cvtepi32_ps(_mm256_permute2x128_si256(lo, hi, 0x31));
	a = _mm256_add_ps(_mm256_loadu_ps(add), _mm256_mul_ps(a, sc));
	b = _mm256_add_ps(_mm256_loadu_ps(add + 8), _mm256_mul_ps(b, sc));
	_mm256_storeu_ps(out, a);
	_mm256_storeu_ps(out + 8, b);
}
#endif

/* Prefetch the weight rows of r[0, e) (r advances): rowbytes bytes each
 * from base (ner_prefetch_token; the beam's AVX2 copy inlines it).  A
 * macro, not a function: GCC finds a function that only prefetches
 * free of side effects and drops its calls. */
#define PREFETCH_ROWS(base, rowbytes, r, e)                              \
	do {                                                             \
		if ((rowbytes) == 32) /* BILOU int16 rows: a shift */    \
			for (; (r) + 4 <= (e); (r) += 4) {               \
				__builtin_prefetch((base) + ((size_t)(r)[0] << 5)); \
				__builtin_prefetch((base) + ((size_t)(r)[1] << 5)); \
				__builtin_prefetch((base) + ((size_t)(r)[2] << 5)); \
				__builtin_prefetch((base) + ((size_t)(r)[3] << 5)); \
			}                                                \
		for (; (r) + 2 <= (e); (r) += 2) {                       \
			__builtin_prefetch((base) + (size_t)(r)[0] * (rowbytes)); \
			__builtin_prefetch((base) + (size_t)(r)[1] * (rowbytes)); \
		}                                                        \
		if ((r) < (e))                                           \
			__builtin_prefetch((base) + (size_t)*(r) * (rowbytes)); \
	} while (0)

/* ner_dyn_prev2 from the work area's small-value rows rt (or NULL) for
 * a table of 2^bits rows. */
static inline uint32_t ner_dyn_prev2_row(const uint32_t *rt, uint32_t bits,
					 int prev, int prev2)
{
	uint64_t p = (uint64_t)(prev + 1), p2 = (uint64_t)(prev2 + 1);
	return RROW(PREV2, p2 * 32 + p);
}
/* ner_dyn_prev for a token with hashes h (ner_dyn.c); rt: the work
 * area's small-value rows or NULL.  The _in copy is always inlined (the
 * beam makes them for each previous tag but O, about once a token:
 * GCC -O2 had made it a call; r2k segment 486.2 -> 481.7 M). */
size_t ner_dyn_prev_of(const ner_model *m, const uint32_t *rt,
		       const ner_wordh *h, int prev, uint32_t *rows);
static inline __attribute__((always_inline)) size_t ner_dyn_prev_in(const ner_model *m, const uint32_t *rt,
				     const ner_wordh *h, int prev,
				     uint32_t *rows)
{
	uint32_t bits = m->row_bits;
	uint64_t p = (uint64_t)(prev + 1);
	rows[0] = RROW(PREV, p);
	if (p == 1 && h->rkey == bits + 1) { /* after O: the word's */
		rows[1] = h->row[WR_PREV_LOW_O];
		rows[2] = h->row[WR_PREV_SHAPE_O];
	} else {
		rows[1] = ner_row(bits, T_PREV_LOW, h->low * 32 + p);
		rows[2] = ner_row(bits, T_PREV_SHAPE, h->shape * 32 + p);
	}
	rows[3] = RROW(PREV_CLS, (uint64_t)h->cls * 32 + p);
	return 4;
}
/* ner_dyn_uses_hist, inlined: the history rows matter to the classes
 * other than lower case and punctuation. */
static inline int ner_uses_hist(const ner_work *w, size_t i)
{
	return w->cls[i] != CLS_LOWER && w->cls[i] != CLS_PUNCT;
}
/* The groups of rows a word gives its neighbours (the lower case, shape
 * and cluster rows of the token before or after, or two before or
 * after): to the word after it (NB_M1: it is that word's "-1"), before
 * it (NB_P1), two after (NB_M2), two before (NB_P2).  With split rows a
 * memo entry sums each group's weights, and a token's sum (w->nsum)
 * adds those of its neighbours' entries (ner_doc_hashes), or of the
 * sentence end's rows where a neighbour is past it. */
enum { NB_M1, NB_P1, NB_M2, NB_P2, NB_N };
#define NER_NBROWS 6
/* The rows of group g that word h gives its neighbour or, h NULL, that
 * the sentence's end gives it instead: at most NER_NBROWS; the count
 * (ner_word.c; ner_static writes the same rows when not split). */
size_t ner_nb_rows(const ner_model *m, const uint32_t *rt,
		   const ner_wordh *h, int g, uint32_t *r);
/* The word memo (ner_word.c): sets of NER_MEMO_WAYS entries, a word's
 * set picked by the low bits of its key: a quick hash of its 1 to
 * NER_MEMO_W - 1 bytes (read as two or three overlapping 8-byte words,
 * or two 4-byte ones, or three bytes) and its length. */
static inline uint64_t ner_memo_key(const char *s, size_t len)
{
	uint64_t a, b, c = 0;
	if (len >= 8) {
		memcpy(&a, s, 8);
		memcpy(&b, s + len - 8, 8);
		if (len > 16)
			memcpy(&c, s + 8, 8);
	} else if (len >= 4) {
		uint32_t x, y;
		memcpy(&x, s, 4);
		memcpy(&y, s + len - 4, 4);
		a = x;
		b = y;
	} else {
		a = (uint8_t)s[0] | (uint64_t)(uint8_t)s[len / 2] << 8 |
		    (uint64_t)(uint8_t)s[len - 1] << 16;
		b = 0;
	}
	/* mixed in turn (a product's high input bits reach only its high
	 * bits, so two products side by side could cancel) */
	uint64_t h = (a ^ 0x9E3779B97F4A7C15ull) * 0xBF58476D1CE4E5B9ull;
	h = (h ^ h >> 29 ^ (b + len)) * 0x94D049BB133111EBull;
	h = (h ^ h >> 32 ^ c) * 0xD6E8FEB86659FD93ull;
	return h ^ h >> 29;
}
/* The way of s[0, len) (ner_memo_key key) in its set, *e its entry; or, not
 * there, NER_MEMO_WAYS plus the way it replaces (the set's least
 * recently used), *e that entry (its old word still in it).  Either way
 * the way counts as used now. */
#define NER_MEMO_N 32768
#define NER_MEMO_WAYS 4
#define NER_MEMO_SETS (NER_MEMO_N / NER_MEMO_WAYS) /* by key's low bits */
struct ner_wmemo;
struct ner_wmemo_ent;
uint32_t ner_memo_way(struct ner_wmemo *mo, const char *s, size_t len,
		      uint64_t key, struct ner_wmemo_ent **e);
/* Rows of a hyphenated word: at most 4; the count (ner_word.c). */
size_t ner_hyphen_rows(const ner_model *m, const char *s, size_t len,
		       uint32_t c, uint32_t *r);

#endif
