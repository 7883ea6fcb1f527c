/*
 * test_events_norm: a centroid's norm and dot product walk (ev_cent_walk)
 * and a doc vector's cached norm and top keys.
 *
 * Design note: the scoring loops compute a centroid's squared norm (mean
 * tf over n, saturated, times the current idf) and, in one pass, its dot
 * product with a doc's weight table; with AVX2 four entries at a time
 * (their df and idf memo entries gathered; a block with a df past the
 * memo weighed one by one, one with a stale memo entry filled first and
 * then weighed packed).  Here centroids of 0
 * to 40 entries (every tail length) and 256 (a full body), with dfs
 * past the memo's end and the memo fresh, full or partly stale, must
 * give bit for bit what a plain loop over ev_idf_of and ev_sat gives,
 * the norm summed in id order and the dot product over the shared ids
 * in id order, with and without AVX2 (where the CPU has it).  A doc
 * vector's cache slot takes its norm and top keys from the weights its
 * table's fill makes: they must be a plain loop's norm and ev_top_keys'
 * keys, with a table and without (tab_max 0).
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>

#include "events/events.h"

#define NID 6000

static uint32_t rnd(uint64_t *s)
{
	*s = *s * 6364136223846793005u + 1442695040888963407u;
	return (uint32_t)(*s >> 33);
}

/* m ids ascending out of [0, NID), each with a tf drawn from s. */
static void fill(ev_tw *v, uint32_t m, uint64_t *s, float scale)
{
	uint32_t id = rnd(s) % 40;
	for (uint32_t i = 0; i < m; i++) {
		v[i].id = id;
		v[i].tf = (float)(1 + rnd(s) % 9) * scale +
			  (float)(rnd(s) % 100) / 37.0f;
		id += 1 + rnd(s) % 20;
	}
}

/* The plain sums: the norm of c over n in id order, and into *dot the
 * dot product with a over the shared ids in id order. */
static double reference(const ev_engine *e, const uint32_t *df,
			const ev_cent *c, uint32_t n, const ev_vec *a,
			double *dot)
{
	double nc = 0;
	*dot = 0;
	for (uint32_t j = 0; j < c->n; j++) {
		double w = ev_idf_of(e->ndocs, df[c->v[j].id]);
		double y = ev_sat(c->v[j].tf / n) * w;
		nc += y * y;
		for (uint32_t i = 0; a && i < a->n; i++)
			if (a->v[i].id == c->v[j].id)
				*dot += ev_sat(a->v[i].tf) * w * y;
	}
	return nc;
}

/* The squared norm of c's entries as a doc vector's. */
static double doc_norm(const ev_engine *e, const uint32_t *df,
		       const ev_cent *c)
{
	double na = 0;
	for (uint32_t j = 0; j < c->n; j++) {
		double x = ev_sat(c->v[j].tf) *
			   ev_idf_of(e->ndocs, df[c->v[j].id]);
		na += x * x;
	}
	return na;
}

static int same(double x, double y)
{
	return !memcmp(&x, &y, sizeof x);
}

static void test_cent_walk(void)
{
	ev_engine e;
	CHECK(ev_engine_init(&e, NULL) == CHR_OK);
	static uint32_t df[NID];
	uint64_t s = 7;
	for (int i = 0; i < NID; i++) /* one in 16 past the memo */
		df[i] = rnd(&s) % 16 ? rnd(&s) % 400
				    : EV_IDF_MEMO + rnd(&s) % 1000;
	static ev_tw cv[256], av[120];
	ev_cent c;
	memset(&c, 0, sizeof c);
	c.v = cv;
	ev_vec a = { av, 0, 120 };
	int paths = ev_avx2_ok() ? 2 : 1, checked = 0, shared = 0;
	for (int len = 0; len <= 41; len++) {
		uint32_t m = len == 41 ? 256 : (uint32_t)len;
		fill(cv, m, &s, 3.0f);
		c.n = m;
		/* a doc sharing about half of c's ids, and ids of its own */
		a.n = 0;
		for (uint32_t j = 0; j < m && a.n < 100; j++)
			if (rnd(&s) % 2)
				av[a.n++] = (ev_tw){ cv[j].id,
						     (float)(1 + rnd(&s) % 4) };
		for (uint32_t id = 1; a.n < 120 && id < NID; id += 97) {
			uint32_t k = 0;
			while (k < a.n && av[k].id < id)
				k++;
			if (k < a.n && av[k].id == id)
				continue;
			memmove(av + k + 1, av + k, (a.n - k) * sizeof *av);
			av[k] = (ev_tw){ id, 2.0f };
			a.n++;
		}
		for (uint32_t n = 1; n <= 7; n += 3) {
			e.ndocs = 100 + (uint64_t)len * 10 + n; /* every idf moves */
			double want_dot, want = reference(&e, df, &c, n, &a,
							  &want_dot);
			shared += want_dot > 0;
			for (int st = 0; st < 3; st++) {
				if (st == 2) /* a part of the memo stale */
					for (int i = 0; i < 400; i += 3)
						e.idf_memo[i] = (ev_idf_ent){ 0,
									      -1 };
				for (int p = paths - 1; p >= 0; p--) {
					/* st 0, the first path: the memo is
					 * fresh (the last doc count's) */
					e.avx2 = p;
					e.docgen++; /* a's table filled anew */
					double dot = -1, got = ev_cent_walk(
						&e, df, &c, n, &a, &dot);
					CHECK(same(got, want));
					CHECK(same(dot, want_dot));
					got = ev_cent_walk(&e, df, &c, n, NULL,
							   NULL);
					CHECK(same(got, want));
					checked++;
				}
			}
		}
	}
	CHECK_INT(checked, 42 * 3 * 3 * paths);
	CHECK(shared > 100); /* the dot products were not all 0 */
	e.avx2 = ev_avx2_ok();
	ev_engine_free(&e);
}

/* A doc vector's cache slot: its norm and top keys come from the
 * weights its table's fill makes (one pass); with and without a table
 * they are a plain loop's norm and ev_top_keys' keys, and the weights
 * ev_doc_weights hands keep_top a plain product's. */
static void test_doc_slot(void)
{
	ev_engine e;
	CHECK(ev_engine_init(&e, NULL) == CHR_OK);
	static uint32_t df[NID];
	uint64_t s = 11;
	for (int i = 0; i < NID; i++)
		df[i] = rnd(&s) % 16 ? rnd(&s) % 300
				    : EV_IDF_MEMO + rnd(&s) % 1000;
	static ev_tw av[256];
	ev_vec a = { av, 0, 256 };
	ev_cent c; /* a's entries, for doc_norm */
	memset(&c, 0, sizeof c);
	c.v = av;
	int checked = 0, tabled = 0;
	for (int len = 0; len <= 41; len++) {
		a.n = c.n = len == 41 ? 256 : (uint32_t)len;
		fill(av, a.n, &s, 1.0f);
		for (int tab = 1; tab >= 0; tab--) {
			e.tab_max = tab ? EV_TAB_MAX : 0;
			e.ndocs = 50 + (uint64_t)len * 7 + (uint64_t)tab;
			e.docgen++;
			static const size_t ks[] = { 3, 12, 16, 2 };
			for (size_t q = 0; q < 4; q++) {
				ev_keyw got[16], want[16];
				size_t n = ev_doc_top_keys(&e, df, &a, ks[q],
							   got),
				       m = ev_top_keys(&e, df, &a, ks[q],
						       want);
				int eq = n == m;
				for (size_t i = 0; eq && i < n; i++)
					eq = got[i].id == want[i].id &&
					     same(got[i].w, want[i].w);
				CHECK(eq);
			}
			const ev_normc *slot = NULL;
			for (int k = 0; k < EV_NORMC; k++)
				if (e.normc[k].v == &a &&
				    e.normc[k].gen == e.docgen)
					slot = &e.normc[k];
			CHECK(slot && same(slot->norm, doc_norm(&e, df, &c)));
			tabled += slot && slot->cap;
			checked++;
			/* the weights by position keep_top reads: a plain
			 * product's, bit for bit; none without a table, and
			 * none once the doc generation moves (a look only) */
			const double *w = ev_doc_weights(&e, &a);
			CHECK((w != NULL) == (slot && slot->cap));
			int wok = 1;
			for (uint32_t i = 0; w && i < a.n; i++)
				wok &= same(w[i], ev_sat(av[i].tf) *
							  ev_idf_of(e.ndocs,
								    df[av[i].id]));
			CHECK(wok);
			e.docgen++;
			CHECK(ev_doc_weights(&e, &a) == NULL);
		}
	}
	CHECK_INT(checked, 84);
	CHECK_INT(tabled, 43); /* the empty vector fits tab_max 0 too */
	ev_engine_free(&e);
}

int main(void)
{
	static const th_test tests[] = {
		TEST(test_cent_walk),
		TEST(test_doc_slot),
	};
	return th_run("events_norm", tests, sizeof tests / sizeof tests[0]);
}
