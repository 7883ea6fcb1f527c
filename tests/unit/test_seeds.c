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

/* What one seed must give.  Lists end with NULL; counts are "reason=N". */
typedef struct seed_expect {
	const char *prefix, *headline, *published, *from, *dateline, *outlet;
	const char *agencies[4];
	const char *counts[8];
	const char *gone[8];
	const char *kept[8];
	const char *starts;
	int removed, paras; /* -1: not checked */
} seed_expect;

static const seed_expect g_seeds[] = {
	{"000_",
	 "N. Korea, Russia Agree To Strengthen Cooperation At Strategic "
	 "Dialogue",
	 "2019-11-21", "dateline", "SEOUL", "UrduPoint / Pakistan Point News",
	 {"APP", NULL},
	 {"handle=1", "repeat=2", "dateline=1", NULL},
	 {"@ChaudhryMAli88", "SEOUL, (APP", "UrduPoint",
	  "Thursday\n\n", NULL},
	 {"Pyongyang's state media reported Thursday.\n\nChoe met with",
	  "failing to come up with a new proposal.", NULL},
	 "North Korean First Vice Foreign Minister", 4, 7},
	{"001_",
	 "Top diplomats of NK, Russia discuss 'upcoming political contacts': "
	 "reports",
	 NULL, NULL, NULL, NULL,
	 {"AFP", "Yonhap", NULL},
	 {"caption=1", "repeat=1", "agency-tag=1", "boilerplate=3", NULL},
	 {"AFP-Yonhap", "pool photograph", "Top 10 Stories", "LETTER",
	  "eNewsletter", "(Yonhap)", NULL},
	 {"advanced weapons development.",
	  "DPRK stands for the North's official name", NULL},
	 "The top diplomats of North Korea", 6, 14},
	{"002_",
	 "Putin meets N. Korean FM amid deepening military cooperation",
	 NULL, NULL, "MOSCOW", NULL,
	 {"Yonhap", NULL},
	 {"wire-marker=1", "dateline=1", "source-line=1", NULL},
	 {"report ed", "accordi ng", "Source: Yonhap", "MOSCOW,", NULL},
	 {"(KCNA) reported that the talk",
	  "bilateral relations, according to the Russian news agency",
	  "has not yet reported on the meeting between Putin and Choe.", NULL},
	 "Russian President Vladimir Putin has met", 3, 15},
	{"003_",
	 "Senior N. Korean official holds talks with Russian diplomats in "
	 "Moscow",
	 "2019-11-20", "header", "SEOUL/MOSCOW", NULL,
	 {"Yonhap", NULL},
	 {"header=1", "wire-marker=2", "dateline=1", NULL},
	 {"ATTN", "(Yonhap)", "date 2019", NULL},
	 {"with Washington.\n\nFirst Vice Foreign Minister",
	  "At around 10:35 a.m., Choe", NULL},
	 "A senior North Korean diplomat", 4, 13},
	{"004_",
	 "Moscow and Pyongyang reportedly discussed bilateral ties and the "
	 "security of the Korean Peninsula",
	 "2024-01-16", "text", NULL, NULL,
	 {"TASS", "RT", NULL},
	 {"caption=1", "credit=1", "related-headline=2", "boilerplate=1",
	  "agency-tag=1", NULL},
	 {"destabilizing region", "Read more", "(RT)", "Photo:", NULL},
	 {"Lavrov stated that", "as a threat to its national security.", NULL},
	 "Russian President Vladimir Putin has hosted", 6, 6},
};

static void check_seed(const seed_expect *e)
{
	chr_article *a = seed(e->prefix);
	if (!a)
		SKIP("../shared/corpus/seeds not found (set CHR_SHARED)");
	check_shape(a);
	CHECK_STR(a->headline, e->headline);
	CHECK_STR(chr_article_published(a), e->published);
	CHECK_STR(chr_article_published_from(a), e->from);
	CHECK_STR(a->dateline, e->dateline);
	CHECK_STR(a->outlet, e->outlet);
	size_t na = 0;
	while (na < 4 && e->agencies[na])
		na++;
	CHECK_INT(a->agencies.n, na);
	for (size_t i = 0; i < na && i < a->agencies.n; i++)
		CHECK_STR(a->agencies.v[i], e->agencies[i]);
	for (int i = 0; i < 8 && e->counts[i]; i++) {
		char reason[32];
		const char *eq = strchr(e->counts[i], '=');
		snprintf(reason, sizeof reason, "%.*s",
			 (int)(eq - e->counts[i]), e->counts[i]);
		int got = count_reason(a, reason), want = atoi(eq + 1);
		if (got != want) {
			th_failed_checks++;
			fprintf(stderr, "  %s: %s: %d removed, want %d\n",
				th_current, reason, got, want);
		}
	}
	if (e->removed >= 0)
		CHECK_INT(a->removed.n, e->removed);
	for (int i = 0; i < 8 && e->gone[i]; i++)
		if (strstr(a->text, e->gone[i])) {
			th_failed_checks++;
			fprintf(stderr, "  %s: text still has \"%s\"\n",
				th_current, e->gone[i]);
		}
	for (int i = 0; i < 8 && e->kept[i]; i++)
		if (!strstr(a->text, e->kept[i])) {
			th_failed_checks++;
			fprintf(stderr, "  %s: text lacks \"%s\"\n", th_current,
				e->kept[i]);
		}
	CHECK(strncmp(a->text, e->starts, strlen(e->starts)) == 0);
	if (e->paras >= 0) {
		int paras = 1;
		for (const char *p = a->text; (p = strstr(p, "\n\n")); p += 2)
			paras++;
		CHECK_INT(paras, e->paras);
	}
	chr_article_free(a);
}

static void test_seed_000(void) { check_seed(&g_seeds[0]); }
static void test_seed_001(void) { check_seed(&g_seeds[1]); }
static void test_seed_002(void) { check_seed(&g_seeds[2]); }
static void test_seed_003(void) { check_seed(&g_seeds[3]); }
static void test_seed_004(void) { check_seed(&g_seeds[4]); }

/* Seed 000: the lede stays once, the dateline copy with its period, and
 * the earlier copy is what went to removed. */
static void test_seed_000_lede(void)
{
	chr_article *a = seed("000_");
	if (!a)
		SKIP("../shared/corpus/seeds not found (set CHR_SHARED)");
	const char *lede = "Pyongyang's state media reported Thursday.";
	const char *p = strstr(a->text, lede);
	CHECK(p != NULL);
	CHECK(p && strstr(p + strlen(lede), "reported Thursday") == NULL);
	CHECK(removed_has(a, "repeat", "N. Korea, Russia agree to strengthen"));
	CHECK(removed_has(a, "repeat", "media reported Thursday"));
	CHECK(removed_has(a, "handle", "(@ChaudhryMAli88)"));
	chr_article_free(a);
}

/* Seed 004: the caption split from the headline keeps its date. */
static void test_seed_004_caption(void)
{
	chr_article *a = seed("004_");
	if (!a)
		SKIP("../shared/corpus/seeds not found (set CHR_SHARED)");
	CHECK(removed_has(a, "caption", "President Vladimir Putin and North"));
	CHECK(removed_has(a, "caption", "January 16, 2024"));
	CHECK(removed_has(a, "credit", "Artem Geodakyan, TASS"));
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
	TEST(test_seed_003), TEST(test_seed_004), TEST(test_seed_000_lede),
	TEST(test_seed_004_caption), TEST(test_seed_stable),
};

TH_MAIN("test_seeds", tests)
