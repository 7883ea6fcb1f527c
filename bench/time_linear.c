/*
 * time_linear: does the time tagger stay linear on pathological lines?
 *
 * Design note: the issue asks that a 10 MB line of digits and slashes
 * finish in linear time.  Timing belongs in a benchmark, not in a unit
 * test (tests/unit/test_time.c only checks that such a line is tagged
 * without error), so this program tags one line of 1, 2, 5 and 10 MB
 * of each pattern (digits with slashes, digits with spaces, a date
 * repeated with slashes) and prints CPU seconds, MB/s and the ratio of
 * the 10 MB time to ten times the 1 MB time (1.0 = exactly linear; a
 * quadratic scan would give about 10).  Best of three runs per size.
 *
 * usage: time_linear
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "chronicle.h"

static char pattern_char(int pat, size_t i)
{
	static const char date[] = "12/03/2019 ";
	switch (pat) {
	case 0:
		return (i % 3 == 2) ? '/' : (char)('0' + i % 10);
	case 1:
		return (i % 3 == 2) ? ' ' : (char)('0' + i % 10);
	default:
		return date[i % (sizeof date - 1)];
	}
}

static double tag_seconds(const char *s, size_t n)
{
	double best = 1e30;
	for (int r = 0; r < 3; r++) {
		clock_t t0 = clock();
		chr_timex *v = NULL;
		size_t k = 0;
		if (chr_time_tag(s, n, "2024-01-01", &v, &k) != CHR_OK) {
			fprintf(stderr, "time_linear: tagging failed\n");
			exit(1);
		}
		double sec = (double)(clock() - t0) / CLOCKS_PER_SEC;
		chr_free(v);
		if (sec < best)
			best = sec;
	}
	return best;
}

int main(void)
{
	static const char *const names[] = { "digits and slashes",
					     "digits and spaces",
					     "dates with slashes" };
	static const size_t mb[] = { 1, 2, 5, 10 };
	size_t max = 10u << 20;
	char *s = malloc(max);
	if (!s)
		return 1;
	printf("%-20s %6s %10s %10s\n", "line", "MB", "CPU s", "MB/s");
	for (int pat = 0; pat < 3; pat++) {
		for (size_t i = 0; i < max; i++)
			s[i] = pattern_char(pat, i);
		double t1 = 0, t10 = 0;
		for (size_t j = 0; j < sizeof mb / sizeof mb[0]; j++) {
			double sec = tag_seconds(s, mb[j] << 20);
			printf("%-20s %6zu %10.3f %10.1f\n", names[pat], mb[j], sec,
			       sec > 0 ? (double)mb[j] / sec : 0.0);
			if (mb[j] == 1)
				t1 = sec;
			if (mb[j] == 10)
				t10 = sec;
		}
		printf("%-20s 10 MB time / (10 x 1 MB time) = %.2f\n", names[pat],
		       t1 > 0 ? t10 / (10 * t1) : 0.0);
	}
	free(s);
	return 0;
}
