/*
 * test_facts: the facts stage on invented sentences (tests/data/facts/
 * cases.tsv), one per pattern and negative case (passive, coordination,
 * attribution, negation, plans), and the seeds' done-when through the
 * store (skipped without ../shared): merged facts with sources, the
 * three-day against five-day conflict, the timeline of Choe Son-hui;
 * the event words of invented sentences under a hand-made lexicon; and
 * the lexicon's classes and per-word trigger sets against the plain
 * string tests they replace; and the thread's per-token arrays kept
 * from a short article to a long one and back.
 */
#include "harness.h"

#include <jansson.h>
#include <unistd.h>

#include "facts/facts.h"
#include "pipeline/article.h"

static int cmp_s(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "type/status who+with...@where" for each meeting, visit and agreement,
 * and "say:NAME", "count:what=N" when asked; sorted, ';'-joined. */
static void render(const chr_article *a, int says, int counts, char *out,
		   size_t cap)
{
	char *items[32];
	size_t n = 0;
	for (size_t i = 0; i < a->facts.n && n < 32; i++) {
		const facts_fact *f = &a->facts.v[i];
		char b[512];
		if (f->type == FACT_SAY) {
			if (!says)
				continue;
			snprintf(b, sizeof b, "say:%s", a->mentions.v[f->who].name);
		} else {
			size_t k = (size_t)snprintf(b, sizeof b, "%s/%s %s",
						    facts_type_name(f->type),
						    facts_status_name(f->status),
						    f->who >= 0 ? a->mentions.v[f->who].name : "?");
			const char *w[FACT_MAXP];
			for (uint32_t j = 0; j < f->nwith; j++)
				w[j] = a->mentions.v[f->with[j]].name;
			qsort(w, f->nwith, sizeof *w, cmp_s);
			for (uint32_t j = 0; j < f->nwith && k < sizeof b; j++)
				k += (size_t)snprintf(b + k, sizeof b - k, "+%s", w[j]);
			if (f->where && f->where_from == FWHERE_TEXT && k < sizeof b)
				snprintf(b + k, sizeof b - k, "@%s", f->where);
		}
		items[n++] = strdup(b);
	}
	for (size_t i = 0; counts && i < a->fact_counts.n && n < 32; i++) {
		char b[64];
		snprintf(b, sizeof b, "count:%s=%lld", a->fact_counts.v[i].what,
			 (long long)a->fact_counts.v[i].value);
		items[n++] = strdup(b);
	}
	qsort(items, n, sizeof *items, cmp_s);
	size_t k = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (k < cap)
			k += (size_t)snprintf(out + k, cap - k, "%s%s", i ? ";" : "", items[i]);
		free(items[i]);
	}
	if (!n)
		snprintf(out, cap, "-");
}

/* Sort the expectation's items the same way. */
static void sorted(const char *want, char *out, size_t cap)
{
	char tmp[1024], *items[32];
	size_t n = 0;
	snprintf(tmp, sizeof tmp, "%s", want);
	for (char *save = NULL, *t = strtok_r(tmp, ";", &save); t && n < 32;
	     t = strtok_r(NULL, ";", &save))
		items[n++] = t;
	qsort(items, n, sizeof *items, cmp_s);
	size_t k = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n && k < cap; i++)
		k += (size_t)snprintf(out + k, cap - k, "%s%s", i ? ";" : "", items[i]);
}

/* render() of text processed as an article ("?" when it is not). */
static void render_text(const char *text, int says, int counts, char *out,
			size_t cap)
{
	chr_doc d = { 0 };
	d.id = "case";
	d.text = text;
	d.text_len = strlen(text);
	d.date = "2024-03-04";
	chr_article *a = NULL;
	CHECK_INT(chr_article_process(&d, &a), CHR_OK);
	snprintf(out, cap, "?");
	if (a)
		render(a, says, counts, out, cap);
	chr_article_free(a);
}

static void test_cases(void)
{
	char path[512];
	snprintf(path, sizeof path, "%s/facts/cases.tsv", th_data_dir());
	FILE *f = fopen(path, "r");
	CHECK(f != NULL);
	if (!f)
		return;
	char line[2048];
	int n = 0;
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		line[strcspn(line, "\n")] = '\0';
		char *tab = strchr(line, '\t');
		if (!tab)
			continue;
		*tab = '\0';
		const char *want = tab + 1;
		char text[2100];
		snprintf(text, sizeof text, "A headline\n\n%s\n", line);
		char got[1024], exp[1024], w2[1024];
		render_text(text, strstr(want, "say:") != NULL,
			    strstr(want, "count:") != NULL, got, sizeof got);
		/* "say:none": statements are compared and there are none */
		snprintf(w2, sizeof w2, "%s", want);
		char *none = strstr(w2, "say:none");
		if (none) {
			size_t l = strlen("say:none");
			if (none > w2 && none[-1] == ';')
				none--, l++;
			memmove(none, none + l, strlen(none + l) + 1);
			if (!*w2)
				snprintf(w2, sizeof w2, "-");
		}
		sorted(w2, exp, sizeof exp);
		if (strcmp(got, exp))
			fprintf(stderr, "  case: %s\n", line);
		CHECK_STR(got, exp);
		n++;
	}
	fclose(f);
	CHECK(n >= 20);
}

/* The extraction's per-token arrays are the thread's, kept from article
 * to article: a short article, then one of 2,400 tokens whose facts come
 * after the first 1,024 (the arrays grow on the way), then the short
 * one again give each article's own facts. */
static void test_scratch_reuse(void)
{
	static const char shrt[] =
		"A headline\n\nFrench President Emmanuel Macron met with Olaf "
		"Scholz in Berlin on Monday.\n";
	static char lng[20000];
	size_t n = (size_t)snprintf(lng, sizeof lng, "A headline\n\n");
	for (int i = 0; i < 400; i++)
		n += (size_t)snprintf(lng + n, sizeof lng - n,
				      "The weather was mild there. ");
	snprintf(lng + n, sizeof lng - n,
		 "Vladimir Putin met Xi Jinping in Moscow on Friday. Twelve "
		 "people were killed.\n");
	char a1[1024], b1[1024], a2[1024];
	render_text(shrt, 0, 1, a1, sizeof a1);
	CHECK_STR(a1, "meeting/happened Emmanuel Macron+Olaf Scholz@Berlin");
	render_text(lng, 0, 1, b1, sizeof b1);
	CHECK_STR(b1, "count:deaths=12;meeting/happened Vladimir Putin+Xi "
		      "Jinping@Moscow");
	render_text(shrt, 0, 1, a2, sizeof a2);
	CHECK_STR(a2, a1);
}

/* ---- seeds through the store ---- */

typedef struct lines {
	json_t *v[256];
	size_t n;
} lines;

static int collect(void *ctx, const char *json, size_t len)
{
	lines *l = ctx;
	json_t *o = json_loadb(json, len, 0, NULL);
	if (o && l->n < 256)
		l->v[l->n++] = o;
	else
		json_decref(o);
	return 0;
}

static void drop(lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		json_decref(l->v[i]);
	l->n = 0;
}

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

/* A meeting between a and b on when (and where, when given) with at least
 * min sources. */
static int has_meeting(lines *l, const char *a, const char *b,
		       const char *when, const char *where, int min)
{
	for (size_t i = 0; i < l->n; i++) {
		json_t *o = l->v[i];
		if (strcmp(str(o, "type"), "meeting") || strcmp(str(o, "status"), "happened") ||
		    strcmp(str(o, "when"), when))
			continue;
		if (where && strcmp(str(o, "where"), where))
			continue;
		int ha = !strcmp(str(o, "who"), a), hb = !strcmp(str(o, "who"), b);
		size_t k;
		json_t *w;
		json_array_foreach(json_object_get(o, "with"), k, w) {
			ha |= !strcmp(json_string_value(w), a);
			hb |= !strcmp(json_string_value(w), b);
		}
		if (ha && hb &&
		    json_integer_value(json_object_get(o, "sources")) >= min)
			return 1;
	}
	return 0;
}

/* A fresh store at a mkstemp path (a "XXXXXX" template); NULL on error. */
static chr_db *open_tmp_db(char *path)
{
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd < 0)
		return NULL;
	close(fd);
	unlink(path);
	chr_db *db = NULL;
	CHECK_INT(chr_db_open(path, &db), CHR_OK);
	return db;
}

static void close_tmp_db(chr_db *db, const char *path)
{
	chr_db_close(db);
	th_rm_db(path);
}

static void test_seeds_done_when(void)
{
	char dir[512];
	snprintf(dir, sizeof dir, "%s/corpus/seeds", th_shared_dir() ? th_shared_dir() : "");
	if (!th_shared_dir() || access(dir, R_OK))
		SKIP("../shared/corpus/seeds not found (set CHR_SHARED)");
	char db_path[] = "/tmp/chr_test_facts_XXXXXX";
	chr_db *db = open_tmp_db(db_path);
	if (!db)
		return;
	chr_ingest *g = NULL;
	CHECK_INT(chr_ingest_new(db, NULL, &g), CHR_OK);
	CHECK_INT(chr_ingest_path(g, dir), CHR_OK);
	chr_ingest_stats stats;
	CHECK_INT(chr_ingest_finish(g, &stats), CHR_OK);
	chr_ingest_free(g);
	CHECK_INT(stats.stored, 5);

	lines l = { { 0 }, 0 };
	CHECK_INT(chr_db_facts(db, NULL, collect, &l), CHR_OK);
	CHECK(has_meeting(&l, "Choe Son-hui", "Sergei Lavrov", "2024-01-16", "Moscow", 2));
	CHECK(has_meeting(&l, "Vladimir Putin", "Choe Son-hui", "2024-01-16", NULL, 2));
	CHECK(has_meeting(&l, "Choe Son-hui", "Alexander Novak", "2024-01-17", NULL, 1));
	CHECK(has_meeting(&l, "Choe Son-hui", "Sergei Lavrov", "2019-11-20", "Moscow", 2));
	CHECK(has_meeting(&l, "Choe Son-hui", "Vladimir Titov", "2019-11-20", NULL, 1));
	/* no invented meeting: every named meeting is one of these pairs */
	static const char *const ok[][2] = {
		{ "Choe Son-hui", "Sergei Lavrov" }, { "Vladimir Putin", "Choe Son-hui" },
		{ "Choe Son-hui", "Alexander Novak" }, { "Choe Son-hui", "Vladimir Titov" },
	};
	for (size_t i = 0; i < l.n; i++) {
		json_t *o = l.v[i];
		if (strcmp(str(o, "type"), "meeting") || !json_array_size(json_object_get(o, "with")))
			continue;
		int fine = 0;
		for (size_t k = 0; k < 4 && !fine; k++)
			fine = json_array_size(json_object_get(o, "with")) == 1 &&
			       ((!strcmp(str(o, "who"), ok[k][0]) &&
				 !strcmp(json_string_value(json_array_get(json_object_get(o, "with"), 0)), ok[k][1])) ||
				(!strcmp(str(o, "who"), ok[k][1]) &&
				 !strcmp(json_string_value(json_array_get(json_object_get(o, "with"), 0)), ok[k][0])));
		if (!fine)
			fprintf(stderr, "  unexpected meeting: %s\n", str(o, "who"));
		CHECK(fine);
	}
	drop(&l);

	CHECK_INT(chr_db_conflicts(db, collect, &l), CHR_OK);
	int dur = 0;
	for (size_t i = 0; i < l.n; i++) {
		json_t *o = l.v[i];
		if (strcmp(str(o, "kind"), "duration"))
			continue;
		json_t *s = json_object_get(o, "sides");
		int p3 = 0, p5 = 0;
		size_t k;
		json_t *v;
		json_array_foreach(s, k, v) {
			p3 |= !strcmp(str(v, "value"), "P3D");
			p5 |= !strcmp(str(v, "value"), "P5D");
		}
		dur |= p3 && p5;
	}
	CHECK(dur);
	drop(&l);

	CHECK_INT(chr_db_timeline(db, "Choe Son-hui", NULL, collect, &l), CHR_OK);
	const char *want[] = { "2019-11-20", "2024-01-16", "2024-01-17" };
	size_t at = 0;
	for (size_t i = 0; i < l.n && at < 3; i++)
		if (!strcmp(str(l.v[i], "date"), want[at]))
			at++;
	CHECK_INT(at, 3);
	drop(&l);

	CHECK_INT(chr_db_digests(db, 0, collect, &l), CHR_OK);
	CHECK_INT(l.n, 2); /* one per event: {000, 003} and {001, 002, 004} */
	for (size_t i = 0; i < l.n; i++) {
		CHECK(*str(l.v[i], "title"));
		size_t ns = json_array_size(json_object_get(l.v[i], "summary"));
		CHECK(ns >= 3 && ns <= 5);
	}
	drop(&l);
	close_tmp_db(db, db_path);
}

/* Event words of an invented sentence under a small hand-made lexicon:
 * the words facts_event_word marks, space-joined, "/n" after a noun and
 * "/p" after a verb in the simple present. */
static void event_words(const facts_evlex *x, const char *sent, char *out,
			size_t cap)
{
	char buf[512];
	snprintf(buf, sizeof buf, "%s", sent);
	const char *tok[64];
	size_t len[64], n = 0;
	for (char *save = NULL, *t = strtok_r(buf, " ", &save); t && n < 64;
	     t = strtok_r(NULL, " ", &save)) {
		tok[n] = t;
		len[n++] = strlen(t);
	}
	size_t k = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int kind = facts_event_word(x, tok, len, n, i);
		if (kind && k < cap)
			k += (size_t)snprintf(out + k, cap - k, "%s%s%s", k ? " " : "",
					      tok[i], kind & FACTS_EV_NOUN ? "/n"
					      : kind & FACTS_EV_PRESENT ? "/p" : "");
	}
}

static void test_event_words(void)
{
	facts_evlex *x = facts_evlex_new();
	CHECK(x != NULL);
	if (!x)
		return;
	/* lemma, verb?, verb uses, noun uses, percent of noun uses that are
	 * events */
	CHECK_INT(facts_evlex_add(x, "sell", 1, 50, 0, 0), 0);
	CHECK_INT(facts_evlex_add(x, "buy", 1, 40, 2, 100), 0);
	CHECK_INT(facts_evlex_add(x, "stop", 1, 30, 5, 80), 0);
	CHECK_INT(facts_evlex_add(x, "price", 1, 2, 60, 0), 0);
	CHECK_INT(facts_evlex_add(x, "lawsuit", 0, 0, 3, 100), 0);
	CHECK_INT(facts_evlex_add(x, "store", 1, 5, 30, 0), 0);
	CHECK_INT(facts_evlex_add(x, "have", 1, 200, 0, 0), 0);
	CHECK_INT(facts_evlex_add(x, "use", 1, 80, 40, 90), 0);
	CHECK_INT(facts_evlex_add(x, "base", 1, 10, 20, 0), 0);
	CHECK_INT(facts_evlex_add(x, "file", 1, 10, 20, 0), 0);
	CHECK_INT(facts_evlex_add(x, "addition", 0, 0, 20, 100), 0);
	CHECK_INT(facts_evlex_add_form(x, "sold", "sell"), 0);
	CHECK_INT(facts_evlex_add_form(x, "bought", "buy"), 0);
	static const struct { const char *sent, *want; } cases[] = {
		/* irregular and regular past forms, -ing, a doubled consonant */
		{ "The shop sold lamps and stopped buying chairs", "sold stopped buying" },
		/* a third-person verb against a more frequent noun reading */
		{ "The store sells lamps at low prices", "sells/p" },
		{ "It prices lamps low", "prices/p" },
		/* a base form only after "to", a modal or a subject pronoun */
		{ "The store will use a new price list", "use" },
		{ "They plan to buy the store", "buy" },
		{ "We sell lamps", "sell/p" },
		/* an event noun; a non-event noun that is also a verb is not */
		{ "A lawsuit over the store", "lawsuit/n" },
		/* "have" as a main verb, not as an auxiliary; "be" never */
		{ "It has a store", "has/p" },
		{ "It has sold lamps and is selling chairs", "sold selling" },
		/* participles used as adjectives, names, unknown words */
		{ "A store based in Stopped Creek filed nothing", "filed" },
		{ "Glorbed the flimmed store", "" },
		/* an event noun in a preposition ("in addition to") is not one */
		{ "In addition to lamps it sells chairs", "sells/p" },
		{ "The addition of a store", "addition/n" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char got[256];
		event_words(x, cases[i].sent, got, sizeof got);
		CHECK_STR(got, cases[i].want);
	}
	facts_evlex_free(x);
}

/* Ingest invented articles dated date into a fresh store. */
typedef struct tdoc {
	const char *id, *title, *text;
} tdoc;

static void ingest_docs(chr_db *db, const tdoc *docs, size_t n, const char *date)
{
	chr_ingest *g = NULL;
	CHECK_INT(chr_ingest_new(db, NULL, &g), CHR_OK);
	for (size_t i = 0; g && i < n; i++) {
		chr_doc d;
		memset(&d, 0, sizeof d);
		d.id = docs[i].id;
		d.path = docs[i].id;
		d.title = docs[i].title;
		d.text = docs[i].text;
		d.text_len = strlen(docs[i].text);
		d.date = date;
		CHECK_INT(chr_ingest_doc(g, &d), CHR_OK);
	}
	chr_ingest_stats stats;
	CHECK_INT(chr_ingest_finish(g, &stats), CHR_OK);
	chr_ingest_free(g);
}

/* A group counterpart ("Danish foreign ministry officials") supports a
 * named meeting of the same person, day and place, never one elsewhere. */
static void test_group_support(void)
{
	char db_path[] = "/tmp/chr_test_facts_grp_XXXXXX";
	chr_db *db = open_tmp_db(db_path);
	if (!db)
		return;
	static const tdoc docs[] = {
		{ "grp-a", "Swedish minister in Copenhagen",
		  "Swedish Deputy Foreign Minister Anna Berg met with Danish "
		  "Foreign Minister Karl Holm in Copenhagen on Tuesday. The two "
		  "discussed fishing quotas in the Baltic Sea, Berg said." },
		{ "grp-b", "Berg holds talks on fishing",
		  "Anna Berg held talks with Danish foreign ministry officials in "
		  "Copenhagen on Tuesday. The deputy minister has pressed for new "
		  "quotas since the autumn, when catches fell sharply." },
		{ "grp-c", "Nordic talks in Oslo",
		  "Anna Berg held talks with Danish foreign ministry officials in "
		  "Oslo on Tuesday, according to a statement. Observers expect a "
		  "deal on herring before the summer season opens." },
	};
	ingest_docs(db, docs, sizeof docs / sizeof *docs, "2021-03-03");
	lines l = { 0 };
	CHECK_INT(chr_db_facts(db, NULL, collect, &l), CHR_OK);
	/* a and b (Copenhagen), not c (Oslo) */
	CHECK(has_meeting(&l, "Anna Berg", "Karl Holm", "2021-03-02", "Copenhagen", 2));
	CHECK(!has_meeting(&l, "Anna Berg", "Karl Holm", "2021-03-02", NULL, 3));
	drop(&l);
	close_tmp_db(db, db_path);
}

/* The timeline entry whose "facts" hold fact id, or NULL. */
static json_t *entry_of(lines *l, const char *id)
{
	for (size_t i = 0; i < l->n; i++) {
		size_t k;
		json_t *v;
		json_array_foreach(json_object_get(l->v[i], "facts"), k, v)
			if (!strcmp(json_string_value(v), id))
				return l->v[i];
	}
	return NULL;
}

/* A timeline never shows one sentence twice: each fact takes the sentence
 * that states it most directly (named subject, fewest other facts), and
 * two facts with only one sentence between them share one entry; an
 * entry quotes its sentence from past a run-in credit ("(NTB) -- "). */
static void test_timeline_sentences(void)
{
	char db_path[] = "/tmp/chr_test_facts_tl_XXXXXX";
	chr_db *db = open_tmp_db(db_path);
	if (!db)
		return;
	static const tdoc docs[] = {
		{ "tl-a", "Berg meets Holm",
		  "Swedish Prime Minister Anna Berg met with Danish Prime Minister "
		  "Karl Holm on Monday and was briefed on the results of his talks "
		  "with Norwegian Foreign Minister Lars Dahl earlier in the day, the "
		  "government said. Swedish Prime Minister Anna Berg met with Danish "
		  "Prime Minister Karl Holm late Monday and was briefed on his talks "
		  "with Norwegian Foreign Minister Lars Dahl." },
		{ "tl-b", "Holm and Dahl hold talks",
		  "Danish Prime Minister Karl Holm held talks with Norwegian Foreign "
		  "Minister Lars Dahl in Oslo on Monday, the first such meeting since "
		  "the dispute over fishing rights in the strait began last year. The "
		  "two discussed fishing quotas and a new bridge across the strait." },
		{ "tl-c", "Nordic leaders meet",
		  "(NTB) -- Finnish President Eero Salo met with Icelandic Prime Minister "
		  "Bjorn Ulfsson on Tuesday before meeting Estonian Prime Minister "
		  "Kaja Tamm later that day. The leaders discussed energy prices." },
	};
	ingest_docs(db, docs, sizeof docs / sizeof *docs, "2021-05-12");
	lines f = { 0 }, l = { 0 };
	CHECK_INT(chr_db_facts(db, NULL, collect, &f), CHR_OK);
	CHECK_INT(chr_db_timeline(db, NULL, NULL, collect, &l), CHR_OK);
	for (size_t i = 0; i < l.n; i++) {
		CHECK(str(l.v[i], "text")[0] != '('); /* no run-in credit */
		for (size_t j = i + 1; j < l.n; j++)
			CHECK(strcmp(str(l.v[i], "text"), str(l.v[j], "text")));
	}
	const char *berg = NULL, *dahl = NULL, *salo_u = NULL, *salo_t = NULL;
	for (size_t i = 0; i < f.n; i++) {
		const char *who = str(f.v[i], "who");
		const char *with = json_string_value(json_array_get(json_object_get(f.v[i], "with"), 0));
		if (!with || strcmp(str(f.v[i], "type"), "meeting"))
			continue;
		int holm = !strcmp(who, "Karl Holm") || !strcmp(with, "Karl Holm");
		if (holm && (!strcmp(who, "Anna Berg") || !strcmp(with, "Anna Berg")))
			berg = str(f.v[i], "id");
		if (holm && (!strcmp(who, "Lars Dahl") || !strcmp(with, "Lars Dahl")))
			dahl = str(f.v[i], "id");
		if (!strcmp(who, "Eero Salo") && !strcmp(with, "Bjorn Ulfsson"))
			salo_u = str(f.v[i], "id");
		if (!strcmp(who, "Eero Salo") && !strcmp(with, "Kaja Tamm"))
			salo_t = str(f.v[i], "id");
	}
	CHECK(berg && dahl && salo_u && salo_t);
	if (berg && dahl && salo_u && salo_t) {
		json_t *eb = entry_of(&l, berg), *ed = entry_of(&l, dahl);
		CHECK(eb && ed && eb != ed);
		/* Holm–Dahl is told by tl-b, where Holm is the named subject */
		if (ed)
			CHECK_STR(str(ed, "article"), "tl-b");
		/* one sentence for both of Salo's meetings: one entry */
		CHECK(entry_of(&l, salo_u) && entry_of(&l, salo_u) == entry_of(&l, salo_t));
	}
	drop(&f);
	drop(&l);
	close_tmp_db(db, db_path);
}

/* Within a day, entries follow the hour their sentences give, and a time
 * expression belongs to the nearest fact: "late Tuesday" dates the
 * meeting it follows, not the talks in the same sentence. */
static void test_timeline_hours(void)
{
	char db_path[] = "/tmp/chr_test_facts_hr_XXXXXX";
	chr_db *db = open_tmp_db(db_path);
	if (!db)
		return;
	static const tdoc docs[] = {
		{ "hr-a", "Berg meets Holm",
		  "Swedish Prime Minister Anna Berg met with Danish Prime Minister "
		  "Karl Holm late Tuesday and was briefed on his talks with "
		  "Norwegian Foreign Minister Lars Dahl. The two discussed energy." },
		{ "hr-b", "Holm and Dahl in Oslo",
		  "Danish Prime Minister Karl Holm held talks with Norwegian Foreign "
		  "Minister Lars Dahl in Oslo on Tuesday about fishing quotas, a new "
		  "bridge across the strait and the rail link between the capitals. "
		  "The talks were the first in a year." },
	};
	ingest_docs(db, docs, sizeof docs / sizeof *docs, "2021-05-13");
	lines l = { 0 };
	CHECK_INT(chr_db_timeline(db, "Karl Holm", NULL, collect, &l), CHR_OK);
	CHECK_INT(l.n, 2);
	if (l.n == 2) {
		CHECK_STR(str(l.v[0], "date"), "2021-05-11");
		CHECK_STR(str(l.v[0], "article"), "hr-b"); /* talks, no hour */
		CHECK_STR(str(l.v[1], "article"), "hr-a"); /* late Tuesday */
	}
	drop(&l);
	close_tmp_db(db, db_path);
}

/* A statement with no day of its own is dated by its article when it is
 * told in the simple past or present; a perfect ("had said") and
 * attribution ("according to") stay undated. */
static void test_statement_dates(void)
{
	char db_path[] = "/tmp/chr_test_facts_say_XXXXXX";
	chr_db *db = open_tmp_db(db_path);
	if (!db)
		return;
	static const tdoc docs[] = {
		{ "say-a", "Holm on the talks",
		  "Danish Prime Minister Karl Holm said the talks with Sweden were "
		  "useful. Swedish Prime Minister Anna Berg had said the plan was "
		  "dead. Norwegian Foreign Minister Lars Dahl said on Sunday that "
		  "quotas would rise. Prices will fall, according to Finnish "
		  "President Eero Salo." },
	};
	ingest_docs(db, docs, 1, "2021-05-12");
	lines f = { 0 };
	CHECK_INT(chr_db_facts(db, NULL, collect, &f), CHR_OK);
	int holm = 0, berg = 0, dahl = 0, salo = 0;
	for (size_t i = 0; i < f.n; i++) {
		json_t *o = f.v[i];
		if (strcmp(str(o, "type"), "statement"))
			continue;
		const char *who = str(o, "who"), *when = str(o, "when");
		if (!strcmp(who, "Karl Holm"))
			holm = !strcmp(when, "2021-05-12") && !strcmp(str(o, "when_from"), "article");
		if (!strcmp(who, "Anna Berg"))
			berg = !*when;
		if (!strcmp(who, "Lars Dahl"))
			dahl = !strcmp(when, "2021-05-09") && !*str(o, "when_from");
		if (!strcmp(who, "Eero Salo"))
			salo = !*when;
	}
	CHECK(holm);
	CHECK(berg);
	CHECK(dahl);
	CHECK(salo);
	drop(&f);
	close_tmp_db(db, db_path);
}

/* Digests of invented articles: no run-in dateline credit, no caption,
 * no sentence twice, 3 to 5 sentences in time order, the best attested
 * fact told once and a fact not told yet before a retelling. */
static void test_digest(void)
{
	char db_path[] = "/tmp/chr_test_facts_dg_XXXXXX";
	chr_db *db = open_tmp_db(db_path);
	if (!db)
		return;
	static const tdoc docs[] = {
		{ "dg-a", "Berg and Holm agree on bridge",
		  "BERGEN (NTB) - Swedish Prime Minister Anna Berg met with Danish "
		  "Prime Minister Karl Holm in Bergen on Tuesday to discuss a new "
		  "bridge across the strait. Anna Berg (left) and Karl Holm shake hands "
		  "in Bergen on Tuesday in this photo released by the government. The "
		  "two leaders agreed to share the cost of the bridge, which could open "
		  "in 2030. Holm arrived in Bergen on Monday for a two-day visit. "
		  "Fishing quotas were also on the agenda of the talks in Bergen." },
		{ "dg-b", "Nordic leaders discuss bridge",
		  "Swedish Prime Minister Anna Berg met with Danish Prime Minister Karl "
		  "Holm on Tuesday, the government said. The leaders discussed the cost "
		  "of the bridge across the strait and fishing quotas. Critics say the "
		  "bridge across the strait will harm fishing grounds near Bergen. The "
		  "talks ended with a dinner at the town hall in Bergen on Tuesday." },
		{ "dg-c", "Bridge talks in Bergen",
		  "Danish Prime Minister Karl Holm held talks with Swedish Prime "
		  "Minister Anna Berg in Bergen on Tuesday, the second day of his visit. "
		  "Engineers will study the seabed under the strait before the summer. "
		  "The bridge across the strait would cut the journey to ten minutes. "
		  "Holm flew home from Bergen late on Tuesday after the talks." },
	};
	ingest_docs(db, docs, sizeof docs / sizeof *docs, "2021-05-13");
	lines l = { 0 };
	CHECK_INT(chr_db_digests(db, 0, collect, &l), CHR_OK);
	CHECK(l.n >= 1);
	int told = 0, visit = 0;
	for (size_t i = 0; i < l.n; i++) {
		json_t *sum = json_object_get(l.v[i], "summary");
		size_t ns = json_array_size(sum);
		CHECK(*str(l.v[i], "title"));
		CHECK(ns >= 3 && ns <= 5);
		for (size_t k = 0; k < ns; k++) {
			json_t *e = json_array_get(sum, k);
			const char *t = str(e, "text");
			CHECK(t[0] != '(' && !strstr(t, "(NTB)") && strncmp(t, "BERGEN", 6));
			CHECK(!strstr(t, "(left)") && !strstr(t, "in this photo"));
			/* the meeting is told once, by one of its three sentences */
			told += !strncmp(t, "Swedish Prime Minister Anna Berg met", 36) ||
				!strncmp(t, "Danish Prime Minister Karl Holm held", 36);
			visit |= !strncmp(t, "Holm arrived in Bergen", 22);
			if (k)
				CHECK(strcmp(str(json_array_get(sum, k - 1), "date"), str(e, "date")) <= 0);
			for (size_t j = 0; j < k; j++)
				CHECK(strcmp(str(json_array_get(sum, j), "text"), t));
		}
	}
	CHECK_INT(told, 1);
	CHECK(visit); /* a fact not told yet goes before more of the same */
	drop(&l);
	close_tmp_db(db, db_path);
}

/* A title from a headline in capitals takes the case of its words in the
 * text: names capitalised, acronyms kept, other words lower case. */
static void test_digest_title(void)
{
	char db_path[] = "/tmp/chr_test_facts_dt_XXXXXX";
	chr_db *db = open_tmp_db(db_path);
	if (!db)
		return;
	static const tdoc docs[] = {
		{ "dt-a", "STORM ORLA KILLS NINE IN VESTMARK AS NATO SENDS HELP",
		  "Storm Orla killed nine people in southern Vestmark on Monday, "
		  "officials said. The storm cut power to thousands of homes near "
		  "the coast. NATO sent two ships to help with the rescue on Tuesday. "
		  "Rescue teams searched flooded villages for missing people." },
	};
	ingest_docs(db, docs, 1, "2021-05-13");
	lines l = { 0 };
	CHECK_INT(chr_db_digests(db, 0, collect, &l), CHR_OK);
	CHECK_INT(l.n, 1);
	if (l.n)
		CHECK_STR(str(l.v[0], "title"),
			  "Storm Orla kills nine in Vestmark as NATO sends help");
	drop(&l);
	close_tmp_db(db, db_path);
}

/* The word classes the extractor reads instead of comparing strings, and
 * each word's trigger set: bit i set exactly when trigger i starts with
 * the word, for every trigger's first word and for words that start
 * none. */
static void test_lexicon(void)
{
	static const char *const say[] = { "said", "says", "told", "tells",
		"stated", "states", "added", "reported", "reports", "say" };
	for (size_t i = 0; i < sizeof say / sizeof *say; i++)
		CHECK(facts_word(say[i], strlen(say[i]), NULL, NULL) & FW_SAY);
	static const char *const fill[] = { "people", "were", "at", "least",
		"the", "reached", "protesters" };
	for (size_t i = 0; i < sizeof fill / sizeof *fill; i++)
		CHECK(facts_word(fill[i], strlen(fill[i]), NULL, NULL) & FW_FILL);
	static const char *const quote[] = { "\"", "'", "\xe2\x80\x9c",
		"\xe2\x80\x9d", "\xe2\x80\x98" };
	for (size_t i = 0; i < sizeof quote / sizeof *quote; i++)
		CHECK(facts_word(quote[i], strlen(quote[i]), NULL, NULL) & FW_QUOTE);
	/* the lower-case entry point agrees with the folding one */
	CHECK(facts_word_lc("said", 4, NULL, NULL) == facts_word("SAID", 4, NULL, NULL));
	CHECK(facts_word_lc("killed", 6, NULL, NULL) ==
	      facts_word("Killed", 6, NULL, NULL));
	CHECK(facts_word_lc("zzzqx", 5, NULL, NULL) == 0);
	/* near misses */
	CHECK(!(facts_word("saying", 6, NULL, NULL) & FW_SAY));
	CHECK(!(facts_word("sai", 3, NULL, NULL) & FW_SAY));
	CHECK(!(facts_word("\xe2\x80\x99", 3, NULL, NULL) & FW_QUOTE));
	CHECK(!(facts_word("nearly", 6, NULL, NULL) & FW_FILL));
	CHECK(!(facts_word("said", 4, NULL, NULL) & FW_FILL));
	/* the count and number words still carry their values */
	const char *cat = NULL;
	int64_t v = -1;
	CHECK(facts_word("three", 5, NULL, &v) & FW_NUM);
	CHECK(v == 3);
	CHECK(facts_word("killed", 6, &cat, NULL) & FW_COUNT);
	CHECK_STR(cat, "deaths");
	/* the per-token entry point (tables loaded above) gives the same
	 * classes, count category and number */
	static const char *const all[] = { "said", "killed", "three", "met",
		"zzzqx", "people", "\xe2\x80\x9c", "a" };
	for (size_t i = 0; i < sizeof all / sizeof *all; i++) {
		const char *c1 = NULL, *c2 = NULL;
		int64_t n1 = -1, n2 = -1;
		size_t l = strlen(all[i]);
		CHECK_INT(facts_word_lc_loaded(all[i], l, &c1, &n1),
			  facts_word_lc(all[i], l, &c2, &n2));
		CHECK(c1 == c2 && n1 == n2);
	}
	/* words of a table word's length and first two bytes reach the
	 * hash probe and must still miss; the per-token entry point takes
	 * lower case only */
	static const char *const miss[] = { "saix", "sai\0", "saidx", "thf",
		"peoplf", "killec" };
	for (size_t i = 0; i < sizeof miss / sizeof *miss; i++)
		CHECK_INT(facts_word_lc_loaded(miss[i], i == 1 ? 4 : strlen(miss[i]),
					       NULL, NULL), 0);
	CHECK_INT(facts_word_lc_loaded("SAID", 4, NULL, NULL), 0);
	CHECK_INT(facts_word_lc_loaded("said", 3, NULL, NULL), 0); /* "sai" */
	v = -1;
	CHECK(facts_word_lc_loaded("three", 5, NULL, &v) & FW_NUM);
	CHECK(v == 3);

	CHECK(facts_trig_marked());
	size_t n = 0;
	const facts_trigger *tr = facts_triggers(&n);
	CHECK(n > 10 && n <= FACTS_TRIG_WORDS * 64);
	size_t checked = 0;
	for (size_t i = 0; i < n; i++) {
		const char *w = tr[i].w[0];
		const uint64_t *set = facts_word_trig(w, strlen(w));
		CHECK(set != NULL);
		CHECK(facts_word(w, strlen(w), NULL, NULL) & FW_TRIG);
		if (!set)
			continue;
		for (size_t j = 0; j < n; j++) {
			int bit = (set[j / 64] >> (j % 64)) & 1;
			CHECK(bit == !strcmp(tr[j].w[0], w));
			checked++;
		}
	}
	CHECK(checked == n * n);
	const uint64_t *none = facts_word_trig("people", 6);
	CHECK(!none || (none[0] == 0 && none[1] == 0));
	CHECK(facts_word_trig("zzzqx", 5) == NULL);
}

static const th_test tests[] = {
	TEST(test_lexicon),
	TEST(test_digest),
	TEST(test_digest_title),
	TEST(test_timeline_sentences),
	TEST(test_statement_dates),
	TEST(test_timeline_hours),
	TEST(test_group_support),
	TEST(test_cases),
	TEST(test_scratch_reuse),
	TEST(test_event_words),
	TEST(test_seeds_done_when),
};

TH_MAIN("test_facts", tests)
