/*
 * test_events_doc: the events stage's calendar, date scanner, doc
 * building (with the text half made apart, as ingest does), the model
 * file, dating articles from their event, and the checks of the exact
 * shortcuts (the word sets, the content floor asked first, storyline
 * relinking's spread centroids), on invented text.
 *
 * Design note: split from test_events.c (scoring, clustering, merging),
 * which had grown past a thousand lines; these tests need no corpus and
 * no engine state beyond a fresh engine and what they add to it.
 */
#include "harness.h"

#include <fcntl.h>
#include <libstemmer.h>
#include <unistd.h>

#include "events/events.h"
#include "unit/ev_input.h"

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
	/* month names in any case, "sept", and near misses (a year only) */
	ev_doc_init(&d);
	t = "Sept 5, 2016; SEPTEMBER 6 2017; mar 7 2018; Marc 8 2011; "
	    "Septe 9 2012; junes 10 2013; Dec 11 2014; 12 Julyy 2015.";
	ev_scan_dates(t, strlen(t), &d);
	CHECK_INT(d.ndates, 4);
	CHECK_INT(d.dates[0], ev_days(2016, 9, 5));
	CHECK_INT(d.dates[1], ev_days(2017, 9, 6));
	CHECK_INT(d.dates[2], ev_days(2018, 3, 7));
	CHECK_INT(d.dates[3], ev_days(2014, 12, 11));
	CHECK_INT(d.nyears, 8);
	ev_doc_free(&d);
	/* a day takes the three words up to its year: two words at the
	 * start and a number that is no day name only the year */
	ev_doc_init(&d);
	t = "7 2016 May 2013 4 June 2014 x 5 2015";
	ev_scan_dates(t, strlen(t), &d);
	CHECK_INT(d.ndates, 1);
	CHECK_INT(d.dates[0], ev_days(2014, 6, 4));
	CHECK_INT(d.nyears, 4);
	CHECK(d.nyears == 4 && d.years[0] == 2016 && d.years[1] == 2013 &&
	      d.years[3] == 2015);
	ev_doc_free(&d);
}

/* The doc's dates come from the prep's tokens (ev_dscan_word), the
 * same as the byte scanner finds: words with non-ASCII bytes split into
 * their ASCII runs ("1998é" is the year 1998), an ISO date running into
 * a word ("2013-05-03abc": the scan goes on inside the token) and a
 * window of three words across such tokens. */
static void test_token_dates(void)
{
	static const char *const texts[] = {
		"May 3, 2013 and 2013-05-03abc then 1999-12-31\xc3\xa9 x",
		"1\xc3\xa9" "98 \xc3\xa9May 4, 2014; May\xc3\xa9 5 2015 "
		"June 6\xc3\xa9 2016 in 1998\xc3\xa9 and 2001-02-03-04 2005",
		"21st Nov, 2019 -- 2nd \xe2\x80\x9c" "Dec\xe2\x80\x9d 2018 "
		"2024-01-16\xe2\x80\x94June 2010",
		"3 Sept\xc2\xa0 2011 12ab 1a2b 2012 03 March 1960 4 mar 2049",
	};
	ev_engine e;
	ev_engine_init(&e, NULL);
	for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++) {
		ev_doc a, b;
		ev_input in;
		ev_doc_init(&a);
		ev_doc_init(&b);
		input(&in, "t", "h", texts[k], NULL);
		CHECK_INT(ev_doc_build(&e, &in, &a), CHR_OK);
		ev_scan_dates(texts[k], strlen(texts[k]), &b);
		CHECK(b.ndates > 0 && b.nyears > 1);
		CHECK_INT(a.ndates, b.ndates);
		CHECK_INT(a.nyears, b.nyears);
		for (uint32_t i = 0; i < a.ndates && i < b.ndates; i++)
			CHECK_INT(a.dates[i], b.dates[i]);
		for (uint32_t i = 0; i < a.nyears && i < b.nyears; i++)
			CHECK_INT(a.years[i], b.years[i]);
		ev_doc_free(&a);
		ev_doc_free(&b);
	}
	ev_engine_free(&e);
	/* the byte scanner itself on the split words */
	ev_doc d;
	ev_doc_init(&d);
	const char *t = "2013-05-03abc 1\xc3\xa9" "98 \xc3\xa9May 4, 2014";
	ev_scan_dates(t, strlen(t), &d);
	CHECK_INT(d.ndates, 2);
	CHECK_INT(d.dates[0], ev_days(2013, 5, 3));
	CHECK_INT(d.dates[1], ev_days(2014, 5, 4));
	ev_doc_free(&d);
}

/* The stand-in's name runs: a sentence-initial capitalised word is a
 * name only when the text never writes it lower-case.  Twelve such
 * words: the first questions are answered by scanning the tokens, the
 * later ones by the set of lower-case tokens; both the same way. */
static void test_name_runs(void)
{
	ev_engine e;
	CHECK(ev_engine_init(&e, NULL) == CHR_OK);
	ev_input in;
	ev_doc d;
	ev_doc_init(&d);
	input(&in, "n1", "Notes",
	      "Velkor spoke. Harbor closed. Tamsin left. Storm hit. Orlan "
	      "came. Ferry sank. Pellam won. Market fell. Quorra ran. Bridge "
	      "shut. Zeniv stayed. River rose. Then the harbor, storm, ferry, "
	      "market, bRIDGE and river were quiet.", NULL);
	CHECK(ev_doc_build(&e, &in, &d) == CHR_OK);
	static const char *const names[] = { "velkor", "tamsin", "orlan",
					     "pellam", "quorra", "zeniv" };
	static const char *const words[] = { "harbor", "storm", "ferry",
					     "market", "bridge", "river" };
	for (size_t i = 0; i < 6; i++) {
		ht_entry *h = ht_get(&e.ents, names[i], strlen(names[i]));
		CHECK(h && ev_has_id(&d.ents, (uint32_t)h->v.num));
		CHECK(!ht_get(&e.ents, words[i], strlen(words[i])));
	}
	/* the set is the thread's, kept from text to text: the same text
	 * next with its last sentence capitalised (the same tokens at the
	 * same places) must not see the last text's lower-case words: each
	 * of the six words is a name at the start of its sentence (0.5)
	 * and in the last one (0.5); then a longer text (the set grows)
	 * that writes the words lower-case (no name) */
	ev_engine e2;
	CHECK(ev_engine_init(&e2, NULL) == CHR_OK);
	input(&in, "n2", "Notes",
	      "Velkor spoke. Harbor closed. Tamsin left. Storm hit. Orlan "
	      "came. Ferry sank. Pellam won. Market fell. Quorra ran. Bridge "
	      "shut. Zeniv stayed. River rose. Then The Harbor, Storm, Ferry, "
	      "Market, Bridge And River Were Quiet.", NULL);
	CHECK(ev_doc_build(&e2, &in, &d) == CHR_OK);
	for (size_t i = 0; i < 6; i++) {
		ht_entry *h = ht_get(&e2.ents, words[i], strlen(words[i]));
		CHECK(h != NULL);
		for (uint32_t k = 0; h && k < d.ents.n; k++)
			if (d.ents.v[k].id == (uint32_t)h->v.num)
				CHECK(d.ents.v[k].tf == 1.0f);
	}
	static char lng[4000];
	size_t ll = 0;
	for (size_t i = 0; i < 12; i++)
		ll += (size_t)snprintf(lng + ll, sizeof lng - ll, "%c%s said. ",
				       i < 6 ? 'H' : 'W',
				       i < 6 ? "arbor" : "harf");
	for (int r = 0; r < 40; r++)
		for (size_t i = 0; i < 6; i++)
			ll += (size_t)snprintf(lng + ll, sizeof lng - ll,
					       "%s ", names[i]);
	snprintf(lng + ll, sizeof lng - ll, "harbor wharf.");
	ev_engine e3;
	CHECK(ev_engine_init(&e3, NULL) == CHR_OK);
	input(&in, "n3", "Notes", lng, NULL);
	CHECK(ev_doc_build(&e3, &in, &d) == CHR_OK);
	CHECK(!ht_get(&e3.ents, "harbor", 6) && !ht_get(&e3.ents, "wharf", 5));
	ev_doc_free(&d);
	ev_engine_free(&e);
	ev_engine_free(&e2);
	ev_engine_free(&e3);
}

/* The thread's stem memo keeps each stem's hash_bytes: when the
 * process's seed changes (as tests and tools set it), the memo is
 * emptied, so that a prep made after it hands the store side the
 * stems' hashes under the new seed (else the engine finds no key). */
static void test_prep_seed(void)
{
	struct sb_stemmer *stem = sb_stemmer_new("english", NULL);
	CHECK(stem != NULL);
	ev_input in;
	input(&in, "s1", "Harbors reopened",
	      "The harbors reopened after the storms passed.", NULL);
	ev_prep *p = NULL;
	CHECK(ev_prep_new(&in, stem, &p) == CHR_OK); /* the memo fills */
	ev_prep_free(p);
	hash_set_seed(hash_seed() ^ 0x5bd1e995u);
	ev_engine e;
	CHECK(ev_engine_init(&e, NULL) == CHR_OK);
	ev_doc d;
	ev_doc_init(&d);
	p = NULL;
	CHECK(ev_prep_new(&in, stem, &p) == CHR_OK);
	if (p)
		CHECK(ev_prep_apply(&e, p, &d) == CHR_OK);
	ev_prep_free(p);
	static const char *const w[] = { "harbor", "reopen", "storm", "pass" };
	for (size_t i = 0; i < 4; i++) {
		ht_entry *h = ht_get(&e.terms, w[i], strlen(w[i]));
		CHECK(h && ev_has_id(&d.body, (uint32_t)h->v.num));
	}
	CHECK_INT(e.terms.count, 4);
	sb_stemmer_delete(stem);
	ev_doc_free(&d);
	ev_engine_free(&e);
}

/* The hashed word sets answer as the binary search of their sorted
 * lists does: every listed word, its prefixes and extensions, and the
 * words of a text. */
static void test_word_sets(void)
{
	CHECK(ev_text_lists_sorted());
	CHECK(ev_text_sets_check(NULL, 0));
	CHECK(ev_text_is_stop("the", 3));
	CHECK(ev_text_is_stop("themselves", 10));
	CHECK(ev_text_is_stop("a", 1));
	CHECK(!ev_text_is_stop("thee", 4));
	CHECK(!ev_text_is_stop("th", 2));
	CHECK(!ev_text_is_stop("harbour", 7));
	CHECK(!ev_text_is_stop("theselves", 9));
	const char *t = "reuters said on wednesday that the port of ostrava "
			"was closed after a storm themselves ourselves yours "
			"unquestionably x yy zzz http www september sept";
	size_t i = 0, n = strlen(t), words = 0;
	while (i < n) {
		size_t j = i;
		while (j < n && t[j] != ' ')
			j++;
		CHECK(ev_text_sets_check(t + i, j - i));
		words++;
		i = j + 1;
	}
	CHECK_INT(words, 25);
}

/* bytes_same (core/bytes.h) answers as memcmp == 0 for every length to 40 and a
 * difference at every place (each load width and the overlapping last
 * load), reading nothing past n (valgrind: the copies end at n). */
static void test_same_bytes(void)
{
	char a[40], b[40];
	for (size_t i = 0; i < sizeof a; i++)
		a[i] = (char)('a' + i % 26);
	int checked = 0;
	for (size_t n = 0; n <= sizeof a; n++) {
		char *x = malloc(n ? n : 1), *y = malloc(n ? n : 1);
		CHECK(x && y);
		if (!x || !y)
			return;
		memcpy(x, a, n);
		memcpy(y, a, n);
		CHECK(bytes_same(x, y, n));
		for (size_t d = 0; d < n; d++) {
			y[d] ^= 0x20;
			CHECK(!bytes_same(x, y, n) && !bytes_same(y, x, n));
			y[d] ^= 0x20;
			checked++;
		}
		free(x);
		free(y);
	}
	CHECK_INT(checked, 820);
	memcpy(b, a, sizeof b);
	b[39] = 0;
	CHECK(bytes_same(a, b, 39) && !bytes_same(a, b, 40));
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
	/* a repeated term is one entry whose tf is its count ("quakes" in
	 * the headline is a separate vector) */
	ht_entry *q = ht_get(&e.terms, "shook", 5);
	CHECK(q != NULL);
	uint32_t shook = q ? (uint32_t)q->v.num : 0; /* q moves with the table */
	input(&in, "r", "Tremor",
	      "It shook. Then it shook again, and shook the roofs.", NULL);
	CHECK(ev_doc_build(&e, &in, &d) == CHR_OK);
	int found = 0;
	for (uint32_t i = 0; shook && i < d.body.n; i++)
		if (d.body.v[i].id == shook) {
			found++;
			CHECK(d.body.v[i].tf == 3.0f);
		}
	CHECK_INT(found, 1);
	/* many distinct terms (the prep's key table grows): each once,
	 * sorted, and a repeat of all of them doubles every tf */
	static char big[40000];
	size_t bl = 0;
	for (int rep = 0; rep < 2; rep++)
		for (int i = 0; i < 1500; i++) {
			int w = snprintf(big + bl, sizeof big - bl, "zq%dx%c ", i,
					 'a' + i % 26);
			bl += (size_t)w;
		}
	input(&in, "m", "Many", big, NULL);
	CHECK(ev_doc_build(&e, &in, &d) == CHR_OK);
	CHECK_INT(d.body.n, 1500);
	for (uint32_t i = 0; i < d.body.n; i++) {
		CHECK(d.body.v[i].tf == 2.0f);
		if (i)
			CHECK(d.body.v[i - 1].id < d.body.v[i].id);
	}
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
	/* each text is tokenized once for its terms, numbers and names: a
	 * name in the headline and in the body counts 0.5 from each; with
	 * no headline the lead (first line) gives the headline's terms but
	 * not its names again (0.5, from the body) */
	static const char *const hl[] = { "Ostrander quits port", "" };
	static const float otf[] = { 1.0f, 0.5f };
	for (int k = 0; k < 2; k++) {
		ev_engine e4;
		CHECK(ev_engine_init(&e4, NULL) == CHR_OK);
		input(&in, "h", hl[k], "Harbourmaster Ostrander quits 12 ships.\n"
		      "The port of Velm waits.", NULL);
		CHECK(ev_doc_build(&e4, &in, &d) == CHR_OK);
		ht_entry *ho = ht_get(&e4.ents, "ostrander", 9);
		ht_entry *hv = ht_get(&e4.ents, "velm", 4);
		ht_entry *hq = ht_get(&e4.terms, "quit", 4);
		ht_entry *hw = ht_get(&e4.terms, "wait", 4);
		CHECK(ho && hv && hq && hw);
		int seen = 0;
		for (uint32_t i = 0; ho && hv && i < d.ents.n; i++) {
			if (d.ents.v[i].id == (uint32_t)ho->v.num) {
				CHECK(d.ents.v[i].tf == otf[k]);
				seen++;
			}
			if (d.ents.v[i].id == (uint32_t)hv->v.num) {
				CHECK(d.ents.v[i].tf == 0.5f);
				seen++;
			}
		}
		CHECK_INT(seen, 2);
		/* the headline's terms: "quits" in both, the lead stops at
		 * the first line ("waits" is not in it) */
		CHECK(hq && ev_has_id(&d.head, (uint32_t)hq->v.num));
		CHECK(hw && !ev_has_id(&d.head, (uint32_t)hw->v.num));
		CHECK(hw && ev_has_id(&d.body, (uint32_t)hw->v.num));
		CHECK_INT(d.nnums, 1); /* the body's numbers: 12 */
		ev_engine_free(&e4);
	}
	/* the main person: a PER key mentioned twice */
	in.person = "Mark Vinar";
	CHECK(ev_doc_build(&e, &in, &d) == CHR_OK);
	CHECK(d.person != 0 && ht_get(&e.ents, "mark vinar", 10) != NULL);
	ev_doc_free(&d);
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
	ev_input in[4];
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
	/* more distinct words than the thread's stem memo holds (65,536
	 * entries in sets of four: 40,000 words fill many a set past its
	 * four), with suffixes to stem: its entries are overwritten and
	 * reused */
	enum { MANY = 40000 };
	static char many[MANY * 12 + 1];
	size_t ml = 0;
	for (int i = 0; i < MANY; i++) {
		static const char *const suf[] = { "ings", "ed", "ations", "ly" };
		char w[16];
		int wl = 0;
		for (int v = i; wl < 4; v /= 26)
			w[wl++] = (char)('a' + v % 26);
		ml += (size_t)snprintf(many + ml, sizeof many - ml, "b%.*s%s ",
				       wl, w, suf[i % 4]);
	}
	input(&in[3], "p4", "Many words", many, NULL);
	ev_doc d1, d2;
	ev_doc_init(&d1);
	ev_doc_init(&d2);
	for (int round = 0; round < 2; round++) /* the second: known keys */
		for (int i = 0; i < 4; i++) {
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
	/* the many words again, last first: their ids (all known) arrive
	 * descending, past the sort's stack buffer; the vector comes out
	 * ascending with every word once */
	uint32_t nbody = d2.body.n;
	static char rev[sizeof many + 1];
	size_t rl = 0, end = ml;
	while (end > 0) {
		size_t b = end - 1; /* the space after a word */
		while (b > 0 && many[b - 1] != ' ')
			b--;
		memcpy(rev + rl, many + b, end - b);
		rl += end - b;
		rev[rl++] = ' ';
		end = b ? b - 1 : 0;
	}
	rev[rl] = '\0';
	input(&in[3], "p5", "Many words", rev, NULL);
	ev_prep *p = NULL;
	CHECK(ev_prep_new(&in[3], stem, &p) == CHR_OK);
	if (p)
		CHECK(ev_prep_apply(&e2, p, &d2) == CHR_OK);
	ev_prep_free(p);
	CHECK(nbody > 512);
	CHECK_INT(d2.body.n, nbody);
	float tf = 0;
	for (uint32_t i = 0; i < d2.body.n; i++) {
		CHECK(!i || d2.body.v[i - 1].id < d2.body.v[i].id);
		tf += d2.body.v[i].tf;
	}
	CHECK(tf == (float)MANY);
	sb_stemmer_delete(stem);
	ev_doc_free(&d1);
	ev_doc_free(&d2);
	ev_engine_free(&e1);
	ev_engine_free(&e2);
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

/* ev_select_keyw leaves the same first m (as a set) as sorting by
 * ev_cmp_keyw does, over sizes, cuts and tied weights. */
static void test_select_keyw(void)
{
	static const size_t sizes[] = { 1, 2, 3, 5, 17, 64, 257, 400 };
	uint32_t r = 12345;
	for (size_t z = 0; z < sizeof sizes / sizeof *sizes; z++) {
		size_t n = sizes[z];
		ev_keyw a[400], b[400], c[400];
		for (size_t i = 0; i < n; i++) {
			r = r * 1103515245u + 12345u;
			a[i].id = (uint32_t)((i * 7919) % 401); /* distinct */
			a[i].w = (double)(r >> 16 & 7) * 0.5; /* ties */
		}
		memcpy(b, a, n * sizeof *a);
		qsort(b, n, sizeof *b, ev_cmp_keyw);
		size_t cuts[] = { 0, 1, 2, n / 2, n - 1, n, n + 3 };
		for (size_t k = 0; k < sizeof cuts / sizeof *cuts; k++) {
			size_t m = cuts[k] < n ? cuts[k] : n;
			memcpy(c, a, n * sizeof *a);
			ev_select_keyw(c, n, cuts[k]);
			qsort(c, m, sizeof *c, ev_cmp_keyw);
			int same = 1;
			for (size_t i = 0; i < m; i++)
				same &= c[i].id == b[i].id && c[i].w == b[i].w;
			CHECK(same);
		}
	}
}

/* An event's recent member keeps the doc's EV_MEMB_TERMS best body
 * terms by saturated tf x idf (ties by id), sorted by id, with the
 * doc's counts; and a headline's coverage by the body centroid. */
static void test_member_top(void)
{
	ev_engine e;
	CHECK(ev_engine_init(&e, NULL) == CHR_OK);
	char text[4096];
	size_t at = 0;
	for (int i = 0; i < 90; i++) /* invented words, 1-4 times each */
		for (int r = 0; r <= i % 4; r++)
			at += (size_t)snprintf(text + at, sizeof text - at,
					       "zq%c%cx ", 'a' + i / 26,
					       'a' + i % 26);
	ev_doc d;
	ev_doc_init(&d);
	ev_input in;
	input(&in, "m", "Members", text, "2010-02-27");
	size_t k = 0;
	CHECK(ev_doc_build(&e, &in, &d) == CHR_OK);
	CHECK(d.body.n >= 90);
	CHECK(ev_observe(&e, &d) == CHR_OK);
	CHECK(ev_add_to(&e, &d, (size_t)-1, &k) == CHR_OK);
	ev_keyw all[128];
	uint32_t n = d.body.n < 128 ? d.body.n : 128;
	for (uint32_t i = 0; i < n; i++) {
		all[i].id = d.body.v[i].id;
		all[i].w = ev_sat(d.body.v[i].tf) * ev_idf(&e, e.tdf[all[i].id]);
	}
	qsort(all, n, sizeof *all, ev_cmp_keyw);
	const ev_cent *mb = &e.ev[k]->mb[0];
	CHECK_INT(mb->n, EV_MEMB_TERMS);
	int ok = mb->n == EV_MEMB_TERMS;
	for (uint32_t i = 0; ok && i < mb->n; i++) {
		int found = 0;
		for (uint32_t j = 0; j < EV_MEMB_TERMS; j++)
			found |= all[j].id == mb->v[i].id;
		ok &= found && (!i || mb->v[i - 1].id < mb->v[i].id);
		for (uint32_t j = 0; j < d.body.n; j++)
			if (d.body.v[j].id == mb->v[i].id)
				ok &= d.body.v[j].tf == mb->v[i].tf;
	}
	CHECK(ok);
	/* a doc's top keys kept in its cache slot: a smaller k after a
	 * larger one is its prefix, a larger one is computed afresh */
	ev_keyw k3[3], k10[10], r3[3], r10[10];
	size_t n3 = ev_top_keys(&e, e.tdf, &d.body, 3, r3);
	size_t n10 = ev_top_keys(&e, e.tdf, &d.body, 10, r10);
	CHECK(n3 == 3 && n10 == 10);
	CHECK(ev_doc_top_keys(&e, e.tdf, &d.body, 3, k3) == 3);
	int same = 1;
	for (int i = 0; i < 3; i++)
		same &= k3[i].id == r3[i].id && k3[i].w == r3[i].w;
	CHECK(ev_doc_top_keys(&e, e.tdf, &d.body, 10, k10) == 10);
	for (int i = 0; i < 10; i++)
		same &= k10[i].id == r10[i].id && k10[i].w == r10[i].w;
	CHECK(ev_doc_top_keys(&e, e.tdf, &d.body, 3, k3) == 3);
	for (int i = 0; i < 3; i++)
		same &= k3[i].id == r3[i].id && k3[i].w == r3[i].w;
	CHECK(same);
	/* EVF_CROSS: the share of the headline's idf mass the body
	 * centroid has (the centroid searched, not walked) */
	ev_doc q;
	ev_doc_init(&q);
	input(&in, "q", "zqaax zqabx zqbcx zqzzx zqdlx zqyyx", "zqaax", NULL);
	CHECK(ev_doc_build(&e, &in, &q) == CHR_OK);
	CHECK(ev_observe(&e, &q) == CHR_OK);
	double f[EV_NFEAT], got = 0, sum = 0;
	ev_features(&e, &q, e.ev[k], f);
	const ev_cent *body = &e.ev[k]->body;
	for (uint32_t i = 0; i < q.head.n; i++) {
		double w = ev_idf(&e, e.tdf[q.head.v[i].id]);
		sum += w;
		for (uint32_t j = 0; j < body->n; j++)
			if (body->v[j].id == q.head.v[i].id)
				got += w;
	}
	CHECK(q.head.n == 6 && f[EVF_CROSS] > 0.5 && f[EVF_CROSS] < 1);
	CHECK(f[EVF_CROSS] == got / sum);
	ev_doc_free(&q);
	ev_doc_free(&d);
	ev_engine_free(&e);
}

/* ev_candidates counts each event once per key it is filed under and
 * orders them by key hits, then the latest first: 30 events filed under
 * "harbor" (a posting keeps the 16 latest), every third also under
 * "pier" (all 10 kept). */
/* A new event made of one doc of text; its index. */
static size_t new_event_of(ev_engine *e, const char *text)
{
	ev_doc d;
	ev_input in;
	size_t k = (size_t)-1;
	ev_doc_init(&d);
	input(&in, "c", "", text, NULL);
	CHECK(ev_doc_build(e, &in, &d) == CHR_OK);
	CHECK(ev_observe(e, &d) == CHR_OK);
	CHECK(ev_add_to(e, &d, (size_t)-1, &k) == CHR_OK);
	ev_doc_free(&d);
	return k;
}

static void test_candidates(void)
{
	ev_engine e;
	CHECK(ev_engine_init(&e, NULL) == CHR_OK);
	for (int i = 0; i < 30; i++) {
		char text[64];
		snprintf(text, sizeof text, "harbor zq%c%ct%s", 'a' + i / 26,
			 'a' + i % 26, i % 3 ? "" : " pier");
		CHECK(new_event_of(&e, text) == (size_t)i);
	}
	ev_doc q;
	ev_input in;
	ev_doc_init(&q);
	input(&in, "q", "", "harbor pier", NULL);
	CHECK(ev_doc_build(&e, &in, &q) == CHR_OK);
	CHECK(ev_observe(&e, &q) == CHR_OK);
	uint32_t c[EV_MAXCAND];
	size_t n = ev_candidates(&e, &q, c);
	static const uint32_t want[] = { 27, 24, 21, 18, 15, 29, 28, 26, 25,
					 23, 22, 20, 19, 17, 16, 14, 12, 9,
					 6,  3,  0 };
	CHECK_INT(n, sizeof want / sizeof *want);
	for (size_t i = 0; i < n && i < sizeof want / sizeof *want; i++)
		CHECK(c[i] == want[i]);
	ev_doc_free(&q);
	ev_engine_free(&e);
	/* more candidates than EV_MAXCAND: 80 events, each filed under one
	 * of five words (16 each, all kept), one hit each: the 48 latest,
	 * latest first */
	static const char *const kw[] = { "harbor", "pier", "dock", "quay",
					  "crane" };
	CHECK(ev_engine_init(&e, NULL) == CHR_OK);
	for (int i = 0; i < 80; i++) {
		char text[64];
		snprintf(text, sizeof text, "%s zq%c%ct", kw[i % 5],
			 'a' + i / 26, 'a' + i % 26);
		CHECK(new_event_of(&e, text) == (size_t)i);
	}
	ev_doc_init(&q);
	input(&in, "q", "", "harbor pier dock quay crane", NULL);
	CHECK(ev_doc_build(&e, &in, &q) == CHR_OK);
	CHECK(ev_observe(&e, &q) == CHR_OK);
	n = ev_candidates(&e, &q, c);
	CHECK_INT(n, EV_MAXCAND);
	for (size_t i = 0; i < n; i++)
		CHECK(c[i] == 79 - i);
	ev_doc_free(&q);
	ev_engine_free(&e);
}

/* Doc i of a small stream ({headline, text, date} rows) into d. */
static void stream_doc(ev_engine *e, const char *const t[3], size_t i,
		       ev_doc *d)
{
	ev_input in;
	char id[16];
	snprintf(id, sizeof id, "s%zu", i);
	input(&in, id, t[0], t[1], t[2]);
	CHECK(ev_doc_build(e, &in, d) == CHR_OK);
}

/* Relinking scores each event against the storylines with its
 * centroids spread over the vocabulary: bit for bit the merge walk's
 * cosines, on events of two stories months apart. */
static void test_story_spread(void)
{
	static const char *const t[][3] = {
		{ "Ostrava port strike begins", "Dockers at the Port of Ostrava "
		  "walked out over pay, the Valdoria Dockers Union said.",
		  "2024-01-10" },
		{ "Ostrava strike shuts port", "The strike by the Valdoria "
		  "Dockers Union shut the Port of Ostrava for a second day.",
		  "2024-01-11" },
		{ "Ostrava dockers return", "Dockers returned to the Port of "
		  "Ostrava after the Valdoria Dockers Union accepted a pay deal.",
		  "2024-05-02" },
		{ "Storm Hesper floods Alder", "Storm Hesper flooded the river "
		  "town of Alder; Mayor Ilse Marten closed the bridges.",
		  "2024-02-20" },
		{ "Alder counts flood damage", "Mayor Ilse Marten said Storm "
		  "Hesper left Alder with damage to every bridge.", "2024-02-22" },
	};
	for (int avx2 = 1; avx2 >= 0; avx2--) { /* the walk, both ways */
		ev_engine e;
		CHECK(ev_engine_init(&e, NULL) == CHR_OK);
		e.avx2 = avx2 && e.avx2;
		ev_doc d;
		ev_doc_init(&d);
		for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
			size_t k;
			stream_doc(&e, t[i], i, &d);
			CHECK(ev_add(&e, &d, &k, NULL) == CHR_OK);
		}
		CHECK(ev_storylines(&e) == CHR_OK);
		CHECK(e.nstory >= 2 && e.nstory < e.nlive);
		/* a block of eight and a tail */
		CHECK(e.story[0].body.n > 8 && e.story[1].body.n > 8);
		CHECK(ev_story_spread_check(&e));
		ev_doc_free(&d);
		ev_engine_free(&e);
	}
}

/* The AVX2 walk of a storyline centroid against a spread event
 * (ev_stamp_next_avx2) stops where a plain walk does: at the first
 * entry from j whose id carries the stamp, for one or two stamped
 * entries at every place (each lane of a block of eight, the tail) and
 * every start; ids are sparse (every third), the rest of at holds
 * other stamps. */
static void test_stamp_next(void)
{
	enum { N = 43 };
	uint32_t at[3 * N + 1];
	ev_tw v[N];
	for (uint32_t i = 0; i < N; i++)
		v[i] = (ev_tw){ 3 * i + 1, 1.0f };
	int checked = 0;
	for (int h = 0; h < N && ev_avx2_ok(); h++)
		for (int g = -1; g < N; g += 5) {
			for (uint32_t i = 0; i < 3 * N + 1; i++)
				at[i] = 7 + i % 3; /* 7, 8, 9: not 9's ids */
			at[v[h].id] = 9;
			if (g >= 0)
				at[v[g].id] = 9;
			for (uint32_t j = 0; j <= N; j++) {
				uint32_t want = j;
				while (want < N && at[v[want].id] != 9)
					want++;
				CHECK_INT(ev_stamp_next_avx2(at, 9, v, j, N), want);
				checked++;
			}
		}
	CHECK(checked > 0 || !ev_avx2_ok());
}

/* ev_content_pass (ev_add and the merge check ask it before making the
 * full feature vector) says what ev_content_ok says of ev_features'
 * vector, for each doc of a small stream against each event before it,
 * and then the features are the same as without the question. */
static void test_content_pass(void)
{
	static const char *const t[][3] = {
		{ "Ostrava port strike begins", "Dockers at the Port of Ostrava "
		  "walked out over pay, the dockers union said.", "2024-01-10" },
		{ "Storm Hesper floods Alder", "Storm Hesper flooded the river "
		  "town of Alder; the mayor closed the bridges.", "2024-01-11" },
		{ "Ostrava strike shuts port", "The strike by dockers shut the "
		  "Port of Ostrava for a second day over pay.", "2024-01-11" },
		{ "Alder counts flood damage", "The mayor said the storm left "
		  "Alder with damage to every bridge on the river.", "2024-01-12" },
		{ "Valdoria budget vote", "Parliament in Valdoria passed the "
		  "budget after a long night of talks.", "2024-01-12" },
		{ "Ostrava dockers return", "Dockers went back to the port of "
		  "Ostrava after a pay deal ended the strike.", "2024-01-13" },
	};
	ev_model m;
	ev_model_builtin(&m); /* models/events.txt (test_model_file) */
	CHECK(m.min_content > 0);
	ev_engine e;
	CHECK(ev_engine_init(&e, &m) == CHR_OK);
	ev_doc d;
	ev_doc_init(&d);
	int pass = 0, fail = 0;
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		size_t k;
		stream_doc(&e, t[i], i, &d);
		CHECK(ev_observe(&e, &d) == CHR_OK);
		for (size_t j = 0; j < e.nev; j++) {
			if (!e.ev[j])
				continue;
			double f[EV_NFEAT], g[EV_NFEAT];
			int ok = ev_content_pass(&e, &d, e.ev[j]);
			ev_features(&e, &d, e.ev[j], f);
			CHECK(ok == ev_content_ok(&m, f));
			e.docgen++; /* no cached slot or cosine */
			ev_features(&e, &d, e.ev[j], g);
			CHECK(memcmp(f, g, sizeof f) == 0);
			pass += ok;
			fail += !ok;
		}
		CHECK(ev_add_to(&e, &d, (size_t)-1, &k) == CHR_OK);
	}
	CHECK(pass > 0 && fail > 0);
	ev_doc_free(&d);
	ev_engine_free(&e);
}

/* The idf memo (an entry per df: the value and the doc count it is
 * for) answers what ev_idf_of computes, through the engine and through
 * a loop's view, before and after docs are observed, and past its
 * EV_IDF_MEMO entries; the df of a word in half of a million-article
 * stream is memoised (a memo of 65,536 entries computed the idf of
 * every larger df at each use: ~270 logs a doc more by 280,000 docs of
 * bench/scale's stream, and growing). */
static void test_idf_memo(void)
{
	static const uint32_t dfs[] = { 0, 1, 2, 7, 1, 300, 500000,
					EV_IDF_MEMO - 1, EV_IDF_MEMO,
					EV_IDF_MEMO + 9 };
	ev_engine e;
	CHECK(ev_engine_init(&e, NULL) == CHR_OK);
	ev_doc d;
	ev_doc_init(&d);
	ev_input in;
	input(&in, "m", "Memo", "A doc to observe, twice.", NULL);
	CHECK(ev_doc_build(&e, &in, &d) == CHR_OK);
	double first = 0;
	for (int round = 0; round < 3; round++) {
		ev_idfv v = ev_idf_view(&e);
		for (size_t i = 0; i < sizeof dfs / sizeof *dfs; i++) {
			double want = ev_idf_of(e.ndocs, dfs[i]);
			CHECK(ev_idf(&e, dfs[i]) == want);
			CHECK(ev_idfv_get(&v, dfs[i]) == want);
		}
		CHECK(e.idf_memo[1].at == e.ndocs + 1);
		CHECK(EV_IDF_MEMO > 500000 &&
		      e.idf_memo[500000 % EV_IDF_MEMO].at == e.ndocs + 1);
		if (!round)
			first = ev_idf(&e, 1);
		else
			CHECK(ev_idf(&e, 1) > first); /* more docs, same df */
		CHECK(ev_observe(&e, &d) == CHR_OK);
	}
	ev_doc_free(&d);
	ev_engine_free(&e);
}

/* An event's place from its latest articles' datelines, newest first:
 * the one the most carry (NEWTOWN: 40 of the latest 64, although the 26
 * OLDTOWN rows here stand for more in all); a tie goes to the one whose
 * earliest article is the earliest; empty ones count for nothing. */
static void test_place_pick(void)
{
	const char *v[64];
	int len[64];
	for (int i = 0; i < 64; i++) {
		v[i] = i < 40 ? "NEWTOWN" : "OLDTOWN";
		len[i] = 7;
	}
	CHECK_INT(ev_place_pick(v, len, 64), 0);
	CHECK_INT(ev_place_pick(v + 30, len + 30, 34), 10); /* 10 vs 24 */
	const char *t[] = { "B1", "", "B0", NULL, "B1x" };
	int tl[] = { 2, 0, 2, 0, 2 }; /* "B1x" cut to "B1" by its length */
	CHECK_INT(ev_place_pick(t, tl, 3), 2); /* B1, B0: one each */
	CHECK_INT(ev_place_pick(t, tl, 5), 0); /* B1 twice */
	CHECK_INT(ev_place_pick(t + 1, tl + 1, 1), -1);
	CHECK_INT(ev_place_pick(t, tl, 0), -1);
}

int main(void)
{
	static const th_test tests[] = {
		TEST(test_model_file),   TEST(test_calendar),
		TEST(test_scan_dates),   TEST(test_doc_build),
		TEST(test_prep_apply),   TEST(test_date_from_event),
		TEST(test_weekday_tense), TEST(test_select_keyw),
		TEST(test_member_top),   TEST(test_candidates),
		TEST(test_word_sets),    TEST(test_name_runs),
		TEST(test_story_spread), TEST(test_content_pass),
		TEST(test_place_pick),   TEST(test_idf_memo),
		TEST(test_stamp_next),   TEST(test_prep_seed),
		TEST(test_same_bytes),   TEST(test_token_dates),
	};
	return th_run("events_doc", tests, sizeof tests / sizeof tests[0]);
}
