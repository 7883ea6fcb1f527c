/*
 * eval_timeline: SemEval-2015 Task 4 (TimeLine), Track A: entity timelines
 * built by chronicle from the raw documents, and a scorer for them written
 * from the task's published definition.
 *
 * Design note (system).  For one corpus: every TimeML document is parsed
 * (DOCID, DCT, <s id> sentences of space-separated tokens, inner tags
 * dropped) and ingested through the public API (chr_ingest_doc) into a
 * temporary store, the sentences joined as paragraphs and the DCT as the
 * input date.  Each TimeML sentence is then found again in the stored
 * text (in order), so a stored byte offset maps back to
 * docid-sentence-token, the task's event id.  For each target entity:
 *   - the entity is resolved with the store's entity resolution
 *     (chr_db_entity_json: name or alias -> canonical id and type); its
 *     mentions, token by token, are the tokens inside a stored mention of
 *     that id (table entity_mentions), the literal name, the last word of
 *     a person's name ("Jobs"), the last two words of a longer other name
 *     ("Apple Corps"), a two-word name with one word inserted ("iTunes
 *     Music Store" for "iTunes store"), and a pronoun (he/she/his/her/him
 *     for a person, it/its otherwise) or "the" and the head of a name
 *     ending in a common noun ("the store") once the entity was mentioned
 *     in this sentence or the one before;
 *   - event words are the facts stage's event words (facts_event_word:
 *     WordNet verbs and event nouns, forms and left context; the short
 *     lists below without WordNet) plus fact triggers where the entity
 *     takes part.  The entity takes part in an event word right next to
 *     a mention, in the first verb after it as subject (past an
 *     appositive ", the CEO ,", whose closing comma may be glued to an
 *     abbreviation) and a verb coordinated with that one by "and", the
 *     first participle after a comma or "by" that follows that verb
 *     (", saying", "by walking ... and taking": the same subject) and one
 *     joined to it by "and", and in the first event word before it as
 *     object; never
 *     across a stretch boundary (";", quotes, brackets, "that", "which");
 *     a verb with a particle is one event ("showed off" -> showed_off);
 *   - each event is dated by chronicle's timeline for the entity
 *     (chr_db_timeline, facts dated lazily) when its sentence carries an
 *     entry, else by the nearest DATE expression of the time stage in
 *     its stretch, else: not placed when it is not (yet) real (after
 *     will, would, may, to, ...), the article's date for a verb in the
 *     simple present, else the story's day (the first recent full date
 *     in the opening sentences, "Yesterday, ... unveiled"), else the
 *     article's date;
 *   - events are ordered by date (a month before its days, a year before
 *     its months); one date is one position; the result is written in the
 *     track's format (ORDINAL TAB DATE TAB EVENT).
 *
 * Design note (metric).  The task scores with temporal awareness
 * (UzZaman & Allen; TempEval-3): each timeline is a graph; precision is
 * the share of the system's reduced graph implied by the gold closure,
 * recall the share of the gold reduced graph implied by the system
 * closure; counts are pooled over all timelines (micro average).  Our
 * conversion of a timeline into relations:
 *   - anchor: each event whose DATE is not XXXX-XX-XX is related to that
 *     date (YYYY and YYYY-MM are read as YYYY-XX-XX and YYYY-MM-XX);
 *   - SIMULTANEOUS: events on one line (coreferent) and events with the
 *     same non-zero ordinal;
 *   - BEFORE: an event with a smaller non-zero ordinal than another's.
 *   Ordinal 0 ("could not be placed") takes part in anchors and in its
 *   own line only.
 *   Closure = all pairs those rules give.  Reduced graph = per position a
 *   chain of SIMULTANEOUS links in file order, one BEFORE link from the
 *   first event of each position to the first of the next, and the
 *   anchors.  An event absent from the other graph implies nothing.
 * This is our reading of the definition, not the official script (which
 * we did not use); the numbers are comparable in kind, not to the digit.
 *
 * Developed on the trial corpus (Apple) only; the evaluation corpora are
 * measured, never tuned on.
 *
 * usage: eval_timeline [--shared DIR] [--set trial|eval|corpus_N]
 *                      [--out DIR] [--keep-db] [--no-dct]
 *                      [--no-participles] [--no-split-names] [--no-heads]
 *                      [--wordnet DIR]  (default /usr/share/wordnet;
 *                                        "" for the short lists)
 *        eval_timeline --score GOLD_DIR SYS_DIR   (score timeline files)
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "chronicle.h"
#include "facts/facts.h"

#define LEDE_SENTS 4 /* opening sentences searched for the story's day */
#ifndef MAX_DIST
#define MAX_DIST 1 /* tokens between an event and its entity's mention */
#endif
#ifndef LEFT_DIST
#define LEFT_DIST 3 /* tokens from an object back to its verb */
#endif
#ifndef PRED_DIST
#define PRED_DIST 3 /* tokens from a subject (or appositive) to its verb */
#endif

/* ---------------------------------------------------------------- util */

static void *xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz);
	if (!p) {
		fputs("eval_timeline: out of memory\n", stderr);
		exit(2);
	}
	return p;
}

static void *xrealloc(void *p, size_t sz)
{
	void *q = realloc(p, sz ? sz : 1);
	if (!q) {
		fputs("eval_timeline: out of memory\n", stderr);
		exit(2);
	}
	return q;
}

static char *xstrndup(const char *s, size_t n)
{
	char *d = xcalloc(n + 1, 1);
	memcpy(d, s, n);
	return d;
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	char *b = xcalloc(cap, 1);
	size_t r;
	while ((r = fread(b + n, 1, cap - n - 1, f)) > 0) {
		n += r;
		if (cap - n < 2) {
			cap *= 2;
			b = xrealloc(b, cap);
		}
	}
	fclose(f);
	b[n] = 0;
	if (len)
		*len = n;
	return b;
}

static int is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Files of dir ending in ext, sorted; caller frees. */
static char **list_dir(const char *dir, const char *ext, size_t *n)
{
	DIR *d = opendir(dir);
	char **v = NULL;
	size_t k = 0, cap = 0;
	*n = 0;
	if (!d)
		return NULL;
	struct dirent *e;
	size_t el = strlen(ext);
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (e->d_name[0] == '.' || l < el ||
		    strcmp(e->d_name + l - el, ext) != 0)
			continue;
		if (k == cap) {
			cap = cap ? cap * 2 : 64;
			v = xrealloc(v, cap * sizeof *v);
		}
		size_t pl = strlen(dir) + l + 2;
		v[k] = xcalloc(pl, 1);
		snprintf(v[k], pl, "%s/%s", dir, e->d_name);
		k++;
	}
	closedir(d);
	if (k)
		qsort(v, k, sizeof *v, cmp_str);
	*n = k;
	return v;
}

/* Normalise a timeline DATE: "YYYY" -> "YYYY-XX-XX", "YYYY-MM" ->
 * "YYYY-MM-XX"; anything without a four-digit year -> "XXXX-XX-XX". */
static void norm_date(const char *s, char out[11])
{
	snprintf(out, 11, "XXXX-XX-XX");
	size_t n = strlen(s);
	if (n < 4 || !isdigit((unsigned char)s[0]) ||
	    !isdigit((unsigned char)s[1]) || !isdigit((unsigned char)s[2]) ||
	    !isdigit((unsigned char)s[3]))
		return;
	memcpy(out, s, 4);
	if (n >= 7 && s[4] == '-' && isdigit((unsigned char)s[5]) &&
	    isdigit((unsigned char)s[6])) {
		memcpy(out + 5, s + 5, 2);
		if (n >= 10 && s[7] == '-' && isdigit((unsigned char)s[8]) &&
		    isdigit((unsigned char)s[9]))
			memcpy(out + 8, s + 8, 2);
	}
}

/* ------------------------------------------------------------- timelines */

typedef struct tl_event {
	char *id;     /* docid-sent-word */
	int ord;      /* 0 = not placed */
	int line;     /* line index (coreference) */
	char date[11];
} tl_event;

typedef struct timeline {
	char *entity;
	tl_event *v;
	size_t n, cap;
} timeline;

static void tl_push(timeline *t, const char *id, size_t idlen, int ord,
		    int line, const char *date)
{
	for (size_t i = 0; i < t->n; i++) /* an event counts once */
		if (strlen(t->v[i].id) == idlen &&
		    memcmp(t->v[i].id, id, idlen) == 0)
			return;
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 32;
		t->v = xrealloc(t->v, t->cap * sizeof *t->v);
	}
	tl_event *e = &t->v[t->n++];
	e->id = xstrndup(id, idlen);
	e->ord = ord;
	e->line = line;
	norm_date(date, e->date);
}

static void tl_free(timeline *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].id);
	free(t->v);
	free(t->entity);
	memset(t, 0, sizeof *t);
}

static int tl_parse(const char *path, timeline *t)
{
	char *b = read_all(path, NULL);
	if (!b)
		return -1;
	memset(t, 0, sizeof *t);
	char *save = NULL;
	int line = 0;
	for (char *l = strtok_r(b, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		size_t ll = strlen(l);
		while (ll && (l[ll - 1] == '\r' || l[ll - 1] == ' '))
			l[--ll] = 0;
		if (!t->entity) {
			t->entity = xstrndup(l, ll);
			continue;
		}
		char *f[64];
		int nf = 0;
		char *p = l;
		f[nf++] = p;
		while ((p = strchr(p, '\t')) && nf < 64) {
			*p++ = 0;
			f[nf++] = p;
		}
		if (nf < 3)
			continue;
		int ord = atoi(f[0]);
		for (int i = 2; i < nf; i++)
			if (*f[i])
				tl_push(t, f[i], strlen(f[i]), ord, line, f[1]);
		line++;
	}
	free(b);
	return t->entity ? 0 : -1;
}

static const tl_event *tl_find(const timeline *t, const char *id)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->v[i].id, id) == 0)
			return &t->v[i];
	return NULL;
}

enum { R_ANCHOR, R_SIM, R_BEFORE };

/* Does timeline g (its closure) imply relation rel between a and b? */
static int implied(const timeline *g, int rel, const tl_event *a,
		   const tl_event *b)
{
	const tl_event *x = tl_find(g, a->id);
	if (!x)
		return 0;
	if (rel == R_ANCHOR)
		return strcmp(x->date, a->date) == 0;
	const tl_event *y = tl_find(g, b->id);
	if (!y)
		return 0;
	if (rel == R_SIM)
		return x->line == y->line || (x->ord > 0 && x->ord == y->ord);
	return x->ord > 0 && y->ord > x->ord;
}

static int cmp_pos(const void *pa, const void *pb)
{
	const tl_event *a = *(const tl_event *const *)pa;
	const tl_event *b = *(const tl_event *const *)pb;
	if (a->ord != b->ord)
		return a->ord < b->ord ? -1 : 1;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return a < b ? -1 : a > b;
}

/* Count the reduced relations of s and how many of them g implies. */
static void reduced_in(const timeline *s, const timeline *g, long *num,
		       long *den)
{
	if (!s->n)
		return;
	const tl_event **v = xcalloc(s->n, sizeof *v);
	for (size_t i = 0; i < s->n; i++)
		v[i] = &s->v[i];
	qsort(v, s->n, sizeof *v, cmp_pos);
	const tl_event *group_first = NULL;
	for (size_t i = 0; i < s->n; i++) {
		const tl_event *e = v[i];
		if (strcmp(e->date, "XXXX-XX-XX") != 0) {
			(*den)++;
			*num += implied(g, R_ANCHOR, e, NULL);
		}
		if (i == 0)
			continue;
		const tl_event *p = v[i - 1];
		int same = e->ord > 0 ? p->ord == e->ord : p->line == e->line;
		if (same) {
			(*den)++;
			*num += implied(g, R_SIM, p, e);
		}
	}
	for (size_t i = 0; i < s->n; i++) {
		const tl_event *e = v[i];
		if (e->ord <= 0)
			continue;
		if (group_first && group_first->ord != e->ord) {
			(*den)++;
			*num += implied(g, R_BEFORE, group_first, e);
		}
		if (!group_first || group_first->ord != e->ord)
			group_first = e;
	}
	free(v);
}

typedef struct score {
	long pn, pd, rn, rd; /* precision and recall counts */
} score;

static void score_add(score *sc, const timeline *sys, const timeline *gold)
{
	reduced_in(sys, gold, &sc->pn, &sc->pd);
	reduced_in(gold, sys, &sc->rn, &sc->rd);
}

static void score_print(const char *name, const score *sc)
{
	double p = sc->pd ? 100.0 * sc->pn / sc->pd : 0;
	double r = sc->rd ? 100.0 * sc->rn / sc->rd : 0;
	double f = p + r > 0 ? 2 * p * r / (p + r) : 0;
	printf("%-10s P %6.2f (%ld/%ld)  R %6.2f (%ld/%ld)  F1 %6.2f\n", name,
	       p, sc->pn, sc->pd, r, sc->rn, sc->rd, f);
}

/* ------------------------------------------------------------- documents */

typedef struct sent {
	char *id;      /* <s id> */
	char *text;    /* unescaped, tags removed */
	size_t len;
	long off;      /* in the stored text, -1 when not found */
} sent;

typedef struct tdoc {
	char *docid, *dct, *title;
	sent *s;
	size_t ns;
	int64_t rowid;
	char *stored;  /* stored text */
	/* per-document store rows */
	struct men { long start, end; int64_t eid; } *men;
	size_t nmen;
	struct tx { long start, end; char value[32]; } *tx;
	size_t ntx;
	struct fx { long ts, te; char *parts; } *fx; /* facts_found */
	size_t nfx;
} tdoc;

/* Copy [p, e) without tags, XML entities decoded. */
static char *strip_xml(const char *p, const char *e, size_t *len)
{
	char *o = xcalloc((size_t)(e - p) + 1, 1);
	size_t n = 0;
	while (p < e) {
		if (*p == '<') {
			const char *q = memchr(p, '>', (size_t)(e - p));
			p = q ? q + 1 : e;
			continue;
		}
		if (*p == '&') {
			static const struct { const char *k; char c; } ents[] = {
				{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'},
				{"&quot;", '"'}, {"&apos;", '\''}};
			int done = 0;
			for (size_t i = 0; i < 5 && !done; i++) {
				size_t kl = strlen(ents[i].k);
				if ((size_t)(e - p) >= kl &&
				    memcmp(p, ents[i].k, kl) == 0) {
					o[n++] = ents[i].c;
					p += kl;
					done = 1;
				}
			}
			if (done)
				continue;
		}
		o[n++] = *p++;
	}
	o[n] = 0;
	*len = n;
	return o;
}

static char *between(const char *b, const char *open, const char *close)
{
	const char *p = strstr(b, open);
	if (!p)
		return NULL;
	p += strlen(open);
	const char *q = strstr(p, close);
	if (!q)
		return NULL;
	size_t n;
	return strip_xml(p, q, &n);
}

static int parse_tml(const char *path, tdoc *d)
{
	char *b = read_all(path, NULL);
	if (!b)
		return -1;
	memset(d, 0, sizeof *d);
	d->docid = between(b, "<DOCID>", "</DOCID>");
	d->title = between(b, "<EXTRAINFO>", "</EXTRAINFO>");
	const char *dct = strstr(b, "<DCT>");
	const char *v = dct ? strstr(dct, "value=\"") : NULL;
	if (v) {
		v += 7;
		const char *q = strchr(v, '"');
		d->dct = xstrndup(v, q ? (size_t)(q - v) : 0);
	}
	const char *p = strstr(b, "<TEXT>");
	size_t cap = 0;
	while (p && (p = strstr(p, "<s id=\""))) {
		p += 7;
		const char *q = strchr(p, '"');
		const char *gt = q ? strchr(q, '>') : NULL;
		const char *end = gt ? strstr(gt, "</s>") : NULL;
		if (!end)
			break;
		if (d->ns == cap) {
			cap = cap ? cap * 2 : 32;
			d->s = xrealloc(d->s, cap * sizeof *d->s);
		}
		sent *s = &d->s[d->ns++];
		s->id = xstrndup(p, (size_t)(q - p));
		s->text = strip_xml(gt + 1, end, &s->len);
		s->off = -1;
		p = end;
	}
	free(b);
	return d->docid && d->ns ? 0 : -1;
}

static void tdoc_free(tdoc *d)
{
	for (size_t i = 0; i < d->ns; i++) {
		free(d->s[i].id);
		free(d->s[i].text);
	}
	for (size_t i = 0; i < d->nfx; i++)
		free(d->fx[i].parts);
	free(d->s);
	free(d->docid);
	free(d->dct);
	free(d->title);
	free(d->stored);
	free(d->men);
	free(d->tx);
	free(d->fx);
}

/* --------------------------------------------------------- event words */

/* Event-like words.  Design note: chronicle has no part-of-speech tagger,
 * so an event mention is a word of one of these forms: a regular past
 * form (-ed), an irregular past form, or an event verb or noun from the
 * short lists below (news of companies and markets).  Developed on the
 * trial (Apple) corpus only. */
static const char *const ev_words[] = {
	"said", "sold", "made", "won", "took", "got", "became", "rose", "fell",
	"built", "bought", "paid", "cut", "lost", "hit", "began", "left",
	"told", "gave", "held", "led", "ran", "saw", "sent", "set", "spent",
	"struck", "won", "wrote", "grew", "came", "went", "put", "shut",
	"says", "announces", "wins", "sells", "buys", "cuts", "plans",
	"launches", "unveils", "releases", "reports", "rises", "falls",
	"agrees", "signs", "files", "sues", "loses", "delays", "orders",
	"announce", "launch", "release", "sell", "buy", "deliver", "build",
	"sale", "sales", "contract", "deal", "order", "orders", "dispute",
	"lawsuit", "suit", "merger", "acquisition", "loss", "losses",
	"profit", "profits", "strike", "crash", "delivery", "deliveries",
	"delay", "delays", "agreement", "bid", "offer", "announcement",
	"investment", "bankruptcy", "launch", "release", "purchase",
	"takeover", "decline", "drop", "gain", "gains", "rally", "plunge",
	"recall", "bailout", "loan", "layoffs", "job", "jobs", "flight",
	"production", "development", "competition", "talks", "meeting",
	"visit", "decision", "plan", "protest", "cost", "costs", "price",
	"prices", "record", "growth", "crisis", "trading", "close",
	"closed", "opened", "introduced", "unveiled", "announced",
	"released", "launched", "reported", "expected", "increase",
	"increased", "fall", "rise", "deficit", "revenue", "earnings",
	NULL};

static const char *const ev_stop[] = {
	"need", "seed", "feed", "speed", "red", "bed", "shed", "led",
	"based", "used", "united", "limited", "related", "red", "hundred",
	"called", "named", "so-called", "owned", "listed", "located",
	"indeed", "proceed", "succeed", "exceed", "embed", "fed", NULL};

static int in_list(const char *const *l, const char *w)
{
	for (; *l; l++)
		if (strcmp(*l, w) == 0)
			return 1;
	return 0;
}

static int event_word(const char *tok, size_t n)
{
	char w[48];
	if (n < 3 || n >= sizeof w)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)tok[i];
		if (!isalpha(c) && c != '-')
			return 0;
		if (i == 0 && isupper(c))
			return 0; /* names and sentence starts */
		w[i] = (char)tolower(c);
	}
	w[n] = 0;
	if (in_list(ev_stop, w))
		return 0;
	if (in_list(ev_words, w))
		return 1;
	return n >= 5 && w[n - 2] == 'e' && w[n - 1] == 'd';
}

/* ------------------------------------------------------------- the system */

typedef struct corpus {
	tdoc *d;
	size_t n;
	chr_db *db;
	sqlite3 *h;
} corpus;

static void on_reject(void *ctx, const char *where, chr_status st,
		      const char *reason)
{
	(void)ctx;
	(void)st;
	fprintf(stderr, "eval_timeline: rejected %s: %s\n", where, reason);
}

static int ingest_corpus(corpus *c, const char *dbpath)
{
	if (chr_db_open(dbpath, &c->db) != CHR_OK) {
		fprintf(stderr, "eval_timeline: cannot open %s\n", dbpath);
		return -1;
	}
	chr_ingest_opts o;
	memset(&o, 0, sizeof o);
	o.threads = 1;
	o.on_reject = on_reject;
	chr_ingest *ing = NULL;
	if (chr_ingest_new(c->db, &o, &ing) != CHR_OK)
		return -1;
	for (size_t i = 0; i < c->n; i++) {
		tdoc *d = &c->d[i];
		/* the body: the sentences as paragraphs (the first one, the
		 * headline, too: gold events are found there) */
		size_t cap = 16, len = 0;
		for (size_t k = 0; k < d->ns; k++)
			cap += d->s[k].len + 2;
		char *body = xcalloc(cap, 1);
		for (size_t k = 0; k < d->ns; k++) {
			memcpy(body + len, d->s[k].text, d->s[k].len);
			len += d->s[k].len;
			if (k + 1 < d->ns) {
				memcpy(body + len, "\n\n", 2);
				len += 2;
			}
		}
		chr_doc doc;
		memset(&doc, 0, sizeof doc);
		doc.id = d->docid;
		doc.title = d->title;
		doc.text = body;
		doc.text_len = len;
		doc.date = d->dct;
		doc.path = d->docid;
		chr_status st = chr_ingest_doc(ing, &doc);
		free(body);
		if (st != CHR_OK) {
			chr_ingest_free(ing);
			return -1;
		}
	}
	chr_ingest_stats stats;
	if (chr_ingest_finish(ing, &stats) != CHR_OK) {
		chr_ingest_free(ing);
		return -1;
	}
	chr_ingest_free(ing);
	if (sqlite3_open_v2(dbpath, &c->h, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK)
		return -1;
	fprintf(stderr, "eval_timeline: %zu documents, %llu stored\n", c->n,
		(unsigned long long)stats.stored);
	return 0;
}

/* Read back each document's stored text, mentions, time expressions and
 * fact triggers; locate its sentences in the stored text. */
static void load_rows(corpus *c, size_t *found, size_t *total)
{
	sqlite3_stmt *art, *men, *tx, *fx;
	sqlite3_prepare_v2(c->h, "SELECT rowid, text FROM articles WHERE id=?1",
			   -1, &art, NULL);
	sqlite3_prepare_v2(c->h,
			   "SELECT start, end, eid, flags FROM entity_mentions "
			   "WHERE doc=?1 ORDER BY start", -1, &men, NULL);
	sqlite3_prepare_v2(c->h,
			   "SELECT start, end, type, value FROM timexes "
			   "WHERE doc=?1 ORDER BY start", -1, &tx, NULL);
	sqlite3_prepare_v2(c->h,
			   "SELECT trig_start, trig_end, coalesce(who,'') || ',' "
			   "|| with_ids FROM facts_found WHERE doc=?1 AND status=0",
			   -1, &fx, NULL);
	*found = *total = 0;
	for (size_t i = 0; i < c->n; i++) {
		tdoc *d = &c->d[i];
		sqlite3_reset(art);
		sqlite3_bind_text(art, 1, d->docid, -1, SQLITE_STATIC);
		if (sqlite3_step(art) != SQLITE_ROW)
			continue;
		d->rowid = sqlite3_column_int64(art, 0);
		d->stored = xstrndup((const char *)sqlite3_column_text(art, 1),
				     (size_t)sqlite3_column_bytes(art, 1));
		const char *cur = d->stored;
		for (size_t k = 0; k < d->ns; k++) {
			(*total)++;
			const char *at = d->s[k].len ? strstr(cur, d->s[k].text) : NULL;
			if (at) {
				d->s[k].off = at - d->stored;
				cur = at + d->s[k].len;
				(*found)++;
			}
		}
		size_t cap = 0;
		sqlite3_reset(men);
		sqlite3_bind_int64(men, 1, d->rowid);
		while (sqlite3_step(men) == SQLITE_ROW) {
			if (sqlite3_column_int(men, 3) & 8)
				continue; /* MEN_HEADLINE: headline offsets */
			if (d->nmen == cap) {
				cap = cap ? cap * 2 : 32;
				d->men = xrealloc(d->men, cap * sizeof *d->men);
			}
			d->men[d->nmen].start = sqlite3_column_int64(men, 0);
			d->men[d->nmen].end = sqlite3_column_int64(men, 1);
			d->men[d->nmen].eid = sqlite3_column_int64(men, 2);
			d->nmen++;
		}
		cap = 0;
		sqlite3_reset(tx);
		sqlite3_bind_int64(tx, 1, d->rowid);
		while (sqlite3_step(tx) == SQLITE_ROW) {
			const char *ty = (const char *)sqlite3_column_text(tx, 2);
			if (!ty || (strcmp(ty, "DATE") && strcmp(ty, "TIME")))
				continue;
			if (d->ntx == cap) {
				cap = cap ? cap * 2 : 16;
				d->tx = xrealloc(d->tx, cap * sizeof *d->tx);
			}
			d->tx[d->ntx].start = sqlite3_column_int64(tx, 0);
			d->tx[d->ntx].end = sqlite3_column_int64(tx, 1);
			snprintf(d->tx[d->ntx].value, sizeof d->tx[d->ntx].value,
				 "%s", (const char *)sqlite3_column_text(tx, 3));
			d->ntx++;
		}
		cap = 0;
		sqlite3_reset(fx);
		sqlite3_bind_int64(fx, 1, d->rowid);
		while (sqlite3_step(fx) == SQLITE_ROW) {
			if (d->nfx == cap) {
				cap = cap ? cap * 2 : 16;
				d->fx = xrealloc(d->fx, cap * sizeof *d->fx);
			}
			d->fx[d->nfx].ts = sqlite3_column_int64(fx, 0);
			d->fx[d->nfx].te = sqlite3_column_int64(fx, 1);
			const char *pp = (const char *)sqlite3_column_text(fx, 2);
			size_t pl = strlen(pp ? pp : "") + 3;
			d->fx[d->nfx].parts = xcalloc(pl, 1);
			snprintf(d->fx[d->nfx].parts, pl, ",%s,", pp ? pp : "");
			d->nfx++;
		}
	}
	sqlite3_finalize(art);
	sqlite3_finalize(men);
	sqlite3_finalize(tx);
	sqlite3_finalize(fx);
}

/* Canonical entity id of a name (0 when unknown). */
static int64_t entity_id(chr_db *db, const char *name, char type[8])
{
	char *js = NULL;
	type[0] = '\0';
	size_t len = 0;
	if (chr_db_entity_json(db, name, &js, &len) != CHR_OK)
		return 0;
	json_error_t err;
	json_t *o = json_loadb(js, len, 0, &err);
	chr_free(js);
	int64_t id = 0;
	if (o && json_is_integer(json_object_get(o, "id")))
		id = json_integer_value(json_object_get(o, "id"));
	const char *ty = o ? json_string_value(json_object_get(o, "type")) : NULL;
	if (ty)
		snprintf(type, 8, "%s", ty);
	json_decref(o);
	return id;
}

/* Timeline entries of chronicle for the entity: (article, text, date). */
typedef struct tl_entry {
	char *article, *text, *date;
} tl_entry;
typedef struct entries {
	tl_entry *v;
	size_t n, cap;
} entries;

static int on_entry(void *ctx, const char *json, size_t len)
{
	entries *e = ctx;
	json_error_t err;
	json_t *o = json_loadb(json, len, 0, &err);
	if (!o)
		return 0;
	const char *a = json_string_value(json_object_get(o, "article"));
	const char *t = json_string_value(json_object_get(o, "text"));
	const char *dt = json_string_value(json_object_get(o, "date"));
	json_t *bg = json_object_get(o, "background");
	if (a && t && dt && !json_is_true(bg)) {
		if (e->n == e->cap) {
			e->cap = e->cap ? e->cap * 2 : 16;
			e->v = xrealloc(e->v, e->cap * sizeof *e->v);
		}
		e->v[e->n].article = xstrndup(a, strlen(a));
		e->v[e->n].text = xstrndup(t, strlen(t));
		e->v[e->n].date = xstrndup(dt, strlen(dt));
		e->n++;
	}
	json_decref(o);
	return 0;
}

/* Case-insensitive search for a whole-word name in s[0, n). */
static int has_name(const char *s, size_t n, const char *name)
{
	size_t l = strlen(name);
	for (size_t i = 0; l && i + l <= n; i++) {
		if (strncasecmp(s + i, name, l) != 0)
			continue;
		if ((i == 0 || !isalnum((unsigned char)s[i - 1])) &&
		    (i + l == n || !isalnum((unsigned char)s[i + l])))
			return 1;
	}
	return 0;
}

typedef struct sys_ev {
	char id[160];
	char date[11];
	char key[11]; /* sort key: X as '0' */
} sys_ev;

static int cmp_sys(const void *pa, const void *pb)
{
	const sys_ev *a = pa, *b = pb;
	int c = strcmp(a->key, b->key);
	if (c)
		return c;
	return strcmp(a->date, b->date) > 0 ? -1 : strcmp(a->date, b->date) < 0;
}

/* --no-dct: events with no date of their own stay unplaced (ordinal 0)
 * instead of taking the article's date. */
static int use_dct = 1;
static int split_names = 1; /* "A X B" for a name "A B" */
static int heads = 1; /* "the store" for "iTunes store" */
static int participles = 1; /* ", saying": the subject's participle clause */

/* The event-word lexicon (WordNet), NULL: the short lists above. */
static facts_evlex *evlex;

/* Is the day value v ("YYYY-MM-DD...") within the week up to ref? */
static int recent_day(const char *v, const char *ref)
{
	char a[11], b[11];
	norm_date(v, a);
	norm_date(ref ? ref : "", b);
	if (strchr(a, 'X') || strchr(b, 'X'))
		return 0;
	struct tm ta, tb;
	memset(&ta, 0, sizeof ta);
	memset(&tb, 0, sizeof tb);
	if (!strptime(a, "%Y-%m-%d", &ta) || !strptime(b, "%Y-%m-%d", &tb))
		return 0;
	double diff = difftime(timegm(&tb), timegm(&ta)) / 86400.0;
	return diff >= 0 && diff <= 7;
}

/* The article's reference day: the first full date in its opening
 * sentences that lies in the week up to the article's date ("Apple
 * unveiled ... on Monday"); else the article's date.  News reports what
 * happened in its lede, and sentences without a date of their own
 * continue that story. */
static void lede_date(const tdoc *d, char out[11])
{
	norm_date(d->dct && use_dct ? d->dct : "", out);
	for (size_t k = 0; k < d->ns && k < LEDE_SENTS; k++) {
		const sent *s = &d->s[k];
		if (s->off < 0)
			continue;
		for (size_t i = 0; i < d->ntx; i++)
			if (d->tx[i].start >= s->off &&
			    d->tx[i].end <= s->off + (long)s->len &&
			    d->tx[i].end - d->tx[i].start + 2 < (long)s->len &&
			    recent_day(d->tx[i].value, d->dct)) { /* not a dateline */
				norm_date(d->tx[i].value, out);
				return;
			}
	}
}

/* Words that end the stretch of a sentence an entity takes part in. */
static int boundary_tok(const char *t, size_t n)
{
	static const char *const w[] = { ";", ":", "\"", "``", "''", "(",
		")", "--", "that", "which", "whose", "because", "although",
		"though", "whereas", "unless", NULL };
	for (const char *const *k = w; *k; k++)
		if (strlen(*k) == n && strncasecmp(*k, t, n) == 0)
			return 1;
	return 0;
}

/* Words that make the next event not (yet) happened: left unplaced
 * unless a date of its own says when. */
static int irrealis_tok(const char *t, size_t n)
{
	static const char *const w[] = { "will", "would", "could", "may",
		"might", "should", "must", "shall", "'ll", "to", NULL };
	for (const char *const *k = w; *k; k++)
		if (strlen(*k) == n && strncasecmp(*k, t, n) == 0)
			return 1;
	return 0;
}

static int tok_is(const char *t, size_t n, const char *const *w)
{
	for (; *w; w++)
		if (strlen(*w) == n && strncasecmp(*w, t, n) == 0)
			return 1;
	return 0;
}

static const char *const pron_per[] = { "he", "she", "his", "her", "him",
					NULL };
static const char *const pron_thing[] = { "it", "its", NULL };

/* The particle of a verb at t ("off" in "rounded the services off"):
 * within three words, no punctuation between; 0 when none. */
static size_t particle_of(const char *const *tok, const size_t *tl,
			  size_t nt, size_t t, int kind)
{
	static const char *const w[] = { "off", "out", "down", "up", "away",
					  "back", NULL };
	if (kind != FACTS_EV_VERB)
		return 0;
	for (size_t k = t + 1; k < nt && k <= t + 3; k++) {
		if (!isalnum((unsigned char)tok[k][0]))
			return 0;
		if (tok_is(tok[k], tl[k], w))
			return k;
	}
	return 0;
}

/* The DATE of [lo, hi) in the document nearest to at, or -1. */
static long near_timex(const tdoc *d, long at, long lo, long hi)
{
	long best = -1, bestd = 0;
	for (size_t i = 0; i < d->ntx; i++) {
		if (d->tx[i].start < lo || d->tx[i].end > hi)
			continue;
		char nd[11];
		norm_date(d->tx[i].value, nd);
		if (strcmp(nd, "XXXX-XX-XX") == 0)
			continue;
		long dist = d->tx[i].start > at ? d->tx[i].start - at
						 : at - d->tx[i].end;
		if (best < 0 || dist < bestd) {
			best = (long)i;
			bestd = dist;
		}
	}
	return best;
}

/* An -ing form ("saying", not "king"). */
static int is_ing(const char *t, size_t n)
{
	return n > 4 && !strncmp(t + n - 3, "ing", 3);
}

/* The verb joined to the verb at h by "and" (within 8 tokens, in its
 * stretch), at most reach tokens after the "and"; nt when none. */
static size_t joined(const char *const *tok, const size_t *tl, size_t nt,
		     const int *seg, const unsigned char *isev, size_t h,
		     size_t reach)
{
	for (size_t a = h + 1; a < nt && a < h + 8 && seg[a] == seg[h]; a++)
		if (tl[a] == 3 && !strncmp(tok[a], "and", 3)) {
			for (size_t b = a + 1; b < nt && b <= a + reach; b++)
				if (isev[b] == FACTS_EV_VERB)
					return b;
			return nt;
		}
	return nt;
}

/* Build the system timeline of one entity. */
static void build_timeline(corpus *c, const char *name, timeline *out,
			   size_t *n_fact_events, size_t *n_tl_dates)
{
	char etype[8];
	int64_t eid = entity_id(c->db, name, etype);
	int person = !strcmp(etype, "PER");
	/* the last word of a person's name stands for it ("Jobs"), the last
	 * two of a longer name for anything else ("Beatles Apple Corps" ->
	 * "Apple Corps") */
	const char *surname = NULL, *shortname = NULL;
	if (person && strrchr(name, ' ') && strlen(strrchr(name, ' ') + 1) >= 3)
		surname = strrchr(name, ' ') + 1;
	const char *sp[64];
	size_t nsp = 0;
	for (const char *q = strchr(name, ' '); q && nsp < 64; q = strchr(q + 1, ' '))
		sp[nsp++] = q;
	if (!person && nsp >= 2)
		shortname = sp[nsp - 2] + 1;
	/* the head noun of a name that ends in a word in lower case */
	const char *head = nsp && heads && islower((unsigned char)sp[nsp - 1][1]) &&
			   strlen(sp[nsp - 1] + 1) >= 3 ? sp[nsp - 1] + 1 : NULL;
	char eidk[32];
	snprintf(eidk, sizeof eidk, ",%lld,", (long long)eid);
	entries en;
	memset(&en, 0, sizeof en);
	if (eid)
		chr_db_timeline(c->db, name, NULL, on_entry, &en);
	sys_ev *v = NULL;
	size_t nv = 0, cap = 0;
	for (size_t i = 0; i < c->n; i++) {
		tdoc *d = &c->d[i];
		char lede[11];
		lede_date(d, lede);
		int prev_about = 0;
		for (size_t k = 0; k < d->ns; k++) {
			sent *s = &d->s[k];
			if (s->off < 0)
				continue;
			long s0 = s->off, s1 = s->off + (long)s->len;
			/* tokens: space-separated */
			const char *tok[256];
			size_t tl[256], nt = 0;
			for (size_t p = 0; p < s->len && nt < 256;) {
				while (p < s->len && s->text[p] == ' ')
					p++;
				size_t q = p;
				while (q < s->len && s->text[q] != ' ')
					q++;
				if (q == p)
					break;
				tok[nt] = s->text + p;
				tl[nt++] = q - p;
				p = q;
			}
			/* mentions of the entity, by token */
			unsigned char men[256];
			memset(men, 0, sizeof men);
			int about = 0;
			size_t nl = strlen(name);
			for (size_t t = 0; t < nt; t++) {
				long b0 = s0 + (long)(tok[t] - s->text);
				for (size_t m = 0; eid && m < d->nmen && !men[t]; m++)
					men[t] = d->men[m].eid == eid &&
						 d->men[m].start <= b0 &&
						 d->men[m].end > b0;
				size_t rest = s->len - (size_t)(tok[t] - s->text);
				if (!men[t] && rest >= nl &&
				    has_name(tok[t], nl, name) &&
				    (rest == nl || !isalnum((unsigned char)tok[t][nl]))) {
					for (size_t u = t; u < nt && tok[u] < tok[t] + nl; u++)
						men[u] = 1;
				}
				size_t sl = shortname ? strlen(shortname) : 0;
				if (!men[t] && sl && rest >= sl &&
				    has_name(tok[t], sl, shortname) &&
				    (rest == sl || !isalnum((unsigned char)tok[t][sl]))) {
					for (size_t u = t; u < nt && tok[u] < tok[t] + sl; u++)
						men[u] = 1;
				}
				if (!men[t] && surname && strlen(surname) == tl[t] &&
				    !strncmp(tok[t], surname, tl[t]))
					men[t] = 1;
				/* a two-word name with a word inserted ("iTunes store"
				 * in "iTunes Music Store") */
				if (!men[t] && split_names && nsp == 1 && t + 2 < nt &&
				    (size_t)(sp[0] - name) == tl[t] &&
				    !strncasecmp(tok[t], name, tl[t]) &&
				    strlen(sp[0] + 1) == tl[t + 2] &&
				    !strncasecmp(tok[t + 2], sp[0] + 1, tl[t + 2]) &&
				    isalpha((unsigned char)tok[t + 1][0]))
					men[t] = men[t + 1] = men[t + 2] = 1;
				about |= men[t];
			}
			/* a pronoun continues the entity of the sentence before
			 * (or of this one, after its mention) */
			int seen = prev_about;
			for (size_t t = 0; t < nt; t++) {
				if (men[t]) {
					seen = 1;
					continue;
				}
				if (seen && tok_is(tok[t], tl[t],
						   person ? pron_per : pron_thing)) {
					men[t] = 2;
					about = 1;
				}
				/* "the" and the head noun of a name that ends in a
				 * common noun ("the store" for "iTunes store") */
				if (seen && head && t + 1 < nt && tl[t] == 3 &&
				    !strncasecmp(tok[t], "the", 3) && tl[t + 1] == strlen(head) &&
				    !strncasecmp(tok[t + 1], head, tl[t + 1])) {
					men[t + 1] = 2;
					about = 1;
				}
				if (t + 1 < nt && !men[t] && !isupper((unsigned char)tok[t][0]) &&
				    (tok_is(tok[t], tl[t], pron_per) ||
				     tok_is(tok[t], tl[t], pron_thing)))
					seen = 0; /* another referent starts */
			}
			prev_about = about;
			/* chronicle's timeline date for this sentence */
			const char *tl_date = NULL;
			for (size_t t = 0; t < en.n; t++)
				if (strcmp(en.v[t].article, d->docid) == 0 &&
				    (strstr(en.v[t].text, s->text) ||
				     strstr(s->text, en.v[t].text))) {
					tl_date = en.v[t].date;
					about = 1;
					(*n_tl_dates)++;
					break;
				}
			if (!about)
				continue;
			/* the stretch (between boundary words) of each token */
			int seg[256], sg = 0;
			for (size_t t = 0; t < nt; t++) {
				if (boundary_tok(tok[t], tl[t]))
					sg++;
				seg[t] = sg;
			}
			/* event words; the entity takes part in those close to
			 * a mention (or a pronoun for it) in its stretch */
			unsigned char isev[256], near[256], present[256];
			for (size_t t = 0; t < nt; t++) {
				int kind = men[t] ? 0
					   : evlex ? facts_event_word(evlex, tok, tl, nt, t)
						   : event_word(tok[t], tl[t]);
				isev[t] = (unsigned char)(kind & 3);
				present[t] = (kind & FACTS_EV_PRESENT) != 0;
				near[t] = tl_date != NULL;
			}
			for (size_t u = 0; u < nt; u++) {
				if (!men[u])
					continue;
				for (size_t t = u + 1; t < nt && seg[t] == seg[u]; t++)
					if (isev[t] && t - u <= MAX_DIST)
						near[t] = 1;
				for (size_t t = u; t-- > 0 && seg[t] == seg[u];)
					if (isev[t] && u - t <= MAX_DIST)
						near[t] = 1;
				/* the event governing a mention as object: the first
				 * one to its left ("launched the iTunes Music Store") */
				if (u == 0 || !men[u - 1])
					for (size_t t = u; t-- > 0 && seg[t] == seg[u] &&
							   u - t <= LEFT_DIST;)
						if (isev[t]) {
							near[t] = 1;
							break;
						}
				if (u + 1 < nt && men[u + 1])
					continue;
				/* the verb of a mention as subject: the first verb
				 * after it (past an appositive ", the CEO ,"), and one
				 * coordinated with that verb by "and" */
				size_t t = u + 1;
				if (t < nt && tl[t] == 1 && tok[t][0] == ',') {
					/* its closing comma may be glued to an
					 * abbreviation ("Apple Inc.,") */
					size_t j = t + 1;
					while (j < nt && j < t + 10 && isev[j] != FACTS_EV_VERB &&
					       tok[j][tl[j] - 1] != ',')
						j++;
					if (j < nt && tok[j][tl[j] - 1] == ',')
						t = j + 1;
				}
				for (size_t h = t; h < nt && h < t + PRED_DIST && seg[h] == seg[u]; h++) {
					if (isev[h] != FACTS_EV_VERB)
						continue;
					near[h] = 1;
					/* a participle clause after a comma or "by"
					 * has the same subject ("unveiled the products ,
					 * saying ...", "by walking ... and taking"):
					 * the first one in the stretch */
					for (size_t a = h + 2; participles && a < nt && seg[a] == seg[h]; a++)
						if (((tl[a - 1] == 1 && tok[a - 1][0] == ',') ||
						     (tl[a - 1] == 2 && !strncmp(tok[a - 1], "by", 2))) &&
						    isev[a] == FACTS_EV_VERB && is_ing(tok[a], tl[a])) {
							near[a] = 1;
							size_t b = joined(tok, tl, nt, seg, isev, a, 1);
							if (b < nt && is_ing(tok[b], tl[b]))
								near[b] = 1;
							break;
						}
					size_t b = joined(tok, tl, nt, seg, isev, h, 2);
					if (b < nt)
						near[b] = 1;
					break;
				}
			}
			for (size_t t = 0; t < nt; t++) {
				size_t p = (size_t)(tok[t] - s->text);
				if (men[t])
					continue;
				int ev = isev[t] && near[t];
				for (size_t f = 0; !ev && eid && f < d->nfx; f++)
					if (d->fx[f].ts == s0 + (long)p &&
					    strstr(d->fx[f].parts, eidk)) {
						ev = 1;
						(*n_fact_events)++;
					}
				if (!ev)
					continue;
				if (nv == cap) {
					cap = cap ? cap * 2 : 64;
					v = xrealloc(v, cap * sizeof *v);
				}
				sys_ev *e = &v[nv++];
				/* a phrasal verb is one event: "showed off",
				 * "took six months off" (the task's "took_off") */
				size_t pt = particle_of(tok, tl, nt, t, isev[t]);
				if (pt)
					snprintf(e->id, sizeof e->id, "%s-%s-%.*s_%.*s",
						 d->docid, s->id, (int)tl[t], tok[t],
						 (int)tl[pt], tok[pt]);
				else
					snprintf(e->id, sizeof e->id, "%s-%s-%.*s",
						 d->docid, s->id, (int)tl[t], tok[t]);
				/* its date: the timeline's, one in its stretch,
				 * else none when not (yet) real, else the lede's */
				long lo = s0, hi = s1;
				for (size_t u = 0; u < nt; u++) {
					long b = s0 + (long)(tok[u] - s->text);
					if (seg[u] < seg[t] && b + (long)tl[u] > lo)
						lo = b + (long)tl[u];
					if (seg[u] > seg[t] && b < hi)
						hi = b;
				}
				long x = near_timex(d, s0 + (long)p, lo, hi);
				int irrealis = 0;
				for (size_t u = t >= 3 ? t - 3 : 0; u < t; u++)
					irrealis |= irrealis_tok(tok[u], tl[u]);
				if (tl_date) {
					norm_date(tl_date, e->date);
				} else if (x >= 0) {
					norm_date(d->tx[x].value, e->date);
				} else if (irrealis) {
					norm_date("", e->date);
				} else if (present[t]) {
					/* the simple present holds when written */
					norm_date(d->dct && use_dct ? d->dct : "", e->date);
				} else {
					memcpy(e->date, lede, 11);
				}
				memcpy(e->key, e->date, 11);
				for (int z = 0; z < 10; z++)
					if (e->key[z] == 'X')
						e->key[z] = '0';
			}
		}
	}
	if (nv)
		qsort(v, nv, sizeof *v, cmp_sys);
	memset(out, 0, sizeof *out);
	out->entity = xstrndup(name, strlen(name));
	int ord = 0;
	for (size_t i = 0; i < nv; i++) {
		int undated = strcmp(v[i].date, "XXXX-XX-XX") == 0;
		if (!undated && (i == 0 || strcmp(v[i].date, v[i - 1].date) != 0))
			ord++;
		tl_push(out, v[i].id, strlen(v[i].id), undated ? 0 : ord,
			(int)i, v[i].date);
	}
	free(v);
	for (size_t t = 0; t < en.n; t++) {
		free(en.v[t].article);
		free(en.v[t].text);
		free(en.v[t].date);
	}
	free(en.v);
}

static void write_timeline(const char *dir, size_t idx, const timeline *t)
{
	char path[4096];
	int pn = snprintf(path, sizeof path, "%s/%02zu.txt", dir, idx);
	if (pn < 0 || (size_t)pn >= sizeof path)
		return;
	FILE *f = fopen(path, "w");
	if (!f)
		return;
	fprintf(f, "%s\n", t->entity);
	for (size_t i = 0; i < t->n; i++)
		fprintf(f, "%d\t%s\t%s\n", t->v[i].ord, t->v[i].date, t->v[i].id);
	fclose(f);
}

/* Gold timelines of a folder, by entity name. */
static timeline *load_gold(const char *dir, size_t *n)
{
	size_t nf;
	char **files = list_dir(dir, ".txt", &nf);
	timeline *g = xcalloc(nf, sizeof *g);
	*n = 0;
	for (size_t i = 0; i < nf; i++) {
		if (tl_parse(files[i], &g[*n]) == 0)
			(*n)++;
		free(files[i]);
	}
	free(files);
	return g;
}

/* Names within two edits of each other (Levenshtein, case-insensitive). */
static int near_name(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 63 || lb > 63 || (la > lb ? la - lb : lb - la) > 2)
		return 0;
	size_t dp[64][64];
	for (size_t i = 0; i <= la; i++)
		dp[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		dp[0][j] = j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			size_t c = tolower((unsigned char)a[i - 1]) !=
				   tolower((unsigned char)b[j - 1]);
			size_t x = dp[i - 1][j - 1] + c;
			if (dp[i - 1][j] + 1 < x)
				x = dp[i - 1][j] + 1;
			if (dp[i][j - 1] + 1 < x)
				x = dp[i][j - 1] + 1;
			dp[i][j] = x;
		}
	return dp[la][lb] <= 2;
}

/* One corpus: raw documents in tml_dir, gold in gold_dir; entities from
 * list (NULL: the gold timelines' entities). */
static int run_corpus(const char *name, const char *tml_dir,
		      const char *gold_dir, const char *list, const char *out,
		      int keep_db, score *total)
{
	size_t nf;
	char **files = list_dir(tml_dir, ".tml", &nf);
	if (!nf) {
		fprintf(stderr, "eval_timeline: no documents in %s\n", tml_dir);
		return -1;
	}
	corpus c;
	memset(&c, 0, sizeof c);
	c.d = xcalloc(nf, sizeof *c.d);
	for (size_t i = 0; i < nf; i++) {
		if (parse_tml(files[i], &c.d[c.n]) == 0)
			c.n++;
		free(files[i]);
	}
	free(files);
	char dbpath[4096];
	snprintf(dbpath, sizeof dbpath, "%s/%s.db", out, name);
	unlink(dbpath);
	if (ingest_corpus(&c, dbpath) != 0)
		return -1;
	size_t found, tot;
	load_rows(&c, &found, &tot);
	size_t ng;
	timeline *gold = load_gold(gold_dir, &ng);
	/* the target entities */
	char **ents = NULL;
	size_t ne = 0;
	char *lb = list ? read_all(list, NULL) : NULL;
	if (lb) {
		char *save = NULL;
		for (char *l = strtok_r(lb, "\r\n", &save); l;
		     l = strtok_r(NULL, "\r\n", &save)) {
			if (!*l)
				continue;
			ents = xrealloc(ents, (ne + 1) * sizeof *ents);
			ents[ne++] = l;
		}
	} else {
		ents = xcalloc(ng, sizeof *ents);
		for (size_t i = 0; i < ng; i++)
			ents[ne++] = gold[i].entity;
	}
	char sysdir[4096];
	snprintf(sysdir, sizeof sysdir, "%s/%s", out, name);
	mkdir(sysdir, 0777);
	score sc;
	memset(&sc, 0, sizeof sc);
	size_t nfact = 0, ntl = 0, nev = 0;
	timeline *sys = xcalloc(ne, sizeof *sys);
	for (size_t i = 0; i < ne; i++) {
		build_timeline(&c, ents[i], &sys[i], &nfact, &ntl);
		nev += sys[i].n;
		write_timeline(sysdir, i + 1, &sys[i]);
	}
	/* every gold timeline is scored (one with no system timeline
	 * against an empty one); names are matched case-insensitively, or
	 * within two edits (the gold spells "United States Air Froce") */
	timeline empty;
	memset(&empty, 0, sizeof empty);
	for (size_t k = 0; k < ng; k++) {
		const timeline *m = NULL;
		for (size_t i = 0; !m && i < ne; i++)
			if (strcasecmp(gold[k].entity, ents[i]) == 0)
				m = &sys[i];
		for (size_t i = 0; !m && i < ne; i++)
			if (near_name(gold[k].entity, ents[i]))
				m = &sys[i];
		if (!m)
			fprintf(stderr, "eval_timeline: no system timeline for %s\n",
				gold[k].entity);
		score_add(&sc, m ? m : &empty, &gold[k]);
	}
	for (size_t i = 0; i < ne; i++)
		tl_free(&sys[i]);
	free(sys);
	fprintf(stderr,
		"eval_timeline: %s: %zu/%zu sentences located, %zu entities, "
		"%zu events (%zu added by fact triggers, %zu sentences dated "
		"by the timeline)\n",
		name, found, tot, ne, nev, nfact, ntl);
	score_print(name, &sc);
	total->pn += sc.pn;
	total->pd += sc.pd;
	total->rn += sc.rn;
	total->rd += sc.rd;
	free(ents);
	free(lb);
	for (size_t i = 0; i < ng; i++)
		tl_free(&gold[i]);
	free(gold);
	for (size_t i = 0; i < c.n; i++)
		tdoc_free(&c.d[i]);
	free(c.d);
	sqlite3_close(c.h);
	chr_db_close(c.db);
	if (!keep_db) {
		unlink(dbpath);
		char w[4200];
		snprintf(w, sizeof w, "%s-wal", dbpath);
		unlink(w);
		snprintf(w, sizeof w, "%s-shm", dbpath);
		unlink(w);
	}
	return 0;
}

/* --score GOLD_DIR SYS_DIR: score timeline files matched by entity. */
static int score_dirs(const char *gdir, const char *sdir)
{
	size_t ng, ns;
	timeline *g = load_gold(gdir, &ng);
	timeline *s = load_gold(sdir, &ns);
	score sc;
	memset(&sc, 0, sizeof sc);
	timeline empty;
	memset(&empty, 0, sizeof empty);
	for (size_t i = 0; i < ng; i++) {
		const timeline *m = &empty;
		for (size_t k = 0; k < ns; k++)
			if (strcasecmp(s[k].entity, g[i].entity) == 0)
				m = &s[k];
		score_add(&sc, m, &g[i]);
	}
	score_print("score", &sc);
	for (size_t i = 0; i < ng; i++)
		tl_free(&g[i]);
	for (size_t i = 0; i < ns; i++)
		tl_free(&s[i]);
	free(g);
	free(s);
	return 0;
}

int main(int argc, char **argv)
{
	const char *shared = getenv("CHR_SHARED") ? getenv("CHR_SHARED")
						   : "../shared";
	const char *set = "eval";
	const char *out = NULL;
	int keep = 0;
	const char *wordnet = "/usr/share/wordnet";
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--score") && i + 2 < argc)
			return score_dirs(argv[i + 1], argv[i + 2]);
		else if (!strcmp(argv[i], "--shared") && i + 1 < argc)
			shared = argv[++i];
		else if (!strcmp(argv[i], "--set") && i + 1 < argc)
			set = argv[++i];
		else if (!strcmp(argv[i], "--out") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "--wordnet") && i + 1 < argc)
			wordnet = argv[++i];
		else if (!strcmp(argv[i], "--no-dct"))
			use_dct = 0;
		else if (!strcmp(argv[i], "--no-participles"))
			participles = 0;
		else if (!strcmp(argv[i], "--no-split-names"))
			split_names = 0;
		else if (!strcmp(argv[i], "--no-heads"))
			heads = 0;
		else if (!strcmp(argv[i], "--keep-db"))
			keep = 1;
		else {
			fprintf(stderr,
				"usage: eval_timeline [--shared DIR] [--set "
				"trial|eval|corpus_N] [--out DIR] [--keep-db] [--no-dct]\n"
				"                     [--no-participles] [--no-split-names] [--no-heads]\n"
				"                     [--wordnet DIR]\n"
				"       eval_timeline --score GOLD_DIR SYS_DIR\n");
			return 2;
		}
	}
	char root[1024];
	snprintf(root, sizeof root, "%s/data/semeval2015_timeline", shared);
	if (!is_dir(root)) {
		printf("skip: %s not found\n", root);
		return 0;
	}
	char tmp[] = "/tmp/eval_timeline.XXXXXX";
	if (!out) {
		if (!mkdtemp(tmp)) {
			perror("mkdtemp");
			return 2;
		}
		out = tmp;
	} else {
		mkdir(out, 0777);
	}
	fprintf(stderr, "eval_timeline: timelines in %s\n", out);
	if (*wordnet && facts_evlex_load(wordnet, &evlex) != CHR_OK)
		fprintf(stderr, "eval_timeline: no WordNet in %s: short word "
			"lists\n", wordnet);
	score total;
	memset(&total, 0, sizeof total);
	char a[4096], b[4096], l[4096];
	if (!strcmp(set, "trial")) {
		snprintf(a, sizeof a, "%s/Corpus-trial-data_task4_TimeML", root);
		snprintf(b, sizeof b, "%s/TimeLines_trial_data_task4_v1.2", root);
		if (run_corpus("trial", a, b, NULL, out, keep, &total))
			return 1;
		return 0;
	}
	for (int k = 1; k <= 3; k++) {
		char nm[16];
		snprintf(nm, sizeof nm, "corpus_%d", k);
		if (strcmp(set, "eval") && strcmp(set, nm))
			continue;
		snprintf(a, sizeof a, "%s/SemEval_Task4_data/%s/corpus_trackA_TimeML",
			 root, nm);
		snprintf(b, sizeof b, "%s/SemEval_Task4_data/%s/TimeLines_Gold_Standard",
			 root, nm);
		snprintf(l, sizeof l,
			 "%s/SemEval_Task4_data/%s/list_target_entities_%s.txt",
			 root, nm, nm);
		if (run_corpus(nm, a, b, l, out, keep, &total))
			return 1;
	}
	score_print("total", &total);
	return 0;
}
