/*
 * dateparse: date matchers (see dateparse.h).
 *
 * Design note: every matcher reads forward from one position with explicit
 * bounds checks, so it is safe on arbitrary bytes and never reads past n.
 * The month table is tiny and compared by length first (lengths counted
 * by the compiler).
 */
#include "dateparse.h"

#include <string.h>
#include <strings.h>

#define M(name, m) { name, sizeof name - 1, m }
static const struct {
	const char *name;
	size_t len;
	int m;
} g_months[] = {
	M("jan", 1),  M("january", 1), M("feb", 2),       M("february", 2),
	M("mar", 3),  M("march", 3),   M("apr", 4),       M("april", 4),
	M("may", 5),  M("jun", 6),     M("june", 6),      M("jul", 7),
	M("july", 7), M("aug", 8),     M("august", 8),    M("sep", 9),
	M("sept", 9), M("september", 9), M("oct", 10),    M("october", 10),
	M("nov", 11), M("november", 11), M("dec", 12),    M("december", 12),
};
#undef M

#define W(name) { name, sizeof name - 1 }
static const struct {
	const char *name;
	size_t len;
} g_weekdays[] = {
	W("mon"), W("monday"), W("tue"), W("tues"), W("tuesday"), W("wed"),
	W("wednesday"), W("thu"), W("thur"), W("thurs"), W("thursday"),
	W("fri"), W("friday"), W("sat"), W("saturday"), W("sun"),
	W("sunday"),
};
#undef W

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

int meta_month(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof g_months / sizeof g_months[0]; i++)
		if (g_months[i].len == n &&
		    strncasecmp(g_months[i].name, s, n) == 0)
			return g_months[i].m;
	return 0;
}

static int is_weekday(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof g_weekdays / sizeof g_weekdays[0]; i++)
		if (g_weekdays[i].len == n &&
		    strncasecmp(g_weekdays[i].name, s, n) == 0)
			return 1;
	return 0;
}

int meta_date_valid(int y, int m, int d)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31};
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	if (y && m == 2 && d == 29 &&
	    !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 0;
	return y == 0 || (y >= 1000 && y <= 9999);
}

/* Read up to max digits at s[*i]; returns the count read, value in *v. */
static size_t digits(const char *s, size_t n, size_t *i, size_t max, int *v)
{
	size_t k = 0;
	int x = 0;
	while (*i + k < n && k < max && is_digit(s[*i + k])) {
		x = x * 10 + (s[*i + k] - '0');
		k++;
	}
	if (*i + k < n && is_digit(s[*i + k]))
		return 0; /* too many digits */
	*i += k;
	*v = x;
	return k;
}

/* A word of letters at s[*i]; returns its length (not consumed). */
static size_t word_len(const char *s, size_t n, size_t i)
{
	size_t k = 0;
	while (i + k < n && is_alpha(s[i + k]))
		k++;
	return k;
}

static size_t skip_sp(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

/* Fill *d when y-m-day is a real date; returns used, or 0. */
static size_t set_date(meta_date *d, int y, int m, int day, size_t used)
{
	if (!meta_date_valid(y, m, day))
		return 0;
	d->y = y;
	d->m = m;
	d->d = day;
	return used;
}

/* Length of an ordinal suffix ("st", "nd", "rd", "th") ending a day. */
static size_t ordinal_len(const char *s, size_t n, size_t i)
{
	if (word_len(s, n, i) == 2 && (strncasecmp(s + i, "st", 2) == 0 ||
				       strncasecmp(s + i, "nd", 2) == 0 ||
				       strncasecmp(s + i, "rd", 2) == 0 ||
				       strncasecmp(s + i, "th", 2) == 0))
		return 2;
	return 0;
}

/* Optional ", YYYY" / " YYYY" after a day; returns the new position. */
static size_t opt_year(const char *s, size_t n, size_t i, int *y)
{
	size_t j = i;
	if (j < n && s[j] == ',')
		j++;
	j = skip_sp(s, n, j);
	if (j == i || j >= n || !is_digit(s[j]))
		return i;
	int v;
	size_t k = j;
	if (digits(s, n, &k, 4, &v) != 4)
		return i;
	if (k < n && (is_alpha(s[k]) || s[k] == ':'))
		return i; /* "2019th", "20:15" */
	*y = v;
	return k;
}

/* Month[.] D[st|nd|rd|th][,] [YYYY] */
static size_t month_first(const char *s, size_t n, meta_date *d)
{
	size_t wl = word_len(s, n, 0);
	int m = wl >= 3 ? meta_month(s, wl) : 0;
	if (!m)
		return 0;
	size_t i = wl;
	if (i < n && s[i] == '.')
		i++;
	size_t j = skip_sp(s, n, i);
	if (j == i && !(i > wl)) /* need a space (or "Nov.20") */
		return 0;
	i = j;
	int day;
	if (!digits(s, n, &i, 2, &day))
		return 0;
	size_t ol = ordinal_len(s, n, i);
	if (!ol && word_len(s, n, i))
		return 0;
	i += ol;
	if (i < n && is_digit(s[i]))
		return 0;
	int y = 0;
	i = opt_year(s, n, i, &y);
	return set_date(d, y, m, day, i);
}

/* Forms that start with digits. */
static size_t digit_first(const char *s, size_t n, meta_date *d)
{
	size_t i = 0;
	int a;
	size_t na = digits(s, n, &i, 4, &a);
	if (!na)
		return 0;
	if (na == 4) {
		/* YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD */
		if (i >= n || !(s[i] == '-' || s[i] == '/' || s[i] == '.'))
			return 0;
		char sep = s[i++];
		int m, day;
		if (!digits(s, n, &i, 2, &m) || i >= n || s[i] != sep)
			return 0;
		i++;
		if (!digits(s, n, &i, 2, &day))
			return 0;
		if (i < n && is_alpha(s[i]) && s[i] != 'T')
			return 0;
		return set_date(d, a, m, day, i);
	}
	if (na > 2)
		return 0;
	/* 21st Nov, 2019 / 20 November 2019 / 26-FEB-1987 / 20/11/2019 */
	i += ordinal_len(s, n, i);
	if (i < n && (s[i] == '-' || s[i] == '/' || s[i] == '.') &&
	    i + 1 < n && is_digit(s[i + 1])) {
		/* numeric D/M/Y: only when unambiguous (one part > 12) */
		char sep = s[i++];
		int b, y;
		if (!digits(s, n, &i, 2, &b) || i >= n || s[i] != sep)
			return 0;
		i++;
		if (digits(s, n, &i, 4, &y) != 4)
			return 0;
		int m, day;
		if (a > 12 && b <= 12) {
			day = a;
			m = b;
		} else if (b > 12 && a <= 12) {
			day = b;
			m = a;
		} else {
			return 0;
		}
		return set_date(d, y, m, day, i);
	}
	int dash = 0;
	if (i < n && s[i] == '-') {
		dash = 1;
		i++;
	} else {
		size_t j = skip_sp(s, n, i);
		if (j == i)
			return 0;
		i = j;
	}
	size_t wl = word_len(s, n, i);
	int m = wl >= 3 ? meta_month(s + i, wl) : 0;
	if (!m)
		return 0;
	i += wl;
	int y = 0;
	if (dash) {
		if (i >= n || s[i] != '-')
			return 0;
		i++;
		if (digits(s, n, &i, 4, &y) != 4)
			return 0;
	} else {
		if (i < n && s[i] == '.')
			i++;
		i = opt_year(s, n, i, &y);
	}
	return set_date(d, y, m, a, i);
}

size_t meta_date_at(const char *s, size_t n, meta_date *d)
{
	if (!s || n == 0)
		return 0;
	if (is_digit(s[0]))
		return digit_first(s, n, d);
	if (is_alpha(s[0]))
		return month_first(s, n, d);
	return 0;
}

int meta_date_field(const char *s, size_t n, meta_date *d)
{
	if (!s)
		return 0;
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
			 s[i] == '\r'))
		i++;
	size_t wl = word_len(s, n, i);
	if (wl && is_weekday(s + i, wl)) {
		i += wl;
		if (i < n && s[i] == '.')
			i++;
		if (i < n && s[i] == ',')
			i++;
		i = skip_sp(s, n, i);
	}
	meta_date t;
	if (!meta_date_at(s + i, n - i, &t) || !t.y)
		return 0;
	*d = t;
	return 1;
}

void meta_dates_scan(const char *s, size_t n,
		     void (*fn)(void *ctx, const meta_date *d, size_t off),
		     void *ctx)
{
	size_t i = 0;
	while (i < n) {
		char c = s[i];
		int start = (i == 0) || !(is_alpha(s[i - 1]) ||
					  is_digit(s[i - 1]));
		if (start && (is_digit(c) || (c >= 'A' && c <= 'Z'))) {
			meta_date d;
			size_t lim = n - i < 48 ? n - i : 48;
			size_t used = meta_date_at(s + i, lim, &d);
			if (used && d.y >= 1900 && d.y <= 2100) {
				fn(ctx, &d, i);
				i += used;
				continue;
			}
		}
		i++;
	}
}

void meta_years_scan(const char *s, size_t n,
		     void (*fn)(void *ctx, int year), void *ctx)
{
	for (size_t i = 0; i + 4 <= n; i++) {
		if (!is_digit(s[i]))
			continue;
		if (i > 0 && (is_digit(s[i - 1]) || is_alpha(s[i - 1]) ||
			      s[i - 1] == '.' || s[i - 1] == ',' ||
			      s[i - 1] == '$')) {
			while (i < n && is_digit(s[i]))
				i++;
			continue;
		}
		size_t j = i;
		int v;
		if (digits(s, n, &j, 4, &v) == 4 &&
		    !(j < n && (is_alpha(s[j]) ||
				(j + 1 < n && (s[j] == '.' || s[j] == ',') &&
				 is_digit(s[j + 1])))) &&
		    v >= 1900 && v <= 2100)
			fn(ctx, v);
		while (i < n && is_digit(s[i]))
			i++;
	}
}
