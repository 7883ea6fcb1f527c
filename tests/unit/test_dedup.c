/*
 * test_dedup: shingling, signatures, banding, containment, incremental
 * and deterministic groups, paragraph reuse, bounded index lookups and
 * the paragraph filter, all in memory.
 *
 * Design note: these tests run the engine on the in-memory index (the
 * same engine the store drives), so they need no database and stay
 * quick; the tests that go through the SQLite store are in
 * test_dedup_store.c, and the helpers both use are in dedup_fixture.h.
 */
#include <math.h>
#include <stdint.h>

#include <xxhash.h>

#include "harness.h"
#include "chronicle.h"
#include "dedup/dedup.h"
#include "pipeline/article.h"
#include "dedup_fixture.h"

static char *slurp(const char *name, size_t *len)
{
	char path[512];
	snprintf(path, sizeof path, "%s/dedup/%s", th_data_dir(), name);
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *p = malloc(1 << 16);
	size_t n = fread(p, 1, (1 << 16) - 1, f);
	fclose(f);
	p[n] = 0;
	if (len)
		*len = n;
	return p;
}

static void test_shingles_normalised(void)
{
	dedup_feat a, b;
	feat(&a, "The Quick, brown fox -- jumps over the lazy dog's kennel.");
	feat(&b, "the quick brown\n   FOX jumps\u2014over the lazy dog\u2019s\r\nkennel");
	CHECK_INT(a.nwords, 11);
	CHECK_INT(b.nwords, 11);
	CHECK_INT(a.nseq, 7);
	CHECK_INT(a.nset, b.nset);
	CHECK(a.nset == b.nset && !memcmp(a.set, b.set, a.nset * 4));
	CHECK(!memcmp(a.sig, b.sig, sizeof a.sig));
	CHECK(!memcmp(a.band, b.band, sizeof a.band));
	dedup_feat_free(&a);
	dedup_feat_free(&b);
	feat(&a, "three short words");
	CHECK_INT(a.nseq, 1);
	feat(&b, "  ... ");
	CHECK_INT(b.nseq, 0);
	CHECK_INT(b.nwords, 0);
	dedup_feat_free(&a);
	dedup_feat_free(&b);
}

/* The features the pipeline makes on its text thread (dedup-prep) are
 * those of the clean text, and dedup reads them from the article. */
static void test_prep_stage(void)
{
	chr_doc d;
	memset(&d, 0, sizeof d);
	d.id = "prep1";
	d.title = "Port strike enters third day";
	d.text = "Dockers at the port of Valmora stayed off work for a third day"
		 " on Wednesday, leaving container ships waiting offshore.\n\n"
		 "The union said talks with the port authority had stalled over"
		 " plans to automate two of the five terminals.";
	d.text_len = strlen(d.text);
	chr_article *a = NULL;
	CHECK_INT(chr_article_process(&d, &a), CHR_OK);
	if (!a)
		return;
	CHECK(a->ddfeat != NULL);
	dedup_feat f;
	dedup_feat_init(&f);
	CHECK_INT(dedup_features(&f, a->text, a->text_len), CHR_OK);
	if (a->ddfeat) {
		CHECK_INT(a->ddfeat->nwords, f.nwords);
		CHECK(a->ddfeat->nwords > 20);
		CHECK_INT(a->ddfeat->nset, f.nset);
		CHECK(!memcmp(a->ddfeat->sig, f.sig, sizeof f.sig));
		CHECK(!memcmp(a->ddfeat->band, f.band, sizeof f.band));
		CHECK_INT(a->ddfeat->npara, f.npara);
	}
	dedup_feat_free(&f);
	chr_article_free(a);
}

static void test_paragraphs(void)
{
	dedup_feat f;
	feat(&f, "one two three four five six seven eight\n\n"
		 "alpha beta gamma delta epsilon zeta eta theta iota\n"
		 "    kappa lambda mu nu xi omicron pi rho sigma\n"
		 "tau upsilon phi chi psi omega again and again\n"
		 "short one\n\n");
	/* blank line and indent break paragraphs; plain newlines do not */
	CHECK_INT(f.npara, 3);
	if (f.npara == 3) {
		CHECK_INT(f.para[0].w1 - f.para[0].w0, 8);
		CHECK_INT(f.para[1].w1 - f.para[1].w0, 9);
		CHECK_INT(f.para[2].w1 - f.para[2].w0, 20);
	}
	dedup_feat g;
	feat(&g, "ONE two, three four five six seven eight.");
	CHECK(f.npara && g.npara == 1 && f.para[0].hash == g.para[0].hash);
	dedup_feat_free(&f);
	dedup_feat_free(&g);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* dedup_sort_unique against qsort + unique at every size class
 * (insertion, quicksort, radix) and on hostile orders. */
static void test_sort_unique(void)
{
	static const size_t sizes[] = {0, 1, 2, 15, 16, 31, 32, 33, 100,
				       255, 256, 257, 1023, 1024, 1025, 5000};
	uint32_t *v = malloc(5000 * 4), *r = malloc(5000 * 4),
		 *tmp = malloc(5000 * 4);
	uint64_t x = 88172645463325252ULL;
	for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
		size_t n = sizes[si];
		for (int kind = 0; kind < 5; kind++) {
			for (size_t i = 0; i < n; i++) {
				x ^= x << 13, x ^= x >> 7, x ^= x << 17;
				uint32_t y = (uint32_t)(x >> 16);
				v[i] = kind == 0 ? y :               /* random */
				       kind == 1 ? y % 7 :           /* many equal */
				       kind == 2 ? (uint32_t)i * 3 : /* ascending */
				       kind == 3 ? (uint32_t)(n - i) << 20 :
						   UINT32_MAX;       /* all equal */
			}
			memcpy(r, v, n * 4);
			qsort(r, n, 4, cmp_u32);
			size_t u = 0;
			for (size_t i = 0; i < n; i++)
				if (!u || r[u - 1] != r[i])
					r[u++] = r[i];
			size_t got = dedup_sort_unique(v, n, tmp);
			CHECK_INT(got, u);
			CHECK(got == u && !memcmp(v, r, u * 4));
		}
	}
	free(v);
	free(r);
	free(tmp);
}

/* Posting lists against a plain model: ids under interleaved keys, read
 * newest first after every add and at the end with every cap (through
 * the chunks' growth, 1, 3, 7, 15, then a ring of DEDUP_PLIST_KEEP that
 * wraps several times), a repeat of a key's newest id ignored, an older
 * one kept, never more than DEDUP_PLIST_KEEP ids, and an unknown key
 * empty. */
static int plist_matches(const dedup_plist *l, uint64_t key, size_t cap,
			 const int64_t *model, size_t nm)
{
	int64_t out[DEDUP_PLIST_KEEP + 8];
	size_t n = dedup_plist_get(l, key, cap, out);
	size_t want = cap < nm ? cap : nm;
	if (want > DEDUP_PLIST_KEEP)
		want = DEDUP_PLIST_KEEP;
	if (n != want)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (out[i] != model[nm - 1 - i])
			return 0;
	return 1;
}

static void test_plist_model(void)
{
	enum { KEYS = 5, PER = 140 };
	dedup_plist l;
	memset(&l, 0, sizeof l);
	int64_t model[KEYS][PER * 2];
	size_t nm[KEYS] = {0};
	uint64_t x = 0x2545F4914F6CDD1DULL;
	int64_t id = 1;
	int ok = 1;
	for (size_t step = 0; step < KEYS * PER; step++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		size_t k = (size_t)(x % KEYS);
		uint64_t key = 0x9E3779B97F4A7C15ULL * (k + 1);
		int64_t v = (x >> 8) % 4 == 0 && nm[k] ? model[k][nm[k] - 1]
							: id++;
		if ((x >> 12) % 9 == 0 && nm[k] > 2) /* an older id again */
			v = model[k][nm[k] - 3];
		CHECK(dedup_plist_add(&l, key, v) == CHR_OK);
		if (!nm[k] || model[k][nm[k] - 1] != v)
			model[k][nm[k]++] = v;
		ok &= plist_matches(&l, key, DEDUP_PLIST_KEEP + 4, model[k],
				    nm[k]);
	}
	CHECK(ok);
	for (size_t k = 0; k < KEYS; k++) {
		uint64_t key = 0x9E3779B97F4A7C15ULL * (k + 1);
		CHECK(nm[k] > 2 * DEDUP_PLIST_KEEP); /* the ring wrapped */
		for (size_t cap = 0; cap <= DEDUP_PLIST_KEEP + 2; cap++)
			CHECK(plist_matches(&l, key, cap, model[k], nm[k]));
	}
	int64_t out[DEDUP_PLIST_KEEP];
	CHECK_INT(dedup_plist_get(&l, 12345, DEDUP_PLIST_KEEP, out), 0);
	CHECK(dedup_plist_bytes(&l) > 0);
	/* a list reserved like l, then l cleared: both empty, both take
	 * what l held again without growing, and read it back the same */
	dedup_plist r;
	memset(&r, 0, sizeof r);
	dedup_plist_reserve(&r, &l);
	size_t bytes = dedup_plist_bytes(&l);
	CHECK(dedup_plist_bytes(&r) > 0 && dedup_plist_bytes(&r) <= bytes);
	dedup_plist_clear(&l);
	CHECK_INT(dedup_plist_bytes(&l), bytes);
	for (size_t k = 0; k < KEYS; k++) {
		uint64_t key = 0x9E3779B97F4A7C15ULL * (k + 1);
		CHECK_INT(dedup_plist_get(&l, key, 32, out), 0);
		CHECK_INT(dedup_plist_get(&r, key, 32, out), 0);
	}
	size_t rb = dedup_plist_bytes(&r);
	for (size_t k = 0; k < KEYS; k++)
		for (size_t i = 0; i < nm[k]; i++) {
			uint64_t key = 0x9E3779B97F4A7C15ULL * (k + 1);
			CHECK(dedup_plist_add(&l, key, model[k][i]) == CHR_OK);
			CHECK(dedup_plist_add(&r, key, model[k][i]) == CHR_OK);
		}
	CHECK_INT(dedup_plist_bytes(&l), bytes); /* nothing grew */
	CHECK_INT(dedup_plist_bytes(&r), rb);
	for (size_t k = 0; k < KEYS; k++) {
		uint64_t key = 0x9E3779B97F4A7C15ULL * (k + 1);
		CHECK(plist_matches(&l, key, DEDUP_PLIST_KEEP, model[k], nm[k]));
		CHECK(plist_matches(&r, key, DEDUP_PLIST_KEEP, model[k], nm[k]));
	}
	dedup_plist_free(&r);
	dedup_plist_free(&l);
	CHECK_INT(dedup_plist_get(&l, 0x9E3779B97F4A7C15ULL, 32, out), 0);
}

/* A bulk-built list reads exactly like one filled add by add from the
 * same (key, id) sequence: enough keys for many of the build's buckets
 * and a grown map, keys with one id and keys whose ring wrapped, a repeat
 * of a key's newest id (ignored) and of an older one (kept); a list that
 * is not empty is refused. */
static void test_plist_build(void)
{
	enum { N = 120000, HOT = 7 };
	uint64_t *keys = malloc(N * sizeof *keys);
	uint32_t *off = malloc(N * sizeof *off);
	dedup_plist a, b;
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	if (!keys || !off) {
		CHECK(0);
		goto out;
	}
	uint64_t x = 0x9E3779B97F4A7C15ULL;
	uint32_t id = 0;
	for (size_t i = 0; i < N; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		if (x % 3 == 0)
			id++; /* a doc holds one to a few keys */
		/* a third of the keys from a few busy ones, the rest rare */
		keys[i] = x % 3 == 1 ? 0xABCDEF12345ULL * (x % HOT + 1)
				     : (x >> 11) % (N / 2) * 0x100000001B3ULL;
		off[i] = x % 17 == 0 && i ? off[i - 1] : id;
		if (x % 23 == 0 && id > 40)
			off[i] = id - 40; /* an older id */
	}
	const int64_t base = 1000;
	for (size_t i = 0; i < N; i++)
		CHECK(dedup_plist_add(&a, keys[i], base + off[i]) == CHR_OK);
	CHECK(dedup_plist_build(&b, keys, off, base, N) == CHR_OK);
	CHECK(b.heads.n == a.heads.n);
	int same = 1;
	for (size_t i = 0; i < N + HOT; i++) {
		uint64_t k = i < N ? keys[i] : 0xABCDEF12345ULL * (i - N + 1);
		int64_t oa[DEDUP_PLIST_KEEP], ob[DEDUP_PLIST_KEEP];
		size_t na = dedup_plist_get(&a, k, DEDUP_PLIST_KEEP, oa);
		size_t nb = dedup_plist_get(&b, k, DEDUP_PLIST_KEEP, ob);
		same &= na == nb && na && !memcmp(oa, ob, na * sizeof *oa);
		if (i >= N)
			same &= na == DEDUP_PLIST_KEEP;
	}
	CHECK(same);
	int64_t o[4];
	CHECK_INT(dedup_plist_get(&b, 0x1234567ULL, 4, o), 0);
	CHECK(dedup_plist_build(&b, keys, off, base, 1) == CHR_EINVAL);
	dedup_plist_clear(&b); /* empty again: it may be built again */
	CHECK(dedup_plist_build(&b, keys, off, base, N / 2) == CHR_OK);
	CHECK_INT(dedup_plist_get(&b, keys[0], 1, o), 1);
	CHECK(dedup_plist_build(&a, keys, off, base, 0) == CHR_EINVAL);
	/* outgrown chunks are taken again: K keys filed twice each leave K
	 * one-id chunks behind, which K new keys then fill */
	dedup_plist c;
	memset(&c, 0, sizeof c);
	enum { K = 1000 };
	for (int round = 0; round < 2; round++)
		for (uint64_t k = 1; k <= K; k++)
			CHECK(dedup_plist_add(&c, k * 0x9E3779B97F4A7C15ULL,
					      round + 1) == CHR_OK);
	size_t nw = c.nw;
	CHECK_INT(nw, 6 * K);
	for (uint64_t k = K + 1; k <= 2 * K; k++)
		CHECK(dedup_plist_add(&c, k * 0x9E3779B97F4A7C15ULL, 3) == CHR_OK);
	CHECK_INT(c.nw, nw);
	same = 1;
	for (uint64_t k = 1; k <= 2 * K; k++) {
		int64_t e[2];
		size_t ne = dedup_plist_get(&c, k * 0x9E3779B97F4A7C15ULL, 2, e);
		same &= k <= K ? ne == 2 && e[0] == 2 && e[1] == 1
			       : ne == 1 && e[0] == 3;
	}
	CHECK(same);
	dedup_plist_free(&c);
out:
	dedup_plist_free(&a);
	dedup_plist_free(&b);
	free(keys);
	free(off);
}

/* Words fold the same way whether a run is ASCII, mixed or not ASCII at
 * all, and a word longer than any buffer so far grows it. */
static void test_word_folding(void)
{
	char big[700];
	memset(big, 'q', 300);
	big[300] = ' ';
	memset(big + 301, 'Q', 300);
	memcpy(big + 601, " \xC3\x89LAN", 6);
	big[607] = 0;
	dedup_feat a, b;
	feat(&a, "CAF\xC3\x89 au Lait 2019 \xC3\x89LAN na\xC3\xAFve x9Z");
	feat(&b, "caf\xC3\xA9 AU lait 2019 \xC3\xA9lan NA\xC3\x8FVE X9z");
	CHECK_INT(a.nwords, 7);
	CHECK_INT(b.nwords, 7);
	CHECK(a.nwords == b.nwords && !memcmp(a.wh, b.wh, a.nwords * 8));
	CHECK(a.wh[0] != a.wh[1] && a.wh[4] != a.wh[5]);
	dedup_feat_free(&b);
	feat(&b, big);
	CHECK_INT(b.nwords, 3);
	CHECK(b.nwords == 3 && b.wh[0] == b.wh[1] && b.wh[2] == a.wh[4]);
	CHECK(b.wbufcap >= 300);
	dedup_feat_free(&a);
	dedup_feat_free(&b);
	/* the folded bytes of each word, against XXH3 of the expected
	 * ones: ASCII runs around a non-ASCII letter, a word at the very
	 * end of the text, a word after a long one */
	static const char *const in[][2] = {
		{ "AbC\xC3\x89" "dEF", "abc\xC3\xA9" "def" },
		{ "x \xC3\x89\xC3\x89Z9", "\xC3\xA9\xC3\xA9z9" },
		{ "qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq Zz", "zz" },
	};
	for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
		feat(&a, in[i][0]);
		const char *w = in[i][1];
		CHECK(a.nwords >= 1 && a.wh[a.nwords - 1] ==
			  XXH3_64bits_withSeed(w, strlen(w), 0x63687264656475aULL));
		dedup_feat_free(&a);
	}
	/* one-letter words: more words than the hash array is first sized
	 * for (a word per ~6 bytes), so it grows */
	char one[2001];
	for (int i = 0; i < 1000; i++) {
		one[2 * i] = (char)('a' + i % 26);
		one[2 * i + 1] = ' ';
	}
	one[2000] = 0;
	feat(&a, one);
	CHECK_INT(a.nwords, 1000);
	CHECK(a.wcap >= 1000);
	size_t same = 0;
	for (uint32_t i = 0; i < a.nwords && i < 1000; i++) {
		char w = (char)('a' + i % 26);
		same += a.wh[i] == XXH3_64bits_withSeed(&w, 1, 0x63687264656475aULL);
	}
	CHECK_INT(same, 1000);
	dedup_feat_free(&a);
}

/* Each shingle is XXH3 of its DEDUP_SHINGLE word hashes with the
 * shingle seed (the constant-length call for a text of that many words
 * or more), and a shorter text's one shingle of all its words. */
static void test_shingle_hash(void)
{
	static const char *const in[] = {
		"one two three four five six seven eight",
		"one two three four five",
		"one two three",
		"solo",
	};
	for (size_t t = 0; t < sizeof in / sizeof in[0]; t++) {
		dedup_feat a;
		feat(&a, in[t]);
		size_t span = a.nwords < DEDUP_SHINGLE ? a.nwords : DEDUP_SHINGLE;
		size_t want = a.nwords - span + 1;
		CHECK_INT(a.nseq, want);
		for (size_t i = 0; i < a.nseq && i < want; i++)
			CHECK(a.seq[i] == (uint32_t)XXH3_64bits_withSeed(
						 a.wh + i, span * 8,
						 0x5368696e676c6531ULL));
		dedup_feat_free(&a);
	}
}

/* Paragraph hashes are XXH3 of the word hashes with the paragraph seed,
 * short (< 30 words) and long alike (a long one takes the precomputed
 * secret). */
static void test_para_hash(void)
{
	char text[2000];
	size_t len = 0;
	for (int w = 0; w < 8; w++)
		len += (size_t)snprintf(text + len, 20, "short%d ", w);
	len += (size_t)snprintf(text + len, 4, "\n\n");
	for (int w = 0; w < 100; w++)
		len += (size_t)snprintf(text + len, 20, "long%d ", w);
	dedup_feat f;
	feat(&f, text);
	CHECK_INT(f.npara, 2);
	for (size_t i = 0; i < f.npara && i < 2; i++) {
		const dedup_para *p = &f.para[i];
		uint64_t want = XXH3_64bits_withSeed(f.wh + p->w0,
						     (size_t)(p->w1 - p->w0) * 8,
						     0x5061726167726631ULL);
		CHECK(p->hash == want);
	}
	CHECK(f.npara == 2 && f.para[1].w1 - f.para[1].w0 == 100);
	dedup_feat_free(&f);
}

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return (a > b) - (a < b);
}

/* The keys blob dedup_features leaves for the store (dedup_keyset.keys)
 * is the bands then anchors, sorted, distinct, 8 bytes each, most
 * significant first: checked against a byte-by-byte packing on texts
 * with and without shingles, on repeated keys and on keys with high and
 * zero bytes. */
static void test_key_blob(void)
{
	static const char *const texts[] = {
		"", "one", "three short words",
		"The river authority opened the new flood barrier at Kelmford on"
		" Monday after four years of work, and engineers said the barrier"
		" would protect eleven thousand homes from the spring floods.",
	};
	for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
		dedup_feat f;
		feat(&f, texts[t]);
		uint64_t k[DEDUP_RECENT_MAXKEYS];
		size_t n = 0;
		for (size_t b = 0; b < DEDUP_BANDS && f.nseq; b++)
			k[n++] = f.band[b];
		for (size_t a = 0; a < f.nanchor; a++)
			k[n++] = f.anchor[a];
		CHECK_INT(dedup_feat_keys(&f, k), n);
		qsort(k, n, sizeof k[0], cmp_u64);
		unsigned char want[DEDUP_RECENT_MAXKEYS * 8];
		size_t len = 0;
		for (size_t i = 0; i < n; i++)
			if (!i || k[i] != k[i - 1])
				for (int j = 56; j >= 0; j -= 8)
					want[len++] = (unsigned char)(k[i] >> j);
		CHECK_INT(f.nkeyblob, len);
		CHECK(!memcmp(f.keyblob, want, len));
		dedup_feat_free(&f);
	}
	uint64_t keys[] = { 0xfffffffffffffffbULL, 255, 7, 255, 0,
			    0x0123456789abcdefULL };
	unsigned char blob[DEDUP_RECENT_MAXKEYS * 8];
	CHECK_INT(dedup_keys_blob(keys, 6, blob), 5 * 8);
	CHECK(!memcmp(blob, "\0\0\0\0\0\0\0\0" "\0\0\0\0\0\0\0\7"
			    "\0\0\0\0\0\0\0\377" "\1\43\105\147\211\253\315\357"
			    "\377\377\377\377\377\377\377\373", 40));
	CHECK_INT(dedup_keys_blob(keys, 0, blob), 0);
}

static void test_signature_estimates_jaccard(void)
{
	/* B is A with its last 40% replaced: Jaccard of shingle sets known
	 * exactly from the sets; the signature agreement must be close. */
	double err = 0;
	int trials = 20;
	for (int t = 0; t < trials; t++) {
		char *a = words(100 + (uint64_t)t, 600), *tail = words(900 + (uint64_t)t, 240);
		char *b = malloc(strlen(a) + strlen(tail) + 1);
		size_t cut = 0, w = 0;
		while (w < 360)
			w += a[cut++] == ' ';
		memcpy(b, a, cut);
		memcpy(b + cut, tail, strlen(tail) + 1);
		dedup_feat fa, fb;
		feat(&fa, a);
		feat(&fb, b);
		size_t in = dedup_intersect(fa.set, fa.nset, fb.set, fb.nset, 0);
		double j = (double)in / (double)(fa.nset + fb.nset - in);
		int agree = 0;
		for (int k = 0; k < DEDUP_K; k++)
			agree += fa.sig[k] == fb.sig[k];
		err += fabs((double)agree / DEDUP_K - j);
		dedup_feat_free(&fa);
		dedup_feat_free(&fb);
		free(a);
		free(b);
		free(tail);
	}
	CHECK(err / trials < 0.08); /* std of one estimate is ~0.064 */
}

/* The AVX2 intersection and the plain merge agree: the exact count when
 * nothing is needed, and the same side of need when something is (the
 * engine only asks whether the count reaches it).  Sets of every length
 * around the 8-value blocks, sharing from none to all of their values. */
static void test_intersect_simd(void)
{
	uint64_t r = 0x9E3779B97F4A7C15ULL;
	uint32_t a[300], b[300], tmp[300];
	int bad = 0, hits = 0;
	for (int t = 0; t < 2000; t++) {
		size_t na = (size_t)(t % 67), nb = (size_t)((t * 7) % 131);
		size_t share = (size_t)(t % 5) * na / 4;
		for (size_t i = 0; i < na; i++) {
			r ^= r << 13, r ^= r >> 7, r ^= r << 17;
			a[i] = (uint32_t)r % 4096;
		}
		for (size_t i = 0; i < nb; i++) {
			r ^= r << 13, r ^= r >> 7, r ^= r << 17;
			b[i] = i < share ? a[i] : (uint32_t)r % 4096;
		}
		size_t ua = dedup_sort_unique(a, na, tmp);
		size_t ub = dedup_sort_unique(b, nb, tmp);
		dedup_no_avx2 = 1;
		size_t want = dedup_intersect(a, ua, b, ub, 0);
		dedup_no_avx2 = 0;
		size_t got = dedup_intersect(a, ua, b, ub, 0);
		bad += got != want;
		hits += want > 0;
		for (size_t need = 1; need < 70; need += 7) {
			dedup_no_avx2 = 1;
			int w = dedup_intersect(a, ua, b, ub, need) >= need;
			dedup_no_avx2 = 0;
			int g = dedup_intersect(b, ub, a, ua, need) >= need;
			bad += w != g || w != (want >= need);
		}
	}
	CHECK(bad == 0);
	CHECK(hits > 1000);
}

static void test_densification(void)
{
	/* 3 shingles fill at most 3 of K bins; every bin gets a value and two
	 * copies agree everywhere. */
	dedup_feat a, b;
	feat(&a, "seven words are enough for three shingles");
	feat(&b, "Seven words are enough, for three shingles!");
	CHECK_INT(a.nseq, 3);
	int from_set = 0;
	for (int k = 0; k < DEDUP_K; k++) {
		int in = 0;
		for (size_t i = 0; i < a.nset; i++)
			in |= a.sig[k] == a.set[i];
		from_set += in;
	}
	CHECK_INT(from_set, DEDUP_K);
	CHECK(!memcmp(a.band, b.band, sizeof a.band));
	dedup_feat_free(&a);
	dedup_feat_free(&b);
}

static void test_banding_scurve(void)
{
	CHECK(fabs(dedup_scurve(0.5, 20, 3) - 0.9312) < 0.001);
	CHECK(dedup_scurve(0.8, DEDUP_BANDS, DEDUP_ROWS) > 0.9999);
	CHECK(dedup_scurve(0.1, DEDUP_BANDS, DEDUP_ROWS) < 0.02);
	/* a light edit keeps most bands */
	char *a = words(7, 300);
	char *b = strdup(a);
	b[100] = 'x'; /* one word changed */
	dedup_feat fa, fb;
	feat(&fa, a);
	feat(&fb, b);
	int same = 0;
	for (int i = 0; i < DEDUP_BANDS; i++)
		same += fa.band[i] == fb.band[i];
	CHECK(same >= DEDUP_BANDS / 2);
	dedup_feat_free(&fa);
	dedup_feat_free(&fb);
	free(a);
	free(b);
}

/* Add text as doc id to the memory index; returns its group. */
static int64_t add(dedup_mem *m, int64_t id, const char *text, int tier,
		   const char *date, dedup_stats *st)
{
	dedup_feat f;
	feat(&f, text);
	dedup_doc d;
	memset(&d, 0, sizeof d);
	d.id = id;
	d.tier = tier;
	if (date)
		snprintf(d.published, sizeof d.published, "%s", date);
	d.nwords = f.nwords;
	int64_t gid = -1;
	CHECK(dedup_add(&dedup_mem_ops, m, &d, &f, &gid, st) == CHR_OK);
	dedup_feat_free(&f);
	return gid;
}

static void test_containment_truncated(void)
{
	char *full = slurp("harbour_full.txt", NULL), *trim = slurp("harbour_trim.txt", NULL),
	     *copy = slurp("harbour_copy.txt", NULL);
	if (!full || !trim || !copy)
		SKIP("tests/data/dedup missing");
	/* either order: the truncated copy joins its full original */
	dedup_mem *m = dedup_mem_new();
	CHECK_INT(add(m, 1, trim, DEDUP_TIER_PLAIN, NULL, NULL), 1);
	CHECK_INT(add(m, 2, full, DEDUP_TIER_WIRE, "2026-03-04", NULL), 1);
	CHECK_INT(add(m, 3, copy, DEDUP_TIER_PICKUP, "2026-03-04", NULL), 1);
	CHECK_INT(dedup_mem_original(m, 1), 2);
	dedup_mem_free(m);
	m = dedup_mem_new();
	CHECK_INT(add(m, 1, full, DEDUP_TIER_WIRE, "2026-03-04", NULL), 1);
	CHECK_INT(add(m, 2, trim, DEDUP_TIER_PLAIN, NULL, NULL), 1);
	dedup_mem_free(m);
	free(full);
	free(trim);
	free(copy);
}

static void test_groups_incremental_deterministic(void)
{
	/* Two halves of one story arrive first (no overlap: two groups); the
	 * full story then joins both, and they merge into the smaller id. */
	char *story = words(42, 400);
	size_t cut = 0, w = 0;
	while (w < 200)
		w += story[cut++] == ' ';
	char *first = strndup(story, cut), *second = strdup(story + cut);
	char *other = words(43, 300);
	int64_t run[2][4];
	for (int r = 0; r < 2; r++) {
		dedup_mem *m = dedup_mem_new();
		run[r][0] = add(m, 10, first, DEDUP_TIER_PICKUP, "2026-01-02", NULL);
		run[r][1] = add(m, 11, other, DEDUP_TIER_PLAIN, NULL, NULL);
		run[r][2] = add(m, 12, second, DEDUP_TIER_PICKUP, "2026-01-02", NULL);
		CHECK_INT(run[r][2], 12); /* a new group */
		run[r][3] = add(m, 13, story, DEDUP_TIER_PLAIN, "2026-01-01", NULL);
		CHECK_INT(run[r][3], 10);
		CHECK_INT(dedup_mem_group(m, 12), 10); /* merged */
		CHECK_INT(dedup_mem_group(m, 11), 11);
		/* plain beats pickup: the full story is the original */
		CHECK_INT(dedup_mem_original(m, 10), 13);
		dedup_mem_free(m);
	}
	CHECK(!memcmp(run[0], run[1], sizeof run[0]));
	free(story);
	free(first);
	free(second);
	free(other);
}

static void test_original_rule(void)
{
	dedup_doc a = { .id = 5, .tier = DEDUP_TIER_WIRE, .published = "2026-01-02", .nwords = 100 };
	dedup_doc b = { .id = 2, .tier = DEDUP_TIER_PICKUP, .published = "2026-01-01", .nwords = 300 };
	CHECK(dedup_better(&a, &b)); /* wire first */
	b.tier = DEDUP_TIER_WIRE;
	CHECK(dedup_better(&b, &a)); /* then earliest */
	memcpy(b.published, "2026-01-02", 11);
	CHECK(dedup_better(&b, &a)); /* then most words */
	b.nwords = 100;
	CHECK(dedup_better(&b, &a)); /* then first to arrive */
	b.published[0] = 0;
	CHECK(dedup_better(&a, &b)); /* unknown date sorts last */
	const char *ag[] = { "Yonhap" };
	CHECK_INT(dedup_tier("Yonhap", ag, 1), DEDUP_TIER_WIRE);
	CHECK_INT(dedup_tier("Reuters", NULL, 0), DEDUP_TIER_WIRE);
	CHECK_INT(dedup_tier("UrduPoint", ag, 1), DEDUP_TIER_PICKUP);
	CHECK_INT(dedup_tier("UrduPoint", NULL, 0), DEDUP_TIER_PLAIN);
}

static void test_stock_paragraph_no_group(void)
{
	char *full = slurp("harbour_full.txt", NULL), *bridge = slurp("bridge.txt", NULL),
	     *fest = slurp("festival.txt", NULL);
	if (!full || !bridge || !fest)
		SKIP("tests/data/dedup missing");
	dedup_mem *m = dedup_mem_new();
	CHECK_INT(add(m, 1, full, DEDUP_TIER_WIRE, NULL, NULL), 1);
	CHECK_INT(add(m, 2, bridge, DEDUP_TIER_WIRE, NULL, NULL), 2);
	CHECK_INT(add(m, 3, fest, DEDUP_TIER_WIRE, NULL, NULL), 3);
	dedup_mem_free(m);
	free(full);
	free(bridge);
	free(fest);
}

static void test_lookups_bounded(void)
{
	/* Every article shares one stock paragraph: its postings saturate, so
	 * the work per article is the same at 300 and at 3000 articles. */
	const char *stock = "\n\nThis standard paragraph is appended by every outlet to "
			    "every story it publishes about the region.";
	dedup_mem *m = dedup_mem_new();
	size_t early = 0, late = 0, maxkeys = 0, maxver = 0;
	for (int i = 1; i <= 3000; i++) {
		char *body = words((uint64_t)i * 7919, 120);
		char *t = malloc(strlen(body) + strlen(stock) + 1);
		memcpy(t, body, strlen(body));
		memcpy(t + strlen(body), stock, strlen(stock) + 1);
		dedup_stats st;
		add(m, i, t, DEDUP_TIER_PLAIN, NULL, &st);
		if (i > 200 && i <= 300)
			early += st.keys_read + st.verified;
		if (i > 2900)
			late += st.keys_read + st.verified;
		if (st.keys_read > maxkeys)
			maxkeys = st.keys_read;
		if (st.verified > maxver)
			maxver = st.verified;
		free(body);
		free(t);
	}
	CHECK(late <= early + early / 10);
	CHECK(maxkeys <= (DEDUP_BANDS + DEDUP_ANCHOR_MAX) * DEDUP_POSTINGS +
				 DEDUP_PARA_MAX * DEDUP_PARA_POSTINGS);
	CHECK(maxver <= DEDUP_VERIFY_MAX);
	CHECK_INT(dedup_mem_group(m, 3000), 3000); /* stock text never groups */
	dedup_mem_free(m);
}

/* Exact copies of one story: every earlier copy within the key
 * postings' bound is a candidate exactly once (the candidate table's
 * used slots are all gathered, none twice), and the first verified one
 * joins the group, so the rest are not verified. */
static void test_candidates_gathered(void)
{
	char *t = words(4242, 150);
	dedup_mem *m = dedup_mem_new();
	size_t bound = DEDUP_POSTINGS > DEDUP_PARA_POSTINGS ? DEDUP_POSTINGS
							    : DEDUP_PARA_POSTINGS;
	for (int i = 1; i <= 60; i++) {
		dedup_stats st;
		CHECK_INT(add(m, i, t, DEDUP_TIER_PLAIN, NULL, &st), 1);
		size_t want = (size_t)i - 1 < bound ? (size_t)i - 1 : bound;
		CHECK_INT((int)st.candidates, (int)want);
		CHECK_INT((int)st.verified, i > 1);
	}
	dedup_mem_free(m);
	free(t);
}

/* The filter never says "no" for a hash it was given, says it for
 * nearly every other, and says when it holds more than it was sized
 * for. */
static void test_para_filter(void)
{
	dedup_pfilt *f = dedup_pfilt_new(20000);
	CHECK(f != NULL);
	if (!f)
		return;
	uint64_t r = 0x2545F4914F6CDD1DULL;
	size_t missed = 0, fp = 0;
	for (int i = 0; i < 20000; i++) {
		r ^= r << 13, r ^= r >> 7, r ^= r << 17;
		dedup_pfilt_add(f, r);
	}
	CHECK(!dedup_pfilt_full(f));
	CHECK_INT(dedup_pfilt_count(f), 20000);
	r = 0x2545F4914F6CDD1DULL;
	for (int i = 0; i < 20000; i++) {
		r ^= r << 13, r ^= r >> 7, r ^= r << 17;
		missed += !dedup_pfilt_may(f, r);
	}
	for (int i = 0; i < 100000; i++) {
		r ^= r << 13, r ^= r >> 7, r ^= r << 17;
		fp += dedup_pfilt_may(f, r);
	}
	CHECK_INT(missed, 0);
	CHECK(fp < 1000); /* under 1 % (~0.2 % expected) */
	for (int i = 0; i < 60000; i++) {
		r ^= r << 13, r ^= r >> 7, r ^= r << 17;
		dedup_pfilt_add(f, r);
	}
	CHECK(dedup_pfilt_full(f));
	dedup_pfilt_free(f);
}

static const th_test tests[] = {
	TEST(test_shingles_normalised),
	TEST(test_paragraphs),
	TEST(test_sort_unique),
	TEST(test_plist_model),
	TEST(test_plist_build),
	TEST(test_word_folding),
	TEST(test_shingle_hash),
	TEST(test_para_hash),
	TEST(test_key_blob),
	TEST(test_prep_stage),
	TEST(test_signature_estimates_jaccard),
	TEST(test_densification),
	TEST(test_intersect_simd),
	TEST(test_banding_scurve),
	TEST(test_containment_truncated),
	TEST(test_groups_incremental_deterministic),
	TEST(test_original_rule),
	TEST(test_stock_paragraph_no_group),
	TEST(test_lookups_bounded),
	TEST(test_candidates_gathered),
	TEST(test_para_filter),
};

TH_MAIN("dedup", tests)
