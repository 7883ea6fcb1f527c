/*
 * bench/dedup_flat: ingest cost per article against the SQLite index as
 * the store grows (1k -> 100k articles).  Only the dedup stage and its
 * index writes are timed (dedup_db_add inside batch transactions), on
 * synthetic text: 150 words from a 50k vocabulary, 20% near copies of a
 * recent article, 10% carrying one shared stock paragraph.  For each
 * checkpoint it times the next 1,000 articles and prints microseconds per
 * article, candidates and postings read per article.
 * usage: dedup_flat DB [MAX]   (DB is created afresh)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dedup/dedup.h"
#include "store/store.h"

static uint64_t rng = 12345;

static unsigned rnd(unsigned n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((rng >> 33) % n);
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

#define RECENT 64
static char *recent[RECENT];

static char *make_text(void)
{
	size_t cap = 4096, k = 0;
	char *s = malloc(cap);
	char *src = recent[rnd(RECENT)];
	if (rnd(5) == 0 && src) { /* near copy: edit 3 words */
		k = strlen(src);
		memcpy(s, src, k + 1);
		for (int e = 0; e < 3 && k > 10; e++)
			s[rnd((unsigned)k - 1)] = 'q';
		return s;
	}
	for (int i = 0; i < 150; i++)
		k += (size_t)snprintf(s + k, cap - k, "w%u%s", rnd(50000),
				      i % 40 == 39 ? "\n\n" : " ");
	if (rnd(10) == 0)
		snprintf(s + k, cap - k, "\n\nThe region is the country's largest "
					 "producer of grain and exports most of it by sea.");
	return s;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: dedup_flat DB [MAX]\n");
		return 2;
	}
	long max = argc > 2 ? atol(argv[2]) : 100000;
	unlink(argv[1]);
	chr_db *db;
	if (chr_db_open(argv[1], &db)) {
		fprintf(stderr, "cannot open %s\n", argv[1]);
		return 1;
	}
	dedup_feat f;
	dedup_feat_init(&f);
	long checkpoints[] = { 1000, 10000, 100000, 1000000 };
	int ci = 0;
	printf("%10s %12s %12s %12s\n", "stored", "us/article", "candidates", "postings");
	double t0 = 0, tsum = 0;
	size_t cand = 0, keys = 0, n = 0;
	int measuring = 0;
	for (long id = 1; id <= max + 1000 && ci < 4; id++) {
		if (!measuring && id - 1 == checkpoints[ci]) {
			measuring = 1;
			tsum = 0;
			cand = keys = n = 0;
		}
		char *text = make_text();
		if ((id - 1) % 256 == 0)
			store_begin(db);
		t0 = now();
		dedup_features(&f, text, strlen(text));
		dedup_doc d;
		memset(&d, 0, sizeof d);
		d.id = id;
		d.tier = DEDUP_TIER_PLAIN;
		d.nwords = f.nwords;
		dedup_stats st;
		if (dedup_db_add(db, &d, &f, NULL, &st)) {
			fprintf(stderr, "dedup: %s\n", chr_db_errmsg(db));
			return 1;
		}
		if (id % 256 == 0)
			store_commit(db);
		double dt = now() - t0;
		free(recent[id % RECENT]);
		recent[id % RECENT] = text;
		if (measuring) {
			tsum += dt;
			cand += st.candidates;
			keys += st.keys_read;
			if (++n == 1000) {
				printf("%10ld %12.1f %12.2f %12.1f\n", checkpoints[ci],
				       tsum * 1e6 / 1000, (double)cand / 1000, (double)keys / 1000);
				fflush(stdout);
				measuring = 0;
				if (++ci < 4 && checkpoints[ci] > max)
					break;
			}
		}
	}
	store_commit(db);
	dedup_feat_free(&f);
	chr_db_close(db);
	return 0;
}
