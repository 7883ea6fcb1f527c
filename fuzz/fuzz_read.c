/*
 * fuzz_read: libFuzzer target for the reader and every text stage.
 *
 * The first byte picks the format and the chunk size, so the fuzzer also
 * explores how input is split across chr_reader_feed calls; every JSON
 * line goes through the reader's own parser (src/read/jsonl.c; the corpus
 * has valid and invalid lines for it) and every document the reader
 * emits goes through chr_article_process, i.e. clean, meta and text (and
 * later stages as they are added to the pipeline).
 */
#include <stddef.h>
#include <stdint.h>

#include "chronicle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_doc(void *ctx, const chr_doc *d)
{
	(void)ctx;
	chr_article *a;
	if (chr_article_process(d, &a) == CHR_OK) {
		size_t len;
		char *js = chr_article_json(a, &len);
		chr_free(js);
		chr_article_free(a);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	chr_format fmt = (chr_format)(data[0] % 3);
	size_t chunk = (size_t)(data[0] >> 2) + 1;
	data++;
	size--;
	chr_reader *r;
	if (chr_reader_new("fuzz.txt", fmt, 1 << 16, on_doc, NULL, NULL, &r))
		return 0;
	for (size_t i = 0; i < size; i += chunk)
		chr_reader_feed(r, data + i, size - i < chunk ? size - i : chunk);
	chr_reader_finish(r);
	chr_reader_free(r);
	return 0;
}
