/*
 * ner_lex: tag sets, word hashing, shapes and the model's lookup tables.
 *
 * Design note: tags are small integers, O = 0, then per type either B,I
 * (BIO) or B,I,L,U (BILOU) in type order.  Words are hashed with XXH3 and a
 * fixed seed (not the process seed), because the hashes are stored in the
 * model file.  XXH3's output is frozen (since 0.8.0), so the word hash
 * is XXH3 compiled into this file (XXH_INLINE_ALL): the same value as
 * core/hash.c's hash_stable gives through the library, without two calls
 * per hash (a dozen for each new word; most are a few bytes long).
 * Lookups are open addressing with linear probing over tables
 * whose size is a power of two; key 0 marks an empty slot.
 */
#include "entities/ner.h"

#include <string.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

#define NER_HASH_SEED 0x6e65722d63687231ull /* "ner-chr1" */

const char *const ner_type_names[NER_NTYPES + 1] = {"O", "PER", "LOC",
						     "ORG", "MISC"};

static int parts_per_type(int scheme)
{
	return scheme == NER_SCHEME_BILOU ? 4 : 2;
}

int ner_tag_type(int scheme, int t)
{
	if (t <= 0)
		return 0;
	return (t - 1) / parts_per_type(scheme) + 1;
}

char ner_tag_part(int scheme, int t)
{
	if (t <= 0)
		return 'O';
	return "BILU"[(t - 1) % parts_per_type(scheme)];
}

int ner_tag_make(int scheme, char part, int type)
{
	if (part == 'O' || type <= 0)
		return 0;
	int k = part == 'B' ? 0 : part == 'I' ? 1 : part == 'L' ? 2 : 3;
	if (scheme != NER_SCHEME_BILOU) {
		if (k == 2)
			k = 1;
		if (k == 3)
			k = 0;
	}
	return 1 + (type - 1) * parts_per_type(scheme) + k;
}

int ner_tag_valid(int scheme, int prev, int cur)
{
	char pp = prev < 0 ? 'O' : ner_tag_part(scheme, prev);
	char cp = ner_tag_part(scheme, cur);
	int pt = prev < 0 ? 0 : ner_tag_type(scheme, prev);
	int ct = ner_tag_type(scheme, cur);
	if (scheme == NER_SCHEME_BILOU) {
		int open = pp == 'B' || pp == 'I';
		if (open)
			return (cp == 'I' || cp == 'L') && pt == ct;
		return cp == 'O' || cp == 'B' || cp == 'U';
	}
	if (cp == 'I')
		return (pp == 'B' || pp == 'I') && pt == ct;
	return 1;
}

int ner_tag_final_ok(int scheme, int t)
{
	if (scheme != NER_SCHEME_BILOU)
		return 1;
	char p = ner_tag_part(scheme, t);
	return p == 'O' || p == 'L' || p == 'U';
}

void ner_encode(int scheme, const uint8_t *types, const uint8_t *begins,
		size_t n, uint8_t *out)
{
	for (size_t i = 0; i < n; i++) {
		int t = types[i];
		if (!t) {
			out[i] = 0;
			continue;
		}
		int first = begins[i] || i == 0 || types[i - 1] != t;
		int last = i + 1 == n || types[i + 1] != t || begins[i + 1];
		char part;
		if (scheme == NER_SCHEME_BILOU)
			part = first && last ? 'U' : first ? 'B' : last ? 'L' : 'I';
		else
			part = first ? 'B' : 'I';
		out[i] = (uint8_t)ner_tag_make(scheme, part, t);
	}
}

void ner_to_iob2(int scheme, const uint8_t *tags, size_t n, uint8_t *out)
{
	int prev_type = 0;
	char prev_part = 'O';
	for (size_t i = 0; i < n; i++) {
		int t = ner_tag_type(scheme, tags[i]);
		char p = ner_tag_part(scheme, tags[i]);
		if (!t) {
			out[i] = 0;
		} else {
			int begin = p == 'B' || p == 'U' || t != prev_type ||
				    prev_part == 'L' || prev_part == 'U' ||
				    prev_part == 'O';
			out[i] = (uint8_t)(begin ? 2 * t - 1 : 2 * t);
		}
		prev_type = t;
		prev_part = p;
	}
}

uint64_t ner_hash_word(const char *s, size_t n)
{
	uint64_t h = XXH3_64bits_withSeed(s, n, NER_HASH_SEED);
	return h ? h : 1;
}

size_t ner_lower(const char *s, size_t n, char *out)
{
	if (n > NER_MAXWORD)
		n = NER_MAXWORD;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		out[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	return n;
}

static char shape_class(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return 'X';
	if (c >= 'a' && c <= 'z')
		return 'x';
	if (c >= '0' && c <= '9')
		return 'd';
	if (c >= 0x80)
		return 'u';
	return (char)c;
}

size_t ner_shape(const char *s, size_t n, char *out, int collapse)
{
	size_t k = 0;
	char last = 0;
	int run = 0;
	for (size_t i = 0; i < n && k < NER_MAXWORD; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x80 && (c & 0xC0) == 0x80)
			continue; /* UTF-8 continuation byte */
		char cl = shape_class(c);
		if (cl == last) {
			run++;
			/* collapse: one per run; otherwise at most 2 per run */
			if (collapse || run >= 2)
				continue;
		} else {
			run = 0;
		}
		out[k++] = cl;
		last = cl;
	}
	return k;
}

const ner_lexent *ner_lex_find(const ner_model *m, uint64_t key)
{
	if (!m->lex)
		return NULL;
	size_t mask = ((size_t)1 << m->lex_bits) - 1;
	size_t i = (size_t)key & mask;
	for (size_t probes = 0; probes <= mask; probes++) {
		const ner_lexent *e = &m->lex[i];
		if (e->key == key)
			return e;
		if (!e->key)
			return NULL;
		i = (i + 1) & mask;
	}
	return NULL;
}

uint32_t ner_gaz_find(const ner_model *m, uint64_t key)
{
	if (!m->gaz)
		return 0;
	size_t mask = ((size_t)1 << m->gaz_bits) - 1;
	uint64_t k = NER_GAZ_KEY(key);
	size_t i = (size_t)(ner_gaz_slot(m, key) - m->gaz);
	for (size_t probes = 0; probes <= mask; probes++) {
		ner_gazent e = m->gaz[i];
		if ((e & ~NER_GAZ_MASKALL) == k)
			return (uint32_t)(e & NER_GAZ_MASKALL);
		if (!e)
			return 0;
		i = (i + 1) & mask;
	}
	return 0;
}
