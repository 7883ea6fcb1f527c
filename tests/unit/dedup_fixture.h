/*
 * dedup_fixture.h: the helpers test_dedup.c and test_dedup_store.c
 * share: the dedup features of a text, and a text of pseudo-random
 * words.
 *
 * Design note: a header of static functions, as store_fixture.h is, so
 * each test stays a single C file with the tiny harness.  Both files use
 * both helpers, so neither is left unused in a binary.
 */
#ifndef CHR_TEST_DEDUP_FIXTURE_H
#define CHR_TEST_DEDUP_FIXTURE_H

#include <stdint.h>

#include "harness.h"
#include "dedup/dedup.h"


static void feat(dedup_feat *f, const char *s)
{
	dedup_feat_init(f);
	CHECK(dedup_features(f, s, strlen(s)) == CHR_OK);
}

/* Words w0..w(n-1) from a fixed pseudo-random vocabulary. */
static char *words(uint64_t seed, size_t n)
{
	char *s = malloc(n * 12 + 1);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		k += (size_t)snprintf(s + k, 13, "w%u ", (unsigned)((seed >> 33) % 50000));
	}
	s[k] = 0;
	return s;
}

#endif
