/*
 * article: allocation and small mutators for chr_article (see article.h),
 * plus the public accessors, which are thin reads of the struct.
 */
#include "article.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dedup/dedup.h"
#include "events/events.h"

int art_vec_grow_(arena *a, void **v, size_t *cap, size_t need, size_t elem)
{
	size_t ncap = *cap ? *cap * 2 : 8;
	while (ncap < need)
		ncap *= 2;
	void *nv = arena_alloc(a, ncap * elem);
	if (!nv)
		return -1;
	if (*v && *cap)
		memcpy(nv, *v, *cap * elem);
	*v = nv;
	*cap = ncap;
	return 0;
}

chr_article *art_new(void)
{
	chr_article *a = calloc(1, sizeof *a);
	if (!a)
		return NULL;
	arena_init(&a->mem, 0);
	a->id = a->headline = a->text = "";
	return a;
}

void chr_article_free(chr_article *a)
{
	if (!a)
		return;
	ev_prep_free(a->evprep);
	dedup_feat_release(a->ddfeat);
	arena_free(&a->mem);
	free(a);
}

const char *art_strdup(chr_article *a, const char *s)
{
	return s ? arena_strdup(&a->mem, s) : NULL;
}

const char *art_strndup(chr_article *a, const char *s, size_t n)
{
	return s ? arena_strndup(&a->mem, s, n) : NULL;
}

int art_remove(chr_article *a, const char *text, size_t n, const char *reason)
{
	art_removed r;
	r.text = arena_strndup(&a->mem, text, n);
	r.reason = reason;
	if (!r.text)
		return -1;
	return art_vec_push(&a->mem, a->removed, r);
}

int art_note(chr_article *a, const char *note)
{
	const char *s = art_strdup(a, note);
	if (!s)
		return -1;
	return art_vec_push(&a->mem, a->notes, s);
}

int art_agency(chr_article *a, const char *name, size_t n)
{
	for (size_t i = 0; i < a->agencies.n; i++)
		if (strlen(a->agencies.v[i]) == n &&
		    strncasecmp(a->agencies.v[i], name, n) == 0)
			return 0;
	const char *s = art_strndup(a, name, n);
	if (!s)
		return -1;
	return art_vec_push(&a->mem, a->agencies, s);
}

void art_set_published(chr_article *a, int y, int m, int d, const char *from)
{
	if (a->published[0])
		return;
	if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
		return;
	snprintf(a->published, sizeof a->published, "%04d-%02d-%02d", y, m, d);
	a->published_from = from;
}

/* ---- public accessors ---- */

const char *chr_article_id(const chr_article *a) { return a->id; }
const char *chr_article_path(const chr_article *a) { return a->path; }
const char *chr_article_headline(const chr_article *a) { return a->headline; }
const char *chr_article_text(const chr_article *a) { return a->text; }
const char *chr_article_published(const chr_article *a)
{
	return a->published[0] ? a->published : NULL;
}
const char *chr_article_published_from(const chr_article *a)
{
	return a->published[0] ? a->published_from : NULL;
}
const char *chr_article_dateline(const chr_article *a) { return a->dateline; }
const char *chr_article_outlet(const chr_article *a) { return a->outlet; }
const char *chr_article_url(const chr_article *a) { return a->url; }
size_t chr_article_agency_count(const chr_article *a) { return a->agencies.n; }
const char *chr_article_agency(const chr_article *a, size_t i)
{
	return i < a->agencies.n ? a->agencies.v[i] : NULL;
}
size_t chr_article_removed_count(const chr_article *a) { return a->removed.n; }
const char *chr_article_removed_text(const chr_article *a, size_t i)
{
	return i < a->removed.n ? a->removed.v[i].text : NULL;
}
const char *chr_article_removed_reason(const chr_article *a, size_t i)
{
	return i < a->removed.n ? a->removed.v[i].reason : NULL;
}
size_t chr_article_sentence_count(const chr_article *a) { return a->sents.n; }
void chr_article_sentence(const chr_article *a, size_t i, size_t *start,
			  size_t *end)
{
	*start = *end = 0;
	if (i < a->sents.n) {
		*start = a->sents.v[i].start;
		*end = a->sents.v[i].end;
	}
}
size_t chr_article_token_count(const chr_article *a) { return a->toks.n; }
void chr_article_token(const chr_article *a, size_t i, size_t *start,
		       size_t *end)
{
	*start = *end = 0;
	if (i < a->toks.n) {
		*start = a->toks.v[i].start;
		*end = a->toks.v[i].end;
	}
}
