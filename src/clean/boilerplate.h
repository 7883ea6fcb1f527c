/*
 * boilerplate: recognisers for the lines and pieces cleaning removes:
 * newsletter and share prompts, wire markers, social handles, photo
 * credits and captions, agency tags, "Source:" lines, header dates, and
 * the caption run together with a headline.
 *
 * Design note: each recogniser looks at one paragraph (or one end of it)
 * and answers with a reason string, so the rules stay small, separately
 * testable and general (line shapes and small data tables, never a
 * particular article).  Agencies named by a credit, tag or source line are
 * added to the article as they are found.  Everything is bounded: long
 * paragraphs are rejected by length before any matching.
 * Internal prefix: clean_.
 */
#ifndef CHR_CLEAN_BOILERPLATE_H
#define CHR_CLEAN_BOILERPLATE_H

#include <stddef.h>
#include "pipeline/article.h"

/* Reasons (static strings, compared by pointer or strcmp). */
extern const char CLEAN_R_BOILERPLATE[];
extern const char CLEAN_R_RELATED[];
extern const char CLEAN_R_REPEAT[];
extern const char CLEAN_R_MARKER[];
extern const char CLEAN_R_HANDLE[];
extern const char CLEAN_R_CREDIT[];
extern const char CLEAN_R_CAPTION[];
extern const char CLEAN_R_TAG[];
extern const char CLEAN_R_SOURCE[];
extern const char CLEAN_R_DATELINE[];
extern const char CLEAN_R_HEADER[];

/* Whole-paragraph rules.  early is 1 for the first few paragraphs (where
 * handles under the headline are looked for).  Returns a reason or NULL;
 * *breaking is set to 1 for "Read more"-style lines, next to which a
 * headline-like line is a related-story headline. */
const char *clean_classify(chr_article *a, const char *s, size_t n,
			   int early, int *breaking);

/* A trailing agency tag " (Yonhap)" or end marker " (END)": returns the
 * bytes to cut from the end (with the space before) and its reason, adding
 * the agency; 0 when none. */
size_t clean_tail_tag(chr_article *a, const char *s, size_t n,
		      const char **reason);

/* A wire marker at the start of s ("(LEAD)", "(2nd LD)", "(URGENT)",
 * "(ATTN: ...)", "(EDITORS: ...)"): its length with following spaces, or
 * 0. */
size_t clean_marker_at(const char *s, size_t n);

/* A header date at the start of s ("date 2019-11-20", "Published: Nov 20,
 * 2019"): its length with following spaces, or 0.  With whole set, the
 * header must be all of s (a stand-alone date line). */
size_t clean_header_at(const char *s, size_t n, int whole);

/* Clean a headline: header date, wire markers, photo credit and a caption
 * run together with it go to removed.  Returns the headline (arena) or
 * NULL when nothing is left of it (the caller then looks further). */
const char *clean_headline(chr_article *a, const char *s, size_t n);

/* 1 when a short line reads as prose (words of letters, few numbers),
 * not a table row or column head. */
int clean_prose(const char *s, size_t n);

/* 1 for a short line that does not end a sentence: a headline shape. */
int clean_headlike(const char *s, size_t n);

#endif
