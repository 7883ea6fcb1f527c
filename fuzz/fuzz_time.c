/*
 * fuzz_time: libFuzzer target for the TIMEX3 tagger.
 *
 * Design note: random bytes are tagged against a fixed DCT, and also fed
 * as a TimeML document; every returned span must lie inside the input and
 * come in order.  Crashes, hangs and sanitizer reports are the failures.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chronicle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	chr_timex *v = NULL;
	size_t n = 0;
	if (chr_time_tag((const char *)data, size, "2019-11-21", &v, &n) == CHR_OK) {
		for (size_t i = 0; i < n; i++) {
			if (v[i].start >= v[i].end || v[i].end > size ||
			    (i && v[i].start < v[i - 1].end))
				abort();
		}
		chr_free(v);
	}
	char *out = NULL;
	size_t ol = 0;
	if (chr_time_timeml((const char *)data, size, NULL, &out, &ol) == CHR_OK) {
		if (ol < size)
			abort();
		chr_free(out);
	}
	return 0;
}
