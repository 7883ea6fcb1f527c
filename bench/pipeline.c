/*
 * bench/pipeline: whole-pipeline ingest throughput with a per-stage
 * breakdown, next to gzip -6 on the same bytes in the same run.
 *
 * Design note: a benchmark that reports a ratio against a yardstick run
 * side by side is robust to this noisy 2-core machine, so each round runs
 * chronicle's ingest (fresh database) and then `gzip -6 -c` on the same
 * file, and medians over the rounds are printed.  Words are counted once,
 * untimed, with a reader pass (white-space separated words of the body and
 * title).  The CPU line is this process's user + sys time over the wall
 * time: how much of the machine the threads kept busy.  Usage: pipeline
 * FILE [ROUNDS] [THREADS] (THREADS as chr_ingest_opts.threads; 0 = default)
 */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "chronicle.h"

extern char **environ;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct counts {
	uint64_t docs, words, bytes;
} counts;

static uint64_t words_in(const char *s, size_t n)
{
	uint64_t w = 0;
	int in = 0;
	for (size_t i = 0; i < n; i++) {
		int sp = s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r';
		if (!sp && !in)
			w++;
		in = !sp;
	}
	return w;
}

static int count_doc(void *ctx, const chr_doc *d)
{
	counts *c = ctx;
	c->docs++;
	c->words += words_in(d->text, d->text_len);
	if (d->title)
		c->words += words_in(d->title, strlen(d->title));
	c->bytes += d->text_len;
	return 0;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_d);
	return v[n / 2];
}

static double run_gzip(const char *file)
{
	char *argv[] = { "gzip", "-6", "-c", (char *)file, NULL };
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", 1, 0);
	pid_t pid;
	double t0 = now();
	if (posix_spawnp(&pid, "gzip", &fa, NULL, argv, environ) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		return -1;
	}
	int status;
	waitpid(pid, &status, 0);
	posix_spawn_file_actions_destroy(&fa);
	return now() - t0;
}

/* This process's CPU seconds so far, every thread (not gzip's). */
static double cpu_seconds(void)
{
	struct rusage u;
	getrusage(RUSAGE_SELF, &u);
	return (double)u.ru_utime.tv_sec + (double)u.ru_utime.tv_usec / 1e6 +
	       (double)u.ru_stime.tv_sec + (double)u.ru_stime.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	/* as the chronicle tool runs (cli/main.c); CHRONICLE_HUGEPAGES=0
	 * measures without */
	chr_tune_exec(argv);
	if (argc < 2) {
		fprintf(stderr, "usage: pipeline FILE [ROUNDS] [THREADS]\n");
		return 2;
	}
	const char *file = argv[1];
	int rounds = argc > 2 ? atoi(argv[2]) : 5;
	int threads = argc > 3 ? atoi(argv[3]) : 0;
	if (rounds < 1 || rounds > 50)
		rounds = 5;
	counts c = { 0, 0, 0 };
	if (chr_read_path(file, 0, count_doc, NULL, &c) != CHR_OK || !c.docs) {
		fprintf(stderr, "pipeline: cannot read %s\n", file);
		return 1;
	}
	char dir[] = "/tmp/chr-bench-XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	char db_path[64];
	snprintf(db_path, sizeof db_path, "%s/bench.db", dir);
	double *tc = calloc((size_t)rounds, sizeof *tc);
	double *tg = calloc((size_t)rounds, sizeof *tg);
	double *tu = calloc((size_t)rounds, sizeof *tu);
	size_t nst = 0;
	double stage[32] = { 0 };
	const char *names[32] = { 0 };
	chr_ingest_stats s = { 0, 0, 0, 0 };
	for (int r = 0; r < rounds; r++) {
		char wal[80], shm[80];
		snprintf(wal, sizeof wal, "%s-wal", db_path);
		snprintf(shm, sizeof shm, "%s-shm", db_path);
		unlink(db_path);
		unlink(wal);
		unlink(shm);
		chr_db *db;
		if (chr_db_open(db_path, &db)) {
			fprintf(stderr, "pipeline: %s\n", chr_last_error());
			return 1;
		}
		chr_profile_reset();
		chr_profile_enable(1);
		chr_ingest_opts o;
		memset(&o, 0, sizeof o);
		o.threads = threads;
		chr_ingest *g;
		double t0 = now(), u0 = cpu_seconds();
		chr_ingest_new(db, &o, &g);
		chr_ingest_path(g, file);
		chr_ingest_finish(g, &s);
		chr_ingest_free(g);
		chr_db_close(db);
		tc[r] = now() - t0;
		tu[r] = cpu_seconds() - u0;
		chr_profile_enable(0);
		nst = chr_profile_count();
		for (size_t i = 0; i < nst && i < 32; i++) {
			names[i] = chr_profile_name(i);
			stage[i] += chr_profile_seconds(i) / rounds;
		}
		tg[r] = run_gzip(file);
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	double mc = median(tc, rounds), mg = median(tg, rounds);
	printf("input: %s: %llu articles, %llu words, %.1f MB of text\n", file,
	       (unsigned long long)c.docs, (unsigned long long)c.words,
	       (double)c.bytes / 1e6);
	printf("stored %llu, duplicates %llu, rejected %llu; %d rounds, threads=%d, medians\n",
	       (unsigned long long)s.stored, (unsigned long long)s.duplicates,
	       (unsigned long long)s.rejected, rounds, threads);
	printf("%-20s %9s %12s %12s %9s\n", "", "seconds", "words/s", "articles/s", "MB/s");
	printf("%-20s %9.3f %12.0f %12.0f %9.1f\n", "chronicle pipeline", mc,
	       (double)c.words / mc, (double)c.docs / mc, (double)c.bytes / mc / 1e6);
	if (mg > 0)
		printf("%-20s %9.3f %12.0f %12s %9.1f\n", "gzip -6 (same file)", mg,
		       (double)c.words / mg, "-", (double)c.bytes / mg / 1e6);
	if (mg > 0)
		printf("time ratio chronicle / gzip -6: %.2f\n", mc / mg);
	double mu = median(tu, rounds);
	printf("chronicle CPU (user + sys, all threads): %.3f s, %.2f cores busy\n",
	       mu, mc > 0 ? mu / mc : 0);
	printf("peak RSS: %.1f MB\n", (double)ru.ru_maxrss / 1024);
	printf("stage breakdown (mean seconds per round, summed over threads):\n");
	double sum = 0;
	for (size_t i = 0; i < nst; i++)
		sum += stage[i];
	for (size_t i = 0; i < nst; i++)
		printf("  %-14s %8.3f  %5.1f%%\n", names[i], stage[i],
		       sum > 0 ? 100 * stage[i] / sum : 0);
	free(tc);
	free(tg);
	free(tu);
	unlink(db_path);
	rmdir(dir);
	return 0;
}
