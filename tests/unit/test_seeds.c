/*
 * test_seeds: golden tests of clean + meta on ../shared/corpus/seeds.
 *
 * Design note: the seeds are real, messy wire copies that the rules were
 * written against (but never keyed to); each test states what must come
 * out of one seed: headline, publication date and its source, dateline,
 * agencies, how many removals of each reason, phrases that must be gone
 * and phrases that must stay.  The stages run directly on an article made
 * with art_new(), so these tests do not depend on the reader or the
 * pipeline.  The seeds are not copied into the repo: without ../shared
 * (or $CHR_SHARED) every test is skipped with a message.
 */
#include "harness.h"

#include <dirent.h>

#include "clean/clean.h"
#include "meta/meta.h"

/* Load the seed whose file name starts with prefix; NULL when absent. */
static chr_article *seed(const char *prefix)
{
	const char *sh = th_shared_dir();
	if (!sh)
		return NULL;
	char dir[512];
	snprintf(dir, sizeof dir, "%s/corpus/seeds", sh);
	DIR *d = opendir(dir);
	if (!d)
		return NULL;
	char path[1024] = "";
	struct dirent *e;
	while ((e = readdir(d)))
		if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
			snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
	closedir(d);
	FILE *f = path[0] ? fopen(path, "rb") : NULL;
	if (!f)
		return NULL;
	static char data[1 << 20];
	size_t n = fread(data, 1, sizeof data - 1, f);
	fclose(f);
	data[n] = '\0';
	chr_article *a = art_new();
	a->id = prefix;
	a->raw = art_strndup(a, data, n);
	a->raw_len = n;
	CHECK_INT(clean_run(a), CHR_OK);
	CHECK_INT(meta_run(a), CHR_OK);
	return a;
}

#define SEED_OR_SKIP(a, prefix)                                            \
	chr_article *a = seed(prefix);                                     \
	if (!a)                                                            \
		SKIP("../shared/corpus/seeds not found (set CHR_SHARED)")

static int count_reason(const chr_article *a, const char *reason)
{
	int n = 0;
	for (size_t i = 0; i < a->removed.n; i++)
		n += strcmp(a->removed.v[i].reason, reason) == 0;
	return n;
}

static int removed_has(const chr_article *a, const char *reason,
		       const char *part)
{
	for (size_t i = 0; i < a->removed.n; i++)
		if (strcmp(a->removed.v[i].reason, reason) == 0 &&
		    strstr(a->removed.v[i].text, part))
			return 1;
	return 0;
}

static void check_agencies(const chr_article *a, const char *const *want,
			   size_t n)
{
	CHECK_INT(a->agencies.n, n);
	for (size_t i = 0; i < n && i < a->agencies.n; i++)
		CHECK_STR(a->agencies.v[i], want[i]);
}

#define GONE(a, s) CHECK(strstr((a)->text, s) == NULL)
#define KEPT(a, s) CHECK(strstr((a)->text, s) != NULL)

/* Every paragraph of the clean text: no blank runs, no stray spaces. */
static void check_shape(const chr_article *a)
{
	CHECK(a->text_len == strlen(a->text));
	CHECK(strstr(a->text, "\n\n\n") == NULL);
	CHECK(a->text_len == 0 || (a->text[0] != '\n' && a->text[0] != ' '));
	CHECK(a->text_len == 0 || a->text[a->text_len - 1] != '\n');
	CHECK(strstr(a->headline, "(LEAD)") == NULL);
	CHECK(strstr(a->headline, "\xC2\xA9") == NULL);
}

static void test_seed_000(void)
{
	SEED_OR_SKIP(a, "000_");
	check_shape(a);
	CHECK_STR(a->headline, "N. Korea, Russia Agree To Strengthen "
			       "Cooperation At Strategic Dialogue");
	CHECK_STR(a->published, "2019-11-21");
	CHECK_STR(a->published_from, "dateline");
	CHECK_STR(a->dateline, "SEOUL");
	CHECK_STR(a->outlet, "UrduPoint / Pakistan Point News");
	static const char *const ag[] = {"APP"};
	check_agencies(a, ag, 1);
	CHECK_INT(count_reason(a, "handle"), 1);
	CHECK_INT(count_reason(a, "repeat"), 2); /* headline copy, lede copy */
	CHECK_INT(count_reason(a, "dateline"), 1);
	CHECK_INT(a->removed.n, 4);
	CHECK(removed_has(a, "handle", "(@ChaudhryMAli88)"));
	CHECK(removed_has(a, "repeat", "N. Korea, Russia agree to strengthen"));
	GONE(a, "@ChaudhryMAli88");
	GONE(a, "SEOUL, (APP");
	GONE(a, "UrduPoint");
	/* the lede stays once: the dateline copy, with its final period */
	CHECK(strncmp(a->text, "North Korean First Vice Foreign Minister", 40) == 0);
	const char *lede = "Pyongyang's state media reported Thursday.";
	const char *p = strstr(a->text, lede);
	CHECK(p != NULL);
	CHECK(p && strstr(p + strlen(lede), "reported Thursday") == NULL);
	KEPT(a, "Choe met with Russian Foreign Minister Sergei Lavrov");
	KEPT(a, "failing to come up with a new proposal.");
	chr_article_free(a);
}

static void test_seed_001(void)
{
	SEED_OR_SKIP(a, "001_");
	check_shape(a);
	CHECK_STR(a->headline, "Top diplomats of NK, Russia discuss "
			       "'upcoming political contacts': reports");
	CHECK_STR(chr_article_published(a), NULL);
	CHECK_STR(chr_article_published_from(a), NULL);
	CHECK_STR(a->dateline, NULL);
	static const char *const ag[] = {"AFP", "Yonhap"};
	check_agencies(a, ag, 2);
	CHECK_INT(count_reason(a, "caption"), 1);
	CHECK_INT(count_reason(a, "repeat"), 1);
	CHECK_INT(count_reason(a, "agency-tag"), 1);
	CHECK_INT(count_reason(a, "boilerplate"), 3);
	CHECK(removed_has(a, "boilerplate", "Top 10 Stories"));
	CHECK(removed_has(a, "boilerplate", "LETTER"));
	CHECK(removed_has(a, "boilerplate", "Sign up for eNewsletter"));
	CHECK(removed_has(a, "agency-tag", "(Yonhap)"));
	GONE(a, "AFP-Yonhap");
	GONE(a, "pool photograph");
	GONE(a, "Top 10 Stories");
	GONE(a, "LETTER");
	GONE(a, "eNewsletter");
	GONE(a, "(Yonhap)");
	CHECK(strncmp(a->text, "The top diplomats of North Korea", 32) == 0);
	KEPT(a, "advanced weapons development.");
	KEPT(a, "DPRK stands for the North's official name");
	chr_article_free(a);
}

static void test_seed_002(void)
{
	SEED_OR_SKIP(a, "002_");
	check_shape(a);
	CHECK_STR(a->headline,
		  "Putin meets N. Korean FM amid deepening military cooperation");
	CHECK_STR(chr_article_published(a), NULL);
	CHECK_STR(a->dateline, "MOSCOW");
	static const char *const ag[] = {"Yonhap"};
	check_agencies(a, ag, 1);
	CHECK_INT(count_reason(a, "wire-marker"), 1);
	CHECK_INT(count_reason(a, "dateline"), 1);
	CHECK_INT(count_reason(a, "source-line"), 1);
	CHECK_INT(a->removed.n, 3);
	CHECK(removed_has(a, "wire-marker", "(2nd LD)"));
	/* broken words repaired */
	KEPT(a, "(KCNA) reported that the talk");
	KEPT(a, "bilateral relations, according to the Russian news agency");
	GONE(a, "report ed");
	GONE(a, "accordi ng");
	GONE(a, "Source: Yonhap");
	CHECK(strncmp(a->text, "Russian President Vladimir Putin has met", 40) == 0);
	KEPT(a, "has not yet reported on the meeting between Putin and Choe.");
	chr_article_free(a);
}

static void test_seed_003(void)
{
	SEED_OR_SKIP(a, "003_");
	check_shape(a);
	CHECK_STR(a->headline, "Senior N. Korean official holds talks with "
			       "Russian diplomats in Moscow");
	CHECK_STR(a->published, "2019-11-20");
	CHECK_STR(a->published_from, "header");
	CHECK_STR(a->dateline, "SEOUL/MOSCOW");
	static const char *const ag[] = {"Yonhap"};
	check_agencies(a, ag, 1);
	CHECK_INT(count_reason(a, "header"), 1);
	CHECK_INT(count_reason(a, "wire-marker"), 2); /* (LEAD), (ATTN: ...) */
	CHECK_INT(count_reason(a, "dateline"), 1);
	CHECK_INT(a->removed.n, 4);
	GONE(a, "ATTN");
	GONE(a, "(Yonhap)");
	/* one paragraph per input line */
	CHECK(strncmp(a->text, "A senior North Korean diplomat", 30) == 0);
	KEPT(a, "with Washington.\n\nFirst Vice Foreign Minister");
	KEPT(a, "At around 10:35 a.m., Choe");
	int paras = 1;
	for (const char *p = a->text; (p = strstr(p, "\n\n")); p += 2)
		paras++;
	CHECK_INT(paras, 13);
	chr_article_free(a);
}

static void test_seed_004(void)
{
	SEED_OR_SKIP(a, "004_");
	check_shape(a);
	CHECK_STR(a->headline, "Moscow and Pyongyang reportedly discussed "
			       "bilateral ties and the security of the Korean "
			       "Peninsula");
	CHECK_STR(a->published, "2024-01-16");
	CHECK_STR(a->published_from, "text");
	CHECK_STR(a->dateline, NULL);
	static const char *const ag[] = {"TASS", "RT"};
	check_agencies(a, ag, 2);
	CHECK_INT(count_reason(a, "caption"), 1);
	CHECK_INT(count_reason(a, "credit"), 1);
	CHECK_INT(count_reason(a, "related-headline"), 2);
	CHECK_INT(count_reason(a, "boilerplate"), 1);
	CHECK_INT(count_reason(a, "agency-tag"), 1);
	CHECK(removed_has(a, "caption", "January 16, 2024"));
	CHECK(removed_has(a, "credit", "Artem Geodakyan, TASS"));
	CHECK(removed_has(a, "boilerplate", "Read more"));
	GONE(a, "destabilizing region");
	GONE(a, "Read more");
	GONE(a, "(RT)");
	GONE(a, "Photo:");
	CHECK(strncmp(a->text, "Russian President Vladimir Putin has hosted", 43) == 0);
	KEPT(a, "Lavrov stated that");
	KEPT(a, "as a threat to its national security.");
	chr_article_free(a);
}

/* The same seed twice gives the same result (no hidden state). */
static void test_seed_stable(void)
{
	chr_article *a = seed("002_");
	if (!a)
		SKIP("../shared/corpus/seeds not found (set CHR_SHARED)");
	chr_article *b = seed("002_");
	CHECK_STR(a->text, b->text);
	CHECK_STR(a->headline, b->headline);
	CHECK_INT(a->removed.n, b->removed.n);
	chr_article_free(a);
	chr_article_free(b);
}

static const th_test tests[] = {
	TEST(test_seed_000), TEST(test_seed_001), TEST(test_seed_002),
	TEST(test_seed_003), TEST(test_seed_004), TEST(test_seed_stable),
};

TH_MAIN("test_seeds", tests)
