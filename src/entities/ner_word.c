/*
 * ner_word: the rows a word gives the NER tagger, remembered per word,
 * and the table of small-value rows.
 *
 * Design note: a row is a hash of (template, value) (ner_feat.h).  The
 * rows of a word's own bytes (form, lower case, shapes, affixes, and the
 * rows it gives its neighbours) and, for a loaded model, its lexicon
 * clusters and one-word gazetteer lists are computed by word_hashes and
 * word_lookups and remembered in a memo per work area (sets of four
 * entries, the least recently used replaced: ner_doc_hashes), so a
 * repeated word is not hashed again; an entry
 * is made again for another table size or looked up again for another
 * model.  For a loaded model of one int16 table the entry also keeps
 * the integer sum of the weights of the word's rows (ner_word_rows:
 * those of its bytes, class and clusters, and the bias), the sums of
 * the rows it gives its neighbours (ner_nb_rows: lower case, shape and
 * clusters as the word before, after, two before, two after; kept in
 * the memo entry beside the hashes, not copied per token), and the sum
 * of its four dynamic rows after a tag O (ner_dyn_prev; the beam's most
 * common previous tag).  ner_doc_hashes adds, per token, its word sum
 * and its neighbours' sums (or the sentence ends' rows' sums) into
 * w->nsum (GCC vectors, AVX2 where the CPU has it; integer sums, the
 * same in any order), so ner_static leaves those rows out and a token's
 * score adds about 36 rows fewer (ner_score_static).  Rows of small
 * values (classes, cluster ids, gazetteer lists, tags) are made once
 * per work area for its table size (ner_rowtab_get).  Hyphenated words get the rows of their parts
 * (ner_hyphen_rows).  The document pass that uses them is ner_feat.c.
 */
#include "entities/ner_feat.h"
#include "core/bytes.h"

#include <stdlib.h>
#include <string.h>

static const struct {
	uint32_t tmpl, off, n;
} rt_spec[] = {
#define X(id, tmpl, n) {tmpl, RT_##id, n},
	RT_SPECS(X)
#undef X
};

/* w's small-value rows for a table of 2^bits rows (made or remade when
 * the size differs); NULL without memory. */
const uint32_t *ner_rowtab_get(ner_work *w, uint32_t bits)
{
	if (!w->rt && !(w->rt = calloc(1, sizeof *w->rt)))
		return NULL;
	if (w->rt->bits != bits) {
		for (size_t k = 0; k < sizeof rt_spec / sizeof *rt_spec; k++)
			for (uint32_t v = 0; v < rt_spec[k].n; v++)
				w->rt->r[rt_spec[k].off + v] =
					ner_row(bits, rt_spec[k].tmpl, v);
		w->rt->bits = bits;
	}
	return w->rt->r;
}

uint32_t ner_rowtab_check(ner_work *w, uint32_t bits)
{
	const uint32_t *rt = ner_rowtab_get(w, bits);
	uint32_t bad = !rt;
	for (size_t k = 0; rt && k < sizeof rt_spec / sizeof *rt_spec; k++)
		for (uint32_t v = 0; v < rt_spec[k].n; v++)
			bad += rt[rt_spec[k].off + v] !=
			       ner_row(bits, rt_spec[k].tmpl, v);
	return bad;
}

static uint8_t cap_class(const char *s, size_t n)
{
	int up = 0, low = 0, dig = 0, alpha_first = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 'A' && c <= 'Z')
			up++;
		else if (c >= 'a' && c <= 'z')
			low++;
		else if (c >= '0' && c <= '9')
			dig++;
		else if (c >= 0x80)
			low++; /* treat non-ASCII letters as letters */
		if (i == 0)
			alpha_first = c >= 'A' && c <= 'Z';
	}
	if (!up && !low)
		return dig ? CLS_DIGIT : CLS_PUNCT;
	if (!up)
		return CLS_LOWER;
	if (!low)
		return up + low == 1 || up > 1 ? CLS_ALLCAP : CLS_MIXED;
	if (alpha_first) {
		int later_up = 0;
		for (size_t i = 1; i < n; i++)
			if (s[i] >= 'A' && s[i] <= 'Z')
				later_up = 1;
		return later_up ? CLS_MIXED : CLS_INITCAP;
	}
	return CLS_MIXED;
}

/* Cluster ids of a lexicon entry: clus in the low 32 bits, clus2 above. */
static uint64_t lex_ids(const ner_lexent *e)
{
	return e->clus | (uint64_t)e->clus2 << 32;
}

/* The hashes of s[0, len) and the rows of its templates in a table of
 * 2^bits rows into h; word is ner_hash_word(s, len).  The affix and
 * long-shape hashes make rows only, so they are not kept. */
static void word_hashes(const char *s, size_t len, uint64_t word,
			uint32_t bits, ner_wordh *h)
{
	char low[NER_MAXWORD], shp[NER_MAXWORD];
	memset(h, 0, sizeof *h); /* mserial 0: no lookups yet */
	h->word = word;
	size_t ln = ner_lower(s, len, low);
	h->low = ner_hash_word(low, ln);
	/* the long shape (at most two of a run), then the short one (one
	 * of a run): the long one's runs, one each, unless it was cut */
	char shl[NER_MAXWORD];
	size_t sl = ner_shape(s, len, shl, 0), sn = 0;
	uint64_t shapel = ner_hash_word(shl, sl);
	if (len <= NER_MAXWORD) {
		for (size_t k = 0; k < sl; k++)
			if (!sn || shp[sn - 1] != shl[k])
				shp[sn++] = shl[k];
	} else {
		sn = ner_shape(s, len, shp, 1);
	}
	h->shape = ner_hash_word(shp, sn);
	h->cls = cap_class(s, len);
	h->hyphen = len > 2 && memchr(s + 1, '-', len - 2) != NULL;
	h->naff = (uint8_t)(len < 4 ? len : 4);
	uint32_t *r = h->row;
	r[0] = ner_row(bits, T_W, h->word);
	r[1] = ner_row(bits, T_LOW, h->low);
	r[2] = ner_row(bits, T_SHAPE, h->shape);
	r[3] = ner_row(bits, T_SHAPEL, shapel);
	for (size_t a = 1; a <= 4 && a <= len; a++) {
		r[2 + 2 * a] = ner_row(bits, T_PRE + 100 * (uint32_t)a,
				       ner_hash_word(s, a));
		r[3 + 2 * a] = ner_row(bits, T_SUF + 100 * (uint32_t)a,
				       ner_hash_word(low + ln - (a < ln ? a : ln),
						     a < ln ? a : ln));
	}
	if (len > 5)
		r[12] = ner_row(bits, T_SUF5, ner_hash_word(low + ln - 5, 5));
	r[WR_LOWM1] = ner_row(bits, T_LOWM1, h->low);
	r[WR_LOWP1] = ner_row(bits, T_LOWP1, h->low);
	r[WR_LOWM2] = ner_row(bits, T_LOWM2, h->low);
	r[WR_LOWP2] = ner_row(bits, T_LOWP2, h->low);
	r[WR_SHAPEM1] = ner_row(bits, T_SHAPEM1, h->shape);
	r[WR_SHAPEP1] = ner_row(bits, T_SHAPEP1, h->shape);
	r[WR_LOW_CAPS0] = ner_row(bits, T_LOW_CAPS, h->low * 3);
	r[WR_PREV_LOW_O] = ner_row(bits, T_PREV_LOW, h->low * 32 + 1);
	r[WR_PREV_SHAPE_O] = ner_row(bits, T_PREV_SHAPE, h->shape * 32 + 1);
	h->rkey = bits + 1;
	if (ln && low[0] >= 'a' && low[0] <= 'z') {
		low[0] = (char)(low[0] - 32);
		h->title = ner_hash_word(low, ln);
	}
}

/* Words remembered per work area (by the hash of the bytes; words
 * under NER_MEMO_W bytes): a feed repeats its words, and a dozen hashes
 * per token were a tenth of the tagger's time.  An entry holds the rows
 * for the table size they were made for (ner_wordh.rkey; another size
 * makes the entry again), and the word's lexicon and gazetteer lookups
 * and word sum for a loaded model (word_lookups, word_sum; and the sums
 * of the rows it gives its neighbours).  32,768 entries of 576 bytes
 * (18.9 MB a thread, its pages touched as entries are made) in sets of
 * NER_MEMO_WAYS, the least recently used
 * one replaced; a set's keys and use times fill one cache line, so a
 * lookup reads one entry; sets and entries start on 64-byte lines (the
 * memo is aligned in its allocation), so a set is one line to fetch
 * (48 bytes unaligned, half of them were two) and an entry nine (was up
 * to ten).  The key is a quick hash of the bytes
 * (ner_memo_key), not the word's XXH3, which only a new entry needs.
 * On the first 2,000 Reuters stories direct-mapped entries missed one
 * token in 7.2 (a made entry costs about 2,800 instructions), four
 * ways one in 10.6, where only first uses would miss one in 11.7.  On
 * the whole Reuters file (3.0 M tokens, ~80k distinct words) 16,384
 * entries were made 221.6k times, 32,768 145.0k times (ner_doc_hashes
 * 1,379 -> 1,161 M instructions; r2k 28.7k -> 25.2k entries made); a
 * simulation gave 65,536 entries ~90k, the least recently used of only
 * the entries used once (a count a way) 9% fewer than plain LRU. */
#define NER_MEMO_W 24
typedef struct ner_wmemo_ent {
	_Alignas(64) uint8_t n; /* 0 = empty */
	char k[NER_MEMO_W];
	ner_wordh h;
	int32_t nb[NB_N][16]; /* word_sum's, not copied to the token */
} ner_wmemo_ent;
typedef struct ner_wmemo_set {
	_Alignas(64) uint64_t key[NER_MEMO_WAYS]; /* each way's ner_memo_key */
	uint32_t used[NER_MEMO_WAYS]; /* the clock at its last use */
} ner_wmemo_set;
struct ner_wmemo {
	ner_wmemo_set set[NER_MEMO_SETS];
	ner_wmemo_ent e[NER_MEMO_SETS][NER_MEMO_WAYS];
	uint32_t clock; /* counts lookups (wraps: then replaces badly) */
};
_Static_assert(sizeof (ner_wmemo_set) == 64 && sizeof (ner_wmemo_ent) % 64 == 0,
	       "memo sets and entries fill whole cache lines");

/* w's memo, made (zeroed, at the first 64-byte boundary of its
 * allocation, w->memo_mem) on first use; NULL without memory. */
static struct ner_wmemo *memo_make(ner_work *w)
{
	void *p = calloc(1, sizeof *w->memo + 63);
	if (!p)
		return NULL;
	w->memo_mem = p;
	w->memo = (struct ner_wmemo *)(void *)(((uintptr_t)p + 63) &
						~(uintptr_t)63);
	return w->memo;
}

/* ner_memo_way, inlined in token_hashes. */
static inline __attribute__((always_inline)) uint32_t
memo_way(struct ner_wmemo *mo, const char *s, size_t len, uint64_t key,
	 struct ner_wmemo_ent **e)
{
	size_t si = (size_t)key & (NER_MEMO_SETS - 1);
	ner_wmemo_set *set = &mo->set[si];
	ner_wmemo_ent *ways = mo->e[si];
	uint32_t way = 0, old = 0;
	for (; way < NER_MEMO_WAYS; way++)
		if (set->key[way] == key && ways[way].n == len &&
		    bytes_same(ways[way].k, s, len))
			break;
	if (way == NER_MEMO_WAYS) /* a miss: the least recently used */
		for (uint32_t k = 1; k < NER_MEMO_WAYS; k++)
			if (set->used[k] < set->used[old])
				old = k;
	uint32_t at = way < NER_MEMO_WAYS ? way : old;
	set->used[at] = ++mo->clock;
	*e = &ways[at];
	return way < NER_MEMO_WAYS ? way : NER_MEMO_WAYS + at;
}

uint32_t ner_memo_way(struct ner_wmemo *mo, const char *s, size_t len,
		      uint64_t key, struct ner_wmemo_ent **e)
{
	return memo_way(mo, s, len, key, e);
}

/* The clusters of a token of len bytes from its hashes. */
static uint64_t clusters_of(const ner_model *m, size_t len, const ner_wordh *h)
{
	const ner_lexent *e = ner_lex_find(m, h->word);
	if (e)
		return lex_ids(e);
	if (len == 0 || len > NER_MAXWORD)
		return 0;
	/* ALL-CAPS headlines: try Title case, then lower case */
	if (h->title && (e = ner_lex_find(m, h->title)))
		return lex_ids(e);
	e = ner_lex_find(m, h->low);
	return e ? lex_ids(e) : 0;
}

/* h's lookups in m's lexicon and gazetteer (a word of len bytes),
 * unless h has them for m: a loaded model has a serial number, so an
 * entry made for another model (or for one without, serial 0) is
 * looked up again. */
static void word_lookups(const ner_model *m, size_t len, ner_wordh *h)
{
	if (m->serial && h->mserial == m->serial)
		return;
	h->clus = clusters_of(m, len, h);
	h->gaz = ner_gaz_find(m, h->low);
	h->mserial = m->serial;
}

size_t ner_word_rows(const ner_model *m, const uint32_t *rt,
		     const char *s, size_t len, const ner_wordh *h,
		     uint32_t *r)
{
	uint32_t bits = m->row_bits, c = h->cls;
	size_t k = 0;
	r[k++] = RROW(BIAS, 0);
	for (size_t a = 0; a < 4 + 2 * (size_t)h->naff; a++)
		r[k++] = h->row[a]; /* form, lower case, shapes, affixes */
	uint64_t cl = h->clus;
	for (uint32_t g = 0; g < 3; g++) {
		uint32_t id = (cl >> (10 * g)) & 1023;
		r[k++] = rt_row(rt, bits, RT_CLUS0 + NCL * g, NCL,
				T_CLUS + 100 * g, id);
		if (g == 0)
			r[k++] = RROW(CLUS_CLS, (uint64_t)id * 8 + c);
	}
	r[k++] = RROW(CLUSR, cl >> 32);
	if (h->hyphen)
		k += ner_hyphen_rows(m, s, len, c, r + k);
	if (len > 5)
		r[k++] = h->row[12];
	return k;
}

size_t ner_nb_rows(const ner_model *m, const uint32_t *rt,
		   const ner_wordh *h, int g, uint32_t *r)
{
	uint32_t bits = m->row_bits;
	uint64_t cl = h ? h->clus : 0;
	/* cluster id of granularity c (10 bits each), or the end's */
	uint32_t end = g == NB_M1 || g == NB_M2 ? 1024 : 1025;
#define ID(c) (h ? (uint32_t)(cl >> (10 * (c))) & 1023 : end)
#define CL(id, c) rt_row(rt, bits, RT_##id##_0 + NCL * (c), NCL, \
			 RTT_##id##_0 + 100 * (c), ID(c))
	/* the word's lower case (or the end's value e), its shape, three
	 * clusters and the right-context cluster; or lower case and two
	 * clusters */
#define NB6(d, e)                                                        \
	r[0] = h ? h->row[WR_LOW##d] : RROW(LOW##d, e);                  \
	r[1] = h ? h->row[WR_SHAPE##d] : RROW(SHAPE##d, e);              \
	r[2] = CL(CLUS##d, 0);                                           \
	r[3] = CL(CLUS##d, 1);                                           \
	r[4] = CL(CLUS##d, 2);                                           \
	r[5] = RROW(CLUSR##d, h ? cl >> 32 : end);                       \
	return 6
#define NB3(d, e)                                                        \
	r[0] = h ? h->row[WR_LOW##d] : RROW(LOW##d, e);                  \
	r[1] = CL(CLUS##d, 0);                                           \
	r[2] = CL(CLUS##d, 1);                                           \
	return 3
	switch (g) {
	case NB_M1: NB6(M1, 11);
	case NB_P1: NB6(P1, 13);
	case NB_M2: NB3(M2, 17);
	default: NB3(P2, 19);
	}
#undef NB3
#undef NB6
#undef CL
#undef ID
}

/* h->wsum and h->osum for m: the integer sums of the stage-1 weights
 * of the word rows and of the rows after a tag O, and nb[g] those of
 * the rows it gives its neighbours (ner_nb_rows; for a loaded model of
 * one int16 table only, whose serial number keys them, as for
 * word_lookups; the caller checks h->sserial). */
static void word_sum(const ner_work *w, const ner_model *m, const char *s,
		     size_t len, ner_wordh *h, int32_t (*nb)[16])
{
	const uint32_t *rt = rowtab_of(w, m->row_bits);
	uint32_t r[NER_WROWS], st = m->ntags - 1;
	size_t n = ner_word_rows(m, rt, s, len, h, r);
	ner_sum_rows(m->w, st, r, n, NULL, h->wsum);
	n = ner_dyn_prev_of(m, rt, h, 0, r);
	ner_sum_rows(m->w, st, r, n, NULL, h->osum);
	for (int g = 0; g < NB_N; g++) {
		n = ner_nb_rows(m, rt, h, g, r);
		ner_sum_rows(m->w, st, r, n, NULL, nb[g]);
	}
	h->sserial = m->serial;
}

/* *d = *x with AVX2, 32 bytes a move (the last one overlapping), not
 * the string copy GCC makes of a struct this size (rep movsq: ~35
 * instructions and a slow start per token); doc_sums_avx2 inlines it,
 * the other copy of doc_sums_in copies the struct. */
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
_Static_assert(sizeof (ner_wordh) >= 32, "wordh_copy moves 32 bytes");
__attribute__((target("avx2"))) static inline void
wordh_copy_avx2(ner_wordh *d, const ner_wordh *x)
{
	enum { N = sizeof *d, K = (N + 31) / 32 };
	char *dp = (char *)d;
	const char *xp = (const char *)x;
	__m256i v[K];
#pragma GCC unroll 16
	for (size_t k = 0; k < K; k++)
		v[k] = _mm256_loadu_si256((const __m256i *)(const void *)(
			xp + (k + 1 < K ? 32 * k : N - 32)));
#pragma GCC unroll 16
	for (size_t k = 0; k < K; k++)
		_mm256_storeu_si256((__m256i *)(void *)(
			dp + (k + 1 < K ? 32 * k : N - 32)), v[k]);
}
#define WORDH_COPY(avx, d, x) \
	do { if (avx) wordh_copy_avx2(d, x); else *(d) = *(x); } while (0)
#else
#define WORDH_COPY(avx, d, x) (*(d) = *(x))
#endif

/* word_hashes, word_lookups and word_sum (when w->sserial says the rows
 * are split) through w's memo (made on first use; without it, or for a
 * long word, computed, its neighbour sums into own).  The word's
 * neighbour sums (valid until the memo's next use; split rows only).
 * Always inline: doc_sums_avx2's copy (avx, a constant) copies the
 * entry's hashes with AVX2 (wordh_copy_avx2) and makes no call. */
static inline __attribute__((always_inline))
const int32_t (*token_hashes(ner_work *w, const ner_model *m,
				    const char *s, size_t len, ner_wordh *h,
				    int32_t (*own)[16], const int avx))[16]
{
	uint32_t bits = m->row_bits;
	if (!len || len >= NER_MEMO_W ||
	    (!w->memo && !memo_make(w))) {
		word_hashes(s, len, ner_hash_word(s, len), bits, h);
		word_lookups(m, len, h);
		if (w->sserial)
			word_sum(w, m, s, len, h, own);
		return (const int32_t (*)[16])own;
	}
	uint64_t key = ner_memo_key(s, len);
	ner_wmemo_ent *e = NULL;
	uint32_t way = memo_way(w->memo, s, len, key, &e);
	if (way >= NER_MEMO_WAYS || e->h.rkey != bits + 1) {
		/* not there (e is the set's least recently used), or made
		 * for another table size */
		word_hashes(s, len, ner_hash_word(s, len), bits, &e->h);
		e->n = (uint8_t)len;
		memcpy(e->k, s, len);
		w->memo->set[(size_t)key & (NER_MEMO_SETS - 1)]
			.key[way % NER_MEMO_WAYS] = key;
	}
	word_lookups(m, len, &e->h);
	if (w->sserial && e->h.sserial != w->sserial)
		word_sum(w, m, s, len, &e->h, e->nb);
	WORDH_COPY(avx, h, &e->h);
	return (const int32_t (*)[16])e->nb;
}

/* 16 integer sums as one value (GCC vectors: one AVX2 pair of adds, or
 * four SSE2 ones; unaligned: a memo entry's sums are not) */
typedef int32_t v16 __attribute__((vector_size(64), aligned(4)));

/* d = x + y (y NULL: d = x); always inline, so that each copy of
 * doc_sums_in adds with its own instructions */
static inline __attribute__((always_inline)) void
add16(int32_t *d, const int32_t *x, const int32_t *y)
{
	v16 a, b;
	memcpy(&a, x, sizeof a);
	if (y) {
		memcpy(&b, y, sizeof b);
		a += b;
	}
	memcpy(d, &a, sizeof a);
}

/* ner_doc_hashes with split rows: each token's sum w->nsum[i] is its
 * word sum and the sums of the rows its neighbours give it (or the
 * sentence ends' rows: bs), added as each word comes: a memo entry may
 * not last until its neighbours come.  Compiled twice (doc_sums). */
static inline __attribute__((always_inline)) void
doc_sums_in(ner_work *w, const ner_model *m, const ner_tok *toks, size_t n,
	    const int32_t (*bs)[16], int32_t (*own)[16], const int avx)
{
	int32_t (*ns)[16] = w->nsum;
	add16(ns[0], bs[NB_M2], bs[NB_M1]); /* none two before the first two */
	if (n > 1)
		add16(ns[1], bs[NB_M2], NULL);
	for (size_t i = 0; i < n; i++) {
		const int32_t (*nb)[16] = token_hashes(w, m, toks[i].s,
						       toks[i].len, &w->wh[i],
						       own, avx);
		/* i + 1 follows i in its sentence; i follows i - 1 */
		int next = i + 1 < n && !toks[i + 1].sent_start;
		int prev = i > 0 && !toks[i].sent_start;
		if (i + 2 < n) /* the first sum token i + 2 gets */
			add16(ns[i + 2], next && !toks[i + 2].sent_start
						 ? nb[NB_M2] : bs[NB_M2], NULL);
		if (i + 1 < n)
			add16(ns[i + 1], ns[i + 1],
			      next ? nb[NB_M1] : bs[NB_M1]);
		add16(ns[i], ns[i], w->wh[i].wsum);
		if (i > 0)
			add16(ns[i - 1], ns[i - 1],
			      prev ? nb[NB_P1] : bs[NB_P1]);
		if (i > 1)
			add16(ns[i - 2], ns[i - 2],
			      prev && !toks[i - 1].sent_start ? nb[NB_P2]
							      : bs[NB_P2]);
	}
	add16(ns[n - 1], ns[n - 1], bs[NB_P1]); /* none after the last two */
	add16(ns[n - 1], ns[n - 1], bs[NB_P2]);
	if (n > 1)
		add16(ns[n - 2], ns[n - 2], bs[NB_P2]);
}

#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("avx2"))) static void
doc_sums_avx2(ner_work *w, const ner_model *m, const ner_tok *toks,
	      size_t n, const int32_t (*bs)[16], int32_t (*own)[16])
{
	doc_sums_in(w, m, toks, n, bs, own, 1);
}
#endif

static void doc_sums(ner_work *w, const ner_model *m, const ner_tok *toks,
		     size_t n, const int32_t (*bs)[16], int32_t (*own)[16])
{
#if defined(__x86_64__) && defined(__GNUC__)
	if (!ner_no_avx2 && __builtin_cpu_supports("avx2")) {
		doc_sums_avx2(w, m, toks, n, bs, own);
		return;
	}
#endif
	doc_sums_in(w, m, toks, n, bs, own, 0);
}

void ner_doc_hashes(ner_work *w, const ner_model *m, const ner_tok *toks,
		    size_t n)
{
	int32_t own[NB_N][16] = {{0}};
	if (!w->sserial || !n) {
		for (size_t i = 0; i < n; i++)
			token_hashes(w, m, toks[i].s, toks[i].len, &w->wh[i],
				     own, 0);
		return;
	}
	const uint32_t *rt = rowtab_of(w, m->row_bits);
	int32_t bs[NB_N][16] = {{0}};
	uint32_t r[NER_NBROWS];
	for (int g = 0; g < NB_N; g++)
		ner_sum_rows(m->w, m->ntags - 1, r, ner_nb_rows(m, rt, NULL, g, r),
			     NULL, bs[g]);
	doc_sums(w, m, toks, n, (const int32_t (*)[16])bs, own);
}

static uint64_t word_clusters(const ner_model *m, const ner_tok *t)
{
	ner_wordh h;
	word_hashes(t->s, t->len, ner_hash_word(t->s, t->len), m->row_bits, &h);
	return clusters_of(m, t->len, &h);
}

/* Rows of a hyphenated word ("Ontario-based", "pro-Moscow"): its first
 * part with the capitalisation class c, the last part, and the first
 * part's gazetteer lists and cluster each paired with the last part.
 * Writes at most 4 rows; the count. */
size_t ner_hyphen_rows(const ner_model *m, const char *s, size_t len,
		       uint32_t c, uint32_t *r)
{
	const char *h1 = len > 2 ? memchr(s + 1, '-', len - 2) : NULL;
	if (!h1)
		return 0;
	const char *h2 = s + len - 2;
	while (*h2 != '-')
		h2--;
	uint32_t bits = m->row_bits;
	char lp[NER_MAXWORD];
	size_t pl = ner_lower(s, (size_t)(h1 - s), lp);
	uint64_t hp = ner_hash_word(lp, pl);
	size_t sl = ner_lower(h2 + 1, (size_t)(s + len - h2 - 1), lp);
	uint64_t hs = ner_hash_word(lp, sl), hs10 = hs & 1023;
	uint64_t lists = ner_gaz_find(m, hp) & ((1u << NER_GAZ_LISTS) - 1);
	ner_tok pt = {s, (uint32_t)(h1 - s), 0};
	uint64_t clus = word_clusters(m, &pt) & 1023;
	r[0] = ner_row(bits, T_HYPRE, hp * 8 + c);
	r[1] = ner_row(bits, T_HYSUF, hs);
	r[2] = ner_row(bits, T_HYGAZ, lists * 1024 + hs10);
	r[3] = ner_row(bits, T_HYCLUS, clus * 1024 + hs10);
	return 4;
}
