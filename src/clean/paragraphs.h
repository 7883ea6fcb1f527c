/*
 * paragraphs: raw body lines -> paragraphs, unwrapping hard-wrapped text
 * and repairing words broken across line breaks.
 *
 * Design note: one pass over the lines, then one decision per line break.
 * Paragraphs end at blank lines and at indented line starts (Reuters
 * style).  Between two non-blank lines the decision depends on the block's
 * shape: in a block with lines longer than any hard wrap (> 100
 * characters) each line that ends a sentence is its own paragraph (one
 * paragraph per line, no blank lines); in a hard-wrapped block a break is
 * genuine only when the next line's first word would have fitted on the
 * line (a greedy wrapper would have put it there) and the next line
 * starts like a paragraph.  A joined break goes through the broken-word
 * check (wordlist.h).  Whitespace runs inside a paragraph become one
 * space.  Internal prefix: clean_.
 */
#ifndef CHR_CLEAN_PARAGRAPHS_H
#define CHR_CLEAN_PARAGRAPHS_H

#include <stddef.h>
#include <stdint.h>
#include "core/buf.h"
#include "pipeline/article.h"
#include "wordlist.h"

typedef struct clean_para {
	size_t off, len;        /* text in the paragraph buffer */
	const char *reason;     /* whole paragraph removed, or NULL */
	size_t pre;             /* leading bytes removed (dateline) */
	const char *pre_reason;
	size_t suf;             /* trailing bytes removed (tag, credit) */
	const char *suf_reason;
	uint64_t key;           /* hash of the normalised text (repeat.h) */
	uint32_t flags;         /* CLEAN_P_* */
} clean_para;

enum {
	CLEAN_P_KEEP = 1,      /* preferred copy among repeats (dateline) */
	CLEAN_P_HEADLINY = 2,  /* short, no sentence end: headline-like (set
				* by clean_repeats only where it decides:
				* on repeated lines and next to "Read more") */
	CLEAN_P_BREAKING = 4,  /* "Read more" and the like */
};

typedef ART_VEC(clean_para) clean_paras;

/* Split s[0..n) into paragraphs appended to *ps, their text appended to
 * out (no separators; each paragraph is out->p[off..off+len)).  Returns
 * CHR_OK, CHR_ENOMEM or CHR_ETOOBIG. */
chr_status clean_split(const char *s, size_t n, clean_words *cw, arena *mem,
		       buf *out, clean_paras *ps);

/* Number of characters (code points) in s[0..n). */
size_t clean_chars(const char *s, size_t n);

#endif
