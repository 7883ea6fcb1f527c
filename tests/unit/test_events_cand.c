/*
 * test_events_cand: the order of ev_candidates' list.
 *
 * Design note: ev_candidates ranks the events its doc's keys' posting
 * lists name (more key hits, then touched later, then the smaller index)
 * with a heap and a packed key, and stops at EV_MAXCAND events that pass
 * the time gate.  Here a stream of one-article events drawn from a small
 * pool of words (so the lists overlap and the hits vary) and spread over
 * months is indexed, and for queries on the pool the list must be, entry
 * for entry, what a plain count over the same posting lists, a sort and
 * the gate give.  Each query has more ranked events than EV_MAXCAND, so
 * the cut and the order inside it are both checked.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>

#include "unit/ev_input.h"

#define NEV 400
#define POOL 160

static uint32_t rnd(uint64_t *s)
{
	*s = *s * 6364136223846793005u + 1442695040888963407u;
	return (uint32_t)(*s >> 33);
}

/* Text of n words of the pool, drawn from s. */
static void words(char *out, size_t cap, uint64_t *s, int n)
{
	size_t at = 0;
	out[0] = 0;
	for (int i = 0; i < n && at + 16 < cap; i++) {
		int w = snprintf(out + at, cap - at, "%sword%c%c", i ? " " : "",
				 'a' + (int)(rnd(s) % POOL / 8),
				 'a' + (int)(rnd(s) % 8));
		at += (size_t)w;
	}
}

typedef struct ref {
	uint32_t k, hits;
	uint64_t last;
} ref;

static int ref_cmp(const void *a, const void *b)
{
	const ref *x = a, *y = b;
	if (x->hits != y->hits)
		return x->hits > y->hits ? -1 : 1;
	if (x->last != y->last)
		return x->last > y->last ? -1 : 1;
	return x->k < y->k ? -1 : x->k > y->k;
}

static void count(const ev_engine *e, const ev_post *p, uint32_t *hits)
{
	for (uint32_t i = 0; p && i < p->n; i++) {
		size_t k = ev_live(e, p->ev[i] - 1);
		if (e->ev[k])
			hits[k]++;
	}
}

/* The list ev_candidates should give: returns its length, sets *ranked
 * to the number of events ranked before the gate and the cut and *gated
 * to the number the gate took out before the cut. */
static size_t reference(const ev_engine *e, const ev_doc *d, uint32_t *out,
			size_t *ranked, size_t *gated)
{
	static uint32_t hits[NEV];
	static ref r[NEV];
	ev_keyw kt[EV_TOPTERMS + EV_TOPTITLE], ke[EV_TOPENTS];
	size_t nt = ev_doc_top_keys(e, e->tdf, &d->body, EV_TOPTERMS, kt);
	nt += ev_doc_top_keys(e, e->tdf, &d->head, EV_TOPTITLE, kt + nt);
	size_t ne = ev_doc_top_keys(e, e->edf, &d->ents, EV_TOPENTS, ke);
	memset(hits, 0, sizeof hits);
	for (size_t i = 0; i < nt; i++)
		count(e, e->tpost[kt[i].id], hits);
	for (size_t i = 0; i < ne; i++)
		count(e, e->epost[ke[i].id], hits);
	size_t n = 0;
	for (uint32_t k = 0; k < e->nev && k < NEV; k++)
		if (hits[k]) {
			r[n].k = k;
			r[n].hits = hits[k];
			r[n++].last = e->touch[k];
		}
	qsort(r, n, sizeof *r, ref_cmp);
	*ranked = n;
	size_t m = 0;
	*gated = 0;
	for (size_t i = 0; i < n && m < EV_MAXCAND; i++) {
		if (ev_time_ok(e, d, e->ev[r[i].k]))
			out[m++] = r[i].k;
		else
			++*gated;
	}
	return m;
}

static void test_candidate_order(void)
{
	ev_engine e;
	ev_model m = ev_test_model();
	m.threshold = 1.01; /* every doc its own event */
	m.merge_threshold = 0;
	m.max_gap_days = 30; /* the stream spans three months */
	CHECK(ev_engine_init(&e, &m) == CHR_OK);
	ev_doc d;
	ev_doc_init(&d);
	uint64_t s = 7;
	char head[256], text[1024], id[16], date[32];
	for (int i = 0; i < NEV; i++) {
		words(head, sizeof head, &s, 4);
		words(text, sizeof text, &s, 12 + (int)(rnd(&s) % 20));
		snprintf(id, sizeof id, "c%d", i);
		snprintf(date, sizeof date, "1987-%02d-%02d",
			 1 + (int)(rnd(&s) % 3), 1 + (int)(rnd(&s) % 28));
		ev_input in;
		input(&in, id, head, text, date);
		size_t k;
		ev_doc_build(&e, &in, &d);
		CHECK(ev_add(&e, &d, &k, NULL) == CHR_OK);
		CHECK_INT(k, i);
	}
	int cut = 0, gated = 0;
	for (int q = 0; q < 20; q++) {
		words(head, sizeof head, &s, 5);
		words(text, sizeof text, &s, 30);
		snprintf(date, sizeof date, "1987-02-%02d", 1 + q);
		ev_input in;
		input(&in, "q", head, text, date);
		ev_doc_build(&e, &in, &d);
		ev_observe(&e, &d);
		uint32_t got[EV_MAXCAND], want[EV_MAXCAND];
		size_t n = ev_candidates(&e, &d, got), ranked, out;
		size_t w = reference(&e, &d, want, &ranked, &out);
		CHECK_INT(n, w);
		CHECK(!memcmp(got, want, w * sizeof *want));
		cut += ranked > EV_MAXCAND && n == EV_MAXCAND;
		gated += out > 0 && n == EV_MAXCAND;
	}
	CHECK(cut > 0);   /* lists longer than EV_MAXCAND were cut */
	CHECK(gated > 0); /* and the gate took some out before the cut */
	ev_doc_free(&d);
	ev_engine_free(&e);
}

int main(void)
{
	static const th_test tests[] = {
		TEST(test_candidate_order),
	};
	return th_run("events_cand", tests, sizeof tests / sizeof tests[0]);
}
