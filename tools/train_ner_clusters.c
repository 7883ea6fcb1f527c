/*
 * train_ner_clusters: unsupervised word clusters for the NER tagger.
 *
 * Design note: predictive exchange clustering (Uszkoreit & Brants 2008),
 * the cheap relative of Brown clustering.  The class bigram model
 * P(w | v) = P(c(w) | v) P(w | c(w)) has log-likelihood
 *   sum_{v,c} f(N(v,c)) - sum_c f(N(c)) + const,   f(x) = x log x,
 * where N(v,c) counts word v followed by a word of cluster c.  Each pass
 * takes every word (most frequent first), removes it from its cluster and
 * puts it where the likelihood gains most.  The gain for every cluster is
 * a constant plus a correction only for clusters that actually follow one
 * of the word's predecessors, so a pass costs the sum over bigram types of
 * the predecessor's number of non-zero clusters, not V x C.  N(v,c) is a
 * dense matrix with per-row lists of non-zero columns.
 *
 * Three granularities come from one run: words into C1 clusters, then the
 * C1 clusters (as vertices of the cluster bigram graph) into C2, then into
 * C3.  A fourth clustering (C1 clusters) runs the same exchange on the
 * mirrored bigram graph, so it groups words by the words that follow them
 * rather than precede them.  Everything is deterministic: the corpus
 * order is fixed (sorted file names), ties are broken by word, and no
 * random numbers are used.
 *
 * Input: the unlabelled text in SHARED/data (Reuters-21578 articles.jsonl,
 * BBC .txt files, the last KCNA snapshot, ECB+ train/dev articles) plus
 * the tokens of CoNLL eng.train (never testa/testb), tokenized with the
 * tagger's tokenizer.
 * Output: "word TAB c1 TAB c2 TAB c3 TAB count TAB c4" lines, by count.
 */
#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "core/arena.h"
#include "core/hash.h"
#include "entities/ner.h"
#include "train_ner_corpus.h"

typedef struct vocab {
	ht map;
	arena mem;
	char **words;
	uint64_t *count;
	size_t n, cap;
	uint32_t *stream;
	size_t slen, scap;
} vocab;

static void die(const char *msg)
{
	fprintf(stderr, "train_ner_clusters: %s\n", msg);
	exit(1);
}

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		die("out of memory");
	return q;
}

static void put_id(vocab *v, uint32_t id)
{
	if (v->slen == v->scap) {
		v->scap = v->scap ? v->scap * 2 : 1 << 20;
		v->stream = xrealloc(v->stream, v->scap * sizeof *v->stream);
	}
	v->stream[v->slen++] = id;
}

static uint32_t word_id(vocab *v, const char *s, size_t n)
{
	if (n > NER_MAXWORD)
		n = NER_MAXWORD;
	ht_entry *e = ht_get(&v->map, s, n);
	if (e)
		return (uint32_t)e->v.num;
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 1 << 16;
		v->words = xrealloc(v->words, v->cap * sizeof *v->words);
		v->count = xrealloc(v->count, v->cap * sizeof *v->count);
	}
	char *k = arena_strndup(&v->mem, s, n);
	int created;
	e = k ? ht_put(&v->map, k, n, &created) : NULL;
	if (!e)
		die("out of memory");
	e->v.num = (int64_t)v->n;
	v->words[v->n] = k;
	v->count[v->n] = 0;
	return (uint32_t)v->n++;
}

static void add_token(vocab *v, const char *s, size_t n)
{
	uint32_t id = word_id(v, s, n);
	v->count[id]++;
	put_id(v, id);
}

/* Tokenize text into the stream; sentence starts emit boundary id 0. */
static void add_text_cb(void *ctx, const char *text, size_t len)
{
	vocab *v = ctx;
	ner_span *sp;
	size_t n;
	if (ner_tokenize(text, len, &sp, &n) != CHR_OK)
		die("tokenizer failed");
	for (size_t i = 0; i < n; i++) {
		if (sp[i].sent_start)
			put_id(v, 0);
		add_token(v, text + sp[i].start, sp[i].end - sp[i].start);
	}
	free(sp);
}

static void read_conll(vocab *v, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "train_ner_clusters: skip %s\n", path);
		return;
	}
	char line[4096];
	int new_sent = 1;
	while (fgets(line, sizeof line, f)) {
		size_t n = strcspn(line, " \t\r\n");
		if (n == 0) {
			new_sent = 1;
			continue;
		}
		if (strncmp(line, "-DOCSTART-", 10) == 0)
			continue;
		if (new_sent)
			put_id(v, 0);
		new_sent = 0;
		add_token(v, line, n);
	}
	fclose(f);
}

/* ---- exchange clustering over a weighted bigram graph ---- */

typedef struct graph {
	size_t nv;
	size_t *off;   /* predecessors of w: [off[w], off[w+1]) */
	uint32_t *pv;
	uint64_t *pn;
	uint64_t *nw;  /* count of w as a successor */
} graph;

static double *ftab;
#define FTAB (1u << 20)

static inline double fx(uint64_t x)
{
	return x < FTAB ? ftab[x] : (double)x * log((double)x);
}

static void exchange(const graph *g, uint32_t C, int iters, uint32_t *cl)
{
	size_t nv = g->nv;
	uint64_t *N = calloc(nv * C, sizeof *N); /* N[v*C + c] */
	uint8_t *in = calloc(nv * C, 1);
	uint32_t **nz = calloc(nv, sizeof *nz);
	uint32_t *nzn = calloc(nv, sizeof *nzn), *nzc = calloc(nv, sizeof *nzc);
	uint64_t *Nc = calloc(C, sizeof *Nc);
	double *delta = malloc(C * sizeof *delta);
	if (!N || !in || !nz || !nzn || !nzc || !Nc || !delta)
		die("out of memory (exchange)");
	for (size_t w = 0; w < nv; w++) {
		uint32_t c = cl[w];
		Nc[c] += g->nw[w];
		for (size_t k = g->off[w]; k < g->off[w + 1]; k++) {
			size_t v = g->pv[k];
			N[v * C + c] += g->pn[k];
			if (!in[v * C + c]) {
				in[v * C + c] = 1;
				if (nzn[v] == nzc[v]) {
					nzc[v] = nzc[v] ? nzc[v] * 2 : 4;
					nz[v] = xrealloc(nz[v], nzc[v] * sizeof **nz);
				}
				nz[v][nzn[v]++] = c;
			}
		}
	}
	for (int it = 0; it < iters; it++) {
		size_t moved = 0;
		clock_t t0 = clock();
		for (size_t w = 0; w < nv; w++) {
			uint32_t a = cl[w];
			size_t o0 = g->off[w], o1 = g->off[w + 1];
			/* remove w from a */
			Nc[a] -= g->nw[w];
			for (size_t k = o0; k < o1; k++)
				N[g->pv[k] * C + a] -= g->pn[k];
			double base = 0;
			for (size_t k = o0; k < o1; k++)
				base += fx(g->pn[k]);
			for (uint32_t b = 0; b < C; b++)
				delta[b] = base - (fx(Nc[b] + g->nw[w]) - fx(Nc[b]));
			for (size_t k = o0; k < o1; k++) {
				size_t v = g->pv[k];
				uint64_t n = g->pn[k];
				double fn = fx(n);
				uint64_t *row = N + v * C;
				uint32_t *list = nz[v];
				for (uint32_t j = 0; j < nzn[v];) {
					uint32_t b = list[j];
					uint64_t x = row[b];
					if (!x) { /* stale: drop it */
						in[v * C + b] = 0;
						list[j] = list[--nzn[v]];
						continue;
					}
					delta[b] += fx(x + n) - fx(x) - fn;
					j++;
				}
			}
			uint32_t best = a;
			for (uint32_t b = 0; b < C; b++)
				if (delta[b] > delta[best] + 1e-9)
					best = b;
			if (best != a)
				moved++;
			cl[w] = best;
			Nc[best] += g->nw[w];
			for (size_t k = o0; k < o1; k++) {
				size_t v = g->pv[k];
				N[v * C + best] += g->pn[k];
				if (!in[v * C + best]) {
					in[v * C + best] = 1;
					if (nzn[v] == nzc[v]) {
						nzc[v] = nzc[v] ? nzc[v] * 2 : 4;
						nz[v] = xrealloc(nz[v],
								 nzc[v] * sizeof **nz);
					}
					nz[v][nzn[v]++] = best;
				}
			}
		}
		double ll = 0;
		for (size_t v = 0; v < nv; v++)
			for (uint32_t j = 0; j < nzn[v]; j++)
				ll += fx(N[v * C + nz[v][j]]);
		for (uint32_t b = 0; b < C; b++)
			ll -= fx(Nc[b]);
		fprintf(stderr, "  C=%u pass %d: moved %zu, objective %.6e (%.1fs)\n",
			C, it + 1, moved, ll,
			(double)(clock() - t0) / CLOCKS_PER_SEC);
		if (moved == 0)
			break;
	}
	for (size_t v = 0; v < nv; v++)
		free(nz[v]);
	free(nz);
	free(nzn);
	free(nzc);
	free(N);
	free(in);
	free(Nc);
	free(delta);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Build the predecessor graph from (prev, cur) pairs packed in keys as
 * cur << 32 | prev (so sorting groups by cur); weights w (NULL = 1). */
static void build_graph(graph *g, size_t nv, uint64_t *keys,
			const uint64_t *wts, size_t nk)
{
	uint64_t *order = NULL;
	if (wts) {
		/* weighted input is already unique; sort key with weight */
		order = xrealloc(NULL, nk * 2 * sizeof *order);
		for (size_t i = 0; i < nk; i++) {
			order[2 * i] = keys[i];
			order[2 * i + 1] = wts[i];
		}
		qsort(order, nk, 2 * sizeof *order, cmp_u64);
	} else {
		qsort(keys, nk, sizeof *keys, cmp_u64);
	}
	g->nv = nv;
	g->off = calloc(nv + 1, sizeof *g->off);
	g->pv = xrealloc(NULL, nk * sizeof *g->pv);
	g->pn = xrealloc(NULL, nk * sizeof *g->pn);
	g->nw = calloc(nv, sizeof *g->nw);
	size_t m = 0;
	for (size_t i = 0; i < nk;) {
		uint64_t k = wts ? order[2 * i] : keys[i];
		uint64_t cnt = 0;
		size_t j = i;
		while (j < nk && (wts ? order[2 * j] : keys[j]) == k) {
			cnt += wts ? order[2 * j + 1] : 1;
			j++;
		}
		uint32_t cur = (uint32_t)(k >> 32), prev = (uint32_t)k;
		g->pv[m] = prev;
		g->pn[m] = cnt;
		g->off[cur + 1]++;
		g->nw[cur] += cnt;
		m++;
		i = j;
	}
	for (size_t w = 0; w < nv; w++)
		g->off[w + 1] += g->off[w];
	free(order);
}

static void free_graph(graph *g)
{
	free(g->off);
	free(g->pv);
	free(g->pn);
	free(g->nw);
}

/* Cluster the clusters: vertices are level-k clusters. */
static void coarsen(const graph *wg, const uint32_t *fine, uint32_t C1,
		    uint32_t C2, int iters, uint32_t *out)
{
	uint64_t *agg = calloc((size_t)C1 * C1, sizeof *agg);
	if (!agg)
		die("out of memory");
	for (size_t w = 0; w < wg->nv; w++)
		for (size_t k = wg->off[w]; k < wg->off[w + 1]; k++)
			agg[(size_t)fine[w] * C1 + fine[wg->pv[k]]] += wg->pn[k];
	size_t nk = 0;
	for (size_t i = 0; i < (size_t)C1 * C1; i++)
		nk += agg[i] != 0;
	uint64_t *keys = xrealloc(NULL, nk * sizeof *keys);
	uint64_t *wts = xrealloc(NULL, nk * sizeof *wts);
	nk = 0;
	for (size_t cur = 0; cur < C1; cur++)
		for (size_t prev = 0; prev < C1; prev++)
			if (agg[cur * C1 + prev]) {
				keys[nk] = (uint64_t)cur << 32 | prev;
				wts[nk++] = agg[cur * C1 + prev];
			}
	graph g;
	build_graph(&g, C1, keys, wts, nk);
	/* initial: by count rank, round robin */
	uint64_t *rank = xrealloc(NULL, C1 * sizeof *rank);
	for (uint32_t c = 0; c < C1; c++)
		rank[c] = (~g.nw[c] & 0xffffffffull) << 32 | c;
	qsort(rank, C1, sizeof *rank, cmp_u64);
	for (uint32_t r = 0; r < C1; r++)
		out[(uint32_t)rank[r]] = r % C2;
	exchange(&g, C2, iters, out);
	free(rank);
	free(keys);
	free(wts);
	free(agg);
	free_graph(&g);
}

typedef struct wrank {
	uint64_t count;
	const char *w;
	uint32_t id;
} wrank;

static int cmp_rank(const void *a, const void *b)
{
	const wrank *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->w, y->w);
}

int main(int argc, char **argv)
{
	const char *shared = "../shared", *out = "models/ner-clusters.txt";
	uint32_t C1 = 1000, C2 = 200, C3 = 50;
	int iters = 20;
	uint64_t min_count = 3;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--shared") && i + 1 < argc)
			shared = argv[++i];
		else if (!strcmp(argv[i], "--out") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "--clusters") && i + 1 < argc)
			C1 = (uint32_t)atoi(argv[++i]);
		else if (!strcmp(argv[i], "--iters") && i + 1 < argc)
			iters = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--min-count") && i + 1 < argc)
			min_count = (uint64_t)atoi(argv[++i]);
		else {
			fprintf(stderr, "usage: train_ner_clusters [--shared DIR] "
					"[--out FILE] [--clusters N] [--iters N] "
					"[--min-count N]\n");
			return 2;
		}
	}
	if (C1 < C2 || C1 > 1023)
		die("--clusters must be in 200..1023");
	hash_set_seed(1);
	ftab = malloc(FTAB * sizeof *ftab);
	if (!ftab)
		die("out of memory");
	ftab[0] = 0;
	for (uint32_t x = 1; x < FTAB; x++)
		ftab[x] = (double)x * log((double)x);

	vocab v = {0};
	ht_init(&v.map, 0);
	arena_init(&v.mem, 0);
	word_id(&v, "<s>", 3);
	char path[4096];
	ntc_read_all(shared, add_text_cb, &v);
	snprintf(path, sizeof path, "%s/data/conll2003/eng.train", shared);
	read_conll(&v, path);
	put_id(&v, 0);
	fprintf(stderr, "train_ner_clusters: %zu tokens, %zu types\n", v.slen,
		v.n);

	/* vertices: <s> = 0, words with count >= min_count by rank, UNK last */
	wrank *r = xrealloc(NULL, v.n * sizeof *r);
	size_t nr = 0;
	for (size_t i = 1; i < v.n; i++)
		if (v.count[i] >= min_count)
			r[nr++] = (wrank){v.count[i], v.words[i], (uint32_t)i};
	qsort(r, nr, sizeof *r, cmp_rank);
	uint32_t *map = xrealloc(NULL, v.n * sizeof *map);
	size_t nv = nr + 2, unk = nr + 1;
	for (size_t i = 0; i < v.n; i++)
		map[i] = (uint32_t)unk;
	map[0] = 0;
	for (size_t i = 0; i < nr; i++)
		map[r[i].id] = (uint32_t)(i + 1);
	uint64_t *keys = xrealloc(NULL, v.slen * sizeof *keys);
	size_t nk = 0;
	for (size_t i = 1; i < v.slen; i++)
		keys[nk++] = (uint64_t)map[v.stream[i]] << 32 | map[v.stream[i - 1]];
	graph g;
	build_graph(&g, nv, keys, NULL, nk);
	/* the mirror image: words by the words that follow them */
	nk = 0;
	for (size_t i = 1; i < v.slen; i++)
		keys[nk++] = (uint64_t)map[v.stream[i - 1]] << 32 | map[v.stream[i]];
	graph gr;
	build_graph(&gr, nv, keys, NULL, nk);
	free(keys);
	fprintf(stderr, "train_ner_clusters: %zu vertices, %zu bigram types\n",
		nv, g.off[nv]);

	uint32_t *c1 = xrealloc(NULL, nv * sizeof *c1);
	for (size_t w = 0; w < nv; w++)
		c1[w] = (uint32_t)(w % C1);
	exchange(&g, C1, iters, c1);
	uint32_t *c2 = xrealloc(NULL, C1 * sizeof *c2);
	uint32_t *c3 = xrealloc(NULL, C2 * sizeof *c3);
	coarsen(&g, c1, C1, C2, 20, c2);
	uint32_t *mid = xrealloc(NULL, nv * sizeof *mid);
	for (size_t w = 0; w < nv; w++)
		mid[w] = c2[c1[w]];
	coarsen(&g, mid, C2, C3, 20, c3);
	uint32_t *c4 = xrealloc(NULL, nv * sizeof *c4);
	for (size_t w = 0; w < nv; w++)
		c4[w] = (uint32_t)(w % C1);
	exchange(&gr, C1, iters, c4);

	FILE *f = fopen(out, "w");
	if (!f)
		die("cannot write the output file");
	fprintf(f, "# chronicle NER word clusters: word c%u c%u c%u count "
		   "c%u-right\n", C1, C2, C3, C1);
	for (size_t i = 0; i < nr; i++) {
		size_t w = i + 1;
		fprintf(f, "%s\t%u\t%u\t%u\t%llu\t%u\n", r[i].w, c1[w],
			c2[c1[w]], c3[c2[c1[w]]], (unsigned long long)r[i].count,
			c4[w]);
	}
	if (fclose(f) != 0)
		die("write failed");
	fprintf(stderr, "train_ner_clusters: wrote %zu words to %s\n", nr, out);
	free(c1);
	free(c2);
	free(c3);
	free(c4);
	free(mid);
	free_graph(&gr);
	free(map);
	free(r);
	free_graph(&g);
	free(v.stream);
	free(v.words);
	free(v.count);
	ht_free(&v.map);
	arena_free(&v.mem);
	free(ftab);
	return 0;
}
