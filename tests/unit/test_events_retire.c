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
 */
#include "harness.h"

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

typedef struct run {
	size_t *label;    /* event index per doc */
	size_t ndocs, max_held, nev;
	uint64_t retired;
	int64_t last_id;
} run;

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
		    int retire, int undated, run *out)
{
	ev_model m;
	char err[256];
	if (ev_model_load(&m, "models/events.txt", err, sizeof err))
		ev_model_default(&m);
	ev_engine e;
	CHECK(ev_engine_init(&e, &m) == CHR_OK);
	ev_doc d;
	ev_doc_init(&d);
	gen g;
	out->label = calloc(n, sizeof *out->label);
	out->max_held = 0;
	for (size_t i = 0; i < n && out->label; i++) {
		make_doc(&g, evs[i], rep[i], undated);
		ev_input in;
		as_input(&g, &in);
		if (ev_doc_build(&e, &in, &d) ||
		    ev_add(&e, &d, &out->label[i], NULL)) {
			CHECK(!"placing failed");
			break;
		}
		if (retire && (i + 1) % BATCH == 0)
			ev_retire(&e);
		if (e.nheld > out->max_held)
			out->max_held = e.nheld;
	}
	for (size_t i = 0; i < n && out->label; i++)
		out->label[i] = ev_live(&e, out->label[i]);
	out->ndocs = n;
	out->nev = e.nlive;
	out->retired = e.retired;
	out->last_id = e.last_id;
	if (retire && !undated) {
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
		size_t k = 0;
		CHECK(ev_doc_build(&e, &in, &d) == CHR_OK);
		CHECK(ev_add(&e, &d, &k, NULL) == CHR_OK);
		CHECK(e.ev[k] && e.ev[k]->id == out->last_id + 1 && k == e.nev - 1);
	}
	ev_doc_free(&d);
	ev_engine_free(&e);
}

static void test_retire_dated(void)
{
	size_t cap = NEV * 4;
	unsigned *evs = calloc(cap, sizeof *evs), *rep = calloc(cap, sizeof *rep);
	CHECK(evs && rep);
	if (!evs || !rep)
		return;
	size_t n = stream(evs, rep, cap);
	run a, b;
	cluster(evs, rep, n, 0, 0, &a);
	cluster(evs, rep, n, 1, 0, &b);
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
	size_t same = 0;
	for (size_t i = 0; a.label && b.label && i < n; i++)
		same += a.label[i] == b.label[i];
	CHECK_INT(same, n); /* no placement changed */
	/* recent events still take their late reports */
	for (size_t i = 0; b.label && i < n; i++)
		if (rep[i] == 3)
			for (size_t j = 0; j < i; j++)
				if (evs[j] == evs[i] && rep[j] == 0 &&
				    b.label[j] != b.label[i])
					CHECK(!"a late report left its event");
	free(a.label);
	free(b.label);
	free(evs);
	free(rep);
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
	cluster(evs, rep, n, 1, 1, &r);
	printf("  undated: %zu events, held at most %zu\n", r.nev, r.max_held);
	CHECK(r.nev > EV_MAX_LIVE);
	CHECK(r.max_held <= EV_MAX_LIVE + BATCH);
	CHECK(r.retired >= r.nev - EV_MAX_LIVE);
	free(r.label);
	free(evs);
	free(rep);
}

int main(void)
{
	static const th_test tests[] = {
		TEST(test_retire_dated),
		TEST(test_retire_cap),
	};
	return th_run("events_retire", tests, sizeof tests / sizeof tests[0]);
}
