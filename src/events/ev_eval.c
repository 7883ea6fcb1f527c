/*
 * ev_eval: clustering scores (BCubed P/R/F1 and NMI), our own scorers.
 *
 * Design note: labels are small non-negative ints, one per item, for the
 * system and the gold clustering.  BCubed averages per item the precision
 * and recall of its cluster against its gold class (Bagga & Baldwin
 * 1998); NMI is I(S;G) / sqrt(H(S) H(G)), the normalisation used by the
 * GSDMM paper.  Both count pairs through a sorted list of (sys, gold)
 * pairs, O(n log n).
 */
#include "events.h"

#include <math.h>
#include <stdlib.h>

typedef struct pair {
	int s, g;
} pair;

static int cmp_pair(const void *a, const void *b)
{
	const pair *x = a, *y = b;
	if (x->s != y->s)
		return x->s < y->s ? -1 : 1;
	return x->g < y->g ? -1 : x->g > y->g;
}

static int maxlab(const int *v, size_t n)
{
	int m = 0;
	for (size_t i = 0; i < n; i++)
		if (v[i] > m)
			m = v[i];
	return m;
}

ev_bcubed ev_bcubed_score(const int *sys, const int *gold, size_t n)
{
	ev_bcubed r = { 0, 0, 0 };
	if (!n)
		return r;
	size_t ns = (size_t)maxlab(sys, n) + 1, ng = (size_t)maxlab(gold, n) + 1;
	size_t *cs = calloc(ns, sizeof *cs), *cg = calloc(ng, sizeof *cg);
	pair *p = malloc(n * sizeof *p);
	if (!cs || !cg || !p)
		goto out;
	for (size_t i = 0; i < n; i++) {
		cs[sys[i]]++;
		cg[gold[i]]++;
		p[i].s = sys[i];
		p[i].g = gold[i];
	}
	qsort(p, n, sizeof *p, cmp_pair);
	double ps = 0, rs = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && p[j].s == p[i].s && p[j].g == p[i].g)
			j++;
		double both = (double)(j - i);
		/* each of the `both` items has precision both/|S| */
		ps += both * both / (double)cs[p[i].s];
		rs += both * both / (double)cg[p[i].g];
		i = j;
	}
	r.p = ps / (double)n;
	r.r = rs / (double)n;
	r.f = r.p + r.r > 0 ? 2 * r.p * r.r / (r.p + r.r) : 0;
out:
	free(cs);
	free(cg);
	free(p);
	return r;
}

double ev_nmi(const int *sys, const int *gold, size_t n)
{
	if (!n)
		return 0;
	size_t ns = (size_t)maxlab(sys, n) + 1, ng = (size_t)maxlab(gold, n) + 1;
	size_t *cs = calloc(ns, sizeof *cs), *cg = calloc(ng, sizeof *cg);
	pair *p = malloc(n * sizeof *p);
	double nmi = 0;
	if (!cs || !cg || !p)
		goto out;
	for (size_t i = 0; i < n; i++) {
		cs[sys[i]]++;
		cg[gold[i]]++;
		p[i].s = sys[i];
		p[i].g = gold[i];
	}
	qsort(p, n, sizeof *p, cmp_pair);
	double N = (double)n, mi = 0, hs = 0, hg = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && p[j].s == p[i].s && p[j].g == p[i].g)
			j++;
		double nij = (double)(j - i);
		mi += nij / N * log(N * nij / ((double)cs[p[i].s] * (double)cg[p[i].g]));
		i = j;
	}
	for (size_t i = 0; i < ns; i++)
		if (cs[i])
			hs -= cs[i] / N * log(cs[i] / N);
	for (size_t i = 0; i < ng; i++)
		if (cg[i])
			hg -= cg[i] / N * log(cg[i] / N);
	nmi = hs > 0 && hg > 0 ? mi / sqrt(hs * hg) : (hs == hg ? 1 : 0);
out:
	free(cs);
	free(cg);
	free(p);
	return nmi;
}
