/*
 * canon: entity resolution inside one article (see canon.h).
 *
 * Three passes over the mentions, each linear or close to it:
 *  1. names and keys: aliases from the data tables, capitals used for the
 *     state, everything else keyed by its own normalised surface;
 *  2. short person names ("Choe", "Putin") linked to the nearest fuller
 *     person mention that starts or ends with the same word, preferring one
 *     before it; contextual aliases ("the North") kept only when their
 *     target is named elsewhere in the article;
 *  3. one name per key, the best-formed variant, and roles from titles
 *     before the name ("First Vice Foreign Minister Choe Son-hui") or in an
 *     apposition after it ("Sergei Lavrov, Russia's foreign minister,").
 * The mention list of a news article is short (tens to hundreds), so the
 * quadratic candidate search of pass 2 is bounded by a window.
 */
#include "canon.h"

#include <stdlib.h>
#include <string.h>

#include "clean/wordlist.h"
#include "core/hash.h"

#define LINK_WINDOW 400 /* mentions looked at around a short name */

/* ---- keys and scores ---- */

static int is_sep(unsigned char c)
{
	return c < 0x80 && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			     (c >= '0' && c <= '9'));
}

size_t canon_key(const char *s, size_t n, char *out, size_t cap)
{
	const unsigned char *p = (const unsigned char *)s;
	/* drop a leading "the " */
	if (n > 4 && (p[0] == 't' || p[0] == 'T') && (p[1] == 'h' || p[1] == 'H') &&
	    (p[2] == 'e' || p[2] == 'E') && p[3] == ' ') {
		p += 4;
		n -= 4;
	}
	size_t k = 0;
	for (size_t i = 0; i < n && k + 1 < cap; i++) {
		unsigned char c = p[i];
		if (c >= 0x80) {
			/* keep non-ASCII letters as they are (lower-casing them needs
			 * tables; news names are overwhelmingly ASCII) */
			if (c == 0xE2 && i + 2 < n && p[i + 1] == 0x80) {
				i += 2; /* U+2010..U+203F punctuation: quotes, dashes */
				continue;
			}
			out[k++] = (char)c;
		} else if (!is_sep(c)) {
			out[k++] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
		}
	}
	out[k] = '\0';
	return k;
}

int canon_name_score(const char *s)
{
	int parts = 0, caps = 0, lowers = 0, uppers = 0;
	int start = 1;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == ' ') { /* hyphenated parts ("Son-hui") are one word */
			start = 1;
			continue;
		}
		if (*p >= 'a' && *p <= 'z')
			lowers++;
		if (*p >= 'A' && *p <= 'Z')
			uppers++;
		if (start) {
			parts++;
			if ((*p >= 'A' && *p <= 'Z') || *p >= 0x80)
				caps++;
		}
		start = 0;
	}
	int score = 4 * caps - 2 * (parts - caps) + parts;
	if (!lowers && uppers > 3)
		score -= 3; /* SHOUTING */
	return score;
}

int canon_edit_distance(const char *a, const char *b, int max)
{
	size_t la = strlen(a), lb = strlen(b);
	if ((la > lb ? la - lb : lb - la) > (size_t)max)
		return max + 1;
	if (lb > 63)
		return max + 1;
	int row[64];
	for (size_t j = 0; j <= lb; j++)
		row[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		int prev = row[0], best;
		row[0] = (int)i;
		best = row[0];
		for (size_t j = 1; j <= lb; j++) {
			int cur = row[j];
			int sub = prev + (a[i - 1] != b[j - 1]);
			int del = row[j] + 1, ins = row[j - 1] + 1;
			row[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
			prev = cur;
			if (row[j] < best)
				best = row[j];
		}
		if (best > max)
			return max + 1;
	}
	return row[lb] > max ? max + 1 : row[lb];
}

/* ---- helpers over tokens ---- */

static size_t tok_at(const chr_article *a, uint32_t start)
{
	size_t lo = 0, hi = a->toks.n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (a->toks.v[mid].start < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int tok_is(const chr_article *a, size_t i, const char *w)
{
	const art_token *t = &a->toks.v[i];
	size_t n = strlen(w);
	return t->end - t->start == n && !strncmp(a->text + t->start, w, n);
}

static int tok_is_title(const chr_article *a, size_t i, int *head)
{
	const art_token *t = &a->toks.v[i];
	return canon_title_word(a->text + t->start, t->end - t->start, head);
}

static int is_connector(const chr_article *a, size_t i)
{
	return tok_is(a, i, "of") || tok_is(a, i, "for") || tok_is(a, i, "and") ||
	       tok_is(a, i, "the");
}

/* Title-case a title taken from text: "foreign minister" -> "Foreign
 * Minister"; connectors stay lower-case. */
static const char *title_case(chr_article *a, const char *s, size_t n)
{
	char *o = arena_strndup(&a->mem, s, n);
	if (!o)
		return NULL;
	int start = 1;
	for (size_t i = 0; i < n; i++) {
		if (o[i] == ' ' || o[i] == '-') {
			start = 1;
			continue;
		}
		if (start && o[i] >= 'a' && o[i] <= 'z') {
			int conn = (i + 2 <= n && !strncmp(o + i, "of", 2) &&
				    (i + 2 == n || o[i + 2] == ' ')) ||
				   (i + 3 <= n && (!strncmp(o + i, "for", 3) ||
						   !strncmp(o + i, "and", 3) ||
						   !strncmp(o + i, "the", 3)) &&
				    (i + 3 == n || o[i + 3] == ' ')) ||
				   (i + 2 <= n && !strncmp(o + i, "at", 2) &&
				    (i + 2 == n || o[i + 2] == '-'));
			if (!conn)
				o[i] = (char)(o[i] - 32);
		}
		start = 0;
	}
	return o;
}

/* A run of title words ending at token `last` (inclusive), going back.
 * Returns the first token of the run, or (size_t)-1 when no head word. */
static size_t title_run_back(const chr_article *a, size_t last, size_t floor)
{
	size_t first = (size_t)-1;
	int has_head = 0;
	for (size_t i = last + 1; i-- > floor;) {
		int head = 0;
		if (a->toks.v[i].flags & TOK_SENT_START && i != last) {
			/* a sentence start may still open the title */
		}
		if (tok_is_title(a, i, &head)) {
			first = i;
			has_head |= head;
		} else if (first != (size_t)-1 && i > floor && is_connector(a, i) &&
			   tok_is_title(a, i - 1, NULL)) {
			continue;
		} else {
			break;
		}
		if (a->toks.v[i].flags & TOK_SENT_START)
			break;
	}
	return has_head ? first : (size_t)-1;
}

static void role_before(chr_article *a, art_mention *m)
{
	size_t t = tok_at(a, m->start);
	if (t == 0 || t > a->toks.n)
		return;
	if (a->toks.v[t].flags & TOK_SENT_START)
		return;
	size_t floor = t > 8 ? t - 8 : 0;
	size_t first = title_run_back(a, t - 1, floor);
	if (first == (size_t)-1)
		return;
	uint32_t s = a->toks.v[first].start, e = a->toks.v[t - 1].end;
	m->role = title_case(a, a->text + s, e - s);
}

/* "Sergei Lavrov, Russia's foreign minister, said" */
static void role_after(chr_article *a, art_mention *m)
{
	size_t t = tok_at(a, m->end);
	if (t >= a->toks.n || !tok_is(a, t, ","))
		return;
	size_t i = t + 1, lim = t + 12 < a->toks.n ? t + 12 : a->toks.n;
	/* skip a determiner or a short possessive phrase */
	size_t k = i;
	while (k < lim && k < i + 4 && !tok_is_title(a, k, NULL))
		k++;
	if (k > i) {
		/* what was skipped must end in 's or be a determiner */
		if (!(tok_is(a, k - 1, "'s") || tok_is(a, k - 1, "’s") ||
		      (k - 1 == i && (tok_is(a, i, "the") || tok_is(a, i, "a") ||
				      (a->toks.v[i].flags & TOK_CAP)))))
			return;
	}
	size_t first = k, last = (size_t)-1;
	int has_head = 0;
	for (; k < lim; k++) {
		int head = 0;
		if (tok_is_title(a, k, &head)) {
			last = k;
			has_head |= head;
		} else if (last != (size_t)-1 && is_connector(a, k)) {
			continue;
		} else {
			break;
		}
	}
	if (!has_head || last == (size_t)-1 || k >= a->toks.n)
		return;
	if (!(tok_is(a, last + 1, ",") || tok_is(a, last + 1, ".")))
		return;
	uint32_t s = a->toks.v[first].start, e = a->toks.v[last].end;
	m->role = title_case(a, a->text + s, e - s);
}

/* ---- resolution ---- */

static const char *key_of(chr_article *a, const char *s, size_t n)
{
	char buf[256];
	size_t k = canon_key(s, n, buf, sizeof buf);
	return arena_strndup(&a->mem, buf, k);
}

/* Is the capital at m used for its state?  Yes when a verb or a
 * possessive follows ("Moscow said", "Pyongyang's nuclear program"). */
static int state_context(const chr_article *a, const art_mention *m)
{
	static const char *const verbs[] = {
		"'s", "’s", "said", "says", "say", "has", "have", "had", "will",
		"would", "is", "was", "accused", "warned", "wants", "hopes",
		"denied", "announced", "urged", "called", "demanded", "insisted",
		"rejected", "responded", "condemned", "threatened", "sees",
		"agreed", "plans", "claimed", "stated", "reported", "believes",
		"refused", "vowed", "seeks", "sought", "signed", "sent", NULL
	};
	size_t t = tok_at(a, m->end);
	if (t >= a->toks.n)
		return 0;
	for (int i = 0; verbs[i]; i++)
		if (tok_is(a, t, verbs[i]))
			return 1;
	return 0;
}

/* First or last space-separated word of name equals word (by key). */
static int name_has_edge_word(const char *name, const char *wkey)
{
	const char *sp1 = strchr(name, ' ');
	const char *sp2 = strrchr(name, ' ');
	if (!sp1)
		return 0;
	char k[256];
	canon_key(name, (size_t)(sp1 - name), k, sizeof k);
	if (!strcmp(k, wkey))
		return 1;
	canon_key(sp2 + 1, strlen(sp2 + 1), k, sizeof k);
	return !strcmp(k, wkey);
}

/* Keep a headline mention only when an alias table or the body confirms
 * it: title case ("Russia Agree To Strengthen Cooperation") misleads the
 * tagger.  Compacts the list in place. */
static chr_status drop_unconfirmed_headline(chr_article *a)
{
	art_mention *v = a->mentions.v;
	size_t n = a->mentions.n, k = 0;
	ht body;
	ht_init(&body, 0);
	for (size_t i = 0; i < n; i++)
		if (!(v[i].flags & MEN_HEADLINE) &&
		    !ht_put(&body, v[i].key, strlen(v[i].key), NULL)) {
			ht_free(&body);
			return CHR_ENOMEM;
		}
	int32_t *map = arena_alloc(&a->mem, (n ? n : 1) * sizeof *map);
	if (!map) {
		ht_free(&body);
		return CHR_ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		int keep = !(v[i].flags & MEN_HEADLINE) || (v[i].flags & MEN_ALIAS) ||
			   ht_get(&body, v[i].key, strlen(v[i].key));
		map[i] = keep ? (int32_t)k : -1;
		if (keep)
			v[k++] = v[i];
	}
	for (size_t i = 0; i < k; i++) {
		int32_t h = v[i].head;
		v[i].head = h >= 0 && (size_t)h < n && map[h] >= 0 ? map[h] : (int32_t)i;
	}
	a->mentions.n = k;
	ht_free(&body);
	return CHR_OK;
}

/* "Xi Jinping", "Choe Son-hui", "Nguyen Phu Trong": two or three words,
 * the first a family name written first (data/family_names.txt), the
 * others capitalised given names (letters, one hyphen) that are not
 * English words ("Song Dynasty", "Kim Group" stay what the tagger said).
 * Without a word list there is no telling, so no. */
static int family_first(const char *s, size_t len)
{
	const ht *dict = clean_dict();
	if (!dict)
		return 0;
	size_t start[3], end[3], k = 0, i = 0;
	while (i < len) {
		if (k == 3)
			return 0;
		start[k] = i;
		while (i < len && s[i] != ' ')
			i++;
		end[k++] = i;
		if (i < len)
			i++; /* one space */
	}
	if (k < 2 || !canon_family_name(s + start[0], end[0] - start[0]))
		return 0;
	for (size_t w = 1; w < k; w++) {
		const char *t = s + start[w];
		size_t n = end[w] - start[w], hy = 0;
		if (n < 2 || !(t[0] >= 'A' && t[0] <= 'Z'))
			return 0;
		for (size_t c = 1; c < n; c++) {
			if (t[c] == '-' && c > 1 && c + 1 < n && !hy++)
				continue;
			if (!(t[c] >= 'a' && t[c] <= 'z'))
				return 0;
		}
		if (clean_dict_has(dict, t, n))
			return 0;
	}
	return 1;
}

chr_status canon_resolve(chr_article *a)
{
	size_t n = a->mentions.n;
	art_mention *v = a->mentions.v;
	/* pass 1: names and keys */
	for (size_t i = 0; i < n; i++) {
		art_mention *m = &v[i];
		const char *s = (m->flags & MEN_HEADLINE ? a->headline : a->text) + m->start;
		size_t len = m->end - m->start;
		m->head = (int32_t)i;
		m->flags &= MEN_HEADLINE;
		m->role = NULL;
		int type = 0, flags = 0, ctx = 0;
		const char *canonical = canon_alias(s, len, &type, &flags, &ctx);
		if (canonical && (flags & MEN_METONYM) &&
		    ((m->flags & MEN_HEADLINE) || !state_context(a, m)))
			canonical = NULL; /* "in Moscow": the city itself */
		if (canonical && m->type == CHR_ENT_PER && !ctx && !(flags & MEN_METONYM) &&
		    !strchr(canonical, ' ') && type != CHR_ENT_PER)
			canonical = NULL; /* a one-word alias is not a person's name */
		if (canonical) {
			m->name = canonical;
			m->flags |= (uint8_t)(MEN_ALIAS | flags);
			if (ctx)
				m->flags |= 0x80; /* pending: contextual */
			if (type && type != CHR_ENT_MISC)
				m->type = (uint8_t)type;
		} else {
			m->name = arena_strndup(&a->mem, s, len);
			if (m->type != CHR_ENT_PER && family_first(s, len))
				m->type = CHR_ENT_PER;
		}
		if (!m->name)
			return CHR_ENOMEM;
		m->key = key_of(a, m->name, strlen(m->name));
		if (!m->key)
			return CHR_ENOMEM;
	}
	/* pass 2a: contextual aliases need their target named elsewhere */
	ht keys;
	ht_init(&keys, 0);
	for (size_t i = 0; i < n; i++)
		if (!(v[i].flags & 0x80) && !ht_put(&keys, v[i].key, strlen(v[i].key), NULL)) {
			ht_free(&keys);
			return CHR_ENOMEM;
		}
	for (size_t i = 0; i < n; i++) {
		if (!(v[i].flags & 0x80))
			continue;
		v[i].flags &= (uint8_t)~0x80;
		if (ht_get(&keys, v[i].key, strlen(v[i].key)))
			continue;
		v[i].name = arena_strndup(&a->mem,
					  (v[i].flags & MEN_HEADLINE ? a->headline : a->text) +
						  v[i].start,
					  v[i].end - v[i].start);
		v[i].key = v[i].name ? key_of(a, v[i].name, strlen(v[i].name)) : NULL;
		if (!v[i].key) {
			ht_free(&keys);
			return CHR_ENOMEM;
		}
		v[i].flags &= (uint8_t)~MEN_ALIAS;
	}
	ht_free(&keys);
	/* pass 2b: short person names link to a fuller person mention */
	for (size_t i = 0; i < n; i++) {
		art_mention *m = &v[i];
		if (m->flags & MEN_ALIAS || strchr(m->name, ' '))
			continue;
		/* any type: the tagger sometimes calls a surname a place or an
		 * organisation ("at Lavrov's invitation"); a full person name
		 * in the same article is the stronger evidence */
		size_t best = (size_t)-1;
		size_t lo = i > LINK_WINDOW ? i - LINK_WINDOW : 0;
		for (size_t j = i; j-- > lo;)
			if (v[j].type == CHR_ENT_PER && name_has_edge_word(v[j].name, m->key)) {
				best = j;
				break;
			}
		if (best == (size_t)-1)
			for (size_t j = i + 1; j < n && j < i + LINK_WINDOW; j++)
				if (v[j].type == CHR_ENT_PER &&
				    name_has_edge_word(v[j].name, m->key)) {
					best = j;
					break;
				}
		if (best == (size_t)-1)
			continue;
		m->head = (int32_t)best;
		m->type = CHR_ENT_PER;
		m->flags |= MEN_LINKED;
		m->name = v[best].name;
		m->key = v[best].key;
	}
	/* pass 3: the best-formed variant per key (aliases keep the table's
	 * canonical name) */
	ht best;
	ht_init(&best, 0);
	for (size_t i = 0; i < n; i++) {
		if (v[i].flags & MEN_ALIAS)
			continue;
		ht_entry *e = ht_put(&best, v[i].key, strlen(v[i].key), NULL);
		if (!e) {
			ht_free(&best);
			return CHR_ENOMEM;
		}
		const char *cur = e->v.ptr;
		if (!cur) {
			e->v.ptr = (void *)v[i].name;
			continue;
		}
		int sc = canon_name_score(v[i].name), sb = canon_name_score(cur);
		if (sc > sb || (sc == sb && strcmp(v[i].name, cur) < 0))
			e->v.ptr = (void *)v[i].name;
	}
	for (size_t i = 0; i < n; i++)
		if (!(v[i].flags & MEN_ALIAS))
			v[i].name = ht_get(&best, v[i].key, strlen(v[i].key))->v.ptr;
	ht_free(&best);
	/* roles */
	for (size_t i = 0; i < n; i++)
		if (v[i].type == CHR_ENT_PER && !(v[i].flags & MEN_HEADLINE)) {
			role_before(a, &v[i]);
			if (!v[i].role)
				role_after(a, &v[i]);
		}
	return drop_unconfirmed_headline(a);
}
