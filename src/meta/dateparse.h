/*
 * dateparse: calendar dates in the forms news text and feeds use.
 *
 * Design note: hand-written matchers, no regex library and no locale: each
 * call looks at a bounded window (a few dozen bytes) from one position, so
 * scanning a whole text for dates is a single linear pass.  Forms: ISO
 * "2019-11-20" (with an optional time), "Nov 20, 2019", "Nov. 20",
 * "November 20 2019", "20 November 2019", "21st Nov, 2019",
 * "26-FEB-1987 15:01:11.79" (Reuters), RFC 2822 "Wed, 20 Nov 2019 ...", and
 * numeric D/M/Y only when the day cannot be a month.  A date without a
 * year is returned with y == 0: callers decide whether a year can be
 * known, never this module.  Internal prefix: meta_.
 */
#ifndef CHR_META_DATEPARSE_H
#define CHR_META_DATEPARSE_H

#include <stddef.h>

typedef struct meta_date {
	int y; /* 0 when not given */
	int m; /* 1..12 */
	int d; /* 1..31 */
} meta_date;

/* Month number for a month name or abbreviation s[0..n) (case-insensitive,
 * "Sept" too), else 0. */
int meta_month(const char *s, size_t n);

/* Parse a date that starts exactly at s.  Returns the bytes used (0 when
 * there is no date there) and fills *d.  Year-less forms ("Nov. 20") set
 * d->y = 0. */
size_t meta_date_at(const char *s, size_t n, meta_date *d);

/* Parse a whole field such as an input "date" value: leading spaces and a
 * weekday are skipped and anything after the date (a time, a zone) is
 * ignored.  Returns 1 and fills *d only for a full date (with a year). */
int meta_date_field(const char *s, size_t n, meta_date *d);

/* Call fn for every full date (y, m, d all known, year 1900..2100) found
 * at a word start in s, with its byte offset.  Linear in n. */
void meta_dates_scan(const char *s, size_t n,
		     void (*fn)(void *ctx, const meta_date *d, size_t off),
		     void *ctx);

/* Call fn for every stand-alone 4-digit year 1900..2100 in s. */
void meta_years_scan(const char *s, size_t n,
		     void (*fn)(void *ctx, int year), void *ctx);

/* 1 when y-m-d is a real calendar date. */
int meta_date_valid(int y, int m, int d);

#endif
