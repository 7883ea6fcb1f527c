/*
 * test_events: the events stage on invented articles (tests/data/events/)
 * and, when ../shared is present, on the seed corpus.
 *
 * Design note: checks the parts one by one (calendar and the date
 * scanner, doc building, similarity features, threshold behaviour, the
 * candidate index bound, syndication groups, determinism, merging
 * events, the scorers)
 * and then the behaviour that matters: two different earthquakes in
 * different places and years must come out as two events.  The model is
 * the committed models/events.txt when readable, else the built-in copy.
 */
#include "harness.h"

#include <dirent.h>
#include <fcntl.h>
#include <jansson.h>
#include <libstemmer.h>
#include <math.h>
#include <unistd.h>

#include "events/ev_corpus.h"
#include "pipeline/article.h"

static ev_model model(void)
{
	ev_model m;
	char err[256];
	if (ev_model_load(&m, "models/events.txt", err, sizeof err))
		ev_model_default(&m);
	return m;
}

static void input(ev_input *in, const char *id, const char *head,
		  const char *text, const char *date)
{
	memset(in, 0, sizeof *in);
	in->id = id;
	in->headline = head;
	in->text = text;
	in->text_len = strlen(text);
	in->published = date;
	in->group = -1;
}

/* The committed model parses, with every weight; the copy built into the
 * library is that file; a broken file is refused with file and line. */
static void test_model_file(void)
{
	ev_model f, b;
	char err[256];
	chr_status st = ev_model_load(&f, "models/events.txt", err, sizeof err);
	if (st == CHR_EIO || st == CHR_ENOTFOUND)
		SKIP("models/events.txt not found");
	CHECK_INT(st, CHR_OK);
	ev_model_builtin(&b);
	for (int i = 0; i < EV_NFEAT; i++)
		CHECK(f.w[i] == b.w[i]);
	CHECK(f.threshold == b.threshold && f.threshold > 0);
	char path[] = "/tmp/chr_evmodel_XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	const char *bad = "# a model\nbias -3.0\nbody_cos oops\n";
	CHECK(write(fd, bad, strlen(bad)) == (ssize_t)strlen(bad));
	close(fd);
	CHECK_INT(ev_model_load(&f, path, err, sizeof err), CHR_EMODEL);
	CHECK(strstr(err, ":3:") != NULL);
	fd = open(path, O_WRONLY | O_TRUNC);
	const char *partial = "bias -3.0\nbody_cos 4.5\n"; /* weights missing */
	CHECK(fd >= 0 && write(fd, partial, strlen(partial)) ==
			 (ssize_t)strlen(partial));
	if (fd >= 0)
		close(fd);
	CHECK_INT(ev_model_load(&f, path, err, sizeof err), CHR_EMODEL);
	CHECK(strstr(err, "weights given") != NULL);
	unlink(path);
}

static void test_calendar(void)
{
	CHECK_INT(ev_days(1970, 1, 1), 0);
	CHECK_INT(ev_days(2024, 1, 16) - ev_days(2023, 1, 16), 365);
	int y, m, d;
	ev_ymd(ev_days(2019, 11, 20), &y, &m, &d);
	CHECK(y == 2019 && m == 11 && d == 20);
	CHECK_INT(ev_parse_day("2024-02-29"), ev_days(2024, 2, 29));
	CHECK(ev_parse_day("2023-02-29") == EV_NODAY);
	CHECK(ev_parse_day("20-01-01") == EV_NODAY);
	char out[11];
	ev_fmt_day(ev_days(2013, 5, 3), out);
	CHECK_STR(out, "2013-05-03");
}

static void test_scan_dates(void)
{
	ev_doc d;
	ev_doc_init(&d);
	const char *t = "May 03, 2013\nSEOUL, 21st Nov, 2019 -- met on "
			"2024-01-16 and in 1998 and June 2010.";
	ev_scan_dates(t, strlen(t), &d);
	CHECK_INT(d.ndates, 3);
	CHECK_INT(d.dates[0], ev_days(2013, 5, 3));
	CHECK_INT(d.dates[1], ev_days(2019, 11, 21));
	CHECK_INT(d.dates[2], ev_days(2024, 1, 16));
	int has1998 = 0, has2010 = 0;
	for (uint32_t i = 0; i < d.nyears; i++) {
		has1998 |= d.years[i] == 1998;
		has2010 |= d.years[i] == 2010;
	}
	CHECK(has1998 && has2010);
	ev_doc_free(&d);
}

static void test_doc_build(void)
{
	ev_engine e;
	CHECK(ev_engine_init(&e, NULL) == CHR_OK);
	ev_doc d;
	ev_doc_init(&d);
	ev_input in;
	input(&in, "a", "Quakes shake Chile",
	      "The earthquakes shook Santiago. The Chilean President Michelle "
	      "Bachelet spoke.", "2010-02-27");
	in.dateline = "SANTIAGO/LIMA";
	CHECK(ev_doc_build(&e, &in, &d) == CHR_OK);
	CHECK(d.body.n > 0 && d.head.n > 0);
	for (uint32_t i = 1; i < d.body.n; i++)
		CHECK(d.body.v[i - 1].id < d.body.v[i].id);
	/* "quakes"/"earthquakes" stem; "the" is a stop word */
	CHECK(ht_get(&e.terms, "quak", 4) != NULL);
	CHECK(ht_get(&e.terms, "the", 3) == NULL);
	/* stand-in entities: the phrase and its words; "The" is not a name */
	CHECK(ht_get(&e.ents, "michelle", 8) != NULL);
	CHECK(ht_get(&e.ents, "bachelet", 8) != NULL);
	CHECK(ht_get(&e.ents, "the", 3) == NULL);
	CHECK(d.anchor == ev_days(2010, 2, 27));
	CHECK(d.place != 0 && ht_get(&e.places, "santiago", 8) != NULL);
	/* an article that is only its headline gets it as its body too */
	input(&in, "b", "Climber dies in fall on Mount Cook", "", NULL);
	CHECK(ev_doc_build(&e, &in, &d) == CHR_OK);
	CHECK(d.body.n > 0 && d.body.n == d.head.n);
	/* a sentence-initial capitalised word is a name only when the text
	 * never writes it lower-case */
	ev_engine e3;
	CHECK(ev_engine_init(&e3, NULL) == CHR_OK);
	input(&in, "c", "port strike",
	      "Dockers walked out. Union leaders said dockers would stay out. "
	      "Harbourmaster Ostrander said ships were waiting. Ostrander "
	      "called it a standoff.", NULL);
	CHECK(ev_doc_build(&e3, &in, &d) == CHR_OK);
	CHECK(ht_get(&e3.ents, "dockers", 7) == NULL);
	CHECK(ht_get(&e3.ents, "ostrander", 9) != NULL);
	CHECK(ht_get(&e3.ents, "union", 5) != NULL); /* never lower-case */
	ev_engine_free(&e3);
	/* the main person: a PER key mentioned twice */
	in.person = "Mark Vinar";
	CHECK(ev_doc_build(&e, &in, &d) == CHR_OK);
	CHECK(d.person != 0 && ht_get(&e.ents, "mark vinar", 10) != NULL);
	ev_doc_free(&d);
	ev_engine_free(&e);
}

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

/* Two docs are the same: ids, weights, dates, place, person, title. */
static int same_doc(const ev_doc *a, const ev_doc *b)
{
	const ev_vec *va[] = { &a->body, &a->head, &a->ents };
	const ev_vec *vb[] = { &b->body, &b->head, &b->ents };
	for (int k = 0; k < 3; k++) {
		if (va[k]->n != vb[k]->n)
			return 0;
		for (uint32_t i = 0; i < va[k]->n; i++)
			if (va[k]->v[i].id != vb[k]->v[i].id ||
			    va[k]->v[i].tf != vb[k]->v[i].tf)
				return 0;
	}
	return a->anchor == b->anchor && a->ndates == b->ndates &&
	       !memcmp(a->dates, b->dates, a->ndates * sizeof *a->dates) &&
	       a->nyears == b->nyears && a->place == b->place &&
	       a->person == b->person && a->undated == b->undated &&
	       !strcmp(a->title, b->title) && !strcmp(a->id, b->id);
}

/* The text half made apart (ev_prep_new, as the ingest text thread does)
 * and applied later gives exactly ev_doc_build's doc, ids included. */
static void test_prep_apply(void)
{
	ev_engine e1, e2;
	CHECK(ev_engine_init(&e1, NULL) == CHR_OK);
	CHECK(ev_engine_init(&e2, NULL) == CHR_OK);
	struct sb_stemmer *stem = sb_stemmer_new("english", NULL);
	CHECK(stem != NULL);
	static const char *const ents[] = { "Nordhaven Lines", "Tidewell",
					    "Port of Valmora" };
	ev_input in[3];
	input(&in[0], "p1", "Nordhaven to buy Tidewell",
	      "Shipping group Nordhaven Lines agreed on Monday to buy rival "
	      "Tidewell for 2.4 billion crowns. Nordhaven said the deal, "
	      "announced on March 5, 2025, would close in June.", "2025-03-05");
	in[0].dateline = "VALMORA, Carridia";
	in[0].entities = ents;
	in[0].nentities = 3;
	in[0].person = "Ilse Marten";
	input(&in[1], "p2", "", "Dockers at the Port of Valmora walked out.\n"
	      "The strike shut the port for a third day.", NULL);
	input(&in[2], "p3", "Storm Hesper batters the coast", "", "2025-03-11");
	ev_doc d1, d2;
	ev_doc_init(&d1);
	ev_doc_init(&d2);
	for (int round = 0; round < 2; round++) /* the second: known keys */
		for (int i = 0; i < 3; i++) {
			CHECK(ev_doc_build(&e1, &in[i], &d1) == CHR_OK);
			ev_prep *p = NULL;
			CHECK(ev_prep_new(&in[i], stem, &p) == CHR_OK);
			if (p)
				CHECK(ev_prep_apply(&e2, p, &d2) == CHR_OK);
			ev_prep_free(p);
			CHECK(d1.body.n + d1.head.n > 0);
			CHECK(same_doc(&d1, &d2));
			if (i == 0) { /* the keys went where they belong */
				ht_entry *h = ht_get(&e2.ents, "ilse marten", 11);
				CHECK(h && d2.person == (uint32_t)h->v.num);
				h = ht_get(&e2.places, "valmora", 7);
				CHECK(h && d2.place == (uint32_t)h->v.num);
				h = ht_get(&e2.ents, "tidewell", 8);
				CHECK(h && ev_has_id(&d2.ents, (uint32_t)h->v.num));
				h = ht_get(&e2.terms, "crown", 5);
				CHECK(h && ev_has_id(&d2.body, (uint32_t)h->v.num) &&
				      !ev_has_id(&d2.head, (uint32_t)h->v.num));
				CHECK(d2.anchor == ev_days(2025, 3, 5));
			}
		}
	CHECK_INT(e1.terms.count, e2.terms.count);
	CHECK_INT(e1.ents.count, e2.ents.count);
	sb_stemmer_delete(stem);
	ev_doc_free(&d1);
	ev_doc_free(&d2);
	ev_engine_free(&e1);
	ev_engine_free(&e2);
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
	ev_model m = model();
	CHECK(ev_model_prob(&m, fs) > ev_model_prob(&m, fo));
}

/* A cosine walks the centroid and looks its ids up in the doc's weight
 * table; a doc too long to table takes the sorted merge walk.  Both must
 * give the same bits (the same products summed in the same order). */
static void test_cosine_paths(void)
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
	}
	double ft[EV_NFEAT], fw[EV_NFEAT];
	ev_features(&e, &d[2], e.ev[k], ft);
	e.tab_max = 0; /* no table: the merge walk */
	e.docgen++;    /* drop the cached slots */
	ev_features(&e, &d[2], e.ev[k], fw);
	CHECK(ft[EVF_BODY] > 0.1 && ft[EVF_NN_BODY] > 0.1);
	CHECK(memcmp(ft, fw, sizeof ft) == 0);
	for (int i = 0; i < 3; i++)
		ev_doc_free(&d[i]);
	ev_engine_free(&e);
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

static void test_batch_merge(void)
{
	ev_model m;
	ev_model_default(&m);
	m.threshold = 0.5;
	m.merge_threshold = 0.5;
	m.settle_threshold = 0.99; /* the small-event path stays out */
	ev_engine e;
	ev_engine_init(&e, &m);
	e.batch_merge = 1;
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
	ev_model m = model();
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
	ev_model m = model();
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
	m = model();
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
	ev_model m = model();
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
	ev_model m = model();
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

/* Dating from the event (invented spans): weekdays are read near the
 * event's first day; the article takes the latest day it names. */
static void test_date_from_event(void)
{
	int32_t lo = ev_days(2024, 1, 16), hi = ev_days(2024, 1, 17);
	int tue[] = { 2 }, tue_thu[] = { 2, 4 }, mon[] = { 1 };
	CHECK(ev_weekday(lo) == 2); /* 2024-01-16 was a Tuesday */
	CHECK(ev_date_from_event(lo, hi, tue, NULL, 1) == lo);
	CHECK(ev_date_from_event(lo, hi, tue_thu, NULL, 2) == ev_days(2024, 1, 18));
	CHECK(ev_date_from_event(lo, hi, NULL, NULL, 0) == hi);
	/* a Monday before the event: not before its first day */
	CHECK(ev_date_from_event(lo, hi, mon, NULL, 1) == lo);
	CHECK(ev_date_from_event(EV_NODAY, EV_NODAY, tue, NULL, 1) == EV_NODAY);
	/* a weekday ahead is not the publication day: the report of a
	 * Tuesday that names Thursday ahead is Tuesday's; with only days
	 * ahead, the last day of the event before the first of them */
	int fut_thu[] = { -1, 1 }, ahead[] = { 1 }, thu[] = { 4 };
	CHECK(ev_date_from_event(lo, hi, tue_thu, fut_thu, 2) == lo);
	CHECK(ev_date_from_event(lo, hi + 3, thu, ahead, 1) == ev_days(2024, 1, 17));
	CHECK(ev_date_from_event(lo, hi, thu, ahead, 1) == hi);
	int wed[] = { 3 };
	CHECK(ev_date_from_event(lo, hi, wed, ahead, 1) == lo);
	/* month masks from TIMEX values */
	ev_input in;
	memset(&in, 0, sizeof in);
	ev_input_month(&in, "XXXX-09");
	ev_input_month(&in, "2023-03-05");
	ev_input_month(&in, "2019-W47");
	ev_input_month(&in, "XXXX-WXX-2");
	CHECK(in.umonths == 1u << 8 && in.rmonths == 1u << 2);
}

/* The tense of weekday mentions in invented sentences (what the time
 * stage reads around each); expect[] is +1 ahead, -1 reported. */
static void test_weekday_tense(void)
{
	static const struct {
		const char *text;
		int expect;
	} cases[] = {
		{ "Negotiators will meet again on Friday in the capital.", 1 },
		{ "The council is due to vote on Thursday on the budget.", 1 },
		{ "The agency plans to publish its findings Wednesday.", 1 },
		{ "The final hearing is scheduled for next Tuesday.", 1 },
		{ "A spokeswoman said on Tuesday that the bridge was closed.", -1 },
		{ "The ministry reported Thursday that exports fell.", -1 },
		{ "Two lorries collided late Saturday near the border.", -1 },
		{ "Early Sunday, rescuers pulled three climbers from the ice.", -1 },
		{ "The regulator said it would rule on the appeal on Monday.", 1 },
		{ "Schools stay shut until Wednesday in the flooded towns.", 1 },
		{ "The envoy is also scheduled to see President Ruiz on Thursday.", 1 },
		{ "Both parties agreed on Monday to extend the ceasefire.", -1 },
		{ "A court freed the reporter on Friday after a year in jail.", -1 },
	};
	for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
		const char *t = cases[c].text;
		chr_timex *x = NULL;
		size_t nx = 0, starts[4];
		int wd[4], tense[4];
		size_t n = 0;
		CHECK(chr_time_tag(t, strlen(t), NULL, &x, &nx) == CHR_OK);
		for (size_t i = 0; i < nx && n < 4; i++)
			if (!strncmp(x[i].value, "XXXX-WXX-", 9)) {
				starts[n] = x[i].start;
				wd[n++] = x[i].value[9] - '0';
			}
		chr_free(x);
		CHECK_INT(n, 1);
		ev_weekday_tenses(t, strlen(t), starts, wd, tense, n);
		if (n != 1 || tense[0] != cases[c].expect)
			printf("  tense of \"%s\": %d, want %d\n", t,
			       n ? tense[0] : 9, cases[c].expect);
		CHECK(n == 1 && tense[0] == cases[c].expect);
	}
}

int main(void)
{
	static const th_test tests[] = {
		TEST(test_cosine_paths),  TEST(test_model_file),
		TEST(test_calendar),     TEST(test_scan_dates),
		TEST(test_doc_build),    TEST(test_prep_apply),
		TEST(test_similarity),
		TEST(test_two_earthquakes), TEST(test_threshold),
		TEST(test_determinism),  TEST(test_candidate_index),
		TEST(test_syndication),  TEST(test_scorers),
		TEST(test_time_gate),    TEST(test_merge),
		TEST(test_settle),       TEST(test_batch_merge),
		TEST(test_numbers),
		TEST(test_seeds),        TEST(test_date_from_event),
		TEST(test_weekday_tense),
		TEST(test_examples),
	};
	return th_run("events", tests, sizeof tests / sizeof tests[0]);
}
