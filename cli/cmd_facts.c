/*
 * facts, conflicts, timeline, digest: what happened, where sources
 * disagree, in time order, and per-event summaries (src/facts/,
 * src/digest/).  --json prints the library's objects one per line; the
 * table is a short view of the same objects (read back with jansson).
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "jsonview.h"

typedef struct fx_ctx {
	int json;
	const char *cmd;
	size_t n;
	const int64_t *events; /* timeline --storyline: only these events */
	size_t nevents;
} fx_ctx;

/* 1 when the row's event is one of c->events (sorted ascending). */
static int in_events(const fx_ctx *c, json_t *o)
{
	json_int_t e = json_integer_value(json_object_get(o, "event"));
	size_t lo = 0, hi = c->nevents;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->events[mid] == e)
			return 1;
		if (c->events[mid] < e)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static int print_row(void *ctx, const char *json, size_t len)
{
	fx_ctx *c = ctx;
	json_t *o = NULL;
	if (c->events) {
		if (!(o = json_loadb(json, len, 0, NULL)))
			return 1;
		if (!in_events(c, o)) {
			json_decref(o);
			return 0;
		}
	}
	c->n++;
	if (c->json) {
		json_decref(o);
		fwrite(json, 1, len, stdout);
		putchar('\n');
		return 0;
	}
	if (!o && !(o = json_loadb(json, len, 0, NULL)))
		return 1;
	if (!strcmp(c->cmd, "facts")) {
		printf("%-10s %-9s %-8s %-16s ", cli_jstr(o, "when"), cli_jstr(o, "type"),
		       cli_jstr(o, "status"), cli_jstr(o, "where"));
		printf("%s", cli_jstr(o, "who"));
		json_t *w = json_object_get(o, "with");
		if (json_array_size(w)) {
			printf(" + ");
			cli_print_list(w, 0);
		} else if (json_object_get(o, "group")) {
			printf(" + [%s]", cli_jstr(o, "group"));
		}
		long long n = (long long)json_integer_value(json_object_get(o, "sources"));
		printf("  (%lld source%s)\n", n, n == 1 ? "" : "s");
	} else if (!strcmp(c->cmd, "conflicts")) {
		printf("%-9s %s:", cli_jstr(o, "kind"), cli_jstr(o, "about"));
		size_t i;
		json_t *s;
		json_array_foreach(json_object_get(o, "sides"), i, s)
		{
			long long n = (long long)json_integer_value(json_object_get(s, "sources"));
			printf("%s %s (%lld source%s)", i ? " vs" : "", cli_jstr(s, "value"), n,
			       n == 1 ? "" : "s");
		}
		putchar('\n');
	} else if (!strcmp(c->cmd, "timeline")) {
		const char *t = cli_jstr(o, "text");
		size_t k = strlen(t) > 110 ? 110 : strlen(t);
		while (k < strlen(t) && k > 0 && ((unsigned char)t[k] & 0xC0) == 0x80)
			k--; /* cut between UTF-8 characters */
		printf("%-10s %3lld  %s%.*s%s\n", cli_jstr(o, "date"),
		       (long long)json_integer_value(json_object_get(o, "sources")),
		       json_is_true(json_object_get(o, "background")) ? "(background) " : "",
		       (int)k, t, k < strlen(t) ? "…" : "");
	} else {
		printf("event %lld  %s  [%s]\n",
		       (long long)json_integer_value(json_object_get(o, "event")),
		       cli_jstr(o, "title"), cli_jstr(o, "date"));
		size_t i;
		json_t *s;
		json_array_foreach(json_object_get(o, "summary"), i, s)
			printf("  - %s (%s)\n", cli_jstr(s, "text"), cli_jstr(s, "article"));
	}
	json_decref(o);
	return 0;
}

static int run(const cli_ctx *ctx, int argc, char **argv, const char *usage)
{
	fx_ctx c = { 0, argv[0], 0, NULL, 0 };
	const char *entity = NULL, *query = NULL;
	long long event = 0, story = 0;
	for (int i = 1; i < argc; i++) {
		if (cli_is_help(argv[i])) {
			fputs(usage, stdout);
			return EXIT_OK;
		} else if (!strcmp(argv[i], "--json")) {
			c.json = 1;
		} else if (!strcmp(argv[i], "--entity") && i + 1 < argc &&
			   strcmp(argv[0], "conflicts") && strcmp(argv[0], "digest")) {
			entity = argv[++i];
		} else if (!strcmp(argv[i], "--query") && i + 1 < argc &&
			   !strcmp(argv[0], "timeline")) {
			query = argv[++i];
		} else if (!strcmp(argv[i], "--storyline") && i + 1 < argc &&
			   !strcmp(argv[0], "timeline")) {
			char *end;
			story = strtoll(argv[++i], &end, 10);
			if (*end || story <= 0)
				return cli_usage_error(argv[0], "--storyline takes a storyline id");
		} else if (!strcmp(argv[i], "--event") && i + 1 < argc &&
			   !strcmp(argv[0], "digest")) {
			event = atoll(argv[++i]);
		} else {
			return cli_usage_error(argv[0], "unexpected argument %s", argv[i]);
		}
	}
	chr_db *db = cli_open_db(ctx);
	if (!db)
		return EXIT_RUNTIME;
	chr_status st = CHR_OK;
	int64_t *evs = NULL;
	if (story) {
		st = chr_db_storyline_events(db, story, &evs, &c.nevents);
		if (st == CHR_ENOTFOUND) {
			cli_error("timeline: no storyline %lld", story);
			chr_db_close(db);
			return EXIT_RUNTIME;
		}
		c.events = evs;
	}
	if (st)
		; /* reported below */
	else if (!strcmp(argv[0], "facts"))
		st = chr_db_facts(db, entity, print_row, &c);
	else if (!strcmp(argv[0], "conflicts"))
		st = chr_db_conflicts(db, print_row, &c);
	else if (!strcmp(argv[0], "timeline"))
		st = chr_db_timeline(db, entity, query, print_row, &c);
	else
		st = chr_db_digests(db, event, print_row, &c);
	int rc = EXIT_OK;
	if (st == CHR_ENOTFOUND) {
		cli_error("%s: no entity %s", argv[0], entity ? entity : "");
		rc = EXIT_RUNTIME;
	} else if (st) {
		cli_error("%s: %s (%s)", argv[0], chr_strerror(st), chr_db_errmsg(db));
		rc = EXIT_RUNTIME;
	} else if (!c.json) {
		fprintf(stderr, "%zu %s\n", c.n, argv[0]);
	}
	chr_free(evs);
	chr_db_close(db);
	return rc;
}

int cmd_facts(const cli_ctx *ctx, int argc, char **argv)
{
	return run(ctx, argc, argv,
		   "usage: chronicle facts [--entity NAME] [--json]\n"
		   "\nMeetings, visits, statements and agreements merged across\n"
		   "articles: who, with whom, where, when, status (happened,\n"
		   "negated, planned), the supporting sentences and how many\n"
		   "independent sources (syndication groups) say so.  --json prints\n"
		   "{id, type, status, who, with, group, where, when, duration,\n"
		   "sentences, sources, event} per line.\n");
}

int cmd_conflicts(const cli_ctx *ctx, int argc, char **argv)
{
	return run(ctx, argc, argv,
		   "usage: chronicle conflicts [--json]\n"
		   "\nWhere independent sources disagree about the same thing at the\n"
		   "same time: durations, dates, counts and titles, each with both\n"
		   "sides and their sources.  --json prints {id, kind, about, event,\n"
		   "sides:[{value, sources, sentences}]} per line.\n");
}

int cmd_timeline(const cli_ctx *ctx, int argc, char **argv)
{
	return run(ctx, argc, argv,
		   "usage: chronicle timeline [--entity NAME] [--query WORDS]\n"
		   "                          [--storyline ID] [--json]\n"
		   "\nDated entries in time order: facts that happened, with their\n"
		   "best sentence; with --entity also background dates mentioned in\n"
		   "passing; --storyline keeps the entries of that storyline's events.  --json prints {date, text, event, sources, fact, type,\n"
		   "article, background} per line.\n");
}

int cmd_digest(const cli_ctx *ctx, int argc, char **argv)
{
	return run(ctx, argc, argv,
		   "usage: chronicle digest [--event ID] [--json]\n"
		   "\nPer event: a title (its most representative headline) and an\n"
		   "extractive summary of 3-5 sentences in time order, each with its\n"
		   "article.  --json prints {event, title, date, articles, summary}.\n");
}
