/*
 * jsonl: the single-pass JSON line validator (see jsonl.h).
 *
 * The parser is a loop over tokens with an explicit stack instead of
 * recursion, written to follow jansson's parse order step by step: lex a
 * token (a string is scanned whole, so a bad escape late in a string still
 * beats an end of line), then check it against what the grammar expects.
 * Errors carry the byte offset of the token (or of the bad byte inside a
 * string); the reader turns that into a column.  Strings are scanned in
 * runs between the bytes that need attention ('"', '\\', controls) and a
 * run is copied with one memcpy when the string is wanted.
 */
#include "jsonl.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"

/* token kinds beyond the single-character ones ({ } [ ] : ,) */
enum {
	T_EOF = 256, T_STRING, T_NUMBER, T_LITERAL,
	T_INVALID, /* not a token: the caller's error */
	T_ERROR    /* the lexer already set the error */
};

typedef struct lexer {
	jl_parser *p;
	const unsigned char *s;
	size_t n, i;     /* input and position */
	size_t start;    /* where the current token starts */
	size_t str_off, str_len; /* T_STRING written to a buffer */
	int str_ctl;     /* ... with a control character (jl_value.ctl) */
	int is_int;      /* T_NUMBER without fraction or exponent */
	long long num;
} lexer;

/* bytes that end a run inside a string */
#define ROW1 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1
#define ROW0 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
/* bytes that end a run inside a string: controls, '"', '\\' and every
 * non-ASCII byte (its UTF-8 sequence is checked) */
static const unsigned char stop[256] = {
	ROW1, ROW1,
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* '"' */
	ROW0, ROW0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, /* '\\' */
	ROW0, ROW0,
	ROW1, ROW1, ROW1, ROW1, ROW1, ROW1, ROW1, ROW1,
};

/* Non-zero if one of the 8 bytes in w is a stop byte: the classic
 * "has a zero byte" test on w ^ '"' and w ^ '\\', "has a byte below
 * 0x20" on w, and any high bit.  Each test may also flag bytes after a
 * true hit, never before one, and only existence is used. */
#define ONES 0x0101010101010101ULL
#define HIGH 0x8080808080808080ULL
static inline uint64_t stop8(uint64_t w)
{
	uint64_t q = w ^ (ONES * '"'), b = w ^ (ONES * '\\');
	return (((q - ONES) & ~q) | ((b - ONES) & ~b) |
		((w - ONES * 0x20) & ~w) | w) & HIGH;
}

#define IS_DIGIT(c) ((c) >= '0' && (c) <= '9')
#define IS_ALPHA(c) (((c) | 0x20) >= 'a' && ((c) | 0x20) <= 'z')

static int fail(lexer *x, jl_error e, size_t at, const char *why)
{
	x->p->err = e;
	x->p->err_at = at;
	x->p->why = why;
	return T_ERROR;
}

/* The four hex digits at s[i..i+4), or -1. */
static int hex4(const unsigned char *s, size_t n, size_t i)
{
	if (i > n || n - i < 4)
		return -1;
	int v = 0;
	for (int k = 0; k < 4; k++) {
		unsigned c = s[i + k];
		v <<= 4;
		if (IS_DIGIT(c))
			v |= (int)(c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			v |= (int)((c | 0x20) - 'a' + 10);
		else
			return -1;
	}
	return v;
}

/* A string from the quote at x->i.  dst NULL: validate only; else the
 * unescaped bytes are appended to dst (room was reserved by jl_parse:
 * unescaping never lengthens) with a NUL, at x->str_off. */
static int lex_string(lexer *x, buf *dst)
{
	const unsigned char *s = x->s;
	size_t n = x->n, i = x->i + 1, run = i;
	char *o = dst ? dst->p + dst->len : NULL;
	size_t bad = (size_t)-1; /* first bad \u: reported after the scan */
	int ctl = 0;
	for (;;) {
		while (n - i >= 8) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if (stop8(w))
				break;
			i += 8;
		}
		while (i < n && !stop[s[i]])
			i++;
		if (o && i > run) {
			memcpy(o, s + run, i - run);
			o += i - run;
		}
		run = i;
		if (i >= n)
			return fail(x, JL_ERR_EOF, n, "unterminated string");
		unsigned c = s[i];
		if (c == '"')
			break;
		if (c >= 0x80) {
			/* a valid sequence stays in the run (copied with it) */
			size_t len = c >= 0xC2 && c <= 0xDF   ? 2
				     : c >= 0xE0 && c <= 0xEF ? 3
				     : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
			if (!len || n - i < len || u8_invalid_at(s + i, len) != len)
				return fail(x, JL_ERR_UTF8, i, "invalid UTF-8");
			i += len;
			continue;
		}
		if (c < 0x20)
			return fail(x, JL_ERR_SYNTAX, i, "control character in string");
		/* a backslash */
		c = i + 1 < n ? s[i + 1] : 0;
		if (c == 'u') {
			int v = hex4(s, n, i + 2);
			if (v < 0)
				return fail(x, JL_ERR_SYNTAX, i, "invalid \\u escape");
			size_t at = i;
			i += 6;
			if (v >= 0xD800 && v <= 0xDBFF) {
				int w = i + 1 < n && s[i] == '\\' && s[i + 1] == 'u'
						? hex4(s, n, i + 2) : -2;
				if (w == -1) {
					/* not four hex digits: the scan says so next */
					run = i;
					continue;
				}
				if (w >= 0xDC00 && w <= 0xDFFF) {
					v = 0x10000 + ((v - 0xD800) << 10) + (w - 0xDC00);
					i += 6;
				} else {
					if (bad == (size_t)-1)
						bad = at;
					o = NULL;
				}
			} else if (v >= 0xDC00 && v <= 0xDFFF) {
				if (bad == (size_t)-1)
					bad = at;
				o = NULL;
			}
			if (v < 0x20 && v != '\t' && v != '\n' && v != '\v' &&
			    v != '\f' && v != '\r' && v != 0x1b)
				ctl = 1;
			if (o)
				o += u8_encode((uint32_t)v, o);
		} else {
			char e;
			switch (c) {
			case '"': case '\\': case '/': e = (char)c; break;
			case 'b': e = '\b'; ctl = 1; break;
			case 'f': e = '\f'; break;
			case 'n': e = '\n'; break;
			case 'r': e = '\r'; break;
			case 't': e = '\t'; break;
			default:
				return fail(x, JL_ERR_SYNTAX, i, "invalid escape");
			}
			if (o)
				*o++ = e;
			i += 2;
		}
		run = i;
	}
	x->i = i + 1;
	if (bad != (size_t)-1)
		return fail(x, JL_ERR_SYNTAX, bad, "invalid \\u escape (lone surrogate)");
	if (dst) {
		x->str_off = dst->len;
		x->str_len = (size_t)(o - (dst->p + dst->len));
		x->str_ctl = ctl;
		*o = '\0';
		dst->len += x->str_len + 1;
	}
	return T_STRING;
}

/* Would strtod overflow on the real with integer digits a[0..na),
 * fraction digits b[0..nb) and exponent ex (clamped)?  The value is
 * 0.D x 10^e10 with D the significant digits; only e10 == 309 needs
 * strtod itself, fed the digits as an integer with an exponent (no
 * decimal point, so no locale). */
static int real_overflows(const unsigned char *a, size_t na,
			  const unsigned char *b, size_t nb, long long ex)
{
	size_t z = 0;
	while (z < na && a[z] == '0')
		z++;
	if (z == na) {
		size_t k = 0;
		while (k < nb && b[k] == '0')
			k++;
		if (k == nb)
			return 0; /* zero */
		z += k;
	}
	long long e10 = (long long)na - (long long)z + ex;
	if (e10 <= 308)
		return 0;
	if (e10 >= 310)
		return 1;
	/* 800 significant digits decide the rounding; a sticky 1 stands
	 * for any non-zero digit beyond them */
	char t[840];
	size_t m = 0;
	for (size_t k = z; k < na + nb; k++) {
		unsigned char d = k < na ? a[k] : b[k - na];
		if (m < 800)
			t[m++] = (char)d;
		else if (d != '0') {
			t[m++] = '1';
			break;
		}
	}
	snprintf(t + m, sizeof t - m, "e%lld", 309 - (long long)m);
	errno = 0;
	double v = strtod(t, NULL);
	return errno == ERANGE && isinf(v);
}

static int lex_number(lexer *x)
{
	const unsigned char *s = x->s;
	size_t n = x->n, i = x->i;
	int neg = s[i] == '-';
	if (neg)
		i++;
	size_t d0 = i;
	if (i < n && s[i] == '0') {
		i++;
		if (i < n && IS_DIGIT(s[i]))
			return T_INVALID; /* leading zero */
	} else if (i < n && IS_DIGIT(s[i])) {
		while (i < n && IS_DIGIT(s[i]))
			i++;
	} else {
		return T_INVALID;
	}
	size_t nint = i - d0;
	if (i >= n || (s[i] != '.' && s[i] != 'e' && s[i] != 'E')) {
		/* an integer: strtoll's range */
		if (nint > 19 ||
		    (nint == 19 && memcmp(s + d0, neg ? "9223372036854775808"
						      : "9223372036854775807",
					  19) > 0))
			return fail(x, JL_ERR_SYNTAX, x->start, "integer out of range");
		unsigned long long u = 0;
		for (size_t k = d0; k < i; k++)
			u = u * 10 + (unsigned)(s[k] - '0');
		if (!neg)
			x->num = (long long)u;
		else if (u > (unsigned long long)9223372036854775807LL)
			x->num = -9223372036854775807LL - 1;
		else
			x->num = -(long long)u;
		x->is_int = 1;
		x->i = i;
		return T_NUMBER;
	}
	size_t f0 = i, nfrac = 0;
	if (s[i] == '.') {
		i++;
		if (i >= n || !IS_DIGIT(s[i]))
			return T_INVALID;
		f0 = i;
		while (i < n && IS_DIGIT(s[i]))
			i++;
		nfrac = i - f0;
	}
	long long ex = 0;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		int eneg = 0;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		if (i >= n || !IS_DIGIT(s[i]))
			return T_INVALID;
		while (i < n && IS_DIGIT(s[i])) {
			if (ex < 100000000)
				ex = ex * 10 + (s[i] - '0');
			i++;
		}
		if (eneg)
			ex = -ex;
	}
	x->i = i;
	if (real_overflows(s + d0, nint, s + f0, nfrac, ex))
		return fail(x, JL_ERR_SYNTAX, x->start, "number out of range");
	x->is_int = 0;
	return T_NUMBER;
}

/* The next token; strings go to dst (NULL: validate only). */
static int lex(lexer *x, buf *dst)
{
	const unsigned char *s = x->s;
	size_t n = x->n, i = x->i;
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
			 s[i] == '\r'))
		i++;
	x->i = x->start = i;
	if (i >= n)
		return T_EOF;
	unsigned c = s[i];
	switch (c) {
	case '{': case '}': case '[': case ']': case ':': case ',':
		x->i = i + 1;
		return (int)c;
	case '"':
		return lex_string(x, dst);
	case '-':
		return lex_number(x);
	default:
		break;
	}
	if (IS_DIGIT(c))
		return lex_number(x);
	if (IS_ALPHA(c)) {
		size_t j = i;
		while (j < n && IS_ALPHA(s[j]))
			j++;
		size_t len = j - i;
		x->i = j;
		if ((len == 4 && (!memcmp(s + i, "true", 4) ||
				  !memcmp(s + i, "null", 4))) ||
		    (len == 5 && !memcmp(s + i, "false", 5)))
			return T_LITERAL;
	}
	return T_INVALID;
}

/* ---- duplicate keys ---- */

static uint32_t key_hash(const char *k, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)k[i]) * 16777619u;
	return h;
}

/* Drop the keys from index first on, newest first (each is its bucket's
 * head when it goes, since chains are stacks). */
static void keys_pop(jl_parser *p, uint32_t first)
{
	if (p->nkey <= first)
		return;
	p->keys.len = p->key[first].off;
	while (p->nkey > first) {
		jl_key *k = &p->key[--p->nkey];
		p->head[k->hash & (p->nhead - 1)] = k->next;
	}
}

static chr_status keys_room(jl_parser *p)
{
	if (p->nkey < p->capkey)
		return CHR_OK;
	/* a key takes at least 4 bytes ("":0), so this never refuses a
	 * line within max */
	size_t ceiling = p->max / 4 + 16;
	if (p->capkey >= ceiling)
		return CHR_ETOOBIG;
	uint32_t cap = p->capkey ? p->capkey * 2 : 64;
	if (cap > ceiling)
		cap = (uint32_t)ceiling;
	jl_key *k = realloc(p->key, cap * sizeof *k);
	if (!k)
		return CHR_ENOMEM;
	p->key = k;
	uint32_t nh = 1;
	while (nh < cap)
		nh *= 2;
	uint32_t *h = malloc(nh * sizeof *h);
	if (!h)
		return CHR_ENOMEM;
	free(p->head);
	p->head = h;
	p->nhead = nh;
	p->capkey = cap;
	/* rebuild in push order, so chains stay newest-first */
	memset(h, 0xFF, nh * sizeof *h);
	for (uint32_t e = 0; e < p->nkey; e++) {
		uint32_t b = p->key[e].hash & (nh - 1);
		p->key[e].next = h[b];
		h[b] = e;
	}
	return CHR_OK;
}

/* Add the key just lexed (keys[off..off+len)) to the object whose first
 * key index is first; 1 if it is already there. */
static int key_add(jl_parser *p, uint32_t first, size_t off, size_t len,
		   chr_status *st)
{
	const char *k = p->keys.p + off;
	uint32_t h = key_hash(k, len);
	if (p->nhead) {
		for (uint32_t e = p->head[h & (p->nhead - 1)];
		     e != JL_NONE && e >= first; e = p->key[e].next) {
			const jl_key *o = &p->key[e];
			if (o->hash == h && o->len == len &&
			    !memcmp(p->keys.p + o->off, k, len))
				return 1;
		}
	}
	if ((*st = keys_room(p)) != CHR_OK)
		return 0;
	uint32_t b = h & (p->nhead - 1);
	jl_key *nk = &p->key[p->nkey];
	nk->off = off;
	nk->len = (uint32_t)len;
	nk->hash = h;
	nk->next = p->head[b];
	p->head[b] = p->nkey++;
	return 0;
}

/* The wanted field a top-level key names, or -1. */
static int field_of(const char *k, size_t n)
{
	static const char *const names[JL_NFIELDS] = {
		"text", "body", "id", "title", "headline", "date",
		"published", "url", "source", "dateline"
	};
	if (n < 2 || n > 9)
		return -1;
	for (int f = 0; f < JL_NFIELDS; f++)
		if (strlen(names[f]) == n && !memcmp(names[f], k, n))
			return f;
	return -1;
}

void jl_init(jl_parser *p, size_t max)
{
	memset(p, 0, sizeof *p);
	p->max = max;
	buf_init(&p->out, max + JL_NFIELDS + 16);
	buf_init(&p->keys, max + 16);
}

void jl_free(jl_parser *p)
{
	buf_free(&p->out);
	buf_free(&p->keys);
	free(p->key);
	free(p->head);
	p->key = NULL;
	p->head = NULL;
	p->nkey = p->capkey = p->nhead = 0;
}

/* the error for an unexpected token: an end of line is JL_ERR_EOF */
#define UNEXPECTED(tok, why)                                               \
	do {                                                               \
		if ((tok) != T_ERROR)                                      \
			fail(&x, (tok) == T_EOF ? JL_ERR_EOF : JL_ERR_SYNTAX, \
			     x.start, why);                                \
		return CHR_EPARSE;                                         \
	} while (0)

chr_status jl_parse(jl_parser *p, const char *s, size_t n)
{
	keys_pop(p, 0);
	memset(p->f, 0, sizeof p->f);
	p->object = 0;
	p->err = 0;
	p->err_at = 0;
	p->why = NULL;
	if (n > p->max)
		return CHR_ETOOBIG;
	buf_reset(&p->out);
	buf_reset(&p->keys);
	chr_status st;
	if ((st = buf_grow(&p->out, n + JL_NFIELDS)) != CHR_OK ||
	    (st = buf_grow(&p->keys, n)) != CHR_OK)
		return st;
	lexer x;
	memset(&x, 0, sizeof x);
	x.p = p;
	x.s = (const unsigned char *)s;
	x.n = n;

	int tok = lex(&x, NULL);
	if (tok != '{' && tok != '[')
		UNEXPECTED(tok, "'{' or '[' expected");
	p->object = tok == '{';
	size_t depth = 0;
	int want = -1; /* the field the value being parsed goes to */
	for (;;) {
		/* a value starting with tok */
		if (tok == T_ERROR)
			return CHR_EPARSE;
		if (++depth > JL_MAX_DEPTH)
			UNEXPECTED(tok, "nesting too deep");
		jl_value *v = want >= 0 ? &p->f[want] : NULL;
		if (v)
			v->kind = JL_OTHER;
		switch (tok) {
		case T_STRING:
			if (v) {
				v->kind = JL_STRING;
				v->off = x.str_off;
				v->len = x.str_len;
				v->ctl = x.str_ctl;
			}
			depth--;
			break;
		case T_NUMBER:
			if (v && x.is_int) {
				v->kind = JL_INTEGER;
				v->num = x.num;
			}
			depth--;
			break;
		case T_LITERAL:
			depth--;
			break;
		case '{':
			p->open[depth] = p->nkey;
			tok = lex(&x, &p->keys);
			if (tok == '}') {
				depth--;
				break;
			}
			goto key;
		case '[':
			p->open[depth] = JL_NONE;
			tok = lex(&x, NULL);
			if (tok == ']') {
				depth--;
				break;
			}
			if (tok == T_EOF)
				UNEXPECTED(tok, "']' expected");
			want = -1;
			continue;
		case T_INVALID:
			UNEXPECTED(tok, "invalid token");
		default:
			UNEXPECTED(tok, "unexpected token");
		}
		/* after a value: close containers or go on to the next
		 * member or element */
		for (;;) {
			if (depth == 0) {
				tok = lex(&x, NULL);
				if (tok == T_EOF)
					return CHR_OK;
				if (tok != T_ERROR)
					fail(&x, JL_ERR_TRAILING, x.start,
					     "data after the JSON value");
				return CHR_EPARSE;
			}
			tok = lex(&x, NULL);
			if (p->open[depth] == JL_NONE) {
				if (tok == ']') {
					depth--;
					continue;
				}
				if (tok != ',')
					UNEXPECTED(tok, "',' or ']' expected");
				tok = lex(&x, NULL);
				if (tok == T_EOF)
					UNEXPECTED(tok, "']' expected");
				want = -1;
				break;
			}
			if (tok == '}') {
				keys_pop(p, p->open[depth]);
				depth--;
				continue;
			}
			if (tok != ',')
				UNEXPECTED(tok, "',' or '}' expected");
			tok = lex(&x, &p->keys);
			goto key;
		}
		continue;
key:
		/* tok should be the key of a member of the object at depth */
		if (tok != T_STRING)
			UNEXPECTED(tok, "string or '}' expected");
		{
			size_t koff = x.str_off, klen = x.str_len;
			if (memchr(p->keys.p + koff, '\0', klen)) {
				fail(&x, JL_ERR_SYNTAX, x.start, "U+0000 in a key");
				return CHR_EPARSE;
			}
			st = CHR_OK;
			if (key_add(p, p->open[depth], koff, klen, &st)) {
				fail(&x, JL_ERR_SYNTAX, x.start, "duplicate key");
				return CHR_EPARSE;
			}
			if (st)
				return st;
			want = depth == 1 && p->object
				       ? field_of(p->keys.p + koff, klen) : -1;
		}
		tok = lex(&x, NULL);
		if (tok != ':')
			UNEXPECTED(tok, "':' expected");
		tok = lex(&x, want >= 0 ? &p->out : NULL);
	}
}
