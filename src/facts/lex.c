/*
 * facts/lex: the trigger phrases and word classes of the facts stage,
 * read once from the embedded tables data/facts_verbs.tsv and
 * data/facts_words.tsv.
 *
 * Design note: the tables are small (a few hundred lines), so they are
 * parsed on first use into static arrays under pthread_once, and looked
 * up by a linear probe over a fixed open-addressing table of word hashes;
 * nothing is freed (process lifetime), nothing is allocated per article.
 * The hash is FNV-1a, not the seeded XXH3 of core/hash.h: the table is
 * fixed and at most half full, so no input can lengthen a probe, and the
 * words are a few bytes, where FNV costs a third as much.  The small word
 * sets the extractor asks about at every token (reporting verbs, the
 * words between a number and its count noun, quote marks) are classes in
 * the same table, and each trigger's first word carries the set of
 * triggers it starts (a bit per trigger, in facts_triggers order), so the
 * extractor does one lookup per token and no string comparisons.  A bit
 * per (length, first two bytes) class, set for every word in the table,
 * turns most tokens away before the hash.
 */
#include "facts/facts.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/embed.h"

#define LEX_MAXTRIG 128
#define LEX_SLOTS 1024 /* power of two, > 2x the words */
#define LEX_WORDLEN 24
_Static_assert(LEX_MAXTRIG == FACTS_TRIG_WORDS * 64, "trigger set size");

typedef struct lex_word {
	char w[LEX_WORDLEN];
	size_t len;
	unsigned cls;
	const char *count;
	int64_t num;
	uint64_t trig[LEX_MAXTRIG / 64]; /* triggers starting with the word */
} lex_word;

static lex_word words[LEX_SLOTS];
static uint64_t pre[LEX_WORDLEN][16]; /* length x first two bytes */
static facts_trigger trig[LEX_MAXTRIG];
static size_t ntrig;
static int trig_marked; /* every first word has FW_TRIG (facts.h) */
static char trig_text[8192]; /* trigger words, NUL-separated */
static pthread_once_t once = PTHREAD_ONCE_INIT;

static const char *const count_names[] = { "deaths", "injured", "missing",
					   "arrested", "evacuated" };

static uint64_t whash(const char *w, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)w[i]) * 0x100000001b3ULL;
	return h ^ (h >> 29);
}

static unsigned pre_bit(const char *w, size_t n)
{
	unsigned a = (unsigned char)w[0], b = n > 1 ? (unsigned char)w[1] : 0;
	return (a * 31u + b) & 1023u;
}

static lex_word *slot(const char *w, size_t n, int insert)
{
	if (n == 0 || n >= LEX_WORDLEN)
		return NULL;
	unsigned pb = pre_bit(w, n);
	if (!insert && !(pre[n][pb / 64] >> (pb % 64) & 1))
		return NULL; /* no word of the table is in this class */
	size_t i = (size_t)whash(w, n) & (LEX_SLOTS - 1);
	for (size_t k = 0; k < LEX_SLOTS; k++, i = (i + 1) & (LEX_SLOTS - 1)) {
		lex_word *e = &words[i];
		if (!e->w[0]) {
			if (!insert)
				return NULL;
			memcpy(e->w, w, n);
			e->w[n] = '\0';
			e->len = n;
			pre[n][pb / 64] |= (uint64_t)1 << (pb % 64);
			return e;
		}
		if (e->len == n && !memcmp(e->w, w, n))
			return e;
	}
	return NULL;
}

/* slot(w, n, 0) for a lookup per token: the same tests in the same
 * order, inline, with the word compared byte by byte (words are a few
 * bytes; a memcmp call costs more than the compare). */
static inline const lex_word *find(const char *w, size_t n)
{
	if (n == 0 || n >= LEX_WORDLEN)
		return NULL;
	unsigned pb = pre_bit(w, n);
	if (!(pre[n][pb / 64] >> (pb % 64) & 1))
		return NULL;
	size_t i = (size_t)whash(w, n) & (LEX_SLOTS - 1);
	for (size_t k = 0; k < LEX_SLOTS; k++, i = (i + 1) & (LEX_SLOTS - 1)) {
		const lex_word *e = &words[i];
		if (!e->w[0])
			return NULL;
		if (e->len != n)
			continue;
		size_t j = 0;
		while (j < n && e->w[j] == w[j])
			j++;
		if (j == n)
			return e;
	}
	return NULL;
}

static void load_words(void)
{
	/* the extractor's own word sets (extract.c), first, into the empty
	 * table: they are short, so every one of them is in */
	static const char *const say[] = { "said", "says", "told", "tells",
		"stated", "states", "added", "reported", "reports", "say" };
	static const char *const fill[] = { "people", "persons", "civilians",
		"soldiers", "others", "were", "was", "have", "had", "been", "are",
		"is", "being", "reportedly", "more", "least", "at", "and", "those",
		"children", "residents", "workers", "troops", "police", "officers",
		"passengers", "migrants", "protesters", "the", "to", "rose", "climbed",
		"of", "has", "stood", "reached" };
	static const char *const quote[] = { "\"", "\xe2\x80\x9c",
		"\xe2\x80\x9d", "'", "\xe2\x80\x98" };
	static const struct { const char *const *w; size_t n; unsigned bit; } sets[] = {
		{ say, sizeof say / sizeof *say, FW_SAY },
		{ fill, sizeof fill / sizeof *fill, FW_FILL },
		{ quote, sizeof quote / sizeof *quote, FW_QUOTE },
	};
	for (size_t k = 0; k < sizeof sets / sizeof *sets; k++)
		for (size_t i = 0; i < sets[k].n; i++) {
			lex_word *e = slot(sets[k].w[i], strlen(sets[k].w[i]), 1);
			if (e)
				e->cls |= sets[k].bit;
		}
	size_t len;
	const char *d = embed_get("facts_words.tsv", &len);
	if (!d)
		return;
	const char *p = d, *end = d + len, *s;
	size_t n;
	static const struct { const char *name; unsigned bit; } cls[] = {
		{ "prep", FW_PREP }, { "bound", FW_BOUND }, { "neg", FW_NEG },
		{ "plan", FW_PLAN }, { "title", FW_TITLE }, { "group", FW_GROUP },
		{ "desc", FW_DESC }, { "pron", FW_PRON },
	};
	while (embed_next_line(&p, end, &s, &n)) {
		const char *tab = memchr(s, '\t', n);
		if (!tab)
			continue;
		lex_word *e = slot(s, (size_t)(tab - s), 1);
		if (!e)
			continue;
		const char *c = tab + 1;
		size_t cn = n - (size_t)(c - s);
		if (cn > 6 && !memcmp(c, "count:", 6)) {
			for (size_t i = 0; i < sizeof count_names / sizeof *count_names; i++)
				if (strlen(count_names[i]) == cn - 6 &&
				    !memcmp(count_names[i], c + 6, cn - 6)) {
					e->cls |= FW_COUNT;
					e->count = count_names[i];
				}
		} else if (cn > 4 && !memcmp(c, "num:", 4)) {
			e->cls |= FW_NUM;
			e->num = strtoll(c + 4, NULL, 10);
		} else {
			for (size_t i = 0; i < sizeof cls / sizeof *cls; i++)
				if (strlen(cls[i].name) == cn &&
				    !memcmp(cls[i].name, c, cn))
					e->cls |= cls[i].bit;
		}
	}
	/* possessive pronouns are fixed */
	const char *pron[] = { "her", "his", "their", "its" };
	for (size_t i = 0; i < 4; i++) {
		lex_word *e = slot(pron[i], strlen(pron[i]), 1);
		if (e)
			e->cls |= FW_PRON;
	}
}

static int frame_of(const char *s, size_t n)
{
	static const char *const names[] = { "", "act", "with", "pass", "place",
					     "noun", "by", "between", "ger",
					     "say", "quote", "accord" };
	for (int i = 1; i < (int)(sizeof names / sizeof *names); i++)
		if (strlen(names[i]) == n && !memcmp(names[i], s, n))
			return i;
	return 0;
}

static int type_of(const char *s, size_t n)
{
	static const char *const names[] = { "", "meet", "visit", "say", "agree" };
	for (int i = 1; i < 5; i++)
		if (strlen(names[i]) == n && !memcmp(names[i], s, n))
			return i;
	return 0;
}

static int cmp_len(const void *a, const void *b)
{
	const facts_trigger *x = a, *y = b;
	return y->n - x->n;
}

static void load_triggers(void)
{
	size_t len;
	const char *d = embed_get("facts_verbs.tsv", &len);
	if (!d)
		return;
	const char *p = d, *end = d + len, *s;
	size_t n, used = 0;
	while (ntrig < LEX_MAXTRIG && embed_next_line(&p, end, &s, &n)) {
		const char *t1 = memchr(s, '\t', n);
		const char *t2 = t1 ? memchr(t1 + 1, '\t', n - (size_t)(t1 + 1 - s)) : NULL;
		if (!t2)
			continue;
		facts_trigger *t = &trig[ntrig];
		memset(t, 0, sizeof *t);
		t->type = type_of(t1 + 1, (size_t)(t2 - t1 - 1));
		t->frame = frame_of(t2 + 1, n - (size_t)(t2 + 1 - s));
		if (!t->type || !t->frame)
			continue;
		for (const char *w = s; w < t1 && t->n < FACTS_MAXW;) {
			const char *sp = memchr(w, ' ', (size_t)(t1 - w));
			const char *we = sp ? sp : t1;
			size_t wl = (size_t)(we - w);
			if (wl && used + wl + 1 < sizeof trig_text) {
				memcpy(trig_text + used, w, wl);
				trig_text[used + wl] = '\0';
				t->w[t->n++] = trig_text + used;
				used += wl + 1;
			}
			w = we + 1;
		}
		if (t->n)
			ntrig++;
	}
	/* longest first; the sort is stable enough for equal lengths because
	 * the first match of the longest length wins in the matcher */
	qsort(trig, ntrig, sizeof *trig, cmp_len);
	/* mark the first words, so the matcher skips the other tokens
	 * without comparing them with every trigger */
	trig_marked = 1;
	for (size_t i = 0; i < ntrig; i++) {
		lex_word *e = slot(trig[i].w[0], strlen(trig[i].w[0]), 1);
		if (e) {
			e->cls |= FW_TRIG;
			e->trig[i / 64] |= (uint64_t)1 << (i % 64);
		} else {
			trig_marked = 0;
		}
	}
}

static void load(void)
{
	load_words();
	load_triggers();
}

unsigned facts_word(const char *w, size_t len, const char **count,
		    int64_t *num)
{
	char low[LEX_WORDLEN];
	if (len == 0 || len >= LEX_WORDLEN)
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)w[i];
		low[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	return facts_word_lc(low, len, count, num);
}

unsigned facts_word_lc(const char *w, size_t len, const char **count,
		       int64_t *num)
{
	pthread_once(&once, load);
	return facts_word_lc_loaded(w, len, count, num);
}

unsigned facts_word_lc_loaded(const char *w, size_t len, const char **count,
			      int64_t *num)
{
	const lex_word *e = find(w, len);
	if (!e)
		return 0;
	if (count)
		*count = e->count;
	if (num)
		*num = e->num;
	return e->cls;
}

const uint64_t *facts_word_trig(const char *w, size_t len)
{
	pthread_once(&once, load);
	lex_word *e = slot(w, len, 0);
	return e ? e->trig : NULL;
}

int facts_trig_marked(void)
{
	pthread_once(&once, load);
	return trig_marked;
}

const facts_trigger *facts_triggers(size_t *n)
{
	pthread_once(&once, load);
	*n = ntrig;
	return trig;
}
