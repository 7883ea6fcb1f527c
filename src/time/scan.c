/*
 * scan: bytes to tokens for the time tagger.
 *
 * Design note: one pass, no backtracking.  A token is a word (ASCII
 * letters, with inner dots for "a.m." and inner apostrophes for
 * "o'clock"; other non-ASCII bytes belong to words too so they never
 * match the lexicon), a digit run (thousands separators and decimals are
 * swallowed and mark the number as grouped, so "1,999" is never a year),
 * or a single punctuation character.  Curly quotes and dashes are folded
 * to their ASCII punctuation.  Each token records whether whitespace, a
 * newline or a blank line precedes it; the grammar uses that for
 * adjacency ("21st", "10am", "2019-11-20") and for sentence ends.
 */
#include "time/time.h"

static inline int is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static inline int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* Byte classes for the hot loops: ASCII letters (lower case marked),
 * and the six ASCII spaces. */
enum { C_ALPHA = 1, C_LOWER = 2, C_SPACE = 4 };
#define UP_(c) [c] = C_ALPHA
#define LO_(c) [c] = C_ALPHA | C_LOWER
static const unsigned char ctab[256] = {
	[' '] = C_SPACE, ['\t'] = C_SPACE, ['\n'] = C_SPACE, ['\r'] = C_SPACE,
	['\f'] = C_SPACE, ['\v'] = C_SPACE,
	UP_('A'), UP_('B'), UP_('C'), UP_('D'), UP_('E'), UP_('F'), UP_('G'),
	UP_('H'), UP_('I'), UP_('J'), UP_('K'), UP_('L'), UP_('M'), UP_('N'),
	UP_('O'), UP_('P'), UP_('Q'), UP_('R'), UP_('S'), UP_('T'), UP_('U'),
	UP_('V'), UP_('W'), UP_('X'), UP_('Y'), UP_('Z'),
	LO_('a'), LO_('b'), LO_('c'), LO_('d'), LO_('e'), LO_('f'), LO_('g'),
	LO_('h'), LO_('i'), LO_('j'), LO_('k'), LO_('l'), LO_('m'), LO_('n'),
	LO_('o'), LO_('p'), LO_('q'), LO_('r'), LO_('s'), LO_('t'), LO_('u'),
	LO_('v'), LO_('w'), LO_('x'), LO_('y'), LO_('z'),
};
#undef UP_
#undef LO_

static inline int is_space(unsigned char c)
{
	return ctab[c] & C_SPACE;
}

/* Length of a UTF-8 punctuation sequence we fold, with its ASCII char. */
static size_t fold_punct(const unsigned char *s, size_t n, char *ch)
{
	if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80) {
		switch (s[2]) {
		case 0x98: case 0x99: *ch = '\''; return 3; /* ‘ ’ */
		case 0x9C: case 0x9D: *ch = '"'; return 3;  /* “ ” */
		case 0x90: case 0x91: case 0x92: case 0x93: case 0x94:
			*ch = '-'; return 3;                 /* dashes */
		case 0xA6: *ch = '.'; return 3;              /* … */
		default: break;
		}
	}
	if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0) { /* no-break space */
		*ch = ' ';
		return 2;
	}
	return 0;
}

size_t time_tokenize(const char *text, size_t from, size_t to,
		     time_tok *toks, size_t cap, size_t *stop)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = from, n = 0;
	uint8_t pre = TF_SPACE | TF_NL | TF_PARA; /* start of text */
	int nls = 2;
	time_lex_init(); /* once here: each word below takes time_lex_find */
	while (i < to && n < cap) {
		unsigned char c = s[i];
		char fc = 0;
		size_t fl = c >= 0x80 ? fold_punct(s + i, to - i, &fc) : 0;
		if (is_space(c) || (fl && fc == ' ')) {
			pre |= TF_SPACE;
			if (c == '\n') {
				pre |= TF_NL;
				if (++nls >= 2)
					pre |= TF_PARA;
			}
			i += fl ? fl : 1;
			continue;
		}
		if (c != '\r')
			nls = 0;
		time_tok *t = &toks[n];
		t->s = (uint32_t)i;
		t->flags = pre;
		t->num = -1;
		t->ndig = 0;
		t->ch = 0;
		t->lx = (time_lex){0, 0, 0, 0, 0};
		pre = 0;
		if (is_digit(c)) {
			int64_t v = 0;
			size_t nd = 0;
			while (i < to && is_digit(s[i])) {
				if (nd < 10)
					v = v * 10 + (s[i] - '0');
				nd++;
				i++;
			}
			/* 1,234,567 and 3.5: one grouped number */
			for (;;) {
				if (i + 1 < to && s[i] == '.' && is_digit(s[i + 1]) &&
				    nd < 5) {
					i++;
				} else if (i + 3 < to && s[i] == ',' &&
					   is_digit(s[i + 1]) && is_digit(s[i + 2]) &&
					   is_digit(s[i + 3]) &&
					   (i + 4 >= to || !is_digit(s[i + 4]))) {
					i++;
				} else {
					break;
				}
				t->flags |= TF_GROUPED;
				while (i < to && is_digit(s[i]))
					i++;
			}
			t->kind = TK_NUM;
			t->ndig = nd > 255 ? 255 : (uint8_t)nd;
			t->num = nd <= 9 ? (int32_t)v : -1;
		} else if (is_alpha(c) || (c >= 0x80 && !fl)) {
			unsigned seen = 0; /* C_LOWER once a lower-case letter is read */
			while (i < to) {
				unsigned char d = s[i];
				if (ctab[d] & C_ALPHA) { /* a run of letters */
					do
						seen |= ctab[s[i++]];
					while (i < to && (ctab[s[i]] & C_ALPHA));
				} else if (d >= 0x80) {
					char fc2;
					if (fold_punct(s + i, to - i, &fc2))
						break;
					i++;
				} else if (d == '.' && i + 1 < to && is_alpha(s[i + 1]) &&
					   (i + 2 >= to || !is_alpha(s[i + 2])) &&
					   i - t->s <= 2) {
					/* a.m, p.m, U.S */
					i++;
				} else if (d == '\'' && i + 1 < to && is_alpha(s[i + 1]) &&
					   !((s[i + 1] == 's' || s[i + 1] == 'S') &&
					     (i + 2 >= to || !is_alpha(s[i + 2])))) {
					i++; /* o'clock, won't */
				} else {
					break;
				}
			}
			t->kind = TK_WORD;
			if (is_alpha(c) && c <= 'Z')
				t->flags |= TF_CAP;
			if (!(seen & C_LOWER) && i - t->s > 1)
				t->flags |= TF_UPPER;
			t->lx = time_lex_find(text + t->s, i - t->s);
		} else {
			t->kind = TK_PUNCT;
			t->ch = fl ? fc : (char)c;
			i += fl ? fl : 1;
		}
		t->e = (uint32_t)i;
		n++;
	}
	if (stop)
		*stop = i;
	return n;
}
