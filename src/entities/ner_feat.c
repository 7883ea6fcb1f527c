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
 * phrase per list, with its B/I/L/U position; the keys of two-word
 * phrases are made a few tokens ahead and their slots prefetched, as a
 * lookup in the large table is a cache miss), document-level
 * capitalisation (is this word seen
 * capitalised mid-sentence, or lower-case, elsewhere in the document)
 * and the run of capitalised words the token stands in (its first and
 * last words, the words around it, its length, the token's place in it;
 * in an all-caps headline a word counts as capitalised when the document
 * writes it capitalised mid-sentence).
 * ner_tag_doc then decodes left to right adding the dynamic rows
 * (previous two tags, and the "extended prediction history": the share of
 * each type among the tags this document already gave the same word;
 * ner_dyn.c): with the model's beam width (ner_beam.c), or greedily in
 * ner_decode, which picks the best tag allowed after the previous one.
 * Rows of the next token are prefetched while the current one is scored
 * (reading the weights is ner_weights.c).  A row is a hash of (template,
 * value) (the templates are in ner_feat.h); the rows of a word's own
 * bytes (and, for a loaded model, its clusters and gazetteer lists) are
 * remembered per word (the memo), and those of small values (classes,
 * cluster ids, gazetteer lists, tags) are looked up in a table each work
 * area makes once for its table size (both in ner_word.c), so most rows
 * are not hashed per token.  For a loaded model of one int16 table the
 * rows are split (token_rows): the word's own rows and the rows its
 * neighbours give it are left out, since the token's sum (w->nsum,
 * ner_doc_hashes) has their weights' sum, and the rows of small values
 * come first (they are not prefetched); integer sums do not depend on
 * the order, float weights (training, hand-made models) get every row
 * in template order.  This file has the document pass: the work
 * area, the document's word slots, gazetteer phrase matches, sentence
 * kinds, runs of capitalised words, and the rows of each token.  The
 * work area keeps everything a document needs, grown as documents
 * grow: the slot table's entries carry the document's number (gen),
 * so a document finds the entries of earlier ones free without the
 * table being cleared, and the per-token arrays of the pass (sentence
 * kinds, clusters, gazetteer lists) are not allocated per document
 * (2,000 Reuters stories: ner_static 388.6 -> 383.8 M instructions).
 *
 * With a two-stage model, ner_tag_doc then calls ner_aggregate (ner_dyn.c),
 * which
 * appends to each token's static rows the stage-2 rows built from the
 * stage-1 tags (the token's own tag with its capitalisation class, the
 * tag bigrams and trigram around it, the share of each type the first
 * stage gave the same lower-case word elsewhere in the document, the
 * majority type with the token's own tag, and the type of the word's
 * first entity mention), clears the prediction history and decodes again
 * with the stage-2 table.  The static rows are hashed once for both.
 */
#include "entities/ner_feat.h"

#include <stdlib.h>
#include <string.h>

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
	free(w->stab);
	free(w->caps);
	free(w->cl);
	free(w->gmask);
	free(w->acnt);
	free(w->afirst);
	free(w->wh);
	free(w->spos);
	free(w->nsmall);
	free(w->nsum);
	free(w->memo_mem);
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
		GROW(w->nsmall, c);
		GROW(w->nsum, c);
		GROW(w->caps, 2 * c);
		GROW(w->cl, c);
		GROW(w->gmask, c);
		w->cap = c;
	}
	size_t sc = 16;
	while (sc < 2 * n)
		sc *= 2;
	if (sc > w->scap) { /* a new table: every entry's gen 0, not in use */
		free(w->stab);
		w->scap = 0;
		if (!(w->stab = calloc(sc, sizeof *w->stab)))
			return CHR_ENOMEM;
		w->scap = sc;
	}
	if (++w->sgen == 0) { /* wrapped: clear the table once */
		memset(w->stab, 0, w->scap * sizeof *w->stab);
		w->sgen = 1;
	}
	return CHR_OK;
}

/* Slot of a lower-case word in the document table (created if new; an
 * entry of an earlier document, another gen, is free). */
static uint32_t doc_slot(ner_work *w, size_t tabsize, uint64_t key,
			 uint32_t *nslots)
{
	size_t mask = tabsize - 1, i = (size_t)key & mask;
	uint32_t gen = w->sgen;
	struct ner_slotent *e;
	while ((e = &w->stab[i])->gen == gen) {
		if (e->key == key)
			return e->val;
		i = (i + 1) & mask;
	}
	e->key = key;
	e->gen = gen;
	e->val = (*nslots)++;
	return e->val;
}


/* The lower-cased phrase of tokens i and i + 1 (a space between) into
 * out; its length. */
static size_t phrase2(const ner_tok *toks, size_t i, char *out)
{
	size_t plen = ner_lower(toks[i].s, toks[i].len, out);
	out[plen++] = ' ';
	return plen + ner_lower(toks[i + 1].s, toks[i + 1].len, out + plen);
}

/* The key of the two-word phrase at token i when gaz_match will look it
 * up (the word's lists say it starts a longer phrase, and the next token
 * is in its sentence), its slot prefetched; else 0 (not used). */
#define GAZ_AHEAD 4
#define PHRASE2_KEY(i)                                                   \
	((w->wh[i].gaz & NER_GAZ_PREFIX) && (i) + 1 < n &&               \
			 !toks[(i) + 1].sent_start                       \
		 ? phrase2_key(m, toks, i)                               \
		 : 0)
static uint64_t phrase2_key(const ner_model *m, const ner_tok *toks,
			    size_t i)
{
	char phrase[2 * (NER_MAXWORD + 1)];
	uint64_t key = ner_hash_word(phrase, phrase2(toks, i, phrase));
	__builtin_prefetch(ner_gaz_slot(m, key));
	return key;
}

/* Longest gazetteer match per list, with B/I/L/U positions; gm[k] (0s
 * on entry) gets the lists that match at token k (bit l:
 * w->gazpos[k][l] and w->gazlen[k][l] are set; without it they hold
 * stale bytes, so they need no clearing per document). */
static void gaz_match(const ner_model *m, const ner_tok *toks, size_t n,
		      ner_work *w, uint32_t *gm)
{
	if (!m->gaz)
		return;
	char phrase[NER_GAZ_MAXLEN * (NER_MAXWORD + 1)];
	/* the keys of the two-word phrases looked up next (ring k2), made
	 * GAZ_AHEAD tokens early with their slots prefetched: the table is
	 * large, and a lookup a cache miss */
	uint64_t k2[GAZ_AHEAD];
	for (size_t i = 0; i < GAZ_AHEAD && i < n; i++)
		k2[i] = PHRASE2_KEY(i);
	for (size_t i = 0; i < n; i++) {
		size_t plen = 0;
		uint64_t key2 = k2[i % GAZ_AHEAD];
		if (i + GAZ_AHEAD < n)
			k2[i % GAZ_AHEAD] = PHRASE2_KEY(i + GAZ_AHEAD);
		for (size_t j = i; j < n && j - i < NER_GAZ_MAXLEN; j++) {
			if (j > i && toks[j].sent_start)
				break;
			/* one word: its lists are known (w->wh) */
			uint64_t key = w->wh[i].low;
			uint32_t mask = w->wh[i].gaz;
			if (j == i + 1) {
				key = key2;
				mask = ner_gaz_find(m, key);
			} else if (j > i) {
				if (j == i + 2)
					plen = phrase2(toks, i, phrase);
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

/* What a document's tokens' rows are made from (ner_static). */
typedef struct doc_pass {
	const ner_model *m;
	const ner_tok *toks;
	size_t n;
	ner_work *w;
	const uint32_t *rt;
	const uint8_t *caps, *capl;
	const uint64_t *cl;
	const uint32_t *gmask;
	uint64_t topic;
	size_t ra, rb; /* the current run of capitalised words */
	int inrun;
} doc_pass;

/* The static rows of token i into w->rows.  Not split: all of them in
 * template order (float weights add in row order).  Split (a constant,
 * so the compiler makes one copy of each): not the word rows (WROW:
 * the ones ner_word_rows gives, whose weights the memo sums), and the
 * rows of small values (SROW) before the hashed ones (HROW), each part
 * in template order (the integer sums do not depend on the order). */
static inline __attribute__((always_inline)) void
token_rows(doc_pass *d, size_t i, const int split)
{
	const ner_model *m = d->m;
	const ner_tok *toks = d->toks;
	ner_work *w = d->w;
	const uint32_t *rt = d->rt, *gmask = d->gmask;
	const uint8_t *caps = d->caps;
	const uint64_t *cl = d->cl;
	size_t n = d->n;
	uint32_t bits = m->row_bits;
	uint32_t *r = &w->rows[i * NER_NSTATIC];
	const ner_wordh *wh = &w->wh[i]; /* its own rows: word_rows */
	size_t k = 0, ks = 0;
	const char *s = toks[i].s;
	size_t len = toks[i].len;
	if (split) { /* the hashed rows start after the small ones */
		k = 4;
		for (uint32_t ls = gmask[i]; ls; ls &= ls - 1)
			k += 2; /* a list's two rows (no popcount call) */
		w->nsmall[i] = (uint8_t)k;
	}
#define WROW(x) do { if (!split) r[k++] = (x); } while (0)
#define NROW(x) WROW(x) /* a neighbour's row: split, in w->nsum */
#define SROW(x) (r[split ? ks++ : k++] = (x))
#define HROW(x) (r[k++] = (x))
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

	WROW(RROW(BIAS, 0));
	WROW(wh->row[0]);
	WROW(wh->row[1]);
	/* the neighbours' rows (word_rows), or the sentence ends' */
	NROW(start ? RROW(LOWM1, 11) : w->wh[i - 1].row[WR_LOWM1]);
	NROW(end ? RROW(LOWP1, 13) : w->wh[i + 1].row[WR_LOWP1]);
	NROW(start1 ? RROW(LOWM2, 17) : w->wh[i - 2].row[WR_LOWM2]);
	NROW(end1 ? RROW(LOWP2, 19) : w->wh[i + 2].row[WR_LOWP2]);
	WROW(wh->row[2]);
	WROW(wh->row[3]);
	NROW(start ? RROW(SHAPEM1, 11) : w->wh[i - 1].row[WR_SHAPEM1]);
	NROW(end ? RROW(SHAPEP1, 13) : w->wh[i + 1].row[WR_SHAPEP1]);
	HROW(ner_row(bits, T_SHAPE2L, sm1 * 31 + w->hshape[i]));
	HROW(ner_row(bits, T_SHAPE2R, w->hshape[i] * 31 + sp1));
	for (size_t a = 1; a <= 4 && a <= len; a++) {
		WROW(wh->row[2 + 2 * a]);
		WROW(wh->row[3 + 2 * a]);
	}
	SROW(RROW(CLS_START, (uint64_t)c * 4 + (uint64_t)start * 2 + end));
	SROW(RROW(CLS_CAPS, (uint64_t)c * 4 + caps[i]));
	HROW(caps[i] ? ner_row(bits, T_LOW_CAPS, w->hlow[i] * 3 + caps[i])
		     : wh->row[WR_LOW_CAPS0]);
	HROW(ner_row(bits, T_BIL, lm1 * 7 + w->hlow[i]));
	HROW(ner_row(bits, T_BIR, w->hlow[i] * 7 + lp1));
	HROW(ner_row(bits, T_LOWM1_CLS, lm1 * 8 + c));
	SROW(RROW(CLS3, cm1 * 64 + c * 8 + cp1));
	/* clusters: three granularities, token and neighbours */
	for (int g = 0; g < 3; g++) {
		uint32_t id = (cl[i] >> (10 * g)) & 1023;
		uint32_t idm = start ? 1024 : (cl[i - 1] >> (10 * g)) & 1023;
		uint32_t idp = end ? 1025 : (cl[i + 1] >> (10 * g)) & 1023;
		uint32_t gc = NCL * (uint32_t)g, gt = 100 * (uint32_t)g;
		WROW(rt_row(rt, bits, RT_CLUS0 + gc, NCL, T_CLUS + gt, id));
		NROW(rt_row(rt, bits, RT_CLUSM1_0 + gc, NCL, T_CLUSM1 + gt,
			    idm));
		NROW(rt_row(rt, bits, RT_CLUSP1_0 + gc, NCL, T_CLUSP1 + gt,
			    idp));
		if (g == 0)
			WROW(RROW(CLUS_CLS, (uint64_t)id * 8 + c));
	}
	/* wider window of clusters, cluster bigrams, and the
	 * right-context clusters of the token and its neighbours */
	for (int g = 0; g < 2; g++) {
		uint32_t sh = 10 * (uint32_t)g;
		uint32_t idm = start1 ? 1024 : (cl[i - 2] >> sh) & 1023;
		uint32_t idp = end1 ? 1025 : (cl[i + 2] >> sh) & 1023;
		uint32_t gc = NCL * (uint32_t)g, gt = 100 * (uint32_t)g;
		NROW(rt_row(rt, bits, RT_CLUSM2_0 + gc, NCL, T_CLUSM2 + gt,
			    idm));
		NROW(rt_row(rt, bits, RT_CLUSP2_0 + gc, NCL, T_CLUSP2 + gt,
			    idp));
	}
	uint64_t c2 = (cl[i] >> 10) & 1023;
	uint64_t c2m = start ? 1024 : (cl[i - 1] >> 10) & 1023;
	uint64_t c2p = end ? 1025 : (cl[i + 1] >> 10) & 1023;
	HROW(ner_row(bits, T_CLBIL, c2m * 2048 + c2));
	HROW(ner_row(bits, T_CLBIR, c2 * 2048 + c2p));
	WROW(RROW(CLUSR, cl[i] >> 32));
	NROW(RROW(CLUSRM1, start ? 1024 : cl[i - 1] >> 32));
	NROW(RROW(CLUSRP1, end ? 1025 : cl[i + 1] >> 32));
	if (wh->hyphen && !split) /* ner_hyphen_rows finds the hyphen */
		k += ner_hyphen_rows(m, s, len, c, r + k);
	if (len > 5)
		WROW(wh->row[12]);
	/* sentence-initial capital: the cluster of the lower-case form */
	if (start && c == CLS_INITCAP) {
		const ner_lexent *e = ner_lex_find(m, w->hlow[i]);
		HROW(ner_row(bits, T_INITLOW, e ? (e->clus & 1023) + 1 : 0));
	}
	/* gazetteers (the lists matching here, in list order) */
	uint64_t gm = gmask[i];
	for (uint32_t ls = gmask[i]; ls; ls &= ls - 1) {
		int l = __builtin_ctz(ls);
		uint64_t v = (uint64_t)l * 8 + w->gazpos[i * NER_GAZ_LISTS + l];
		SROW(RROW(GAZ, v));
		SROW(RROW(GAZCLS, v * 8 + c));
	}
	/* (values past the small ones: hashed, so prefetched) */
	HROW(RROW(GAZM1, start ? 0 : gmask[i - 1]));
	HROW(RROW(GAZP1, end ? 0 : gmask[i + 1]));
	HROW(RROW(KIND_GAZ, gm * 64 + caps[i] * 8 + c));
	if (d->topic) {
		uint64_t topic = d->topic;
		HROW(ner_row(bits, T_TOPIC_CLS, topic * 32 + c * 4 + caps[i]));
		HROW(ner_row(bits, T_TOPIC_GAZ, topic * 131 + gm));
		HROW(ner_row(bits, T_TOPIC_CL3,
			     topic * 2048 + ((cl[i] >> 20) & 1023)));
	}
	if (d->capl[i] || (d->inrun && i <= d->rb))
		k += run_rows(m, toks, n, w, rt, cl, d->capl, caps[i] & 1, i,
			      &d->ra, &d->rb, &d->inrun, r + k);
	/* document-level capitalisation of this word */
	uint32_t df = w->dflag[w->slot[i]];
	SROW(RROW(DOC, (uint64_t)df * 16 + c * 2 + start));
	if (c != CLS_LOWER)
		HROW(ner_row(bits, T_DOC_LOW, w->hlow[i] * 8 + df));
	w->nrows[i] = (uint8_t)k;
#undef WROW
#undef NROW
#undef SROW
#undef HROW
}

chr_status ner_static(const ner_model *m, const ner_tok *toks, size_t n,
		      ner_work *w)
{
	chr_status st = work_reserve(w, n);
	if (st)
		return st;
	uint32_t bits = m->row_bits;
	const uint32_t *rt = ner_rowtab_get(w, bits);
	if (!rt)
		return CHR_ENOMEM;
	size_t tabsize = 16;
	while (tabsize < 2 * n)
		tabsize *= 2;
	uint32_t nslots = 0;
	uint8_t *caps = w->caps, *capl = caps + n;
	uint64_t *cl = w->cl;
	uint32_t *gmask = w->gmask;

	/* split rows (word sums) for a loaded model of one int16 table */
	w->sserial = m->serial && m->w && !m->wf && !m->w2 && !m->wf2
			     ? m->serial
			     : 0;
	/* pass 1: per-token hashes, classes, clusters, slots (and no
	 * gazetteer list yet: gaz_match) */
	ner_doc_hashes(w, m, toks, n);
	for (size_t i = 0; i < n; i++) {
		w->hlow[i] = w->wh[i].low;
		w->hshape[i] = w->wh[i].shape;
		w->cls[i] = w->wh[i].cls;
		cl[i] = w->wh[i].clus;
		gmask[i] = 0;
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
	gaz_match(m, toks, n, w, gmask);
	/* document topic: a capitalised first word before " - " ("SOCCER -") */
	uint64_t topic = 0;
	if (n > 2 && w->cls[0] == CLS_ALLCAP && toks[0].len >= 3 &&
	    toks[1].len == 1 && toks[1].s[0] == '-')
		topic = w->hlow[0];

	doc_pass d = {m, toks, n, w, rt, caps, capl, cl, gmask, topic, 0, 0, 0};
	if (w->sserial)
		for (size_t i = 0; i < n; i++)
			token_rows(&d, i, 1);
	else
		for (size_t i = 0; i < n; i++)
			token_rows(&d, i, 0);
	return CHR_OK;
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
		ner_score_static(m, stage, w, i, score);
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
