/*
 * jsonview: reading the library's JSON objects back for the text views
 * of the events, facts and entity commands.
 *
 * Design note: the library hands the CLI finished JSON (one shape, shared
 * with the server); the text views parse it with jansson and need the
 * same two things, a string field with a placeholder and a comma list, so
 * they live here once.
 */
#ifndef CHR_CLI_JSONVIEW_H
#define CHR_CLI_JSONVIEW_H

#include <jansson.h>
#include <stddef.h>

/* o[k] as a string, or "-" when missing or not a string.  The string is
 * owned by o. */
const char *cli_jstr(json_t *o, const char *k);
/* Print a's strings and integers separated by ", " (no newline); after
 * max items (0 = no limit) print ", ... (N)" and stop. */
void cli_print_list(json_t *a, size_t max);

#endif
