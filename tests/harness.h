/*
 * harness: the tiny unit-test harness every tests/unit/test_*.c uses.
 *
 * Design note: tests are plain functions listed in a table; CHECK records a
 * failure with file and line and lets the test go on, so one run shows
 * every broken assertion.  Each test binary ends with the line
 * "N passed, N failed", which tests/run.sh adds up.  Data-driven tests
 * read their cases from tests/data/ (path from the CHR_TEST_DATA
 * environment variable, default "tests/data").
 */
#ifndef CHR_HARNESS_H
#define CHR_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int th_failed_checks;
static const char *th_current;

#define CHECK(cond)                                                        \
	do {                                                               \
		if (!(cond)) {                                             \
			th_failed_checks++;                                \
			fprintf(stderr, "  %s:%d: %s: CHECK(%s) failed\n", \
				__FILE__, __LINE__, th_current, #cond);    \
		}                                                          \
	} while (0)

#define CHECK_STR(got, want)                                               \
	do {                                                               \
		const char *g_ = (got), *w_ = (want);                      \
		if (!(g_ == w_ || (g_ && w_ && strcmp(g_, w_) == 0))) {    \
			th_failed_checks++;                                \
			fprintf(stderr,                                    \
				"  %s:%d: %s: got \"%s\", want \"%s\"\n",  \
				__FILE__, __LINE__, th_current,            \
				g_ ? g_ : "(null)", w_ ? w_ : "(null)");   \
		}                                                          \
	} while (0)

#define CHECK_INT(got, want)                                               \
	do {                                                               \
		long long g_ = (long long)(got), w_ = (long long)(want);   \
		if (g_ != w_) {                                            \
			th_failed_checks++;                                \
			fprintf(stderr, "  %s:%d: %s: %s = %lld, want %lld\n", \
				__FILE__, __LINE__, th_current, #got, g_, w_); \
		}                                                          \
	} while (0)

typedef struct th_test {
	const char *name;
	void (*fn)(void);
} th_test;

#define TEST(fn) { #fn, fn }

/* Skip the rest of a test with a message (counts as passed). */
#define SKIP(msg)                                                          \
	do {                                                               \
		printf("  skip %s: %s\n", th_current, msg);                \
		return;                                                    \
	} while (0)

static inline const char *th_data_dir(void)
{
	const char *d = getenv("CHR_TEST_DATA");
	return d && *d ? d : "tests/data";
}

/* ../shared next to the repo, or $CHR_SHARED; NULL when absent. */
static inline const char *th_shared_dir(void)
{
	const char *d = getenv("CHR_SHARED");
	if (d && *d)
		return d;
	FILE *f = fopen("../shared/PRODUCT.md", "r");
	if (f) {
		fclose(f);
		return "../shared";
	}
	return NULL;
}

/* Remove a test database and its -wal, -shm and -journal files. */
static inline void th_rm_db(const char *path)
{
	const char *sfx[] = { "", "-wal", "-shm", "-journal" };
	char p[1024];
	for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
		snprintf(p, sizeof p, "%s%s", path, sfx[i]);
		remove(p);
	}
}

static inline int th_run(const char *suite, const th_test *tests, size_t n)
{
	int passed = 0, failed = 0;
	for (size_t i = 0; i < n; i++) {
		th_current = tests[i].name;
		int before = th_failed_checks;
		tests[i].fn();
		if (th_failed_checks == before) {
			passed++;
		} else {
			failed++;
			fprintf(stderr, "FAIL %s.%s\n", suite, tests[i].name);
		}
	}
	printf("%s: %d passed, %d failed\n", suite, passed, failed);
	return failed ? 1 : 0;
}

#define TH_MAIN(suite, table)                                              \
	int main(void)                                                     \
	{                                                                  \
		return th_run(suite, table, sizeof table / sizeof table[0]); \
	}

#endif
