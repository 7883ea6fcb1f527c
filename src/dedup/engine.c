/*
 * engine: candidates, verification, incremental groups and the original
 * rule (see dedup.h and docs/dedup.md).
 *
 * Design note: every step is bounded by constants, never by the size of
 * the index: at most DEDUP_POSTINGS ids per LSH or anchor key (the most
 * recent ones, which is where syndicated copies are), at most
 * DEDUP_PARA_POSTINGS per paragraph, at most DEDUP_VERIFY_MAX verified
 * candidates.  So adding an article costs the same whatever the store
 * holds.  Paragraphs already seen in two or more different groups are
 * stock text (boilerplate, standard explanations): their shingles are left
 * out of the new article's set before verification and they bring no
 * candidates, so a shared stock paragraph can never make two write-ups one
 * group.  Groups are the connected components of verified matches; a
 * group's id is its first member's id, and merging keeps the smaller id,
 * so the same input in the same order always gives the same groups.
 */
#include "dedup.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const wires[] = {
	"reuters", "associated press", "ap", "afp", "agence france-presse",
	"yonhap", "tass", "itar-tass", "xinhua", "kcna",
	"korean central news agency", "kyodo", "bloomberg", "upi",
	"united press international", "dpa", "ansa", "efe", "pti",
	"press trust of india", "app", "associated press of pakistan",
	"interfax", "ria novosti", "sputnik", "anadolu", "bernama", "antara",
};

int dedup_tier(const char *outlet, const char *const *agencies, size_t n)
{
	if (outlet && *outlet) {
		for (size_t i = 0; i < sizeof wires / sizeof wires[0]; i++)
			if (!strcasecmp(outlet, wires[i]))
				return DEDUP_TIER_WIRE;
		for (size_t i = 0; i < n; i++)
			if (agencies[i] && !strcasecmp(outlet, agencies[i]))
				return DEDUP_TIER_WIRE;
	}
	return n ? DEDUP_TIER_PICKUP : DEDUP_TIER_PLAIN;
}

int dedup_better(const dedup_doc *a, const dedup_doc *b)
{
	if (a->tier != b->tier)
		return a->tier < b->tier;
	int ad = a->published[0] != 0, bd = b->published[0] != 0;
	if (ad != bd)
		return ad;
	if (ad) {
		int c = strcmp(a->published, b->published);
		if (c)
			return c < 0;
	}
	if (a->nwords != b->nwords)
		return a->nwords > b->nwords;
	return a->id < b->id;
}

/* ---- candidate table: open addressing on doc id, fixed size ---- */

#define CAND_CAP 512 /* > keys * postings would need; full = stop adding */

typedef struct cand {
	int64_t id;
	int score;
} cand;

/* The slots in use are bits of `used`, so a new table clears 64 bytes,
 * not the 8 kB of slots (that memset was 7% of dedup's instructions). */
typedef struct ctab {
	cand slot[CAND_CAP];
	uint64_t used[CAND_CAP / 64];
	size_t n;
} ctab;

static int cand_used(const ctab *t, size_t h)
{
	return (int)(t->used[h >> 6] >> (h & 63) & 1);
}

static void cand_add(ctab *t, int64_t id, int score)
{
	size_t h = (size_t)((uint64_t)id * 0x9E3779B97F4A7C15ULL >> 55) & (CAND_CAP - 1);
	for (;;) {
		cand *c = &t->slot[h];
		if (!cand_used(t, h)) {
			if (t->n >= CAND_CAP / 2)
				return;
			t->used[h >> 6] |= (uint64_t)1 << (h & 63);
			c->id = id;
			c->score = score;
			t->n++;
			return;
		}
		if (c->id == id) {
			c->score += score;
			return;
		}
		h = (h + 1) & (CAND_CAP - 1);
	}
}

static int cmp_cand(const void *x, const void *y)
{
	const cand *a = x, *b = y;
	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	return (a->id > b->id) - (a->id < b->id);
}

/* The article's own shingles: its set less the shingles that start in a
 * stock paragraph.  Returns a malloc'd sorted set or NULL (ENOMEM). */
static uint32_t *own_set(const dedup_feat *f, const unsigned char *stock,
			 size_t *n)
{
	uint32_t *s = malloc((2 * f->nseq + 1) * 4);
	if (!s)
		return NULL;
	size_t k = 0, p = 0;
	for (size_t i = 0; i < f->nseq; i++) {
		while (p < f->npara && f->para[p].w1 <= i)
			p++;
		if (p < f->npara && stock[p] && f->para[p].w0 <= i)
			continue;
		s[k++] = f->seq[i];
	}
	*n = dedup_sort_unique(s, k, s + f->nseq);
	return s;
}

/* The smallest intersection that can pass same_story. */
static size_t needed(size_t na, size_t nb)
{
	double jn = DEDUP_JACCARD * (double)(na + nb) / (1.0 + DEDUP_JACCARD);
	double cn = DEDUP_CONTAIN * (double)(na < nb ? na : nb);
	if (cn < DEDUP_CONTAIN_MIN)
		cn = DEDUP_CONTAIN_MIN;
	double m = jn < cn ? jn : cn;
	return m > 1 ? (size_t)m : 1;
}

/* Same story?  The thresholds are discussed in docs/dedup.md. */
static int same_story(size_t inter, size_t na, size_t nb)
{
	if (!na || !nb)
		return 0;
	double j = (double)inter / (double)(na + nb - inter);
	size_t small = na < nb ? na : nb;
	double c = (double)inter / (double)small;
	return j >= DEDUP_JACCARD || (c >= DEDUP_CONTAIN && inter >= DEDUP_CONTAIN_MIN);
}

/* Mark stock paragraphs (seen in >= 2 groups) and add the docs of the
 * other paragraphs as candidates. */
static chr_status paragraphs(const dedup_ops *ops, void *ctx,
			     const dedup_feat *f, unsigned char *stock,
			     ctab *t, dedup_stats *s)
{
	int64_t ids[DEDUP_PARA_POSTINGS];
	for (size_t p = 0; p < f->npara; p++) {
		size_t n = 0;
		chr_status st = ops->postings(ctx, DEDUP_KEY_PARA, f->para[p].hash,
					      DEDUP_PARA_POSTINGS, ids, &n);
		if (st)
			return st;
		s->keys_read += n;
		int64_t g0 = -1;
		for (size_t i = 0; i < n && !stock[p]; i++) {
			dedup_doc d;
			st = ops->get_doc(ctx, ids[i], 0, &d);
			if (st)
				return st;
			if (g0 < 0)
				g0 = d.grp;
			else if (d.grp != g0)
				stock[p] = 1;
		}
		for (size_t i = 0; i < n && !stock[p]; i++)
			cand_add(t, ids[i], 2);
	}
	return CHR_OK;
}

static chr_status keys(const dedup_ops *ops, void *ctx, const dedup_feat *f,
		       ctab *t, dedup_stats *s)
{
	int64_t ids[DEDUP_POSTINGS];
	if (ops->prefetch) { /* every key's map slot on its way at once */
		if (f->nseq)
			ops->prefetch(ctx, f->band, DEDUP_BANDS);
		ops->prefetch(ctx, f->anchor, f->nanchor);
	}
	for (size_t k = 0; k < DEDUP_BANDS + f->nanchor; k++) {
		if (k < DEDUP_BANDS && !f->nseq)
			continue;
		uint64_t key = k < DEDUP_BANDS ? f->band[k] : f->anchor[k - DEDUP_BANDS];
		size_t n = 0;
		chr_status st = ops->postings(ctx, DEDUP_KEY_LSH, key, DEDUP_POSTINGS,
					      ids, &n);
		if (st)
			return st;
		s->keys_read += n;
		for (size_t i = 0; i < n; i++)
			cand_add(t, ids[i], k < DEDUP_BANDS ? 2 : 1);
	}
	return CHR_OK;
}

/* Join group g (with its original and size) into the running best. */
static chr_status absorb(const dedup_ops *ops, void *ctx, int64_t orig,
			 dedup_doc *best, int *have)
{
	dedup_doc o;
	chr_status st = ops->get_doc(ctx, orig, 0, &o);
	if (st)
		return st;
	if (!*have || dedup_better(&o, best)) {
		*best = o;
		*have = 1;
	}
	return CHR_OK;
}

static int has(const int64_t *v, size_t n, int64_t x)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == x)
			return 1;
	return 0;
}

chr_status dedup_add(const dedup_ops *ops, void *ctx, dedup_doc *d,
		     const dedup_feat *f, int64_t *gid, dedup_stats *stats)
{
	dedup_stats local;
	dedup_stats *s = stats ? stats : &local;
	memset(s, 0, sizeof *s);
	ctab tab; /* 8 kB on the stack: no allocation per article */
	ctab *t = &tab;
	unsigned char stock[DEDUP_PARA_MAX] = { 0 };
	memset(t->used, 0, sizeof t->used);
	t->n = 0;
	chr_status st = paragraphs(ops, ctx, f, stock, t, s);
	if (!st)
		st = keys(ops, ctx, f, t, s);
	int any_stock = 0;
	for (size_t p = 0; p < f->npara; p++)
		any_stock |= stock[p];
	size_t na = f->nset;
	uint32_t *own = NULL;
	const uint32_t *a = f->set;
	if (!st && any_stock) {
		own = own_set(f, stock, &na);
		if (!own)
			st = CHR_ENOMEM;
		a = own;
	}
	/* Verify the best-scored candidates. */
	int64_t groups[DEDUP_VERIFY_MAX];
	size_t ng = 0;
	if (!st && t->n) {
		size_t n = 0; /* the used slots in slot order, a bitmap word
			       * at a time (not a test per slot) */
		for (size_t w = 0; w < CAND_CAP / 64; w++)
			for (uint64_t b = t->used[w]; b; b &= b - 1)
				t->slot[n++] = t->slot[w * 64 +
						       (size_t)__builtin_ctzll(b)];
		qsort(t->slot, n, sizeof t->slot[0], cmp_cand);
		s->candidates = n;
		if (ops->prefetch_docs) { /* the rows verified next, at once */
			int64_t ids[DEDUP_VERIFY_MAX];
			size_t m = n < DEDUP_VERIFY_MAX ? n : DEDUP_VERIFY_MAX;
			for (size_t i = 0; i < m; i++)
				ids[i] = t->slot[i].id;
			ops->prefetch_docs(ctx, ids, m);
		}
		for (size_t i = 0; i < n && i < DEDUP_VERIFY_MAX && !st; i++) {
			dedup_doc c;
			st = ops->get_doc(ctx, t->slot[i].id, 1, &c);
			if (st || has(groups, ng, c.grp))
				continue;
			s->verified++;
			size_t inter = dedup_intersect(a, na, c.set, c.nset,
						       needed(na, c.nset));
			if (same_story(inter, na, c.nset)) {
				s->matched++;
				groups[ng++] = c.grp;
			}
		}
	}
	free(own);
	if (st)
		return st;
	/* Update groups: the union of every matched group and d. */
	int64_t target = ng ? groups[0] : d->id;
	for (size_t i = 1; i < ng; i++)
		if (groups[i] < target)
			target = groups[i];
	dedup_doc best = *d;
	int have = 1;
	int64_t size = 1;
	for (size_t i = 0; i < ng && !st; i++) {
		int64_t orig, gs;
		st = ops->get_group(ctx, groups[i], &orig, &gs);
		if (!st)
			st = absorb(ops, ctx, orig, &best, &have);
		if (!st && groups[i] != target)
			st = ops->merge_group(ctx, groups[i], target);
		size += gs;
	}
	if (st)
		return st;
	d->grp = target;
	st = ops->set_group(ctx, target, best.id, size);
	if (!st)
		st = ops->put_doc(ctx, d, f);
	if (!st && gid)
		*gid = target;
	return st;
}
