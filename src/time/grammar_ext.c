/*
 * grammar_ext: definite and ordinal units, parts of the day with an
 * article, and "overnight".
 *
 * Design note: these are the TimeML expressions news uses to point at a
 * stretch of time through a noun phrase rather than a name: "for the
 * week", "the day before", "the week of March 6", "the first week of
 * January", "the third day of the talks", "in the morning", "the next
 * evening", "overnight".  Each is only taken in the context that makes it
 * temporal (a preposition before a part of the day, "before"/"after" or a
 * possessive after "the day", a month after "the first week of"), so the
 * same words in "the day belonged to them" or "the morning paper" stay
 * untagged.  Days and parts of days count from the last day the text
 * named in the sentence (g_ref_near), weeks and months from the document.
 */
#include "time/grammar.h"

/* Off by default (build with -DBARE_EVENT=1 to turn it on): measured on
 * TBAQ-cleaned (dev) only, the rule below finds 6-7 more gold extents but
 * their value is that of the event's day, which the text does not give,
 * so none of them has the gold value: relaxed F1 94.42 on / 94.30 off,
 * value F1 81.11 on / 81.29 off (with the rest of round 4; when it was
 * decided: 93.46 / 93.31 and 79.02 / 79.22). */
#ifndef BARE_EVENT
#define BARE_EVENT 0
#endif

static void put_part(gres *r, time_date d, const char *part)
{
	r->type = CHR_TIMEX_TIME;
	if (d.y > 0)
		g_fmt(r->val, sizeof r->val, "%04d-%02d-%02dT%s", d.y, d.m, d.d, part);
	else
		g_fmt(r->val, sizeof r->val, "XXXX-XX-XXT%s", part);
}

/* A capitalised month name at i (abbreviations need their dot); *end
 * after it and after an optional year ("January", "Jan. 2013"); the year
 * in *y (0 when none). */
static int month_year_at(const gctx *g, size_t i, size_t *end, int *y)
{
	int m = g_cls(g, i, LC_MONTH);
	size_t k = i + 1;
	if (m <= 0) {
		m = g_cls(g, i, LC_MONABBR);
		if (m <= 0 || !g_punct(g, i + 1, '.'))
			return 0;
		k = i + 2;
	}
	if (!g_cap(g, i))
		return 0;
	*y = 0;
	size_t j = g_punct(g, k, ',') ? k + 1 : k;
	if (g_num(g, j) && g->t[j].ndig == 4 && g->t[j].num >= 1000 &&
	    g->t[j].num < 2200 && !(j + 1 < g->n && g_adj(g, j + 1) &&
				    g->t[j + 1].kind == TK_WORD)) {
		*y = g->t[j].num;
		k = j + 1;
	}
	*end = k;
	return m;
}

/* The year of month m named without one. */
static int year_for_month(const gctx *g, size_t i, size_t e, int m)
{
	return g_month_year(g, m, g_tense(g, i, e));
}

/* "the first week of January", "the last day of June 2013", "the third
 * day of the talks" (a day counted from an event: the sentence's day). */
static size_t ord_unit(const gctx *g, size_t i, gres *r)
{
	size_t k = i + 1;
	int ord = g_cls(g, k, LC_ORD);
	int last = g_word(g, k, W_LAST) || g_wordis(g, k, "final");
	if (ord <= 0 && !last)
		return 0;
	if (ord > 5 && !(g_cls(g, k + 1, LC_UNIT) == TU_DAY))
		return 0;
	int u = g_cls(g, k + 1, LC_UNIT);
	if ((u != TU_DAY && u != TU_WEEK) || g_plural(g, k + 1))
		return 0;
	size_t j = k + 2;
	if (g_word(g, j, W_OF)) {
		size_t e;
		int y = 0;
		int m = month_year_at(g, j + 1, &e, &y);
		if (m) {
			if (!y)
				y = year_for_month(g, i, e, m);
			int nd = time_mdays(y > 0 ? y : 2001, m);
			if (u == TU_DAY) {
				int d = last ? nd : ord;
				if (d > nd)
					return 0;
				g_day(r, CHR_TIMEX_DATE, y, m, d);
				return e;
			}
			/* the ISO week holding day 7n - 3 (the first: the 4th) */
			int d = last ? nd - 3 : 7 * ord - 3;
			if (d > nd)
				return 0;
			if (y > 0) {
				g_week(r, (time_date){y, m, d}, 0);
			} else {
				r->type = CHR_TIMEX_DATE;
				g_fmt(r->val, sizeof r->val, "XXXX-WXX");
			}
			return e;
		}
	}
	/* "the third day": only days, counted from the event, so the
	 * sentence's day stands in; "the last day" alone is not a date */
	if (u != TU_DAY || last)
		return 0;
	time_date d = g_ref_near(g, i);
	if (d.y <= 0)
		g_set(r, CHR_TIMEX_DATE, "XXXX-XX-XX");
	else
		g_day(r, CHR_TIMEX_DATE, d.y, d.m, d.d);
	r->isday = 0;
	return j;
}

/* A preposition that makes "the morning" a time. */
static int part_prep(const gctx *g, size_t i)
{
	return g_word(g, i, W_IN) || g_word(g, i, W_DURING) ||
	       g_word(g, i, W_THROUGH) || g_word(g, i, W_UNTIL) ||
	       g_word(g, i, W_BY) || g_wordis(g, i, "overnight") ||
	       g_wordis(g, i, "throughout");
}

size_t p_defunit(const gctx *g, size_t i, gres *r)
{
	/* overnight: the night before a past report, else tonight */
	if (g_cls(g, i, LC_PART) == PD_OVERNIGHT) {
		size_t k = i + 1;
		/* "overnight rates", "an overnight stay": a modifier */
		if (k < g->n && g->t[k].kind == TK_WORD && g->t[k].lx.cls == LC_NONE)
			return 0;
		if (i > 0 && (g_word(g, i - 1, W_A) || g_word(g, i - 1, W_AN) ||
			      g_word(g, i - 1, W_THE)))
			return 0;
		time_date d = g_ref_near(g, i);
		if (d.y > 0 && g_tense(g, i, k) < 0)
			d = time_add_days(d, -1);
		put_part(r, d, "NI");
		return k;
	}
	/* "by mid afternoon", "late evening", "mid-afternoon yesterday" */
	if (g_word(g, i, W_MID) || g_word(g, i, W_EARLY) || g_word(g, i, W_LATE)) {
		size_t k = i + 1;
		if (g_punct(g, k, '-') && g_adj(g, k))
			k++;
		int p = g_cls(g, k, LC_PART);
		if ((p == PD_MO || p == PD_AF || p == PD_EV || p == PD_NI) && !g_plural(g, k) &&
		    !(k + 1 < g->n && g->t[k + 1].kind == TK_WORD &&
		      g->t[k + 1].lx.cls == LC_NONE && !(g->t[k + 1].flags & TF_CAP)) &&
		    !(g_punct(g, k + 1, '-') && g_adj(g, k + 1))) {
			time_date d = g_ref_near(g, i);
			k++;
			int off = g_word(g, k, W_YESTERDAY) ? -1 : g_word(g, k, W_TODAY) ? 0 :
				  g_word(g, k, W_TOMORROW) ? 1 : 9;
			if (off != 9) {
				d = g->dct;
				if (d.y > 0)
					d = time_add_days(d, off);
				k++;
			}
			put_part(r, d, g_part_code(p));
			g_fmt(r->mod, sizeof r->mod, "%s", g_word(g, i, W_MID) ? "MID" :
			      g_word(g, i, W_EARLY) ? "START" : "END");
			return k;
		}
	}
	/* "4 in the morning", "at 9 in the evening" */
	if (g_num(g, i) && g->t[i].ndig <= 2 && g->t[i].num >= 1 && g->t[i].num <= 12 &&
	    g_word(g, i + 1, W_IN) && g_word(g, i + 2, W_THE)) {
		int p = g_cls(g, i + 3, LC_PART);
		if ((p == PD_MO || p == PD_AF || p == PD_EV || p == PD_NI) &&
		    !g_plural(g, i + 3) && !(i > 0 && g_punct(g, i - 1, '$'))) {
			int hh = g->t[i].num;
			if (p == PD_MO && hh == 12)
				hh = 0;
			else if (p != PD_MO && hh < 12 && !(p == PD_NI && hh < 5))
				hh += 12;
			time_date d = g_ref_near(g, i);
			r->type = CHR_TIMEX_TIME;
			if (d.y > 0)
				g_fmt(r->val, sizeof r->val, "%04d-%02d-%02dT%02d:00",
				      d.y, d.m, d.d, hh);
			else
				g_fmt(r->val, sizeof r->val, "XXXX-XX-XXT%02d:00", hh);
			return i + 4;
		}
	}
	/* "at dawn", "before dawn", "by dusk" */
	if (g_cls(g, i, LC_PART) == PD_DAWN || g_cls(g, i, LC_PART) == PD_DUSK) {
		if (!(i > 0 && (g_word(g, i - 1, W_AT) || g_word(g, i - 1, W_BEFORE) ||
				g_word(g, i - 1, W_AFTER) || g_word(g, i - 1, W_BY) ||
				g_word(g, i - 1, W_UNTIL) || g_word(g, i - 1, W_FROM))) ||
		    (g_punct(g, i + 1, '-') && g_adj(g, i + 1)))
			return 0;
		put_part(r, g_ref_near(g, i), g_cls(g, i, LC_PART) == PD_DUSK ? "EV" : "MO");
		return i + 1;
	}
	/* a bare plural unit counted from an event: "days later", "weeks
	 * after the vote".  TimeBank marks these as dates at the
	 * granularity of the stretch they fall in ("1998-10"): the month of
	 * the day in view for hours, days and weeks, its year for months
	 * and years; longer units are left alone. */
	if (BARE_EVENT && g_cls(g, i, LC_UNIT) > 0 && g_plural(g, i) &&
	    (g_word(g, i + 1, W_LATER) || g_word(g, i + 1, W_EARLIER) ||
	     g_word(g, i + 1, W_AFTER) || g_word(g, i + 1, W_BEFORE)) &&
	    !(i > 0 && (g->t[i - 1].kind == TK_NUM || g_cls(g, i - 1, LC_NUM) >= 0 ||
			g_word(g, i - 1, W_SEVERAL) || g_word(g, i - 1, W_FEW) ||
			g_word(g, i - 1, W_MANY) || g_word(g, i - 1, W_DOZENS) ||
			g_word(g, i - 1, W_HUNDREDS) || g_word(g, i - 1, W_COUPLE) ||
			g_cls(g, i - 1, LC_ORD) >= 0 || g_word(g, i - 1, W_FIRST) ||
			g_word(g, i - 1, W_THESE) || g_word(g, i - 1, W_THOSE)))) {
		int u = g_cls(g, i, LC_UNIT);
		if (u == TU_HALF || u == TU_WEEKEND || u == TU_NIGHT ||
		    u == TU_QUARTER || u > TU_YEAR)
			return 0;
		time_date d = g_ref_near(g, i);
		if (d.y <= 0)
			return 0;
		if (u <= TU_FORTNIGHT)
			g_month(r, d.y, d.m);
		else
			g_year(r, d.y);
		return i + 1;
	}
	int that = g_word(g, i, W_THAT);
	if (!g_word(g, i, W_THE) && !that)
		return 0;
	/* the days ahead, the weeks to come */
	if (!that && g_cls(g, i + 1, LC_UNIT) > 0 && g_plural(g, i + 1) &&
	    (g_word(g, i + 2, W_AHEAD) ||
	     (g_word(g, i + 2, W_TO) && g_wordis(g, i + 3, "come")))) {
		int u = g_cls(g, i + 1, LC_UNIT);
		if (u == TU_HALF || u == TU_WEEKEND || u == TU_NIGHT)
			return 0;
		g_dur(r, 0, u, 1);
		return g_word(g, i + 2, W_AHEAD) ? i + 3 : i + 4;
	}
	if (!that) {
		size_t e = ord_unit(g, i, r);
		if (e)
			return e;
	}
	size_t k = i + 1;
	int step = 0;
	if (!that && (g_word(g, k, W_NEXT) || g_word(g, k, W_FOLLOWING))) {
		step = 1;
		k++;
	} else if (!that && (g_word(g, k, W_PREVIOUS) || g_word(g, k, W_PRIOR))) {
		step = -1;
		k++;
	}
	/* parts of the day: "in the morning", "that night", "the next
	 * evening" */
	int pd = g_cls(g, k, LC_PART);
	const char *part = pd > 0 && !g_plural(g, k) ? g_part_code(pd) : NULL;
	if (part && pd != PD_OVERNIGHT) {
		if (!(that || step || (i > 0 && part_prep(g, i - 1)) ||
		      (g_word(g, k + 1, W_BEFORE) && k + 2 < g->n &&
		       g->t[k + 2].kind == TK_PUNCT)))
			return 0;
		/* "the night of Oct. 23": that date's part is the date's */
		if (g_word(g, k + 1, W_OF))
			return 0;
		time_date d = g_ref_near(g, i);
		size_t e = k + 1;
		/* "the night before": the evening before the day in view */
		if (!that && !step && g_word(g, e, W_BEFORE) && e + 1 < g->n &&
		    g->t[e + 1].kind == TK_PUNCT) {
			step = -1;
			e++;
		}
		if (d.y > 0 && step)
			d = time_add_days(d, step);
		put_part(r, d, part);
		return e;
	}
	if (that || step)
		return 0;
	int u = g_cls(g, k, LC_UNIT);
	if (u <= 0 || g_plural(g, k))
		return 0;
	if (u != TU_DAY && u != TU_WEEK && u != TU_MONTH)
		return 0;
	size_t j = k + 1;
	/* the day before, the week after */
	if ((g_word(g, j, W_BEFORE) || g_word(g, j, W_AFTER)) &&
	    !(i > 0 && g_word(g, i - 1, W_IN))) {
		int dir = g_word(g, j, W_BEFORE) ? -1 : 1;
		time_date base = g_ref_near(g, i);
		size_t end = j + 1;
		/* "the day before last Tuesday": counted from that day */
		gres d2;
		memset(&d2, 0, sizeof d2);
		size_t e2 = j + 1 < g->n ? g_core(g, j + 1, &d2) : 0;
		if (e2 && d2.isday && d2.day.y > 0) {
			base = d2.day;
			end = e2;
		} else if (i > 1 && g_punct(g, i - 1, ',') && g->ref_at &&
			   g->t[i - 2].e == g->ref_at) {
			/* "Oct. 12, the day before the crash": the same day */
			dir = 0;
		}
		if (base.y <= 0)
			return 0;
		if (u == TU_DAY) {
			time_date d = time_add_days(base, dir);
			g_day(r, CHR_TIMEX_DATE, d.y, d.m, d.d);
			r->isday = 0;
		} else {
			g_offset(g, r, u, dir, base);
		}
		return end;
	}
	if (u == TU_DAY)
		return 0;
	/* the week of March 6 */
	if (u == TU_WEEK && g_word(g, j, W_OF)) {
		gres d;
		memset(&d, 0, sizeof d);
		size_t e = p_date(g, j + 1, &d);
		if (e && d.isday) {
			g_week(r, d.day, 0);
			return e;
		}
		return 0;
	}
	/* "for the week", "the month's": the current one */
	if (g_word(g, j, W_OF) || (g_punct(g, j, '-') && g_adj(g, j)))
		return 0;
	if (g->dct.y <= 0)
		return 0;
	g_offset(g, r, u, 0, g->dct);
	return j;
}
