/*
 * test_meta: date parsing, dateline matching, agencies and the meta stage.
 *
 * Design note: the parsers are table-driven from the .tsv files in tests/data/meta
 * (one input and its expected reading per line), so a new date form or
 * dateline shape is a new line there.  meta_run itself is covered here on
 * hand-built articles (the order of date sources) and end to end in
 * test_clean's cases and test_seeds.
 */
#include "harness.h"

#include "meta/agency.h"
#include "meta/dateline.h"
#include "meta/dateparse.h"
#include "meta/meta.h"

typedef void (*row_fn)(const char *in, const char *want, int lineno);

static int each_row(const char *file, row_fn fn)
{
	char path[512];
	snprintf(path, sizeof path, "%s/meta/%s", th_data_dir(), file);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	char line[2048];
	int lineno = 0, rows = 0;
	while (fgets(line, sizeof line, f)) {
		lineno++;
		size_t l = strlen(line);
		while (l && (line[l - 1] == '\n' || line[l - 1] == '\r'))
			line[--l] = '\0';
		if (!l || line[0] == '#')
			continue;
		char *tab = strchr(line, '\t');
		if (!tab) {
			th_failed_checks++;
			fprintf(stderr, "  %s:%d: no tab\n", file, lineno);
			continue;
		}
		*tab = '\0';
		fn(line, tab + 1, lineno);
		rows++;
	}
	fclose(f);
	return rows;
}

static void date_row(const char *in, const char *want, int lineno)
{
	meta_date d;
	char got[32] = "none";
	if (meta_date_field(in, strlen(in), &d))
		snprintf(got, sizeof got, "%04d-%02d-%02d", d.y, d.m, d.d);
	if (strcmp(got, want) != 0) {
		th_failed_checks++;
		fprintf(stderr, "  dates.tsv:%d: \"%s\": got %s, want %s\n",
			lineno, in, got, want);
	}
}

static void test_dates(void)
{
	int rows = each_row("dates.tsv", date_row);
	if (rows < 0)
		SKIP("no tests/data/meta/dates.tsv (run from the repo root)");
	CHECK(rows >= 20);
}

static void dateline_row(const char *in, const char *want, int lineno)
{
	meta_dateline dl;
	size_t n = strlen(in);
	size_t m = meta_dateline_match(in, n, &dl);
	char got[1024] = "none";
	if (m) {
		char date[16] = "-", ag[128] = "";
		if (dl.date.m)
			snprintf(date, sizeof date, "%04d-%02d-%02d", dl.date.y,
				 dl.date.m, dl.date.d);
		size_t k = 0;
		for (int i = 0; i < dl.nagencies; i++)
			k += (size_t)snprintf(ag + k, sizeof ag - k, "%s%s",
					      i ? "," : "", dl.agencies[i]);
		snprintf(got, sizeof got, "%.*s|%s|%s|%.*s|%s",
			 (int)dl.place_len, in + dl.place_off, date, ag,
			 (int)dl.outlet_len, in + dl.outlet_off, in + m);
	}
	if (strcmp(got, want) != 0) {
		th_failed_checks++;
		fprintf(stderr, "  datelines.tsv:%d: got \"%s\", want \"%s\"\n",
			lineno, got, want);
	}
}

static void test_datelines(void)
{
	int rows = each_row("datelines.tsv", dateline_row);
	if (rows < 0)
		SKIP("no tests/data/meta/datelines.tsv (run from the repo root)");
	CHECK(rows >= 15);
}

static void test_agencies(void)
{
	CHECK_STR(meta_agency_lookup("Yonhap News Agency", 18), "Yonhap");
	CHECK_STR(meta_agency_lookup(" (RT) ", 6), NULL);
	CHECK_STR(meta_agency_lookup(" RT ", 4), "RT");
	CHECK_STR(meta_agency_lookup("rt", 2), NULL); /* acronyms in capitals */
	CHECK_STR(meta_agency_lookup("Reuter", 6), "Reuters");
	CHECK_STR(meta_agency_lookup("ITAR-TASS", 9), "TASS");
	CHECK_STR(meta_agency_lookup("Korean Central News Agency", 26), "KCNA");
	CHECK_STR(meta_agency_lookup("Pakistan Point News", 19), NULL);
	CHECK(meta_agency_all("AFP-Yonhap", 10));
	CHECK(meta_agency_all("EPA/Yonhap", 10));
	CHECK(!meta_agency_all("Jane-Doe", 8));
	CHECK(!meta_agency_all("AFP-Jane", 8));
	CHECK_INT(meta_agency_scan("Artem Geodakyan, TASS", 21, NULL, NULL), 1);
	CHECK_INT(meta_agency_scan("ITAR-TASS/AFP", 13, NULL, NULL), 2);
	/* the table is sorted by length: a lookup finds the names of its
	 * length, the shortest and the longest too, in any case where the
	 * name is longer than an acronym, and nothing between lengths */
	CHECK(meta_agency_table_ok());
	static const struct { const char *in, *want; } t[] = {
		{ "AA", "Anadolu" }, { "aa", NULL }, { "AP", "AP" },
		{ "dpa", "dpa" }, { "DPA", "dpa" }, { "Dpa", "dpa" },
		{ "CTK", "CTK" }, { "ctk", NULL }, { "MENA", "MENA" },
		{ "Kyodo", "Kyodo" }, { "KYODO", "Kyodo" }, { "UNIAN", "UNIAN" },
		{ "reuters.", "Reuters" }, { "ITAR-tass", "TASS" },
		{ "Itar-Tass", "TASS" }, { "UKRINFORM", "Ukrinform" },
		{ "Associated Press of Pakistan", "APP" },
		{ "associated press of pakistan", "APP" },
		{ "United Press International", "UPI" },
		{ "Associated Press of Pakistanx", NULL }, { "A", NULL },
		{ "Reutersx", NULL }, { "Agence France-Presse", "AFP" },
		{ "Agence France Presse", "AFP" }, { "Agence France_Presse", NULL },
		{ "The Associated Press Agency Limited 12345", NULL },
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++)
		CHECK_STR(meta_agency_lookup(t[i].in, strlen(t[i].in)), t[i].want);
}

static void years_cb(void *ctx, int y)
{
	int *v = ctx;
	if (v[0] < 8)
		v[1 + v[0]++] = y;
}

static void test_years(void)
{
	int v[9] = {0};
	const char *s = "In 2019 and 1999, not 12019, $2000, 3.2019 or "
			"2019th; 2101 is out, 1900 is in.";
	meta_years_scan(s, strlen(s), years_cb, v);
	CHECK_INT(v[0], 3);
	CHECK_INT(v[1], 2019);
	CHECK_INT(v[2], 1999);
	CHECK_INT(v[3], 1900);
}

static chr_article *article(const char *date, const char *header,
			    const char *dateline, const char *text)
{
	chr_article *a = art_new();
	a->in_date = date;
	if (header)
		art_remove(a, header, strlen(header), "header");
	if (dateline)
		art_remove(a, dateline, strlen(dateline), "dateline");
	a->text = text ? text : "";
	a->text_len = strlen(a->text);
	CHECK_INT(meta_run(a), CHR_OK);
	return a;
}

static void test_source_order(void)
{
	/* input beats header beats dateline beats text */
	chr_article *a = article("2020-01-02", "date 2020-01-03",
				 "ROME, Jan. 4 (ANSA) --",
				 "It happened on January 5, 2020.");
	CHECK_STR(a->published, "2020-01-02");
	CHECK_STR(a->published_from, "input");
	CHECK_STR(a->dateline, "ROME");
	CHECK_INT(a->agencies.n, 1);
	chr_article_free(a);

	a = article(NULL, "Published: 2020-01-03", "ROME, Jan. 4 (ANSA) --",
		    "It happened on January 5, 2020.");
	CHECK_STR(a->published, "2020-01-03");
	CHECK_STR(a->published_from, "header");
	chr_article_free(a);

	/* the dateline's year comes from a full date near it; bare years
	 * elsewhere do not count */
	a = article(NULL, NULL, "ROME, Jan. 4 (ANSA) --",
		    "It happened on January 3, 2020, and in 2019 too.");
	CHECK_STR(a->published, "2020-01-04");
	CHECK_STR(a->published_from, "dateline");
	chr_article_free(a);

	/* no year anywhere: not guessed */
	a = article(NULL, NULL, "ROME, Jan. 4 (ANSA) --", "It happened.");
	CHECK_STR(chr_article_published(a), NULL);
	CHECK_STR(chr_article_published_from(a), NULL);
	chr_article_free(a);

	/* an unparseable input date falls through to the next source */
	a = article("sometime", NULL, NULL, "It opened on March 8, 2018.");
	CHECK_STR(a->published, "2018-03-08");
	CHECK_STR(a->published_from, "text");
	chr_article_free(a);

	/* two different full dates in the text: ambiguous */
	a = article(NULL, NULL, NULL,
		    "It opened on March 8, 2018 and closed on May 1, 2018.");
	CHECK_STR(chr_article_published(a), NULL);
	chr_article_free(a);

	/* a bare dateline cut as "PLACE," still names the place */
	a = article(NULL, NULL, "MOSCOW,", "Talks went on.");
	CHECK_STR(a->dateline, "MOSCOW");
	chr_article_free(a);
}

static void test_outlet_from_source(void)
{
	chr_article *a = art_new();
	a->source = "Reuters";
	a->in_dateline = "LONDON, March 3 -";
	a->in_date = "3-MAR-1987 10:00:00.00";
	CHECK_INT(meta_run(a), CHR_OK);
	CHECK_STR(a->outlet, "Reuters");
	CHECK_STR(a->dateline, "LONDON");
	CHECK_STR(a->published, "1987-03-03");
	CHECK_INT(a->agencies.n, 1);
	chr_article_free(a);
}

static const th_test tests[] = {
	TEST(test_dates),
	TEST(test_datelines),
	TEST(test_agencies),
	TEST(test_years),
	TEST(test_source_order),
	TEST(test_outlet_from_source),
};

TH_MAIN("test_meta", tests)
