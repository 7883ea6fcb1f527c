/*
 * facts/extract.h: what the fact extractor's two files share (private).
 *
 * Design note: extract.c walks sentences and matches triggers; parts.c
 * finds a trigger's clause and its participants (subjects, speakers,
 * objects, groups, places, status, duration).  Both read one article's
 * tokens through an ectx: lower-case words and word classes made once
 * per article, so every test below is a table read or a short compare.
 */
#ifndef CHR_FACTS_EXTRACT_H
#define CHR_FACTS_EXTRACT_H

#include <string.h>

#include "facts/facts.h"
#include "pipeline/article.h"

#define LW 24        /* lower-case word buffer */
#define OBJ_REACH 12 /* tokens an object may be from its trigger */

typedef struct ectx {
	chr_article *a;
	char (*low)[LW];  /* lower-case token text, per article token */
	unsigned *cls;    /* FW_* per token, of the low word's bytes */
	unsigned *zcls;   /* FW_* per token, of the low word as a C string
			     (the same unless the token holds a NUL byte);
			     what the string tests (FW_SAY, FW_QUOTE, ...)
			     read */
	const char **cnt; /* its count category when zcls has FW_COUNT */
	int64_t *num;     /* its number value when zcls has FW_NUM */
	int32_t *men;     /* mention index covering the token, or -1 */
	uint32_t t0, t1;  /* current sentence tokens */
	uint32_t sent;
	int32_t desc_person; /* the person a description stands for, or -1 */
	int marked;       /* facts_trig_marked(), asked once */
} ectx;

static inline int is(const ectx *c, uint32_t t, const char *w)
{
	return t < c->t1 && !strcmp(c->low[t], w);
}

static inline int in_set(const char *w, const char *const *set)
{
	for (; *set; set++)
		if (!strcmp(w, *set))
			return 1;
	return 0;
}

/* " “ ” ' ‘ (lex.c) */
static inline int is_quote(const ectx *c, uint32_t t)
{
	return (c->zcls[t] & FW_QUOTE) != 0;
}

static inline int is_poss(const ectx *c, uint32_t t)
{
	return is(c, t, "'s") || is(c, t, "'");
}

static inline int is_punct(const ectx *c, uint32_t t)
{
	return (c->a->toks.v[t].flags & TOK_PUNCT) != 0;
}

/* said, says, told, ... (lex.c) */
static inline int say_word(const ectx *c, uint32_t t)
{
	return (c->zcls[t] & FW_SAY) != 0;
}

/* Token index of the first and one past the last token of mention m in
 * [t0, t1). */
static inline uint32_t men_end_tok(const ectx *c, uint32_t t)
{
	int32_t m = c->men[t];
	while (t < c->t1 && c->men[t] == m)
		t++;
	return t;
}

/* ---- parts.c ---- */

uint32_t fx_clause_start(const ectx *c, uint32_t t);
uint32_t fx_clause_end(const ectx *c, uint32_t t);
int fx_type_ok(const art_mention *m, int type);
int fx_possessive(const ectx *c, uint32_t t);
int fx_subjects(const ectx *c, uint32_t cs, uint32_t t, int type,
		    int32_t *out, int max);
int fx_speaker(const ectx *c, uint32_t cs, uint32_t t, int32_t *out);
int fx_outlet(const ectx *c, int32_t m, uint32_t b);
int fx_says_of_itself(const ectx *c, uint32_t te);
uint32_t fx_men_first_tok(const ectx *c, int32_t m);
int fx_objects(const ectx *c, uint32_t t, uint32_t ce, int want,
		   int32_t *out, int max);
const char *fx_group_at(const ectx *c, uint32_t t, uint32_t ce);
int fx_desc_subject(const ectx *c, uint32_t cs, uint32_t t);
void fx_title_words(const ectx *c, int32_t m, char *out, size_t cap);
const char *fx_place_name(const ectx *c, int32_t m);
const char *fx_meet_place(const ectx *c, uint32_t cs, uint32_t ce,
			      uint32_t t, uint8_t *from);
int fx_status_of(const ectx *c, uint32_t cs, uint32_t t, int frame,
		     int type);
void fx_duration_of(const ectx *c, uint32_t lo, uint32_t hi,
			facts_fact *f);

#endif
