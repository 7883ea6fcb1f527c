/*
 * profile: per-stage timing counters (see profile.h).  At most
 * PROF_MAX stages; names are compared by pointer first, then by content.
 */
#include "profile.h"

#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "chronicle.h"

#define PROF_MAX 32

static atomic_int g_on;
static atomic_uint_fast64_t g_ns[PROF_MAX];
static atomic_uint_fast64_t g_calls[PROF_MAX];
static const char *_Atomic g_names[PROF_MAX];

int prof_on(void)
{
	return atomic_load_explicit(&g_on, memory_order_relaxed);
}

uint64_t prof_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void prof_add(const char *name, uint64_t ns)
{
	for (int i = 0; i < PROF_MAX; i++) {
		const char *n = atomic_load(&g_names[i]);
		if (!n) {
			const char *expect = NULL;
			if (atomic_compare_exchange_strong(&g_names[i], &expect, name))
				n = name;
			else
				n = expect;
		}
		if (n == name || strcmp(n, name) == 0) {
			atomic_fetch_add(&g_ns[i], ns);
			atomic_fetch_add(&g_calls[i], 1);
			return;
		}
	}
}

void prof_lap(const char *name, uint64_t *t)
{
	if (!prof_on())
		return;
	uint64_t now = prof_now();
	prof_add(name, now - *t);
	*t = now;
}

void chr_profile_enable(int on)
{
	atomic_store(&g_on, on ? 1 : 0);
}

void chr_profile_reset(void)
{
	for (int i = 0; i < PROF_MAX; i++) {
		atomic_store(&g_ns[i], 0);
		atomic_store(&g_calls[i], 0);
	}
}

size_t chr_profile_count(void)
{
	size_t n = 0;
	while (n < PROF_MAX && atomic_load(&g_names[n]))
		n++;
	return n;
}

const char *chr_profile_name(size_t i)
{
	return i < PROF_MAX ? atomic_load(&g_names[i]) : NULL;
}

double chr_profile_seconds(size_t i)
{
	return i < PROF_MAX ? (double)atomic_load(&g_ns[i]) / 1e9 : 0;
}
