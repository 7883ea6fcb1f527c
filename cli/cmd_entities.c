/*
 * entities, entity: canonical people, organisations and places.
 * `entity NAME` accepts any alias ("DPRK", "Choe", "choe son-hui").
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "jsonview.h"

typedef struct ent_ctx {
	chr_db *db;
	int json;
	uint64_t n;
} ent_ctx;

static int on_row(void *ctx, const chr_entity_row *r)
{
	ent_ctx *c = ctx;
	c->n++;
	if (c->json) {
		char id[32], *js = NULL;
		size_t len;
		snprintf(id, sizeof id, "%lld", (long long)r->id);
		if (chr_db_entity_json(c->db, id, &js, &len) == CHR_OK) {
			fwrite(js, 1, len, stdout);
			fputc('\n', stdout);
		}
		chr_free(js);
		return 0;
	}
	printf("%6lld  ", (long long)r->id);
	cli_cell(stdout, r->type, 4);
	printf("  %8lld  %8lld  ", (long long)r->mentions, (long long)r->articles);
	cli_cell(stdout, r->name, 60);
	printf("\n");
	return 0;
}

static int type_ok(const char *t)
{
	return !strcmp(t, "PER") || !strcmp(t, "LOC") || !strcmp(t, "ORG") ||
	       !strcmp(t, "MISC");
}

int cmd_entities(const cli_ctx *ctx, int argc, char **argv)
{
	ent_ctx c = { NULL, 0, 0 };
	const char *type = NULL;
	long limit = 0;
	for (int i = 1; i < argc; i++) {
		if (cli_is_help(argv[i])) {
			printf("usage: chronicle entities [--json] [--type PER|LOC|ORG|MISC] [--limit N]\n"
			       "\nCanonical entities, most mentioned first: id, type, mentions,\n"
			       "articles, name.  --json prints one entity object per line:\n"
			       "{id, name, type, aliases, roles, mentions, articles}.\n");
			return EXIT_OK;
		} else if (!strcmp(argv[i], "--json")) {
			c.json = 1;
		} else if (!strcmp(argv[i], "--type")) {
			if (i + 1 >= argc || !type_ok(argv[i + 1]))
				return cli_usage_error("entities", "--type needs PER, LOC, ORG or MISC");
			type = argv[++i];
		} else if (!strcmp(argv[i], "--limit")) {
			char *end;
			if (i + 1 >= argc || (limit = strtol(argv[i + 1], &end, 10)) <= 0 || *end)
				return cli_usage_error("entities", "--limit needs a positive number");
			i++;
		} else {
			return cli_usage_error("entities", "unexpected argument %s", argv[i]);
		}
	}
	c.db = cli_open_db(ctx);
	if (!c.db)
		return EXIT_RUNTIME;
	if (!c.json)
		printf("%6s  %-4s  %8s  %8s  %s\n", "ID", "TYPE", "MENTIONS", "ARTICLES", "NAME");
	chr_status st = chr_db_entities(c.db, type, (size_t)limit, 0, on_row, &c);
	if (st && st != CHR_EINTERRUPTED)
		cli_error("%s: %s", chr_strerror(st), chr_db_errmsg(c.db));
	else if (!c.json)
		printf("%llu entit%s\n", (unsigned long long)c.n, c.n == 1 ? "y" : "ies");
	chr_db_close(c.db);
	return st && st != CHR_EINTERRUPTED ? EXIT_RUNTIME : EXIT_OK;
}

/* The text view reads the library's entity JSON with jansson, as the
 * events and facts commands do. */
static void print_entity(const char *js, size_t len)
{
	json_t *o = json_loadb(js, len, 0, NULL);
	if (!o)
		return;
	printf("name:      %s\n", cli_jstr(o, "name"));
	printf("type:      %s\n", cli_jstr(o, "type"));
	printf("mentions:  %lld\n",
	       (long long)json_integer_value(json_object_get(o, "mentions")));
	printf("aliases:   ");
	cli_print_list(json_object_get(o, "aliases"), 0);
	printf("\n");
	printf("roles:\n");
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(o, "roles"), i, r)
		printf("  %s (%s to %s)\n", cli_jstr(r, "title"), cli_jstr(r, "from"), cli_jstr(r, "to"));
	printf("articles:  ");
	cli_print_list(json_object_get(o, "articles"), 0);
	printf("\n");
	json_decref(o);
}

int cmd_entity(const cli_ctx *ctx, int argc, char **argv)
{
	int json = 0;
	const char *name = NULL;
	for (int i = 1; i < argc; i++) {
		if (cli_is_help(argv[i])) {
			printf("usage: chronicle entity [--json] NAME\n"
			       "\nOne canonical entity: name, type, aliases, roles over time and the\n"
			       "articles that mention it.  NAME may be any alias or the entity id.\n");
			return EXIT_OK;
		} else if (!strcmp(argv[i], "--json")) {
			json = 1;
		} else if (!name) {
			name = argv[i];
		} else {
			return cli_usage_error("entity", "one name at a time (quote it)");
		}
	}
	if (!name || !*name)
		return cli_usage_error("entity", "which entity? give a name");
	chr_db *db = cli_open_db(ctx);
	if (!db)
		return EXIT_RUNTIME;
	char *js = NULL;
	size_t len;
	chr_status st = chr_db_entity_json(db, name, &js, &len);
	int rc = EXIT_OK;
	if (st == CHR_ENOTFOUND) {
		cli_error("no entity named '%s'", name);
		rc = EXIT_RUNTIME;
	} else if (st) {
		cli_error("%s: %s", chr_strerror(st), chr_db_errmsg(db));
		rc = EXIT_RUNTIME;
	} else if (json) {
		fwrite(js, 1, len, stdout);
		fputc('\n', stdout);
	} else {
		print_entity(js, len);
	}
	chr_free(js);
	chr_db_close(db);
	return rc;
}
