/*
 * test_faults: fault injection on the storage path, in SQLite's tradition.
 *
 * Design note: one fixed sequence (open, ingest three batches, query in
 * four ways, close) is run again and again against a copy of a database
 * that already holds committed articles.  On run N the Nth fault fires:
 *   - memory: a counting allocator installed with SQLITE_CONFIG_MALLOC
 *     fails the Nth allocation (once, or from then on);
 *   - I/O: a shim VFS over "unix", registered as the default, fails the
 *     Nth xWrite / xSync / xTruncate / xFileSize / xRead (once, or from
 *     then on) with SQLITE_IOERR_xxx or SQLITE_FULL.
 * N grows until a run finishes without the fault firing: by one for I/O;
 * for memory by a stride that keeps each sweep to about 400 (transient)
 * or 200 (persistent) runs whatever the schema's size, or by one with
 * CHR_FAULTS_FULL=1 (minutes, as SQLite's own malloc tests).  After every run,
 * with the faults off: each call returned OK or a clean error (CHR_ENOMEM,
 * CHR_EDB), never OK with wrong data; the allocator holds no more blocks
 * than before the run (nothing leaked, no connection left open); the file
 * passes PRAGMA integrity_check; every article committed before the run,
 * and every batch the run reported as committed, is there exactly once;
 * and ingesting everything again completes the rest with no duplicates.
 * The run folds the side tables (src/store/fold.c) after a few rows, so
 * the folds' statements take faults too.  The last test runs the sweeps
 * again with the checkpointer's thread (src/store/ckpt.c) asked after
 * every commit, so that faults also hit its connection and its
 * checkpoints while the writer commits; which call a given N hits then
 * depends on the two threads' timing, and every check must hold anyway.
 * Libc allocations (the pipeline, jansson) are not injected here; ASan
 * (`make asan`) covers their error paths' leaks.
 */
#include "harness.h"

#include <sqlite3.h>
#include <limits.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chronicle.h"
#include "dedup/dedup.h"
#include "store/ckpt.h"
#include "store/fold.h"
#include "store/store.h"
#include "vfs_fwd.h"

/* ------------------------------------------------------------------ */
/* Counting allocator                                                   */
/* ------------------------------------------------------------------ */

static sqlite3_mem_methods real_mem;
static long mem_calls;      /* allocations since armed */
static long mem_fail_at;    /* fail allocation number mem_fail_at (0 = off) */
static int mem_persistent;  /* and every one after it */
static long mem_injected;   /* failures handed out */
static long mem_live;       /* blocks allocated and not freed */

/* The counters are shared with the checkpointer's thread (the sweeps
 * WITH_CKPT), hence the atomic updates. */
#define BUMP(x, d) __atomic_add_fetch(&(x), (d), __ATOMIC_RELAXED)

static int mem_should_fail(void)
{
	if (!mem_fail_at)
		return 0;
	long k = BUMP(mem_calls, 1);
	if (k == mem_fail_at || (mem_persistent && k > mem_fail_at)) {
		BUMP(mem_injected, 1);
		return 1;
	}
	return 0;
}

static void *mem_malloc(int n)
{
	if (mem_should_fail())
		return NULL;
	void *p = real_mem.xMalloc(n);
	if (p)
		BUMP(mem_live, 1);
	return p;
}

static void mem_free(void *p)
{
	if (p)
		BUMP(mem_live, -1);
	real_mem.xFree(p);
}

static void *mem_realloc(void *p, int n)
{
	if (mem_should_fail())
		return NULL;
	return real_mem.xRealloc(p, n);
}

static int mem_size(void *p) { return real_mem.xSize(p); }
static int mem_roundup(int n) { return real_mem.xRoundup(n); }
static int mem_init(void *x) { (void)x; return real_mem.xInit(real_mem.pAppData); }
static void mem_shutdown(void *x) { (void)x; real_mem.xShutdown(real_mem.pAppData); }

static void mem_arm(long n, int persistent)
{
	mem_calls = 0;
	mem_injected = 0;
	mem_persistent = persistent;
	mem_fail_at = n;
}

/* ------------------------------------------------------------------ */
/* Fault VFS: a shim over "unix"                                        */
/* ------------------------------------------------------------------ */

enum io_kind { IO_WRITE, IO_SYNC, IO_TRUNCATE, IO_FILESIZE, IO_READ, IO_KINDS };
static const char *const io_name[IO_KINDS] = { "xWrite", "xSync", "xTruncate",
					       "xFileSize", "xRead" };

static sqlite3_vfs *real_vfs;
static enum io_kind io_kind_armed;
static long io_calls, io_fail_at, io_injected;
static int io_persistent;
static int io_code; /* what an injected failure returns */

#define REAL(f) FWD_REAL(f)

static int io_should_fail(enum io_kind k)
{
	if (!io_fail_at || k != io_kind_armed)
		return 0;
	long c = BUMP(io_calls, 1);
	if (c == io_fail_at || (io_persistent && c > io_fail_at)) {
		BUMP(io_injected, 1);
		return 1;
	}
	return 0;
}

static int shim_read(sqlite3_file *f, void *p, int n, sqlite3_int64 off)
{
	if (io_should_fail(IO_READ))
		return io_code;
	return REAL(f)->pMethods->xRead(REAL(f), p, n, off);
}

static int shim_write(sqlite3_file *f, const void *p, int n, sqlite3_int64 off)
{
	if (io_should_fail(IO_WRITE))
		return io_code;
	return REAL(f)->pMethods->xWrite(REAL(f), p, n, off);
}

static int shim_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	if (io_should_fail(IO_TRUNCATE))
		return io_code;
	return REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int shim_sync(sqlite3_file *f, int flags)
{
	if (io_should_fail(IO_SYNC))
		return io_code;
	return REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int shim_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
	if (io_should_fail(IO_FILESIZE))
		return io_code;
	return REAL(f)->pMethods->xFileSize(REAL(f), size);
}

static const sqlite3_io_methods shim_io = {
	3,
	fwd_close, shim_read, shim_write, shim_truncate, shim_sync,
	shim_file_size, fwd_lock, fwd_unlock, fwd_check_lock,
	fwd_file_control, fwd_sector_size, fwd_device,
	fwd_shm_map, fwd_shm_lock, fwd_shm_barrier, fwd_shm_unmap,
	fwd_fetch, fwd_unfetch,
};

static int shim_open(sqlite3_vfs *v, const char *name, sqlite3_file *f,
		     int flags, int *out_flags)
{
	(void)v;
	fwd_file *s = (fwd_file *)f;
	s->real = (sqlite3_file *)&s[1];
	int rc = real_vfs->xOpen(real_vfs, name, s->real, flags, out_flags);
	s->base.pMethods = s->real->pMethods ? &shim_io : NULL;
	return rc;
}

static int shim_delete(sqlite3_vfs *v, const char *name, int sync)
{
	(void)v;
	return real_vfs->xDelete(real_vfs, name, sync);
}

static int shim_access(sqlite3_vfs *v, const char *name, int flags, int *out)
{
	(void)v;
	return real_vfs->xAccess(real_vfs, name, flags, out);
}

static int shim_full_pathname(sqlite3_vfs *v, const char *name, int n, char *out)
{
	(void)v;
	return real_vfs->xFullPathname(real_vfs, name, n, out);
}

static void *shim_dlopen(sqlite3_vfs *v, const char *name)
{
	(void)v;
	return real_vfs->xDlOpen(real_vfs, name);
}

static void shim_dlerror(sqlite3_vfs *v, int n, char *out)
{
	(void)v;
	real_vfs->xDlError(real_vfs, n, out);
}

static void (*shim_dlsym(sqlite3_vfs *v, void *h, const char *sym))(void)
{
	(void)v;
	return real_vfs->xDlSym(real_vfs, h, sym);
}

static void shim_dlclose(sqlite3_vfs *v, void *h)
{
	(void)v;
	real_vfs->xDlClose(real_vfs, h);
}

static int shim_randomness(sqlite3_vfs *v, int n, char *out)
{
	(void)v;
	return real_vfs->xRandomness(real_vfs, n, out);
}

static int shim_sleep(sqlite3_vfs *v, int us)
{
	(void)v;
	return real_vfs->xSleep(real_vfs, us);
}

static int shim_current_time(sqlite3_vfs *v, double *t)
{
	(void)v;
	return real_vfs->xCurrentTime(real_vfs, t);
}

static int shim_last_error(sqlite3_vfs *v, int n, char *out)
{
	(void)v;
	return real_vfs->xGetLastError(real_vfs, n, out);
}

static int shim_current_time64(sqlite3_vfs *v, sqlite3_int64 *t)
{
	(void)v;
	return real_vfs->xCurrentTimeInt64(real_vfs, t);
}

static sqlite3_vfs shim_vfs = {
	.iVersion = 2,
	.zName = "chr-fault",
	.xOpen = shim_open,
	.xDelete = shim_delete,
	.xAccess = shim_access,
	.xFullPathname = shim_full_pathname,
	.xDlOpen = shim_dlopen,
	.xDlError = shim_dlerror,
	.xDlSym = shim_dlsym,
	.xDlClose = shim_dlclose,
	.xRandomness = shim_randomness,
	.xSleep = shim_sleep,
	.xCurrentTime = shim_current_time,
	.xGetLastError = shim_last_error,
	.xCurrentTimeInt64 = shim_current_time64,
};

static void io_arm(enum io_kind k, long n, int persistent, int code)
{
	io_kind_armed = k;
	io_calls = 0;
	io_injected = 0;
	io_persistent = persistent;
	io_code = code;
	io_fail_at = n;
}

/* ------------------------------------------------------------------ */
/* Fixture: a template database with committed articles                 */
/* ------------------------------------------------------------------ */

#define N_BASE 5
#define N_NEW 7
#define N_ALL (N_BASE + N_NEW)
#define BATCH 3
/* side-table rows that make a fold (src/store/fold.c): a few a batch */
#define FOLD_ROWS 6

static char tmpdir[64];
static char db_path[128];
static char ids[N_ALL][16];
static char texts[N_ALL][160];
static chr_doc docs[N_ALL];
static unsigned char *tmpl;
static size_t tmpl_len;

static void make_docs(void)
{
	static const char *const words[] = { "harbour", "bridge", "council",
					     "spaceport", "talks", "rain",
					     "strike", "vote", "summit" };
	for (int i = 0; i < N_ALL; i++) {
		snprintf(ids[i], sizeof ids[i], "%s%d", i < N_BASE ? "b" : "n",
			 i < N_BASE ? i : i - N_BASE);
		snprintf(texts[i], sizeof texts[i],
			 "Story %d about the %s and the %s: marker%s appears once.",
			 i, words[i % 9], words[(i * 5 + 2) % 9], ids[i]);
		memset(&docs[i], 0, sizeof docs[i]);
		docs[i].id = ids[i];
		docs[i].title = words[(i * 7 + 1) % 9];
		docs[i].text = texts[i];
		docs[i].text_len = strlen(texts[i]);
		docs[i].path = "feed.jsonl";
		docs[i].line = (uint64_t)i + 1;
		docs[i].url = "http://example.test/";
	}
}

static void rm_db(void)
{
	th_rm_db(db_path);
}

static unsigned char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	*n = 0;
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long sz = ftell(f);
	fseek(f, 0, SEEK_SET);
	unsigned char *p = sz > 0 ? malloc((size_t)sz) : NULL;
	if (p && fread(p, 1, (size_t)sz, f) == (size_t)sz)
		*n = (size_t)sz;
	fclose(f);
	return p;
}

/* Put the template back at db_path (no WAL: it was closed cleanly). */
static void restore_template(void)
{
	rm_db();
	FILE *f = fopen(db_path, "wb");
	if (!f || fwrite(tmpl, 1, tmpl_len, f) != tmpl_len) {
		perror(db_path);
		exit(2);
	}
	fclose(f);
}

static int make_template(void)
{
	rm_db();
	chr_db *db = NULL;
	if (chr_db_open(db_path, &db))
		return -1;
	chr_ingest_opts o;
	memset(&o, 0, sizeof o);
	o.batch = BATCH;
	chr_ingest *g = NULL;
	chr_status st = chr_ingest_new(db, &o, &g);
	for (int i = 0; i < N_BASE && !st; i++)
		st = chr_ingest_doc(g, &docs[i]);
	chr_ingest_stats s;
	if (!st)
		st = chr_ingest_finish(g, &s);
	chr_ingest_free(g);
	chr_db_close(db);
	if (st || s.stored != N_BASE)
		return -1;
	tmpl = slurp(db_path, &tmpl_len);
	return tmpl ? 0 : -1;
}

/* ------------------------------------------------------------------ */
/* The sequence under test                                              */
/* ------------------------------------------------------------------ */

typedef struct run_result {
	chr_status open, ingest, finish, get_base, get_new, list, search;
	int64_t count;
	uint64_t committed;   /* stored, as of the last reported commit */
	int listed;           /* articles seen by the listing */
	char listed_ids[N_ALL + 4][16];
	int hits;
	char hit_id[16];
	int get_base_ok, get_new_ok; /* fetched article had the right fields */
	int bad_status;       /* a status outside {OK, ENOMEM, EDB} */
	store_ckpt_stat ckpt; /* the writer's checkpoints, at the close */
} run_result;

/* With it, the run's connection hands its checkpoints to the
 * checkpointer's thread (src/store/ckpt.c) from CKPT_FRAMES WAL frames
 * on, so faults also land in the thread's connection and its PASSIVE
 * checkpoints, running beside the writer's commits. */
static int with_ckpt;
#define CKPT_FRAMES 4
static long ckpt_bg_runs, ckpt_bg_fails; /* summed over runs */

static int clean_status(chr_status st)
{
	return st == CHR_OK || st == CHR_ENOMEM || st == CHR_EDB;
}

static void on_progress(void *ctx, const chr_ingest_stats *s)
{
	((run_result *)ctx)->committed = s->stored;
}

static int on_article(void *ctx, const chr_article *a)
{
	run_result *r = ctx;
	if (r->listed < N_ALL + 4)
		snprintf(r->listed_ids[r->listed], sizeof r->listed_ids[0], "%s",
			 chr_article_id(a));
	r->listed++;
	return 0;
}

static int on_hit(void *ctx, const chr_hit *h)
{
	run_result *r = ctx;
	if (!r->hits)
		snprintf(r->hit_id, sizeof r->hit_id, "%s", h->id ? h->id : "(null)");
	r->hits++;
	return 0;
}

static int article_right(const chr_article *a, int i)
{
	return a && !strcmp(chr_article_id(a), ids[i]) &&
	       !strcmp(chr_article_text(a), texts[i]) &&
	       !strcmp(chr_article_headline(a), docs[i].title) &&
	       chr_article_path(a) && !strcmp(chr_article_path(a), "feed.jsonl") &&
	       chr_article_url(a) && !strcmp(chr_article_url(a), docs[i].url);
}

static void sequence(run_result *r)
{
	memset(r, 0, sizeof *r);
	r->ingest = r->finish = r->get_base = r->get_new = r->list = r->search = -1;
	r->count = -2;
	chr_db *db = NULL;
	r->open = chr_db_open(db_path, &db);
	if (!clean_status(r->open))
		r->bad_status = 1;
	if (r->open) {
		if (db || !*chr_last_error())
			r->bad_status = 1; /* must say why, and hand out nothing */
		return;
	}
	store_fold_set(db, FOLD_ROWS); /* side tables folded under faults too */
	if (with_ckpt)
		store_ckpt_limits(db, CKPT_FRAMES, 1);
	dedup_pfilt_after = 0; /* and dedup's paragraph filter built */
	chr_ingest_opts o;
	memset(&o, 0, sizeof o);
	o.batch = BATCH;
	o.on_progress = on_progress;
	o.ctx = r;
	chr_ingest *g = NULL;
	chr_status st = chr_ingest_new(db, &o, &g);
	for (int i = N_BASE; i < N_ALL && !st; i++)
		st = chr_ingest_doc(g, &docs[i]);
	r->ingest = st;
	if (g) {
		chr_ingest_stats s;
		r->finish = chr_ingest_finish(g, &s);
		chr_ingest_free(g);
	}

	r->count = chr_db_article_count(db);
	chr_article *a = NULL;
	r->get_base = chr_db_article(db, ids[1], &a);
	r->get_base_ok = article_right(a, 1);
	chr_article_free(a);
	a = NULL;
	r->get_new = chr_db_article(db, ids[N_BASE], &a);
	r->get_new_ok = article_right(a, N_BASE);
	chr_article_free(a);
	r->list = chr_db_articles(db, 0, 0, on_article, r);
	r->search = chr_db_search(db, "markerb3", 5, 0, on_hit, r);
	chr_status all[] = { r->ingest, r->finish, r->get_base, r->list, r->search };
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		if (!clean_status(all[i]))
			r->bad_status = 1;
	if (!clean_status(r->get_new) && r->get_new != CHR_ENOTFOUND)
		r->bad_status = 1;
	store_ckpt_stats(db, &r->ckpt);
	ckpt_bg_runs += r->ckpt.bg_runs;
	ckpt_bg_fails += r->ckpt.bg_fails;
	chr_db_close(db);
}

/* ------------------------------------------------------------------ */
/* Checks after a run, with every fault off                             */
/* ------------------------------------------------------------------ */

/* Ids in the file, in id order, via a plain connection; -1 on error. */
static int file_ids(char out[][16], int max, int *dups, int *integrity_ok)
{
	sqlite3 *h;
	int n = 0;
	*dups = -1;
	*integrity_ok = 0;
	if (sqlite3_open_v2(db_path, &h, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		sqlite3_close(h);
		return -1;
	}
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW &&
		    !strcmp((const char *)sqlite3_column_text(s, 0), "ok"))
			*integrity_ok = 1;
		sqlite3_finalize(s);
	}
	if (sqlite3_prepare_v2(h, "SELECT count(*) - count(DISTINCT hash) FROM articles",
			       -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			*dups = sqlite3_column_int(s, 0);
		sqlite3_finalize(s);
	}
	/* The FTS index agrees with the table. */
	if (sqlite3_exec(h, "INSERT INTO articles_fts(articles_fts, rank)"
			    " VALUES('integrity-check', 1)",
			 NULL, NULL, NULL) != SQLITE_OK)
		*integrity_ok = 0;
	if (sqlite3_prepare_v2(h, "SELECT id FROM articles ORDER BY id", -1, &s,
			       NULL) == SQLITE_OK) {
		while (sqlite3_step(s) == SQLITE_ROW) {
			if (n < max)
				snprintf(out[n], sizeof out[0], "%s",
					 (const char *)sqlite3_column_text(s, 0));
			n++;
		}
		sqlite3_finalize(s);
	} else {
		n = -1;
	}
	sqlite3_close(h);
	return n;
}

static int has_id(char list[][16], int n, const char *id)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(list[i], id))
			return 1;
	return 0;
}

/* Did any call in the run report an error? */
static int run_failed(const run_result *r)
{
	return r->open || r->ingest || r->finish || r->get_base ||
	       (r->get_new && r->get_new != CHR_ENOTFOUND) || r->list || r->search;
}

static int n_reported;   /* failures reported, to keep the log short */

#define VERIFY(cond)                                                       \
	do {                                                               \
		if (!(cond)) {                                             \
			ok = 0;                                            \
			if (n_reported++ < 20)                             \
				fprintf(stderr, "  %s: %s: %s failed\n",    \
					th_current, what, #cond);          \
		}                                                          \
	} while (0)

/* Everything the run said against what the file holds; then finish the
 * ingest from scratch.  Returns 1 when all holds. */
static int verify(const run_result *r, const char *what, long live_before)
{
	int ok = 1;
	VERIFY(!r->bad_status);
	VERIFY(mem_live == live_before);

	char got[N_ALL + 4][16];
	int dups, integ;
	int n = file_ids(got, N_ALL + 4, &dups, &integ);
	VERIFY(integ);
	VERIFY(dups == 0);
	VERIFY(n >= N_BASE && n <= N_ALL);
	for (int i = 0; i < N_BASE; i++)
		VERIFY(has_id(got, n, ids[i]));
	/* Reported commits hold, and new articles come in input order. */
	VERIFY(n >= N_BASE + (int)r->committed);
	for (int i = N_BASE; i < N_ALL; i++)
		VERIFY(has_id(got, n, ids[i]) == (i < n));
	if (!r->open && !r->ingest && !r->finish)
		VERIFY(n == N_ALL);

	/* What the queries said, when they said OK, is what is there. */
	if (!r->open) {
		VERIFY(r->count == -1 || r->count == n);
		VERIFY(r->get_base || r->get_base_ok);
		if (n > N_BASE)
			VERIFY(r->get_new || r->get_new_ok);
		else
			VERIFY(r->get_new == CHR_ENOTFOUND || r->get_new == CHR_ENOMEM ||
			       r->get_new == CHR_EDB);
		if (!r->list) {
			VERIFY(r->listed == n);
			for (int i = 0; i < n && i < r->listed; i++)
				VERIFY(!strcmp(r->listed_ids[i], got[i]));
		}
		if (!r->search)
			VERIFY(r->hits == 1 && !strcmp(r->hit_id, ids[3]));
	}

	/* The store works again and a full re-ingest completes the rest. */
	chr_db *db = NULL;
	chr_status st = chr_db_open(db_path, &db);
	VERIFY(st == CHR_OK);
	if (!st) {
		chr_ingest *g = NULL;
		st = chr_ingest_new(db, NULL, &g);
		for (int i = 0; i < N_ALL && !st; i++)
			st = chr_ingest_doc(g, &docs[i]);
		chr_ingest_stats s;
		memset(&s, 0, sizeof s);
		if (g && !st)
			st = chr_ingest_finish(g, &s);
		chr_ingest_free(g);
		VERIFY(st == CHR_OK);
		VERIFY(s.stored == (uint64_t)(N_ALL - n));
		VERIFY(s.duplicates == (uint64_t)n);
		VERIFY(chr_db_article_count(db) == N_ALL);
		chr_db_close(db);
	}
	n = file_ids(got, N_ALL + 4, &dups, &integ);
	VERIFY(integ && dups == 0 && n == N_ALL);
	return ok;
}

/* ------------------------------------------------------------------ */
/* Tests                                                                */
/* ------------------------------------------------------------------ */

static long live_baseline(void)
{
	/* One clean run, so that every lazily made global exists. */
	run_result r;
	restore_template();
	sequence(&r);
	return mem_live;
}

/* Allocations made by one whole run of the sequence. */
static long allocations_per_run(void)
{
	run_result r;
	restore_template();
	mem_arm(LONG_MAX, 0);
	sequence(&r);
	long n = mem_calls;
	mem_arm(0, 0);
	return n;
}

static void mem_sweep(int persistent)
{
	long base = live_baseline();
	long total = allocations_per_run();
	const char *full = getenv("CHR_FAULTS_FULL");
	long target = persistent ? 200 : 400;
	long stride = full && *full == '1' ? 1 : (total + target - 1) / target;
	if (stride < 1)
		stride = 1;
	long n, runs = 0, bad = 0, injected_runs = 0, failed = 0;
	for (n = 1;; n += stride) {
		run_result r;
		restore_template();
		mem_arm(n, persistent);
		sequence(&r);
		long injected = mem_injected;
		mem_arm(0, 0);
		runs++;
		failed += run_failed(&r);
		char what[64];
		snprintf(what, sizeof what, "malloc #%ld%s", n,
			 persistent ? " and after" : "");
		if (!verify(&r, what, base))
			bad++;
		if (!injected)
			break;
		injected_runs++;
	}
	printf("  malloc %s: %ld allocations a run, every %ld%s failed: %ld runs,"
	       " %ld with a failed allocation, %ld reported an error, %ld bad\n",
	       persistent ? "persistent" : "transient", total, stride,
	       stride == 1 ? "st" : "th", runs, injected_runs, failed, bad);
	CHECK_INT(bad, 0);
	/* it really ran (with the checkpointer's thread a run's allocations
	 * vary with its timing, so the sweep may end at a shorter run) */
	CHECK(total > 100 &&
	      injected_runs >= total / stride / (with_ckpt ? 2 : 1));
}

static void test_malloc_transient(void)
{
	mem_sweep(0);
}

static void test_malloc_persistent(void)
{
	mem_sweep(1);
}

static void io_sweep(enum io_kind k, int persistent, int code)
{
	long base = live_baseline();
	long n, bad = 0, injected_runs = 0, failed = 0;
	for (n = 1;; n++) {
		run_result r;
		restore_template();
		io_arm(k, n, persistent, code);
		sequence(&r);
		long injected = io_injected;
		io_arm(IO_WRITE, 0, 0, 0);
		failed += run_failed(&r);
		char what[96];
		snprintf(what, sizeof what, "%s #%ld%s -> %d", io_name[k], n,
			 persistent ? " and after" : "", code);
		if (!verify(&r, what, base))
			bad++;
		if (!injected)
			break;
		injected_runs++;
	}
	printf("  %s%s (%d): %ld runs with a fault, %ld reported an error, %ld"
	       " bad\n", io_name[k], persistent ? " persistent" : "", code,
	       injected_runs, failed, bad);
	CHECK_INT(bad, 0);
}

static void test_io_write(void)
{
	io_sweep(IO_WRITE, 0, SQLITE_IOERR_WRITE);
	io_sweep(IO_WRITE, 1, SQLITE_IOERR_WRITE);
	io_sweep(IO_WRITE, 1, SQLITE_FULL);
}

static void test_io_sync(void)
{
	io_sweep(IO_SYNC, 0, SQLITE_IOERR_FSYNC);
	io_sweep(IO_SYNC, 1, SQLITE_IOERR_FSYNC);
}

static void test_io_truncate(void)
{
	io_sweep(IO_TRUNCATE, 0, SQLITE_IOERR_TRUNCATE);
	io_sweep(IO_TRUNCATE, 1, SQLITE_IOERR_TRUNCATE);
}

static void test_io_file_size(void)
{
	io_sweep(IO_FILESIZE, 0, SQLITE_IOERR_FSTAT);
	io_sweep(IO_FILESIZE, 1, SQLITE_IOERR_FSTAT);
}

static void test_io_read(void)
{
	io_sweep(IO_READ, 0, SQLITE_IOERR_READ);
	io_sweep(IO_READ, 1, SQLITE_IOERR_READ);
}

/* The sweeps again with the checkpointer's thread at work: a clean run
 * starts it and it checkpoints, then memory and I/O faults land
 * wherever the two threads' timing puts them, and every check holds. */
static void test_ckpt_thread_faults(void)
{
	with_ckpt = 1;
	run_result r;
	restore_template();
	sequence(&r);
	CHECK(!run_failed(&r));
	CHECK(r.ckpt.thread); /* (its checkpoints may still be running) */
	ckpt_bg_runs = ckpt_bg_fails = 0;
	mem_sweep(0);
	io_sweep(IO_WRITE, 0, SQLITE_IOERR_WRITE);
	io_sweep(IO_WRITE, 1, SQLITE_FULL);
	io_sweep(IO_SYNC, 0, SQLITE_IOERR_FSYNC);
	io_sweep(IO_READ, 0, SQLITE_IOERR_READ);
	printf("  the thread's checkpoints over the sweeps: %ld done, %ld"
	       " failed\n", ckpt_bg_runs, ckpt_bg_fails);
	CHECK(ckpt_bg_runs > 0 && ckpt_bg_fails > 0);
	with_ckpt = 0;
}

static const th_test tests[] = {
	TEST(test_malloc_transient),
	TEST(test_malloc_persistent),
	TEST(test_io_write),
	TEST(test_io_sync),
	TEST(test_io_truncate),
	TEST(test_io_file_size),
	TEST(test_io_read),
	TEST(test_ckpt_thread_faults),
};

int main(void)
{
	/* The allocator can only change while SQLite is shut down. */
	sqlite3_shutdown();
	static sqlite3_mem_methods mine = {
		mem_malloc, mem_free, mem_realloc, mem_size, mem_roundup,
		mem_init, mem_shutdown, NULL,
	};
	if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &real_mem) != SQLITE_OK ||
	    sqlite3_config(SQLITE_CONFIG_MALLOC, &mine) != SQLITE_OK ||
	    sqlite3_initialize() != SQLITE_OK) {
		fprintf(stderr, "cannot install the counting allocator\n");
		return 2;
	}
	/* The fault VFS wraps "unix" and becomes the default, so that
	 * chr_db_open uses it without knowing. */
	real_vfs = sqlite3_vfs_find(NULL);
	if (!real_vfs) {
		fprintf(stderr, "no default VFS\n");
		return 2;
	}
	shim_vfs.szOsFile = (int)sizeof(fwd_file) + real_vfs->szOsFile;
	shim_vfs.mxPathname = real_vfs->mxPathname;
	sqlite3_vfs_register(&shim_vfs, 1);

	/* tmpfs when there is one: the runs fsync often. */
	const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(tmpdir, sizeof tmpdir, "%s/chr_faults_XXXXXX", base);
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 2;
	}
	snprintf(db_path, sizeof db_path, "%s/f.db", tmpdir);
	make_docs();
	if (make_template()) {
		fprintf(stderr, "cannot make the template database\n");
		return 2;
	}
	int rc = th_run("faults", tests, sizeof tests / sizeof tests[0]);
	rm_db();
	rmdir(tmpdir);
	free(tmpl);
	sqlite3_vfs_unregister(&shim_vfs);
	sqlite3_shutdown();
	return rc;
}
