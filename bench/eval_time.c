/*
 * eval_time: a TempEval-3 Task A (TIMEX3) scorer, written from the task's
 * definitions.
 *
 * Design note: gold and system documents are TimeML.  From each, the
 * TEXT element is taken with every tag removed, and each TIMEX3 becomes
 * a character span in that tag-free text with its type and value; the
 * two tag-free texts must be the same.  Gold and system spans are paired
 * one to one, greedily in text order:
 *   strict match  = identical spans;   relaxed match = overlapping spans.
 *   P = matches / system spans,  R = matches / gold spans,  F1 = 2PR/(P+R).
 *   attribute (value, type) F1: the same with only the relaxed matches
 *   whose attribute is equal (exact string), so value F1 = relaxed F1 x
 *   value accuracy; accuracy is also printed.
 * Counts are pooled over all documents (micro-averaged).  The DCT
 * (outside TEXT) is not scored.
 *
 * usage: eval_time [--errors|--all] [--name NAME] GOLD_DIR SYS_DIR
 *        (--errors lists each miss, spurious span, wrong value/type and
 *        extent-only match; --all also the correct ones, every line with
 *        the text around the gold span; both for the dev set only)
 *        eval_time --make-input GOLD.tml   (the document with TEXT
 *        stripped of annotation and the links after it dropped)
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct span {
	size_t s, e;
	char type[16];
	char value[64];
	int used;
} span;

typedef struct doc {
	char *text; /* tag-free TEXT */
	size_t len;
	span *v;
	size_t n, cap;
} doc;

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0, r;
	char *p = malloc(cap + 1);
	while (p && (r = fread(p + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap) {
			char *q = realloc(p, 2 * cap + 1);
			if (!q) {
				free(p);
				p = NULL;
				break;
			}
			p = q;
			cap *= 2;
		}
	}
	fclose(f);
	if (!p)
		return NULL;
	p[n] = 0;
	*len = n;
	return p;
}

static void attr(const char *tag, size_t tn, const char *name, char *out, size_t on)
{
	out[0] = 0;
	size_t nl = strlen(name);
	for (size_t i = 0; i + nl + 2 < tn; i++) {
		if ((i == 0 || tag[i - 1] == ' ') && memcmp(tag + i, name, nl) == 0 &&
		    tag[i + nl] == '=' && tag[i + nl + 1] == '"') {
			size_t j = i + nl + 2, k = 0;
			while (j < tn && tag[j] != '"' && k + 1 < on)
				out[k++] = tag[j++];
			out[k] = 0;
			return;
		}
	}
}

/* Parse the TEXT of a TimeML document. */
static int parse(const char *src, size_t len, doc *d)
{
	memset(d, 0, sizeof *d);
	const char *ts = strstr(src, "<TEXT>");
	const char *te = ts ? strstr(ts, "</TEXT>") : NULL;
	if (!ts || !te)
		return -1;
	ts += 6;
	(void)len;
	d->text = malloc((size_t)(te - ts) + 1);
	if (!d->text)
		return -1;
	size_t open = (size_t)-1;
	for (const char *p = ts; p < te;) {
		if (*p == '<') {
			const char *q = memchr(p, '>', (size_t)(te - p));
			if (!q)
				break;
			size_t tn = (size_t)(q - p) + 1;
			if (tn > 7 && memcmp(p, "<TIMEX3", 7) == 0) {
				if (d->n == d->cap) {
					d->cap = d->cap ? d->cap * 2 : 16;
					d->v = realloc(d->v, d->cap * sizeof *d->v);
					if (!d->v)
						return -1;
				}
				span *s = &d->v[d->n];
				memset(s, 0, sizeof *s);
				s->s = d->len;
				attr(p, tn, "type", s->type, sizeof s->type);
				attr(p, tn, "value", s->value, sizeof s->value);
				open = d->n++;
				if (q[-1] == '/') { /* empty element */
					s->e = d->len;
					open = (size_t)-1;
				}
			} else if (tn >= 9 && memcmp(p, "</TIMEX3>", 9) == 0) {
				if (open != (size_t)-1)
					d->v[open].e = d->len;
				open = (size_t)-1;
			}
			p = q + 1;
		} else {
			d->text[d->len++] = *p++;
		}
	}
	d->text[d->len] = 0;
	return 0;
}

static void doc_free(doc *d)
{
	free(d->text);
	free(d->v);
}

typedef struct counts {
	long gold, sys, strict, relaxed, value, type;
} counts;

static int errors;

static void show(const char *what, const char *name, const doc *d, const span *s,
		 const span *o)
{
	if (errors > 1) { /* tab-separated, for sorting and counting */
		printf("%s\t%s\t%.*s\t%s\t%s", what, name, (int)(s->e - s->s), d->text + s->s,
		       s->type, s->value);
		if (o)
			printf("\t%.*s\t%s\t%s", (int)(o->e - o->s), d->text + o->s, o->type,
			       o->value);
		else
			fputs("\t\t\t", stdout);
	} else {
		printf("%-6s %-28s %-32.*s %-9s %-14s", what, name, (int)(s->e - s->s),
		       d->text + s->s, s->type, s->value);
		if (o)
			printf(" | sys %.*s %s %s", (int)(o->e - o->s), d->text + o->s,
			       o->type, o->value);
	}
	if (errors > 1) {
		size_t a = s->s > 70 ? s->s - 70 : 0, b = s->e + 70;
		if (b > d->len)
			b = d->len;
		putchar('\t');
		for (size_t i = a; i < b; i++)
			putchar(d->text[i] == '\n' || d->text[i] == '\t' ? ' ' : d->text[i]);
	}
	putchar('\n');
}

static void score(const char *name, doc *g, doc *s, counts *c)
{
	c->gold += (long)g->n;
	c->sys += (long)s->n;
	if (g->len != s->len || memcmp(g->text, s->text, g->len) != 0)
		fprintf(stderr, "eval_time: %s: system text differs from gold text\n", name);
	for (size_t i = 0; i < g->n; i++) {
		span *a = &g->v[i];
		span *best = NULL;
		for (size_t j = 0; j < s->n; j++) {
			span *b = &s->v[j];
			if (b->used || b->s >= a->e || a->s >= b->e)
				continue;
			if (!best || (b->s == a->s && b->e == a->e))
				best = b;
		}
		if (!best) {
			if (errors)
				show("MISS", name, g, a, NULL);
			continue;
		}
		best->used = 1;
		c->relaxed++;
		int strict = best->s == a->s && best->e == a->e;
		c->strict += strict;
		int vok = strcmp(a->value, best->value) == 0;
		int tok = strcmp(a->type, best->type) == 0;
		c->value += vok;
		c->type += tok;
		if (errors && (!vok || !tok))
			show(vok ? "TYPE" : "VALUE", name, g, a, best);
		else if (errors && !strict)
			show("EXTENT", name, g, a, best);
		else if (errors > 1)
			show("OK", name, g, a, best);
	}
	if (errors)
		for (size_t j = 0; j < s->n; j++)
			if (!s->v[j].used)
				show("SPUR", name, s, &s->v[j], NULL);
}

static void prf(const char *label, long tp, long sys, long gold, long matched)
{
	double p = sys ? (double)tp / (double)sys : 0, r = gold ? (double)tp / (double)gold : 0;
	double f = p + r > 0 ? 2 * p * r / (p + r) : 0;
	printf("| %-16s | %6.2f | %6.2f | %6.2f |", label, 100 * p, 100 * r, 100 * f);
	if (matched >= 0)
		printf(" accuracy %6.2f (%ld/%ld)", matched ? 100.0 * (double)tp / (double)matched : 0,
		       tp, matched);
	putchar('\n');
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int make_input(const char *path)
{
	size_t len;
	char *src = slurp(path, &len);
	if (!src) {
		perror(path);
		return 1;
	}
	char *ts = strstr(src, "<TEXT>");
	char *te = ts ? strstr(ts, "</TEXT>") : NULL;
	if (!te) {
		fprintf(stderr, "eval_time: %s: no TEXT\n", path);
		free(src);
		return 1;
	}
	fwrite(src, 1, (size_t)(ts + 6 - src), stdout);
	for (char *p = ts + 6; p < te;) {
		if (*p == '<') {
			char *q = memchr(p, '>', (size_t)(te - p));
			if (!q)
				break;
			p = q + 1;
		} else {
			putchar(*p++);
		}
	}
	fputs("</TEXT>\n\n</TimeML>\n", stdout);
	free(src);
	return 0;
}

int main(int argc, char **argv)
{
	const char *label = "system";
	int a = 1;
	for (; a < argc && argv[a][0] == '-'; a++) {
		if (!strcmp(argv[a], "--errors"))
			errors = 1;
		else if (!strcmp(argv[a], "--all"))
			errors = 2;
		else if (!strcmp(argv[a], "--name") && a + 1 < argc)
			label = argv[++a];
		else if (!strcmp(argv[a], "--make-input") && a + 1 < argc)
			return make_input(argv[a + 1]);
		else {
			fprintf(stderr, "usage: eval_time [--errors|--all] [--name NAME] GOLD_DIR SYS_DIR\n"
					"       eval_time --make-input GOLD.tml\n");
			return 2;
		}
	}
	if (argc - a != 2) {
		fprintf(stderr, "usage: eval_time [--errors|--all] [--name NAME] GOLD_DIR SYS_DIR\n");
		return 2;
	}
	const char *gdir = argv[a], *sdir = argv[a + 1];
	DIR *dir = opendir(gdir);
	if (!dir) {
		perror(gdir);
		return 1;
	}
	char **names = NULL;
	size_t nn = 0, nc = 0;
	struct dirent *de;
	while ((de = readdir(dir))) {
		size_t l = strlen(de->d_name);
		if (l < 5 || strcmp(de->d_name + l - 4, ".tml"))
			continue;
		if (nn == nc) {
			nc = nc ? nc * 2 : 64;
			names = realloc(names, nc * sizeof *names);
			if (!names)
				return 1;
		}
		names[nn++] = strdup(de->d_name);
	}
	closedir(dir);
	qsort(names, nn, sizeof *names, cmp);
	counts c = {0, 0, 0, 0, 0, 0};
	char path[4096];
	for (size_t i = 0; i < nn; i++) {
		size_t gl, sl;
		snprintf(path, sizeof path, "%s/%s", gdir, names[i]);
		char *gs = slurp(path, &gl);
		snprintf(path, sizeof path, "%s/%s", sdir, names[i]);
		char *ss = slurp(path, &sl);
		doc g, s;
		if (!gs || parse(gs, gl, &g) != 0) {
			fprintf(stderr, "eval_time: cannot read gold %s\n", names[i]);
			free(gs);
			free(ss);
			continue;
		}
		if (!ss || parse(ss, sl, &s) != 0) {
			fprintf(stderr, "eval_time: no system output for %s\n", names[i]);
			memset(&s, 0, sizeof s);
			s.text = strdup(g.text);
			s.len = g.len;
		}
		score(names[i], &g, &s, &c);
		doc_free(&g);
		doc_free(&s);
		free(gs);
		free(ss);
		free(names[i]);
	}
	free(names);
	printf("\n%s: %zu documents, %ld gold TIMEX3, %ld system TIMEX3\n", label, nn,
	       c.gold, c.sys);
	printf("| %-16s | %6s | %6s | %6s |\n", "measure", "P", "R", "F1");
	printf("|------------------|--------|--------|--------|\n");
	prf("strict extent", c.strict, c.sys, c.gold, -1);
	prf("relaxed extent", c.relaxed, c.sys, c.gold, -1);
	prf("value", c.value, c.sys, c.gold, c.relaxed);
	prf("type", c.type, c.sys, c.gold, c.relaxed);
	return 0;
}
