/*
 * grammar_cmp: the period a year-on-year comparison means.
 *
 * Design note: in results news, "a year ago", "a year earlier",
 * "year-earlier" and "year-ago" compare a period with the same period a
 * year before: "third-quarter profit rose to $5 million from $4 million
 * a year earlier" means the third quarter of the year before, not that
 * whole year.  So when such a phrase has resolved to a bare year and its
 * sentence names a quarter ("the third quarter", "third-quarter", "the
 * quarter"), the value becomes that quarter of the year: the ordinal when
 * the sentence gives one, else the quarter a report made on the document
 * date is most likely about (as for "the quarter").  The scan reads at
 * most CMP_SPAN tokens each way and stops at a sentence end, so it stays
 * local and bounded.  "last year" is left alone: in the same sentences it
 * is as often the whole year ("the company lost money last year").
 *
 * A results story names its period once and then compares without
 * repeating it ("Net rose to $5 million from $4 million a year
 * earlier."), so the document keeps the period in view: each quarter it
 * names puts the story's quarter (the first it named: "the fiscal first
 * quarter") in view, and a period of another length ("the nine months",
 * "the first half", "the fiscal year") takes it out of view.  A year-on-year phrase in a
 * sentence that names no quarter takes the quarter in view; "the
 * quarter" and "the latest quarter" mean it too.
 */
#include "time/grammar.h"

#include <stdlib.h>

#define CMP_SPAN 30

/* A year-on-year phrase in tokens [i, e): "a year ago/earlier",
 * "year-ago", "year-earlier". */
static int is_year_ago(const gctx *g, size_t i, size_t e)
{
	int year = 0, back = 0;
	for (size_t k = i; k < e; k++) {
		if (g_word(g, k, W_YEAR_AGO))
			return 1;
		if (g_cls(g, k, LC_UNIT) == TU_YEAR && !g_plural(g, k) &&
		    !(k > i && (g_num(g, k - 1) || g_cls(g, k - 1, LC_NUM) > 1)))
			year = 1;
		if (g_word(g, k, W_AGO) || g_word(g, k, W_EARLIER))
			back = 1;
	}
	return year && back;
}

/* The quarter named at token k ("quarter" singular), with the ordinal
 * before it if any ("third quarter", "third-quarter"): 1..4, 0 when the
 * sentence names the quarter without an ordinal, -1 when k is not one. */
static int quarter_at(const gctx *g, size_t k)
{
	if (g_cls(g, k, LC_UNIT) != TU_QUARTER || g_plural(g, k))
		return -1;
	size_t o = k;
	if (o > 0 && g_punct(g, o - 1, '-') && g_adj(g, o) && g_adj(g, o - 1))
		o--;
	if (o > 0) {
		int q = g_cls(g, o - 1, LC_ORD);
		if (q >= 1 && q <= 4)
			return q;
		if (g_wordis(g, o - 1, "final") || g_wordis(g, o - 1, "fourth"))
			return 4;
	}
	return 0;
}

void g_cmp_quarter(const gctx *g, size_t i, size_t e, gres *r)
{
	if (r->type != CHR_TIMEX_DATE || strlen(r->val) != 4 || r->mod[0] ||
	    g->dct.y <= 0 || !is_year_ago(g, i, e))
		return;
	int y = atoi(r->val);
	if (y <= 0)
		return;
	int q = -1;
	/* left, then right, within the sentence */
	for (size_t k = i, s = 0; k > 0 && s < CMP_SPAN && q < 0; s++) {
		if (g_sent_break(g, k))
			break;
		k--;
		q = quarter_at(g, k);
	}
	for (size_t k = e, s = 0; k < g->n && s < CMP_SPAN && q < 0; k++, s++) {
		if (g_sent_break(g, k))
			break;
		q = quarter_at(g, k);
	}
	if (q < 0 && g->qview > 0)
		q = g->qview;
	if (q < 0)
		return;
	if (q == 0) {
		int vy;
		q = g_view_quarter(g, &vy);
	}
	g_quarter(r, y, q);
}

int g_view_quarter(const gctx *g, int *y)
{
	if (g->qview > 0 && g->qview_y > 0) {
		*y = g->qview_y;
		return g->qview;
	}
	/* reports come after the quarter: early in a quarter it is the
	 * last one */
	time_date d = time_add_months(g->dct, -2);
	*y = d.y;
	return (d.m - 1) / 3 + 1;
}

void g_cmp_note(gctx *g, size_t i, size_t e, const gres *r)
{
	const char *v = r->val;
	size_t n = strlen(v);
	if (r->type == CHR_TIMEX_DATE && n == 7 && v[4] == '-' && v[5] == 'Q' &&
	    v[6] >= '1' && v[6] <= '4' && v[0] != 'X') {
		/* the story's own quarter is the first it names; later ones
		 * ("after a flat second quarter", "a fourth-quarter charge")
		 * are asides, but they bring the story's quarter back */
		if (!g->qview_y) {
			g->qlead = v[6] - '0';
			g->qview_y = atoi(v) + (is_year_ago(g, i, e) ? 1 : 0);
		}
		g->qview = g->qlead;
		return;
	}
	/* another period: "the nine months", "the first half", "the year"
	 * and "fiscal 1989" as a reporting period */
	int other = 0;
	if (r->type == CHR_TIMEX_DURATION && n == 3 && v[0] == 'P' &&
	    (v[2] == 'M' || v[2] == 'Y') && v[1] != '3')
		other = 1;
	if (r->type == CHR_TIMEX_DATE && n == 7 && v[5] == 'H')
		other = 1;
	if (r->type == CHR_TIMEX_DATE && n == 4 && !is_year_ago(g, i, e))
		for (size_t k = i; k < e && !other; k++)
			if (g_word(g, k, W_FISCAL) ||
			    (g_word(g, k, W_THE) && g_cls(g, k + 1, LC_UNIT) == TU_YEAR))
				other = 1;
	if (other)
		g->qview = -1;
}
