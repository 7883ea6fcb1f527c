/*
 * ner_feat: feature extraction and greedy decoding for the NER tagger
 * (beam decoding is in ner_beam.c).
 *
 * Design note: a document is processed in two steps.  ner_static computes,
 * for every token, the rows of all features that do not depend on
 * predicted tags: word and lower-case forms in a +-2 window, shapes,
 * affixes, capitalisation class in context, word clusters of the token and
 * its neighbours (+-2; left- and right-context clusterings; cluster
 * bigrams), the parts of hyphenated words, gazetteer matches (longest
 * phrase per list, with its
 * B/I/L/U position), document-level capitalisation (is this word seen
 * capitalised mid-sentence, or lower-case, elsewhere in the document)
 * and the run of capitalised words the token stands in (its first and
 * last words, the words around it, its length, the token's place in it;
 * in an all-caps headline a word counts as capitalised when the document
 * writes it capitalised mid-sentence).
 * ner_tag_doc then decodes left to right adding the dynamic rows
 * (previous two tags, and the "extended prediction history": the share of
 * each type among the tags this document already gave the same word):
 * with the model's beam width (ner_beam.c), or greedily in ner_decode,
 * which picks the best tag allowed after the previous one.  Rows of the
 * next token are prefetched while the current one is scored (reading
 * the weights is ner_weights.c).  A row is a hash of (template, value);
 * the rows of a word's own bytes (and, for a loaded model, its
 * clusters and gazetteer lists) are remembered per word (the memo),
 * and those of small values (classes, cluster ids, gazetteer lists,
 * tags) are looked up in a table each work area makes once for its
 * table size (rowtab), so most rows are not hashed per token.
 *
 * With a two-stage model, ner_tag_doc then calls ner_aggregate, which
 * appends to each token's static rows the stage-2 rows built from the
 * stage-1 tags (the token's own tag with its capitalisation class, the
 * tag bigrams and trigram around it, the share of each type the first
 * stage gave the same lower-case word elsewhere in the document, the
 * majority type with the token's own tag, and the type of the word's
 * first entity mention), clears the prediction history and decodes again
 * with the stage-2 table.  The static rows are hashed once for both.
 */
#include "entities/ner.h"

#include <stdlib.h>
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
static const struct {
	uint32_t tmpl, off, n;
} rt_spec[] = {
#define X(id, tmpl, n) {tmpl, RT_##id, n},
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
static const uint32_t *rowtab(ner_work *w, uint32_t bits)
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

/* The rows made by ner_static for bits, or NULL (then rows are hashed). */
static const uint32_t *rowtab_of(const ner_work *w, uint32_t bits)
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

uint32_t ner_rowtab_check(ner_work *w, uint32_t bits)
{
	const uint32_t *rt = rowtab(w, bits);
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

void ner_work_free(ner_work *w)
{
	free(w->rows);
	free(w->nrows);
	free(w->hlow);
	free(w->hshape);
	free(w->slot);
	free(w->cls);
	free(w->gazpos);
	free(w->gazlen);
	free(w->hcnt);
	free(w->dflag);
	free(w->skey);
	free(w->sval);
	free(w->acnt);
	free(w->afirst);
	free(w->wh);
	free(w->spos);
	free(w->memo);
	free(w->rt);
	memset(w, 0, sizeof *w);
}

#define GROW(p, n)                                                       \
	do {                                                             \
		void *q_ = realloc((p), (n) * sizeof *(p));              \
		if (!q_)                                                 \
			return CHR_ENOMEM;                               \
		(p) = q_;                                                \
	} while (0)

static chr_status work_reserve(ner_work *w, size_t n)
{
	if (n > ((size_t)1 << 26))
		return CHR_ETOOBIG;
	if (n > w->cap) {
		size_t c = w->cap ? w->cap : 256;
		while (c < n)
			c *= 2;
		GROW(w->rows, c * NER_NSTATIC);
		GROW(w->nrows, c);
		GROW(w->hlow, c);
		GROW(w->hshape, c);
		GROW(w->slot, c);
		GROW(w->cls, c);
		GROW(w->gazpos, c * NER_GAZ_LISTS);
		GROW(w->gazlen, c * NER_GAZ_LISTS);
		GROW(w->hcnt, c);
		GROW(w->dflag, c);
		GROW(w->acnt, c);
		GROW(w->afirst, c);
		GROW(w->wh, c);
		GROW(w->spos, c);
		w->cap = c;
	}
	size_t sc = 16;
	while (sc < 2 * n)
		sc *= 2;
	if (sc > w->scap) {
		GROW(w->skey, sc);
		GROW(w->sval, sc);
		w->scap = sc;
	}
	return CHR_OK;
}

/* Slot of a lower-case word in the document table (created if new). */
static uint32_t doc_slot(ner_work *w, size_t tabsize, uint64_t key,
			 uint32_t *nslots)
{
	size_t mask = tabsize - 1, i = (size_t)key & mask;
	while (w->skey[i]) {
		if (w->skey[i] == key)
			return w->sval[i];
		i = (i + 1) & mask;
	}
	w->skey[i] = key;
	w->sval[i] = (*nslots)++;
	return w->sval[i];
}

/* Cluster ids of a lexicon entry: clus in the low 32 bits, clus2 above. */
static uint64_t lex_ids(const ner_lexent *e)
{
	return e->clus | (uint64_t)e->clus2 << 32;
}

/* Rows a word gives its neighbours, after its own (ner_wordh.row). */
enum {
	WR_LOWM1 = 13, WR_LOWP1, WR_LOWM2, WR_LOWP2, WR_SHAPEM1, WR_SHAPEP1,
	WR_LOW_CAPS0, WR_PREV_LOW_O, WR_PREV_SHAPE_O, WR_N
};
_Static_assert(WR_N == sizeof ((ner_wordh *)0)->row / sizeof (uint32_t),
	       "ner_wordh.row holds the neighbour rows");

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
	size_t sn = ner_shape(s, len, shp, 1);
	h->shape = ner_hash_word(shp, sn);
	sn = ner_shape(s, len, shp, 0);
	uint64_t shapel = ner_hash_word(shp, sn);
	h->cls = cap_class(s, len);
	h->hyphen = len > 2 && memchr(s + 1, '-', len - 2) != NULL;
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

/* Words remembered per work area (direct-mapped, by the hash of the
 * bytes; words under NER_MEMO_W bytes): a feed repeats its words, and
 * a dozen hashes per token were a tenth of the tagger's time.  An entry
 * holds the rows for the table size they were made for (ner_wordh.rkey;
 * another size makes the entry again), and the word's lexicon and
 * gazetteer lookups for a loaded model (word_lookups).  16,384 entries
 * of 176 bytes (2.8 MB a thread): on Reuters news 4,096 entries missed
 * one token in 4.5, these one in 7.5 (half of those are a word's first
 * use). */
#define NER_MEMO_N 16384
#define NER_MEMO_W 24
typedef struct ner_wmemo_ent {
	uint8_t n; /* 0 = empty */
	char k[NER_MEMO_W];
	ner_wordh h;
} ner_wmemo_ent;
struct ner_wmemo {
	ner_wmemo_ent e[NER_MEMO_N];
};

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

/* word_hashes and word_lookups through w's memo (made on first use;
 * without it, or for a long word, computed). */
static void token_hashes(ner_work *w, const ner_model *m, const char *s,
			 size_t len, ner_wordh *h)
{
	uint32_t bits = m->row_bits;
	uint64_t key = ner_hash_word(s, len);
	if (!len || len >= NER_MEMO_W ||
	    (!w->memo && !(w->memo = calloc(1, sizeof *w->memo)))) {
		word_hashes(s, len, key, bits, h);
		word_lookups(m, len, h);
		return;
	}
	ner_wmemo_ent *e = &w->memo->e[key & (NER_MEMO_N - 1)];
	if (e->n != len || memcmp(e->k, s, len) || e->h.rkey != bits + 1) {
		word_hashes(s, len, key, bits, &e->h);
		e->n = (uint8_t)len;
		memcpy(e->k, s, len);
	}
	word_lookups(m, len, &e->h);
	*h = e->h;
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
static size_t hyphen_rows(const ner_model *m, const char *s, size_t len,
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

/* Longest gazetteer match per list, with B/I/L/U positions; gm[k] gets
 * the lists that match at token k (bit l: w->gazpos[k][l] and
 * w->gazlen[k][l] are set; without it they hold stale bytes, so they
 * need no clearing per document). */
static void gaz_match(const ner_model *m, const ner_tok *toks, size_t n,
		      ner_work *w, uint32_t *gm)
{
	memset(gm, 0, n * sizeof *gm);
	if (!m->gaz)
		return;
	char phrase[NER_GAZ_MAXLEN * (NER_MAXWORD + 1)];
	for (size_t i = 0; i < n; i++) {
		size_t plen = 0;
		for (size_t j = i; j < n && j - i < NER_GAZ_MAXLEN; j++) {
			if (j > i && toks[j].sent_start)
				break;
			/* one word: its lists are known (w->wh) */
			uint64_t key = w->wh[i].low;
			uint32_t mask = w->wh[i].gaz;
			if (j > i) {
				if (j == i + 1)
					plen = ner_lower(toks[i].s, toks[i].len,
							 phrase);
				phrase[plen++] = ' ';
				plen += ner_lower(toks[j].s, toks[j].len,
						  phrase + plen);
				key = ner_hash_word(phrase, plen);
				mask = ner_gaz_find(m, key);
			}
			if (!mask)
				break;
			size_t len = j - i + 1;
			for (uint32_t ls = mask & ((1u << NER_GAZ_LISTS) - 1); ls;
			     ls &= ls - 1) {
				int l = __builtin_ctz(ls);
				for (size_t k = i; k <= j; k++) {
					uint8_t *gl = &w->gazlen[k * NER_GAZ_LISTS + l];
					if ((gm[k] >> l & 1) && *gl >= len)
						continue;
					*gl = (uint8_t)len;
					gm[k] |= 1u << l;
					w->gazpos[k * NER_GAZ_LISTS + l] =
						len == 1 ? 4 : k == i ? 1 : k == j ? 3 : 2;
				}
			}
			if (!(mask & NER_GAZ_PREFIX))
				break;
		}
	}
}

/* Sentence kind from its first token i: bit 1 = written in capitals (a
 * headline), bit 2 = mostly numbers (a results table row). */
static uint32_t sentence_kind(const ner_tok *toks, size_t i, size_t n,
			      const uint8_t *cls)
{
	int caps = 0, other = 0, num = 0, all = 0;
	for (size_t j = i; j < n && (j == i || !toks[j].sent_start); j++) {
		all++;
		if (cls[j] == CLS_ALLCAP)
			caps++;
		else if (cls[j] == CLS_LOWER || cls[j] == CLS_INITCAP ||
			 cls[j] == CLS_MIXED)
			other++;
		else if (cls[j] == CLS_DIGIT)
			num++;
	}
	return (uint32_t)(caps >= 2 && other <= caps / 4) |
	       (uint32_t)(all >= 3 && 3 * num >= all) << 1;
}

static int capitalised(uint8_t c)
{
	return c == CLS_INITCAP || c == CLS_ALLCAP || c == CLS_MIXED;
}

/* A lower-case word that joins the parts of a name ("Bank of England",
 * "Boatmen 's Bancshares"). */
static int connector(const ner_tok *t)
{
	static const struct {
		char s[4];
		uint32_t n;
	} words[] = {{"of", 2}, {"and", 3}, {"&", 1}, {"for", 3}, {"'s", 2},
		     {"de", 2}, {"du", 2}, {"la", 2}, {"van", 3}, {"von", 3},
		     {"der", 3}, {"al", 2}, {"y", 1}};
	if (t->len > 3) /* none is longer */
		return 0;
	for (size_t k = 0; k < sizeof words / sizeof *words; k++)
		if (t->len == words[k].n && !memcmp(t->s, words[k].s, t->len))
			return 1;
	return 0;
}

/* The run of capitalised words (capl: per token, 1 = counts as
 * capitalised), joined by connectors, that token i stands in: its
 * length, and its last and first words, the last word's cluster and the
 * words before and after it, each with i's B/I/L/U position in the run
 * (kept apart in headlines).  A name's head ("Bank", "Open", "Council")
 * and its context are often beyond the +-2 window.  *ra, *rb, *inrun
 * carry the run from token to token (tokens come in order).  Writes at
 * most 6 rows; the count. */
static size_t run_rows(const ner_model *m, const ner_tok *toks, size_t n,
		       const ner_work *w, const uint32_t *rt, const uint64_t *cl,
		       const uint8_t *capl, int headline, size_t i,
		       size_t *ra, size_t *rb, int *inrun, uint32_t *r)
{
	if (!*inrun || i > *rb) {
		size_t b = i;
		for (;;) {
			if (b + 1 < n && !toks[b + 1].sent_start &&
			    capl[b + 1])
				b++;
			else if (b + 2 < n && !toks[b + 1].sent_start &&
				 !toks[b + 2].sent_start &&
				 connector(&toks[b + 1]) && capl[b + 2])
				b += 2;
			else
				break;
		}
		*ra = i;
		*rb = b;
		*inrun = 1;
	}
	uint32_t bits = m->row_bits;
	size_t a = *ra, b = *rb, len = b - a + 1;
	uint64_t pos = (len == 1 ? 4 : i == a ? 1 : i == b ? 3 : 2) +
		       (uint64_t)headline * 4;
	r[0] = RROW(RUNLEN, (len < 7 ? len : 7) * 16 + pos);
	if (len == 1)
		return 1;
	r[1] = ner_row(bits, T_RUNLAST, w->hlow[b] * 16 + pos);
	r[2] = ner_row(bits, T_RUNFIRST, w->hlow[a] * 16 + pos);
	r[3] = ner_row(bits, T_RUNCLUS, (cl[b] & 1023) * 16 + pos);
	uint64_t before = a == 0 || toks[a].sent_start ? 11 : w->hlow[a - 1];
	uint64_t after = b + 1 == n || toks[b + 1].sent_start ? 13
							       : w->hlow[b + 1];
	r[4] = ner_row(bits, T_RUNPREV, before * 16 + pos);
	r[5] = ner_row(bits, T_RUNNEXT, after * 16 + pos);
	return 6;
}

chr_status ner_static(const ner_model *m, const ner_tok *toks, size_t n,
		      ner_work *w)
{
	chr_status st = work_reserve(w, n);
	if (st)
		return st;
	uint32_t bits = m->row_bits;
	const uint32_t *rt = rowtab(w, bits);
	if (!rt)
		return CHR_ENOMEM;
	size_t tabsize = 16;
	while (tabsize < 2 * n)
		tabsize *= 2;
	memset(w->skey, 0, tabsize * sizeof *w->skey);
	uint32_t nslots = 0;

	/* pass 1: per-token hashes, classes, slots */
	for (size_t i = 0; i < n; i++) {
		token_hashes(w, m, toks[i].s, toks[i].len, &w->wh[i]);
		w->hlow[i] = w->wh[i].low;
		w->hshape[i] = w->wh[i].shape;
		w->cls[i] = w->wh[i].cls;
		uint32_t s = doc_slot(w, tabsize, w->hlow[i], &nslots);
		w->slot[i] = s;
		if (s + 1 == nslots) {
			w->dflag[s] = 0;
			memset(w->hcnt[s], 0, sizeof w->hcnt[s]);
		}
	}
	w->nslots = nslots;
	/* document capitalisation flags; sentence all-caps flags */
	uint32_t caps_sent = 0;
	uint8_t *caps = malloc(n ? 2 * n : 1), *capl = caps + n;
	uint64_t *cl = malloc((n ? n : 1) * sizeof *cl);
	uint32_t *gmask = malloc((n ? n : 1) * sizeof *gmask);
	if (!caps || !cl || !gmask) {
		free(caps);
		free(cl);
		free(gmask);
		return CHR_ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || toks[i].sent_start)
			caps_sent = sentence_kind(toks, i, n, w->cls);
		caps[i] = (uint8_t)caps_sent;
		uint8_t *f = &w->dflag[w->slot[i]];
		if (caps_sent & 1)
			continue;
		if (w->cls[i] == CLS_LOWER)
			*f |= DF_LOWER;
		else if (w->cls[i] == CLS_INITCAP || w->cls[i] == CLS_MIXED) {
			*f |= DF_CAP_ANY;
			if (!(i == 0 || toks[i].sent_start))
				*f |= DF_CAP_MID;
		}
	}
	/* capitalised, or in a headline: seen capitalised mid-sentence
	 * elsewhere in the document */
	for (size_t i = 0; i < n; i++)
		capl[i] = (uint8_t)(caps[i] & 1 ? (w->dflag[w->slot[i]] &
						   DF_CAP_MID) != 0
					      : capitalised(w->cls[i]));
	for (size_t i = 0; i < n; i++)
		cl[i] = w->wh[i].clus;
	gaz_match(m, toks, n, w, gmask);
	/* document topic: a capitalised first word before " - " ("SOCCER -") */
	uint64_t topic = 0;
	if (n > 2 && w->cls[0] == CLS_ALLCAP && toks[0].len >= 3 &&
	    toks[1].len == 1 && toks[1].s[0] == '-')
		topic = w->hlow[0];

	size_t ra = 0, rb = 0; /* the current run of capitalised words */
	int inrun = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t *r = &w->rows[i * NER_NSTATIC];
		size_t k = 0;
		int start = i == 0 || toks[i].sent_start;
		int end = i + 1 == n || toks[i + 1].sent_start;
		int start1 = start || i == 1 || toks[i - 1].sent_start;
		int end1 = end || i + 2 == n || toks[i + 2].sent_start;
		uint64_t lm1 = start ? 11 : w->hlow[i - 1];
		uint64_t lp1 = end ? 13 : w->hlow[i + 1];
		uint64_t sm1 = start ? 11 : w->hshape[i - 1];
		uint64_t sp1 = end ? 13 : w->hshape[i + 1];
		uint32_t c = w->cls[i];
		uint32_t cm1 = start ? CLS_NONE : w->cls[i - 1];
		uint32_t cp1 = end ? CLS_NONE : w->cls[i + 1];
		const char *s = toks[i].s;
		size_t len = toks[i].len;

		r[k++] = RROW(BIAS, 0);
		const ner_wordh *wh = &w->wh[i]; /* its own rows: word_rows */
		r[k++] = wh->row[0];
		r[k++] = wh->row[1];
		/* the neighbours' rows (word_rows), or the sentence ends' */
		r[k++] = start ? RROW(LOWM1, 11) : w->wh[i - 1].row[WR_LOWM1];
		r[k++] = end ? RROW(LOWP1, 13) : w->wh[i + 1].row[WR_LOWP1];
		r[k++] = start1 ? RROW(LOWM2, 17) : w->wh[i - 2].row[WR_LOWM2];
		r[k++] = end1 ? RROW(LOWP2, 19) : w->wh[i + 2].row[WR_LOWP2];
		r[k++] = wh->row[2];
		r[k++] = wh->row[3];
		r[k++] = start ? RROW(SHAPEM1, 11) : w->wh[i - 1].row[WR_SHAPEM1];
		r[k++] = end ? RROW(SHAPEP1, 13) : w->wh[i + 1].row[WR_SHAPEP1];
		r[k++] = ner_row(bits, T_SHAPE2L, sm1 * 31 + w->hshape[i]);
		r[k++] = ner_row(bits, T_SHAPE2R, w->hshape[i] * 31 + sp1);
		for (size_t a = 1; a <= 4 && a <= len; a++) {
			r[k++] = wh->row[2 + 2 * a];
			r[k++] = wh->row[3 + 2 * a];
		}
		r[k++] = RROW(CLS_START, (uint64_t)c * 4 + (uint64_t)start * 2 + end);
		r[k++] = RROW(CLS_CAPS, (uint64_t)c * 4 + caps[i]);
		r[k++] = caps[i] ? ner_row(bits, T_LOW_CAPS, w->hlow[i] * 3 + caps[i])
				 : wh->row[WR_LOW_CAPS0];
		r[k++] = ner_row(bits, T_BIL, lm1 * 7 + w->hlow[i]);
		r[k++] = ner_row(bits, T_BIR, w->hlow[i] * 7 + lp1);
		r[k++] = ner_row(bits, T_LOWM1_CLS, lm1 * 8 + c);
		r[k++] = RROW(CLS3, cm1 * 64 + c * 8 + cp1);
		/* clusters: three granularities, token and neighbours */
		for (int g = 0; g < 3; g++) {
			uint32_t id = (cl[i] >> (10 * g)) & 1023;
			uint32_t idm = start ? 1024 : (cl[i - 1] >> (10 * g)) & 1023;
			uint32_t idp = end ? 1025 : (cl[i + 1] >> (10 * g)) & 1023;
			uint32_t gc = NCL * (uint32_t)g, gt = 100 * (uint32_t)g;
			r[k++] = rt_row(rt, bits, RT_CLUS0 + gc, NCL, T_CLUS + gt, id);
			r[k++] = rt_row(rt, bits, RT_CLUSM1_0 + gc, NCL,
					T_CLUSM1 + gt, idm);
			r[k++] = rt_row(rt, bits, RT_CLUSP1_0 + gc, NCL,
					T_CLUSP1 + gt, idp);
			if (g == 0)
				r[k++] = RROW(CLUS_CLS, (uint64_t)id * 8 + c);
		}
		/* wider window of clusters, cluster bigrams, and the
		 * right-context clusters of the token and its neighbours */
		for (int g = 0; g < 2; g++) {
			uint32_t sh = 10 * (uint32_t)g;
			uint32_t idm = start1 ? 1024 : (cl[i - 2] >> sh) & 1023;
			uint32_t idp = end1 ? 1025 : (cl[i + 2] >> sh) & 1023;
			uint32_t gc = NCL * (uint32_t)g, gt = 100 * (uint32_t)g;
			r[k++] = rt_row(rt, bits, RT_CLUSM2_0 + gc, NCL,
					T_CLUSM2 + gt, idm);
			r[k++] = rt_row(rt, bits, RT_CLUSP2_0 + gc, NCL,
					T_CLUSP2 + gt, idp);
		}
		uint64_t c2 = (cl[i] >> 10) & 1023;
		uint64_t c2m = start ? 1024 : (cl[i - 1] >> 10) & 1023;
		uint64_t c2p = end ? 1025 : (cl[i + 1] >> 10) & 1023;
		r[k++] = ner_row(bits, T_CLBIL, c2m * 2048 + c2);
		r[k++] = ner_row(bits, T_CLBIR, c2 * 2048 + c2p);
		r[k++] = RROW(CLUSR, cl[i] >> 32);
		r[k++] = RROW(CLUSRM1, start ? 1024 : cl[i - 1] >> 32);
		r[k++] = RROW(CLUSRP1, end ? 1025 : cl[i + 1] >> 32);
		if (wh->hyphen) /* hyphen_rows finds the same hyphen */
			k += hyphen_rows(m, s, len, c, r + k);
		if (len > 5)
			r[k++] = wh->row[12];
		/* sentence-initial capital: the cluster of the lower-case form */
		if (start && c == CLS_INITCAP) {
			const ner_lexent *e = ner_lex_find(m, w->hlow[i]);
			r[k++] = ner_row(bits, T_INITLOW, e ? (e->clus & 1023) + 1 : 0);
		}
		/* gazetteers (the lists matching here, in list order) */
		uint64_t gm = gmask[i];
		for (uint32_t ls = gmask[i]; ls; ls &= ls - 1) {
			int l = __builtin_ctz(ls);
			uint64_t v = (uint64_t)l * 8 +
				     w->gazpos[i * NER_GAZ_LISTS + l];
			r[k++] = RROW(GAZ, v);
			r[k++] = RROW(GAZCLS, v * 8 + c);
		}
		r[k++] = RROW(GAZM1, start ? 0 : gmask[i - 1]);
		r[k++] = RROW(GAZP1, end ? 0 : gmask[i + 1]);
		r[k++] = RROW(KIND_GAZ, gm * 64 + caps[i] * 8 + c);
		if (topic) {
			r[k++] = ner_row(bits, T_TOPIC_CLS,
					 topic * 32 + c * 4 + caps[i]);
			r[k++] = ner_row(bits, T_TOPIC_GAZ, topic * 131 + gm);
			r[k++] = ner_row(bits, T_TOPIC_CL3,
					 topic * 2048 + ((cl[i] >> 20) & 1023));
		}
		if (capl[i] || (inrun && i <= rb))
			k += run_rows(m, toks, n, w, rt, cl, capl, caps[i] & 1, i,
				      &ra, &rb, &inrun, r + k);
		/* document-level capitalisation of this word */
		uint32_t df = w->dflag[w->slot[i]];
		r[k++] = RROW(DOC, (uint64_t)df * 16 + c * 2 + start);
		if (c != CLS_LOWER)
			r[k++] = ner_row(bits, T_DOC_LOW,
					 w->hlow[i] * 8 + df);
		w->nrows[i] = (uint8_t)k;
	}
	free(caps);
	free(cl);
	free(gmask);
	return CHR_OK;
}

size_t ner_dynamic(const ner_model *m, const ner_work *w, size_t i,
		   int prev, int prev2, uint32_t *rows)
{
	return ner_dynamic_h(m, w, i, prev, prev2, w->hcnt[w->slot[i]], rows);
}

size_t ner_dyn_prev(const ner_model *m, const ner_work *w, size_t i,
		    int prev, uint32_t *rows)
{
	uint32_t bits = m->row_bits;
	const uint32_t *rt = rowtab_of(w, bits);
	uint64_t p = (uint64_t)(prev + 1);
	rows[0] = RROW(PREV, p);
	if (p == 1 && w->wh[i].rkey == bits + 1) { /* after O: the word's */
		rows[1] = w->wh[i].row[WR_PREV_LOW_O];
		rows[2] = w->wh[i].row[WR_PREV_SHAPE_O];
	} else {
		rows[1] = ner_row(bits, T_PREV_LOW, w->hlow[i] * 32 + p);
		rows[2] = ner_row(bits, T_PREV_SHAPE, w->hshape[i] * 32 + p);
	}
	rows[3] = RROW(PREV_CLS, (uint64_t)w->cls[i] * 32 + p);
	return 4;
}

uint32_t ner_dyn_prev2(const ner_model *m, const ner_work *w, int prev,
		       int prev2)
{
	uint32_t bits = m->row_bits;
	const uint32_t *rt = rowtab_of(w, bits);
	uint64_t p = (uint64_t)(prev + 1), p2 = (uint64_t)(prev2 + 1);
	return RROW(PREV2, p2 * 32 + p);
}

int ner_dyn_uses_hist(const ner_work *w, size_t i)
{
	return w->cls[i] != CLS_LOWER && w->cls[i] != CLS_PUNCT;
}

size_t ner_dyn_hist(const ner_model *m, const ner_work *w, size_t i,
		    const uint16_t *h, uint32_t *rows)
{
	if (!ner_dyn_uses_hist(w, i))
		return 0;
	uint32_t bits = m->row_bits, c = w->cls[i];
	const uint32_t *rt = rowtab_of(w, bits);
	size_t k = 0;
	uint32_t tot = 0, best = 0;
	for (int t = 0; t <= NER_NTYPES; t++) {
		tot += h[t];
		if (h[t] > h[best])
			best = (uint32_t)t;
	}
	if (!tot) {
		rows[k++] = RROW(HIST_CLS, 99);
		return k;
	}
	for (int t = 0; t <= NER_NTYPES; t++) {
		if (!h[t])
			continue;
		uint32_t q = (4 * h[t] + tot - 1) / tot; /* 1..4 */
		rows[k++] = RROW(HIST, (uint64_t)t * 8 + q);
	}
	rows[k++] = RROW(HIST_CLS, (uint64_t)best * 8 + c);
	return k;
}

size_t ner_dynamic_h(const ner_model *m, const ner_work *w, size_t i,
		     int prev, int prev2, const uint16_t *h, uint32_t *rows)
{
	/* the order of the rows is kept: float weights add in row order */
	uint32_t pr[4];
	ner_dyn_prev(m, w, i, prev, pr);
	rows[0] = pr[0];
	rows[1] = ner_dyn_prev2(m, w, prev, prev2);
	memcpy(rows + 2, pr + 1, 3 * sizeof *rows);
	return 5 + ner_dyn_hist(m, w, i, h, rows + 5);
}

void ner_aggregate(const ner_model *m, const ner_tok *toks, size_t n,
		   ner_work *w, const uint8_t *s1)
{
	uint32_t bits = m->row_bits;
	int scheme = (int)m->scheme;
	for (uint32_t s = 0; s < w->nslots; s++) {
		memset(w->acnt[s], 0, sizeof w->acnt[s]);
		w->afirst[s] = UINT32_MAX;
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t s = w->slot[i];
		int ty = ner_tag_type(scheme, s1[i]);
		if (w->acnt[s][ty] < 60000)
			w->acnt[s][ty]++;
		if (ty && w->afirst[s] == UINT32_MAX)
			w->afirst[s] = (uint32_t)i;
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t *r = &w->rows[i * NER_NSTATIC + w->nrows[i]];
		size_t k = 0;
		int start = i == 0 || toks[i].sent_start;
		int end = i + 1 == n || toks[i + 1].sent_start;
		uint64_t c = w->cls[i];
		uint64_t t0 = (uint64_t)s1[i] + 1;
		uint64_t tm = start ? 0 : (uint64_t)s1[i - 1] + 1;
		uint64_t tp = end ? 0 : (uint64_t)s1[i + 1] + 1;
		r[k++] = ner_row(bits, T_A_SELF, t0 * 8 + c);
		r[k++] = ner_row(bits, T_A_M1, tm * 32 + t0);
		r[k++] = ner_row(bits, T_A_P1, t0 * 32 + tp);
		r[k++] = ner_row(bits, T_A_TRI, (tm * 32 + t0) * 32 + tp);
		if (c != CLS_LOWER && c != CLS_PUNCT) {
			/* the other occurrences of this word in the document */
			uint32_t o[NER_NTYPES + 1], tot = 0, best = 0;
			int own = ner_tag_type(scheme, s1[i]);
			for (int t = 0; t <= NER_NTYPES; t++) {
				o[t] = w->acnt[w->slot[i]][t] - (t == own);
				tot += o[t];
				if (o[t] > o[best])
					best = (uint32_t)t;
			}
			if (tot) {
				for (int t = 0; t <= NER_NTYPES; t++) {
					if (!o[t])
						continue;
					uint32_t q = (4 * o[t] + tot - 1) / tot;
					r[k++] = ner_row(bits, T_A_DOC,
							 (uint64_t)t * 8 + q);
				}
				r[k++] = ner_row(bits, T_A_DOCMAJ,
						 (uint64_t)best * 32 + t0);
			} else {
				r[k++] = ner_row(bits, T_A_DOCMAJ, 999);
			}
			uint32_t f = w->afirst[w->slot[i]];
			if (f != UINT32_MAX && f != i)
				r[k++] = ner_row(bits, T_A_FIRST,
						 (uint64_t)ner_tag_type(scheme, s1[f]) * 4 +
							 (f < i) * 2 + (own != 0));
		}
		w->nrows[i] = (uint8_t)(w->nrows[i] + k);
	}
}

void ner_hist_reset(ner_work *w)
{
	memset(w->hcnt, 0, w->nslots * sizeof w->hcnt[0]);
}

void ner_hist_add(const ner_model *m, ner_work *w, size_t i, int t)
{
	uint16_t *h = w->hcnt[w->slot[i]];
	int ty = ner_tag_type((int)m->scheme, t);
	if (h[ty] < 60000)
		h[ty]++;
}

chr_status ner_tag_doc(const ner_model *m, const ner_tok *toks, size_t n,
		       ner_work *w, uint8_t *tags)
{
	chr_status st = ner_static(m, toks, n, w);
	if (st)
		return st;
	int beam = (int)m->beam;
	ner_decode_beam(m, 1, toks, n, w, tags, beam);
	if (m->w2 || m->wf2) {
		ner_aggregate(m, toks, n, w, tags);
		ner_hist_reset(w);
		ner_decode_beam(m, 2, toks, n, w, tags, beam);
	}
	return CHR_OK;
}

void ner_decode(const ner_model *m, int stage, const ner_tok *toks,
		size_t n, ner_work *w, uint8_t *tags)
{
	int scheme = (int)m->scheme;
	int prev = -1, prev2 = -1;
	uint32_t dyn[NER_NDYN];
	for (size_t i = 0; i < 2 && i < n; i++)
		ner_prefetch_token(m, stage, w, i);
	for (size_t i = 0; i < n; i++) {
		if (i + 2 < n)
			ner_prefetch_token(m, stage, w, i + 2);
		if (toks[i].sent_start)
			prev = prev2 = -1;
		float score[NER_MAXTAGS] = {0};
		ner_score_stage(m, stage, &w->rows[i * NER_NSTATIC], w->nrows[i],
				score);
		size_t nd = ner_dynamic(m, w, i, prev, prev2, dyn);
		ner_score_stage(m, stage, dyn, nd, score);
		int last = i + 1 == n || toks[i + 1].sent_start;
		int best = -1;
		for (int t = 0; t < (int)m->ntags; t++) {
			if (!ner_tag_valid(scheme, prev, t))
				continue;
			if (last && !ner_tag_final_ok(scheme, t))
				continue;
			if (best < 0 || score[t] > score[best])
				best = t;
		}
		if (best < 0)
			best = 0;
		tags[i] = (uint8_t)best;
		ner_hist_add(m, w, i, best);
		prev2 = prev;
		prev = best;
	}
}
