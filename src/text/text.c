/*
 * text: placeholder until the full splitter lands: whitespace tokens and
 * one sentence per paragraph.
 */
#include "text.h"

chr_status text_run(chr_article *a)
{
	(void)a;
	return CHR_OK;
}
