/*
 * test_read: the streaming reader.  Every case is fed three ways (whole,
 * one byte at a time, and in 7-byte pieces) and must give the same
 * documents and rejections, since stdin and files arrive in arbitrary
 * chunks.  The JSON Lines grammar is table-driven from
 * tests/data/read/jsonl.cases (valid lines and their fields, refusals
 * with their category and column); the JSON parser's key table and
 * nesting ceiling are tested on generated lines.
 */
#include "harness.h"

#include "read/jsonl.h"
#include "read/read.h"

typedef struct got {
	char log[8192];
	size_t len;
} got;

static void logf_(got *g, const char *s)
{
	size_t n = strlen(s);
	if (g->len + n + 1 < sizeof g->log) {
		memcpy(g->log + g->len, s, n + 1);
		g->len += n;
	}
}

static int on_doc(void *ctx, const chr_doc *d)
{
	char line[1024];
	snprintf(line, sizeof line, "DOC id=%s title=%s line=%llu note=%s text=%.*s|\n",
		 d->id ? d->id : "-", d->title ? d->title : "-",
		 (unsigned long long)d->line, d->note ? "yes" : "no",
		 (int)(d->text_len > 60 ? 60 : d->text_len), d->text);
	logf_(ctx, line);
	return 0;
}

static void on_reject(void *ctx, const char *where, chr_status st,
		      const char *why)
{
	char line[1024];
	snprintf(line, sizeof line, "REJECT %s st=%d %s\n", where, (int)st, why);
	logf_(ctx, line);
}

static void run(const char *name, const char *data, size_t n, size_t chunk,
		chr_format fmt, size_t max, got *g)
{
	memset(g, 0, sizeof *g);
	chr_reader *r;
	CHECK_INT(chr_reader_new(name, fmt, max, on_doc, on_reject, g, &r), CHR_OK);
	if (!r)
		return;
	for (size_t i = 0; i < n; i += chunk)
		chr_reader_feed(r, data + i, n - i < chunk ? n - i : chunk);
	chr_reader_finish(r);
	chr_reader_free(r);
}

/* Run all three ways; check they agree and return the log. */
static const char *read3(const char *name, const char *data, size_t n,
			 chr_format fmt, size_t max)
{
	static got a, b, c;
	run(name, data, n, n ? n : 1, fmt, max, &a);
	run(name, data, n, 1, fmt, max, &b);
	run(name, data, n, 7, fmt, max, &c);
	CHECK_STR(b.log, a.log);
	CHECK_STR(c.log, a.log);
	return a.log;
}

#define HAS(log, s) CHECK(strstr((log), (s)) != NULL)
#define HASNT(log, s) CHECK(strstr((log), (s)) == NULL)

static void jsonl_fields(void)
{
	const char in[] =
		"{\"id\":\"a1\",\"title\":\"T one\",\"text\":\"Body one.\",\"date\":\"2020-01-02\"}\n"
		"\n"
		"{\"id\":7,\"text\":\"Numeric id.\"}\r\n"
		"{\"title\":\"No id\",\"text\":\"Gets file and line.\"}\n";
	const char *log = read3("feed.jsonl", in, sizeof in - 1, CHR_FORMAT_AUTO, 0);
	HAS(log, "DOC id=a1 title=T one line=1 note=no text=Body one.|");
	HAS(log, "DOC id=7 title=- line=3");
	HAS(log, "DOC id=feed-4 title=No id line=4");
	HASNT(log, "REJECT");
}

static void jsonl_errors(void)
{
	const char in[] =
		"{\"id\":\"x\",\"text\":\"fine\"}\n"
		"{\"id\":\"y\",\"text\":\"bad\" \"oops\"}\n"
		"[1,2,3]\n"
		"{\"id\":\"z\"}\n"
		"{\"id\":\"w\",\"text\":42}\n"
		"{\"id\":\"v\",\"text\":\"   \"}\n"
		"{\"id\":\"u\",\"text\":\"last\"}\n"
		"{\"id\":\"t\",\"text\":\"trunc";
	const char *log = read3("f.jsonl", in, sizeof in - 1, CHR_FORMAT_JSONL, 0);
	HAS(log, "DOC id=x");
	HAS(log, "REJECT f.jsonl:2 st=4 invalid JSON");
	HAS(log, "REJECT f.jsonl:3 st=4 not a JSON object");
	HAS(log, "REJECT f.jsonl:4 st=4 no \"text\" field");
	HAS(log, "REJECT f.jsonl:5 st=4 \"text\" is not a string");
	HAS(log, "REJECT f.jsonl:6 st=7 empty text");
	HAS(log, "DOC id=u");
	HAS(log, "REJECT f.jsonl:8 st=4 truncated JSON");
}

static void jsonl_limits(void)
{
	char in[4096];
	size_t n = 0;
	n += (size_t)snprintf(in + n, sizeof in - n, "{\"id\":\"small\",\"text\":\"ok\"}\n");
	n += (size_t)snprintf(in + n, sizeof in - n, "{\"id\":\"big\",\"text\":\"");
	for (int i = 0; i < 300; i++)
		in[n++] = 'x';
	n += (size_t)snprintf(in + n, sizeof in - n, "\"}\n{\"id\":\"after\",\"text\":\"ok too\"}\n");
	const char *log = read3("l.jsonl", in, n, CHR_FORMAT_JSONL, 200);
	HAS(log, "DOC id=small");
	HAS(log, "REJECT l.jsonl:2 st=8 line over the 200-byte article limit");
	HAS(log, "DOC id=after");
}

static void jsonl_encoding(void)
{
	/* Windows-1252 inside a JSON line, and a NUL byte */
	const char in[] = "{\"id\":\"c\",\"text\":\"caf\xe9\"}\n{\"id\":\"n\",\"text\":\"a\0b\"}\n";
	const char *log = read3("e.jsonl", in, sizeof in - 1, CHR_FORMAT_JSONL, 0);
	HAS(log, "DOC id=c title=- line=1 note=yes text=caf\xc3\xa9|");
	HAS(log, "REJECT e.jsonl:2 st=6 binary data");
}

static void text_article(void)
{
	const char in[] = "\xef\xbb\xbfHeadline here\n\nBody text.\n";
	const char *log = read3("dir/story-1.txt", in, sizeof in - 1, CHR_FORMAT_AUTO, 0);
	HAS(log, "DOC id=story-1 title=- line=0 note=no text=Headline here");
	HASNT(log, "\xef\xbb\xbf"); /* BOM dropped */
}

static void text_rejects(void)
{
	const char *log = read3("e.txt", "", 0, CHR_FORMAT_AUTO, 0);
	HAS(log, "REJECT e.txt st=7 empty file");
	log = read3("w.txt", " \n\t\n", 4, CHR_FORMAT_AUTO, 0);
	HAS(log, "REJECT w.txt st=7 no text");
	const char bin[] = "GIF89a\x01\x00\x01\x00\x80\x00\x00";
	log = read3("p.gif", bin, sizeof bin - 1, CHR_FORMAT_AUTO, 0);
	HAS(log, "REJECT p.gif:byte 7 st=6 binary file");
	char big[600];
	memset(big, 'a', sizeof big);
	log = read3("big.txt", big, sizeof big, CHR_FORMAT_AUTO, 500);
	HAS(log, "REJECT big.txt st=8 article over the 500-byte limit");
}

static void text_cp1252(void)
{
	const char in[] = "Caf\xe9 news\n\n\x93Quoted\x94 text.";
	const char *log = read3("c.txt", in, sizeof in - 1, CHR_FORMAT_AUTO, 0);
	HAS(log, "note=yes text=Caf\xc3\xa9 news");
	HAS(log, "\xe2\x80\x9cQuoted\xe2\x80\x9d");
}

static void text_nfc(void)
{
	const char in[] = "Cafe\xcc\x81 story\n\nBody.";
	const char *log = read3("n.txt", in, sizeof in - 1, CHR_FORMAT_AUTO, 0);
	HAS(log, "text=Caf\xc3\xa9 story");
}

static void stem(void)
{
	char out[64];
	read_stem("a/b/000_x.txt", out, sizeof out);
	CHECK_STR(out, "000_x");
	read_stem("noext", out, sizeof out);
	CHECK_STR(out, "noext");
	read_stem(".hidden", out, sizeof out);
	CHECK_STR(out, ".hidden");
	read_stem("x.tar.gz", out, sizeof out);
	CHECK_STR(out, "x.tar");
}

static int stop_after_one(void *ctx, const chr_doc *d)
{
	(void)d;
	(*(int *)ctx)++;
	return 1;
}

static void stop_early(void)
{
	int n = 0;
	chr_reader *r;
	CHECK_INT(chr_reader_new("s.jsonl", CHR_FORMAT_JSONL, 0, stop_after_one,
				 NULL, &n, &r), CHR_OK);
	const char in[] = "{\"text\":\"a\"}\n{\"text\":\"b\"}\n";
	CHECK_INT(chr_reader_feed(r, in, sizeof in - 1), CHR_EINTERRUPTED);
	CHECK_INT(chr_reader_finish(r), CHR_EINTERRUPTED);
	CHECK_INT(n, 1);
	chr_reader_free(r);
	CHECK_INT(chr_reader_new("x", CHR_FORMAT_AUTO, 0, NULL, NULL, NULL, &r),
		  CHR_EINVAL);
}


/* ---- tests/data/read/jsonl.cases ---- */

static void put_esc(got *g, const char *k, const char *v, size_t n)
{
	char tmp[8];
	logf_(g, k);
	if (!v) {
		logf_(g, "-");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];
		if (c < 0x20)
			snprintf(tmp, sizeof tmp, "\\x%02x", c);
		else
			snprintf(tmp, sizeof tmp, "%c", c);
		logf_(g, tmp);
	}
}

static int case_doc(void *ctx, const chr_doc *d)
{
	got *g = ctx;
	put_esc(g, "DOC id=", d->id, strlen(d->id));
	put_esc(g, " title=", d->title, d->title ? strlen(d->title) : 0);
	put_esc(g, " date=", d->date, d->date ? strlen(d->date) : 0);
	put_esc(g, " url=", d->url, d->url ? strlen(d->url) : 0);
	put_esc(g, " source=", d->source, d->source ? strlen(d->source) : 0);
	put_esc(g, " dateline=", d->dateline,
		d->dateline ? strlen(d->dateline) : 0);
	put_esc(g, " text=", d->text, d->text_len);
	return 0;
}

/* "invalid JSON at column N: ..." -> "invalid N"; else "REJECT st why" */
static void case_reject(void *ctx, const char *where, chr_status st,
			const char *why)
{
	(void)where;
	got *g = ctx;
	char line[700];
	unsigned col;
	char kind[16];
	if (sscanf(why, "%15s JSON at column %u:", kind, &col) == 2)
		snprintf(line, sizeof line, "%s %u", kind, col);
	else
		snprintf(line, sizeof line, "REJECT %d %s", (int)st, why);
	logf_(g, line);
}

static void case_run(const char *in, size_t chunk, got *g)
{
	memset(g, 0, sizeof *g);
	chr_reader *r;
	if (chr_reader_new("case.jsonl", CHR_FORMAT_JSONL, 0, case_doc,
			   case_reject, g, &r))
		return;
	size_t n = strlen(in);
	for (size_t i = 0; i < n; i += chunk)
		chr_reader_feed(r, in + i, n - i < chunk ? n - i : chunk);
	chr_reader_feed(r, "\n", 1);
	chr_reader_finish(r);
	chr_reader_free(r);
}

static void jsonl_cases(void)
{
	char path[512];
	snprintf(path, sizeof path, "%s/read/jsonl.cases", th_data_dir());
	FILE *f = fopen(path, "r");
	if (!f)
		SKIP("no tests/data/read (run from the repo root)");
	static char want[4096], in[4096];
	static got a, b;
	int cases = 0, lineno = 0;
	while (fgets(want, sizeof want, f)) {
		lineno++;
		want[strcspn(want, "\n")] = '\0';
		if (!want[0] || want[0] == '#')
			continue;
		if (!fgets(in, sizeof in, f)) {
			CHECK(!"a case without its input line");
			break;
		}
		lineno++;
		in[strcspn(in, "\n")] = '\0';
		case_run(in, sizeof in, &a);
		case_run(in, 1, &b);
		CHECK_STR(b.log, a.log);
		/* a REJECT expectation is a prefix of the reason */
		int ok = want[0] == 'R' ? !strncmp(a.log, want, strlen(want))
					: !strcmp(a.log, want);
		if (!ok) {
			th_failed_checks++;
			fprintf(stderr, "  jsonl.cases:%d: got \"%s\", want \"%s\"\n",
				lineno, a.log, want);
		}
		cases++;
	}
	fclose(f);
	CHECK(cases >= 60);
}

/* ---- the parser's key table and nesting ceiling ---- */

static char *gen_keys(size_t nkeys, long dup_of, size_t *len)
{
	buf b;
	buf_init(&b, 0);
	buf_puts(&b, "{\"text\":\"t\"");
	for (size_t i = 0; i < nkeys; i++) {
		/* every 100th key opens an object reusing the outer keys */
		buf_printf(&b, ",\"k%zu\":", i);
		if (i % 100 == 0)
			buf_printf(&b, "{\"k%zu\":1,\"in\":{\"k0\":[{\"k%zu\":2}]}}", i, i);
		else
			buf_puts(&b, "0");
	}
	if (dup_of >= 0)
		buf_printf(&b, ",\"k%ld\":1", dup_of);
	buf_puts(&b, "}");
	return buf_detach(&b, len);
}

static void jsonl_keys(void)
{
	static jl_parser p;
	jl_init(&p, 1 << 20);
	size_t n;
	char *s = gen_keys(5000, -1, &n);
	CHECK_INT(jl_parse(&p, s, n), CHR_OK);
	CHECK_INT(p.f[JL_TEXT].kind, JL_STRING);
	free(s);
	/* duplicates found early, late and right after a nested object,
	 * once the table has grown */
	long dups[] = {0, 1, 99, 100, 2500, 4999};
	for (size_t k = 0; k < sizeof dups / sizeof dups[0]; k++) {
		s = gen_keys(5000, dups[k], &n);
		CHECK_INT(jl_parse(&p, s, n), CHR_EPARSE);
		CHECK_INT(p.err, JL_ERR_SYNTAX);
		char tail[32];
		int tl = snprintf(tail, sizeof tail, "\"k%ld\":1}", dups[k]);
		CHECK_INT(p.err_at, n - (size_t)tl);
		CHECK_STR(p.why, "duplicate key");
		free(s);
	}
	/* a failed line leaves nothing behind for the next one */
	const char ok[] = "{\"k1\":1,\"text\":\"again\"}";
	CHECK_INT(jl_parse(&p, ok, sizeof ok - 1), CHR_OK);
	CHECK_INT(p.f[JL_TEXT].len, 5);
	CHECK_STR(p.out.p + p.f[JL_TEXT].off, "again");
	/* over the ceiling */
	jl_free(&p);
	jl_init(&p, 8);
	CHECK_INT(jl_parse(&p, ok, sizeof ok - 1), CHR_ETOOBIG);
	jl_free(&p);
}

static void jsonl_depth(void)
{
	static jl_parser p;
	jl_init(&p, 1 << 16);
	char s[3 * JL_MAX_DEPTH + 16];
	for (int extra = 0; extra <= 1; extra++) {
		/* JL_MAX_DEPTH values deep is fine, one more is refused */
		size_t d = JL_MAX_DEPTH - 1 + (size_t)extra, n = 0;
		for (size_t i = 0; i < d; i++)
			s[n++] = '[';
		s[n++] = '1';
		for (size_t i = 0; i < d; i++)
			s[n++] = ']';
		chr_status st = jl_parse(&p, s, n);
		CHECK_INT(st, extra ? CHR_EPARSE : CHR_OK);
		if (extra) {
			CHECK_INT(p.err, JL_ERR_SYNTAX);
			CHECK_INT(p.err_at, d);
		}
	}
	jl_free(&p);
}

static void jsonl_utf8(void)
{
	static jl_parser p;
	jl_init(&p, 1 << 10);
	static const struct {
		const char *in;
		chr_status st;
		jl_error err;
		size_t at;
	} c[] = {
		{"{\"t\":\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"}", CHR_OK, 0, 0},
		{"{\"t\":\"caf\xe9\"}", CHR_EPARSE, JL_ERR_UTF8, 9},
		{"{\"t\":\"\xed\xa0\x80\"}", CHR_EPARSE, JL_ERR_UTF8, 6}, /* surrogate */
		{"{\"t\":\"\xc0\xaf\"}", CHR_EPARSE, JL_ERR_UTF8, 6},     /* overlong */
		{"{\"t\":\"\xf4\x90\x80\x80\"}", CHR_EPARSE, JL_ERR_UTF8, 6},
		{"{\"t\":\"ab\xc3", CHR_EPARSE, JL_ERR_UTF8, 8}, /* cut sequence */
		{"{\"t\":1,\xc3\xa9:1}", CHR_EPARSE, JL_ERR_SYNTAX, 7},
		{"{\"t\":1}\xe9", CHR_EPARSE, JL_ERR_TRAILING, 7},
	};
	for (size_t k = 0; k < sizeof c / sizeof c[0]; k++) {
		CHECK_INT(jl_parse(&p, c[k].in, strlen(c[k].in)), c[k].st);
		if (c[k].st == CHR_EPARSE) {
			CHECK_INT(p.err, c[k].err);
			CHECK_INT(p.err_at, c[k].at);
		}
	}
	CHECK_STR(p.why, "data after the JSON value");
	jl_free(&p);
	/* the reader converts such a line and parses it again */
	const char in[] = "{\"id\":\"a\",\"text\":\"caf\xe9 \xc3\"}\n"
			  "{\"id\":\"b\",\xe9\"text\":\"x\"}\n"
			  "{\"id\":\"c\",\"text\":\"\xe9\0\"}\n";
	const char *log = read3("u.jsonl", in, sizeof in - 1, CHR_FORMAT_JSONL, 0);
	HAS(log, "DOC id=a title=- line=1 note=yes text=caf\xc3\xa9 \xc3\x83|");
	HAS(log, "REJECT u.jsonl:2 st=4 invalid JSON at column 11");
	HAS(log, "REJECT u.jsonl:3 st=6 binary data");
}

static const th_test tests[] = {
	TEST(jsonl_fields), TEST(jsonl_errors), TEST(jsonl_limits),
	TEST(jsonl_encoding), TEST(text_article), TEST(text_rejects),
	TEST(text_cp1252), TEST(text_nfc), TEST(stem), TEST(stop_early),
	TEST(jsonl_cases), TEST(jsonl_keys), TEST(jsonl_depth),
	TEST(jsonl_utf8),
};
TH_MAIN("read", tests)
