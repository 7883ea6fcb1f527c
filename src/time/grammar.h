/*
 * grammar: the shared state and helpers of the time matcher.
 *
 * Design note: the matcher is a set of pattern functions, each reading a
 * bounded number of tokens from a start position and returning the end
 * token (0 when it does not apply) with a filled result.  The helpers
 * here keep the patterns short: token class tests, value writers and the
 * tense and anchor logic that resolves weekdays, bare months and
 * relative units.  grammar.c holds the driver, absolute dates, times and
 * weekdays; grammar_rel.c the relative, duration, set and quarter
 * patterns; grammar_ext.c definite and ordinal units ("the week", "the
 * day before", "the first week of January") and parts of the day with an
 * article ("in the morning", "overnight").
 */
#ifndef CHR_TIME_GRAMMAR_H
#define CHR_TIME_GRAMMAR_H

#include <stdio.h>
#include <string.h>
#include "time/time.h"

typedef struct gctx {
	const char *text;
	const time_tok *t;
	size_t n;
	time_date dct;  /* y = 0: unknown */
	time_date ref;  /* the last day named in the text (starts at dct) */
	size_t ref_at;  /* byte offset just after that day's expression */
	time_date pref; /* the last month or year named with its year
			 * ("June 1998": d = 0; "1988": m = d = 0) */
	size_t pref_at; /* byte offset just after it; 0: none */
	int qview;      /* the reporting period in view: the story's
			 * quarter (1..4), -1 after another period ("the
			 * nine months"), 0 none (grammar_cmp.c) */
	int qlead;      /* the story's quarter: the first one named */
	int qview_y;    /* its year; 0 while none was named */
} gctx;

typedef struct gres {
	size_t end;       /* token index, exclusive */
	int type;         /* chr_timex_type */
	char val[24];
	char mod[16];
	int isday;        /* names a specific day: it becomes the anchor */
	time_date day;
	int rel;          /* the value came from a relative expression */
} gres;

/* ---- token tests ---- */
static inline int g_word(const gctx *g, size_t i, int w)
{
	if (i >= g->n)
		return 0;
	const time_lex *l = &g->t[i].lx;
	return (l->cls == LC_WORD && l->val == w) ||
	       (l->cls2 == LC_WORD && l->val2 == w);
}
/* The value of class c at token i, or -1. */
static inline int g_cls(const gctx *g, size_t i, int c)
{
	if (i >= g->n || g->t[i].kind != TK_WORD)
		return -1;
	const time_lex *l = &g->t[i].lx;
	if (l->cls == c)
		return l->val;
	if (l->cls2 == c)
		return l->val2;
	return -1;
}
static inline int g_punct(const gctx *g, size_t i, char ch)
{
	return i < g->n && g->t[i].kind == TK_PUNCT && g->t[i].ch == ch;
}
/* Token i directly touches token i - 1 (no space between). */
static inline int g_adj(const gctx *g, size_t i)
{
	return i < g->n && !(g->t[i].flags & TF_SPACE);
}
static inline int g_num(const gctx *g, size_t i)
{
	return i < g->n && g->t[i].kind == TK_NUM &&
	       !(g->t[i].flags & TF_GROUPED) && g->t[i].num >= 0;
}
static inline int g_plural(const gctx *g, size_t i)
{
	return i < g->n && (g->t[i].lx.flags & LF_PLURAL);
}
static inline int g_cap(const gctx *g, size_t i)
{
	return i < g->n && (g->t[i].flags & TF_CAP);
}
int g_wordis(const gctx *g, size_t i, const char *lower);

/* ---- values ---- */
/* snprintf into dst (truncating); values here are short by construction. */
void g_fmt(char *dst, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void g_set(gres *r, int type, const char *val);
void g_day(gres *r, int type, int y, int m, int d);
void g_month(gres *r, int y, int m);
void g_year(gres *r, int y);
void g_week(gres *r, time_date d, int weekend);
void g_quarter(gres *r, int y, int q);
void g_dur(gres *r, double n, int unit, int approx);
/* A unit's offset from dct by k, at the unit's own granularity. */
void g_offset(const gctx *g, gres *r, int unit, int k, time_date base);

/* ---- context ---- */
/* Token i starts a new sentence (or paragraph). */
int g_sent_break(const gctx *g, size_t i);
/* A year-on-year phrase resolved to a year in a sentence about a
 * quarter becomes that quarter a year before (grammar_cmp.c). */
void g_cmp_quarter(const gctx *g, size_t i, size_t e, gres *r);
/* Notes the reporting period an emitted expression names (g->qview). */
void g_cmp_note(gctx *g, size_t i, size_t e, const gres *r);
/* The quarter "the quarter" means: the one in view, else the one a
 * report made on the document date is most likely about. */
int g_view_quarter(const gctx *g, int *y);
/* The TIMEX3 code of a part of the day (PD_*): "MO", "AF", ...; NULL
 * for noon, midnight and unknown parts. */
const char *g_part_code(int pd);
/* The anchor for a clock time at token i: the last named day when it is
 * in the same sentence, else the document date. */
time_date g_ref_near(const gctx *g, size_t i);
/* Tense around tokens [i, j): +1 future, -1 past, 0 none. */
int g_tense(const gctx *g, size_t i, size_t j);
/* g_tense, but a deadline given or moved ("postponed until Tuesday",
 * "extended through January") is ahead: +1. */
int g_tense_ahead(const gctx *g, size_t i, size_t j);
/* The weekday wd (1..7) resolved against dct by tense. */
time_date g_wday(const gctx *g, int wd, int tense);
/* The year of month m (no year given) by tense. */
int g_month_year(const gctx *g, int m, int tense);
/* The year of a month-day (no year given) by tense. */
int g_md_year(const gctx *g, int m, int d, int tense);
/* Number word or digits at i (NUM, "twenty-five", "a"/"an" when
 * allow_a); *end gets the next token; -2 for "several"/"few" (X). */
int g_number(const gctx *g, size_t i, size_t *end, int allow_a);
/* A year at i: four digits, or spoken ("nineteen ninety-six"); *end
 * after it; 0 when none. */
int g_year_at(const gctx *g, size_t i, size_t *end);

/* ---- patterns (return end token or 0) ---- */
size_t p_date(const gctx *g, size_t i, gres *r);
size_t p_numeric(const gctx *g, size_t i, gres *r);
size_t p_year(const gctx *g, size_t i, gres *r);
size_t p_time(const gctx *g, size_t i, gres *r);
size_t p_wday(const gctx *g, size_t i, gres *r);
size_t p_deictic(const gctx *g, size_t i, gres *r);
size_t p_rel(const gctx *g, size_t i, gres *r);
size_t p_duration(const gctx *g, size_t i, gres *r);
size_t p_set(const gctx *g, size_t i, gres *r);
size_t p_quarter(const gctx *g, size_t i, gres *r);
size_t p_holiday(const gctx *g, size_t i, gres *r);
size_t p_defunit(const gctx *g, size_t i, gres *r);

/* The best core match at i (no approximators or modifiers). */
size_t g_core(const gctx *g, size_t i, gres *r);

#endif
