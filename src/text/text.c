/*
 * text: the sentence splitter over tokens, and the pipeline stage.
 *
 * Design note: the splitter looks only at tokens and the white space
 * between them, so it is linear and shared by every caller of the
 * tokenizer.  A boundary is decided at each terminal token (". ! ? ...",
 * or an abbreviation the tokenizer kept whole), after taking in the
 * closing quotes and brackets glued to it, by looking at the next token:
 *   - a paragraph break (blank line, indented line start) always ends
 *     a sentence; a single newline is only white space;
 *   - after . ! ? a sentence ends unless the next token is lower case or
 *     continues the clause (, ; : %), or is glued on without a space;
 *   - after an ellipsis, only before a capital;
 *   - after an abbreviation that may end a sentence ("U.S.", "Inc.",
 *     "Nov.", an initial), only before a common sentence starter ("The",
 *     "He"), so "U.S. President" and "George W. Bush" hold together while
 *     "in the U.S. The talks" splits; titles ("Mr.", "Gen.") never end one;
 *   - a sentence with no word in it (a lone quote or ellipsis) is never
 *     ended, it joins the next.
 * Decisions are written as TOK_SENT_START so spans can be rebuilt from
 * the tokens alone (text_spans).
 */
#include "text.h"

#include <string.h>
#include <utf8proc.h>

/* First code point of token t. */
static uint32_t first_cp(const char *s, const art_token *t)
{
	const unsigned char *p = (const unsigned char *)s + t->start;
	size_t len = t->end - t->start;
	utf8proc_int32_t cp;
	if (p[0] < 0x80)
		return p[0];
	if (utf8proc_iterate(p, (utf8proc_ssize_t)len, &cp) < 1)
		return 0xFFFD;
	return (uint32_t)cp;
}

static int tok_is(const char *s, const art_token *t, const char *lit)
{
	size_t n = strlen(lit);
	return t->end - t->start == n && memcmp(s + t->start, lit, n) == 0;
}

static int is_lower_start(const char *s, const art_token *t)
{
	if (!(t->flags & TOK_WORD))
		return 0;
	uint32_t cp = first_cp(s, t);
	if (cp < 0x80)
		return cp >= 'a' && cp <= 'z';
	return utf8proc_category((utf8proc_int32_t)cp) == UTF8PROC_CATEGORY_LL;
}

enum { K_NONE, K_STOP, K_ELLIPSIS, K_ABBR_END, K_ABBR_NEVER };

static int terminal_kind(const char *s, const art_token *t)
{
	size_t len = t->end - t->start;
	const char *p = s + t->start;
	if (t->flags & TOK_PUNCT) {
		if (len == 1 && (*p == '.' || *p == '!' || *p == '?'))
			return K_STOP;
		if ((len > 1 && *p == '.') || tok_is(s, t, "\xE2\x80\xA6"))
			return K_ELLIPSIS;
		if (tok_is(s, t, "\xE2\x80\xBC") || tok_is(s, t, "\xE2\x81\x87") ||
		    tok_is(s, t, "\xE2\x81\x88") || tok_is(s, t, "\xE2\x81\x89"))
			return K_STOP; /* double ! and ? forms */
		return K_NONE;
	}
	if (!(t->flags & TOK_ABBR))
		return K_NONE;
	/* Dotted forms and initials may end a sentence; titles never do. */
	text_abbr k = text_abbrev(p, len - 1);
	return k == TEXT_ABBR_TITLE || k == TEXT_ABBR_NUMBER ? K_ABBR_NEVER
							     : K_ABBR_END;
}

/* What a punctuation token can do at a sentence edge (a bit set):
 * CLOSE: belongs to the sentence before it when glued to a terminal
 *   (quotes, brackets, more terminals: "?!", ".)");
 * OPEN: opens what follows (quotes, brackets);
 * CONT: carries a clause on after a period ("3 p.m., he"), including the
 *   dots of a spaced ellipsis ". . .". */
enum { R_CLOSE = 1, R_OPEN = 2, R_CONT = 4 };

static int punct_role(const char *s, const art_token *t)
{
	if (!(t->flags & TOK_PUNCT))
		return 0;
	switch (first_cp(s, t)) {
	case '"': case '\'':
		return R_CLOSE | R_OPEN;
	case ')': case ']': case '}':
		return R_CLOSE | R_CONT;
	case '.':
		return R_CLOSE | R_CONT;
	case '!': case '?': case 0x2019: case 0x201D: case 0x00BB:
	case 0x203A: case 0x2026:
		return R_CLOSE;
	case '(': case '[': case 0x2018: case 0x201C: case 0x00AB: case 0x2039:
		return R_OPEN;
	case ',': case ';': case ':': case '%':
		return R_CONT;
	}
	return 0;
}

/* Is there a paragraph break in s[a, b), the white space between two
 * tokens: a blank line, an indented line start (a newline followed by a
 * tab or two spaces, as in hard-wrapped wire copy), or U+2029? */
static int para_break(const char *s, uint32_t a, uint32_t b)
{
	int nl = 0;
	for (uint32_t i = a; i < b; i++) {
		if (s[i] == '\n') {
			if (++nl == 2)
				return 1;
			if (i + 1 < b && (s[i + 1] == '\t' ||
					  (s[i + 1] == ' ' && i + 2 < b && s[i + 2] == ' ')))
				return 1;
		}
		if ((unsigned char)s[i] == 0xE2 && i + 2 < b &&
		    (unsigned char)s[i + 1] == 0x80 && (unsigned char)s[i + 2] == 0xA9)
			return 1; /* U+2029 paragraph separator */
	}
	return 0;
}

/* Does the sentence end before toks[nx], given the terminal kind? */
static int ends_before(const char *s, const art_token *toks, size_t ntok,
		       size_t nx, int kind)
{
	const art_token *t = &toks[nx];
	/* look past an opening quote or bracket to the word it opens */
	const art_token *w = t;
	if ((punct_role(s, t) & R_OPEN) && nx + 1 < ntok)
		w = &toks[nx + 1];
	switch (kind) {
	case K_STOP:
		return !is_lower_start(s, t) && !(punct_role(s, t) & R_CONT);
	case K_ELLIPSIS:
		return (w->flags & TOK_CAP) != 0;
	case K_ABBR_END:
		return (w->flags & TOK_CAP) &&
		       text_is_starter(s + w->start, w->end - w->start);
	default:
		return 0;
	}
}

size_t text_split(const char *s, size_t n, art_token *toks, size_t ntok)
{
	(void)n;
	if (ntok == 0)
		return 0;
	for (size_t i = 0; i < ntok; i++)
		toks[i].flags &= ~(uint32_t)TOK_SENT_START;
	toks[0].flags |= TOK_SENT_START;
	size_t count = 1;
	int has_word = 0;
	size_t i = 0;
	while (i < ntok) {
		if (toks[i].flags & TOK_WORD)
			has_word = 1;
		size_t last = i;
		int end = 0;
		int kind = terminal_kind(s, &toks[i]);
		if (kind != K_NONE) {
			while (last + 1 < ntok && toks[last + 1].start == toks[last].end &&
			       (punct_role(s, &toks[last + 1]) & R_CLOSE))
				last++;
			size_t nx = last + 1;
			if (nx < ntok && has_word && toks[nx].start > toks[last].end)
				end = ends_before(s, toks, ntok, nx, kind);
		}
		if (last + 1 < ntok && !end)
			end = para_break(s, toks[last].end, toks[last + 1].start);
		if (end && last + 1 < ntok) {
			toks[last + 1].flags |= TOK_SENT_START;
			count++;
			has_word = 0;
		}
		i = last + 1;
	}
	return count;
}

size_t text_spans(const art_token *toks, size_t ntok, art_sentence *out,
		  size_t max)
{
	size_t k = 0;
	for (size_t i = 0; i < ntok;) {
		size_t j = i + 1;
		while (j < ntok && !(toks[j].flags & TOK_SENT_START))
			j++;
		if (k < max) {
			out[k].start = toks[i].start;
			out[k].end = toks[j - 1].end;
			out[k].tok = (uint32_t)i;
			out[k].ntok = (uint32_t)(j - i);
		}
		k++;
		i = j;
	}
	return k;
}

chr_status text_run(chr_article *a)
{
	a->toks.n = 0;
	a->sents.n = 0;
	const char *s = a->text;
	size_t n = a->text_len;
	if (!s)
		return CHR_OK;
	if (n == 0)
		n = strlen(s);
	if (n == 0)
		return CHR_OK;
	if (n > UINT32_MAX)
		return CHR_ETOOBIG;
	/* about one token per six bytes of news text, so n / 4 nearly
	 * always holds them all in one pass; when not, the count is known
	 * and a second pass fills a vector of that size */
	size_t want = n / 4 + 16;
	if (a->toks.cap < want &&
	    art_vec_grow_(&a->mem, (void **)&a->toks.v, &a->toks.cap, want,
			  sizeof *a->toks.v))
		return CHR_ENOMEM;
	size_t nt = text_tokenize(s, n, a->toks.v, a->toks.cap);
	if (nt > a->toks.cap) {
		if (art_vec_grow_(&a->mem, (void **)&a->toks.v, &a->toks.cap, nt,
				  sizeof *a->toks.v))
			return CHR_ENOMEM;
		text_tokenize(s, n, a->toks.v, a->toks.cap);
	}
	a->toks.n = nt;
	size_t ns = text_split(s, n, a->toks.v, a->toks.n);
	if (ns == 0)
		return CHR_OK;
	art_sentence *sv = arena_alloc(&a->mem, ns * sizeof *sv);
	if (!sv)
		return CHR_ENOMEM;
	text_spans(a->toks.v, a->toks.n, sv, ns);
	a->sents.v = sv;
	a->sents.n = a->sents.cap = ns;
	return CHR_OK;
}
