/*
 * entities: tagger + resolver as one stage (see entities.h).
 */
#include "entities.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entities/canon.h"
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

/* Tag the tokens of src and append the mentions, flagged with flags. */
static chr_status tag(chr_article *a, const char *src, const art_token *toks,
		      size_t n, uint8_t flags)
{
	const char **tok = arena_alloc(&a->mem, n * sizeof *tok);
	unsigned char *ss = arena_alloc(&a->mem, n);
	uint8_t *tags = arena_alloc(&a->mem, n);
	if (!tok || !ss || !tags)
		return CHR_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		tok[i] = arena_strndup(&a->mem, src + toks[i].start,
				       toks[i].end - toks[i].start);
		if (!tok[i])
			return CHR_ENOMEM;
		ss[i] = (toks[i].flags & TOK_SENT_START) != 0 || i == 0;
	}
	chr_status st = chr_ner_tag_tokens(g_model, tok, ss, n, tags);
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
		while (j < n && tags[j] == 2 * type && !ss[j])
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
		size_t nt = text_tokenize(a->headline, hl, NULL, 0);
		art_token *ht = nt ? arena_alloc(&a->mem, nt * sizeof *ht) : NULL;
		if (nt && !ht)
			return CHR_ENOMEM;
		if (nt) {
			text_tokenize(a->headline, hl, ht, nt);
			st = tag(a, a->headline, ht, nt, MEN_HEADLINE);
		}
	}
	return st ? st : canon_resolve(a);
}
