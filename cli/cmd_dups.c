/*
 * dups: syndication groups, {id, articles, original} (src/dedup/).
 * Lists groups of two or more articles in id order; --all adds lone
 * articles (groups of one).  --json prints one object per line.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

typedef struct dups_ctx {
	int json;
	size_t groups, articles;
} dups_ctx;

static void json_string(const char *s)
{
	putchar('"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p < 0x20)
			printf("\\u%04x", *p);
		else
			putchar(*p);
	}
	putchar('"');
}

static int print_group(void *ctx, const chr_dup_group *g)
{
	dups_ctx *c = ctx;
	c->groups++;
	c->articles += g->n;
	if (c->json) {
		printf("{\"id\":%lld,\"articles\":[", (long long)g->id);
		for (size_t i = 0; i < g->n; i++) {
			if (i)
				putchar(',');
			json_string(g->articles[i]);
		}
		printf("],\"original\":");
		json_string(g->original);
		printf("}\n");
		return 0;
	}
	printf("%-8lld %5zu  %-24s ", (long long)g->id, g->n, g->original);
	for (size_t i = 0; i < g->n; i++)
		printf("%s%s", i ? " " : "", g->articles[i]);
	putchar('\n');
	return 0;
}

int cmd_dups(const cli_ctx *ctx, int argc, char **argv)
{
	dups_ctx c = { 0, 0, 0 };
	size_t min = 2;
	for (int i = 1; i < argc; i++) {
		if (cli_is_help(argv[i])) {
			printf("usage: chronicle dups [--json] [--all]\n"
			       "\nList syndication groups (copies of one story): group id, size,\n"
			       "the original (best guess of the source copy) and the articles.\n"
			       "--all also lists articles that have no copy.  --json prints one\n"
			       "{id, articles, original} object per line.\n");
			return EXIT_OK;
		} else if (!strcmp(argv[i], "--json")) {
			c.json = 1;
		} else if (!strcmp(argv[i], "--all")) {
			min = 1;
		} else {
			return cli_usage_error("dups", "unexpected argument %s", argv[i]);
		}
	}
	chr_db *db = cli_open_db(ctx);
	if (!db)
		return EXIT_RUNTIME;
	if (!c.json)
		printf("%-8s %5s  %-24s %s\n", "GROUP", "SIZE", "ORIGINAL", "ARTICLES");
	chr_status st = chr_db_dup_groups(db, min, print_group, &c);
	if (st)
		cli_error("%s: %s", chr_strerror(st), chr_db_errmsg(db));
	else if (!c.json)
		printf("%zu group%s, %zu articles\n", c.groups, c.groups == 1 ? "" : "s",
		       c.articles);
	chr_db_close(db);
	return st ? EXIT_RUNTIME : EXIT_OK;
}
