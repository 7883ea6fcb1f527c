/*
 * facts/extract: per-article extraction of facts over tokens and mentions.
 *
 * Design note: one sentence at a time.  A trigger phrase (lex.c) is
 * matched at each token, longest first; its frame says where the
 * participants are.  The subject is the leftmost name of an allowed type
 * in the trigger's clause that is not governed by a preposition ("of
 * leader Kim"), not a possessive ("Kim's invitation") and not after
 * "according to"; names joined by "and" are coordinated subjects.  The
 * clause stops at boundary words (while, before, that, ...) and at
 * reporting verbs, so "KCNA added Choe and Lavrov discussed" makes Choe
 * and Lavrov the participants and KCNA only a speaker.  Objects follow
 * the trigger (after "with" / "by" / "to").  Negation and plans are read
 * from the few words before the trigger.  A counterpart that is a group
 * ("Russian officials") is kept as text, never turned into a name.  No
 * date is fixed here: the fact keeps its clause window (see facts.h).
 */
#include "facts/facts.h"

#include <string.h>
#include <strings.h>

#include "meta/agency.h"
#include "pipeline/article.h"

#define LW 24        /* lower-case word buffer */
#define OBJ_REACH 12 /* tokens an object may be from its trigger */

typedef struct ectx {
	chr_article *a;
	char (*low)[LW];  /* lower-case token text, per article token */
	unsigned *cls;    /* FW_* per token, of the low word's bytes */
	unsigned *zcls;   /* FW_* per token, of the low word as a C string
			     (the same unless the token holds a NUL byte);
			     what the string tests (FW_SAY, FW_QUOTE, ...)
			     read */
	const char **cnt; /* its count category when zcls has FW_COUNT */
	int64_t *num;     /* its number value when zcls has FW_NUM */
	int32_t *men;     /* mention index covering the token, or -1 */
	uint32_t t0, t1;  /* current sentence tokens */
	uint32_t sent;
	int32_t desc_person; /* the person a description stands for, or -1 */
	int marked;       /* facts_trig_marked(), asked once */
} ectx;

static int is(const ectx *c, uint32_t t, const char *w)
{
	return t < c->t1 && !strcmp(c->low[t], w);
}

static int in_set(const char *w, const char *const *set)
{
	for (; *set; set++)
		if (!strcmp(w, *set))
			return 1;
	return 0;
}

/* " “ ” ' ‘ (lex.c) */
static int is_quote(const ectx *c, uint32_t t)
{
	return (c->zcls[t] & FW_QUOTE) != 0;
}

static int is_poss(const ectx *c, uint32_t t)
{
	return is(c, t, "'s") || is(c, t, "'");
}

static int is_punct(const ectx *c, uint32_t t)
{
	return (c->a->toks.v[t].flags & TOK_PUNCT) != 0;
}

/* said, says, told, ... (lex.c) */
static int say_word(const ectx *c, uint32_t t)
{
	return (c->zcls[t] & FW_SAY) != 0;
}

/* Token index of the first and one past the last token of mention m in
 * [t0, t1). */
static uint32_t men_end_tok(const ectx *c, uint32_t t)
{
	int32_t m = c->men[t];
	while (t < c->t1 && c->men[t] == m)
		t++;
	return t;
}

/* ---- trigger matching ---- */

static int match_from(const ectx *c, const facts_trigger *tr, int i,
		      uint32_t t, uint32_t *end)
{
	if (i == tr->n) {
		*end = t;
		return 1;
	}
	while (t < c->t1 && is_quote(c, t))
		t++;
	if (t >= c->t1)
		return 0;
	if (!strcmp(tr->w[i], "*")) {
		for (uint32_t k = 0; k <= 3 && t + k < c->t1; k++) {
			if (k && (is_punct(c, t + k - 1) && !is_quote(c, t + k - 1)))
				break;
			if (match_from(c, tr, i + 1, t + k, end))
				return 1;
		}
		return 0;
	}
	if (strcmp(c->low[t], tr->w[i]))
		return 0;
	return match_from(c, tr, i + 1, t + 1, end);
}

static const facts_trigger *match_trigger(const ectx *c, uint32_t t,
					  uint32_t *end)
{
	if (c->men[t] >= 0 || is_punct(c, t))
		return NULL;
	if (!(c->cls[t] & FW_TRIG) && c->marked)
		return NULL; /* no trigger starts with this word */
	size_t n;
	const facts_trigger *tr = facts_triggers(&n);
	if (c->marked) {
		/* only the triggers this word starts, in the same order */
		const uint64_t *set = facts_word_trig(c->low[t], strlen(c->low[t]));
		for (size_t w = 0; set && w < FACTS_TRIG_WORDS; w++)
			for (uint64_t b = set[w]; b; b &= b - 1) {
				size_t i = w * 64 + (size_t)__builtin_ctzll(b);
				if (i < n && match_from(c, &tr[i], 0, t, end))
					return &tr[i];
			}
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		if (!strcmp(tr[i].w[0], c->low[t]) && match_from(c, &tr[i], 0, t, end))
			return &tr[i];
	return NULL;
}

/* ---- clauses ---- */

static uint32_t clause_start(const ectx *c, uint32_t t)
{
	while (t > c->t0) {
		uint32_t p = t - 1;
		if ((c->cls[p] & FW_BOUND) || say_word(c, p))
			return t;
		t = p;
	}
	return c->t0;
}

static uint32_t clause_end(const ectx *c, uint32_t t)
{
	for (; t < c->t1; t++) {
		if (((c->cls[t] & FW_BOUND) && !is(c, t, "that")) || say_word(c, t) ||
		    is(c, t, "according"))
			return t;
		if (is(c, t, ",") && t + 1 < c->t1 &&
		    (c->men[t + 1] >= 0 || is(c, t + 1, "the")) && t + 2 < c->t1) {
			/* ", the Kremlin said" / ", Putin said": a reporting tail */
			for (uint32_t k = t + 1; k < c->t1 && k < t + 6; k++)
				if (say_word(c, k))
					return t;
		}
	}
	return c->t1;
}

/* ---- names ---- */

static int type_ok(const art_mention *m, int type)
{
	if (m->type == CHR_ENT_PER)
		return 1;
	if (type == FACT_SAY || type == FACT_AGREE)
		return m->type == CHR_ENT_ORG || m->type == CHR_ENT_LOC;
	return 0;
}

/* 1 when the mention starting at token t sits after a preposition, over
 * title words ("of leader Kim Jong-un", "with Russia's Deputy Prime
 * Minister Alexander Novak"). */
static int governed(const ectx *c, uint32_t t)
{
	for (int k = 0; k < 8 && t > c->t0; k++) {
		uint32_t p = --t;
		if (c->cls[p] & FW_PREP)
			return 1;
		if (c->men[p] >= 0 || is_poss(c, p) || (c->cls[p] & FW_TITLE) ||
		    (c->a->toks.v[p].flags & TOK_CAP) || is(c, p, "-"))
			continue;
		return 0;
	}
	return 0;
}

/* The mention starting at t is followed by a possessive. */
static int possessive(const ectx *c, uint32_t t)
{
	uint32_t e = men_end_tok(c, t);
	return e < c->t1 && is_poss(c, e);
}

/* The mention starting at t stands in brackets: an aside or a credit
 * ("(ONS) -- Carridia and Ostrela agreed"), never a participant. */
static int bracketed(const ectx *c, uint32_t t)
{
	uint32_t e = men_end_tok(c, t);
	return t > c->t0 && is(c, t - 1, "(") && e < c->t1 && is(c, e, ")");
}

/* Subjects in [cs, t): the leftmost allowed name, and the names joined to
 * it by "and".  Returns how many (at most max). */
static int subjects(const ectx *c, uint32_t cs, uint32_t t, int type,
		    int32_t *out, int max)
{
	int n = 0;
	for (uint32_t k = cs; k < t && n == 0; k++) {
		int32_t m = c->men[k];
		if (m < 0 || (k > c->t0 && c->men[k - 1] == m))
			continue;
		if (!type_ok(&c->a->mentions.v[m], type) || governed(c, k) ||
		    possessive(c, k) || bracketed(c, k)) {
			k = men_end_tok(c, k) - 1;
			continue;
		}
		out[n++] = m;
		uint32_t e = men_end_tok(c, k);
		while (n < max && e + 1 < t && is(c, e, "and")) {
			uint32_t j = e + 1;
			while (j < t && c->men[j] < 0 && (c->cls[j] & FW_TITLE ||
				     c->a->toks.v[j].flags & TOK_CAP))
				j++;
			/* names of the first one's type ("Choe and Lavrov",
			 * "Norway and Sweden agreed") */
			if (j >= t || c->men[j] < 0 ||
			    c->a->mentions.v[c->men[j]].type != c->a->mentions.v[m].type)
				break;
			out[n++] = c->men[j];
			e = men_end_tok(c, j);
		}
	}
	return n;
}

/* The speaker of a reporting verb at t: the name right before it ("the
 * Kremlin said", "Peskov also said", "the KCNA (KCNA) reported"); a
 * noun phrase that is not a name ("state media", "an official from the
 * Kremlin", "it") gives none. */
static int speaker(const ectx *c, uint32_t cs, uint32_t t, int32_t *out)
{
	static const char *const adv[] = { "also", "has", "had", "have", "was",
		"later", "earlier", "reportedly", "previously", "officially",
		"then", "further", "separately", "again", NULL };
	uint32_t k = t;
	for (int i = 0; i < 6 && k > cs; i++) {
		uint32_t p = k - 1;
		if (in_set(c->low[p], adv)) {
			k = p;
			continue;
		}
		if (is(c, p, ")")) { /* "(KCNA)" */
			while (p > cs && !is(c, p, "("))
				p--;
			k = p;
			continue;
		}
		int32_t m = c->men[p];
		if (m < 0)
			return 0;
		uint32_t b = p;
		while (b > cs && c->men[b - 1] == m)
			b--;
		if (!type_ok(&c->a->mentions.v[m], FACT_SAY) || governed(c, b))
			return 0;
		out[0] = m;
		return 1;
	}
	return 0;
}

/* ---- news outlets as speakers ---- */

/* 1 when the lower-case word w[0, n) is in set. */
static int word_in(const char *w, size_t n, const char *const *set)
{
	if (!n)
		return 0;
	unsigned c0 = (unsigned char)w[0];
	c0 = c0 >= 'A' && c0 <= 'Z' ? c0 + 32 : c0;
	for (; *set; set++) /* the first letter before any call */
		if ((unsigned char)(*set)[0] == c0 && strlen(*set) == n &&
		    !strncasecmp(*set, w, n))
			return 1;
	return 0;
}

/* A news outlet or a fragment of a name rather than a speaker: mention m,
 * whose first token is b.  An outlet is a name with a news word in it
 * ("Korean Central News Agency", "Associated Press"), one of the article's
 * agencies (its credit line) or of the wire agencies the meta stage knows
 * ("Reuters", "Yonhap"), or a name right after
 * a media noun ("news agency TASS", "state agency Sputnik", "the daily
 * Asahi").  A fragment is a name that is one generic word ("Agency",
 * "Ministry"), which the name finder leaves when it misses the rest. */
static int outlet(const ectx *c, int32_t m, uint32_t b)
{
	static const char *const news[] = { "news", "press", "media", "newspaper",
		"broadcaster", "broadcasting", "television", "tv", "radio",
		"times", "gazette", "herald", "tribune", "journal", "wire", NULL };
	static const char *const generic[] = { "agency", "ministry", "office",
		"department", "committee", "council", "government", "service",
		"bureau", "authority", "commission", "news", "media", "press", NULL };
	static const char *const media_noun[] = { "agency", "newspaper", "daily",
		"broadcaster", "outlet", "tabloid", "media", "channel", "network",
		"wire", "weekly", "magazine", "paper", NULL };
	const art_mention *mm = &c->a->mentions.v[m];
	const char *names[2] = { mm->name, NULL };
	char surf[128];
	size_t sl = mm->end - mm->start;
	if (sl < sizeof surf) {
		memcpy(surf, c->a->text + mm->start, sl);
		surf[sl] = '\0';
		names[1] = surf;
	}
	for (int i = 0; i < 2; i++) {
		const char *s = names[i];
		if (!s)
			continue;
		int words = 0, newsw = 0, gen = 0;
		for (const char *p = s; *p;) {
			while (*p && !((*p | 32) >= 'a' && (*p | 32) <= 'z'))
				p++;
			const char *w = p;
			while ((*p | 32) >= 'a' && (*p | 32) <= 'z')
				p++;
			if (p == w)
				break;
			words++;
			newsw |= word_in(w, (size_t)(p - w), news);
			gen = word_in(w, (size_t)(p - w), generic);
		}
		if (newsw || (words == 1 && gen) || meta_agency_lookup(s, strlen(s)))
			return 1;
		for (size_t k = 0; k < c->a->agencies.n; k++)
			if (!strcasecmp(c->a->agencies.v[k], s))
				return 1;
	}
	/* a media noun within the three words before the name */
	for (uint32_t k = b, i = 0; k > c->t0 && i < 3; i++) {
		k--;
		if (is_punct(c, k) && !is(c, k, "-"))
			break;
		if (in_set(c->low[k], media_noun))
			return 1;
	}
	return 0;
}

/* The statement at [t, te) of the outlet speaker is the outlet's own news
 * when what it said is about itself: "Reuters said it would cut jobs". */
static int says_of_itself(const ectx *c, uint32_t te)
{
	uint32_t k = te;
	if (is(c, k, "that"))
		k++;
	return is(c, k, "it") || is(c, k, "its");
}

/* First token of mention m in the sentence (t1 when absent). */
static uint32_t men_first_tok(const ectx *c, int32_t m)
{
	uint32_t t = c->t0;
	while (t < c->t1 && c->men[t] != m)
		t++;
	return t;
}

/* Names of allowed type from token t on (within the clause end ce), the
 * first one and those joined to it by "and" / ",".  One comma may be
 * crossed before the first ("her counterpart, Sergei Lavrov"). */
static int objects(const ectx *c, uint32_t t, uint32_t ce, int want,
		   int32_t *out, int max)
{
	int n = 0, commas = 0;
	uint32_t lim = t + OBJ_REACH < ce ? t + OBJ_REACH : ce;
	for (uint32_t k = t; k < lim && n == 0; k++) {
		if (is(c, k, ",") && ++commas > 1)
			break;
		if (is(c, k, ".") || is(c, k, ";"))
			break;
		int32_t m = c->men[k];
		if (m < 0)
			continue;
		const art_mention *mm = &c->a->mentions.v[m];
		uint32_t e = men_end_tok(c, k);
		if ((int)mm->type != want || possessive(c, k)) {
			k = e - 1;
			continue;
		}
		if (e < c->t1 && say_word(c, e))
			break; /* ", Putin said": a speaker, not an object */
		out[n++] = m;
		int commas_used = 0, and_used = 0;
		while (n < max && e + 1 < ce && (is(c, e, "and") || is(c, e, ","))) {
			uint32_t j = e + 1;
			if (is(c, e, "and"))
				and_used = 1;
			else
				commas_used = 1;
			if (is(c, j, "and")) {
				j++;
				and_used = 1;
			}
			while (j < ce && c->men[j] < 0 && (c->cls[j] & FW_TITLE ||
				     c->a->toks.v[j].flags & TOK_CAP))
				j++;
			if (j >= ce || c->men[j] < 0 ||
			    (int)c->a->mentions.v[c->men[j]].type != want)
				break;
			out[n++] = c->men[j];
			e = men_end_tok(c, j);
		}
		if (commas_used && !and_used)
			n = 1; /* "with Choe, Lavrov expressed": not a list */
	}
	return n;
}

/* A group counterpart from token t: [det] words* group-head. */
static const char *group_at(const ectx *c, uint32_t t, uint32_t ce)
{
	if (t < ce && (is(c, t, "the") || is(c, t, "a") || (c->cls[t] & FW_PRON)))
		t++;
	for (uint32_t k = t; k < ce && k < t + 6; k++) {
		if (is_punct(c, k) || (c->men[k] >= 0 &&
				       c->a->mentions.v[c->men[k]].type == CHR_ENT_PER))
			return NULL;
		if (c->cls[k] & FW_GROUP) {
			const art_token *a0 = &c->a->toks.v[t], *a1 = &c->a->toks.v[k];
			return art_strndup(c->a, c->a->text + a0->start,
					   a1->end - a0->start);
		}
	}
	return NULL;
}

/* A description subject in [cs, t): "a senior North Korean diplomat". */
static int desc_subject(const ectx *c, uint32_t cs, uint32_t t)
{
	if (c->desc_person < 0 || cs >= t)
		return 0;
	if (!(is(c, cs, "a") || is(c, cs, "an") || is(c, cs, "the")))
		return 0;
	for (uint32_t k = cs + 1; k < t && k < cs + 7; k++) {
		if (c->men[k] >= 0 && c->a->mentions.v[c->men[k]].type == CHR_ENT_PER)
			return 0;
		if (c->cls[k] & FW_DESC)
			return 1;
		if (is_punct(c, k))
			return 0;
	}
	return 0;
}

/* The words before mention m (title phrase), lower case. */
static void title_words(const ectx *c, int32_t m, char *out, size_t cap)
{
	uint32_t t = men_first_tok(c, m);
	uint32_t b = t;
	while (b > c->t0 && b > t - 6 && (c->a->toks.v[b - 1].flags & TOK_CAP) &&
	       !(c->a->toks.v[b - 1].flags & TOK_SENT_START))
		b--;
	size_t n = 0;
	for (uint32_t k = b; k < t && n + 2 < cap; k++) {
		size_t l = strlen(c->low[k]);
		if (n + l + 2 >= cap)
			break;
		if (n)
			out[n++] = ' ';
		memcpy(out + n, c->low[k], l);
		n += l;
	}
	out[n] = '\0';
}

/* ---- places, status, duration ---- */

static const char *place_name(const ectx *c, int32_t m)
{
	const art_mention *mm = &c->a->mentions.v[m];
	if (mm->flags & MEN_METONYM) /* "in Moscow", "at the Kremlin" */
		return art_strndup(c->a, c->a->text + mm->start, mm->end - mm->start);
	return mm->name;
}

/* Where a meeting was: a place after "in"/"at" in the clause, nearest to
 * the trigger; else the dateline when it names one place. */
static const char *meet_place(const ectx *c, uint32_t cs, uint32_t ce,
			      uint32_t t, uint8_t *from)
{
	int32_t best = -1;
	uint32_t bestd = UINT32_MAX;
	uint32_t lo = t > cs + 8 ? t - 8 : cs + 1;
	uint32_t hi = t + 14 < ce ? t + 14 : ce;
	for (uint32_t k = lo; k < hi; k++) {
		int32_t m = c->men[k];
		if (m < 0 || c->men[k - 1] == m ||
		    c->a->mentions.v[m].type != CHR_ENT_LOC)
			continue;
		uint32_t p = k - 1;
		if (is(c, p, "the") && p > cs)
			p--;
		if (!is(c, p, "in") && !is(c, p, "at"))
			continue;
		uint32_t d = k > t ? k - t : t - k;
		if (d < bestd) {
			bestd = d;
			best = m;
		}
	}
	if (best >= 0) {
		*from = FWHERE_TEXT;
		return place_name(c, best);
	}
	const char *dl = c->a->dateline;
	int named = 0; /* the dateline place is named in the story */
	for (size_t i = 0; dl && i < c->a->mentions.n && !named; i++) {
		const art_mention *m = &c->a->mentions.v[i];
		named = m->type == CHR_ENT_LOC && !(m->flags & MEN_HEADLINE) &&
			m->end - m->start == strlen(dl) &&
			!strncasecmp(c->a->text + m->start, dl, strlen(dl));
	}
	if (named && !strpbrk(dl, "/,;")) {
		size_t n = strlen(dl);
		char *s = arena_strndup(&c->a->mem, dl, n);
		if (!s)
			return NULL;
		for (size_t i = 1; i < n; i++) /* "MOSCOW" -> "Moscow" */
			if (s[i] >= 'A' && s[i] <= 'Z' && s[i - 1] != ' ' && s[i - 1] != '-')
				s[i] = (char)(s[i] + 32);
		*from = FWHERE_DATELINE;
		return s;
	}
	return NULL;
}

static int status_of(const ectx *c, uint32_t cs, uint32_t t, int frame,
		     int type)
{
	uint32_t lo = t > cs + 5 ? t - 5 : cs;
	int st = FACT_HAPPENED;
	for (uint32_t k = lo; k < t; k++) {
		if (c->cls[k] & FW_NEG)
			return FACT_NEGATED;
		if (c->cls[k] & FW_PLAN)
			st = FACT_PLANNED;
	}
	if (st == FACT_HAPPENED && t > c->t0 && is(c, t - 1, "to") &&
	    type != FACT_SAY && frame != FR_NOUN && frame != FR_BY &&
	    frame != FR_BETWEEN)
		st = FACT_PLANNED; /* "to visit": an infinitive */
	return st;
}

static void duration_of(const ectx *c, uint32_t lo, uint32_t hi,
			facts_fact *f)
{
	const chr_article *a = c->a;
	for (size_t i = 0; i < a->timexes.n; i++) {
		const chr_timex *x = &a->timexes.v[i];
		if (x->type != CHR_TIMEX_DURATION || x->start < lo || x->end > hi)
			continue;
		memcpy(f->duration, x->value, sizeof f->duration);
		f->duration[sizeof f->duration - 1] = '\0';
		return;
	}
}

/* ---- building facts ---- */

static int push(ectx *c, facts_fact *f, uint32_t cs, uint32_t ce,
		uint32_t t, uint32_t te)
{
	chr_article *a = c->a;
	f->sent = c->sent;
	f->trig_start = a->toks.v[t].start;
	f->trig_end = a->toks.v[te - 1].end;
	if (f->type == FACT_SAY && ce > te + 2)
		ce = te + 2; /* when it was said, not what */
	f->win_lo = a->toks.v[cs].start;
	f->win_hi = a->toks.v[ce > cs ? ce - 1 : cs].end;
	uint32_t xs = cs, xe = ce;
	if (f->type != FACT_SAY) {
		while (xs > c->t0 && !say_word(c, xs - 1) && !is(c, xs - 1, ";") &&
		       !is(c, xs - 1, ":") && !is(c, xs - 1, "that"))
			xs--;
		while (xe < c->t1 && !say_word(c, xe) && !is(c, xe, ";") &&
		       !is(c, xe, "according"))
			xe++;
	}
	f->xwin_lo = a->toks.v[xs].start;
	f->xwin_hi = a->toks.v[xe > xs ? xe - 1 : xs].end;
	if (f->where_from != FWHERE_TEXT && f->type == FACT_MEET) {
		/* a place said before for the same person wins over the
		 * dateline ("Choe met Lavrov in Moscow ... Choe also held
		 * talks with Titov") */
		for (size_t i = a->facts.n; i-- > 0;) {
			const facts_fact *g = &a->facts.v[i];
			if (g->sent + 3 < c->sent)
				break;
			if (g->type == f->type && g->where_from == FWHERE_TEXT &&
			    g->who >= 0 && f->who >= 0 &&
			    !strcmp(a->mentions.v[g->who].key, a->mentions.v[f->who].key)) {
				f->where = g->where;
				f->where_from = FWHERE_INHERIT;
				break;
			}
		}
	}
	/* drop a fact equal to one already found in this sentence */
	for (size_t i = a->facts.n; i-- > 0 && a->facts.v[i].sent == c->sent;) {
		const facts_fact *g = &a->facts.v[i];
		if (g->type != f->type || g->nwith != f->nwith ||
		    !g->who != !f->who || g->status != f->status)
			continue;
		const art_mention *w1 = f->who >= 0 ? &a->mentions.v[f->who] : NULL;
		const art_mention *w2 = g->who >= 0 ? &a->mentions.v[g->who] : NULL;
		if ((w1 && w2 && strcmp(w1->key, w2->key)) || !w1 != !w2)
			continue;
		int same = 1;
		for (uint32_t k = 0; k < f->nwith && same; k++)
			same = !strcmp(a->mentions.v[f->with[k]].key,
				       a->mentions.v[g->with[k]].key);
		if (same && (f->type != FACT_SAY))
			return 0;
	}
	if (f->nwith) {
		char buf[512];
		size_t n = 0;
		for (uint32_t k = 0; k < f->nwith; k++) {
			char tw[160];
			title_words(c, f->with[k], tw, sizeof tw);
			size_t l = strlen(tw);
			if (n + l + 2 >= sizeof buf)
				break;
			if (k)
				buf[n++] = '|';
			memcpy(buf + n, tw, l);
			n += l;
		}
		buf[n] = '\0';
		f->with_titles = art_strndup(a, buf, n);
	}
	return art_vec_push(&a->mem, a->facts, *f);
}

/* Remove the subject from the objects and duplicates. */
static void add_with(const ectx *c, facts_fact *f, const int32_t *m, int n)
{
	for (int i = 0; i < n && f->nwith < FACT_MAXP; i++) {
		const char *key = c->a->mentions.v[m[i]].key;
		int dup = f->who >= 0 && !strcmp(c->a->mentions.v[f->who].key, key);
		for (uint32_t k = 0; k < f->nwith && !dup; k++)
			dup = !strcmp(c->a->mentions.v[f->with[k]].key, key);
		if (!dup)
			f->with[f->nwith++] = m[i];
	}
}

/* Possessive owner of a noun trigger at t: "Choe's visit", "her talks".
 * Returns a mention index or -1; *pron is set for a pronoun. */
static int32_t noun_owner(const ectx *c, uint32_t t, uint32_t *pron_at)
{
	uint32_t k = t;
	for (int i = 0; i < 4 && k > c->t0; i++) {
		uint32_t p = k - 1;
		if (is_poss(c, p) && p > c->t0 && c->men[p - 1] >= 0)
			return c->men[p - 1];
		if (c->cls[p] & FW_PRON) {
			*pron_at = p;
			return -1;
		}
		if (is_punct(c, p) && !is(c, p, "-") && !is_quote(c, p))
			return -1;
		if (c->men[p] >= 0)
			return -1;
		k = p;
	}
	return -1;
}

/* A possessive pronoun: the nearest person before it in the sentence,
 * else the first person after the trigger that is not a counterpart. */
static int32_t resolve_pron(const ectx *c, uint32_t p, uint32_t after,
			    const facts_fact *f)
{
	for (uint32_t k = p; k-- > c->t0;)
		if (c->men[k] >= 0 && c->a->mentions.v[c->men[k]].type == CHR_ENT_PER)
			return c->men[k];
	for (uint32_t k = after; k < c->t1; k++) {
		int32_t m = c->men[k];
		if (m < 0 || c->a->mentions.v[m].type != CHR_ENT_PER)
			continue;
		int taken = 0;
		for (uint32_t j = 0; j < f->nwith; j++)
			taken |= !strcmp(c->a->mentions.v[f->with[j]].key,
					 c->a->mentions.v[m].key);
		if (!taken)
			return m;
	}
	return -1;
}

static uint32_t find_word(const ectx *c, uint32_t from, uint32_t to,
			  const char *w)
{
	for (uint32_t k = from; k < to; k++)
		if (is(c, k, w))
			return k;
	return UINT32_MAX;
}

static void trigger(ectx *c, const facts_trigger *tr, uint32_t t, uint32_t te)
{
	facts_fact f;
	memset(&f, 0, sizeof f);
	f.type = (uint8_t)tr->type;
	f.who = -1;
	int32_t subj[FACT_MAXP], obj[FACT_MAXP];
	int ns = 0, no = 0;
	int fr = tr->frame;
	uint32_t cs = clause_start(c, t), ce = clause_end(c, te);
	if (fr == FR_GER) {
		/* "before meeting Putin": the subject of the main clause */
		if (t == c->t0 || !(is(c, t - 1, "before") || is(c, t - 1, "after") ||
				    is(c, t - 1, "while") || is(c, t - 1, "since")))
			return;
		ns = subjects(c, clause_start(c, t - 1), t - 1, f.type, subj, 1);
		no = objects(c, te, ce, CHR_ENT_PER, obj, FACT_MAXP);
		if (!ns || !no)
			return;
	} else if (fr == FR_SAY || fr == FR_QUOTE || fr == FR_ACCORD) {
		if (fr == FR_ACCORD) {
			ns = 0;
			for (uint32_t k = te; k < c->t1 && k < te + 8 && !ns; k++) {
				int32_t m = c->men[k];
				if (m < 0 || possessive(c, k) ||
				    !type_ok(&c->a->mentions.v[m], FACT_SAY)) {
					if (m >= 0)
						k = men_end_tok(c, k) - 1;
					continue;
				}
				subj[ns++] = m;
			}
			cs = t;
		} else if (fr == FR_QUOTE) {
			uint32_t q = UINT32_MAX;
			for (uint32_t k = t; k-- > cs;)
				if (is(c, k, "quoted")) {
					q = k;
					break;
				}
			if (q == UINT32_MAX)
				return;
			if (q > c->t0 && (is(c, q - 1, "was") || is(c, q - 1, "were")))
				ns = subjects(c, cs, q - 1, f.type, subj, 1);
			else
				for (uint32_t k = q + 1; k < t && !ns; k++)
					if (c->men[k] >= 0 &&
					    type_ok(&c->a->mentions.v[c->men[k]], FACT_SAY))
						subj[ns++] = c->men[k];
		} else {
			ns = speaker(c, cs, t, subj);
			if (!ns && t > c->t0 && (is(c, t - 1, ",") || is_quote(c, t - 1)) &&
			    te < c->t1 && c->men[te] >= 0 &&
			    type_ok(&c->a->mentions.v[c->men[te]], FACT_SAY))
				subj[ns++] = c->men[te]; /* "said Peskov" */
		}
		if (!ns)
			return;
		/* attribution to a news outlet ("according to KCNA", "the KCNA
		 * reported") is where the news came from, not a statement */
		if (outlet(c, subj[0], men_first_tok(c, subj[0])) &&
		    (fr == FR_ACCORD || !says_of_itself(c, te)))
			return;
		f.who = subj[0];
		f.status = (uint8_t)status_of(c, cs, t, fr, f.type);
		push(c, &f, cs, ce, t, te);
		return;
	} else if (fr == FR_BY) {
		no = objects(c, te, ce, CHR_ENT_PER, obj, 1);
		if (!no)
			return;
		f.who = obj[0];
		no = 0;
		uint32_t to = find_word(c, te, ce, "to");
		int32_t pl[1];
		if (to != UINT32_MAX && objects(c, to + 1, ce, CHR_ENT_LOC, pl, 1)) {
			f.where = place_name(c, pl[0]);
			f.where_from = FWHERE_TEXT;
		}
		if (!f.where)
			return;
		f.status = (uint8_t)status_of(c, cs, t, fr, f.type);
		push(c, &f, cs, ce, t, te);
		return;
	} else if (fr == FR_BETWEEN) {
		no = objects(c, te, ce, CHR_ENT_PER, obj, FACT_MAXP);
		if (no < 2)
			return;
		f.who = obj[0];
		add_with(c, &f, obj + 1, no - 1);
		f.status = (uint8_t)status_of(c, cs, t, fr, f.type);
		f.where = meet_place(c, cs, ce, t, &f.where_from);
		push(c, &f, cs, ce, t, te);
		return;
	} else if (fr == FR_NOUN) {
		uint32_t pron = UINT32_MAX;
		int32_t own = noun_owner(c, t, &pron);
		if (f.type == FACT_MEET)
			no = objects(c, te, ce, CHR_ENT_PER, obj, FACT_MAXP);
		if (own >= 0) {
			subj[ns++] = own;
		} else if (pron != UINT32_MAX) {
			facts_fact tmp;
			memset(&tmp, 0, sizeof tmp);
			tmp.who = -1;
			add_with(c, &tmp, obj, no);
			int32_t r = resolve_pron(c, pron, te, &tmp);
			if (r >= 0) {
				subj[ns++] = r;
				f.who_from = FWHO_PRON;
			}
		} else {
			ns = subjects(c, cs, t, f.type, subj, FACT_MAXP);
		}
		if (!ns)
			return;
	} else {
		ns = subjects(c, cs, t, f.type, subj, FACT_MAXP);
		if (!ns && (f.type == FACT_MEET || f.type == FACT_VISIT) &&
		    desc_subject(c, cs, t)) {
			subj[ns++] = c->desc_person;
			f.who_from = FWHO_DESC;
		}
	}
	if (fr == FR_PASS) {
		/* "was briefed by X": X is the agent */
		no = objects(c, te, ce, CHR_ENT_PER, obj, 1);
		if (!no || !ns)
			return;
		f.who = obj[0];
		add_with(c, &f, subj, ns);
	} else if (f.type == FACT_VISIT) {
		if (!ns)
			return;
		f.who = subj[0];
		int32_t pl[1];
		uint32_t from = te;
		if (fr == FR_PLACE || fr == FR_NOUN) {
			if (objects(c, from, ce < from + 5 ? ce : from + 5, CHR_ENT_LOC, pl, 1)) {
				f.where = place_name(c, pl[0]);
				f.where_from = FWHERE_TEXT;
			}
		}
		if (!f.where) {
			/* "visited Putin": a meeting, not a trip */
			if (fr == FR_PLACE && objects(c, from, ce < from + 3 ? ce : from + 3,
						      CHR_ENT_PER, obj, 1)) {
				f.type = FACT_MEET;
				add_with(c, &f, obj, 1);
			} else {
				return;
			}
		}
		uint32_t lo = c->a->toks.v[t > cs + 3 ? t - 3 : cs].start;
		uint32_t hi = c->a->toks.v[ce > cs ? ce - 1 : cs].end;
		duration_of(c, lo, hi, &f);
	} else if (f.type == FACT_MEET) {
		if (!ns)
			return;
		f.who = subj[0];
		if (fr == FR_WITH) {
			uint32_t w = c->low[te - 1][0] && is(c, te - 1, "with") ? te - 1
				     : find_word(c, te, ce, "with");
			if (w != UINT32_MAX) {
				no = objects(c, w + 1, ce, CHR_ENT_PER, obj, FACT_MAXP);
				if (!no)
					f.group = group_at(c, w + 1, ce);
			}
		} else if (fr == FR_ACT || fr == FR_GER) {
			no = objects(c, te, ce, CHR_ENT_PER, obj, FACT_MAXP);
			if (!no && fr == FR_ACT && !is(c, t, "received"))
				f.group = group_at(c, te, ce);
		}
		add_with(c, &f, subj + 1, ns - 1); /* coordinated subjects */
		add_with(c, &f, obj, no);
		if (!f.nwith && !f.group)
			return; /* "the two sides discussed": nobody named */
		f.where = meet_place(c, cs, ce, t, &f.where_from);
	} else { /* agreements */
		if (!ns)
			return;
		f.who = subj[0];
		add_with(c, &f, subj + 1, ns - 1);
		uint32_t w = find_word(c, te, ce, "with");
		if (w != UINT32_MAX) {
			no = objects(c, w + 1, ce, CHR_ENT_PER, obj, FACT_MAXP);
			add_with(c, &f, obj, no);
		}
	}
	f.status = (uint8_t)status_of(c, cs, t, fr, f.type);
	push(c, &f, cs, ce, t, te);
}

/* ---- counts ---- */

static int64_t num_value(const ectx *c, uint32_t t)
{
	const art_token *tk = &c->a->toks.v[t];
	if (tk->flags & TOK_NUM) {
		int64_t v = 0;
		for (uint32_t i = tk->start; i < tk->end; i++) {
			char ch = c->a->text[i];
			if (ch == ',')
				continue;
			if (ch < '0' || ch > '9' || v > 100000000)
				return -1;
			v = v * 10 + (ch - '0');
		}
		if (v >= 1900 && v <= 2100 && tk->end - tk->start == 4)
			return -1; /* a year */
		return v;
	}
	if (c->zcls[t] & FW_NUM)
		return c->num[t];
	return -1;
}

static int in_timex(const chr_article *a, uint32_t start)
{
	for (size_t i = 0; i < a->timexes.n; i++)
		if (a->timexes.v[i].start <= start && start < a->timexes.v[i].end)
			return 1;
	return 0;
}

static void counts(ectx *c)
{
	/* the words that may come between (FW_FILL): people, persons,
	 * civilians, soldiers, were, was, have, ... (lex.c) */
	for (uint32_t t = c->t0; t < c->t1; t++) {
		int64_t v = num_value(c, t);
		if (v < 0 || in_timex(c->a, c->a->toks.v[t].start))
			continue;
		const char *what = NULL;
		/* "12 people were killed", "12 dead" */
		for (uint32_t k = t + 1; k < c->t1 && k < t + 5 && !what; k++) {
			if (c->zcls[k] & FW_COUNT)
				what = c->cnt[k];
			else if (!(c->zcls[k] & FW_FILL))
				break;
		}
		/* "killed at least 12", "death toll rose to 15" */
		for (uint32_t k = t; k-- > c->t0 && k + 5 > t && !what;) {
			if (c->zcls[k] & FW_COUNT)
				what = c->cnt[k];
			else if (!(c->zcls[k] & FW_FILL) && !is(c, k, "nearly") &&
				 !is(c, k, "about") && !is(c, k, "some"))
				break;
		}
		if (!what)
			continue;
		facts_count fc = { c->a->toks.v[t].start, c->a->toks.v[t].end,
				   c->sent, v, what };
		art_vec_push(&c->a->mem, c->a->fact_counts, fc);
	}
}

/* ---- the stage ---- */

/* The person a description ("a senior diplomat") stands for: the most
 * mentioned person with a title, when clearly ahead of the next. */
static int32_t top_person(const chr_article *a)
{
	int32_t best = -1, bestn = 0, second = 0;
	for (size_t i = 0; i < a->mentions.n; i++) {
		const art_mention *m = &a->mentions.v[i];
		if (m->type != CHR_ENT_PER || (m->flags & MEN_HEADLINE) || !m->role)
			continue;
		int32_t n = 0;
		for (size_t j = 0; j < a->mentions.n; j++)
			n += a->mentions.v[j].type == CHR_ENT_PER &&
			     !strcmp(a->mentions.v[j].key, m->key);
		if (n > bestn) {
			if (best < 0 || strcmp(a->mentions.v[best].key, m->key))
				second = bestn;
			best = (int32_t)i;
			bestn = n;
		} else if (n > second && strcmp(a->mentions.v[best].key, m->key)) {
			second = n;
		}
	}
	return bestn >= 2 && bestn > second ? best : -1;
}

chr_status facts_run(chr_article *a)
{
	size_t nt = a->toks.n;
	if (!nt || !a->sents.n)
		return CHR_OK;
	ectx c;
	memset(&c, 0, sizeof c);
	c.a = a;
	c.low = arena_alloc(&a->mem, nt * sizeof *c.low);
	c.cls = arena_alloc(&a->mem, nt * sizeof *c.cls);
	c.zcls = arena_alloc(&a->mem, nt * sizeof *c.zcls);
	c.cnt = arena_alloc(&a->mem, nt * sizeof *c.cnt);
	c.num = arena_alloc(&a->mem, nt * sizeof *c.num);
	c.men = arena_alloc(&a->mem, nt * sizeof *c.men);
	if (!c.low || !c.cls || !c.zcls || !c.cnt || !c.num || !c.men)
		return CHR_ENOMEM;
	for (size_t i = 0; i < nt; i++) {
		const art_token *tk = &a->toks.v[i];
		size_t n = 0, zn = LW; /* zn: where a NUL byte is */
		for (uint32_t b = tk->start; b < tk->end && n + 1 < LW; b++) {
			unsigned char ch = (unsigned char)a->text[b];
			if (!ch && zn == LW)
				zn = n;
			if (ch == 0xE2 && b + 2 < tk->end && (unsigned char)a->text[b + 1] == 0x80 &&
			    (unsigned char)a->text[b + 2] == 0x99 && tk->end - tk->start > 3) {
				c.low[i][n++] = '\''; /* ’ inside a word */
				b += 2;
				continue;
			}
			c.low[i][n++] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
		}
		c.low[i][n] = '\0';
		c.cnt[i] = NULL;
		c.num[i] = 0;
		c.cls[i] = facts_word_lc(c.low[i], n, &c.cnt[i], &c.num[i]);
		c.zcls[i] = c.cls[i];
		if (zn < n) { /* a NUL byte: the string tests stop there */
			c.cnt[i] = NULL;
			c.num[i] = 0;
			c.zcls[i] = facts_word_lc(c.low[i], zn, &c.cnt[i], &c.num[i]);
		}
		c.men[i] = -1;
	}
	size_t t = 0;
	for (size_t i = 0; i < a->mentions.n; i++) {
		const art_mention *m = &a->mentions.v[i];
		if (m->flags & MEN_HEADLINE)
			continue;
		while (t < nt && a->toks.v[t].end <= m->start)
			t++;
		for (size_t k = t; k < nt && a->toks.v[k].start < m->end; k++)
			c.men[k] = (int32_t)i;
	}
	c.desc_person = top_person(a);
	c.marked = facts_trig_marked();
	for (size_t s = 0; s < a->sents.n; s++) {
		const art_sentence *se = &a->sents.v[s];
		c.t0 = se->tok;
		c.t1 = se->tok + se->ntok;
		c.sent = (uint32_t)s;
		for (uint32_t k = c.t0; k < c.t1;) {
			uint32_t end;
			const facts_trigger *tr = match_trigger(&c, k, &end);
			if (!tr) {
				k++;
				continue;
			}
			trigger(&c, tr, k, end);
			k = end > k ? end : k + 1;
		}
		counts(&c);
	}
	return CHR_OK;
}

long facts_pick_timex(const chr_timex *tx, size_t n, uint32_t lo,
		      uint32_t hi, uint32_t ts, uint32_t te)
{
	long best = -1;
	uint32_t bestd = UINT32_MAX;
	for (size_t i = 0; i < n; i++) {
		const chr_timex *x = &tx[i];
		if (x->start < lo || x->end > hi)
			continue;
		if (x->type != CHR_TIMEX_DATE && x->type != CHR_TIMEX_TIME)
			continue;
		if (!strcmp(x->value, "PRESENT_REF") || !strcmp(x->value, "PAST_REF") ||
		    !strcmp(x->value, "FUTURE_REF"))
			continue;
		uint32_t d = x->start >= te ? (uint32_t)(x->start - te)
			     : ts >= x->end ? (uint32_t)(ts - x->end) : 0;
		if (d < bestd) {
			bestd = d;
			best = (long)i;
		}
	}
	return best;
}

const char *facts_type_name(int type)
{
	static const char *const n[] = { "?", "meeting", "visit", "statement",
					 "agreement" };
	return type >= 1 && type <= 4 ? n[type] : "?";
}

const char *facts_status_name(int status)
{
	static const char *const n[] = { "happened", "negated", "planned" };
	return status >= 0 && status <= 2 ? n[status] : "?";
}
