/*
 * clean: the clean stage, wiring the focused modules together.
 *
 * Design note: the stage is a fixed sequence of linear passes, each in its
 * own module: headline (boilerplate.c: header date, wire markers, caption
 * and credit), paragraphs (paragraphs.c: unwrap, broken words), per-
 * paragraph rules (boilerplate.c), trailing agency tags, the dateline
 * (meta/dateline.c, so the lede repeated before it can be recognised), and
 * repeats (repeat.c).  Paragraphs are marked, not deleted, while the rules
 * run; the clean text and the removed list are written at the end in one
 * pass, so removals come out in input order.  All scratch memory is the
 * article's arena or a buf with a ceiling.
 */
#include "clean.h"

#include <string.h>

#include "boilerplate.h"
#include "meta/dateline.h"
#include "paragraphs.h"
#include "repeat.h"
#include "wordlist.h"

#define EARLY_PARAS 3   /* handles under the headline */
#define DATELINE_PARAS 4

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

static void trim(const char **s, size_t *n)
{
	while (*n && is_ws(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && is_ws((*s)[*n - 1]))
		(*n)--;
}

static chr_status record(chr_article *a, const char *s, size_t n,
			 const char *reason)
{
	trim(&s, &n);
	if (!n)
		return CHR_OK;
	return art_remove(a, s, n, reason) ? CHR_ENOMEM : CHR_OK;
}

/* Headline: the input title, else the first non-empty line(s) that are
 * not wholly markers, headers or handles.  Returns where the body starts. */
static size_t take_headline(chr_article *a)
{
	const char *s = a->raw ? a->raw : "";
	size_t n = a->raw ? a->raw_len : 0;
	if (a->in_title) {
		const char *h = clean_headline(a, a->in_title,
					       strlen(a->in_title));
		a->headline = h ? h : "";
		return 0;
	}
	size_t i = 0;
	for (int tries = 0; tries < 4 && i < n; tries++) {
		while (i < n && is_ws(s[i]))
			i++;
		size_t j = i;
		while (j < n && s[j] != '\n' && s[j] != '\r')
			j++;
		if (j == i)
			break;
		const char *h = clean_headline(a, s + i, j - i);
		i = j;
		if (h) {
			a->headline = h;
			return i;
		}
	}
	a->headline = "";
	return i;
}

chr_status clean_run(chr_article *a)
{
	size_t body = take_headline(a);
	const char *raw = a->raw ? a->raw : "";
	size_t rn = a->raw ? a->raw_len : 0;
	if (body > rn)
		body = rn;

	clean_words cw;
	clean_words_init(&cw, clean_dict(), raw + body, rn - body);
	buf text;
	buf_init(&text, 2 * (rn - body) + 64);
	clean_paras ps = {0};
	/* the unwrapped text is never longer than the body: one allocation,
	 * not a doubling from 64 bytes */
	chr_status st = buf_grow(&text, rn - body);
	buf_reset(&text); /* "" */
	if (!st)
		st = clean_split(raw + body, rn - body, &cw, &a->mem, &text, &ps);
	clean_words_free(&cw);
	if (st)
		goto out;
	const char *t = text.p ? text.p : "";

	/* whole-paragraph rules and trailing tags */
	for (size_t i = 0; i < ps.n; i++) {
		clean_para *p = &ps.v[i];
		int brk = 0;
		p->reason = clean_classify(a, t + p->off, p->len,
					   i < EARLY_PARAS, &brk);
		if (brk)
			p->flags |= CLEAN_P_BREAKING;
		if (!p->reason) {
			const char *why = NULL;
			size_t cut = clean_tail_tag(a, t + p->off, p->len, &why);
			if (cut) {
				p->suf = cut;
				p->suf_reason = why;
			}
		}
	}
	/* the dateline: in one of the first paragraphs that are left; a
	 * bare "PLACE, Text" only in the first */
	size_t seen = 0;
	for (size_t i = 0; i < ps.n && seen < DATELINE_PARAS; i++) {
		clean_para *p = &ps.v[i];
		if (p->reason)
			continue;
		if (seen == 0 && a->headline &&
		    clean_same_text(t + p->off, p->len, a->headline,
				    strlen(a->headline))) {
			p->reason = CLEAN_R_REPEAT;
			continue;
		}
		seen++;
		meta_dateline dl;
		size_t m = meta_dateline_match(t + p->off, p->len - p->suf, &dl);
		/* a weak dateline (no date, no credit) only opens the story */
		if (m && !dl.strong && seen > 1)
			m = 0;
		/* the input named the dateline: only that place is cut */
		if (m && a->in_dateline && *a->in_dateline &&
		    strncmp(a->in_dateline, t + p->off + dl.place_off,
			    dl.place_len) != 0)
			m = 0;
		if (m && m < p->len - p->suf) {
			p->pre = m;
			p->pre_reason = CLEAN_R_DATELINE;
			p->flags |= CLEAN_P_KEEP;
			break;
		}
	}
	if ((st = clean_repeats(&ps, t, a->headline, &a->mem)))
		goto out;

	/* write the clean text and the removed list in input order */
	buf outb; /* paragraphs joined by "\n\n": two bytes more per paragraph */
	buf_init(&outb, text.len + 2 * ps.n + 64);
	st = buf_grow(&outb, text.len + 2 * ps.n); /* all of it, at once */
	buf_reset(&outb);
	for (size_t i = 0; i < ps.n && !st; i++) {
		clean_para *p = &ps.v[i];
		const char *s = t + p->off;
		if (p->reason) {
			st = record(a, s, p->len, p->reason);
			continue;
		}
		if (p->pre)
			st = record(a, s, p->pre, p->pre_reason);
		const char *k = s + p->pre;
		size_t kl = p->len - p->pre - p->suf;
		trim(&k, &kl);
		if (!st && kl) {
			if (outb.len)
				st = buf_put(&outb, "\n\n", 2);
			if (!st)
				st = buf_put(&outb, k, kl);
		}
		if (!st && p->suf)
			st = record(a, s + p->len - p->suf, p->suf, p->suf_reason);
	}
	if (!st) {
		const char *o = art_strndup(a, outb.p ? outb.p : "", outb.len);
		if (!o)
			st = CHR_ENOMEM;
		else {
			a->text = o;
			a->text_len = outb.len;
		}
	}
	buf_free(&outb);
out:
	buf_free(&text);
	return st;
}
