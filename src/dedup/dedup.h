/*
 * dedup: near-duplicate (syndication) groups and paragraph reuse.
 *
 * Design note: the stage is split in three so the same algorithm runs in
 * the store, in the benchmark and in the unit tests:
 *   - features (shingle.c): normalised words -> 5-word shingles -> a
 *     one-permutation MinHash signature with densification -> LSH band
 *     keys; plus "anchor" keys (a fixed 1/8 sample of shingles, first ones
 *     in text order) for containment, and exact paragraph hashes for
 *     reuse.  All hashes are XXH3 with fixed seeds, so they can be stored.
 *   - the engine (engine.c): candidates from the index (bands, anchors,
 *     paragraphs; bounded per key and in total), verified by exact
 *     Jaccard and containment on the shingle sets, then incremental group
 *     update (union of matched groups; group id = smallest member id) and
 *     the original rule.
 *   - an index behind a small table of functions (dedup_ops): in memory
 *     (memidx.c, bench and tests) or in SQLite (dbidx.c, ingest).
 * Thresholds and the S-curve are justified in docs/dedup.md.
 * Internal prefix: dedup_.
 */
#ifndef CHR_DEDUP_H
#define CHR_DEDUP_H

#include <stddef.h>
#include <stdint.h>
#include "chronicle.h"

#define DEDUP_SHINGLE 5      /* words per shingle */
#define DEDUP_BANDS 20       /* LSH bands ... */
#define DEDUP_ROWS 3         /* ... of this many signature values */
#define DEDUP_K (DEDUP_BANDS * DEDUP_ROWS) /* signature length, 60 */
#define DEDUP_ANCHOR_MOD 8   /* a shingle is an anchor when h % 8 == 0 */
#define DEDUP_ANCHOR_MAX 40  /* anchors kept per article, first in text */
#define DEDUP_PARA_MIN 8     /* words for a paragraph to be hashed */
#define DEDUP_PARA_MAX 64    /* paragraphs hashed per article */
#define DEDUP_POSTINGS 32    /* most recent docs read per key */
#define DEDUP_PARA_POSTINGS 8
#define DEDUP_VERIFY_MAX 48  /* candidates verified per article */

/* Decision thresholds (docs/dedup.md). */
#define DEDUP_JACCARD 0.50   /* same story when Jaccard >= this ... */
#define DEDUP_CONTAIN 0.70   /* ... or the smaller is contained this much */
#define DEDUP_CONTAIN_MIN 12 /* ... and shares at least this many shingles */

typedef struct dedup_para {
	uint64_t hash;          /* of the paragraph's normalised words */
	uint32_t start, end;    /* byte span in the text */
	uint32_t w0, w1;        /* word range [w0, w1) */
} dedup_para;

/* Everything the stage derives from one text.  Arrays are owned by the
 * struct (dedup_feat_free); reuse one struct across texts to avoid
 * allocation. */
typedef struct dedup_feat {
	uint32_t nwords;
	uint64_t *wh;     size_t wcap;           /* word hashes */
	uint32_t *seq;    size_t nseq, seqcap;   /* shingles in text order */
	uint32_t *set;    size_t nset, setcap;   /* sorted, unique */
	uint32_t *tmp;                           /* scratch, setcap long */
	uint32_t sig[DEDUP_K];
	uint64_t band[DEDUP_BANDS];
	uint64_t anchor[DEDUP_ANCHOR_MAX];
	size_t nanchor;
	dedup_para *para; size_t npara, paracap; /* paragraphs >= PARA_MIN words */
	unsigned char *wbuf; size_t wbufcap;     /* scratch: one folded word */
	/* the band and anchor keys as the store files them (dedup_keys_blob),
	 * made here so the store thread only binds them */
	unsigned char keyblob[(DEDUP_BANDS + DEDUP_ANCHOR_MAX) * 8];
	size_t nkeyblob;
} dedup_feat;

/* Grow array *p of elem-byte items to hold need (doubling); -1 on ENOMEM. */
int dedup_grow(void **p, size_t *cap, size_t need, size_t elem);

void dedup_feat_init(dedup_feat *f);
void dedup_feat_free(dedup_feat *f);
/* Compute the features of text[0, len).  CHR_ENOMEM or CHR_OK. */
chr_status dedup_features(dedup_feat *f, const char *text, size_t len);
/* f's band keys (when it has shingles) then its anchors, the order the
 * index files them in, into keys (DEDUP_BANDS + DEDUP_ANCHOR_MAX long);
 * how many. */
size_t dedup_feat_keys(const dedup_feat *f, uint64_t *keys);

/* |a & b| for sorted unique arrays; may stop early (returning less than
 * need) once need is out of reach.  AVX2 where the CPU has it, unless
 * dedup_no_avx2 (tests compare the two). */
size_t dedup_intersect(const uint32_t *a, size_t na, const uint32_t *b,
		       size_t nb, size_t need);
extern int dedup_no_avx2;
/* Sort v[0, n) and drop repeats (tmp: n scratch values); the new n. */
size_t dedup_sort_unique(uint32_t *v, size_t n, uint32_t *tmp);
/* The LSH S-curve: probability that a pair with Jaccard j shares a band. */
double dedup_scurve(double j, int bands, int rows);

/* Rank fields of one article for the original rule. */
enum { DEDUP_TIER_WIRE = 0, DEDUP_TIER_PLAIN = 1, DEDUP_TIER_PICKUP = 2 };

typedef struct dedup_doc {
	int64_t id;          /* article rowid: arrival order */
	int64_t grp;         /* group id (smallest member id) */
	int tier;            /* DEDUP_TIER_* */
	char published[11];  /* YYYY-MM-DD or "" (unknown sorts last) */
	uint32_t nwords;
	const uint32_t *set; /* shingle set (borrowed from the index) */
	uint32_t nset;
} dedup_doc;

/* Is a a better original than b?  Wire agency first, then the earliest
 * published, then the most words, then the first to arrive. */
int dedup_better(const dedup_doc *a, const dedup_doc *b);
/* Tier of an article from its outlet and credited agencies. */
int dedup_tier(const char *outlet, const char *const *agencies, size_t n);

/* The index the engine works against.  Every function returns CHR_OK or
 * an error; "borrowed" data stays valid until the next call of the same
 * function. */
typedef struct dedup_ops {
	/* Up to cap doc ids filed under key, most recent first. */
	chr_status (*postings)(void *ctx, int kind, uint64_t key, size_t cap,
			       int64_t *out, size_t *n);
	/* A doc; with want_set, d->set is borrowed.  CHR_ENOTFOUND if none. */
	chr_status (*get_doc)(void *ctx, int64_t id, int want_set, dedup_doc *d);
	/* Store a new doc, its set and signature, and its keys. */
	chr_status (*put_doc)(void *ctx, const dedup_doc *d, const dedup_feat *f);
	/* Group row: original and size. */
	chr_status (*get_group)(void *ctx, int64_t gid, int64_t *original,
				int64_t *size);
	chr_status (*set_group)(void *ctx, int64_t gid, int64_t original,
				int64_t size);
	/* Move every member of group from into group into; drop from. */
	chr_status (*merge_group)(void *ctx, int64_t from, int64_t into);
	/* Optional (NULL): start loading what postings(DEDUP_KEY_LSH, key)
	 * will read for each of the n keys, so their cache misses overlap
	 * instead of coming one after another.  A hint: no result changes. */
	void (*prefetch)(void *ctx, const uint64_t *keys, size_t n);
	/* Optional (NULL): the same for what get_doc(id, 1) will read for
	 * each of the n ids, the candidates about to be verified. */
	void (*prefetch_docs)(void *ctx, const int64_t *ids, size_t n);
} dedup_ops;

enum { DEDUP_KEY_LSH = 0, DEDUP_KEY_PARA = 1 };

/* Per-call statistics (tests and the benchmark). */
typedef struct dedup_stats {
	size_t keys_read;    /* postings entries read */
	size_t candidates;   /* distinct candidates */
	size_t verified;     /* candidates whose sets were compared */
	size_t matched;      /* verified as copies */
} dedup_stats;

/* Add doc d (id, tier, published, nwords filled; grp ignored) with
 * features f: find and verify candidates, update groups, store the doc.
 * *gid gets its group id. */
chr_status dedup_add(const dedup_ops *ops, void *ctx, dedup_doc *d,
		     const dedup_feat *f, int64_t *gid, dedup_stats *stats);

/* In-memory index (memidx.c). */
/* Building blocks of the in-memory indexes (plist.c).  A map from a
 * 64-bit key (already a hash) to a 32-bit value; UINT32_MAX marks an
 * empty slot, so it is not a storable value. */
typedef struct dedup_slot {
	uint64_t key;
	uint32_t val;
} dedup_slot;
typedef struct dedup_map {
	dedup_slot *s;
	size_t cap, n;
} dedup_map;
/* key's value slot; with add, created (value UINT32_MAX, for the caller
 * to set) when absent.  NULL when absent without add, or out of memory. */
uint32_t *dedup_map_slot(dedup_map *m, uint64_t key, int add);
/* Hint that key will be looked up soon: loads the slot its probe starts
 * at. */
void dedup_map_prefetch(const dedup_map *m, uint64_t key);
void dedup_map_free(dedup_map *m);
size_t dedup_map_bytes(const dedup_map *m);

/* Posting lists: per key, the newest DEDUP_PLIST_KEEP doc ids added under
 * it, newest first, one chunk a key in one array of words (plist.c). */
#define DEDUP_PLIST_KEEP DEDUP_POSTINGS
typedef struct dedup_plist {
	dedup_map heads; /* key -> its chunk's word */
	uint64_t *w;
	size_t nw, wcap;
	uint32_t freed[5]; /* outgrown chunks of 1, 3, 7, 15 and 31 ids,
			    * to reuse: the first one's word + 1, 0 if none */
} dedup_plist;
/* File id under key (a repeat of the newest id under key is ignored). */
chr_status dedup_plist_add(dedup_plist *l, uint64_t key, int64_t id);
/* File n ids under their keys into l, which must be empty (CHR_EINVAL
 * otherwise): the i-th is id base + off[i] under keys[i].  l then
 * reads exactly as after n dedup_plist_add calls in that order, but
 * the keys are filed grouped by where they land in the map, so each group's slots stay in cache (building the store's
 * lists at open was a cache miss a key).  keys and off stay the
 * caller's; the sort's two copies of them are freed before returning. */
chr_status dedup_plist_build(dedup_plist *l, const uint64_t *keys,
			     const uint32_t *off, int64_t base, size_t n);
/* Up to cap (at most DEDUP_PLIST_KEEP) ids under key into out, newest
 * first; how many. */
size_t dedup_plist_get(const dedup_plist *l, uint64_t key, size_t cap,
		       int64_t *out);
/* Hint that key will be read soon: loads its map slot into cache. */
void dedup_plist_prefetch(const dedup_plist *l, uint64_t key);
/* Hint that key's ids will be read soon: loads its chunk (reads its map
 * slot, which dedup_plist_prefetch should have asked for). */
void dedup_plist_prefetch_chunk(const dedup_plist *l, uint64_t key);
void dedup_plist_free(dedup_plist *l);
/* Empty l, keeping its memory for what is filed next. */
void dedup_plist_clear(dedup_plist *l);
/* Make room in l for the keys and ids like holds, so that filling l as
 * like was filled allocates nothing (when memory is short it stays as
 * it was: it then grows as it fills). */
void dedup_plist_reserve(dedup_plist *l, const dedup_plist *like);
size_t dedup_plist_bytes(const dedup_plist *l);

/* The store's band and anchor keys of recent docs (recent.c): lookups
 * from memory over the newest DEDUP_RECENT_GEN to 2 x DEDUP_RECENT_GEN
 * docs, one dedup_keyset row appended per doc (at most
 * DEDUP_RECENT_MAXKEYS keys; more is CHR_EINVAL).  Both run inside the
 * open transaction; on error the memory side is dropped and rebuilt. */
#define DEDUP_RECENT_GEN 65536
#define DEDUP_RECENT_MAXKEYS (DEDUP_BANDS + DEDUP_ANCHOR_MAX)
extern size_t dedup_recent_gen; /* DEDUP_RECENT_GEN; tests lower it */
chr_status dedup_recent_postings(chr_db *db, uint64_t key, size_t cap,
				 int64_t *out, size_t *n);
/* dedup_plist_prefetch for each of the n keys in both generations. */
chr_status dedup_recent_prefetch(chr_db *db, const uint64_t *keys, size_t n);
chr_status dedup_recent_put(chr_db *db, int64_t doc,
			    const uint64_t *keys, size_t nkeys,
			    const unsigned char *blob, size_t len);
/* The dedup_keyset blob of nkeys (<= DEDUP_RECENT_MAXKEYS) keys into
 * blob (8 x nkeys bytes): 8 bytes a key, most significant first, sorted,
 * distinct; its length.  dedup_recent_put's blob. */
size_t dedup_keys_blob(const uint64_t *keys, size_t nkeys,
		       unsigned char *blob);
/* Bring the lists up to date with other connections' commits; once per
 * article, inside its transaction, before the lookups above. */
chr_status dedup_recent_sync(chr_db *db);

/* A filter of paragraph hashes (parafilt.c): dedup_pfilt_may is 0 only
 * for a hash never added.  Sized for `hashes` at 16 bits each, at most
 * DEDUP_PFILT_MAX_BYTES; _full once it holds more than that and could
 * be made bigger.  The caller owns it (dedup_pfilt_free). */
#define DEDUP_PFILT_MAX_BYTES ((size_t)64 << 20)
typedef struct dedup_pfilt dedup_pfilt;
dedup_pfilt *dedup_pfilt_new(size_t hashes);
void dedup_pfilt_free(dedup_pfilt *f);
void dedup_pfilt_add(dedup_pfilt *f, uint64_t h);
int dedup_pfilt_may(const dedup_pfilt *f, uint64_t h);
int dedup_pfilt_full(const dedup_pfilt *f);
size_t dedup_pfilt_count(const dedup_pfilt *f);

/* The store's paragraph hashes, filtered (recent.c, kept with the lists
 * above): may[i] = 0 only when no dedup_paras row (in either table) has
 * hash h[i]; 1 means it may (then ask the table).  The filter is built from the tables once the
 * handle has asked DEDUP_PFILT_AFTER hashes (till then every answer is
 * 1: a small run on a big store does not pay for a scan it would not
 * win back), and again when another connection has stored docs or it
 * is full (without memory for it, later).  dedup_recent_paras_put
 * files the hashes of rows just written.  Inside the open transaction, as the lookups above. */
#define DEDUP_PFILT_AFTER 65536
extern size_t dedup_pfilt_after; /* DEDUP_PFILT_AFTER; tests lower it */
chr_status dedup_recent_paras_may(chr_db *db, const uint64_t *h, size_t n,
				  unsigned char *may);
chr_status dedup_recent_paras_put(chr_db *db, const uint64_t *h, size_t n);
/* Rows the handle's last filter build read (0 before one; tests). */
size_t dedup_recent_paras_scanned(chr_db *db);

/* The store's dedup_docs rows in memory (doccache.c), kept with the
 * lists above: dedup_recent_docs gives the db's cache, made on use and
 * emptied when another connection has committed since (version: PRAGMA
 * data_version, db->ents_version), or NULL (outside a transaction, out
 * of memory: then read the table). */
typedef struct dedup_docs dedup_docs;
dedup_docs *dedup_recent_docs(chr_db *db);
dedup_docs *dedup_docs_new(int64_t version);
void dedup_docs_free(dedup_docs *c);
/* Empty the cache unless it holds the rows of this data version. */
void dedup_docs_check(dedup_docs *c, int64_t version);
/* Doc id's row as d_get_doc reads it (with want_set, d->set borrowed
 * until the next put): 1; 0 when not cached. */
int dedup_docs_get(const dedup_docs *c, int64_t id, int want_set,
		   dedup_doc *d);
/* Hint that the rows of the n ids (n <= DEDUP_VERIFY_MAX) will be read
 * with their sets: their map slots, rows and the start of their sets are
 * loaded in three passes, so that the misses overlap. */
void dedup_docs_prefetch(const dedup_docs *c, const int64_t *ids, size_t n);
/* The row just written (or read) for d->id, with its set; never fails
 * (without room the cache is emptied). */
void dedup_docs_put(dedup_docs *c, const dedup_doc *d, const uint32_t *set,
		    size_t nset);
/* Every cached row of group from now in group into. */
void dedup_docs_regroup(dedup_docs *c, int64_t from, int64_t into);

typedef struct dedup_mem dedup_mem;
dedup_mem *dedup_mem_new(void);
void dedup_mem_free(dedup_mem *m);
extern const dedup_ops dedup_mem_ops;
/* Group id of doc id, or -1. */
int64_t dedup_mem_group(dedup_mem *m, int64_t id);
int64_t dedup_mem_original(dedup_mem *m, int64_t gid);
/* Bytes held by the index. */
size_t dedup_mem_bytes(const dedup_mem *m);

/* The ingest hook (dbidx.c): dedup one just-stored article inside the
 * open transaction, from the features dedup_prep_run left in it
 * (CHR_EINVAL when there are none). */
struct chr_article;
chr_status dedup_article(chr_db *db, struct chr_article *a);
/* Pipeline stage: a->ddfeat, the features of a's text, computed on the
 * ingest text thread so dedup_article (store thread) only looks them up;
 * owned by the article (dedup_feat_release). */
chr_status dedup_prep_run(struct chr_article *a);
/* Free a feature struct made by dedup_prep_run (NULL is fine). */
void dedup_feat_release(dedup_feat *f);
/* dedup_add against the store's index (benchmarks, tests). */
chr_status dedup_db_add(chr_db *db, dedup_doc *d, const dedup_feat *f,
			int64_t *gid, dedup_stats *stats);

#endif
