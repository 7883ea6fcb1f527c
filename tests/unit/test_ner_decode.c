/*
 * test_ner_decode: the NER tagger's fast paths against plain reference
 * code: integer row sums and their scaling (ner_weights.c).
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
 * 0 included) and both row widths, with repeated rows. */
static void test_sum_rows(void)
{
	enum { NROW = 512 };
	for (uint32_t st = 8; st <= 16; st += 8) {
		int16_t *w = rand_table(NROW, st);
		uint32_t rows[NER_NSTATIC];
		int bad = 0;
		for (size_t n = 0; n <= NER_NSTATIC; n++) {
			for (size_t f = 0; f < n; f++)
				rows[f] = f % 5 == 4 ? rows[0] : rnd() % NROW;
			int32_t got[16], want[16] = {0};
			memset(got, 0x55, sizeof got);
			ner_sum_rows(w, st, rows, n, got);
			for (size_t f = 0; f < n; f++)
				for (uint32_t t = 0; t < st; t++)
					want[t] += w[(size_t)rows[f] * st + t];
			bad += memcmp(got, want, st * sizeof *got) != 0;
		}
		CHECK_INT(bad, 0);
		free(w);
	}
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

static const th_test tests[] = {
	TEST(test_sum_rows),
	TEST(test_add_scaled),
};

TH_MAIN("test_ner_decode", tests)
