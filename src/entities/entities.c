/*
 * entities: tagger + resolver as one stage (see entities.h).
 */
#include "entities.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entities/canon.h"
#include "entities/ner.h"
#include "text/text.h"

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static chr_ner *g_model;

static void load_model(void)
{
	if (chr_ner_load(NULL, &g_model) != CHR_OK) {
		g_model = NULL;
		if (!getenv("CHRONICLE_QUIET"))
			fprintf(stderr, "chronicle: no entity model (%s); "
					"entities are not tagged\n", chr_ner_errmsg());
	}
}

static int push_mention(chr_article *a, uint32_t s, uint32_t e, uint8_t type)
{
	art_mention m;
	memset(&m, 0, sizeof m);
	m.start = s;
	m.end = e;
	m.type = type;
	return art_vec_push(&a->mem, a->mentions, m);
}

chr_status entities_from_spans(chr_article *a, const uint32_t *start,
			       const uint32_t *end, const uint8_t *type,
			       size_t n)
{
	a->mentions.n = 0;
	for (size_t i = 0; i < n; i++)
		if (push_mention(a, start[i], end[i], type[i]))
			return CHR_ENOMEM;
	return canon_resolve(a);
}

/* Tag the tokens of src and append the mentions, flagged with flags.
 * The tagger reads the tokens in place (ner_tag_iob2): no copies.  A
 * token's length stops at a NUL byte, as the C strings that
 * chr_ner_tag_tokens takes would. */
static chr_status tag(chr_article *a, const char *src, const art_token *toks,
		      size_t n, uint8_t flags)
{
	ner_tok *t = arena_alloc(&a->mem, n * sizeof *t);
	uint8_t *tags = arena_alloc(&a->mem, n);
	if (!t || !tags)
		return CHR_ENOMEM;
	uint32_t lim = 0;
	for (size_t i = 0; i < n; i++) {
		t[i].s = src + toks[i].start;
		t[i].len = toks[i].end - toks[i].start;
		t[i].sent_start = (uint8_t)((toks[i].flags & TOK_SENT_START) != 0 ||
					    i == 0);
		if (toks[i].end > lim)
			lim = toks[i].end;
	}
	if (memchr(src, 0, lim))
		for (size_t i = 0; i < n; i++) {
			const char *z = memchr(t[i].s, 0, t[i].len);
			if (z)
				t[i].len = (uint32_t)(z - t[i].s);
		}
	chr_status st = ner_tag_iob2((const ner_model *)g_model, t, n, tags);
	if (st)
		return st;
	/* IOB2 codes: 0 = O, 2k-1 = B-k, 2k = I-k */
	for (size_t i = 0; i < n;) {
		if (!tags[i]) {
			i++;
			continue;
		}
		uint8_t type = (uint8_t)((tags[i] + 1) / 2);
		size_t j = i + 1;
		while (j < n && tags[j] == 2 * type && !t[j].sent_start)
			j++;
		if (push_mention(a, toks[i].start, toks[j - 1].end, type))
			return CHR_ENOMEM;
		a->mentions.v[a->mentions.n - 1].flags = flags;
		i = j;
	}
	return CHR_OK;
}

chr_status entities_run(chr_article *a)
{
	pthread_once(&g_once, load_model);
	if (!g_model)
		return CHR_OK;
	chr_status st = a->toks.n ? tag(a, a->text, a->toks.v, a->toks.n, 0) : CHR_OK;
	/* The headline too: it often holds the only "N. Korea" of a story.
	 * canon_resolve keeps a headline mention only when the body or the
	 * alias tables confirm it, since title case misleads the tagger. */
	size_t hl = strlen(a->headline);
	if (!st && hl) {
		/* one pass when the headline fits in hb (most do) */
		art_token hb[64], *ht = hb;
		size_t nt = text_tokenize(a->headline, hl, hb, 64);
		if (nt > 64) {
			ht = arena_alloc(&a->mem, nt * sizeof *ht);
			if (!ht)
				return CHR_ENOMEM;
			text_tokenize(a->headline, hl, ht, nt);
		}
		if (nt)
			st = tag(a, a->headline, ht, nt, MEN_HEADLINE);
	}
	return st ? st : canon_resolve(a);
}
