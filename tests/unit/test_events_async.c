/*
 * test_events_async: the events stage's decide/write split
 * (src/events/ev_decide.c) stores what placing on the caller's thread
 * stores.
 *
 * Design note: the oracle is the same ingest with one thread, where
 * each batch is decided and written at once; with the events thread
 * (threads = 2) a batch is decided while the next articles are stored
 * and written at the next hand-over, so a group's event that the decide
 * half reads from its gathered rows, kept up to date through the
 * batch's own placements and merges, must be what the SQL read at that
 * point.  The invented stream has syndicated copies (a report again
 * with a credit line: one dedup group) placed in later events batches
 * than their first copy and in the same one, stories told in two
 * wordings that start apart and are merged, dated and undated reports,
 * and two runs (the second replays the first's events).  Every table
 * the stage writes (event_articles, events, event_entities, the
 * articles' dates, storylines) must be the same row for row, with
 * copies joined and merges made, in events batches of 4 and of 3.
 */
#include "store_fixture.h"

#include <stdint.h>
#include <stdlib.h>

#include "events/events.h"

enum { NT = 6, PER = 7, ND = NT * PER + NT * 3 };

static const char *const topic[NT] = {
	"Dock workers in Valmora walked out over pay, the Harbour Union"
	" said.  Union leader Ana Perl said the strike at the port of"
	" Valmora would go on until the Port Authority met its demands.",
	"Cargo ships queued outside Valmora as crane drivers stayed home,"
	" shipping agents said.  Freight firms warned of delays to grain"
	" and fuel deliveries.",
	"Foreign ministers from Kessmar and Nordhaven met in Geneva for"
	" talks on the river border, the Foreign Ministry said.  Minister"
	" Tomas Reyes called the talks useful.",
	"Talks on the Kessmar-Nordhaven river border opened in Geneva, where"
	" Minister Tomas Reyes met his Nordhaven counterpart, the Foreign"
	" Ministry of Kessmar said.",
	"Floods in Hesper forced thousands from their homes after the river"
	" Orlen burst its banks, the Hesper fire service said.  Chief Mara"
	" Lind said pumps were on the way.",
	"Shares of Brantwell Motors fell after the carmaker cut its profit"
	" forecast, chief executive Ivo Sand told analysts.  Brantwell said"
	" sales in Kessmar were weak.",
};
static const char *const title[NT] = {
	"Valmora dock strike", "Port of Valmora shut by strike",
	"Kessmar border talks", "Geneva talks on river border",
	"Hesper floods", "Brantwell shares fall",
};
static const char *const date[NT] = {
	"2024-03-04", "2024-03-05", "2024-05-10", "2024-05-11", "2024-07-01",
	"2024-09-15",
};
static const char *const extra[PER] = {
	"Police said the crowd stayed calm.",
	"More talks were planned for next week.",
	"Officials gave no figures.",
	"Observers expected a long dispute.",
	"A statement followed late in the day.",
	"Local radio carried the news first.",
	"Nobody was hurt, officials said.",
};

static char text[ND][640], id[ND][32];
static chr_doc d[ND];

/* The stream: the reports of all topics interleaved, dated but every
 * third; after every third report of a topic, a copy of an earlier one
 * with a credit line (a near duplicate: the same group). */
static size_t make_stream(void)
{
	size_t n = 0;
	for (int r = 0; r < PER; r++)
		for (int t = 0; t < NT; t++) {
			/* topic 1's first reports tell topic 0's story in
			 * other words (an event of their own), its later ones
			 * in topic 0's: the two events meet and merge */
			const char *w = t == 1 && r >= 3 ? topic[0] : topic[t];
			snprintf(text[n], sizeof text[n], "%s  %s  Report %d.",
				 w, extra[(r + t) % PER], r);
			snprintf(id[n], sizeof id[n], "as-%d-%d", t, r);
			d[n] = doc(id[n], title[t], text[n]);
			d[n].date = (r + t) % 3 ? date[t] : NULL;
			n++;
			if (r % 3 == 0) {
				size_t src = n - 1 - (size_t)(r % 2) * NT;
				size_t k = strlen(text[src]);
				memcpy(text[n], text[src], k);
				snprintf(text[n] + k, sizeof text[n] - k,
					 "  (Reporting by Lia Morn; editing"
					 " by Kai Dusk.)");
				snprintf(id[n], sizeof id[n], "as-%d-%dc", t,
					 r);
				d[n] = d[src];
				d[n].id = id[n];
				d[n].text = text[n];
				d[n].text_len = strlen(text[n]);
				/* months later: only its group joins it to its
				 * first copy's event */
				d[n].date = "2024-12-20";
				n++;
			}
		}
	return n;
}

static chr_status run(chr_db *db, const chr_doc *docs, size_t n, int threads,
		      size_t ev_batch)
{
	chr_ingest_opts o;
	memset(&o, 0, sizeof o);
	o.batch = 4 * ev_batch + 1;
	o.ev_batch = ev_batch;
	o.threads = threads;
	chr_ingest *g = NULL;
	chr_status st = chr_ingest_new(db, &o, &g);
	for (size_t i = 0; i < n && !st; i++)
		st = chr_ingest_doc(g, &docs[i]);
	chr_ingest_stats s;
	chr_status fst = chr_ingest_finish(g, &s);
	chr_ingest_free(g);
	return st ? st : fst;
}

/* The rows the events stage writes, as text (malloc'd). */
static char *dump(const char *path)
{
	static const char *const q[] = {
		"SELECT doc, event FROM event_articles ORDER BY doc",
		"SELECT id, title, date, date_end, place, n FROM events"
		" ORDER BY id",
		"SELECT event, eid, n FROM event_entities ORDER BY event, eid",
		"SELECT rowid, published, published_from FROM articles"
		" ORDER BY rowid",
		"SELECT event, story FROM storyline_events ORDER BY event",
		"SELECT id, title FROM storylines ORDER BY id",
	};
	size_t cap = 1 << 20, n = 0;
	char *out = malloc(cap);
	sqlite3 *h;
	if (!out || sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL)) {
		free(out);
		return NULL;
	}
	for (size_t k = 0; k < sizeof q / sizeof *q; k++) {
		sqlite3_stmt *s;
		if (sqlite3_prepare_v2(h, q[k], -1, &s, NULL))
			continue;
		while (sqlite3_step(s) == SQLITE_ROW)
			for (int c = 0; c < sqlite3_column_count(s); c++) {
				const char *v =
					(const char *)sqlite3_column_text(s, c);
				int w = snprintf(out + n, cap - n, "%s%c",
						 v ? v : "-",
						 c + 1 < sqlite3_column_count(s)
							 ? '|' : '\n');
				if (w > 0 && (size_t)w < cap - n)
					n += (size_t)w;
			}
		sqlite3_finalize(s);
		n += (size_t)snprintf(out + n, cap - n, "--\n");
	}
	sqlite3_close(h);
	return out;
}

static void one_way(size_t ev_batch)
{
	size_t n = make_stream(), half = n / 2;
	char *got[2] = { NULL, NULL };
	for (int w = 0; w < 2; w++) {
		char name[32];
		snprintf(name, sizeof name, "async%d.db", w);
		chr_db *db = fresh(name);
		if (!db)
			return;
		CHECK_INT(run(db, d, half, w ? 2 : 1, ev_batch), CHR_OK);
		CHECK_INT(run(db, d + half, n - half, w ? 2 : 1, ev_batch),
			  CHR_OK);
		chr_db_close(db);
		got[w] = dump(tpath(name));
		CHECK(got[w] != NULL);
		if (!w) { /* the stream does what it is for */
			const char *p = tpath(name);
			CHECK_INT(raw_int(p, "SELECT count(*) FROM"
					  " event_articles"), (long long)n);
			/* copies in their group's event */
			CHECK(raw_int(p, "SELECT count(*) FROM dedup_docs d"
				      " JOIN dedup_docs e ON e.grp = d.grp AND"
				      " e.doc > d.doc JOIN event_articles x"
				      " ON x.doc = d.doc JOIN event_articles y"
				      " ON y.doc = e.doc AND y.event ="
				      " x.event") >= NT);
			CHECK_INT(raw_int(p, "SELECT count(*) FROM (SELECT"
					  " d.grp FROM dedup_docs d JOIN"
					  " event_articles x ON x.doc = d.doc"
					  " GROUP BY d.grp HAVING count(DISTINCT"
					  " x.event) > 1)"), 0);
			CHECK(raw_int(p, "SELECT max(id) - count(*) FROM"
				      " events") > 0); /* merges */
			CHECK(raw_int(p, "SELECT count(*) FROM articles"
				      " WHERE published_from = 'event'") > 0);
		}
	}
	if (got[0] && got[1]) {
		CHECK(strlen(got[0]) > 100);
		CHECK_STR(got[1], got[0]);
	}
	free(got[0]);
	free(got[1]);
}

static void test_async_same_rows(void)
{
	one_way(4);
	one_way(3);
}

int main(void)
{
	static const th_test tests[] = {
		TEST(test_async_same_rows),
	};
	ev_check_groups = 1;
	(void)ingest; /* (the fixture's, unused here) */
	(void)fresh_with;
	(void)reopen;
	make_tmpdir();
	int rc = th_run("events_async", tests, sizeof tests / sizeof tests[0]);
	if (!getenv("KEEP")) remove_tmpdir(); else puts(tmpdir);
	return rc;
}
