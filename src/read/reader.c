/*
 * reader: the streaming document reader (see read.h and chronicle.h).
 *
 * The format is fixed at creation or sniffed from the first non-blank byte
 * ('{' means JSON Lines).  JSON Lines are split on '\n' as they arrive and
 * each complete line is validated by jsonl.c, which hands back the few
 * top-level fields a document needs without building a tree, so the
 * position of a bad line is exact.  A text input is accumulated up to the
 * ceiling and emitted at finish.
 */
#include "read.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "jsonl.h"

struct chr_reader {
	char *name;
	char stem[256];
	chr_format fmt;
	size_t max;
	chr_doc_fn on_doc;
	chr_reject_fn on_reject;
	void *ctx;
	buf cur;          /* current line or text article */
	buf norm;         /* decoded body */
	buf tmp;          /* decoded JSON line */
	jl_parser json;   /* the JSON line parser and its fields */
	uint64_t line;    /* current 1-based line (JSONL) */
	uint64_t offset;  /* bytes consumed */
	int over;         /* current unit is over the ceiling */
	int64_t bin_at;   /* text: binary byte seen before the ceiling, or -1 */
	int stopped;
	int sniffed;
	uint64_t emitted, rejected;
};

chr_status read_decode(const unsigned char *s, size_t n, buf *out,
		       const char **note, size_t *bad_at)
{
	*note = NULL;
	*bad_at = 0;
	size_t b = u8_binary_at(s, n);
	if (b < n) {
		*bad_at = b;
		return CHR_EBINARY;
	}
	size_t skip = 0;
	if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
		skip = 3; /* UTF-8 byte-order mark */
	size_t bad = u8_invalid_at(s + skip, n - skip);
	buf_reset(out);
	if (bad < n - skip) {
		*bad_at = skip + bad;
		*note = "invalid UTF-8; decoded as Windows-1252";
		buf tmp;
		buf_init(&tmp, out->max);
		chr_status st = u8_from_cp1252(&tmp, s + skip, n - skip);
		if (!st)
			st = u8_nfc(out, (const unsigned char *)tmp.p, tmp.len);
		buf_free(&tmp);
		return st;
	}
	return u8_nfc(out, s + skip, n - skip);
}

void read_stem(const char *path, char *out, size_t cap)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strlen(base);
	const char *dot = strrchr(base, '.');
	if (dot && dot != base)
		n = (size_t)(dot - base);
	if (n >= cap)
		n = cap - 1;
	memcpy(out, base, n);
	out[n] = '\0';
}

chr_status chr_reader_new(const char *name, chr_format fmt,
			  size_t max_article, chr_doc_fn on_doc,
			  chr_reject_fn on_reject, void *ctx,
			  chr_reader **out)
{
	*out = NULL;
	if (!on_doc)
		return CHR_EINVAL;
	chr_reader *r = calloc(1, sizeof *r);
	if (!r)
		return CHR_ENOMEM;
	r->name = strdup(name ? name : "-");
	if (!r->name) {
		free(r);
		return CHR_ENOMEM;
	}
	read_stem(r->name, r->stem, sizeof r->stem);
	r->fmt = fmt;
	r->max = max_article ? max_article : READ_DEFAULT_MAX;
	r->on_doc = on_doc;
	r->on_reject = on_reject;
	r->ctx = ctx;
	/* the raw unit may exceed max by the bytes that prove it is too big */
	buf_init(&r->cur, r->max + 1);
	buf_init(&r->norm, r->max * 2 + 64);
	buf_init(&r->tmp, r->max * 2 + 64);
	jl_init(&r->json, r->max * 2 + 64); /* the longer of cur and tmp */
	r->line = 1;
	r->sniffed = fmt != CHR_FORMAT_AUTO;
	r->bin_at = -1;
	*out = r;
	return CHR_OK;
}

void chr_reader_free(chr_reader *r)
{
	if (!r)
		return;
	buf_free(&r->cur);
	buf_free(&r->norm);
	buf_free(&r->tmp);
	jl_free(&r->json);
	free(r->name);
	free(r);
}

uint64_t chr_reader_emitted(const chr_reader *r) { return r->emitted; }
uint64_t chr_reader_rejected(const chr_reader *r) { return r->rejected; }

static void reject(chr_reader *r, uint64_t line, int by_byte, uint64_t pos,
		   chr_status st, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static void reject(chr_reader *r, uint64_t line, int by_byte, uint64_t pos,
		   chr_status st, const char *fmt, ...)
{
	r->rejected++;
	if (!r->on_reject)
		return;
	char where[512], why[512];
	if (line)
		snprintf(where, sizeof where, "%s:%llu", r->name,
			 (unsigned long long)line);
	else if (by_byte)
		snprintf(where, sizeof where, "%s:byte %llu", r->name,
			 (unsigned long long)pos);
	else
		snprintf(where, sizeof where, "%s", r->name);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	r->on_reject(r->ctx, where, st, why);
}

static int emit(chr_reader *r, const chr_doc *d)
{
	r->emitted++;
	if (r->on_doc(r->ctx, d)) {
		r->stopped = 1;
		return -1;
	}
	return 0;
}

/* ---- JSON Lines ---- */

/* A field as a C string: a JSON string, or for id an integer too (as
 * jansson's json_integer_value printed with %lld); else NULL. */
static const char *jfield(const chr_reader *r, int f, char *num, size_t cap)
{
	const jl_value *v = &r->json.f[f];
	if (v->kind == JL_STRING)
		return r->json.out.p + v->off;
	if (v->kind == JL_INTEGER && num) {
		snprintf(num, cap, "%lld", v->num);
		return num;
	}
	return NULL;
}

static void do_json_line(chr_reader *r, const char *s, size_t n)
{
	uint64_t line = r->line;
	size_t i = 0;
	while (i < n && isspace((unsigned char)s[i]))
		i++;
	if (i == n)
		return; /* blank line */
	const char *note = NULL;
	/* A line that parses is valid UTF-8 without NUL (jsonl.h), so the
	 * encoding checks run only for a line that does not: a NUL byte
	 * anywhere refuses it, invalid UTF-8 anywhere has it converted from
	 * Windows-1252 and parsed again, as before the parse. */
	chr_status st = jl_parse(&r->json, s, n);
	if (st == CHR_EPARSE) {
		if (memchr(s, '\0', n)) {
			reject(r, line, 0, 0, CHR_EBINARY, "binary data (NUL byte)");
			return;
		}
		if (u8_invalid_at((const unsigned char *)s, n) < n) {
			buf_reset(&r->tmp);
			if (u8_from_cp1252(&r->tmp, (const unsigned char *)s, n)) {
				reject(r, line, 0, 0, CHR_ETOOBIG, "line too long");
				return;
			}
			s = r->tmp.p;
			n = r->tmp.len;
			note = "invalid UTF-8; decoded as Windows-1252";
			st = jl_parse(&r->json, s, n);
		}
	}
	if (st == CHR_EPARSE) {
		/* the column in characters, 1-based; only a line that ends
		 * inside the value is "truncated": bytes after a whole value
		 * are invalid (jansson's "end of file expected" used to read
		 * as truncated) */
		size_t col = 1;
		for (size_t k = 0; k < r->json.err_at && k < n; k++)
			col += ((unsigned char)s[k] & 0xC0) != 0x80;
		reject(r, line, 0, 0, CHR_EPARSE, "%s JSON at column %zu: %s",
		       r->json.err == JL_ERR_EOF ? "truncated" : "invalid",
		       col, r->json.why);
		return;
	}
	if (st) {
		reject(r, line, 0, 0, st, "JSON line: %s", chr_strerror(st));
		return;
	}
	if (!r->json.object) {
		reject(r, line, 0, 0, CHR_EPARSE, "not a JSON object");
		return;
	}
	const jl_value *t = &r->json.f[JL_TEXT];
	if (t->kind == JL_ABSENT)
		t = &r->json.f[JL_BODY];
	if (t->kind != JL_STRING) {
		reject(r, line, 0, 0, CHR_EPARSE,
		       t->kind ? "\"text\" is not a string" : "no \"text\" field");
		return;
	}
	const char *text = r->json.out.p + t->off;
	size_t tlen = t->len;
	size_t k = 0;
	while (k < tlen && isspace((unsigned char)text[k]))
		k++;
	if (k == tlen) {
		reject(r, line, 0, 0, CHR_EEMPTY, "empty text");
		return;
	}
	const char *dnote = NULL;
	size_t bad_at = 0;
	if (!t->ctl) {
		/* The text is valid UTF-8 (the line was, or was made so, and
		 * escapes give valid UTF-8) with no NUL or stray control, so
		 * read_decode would only drop a byte-order mark and normalise:
		 * skip its two scans. */
		size_t bom = tlen >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0;
		buf_reset(&r->norm);
		st = u8_nfc(&r->norm, (const unsigned char *)text + bom,
			    tlen - bom);
	} else {
		st = read_decode((const unsigned char *)text, tlen, &r->norm,
				 &dnote, &bad_at);
	}
	if (st) {
		reject(r, line, 0, 0, st, "text: %s at character %zu",
		       chr_strerror(st), bad_at);
		return;
	}
	char idnum[32], idbuf[300];
	chr_doc d;
	memset(&d, 0, sizeof d);
	d.id = jfield(r, JL_ID, idnum, sizeof idnum);
	if (!d.id || !*d.id) {
		snprintf(idbuf, sizeof idbuf, "%s-%llu", r->stem,
			 (unsigned long long)line);
		d.id = idbuf;
	}
	d.title = jfield(r, JL_TITLE, NULL, 0);
	if (!d.title)
		d.title = jfield(r, JL_HEADLINE, NULL, 0);
	d.text = r->norm.p;
	d.text_len = r->norm.len;
	d.date = jfield(r, JL_DATE, NULL, 0);
	if (!d.date)
		d.date = jfield(r, JL_PUBLISHED, NULL, 0);
	d.url = jfield(r, JL_URL, NULL, 0);
	d.source = jfield(r, JL_SOURCE, NULL, 0);
	d.dateline = jfield(r, JL_DATELINE, NULL, 0);
	d.path = r->name;
	d.line = line;
	d.note = note ? note : dnote;
	emit(r, &d);
}

static void finish_line(chr_reader *r)
{
	if (r->over)
		reject(r, r->line, 0, 0, CHR_ETOOBIG,
		       "line over the %zu-byte article limit", r->max);
	else
		do_json_line(r, r->cur.p ? r->cur.p : "", r->cur.len);
	buf_reset(&r->cur);
	r->over = 0;
	r->line++;
}

static void feed_jsonl(chr_reader *r, const char *p, size_t n)
{
	while (n && !r->stopped) {
		const char *nl = memchr(p, '\n', n);
		size_t take = nl ? (size_t)(nl - p) : n;
		if (!r->over && buf_put(&r->cur, p, take))
			r->over = 1;
		if (r->over)
			buf_reset(&r->cur);
		if (!nl)
			return;
		finish_line(r);
		p += take + 1;
		n -= take + 1;
	}
}

/* ---- plain text ---- */

static void finish_text(chr_reader *r)
{
	if (r->over && r->bin_at >= 0) {
		reject(r, 0, 1, (uint64_t)r->bin_at, CHR_EBINARY,
		       "binary file, not text");
		return;
	}
	if (r->over) {
		reject(r, 0, 0, 0, CHR_ETOOBIG, "article over the %zu-byte limit",
		       r->max);
		return;
	}
	const unsigned char *s = (const unsigned char *)(r->cur.p ? r->cur.p : "");
	size_t n = r->cur.len, i = 0;
	while (i < n && isspace(s[i]))
		i++;
	if (i == n) {
		reject(r, 0, 0, 0, CHR_EEMPTY, n ? "no text (only white space)"
						 : "empty file");
		return;
	}
	const char *note;
	size_t bad;
	chr_status st = read_decode(s, n, &r->norm, &note, &bad);
	if (st == CHR_EBINARY) {
		reject(r, 0, 1, bad, st, "binary file, not text");
		return;
	}
	if (st) {
		reject(r, 0, 0, 0, st, "%s", chr_strerror(st));
		return;
	}
	char notebuf[128];
	if (note) {
		snprintf(notebuf, sizeof notebuf, "%s (first bad byte at %zu)",
			 note, bad);
		note = notebuf;
	}
	chr_doc d;
	memset(&d, 0, sizeof d);
	d.id = r->stem;
	d.text = r->norm.p;
	d.text_len = r->norm.len;
	d.path = r->name;
	d.note = note;
	emit(r, &d);
}

chr_status chr_reader_feed(chr_reader *r, const void *data, size_t len)
{
	const char *p = data;
	if (r->stopped)
		return CHR_EINTERRUPTED;
	if (!r->sniffed) {
		/* Decide on the first non-blank byte; blank prefixes are kept. */
		size_t i = 0;
		while (i < len && isspace((unsigned char)p[i]))
			i++;
		if (i < len) {
			r->fmt = p[i] == '{' ? CHR_FORMAT_JSONL : CHR_FORMAT_TEXT;
			r->sniffed = 1;
			if (r->fmt == CHR_FORMAT_JSONL && r->cur.len) {
				/* leading blank lines: count them and drop */
				for (size_t k = 0; k < r->cur.len; k++)
					r->line += r->cur.p[k] == '\n';
				buf_reset(&r->cur);
			}
		} else {
			if (!r->over && buf_put(&r->cur, p, len))
				r->over = 1;
			r->offset += len;
			return CHR_OK;
		}
	}
	r->offset += len;
	if (r->fmt == CHR_FORMAT_JSONL)
		feed_jsonl(r, p, len);
	else if (!r->over && buf_put(&r->cur, p, len)) {
		/* Over the ceiling: remember whether it was binary anyway, so
		 * the rejection names the real problem. */
		size_t b = u8_binary_at((const unsigned char *)r->cur.p, r->cur.len);
		if (b < r->cur.len)
			r->bin_at = (int64_t)b;
		r->over = 1;
		buf_free(&r->cur);
	}
	return r->stopped ? CHR_EINTERRUPTED : CHR_OK;
}

chr_status chr_reader_finish(chr_reader *r)
{
	if (r->stopped)
		return CHR_EINTERRUPTED;
	if (r->fmt == CHR_FORMAT_JSONL && r->sniffed) {
		if (r->cur.len || r->over)
			finish_line(r);
		if (!r->emitted && !r->rejected)
			reject(r, 0, 0, 0, CHR_EEMPTY, "no JSON lines");
	} else {
		finish_text(r);
	}
	buf_free(&r->cur);
	return r->stopped ? CHR_EINTERRUPTED : CHR_OK;
}
