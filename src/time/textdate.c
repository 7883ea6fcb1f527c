/*
 * textdate: a publication date read from the text, for articles that
 * reach the time stage without one.
 *
 * Design note: the meta stage (src/meta/meta.c) already dates an article
 * from its input field, its header, a dateline with a year, a caption
 * date, the one full date of the text, and a year-less dateline whose
 * month a full date in the text shares (within one calendar month, same
 * year).  What it leaves undated is a year-less dateline ("SEOUL, Nov. 20
 * (Yonhap) --") whose year only the text's other absolute dates can give
 * when they are month-years ("in October 2019"), when they lie across a
 * year end ("Dec. 28, 2019" for a "Jan. 3" dateline), or when they are a
 * few weeks off.  This file settles exactly that case, with the time
 * tagger itself as the reader of the text:
 *   - the text is tagged without a document date, so the only values
 *     that carry a year are the expressions that write one;
 *   - each such full date within WINDOW_DAYS of a reading of the
 *     dateline (that year, the one before or after) votes for the year
 *     of that reading, and each month-year within one month of it does;
 *   - the year is taken only when there is at least one vote and every
 *     vote names the same year.  Anything else (no dateline date, no
 *     vote, two years) leaves the article undated: never a guess.
 */
#include <stdlib.h>
#include <string.h>

#include "meta/dateline.h"
#include "pipeline/article.h"
#include "time/time.h"

#define WINDOW_DAYS 45

/* The year-less month and day of the article's dateline, or 0. */
static int dateline_md(const chr_article *a, int *m, int *d)
{
	const char *src = a->in_dateline && *a->in_dateline ? a->in_dateline : NULL;
	for (size_t i = 0; !src && i < a->removed.n; i++)
		if (strcmp(a->removed.v[i].reason, "dateline") == 0)
			src = a->removed.v[i].text;
	if (!src)
		return 0;
	meta_dateline dl;
	if (!meta_dateline_match(src, strlen(src), &dl) || !dl.date.m ||
	    dl.date.y || !dl.date.d)
		return 0;
	*m = dl.date.m;
	*d = dl.date.d;
	return 1;
}

/* 1 when the expression's text writes the year of its value. */
static int writes_year(const char *text, const time_expr *x)
{
	for (uint32_t i = x->start; i + 4 <= x->end; i++)
		if (memcmp(text + i, x->value, 4) == 0)
			return 1;
	return 0;
}

typedef struct votes {
	int year;
	int n;
	int conflict;
} votes;

static void vote(votes *v, int y)
{
	if (v->n && v->year != y)
		v->conflict = 1;
	v->year = y;
	v->n++;
}

/* Votes of the absolute expressions in text[0, len) for the year of the
 * dateline's month m and day d. */
static chr_status collect(const char *text, size_t len, int m, int d, votes *v)
{
	time_out o = {NULL, 0, 0, 0};
	time_date none = {0, 0, 0};
	chr_status st = time_tag(text, len, none, &o);
	for (size_t i = 0; st == CHR_OK && i < o.n; i++) {
		const time_expr *x = &o.v[i];
		time_date t;
		size_t vl = strlen(x->value);
		if (x->type != CHR_TIMEX_DATE || (vl != 7 && vl != 10) ||
		    !writes_year(text, x))
			continue;
		if (vl == 7) { /* YYYY-MM: a month-year */
			t.y = (x->value[0] - '0') * 1000 + (x->value[1] - '0') * 100 +
			      (x->value[2] - '0') * 10 + (x->value[3] - '0');
			t.m = (x->value[5] - '0') * 10 + (x->value[6] - '0');
			if (t.m < 1 || t.m > 12)
				continue;
			for (int c = t.y - 1; c <= t.y + 1; c++) {
				long dm = ((long)c * 12 + m) - ((long)t.y * 12 + t.m);
				if (dm >= -1 && dm <= 1)
					vote(v, c);
			}
			continue;
		}
		if (time_parse_date(x->value, vl, &t) != 0)
			continue;
		long z = time_days(t.y, t.m, t.d);
		for (int c = t.y - 1; c <= t.y + 1; c++) {
			if (d > time_mdays(c, m))
				continue;
			long dd = time_days(c, m, d) - z;
			if (dd >= -WINDOW_DAYS && dd <= WINDOW_DAYS)
				vote(v, c);
		}
	}
	free(o.v);
	return st;
}

chr_status time_text_date(chr_article *a)
{
	int m, d;
	if (a->published[0] || !dateline_md(a, &m, &d))
		return CHR_OK;
	votes v = {0, 0, 0};
	chr_status st = CHR_OK;
	if (a->headline)
		st = collect(a->headline, strlen(a->headline), m, d, &v);
	if (st == CHR_OK && a->text && a->text_len)
		st = collect(a->text, a->text_len, m, d, &v);
	for (size_t i = 0; st == CHR_OK && i < a->removed.n; i++)
		if (strcmp(a->removed.v[i].reason, "caption") == 0)
			st = collect(a->removed.v[i].text, strlen(a->removed.v[i].text),
				     m, d, &v);
	if (st != CHR_OK)
		return st;
	if (v.n && !v.conflict && d <= time_mdays(v.year, m))
		art_set_published(a, v.year, m, d, "text");
	return CHR_OK;
}
