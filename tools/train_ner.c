/*
 * train_ner: train the NER tagger and write models/ner.bin.
 *
 * Design note: an averaged perceptron trained online, greedy and left to
 * right (the dynamic features see the model's own previous predictions,
 * not the gold ones), over eng.train only.  After every epoch the
 * averaged weights tag eng.testa as ner_tag_doc does, with the beam width
 * --beam (default 6; stored in the model); the epoch with the best testa
 * F1 is kept (early stopping) and written as int16 weights.  (Training on
 * the beam's output instead, a structured perceptron update per
 * sentence, scored no better on testa.)  eng.testb is never read here.  The gazetteer (iso-codes
 * countries, subdivisions and languages; tzdata cities; geonames' English
 * city names; the Reuters-21578 people/places/orgs/exchanges lists;
 * WordNet's capitalised nouns by kind and capitalised adjectives
 * ("French", "Muslim"); Text::Names' census first names and surnames;
 * the system word list for words that are only ever capitalised or
 * lower-case) and the lexicon of word clusters are built here and stored
 * in the model.  Documents are
 * shuffled with a fixed-seed xorshift, so a run is reproducible.  Each
 * stage is trained --runs times (default 5) with different shuffle orders
 * and the mean of the runs' early-stopped averaged weights is kept: it
 * scores steadier and higher on testa than any single order.
 *
 * Stage 2 (ner.h; only with --stages 2: it gained under 0.1 F1 on testa
 * for twice the tagging time, so the default is one stage): eng.train is
 * split into --folds parts (document i in
 * part i mod k); for each part a stage-1 model is trained on the others
 * for the epoch count testa chose for the full stage-1 model, and tags
 * the held-out part.  The stage-2 tagger is then trained on eng.train
 * with those cross-validated stage-1 tags as its aggregation input, and
 * early-stopped on testa tagged by the full two-stage pipeline.  A
 * second stage is kept only if it beats stage 1 alone on testa by at
 * least STAGE2_MIN_GAIN, since it doubles the tagging time.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/hash.h"
#include "core/arena.h"
#include "entities/ner.h"
#include "train_ner_corpus.h"

#define STAGE2_MIN_GAIN 0.1 /* testa F1 points */

typedef struct doc {
	ner_tok *toks;
	uint8_t *gold;   /* internal tags */
	uint8_t *types;  /* gold types */
	uint8_t *begins; /* gold chunk starts */
	size_t n;
} doc;

typedef struct corpus {
	doc *d;
	size_t n;
	char *text; /* owns the token strings */
} corpus;

static void die(const char *msg)
{
	fprintf(stderr, "train_ner: %s\n", msg);
	exit(1);
}

static void *xcalloc(size_t n, size_t s)
{
	void *p = calloc(n ? n : 1, s);
	if (!p)
		die("out of memory");
	return p;
}

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		die("out of memory");
	return q;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0, r;
	char *p = xrealloc(NULL, cap + 1);
	while ((r = fread(p + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap)
			p = xrealloc(p, (cap *= 2) + 1);
	}
	fclose(f);
	p[n] = 0;
	*len = n;
	return p;
}

/* Read a CoNLL-2003 file: documents at -DOCSTART-, sentences at blank
 * lines, token first column, IOB1 tag last column. */
static void read_conll(const char *path, int scheme, corpus *c)
{
	size_t len;
	char *t = slurp(path, &len);
	if (!t) {
		fprintf(stderr, "train_ner: cannot read %s\n", path);
		exit(1);
	}
	c->text = t;
	c->d = NULL;
	c->n = 0;
	size_t cap = 0;
	doc cur = {0};
	size_t dcap = 0;
	int new_sent = 1;
	int prev_type = 0;
	char *line = t;
	for (;;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		size_t ll = strlen(line);
		if (ll && line[ll - 1] == '\r')
			line[--ll] = 0;
		int docstart = strncmp(line, "-DOCSTART-", 10) == 0;
		if ((docstart || !nl) && cur.n) {
			if (c->n == cap)
				c->d = xrealloc(c->d, (cap = cap ? cap * 2 : 64) *
							      sizeof *c->d);
			c->d[c->n++] = cur;
			memset(&cur, 0, sizeof cur);
			dcap = 0;
		}
		if (!nl && !ll)
			break;
		if (docstart || ll == 0) {
			new_sent = 1;
			prev_type = 0;
		} else {
			char *sp = strchr(line, ' ');
			char *tag = strrchr(line, ' ');
			if (!sp || !tag)
				die("malformed CoNLL line");
			*sp = 0;
			tag++;
			int ty = 0, begin = 0;
			if (strcmp(tag, "O") != 0 && strlen(tag) > 2) {
				ty = ner_type_of(tag + 2, strlen(tag + 2));
				if (ty > NER_NTYPES)
					die("unknown entity type");
				begin = tag[0] == 'B' || ty != prev_type;
			}
			if (cur.n == dcap) {
				dcap = dcap ? dcap * 2 : 256;
				cur.toks = xrealloc(cur.toks, dcap * sizeof *cur.toks);
				cur.types = xrealloc(cur.types, dcap);
				cur.begins = xrealloc(cur.begins, dcap);
			}
			cur.toks[cur.n] = (ner_tok){line, (uint32_t)(sp - line),
						    (uint8_t)new_sent};
			cur.types[cur.n] = (uint8_t)ty;
			cur.begins[cur.n] = (uint8_t)begin;
			cur.n++;
			new_sent = 0;
			prev_type = ty;
		}
		if (!nl)
			break;
		line = nl + 1;
	}
	for (size_t i = 0; i < c->n; i++) {
		doc *d = &c->d[i];
		d->gold = xcalloc(d->n, 1);
		/* encode per sentence so entities never cross a boundary */
		size_t s = 0;
		for (size_t j = 1; j <= d->n; j++) {
			if (j == d->n || d->toks[j].sent_start) {
				ner_encode(scheme, d->types + s, d->begins + s,
					   j - s, d->gold + s);
				s = j;
			}
		}
	}
}

/* ---- gazetteer and lexicon tables ---- */

typedef struct entry {
	uint64_t key;
	uint32_t mask, pad;
} entry;

typedef struct table {
	entry *e;
	uint32_t bits;
	size_t n;
} table;

static void tab_init(table *t, uint32_t bits)
{
	t->bits = bits;
	t->e = xcalloc((size_t)1 << bits, sizeof *t->e);
	t->n = 0;
}

static entry *tab_slot(table *t, uint64_t key)
{
	size_t mask = ((size_t)1 << t->bits) - 1, i = (size_t)key & mask;
	while (t->e[i].key && t->e[i].key != key)
		i = (i + 1) & mask;
	if (!t->e[i].key) {
		if (++t->n > mask / 2)
			die("table too full; raise its size");
		t->e[i].key = key;
	}
	return &t->e[i];
}

/* Add a phrase (any text; tokenized and lower-cased) to list l. */
static void gaz_add(table *t, const char *s, size_t n, int l)
{
	ner_span *sp;
	size_t nt;
	if (ner_tokenize(s, n, &sp, &nt) != CHR_OK)
		die("tokenizer failed");
	if (nt == 0 || nt > NER_GAZ_MAXLEN) {
		free(sp);
		return;
	}
	char phrase[NER_GAZ_MAXLEN * (NER_MAXWORD + 1)];
	size_t plen = 0;
	for (size_t i = 0; i < nt; i++) {
		if (i)
			phrase[plen++] = ' ';
		plen += ner_lower(s + sp[i].start, sp[i].end - sp[i].start,
				  phrase + plen);
		uint64_t k = ner_hash_word(phrase, plen);
		entry *e = tab_slot(t, k);
		if (i + 1 == nt)
			e->mask |= 1u << l;
		else
			e->mask |= NER_GAZ_PREFIX;
	}
	free(sp);
}

enum { G_COUNTRY, G_SUBDIV, G_CITY, G_LANG, G_RPEOPLE, G_RORG, G_RPLACE,
       G_DICT_PROPER, G_DICT_LOWER, G_WN_PER, G_WN_NORP, G_WN_LOC,
       G_WN_ORG, G_WN_ADJ, G_GEO, G_FIRST, G_SURNAME, G_MINED,
       G_NLISTS = G_MINED + NER_NTYPES };
_Static_assert(G_NLISTS <= NER_GAZ_LISTS, "too many gazetteer lists");

static size_t gaz_iso(table *t, const char *file, const char *arr,
		      const char *const *keys, int l)
{
	json_t *root = json_load_file(file, 0, NULL);
	json_t *a = root ? json_object_get(root, arr) : NULL;
	size_t i, added = 0;
	json_t *o;
	if (!json_is_array(a)) {
		fprintf(stderr, "train_ner: skip %s\n", file);
		json_decref(root);
		return 0;
	}
	json_array_foreach(a, i, o) {
		for (size_t k = 0; keys[k]; k++) {
			json_t *s = json_object_get(o, keys[k]);
			if (!json_is_string(s))
				continue;
			const char *v = json_string_value(s);
			/* "Korea, Republic of" -> also "Korea"; "A; B" -> both */
			char buf[512];
			snprintf(buf, sizeof buf, "%s", v);
			char *save = NULL;
			for (char *p = strtok_r(buf, ";(", &save); p;
			     p = strtok_r(NULL, ";(", &save)) {
				char *comma = strchr(p, ',');
				if (comma)
					*comma = 0;
				while (*p == ' ')
					p++;
				size_t pl = strlen(p);
				while (pl && (p[pl - 1] == ' ' || p[pl - 1] == ')'))
					pl--;
				if (pl) {
					gaz_add(t, p, pl, l);
					added++;
				}
			}
		}
	}
	json_decref(root);
	return added;
}

static size_t gaz_lines(table *t, const char *file, int l, int field,
			int dash_to_space)
{
	FILE *f = fopen(file, "r");
	if (!f) {
		fprintf(stderr, "train_ner: skip %s\n", file);
		return 0;
	}
	char line[1024];
	size_t added = 0;
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '#')
			continue;
		line[strcspn(line, "\r\n")] = 0;
		char *p = line;
		if (field > 0) { /* tab-separated field; last path part */
			for (int k = 0; k < field && p; k++) {
				p = strchr(p, '\t');
				if (p)
					p++;
			}
			if (!p)
				continue;
			p[strcspn(p, "\t")] = 0;
			char *slash = strrchr(p, '/');
			if (slash)
				p = slash + 1;
		}
		for (char *q = p; *q; q++)
			if (*q == '_' || (dash_to_space && *q == '-'))
				*q = ' ';
		if (*p) {
			gaz_add(t, p, strlen(p), l);
			added++;
		}
	}
	fclose(f);
	return added;
}

/* A file a Debian package installs: missing means scripts/deps.sh has
 * not run, which is fatal (the model would silently lose a list). */
static void pkg_missing(const char *file, const char *pkg)
{
	fprintf(stderr, "train_ner: cannot read %s (Debian package %s; run "
			"scripts/deps.sh)\n", file, pkg);
	exit(1);
}

static FILE *open_pkg(const char *file, const char *pkg)
{
	FILE *f = fopen(file, "r");
	if (!f)
		pkg_missing(file, pkg);
	return f;
}

/* The system word list: words only ever capitalised, and lower-case
 * words. */
static size_t gaz_dict(table *t, const char *file)
{
	FILE *f = open_pkg(file, "wamerican-huge");
	char line[256];
	size_t added = 0;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = 0;
		size_t n = strlen(line);
		if (!n || strchr(line, '\''))
			continue;
		int cap = line[0] >= 'A' && line[0] <= 'Z';
		gaz_add(t, line, n, cap ? G_DICT_PROPER : G_DICT_LOWER);
		added++;
	}
	fclose(f);
	/* a word listed both ways is not "only capitalised" */
	size_t slots = (size_t)1 << t->bits;
	for (size_t i = 0; i < slots; i++) {
		uint32_t m = t->e[i].mask;
		if ((m & (1u << G_DICT_PROPER)) && (m & (1u << G_DICT_LOWER)))
			t->e[i].mask &= ~(1u << G_DICT_PROPER);
	}
	return added;
}

/* WordNet nouns with a capital letter, by lexicographer file: people
 * that are instances (real persons), people that are not (nationalities,
 * followers, parties: MISC-like), locations and objects (places,
 * rivers), and groups (organisations). */
static size_t gaz_wordnet(table *t, const char *file, int adj)
{
	FILE *f = open_pkg(file, "wordnet-base");
	char *line = NULL;
	size_t cap = 0, added = 0;
	while (getline(&line, &cap, f) > 0) {
		if (line[0] == ' ')
			continue; /* licence header */
		char *save = NULL;
		char *tok = strtok_r(line, " ", &save); /* offset */
		char *lexfn = strtok_r(NULL, " ", &save);
		strtok_r(NULL, " ", &save); /* ss_type */
		char *wc = strtok_r(NULL, " ", &save);
		if (!lexfn || !wc)
			continue;
		int fn = atoi(lexfn);
		int nw = (int)strtol(wc, NULL, 16);
		char *words[64];
		int nws = 0;
		for (int i = 0; i < nw; i++) {
			tok = strtok_r(NULL, " ", &save);
			strtok_r(NULL, " ", &save); /* lex_id */
			if (tok && nws < 64)
				words[nws++] = tok;
		}
		char *pc = strtok_r(NULL, " ", &save);
		int np = pc ? atoi(pc) : 0, inst = 0;
		for (int i = 0; i < np; i++) {
			tok = strtok_r(NULL, " ", &save);
			if (tok && !strcmp(tok, "@i"))
				inst = 1;
			for (int k = 0; k < 3; k++)
				strtok_r(NULL, " ", &save);
		}
		int l = adj ? G_WN_ADJ
			: fn == 18 ? (inst ? G_WN_PER : G_WN_NORP)
			: fn == 15 || fn == 17 ? G_WN_LOC
			: fn == 14 ? G_WN_ORG : -1;
		if (l < 0)
			continue;
		for (int i = 0; i < nws; i++) {
			char *w = words[i];
			if (!(w[0] >= 'A' && w[0] <= 'Z'))
				continue;
			for (char *q = w; *q; q++)
				if (*q == '_')
					*q = ' ';
			/* adjective markers: "French(a)" */
			w[strcspn(w, "(")] = 0;
			gaz_add(t, w, strlen(w), l);
			added++;
		}
	}
	free(line);
	fclose(f);
	return added;
}

/* GNU gettext catalogue (.mo): every non-empty translation.  The
 * geonames package ships its English place names (cities of 15,000
 * people or more) this way, keyed by geonames id. */
static size_t gaz_mo(table *t, const char *file, int l)
{
	size_t len;
	char *p = slurp(file, &len);
	if (!p)
		pkg_missing(file, "libgeonames-common");
	uint32_t h[5];
	if (len < sizeof h)
		die("truncated .mo file");
	memcpy(h, p, sizeof h);
	if (h[0] != 0x950412deu || h[3] > len || h[4] > len ||
	    (size_t)h[2] > (len - h[4]) / 8)
		die("not a little-endian .mo file");
	size_t added = 0;
	for (uint32_t i = 0; i < h[2]; i++) {
		uint32_t e[2];
		memcpy(e, p + h[4] + 8 * (size_t)i, sizeof e);
		if (!e[0] || e[1] > len || e[0] > len - e[1])
			continue;
		gaz_add(t, p + e[1], e[0], l);
		added++;
	}
	free(p);
	return added;
}

/* Name lists in a Perl module's here-documents (Text::Names: the US
 * census's commonest first names and surnames, upper-case, one record
 * per line): every word of capitals in the heredoc that opens with a
 * line containing `var`. */
static size_t gaz_heredoc(table *t, const char *file, const char *var, int l)
{
	FILE *f = open_pkg(file, "libtext-names-perl");
	char line[1024];
	int in = 0;
	size_t added = 0;
	while (fgets(line, sizeof line, f)) {
		if (!in) {
			in = strstr(line, var) && strstr(line, "<<");
			continue;
		}
		if (!strncmp(line, "END", 3))
			break;
		for (char *q = line; *q;) {
			if (!(*q >= 'A' && *q <= 'Z')) {
				q++;
				continue;
			}
			char *e = q;
			while (*e >= 'A' && *e <= 'Z')
				e++;
			if (e - q >= 2) {
				gaz_add(t, q, (size_t)(e - q), l);
				added++;
			}
			q = e;
		}
	}
	fclose(f);
	return added;
}

static void build_gazetteer(table *t)
{
	static const char *const country_keys[] = {"name", "official_name",
						   "common_name", NULL};
	static const char *const name_keys[] = {"name", NULL};
	const char *iso = "/usr/share/iso-codes/json";
	const char *shared = getenv("CHR_SHARED") ? getenv("CHR_SHARED")
						  : "../shared";
	char p[4096];
	tab_init(t, 21);
	size_t n = 0;
	snprintf(p, sizeof p, "%s/iso_3166-1.json", iso);
	n += gaz_iso(t, p, "3166-1", country_keys, G_COUNTRY);
	snprintf(p, sizeof p, "%s/iso_3166-3.json", iso);
	n += gaz_iso(t, p, "3166-3", name_keys, G_COUNTRY);
	snprintf(p, sizeof p, "%s/iso_3166-2.json", iso);
	n += gaz_iso(t, p, "3166-2", name_keys, G_SUBDIV);
	snprintf(p, sizeof p, "%s/iso_639-2.json", iso);
	n += gaz_iso(t, p, "639-2", name_keys, G_LANG);
	n += gaz_lines(t, "/usr/share/zoneinfo/zone1970.tab", G_CITY, 2, 0);
	n += gaz_lines(t, "/usr/share/zoneinfo/zone.tab", G_CITY, 2, 0);
	static const struct { const char *f; int l; } rl[] = {
		{"all-people-strings.lc.txt", G_RPEOPLE},
		{"all-orgs-strings.lc.txt", G_RORG},
		{"all-exchanges-strings.lc.txt", G_RORG},
		{"all-places-strings.lc.txt", G_RPLACE}};
	for (size_t i = 0; i < sizeof rl / sizeof rl[0]; i++) {
		snprintf(p, sizeof p, "%s/data/reuters21578/%s", shared, rl[i].f);
		n += gaz_lines(t, p, rl[i].l, 0, 1);
	}
	n += gaz_dict(t, "/usr/share/dict/american-english-huge");
	n += gaz_wordnet(t, "/usr/share/wordnet/data.noun", 0);
	n += gaz_wordnet(t, "/usr/share/wordnet/data.adj", 1);
	n += gaz_mo(t, "/usr/share/locale/en/LC_MESSAGES/geonames.mo", G_GEO);
	static const char *const names_pm = "/usr/share/perl5/Text/Names.pm";
	n += gaz_heredoc(t, names_pm, "COMMON_MALE_FIRSTNAMES", G_FIRST);
	n += gaz_heredoc(t, names_pm, "COMMON_FEMALE_FIRSTNAMES", G_FIRST);
	n += gaz_heredoc(t, names_pm, "COMMON_SURNAMES", G_SURNAME);
	fprintf(stderr, "train_ner: gazetteer %zu phrases, %zu slots used\n", n,
		t->n);
}

/* Pack the gazetteer into 64-bit entries (ner_gazent), at most 5/8 full. */
static ner_gazent *pack_gazetteer(const table *t, uint32_t *bits)
{
	uint32_t b = 10;
	while (((size_t)1 << b) * 5 / 8 < t->n)
		b++;
	size_t slots = (size_t)1 << b, mask = slots - 1;
	ner_gazent *g = xcalloc(slots, sizeof *g);
	for (size_t i = 0; i < ((size_t)1 << t->bits); i++) {
		if (!t->e[i].key)
			continue;
		uint64_t k = NER_GAZ_KEY(t->e[i].key);
		size_t j = (size_t)(k >> NER_GAZ_MASKBITS) & mask;
		while (g[j] && (g[j] & ~NER_GAZ_MASKALL) != k)
			j = (j + 1) & mask;
		/* a fingerprint clash merges the two */
		g[j] |= k | (t->e[i].mask & NER_GAZ_MASKALL);
	}
	*bits = b;
	return g;
}

static void build_lexicon(table *t, const char *file)
{
	FILE *f = fopen(file, "r");
	if (!f) {
		fprintf(stderr, "train_ner: cannot read clusters %s\n", file);
		exit(1);
	}
	char line[512];
	size_t words = 0;
	while (fgets(line, sizeof line, f))
		words += line[0] != '#';
	rewind(f);
	uint32_t bits = 10;
	while (((size_t)1 << bits) / 2 < words + 1)
		bits++;
	tab_init(t, bits); /* at most half full */
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '#')
			continue;
		char *tab = strchr(line, '\t');
		if (!tab)
			continue;
		unsigned c1, c2, c3, c4 = 0;
		unsigned long long cnt;
		int nf = sscanf(tab + 1, "%u %u %u %llu %u", &c1, &c2, &c3, &cnt,
				&c4);
		if (nf < 3 || c1 > 1022 || c2 > 1022 || c3 > 1022 || c4 > 1022)
			die("malformed clusters file");
		entry *e = tab_slot(t, ner_hash_word(line, (size_t)(tab - line)));
		e->mask = (c1 + 1) | (c2 + 1) << 10 | (c3 + 1) << 20;
		e->pad = nf == 5 ? c4 + 1 : 0; /* ner_lexent.clus2 */
	}
	fclose(f);
	fprintf(stderr, "train_ner: lexicon %zu words\n", t->n);
}

/* ---- training ---- */

static double evaluate(const ner_model *m, const corpus *c, ner_work *w)
{
	ner_counts cnt;
	memset(&cnt, 0, sizeof cnt);
	uint8_t *tags = NULL, *iob = NULL, *giob = NULL;
	const char **gs = NULL, **ps = NULL;
	static const char *const names[] = {"O", "B-PER", "I-PER", "B-LOC",
					    "I-LOC", "B-ORG", "I-ORG", "B-MISC",
					    "I-MISC"};
	for (size_t k = 0; k < c->n; k++) {
		const doc *d = &c->d[k];
		tags = xrealloc(tags, d->n);
		iob = xrealloc(iob, d->n);
		giob = xrealloc(giob, d->n);
		gs = xrealloc(gs, d->n * sizeof *gs);
		ps = xrealloc(ps, d->n * sizeof *ps);
		if (ner_tag_doc(m, d->toks, d->n, w, tags) != CHR_OK)
			die("tagging failed");
		ner_to_iob2((int)m->scheme, tags, d->n, iob);
		ner_to_iob2((int)m->scheme, d->gold, d->n, giob);
		for (size_t i = 0; i < d->n; i++) {
			gs[i] = names[giob[i]];
			ps[i] = names[iob[i]];
		}
		size_t s = 0;
		for (size_t j = 1; j <= d->n; j++)
			if (j == d->n || d->toks[j].sent_start) {
				ner_count_sentence(&cnt, gs + s, ps + s, j - s);
				s = j;
			}
	}
	free(tags);
	free(iob);
	free(giob);
	free(gs);
	free(ps);
	double p, r, f;
	ner_prf(&cnt, 0, &p, &r, &f);
	return f;
}

static uint64_t rng_seed = 0x9E3779B97F4A7C15ull; /* --seed */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rng(void)
{
	uint64_t x = rng_state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

/* Perceptron step; rows hold tags 1.., tag O is fixed at 0. */
static void update(float *wv, double *acc, const uint32_t *rows, size_t n,
		   uint32_t nt, int gold, int pred, double c)
{
	uint32_t st = nt - 1;
	for (size_t f = 0; f < n; f++) {
		size_t b = (size_t)rows[f] * st;
		if (gold) {
			wv[b + (size_t)gold - 1] += 1;
			acc[b + (size_t)gold - 1] += c;
		}
		if (pred) {
			wv[b + (size_t)pred - 1] -= 1;
			acc[b + (size_t)pred - 1] -= c;
		}
	}
}

static void train_epoch(ner_model *m, corpus *tr, ner_work *w, double *acc,
			double *c, size_t *order, size_t norder, int stage,
			uint8_t *const *s1)
{
	float *wv = stage == 2 ? m->wf2 : m->wf;
	for (size_t k = norder; k > 1; k--) {
		size_t j = (size_t)(rng() % k);
		size_t t = order[k - 1];
		order[k - 1] = order[j];
		order[j] = t;
	}
	uint32_t nt = m->ntags, dyn[NER_NDYN];
	for (size_t k = 0; k < norder; k++) {
		doc *d = &tr->d[order[k]];
		if (ner_static(m, d->toks, d->n, w) != CHR_OK)
			die("features failed");
		if (stage == 2)
			ner_aggregate(m, d->toks, d->n, w, s1[order[k]]);
		int prev = -1, prev2 = -1;
		for (size_t i = 0; i < d->n; i++) {
			if (d->toks[i].sent_start)
				prev = prev2 = -1;
			float score[NER_MAXTAGS] = {0};
			const uint32_t *rows = &w->rows[i * NER_NSTATIC];
			ner_score_stage(m, stage, rows, w->nrows[i], score);
			size_t nd = ner_dynamic(m, w, i, prev, prev2, dyn);
			ner_score_stage(m, stage, dyn, nd, score);
			int best = 0;
			for (int t = 1; t < (int)nt; t++)
				if (score[t] > score[best])
					best = t;
			int gold = d->gold[i];
			if (best != gold) {
				update(wv, acc, rows, w->nrows[i], nt, gold, best, *c);
				update(wv, acc, dyn, nd, nt, gold, best, *c);
			}
			*c += 1;
			ner_hist_add(m, w, i, best);
			prev2 = prev;
			prev = best;
		}
	}
}

/* Train one stage from zero on the documents ids[nids] of tr (all when
 * ids is NULL); stage 2 reads the stage-1 tags s1[doc] and needs m->wf
 * (stage-1 weights) set for evaluation.  With dev, returns the averaged
 * weights of the epoch with the best testa F1; without, those after
 * `epochs` epochs (caller frees). */
static float *train(ner_model *m, corpus *tr, const size_t *ids, size_t nids,
		    const corpus *dev, ner_work *w, int stage,
		    uint8_t *const *s1, int epochs, int patience, int *best_ep,
		    double *best_f)
{
	size_t nw = ((size_t)1 << m->row_bits) * (m->ntags - 1);
	float *wv = xcalloc(nw, sizeof *wv);
	float *avg = xcalloc(nw, sizeof *avg);
	float *best = xcalloc(nw, sizeof *best);
	double *acc = xcalloc(nw, sizeof *acc);
	size_t norder = ids ? nids : tr->n;
	size_t *order = xcalloc(norder, sizeof *order);
	for (size_t i = 0; i < norder; i++)
		order[i] = ids ? ids[i] : i;
	float **slot = stage == 2 ? &m->wf2 : &m->wf;
	rng_state = rng_seed;
	double c = 1;
	*best_f = -1;
	*best_ep = 0;
	for (int ep = 1; ep <= epochs; ep++) {
		*slot = wv;
		train_epoch(m, tr, w, acc, &c, order, norder, stage, s1);
		for (size_t i = 0; i < nw; i++)
			avg[i] = (float)(wv[i] - acc[i] / c);
		*slot = avg;
		if (!dev) {
			*best_ep = ep;
			memcpy(best, avg, nw * sizeof *best);
			continue;
		}
		double f = evaluate(m, dev, w);
		fprintf(stderr, "train_ner: stage %d epoch %d testa F1 %.2f\n",
			stage, ep, f);
		if (f > *best_f) {
			*best_f = f;
			*best_ep = ep;
			memcpy(best, avg, nw * sizeof *best);
		} else if (ep - *best_ep >= patience) {
			break;
		}
	}
	*slot = NULL;
	free(wv);
	free(avg);
	free(acc);
	free(order);
	return best;
}

/* train() run `runs` times with different shuffle orders; the mean of
 * their (early-stopped, averaged) weights, scored on dev.  *best_ep is
 * the mean of the runs' best epochs. */
static float *train_runs(ner_model *m, corpus *tr, const corpus *dev,
			 ner_work *w, int stage, uint8_t *const *s1, int epochs,
			 int patience, int runs, int *best_ep, double *best_f)
{
	uint64_t seed0 = rng_seed;
	float *sum = NULL;
	int ep_sum = 0;
	size_t nw = ((size_t)1 << m->row_bits) * (m->ntags - 1);
	for (int r = 0; r < runs; r++) {
		rng_seed = seed0 + (uint64_t)r * 0x9E3779B97F4A7C15ull;
		float *wv = train(m, tr, NULL, 0, dev, w, stage, s1, epochs,
				  patience, best_ep, best_f);
		ep_sum += *best_ep;
		if (!sum) {
			sum = wv;
			continue;
		}
		for (size_t i = 0; i < nw; i++)
			sum[i] += wv[i];
		free(wv);
	}
	rng_seed = seed0;
	if (runs > 1) {
		for (size_t i = 0; i < nw; i++)
			sum[i] /= (float)runs;
		*best_ep = (ep_sum + runs / 2) / runs;
		float **slot = stage == 2 ? &m->wf2 : &m->wf;
		*slot = sum;
		*best_f = evaluate(m, dev, w);
		*slot = NULL;
		fprintf(stderr, "train_ner: stage %d, mean of %d runs: testa F1 "
				"%.2f\n", stage, runs, *best_f);
	}
	return sum;
}

/* Stage-1 tags of every training document by k-fold cross-validation:
 * each part is tagged by a model trained on the others (epochs each). */
static uint8_t **cross_tags(ner_model *m, corpus *tr, ner_work *w, int folds,
			    int epochs)
{
	uint8_t **s1 = xcalloc(tr->n, sizeof *s1);
	size_t *ids = xcalloc(tr->n, sizeof *ids);
	for (int f = 0; f < folds; f++) {
		size_t nids = 0;
		for (size_t i = 0; i < tr->n; i++)
			if ((int)(i % (size_t)folds) != f)
				ids[nids++] = i;
		int ep;
		double bf;
		float *wf = train(m, tr, ids, nids, NULL, w, 1, NULL, epochs, 0,
				  &ep, &bf);
		m->wf = wf;
		for (size_t i = (size_t)f; i < tr->n; i += (size_t)folds) {
			doc *d = &tr->d[i];
			s1[i] = xcalloc(d->n, 1);
			if (ner_static(m, d->toks, d->n, w) != CHR_OK)
				die("features failed");
			ner_decode_beam(m, 1, d->toks, d->n, w, s1[i],
					(int)m->beam);
		}
		m->wf = NULL;
		free(wf);
		fprintf(stderr, "train_ner: fold %d/%d tagged\n", f + 1, folds);
	}
	free(ids);
	return s1;
}

/* ---- names mined from unlabelled text ---- */

typedef struct miner {
	const ner_model *m;
	ner_work *w;
	ht names;  /* entity string -> index into cnt */
	arena mem;
	uint32_t (*cnt)[NER_NTYPES + 1];
	size_t n, cap;
} miner;

static void mine_text(void *ctx, const char *text, size_t len)
{
	miner *mn = ctx;
	ner_span *sp;
	size_t n;
	if (ner_tokenize(text, len, &sp, &n) != CHR_OK || n == 0) {
		free(sp);
		return;
	}
	ner_tok *t = xcalloc(n, sizeof *t);
	uint8_t *tags = xcalloc(n, 1);
	for (size_t i = 0; i < n; i++)
		t[i] = (ner_tok){text + sp[i].start, sp[i].end - sp[i].start,
				 sp[i].sent_start};
	if (ner_tag_doc(mn->m, t, n, mn->w, tags) != CHR_OK)
		die("tagging failed");
	ner_to_iob2((int)mn->m->scheme, tags, n, tags);
	for (size_t i = 0; i < n; i++) {
		if (!(tags[i] & 1))
			continue;
		size_t j = i + 1;
		while (j < n && tags[j] == tags[i] + 1)
			j++;
		if (j - i > NER_GAZ_MAXLEN)
			continue;
		const char *a = text + sp[i].start;
		size_t l = sp[j - 1].end - sp[i].start;
		int created;
		ht_entry *e = ht_get(&mn->names, a, l);
		if (!e) {
			char *k = arena_strndup(&mn->mem, a, l);
			e = k ? ht_put(&mn->names, k, l, &created) : NULL;
			if (!e)
				die("out of memory");
			if (mn->n == mn->cap) {
				mn->cap = mn->cap ? mn->cap * 2 : 4096;
				mn->cnt = xrealloc(mn->cnt, mn->cap * sizeof *mn->cnt);
			}
			memset(mn->cnt[mn->n], 0, sizeof mn->cnt[mn->n]);
			e->v.num = (int64_t)mn->n++;
		}
		mn->cnt[e->v.num][(tags[i] + 1) / 2]++;
	}
	free(t);
	free(tags);
	free(sp);
}

static void mine_names(ner_model *m, ner_work *w, float *weights,
		       const char *shared, table *gaz)
{
	miner mn;
	memset(&mn, 0, sizeof mn);
	mn.m = m;
	mn.w = w;
	ht_init(&mn.names, 0);
	arena_init(&mn.mem, 0);
	m->wf = weights;
	ntc_read_all(shared, mine_text, &mn);
	m->wf = NULL;
	size_t added[NER_NTYPES + 1] = {0};
	for (size_t i = 0; i < mn.names.cap; i++) {
		const ht_entry *e = &mn.names.slots[i];
		if (!e->key)
			continue;
		const uint32_t *c = mn.cnt[e->v.num];
		uint32_t tot = 0, bt = 1;
		for (int k = 1; k <= NER_NTYPES; k++) {
			tot += c[k];
			if (c[k] > c[bt])
				bt = (uint32_t)k;
		}
		if (tot < 2 || c[bt] * 5 < tot * 4)
			continue;
		gaz_add(gaz, e->key, e->klen, G_MINED + (int)bt - 1);
		added[bt]++;
	}
	fprintf(stderr, "train_ner: mined %zu PER, %zu LOC, %zu ORG, %zu MISC "
			"names from %zu strings\n", added[1], added[2], added[3],
		added[4], mn.n);
	ht_free(&mn.names);
	arena_free(&mn.mem);
	free(mn.cnt);
}

int main(int argc, char **argv)
{
	const char *shared = "../shared", *clusters = "models/ner-clusters.txt";
	const char *out = "models/ner.bin";
	int epochs = 25, scheme = NER_SCHEME_BILOU, patience = 5, mine = 0;
	int folds = 5, stages = 1, runs = 5, beam = 6;
	uint32_t bits = 19;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--shared") && i + 1 < argc)
			shared = argv[++i];
		else if (!strcmp(argv[i], "--clusters") && i + 1 < argc)
			clusters = argv[++i];
		else if (!strcmp(argv[i], "--out") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "--epochs") && i + 1 < argc)
			epochs = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--bits") && i + 1 < argc)
			bits = (uint32_t)atoi(argv[++i]);
		else if (!strcmp(argv[i], "--bio"))
			scheme = NER_SCHEME_BIO;
		else if (!strcmp(argv[i], "--no-mine"))
			mine = 0;
		else if (!strcmp(argv[i], "--mine"))
			mine = 1;
		else if (!strcmp(argv[i], "--folds") && i + 1 < argc)
			folds = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--stages") && i + 1 < argc)
			stages = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--beam") && i + 1 < argc)
			beam = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--runs") && i + 1 < argc)
			runs = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			rng_seed = 0x9E3779B97F4A7C15ull ^
				   (strtoull(argv[++i], NULL, 10) * 0xBF58476D1CE4E5B9ull);
		else {
			fprintf(stderr, "usage: train_ner [--shared DIR] "
					"[--clusters FILE] [--out FILE] "
					"[--epochs N] [--bits N] [--bio] [--mine] "
					"[--folds K] [--stages 1|2] [--seed N] "
					"[--runs N] [--beam N]\n");
			return 2;
		}
	}
	if (bits < 16 || bits > 24)
		die("--bits must be 16..24");
	if (beam < 1 || beam > NER_BEAM_MAX)
		die("--beam must be 1..8");
	if (folds < 2 || folds > 20 || stages < 1 || stages > 2 || runs < 1 ||
	    runs > 16)
		die("--folds must be 2..20, --stages 1 or 2, --runs 1..16");
	hash_set_seed(1); /* map iteration order, hence the model bytes */
	setenv("CHR_SHARED", shared, 0);
	char p[4096];
	corpus tr, dev;
	snprintf(p, sizeof p, "%s/data/conll2003/eng.train", shared);
	read_conll(p, scheme, &tr);
	snprintf(p, sizeof p, "%s/data/conll2003/eng.testa", shared);
	read_conll(p, scheme, &dev);
	fprintf(stderr, "train_ner: %zu train docs, %zu dev docs\n", tr.n,
		dev.n);

	table gaz, lex;
	build_gazetteer(&gaz);
	build_lexicon(&lex, clusters);
	ner_model m;
	memset(&m, 0, sizeof m);
	m.scheme = (uint32_t)scheme;
	m.ntags = scheme == NER_SCHEME_BILOU ? 17 : 9;
	m.row_bits = bits;
	m.scale = 1;
	m.beam = (uint32_t)beam;
	m.gaz = pack_gazetteer(&gaz, &m.gaz_bits);
	m.lex = (const ner_lexent *)lex.e;
	m.lex_bits = lex.bits;
	size_t nw = ((size_t)1 << bits) * (m.ntags - 1);
	ner_work w;
	memset(&w, 0, sizeof w);
	int best_ep;
	double best_f;
	float *best = train_runs(&m, &tr, &dev, &w, 1, NULL, epochs, patience,
				 runs, &best_ep, &best_f);
	if (mine) {
		/* self-training (--mine): names the stage-1 model finds in
		 * unlabelled text become gazetteer lists, then train again
		 * from zero.  Off by default: with the capitalised-run
		 * features it lowered testa (93.79 -> 93.52). */
		mine_names(&m, &w, best, shared, &gaz);
		free((void *)m.gaz);
		m.gaz = pack_gazetteer(&gaz, &m.gaz_bits);
		free(best);
		best = train_runs(&m, &tr, &dev, &w, 1, NULL, epochs, patience,
				  runs, &best_ep, &best_f);
	}
	fprintf(stderr, "train_ner: stage 1 best epoch %d, testa F1 %.2f\n",
		best_ep, best_f);
	float *best2 = NULL;
	if (stages == 2) {
		uint8_t **s1 = cross_tags(&m, &tr, &w, folds, best_ep);
		m.wf = best;
		int ep2;
		double f2;
		best2 = train_runs(&m, &tr, &dev, &w, 2, s1, epochs, patience,
				   runs, &ep2, &f2);
		fprintf(stderr, "train_ner: stage 2 best epoch %d, testa F1 "
				"%.2f (stage 1 alone %.2f)\n", ep2, f2, best_f);
		/* stage 2 doubles the tagging time: keep it only for a gain
		 * above the spread between shuffle orders (about 0.1) */
		if (f2 < best_f + STAGE2_MIN_GAIN) {
			fprintf(stderr, "train_ner: stage 2 gains less than %.2f "
					"F1; one stage\n", STAGE2_MIN_GAIN);
			free(best2);
			best2 = NULL;
		} else {
			best_ep = ep2;
			best_f = f2;
		}
		for (size_t i = 0; i < tr.n; i++)
			free(s1[i]);
		free(s1);
	}
	(void)nw;
	m.wf = NULL;
	m.wf2 = NULL;
	if (ner_model_save(&m, out, best, best2) != CHR_OK)
		die("cannot write the model");
	ner_model *lm;
	char err[256];
	if (ner_model_load(out, &lm, err, sizeof err) != CHR_OK) {
		fprintf(stderr, "train_ner: reload failed: %s\n", err);
		return 1;
	}
	double fq = evaluate(lm, &dev, &w);
	fprintf(stderr, "train_ner: best epoch %d (testa F1 %.2f; %.2f as "
			"saved, int16) -> %s\n", best_ep, best_f, fq, out);
	ner_model_free(lm);
	ner_work_free(&w);
	free(best);
	free(best2);
	return 0;
}
