/*
 * main: the chronicle command-line tool.
 *
 * Design note: global options (--db, --help, --version) are parsed here;
 * everything after the command name belongs to the command.  The command
 * table is the single list of what the tool can do, and drives --help.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

int cmd_tag_ner(const cli_ctx *ctx, int argc, char **argv);

static const cli_command commands[] = {
	{ "ingest", cmd_ingest, "read, clean and store articles from files, folders or -" },
	{ "articles", cmd_articles, "list stored articles" },
	{ "article", cmd_article, "show one article with what cleaning removed" },
	{ "search", cmd_search, "full-text search over stored articles" },
	{ "dups", cmd_dups, "list syndication groups: copies of one story and its original" },
	{ "entities", cmd_entities, "list canonical people, organisations and places" },
	{ "entity", cmd_entity, "one entity: aliases, roles over time, articles" },
	{ "events", cmd_events, "events: articles clustered into real-world events" },
	{ "event", cmd_event, "one event: dates, place, entities, articles" },
	{ "storylines", cmd_storylines, "storylines: events linked across time" },
	{ "facts", cmd_facts, "who met whom, where and when, with sentences and sources" },
	{ "conflicts", cmd_conflicts, "where sources disagree: durations, dates, counts, titles" },
	{ "timeline", cmd_timeline, "dated entries in time order (--entity, --query, --storyline)" },
	{ "digest", cmd_digest, "per-event title and extractive summary" },
	{ "serve", cmd_serve, "serve the JSON API and the web page (loopback by default)" },
	{ "tag-time", cmd_tag_time, "tag and normalise TIMEX3 expressions (timeml or json)" },
	{ "tag-ner", cmd_tag_ner, "tag named entities in CoNLL lines or plain text" },
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "chronicle %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see chronicle %s --help)\n", cmd);
	return EXIT_USAGE;
}

void cli_error(const char *fmt, ...)
{
	va_list ap;
	fputs("chronicle: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_is_help(const char *arg)
{
	return !strcmp(arg, "-h") || !strcmp(arg, "--help");
}

chr_db *cli_open_db(const cli_ctx *ctx)
{
	chr_db *db;
	chr_status st = chr_db_open(ctx->db_path, &db);
	if (st) {
		cli_error("%s: %s (%s)", ctx->db_path, chr_strerror(st),
			  chr_last_error());
		return NULL;
	}
	return db;
}

char *cli_slurp(const char *path, size_t max, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!f) {
		cli_error("%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	size_t cap = 65536, n = 0;
	char *p = malloc(cap + 1);
	while (p) {
		if (n == cap) {
			if (cap >= max) {
				cli_error("%s: over the %zu-byte limit", path, max);
				free(p);
				p = NULL;
				break;
			}
			cap = cap * 2 > max ? max : cap * 2;
			char *q = realloc(p, cap + 1);
			if (!q) {
				free(p);
				p = NULL;
				break;
			}
			p = q;
		}
		size_t got = fread(p + n, 1, cap - n, f);
		n += got;
		if (got == 0) {
			if (ferror(f)) {
				cli_error("%s: read error", path);
				free(p);
				p = NULL;
			}
			break;
		}
	}
	if (f != stdin)
		fclose(f);
	if (p) {
		p[n] = '\0';
		*len = n;
	}
	return p;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: chronicle [--db FILE] COMMAND [OPTIONS] [ARGS]\n"
		"\n"
		"chronicle turns raw news articles into a clean, searchable record of\n"
		"what happened.  The database is --db FILE, $CHRONICLE_DB, or\n"
		"./chronicle.db.\n\ncommands:\n");
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\n`chronicle COMMAND --help` describes each command.\n"
		     "Exit status: 0 success, 1 runtime error or rejected input, 2 usage error.\n");
}

int main(int argc, char **argv)
{
	cli_ctx ctx;
	ctx.prog = argv[0];
	ctx.db_path = getenv("CHRONICLE_DB");
	if (!ctx.db_path || !*ctx.db_path)
		ctx.db_path = "chronicle.db";
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--db")) {
			if (i + 1 >= argc) {
				fprintf(stderr, "chronicle: --db needs a file name\n");
				return EXIT_USAGE;
			}
			ctx.db_path = argv[++i];
		} else if (!strncmp(argv[i], "--db=", 5)) {
			ctx.db_path = argv[i] + 5;
		} else if (cli_is_help(argv[i])) {
			usage(stdout);
			return EXIT_OK;
		} else if (!strcmp(argv[i], "--version")) {
			printf("chronicle %s\n", chr_version());
			return EXIT_OK;
		} else {
			fprintf(stderr, "chronicle: unknown option %s\n", argv[i]);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!*ctx.db_path) {
		fprintf(stderr, "chronicle: --db needs a file name\n");
		return EXIT_USAGE;
	}
	/* huge pages for malloc (src/core/tune.c) where they pay: the long
	 * runs; the re-exec adds ~13 ms, a query's whole start-up again */
	if (!strcmp(argv[i], "ingest") || !strcmp(argv[i], "serve"))
		chr_tune_exec(argv);
	for (size_t k = 0; k < N_COMMANDS; k++)
		if (!strcmp(argv[i], commands[k].name))
			return commands[k].fn(&ctx, argc - i, argv + i);
	if (!strcmp(argv[i], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	fprintf(stderr, "chronicle: unknown command '%s'\n", argv[i]);
	usage(stderr);
	return EXIT_USAGE;
}
