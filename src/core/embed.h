/*
 * embed: data files compiled into the library.
 *
 * Design note: the curated tables chronicle needs at run time (news
 * aliases, capitals, title words) are small and must work from a fresh
 * clone with no install step and no path to find, so the build turns each
 * file in data/ into a byte array (scripts/embed.sh) and this module looks
 * them up by name.  Internal prefix: embed_.
 */
#ifndef CHR_EMBED_H
#define CHR_EMBED_H

#include <stddef.h>

typedef struct embed_file {
	const char *name;          /* base name, e.g. "aliases.tsv" */
	const unsigned char *data; /* NUL-terminated */
	size_t len;                /* bytes, without the NUL */
} embed_file;

/* The table written by scripts/embed.sh, ended by a NULL name. */
extern const embed_file embed_files[];

/* The named file's bytes (NUL-terminated), or NULL; *len gets the size. */
const char *embed_get(const char *name, size_t *len);

/* Next line of a table in [*p, end): blank lines and lines starting with
 * '#' are skipped, a trailing '\r' is dropped.  Sets *s and *n (the line,
 * not NUL-terminated, pointing into the table) and advances *p; returns 0
 * at the end. */
int embed_next_line(const char **p, const char *end, const char **s,
		    size_t *n);

#endif
