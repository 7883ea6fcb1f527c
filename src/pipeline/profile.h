/*
 * profile: optional per-stage timing for benchmarks.
 *
 * Design note: timing must cost nothing when off (one relaxed atomic load
 * per stage) and be safe with the ingest worker thread, so counters are
 * atomics keyed by a fixed set of stage names registered on first use.
 * Internal prefix: prof_.
 */
#ifndef CHR_PROFILE_H
#define CHR_PROFILE_H

#include <stdint.h>

int prof_on(void);
uint64_t prof_now(void); /* monotonic nanoseconds */
/* Add ns to the named stage (name must be a static string). */
void prof_add(const char *name, uint64_t ns);
/* For stages timed one after another: add the time since *t to name
 * and restart *t at now (when profiling is off, nothing). */
void prof_lap(const char *name, uint64_t *t);

#endif
