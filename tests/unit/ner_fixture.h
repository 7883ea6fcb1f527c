/*
 * ner_fixture: hand-made NER inputs shared by the NER test files.
 *
 * Design note: a random float model of 2^bits rows (no lexicon or
 * gazetteer) is enough to exercise features, decoding and the model
 * file, and keeps the tests independent of the trained model.
 */
#ifndef CHR_TEST_NER_FIXTURE_H
#define CHR_TEST_NER_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "entities/ner.h"
#include "entities/ner_feat.h"

/* A small model in memory with float weights (no lexicon, gazetteer). */
static inline ner_model *tiny_model(uint32_t bits)
{
	ner_model *m = calloc(1, sizeof *m);
	m->scheme = NER_SCHEME_BILOU;
	m->ntags = 17;
	m->row_bits = bits;
	m->scale = 1;
	size_t nw = ((size_t)1 << bits) * 16;
	m->wf = calloc(nw, sizeof *m->wf);
	uint64_t x = 42;
	for (size_t i = 0; i < nw; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		m->wf[i] = (float)((int)(x % 2001) - 1000) / 100.0f;
	}
	return m;
}

static inline void toks_of(const char *const *w, size_t n, ner_tok *t)
{
	for (size_t i = 0; i < n; i++)
		t[i] = (ner_tok){w[i], (uint32_t)strlen(w[i]), (uint8_t)(i == 0)};
}

/* The rows token i of t[n] leaves out of w->rows when w's rows are
 * split (a loaded model; test_ner_split.c): its word rows and the rows
 * its neighbours give it, or the sentence ends' where they are past
 * them (what w->nsum[i] sums), into out; the count. */
#define SPLIT_ROWS (NER_WROWS + 4 * NER_NBROWS)
static inline size_t split_rows(const ner_model *m, ner_work *w,
				const ner_tok *t, size_t n, size_t i,
				uint32_t *out)
{
	const uint32_t *rt = ner_rowtab_get(w, m->row_bits);
	int start = i == 0 || t[i].sent_start;
	int end = i + 1 == n || t[i + 1].sent_start;
	int start1 = start || i == 1 || t[i - 1].sent_start;
	int end1 = end || i + 2 == n || t[i + 2].sent_start;
	size_t k = ner_word_rows(m, rt, t[i].s, t[i].len, &w->wh[i], out);
	k += ner_nb_rows(m, rt, start ? NULL : &w->wh[i - 1], NB_M1, out + k);
	k += ner_nb_rows(m, rt, end ? NULL : &w->wh[i + 1], NB_P1, out + k);
	k += ner_nb_rows(m, rt, start1 ? NULL : &w->wh[i - 2], NB_M2, out + k);
	k += ner_nb_rows(m, rt, end1 ? NULL : &w->wh[i + 2], NB_P2, out + k);
	return k;
}

#endif
