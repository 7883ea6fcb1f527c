/*
 * test_ner_decode: the NER tagger's fast paths against plain reference
 * code: integer row sums and their scaling (ner_weights.c), and the
 * beam decoder (ner_beam.c) against the beam search as first written.
 *
 * Design note: the fast paths must give the very same numbers (integers,
 * and floats bit for bit) as the plain loops they replace, since a tag
 * that flips on a tie would change entities downstream.  Tables here are
 * random int16 weights made in memory, with the extreme values -32768
 * and 32767 mixed in so that a pairwise 16-bit add would overflow.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entities/ner.h"
#include "harness.h"

static uint64_t rng = 88172645463325252ull;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 11);
}

/* A random int16 table of nrow rows of st weights. */
static int16_t *rand_table(size_t nrow, uint32_t st)
{
	int16_t *w = malloc(nrow * st * sizeof *w);
	for (size_t i = 0; i < nrow * st; i++) {
		uint32_t r = rnd();
		w[i] = r % 7 == 0 ? -32768 : r % 7 == 1 ? 32767
						   : (int16_t)(r % 2001) - 1000;
	}
	return w;
}

/* ner_sum_rows equals the plain sum for every row count (odd and even,
 * 0 included) and both row widths, with repeated rows, from 0s (no
 * start given, or 0s given) and from a given start. */
static void test_sum_rows(void)
{
	enum { NROW = 512 };
	for (int path = 0; path < 4; path++) {
		uint32_t st = path < 2 ? 16 : 8;
		ner_no_avx2 = path == 1; /* SSE2 where AVX2 would be used */
		int16_t *w = rand_table(NROW, st);
		uint32_t rows[NER_NSTATIC];
		int bad = 0;
		for (size_t n = 0; n <= NER_NSTATIC; n++) {
			for (size_t f = 0; f < n; f++)
				rows[f] = f % 5 == 4 ? rows[0] : rnd() % NROW;
			/* from 0s, or from a start */
			int32_t got[16], want[16] = {0}, init[16];
			for (uint32_t t = 0; t < 16; t++)
				init[t] = n % 2 ? (int32_t)(rnd() % 200001) - 100000 : 0;
			memcpy(want, init, sizeof want);
			memset(got, 0x55, sizeof got);
			ner_sum_rows(w, st, rows, n, n % 4 == 2 ? NULL : init, got);
			for (size_t f = 0; f < n; f++)
				for (uint32_t t = 0; t < st; t++)
					want[t] += w[(size_t)rows[f] * st + t];
			bad += memcmp(got, want, st * sizeof *got) != 0;
		}
		CHECK_INT(bad, 0);
		free(w);
	}
	ner_no_avx2 = 0;
}

/* ner_add_scaled rounds exactly as the scalar expression. */
static void test_add_scaled(void)
{
	int bad = 0;
	for (int rep = 0; rep < 2000; rep++) {
		uint32_t st = rep % 2 ? 16 : 8 + rnd() % 9;
		int32_t acc[16];
		float got[16], want[16];
		float scale = (float)(rnd() % 100000 + 1) / 3.0e7f;
		for (uint32_t t = 0; t < 16; t++) {
			acc[t] = (int32_t)(rnd() % 4000001) - 2000000;
			got[t] = want[t] = (float)((int32_t)(rnd() % 20001) - 10000) / 7.0f;
		}
		ner_add_scaled(acc, st, scale, got);
		for (uint32_t t = 0; t < st; t++)
			want[t] += (float)acc[t] * scale;
		bad += memcmp(got, want, sizeof got) != 0;
	}
	CHECK_INT(bad, 0);
}

/* ner_sum_scaled (with AVX2: sums kept in registers) gives what
 * ner_sum_rows then ner_add_scaled give, bit for bit: both row widths,
 * with and without a start, onto another array and in place (fails on
 * a tag out of order or a rounding that differs). */
static void test_sum_scaled(void)
{
	enum { NROW = 512 };
	int bad = 0;
	for (int path = 0; path < 4; path++) {
		uint32_t st = path < 2 ? 16 : 8;
		ner_no_avx2 = path == 1;
		int16_t *w = rand_table(NROW, st);
		uint32_t rows[NER_NSTATIC];
		for (size_t n = 0; n <= 70; n++) {
			for (size_t f = 0; f < n; f++)
				rows[f] = rnd() % NROW;
			int32_t init[16], acc[16];
			float add[16], want[16], got[16], self[16];
			float scale = (float)(rnd() % 100000 + 1) / 3.0e7f;
			for (uint32_t t = 0; t < 16; t++) {
				init[t] = (int32_t)(rnd() % 200001) - 100000;
				add[t] = (float)((int32_t)(rnd() % 20001) - 10000) / 7.0f;
			}
			const int32_t *ip = n % 3 ? init : NULL;
			ner_sum_rows(w, st, rows, n, ip, acc);
			memcpy(want, add, sizeof want);
			for (uint32_t t = 0; t < st; t++)
				want[t] += (float)acc[t] * scale;
			ner_sum_scaled(w, st, rows, n, ip, scale, add, got);
			memcpy(self, add, sizeof self);
			ner_sum_scaled(w, st, rows, n, ip, scale, self, self);
			bad += memcmp(got, want, st * sizeof *got) != 0;
			bad += memcmp(self, want, st * sizeof *self) != 0;
		}
		free(w);
	}
	ner_no_avx2 = 0;
	CHECK_INT(bad, 0);
}

/* A model with int16 weights in -3..3 (many exact ties between
 * candidates) or float weights (training), made in memory. */
static ner_model *decode_model(int scheme, int floats)
{
	ner_model *m = calloc(1, sizeof *m);
	m->scheme = (uint32_t)scheme;
	m->ntags = scheme == NER_SCHEME_BILOU ? 17 : 9;
	m->row_bits = 12;
	m->scale = 0.5f;
	m->beam = 6;
	size_t nw = ((size_t)1 << m->row_bits) * (m->ntags - 1);
	if (floats) {
		m->wf = malloc(nw * sizeof *m->wf);
		for (size_t i = 0; i < nw; i++)
			m->wf[i] = (float)((int)(rnd() % 61) - 30) / 8.0f;
		return m;
	}
	int16_t *w = malloc(nw * sizeof *w);
	for (size_t i = 0; i < nw; i++)
		w[i] = (int16_t)((int)(rnd() % 7) - 3);
	m->w = w;
	m->owned[0] = w;
	return m;
}

/* The beam search as first written: every hypothesis scored on its own
 * (ner_path_dynamic), every tag tried in order. */
static void ref_beam(const ner_model *m, const ner_tok *t, size_t n,
		     ner_work *w, int beam, uint8_t *out)
{
	typedef struct {
		float s;
		uint8_t tags[NER_BEAM_SPAN];
	} rhyp;
	int scheme = (int)m->scheme, prev = -1, prev2 = -1;
	ner_hist_reset(w);
	for (size_t a = 0, b; a < n; a = b) {
		b = ner_beam_seg_end(t, n, a);
		rhyp h[2][NER_BEAM_MAX];
		int nh = 1, cur = 0;
		h[0][0].s = 0;
		for (size_t i = a; i < b; i++) {
			int last = i + 1 == n || t[i + 1].sent_start;
			float cs[NER_BEAM_MAX];
			int cb[NER_BEAM_MAX], ct[NER_BEAM_MAX], nc = 0;
			for (int k = 0; k < nh; k++) {
				const rhyp *x = &h[cur][k];
				float sc[NER_MAXTAGS] = {0};
				uint32_t dyn[NER_NDYN];
				ner_score_stage(m, 1, &w->rows[i * NER_NSTATIC],
						w->nrows[i], sc);
				size_t nd = ner_path_dynamic(m, w, t, a, i, x->tags,
							     prev, prev2, dyn);
				ner_score_stage(m, 1, dyn, nd, sc);
				int p = t[i].sent_start ? -1
					: i == a	? prev
							: x->tags[i - 1 - a];
				for (int tg = 0; tg < (int)m->ntags; tg++) {
					if (!ner_tag_valid(scheme, p, tg) ||
					    (last && !ner_tag_final_ok(scheme, tg)))
						continue;
					float v = x->s + sc[tg];
					if (nc == beam && v <= cs[nc - 1])
						continue;
					int q = nc < beam ? nc++ : nc - 1;
					for (; q > 0 && cs[q - 1] < v; q--) {
						cs[q] = cs[q - 1];
						cb[q] = cb[q - 1];
						ct[q] = ct[q - 1];
					}
					cs[q] = v;
					cb[q] = k;
					ct[q] = tg;
				}
			}
			if (!nc) {
				cs[0] = h[cur][0].s;
				cb[0] = ct[0] = 0;
				nc = 1;
			}
			for (int q = 0; q < nc; q++) {
				h[!cur][q] = h[cur][cb[q]];
				h[!cur][q].tags[i - a] = (uint8_t)ct[q];
				h[!cur][q].s = cs[q];
			}
			cur = !cur;
			nh = nc;
		}
		memcpy(out + a, h[cur][0].tags, b - a);
		for (size_t j = a; j < b; j++)
			ner_hist_add(m, w, j, out[j]);
		if (b - a >= 2)
			prev2 = t[b - 1].sent_start ? -1 : out[b - 2];
		else
			prev2 = t[a].sent_start ? -1 : prev;
		prev = out[b - 1];
	}
}

/* ner_decode_beam (shared dynamic sums, candidate masks, per-word
 * positions, the bar of one candidate per hypothesis) gives the
 * reference's tags on random documents, compiled for AVX2 (where the
 * CPU has it) or not, int16 models also as loaded ones (split rows,
 * word sums; fails when a sum drops a row): both schemes, int16 (with ties)
 * and float weights, beams 2..8, sentences shorter and longer than a
 * segment, names repeated so that the tag history matters (fails when
 * the bar also drops the candidates equal to it, or is the highest of
 * its candidates instead of the lowest, or when hypotheses share scores
 * by their tags alone where a name repeated in the segment gave them
 * different histories, or keep a token's history rows for the next). */
static void test_beam_reference(void)
{
	static const char *const vocab[] = {
		"Merkel", "Paris", "Bank", "of", "England", "the", "said",
		"Real", "Madrid", "NEW", "YORK", ",", ".", "12", "U.S.",
		"Reuters", "and", "Berlin-based", "talks", "Monday", "John",
		"smith", "Smith", "in", "IBM", "-", "Lyon", "Fund"};
	enum { NV = sizeof vocab / sizeof *vocab, MAXN = 400 };
	static ner_tok t[MAXN];
	uint8_t got[MAXN], want[MAXN];
	int bad = 0, runs = 0, split = 0;
	for (int path = 0; path < 2; path++) /* AVX2 where the CPU has it */
	for (int scheme = 0; scheme < 2; scheme++)
		for (int floats = 0; floats < 2; floats++) {
			ner_no_avx2 = path;
			ner_model *m = decode_model(scheme, floats);
			ner_work w, ws;
			memset(&w, 0, sizeof w);
			memset(&ws, 0, sizeof ws);
			for (int doc = 0; doc < 40; doc++) {
				size_t n = 1 + rnd() % MAXN;
				uint32_t slen = doc % 3 ? 4 + rnd() % 20 : 150;
				for (size_t i = 0; i < n; i++) {
					const char *v = vocab[rnd() % NV];
					t[i] = (ner_tok){v, (uint32_t)strlen(v),
							 (uint8_t)(i == 0 || rnd() % slen == 0)};
				}
				int beam = 2 + doc % 7;
				CHECK(ner_static(m, t, n, &w) == CHR_OK);
				ref_beam(m, t, n, &w, beam, want);
				ner_hist_reset(&w);
				ner_decode_beam(m, 1, t, n, &w, got, beam);
				bad += memcmp(got, want, n) != 0;
				runs++;
				if (floats)
					continue;
				/* as a loaded model (a serial number): split
				 * rows, word sums, the sum after O */
				ner_model lm = *m;
				lm.serial = 7777;
				CHECK(ner_static(&lm, t, n, &ws) == CHR_OK);
				CHECK_INT(ws.sserial, 7777);
				ner_decode_beam(&lm, 1, t, n, &ws, got, beam);
				bad += memcmp(got, want, n) != 0;
				split++;
			}
			ner_work_free(&w);
			ner_work_free(&ws);
			ner_model_free(m);
		}
	ner_no_avx2 = 0;
	CHECK_INT(runs, 320);
	CHECK_INT(split, 160);
	CHECK_INT(bad, 0);
}

static const th_test tests[] = {
	TEST(test_beam_reference),
	TEST(test_sum_rows),
	TEST(test_add_scaled),
	TEST(test_sum_scaled),
};

TH_MAIN("test_ner_decode", tests)
