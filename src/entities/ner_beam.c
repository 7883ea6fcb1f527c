/*
 * ner_beam: beam-search decoding for the NER tagger.
 *
 * Design note: the dynamic features (ner_dynamic) read the two previous
 * tags and the document's tag history of the token's word, so a greedy
 * left-to-right pass (ner_decode) commits to a tag before it sees what
 * the next words make of it: "Real Madrid" tagged U-LOC at "Real" can
 * not become B-ORG when "Madrid" arrives.  The beam keeps the `beam`
 * best partial tag sequences instead.  Every hypothesis shares the
 * token's static score (computed once) and adds its own dynamic rows;
 * its tag history is the document's committed history plus the tags it
 * gave earlier occurrences of the same word in the current segment
 * (found through a per-segment chain of same-word positions).
 *
 * A segment is as many whole sentences as fit in NER_BEAM_SPAN tokens (a
 * longer sentence is cut every NER_BEAM_SPAN tokens; ner_beam_seg_end),
 * so the beam can keep two readings of a name until the next sentence
 * uses it again.  Each segment is decoded without touching the
 * document state; then its best tags are committed (written out, added
 * to the history) and the last two carried into the next segment, so
 * memory and work per token stay bounded whatever the input.
 * ner_path_dynamic gives the dynamic rows along any tag path (the tests
 * score paths with it).  With beam 1 this is exactly ner_decode.
 */
#include "entities/ner.h"

#include <string.h>

typedef struct hyp {
	float score;
	int prev, prev2;
	uint8_t tags[NER_BEAM_SPAN];
} hyp;

size_t ner_beam_seg_end(const ner_tok *toks, size_t n, size_t a)
{
	size_t b = a + 1;
	while (b < n && b - a < NER_BEAM_SPAN) {
		if (toks[b].sent_start) { /* whole sentences while they fit */
			size_t e = b + 1;
			while (e < n && !toks[e].sent_start)
				e++;
			if (e - a > NER_BEAM_SPAN)
				break;
		}
		b++;
	}
	return b;
}

/* prev and prev2 of token i of the segment starting at a, on path. */
static void path_prev(const ner_tok *toks, size_t a, size_t i,
		      const uint8_t *path, int prev0, int prev20, int *p,
		      int *p2)
{
	if (toks[i].sent_start) {
		*p = *p2 = -1;
	} else if (i == a) {
		*p = prev0;
		*p2 = prev20;
	} else if (i == a + 1) {
		*p = path[0];
		*p2 = toks[a].sent_start ? -1 : prev0;
	} else {
		*p = path[i - 1 - a];
		*p2 = toks[i - 1].sent_start ? -1 : path[i - 2 - a];
	}
}

size_t ner_path_dynamic(const ner_model *m, const ner_work *w,
			const ner_tok *toks, size_t a, size_t i,
			const uint8_t *path, int prev0, int prev20,
			uint32_t *rows)
{
	int p, p2;
	path_prev(toks, a, i, path, prev0, prev20, &p, &p2);
	uint16_t h[NER_NTYPES + 1];
	memcpy(h, w->hcnt[w->slot[i]], sizeof h);
	for (size_t j = a; j < i; j++)
		if (w->slot[j] == w->slot[i])
			h[ner_tag_type((int)m->scheme, path[j - a])]++;
	return ner_dynamic_h(m, w, i, p, p2, h, rows);
}

/* Which tag may follow which (row prev + 1), and end a sentence. */
typedef struct beam_rules {
	/* the tags allowed after prev (row prev + 1), ascending; fin: at
	 * the end of a sentence (tags that may end one) */
	uint8_t next[2][NER_MAXTAGS + 1][NER_MAXTAGS];
	uint8_t nnext[2][NER_MAXTAGS + 1];
} beam_rules;

static void rules_init(const ner_model *m, beam_rules *r)
{
	int scheme = (int)m->scheme, nt = (int)m->ntags;
	for (int fin = 0; fin < 2; fin++)
		for (int p = -1; p < nt; p++) {
			uint8_t k = 0;
			for (int t = 0; t < nt; t++)
				if (ner_tag_valid(scheme, p, t) &&
				    (!fin || ner_tag_final_ok(scheme, t)))
					r->next[fin][p + 1][k++] = (uint8_t)t;
			r->nnext[fin][p + 1] = k;
		}
}

/* Decode [a, b), at most NER_BEAM_SPAN tokens, into out[b - a] without
 * touching the document state, starting after tags prev0, prev20. */
static void segment(const ner_model *m, int stage, const ner_tok *toks,
		    size_t n, ner_work *w, size_t a, size_t b, int beam,
		    int prev0, int prev20, const beam_rules *r, uint8_t *out)
{
	if (beam < 1)
		beam = 1;
	if (beam > NER_BEAM_MAX)
		beam = NER_BEAM_MAX;
	int scheme = (int)m->scheme;
	hyp bufs[2][NER_BEAM_MAX];
	hyp *cur = bufs[0], *nxt = bufs[1];
	int ncur = 1;
	cur[0].score = 0;
	cur[0].prev = prev0;
	cur[0].prev2 = prev20;
	int16_t same[NER_BEAM_SPAN];
	uint32_t dyn[NER_NDYN];
	for (size_t i = a; i < b; i++) {
		size_t o = i - a;
		if (i + 2 < n)
			ner_prefetch_token(m, stage, w, i + 2);
		if (toks[i].sent_start)
			for (int k = 0; k < ncur; k++)
				cur[k].prev = cur[k].prev2 = -1;
		same[o] = -1;
		for (size_t j = o; j-- > 0;)
			if (w->slot[a + j] == w->slot[i]) {
				same[o] = (int16_t)j;
				break;
			}
		float st[NER_MAXTAGS] = {0};
		ner_score_stage(m, stage, &w->rows[i * NER_NSTATIC], w->nrows[i],
				st);
		int last = i + 1 == n || toks[i + 1].sent_start;
		float cs[NER_BEAM_MAX];
		int cb[NER_BEAM_MAX], ct[NER_BEAM_MAX], nc = 0;
		uint16_t hs[NER_BEAM_MAX][NER_NTYPES + 1];
		float scs[NER_BEAM_MAX][NER_MAXTAGS];
		for (int k = 0; k < ncur; k++) {
			uint16_t *h = hs[k];
			memcpy(h, w->hcnt[w->slot[i]], sizeof hs[k]);
			for (int j = same[o]; j >= 0; j = same[j])
				h[ner_tag_type(scheme, cur[k].tags[j])]++;
			float *sc = scs[k];
			/* hypotheses that differ only in older tags share the
			 * dynamic rows: score them once */
			int kk = 0;
			while (kk < k && (cur[kk].prev != cur[k].prev ||
					  cur[kk].prev2 != cur[k].prev2 ||
					  memcmp(hs[kk], h, sizeof hs[k])))
				kk++;
			if (kk < k) {
				memcpy(sc, scs[kk], sizeof scs[k]);
			} else {
				memcpy(sc, st, sizeof scs[k]);
				size_t nd = ner_dynamic_h(m, w, i, cur[k].prev,
							  cur[k].prev2, h, dyn);
				ner_score_stage(m, stage, dyn, nd, sc);
			}
			const uint8_t *v = r->next[last][cur[k].prev + 1];
			for (int x = 0, nv = r->nnext[last][cur[k].prev + 1];
			     x < nv; x++) {
				int t = v[x];
				float s = cur[k].score + sc[t];
				if (nc == beam && s <= cs[nc - 1])
					continue;
				int q = nc < beam ? nc++ : nc - 1;
				while (q > 0 && cs[q - 1] < s) {
					cs[q] = cs[q - 1];
					cb[q] = cb[q - 1];
					ct[q] = ct[q - 1];
					q--;
				}
				cs[q] = s;
				cb[q] = k;
				ct[q] = t;
			}
		}
		if (!nc) { /* no allowed tag: keep the best path with O */
			cs[0] = cur[0].score;
			cb[0] = 0;
			ct[0] = 0;
			nc = 1;
		}
		for (int q = 0; q < nc; q++) {
			const hyp *p = &cur[cb[q]];
			hyp *x = &nxt[q];
			memcpy(x->tags, p->tags, o);
			x->tags[o] = (uint8_t)ct[q];
			x->score = cs[q];
			x->prev2 = p->prev;
			x->prev = ct[q];
		}
		hyp *t = cur;
		cur = nxt;
		nxt = t;
		ncur = nc;
	}
	/* candidates are kept sorted, so cur[0] is the best */
	memcpy(out, cur[0].tags, b - a);
}

/* Add tags[a..b) to the history; *prev, *prev2 become the last two. */
static void commit(const ner_model *m, const ner_tok *toks, ner_work *w,
		   size_t a, size_t b, const uint8_t *tags, int *prev,
		   int *prev2)
{
	for (size_t j = a; j < b; j++)
		ner_hist_add(m, w, j, tags[j]);
	if (b - a >= 2)
		*prev2 = toks[b - 1].sent_start ? -1 : tags[b - 2];
	else
		*prev2 = toks[a].sent_start ? -1 : *prev;
	*prev = tags[b - 1];
}

void ner_decode_beam(const ner_model *m, int stage, const ner_tok *toks,
		     size_t n, ner_work *w, uint8_t *tags, int beam)
{
	if (beam <= 1) {
		ner_decode(m, stage, toks, n, w, tags);
		return;
	}
	beam_rules r;
	rules_init(m, &r);
	for (size_t i = 0; i < 2 && i < n; i++)
		ner_prefetch_token(m, stage, w, i);
	int prev = -1, prev2 = -1;
	for (size_t a = 0, b; a < n; a = b) {
		b = ner_beam_seg_end(toks, n, a);
		segment(m, stage, toks, n, w, a, b, beam, prev, prev2, &r,
			tags + a);
		commit(m, toks, w, a, b, tags, &prev, &prev2);
	}
}
