/*
 * test_events: the events stage on invented articles (tests/data/events/)
 * and, when ../shared is present, on the seed corpus.
 *
 * Design note: checks the parts one by one (similarity features,
 * threshold behaviour, the candidate index bound, syndication groups,
 * determinism, merging and settling events, the scorers; the calendar,
 * doc building and dating are in test_events_doc.c; the seed corpus and
 * the example folders in test_events_examples.c) and then the behaviour
 * that matters: two different earthquakes in different places and years
 * must come out as two events.  The model is
 * the committed models/events.txt when readable, else the built-in copy.
 */
#include "harness.h"

#include <math.h>

#include "events/ev_corpus.h"
#include "pipeline/article.h"
#include "unit/ev_input.h"

/* Features of b against an event made of a alone. */
static void pair_features(const ev_input *a, const ev_input *b,
			  double f[EV_NFEAT])
{
	ev_engine e;
	ev_doc da, db;
	size_t k;
	ev_engine_init(&e, NULL);
	ev_doc_init(&da);
	ev_doc_init(&db);
	ev_doc_build(&e, a, &da);
	ev_observe(&e, &da);
	ev_add_to(&e, &da, (size_t)-1, &k);
	ev_doc_build(&e, b, &db);
	ev_observe(&e, &db);
	ev_features(&e, &db, e.ev[k], f);
	ev_doc_free(&da);
	ev_doc_free(&db);
	ev_engine_free(&e);
}

static void test_similarity(void)
{
	ev_input a, same, other, far;
	input(&a, "a", "Bachelet visits quake zone",
	      "President Michelle Bachelet visited Concepcion after the "
	      "earthquake destroyed homes.", "2010-02-28");
	input(&same, "b", "Bachelet tours Concepcion quake damage",
	      "Michelle Bachelet toured Concepcion where the earthquake "
	      "destroyed hundreds of homes.", "2010-03-01");
	input(&other, "c", "Bank raises rates",
	      "The central bank raised interest rates to fight inflation.",
	      "2010-03-01");
	input(&far, "d", "Bachelet visits quake zone",
	      "President Michelle Bachelet visited Concepcion after the "
	      "earthquake destroyed homes.", "2014-06-01");
	double fs[EV_NFEAT], fo[EV_NFEAT], ff[EV_NFEAT];
	far.published = "2010-06-01"; /* inside no gate: features only */
	pair_features(&a, &same, fs);
	pair_features(&a, &other, fo);
	pair_features(&a, &far, ff);
	CHECK(fs[EVF_BODY] > 0.3 && fo[EVF_BODY] < 0.05);
	CHECK(fs[EVF_ENT] > 0.5 && fo[EVF_ENT] == 0);
	CHECK(fs[EVF_TITLE] > fo[EVF_TITLE]);
	/* time counts as far as the content matches: the unrelated article
	 * of the same day gets (almost) nothing from its date */
	CHECK(fs[EVF_TIME] > 0.8 * fs[EVF_BODY] && ff[EVF_TIME] < fs[EVF_TIME]);
	CHECK(fo[EVF_TIME] < 0.05 && fo[EVF_TIME_NONE] == 0);
	CHECK(fabs(ff[EVF_BODY] - 1.0) < 1e-6); /* same text */
	ev_model m = ev_test_model();
	CHECK(ev_model_prob(&m, fs) > ev_model_prob(&m, fo));
}

/* Build (and drop) a doc of one made-up word, the w-th of those that
 * start "z" pre (into word); the word's term id, 0 when it has none. */
static uint32_t pad_word(ev_engine *e, char pre, int w, char word[16])
{
	snprintf(word, 16, "z%c%c%c%ct", pre, 'a' + w / 676 % 26,
		 'a' + w / 26 % 26, 'a' + w % 26);
	ev_doc p;
	ev_input pi;
	ev_doc_init(&p);
	input(&pi, "p", "", word, NULL);
	CHECK(ev_doc_build(e, &pi, &p) == CHR_OK);
	uint32_t id = p.body.n == 1 ? p.body.v[0].id : 0;
	ev_doc_free(&p);
	return id;
}

/* A cosine walks the centroid and looks its ids up in the doc's weight
 * table; a doc too long to table takes the sorted merge walk.  Both must
 * give the same bits (the same products summed in the same order).  With
 * pad, one-word docs fill the vocabulary up to EV_TAB_FILTER after the
 * first article, so the later articles' ids wrap the table's filter onto
 * the first one's (filter hits that the table must turn down). */
static void cosine_paths(int pad)
{
	ev_input a, b, c;
	input(&a, "a", "Storm floods the coast",
	      "Heavy rain flooded the coast of Valdoria and the storm cut "
	      "power to the port city of Ostrava on Monday.", "2025-03-03");
	input(&b, "b", "Valdoria storm: power cut in Ostrava",
	      "The storm left Ostrava without power; rescuers moved families "
	      "from flooded streets near the port.", "2025-03-03");
	input(&c, "c", "Ostrava counts the storm damage",
	      "Families returned to flooded streets in Ostrava as power came "
	      "back after the storm, the port authority said.", "2025-03-04");
	ev_engine e;
	ev_doc d[3];
	size_t k;
	CHECK(ev_text_lists_sorted());
	CHECK(ev_engine_init(&e, NULL) == CHR_OK);
	const ev_input *in[3] = {&a, &b, &c};
	for (int i = 0; i < 3; i++) {
		ev_doc_init(&d[i]);
		CHECK(ev_doc_build(&e, in[i], &d[i]) == CHR_OK);
		CHECK(ev_observe(&e, &d[i]) == CHR_OK);
		if (i < 2)
			CHECK(ev_add_to(&e, &d[i], i ? k : (size_t)-1, &k) ==
			      CHR_OK);
		for (int w = 0; pad && !i && e.terms.count < EV_TAB_FILTER; w++) {
			char word[16];
			pad_word(&e, 'q', w, word);
		}
	}
	/* c has ids past the wrap, the centroid ids below it */
	CHECK(!pad || (d[2].body.v[d[2].body.n - 1].id >= EV_TAB_FILTER &&
		       e.ev[k]->body.v[0].id < EV_TAB_FILTER));
	double ft[EV_NFEAT], fw[EV_NFEAT];
	ev_features(&e, &d[2], e.ev[k], ft);
	ev_features(&e, &d[2], e.ev[k], fw); /* the doc's keys, cached */
	CHECK(ft[EVF_KEY_ENT] > 0 && memcmp(ft, fw, sizeof ft) == 0);
	e.tab_max = 0; /* no table: the merge walk */
	e.docgen++;    /* drop the cached slots */
	ev_features(&e, &d[2], e.ev[k], fw);
	CHECK(ft[EVF_BODY] > 0.1 && ft[EVF_NN_BODY] > 0.1);
	CHECK(memcmp(ft, fw, sizeof ft) == 0);
	for (int i = 0; i < 3; i++)
		ev_doc_free(&d[i]);
	ev_engine_free(&e);
}

static void test_cosine_paths(void)
{
	cosine_paths(0);
	cosine_paths(1);
}

/* The time gate: an article dated years away never joins. */
static void test_time_gate(void)
{
	ev_engine e;
	ev_doc d;
	size_t k;
	ev_input a, far;
	input(&a, "a", "Bachelet visits quake zone",
	      "President Michelle Bachelet visited Concepcion.", "2010-02-28");
	input(&far, "b", "Bachelet visits quake zone",
	      "President Michelle Bachelet visited Concepcion.", "2014-06-01");
	ev_engine_init(&e, NULL);
	ev_doc_init(&d);
	ev_doc_build(&e, &a, &d);
	ev_add(&e, &d, &k, NULL);
	ev_doc_build(&e, &far, &d);
	CHECK(!ev_time_ok(&e, &d, e.ev[0]));
	ev_add(&e, &d, &k, NULL);
	CHECK_INT(e.nev, 2);
	ev_doc_free(&d);
	ev_engine_free(&e);
}

static int load(ev_corpus *c, const char *name)
{
	char p[512], err[256];
	snprintf(p, sizeof p, "%s/events/%s", th_data_dir(), name);
	if (ev_corpus_load(c, p, NULL, 1, err, sizeof err)) {
		fprintf(stderr, "  %s\n", err);
		return -1;
	}
	return 0;
}

static size_t cluster(const ev_corpus *c, const ev_model *m, uint64_t seed,
		      int *labels)
{
	size_t order[64];
	ev_engine e;
	ev_order(order, c->n, seed);
	if (ev_cluster(c, m, order, labels, &e))
		return 0;
	size_t n = e.nlive;
	ev_engine_free(&e);
	return n;
}

/* Merging: two events that one later article shows to be one story
 * merge into the older (its id stays), labels and the index follow the
 * survivor, and the person features see both sides' main persons. */
static void test_merge(void)
{
	ev_model m;
	ev_model_default(&m);
	m.threshold = 0.5;
	m.merge_threshold = 0.5;
	ev_engine e;
	ev_engine_init(&e, &m);
	ev_doc d;
	ev_doc_init(&d);
	ev_input in;
	size_t k1, k2, k3;
	input(&in, "a", "Storm floods river town",
	      "The storm flooded the river town of Alder and closed roads.",
	      "2020-05-01");
	in.person = "Ann Lee";
	ev_doc_build(&e, &in, &d);
	ev_observe(&e, &d);
	ev_add_to(&e, &d, (size_t)-1, &k1);
	input(&in, "b", "Alder river flood closes roads",
	      "Roads closed in Alder as the river flooded after the storm.",
	      "2020-05-01");
	ev_doc_build(&e, &in, &d);
	ev_observe(&e, &d);
	ev_add_to(&e, &d, (size_t)-1, &k2); /* kept apart by hand */
	CHECK(k1 != k2 && e.nlive == 2);
	double f[EV_NFEAT];
	input(&in, "c", "Storm flood in Alder: river town roads closed",
	      "The storm flooded the river town of Alder; roads closed.",
	      "2020-05-02");
	in.person = "Bo Ray";
	ev_doc_build(&e, &in, &d);
	ev_features(&e, &d, e.ev[k1], f);
	CHECK(f[EVF_PERSON_CLASH] == 1 && f[EVF_PERSON_SAME] == 0);
	CHECK(f[EVF_PERSON_MAJOR] == 0); /* one article makes no main person */
	in.person = "Ann Lee";
	ev_doc_build(&e, &in, &d);
	ev_features(&e, &d, e.ev[k1], f);
	CHECK(f[EVF_PERSON_SAME] == 1 && f[EVF_PERSON_CLASH] == 0);
	CHECK(ev_add(&e, &d, &k3, NULL) == CHR_OK);
	CHECK_INT(e.nlive, 1);
	CHECK(k3 == k1 && e.merged_id == e.ids[k2] &&
	      e.merged_into == e.ev[k1]->id);
	/* now Ann Lee is the main person of 2 of its 3 articles: a report
	 * about someone else clashes with her, one about her does not */
	in.person = "Bo Ray";
	ev_doc_build(&e, &in, &d);
	ev_features(&e, &d, e.ev[k1], f);
	CHECK(f[EVF_PERSON_MAJOR] == 1);
	in.person = "Ann Lee";
	ev_doc_build(&e, &in, &d);
	ev_features(&e, &d, e.ev[k1], f);
	CHECK(f[EVF_PERSON_MAJOR] == 0);
	CHECK(e.ev[k2] == NULL && ev_held(&e, k2) == e.ev[k1]); /* freed */
	CHECK(ev_live(&e, k2) == k1 && e.ev[k1]->n == 3 && e.ev[k1]->narts == 3);
	uint32_t cand[EV_MAXCAND];
	ev_observe(&e, &d);
	size_t n = ev_candidates(&e, &d, cand);
	for (size_t i = 0; i < n; i++)
		CHECK(cand[i] == k1);
	/* merging off: the same input keeps two events */
	ev_engine_free(&e);
	m.merge_threshold = 0;
	ev_engine_init(&e, &m);
	input(&in, "a", "Storm floods river town",
	      "The storm flooded the river town of Alder and closed roads.",
	      "2020-05-01");
	ev_doc_build(&e, &in, &d);
	ev_observe(&e, &d);
	ev_add_to(&e, &d, (size_t)-1, &k1);
	ev_doc_build(&e, &in, &d);
	ev_observe(&e, &d);
	ev_add_to(&e, &d, (size_t)-1, &k2);
	ev_doc_build(&e, &in, &d);
	CHECK(ev_add(&e, &d, &k3, NULL) == CHR_OK);
	CHECK(e.nlive == 2 && e.merged_id == 0);
	ev_doc_free(&d);
	ev_engine_free(&e);
}

/* Batch merging (batch_merge, as ingest and ev_cluster run): a join
 * makes no merge check; ev_settle_batch makes it for the batch's events
 * of more than EV_SETTLE_N articles, at merge_threshold, into the older
 * event. */
static int nmerged;
static chr_status count_merge(void *arg, int64_t from, int64_t into)
{
	(void)arg, (void)from, (void)into;
	return nmerged++, CHR_OK;
}

/* An engine merging at the batch end (merge threshold 0.5, the
 * small-event path kept out) with the given undated merge bar. */
static void batch_engine(ev_engine *e, double undated_bar)
{
	ev_model m;
	ev_model_default(&m);
	m.threshold = 0.5;
	m.merge_threshold = 0.5;
	m.settle_threshold = 0.99; /* the small-event path stays out */
	m.undated_merge_threshold = undated_bar;
	ev_engine_init(e, &m);
	e->batch_merge = 1;
}

static void test_batch_merge(void)
{
	ev_engine e;
	batch_engine(&e, 0);
	ev_doc d;
	ev_doc_init(&d);
	ev_input in;
	size_t k1 = (size_t)-1, k2 = (size_t)-1, k3;
	input(&in, "a", "Storm floods river town",
	      "The storm flooded the river town of Alder and closed roads.",
	      "2020-05-01");
	for (int i = 0; i < EV_SETTLE_N + 1; i++) { /* two events, by hand */
		ev_doc_build(&e, &in, &d);
		ev_observe(&e, &d);
		ev_add_to(&e, &d, k1, &k1);
		ev_doc_build(&e, &in, &d);
		ev_observe(&e, &d);
		ev_add_to(&e, &d, k2, &k2);
	}
	CHECK(k1 != k2 && e.nlive == 2 && e.ev[k2]->n > EV_SETTLE_N);
	int64_t id2 = e.ev[k2]->id;
	ev_doc_build(&e, &in, &d);
	CHECK(ev_add(&e, &d, &k3, NULL) == CHR_OK);
	CHECK(e.nlive == 2 && e.merged_id == 0); /* not yet */
	size_t ks[1] = { k3 };
	nmerged = 0;
	CHECK(ev_settle_batch(&e, ks, 1, count_merge, NULL) == CHR_OK);
	CHECK_INT(e.nlive, 1);
	CHECK_INT(nmerged, 1);
	CHECK(e.merged_id == id2 && e.merged_into == e.ev[k1]->id);
	CHECK(ev_live(&e, k3) == k1 && e.ev[k1]->n == 2 * (EV_SETTLE_N + 1) + 1);
	ev_doc_free(&d);
	ev_engine_free(&e);
}

/* The event's main person is the one most of its articles are about,
 * also when that person came second and caught up later (Ann Lee, then
 * Bo Ray twice: Bo Ray is the dominant one). */
static void test_main_person_order(void)
{
	ev_engine e;
	batch_engine(&e, 0); /* its thresholds play no part here */
	ev_doc d;
	ev_doc_init(&d);
	ev_input in;
	size_t k = (size_t)-1;
	static const char *const who[] = { "Ann Lee", "Bo Ray", "Bo Ray" };
	for (int i = 0; i < 3; i++) {
		input(&in, "a", "Storm floods river town",
		      "The storm flooded the river town of Alder.", "2020-05-01");
		in.person = who[i];
		ev_doc_build(&e, &in, &d);
		ev_observe(&e, &d);
		ev_add_to(&e, &d, k, &k);
	}
	double f[EV_NFEAT];
	in.person = "Ann Lee";
	ev_doc_build(&e, &in, &d);
	ev_features(&e, &d, e.ev[k], f);
	CHECK(f[EVF_PERSON_MAJOR] == 1 && f[EVF_PERSON_SAME] == 1);
	CHECK_INT(e.ev[k]->personn[0], 2);
	in.person = "Bo Ray";
	ev_doc_build(&e, &in, &d);
	ev_features(&e, &d, e.ev[k], f);
	CHECK(f[EVF_PERSON_MAJOR] == 0);
	ev_doc_free(&d);
	ev_engine_free(&e);
}

/* Two events of one story by hand, the second dated date2 (NULL: no
 * date at all), then one more dated report placed and the batch
 * settled with undated_merge_threshold bar: the live events left. */
static size_t undated_merge_run(const char *date2, double bar)
{
	ev_engine e;
	batch_engine(&e, bar);
	ev_doc d;
	ev_doc_init(&d);
	ev_input in;
	size_t k1 = (size_t)-1, k2 = (size_t)-1, k3;
	const char *head = "Storm floods river town",
		   *text = "The storm flooded the river town of Alder and "
			   "closed roads.";
	for (int i = 0; i < EV_SETTLE_N + 1; i++) {
		input(&in, "a", head, text, "2020-05-01");
		ev_doc_build(&e, &in, &d);
		ev_observe(&e, &d);
		ev_add_to(&e, &d, k1, &k1);
		input(&in, "b", head, text, date2);
		ev_doc_build(&e, &in, &d);
		CHECK((d.anchor == EV_NODAY) == !date2);
		ev_observe(&e, &d);
		ev_add_to(&e, &d, k2, &k2);
	}
	CHECK(k1 != k2 && e.nlive == 2);
	CHECK((e.ev[k2]->lo == EV_NODAY) == !date2);
	input(&in, "c", head, text, "2020-05-02");
	ev_doc_build(&e, &in, &d);
	CHECK(ev_add(&e, &d, &k3, NULL) == CHR_OK);
	size_t ks[1] = { k3 };
	CHECK(ev_settle_batch(&e, ks, 1, NULL, NULL) == CHR_OK);
	size_t live = e.nlive;
	ev_doc_free(&d);
	ev_engine_free(&e);
	return live;
}

/* An undated event merges with a dated one only at p >=
 * undated_merge_threshold; two dated events are not held to that bar. */
static void test_undated_merge(void)
{
	CHECK_INT(undated_merge_run(NULL, 0), 1);
	CHECK_INT(undated_merge_run(NULL, 1.0), 2);
	CHECK_INT(undated_merge_run("2020-05-01", 1.0), 1);
}

/* Numbers: a toll and a magnitude are kept ("6.1" as one number); years,
 * days next to a month name, clock times, 0 and 1 are not.  Two quakes
 * giving other numbers clash; a report giving the same ones shares. */
static void test_numbers(void)
{
	ev_model m;
	ev_model_default(&m);
	ev_engine e;
	ev_engine_init(&e, &m);
	ev_doc d;
	ev_doc_init(&d);
	ev_input in;
	size_t k;
	input(&in, "a", "Quake kills 23",
	      "A magnitude 6.1 quake killed 23 people on September 15 at "
	      "10:30 in 2009; 1 bridge fell.", "2009-09-15");
	ev_doc_build(&e, &in, &d);
	CHECK_INT(d.nnums, 2);
	ev_observe(&e, &d);
	ev_add_to(&e, &d, (size_t)-1, &k);
	double f[EV_NFEAT];
	input(&in, "b", "Quake toll 23",
	      "The magnitude 6.1 quake has killed 23, officials said.",
	      "2009-09-16");
	ev_doc_build(&e, &in, &d);
	ev_features(&e, &d, e.ev[k], f);
	CHECK(f[EVF_NUM_SHARE] > 0 && f[EVF_NUM_CLASH] == 0);
	input(&in, "c", "Quake kills 40",
	      "A magnitude 7.4 quake killed 40 people on the coast.",
	      "2009-09-16");
	ev_doc_build(&e, &in, &d);
	ev_features(&e, &d, e.ev[k], f);
	CHECK(f[EVF_NUM_SHARE] == 0 && f[EVF_NUM_CLASH] == 1);
	ev_doc_free(&d);
	ev_engine_free(&e);
}

/* Build d from in and add it to event k (-1: a new one), as training
 * does (no scoring). */
static void add_by_hand(ev_engine *e, ev_input *in, ev_doc *d, size_t k,
			size_t *out)
{
	ev_doc_build(e, in, d);
	ev_observe(e, d);
	ev_add_to(e, d, k, out);
}

/* Settling: a small event kept apart at placement merges into the older
 * event it matches once the batch is placed (the older id survives);
 * with settling off, or an event over EV_SETTLE_N articles, it stays. */
static void test_settle(void)
{
	ev_model m;
	ev_model_default(&m);
	m.threshold = 0.5;
	ev_doc d;
	ev_doc_init(&d);
	ev_input in;
	for (int round = 0; round < 3; round++) {
		m.settle_threshold = round == 1 ? 0 : 0.5;
		size_t nb = round == 2 ? EV_SETTLE_N + 1 : 1;
		ev_engine e;
		ev_engine_init(&e, &m);
		size_t k1, k2 = (size_t)-1, k;
		input(&in, "a", "Storm floods river town",
		      "The storm flooded the river town of Alder and closed roads.",
		      "2020-05-01");
		add_by_hand(&e, &in, &d, (size_t)-1, &k1);
		for (size_t i = 0; i < nb; i++) { /* kept apart by hand */
			input(&in, "b", "Alder river flood closes roads",
			      "Roads closed in Alder as the river flooded after the storm.",
			      "2020-05-01");
			add_by_hand(&e, &in, &d, k2, &k2);
		}
		int64_t id2 = e.ev[k2]->id;
		CHECK(e.nlive == 2 && e.ev[k2]->n == nb);
		k = k2;
		CHECK(ev_settle(&e, &k) == CHR_OK);
		if (round == 0) {
			CHECK(e.nlive == 1 && k == k1 && ev_live(&e, k2) == k1);
			CHECK(e.merged_id == id2 && e.merged_into == e.ev[k1]->id);
			CHECK(e.ev[k1]->n == 2);
		} else {
			CHECK(e.nlive == 2 && k == k2 && e.merged_id == 0);
		}
		ev_engine_free(&e);
	}
	ev_doc_free(&d);
}

static void test_two_earthquakes(void)
{
	ev_corpus c;
	if (load(&c, "quakes.jsonl")) {
		CHECK(0);
		return;
	}
	ev_model m = ev_test_model();
	for (uint64_t seed = 0; seed < 6; seed++) {
		int lab[64];
		CHECK_INT(cluster(&c, &m, seed, lab), 2);
		for (size_t i = 0; i < c.n; i++)
			for (size_t j = 0; j < c.n; j++) {
				int same = c.items[i].id[0] == c.items[j].id[0];
				CHECK(same == (lab[i] == lab[j]));
			}
	}
	ev_corpus_free(&c);
}

static void test_threshold(void)
{
	ev_corpus c;
	if (load(&c, "quakes.jsonl")) {
		CHECK(0);
		return;
	}
	ev_model m = ev_test_model();
	int lab[64];
	m.threshold = 1.01; /* nothing joins */
	CHECK_INT(cluster(&c, &m, 0, lab), c.n);
	m.threshold = 0; /* everything joins a candidate if it has one */
	CHECK(cluster(&c, &m, 0, lab) < 2 + 1);
	ev_corpus_free(&c);
	/* unrelated articles stay apart at the trained threshold */
	if (load(&c, "unrelated.jsonl")) {
		CHECK(0);
		return;
	}
	m = ev_test_model();
	CHECK_INT(cluster(&c, &m, 0, lab), c.n);
	ev_corpus_free(&c);
}

static void test_determinism(void)
{
	ev_corpus c;
	if (load(&c, "quakes.jsonl")) {
		CHECK(0);
		return;
	}
	ev_model m = ev_test_model();
	int a[64], b[64];
	for (uint64_t seed = 0; seed < 3; seed++) {
		cluster(&c, &m, seed, a);
		cluster(&c, &m, seed, b);
		CHECK(!memcmp(a, b, c.n * sizeof *a));
	}
	ev_corpus_free(&c);
}

/* Many one-article events on shared words: candidates stay bounded and
 * the index returns the most recent events first. */
static void test_candidate_index(void)
{
	ev_engine e;
	ev_model m;
	ev_model_default(&m);
	m.threshold = 1.01; /* every doc its own event */
	ev_engine_init(&e, &m);
	ev_doc d;
	ev_doc_init(&d);
	char text[128], id[16];
	for (int i = 0; i < 500; i++) {
		snprintf(text, sizeof text, "storm flood rain river word%d", i);
		snprintf(id, sizeof id, "s%d", i);
		ev_input in;
		input(&in, id, "", text, NULL);
		size_t k;
		ev_doc_build(&e, &in, &d);
		CHECK(ev_add(&e, &d, &k, NULL) == CHR_OK);
		CHECK_INT(k, i);
	}
	ev_input in;
	input(&in, "q", "", "storm flood rain river", NULL);
	ev_doc_build(&e, &in, &d);
	ev_observe(&e, &d);
	uint32_t cand[EV_MAXCAND];
	size_t n = ev_candidates(&e, &d, cand);
	CHECK(n > 0 && n <= EV_POSTINGS);
	CHECK(n > 0 && cand[0] == 499); /* most recent first */
	for (size_t i = 0; i < n; i++)
		CHECK(cand[i] >= 500 - EV_POSTINGS);
	ev_doc_free(&d);
	ev_engine_free(&e);
}

/* Two-stage placement (e->full_k): 30 one-article events share the
 * query's common words, one also its rare ones.  Scoring only the 2
 * best by the first-stage score (ev_prescore) places the query in the
 * same event with the same p as scoring all of them, scores fewer, and
 * the first stage's cosines are the ones ev_features reports. */
static void test_two_stage(void)
{
	ev_model m;
	ev_model_default(&m);
	size_t got[2];
	double p[2];
	uint64_t scored[2];
	for (int run = 0; run < 2; run++) {
		ev_engine e;
		ev_engine_init(&e, &m);
		e.full_k = run ? 2 : 0;
		e.model.threshold = 1.01; /* every doc its own event */
		ev_doc d;
		ev_doc_init(&d);
		char text[160], id[16];
		for (int i = 0; i < 30; i++) {
			snprintf(text, sizeof text,
				 i == 17 ? "harbour strike dockers pay union wharf "
					   "cranes idle word%d"
					 : "harbour weather report calm seas word%d",
				 i);
			snprintf(id, sizeof id, "t%d", i);
			ev_input in;
			input(&in, id, "", text, "2024-03-01");
			size_t k;
			CHECK(ev_doc_build(&e, &in, &d) == CHR_OK);
			CHECK(ev_add(&e, &d, &k, NULL) == CHR_OK);
			CHECK_INT(k, i);
		}
		e.model = m;
		ev_input in;
		input(&in, "q", "Dockers strike",
		      "harbour strike dockers pay union wharf cranes idle calm",
		      "2024-03-02");
		CHECK(ev_doc_build(&e, &in, &d) == CHR_OK);
		uint64_t before = e.scored_total;
		CHECK(ev_add(&e, &d, &got[run], &p[run]) == CHR_OK);
		scored[run] = e.scored_total - before;
		/* the first stage's value is ev_features' (cached or not) */
		double f[EV_NFEAT];
		ev_features(&e, &d, e.ev[3], f);
		double pre = ev_prescore(&e, &d, e.ev[3]);
		CHECK(pre == (f[EVF_BODY] > f[EVF_TITLE] ? f[EVF_BODY]
							 : f[EVF_TITLE]));
		double g[EV_NFEAT];
		ev_features(&e, &d, e.ev[3], g);
		CHECK(!memcmp(f, g, sizeof f));
		ev_doc_free(&d);
		ev_engine_free(&e);
	}
	CHECK_INT(got[0], 17);
	CHECK_INT(got[1], got[0]);
	CHECK(p[0] > 0 && p[1] == p[0]);
	CHECK(scored[0] > 2 && scored[1] == 2);
}

/* An engine in which every doc starts its own event (the default model
 * at a threshold no p reaches), and two empty docs. */
static void solo_engine(ev_engine *e, ev_doc *d, ev_doc *q)
{
	ev_model m;
	ev_model_default(&m);
	m.threshold = 1.01;
	ev_engine_init(e, &m);
	ev_doc_init(d);
	ev_doc_init(q);
}

/* The first stage keeps a centroid's norm while the stream grows by at
 * most 1/EV_PRE_STALE: close to the exact cosine then, exact once the
 * stream has grown further or the centroid changed. */
static void test_prescore_stale(void)
{
	ev_engine e;
	ev_doc d, q;
	solo_engine(&e, &d, &q);
	char text[160], id[16];
	size_t k, t = 0;
	for (int i = 0; i < 200; i++) {
		snprintf(text, sizeof text,
			 i == 0 ? "harbour strike dockers pay union wharf"
				: "market report word%d shares item%d",
			 i, i % 7);
		snprintf(id, sizeof id, "p%d", i);
		ev_input in;
		input(&in, id, "", text, NULL);
		CHECK(ev_doc_build(&e, &in, &d) == CHR_OK);
		if (i == 0)
			CHECK(ev_add(&e, &d, &t, NULL) == CHR_OK);
		else if (i < 64)
			CHECK(ev_add(&e, &d, &k, NULL) == CHR_OK);
		else
			break;
	}
	ev_input in;
	input(&in, "q", "", "harbour strike dockers wages", NULL);
	CHECK(ev_doc_build(&e, &in, &q) == CHR_OK);
	double f[EV_NFEAT];
	ev_features(&e, &q, e.ev[t], f); /* the norms, at 64 docs */
	for (int i = 0; i < 3; i++) /* 67 docs: within 1/16 */
		CHECK(ev_observe(&e, &d) == CHR_OK);
	double pre = ev_prescore(&e, &q, e.ev[t]);
	ev_features(&e, &q, e.ev[t], f);
	double exact = f[EVF_BODY] > f[EVF_TITLE] ? f[EVF_BODY] : f[EVF_TITLE];
	CHECK(exact > 0.3 && fabs(pre - exact) < 0.01 * exact);
	CHECK(pre != exact); /* the kept norm: the idf has moved since */
	/* that walk's dot product served ev_features: the same features
	 * as a walk of its own (fresh doc slots, the centroid's norms and
	 * dot dropped) */
	for (int i = 0; i < 3; i++) /* 70 docs: within 1/16 */
		CHECK(ev_observe(&e, &d) == CHR_OK);
	pre = ev_prescore(&e, &q, e.ev[t]);
	CHECK(e.ev[t]->body.dot_v == &q.body &&
	      e.ev[t]->body.dot_at == e.ndocs + 1);
	double fd[EV_NFEAT], fw[EV_NFEAT];
	ev_features(&e, &q, e.ev[t], fd);
	e.docgen++;
	e.ev[t]->body.norm_at = e.ev[t]->head.norm_at = 0;
	e.ev[t]->body.dot_v = e.ev[t]->head.dot_v = NULL;
	ev_features(&e, &q, e.ev[t], fw);
	CHECK(fd[EVF_BODY] > 0.3 && memcmp(fd, fw, sizeof fd) == 0);
	for (int i = 0; i < 5; i++) /* 75 docs, as before */
		CHECK(ev_observe(&e, &d) == CHR_OK);
	/* 75 docs: the norm is too old */
	pre = ev_prescore(&e, &q, e.ev[t]);
	ev_features(&e, &q, e.ev[t], f);
	CHECK(pre == (f[EVF_BODY] > f[EVF_TITLE] ? f[EVF_BODY] : f[EVF_TITLE]));
	CHECK(ev_observe(&e, &d) == CHR_OK);
	CHECK(ev_add_to(&e, &d, t, &k) == CHR_OK); /* the centroid changes */
	pre = ev_prescore(&e, &q, e.ev[t]);
	ev_features(&e, &q, e.ev[t], f);
	CHECK(pre == (f[EVF_BODY] > f[EVF_TITLE] ? f[EVF_BODY] : f[EVF_TITLE]));
	ev_doc_free(&d);
	ev_doc_free(&q);
	ev_engine_free(&e);
}

/* ev_prescores (pick_full's: the doc's cache slots looked up once for
 * all the candidates) gives each event ev_prescore's value bit for bit,
 * over events whose kept norm serves the first stage (a stale norm, the
 * walk's dot product kept) and events it does not (too old, or the
 * centroid changed: the exact cosine, which caches the norm). */
static void test_prescores(void)
{
	ev_engine e;
	ev_doc d, q;
	solo_engine(&e, &d, &q);
	char text[200], id[16];
	size_t k;
	for (int i = 0; i < 40; i++) {
		snprintf(text, sizeof text,
			 "harbour strike dockers word%d pay item%d union "
			 "wharf%d cranes",
			 i, i % 5, i % 3);
		snprintf(id, sizeof id, "s%d", i);
		ev_input in;
		input(&in, id, i % 2 ? "Dockers strike" : "", text, NULL);
		CHECK(ev_doc_build(&e, &in, &d) == CHR_OK);
		CHECK(ev_add(&e, &d, &k, NULL) == CHR_OK);
		CHECK_INT(k, i);
	}
	ev_input in;
	input(&in, "q", "Dockers strike", "harbour strike dockers wages item2",
	      NULL);
	CHECK(ev_doc_build(&e, &in, &q) == CHR_OK);
	double f[EV_NFEAT];
	for (uint32_t i = 0; i < 40; i++) /* norms at 40 docs */
		ev_features(&e, &q, e.ev[i], f);
	CHECK(ev_observe(&e, &d) == CHR_OK); /* 41: within 1/16 */
	for (int i = 0; i < 40; i += 7) /* these change */
		CHECK(ev_add_to(&e, &d, (size_t)i, &k) == CHR_OK);
	CHECK(ev_doc_build(&e, &in, &q) == CHR_OK);
	uint32_t c[40];
	double got[40];
	for (uint32_t i = 0; i < 40; i++)
		c[i] = 39 - i;
	ev_prescores(&e, &q, c, 40, got);
	int kept = 0, exact = 0, eq = 1, pos = 0;
	for (uint32_t i = 0; i < 40; i++) {
		const ev_cent *b = &e.ev[c[i]]->body;
		kept += b->dot_v == &q.body && b->norm_at != e.ndocs + 1;
		exact += b->norm_at == e.ndocs + 1;
		double want = ev_prescore(&e, &q, e.ev[c[i]]);
		eq &= !memcmp(&got[i], &want, sizeof want);
		pos += got[i] > 0;
	}
	CHECK(eq);
	CHECK(kept > 20 && exact >= 6 && pos == 40);
	ev_doc_free(&d);
	ev_doc_free(&q);
	ev_engine_free(&e);
}

/* The dot product of doc vector a and centroid c (mean over n) by a
 * merge walk of the two sorted vectors, as ev_score.c sums it. */
static double merge_dot(const ev_engine *e, const ev_vec *a,
			const ev_cent *c, uint32_t n)
{
	double dot = 0;
	uint32_t i = 0, j = 0;
	while (i < a->n && j < c->n) {
		if (a->v[i].id < c->v[j].id) {
			i++;
		} else if (c->v[j].id < a->v[i].id) {
			j++;
		} else {
			double w = ev_idf(e, e->tdf[a->v[i].id]);
			double x = ev_sat(a->v[i].tf) * w;
			dot += x * (ev_sat(c->v[j].tf / n) * w);
			i++;
			j++;
		}
	}
	return dot;
}

/* A walk of a centroid against a doc's weight table tests the table's
 * filter for several ids at once (four, or eight with AVX2 when avx2 and
 * the CPU has it) and probes only the ids it admits: the first stage's
 * dot product (kept norm) is a merge walk's, bit for bit, with shared
 * ids first, inside and last in the blocks (each starts after the
 * previous hit) and in the tail, and ids that share a centroid id's
 * filter byte (past a wrap of the vocabulary: the table turns them
 * down); the exact walk over the table (fresh norm, fresh slot) gives
 * the merge walk's features. */
static void prescore_walk(int avx2)
{
	ev_model m;
	ev_model_default(&m);
	m.threshold = 1.01; /* every doc its own event */
	ev_engine e;
	CHECK(ev_engine_init(&e, &m) == CHR_OK);
	CHECK(e.avx2 == ev_avx2_ok());
	e.avx2 = avx2 && e.avx2;
	ev_doc d, q;
	ev_doc_init(&d);
	ev_doc_init(&q);
	static char text[4096];
	char w[103][8];
	size_t len = 0, t, k;
	for (int i = 0; i < 103; i++) {
		snprintf(w[i], sizeof w[i], "zq%c%ct", 'a' + i / 26, 'a' + i % 26);
		len += (size_t)snprintf(text + len, sizeof text - len, "%s ", w[i]);
	}
	ev_input in;
	input(&in, "t", "", text, NULL);
	CHECK(ev_doc_build(&e, &in, &d) == CHR_OK);
	CHECK(ev_add(&e, &d, &t, NULL) == CHR_OK);
	const ev_cent *c = &e.ev[t]->body;
	CHECK_INT(c->n, 103);
	CHECK(c->v[102].id <= 103); /* ids from 1 */
	/* one-word docs (not added) fill the vocabulary past the filter's
	 * size: pw[r] is the word of id EV_TAB_FILTER + r */
	static char pw[104][16];
	int have[104] = { 0 };
	for (int i = 0; e.terms.count <= EV_TAB_FILTER + 103; i++) {
		char word[16];
		uint32_t r = pad_word(&e, 'p', i, word) - EV_TAB_FILTER;
		if (r < 104) {
			memcpy(pw[r], word, sizeof pw[r]);
			have[r] = 1;
		}
	}
	for (int i = 1; i < 64; i++) { /* 64 docs */
		char id[16];
		snprintf(text, sizeof text, "market report word%d shares "
			 "item%d", i, i % 7);
		snprintf(id, sizeof id, "f%d", i);
		input(&in, id, "", text, NULL);
		CHECK(ev_doc_build(&e, &in, &d) == CHR_OK);
		CHECK(ev_add(&e, &d, &k, NULL) == CHR_OK);
	}
	/* the query: centroid words and wrapped ids; eight-id blocks from
	 * 12 (14 alone, third), 23 (30, last), 47 (50, fourth), 92 (99,
	 * last), the tail 100-102 */
	static const int at[] = { 0, 3, 4, 5, 8, 9, 10, 11, 14, 30, 50, 99,
				  100, 101, 102 };
	static const int wrap[] = { 1, 2, 6, 7, 51 };
	len = 0;
	for (size_t i = 0; i < sizeof at / sizeof *at; i++)
		len += (size_t)snprintf(text + len, sizeof text - len, "%s %s ",
					w[at[i]], i % 2 ? w[at[i]] : "");
	for (size_t i = 0; i < sizeof wrap / sizeof *wrap; i++) {
		uint32_t r = c->v[wrap[i]].id;
		CHECK(r < 104 && have[r]);
		if (r < 104 && have[r])
			len += (size_t)snprintf(text + len, sizeof text - len,
						"%s ", pw[r]);
	}
	input(&in, "q", "", text, NULL);
	CHECK(ev_doc_build(&e, &in, &q) == CHR_OK);
	double f[EV_NFEAT], g[EV_NFEAT], h[EV_NFEAT];
	ev_features(&e, &q, e.ev[t], f); /* the norms, at 64 docs */
	for (int i = 0; i < 3; i++) /* 67 docs: within 1/16 */
		CHECK(ev_observe(&e, &d) == CHR_OK);
	double pre = ev_prescore(&e, &q, e.ev[t]);
	CHECK(c->dot_v == &q.body && c->dot_at == e.ndocs + 1);
	double dot = merge_dot(&e, &q.body, c, e.ev[t]->n);
	CHECK(dot > 0 && c->dot == dot);
	CHECK(pre > 0.2 && pre < 1);
	/* the exact walk over the table: the centroid's norm is fresh, the
	 * doc's slot and the kept cosines are dropped */
	ev_features(&e, &q, e.ev[t], f);
	e.docgen++;
	ev_features(&e, &q, e.ev[t], g);
	e.tab_max = 0; /* no table: the merge walk */
	e.docgen++;
	ev_features(&e, &q, e.ev[t], h);
	CHECK(f[EVF_BODY] > 0.2 && memcmp(f, g, sizeof f) == 0 &&
	      memcmp(g, h, sizeof g) == 0);
	ev_doc_free(&d);
	ev_doc_free(&q);
	ev_engine_free(&e);
}

static void test_prescore_walk(void)
{
	prescore_walk(1);
	prescore_walk(0);
}

/* 1 when each tabled doc-vector slot's filter has a byte set for its
 * table's ids and for nothing else. */
static int slot_filters_exact(const ev_engine *e)
{
	static unsigned char want[EV_TAB_FILTER];
	for (int k = 0; k < EV_NORMC; k++) {
		const ev_normc *s = &e->normc[k];
		if (!s->cap)
			continue;
		memset(want, 0, sizeof want);
		for (uint32_t h = 0; h < s->cap; h++)
			if (s->key[h])
				want[(s->key[h] - 1) % EV_TAB_FILTER] = 1;
		for (uint32_t i = 0; i < EV_TAB_FILTER; i++)
			if (!s->filter[i] != !want[i])
				return 0;
	}
	return 1;
}

/* A slot filled again clears its filter (a small table byte by byte, by
 * its keys; a large one whole): docs of 3 to 150 words, each added (the
 * candidate index fills the body, headline and entity slots), leave
 * every slot's filter exactly its table's ids. */
static void test_slot_filter(void)
{
	ev_model m;
	ev_model_default(&m);
	m.threshold = 1.01; /* every doc its own event */
	ev_engine e;
	CHECK(ev_engine_init(&e, &m) == CHR_OK);
	ev_doc d;
	ev_doc_init(&d);
	static char text[8192];
	int fills = 0;
	for (int i = 0; i < 40; i++) {
		int words = i % 4 == 0 ? 150 : i % 4 == 1 ? 3 : i % 4 == 2 ? 45 : 20;
		size_t len = 0;
		for (int w = 0; w < words; w++)
			len += (size_t)snprintf(text + len, sizeof text - len,
						"zs%c%c%c ", 'a' + (i * 7 + w) / 676 % 26,
						'a' + (i * 7 + w) / 26 % 26,
						'a' + (i * 7 + w) % 26);
		char id[16];
		snprintf(id, sizeof id, "s%d", i);
		ev_input in;
		input(&in, id, i % 2 ? "Harbor Talks Resume" : "", text, NULL);
		CHECK(ev_doc_build(&e, &in, &d) == CHR_OK);
		size_t k;
		CHECK(ev_add(&e, &d, &k, NULL) == CHR_OK);
		CHECK(slot_filters_exact(&e));
		for (int j = 0; j < EV_NORMC; j++)
			fills += e.normc[j].cap > 0 && e.normc[j].cap <= 128;
	}
	CHECK(fills > EV_NORMC);
	ev_doc_free(&d);
	ev_engine_free(&e);
}

static void test_syndication(void)
{
	ev_engine e;
	ev_engine_init(&e, NULL);
	ev_doc d;
	ev_doc_init(&d);
	ev_input a, b;
	input(&a, "a", "Bank raises rates", "The central bank raised rates.",
	      NULL);
	input(&b, "b", "Snow closes roads", "Heavy snow closed the roads.",
	      NULL);
	a.group = b.group = 7;
	size_t ka, kb;
	ev_doc_build(&e, &a, &d);
	ev_add(&e, &d, &ka, NULL);
	ev_doc_build(&e, &b, &d);
	ev_add(&e, &d, &kb, NULL);
	CHECK_INT(ka, kb);
	ev_doc_free(&d);
	ev_engine_free(&e);
}

static void test_scorers(void)
{
	int gold[6] = { 0, 0, 0, 1, 1, 1 };
	int same[6] = { 5, 5, 5, 2, 2, 2 };
	int one[6] = { 0, 0, 0, 0, 0, 0 };
	int split[6] = { 0, 1, 2, 3, 4, 5 };
	ev_bcubed b = ev_bcubed_score(same, gold, 6);
	CHECK(fabs(b.f - 1) < 1e-9);
	b = ev_bcubed_score(one, gold, 6);
	CHECK(fabs(b.p - 0.5) < 1e-9 && fabs(b.r - 1) < 1e-9);
	b = ev_bcubed_score(split, gold, 6);
	CHECK(fabs(b.p - 1) < 1e-9 && fabs(b.r - 1.0 / 3) < 1e-9);
	CHECK(fabs(ev_nmi(same, gold, 6) - 1) < 1e-9);
	CHECK(fabs(ev_nmi(one, gold, 6)) < 1e-9);
}

int main(void)
{
	static const th_test tests[] = {
		TEST(test_cosine_paths), TEST(test_similarity),
		TEST(test_two_earthquakes), TEST(test_threshold),
		TEST(test_determinism),  TEST(test_candidate_index),
		TEST(test_syndication),  TEST(test_scorers),
		TEST(test_two_stage),    TEST(test_prescore_stale),
		TEST(test_prescores),
		TEST(test_prescore_walk), TEST(test_slot_filter),
		TEST(test_time_gate),    TEST(test_merge),
		TEST(test_settle),       TEST(test_batch_merge),
		TEST(test_undated_merge), TEST(test_numbers),
		TEST(test_main_person_order),
	};
	return th_run("events", tests, sizeof tests / sizeof tests[0]);
}
