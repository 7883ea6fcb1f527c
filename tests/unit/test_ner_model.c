/*
 * test_ner_model: the NER model file: writing and reading it back, the
 * two-stage format, refusing corrupt files, and tagging with the
 * committed models/ner.bin when it is there (split from test_ner.c).
 *
 * Design note: models are built in memory (ner_fixture.h) and written to
 * a temporary folder, so the file format is checked without ../shared.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "entities/ner.h"
#include "harness.h"
#include "ner_fixture.h"

static const char *tmp_path(const char *name)
{
	static char p[256];
	snprintf(p, sizeof p, "/tmp/chr_test_ner_%d_%s", (int)getpid(), name);
	return p;
}

static unsigned char *read_all(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	unsigned char *p = malloc((size_t)len);
	*n = fread(p, 1, (size_t)len, f);
	fclose(f);
	return p;
}

static void write_all(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	fwrite(p, 1, n, f);
	fclose(f);
}

static void test_model_roundtrip(void)
{
	ner_model *m = tiny_model(10);
	const char *path = tmp_path("rt.bin");
	CHECK(ner_model_save(m, path, m->wf, NULL) == CHR_OK);
	ner_model *l = NULL;
	char err[256] = "";
	CHECK(ner_model_load(path, &l, err, sizeof err) == CHR_OK);
	if (l) {
		/* the weights start on a cache line (no row straddles two) */
		CHECK_INT((uintptr_t)l->w % 64, 0);
		CHECK_INT(l->row_bits, 10);
		CHECK_INT(l->ntags, 17);
		size_t nw = ((size_t)1 << 10) * 16;
		int bad = 0;
		for (size_t i = 0; i < nw; i++) {
			float d = (float)l->w[i] * l->scale - m->wf[i];
			if (d > l->scale || d < -l->scale)
				bad++;
		}
		CHECK_INT(bad, 0);
		const char *s[] = {"Angela", "Merkel", "visited", "Paris", "."};
		ner_tok t[5];
		toks_of(s, 5, t);
		uint8_t a[5], b[5];
		ner_work w;
		memset(&w, 0, sizeof w);
		CHECK(ner_tag_doc(m, t, 5, &w, a) == CHR_OK);
		CHECK(ner_tag_doc(l, t, 5, &w, b) == CHR_OK);
		CHECK(memcmp(a, b, 5) == 0);
		ner_work_free(&w);
		ner_model_free(l);
	}
	/* the public loader takes the same file */
	chr_ner *pm = NULL;
	CHECK(chr_ner_load(path, &pm) == CHR_OK);
	chr_ner_free(pm);
	unlink(path);
	ner_model_free(m);
}

/* Two stages: the second table is saved, reloaded, and changes tags. */
static void test_model_two_stage(void)
{
	ner_model *m = tiny_model(10);
	size_t nw = ((size_t)1 << 10) * 16;
	m->wf2 = calloc(nw, sizeof *m->wf2);
	for (size_t i = 0; i < nw; i++)
		m->wf2[i] = m->wf[(i * 7919) % nw] * 0.5f + 0.25f;
	const char *path = tmp_path("two.bin");
	CHECK(ner_model_save(m, path, m->wf, m->wf2) == CHR_OK);
	const char *s[] = {"Angela", "Merkel", "visited", "Paris", ".",
			   "Merkel", "left", "Paris", "."};
	ner_tok t[9];
	toks_of(s, 9, t);
	t[5].sent_start = 1;
	ner_work w;
	memset(&w, 0, sizeof w);
	/* the aggregation rows are appended after the static ones */
	CHECK(ner_static(m, t, 9, &w) == CHR_OK);
	uint8_t n0 = w.nrows[5], s1[9] = {4, 12, 0, 16, 0, 16, 0, 8, 0};
	ner_aggregate(m, t, 9, &w, s1);
	CHECK(w.nrows[5] > n0 && w.nrows[5] <= NER_NSTATIC);
	uint8_t a[9], b[9], one[9];
	CHECK(ner_tag_doc(m, t, 9, &w, a) == CHR_OK);
	ner_model *l = NULL;
	char err[256] = "";
	CHECK(ner_model_load(path, &l, err, sizeof err) == CHR_OK);
	if (l) {
		CHECK_INT(l->stages, 2);
		CHECK(l->w2 != NULL && l->scale2 > 0);
		CHECK(ner_tag_doc(l, t, 9, &w, b) == CHR_OK);
		CHECK(memcmp(a, b, 9) == 0);
		for (int i = 0; i < 9; i++)
			CHECK(b[i] < 17);
		ner_model_free(l);
	}
	/* one stage only when no second table is given */
	CHECK(ner_model_save(m, path, m->wf, NULL) == CHR_OK);
	CHECK(ner_model_load(path, &l, err, sizeof err) == CHR_OK);
	if (l) {
		CHECK_INT(l->stages, 1);
		CHECK(l->w2 == NULL);
		CHECK(ner_tag_doc(l, t, 9, &w, one) == CHR_OK);
		ner_model_free(l);
	}
	ner_work_free(&w);
	unlink(path);
	ner_model_free(m);
}

static void expect_refused(const char *path, const char *why)
{
	ner_model *l = NULL;
	char err[256] = "";
	CHECK(ner_model_load(path, &l, err, sizeof err) == CHR_EMODEL);
	CHECK(l == NULL);
	if (!strstr(err, why)) {
		th_failed_checks++;
		fprintf(stderr, "  message \"%s\" lacks \"%s\"\n", err, why);
	}
	chr_ner *pm = (chr_ner *)1;
	CHECK(chr_ner_load(path, &pm) == CHR_EMODEL);
	CHECK(pm == NULL);
	CHECK(strstr(chr_ner_errmsg(), why) != NULL);
}

static void test_model_corrupt(void)
{
	ner_model *m = tiny_model(10);
	/* tmp_path returns one static buffer: keep copies */
	char good[256], bad[256];
	snprintf(good, sizeof good, "%s", tmp_path("good.bin"));
	snprintf(bad, sizeof bad, "%s", tmp_path("bad.bin"));
	CHECK(ner_model_save(m, good, m->wf, NULL) == CHR_OK);
	ner_model_free(m);
	size_t n;
	unsigned char *img = read_all(good, &n);
	CHECK(img != NULL && n > 1000);
	if (!img)
		return;
	img[n / 2] ^= 0x40; /* one flipped bit in the weights */
	write_all(bad, img, n);
	expect_refused(bad, "checksum");
	img[n / 2] ^= 0x40;
	write_all(bad, img, n - 100);
	expect_refused(bad, "truncated");
	write_all(bad, img, 10);
	expect_refused(bad, "truncated");
	write_all(bad, img, 0);
	expect_refused(bad, "truncated");
	img[0] = 'X';
	write_all(bad, img, n);
	expect_refused(bad, "magic");
	img[0] = 'C';
	img[8] = 4; /* the previous format */
	write_all(bad, img, n);
	expect_refused(bad, "version");
	img[8] = 99;
	write_all(bad, img, n);
	expect_refused(bad, "version");
	img[8] = 7; /* the previous format: greedy, no beam width */
	write_all(bad, img, n);
	expect_refused(bad, "version");
	img[8] = NER_VERSION;
	img[68] = 0; /* beam width */
	write_all(bad, img, n);
	expect_refused(bad, "beam width");
	img[68] = NER_BEAM_MAX + 1;
	write_all(bad, img, n);
	expect_refused(bad, "beam width");
	img[68] = 1;
	img[60] = 3; /* stage count */
	write_all(bad, img, n);
	expect_refused(bad, "stage count");
	img[60] = 2; /* two stages claimed, one table and no scale */
	write_all(bad, img, n);
	expect_refused(bad, "stage-2");
	expect_refused(tmp_path("missing.bin"), "no such model file");
	/* from memory too (what the fuzzer feeds) */
	ner_model *l = NULL;
	char err[128];
	CHECK(ner_model_from_mem(img, 63, &l, err, sizeof err) == CHR_EMODEL);
	CHECK(l == NULL);
	free(img);
	unlink(good);
	unlink(bad);
}

static void test_trained_model(void)
{
	chr_ner *m = NULL;
	if (chr_ner_load(NULL, &m) != CHR_OK)
		SKIP("models/ner.bin not found");
	const char *text = "German Chancellor Angela Merkel met officials of "
			   "the European Union in Paris on Monday.";
	chr_entity *e = NULL;
	size_t n = 0;
	CHECK(chr_ner_tag_text(m, text, strlen(text), &e, &n) == CHR_OK);
	int per = 0, loc = 0;
	for (size_t i = 0; i < n; i++) {
		CHECK(e[i].start < e[i].end && e[i].end <= strlen(text));
		size_t l = e[i].end - e[i].start;
		if (e[i].type == CHR_ENT_PER && l == 13 &&
		    !memcmp(text + e[i].start, "Angela Merkel", 13))
			per = 1;
		if (e[i].type == CHR_ENT_LOC && l == 5 &&
		    !memcmp(text + e[i].start, "Paris", 5))
			loc = 1;
	}
	CHECK(per);
	CHECK(loc);
	chr_free(e);
	const char *toks[] = {"Kim", "Jong-un", "visited", "Moscow", "."};
	unsigned char ss[5] = {1, 0, 0, 0, 0};
	uint8_t tags[5];
	CHECK(chr_ner_tag_tokens(m, toks, ss, 5, tags) == CHR_OK);
	CHECK_STR(chr_ner_tag_name(tags[0]), "B-PER");
	CHECK_STR(chr_ner_tag_name(tags[3]), "B-LOC");
	CHECK(chr_ner_tag_tokens(m, toks, NULL, 0, tags) == CHR_OK);
	CHECK(chr_ner_tag_text(m, "", 0, &e, &n) == CHR_OK && n == 0 && !e);
	/* the thread keeps its scratch between documents: a short document
	 * tags the same after a long one (past the size that is kept) and
	 * after one with other words */
	size_t big = 20000;
	const char **lt = malloc(big * sizeof *lt);
	uint8_t *ltags = malloc(big);
	static const char *const words[] = { "Officials", "in", "Geneva",
		"said", "the", "Red", "Cross", "would", "help", "." };
	if (lt && ltags) {
		for (size_t i = 0; i < big; i++)
			lt[i] = words[i % 10];
		CHECK(chr_ner_tag_tokens(m, lt, NULL, big, ltags) == CHR_OK);
		uint8_t again[5];
		CHECK(chr_ner_tag_tokens(m, toks, ss, 5, again) == CHR_OK);
		CHECK(!memcmp(again, tags, 5));
		CHECK(chr_ner_tag_tokens(m, lt, NULL, 300, ltags) == CHR_OK);
		CHECK(chr_ner_tag_tokens(m, toks, ss, 5, again) == CHR_OK);
		CHECK(!memcmp(again, tags, 5));
	}
	free(lt);
	free(ltags);
	chr_ner_free(m);
}

static const th_test tests[] = {
	TEST(test_model_roundtrip),
	TEST(test_model_two_stage), TEST(test_model_corrupt),
	TEST(test_trained_model),
};

TH_MAIN("test_ner_model", tests)
