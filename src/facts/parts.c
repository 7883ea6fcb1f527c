/*
 * facts/parts: a trigger's clause and participants (split from
 * extract.c).
 *
 * Design note: every finder reads the sentence window [t0, t1) of the
 * ectx that extract.c made for the article and answers with token or
 * mention indexes; none allocates.  The rules (what governs a name,
 * when a news outlet is a speaker, what a place or status word looks
 * like) are the ones extract.c's design note describes; they live here
 * so that extract.c reads as the walk over sentences and triggers.
 */
#include "facts/extract.h"

#include <stdio.h>
#include <strings.h>

#include "meta/agency.h"

/* ---- clauses ---- */

uint32_t fx_clause_start(const ectx *c, uint32_t t)
{
	while (t > c->t0) {
		uint32_t p = t - 1;
		if ((c->cls[p] & FW_BOUND) || say_word(c, p))
			return t;
		t = p;
	}
	return c->t0;
}

uint32_t fx_clause_end(const ectx *c, uint32_t t)
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

int fx_type_ok(const art_mention *m, int type)
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
int fx_possessive(const ectx *c, uint32_t t)
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
int fx_subjects(const ectx *c, uint32_t cs, uint32_t t, int type,
		    int32_t *out, int max)
{
	int n = 0;
	for (uint32_t k = cs; k < t && n == 0; k++) {
		int32_t m = c->men[k];
		if (m < 0 || (k > c->t0 && c->men[k - 1] == m))
			continue;
		if (!fx_type_ok(&c->a->mentions.v[m], type) || governed(c, k) ||
		    fx_possessive(c, k) || bracketed(c, k)) {
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
int fx_speaker(const ectx *c, uint32_t cs, uint32_t t, int32_t *out)
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
		if (!fx_type_ok(&c->a->mentions.v[m], FACT_SAY) || governed(c, b))
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
int fx_outlet(const ectx *c, int32_t m, uint32_t b)
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
int fx_says_of_itself(const ectx *c, uint32_t te)
{
	uint32_t k = te;
	if (is(c, k, "that"))
		k++;
	return is(c, k, "it") || is(c, k, "its");
}

/* First token of mention m in the sentence (t1 when absent). */
uint32_t fx_men_first_tok(const ectx *c, int32_t m)
{
	uint32_t t = c->t0;
	while (t < c->t1 && c->men[t] != m)
		t++;
	return t;
}

/* Names of allowed type from token t on (within the clause end ce), the
 * first one and those joined to it by "and" / ",".  One comma may be
 * crossed before the first ("her counterpart, Sergei Lavrov"). */
int fx_objects(const ectx *c, uint32_t t, uint32_t ce, int want,
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
		if ((int)mm->type != want || fx_possessive(c, k)) {
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
const char *fx_group_at(const ectx *c, uint32_t t, uint32_t ce)
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
int fx_desc_subject(const ectx *c, uint32_t cs, uint32_t t)
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
void fx_title_words(const ectx *c, int32_t m, char *out, size_t cap)
{
	uint32_t t = fx_men_first_tok(c, m);
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

const char *fx_place_name(const ectx *c, int32_t m)
{
	const art_mention *mm = &c->a->mentions.v[m];
	if (mm->flags & MEN_METONYM) /* "in Moscow", "at the Kremlin" */
		return art_strndup(c->a, c->a->text + mm->start, mm->end - mm->start);
	return mm->name;
}

/* Where a meeting was: a place after "in"/"at" in the clause, nearest to
 * the trigger; else the dateline when it names one place. */
const char *fx_meet_place(const ectx *c, uint32_t cs, uint32_t ce,
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
		return fx_place_name(c, best);
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

int fx_status_of(const ectx *c, uint32_t cs, uint32_t t, int frame,
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

void fx_duration_of(const ectx *c, uint32_t lo, uint32_t hi,
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
