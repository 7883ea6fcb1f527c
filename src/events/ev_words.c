/*
 * ev_words: the word lists of the events text stage (stop words, and
 * capitalised words that are never names in the stand-in), as fixed
 * hashed sets; and the stage's plain data handling (ev_doc_init and
 * ev_doc_free, the article-to-input adapter ev_input_from_article),
 * kept apart from ev_text.c's text work to hold that file near a
 * thousand lines.
 *
 * Design note: split from ev_text.c, which asks ev_is_stop of every body
 * word and ev_is_notname of every capitalised one.  The lists stay
 * sorted in strcmp order (ev_text_lists_sorted), and their binary
 * search is the reference the sets are checked against in the tests
 * (ev_text_sets_check).  The sets are filled once per process
 * (ev_words_init, any thread) and only read after.  A caller that has
 * the word's FNV-1a hash already (ev_text.c makes it while it reads the
 * token) asks through ev_is_stop_h / ev_is_notname_h.
 */
#include "events.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/article.h"

static const char *const stopwords[] = {
	"a", "about", "above", "according", "after", "again", "against", "all",
	"also", "although", "am", "among", "an", "and", "any", "are", "around",
	"as", "at", "be", "because", "been", "before", "being", "below",
	"between", "both", "but", "by", "can", "com", "could", "did", "do",
	"does", "doing", "down", "dr", "during", "each", "few", "first", "for",
	"from", "further", "had", "has", "have", "having", "he", "her", "here",
	"hers", "herself", "him", "himself", "his", "how", "however", "htm",
	"html", "http", "https", "i", "if", "in", "into", "is", "it", "its",
	"itself", "just", "last", "may", "me", "might", "more", "most", "mr",
	"mrs", "ms", "my", "myself", "new", "news", "no", "nor", "not", "now",
	"of", "off", "on", "once", "one", "only", "or", "other", "our", "ours",
	"ourselves", "out", "over", "own", "per", "s", "said", "same", "say",
	"says", "she", "should", "since", "so", "some", "still", "such", "t",
	"than", "that", "the", "their", "theirs", "them", "themselves", "then",
	"there", "these", "they", "this", "those", "though", "through", "time",
	"to", "told", "too", "two", "under", "until", "up", "us", "very",
	"via", "was", "we", "were", "what", "when", "where", "whether",
	"which", "while", "who", "whom", "why", "will", "with", "within",
	"without", "would", "www", "year", "years", "yet", "you", "your",
	"yours",
};

/* Capitalised words that are never entities in the stand-in. */
static const char *const notnames[] = {
	"a", "afp", "after", "an", "and", "ap", "apr", "april", "as", "at",
	"aug", "august", "before", "but", "by", "click", "com", "dec",
	"december", "dr", "feb", "february", "for", "friday", "from", "he",
	"her", "his", "http", "i", "if", "in", "it", "jan", "january", "jul",
	"july", "jun", "june", "mar", "march", "may", "monday", "more", "mr",
	"mrs", "ms", "nov", "november", "oct", "october", "of", "on", "photo",
	"read", "reuters", "saturday", "sep", "sept", "september", "share",
	"she", "sunday", "that", "the", "their", "there", "they", "this",
	"thursday", "to", "tuesday", "update", "updated", "video", "we",
	"wednesday", "when", "while", "with", "www",
};

static int cmp_word(const void *k, const void *el)
{
	return strcmp(k, *(const char *const *)el);
}

/* The lists are kept sorted (strcmp order; ev_text_lists_sorted checks
 * it in the tests): the binary search is the reference the word sets
 * below are checked against (ev_text_sets_check). */
static int in_list(const char *const *list, size_t n, const char *w)
{
	return bsearch(w, list, n, sizeof *list, cmp_word) != NULL;
}

/* A list as a fixed word set: open addressing over WSET_N slots, filled
 * once (words_init) and looked up with an unseeded FNV-1a hash of the
 * word.  Nothing from the input is ever added, so no input can lengthen
 * a probe run beyond the runs the lists themselves make; at under a
 * fifth full, most words that are not in a set meet an empty slot at
 * once.  is_stop runs once per body word of every article: the binary
 * search took eight strcmp calls a word. */
#define WSET_N 1024
#define WSET_W 16 /* longer words are in no list */

typedef struct wset {
	const char *w[WSET_N]; /* NULL = empty */
	uint8_t n[WSET_N];
} wset;

static wset stop_set, notname_set;
static pthread_once_t words_once = PTHREAD_ONCE_INIT;

/* The slot of a word whose FNV-1a hash (EV_FNV_*) is fnv. */
static uint32_t ws_slot(uint32_t fnv)
{
	return (fnv ^ fnv >> 15) & (WSET_N - 1);
}

static uint32_t ws_hash(const char *w, size_t n)
{
	uint32_t h = EV_FNV_BASIS;
	for (size_t i = 0; i < n; i++)
		h = EV_FNV_STEP(h, (unsigned char)w[i]);
	return ws_slot(h);
}

static void ws_fill(wset *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(list[i]);
		uint32_t h = ws_hash(list[i], len);
		while (s->w[h])
			h = (h + 1) & (WSET_N - 1);
		s->w[h] = list[i];
		s->n[h] = (uint8_t)len;
	}
}

static void words_init(void)
{
	_Static_assert(sizeof stopwords / sizeof *stopwords < WSET_N / 4 &&
			       sizeof notnames / sizeof *notnames < WSET_N / 4,
		       "WSET_N");
	ws_fill(&stop_set, stopwords, sizeof stopwords / sizeof *stopwords);
	ws_fill(&notname_set, notnames, sizeof notnames / sizeof *notnames);
}

/* Is w[0, n) in s?  The sets are filled before any look-up (prep_build
 * and ev_text_sets_check call ev_words_init first). */
static int ws_has(const wset *s, const char *w, size_t n, uint32_t h)
{
	if (n >= WSET_W)
		return 0;
	for (;; h = (h + 1) & (WSET_N - 1)) {
		if (!s->w[h])
			return 0;
		if (s->n[h] == n && bytes_same(s->w[h], w, n))
			return 1;
	}
}

void ev_words_init(void)
{
	pthread_once(&words_once, words_init);
}

int ev_is_stop(const char *w, size_t n)
{
	return ws_has(&stop_set, w, n, ws_hash(w, n));
}

int ev_is_notname(const char *w, size_t n)
{
	return ws_has(&notname_set, w, n, ws_hash(w, n));
}

int ev_is_stop_h(const char *w, size_t n, uint32_t fnv)
{
	return ws_has(&stop_set, w, n, ws_slot(fnv));
}

int ev_is_notname_h(const char *w, size_t n, uint32_t fnv)
{
	return ws_has(&notname_set, w, n, ws_slot(fnv));
}

static int sorted(const char *const *list, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (strcmp(list[i - 1], list[i]) >= 0)
			return 0;
	return 1;
}

int ev_text_is_stop(const char *w, size_t n)
{
	ev_words_init();
	return ev_is_stop(w, n);
}

/* Does each set answer for w[0, n) as its list's binary search does? */
static int sets_agree(const char *w, size_t n)
{
	char t[64]; /* longer than any word the stage looks up */
	if (n >= sizeof t || memchr(w, 0, n))
		return 1; /* not a word the stage looks up */
	memcpy(t, w, n);
	t[n] = '\0';
	uint32_t fnv = EV_FNV_BASIS;
	for (size_t i = 0; i < n; i++)
		fnv = EV_FNV_STEP(fnv, (unsigned char)w[i]);
	int stop = in_list(stopwords, sizeof stopwords / sizeof *stopwords, t);
	int notname = in_list(notnames, sizeof notnames / sizeof *notnames, t);
	return ev_is_stop(w, n) == stop && ev_is_stop_h(w, n, fnv) == stop &&
	       ev_is_notname(w, n) == notname &&
	       ev_is_notname_h(w, n, fnv) == notname;
}

int ev_text_sets_check(const char *w, size_t n)
{
	ev_words_init();
	if (w)
		return sets_agree(w, n);
	/* every word of both lists, and each one's prefixes and with a
	 * letter more */
	const char *const *list[] = { stopwords, notnames };
	size_t len[] = { sizeof stopwords / sizeof *stopwords,
			 sizeof notnames / sizeof *notnames };
	for (size_t l = 0; l < 2; l++)
		for (size_t i = 0; i < len[l]; i++) {
			const char *x = list[l][i];
			size_t xn = strlen(x);
			char t[WSET_W + 2];
			if (xn >= WSET_W)
				return 0;
			for (size_t k = 0; k <= xn; k++)
				if (!sets_agree(x, k))
					return 0;
			memcpy(t, x, xn);
			t[xn] = 's';
			if (!sets_agree(t, xn + 1))
				return 0;
		}
	return 1;
}

int ev_text_lists_sorted(void)
{
	return sorted(stopwords, sizeof stopwords / sizeof *stopwords) &&
	       sorted(notnames, sizeof notnames / sizeof *notnames);
}

/* ---- docs and inputs ---- */

void ev_doc_init(ev_doc *d)
{
	memset(d, 0, sizeof *d);
	d->anchor = EV_NODAY;
	d->group = -1;
}

void ev_doc_free(ev_doc *d)
{
	free(d->body.v);
	free(d->head.v);
	free(d->ents.v);
	ev_doc_init(d);
}

/* The PER key mentioned most (at least twice; ties: the first
 * mentioned), or NULL.  Quadratic, so only the first 512 mentions. */
static const char *main_person(const chr_article *a)
{
	const char *best = NULL;
	size_t bn = 1;
	size_t lim = a->mentions.n < 512 ? a->mentions.n : 512;
	for (size_t i = 0; i < lim; i++) {
		const art_mention *m = &a->mentions.v[i];
		if (m->type != 1 || !m->key)
			continue;
		size_t n = 0;
		for (size_t j = 0; j < lim; j++)
			n += a->mentions.v[j].type == 1 && a->mentions.v[j].key &&
			     !strcmp(a->mentions.v[j].key, m->key);
		if (n > bn)
			bn = n, best = m->key;
	}
	return best;
}

chr_status ev_input_from_article(ev_input *in, const chr_article *a)
{
	memset(in, 0, sizeof *in);
	in->id = a->id;
	in->headline = a->headline;
	in->text = a->text;
	in->text_len = a->text_len;
	in->published = a->published[0] ? a->published : NULL;
	in->dateline = a->dateline;
	in->group = -1;
	size_t nd = 0, ne = 0;
	for (size_t i = 0; i < a->timexes.n; i++) {
		nd += a->timexes.v[i].type == CHR_TIMEX_DATE;
		if (a->timexes.v[i].type == CHR_TIMEX_DATE)
			ev_input_month(in, a->timexes.v[i].value);
	}
	for (size_t i = 0; i < a->mentions.n; i++)
		ne += a->mentions.v[i].key != NULL;
	in->person = main_person(a);
	if (!nd && !ne)
		return CHR_OK;
	char *mem = malloc(nd * sizeof(int32_t) + ne * sizeof(char *) + 1);
	if (!mem)
		return CHR_ENOMEM;
	in->own = mem;
	const char **ents = (const char **)mem;
	int32_t *dates = (int32_t *)(mem + ne * sizeof(char *));
	for (size_t i = 0; i < a->mentions.n; i++)
		if (a->mentions.v[i].key)
			ents[in->nentities++] = a->mentions.v[i].key;
	for (size_t i = 0; i < a->timexes.n; i++) {
		const chr_timex *x = &a->timexes.v[i];
		int32_t day = x->type == CHR_TIMEX_DATE ? ev_parse_day(x->value)
							: EV_NODAY;
		if (day != EV_NODAY)
			dates[in->ndates++] = day;
	}
	if (in->nentities)
		in->entities = ents;
	if (in->ndates)
		in->dates = dates;
	return CHR_OK;
}

void ev_input_month(ev_input *in, const char *v)
{
	/* "YYYY-MM", "YYYY-MM-DD", "XXXX-MM": not weeks, seasons, years */
	if (strlen(v) < 7 || v[4] != '-' || v[5] < '0' || v[5] > '1' ||
	    v[6] < '0' || v[6] > '9' || (v[7] && v[7] != '-' && v[7] != 'T'))
		return;
	int m = (v[5] - '0') * 10 + (v[6] - '0');
	if (m < 1 || m > 12)
		return;
	if (!strncmp(v, "XXXX", 4))
		in->umonths |= (uint16_t)(1u << (m - 1));
	else if (v[0] >= '0' && v[0] <= '9')
		in->rmonths |= (uint16_t)(1u << (m - 1));
}

void ev_input_release(ev_input *in)
{
	free(in->own);
	in->own = NULL;
}
