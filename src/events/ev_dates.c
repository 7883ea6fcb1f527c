/*
 * ev_dates: calendar helpers and the STAND-IN date scanner.
 *
 * Design note: the events stage needs dates as plain day numbers (days
 * since 1970-01-01) to measure distances.  Until the TIMEX stage is wired
 * into the pipeline (ev_input.dates), this scanner finds only explicit,
 * unambiguous forms: "May 3, 2013", "3 May 2013", "May 2013" (taken as
 * the 1st, for the year only), "2013-05-03", and four-digit years
 * 1950..2049 standing alone.  Relative expressions ("Tuesday", "last
 * week") need a reference date and are left to the time stage.
 */
#include "events.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Howard Hinnant's days_from_civil. */
int32_t ev_days(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int32_t)(era * 146097 + (int)doe - 719468);
}

void ev_ymd(int32_t z, int *y, int *m, int *d)
{
	z += 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int yy = (int)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yy + (*m <= 2);
}

static int mdays(int y, int m)
{
	static const int n[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100) || y % 400 == 0;
	return m == 2 ? 28 + leap : n[m - 1];
}

static int valid(int y, int m, int d)
{
	return y >= 1900 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 &&
	       d <= mdays(y, m);
}

int32_t ev_parse_day(const char *s)
{
	if (!s)
		return EV_NODAY;
	for (int i = 0; i < 10; i++) {
		int dig = i != 4 && i != 7;
		if (!s[i] || (dig ? !isdigit((unsigned char)s[i]) : s[i] != '-'))
			return EV_NODAY;
	}
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
		(s[3] - '0');
	int m = (s[5] - '0') * 10 + (s[6] - '0');
	int d = (s[8] - '0') * 10 + (s[9] - '0');
	return valid(y, m, d) ? ev_days(y, m, d) : EV_NODAY;
}

void ev_fmt_day(int32_t days, char out[11])
{
	int y, m, d;
	if (days == EV_NODAY) {
		out[0] = '\0';
		return;
	}
	ev_ymd(days, &y, &m, &d);
	if (y < 0 || y > 9999) {
		out[0] = '\0';
		return;
	}
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = out[7] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
}

static int month_of(const char *s, size_t n)
{
	static const char *const names[] = { "jan", "feb", "mar", "apr", "may",
					     "jun", "jul", "aug", "sep", "oct",
					     "nov", "dec" };
	static const char *const full[] = {
		"january", "february", "march", "april", "may", "june", "july",
		"august", "september", "october", "november", "december"
	};
	char w[12];
	if (n < 3 || n >= sizeof w)
		return 0;
	for (size_t i = 0; i < n; i++)
		w[i] = (char)tolower((unsigned char)s[i]);
	w[n] = '\0';
	for (int m = 0; m < 12; m++)
		if (!strcmp(w, full[m]) || (n <= 4 && !strncmp(w, names[m], 3) &&
					    (n == 3 || !strcmp(w, "sept"))))
			return m + 1;
	return 0;
}

typedef struct wtok {
	size_t s, n;
	int num;   /* value when all digits (<= 4 digits), else -1 */
	int month; /* 1..12 when a month name */
} wtok;

#define WINDOW 4

static void add_year_only(ev_doc *d, int y)
{
	for (uint32_t i = 0; i < d->nyears; i++)
		if (d->years[i] == y)
			return;
	if (d->nyears < EV_MAXYEARS)
		d->years[d->nyears++] = (int16_t)y;
}

static void add_day(ev_doc *d, int y, int m, int dd)
{
	if (!valid(y, m, dd))
		return;
	int32_t day = ev_days(y, m, dd);
	add_year_only(d, y);
	for (uint32_t i = 0; i < d->ndates; i++)
		if (d->dates[i] == day)
			return;
	if (d->ndates < EV_MAXDATES)
		d->dates[d->ndates++] = day;
}

/* Words (letters/digits runs) with a small ring of the last WINDOW. */
void ev_scan_dates(const char *s, size_t len, ev_doc *d)
{
	wtok w[WINDOW];
	size_t nw = 0, i = 0;
	while (i < len) {
		if (!isalnum((unsigned char)s[i])) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < len && isalnum((unsigned char)s[j]))
			j++;
		wtok t = { i, j - i, -1, 0 };
		if (j - i <= 4) {
			int v = 0, dig = 1;
			for (size_t k = i; k < j; k++) {
				if (!isdigit((unsigned char)s[k]))
					dig = 0;
				else
					v = v * 10 + s[k] - '0';
			}
			if (dig)
				t.num = v;
		}
		/* 1st, 2nd, 21st */
		if (t.num < 0 && j - i >= 3 && j - i <= 4 &&
		    isdigit((unsigned char)s[i])) {
			int v = s[i] - '0';
			size_t k = i + 1;
			if (isdigit((unsigned char)s[k]))
				v = v * 10 + s[k++] - '0';
			if (j - k == 2 && isalpha((unsigned char)s[k]))
				t.num = v;
		}
		t.month = month_of(s + i, j - i);
		/* ISO yyyy-mm-dd */
		if (t.num >= 1900 && j + 6 <= len && s[j] == '-' &&
		    isdigit((unsigned char)s[j + 1]) &&
		    isdigit((unsigned char)s[j + 2]) && s[j + 3] == '-' &&
		    isdigit((unsigned char)s[j + 4]) &&
		    isdigit((unsigned char)s[j + 5])) {
			add_day(d, t.num, (s[j + 1] - '0') * 10 + s[j + 2] - '0',
				(s[j + 4] - '0') * 10 + s[j + 5] - '0');
			i = j + 6;
			nw = 0;
			continue;
		}
		if (nw == WINDOW) {
			memmove(w, w + 1, (WINDOW - 1) * sizeof *w);
			nw--;
		}
		w[nw++] = t;
		i = j;
		if (t.num < 1950 || t.num > 2049 || t.n != 4)
			continue;
		int y = t.num;
		/* Month D, YYYY */
		if (nw >= 3 && w[nw - 3].month && w[nw - 2].num >= 1 &&
		    w[nw - 2].num <= 31)
			add_day(d, y, w[nw - 3].month, w[nw - 2].num);
		/* D Month YYYY */
		else if (nw >= 3 && w[nw - 2].month && w[nw - 3].num >= 1 &&
			 w[nw - 3].num <= 31)
			add_day(d, y, w[nw - 2].month, w[nw - 3].num);
		/* Month YYYY: the year only (a day-1 anchor would mislead) */
		else
			add_year_only(d, y);
	}
}
