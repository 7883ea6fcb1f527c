/*
 * facts/evword: which words of a sentence are event mentions (verbs and
 * event nouns), without a part-of-speech tagger.
 *
 * Design note.  A lexicon says, per lemma, whether it is a verb, how often
 * its verb and noun senses were seen in sense-tagged text, and what share
 * of its noun uses are events (acts, events, processes).
 * facts_evlex_load builds it from a WordNet directory (index.verb,
 * index.noun, cntlist.rev for the counts, data.noun for the first sense
 * of untagged nouns, verb.exc for irregular forms); tests add entries by
 * hand.  Classification of one word uses its form and its left context:
 *   - a past or -ing form of a verb is an event ("launched", "saying");
 *   - a third-person form ("sells") is a verb when the verb is the more
 *     frequent reading or a pronoun stands before it, never after a
 *     determiner ("the sells" is not a verb);
 *   - a base form ("use") is a verb after "to", a modal or "did", or
 *     right after a subject pronoun;
 *   - otherwise a noun whose uses are mostly events ("lawsuit", "death"),
 *     unless it sits between "in" and "to"/"of" ("in addition to");
 *   - "be" is never an event, "have" and "do" only as main verbs (not
 *     before a participle).
 * A verb in the simple present ("sells", "has", "we sell") is marked
 * FACTS_EV_PRESENT: it holds at the time of writing.
 * The lexicon is read-only after loading; bounded by EVL_MAX entries.
 */
#include "facts/facts.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/arena.h"
#include "core/hash.h"

#define EVL_MAX 400000  /* lexicon entries (WordNet has ~160k lemmas) */
#define EVL_WORD 48     /* longest word classified */
#define EVL_FILE (64u << 20) /* largest WordNet file read */

typedef struct evl_ent {
	unsigned flags;       /* EVL_* */
	unsigned vcnt, ncnt;  /* tagged uses as verb, as noun */
	unsigned nev;         /* tagged noun uses in event lexfiles */
	unsigned evshare;     /* percent of noun uses that are events */
	const char *lemma;    /* irregular form -> its lemma, else NULL */
} evl_ent;

enum { EVL_VERB = 1, EVL_NOUN = 2, EVL_FORM = 4 };

struct facts_evlex {
	arena mem;
	ht map; /* word -> evl_ent* */
};

facts_evlex *facts_evlex_new(void)
{
	facts_evlex *x = calloc(1, sizeof *x);
	if (!x)
		return NULL;
	arena_init(&x->mem, 0);
	ht_init(&x->map, EVL_MAX);
	return x;
}

void facts_evlex_free(facts_evlex *x)
{
	if (!x)
		return;
	ht_free(&x->map);
	arena_free(&x->mem);
	free(x);
}

static evl_ent *ent(facts_evlex *x, const char *w, size_t n, int create)
{
	if (!create) {
		ht_entry *h = ht_get(&x->map, w, n);
		return h ? h->v.ptr : NULL;
	}
	char *k = arena_strndup(&x->mem, w, n);
	if (!k)
		return NULL;
	int created;
	ht_entry *h = ht_put(&x->map, k, n, &created);
	if (!h)
		return NULL;
	if (created) {
		h->v.ptr = arena_calloc(&x->mem, 1, sizeof(evl_ent));
		if (!h->v.ptr)
			return NULL;
	}
	return h->v.ptr;
}

int facts_evlex_add(facts_evlex *x, const char *lemma, int verb,
		    unsigned vcnt, unsigned ncnt, unsigned evshare)
{
	evl_ent *e = ent(x, lemma, strlen(lemma), 1);
	if (!e)
		return -1;
	e->flags |= (verb ? EVL_VERB : 0) | (ncnt || evshare ? EVL_NOUN : 0);
	e->vcnt += vcnt;
	e->ncnt += ncnt;
	if (evshare)
		e->evshare = evshare;
	return 0;
}

int facts_evlex_add_form(facts_evlex *x, const char *form, const char *lemma)
{
	evl_ent *e = ent(x, form, strlen(form), 1);
	if (!e)
		return -1;
	e->flags |= EVL_FORM;
	if (!e->lemma)
		e->lemma = arena_strdup(&x->mem, lemma);
	return e->lemma ? 0 : -1;
}

/* ---- loading WordNet ---- */

static char *slurp(const char *dir, const char *name, size_t *len)
{
	char path[1024];
	int n = snprintf(path, sizeof path, "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= sizeof path)
		return NULL;
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *b = NULL;
	if (fseek(f, 0, SEEK_END) == 0) {
		long sz = ftell(f);
		if (sz >= 0 && (unsigned long)sz < EVL_FILE &&
		    fseek(f, 0, SEEK_SET) == 0 && (b = malloc((size_t)sz + 1))) {
			*len = fread(b, 1, (size_t)sz, f);
			b[*len] = '\0';
		}
	}
	fclose(f);
	return b;
}

static int event_lexfile(int lf)
{
	/* 04 noun.act, 11 noun.event, 22 noun.process (noun.communication
	 * and noun.state hold as many things as acts: "email", "name") */
	return lf == 4 || lf == 11 || lf == 22;
}

/* index.<pos>: one lemma a line ("lemma pos n p [ptrs] n t offsets"). */
static int load_index(facts_evlex *x, const char *dir, const char *name,
		      int verb, const char *data, size_t dlen)
{
	size_t len = 0;
	char *b = slurp(dir, name, &len);
	if (!b)
		return -1;
	for (char *save = NULL, *l = strtok_r(b, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		if (*l == ' ')
			continue; /* licence header */
		char *sp = strchr(l, ' ');
		if (!sp || memchr(l, '_', (size_t)(sp - l)))
			continue;
		evl_ent *e = ent(x, l, (size_t)(sp - l), 1);
		if (!e)
			break;
		e->flags |= verb ? EVL_VERB : EVL_NOUN;
		if (verb || !data)
			continue;
		/* first synset offset: the last fields are the offsets, the
		 * first of them the most frequent sense */
		char *f[64];
		int nf = 0;
		for (char *s2 = NULL, *t = strtok_r(sp + 1, " ", &s2); t && nf < 64;
		     t = strtok_r(NULL, " ", &s2))
			f[nf++] = t;
		if (nf < 4)
			continue;
		int nsyn = atoi(f[1]);
		if (nsyn < 1 || nsyn > nf - 2)
			continue;
		unsigned long off = strtoul(f[nf - nsyn], NULL, 10);
		if (off + 12 < dlen)
			e->evshare = 1000 + (unsigned)atoi(data + off + 9); /* lexfile, resolved below */
	}
	free(b);
	return 0;
}

/* cntlist.rev: "lemma%pos:lexfile:id:: sense count". */
static void load_counts(facts_evlex *x, const char *dir)
{
	size_t len = 0;
	char *b = slurp(dir, "cntlist.rev", &len);
	if (!b)
		return;
	for (char *save = NULL, *l = strtok_r(b, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		char *pc = strchr(l, '%');
		char *sp = pc ? strrchr(l, ' ') : NULL;
		if (!pc || !sp || memchr(l, '_', (size_t)(pc - l)))
			continue;
		int pos = pc[1] - '0';
		int lf = atoi(pc + 3);
		unsigned c = (unsigned)atoi(sp + 1);
		evl_ent *e = ent(x, l, (size_t)(pc - l), 0);
		if (!e || !c)
			continue;
		if (pos == 2) {
			e->vcnt += c;
		} else if (pos == 1) {
			e->ncnt += c;
			if (event_lexfile(lf))
				e->nev += c;
		}
	}
	/* evshare: percent of tagged noun uses that are events; untagged
	 * nouns keep their first sense's lexfile (1000 + lexfile) */
	for (size_t i = 0; i < x->map.cap; i++) {
		evl_ent *e = x->map.slots[i].key ? x->map.slots[i].v.ptr : NULL;
		if (!e || !(e->flags & EVL_NOUN))
			continue;
		if (e->ncnt) {
			e->evshare = 100 * e->nev / e->ncnt;
		} else if (e->evshare >= 1000) {
			e->evshare = event_lexfile((int)e->evshare - 1000) ? 100 : 0;
		}
	}
	free(b);
}

/* verb.exc / noun.exc: "form lemma". */
static void load_exc(facts_evlex *x, const char *dir, const char *name)
{
	size_t len = 0;
	char *b = slurp(dir, name, &len);
	if (!b)
		return;
	for (char *save = NULL, *l = strtok_r(b, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		char *sp = strchr(l, ' ');
		if (!sp || memchr(l, '_', (size_t)(sp - l)))
			continue;
		*sp = '\0';
		char *lem = sp + 1;
		char *end = strchr(lem, ' ');
		if (end)
			*end = '\0';
		if (facts_evlex_add_form(x, l, lem))
			break;
	}
	free(b);
}

chr_status facts_evlex_load(const char *dir, facts_evlex **out)
{
	*out = NULL;
	facts_evlex *x = facts_evlex_new();
	if (!x)
		return CHR_ENOMEM;
	size_t dlen = 0;
	char *data = slurp(dir, "data.noun", &dlen);
	if (load_index(x, dir, "index.verb", 1, NULL, 0) ||
	    load_index(x, dir, "index.noun", 0, data, dlen)) {
		free(data);
		facts_evlex_free(x);
		return CHR_EIO;
	}
	free(data);
	/* the verbs' flags must be known before counting */
	load_counts(x, dir);
	load_exc(x, dir, "verb.exc");
	*out = x;
	return CHR_OK;
}

/* ---- classification ---- */

enum { F_BASE, F_PAST, F_ING, F_S3 };

static const evl_ent *verb_of(const facts_evlex *x, const char *w, size_t n,
			      int *form)
{
	facts_evlex *mx = (facts_evlex *)x;
	const evl_ent *e = ent(mx, w, n, 0);
	if (e && (e->flags & EVL_FORM) && e->lemma) {
		const evl_ent *l = ent(mx, e->lemma, strlen(e->lemma), 0);
		if (l && (l->flags & EVL_VERB)) {
			*form = n > 3 && !memcmp(w + n - 3, "ing", 3) ? F_ING
				: w[n - 1] == 's' ? F_S3 : F_PAST;
			return l;
		}
	}
	char s[EVL_WORD + 2];
	struct { const char *suf; const char *add; int form; } rules[] = {
		{ "ing", "", F_ING }, { "ing", "e", F_ING }, { "ied", "y", F_PAST },
		{ "ed", "", F_PAST }, { "ed", "e", F_PAST }, { "ies", "y", F_S3 },
		{ "es", "", F_S3 }, { "s", "", F_S3 },
	};
	for (size_t r = 0; r < sizeof rules / sizeof *rules; r++) {
		size_t sl = strlen(rules[r].suf), al = strlen(rules[r].add);
		if (n <= sl + 1 || memcmp(w + n - sl, rules[r].suf, sl))
			continue;
		size_t k = n - sl;
		memcpy(s, w, k);
		memcpy(s + k, rules[r].add, al);
		const evl_ent *l = ent(mx, s, k + al, 0);
		if (!l && !al && k > 2 && s[k - 1] == s[k - 2] &&
		    !strchr("aeiouslz", s[k - 1]))
			l = ent(mx, s, k - 1, 0); /* "stopped" -> "stop" */
		if (l && (l->flags & EVL_VERB)) {
			*form = rules[r].form;
			return l;
		}
	}
	if (e && (e->flags & EVL_VERB)) {
		*form = F_BASE;
		return e;
	}
	return NULL;
}

/* The noun entry of w (singular of a plural too). */
static const evl_ent *noun_of(const facts_evlex *x, const char *w, size_t n)
{
	facts_evlex *mx = (facts_evlex *)x;
	const evl_ent *e = ent(mx, w, n, 0);
	if (e && (e->flags & EVL_NOUN))
		return e;
	if (n > 3 && w[n - 1] == 's') {
		e = ent(mx, w, n - 1, 0);
		if (e && (e->flags & EVL_NOUN))
			return e;
		if (n > 4 && w[n - 2] == 'e' && (e = ent(mx, w, n - 2, 0)) &&
		    (e->flags & EVL_NOUN))
			return e;
	}
	return NULL;
}

static int in(const char *w, const char *const *l)
{
	for (; *l; l++)
		if (!strcmp(w, *l))
			return 1;
	return 0;
}

static const char *const be_words[] = { "be", "is", "are", "was", "were",
	"been", "being", "am", "'s", "'re", "'m", NULL };
static const char *const have_words[] = { "have", "has", "had", "having",
	"do", "does", "did", "doing", "'ve", "'d", NULL };
static const char *const modal_words[] = { "to", "will", "would", "can",
	"could", "may", "might", "should", "must", "shall", "did", "does",
	"do", "'ll", "wo", "ca", "cannot", NULL };
static const char *const adverb_words[] = { "not", "n't", "also", "never",
	"soon", "then", "still", "now", "just", "only", "further", "again",
	"already", "even", "first", "actually", "really", "personally", "yet",
	NULL };
static const char *const subj_words[] = { "i", "we", "you", "they", "he",
	"she", "it", "who", "which", NULL };
static const char *const det_words[] = { "the", "a", "an", "this", "that",
	"these", "those", "its", "his", "her", "their", "our", "my", "your",
	"'s", "no", "any", "each", "every", "some", "of", "new", "more",
	"most", "all", "such", "other", "another", "many", NULL };
/* participles used as adjectives or prepositions, and function words
 * with verb homographs in WordNet */
static const char *const not_event[] = { "based", "used", "united",
	"limited", "related", "called", "named", "so-called", "owned",
	"listed", "located", "according", "including", "following",
	"regarding", "concerning", "during", "further", "given", "can",
	"will", "may", "might", "must", "need", "let", "ago", "like", "as",
	"even", "still", "well", "due", "less", "more", "much", "last",
	"next", "up", "down", "out", "off", "over", "back", "here", "there",
	"so", "too", "say", "says", "yet", "per", "part", "parts", "way",
	"ways", "lot", "lots", "time", "times", "year", "years", "day",
	"days", "week", "weeks", "month", "months", NULL };

static size_t lower(const char *tok, size_t n, char *w)
{
	if (n == 0 || n > EVL_WORD)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)tok[i];
		if (!isalpha(c) && c != '-' && c != '\'')
			return 0;
		w[i] = (char)tolower(c);
	}
	w[n] = '\0';
	return n;
}

int facts_event_word(const facts_evlex *x, const char *const *tok,
		     const size_t *len, size_t n, size_t i)
{
	char w[EVL_WORD + 1];
	size_t wn = lower(tok[i], len[i], w);
	if (wn < 3 || in(w, be_words) || in(w, not_event))
		return 0;
	/* a capital inside the sentence is a name */
	if (i > 0 && isupper((unsigned char)tok[i][0]))
		return 0;
	/* the word before, skipping adverbs */
	char p[EVL_WORD + 1] = "";
	for (size_t j = i; j-- > 0;) {
		if (!lower(tok[j], len[j], p)) {
			p[0] = '\0';
			break;
		}
		if (!in(p, adverb_words))
			break;
		p[0] = '\0';
	}
	int form = F_BASE;
	const evl_ent *v = verb_of(x, w, wn, &form);
	if (in(w, have_words)) {
		/* auxiliary before a participle or -ing form */
		for (size_t j = i + 1; j < n && j < i + 3; j++) {
			char q[EVL_WORD + 1];
			int f2;
			if (!lower(tok[j], len[j], q))
				break;
			if (in(q, adverb_words))
				continue;
			if (in(q, be_words) || (verb_of(x, q, strlen(q), &f2) &&
						(f2 == F_PAST || f2 == F_ING)))
				return 0;
			if (!strcmp(w, "do") || !strcmp(w, "does") || !strcmp(w, "did"))
				return verb_of(x, q, strlen(q), &f2) ? 0 : FACTS_EV_VERB;
			break;
		}
		if (in(p, det_words))
			return 0;
		return FACTS_EV_VERB | (!strcmp(w, "has") || !strcmp(w, "have") ||
					!strcmp(w, "does") || !strcmp(w, "do")
					? FACTS_EV_PRESENT : 0);
	}
	const evl_ent *nn = noun_of(x, w, wn);
	int after_det = in(p, det_words);
	if (v) {
		switch (form) {
		case F_PAST:
			return FACTS_EV_VERB;
		case F_ING:
			if (!after_det)
				return FACTS_EV_VERB;
			return nn && nn->evshare >= 50 ? FACTS_EV_NOUN : 0;
		case F_S3:
			if (after_det)
				break;
			if (in(p, subj_words) || !nn || v->vcnt >= nn->ncnt)
				return FACTS_EV_VERB | FACTS_EV_PRESENT;
			break;
		default:
			if (in(p, modal_words))
				return FACTS_EV_VERB;
			if (in(p, subj_words))
				return FACTS_EV_VERB | FACTS_EV_PRESENT;
			break;
		}
	}
	/* a noun between "in" and "to"/"of" is a preposition's part ("in
	 * addition to", "in charge of"), not an act */
	if (i > 0 && i + 1 < n && len[i - 1] == 2 && !strncasecmp(tok[i - 1], "in", 2) &&
	    ((len[i + 1] == 2 && !strncasecmp(tok[i + 1], "to", 2)) ||
	     (len[i + 1] == 2 && !strncasecmp(tok[i + 1], "of", 2))))
		return 0;
	return nn && nn->evshare >= 50 && (nn->ncnt >= (v ? v->vcnt : 0) ||
					   after_det) ? FACTS_EV_NOUN : 0;
}
