/*
 * cli: shared declarations for the chronicle command-line tool.
 *
 * Design note: each command lives in its own cli/cmd_<name>.c and is one
 * entry in the table in cli/main.c.  Commands see only the public header
 * (include/chronicle.h) and these helpers.  Exit codes: 0 success, 1 a
 * runtime error (or rejected input), 2 a usage error.
 */
#ifndef CHR_CLI_H
#define CHR_CLI_H

#include <stdio.h>
#include "chronicle.h"

enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

typedef struct cli_ctx {
	const char *db_path; /* --db, $CHRONICLE_DB, or "chronicle.db" */
	const char *prog;    /* argv[0] of the tool */
} cli_ctx;

/* A command: argv[0] is the command name; options follow. */
typedef int (*cli_fn)(const cli_ctx *ctx, int argc, char **argv);

typedef struct cli_command {
	const char *name;
	cli_fn fn;
	const char *summary; /* one line for `chronicle --help` */
} cli_command;

/* Print "chronicle CMD: message" to stderr and return EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Print "chronicle: message" to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* 1 when arg is "-h" or "--help". */
int cli_is_help(const char *arg);
/* Open the database named in ctx; prints the error and returns NULL on
 * failure. */
chr_db *cli_open_db(const cli_ctx *ctx);
/* Read a whole file (or "-" for stdin) up to max bytes.  Caller frees with
 * free().  Prints the error and returns NULL on failure. */
char *cli_slurp(const char *path, size_t max, size_t *len);

/* Print s in a cell of width columns (cut with an ellipsis, padded). */
void cli_cell(FILE *out, const char *s, int width);

/* Commands (one per cli/cmd_*.c). */
int cmd_ingest(const cli_ctx *ctx, int argc, char **argv);
int cmd_articles(const cli_ctx *ctx, int argc, char **argv);
int cmd_article(const cli_ctx *ctx, int argc, char **argv);
int cmd_search(const cli_ctx *ctx, int argc, char **argv);
int cmd_entities(const cli_ctx *ctx, int argc, char **argv);
int cmd_entity(const cli_ctx *ctx, int argc, char **argv);
int cmd_dups(const cli_ctx *ctx, int argc, char **argv);
int cmd_serve(const cli_ctx *ctx, int argc, char **argv);
int cmd_tag_time(const cli_ctx *ctx, int argc, char **argv);
int cmd_events(const cli_ctx *ctx, int argc, char **argv);
int cmd_event(const cli_ctx *ctx, int argc, char **argv);
int cmd_storylines(const cli_ctx *ctx, int argc, char **argv);
int cmd_facts(const cli_ctx *ctx, int argc, char **argv);
int cmd_conflicts(const cli_ctx *ctx, int argc, char **argv);
int cmd_timeline(const cli_ctx *ctx, int argc, char **argv);
int cmd_digest(const cli_ctx *ctx, int argc, char **argv);

#endif
