/*
 * repeat: repeat detection by normalised hashes (see repeat.h).
 *
 * Design note: normalised forms of all paragraphs go into one buffer with
 * a ceiling, so memory is at most the body's size again.
 */
#include "repeat.h"

#include <string.h>

#include "boilerplate.h"
#include "core/hash.h"

#define EDGE 48         /* bytes of the normalised form used as candidates */
#define NEAR_PCT 90     /* shared prefix + suffix, percent of the longer */

/* ASCII in the normalised form: letters lower-cased, digits kept, the
 * rest (space, punctuation, controls) dropped (0). */
static const unsigned char g_norm[128] = {
	  0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
	 48,  49,  50,  51,  52,  53,  54,  55,  56,  57,   0,   0,   0,   0,   0,   0,
	  0,  97,  98,  99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111,
	112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122,   0,   0,   0,   0,   0,
	  0,  97,  98,  99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111,
	112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122,   0,   0,   0,   0,   0,
};

/* out has room for n bytes: an ASCII byte is stored whether kept or
 * not (k only moves past a kept one), so the loop does not branch on it;
 * k <= i, so the store stays inside what this call may write.  Eight
 * ASCII bytes (no top bit set: nearly all text) take eight such steps
 * with no test between them; a block that holds a non-ASCII byte is
 * read a byte at a time to its end. */
#define NORM_STEP(j)                                                         \
	do {                                                                 \
		unsigned char v_ = g_norm[(unsigned char)s[i + (j)]];        \
		out[k] = (char)v_;                                           \
		k += v_ != 0;                                                \
	} while (0)
static size_t norm_into(char *out, const char *s, size_t n)
{
	size_t k = 0, i = 0;
	while (i < n) {
		size_t e = n; /* this pass ends here */
		if (i + 8 <= n) {
			uint64_t x;
			memcpy(&x, s + i, 8);
			if (!(x & 0x8080808080808080ULL)) {
				NORM_STEP(0); NORM_STEP(1); NORM_STEP(2);
				NORM_STEP(3); NORM_STEP(4); NORM_STEP(5);
				NORM_STEP(6); NORM_STEP(7);
				i += 8;
				continue;
			}
			e = i + 8;
		}
		for (; i < e; i++) {
			unsigned char c = (unsigned char)s[i];
			if (c < 0x80) {
				unsigned char v = g_norm[c];
				out[k] = (char)v;
				k += v != 0;
			} else if (c == 0xE2 && i + 2 < n &&
				   (unsigned char)s[i + 1] == 0x80) {
				i += 2; /* quotes, dashes, bullets: punctuation */
			} else if (c == 0xC2 && i + 1 < n) {
				i += 1; /* nbsp, ©, « » */
			} else {
				out[k++] = (char)c; /* other non-ASCII bytes */
			}
		}
	}
	return k;
}
#undef NORM_STEP

int clean_same_text(const char *a, size_t an, const char *b, size_t bn)
{
	/* small inputs only (headlines); compare normalised streams */
	char x[512], y[512];
	if (an > sizeof x || bn > sizeof y)
		return 0;
	size_t xn = norm_into(x, a, an), yn = norm_into(y, b, bn);
	return xn == yn && xn > 0 && memcmp(x, y, xn) == 0;
}

typedef struct pinfo {
	size_t noff, nlen;  /* normalised form in the norm buffer */
	size_t tlen;        /* bytes of text it stands for (one half of a
			     * doubled line) */
	uint64_t pkey, skey;
	size_t root;        /* index of the first copy of its group */
	size_t count;       /* copies in the group (at the root) */
	int dbl;            /* "X X": a doubled line */
} pinfo;

static int near_same(const char *x, size_t xn, const char *y, size_t yn)
{
	size_t lo = xn < yn ? xn : yn, hi = xn < yn ? yn : xn;
	if (lo < EDGE || lo * 100 < hi * NEAR_PCT)
		return 0;
	size_t p = 0;
	while (p < lo && x[p] == y[p])
		p++;
	size_t s = 0;
	while (s < lo - p && x[xn - 1 - s] == y[yn - 1 - s])
		s++;
	return (p + s) * 100 >= hi * NEAR_PCT;
}

static ht_entry *key_put(ht *t, const uint64_t *k, int *created)
{
	return ht_put(t, (const char *)k, sizeof *k, created);
}

chr_status clean_repeats(clean_paras *ps, const char *text,
			 const char *headline, arena *mem)
{
	size_t n = ps->n;
	if (!n)
		return CHR_OK;
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += ps->v[i].len;
	char *norm = arena_alloc(mem, total + 1);
	pinfo *pi = arena_calloc(mem, n, sizeof *pi);
	uint64_t *keys = arena_calloc(mem, 3 * n, sizeof *keys);
	if (!norm || !pi || !keys)
		return CHR_ENOMEM;

	char hnorm[512];
	size_t hlen = 0;
	if (headline && strlen(headline) <= sizeof hnorm)
		hlen = norm_into(hnorm, headline, strlen(headline));

	size_t pos = 0;
	for (size_t i = 0; i < n; i++) {
		clean_para *p = &ps->v[i];
		const char *s = text + p->off + p->pre;
		size_t len = p->len - p->pre - p->suf;
		/* "X X": the same line twice in a row */
		if (len >= 7 && (len & 1) && s[len / 2] == ' ' &&
		    memcmp(s, s + len / 2 + 1, len / 2) == 0 &&
		    clean_headlike(s, len / 2)) {
			pi[i].dbl = 1;
			len /= 2;
		}
		pi[i].noff = pos;
		pi[i].nlen = norm_into(norm + pos, s, len);
		pos += pi[i].nlen;
		const char *x = norm + pi[i].noff;
		size_t xn = pi[i].nlen;
		p->key = hash_bytes(x, xn);
		pi[i].pkey = hash_bytes(x, xn < EDGE ? xn : EDGE);
		pi[i].skey = hash_bytes(x + (xn < EDGE ? 0 : xn - EDGE),
					xn < EDGE ? xn : EDGE) ^ 0x9e3779b97f4a7c15ull;
		pi[i].root = i;
		pi[i].count = 1;
		pi[i].tlen = len;
	}

	/* the headline repeated among the first paragraphs */
	size_t seen = 0;
	for (size_t i = 0; i < n && seen < 3 && hlen; i++) {
		clean_para *p = &ps->v[i];
		if (p->reason)
			continue;
		seen++;
		if (pi[i].nlen == hlen && memcmp(norm + pi[i].noff, hnorm, hlen) == 0)
			p->reason = CLEAN_R_REPEAT;
	}

	ht full, edge;
	ht_init(&full, 0);
	ht_init(&edge, 0);
	chr_status st = CHR_OK;
	for (size_t i = 0; i < n; i++) {
		clean_para *p = &ps->v[i];
		if (pi[i].nlen == 0)
			continue;
		keys[3 * i] = p->key;
		keys[3 * i + 1] = pi[i].pkey;
		keys[3 * i + 2] = pi[i].skey;
		int created;
		ht_entry *e = key_put(&full, &keys[3 * i], &created);
		if (!e) {
			st = CHR_ENOMEM;
			break;
		}
		size_t j = SIZE_MAX;
		if (!created) {
			j = (size_t)e->v.num;
			/* a 64-bit hash match: confirm the text */
			if (pi[j].nlen != pi[i].nlen ||
			    memcmp(norm + pi[j].noff, norm + pi[i].noff,
				   pi[i].nlen) != 0)
				j = SIZE_MAX;
		} else {
			e->v.num = (int64_t)i;
			/* near-exact: a candidate sharing an edge */
			for (int k = 1; k <= 2 && j == SIZE_MAX; k++) {
				int c2;
				ht_entry *ed = key_put(&edge, &keys[3 * i + k], &c2);
				if (!ed) {
					st = CHR_ENOMEM;
					break;
				}
				if (c2) {
					ed->v.num = (int64_t)i;
					continue;
				}
				size_t c = (size_t)ed->v.num;
				if (near_same(norm + pi[c].noff, pi[c].nlen,
					      norm + pi[i].noff, pi[i].nlen))
					j = c;
			}
			if (st)
				break;
		}
		if (j == SIZE_MAX)
			continue;
		/* repeated table rows and column heads stay */
		if (p->len < 80 && !clean_prose(text + p->off, p->len))
			continue;
		size_t root = pi[j].root;
		pi[i].root = root;
		pi[root].count += 1 + (size_t)pi[i].dbl;
		clean_para *r = &ps->v[root];
		/* which copy stays: the dateline copy, else the first */
		if ((p->flags & CLEAN_P_KEEP) && !(r->flags & CLEAN_P_KEEP) &&
		    !p->reason) {
			if (!r->reason || r->reason == CLEAN_R_CAPTION)
				r->reason = CLEAN_R_REPEAT;
			/* find and demote every earlier kept copy */
			for (size_t q = root; q < i; q++)
				if (pi[q].root == root && !ps->v[q].reason)
					ps->v[q].reason = CLEAN_R_REPEAT;
		} else if (!p->reason || p->reason == CLEAN_R_CAPTION ||
			   p->reason == CLEAN_R_TAG) {
			p->reason = CLEAN_R_REPEAT;
		}
	}
	ht_free(&full);
	ht_free(&edge);
	if (st)
		return st;

	/* doubled lines count twice */
	for (size_t i = 0; i < n; i++)
		if (pi[i].dbl && pi[i].root == i)
			pi[i].count++;
	/* related-story headlines: headline-like and repeated, or next to a
	 * "Read more".  Whether a paragraph is headline-like (a word count
	 * over its bytes) is asked last, of the few that are repeated or
	 * next to a "Read more": every test before it is a field read, so
	 * the answer is the same as asking it of every paragraph first. */
	for (size_t i = 0; i < n; i++) {
		clean_para *p = &ps->v[i];
		if (p->pre)
			continue;
		if (p->reason && p->reason != CLEAN_R_REPEAT)
			continue;
		const char *rr = ps->v[pi[i].root].reason;
		if (rr && rr != CLEAN_R_REPEAT && rr != CLEAN_R_RELATED)
			continue; /* a copy of a caption, a credit, ... */
		int near_break = (i > 0 && (ps->v[i - 1].flags & CLEAN_P_BREAKING)) ||
				 (i + 1 < n && (ps->v[i + 1].flags & CLEAN_P_BREAKING));
		if (pi[pi[i].root].count >= 2 || near_break) {
			if (!clean_headlike(text + p->off, pi[i].tlen))
				continue;
			p->flags |= CLEAN_P_HEADLINY;
			if (p->reason == CLEAN_R_REPEAT && pi[i].root == i)
				continue; /* the headline copy */
			p->reason = CLEAN_R_RELATED;
			if (pi[i].dbl)
				p->suf = 0;
		}
	}
	return CHR_OK;
}
