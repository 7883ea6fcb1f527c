/*
 * bench/dedup: speed and quality of the dedup stage alone (bench/dedup.sh
 * builds and runs it; results in bench/RESULTS.md, "## Dedup").
 *
 * Design note: texts are parsed and held in memory first; only the stage
 * (features + candidates + verification + groups, on the in-memory index
 * that has the same operations as the store's) is timed, on one core.
 *   dedup time REUTERS.jsonl        Reuters-21578: time, memory, groups
 *                                   (exact and near), and the exact
 *                                   all-pairs Jaccard baseline on a prefix
 *   dedup eval SET.jsonl [SEED]     generated set (tools/gen_syndication):
 *                                   pair precision/recall/F1, original rate
 *   dedup dump SET.jsonl            predicted groups as JSON Lines (peers)
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xxhash.h>

#include "dedup/dedup.h"

typedef struct doc {
	char *id, *text, *group, *date, *source;
	size_t len;
	int original, nag;
	char *ag;
} doc;

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static char *dupnull(const char *s)
{
	return s ? strdup(s) : NULL;
}

static doc *load(const char *path, size_t *n)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		perror(path);
		exit(1);
	}
	doc *v = NULL;
	size_t cap = 0;
	*n = 0;
	char *line = NULL;
	size_t lcap = 0;
	while (getline(&line, &lcap, f) > 0) {
		json_t *o = json_loads(line, 0, NULL);
		const char *t = json_string_value(json_object_get(o, "text"));
		if (t) {
			if (*n == cap)
				v = realloc(v, (cap = cap ? cap * 2 : 1024) * sizeof *v);
			doc *d = &v[(*n)++];
			memset(d, 0, sizeof *d);
			d->id = dupnull(json_string_value(json_object_get(o, "id")));
			d->text = strdup(t);
			d->len = strlen(t);
			d->group = dupnull(json_string_value(json_object_get(o, "group")));
			d->date = dupnull(json_string_value(json_object_get(o, "date")));
			d->source = dupnull(json_string_value(json_object_get(o, "source")));
			d->original = json_is_true(json_object_get(o, "original"));
			json_t *ag = json_array_get(json_object_get(o, "agencies"), 0);
			d->ag = dupnull(json_string_value(ag));
			d->nag = d->ag != NULL;
		}
		json_decref(o);
	}
	free(line);
	fclose(f);
	return v;
}

typedef struct run {
	dedup_mem *m;
	double secs;
	size_t cand, verified, keys;
} run;

/* Run the stage over docs in the order given by ord; ids are arrival
 * order (k + 1), id_of[i] is doc i's. */
static int64_t *id_of;
static void run_all(doc *d, size_t n, const size_t *ord, run *r)
{
	dedup_feat f;
	dedup_feat_init(&f);
	r->m = dedup_mem_new();
	free(id_of);
	id_of = malloc(n * sizeof *id_of);
	r->cand = r->verified = r->keys = 0;
	double t0 = now();
	for (size_t k = 0; k < n; k++) {
		doc *x = &d[ord[k]];
		if (dedup_features(&f, x->text, x->len))
			exit(1);
		dedup_doc dd;
		memset(&dd, 0, sizeof dd);
		dd.id = (int64_t)k + 1;
		id_of[ord[k]] = dd.id;
		const char *const ag[1] = { x->ag };
		dd.tier = dedup_tier(x->source, ag, (size_t)x->nag);
		if (x->date && strlen(x->date) == 10)
			memcpy(dd.published, x->date, 11);
		dd.nwords = f.nwords;
		int64_t gid;
		dedup_stats st;
		chr_status rc = dedup_add(&dedup_mem_ops, r->m, &dd, &f, &gid, &st);
		if (rc) {
			fprintf(stderr, "dedup_add failed: %d at %zu\n", (int)rc, k);
			exit(1);
		}
		r->cand += st.candidates;
		r->verified += st.verified;
		r->keys += st.keys_read;
	}
	r->secs = now() - t0;
	dedup_feat_free(&f);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static double pairs(size_t k)
{
	return (double)k * (double)(k - 1) / 2.0;
}

/* Sum of C(run, 2) over runs of equal values in sorted v. */
static double pair_sum(int64_t *v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_i64);
	double s = 0;
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i; j < n && v[j] == v[i]; j++)
			;
		s += pairs(j - i);
	}
	return s;
}

static size_t *order(size_t n, uint64_t seed)
{
	size_t *o = malloc(n * sizeof *o);
	for (size_t i = 0; i < n; i++)
		o[i] = i;
	for (size_t i = n; seed && i > 1; i--) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		size_t j = (size_t)(seed >> 33) % i;
		size_t t = o[i - 1];
		o[i - 1] = o[j];
		o[j] = t;
	}
	return o;
}

static int eval(const char *path, uint64_t seed)
{
	size_t n;
	doc *d = load(path, &n);
	size_t *ord = order(n, seed);
	run r;
	run_all(d, n, ord, &r);
	/* truth group index per doc: hash of the group string */
	int64_t *tg = malloc(n * sizeof *tg), *pg = malloc(n * sizeof *pg),
		*both = malloc(n * sizeof *both);
	for (size_t i = 0; i < n; i++) {
		tg[i] = (int64_t)(XXH3_64bits(d[i].group, strlen(d[i].group)) >> 1);
		pg[i] = dedup_mem_group(r.m, id_of[i]);
		both[i] = (int64_t)XXH3_64bits_withSeed(&pg[i], 8, (uint64_t)tg[i]);
	}
	/* original-correct: truth groups with >= 2 members */
	size_t groups = 0, right = 0;
	for (size_t i = 0; i < n; i++) {
		if (!d[i].original)
			continue;
		size_t size = 0;
		for (size_t j = 0; j < n; j++)
			size += !strcmp(d[j].group, d[i].group);
		if (size < 2)
			continue;
		groups++;
		right += dedup_mem_original(r.m, pg[i]) == id_of[i];
	}
	int64_t *tmp = malloc(n * sizeof *tmp);
	memcpy(tmp, tg, n * sizeof *tmp);
	double truth = pair_sum(tmp, n);
	memcpy(tmp, pg, n * sizeof *tmp);
	double pred = pair_sum(tmp, n);
	double tp = pair_sum(both, n);
	double p = pred ? tp / pred : 1, rc = truth ? tp / truth : 1;
	printf("set: %s (%zu articles, order seed %llu)\n", path, n,
	       (unsigned long long)seed);
	printf("pairs: truth %.0f, predicted %.0f, correct %.0f\n", truth, pred, tp);
	printf("pair precision %.4f recall %.4f F1 %.4f\n", p, rc,
	       p + rc ? 2 * p * rc / (p + rc) : 0);
	printf("original correct: %zu of %zu groups (%.1f%%)\n", right, groups,
	       groups ? 100.0 * (double)right / (double)groups : 0);
	printf("stage time %.3f s (%.1f us/article)\n", r.secs, r.secs * 1e6 / (double)n);
	if (getenv("DEDUP_EVAL_ERRORS")) {
		for (size_t i = 0; i < n; i++)
			for (size_t j = i + 1; j < n; j++) {
				int t = tg[i] == tg[j], q = pg[i] == pg[j];
				if (t != q)
					printf("%s %s %s\n", t ? "MISS" : "FALSE", d[i].id, d[j].id);
			}
	}
	dedup_mem_free(r.m);
	return 0;
}

/* Exact all-pairs Jaccard over the same shingle sets: the baseline. */
static void baseline(doc *d, size_t n, size_t lim, const run *r)
{
	if (lim > n)
		lim = n;
	dedup_feat f;
	dedup_feat_init(&f);
	uint32_t **set = malloc(lim * sizeof *set);
	size_t *ns = malloc(lim * sizeof *ns);
	double t0 = now();
	for (size_t i = 0; i < lim; i++) {
		dedup_features(&f, d[i].text, d[i].len);
		set[i] = malloc((f.nset + 1) * 4);
		memcpy(set[i], f.set, f.nset * 4);
		ns[i] = f.nset;
	}
	size_t hi = 0, found = 0;
	for (size_t i = 0; i < lim; i++)
		for (size_t j = i + 1; j < lim; j++) {
			if (!ns[i] || !ns[j])
				continue;
			size_t in = dedup_intersect(set[i], ns[i], set[j], ns[j], 0);
			if ((double)in >= DEDUP_JACCARD * (double)(ns[i] + ns[j] - in)) {
				hi++;
				found += dedup_mem_group(r->m, id_of[i]) ==
					 dedup_mem_group(r->m, id_of[j]);
			}
		}
	double secs = now() - t0;
	printf("baseline: exact all-pairs Jaccard on the first %zu stories: %.3f s"
	       " (%.0f pairs); pairs with J >= %.2f: %zu, in one LSH group: %zu\n",
	       lim, secs, pairs(lim), DEDUP_JACCARD, hi, found);
	printf("baseline extrapolated to all %zu stories: %.1f s (x%.0f the stage)\n",
	       n, secs * pairs(n) / pairs(lim), secs * pairs(n) / pairs(lim) / r->secs);
	for (size_t i = 0; i < lim; i++)
		free(set[i]);
	free(set);
	free(ns);
	dedup_feat_free(&f);
}

static int timing(const char *path)
{
	size_t n;
	doc *d = load(path, &n);
	size_t *ord = order(n, 0);
	run best = { 0 };
	for (int k = 0; k < 3; k++) {
		run r;
		run_all(d, n, ord, &r);
		if (!best.m || r.secs < best.secs) {
			dedup_mem_free(best.m);
			best = r;
		} else {
			dedup_mem_free(r.m);
		}
	}
	/* groups: exact (identical texts) and all */
	int64_t *pg = malloc(n * sizeof *pg), *eg = malloc(n * sizeof *eg);
	for (size_t i = 0; i < n; i++) {
		pg[i] = dedup_mem_group(best.m, id_of[i]);
		eg[i] = (int64_t)(XXH3_64bits(d[i].text, d[i].len) >> 1);
	}
	size_t bytes = dedup_mem_bytes(best.m), words = 0;
	for (size_t i = 0; i < n; i++)
		for (const char *p = d[i].text; *p; p++)
			words += (*p != ' ' && *p != '\n') && (p == d[i].text || p[-1] == ' ' || p[-1] == '\n');
	qsort(pg, n, sizeof *pg, cmp_i64);
	qsort(eg, n, sizeof *eg, cmp_i64);
	size_t g2 = 0, in2 = 0, e2 = 0, ein = 0;
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i; j < n && pg[j] == pg[i]; j++)
			;
		if (j - i > 1) {
			g2++;
			in2 += j - i;
		}
	}
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i; j < n && eg[j] == eg[i]; j++)
			;
		if (j - i > 1) {
			e2++;
			ein += j - i;
		}
	}
	printf("stories: %zu (%zu words)\n", n, words);
	printf("dedup stage: %.3f s on one core (best of 3), %.1f us/story, %.2f M words/s\n",
	       best.secs, best.secs * 1e6 / (double)n, (double)words / best.secs / 1e6);
	printf("index memory: %.1f MB, %.0f bytes/story (%.1f bytes/word)\n",
	       (double)bytes / 1e6, (double)bytes / (double)n, (double)bytes / (double)words);
	printf("candidates/story %.2f, verified/story %.2f, postings read/story %.1f\n",
	       (double)best.cand / (double)n, (double)best.verified / (double)n,
	       (double)best.keys / (double)n);
	printf("exact duplicate groups (identical text): %zu groups, %zu stories (%zu redundant)\n",
	       e2, ein, ein - e2);
	printf("dedup groups (exact + near): %zu groups, %zu stories (%zu redundant)\n",
	       g2, in2, in2 - g2);
	size_t lim = getenv("DEDUP_BASELINE") ? (size_t)atol(getenv("DEDUP_BASELINE")) : 4000;
	baseline(d, n, lim, &best);
	dedup_mem_free(best.m);
	return 0;
}

static int dump(const char *path)
{
	size_t n;
	doc *d = load(path, &n);
	size_t *ord = order(n, 0);
	run r;
	run_all(d, n, ord, &r);
	for (size_t i = 0; i < n; i++) {
		int64_t g = dedup_mem_group(r.m, id_of[i]);
		printf("{\"id\":\"%s\",\"group\":\"%s\"}\n", d[i].id, d[g - 1].id);
	}
	dedup_mem_free(r.m);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "time"))
		return timing(argv[2]);
	if (argc >= 3 && !strcmp(argv[1], "eval"))
		return eval(argv[2], argc > 3 ? strtoull(argv[3], NULL, 10) : 1);
	if (argc >= 3 && !strcmp(argv[1], "dump"))
		return dump(argv[2]);
	fprintf(stderr, "usage: dedup time REUTERS.jsonl | eval SET.jsonl [SEED] | dump SET.jsonl\n");
	return 2;
}
