/*
 * test_ner_split: a token's static rows split into its word rows, whose
 * weights a word's memo entry sums, the rows its neighbours give it,
 * whose weights their memo entries sum (or the sentence ends': the
 * token's sum adds them), and the others (ner_static with a loaded
 * model of one int16 table; ner_word.c, ner_weights.c); the memo
 * entry's sum of the dynamic rows after a tag O (ner_beam.c).
 *
 * Design note: the split must change no score bit, so every check here
 * compares it with the rows in template order that a hand-made copy of
 * the same model (serial 0: never split) gets: the same rows as a
 * multiset, the same integer sums, the same floats, the same tags; and
 * a warm memo must not keep sums made for another model.  It needs the
 * trained model (models/ner.bin) for its lexicon, gazetteer and int16
 * table, and skips without it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entities/ner.h"
#include "entities/ner_feat.h"
#include "harness.h"
#include "ner_fixture.h"

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* The text: a topic headline in capitals, a hyphenated word, a word
 * past the memo's length, names in the gazetteer, a sentence-initial
 * capital and a long run of capitalised words. */
static const char *const g_text[] = {
	"SOCCER", "-", "BAYERN", "MUNICH", "BEAT", "REAL", "MADRID", ".",
	"Officials", "of", "the", "Bank", "of", "England", "met", "in",
	"New", "York", "and", "Kuala", "Lumpur", "on", "Monday", ".",
	"The", "Frankfurt-based", "Deutsche", "Bank", "said", "its",
	"Internationalisationsprogramme", "rose", "5", "pct", "to",
	"1,234.5", "million", "marks", ".", "Merkel", "'s", "party", "won",
	"."};
enum { N = sizeof g_text / sizeof *g_text };

static void text_toks(ner_tok *t)
{
	toks_of(g_text, N, t);
	t[8].sent_start = t[24].sent_start = t[39].sent_start = 1;
}

/* Token i's rows sorted into out, with its word rows and the rows of
 * its neighbours when w is split (what the token's score sums); the
 * count. */
static size_t sorted_rows(const ner_model *m, ner_work *w,
			  const ner_tok *t, size_t i, uint32_t *out)
{
	size_t n = w->nrows[i];
	memcpy(out, &w->rows[i * NER_NSTATIC], n * sizeof *out);
	if (w->sserial)
		n += split_rows(m, w, t, N, i, out + n);
	qsort(out, n, sizeof *out, cmp_u32);
	return n;
}

/* Checks token by token that w (split, model m) and f (not split,
 * model ref: the same weights) give the same rows, word sums (of the
 * word rows, and of the dynamic rows after a tag O) and static scores;
 * the number of tokens that differ. */
static int split_matches(const ner_model *m, ner_work *w,
			 const ner_model *ref, ner_work *f, const ner_tok *t)
{
	int bad = 0;
	uint32_t st = m->ntags - 1;
	for (size_t i = 0; i < N; i++) {
		uint32_t a[NER_NSTATIC + SPLIT_ROWS], b[NER_NSTATIC + SPLIT_ROWS];
		size_t na = sorted_rows(m, w, t, i, a);
		size_t nb = sorted_rows(ref, f, t, i, b);
		int same = na == nb && !memcmp(a, b, na * sizeof *a);
		/* the word sum is its rows' sum */
		uint32_t r[SPLIT_ROWS];
		size_t nr = ner_word_rows(m, ner_rowtab_get(w, m->row_bits),
					  t[i].s, t[i].len, &w->wh[i], r);
		int32_t sum[16];
		ner_sum_rows(m->w, st, r, nr, NULL, sum);
		same &= !memcmp(sum, w->wh[i].wsum, st * sizeof *sum);
		/* the token's sum adds its neighbours' rows' */
		nr = split_rows(m, w, t, N, i, r);
		ner_sum_rows(m->w, st, r, nr, NULL, sum);
		same &= !memcmp(sum, w->nsum[i], st * sizeof *sum);
		/* and the sum after a tag O is that of ner_dyn_prev's rows */
		nr = ner_dyn_prev(ref, f, i, 0, r);
		ner_sum_rows(m->w, st, r, nr, NULL, sum);
		same &= !memcmp(sum, w->wh[i].osum, st * sizeof *sum);
		/* the scores, bit for bit */
		float s1[NER_MAXTAGS] = {0}, s2[NER_MAXTAGS] = {0};
		ner_score_static(m, 1, w, i, s1);
		ner_score_stage(ref, 1, &f->rows[i * NER_NSTATIC], f->nrows[i],
				s2);
		same &= !memcmp(s1, s2, sizeof s1);
		if (!same)
			fprintf(stderr, "  token %zu (%s) differs\n", i, g_text[i]);
		bad += !same;
	}
	return bad;
}

static void test_split_rows(void)
{
	chr_ner *cm = NULL;
	if (chr_ner_load(NULL, &cm) != CHR_OK)
		SKIP("models/ner.bin not found");
	const ner_model *m = (const ner_model *)cm;
	CHECK(m->serial != 0 && m->w != NULL && m->w2 == NULL);
	ner_model hand = *m;
	hand.serial = 0; /* hand-made: never split */
	hand.map = NULL;
	ner_tok t[N];
	text_toks(t);
	ner_work w, f;
	memset(&w, 0, sizeof w);
	memset(&f, 0, sizeof f);
	CHECK(ner_static(&hand, t, N, &f) == CHR_OK);
	CHECK_INT(f.sserial, 0);
	/* cold, then warm; then the sums' path without AVX2; the tokens'
	 * hashes copied from the warm memo entries are the cold ones,
	 * byte for byte, on both paths (doc_sums_avx2 copies them with
	 * AVX2: fails when a part is left out or misplaced) */
	ner_wordh *cold = malloc(N * sizeof *cold);
	for (int pass = 0; pass < 3; pass++) {
		ner_no_avx2 = pass == 2;
		if (pass) /* (nothing left from the pass before) */
			memset(w.wh, 0xa5, N * sizeof *w.wh);
		CHECK(ner_static(m, t, N, &w) == CHR_OK);
		ner_no_avx2 = 0;
		CHECK_INT(w.sserial, m->serial);
		CHECK_INT(split_matches(m, &w, &hand, &f, t), 0);
		if (!pass)
			memcpy(cold, w.wh, N * sizeof *cold);
		else
			CHECK(memcmp(cold, w.wh, N * sizeof *cold) == 0);
	}
	free(cold);
	/* the split rows leave out the word rows and the 18 rows of the
	 * neighbours: fewer rows a token */
	size_t all = 0, left = 0;
	for (size_t i = 0; i < N; i++) {
		all += f.nrows[i];
		left += w.nrows[i];
	}
	CHECK(left + 33 * N < all);
	/* the first nsmall rows are small-value rows (not prefetched) */
	uint32_t *rt = malloc(sizeof w.rt->r);
	memcpy(rt, w.rt->r, sizeof w.rt->r);
	qsort(rt, RT_N, sizeof *rt, cmp_u32);
	int notrt = 0;
	for (size_t i = 0; i < N; i++)
		for (size_t k = 0; k < w.nsmall[i]; k++)
			notrt += !bsearch(&w.rows[i * NER_NSTATIC + k], rt, RT_N,
					  sizeof *rt, cmp_u32);
	CHECK_INT(notrt, 0);
	free(rt);
	/* the same tags (the split decoded with and without AVX2, whose
	 * copy of the beam inlines the sums) */
	uint8_t a[N], b[N];
	CHECK(ner_tag_doc(&hand, t, N, &f, b) == CHR_OK);
	for (int pass = 0; pass < 2; pass++) {
		ner_no_avx2 = pass;
		memset(a, 0xff, sizeof a);
		CHECK(ner_tag_doc(m, t, N, &w, a) == CHR_OK);
		CHECK(memcmp(a, b, N) == 0);
	}
	ner_no_avx2 = 0;
	ner_work_free(&w);
	ner_work_free(&f);
	chr_ner_free(cm);
}

/* A warm memo's word sums are made again for another loaded model
 * (another serial number, other weights): fails when a sum made for
 * the first model is kept. */
static void test_split_other_model(void)
{
	chr_ner *cm = NULL;
	if (chr_ner_load(NULL, &cm) != CHR_OK)
		SKIP("models/ner.bin not found");
	const ner_model *m = (const ner_model *)cm;
	size_t nw = ((size_t)1 << m->row_bits) * (m->ntags - 1);
	int16_t *w2 = malloc(nw * sizeof *w2);
	for (size_t i = 0; i < nw; i++)
		w2[i] = (int16_t)(m->w[i] / 2 + (int16_t)(i % 7) - 3);
	ner_model other = *m, hand;
	other.w = w2;
	other.map = NULL;
	other.serial = m->serial + 1000;
	hand = other;
	hand.serial = 0;
	ner_tok t[N];
	text_toks(t);
	ner_work w, f;
	memset(&w, 0, sizeof w);
	memset(&f, 0, sizeof f);
	CHECK(ner_static(m, t, N, &w) == CHR_OK); /* warm for m */
	CHECK(ner_static(&other, t, N, &w) == CHR_OK);
	CHECK(ner_static(&hand, t, N, &f) == CHR_OK);
	CHECK_INT(split_matches(&other, &w, &hand, &f, t), 0);
	/* and back */
	ner_model mh = *m;
	mh.serial = 0;
	mh.map = NULL;
	CHECK(ner_static(m, t, N, &w) == CHR_OK);
	CHECK(ner_static(&mh, t, N, &f) == CHR_OK);
	CHECK_INT(split_matches(m, &w, &mh, &f, t), 0);
	/* the sums differ between the two tables (the check can fail) */
	int differ = 0;
	ner_work w2k;
	memset(&w2k, 0, sizeof w2k);
	CHECK(ner_static(&other, t, N, &w2k) == CHR_OK);
	for (size_t i = 0; i < N; i++)
		differ += memcmp(w.wh[i].wsum, w2k.wh[i].wsum,
				 sizeof w.wh[i].wsum) != 0;
	CHECK(differ > N / 2);
	ner_work_free(&w2k);
	ner_work_free(&w);
	ner_work_free(&f);
	free(w2);
	chr_ner_free(cm);
}

/* The gazetteer rows (list and B/I/L/U place of the longest match of
 * each list over a token) against a plain lookup of every phrase of up
 * to NER_GAZ_MAXLEN words in its sentence: ner_static makes the keys of
 * two-word phrases a few tokens ahead (fails when a key is made for
 * another token: checked); and some phrase of two words or more
 * matches (the check can fail). */
static void test_gaz_phrases(void)
{
	chr_ner *cm = NULL;
	if (chr_ner_load(NULL, &cm) != CHR_OK)
		SKIP("models/ner.bin not found");
	const ner_model *m = (const ner_model *)cm;
	ner_tok t[N];
	text_toks(t);
	ner_work w;
	memset(&w, 0, sizeof w);
	CHECK(ner_static(m, t, N, &w) == CHR_OK);
	uint8_t len[N][NER_GAZ_LISTS], pos[N][NER_GAZ_LISTS];
	memset(len, 0, sizeof len);
	int multi = 0;
	for (size_t i = 0; i < N; i++) {
		char ph[NER_GAZ_MAXLEN * (NER_MAXWORD + 1)];
		size_t pl = 0;
		for (size_t j = i; j < N && j - i < NER_GAZ_MAXLEN; j++) {
			if (j > i && t[j].sent_start)
				break;
			if (j > i)
				ph[pl++] = ' ';
			pl += ner_lower(t[j].s, t[j].len, ph + pl);
			uint32_t mask = ner_gaz_find(m, ner_hash_word(ph, pl));
			size_t l = j - i + 1;
			multi += l > 1 && (mask & ((1u << NER_GAZ_LISTS) - 1));
			for (int g = 0; g < NER_GAZ_LISTS; g++)
				for (size_t k = i; (mask >> g & 1) && k <= j; k++)
					if (len[k][g] < l) {
						len[k][g] = (uint8_t)l;
						pos[k][g] = l == 1 ? 4 : k == i ? 1
							    : k == j ? 3 : 2;
					}
			if (!(mask & NER_GAZ_PREFIX))
				break;
		}
	}
	CHECK(multi > 0);
	const uint32_t *rt = w.rt->r;
	int bad = 0;
	for (size_t i = 0; i < N; i++) {
		int want = 0, have = 0;
		for (int g = 0; g < NER_GAZ_LISTS; g++) {
			if (!len[i][g])
				continue;
			want++;
			uint32_t r = rt[RT_GAZ + (uint32_t)g * 8 + pos[i][g]];
			int found = 0;
			for (size_t k = 0; k < w.nrows[i]; k++)
				found |= w.rows[i * NER_NSTATIC + k] == r;
			bad += !found;
		}
		for (size_t k = 0; k < w.nrows[i]; k++)
			for (uint32_t v = 0; v <= RT_GAZ_LAST - RT_GAZ; v++)
				have += w.rows[i * NER_NSTATIC + k] == rt[RT_GAZ + v];
		bad += want != have;
	}
	CHECK_INT(bad, 0);
	ner_work_free(&w);
	chr_ner_free(cm);
}

static const th_test tests[] = {
	TEST(test_split_rows),
	TEST(test_split_other_model),
	TEST(test_gaz_phrases),
};

TH_MAIN("test_ner_split", tests)
