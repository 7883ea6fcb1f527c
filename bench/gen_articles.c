/*
 * gen_articles: synthetic news articles for the scale benchmark
 * (bench/scale.sh), as JSON Lines on stdout.
 *
 * Design note: real sentences are read at run time from the shared
 * Reuters-21578 and BBC corpora (nothing of them is committed) and
 * recombined: proper-noun runs become fresh names from a made-up cast,
 * digits become fresh digits, and every article gets a fresh date.  The
 * stream has the structure the later stages need to do real work:
 *   - events: a cast (people, an organisation, a place), a date and a few
 *     core sentences, reported by several articles from different outlets
 *     over a few days, so clustering has true groups to find;
 *   - syndication: a share of articles are wire copies of a recent one
 *     (same body, new outlet and headline, a sentence dropped or a
 *     sign-off added), plus a few exact re-sends, so dedup finds groups;
 *   - stock paragraphs: a fixed set of boilerplate paragraphs appended to
 *     a share of articles, so paragraph-level reuse is exercised;
 *   - names: a recurring cast with a Zipf-like reuse plus fresh names, so
 *     the entity table grows the way a real one does.
 * Memory is bounded: only the sentence pool, the recent events and a ring
 * of recent articles are kept, whatever N is.  The same seed gives the
 * same stream.  Usage: gen_articles N [SEED] [SHARED_DIR]
 */
#include <ctype.h>
#include <dirent.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- small helpers ---- */

static uint64_t rng_s;

static uint64_t rnd(void) /* splitmix64 */
{
	uint64_t z = (rng_s += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static size_t rn(size_t n) { return n ? (size_t)(rnd() % n) : 0; }
static int chance(double p) { return (double)(rnd() >> 11) / 9007199254740992.0 < p; }

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p) {
		fprintf(stderr, "gen_articles: out of memory\n");
		exit(1);
	}
	return p;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fprintf(stderr, "gen_articles: out of memory\n");
		exit(1);
	}
	return p;
}

static char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

typedef struct sbuf {
	char *p;
	size_t n, cap;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = 0;
}

static void sb_str(sbuf *b, const char *s) { sb_add(b, s, strlen(s)); }
static void sb_clear(sbuf *b) { b->n = 0; if (b->p) b->p[0] = 0; }

/* ---- the sentence pool ---- */

static char **pool;
static size_t npool, cappool;

static void pool_add(const char *s, size_t n)
{
	size_t words = 0, caps = 0, bad = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ' && i + 1 < n && s[i + 1] != ' ')
			words++;
		if (isupper(c))
			caps++;
		if (c < 0x20 || c == '<' || c == '>' || c == '|')
			bad++;
	}
	words++;
	/* whole sentences only: 6 to 60 words, not a shouting header */
	if (bad || words < 6 || words > 60 || caps * 3 > n)
		return;
	if (npool == cappool) {
		cappool = cappool ? cappool * 2 : 4096;
		pool = xrealloc(pool, cappool * sizeof *pool);
	}
	pool[npool++] = xstrndup(s, n);
}

/* Split a body into sentences: line breaks inside paragraphs become
 * spaces, and a sentence ends at . ! ? followed by a space and a capital
 * (not after a one- or two-letter abbreviation such as "U.S." or "Mr."). */
static void split_sentences(const char *t)
{
	sbuf b = { 0 };
	for (const char *p = t; *p; p++) {
		char c = *p == '\n' || *p == '\t' || *p == '\r' ? ' ' : *p;
		if (c == ' ' && b.n && b.p[b.n - 1] == ' ')
			continue;
		if (c == ' ' && !b.n)
			continue;
		sb_add(&b, &c, 1);
		if ((c == '.' || c == '!' || c == '?') &&
		    (p[1] == ' ' || p[1] == '\n') ) {
			const char *q = p + 1;
			while (*q == ' ' || *q == '\n')
				q++;
			size_t k = b.n - 1, wl = 0;
			while (k > 0 && b.p[k - 1] != ' ') {
				k--;
				wl++;
			}
			if (isupper((unsigned char)*q) && wl > 3) {
				pool_add(b.p, b.n);
				sb_clear(&b);
			}
		}
	}
	free(b.p);
}

static void read_reuters(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	char *line = NULL;
	size_t cap = 0;
	while (getline(&line, &cap, f) > 0) {
		json_t *o = json_loads(line, 0, NULL);
		const char *t = json_string_value(json_object_get(o, "text"));
		if (t)
			split_sentences(t);
		json_decref(o);
	}
	free(line);
	fclose(f);
}

static void read_bbc(const char *dir)
{
	static const char *cats[] = { "business", "entertainment", "politics",
				      "sport", "tech" };
	for (size_t c = 0; c < 5; c++) {
		char d[4096];
		if (snprintf(d, sizeof d, "%s/%s", dir, cats[c]) >= (int)sizeof d)
			continue;
		DIR *dp = opendir(d);
		if (!dp)
			continue;
		struct dirent *e;
		while ((e = readdir(dp))) {
			if (!strstr(e->d_name, ".txt"))
				continue;
			char fp[8192];
			if (snprintf(fp, sizeof fp, "%s/%s", d, e->d_name) >=
			    (int)sizeof fp)
				continue;
			FILE *f = fopen(fp, "r");
			if (!f)
				continue;
			sbuf b = { 0 };
			char chunk[8192];
			size_t n;
			while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
				sb_add(&b, chunk, n);
			fclose(f);
			/* skip the headline line; only valid UTF-8 files
			 * are used (one BBC file is Latin-1) */
			char *body = b.p ? strchr(b.p, '\n') : NULL;
			int ascii_ok = 1;
			for (size_t i = 0; i < b.n; i++) {
				unsigned char ch = (unsigned char)b.p[i];
				if (ch >= 0x80 && ch < 0xC0 &&
				    (i == 0 || (unsigned char)b.p[i - 1] < 0x80))
					ascii_ok = 0;
			}
			if (body && ascii_ok)
				split_sentences(body);
			free(b.p);
		}
		closedir(dp);
	}
}

/* ---- names ---- */

static const char *const syl[] = {
	"ka", "ri", "mo", "ven", "tal", "dor", "si", "bre", "lu", "nar",
	"the", "os", "vi", "gan", "mel", "ro", "za", "fen", "ish", "ul",
	"bar", "de", "kor", "lia", "mun", "pe", "sto", "ter", "va", "wen",
	"ar", "bel", "cas", "dri", "el", "fa", "gor", "hal", "ion", "jas",
};
#define NSYL (sizeof syl / sizeof syl[0])
static const char *const org_tail[] = { "Holdings", "Group", "Corp",
	"Bank", "Ministry of Trade", "Union", "Airlines", "Energy", "Institute",
	"Council", "Party", "Motors", "Telecom", "Mining", "Partners" };
static const char *const place_head[] = { "Port", "North", "San", "Lake",
	"New", "East", "Mount", "Fort", "West", "Upper" };
static const char *const outlets[] = { "Wirewire", "Daily Ledger",
	"Harbour Times", "Capital Post", "Morning Courier", "Northern Star",
	"Global Dispatch", "City Herald", "Evening Record", "Pacific Wire",
	"Atlas News", "The Observer Line" };
#define NOUTLETS (sizeof outlets / sizeof outlets[0])
static const char *const months[] = { "January", "February", "March",
	"April", "May", "June", "July", "August", "September", "October",
	"November", "December" };

/* A capitalised word of 2 to 4 syllables made from k: different k give
 * different words (a mixed-radix number in syllables). */
static void word_of(uint64_t k, sbuf *b)
{
	size_t len = 2 + (size_t)(k % 3);
	k /= 3;
	char w[64];
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		const char *s = syl[k % NSYL];
		k /= NSYL;
		for (const char *p = s; *p && n < sizeof w - 2; p++)
			w[n++] = *p;
	}
	w[0] = (char)toupper((unsigned char)w[0]);
	sb_add(b, w, n);
}

enum { PER, ORG, LOC, NTYPES };

static void name_of(int type, uint64_t k, sbuf *b)
{
	uint64_t h = k * 0x9E3779B97F4A7C15ULL + (uint64_t)type;
	h ^= h >> 29;
	switch (type) {
	case PER:
		word_of(h % 50000, b);
		sb_str(b, " ");
		word_of(h / 50000 + 7, b);
		break;
	case ORG:
		word_of(h % 1000003, b);
		sb_str(b, " ");
		sb_str(b, org_tail[(h >> 20) % (sizeof org_tail / sizeof *org_tail)]);
		break;
	default:
		if (h % 3 == 0) {
			sb_str(b, place_head[(h >> 8) % (sizeof place_head / sizeof *place_head)]);
			sb_str(b, " ");
		}
		word_of(h / 3 + 11, b);
	}
}

/* A cast member: recurring names (a small set, drawn with a heavy head)
 * or fresh ones (never seen before). */
static uint64_t fresh_id = 1000000;

static uint64_t cast_pick(void)
{
	if (chance(0.5)) { /* recurring: 20k names, skewed to the first ones */
		double u = (double)(rnd() >> 11) / 9007199254740992.0;
		return (uint64_t)(20000.0 * u * u * u);
	}
	return fresh_id++;
}

/* ---- events and articles ---- */

#define CAST 6
#define CORE 6
typedef struct event {
	int type[CAST];
	uint64_t who[CAST];
	size_t core[CORE];  /* pool sentences every report draws on */
	int day;            /* days since 2000-01-01 */
	int used;
} event;

#define NEVENTS 512     /* recent events still reported on */
#define RING 2048       /* recent articles that can be syndicated */
#define NSTOCK 300      /* stock paragraphs */

typedef struct art {
	char *title, *text;
	int day;
	size_t outlet;
	uint64_t serial;
} art;

static event events[NEVENTS];
static art ring[RING];
static char *stock[NSTOCK];

static void day_to_date(int day, char *out, size_t cap)
{
	static const int ml[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y = 2000;
	for (;;) {
		int leap = (y % 4 == 0 && y % 100) || y % 400 == 0;
		int yl = 365 + leap;
		if (day < yl)
			break;
		day -= yl;
		y++;
	}
	int m = 0;
	for (;; m++) {
		int leap = (y % 4 == 0 && y % 100) || y % 400 == 0;
		int l = ml[m] + (m == 1 && leap);
		if (day < l)
			break;
		day -= l;
	}
	snprintf(out, cap, "%04d-%02d-%02d", y % 10000, (m + 1) % 100,
		 (day + 1) % 100);
}

/* Rewrite one pool sentence with the event's cast: runs of capitalised
 * words after the first word become cast names; digits become fresh
 * digits; month names become the event's month. */
static void rewrite(const char *s, const event *ev, sbuf *out)
{
	size_t i = 0, n = strlen(s);
	int first = 1;
	char date[16];
	day_to_date(ev->day, date, sizeof date);
	int month = (date[5] - '0') * 10 + (date[6] - '0') - 1;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (isdigit(c)) {
			char d = (char)('0' + rn(10));
			if (i == 0 || !isdigit((unsigned char)s[i - 1]))
				d = (char)('1' + rn(9));
			sb_add(out, &d, 1);
			i++;
			continue;
		}
		if (isupper(c) && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '(' ||
				   s[i - 1] == '"')) {
			size_t j = i, words = 0;
			while (j < n && isupper((unsigned char)s[j])) {
				size_t k = j;
				while (k < n && (isalpha((unsigned char)s[k]) ||
						 s[k] == '-' || s[k] == '.'))
					k++;
				words++;
				j = k;
				if (j + 1 < n && s[j] == ' ' &&
				    isupper((unsigned char)s[j + 1]))
					j++;
				else
					break;
			}
			size_t wl = j - i;
			int month_word = 0;
			for (int m = 0; m < 12; m++)
				if (wl == strlen(months[m]) &&
				    !memcmp(s + i, months[m], wl))
					month_word = 1;
			if (month_word) {
				sb_str(out, months[month]);
			} else if (first && words == 1) {
				sb_add(out, s + i, wl); /* sentence-initial word */
			} else if (wl <= 3 && words == 1) {
				sb_add(out, s + i, wl); /* "I", "US", "UK" */
			} else {
				size_t k = (i * 31 + wl) % CAST;
				name_of(ev->type[k], ev->who[k], out);
			}
			i = j;
			first = 0;
			continue;
		}
		if (c == ' ')
			first = 0;
		sb_add(out, s + i, 1);
		i++;
	}
}

static void new_event(event *ev, int day)
{
	for (int k = 0; k < CAST; k++) {
		ev->type[k] = k < 3 ? PER : k < 5 ? ORG : LOC;
		ev->who[k] = cast_pick();
	}
	for (int k = 0; k < CORE; k++)
		ev->core[k] = rn(npool);
	ev->day = day;
	ev->used = 0;
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\') {
			fputc('\\', f);
			fputc(*p, f);
		} else if (*p == '\n') {
			fputs("\\n", f);
		} else if (*p < 0x20) {
			fprintf(f, "\\u%04x", *p);
		} else {
			fputc(*p, f);
		}
	}
	fputc('"', f);
}

static void emit(FILE *f, uint64_t serial, const char *title,
		 const char *text, int day, size_t outlet)
{
	char date[16];
	day_to_date(day, date, sizeof date);
	fprintf(f, "{\"id\":\"s%08llu\",\"title\":", (unsigned long long)serial);
	json_str(f, title);
	fputs(",\"text\":", f);
	json_str(f, text);
	fprintf(f, ",\"date\":\"%s\",\"source\":", date);
	json_str(f, outlets[outlet]);
	fprintf(f, ",\"url\":\"https://news.example/%zu/%llu\"}\n", outlet,
		(unsigned long long)serial);
}

/* Headline: the first words of the lede, up to a comma or 10 words. */
static void headline(const char *lede, sbuf *t)
{
	size_t words = 0, i = 0;
	for (; lede[i] && words < 10; i++) {
		if (lede[i] == ',' || lede[i] == ';' || lede[i] == '.')
			break;
		if (lede[i] == ' ')
			words++;
	}
	while (i > 0 && lede[i - 1] == ' ')
		i--;
	sb_add(t, lede, i);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: gen_articles N [SEED] [SHARED_DIR]\n");
		return 2;
	}
	uint64_t n = strtoull(argv[1], NULL, 10);
	rng_s = argc > 2 ? strtoull(argv[2], NULL, 10) : 1;
	const char *shared = argc > 3 ? argv[3] : "../shared";
	char path[4096];
	snprintf(path, sizeof path, "%s/data/reuters21578/articles.jsonl", shared);
	read_reuters(path);
	snprintf(path, sizeof path, "%s/data/bbc", shared);
	read_bbc(path);
	if (npool < 1000) {
		fprintf(stderr, "gen_articles: too few sentences (%zu) under %s\n",
			npool, shared);
		return 1;
	}
	fprintf(stderr, "gen_articles: %zu sentences; %llu articles\n", npool,
		(unsigned long long)n);

	/* stock paragraphs: "About X: ..." and standard disclaimers */
	for (size_t i = 0; i < NSTOCK; i++) {
		sbuf b = { 0 };
		event ev;
		new_event(&ev, 0);
		sb_str(&b, "About ");
		name_of(ORG, ev.who[3], &b);
		sb_str(&b, ": ");
		for (int k = 0; k < 3; k++) {
			if (k)
				sb_str(&b, " ");
			rewrite(pool[rn(npool)], &ev, &b);
		}
		stock[i] = b.p;
	}

	int day = 3650; /* 2009-12-30 onwards */
	size_t nev = 0;
	sbuf text = { 0 }, title = { 0 };
	for (uint64_t serial = 1; serial <= n; serial++) {
		if (serial % 300 == 0)
			day++; /* ~300 articles a day */
		art *prev = serial > 1 ? &ring[rn(serial - 1 < RING ? serial - 1 : RING)] : NULL;
		if (prev && prev->text && chance(0.01)) {
			/* exact re-send of a recent article: a duplicate */
			emit(stdout, prev->serial, prev->title, prev->text, prev->day,
			     prev->outlet);
			continue;
		}
		sb_clear(&text);
		sb_clear(&title);
		size_t outlet = rn(NOUTLETS);
		int aday = day;
		if (prev && prev->text && chance(0.12)) {
			/* syndicated copy: new outlet, headline tag, same body
			 * with the last paragraph dropped or a sign-off added */
			static const char *const tags[] = { "UPDATE 1-", "(LEAD) ",
							    "", "WRAPUP-", "" };
			sb_str(&title, tags[rn(5)]);
			sb_str(&title, prev->title);
			const char *body = prev->text;
			const char *last = strstr(body, "\n\n");
			const char *cut = NULL;
			for (const char *p = last; p; p = strstr(p + 2, "\n\n"))
				cut = p;
			if (cut && chance(0.5))
				sb_add(&text, body, (size_t)(cut - body));
			else
				sb_str(&text, body);
			if (chance(0.5)) {
				sb_str(&text, "\n\n(Reporting by ");
				name_of(PER, cast_pick(), &text);
				sb_str(&text, "; editing by ");
				name_of(PER, cast_pick(), &text);
				sb_str(&text, ")");
			}
			aday = prev->day + (int)rn(2);
		} else {
			event *ev;
			if (nev && chance(0.6)) {
				size_t live = nev < NEVENTS ? nev : NEVENTS;
				ev = &events[(nev - 1 - rn(live < 64 ? live : 64)) % NEVENTS];
			} else {
				ev = &events[nev++ % NEVENTS];
				new_event(ev, day);
			}
			ev->used++;
			aday = ev->day + (int)rn(3);
			/* lede from the event's core, then core and pool
			 * sentences in paragraphs of one to three */
			size_t ncore = 2 + rn(3), nother = 2 + rn(6);
			size_t ns = ncore + nother, np = 0, rot = rn(CORE - 1);
			size_t order[16];
			for (size_t k = 0; k < ns; k++)
				order[k] = k == 0       ? ev->core[0]
					   : k < ncore ? ev->core[1 + (rot + k) % (CORE - 1)]
						       : rn(npool);
			for (size_t k = 0; k < ns;) {
				size_t per = 1 + rn(3);
				if (np++)
					sb_str(&text, "\n\n");
				for (size_t j = 0; j < per && k < ns; j++, k++) {
					if (j)
						sb_str(&text, " ");
					size_t start = text.n;
					rewrite(pool[order[k]], ev, &text);
					if (k == 0)
						headline(text.p + start, &title);
				}
			}
			if (chance(0.25)) {
				sb_str(&text, "\n\n");
				sb_str(&text, stock[rn(NSTOCK)]);
			}
		}
		if (!title.n)
			sb_str(&title, "News in brief");
		emit(stdout, serial, title.p, text.p, aday, outlet);
		art *r = &ring[serial % RING];
		free(r->title);
		free(r->text);
		r->title = xstrndup(title.p, title.n);
		r->text = xstrndup(text.p, text.n);
		r->day = aday;
		r->outlet = outlet;
		r->serial = serial;
	}
	if (fflush(stdout))
		return 1;
	return 0;
}
