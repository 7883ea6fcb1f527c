/*
 * buf: growable byte buffer with a ceiling (see buf.h).
 * Growth doubles, so appends are amortised O(1); the ceiling check happens
 * before any allocation, so a refused append never changes the buffer.
 */
#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(buf *b, size_t max)
{
	b->p = NULL;
	b->len = b->cap = 0;
	b->max = max ? max : BUF_DEFAULT_MAX;
}

void buf_free(buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

void buf_reset(buf *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = '\0';
}

chr_status buf_grow(buf *b, size_t n)
{
	if (n > b->max - b->len)
		return CHR_ETOOBIG;
	size_t need = b->len + n + 1;
	if (need <= b->cap)
		return CHR_OK;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > ((size_t)-1) / 2 ? need : cap * 2;
	char *p = realloc(b->p, cap);
	if (!p)
		return CHR_ENOMEM;
	b->p = p;
	b->cap = cap;
	return CHR_OK;
}

chr_status buf_put(buf *b, const void *p, size_t n)
{
	chr_status st = buf_grow(b, n);
	if (st)
		return st;
	if (n)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
	return CHR_OK;
}

chr_status buf_puts(buf *b, const char *s)
{
	return buf_put(b, s, strlen(s));
}

chr_status buf_putc(buf *b, int c)
{
	char ch = (char)c;
	return buf_put(b, &ch, 1);
}

chr_status buf_vprintf(buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return CHR_EINVAL;
	chr_status st = buf_grow(b, (size_t)n);
	if (st)
		return st;
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return CHR_OK;
}

chr_status buf_printf(buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	chr_status st = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return st;
}

char *buf_detach(buf *b, size_t *len)
{
	char *p = b->p;
	if (!p) {
		p = malloc(1);
		if (p)
			p[0] = '\0';
	}
	if (len)
		*len = b->len;
	b->p = NULL;
	b->len = b->cap = 0;
	return p;
}
