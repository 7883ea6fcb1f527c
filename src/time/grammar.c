/*
 * grammar: helpers and the absolute patterns of the time matcher:
 * calendar dates in their news forms, numeric dates, years and decades,
 * clock times, weekdays and the deictic words (today, now, recently).
 *
 * Design note: each pattern reads a bounded window of tokens (see
 * grammar.h).  Ambiguity is settled with local evidence only: "May" is a
 * month when a number, a year or a date preposition is next to it; a
 * four-digit number is a year unless money, a percentage or a count noun
 * says otherwise; D/M versus M/D is decided by which field exceeds 12 and
 * otherwise by closeness to the document date.  Weekdays and dates
 * without a year are resolved by the tense of the nearest verb.
 */
#include "time/grammar.h"

#include <stdarg.h>
#include <stdlib.h>

#ifndef WD_DEFAULT
#define WD_DEFAULT -1
#endif
#ifndef MONTH_SLACK
#define MONTH_SLACK 2
#endif
#ifndef DAY_SLACK
#define DAY_SLACK 60
#endif

/* Token i starts with lower (case-folded); 2 when it is all of it. */
static int word_match(const gctx *g, size_t i, const char *lower)
{
	if (i >= g->n || g->t[i].kind != TK_WORD)
		return 0;
	size_t n = g->t[i].e - g->t[i].s;
	const char *w = g->text + g->t[i].s;
	size_t k = 0;
	for (; k < n && lower[k]; k++) {
		char c = w[k];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		if (c != lower[k])
			return 0;
	}
	if (lower[k])
		return 0;
	return k == n ? 2 : 1;
}

int g_wordis(const gctx *g, size_t i, const char *lower)
{
	return word_match(g, i, lower) == 2;
}

/* ---------------------------------------------------------------- */
/* values                                                             */
/* ---------------------------------------------------------------- */

void g_fmt(char *dst, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(dst, n, fmt, ap);
	va_end(ap);
}

void g_set(gres *r, int type, const char *val)
{
	r->type = type;
	snprintf(r->val, sizeof r->val, "%s", val);
}

void g_day(gres *r, int type, int y, int m, int d)
{
	r->type = type;
	if (y > 0)
		snprintf(r->val, sizeof r->val, "%04d-%02d-%02d", y, m, d);
	else
		snprintf(r->val, sizeof r->val, "XXXX-%02d-%02d", m, d);
	if (y > 0) {
		r->isday = 1;
		r->day = (time_date){y, m, d};
	}
}

void g_month(gres *r, int y, int m)
{
	r->type = CHR_TIMEX_DATE;
	if (y > 0)
		snprintf(r->val, sizeof r->val, "%04d-%02d", y, m);
	else
		snprintf(r->val, sizeof r->val, "XXXX-%02d", m);
}

void g_year(gres *r, int y)
{
	r->type = CHR_TIMEX_DATE;
	if (y > 0)
		snprintf(r->val, sizeof r->val, "%04d", y);
	else
		snprintf(r->val, sizeof r->val, "XXXX");
}

void g_week(gres *r, time_date d, int weekend)
{
	r->type = CHR_TIMEX_DATE;
	if (d.y <= 0) {
		snprintf(r->val, sizeof r->val, weekend ? "XXXX-WXX-WE" : "XXXX-WXX");
		return;
	}
	int wy, w = time_isoweek(d.y, d.m, d.d, &wy);
	snprintf(r->val, sizeof r->val, weekend ? "%04d-W%02d-WE" : "%04d-W%02d",
		 wy, w);
}

void g_quarter(gres *r, int y, int q)
{
	r->type = CHR_TIMEX_DATE;
	if (y > 0)
		snprintf(r->val, sizeof r->val, "%04d-Q%d", y, q);
	else
		snprintf(r->val, sizeof r->val, "XXXX-Q%d", q);
}

void g_dur(gres *r, double n, int unit, int approx)
{
	r->type = CHR_TIMEX_DURATION;
	const char *t = "", *u = "D";
	double k = n;
	switch (unit) {
	case TU_SEC: t = "T"; u = "S"; break;
	case TU_MIN: t = "T"; u = "M"; break;
	case TU_HOUR: t = "T"; u = "H"; break;
	case TU_DAY: case TU_NIGHT: u = "D"; break;
	case TU_WEEK: u = "W"; break;
	case TU_FORTNIGHT: u = "W"; k = n * 2; break;
	case TU_MONTH: u = "M"; break;
	case TU_QUARTER: u = "Q"; break;
	case TU_YEAR: u = "Y"; break;
	case TU_DECADE: u = approx ? "E" : "Y"; k = n * 10; break;
	case TU_CENTURY: u = approx ? "C" : "Y"; k = n * 100; break;
	case TU_WEEKEND: u = "D"; k = n * 2; break;
	default: break;
	}
	if (approx) {
		snprintf(r->val, sizeof r->val, "P%sX%s", t, u);
		return;
	}
	/* fractions: the whole part, then the rest in the next smaller unit
	 * ("2 1/2 years" = P2Y6M, "half an hour" = PT30M) */
	if (k != (double)(long)k) {
		long w = (long)k;
		double f = k - (double)w;
		const char *su = NULL, *st = "";
		long sn = 0;
		switch (unit) {
		case TU_YEAR: su = "M"; sn = (long)(f * 12 + 0.5); break;
		case TU_MONTH: su = "D"; sn = (long)(f * 30 + 0.5); break;
		case TU_DAY: su = "H"; st = "T"; sn = (long)(f * 24 + 0.5); break;
		case TU_HOUR: su = "M"; sn = (long)(f * 60 + 0.5); break;
		case TU_MIN: su = "S"; sn = (long)(f * 60 + 0.5); break;
		default: break;
		}
		if (su) {
			if (w > 0)
				g_fmt(r->val, sizeof r->val, "P%s%ld%s%s%ld%s", t, w, u, st, sn, su);
			else
				g_fmt(r->val, sizeof r->val, "P%s%s%ld%s", t, st, sn, su);
			return;
		}
	}
	snprintf(r->val, sizeof r->val, "P%s%ld%s", t, (long)k, u);
}

void g_offset(const gctx *g, gres *r, int unit, int k, time_date b)
{
	r->type = CHR_TIMEX_DATE;
	if (b.y <= 0) {
		snprintf(r->val, sizeof r->val, k < 0 ? "PAST_REF" : "FUTURE_REF");
		return;
	}
	(void)g;
	switch (unit) {
	case TU_SEC: case TU_MIN: case TU_HOUR:
		g_day(r, CHR_TIMEX_DATE, b.y, b.m, b.d);
		r->isday = 0;
		return;
	case TU_DAY: case TU_NIGHT: {
		time_date d = time_add_days(b, k);
		g_day(r, CHR_TIMEX_DATE, d.y, d.m, d.d);
		r->isday = 0;
		return;
	}
	case TU_WEEK: case TU_FORTNIGHT: case TU_WEEKEND:
		g_week(r, time_add_days(b, 7L * k * (unit == TU_FORTNIGHT ? 2 : 1)),
		       unit == TU_WEEKEND);
		return;
	case TU_MONTH: {
		time_date d = time_add_months(b, k);
		g_month(r, d.y, d.m);
		return;
	}
	case TU_QUARTER: {
		long q = (long)b.y * 4 + (b.m - 1) / 3 + k;
		g_quarter(r, (int)(q / 4), (int)(q % 4) + 1);
		return;
	}
	case TU_HALF: {
		long h = (long)b.y * 2 + (b.m - 1) / 6 + k;
		snprintf(r->val, sizeof r->val, "%04ld-H%ld", h / 2, h % 2 + 1);
		return;
	}
	case TU_YEAR:
		g_year(r, b.y + k);
		return;
	case TU_DECADE: {
		int dec = b.y / 10 + k;
		snprintf(r->val, sizeof r->val, "%03d", dec < 0 ? 0 : dec % 1000);
		return;
	}
	case TU_CENTURY: {
		int c = b.y / 100 + k;
		snprintf(r->val, sizeof r->val, "%02d", c < 0 ? 0 : c % 100);
		return;
	}
	default:
		g_set(r, CHR_TIMEX_DATE, k < 0 ? "PAST_REF" : "FUTURE_REF");
	}
}

/* ---------------------------------------------------------------- */
/* context                                                            */
/* ---------------------------------------------------------------- */

int g_sent_break(const gctx *g, size_t i)
{
	const time_tok *t = &g->t[i];
	if (t->flags & TF_PARA)
		return 1;
	if (t->kind == TK_PUNCT && (t->ch == '!' || t->ch == '?' || t->ch == ';'))
		return 1;
	if (t->kind == TK_PUNCT && t->ch == '.' && i > 0) {
		const time_tok *p = &g->t[i - 1];
		/* "Nov." and "a.m." are not sentence ends */
		if (p->kind == TK_WORD && (p->lx.cls == LC_MONABBR ||
					   p->lx.cls == LC_WDABBR ||
					   p->e - p->s == 1 ||
					   (p->lx.cls == LC_WORD &&
					    (p->lx.val == W_AM || p->lx.val == W_PM))))
			return 0;
		/* "Mr. Smith", "Roe vs. Wade": titles and "vs." */
		if (p->kind == TK_WORD && p->e - p->s <= 3 &&
		    (g_wordis(g, i - 1, "mr") || g_wordis(g, i - 1, "mrs") ||
		     g_wordis(g, i - 1, "ms") || g_wordis(g, i - 1, "dr") ||
		     g_wordis(g, i - 1, "vs") || g_wordis(g, i - 1, "gov") ||
		     g_wordis(g, i - 1, "sen") || g_wordis(g, i - 1, "rep") ||
		     g_wordis(g, i - 1, "gen") || g_wordis(g, i - 1, "st")))
			return 0;
		return 1;
	}
	return 0;
}

time_date g_ref_near(const gctx *g, size_t i)
{
	for (size_t k = i, steps = 0; k > 0 && steps < 40; steps++) {
		if (g->t[k - 1].e <= g->ref_at)
			return g->ref;
		if (g_sent_break(g, k))
			break;
		k--;
	}
	return g->dct;
}

/* -1 past, +1 future, 0 no evidence, for one token. */
static int tok_tense(const gctx *g, size_t i)
{
	const time_tok *t = &g->t[i];
	if (t->kind != TK_WORD)
		return 0;
	if (t->lx.cls == LC_FUT) {
		/* "the plan", "a set": nouns, not intentions */
		if (i > 0 && (g_word(g, i - 1, W_THE) || g_word(g, i - 1, W_A) ||
			      g_word(g, i - 1, W_AN) || g_word(g, i - 1, W_THIS) ||
			      g_word(g, i - 1, W_THAT)))
			return 0;
		return 1;
	}
	if (t->lx.cls == LC_PAST) {
		/* "were planning to", "was expected to": an intention */
		if (i + 1 < g->n && g->t[i + 1].kind == TK_WORD && g->t[i + 1].lx.cls == LC_FUT &&
		    (g_wordis(g, i, "was") || g_wordis(g, i, "were")))
			return 1;
		return -1;
	}
	/* "is", "are" alone say nothing about a weekday's side ("over
	 * Thursday's close"); they only turn a participle into a future
	 * ("is planned"), which g_tense checks itself */
	if (t->lx.cls == LC_PRES) {
		/* "is to resume trading Tuesday": an arrangement ahead */
		if (g_word(g, i + 1, W_TO) && i + 2 < g->n && g->t[i + 2].kind == TK_WORD &&
		    g->t[i + 2].lx.cls == LC_NONE)
			return 1;
		return 0;
	}
	if (t->lx.cls == LC_WORD) {
		switch (t->lx.val) {
		case W_YESTERDAY: case W_AGO: case W_RECENTLY: case W_PREVIOUSLY:
		case W_EARLIER:
			return -1;
		case W_TOMORROW: case W_SOON: case W_UPCOMING:
			return 1;
		default:
			return 0;
		}
	}
	if (t->lx.cls != LC_NONE)
		return 0;
	size_t n = t->e - t->s;
	const char *w = g->text + t->s;
	if (n > 4 && w[n - 2] == 'e' && w[n - 1] == 'd' && !(t->flags & TF_CAP)) {
		/* "need", "speed", "hundred" are not past forms */
		if (w[n - 3] == 'e' || (n > 6 && memcmp(w + n - 6, "undred", 6) == 0))
			return 0;
		/* "the reduced dividend", "a still unspecified date": an
		 * adjective after a determiner, not a past verb */
		size_t b = i;
		if (b > 0 && g->t[b - 1].kind == TK_WORD &&
		    (g_wordis(g, b - 1, "still") || g_wordis(g, b - 1, "newly") ||
		     g_wordis(g, b - 1, "recently")))
			b--;
		if (b > 0 && (g_word(g, b - 1, W_THE) || g_word(g, b - 1, W_A) ||
			      g_word(g, b - 1, W_AN) || g_wordis(g, b - 1, "its") ||
			      g_wordis(g, b - 1, "their")))
			return 0;
		return -1;
	}
	return 0;
}

/* A quotation mark at k ('"', '``' or "''"): the edge of a quoted clause,
 * whose tense is its own ("We will leave Thursday," he said). */
static int quote_at(const gctx *g, size_t k)
{
	if (g_punct(g, k, '"') || g_punct(g, k, '`'))
		return 1;
	return g_punct(g, k, '\'') &&
	       ((k + 1 < g->n && g_punct(g, k + 1, '\'') && g_adj(g, k + 1)) ||
		(k > 0 && g_punct(g, k - 1, '\'') && g_adj(g, k)));
}

int g_tense(const gctx *g, size_t i, size_t j)
{
	int left = 0, right = 0;
	size_t dl = 99, dr = 99;
	/* "since March": a point in the past whatever the verb */
	if (i > 0 && g_word(g, i - 1, W_SINCE))
		return -1;
	/* left, within the sentence */
	for (size_t k = i, steps = 0; k > 0 && steps < 18; steps++) {
		if (g_sent_break(g, k) || (k < i && quote_at(g, k)))
			break;
		k--;
		int tt = tok_tense(g, k);
		if (tt) {
			left = tt;
			dl = i - k;
			/* "is planned": a participle after a present auxiliary */
			if (tt < 0 && k > 0 && g->t[k - 1].lx.cls == LC_PRES)
				left = 1;
			/* "had been scheduled to", "had planned to": an
			 * intention in the past */
			if (tt > 0 && g->t[k].lx.cls == LC_FUT &&
			    ((k > 0 && g_wordis(g, k - 1, "had")) ||
			     (k > 1 && g_wordis(g, k - 1, "been") && g_wordis(g, k - 2, "had"))))
				left = -1;
			/* "will be held": a past participle after a future */
			if (tt < 0) {
				for (size_t b = k, s2 = 0; b > 0 && s2 < 3; s2++) {
					b--;
					if (tok_tense(g, b) > 0 &&
					    g->t[b].lx.cls == LC_FUT) {
						left = 1;
						break;
					}
				}
			}
			break;
		}
	}
	for (size_t k = j, steps = 0; k < g->n && steps < 16; k++, steps++) {
		if (g_sent_break(g, k) || quote_at(g, k))
			break;
		int tt = tok_tense(g, k);
		if (tt) {
			right = tt;
			dr = k - j + 1;
			break;
		}
	}
	if (!left && !right)
		return 0;
	if (left && (dl <= dr || !right))
		return left;
	return right;
}

/* A deadline given or moved: "until" or "through" just before i (a clock
 * time may stand between: "until 9 a.m. Tuesday"), and before that, in
 * the sentence, a verb of deferral ("postponed until Tuesday", "gave them
 * until Friday", "extended the loan through January"): the day is ahead
 * whatever the tense of that verb. */
static int deferred(const gctx *g, size_t i)
{
	static const char *const verbs[] = {
		"postpon", "delay", "extend", "defer", "adjourn", "gave", "give",
		"grant", "recess", "deadline", "push",
	};
	int until = 0;
	for (size_t k = i, steps = 0; k > 0 && steps < 24; steps++) {
		if (g_sent_break(g, k))
			break;
		k--;
		if (!until) {
			if (g_word(g, k, W_UNTIL) || g_word(g, k, W_THROUGH))
				until = 1;
			else if (steps >= 4)
				return 0;
			continue;
		}
		for (size_t v = 0; v < sizeof verbs / sizeof verbs[0]; v++)
			if (word_match(g, k, verbs[v]))
				return 1;
	}
	return 0;
}

int g_tense_ahead(const gctx *g, size_t i, size_t j)
{
	int t = g_tense(g, i, j);
	if (t <= 0 && deferred(g, i))
		t = 1;
	return t;
}

time_date g_wday(const gctx *g, int wd, int tense)
{
	time_date d = g->dct;
	if (d.y <= 0)
		return d;
	int dw = time_wday(d.y, d.m, d.d);
	long off;
	if (tense > 0 || (tense == 0 && WD_DEFAULT > 0))
		off = (wd - dw + 7) % 7;
	else
		off = -((dw - wd + 7) % 7);
	return time_add_days(d, off);
}

/* Tense moves a date to the neighbouring year only when the same-year
 * reading is clearly on the wrong side of the document date; otherwise
 * the nearest reading wins. */
int g_month_year(const gctx *g, int m, int tense)
{
	if (g->dct.y <= 0)
		return 0;
	int diff = m - g->dct.m;
	if (tense < 0 && diff > MONTH_SLACK)
		return g->dct.y - 1;
	if (tense > 0 && diff < -MONTH_SLACK)
		return g->dct.y + 1;
	if (diff > 6 && tense <= 0)
		return g->dct.y - 1;
	if (diff < -6 && tense >= 0)
		return g->dct.y + 1;
	return g->dct.y;
}

int g_md_year(const gctx *g, int m, int d, int tense)
{
	if (g->dct.y <= 0)
		return 0;
	long z = time_days(g->dct.y, g->dct.m, g->dct.d);
	int y = g->dct.y;
	long diff = time_days(y, m, d) - z;
	if (tense < 0 && diff > DAY_SLACK)
		return y - 1;
	if (tense > 0 && diff < -DAY_SLACK)
		return y + 1;
	if (diff > 183 && tense <= 0)
		return y - 1;
	if (diff < -183 && tense >= 0)
		return y + 1;
	return y;
}

int g_number(const gctx *g, size_t i, size_t *end, int allow_a)
{
	if (i >= g->n)
		return -1;
	const time_tok *t = &g->t[i];
	if (t->kind == TK_NUM) {
		if (t->num < 0 || (t->flags & TF_GROUPED))
			return -1;
		*end = i + 1;
		return t->num;
	}
	int v = g_cls(g, i, LC_NUM);
	if (v >= 0) {
		/* twenty-five, twenty five */
		if (v >= 20 && v % 10 == 0) {
			size_t k = i + 1;
			if (g_punct(g, k, '-') && g_adj(g, k) && g_adj(g, k + 1))
				k++;
			int u = g_cls(g, k, LC_NUM);
			if (k > i && u >= 1 && u <= 9) {
				*end = k + 1;
				return v + u;
			}
		}
		*end = i + 1;
		return v;
	}
	if (allow_a && (g_word(g, i, W_A) || g_word(g, i, W_AN))) {
		/* "a few", "a couple of", "a dozen" */
		if (g_word(g, i + 1, W_FEW)) {
			*end = i + 2;
			return -2;
		}
		if (g_word(g, i + 1, W_COUPLE)) {
			*end = g_word(g, i + 2, W_OF) ? i + 3 : i + 2;
			return 2;
		}
		if (g_word(g, i + 1, W_DOZEN)) {
			*end = i + 2;
			return 12;
		}
		*end = i + 1;
		return 1;
	}
	if (g_word(g, i, W_SEVERAL) || g_word(g, i, W_FEW) || g_word(g, i, W_MANY)) {
		*end = i + 1;
		return -2;
	}
	if (g_word(g, i, W_DOZENS) || g_word(g, i, W_HUNDREDS)) {
		*end = g_word(g, i + 1, W_OF) ? i + 2 : i + 1;
		return -2;
	}
	if (g_word(g, i, W_COUPLE) && g_word(g, i + 1, W_OF)) {
		*end = i + 2;
		return 2;
	}
	return -1;
}

/* ---------------------------------------------------------------- */
/* absolute dates                                                     */
/* ---------------------------------------------------------------- */

/* A month name at i (full, or an abbreviation with '.' or a number
 * after it); *end past the optional dot.  0 when none. */
static int month_at(const gctx *g, size_t i, size_t *end)
{
	int m = g_cls(g, i, LC_MONTH);
	if (m > 0) {
		if (!g_cap(g, i))
			return 0; /* "march", "may" lower-case are verbs */
		*end = g_punct(g, i + 1, '.') && g_adj(g, i + 1) &&
				       g_num(g, i + 2) ? i + 2 : i + 1;
		return m;
	}
	m = g_cls(g, i, LC_MONABBR);
	if (m > 0 && g_cap(g, i)) {
		if (g_punct(g, i + 1, '.') && g_adj(g, i + 1)) {
			*end = i + 2;
			return m;
		}
		if (g_num(g, i + 1)) {
			*end = i + 1;
			return m;
		}
	}
	return 0;
}

/* A day of the month at i ("20", "20th", "21st"); *end after it. */
static int mday_at(const gctx *g, size_t i, size_t *end)
{
	if (!g_num(g, i) || g->t[i].ndig > 2)
		return 0;
	int d = g->t[i].num;
	if (d < 1 || d > 31)
		return 0;
	size_t k = i + 1;
	if (k < g->n && g->t[k].kind == TK_WORD && g_adj(g, k)) {
		if (g_wordis(g, k, "st") || g_wordis(g, k, "nd") ||
		    g_wordis(g, k, "rd") || g_wordis(g, k, "th"))
			k++;
		else
			return 0; /* "20m", "3pm" */
	}
	/* not a time, a ratio or a decimal ("April 25:" before a quote is
	 * still a day) */
	if (g_punct(g, k, ':') && g_adj(g, k) && g_num(g, k + 1) && g_adj(g, k + 1))
		return 0;
	*end = k;
	return d;
}

/* A four-digit year at i. */
static int year_at(const gctx *g, size_t i)
{
	if (!g_num(g, i) || g->t[i].ndig != 4)
		return 0;
	int y = g->t[i].num;
	if (y < 1000 || y > 2199)
		return 0;
	if (i + 1 < g->n && g->t[i + 1].kind == TK_WORD && g_adj(g, i + 1))
		return 0; /* "1990s", "2019th" */
	return y;
}

/* A spoken year, as transcripts write it: "nineteen ninety-six",
 * "eighteen twelve" (a teen word, then a number word of 10 to 99). */
static int spoken_year(const gctx *g, size_t i, size_t *end)
{
	int c = g_cls(g, i, LC_NUM);
	if ((c != 19 && c != 18) || g->t[i + 1 < g->n ? i + 1 : i].kind != TK_WORD)
		return 0;
	size_t e;
	int v = g_number(g, i + 1, &e, 0);
	if (v < 10 || v > 99 || e <= i + 1)
		return 0;
	*end = e;
	return c * 100 + v;
}

int g_year_at(const gctx *g, size_t i, size_t *end)
{
	int y = year_at(g, i);
	if (y) {
		*end = i + 1;
		return y;
	}
	return spoken_year(g, i, end);
}

/* ", 2019" or " 2019" after a date; returns the year and moves *k. */
static int trailing_year(const gctx *g, size_t *k)
{
	size_t j = *k;
	if (g_punct(g, j, ','))
		j++;
	int y = year_at(g, j);
	if (y) {
		*k = j + 1;
		return y;
	}
	/* the apostrophe form: Nov. 20 '19 */
	if (g_punct(g, j, '\'') && g_num(g, j + 1) && g->t[j + 1].ndig == 2 &&
	    g_adj(g, j + 1) && !(j + 2 < g->n && g_adj(g, j + 2) &&
				  g->t[j + 2].kind == TK_WORD)) {
		int yy = g->t[j + 1].num;
		*k = j + 2;
		return yy + (g->dct.y > 0 && 2000 + yy > g->dct.y + 10 ? 1900 : 2000);
	}
	return 0;
}

/* A weekday name (or an abbreviation with '.') at i; *end after it. */
static int wday_at(const gctx *g, size_t i, size_t *end)
{
	int w = g_cls(g, i, LC_WDAY);
	if (w > 0 && g_cap(g, i) && !g_plural(g, i)) {
		*end = i + 1;
		return w;
	}
	w = g_cls(g, i, LC_WDABBR);
	if (w > 0 && g_cap(g, i) && g_punct(g, i + 1, '.') && g_adj(g, i + 1)) {
		*end = i + 2;
		return w;
	}
	return 0;
}

/* Month m, day d, year y (0: resolve by tense over tokens [i, k)) into
 * r; returns k, or 0 when the day does not exist. */
static size_t put_md(const gctx *g, gres *r, size_t i, size_t k, int m, int d, int y)
{
	if (d > time_mdays(y ? y : 2000, m))
		return 0;
	if (!y)
		y = g_md_year(g, m, d, g_tense_ahead(g, i, k));
	g_day(r, CHR_TIMEX_DATE, y, m, d);
	return k;
}

size_t p_date(const gctx *g, size_t i, gres *r)
{
	size_t k = i, e;
	int wd = 0;
	/* "Thursday, April 6" */
	if ((wd = wday_at(g, k, &e)) != 0) {
		k = e;
		if (g_punct(g, k, ','))
			k++;
	}
	int m, d, y;
	size_t start = k;
	/* "April 24 and 25": the second day of the month just named */
	if (!wd && k >= 3 && (g_word(g, k - 1, W_AND) || g_word(g, k - 1, W_OR)) &&
	    (d = mday_at(g, k, &e)) != 0 && mday_at(g, k - 2, &e) != 0 && e == k - 1 &&
	    (m = month_at(g, k - 3, &e)) != 0 && e == k - 2 &&
	    !(k + 1 < g->n && (month_at(g, k + 1, &e) || g_cls(g, k + 1, LC_UNIT) > 0 ||
			       g->t[k + 1].lx.cls == LC_UNITNOUN))) {
		size_t k2 = k + 1;
		y = trailing_year(g, &k2);
		return put_md(g, r, i, k2, m, d, y);
	}
	if ((m = month_at(g, k, &e)) != 0) {
		size_t k2 = e;
		if ((d = mday_at(g, k2, &e)) != 0) {
			k = e;
			y = trailing_year(g, &k);
			/* "April 24 and 25, 2019": the year after the pair */
			size_t k3;
			if (!y && (g_word(g, k, W_AND) || g_word(g, k, W_OR)) &&
			    mday_at(g, k + 1, &k3))
				y = trailing_year(g, &k3);
			return put_md(g, r, i, k, m, d, y);
		}
		if (wd)
			return 0;
		/* "January 2024", "Nov. 2019", "May of 2019" */
		k = e;
		size_t k3 = k;
		if (g_word(g, k3, W_OF))
			k3++;
		size_t ye;
		if ((y = g_year_at(g, k3, &ye)) != 0) {
			g_month(r, y, m);
			return ye;
		}
		if (g_punct(g, k3, ',') && (y = year_at(g, k3 + 1)) != 0) {
			g_month(r, y, m);
			return k3 + 2;
		}
		/* "June last year", "March this year", "May next year" */
		int dir = g_word(g, k, W_LAST) ? -1 : g_word(g, k, W_THIS) ? 0 :
			  g_word(g, k, W_NEXT) ? 1 : 9;
		if (dir != 9 && g_cls(g, k + 1, LC_UNIT) == TU_YEAR &&
		    !g_plural(g, k + 1)) {
			g_month(r, g->dct.y > 0 ? g->dct.y + dir : 0, m);
			return k + 2;
		}
		/* a bare month: "May" needs support */
		if (m == 5 && g_cls(g, i, LC_MONTH) == 5) {
			int ok = 0;
			if (i > 0 && (g_word(g, i - 1, W_IN) || g_word(g, i - 1, W_SINCE) ||
				      g_word(g, i - 1, W_UNTIL) || g_word(g, i - 1, W_EARLY) ||
				      g_word(g, i - 1, W_LATE) || g_word(g, i - 1, W_MID) ||
				      g_word(g, i - 1, W_BY) || g_word(g, i - 1, W_DURING) ||
				      g_word(g, i - 1, W_LAST) || g_word(g, i - 1, W_NEXT) ||
				      g_word(g, i - 1, W_THIS) || g_word(g, i - 1, W_OF) ||
				      g_word(g, i - 1, W_FROM) || g_word(g, i - 1, W_THROUGH) ||
				      g_punct(g, i - 1, '-')))
				ok = 1;
			if (!ok)
				return 0;
		}
		if (g_cls(g, start, LC_MONTH) <= 0)
			return 0; /* "Nov." alone is not enough */
		g_month(r, g_month_year(g, m, g_tense_ahead(g, i, k)), m);
		return k;
	}
	/* "21st Nov, 2019", "16 January 2024", "the 5th of May" */
	k = start;
	if ((d = mday_at(g, k, &e)) != 0) {
		size_t k2 = e;
		if (g_word(g, k2, W_OF))
			k2++;
		if ((m = month_at(g, k2, &e)) == 0) {
			/* "Nov 20" was handled above; "20 Nov" without '.' */
			m = g_cls(g, k2, LC_MONABBR);
			if (m <= 0 || !g_cap(g, k2))
				return 0;
			e = k2 + 1;
		}
		k = e;
		y = trailing_year(g, &k);
		return put_md(g, r, i, k, m, d, y);
	}
	return 0;
}

/* ---------------------------------------------------------------- */
/* numeric dates                                                      */
/* ---------------------------------------------------------------- */

static int valid(int y, int m, int d)
{
	return y >= 1000 && y <= 2199 && m >= 1 && m <= 12 && d >= 1 &&
	       d <= time_mdays(y, m);
}

size_t p_numeric(const gctx *g, size_t i, gres *r)
{
	/* a ≥ 3-part token run joined by one separator, no spaces */
	if (!g_num(g, i) || i + 4 >= g->n)
		return 0;
	const time_tok *t = g->t;
	char sep = t[i + 1].kind == TK_PUNCT ? t[i + 1].ch : 0;
	if ((sep != '-' && sep != '/' && sep != '.') || !g_adj(g, i + 1) ||
	    !g_num(g, i + 2) || !g_adj(g, i + 2) || !g_punct(g, i + 3, sep) ||
	    !g_adj(g, i + 3) || !g_num(g, i + 4) || !g_adj(g, i + 4))
		return 0;
	/* part of a longer run ("1/2/3/4"): not a date */
	if (i + 5 < g->n && g_adj(g, i + 5) &&
	    (t[i + 5].kind == TK_NUM || (t[i + 5].kind == TK_PUNCT &&
					 t[i + 5].ch == sep)))
		return 0;
	if (i + 5 < g->n && g_adj(g, i + 5) && t[i + 5].kind == TK_WORD)
		return 0;
	if (i > 0 && g_adj(g, i) && (t[i - 1].kind == TK_NUM ||
				    (t[i - 1].kind == TK_PUNCT && t[i - 1].ch == sep)))
		return 0;
	int a = t[i].num, b = t[i + 2].num, c = t[i + 4].num;
	int na = t[i].ndig, nb = t[i + 2].ndig, nc = t[i + 4].ndig;
	int y = 0, m = 0, d = 0;
	if (na == 4 && nb <= 2 && nc <= 2) { /* ISO order */
		y = a; m = b; d = c;
	} else if (na <= 2 && nb <= 2 && (nc == 4 || nc == 2) && sep != '.') {
		y = nc == 4 ? c : (c + (c > 50 ? 1900 : 2000));
		int md = valid(y, a, b), dm = valid(y, b, a);
		if (md && dm && a != b) {
			/* ambiguous: the reading nearer the document date,
			 * month first when there is none */
			if (g->dct.y > 0) {
				long z = time_days(g->dct.y, g->dct.m, g->dct.d);
				long x1 = labs(time_days(y, a, b) - z);
				long x2 = labs(time_days(y, b, a) - z);
				md = x1 <= x2;
			}
			if (md) { m = a; d = b; } else { m = b; d = a; }
		} else if (md) {
			m = a; d = b;
		} else if (dm) {
			m = b; d = a;
		}
	} else if (na <= 2 && nb <= 2 && nc == 4 && sep == '.') {
		y = c; m = b; d = a; /* 16.01.2024 */
	}
	if (!valid(y, m, d))
		return 0;
	g_day(r, CHR_TIMEX_DATE, y, m, d);
	return i + 5;
}
