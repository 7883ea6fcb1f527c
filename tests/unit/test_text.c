/*
 * test_text: the tokenizer and sentence splitter.
 *
 * Design note: the behaviour is pinned by table-driven cases in
 * tests/data/text/ (tokens.txt, sentences.txt), so a new rule is a new
 * case in a data file.  The C tests here cover what a table cannot:
 * flags, byte offsets over multi-byte UTF-8, structural invariants on
 * random and invalid input, the snprintf-style count of text_tokenize, the
 * pipeline stage on an article, linear time on a 10 MB line (with the
 * throughput printed), and a smoke run over the shared seeds when present.
 */
#include "harness.h"

#include <dirent.h>
#include <time.h>

#include "text/text.h"

/* ---- data-driven cases ------------------------------------------- */

typedef struct tcase {
	char in[4096];
	size_t in_len;
	char want[64][4096];
	size_t nwant;
	int line;
} tcase;

static size_t unescape(char *dst, size_t cap, const char *src)
{
	size_t k = 0;
	for (; *src && *src != '\n' && k + 1 < cap; src++) {
		if (*src == '\\' && src[1]) {
			src++;
			dst[k++] = *src == 'n' ? '\n' : *src == 't' ? '\t' : *src;
		} else {
			dst[k++] = *src;
		}
	}
	dst[k] = 0;
	return k;
}

/* Read the next case from f; 0 at the end.  With split_words, "=" lines
 * are split at spaces into items; otherwise each "=" line is one item. */
static int next_case(FILE *f, tcase *c, int *lineno, int split_words)
{
	char line[4096];
	int have = 0;
	c->nwant = 0;
	while (fgets(line, sizeof line, f)) {
		++*lineno;
		if (line[0] == '#')
			continue;
		if (line[0] == '\n' || line[0] == 0) {
			if (have)
				return 1;
			continue;
		}
		if (line[0] == '>' && line[1] == ' ') {
			c->in_len = unescape(c->in, sizeof c->in, line + 2);
			c->line = *lineno;
			have = 1;
		} else if (line[0] == '=' && line[1] == ' ' && have) {
			char buf[4096];
			unescape(buf, sizeof buf, line + 2);
			if (!split_words) {
				if (c->nwant < 64)
					snprintf(c->want[c->nwant++], sizeof c->want[0], "%s", buf);
				continue;
			}
			for (char *p = strtok(buf, " "); p; p = strtok(NULL, " "))
				if (c->nwant < 64)
					snprintf(c->want[c->nwant++], sizeof c->want[0], "%s", p);
		}
	}
	return have;
}

static FILE *open_data(const char *name)
{
	char path[512];
	snprintf(path, sizeof path, "%s/text/%s", th_data_dir(), name);
	FILE *f = fopen(path, "r");
	if (!f)
		fprintf(stderr, "  cannot open %s\n", path);
	return f;
}

/* Run every case of a data file through check, which returns 1 when the
 * case passes and prints what it got otherwise. */
static void run_table(const char *name, int split_words,
		      int (*check)(const tcase *c))
{
	FILE *f = open_data(name);
	CHECK(f != NULL);
	if (!f)
		return;
	static tcase c;
	int lineno = 0, cases = 0;
	while (next_case(f, &c, &lineno, split_words)) {
		if (!check(&c)) {
			th_failed_checks++;
			fprintf(stderr, "  ^ %s:%d\n", name, c.line);
		}
		cases++;
	}
	fclose(f);
	CHECK(cases >= 20);
}

static int same(const char *want, const char *s, uint32_t a, uint32_t b)
{
	return strlen(want) == b - a && memcmp(want, s + a, b - a) == 0;
}

static int check_tokens(const tcase *c)
{
	art_token t[256];
	size_t n = text_tokenize(c->in, c->in_len, t, 256);
	int ok = n == c->nwant;
	for (size_t i = 0; ok && i < n; i++)
		ok = same(c->want[i], c->in, t[i].start, t[i].end);
	if (!ok) {
		fprintf(stderr, "  got");
		for (size_t i = 0; i < n && i < 256; i++)
			fprintf(stderr, " [%.*s]", (int)(t[i].end - t[i].start),
				c->in + t[i].start);
		fprintf(stderr, "\n");
	}
	return ok;
}

static int check_sentences(const tcase *c)
{
	art_token t[512];
	art_sentence s[64];
	size_t n = text_tokenize(c->in, c->in_len, t, 512);
	if (n > 512)
		return 0;
	size_t ns = text_split(c->in, c->in_len, t, n);
	int ok = text_spans(t, n, s, 64) == ns && ns == c->nwant;
	for (size_t i = 0; ok && i < ns; i++)
		ok = same(c->want[i], c->in, s[i].start, s[i].end);
	if (!ok)
		for (size_t i = 0; i < ns && i < 64; i++)
			fprintf(stderr, "  got [%.*s]\n", (int)(s[i].end - s[i].start),
				c->in + s[i].start);
	return ok;
}

static void test_token_table(void) { run_table("tokens.txt", 1, check_tokens); }
static void test_sentence_table(void)
{
	run_table("sentences.txt", 0, check_sentences);
}

/* ---- flags and offsets ------------------------------------------- */

static const art_token *find(const char *s, const art_token *t, size_t n,
			     const char *w)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].end - t[i].start == strlen(w) &&
		    memcmp(s + t[i].start, w, strlen(w)) == 0)
			return &t[i];
	return NULL;
}

static void test_flags(void)
{
	const char *s = "On Nov. 20 the U.S. envoy, Ms. Ebere, met 3 aides "
			"at 10:35 a.m. (local time).";
	art_token t[64];
	size_t n = text_tokenize(s, strlen(s), t, 64);
	const art_token *x;
	x = find(s, t, n, "Nov.");
	CHECK(x && x->flags == (TOK_WORD | TOK_CAP | TOK_ABBR));
	x = find(s, t, n, "20");
	CHECK(x && x->flags == (TOK_WORD | TOK_NUM));
	x = find(s, t, n, "10:35");
	CHECK(x && x->flags == (TOK_WORD | TOK_NUM));
	x = find(s, t, n, "the");
	CHECK(x && x->flags == TOK_WORD);
	x = find(s, t, n, "U.S.");
	CHECK(x && x->flags == (TOK_WORD | TOK_CAP | TOK_ABBR));
	x = find(s, t, n, "a.m.");
	CHECK(x && x->flags == (TOK_WORD | TOK_ABBR));
	x = find(s, t, n, "Ms.");
	CHECK(x && (x->flags & TOK_ABBR));
	x = find(s, t, n, ",");
	CHECK(x && x->flags == TOK_PUNCT);
	x = find(s, t, n, "(");
	CHECK(x && x->flags == TOK_PUNCT);
	for (size_t i = 0; i < n; i++)
		CHECK(!(t[i].flags & TOK_SENT_START));
	size_t ns = text_split(s, strlen(s), t, n);
	CHECK_INT(ns, 1);
	CHECK(t[0].flags & TOK_SENT_START);
	for (size_t i = 1; i < n; i++)
		CHECK(!(t[i].flags & TOK_SENT_START));
}

static void test_utf8_offsets(void)
{
	/* Ø is 2 bytes, “ ” ’ – are 3 bytes, 𝔸 is 4 bytes. */
	const char *s = "“Øresund’s” 𝔸lpha–beta";
	art_token t[16];
	size_t n = text_tokenize(s, strlen(s), t, 16);
	CHECK_INT(n, 7);
	if (n != 7)
		return;
	CHECK_INT(t[0].start, 0);
	CHECK_INT(t[0].end, 3); /* “ */
	CHECK_INT(t[1].start, 3);
	CHECK_INT(t[1].end, 11); /* Øresund */
	CHECK(t[1].flags & TOK_CAP);
	CHECK_INT(t[2].end, 15); /* ’s */
	CHECK(t[2].flags & TOK_WORD);
	CHECK_INT(t[3].end, 18); /* ” */
	CHECK(t[3].flags & TOK_PUNCT);
	CHECK_INT(t[4].start, 19); /* 𝔸lpha: a math letter (Lu) */
	CHECK_INT(t[4].end, 27);
	CHECK_INT(t[5].end, 30); /* – */
	CHECK_INT(t[6].end, (long long)strlen(s));
}

static void test_count_and_max(void)
{
	const char *s = "One two three four five.";
	art_token t[2];
	CHECK_INT(text_tokenize(s, strlen(s), t, 2), 6);
	CHECK_INT(t[1].start, 4);
	CHECK_INT(text_tokenize(s, strlen(s), NULL, 0), 6);
	CHECK_INT(text_tokenize("", 0, NULL, 0), 0);
	CHECK_INT(text_tokenize(" \n\t\n ", 5, NULL, 0), 0);
	CHECK_INT(text_split("", 0, t, 0), 0);
	/* a cut in the middle of a UTF-8 sequence never reads past n */
	const char *u = "caf\xC3\xA9";
	art_token v[4];
	CHECK_INT(text_tokenize(u, 4, v, 4), 2);
	CHECK_INT(v[1].end, 4);
}

static void test_tables(void)
{
	CHECK(text_tables_ok());
	CHECK_INT(text_abbrev("Nov", 3), TEXT_ABBR_END);
	CHECK_INT(text_abbrev("Gen", 3), TEXT_ABBR_TITLE);
	CHECK_INT(text_abbrev("No", 2), TEXT_ABBR_NUMBER);
	CHECK_INT(text_abbrev("nov", 3), TEXT_ABBR_NONE);
	CHECK_INT(text_abbrev("Novx", 4), TEXT_ABBR_NONE);
	CHECK_INT(text_abbrev("", 0), TEXT_ABBR_NONE);
	CHECK(text_is_starter("The", 3));
	CHECK(!text_is_starter("the", 3));
	CHECK(!text_is_starter("Korea", 5));
}

/* ---- invariants on arbitrary input -------------------------------- */

static void check_invariants(const char *s, size_t n)
{
	static art_token t[8192];
	static art_sentence sv[8192];
	size_t k = text_tokenize(s, n, t, 8192);
	CHECK(k <= 8192);
	if (k > 8192)
		return;
	size_t prev = 0;
	for (size_t i = 0; i < k; i++) {
		CHECK(t[i].start >= prev && t[i].end > t[i].start && t[i].end <= n);
		CHECK((t[i].flags & (TOK_WORD | TOK_PUNCT)) == TOK_WORD ||
		      (t[i].flags & (TOK_WORD | TOK_PUNCT)) == TOK_PUNCT);
		/* never starts or ends inside a valid multi-byte sequence */
		CHECK((unsigned char)s[t[i].start] < 0x80 ||
		      ((unsigned char)s[t[i].start] & 0xC0) != 0x80 ||
		      t[i].end - t[i].start == 1);
		/* the gap before it is white space only (ASCII here) */
		for (size_t j = prev; j < t[i].start; j++)
			if ((unsigned char)s[j] < 0x80)
				CHECK((unsigned char)s[j] <= 0x20 || s[j] == 0x7F);
		prev = t[i].end;
	}
	size_t ns = text_split(s, n, t, k);
	CHECK(k == 0 ? ns == 0 : ns >= 1);
	CHECK_INT(text_spans(t, k, sv, 8192), ns);
	size_t covered = 0;
	for (size_t i = 0; i < ns && i < 8192; i++) {
		CHECK_INT(sv[i].tok, covered);
		covered += sv[i].ntok;
		CHECK(sv[i].ntok > 0);
	}
	CHECK_INT(covered, k);
}

static void test_random_bytes(void)
{
	static const char *const bits[] = {
		"U.S.", " ", ".", "\n\n", "Nov.", "'s", "\xE2\x80\x99", "\"",
		"A", "b", "3", ",", "-", "\xC3\xA9", "\xE2\x80\xA6", "...", "?",
		"\xFF", "\xC3", "\xE2\x80", "\x80", "http://x", "No.", "n't",
		"&", "Mr.", "\t", "(", ")", "\xF0\x9D\x94\xB8", "\xCC\x81"};
	static char buf[6000];
	unsigned seed = 12345;
	for (int round = 0; round < 300; round++) {
		size_t n = 0;
		while (n < sizeof buf - 16) {
			seed = seed * 1103515245u + 12345u;
			const char *b = bits[(seed >> 16) % (sizeof bits / sizeof *bits)];
			size_t bl = strlen(b);
			memcpy(buf + n, b, bl);
			n += bl;
			if ((seed >> 8) % 97 == 0)
				break;
		}
		check_invariants(buf, n);
	}
	for (int c = 0; c < 256; c++) { /* every single byte */
		char one[2] = {(char)c, 0};
		check_invariants(one, 1);
	}
}

/* ---- the pipeline stage ------------------------------------------- */

static void test_text_run(void)
{
	chr_article *a = art_new();
	CHECK(a != NULL);
	if (!a)
		return;
	const char *body = "Harbour workers in Valmora ended their strike on "
			   "Friday. Cargo moved again by 4 p.m. The union's "
			   "leader, Rui Santelmo, called it \"a fair deal.\"\n\n"
			   "Shipping lines said backlogs would clear by Mar. 14.";
	a->text = art_strdup(a, body);
	a->text_len = strlen(body);
	CHECK_INT(text_run(a), CHR_OK);
	CHECK_INT(a->sents.n, 4);
	CHECK_INT(chr_article_sentence_count(a), 4);
	CHECK(a->toks.n > 30);
	size_t st, en;
	chr_article_sentence(a, 1, &st, &en);
	CHECK(en > st && memcmp(body + st, "Cargo moved again by 4 p.m.", en - st) == 0);
	chr_article_sentence(a, 3, &st, &en);
	CHECK(memcmp(body + st, "Shipping", 8) == 0 && en == strlen(body));
	for (size_t i = 0; i < a->sents.n; i++)
		CHECK(a->toks.v[a->sents.v[i].tok].flags & TOK_SENT_START);
	/* a second run starts over */
	CHECK_INT(text_run(a), CHR_OK);
	CHECK_INT(a->sents.n, 4);
	/* more tokens than a first guess from the length holds (one per
	 * byte): the second pass gives the same tokens as the cursor */
	static char dense[1201];
	for (size_t i = 0; i < 1200; i++)
		dense[i] = "a,;("[i % 4];
	art_token want[1200];
	CHECK_INT(text_tokenize(dense, 1200, want, 1200), 1200);
	a->text = dense;
	a->text_len = 1200;
	CHECK_INT(text_run(a), CHR_OK);
	CHECK_INT(a->toks.n, 1200);
	int same = a->toks.n == 1200;
	for (size_t i = 0; same && i < 1200; i++)
		same = a->toks.v[i].start == want[i].start &&
		       a->toks.v[i].end == want[i].end &&
		       (a->toks.v[i].flags & ~(uint32_t)TOK_SENT_START) == want[i].flags;
	CHECK(same);
	/* empty text */
	a->text = "";
	a->text_len = 0;
	CHECK_INT(text_run(a), CHR_OK);
	CHECK_INT(a->toks.n, 0);
	CHECK_INT(a->sents.n, 0);
	chr_article_free(a);
}

/* ---- speed and linearity ------------------------------------------ */

/* The speed floor only guards against accidental quadratic work; it is
 * far below the measured figure, and lower still under sanitizers. */
#if defined(__SANITIZE_ADDRESS__)
#define MIN_MBS 1.0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define MIN_MBS 1.0
#endif
#endif
#ifndef MIN_MBS
#define MIN_MBS 10.0
#endif

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_long_line(void)
{
	/* 10 MB on one line, no paragraph break: must stay linear. */
	static const char *const parts[] = {
		"The Valmora port authority said on Nov. 3 that 1,250 ",
		"containers, worth about $4.5 million, were stuck; ",
		"Gen. Ruiz told the U.S.-based insurer's envoy at 10:35 a.m. ",
		"that “the backlog would not last.” Dockworkers didn't agree. ",
		"Søren Ålund, 52, of Tidewell Ltd. said talks would resume. "};
	size_t n = 10u << 20;
	char *s = malloc(n);
	CHECK(s != NULL);
	if (!s)
		return;
	size_t k = 0;
	for (int p = 0; k < n; p = (p + 1) % 5) {
		size_t l = strlen(parts[p]);
		if (l > n - k)
			l = n - k;
		memcpy(s + k, parts[p], l);
		k += l;
	}
	while (k > 0 && ((unsigned char)s[k - 1] & 0xC0) == 0x80)
		k--; /* do not end inside a UTF-8 sequence */
	double t0 = now();
	size_t ntok = text_tokenize(s, k, NULL, 0);
	double t1 = now();
	art_token *t = malloc(ntok * sizeof *t);
	CHECK(t != NULL);
	if (!t) {
		free(s);
		return;
	}
	text_tokenize(s, k, t, ntok);
	double t2 = now();
	size_t ns = text_split(s, k, t, ntok);
	double t3 = now();
	double mbs = k / 1e6 / (t1 - t0 > 1e-9 ? t1 - t0 : 1e-9);
	printf("  tokenize: %.1f MB/s (%zu tokens, %.1f Mtok/s); split: %.1f MB/s "
	       "(%zu sentences)\n",
	       mbs, ntok, ntok / 1e6 / (t1 - t0), k / 1e6 / (t3 - t2), ns);
	CHECK(ntok > k / 8);
	CHECK(ns > k / 300);
	CHECK(mbs > MIN_MBS);
	CHECK(t3 - t2 < 20.0 / MIN_MBS);
	/* a 10 MB run of one character class is linear too */
	memset(s, 'a', n);
	t0 = now();
	CHECK_INT(text_tokenize(s, n, NULL, 0), 1);
	memset(s, '.', n);
	CHECK_INT(text_tokenize(s, n, NULL, 0), 1);
	for (size_t i = 0; i + 1 < n; i += 2)
		s[i] = 'U', s[i + 1] = '.';
	CHECK_INT(text_tokenize(s, n, NULL, 0), 1);
	CHECK(now() - t0 < 30.0 / MIN_MBS);
	free(t);
	free(s);
}

/* ---- the bundled examples ---------------------------------------- */

/* Every text file in examples/ tokenizes and splits cleanly, and the
 * hard cases written into them come out right. */
static void test_examples(void)
{
	DIR *d = opendir("examples");
	if (!d)
		SKIP("examples/ not found (run from the repo root)");
	static char buf[1 << 16];
	static art_token t[16384];
	int files = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l < 5 || strcmp(e->d_name + l - 4, ".txt"))
			continue;
		char path[512];
		snprintf(path, sizeof path, "examples/%s", e->d_name);
		FILE *f = fopen(path, "rb");
		CHECK(f != NULL);
		if (!f)
			continue;
		size_t n = fread(buf, 1, sizeof buf, f);
		fclose(f);
		check_invariants(buf, n);
		size_t k = text_tokenize(buf, n, t, 16384);
		text_split(buf, n, t, k);
		for (size_t i = 1; i < k; i++) {
			if (!(t[i].flags & TOK_SENT_START))
				continue;
			/* no sentence starts right after a title or a time */
			const art_token *p = &t[i - 1];
			int title = (p->flags & TOK_ABBR) &&
				    text_abbrev(buf + p->start, p->end - p->start - 1) ==
					    TEXT_ABBR_TITLE;
			CHECK(!title);
			CHECK(!(p->end - p->start == 4 && !memcmp(buf + p->start, "p.m.", 4) &&
				!(t[i].flags & TOK_CAP)));
		}
		files++;
	}
	closedir(d);
	CHECK(files >= 15);
}

/* ---- seeds smoke test --------------------------------------------- */

static void test_seeds(void)
{
	const char *sh = th_shared_dir();
	if (!sh)
		SKIP("../shared not present");
	char path[512];
	snprintf(path, sizeof path, "%s/corpus/seeds/003_e02591538d506e45.txt", sh);
	FILE *f = fopen(path, "rb");
	if (!f)
		SKIP("seed 003 not present");
	static char buf[1 << 16];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = 0;
	check_invariants(buf, n);
	static art_token t[8192];
	size_t k = text_tokenize(buf, n, t, 8192);
	CHECK(find(buf, t, k, "10:35") != NULL);
	CHECK(find(buf, t, k, "a.m.") != NULL);
	CHECK(find(buf, t, k, "2019-11-20") != NULL);
	CHECK(find(buf, t, k, "Son-hui") != NULL);
	CHECK(find(buf, t, k, "Ambassador-at-Large") != NULL);
	/* "Nov. 20" and "U.S. President" never start a sentence */
	text_split(buf, n, t, k);
	for (size_t i = 1; i < k; i++)
		if (t[i].flags & TOK_SENT_START) {
			const art_token *p = &t[i - 1];
			CHECK(!(p->end - p->start == 4 && !memcmp(buf + p->start, "Nov.", 4)));
			CHECK(!(p->end - p->start == 4 && !memcmp(buf + p->start, "U.S.", 4) &&
				!memcmp(buf + t[i].start, "President", 9)));
		}
}

static const th_test tests[] = {
	TEST(test_token_table),   TEST(test_sentence_table), TEST(test_flags),
	TEST(test_utf8_offsets),  TEST(test_count_and_max),  TEST(test_tables),
	TEST(test_random_bytes),  TEST(test_text_run),       TEST(test_long_line),
	TEST(test_examples),     TEST(test_seeds),
};

TH_MAIN("text", tests)
