/*
 * test_events_examples: the events stage on the seed corpus (when
 * ../shared is present) and on the bundled example folders, through the
 * whole pipeline into a database (split from test_events.c).
 *
 * Design note: these are end-to-end checks of what a user sees (which
 * articles share an event, the storyline), so they compare groupings,
 * never ids or scores.
 */
#include "harness.h"

#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <unistd.h>

#include "events/ev_corpus.h"
#include "pipeline/article.h"
#include "unit/ev_input.h"

/* ../shared/corpus/seeds: two events {000, 003} and {001, 002, 004}, one
 * storyline holding both. */
typedef struct seeds {
	chr_article *a[16];
	size_t n;
} seeds;

static int on_seed(void *ctx, const chr_doc *doc)
{
	seeds *s = ctx;
	if (s->n < 16 && chr_article_process(doc, &s->a[s->n]) == CHR_OK)
		s->n++;
	return 0;
}

static void test_seeds(void)
{
	const char *sh = th_shared_dir();
	if (!sh)
		SKIP("../shared is absent");
	char p[512];
	snprintf(p, sizeof p, "%s/corpus/seeds", sh);
	seeds s = { { 0 }, 0 };
	if (chr_read_path(p, 0, on_seed, NULL, &s) != CHR_OK || s.n != 5) {
		CHECK_INT(s.n, 5);
		return;
	}
	ev_engine e;
	ev_model m = ev_test_model();
	ev_engine_init(&e, &m);
	ev_doc d;
	ev_doc_init(&d);
	size_t k[5];
	/* one batch: dated articles first, as ev_cluster and ingest do */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < 5; i++) {
			ev_input in;
			ev_input_from_article(&in, s.a[i]);
			ev_doc_build(&e, &in, &d);
			ev_input_release(&in);
			if ((d.anchor != EV_NODAY) != !pass)
				continue;
			double q;
			ev_add(&e, &d, &k[i], &q);
			printf("  seed %s: event %zu (p %.3f)\n", s.a[i]->id,
			       k[i] + 1, q);
		}
	CHECK_INT(e.nlive, 2);
	for (size_t i = 0; i < 5; i++)
		k[i] = ev_live(&e, k[i]);
	CHECK(k[0] == k[3] && k[4] != k[0]);
	/* KNOWN GAP: 001 and 002 (undated) should join 004's event; their
	 * content is closer to the 2019 dialogue, and without a publication
	 * date nothing separates them yet (docs/events.md). */
	if (!(k[1] == k[4] && k[2] == k[4]))
		printf("  known gap: undated seeds 001/002 joined event %zu/%zu, "
		       "want %zu\n", k[1] + 1, k[2] + 1, k[4] + 1);
	CHECK(ev_storylines(&e) == CHR_OK);
	CHECK_INT(e.nstory, 1);
	CHECK(ev_story_spread_check(&e));
	for (size_t i = 0; i < e.nev; i++) {
		char lo[11], hi[11];
		if (!e.ev[i])
			continue;
		ev_fmt_day(e.ev[i]->lo, lo);
		ev_fmt_day(e.ev[i]->hi, hi);
		printf("  seed event %zu: [%s .. %s] %zu articles, story %lld\n",
		       i + 1, lo, hi, e.ev[i]->narts, (long long)e.ev[i]->story);
	}
	ev_doc_free(&d);
	ev_engine_free(&e);
	for (size_t i = 0; i < s.n; i++)
		chr_article_free(s.a[i]);
}

/* The bundled sample corpus (examples/, four concurrent stories in one
 * invented country, gold in tests/data/events/examples_gold.tsv from
 * examples/README.md), ingested into a fresh store as the CLI does with
 * the .txt files and then the .jsonl file, each in name order.  Shared country and city names
 * and one week must not join a dock strike, foreign-minister talks and
 * a storm. */
#define EX_MAX 64

typedef struct ex_run {
	char *id[EX_MAX];
	int sys[EX_MAX];
	size_t n;
	int ev;
} ex_run;

static int on_example_event(void *ctx, const char *json, size_t len)
{
	ex_run *r = ctx;
	json_t *o = json_loadb(json, len, 0, NULL);
	json_t *arts = o ? json_object_get(o, "articles") : NULL;
	size_t i;
	json_t *a;
	r->ev++;
	json_array_foreach(arts, i, a) {
		if (r->n < EX_MAX && json_is_string(a)) {
			r->id[r->n] = strdup(json_string_value(a));
			r->sys[r->n++] = r->ev;
		}
	}
	json_decref(o);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files of dir ending in ext, in name order (a shell glob). */
static size_t list_ext(const char *dir, const char *ext, char **out,
		       size_t cap)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0, el = strlen(ext);
	while (d && (de = readdir(d)) && n < cap) {
		size_t l = strlen(de->d_name);
		if (l > el && !strcmp(de->d_name + l - el, ext))
			out[n++] = strdup(de->d_name);
	}
	if (d)
		closedir(d);
	qsort(out, n, sizeof *out, cmp_str);
	return n;
}

static void test_examples(void)
{
	char gp[512], line[256], *gid[EX_MAX], *files[EX_MAX];
	int glab[EX_MAX];
	size_t ng = 0, nf = 0;
	snprintf(gp, sizeof gp, "%s/events/examples_gold.tsv", th_data_dir());
	FILE *f = fopen(gp, "r");
	DIR *ex = opendir("examples");
	if (ex)
		closedir(ex);
	if (!f || !ex) {
		if (f)
			fclose(f);
		SKIP("examples/ or the gold file is absent");
	}
	char names[8][8];
	int nnames = 0;
	while (ng < EX_MAX && fgets(line, sizeof line, f)) {
		char id[128], ev[8];
		if (line[0] == '#' || sscanf(line, "%127s %7s", id, ev) != 2)
			continue;
		int k = 0;
		while (k < nnames && strcmp(names[k], ev))
			k++;
		if (k == nnames && nnames < 8)
			snprintf(names[nnames++], sizeof names[0], "%s", ev);
		gid[ng] = strdup(id);
		glab[ng++] = k;
	}
	fclose(f);
	CHECK_INT(ng, 23);
	char db_path[] = "/tmp/chr_test_events_ex_XXXXXX";
	int fd = mkstemp(db_path);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	close(fd);
	unlink(db_path);
	chr_db *db = NULL;
	CHECK_INT(chr_db_open(db_path, &db), CHR_OK);
	chr_ingest *g = NULL;
	CHECK_INT(chr_ingest_new(db, NULL, &g), CHR_OK);
	nf = list_ext("examples", ".txt", files, EX_MAX);
	nf += list_ext("examples", ".jsonl", files + nf, EX_MAX - nf);
	for (size_t i = 0; g && i < nf; i++) {
		char p[512];
		snprintf(p, sizeof p, "examples/%s", files[i]);
		CHECK_INT(chr_ingest_path(g, p), CHR_OK);
		free(files[i]);
	}
	chr_ingest_stats stats;
	CHECK_INT(chr_ingest_finish(g, &stats), CHR_OK);
	chr_ingest_free(g);
	CHECK_INT(stats.stored, 23);
	ex_run r = { { 0 }, { 0 }, 0, 0 };
	CHECK_INT(chr_db_events(db, 0, 0, on_example_event, &r), CHR_OK);
	CHECK_INT(r.n, ng);
	/* system and gold labels over the gold articles */
	int sys[EX_MAX], gold[EX_MAX];
	size_t n = 0;
	int strike = -1, talks = -1, storm = -1;
	for (size_t i = 0; i < ng; i++) {
		for (size_t j = 0; j < r.n; j++) {
			if (strcmp(gid[i], r.id[j]))
				continue;
			sys[n] = r.sys[j];
			gold[n++] = glab[i];
			if (!strcmp(gid[i], "01_valmora_strike_cpa"))
				strike = r.sys[j];
			if (!strcmp(gid[i], "08_kessmar_talks_ons"))
				talks = r.sys[j];
			if (!strcmp(gid[i], "12_storm_hesper_cpa"))
				storm = r.sys[j];
		}
	}
	CHECK_INT(n, ng);
	ev_bcubed b = ev_bcubed_score(sys, gold, n);
	printf("  examples: %d events (gold %d), BCubed P %.3f R %.3f F1 %.3f\n",
	       r.ev, nnames, b.p, b.r, b.f);
	CHECK(b.f >= 0.90);
	CHECK(strike > 0 && talks > 0 && storm > 0);
	CHECK(strike != talks && strike != storm && talks != storm);
	for (size_t j = 0; j < r.n; j++)
		free(r.id[j]);
	for (size_t i = 0; i < ng; i++)
		free(gid[i]);
	chr_db_close(db);
	unlink(db_path);
}

int main(void)
{
	static const th_test tests[] = {
		TEST(test_seeds),
		TEST(test_examples),
	};
	return th_run("events_examples", tests, sizeof tests / sizeof tests[0]);
}
