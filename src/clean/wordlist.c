/*
 * wordlist: dictionary loading and the broken-word decision (see
 * wordlist.h).
 *
 * Design note: the file is read whole into one malloc'd block that the
 * hash set's keys point into, so loading is one read and one pass; the
 * block and set live until exit (they are process-wide and immutable).
 */
#include "wordlist.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WORD_MAX 64

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static ht g_dict;
static int g_dict_ok;
static char *g_dict_mem;
static const char *g_path;

void clean_dict_set_path(const char *path)
{
	g_path = path;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0) {
		fclose(f);
		return NULL;
	}
	long sz = ftell(f);
	if (sz <= 0 || sz > (64L << 20) || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return NULL;
	}
	char *p = malloc((size_t)sz + 1);
	if (p && fread(p, 1, (size_t)sz, f) != (size_t)sz) {
		free(p);
		p = NULL;
	}
	fclose(f);
	if (p) {
		p[sz] = '\0';
		*len = (size_t)sz;
	}
	return p;
}

static void load(void)
{
	static const char *const defaults[] = {
		"/usr/share/dict/american-english", "/usr/share/dict/words",
	};
	size_t len = 0;
	char *mem = NULL;
	if (g_path) {
		if (*g_path)
			mem = slurp(g_path, &len);
	} else {
		for (size_t i = 0; !mem && i < 2; i++)
			mem = slurp(defaults[i], &len);
	}
	if (!mem)
		return;
	ht_init(&g_dict, 1u << 22);
	size_t lines = 1; /* one entry at most per line: no growth on the way */
	for (const char *q = mem; (q = memchr(q, '\n', (size_t)(mem + len - q)));
	     q++)
		lines++;
	(void)ht_reserve(&g_dict, lines); /* a hint: on ENOMEM puts still grow */
	size_t i = 0;
	while (i < len) {
		size_t j = i;
		int apos = 0;
		while (j < len && mem[j] != '\n') {
			if (mem[j] == '\'')
				apos = 1;
			j++;
		}
		size_t n = j;
		if (n > i && mem[n - 1] == '\r')
			n--;
		if (n > i && !apos && n - i <= WORD_MAX)
			if (!ht_put(&g_dict, mem + i, n - i, NULL))
				break;
		i = j + 1;
	}
	g_dict_mem = mem;
	g_dict_ok = g_dict.count > 0;
}

const ht *clean_dict(void)
{
	pthread_once(&g_once, load);
	return g_dict_ok ? &g_dict : NULL;
}

static int is_up(char c) { return c >= 'A' && c <= 'Z'; }
static int is_lo(char c) { return c >= 'a' && c <= 'z'; }

int clean_dict_has(const ht *dict, const char *w, size_t n)
{
	if (!dict || n == 0 || n > WORD_MAX)
		return 0;
	if (ht_get(dict, w, n))
		return 1;
	int first_up = is_up(w[0]), rest_up = 1, rest_lo = 1;
	for (size_t i = 1; i < n; i++) {
		if (is_lo(w[i]))
			rest_up = 0;
		if (is_up(w[i]))
			rest_lo = 0;
	}
	if (!first_up)
		return 0;
	char tmp[WORD_MAX];
	memcpy(tmp, w, n);
	tmp[0] = (char)(tmp[0] - 'A' + 'a');
	if (rest_lo)
		return ht_get(dict, tmp, n) != NULL;
	if (rest_up && n > 1) {
		/* "WORD": try "word" and "Word" */
		for (size_t i = 1; i < n; i++)
			if (is_up(tmp[i]))
				tmp[i] = (char)(tmp[i] - 'A' + 'a');
		if (ht_get(dict, tmp, n))
			return 1;
		tmp[0] = w[0];
		return ht_get(dict, tmp, n) != NULL;
	}
	return 0;
}

void clean_words_init(clean_words *cw, const ht *dict, const char *doc,
		      size_t doc_len)
{
	cw->dict = dict;
	cw->doc = doc;
	cw->doc_len = doc_len;
	ht_init(&cw->seen, 0);
	cw->seen_built = 0;
	cw->scans = 0;
}

void clean_words_free(clean_words *cw)
{
	ht_free(&cw->seen);
}

static int word_byte(unsigned char c)
{
	return is_up((char)c) || is_lo((char)c) || c >= 0x80;
}

static void build_seen(clean_words *cw)
{
	cw->seen_built = 1;
	const char *s = cw->doc;
	size_t n = cw->doc_len, i = 0;
	while (i < n) {
		if (!word_byte((unsigned char)s[i])) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < n && word_byte((unsigned char)s[j]))
			j++;
		if (j - i <= WORD_MAX) {
			ht_entry *e = ht_put(&cw->seen, s + i, j - i, NULL);
			if (!e)
				return; /* over the ceiling: use what we have */
			e->v.num++;
		}
		i = j;
	}
}

/* How often the word w[0..n) (word bytes only) stands alone in the text:
 * the number of its occurrences with no word byte on either side, which
 * is what build_seen counts for it (a word run is one key). */
static int64_t scan_count(const clean_words *cw, const char *w, size_t n)
{
	const char *s = cw->doc, *end = s + cw->doc_len, *p = s;
	int64_t k = 0;
	while ((size_t)(end - p) >= n) {
		const char *f = memmem(p, (size_t)(end - p), w, n);
		if (!f)
			break;
		if ((f == s || !word_byte((unsigned char)f[-1])) &&
		    (f + n == end || !word_byte((unsigned char)f[n])))
			k++;
		p = f + 1;
	}
	return k;
}

static int64_t doc_count(clean_words *cw, const char *w, size_t n)
{
	if (!cw->doc)
		return 0;
	if (!cw->seen_built && cw->scans < CLEAN_SCANS && n > 0) {
		cw->scans++;
		return scan_count(cw, w, n);
	}
	if (!cw->seen_built)
		build_seen(cw);
	const ht_entry *e = ht_get(&cw->seen, w, n);
	return e ? e->v.num : 0;
}

/* Endings that are listed as words (abbreviations such as "ed") but at
 * the start of a line, after a word, are the rest of that word. */
static int is_suffix(const char *w, size_t n)
{
	static const struct {
		char s[6];
		unsigned char n;
	} sfx[] = {
		{"ed", 2}, {"ing", 3}, {"ings", 4}, {"ly", 2}, {"es", 2},
		{"er", 2}, {"ers", 3}, {"est", 3}, {"ment", 4}, {"ments", 5},
		{"tion", 4}, {"tions", 5}, {"ness", 4}, {"ity", 3}, {"ies", 3},
		{"ied", 3},
	};
	if (n < 2 || n > 5)
		return 0;
	for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++)
		if (sfx[i].n == n && memcmp(sfx[i].s, w, n) == 0)
			return 1;
	return 0;
}

/* A fragment is a word on its own when the dictionary has it or it occurs
 * elsewhere in the document (the fragment itself counts once). */
static int frag_is_word(clean_words *cw, const char *w, size_t n)
{
	if (clean_dict_has(cw->dict, w, n))
		return 1;
	if (!cw->dict)
		return doc_count(cw, w, n) >= 2;
	return 0;
}

static int joined_is_word(clean_words *cw, const char *w, size_t n)
{
	if (clean_dict_has(cw->dict, w, n))
		return 1;
	return doc_count(cw, w, n) >= 1;
}

int clean_join_broken(clean_words *cw, const char *left, size_t ln,
		      const char *right, size_t rn)
{
	if (ln == 0 || rn == 0 || ln + rn > WORD_MAX)
		return 0;
	/* the continuation starts in lower case */
	if (!is_lo(right[0]))
		return 0;
	for (size_t i = 0; i < rn; i++)
		if (!word_byte((unsigned char)right[i]))
			return 0;
	int hyph = left[ln - 1] == '-';
	size_t core = hyph ? ln - 1 : ln;
	if (core == 0)
		return 0;
	for (size_t i = 0; i < core; i++)
		if (!word_byte((unsigned char)left[i]))
			return 0;
	/* Two real words ("in" "the"): a genuine break.  Checked first
	 * because it is the common case and needs no joined lookup. */
	if (!hyph && frag_is_word(cw, left, core) &&
	    !is_suffix(right, rn) && frag_is_word(cw, right, rn))
		return 0;
	char tmp[WORD_MAX];
	memcpy(tmp, left, core);
	memcpy(tmp + core, right, rn);
	if (!joined_is_word(cw, tmp, core + rn))
		return hyph ? 1 : 0; /* "well-" "known": keep the hyphen */
	return hyph ? 2 : 1;   /* "inter-" "national"; "report" "ed" */
}
