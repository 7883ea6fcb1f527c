/*
 * embed: lookup of compiled-in data files (see embed.h).  A linear scan:
 * there are a handful of files and each is looked up once.  Also the one
 * line reader the table loaders share.
 */
#include "embed.h"

#include <string.h>

const char *embed_get(const char *name, size_t *len)
{
	for (const embed_file *f = embed_files; f->name; f++)
		if (!strcmp(f->name, name)) {
			if (len)
				*len = f->len;
			return (const char *)f->data;
		}
	if (len)
		*len = 0;
	return NULL;
}

int embed_next_line(const char **p, const char *end, const char **s,
		    size_t *n)
{
	while (*p < end) {
		const char *b = *p;
		const char *e = memchr(b, '\n', (size_t)(end - b));
		if (!e)
			e = end;
		*p = e < end ? e + 1 : end;
		if (e > b && e[-1] == '\r')
			e--;
		if (e == b || *b == '#')
			continue;
		*s = b;
		*n = (size_t)(e - b);
		return 1;
	}
	return 0;
}
