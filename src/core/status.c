/*
 * status: chr_strerror and friends.  The table is indexed by the enum, so
 * adding a status means adding one line here and one in chronicle.h.
 */
#include <stdlib.h>
#include "chronicle.h"

static const char *const messages[CHR_STATUS_COUNT] = {
	[CHR_OK] = "ok",
	[CHR_ENOMEM] = "out of memory",
	[CHR_EIO] = "input/output error",
	[CHR_EINVAL] = "invalid argument",
	[CHR_EPARSE] = "malformed input",
	[CHR_EENCODING] = "invalid UTF-8",
	[CHR_EBINARY] = "binary data, not text",
	[CHR_EEMPTY] = "empty input",
	[CHR_ETOOBIG] = "over the size limit",
	[CHR_EDB] = "database error",
	[CHR_ENOTFOUND] = "not found",
	[CHR_EQUERY] = "malformed query",
	[CHR_EMODEL] = "missing or corrupt model",
	[CHR_EDUPLICATE] = "already stored",
	[CHR_ELIMIT] = "structural limit reached",
	[CHR_EINTERRUPTED] = "interrupted",
	[CHR_ESCHEMA] = "database schema is newer than this chronicle",
};

const char *chr_strerror(chr_status st)
{
	if ((unsigned)st >= CHR_STATUS_COUNT || !messages[st])
		return "unknown status";
	return messages[st];
}

const char *chr_version(void)
{
	return CHR_VERSION;
}

void chr_free(void *p)
{
	free(p);
}

#include <stdarg.h>
#include <stdio.h>
#include "lasterr.h"

static _Thread_local char last_error[512];

void chr_set_last_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(last_error, sizeof last_error, fmt, ap);
	va_end(ap);
}

const char *chr_last_error(void)
{
	return last_error;
}
