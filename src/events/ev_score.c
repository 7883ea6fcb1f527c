/*
 * ev_score: how well a doc matches an event, the features of the join
 * model (see events.h, "Scoring").
 *
 * Design note: this is the engine's hot loop (an article is scored
 * against up to EV_MAXCAND events and their recent members), split from
 * ev_engine.c so that the index, adding, merging and retirement read
 * apart from the arithmetic.  Every cache here is exact: the doc's
 * weights are tabled per (vector, doc generation, doc count), a
 * centroid's norm is kept until it changes or a doc is observed, and a
 * cosine sums the same products in the same (id) order whichever path
 * computes it, so results do not depend on what happened to be cached.
 * A cosine walks the centroid (at most EV_CENT_BODY ids) and asks the
 * doc's table for each id; the table's byte filter answers most of them
 * (absent) in one load and test, and a walk that needs nothing of the
 * ids the doc lacks tests the filter four ids at a time (tab_next), or
 * eight with one AVX2 gather where the CPU has it (asked at run time:
 * the build targets plain x86-64; the same ids in the same order).  A
 * centroid's norm (with the dot product, when the norm is stale, in the
 * same pass: cent_walk) weighs four entries at a time with AVX2: their
 * df and idf memo entries gathered, each lane the scalar operation (no
 * fused multiply-add), the squares added one by one in id order.  An
 * inverted layout (term -> held events) was not tried: it must be kept
 * up at every centroid change and a common term's list is long, while
 * the walk is now a few instructions per id.  Top keys are chosen by
 * quickselect (ev_select_keyw), not by sorting.  ev_add's first stage
 * (ev_prescores) looks the doc's body and headline slots up once for
 * all its candidates (~43 a doc on Reuters), not twice per candidate
 * (with cent_walk_avx2's stale blocks taken packed, the whole Reuters
 * file, one thread: ev_add 4,867.6 -> 4,596.2 M instructions, the first
 * stage 1,719.7 -> 1,582.3 M, cent_walk_avx2 1,754.2 -> 1,596.7 M).
 * What is left is mostly the semantics' own floor: the first stage's
 * kept norm depends on when an exact cosine last computed it, so every
 * exact centroid norm walk now made (the full-k candidates' body and
 * headline, the first stage's too-old norms) must still be made at the
 * same doc count, or later first-stage ranks would move; and each
 * (doc count, df) pair a walk meets costs one log() (~420 a doc on the
 * whole Reuters file, ~10% of the engine).  A candidate's members and
 * entities are never ranked by the first stage, but every one of their
 * cosines is read by the content floor or the features.
 */
#include "events.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define EV_AVX2 1
#endif

int ev_has_id(const ev_vec *v, uint32_t id)
{
	uint32_t lo = 0, hi = v->n;
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		if (v->v[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < v->n && v->v[lo].id == id;
}


double ev_idf(const ev_engine *e, uint32_t df)
{
	return ev_idfm(e, df);
}

int ev_cmp_keyw(const void *a, const void *b)
{
	const ev_keyw *x = a, *y = b;
	if (x->w != y->w)
		return x->w > y->w ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* x before y in ev_cmp_keyw's order (weight desc, then id). */
static int kw_before(const ev_keyw *x, const ev_keyw *y)
{
	return x->w > y->w || (x->w == y->w && x->id < y->id);
}

static void kw_swap(ev_keyw *a, size_t i, size_t j)
{
	ev_keyw t = a[i];
	a[i] = a[j];
	a[j] = t;
}

/* Quickselect: reorder a[0..n) so that a[0..m) are its m first entries
 * in ev_cmp_keyw's order (in no particular order among themselves).
 * The order is total when the ids are distinct, so the set is exactly
 * what sorting and taking the first m gives; this does a few compares
 * per entry where a sort did log n calls through qsort. */
void ev_select_keyw(ev_keyw *a, size_t n, size_t m)
{
	size_t lo = 0, hi = n;
	if (m >= n || !m)
		return;
	while (hi - lo > 2) {
		/* median of three to a[hi - 1] as the pivot */
		size_t mid = lo + (hi - lo) / 2;
		if (kw_before(&a[mid], &a[lo]))
			kw_swap(a, mid, lo);
		if (kw_before(&a[hi - 1], &a[lo]))
			kw_swap(a, hi - 1, lo);
		if (kw_before(&a[mid], &a[hi - 1]))
			kw_swap(a, mid, hi - 1);
		ev_keyw p = a[hi - 1];
		size_t s = lo;
		for (size_t i = lo; i < hi - 1; i++)
			if (kw_before(&a[i], &p))
				kw_swap(a, i, s++);
		kw_swap(a, s, hi - 1);
		/* a[lo..s) before the pivot, a[s] the pivot, the rest after */
		if (m < s)
			hi = s;
		else if (m > s + 1)
			lo = s + 1;
		else
			return;
	}
	if (hi - lo == 2 && kw_before(&a[lo + 1], &a[lo]))
		kw_swap(a, lo, lo + 1);
}

/* x into out, the sorted run of the top k of *n keys so far (the
 * small path of ev_top_keys). */
static inline void top_put(ev_keyw *out, size_t *n, size_t k, ev_keyw x)
{
	if (*n == k && ev_cmp_keyw(&x, &out[k - 1]) >= 0)
		return;
	size_t j = *n < k ? (*n)++ : k - 1;
	while (j > 0 && ev_cmp_keyw(&x, &out[j - 1]) < 0) {
		out[j] = out[j - 1];
		j--;
	}
	out[j] = x;
}

/* The top k keys of v by saturated tf x idf, into out; returns count.
 * Small k (the index keys, the key entities) keeps a sorted run of k by
 * insertion, with no allocation or sort of the whole vector; the order
 * (weight, then id) is total, so the result is the same as sorting. */
size_t ev_top_keys(const ev_engine *e, const uint32_t *df,
		   const ev_vec *v, size_t k, ev_keyw *out)
{
	ev_idfv idv = ev_idf_view(e);
	if (k <= EV_TOPK_SMALL) {
		size_t n = 0;
		for (uint32_t i = 0; i < v->n; i++) {
			ev_keyw x = { v->v[i].id,
				      ev_sat(v->v[i].tf) *
					      ev_idfv_get(&idv, df[v->v[i].id]) };
			top_put(out, &n, k, x);
		}
		return n;
	}
	ev_keyw *all = malloc((v->n + 1) * sizeof *all);
	if (!all)
		return 0;
	for (uint32_t i = 0; i < v->n; i++) {
		all[i].id = v->v[i].id;
		all[i].w = ev_sat(v->v[i].tf) *
			   ev_idfv_get(&idv, df[v->v[i].id]);
	}
	size_t n = v->n < k ? v->n : k;
	ev_select_keyw(all, v->n, n);
	qsort(all, n, sizeof *all, ev_cmp_keyw);
	memcpy(out, all, n * sizeof *out);
	free(all);
	return n;
}

/* ---- similarity --------------------------------------------------------- */

/* Slot of id in a weight table of mask + 1 entries (a power of two). */
static uint32_t tab_hash(uint32_t id, uint32_t mask)
{
	return (id * 0x9E3779B1u >> 7) & mask;
}

/* A table of at most this many slots clears its filter bytes one by one
 * (its keys say which are set) when the slot is filled again; a larger
 * one clears the whole filter (8 kB), which a short vector's few bytes
 * (a headline's, a doc's entities) need not. */
#define TAB_CLEAR_KEYS 128

/* Squared norm of doc vector a (saturated tf x idf). */
static double vec_norm2(const ev_engine *e, const uint32_t *df,
			const ev_vec *a)
{
	ev_idfv idv = ev_idf_view(e);
	double na = 0;
	for (uint32_t i = 0; i < a->n; i++) {
		double x = ev_sat(a->v[i].tf) *
			   ev_idfv_get(&idv, df[a->v[i].id]);
		na += x * x;
	}
	return na;
}

/* Fill the slot's table with a's weights (and w, by position); on
 * allocation failure or a vector over e->tab_max the slot has no table
 * (cosine walks).  Returns a's squared norm (vec_norm2: the same
 * weights summed in the same order, here in the fill's pass). */
static double tab_fill(const ev_engine *e, const uint32_t *df,
		       ev_normc *s, const ev_vec *a)
{
	ev_idfv idv = ev_idf_view(e);
	/* the filter holds exactly the keys of the table of old slots (0:
	 * no table, the filter is cleared whole) */
	uint32_t old = s->cap;
	s->cap = 0;
	if (a->n > e->tab_max)
		return vec_norm2(e, df, a);
	uint32_t cap = 64;
	while (cap < 2 * a->n)
		cap *= 2;
	if (cap > s->tabcap) {
		uint32_t *k = realloc(s->key, cap * sizeof *k);
		if (k)
			s->key = k;
		double *v = k ? realloc(s->val, cap * sizeof *v) : NULL;
		if (v)
			s->val = v;
		double *w = v ? realloc(s->w, cap * sizeof *w) : NULL;
		if (w)
			s->w = w;
		if (!k || !v || !w)
			return vec_norm2(e, df, a);
		s->tabcap = cap;
	}
	if (old && old <= TAB_CLEAR_KEYS) {
		for (uint32_t h = 0; h < old; h++)
			if (s->key[h])
				s->filter[(s->key[h] - 1) % EV_TAB_FILTER] = 0;
	} else {
		memset(s->filter, 0, sizeof s->filter);
	}
	memset(s->key, 0, cap * sizeof *s->key);
	double na = 0;
	for (uint32_t i = 0; i < a->n; i++) {
		uint32_t id = a->v[i].id, h = tab_hash(id, cap - 1);
		while (s->key[h])
			h = (h + 1) & (cap - 1);
		s->key[h] = id + 1;
		s->filter[id % EV_TAB_FILTER] = 0x80; /* (tab_next_avx2) */
		double x = ev_sat(a->v[i].tf) * ev_idfv_get(&idv, df[id]);
		s->val[h] = s->w[i] = x;
		na += x * x;
	}
	s->cap = cap;
	return na;
}

/* id's weight in a's table (ev_normc.val), or NULL when a lacks id;
 * the caller has seen the filter admit id. */
static inline const double *tab_probe(const ev_normc *s, uint32_t id)
{
	uint32_t mask = s->cap - 1, h = tab_hash(id, mask);
	for (;;) {
		uint32_t k = s->key[h];
		if (k == id + 1)
			return &s->val[h];
		if (!k)
			return NULL;
		h = (h + 1) & mask;
	}
}

/* id's weight in a's table, or NULL when a lacks id; the filter answers
 * most of the misses. */
static inline const double *tab_find(const ev_normc *s, uint32_t id)
{
	return s->filter[id % EV_TAB_FILTER] ? tab_probe(s, id) : NULL;
}

/* The first index in v[j..n) whose id a's filter admits (n when none).
 * A walk of a centroid against a doc's table skips most of its ids (on
 * Reuters ~94% miss), so it tests the filter four ids at a time: one
 * branch where there were four.  The ids it admits come in order, so a
 * walk over them sums the same products in the same order. */
static inline uint32_t tab_next(const ev_normc *s, const ev_tw *v,
				uint32_t j, uint32_t n)
{
	const unsigned char *f = s->filter;
	const ev_tw *p = v + j, *end = v + n;
	while (end - p >= 4 &&
	       !(f[p[0].id % EV_TAB_FILTER] | f[p[1].id % EV_TAB_FILTER] |
		 f[p[2].id % EV_TAB_FILTER] | f[p[3].id % EV_TAB_FILTER]))
		p += 4;
	while (p < end && !f[p->id % EV_TAB_FILTER])
		p++;
	return (uint32_t)(p - v);
}

/* c's weight for the centroid entry t (mean over n) times the doc's,
 * added to *dot when the doc's table has t's id (the filter admitted
 * it). */
static inline void tab_add(double *dot, const ev_normc *s, ev_idfv *idv,
			   const uint32_t *df, const ev_tw *t, uint32_t n)
{
	const double *x = tab_probe(s, t->id);
	if (x)
		*dot += *x * (ev_sat(t->tf / n) * ev_idfv_get(idv, df[t->id]));
}

/* The walk of tab_dot and tab_dot_avx2 (next: the filter test), over
 * s, c, n, df and idv in scope, summing into dot. */
#define TAB_DOT_WALK(next, dot)                                   \
	for (uint32_t j_ = next(s, c->v, 0, c->n); j_ < c->n;     \
	     j_ = next(s, c->v, j_ + 1, c->n))                       \
		tab_add(&(dot), s, &idv, df, &c->v[j_], n)

/* The dot product of the doc (its table s) and centroid c (mean over
 * n), over the ids the filter admits, in id order. */
static double tab_dot(const ev_engine *e, const uint32_t *df,
		      const ev_normc *s, const ev_cent *c, uint32_t n)
{
	ev_idfv idv = ev_idf_view(e);
	double dot = 0;
	TAB_DOT_WALK(tab_next, dot);
	return dot;
}

#ifdef EV_AVX2
int ev_avx2_ok(void)
{
	return __builtin_cpu_supports("avx2");
}

/* The ids of the eight entries p[0..8), in order: two loads, a shuffle
 * (ids of entries 0 1 4 5 | 2 3 6 7) and a permute. */
__attribute__((target("avx2"))) static inline __m256i ids8(const ev_tw *p)
{
	_Static_assert(sizeof(ev_tw) == 8, "ev_tw: id, tf");
	const float *f = (const float *)(const void *)p;
	__m256 a = _mm256_loadu_ps(f), b = _mm256_loadu_ps(f + 8);
	__m256i id = _mm256_castps_si256(
		_mm256_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0)));
	return _mm256_permute4x64_epi64(id, _MM_SHUFFLE(3, 1, 2, 0));
}

/* tab_next eight ids at a time: their ids (ids8), one gather their
 * filter bytes (four bytes at each id's, the id's own the low one: at
 * the filter's last byte the other three are the slot's own,
 * ev_normc.top), a shift moves each one's top bit (a set byte is 0x80)
 * to its lane's sign, and the first admitted id is the lowest bit of
 * the signs' mask. */
__attribute__((target("avx2"))) static inline uint32_t
tab_next_avx2(const ev_normc *s, const ev_tw *v, uint32_t j, uint32_t n)
{
	const int *f = (const int *)(const void *)s->filter;
	const __m256i low = _mm256_set1_epi32(EV_TAB_FILTER - 1);
	_Static_assert(offsetof(ev_normc, filter) + EV_TAB_FILTER + 3 <=
			       sizeof(ev_normc),
		       "the gather's last four bytes are the slot's");
	for (; n - j >= 8; j += 8) {
		__m256i id = ids8(v + j);
		__m256i g = _mm256_i32gather_epi32(f, _mm256_and_si256(id, low),
						   1);
		unsigned m = (unsigned)_mm256_movemask_ps(
			_mm256_castsi256_ps(_mm256_slli_epi32(g, 24)));
		if (m)
			return j + (uint32_t)__builtin_ctz(m);
	}
	return tab_next(s, v, j, n);
}

__attribute__((target("avx2"))) uint32_t
ev_stamp_next_avx2(const uint32_t *at, uint32_t stamp, const ev_tw *v,
		   uint32_t j, uint32_t n)
{
	const __m256i st = _mm256_set1_epi32((int)stamp);
	for (; n - j >= 8; j += 8) {
		__m256i g = _mm256_i32gather_epi32((const int *)(const void *)at,
						   ids8(v + j), 4);
		unsigned m = (unsigned)_mm256_movemask_ps(
			_mm256_castsi256_ps(_mm256_cmpeq_epi32(g, st)));
		if (m)
			return j + (uint32_t)__builtin_ctz(m);
	}
	while (j < n && at[v[j].id] != stamp)
		j++;
	return j;
}

/* tab_dot with tab_next_avx2: the same ids in the same order. */
__attribute__((target("avx2"))) static double
tab_dot_avx2(const ev_engine *e, const uint32_t *df, const ev_normc *s,
	     const ev_cent *c, uint32_t n)
{
	ev_idfv idv = ev_idf_view(e);
	double dot = 0;
	TAB_DOT_WALK(tab_next_avx2, dot);
	return dot;
}
#else
int ev_avx2_ok(void)
{
	return 0;
}

uint32_t ev_stamp_next_avx2(const uint32_t *at, uint32_t stamp,
			    const ev_tw *v, uint32_t j, uint32_t n)
{
	while (j < n && at[v[j].id] != stamp)
		j++;
	return j;
}
#endif

/* tab_dot, with AVX2 where the engine may use it. */
static double tab_dot_any(const ev_engine *e, const uint32_t *df,
			  const ev_normc *s, const ev_cent *c, uint32_t n)
{
#ifdef EV_AVX2
	if (e->avx2)
		return tab_dot_avx2(e, df, s, c, n);
#endif
	return tab_dot(e, df, s, c, n);
}

/* The cache slot of doc vector a for the current doc generation and
 * doc count, filled on a miss (norm and weight table), or NULL when the
 * engine has no cache (allocation failed at init).  An article is scored
 * against up to EV_MAXCAND events and their members with the same
 * vectors; e->docgen changes whenever a doc vector is (re)filled
 * (ev_doc_build, event_as_doc). */
static const ev_normc *doc_slot(const ev_engine *e, const uint32_t *df,
				const ev_vec *a)
{
	ev_normc *slot = NULL;
	for (int k = 0; e->normc && k < EV_NORMC; k++) {
		ev_normc *c = &e->normc[k];
		if (c->v == a && c->gen == e->docgen && c->at == e->ndocs + 1)
			return c;
		if (!slot || c->used < slot->used)
			slot = c;
	}
	if (!slot)
		return NULL;
	slot->v = a;
	slot->gen = e->docgen;
	slot->at = e->ndocs + 1;
	slot->used = ++e->normc_tick[0];
	slot->topk = 0;
	slot->norm = tab_fill(e, df, slot, a);
	return slot;
}

const double *ev_doc_weights(const ev_engine *e, const ev_vec *a)
{
	for (int k = 0; e->normc && k < EV_NORMC; k++) {
		const ev_normc *c = &e->normc[k];
		if (c->v == a && c->gen == e->docgen && c->at == e->ndocs + 1)
			return c->cap ? c->w : NULL;
	}
	return NULL;
}

/* The weight of centroid entry t (mean tf over n): saturated tf x idf. */
static inline double cent_y(const ev_tw *t, uint32_t n, ev_idfv *idv,
			    const uint32_t *df)
{
	return ev_sat(t->tf / n) * ev_idfv_get(idv, df[t->id]);
}

/* cent_walk from entry j on, one entry at a time: the squares added to
 * *nc and, with a table s, the products to *dot, in id order. */
static inline void cent_rest(const ev_cent *c, uint32_t j, uint32_t n,
			     ev_idfv *idv, const uint32_t *df,
			     const ev_normc *s, double *nc, double *dot)
{
	double nc_ = *nc, dot_ = *dot; /* locals: the memo's stores */
	for (; j < c->n; j++) {
		double y = cent_y(&c->v[j], n, idv, df);
		nc_ += y * y;
		const double *x = s ? tab_find(s, c->v[j].id) : NULL;
		if (x)
			dot_ += *x * y;
	}
	*nc = nc_;
	*dot = dot_;
}

#ifdef EV_AVX2
/* cent_walk four entries at a time: one load and a permute put their
 * ids and tfs apart, one gather reads their df, two their idf memo
 * entries (the stamp, then the value), and the saturations and weights
 * are packed operations, each lane the scalar operation on the same
 * values (IEEE; no fused multiply-add), so each weight is bit for bit
 * cent_y's.  The squares are added to the norm one by one in id order,
 * as cent_walk adds them.  A block with a df past the memo is weighed
 * by cent_y; one with a stale memo entry (the first walks after each
 * observed doc meet ~360 on Reuters) has its four entries filled
 * (ev_idfv_get) and is then weighed packed, where it took four cent_y
 * calls (whole Reuters file: 30% of the blocks).  A loop that leaves
 * the packed one for the calls (log, through ev_idf_of), so that the
 * compiler keeps its constants in registers, took as many instructions
 * (a stale block is then gathered twice).  With a
 * table s, a gather of the four ids' filter bytes admits the ids to
 * probe (tab_next_avx2), in order. */
__attribute__((target("avx2"))) static double
cent_walk_avx2(const uint32_t *df, ev_idfv *idv, const ev_cent *c,
	       uint32_t n, const ev_normc *s, double *dotp)
{
	_Static_assert((EV_IDF_MEMO & (EV_IDF_MEMO - 1)) == 0 &&
			       EV_IDF_MEMO <= 1 << 24,
		       "a memo index doubled fits a gather's int");
	_Static_assert(sizeof(ev_idf_ent) == 16 &&
			       offsetof(ev_idf_ent, idf) == 8,
		       "ev_idf_ent: at, idf");
	const __m256i perm = _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7);
	const __m128 nf = _mm_set1_ps((float)n);
	const __m256d k1 = _mm256_set1_pd(EV_SAT_K + 1);
	const __m256d k0 = _mm256_set1_pd(EV_SAT_K);
	const __m256i now = _mm256_set1_epi64x((long long)idv->now);
	const __m128i past = _mm_set1_epi32(~(EV_IDF_MEMO - 1));
	const __m128i low = _mm_set1_epi32(EV_TAB_FILTER - 1);
	const long long *at = (const long long *)(const void *)idv->memo;
	const double *idf = &idv->memo->idf;
	const int *f = s ? (const int *)(const void *)s->filter : NULL;
	double nc = 0, dot = 0, y[4], sq[4];
	uint32_t j = 0;
	for (; c->n - j >= 4; j += 4) {
		const ev_tw *t = c->v + j;
		__m256i e4 = _mm256_permutevar8x32_epi32(
			_mm256_loadu_si256((const __m256i *)(const void *)t),
			perm); /* ids | tfs */
		__m128i id = _mm256_castsi256_si128(e4);
		__m128i d = _mm_i32gather_epi32((const int *)(const void *)df,
						id, 4);
		__m128i d2 = _mm_slli_epi32(d, 1);
		if (_mm_testz_si128(d, past)) {
			if (_mm256_movemask_pd(_mm256_castsi256_pd(
				    _mm256_cmpeq_epi64(
					    _mm256_i32gather_epi64(at, d2, 8),
					    now))) != 0xF) {
				/* a stale memo entry: fill the block's
				 * (ev_idfv_get), then weigh it as a fresh one */
				uint32_t dv[4];
				_mm_storeu_si128((__m128i *)(void *)dv, d);
				for (int i = 0; i < 4; i++)
					(void)ev_idfv_get(idv, dv[i]);
			}
			__m256d x = _mm256_cvtps_pd(_mm_div_ps(
				_mm_castsi128_ps(
					_mm256_extracti128_si256(e4, 1)),
				nf));
			__m256d yv = _mm256_mul_pd(
				_mm256_div_pd(_mm256_mul_pd(x, k1),
					      _mm256_add_pd(x, k0)),
				_mm256_i32gather_pd(idf, d2, 8));
			_mm256_storeu_pd(y, yv);
			_mm256_storeu_pd(sq, _mm256_mul_pd(yv, yv));
		} else {
			for (int i = 0; i < 4; i++) {
				y[i] = cent_y(&t[i], n, idv, df);
				sq[i] = y[i] * y[i];
			}
		}
		nc += sq[0];
		nc += sq[1];
		nc += sq[2];
		nc += sq[3];
		if (!f)
			continue;
		__m128i g = _mm_i32gather_epi32(f, _mm_and_si128(id, low), 1);
		unsigned m = (unsigned)_mm_movemask_ps(
			_mm_castsi128_ps(_mm_slli_epi32(g, 24)));
		for (; m; m &= m - 1) {
			int i = __builtin_ctz(m);
			const double *x = tab_probe(s, t[i].id);
			if (x)
				dot += *x * y[i];
		}
	}
	cent_rest(c, j, n, idv, df, s, &nc, &dot);
	if (dotp)
		*dotp = dot;
	return nc;
}
#endif

/* The squared norm of centroid c as mean tf (sum / n) and, with the
 * doc's table s, its dot product with the doc into *dotp (0 without a
 * table): both summed in id order.  Four entries at a time with AVX2
 * where the engine may use it (the same sums). */
static double cent_walk(const ev_engine *e, const uint32_t *df,
			const ev_cent *c, uint32_t n, const ev_normc *s,
			double *dotp)
{
	ev_idfv idv = ev_idf_view(e);
#ifdef EV_AVX2
	if (e->avx2 && idv.lim == EV_IDF_MEMO)
		return cent_walk_avx2(df, &idv, c, n, s, dotp);
#endif
	double nc = 0, dot = 0;
	cent_rest(c, 0, n, &idv, df, s, &nc, &dot);
	if (dotp)
		*dotp = dot;
	return nc;
}

double ev_cent_walk(const ev_engine *e, const uint32_t *df, const ev_cent *c,
		    uint32_t n, const ev_vec *a, double *dot)
{
	const ev_normc *s = a ? doc_slot(e, df, a) : NULL;
	return cent_walk(e, df, c, n, s && s->cap ? s : NULL, dot);
}

/* Squared norm of a centroid as mean tf (sum / n), cached in the
 * centroid until it changes (ev_cent_add, keep_top clear norm_at) or a
 * doc is observed (the idf moved).  The cache fields are written
 * through a cast: the centroid is owned by the engine, and caching does
 * not change its value. */
static double cent_norm2(const ev_engine *e, const uint32_t *df,
			 const ev_cent *c, uint32_t n)
{
	if (c->norm_at == e->ndocs + 1 && c->norm_n == n)
		return c->norm;
	double nc = cent_walk(e, df, c, n, NULL, NULL);
	ev_cent *w = (ev_cent *)c;
	w->norm = nc;
	w->norm_at = e->ndocs + 1;
	w->norm_n = n;
	return nc;
}

/* Cosine of a doc vector and a centroid (mean tf = sum / n).  The norms
 * are cached, so the walk only weighs the shared ids (the same sums in
 * the same order as a full walk: the result is bit-identical). */
static double cosine_walk(const ev_engine *e, const uint32_t *df,
			  const ev_vec *a, const ev_cent *c, uint32_t n)
{
	ev_idfv idv = ev_idf_view(e);
	if (!a->n || !c->n)
		return 0;
	const ev_normc *s = doc_slot(e, df, a);
	double na = s ? s->norm : vec_norm2(e, df, a);
	if (!(na > 0))
		return 0;
	double dot = 0;
	if (s && s->cap && !(c->norm_at == e->ndocs + 1 && c->norm_n == n)) {
		if (c->dot_v == a && c->dot_gen == e->docgen &&
		    c->dot_at == e->ndocs + 1 && c->dot_n == n) {
			/* ev_prescore's walk made the dot product (the same
			 * products in the same order as below): only the
			 * norm is left */
			double nc = cent_norm2(e, df, c, n);
			return nc > 0 ? c->dot / sqrt(na * nc) : 0;
		}
		/* the centroid's norm is stale (a doc was observed since, so
		 * every idf moved): one pass computes it and the dot product,
		 * each with the same terms in the same order as cent_norm2
		 * and the walk below */
		double nc = cent_walk(e, df, c, n, s, &dot);
		ev_cent *w = (ev_cent *)c; /* cache, as in cent_norm2 */
		w->norm = nc;
		w->norm_at = e->ndocs + 1;
		w->norm_n = n;
		return nc > 0 ? dot / sqrt(na * nc) : 0;
	}
	double nc = cent_norm2(e, df, c, n);
	if (!(nc > 0))
		return 0;
	if (s && s->cap) {
		/* walk the centroid, look its ids up in the doc's table:
		 * the same products summed in the same (id) order */
		dot = tab_dot_any(e, df, s, c, n);
		return dot / sqrt(na * nc);
	}
	uint32_t i = 0, j = 0;
	while (i < a->n && j < c->n) {
		uint32_t ia = a->v[i].id, ic = c->v[j].id;
		if (ia < ic) {
			i++;
		} else if (ic < ia) {
			j++;
		} else {
			double w = ev_idfv_get(&idv, df[ia]);
			dot += ev_sat(a->v[i++].tf) * w * (ev_sat(c->v[j++].tf / n) * w);
		}
	}
	return dot / sqrt(na * nc);
}

/* cosine_walk, with the latest result kept in the centroid: ev_add's
 * first stage (ev_prescore) takes the body and headline cosines of
 * every candidate, and ev_features asks for the same ones again for
 * the few it scores in full.  The key is that of the doc-vector cache
 * (vector, doc generation, doc count) plus the centroid's own norm key
 * (cleared whenever its entries change), so a hit returns the value a
 * walk would compute. */
static double cosine(const ev_engine *e, const uint32_t *df,
		     const ev_vec *a, const ev_cent *c, uint32_t n)
{
	uint64_t at = e->ndocs + 1;
	if (c->cos_v == a && c->cos_gen == e->docgen && c->cos_at == at &&
	    c->norm_at == at && c->norm_n == n)
		return c->cos;
	double r = cosine_walk(e, df, a, c, n);
	if (c->norm_at == at && c->norm_n == n) {
		ev_cent *w = (ev_cent *)c; /* cache, as in cent_norm2 */
		w->cos = r;
		w->cos_v = a;
		w->cos_gen = e->docgen;
		w->cos_at = at;
	}
	return r;
}

size_t ev_doc_top_keys(const ev_engine *e, const uint32_t *df,
		       const ev_vec *v, size_t k, ev_keyw *out)
{
	const ev_normc *s = k <= EV_TOPK_SMALL ? doc_slot(e, df, v) : NULL;
	if (s && s->topk >= k) { /* the top k are the first k of more */
		size_t n = s->ntop < k ? s->ntop : k;
		memcpy(out, s->top, n * sizeof *out);
		return n;
	}
	size_t n = 0;
	if (s && s->cap) /* the weights tab_fill made (ev_top_keys') */
		for (uint32_t i = 0; i < v->n; i++)
			top_put(out, &n, k, (ev_keyw){ v->v[i].id, s->w[i] });
	else
		n = ev_top_keys(e, df, v, k, out);
	if (s) {
		ev_normc *w = (ev_normc *)s; /* cache, as in cent_norm2 */
		memcpy(w->top, out, n * sizeof *out);
		w->ntop = (uint32_t)n;
		w->topk = (uint32_t)k;
	}
	return n;
}

/* ev_prescore's cosine.  The first stage only ranks the candidates, so
 * a centroid whose entries have not changed since its norm was computed
 * keeps that norm while the stream has grown by at most 1/EV_PRE_STALE
 * since (every idf moves a little with each doc; the norm was the bulk
 * of a walk: an idf and a saturation per entry), and the walk only
 * weighs the ids the doc has.  Otherwise (or without a doc table) the
 * exact cosine, which caches the norm and the value for ev_features. */
static double cosine_pre(const ev_engine *e, const uint32_t *df,
			 const ev_vec *a, const ev_normc **sp,
			 const ev_cent *c, uint32_t n)
{
	uint64_t at = e->ndocs + 1;
	if (!a->n || !c->n || c->norm_at == at || !c->norm_at ||
	    c->norm_n != n || !(c->norm > 0) ||
	    (at - c->norm_at) * EV_PRE_STALE > e->ndocs)
		return cosine(e, df, a, c, n);
	/* a's slot, looked up once for all the candidates (*sp) */
	const ev_normc *s = *sp;
	if (!s || s->v != a || s->gen != e->docgen || s->at != at)
		s = *sp = doc_slot(e, df, a);
	if (!s || !s->cap)
		return cosine(e, df, a, c, n);
	if (!(s->norm > 0))
		return 0;
	double dot = tab_dot_any(e, df, s, c, n);
	/* exact (the idf is current): ev_features' cosine_walk takes it */
	ev_cent *w = (ev_cent *)c; /* cache, as in cent_norm2 */
	w->dot = dot;
	w->dot_v = a;
	w->dot_gen = e->docgen;
	w->dot_at = at;
	w->dot_n = n;
	return dot / sqrt(s->norm * c->norm);
}

/* ev_prescore with the doc's body and headline slots in *sb, *sh. */
static double prescore(const ev_engine *e, const ev_doc *d,
		       const ev_event *ev, const ev_normc **sb,
		       const ev_normc **sh)
{
	double b = cosine_pre(e, e->tdf, &d->body, sb, &ev->body, ev->n);
	double t = cosine_pre(e, e->tdf, &d->head, sh, &ev->head, ev->n);
	return b > t ? b : t;
}

double ev_prescore(const ev_engine *e, const ev_doc *d, const ev_event *ev)
{
	const ev_normc *sb = NULL, *sh = NULL;
	return prescore(e, d, ev, &sb, &sh);
}

void ev_prescores(const ev_engine *e, const ev_doc *d, const uint32_t *c,
		  size_t n, double *s)
{
	const ev_normc *sb = NULL, *sh = NULL;
	for (size_t i = 0; i < n; i++)
		s[i] = prescore(e, d, e->ev[c[i]], &sb, &sh);
}

/* The first index in v[j..n) whose id is at least id (n when none):
 * galloping from j, then a binary search, so a short doc vector against
 * a long centroid (a headline against the body) skips most entries. */
static uint32_t first_at_least(const ev_tw *v, uint32_t j, uint32_t n,
			       uint32_t id)
{
	if (j >= n || v[j].id >= id)
		return j;
	uint32_t step = 1; /* v[j].id < id */
	while (j + step < n && v[j + step].id < id) {
		j += step;
		step *= 2;
	}
	uint32_t lo = j + 1, hi = j + step < n ? j + step : n;
	while (lo < hi) { /* v[lo - 1].id < id; v[hi].id >= id or hi == n */
		uint32_t mid = lo + (hi - lo) / 2;
		if (v[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Share of a's idf mass (idf from df) that the centroid also has. */
static double coverage(const ev_engine *e, const uint32_t *df,
		       const ev_vec *a, const ev_cent *c)
{
	ev_idfv idv = ev_idf_view(e);
	double got = 0, all = 0;
	uint32_t j = 0;
	for (uint32_t i = 0; i < a->n; i++) {
		uint32_t id = a->v[i].id;
		double w = ev_idfv_get(&idv, df[id]);
		all += w;
		j = first_at_least(c->v, j, c->n, id);
		if (j < c->n && c->v[j].id == id)
			got += w;
	}
	return all > 0 ? got / all : 0;
}

#define NKEY_ENT 3

/* The key ids of each side (the top k by weight, 0 < k <= 16;
 * entities: NKEY_ENT; the doc's from its vector's cache slot):
 * the share of the doc's the event has and of the event's the doc has,
 * averaged.  Two events of one topic share its setting
 * (the team, the city) but not who it happened to.  (The same over the
 * top 5 body terms added nothing on ECB+ dev.) */
static double key_share(const ev_engine *e, const uint32_t *df,
			const ev_vec *dv, const ev_cent *c, size_t k)
{
	ev_keyw kd[EV_TOPK_SMALL], kc[EV_TOPK_SMALL];
	size_t nd = ev_doc_top_keys(e, df, dv, k, kd);
	ev_vec cv = { c->v, c->n, c->n };
	size_t nc = ev_top_keys(e, df, &cv, k, kc);
	if (!nd || !nc)
		return 0;
	size_t a = 0, b = 0;
	for (size_t i = 0; i < nd; i++)
		a += ev_has_id(&cv, kd[i].id);
	for (size_t i = 0; i < nc; i++)
		b += ev_has_id(dv, kc[i].id);
	return 0.5 * ((double)a / nd + (double)b / nc);
}

int ev_content_pass(const ev_engine *e, const ev_doc *d, const ev_event *ev)
{
	double f[EV_NFEAT];
	f[EVF_BODY] = cosine(e, e->tdf, &d->body, &ev->body, ev->n);
	f[EVF_TITLE] = cosine(e, e->tdf, &d->head, &ev->head, ev->n);
	f[EVF_NN_BODY] = 0;
	uint32_t nm = ev->nmemb < EV_KEEP ? ev->nmemb : EV_KEEP;
	for (uint32_t k = 0; k < nm; k++) {
		double b = cosine(e, e->tdf, &d->body, &ev->mb[k], 1);
		if (b > f[EVF_NN_BODY])
			f[EVF_NN_BODY] = b;
	}
	return ev_content_ok(&e->model, f);
}

void ev_features(const ev_engine *e, const ev_doc *d, const ev_event *ev,
		 double f[EV_NFEAT])
{
	memset(f, 0, EV_NFEAT * sizeof *f);
	f[EVF_BIAS] = 1;
	f[EVF_BODY] = cosine(e, e->tdf, &d->body, &ev->body, ev->n);
	f[EVF_TITLE] = cosine(e, e->tdf, &d->head, &ev->head, ev->n);
	f[EVF_CROSS] = coverage(e, e->tdf, &d->head, &ev->body);
	if (d->ents.n && ev->ents.n) {
		f[EVF_ENT] = cosine(e, e->edf, &d->ents, &ev->ents, ev->n);
		f[EVF_ENT_COVER] = coverage(e, e->edf, &d->ents, &ev->ents);
		f[EVF_KEY_ENT] = key_share(e, e->edf, &d->ents, &ev->ents,
					   NKEY_ENT);
		f[EVF_ENT_ZERO] = f[EVF_ENT] == 0;
	} else {
		f[EVF_ENT_NONE] = 1;
	}
	if (d->person && ev->personn[0]) {
		int same = 0;
		for (int i = 0; i < EV_PERSONS; i++)
			same |= ev->personn[i] && ev->person[i] == d->person;
		f[EVF_PERSON_SAME] = same;
		f[EVF_PERSON_CLASH] = !same;
		/* one person the event is about, and the doc is about
		 * another (two DUI arrests of one team's players) */
		f[EVF_PERSON_MAJOR] = ev->personn[0] >= 2 &&
				      2u * ev->personn[0] >= ev->n &&
				      ev->person[0] != d->person;
	}
	uint32_t nm = ev->nmemb < EV_KEEP ? ev->nmemb : EV_KEEP;
	for (uint32_t k = 0; k < nm; k++) {
		double b = cosine(e, e->tdf, &d->body, &ev->mb[k], 1);
		double x = d->ents.n ? cosine(e, e->edf, &d->ents, &ev->me[k], 1) : 0;
		if (b > f[EVF_NN_BODY])
			f[EVF_NN_BODY] = b;
		if (x > f[EVF_NN_ENT])
			f[EVF_NN_ENT] = x;
	}
	/* Dates agree for most candidates in a live stream (the same days'
	 * news), so time only counts as far as the content matches too. */
	double content = f[EVF_BODY] > f[EVF_NN_BODY] ? f[EVF_BODY]
						       : f[EVF_NN_BODY];
	if (d->anchor != EV_NODAY && ev->lo != EV_NODAY) {
		int32_t dist = d->anchor < ev->lo   ? ev->lo - d->anchor
			       : d->anchor > ev->hi ? d->anchor - ev->hi
						    : 0;
		double x = dist < 366 ? e->time_x[dist] : 1;
		f[EVF_TIME] = (1 - (x > 1 ? 1 : x)) * content;
	} else {
		f[EVF_TIME_NONE] = 1;
	}
	uint32_t ny = 0, shared = 0;
	for (int i = 0; i < EV_MAXYEARS; i++)
		ny += ev->yearn[i] > 0;
	if (d->nyears && ny) {
		for (uint32_t i = 0; i < d->nyears; i++)
			for (int k = 0; k < EV_MAXYEARS; k++)
				if (ev->yearn[k] && ev->year[k] == d->years[i]) {
					shared++;
					break;
				}
		f[EVF_YEAR] = (double)shared / d->nyears * content;
		f[EVF_YEAR_CLASH] = shared == 0;
	}
	uint32_t nn = 0, nshared = 0;
	for (int k = 0; k < EV_EVNUMS; k++)
		nn += ev->numn[k] > 0;
	if (d->nnums && nn) {
		for (uint32_t i = 0; i < d->nnums; i++)
			for (int k = 0; k < EV_EVNUMS; k++)
				if (ev->numn[k] && ev->num[k] == d->nums[i]) {
					nshared++;
					break;
				}
		f[EVF_NUM_SHARE] = (double)nshared / d->nnums * content;
		f[EVF_NUM_CLASH] = d->nnums >= 2 && nn >= 2 && !nshared;
	}
	if (d->place && ev->place) {
		f[EVF_PLACE] = d->place == ev->place;
		f[EVF_PLACE_CLASH] = d->place != ev->place;
	}
	double s = ev->n < 51 ? e->size_x[ev->n] : 1;
	f[EVF_SIZE] = s > 1 ? 1 : s;
	f[EVF_BODY_ENT] = f[EVF_BODY] * f[EVF_ENT];
}

