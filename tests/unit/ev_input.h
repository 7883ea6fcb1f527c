/*
 * ev_input.h: the one helper test_events.c and test_events_doc.c share,
 * an ev_input over invented text.
 *
 * Design note: a header of one static function rather than a library,
 * so each test stays a single C file with a tiny harness.
 */
#ifndef CHR_TEST_EV_INPUT_H
#define CHR_TEST_EV_INPUT_H

#include <string.h>

#include "events/events.h"

/* in over the given strings (borrowed); no entities, dates or group. */
static void input(ev_input *in, const char *id, const char *head,
		  const char *text, const char *date)
{
	memset(in, 0, sizeof *in);
	in->id = id;
	in->headline = head;
	in->text = text;
	in->text_len = strlen(text);
	in->published = date;
	in->group = -1;
}

#endif
