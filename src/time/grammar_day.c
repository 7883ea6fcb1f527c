/*
 * grammar_day: years and decades, clock times, weekdays and deictic
 * words (today, tonight, now, recently, the future).
 *
 * Design note: a bare four-digit number is the riskiest guess the tagger
 * makes, so p_year only accepts one when nothing near it says money,
 * a count, a clock or a code, and, outside 1900-2099, only after a date
 * preposition.  Clock times take their day from a day named right after
 * them ("10 p.m. Wednesday") or else from the last day the text named.
 */
#include "time/grammar.h"

#ifndef CURRENT_ADJ
#define CURRENT_ADJ 1
#endif

static int date_prep(const gctx *g, size_t i)
{
	return g_word(g, i, W_IN) || g_word(g, i, W_SINCE) ||
	       g_word(g, i, W_OF) || g_word(g, i, W_BY) ||
	       g_word(g, i, W_FROM) || g_word(g, i, W_UNTIL) ||
	       g_word(g, i, W_TO) || g_word(g, i, W_DURING) ||
	       g_word(g, i, W_BEFORE) || g_word(g, i, W_AFTER) ||
	       g_word(g, i, W_BETWEEN) || g_word(g, i, W_AND) ||
	       g_word(g, i, W_EARLY) || g_word(g, i, W_LATE) ||
	       g_word(g, i, W_MID) || g_word(g, i, W_THROUGH);
}

/* A decade at i: "1990s", "'90s", "90s"; *end after it.  Returns the
 * decade value (199) or -1. */
static int decade_at(const gctx *g, size_t i, size_t *end)
{
	size_t k = i;
	int apos = 0;
	if (g_punct(g, k, '\'')) {
		apos = 1;
		k++;
	}
	if (!g_num(g, k) || (apos && !g_adj(g, k)))
		return -1;
	const time_tok *t = &g->t[k];
	if (!(k + 1 < g->n && g_adj(g, k + 1) && g_word(g, k + 1, W_S)))
		return -1;
	if (k + 2 < g->n && g_adj(g, k + 2) && g->t[k + 2].kind == TK_WORD)
		return -1;
	if (t->ndig == 4 && t->num % 10 == 0 && t->num >= 1000 && t->num < 2200) {
		*end = k + 2;
		return t->num / 10;
	}
	if (t->ndig == 2 && t->num % 10 == 0) {
		int y = 1900 + t->num;
		if (g->dct.y > 0 && 2000 + t->num <= g->dct.y && t->num <= 30)
			y = 2000 + t->num;
		*end = k + 2;
		return y / 10;
	}
	return -1;
}

size_t p_year(const gctx *g, size_t i, gres *r)
{
	size_t k = i;
	int the = 0;
	if (g_word(g, k, W_THE)) {
		the = 1;
		k++;
	}
	size_t e;
	int dec = decade_at(g, k, &e);
	if (dec >= 0) {
		r->type = CHR_TIMEX_DATE;
		snprintf(r->val, sizeof r->val, "%03d", dec);
		return e;
	}
	/* "the nineties": as "the '90s" */
	if (the && k < g->n && g->t[k].kind == TK_WORD && g->t[k].lx.cls == LC_NONE &&
	    g->t[k].e - g->t[k].s >= 7 && g->t[k].e - g->t[k].s <= 9 &&
	    g->text[g->t[k].e - 1] == 's') {
		static const char *const tens[] = {"twenties", "thirties", "forties", "fifties",
						   "sixties", "seventies", "eighties", "nineties"};
		for (int t = 0; t < 8; t++) {
			if (!g_wordis(g, k, tens[t]))
				continue;
			int y = 1900 + 10 * (t + 2);
			if (g->dct.y > 0 && 2000 + 10 * (t + 2) <= g->dct.y)
				y += 100;
			r->type = CHR_TIMEX_DATE;
			snprintf(r->val, sizeof r->val, "%03d", y / 10);
			return k + 1;
		}
	}
	/* the 20th century; "20th century" alone too */
	if (g_num(g, k) && g->t[k].ndig <= 2 && g->t[k].num >= 1 && g_adj(g, k + 1) &&
	    g->t[k + 1].kind == TK_WORD && g_cls(g, k + 2, LC_UNIT) == TU_CENTURY &&
	    !g_plural(g, k + 2)) {
		r->type = CHR_TIMEX_DATE;
		snprintf(r->val, sizeof r->val, "%02d", g->t[k].num - 1);
		return k + 3;
	}
	if (the && g_cls(g, k, LC_ORD) > 0 && g_cls(g, k + 1, LC_UNIT) == TU_CENTURY &&
	    !g_plural(g, k + 1)) {
		r->type = CHR_TIMEX_DATE;
		snprintf(r->val, sizeof r->val, "%02d", g_cls(g, k, LC_ORD) - 1);
		return k + 2;
	}
	/* the year two thousand, the year nineteen ninety */
	if (the && g_cls(g, k, LC_UNIT) == TU_YEAR && !g_plural(g, k)) {
		int sy = 0;
		size_t se = 0;
		if (g_cls(g, k + 1, LC_NUM) == 2 && g_word(g, k + 2, W_THOUSAND)) {
			sy = 2000;
			se = k + 3;
		} else if (g->t[k + 1 < g->n ? k + 1 : k].kind == TK_WORD) {
			sy = g_year_at(g, k + 1, &se);
		}
		if (sy) {
			g_year(r, sy);
			return se;
		}
	}
	/* the year 2000 */
	if (the && g_cls(g, k, LC_UNIT) == TU_YEAR && !g_plural(g, k) && g_num(g, k + 1) &&
	    g->t[k + 1].ndig == 4 && !(k + 2 < g->n && g_adj(g, k + 2) &&
				       g->t[k + 2].kind != TK_PUNCT)) {
		g_year(r, g->t[k + 1].num);
		return k + 2;
	}
	if (the)
		return 0;
	/* fiscal 1989, fiscal year 1989, FY2019 */
	if (g_word(g, k, W_FISCAL) || g_word(g, k, W_FY)) {
		size_t j = k + 1;
		if (g_word(g, k, W_FISCAL) && g_cls(g, j, LC_UNIT) == TU_YEAR &&
		    !g_plural(g, j))
			j++;
		if (g_num(g, j) && (g->t[j].ndig == 4 || (g->t[j].ndig == 2 &&
							 g_word(g, k, W_FY)))) {
			int y = g->t[j].num;
			if (y < 100)
				y += 2000;
			if (y >= 1900 && y < 2100) {
				g_year(r, y);
				return j + 1;
			}
		}
		return 0;
	}
	/* "in nineteen ninety-six" */
	if (g->t[k].kind == TK_WORD) {
		int sy = g_year_at(g, k, &e);
		if (sy) {
			g_year(r, sy);
			return e;
		}
	}
	if (!g_num(g, k) || g->t[k].ndig != 4)
		return 0;
	int y = g->t[k].num;
	if (y < 1000 || y > 2199)
		return 0;
	const time_tok *t = g->t;
	/* what is before */
	if (k > 0) {
		const time_tok *p = &t[k - 1];
		if (p->kind == TK_PUNCT && (p->ch == '$' || p->ch == '#' ||
					    p->ch == '+' || p->ch == '.' ||
					    p->ch == ':' || p->ch == '/'))
			return 0;
		if (p->kind == TK_PUNCT && p->ch == '-' && g_adj(g, k) && k > 1 &&
		    t[k - 2].kind == TK_NUM && t[k - 2].ndig != 4)
			return 0;
		if (p->kind == TK_NUM && g_adj(g, k))
			return 0;
		if (p->kind == TK_WORD && g_adj(g, k))
			return 0; /* "FY2019" is handled above, "A380" is not a year */
		if (g_word(g, k - 1, W_NUMBER) || g_word(g, k - 1, W_NO) ||
		    g_word(g, k - 1, W_PER))
			return 0;
	}
	/* what is after */
	if (k + 1 < g->n) {
		const time_tok *nx = &t[k + 1];
		if (g_adj(g, k + 1) && nx->kind != TK_PUNCT)
			return 0;
		if (nx->kind == TK_PUNCT && g_adj(g, k + 1) &&
		    (nx->ch == '%' || nx->ch == ':' || nx->ch == '/' ||
		     (nx->ch == '.' && k + 2 < g->n && t[k + 2].kind == TK_NUM &&
		      g_adj(g, k + 2))))
			return 0;
		if (nx->kind == TK_WORD && nx->lx.cls == LC_TZ && (nx->flags & TF_UPPER))
			return 0; /* "1900 GMT" is a clock time */
		if (nx->kind == TK_WORD && (nx->lx.cls == LC_UNITNOUN ||
					    (nx->lx.cls == LC_UNIT && nx->lx.val != TU_QUARTER &&
					     nx->lx.val != TU_HALF) ||
					    nx->lx.cls == LC_NUM ||
					    g_word(g, k + 1, W_AM) || g_word(g, k + 1, W_PM) ||
					    g_word(g, k + 1, W_HUNDRED) ||
					    g_word(g, k + 1, W_THOUSAND)))
			return 0;
	}
	if (y < 1900 || y > 2099) {
		if (!(k > 0 && date_prep(g, k - 1)))
			return 0;
	}
	g_year(r, y);
	return k + 1;
}

/* ---------------------------------------------------------------- */
/* clock times                                                        */
/* ---------------------------------------------------------------- */

/* A day named right after a time: "Wednesday", "today", "Nov. 6". */
static size_t day_after(const gctx *g, size_t k, gres *day)
{
	size_t j = k;
	if (g_punct(g, j, ','))
		j++;
	if (g_word(g, j, W_ON))
		return 0; /* "at 10 a.m. on Friday": two expressions */
	gres tmp;
	memset(&tmp, 0, sizeof tmp);
	size_t e = p_date(g, j, &tmp);
	if (e && tmp.isday) {
		*day = tmp;
		return e;
	}
	memset(&tmp, 0, sizeof tmp);
	e = p_wday(g, j, &tmp);
	if (e && tmp.isday && tmp.type == CHR_TIMEX_DATE) {
		*day = tmp;
		return e;
	}
	memset(&tmp, 0, sizeof tmp);
	if (g_word(g, j, W_TODAY) || g_word(g, j, W_YESTERDAY) ||
	    g_word(g, j, W_TOMORROW)) {
		e = p_deictic(g, j, &tmp);
		if (e == j + 1 && tmp.isday) {
			*day = tmp;
			return e;
		}
	}
	return 0;
}

const char *g_part_code(int pd)
{
	switch (pd) {
	case PD_MO: case PD_DAWN: return "MO";
	case PD_AF: return "AF";
	case PD_EV: case PD_DUSK: return "EV";
	case PD_NI: case PD_OVERNIGHT: return "NI";
	default: return NULL;
	}
}

static void put_time(const gctx *g, gres *r, time_date d, int hh, int mm,
		     const char *part)
{
	r->type = CHR_TIMEX_TIME;
	if (d.y > 0 && part)
		g_fmt(r->val, sizeof r->val, "%04d-%02d-%02dT%s", d.y, d.m, d.d, part);
	else if (d.y > 0)
		g_fmt(r->val, sizeof r->val, "%04d-%02d-%02dT%02d:%02d", d.y, d.m, d.d,
		      hh, mm);
	else if (part)
		g_fmt(r->val, sizeof r->val, "XXXX-XX-XXT%s", part);
	else
		g_fmt(r->val, sizeof r->val, "XXXX-XX-XXT%02d:%02d", hh, mm);
	(void)g;
}

size_t p_time(const gctx *g, size_t i, gres *r)
{
	size_t k = i;
	int hh = -1, mm = 0, ok = 0;
	int pd = g_cls(g, k, LC_PART);
	if (g_num(g, k) && g->t[k].ndig == 4 && k + 1 < g->n &&
	    g->t[k + 1].lx.cls == LC_TZ && (g->t[k + 1].flags & TF_UPPER) &&
	    g->t[k].num / 100 <= 23 && g->t[k].num % 100 <= 59) {
		/* military style: "1900 GMT"; a conversion in parentheses
		 * after a local time ("10:35 a.m. (0735 GMT)") is not
		 * another expression */
		if (k > 0 && g_punct(g, k - 1, '('))
			return 0;
		hh = g->t[k].num / 100;
		mm = g->t[k].num % 100;
		k += 2;
		ok = 1;
	} else if (pd == PD_NOON || pd == PD_MIDNIGHT) {
		hh = pd == PD_NOON ? 12 : 24;
		k++;
		ok = 1;
	} else if (g_num(g, k) && g->t[k].ndig <= 2) {
		hh = g->t[k].num;
		k++;
		if (g_punct(g, k, ':') && g_adj(g, k) && g_num(g, k + 1) &&
		    g_adj(g, k + 1) && g->t[k + 1].ndig == 2) {
			mm = g->t[k + 1].num;
			k += 2;
			ok = 2; /* needs support below */
			if (g_punct(g, k, ':') && g_adj(g, k))
				return 0; /* seconds or a ratio chain */
		}
		int ampm = 0;
		if (k < g->n && (g_word(g, k, W_AM) || g_word(g, k, W_PM))) {
			/* "a.m" must be followed by its dot, "am" by a non-letter */
			ampm = g_word(g, k, W_AM) ? 1 : 2;
			k++;
			if (g_punct(g, k, '.') && g_adj(g, k) &&
			    g->t[k - 1].e - g->t[k - 1].s == 3)
				k++;
			ok = 1;
		} else if (g_word(g, k, W_OCLOCK)) {
			k++;
			ok = 1;
		}
		if (hh > 24 || mm > 59 || (ampm && (hh > 12 || hh == 0)))
			return 0;
		if (ampm == 2 && hh < 12)
			hh += 12;
		if (ampm == 1 && hh == 12)
			hh = 0;
		if (k < g->n && g_cls(g, k, LC_TZ) >= 0 && g->t[k].lx.cls == LC_TZ &&
		    (g->t[k].flags & TF_UPPER)) {
			k++;
			if (ok == 2)
				ok = 1;
		}
		if (ok == 2) {
			/* "at 10:35", "10:35 GMT": a bare clock needs "at" */
			if (!(i > 0 && (g_word(g, i - 1, W_AT) || g_word(g, i - 1, W_BY) ||
					g_word(g, i - 1, W_UNTIL) || g_word(g, i - 1, W_AROUND))))
				return 0;
			ok = 1;
		}
	}
	if (!ok)
		return 0;
	gres day;
	memset(&day, 0, sizeof day);
	size_t e = day_after(g, k, &day);
	time_date d = g_ref_near(g, i);
	if (e) {
		d = day.day;
		k = e;
	} else if (g_word(g, k, W_ON) && day_after(g, k + 1, &day)) {
		d = day.day; /* "at midnight on Dec. 31": that day, own span */
	}
	put_time(g, r, d, hh, mm, NULL);
	return k;
}

/* ---------------------------------------------------------------- */
/* weekdays                                                           */
/* ---------------------------------------------------------------- */

size_t p_wday(const gctx *g, size_t i, gres *r)
{
	int wd = g_cls(g, i, LC_WDAY);
	if (wd <= 0 || !g_cap(g, i))
		return 0;
	if (g_plural(g, i)) {
		if (!(i > 0 && g_word(g, i - 1, W_ON)))
			return 0;
		r->type = CHR_TIMEX_SET;
		snprintf(r->val, sizeof r->val, "XXXX-WXX-%d", wd);
		return i + 1;
	}
	size_t k = i + 1;
	int pd = g_cls(g, k, LC_PART);
	const char *part = pd > 0 ? g_part_code(pd) : NULL;
	if (part && !g_plural(g, k))
		k++;
	else
		part = NULL;
	int tense = g_tense_ahead(g, i, k);
	/* "until Tuesday", "as early as Tuesday": a deadline or a hope,
	 * ahead unless a verb says otherwise */
	if (tense == 0 && i > 0 &&
	    (g_word(g, i - 1, W_UNTIL) ||
	     (i > 2 && g_word(g, i - 1, W_AS) && g_word(g, i - 2, W_EARLY) &&
	      g_word(g, i - 3, W_AS))))
		tense = 1;
	time_date d = g_wday(g, wd, tense);
	if (d.y <= 0) {
		r->type = part ? CHR_TIMEX_TIME : CHR_TIMEX_DATE;
		if (part)
			snprintf(r->val, sizeof r->val, "XXXX-WXX-%dT%s", wd, part);
		else
			snprintf(r->val, sizeof r->val, "XXXX-WXX-%d", wd);
		return k;
	}
	g_day(r, CHR_TIMEX_DATE, d.y, d.m, d.d);
	if (part)
		put_time(g, r, d, 0, 0, part);
	return k;
}

/* ---------------------------------------------------------------- */
/* deictic words                                                      */
/* ---------------------------------------------------------------- */

size_t p_deictic(const gctx *g, size_t i, gres *r)
{
	size_t k = i;
	time_date base = g->dct;
	int off = 99;
	if (g_word(g, k, W_TODAY))
		off = 0;
	else if (g_word(g, k, W_YESTERDAY))
		off = -1;
	else if (g_word(g, k, W_TOMORROW))
		off = 1;
	if (off != 99) {
		k++;
		int pd = g_cls(g, k, LC_PART);
		const char *part = pd > 0 && !g_plural(g, k) ? g_part_code(pd) : NULL;
		if (part)
			k++;
		if (base.y <= 0) {
			g_set(r, part ? CHR_TIMEX_TIME : CHR_TIMEX_DATE,
			      off == 0 ? "PRESENT_REF" : off < 0 ? "PAST_REF" : "FUTURE_REF");
			return k;
		}
		time_date d = time_add_days(base, off);
		g_day(r, CHR_TIMEX_DATE, d.y, d.m, d.d);
		r->rel = 1;
		if (part)
			put_time(g, r, d, 0, 0, part);
		return k;
	}
	if (g_word(g, k, W_TONIGHT)) {
		put_time(g, r, base, 0, 0, "NI");
		return k + 1;
	}
	/* this morning, last night, tomorrow night handled above */
	if ((g_word(g, k, W_THIS) || g_word(g, k, W_LAST)) && g_cls(g, k + 1, LC_PART) > 0 &&
	    !g_plural(g, k + 1)) {
		int pd = g_cls(g, k + 1, LC_PART);
		const char *part = g_part_code(pd);
		if (!part)
			return 0;
		time_date d = base;
		if (g_word(g, k, W_LAST)) {
			if (pd != PD_NI && pd != PD_EV)
				return 0;
			if (d.y > 0)
				d = time_add_days(d, -1);
		}
		put_time(g, r, d, 0, 0, part);
		return k + 2;
	}
	if (g_word(g, k, W_NOW)) {
		if (g_punct(g, k + 1, '-') && g_adj(g, k + 1))
			return 0; /* now-defunct */
		g_set(r, CHR_TIMEX_DATE, "PRESENT_REF");
		return k + 1;
	}
	/* "the current government", "his current wife": the present, but
	 * not the finance terms "current account", "current affairs" */
	if (CURRENT_ADJ && g_word(g, k, W_CURRENT) && k + 1 < g->n &&
	    g->t[k + 1].kind == TK_WORD && !g_cap(g, k + 1) &&
	    g->t[k + 1].lx.cls != LC_UNIT && g->t[k + 1].lx.cls != LC_PART &&
	    g_adj(g, k + 1) == 0 && !g_wordis(g, k + 1, "account") &&
	    !g_wordis(g, k + 1, "accounts") && !g_wordis(g, k + 1, "affairs") &&
	    !g_word(g, k + 1, W_FISCAL) && !(k > 0 && g_punct(g, k - 1, '-'))) {
		g_set(r, CHR_TIMEX_DATE, "PRESENT_REF");
		return k + 1;
	}
	if (g_word(g, k, W_CURRENTLY) || g_word(g, k, W_NOWADAYS)) {
		g_set(r, CHR_TIMEX_DATE, "PRESENT_REF");
		return k + 1;
	}
	/* "previously" and "formerly" mark order more than time: TimeBank
	 * leaves most of them unannotated, as it does "soon" */
	if (g_word(g, k, W_RECENTLY) || g_word(g, k, W_LATELY)) {
		g_set(r, CHR_TIMEX_DATE, "PAST_REF");
		return k + 1;
	}
	if (g_word(g, k, W_THESE) && g_cls(g, k + 1, LC_UNIT) == TU_DAY &&
	    g_plural(g, k + 1)) {
		g_set(r, CHR_TIMEX_DATE, "PRESENT_REF");
		return k + 2;
	}
	if (g_word(g, k, W_THE)) {
		size_t j = k + 1;
		if (g_word(g, j, W_PAST)) {
			g_set(r, CHR_TIMEX_DATE, "PAST_REF");
			return j + 1;
		}
		if (g_word(g, j, W_PRESENT)) {
			g_set(r, CHR_TIMEX_DATE, "PRESENT_REF");
			return j + 1;
		}
		/* "the year": this year, or a year-long stretch after "for" */
		if (g_cls(g, j, LC_UNIT) == TU_YEAR && !g_plural(g, j) && base.y > 0 &&
		    !g_word(g, j + 1, W_OF) && !(g_num(g, j + 1)) &&
		    !g_word(g, j + 1, W_BEFORE) && !g_word(g, j + 1, W_AFTER) &&
		    !(g_punct(g, j + 1, '-'))) {
			if (k > 0 && (g_word(g, k - 1, W_FOR) || g_word(g, k - 1, W_DURING) ||
				      g_word(g, k - 1, W_OVER) || g_word(g, k - 1, W_THROUGH)))
				g_dur(r, 1, TU_YEAR, 0);
			else
				g_year(r, base.y);
			return j + 1;
		}
		int near = 0;
		if (g_word(g, j, W_NEAR) || g_wordis(g, j, "foreseeable") ||
		    g_wordis(g, j, "distant") || g_wordis(g, j, "immediate")) {
			near = 1;
			j++;
		}
		if (g_word(g, j, W_FUTURE)) {
			g_set(r, CHR_TIMEX_DATE, "FUTURE_REF");
			return j + 1;
		}
		if ((near || g_word(g, j, W_SHORT) || g_word(g, j, W_LONG) ||
		     g_word(g, j, W_MEDIUM)) && g_word(g, j + (near ? 0 : 1), W_TERM)) {
			g_set(r, CHR_TIMEX_DATE, "FUTURE_REF");
			return j + (near ? 1 : 2);
		}
	}
	return 0;
}
