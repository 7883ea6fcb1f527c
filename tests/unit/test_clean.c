/*
 * test_clean: the clean stage (and meta over its output) on data cases.
 *
 * Design note: most cases are files in tests/data/clean/NNN-name.case, each an
 * invented article with its expected headline, text, removals, date,
 * dateline and agencies, so a new rule is tested by adding a file, not
 * code.  A case has "=== section" blocks: input (the raw body), and
 * optionally title, date, dateline-in, source (input fields), and the
 * expectations headline, text, removed ("reason<TAB>text" lines),
 * published ("YYYY-MM-DD from" or "null"), dateline, agencies (one per
 * line), outlet, keep (lines that must occur in the text) and gone (lines
 * that must not).  Only the sections present are checked.  Set
 * CHR_CASE_PRINT=1 to print what a case produced.  The rest are unit tests
 * of pieces (no-dictionary fallback, robustness, cost on huge inputs).
 */
#include "harness.h"

#include <dirent.h>
#include <time.h>

#include "clean/boilerplate.h"
#include "clean/clean.h"
#include "clean/paragraphs.h"
#include "clean/repeat.h"
#include "clean/wordlist.h"
#include "meta/meta.h"

#define MAX_SEC 16

typedef struct section {
	char name[32];
	char *body; /* NUL-terminated, trailing newline removed */
} section;

typedef struct tcase {
	char *mem;
	section sec[MAX_SEC];
	int n;
} tcase;

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	char *p = malloc(cap);
	size_t r;
	while (p && (r = fread(p + n, 1, cap - n - 1, f)) > 0) {
		n += r;
		if (cap - n - 1 == 0) {
			char *q = realloc(p, cap * 2);
			if (!q) {
				free(p);
				p = NULL;
				break;
			}
			p = q;
			cap *= 2;
		}
	}
	fclose(f);
	if (p)
		p[n] = '\0';
	if (len)
		*len = n;
	return p;
}

static int parse_case(const char *path, tcase *c)
{
	memset(c, 0, sizeof *c);
	size_t n;
	c->mem = slurp(path, &n);
	if (!c->mem)
		return -1;
	/* headers are lines "=== name"; a body runs to the next header */
	char *hdr[MAX_SEC];
	char *s = c->mem;
	while (s && *s && c->n < MAX_SEC) {
		if (strncmp(s, "=== ", 4) == 0)
			hdr[c->n++] = s;
		s = strchr(s, '\n');
		if (s)
			s++;
	}
	for (int i = 0; i < c->n; i++) {
		char *h = hdr[i] + 4;
		char *nl = strchr(h, '\n');
		size_t l = nl ? (size_t)(nl - h) : strlen(h);
		if (l >= sizeof c->sec[i].name)
			l = sizeof c->sec[i].name - 1;
		memcpy(c->sec[i].name, h, l);
		c->sec[i].body = nl ? nl + 1 : h + strlen(h);
	}
	for (int i = 0; i < c->n; i++) {
		char *end = i + 1 < c->n ? hdr[i + 1] : c->mem + n;
		if (end > c->sec[i].body && end[-1] == '\n')
			end--;
		if (end < c->sec[i].body)
			end = c->sec[i].body;
		*end = '\0';
	}
	return 0;
}

static const char *sec(const tcase *c, const char *name)
{
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->sec[i].name, name) == 0)
			return c->sec[i].body;
	return NULL;
}

static chr_article *run_stages(const char *raw, const tcase *c)
{
	chr_article *a = art_new();
	a->id = "case";
	a->raw = art_strdup(a, raw);
	a->raw_len = strlen(raw);
	if (c) {
		a->in_title = art_strdup(a, sec(c, "title"));
		a->in_date = art_strdup(a, sec(c, "date"));
		a->in_dateline = art_strdup(a, sec(c, "dateline-in"));
		a->source = art_strdup(a, sec(c, "source"));
	}
	CHECK_INT(clean_run(a), CHR_OK);
	CHECK_INT(meta_run(a), CHR_OK);
	return a;
}

static void print_article(const chr_article *a)
{
	printf("=== headline\n%s\n=== text\n%s\n=== removed\n", a->headline,
	       a->text);
	for (size_t i = 0; i < a->removed.n; i++)
		printf("%s\t%s\n", a->removed.v[i].reason, a->removed.v[i].text);
	printf("=== published\n%s %s\n=== dateline\n%s\n=== agencies\n",
	       a->published[0] ? a->published : "null",
	       a->published[0] ? a->published_from : "",
	       a->dateline ? a->dateline : "null");
	for (size_t i = 0; i < a->agencies.n; i++)
		printf("%s\n", a->agencies.v[i]);
	printf("=== outlet\n%s\n", a->outlet ? a->outlet : "null");
}

static void check_lines(const char *want, const char *got, int present)
{
	char *copy = strdup(want);
	for (char *save = NULL, *l = strtok_r(copy, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		int found = strstr(got, l) != NULL;
		if (found != present) {
			th_failed_checks++;
			fprintf(stderr, "  %s: text %s \"%s\"\n", th_current,
				present ? "lacks" : "still has", l);
		}
	}
	free(copy);
}

static void check_case(const char *path, const tcase *c)
{
	const char *in = sec(c, "input");
	if (!in) {
		th_failed_checks++;
		fprintf(stderr, "  %s: no input section\n", path);
		return;
	}
	chr_article *a = run_stages(in, c);
	if (getenv("CHR_CASE_PRINT")) {
		printf("--- %s\n", path);
		print_article(a);
	}
	const char *w;
	if ((w = sec(c, "headline")))
		CHECK_STR(a->headline, w);
	if ((w = sec(c, "text")))
		CHECK_STR(a->text, w);
	if ((w = sec(c, "keep")))
		check_lines(w, a->text, 1);
	if ((w = sec(c, "gone")))
		check_lines(w, a->text, 0);
	if ((w = sec(c, "removed"))) {
		buf b;
		buf_init(&b, 0);
		for (size_t i = 0; i < a->removed.n; i++)
			buf_printf(&b, "%s%s\t%s", i ? "\n" : "",
				   a->removed.v[i].reason, a->removed.v[i].text);
		CHECK_STR(b.p ? b.p : "", w);
		buf_free(&b);
	}
	if ((w = sec(c, "published"))) {
		char got[64];
		snprintf(got, sizeof got, "%s%s%s",
			 a->published[0] ? a->published : "null",
			 a->published[0] ? " " : "",
			 a->published[0] ? a->published_from : "");
		CHECK_STR(got, w);
	}
	if ((w = sec(c, "dateline")))
		CHECK_STR(a->dateline ? a->dateline : "null", w);
	if ((w = sec(c, "outlet")))
		CHECK_STR(a->outlet ? a->outlet : "null", w);
	if ((w = sec(c, "agencies"))) {
		buf b;
		buf_init(&b, 0);
		for (size_t i = 0; i < a->agencies.n; i++)
			buf_printf(&b, "%s%s", i ? "\n" : "", a->agencies.v[i]);
		CHECK_STR(b.p ? b.p : "", w);
		buf_free(&b);
	}
	chr_article_free(a);
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

static void test_cases(void)
{
	char dir[512];
	snprintf(dir, sizeof dir, "%s/clean", th_data_dir());
	DIR *d = opendir(dir);
	if (!d)
		SKIP("no tests/data/clean (run from the repo root)");
	char *names[256];
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < 256) {
		size_t l = strlen(e->d_name);
		if (l > 5 && strcmp(e->d_name + l - 5, ".case") == 0)
			names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, (size_t)n, sizeof *names, cmp_str);
	CHECK(n >= 10);
	const char *outer = th_current;
	for (int i = 0; i < n; i++) {
		char path[1024];
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		tcase c;
		if (parse_case(path, &c)) {
			th_failed_checks++;
			fprintf(stderr, "  cannot read %s\n", path);
		} else {
			th_current = names[i];
			check_case(path, &c);
			th_current = outer;
		}
		free(c.mem);
		free(names[i]);
	}
}

/* ---- the pieces ---- */

static void test_join_without_dictionary(void)
{
	/* no dictionary: the document itself decides */
	const char *doc = "The envoys met in Vladivostok. Officials in "
			  "Vladi vostok said nothing. They report ed it.";
	clean_words cw;
	clean_words_init(&cw, NULL, doc, strlen(doc));
	CHECK_INT(clean_join_broken(&cw, "Vladi", 5, "vostok", 6), 1);
	/* "reported" occurs nowhere: leave the break alone */
	CHECK_INT(clean_join_broken(&cw, "report", 6, "ed", 2), 0);
	/* two words that occur on their own elsewhere stay apart */
	CHECK_INT(clean_join_broken(&cw, "in", 2, "said", 4), 0);
	clean_words_free(&cw);
}

/* The first CLEAN_SCANS counts of a document come from searching its
 * text, the rest from its word set: the answers must not change when the
 * set takes over, and a word inside a longer word (after "x", next to a
 * non-ASCII letter) does not count. */
static void test_join_search_then_set(void)
{
	const char *doc = "ab cd cd \xc3\xa9" "ab ab\xc3\xa9 xab aby abcd.";
	static const struct { const char *l, *r; int want; } q[] = {
		{ "ab", "cd", 1 }, /* "ab" alone once: not a word; "abcd" is */
		{ "cd", "ab", 0 }, /* no "cdab" */
		{ "ab", "y", 1 },
		{ "xa", "b", 1 },
		{ "q", "ab", 0 },
	};
	clean_words cw;
	clean_words_init(&cw, NULL, doc, strlen(doc));
	for (int round = 0; round < 3; round++)
		for (size_t i = 0; i < sizeof q / sizeof *q; i++) {
			CHECK_INT(clean_join_broken(&cw, q[i].l, strlen(q[i].l),
						    q[i].r, strlen(q[i].r)),
				  q[i].want);
			if (round == 0 && i == 0)
				CHECK(!cw.seen_built); /* answered by search */
		}
	CHECK(cw.seen_built); /* and later by the word set */
	clean_words_free(&cw);
}

static void test_join_with_dictionary(void)
{
	const ht *dict = clean_dict();
	if (!dict)
		SKIP("no word list installed (wamerican)");
	clean_words cw;
	clean_words_init(&cw, dict, "", 0);
	CHECK_INT(clean_join_broken(&cw, "announc", 7, "ed", 2), 1);
	CHECK_INT(clean_join_broken(&cw, "announce", 8, "ment", 4), 1);
	CHECK_INT(clean_join_broken(&cw, "govern", 6, "ment", 4), 1);
	/* listed endings of every length join too (the suffix table) */
	CHECK_INT(clean_join_broken(&cw, "direct", 6, "ly", 2), 1);
	CHECK_INT(clean_join_broken(&cw, "sugges", 6, "tions", 5), 1);
	CHECK_INT(clean_join_broken(&cw, "meet", 4, "ings", 4), 1);
	CHECK_INT(clean_join_broken(&cw, "inter-", 6, "national", 8), 2);
	CHECK_INT(clean_join_broken(&cw, "well-", 5, "known", 5), 1);
	CHECK_INT(clean_join_broken(&cw, "the", 3, "river", 5), 0);
	CHECK_INT(clean_join_broken(&cw, "some", 4, "times", 5), 0);
	CHECK_INT(clean_join_broken(&cw, "the", 3, "Senate", 6), 0);
	CHECK(clean_dict_has(dict, "Report", 6));
	CHECK(clean_dict_has(dict, "REPORT", 6));
	CHECK(!clean_dict_has(dict, "ng", 2));
	clean_words_free(&cw);
}

/* clean_split of s without a dictionary into out (ceiling max, 0 for the
 * default) and ps, scratch in mem; free with split_done. */
static chr_status split_text(const char *s, size_t max, arena *mem, buf *out,
			     clean_paras *ps)
{
	arena_init(mem, 0);
	buf_init(out, max);
	memset(ps, 0, sizeof *ps);
	clean_words cw;
	clean_words_init(&cw, NULL, s, strlen(s));
	chr_status st = clean_split(s, strlen(s), &cw, mem, out, ps);
	clean_words_free(&cw);
	return st;
}

static void split_done(arena *mem, buf *out)
{
	buf_free(out);
	arena_free(mem);
}

static void test_split_shapes(void)
{
	/* indented starts, a list, and white space collapsed */
	const char *s = "First  line of\tthe story goes on\n"
			"and ends here.\n    Second paragraph starts here.\n"
			"\n\n- One item\n- Two item\n";
	arena mem;
	buf out;
	clean_paras ps;
	CHECK_INT(split_text(s, 0, &mem, &out, &ps), CHR_OK);
	CHECK_INT(ps.n, 4);
	if (ps.n == 4) {
		CHECK(ps.v[0].len == strlen("First line of the story goes on "
					    "and ends here."));
		CHECK(strncmp(out.p + ps.v[1].off, "Second", 6) == 0);
		CHECK(strncmp(out.p + ps.v[3].off, "- Two item", 10) == 0);
	}
	split_done(&mem, &out);
}

/* White space collapses the same whether the line is copied in one pass
 * (room for the whole line) or word by word (a buffer whose ceiling is
 * under the raw line but over the collapsed one). */
static void test_split_tight_buffer(void)
{
	const char *s = "a   b\t\tc  \f d";
	for (int tight = 0; tight < 2; tight++) {
		arena mem;
		buf out;
		clean_paras ps;
		CHECK_INT(split_text(s, tight ? 8 : 0, &mem, &out, &ps), CHR_OK);
		CHECK_INT(ps.n, 1);
		CHECK_STR(out.p, "a b c d");
		CHECK_INT(out.len, 7);
		split_done(&mem, &out);
	}
}

/* put_line copies the bytes before the first one below 0x21 eight at a
 * time: every line of words, space runs (' ', tab, \f, \v), control
 * bytes and non-ASCII bytes, at every length and alignment, comes out
 * trimmed with each space run as one ' ', the same as a byte loop, with
 * room for the whole line and word by word near the ceiling. */
static void test_split_collapse(void)
{
	static const char alpha[] = "ab Z9\t\f\v\x01\x1f\xc3\xa9.!  x";
	uint32_t x = 777;
	for (int round = 0; round < 400; round++) {
		char line[64], want[64];
		x = x * 1103515245u + 12345u;
		size_t n = (x >> 16) % 48, w = 0;
		for (size_t i = 0; i < n; i++) {
			x = x * 1103515245u + 12345u;
			line[i] = alpha[(x >> 16) % (sizeof alpha - 1)];
		}
		line[n] = '\0';
		int sp = 0;
		for (size_t i = 0; i < n; i++) {
			char c = line[i];
			if (c == ' ' || c == '\t' || c == '\f' || c == '\v') {
				sp = w > 0;
				continue;
			}
			if (sp)
				want[w++] = ' ';
			sp = 0;
			want[w++] = c;
		}
		want[w] = '\0';
		for (int tight = 0; tight < 2; tight++) {
			arena mem;
			buf out;
			clean_paras ps;
			CHECK_INT(split_text(line, tight ? w + 1 : 0, &mem, &out, &ps),
				  CHR_OK);
			CHECK_STR(out.p ? out.p : "", want);
			CHECK_INT(out.len, w);
			CHECK_INT(ps.n, w ? 1 : 0);
			split_done(&mem, &out);
		}
	}
}

/* clean_chars counts eight bytes at a time: it must agree with a byte
 * loop on every length and alignment, and on every byte value. */
static void test_chars_and_line_ends(void)
{
	unsigned char bytes[300];
	uint32_t x = 12345;
	for (size_t i = 0; i < sizeof bytes; i++) {
		x = x * 1103515245u + 12345u;
		bytes[i] = (unsigned char)(x >> 16);
	}
	for (size_t off = 0; off < 9; off++)
		for (size_t n = 0; n + off <= sizeof bytes; n += 7) {
			size_t want = 0;
			for (size_t i = 0; i < n; i++)
				want += (bytes[off + i] & 0xC0) != 0x80;
			CHECK_INT(clean_chars((const char *)bytes + off, n), want);
		}
	CHECK_INT(clean_chars("caf\xc3\xa9 \xe2\x80\x9cok\xe2\x80\x9d", 14), 9);
	/* eight continuation bytes in a word: the largest sum per word */
	CHECK_INT(clean_chars("\x80\x81\x82\x83\x84\x85\x86\xbf"
			      "\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xbf\xc3", 17), 1);
	/* \n, \r\n and a lone \r all end lines */
	const char *s = "One line\r\nand its rest.\rTwo\n";
	arena mem;
	buf out;
	clean_paras ps;
	CHECK_INT(split_text(s, 0, &mem, &out, &ps), CHR_OK);
	CHECK_STR(out.p, "One line and its rest. Two");
	split_done(&mem, &out);
}

/* A credit ("Photo: ...", "©") is found wherever it starts, across the
 * eight-byte steps credit_start takes over bytes that start none; near
 * misses ("Photos", "Image" without the colon) are not credits. */
static void test_credit_at_every_offset(void)
{
	static const struct { const char *tail, *want; } t[] = {
		{ " Photo: Ann Lee", "caption" },
		{ " (Photo by Ann Lee)", "caption" },
		{ " \xc2\xa9 Ann Lee", "caption" },
		{ " Image: Ann Lee", "caption" },
		{ " Photos of the day, taken", NULL },
		{ " Image of the day, taken", NULL },
	};
	/* padding of plain bytes, then of bytes that may start a credit but
	 * do not here ('P', 'I', 0xC2 before a no-break space), which the
	 * eight-byte steps stop at */
	static const char busy[] = "PIqI\xc2\xa0 PqIIPP\xc2\xa0qPIq \xc2\xa0IP";
	chr_article *a = art_new();
	char line[128];
	for (int pad = 0; pad < 2; pad++)
	for (size_t k = 0; k < sizeof t / sizeof *t; k++)
		for (size_t off = 1; off < 24; off++) {
			if (pad)
				memcpy(line, busy, off);
			else
				memset(line, 'q', off);
			size_t tl = strlen(t[k].tail);
			memcpy(line + off, t[k].tail, tl);
			int brk;
			const char *r = clean_classify(a, line, off + tl, 0, &brk);
			CHECK_STR(r, t[k].want);
		}
	chr_article_free(a);
}

/* Prompts are matched on a normal form made eight bytes at a time
 * (ASCII lower case, space runs as one, ’ as '): written in any case,
 * with tabs and space runs, a curly apostrophe, at every alignment
 * (leading spaces, dropped), and near the 160-byte limit, they are found;
 * near misses are not. */
static void test_prompt_forms(void)
{
	static const struct { const char *text, *want; } t[] = {
		{ "Don\xe2\x80\x99t  MISS", "boilerplate" },
		{ "SHARE\tTHIS   Article", "boilerplate" },
		{ "Subscribe   TO our daily newsletter today", "boilerplate" },
		{ "Reporting By Ann Lee and Bo Kim; Editing by Cy Dee", "credit" },
		{ "Source:  Harbour Board", "source-line" },
		{ "RELATED  COVERAGE:", "boilerplate" },
		{ "Shared this article", NULL },
		{ "Read morel", NULL },
		{ "Subscribers to the daily paper rose in May.", NULL },
		{ "The harbour board said its quarterly figures showed freight up "
		  "by a fifth on the year, with grain and timber leading, and "
		  "warned: All Rights   RESERVED", "boilerplate" },
	};
	chr_article *a = art_new();
	char line[256];
	for (size_t k = 0; k < sizeof t / sizeof *t; k++)
		for (size_t pad = 0; pad < 10; pad++) {
			size_t tl = strlen(t[k].text);
			if (pad + tl > 160)
				break;
			memset(line, ' ', pad);
			memcpy(line + pad, t[k].text, tl);
			int brk;
			const char *r = clean_classify(a, line, pad + tl, 0, &brk);
			if ((r == NULL) != (t[k].want == NULL) ||
			    (r && strcmp(r, t[k].want)))
				fprintf(stderr, "  pad %zu: %s\n", pad, t[k].text);
			CHECK_STR(r, t[k].want);
		}
	chr_article_free(a);
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void test_huge_single_line(void)
{
	size_t n = 10u << 20;
	char *s = malloc(n + 1);
	memcpy(s, "Headline\n", 9);
	for (size_t i = 9; i < n; i++)
		s[i] = "abcdefg hij. "[i % 13];
	s[n] = '\0';
	double t0 = now();
	chr_article *a = run_stages(s, NULL);
	double dt = now() - t0;
	CHECK(a->text_len > n / 2);
	CHECK(dt < 10.0);
	chr_article_free(a);
	free(s);
}

static void test_many_paragraphs(void)
{
	/* 100k tiny paragraphs, many repeated: hashing, not all pairs */
	size_t count = 100000;
	buf b;
	buf_init(&b, 0);
	buf_puts(&b, "A headline for the test\n\n");
	for (size_t i = 0; i < count; i++)
		buf_printf(&b, "Item number %zu is here.\n\n", i % 5000);
	double t0 = now();
	chr_article *a = run_stages(b.p, NULL);
	double dt = now() - t0;
	CHECK(a->removed.n >= count - 5000);
	CHECK(dt < 10.0);
	chr_article_free(a);
	buf_free(&b);
}

/* The clean text's buffers are sized once, from the body: an empty
 * body, a body that is all text and paragraphs joined by blank lines
 * come out whole and NUL-terminated at text_len. */
static void test_text_sizes(void)
{
	static const char *const in[][2] = {
		{ "Headline only", "" },
		{ "Headline\n\nword", "word" },
		{ "Headline\n\nOne.\n\nTwo.\n\nThree.", "One.\n\nTwo.\n\nThree." },
		{ "Headline\n\nA line that\nwraps here.", "A line that wraps here." },
	};
	for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
		chr_article *a = run_stages(in[i][0], NULL);
		CHECK_STR(a->text, in[i][1]);
		CHECK_INT(a->text_len, strlen(in[i][1]));
		chr_article_free(a);
	}
}

/* The normal form repeats are found by: ASCII letters lower-cased,
 * digits kept, other ASCII dropped (also last), curly quotes and
 * Latin-1 punctuation dropped, other non-ASCII kept. */
static void test_same_text(void)
{
	static const struct { const char *a, *b; int same; } c[] = {
		{ "Hello, World!", "hello world", 1 },
		{ "A-b 12", "ab12", 1 },
		{ "abc...", "abc", 1 },
		{ "abc", "abd", 0 },
		{ "abc", "abcd", 0 },
		{ "\xe2\x80\x9cQuote\xe2\x80\x9d", "quote", 1 },
		{ "caf\xc3\xa9", "CAF\xc3\xa9", 1 },
		{ "caf\xc3\xa9", "cafe", 0 },
		{ "\xc2\xa0x\xc2\xa9", "X", 1 },
		{ "!!!", "???", 0 }, /* nothing left of either */
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
		CHECK_INT(clean_same_text(c[i].a, strlen(c[i].a), c[i].b,
					  strlen(c[i].b)), c[i].same);
	/* the form is made eight ASCII bytes at a time: a curly quote
	 * (dropped) or an accented letter (kept) at every offset of the
	 * blocks, in a text with case and punctuation to fold */
	static const char ascii[] = "Ab, C-d 12 eF. gh; IJ kl";
	static const char lower[] = "abcd12efghijkl";
	for (size_t k = 0; k <= sizeof ascii - 1; k++) {
		char a[64], b[64], e[64];
		snprintf(a, sizeof a, "%.*s\xe2\x80\x9d%s", (int)k, ascii, ascii + k);
		CHECK_INT(clean_same_text(a, strlen(a), lower, strlen(lower)), 1);
		snprintf(a, sizeof a, "%.*s\xc3\xa9%s", (int)k, ascii, ascii + k);
		size_t lk = 0; /* letters and digits among ascii[0, k) */
		for (size_t i = 0; i < k; i++)
			lk += ascii[i] != ' ' && ascii[i] != ',' && ascii[i] != '-' &&
			      ascii[i] != '.' && ascii[i] != ';';
		snprintf(b, sizeof b, "%.*s\xc3\xa9%s", (int)lk, lower, lower + lk);
		CHECK_INT(clean_same_text(a, strlen(a), b, strlen(b)), 1);
		snprintf(e, sizeof e, "%.*s\xc3\xa9%s", (int)(lk ? lk - 1 : lk + 1),
			 lower, lower + (lk ? lk - 1 : lk + 1));
		CHECK_INT(clean_same_text(a, strlen(a), e, strlen(e)), 0);
	}
}

static void test_garbage(void)
{
	/* odd bytes and shapes must not crash or leave the contract */
	static const char *const in[] = {
		"", "\n\n\n", "(", ")", "((((", "(@)", "©", "© Photo:",
		"date", "date 2019-02-30 x", "SEOUL,", "SEOUL, (", "A\nb",
		"x-\n-y", "   \n\t\n", "Read more\nRead more\nRead more",
		"(ATTN: unterminated", "SEOUL, Nov. 99 (Yonhap) --",
		"\xC2\xA9 2020 Rights", "Top 10 Stories",
	};
	for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
		chr_article *a = run_stages(in[i], NULL);
		CHECK(a->headline != NULL && a->text != NULL);
		CHECK(strstr(a->text, "\n\n\n") == NULL);
		chr_article_free(a);
	}
	/* every byte value once, in lines */
	char all[512];
	size_t k = 0;
	for (int c = 1; c < 256; c++) {
		all[k++] = (char)(c < 0x80 ? c : 'x');
		if (c % 16 == 0)
			all[k++] = '\n';
	}
	all[k] = '\0';
	chr_article *a = run_stages(all, NULL);
	CHECK(a->text != NULL);
	chr_article_free(a);
}

static void test_title_from_input(void)
{
	tcase c;
	memset(&c, 0, sizeof c);
	c.n = 1;
	memcpy(c.sec[0].name, "title", 6);
	c.sec[0].body = "(URGENT) Harbour reopens after storm";
	chr_article *a = run_stages(
		"Harbour reopens after storm\n\nThe harbour reopened on "
		"Friday after a week of repairs.\n",
		&c);
	CHECK_STR(a->headline, "Harbour reopens after storm");
	CHECK_STR(a->text,
		  "The harbour reopened on Friday after a week of repairs.");
	CHECK_INT(a->removed.n, 2);
	chr_article_free(a);
}

static const th_test tests[] = {
	TEST(test_cases),
	TEST(test_join_without_dictionary),
	TEST(test_join_search_then_set),
	TEST(test_split_tight_buffer),
	TEST(test_split_collapse),
	TEST(test_prompt_forms),
	TEST(test_chars_and_line_ends),
	TEST(test_credit_at_every_offset),
	TEST(test_join_with_dictionary),
	TEST(test_split_shapes),
	TEST(test_huge_single_line),
	TEST(test_many_paragraphs),
	TEST(test_text_sizes), TEST(test_same_text), TEST(test_garbage),
	TEST(test_title_from_input),
};

TH_MAIN("test_clean", tests)
