/*
 * gen_syndication: a syndication test set made at run time from real
 * Reuters-21578 stories (the text itself is never committed).
 *
 * Design note: every choice comes from one seeded generator, so a seed
 * names a data set.  Originals are multi-paragraph stories; each gets 1-6
 * copies made with the perturbations syndication really applies: trimmed
 * to the first k paragraphs, re-headlined, a dateline and agency credit,
 * outlet boilerplate before and after (the same boilerplate for every
 * story of an outlet, so it is stock text across groups), light word
 * edits, two adjacent paragraphs swapped, re-wrapped lines, a later date.
 * Hard negatives: short templated stories (earnings tables, money supply)
 * as singletons, and stock paragraphs (a real paragraph from another
 * story) appended to several different stories and to their copies.
 * Output: JSON Lines in chronicle's input format plus truth fields
 * "group" (the original's id), "original" (true/false) and "agencies".
 *
 * usage: gen_syndication REUTERS.jsonl [SEED] [ORIGINALS] > set.jsonl
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static uint64_t next(void)
{
	uint64_t z = (rng += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int rnd(int n)
{
	return n > 0 ? (int)(next() % (uint64_t)n) : 0;
}

static double unif(void)
{
	return (double)(next() >> 11) / 9007199254740992.0;
}

typedef struct story {
	char *id, *title, *date;
	char **para;
	int npara, nwords;
} story;

/* Split Reuters text into unwrapped paragraphs (an indented line starts
 * one); the trailing "Reuter" signature is dropped. */
static void split(story *s, const char *text)
{
	buf cur;
	buf_init(&cur, 0);
	s->para = NULL;
	s->npara = 0;
	s->nwords = 0;
	const char *p = text;
	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		int indent = n > 0 && (p[0] == ' ' || p[0] == '\t');
		const char *q = p, *e = p + n;
		while (q < e && (*q == ' ' || *q == '\t'))
			q++;
		int blank = q == e;
		if ((indent || blank || !nl) && cur.len && (indent || blank)) {
			s->para = realloc(s->para, (size_t)(s->npara + 1) * sizeof *s->para);
			s->para[s->npara++] = buf_detach(&cur, NULL);
			buf_init(&cur, 0);
		}
		if (!blank && !(e - q == 6 && !strncmp(q, "Reuter", 6))) {
			if (cur.len)
				buf_putc(&cur, ' ');
			buf_put(&cur, q, (size_t)(e - q));
			for (const char *w = q; w < e; w++)
				if (*w != ' ' && (w == q || w[-1] == ' '))
					s->nwords++;
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	if (cur.len) {
		s->para = realloc(s->para, (size_t)(s->npara + 1) * sizeof *s->para);
		s->para[s->npara++] = buf_detach(&cur, NULL);
	}
	buf_free(&cur);
}

static const char *const outlets[] = {
	"Metro Herald", "The Daily Planet", "Gazette Online", "Market Wire Today",
	"Evening Courier", "Business Line Post", "The Tribune Desk", "Globe Digest",
};
#define N_OUTLETS (int)(sizeof outlets / sizeof outlets[0])
static const char *const heads[] = {
	"Read more: Top 10 Stories of the day from %s",
	"%s | Subscribe for the latest business headlines",
};
static const char *const tails[] = {
	"Sign up for the %s eNewsletter to receive our best stories every morning in your inbox.",
	"Copyright %s. All rights reserved. This material may not be published, broadcast or redistributed.",
};
static const char *const swaps[][2] = {
	{ "said", "stated" }, { "company", "firm" }, { "the", "a" },
	{ "would", "will" }, { "also", "further" }, { "billion", "bln" },
	{ "million", "mln" }, { "percent", "pct" }, { "shares", "stock" },
};

/* One word with light edits: replaced, dropped or left alone. */
static void put_word(buf *b, const char *w, size_t n, double rate)
{
	if (unif() < rate) {
		int op = rnd(3);
		if (op == 0)
			return; /* dropped */
		for (size_t i = 0; op == 1 && i < sizeof swaps / sizeof swaps[0]; i++)
			if (strlen(swaps[i][0]) == n && !strncmp(w, swaps[i][0], n)) {
				buf_puts(b, swaps[i][1]);
				buf_putc(b, ' ');
				return;
			}
		if (op == 2) {
			buf_puts(b, "reportedly ");
		}
	}
	buf_put(b, w, n);
	buf_putc(b, ' ');
}

/* Append paragraph p, edited at rate and wrapped at width (0 = none). */
static void put_para(buf *b, const char *p, double rate, int width)
{
	buf line;
	buf_init(&line, 0);
	const char *s = p;
	while (*s) {
		while (*s == ' ')
			s++;
		const char *e = s;
		while (*e && *e != ' ')
			e++;
		if (e > s)
			put_word(&line, s, (size_t)(e - s), rate);
		s = e;
	}
	while (line.len && line.p[line.len - 1] == ' ')
		line.len--;
	int col = 0;
	for (size_t i = 0; i < line.len; i++) {
		if (width && line.p[i] == ' ' && col >= width) {
			buf_putc(b, '\n');
			col = 0;
			continue;
		}
		buf_putc(b, line.p[i]);
		col++;
	}
	buf_puts(b, "\n\n");
	buf_free(&line);
}

static void emit(const char *id, const char *title, const char *text,
		 const char *date, const char *source, const char *group,
		 int original, const char *agency)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(id));
	json_object_set_new(o, "title", json_string(title));
	json_object_set_new(o, "text", json_string(text));
	if (date)
		json_object_set_new(o, "date", json_string(date));
	if (source)
		json_object_set_new(o, "source", json_string(source));
	json_object_set_new(o, "group", json_string(group));
	json_object_set_new(o, "original", json_boolean(original));
	json_t *ag = json_array();
	if (agency)
		json_array_append_new(ag, json_string(agency));
	json_object_set_new(o, "agencies", ag);
	char *s = json_dumps(o, JSON_COMPACT);
	puts(s);
	free(s);
	json_decref(o);
}

static void later(char *out, size_t n, const char *date, int days)
{
	int y = 1987, m = 3, d = 1;
	if (date)
		sscanf(date, "%d-%d-%d", &y, &m, &d);
	d += days;
	if (d > 28) {
		d -= 28;
		m = m % 12 + 1;
	}
	snprintf(out, n, "%04d-%02d-%02d", y, m, d);
}

/* The original and its copies. */
static void make_group(const story *s, const char *stock)
{
	buf b;
	buf_init(&b, 0);
	for (int i = 0; i < s->npara; i++)
		put_para(&b, s->para[i], 0, 0);
	if (stock)
		put_para(&b, stock, 0, 0);
	int wire = unif() < 0.8; /* else the original's outlet is unknown */
	emit(s->id, s->title, b.p, s->date, wire ? "Reuters" : NULL, s->id, 1,
	     NULL);
	int copies = 1 + rnd(6);
	for (int c = 0; c < copies; c++) {
		int o = rnd(N_OUTLETS);
		char tmp[512], id[128], date[40], title[512];
		buf_reset(&b);
		if (unif() < 0.4) {
			snprintf(tmp, sizeof tmp, heads[o % 2], outlets[o]);
			buf_puts(&b, tmp);
			buf_puts(&b, "\n\n");
		}
		int keep = s->npara;
		if (unif() < 0.5)
			keep = 1 + rnd(s->npara);
		if (keep < 2 && s->npara >= 2)
			keep = 2;
		int swap = keep > 3 && unif() < 0.3 ? 1 + rnd(keep - 2) : -1;
		double rate = unif() < 0.6 ? 0.02 : 0.0;
		int width = unif() < 0.5 ? 55 + rnd(30) : 0;
		int credit = unif() < 0.8;
		for (int i = 0; i < keep; i++) {
			int k = swap < 0 ? i : i == swap ? i + 1 : i == swap + 1 ? i - 1 : i;
			if (i == 0 && credit) {
				buf_puts(&b, "NEW YORK (Reuters) - ");
			}
			put_para(&b, s->para[k], rate, width);
		}
		if (stock && (keep == s->npara || unif() < 0.5))
			put_para(&b, stock, 0, width);
		if (unif() < 0.5) {
			snprintf(tmp, sizeof tmp, tails[o % 2], outlets[o]);
			put_para(&b, tmp, 0, 0);
		}
		snprintf(id, sizeof id, "%s-c%d", s->id, c + 1);
		later(date, sizeof date, s->date, rnd(3));
		snprintf(title, sizeof title, "%s%s", unif() < 0.5 ? "UPDATE 1-" : "",
			 s->title);
		for (char *t = title; unif() < 0.5 && *t; t++)
			if (*t >= 'A' && *t <= 'Z' && (t == title || t[-1] != ' '))
				*t = (char)(*t + 32);
		emit(id, title, b.p, date, outlets[o], s->id, 0,
		     credit ? "Reuters" : NULL);
	}
	buf_free(&b);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: gen_syndication REUTERS.jsonl [SEED] [ORIGINALS]\n");
		return 2;
	}
	rng ^= argc > 2 ? strtoull(argv[2], NULL, 10) : 1;
	int want = argc > 3 ? atoi(argv[3]) : 400;
	FILE *f = fopen(argv[1], "r");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	story *all = NULL;
	int n = 0, cap = 0;
	char line[1 << 16];
	while (fgets(line, sizeof line, f)) {
		json_t *o = json_loads(line, 0, NULL);
		const char *t = json_string_value(json_object_get(o, "text"));
		if (t) {
			if (n == cap)
				all = realloc(all, (size_t)(cap = cap ? cap * 2 : 1024) * sizeof *all);
			story *s = &all[n++];
			s->id = strdup(json_string_value(json_object_get(o, "id")));
			const char *ti = json_string_value(json_object_get(o, "title"));
			const char *da = json_string_value(json_object_get(o, "date"));
			s->title = strdup(ti ? ti : "");
			s->date = da ? strdup(da) : NULL;
			split(s, t);
		}
		json_decref(o);
	}
	fclose(f);
	/* Shuffle, then take originals (>= 4 paragraphs, >= 120 words),
	 * stock paragraphs, and short templated singletons. */
	for (int i = n - 1; i > 0; i--) {
		int j = rnd(i + 1);
		story t = all[i];
		all[i] = all[j];
		all[j] = t;
	}
	const char *stock[24];
	int nstock = 0, made = 0, shorts = 0;
	for (int i = 0; i < n; i++) {
		story *s = &all[i];
		if (nstock < 24 && s->npara >= 3 && s->nwords < 400) {
			stock[nstock++] = s->para[s->npara - 1];
			continue;
		}
		if (made < want && s->npara >= 4 && s->nwords >= 120) {
			make_group(s, unif() < 0.3 ? stock[rnd(nstock)] : NULL);
			made++;
		} else if (shorts < want / 2 && s->nwords < 80 && s->nwords >= 20) {
			buf b;
			buf_init(&b, 0);
			for (int k = 0; k < s->npara; k++)
				put_para(&b, s->para[k], 0, 0);
			emit(s->id, s->title, b.p, s->date, "Reuters", s->id, 1, NULL);
			buf_free(&b);
			shorts++;
		}
	}
	fprintf(stderr, "gen_syndication: %d originals, %d templated singletons, %d stock paragraphs\n",
		made, shorts, nstock);
	return 0;
}
