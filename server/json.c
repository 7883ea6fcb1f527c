/*
 * json: the server's output buffer and JSON string escaping.
 *
 * Design note: responses are built in one growable buffer; an allocation
 * failure sets a flag instead of failing each call, and the caller turns
 * it into a 503 once.  Strings are escaped so the output is always valid
 * JSON whatever the input: invalid UTF-8 (a query string can carry any
 * bytes) becomes U+FFFD, control bytes become \u00XX, which keeps the
 * search markers \x02 and \x03 as \u0002 and \u0003.
 */
#include "server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int grow(srv_buf *b, size_t need)
{
	if (b->oom)
		return -1;
	if (b->len + need + 1 <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 1024;
	while (cap < b->len + need + 1) {
		if (cap > SIZE_MAX / 2) {
			b->oom = 1;
			return -1;
		}
		cap *= 2;
	}
	char *p = realloc(b->p, cap);
	if (!p) {
		b->oom = 1;
		return -1;
	}
	b->p = p;
	b->cap = cap;
	return 0;
}

void sb_put(srv_buf *b, const char *s, size_t n)
{
	if (grow(b, n))
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void sb_puts(srv_buf *b, const char *s)
{
	sb_put(b, s, strlen(s));
}

void sb_printf(srv_buf *b, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof tmp) {
		sb_put(b, tmp, (size_t)n);
		return;
	}
	if (grow(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if none. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t k;
	unsigned min;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		k = 2;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		k = 3;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		k = 4;
		min = 0x10000;
	} else {
		return 0;
	}
	if (n < k)
		return 0;
	unsigned cp = c & (0x7f >> k);
	for (size_t i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return k;
}

void sb_jstrn(srv_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	if (!s) {
		sb_put(b, "null", 4);
		return;
	}
	const unsigned char *u = (const unsigned char *)s;
	sb_put(b, "\"", 1);
	size_t run = 0; /* start of a run of bytes copied as they are */
	for (size_t i = 0; i < n;) {
		unsigned char c = u[i];
		const char *esc = NULL;
		char ub[7];
		size_t k = 1;
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
			memcpy(ub, "\\u00", 4);
			ub[4] = hex[c >> 4];
			ub[5] = hex[c & 15];
			ub[6] = '\0';
			esc = ub;
		} else if (c >= 0x80 && !(k = utf8_len(u + i, n - i))) {
			esc = "\xef\xbf\xbd"; /* U+FFFD */
			k = 1;
		}
		if (esc) {
			sb_put(b, s + run, i - run);
			sb_puts(b, esc);
			run = i + k;
		}
		i += k;
	}
	sb_put(b, s + run, n - run);
	sb_put(b, "\"", 1);
}

void sb_jstr(srv_buf *b, const char *s)
{
	sb_jstrn(b, s, s ? strlen(s) : 0);
}

void sb_key(srv_buf *b, const char *k)
{
	if (b->len && b->p[b->len - 1] != '{' && b->p[b->len - 1] != '[')
		sb_put(b, ",", 1);
	sb_put(b, "\"", 1);
	sb_puts(b, k);
	sb_put(b, "\":", 2);
}

void sb_free(srv_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
	b->oom = 0;
}
