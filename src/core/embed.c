/*
 * embed: lookup of compiled-in data files (see embed.h).  A linear scan:
 * there are a handful of files and each is looked up once.
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
