/*
 * test_time: the TIMEX3 tagger (src/time) through the public API.
 *
 * Design note: most cases are data: tests/data/time/cases.tsv holds our
 * own sentences, one per class of expression, with the expressions and
 * values expected against a given DCT; every expected expression must be
 * found with exactly that text, type and value, and a line expecting
 * nothing must yield nothing.  The seed articles in ../shared are checked
 * for the three resolutions the issue names (skipped when absent).  The
 * rest covers the API edges: no DCT, bad DCT, TimeML round trip, and a
 * 10 MB line of digits and slashes that must be tagged in linear time,
 * and the publication date read from the text (time_text_date), with the
 * cases that must stay undated.
 */
#include <time.h>

#include "harness.h"
#include "chronicle.h"
#include "meta/meta.h"
#include "pipeline/article.h"
#include "time/time.h"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0, r;
	char *p = malloc(cap + 1);
	while (p && (r = fread(p + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap) {
			char *q = realloc(p, 2 * cap + 1);
			if (!q)
				break;
			p = q;
			cap *= 2;
		}
	}
	fclose(f);
	if (p) {
		p[n] = 0;
		*len = n;
	}
	return p;
}

/* Is "text=TYPE:value" among the tagged expressions? */
static int has(const char *s, const chr_timex *v, size_t n, const char *want,
	       size_t wl)
{
	const char *eq = memchr(want, '=', wl);
	const char *co = eq ? memchr(eq, ':', wl - (size_t)(eq - want)) : NULL;
	if (!eq || !co)
		return 0;
	size_t tl = (size_t)(eq - want), yl = (size_t)(co - eq - 1);
	size_t vl = wl - (size_t)(co + 1 - want);
	for (size_t i = 0; i < n; i++) {
		const char *ty = chr_timex_type_name(v[i].type);
		if (v[i].end - v[i].start == tl && !memcmp(s + v[i].start, want, tl) &&
		    strlen(ty) == yl && !memcmp(ty, eq + 1, yl) &&
		    strlen(v[i].value) == vl && !memcmp(v[i].value, co + 1, vl))
			return 1;
	}
	return 0;
}

static void dump(const char *s, const chr_timex *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "    got %.*s=%s:%s\n", (int)(v[i].end - v[i].start),
			s + v[i].start, chr_timex_type_name(v[i].type), v[i].value);
}

static void test_cases(void)
{
	char path[512];
	snprintf(path, sizeof path, "%s/time/cases.tsv", th_data_dir());
	size_t len;
	char *data = slurp(path, &len);
	CHECK(data != NULL);
	if (!data)
		return;
	int lines = 0;
	for (char *line = strtok(data, "\n"); line; line = strtok(NULL, "\n")) {
		if (line[0] == '#' || !line[0])
			continue;
		char *t1 = strchr(line, '\t');
		char *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
		CHECK(t2 != NULL);
		if (!t2)
			continue;
		*t1 = *t2 = 0;
		const char *dct = line, *sent = t1 + 1, *exp = t2 + 1;
		chr_timex *v;
		size_t n;
		CHECK_INT(chr_time_tag(sent, strlen(sent), dct, &v, &n), CHR_OK);
		lines++;
		int bad = 0;
		if (!*exp && n) {
			fprintf(stderr, "  expected nothing in: %s\n", sent);
			bad = 1;
		}
		for (const char *p = exp; *p;) {
			const char *q = strstr(p, " ; ");
			size_t wl = q ? (size_t)(q - p) : strlen(p);
			if (!has(sent, v, n, p, wl)) {
				fprintf(stderr, "  missing %.*s in: %s\n", (int)wl, p, sent);
				bad = 1;
			}
			p = q ? q + 3 : p + wl;
		}
		if (bad)
			dump(sent, v, n);
		CHECK(!bad);
		chr_free(v);
	}
	CHECK(lines > 50);
	free(data);
}

/* The expression whose text is want, in the seed file named by prefix. */
static void seed_check(const char *dir, const char *prefix, const char *dct,
		       const char *want, const char *value)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "ls %s/corpus/seeds/%s* 2>/dev/null", dir, prefix);
	FILE *ls = popen(cmd, "r");
	char path[900] = "";
	if (ls) {
		if (!fgets(path, sizeof path, ls))
			path[0] = 0;
		pclose(ls);
	}
	path[strcspn(path, "\n")] = 0;
	size_t len;
	char *s = path[0] ? slurp(path, &len) : NULL;
	CHECK(s != NULL);
	if (!s)
		return;
	chr_timex *v;
	size_t n;
	CHECK_INT(chr_time_tag(s, len, dct, &v, &n), CHR_OK);
	int found = 0;
	size_t wl = strlen(want);
	for (size_t i = 0; i < n; i++) {
		/* case-insensitive on the first letter: "On Wednesday" */
		if (v[i].end - v[i].start == wl && !strncmp(s + v[i].start + 1, want + 1, wl - 1)) {
			found = 1;
			CHECK_STR(v[i].value, value);
			break;
		}
	}
	if (!found)
		fprintf(stderr, "  %s: no \"%s\"\n", prefix, want);
	CHECK(found);
	chr_free(v);
	free(s);
}

static void test_seeds(void)
{
	const char *dir = th_shared_dir();
	if (!dir)
		SKIP("../shared not found");
	seed_check(dir, "002_", "2024-01-17", "late Tuesday", "2024-01-16");
	seed_check(dir, "004_", "2024-01-16", "last September", "2023-09");
	/* "on Wednesday" is tagged as "Wednesday" (TimeML leaves the
	 * preposition out) */
	seed_check(dir, "000_", "2019-11-21", "Wednesday", "2019-11-20");
}

static void test_no_dct(void)
{
	const char *s = "He left on Friday, in September and last year, on March 3, 2020.";
	chr_timex *v;
	size_t n;
	CHECK_INT(chr_time_tag(s, strlen(s), NULL, &v, &n), CHR_OK);
	CHECK(has(s, v, n, "Friday=DATE:XXXX-WXX-5", 22));
	CHECK(has(s, v, n, "September=DATE:XXXX-09", 22));
	CHECK(has(s, v, n, "March 3, 2020=DATE:2020-03-03", 29));
	chr_free(v);
	CHECK_INT(chr_time_tag(s, strlen(s), "2020-13-01", &v, &n), CHR_EINVAL);
	CHECK_INT(chr_time_tag(s, strlen(s), "yesterday", &v, &n), CHR_EINVAL);
	CHECK_INT(chr_time_tag("", 0, "2020-01-01", &v, &n), CHR_OK);
	CHECK_INT(n, 0);
	CHECK(v == NULL);
	/* "the" + a unit, a number + unit, and + a plain noun (no number:
	 * the unit test reads no unset end; valgrind-clean) */
	const char *t = "He left the house on the weekend, talked for the three"
			" months before the talks. The quarter ended.";
	CHECK_INT(chr_time_tag(t, strlen(t), NULL, &v, &n), CHR_OK);
	CHECK_INT(n, 3);
	CHECK(has(t, v, n, "the weekend=DATE:XXXX-WXX-WE", 28));
	CHECK(has(t, v, n, "the three months=DURATION:P3M", 29));
	CHECK(has(t, v, n, "The quarter=DATE:XXXX-QX", 24));
	chr_free(v);
}

static void test_timeml(void)
{
	const char *doc =
		"<?xml version=\"1.0\" ?>\n<TimeML>\n<DOCID>x</DOCID>\n"
		"<DCT><TIMEX3 tid=\"t0\" type=\"DATE\" value=\"2013-03-22\" "
		"functionInDocument=\"CREATION_TIME\">March 22, 2013</TIMEX3></DCT>\n"
		"<TEXT>\nThe vote came Thursday &amp; lasted two hours.\n</TEXT>\n</TimeML>\n";
	char *out;
	size_t ol;
	CHECK_INT(chr_time_timeml(doc, strlen(doc), NULL, &out, &ol), CHR_OK);
	CHECK(strstr(out, "<TIMEX3 tid=\"t1\" type=\"DATE\" value=\"2013-03-21\">Thursday</TIMEX3>") != NULL);
	CHECK(strstr(out, "<TIMEX3 tid=\"t2\" type=\"DURATION\" value=\"PT2H\">two hours</TIMEX3>") != NULL);
	/* removing the inserted tags gives the input back */
	char *w = out;
	const char *text = strstr(out, "<TEXT>");
	for (const char *p = out; *p;) {
		if (!strncmp(p, "<TIMEX3 tid=\"t1", 15) || !strncmp(p, "<TIMEX3 tid=\"t2", 15) ||
		    (!strncmp(p, "</TIMEX3>", 9) && p > text)) {
			p = strchr(p, '>') + 1;
			continue;
		}
		*w++ = *p++;
	}
	*w = 0;
	CHECK_STR(out, doc);
	chr_free(out);
	CHECK_INT(chr_time_timeml("<x/>", 4, NULL, &out, &ol), CHR_EPARSE);
}

static void test_linear(void)
{
	/* 10 MB of digits and slashes on one line, then the same with spaces:
	 * tagged without error.  How fast is bench/eval_time_speed.c's
	 * business (no timed tests); a quadratic scan would make this test
	 * run for hours, which the suite's time limit catches. */
	size_t n = 10u << 20;
	char *s = malloc(n);
	CHECK(s != NULL);
	if (!s)
		return;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < n; i++)
			s[i] = (i % 3 == 2) ? (pass ? ' ' : '/') : (char)('0' + i % 10);
		chr_timex *v;
		size_t k;
		CHECK_INT(chr_time_tag(s, n, "2024-01-01", &v, &k), CHR_OK);
		chr_free(v);
	}
	free(s);
}

static void test_chunks(void)
{
	/* expressions across chunk boundaries are still found, in order */
	size_t reps = 3000;
	char *s = malloc(reps * 40 + 1);
	size_t len = 0;
	for (size_t i = 0; i < reps; i++)
		len += (size_t)snprintf(s + len, 41, "It rained on Jan. 5, 2020 again. ");
	chr_timex *v;
	size_t n;
	CHECK_INT(chr_time_tag(s, len, "2020-02-01", &v, &n), CHR_OK);
	CHECK_INT(n, reps);
	int ok = 1;
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].value, "2020-01-05") || (i && v[i].start <= v[i - 1].start))
			ok = 0;
	CHECK(ok);
	chr_free(v);
	free(s);
}

/* Texts of one token per byte around the chunk size (the token buffer
 * is sized to short texts): the expression after them is still found,
 * once, with its value. */
static void test_dense_tokens(void)
{
	static const size_t pads[] = {0, 1, 2, 4070, 4083, 4084, 4096, 9000};
	char *s = malloc(9100);
	for (size_t k = 0; k < sizeof pads / sizeof pads[0]; k++) {
		size_t len = 0;
		for (; len < pads[k]; len++)
			s[len] = len % 2 ? ',' : 'a';
		len += (size_t)snprintf(s + len, 20, " Jan. 5, 2020.");
		chr_timex *v;
		size_t n;
		CHECK_INT(chr_time_tag(s, len, "2020-02-01", &v, &n), CHR_OK);
		CHECK_INT(n, 1);
		if (n == 1)
			CHECK_STR(v[0].value, "2020-01-05");
		chr_free(v);
	}
	chr_timex *v;
	size_t n;
	CHECK_INT(chr_time_tag("5", 1, "2020-02-01", &v, &n), CHR_OK);
	chr_free(v);
	free(s);
}

/* Word tokens: case flags from the letter runs, inner dots and
 * apostrophes, non-ASCII bytes inside a word, lexicon classes. */
static void test_scan_words(void)
{
	const char *t = "NATO met in MAY, o'clock a.m. caf\xc3\xa9s Jan";
	time_tok v[16];
	size_t stop;
	size_t n = time_tokenize(t, 0, strlen(t), v, 16, &stop);
	CHECK_INT(n, 10);
	CHECK_INT(stop, strlen(t));
	if (n != 10)
		return;
	CHECK_INT(v[0].kind, TK_WORD);
	CHECK_INT(v[0].flags & (TF_CAP | TF_UPPER), TF_CAP | TF_UPPER);
	CHECK_INT(v[1].flags & (TF_CAP | TF_UPPER), 0);
	CHECK_INT(v[3].flags & (TF_CAP | TF_UPPER), TF_CAP | TF_UPPER);
	CHECK_INT(v[3].lx.cls, LC_MONTH);
	CHECK_INT(v[4].kind, TK_PUNCT);
	CHECK_INT(v[5].e - v[5].s, 7);
	CHECK_INT(v[6].e - v[6].s, 3); /* "a.m" then "." */
	CHECK_INT(v[7].kind, TK_PUNCT);
	CHECK_INT(v[8].e - v[8].s, 6);
	CHECK_INT(v[8].lx.cls, LC_NONE);
	CHECK_INT(v[9].flags & (TF_CAP | TF_UPPER), TF_CAP);
	CHECK_INT(v[9].lx.cls, LC_MONABBR);
	/* the tokenizer's lookup (time_lex_find) is time_lex_get's */
	for (size_t i = 0; i < n; i++) {
		if (v[i].kind != TK_WORD)
			continue;
		time_lex g = time_lex_get(t + v[i].s, v[i].e - v[i].s);
		CHECK(!memcmp(&g, &v[i].lx, sizeof g));
	}
}

/* Letter runs are read eight bytes at a time: in random texts of
 * letters of both cases and the bytes on either side of the letter
 * ranges ('@' '[' '`' '{', digits, space, '-'), every word token is a
 * maximal run of ASCII letters, also where the range given ends inside
 * one, with TF_CAP from its first letter and TF_UPPER exactly when it
 * has two or more letters and none of them is lower case. */
static void test_scan_letter_runs(void)
{
	static const char alpha[] = "aAzZmMqQ@[`{09 -eEtT";
	uint32_t x = 4242;
	for (int round = 0; round < 300; round++) {
		char t[80];
		x = x * 1103515245u + 12345u;
		size_t len = 1 + (x >> 16) % 70;
		for (size_t i = 0; i < len; i++) {
			x = x * 1103515245u + 12345u;
			/* long letter runs more often than not */
			size_t k = (x >> 16) % ((x >> 8) % 3 ? 8 : sizeof alpha - 1);
			t[i] = alpha[k];
		}
		t[len] = '\0';
		x = x * 1103515245u + 12345u;
		size_t to = len - (x >> 16) % (len < 5 ? len : 5);
		time_tok v[96];
		size_t stop;
		size_t n = time_tokenize(t, 0, to, v, 96, &stop);
		CHECK_INT(stop, to);
		size_t w = 0;
		for (size_t i = 0; i < to;) {
			int letter = (t[i] >= 'a' && t[i] <= 'z') || (t[i] >= 'A' && t[i] <= 'Z');
			if (!letter) {
				i++;
				continue;
			}
			size_t j = i, lower = 0;
			while (j < to && ((t[j] >= 'a' && t[j] <= 'z') ||
					  (t[j] >= 'A' && t[j] <= 'Z')))
				lower += t[j] >= 'a', j++;
			/* the word tokens, in order */
			while (w < n && v[w].kind != TK_WORD)
				w++;
			CHECK(w < n);
			if (w >= n)
				break;
			CHECK_INT(v[w].s, i);
			CHECK_INT(v[w].e, j);
			unsigned want = (t[i] <= 'Z' ? TF_CAP : 0) |
					(!lower && j - i > 1 ? TF_UPPER : 0);
			CHECK_INT(v[w].flags & (TF_CAP | TF_UPPER), want);
			w++;
			i = j;
		}
		while (w < n && v[w].kind != TK_WORD)
			w++;
		CHECK_INT(w, n);
	}
}

/* Space runs (read in a tight loop after their first byte): a newline
 * marks TF_NL, two newlines in one run TF_PARA, whatever spaces, tabs,
 * carriage returns or a no-break space stand between them. */
static void test_scan_space_runs(void)
{
	const char *t = "a \n b\n\nc \r\n \r\nd\t \xc2\xa0 e\n \n f  g";
	time_tok v[16];
	size_t stop;
	size_t n = time_tokenize(t, 0, strlen(t), v, 16, &stop);
	CHECK_INT(n, 7);
	CHECK_INT(stop, strlen(t));
	static const unsigned want[] = {
		TF_SPACE | TF_NL | TF_PARA, TF_SPACE | TF_NL,
		TF_SPACE | TF_NL | TF_PARA, TF_SPACE | TF_NL | TF_PARA,
		TF_SPACE, TF_SPACE | TF_NL | TF_PARA, TF_SPACE };
	for (size_t i = 0; i < n && i < 7; i++)
		CHECK_INT(v[i].flags & (TF_SPACE | TF_NL | TF_PARA), want[i]);
	/* a run that ends the text ends the scan */
	n = time_tokenize("x \n\n ", 0, 5, v, 16, &stop);
	CHECK_INT(n, 1);
	CHECK_INT(stop, 5);
}

/* An undated article with a dateline and a body, through meta and time
 * as the pipeline runs them; published ("" when none) in out. */
static void date_article(const char *dateline, const char *body, const char *date,
			 char *out, size_t n, const char **from)
{
	chr_article *a = art_new();
	if (!a)
		return;
	a->in_dateline = dateline;
	a->text = body;
	a->text_len = strlen(body);
	a->in_date = date;
	CHECK_INT(meta_run(a), CHR_OK);
	CHECK_INT(time_run(a), CHR_OK);
	snprintf(out, n, "%s", a->published);
	*from = a->published_from;
	chr_article_free(a);
}

/* The lexicon's prefilter (length and first two letters) lets every
 * listed word through, in any case, and turns near misses away. */
static void test_lexicon_filter(void)
{
	CHECK_INT(time_lex_get("January", 7).cls, LC_MONTH);
	CHECK_INT(time_lex_get("JANUARY", 7).val, 1);
	CHECK_INT(time_lex_get("twenty-first", 12).cls, LC_ORD);
	CHECK_INT(time_lex_get("Yesterday", 9).cls, LC_WORD);
	CHECK_INT(time_lex_get("a", 1).cls, LC_WORD);
	CHECK_INT(time_lex_get("second", 6).cls2, LC_UNIT);
	CHECK_INT(time_lex_get("januar", 6).cls, LC_NONE);
	CHECK_INT(time_lex_get("januarys", 8).cls, LC_NONE);
	CHECK_INT(time_lex_get("ja", 2).cls, LC_NONE);
	CHECK_INT(time_lex_get("\xc3\xa9t\xc3\xa9", 6).cls, LC_NONE);
	/* the fold is ASCII A-Z by table: listed words in upper and mixed
	 * case, every letter among them, are found with their classes; a
	 * byte that differs from a letter only in its 0x20 or 0x80 bit
	 * outside A-Z is not folded */
	static const char *const w[] = { "january", "february", "march",
		"april", "may", "june", "july", "august", "september",
		"october", "november", "december", "monday", "tuesday",
		"wednesday", "thursday", "friday", "saturday", "sunday", "six",
		"dozen", "quarter", "weekly", "o'clock", "a.m", "twenty-first",
		"yesterday", "kst", "fortnight", "overnight", "thanksgiving" };
	for (size_t i = 0; i < sizeof w / sizeof *w; i++) {
		char up[32], mix[32];
		size_t n = strlen(w[i]);
		for (size_t j = 0; j <= n; j++) {
			char c = w[i][j];
			up[j] = c >= 'a' && c <= 'z' ? (char)(c - 32) : c;
			mix[j] = j % 2 ? up[j] : c;
		}
		time_lex l = time_lex_get(w[i], n), u = time_lex_get(up, n),
			 m = time_lex_get(mix, n);
		CHECK(l.cls != LC_NONE);
		CHECK(u.cls == l.cls && u.val == l.val && u.cls2 == l.cls2 &&
		      u.val2 == l.val2 && u.flags == l.flags);
		CHECK(m.cls == l.cls && m.val == l.val && m.cls2 == l.cls2);
	}
	CHECK_INT(time_lex_get("jun\xc5", 4).cls, LC_NONE);   /* E | 0x80 */
	CHECK_INT(time_lex_get("jun\xe5", 4).cls, LC_NONE);   /* e | 0x80 */
	CHECK_INT(time_lex_get("a\x0em", 3).cls, LC_NONE);    /* . ^ 0x20 */
	CHECK_INT(time_lex_get("o\x07clock", 7).cls, LC_NONE); /* ' ^ 0x20 */
	CHECK_INT(time_lex_get("A.M", 3).cls, time_lex_get("a.m", 3).cls);
}

/* The shortcuts of the driver and the pattern loop (tag.c: tokens with
 * no class, pure function words, numbers) change nothing: every function
 * word of the grammar, after each of a few words and before each of many
 * continuations, tags the same with and without them. */
static void test_pattern_shortcut(void)
{
	static const char *const before[] = { "", "in ", "for ", "by ", "the ",
		"at ", "until ", "since " };
	static const char *const word[] = { "the", "a", "an", "this", "that",
		"last", "next", "past", "coming", "previous", "following",
		"recent", "upcoming", "current", "present", "same", "latest",
		"prior", "today", "yesterday", "tomorrow", "tonight", "now",
		"currently", "recently", "lately", "nowadays", "early", "late",
		"mid", "about", "around", "some", "more", "over", "up", "under",
		"at", "to", "ago", "every", "each", "per", "of", "and", "or", "in",
		"on", "by", "from", "until", "since", "during", "for", "within",
		"fiscal", "FY", "several", "few", "couple", "many", "dozen",
		"dozens", "hundreds", "once", "twice", "times", "Q", "new", "New",
		"these", "those", "first", "one", "final", "full", "year-ago",
		"The", "Last", "This", "That", "Each" };
	static const char *const after[] = { "", " year", " years ago",
		" week", " weeks", " morning", " night", " quarter",
		" third quarter", " 1990s", " '90s", " nineties", " Monday",
		" May 5", " two days", " 1989", " year 2000", " times a year",
		" of the year", " day before", " day before yesterday",
		" final quarter", " few weeks", " New Year's Day",
		" Christmas", " Year", " 3", " 2 years", " a week",
		" past", " future", " near term", " weekend", " spring",
		" March", " fiscal year", " year-earlier quarter", " hour",
		" half", " other week", " days ahead", " 20th century",
		" 3 p.m.", " noon", " Tuesday night", " summer of 1994" };
	time_date dct = { 2019, 11, 20 };
	char s[160];
	size_t differ = 0, tagged = 0;
	for (size_t b = 0; b < sizeof before / sizeof *before; b++)
		for (size_t w = 0; w < sizeof word / sizeof *word; w++)
			for (size_t a = 0; a < sizeof after / sizeof *after; a++) {
				int len = snprintf(s, sizeof s, "They met %s%s%s and left.",
						   before[b], word[w], after[a]);
				time_out x = {0}, y = {0};
				time_tag_all_patterns(1);
				chr_status s1 = time_tag(s, (size_t)len, dct, &x);
				time_tag_all_patterns(0);
				chr_status s2 = time_tag(s, (size_t)len, dct, &y);
				int same = s1 == s2 && x.n == y.n;
				for (size_t k = 0; same && k < x.n; k++)
					same = x.v[k].start == y.v[k].start &&
					       x.v[k].end == y.v[k].end &&
					       x.v[k].type == y.v[k].type &&
					       !strcmp(x.v[k].value, y.v[k].value) &&
					       !strcmp(x.v[k].mod, y.v[k].mod);
				if (!same && differ++ < 5)
					fprintf(stderr, "  differs: %s\n", s);
				tagged += x.n;
				free(x.v);
				free(y.v);
			}
	CHECK(differ == 0);
	CHECK(tagged > 1000); /* the sentences do hold expressions */
}

static void test_text_date(void)
{
	char p[16];
	const char *from = NULL;
	/* a month-year near the dateline settles its year */
	date_article("SEOUL, Nov. 20 (Yonhap) --",
		     "The talks, first proposed in October 2019, ended on Wednesday.",
		     NULL, p, sizeof p, &from);
	CHECK_STR(p, "2019-11-20");
	CHECK(from && strcmp(from, "text") == 0);
	/* across a year end (two full dates: meta leaves it) */
	date_article("SEOUL, Jan. 3 (Yonhap) --",
		     "The ban took effect on Dec. 28, 2019, and was reviewed on "
		     "Dec. 30, 2019, officials said.", NULL, p, sizeof p, &from);
	CHECK_STR(p, "2020-01-03");
	/* a few weeks off, another month */
	date_article("TOKYO, March 5 (Kyodo) --",
		     "The plant has been shut since Jan. 30, 2021, after a fire on "
		     "Jan. 25, 2021.", NULL, p, sizeof p, &from);
	CHECK_STR(p, "2021-03-05");
	/* stays undated: only bare years */
	date_article("SEOUL, Nov. 20 (Yonhap) --",
		     "Relations have been frozen since 2015 and may thaw by 2025.",
		     NULL, p, sizeof p, &from);
	CHECK_STR(p, "");
	/* stays undated: dates that name two different years */
	date_article("SEOUL, Nov. 20 (Yonhap) --",
		     "Talks began in October 2019; a first round was held in "
		     "November 2018.",
		     NULL, p, sizeof p, &from);
	CHECK_STR(p, "");
	/* stays undated: the only full date is months away */
	date_article("SEOUL, Nov. 20 (Yonhap) --",
		     "The treaty was signed in March 2019 in Hanoi.", NULL, p,
		     sizeof p, &from);
	CHECK_STR(p, "");
	/* stays undated: no dateline date */
	date_article("SEOUL (Yonhap) --", "The talks began in October 2019.", NULL, p,
		     sizeof p, &from);
	CHECK_STR(p, "");
	/* an input date is never replaced */
	date_article("SEOUL, Nov. 20 (Yonhap) --", "The talks began in October 2019.",
		     "2020-11-21", p, sizeof p, &from);
	CHECK_STR(p, "2020-11-21");
	CHECK(from && strcmp(from, "input") == 0);
	/* the new date is the document date of the expressions */
	chr_article *a = art_new();
	a->in_dateline = "SEOUL, Nov. 20 (Yonhap) --";
	a->text = "Choe met Lavrov on Wednesday, a month after the October 2019 talks.";
	a->text_len = strlen(a->text);
	CHECK_INT(meta_run(a), CHR_OK);
	CHECK_INT(time_run(a), CHR_OK);
	CHECK_STR(a->published, "2019-11-20");
	int found = 0;
	for (size_t i = 0; i < a->timexes.n; i++)
		if (strcmp(a->timexes.v[i].value, "2019-11-20") == 0)
			found = 1;
	CHECK(found);
	chr_article_free(a);
}

static const th_test tests[] = {
	/* first: the tokenizer must build the lexicon itself */
	TEST(test_scan_words),
	TEST(test_scan_letter_runs),
	TEST(test_scan_space_runs),
	TEST(test_cases), TEST(test_seeds), TEST(test_no_dct),
	TEST(test_timeml), TEST(test_linear), TEST(test_chunks),
	TEST(test_text_date), TEST(test_pattern_shortcut),
	TEST(test_lexicon_filter), TEST(test_dense_tokens),
};
TH_MAIN("time", tests)
