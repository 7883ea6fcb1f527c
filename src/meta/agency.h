/*
 * agency: the names news agencies go by, mapped to one canonical name.
 *
 * Design note: credits come in many spellings ("Yonhap News Agency",
 * "(Yonhap)", "AFP-Yonhap", "Reuter", "ITAR-TASS").  One small data table
 * keeps the mapping in one place; both the clean stage (tags, credits,
 * "Source:" lines) and the meta stage (datelines) look names up here.  The
 * table is tiny and sorted by length, so a lookup compares only the names
 * of its length, with no start-up cost.  Internal prefix: meta_.
 */
#ifndef CHR_META_AGENCY_H
#define CHR_META_AGENCY_H

#include <stddef.h>

/* The canonical name ("Yonhap", "AFP", ...) for the agency named by s[0..n)
 * (surrounding spaces ignored, case-insensitive), or NULL.  Static string. */
const char *meta_agency_lookup(const char *s, size_t n);

/* Parse a credit such as "AFP-Yonhap", "AFP/Getty" or "Artem Geodakyan,
 * TASS": split on '-', '/', ',', ';' and call fn for each piece that names
 * an agency.  Returns how many pieces named an agency. */
int meta_agency_scan(const char *s, size_t n,
		     void (*fn)(void *ctx, const char *canon), void *ctx);

/* 1 when every '-' or '/' separated piece of s names an agency (at least
 * one piece), as in a caption credit "AFP-Yonhap". */
int meta_agency_all(const char *s, size_t n);

/* For tests: 1 when the table is sorted by name length and each length
 * is the name's. */
int meta_agency_table_ok(void);

#endif
