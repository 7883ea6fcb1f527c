/*
 * test_core: the building blocks (buf, arena, hash map, UTF-8, JSON
 * writer).  Each ceiling and each refusal is checked, not only the happy
 * path, because the rest of chronicle relies on them failing cleanly.
 */
#include "harness.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/hash.h"
#include "core/jsonw.h"
#include "core/utf8.h"

static void buf_ceiling(void)
{
	buf b;
	buf_init(&b, 8);
	CHECK_INT(buf_puts(&b, "12345678"), CHR_OK);
	CHECK_INT(buf_putc(&b, 'x'), CHR_ETOOBIG);
	CHECK_STR(b.p, "12345678"); /* a refused append leaves the content */
	buf_reset(&b);
	CHECK_INT(buf_printf(&b, "%d-%s", 42, "ok"), CHR_OK);
	CHECK_STR(b.p, "42-ok");
	CHECK_INT(buf_printf(&b, "%s", "too long"), CHR_ETOOBIG);
	size_t n;
	char *p = buf_detach(&b, &n);
	CHECK_STR(p, "42-ok");
	CHECK_INT(n, 5);
	free(p);
	CHECK(b.p == NULL);
	buf_free(&b);
}

static void buf_growth(void)
{
	buf b;
	buf_init(&b, 0);
	for (int i = 0; i < 100000; i++)
		CHECK_INT(buf_putc(&b, 'a' + i % 26), CHR_OK);
	CHECK_INT(b.len, 100000);
	CHECK(b.p[99999] == 'a' + 99999 % 26 && b.p[100000] == '\0');
	buf_free(&b);
}

static void arena_basics(void)
{
	arena a;
	arena_init(&a, 0);
	char *s = arena_strdup(&a, "hello");
	CHECK_STR(s, "hello");
	void *big = arena_alloc(&a, 1 << 20); /* larger than a block */
	CHECK(big != NULL);
	int *z = arena_calloc(&a, 100, sizeof *z);
	CHECK(z && z[0] == 0 && z[99] == 0);
	CHECK(((uintptr_t)z & 15) == 0);
	arena_reset(&a);
	CHECK_INT(a.used, 0);
	CHECK(arena_strdup(&a, "again") != NULL);
	arena_free(&a);

	/* many small requests across blocks: aligned, disjoint, counted;
	 * a zero-byte request still gets 16 bytes */
	arena_init(&a, 0);
	enum { NSMALL = 10000 };
	static unsigned char *ps[NSMALL];
	int ok = 1;
	for (int i = 0; i < NSMALL; i++) {
		ps[i] = arena_alloc(&a, (size_t)(i % 40));
		if (!ps[i] || ((uintptr_t)ps[i] & 15))
			ok = 0;
		else
			memset(ps[i], i & 255, (size_t)(i % 40));
	}
	size_t want = 0;
	for (int i = 0; i < NSMALL; i++) {
		size_t n = (size_t)(i % 40);
		want += n ? (n + 15) & ~(size_t)15 : 16;
		for (size_t k = 0; ok && k < n; k++)
			if (ps[i][k] != (i & 255))
				ok = 0;
	}
	CHECK(ok);
	CHECK_INT(a.used, want);
	CHECK(arena_alloc(&a, SIZE_MAX - 3) == NULL); /* wraps: refused */
	arena_free(&a);

	arena_init(&a, 1000);
	CHECK(arena_alloc(&a, 900) != NULL);
	CHECK(arena_alloc(&a, 200) == NULL); /* over the ceiling */
	CHECK(arena_calloc(&a, SIZE_MAX / 2, 4) == NULL); /* overflow */
	arena_free(&a);
}

/* The blocks an arena holds now: their count and bytes (head and
 * spare lists). */
static size_t block_list(const arena_block *b, size_t *bytes)
{
	size_t n = 0;
	for (; b; b = b->next) {
		n++;
		*bytes += b->size;
	}
	return n;
}

static size_t arena_blocks(const arena *a, size_t *bytes)
{
	*bytes = 0;
	return block_list(a->head, bytes) + block_list(a->spare, bytes);
}

/* A small arena holds little: blocks start small and double, so the
 * blocks are never much more than twice what was handed out; they stop
 * doubling at 64 KiB; a reset keeps them all, and the same requests
 * again take no new block. */
static void arena_growth(void)
{
	arena a;
	arena_init(&a, 0);
	CHECK(arena_strdup(&a, "a short article") != NULL);
	size_t bytes, n = arena_blocks(&a, &bytes);
	CHECK_INT(n, 1);
	CHECK(bytes <= 8 * 1024);
	size_t biggest = 0;
	for (int i = 0; i < 3000; i++) /* 3000 x 112 = 336,000 bytes */
		CHECK(arena_alloc(&a, 100) != NULL);
	for (const arena_block *b = a.head; b; b = b->next)
		if (b->size > biggest)
			biggest = b->size;
	CHECK_INT(biggest, 64 * 1024);
	n = arena_blocks(&a, &bytes);
	CHECK(bytes <= 2 * a.used + 64 * 1024);
	/* one request bigger than the next block gets a block of its own */
	size_t before = n;
	CHECK(arena_alloc(&a, 200 * 1024) != NULL);
	CHECK_INT(arena_blocks(&a, &bytes), before + 1);
	arena_reset(&a);
	n = arena_blocks(&a, &bytes); /* the big block was let go */
	CHECK_INT(n, before);
	CHECK(arena_strdup(&a, "a short article") != NULL);
	for (int i = 0; i < 3000; i++)
		CHECK(arena_alloc(&a, 100) != NULL);
	size_t again;
	CHECK_INT(arena_blocks(&a, &again), before);
	CHECK_INT(again, bytes);
	/* after a reset, a first request bigger than the smallest kept
	 * block takes a bigger kept block, not a new one */
	arena_reset(&a);
	CHECK(arena_alloc(&a, 6000) != NULL);
	CHECK(arena_alloc(&a, 20000) != NULL);
	CHECK_INT(arena_blocks(&a, &again), before);
	arena_free(&a);
}

static void hash_map(void)
{
	hash_set_seed(1234);
	ht t;
	ht_init(&t, 0);
	static char keys[5000][16];
	for (int i = 0; i < 5000; i++) {
		snprintf(keys[i], sizeof keys[i], "k%d", i);
		int created = 0;
		ht_entry *e = ht_put(&t, keys[i], strlen(keys[i]), &created);
		CHECK(e && created);
		if (e)
			e->v.num = i;
	}
	CHECK_INT(t.count, 5000);
	int created = 1;
	ht_entry *e = ht_put(&t, "k77", 3, &created);
	CHECK(e && !created && e->v.num == 77);
	e = ht_get(&t, "k4999", 5);
	CHECK(e && e->v.num == 4999);
	CHECK(ht_get(&t, "k5000", 5) == NULL);
	CHECK(ht_get(&t, "", 0) == NULL);
	/* with the hash given: the same entries; a key put through ht_put_h
	 * is found by ht_get, so both hash it the same way */
	e = ht_get_h(&t, "k123", 4, hash_bytes("k123", 4));
	CHECK(e && e->v.num == 123);
	CHECK(ht_get_h(&t, "k5000", 5, hash_bytes("k5000", 5)) == NULL);
	ht_prefetch(&t, hash_bytes("k5000", 5)); /* a hint: nothing changes */
	e = ht_put_h(&t, "new", 3, hash_bytes("new", 3), &created);
	CHECK(e && created);
	if (e)
		e->v.num = -7;
	e = ht_get(&t, "new", 3);
	CHECK(e && e->v.num == -7);
	CHECK_INT(t.count, 5001);
	ht_free(&t);

	/* reserve: room for n entries up front, no growth while they go in,
	 * the same lookups; a reserve never shrinks, over the ceiling it
	 * stops at the ceiling */
	ht_init(&t, 0);
	CHECK_INT(ht_reserve(&t, 5000), 0);
	size_t cap = t.cap;
	CHECK(cap >= 5000 * 10 / 7 && cap < 2 * 5000 * 10 / 7 + 16);
	for (int i = 0; i < 5000; i++) {
		ht_entry *r = ht_put(&t, keys[i], strlen(keys[i]), NULL);
		if (r)
			r->v.num = i;
	}
	CHECK_INT(t.cap, cap);
	CHECK_INT(t.count, 5000);
	e = ht_get(&t, "k1234", 5);
	CHECK(e && e->v.num == 1234);
	CHECK_INT(ht_reserve(&t, 10), 0);
	CHECK_INT(t.cap, cap);
	CHECK(ht_put(&t, "k5000", 5, NULL) != NULL); /* grows past it */
	ht_free(&t);
	ht_init(&t, 100);
	CHECK_INT(ht_reserve(&t, 1000000), 0);
	CHECK_INT(t.cap, 256);
	ht_free(&t);

	ht_init(&t, 2); /* ceiling */
	CHECK(ht_put(&t, "a", 1, NULL) != NULL);
	CHECK(ht_put(&t, "b", 1, NULL) != NULL);
	CHECK(ht_put(&t, "c", 1, NULL) == NULL);
	CHECK(ht_put(&t, "a", 1, NULL) != NULL); /* existing keys still found */
	ht_free(&t);

	/* the stable hash does not depend on the process seed */
	uint64_t h1 = hash_stable("abc", 3, 7);
	hash_set_seed(99);
	CHECK(hash_stable("abc", 3, 7) == h1);
	CHECK(hash_bytes("abc", 3) != hash_stable("abc", 3, 1234) ||
	      hash_bytes("abc", 3) == hash_stable("abc", 3, 99));
}

static void utf8_validation(void)
{
	const unsigned char ok[] = "plain caf\xc3\xa9 \xe2\x80\x9cq\xe2\x80\x9d \xf0\x9f\x98\x80";
	CHECK_INT(u8_invalid_at(ok, sizeof ok - 1), sizeof ok - 1);
	const unsigned char lat[] = "caf\xe9!";
	CHECK_INT(u8_invalid_at(lat, 5), 3);
	const unsigned char overlong[] = "a\xc0\xafz";
	CHECK_INT(u8_invalid_at(overlong, 4), 1);
	const unsigned char surrogate[] = "\xed\xa0\x80";
	CHECK_INT(u8_invalid_at(surrogate, 3), 0);
	const unsigned char toobig[] = "\xf4\x90\x80\x80";
	CHECK_INT(u8_invalid_at(toobig, 4), 0);
	const unsigned char cut[] = "ab\xe2\x80";
	CHECK_INT(u8_invalid_at(cut, 4), 2);
	CHECK(u8_is_ascii((const unsigned char *)"abc", 3));
	CHECK(!u8_is_ascii(ok, sizeof ok - 1));
	/* the ASCII run is read eight bytes at a time: a bad byte, a good
	 * sequence and a cut sequence at every offset and length around
	 * the word size are still found where they are */
	unsigned char t[40];
	for (size_t len = 1; len <= sizeof t; len++)
		for (size_t at = 0; at < len; at++) {
			memset(t, 'a', sizeof t);
			t[at] = 0xE9; /* Latin-1 e-acute: invalid */
			CHECK_INT(u8_invalid_at(t, len), at);
			if (at + 1 < len) {
				t[at] = 0xC3; /* U+00E9 as UTF-8 */
				t[at + 1] = 0xA9;
				CHECK_INT(u8_invalid_at(t, len), len);
			}
			t[at] = 0xE2; /* a three-byte sequence cut short */
			if (at + 1 < len)
				t[at + 1] = 0x80;
			CHECK_INT(u8_invalid_at(t, at + 2 < len ? at + 2 : len), at);
		}
}

static void utf8_binary(void)
{
	const unsigned char nul[] = "text\0more";
	CHECK_INT(u8_binary_at(nul, 9), 4);
	const unsigned char text[] = "line one\r\n\tline two\f";
	CHECK_INT(u8_binary_at(text, sizeof text - 1), sizeof text - 1);
	unsigned char ctl[256];
	for (int i = 0; i < 256; i++)
		ctl[i] = (unsigned char)(i % 2 ? 0x01 : 'a');
	CHECK(u8_binary_at(ctl, 256) < 256);
}

static void utf8_cp1252_nfc(void)
{
	buf b;
	buf_init(&b, 0);
	const unsigned char in[] = "\x93quoted\x94 caf\xe9 \x80";
	CHECK_INT(u8_from_cp1252(&b, in, sizeof in - 1), CHR_OK);
	CHECK_STR(b.p, "\xe2\x80\x9cquoted\xe2\x80\x9d caf\xc3\xa9 \xe2\x82\xac");
	buf_reset(&b);
	/* e + combining acute -> precomposed e-acute */
	const unsigned char dec[] = "cafe\xcc\x81";
	CHECK_INT(u8_nfc(&b, dec, sizeof dec - 1), CHR_OK);
	CHECK_STR(b.p, "caf\xc3\xa9");
	buf_free(&b);
	char out[4];
	CHECK_INT(u8_encode(0x1F600, out), 4);
	uint32_t cp;
	CHECK_INT(u8_decode((const unsigned char *)out, 4, &cp), 4);
	CHECK_INT(cp, 0x1F600);
}

static void json_writer(void)
{
	buf b;
	buf_init(&b, 0);
	jw w;
	jw_init(&w, &b);
	jw_obj(&w);
	jw_kstr(&w, "s", "a\"b\\c\n\x01\xe2\x80\xa8");
	jw_kint(&w, "n", -5);
	jw_key(&w, "arr");
	jw_arr(&w);
	jw_str(&w, NULL);
	jw_bool(&w, 1);
	jw_num(&w, 0.5);
	jw_obj(&w);
	jw_obj_end(&w);
	jw_arr_end(&w);
	jw_obj_end(&w);
	CHECK_INT(w.st, CHR_OK);
	CHECK_STR(b.p, "{\"s\":\"a\\\"b\\\\c\\n\\u0001\\u2028\",\"n\":-5,"
		       "\"arr\":[null,true,0.5,{}]}");
	buf_free(&b);

	buf_init(&b, 10); /* the writer reports a full buffer */
	jw_init(&w, &b);
	jw_str(&w, "this string is too long");
	CHECK_INT(w.st, CHR_ETOOBIG);
	buf_free(&b);
}

/* chr_json_quote: valid JSON from any bytes (the server echoes query
 * strings through it). */
static void json_quote(void)
{
	size_t n;
	char *q = chr_json_quote("a\"b\x01\x7f\xe2\x80\xa9", 8, &n);
	CHECK_STR(q, "\"a\\\"b\\u0001\\u007f\\u2029\"");
	CHECK_INT(n, strlen(q));
	chr_free(q);
	/* a lone continuation byte, a truncated sequence, an overlong form:
	 * each bad byte is U+FFFD and the valid text around it is kept */
	static const char bad[] = "x\x80y\xe2\x82z\xc0\xaf\xc3\xa9";
	q = chr_json_quote(bad, sizeof bad - 1, NULL);
	CHECK_STR(q, "\"x\xef\xbf\xbdy\xef\xbf\xbd\xef\xbf\xbdz"
		     "\xef\xbf\xbd\xef\xbf\xbd\xc3\xa9\"");
	chr_free(q);
	static const char nul[] = "nul\0inside";
	q = chr_json_quote(nul, sizeof nul - 1, NULL); /* the length rules */
	CHECK_STR(q, "\"nul\\u0000inside\"");
	chr_free(q);
	q = chr_json_quote(NULL, 0, &n);
	CHECK_STR(q, "null");
	CHECK_INT(n, 4);
	chr_free(q);
	q = chr_json_quote("", 0, NULL);
	CHECK_STR(q, "\"\"");
	chr_free(q);
}

static void status_strings(void)
{
	CHECK_STR(chr_strerror(CHR_OK), "ok");
	for (int s = 0; s < CHR_STATUS_COUNT; s++)
		CHECK(strcmp(chr_strerror((chr_status)s), "unknown status") != 0);
	CHECK_STR(chr_strerror((chr_status)999), "unknown status");
	CHECK_INT(CHR_ENOMEM, 1); /* never renumbered */
	CHECK_INT(CHR_EQUERY, 11);
}

static const th_test tests[] = {
	TEST(buf_ceiling),    TEST(buf_growth),      TEST(arena_basics),
	TEST(arena_growth),
	TEST(hash_map),       TEST(utf8_validation), TEST(utf8_binary),
	TEST(utf8_cp1252_nfc), TEST(json_writer),    TEST(status_strings),
	TEST(json_quote),
};
TH_MAIN("core", tests)
