/*
 * entities: tagger + resolver as one stage (see entities.h).
 *
 * The stage also makes what the entity store would otherwise work out on
 * the store thread, from the article alone (entities_store_prep): the
 * distinct mention keys with their counts and stored rows, and the name
 * parts and score of each key's first mention.
 */
#include "entities.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
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

/* The key of the first words of name (a person's first names) and of
 * its last word into fkey and skey, cap bytes each; both "" for one word
 * (the entity store's transliteration and surname matches read them). */
static void name_parts(const char *name, char *fkey, char *skey, size_t cap)
{
	const char *sp = strrchr(name, ' ');
	fkey[0] = skey[0] = '\0';
	if (!sp)
		return;
	canon_key(name, (size_t)(sp - name), fkey, cap);
	canon_key(sp + 1, strlen(sp + 1), skey, cap);
}

typedef struct men_at {
	int64_t start; /* as stored */
	size_t i;
} men_at;

static int cmp_at(const void *a, const void *b)
{
	const men_at *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

/* Each key's rows: the store writes a row per keyed mention in order,
 * keyed by (doc, start as stored), a later one replacing an earlier. */
static chr_status count_rows(chr_article *a)
{
	size_t n = 0;
	men_at *v = malloc((a->mentions.n ? a->mentions.n : 1) * sizeof *v);
	if (!v)
		return CHR_ENOMEM;
	for (size_t i = 0; i < a->mentions.n; i++) {
		const art_mention *m = &a->mentions.v[i];
		if (a->menkey[i])
			v[n++] = (men_at){ m->flags & MEN_HEADLINE
					   ? -1 - (int64_t)m->start
					   : (int64_t)m->start, i };
	}
	qsort(v, n, sizeof *v, cmp_at);
	for (size_t i = 0; i < n; i++)
		if (i + 1 == n || v[i + 1].start != v[i].start)
			a->entkeys.v[a->menkey[v[i].i] - 1].rows++;
	free(v);
	return CHR_OK;
}

/* The bytes mention i is written with. */
static const char *men_text(const chr_article *a, uint32_t i, size_t *len)
{
	const art_mention *m = &a->mentions.v[i];
	*len = m->end - m->start;
	return (m->flags & MEN_HEADLINE ? a->headline : a->text) + m->start;
}

/* Count mention i (of key k) under its alias: the key's aliases are
 * few, so a walk along them finds it. */
static chr_status count_alias(chr_article *a, uint32_t k, uint32_t i)
{
	size_t len, l2;
	const char *s = men_text(a, i, &len);
	uint32_t last = 0; /* the key's last alias + 1 */
	for (uint32_t at = a->entkeys.v[k].alias; at;
	     at = a->entaliases.v[at - 1].next) {
		art_entalias *x = &a->entaliases.v[at - 1];
		const char *t = men_text(a, x->first, &l2);
		if (l2 == len && !memcmp(s, t, len)) {
			x->n++;
			return CHR_OK;
		}
		last = at;
	}
	art_entalias x = { k, i, 1, 0 };
	if (art_vec_push(&a->mem, a->entaliases, x)) /* (may move them) */
		return CHR_ENOMEM;
	uint32_t at = (uint32_t)a->entaliases.n;
	if (last)
		a->entaliases.v[last - 1].next = at;
	else
		a->entkeys.v[k].alias = at;
	return CHR_OK;
}

chr_status entities_store_prep(chr_article *a)
{
	a->entkeys.n = 0;
	a->entaliases.n = 0;
	a->entkeys_made = 0;
	a->menkey = a->mentions.n
		? arena_alloc(&a->mem, a->mentions.n * sizeof *a->menkey) : NULL;
	if (a->mentions.n && !a->menkey)
		return CHR_ENOMEM;
	ht seen; /* key -> index into entkeys */
	ht_init(&seen, 0);
	chr_status st = CHR_OK;
	for (size_t i = 0; i < a->mentions.n && !st; i++) {
		const art_mention *m = &a->mentions.v[i];
		a->menkey[i] = 0;
		if (!m->key || !*m->key)
			continue;
		int created;
		ht_entry *e = ht_put(&seen, m->key, strlen(m->key), &created);
		if (!e) {
			st = CHR_ENOMEM;
			break;
		}
		if (created) {
			/* (the store's buffers were 128 bytes: the same cut) */
			char fkey[128], skey[128];
			name_parts(m->name, fkey, skey, sizeof fkey);
			art_entkey k = { m->key, art_strdup(a, fkey),
					 art_strdup(a, skey),
					 canon_name_score(m->name), (uint32_t)i, 0, 0,
					 0 };
			e->v.num = (int64_t)a->entkeys.n;
			if (!k.fkey || !k.skey ||
			    art_vec_push(&a->mem, a->entkeys, k))
				st = CHR_ENOMEM;
		}
		if (!st) {
			a->entkeys.v[e->v.num].n++;
			a->menkey[i] = (uint32_t)e->v.num + 1;
			st = count_alias(a, (uint32_t)e->v.num, (uint32_t)i);
		}
	}
	ht_free(&seen);
	if (!st)
		st = count_rows(a);
	a->entkeys_made = !st;
	return st;
}

chr_status entities_from_spans(chr_article *a, const uint32_t *start,
			       const uint32_t *end, const uint8_t *type,
			       size_t n)
{
	a->mentions.n = 0;
	for (size_t i = 0; i < n; i++)
		if (push_mention(a, start[i], end[i], type[i]))
			return CHR_ENOMEM;
	chr_status st = canon_resolve(a);
	return st ? st : entities_store_prep(a);
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
		art_token hb[64], *htok = hb;
		size_t nt = text_tokenize(a->headline, hl, hb, 64);
		if (nt > 64) {
			htok = arena_alloc(&a->mem, nt * sizeof *htok);
			if (!htok)
				return CHR_ENOMEM;
			text_tokenize(a->headline, hl, htok, nt);
		}
		if (nt)
			st = tag(a, a->headline, htok, nt, MEN_HEADLINE);
	}
	if (!st)
		st = canon_resolve(a);
	return st ? st : entities_store_prep(a);
}
