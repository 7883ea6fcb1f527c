/*
 * ingest: `chronicle ingest PATH...`.
 *
 * On a terminal a progress line shows count, rate, bytes and ETA (from
 * the total size of the inputs, measured before starting); otherwise only
 * the summary line is printed.  Each rejection goes to stderr as
 * "file[:line|:byte N]: reason".  Exit 1 if anything was rejected.
 */
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

typedef struct ingest_ui {
	int tty;
	int quiet;
	double t0;
	uint64_t total_bytes;
	int drawn;
	FILE *log;      /* --progress-log: "committed N" per batch */
	int profile;    /* --profile: stage seconds so far on each log line */
} ingest_ui;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t g_sum;
static int add_size(const char *p, const struct stat *sb, int type,
		    struct FTW *ftw)
{
	(void)p;
	(void)ftw;
	if (type == FTW_F && S_ISREG(sb->st_mode))
		g_sum += (uint64_t)sb->st_size;
	return 0;
}

static uint64_t input_bytes(char **paths, int n)
{
	g_sum = 0;
	for (int i = 0; i < n; i++)
		if (strcmp(paths[i], "-"))
			nftw(paths[i], add_size, 16, 0);
	return g_sum;
}

static void clear_line(ingest_ui *ui)
{
	if (ui->drawn) {
		fputs("\r\033[K", stderr);
		ui->drawn = 0;
	}
}

static void on_reject(void *ctx, const char *where, chr_status st,
		      const char *why)
{
	ingest_ui *ui = ctx;
	(void)st;
	clear_line(ui);
	fprintf(stderr, "%s: %s\n", where, why);
}

static void on_note(void *ctx, const char *where, const char *note)
{
	ingest_ui *ui = ctx;
	clear_line(ui);
	fprintf(stderr, "%s: warning: %s\n", where, note);
}

static void on_progress(void *ctx, const chr_ingest_stats *s)
{
	ingest_ui *ui = ctx;
	if (ui->log) {
		/* Written after the COMMIT returned: a crash test trusts it. */
		fprintf(ui->log, "committed %llu", (unsigned long long)s->stored);
		for (size_t i = 0; ui->profile && i < chr_profile_count(); i++)
			fprintf(ui->log, " %s=%.3f", chr_profile_name(i),
				chr_profile_seconds(i));
		fputc('\n', ui->log);
		fflush(ui->log);
	}
	if (!ui->tty || ui->quiet)
		return;
	double el = now() - ui->t0;
	uint64_t n = s->stored + s->duplicates + s->rejected;
	double rate = el > 0 ? (double)n / el : 0;
	char eta[32] = "--:--";
	if (ui->total_bytes && s->bytes && el > 0.5) {
		double left = el * ((double)ui->total_bytes / (double)s->bytes - 1);
		if (left < 0)
			left = 0;
		snprintf(eta, sizeof eta, "%d:%02d", (int)left / 60, (int)left % 60);
	}
	int width = 24, fill = 0;
	if (ui->total_bytes)
		fill = (int)((double)width * (double)s->bytes / (double)ui->total_bytes);
	if (fill > width)
		fill = width;
	char bar[32];
	for (int i = 0; i < width; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[width] = '\0';
	fprintf(stderr, "\r\033[K[%s] %llu articles  %.0f/s  %.1f MB  ETA %s", bar,
		(unsigned long long)n, rate, (double)s->bytes / 1e6, eta);
	ui->drawn = 1;
}

static void help(void)
{
	printf("usage: chronicle ingest [--max-bytes N] [--batch N] [--quiet] [--profile] PATH...\n"
	       "\n"
	       "Read articles from files, folders (recursively) or - (stdin), clean\n"
	       "and date them, and store them.  Plain text files hold one article\n"
	       "(headline on the first line); .jsonl files hold one JSON object per\n"
	       "line with id, title, text, date, url, source, dateline.  The same\n"
	       "content is never stored twice.\n"
	       "\n"
	       "  --max-bytes N  reject articles over N bytes (default 2097152)\n"
	       "  --batch N      articles per transaction (default 8192)\n"
	       "  --threads N    1: one thread; N > 1: N - 1 threads clean and tag\n"
	       "                 articles while this one stores (default: as many\n"
	       "                 threads as cores, at least 2); same result either way\n"
	       "  --quiet        no progress bar\n"
	       "  --progress-log FILE  append 'committed N' (articles stored so far)\n"
	       "                 after each committed batch\n"
	       "  --profile      time each stage; print the totals to stderr at the\n"
	       "                 end, and add each stage's seconds so far to every\n"
	       "                 --progress-log line (as name=seconds)\n"
	       "\n"
	       "Prints 'stored N, duplicates N, rejected N'.  Each rejection goes to\n"
	       "stderr as file[:line|:byte N]: reason.  Exit 1 if anything was\n"
	       "rejected (everything else is still stored).\n");
}

static int parse_size(const char *s, size_t *out)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	if (!*s || *end || v == 0)
		return -1;
	*out = (size_t)v;
	return 0;
}

int cmd_ingest(const cli_ctx *ctx, int argc, char **argv)
{
	chr_ingest_opts o;
	memset(&o, 0, sizeof o);
	ingest_ui ui;
	memset(&ui, 0, sizeof ui);
	const char *log_path = NULL;
	int i = 1;
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (cli_is_help(a)) {
			help();
			return EXIT_OK;
		} else if (!strcmp(a, "--max-bytes") || !strcmp(a, "--batch") ||
			   !strcmp(a, "--threads")) {
			if (i + 1 >= argc)
				return cli_usage_error("ingest", "%s needs a number", a);
			size_t v;
			if (parse_size(argv[++i], &v))
				return cli_usage_error("ingest", "%s: not a positive number: %s",
						       a, argv[i]);
			if (!strcmp(a, "--batch"))
				o.batch = v;
			else if (!strcmp(a, "--threads"))
				o.threads = v > 17 ? 17 : (int)v;
			else
				o.max_article = v;
		} else if (!strcmp(a, "--progress-log")) {
			if (i + 1 >= argc)
				return cli_usage_error("ingest", "%s needs a file", a);
			log_path = argv[++i];
		} else if (!strcmp(a, "--profile")) {
			ui.profile = 1;
		} else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
			ui.quiet = 1;
		} else if (!strcmp(a, "--")) {
			i++;
			break;
		} else if (a[0] == '-' && a[1]) {
			return cli_usage_error("ingest", "unknown option %s", a);
		} else {
			break;
		}
	}
	if (i >= argc)
		return cli_usage_error("ingest", "no input: give files, folders or -");
	if (log_path && !(ui.log = fopen(log_path, "a"))) {
		cli_error("%s: cannot open: %s", log_path, strerror(errno));
		return EXIT_RUNTIME;
	}
	chr_db *db = cli_open_db(ctx);
	if (!db) {
		if (ui.log)
			fclose(ui.log);
		return EXIT_RUNTIME;
	}
	ui.tty = isatty(2);
	ui.t0 = now();
	if (ui.tty && !ui.quiet)
		ui.total_bytes = input_bytes(argv + i, argc - i);
	o.on_reject = on_reject;
	o.on_progress = on_progress;
	o.on_note = on_note;
	o.ctx = &ui;
	if (ui.profile) {
		chr_profile_reset();
		chr_profile_enable(1);
	}
	chr_ingest *g;
	chr_status st = chr_ingest_new(db, &o, &g);
	for (; !st && i < argc; i++)
		st = chr_ingest_path(g, argv[i]);
	chr_ingest_stats s;
	chr_status fst = chr_ingest_finish(g, &s);
	if (!st)
		st = fst;
	clear_line(&ui);
	if (st)
		cli_error("%s: %s: %s", ctx->db_path, chr_strerror(st), chr_db_errmsg(db));
	double el = now() - ui.t0;
	printf("stored %llu, duplicates %llu, rejected %llu",
	       (unsigned long long)s.stored, (unsigned long long)s.duplicates,
	       (unsigned long long)s.rejected);
	if (ui.tty)
		printf(" (%.1f s)", el);
	printf("\n");
	if (ui.profile) { /* seconds per stage, summed over threads */
		chr_profile_enable(0);
		for (size_t k = 0; k < chr_profile_count(); k++)
			fprintf(stderr, "profile %-16s %9.3f s\n", chr_profile_name(k),
				chr_profile_seconds(k));
	}
	chr_ingest_free(g);
	chr_db_close(db);
	if (ui.log)
		fclose(ui.log);
	if (st)
		return EXIT_RUNTIME;
	return s.rejected ? EXIT_RUNTIME : EXIT_OK;
}
