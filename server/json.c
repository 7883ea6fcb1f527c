/*
 * json: the server's output buffer and JSON string escaping.
 *
 * Design note: responses are built in one growable buffer; an allocation
 * failure sets a flag instead of failing each call, and the caller turns
 * it into a 503 once.  Strings are escaped by the library's escaper
 * (chr_json_quote, the one the CLI's --json output uses), so the output
 * is always valid JSON whatever the input: invalid UTF-8 (a query string
 * can carry any bytes) becomes U+FFFD, control bytes become \u00XX, which
 * keeps the search markers \x02 and \x03 as \u0002 and \u0003.  The
 * buffer has a ceiling (SRV_MAX_RESPONSE): past it, it reports oom.
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
	if (need > SRV_MAX_RESPONSE || b->len + need + 1 > SRV_MAX_RESPONSE) {
		b->oom = 1;
		return -1;
	}
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

void sb_jstrn(srv_buf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	size_t len;
	char *q = chr_json_quote(s, n, &len);
	if (!q) {
		b->oom = 1;
		return;
	}
	sb_put(b, q, len);
	chr_free(q);
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
