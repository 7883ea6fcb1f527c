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
 *
 * The scanner reads words, not bytes: the events prep has already cut
 * the body into tokens (ev_text.c), and every run of ASCII letters and
 * digits lies inside one of them, so it feeds each all-ASCII token as a
 * word (ev_dscan_word) and only splits the others (ev_dscan_span, which
 * ev_scan_dates runs over a whole text).  A word is classified by one
 * table (the C locale's isalnum/isdigit/tolower, ASCII only), a month
 * name by one packed three-letter key in a switch.  On 2,000 Reuters
 * stories the scan was 36.7 M instructions reading bytes through
 * <ctype.h>, 25.9 M with the tables, 20.7 M from the tokens.
 */
#include "events.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "text/bytetab.h"

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

/* Byte classes for the scanner: the C locale's isalnum and isdigit
 * (ASCII only; the tool never sets a locale), and its tolower. */
#define D_ALNUM 1
#define D_DIGIT 2
#define D_CLASS(c)                                                           \
	((c) >= '0' && (c) <= '9' ? D_ALNUM | D_DIGIT                        \
	 : ((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z') ? D_ALNUM \
								     : 0)
static const uint8_t d_class[256] = { TEXT_TAB256(D_CLASS) };
static const uint8_t d_lower[256] = { TEXT_TAB256(TEXT_LOWER) };

/* The month of s's first three bytes ("jan" .. "dec" in any case), 0
 * when none: the three lower-cased bytes packed into one key, which a
 * switch compares against the twelve. */
static inline int month3(const unsigned char *c)
{
	switch (c[0] | 0x20) { /* ASCII lower case; no other byte matches */
	case 'j': case 'f': case 'm': case 'a': case 's': case 'o': case 'n':
	case 'd':
		break;
	default:
		return 0;
	}
#define MON3(a, b, c) ((uint32_t)(a) << 16 | (uint32_t)(b) << 8 | (uint32_t)(c))
	switch (MON3(d_lower[c[0]], d_lower[c[1]], d_lower[c[2]])) {
	case MON3('j', 'a', 'n'): return 1;
	case MON3('f', 'e', 'b'): return 2;
	case MON3('m', 'a', 'r'): return 3;
	case MON3('a', 'p', 'r'): return 4;
	case MON3('m', 'a', 'y'): return 5;
	case MON3('j', 'u', 'n'): return 6;
	case MON3('j', 'u', 'l'): return 7;
	case MON3('a', 'u', 'g'): return 8;
	case MON3('s', 'e', 'p'): return 9;
	case MON3('o', 'c', 't'): return 10;
	case MON3('n', 'o', 'v'): return 11;
	case MON3('d', 'e', 'c'): return 12;
	default: return 0;
	}
#undef MON3
}

int ev_month3(const char *s)
{
	return month3((const unsigned char *)s);
}

/* The month a word names (1..12), 0 when none: a full name ("march"),
 * its first three letters ("mar") or "sept", in any case.  The first
 * three letters pick the month (ev_month3: one packed key against
 * twelve), so a word that names none costs a few instructions, not
 * twelve string compares: the scanner asks this of every word of three
 * letters or more. */
static int month_of(const char *s, size_t n)
{
	static const char *const full[] = {
		"january", "february", "march", "april", "may", "june", "july",
		"august", "september", "october", "november", "december"
	};
	if (n < 3 || n > 9) /* "september" is the longest */
		return 0;
	const unsigned char *u = (const unsigned char *)s;
	int m = month3(u);
	if (!m || n == 3 || (n == 4 && m == 9 && d_lower[u[3]] == 't'))
		return m; /* none, "sep", "sept" */
	for (size_t i = 3; i < n; i++)
		if (d_lower[u[i]] != (unsigned char)full[m - 1][i])
			return 0; /* full[m - 1] ends first: its NUL differs */
	return full[m - 1][n] ? 0 : m;
}

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

/* Words (letters/digits runs); the last three words' month and number
 * are kept (oldest first) for the year's: a few stores a word, where
 * moving a window of whole words was a memmove call.  Only a word of at
 * most four digits is read for its value, and only one starting with a
 * letter can name a month.  The events prep feeds the words of the
 * tokens it has already made (ev_dscan_word: no byte of a word is read
 * twice over), a test or any other text goes through ev_dscan_span. */
void ev_dscan_init(ev_dscan *ds)
{
	memset(ds, 0, sizeof *ds);
}

/* The word s[i, j), whose first byte has class c0 (D_DIGIT when all are
 * digits, with digits set). */
static void dscan(ev_dscan *ds, const char *s, size_t len, size_t i,
		  size_t j, unsigned c0, int digits, ev_doc *d)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = j - i;
	int tnum = -1, tmon = 0;
	if (c0 & D_DIGIT) {
		if (n <= 4 && digits) {
			int v = 0;
			for (size_t k = i; k < j; k++)
				v = v * 10 + u[k] - '0';
			tnum = v;
		} else if (n >= 3 && n <= 4) { /* 1st, 2nd, 21st */
			int v = u[i] - '0';
			size_t k = i + 1;
			if (d_class[u[k]] & D_DIGIT)
				v = v * 10 + u[k++] - '0';
			if (j - k == 2 && !(d_class[u[k]] & D_DIGIT))
				tnum = v;
		}
	} else {
		tmon = month_of(s + i, n);
	}
	/* ISO yyyy-mm-dd */
	if (tnum >= 1900 && j + 6 <= len && s[j] == '-' &&
	    (d_class[u[j + 1]] & D_DIGIT) && (d_class[u[j + 2]] & D_DIGIT) &&
	    s[j + 3] == '-' && (d_class[u[j + 4]] & D_DIGIT) &&
	    (d_class[u[j + 5]] & D_DIGIT)) {
		add_day(d, tnum, (s[j + 1] - '0') * 10 + s[j + 2] - '0',
			(s[j + 4] - '0') * 10 + s[j + 5] - '0');
		ds->resume = j + 6;
		ds->nw = 0;
		return;
	}
	ds->resume = j;
	ds->mon[0] = ds->mon[1], ds->mon[1] = ds->mon[2], ds->mon[2] = tmon;
	ds->num[0] = ds->num[1], ds->num[1] = ds->num[2], ds->num[2] = tnum;
	if (ds->nw < 3)
		ds->nw++;
	if (tnum < 1950 || tnum > 2049 || n != 4)
		return;
	int y = tnum;
	const int *mon = ds->mon, *num = ds->num;
	/* Month D, YYYY */
	if (ds->nw == 3 && mon[0] && num[1] >= 1 && num[1] <= 31)
		add_day(d, y, mon[0], num[1]);
	/* D Month YYYY */
	else if (ds->nw == 3 && mon[1] && num[0] >= 1 && num[0] <= 31)
		add_day(d, y, mon[1], num[0]);
	/* Month YYYY: the year only (a day-1 anchor would mislead) */
	else
		add_year_only(d, y);
}

void ev_dscan_word(ev_dscan *ds, const char *s, size_t len, size_t i,
		   size_t j, int digits, ev_doc *d)
{
	if (i >= ds->resume)
		dscan(ds, s, len, i, j, d_class[(unsigned char)s[i]], digits, d);
	else if (j > ds->resume) /* the rest of it, after an ISO date */
		ev_dscan_span(ds, s, len, ds->resume, j, d);
}

void ev_dscan_span(ev_dscan *ds, const char *s, size_t len, size_t from,
		   size_t to, ev_doc *d)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = from > ds->resume ? from : ds->resume;
	while (i < to) {
		unsigned c0 = d_class[u[i]];
		if (!(c0 & D_ALNUM)) {
			i++;
			continue;
		}
		size_t j = i + 1;
		unsigned all = c0; /* D_DIGIT stays while every byte is one */
		while (j < to) {
			unsigned c = d_class[u[j]];
			if (!(c & D_ALNUM))
				break;
			all &= c;
			j++;
		}
		dscan(ds, s, len, i, j, c0, (all & D_DIGIT) != 0, d);
		i = ds->resume;
	}
}

void ev_scan_dates(const char *s, size_t len, ev_doc *d)
{
	ev_dscan ds;
	ev_dscan_init(&ds);
	ev_dscan_span(&ds, s, len, 0, len, d);
}

/* ---- the tense of weekday mentions ------------------------------------ */

/* The time stage already decides which side of its reference day a
 * weekday falls on from the clause around it (tense, "will", "is due to",
 * "next", "said", "late Tuesday", quotes...).  An undated article has no
 * reference day, so its weekdays stay XXXX-WXX-N; tagging the text again
 * against a probe reference day shows the side the time stage picks.
 * The probe must not be the mention's own weekday (that resolves to the
 * probe itself), so a Monday is read against a Tuesday probe and every
 * other day against a Monday probe.  No evidence resolves to the past
 * (the time stage's default), which counts as publication evidence, as
 * every weekday did before. */
/* The words around a weekday that place it, read first: the time
 * stage's own reading misses some common forms ("would host a meeting on
 * Wednesday", "is scheduled to meet X on Thursday", "until Wednesday").
 * The nearest marker in the clause before the mention decides (within
 * the sentence, LEX_BACK words); failing that, the nearest after it
 * ("Early Monday, workers walked off"). */
#define LEX_BACK 12
#define LEX_FWD 8

static int word_in(const char *w, size_t n, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (strlen(list[i]) == n && !strncmp(w, list[i], n))
			return 1;
	return 0;
}

/* +1 ahead, -1 behind, 0 no marker, for the lowercase word w[0..n);
 * next is the following word (may be empty). */
static int word_tense(const char *w, size_t n, const char *next, size_t nn,
		      const char *prev, size_t pn)
{
	static const char *const ahead[] = {
		"will", "shall", "would", "next", "until", "till", "due",
		"plans", "planned", "scheduled", "expected", "expects",
		"upcoming", "intends", "tomorrow", NULL
	};
	static const char *const behind[] = {
		"said", "told", "met", "began", "went", "came", "made", "took",
		"held", "left", "saw", "was", "were", "had", "did", "broke",
		"fell", "rose", "struck", "won", "lost", "sent", "gave",
		"brought", "bought", "sold", "spoke", "wrote", "ran", "led",
		"found", "got", "kept", "became", "drew", "flew", "grew",
		"knew", "stood", "thought", "threw", "sank", "swept", "ago",
		"yesterday", "earlier", "last", "since", NULL
	};
	static const char *const notverb[] = {
		"the", "a", "an", "his", "her", "its", "their", "our", "my",
		"your", "this", "that", "these", "those", "some", "any", "all",
		"each", "every", "date", "day", "week", "month", NULL
	};
	if (n >= 3 && !strncmp(w + n - 3, "'ll", 3))
		return 1;
	if (word_in(w, n, ahead))
		return 1;
	/* "set to", "set for", "going to", "aims to" */
	if (nn && (word_in(w, n, (const char *const[]){ "set", "going",
							 "aims", "aim", NULL }) &&
		   (word_in(next, nn, (const char *const[]){ "to", "for",
							     NULL }))))
		return 1;
	/* an infinitive ("to meet", "to be held"): an arrangement ahead */
	if (n == 2 && !strncmp(w, "to", 2) && nn >= 2 &&
	    islower((unsigned char)next[0]) && !word_in(next, nn, notverb))
		return 1;
	if (word_in(w, n, behind))
		return -1;
	/* a past form ("reported", "agreed"), not an adjective after a
	 * determiner ("the revised plan") nor "need", "speed" */
	static const char *const not_past[] = {
		"speed", "bleed", "breed", "greed", "exceed", "proceed",
		"succeed", "indeed", "hundred", NULL
	};
	if (n > 4 && w[n - 2] == 'e' && w[n - 1] == 'd' &&
	    !word_in(w, n, not_past) && !(pn && word_in(prev, pn, notverb)))
		return -1;
	return 0;
}

typedef struct lword {
	size_t s, n;
} lword;

/* Words of text[a, b) in order (letters and inner apostrophes), into
 * w (at most cap). */
static size_t lex_words(const char *t, size_t a, size_t b, lword *w,
			size_t cap)
{
	size_t n = 0, i = a;
	while (i < b && n < cap) {
		if (!isalpha((unsigned char)t[i])) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < b && (isalpha((unsigned char)t[j]) ||
				 (t[j] == '\'' && j + 1 < b &&
				  isalpha((unsigned char)t[j + 1]))))
			j++;
		w[n].s = i;
		w[n++].n = j - i;
		i = j;
	}
	return n;
}

/* Where the sentence holding byte i starts / ends. */
static int sent_end_at(const char *t, size_t len, size_t k)
{
	if (t[k] == '\n' && k + 1 < len && t[k + 1] == '\n')
		return 1;
	return (t[k] == '.' || t[k] == '!' || t[k] == '?') &&
	       (k + 1 >= len || isspace((unsigned char)t[k + 1]));
}

static int lex_tense(const char *t, size_t len, size_t start)
{
	size_t a = start, end = start;
	while (end < len && isalpha((unsigned char)t[end]))
		end++;
	size_t b = end;
	/* the sentence, at most 300 bytes back (LEX_BACK words fit) */
	while (a > 0 && start - a < 300 && !sent_end_at(t, len, a - 1))
		a--;
	while (b < len && !sent_end_at(t, len, b))
		b++;
	lword w[64];
	char lw[64][24];
	size_t nb = lex_words(t, a, start, w, 64), base = 0;
	if (nb > LEX_BACK)
		base = nb - LEX_BACK;
	size_t nf = lex_words(t, end, b, w + nb, 64 - nb);
	size_t n = nb + nf;
	for (size_t i = 0; i < n; i++) {
		size_t k = w[i].n < sizeof lw[i] - 1 ? w[i].n : sizeof lw[i] - 1;
		for (size_t c = 0; c < k; c++)
			lw[i][c] = (char)tolower((unsigned char)t[w[i].s + c]);
		lw[i][k] = '\0';
		w[i].n = k;
	}
	/* nearest first: "next", "until" right before the mention win */
	for (size_t i = nb; i-- > base;) {
		int x = word_tense(lw[i], w[i].n, i + 1 < nb ? lw[i + 1] : "",
				   i + 1 < nb ? w[i + 1].n : 0,
				   i > 0 ? lw[i - 1] : "", i > 0 ? w[i - 1].n : 0);
		if (x)
			return x;
	}
	for (size_t i = nb; i < n && i < nb + LEX_FWD; i++) {
		int x = word_tense(lw[i], w[i].n, i + 1 < n ? lw[i + 1] : "",
				   i + 1 < n ? w[i + 1].n : 0,
				   i > nb ? lw[i - 1] : "", i > nb ? w[i - 1].n : 0);
		if (x)
			return x;
	}
	return 0;
}

#define PROBE_MON "2001-01-01" /* a Monday */
#define PROBE_TUE "2001-01-02"

void ev_weekday_tenses(const char *text, size_t len, const size_t *starts,
		       const int *wdays, int *tense, size_t n)
{
	for (size_t i = 0; i < n; i++)
		tense[i] = text && starts[i] < len
				   ? lex_tense(text, len, starts[i])
				   : 0;
	if (!n || !text)
		return;
	static const char *const probe[2] = { PROBE_MON, PROBE_TUE };
	for (int p = 0; p < 2; p++) {
		int need = 0;
		for (size_t i = 0; i < n; i++)
			need |= !tense[i] && (wdays[i] == 1) == p;
		if (!need)
			continue;
		chr_timex *x = NULL;
		size_t nx = 0;
		if (chr_time_tag(text, len, probe[p], &x, &nx) != CHR_OK)
			continue;
		int32_t ref = ev_parse_day(probe[p]);
		for (size_t i = 0; i < n; i++) {
			if (tense[i] || (wdays[i] == 1) != p)
				continue;
			for (size_t j = 0; j < nx; j++) {
				int32_t r = ev_parse_day(x[j].value);
				/* the same mention, maybe wider ("next
				 * Tuesday" against a reference day) */
				if (x[j].start > starts[i] || x[j].end <= starts[i] ||
				    r == EV_NODAY)
					continue;
				tense[i] = r > ref ? 1 : r < ref ? -1 : 0;
				break;
			}
		}
		chr_free(x);
	}
}
