/*
 * timeml: TempEval-3 documents in, the same documents with TIMEX3 out.
 *
 * Design note: a .TE3input is TimeML with a <DCT> holding the creation
 * time and a <TEXT> with the raw text.  Only two things are read: the
 * DCT's value attribute and the TEXT content.  The content is XML, so it
 * is unescaped first (&quot; &apos; &amp; &lt; &gt; and numeric
 * references) into a copy with a map back to the source offsets; the copy
 * is tagged, and the output is the input byte for byte with
 * <TIMEX3 tid type value> elements inserted around the expressions,
 * numbered from t1 (t0 is the DCT).  A span never starts or ends inside
 * an entity, because spans are mapped back through whole characters.
 */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "time/time.h"

static const char *find(const char *s, size_t n, const char *pat)
{
	size_t m = strlen(pat);
	if (m > n)
		return NULL;
	for (size_t i = 0; i + m <= n; i++)
		if (s[i] == pat[0] && memcmp(s + i, pat, m) == 0)
			return s + i;
	return NULL;
}

/* The DCT value of a TimeML document ("" when none). */
static time_date doc_dct(const char *doc, size_t len)
{
	time_date d = {0, 0, 0};
	const char *p = find(doc, len, "<DCT>");
	if (!p)
		return d;
	const char *q = find(p, len - (size_t)(p - doc), "</DCT>");
	if (!q)
		return d;
	const char *v = find(p, (size_t)(q - p), "value=\"");
	if (!v)
		return d;
	v += 7;
	if (time_parse_date(v, (size_t)(q - v), &d) != 0)
		d.y = 0;
	return d;
}

/* The character an entity at s stands for (ASCII only; others are kept
 * as written), and its length in *len; 0 when s is not one. */
static int entity(const char *s, size_t n, size_t *len)
{
	static const struct { const char *name; char c; } names[] = {
		{"&quot;", '"'}, {"&apos;", '\''}, {"&amp;", '&'},
		{"&lt;", '<'}, {"&gt;", '>'},
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		size_t l = strlen(names[i].name);
		if (l <= n && memcmp(s, names[i].name, l) == 0) {
			*len = l;
			return names[i].c;
		}
	}
	if (n >= 4 && s[1] == '#') {
		size_t k = 2;
		int hex = s[2] == 'x' || s[2] == 'X';
		long v = 0;
		for (k += (size_t)hex; k < n && k < 10 && s[k] != ';'; k++) {
			char c = s[k];
			int dgt = c >= '0' && c <= '9' ? c - '0' :
				  hex && c >= 'a' && c <= 'f' ? c - 'a' + 10 :
				  hex && c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
			if (dgt < 0)
				return 0;
			v = v * (hex ? 16 : 10) + dgt;
		}
		if (k < n && s[k] == ';' && v > 0 && v < 128) {
			*len = k + 1;
			return (int)v;
		}
	}
	return 0;
}

static size_t unescape(const char *s, size_t n, char *out, size_t *src)
{
	size_t w = 0;
	for (size_t i = 0; i < n;) {
		size_t l = 1;
		int c = s[i] == '&' ? entity(s + i, n - i, &l) : 0;
		src[w] = i;
		out[w++] = c ? (char)c : s[i];
		i += c ? l : 1;
	}
	src[w] = n;
	out[w] = 0;
	return w;
}

chr_status chr_time_timeml(const char *doc, size_t len, const char *dct,
			   char **out, size_t *out_len)
{
	if (!doc || !out)
		return CHR_EINVAL;
	*out = NULL;
	if (out_len)
		*out_len = 0;
	time_date d = {0, 0, 0};
	if (dct && *dct) {
		if (time_parse_date(dct, strlen(dct), &d) != 0)
			return CHR_EINVAL;
	} else {
		d = doc_dct(doc, len);
	}
	const char *ts = find(doc, len, "<TEXT>");
	if (!ts)
		return CHR_EPARSE;
	ts += 6;
	const char *te = find(ts, len - (size_t)(ts - doc), "</TEXT>");
	if (!te)
		return CHR_EPARSE;
	size_t base = (size_t)(ts - doc), tlen = (size_t)(te - ts);
	/* unescape into txt, with src[i] = source offset of txt[i] and
	 * src[n] = tlen */
	char *txt = malloc(tlen + 1);
	size_t *src = malloc((tlen + 1) * sizeof *src);
	if (!txt || !src) {
		free(txt);
		free(src);
		return CHR_ENOMEM;
	}
	size_t tn = unescape(ts, tlen, txt, src);
	time_out o = {NULL, 0, 0, 0};
	chr_status st = time_tag(txt, tn, d, &o);
	for (size_t i = 0; i < o.n; i++) {
		o.v[i].start = src[o.v[i].start];
		o.v[i].end = src[o.v[i].end];
	}
	free(txt);
	free(src);
	buf b;
	buf_init(&b, 0);
	size_t at = 0;
	for (size_t i = 0; st == CHR_OK && i < o.n; i++) {
		const time_expr *x = &o.v[i];
		if (st == CHR_OK)
			st = buf_put(&b, doc + at, base + x->start - at);
		if (st == CHR_OK)
			st = buf_printf(&b, "<TIMEX3 tid=\"t%zu\" type=\"%s\" value=\"%s\"",
					i + 1, chr_timex_type_name(x->type), x->value);
		if (st == CHR_OK && x->mod[0])
			st = buf_printf(&b, " mod=\"%s\"", x->mod);
		if (st == CHR_OK)
			st = buf_putc(&b, '>');
		if (st == CHR_OK)
			st = buf_put(&b, ts + x->start, x->end - x->start);
		if (st == CHR_OK)
			st = buf_puts(&b, "</TIMEX3>");
		at = base + x->end;
	}
	if (st == CHR_OK)
		st = buf_put(&b, doc + at, len - at);
	free(o.v);
	if (st != CHR_OK) {
		buf_free(&b);
		return st;
	}
	size_t n;
	*out = buf_detach(&b, &n);
	if (out_len)
		*out_len = n;
	return *out ? CHR_OK : CHR_ENOMEM;
}
