/*
 * search: `chronicle search QUERY`, FTS5 over headline and text.
 * Matches in snippets are marked by the library with \x02 ... \x03; on a
 * terminal they become bold, elsewhere [brackets], in JSON <b> tags are
 * not used: the markers are turned into "[" and "]" so the output is
 * plain text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

typedef struct search_ctx {
	int json, tty;
	uint64_t n;
} search_ctx;

static void json_str(const char *s)
{
	putchar('"');
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", stdout);
		else if (*p == 2)
			putchar('[');
		else if (*p == 3)
			putchar(']');
		else if (*p < 0x20)
			printf("\\u%04x", *p);
		else
			putchar(*p);
	}
	putchar('"');
}

static int on_hit(void *ctx, const chr_hit *h)
{
	search_ctx *c = ctx;
	c->n++;
	if (c->json) {
		fputs("{\"id\":", stdout);
		json_str(h->id);
		fputs(",\"headline\":", stdout);
		json_str(h->headline);
		fputs(",\"published\":", stdout);
		if (h->published)
			json_str(h->published);
		else
			fputs("null", stdout);
		fputs(",\"snippet\":", stdout);
		json_str(h->snippet);
		printf(",\"score\":%.4f}\n", h->score);
		return 0;
	}
	printf("%s  %s  %s\n    ", h->id, h->published ? h->published : "----------",
	       h->headline ? h->headline : "");
	for (const char *p = h->snippet ? h->snippet : ""; *p; p++) {
		if (*p == 2)
			fputs(c->tty ? "\033[1m" : "[", stdout);
		else if (*p == 3)
			fputs(c->tty ? "\033[0m" : "]", stdout);
		else if (*p == '\n')
			putchar(' ');
		else
			putchar(*p);
	}
	printf("\n");
	return 0;
}

int cmd_search(const cli_ctx *ctx, int argc, char **argv)
{
	search_ctx c = { 0, isatty(1), 0 };
	const char *q = NULL;
	long limit = 20;
	for (int i = 1; i < argc; i++) {
		if (cli_is_help(argv[i])) {
			printf("usage: chronicle search [--json] [--limit N] QUERY\n"
			       "\nFull-text search over headlines and clean text, best match first.\n"
			       "QUERY uses FTS5 syntax: words, \"exact phrases\", OR, NOT, prefix*.\n"
			       "A malformed query is a usage error (exit 2).\n");
			return EXIT_OK;
		} else if (!strcmp(argv[i], "--json")) {
			c.json = 1;
		} else if (!strcmp(argv[i], "--limit")) {
			char *end;
			if (i + 1 >= argc || (limit = strtol(argv[i + 1], &end, 10)) <= 0 || *end)
				return cli_usage_error("search", "--limit needs a positive number");
			i++;
		} else if (!q) {
			q = argv[i];
		} else {
			return cli_usage_error("search", "one query at a time (quote it)");
		}
	}
	if (!q || !*q)
		return cli_usage_error("search", "no query");
	chr_db *db = cli_open_db(ctx);
	if (!db)
		return EXIT_RUNTIME;
	chr_status st = chr_db_search(db, q, (size_t)limit, 0, on_hit, &c);
	int rc = EXIT_OK;
	if (st == CHR_EQUERY) {
		rc = cli_usage_error("search", "malformed query '%s': %s", q, chr_db_errmsg(db));
	} else if (st && st != CHR_EINTERRUPTED) {
		cli_error("%s: %s", chr_strerror(st), chr_db_errmsg(db));
		rc = EXIT_RUNTIME;
	} else if (!c.json) {
		printf("%llu match%s\n", (unsigned long long)c.n, c.n == 1 ? "" : "es");
	}
	chr_db_close(db);
	return rc;
}
