/*
 * facts/merge: load the stored facts, date them, merge them (model.h).
 *
 * Design note: dates.  An article with a published date is tagged
 * against it.  An article dated from its event (published_from "event")
 * or not dated at all is only approximately placed; for those the text is
 * tagged against an anchor day plus three, so a bare weekday lands in the
 * week around the anchor ("Wednesday" next to a Tuesday anchor is the day
 * after, not six days before).  Undated articles get an anchor from a
 * fact they share with a dated article: same type and participants, and
 * a weekday that matches ("Putin met Choe late Tuesday" against "Putin
 * hosted Choe" on 2024-01-16, a Tuesday); only when all such matches
 * agree.  Merging: the same type, status and participants (entity ids),
 * then compatible dates (a day inside a week or month joins it; an
 * undated mention joins the dated fact from its own article).  A fact
 * whose counterpart is a group ("held talks with Russian foreign ministry
 * officials") supports the named facts it fits (same person, same day,
 * the group's words in the counterpart's title, the same place when
 * both sentences name one) as partial support; it never makes a named
 * fact on its own.
 */
#include "facts/model.h"
#include "events/events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ROUNDS 3 /* anchoring passes */

/* ---- calendar ---- */

void fm_fmt_days(int32_t z, char out[11])
{
	int y, m, d;
	ev_ymd(z, &y, &m, &d);
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
		 (unsigned)d % 100u);
}

int32_t fm_doc_day(const fm_doc *d)
{
	return d->dated == 1 ? ev_parse_day(d->published)
	       : d->dated == 2 ? ev_parse_day(d->anchor) : INT32_MIN;
}

/* ---- loading ---- */

static const char *col(fm_model *m, sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return t ? arena_strdup(&m->mem, (const char *)t) : NULL;
}

static int table_exists(chr_db *db, const char *name)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(db->h, "SELECT 1 FROM sqlite_master WHERE"
				      " type = 'table' AND name = ?1", -1, &s, NULL))
		return 0;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	int ok = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_finalize(s);
	return ok;
}

/* The event of a stored article: the events engine's event_articles
 * table when it exists; until then the FALLBACK is one event per
 * syndication group (the group id, or the article's own row). */
static int64_t event_of(fm_model *m, int64_t rowid, int64_t grp)
{
	if (m->events_table) {
		sqlite3_stmt *s;
		int64_t ev = 0;
		if (!sqlite3_prepare_v2(m->db->h, "SELECT event FROM event_articles"
					" WHERE doc = ?1", -1, &s, NULL)) {
			sqlite3_bind_int64(s, 1, rowid);
			if (sqlite3_step(s) == SQLITE_ROW)
				ev = sqlite3_column_int64(s, 0);
			sqlite3_finalize(s);
		}
		if (ev)
			return ev;
	}
	return grp ? grp : rowid;
}

long fm_doc_get(fm_model *m, int64_t rowid)
{
	ht_entry *e = ht_get(&m->docix, (const char *)&rowid, sizeof rowid);
	if (e)
		return (long)e->v.num - 1;
	sqlite3_stmt *s = store_stmt(m->db, ST_FA_DOC);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, rowid);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		return -1;
	}
	if (m->ndocs == m->dcap) {
		size_t cap = m->dcap ? m->dcap * 2 : 64;
		fm_doc *v = realloc(m->docs, cap * sizeof *v);
		if (!v) {
			sqlite3_reset(s);
			return -1;
		}
		m->docs = v;
		m->dcap = cap;
	}
	fm_doc *d = &m->docs[m->ndocs];
	memset(d, 0, sizeof *d);
	d->rowid = rowid;
	d->id = col(m, s, 0);
	const char *pub = (const char *)sqlite3_column_text(s, 1);
	const char *from = (const char *)sqlite3_column_text(s, 2);
	if (pub && ev_parse_day(pub) != INT32_MIN)
		snprintf(d->published, sizeof d->published, "%.10s", pub);
	if (from)
		snprintf(d->from, sizeof d->from, "%s", from);
	d->text = col(m, s, 3);
	d->len = d->text ? strlen(d->text) : 0;
	d->headline = col(m, s, 4);
	d->grp = sqlite3_column_type(s, 5) == SQLITE_NULL ? 0 : sqlite3_column_int64(s, 5);
	sqlite3_reset(s);
	if (*d->published && strcmp(d->from, "event")) {
		d->dated = 1;
	} else if (*d->published) { /* dated from its event: approximate */
		d->dated = 2;
		memcpy(d->anchor, d->published, sizeof d->anchor);
	}
	d->event = event_of(m, rowid, d->grp);
	int64_t *key = arena_alloc(&m->mem, sizeof *key);
	int created;
	if (!key || !d->id || !d->text)
		return -1;
	*key = rowid;
	e = ht_put(&m->docix, (const char *)key, sizeof *key, &created);
	if (!e)
		return -1;
	e->v.num = (int64_t)++m->ndocs;
	return (long)m->ndocs - 1;
}

/* Tag the doc's text against its day (published, or anchor + 3). */
static chr_status tag_doc(fm_doc *d)
{
	free(d->tx);
	d->tx = NULL;
	d->ntx = 0;
	char dct[11] = "";
	if (d->dated == 1)
		memcpy(dct, d->published, sizeof dct);
	else if (d->dated == 2)
		fm_fmt_days(ev_parse_day(d->anchor) + 3, dct);
	chr_status st = chr_time_tag(d->text, d->len, *dct ? dct : NULL, &d->tx,
				     &d->ntx);
	d->tagged = 1;
	return st == CHR_EINVAL ? CHR_OK : st;
}

/* A statement told in the simple past or present with no day of its own
 * ("Peskov said", "the ministry says") is the news of the article's day:
 * news writing names the day of anything said on another day ("said on
 * Monday"), so an undated "said" belongs to the report's own day.  Not a
 * perfect ("had said", "has said": some time before) and not "according
 * to" (no tense at all). */
static int report_of_day(const fm_doc *d, const fm_row *r)
{
	static const char *const verbs[] = { "said", "says", "told", "tells",
		"stated", "states", "added", "adds", "reported", "reports", NULL };
	static const char *const perfect[] = { "had", "has", "have", "having", NULL };
	if (r->t1 <= r->t0 || r->t1 > d->len)
		return 0;
	int ok = 0;
	for (const char *const *v = verbs; *v && !ok; v++)
		ok = strlen(*v) == r->t1 - r->t0 &&
		     !strncasecmp(d->text + r->t0, *v, r->t1 - r->t0);
	if (!ok)
		return 0;
	/* the word before the verb, past an adverb ("has also said") */
	uint32_t e = r->t0;
	for (int words = 0; words < 2; words++) {
		while (e > 0 && d->text[e - 1] == ' ')
			e--;
		uint32_t b = e;
		while (b > 0 && ((d->text[b - 1] | 32) >= 'a' && (d->text[b - 1] | 32) <= 'z'))
			b--;
		if (b == e)
			break;
		for (const char *const *v = perfect; *v; v++)
			if (strlen(*v) == e - b && !strncasecmp(d->text + b, *v, e - b))
				return 0;
		e = b;
	}
	return 1;
}

/* Minutes into the day a DATE or TIME expression points at: "10 p.m."
 * (T22:00), a part of the day (TMO, TAF, TEV, TNI), or "early"/"late"
 * (mod START, END); -1 when it says nothing about the hour. */
static int time_of_day(const chr_timex *x)
{
	static const struct { const char *part; int min; } parts[] = {
		{ "MO", 9 * 60 }, { "MI", 12 * 60 }, { "AF", 15 * 60 },
		{ "EV", 19 * 60 }, { "NI", 22 * 60 }, { "DT", 12 * 60 } };
	const char *t = strchr(x->value, 'T');
	if (t && t[1] >= '0' && t[1] <= '9' && t[2] >= '0' && t[2] <= '9') {
		int h = (t[1] - '0') * 10 + (t[2] - '0'), mi = 0;
		if (t[3] == ':' && t[4] >= '0' && t[4] <= '9' && t[5] >= '0' && t[5] <= '9')
			mi = (t[4] - '0') * 10 + (t[5] - '0');
		return h < 24 ? h * 60 + mi : -1;
	}
	for (size_t i = 0; t && i < sizeof parts / sizeof *parts; i++)
		if (!strncmp(t + 1, parts[i].part, 2))
			return parts[i].min;
	if (!strcmp(x->mod, "START"))
		return 7 * 60;
	if (!strcmp(x->mod, "END"))
		return 21 * 60;
	return -1;
}

/* A time expression modifies the verb it follows ("met Choe late
 * Tuesday"), or the first one after it when none comes before ("Late
 * Tuesday, Putin met Choe"); so a time of day belongs to the nearest
 * trigger before it in the sentence, else the nearest after.  In "Putin
 * met Choe late Tuesday and was briefed on her talks with Lavrov", "late"
 * is the meeting's hour, not the talks'. */
static void own_hours(fm_model *m)
{
	for (size_t i = 0; i < m->nrows; i++) {
		fm_row *r = &m->rows[i];
		if (r->tod < 0)
			continue;
		int before = r->t0 < r->tx0;
		for (size_t j = 0; j < m->nrows && r->tod >= 0; j++) {
			const fm_row *q = &m->rows[j];
			if (j == i || q->doc != r->doc || q->s0 != r->s0 || q->type == FACT_SAY ||
			    q->t0 == r->t0)
				continue;
			if (q->t0 < r->tx0 ? !before || q->t0 > r->t0 /* nearer before */
					   : !before && q->t0 < r->t0)   /* nearer after */
				r->tod = -1;
		}
	}
}

static void date_row(fm_model *m, fm_row *r)
{
	fm_doc *d = &m->docs[r->doc];
	long k = facts_pick_timex(d->tx, d->ntx, r->w0, r->w1, r->t0, r->t1);
	if (k < 0)
		k = facts_pick_timex(d->tx, d->ntx, r->x0, r->x1, r->t0, r->t1);
	r->when[0] = '\0';
	r->when_doc = 0;
	r->tod = k >= 0 ? time_of_day(&d->tx[k]) : -1;
	r->tx0 = k >= 0 ? (uint32_t)d->tx[k].start : 0;
	if (k >= 0) {
		snprintf(r->when, sizeof r->when, "%s", d->tx[k].value);
		if (strlen(r->when) > 10 && r->when[10] == 'T')
			r->when[10] = '\0'; /* a time of day: keep the day */
	} else if (r->type == FACT_SAY && d->dated == 1 && report_of_day(d, r)) {
		memcpy(r->when, d->published, sizeof d->published);
		r->when_doc = 1;
	}
}

static chr_status push_row(fm_model *m, const fm_row *r)
{
	if (m->nrows == m->rcap) {
		size_t cap = m->rcap ? m->rcap * 2 : 256;
		fm_row *v = realloc(m->rows, cap * sizeof *v);
		if (!v)
			return CHR_ENOMEM;
		m->rows = v;
		m->rcap = cap;
	}
	m->rows[m->nrows++] = *r;
	return CHR_OK;
}

static chr_status load_rows(fm_model *m)
{
	sqlite3_stmt *s = store_stmt(m->db, ST_FA_ROWS);
	if (!s)
		return CHR_EDB;
	chr_status st = CHR_OK;
	int rc;
	while (!st && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		fm_row r;
		memset(&r, 0, sizeof r);
		long di = fm_doc_get(m, sqlite3_column_int64(s, 0));
		if (di < 0) {
			st = CHR_EDB;
			break;
		}
		r.doc = (size_t)di;
		r.type = sqlite3_column_int(s, 2);
		r.status = sqlite3_column_int(s, 3);
		r.who = sqlite3_column_int64(s, 4);
		r.who_from = sqlite3_column_int(s, 5);
		const char *ids = (const char *)sqlite3_column_text(s, 6);
		for (const char *p = ids; p && *p && r.nwith < FACT_MAXP;) {
			char *end;
			long long v = strtoll(p, &end, 10);
			if (end == p)
				break;
			r.with[r.nwith++] = v;
			p = end;
		}
		r.group = col(m, s, 7);
		r.with_titles = col(m, s, 8);
		r.place = col(m, s, 9);
		r.place_from = sqlite3_column_int(s, 10);
		uint32_t *u[] = { &r.s0, &r.s1, &r.t0, &r.t1, &r.w0, &r.w1, &r.x0, &r.x1 };
		for (int i = 0; i < 8; i++)
			*u[i] = (uint32_t)sqlite3_column_int64(s, 11 + i);
		r.duration = col(m, s, 19);
		r.fact = -1;
		st = push_row(m, &r);
	}
	sqlite3_reset(s);
	return st;
}

/* ---- keys ---- */

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static uint64_t text_hash(const char *s, size_t n)
{
	/* letters and digits only, lower case: copies that differ in quotes
	 * or spacing hash the same */
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c + 32);
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80)
			h = (h ^ c) * 1099511628211ULL;
	}
	return h;
}

/* The identity of a fact apart from its date. */
static void row_key(const fm_model *m, const fm_row *r, char *out, size_t cap)
{
	int64_t p[FACT_MAXP + 1];
	int n = 0;
	if (r->who)
		p[n++] = r->who;
	if (r->type == FACT_MEET || r->type == FACT_AGREE)
		for (int i = 0; i < r->nwith; i++)
			p[n++] = r->with[i];
	qsort(p, (size_t)n, sizeof *p, cmp_i64);
	size_t len = (size_t)snprintf(out, cap, "%d/%d", r->type, r->status);
	for (int i = 0; i < n && len < cap; i++)
		if (!i || p[i] != p[i - 1])
			len += (size_t)snprintf(out + len, cap - len, " %lld", (long long)p[i]);
	if (len >= cap)
		return;
	if (r->type == FACT_VISIT && r->place) {
		len += (size_t)snprintf(out + len, cap - len, " @");
		for (const char *c = r->place; *c && len + 1 < cap; c++)
			out[len++] = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
		out[len] = '\0';
	} else if (r->type == FACT_SAY) {
		const fm_doc *d = &m->docs[r->doc];
		snprintf(out + len, cap - len, " #%llx",
			 (unsigned long long)text_hash(d->text + r->s0, r->s1 - r->s0));
	}
}

/* ---- anchoring undated articles ---- */

static int is_weekday_value(const char *v)
{
	return !strncmp(v, "XXXX-WXX-", 9) && v[9] >= '1' && v[9] <= '7' && !v[10];
}

static chr_status anchor_docs(fm_model *m)
{
	char k1[256], k2[256];
	for (int round = 0; round < ROUNDS; round++) {
		int changed = 0;
		for (size_t di = 0; di < m->ndocs; di++) {
			fm_doc *d = &m->docs[di];
			if (d->dated)
				continue;
			int32_t found = INT32_MIN;
			int clash = 0;
			for (size_t i = 0; i < m->nrows && !clash; i++) {
				fm_row *r = &m->rows[i];
				if (r->doc != di || !is_weekday_value(r->when) ||
				    r->type == FACT_SAY)
					continue;
				int wd = r->when[9] - '0';
				row_key(m, r, k1, sizeof k1);
				for (size_t j = 0; j < m->nrows; j++) {
					fm_row *q = &m->rows[j];
					if (!m->docs[q->doc].dated || q->type != r->type)
						continue;
					int32_t day = ev_parse_day(q->when);
					if (day == INT32_MIN || ev_weekday(day) != wd)
						continue;
					row_key(m, q, k2, sizeof k2);
					if (strcmp(k1, k2))
						continue;
					if (found == INT32_MIN)
						found = day;
					else if (found != day)
						clash = 1;
				}
			}
			if (found == INT32_MIN || clash)
				continue;
			d->dated = 2;
			fm_fmt_days(found, d->anchor);
			chr_status st = tag_doc(d);
			if (st)
				return st;
			for (size_t i = 0; i < m->nrows; i++)
				if (m->rows[i].doc == di)
					date_row(m, &m->rows[i]);
			changed = 1;
		}
		if (!changed)
			break;
	}
	return CHR_OK;
}

/* ---- merging ---- */

static int specificity(const char *v)
{
	if (ev_parse_day(v) != INT32_MIN)
		return 3;
	if (!*v || v[0] == 'X')
		return 0;
	if (strlen(v) == 7 || (strlen(v) == 8 && v[5] == 'W'))
		return 2; /* YYYY-MM, YYYY-Www */
	return 1;
}

/* Does the full date day fall inside the coarser value v? */
static int inside(const char *day, const char *v)
{
	size_t n = strlen(v);
	if (n == 4 || n == 7)
		return !strncmp(day, v, n);
	if (n == 8 && v[5] == 'W') { /* ISO week */
		int32_t d = ev_parse_day(day);
		int y = atoi(v), w = atoi(v + 6);
		int32_t jan4 = ev_days(y, 1, 4);
		int32_t mon = jan4 - (ev_weekday(jan4) - 1) + (w - 1) * 7;
		return d >= mon && d < mon + 7;
	}
	return 0;
}

static chr_status add_support(fm_fact *f, size_t row, int partial)
{
	for (size_t i = 0; i < f->nsup; i++)
		if (f->sup[i].row == row)
			return CHR_OK;
	if (f->nsup == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 4;
		fm_support *v = realloc(f->sup, cap * sizeof *v);
		if (!v)
			return CHR_ENOMEM;
		f->sup = v;
		f->cap = cap;
	}
	f->sup[f->nsup].row = row;
	f->sup[f->nsup++].partial = partial;
	return CHR_OK;
}

static long new_fact(fm_model *m, const fm_row *r)
{
	if (m->nfacts == m->fcap) {
		size_t cap = m->fcap ? m->fcap * 2 : 64;
		fm_fact *v = realloc(m->facts, cap * sizeof *v);
		if (!v)
			return -1;
		m->facts = v;
		m->fcap = cap;
	}
	fm_fact *f = &m->facts[m->nfacts];
	memset(f, 0, sizeof *f);
	f->type = r->type;
	f->status = r->status;
	f->who = r->who;
	f->nwith = r->nwith;
	memcpy(f->with, r->with, sizeof f->with);
	f->group = r->nwith ? NULL : r->group;
	snprintf(f->when, sizeof f->when, "%s", r->when);
	return (long)m->nfacts++;
}

/* Merge rows with the same key: by date, most specific first. */
static chr_status merge_key(fm_model *m, size_t *ix, size_t n)
{
	for (int spec = 3; spec >= 0; spec--) {
		for (size_t a = 0; a < n; a++) {
			fm_row *r = &m->rows[ix[a]];
			if (specificity(r->when) != spec)
				continue;
			long target = -1;
			int ambiguous = 0;
			for (size_t b = 0; b < n; b++) {
				fm_row *q = &m->rows[ix[b]];
				if (q->fact < 0)
					continue;
				const fm_fact *f = &m->facts[q->fact];
				int ok;
				if (spec == 3)
					ok = !strcmp(f->when, r->when);
				else if (spec > 0)
					ok = specificity(f->when) == 3 ? inside(f->when, r->when)
						: !strcmp(f->when, r->when);
				else /* undated: the fact of its own article or event */
					ok = q->doc == r->doc ||
					     (m->events_table &&
					      m->docs[q->doc].event == m->docs[r->doc].event);
				if (!ok)
					continue;
				if (target >= 0 && target != q->fact)
					ambiguous = 1;
				if (target < 0 || (q->doc == r->doc && spec == 0))
					target = q->fact;
			}
			if (ambiguous && spec > 0)
				target = -1;
			if (target < 0 && (target = new_fact(m, r)) < 0)
				return CHR_ENOMEM;
			r->fact = (int)target;
			chr_status st = add_support(&m->facts[target], ix[a], 0);
			if (st)
				return st;
		}
	}
	return CHR_OK;
}

/* Significant words of a group ("Russian foreign ministry officials" ->
 * "russian", "foreign") all in the title words of a counterpart. */
static int group_fits(const char *group, const char *titles)
{
	static const char *const weak[] = { "the", "a", "an", "her", "his",
		"their", "its", "senior", "top", "ministry", "other", "two",
		"several", "some", "officials", "diplomats", "delegation",
		"counterparts", "officers", "leaders", "ministers", "representatives",
		"lawmakers", "envoys", "negotiators", NULL };
	if (!titles)
		return 0;
	char w[64];
	int any = 0;
	for (const char *p = group; *p;) {
		while (*p == ' ')
			p++;
		size_t n = 0;
		while (p[n] && p[n] != ' ')
			n++;
		if (!n)
			break;
		if (n < sizeof w) {
			for (size_t i = 0; i < n; i++)
				w[i] = (char)(p[i] >= 'A' && p[i] <= 'Z' ? p[i] + 32 : p[i]);
			w[n] = '\0';
			int is_weak = 0;
			for (const char *const *k = weak; *k; k++)
				is_weak |= !strcmp(*k, w);
			if (!is_weak) {
				any = 1;
				const char *hit = strstr(titles, w);
				if (!hit)
					return 0;
			}
		}
		p += n;
	}
	return any;
}

/* Group rows support the named facts they fit. */
static chr_status attach_groups(fm_model *m)
{
	for (size_t i = 0; i < m->nrows; i++) {
		fm_row *r = &m->rows[i];
		if (r->type != FACT_MEET || r->nwith || !r->group || r->fact >= 0)
			continue;
		int attached = 0;
		for (size_t k = 0; k < m->nfacts; k++) {
			fm_fact *f = &m->facts[k];
			if (f->type != FACT_MEET || f->status != r->status || !f->nwith ||
			    specificity(f->when) != 3 || strcmp(f->when, r->when))
				continue;
			int has_who = f->who == r->who;
			for (int j = 0; j < f->nwith; j++)
				has_who |= f->with[j] == r->who;
			if (!has_who)
				continue;
			/* every counterpart's title (from any named row) fits */
			int fits = 1;
			for (int j = 0; j < f->nwith + 1 && fits; j++) {
				int64_t e = j < f->nwith ? f->with[j] : f->who;
				if (e == r->who)
					continue;
				int one = 0;
				for (size_t s = 0; s < f->nsup && !one; s++)
					one = group_fits(r->group,
							 m->rows[f->sup[s].row].with_titles);
				fits = one;
			}
			/* and the same place, when both sentences name one */
			int named = 0, same = 0;
			for (size_t s = 0; s < f->nsup; s++) {
				const fm_row *n = &m->rows[f->sup[s].row];
				if (!f->sup[s].partial && n->place &&
				    n->place_from == FWHERE_TEXT) {
					named = 1;
					same |= r->place && !strcmp(n->place, r->place);
				}
			}
			int place_ok = !r->place || r->place_from != FWHERE_TEXT ||
				       !named || same;
			if (!fits || !place_ok)
				continue;
			chr_status st = add_support(f, i, 1);
			if (st)
				return st;
			attached = 1;
		}
		if (attached)
			r->fact = -2; /* support only */
	}
	return CHR_OK;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static chr_status merge_all(fm_model *m)
{
	/* sort row indexes by key, merge each run */
	char **keys = calloc(m->nrows, sizeof *keys);
	if (m->nrows && !keys)
		return CHR_ENOMEM;
	chr_status st = CHR_OK;
	for (size_t i = 0; i < m->nrows && !st; i++) {
		char k[256];
		fm_row *r = &m->rows[i];
		if (r->type == FACT_MEET && !r->nwith) {
			k[0] = '\0'; /* group rows: attached later */
		} else {
			row_key(m, r, k, sizeof k);
		}
		size_t n = strlen(k);
		keys[i] = malloc(n + 24);
		if (!keys[i]) {
			st = CHR_ENOMEM;
			break;
		}
		snprintf(keys[i], n + 24, "%s\t%zu", k, i);
	}
	if (!st)
		qsort(keys, m->nrows, sizeof *keys, cmp_str);
	size_t *ix = malloc((m->nrows + 1) * sizeof *ix);
	if (!ix)
		st = CHR_ENOMEM;
	for (size_t a = 0; !st && a < m->nrows;) {
		size_t klen = (size_t)(strchr(keys[a], '\t') - keys[a]);
		size_t b = a, n = 0;
		while (b < m->nrows && !strncmp(keys[b], keys[a], klen + 1))
			ix[n++] = (size_t)strtoull(keys[b++] + klen + 1, NULL, 10);
		if (klen)
			st = merge_key(m, ix, n);
		a = b;
	}
	free(ix);
	for (size_t i = 0; keys && i < m->nrows; i++)
		free(keys[i]);
	free(keys);
	if (!st)
		st = attach_groups(m);
	/* group rows that fit nothing stand alone */
	for (size_t i = 0; !st && i < m->nrows; i++) {
		fm_row *r = &m->rows[i];
		if (r->fact != -1)
			continue;
		long f = new_fact(m, r);
		if (f < 0)
			return CHR_ENOMEM;
		r->fact = (int)f;
		st = add_support(&m->facts[f], i, 0);
	}
	return st;
}

/* Sources, place, duration, event and id of each merged fact. */
static void finish(fm_model *m)
{
	for (size_t k = 0; k < m->nfacts; k++) {
		fm_fact *f = &m->facts[k];
		int64_t seen[64];
		int ns = 0;
		const char *place = NULL, *weak = NULL;
		for (size_t i = 0; i < f->nsup; i++) {
			const fm_row *r = &m->rows[f->sup[i].row];
			const fm_doc *d = &m->docs[r->doc];
			int64_t g = d->grp ? d->grp : -d->rowid;
			int dup = 0;
			for (int j = 0; j < ns; j++)
				dup |= seen[j] == g;
			if (!dup && ns < 64)
				seen[ns++] = g;
			if (r->place && !f->sup[i].partial &&
			    (r->place_from == FWHERE_TEXT || r->place_from == FWHERE_INHERIT)) {
				if (!place)
					place = r->place;
			} else if (r->place && !weak && !f->sup[i].partial) {
				weak = r->place;
			}
			if (r->duration && !f->duration)
				f->duration = r->duration;
			if (i == 0)
				f->event = d->event;
		}
		f->sources = ns;
		f->place = place ? place : weak;
		f->when_doc = 1;
		f->tod = -1;
		for (size_t i = 0; i < f->nsup; i++) {
			const fm_row *r = &m->rows[f->sup[i].row];
			f->when_doc &= r->when_doc;
			if (f->tod < 0 && r->tod >= 0 && !strncmp(r->when, f->when, 10))
				f->tod = r->tod; /* the first sentence that gives an hour */
		}
		char key[256];
		row_key(m, &m->rows[f->sup[0].row], key, sizeof key);
		size_t n = strlen(key);
		snprintf(key + n, sizeof key - n, "|%s", f->when);
		snprintf(f->id, sizeof f->id, "f%012llx",
			 (unsigned long long)(text_hash(key, strlen(key)) & 0xffffffffffffULL));
	}
}

chr_status fm_load(fm_model *m, chr_db *db)
{
	memset(m, 0, sizeof *m);
	m->db = db;
	arena_init(&m->mem, 0);
	ht_init(&m->docix, 0);
	m->events_table = table_exists(db, "event_articles");
	chr_status st = load_rows(m);
	for (size_t i = 0; !st && i < m->ndocs; i++)
		st = tag_doc(&m->docs[i]);
	for (size_t i = 0; !st && i < m->nrows; i++)
		date_row(m, &m->rows[i]);
	own_hours(m);
	if (!st)
		st = anchor_docs(m);
	if (!st)
		st = merge_all(m);
	if (!st)
		finish(m);
	return st;
}

void fm_free(fm_model *m)
{
	for (size_t i = 0; i < m->ndocs; i++)
		free(m->docs[i].tx);
	for (size_t i = 0; i < m->nfacts; i++)
		free(m->facts[i].sup);
	free(m->docs);
	free(m->rows);
	free(m->facts);
	ht_free(&m->docix);
	arena_free(&m->mem);
	memset(m, 0, sizeof *m);
}

const char *fm_name(fm_model *m, int64_t eid)
{
	sqlite3_stmt *s = store_stmt(m->db, ST_FA_EN_NAME);
	if (!s)
		return NULL;
	sqlite3_bind_int64(s, 1, eid);
	const char *n = sqlite3_step(s) == SQLITE_ROW ? col(m, s, 0) : NULL;
	sqlite3_reset(s);
	return n;
}

int64_t fm_find_entity(fm_model *m, const char *name)
{
	sqlite3_stmt *s = store_stmt(m->db, ST_FA_FIND);
	if (!s)
		return 0;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_TRANSIENT);
	int64_t e = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return e;
}
