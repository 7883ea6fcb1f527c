/*
 * grammar_rel: relative expressions, durations, sets, quarters and
 * holidays.
 *
 * Design note: TimeML's conventions decide the extents and the types:
 * "last week" is a DATE (the previous ISO week), "the past week" is a
 * DURATION (P1W), "a week ago" is a DATE again (the DCT week minus one);
 * determiners and "ago"/"earlier"/"later" belong to the expression.
 * Offsets keep the granularity of the unit that was named ("two months
 * ago" is a month, "three days ago" a day).  Expressions that count from
 * an event rather than from the document ("the next day", "the following
 * week") use the last day the text named.
 */
#include "time/grammar.h"

#ifndef BARE_ANY
#define BARE_ANY 0
#endif

/* Season of a month: 1 SP, 2 SU, 3 FA, 4 WI. */
static int season_of(int m)
{
	if (m >= 3 && m <= 5)
		return SE_SP;
	if (m >= 6 && m <= 8)
		return SE_SU;
	if (m >= 9 && m <= 11)
		return SE_FA;
	return SE_WI;
}

static const char *season_code(int s)
{
	static const char *c[] = {"", "SP", "SU", "FA", "WI"};
	return s >= 1 && s <= 4 ? c[s] : "SU";
}

/* Seasons are counted on one axis, 4 per year, winter last and
 * belonging to the year it starts in (December). */
static void put_season(const gctx *g, gres *r, int s, int dir, int tense)
{
	r->type = CHR_TIMEX_DATE;
	if (g->dct.y <= 0) {
		snprintf(r->val, sizeof r->val, "XXXX-%s", season_code(s));
		return;
	}
	int cs = season_of(g->dct.m);
	long cur = (long)(g->dct.m <= 2 ? g->dct.y - 1 : g->dct.y) * 4 + (cs - 1);
	long x = (long)g->dct.y * 4 + (s - 1); /* "this": the DCT's year */
	if (s == cs)
		x = cur;
	if (dir < 0 || (dir == 0 && tense < 0 && x > cur)) {
		x = cur - 1;
		while ((x % 4) + 1 != s)
			x--;
		if (dir == 0 && s == cs)
			x = cur;
	} else if (dir > 0 || (dir == 0 && tense > 0 && x < cur)) {
		x = cur + 1;
		while ((x % 4) + 1 != s)
			x++;
	}
	snprintf(r->val, sizeof r->val, "%04ld-%s", x / 4, season_code(s));
}

/* The quarter a report made on dct most likely means by "the quarter". */
static void recent_quarter(const gctx *g, gres *r, int yoff)
{
	if (g->dct.y <= 0) {
		g_set(r, CHR_TIMEX_DATE, "XXXX-QX");
		return;
	}
	int y;
	int q = g_view_quarter(g, &y);
	g_quarter(r, y + yoff, q);
}

/* ---------------------------------------------------------------- */
/* relative determiner + unit / name                                  */
/* ---------------------------------------------------------------- */

enum { D_NONE, D_LAST, D_NEXT, D_THIS, D_PAST, D_COMING, D_PREV, D_FOLLOW,
       D_RECENT, D_SAME, D_THAT, D_FIRST };

static int det_at(const gctx *g, size_t i)
{
	if (g_word(g, i, W_LAST)) return D_LAST;
	if (g_word(g, i, W_NEXT)) return D_NEXT;
	if (g_word(g, i, W_THIS) || g_word(g, i, W_CURRENT)) return D_THIS;
	if (g_word(g, i, W_PAST)) return D_PAST;
	if (g_word(g, i, W_COMING) || g_word(g, i, W_UPCOMING)) return D_COMING;
	if (g_word(g, i, W_PREVIOUS) || g_word(g, i, W_PRIOR)) return D_PREV;
	if (g_word(g, i, W_FOLLOWING)) return D_FOLLOW;
	if (g_word(g, i, W_RECENT)) return D_RECENT;
	if (g_word(g, i, W_SAME)) return D_SAME;
	if (g_word(g, i, W_THAT)) return D_THAT;
	if (g_word(g, i, W_FIRST)) return D_FIRST;
	return D_NONE;
}

size_t p_rel(const gctx *g, size_t i, gres *r)
{
	size_t k = i;
	int the = 0;
	if (g_word(g, k, W_THE)) {
		the = 1;
		k++;
	}
	/* "the winter of 1994", "summer 1998": a season of a year */
	int se = g_cls(g, k, LC_SEASON);
	if (se > 0 && !g_plural(g, k) &&
	    (the || g_cap(g, k) || (i > 0 && (g_word(g, i - 1, W_IN) || g_word(g, i - 1, W_BY) ||
					      g_word(g, i - 1, W_SINCE) || g_word(g, i - 1, W_UNTIL) ||
					      g_word(g, i - 1, W_DURING) || g_word(g, i - 1, W_OF))))) {
		size_t j = k + 1, ye;
		if (g_word(g, j, W_OF))
			j++;
		else if (g_punct(g, j, ','))
			j++;
		int y = j < g->n ? g_year_at(g, j, &ye) : 0;
		if (y) {
			r->type = CHR_TIMEX_DATE;
			snprintf(r->val, sizeof r->val, "%04d-%s", y, season_code(se));
			return ye;
		}
	}
	/* "in the summer", "by fall": a season resolved by tense */
	if (se > 0 && !g_plural(g, k) && (the || (i > 0 && (g_word(g, i - 1, W_IN) ||
							   g_word(g, i - 1, W_EARLY) ||
							   g_word(g, i - 1, W_LATE) ||
							   g_word(g, i - 1, W_MID) ||
							   g_word(g, i - 1, W_BY) ||
							   g_word(g, i - 1, W_SINCE) ||
							   g_word(g, i - 1, W_UNTIL) ||
							   g_word(g, i - 1, W_DURING)))) &&
	    !g_word(g, k + 1, W_OF) && !(k + 1 < g->n && g->t[k + 1].kind == TK_WORD &&
					  g->t[k + 1].lx.cls == LC_NONE &&
					  !(g->t[k + 1].flags & TF_CAP))) {
		put_season(g, r, se, 0, g_tense(g, i, k + 1));
		return k + 1;
	}
	int det = det_at(g, k);
	/* "this past weekend" */
	if (det == D_THIS && g_word(g, k + 1, W_PAST)) {
		det = D_LAST;
		k++;
	}
	if (det == D_NONE) {
		if (!the)
			return 0;
		/* the N months, the weekend, the quarter (e is set by
		 * g_number only for a number; u is read before nv is tested) */
		size_t e = k;
		int nv = g_number(g, k, &e, 0);
		int u = g_cls(g, e, LC_UNIT);
		if (nv != -1 && e > k && u > 0 && u != TU_HALF &&
		    (g_plural(g, e) == (nv != 1)) && !g_word(g, e + 1, W_OLD) &&
		    !g_word(g, e + 1, W_AGO)) {
			g_dur(r, nv, u, nv < 0);
			return e + 1;
		}
		u = g_cls(g, k, LC_UNIT);
		if (u == TU_WEEKEND && !g_plural(g, k)) {
			time_date d = g->dct;
			if (d.y > 0) {
				int dw = time_wday(d.y, d.m, d.d);
				int t = g_tense(g, i, k + 1);
				if (t < 0 && dw < 6)
					d = time_add_days(d, -7);
			}
			g_week(r, d, 1);
			return k + 1;
		}
		if (u == TU_QUARTER && !g_plural(g, k)) {
			/* "the quarter a year ago": the same quarter before */
			if (g_word(g, k + 1, W_A) && g_cls(g, k + 2, LC_UNIT) == TU_YEAR &&
			    !g_plural(g, k + 2) &&
			    (g_word(g, k + 3, W_AGO) || g_word(g, k + 3, W_EARLIER))) {
				recent_quarter(g, r, -1);
				return k + 4;
			}
			recent_quarter(g, r, 0);
			return k + 1;
		}
		return 0;
	}
	size_t j = k + 1;
	/* "next fiscal year", "the current fiscal year": the year */
	int fiscal = 0;
	if (g_word(g, j, W_FISCAL) && g_cls(g, j + 1, LC_UNIT) == TU_YEAR &&
	    !g_plural(g, j + 1)) {
		fiscal = 1;
		j++;
	}
	/* determiner + number + unit: a duration */
	if (det == D_PAST || det == D_LAST || det == D_NEXT || det == D_COMING ||
	    det == D_PREV || det == D_FOLLOW || det == D_FIRST || det == D_RECENT) {
		size_t e;
		int nv = g_number(g, j, &e, 0);
		if (nv != -1 && e > j) {
			int u = g_cls(g, e, LC_UNIT);
			if (u > 0 && u != TU_HALF && u != TU_WEEKEND &&
			    (g_plural(g, e) || nv == 1)) {
				g_dur(r, nv, u, nv < 0);
				return e + 1;
			}
			return 0;
		}
	}
	if (det == D_FIRST)
		return 0;
	int u = g_cls(g, j, LC_UNIT);
	int pl = g_plural(g, j);
	if (u > 0 && u != TU_HALF && u != TU_NIGHT) {
		if (pl) {
			/* recent weeks, the coming months, the past few years */
			if (det == D_RECENT || det == D_COMING || det == D_PAST ||
			    det == D_NEXT || det == D_LAST) {
				if (det != D_RECENT && det != D_COMING && !the)
					return 0;
				/* "in recent years": TimeBank's past reference */
				if (det == D_RECENT && u == TU_YEAR) {
					g_set(r, CHR_TIMEX_DATE, "PAST_REF");
					return j + 1;
				}
				g_dur(r, 0, u, 1);
				return j + 1;
			}
			return 0;
		}
		time_date base = g->dct;
		int k2 = 99;
		switch (det) {
		case D_THIS: k2 = 0; break;
		case D_LAST: k2 = the ? 100 : -1; break;
		case D_NEXT: k2 = the ? (u == TU_DAY ? 1 : 100) : 1; break;
		case D_PAST: case D_COMING: k2 = 100; break;
		case D_PREV: k2 = -1; base = g->ref; break;
		case D_FOLLOW: k2 = 1; base = g->ref; break;
		case D_SAME: case D_THAT: k2 = 0; base = g->ref; break;
		case D_RECENT: return 0;
		default: return 0;
		}
		if (det == D_NEXT && the && u == TU_DAY)
			base = g->ref;
		/* "that year", "the following month": a month or year named
		 * after the last day named is the nearer anchor */
		if ((det == D_PREV || det == D_FOLLOW || det == D_SAME || det == D_THAT) &&
		    g->pref_at > g->ref_at && g->pref.y > 0 &&
		    (u == TU_YEAR || (u == TU_MONTH && g->pref.m > 0)))
			base = (time_date){g->pref.y, g->pref.m > 0 ? g->pref.m : 1, 1};
		if (k2 == 100 && fiscal)
			k2 = det == D_NEXT || det == D_COMING ? 1 : -1;
		if (k2 == 100) {
			/* the past week, the next year: a duration */
			if (u == TU_DAY && det != D_PAST)
				return 0;
			g_dur(r, 1, u, 0);
			return j + 1;
		}
		if ((det == D_SAME || det == D_THAT) && u != TU_DAY && u != TU_YEAR &&
		    u != TU_MONTH && u != TU_WEEK)
			return 0;
		if (det == D_THAT && !(u == TU_DAY || u == TU_YEAR))
			return 0;
		if (u == TU_DAY && (det == D_THIS || det == D_LAST || det == D_NEXT) && !the)
			return 0; /* "this day", "last day" */
		if (u == TU_DAY) {
			if (base.y <= 0)
				return 0;
			time_date d = time_add_days(base, k2);
			g_day(r, CHR_TIMEX_DATE, d.y, d.m, d.d);
			r->isday = 0;
			size_t e = j + 1;
			return e;
		}
		g_offset(g, r, u, k2, base);
		return j + 1;
	}
	/* determiner + month name */
	int m = g_cls(g, j, LC_MONTH);
	if (m > 0 && g_cap(g, j) && !the) {
		if (g->dct.y <= 0) {
			g_month(r, 0, m);
			return j + 1;
		}
		int y = g->dct.y;
		if (det == D_LAST || det == D_PAST || det == D_PREV)
			y = m < g->dct.m ? y : y - 1;
		else if (det == D_NEXT || det == D_COMING)
			y = m > g->dct.m ? y : y + 1;
		else if (det != D_THIS)
			return 0;
		g_month(r, y, m);
		return j + 1;
	}
	/* determiner + weekday */
	int wd = g_cls(g, j, LC_WDAY);
	/* "the previous Friday", "the following Monday": from the day in
	 * view (the last day named), not from the document date */
	if (wd > 0 && g_cap(g, j) && !g_plural(g, j) && the &&
	    (det == D_PREV || det == D_FOLLOW)) {
		time_date b = g->ref;
		if (b.y <= 0)
			return 0;
		int bw = time_wday(b.y, b.m, b.d);
		int off = det == D_PREV ? -((bw - wd + 7) % 7) : (wd - bw + 7) % 7;
		if (!off)
			off = det == D_PREV ? -7 : 7;
		time_date d = time_add_days(b, off);
		g_day(r, CHR_TIMEX_DATE, d.y, d.m, d.d);
		return j + 1;
	}
	if (wd > 0 && g_cap(g, j) && !g_plural(g, j) && !the) {
		time_date d;
		if (g->dct.y <= 0)
			return 0;
		int dw = time_wday(g->dct.y, g->dct.m, g->dct.d);
		if (det == D_LAST || det == D_PAST) {
			int off = (dw - wd + 7) % 7;
			d = time_add_days(g->dct, -(off ? off : 7));
		} else if (det == D_NEXT || det == D_COMING) {
			int off = (wd - dw + 7) % 7;
			d = time_add_days(g->dct, off ? off : 7);
		} else if (det == D_THIS) {
			d = g_wday(g, wd, g_tense(g, i, j + 1));
		} else {
			return 0;
		}
		g_day(r, CHR_TIMEX_DATE, d.y, d.m, d.d);
		size_t e = j + 1;
		int pd = g_cls(g, e, LC_PART);
		if (pd == PD_MO || pd == PD_AF || pd == PD_EV || pd == PD_NI) {
			static const char *pc[] = {"", "MO", "AF", "EV", "NI"};
			r->type = CHR_TIMEX_TIME;
			snprintf(r->val, sizeof r->val, "%04d-%02d-%02dT%s", d.y, d.m,
				 d.d, pc[pd]);
			e++;
		}
		return e;
	}
	/* determiner + season */
	int s = g_cls(g, j, LC_SEASON);
	if (s > 0 && !g_plural(g, j)) {
		int dir = det == D_LAST || det == D_PAST || det == D_PREV ? -1 :
			  det == D_NEXT || det == D_COMING ? 1 : det == D_THIS ? 0 : 9;
		if (dir == 9)
			return 0;
		put_season(g, r, s, dir, g_tense(g, i, j + 1));
		return j + 1;
	}
	/* "the recent past" */
	if (det == D_RECENT && the && g_word(g, j, W_PAST)) {
		g_set(r, CHR_TIMEX_DATE, "PAST_REF");
		return j + 1;
	}
	return 0;
}

/* ---------------------------------------------------------------- */
/* durations and "N units ago"                                        */
/* ---------------------------------------------------------------- */

size_t p_duration(const gctx *g, size_t i, gres *r)
{
	size_t k = i, e;
	double nv;
	int approx = 0;
	/* half an hour, half a century */
	if (g_cls(g, k, LC_UNIT) == TU_HALF && (g_word(g, k + 1, W_A) ||
						 g_word(g, k + 1, W_AN))) {
		nv = 0.5;
		e = k + 2;
	} else {
		int v = g_number(g, k, &e, 1);
		if (v == -1)
			goto bare;
		if (v == -2)
			approx = 1;
		nv = v;
		/* one and a half years */
		if (v >= 0 && g_word(g, e, W_AND) && g_word(g, e + 1, W_A) &&
		    g_cls(g, e + 2, LC_UNIT) == TU_HALF) {
			nv += 0.5;
			e += 3;
		}
		/* 2 1/2 years, 3 3/4 hours */
		if (v >= 0 && g->t[k].kind == TK_NUM && g_num(g, e) && !g_adj(g, e) &&
		    g_punct(g, e + 1, '/') && g_adj(g, e + 1) && g_num(g, e + 2) &&
		    g_adj(g, e + 2) && (g->t[e + 2].num == 2 || g->t[e + 2].num == 4) &&
		    g->t[e].num >= 1 && g->t[e].num < g->t[e + 2].num) {
			nv += (double)g->t[e].num / g->t[e + 2].num;
			e += 3;
		}
	}
	/* "two more weeks", "an additional year" */
	if (g_cls(g, e + 1, LC_UNIT) > 0 &&
	    (g_word(g, e, W_MORE) || g_wordis(g, e, "additional") ||
	     g_wordis(g, e, "further") || g_wordis(g, e, "extra")))
		e++;
	/* "eight trading days", "three business days" */
	if (g_cls(g, e + 1, LC_UNIT) == TU_DAY &&
	    (g_wordis(g, e, "trading") || g_wordis(g, e, "business") ||
	     g_wordis(g, e, "working")))
		e++;
	int hyph = 0;
	if (g_punct(g, e, '-') && g_adj(g, e) && g_adj(g, e + 1)) {
		hyph = 1;
		e++;
	}
	int u = g_cls(g, e, LC_UNIT);
	if (u <= 0 || u == TU_HALF)
		return 0;
	int a_form = g_word(g, i, W_A) || g_word(g, i, W_AN);
	int pl = g_plural(g, e);
	if (hyph && pl)
		return 0;
	/* "a year-earlier loss": a comparison, not a duration */
	if (!hyph && g_punct(g, e + 1, '-') && g_adj(g, e + 1) &&
	    (g_word(g, e + 2, W_EARLIER) || g_word(g, e + 2, W_AGO)))
		return 0;
	/* "a five year low", "a two day rally": a number word and a
	 * singular unit before a noun, the spoken form of "five-year";
	 * "2 year" in digits is left alone */
	if (!hyph && !approx && nv > 1 && !pl && g_cls(g, k, LC_NUM) > 1 &&
	    e + 1 < g->n && g->t[e + 1].kind == TK_WORD && g->t[e + 1].lx.cls == LC_NONE &&
	    !(g->t[e + 1].flags & TF_CAP))
		hyph = 1;
	if (!hyph && !approx && nv > 1 && !pl)
		return 0; /* "two day" is rare; "2 year" is usually adjectival */
	if (!hyph && nv == 1 && pl)
		return 0;
	if (u == TU_SEC && a_form)
		return 0; /* "a second term" */
	if (u == TU_QUARTER && g_word(g, e + 1, W_OF))
		return 0; /* "a quarter of" */
	/* ages: "five-year-old", "30 years old" */
	if (g_word(g, e + 1, W_OLD) ||
	    (g_punct(g, e + 1, '-') && g_word(g, e + 2, W_OLD)))
		return 0;
	/* rates: "$5 a day", "100 barrels a day" */
	if (a_form && i > 0 && !g_word(g, e + 1, W_AGO) && !g_word(g, e + 1, W_EARLIER) &&
	    !g_word(g, e + 1, W_LATER) && (g->t[i - 1].kind == TK_NUM ||
				g->t[i - 1].lx.cls == LC_UNITNOUN ||
				(g_cls(g, i - 1, LC_UNIT) > 0 && g_plural(g, i - 1)) ||
				g_word(g, i - 1, W_TIMES) || g_word(g, i - 1, W_ONCE) ||
				g_word(g, i - 1, W_TWICE)))
		return 0;
	/* a decade, a century: fine; "a day" alone is a duration too */
	size_t end = e + 1;
	if (hyph) {
		/* "decades-long", "three-day-long" */
		if (g_punct(g, end, '-') && g_word(g, end + 1, W_LONG))
			end += 2;
		g_dur(r, nv, u, approx);
		return end;
	}
	/* a year and a half */
	if (nv >= 1 && !approx && g_word(g, end, W_AND) && g_word(g, end + 1, W_A) &&
	    g_cls(g, end + 2, LC_UNIT) == TU_HALF) {
		nv += 0.5;
		end += 3;
	}
	int n = (int)nv;
	if (g_word(g, end, W_AGO) || g_word(g, end, W_EARLIER) ||
	    g_word(g, end, W_LATER) || g_word(g, end, W_HENCE) ||
	    (g_word(g, end, W_FROM) && g_word(g, end + 1, W_NOW)) ||
	    (g_word(g, end, W_BEFORE) && end + 1 < g->n &&
	     g->t[end + 1].kind == TK_PUNCT)) {
		int back = !(g_word(g, end, W_LATER) || g_word(g, end, W_HENCE) ||
			     g_word(g, end, W_FROM));
		time_date base = g->dct;
		if ((g_word(g, end, W_EARLIER) || g_word(g, end, W_LATER) ||
		     g_word(g, end, W_BEFORE)) && (u == TU_DAY || u == TU_WEEK ||
						    u == TU_HOUR || u == TU_MIN))
			base = g->ref;
		size_t stop = end + (g_word(g, end, W_FROM) ? 2 : 1);
		if (approx || nv != (double)n) {
			g_set(r, CHR_TIMEX_DATE, back ? "PAST_REF" : "FUTURE_REF");
			return stop;
		}
		if (u == TU_HOUR || u == TU_MIN || u == TU_SEC) {
			g_day(r, CHR_TIMEX_DATE, base.y, base.m, base.d);
			if (base.y <= 0)
				g_set(r, CHR_TIMEX_DATE, back ? "PAST_REF" : "FUTURE_REF");
			r->isday = 0;
			return stop;
		}
		g_offset(g, r, u, back ? -n : n, base);
		if (u == TU_DECADE && g->dct.y > 0) {
			/* "a decade ago": the year, at decade resolution */
			snprintf(r->val, sizeof r->val, "%03d", (base.y - (back ? 10 : -10) * n) / 10);
		}
		return stop;
	}
	if (u == TU_NIGHT && !pl)
		return 0;
	g_dur(r, nv, u, approx);
	return end;
bare:
	/* a bare plural unit: "for years", "in days", "years ago" */
	u = g_cls(g, k, LC_UNIT);
	if (u <= 0 || !g_plural(g, k) || u == TU_WEEKEND || u == TU_NIGHT ||
	    u == TU_QUARTER)
		return 0;
	if (g_word(g, k + 1, W_AGO)) {
		g_set(r, CHR_TIMEX_DATE, "PAST_REF");
		return k + 2;
	}
	if (BARE_ANY && !g_word(g, k + 1, W_OF) && !g_word(g, k + 1, W_AND) &&
	    !g_word(g, k + 1, W_OR) && !(k > 0 && g->t[k - 1].kind == TK_WORD &&
					  g->t[k - 1].lx.cls == LC_NONE)) {
		g_dur(r, 0, u, 1);
		return k + 1;
	}
	if (k > 0 && (g_word(g, k - 1, W_FOR) || g_word(g, k - 1, W_WITHIN) ||
		      (g_word(g, k - 1, W_IN) && !g_word(g, k + 1, W_OF)) ||
		      g_word(g, k - 1, W_OVER) || g_word(g, k - 1, W_THAN) ||
		      (g_word(g, k - 1, W_AFTER) && g_word(g, k + 1, W_OF)))) {
		if (g_word(g, k + 1, W_AND) || g_word(g, k + 1, W_OR))
			return 0; /* "weeks or months": one span we do not model */
		g_dur(r, 0, u, 1);
		return k + 1;
	}
	return 0;
}

/* ---------------------------------------------------------------- */
/* sets                                                               */
/* ---------------------------------------------------------------- */

static void put_set_unit(gres *r, int u, int n)
{
	r->type = CHR_TIMEX_SET;
	switch (u) {
	case TU_SEC: snprintf(r->val, sizeof r->val, "PT%dS", n); break;
	case TU_MIN: snprintf(r->val, sizeof r->val, "PT%dM", n); break;
	case TU_HOUR: snprintf(r->val, sizeof r->val, "PT%dH", n); break;
	case TU_WEEK: snprintf(r->val, sizeof r->val, "P%dW", n); break;
	case TU_FORTNIGHT: snprintf(r->val, sizeof r->val, "P%dW", 2 * n); break;
	case TU_MONTH: snprintf(r->val, sizeof r->val, "P%dM", n); break;
	case TU_QUARTER: snprintf(r->val, sizeof r->val, "P%dM", 3 * n); break;
	case TU_YEAR: snprintf(r->val, sizeof r->val, "P%dY", n); break;
	case TU_DECADE: snprintf(r->val, sizeof r->val, "P%dY", 10 * n); break;
	case TU_CENTURY: snprintf(r->val, sizeof r->val, "P%dY", 100 * n); break;
	case TU_WEEKEND: snprintf(r->val, sizeof r->val, "XXXX-WXX-WE"); break;
	default: snprintf(r->val, sizeof r->val, "P%dD", n); break;
	}
}

size_t p_set(const gctx *g, size_t i, gres *r)
{
	size_t k = i;
	int lu = g_cls(g, k, LC_LY);
	if (lu > 0) {
		/* "China Daily" is a name; sentence-initial capitals are fine */
		if (g_cap(g, k) && k > 0 && !(g->t[k].flags & TF_NL) &&
		    !(g->t[k - 1].kind == TK_PUNCT && (g->t[k - 1].ch == '.' ||
							g->t[k - 1].ch == '"')))
			return 0;
		if (lu == TU_NIGHT) {
			g_set(r, CHR_TIMEX_SET, "XXXX-XX-XXTNI");
			return k + 1;
		}
		put_set_unit(r, lu == TU_QUARTER ? TU_MONTH : lu, lu == TU_QUARTER ? 3 : 1);
		return k + 1;
	}
	if (g_word(g, k, W_EVERY) || g_word(g, k, W_EACH)) {
		size_t j = k + 1;
		int n = 1;
		if (g_word(g, j, W_OTHER)) {
			n = 2;
			j++;
		} else {
			size_t e;
			int v = g_number(g, j, &e, 0);
			if (v > 0 && e > j && g_plural(g, e)) {
				n = v;
				j = e;
			}
		}
		int u = g_cls(g, j, LC_UNIT);
		if (u > 0 && u != TU_HALF && (n > 1) == (g_plural(g, j) != 0)) {
			if (u == TU_NIGHT) {
				g_set(r, CHR_TIMEX_SET, "XXXX-XX-XXTNI");
				return j + 1;
			}
			put_set_unit(r, u, n);
			return j + 1;
		}
		int wd = g_cls(g, j, LC_WDAY);
		if (wd > 0) {
			r->type = CHR_TIMEX_SET;
			snprintf(r->val, sizeof r->val, "XXXX-WXX-%d", wd);
			return j + 1;
		}
		int m = g_cls(g, j, LC_MONTH);
		if (m > 0 && g_cap(g, j)) {
			r->type = CHR_TIMEX_SET;
			snprintf(r->val, sizeof r->val, "XXXX-%02d", m);
			return j + 1;
		}
		int pd = g_cls(g, j, LC_PART);
		if (pd == PD_MO || pd == PD_AF || pd == PD_EV || pd == PD_NI) {
			static const char *pc[] = {"", "MO", "AF", "EV", "NI"};
			r->type = CHR_TIMEX_SET;
			snprintf(r->val, sizeof r->val, "XXXX-XX-XXT%s", pc[pd]);
			return j + 1;
		}
		int s = g_cls(g, j, LC_SEASON);
		if (s > 0) {
			r->type = CHR_TIMEX_SET;
			snprintf(r->val, sizeof r->val, "XXXX-%s", season_code(s));
			return j + 1;
		}
		return 0;
	}
	/* once a week, twice a year, three times a day */
	size_t j = k;
	if (g_word(g, j, W_ONCE) || g_word(g, j, W_TWICE)) {
		j++;
	} else {
		size_t e;
		int v = g_number(g, j, &e, 0);
		if (v > 0 && e > j && g_word(g, e, W_TIMES))
			j = e + 1;
		else
			return 0;
	}
	if (g_word(g, j, W_A) || g_word(g, j, W_PER) || g_word(g, j, W_EVERY) ||
	    g_word(g, j, W_EACH)) {
		int u = g_cls(g, j + 1, LC_UNIT);
		if (u > 0 && u != TU_HALF && !g_plural(g, j + 1)) {
			put_set_unit(r, u, 1);
			return j + 2;
		}
	}
	return 0;
}

/* ---------------------------------------------------------------- */
/* quarters and halves                                                */
/* ---------------------------------------------------------------- */

static int ord_at(const gctx *g, size_t i, size_t *end)
{
	int o = g_cls(g, i, LC_ORD);
	if (o > 0) {
		*end = i + 1;
		return o;
	}
	if (g_num(g, i) && g->t[i].ndig == 1 && g_adj(g, i + 1) &&
	    (g_wordis(g, i + 1, "st") || g_wordis(g, i + 1, "nd") ||
	     g_wordis(g, i + 1, "rd") || g_wordis(g, i + 1, "th"))) {
		*end = i + 2;
		return g->t[i].num;
	}
	if (g_wordis(g, i, "final")) {
		*end = i + 1;
		return 4;
	}
	return 0;
}

size_t p_quarter(const gctx *g, size_t i, gres *r)
{
	size_t k = i;
	int the = 0, y = 0, yoff = 99;
	if (g_word(g, k, W_THE)) {
		the = 1;
		k++;
	}
	/* Q3, Q3 2019 */
	if (!the && g_word(g, k, W_Q) && (g->t[k].flags & TF_CAP) && g_num(g, k + 1) &&
	    g_adj(g, k + 1) && g->t[k + 1].num >= 1 && g->t[k + 1].num <= 4 &&
	    !(k + 2 < g->n && g_adj(g, k + 2))) {
		int q = g->t[k + 1].num;
		size_t e = k + 2;
		if (g_num(g, e) && g->t[e].ndig == 4) {
			y = g->t[e].num;
			e++;
		} else {
			y = g->dct.y;
			if (y > 0 && q > (g->dct.m - 1) / 3 + 1 && g_tense(g, i, e) <= 0)
				y--;
		}
		g_quarter(r, y, q);
		return e;
	}
	/* "the corresponding period last year", "the same quarter a year
	 * ago"; "the comparable year-ago quarter" goes on below */
	if (the && (g_word(g, k, W_SAME) || (k < g->n && g->t[k].lx.cls == LC_NONE &&
					     (g_wordis(g, k, "corresponding") ||
					      g_wordis(g, k, "comparable"))))) {
		size_t j = k + 1;
		if ((g_cls(g, j, LC_UNIT) == TU_QUARTER && !g_plural(g, j)) ||
		    g_wordis(g, j, "period")) {
			if (g_word(g, j + 1, W_LAST) && g_cls(g, j + 2, LC_UNIT) == TU_YEAR &&
			    !g_plural(g, j + 2)) {
				recent_quarter(g, r, -1);
				return j + 3;
			}
			if (g_word(g, j + 1, W_A) && g_cls(g, j + 2, LC_UNIT) == TU_YEAR &&
			    !g_plural(g, j + 2) &&
			    (g_word(g, j + 3, W_AGO) || g_word(g, j + 3, W_EARLIER))) {
				recent_quarter(g, r, -1);
				return j + 4;
			}
			return 0;
		}
		k = j;
	}
	/* "the full year": the year a report made on the document date is
	 * about */
	if (the && g_cls(g, k + 1, LC_UNIT) == TU_YEAR && g_wordis(g, k, "full") &&
	    !g_plural(g, k + 1) && !(k + 2 < g->n && g_punct(g, k + 2, '-'))) {
		if (g->dct.y <= 0)
			return 0;
		g_year(r, g->dct.m <= 2 ? g->dct.y - 1 : g->dct.y);
		return k + 2;
	}
	/* the latest quarter, the latest period */
	if (the && g_word(g, k, W_LATEST) &&
	    ((g_cls(g, k + 1, LC_UNIT) == TU_QUARTER && !g_plural(g, k + 1)) ||
	     g_wordis(g, k + 1, "period"))) {
		recent_quarter(g, r, 0);
		return k + 2;
	}
	if (the && (g_word(g, k, W_YEAR_AGO) ||
		    (g_cls(g, k, LC_UNIT) == TU_YEAR && g_punct(g, k + 1, '-') &&
		     (g_word(g, k + 2, W_EARLIER) || g_word(g, k + 2, W_AGO))))) {
		size_t e = g_word(g, k, W_YEAR_AGO) ? k + 1 : k + 3;
		if ((g_cls(g, e, LC_UNIT) == TU_QUARTER && !g_plural(g, e)) ||
		    g_wordis(g, e, "period")) {
			recent_quarter(g, r, -1);
			return e + 1;
		}
		/* "the year-earlier third quarter" */
		size_t e2;
		int q2 = ord_at(g, e, &e2);
		if (q2 >= 1 && q2 <= 4 && g_cls(g, e2, LC_UNIT) == TU_QUARTER &&
		    !g_plural(g, e2) && g->dct.y > 0) {
			int vy;
			(void)g_view_quarter(g, &vy);
			g_quarter(r, vy - 1, q2);
			return e2 + 1;
		}
		return 0;
	}
	/* "the 1988 second quarter", "the 1988 quarter", and "the 1988
	 * period" while a quarter is in view: that quarter of the year */
	if (the && g_num(g, k) && g->t[k].ndig == 4 && g->t[k].num > 1900) {
		size_t j = k + 1, e2;
		if (g_word(g, j, W_FISCAL))
			j++;
		int q2 = ord_at(g, j, &e2);
		if (q2 >= 1 && q2 <= 4 && g_cls(g, e2, LC_UNIT) == TU_QUARTER &&
		    !g_plural(g, e2)) {
			g_quarter(r, g->t[k].num, q2);
			return e2 + 1;
		}
		if (!q2 && ((g_cls(g, j, LC_UNIT) == TU_QUARTER && !g_plural(g, j)) ||
			    (g_wordis(g, j, "period") && g->qview > 0))) {
			int vy;
			g_quarter(r, g->t[k].num, g_view_quarter(g, &vy));
			return j + 1;
		}
	}
	/* "year-earlier results": the year before the document's */
	if (!the && (g_word(g, k, W_YEAR_AGO) ||
		     (g_cls(g, k, LC_UNIT) == TU_YEAR && !g_plural(g, k) &&
		      g_punct(g, k + 1, '-') && g_adj(g, k + 1) && g_adj(g, k + 2) &&
		      (g_word(g, k + 2, W_EARLIER) || g_word(g, k + 2, W_AGO))))) {
		if (g->dct.y <= 0)
			return 0;
		g_year(r, g->dct.y - 1);
		return g_word(g, k, W_YEAR_AGO) ? k + 1 : k + 3;
	}
	if (!the && (g_word(g, k, W_THIS) || g_word(g, k, W_LAST) || g_word(g, k, W_NEXT)) &&
	    g_cls(g, k + 1, LC_UNIT) == TU_YEAR && g_punct(g, k + 2, '\'') &&
	    g_word(g, k + 3, W_S)) {
		yoff = g_word(g, k, W_THIS) ? 0 : g_word(g, k, W_LAST) ? -1 : 1;
		k += 4;
		if (g_word(g, k, W_THE))
			return 0;
		/* "last year's quarter", "last year's period" */
		if ((g_cls(g, k, LC_UNIT) == TU_QUARTER && !g_plural(g, k)) ||
		    g_wordis(g, k, "period")) {
			recent_quarter(g, r, yoff);
			return k + 1;
		}
	}
	if (g_word(g, k, W_FISCAL))
		k++;
	size_t e;
	int q = ord_at(g, k, &e);
	if (!q)
		return 0;
	k = e;
	int hy = 0;
	if (g_punct(g, k, '-') && g_adj(g, k) && g_adj(g, k + 1)) {
		hy = 1;
		k++;
	}
	if (g_word(g, k, W_FISCAL))
		k++;
	int u = g_cls(g, k, LC_UNIT);
	if ((u != TU_QUARTER && u != TU_HALF) || g_plural(g, k))
		return 0;
	if (hy && the)
		return 0; /* "the third-quarter profit": the article is the noun's */
	int nparts = u == TU_QUARTER ? 4 : 2;
	if (q < 1 || q > nparts)
		return 0;
	if (u == TU_HALF && !the && yoff == 99 && !hy)
		return 0; /* "first half" alone is often not a date */
	k++;
	/* of 2019, of this year, of last year, of fiscal 2019 */
	if (!hy && g_word(g, k, W_OF)) {
		size_t j = k + 1;
		if (g_word(g, j, W_FISCAL))
			j++;
		if (g_num(g, j) && g->t[j].ndig == 4) {
			y = g->t[j].num;
			k = j + 1;
		} else if ((g_word(g, j, W_THIS) || g_word(g, j, W_LAST) ||
			    g_word(g, j, W_NEXT)) &&
			   g_cls(g, j + 1, LC_UNIT) == TU_YEAR && !g_plural(g, j + 1)) {
			yoff = g_word(g, j, W_THIS) ? 0 : g_word(g, j, W_LAST) ? -1 : 1;
			k = j + 2;
		} else if (g_word(g, j, W_THE) && g_cls(g, j + 1, LC_UNIT) == TU_YEAR &&
			   !g_plural(g, j + 1)) {
			yoff = 0;
			k = j + 2;
		}
	} else if (!hy && g_num(g, k) && g->t[k].ndig == 4 && g->t[k].num > 1900) {
		y = g->t[k].num;
		k++;
	}
	if (!y) {
		if (g->dct.y <= 0) {
			y = 0;
		} else if (yoff != 99) {
			y = g->dct.y + yoff;
		} else {
			y = g->dct.y;
			int cur = u == TU_QUARTER ? (g->dct.m - 1) / 3 + 1 : (g->dct.m - 1) / 6 + 1;
			if (q > cur && g_tense(g, i, k) <= 0)
				y--;
		}
	}
	r->type = CHR_TIMEX_DATE;
	if (y > 0)
		snprintf(r->val, sizeof r->val, "%04d-%c%d", y, u == TU_QUARTER ? 'Q' : 'H', q);
	else
		snprintf(r->val, sizeof r->val, "XXXX-%c%d", u == TU_QUARTER ? 'Q' : 'H', q);
	return k;
}

/* ---------------------------------------------------------------- */
/* holidays                                                           */
/* ---------------------------------------------------------------- */

/* The n-th weekday wd of month m (n = -1: the last). */
static time_date nth_wday(int y, int m, int wd, int n)
{
	if (n > 0) {
		int w1 = time_wday(y, m, 1);
		int d = 1 + (wd - w1 + 7) % 7 + 7 * (n - 1);
		return (time_date){y, m, d};
	}
	int last = time_mdays(y, m);
	int wl = time_wday(y, m, last);
	return (time_date){y, m, last - (wl - wd + 7) % 7};
}

size_t p_holiday(const gctx *g, size_t i, gres *r)
{
	size_t k = i;
	int h = g_cls(g, k, LC_HOLIDAY);
	int newyear = 0;
	if (h <= 0 && g_word(g, k, W_NEW) && g_cap(g, k) && g_wordis(g, k + 1, "year") &&
	    g_cap(g, k + 1)) {
		newyear = 1;
		k += 2;
		if (g_punct(g, k, '\'') && g_word(g, k + 1, W_S))
			k += 2;
		h = HD_NEWYEAR;
	} else if (h > 0 && g_cap(g, k)) {
		k++;
		if (h == HD_VALENTINE && g_punct(g, k, '\'') && g_word(g, k + 1, W_S))
			k += 2;
	} else {
		return 0;
	}
	int eve = 0;
	if (g_word(g, k, W_EVE) && g_cap(g, k)) {
		eve = 1;
		k++;
	} else if (g_wordis(g, k, "day") && g_cap(g, k)) {
		k++;
	} else if (h != HD_CHRISTMAS && h != HD_THANKSGIVING && h != HD_HALLOWEEN &&
		   !newyear) {
		return 0;
	}
	if (newyear && !eve && !g_wordis(g, k - 1, "day"))
		return 0; /* "New Year" alone is a season of festivities */
	int y = g->dct.y;
	size_t e = k;
	if (g_num(g, e) && g->t[e].ndig == 4) {
		y = g->t[e].num;
		k = e + 1;
	}
	int m = 0, d = 0;
	switch (h) {
	case HD_CHRISTMAS: m = 12; d = eve ? 24 : 25; break;
	case HD_NEWYEAR: m = eve ? 12 : 1; d = eve ? 31 : 1; break;
	case HD_HALLOWEEN: m = 10; d = 31; break;
	case HD_VALENTINE: m = 2; d = 14; break;
	case HD_INDEPENDENCE: m = 7; d = 4; break;
	default: break;
	}
	if (y <= 0) {
		if (!m)
			return 0;
		g_day(r, CHR_TIMEX_DATE, 0, m, d);
		return k;
	}
	if (m) {
		if (k == e) /* no explicit year */
			y = g_md_year(g, m, d, g_tense(g, i, k));
		g_day(r, CHR_TIMEX_DATE, y, m, d);
		return k;
	}
	/* a movable feast without a year: the year by tense, as for a
	 * month and day near the feast */
	if (k == e) {
		int am = h == HD_THANKSGIVING ? 11 : h == HD_LABOR ? 9 :
			 h == HD_MEMORIAL ? 5 : 11;
		y = g_md_year(g, am, h == HD_LABOR ? 4 : 25, g_tense(g, i, k));
	}
	time_date t;
	switch (h) {
	case HD_THANKSGIVING: t = nth_wday(y, 11, 4, 4); break;
	case HD_LABOR: t = nth_wday(y, 9, 1, 1); break;
	case HD_MEMORIAL: t = nth_wday(y, 5, 1, -1); break;
	case HD_ELECTION: t = nth_wday(y, 11, 1, 1); t.d += 1; break;
	default: return 0;
	}
	g_day(r, CHR_TIMEX_DATE, t.y, t.m, t.d);
	return k;
}
