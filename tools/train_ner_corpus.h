/*
 * train_ner_corpus.h: the unlabelled text the NER tools learn from.
 *
 * Design note: shared by train_ner_clusters (word clusters) and train_ner
 * (names mined by self-training).  The order is fixed: Reuters-21578
 * (articles.jsonl: title, text), BBC (category folders, sorted file
 * names), the last KCNA snapshot (each distinct story once), then the
 * ECB+ train and dev articles (never its test topics), so both tools see
 * the same text in the same order.  Each text is passed whole to a
 * callback.  Header-only (static functions): tools/ builds one binary per
 * .c file.
 */
#ifndef TRAIN_NER_CORPUS_H
#define TRAIN_NER_CORPUS_H

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/hash.h"

typedef void (*ner_text_fn)(void *ctx, const char *text, size_t len);

static void *ntc_realloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q) {
		fprintf(stderr, "train_ner: out of memory\n");
		exit(1);
	}
	return q;
}

static char *ntc_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	char *p = ntc_realloc(NULL, cap);
	size_t r;
	while ((r = fread(p + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap)
			p = ntc_realloc(p, cap *= 2);
	}
	fclose(f);
	p[n] = 0;
	*len = n;
	return p;
}

static int ntc_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void ntc_read_bbc(ner_text_fn fn, void *ctx, const char *dir)
{
	static const char *const cats[] = {"business", "entertainment",
					   "politics", "sport", "tech"};
	for (size_t c = 0; c < 5; c++) {
		char path[4096];
		if (snprintf(path, sizeof path, "%s/%s", dir, cats[c]) >=
		    (int)sizeof path)
			continue;
		DIR *d = opendir(path);
		if (!d)
			continue;
		char **names = NULL;
		size_t nn = 0;
		struct dirent *de;
		while ((de = readdir(d))) {
			if (!strstr(de->d_name, ".txt"))
				continue;
			names = ntc_realloc(names, (nn + 1) * sizeof *names);
			names[nn++] = strdup(de->d_name);
		}
		closedir(d);
		qsort(names, nn, sizeof *names, ntc_cmp_str);
		for (size_t i = 0; i < nn; i++) {
			char fp[8192];
			if (snprintf(fp, sizeof fp, "%s/%s", path, names[i]) >=
			    (int)sizeof fp)
				continue;
			size_t len;
			char *t = ntc_slurp(fp, &len);
			if (t)
				fn(ctx, t, len);
			free(t);
			free(names[i]);
		}
		free(names);
	}
}

static void ntc_read_reuters(ner_text_fn fn, void *ctx, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "train_ner: skip %s\n", path);
		return;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, f)) > 0) {
		json_t *o = json_loadb(line, (size_t)n, 0, NULL);
		if (!o)
			continue;
		const char *keys[] = {"title", "text"};
		for (int k = 0; k < 2; k++) {
			json_t *s = json_object_get(o, keys[k]);
			if (json_is_string(s))
				fn(ctx, json_string_value(s),
					 json_string_length(s));
		}
		json_decref(o);
	}
	free(line);
	fclose(f);
}

static void ntc_read_kcna(ner_text_fn fn, void *ctx, const char *path)
{
	json_t *arr = json_load_file(path, 0, NULL);
	if (!json_is_array(arr)) {
		fprintf(stderr, "train_ner: skip %s\n", path);
		json_decref(arr);
		return;
	}
	ht seen;
	ht_init(&seen, 0);
	size_t i;
	json_t *o;
	json_array_foreach(arr, i, o) {
		json_t *t = json_object_get(o, "story_text");
		if (!json_is_string(t))
			continue;
		const char *s = json_string_value(t);
		size_t len = json_string_length(t);
		int created;
		if (!ht_put(&seen, s, len, &created) || !created)
			continue; /* repeated texts count once */
		json_t *h = json_object_get(o, "headline");
		if (json_is_string(h))
			fn(ctx, json_string_value(h), json_string_length(h));
		fn(ctx, s, len);
	}
	ht_free(&seen);
	json_decref(arr);
}

/* Every unlabelled text under shared/data, in the fixed order. */
static void ntc_read_all(const char *shared, ner_text_fn fn, void *ctx)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/data/reuters21578/articles.jsonl",
		 shared);
	ntc_read_reuters(fn, ctx, path);
	snprintf(path, sizeof path, "%s/data/bbc", shared);
	ntc_read_bbc(fn, ctx, path);
	snprintf(path, sizeof path, "%s/data/kcna/headlines_2024-11-11.json",
		 shared);
	ntc_read_kcna(fn, ctx, path);
	/* ECB+ news, train and dev topics only (same title/text JSON Lines) */
	static const char *const ecb[] = {"train", "dev"};
	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof path,
			 "%s/data/ecbplus/articles.%s.jsonl", shared, ecb[i]);
		ntc_read_reuters(fn, ctx, path);
	}
}

#endif
