/*
 * test_ner: the NER tagger's scorer, tags, tokenizer, features and
 * decoding (the model file: test_ner_model.c).
 *
 * Design note: everything here runs on hand-made cases and on small models
 * built in memory (ner_fixture.h), so it needs neither ../shared nor the
 * trained model.  The scorer cases were worked out by hand with the
 * conlleval chunk rules (IOB1 and IOB2 must agree).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/bytes.h"
#include "core/hash.h"
#include "entities/ner.h"
#include "entities/ner_feat.h"
#include "harness.h"

static void count(ner_counts *c, const char *gold, const char *pred)
{
	char g[512], p[512];
	const char *gs[64], *ps[64];
	size_t ng = 0, np = 0;
	snprintf(g, sizeof g, "%s", gold);
	snprintf(p, sizeof p, "%s", pred);
	char *save = NULL;
	for (char *t = strtok_r(g, " ", &save); t; t = strtok_r(NULL, " ", &save))
		gs[ng++] = t;
	for (char *t = strtok_r(p, " ", &save); t; t = strtok_r(NULL, " ", &save))
		ps[np++] = t;
	CHECK_INT(ng, np);
	ner_count_sentence(c, gs, ps, ng);
}

static void test_scorer_basic(void)
{
	ner_counts c;
	memset(&c, 0, sizeof c);
	count(&c, "B-PER I-PER O B-LOC", "B-PER I-PER O B-ORG");
	CHECK_INT(c.gold[0], 2);
	CHECK_INT(c.pred[0], 2);
	CHECK_INT(c.correct[0], 1);
	CHECK_INT(c.correct[1], 1);
	CHECK_INT(c.gold[2], 1);
	CHECK_INT(c.pred[3], 1);
	double p, r, f;
	ner_prf(&c, 0, &p, &r, &f);
	CHECK(p > 49.99 && p < 50.01);
	CHECK(f > 49.99 && f < 50.01);
	ner_prf(&c, 4, &p, &r, &f); /* no MISC at all */
	CHECK(f == 0);
}

static void test_scorer_iob1_equals_iob2(void)
{
	ner_counts a, b;
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	/* IOB1 gold, IOB2 prediction of the same chunks: all correct */
	count(&a, "I-ORG I-ORG O I-PER B-PER O I-MISC",
	      "B-ORG I-ORG O B-PER B-PER O B-MISC");
	CHECK_INT(a.gold[0], 4);
	CHECK_INT(a.correct[0], 4);
	/* a boundary error: one long chunk against two */
	count(&b, "B-PER B-PER", "B-PER I-PER");
	CHECK_INT(b.gold[0], 2);
	CHECK_INT(b.pred[0], 1);
	CHECK_INT(b.correct[0], 0);
}

static void test_scorer_edges(void)
{
	ner_counts c;
	memset(&c, 0, sizeof c);
	/* entity at the end of the sentence; a type switch mid-chunk */
	count(&c, "O B-LOC I-LOC", "O B-LOC I-LOC");
	count(&c, "B-ORG I-ORG", "B-ORG I-LOC");
	CHECK_INT(c.gold[0], 2);
	CHECK_INT(c.pred[0], 3);
	CHECK_INT(c.correct[0], 1);
	/* BILOU/IOBES strings are read the conlleval way too */
	ner_counts d;
	memset(&d, 0, sizeof d);
	count(&d, "B-PER I-PER O B-LOC", "B-PER E-PER O S-LOC");
	CHECK_INT(d.correct[0], 2);
	CHECK_INT(ner_type_of("PER", 3), 1);
	CHECK_INT(ner_type_of("FOO", 3), NER_NTYPES + 1);
}

static void test_tags(void)
{
	/* "Angela Merkel in Paris": PER PER O LOC */
	uint8_t types[] = {1, 1, 0, 2, 2, 2};
	uint8_t begins[] = {1, 0, 0, 1, 0, 1};
	uint8_t t[6], iob[6];
	ner_encode(NER_SCHEME_BILOU, types, begins, 6, t);
	CHECK(ner_tag_part(NER_SCHEME_BILOU, t[0]) == 'B');
	CHECK(ner_tag_part(NER_SCHEME_BILOU, t[1]) == 'L');
	CHECK(ner_tag_part(NER_SCHEME_BILOU, t[2]) == 'O');
	CHECK(ner_tag_part(NER_SCHEME_BILOU, t[3]) == 'B');
	CHECK(ner_tag_part(NER_SCHEME_BILOU, t[4]) == 'L');
	CHECK(ner_tag_part(NER_SCHEME_BILOU, t[5]) == 'U');
	CHECK_INT(ner_tag_type(NER_SCHEME_BILOU, t[5]), 2);
	ner_to_iob2(NER_SCHEME_BILOU, t, 6, iob);
	static const char *const want[] = {"B-PER", "I-PER", "O", "B-LOC",
					   "I-LOC", "B-LOC"};
	for (int i = 0; i < 6; i++)
		CHECK_STR(chr_ner_tag_name(iob[i]), want[i]);
	CHECK(!ner_tag_valid(NER_SCHEME_BILOU, t[0], 0));  /* B then O */
	CHECK(ner_tag_valid(NER_SCHEME_BILOU, t[0], t[1])); /* B then L */
	CHECK(!ner_tag_valid(NER_SCHEME_BIO, -1,
			     ner_tag_make(NER_SCHEME_BIO, 'I', 1)));
	CHECK(!ner_tag_final_ok(NER_SCHEME_BILOU, t[0]));
}

static void test_shape_lower(void)
{
	char out[NER_MAXWORD];
	size_t n = ner_shape("McDonald's", 10, out, 1);
	CHECK(n == 6 && memcmp(out, "XxXx'x", 6) == 0);
	n = ner_shape("1996-12-06", 10, out, 1);
	CHECK(n == 5 && memcmp(out, "d-d-d", 5) == 0);
	n = ner_shape("U.S.", 4, out, 0);
	CHECK(n == 4 && memcmp(out, "X.X.", 4) == 0);
	n = ner_lower("GERMANY", 7, out);
	CHECK(n == 7 && memcmp(out, "germany", 7) == 0);
	CHECK(ner_hash_word("a", 1) != ner_hash_word("b", 1));
	CHECK(ner_hash_word("a", 1) == ner_hash_word("a", 1));
}

static void test_tokenizer(void)
{
	const char *s = "Germany's U.S. envoy didn't pay $1,000.50 to Mr. "
			"Smith-Jones. He left.\n\nNew para";
	ner_span *sp;
	size_t n;
	CHECK(ner_tokenize(s, strlen(s), &sp, &n) == CHR_OK);
	static const char *const want[] = {
		"Germany", "'s", "U.S.", "envoy", "did", "n't", "pay", "$",
		"1,000.50", "to", "Mr.", "Smith-Jones", ".", "He", "left", ".",
		"New", "para"};
	CHECK_INT(n, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < n && i < sizeof want / sizeof want[0]; i++) {
		char tok[64];
		snprintf(tok, sizeof tok, "%.*s", (int)(sp[i].end - sp[i].start),
			 s + sp[i].start);
		CHECK_STR(tok, want[i]);
	}
	if (n == 18) {
		CHECK(sp[0].sent_start);
		CHECK(!sp[10].sent_start);
		CHECK(sp[13].sent_start); /* "He" after ". " */
		CHECK(sp[16].sent_start); /* after the blank line */
	}
	free(sp);
	CHECK(ner_tokenize("", 0, &sp, &n) == CHR_OK && n == 0);
	free(sp);
}

#include "ner_fixture.h"

/* 1 when token i has the same static rows in sentences a and b. */
static int same_rows(const ner_model *m, const char *const *a,
		     const char *const *b, size_t n, size_t i)
{
	ner_tok ta[16], tb[16];
	ner_work w1, w2;
	if (n > 16 || i >= n)
		return 0;
	memset(&w1, 0, sizeof w1);
	memset(&w2, 0, sizeof w2);
	toks_of(a, n, ta);
	toks_of(b, n, tb);
	int same = ner_static(m, ta, n, &w1) == CHR_OK &&
		   ner_static(m, tb, n, &w2) == CHR_OK &&
		   w1.nrows[i] == w2.nrows[i] &&
		   !memcmp(w1.rows + i * NER_NSTATIC, w2.rows + i * NER_NSTATIC,
			   w1.nrows[i] * sizeof *w1.rows);
	ner_work_free(&w1);
	ner_work_free(&w2);
	return same;
}

static void test_features(void)
{
	ner_model *m = tiny_model(12);
	const char *a[] = {"Angela", "Merkel", "visited", "Paris", "."};
	const char *b[] = {"Angela", "Merkel", "visited", "Lyon", "."};
	ner_tok ta[5], tb[5];
	toks_of(a, 5, ta);
	toks_of(b, 5, tb);
	ner_work w1, w2;
	memset(&w1, 0, sizeof w1);
	memset(&w2, 0, sizeof w2);
	CHECK(ner_static(m, ta, 5, &w1) == CHR_OK);
	CHECK(ner_static(m, tb, 5, &w2) == CHR_OK);
	for (size_t i = 0; i < 5; i++) {
		CHECK(w1.nrows[i] > 20 && w1.nrows[i] <= NER_NSTATIC);
		for (size_t k = 0; k < w1.nrows[i]; k++)
			CHECK(w1.rows[i * NER_NSTATIC + k] < (1u << 12));
	}
	/* token 0 sees only +-2 words: identical rows in both sentences */
	CHECK_INT(w1.nrows[0], w2.nrows[0]);
	CHECK(memcmp(w1.rows, w2.rows, w1.nrows[0] * sizeof *w1.rows) == 0);
	/* token 1 has "Paris"/"Lyon" two to the right: some rows differ */
	CHECK(memcmp(w1.rows + NER_NSTATIC, w2.rows + NER_NSTATIC,
		     w1.nrows[1] * sizeof *w1.rows) != 0);
	/* a run of capitalised words reaches past the +-2 window: "Bank"
	 * sees the run's last word four tokens away, through "of"; in
	 * lower case there is no run */
	const char *c[] = {"the", "Bank", "of", "New", "England", "Trust", "said"};
	const char *d[] = {"the", "Bank", "of", "New", "England", "Fund", "said"};
	const char *e[] = {"the", "bank", "of", "new", "england", "trust", "said"};
	const char *f[] = {"the", "bank", "of", "new", "england", "fund", "said"};
	CHECK(!same_rows(m, c, d, 7, 1));
	CHECK(same_rows(m, e, f, 7, 1));
	/* dynamic rows depend on the previous tag */
	uint32_t d1[NER_NDYN], d2[NER_NDYN];
	size_t n1 = ner_dynamic(m, &w1, 1, 0, -1, d1);
	size_t n2 = ner_dynamic(m, &w1, 1, 1, -1, d2);
	CHECK(n1 > 0 && n1 <= NER_NDYN && n1 == n2);
	CHECK(d1[0] != d2[0]);
	uint8_t tags[5];
	CHECK(ner_tag_doc(m, ta, 5, &w1, tags) == CHR_OK);
	for (int i = 0; i < 5; i++)
		CHECK(tags[i] < 17);
	CHECK(ner_tag_final_ok(NER_SCHEME_BILOU, tags[4]));
	ner_work_free(&w1);
	ner_work_free(&w2);
	ner_model_free(m);
}

/* A work area remembers the hashes (and rows) of the words it has seen:
 * rows from a fresh one equal rows from one whose memo was filled (and
 * its entries overwritten) by thousands of other words, and a second
 * pass over the same words (all hits) gives them again, also when a
 * model with another table size used the memo in between. */
static void test_word_memo(void)
{
	ner_model *m = tiny_model(14);
	const char *a[] = {"Reuters", "said", "Angela", "Merkel", "met",
			   "the", "Bank", "of", "England", "in", "Berlin-based",
			   "talks", "on", "MONDAY", ",", "U.S.", "officials",
			   "said", "."};
	size_t n = sizeof a / sizeof *a;
	ner_tok ta[32];
	toks_of(a, n, ta);
	static char buf[6000][16];
	static ner_tok many[6000];
	for (int i = 0; i < 6000; i++) {
		snprintf(buf[i], sizeof buf[i], "%c%dwx", i % 2 ? 'Q' : 'q', i);
		many[i] = (ner_tok){buf[i], (uint32_t)strlen(buf[i]), (uint8_t)(i % 20 == 0)};
	}
	ner_work cold, cold2, warm;
	memset(&cold, 0, sizeof cold);
	memset(&cold2, 0, sizeof cold2);
	memset(&warm, 0, sizeof warm);
	ner_model *m2 = tiny_model(12);
	CHECK(ner_static(m, ta, n, &cold) == CHR_OK);
	CHECK(ner_static(m2, ta, n, &cold2) == CHR_OK);
	CHECK(ner_static(m, many, 6000, &warm) == CHR_OK);
	/* the memo keeps rows too: a model with a smaller table (pass 2)
	 * gets its own rows from it, then the first model its own again */
	for (int pass = 0; pass < 4; pass++) {
		const ner_work *c = pass == 2 ? &cold2 : &cold;
		CHECK(ner_static(pass == 2 ? m2 : m, ta, n, &warm) == CHR_OK);
		for (size_t i = 0; i < n; i++) {
			CHECK_INT(warm.nrows[i], c->nrows[i]);
			CHECK(!memcmp(warm.rows + i * NER_NSTATIC,
				      c->rows + i * NER_NSTATIC,
				      c->nrows[i] * sizeof *c->rows));
			CHECK(warm.hlow[i] == c->hlow[i] &&
			      warm.cls[i] == c->cls[i]);
		}
	}
	ner_work_free(&cold);
	ner_work_free(&cold2);
	ner_work_free(&warm);
	ner_model_free(m);
	ner_model_free(m2);
}

/* Token i's word slot, flags and rows in w equal those in f. */
static int same_doc(const ner_work *w, const ner_work *f, size_t n)
{
	int bad = w->nslots != f->nslots;
	for (size_t i = 0; i < n; i++) {
		bad += w->slot[i] != f->slot[i] ||
		       w->dflag[w->slot[i]] != f->dflag[f->slot[i]] ||
		       w->nrows[i] != f->nrows[i];
		bad += !bad && memcmp(w->rows + i * NER_NSTATIC,
				      f->rows + i * NER_NSTATIC,
				      f->nrows[i] * sizeof *f->rows) != 0;
	}
	return bad;
}

/* A work area's slot table is not cleared between documents: an entry
 * is in use only while its gen is the document's (ner_work.sgen).  A
 * document's slots (one per lower-case word, numbered in order of
 * first use), document flags and rows are those of a fresh work area
 * after a larger document and a smaller one left their entries in the
 * table, and when the gen wraps (fails when an old entry is taken for
 * a word of the new document). */
static void test_doc_slots(void)
{
	ner_model *m = tiny_model(12);
	const char *a[] = {"The", "Bank", "said", "the", "bank", "of",
			   "England", "said", "BANK", "."};
	const char *b[] = {"England", "said", "the", "Bank", ".", "of",
			   "Paris", "the"};
	size_t na = sizeof a / sizeof *a, nb = sizeof b / sizeof *b;
	ner_tok ta[16], tb[16];
	toks_of(a, na, ta);
	toks_of(b, nb, tb);
	static char buf[600][16];
	static ner_tok big[600];
	for (int i = 0; i < 600; i++) {
		snprintf(buf[i], sizeof buf[i], "%s%d", i % 3 ? "w" : "W", i / 2);
		big[i] = (ner_tok){buf[i], (uint32_t)strlen(buf[i]),
				   (uint8_t)(i % 25 == 0)};
	}
	ner_work f, w;
	memset(&f, 0, sizeof f);
	memset(&w, 0, sizeof w);
	CHECK(ner_static(m, tb, nb, &f) == CHR_OK);
	/* the fresh slots: the same for the same lower-case word only,
	 * new ones numbered in turn */
	uint32_t next = 0;
	for (size_t i = 0; i < nb; i++) {
		for (size_t j = 0; j < i; j++)
			CHECK((f.slot[i] == f.slot[j]) == (f.hlow[i] == f.hlow[j]));
		if (f.slot[i] == next)
			next++;
		CHECK(f.slot[i] < next);
	}
	CHECK_INT(f.nslots, next);
	CHECK_INT(next, 7);
	CHECK(ner_static(m, big, 600, &w) == CHR_OK);
	CHECK_INT(w.nslots, 300);
	CHECK(ner_static(m, ta, na, &w) == CHR_OK);
	CHECK(ner_static(m, tb, nb, &w) == CHR_OK);
	CHECK_INT(same_doc(&w, &f, nb), 0);
	w.sgen = UINT32_MAX; /* the next document wraps the gen */
	CHECK(ner_static(m, tb, nb, &w) == CHR_OK);
	CHECK_INT(w.sgen, 1);
	CHECK_INT(same_doc(&w, &f, nb), 0);
	CHECK(ner_static(m, ta, na, &w) == CHR_OK);
	CHECK(ner_static(m, tb, nb, &w) == CHR_OK);
	CHECK_INT(same_doc(&w, &f, nb), 0);
	ner_work_free(&f);
	ner_work_free(&w);
	ner_model_free(m);
}

/* The memo keeps NER_MEMO_WAYS words of one set (six words whose
 * hashes pick the same set): after four, all four are there; a fifth
 * replaces the one used least lately (not the first made); and each
 * token gets its own word's hashes and rows whichever way holds them
 * (fails with one entry a set, with another replacement, or when a
 * way's word is not checked). */
static void test_memo_ways(void)
{
	ner_model *m = tiny_model(14);
	static char buf[6][16];
	ner_tok t[6];
	uint64_t key[6];
	int nw = 0;
	for (int i = 0; nw < 6 && i < 10000000; i++) {
		snprintf(buf[nw], sizeof buf[nw], "Zq%d", i);
		uint64_t k = ner_memo_key(buf[nw], strlen(buf[nw]));
		if (nw && (k & (NER_MEMO_SETS - 1)) != (key[0] & (NER_MEMO_SETS - 1)))
			continue;
		key[nw] = k;
		t[nw] = (ner_tok){buf[nw], (uint32_t)strlen(buf[nw]), 1};
		nw++;
	}
	CHECK_INT(nw, 6);
	_Static_assert(NER_MEMO_WAYS == 4, "four words fill a set");
	ner_work w;
	memset(&w, 0, sizeof w);
	struct ner_wmemo_ent *e;
	CHECK(ner_static(m, t, 4, &w) == CHR_OK); /* words 0..3 */
	/* the memo starts on a cache line (its sets and entries fill
	 * whole lines) inside its own allocation */
	CHECK(w.memo != NULL && ((uintptr_t)w.memo & 63) == 0);
	CHECK((char *)w.memo >= (char *)w.memo_mem &&
	      (char *)w.memo < (char *)w.memo_mem + 64);
	for (int k = 3; k >= 0; k--) /* all there; now used 3, 2, 1, 0 */
		CHECK(ner_memo_way(w.memo, t[k].s, t[k].len, key[k], &e) <
		      NER_MEMO_WAYS);
	CHECK(ner_static(m, t + 4, 1, &w) == CHR_OK); /* 4 replaces 3 */
	CHECK(ner_memo_way(w.memo, t[3].s, t[3].len, key[3], &e) >=
	      NER_MEMO_WAYS);
	for (int k = 0; k < 5; k++)
		CHECK(k == 3 || ner_memo_way(w.memo, t[k].s, t[k].len, key[k],
					     &e) < NER_MEMO_WAYS);
	/* a document of the six in turn: each its own hashes and rows */
	ner_tok d[24];
	for (int i = 0; i < 24; i++)
		d[i] = t[(i * 5 + i / 6) % 6];
	CHECK(ner_static(m, d, 24, &w) == CHR_OK);
	for (int i = 0; i < 24; i++) {
		ner_work one;
		memset(&one, 0, sizeof one);
		CHECK(ner_static(m, d + i, 1, &one) == CHR_OK);
		CHECK(w.wh[i].word == one.wh[0].word &&
		      w.wh[i].low == one.wh[0].low &&
		      w.wh[i].shape == one.wh[0].shape);
		CHECK(!memcmp(w.wh[i].row, one.wh[0].row, sizeof one.wh[0].row));
		ner_work_free(&one);
	}
	ner_work_free(&w);
	ner_model_free(m);
}

/* A word's shape hashes (ner_static's hshape, and its long-shape row)
 * are those of ner_shape's short and long shapes: runs of one class,
 * UTF-8 continuation bytes, and words of 64 bytes and more, where the
 * long shape is cut (fails when the short shape is made from a cut long
 * one, or runs are not joined across skipped bytes). */
static void test_word_shapes(void)
{
	ner_model *m = tiny_model(14);
	static char big[2][100];
	memset(big[0], 'a', 99);
	big[0][0] = 'B';
	for (int i = 0; i < 99; i++)
		big[1][i] = "aB1-"[(i / 3) % 4];
	const char *a[] = {"McDonald's", "1996-12-06", "U.S.", "AAAAbbb",
			   "Zo\xc3\xab-Lee", "x", "--", "\xc3\xa9t\xc3\xa9",
			   big[0], big[1], big[1] + 30, big[0] + 40};
	size_t n = sizeof a / sizeof *a, lens[16];
	ner_tok t[16];
	for (size_t i = 0; i < n; i++) {
		lens[i] = strlen(a[i]);
		t[i] = (ner_tok){a[i], (uint32_t)lens[i], (uint8_t)(i == 0)};
	}
	ner_work w;
	memset(&w, 0, sizeof w);
	CHECK(ner_static(m, t, n, &w) == CHR_OK);
	int bad = 0;
	for (size_t i = 0; i < n; i++) {
		char sh[NER_MAXWORD];
		size_t k = ner_shape(a[i], lens[i], sh, 1);
		bad += w.hshape[i] != ner_hash_word(sh, k);
		k = ner_shape(a[i], lens[i], sh, 0);
		bad += w.wh[i].row[3] !=
		       ner_row(m->row_bits, T_SHAPEL, ner_hash_word(sh, k));
	}
	CHECK_INT(bad, 0);
	CHECK(lens[8] == 99 && lens[11] == 59);
	ner_work_free(&w);
	ner_model_free(m);
}

/* The memo key reads every byte of a word and no other (a word at the
 * end of a block of its own size, for the sanitizers): the same key
 * wherever the bytes are, another when any one byte changes, at every
 * length the memo keeps (fails when a byte is skipped); and
 * bytes_same (core/bytes.h, the memo's compare) finds the same bytes elsewhere
 * and not a word with any one byte changed. */
static void test_memo_key(void)
{
	char buf[64];
	int bad = 0;
	for (size_t len = 1; len < 24; len++) {
		char *own = malloc(len);
		for (size_t i = 0; i < len; i++)
			buf[i + 7] = own[i] = (char)('a' + (i * 7 + len) % 26);
		uint64_t k = ner_memo_key(own, len);
		bad += ner_memo_key(buf + 7, len) != k;
		bad += !bytes_same(buf + 7, own, len);
		for (size_t i = 0; i < len; i++) {
			own[i] ^= 0x20;
			bad += ner_memo_key(own, len) == k;
			bad += bytes_same(buf + 7, own, len);
			own[i] ^= 0x20;
		}
		free(own);
	}
	CHECK_INT(bad, 0);
}

/* ner_hash_word (XXH3 compiled into ner_lex.c) is the library's XXH3
 * with the model seed, 0 mapped to 1, at every length class XXH3 has
 * (0, 1-3, 4-8, 9-16, 17-128, 129-240, longer). */
static void test_word_hash(void)
{
	char buf[600];
	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = (char)(' ' + (i * 7919 + i / 13) % 95);
	int bad = 0;
	for (size_t n = 0; n <= 300; n++)
		for (size_t off = 0; off < 3; off++) {
			uint64_t h = hash_stable(buf + off, n, 0x6e65722d63687231ull);
			bad += ner_hash_word(buf + off, n) != (h ? h : 1);
		}
	for (size_t n = 301; n <= sizeof buf; n += 37) {
		uint64_t h = hash_stable(buf, n, 0x6e65722d63687231ull);
		bad += ner_hash_word(buf, n) != (h ? h : 1);
	}
	CHECK_INT(bad, 0);
}

/* The rows a token takes from its neighbours' memo entries (lower case
 * one and two words away, shapes one away), the sentence ends' rows in
 * their place, and the lower case with the sentence kind (remembered
 * for plain sentences), against their templates' hashed rows (T_LOWM1
 * 4 .. T_LOWP2 7, T_SHAPEM1 10, T_SHAPEP1 11, T_LOW_CAPS 30), from a
 * cold and a warm memo at two table sizes (fails on a row of the wrong
 * neighbour or size). */
static void test_neighbour_rows(void)
{
	ner_model *ms[2] = {tiny_model(14), tiny_model(12)};
	const char *a[] = {"Reuters", "said", "Merkel", "met", "IBM", ".",
			   "MERKEL", "MEETS", "PUTIN", ".", "Talks", "end"};
	enum { N = sizeof a / sizeof *a };
	ner_tok t[N];
	toks_of(a, N, t);
	t[6].sent_start = t[10].sent_start = 1;
	ner_work w;
	memset(&w, 0, sizeof w);
	int bad = 0;
	for (int pass = 0; pass < 4; pass++) {
		const ner_model *m = ms[pass & 1];
		uint32_t bits = m->row_bits;
		CHECK(ner_static(m, t, N, &w) == CHR_OK);
		for (size_t i = 0; i < N; i++) {
			const uint32_t *r = w.rows + i * NER_NSTATIC;
			int st = t[i].sent_start, en = i + 1 == N || t[i + 1].sent_start;
			int st1 = st || t[i - 1].sent_start;
			int en1 = en || i + 2 == N || t[i + 2].sent_start;
			bad += r[3] != ner_row(bits, 4, st ? 11 : w.hlow[i - 1]);
			bad += r[4] != ner_row(bits, 5, en ? 13 : w.hlow[i + 1]);
			bad += r[5] != ner_row(bits, 6, st1 ? 17 : w.hlow[i - 2]);
			bad += r[6] != ner_row(bits, 7, en1 ? 19 : w.hlow[i + 2]);
			bad += r[9] != ner_row(bits, 10, st ? 11 : w.hshape[i - 1]);
			bad += r[10] != ner_row(bits, 11, en ? 13 : w.hshape[i + 1]);
			size_t len = t[i].len < 4 ? t[i].len : 4;
			uint64_t caps = i >= 6 && i < 10; /* the headline */
			bad += r[15 + 2 * len] != ner_row(bits, 30, w.hlow[i] * 3 + caps);
		}
	}
	CHECK_INT(bad, 0);
	ner_work_free(&w);
	ner_model_free(ms[0]);
	ner_model_free(ms[1]);
}

/* 1 when token i of w has row r among its static rows. */
static int has_row(const ner_work *w, size_t i, uint32_t r)
{
	for (size_t k = 0; k < w->nrows[i]; k++)
		if (w->rows[i * NER_NSTATIC + k] == r)
			return 1;
	return 0;
}

/* A run of capitalised words goes on over each connector ("Bank of
 * England": a run of 3, "Bank" its first word) and stops at words that
 * only look like one (T_RUNLEN is template 52; fails on a connector
 * matched by its first bytes or missed). */
static void test_connector_runs(void)
{
	ner_model *m = tiny_model(12);
	const char *yes[] = {"of", "and", "&", "for", "'s", "de", "du", "la",
			     "van", "von", "der", "al", "y"};
	const char *no[] = {"off", "o", "an", "&&", "fo", "'", "ye", "vans",
			    "y.", "dei", "a"};
	ner_work w;
	memset(&w, 0, sizeof w);
	for (int pass = 0; pass < 2; pass++) {
		size_t nw = pass ? sizeof no / sizeof *no : sizeof yes / sizeof *yes;
		for (size_t j = 0; j < nw; j++) {
			const char *a[] = {"Bank", pass ? no[j] : yes[j], "England",
					   "said", "."};
			ner_tok t[5];
			toks_of(a, 5, t);
			CHECK(ner_static(m, t, 5, &w) == CHR_OK);
			/* len 3, first word (1); or a run of 1 on its own (4) */
			CHECK(has_row(&w, 0, ner_row(12, 52, pass ? 16 + 4 : 3 * 16 + 1)));
		}
	}
	ner_work_free(&w);
	ner_model_free(m);
}

/* A word with a hyphen inside gets its hyphen rows (T_HYSUF is
 * template 42, the hash of its lower-cased last part), from a cold and
 * a warm memo and past the memo's word length; a hyphen at either end
 * makes none (fails when the memo's hyphen flag is wrong). */
static void test_hyphen_rows(void)
{
	ner_model *m = tiny_model(12);
	const char *a[] = {"Berlin-based", "x-Y", "-ab", "ab-", "-",
			   "Ontario-based-longer-word-HERE", "."};
	const char *last[] = {"based", "y", NULL, NULL, NULL, "here", NULL};
	enum { N = sizeof a / sizeof *a };
	ner_tok t[N];
	toks_of(a, N, t);
	ner_work w;
	memset(&w, 0, sizeof w);
	for (int pass = 0; pass < 2; pass++) {
		CHECK(ner_static(m, t, N, &w) == CHR_OK);
		for (size_t i = 0; i < N; i++) {
			int any = 0;
			for (size_t k = 0; k < w.nrows[i]; k++)
				for (size_t j = 0; j < N; j++)
					if (last[j] && w.rows[i * NER_NSTATIC + k] ==
						ner_row(12, 42, ner_hash_word(last[j], strlen(last[j]))))
						any = 1;
			CHECK_INT(any, last[i] != NULL);
		}
	}
	ner_work_free(&w);
	ner_model_free(m);
}

/* Static rows of t[0, n) in a fresh work area equal those in w. */
static int cmp_u32(const void *a, const void *b);

/* Token i of t[nt]'s static rows, sorted, with the rows left out when
 * w's rows are split (a loaded model: test_ner_split.c); the count. */
static size_t all_rows(const ner_model *m, ner_work *w, const ner_tok *t,
		       size_t nt, size_t i, uint32_t *out)
{
	size_t n = w->nrows[i];
	memcpy(out, w->rows + i * NER_NSTATIC, n * sizeof *out);
	if (w->sserial)
		n += split_rows(m, w, t, nt, i, out + n);
	qsort(out, n, sizeof *out, cmp_u32);
	return n;
}

static int rows_as_fresh(const ner_model *m, const ner_tok *t, size_t n,
			 const ner_model *wm, ner_work *w)
{
	ner_work f;
	memset(&f, 0, sizeof f);
	int same = ner_static(m, t, n, &f) == CHR_OK;
	for (size_t i = 0; same && i < n; i++) {
		uint32_t a[NER_NSTATIC + SPLIT_ROWS], b[NER_NSTATIC + SPLIT_ROWS];
		size_t na = all_rows(m, &f, t, n, i, a);
		same = na == all_rows(wm, w, t, n, i, b) &&
		       !memcmp(a, b, na * sizeof *a);
	}
	ner_work_free(&f);
	return same;
}

/* A word's memo entry keeps its clusters and gazetteer lists for the
 * loaded model it looked them up in (by serial number): the trained
 * model, then copies of it without lexicon and gazetteer (hand-made,
 * serial 0, and as if loaded, another serial) and a hand-made copy
 * with them get their own rows from a warm memo (fails when lookups
 * made for another model, or for any hand-made one, are used).  Rows
 * are compared as sorted sets with the word rows (all_rows), since a
 * loaded model's rows are split and a hand-made one's are not. */
static void test_lookup_memo(void)
{
	chr_ner *cm = NULL;
	if (chr_ner_load(NULL, &cm) != CHR_OK)
		SKIP("models/ner.bin not found");
	const ner_model *m = (const ner_model *)cm;
	CHECK(m->serial != 0);
	ner_model bare = *m, other = *m, full = *m;
	bare.lex = other.lex = NULL;
	bare.gaz = other.gaz = NULL;
	bare.map = other.map = full.map = NULL;
	bare.serial = full.serial = 0; /* hand-made: full has the tables */
	other.serial = m->serial + 1000;
	const char *a[] = {"Officials", "of", "the", "Bank", "of", "England",
			   "met", "in", "New", "York", "and", "Paris", "."};
	enum { N = sizeof a / sizeof *a };
	ner_tok t[N];
	toks_of(a, N, t);
	ner_work w;
	memset(&w, 0, sizeof w);
	/* each against a fresh work area and a loaded model with the same
	 * tables (a hand-made model's lookups are never kept) */
	const ner_model *seq[] = {m, &bare, &full, &bare, m, &other, m, m};
	const ner_model *ref[] = {m, &other, m, &other, m, &other, m, m};
	for (size_t k = 0; k < sizeof seq / sizeof *seq; k++) {
		CHECK(ner_static(seq[k], t, N, &w) == CHR_OK);
		CHECK(rows_as_fresh(ref[k], t, N, seq[k], &w));
	}
	/* the lookups matter here: the bare copy's rows differ */
	ner_work f;
	memset(&f, 0, sizeof f);
	CHECK(ner_static(&bare, t, N, &f) == CHR_OK);
	CHECK(!rows_as_fresh(m, t, N, &bare, &f));
	ner_work_free(&f);
	ner_work_free(&w);
	chr_ner_free(cm);
}

/* Gazetteer positions are not cleared between documents (a list's
 * bytes count only where the token's mask has the list): with the
 * trained model, a document's static rows are the same in a fresh work
 * area and in one that has just held longer matches at the same places
 * (fails when stale match lengths are read). */
static void test_gaz_reuse(void)
{
	chr_ner *cm = NULL;
	if (chr_ner_load(NULL, &cm) != CHR_OK)
		SKIP("models/ner.bin not found");
	const ner_model *m = (const ner_model *)cm;
	const char *a[] = {"the", "Bank", "of", "England", "and", "the", "New",
			   "York", "Stock", "Exchange", "in", "Kuala", "Lumpur",
			   "."};
	const char *b[] = {"the", "England", "England", "York", "of", "the",
			   "York", "Lumpur", "Exchange", "Stock", "in", "Lumpur",
			   "England", "."};
	enum { N = sizeof a / sizeof *a };
	ner_tok ta[N], tb[N];
	toks_of(a, N, ta);
	toks_of(b, N, tb);
	ner_work fresh, used;
	memset(&fresh, 0, sizeof fresh);
	memset(&used, 0, sizeof used);
	CHECK(ner_static(m, tb, N, &fresh) == CHR_OK);
	CHECK(ner_static(m, ta, N, &used) == CHR_OK);
	CHECK(ner_static(m, tb, N, &used) == CHR_OK);
	int bad = 0;
	for (size_t i = 0; i < N; i++)
		bad += fresh.nrows[i] != used.nrows[i] ||
		       memcmp(fresh.rows + i * NER_NSTATIC, used.rows + i * NER_NSTATIC,
			      fresh.nrows[i] * sizeof *fresh.rows);
	CHECK_INT(bad, 0);
	ner_work_free(&fresh);
	ner_work_free(&used);
	chr_ner_free(cm);
}

/* ner_prefetch_token skips the rows of small values at the places
 * ner_feat.h says ner_static puts them: for words of 1 to 9 bytes, a
 * hyphen and sentence ends, in a table of 2^22 rows, every skipped row
 * is a row of the work area's small-value table, the word, shape and
 * affix rows before them are not, and the rows just after them are
 * the class trigram and the cluster bigrams (fails when a row moves). */
static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static void test_prefetch_skip(void)
{
	ner_model *m = tiny_model(22);
	const char *a[] = {"A", "Bank", "of", "New", "York-based", "firm",
			   "said", "its", "profits", "rose", "by", "5", "pct",
			   "."};
	enum { N = sizeof a / sizeof *a };
	ner_tok t[N];
	toks_of(a, N, t);
	t[7].sent_start = 1;
	ner_work w;
	memset(&w, 0, sizeof w);
	CHECK(ner_static(m, t, N, &w) == CHR_OK);
	uint32_t bits = m->row_bits;
	uint32_t *rt = malloc(sizeof w.rt->r);
	memcpy(rt, w.rt->r, sizeof w.rt->r);
	qsort(rt, RT_N, sizeof *rt, cmp_u32);
	int bad = 0, inrt = 0;
	for (size_t i = 0; i < N; i++) {
		const uint32_t *r = &w.rows[i * NER_NSTATIC];
		const ner_wordh *h = &w.wh[i];
		size_t kc = SR_CLS(h->naff);
		CHECK_INT(h->naff, t[i].len < 4 ? t[i].len : 4);
		CHECK(kc + SR_TAIL <= w.nrows[i]);
		size_t skip[] = {0, kc, kc + 1, kc + SR_CLUSR, kc + SR_CLUSR + 1,
				 kc + SR_CLUSR + 2};
		for (size_t k = 0; k < sizeof skip / sizeof *skip; k++)
			bad += !bsearch(&r[skip[k]], rt, RT_N, sizeof *rt, cmp_u32);
		for (size_t k = kc + SR_CLUS; k < kc + SR_CLUS + SR_NCLUS; k++)
			bad += !bsearch(&r[k], rt, RT_N, sizeof *rt, cmp_u32);
		/* the prefetched word rows are hashed, not the table's (the
		 * neighbours' rows 3-6, 9, 10 are the table's at the ends) */
		for (size_t k = 1; k < kc; k++)
			if (k < 3 || (k > 6 && k < 9) || k > 10)
				inrt += bsearch(&r[k], rt, RT_N, sizeof *rt, cmp_u32) != NULL;
		CHECK(r[1] == h->row[0] && r[2] == h->row[1]);
		int start = t[i].sent_start, end = i + 1 == N || t[i + 1].sent_start;
		uint32_t cm1 = start ? CLS_NONE : w.cls[i - 1];
		uint32_t cp1 = end ? CLS_NONE : w.cls[i + 1];
		CHECK(r[kc + SR_CLUS] ==
		      ner_row(bits, T_CLS3, cm1 * 64 + w.cls[i] * 8u + cp1));
		CHECK(r[kc + SR_CLBI] ==
		      ner_row(bits, T_CLBIL, (start ? 1024u : 0u) * 2048));
		CHECK(r[kc + SR_CLBI + 1] ==
		      ner_row(bits, T_CLBIR, end ? 1025u : 0u));
		CHECK(r[kc + SR_LOW + 1] ==
		      ner_row(bits, T_BIL, (start ? 11 : w.hlow[i - 1]) * 7 + w.hlow[i]));
	}
	CHECK_INT(bad, 0);
	CHECK(inrt < 3); /* with 27k of 4M rows, a chance collision at most */
	free(rt);
	ner_work_free(&w);
	ner_model_free(m);
}

/* The table of small-value rows (ner_feat.c) holds ner_row's rows for
 * its work area's table size, is remade when the size changes, and the
 * dynamic rows taken from it (and from the word's memo entry after a
 * tag O) are the hashed rows of their templates (T_BIAS 1, T_PREV 64,
 * T_PREV2 65, T_PREV_LOW 66, T_PREV_SHAPE 67, T_HIST_CLS 69, T_PREV_CLS
 * 70), also for a model whose size the table is not made for (fails on
 * a stale or mislaid row). */
static void test_row_table(void)
{
	ner_model *m = tiny_model(14), *m2 = tiny_model(12);
	const char *a[] = {"Reuters", "said", "Merkel", "met", "IBM", "."};
	ner_tok t[6];
	toks_of(a, 6, t);
	ner_work w;
	memset(&w, 0, sizeof w);
	CHECK_INT(ner_rowtab_check(&w, 12), 0);
	CHECK_INT(ner_rowtab_check(&w, 14), 0);
	uint16_t h0[NER_NTYPES + 1] = {0};
	for (int pass = 0; pass < 3; pass++) {
		/* pass 2: the table is made for m2, the rows asked for m */
		const ner_model *mm = pass == 1 ? m2 : m;
		uint32_t bits = mm->row_bits;
		const ner_model *ms = pass == 2 ? m2 : mm;
		CHECK(ner_static(ms, t, 6, &w) == CHR_OK);
		CHECK(w.rows[0] == ner_row(ms->row_bits, 1, 0));
		for (int p = -1; p < 17; p++) {
			for (int p2 = -1; p2 < 17; p2++)
				CHECK(ner_dyn_prev2(mm, &w, p, p2) ==
				      ner_row(bits, 65, (uint64_t)(p2 + 1) * 32 +
							(uint64_t)(p + 1)));
			uint32_t r[NER_NDYN];
			CHECK_INT(ner_dyn_prev(mm, &w, 2, p, r), 4);
			CHECK(r[0] == ner_row(bits, 64, (uint64_t)(p + 1)));
			/* T_PREV_LOW 66, T_PREV_SHAPE 67 (the word's own after O) */
			CHECK(r[1] == ner_row(bits, 66, w.hlow[2] * 32 + (uint64_t)(p + 1)));
			CHECK(r[2] == ner_row(bits, 67, w.hshape[2] * 32 + (uint64_t)(p + 1)));
			CHECK(r[3] == ner_row(bits, 70, (uint64_t)w.cls[2] * 32 +
							      (uint64_t)(p + 1)));
		}
		uint32_t r[NER_NDYN];
		CHECK_INT(ner_dyn_hist(mm, &w, 2, h0, r), 1);
		CHECK(r[0] == ner_row(bits, 69, 99));
	}
	ner_work_free(&w);
	ner_model_free(m);
	ner_model_free(m2);
}

/* Score of a tag path over one sentence decoded from an empty history. */
static float path_score(const ner_model *m, ner_work *w, const ner_tok *t,
			size_t n, const uint8_t *tags)
{
	float tot = 0;
	uint32_t dyn[NER_NDYN];
	ner_hist_reset(w);
	for (size_t i = 0; i < n; i++) {
		float sc[NER_MAXTAGS] = {0};
		ner_score_rows(m, &w->rows[i * NER_NSTATIC], w->nrows[i], sc);
		size_t nd = ner_path_dynamic(m, w, t, 0, i, tags, -1, -1, dyn);
		ner_score_rows(m, dyn, nd, sc);
		tot += sc[tags[i]];
	}
	return tot;
}

/* 1 when every tag may follow the previous one and sentences end well. */
static int tags_valid(const ner_tok *t, size_t n, const uint8_t *tags)
{
	for (size_t i = 0; i < n; i++) {
		int prev = t[i].sent_start ? -1 : tags[i - 1];
		if (!ner_tag_valid(NER_SCHEME_BILOU, prev, tags[i]))
			return 0;
		if ((i + 1 == n || t[i + 1].sent_start) &&
		    !ner_tag_final_ok(NER_SCHEME_BILOU, tags[i]))
			return 0;
	}
	return 1;
}

/* Beam 1 is the greedy decoder; a wider beam finds a path that scores
 * at least as well, with allowed tags, also across the cut of a
 * sentence longer than NER_BEAM_SPAN. */
static void test_beam(void)
{
	ner_model *m = tiny_model(12);
	static const char *const words[] = {
		"Angela", "Merkel", "visited", "Paris", "and", "the",
		"Bank", "of", "England", "with", "Real", "Madrid", "on",
		"Monday", "in", "New", "York", "Merkel", "said", "Paris"};
	enum { N = 20, LONG = 3 * NER_BEAM_SPAN + 5 };
	ner_tok t[LONG];
	for (size_t i = 0; i < LONG; i++)
		t[i] = (ner_tok){words[i % N], (uint32_t)strlen(words[i % N]),
				 (uint8_t)(i == 0 || i == N)};
	ner_work w;
	memset(&w, 0, sizeof w);
	uint8_t g[LONG], b1[LONG], b8[LONG];
	CHECK(ner_static(m, t, N, &w) == CHR_OK);
	ner_decode(m, 1, t, N, &w, g);
	ner_hist_reset(&w);
	ner_decode_beam(m, 1, t, N, &w, b1, 1);
	CHECK(memcmp(g, b1, N) == 0);
	ner_hist_reset(&w);
	ner_decode_beam(m, 1, t, N, &w, b8, NER_BEAM_MAX);
	CHECK(tags_valid(t, N, b8));
	float sg = path_score(m, &w, t, N, g), s8 = path_score(m, &w, t, N, b8);
	CHECK(s8 >= sg);
	CHECK(memcmp(g, b8, N) != 0); /* the random weights make it differ */
	/* a second sentence longer than the span: all of it tagged */
	CHECK(ner_static(m, t, LONG, &w) == CHR_OK);
	memset(b8, 0xff, sizeof b8);
	ner_decode_beam(m, 1, t, LONG, &w, b8, 4);
	CHECK(tags_valid(t, LONG, b8));
	CHECK(ner_beam_seg_end(t, LONG, 0) == N);
	CHECK(ner_beam_seg_end(t, LONG, N) == N + NER_BEAM_SPAN);
	/* short sentences share a segment while they fit in the span */
	for (size_t i = 0; i < LONG; i++)
		t[i].sent_start = i % 10 == 0;
	CHECK(ner_beam_seg_end(t, LONG, 0) == 60);
	CHECK(ner_beam_seg_end(t, LONG, 60) == 120);
	CHECK(ner_static(m, t, LONG, &w) == CHR_OK);
	ner_decode_beam(m, 1, t, LONG, &w, b8, 4);
	CHECK(tags_valid(t, LONG, b8));
	for (size_t i = 0; i < LONG; i++)
		t[i].sent_start = i == 0 || i == N;
	CHECK(ner_static(m, t, LONG, &w) == CHR_OK);
	ner_decode_beam(m, 1, t, LONG, &w, b8, 4);
	/* the model's own width is used, and saved with it */
	m->beam = 4;
	uint8_t a[LONG];
	CHECK(ner_tag_doc(m, t, LONG, &w, a) == CHR_OK);
	CHECK(memcmp(a, b8, LONG) == 0);
	ner_work_free(&w);
	ner_model_free(m);
}

static const th_test tests[] = {
	TEST(test_scorer_basic),    TEST(test_scorer_iob1_equals_iob2),
	TEST(test_scorer_edges),    TEST(test_tags),
	TEST(test_shape_lower),     TEST(test_tokenizer),
	TEST(test_features),        TEST(test_word_memo),
	TEST(test_doc_slots),
	TEST(test_memo_ways),       TEST(test_memo_key),
	TEST(test_word_shapes),
	TEST(test_row_table), TEST(test_prefetch_skip),      TEST(test_word_hash),
	TEST(test_neighbour_rows),  TEST(test_connector_runs),
	TEST(test_gaz_reuse),      TEST(test_hyphen_rows),
	TEST(test_lookup_memo),
	TEST(test_beam),
};

TH_MAIN("test_ner", tests)
