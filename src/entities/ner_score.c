/*
 * ner_score: entity-level precision, recall and F1 as conlleval counts them.
 *
 * Design note: this follows the chunk rules of the CoNLL shared-task
 * script: a chunk starts at B (or S/U), at I/E/L after O, or wherever the
 * type changes; it ends before B, before O, after E/L/S/U, or where the
 * type changes.  A guessed chunk is correct when it starts and ends at the
 * same tokens as a gold chunk with the same type.  So IOB1, IOB2 and
 * BILOU/IOBES tag strings are all scored the same way the script would.
 * Each sentence is closed by a boundary (O, O), as a blank line is there.
 */
#include "entities/ner.h"

#include <string.h>

int ner_type_of(const char *name, size_t n)
{
	if (n == 0)
		return 0;
	for (int k = 1; k <= NER_NTYPES; k++)
		if (strlen(ner_type_names[k]) == n &&
		    memcmp(ner_type_names[k], name, n) == 0)
			return k;
	return NER_NTYPES + 1;
}

typedef struct tagp {
	char part; /* B I E S O */
	int type;
} tagp;

static tagp parse_tag(const char *s)
{
	tagp t = {'O', 0};
	if (!s || !*s || strcmp(s, "O") == 0)
		return t;
	const char *dash = strchr(s, '-');
	char p = s[0];
	if (p == 'L')
		p = 'E';
	if (p == 'U')
		p = 'S';
	if (dash) {
		t.part = p;
		t.type = ner_type_of(dash + 1, strlen(dash + 1));
	} else {
		t.part = p;
		t.type = NER_NTYPES + 1;
	}
	return t;
}

static int chunk_end(tagp prev, tagp cur)
{
	char p = prev.part, c = cur.part;
	if (p == 'B' && (c == 'B' || c == 'O' || c == 'S'))
		return 1;
	if (p == 'I' && (c == 'B' || c == 'O' || c == 'S'))
		return 1;
	if (p == 'E' || p == 'S')
		return 1;
	if (p != 'O' && prev.type != cur.type)
		return 1;
	return 0;
}

static int chunk_start(tagp prev, tagp cur)
{
	char p = prev.part, c = cur.part;
	if (c == 'B' || c == 'S')
		return 1;
	if ((p == 'E' || p == 'S' || p == 'O') && (c == 'I' || c == 'E'))
		return 1;
	if (c != 'O' && prev.type != cur.type)
		return 1;
	return 0;
}

void ner_count_sentence(ner_counts *c, const char *const *gold,
			const char *const *pred, size_t n)
{
	tagp lg = {'O', 0}, lp = {'O', 0};
	int in_correct = 0;
	for (size_t i = 0; i <= n; i++) {
		tagp g = i < n ? parse_tag(gold[i]) : (tagp){'O', 0};
		tagp p = i < n ? parse_tag(pred[i]) : (tagp){'O', 0};
		if (in_correct) {
			int eg = chunk_end(lg, g), ep = chunk_end(lp, p);
			if (eg && ep && lg.type == lp.type) {
				in_correct = 0;
				c->correct[0]++;
				c->correct[lg.type]++;
			} else if (eg != ep || g.type != p.type) {
				in_correct = 0;
			}
		}
		int sg = chunk_start(lg, g), sp = chunk_start(lp, p);
		if (sg && sp && g.type == p.type)
			in_correct = 1;
		if (sg) {
			c->gold[0]++;
			c->gold[g.type]++;
		}
		if (sp) {
			c->pred[0]++;
			c->pred[p.type]++;
		}
		if (i < n) {
			c->tokens++;
			if (g.part == p.part && g.type == p.type)
				c->tok_correct++;
		}
		lg = g;
		lp = p;
	}
}

void ner_prf(const ner_counts *c, int k, double *p, double *r, double *f)
{
	double pp = c->pred[k] ? 100.0 * (double)c->correct[k] / (double)c->pred[k] : 0;
	double rr = c->gold[k] ? 100.0 * (double)c->correct[k] / (double)c->gold[k] : 0;
	*p = pp;
	*r = rr;
	*f = pp + rr > 0 ? 2 * pp * rr / (pp + rr) : 0;
}
