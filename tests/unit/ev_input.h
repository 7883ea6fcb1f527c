/*
 * ev_input.h: the helpers the events tests share: an ev_input over
 * invented text and the model to score with.
 *
 * Design note: a header of one static function rather than a library,
 * so each test stays a single C file with a tiny harness.
 */
#ifndef CHR_TEST_EV_INPUT_H
#define CHR_TEST_EV_INPUT_H

#include <string.h>

#include "events/events.h"

/* in over the given strings (borrowed); no entities, dates or group. */
static inline void input(ev_input *in, const char *id, const char *head,
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

/* The committed models/events.txt when readable, else the built-in
 * copy. */
static inline ev_model ev_test_model(void)
{
	ev_model m;
	char err[256];
	if (ev_model_load(&m, "models/events.txt", err, sizeof err))
		ev_model_default(&m);
	return m;
}

#endif
