/*
 * table: fixed-width cells for the listing commands.  Width is counted
 * in code points (close enough for news text), cutting only at code-point
 * boundaries and never inside a UTF-8 sequence; newlines become spaces.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

void cli_cell(FILE *out, const char *s, int width)
{
	if (!s)
		s = "-";
	int cols = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p && cols < width) {
		size_t len = 1;
		if (*p >= 0xF0)
			len = 4;
		else if (*p >= 0xE0)
			len = 3;
		else if (*p >= 0xC0)
			len = 2;
		if (strnlen((const char *)p, len) < len)
			break;
		if (cols == width - 1 && strlen((const char *)p) > len) {
			fputs("…", out);
			cols++;
			p += strlen((const char *)p);
			break;
		}
		if (*p == '\n' || *p == '\t' || *p == '\r')
			fputc(' ', out);
		else
			fwrite(p, 1, len, out);
		p += len;
		cols++;
	}
	for (; cols < width; cols++)
		fputc(' ', out);
}
