/*
 * canon: resolve entity mentions inside one article, and the keys that
 * merge them across articles.
 *
 * Design note: resolution is split in two so that each half stays simple
 * and testable.  Inside an article (this module, no database) short forms
 * link to the fullest mention ("Choe" -> "Choe Son-hui", "Putin" ->
 * "Vladimir Putin"), aliases map to canonical names through data tables
 * ("DPRK" -> "North Korea"), capitals used for their state are marked, and
 * titles right before or after a name become roles.  Across articles (the
 * store) mentions merge by a normalised key that ignores case, spaces,
 * hyphens and punctuation ("Choe son-hui" = "Choe Son-hui"), plus a
 * transliteration rule for first names ("Sergei" ~ "Sergey").  All word
 * lists are data (data/aliases.tsv, data/capitals.tsv, data/titles.txt and
 * iso-codes), not code.  Internal prefix: canon_.
 */
#ifndef CHR_CANON_H
#define CHR_CANON_H

#include <stddef.h>
#include "pipeline/article.h"

/* Resolve a->mentions in place (their start, end and type must be set, in
 * text order): fills head, name, key, role and flags.  Needs a->text and
 * a->toks.  CHR_ENOMEM only. */
chr_status canon_resolve(chr_article *a);

/* Normalised key of a name: lower-case letters and digits only, accents
 * kept as written, a leading "the" dropped.  Writes at most cap bytes
 * (NUL included) and returns the key length. */
size_t canon_key(const char *s, size_t n, char *out, size_t cap);

/* How well-formed a name variant is, to pick the canonical one: more
 * capitalised parts and more parts score higher; all-caps or all-lower
 * variants score lower. */
int canon_name_score(const char *s);

/* The alias table (lazily built, thread-safe).  Looks up a surface form;
 * returns the canonical name or NULL.  *type gets the table's type,
 * *flags MEN_METONYM for a capital used for its state, and *contextual is
 * 1 for aliases that need their target elsewhere in the article. */
const char *canon_alias(const char *s, size_t n, int *type, int *flags,
			int *contextual);

/* 1 when w[0,n) is a title word (case-insensitive); *head is set when it
 * can head a title ("Minister", "President"). */
int canon_title_word(const char *w, size_t n, int *head);
/* 1 when w[0..n) (any case) is in data/family_names.txt: a family name
 * written first ("Xi", "Choe", "Nguyen"). */
int canon_family_name(const char *w, size_t n);

/* Edit distance of a and b, capped at max + 1 (for transliteration). */
int canon_edit_distance(const char *a, const char *b, int max);

#endif
