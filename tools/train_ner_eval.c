/*
 * train_ner_eval: score tagged CoNLL output, and measure tagging speed.
 *
 * Design note: `train_ner_eval FILE` reads CoNLL lines whose last two
 * columns are the gold and the predicted tag (what `chronicle tag-ner`
 * writes for a gold file) and prints token accuracy and entity-level
 * precision, recall and F1, overall and per type, with ner_score's
 * conlleval rules.  `--label NAME` names the row.  `--speed [--model M]
 * FILE` times the tagger in-process: a CoNLL file is tagged document by
 * document from pre-split tokens (chr_ner_tag_tokens); a JSON Lines file
 * (Reuters articles.jsonl) goes through chr_ner_tag_text, tokenizer
 * included.  Tokens/s is the best of five passes over the data on one
 * thread, file reading excluded, timed in CPU time (the machine is shared,
 * so wall time would count other processes' turns).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "entities/ner.h"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!f)
		return NULL;
	size_t cap = 1 << 20, n = 0, r;
	char *p = malloc(cap + 1);
	while (p && (r = fread(p + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap) {
			char *q = realloc(p, (cap *= 2) + 1);
			if (!q) {
				free(p);
				p = NULL;
			}
			p = q;
		}
	}
	if (f != stdin)
		fclose(f);
	if (p) {
		p[n] = 0;
		*len = n;
	}
	return p;
}

/* Split a line into at most max whitespace-separated fields. */
static size_t fields(char *s, char **f, size_t max)
{
	size_t n = 0;
	for (char *save = NULL, *t = strtok_r(s, " \t\r", &save); t && n < max;
	     t = strtok_r(NULL, " \t\r", &save))
		f[n++] = t;
	return n;
}

static int score(const char *path, const char *label)
{
	size_t len;
	char *text = slurp(path, &len);
	if (!text) {
		fprintf(stderr, "train_ner_eval: cannot read %s\n", path);
		return 1;
	}
	ner_counts c;
	memset(&c, 0, sizeof c);
	size_t cap = 1024, n = 0;
	const char **g = malloc(cap * sizeof *g), **p = malloc(cap * sizeof *p);
	char *line = text;
	for (;;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		char *f[16];
		size_t nf = fields(line, f, 16);
		int boundary = nf == 0 || strncmp(f[0], "-DOCSTART-", 10) == 0;
		if (boundary || !nl) {
			if (!boundary && nf >= 3) {
				g[n] = f[nf - 2];
				p[n++] = f[nf - 1];
			}
			ner_count_sentence(&c, g, p, n);
			n = 0;
		} else if (nf >= 3) {
			if (n == cap) {
				cap *= 2;
				g = realloc(g, cap * sizeof *g);
				p = realloc(p, cap * sizeof *p);
				if (!g || !p)
					return 1;
			}
			g[n] = f[nf - 2];
			p[n++] = f[nf - 1];
		}
		if (!nl)
			break;
		line = nl + 1;
	}
	double P, R, F;
	ner_prf(&c, 0, &P, &R, &F);
	printf("%s: %llu tokens, %llu gold entities, %llu found, %llu correct\n",
	       label, (unsigned long long)c.tokens,
	       (unsigned long long)c.gold[0], (unsigned long long)c.pred[0],
	       (unsigned long long)c.correct[0]);
	printf("  %-8s precision %6.2f  recall %6.2f  F1 %6.2f\n", "overall", P,
	       R, F);
	for (int k = 1; k <= NER_NTYPES; k++) {
		ner_prf(&c, k, &P, &R, &F);
		printf("  %-8s precision %6.2f  recall %6.2f  F1 %6.2f  (%llu)\n",
		       ner_type_names[k], P, R, F, (unsigned long long)c.pred[k]);
	}
	free(g);
	free(p);
	free(text);
	return 0;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef struct tdoc {
	const char **tok;
	unsigned char *ss;
	size_t n;
} tdoc;

static int speed_conll(const chr_ner *m, char *text, const char *path)
{
	tdoc *d = NULL;
	size_t nd = 0, total = 0;
	tdoc cur = {0};
	size_t cap = 0;
	int new_sent = 1;
	char *line = text;
	for (;;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		size_t tl = strcspn(line, " \t\r");
		int docstart = strncmp(line, "-DOCSTART-", 10) == 0;
		if ((docstart || !nl) && cur.n) {
			d = realloc(d, (nd + 1) * sizeof *d);
			if (!d)
				return 1;
			d[nd++] = cur;
			memset(&cur, 0, sizeof cur);
			cap = 0;
		}
		if (tl == 0 || docstart) {
			new_sent = 1;
		} else {
			if (cur.n == cap) {
				cap = cap ? cap * 2 : 256;
				cur.tok = realloc(cur.tok, cap * sizeof *cur.tok);
				cur.ss = realloc(cur.ss, cap);
				if (!cur.tok || !cur.ss)
					return 1;
			}
			line[tl] = 0;
			cur.tok[cur.n] = line;
			cur.ss[cur.n++] = (unsigned char)new_sent;
			new_sent = 0;
			total++;
		}
		if (!nl)
			break;
		line = nl + 1;
	}
	size_t maxn = 1;
	for (size_t i = 0; i < nd; i++)
		if (d[i].n > maxn)
			maxn = d[i].n;
	uint8_t *tags = malloc(maxn);
	double best = 1e30;
	for (int pass = 0; pass < 5; pass++) {
		double t0 = now();
		for (size_t i = 0; i < nd; i++)
			chr_ner_tag_tokens(m, d[i].tok, d[i].ss, d[i].n, tags);
		double dt = now() - t0;
		if (dt < best)
			best = dt;
	}
	printf("speed %s: %zu tokens in %zu documents, %.3f s, %.0f tokens/s "
	       "(pre-tokenized)\n",
	       path, total, nd, best, (double)total / best);
	for (size_t i = 0; i < nd; i++) {
		free(d[i].tok);
		free(d[i].ss);
	}
	free(d);
	free(tags);
	return 0;
}

static int speed_jsonl(const chr_ner *m, char *text, const char *path)
{
	json_t **docs = NULL;
	size_t nd = 0, total = 0;
	for (char *save = NULL, *l = strtok_r(text, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		json_t *o = json_loads(l, 0, NULL);
		json_t *t = o ? json_object_get(o, "text") : NULL;
		if (!json_is_string(t)) {
			json_decref(o);
			continue;
		}
		docs = realloc(docs, (nd + 1) * sizeof *docs);
		if (!docs)
			return 1;
		docs[nd++] = o;
		ner_span *sp;
		size_t n;
		if (ner_tokenize(json_string_value(t), json_string_length(t), &sp,
				 &n) == CHR_OK)
			total += n;
		free(sp);
	}
	double best = 1e30;
	size_t ents = 0;
	for (int pass = 0; pass < 5; pass++) {
		double t0 = now();
		ents = 0;
		for (size_t i = 0; i < nd; i++) {
			json_t *t = json_object_get(docs[i], "text");
			chr_entity *e;
			size_t ne;
			if (chr_ner_tag_text(m, json_string_value(t),
					     json_string_length(t), &e, &ne) == CHR_OK) {
				ents += ne;
				free(e);
			}
		}
		double dt = now() - t0;
		if (dt < best)
			best = dt;
	}
	printf("speed %s: %zu tokens in %zu articles, %zu mentions, %.3f s, "
	       "%.0f tokens/s (plain text, tokenizer included)\n",
	       path, total, nd, ents, best, (double)total / best);
	for (size_t i = 0; i < nd; i++)
		json_decref(docs[i]);
	free(docs);
	return 0;
}

int main(int argc, char **argv)
{
	const char *model = NULL, *label = "score";
	int speed = 0, rc = 0, nfiles = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--model") && i + 1 < argc) {
			model = argv[++i];
		} else if (!strcmp(argv[i], "--label") && i + 1 < argc) {
			label = argv[++i];
		} else if (!strcmp(argv[i], "--speed")) {
			speed = 1;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "usage: train_ner_eval [--label NAME] FILE\n"
					"       train_ner_eval --speed [--model M] "
					"FILE.conll|FILE.jsonl\n");
			return 2;
		}
	}
	chr_ner *m = NULL;
	if (speed && chr_ner_load(model, &m) != CHR_OK) {
		fprintf(stderr, "train_ner_eval: %s\n", chr_ner_errmsg());
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '-' && argv[i][1]) {
			if (strcmp(argv[i], "--speed"))
				i++;
			continue;
		}
		nfiles++;
		if (!speed) {
			rc |= score(argv[i], label);
			continue;
		}
		size_t len;
		char *text = slurp(argv[i], &len);
		if (!text) {
			fprintf(stderr, "train_ner_eval: cannot read %s\n", argv[i]);
			rc = 1;
			continue;
		}
		rc |= strstr(argv[i], ".jsonl") ? speed_jsonl(m, text, argv[i])
						 : speed_conll(m, text, argv[i]);
		free(text);
	}
	chr_ner_free(m);
	if (!nfiles) {
		fprintf(stderr, "train_ner_eval: name a file\n");
		return 2;
	}
	return rc;
}
