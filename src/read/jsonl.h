/*
 * jsonl: validate one JSON Lines line and pick out the reader's fields.
 *
 * Design note: the reader wants a handful of top-level strings (text, id,
 * title, ...) from each line but must refuse any line that is not valid
 * JSON, so this is a single-pass validator in the spirit of a SAX lexer:
 * no tree, no per-value allocation.  The wanted fields' strings are
 * unescaped into one reusable buffer (each NUL-terminated); every other
 * value is checked and skipped.  Strictness is the one the reader had
 * with jansson (json_loadb, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL):
 *   - the line is one object or array, then only white space
 *     (space, tab, CR, LF);
 *   - duplicate keys are refused in every object, comparing the
 *     unescaped keys; a key holding U+0000 is refused;
 *   - strings: no raw control characters, the JSON escapes only, \u
 *     escapes with surrogate pairs checked, \u0000 allowed in values;
 *   - numbers by the JSON grammar; an integer (no '.', no exponent) must
 *     fit int64 and a real must not overflow a double, as strtoll and
 *     strtod would say;
 *   - at most JL_MAX_DEPTH nested values, counted as jansson does;
 *   - the first error wins, in jansson's order (a string is scanned to its
 *     closing quote before its \u escapes are judged), so a bad line gets
 *     the same kind of error it got before.
 * UTF-8 is checked inside strings (with core/utf8's rules) and any other
 * non-ASCII byte is not a token, so a line that parses is valid UTF-8
 * with no NUL byte; invalid UTF-8 in a string stops the parse with
 * JL_ERR_UTF8 (the reader then converts the line and parses it again).
 * Duplicate keys are found with a small chained hash whose chains are
 * stacks: an object's keys are pushed while it is open and popped when
 * it closes, so one table serves every nesting level.  Every buffer has a
 * ceiling derived from the longest line.  Internal prefix: jl_.
 */
#ifndef CHR_JSONL_H
#define CHR_JSONL_H

#include <stdint.h>

#include "chronicle.h"
#include "core/buf.h"

#define JL_MAX_DEPTH 2048 /* jansson's JSON_PARSER_MAX_DEPTH */

/* The top-level fields the reader reads. */
enum jl_field {
	JL_TEXT, JL_BODY, JL_ID, JL_TITLE, JL_HEADLINE, JL_DATE,
	JL_PUBLISHED, JL_URL, JL_SOURCE, JL_DATELINE, JL_NFIELDS
};

typedef enum jl_kind {
	JL_ABSENT = 0, /* no such key */
	JL_STRING,     /* out.p + off, len bytes (may hold NULs), NUL-ended */
	JL_INTEGER,    /* num */
	JL_OTHER       /* real, true, false, null, object or array */
} jl_kind;

typedef struct jl_value {
	jl_kind kind;
	size_t off, len;
	long long num;
	int ctl; /* a string's escapes made a NUL or a C0 control other
		  * than tab, LF, VT, FF, CR and ESC (see u8_binary_at) */
} jl_value;

/* Why a line was refused. */
typedef enum jl_error {
	JL_ERR_SYNTAX = 1, /* anything malformed */
	JL_ERR_EOF,        /* the line ended inside the value */
	JL_ERR_TRAILING,   /* something other than white space after it */
	JL_ERR_UTF8        /* invalid UTF-8 inside a string */
} jl_error;

typedef struct jl_key {
	size_t off;             /* in keys */
	uint32_t len, hash, next; /* next: older key in the same bucket */
} jl_key;

typedef struct jl_parser {
	size_t max;       /* longest line accepted */
	buf out;          /* the wanted strings */
	buf keys;         /* unescaped keys of the open objects */
	jl_key *key;      /* key stack, nkey live */
	uint32_t *head;   /* bucket -> newest key index, or JL_NONE */
	uint32_t nkey, capkey, nhead;
	/* result of the last jl_parse */
	jl_value f[JL_NFIELDS];
	int object;       /* the value was an object (not an array) */
	jl_error err;     /* on CHR_EPARSE */
	size_t err_at;    /* byte offset the error points at */
	const char *why;  /* static text */
	/* first key index of the open container at each depth, or JL_NONE
	 * for an array */
	uint32_t open[JL_MAX_DEPTH + 1];
} jl_parser;

#define JL_NONE UINT32_MAX

/* Prepare a parser for lines of at most max bytes. */
void jl_init(jl_parser *p, size_t max);
void jl_free(jl_parser *p);

/* Parse s[0..n).  CHR_OK: p->f and p->object hold the line's fields;
 * CHR_EPARSE: p->err, p->err_at and p->why say what and where;
 * CHR_ETOOBIG: n is over the ceiling; CHR_ENOMEM. */
chr_status jl_parse(jl_parser *p, const char *s, size_t n);

#endif
