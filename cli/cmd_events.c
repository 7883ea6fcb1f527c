/*
 * events, event, storylines: the events the ingest stage computed.
 *
 * Design note: the library hands each event and storyline over as JSON
 * (chronicle.h, "Events"); --json prints it as given, one object per
 * line, and the text form reads the same JSON with jansson, so there is
 * one source of truth for the fields.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "jsonview.h"

typedef struct ev_ctx {
	int json;
	uint64_t n;
} ev_ctx;

/* Count a row; with --json print it as given and return NULL, else
 * return it parsed (NULL if it does not parse) for the caller to free. */
static json_t *row(ev_ctx *c, const char *js, size_t len)
{
	c->n++;
	if (c->json) {
		fwrite(js, 1, len, stdout);
		fputc('\n', stdout);
		return NULL;
	}
	return json_loadb(js, len, 0, NULL);
}

static int on_event(void *ctx, const char *js, size_t len)
{
	json_t *o = row(ctx, js, len);
	if (!o)
		return 0;
	printf("%6lld  %-10s  %-10s  %5zu  ",
	       (long long)json_integer_value(json_object_get(o, "id")),
	       cli_jstr(o, "date"), cli_jstr(o, "date_end"),
	       json_array_size(json_object_get(o, "articles")));
	cli_cell(stdout, cli_jstr(o, "title"), 60);
	printf("\n");
	json_decref(o);
	return 0;
}

static int parse_flags(int argc, char **argv, const char *cmd, const char *help,
		       int *json, const char **arg)
{
	for (int i = 1; i < argc; i++) {
		if (cli_is_help(argv[i])) {
			fputs(help, stdout);
			return -1;
		} else if (!strcmp(argv[i], "--json")) {
			*json = 1;
		} else if (arg && !*arg) {
			*arg = argv[i];
		} else {
			return cli_usage_error(cmd, "unexpected argument %s", argv[i]);
		}
	}
	return 0;
}

/* --limit N / --offset N (N a count; 0 for --limit means no limit). */
static int count_arg(int argc, char **argv, int *i, const char *cmd,
		     unsigned long long *out)
{
	if (*i + 1 >= argc)
		return cli_usage_error(cmd, "%s needs a number", argv[*i]);
	char *end;
	const char *v = argv[++*i];
	unsigned long long n = strtoull(v, &end, 10);
	if (!*v || *end || *v == '-')
		return cli_usage_error(cmd, "%s takes a count, not '%s'", argv[*i - 1], v);
	*out = n;
	return 0;
}

#define EVENTS_DEFAULT_LIMIT 100

int cmd_events(const cli_ctx *ctx, int argc, char **argv)
{
	ev_ctx c = { 0, 0 };
	unsigned long long limit = EVENTS_DEFAULT_LIMIT, offset = 0;
	for (int i = 1; i < argc; i++) {
		if (cli_is_help(argv[i])) {
			printf("usage: chronicle events [--json] [--limit N] [--offset N]\n"
			       "\nEvents in id order: id, first and last date, articles, title;\n"
			       "the first %d unless --limit says otherwise (0: all).\n"
			       "--json prints one object per line: {id, title, date, date_end,\n"
			       "place, storyline, articles, entities}.\n",
			       EVENTS_DEFAULT_LIMIT);
			return EXIT_OK;
		} else if (!strcmp(argv[i], "--json")) {
			c.json = 1;
		} else if (!strcmp(argv[i], "--limit") || !strcmp(argv[i], "--offset")) {
			int rc = count_arg(argc, argv, &i, "events",
					   argv[i][2] == 'l' ? &limit : &offset);
			if (rc)
				return rc;
		} else {
			return cli_usage_error("events", "unexpected argument %s", argv[i]);
		}
	}
	chr_db *db = cli_open_db(ctx);
	if (!db)
		return EXIT_RUNTIME;
	if (!c.json)
		printf("%6s  %-10s  %-10s  %5s  %s\n", "ID", "DATE", "DATE_END", "ARTS", "TITLE");
	chr_status st = chr_db_events(db, (size_t)limit, (size_t)offset, on_event, &c);
	if (st && st != CHR_EINTERRUPTED)
		cli_error("%s: %s", chr_strerror(st), chr_db_errmsg(db));
	else if (!c.json && limit && c.n == limit)
		printf("%llu events shown (--limit %llu; --offset %llu for the next, --limit 0 for all)\n",
		       (unsigned long long)c.n, limit, offset + limit);
	else if (!c.json)
		printf("%llu event%s\n", (unsigned long long)c.n, c.n == 1 ? "" : "s");
	chr_db_close(db);
	return st && st != CHR_EINTERRUPTED ? EXIT_RUNTIME : EXIT_OK;
}

int cmd_event(const cli_ctx *ctx, int argc, char **argv)
{
	int json = 0;
	const char *arg = NULL;
	int rc = parse_flags(argc, argv, "event",
			     "usage: chronicle event [--json] ID\n"
			     "\nOne event: title, dates, place, storyline, entities and articles.\n",
			     &json, &arg);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	char *end;
	long long id = arg ? strtoll(arg, &end, 10) : 0;
	if (!arg || *end || id <= 0)
		return cli_usage_error("event", "which event? give its id");
	chr_db *db = cli_open_db(ctx);
	if (!db)
		return EXIT_RUNTIME;
	char *js = NULL;
	size_t len = 0;
	chr_status st = chr_db_event_json(db, id, &js, &len);
	rc = EXIT_OK;
	if (st == CHR_ENOTFOUND) {
		cli_error("no event %lld", id);
		rc = EXIT_RUNTIME;
	} else if (st) {
		cli_error("%s: %s", chr_strerror(st), chr_db_errmsg(db));
		rc = EXIT_RUNTIME;
	} else if (json) {
		fwrite(js, 1, len, stdout);
		fputc('\n', stdout);
	} else {
		json_t *o = json_loadb(js, len, 0, NULL);
		if (o) {
			json_t *sl = json_object_get(o, "storyline");
			printf("event %lld: %s\n", id, cli_jstr(o, "title"));
			printf("dates:     %s .. %s\n", cli_jstr(o, "date"), cli_jstr(o, "date_end"));
			printf("place:     %s\n", cli_jstr(o, "place"));
			if (json_is_integer(sl))
				printf("storyline: %lld\n", (long long)json_integer_value(sl));
			printf("entities:  ");
			cli_print_list(json_object_get(o, "entities"), 10);
			printf("\narticles:  ");
			cli_print_list(json_object_get(o, "articles"), 50);
			printf("\n");
			json_decref(o);
		}
	}
	chr_free(js);
	chr_db_close(db);
	return rc;
}

static int on_story(void *ctx, const char *js, size_t len)
{
	json_t *o = row(ctx, js, len);
	if (!o)
		return 0;
	printf("%6lld  ", (long long)json_integer_value(json_object_get(o, "id")));
	cli_cell(stdout, cli_jstr(o, "title"), 50);
	printf("  events: ");
	cli_print_list(json_object_get(o, "events"), 20);
	printf("\n");
	json_decref(o);
	return 0;
}

int cmd_storylines(const cli_ctx *ctx, int argc, char **argv)
{
	ev_ctx c = { 0, 0 };
	int rc = parse_flags(argc, argv, "storylines",
			     "usage: chronicle storylines [--json]\n"
			     "\nStorylines (events linked across time by shared central entities\n"
			     "and topic): id, title, event ids.  --json: {id, title, events}.\n",
			     &c.json, NULL);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	chr_db *db = cli_open_db(ctx);
	if (!db)
		return EXIT_RUNTIME;
	chr_status st = chr_db_storylines(db, on_story, &c);
	if (st && st != CHR_EINTERRUPTED)
		cli_error("%s: %s", chr_strerror(st), chr_db_errmsg(db));
	else if (!c.json)
		printf("%llu storyline%s\n", (unsigned long long)c.n, c.n == 1 ? "" : "s");
	chr_db_close(db);
	return st && st != CHR_EINTERRUPTED ? EXIT_RUNTIME : EXIT_OK;
}
