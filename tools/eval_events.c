/*
 * eval_events: measure the events stage on ECB+ (dev and test) and
 * GoogleNews-TS, side by side with a batch baseline.
 *
 * Design note: our system is the streaming engine with the committed
 * model (models/events.txt), run over each split in file order and in
 * five fixed shuffles; BCubed P/R/F1 of documents into gold seminal
 * events (events_gold.tsv) comes from our own scorer (ev_eval.c).  Order
 * sensitivity is reported as the spread of F1 over the shuffles and as
 * the BCubed F1 between each shuffled clustering and the file-order one
 * (1.0 = identical partitions).  The baseline is TF-IDF (the same
 * stemmed terms, headline + body, batch idf) with average-link
 * agglomerative clustering stopped at a cosine threshold tuned on dev and
 * then applied unchanged to test.  Nothing here is tuned on test.
 * GoogleNews-TS gets NMI for our system (file order and shuffles).
 *
 * usage: eval_events [--shared DIR] [--model FILE] [--dev-only]
 *                    [--verbose dev|test]
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "events/ev_corpus.h"

#define SHUFFLES 5

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- baseline: TF-IDF + average-link agglomerative ------------------- */

typedef struct bvec {
	uint32_t *id;
	float *w;
	uint32_t n;
} bvec;

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* Similarity matrix (n x n, cosine of tf-idf vectors). */
static float *baseline_sims(const ev_corpus *c)
{
	ev_engine e;
	if (ev_engine_init(&e, NULL))
		return NULL;
	size_t n = c->n;
	bvec *v = calloc(n, sizeof *v);
	float *S = malloc(n * n * sizeof *S);
	uint32_t *df = NULL;
	ev_doc d;
	ev_doc_init(&d);
	if (!v || !S)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		ev_input in;
		if (ev_item_input(&c->items[i], &in))
			goto fail;
		chr_status bst = ev_doc_build(&e, &in, &d);
		ev_input_release(&in);
		if (bst)
			goto fail;
		uint32_t m = d.body.n + d.head.n;
		v[i].id = malloc((m + 1) * sizeof *v[i].id);
		v[i].w = malloc((m + 1) * sizeof *v[i].w);
		if (!v[i].id || !v[i].w)
			goto fail;
		/* headline + body counts, merged by id */
		uint32_t a = 0, b = 0, k = 0;
		while (a < d.body.n || b < d.head.n) {
			uint32_t ia = a < d.body.n ? d.body.v[a].id : UINT32_MAX;
			uint32_t ib = b < d.head.n ? d.head.v[b].id : UINT32_MAX;
			uint32_t id = ia < ib ? ia : ib;
			float tf = 0;
			if (ia == id)
				tf += d.body.v[a++].tf;
			if (ib == id)
				tf += d.head.v[b++].tf;
			v[i].id[k] = id;
			v[i].w[k++] = tf;
		}
		v[i].n = k;
	}
	size_t nt = e.terms.count + 1;
	if (!(df = calloc(nt, sizeof *df)))
		goto fail;
	for (size_t i = 0; i < n; i++)
		for (uint32_t k = 0; k < v[i].n; k++)
			df[v[i].id[k]]++;
	for (size_t i = 0; i < n; i++) {
		double norm = 0;
		for (uint32_t k = 0; k < v[i].n; k++) {
			double w = (1 + log(v[i].w[k])) *
				   log((double)n / df[v[i].id[k]]);
			v[i].w[k] = (float)w;
			norm += w * w;
		}
		norm = norm > 0 ? sqrt(norm) : 1;
		for (uint32_t k = 0; k < v[i].n; k++)
			v[i].w[k] = (float)(v[i].w[k] / norm);
	}
	for (size_t i = 0; i < n; i++) {
		S[i * n + i] = 1;
		for (size_t j = i + 1; j < n; j++) {
			double dot = 0;
			uint32_t a = 0, b = 0;
			while (a < v[i].n && b < v[j].n) {
				if (v[i].id[a] == v[j].id[b])
					dot += v[i].w[a++] * v[j].w[b++];
				else if (v[i].id[a] < v[j].id[b])
					a++;
				else
					b++;
			}
			S[i * n + j] = S[j * n + i] = (float)dot;
		}
	}
	goto done;
fail:
	free(S);
	S = NULL;
done:
	for (size_t i = 0; v && i < n; i++) {
		free(v[i].id);
		free(v[i].w);
	}
	free(v);
	free(df);
	ev_doc_free(&d);
	ev_engine_free(&e);
	(void)cmp_u32;
	return S;
}

/* Average-link agglomerative clustering on S until the best average
 * similarity falls below t; labels get dense cluster ids. */
static void agglomerate(const float *S0, size_t n, double t, int *labels)
{
	double *S = malloc(n * n * sizeof *S);
	size_t *size = malloc(n * sizeof *size), *parent = malloc(n * sizeof *parent);
	char *alive = malloc(n);
	if (!S || !size || !parent || !alive)
		goto out;
	for (size_t i = 0; i < n * n; i++)
		S[i] = S0[i];
	for (size_t i = 0; i < n; i++)
		size[i] = 1, parent[i] = i, alive[i] = 1;
	for (;;) {
		double best = -1;
		size_t bi = 0, bj = 0;
		for (size_t i = 0; i < n; i++) {
			if (!alive[i])
				continue;
			for (size_t j = i + 1; j < n; j++)
				if (alive[j] && S[i * n + j] > best)
					best = S[i * n + j], bi = i, bj = j;
		}
		if (best < t)
			break;
		/* merge bj into bi (Lance-Williams, average link) */
		for (size_t k = 0; k < n; k++) {
			if (!alive[k] || k == bi || k == bj)
				continue;
			double s = (S[bi * n + k] * size[bi] + S[bj * n + k] * size[bj]) /
				   (double)(size[bi] + size[bj]);
			S[bi * n + k] = S[k * n + bi] = s;
		}
		size[bi] += size[bj];
		alive[bj] = 0;
		for (size_t k = 0; k < n; k++)
			if (parent[k] == bj)
				parent[k] = bi;
	}
	for (size_t i = 0; i < n; i++)
		labels[i] = (int)parent[i];
out:
	free(S);
	free(size);
	free(parent);
	free(alive);
}

/* ---- reporting ---------------------------------------------------------- */

typedef struct result {
	ev_bcubed file;          /* file order */
	double fmean, fsd, fmin;  /* over shuffles */
	double agree;            /* mean BCubed F1 vs the file-order run */
	double secs;
	size_t nev;
} result;

static void gold_of(const ev_corpus *c, int *g)
{
	for (size_t i = 0; i < c->n; i++)
		g[i] = c->items[i].gold < 0 ? 0 : c->items[i].gold;
}

static int run_ours(const ev_corpus *c, const ev_model *m, result *r,
		    int nmi)
{
	size_t n = c->n;
	size_t *order = malloc(n * sizeof *order);
	int *gold = malloc(n * sizeof *gold), *base = malloc(n * sizeof *base);
	int *sys = malloc(n * sizeof *sys);
	if (!order || !gold || !base || !sys)
		return -1;
	gold_of(c, gold);
	memset(r, 0, sizeof *r);
	ev_order(order, n, 0);
	ev_engine e;
	double t0 = now();
	if (ev_cluster(c, m, order, base, &e))
		return -1;
	r->secs = now() - t0;
	r->nev = e.nlive;
	ev_engine_free(&e);
	r->file = ev_bcubed_score(base, gold, n);
	if (nmi)
		r->file.p = ev_nmi(base, gold, n);
	double s = 0, ss = 0, a = 0;
	r->fmin = 1;
	for (int k = 1; k <= SHUFFLES; k++) {
		ev_order(order, n, (uint64_t)k);
		if (ev_cluster(c, m, order, sys, NULL))
			return -1;
		double f = nmi ? ev_nmi(sys, gold, n) : ev_bcubed_score(sys, gold, n).f;
		s += f;
		ss += f * f;
		if (f < r->fmin)
			r->fmin = f;
		a += ev_bcubed_score(sys, base, n).f;
	}
	r->fmean = s / SHUFFLES;
	r->fsd = sqrt(fmax(0, ss / SHUFFLES - r->fmean * r->fmean));
	r->agree = a / SHUFFLES;
	free(order);
	free(gold);
	free(base);
	free(sys);
	return 0;
}

static ev_bcubed run_base(const ev_corpus *c, const float *S, double t)
{
	int *gold = malloc(c->n * sizeof *gold), *sys = malloc(c->n * sizeof *sys);
	ev_bcubed b = { 0, 0, 0 };
	if (gold && sys) {
		gold_of(c, gold);
		agglomerate(S, c->n, t, sys);
		b = ev_bcubed_score(sys, gold, c->n);
	}
	free(gold);
	free(sys);
	return b;
}

/* Debugging (EV_TRACE set): each decision with the best candidate's
 * features, replaying ev_add's rule. */
static void trace(const ev_corpus *c, const ev_model *m, const size_t *order)
{
	ev_engine e;
	ev_doc d;
	if (ev_engine_init(&e, m))
		return;
	ev_doc_init(&d);
	for (size_t i = 0; i < c->n; i++) {
		const ev_item *it = &c->items[order[i]];
		ev_input in;
		if (ev_item_input(it, &in))
			break;
		chr_status bst = ev_doc_build(&e, &in, &d);
		ev_input_release(&in);
		if (bst || ev_observe(&e, &d))
			break;
		uint32_t cand[EV_MAXCAND];
		size_t n = ev_candidates(&e, &d, cand), best = (size_t)-1, k;
		double bp = 0, bf[EV_NFEAT] = { 0 };
		for (size_t j = 0; j < n; j++) {
			double f[EV_NFEAT];
			ev_features(&e, &d, e.ev[cand[j]], f);
			double q = ev_content_ok(m, f) ? ev_model_prob(m, f) : 0;
			if (q > bp)
				bp = q, best = cand[j], memcpy(bf, f, sizeof f);
		}
		printf("%-14s p=%.3f best=%-4lld n=%-3u", it->id, bp,
		       best == (size_t)-1 ? -1LL : (long long)best + 1,
		       best == (size_t)-1 ? 0 : e.ev[best]->n);
		for (int j = 1; j < EV_NFEAT; j++)
			printf(" %s=%.2f", ev_feat_names[j], bf[j]);
		printf("%s\n", bp >= m->threshold ? "  JOIN" : "  NEW");
		if (bp < m->threshold)
			best = (size_t)-1;
		if (ev_add_to(&e, &d, best, &k))
			break;
	}
	ev_doc_free(&d);
	ev_engine_free(&e);
}

static void verbose(const ev_corpus *c, const ev_model *m)
{
	size_t *order = malloc(c->n * sizeof *order);
	int *sys = malloc(c->n * sizeof *sys);
	ev_engine e;
	const char *seed = getenv("EV_SEED"); /* debugging: a shuffled order */
	if (!order || !sys)
		return;
	ev_order(order, c->n, seed ? strtoull(seed, NULL, 10) : 0);
	if (getenv("EV_TRACE")) {
		trace(c, m, order);
		return;
	}
	if (ev_cluster(c, m, order, sys, &e))
		return;
	for (size_t k = 0; k < e.nev; k++) {
		ev_event *ev = e.ev[k];
		char lo[11], hi[11];
		if (!ev || ev->into) /* merged away or retired */
			continue;
		ev_fmt_day(ev->lo, lo);
		ev_fmt_day(ev->hi, hi);
		printf("event %lld [%s..%s] %.60s\n", (long long)ev->id, lo, hi,
		       ev->title);
		for (size_t i = 0; i < ev->narts; i++)
			printf("   %s", ev->arts[i]);
		printf("\n");
	}
	ev_engine_free(&e);
	free(order);
	free(sys);
}

/* GoogleNews-TS: NMI of our clusters against its 152 stories. */
static int gnews(const char *shared, const ev_model *m)
{
	char p[1024], err[512];
	ev_corpus gn;
	snprintf(p, sizeof p, "%s/data/googlenews_ts/GoogleNews-TS.jsonl", shared);
	if (ev_corpus_load(&gn, p, NULL, 0, err, sizeof err)) {
		fprintf(stderr, "eval_events: %s (GoogleNews-TS skipped)\n", err);
		return 0;
	}
	result rg;
	if (run_ours(&gn, m, &rg, 1))
		return 1;
	printf("\nGoogleNews-TS (%zu snippets, %d stories): NMI %.3f in file "
	       "order (%zu clusters, %.1f us/snippet); over %d shuffles %.3f ± "
	       "%.3f, min %.3f\n", gn.n, gn.nlabels, rg.file.p, rg.nev,
	       rg.secs * 1e6 / (double)gn.n, SHUFFLES, rg.fmean, rg.fsd, rg.fmin);
	ev_corpus_free(&gn);
	return 0;
}

int main(int argc, char **argv)
{
	const char *shared = "../shared", *model = "models/events.txt";
	const char *verb = NULL;
	int devonly = 0, gnonly = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--shared") && i + 1 < argc)
			shared = argv[++i];
		else if (!strcmp(argv[i], "--model") && i + 1 < argc)
			model = argv[++i];
		else if (!strcmp(argv[i], "--dev-only"))
			devonly = 1;
		else if (!strcmp(argv[i], "--gnews-only"))
			gnonly = 1;
		else if (!strcmp(argv[i], "--verbose") && i + 1 < argc)
			verb = argv[++i];
		else {
			fprintf(stderr, "usage: eval_events [--shared DIR] "
					"[--model FILE] [--dev-only | --gnews-only] "
					"[--verbose dev|test]\n");
			return 2;
		}
	}
	hash_set_seed(42);
	ev_model m;
	char err[512], p[1024], gold[1024];
	if (ev_model_load(&m, model, err, sizeof err)) {
		fprintf(stderr, "eval_events: %s\n", err);
		return 1;
	}
	if (gnonly)
		return gnews(shared, &m);
	snprintf(gold, sizeof gold, "%s/data/ecbplus/events_gold.tsv", shared);
	ev_corpus dev, test;
	snprintf(p, sizeof p, "%s/data/ecbplus/articles.dev.jsonl", shared);
	if (ev_corpus_load(&dev, p, gold, 1, err, sizeof err)) {
		fprintf(stderr, "eval_events: %s\n", err);
		return 1;
	}
	snprintf(p, sizeof p, "%s/data/ecbplus/articles.%s.jsonl", shared,
		 devonly ? "dev" : "test");
	if (ev_corpus_load(&test, p, gold, 1, err, sizeof err)) {
		fprintf(stderr, "eval_events: %s\n", err);
		return 1;
	}
	if (verb) {
		verbose(!strcmp(verb, "test") ? &test : &dev, &m);
		return 0;
	}
	/* baseline threshold on dev */
	float *Sd = baseline_sims(&dev), *St = baseline_sims(&test);
	if (!Sd || !St)
		return 1;
	double bt = 0, bf = -1;
	for (double t = 0.02; t < 0.6; t += 0.01) {
		double f = run_base(&dev, Sd, t).f;
		if (f > bf + 1e-9)
			bf = f, bt = t;
	}
	ev_bcubed bd = run_base(&dev, Sd, bt), btst = run_base(&test, St, bt);
	result rd, rt;
	if (run_ours(&dev, &m, &rd, 0) || run_ours(&test, &m, &rt, 0))
		return 1;
	printf("ECB+ documents into gold seminal events (BCubed), model %s "
	       "(threshold %.3f)\n\n", model, m.threshold);
	printf("| split | system | P | R | F1 | F1 over %d shuffles (mean ± sd, min) | agreement with file order | events |\n",
	       SHUFFLES);
	printf("|---|---|---:|---:|---:|---|---:|---:|\n");
	const char *names[2] = { "dev (topics 2 5 12 18 21 23 34 35)",
				 devonly ? "dev again" : "test (topics 36-45)" };
	const result *rs[2] = { &rd, &rt };
	const ev_bcubed *bs[2] = { &bd, &btst };
	const ev_corpus *cs[2] = { &dev, &test };
	for (int k = 0; k < 2 - devonly; k++) {
		printf("| %s | chronicle (streaming) | %.3f | %.3f | **%.3f** | "
		       "%.3f ± %.3f, min %.3f | %.3f | %zu (gold %d) |\n",
		       names[k], rs[k]->file.p, rs[k]->file.r, rs[k]->file.f,
		       rs[k]->fmean, rs[k]->fsd, rs[k]->fmin, rs[k]->agree,
		       rs[k]->nev, cs[k]->nlabels);
		printf("| %s | baseline TF-IDF + average-link (t=%.2f from dev) | "
		       "%.3f | %.3f | %.3f | (batch) | | |\n",
		       names[k], bt, bs[k]->p, bs[k]->r, bs[k]->f);
	}
	free(Sd);
	free(St);
	ev_corpus_free(&dev);
	ev_corpus_free(&test);
	if (devonly)
		return 0;
	return gnews(shared, &m);
}
