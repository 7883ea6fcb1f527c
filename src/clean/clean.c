/*
 * clean: placeholder until the full cleaner lands: the headline is the
 * first non-empty line (or the input title) and the rest is the body.
 */
#include "clean.h"

#include <string.h>

chr_status clean_run(chr_article *a)
{
	const char *s = a->raw, *end = a->raw + a->raw_len;
	if (a->in_title && *a->in_title) {
		a->headline = a->in_title;
	} else {
		while (s < end && (*s == '\n' || *s == '\r' || *s == ' '))
			s++;
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		if (!nl)
			nl = end;
		a->headline = art_strndup(a, s, (size_t)(nl - s));
		s = nl;
	}
	a->text = art_strndup(a, s, (size_t)(end - s));
	if (!a->headline || !a->text)
		return CHR_ENOMEM;
	a->text_len = strlen(a->text);
	return CHR_OK;
}
