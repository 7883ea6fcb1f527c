/*
 * meta: dateline place, agencies, outlet and publication date.
 *
 * Design note: the clean stage already cut the header date, the dateline
 * and the captions out of the body and kept them in `removed` with their
 * reasons; meta reads them back from there (and from the input fields),
 * so the two stages share no hidden state and every date meta reports can
 * be traced to a line the user can see.  The publication date is the
 * first source that exists, in a fixed order (input, header, dateline,
 * text), and a source is used only when it gives a full, unambiguous
 * date: a dateline without a year gets one only when the rest of the
 * article settles it, and a date in the text only when it is a caption
 * date or the one full date the text gives.  Never a guess.
 */
#include "meta.h"

#include <string.h>

#include "agency.h"
#include "dateline.h"
#include "dateparse.h"

#define MAX_DATES 16
#define MAX_YEARS 16

typedef struct date_set {
	meta_date v[MAX_DATES];
	int n;
	int overflow;
} date_set;

typedef struct year_set {
	int v[MAX_YEARS];
	int n;
	int overflow;
	int max;
} year_set;

static void date_add(void *ctx, const meta_date *d, size_t off)
{
	(void)off;
	date_set *s = ctx;
	for (int i = 0; i < s->n; i++)
		if (s->v[i].y == d->y && s->v[i].m == d->m && s->v[i].d == d->d)
			return;
	if (s->n < MAX_DATES)
		s->v[s->n++] = *d;
	else
		s->overflow = 1;
}

static void year_add(void *ctx, int y)
{
	year_set *s = ctx;
	if (y > s->max)
		s->max = y;
	for (int i = 0; i < s->n; i++)
		if (s->v[i] == y)
			return;
	if (s->n < MAX_YEARS)
		s->v[s->n++] = y;
	else
		s->overflow = 1;
}

static int is_caption(const char *reason)
{
	return strcmp(reason, "caption") == 0 || strcmp(reason, "credit") == 0;
}

/* Full dates in the headline, the text and (with captions) the captions. */
static void text_dates(const chr_article *a, date_set *ds, int captions,
		       int body)
{
	if (captions)
		for (size_t i = 0; i < a->removed.n; i++)
			if (is_caption(a->removed.v[i].reason))
				meta_dates_scan(a->removed.v[i].text,
						strlen(a->removed.v[i].text),
						date_add, ds);
	if (body) {
		if (a->headline)
			meta_dates_scan(a->headline, strlen(a->headline),
					date_add, ds);
		if (a->text)
			meta_dates_scan(a->text, a->text_len, date_add, ds);
	}
}

static void text_years(const chr_article *a, year_set *ys)
{
	if (a->headline)
		meta_years_scan(a->headline, strlen(a->headline), year_add, ys);
	if (a->text)
		meta_years_scan(a->text, a->text_len, year_add, ys);
	for (size_t i = 0; i < a->removed.n; i++)
		if (is_caption(a->removed.v[i].reason) ||
		    strcmp(a->removed.v[i].reason, "header") == 0)
			meta_years_scan(a->removed.v[i].text,
					strlen(a->removed.v[i].text), year_add,
					ys);
}

/* The year of a year-less dateline date, when the article settles it:
 * full dates within a month of it agree on one year.  A bare year in the
 * text ("since 2023", "by 2028") does not settle it: stories name past
 * and future years all the time.  0 otherwise. */
static int infer_year(const chr_article *a, int m)
{
	date_set ds = {0};
	text_dates(a, &ds, 1, 1);
	for (size_t i = 0; i < a->removed.n; i++)
		if (strcmp(a->removed.v[i].reason, "header") == 0)
			meta_dates_scan(a->removed.v[i].text,
					strlen(a->removed.v[i].text), date_add,
					&ds);
	int year = 0, conflict = 0;
	for (int i = 0; i < ds.n; i++) {
		int dm = ds.v[i].m - m;
		if (dm < -1 || dm > 1)
			continue;
		if (year && year != ds.v[i].y)
			conflict = 1;
		year = ds.v[i].y;
	}
	if (year && !conflict && !ds.overflow)
		return year;
	return 0;
}

static const char *find_removed(const chr_article *a, const char *reason)
{
	for (size_t i = 0; i < a->removed.n; i++)
		if (strcmp(a->removed.v[i].reason, reason) == 0)
			return a->removed.v[i].text;
	return NULL;
}

static void add_agency_cb(void *ctx, const char *canon)
{
	art_agency(ctx, canon, strlen(canon));
}

/* Place from a dateline the matcher did not take ("MOSCOW," left by a
 * bare dateline, or an input field like "SEOUL"): up to a comma or
 * parenthesis. */
static const char *plain_place(chr_article *a, const char *s)
{
	size_t n = strlen(s), i = 0;
	while (i < n && s[i] == ' ')
		i++;
	size_t j = i;
	while (j < n && s[j] != ',' && s[j] != '(' && s[j] != '-' &&
	       s[j] != ':')
		j++;
	while (j > i && s[j - 1] == ' ')
		j--;
	if (j == i || j - i > 60)
		return NULL;
	return art_strndup(a, s + i, j - i);
}

static void do_dateline(chr_article *a)
{
	const char *src = a->in_dateline && *a->in_dateline ? a->in_dateline
							   : NULL;
	if (!src)
		src = find_removed(a, "dateline");
	if (!src)
		return;
	meta_dateline dl;
	size_t n = strlen(src);
	size_t m = meta_dateline_match(src, n, &dl);
	if (!m) {
		/* a matched dateline loses its text after the comma when cut
		 * ("MOSCOW,"): try it with a stand-in sentence start */
		const char *p = plain_place(a, src);
		if (p)
			a->dateline = p;
		return;
	}
	a->dateline = art_strndup(a, src + dl.place_off, dl.place_len);
	for (int i = 0; i < dl.nagencies; i++)
		art_agency(a, dl.agencies[i], strlen(dl.agencies[i]));
	if (dl.outlet_len && !a->outlet)
		a->outlet = art_strndup(a, src + dl.outlet_off, dl.outlet_len);
	if (dl.date.m && !a->published[0]) {
		int y = dl.date.y ? dl.date.y : infer_year(a, dl.date.m);
		if (y && meta_date_valid(y, dl.date.m, dl.date.d))
			art_set_published(a, y, dl.date.m, dl.date.d,
					  "dateline");
	}
}

static void do_text_date(chr_article *a)
{
	date_set ds = {0};
	text_dates(a, &ds, 1, 0);
	if (ds.n == 1 && !ds.overflow) {
		art_set_published(a, ds.v[0].y, ds.v[0].m, ds.v[0].d, "text");
		return;
	}
	if (ds.n > 1)
		return;
	text_dates(a, &ds, 0, 1);
	if (ds.n != 1 || ds.overflow)
		return;
	/* the one full date the text gives, and no later year is named */
	year_set ys = {0};
	text_years(a, &ys);
	if (ys.max > ds.v[0].y)
		return;
	art_set_published(a, ds.v[0].y, ds.v[0].m, ds.v[0].d, "text");
}

chr_status meta_run(chr_article *a)
{
	meta_date d;
	if (a->in_date && meta_date_field(a->in_date, strlen(a->in_date), &d))
		art_set_published(a, d.y, d.m, d.d, "input");
	if (!a->published[0]) {
		for (size_t i = 0; i < a->removed.n; i++) {
			const art_removed *r = &a->removed.v[i];
			if (strcmp(r->reason, "header") != 0)
				continue;
			const char *s = r->text;
			size_t n = strlen(s);
			/* skip the keyword ("date", "Published:") */
			size_t k = 0;
			while (k < n && s[k] != ' ' && s[k] != ':' &&
			       !(s[k] >= '0' && s[k] <= '9'))
				k++;
			if (meta_date_field(s, n, &d) ||
			    (k < n && meta_date_field(s + k + 1, n - k - 1, &d)))
				art_set_published(a, d.y, d.m, d.d, "header");
			if (a->published[0])
				break;
		}
	}
	do_dateline(a);
	if (!a->published[0])
		do_text_date(a);
	if (!a->outlet && a->source && *a->source) {
		if (meta_agency_lookup(a->source, strlen(a->source)))
			meta_agency_scan(a->source, strlen(a->source),
					 add_agency_cb, a);
		a->outlet = a->source;
	}
	return CHR_OK;
}
