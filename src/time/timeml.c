/*
 * timeml: TempEval-3 documents in, the same documents with TIMEX3 out.
 *
 * Design note: a .TE3input is TimeML with a <DCT> holding the creation
 * time and a <TEXT> with the raw text.  Only two things are read: the
 * DCT's value attribute and the TEXT content; the text is tagged as it
 * stands (entities like "&amp;" stay untouched inside tokens) and the
 * output is the input byte for byte with <TIMEX3 tid type value> elements
 * inserted around the expressions, numbered from t1 (t0 is the DCT).
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
	time_out o = {NULL, 0, 0, 0};
	chr_status st = time_tag(ts, tlen, d, &o);
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
