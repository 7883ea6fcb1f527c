/*
 * ev_text: one article -> ev_doc (terms, entities, dates, place).
 *
 * Design note: a small self-contained tokenizer (ASCII letters and digits,
 * any non-ASCII byte counts as a letter) so the stage works the same on a
 * processed article, a raw string in a test, or a pre-processed snippet.
 * Content terms are lower-cased, stop words dropped, Snowball-stemmed.
 * Entities: when the NER stage supplies canonical entities they are used
 * as given; otherwise a STAND-IN takes runs of capitalised words (a
 * sentence-initial word only when the document never uses it in lower
 * case), keeping the whole phrase and each of its words.  Dates: supplied
 * TIMEX values when given, else a STAND-IN scanner for explicit dates
 * ("May 3, 2013", "3 May 2013", "2013-05-03") and years.
 *
 * The work is split in two so that ingest can run the costly half on its
 * text thread.  This file is that half: ev_prep_new does the tokens,
 * stems, name runs and dates with no engine and records each key, with
 * its hash and where its id goes, in a prep record (ev_prep.h).  The
 * other half, ev_prep_apply in ev_prep.c, runs on the store thread: it
 * interns the keys in the order they were recorded and fills the
 * vectors.  ev_doc_build is the two back to back.  Each thread keeps a
 * Snowball stemmer and a small memo of the stems it made (ev_prep_run),
 * since a feed repeats its words far more than it meets new ones, and
 * the scratch of a text (its tokens, lower-cased bytes and set of
 * lower-case words), reused from text to text rather than made and
 * freed for each.
 * ev_doc_init/ev_doc_free and the article-to-input adapter
 * (ev_input_from_article) are in ev_words.c; the prep record's layout,
 * ev_prep_apply and ev_prep_free are in ev_prep.h and ev_prep.c.
 * Each text is tokenized once: its terms, numbers, name runs and the
 * body's explicit dates (ev_dscan_word, ev_dates.c) read the same
 * tokens, each lower-cased in place and hashed (FNV-1a, for the word
 * sets and the memo) as it is read; a token's flags are one word, stored
 * with the token (as bit-fields each was a read-modify-write).  On 2,000
 * Reuters stories the stage was 221.6 M instructions, 202.3 M with the
 * dates from the tokens, the flags word and the lower-case question
 * (used_lower) comparing hashes first.
 */
#include "events.h"
#include "ev_prep.h"

#include <ctype.h>
#include <libstemmer.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "pipeline/article.h"
#include "text/bytetab.h"

#define MAXTOK 48
/* Stems remembered per thread (words of fewer than MEMO_W bytes;
 * 65,536 entries of one cache line, 4 MB, in sets of MEMO_WAYS, the
 * newest first, with their FNV-1a tags apart, 256 kB, so that a look-up
 * reads one line of tags and only the entry whose tag matches): news
 * repeats its words, and Snowball was a quarter of the events-prep
 * stage.  Direct-mapped, at 4,096 entries a quarter of the look-ups on
 * 2,000 Reuters stories missed (38,489 stems made), at 16,384 a seventh
 * (21,944; 22,523 placed by FNV-1a).  Four ways: 15,953 (eight 15,057;
 * direct-mapped over 131,072 entries 15,115: the rest are first
 * meetings).  A whole feed meets more words than 16,384 entries hold:
 * the Reuters file (19,043 stories, some 43,000 distinct words) made
 * 108,077 stems at 16,384 entries (260 M instructions of Snowball) and
 * 47,139 at 65,536 (110 M; events-prep 2,048 -> 1,889 M). */
#define MEMO_BITS 16
#define MEMO_N (1 << MEMO_BITS)
#define MEMO_W 24
#define MEMO_WAYS 4
#ifndef EV_NUMTERMS
#define EV_NUMTERMS 0
#endif
/* Ceiling on a prep's key bytes and ops, and on a thread's token and
 * lower-case buffers (an article is at most a few MB, so this is never
 * reached by valid input). */
#define PREP_MAX ((size_t)1 << 28)

/* A token's flags (tok.f). */
enum {
	T_CAP = 1,    /* first letter upper-case */
	T_SSTART = 2, /* first word of a sentence */
	T_NUM = 4,    /* all digits */
	T_BRK = 8,    /* punctuation before it (ends a name run) */
	T_ASCII = 16, /* no byte over 0x7F (ev_dscan_word) */
};

typedef struct tok {
	uint32_t start, end;
	uint32_t h;            /* FNV-1a of the lower-cased bytes (events.h) */
	uint32_t f;            /* T_* */
} tok;

typedef struct toks {
	tok *v;
	size_t n, cap;
} toks;

/* Byte classes: the C locale's isalnum, isdigit and isupper, with any
 * non-ASCII byte a letter (the ASCII ones marked C_ASCII); and the C
 * locale's tolower. */
#define C_WORD 1
#define C_DIGIT 2
#define C_UPPER 4
#define C_ASCII 8
#define EV_CLASS(c)                                                          \
	((c) >= '0' && (c) <= '9'   ? C_WORD | C_DIGIT | C_ASCII             \
	 : (c) >= 'A' && (c) <= 'Z' ? C_WORD | C_UPPER | C_ASCII             \
	 : (c) >= 'a' && (c) <= 'z' ? C_WORD | C_ASCII                       \
	 : (c) >= 0x80		    ? C_WORD                                 \
				    : 0)
static const uint8_t byte_class[256] = { TEXT_TAB256(EV_CLASS) };
static const uint8_t byte_lower[256] = { TEXT_TAB256(TEXT_LOWER) };

/* Tokens of s[0, len) into t; each token's bytes lower-cased into low at
 * the same offsets (the bytes between tokens are not written), and their
 * FNV-1a hash into the token, so that the terms, the word sets and the
 * name runs read a token with no copy and no hash of their own. */
static chr_status tokenize(const char *s, size_t len, char *low, toks *t)
{
	const unsigned char *u = (const unsigned char *)s;
	t->n = 0;
	uint32_t pend = T_SSTART | T_BRK; /* for the next token */
	size_t i = 0;
	while (i < len) {
		unsigned char c = u[i];
		unsigned cl = byte_class[c];
		if (!(cl & C_WORD)) {
			if (c == '.' || c == '!' || c == '?' || c == '\n')
				pend |= T_SSTART;
			if (c != ' ' && c != '-')
				pend |= T_BRK;
			i++;
			continue;
		}
		size_t j = i;
		/* C_DIGIT stays while every byte is a digit, C_ASCII while
		 * every byte is ASCII */
		unsigned all = C_DIGIT | C_ASCII;
		uint32_t h = EV_FNV_BASIS;
		do {
			unsigned bc = byte_class[u[j]];
			if (!(bc & C_WORD))
				break;
			all &= bc;
			unsigned char l = byte_lower[u[j]];
			low[j] = (char)l;
			h = EV_FNV_STEP(h, l);
		} while (++j < len);
		if (t->n == t->cap) {
			size_t nc = t->cap ? t->cap * 2 : 256;
			if (nc * sizeof *t->v > PREP_MAX)
				return CHR_ETOOBIG;
			tok *nv = realloc(t->v, nc * sizeof *nv);
			if (!nv)
				return CHR_ENOMEM;
			t->v = nv;
			t->cap = nc;
		}
		t->v[t->n++] = (tok){ (uint32_t)i, (uint32_t)j, h,
				      pend | ((cl & C_UPPER) ? T_CAP : 0) |
					      ((all & C_DIGIT) ? T_NUM : 0) |
					      ((all & C_ASCII) ? T_ASCII : 0) };
		pend = 0;
		i = j;
	}
	return CHR_OK;
}

/* Token k's length when it is a word the stage reads (under MAXTOK
 * bytes), else 0. */
static size_t tok_len(const tok *k)
{
	size_t n = k->end - k->start;
	return n < MAXTOK ? n : 0;
}

/* ---- prep: the text work, recorded as ops (ev_prep.h) --------------- */

/* Where the probe for (dst, key with hash h) starts. */
static size_t slot_home(const ev_prep *p, int dst, uint64_t h)
{
	return (size_t)(h + (uint64_t)dst * 0x9e3779b97f4a7c15ULL) &
	       (p->slotcap - 1);
}

/* The slot for (dst, key): the one holding its op, or the empty one
 * where it goes. */
static uint32_t *op_slot(const ev_prep *p, int dst, const char *key,
			 size_t n, uint64_t h)
{
	size_t mask = p->slotcap - 1;
	size_t i = slot_home(p, dst, h);
	for (;; i = (i + 1) & mask) {
		uint32_t *sl = &p->slot[i];
		if (!*sl)
			return sl;
		const ev_prep_op *o = &p->ops[*sl - 1];
		if (o->dst == dst && o->len == n &&
		    bytes_same(p->keys + o->off, key, n))
			return sl;
	}
}

/* Room for one more vector op in the slots (doubling, rehashing). */
static chr_status slot_room(ev_prep *p, size_t used)
{
	if (2 * (used + 1) <= p->slotcap)
		return CHR_OK;
	size_t nc = p->slotcap ? p->slotcap * 2 : 256;
	if (nc * sizeof *p->slot > PREP_MAX)
		return CHR_ETOOBIG;
	uint32_t *old = p->slot;
	size_t oldcap = p->slotcap;
	if (!(p->slot = calloc(nc, sizeof *p->slot))) {
		p->slot = old;
		return CHR_ENOMEM;
	}
	p->slotcap = nc;
	for (size_t i = 0; i < oldcap; i++)
		if (old[i]) {
			const ev_prep_op *o = &p->ops[old[i] - 1];
			*op_slot(p, o->dst, p->keys + o->off, o->len, o->h) =
				old[i];
		}
	free(old);
	return CHR_OK;
}

/* Op (dst, key[0, n), tf) with h = hash_bytes(key, n). */
static chr_status op_h(ev_prep *p, int dst, const char *key, size_t n,
		       uint64_t h, float tf)
{
	uint32_t *sl = NULL;
	if (dst == EV_PREP_BODY || dst == EV_PREP_HEAD || dst == EV_PREP_ENTS) {
		chr_status st = slot_room(p, p->nvec);
		if (st)
			return st;
		sl = op_slot(p, dst, key, n, h);
		if (*sl) { /* a repeat: summed as ev_prep_apply would */
			p->ops[*sl - 1].tf += tf;
			return CHR_OK;
		}
	}
	if (p->nkeys + n > p->kcap) {
		size_t nc = p->kcap ? p->kcap : 1024;
		while (nc < p->nkeys + n)
			nc *= 2;
		if (nc > PREP_MAX)
			return CHR_ETOOBIG;
		char *nv = realloc(p->keys, nc);
		if (!nv)
			return CHR_ENOMEM;
		p->keys = nv;
		p->kcap = nc;
	}
	if (p->nops == p->opcap) {
		size_t nc = p->opcap ? p->opcap * 2 : 256;
		if (nc * sizeof *p->ops > PREP_MAX)
			return CHR_ETOOBIG;
		ev_prep_op *nv = realloc(p->ops, nc * sizeof *nv);
		if (!nv)
			return CHR_ENOMEM;
		p->ops = nv;
		p->opcap = nc;
	}
	memcpy(p->keys + p->nkeys, key, n);
	p->ops[p->nops++] = (ev_prep_op){ h, (uint32_t)p->nkeys, (uint32_t)n,
					  tf, (uint8_t)dst };
	p->nkeys += n;
	if (sl) {
		*sl = (uint32_t)p->nops;
		p->nvec++;
	}
	return CHR_OK;
}

static chr_status op(ev_prep *p, int dst, const char *key, size_t n, float tf)
{
	return op_h(p, dst, key, n, hash_bytes(key, n), tf);
}

/* A thread's stemmer and the stems it made lately: entry i holds the
 * word whose FNV-1a hash lands on i (wn 0 = empty), with its stem and
 * the stem's hash_bytes (made under seed; the entries go when the
 * process's seed is not seed).  And the thread's scratch for a text:
 * its tokens, its lower-cased bytes and the set of its lower-case
 * tokens, the op slots of its prep (kept from text to text, not made
 * and freed for each). */
typedef struct stem_memo {
	struct sb_stemmer *sb;
	uint64_t seed;
	uint32_t tag[MEMO_N]; /* entry i's word's FNV-1a hash */
	_Alignas(64) struct memo_ent { /* 64 bytes: one cache line */
		uint8_t wn, sn;
		char w[MEMO_W], s[MEMO_W];
		uint64_t sh;
	} e[MEMO_N];
	toks t, th;        /* the body's tokens, the headline's */
	char *low;         /* both texts lower-cased (tokenize) */
	size_t lowcap;
	/* the lower-case set (used_lower): a slot is taken when its gen is
	 * the set's; tok is the token index */
	struct low_slot {
		uint32_t gen, tok;
	} *set;
	size_t setcap;
	uint32_t gen;
	uint32_t *slot;    /* a prep's op slots (slots_take), all empty */
	size_t slotcap;
} stem_memo;

/* The stem of w[0, n) (FNV-1a fnv; *sn bytes, not terminated; its hash
 * in *sh), or NULL when out of memory; through mm's memo when given (the
 * same bytes Snowball gives). */
static const char *stem_of(struct sb_stemmer *sb, stem_memo *mm,
			   const char *w, size_t n, uint32_t fnv, size_t *sn,
			   uint64_t *sh)
{
	struct memo_ent *e = NULL;
	uint32_t *tag = NULL;
	if (mm && n < MEMO_W) {
		size_t set = ((uint32_t)(fnv * 0x9E3779B1u) >> (32 - MEMO_BITS)) &
			     ~(uint32_t)(MEMO_WAYS - 1);
		e = &mm->e[set];
		tag = &mm->tag[set];
		for (int k = 0; k < MEMO_WAYS; k++)
			if (tag[k] == fnv && e[k].wn == n &&
			    bytes_same(e[k].w, w, n)) {
				*sn = e[k].sn;
				*sh = e[k].sh;
				return e[k].s;
			}
	}
	const sb_symbol *sym = sb_stemmer_stem(sb, (const sb_symbol *)w, (int)n);
	if (!sym)
		return NULL;
	*sn = (size_t)sb_stemmer_length(sb);
	*sh = hash_bytes(sym, *sn);
	if (e && *sn < MEMO_W) {
		/* the set's newest first: the oldest goes */
		memmove(e + 1, e, (MEMO_WAYS - 1) * sizeof *e);
		memmove(tag + 1, tag, (MEMO_WAYS - 1) * sizeof *tag);
		*tag = fnv;
		e->wn = (uint8_t)n;
		e->sn = (uint8_t)*sn;
		memcpy(e->w, w, n);
		memcpy(e->s, sym, *sn);
		e->sh = *sh;
	}
	return (const char *)sym;
}

/* Terms of a text (tokens t, lower-cased in low, tokenize's) as ops to
 * dst (stemmed, in text order). */
static chr_status terms(ev_prep *p, struct sb_stemmer *stem, stem_memo *mm,
			const char *low, const toks *t, int dst, size_t maxtok)
{
	chr_status st = CHR_OK;
	for (size_t i = 0; !st && i < t->n && i < maxtok; i++) {
		const tok *k = &t->v[i];
		size_t n = tok_len(k);
		const char *w = low + k->start;
		if (n < 2 || ev_is_stop_h(w, n, k->h))
			continue;
		if (k->f & T_NUM) { /* numbers are terms as they are: 23 pirates */
			if (EV_NUMTERMS)
				st = op(p, dst, w, n, 1.0f);
			continue;
		}
		size_t sn;
		uint64_t sh;
		const char *sym = stem_of(stem, mm, w, n, k->h, &sn, &sh);
		if (!sym)
			return CHR_ENOMEM;
		st = op_h(p, dst, sym, sn, sh, 1.0f);
	}
	return st;
}

/* The lower-case forms of a text's tokens that are written lower-case
 * (not capitalised), built at the LOWSCAN_MAX + 1st question, so that a
 * long text is not rescanned for each sentence-initial capitalised word.
 * The first LOWSCAN_MAX questions scan the tokens instead: most texts
 * ask a handful, and building the set hashed every lower-case token of
 * the text (a third of the stand-in's cost) to answer them; past that,
 * the set keeps the cost linear.  The set is the thread's (mm->set,
 * open addressing at most half full, probed by hash_bytes, which is
 * seeded: the keys are the input's), emptied by moving to a new gen. */
#define LOWSCAN_MAX 8

typedef struct lowset {
	stem_memo *mm;
	int built;
	unsigned asked; /* questions answered by a scan */
} lowset;

/* Are tokens a and b of low the same lower-case word? */
static int same_low(const char *low, const tok *a, const tok *b)
{
	size_t n = a->end - a->start;
	return a->h == b->h && b->end - b->start == n &&
	       bytes_same(low + a->start, low + b->start, n);
}

/* The set's slot for token k of t: the one holding an equal token, or
 * the empty one where it goes. */
static struct low_slot *low_slot(const stem_memo *mm, const char *low,
				 const toks *t, const tok *k)
{
	size_t mask = mm->setcap - 1;
	size_t i = (size_t)hash_bytes(low + k->start, k->end - k->start) & mask;
	for (;; i = (i + 1) & mask) {
		struct low_slot *sl = &mm->set[i];
		if (sl->gen != mm->gen || same_low(low, &t->v[sl->tok], k))
			return sl;
	}
}

/* Fill the set with t's lower-case tokens (under MAXTOK, as asked). */
static int low_build(stem_memo *mm, const char *low, const toks *t)
{
	size_t cap = 16;
	while (cap < 2 * t->n + 2)
		cap *= 2;
	if (cap > mm->setcap) {
		if (cap * sizeof *mm->set > PREP_MAX)
			return -1;
		struct low_slot *ns = calloc(cap, sizeof *ns);
		if (!ns)
			return -1;
		free(mm->set);
		mm->set = ns;
		mm->setcap = cap;
		mm->gen = 0;
	}
	if (++mm->gen == 0) { /* wrapped: every slot's gen could be it */
		memset(mm->set, 0, mm->setcap * sizeof *mm->set);
		mm->gen = 1;
	}
	for (size_t i = 0; i < t->n; i++) {
		const tok *o = &t->v[i];
		if ((o->f & T_CAP) || !tok_len(o))
			continue;
		struct low_slot *sl = low_slot(mm, low, t, o);
		if (sl->gen != mm->gen) {
			sl->gen = mm->gen;
			sl->tok = (uint32_t)i;
		}
	}
	return 0;
}

/* Does the lower-case form of token k occur lower-case elsewhere?
 * 1 yes, 0 no, -1 out of memory. */
static int used_lower(lowset *ls, const char *low, const toks *t,
		      const tok *k)
{
	size_t n = k->end - k->start;
	if (!ls->built && ls->asked < LOWSCAN_MAX) {
		/* what the set would answer: a token that is not
		 * capitalised (so not k), of k's length (under MAXTOK, as
		 * the set's keys), with the same bytes lower-cased */
		ls->asked++;
		if (n >= MAXTOK)
			return 0;
		for (size_t i = 0; i < t->n; i++) {
			const tok *o = &t->v[i];
			/* the hash first: it tells nearly every token apart
			 * with one compare */
			if (o->h == k->h && !(o->f & T_CAP) && same_low(low, o, k))
				return 1;
		}
		return 0;
	}
	if (!ls->built) {
		if (low_build(ls->mm, low, t))
			return -1;
		ls->built = 1;
	}
	if (n >= MAXTOK)
		return 0;
	return low_slot(ls->mm, low, t, k)->gen == ls->mm->gen;
}

/* STAND-IN for the NER stage: capitalised runs of a text (tokens t,
 * lower-cased in low, tokenize's). */
static chr_status cap_entities(ev_prep *p, stem_memo *mm, const char *low,
			       const toks *t)
{
	chr_status st = CHR_OK;
	char phrase[160];
	lowset ls = { mm, 0, 0 };
	size_t i = 0;
	while (!st && i < t->n) {
		if ((t->v[i].f & (T_CAP | T_NUM)) != T_CAP) {
			i++;
			continue;
		}
		size_t start = i, j = i, plen = 0, words = 0;
		while (j < t->n && (t->v[j].f & T_CAP) &&
		       (!words || !(t->v[j].f & T_BRK))) {
			const tok *k = &t->v[j];
			size_t n = tok_len(k);
			const char *w = low + k->start;
			int notname = n && ev_is_notname_h(w, n, k->h);
			int used = n && !notname && (k->f & T_SSTART)
					   ? used_lower(&ls, low, t, k) : 0;
			if (used < 0) {
				st = CHR_ENOMEM;
				break;
			}
			int skip = n == 0 || notname || used;
			if (skip && words == 0) { /* leading junk: drop it */
				j++;
				continue;
			}
			if (skip)
				break;
			if (plen + n + 2 < sizeof phrase) {
				if (plen)
					phrase[plen++] = ' ';
				memcpy(phrase + plen, w, n);
				plen += n;
			}
			if (n >= 2)
				st = op(p, EV_PREP_ENTS, w, n, 0.5f);
			words++;
			j++;
		}
		if (!st && words > 1)
			st = op(p, EV_PREP_ENTS, phrase, plen, 1.0f);
		i = j > start ? j : start + 1;
	}
	return st;
}

static void add_year(ev_doc *d, int y)
{
	for (uint32_t i = 0; i < d->nyears; i++)
		if (d->years[i] == y)
			return;
	if (d->nyears < EV_MAXYEARS)
		d->years[d->nyears++] = (int16_t)y;
}

static void add_date(ev_doc *d, int32_t day)
{
	int y, m, dd;
	ev_ymd(day, &y, &m, &dd);
	add_year(d, y);
	for (uint32_t i = 0; i < d->ndates; i++)
		if (d->dates[i] == day)
			return;
	if (d->ndates < EV_MAXDATES)
		d->dates[d->ndates++] = day;
}

/* Does token k spell a month name (its first three letters)? */
static int is_month_tok(const char *s, const tok *k)
{
	if ((k->f & T_NUM) || k->end - k->start < 3)
		return 0;
	return ev_month3(s + k->start) != 0;
}

/* The numbers of a body (tokenized in t) into d->nums, distinct: a
 * death toll, an age, a magnitude ("6.1" is one number), a score.
 * Left out as too common to tell two events apart: 0 and 1, years
 * (1900-2099), days of a month (next to a month name) and clock times
 * (next to a colon). */
static void doc_numbers(const char *s, size_t len, const toks *t, ev_doc *d)
{
	for (size_t i = 0; i < t->n && d->nnums < EV_MAXNUMS; i++) {
		const tok *k = &t->v[i];
		if (!(k->f & T_NUM))
			continue;
		size_t a = k->start, b = k->end, j = i;
		if (b + 1 < len && s[b] == '.' && i + 1 < t->n &&
		    (t->v[i + 1].f & T_NUM) && t->v[i + 1].start == b + 1)
			b = t->v[++j].end; /* a decimal */
		if ((a && s[a - 1] == ':') || (b < len && s[b] == ':'))
			continue;
		if ((i && is_month_tok(s, &t->v[i - 1])) ||
		    (j + 1 < t->n && is_month_tok(s, &t->v[j + 1])))
			continue;
		if (b - a > 9)
			continue;
		char w[16];
		memcpy(w, s + a, b - a);
		w[b - a] = '\0';
		long v = strtol(w, NULL, 10);
		if (j == i && (v < 2 || (v >= 1900 && v <= 2099)))
			continue;
		uint32_t hsh = 2166136261u;
		for (size_t x = a; x < b; x++)
			hsh = (hsh ^ (unsigned char)s[x]) * 16777619u;
		hsh |= 1; /* never 0 */
		int seen = 0;
		for (uint32_t x = 0; x < d->nnums && !seen; x++)
			seen = d->nums[x] == hsh;
		if (!seen)
			d->nums[d->nnums++] = hsh;
		i = j;
	}
}

/* The explicit dates of a body (tokenized in t), as ev_scan_dates finds
 * them, from the tokens: every run of ASCII letters and digits lies in
 * one token, and an all-ASCII token is one run, so only the tokens with
 * other bytes are read again to split them. */
static void dates_of(const char *s, size_t len, const toks *t, ev_doc *d)
{
	ev_dscan ds;
	ev_dscan_init(&ds);
	for (size_t i = 0; i < t->n; i++) {
		const tok *k = &t->v[i];
		if (k->f & T_ASCII)
			ev_dscan_word(&ds, s, len, k->start, k->end,
				      (k->f & T_NUM) != 0, d);
		else
			ev_dscan_span(&ds, s, len, k->start, k->end, d);
	}
}

/* The op slots for a text whose two parts have ntok tokens: the first
 * slots of the thread's array (all empty), enough that the text's every
 * vector op fits at most half full (a term per token, a name word per
 * token, a phrase per two, and the NER entities), so that the slots
 * need no growth on the way. */
static chr_status slots_take(ev_prep *p, stem_memo *mm, size_t ntok,
			     size_t nent)
{
	size_t bound = ntok * 5 / 2 + nent + 1, cap = 256;
	while (cap < 2 * (bound + 1))
		cap *= 2;
	if (cap * sizeof *mm->slot > PREP_MAX)
		return CHR_ETOOBIG;
	if (cap > mm->slotcap) {
		uint32_t *ns = calloc(cap, sizeof *ns);
		if (!ns)
			return CHR_ENOMEM;
		free(mm->slot);
		mm->slot = ns;
		mm->slotcap = cap;
	}
	p->slot = mm->slot;
	p->slotcap = cap;
	return CHR_OK;
}

/* Hand the op slots back, emptied by what was set: each vector op's
 * slot is found from its home by its value (so the order of the
 * clearing does not matter).  A table that grew after all (slot_room;
 * the old one, the thread's, is freed) becomes the thread's. */
static void slots_give(ev_prep *p, stem_memo *mm)
{
	if (!p->slot)
		return;
	if (p->slot != mm->slot) {
		mm->slot = p->slot;
		mm->slotcap = p->slotcap;
	}
	size_t mask = p->slotcap - 1;
	for (size_t k = 0; k < p->nops; k++) {
		const ev_prep_op *o = &p->ops[k];
		if (o->dst != EV_PREP_BODY && o->dst != EV_PREP_HEAD &&
		    o->dst != EV_PREP_ENTS)
			continue;
		size_t i = slot_home(p, o->dst, o->h);
		while (p->slot[i] != k + 1)
			i = (i + 1) & mask;
		p->slot[i] = 0;
	}
	p->slot = NULL;
	p->slotcap = 0;
}

/* Room for n lower-cased bytes in mm->low. */
static chr_status low_room(stem_memo *mm, size_t n)
{
	if (n <= mm->lowcap)
		return CHR_OK;
	size_t nc = mm->lowcap * 2 > n ? mm->lowcap * 2 : n;
	if (nc > PREP_MAX)
		return CHR_ETOOBIG;
	char *nl = realloc(mm->low, nc);
	if (!nl)
		return CHR_ENOMEM;
	mm->low = nl;
	mm->lowcap = nc;
	return CHR_OK;
}

/* The text work of ev_doc_build into p (engine-free), with the thread's
 * scratch mm; its stem memo too when memo is set. */
static chr_status prep_build(ev_prep *p, const ev_input *in,
			     struct sb_stemmer *stem, stem_memo *mm, int memo)
{
	ev_doc *d = &p->d;
	ev_words_init(); /* ev_is_stop, ev_is_notname */
	ev_doc_init(d);
	d->group = in->group;
	d->rmonths = in->rmonths;
	d->umonths = in->umonths;
	d->undated = !in->published || !*in->published;
	snprintf(d->id, sizeof d->id, "%s", in->id ? in->id : "");
	if (mm->seed != hash_seed()) { /* the memo's stem hashes are stale */
		for (size_t i = 0; i < MEMO_N; i++)
			mm->e[i].wn = 0;
		mm->seed = hash_seed();
	}
	toks *t = &mm->t, *th = &mm->th; /* the body's, the headline's */
	const char *text = in->text ? in->text : "";
	size_t tlen = in->text ? in->text_len : 0;
	const char *head = in->headline ? in->headline : "";
	size_t hlen = strlen(head);
	/* No headline: the lead (first line, at most 40 words) stands in. */
	int lead = hlen == 0;
	if (lead) {
		head = text;
		const char *nl = memchr(text, '\n', tlen);
		hlen = nl ? (size_t)(nl - text) : tlen;
	}
	size_t tl = hlen < sizeof d->title ? hlen : sizeof d->title - 1;
	memcpy(d->title, head, tl);
	d->title[tl] = '\0';
	/* each text is tokenized once: its terms, numbers and name runs
	 * read the same tokens (the lead's are for its terms only) */
	stem_memo *sm = memo ? mm : NULL;
	chr_status st = low_room(mm, tlen + hlen + 1);
	char *low = mm->low, *hlow = mm->low + tlen;
	if (!st)
		st = tokenize(text, tlen, low, t);
	if (!st)
		st = tokenize(head, hlen, hlow, th);
	if (!st)
		st = slots_take(p, mm, t->n + th->n,
				in->entities ? in->nentities : 0);
	if (!st)
		st = terms(p, stem, sm, low, t, EV_PREP_BODY, SIZE_MAX);
	if (!st)
		doc_numbers(text, tlen, t, d);
	if (!st)
		st = terms(p, stem, sm, hlow, th, EV_PREP_HEAD,
			   lead ? 40 : SIZE_MAX);
	/* NER entities when given, plus the capitalised-word proxy: on ECB+
	 * dev the two together match or beat either alone. */
	if (!st && in->entities) {
		char w[160];
		for (size_t i = 0; !st && i < in->nentities; i++) {
			size_t n = strlen(in->entities[i]);
			if (n >= sizeof w || !n)
				continue;
			for (size_t k = 0; k <= n; k++)
				w[k] = (char)tolower((unsigned char)in->entities[i][k]);
			st = op(p, EV_PREP_ENTS, w, n, 1.0f);
		}
	}
	if (!st && in->person && *in->person) {
		char w[160];
		size_t n = strlen(in->person);
		if (n < sizeof w) {
			for (size_t k = 0; k <= n; k++)
				w[k] = (char)tolower((unsigned char)in->person[k]);
			st = op(p, EV_PREP_PERSON, w, n, 0);
		}
	}
	if (!st) {
		if (!lead) /* (the lead's names are the body's) */
			st = cap_entities(p, mm, hlow, th);
		if (!st)
			st = cap_entities(p, mm, low, t);
	}
	slots_give(p, mm);
	if (st)
		return st;
	/* time */
	if (in->published)
		d->anchor = ev_parse_day(in->published);
	/* explicit dates and years always; TIMEX values add the rest */
	dates_of(text, tlen, t, d);
	for (size_t i = 0; in->dates && i < in->ndates; i++)
		add_date(d, in->dates[i]);
	if (d->anchor == EV_NODAY && d->ndates)
		d->anchor = d->dates[0];
	if (d->anchor != EV_NODAY) {
		int y, m, dd;
		ev_ymd(d->anchor, &y, &m, &dd);
		add_year(d, y);
	}
	/* place: the first part of the dateline ("SEOUL/MOSCOW" -> seoul) */
	if (in->dateline && *in->dateline) {
		char w[64];
		size_t n = 0;
		for (const char *c = in->dateline;
		     *c && *c != '/' && *c != ',' && n + 1 < sizeof w; c++)
			w[n++] = (char)tolower((unsigned char)*c);
		while (n && w[n - 1] == ' ')
			n--;
		if (n && (st = op(p, EV_PREP_PLACE, w, n, 0)))
			return st;
	}
	return CHR_OK;
}

static chr_status prep_new(const ev_input *in, struct sb_stemmer *stem,
			   stem_memo *mm, ev_prep **out)
{
	*out = NULL;
	ev_prep *p = calloc(1, sizeof *p);
	if (!p)
		return CHR_ENOMEM;
	chr_status st = mm ? prep_build(p, in, stem, mm, 1) : CHR_ENOMEM;
	if (st) {
		ev_prep_free(p);
		return st;
	}
	*out = p;
	return CHR_OK;
}

static stem_memo *memo_get(void);

chr_status ev_prep_new(const ev_input *in, struct sb_stemmer *stem,
		       ev_prep **out)
{
	/* the thread's memo serves any English stemmer: a word's stem does
	 * not depend on the instance (without one, every word is stemmed) */
	return prep_new(in, stem, memo_get(), out);
}

chr_status ev_doc_build(ev_engine *e, const ev_input *in, ev_doc *d)
{
	ev_prep p;
	memset(&p, 0, sizeof p);
	/* the thread's scratch, not its stem memo (e->stem stems) */
	stem_memo *mm = memo_get();
	chr_status st = mm ? prep_build(&p, in, e->stem, mm, 0) : CHR_ENOMEM;
	if (!st)
		st = ev_prep_apply(e, &p, d);
	free(p.keys);
	free(p.ops);
	free(p.slot);
	return st;
}

/* The stage runs on any thread: each keeps its stemmer and stem memo
 * (freed when the thread ends; the caller's thread keeps its own to the
 * end of the process). */
static pthread_key_t memo_key;
static pthread_once_t memo_once = PTHREAD_ONCE_INIT;
static int memo_key_ok;

static void memo_destroy(void *p)
{
	stem_memo *mm = p;
	sb_stemmer_delete(mm->sb);
	free(mm->t.v);
	free(mm->th.v);
	free(mm->low);
	free(mm->set);
	free(mm->slot);
	free(mm);
}

static void memo_key_init(void)
{
	memo_key_ok = pthread_key_create(&memo_key, memo_destroy) == 0;
}

/* This thread's memo, made on first use; NULL when out of memory. */
static stem_memo *memo_get(void)
{
	pthread_once(&memo_once, memo_key_init);
	if (!memo_key_ok)
		return NULL;
	stem_memo *mm = pthread_getspecific(memo_key);
	if (mm)
		return mm;
	/* aligned, so that each memo entry is one cache line */
	if (!(mm = aligned_alloc(_Alignof(stem_memo), sizeof *mm)))
		return NULL;
	memset(mm, 0, sizeof *mm);
	if (!(mm->sb = sb_stemmer_new("english", NULL)) ||
	    pthread_setspecific(memo_key, mm)) {
		memo_destroy(mm);
		return NULL;
	}
	return mm;
}

chr_status ev_prep_run(chr_article *a)
{
	stem_memo *mm = memo_get();
	if (!mm)
		return CHR_ENOMEM;
	ev_input in;
	chr_status st = ev_input_from_article(&in, a);
	if (!st)
		st = ev_prep_new(&in, mm->sb, &a->evprep);
	ev_input_release(&in);
	return st;
}
