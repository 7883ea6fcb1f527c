/*
 * articles, article: listing and showing stored articles.
 * The JSON forms come from the library (chr_article_json), so the CLI and
 * the server print the same objects.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct list_ctx {
	int json;
	uint64_t n;
} list_ctx;

static int print_row(void *ctx, const chr_article *a)
{
	list_ctx *c = ctx;
	c->n++;
	if (c->json) {
		size_t len;
		char *js = chr_article_json(a, &len);
		if (!js)
			return 1;
		fwrite(js, 1, len, stdout);
		fputc('\n', stdout);
		chr_free(js);
		return 0;
	}
	cli_cell(stdout, chr_article_id(a), 24);
	fputs("  ", stdout);
	cli_cell(stdout, chr_article_published(a), 10);
	fputs("  ", stdout);
	cli_cell(stdout, chr_article_published_from(a), 8);
	fputs("  ", stdout);
	cli_cell(stdout, chr_article_headline(a), 70);
	fputc('\n', stdout);
	return 0;
}

static int parse_count(const char *s, size_t *out)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	if (!*s || *end || s[0] == '-')
		return -1;
	*out = (size_t)v;
	return 0;
}

int cmd_articles(const cli_ctx *ctx, int argc, char **argv)
{
	list_ctx c = { 0, 0 };
	size_t limit = 0, offset = 0;
	for (int i = 1; i < argc; i++) {
		if (cli_is_help(argv[i])) {
			printf("usage: chronicle articles [--json] [--limit N] [--offset N]\n"
			       "\nList stored articles in id order: id, published date, where the\n"
			       "date came from, headline.  --json prints one article object per line.\n");
			return EXIT_OK;
		} else if (!strcmp(argv[i], "--json")) {
			c.json = 1;
		} else if (!strcmp(argv[i], "--limit") || !strcmp(argv[i], "--offset")) {
			size_t v;
			if (i + 1 >= argc || parse_count(argv[i + 1], &v))
				return cli_usage_error("articles", "%s needs a number", argv[i]);
			if (!strcmp(argv[i], "--limit"))
				limit = v;
			else
				offset = v;
			i++;
		} else {
			return cli_usage_error("articles", "unexpected argument %s", argv[i]);
		}
	}
	chr_db *db = cli_open_db(ctx);
	if (!db)
		return EXIT_RUNTIME;
	if (!c.json) {
		cli_cell(stdout, "ID", 24);
		fputs("  ", stdout);
		cli_cell(stdout, "PUBLISHED", 10);
		fputs("  ", stdout);
		cli_cell(stdout, "FROM", 8);
		fputs("  HEADLINE\n", stdout);
	}
	chr_status st = chr_db_articles(db, limit, offset, print_row, &c);
	if (st && st != CHR_EINTERRUPTED)
		cli_error("%s: %s", chr_strerror(st), chr_db_errmsg(db));
	if (!c.json)
		printf("%llu article%s\n", (unsigned long long)c.n, c.n == 1 ? "" : "s");
	chr_db_close(db);
	return st && st != CHR_EINTERRUPTED ? EXIT_RUNTIME : EXIT_OK;
}

static void print_article(const chr_article *a)
{
	printf("id:         %s\n", chr_article_id(a));
	printf("headline:   %s\n", chr_article_headline(a));
	const char *pub = chr_article_published(a);
	if (pub)
		printf("published:  %s (from %s)\n", pub, chr_article_published_from(a));
	else
		printf("published:  unknown\n");
	if (chr_article_dateline(a))
		printf("dateline:   %s\n", chr_article_dateline(a));
	if (chr_article_outlet(a))
		printf("outlet:     %s\n", chr_article_outlet(a));
	if (chr_article_agency_count(a)) {
		printf("agencies:   ");
		for (size_t i = 0; i < chr_article_agency_count(a); i++)
			printf("%s%s", i ? ", " : "", chr_article_agency(a, i));
		printf("\n");
	}
	if (chr_article_path(a))
		printf("path:       %s\n", chr_article_path(a));
	printf("\n%s\n", chr_article_text(a));
	size_t n = chr_article_removed_count(a);
	if (n) {
		printf("\nremoved (%zu):\n", n);
		for (size_t i = 0; i < n; i++) {
			printf("  [%s] ", chr_article_removed_reason(a, i));
			cli_cell(stdout, chr_article_removed_text(a, i), 90);
			printf("\n");
		}
	}
}

/* ---- dedup block (owner: dedup; src/dedup/api.c) ---------------------- */
static int print_group(void *ctx, const chr_dup_group *g)
{
	(void)ctx;
	printf("\ngroup:      %lld (%zu article%s, original %s)\n", (long long)g->id,
	       g->n, g->n == 1 ? "" : "s", g->original);
	for (size_t i = 0; g->n > 1 && i < g->n; i++)
		printf("  %s\n", g->articles[i]);
	return 0;
}

static int print_reuse(void *ctx, const chr_reuse *r)
{
	(void)ctx;
	printf("\nreused paragraph (also in %zu other article%s):\n  ", r->n,
	       r->n == 1 ? "" : "s");
	cli_cell(stdout, r->text, 90);
	printf("\n ");
	for (size_t i = 0; i < r->n; i++)
		printf(" %s", r->articles[i]);
	printf("\n");
	return 0;
}

static void print_dedup(chr_db *db, const char *id)
{
	chr_db_article_group(db, id, print_group, NULL);
	chr_db_article_reuse(db, id, print_reuse, NULL);
}
/* ---- end of dedup block --------------------------------------------------- */

int cmd_article(const cli_ctx *ctx, int argc, char **argv)
{
	int json = 0;
	const char *id = NULL;
	for (int i = 1; i < argc; i++) {
		if (cli_is_help(argv[i])) {
			printf("usage: chronicle article [--json] ID\n"
			       "\nShow one stored article: metadata, clean text, and every piece\n"
			       "cleaning removed with its reason.\n");
			return EXIT_OK;
		} else if (!strcmp(argv[i], "--json")) {
			json = 1;
		} else if (!id && (argv[i][0] != '-' || !strcmp(argv[i], "-"))) {
			id = argv[i];
		} else {
			return cli_usage_error("article", "unexpected argument %s", argv[i]);
		}
	}
	if (!id)
		return cli_usage_error("article", "which article? give its ID");
	chr_db *db = cli_open_db(ctx);
	if (!db)
		return EXIT_RUNTIME;
	chr_article *a;
	chr_status st = chr_db_article(db, id, &a);
	int rc = EXIT_OK;
	if (st == CHR_ENOTFOUND) {
		cli_error("no article with id '%s'", id);
		rc = EXIT_RUNTIME;
	} else if (st) {
		cli_error("%s: %s", chr_strerror(st), chr_db_errmsg(db));
		rc = EXIT_RUNTIME;
	} else {
		if (json) {
			size_t len;
			char *js = chr_db_article_json(db, a, &len);
			if (js) {
				fwrite(js, 1, len, stdout);
				fputc('\n', stdout);
			}
			chr_free(js);
		} else {
			print_article(a);
			print_dedup(db, chr_article_id(a));
		}
		chr_article_free(a);
	}
	chr_db_close(db);
	return rc;
}
