/*
 * ner_text: a small tokenizer and sentence splitter for tagging plain text.
 *
 * Design note: the tagger was trained on CoNLL-2003 tokens, so this splits
 * text the way that corpus does: punctuation apart, clitics 's n't 're
 * etc. apart ("Germany 's"), but abbreviations with their dots ("U.S.",
 * "Nov.", "J."), numbers with their separators ("1,000.5") and hyphenated
 * words ("Sino-Japanese") kept whole.  Bytes >= 0x80 count as letters
 * except the common Unicode quotes and dashes, which are punctuation.
 * Sentences end at . ! ? followed by a capital, digit or quote, and at a
 * blank line or an indented line.  Used until src/text/ takes over; it is
 * also what the cluster trainer reads unlabelled text with.
 */
#include "entities/ner.h"

#include <stdlib.h>
#include <string.h>

static int is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c >= 0x80;
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* Length of a Unicode punctuation character at s (quotes, dashes,
 * ellipsis, non-breaking space), 0 when none. */
static size_t uni_punct(const unsigned char *s, size_t n)
{
	if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80 &&
	    (s[2] >= 0x90 && s[2] <= 0xA6))
		return 3;
	if (n >= 2 && s[0] == 0xC2 && (s[1] == 0xA0 || s[1] == 0xAB ||
				       s[1] == 0xBB))
		return 2;
	return 0;
}

static const char *const abbrevs[] = {
	"mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "capt",
	"gov", "sen", "rep", "st", "jr", "sr", "co", "corp", "inc", "ltd",
	"bros", "no", "vs", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
	"sep", "sept", "oct", "nov", "dec", "mt", "ft", "ave", "rev", "adm",
	"cmdr", "maj", "messrs", "pres", "supt", "dept", "univ", "approx",
	"etc", "plc", "cf", "al", "est", "ex", "fig", NULL};

static int is_abbrev(const unsigned char *s, size_t n)
{
	if (n == 1 && s[0] >= 'A' && s[0] <= 'Z')
		return 1; /* initial: "J." */
	if (n > 8)
		return 0;
	char low[9];
	for (size_t i = 0; i < n; i++)
		low[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	low[n] = 0;
	for (size_t i = 0; abbrevs[i]; i++)
		if (strcmp(abbrevs[i], low) == 0)
			return 1;
	return 0;
}

static int push(ner_span **v, size_t *n, size_t *cap, size_t a, size_t b,
		int ss)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 256;
		ner_span *q = realloc(*v, c * sizeof *q);
		if (!q)
			return -1;
		*v = q;
		*cap = c;
	}
	(*v)[*n].start = (uint32_t)a;
	(*v)[*n].end = (uint32_t)b;
	(*v)[*n].sent_start = (uint8_t)ss;
	(*n)++;
	return 0;
}

/* End of the word starting at i (alnum run with inner . - ' & / , ). */
static size_t word_end(const unsigned char *s, size_t len, size_t i)
{
	size_t j = i;
	while (j < len) {
		if (is_alnum(s[j]) && !uni_punct(s + j, len - j)) {
			j++;
			continue;
		}
		unsigned char c = s[j];
		int next_alnum = j + 1 < len && is_alnum(s[j + 1]) &&
				 !uni_punct(s + j + 1, len - j - 1);
		if ((c == '-' || c == '&' || c == '/' || c == '.' ||
		     c == '\'') && j > i &&
		    next_alnum) {
			j++;
			continue;
		}
		if (c == ',' && j > i && is_digit(s[j - 1]) && j + 1 < len &&
		    is_digit(s[j + 1])) {
			j++;
			continue;
		}
		break;
	}
	return j;
}

/* Length of a clitic ('s, 're, n't, ...) that ends the word [i, j). */
static size_t clitic_len(const unsigned char *s, size_t i, size_t j)
{
	if (j - i > 3 && (s[j - 1] == 't' || s[j - 1] == 'T') &&
	    s[j - 2] == '\'' && (s[j - 3] == 'n' || s[j - 3] == 'N'))
		return 3;
	return 0;
}

chr_status ner_tokenize(const char *text, size_t len, ner_span **out,
			size_t *nout)
{
	const unsigned char *s = (const unsigned char *)text;
	ner_span *v = NULL;
	size_t n = 0, cap = 0, i = 0;
	int new_sent = 1;
	*out = NULL;
	*nout = 0;
	if (len > UINT32_MAX)
		return CHR_ETOOBIG;
	while (i < len) {
		if (is_space(s[i]) || (i + 1 < len && s[i] == 0xC2 && s[i + 1] == 0xA0)) {
			if (s[i] == '\n') {
				/* blank line or indented line: new sentence */
				size_t j = i + 1;
				while (j < len && (s[j] == '\r' || s[j] == ' ' ||
						   s[j] == '\t'))
					j++;
				if (j < len && (s[j] == '\n' || j > i + 1))
					new_sent = 1;
			}
			i += s[i] == 0xC2 ? 2 : 1;
			continue;
		}
		size_t a = i, b;
		size_t up = uni_punct(s + i, len - i);
		if (up) {
			b = i + up;
		} else if (is_alnum(s[i])) {
			b = word_end(s, len, i);
			/* trailing dot of an abbreviation or X.Y. form */
			if (b < len && s[b] == '.') {
				int dotted = memchr(s + a, '.', b - a) != NULL;
				if (dotted || is_abbrev(s + a, b - a))
					b++;
			}
			/* n't, then 's 're 've 'll 'd 'm: split them off */
			size_t cl = clitic_len(s, a, b);
			const unsigned char *ap = memchr(s + a, '\'', b - a);
			int is_nt = b - a == 3 && (s[a] == 'n' || s[a] == 'N') &&
				    ap == s + a + 1;
			if (cl) {
				b -= cl;
			} else if (ap && ap > s + a && !is_nt) {
				size_t k = (size_t)(ap - s);
				if (b - k >= 2 && b - k <= 3)
					b = k;
			}
		} else if (s[i] == '\'' && i + 1 < len && is_alnum(s[i + 1])) {
			/* clitic 's etc., or an opening quote */
			size_t j = word_end(s, len, i + 1);
			b = j - (i + 1) <= 2 ? j : i + 1;
		} else if ((s[i] == '-' || s[i] == '.') && i + 1 < len &&
			   s[i + 1] == s[i]) {
			b = i;
			while (b < len && s[b] == s[a])
				b++;
		} else {
			b = i + 1;
		}
		if (push(&v, &n, &cap, a, b, new_sent) != 0) {
			free(v);
			return CHR_ENOMEM;
		}
		new_sent = 0;
		/* sentence end: . ! ? then a capital, digit or quote */
		unsigned char last = s[b - 1];
		if (b - a == 1 && (last == '.' || last == '!' || last == '?')) {
			size_t j = b;
			while (j < len && is_space(s[j]))
				j++;
			if (j > b && (j == len || (s[j] >= 'A' && s[j] <= 'Z') ||
				      is_digit(s[j]) || s[j] == '"' ||
				      s[j] == '\'' || s[j] >= 0x80))
				new_sent = 1;
		}
		i = b;
	}
	*out = v;
	*nout = n;
	return CHR_OK;
}
