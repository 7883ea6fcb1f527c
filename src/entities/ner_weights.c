/*
 * ner_weights: reading the NER tagger's weight rows (scoring, prefetch).
 *
 * Design note: a feature row holds the weights of tags 1..ntags-1 (tag O
 * scores 0 by construction), so a BILOU row is 16 int16 = 32 bytes, half
 * a cache line (ner_model.c puts the table on a 64-byte boundary, so no
 * row straddles two lines).  A token's score is the sum of ~60 such rows:
 * with int16 weights the sums stay in 32-bit integers (exact, so their
 * order does not matter) and are scaled to float once per tag.
 *
 * ner_sum_rows is that integer sum (added to a given start, so that a
 * sum shared between hypotheses is a start, not a second pass).  With SSE2 (every x86-64) it takes
 * two rows at a time: interleaving their int16 lanes and multiplying by
 * ones with pmaddwd adds the pairs into int32 lanes, eight instructions
 * a row where the plain loop takes about thirty; where the CPU has AVX2
 * (asked at run time: the build targets plain x86-64) a whole row is
 * one load and the pairing takes half the instructions again (that
 * code is ner_feat.h's, so that the beam's AVX2 copy inlines it).
 * Elsewhere it is the plain loop; all give the same integers.
 * ner_sum_scaled is the sum and its scaling in one call (with AVX2 the
 * sums never leave the registers): a token's score, or a hypothesis's
 * score from the token's.  Float weights (training)
 * are added one row after another in row order, as always, since float
 * sums depend on their order.
 *
 * ner_score_static scores a token's static rows; when ner_static split
 * them (a loaded model of one int16 table), the token's sum w->nsum has
 * the sum of its word rows and its neighbours' rows (ner_word.c), the
 * start of the integer sum of the others.
 *
 * ner_prefetch_token asks for the next token's rows while the current
 * one is scored, except the rows of small values (bias, classes,
 * clusters) at the places ner_static puts them (ner_feat.h; split rows:
 * the first nsmall): those weights are few and read for every token.
 */
#include "entities/ner_feat.h"

#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

int ner_no_avx2;

#ifdef NER_AVX2
/* ner_sum_rows of 16-weight rows with AVX2. */
__attribute__((target("avx2"))) static void
sum16_avx2(const int16_t *wt, const uint32_t *rows, size_t n,
	   const int32_t *init, int32_t *acc)
{
	__m256i lo, hi;
	ner_sum16_lanes(wt, rows, n, init, &lo, &hi);
	__m128i *out = (__m128i *)(void *)acc;
	_mm_storeu_si128(out, _mm256_castsi256_si128(lo));
	_mm_storeu_si128(out + 1, _mm256_castsi256_si128(hi));
	_mm_storeu_si128(out + 2, _mm256_extracti128_si256(lo, 1));
	_mm_storeu_si128(out + 3, _mm256_extracti128_si256(hi, 1));
}
#endif

void ner_sum_rows(const int16_t *wt, uint32_t st, const uint32_t *rows,
		  size_t n, const int32_t *init, int32_t *acc)
{
#ifdef NER_AVX2
	if (st == 16 && !ner_no_avx2 && __builtin_cpu_supports("avx2")) {
		sum16_avx2(wt, rows, n, init, acc);
		return;
	}
#endif
#if defined(__SSE2__)
	if (st == 16) {
		static const int16_t z[16];
		const __m128i *zrow = (const __m128i *)(const void *)z;
		const __m128i one = _mm_set1_epi16(1), zero = _mm_setzero_si128();
		__m128i a0 = zero, a1 = zero, a2 = zero, a3 = zero;
		if (init) {
			const __m128i *ip = (const __m128i *)(const void *)init;
			a0 = _mm_loadu_si128(ip);
			a1 = _mm_loadu_si128(ip + 1);
			a2 = _mm_loadu_si128(ip + 2);
			a3 = _mm_loadu_si128(ip + 3);
		}
		for (size_t f = 0; f < n; f += 2) {
			/* an odd last row is paired with the zero row */
			const __m128i *p = (const __m128i *)(const void *)(wt + (size_t)rows[f] * 16);
			const __m128i *q = f + 1 < n ? (const __m128i *)(const void *)(wt + (size_t)rows[f + 1] * 16) : zrow;
			__m128i p0 = _mm_loadu_si128(p), p1 = _mm_loadu_si128(p + 1);
			__m128i q0 = _mm_loadu_si128(q), q1 = _mm_loadu_si128(q + 1);
			a0 = _mm_add_epi32(a0, _mm_madd_epi16(_mm_unpacklo_epi16(p0, q0), one));
			a1 = _mm_add_epi32(a1, _mm_madd_epi16(_mm_unpackhi_epi16(p0, q0), one));
			a2 = _mm_add_epi32(a2, _mm_madd_epi16(_mm_unpacklo_epi16(p1, q1), one));
			a3 = _mm_add_epi32(a3, _mm_madd_epi16(_mm_unpackhi_epi16(p1, q1), one));
		}
		_mm_storeu_si128((__m128i *)(void *)acc, a0);
		_mm_storeu_si128((__m128i *)(void *)(acc + 4), a1);
		_mm_storeu_si128((__m128i *)(void *)(acc + 8), a2);
		_mm_storeu_si128((__m128i *)(void *)(acc + 12), a3);
		return;
	}
#endif
	for (uint32_t t = 0; t < st; t++)
		acc[t] = init ? init[t] : 0;
	for (size_t f = 0; f < n; f++) {
		const int16_t *r = wt + (size_t)rows[f] * st;
		for (uint32_t t = 0; t < st; t++)
			acc[t] += r[t];
	}
}

void ner_add_scaled(const int32_t *acc, uint32_t st, float scale,
		    float *out)
{
	uint32_t t = 0;
#if defined(__SSE2__)
	const __m128 sc = _mm_set1_ps(scale);
	for (; t + 4 <= st; t += 4) {
		__m128 a = _mm_cvtepi32_ps(_mm_loadu_si128((const __m128i *)(const void *)(acc + t)));
		_mm_storeu_ps(out + t, _mm_add_ps(_mm_loadu_ps(out + t),
						  _mm_mul_ps(a, sc)));
	}
#endif
	for (; t < st; t++)
		out[t] += (float)acc[t] * scale;
}

/* ner_sum_scaled without AVX2: ner_sum_rows, then ner_add_scaled (a
 * function of its own, so that the AVX2 path needs no stack frame). */
static __attribute__((noinline)) void
sum_scaled_rows(const int16_t *wt, uint32_t st, const uint32_t *rows,
		size_t n, const int32_t *init, float scale, const float *add,
		float *out)
{
	int32_t acc[NER_MAXTAGS];
	ner_sum_rows(wt, st, rows, n, init, acc);
	if (out != add)
		memcpy(out, add, st * sizeof *out);
	ner_add_scaled(acc, st, scale, out);
}

void ner_sum_scaled(const int16_t *wt, uint32_t st, const uint32_t *rows,
		    size_t n, const int32_t *init, float scale,
		    const float *add, float *out)
{
#ifdef NER_AVX2
	if (st == 16 && !ner_no_avx2 && __builtin_cpu_supports("avx2")) {
		ner_sum16_scaled_avx2(wt, rows, n, init, scale, add, out);
		return;
	}
#endif
	sum_scaled_rows(wt, st, rows, n, init, scale, add, out);
}

static void score_table(const int16_t *wt, const float *wf, float scale,
			uint32_t st, const uint32_t *rows, size_t n,
			float *score)
{
	if (wf) {
		for (size_t f = 0; f < n; f++) {
			const float *r = wf + (size_t)rows[f] * st;
			for (uint32_t t = 0; t < st; t++)
				score[t + 1] += r[t];
		}
		return;
	}
	ner_sum_scaled(wt, st, rows, n, NULL, scale, score + 1, score + 1);
}

void ner_score_stage(const ner_model *m, int stage, const uint32_t *rows,
		     size_t n, float *score)
{
	if (stage == 2)
		score_table(m->w2, m->wf2, m->scale2, m->ntags - 1, rows, n,
			    score);
	else
		score_table(m->w, m->wf, m->scale, m->ntags - 1, rows, n,
			    score);
}

void ner_score_rows(const ner_model *m, const uint32_t *rows, size_t n,
		    float *score)
{
	ner_score_stage(m, 1, rows, n, score);
}

void ner_score_static(const ner_model *m, int stage, const ner_work *w,
		      size_t i, float *score)
{
	if (stage == 1 && w->sserial && w->sserial == m->serial) {
		ner_sum_scaled(m->w, m->ntags - 1, &w->rows[i * NER_NSTATIC],
			       w->nrows[i], w->nsum[i], m->scale, score + 1,
			       score + 1);
		return;
	}
	ner_score_stage(m, stage, &w->rows[i * NER_NSTATIC], w->nrows[i],
			score);
}

void ner_prefetch_token(const ner_model *m, int stage, const ner_work *w,
			size_t i)
{
	const uint32_t *r = &w->rows[i * NER_NSTATIC];
	if (stage == 1 && w->sserial && w->sserial == m->serial) {
		/* split rows: the word's sum is made; its other hashed rows */
		const char *base = (const char *)m->w;
		size_t rowbytes = (m->ntags - 1) * sizeof(int16_t);
		const uint32_t *e = r + w->nrows[i];
		r += w->nsmall[i];
		PREFETCH_ROWS(base, rowbytes, r, e);
		return;
	}
	const float *wf = stage == 2 ? m->wf2 : m->wf;
	const int16_t *wt = stage == 2 ? m->w2 : m->w;
	size_t rowbytes = (m->ntags - 1) *
			  (wf ? sizeof(float) : sizeof(int16_t));
	const char *base = wf ? (const char *)wf : (const char *)wt;
	const uint32_t *e = r + w->nrows[i];
	/* the rows of small values where ner_static puts them (ner_feat.h)
	 * are skipped: the bias, the class and cluster rows */
	const uint32_t *c = r + SR_CLS(w->wh[i].naff);
	if (c + SR_TAIL <= e) {
		const uint32_t *p = r + 1;
		PREFETCH_ROWS(base, rowbytes, p, c);
		p = c + SR_LOW;
		PREFETCH_ROWS(base, rowbytes, p, c + SR_CLUS);
		p = c + SR_CLBI;
		PREFETCH_ROWS(base, rowbytes, p, c + SR_CLUSR);
		r = c + SR_TAIL;
	}
	PREFETCH_ROWS(base, rowbytes, r, e);
}
