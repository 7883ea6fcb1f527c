/*
 * parafilt: a filter of the paragraph hashes the store holds, so that a
 * paragraph seen nowhere before costs no lookup (see dedup.h).
 *
 * Design note: every stored article asks the dedup_paras tables for the
 * docs of each of its paragraphs, and most paragraphs are new: on a
 * synthetic store of 984k articles, 2.6 M of the main table's 3.7 M rows
 * are the only row of their hash.  At that size each ask is a few page
 * reads outside SQLite's cache, and the asks grew to 7 % of the store
 * thread's time.  A Bloom filter answers "surely not stored" from
 * memory.  It is blocked: the four bits of a hash lie in one 64-byte
 * block (the block from the hash's topmost bits, the bits from its low
 * 36), so a test is one cache miss, and a build from the table, which
 * reads the hashes in order, fills the blocks in order too (twice:
 * SQLite orders them as signed).  With the
 * block from bits 40 up, the build swept the whole filter 64 times: in
 * a fresh process on a store of 984k articles (4.3 M hashes) its adds
 * took ~0.6 s, now ~0.15 s, most of it the kernel zeroing the new
 * filter's pages (perf; RESULTS.md "1M (session 17").  At 16 bits a
 * hash it answers "maybe" for a few in a thousand absent hashes, which
 * then cost the lookup they cost before; it never answers "no" for a
 * stored hash, so the postings read are the same.  Hashes are
 * XXH3 values already (shingle.c), so they are used as they are.  The
 * filter only ever gains bits; past the count it was sized for it says
 * so (dedup_pfilt_full) and the owner builds a bigger one from the
 * table (recent.c), up to DEDUP_PFILT_MAX_BYTES, beyond which it keeps
 * filling and only answers "maybe" more often.
 * Internal prefix: dedup_pfilt_.
 */
#include "dedup.h"

#include <stdlib.h>
#include <string.h>

#define BLOCK_WORDS 8 /* 512 bits, one cache line */
#define BITS_PER_HASH 16
#define MIN_BLOCKS 1024 /* 64 kB */

struct dedup_pfilt {
	uint64_t *w;     /* nblocks x BLOCK_WORDS words */
	size_t nblocks;  /* a power of two, 2^(64 - shift) */
	unsigned shift;
	size_t n, sized; /* hashes added; hashes it was sized for */
};

dedup_pfilt *dedup_pfilt_new(size_t hashes)
{
	size_t max = DEDUP_PFILT_MAX_BYTES / (BLOCK_WORDS * 8);
	size_t nb = MIN_BLOCKS;
	while (nb < max && nb * BLOCK_WORDS * 64 < hashes * BITS_PER_HASH)
		nb *= 2;
	dedup_pfilt *f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	f->w = calloc(nb * BLOCK_WORDS, sizeof *f->w);
	if (!f->w) {
		free(f);
		return NULL;
	}
	f->nblocks = nb;
	f->shift = 64 - (unsigned)__builtin_ctzll(nb); /* nb: a power of two */
	f->sized = nb * BLOCK_WORDS * 64 / BITS_PER_HASH;
	return f;
}

void dedup_pfilt_free(dedup_pfilt *f)
{
	if (!f)
		return;
	free(f->w);
	free(f);
}

static uint64_t *block_of(const dedup_pfilt *f, uint64_t h)
{
	return f->w + (h >> f->shift) * BLOCK_WORDS;
}

void dedup_pfilt_add(dedup_pfilt *f, uint64_t h)
{
	uint64_t *b = block_of(f, h);
	for (int i = 0; i < 4; i++) {
		unsigned bit = (unsigned)(h >> (9 * i)) & 511;
		b[bit >> 6] |= (uint64_t)1 << (bit & 63);
	}
	f->n++;
}

int dedup_pfilt_may(const dedup_pfilt *f, uint64_t h)
{
	const uint64_t *b = block_of(f, h);
	for (int i = 0; i < 4; i++) {
		unsigned bit = (unsigned)(h >> (9 * i)) & 511;
		if (!(b[bit >> 6] >> (bit & 63) & 1))
			return 0;
	}
	return 1;
}

int dedup_pfilt_full(const dedup_pfilt *f)
{
	return f->n > f->sized &&
	       f->nblocks * BLOCK_WORDS * 8 < DEDUP_PFILT_MAX_BYTES;
}

size_t dedup_pfilt_count(const dedup_pfilt *f)
{
	return f->n;
}
