/*
 * jsonw: a small JSON writer over buf.
 *
 * Design note: chronicle writes far more JSON than it reads (every --json
 * listing, every API response), and the shapes are fixed, so a writer that
 * appends directly to a buffer is both the fastest and the simplest path.
 * Commas are tracked per nesting level so callers never place them by
 * hand.  Strings are escaped per RFC 8259; input must be valid UTF-8, which
 * the read stage guarantees.  Internal prefix: jw_.
 */
#ifndef CHR_JSONW_H
#define CHR_JSONW_H

#include <stddef.h>
#include <stdint.h>
#include "buf.h"

#define JW_DEPTH 32

typedef struct jw {
	buf *out;
	int depth;
	unsigned char first[JW_DEPTH]; /* 1 when no member written yet */
	chr_status st;                 /* first error, sticky */
} jw;

void jw_init(jw *w, buf *out);
void jw_obj(jw *w);
void jw_obj_end(jw *w);
void jw_arr(jw *w);
void jw_arr_end(jw *w);
/* Object key; the next value call writes its value. */
void jw_key(jw *w, const char *k);
void jw_str(jw *w, const char *s);           /* NULL writes null */
void jw_strn(jw *w, const char *s, size_t n);
void jw_int(jw *w, int64_t v);
void jw_num(jw *w, double v);
void jw_bool(jw *w, int v);
void jw_null(jw *w);
/* Key and value in one call. */
void jw_kstr(jw *w, const char *k, const char *s);
void jw_kint(jw *w, const char *k, int64_t v);
/* Append s escaped (no quotes) to out. */
chr_status jw_escape(buf *out, const char *s, size_t n);

#endif
