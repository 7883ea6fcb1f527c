/*
 * ner_dyn: the NER tagger's rows that depend on predicted tags.
 *
 * Design note: while decoding (ner_beam.c, or greedily in ner_feat.c),
 * each hypothesis adds to a token's static rows the dynamic ones: the
 * previous tag alone and with the word's lower case, shape and class,
 * the previous two tags, and the "extended prediction history" (the
 * share of each type among the tags this document already gave the same
 * word, counted per document slot by ner_hist_add).  After a tag O the
 * word's memo entry has its lower-case and shape rows (ner_word.c); the
 * small values come from the work area's row table.  With a two-stage
 * model, ner_aggregate appends the stage-2 rows built from the stage-1
 * tags (the token's own tag with its class, the tag bigrams and trigram
 * around it, the share of each type the first stage gave the same word
 * elsewhere in the document, the majority type with the token's own tag,
 * and the type of the word's first entity mention).
 */
#include "entities/ner_feat.h"

#include <string.h>

size_t ner_dynamic(const ner_model *m, const ner_work *w, size_t i,
		   int prev, int prev2, uint32_t *rows)
{
	return ner_dynamic_h(m, w, i, prev, prev2, w->hcnt[w->slot[i]], rows);
}

size_t ner_dyn_prev_of(const ner_model *m, const uint32_t *rt,
		       const ner_wordh *h, int prev, uint32_t *rows)
{
	return ner_dyn_prev_in(m, rt, h, prev, rows);
}

size_t ner_dyn_prev(const ner_model *m, const ner_work *w, size_t i,
		    int prev, uint32_t *rows)
{
	return ner_dyn_prev_of(m, rowtab_of(w, m->row_bits), &w->wh[i], prev,
			       rows);
}

uint32_t ner_dyn_prev2(const ner_model *m, const ner_work *w, int prev,
		       int prev2)
{
	return ner_dyn_prev2_row(rowtab_of(w, m->row_bits), m->row_bits, prev,
				 prev2);
}

int ner_dyn_uses_hist(const ner_work *w, size_t i)
{
	return ner_uses_hist(w, i);
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
	ner_hist_count(w, i, ner_tag_type((int)m->scheme, t));
}
