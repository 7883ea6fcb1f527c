/*
 * buf: a growable byte buffer with a hard ceiling.
 *
 * Design note: every piece of text chronicle builds (clean bodies, JSON,
 * SQL parameters) goes through this one type, so that "every growable
 * buffer has a ceiling" is enforced in one place.  A buffer that would grow
 * past its ceiling refuses with CHR_ETOOBIG and keeps what it had; the
 * content is always NUL-terminated so it can be handed to C string APIs.
 * Internal prefix: buf_.
 */
#ifndef CHR_BUF_H
#define CHR_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include "chronicle.h"

#define BUF_DEFAULT_MAX ((size_t)1 << 30) /* 1 GiB unless the caller says less */

typedef struct buf {
	char *p;     /* owned; NUL-terminated when cap > 0 */
	size_t len;  /* bytes used, not counting the NUL */
	size_t cap;  /* bytes allocated */
	size_t max;  /* ceiling on len */
} buf;

/* Initialise an empty buffer that may hold at most max bytes (0 = default). */
void buf_init(buf *b, size_t max);
/* Release the memory; the buffer may be reused after buf_init. */
void buf_free(buf *b);
/* Forget the content, keep the memory. */
void buf_reset(buf *b);
/* Make room for n more bytes. */
chr_status buf_grow(buf *b, size_t n);
chr_status buf_put(buf *b, const void *p, size_t n);
chr_status buf_puts(buf *b, const char *s);
chr_status buf_putc(buf *b, int c);
chr_status buf_printf(buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
chr_status buf_vprintf(buf *b, const char *fmt, va_list ap);
/* Hand the content to the caller (free with free()); the buffer is emptied. */
char *buf_detach(buf *b, size_t *len);

#endif
