/*
 * digest: per-event extractive summaries and titles (chr_db_digests).
 *
 * Design note: for each event, every sentence of its articles is a
 * candidate (too short, too long, question and photo-caption sentences
 * are not), quoted from past a run-in dateline credit ("(CPA) -- ").  A
 * sentence's score is its centrality, the cosine of its tf-idf vector
 * (idf over the event's sentences) with the event centroid, plus a small
 * bonus for an article's lede.  Sentences are picked by MMR (maximal
 * marginal relevance: score minus similarity to what is already picked)
 * with a penalty for an article already used, so sources stay diverse.
 * Facts steer the picks: a sentence that tells a fact (a meeting, visit or
 * agreement that happened, not background) no pick tells yet gets a bonus
 * in proportion to that fact's sources, and one that only retells told
 * facts waits until nothing else is left.  3 to 5 are kept and put in time
 * order (the fact's date, else the sentence's own date near its article's
 * day, else the article's).
 * The title is the headline closest to the centroid (one in capitals
 * only counts half, and is put in the case its words have in the texts).
 * Events come from
 * the events engine's table when it exists; until then the FALLBACK is
 * one event per syndication group (facts/merge.c, event_of).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/hash.h"
#include "core/jsonw.h"
#include "events/events.h"
#include "facts/model.h"
#include "pipeline/article.h"
#include "text/text.h"

#define DG_MAXTERMS 48   /* distinct terms kept per sentence */
#define DG_LAMBDA 0.7    /* MMR: relevance against redundancy */
#define DG_FACT_BONUS 0.15
#define DG_LEDE_BONUS 0.05
#define DG_SAME_DOC 0.08 /* penalty per pick already taken from the doc */

typedef struct dg_sent {
	size_t doc;
	uint32_t s0, s1, pos;
	uint32_t term[DG_MAXTERMS];
	float w[DG_MAXTERMS];
	int n;
	double score, norm;
	int fact;         /* supports a fact */
	int facts[4];     /* the merged facts it supports (model indexes) */
	int nfacts;
	char date[24];
	int picked;
} dg_sent;

static int stop(const char *w, size_t n)
{
	static const char *const sw[] = { "the", "and", "for", "that", "with",
		"was", "were", "are", "has", "have", "had", "its", "his", "her",
		"their", "this", "from", "said", "also", "which", "who", "will",
		"would", "been", "but", "not", "into", "about", "after", "over",
		"they", "she", "him", "them", "two", "on", "of", "to", "in", "a",
		"an", "is", "it", "as", "at", "by", "or", "be", NULL };
	for (const char *const *p = sw; *p; p++)
		if (strlen(*p) == n && !strncmp(*p, w, n))
			return 1;
	return 0;
}

/* Term ids (hashes) of text[s0, s1), with counts. */
static void terms(const char *text, uint32_t s0, uint32_t s1, dg_sent *s)
{
	s->n = 0;
	uint32_t i = s0;
	while (i < s1) {
		while (i < s1 && !((text[i] | 32) >= 'a' && (text[i] | 32) <= 'z') &&
		       !(text[i] >= '0' && text[i] <= '9'))
			i++;
		uint32_t b = i;
		char w[32];
		size_t n = 0;
		while (i < s1 && (((text[i] | 32) >= 'a' && (text[i] | 32) <= 'z') ||
				  (text[i] >= '0' && text[i] <= '9') || text[i] == '-')) {
			if (n < sizeof w)
				w[n++] = (char)(text[i] >= 'A' && text[i] <= 'Z' ? text[i] + 32
										   : text[i]);
			i++;
		}
		if (i == b || n < 3 || n >= sizeof w || stop(w, n))
			continue;
		uint32_t h = (uint32_t)hash_stable(w, n, 7);
		int k = 0;
		while (k < s->n && s->term[k] != h)
			k++;
		if (k == s->n) {
			if (s->n == DG_MAXTERMS)
				continue;
			s->term[s->n] = h;
			s->w[s->n++] = 0;
		}
		s->w[k] += 1;
	}
}

static double dot(const dg_sent *a, const dg_sent *b)
{
	double d = 0;
	for (int i = 0; i < a->n; i++)
		for (int j = 0; j < b->n; j++)
			if (a->term[i] == b->term[j])
				d += (double)a->w[i] * b->w[j];
	return d;
}

static double cosine(const dg_sent *a, const dg_sent *b)
{
	return a->norm > 0 && b->norm > 0 ? dot(a, b) / (a->norm * b->norm) : 0;
}

static void normalise(dg_sent *s)
{
	double n = 0;
	for (int i = 0; i < s->n; i++)
		n += (double)s->w[i] * s->w[i];
	s->norm = sqrt(n);
}

/* A photo caption or credit, not news: "(left)", "in this photo", "©",
 * "Photo:", "file photo". */
static int caption(const char *t, uint32_t s0, uint32_t s1)
{
	static const char *const cues[] = { "(left)", "(right)", "(center)",
		"(centre)", "(l)", "(r)", "in this photo", "in this pool photo",
		"in this file photo", "in this handout photo", "file photo",
		"photo:", "photo by", "\xc2\xa9", "(photo", "pictured", NULL };
	for (const char *const *c = cues; *c; c++) {
		size_t n = strlen(*c);
		for (uint32_t i = s0; i + n <= s1; i++)
			if (!strncasecmp(t + i, *c, n))
				return 1;
	}
	return 0;
}

/* The day of the sentence's own first date that lies near its article's
 * day (from two weeks before to the day after: not a background date like
 * "the summit in April"); INT32_MIN when none. */
static int32_t own_day(const fm_doc *d, uint32_t s0, uint32_t s1)
{
	int32_t ref = fm_doc_day(d);
	for (size_t k = 0; k < d->ntx; k++) {
		const chr_timex *x = &d->tx[k];
		if (x->start < s0 || x->end > s1 || x->type != CHR_TIMEX_DATE)
			continue;
		int32_t day = ev_parse_day(x->value);
		if (day == INT32_MIN)
			continue;
		if (ref == INT32_MIN || (day >= ref - 14 && day <= ref + 1))
			return day;
	}
	return INT32_MIN;
}

/* A fact dated well before its article ("Kim visited Russia last
 * September") is background, not what the event is about. */
static int background_row(const fm_doc *d, const fm_row *r)
{
	int32_t ref = fm_doc_day(d);
	char full[11];
	if (ref == INT32_MIN || strlen(r->when) < 7 || r->when[0] == 'X')
		return 0;
	snprintf(full, sizeof full, "%.7s-28", r->when); /* a month's last days */
	if (strlen(r->when) >= 10)
		snprintf(full, sizeof full, "%.10s", r->when);
	int32_t day = ev_parse_day(full);
	return day != INT32_MIN && day < ref - 30;
}

/* The sentences of one doc, from the text stage. */
static chr_status doc_sentences(fm_model *m, size_t di, dg_sent **v,
				size_t *n, size_t *cap)
{
	fm_doc *d = &m->docs[di];
	chr_article *a = art_new();
	if (!a)
		return CHR_ENOMEM;
	a->text = d->text;
	a->text_len = d->len;
	chr_status st = text_run(a);
	for (size_t i = 0; !st && i < a->sents.n; i++) {
		const art_sentence *se = &a->sents.v[i];
		if (se->ntok < 7 || se->ntok > 70 || d->text[se->end - 1] == '?' ||
		    caption(d->text, se->start, se->end))
			continue;
		if (*n == *cap) {
			size_t c = *cap ? *cap * 2 : 64;
			dg_sent *p = realloc(*v, c * sizeof *p);
			if (!p) {
				st = CHR_ENOMEM;
				break;
			}
			*v = p;
			*cap = c;
		}
		dg_sent *s = &(*v)[(*n)++];
		memset(s, 0, sizeof *s);
		s->doc = di;
		s->s0 = fm_lead(d->text, se->start, se->end);
		s->s1 = se->end;
		s->pos = (uint32_t)i;
		terms(d->text, s->s0, s->s1, s);
		/* facts it supports give it a bonus and a date */
		for (size_t k = 0; k < m->nrows; k++) {
			const fm_row *r = &m->rows[k];
			if (r->doc != di || r->s0 != se->start || r->type == FACT_SAY ||
			    r->status != FACT_HAPPENED || background_row(d, r))
				continue;
			s->fact = 1;
			if (r->fact >= 0 && s->nfacts < 4)
				s->facts[s->nfacts++] = r->fact;
			if (ev_parse_day(r->when) != INT32_MIN)
				snprintf(s->date, sizeof s->date, "%.10s", r->when);
		}
		if (!*s->date) {
			int32_t day = own_day(d, s->s0, s->s1);
			if (day == INT32_MIN)
				day = fm_doc_day(d);
			if (day != INT32_MIN)
				fm_fmt_days(day, s->date);
		}
	}
	chr_article_free(a);
	return st;
}

/* The weight of the facts s tells that no picked sentence tells yet: the
 * most sources of one such fact over the most of any fact in the event
 * (top), so a summary tells each fact once and the best attested first;
 * -1 when all its facts are told already. */
static double new_fact(const fm_model *m, const dg_sent *s,
		       dg_sent *const *pick, size_t np, int top)
{
	int best = 0;
	for (int i = 0; i < s->nfacts; i++) {
		int told = 0;
		for (size_t k = 0; k < np && !told; k++)
			for (int j = 0; j < pick[k]->nfacts && !told; j++)
				told = pick[k]->facts[j] == s->facts[i];
		int src = m->facts[s->facts[i]].sources;
		if (!told && src > best)
			best = src;
	}
	if (s->nfacts && !best)
		return -1; /* only facts told already: a retelling */
	return top > 0 ? (double)best / top : 0;
}

static int cmp_time(const void *a, const void *b)
{
	const dg_sent *x = *(dg_sent *const *)a, *y = *(dg_sent *const *)b;
	int ux = !*x->date, uy = !*y->date;
	if (ux != uy)
		return ux - uy;
	int c = strcmp(x->date, y->date);
	if (c)
		return c;
	if (x->doc != y->doc)
		return x->doc < y->doc ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* A headline fit for a title: cut at a run-in caption or at a length. */
static void title_of(const char *h, char *out, size_t cap)
{
	size_t n = strlen(h);
	const char *cut = strstr(h, " \xc2\xa9"); /* "© Photo" */
	if (cut)
		n = (size_t)(cut - h);
	if (n > 120) {
		n = 120;
		while (n > 60 && h[n] != ' ')
			n--;
	}
	snprintf(out, cap, "%.*s", (int)n, h);
}

/* A headline in capitals only ("STORM KILLS AT LEAST NINE"). */
static int shouting(const char *h)
{
	int up = 0;
	for (const char *p = h; *p; p++) {
		if (*p >= 'a' && *p <= 'z')
			return 0;
		up += *p >= 'A' && *p <= 'Z';
	}
	return up >= 8;
}

/* Write a capitals-only title t in the case its words have in the event's
 * texts ("STORM HITS CARRIDIA" -> "Storm hits Carridia"): each word as
 * capitalised or lower case, whichever its mid-sentence uses in the texts
 * mostly are, or left in capitals when the texts mostly write it so
 * ("NATO"); the first word capitalised. */
static void recase(const fm_model *m, const size_t *docs, size_t nd, char *t)
{
	int first = 1;
	for (char *p = t; *p;) {
		if (!(*p >= 'A' && *p <= 'Z')) {
			p++;
			continue;
		}
		char *w = p;
		while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
			p++;
		size_t n = (size_t)(p - w);
		int cap = 0, low = 0, acr = 0;
		for (size_t i = 0; i < nd && cap + low + acr < 64; i++) {
			const fm_doc *d = &m->docs[docs[i]];
			for (size_t k = 1; k + n < d->len; k++) {
				const char *q = d->text + k;
				if (strncasecmp(q, w, n) || ((q[-1] | 32) >= 'a' && (q[-1] | 32) <= 'z') ||
				    ((q[n] | 32) >= 'a' && (q[n] | 32) <= 'z'))
					continue; /* not a whole word */
				if (n > 1 && q[1] >= 'A' && q[1] <= 'Z' && q[n - 1] >= 'A' &&
				    q[n - 1] <= 'Z') {
					acr++; /* capitals in the text too: "NATO" */
					continue;
				}
				if (q[-1] != ' ' || (k >= 2 && (q[-2] == '.' || q[-2] == '\n')))
					continue; /* a sentence's first word says nothing */
				if (q[0] >= 'A' && q[0] <= 'Z')
					cap++;
				else
					low++;
			}
		}
		for (size_t i = first ? 1 : 0; i < n && acr <= cap + low; i++)
			if (i || low >= cap)
				w[i] = (char)(w[i] + 32);
		first = 0;
	}
}

static chr_status one_event(fm_model *m, int64_t ev, const size_t *docs,
			    size_t nd, chr_json_fn fn, void *ctx)
{
	dg_sent *v = NULL;
	size_t n = 0, cap = 0;
	chr_status st = CHR_OK;
	for (size_t i = 0; !st && i < nd; i++)
		st = doc_sentences(m, docs[i], &v, &n, &cap);
	/* idf over the event's sentences, centroid of tf-idf vectors */
	ht df;
	ht_init(&df, 0);
	dg_sent cent;
	memset(&cent, 0, sizeof cent);
	double *cw = NULL;
	uint32_t *ct = NULL;
	size_t cn = 0;
	if (!st && n) {
		cw = calloc(n * DG_MAXTERMS, sizeof *cw);
		ct = calloc(n * DG_MAXTERMS, sizeof *ct);
		if (!cw || !ct)
			st = CHR_ENOMEM;
	}
	for (size_t i = 0; !st && i < n; i++)
		for (int k = 0; k < v[i].n; k++) {
			int created;
			ht_entry *e = ht_put(&df, (const char *)&v[i].term[k],
					     sizeof v[i].term[k], &created);
			if (!e) {
				st = CHR_ENOMEM;
				break;
			}
			if (created)
				e->v.num = 0;
			e->v.num++;
		}
	for (size_t i = 0; !st && i < n; i++) {
		for (int k = 0; k < v[i].n; k++) {
			ht_entry *e = ht_get(&df, (const char *)&v[i].term[k],
					     sizeof v[i].term[k]);
			double idf = log((double)(n + 1) / (double)(e ? e->v.num : 1));
			v[i].w[k] = (float)(v[i].w[k] * idf);
			size_t j = 0;
			while (j < cn && ct[j] != v[i].term[k])
				j++;
			if (j == cn)
				ct[cn++] = v[i].term[k];
			cw[j] += v[i].w[k];
		}
		normalise(&v[i]);
	}
	/* centrality: cosine with the centroid (kept to its top terms) */
	for (size_t i = 0; !st && i < n; i++) {
		double d = 0, cn2 = 0;
		for (size_t j = 0; j < cn; j++)
			cn2 += cw[j] * cw[j];
		for (int k = 0; k < v[i].n; k++)
			for (size_t j = 0; j < cn; j++)
				if (ct[j] == v[i].term[k])
					d += v[i].w[k] * cw[j];
		v[i].score = v[i].norm > 0 && cn2 > 0 ? d / (v[i].norm * sqrt(cn2)) : 0;
		if (v[i].pos < 3)
			v[i].score += DG_LEDE_BONUS;
	}
	/* MMR */
	size_t want = nd >= 3 ? 5 : nd == 2 ? 4 : 3;
	if (want > n)
		want = n;
	dg_sent *pick[5];
	size_t np = 0;
	int retell = 0;
	int top = 0; /* the most sources of a fact the event's sentences tell */
	for (size_t i = 0; i < n; i++)
		for (int k = 0; k < v[i].nfacts; k++)
			if (m->facts[v[i].facts[k]].sources > top)
				top = m->facts[v[i].facts[k]].sources;
	while (!st && np < want) {
		double best = -1e9;
		size_t bi = n;
		for (size_t i = 0; i < n; i++) {
			if (v[i].picked)
				continue;
			double red = 0;
			int same = 0;
			for (size_t k = 0; k < np; k++) {
				double c = cosine(&v[i], pick[k]);
				if (c > red)
					red = c;
				same += pick[k]->doc == v[i].doc;
			}
			double nf = new_fact(m, &v[i], pick, np, top);
			if (nf < 0 && !retell)
				continue; /* tells only facts told already */
			double s = DG_LAMBDA * (v[i].score + DG_FACT_BONUS * nf) -
				   (1 - DG_LAMBDA) * red - DG_SAME_DOC * same;
			if (red > 0.8)
				continue; /* a near copy of a picked sentence */
			if (s > best) {
				best = s;
				bi = i;
			}
		}
		if (bi == n && !retell) {
			retell = 1; /* nothing else left: retellings may fill up */
			continue;
		}
		if (bi == n)
			break;
		v[bi].picked = 1;
		pick[np++] = &v[bi];
	}
	qsort(pick, np, sizeof *pick, cmp_time);
	/* title: the headline closest to the centroid */
	const char *title = NULL;
	double tbest = -1;
	for (size_t i = 0; i < nd; i++) {
		const fm_doc *d = &m->docs[docs[i]];
		if (!d->headline || !*d->headline)
			continue;
		dg_sent h;
		memset(&h, 0, sizeof h);
		terms(d->headline, 0, (uint32_t)strlen(d->headline), &h);
		double dd = 0, cn2 = 0;
		for (size_t j = 0; j < cn; j++)
			cn2 += cw[j] * cw[j];
		for (int k = 0; k < h.n; k++)
			for (size_t j = 0; j < cn; j++)
				if (ct[j] == h.term[k])
					dd += cw[j];
		normalise(&h);
		double c = h.norm > 0 && cn2 > 0 ? dd / (h.norm * sqrt(cn2)) : 0;
		if (shouting(d->headline))
			c *= 0.5; /* another source's headline reads better */
		if (c > tbest) {
			tbest = c;
			title = d->headline;
		}
	}
	char tbuf[256] = "";
	if (title)
		title_of(title, tbuf, sizeof tbuf);
	if (title && shouting(tbuf))
		recase(m, docs, nd, tbuf);
	char date[11] = "";
	for (size_t i = 0; i < nd; i++) {
		int32_t day = fm_doc_day(&m->docs[docs[i]]);
		char s[11];
		if (day == INT32_MIN)
			continue;
		fm_fmt_days(day, s);
		if (!*date || strcmp(s, date) < 0)
			memcpy(date, s, sizeof date);
	}
	if (!st) {
		buf b;
		buf_init(&b, 0);
		jw w;
		jw_init(&w, &b);
		jw_obj(&w);
		jw_kint(&w, "event", ev);
		jw_kstr(&w, "title", *tbuf ? tbuf : NULL);
		jw_kstr(&w, "date", *date ? date : NULL);
		jw_key(&w, "articles");
		jw_arr(&w);
		for (size_t i = 0; i < nd; i++)
			jw_str(&w, m->docs[docs[i]].id);
		jw_arr_end(&w);
		jw_key(&w, "summary");
		jw_arr(&w);
		for (size_t k = 0; k < np; k++) {
			const fm_doc *d = &m->docs[pick[k]->doc];
			jw_obj(&w);
			jw_kstr(&w, "article", d->id);
			jw_kint(&w, "start", pick[k]->s0);
			jw_kint(&w, "end", pick[k]->s1);
			jw_key(&w, "text");
			jw_strn(&w, d->text + pick[k]->s0, pick[k]->s1 - pick[k]->s0);
			jw_kstr(&w, "date", *pick[k]->date ? pick[k]->date : NULL);
			jw_obj_end(&w);
		}
		jw_arr_end(&w);
		jw_obj_end(&w);
		st = w.st;
		if (!st && fn(ctx, b.p, b.len))
			st = CHR_EINTERRUPTED;
		buf_free(&b);
	}
	ht_free(&df);
	free(cw);
	free(ct);
	free(v);
	return st;
}

chr_status chr_db_digests(chr_db *db, int64_t event, chr_json_fn fn, void *ctx)
{
	if (!db || !fn)
		return CHR_EINVAL;
	fm_model m;
	chr_status st = fm_load(&m, db);
	sqlite3_stmt *s = st ? NULL : store_stmt(db, ST_FA_DOCS);
	if (!st && !s)
		st = CHR_EDB;
	while (!st && sqlite3_step(s) == SQLITE_ROW)
		if (fm_doc_get(&m, sqlite3_column_int64(s, 0)) < 0)
			st = CHR_EDB;
	if (s)
		sqlite3_reset(s);
	size_t *docs = st ? NULL : malloc((m.ndocs + 1) * sizeof *docs);
	char *done = st ? NULL : calloc(m.ndocs + 1, 1);
	if (!st && (!docs || !done))
		st = CHR_ENOMEM;
	int found = 0;
	for (size_t i = 0; !st && i < m.ndocs; i++) {
		if (done[i])
			continue;
		int64_t ev = m.docs[i].event;
		size_t nd = 0;
		for (size_t j = i; j < m.ndocs; j++)
			if (!done[j] && m.docs[j].event == ev) {
				done[j] = 1;
				docs[nd++] = j;
			}
		if (event && ev != event)
			continue;
		found = 1;
		st = one_event(&m, ev, docs, nd, fn, ctx);
	}
	if (!st && event && !found)
		st = CHR_ENOTFOUND;
	free(docs);
	free(done);
	fm_free(&m);
	return st;
}
