/*
 * fuzz_ner: libFuzzer target for the NER tagger's input paths.
 *
 * The first byte picks the path: 0 CoNLL-style lines (first column a
 * token, blank lines end sentences, -DOCSTART- ends documents, CR LF
 * tolerated) tagged with chr_ner_tag_tokens, as `tag-ner --format conll`
 * does; 1 plain text through the tokenizer and chr_ner_tag_text, checking
 * every mention lies inside the input; 2 the bytes as a model file
 * (ner_model_from_mem must refuse, never crash); 3 tag strings through
 * the conlleval scorer.  The committed models/ner.bin is used when it is
 * found (once per process), else a tiny in-memory model.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chronicle.h"
#include "entities/ner.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const chr_ner *model(void)
{
	static chr_ner *m;
	static int tried;
	if (!tried) {
		tried = 1;
		if (chr_ner_load(NULL, &m) != CHR_OK) {
			ner_model *t = calloc(1, sizeof *t);
			if (!t)
				abort();
			t->scheme = NER_SCHEME_BILOU;
			t->ntags = 17;
			t->row_bits = 10;
			t->scale = 1;
			t->wf = calloc((size_t)16 << 10, sizeof *t->wf);
			if (!t->wf)
				abort();
			for (size_t i = 0; i < (size_t)16 << 10; i++)
				t->wf[i] = (float)((i * 2654435761u) % 200) - 100;
			m = (chr_ner *)t;
		}
	}
	return m;
}

static void conll(const char *s, size_t n)
{
	char *copy = malloc(n + 1);
	const char **tok = malloc((n + 1) * sizeof *tok);
	unsigned char *ss = malloc(n + 1);
	uint8_t *tags = malloc(n + 1);
	if (!copy || !tok || !ss || !tags)
		abort();
	memcpy(copy, s, n);
	copy[n] = 0;
	size_t nt = 0;
	int new_sent = 1;
	char *p = copy, *end = copy + n;
	while (p <= end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *e = nl ? nl : end;
		if (e > p && e[-1] == '\r')
			e--;
		*e = 0;
		size_t tl = strcspn(p, " \t");
		int doc = strncmp(p, "-DOCSTART-", 10) == 0;
		if ((doc || !nl) && nt) {
			if (chr_ner_tag_tokens(model(), tok, ss, nt, tags) != CHR_OK)
				abort();
			for (size_t i = 0; i < nt; i++)
				if (strlen(chr_ner_tag_name(tags[i])) < 1)
					abort();
			nt = 0;
		}
		if (tl == 0 || doc) {
			new_sent = 1;
		} else if (strlen(p) == tl || p[tl]) {
			p[tl] = 0;
			tok[nt] = p;
			ss[nt++] = (unsigned char)new_sent;
			new_sent = 0;
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	free(copy);
	free(tok);
	free(ss);
	free(tags);
}

static void text(const char *s, size_t n)
{
	chr_entity *e;
	size_t ne;
	if (chr_ner_tag_text(model(), s, n, &e, &ne) != CHR_OK)
		return;
	for (size_t i = 0; i < ne; i++)
		if (e[i].start >= e[i].end || e[i].end > n || e[i].type < 1 ||
		    e[i].type > 4)
			abort();
	chr_free(e);
}

static void scorer(const char *s, size_t n)
{
	static const char *const names[] = {"O", "B-PER", "I-PER", "I-LOC",
					    "E-ORG", "S-MISC", "B-X", "I-", "-",
					    "L-LOC", "U-PER", "B", "I-MISC"};
	const char *g[64], *p[64];
	size_t k = 0;
	for (size_t i = 0; i + 1 < n && k < 64; i += 2, k++) {
		g[k] = names[(unsigned char)s[i] % 13];
		p[k] = names[(unsigned char)s[i + 1] % 13];
	}
	ner_counts c;
	memset(&c, 0, sizeof c);
	ner_count_sentence(&c, g, p, k);
	if (c.correct[0] > c.gold[0] || c.correct[0] > c.pred[0])
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const char *s = (const char *)data + 1;
	size_t n = size - 1;
	switch (data[0] % 4) {
	case 0:
		conll(s, n);
		break;
	case 1:
		text(s, n);
		break;
	case 2: {
		ner_model *m = NULL;
		char err[128];
		if (ner_model_from_mem(s, n, &m, err, sizeof err) == CHR_OK)
			ner_model_free(m);
		break;
	}
	default:
		scorer(s, n);
	}
	return 0;
}
