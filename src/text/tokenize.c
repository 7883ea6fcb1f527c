/*
 * tokenize: the cursor that turns a byte range into word and punctuation
 * tokens with byte offsets.
 *
 * Design note: one forward pass, no allocation, bounded look-ahead, so the
 * cost is linear even on a 10 MB line.  ASCII, nearly all of the input, is
 * classified with a few compares; other code points are decoded here
 * (tolerating bad bytes) and classified with utf8proc's category table.
 * The conventions follow Penn Treebank / CoNLL so that trained taggers see
 * the tokens they were trained on: internal hyphens and apostrophes stay
 * inside a word ("Son-hui", "O'Neill"), clitics split off ("Korea" "'s",
 * "does" "n't"), numbers keep their separators ("10:35", "1,000",
 * "2019-11-20"), and abbreviations keep their period ("Nov.", "U.S.", "W.")
 * so that the sentence splitter and the time tagger see one token.
 */
#include "text.h"

#include <string.h>
#include <utf8proc.h>

enum { CL_SPACE, CL_UPPER, CL_LETTER, CL_MARK, CL_DIGIT, CL_OTHER };

static inline int is_alpha(unsigned b)
{
	return (unsigned)((b | 0x20) - 'a') < 26;
}
static inline int is_digit(unsigned b) { return (unsigned)(b - '0') < 10; }
static inline int is_upper(unsigned b) { return (unsigned)(b - 'A') < 26; }

/* ASCII byte classes for the hot loops; bytes >= 0x80 are 0 and take the
 * slow path through the decoder and utf8proc. */
enum { A_ALPHA = 1, A_DIGIT = 2, A_UPPER = 4, A_SPACE = 8, A_JOIN = 16,
       A_PUNCT = 64 };
static const unsigned char actab[256] = {
	 8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,
	 8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,
	 8, 64, 64, 64, 64, 64, 16, 16, 64, 64, 64, 64, 16, 16, 16, 16,
	 2,  2,  2,  2,  2,  2,  2,  2,  2,  2, 16, 64, 64, 64, 64, 64,
	64,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5,
	 5,  5,  5,  5,  5,  5,  5,  5,  5,  5,  5, 64, 64, 64, 64, 64,
	64,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,
	 1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1, 64, 64, 64, 64,  8,
};

/* Decode one code point at s[i] (i < n).  Bad or truncated sequences give
 * U+FFFD with length 1, so the cursor always moves on. */
static inline size_t dec(const unsigned char *s, size_t n, size_t i,
			 uint32_t *cp)
{
	unsigned c = s[i];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	size_t len;
	uint32_t v, min;
	if (c >= 0xC2 && c < 0xE0) {
		len = 2, v = c & 0x1F, min = 0x80;
	} else if (c >= 0xE0 && c < 0xF0) {
		len = 3, v = c & 0x0F, min = 0x800;
	} else if (c >= 0xF0 && c < 0xF5) {
		len = 4, v = c & 0x07, min = 0x10000;
	} else {
		*cp = 0xFFFD;
		return 1;
	}
	if (n - i < len)
		goto bad;
	for (size_t k = 1; k < len; k++) {
		if ((s[i + k] & 0xC0) != 0x80)
			goto bad;
		v = (v << 6) | (s[i + k] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v < 0xE000))
		goto bad;
	*cp = v;
	return len;
bad:
	*cp = 0xFFFD;
	return 1;
}

static inline int ascii_cls(unsigned b)
{
	if (b <= 0x20 || b == 0x7F)
		return CL_SPACE;
	if (is_upper(b))
		return CL_UPPER;
	if (is_alpha(b))
		return CL_LETTER;
	return is_digit(b) ? CL_DIGIT : CL_OTHER;
}

/* Class of a code point >= 0x80: a few format characters by hand, the
 * rest by Unicode general category. */
static int uni_cls(uint32_t cp)
{
	switch (cp) {
	case 0x00AD: case 0x200C: case 0x200D: /* soft hyphen, ZWNJ, ZWJ */
		return CL_MARK;
	case 0x200B: case 0x200E: case 0x200F: case 0x2060: case 0xFEFF:
		return CL_SPACE;
	case 0xFFFD:
		return CL_OTHER;
	}
	switch (utf8proc_category((utf8proc_int32_t)cp)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LT:
		return CL_UPPER;
	case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
		return CL_LETTER;
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME:
		return CL_MARK;
	case UTF8PROC_CATEGORY_ND:
		return CL_DIGIT;
	case UTF8PROC_CATEGORY_ZS:
	case UTF8PROC_CATEGORY_ZL:
	case UTF8PROC_CATEGORY_ZP:
	case UTF8PROC_CATEGORY_CC:
		return CL_SPACE;
	default:
		return CL_OTHER;
	}
}

static inline int cls_of(uint32_t cp)
{
	return cp < 0x80 ? ascii_cls(cp) : uni_cls(cp);
}

static inline int is_wordcl(int cl)
{
	return cl == CL_UPPER || cl == CL_LETTER || cl == CL_DIGIT ||
	       cl == CL_MARK;
}

static inline int is_apos(uint32_t cp) { return cp == '\'' || cp == 0x2019; }
static inline int is_hyphen(uint32_t cp)
{
	return cp == '-' || cp == 0x2010 || cp == 0x2011;
}

/* Class of the code point at s[i], CL_SPACE past the end. */
static inline int cls_at(const unsigned char *s, size_t n, size_t i,
			 size_t *len)
{
	if (i >= n) {
		*len = 0;
		return CL_SPACE;
	}
	uint32_t cp;
	*len = dec(s, n, i, &cp);
	return cls_of(cp);
}

/* The clitic at s[i] (an apostrophe of alen bytes) when one follows:
 * 's 're 've 'll 'd 'm, ending where no word character follows.  Returns
 * the clitic's length in bytes, or 0. */
static size_t clitic_at(const unsigned char *s, size_t n, size_t i,
			size_t alen)
{
	size_t j = i + alen, k = j;
	while (k < n && k - j < 3 && is_alpha(s[k]))
		k++;
	size_t l;
	if (k == j || is_wordcl(cls_at(s, n, k, &l)))
		return 0;
	char w[2] = {(char)(s[j] | 0x20), k - j > 1 ? (char)(s[j + 1] | 0x20) : 0};
	switch (k - j) {
	case 1:
		if (w[0] == 's' || w[0] == 'd' || w[0] == 'm')
			return k - i;
		return 0;
	case 2:
		if ((w[0] == 'r' && w[1] == 'e') || (w[0] == 'v' && w[1] == 'e') ||
		    (w[0] == 'l' && w[1] == 'l'))
			return k - i;
		return 0;
	}
	return 0;
}

/* End of the word that starts at s[i] (a word character).  Hyphens join
 * word characters; . , : / join digits; & joins capitals ("AT&T");
 * apostrophes join letters unless a clitic follows.  Stops before a
 * clitic, and before the "n" of "n't". */
static size_t scan_word(const unsigned char *s, size_t n, size_t i)
{
	size_t j = i;
	int uni_digit = 0; /* the last non-ASCII word character was Nd */
	while (j < n) {
		unsigned k = actab[s[j]];
		if (k & (A_ALPHA | A_DIGIT)) { /* the ASCII run, in a tight loop */
			j++;
			while (j < n && (actab[s[j]] & (A_ALPHA | A_DIGIT)))
				j++;
			continue;
		}
		if (k & (A_SPACE | A_PUNCT))
			break; /* space and most punctuation: done */
		uint32_t cp;
		size_t l = dec(s, n, j, &cp);
		int cl = cls_of(cp);
		if (is_wordcl(cl)) {
			uni_digit = cl == CL_DIGIT;
			j += l;
			continue;
		}
		if (j == i)
			break;
		/* a joiner: decide from the characters on both sides */
		unsigned pb = s[j - 1]; /* last byte of the previous character */
		int prev_digit = pb < 0x80 ? is_digit(pb) : uni_digit;
		size_t l2;
		int next = cls_at(s, n, j + l, &l2);
		if (is_hyphen(cp) && is_wordcl(next) && next != CL_MARK) {
			j += l;
			continue;
		}
		if ((cp == '.' || cp == ',' || cp == ':' || cp == '/') &&
		    prev_digit && next == CL_DIGIT) {
			j += l;
			continue;
		}
		if (cp == '&' && is_upper(pb) && j + 1 < n && is_upper(s[j + 1])) {
			j += l;
			continue;
		}
		if (is_apos(cp) && (next == CL_UPPER || next == CL_LETTER)) {
			if (clitic_at(s, n, j, l))
				return j;
			/* n't: "does" "n't" */
			size_t k2 = j + l;
			if ((pb | 0x20) == 'n' && j - 1 > i && k2 < n &&
			    (s[k2] | 0x20) == 't' &&
			    !is_wordcl(cls_at(s, n, k2 + 1, &l2)))
				return j - 1;
			j += l;
			continue;
		}
		break;
	}
	return j;
}

/* Length of a dotted abbreviation at s[i] ("U.S.", "a.m.", "J.R.R."): two
 * or more single letters each followed by a period.  0 when none. */
static size_t dotted_at(const unsigned char *s, size_t n, size_t i)
{
	size_t j = i, groups = 0;
	while (j + 1 < n && is_alpha(s[j]) && s[j + 1] == '.' &&
	       (j == i || !is_alpha(s[j - 1]))) {
		groups++;
		j += 2;
	}
	if (groups < 2)
		return 0;
	return j - i;
}

/* Length of a URL at s[i] ("http://", "https://", "www."), without the
 * punctuation that usually trails it in prose.  0 when none. */
static size_t url_at(const unsigned char *s, size_t n, size_t i)
{
	static const char *const heads[] = {"http://", "https://", "www."};
	static const size_t head_len[] = {7, 8, 4};
	/* every head is "ht..." or "ww..." (a letter matches in either
	 * case) and needs more than four bytes from i: most words starting
	 * with h or w ("he", "was") fail here, before the loop */
	unsigned c0 = s[i] | 0x20;
	if ((c0 != 'h' && c0 != 'w') || n - i <= 4 ||
	    (s[i + 1] | 0x20) != (c0 == 'h' ? 't' : 'w'))
		return 0;
	size_t h = 0;
	for (size_t k = 0; k < 3 && !h; k++) {
		size_t hl = head_len[k];
		if (n - i > hl) {
			size_t m = 0;
			while (m < hl && (s[i + m] | (is_alpha(s[i + m]) ? 0x20 : 0)) ==
						 (unsigned char)heads[k][m])
				m++;
			if (m == hl)
				h = hl;
		}
	}
	if (!h)
		return 0;
	size_t j = i + h;
	while (j < n && s[j] > 0x20 && s[j] < 0x7F && s[j] != '"' &&
	       s[j] != '<' && s[j] != '>')
		j++;
	while (j > i + h && strchr(".,;:!?)]'", s[j - 1]))
		j--;
	return j > i + h ? j - i : 0;
}

void text_cursor_init(text_cursor *c, const char *s, size_t n)
{
	c->s = (const unsigned char *)s;
	c->n = n > UINT32_MAX ? UINT32_MAX : n;
	c->i = 0;
	c->word_end = (size_t)-1;
}

/* Flags for a word token whose first character has class cl. */
static inline uint32_t word_flags(int cl)
{
	return TOK_WORD | (cl == CL_UPPER ? TOK_CAP : 0) |
	       (cl == CL_DIGIT ? TOK_NUM : 0);
}

/* Does the text after s[i] (skipping spaces) start with a digit? */
static int digit_follows(const unsigned char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i < n && is_digit(s[i]);
}

/* The cursor step, inline in both text_next and the text_tokenize loop
 * (the pipeline's path: no call per token).  GCC at -O2 found it too big
 * to inline by itself and called it per token (a prologue and epilogue
 * and the cursor through memory each time): always_inline makes it so. */
static inline __attribute__((always_inline)) int next_token(text_cursor *c,
							    art_token *t)
{
	const unsigned char *s = c->s;
	size_t n = c->n, i = c->i, l = 0;
	uint32_t cp = 0;
	int cl;
	for (;;) { /* skip white space */
		if (i >= n) {
			c->i = i;
			return 0;
		}
		if (s[i] < 0x80) {
			if (actab[s[i]] & A_SPACE) {
				i++;
				continue;
			}
			cp = s[i];
			l = 1;
		} else {
			l = dec(s, n, i, &cp);
		}
		cl = cls_of(cp);
		if (cl != CL_SPACE)
			break;
		i += l;
	}
	size_t e;
	uint32_t f;
	if (is_wordcl(cl) && cl != CL_MARK) {
		size_t d;
		/* the first tests of url_at and dotted_at, here, so most
		 * words make neither call: a URL starts with h or w, a
		 * dotted form with a letter and a period */
		if (cp < 0x80 && ((cp | 0x20) == 'h' || (cp | 0x20) == 'w') &&
		    (d = url_at(s, n, i))) {
			e = i + d;
			f = TOK_WORD;
		} else if (cp < 0x80 && is_alpha(cp) && i + 1 < n &&
			   s[i + 1] == '.' && (d = dotted_at(s, n, i))) {
			e = i + d;
			f = word_flags(cl);
			size_t l2;
			if (e + 1 < n && s[e] == '-' && is_wordcl(cls_at(s, n, e + 1, &l2)))
				e = scan_word(s, n, e + 1); /* "U.S.-led" */
			else
				f |= TOK_ABBR;
		} else {
			e = scan_word(s, n, i);
			f = word_flags(cl);
			if (e < n && s[e] == '.') {
				int single = i + l == e; /* an initial: "W." */
				text_abbr k = text_abbrev((const char *)s + i, e - i);
				if ((single && cl == CL_UPPER) ||
				    k == TEXT_ABBR_END || k == TEXT_ABBR_TITLE ||
				    (k == TEXT_ABBR_NUMBER && digit_follows(s, n, e + 1))) {
					e++;
					f |= TOK_ABBR;
				}
			}
		}
		c->word_end = e;
	} else if (is_apos(cp) && c->word_end == i && (e = clitic_at(s, n, i, l))) {
		e += i;
		f = TOK_WORD;
		c->word_end = e;
	} else {
		e = i + l;
		f = TOK_PUNCT;
		if (cp == '.' || cp == '-') /* "..." and "--" stay whole */
			while (e < n && s[e] == cp)
				e++;
	}
	t->start = (uint32_t)i;
	t->end = (uint32_t)e;
	t->flags = f;
	c->i = e;
	return 1;
}

int text_next(text_cursor *c, art_token *t)
{
	return next_token(c, t);
}

size_t text_tokenize(const char *s, size_t n, art_token *out, size_t max)
{
	text_cursor c;
	art_token t;
	size_t k = 0;
	text_cursor_init(&c, s, n);
	while (next_token(&c, &t)) {
		if (k < max)
			out[k] = t;
		k++;
	}
	return k;
}
