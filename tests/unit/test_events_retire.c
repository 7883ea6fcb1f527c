/*
 * test_events_retire: the events engine's memory stays bounded on a long
 * stream (ev_retire), and retiring changes no placement.
 *
 * Design note: a generated stream of small invented events (each its own
 * made-up words and names, three reports each, about seven events a day
 * over a year and a half, plus reports that come back to a recent event
 * much later) is clustered twice, with and without ev_retire after each
 * batch of 256 docs, as ingest does.  The number of events held in memory
 * must stay under a bound far below the number of events, every doc must
 * land in the same event both ways (joins of recent events unchanged),
 * retired events must be freed (NULL slots) while their ids stay
 * readable, a new event must never reuse an id, and an undated stream
 * must be held under the EV_MAX_LIVE cap.
 *
 * The vocabulary (ev_vocab.c): the same stream, each event's first and
 * late reports in a syndication group of their own, is clustered with a
 * tiny vocabulary ceiling and with the default one.  Compaction must run
 * several times and keep the vocabulary under its bound, change no
 * placement (the stream's dropped words never come back), leave every
 * held event's centroids, members and persons naming the same strings
 * in the same order and every kept string its df and postings (checked
 * through the tables before and after each run), keep every id-sorted
 * vector sorted, drop the groups of retired events, and give a dropped
 * word that comes back a new id.
 */
#include "harness.h"

#include "core/arena.h"
#include "core/hash.h"
#include "events/events.h"

#define NEV 4200          /* events in the dated stream */
#define PER_DAY 7         /* events a day */
#define BATCH 256

/* A made-up word for (event, slot): consonant-vowel syllables. */
static void word(char *out, size_t cap, unsigned n, unsigned slot, int cap1)
{
	static const char cons[] = "bdfgklmnprstvz", vow[] = "aeiou";
	unsigned x = n * 7919u + slot * 104729u + 17u;
	size_t k = 0;
	for (int i = 0; i < 4 && k + 3 < cap; i++) {
		out[k++] = cons[x % 14];
		x /= 14;
		out[k++] = vow[x % 5];
		x /= 5;
	}
	out[k++] = cons[(n + slot) % 14]; /* keeps (n, slot) pairs apart */
	out[k] = '\0';
	if (cap1)
		out[0] = (char)(out[0] - 'a' + 'A');
}

typedef struct gen {
	char head[256], body[1024], date[11], id[32];
} gen;

/* Report r of event n (dated unless undated). */
static void make_doc(gen *g, unsigned n, unsigned r, int undated)
{
	char w[6][16], p[3][16];
	for (unsigned i = 0; i < 6; i++)
		word(w[i], sizeof w[i], n, i, 0);
	for (unsigned i = 0; i < 3; i++)
		word(p[i], sizeof p[i], n, 10 + i, 1);
	snprintf(g->head, sizeof g->head, "%s %s %s %s in %s", p[0], w[0], w[1],
		 w[2], p[2]);
	snprintf(g->body, sizeof g->body,
		 "%s and %s said the %s %s was %s after the %s in %s. "
		 "Officials said the %s %s would be reviewed. Report %u.",
		 p[0], p[1], w[0], w[1], w[2], w[3], p[2], w[4], w[5], r);
	snprintf(g->id, sizeof g->id, "ev%u-r%u", n, r);
	g->date[0] = '\0';
	if (!undated)
		ev_fmt_day(ev_days(2020, 1, 1) + (int32_t)(n / PER_DAY), g->date);
}

static void as_input(const gen *g, ev_input *in)
{
	memset(in, 0, sizeof *in);
	in->id = g->id;
	in->headline = g->head;
	in->text = g->body;
	in->text_len = strlen(g->body);
	in->published = g->date[0] ? g->date : NULL;
	in->group = -1;
}

/* How a stream is clustered: ev_retire after each batch, undated docs,
 * the vocabulary ceiling (0 = the default), extras (a dateline, the
 * event's place name; a syndication group for first and late reports),
 * the compaction checks (snapshot/compare). */
typedef struct opts {
	int retire, undated;
	size_t vocab_max;
	int extra, check;
} opts;

typedef struct run {
	size_t *label;    /* event index per doc */
	size_t ndocs, max_held, nev;
	uint64_t retired;
	int64_t last_id;
	/* vocabulary: runs, largest after a retire call, at the end; groups
	 * at the end; new terms a long-retired event's words made */
	uint64_t vocab_runs;
	size_t vocab_peak, vocab_kept, vocab_end, groups_end, back_new;
} run;

/* ---- the vocabulary's snapshot: strings, df, postings by string ---- */

typedef struct snap {
	arena mem;
	ht df[2];         /* term / entity string -> df */
	ht post[2];       /* string -> hash of its posting list */
	uint64_t *evh;    /* per event index: hash of its strings, 0 = not held */
	size_t nev, nplaces;
} snap;

/* id -> string for a table (ids 1..count). */
static const ht_entry **by_id(const ht *t)
{
	const ht_entry **r = calloc(t->count + 1, sizeof *r);
	for (size_t i = 0; r && i < t->cap; i++)
		if (t->slots[i].key)
			r[t->slots[i].v.num] = &t->slots[i];
	return r;
}

static uint64_t mix(uint64_t h, const void *p, size_t n)
{
	return hash_stable(p, n, h) ^ (h * 0x9E3779B97F4A7C15ULL);
}

/* Hash of a vector's (string, tf) sequence, and checks it is sorted. */
static uint64_t vec_hash(uint64_t h, const ev_tw *v, uint32_t n,
			 const ht_entry **str, size_t count)
{
	for (uint32_t i = 0; i < n; i++) {
		CHECK(v[i].id >= 1 && v[i].id <= count);
		CHECK(i == 0 || v[i - 1].id < v[i].id);
		if (v[i].id < 1 || v[i].id > count)
			continue;
		h = mix(h, str[v[i].id]->key, str[v[i].id]->klen);
		h = mix(h, &v[i].tf, sizeof v[i].tf);
	}
	return mix(h, "|", 1);
}

/* Hash of event index k's strings: centroids, members, persons, place
 * (ts, es, ps: terms, entities, places by id). */
static uint64_t event_hash(const ev_engine *e, const ev_event *ev,
			   const ht_entry **ts, const ht_entry **es,
			   const ht_entry **ps)
{
	size_t nt = e->terms.count, ne = e->ents.count;
	uint64_t h = 1;
	h = vec_hash(h, ev->body.v, ev->body.n, ts, nt);
	h = vec_hash(h, ev->head.v, ev->head.n, ts, nt);
	h = vec_hash(h, ev->ents.v, ev->ents.n, es, ne);
	for (int k = 0; k < EV_KEEP; k++) {
		h = vec_hash(h, ev->mb[k].v, ev->mb[k].n, ts, nt);
		h = vec_hash(h, ev->me[k].v, ev->me[k].n, es, ne);
	}
	for (int k = 0; k < EV_PERSONS; k++)
		if (ev->personn[k] && ev->person[k] >= 1 && ev->person[k] <= ne)
			h = mix(h, es[ev->person[k]]->key, es[ev->person[k]]->klen);
	CHECK(ev->place <= e->places.count);
	if (ev->place && ev->place <= e->places.count)
		h = mix(h, ps[ev->place]->key, ps[ev->place]->klen);
	return h;
}

static uint64_t post_hash(const ev_post *p)
{
	uint64_t h = 7;
	for (uint32_t i = 0; p && i < p->n; i++)
		h = mix(h, &p->ev[i], sizeof p->ev[i]);
	return h;
}

/* Table t (0 = terms, 1 = entities), and the df and the posting list's
 * hash of its id. */
static const ht *table(const ev_engine *e, int t)
{
	return t ? &e->ents : &e->terms;
}

static int64_t id_df(const ev_engine *e, int t, size_t id)
{
	return id < (t ? e->tecap : e->tdcap) ? (t ? e->edf : e->tdf)[id] : 0;
}

static uint64_t id_post(const ev_engine *e, int t, size_t id)
{
	size_t cap = t ? e->tecap : e->tdcap;
	return post_hash(id < cap ? (t ? e->epost : e->tpost)[id] : NULL);
}

static void snap_take(snap *s, const ev_engine *e)
{
	memset(s, 0, sizeof *s);
	arena_init(&s->mem, 0);
	const ht_entry **str[2];
	for (int t = 0; t < 2; t++) {
		str[t] = by_id(table(e, t));
		ht_init(&s->df[t], 0);
		ht_init(&s->post[t], 0);
		for (size_t id = 1; str[t] && id <= table(e, t)->count; id++) {
			int c;
			size_t len = str[t][id]->klen;
			char *k = arena_strndup(&s->mem, str[t][id]->key, len);
			ht_entry *x = ht_put(&s->df[t], k, len, &c);
			ht_entry *y = ht_put(&s->post[t], k, len, &c);
			if (x)
				x->v.num = id_df(e, t, id);
			if (y)
				y->v.num = (int64_t)id_post(e, t, id);
		}
	}
	s->nev = e->nev;
	s->evh = calloc(e->nev + 1, sizeof *s->evh);
	const ht_entry **ps = by_id(&e->places);
	s->nplaces = e->places.count;
	for (size_t k = 0; s->evh && str[0] && str[1] && ps && k < e->nev; k++)
		if (e->ev[k])
			s->evh[k] = event_hash(e, e->ev[k], str[0], str[1], ps);
	free(str[0]);
	free(str[1]);
	free(ps);
}

/* After a compaction: what is still held names the same strings, every
 * kept string has its df and postings. */
static void snap_compare(snap *s, const ev_engine *e)
{
	const ht_entry **str[2];
	for (int t = 0; t < 2; t++) {
		size_t count = table(e, t)->count, bad = 0;
		str[t] = by_id(table(e, t));
		CHECK(count < s->df[t].count); /* some were dropped */
		for (size_t id = 1; str[t] && id <= count; id++) {
			const ht_entry *x = str[t][id];
			CHECK(x != NULL);
			if (!x)
				continue;
			const ht_entry *a = ht_get(&s->df[t], x->key, x->klen);
			const ht_entry *b = ht_get(&s->post[t], x->key, x->klen);
			bad += !a || !b || a->v.num != id_df(e, t, id) ||
			       (uint64_t)b->v.num != id_post(e, t, id);
		}
		CHECK_INT(bad, 0);
		size_t cap = t ? e->tecap : e->tdcap;
		for (size_t id = count + 1; id < cap; id++)
			bad += id_df(e, t, id) || id_post(e, t, id) != post_hash(NULL);
		CHECK_INT(bad, 0); /* nothing left above the kept ids */
	}
	size_t held = 0, same = 0;
	const ht_entry **ps = by_id(&e->places);
	for (size_t k = 0; str[0] && str[1] && ps && k < e->nev && k < s->nev;
	     k++) {
		if (!e->ev[k])
			continue;
		held++;
		same += s->evh[k] == event_hash(e, e->ev[k], str[0], str[1], ps);
	}
	CHECK_INT(same, held);
	CHECK(held > 0);
	CHECK(e->places.count < s->nplaces); /* retired events' places */
	free(str[0]);
	free(str[1]);
	free(ps);
	for (int t = 0; t < 2; t++) {
		ht_free(&s->df[t]);
		ht_free(&s->post[t]);
	}
	arena_free(&s->mem);
	free(s->evh);
}

static size_t vocab(const ev_engine *e)
{
	return e->terms.count + e->ents.count;
}

/* The stream: events in blocks of 8, each block's reports in rounds
 * (all first reports, then all second, then all third); after every
 * sixth block, a fourth report of the event 40 before (a recent event
 * joined after other news). */
static size_t stream(unsigned *ev, unsigned *rep, size_t cap)
{
	size_t n = 0;
	for (unsigned b = 0; b < NEV; b += 8) {
		for (unsigned r = 0; r < 3; r++)
			for (unsigned j = b; j < b + 8 && j < NEV && n < cap; j++)
				ev[n] = j, rep[n++] = r;
		if (b >= 40 && (b / 8) % 6 == 0 && n < cap)
			ev[n] = b - 40, rep[n++] = 3;
	}
	return n;
}

static void cluster(const unsigned *evs, const unsigned *rep, size_t n,
		    const opts *o, run *out)
{
	ev_model m;
	char err[256];
	if (ev_model_load(&m, "models/events.txt", err, sizeof err))
		ev_model_default(&m);
	ev_engine e;
	CHECK(ev_engine_init(&e, &m) == CHR_OK);
	if (o->vocab_max)
		e.vocab_max = o->vocab_max;
	ev_doc d;
	ev_doc_init(&d);
	gen g;
	memset(out, 0, sizeof *out);
	out->label = calloc(n, sizeof *out->label);
	for (size_t i = 0; i < n && out->label; i++) {
		make_doc(&g, evs[i], rep[i], o->undated);
		ev_input in;
		as_input(&g, &in);
		char place[16];
		word(place, sizeof place, evs[i], 12, 1);
		if (o->extra)
			in.dateline = place;
		if (o->extra && (rep[i] == 0 || rep[i] == 3))
			in.group = evs[i];
		if (ev_doc_build(&e, &in, &d) ||
		    ev_add(&e, &d, &out->label[i], NULL)) {
			CHECK(!"placing failed");
			break;
		}
		if (o->retire && (i + 1) % BATCH == 0) {
			snap s;
			uint64_t runs = e.vocab_runs;
			int check = o->check && vocab(&e) > e.vocab_max &&
				    vocab(&e) > e.vocab_next;
			if (check)
				snap_take(&s, &e);
			ev_retire(&e);
			if (check) {
				CHECK(e.vocab_runs == runs + 1);
				snap_compare(&s, &e);
				if (vocab(&e) > out->vocab_kept)
					out->vocab_kept = vocab(&e);
			}
			/* under the bound that triggers the next run */
			CHECK(vocab(&e) <= e.vocab_max || vocab(&e) <= e.vocab_next);
		}
		if (e.nheld > out->max_held)
			out->max_held = e.nheld;
		if (vocab(&e) > out->vocab_peak)
			out->vocab_peak = vocab(&e);
	}
	for (size_t i = 0; i < n && out->label; i++)
		out->label[i] = ev_live(&e, out->label[i]);
	out->ndocs = n;
	out->nev = e.nlive;
	out->retired = e.retired;
	out->last_id = e.last_id;
	out->vocab_runs = e.vocab_runs;
	out->vocab_end = vocab(&e);
	out->groups_end = e.groups.count;
	if (o->retire && !o->undated) {
		/* retired slots are freed, their ids stay; a new event takes a
		 * fresh id */
		size_t freed = 0;
		for (size_t k = 0; k < e.nev; k++)
			if (!e.ev[k]) {
				freed++;
				CHECK(e.ids[k] == (int64_t)k + 1);
			}
		CHECK(freed >= e.retired && e.retired > 0);
		CHECK(e.nheld + freed == e.nev);
		make_doc(&g, 0, 9, 0); /* the first event, long retired */
		ev_input in;
		as_input(&g, &in);
		size_t k = 0, before = e.terms.count;
		CHECK(ev_doc_build(&e, &in, &d) == CHR_OK);
		out->back_new = e.terms.count - before;
		/* its words, dropped or not, have the ids of the table */
		for (uint32_t i = 0; i < d.body.n; i++)
			CHECK(d.body.v[i].id >= 1 && d.body.v[i].id <= e.terms.count);
		CHECK(ev_add(&e, &d, &k, NULL) == CHR_OK);
		CHECK(e.ev[k] && e.ev[k]->id == out->last_id + 1 && k == e.nev - 1);
	}
	ev_doc_free(&d);
	ev_engine_free(&e);
}

/* Runs a and b placed every doc alike, and b's recent events still take
 * their late reports. */
static void same_events(const unsigned *evs, const unsigned *rep, size_t n,
			const run *a, const run *b)
{
	size_t same = 0;
	for (size_t i = 0; a->label && b->label && i < n; i++)
		same += a->label[i] == b->label[i];
	CHECK_INT(same, n); /* no placement changed */
	for (size_t i = 0; b->label && i < n; i++)
		if (rep[i] == 3)
			for (size_t j = 0; j < i; j++)
				if (evs[j] == evs[i] && rep[j] == 0 &&
				    b->label[j] != b->label[i])
					CHECK(!"a late report left its event");
}

/* The dated stream (into *evs, *rep; the count, 0 when out of memory)
 * clustered as oa says into a and as ob says into b. */
static size_t two_runs(unsigned **evs, unsigned **rep, const opts *oa,
		       run *a, const opts *ob, run *b)
{
	size_t cap = NEV * 4;
	*evs = calloc(cap, sizeof **evs);
	*rep = calloc(cap, sizeof **rep);
	CHECK(*evs && *rep);
	if (!*evs || !*rep)
		return 0;
	size_t n = stream(*evs, *rep, cap);
	cluster(*evs, *rep, n, oa, a);
	cluster(*evs, *rep, n, ob, b);
	return n;
}

static void free_runs(unsigned *evs, unsigned *rep, run *a, run *b)
{
	if (a)
		free(a->label);
	if (b)
		free(b->label);
	free(evs);
	free(rep);
}

static void test_retire_dated(void)
{
	unsigned *evs, *rep;
	run a, b;
	opts oa = { 0, 0, 0, 0, 0 }, ob = { 1, 0, 0, 0, 0 };
	size_t n = two_runs(&evs, &rep, &oa, &a, &ob, &b);
	if (!n) {
		free_runs(evs, rep, NULL, NULL);
		return;
	}
	printf("  %zu docs, %zu events; held at most %zu without retiring, "
	       "%zu with (%llu retired)\n",
	       n, b.nev, a.max_held, b.max_held, (unsigned long long)b.retired);
	CHECK(n > 12000);
	/* the stream has its events: most reports join their event */
	CHECK(b.nev >= NEV * 9 / 10 && b.nev <= NEV * 11 / 10);
	CHECK(a.max_held == a.nev); /* without retiring, everything is held */
	/* with it: the last 60 days (420 events) plus the idle window
	 * (4096 docs, ~1,400 events), not the whole stream */
	CHECK(b.max_held < 2200 && b.max_held < b.nev / 2);
	same_events(evs, rep, n, &a, &b);
	free_runs(evs, rep, &a, &b);
}

/* Undated: no date tells an event is over, so the cap holds them. */
static void test_retire_cap(void)
{
	size_t n = EV_MAX_LIVE + 2000;
	unsigned *evs = calloc(n, sizeof *evs), *rep = calloc(n, sizeof *rep);
	CHECK(evs && rep);
	if (!evs || !rep)
		return;
	for (size_t i = 0; i < n; i++)
		evs[i] = (unsigned)i, rep[i] = 0;
	run r;
	opts o = { 1, 1, 0, 0, 0 };
	cluster(evs, rep, n, &o, &r);
	printf("  undated: %zu events, held at most %zu\n", r.nev, r.max_held);
	CHECK(r.nev > EV_MAX_LIVE);
	CHECK(r.max_held <= EV_MAX_LIVE + BATCH);
	CHECK(r.retired >= r.nev - EV_MAX_LIVE);
	free(r.label);
	free(evs);
	free(rep);
}

/* The vocabulary under a tiny ceiling (ev_vocab.c): see the note. */
#define VOCAB_TINY 24000

static void test_vocab_compact(void)
{
	unsigned *evs, *rep;
	run a, b;
	opts oa = { 1, 0, 0, 1, 0 }, ob = { 1, 0, VOCAB_TINY, 1, 1 };
	size_t n = two_runs(&evs, &rep, &oa, &a, &ob, &b);
	if (!n) {
		free_runs(evs, rep, NULL, NULL);
		return;
	}
	printf("  vocabulary: %zu at the end with the default ceiling (%llu "
	       "runs); ceiling %d: %llu runs keeping at most %zu, at most %zu, "
	       "%zu at the end; groups %zu -> %zu\n",
	       a.vocab_end, (unsigned long long)a.vocab_runs, VOCAB_TINY,
	       (unsigned long long)b.vocab_runs, b.vocab_kept, b.vocab_peak,
	       b.vocab_end, a.groups_end, b.groups_end);
	CHECK(a.vocab_runs == 0); /* the default is far above this stream */
	CHECK(b.vocab_runs >= 3);
	/* bounded: a run waits for half a ceiling of new ids, and what is
	 * kept fits under the ceiling */
	CHECK(b.vocab_peak <= VOCAB_TINY * 2);
	CHECK(b.vocab_kept <= VOCAB_TINY && b.vocab_kept > 0);
	CHECK(a.vocab_peak > VOCAB_TINY * 2);
	CHECK(b.vocab_end < a.vocab_end / 2);
	/* retired events' groups dropped */
	CHECK(b.groups_end < a.groups_end / 2);
	same_events(evs, rep, n, &a, &b);
	/* a long-retired event's words come back as new words */
	CHECK(a.back_new == 0);
	CHECK(b.back_new > 0);
	free_runs(evs, rep, &a, &b);
}

int main(void)
{
	static const th_test tests[] = {
		TEST(test_retire_dated),
		TEST(test_retire_cap),
		TEST(test_vocab_compact),
	};
	return th_run("events_retire", tests, sizeof tests / sizeof tests[0]);
}
