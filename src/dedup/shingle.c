/*
 * shingle: text -> normalised words -> shingles, signature, band keys,
 * anchors and paragraph hashes (see dedup.h).
 *
 * Design note: words are maximal runs of letters and digits, case-folded
 * (ASCII fast path, utf8proc for the rest); everything else, including
 * Unicode punctuation and every kind of whitespace, only separates words,
 * so case, punctuation and line wrapping never change a shingle.  A
 * shingle is DEDUP_SHINGLE consecutive words across paragraph breaks, so
 * re-paragraphing does not change it either.  The signature is one
 * permutation hashing (one hash per shingle, its top bits choose one of K
 * bins, the bin keeps its minimum) with the "optimal densification" of
 * Shrivastava (2017) for empty bins: O(shingles + K) per text instead of
 * O(shingles * K) for classic MinHash.  Paragraph breaks are blank lines
 * or a newline followed by an indent (the wire convention).
 */
#include "dedup.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#define XXH_INLINE_ALL /* the hot calls are short fixed-size inputs: inline them */
#include <xxhash.h>
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define DEDUP_AVX2 1
#endif

#define SEED_WORD 0x63687264656475aULL   /* fixed: results are persisted */
#define SEED_SHINGLE 0x5368696e676c6531ULL
#define SEED_BAND 0x42616e644c534831ULL
#define SEED_PARA 0x5061726167726631ULL
#define SEED_DENSE 0x44656e7365313233ULL

void dedup_feat_init(dedup_feat *f)
{
	memset(f, 0, sizeof *f);
}

void dedup_feat_free(dedup_feat *f)
{
	free(f->wh);
	free(f->seq);
	free(f->set);
	free(f->tmp);
	free(f->para);
	free(f->wbuf);
	dedup_feat_init(f);
}

int dedup_grow(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t n = *cap ? *cap : 64;
	while (n < need)
		n *= 2;
	void *q = realloc(*p, n * elem);
	if (!q)
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

/* Decode one code point at s (valid UTF-8 is expected; a stray byte is
 * taken as itself). */
static uint32_t decode(const unsigned char *s, const unsigned char *end,
		       size_t *adv)
{
	utf8proc_int32_t cp;
	utf8proc_ssize_t n = utf8proc_iterate(s, end - s, &cp);
	if (n <= 0) {
		*adv = 1;
		return s[0];
	}
	*adv = (size_t)n;
	return (uint32_t)cp;
}

/* Non-ASCII code points that separate words: Latin-1 punctuation and
 * symbols, general punctuation, currency, CJK punctuation, BOM. */
static int is_sep(uint32_t cp)
{
	if (cp >= 0x80 && cp <= 0xBF)
		return cp != 0xAA && cp != 0xB5 && cp != 0xBA;
	return cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x20CF) ||
	       (cp >= 0x2190 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) ||
	       cp == 0xFEFF || (cp >= 0xFF01 && cp <= 0xFF0F);
}

/* Is there a paragraph break at the newline at p?  A blank line follows,
 * or the next line is indented. */
static int para_break(const char *p, const char *end)
{
	const char *q = p + 1;
	int sp = 0;
	while (q < end && (*q == ' ' || *q == '\t' || *q == '\r')) {
		if (*q == '\t')
			sp += 2;
		else if (*q == ' ')
			sp++;
		q++;
	}
	return q >= end || *q == '\n' || sp >= 2;
}

/* A paragraph of more than 30 words is a "long" XXH3 input, for which
 * the _withSeed form derives a 192-byte secret from the seed on every
 * call.  The seed is fixed, so the secret is derived once; with it
 * _withSecretandSeed gives exactly the _withSeed values (xxhash.h). */
static _Alignas(64) unsigned char g_para_secret[XXH3_SECRET_DEFAULT_SIZE];
static pthread_once_t g_para_once = PTHREAD_ONCE_INIT;

static void para_secret_init(void)
{
	XXH3_generateSecret_fromSeed(g_para_secret, SEED_PARA);
}

static chr_status close_para(dedup_feat *f, uint32_t w0, uint32_t start,
			     uint32_t end)
{
	uint32_t w1 = f->nwords;
	if (w1 - w0 < DEDUP_PARA_MIN || f->npara >= DEDUP_PARA_MAX)
		return CHR_OK;
	if (dedup_grow((void **)&f->para, &f->paracap, f->npara + 1, sizeof *f->para))
		return CHR_ENOMEM;
	dedup_para *p = &f->para[f->npara++];
	pthread_once(&g_para_once, para_secret_init);
	p->hash = XXH3_64bits_withSecretandSeed(f->wh + w0, (size_t)(w1 - w0) * 8,
						g_para_secret, sizeof g_para_secret,
						SEED_PARA);
	p->start = start;
	p->end = end;
	p->w0 = w0;
	p->w1 = w1;
	return CHR_OK;
}

/* ASCII letters and digits folded to lower case; 0 for every other byte
 * (bytes >= 0x80 take the decoder). */
static const unsigned char fold_tab[256] = {
	['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4',
	['5'] = '5', ['6'] = '6', ['7'] = '7', ['8'] = '8', ['9'] = '9',
	['A'] = 'a', ['B'] = 'b', ['C'] = 'c', ['D'] = 'd', ['E'] = 'e',
	['F'] = 'f', ['G'] = 'g', ['H'] = 'h', ['I'] = 'i', ['J'] = 'j',
	['K'] = 'k', ['L'] = 'l', ['M'] = 'm', ['N'] = 'n', ['O'] = 'o',
	['P'] = 'p', ['Q'] = 'q', ['R'] = 'r', ['S'] = 's', ['T'] = 't',
	['U'] = 'u', ['V'] = 'v', ['W'] = 'w', ['X'] = 'x', ['Y'] = 'y',
	['Z'] = 'z',
	['a'] = 'a', ['b'] = 'b', ['c'] = 'c', ['d'] = 'd', ['e'] = 'e',
	['f'] = 'f', ['g'] = 'g', ['h'] = 'h', ['i'] = 'i', ['j'] = 'j',
	['k'] = 'k', ['l'] = 'l', ['m'] = 'm', ['n'] = 'n', ['o'] = 'o',
	['p'] = 'p', ['q'] = 'q', ['r'] = 'r', ['s'] = 's', ['t'] = 't',
	['u'] = 'u', ['v'] = 'v', ['w'] = 'w', ['x'] = 'x', ['y'] = 'y',
	['z'] = 'z',
};

/* Words and paragraphs.  A run of ASCII letters and digits, nearly every
 * word, is folded through fold_tab in one inner loop with one buffer
 * check; other code points go one at a time through the decoder. */
static chr_status scan(dedup_feat *f, const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text, *end = s + len;
	size_t wl = 0;             /* bytes of the word being read */
	uint32_t pw0 = 0, pstart = 0, plast = 0;
	int in_para = 0;
	f->nwords = 0;
	f->npara = 0;
	/* a word hash per ~6 bytes of news text: sized once, not doubled
	 * from 64 (it still grows for a text of shorter words) */
	if (dedup_grow((void **)&f->wh, &f->wcap, len / 6 + 16, 8))
		return CHR_ENOMEM;
	while (s <= end) {
		uint32_t cp = 0;
		size_t adv = 1;
		int word = 0;
		if (s < end) {
			if (*s < 0x80) {
				cp = *s;
				if (fold_tab[cp]) { /* an ASCII run of the word */
					if (!in_para) {
						in_para = 1;
						pw0 = f->nwords;
						pstart = (uint32_t)((const char *)s - text);
					}
					/* room for the rest of the text, so the run
					 * is folded as it is found (the buffer
					 * grows to the text's length once) */
					if (dedup_grow((void **)&f->wbuf, &f->wbufcap,
						       wl + (size_t)(end - s) + 4, 1))
						return CHR_ENOMEM;
					unsigned char *o = f->wbuf + wl, c;
					const unsigned char *r = s;
					while (r < end && (c = fold_tab[*r])) {
						*o++ = c;
						r++;
					}
					wl += (size_t)(r - s);
					plast = (uint32_t)((const char *)r - text);
					s = r;
					continue;
				}
			} else {
				cp = decode(s, end, &adv);
				word = !is_sep(cp);
				if (word)
					cp = (uint32_t)utf8proc_tolower((utf8proc_int32_t)cp);
			}
		}
		if (word) {
			if (!in_para) {
				in_para = 1;
				pw0 = f->nwords;
				pstart = (uint32_t)((const char *)s - text);
			}
			if (dedup_grow((void **)&f->wbuf, &f->wbufcap, wl + 4, 1))
				return CHR_ENOMEM;
			if (cp < 0x80)
				f->wbuf[wl++] = (unsigned char)cp;
			else
				wl += (size_t)utf8proc_encode_char((utf8proc_int32_t)cp,
								   f->wbuf + wl);
			plast = (uint32_t)((const char *)s - text + adv);
		} else {
			if (wl) {
				if (dedup_grow((void **)&f->wh, &f->wcap, f->nwords + 1, 8))
					return CHR_ENOMEM;
				f->wh[f->nwords++] = XXH3_64bits_withSeed(f->wbuf, wl, SEED_WORD);
				wl = 0;
			}
			if (in_para && (s >= end || (cp == '\n' &&
						     para_break((const char *)s, text + len)))) {
				if (close_para(f, pw0, pstart, plast))
					return CHR_ENOMEM;
				in_para = 0;
			}
		}
		if (s >= end)
			break;
		s += adv;
	}
	return CHR_OK;
}

static void insertion_sort(uint32_t *v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		uint32_t x = v[i];
		size_t j = i;
		while (j && v[j - 1] > x) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
}

/* Quicksort on the median of three, insertion sort below 16; recursion
 * on the smaller side only.  Used for n < DEDUP_QSORT_MAX, so even the
 * quadratic worst case is bounded.  From 256 values the radix sort's
 * four passes cost fewer instructions (on 2,000 Reuters stories, the
 * prep stage 111.5 M at 1,024, 110.9 M at 256, 112.6 M at 128) and it
 * has no branch on the values to mispredict. */
#define DEDUP_QSORT_MAX 256
static void quick_sort(uint32_t *v, size_t n)
{
	while (n >= 16) {
		uint32_t a = v[0], b = v[n / 2], c = v[n - 1];
		uint32_t p = a < b ? (b < c ? b : (a < c ? c : a))
				   : (a < c ? a : (b < c ? c : b));
		size_t i = 0, j = n - 1;
		for (;;) { /* Hoare partition */
			while (v[i] < p)
				i++;
			while (v[j] > p)
				j--;
			if (i >= j)
				break;
			uint32_t t = v[i];
			v[i] = v[j];
			v[j] = t;
			i++;
			j--;
		}
		size_t left = j + 1; /* v[0, left) <= p <= v[left, n) */
		if (left < n - left) {
			quick_sort(v, left);
			v += left;
			n -= left;
		} else {
			quick_sort(v + left, n - left);
			n = left;
		}
	}
	insertion_sort(v, n);
}

size_t dedup_sort_unique(uint32_t *v, size_t n, uint32_t *tmp)
{
	if (n < 32) {
		insertion_sort(v, n);
	} else if (n < DEDUP_QSORT_MAX) {
		quick_sort(v, n);
	} else { /* LSD radix, four 8-bit passes, ending back in v */
		size_t cnt[4][256];
		memset(cnt, 0, sizeof cnt);
		for (size_t i = 0; i < n; i++) {
			uint32_t x = v[i];
			cnt[0][x & 255]++;
			cnt[1][(x >> 8) & 255]++;
			cnt[2][(x >> 16) & 255]++;
			cnt[3][x >> 24]++;
		}
		for (int p = 0; p < 4; p++) { /* counts to start offsets */
			size_t sum = 0;
			for (int b = 0; b < 256; b++) {
				size_t c = cnt[p][b];
				cnt[p][b] = sum;
				sum += c;
			}
		}
		uint32_t *src = v, *dst = tmp;
		for (int p = 0; p < 4; p++) {
			int shift = 8 * p;
			for (size_t i = 0; i < n; i++)
				dst[cnt[p][(src[i] >> shift) & 255]++] = src[i];
			uint32_t *t = src;
			src = dst;
			dst = t;
		}
	}
	size_t u = 0;
	for (size_t i = 0; i < n; i++)
		if (!u || v[u - 1] != v[i])
			v[u++] = v[i];
	return u;
}

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

chr_status dedup_features(dedup_feat *f, const char *text, size_t len)
{
	chr_status st = scan(f, text, len);
	if (st)
		return st;
	size_t nw = f->nwords;
	size_t ns = nw >= DEDUP_SHINGLE ? nw - DEDUP_SHINGLE + 1 : (nw ? 1 : 0);
	size_t span = nw >= DEDUP_SHINGLE ? DEDUP_SHINGLE : nw;
	size_t tcap = f->setcap;
	if (dedup_grow((void **)&f->seq, &f->seqcap, ns + 1, 4) ||
	    dedup_grow((void **)&f->set, &f->setcap, ns + 1, 4) ||
	    dedup_grow((void **)&f->tmp, &tcap, ns + 1, 4))
		return CHR_ENOMEM;
	uint32_t filled[(DEDUP_K + 31) / 32] = { 0 };
	f->nanchor = 0;
	for (size_t i = 0; i < DEDUP_K; i++)
		f->sig[i] = UINT32_MAX;
	for (size_t i = 0; i < ns; i++) {
		/* nearly every text has DEDUP_SHINGLE words or more: a
		 * constant length lets the inline hash drop its length tests */
		uint64_t h = span == DEDUP_SHINGLE
				     ? XXH3_64bits_withSeed(f->wh + i, DEDUP_SHINGLE * 8,
							    SEED_SHINGLE)
				     : XXH3_64bits_withSeed(f->wh + i, span * 8,
							    SEED_SHINGLE);
		uint32_t v = (uint32_t)h;
		f->seq[i] = v;
		uint32_t bin = (uint32_t)(((h >> 32) * (uint64_t)DEDUP_K) >> 32);
		if (v < f->sig[bin] || !(filled[bin / 32] >> (bin % 32) & 1))
			f->sig[bin] = v;
		filled[bin / 32] |= 1u << (bin % 32);
		if (v % DEDUP_ANCHOR_MOD == 0 && f->nanchor < DEDUP_ANCHOR_MAX) {
			uint64_t key = mix64(h ^ SEED_SHINGLE);
			size_t k = 0;
			while (k < f->nanchor && f->anchor[k] != key)
				k++;
			if (k == f->nanchor)
				f->anchor[f->nanchor++] = key;
		}
	}
	f->nseq = ns;
	memcpy(f->set, f->seq, ns * 4);
	f->nset = dedup_sort_unique(f->set, ns, f->tmp);
	/* Optimal densification: an empty bin borrows the value of the first
	 * filled bin on its own pseudo-random probe sequence. */
	if (ns) {
		for (uint32_t i = 0; i < DEDUP_K; i++) {
			if (filled[i / 32] >> (i % 32) & 1)
				continue;
			for (uint64_t t = 1;; t++) {
				uint32_t j = (uint32_t)(((mix64(SEED_DENSE ^ (i * 0x10001ULL + t)) >>
							   32) * DEDUP_K) >> 32);
				if (filled[j / 32] >> (j % 32) & 1) {
					f->sig[i] = f->sig[j];
					break;
				}
			}
		}
		for (uint64_t b = 0; b < DEDUP_BANDS; b++)
			f->band[b] = XXH3_64bits_withSeed(f->sig + b * DEDUP_ROWS,
							  DEDUP_ROWS * 4, SEED_BAND + b);
	} else {
		memset(f->band, 0, sizeof f->band);
	}
	uint64_t keys[DEDUP_BANDS + DEDUP_ANCHOR_MAX];
	f->nkeyblob = dedup_keys_blob(keys, dedup_feat_keys(f, keys), f->keyblob);
	return CHR_OK;
}

size_t dedup_feat_keys(const dedup_feat *f, uint64_t *keys)
{
	size_t nk = 0;
	for (size_t b = 0; b < DEDUP_BANDS && f->nseq; b++)
		keys[nk++] = f->band[b];
	for (size_t k = 0; k < f->nanchor; k++)
		keys[nk++] = f->anchor[k];
	return nk;
}

/* The merge from a[i], b[j] with n found so far, without a branch on
 * the comparison (which goes either way at random): the plain loop
 * spent most of its time on mispredictions. */
static size_t isect_tail(const uint32_t *a, size_t na, const uint32_t *b,
			 size_t nb, size_t need, size_t i, size_t j, size_t n)
{
	while (i < na && j < nb) {
		/* Stop once even a perfect rest could not reach need. */
		if (((i + j) & 15) == 0) {
			size_t ra = na - i, rb = nb - j;
			if (n + (ra < rb ? ra : rb) < need)
				return n;
		}
		uint32_t x = a[i], y = b[j];
		n += x == y;
		i += x <= y;
		j += y <= x;
	}
	return n;
}

int dedup_no_avx2;

#ifdef DEDUP_AVX2
/* Lanes of va equal to some value of the same 128-bit lane of v (the
 * lane's four values, rotated). */
__attribute__((target("avx2"))) static inline __m256i hits4(__m256i va,
							      __m256i v)
{
	__m256i r1 = _mm256_shuffle_epi32(v, 0x39); /* by one value */
	__m256i r2 = _mm256_shuffle_epi32(v, 0x4e); /* by two */
	__m256i r3 = _mm256_shuffle_epi32(v, 0x93); /* by three */
	return _mm256_or_si256(
		_mm256_or_si256(_mm256_cmpeq_epi32(va, v),
				_mm256_cmpeq_epi32(va, r1)),
		_mm256_or_si256(_mm256_cmpeq_epi32(va, r2),
				_mm256_cmpeq_epi32(va, r3)));
}

/* Eight of a against eight of b at a time: each a value compared with
 * all eight b values (the b block rotated within and across its
 * lanes), the hits counted, and the block with the smaller last value
 * moved on (both when they end equal).  Sets hold each value once, so
 * a hit is counted once: a value of a block that stays was compared
 * with a b block whose values are all past it from then on.  The
 * bound for stopping early may count a hit of the staying block twice,
 * so it is looser, never wrong. */
__attribute__((target("avx2"))) static size_t
isect_avx2(const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
	   size_t need)
{
	size_t i = 0, j = 0, n = 0;
	while (i + 8 <= na && j + 8 <= nb) {
		size_t ra = na - i, rb = nb - j;
		if (n + (ra < rb ? ra : rb) < need)
			return n;
		__m256i va = _mm256_loadu_si256((const __m256i *)(a + i));
		__m256i vb = _mm256_loadu_si256((const __m256i *)(b + j));
		__m256i m = _mm256_or_si256(
			hits4(va, vb),
			hits4(va, _mm256_permute2x128_si256(vb, vb, 1)));
		n += (size_t)__builtin_popcount(
			(unsigned)_mm256_movemask_ps(_mm256_castsi256_ps(m)));
		uint32_t amax = a[i + 7], bmax = b[j + 7];
		i += amax <= bmax ? 8 : 0;
		j += bmax <= amax ? 8 : 0;
	}
	return isect_tail(a, na, b, nb, need, i, j, n);
}
#endif

size_t dedup_intersect(const uint32_t *a, size_t na, const uint32_t *b,
		       size_t nb, size_t need)
{
#ifdef DEDUP_AVX2
	if (!dedup_no_avx2 && __builtin_cpu_supports("avx2"))
		return isect_avx2(a, na, b, nb, need);
#endif
	return isect_tail(a, na, b, nb, need, 0, 0, 0);
}

double dedup_scurve(double j, int bands, int rows)
{
	double p = 1.0;
	for (int r = 0; r < rows; r++)
		p *= j;
	double miss = 1.0;
	for (int b = 0; b < bands; b++)
		miss *= 1.0 - p;
	return 1.0 - miss;
}
