/*
 * dateline: recognise and take apart the dateline that opens a wire story.
 *
 * Design note: datelines share one shape: a place, then optionally a date,
 * then optionally a parenthesised credit, then a dash or colon before the
 * story: "SEOUL/MOSCOW, Nov. 20 (Yonhap) --", "WASHINGTON (Reuters) -",
 * "LONDON, March 3 -", "SEOUL, (APP - UrduPoint / Pakistan Point News -
 * 21st Nov, 2019 ) :", and the bare "MOSCOW, Russian President ...".  One
 * left-to-right matcher over that shape, with a bounded window, handles all
 * of them; what counts as evidence (capitals, a credit, a dash) is decided
 * at the end so a sentence that merely starts with a name is not taken.
 * The clean stage uses it to strip the dateline from the body; the meta
 * stage uses it again on the stripped text to fill the fields.
 * Internal prefix: meta_.
 */
#ifndef CHR_META_DATELINE_H
#define CHR_META_DATELINE_H

#include <stddef.h>
#include "dateparse.h"

#define META_DL_MAX_AGENCIES 4

typedef struct meta_dateline {
	size_t place_off, place_len;   /* in the matched text */
	meta_date date;                /* m == 0 when no date */
	const char *agencies[META_DL_MAX_AGENCIES]; /* canonical names */
	int nagencies;
	size_t outlet_off, outlet_len; /* outlet_len == 0 when none */
	int bare;                      /* "PLACE, Text" with nothing else */
	int strong;                    /* has a date or a credit group */
} meta_dateline;

/* Match a dateline at the start of s.  Returns the bytes it covers
 * (including the dash or colon and the spaces after it), or 0. */
size_t meta_dateline_match(const char *s, size_t n, meta_dateline *dl);

#endif
