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
 * The per-token arrays of the extraction (lower-case words, classes,
 * counts, numbers, mentions) are read only while an article is
 * extracted: they are the thread's, reused from article to article
 * (grown to the longest), not the article's arena, which kept them to
 * the end of the article's life and faulted in fresh pages for each.
 */
#include "facts/extract.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "meta/agency.h"
#include "pipeline/article.h"
#include "text/bytetab.h"

/* ---- the per-token lower-case copy ---- */

/* Each byte's lower-case form (ASCII letters folded, every other byte
 * kept), with LOW_ODD added for the two bytes the copy treats apart: NUL
 * (the string tests stop there) and 0xE2 (’ may become '). */
#define LOW_ODD 0x100u
#define LOW1_(c) ((c) == 0 || (c) == 0xE2 ? (c) | LOW_ODD : TEXT_LOWER(c))
static const uint16_t low_tab[256] = { TEXT_TAB256(LOW1_) };
#undef LOW1_

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
			fx_title_words(c, f->with[k], tw, sizeof tw);
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
	uint32_t cs = fx_clause_start(c, t), ce = fx_clause_end(c, te);
	if (fr == FR_GER) {
		/* "before meeting Putin": the subject of the main clause */
		if (t == c->t0 || !(is(c, t - 1, "before") || is(c, t - 1, "after") ||
				    is(c, t - 1, "while") || is(c, t - 1, "since")))
			return;
		ns = fx_subjects(c, fx_clause_start(c, t - 1), t - 1, f.type, subj, 1);
		no = fx_objects(c, te, ce, CHR_ENT_PER, obj, FACT_MAXP);
		if (!ns || !no)
			return;
	} else if (fr == FR_SAY || fr == FR_QUOTE || fr == FR_ACCORD) {
		if (fr == FR_ACCORD) {
			ns = 0;
			for (uint32_t k = te; k < c->t1 && k < te + 8 && !ns; k++) {
				int32_t m = c->men[k];
				if (m < 0 || fx_possessive(c, k) ||
				    !fx_type_ok(&c->a->mentions.v[m], FACT_SAY)) {
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
				ns = fx_subjects(c, cs, q - 1, f.type, subj, 1);
			else
				for (uint32_t k = q + 1; k < t && !ns; k++)
					if (c->men[k] >= 0 &&
					    fx_type_ok(&c->a->mentions.v[c->men[k]], FACT_SAY))
						subj[ns++] = c->men[k];
		} else {
			ns = fx_speaker(c, cs, t, subj);
			if (!ns && t > c->t0 && (is(c, t - 1, ",") || is_quote(c, t - 1)) &&
			    te < c->t1 && c->men[te] >= 0 &&
			    fx_type_ok(&c->a->mentions.v[c->men[te]], FACT_SAY))
				subj[ns++] = c->men[te]; /* "said Peskov" */
		}
		if (!ns)
			return;
		/* attribution to a news outlet ("according to KCNA", "the KCNA
		 * reported") is where the news came from, not a statement */
		if (fx_outlet(c, subj[0], fx_men_first_tok(c, subj[0])) &&
		    (fr == FR_ACCORD || !fx_says_of_itself(c, te)))
			return;
		f.who = subj[0];
		f.status = (uint8_t)fx_status_of(c, cs, t, fr, f.type);
		push(c, &f, cs, ce, t, te);
		return;
	} else if (fr == FR_BY) {
		no = fx_objects(c, te, ce, CHR_ENT_PER, obj, 1);
		if (!no)
			return;
		f.who = obj[0];
		no = 0;
		uint32_t to = find_word(c, te, ce, "to");
		int32_t pl[1];
		if (to != UINT32_MAX && fx_objects(c, to + 1, ce, CHR_ENT_LOC, pl, 1)) {
			f.where = fx_place_name(c, pl[0]);
			f.where_from = FWHERE_TEXT;
		}
		if (!f.where)
			return;
		f.status = (uint8_t)fx_status_of(c, cs, t, fr, f.type);
		push(c, &f, cs, ce, t, te);
		return;
	} else if (fr == FR_BETWEEN) {
		no = fx_objects(c, te, ce, CHR_ENT_PER, obj, FACT_MAXP);
		if (no < 2)
			return;
		f.who = obj[0];
		add_with(c, &f, obj + 1, no - 1);
		f.status = (uint8_t)fx_status_of(c, cs, t, fr, f.type);
		f.where = fx_meet_place(c, cs, ce, t, &f.where_from);
		push(c, &f, cs, ce, t, te);
		return;
	} else if (fr == FR_NOUN) {
		uint32_t pron = UINT32_MAX;
		int32_t own = noun_owner(c, t, &pron);
		if (f.type == FACT_MEET)
			no = fx_objects(c, te, ce, CHR_ENT_PER, obj, FACT_MAXP);
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
			ns = fx_subjects(c, cs, t, f.type, subj, FACT_MAXP);
		}
		if (!ns)
			return;
	} else {
		ns = fx_subjects(c, cs, t, f.type, subj, FACT_MAXP);
		if (!ns && (f.type == FACT_MEET || f.type == FACT_VISIT) &&
		    fx_desc_subject(c, cs, t)) {
			subj[ns++] = c->desc_person;
			f.who_from = FWHO_DESC;
		}
	}
	if (fr == FR_PASS) {
		/* "was briefed by X": X is the agent */
		no = fx_objects(c, te, ce, CHR_ENT_PER, obj, 1);
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
			if (fx_objects(c, from, ce < from + 5 ? ce : from + 5, CHR_ENT_LOC, pl, 1)) {
				f.where = fx_place_name(c, pl[0]);
				f.where_from = FWHERE_TEXT;
			}
		}
		if (!f.where) {
			/* "visited Putin": a meeting, not a trip */
			if (fr == FR_PLACE && fx_objects(c, from, ce < from + 3 ? ce : from + 3,
						      CHR_ENT_PER, obj, 1)) {
				f.type = FACT_MEET;
				add_with(c, &f, obj, 1);
			} else {
				return;
			}
		}
		uint32_t lo = c->a->toks.v[t > cs + 3 ? t - 3 : cs].start;
		uint32_t hi = c->a->toks.v[ce > cs ? ce - 1 : cs].end;
		fx_duration_of(c, lo, hi, &f);
	} else if (f.type == FACT_MEET) {
		if (!ns)
			return;
		f.who = subj[0];
		if (fr == FR_WITH) {
			uint32_t w = c->low[te - 1][0] && is(c, te - 1, "with") ? te - 1
				     : find_word(c, te, ce, "with");
			if (w != UINT32_MAX) {
				no = fx_objects(c, w + 1, ce, CHR_ENT_PER, obj, FACT_MAXP);
				if (!no)
					f.group = fx_group_at(c, w + 1, ce);
			}
		} else if (fr == FR_ACT || fr == FR_GER) {
			no = fx_objects(c, te, ce, CHR_ENT_PER, obj, FACT_MAXP);
			if (!no && fr == FR_ACT && !is(c, t, "received"))
				f.group = fx_group_at(c, te, ce);
		}
		add_with(c, &f, subj + 1, ns - 1); /* coordinated subjects */
		add_with(c, &f, obj, no);
		if (!f.nwith && !f.group)
			return; /* "the two sides discussed": nobody named */
		f.where = fx_meet_place(c, cs, ce, t, &f.where_from);
	} else { /* agreements */
		if (!ns)
			return;
		f.who = subj[0];
		add_with(c, &f, subj + 1, ns - 1);
		uint32_t w = find_word(c, te, ce, "with");
		if (w != UINT32_MAX) {
			no = fx_objects(c, w + 1, ce, CHR_ENT_PER, obj, FACT_MAXP);
			add_with(c, &f, obj, no);
		}
	}
	f.status = (uint8_t)fx_status_of(c, cs, t, fr, f.type);
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

/* ---- the thread's per-token arrays ---- */

/* Ceiling on the tokens of one article the arrays take (an article is
 * at most a few MB, so this is never reached by valid input). */
#define FX_MAXTOK ((size_t)1 << 24)

typedef struct fx_scratch {
	char (*low)[LW];
	unsigned *cls, *zcls;
	const char **cnt;
	int64_t *num;
	int32_t *men;
	size_t cap; /* tokens each array holds */
} fx_scratch;

static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;
static int scratch_key_ok;

static void scratch_destroy(void *p)
{
	fx_scratch *x = p;
	free(x->low);
	free(x->cls);
	free(x->zcls);
	free(x->cnt);
	free(x->num);
	free(x->men);
	free(x);
}

static void scratch_key_init(void)
{
	scratch_key_ok = pthread_key_create(&scratch_key, scratch_destroy) == 0;
}

/* Grow one array to n elements of size sz (*p kept on failure). */
static int grow(void **p, size_t n, size_t sz)
{
	void *q = realloc(*p, n * sz);
	if (!q)
		return -1;
	*p = q;
	return 0;
}

/* The thread's arrays, for nt tokens, into c; ENOMEM or ETOOBIG. */
static chr_status scratch_for(ectx *c, size_t nt)
{
	if (nt > FX_MAXTOK)
		return CHR_ETOOBIG;
	pthread_once(&scratch_once, scratch_key_init);
	if (!scratch_key_ok)
		return CHR_ENOMEM;
	fx_scratch *x = pthread_getspecific(scratch_key);
	if (!x) {
		if (!(x = calloc(1, sizeof *x)))
			return CHR_ENOMEM;
		if (pthread_setspecific(scratch_key, x)) {
			free(x);
			return CHR_ENOMEM;
		}
	}
	if (nt > x->cap) {
		size_t n = x->cap * 2 > nt ? x->cap * 2 : nt;
		if (n < 1024)
			n = 1024;
		if (grow((void **)&x->low, n, sizeof *x->low) ||
		    grow((void **)&x->cls, n, sizeof *x->cls) ||
		    grow((void **)&x->zcls, n, sizeof *x->zcls) ||
		    grow((void **)&x->cnt, n, sizeof *x->cnt) ||
		    grow((void **)&x->num, n, sizeof *x->num) ||
		    grow((void **)&x->men, n, sizeof *x->men))
			return CHR_ENOMEM; /* cap unchanged: each array holds it */
		x->cap = n;
	}
	c->low = x->low;
	c->cls = x->cls;
	c->zcls = x->zcls;
	c->cnt = x->cnt;
	c->num = x->num;
	c->men = x->men;
	return CHR_OK;
}

chr_status facts_run(chr_article *a)
{
	size_t nt = a->toks.n;
	if (!nt || !a->sents.n)
		return CHR_OK;
	ectx c;
	memset(&c, 0, sizeof c);
	c.a = a;
	chr_status st = scratch_for(&c, nt); /* every entry is set below */
	if (st)
		return st;
	c.marked = facts_trig_marked(); /* loads the tables: _loaded below */
	const unsigned char *tx = (const unsigned char *)a->text;
	for (size_t i = 0; i < nt; i++) {
		/* locals, so the loop keeps them in registers (the stores to
		 * lo could alias the token and the text otherwise) */
		const uint32_t b0 = a->toks.v[i].start, be = a->toks.v[i].end;
		char *lo = c.low[i];
		size_t n = 0, zn = LW; /* zn: where a NUL byte is */
		/* nearly every token fits and holds neither a NUL byte nor
		 * 0xE2 (the lead byte of ’): one table read per byte; any
		 * other token takes the byte loop below from the start */
		if (be - b0 < LW) {
			unsigned odd = 0;
			const unsigned char *p = tx + b0, *pe = tx + be;
			char *o = lo;
			while (p < pe) {
				unsigned v = low_tab[*p++];
				odd |= v;
				*o++ = (char)v;
			}
			if (!(odd & LOW_ODD)) {
				*o = '\0';
				n = (size_t)(o - lo);
				goto classify;
			}
		}
		for (uint32_t b = b0; b < be && n + 1 < LW; b++) {
			unsigned char ch = tx[b];
			if (ch == 0xE2 && b + 2 < be && tx[b + 1] == 0x80 &&
			    tx[b + 2] == 0x99 && be - b0 > 3) {
				lo[n++] = '\''; /* ’ inside a word */
				b += 2;
				continue;
			}
			if (!ch && zn == LW)
				zn = n;
			lo[n++] = (char)((unsigned)(ch - 'A') < 26u ? ch + 32 : ch);
		}
		lo[n] = '\0';
	classify:
		c.cnt[i] = NULL;
		c.num[i] = 0;
		c.cls[i] = facts_word_lc_loaded(c.low[i], n, &c.cnt[i], &c.num[i]);
		c.zcls[i] = c.cls[i];
		if (zn < n) { /* a NUL byte: the string tests stop there */
			c.cnt[i] = NULL;
			c.num[i] = 0;
			c.zcls[i] = facts_word_lc_loaded(c.low[i], zn, &c.cnt[i],
							 &c.num[i]);
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
