/*
 * tag: the driver of the time tagger and its public entry points.
 *
 * Design note: the driver walks the tokens once.  At each token it reads
 * optional prefixes (approximators such as "about", "nearly", "more than";
 * position modifiers such as "early", "late", "mid-", "the end of",
 * "earlier this ...") and then asks every core pattern for a match,
 * keeping the longest; a hit skips past its end.  Text is tokenised in
 * chunks of at most CHUNK tokens; a chunk only starts matches where the
 * whole look-ahead window is inside it, and the next chunk re-reads a
 * few tokens of left context, so memory is bounded and time is linear
 * for any input, including one 10 MB line without spaces.
 *
 * Most tokens that reach the patterns are function words ("the", "of",
 * "to", "and"), and most patterns can start at only a few of them; each
 * pattern's list below says which (read off the pattern: at a token whose
 * classes are all LC_WORD, these are the only g_word tests at the start
 * token that can lead to a match; p_date, p_numeric, p_time and p_wday
 * need a month, weekday, part of day or number there).  A pure function
 * word skips the patterns that cannot start at it, and so does a number
 * (p_deictic, p_rel, p_wday and p_holiday read only word classes at
 * their start token); every other token asks them all, so the result is
 * the same, in the same order.  A token with no class at all (a word
 * outside the lexicon, punctuation other than an apostrophe) starts
 * nothing, not even a modifier or an approximator, so the driver steps
 * over it without asking.
 */
#include "time/grammar.h"

#include <pthread.h>
#include <stdlib.h>

#include "pipeline/article.h"

#define CHUNK 4096
#define BACK 24 /* tokens of left context carried into the next chunk */

typedef size_t (*pattern_fn)(const gctx *, size_t, gres *);
static const pattern_fn patterns[] = {
	p_date, p_numeric, p_year, p_time, p_wday, p_deictic,
	p_rel, p_duration, p_set, p_quarter, p_holiday, p_defunit,
};
enum { PAT_YEAR = 2, PAT_WDAY = 4, PAT_DEICTIC = 5, PAT_REL = 6,
       PAT_DURATION = 7, PAT_SET = 8, PAT_QUARTER = 9, PAT_HOLIDAY = 10,
       PAT_DEFUNIT = 11,
       NPAT = sizeof patterns / sizeof patterns[0] };
_Static_assert(NPAT <= 16, "pattern mask");

/* The function words each pattern can start at (W_NONE ends a list). */
static const uint8_t w_year[] = { W_THE, W_FISCAL, W_FY, W_NONE };
static const uint8_t w_deictic[] = { W_TODAY, W_YESTERDAY, W_TOMORROW,
	W_TONIGHT, W_THIS, W_LAST, W_NOW, W_CURRENT, W_CURRENTLY,
	W_NOWADAYS, W_RECENTLY, W_LATELY, W_THESE, W_THE, W_NONE };
static const uint8_t w_rel[] = { W_THE, W_LAST, W_NEXT, W_THIS, W_CURRENT,
	W_PAST, W_COMING, W_UPCOMING, W_PREVIOUS, W_PRIOR, W_FOLLOWING,
	W_RECENT, W_SAME, W_THAT, W_FIRST, W_NONE };
/* g_number's words, "a"/"an" too */
static const uint8_t w_duration[] = { W_A, W_AN, W_SEVERAL, W_FEW, W_MANY,
	W_DOZENS, W_HUNDREDS, W_COUPLE, W_NONE };
static const uint8_t w_set[] = { W_EVERY, W_EACH, W_ONCE, W_TWICE,
	W_SEVERAL, W_FEW, W_MANY, W_DOZENS, W_HUNDREDS, W_COUPLE, W_NONE };
/* and "final" (ord_at), added when the lexicon has it as a word */
static const uint8_t w_quarter[] = { W_THE, W_Q, W_YEAR_AGO, W_THIS,
	W_LAST, W_NEXT, W_FISCAL, W_NONE };
static const uint8_t w_holiday[] = { W_NEW, W_NONE };
static const uint8_t w_defunit[] = { W_MID, W_EARLY, W_LATE, W_THAT, W_THE,
	W_NONE };

static uint16_t g_starts[W_COUNT]; /* word -> patterns it may start */
static pthread_once_t g_starts_once = PTHREAD_ONCE_INIT;
static int g_all_patterns; /* tests: no shortcut */

void time_tag_all_patterns(int on)
{
	g_all_patterns = on;
}

static void build_starts(void)
{
	static const struct { int p; const uint8_t *w; } lists[] = {
		{ PAT_YEAR, w_year }, { PAT_DEICTIC, w_deictic },
		{ PAT_REL, w_rel }, { PAT_DURATION, w_duration },
		{ PAT_SET, w_set }, { PAT_QUARTER, w_quarter },
		{ PAT_HOLIDAY, w_holiday }, { PAT_DEFUNIT, w_defunit },
	};
	for (size_t k = 0; k < sizeof lists / sizeof lists[0]; k++)
		for (const uint8_t *w = lists[k].w; *w != W_NONE; w++)
			g_starts[*w] |= (uint16_t)(1u << lists[k].p);
	time_lex f = time_lex_get("final", 5);
	if (f.cls == LC_WORD && f.val < W_COUNT)
		g_starts[f.val] |= 1u << PAT_QUARTER;
	if (f.cls2 == LC_WORD && f.val2 < W_COUNT)
		g_starts[f.val2] |= 1u << PAT_QUARTER;
}

/* Token t can start no expression: every test match() makes at its start
 * token reads a word class, and g_core turns such a token away. */
static int inert(const time_tok *t)
{
	if (g_all_patterns)
		return 0;
	if (t->kind == TK_PUNCT)
		return t->ch != '\'';
	return t->kind == TK_WORD && t->lx.cls == LC_NONE && t->lx.cls2 == LC_NONE;
}

/* The patterns that may match at token t: all, unless it is a pure
 * function word. */
static unsigned may_start(const time_tok *t)
{
	const time_lex *l = &t->lx;
	if (g_all_patterns)
		return ~0u;
	if (t->kind == TK_NUM)
		return ~((1u << PAT_WDAY) | (1u << PAT_DEICTIC) | (1u << PAT_REL) |
			 (1u << PAT_HOLIDAY));
	if (t->kind != TK_WORD || l->cls != LC_WORD ||
	    (l->cls2 != LC_NONE && l->cls2 != LC_WORD) || l->val >= W_COUNT ||
	    (l->cls2 == LC_WORD && l->val2 >= W_COUNT))
		return ~0u;
	return g_starts[l->val] | (l->cls2 == LC_WORD ? g_starts[l->val2] : 0u);
}

size_t g_core(const gctx *g, size_t i, gres *r)
{
	const time_tok *t = &g->t[i];
	/* most tokens cannot start an expression; verbs, tense markers
	 * and count nouns are in the lexicon only as context */
	if (t->kind == TK_WORD &&
	    (t->lx.cls == LC_NONE ||
	     (t->lx.cls2 == LC_NONE && (t->lx.cls == LC_PAST || t->lx.cls == LC_FUT ||
					t->lx.cls == LC_PRES || t->lx.cls == LC_UNITNOUN))))
		return 0;
	if (t->kind == TK_PUNCT && t->ch != '\'')
		return 0;
	size_t best = 0;
	gres tmp;
	unsigned may = may_start(t);
	for (size_t p = 0; p < NPAT; p++) {
		if (!(may & (1u << p)))
			continue;
		memset(&tmp, 0, sizeof tmp);
		size_t e = patterns[p](g, i, &tmp);
		if (e > best) {
			best = e;
			*r = tmp;
		}
	}
	if (best)
		r->end = best;
	return best;
}

/* "the year", "the month", "the week", "the day", "the decade": the
 * current one; only after a position modifier ("the end of the year"). */
static size_t the_unit(const gctx *g, size_t i, gres *r)
{
	if (!g_word(g, i, W_THE))
		return 0;
	int u = g_cls(g, i + 1, LC_UNIT);
	if (u <= 0 || g_plural(g, i + 1) || u == TU_HALF || u == TU_NIGHT)
		return 0;
	if (u == TU_DAY) {
		if (g->ref.y <= 0)
			return 0;
		g_day(r, CHR_TIMEX_DATE, g->ref.y, g->ref.m, g->ref.d);
		r->isday = 0;
		return i + 2;
	}
	g_offset(g, r, u, 0, g->dct);
	if (g->dct.y <= 0)
		return 0;
	return i + 2;
}

static const char *approx_at(const gctx *g, size_t i, size_t *end)
{
	*end = i + 1;
	if (g_word(g, i, W_ABOUT) || g_word(g, i, W_AROUND) ||
	    g_word(g, i, W_APPROXIMATELY) || g_word(g, i, W_ROUGHLY) ||
	    g_word(g, i, W_SOME))
		return "APPROX";
	if (g_word(g, i, W_NEARLY) || g_word(g, i, W_ALMOST))
		return "EQUAL_OR_LESS";
	if ((g_word(g, i, W_MORE) || g_word(g, i, W_LESS) || g_word(g, i, W_FEWER)) &&
	    g_word(g, i + 1, W_THAN)) {
		*end = i + 2;
		return g_word(g, i, W_MORE) ? "MORE_THAN" : "LESS_THAN";
	}
	if (g_word(g, i, W_AT) && (g_word(g, i + 1, W_LEAST) || g_word(g, i + 1, W_MOST))) {
		*end = i + 2;
		return g_word(g, i + 1, W_LEAST) ? "EQUAL_OR_MORE" : "EQUAL_OR_LESS";
	}
	if (g_word(g, i, W_UP) && g_word(g, i + 1, W_TO)) {
		*end = i + 2;
		return "EQUAL_OR_LESS";
	}
	if (g_word(g, i, W_OVER) || g_word(g, i, W_UNDER)) {
		if (g_word(g, i + 1, W_THE))
			return NULL;
		return g_word(g, i, W_OVER) ? "MORE_THAN" : "LESS_THAN";
	}
	return NULL;
}

/* Position modifiers: "early", "late", "mid-", "the end of", ... */
static const char *posmod_at(const gctx *g, size_t i, size_t *end, int *kind)
{
	size_t k = i;
	*kind = 0;
	int the = g_word(g, k, W_THE);
	if (the)
		k++;
	if (g_word(g, k, W_EARLY) || g_word(g, k, W_LATE) || g_word(g, k, W_MID)) {
		const char *m = g_word(g, k, W_EARLY) ? "START" :
				g_word(g, k, W_LATE) ? "END" : "MID";
		k++;
		if (g_punct(g, k, '-') && g_adj(g, k))
			k++;
		*end = k;
		*kind = the ? 2 : 1;
		return m;
	}
	if (the && (g_word(g, k, W_END) || g_word(g, k, W_BEGINNING) ||
		    g_word(g, k, W_START) || g_word(g, k, W_MIDDLE) ||
		    g_word(g, k, W_CLOSE)) && g_word(g, k + 1, W_OF)) {
		const char *m = g_word(g, k, W_MIDDLE) ? "MID" :
				(g_word(g, k, W_END) || g_word(g, k, W_CLOSE)) ? "END" :
				"START";
		*end = k + 2;
		*kind = 3;
		return m;
	}
	if (!the && (g_word(g, k, W_EARLIER) || g_word(g, k, W_LATER))) {
		*end = k + 1;
		*kind = 4;
		return g_word(g, k, W_EARLIER) ? "START" : "END";
	}
	return NULL;
}

/* The expression starting at token i, if any. */
static size_t match(gctx *g, size_t i, gres *r)
{
	size_t k, best = 0;
	gres tmp;
	/* position modifier + date */
	int kind;
	const char *pm = posmod_at(g, i, &k, &kind);
	if (pm && k < g->n) {
		memset(&tmp, 0, sizeof tmp);
		size_t e = g_core(g, k, &tmp);
		if (kind == 3 || kind == 4) {
			gres t2;
			memset(&t2, 0, sizeof t2);
			size_t e2 = 0;
			if (kind == 3)
				e2 = the_unit(g, k, &t2);
			/* earlier in the week / later in the day */
			if (kind == 4 && g_word(g, k, W_IN))
				e2 = the_unit(g, k + 1, &t2);
			if (e2 > e) {
				e = e2;
				tmp = t2;
			}
		}
		if (e && tmp.type != CHR_TIMEX_DURATION && tmp.type != CHR_TIMEX_SET &&
		    strcmp(tmp.val, "PAST_REF") != 0 && strcmp(tmp.val, "FUTURE_REF") != 0 &&
		    strcmp(tmp.val, "PRESENT_REF") != 0) {
			/* "earlier" and "later" only before deictic dates */
			int ok = 1;
			if (kind == 4 && !(tmp.rel || g_word(g, k, W_THIS) ||
					   g_word(g, k, W_IN) || g_word(g, k, W_TODAY) ||
					   g_word(g, k, W_YESTERDAY) || g_word(g, k, W_TOMORROW) ||
					   g_cls(g, k, LC_WDAY) > 0))
				ok = 0;
			/* "the early 1990s": "the" only before a year-like core */
			if (kind == 2 && (g_word(g, k, W_THE) || g_cls(g, k, LC_WDAY) > 0))
				ok = 0;
			if (ok) {
				*r = tmp;
				r->end = e;
				snprintf(r->mod, sizeof r->mod, "%s", pm);
				best = e;
			}
		}
		/* year-end without "the" is handled below */
	}
	/* approximator + expression */
	const char *ap = approx_at(g, i, &k);
	if (ap && k < g->n) {
		memset(&tmp, 0, sizeof tmp);
		size_t e = g_core(g, k, &tmp);
		int dur = tmp.type == CHR_TIMEX_DURATION ||
			  (e && g_word(g, e - 1, W_AGO));
		int ok = e && (dur || !strcmp(ap, "APPROX"));
		if (ok && (g_word(g, i, W_OVER) || g_word(g, i, W_UNDER) ||
			   g_word(g, i, W_SOME)) && !(dur && (g_num(g, k) ||
						      g_cls(g, k, LC_NUM) >= 0 ||
						      g_word(g, k, W_A) || g_word(g, k, W_AN))))
			ok = 0;
		if (ok && g_word(g, i, W_ABOUT) && !dur && g_cls(g, k, LC_MONTH) < 0 &&
		    !g_num(g, k))
			ok = 0;
		if (ok && e > best) {
			*r = tmp;
			r->end = e;
			snprintf(r->mod, sizeof r->mod, "%s", ap);
			best = e;
		}
	}
	/* year-end */
	if (g_cls(g, i, LC_UNIT) == TU_YEAR && !g_plural(g, i) && g_punct(g, i + 1, '-') &&
	    g_adj(g, i + 1) && g_word(g, i + 2, W_END) && g_adj(g, i + 2) && g->dct.y > 0 &&
	    i + 3 > best) {
		memset(r, 0, sizeof *r);
		g_day(r, CHR_TIMEX_DATE, g->dct.y, 12, 31);
		r->isday = 0;
		r->end = i + 3;
		best = i + 3;
	}
	/* "by year end", "at year's end": the end of the document's year */
	if (g_cls(g, i, LC_UNIT) == TU_YEAR && !g_plural(g, i) && i > 0 && g->dct.y > 0 &&
	    (g_word(g, i - 1, W_BY) || g_word(g, i - 1, W_AT) || g_word(g, i - 1, W_BEFORE) ||
	     g_word(g, i - 1, W_UNTIL) || g_word(g, i - 1, W_AROUND) ||
	     g_wordis(g, i - 1, "toward") || g_wordis(g, i - 1, "near"))) {
		size_t k2 = i + 1;
		if (g_punct(g, k2, '\'') && g_word(g, k2 + 1, W_S))
			k2 += 2;
		if (g_word(g, k2, W_END) && k2 + 1 > best) {
			memset(r, 0, sizeof *r);
			g_year(r, g->dct.y);
			snprintf(r->mod, sizeof r->mod, "END");
			r->end = k2 + 1;
			best = k2 + 1;
		}
	}
	memset(&tmp, 0, sizeof tmp);
	size_t e = g_core(g, i, &tmp);
	if (e > best) {
		*r = tmp;
		best = e;
	}
	return best;
}

static chr_status emit(time_out *out, const gctx *g, size_t i, const gres *r)
{
	if (out->n == out->cap) {
		if (out->n >= out->max)
			return CHR_ETOOBIG;
		size_t nc = out->cap ? out->cap * 2 : 16;
		time_expr *nv = realloc(out->v, nc * sizeof *nv);
		if (!nv)
			return CHR_ENOMEM;
		out->v = nv;
		out->cap = nc;
	}
	time_expr *x = &out->v[out->n++];
	memset(x, 0, sizeof *x);
	x->start = g->t[i].s;
	x->end = g->t[r->end - 1].e;
	x->type = (chr_timex_type)r->type;
	memcpy(x->value, r->val, sizeof x->value);
	x->value[sizeof x->value - 1] = 0;
	memcpy(x->mod, r->mod, sizeof x->mod);
	x->mod[sizeof x->mod - 1] = 0;
	return CHR_OK;
}

/* A month or a year written with its year ("June 1998", "in 1988")
 * anchors "that year", "the following month" (g->pref). */
static void note_period(gctx *g, size_t i, size_t e, const gres *r)
{
	const char *v = r->val;
	size_t n = strlen(v);
	if (r->type != CHR_TIMEX_DATE || r->rel || r->mod[0] || (n != 4 && n != 7) ||
	    v[0] < '0' || v[0] > '9' || (n == 7 && (v[4] != '-' || v[5] < '0' || v[5] > '1')))
		return;
	int written = 0;
	for (size_t k = i; k < e && !written; k++)
		written = g->t[k].kind == TK_NUM && g->t[k].ndig == 4;
	if (!written)
		return;
	g->pref.y = atoi(v);
	g->pref.m = n == 7 ? atoi(v + 5) : 0;
	g->pref.d = 0;
	g->pref_at = g->t[e - 1].e;
}

chr_status time_tag(const char *text, size_t len, time_date dct, time_out *out)
{
	if (len >= UINT32_MAX)
		return CHR_ETOOBIG;
	if (!out->max)
		out->max = (size_t)1 << 24;
	pthread_once(&g_starts_once, build_starts);
	/* A token takes at least one byte, so a text shorter than CHUNK
	 * bytes (nearly every article) fits in len tokens: one chunk, the
	 * same as with a full one, in a third of the memory or less. */
	size_t cap = len < CHUNK ? (len ? len : 1) : CHUNK;
	time_tok *toks = malloc(cap * sizeof *toks);
	if (!toks)
		return CHR_ENOMEM;
	gctx g;
	g.text = text;
	g.t = toks;
	g.dct = dct;
	g.ref = dct;
	g.ref_at = 0;
	g.pref = (time_date){0, 0, 0};
	g.pref_at = 0;
	g.qview = 0;
	g.qlead = 0;
	g.qview_y = 0;
	size_t pos = 0, first = 0;
	chr_status st = CHR_OK;
	while (pos < len) {
		size_t stop;
		size_t n = time_tokenize(text, pos, len, toks, cap, &stop);
		int at_end = n < CHUNK || stop >= len;
		g.n = n;
		size_t lim = at_end ? n : n - 2 * TIME_WINDOW;
		size_t i = first;
		while (i < lim) {
			if (inert(&g.t[i])) {
				i++;
				continue;
			}
			gres r;
			memset(&r, 0, sizeof r);
			size_t e = match(&g, i, &r);
			if (e > i) {
				r.end = e;
				g_cmp_quarter(&g, i, e, &r);
				if ((st = emit(out, &g, i, &r)) != CHR_OK)
					goto done;
				g_cmp_note(&g, i, e, &r);
				if (r.isday && r.day.y > 0) {
					g.ref = r.day;
					g.ref_at = g.t[e - 1].e;
				}
				note_period(&g, i, e, &r);
				i = e;
			} else {
				i++;
			}
		}
		if (at_end)
			break;
		/* carry BACK tokens of context into the next chunk */
		pos = toks[i - BACK].s;
		first = BACK;
	}
done:
	free(toks);
	return st;
}

/* ---------------------------------------------------------------- */
/* public API                                                         */
/* ---------------------------------------------------------------- */

const char *chr_timex_type_name(chr_timex_type t)
{
	switch (t) {
	case CHR_TIMEX_DATE: return "DATE";
	case CHR_TIMEX_TIME: return "TIME";
	case CHR_TIMEX_DURATION: return "DURATION";
	case CHR_TIMEX_SET: return "SET";
	default: return "DATE";
	}
}

chr_status chr_time_tag(const char *text, size_t len, const char *dct,
			chr_timex **out, size_t *n)
{
	if (!out || !n || (!text && len))
		return CHR_EINVAL;
	*out = NULL;
	*n = 0;
	time_date d = {0, 0, 0};
	if (dct && *dct && time_parse_date(dct, strlen(dct), &d) != 0)
		return CHR_EINVAL;
	time_out o = {NULL, 0, 0, 0};
	chr_status st = time_tag(text ? text : "", len, d, &o);
	if (st != CHR_OK) {
		free(o.v);
		return st;
	}
	*out = o.v;
	*n = o.n;
	if (!o.n) {
		free(o.v);
		*out = NULL;
	}
	return CHR_OK;
}

chr_status time_run(chr_article *a)
{
	chr_status ts = time_text_date(a);
	if (ts != CHR_OK)
		return ts;
	time_date d = {0, 0, 0};
	if (a->published[0])
		(void)time_parse_date(a->published, strlen(a->published), &d);
	a->timexes.n = 0;
	if (!a->text || !a->text_len)
		return CHR_OK;
	time_out o = {NULL, 0, 0, 0};
	chr_status st = time_tag(a->text, a->text_len, d, &o);
	for (size_t i = 0; st == CHR_OK && i < o.n; i++)
		if (art_vec_push(&a->mem, a->timexes, o.v[i]) != 0)
			st = CHR_ENOMEM;
	free(o.v);
	return st;
}

size_t chr_article_timex_count(const chr_article *a)
{
	return a ? a->timexes.n : 0;
}

const chr_timex *chr_article_timex(const chr_article *a, size_t i)
{
	return a && i < a->timexes.n ? &a->timexes.v[i] : NULL;
}
