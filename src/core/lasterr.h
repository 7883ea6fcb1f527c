/*
 * lasterr: a thread-local "why" for failures that have no handle.
 * Internal; the public reader is chr_last_error().
 */
#ifndef CHR_LASTERR_H
#define CHR_LASTERR_H

void chr_set_last_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
