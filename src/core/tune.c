/*
 * tune: chr_tune_exec, the one process-wide setting chronicle's programs
 * ask for (see chronicle.h).
 *
 * Design note: ingest reads its memory at random (SQLite's page cache, the
 * events engine's centroids and postings, dedup's posting lists, hash
 * tables), hundreds of megabytes of it, so with 4 KiB pages most lookups
 * also miss the TLB, and every page of a growing heap is a page fault.
 * Where the kernel's transparent huge pages are in "madvise" mode (the
 * Debian default) only memory marked MADV_HUGEPAGE gets 2 MiB pages; the
 * NER weights are marked (ner_model.c), but glibc's malloc heaps can only
 * be marked by malloc itself, which glibc (2.35 on) does when its tunable
 * glibc.malloc.hugetlb=1 is set.  Tunables are read once, before main, so
 * a program that wants them re-executes itself with the variable set;
 * this does that, once, from main, before anything else has happened
 * (the same process id, descriptors, arguments and process name; the
 * child sees the variable and carries on).  The Reuters ingest on one thread: 10.1 s ->
 * 9.2 s wall; with 2 threads 85,000 -> 30,000 page faults (bench/RESULTS.md).
 *
 * It does nothing when the library is not glibc on Linux, when glibc is
 * older than 2.35, when the kernel has no "madvise" THP mode selected
 * ("always" needs no marking, "never" would ignore it), when
 * GLIBC_TUNABLES already names the tunable, when LD_PRELOAD is set
 * (another allocator, valgrind or a sanitizer runtime is in charge), or
 * when CHRONICLE_HUGEPAGES=0.  If the exec fails the program goes on
 * as it was, with the environment restored.  The library itself never
 * calls this: changing a process's allocator is its owner's decision.
 */
#include "chronicle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__linux__) && defined(__GLIBC__)
#include <gnu/libc-version.h>
#include <unistd.h>

#define TUNE_NAME "glibc.malloc.hugetlb"
#define TUNE_MAX 4096 /* a longer GLIBC_TUNABLES is left alone */

/* The kernel's THP mode is "madvise" (the bracketed word). */
static int thp_madvise(void)
{
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
	if (!f)
		return 0;
	char line[128];
	int ok = fgets(line, sizeof line, f) && strstr(line, "[madvise]");
	fclose(f);
	return ok;
}

/* glibc's version is at least 2.35 (the tunable's first release). */
static int glibc_has_tunable(void)
{
	int major = 0, minor = 0;
	if (sscanf(gnu_get_libc_version(), "%d.%d", &major, &minor) != 2)
		return 0;
	return major > 2 || (major == 2 && minor >= 35);
}

int chr_tune_wanted(void)
{
	const char *opt = getenv("CHRONICLE_HUGEPAGES");
	if (opt && !strcmp(opt, "0"))
		return 0;
	const char *pre = getenv("LD_PRELOAD");
	if (pre && *pre)
		return 0;
	const char *cur = getenv("GLIBC_TUNABLES");
	if (cur && strstr(cur, TUNE_NAME))
		return 0;
	return glibc_has_tunable() && thp_madvise();
}

void chr_tune_exec(char **argv)
{
	if (!argv || !argv[0] || !chr_tune_wanted())
		return;
	const char *cur = getenv("GLIBC_TUNABLES");
	char val[TUNE_MAX];
	int n = snprintf(val, sizeof val, "%s%s" TUNE_NAME "=1",
			 cur && *cur ? cur : "", cur && *cur ? ":" : "");
	if (n < 0 || (size_t)n >= sizeof val)
		return;
	/* the program's own path, not /proc/self/exe, so that its process
	 * name (comm: what ps, top and pgrep show) stays its own */
	char self[4096];
	ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
	if (len <= 0 || (size_t)len >= sizeof self - 1)
		return;
	self[len] = 0;
	char *saved = cur ? strdup(cur) : NULL;
	if (cur && !saved)
		return;
	if (setenv("GLIBC_TUNABLES", val, 1) == 0) {
		fflush(NULL);
		execv(self, argv);
		/* still here: run as we are, as if never asked */
		if (saved)
			setenv("GLIBC_TUNABLES", saved, 1);
		else
			unsetenv("GLIBC_TUNABLES");
	}
	free(saved);
}

#else

int chr_tune_wanted(void)
{
	return 0;
}

void chr_tune_exec(char **argv)
{
	(void)argv;
}

#endif
