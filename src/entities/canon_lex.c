/*
 * canon_lex: the data tables behind entity resolution.
 *
 * Design note: three tables, built once per process on first use under
 * pthread_once: aliases (data/aliases.tsv, country names from Debian's
 * iso-codes, capitals from data/capitals.tsv), and title words
 * (data/titles.txt).  Keys are canon_key() forms, so lookups ignore case
 * and punctuation.  The curated file is loaded first and wins: an
 * iso-codes country whose name the curated file already maps (e.g.
 * "Russian Federation" -> "Russia") joins that entry instead of creating
 * its own.  The tables are read-only after construction, so lookups from
 * the ingest worker thread need no lock.
 */
#include "canon.h"

#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/arena.h"
#include "core/embed.h"
#include "core/hash.h"

#define ISO_3166 "/usr/share/iso-codes/json/iso_3166-1.json"

typedef struct alias_ent {
	const char *canonical;
	int type;
	int flags;      /* MEN_METONYM for capitals */
	int contextual; /* '~' aliases */
} alias_ent;

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static arena g_mem;
static ht g_alias; /* key -> alias_ent* */
static ht g_title; /* lower-case word -> 1 (word) or 2 (head) */
static ht g_family; /* lower-case family name -> 1 (data/family_names.txt) */

static int type_of(const char *s, size_t n)
{
	if (n == 3 && !strncmp(s, "PER", 3))
		return CHR_ENT_PER;
	if (n == 3 && !strncmp(s, "LOC", 3))
		return CHR_ENT_LOC;
	if (n == 3 && !strncmp(s, "ORG", 3))
		return CHR_ENT_ORG;
	return CHR_ENT_MISC;
}

/* Add alias s[0,n) -> e unless the key is taken.  Returns the entry the
 * key maps to afterwards (e, or the older one). */
static alias_ent *add_alias(const char *s, size_t n, alias_ent *e)
{
	char key[256];
	size_t k = canon_key(s, n, key, sizeof key);
	if (!k)
		return NULL;
	char *kp = arena_strndup(&g_mem, key, k);
	if (!kp)
		return NULL;
	int created;
	ht_entry *h = ht_put(&g_alias, kp, k, &created);
	if (!h)
		return NULL;
	if (created)
		h->v.ptr = e;
	return h->v.ptr;
}

static alias_ent *new_ent(const char *canonical, size_t n, int type,
			  int flags, int contextual)
{
	alias_ent *e = arena_alloc(&g_mem, sizeof *e);
	if (!e)
		return NULL;
	e->canonical = arena_strndup(&g_mem, canonical, n);
	e->type = type;
	e->flags = flags;
	e->contextual = contextual;
	return e->canonical ? e : NULL;
}

/* Iterate the lines of an embedded file, skipping comments and blanks. */
typedef struct lines {
	const char *p, *end;
} lines;

static int next_line(lines *L, const char **s, size_t *n)
{
	return embed_next_line(&L->p, L->end, s, n);
}

static void load_curated(void)
{
	size_t len;
	const char *d = embed_get("aliases.tsv", &len);
	if (!d)
		return;
	lines L = { d, d + len };
	const char *s;
	size_t n;
	while (next_line(&L, &s, &n)) {
		const char *t1 = memchr(s, '\t', n);
		if (!t1)
			continue;
		const char *t2 = memchr(t1 + 1, '\t', n - (size_t)(t1 + 1 - s));
		const char *end = s + n;
		int type = type_of(t1 + 1, (size_t)((t2 ? t2 : end) - (t1 + 1)));
		alias_ent *self = new_ent(s, (size_t)(t1 - s), type, 0, 0);
		if (!self)
			return;
		add_alias(s, (size_t)(t1 - s), self);
		for (const char *a = t2 ? t2 + 1 : end; a < end;) {
			const char *bar = memchr(a, '|', (size_t)(end - a));
			const char *ae = bar ? bar : end;
			int ctx = 0, flags = 0;
			const char *as = a;
			if (as < ae && *as == '~') {
				ctx = 1;
				as++;
			} else if (as < ae && *as == '@') {
				flags = MEN_METONYM;
				as++;
			}
			alias_ent *e = self;
			if (ctx || flags)
				e = new_ent(s, (size_t)(t1 - s), type, flags, ctx);
			if (e)
				add_alias(as, (size_t)(ae - as), e);
			a = bar ? bar + 1 : end;
		}
	}
}

/* "Korea, Republic of" -> "Republic of Korea". */
static size_t uninvert(const char *s, char *out, size_t cap)
{
	const char *c = strstr(s, ", ");
	size_t n = strlen(s);
	if (!c || n + 2 > cap) {
		size_t k = n < cap - 1 ? n : cap - 1;
		memcpy(out, s, k);
		out[k] = '\0';
		return k;
	}
	size_t head = (size_t)(c - s), tail = n - head - 2;
	memcpy(out, c + 2, tail);
	out[tail] = ' ';
	memcpy(out + tail + 1, s, head);
	out[tail + 1 + head] = '\0';
	return tail + 1 + head;
}

static void load_iso(void)
{
	json_t *root = json_load_file(ISO_3166, 0, NULL);
	json_t *arr = json_object_get(root, "3166-1");
	size_t i;
	json_t *c;
	json_array_foreach(arr, i, c) {
		const char *names[3] = {
			json_string_value(json_object_get(c, "common_name")),
			json_string_value(json_object_get(c, "name")),
			json_string_value(json_object_get(c, "official_name")),
		};
		char forms[3][256];
		size_t flen[3] = { 0, 0, 0 };
		alias_ent *known = NULL;
		for (int k = 0; k < 3; k++) {
			if (!names[k])
				continue;
			flen[k] = uninvert(names[k], forms[k], sizeof forms[k]);
			char key[256];
			size_t kl = canon_key(forms[k], flen[k], key, sizeof key);
			ht_entry *h = kl ? ht_get(&g_alias, key, kl) : NULL;
			if (h && !known)
				known = h->v.ptr;
		}
		if (!known) {
			int k = names[0] ? 0 : 1;
			if (!names[k])
				continue;
			known = new_ent(forms[k], flen[k], CHR_ENT_LOC, 0, 0);
			if (!known)
				break;
		}
		for (int k = 0; k < 3; k++)
			if (names[k])
				add_alias(forms[k], flen[k], known);
	}
	json_decref(root);
}

static void load_capitals(void)
{
	size_t len;
	const char *d = embed_get("capitals.tsv", &len);
	if (!d)
		return;
	lines L = { d, d + len };
	const char *s;
	size_t n;
	while (next_line(&L, &s, &n)) {
		const char *t = memchr(s, '\t', n);
		if (!t)
			continue;
		/* the country's canonical name, through the aliases if known */
		char key[256];
		size_t kl = canon_key(s, (size_t)(t - s), key, sizeof key);
		ht_entry *h = kl ? ht_get(&g_alias, key, kl) : NULL;
		const char *country = h ? ((alias_ent *)h->v.ptr)->canonical : NULL;
		alias_ent *e = country
			? new_ent(country, strlen(country), CHR_ENT_LOC, MEN_METONYM, 0)
			: new_ent(s, (size_t)(t - s), CHR_ENT_LOC, MEN_METONYM, 0);
		if (e)
			add_alias(t + 1, n - (size_t)(t + 1 - s), e);
	}
}

/* One lower-case word per line of an embedded file into set; a line
 * starting with '=' (titles.txt: a head word) is stored as 2, others 1. */
static void load_words(const char *file, ht *set)
{
	size_t len;
	const char *d = embed_get(file, &len);
	if (!d)
		return;
	lines L = { d, d + len };
	const char *s;
	size_t n;
	while (next_line(&L, &s, &n)) {
		int head = *s == '=';
		if (head) {
			s++;
			n--;
		}
		char low[64];
		if (!n || n >= sizeof low)
			continue;
		for (size_t i = 0; i < n; i++)
			low[i] = (char)((s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i]);
		char *kp = arena_strndup(&g_mem, low, n);
		int created;
		ht_entry *h = kp ? ht_put(set, kp, n, &created) : NULL;
		if (h && (created || head))
			h->v.num = head ? 2 : (created ? 1 : h->v.num);
	}
}

static void build(void)
{
	arena_init(&g_mem, 0);
	ht_init(&g_alias, 0);
	ht_init(&g_title, 0);
	ht_init(&g_family, 0);
	load_curated();
	load_iso();
	load_capitals();
	load_words("titles.txt", &g_title);
	load_words("family_names.txt", &g_family);
}

const char *canon_alias(const char *s, size_t n, int *type, int *flags,
			int *contextual)
{
	pthread_once(&g_once, build);
	char key[256];
	size_t k = canon_key(s, n, key, sizeof key);
	ht_entry *h = k ? ht_get(&g_alias, key, k) : NULL;
	if (!h)
		return NULL;
	const alias_ent *e = h->v.ptr;
	if (type)
		*type = e->type;
	if (flags)
		*flags = e->flags;
	if (contextual)
		*contextual = e->contextual;
	return e->canonical;
}

/* The entry of w[0..n), case-folded, in one of the word sets. */
static const ht_entry *word_in(const ht *set, const char *w, size_t n)
{
	pthread_once(&g_once, build);
	char low[64];
	if (!n || n >= sizeof low)
		return NULL;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)((w[i] >= 'A' && w[i] <= 'Z') ? w[i] + 32 : w[i]);
	return ht_get(set, low, n);
}

int canon_title_word(const char *w, size_t n, int *head)
{
	const ht_entry *h = word_in(&g_title, w, n);
	if (head)
		*head = h && h->v.num == 2;
	return h != NULL;
}

int canon_family_name(const char *w, size_t n)
{
	return word_in(&g_family, w, n) != NULL;
}
