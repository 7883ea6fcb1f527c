/*
 * jsonw: JSON writer (see jsonw.h).  An "after key" state lets jw_key be
 * followed by any value writer without a comma.  chr_json_quote is the
 * public face of the escaper for callers that build JSON themselves (the
 * server); it also takes bytes that are not UTF-8, such as a query string.
 */
#include "jsonw.h"
#include "utf8.h"

#include <math.h>
#include <string.h>

void jw_init(jw *w, buf *out)
{
	w->out = out;
	w->depth = 0;
	w->first[0] = 1;
	w->st = CHR_OK;
}

static void put(jw *w, const char *s, size_t n)
{
	if (!w->st)
		w->st = buf_put(w->out, s, n);
}

/* Before a value: a comma unless first at this level, or right after a key. */
static void sep(jw *w)
{
	if (w->first[w->depth] == 2) { /* after key */
		w->first[w->depth] = 0;
		return;
	}
	if (!w->first[w->depth])
		put(w, ",", 1);
	w->first[w->depth] = 0;
}

static void open(jw *w, char c)
{
	sep(w);
	put(w, &c, 1);
	if (w->depth + 1 < JW_DEPTH)
		w->first[++w->depth] = 1;
	else if (!w->st)
		w->st = CHR_ELIMIT;
}

static void close_(jw *w, char c)
{
	if (w->depth > 0)
		w->depth--;
	put(w, &c, 1);
}

void jw_obj(jw *w) { open(w, '{'); }
void jw_obj_end(jw *w) { close_(w, '}'); }
void jw_arr(jw *w) { open(w, '['); }
void jw_arr_end(jw *w) { close_(w, ']'); }

chr_status jw_escape(buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t run = 0;
	chr_status st = CHR_OK;
	for (size_t i = 0; i < n && !st; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *esc = NULL;
		char u[7];
		if (c == '"')
			esc = "\\\"";
		else if (c == '\\')
			esc = "\\\\";
		else if (c == '\n')
			esc = "\\n";
		else if (c == '\r')
			esc = "\\r";
		else if (c == '\t')
			esc = "\\t";
		else if (c < 0x20 || c == 0x7f) {
			u[0] = '\\'; u[1] = 'u'; u[2] = '0'; u[3] = '0';
			u[4] = hex[c >> 4]; u[5] = hex[c & 15]; u[6] = 0;
			esc = u;
		} else if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
			   ((unsigned char)s[i + 2] == 0xA8 || (unsigned char)s[i + 2] == 0xA9)) {
			/* U+2028/2029 break JavaScript string literals */
			esc = (unsigned char)s[i + 2] == 0xA8 ? "\\u2028" : "\\u2029";
			st = buf_put(out, s + i - run, run);
			run = 0;
			if (!st)
				st = buf_puts(out, esc);
			i += 2;
			continue;
		}
		if (esc) {
			st = buf_put(out, s + i - run, run);
			run = 0;
			if (!st)
				st = buf_puts(out, esc);
		} else
			run++;
	}
	if (!st && run)
		st = buf_put(out, s + n - run, run);
	return st;
}

void jw_strn(jw *w, const char *s, size_t n)
{
	sep(w);
	if (!s) {
		put(w, "null", 4);
		return;
	}
	put(w, "\"", 1);
	if (!w->st)
		w->st = jw_escape(w->out, s, n);
	put(w, "\"", 1);
}

void jw_str(jw *w, const char *s)
{
	if (!s) {
		sep(w);
		put(w, "null", 4);
		return;
	}
	jw_strn(w, s, strlen(s));
}

void jw_key(jw *w, const char *k)
{
	jw_str(w, k);
	put(w, ":", 1);
	w->first[w->depth] = 2;
}

void jw_int(jw *w, int64_t v)
{
	sep(w);
	if (!w->st)
		w->st = buf_printf(w->out, "%lld", (long long)v);
}

void jw_num(jw *w, double v)
{
	sep(w);
	if (!isfinite(v))
		put(w, "null", 4);
	else if (!w->st)
		w->st = buf_printf(w->out, "%.6g", v);
}

void jw_bool(jw *w, int v)
{
	sep(w);
	put(w, v ? "true" : "false", v ? 4 : 5);
}

void jw_null(jw *w)
{
	sep(w);
	put(w, "null", 4);
}

void jw_kstr(jw *w, const char *k, const char *s)
{
	jw_key(w, k);
	jw_str(w, s);
}

void jw_kint(jw *w, const char *k, int64_t v)
{
	jw_key(w, k);
	jw_int(w, v);
}

char *chr_json_quote(const char *s, size_t n, size_t *len)
{
	buf b;
	buf_init(&b, 0);
	chr_status st;
	if (!s) {
		st = buf_put(&b, "null", 4);
	} else {
		const unsigned char *u = (const unsigned char *)s;
		st = buf_putc(&b, '"');
		/* escape each valid run; a byte that starts no valid sequence
		 * becomes U+FFFD and the scan goes on after it */
		for (size_t i = 0; i < n && !st;) {
			size_t bad = i + u8_invalid_at(u + i, n - i);
			st = jw_escape(&b, s + i, bad - i);
			if (!st && bad < n)
				st = buf_put(&b, "\xef\xbf\xbd", 3);
			i = bad + 1;
		}
		if (!st)
			st = buf_putc(&b, '"');
	}
	if (st) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b, len);
}
