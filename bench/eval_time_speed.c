/*
 * eval_time_speed: throughput of the time tagger (chr_time_tag) on a JSON
 * Lines corpus, e.g. ../shared/data/reuters21578/articles.jsonl.
 *
 * Design note: the "text" field of every line is decoded into memory
 * first (the minimal JSON string unescape: \n, \t, \", \\, \/ and \uXXXX
 * to UTF-8), so the timed loop is the tagger alone, one call per article
 * with the article's "date" as DCT when it has one.  Words are
 * whitespace-separated tokens.  Prints the best of N rounds.
 *
 * usage: eval_time_speed FILE.jsonl [ROUNDS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chronicle.h"

typedef struct art {
	char *text;
	size_t len;
	char dct[11];
} art;

static size_t put_u8(char *o, unsigned cp)
{
	if (cp < 0x80) { o[0] = (char)cp; return 1; }
	if (cp < 0x800) { o[0] = (char)(0xC0 | cp >> 6); o[1] = (char)(0x80 | (cp & 63)); return 2; }
	o[0] = (char)(0xE0 | cp >> 12);
	o[1] = (char)(0x80 | ((cp >> 6) & 63));
	o[2] = (char)(0x80 | (cp & 63));
	return 3;
}

/* Decode the JSON string value of key in line; NULL when absent. */
static char *field(const char *line, const char *key, size_t *len)
{
	char pat[32];
	snprintf(pat, sizeof pat, "\"%s\":", key);
	const char *p = strstr(line, pat);
	if (!p)
		return NULL;
	p += strlen(pat);
	while (*p == ' ')
		p++;
	if (*p != '"')
		return NULL;
	p++;
	char *o = malloc(strlen(p) + 1), *w = o;
	if (!o)
		return NULL;
	while (*p && *p != '"') {
		if (*p != '\\') {
			*w++ = *p++;
			continue;
		}
		p++;
		switch (*p) {
		case 'n': *w++ = '\n'; p++; break;
		case 't': *w++ = '\t'; p++; break;
		case 'r': *w++ = '\r'; p++; break;
		case 'u': {
			unsigned cp = (unsigned)strtoul((char[5]){p[1], p[2], p[3], p[4], 0}, NULL, 16);
			w += put_u8(w, cp >= 0xD800 && cp < 0xE000 ? 0xFFFD : cp);
			p += 5;
			break;
		}
		case 0: break;
		default: *w++ = *p++; break;
		}
	}
	*w = 0;
	*len = (size_t)(w - o);
	return o;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: eval_time_speed FILE.jsonl [ROUNDS]\n");
		return 2;
	}
	int rounds = argc > 2 ? atoi(argv[2]) : 3;
	FILE *f = fopen(argv[1], "r");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	art *v = NULL;
	size_t n = 0, cap = 0, words = 0, bytes = 0;
	char *line = NULL;
	size_t lcap = 0;
	while (getline(&line, &lcap, f) > 0) {
		size_t len, dl;
		char *t = field(line, "text", &len);
		if (!t)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 1024;
			v = realloc(v, cap * sizeof *v);
			if (!v)
				return 1;
		}
		v[n].text = t;
		v[n].len = len;
		v[n].dct[0] = 0;
		char *d = field(line, "date", &dl);
		if (d && dl >= 10 && d[4] == '-' && d[7] == '-') {
			memcpy(v[n].dct, d, 10);
			v[n].dct[10] = 0;
		}
		free(d);
		int in = 0;
		for (size_t i = 0; i < len; i++) {
			int sp = t[i] == ' ' || t[i] == '\n' || t[i] == '\t' || t[i] == '\r';
			if (!sp && !in)
				words++;
			in = !sp;
		}
		bytes += len;
		n++;
	}
	free(line);
	fclose(f);
	double best = 1e30;
	size_t found = 0;
	for (int r = 0; r < rounds; r++) {
		struct timespec a, b;
		clock_gettime(CLOCK_MONOTONIC, &a);
		found = 0;
		for (size_t i = 0; i < n; i++) {
			chr_timex *x;
			size_t k;
			if (chr_time_tag(v[i].text, v[i].len, v[i].dct[0] ? v[i].dct : NULL,
					 &x, &k) != CHR_OK)
				return 1;
			found += k;
			chr_free(x);
		}
		clock_gettime(CLOCK_MONOTONIC, &b);
		double s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
		if (s < best)
			best = s;
	}
	printf("time tagger: %zu articles, %zu words, %.1f MB, %zu expressions; "
	       "best of %d: %.3f s = %.2fM words/s, %.0f MB/s\n",
	       n, words, (double)bytes / 1e6, found, rounds, best,
	       (double)words / best / 1e6, (double)bytes / best / 1e6);
	for (size_t i = 0; i < n; i++)
		free(v[i].text);
	free(v);
	return 0;
}
