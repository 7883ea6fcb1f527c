/*
 * facts/api: chr_db_facts and chr_db_timeline (chronicle.h).
 *
 * Design note: both load the merged model (merge.c) and write one JSON
 * object per fact or entry.  A timeline entry is a fact that happened and
 * has a day, month or week, quoted by its best sentence that no other
 * entry shows (dated, with a named subject, about fewest other facts,
 * shortest); a fact whose sentences are all taken joins the entry that
 * shows its best one, so no sentence is repeated.  With an entity, dates
 * mentioned in passing in sentences about it that lie well before the
 * article ("the September summit", 2023-09) are added as background
 * entries, quoting just the phrase with the date.  Entries of one day
 * follow the hour their sentences give (merge.c, own_hours), then the
 * order of one article.
 */
#include "facts/model.h"
#include "events/events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/jsonw.h"

/* Where a sentence's own words begin: past a run-in dateline credit
 * ("(CPA) -- ", "VALMORA (CWN) - ", "SEOUL, (APP - ... 2019 ) :"), that
 * is an opening up to a closing bracket with no word in lower case before
 * its opening one, then a dash or a colon. */
uint32_t fm_lead(const char *t, uint32_t s0, uint32_t s1)
{
	uint32_t lim = s1 - s0 > 160 ? s0 + 160 : s1;
	uint32_t open = UINT32_MAX;
	for (uint32_t i = s0; i < lim; i++) {
		if (t[i] == '(' && open == UINT32_MAX) {
			open = i;
			continue;
		}
		if (open == UINT32_MAX && t[i] >= 'a' && t[i] <= 'z')
			return s0; /* a lower-case word before the credit */
		if (t[i] != ')' || open == UINT32_MAX)
			continue;
		uint32_t k = i + 1;
		while (k < s1 && t[k] == ' ')
			k++;
		uint32_t d = k;
		if (k + 1 < s1 && t[k] == '-' && t[k + 1] == '-')
			k += 2;
		else if (k < s1 && (t[k] == '-' || t[k] == ':'))
			k++;
		else if (k + 2 < s1 && !memcmp(t + k, "\xe2\x80", 2) &&
			 (t[k + 2] == '\x94' || t[k + 2] == '\x93'))
			k += 3; /* an em or en dash */
		if (k == d)
			return s0;
		while (k < s1 && t[k] == ' ')
			k++;
		return k < s1 ? k : s0;
	}
	return s0;
}

static int emit(jw *w, buf *b, chr_json_fn fn, void *ctx)
{
	if (w->st)
		return -1;
	int r = fn(ctx, b->p, b->len);
	buf_reset(b);
	return r;
}

static int takes_part(const fm_fact *f, int64_t eid)
{
	if (f->who == eid)
		return 1;
	for (int i = 0; i < f->nwith; i++)
		if (f->with[i] == eid)
			return 1;
	return 0;
}

static void sentence_json(fm_model *m, jw *w, const fm_row *r, int partial)
{
	const fm_doc *d = &m->docs[r->doc];
	jw_obj(w);
	jw_kstr(w, "article", d->id);
	jw_kint(w, "start", r->s0);
	jw_kint(w, "end", r->s1);
	jw_key(w, "text");
	jw_strn(w, d->text + r->s0, r->s1 - r->s0);
	if (partial) {
		jw_key(w, "partial");
		jw_bool(w, 1);
	}
	jw_obj_end(w);
}

static void fact_json(fm_model *m, jw *w, const fm_fact *f)
{
	jw_obj(w);
	jw_kstr(w, "id", f->id);
	jw_kstr(w, "type", facts_type_name(f->type));
	jw_kstr(w, "status", facts_status_name(f->status));
	jw_key(w, "who");
	if (f->who)
		jw_str(w, fm_name(m, f->who));
	else
		jw_null(w);
	jw_key(w, "with");
	jw_arr(w);
	for (int i = 0; i < f->nwith; i++)
		jw_str(w, fm_name(m, f->with[i]));
	jw_arr_end(w);
	if (f->group)
		jw_kstr(w, "group", f->group);
	jw_kstr(w, "where", f->place);
	jw_kstr(w, "when", *f->when ? f->when : NULL);
	if (*f->when && f->when_doc)
		jw_kstr(w, "when_from", "article");
	if (f->duration)
		jw_kstr(w, "duration", f->duration);
	jw_key(w, "sentences");
	jw_arr(w);
	for (size_t i = 0; i < f->nsup; i++)
		sentence_json(m, w, &m->rows[f->sup[i].row], f->sup[i].partial);
	jw_arr_end(w);
	jw_kint(w, "sources", f->sources);
	jw_kint(w, "event", f->event);
	jw_obj_end(w);
}

/* Facts in date order (undated last), then by id. */
static int cmp_fact(const void *a, const void *b, void *ctx)
{
	const fm_model *m = ctx;
	const fm_fact *x = &m->facts[*(const size_t *)a];
	const fm_fact *y = &m->facts[*(const size_t *)b];
	int ux = !*x->when || x->when[0] == 'X', uy = !*y->when || y->when[0] == 'X';
	if (ux != uy)
		return ux - uy;
	int c = strcmp(x->when, y->when);
	return c ? c : strcmp(x->id, y->id);
}

static size_t *fact_order(fm_model *m,
			  int (*cmp)(const void *, const void *, void *))
{
	size_t *o = malloc((m->nfacts + 1) * sizeof *o);
	if (!o)
		return NULL;
	for (size_t i = 0; i < m->nfacts; i++)
		o[i] = i;
	qsort_r(o, m->nfacts, sizeof *o, cmp, m);
	return o;
}

chr_status chr_db_facts(chr_db *db, const char *entity, chr_json_fn fn,
			void *ctx)
{
	if (!db || !fn)
		return CHR_EINVAL;
	fm_model m;
	chr_status st = fm_load(&m, db);
	int64_t eid = 0;
	if (!st && entity && !(eid = fm_find_entity(&m, entity)))
		st = CHR_ENOTFOUND;
	size_t *o = st ? NULL : fact_order(&m, cmp_fact);
	if (!st && !o)
		st = CHR_ENOMEM;
	buf b;
	buf_init(&b, 0);
	for (size_t k = 0; !st && k < m.nfacts; k++) {
		const fm_fact *f = &m.facts[o[k]];
		if (eid && !takes_part(f, eid))
			continue;
		jw w;
		jw_init(&w, &b);
		fact_json(&m, &w, f);
		if (w.st)
			st = w.st;
		else if (emit(&w, &b, fn, ctx))
			st = CHR_EINTERRUPTED;
	}
	buf_free(&b);
	free(o);
	fm_free(&m);
	return st;
}

/* ---- timeline ---- */

#define TL_MAXF 8 /* facts one entry may stand for */

typedef struct tl_entry {
	char date[24];
	const char *text;
	size_t len;
	int64_t event;
	int sources;
	const char *fact, *type, *article;
	int background;
	const char *more[TL_MAXF - 1]; /* facts merged into this entry */
	int nmore;
	const fm_row *row;             /* its sentence (NULL for background) */
	int tod;                       /* time of day, -1 unknown */
} tl_entry;

static int cmp_entry(const void *a, const void *b)
{
	const tl_entry *x = a, *y = b;
	int c = strcmp(x->date, y->date);
	if (c)
		return c;
	if (x->background != y->background)
		return x->background - y->background;
	/* within a day by the hour a sentence gives ("late Tuesday" after
	 * "Tuesday morning"); no hour counts as midday */
	int hx = x->tod >= 0 ? x->tod : 12 * 60, hy = y->tod >= 0 ? y->tod : 12 * 60;
	if (hx != hy)
		return hx < hy ? -1 : 1;
	/* one article tells the day's events in its own order */
	if (x->article == y->article && x->text != y->text)
		return x->text < y->text ? -1 : 1;
	return x->len < y->len ? -1 : x->len > y->len;
}

/* Every word of q (space separated) in s[0, n), case-insensitive. */
static int has_words(const char *s, size_t n, const char *q)
{
	char w[64];
	while (*q) {
		while (*q == ' ')
			q++;
		size_t k = 0;
		while (q[k] && q[k] != ' ')
			k++;
		if (!k)
			break;
		if (k >= sizeof w)
			return 0;
		memcpy(w, q, k);
		w[k] = '\0';
		int found = 0;
		for (size_t i = 0; i + k <= n && !found; i++)
			found = !strncasecmp(s + i, w, k);
		if (!found)
			return 0;
		q += k;
	}
	return 1;
}

static int push_entry(tl_entry **v, size_t *n, size_t *cap, const tl_entry *e)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 64;
		tl_entry *p = realloc(*v, c * sizeof *p);
		if (!p)
			return -1;
		*v = p;
		*cap = c;
	}
	(*v)[(*n)++] = *e;
	return 0;
}

/* The phrase of sentence [s0, s1) that mentions the date x in passing,
 * so that a background entry does not repeat the sentence of a fact: from
 * the word that opens it ("after the first summit ... in April", "since
 * the September summit") or the comma before it, to the next comma or
 * the sentence end. */
static void mention_phrase(const char *t, uint32_t s0, uint32_t s1,
			   const chr_timex *x, uint32_t *b0, uint32_t *b1)
{
	static const char *const open[] = { "after", "before", "since", "during",
		"following", "amid", "which", "when", "from", "until", NULL };
	uint32_t b = x->start;
	while (b > s0) {
		if (t[b - 1] == ',' || t[b - 1] == ';' || t[b - 1] == '(')
			break;
		uint32_t w = b;
		while (w > s0 && ((t[w - 1] | 32) >= 'a' && (t[w - 1] | 32) <= 'z'))
			w--;
		if (w < b) {
			int hit = 0;
			for (const char *const *o = open; *o && !hit; o++)
				hit = strlen(*o) == b - w && !strncasecmp(t + w, *o, b - w);
			if (hit && (w == s0 || t[w - 1] == ' ')) {
				b = w;
				break;
			}
			b = w;
		} else {
			b--;
		}
	}
	while (b < x->start && (t[b] == ' ' || t[b] == ','))
		b++;
	uint32_t e = x->end;
	while (e < s1 && t[e] != ',' && t[e] != ';' && t[e] != ')')
		e++;
	while (e > x->end && (t[e - 1] == ' ' || t[e - 1] == '.'))
		e--;
	*b0 = b;
	*b1 = e;
}

/* Background dates: month or day expressions in the entity's sentences
 * more than 30 days before the article. */
static int background(fm_model *m, int64_t eid, tl_entry **v, size_t *n,
		      size_t *cap)
{
	for (size_t di = 0; di < m->ndocs; di++) {
		fm_doc *d = &m->docs[di];
		int32_t day = fm_doc_day(d);
		if (day == INT32_MIN)
			continue;
		for (size_t i = 0; i < m->nrows; i++) {
			const fm_row *r = &m->rows[i];
			if (r->doc != di || (r->who != eid && !(r->nwith && r->with[0] == eid)))
				continue;
			for (size_t k = 0; k < d->ntx; k++) {
				const chr_timex *x = &d->tx[k];
				if (x->start < r->s0 || x->end > r->s1 ||
				    x->type != CHR_TIMEX_DATE)
					continue;
				char full[11];
				if (strlen(x->value) == 7 && x->value[0] != 'X')
					snprintf(full, sizeof full, "%.7s-28", x->value);
				else if (ev_parse_day(x->value) != INT32_MIN)
					snprintf(full, sizeof full, "%.10s", x->value);
				else
					continue;
				if (ev_parse_day(full) > day - 30)
					continue;
				uint32_t b0, b1;
				mention_phrase(d->text, r->s0, r->s1, x, &b0, &b1);
				tl_entry e = { "", d->text + b0, b1 - b0, d->event,
					       1, NULL, "background", d->id, 1, { 0 }, 0, NULL, -1 };
				snprintf(e.date, sizeof e.date, "%s", x->value);
				if (push_entry(v, n, cap, &e))
					return -1;
			}
		}
	}
	return 0;
}

static int on_timeline(const fm_fact *f)
{
	return f->status == FACT_HAPPENED && f->type != FACT_SAY && *f->when &&
	       f->when[0] != 'X';
}

/* Facts with fewer sentences to choose from go first, so that one which
 * has a single sentence keeps it and the others move to their next best;
 * then by id, for a stable answer. */
static int cmp_choice(const void *a, const void *b, void *ctx)
{
	const fm_model *m = ctx;
	const fm_fact *x = &m->facts[*(const size_t *)a];
	const fm_fact *y = &m->facts[*(const size_t *)b];
	if (x->nsup != y->nsup)
		return x->nsup < y->nsup ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* How many timeline facts have a sentence at r's place. */
static int facts_in_sentence(const fm_model *m, const fm_row *r)
{
	int n = 0;
	for (size_t i = 0; i < m->nrows; i++) {
		const fm_row *q = &m->rows[i];
		if (q->doc == r->doc && q->s0 == r->s0 && q->fact >= 0 &&
		    on_timeline(&m->facts[q->fact]))
			n++;
	}
	return n;
}

/* How well r states fact f, higher is better: it says the fact's date,
 * names its subject (not "her talks", not "a senior diplomat"), is about
 * fewer other facts, then is shorter. */
static int better_row(const fm_model *m, const fm_fact *f, const fm_row *r,
		      const fm_row *best)
{
	if (!best)
		return 1;
	int a = !strcmp(r->when, f->when), b = !strcmp(best->when, f->when);
	if (a != b)
		return a > b;
	a = r->who_from == FWHO_NAME;
	b = best->who_from == FWHO_NAME;
	if (a != b)
		return a > b;
	a = facts_in_sentence(m, r);
	b = facts_in_sentence(m, best);
	if (a != b)
		return a < b;
	return r->s1 - r->s0 < best->s1 - best->s0;
}

static int same_sentence(const fm_row *a, const fm_row *b)
{
	return a && b && a->doc == b->doc && a->s0 == b->s0;
}

/* Put fact f on the timeline: its best sentence that no entry shows yet;
 * when every one of its sentences is taken, it joins the entry that shows
 * its best one (the sentence states both facts).  -1 on ENOMEM. */
static int place_fact(fm_model *m, const fm_fact *f, tl_entry **v, size_t *n,
		      size_t *cap)
{
	const fm_row *best = NULL, *free_best = NULL;
	for (size_t i = 0; i < f->nsup; i++) {
		const fm_row *r = &m->rows[f->sup[i].row];
		if (f->sup[i].partial)
			continue;
		if (better_row(m, f, r, best))
			best = r;
		int taken = 0;
		for (size_t j = 0; j < *n && !taken; j++)
			taken = same_sentence((*v)[j].row, r);
		if (!taken && better_row(m, f, r, free_best))
			free_best = r;
	}
	if (!best)
		return 0;
	if (!free_best) {
		for (size_t j = 0; j < *n; j++) {
			tl_entry *e = &(*v)[j];
			if (!same_sentence(e->row, best))
				continue;
			if (e->nmore < TL_MAXF - 1)
				e->more[e->nmore++] = f->id;
			if (f->sources > e->sources)
				e->sources = f->sources;
			if (strcmp(f->when, e->date) < 0)
				snprintf(e->date, sizeof e->date, "%s", f->when);
			return 0;
		}
		return 0;
	}
	const fm_doc *d = &m->docs[free_best->doc];
	tl_entry e;
	memset(&e, 0, sizeof e);
	uint32_t lead = fm_lead(d->text, free_best->s0, free_best->s1);
	e.text = d->text + lead;
	e.len = free_best->s1 - lead;
	e.event = f->event;
	e.sources = f->sources;
	e.fact = f->id;
	e.type = facts_type_name(f->type);
	e.article = d->id;
	e.row = free_best;
	e.tod = f->tod;
	snprintf(e.date, sizeof e.date, "%s", f->when);
	return push_entry(v, n, cap, &e);
}

chr_status chr_db_timeline(chr_db *db, const char *entity, const char *query,
			   chr_json_fn fn, void *ctx)
{
	if (!db || !fn)
		return CHR_EINVAL;
	fm_model m;
	chr_status st = fm_load(&m, db);
	int64_t eid = 0;
	if (!st && entity && !(eid = fm_find_entity(&m, entity)))
		st = CHR_ENOTFOUND;
	tl_entry *v = NULL;
	size_t n = 0, cap = 0;
	size_t *o = st ? NULL : fact_order(&m, cmp_choice);
	if (!st && !o)
		st = CHR_ENOMEM;
	for (size_t k = 0; !st && k < m.nfacts; k++) {
		const fm_fact *f = &m.facts[o[k]];
		if (!on_timeline(f) || (eid && !takes_part(f, eid)))
			continue;
		if (query) {
			int hit = 0;
			for (size_t i = 0; i < f->nsup && !hit; i++) {
				const fm_row *r = &m.rows[f->sup[i].row];
				hit = has_words(m.docs[r->doc].text + r->s0, r->s1 - r->s0, query);
			}
			if (!hit)
				continue;
		}
		if (place_fact(&m, f, &v, &n, &cap))
			st = CHR_ENOMEM;
	}
	free(o);
	if (!st && eid && !query && background(&m, eid, &v, &n, &cap))
		st = CHR_ENOMEM;
	if (!st && n) /* qsort(NULL, 0) is undefined */
		qsort(v, n, sizeof *v, cmp_entry);
	buf b;
	buf_init(&b, 0);
	for (size_t i = 0; !st && i < n; i++) {
		if (i && v[i].background && v[i - 1].background &&
		    !strcmp(v[i].date, v[i - 1].date))
			continue; /* one background entry per date: the shortest */
		jw w;
		jw_init(&w, &b);
		jw_obj(&w);
		jw_kstr(&w, "date", v[i].date);
		jw_key(&w, "text");
		jw_strn(&w, v[i].text, v[i].len);
		jw_kint(&w, "event", v[i].event);
		jw_kint(&w, "sources", v[i].sources);
		jw_kstr(&w, "fact", v[i].fact);
		if (v[i].fact) {
			jw_key(&w, "facts");
			jw_arr(&w);
			jw_str(&w, v[i].fact);
			for (int k = 0; k < v[i].nmore; k++)
				jw_str(&w, v[i].more[k]);
			jw_arr_end(&w);
		}
		jw_kstr(&w, "type", v[i].type);
		jw_kstr(&w, "article", v[i].article);
		jw_key(&w, "background");
		jw_bool(&w, v[i].background);
		jw_obj_end(&w);
		if (w.st)
			st = w.st;
		else if (emit(&w, &b, fn, ctx))
			st = CHR_EINTERRUPTED;
	}
	buf_free(&b);
	free(v);
	fm_free(&m);
	return st;
}
