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
 * (found through a per-segment chain of same-word positions, made from
 * each word slot's last position, w->spos).  A hypothesis keeps no
 * copy of its tags: each token records the tag and the parent of every
 * hypothesis it keeps (back pointers); a tag at an earlier position is
 * found by walking back, which only a word repeated within the segment
 * needs before the segment's best path is read out.
 *
 * The work per hypothesis is kept small without changing a score bit:
 * hypotheses with the same two previous tags and history share their
 * scores (the histories differ only where the word came earlier in the
 * segment, so elsewhere the tags alone pick the group, found through
 * the previous tag's first group, and the history rows are made once
 * for the token); with int16 weights the rows that read only the
 * previous tag are made once per previous tag (after O, a
 * loaded model's word memo has their sum: ner_word.c; after other tags
 * they join each hypothesis's sum, which costs less than a sum of their
 * own; they are made for the beam's previous tags before the token's
 * static score, and their hashed rows, cold in the table, prefetched
 * meanwhile; integer sums, exact in any order; float weights, used in
 * training, are summed row by row as always); the allowed tags are bit
 * masks (made once per scheme), and with a full beam one SIMD compare
 * drops the tags whose candidate score is not above the beam's last
 * (they would be dropped one by one anyway, and the bar only rises).
 * Before the beam is full, the same compare drops the candidates below
 * a bar: with a beam's worth of hypotheses, the lowest score of one
 * candidate each (its first allowed tag); that many candidates score at
 * least the bar, so one below it is not among the best and would only
 * be inserted to be pushed out again (most of the first hypothesis's
 * nine candidates after O were).  Candidates are still tried in tag
 * order and inserted after their equals, so ties resolve as before.
 * Where the CPU has AVX2, segment is compiled a second time for it: the
 * compare takes two 8-tag halves, and the prefetch and sum of a token's
 * split static rows, the sum of each group's dynamic rows and the rows
 * after a tag other than O are inlined (ner_feat.h), with the work
 * between them kept in registers.
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
#include "entities/ner_feat.h"

#include <pthread.h>
#include <string.h>
#if defined(__SSE2__)
#include <xmmintrin.h>
#endif

/* A hypothesis: its score and last two tags (side by side, so that
 * both compare as one word: prev_key); its tags are kept as the
 * segment's back pointers (segment). */
typedef struct hyp {
	float score;
	int16_t prev, prev2;
} hyp;

_Static_assert(offsetof(hyp, prev2) == offsetof(hyp, prev) + 2,
	       "prev_key reads prev and prev2 as one word");

/* A hypothesis's last two tags as one word (equal for two hypotheses
 * when both tags are). */
static uint32_t prev_key(const hyp *x)
{
	uint32_t a;
	memcpy(&a, &x->prev, sizeof a);
	return a;
}

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

/* Which tags may follow which: bit t of allow[fin][prev + 1] (fin: at
 * the end of a sentence, where only tags that may end one are allowed),
 * and each tag's type.  A pure function of the scheme, made once. */
typedef struct beam_rules {
	uint32_t allow[2][NER_MAXTAGS + 1];
	uint8_t type[NER_MAXTAGS];
	uint32_t pbit[NER_MAXTAGS]; /* 2 << t: bit t + 1 (no shift by t) */
} beam_rules;

static beam_rules g_rules[2]; /* by scheme */
static pthread_once_t g_rules_once = PTHREAD_ONCE_INIT;

static void rules_make(void)
{
	for (int scheme = 0; scheme < 2; scheme++) {
		beam_rules *r = &g_rules[scheme];
		int nt = scheme == NER_SCHEME_BILOU ? 17 : 9;
		for (int fin = 0; fin < 2; fin++)
			for (int p = -1; p < nt; p++) {
				uint32_t a = 0;
				for (int t = 0; t < nt; t++)
					if (ner_tag_valid(scheme, p, t) &&
					    (!fin || ner_tag_final_ok(scheme, t)))
						a |= 1u << t;
				r->allow[fin][p + 1] = a;
			}
		for (int t = 0; t < NER_MAXTAGS; t++) {
			r->type[t] = (uint8_t)ner_tag_type(scheme, t);
			r->pbit[t] = 2u << t;
		}
	}
}

/* The bits of tags t < NER_MAXTAGS whose candidate score base + sc[t]
 * is not <= thr (a superset of those that can enter a full beam; all of
 * them without SSE2); with incl, not < thr (those that can enter the
 * beam when some beam's worth of candidates score at least thr). */
static uint32_t above(float base, const float *sc, float thr, int incl)
{
#if defined(__SSE2__)
	__m128 b = _mm_set1_ps(base), th = _mm_set1_ps(thr);
#define ABOVE(v, cmp) ((uint32_t)_mm_movemask_ps(cmp( \
	_mm_add_ps(b, _mm_loadu_ps(sc + 1 + 4 * (v))), th)) << (1 + 4 * (v)))
	if (incl)
		return (uint32_t)!(base + sc[0] < thr) |
		       ABOVE(0, _mm_cmpnlt_ps) | ABOVE(1, _mm_cmpnlt_ps) |
		       ABOVE(2, _mm_cmpnlt_ps) | ABOVE(3, _mm_cmpnlt_ps);
	return (uint32_t)!(base + sc[0] <= thr) | ABOVE(0, _mm_cmpnle_ps) |
	       ABOVE(1, _mm_cmpnle_ps) | ABOVE(2, _mm_cmpnle_ps) |
	       ABOVE(3, _mm_cmpnle_ps);
#undef ABOVE
#else
	(void)base;
	(void)sc;
	(void)thr;
	(void)incl;
	return ~0u;
#endif
}

#ifdef NER_AVX2
/* above with AVX2: tags 1-8 and 9-16 a compare each, the same
 * predicates (not <=, not <: true on NaN) as SSE2's cmpnle, cmpnlt. */
__attribute__((target("avx2"))) static inline uint32_t
above_avx2(float base, const float *sc, float thr, int incl)
{
	__m256 b = _mm256_set1_ps(base), th = _mm256_set1_ps(thr);
	__m256 x = _mm256_add_ps(b, _mm256_loadu_ps(sc + 1));
	__m256 y = _mm256_add_ps(b, _mm256_loadu_ps(sc + 9));
	if (incl)
		return (uint32_t)!(base + sc[0] < thr) |
		       (uint32_t)_mm256_movemask_ps(
			       _mm256_cmp_ps(x, th, _CMP_NLT_UQ)) << 1 |
		       (uint32_t)_mm256_movemask_ps(
			       _mm256_cmp_ps(y, th, _CMP_NLT_UQ)) << 9;
	return (uint32_t)!(base + sc[0] <= thr) |
	       (uint32_t)_mm256_movemask_ps(_mm256_cmp_ps(x, th, _CMP_NLE_UQ))
		       << 1 |
	       (uint32_t)_mm256_movemask_ps(_mm256_cmp_ps(y, th, _CMP_NLE_UQ))
		       << 9;
}
#endif

/* With int16 weights, a token's dynamic rows that read only the
 * previous tag, shared between hypotheses (per previous tag): after O
 * the sum of their weights (the word's memo entry has it), after other
 * tags the rows, hashed once and summed with each hypothesis's other
 * rows (a sum of its own cost more than the four rows it saves when
 * few hypotheses share the tag); the sums are integers, so adding the
 * rest to them gives what one sum over all the rows gives. */
typedef struct tok_dyn {
	const uint32_t *rt;  /* the work area's small-value rows (or NULL) */
	const int32_t *osum; /* the sum after O (the memo's), or NULL */
	uint32_t rdone; /* bit prev + 1: prows[prev + 1] are made */
	uint32_t prows[NER_MAXTAGS + 1][4];
	/* the history rows, when all hypotheses have the document's
	 * history (made by the first that needs them; nh -1: not yet) */
	int nh;
	uint32_t hrows[NER_NTYPES + 2];
} tok_dyn;

/* The history rows hist asks for (HIST_*) of token i with history h
 * into rows; the count. */
enum { HIST_NONE, HIST_OWN, HIST_DOC };
static size_t dyn_hist_rows(const ner_model *m, const ner_work *w, size_t i,
			    int hist, const uint16_t *h, tok_dyn *d,
			    uint32_t *rows)
{
	if (hist == HIST_OWN)
		return ner_dyn_hist(m, w, i, h, rows);
	if (hist == HIST_NONE)
		return 0;
	if (d->nh < 0)
		d->nh = (int)ner_dyn_hist(m, w, i, h, d->hrows);
	memcpy(rows, d->hrows, sizeof d->hrows); /* (the rest are 0s) */
	return (size_t)d->nh;
}

/* sc = sts plus the dynamic rows of token i after prev, prev2 with
 * history h (hist: none, the hypothesis's own, or the document's, the
 * same for all), from the int16 table wt (st weights a row); avx (a
 * constant): the CPU has AVX2, so the sum of 16 weights a row is
 * inlined. */
static inline __attribute__((always_inline)) void
dyn_int(const ner_model *m, const int16_t *wt, float scale,
	const ner_work *w, size_t i, int prev, int prev2, int hist,
	const uint16_t *h, tok_dyn *d, const float *sts, float *sc,
	const int avx)
{
	uint32_t st = m->ntags - 1, rows[NER_NDYN];
	const int32_t *init = NULL;
	size_t n = 0;
	if (prev == 0 && d->osum) {
		init = d->osum;
	} else {
		uint32_t *pr = d->prows[prev + 1];
		if (!(d->rdone >> (prev + 1) & 1)) {
			ner_dyn_prev_in(m, d->rt, &w->wh[i], prev,
					pr); /* 4 rows */
			d->rdone |= 1u << (prev + 1);
		}
		memcpy(rows, pr, sizeof d->prows[0]);
		n = 4;
	}
	rows[n++] = ner_dyn_prev2_row(d->rt, m->row_bits, prev, prev2);
	n += dyn_hist_rows(m, w, i, hist, h, d, rows + n);
	sc[0] = sts[0]; /* and the unused tags past st, as sts has them */
	if (st < NER_MAXTAGS - 1) /* BIO; a BILOU row has them all */
		memcpy(sc + 1 + st, sts + 1 + st,
		       (NER_MAXTAGS - 1 - st) * sizeof *sc);
#ifdef NER_AVX2
	if (avx && st == 16) {
		ner_sum16_scaled_avx2(wt, rows, n, init, scale, sts + 1,
				      sc + 1);
		return;
	}
#endif
	(void)avx;
	ner_sum_scaled(wt, st, rows, n, init, scale, sts + 1, sc + 1);
}

/* A candidate: its score, the hypothesis it extends, and its tag. */
typedef struct beam_cand {
	float s;
	uint8_t k, t;
} beam_cand;

/* 1 when two tag histories (NER_NTYPES + 1 counts) are equal. */
_Static_assert(NER_NTYPES + 1 == 5, "hist_eq compares 5 counts");
static int hist_eq(const uint16_t *x, const uint16_t *y)
{
	uint64_t a, b;
	memcpy(&a, x, sizeof a);
	memcpy(&b, y, sizeof b);
	return a == b && x[4] == y[4];
}

/* Decode [a, b), at most NER_BEAM_SPAN tokens, into out[b - a] without
 * touching the document state, starting after tags prev0, prev20.
 * w->spos holds, per word slot, the last position decoded.  Compiled
 * twice (segment): avx (a constant) picks above_avx2. */
static inline __attribute__((always_inline)) void
segment_in(const ner_model *m, int stage, const ner_tok *toks, size_t n,
	   ner_work *w, size_t a, size_t b, int beam, int prev0, int prev20,
	   const beam_rules *r, uint8_t *out, const int avx)
{
#ifdef NER_AVX2
#define ABOVE(base, sc, thr, incl) (avx ? above_avx2(base, sc, thr, incl) \
					: above(base, sc, thr, incl))
#else
#define ABOVE above
#endif
	if (beam < 1)
		beam = 1;
	if (beam > NER_BEAM_MAX)
		beam = NER_BEAM_MAX;
	/* int16 weights: dynamic sums shared through tok_dyn */
	const int16_t *wt = stage == 2 ? m->w2 : m->w;
	if (stage == 2 ? m->wf2 != NULL : m->wf != NULL)
		wt = NULL;
	float scale = stage == 2 ? m->scale2 : m->scale;
	/* the AVX2 copy, split rows of 16 weights: it inlines the static
	 * rows' prefetch and sum (ner_weights.c's split path) */
	const int split16 = avx && stage == 1 && m->ntags == 17 &&
			    w->sserial && w->sserial == m->serial;
	uint32_t tmask = m->ntags >= 32 ? ~0u : (1u << m->ntags) - 1;
	hyp bufs[2][NER_BEAM_MAX];
	hyp *cur = bufs[0], *nxt = bufs[1];
	int ncur = 1;
	cur[0].score = 0;
	cur[0].prev = (int16_t)prev0;
	cur[0].prev2 = (int16_t)prev20;
	/* bit prev + 1: some hypothesis has that previous tag */
	uint32_t ptags = 1u << (prev0 + 1);
	const size_t st16 = m->ntags - 1; /* weights a row */
	/* hypothesis q after token o of the segment gave it tag tg[o][q] and
	 * extends hypothesis bp[o][q] after token o - 1 */
	uint8_t tg[NER_BEAM_SPAN][NER_BEAM_MAX], bp[NER_BEAM_SPAN][NER_BEAM_MAX];
	int16_t same[NER_BEAM_SPAN];
	uint32_t dyn[NER_NDYN];
	tok_dyn td;
	memset(td.hrows, 0, sizeof td.hrows);
	td.rt = rowtab_of(w, m->row_bits);
	/* the words' memo entries have the sums after O (per segment) */
	const int osum1 = wt && stage == 1 && w->sserial &&
			  w->sserial == m->serial;
	for (size_t i = a; i < b; i++) {
		size_t o = i - a;
		if (i + 2 < n && split16) { /* ner_prefetch_token, inlined */
			const uint32_t *pr = &w->rows[(i + 2) * NER_NSTATIC];
			const uint32_t *pe = pr + w->nrows[i + 2];
			pr += w->nsmall[i + 2];
			PREFETCH_ROWS((const char *)m->w, 32, pr, pe);
		} else if (i + 2 < n) {
			ner_prefetch_token(m, stage, w, i + 2);
		}
		if (toks[i].sent_start) {
			for (int k = 0; k < ncur; k++)
				cur[k].prev = cur[k].prev2 = -1;
			ptags = 1;
		}
		td.rdone = 0;
		td.nh = -1;
		/* the word's memo entry has the sum after O */
		td.osum = osum1 ? w->wh[i].osum : NULL;
		if (wt) /* the rows after each previous tag, fetched early */
			for (uint32_t p = ptags & ~(td.osum ? 2u : 0u); p;
			     p &= p - 1) {
				int p1 = __builtin_ctz(p);
				uint32_t *pr = td.prows[p1];
				ner_dyn_prev_in(m, td.rt, &w->wh[i], p1 - 1,
						pr);
				td.rdone |= 1u << p1;
				__builtin_prefetch(wt + (size_t)pr[1] * st16);
				__builtin_prefetch(wt + (size_t)pr[2] * st16);
			}
		/* the last earlier position of this word in the segment */
		uint32_t sp = w->spos[w->slot[i]];
		same[o] = sp != UINT32_MAX && sp >= a ? (int16_t)(sp - a) : -1;
		w->spos[w->slot[i]] = (uint32_t)i;
		float st[NER_MAXTAGS] = {0};
#ifdef NER_AVX2
		if (split16) /* ner_score_static, inlined */
			ner_sum16_scaled_avx2(m->w, &w->rows[i * NER_NSTATIC],
					      w->nrows[i], w->nsum[i], m->scale,
					      st + 1, st + 1);
		else
#endif
			ner_score_static(m, stage, w, i, st);
		int last = i + 1 == n || toks[i + 1].sent_start;
		int hist = ner_uses_hist(w, i);
		/* the candidates kept, best first, after a sentinel that no
		 * score passes (+inf: the insertion needs no bound test) */
		beam_cand csb[NER_BEAM_MAX + 1], *cs = csb + 1;
		csb[0].s = __builtin_inff();
		int nc = 0;
		uint16_t hs[NER_BEAM_MAX][NER_NTYPES + 1];
		float scs[NER_BEAM_MAX][NER_MAXTAGS];
		const float *sck[NER_BEAM_MAX]; /* hypothesis k's dynamic score */
		uint32_t ck[NER_BEAM_MAX];      /* and its allowed tags */
		/* bar: the lowest of one candidate per hypothesis (its first
		 * allowed tag); with a beam's worth of them, a candidate
		 * scoring less is not among the beam's best */
		float bar = __builtin_inff();
		int bars = ncur == beam;
		float vsum = 0; /* NaN when one of them is (or inf - inf) */
		/* the history only matters to the classes that use it, and
		 * differs between hypotheses only when the word came earlier
		 * in the segment; else all have the document's */
		int hvar = hist && same[o] >= 0;
		const uint16_t *hdoc = w->hcnt[w->slot[i]];
		/* the groups of hypotheses sharing scores: their last two tags
		 * (prev_key) and first hypothesis; with the document's history
		 * a key has one group, and bit prev + 1 of gseen says that
		 * gbyp[prev + 1] is the first group after that tag (no other
		 * group has the key when no group has the tag) */
		uint32_t gkey[NER_BEAM_MAX], gseen = 0;
		int gk[NER_BEAM_MAX], ng = 0;
		int8_t gbyp[NER_MAXTAGS + 1];
		for (int k = 0; k < ncur; k++) {
			const uint16_t *h = hdoc;
			if (hvar) {
				uint16_t *hk = hs[k];
				memcpy(hk, hdoc, sizeof hs[k]);
				/* the tags k gave the word's earlier positions j
				 * (descending): back from token o - 1 */
				int x = k, p = (int)o - 1;
				for (int j = same[o]; j >= 0; j = same[j]) {
					for (; p > j; p--)
						x = bp[p][x];
					hk[r->type[tg[j][x]]]++;
				}
				h = hk;
			}
			float *sc = scs[k];
			/* hypotheses that differ only in older tags share the
			 * dynamic rows: score them once */
			uint32_t key = prev_key(&cur[k]);
			int p1 = cur[k].prev + 1, g = 0;
			if (!hvar && !(gseen >> p1 & 1))
				g = ng; /* a new tag: a new group */
			else if (!hvar && gkey[gbyp[p1]] == key)
				g = gbyp[p1];
			else
				while (g < ng &&
				       (gkey[g] != key ||
					(hvar && !hist_eq(hs[gk[g]], h))))
					g++;
			if (g < ng) {
				sc = scs[gk[g]];
			} else {
				if (!(gseen >> p1 & 1)) {
					gseen |= 1u << p1;
					gbyp[p1] = (int8_t)ng;
				}
				gkey[ng] = key;
				gk[ng++] = k;
				if (wt) {
					dyn_int(m, wt, scale, w, i, cur[k].prev,
						cur[k].prev2,
						!hist ? HIST_NONE
						: hvar ? HIST_OWN : HIST_DOC,
						h, &td, st, sc, avx);
				} else {
					memcpy(sc, st, sizeof scs[k]);
					size_t nd = ner_dynamic_h(
						m, w, i, cur[k].prev,
						cur[k].prev2, h, dyn);
					ner_score_stage(m, stage, dyn, nd, sc);
				}
			}
			sck[k] = sc;
		}
		/* each hypothesis's allowed tags, and the bar (a loop of its
		 * own: few values live, none spilled) */
		const uint32_t *alw = r->allow[last];
		for (int k = 0; k < ncur; k++) {
			uint32_t cand = alw[cur[k].prev + 1] & tmask;
			ck[k] = cand;
			if (!cand) {
				bars = 0;
			} else if (bars) {
				float v = cur[k].score + sck[k][__builtin_ctz(cand)];
				bar = v < bar ? v : bar;
				vsum += v;
			}
		}
		/* (scores are numbers: int16 or float weights; without the
		 * bar the candidates are only tried one by one, as ever) */
		bars &= vsum == vsum;
		for (int k = 0; k < ncur; k++) {
			const float *sc = sck[k];
			/* candidates in tag order; only those not below the bar
			 * can enter, and with a full beam (whose last score is
			 * not below it) only those above its last score */
			uint32_t cand = ck[k];
			if (nc == beam)
				cand &= ABOVE(cur[k].score, sc, cs[nc - 1].s, 0);
			else if (bars)
				cand &= ABOVE(cur[k].score, sc, bar, 1);
			for (; cand; cand &= cand - 1) {
				int t = __builtin_ctz(cand);
				float s = cur[k].score + sc[t];
				if (nc == beam && s <= cs[nc - 1].s)
					continue;
				beam_cand *q = &cs[nc < beam ? nc++ : nc - 1];
				for (; q[-1].s < s; q--) /* stops at csb */
					q[0] = q[-1];
				*q = (beam_cand){s, (uint8_t)k, (uint8_t)t};
			}
		}
		if (!nc) /* no allowed tag: keep the best path with O */
			cs[nc++] = (beam_cand){cur[0].score, 0, 0};
		ptags = 0;
		for (int q = 0; q < nc; q++) {
			hyp *x = &nxt[q];
			tg[o][q] = cs[q].t;
			bp[o][q] = cs[q].k;
			x->score = cs[q].s;
			x->prev2 = cur[cs[q].k].prev;
			x->prev = (int16_t)cs[q].t;
			ptags |= r->pbit[cs[q].t];
		}
		hyp *t = cur;
		cur = nxt;
		nxt = t;
		ncur = nc;
	}
#undef ABOVE
	/* candidates are kept sorted, so cur[0] is the best: its tags */
	for (int p = (int)(b - a) - 1, x = 0; p >= 0; p--) {
		out[p] = tg[p][x];
		x = bp[p][x];
	}
}

#ifdef NER_AVX2
__attribute__((target("avx2"))) static void
segment_avx2(const ner_model *m, int stage, const ner_tok *toks, size_t n,
	     ner_work *w, size_t a, size_t b, int beam, int prev0, int prev20,
	     const beam_rules *r, uint8_t *out)
{
	segment_in(m, stage, toks, n, w, a, b, beam, prev0, prev20, r, out, 1);
}
#endif

static void segment(const ner_model *m, int stage, const ner_tok *toks,
		    size_t n, ner_work *w, size_t a, size_t b, int beam,
		    int prev0, int prev20, const beam_rules *r, uint8_t *out)
{
#ifdef NER_AVX2
	if (!ner_no_avx2 && __builtin_cpu_supports("avx2")) {
		segment_avx2(m, stage, toks, n, w, a, b, beam, prev0, prev20,
			     r, out);
		return;
	}
#endif
	segment_in(m, stage, toks, n, w, a, b, beam, prev0, prev20, r, out, 0);
}

/* Add tags[a..b) to the history; *prev, *prev2 become the last two. */
static void commit(const beam_rules *r, const ner_tok *toks, ner_work *w,
		   size_t a, size_t b, const uint8_t *tags, int *prev,
		   int *prev2)
{
	for (size_t j = a; j < b; j++)
		ner_hist_count(w, j, r->type[tags[j]]);
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
	pthread_once(&g_rules_once, rules_make);
	const beam_rules *r = &g_rules[m->scheme == NER_SCHEME_BILOU];
	for (uint32_t s = 0; s < w->nslots; s++)
		w->spos[s] = UINT32_MAX;
	for (size_t i = 0; i < 2 && i < n; i++)
		ner_prefetch_token(m, stage, w, i);
	int prev = -1, prev2 = -1;
	for (size_t a = 0, b; a < n; a = b) {
		b = ner_beam_seg_end(toks, n, a);
		segment(m, stage, toks, n, w, a, b, beam, prev, prev2, r,
			tags + a);
		commit(r, toks, w, a, b, tags, &prev, &prev2);
	}
}
