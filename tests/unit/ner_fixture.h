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

#endif
