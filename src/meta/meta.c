/*
 * meta: placeholder until the full meta stage lands: the input date only.
 */
#include "meta.h"

#include <stdio.h>

chr_status meta_run(chr_article *a)
{
	int y, m, d;
	if (a->in_date && sscanf(a->in_date, "%4d-%2d-%2d", &y, &m, &d) == 3)
		art_set_published(a, y, m, d, "input");
	return CHR_OK;
}
