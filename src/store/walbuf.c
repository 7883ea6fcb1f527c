/*
 * walbuf: a VFS that gathers a connection's WAL frame writes into large
 * writes (see walbuf.h).
 *
 * Design note: every file opened through this VFS is opened on the VFS
 * that is the process default at that moment ("unix", or a test's fault
 * shim), and every call is passed on, except that a WAL file's writes
 * that continue the one before (SQLite appends a transaction's frames,
 * header then page, in file order) are copied into a buffer of
 * STORE_WALBUF_BYTES and written as one.  The buffer is written out
 * (flushed) before anything could need its bytes in the file:
 *
 *   - right after the page of a commit frame (a 24-byte frame header
 *     whose "database size after commit" field is not zero), so the
 *     commit's frames are in the file when its xWrite returns, before
 *     SQLite publishes the commit in the WAL index, and a failed write
 *     fails that xWrite, so the COMMIT fails as it would have;
 *   - before a write that does not continue the buffer, or would not
 *     fit in it, and before any read, size, truncate, sync, file
 *     control or close of the file;
 *   - at every memory barrier of the connection's WAL index (xShmBarrier
 *     on its database file, which SQLite calls before it publishes a
 *     new WAL header), in case a frame's commit mark was missed.  No
 *     error can be returned there; one is kept and returned by the WAL
 *     file's next call.
 *
 * So the file's bytes are always the ones unbuffered writes would have
 * left at every point another connection, another process or a crash
 * (the process killed; the OS holds what it was given) can observe.  A
 * transaction's frames not yet committed can be lost with the process,
 * as they can be in SQLite's own page cache.  The database file's
 * connection finds its WAL file by name: SQLite derives the WAL's name
 * (sqlite3_filename_wal) from the same block of memory, so the pointer
 * identifies the connection.  A file is only ever used by its
 * connection's thread, so the buffers take no locks; the list pairing a
 * WAL file with its database file at open does.
 */
#include "store/walbuf.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define WAL_HDR 32       /* the WAL file's own header */
#define FRAME_HDR 24     /* a frame's header; its bytes 4..7: the commit */

typedef struct wb_file wb_file;
struct wb_file {
	sqlite3_file base;
	sqlite3_file *real;    /* the file underneath (malloc'd) */
	int wal;               /* a WAL file: writes are gathered */
	unsigned char *buf;    /* STORE_WALBUF_BYTES, at the first write */
	int len;               /* bytes gathered */
	sqlite3_int64 off;     /* where buf[0] goes */
	int commit;            /* the last write was a commit frame's header */
	int err;               /* a flush error not returned yet */
	const char *walname;   /* a database file: its WAL's name */
	wb_file *pair;         /* the database file's WAL file, and back */
	wb_file *next;         /* the list of open database files */
};

static sqlite3_vfs wb_vfs;
static sqlite3_vfs *wb_orig; /* the default when registered */
static pthread_mutex_t wb_mu = PTHREAD_MUTEX_INITIALIZER;
static wb_file *wb_dbs;      /* database files open (under wb_mu) */
static atomic_llong wb_gathered, wb_made;

/* The VFS files are opened on: the default, unless that is this one. */
static sqlite3_vfs *under(void)
{
	sqlite3_vfs *u = sqlite3_vfs_find(NULL);
	return u && u != &wb_vfs ? u : wb_orig;
}

#define REAL(f) (((wb_file *)(f))->real)
#define RM(f) (REAL(f)->pMethods)

static int flush(wb_file *w)
{
	if (!w->len)
		return SQLITE_OK;
	int n = w->len;
	w->len = 0;
	w->commit = 0;
	atomic_fetch_add_explicit(&wb_made, 1, memory_order_relaxed);
	return w->real->pMethods->xWrite(w->real, w->buf, n, w->off);
}

/* Flush before a call on the file; a kept error is returned first. */
static int settle(wb_file *w)
{
	if (w->err) {
		int rc = w->err;
		w->err = 0;
		w->len = 0;
		return rc;
	}
	return flush(w);
}

static int wb_close(sqlite3_file *f)
{
	wb_file *w = (wb_file *)f;
	int rc = w->wal ? settle(w) : SQLITE_OK;
	pthread_mutex_lock(&wb_mu);
	if (w->pair)
		w->pair->pair = NULL;
	for (wb_file **p = &wb_dbs; *p; p = &(*p)->next)
		if (*p == w) {
			*p = w->next;
			break;
		}
	pthread_mutex_unlock(&wb_mu);
	int rc2 = RM(f)->xClose(REAL(f));
	free(w->buf);
	free(w->real);
	w->buf = NULL;
	w->real = NULL;
	return rc ? rc : rc2;
}

static int wb_read(sqlite3_file *f, void *p, int n, sqlite3_int64 off)
{
	wb_file *w = (wb_file *)f;
	if (w->wal) {
		int rc = settle(w);
		if (rc)
			return rc;
	}
	return RM(f)->xRead(REAL(f), p, n, off);
}

/* A frame header whose commit field is set. */
static int commit_header(const void *p, int n, sqlite3_int64 off)
{
	const unsigned char *b = p;
	return n == FRAME_HDR && off >= WAL_HDR && (b[4] | b[5] | b[6] | b[7]);
}

static int wb_write(sqlite3_file *f, const void *p, int n,
		    sqlite3_int64 off)
{
	wb_file *w = (wb_file *)f;
	if (!w->wal)
		return RM(f)->xWrite(REAL(f), p, n, off);
	atomic_fetch_add_explicit(&wb_gathered, 1, memory_order_relaxed);
	int rc;
	if (w->err)
		return settle(w);
	if (w->len && (off != w->off + w->len ||
		       n > STORE_WALBUF_BYTES - w->len)) {
		int was = w->commit;
		if ((rc = flush(w)))
			return rc;
		w->commit = was;
	}
	if (!w->buf && !(w->buf = malloc(STORE_WALBUF_BYTES)))
		return SQLITE_IOERR_NOMEM;
	int page_of_commit = w->commit;
	if (n > STORE_WALBUF_BYTES) {
		w->commit = 0;
		atomic_fetch_add_explicit(&wb_made, 1, memory_order_relaxed);
		return RM(f)->xWrite(REAL(f), p, n, off);
	}
	if (!w->len)
		w->off = off;
	memcpy(w->buf + w->len, p, (size_t)n);
	w->len += n;
	w->commit = commit_header(p, n, off);
	return page_of_commit ? flush(w) : SQLITE_OK;
}

static int wb_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	wb_file *w = (wb_file *)f;
	int rc = w->wal ? settle(w) : SQLITE_OK;
	return rc ? rc : RM(f)->xTruncate(REAL(f), size);
}

static int wb_sync(sqlite3_file *f, int flags)
{
	wb_file *w = (wb_file *)f;
	int rc = w->wal ? settle(w) : SQLITE_OK;
	return rc ? rc : RM(f)->xSync(REAL(f), flags);
}

static int wb_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
	wb_file *w = (wb_file *)f;
	int rc = w->wal ? settle(w) : SQLITE_OK;
	return rc ? rc : RM(f)->xFileSize(REAL(f), size);
}

static int wb_lock(sqlite3_file *f, int l)
{
	return RM(f)->xLock(REAL(f), l);
}

static int wb_unlock(sqlite3_file *f, int l)
{
	return RM(f)->xUnlock(REAL(f), l);
}

static int wb_check_lock(sqlite3_file *f, int *out)
{
	return RM(f)->xCheckReservedLock(REAL(f), out);
}

static int wb_file_control(sqlite3_file *f, int op, void *arg)
{
	wb_file *w = (wb_file *)f;
	if (op == SQLITE_FCNTL_VFSNAME) { /* say what is underneath too */
		int rc = RM(f)->xFileControl(REAL(f), op, arg);
		if (rc == SQLITE_OK && *(char **)arg) {
			char *s = sqlite3_mprintf("%s/%z", wb_vfs.zName,
						  *(char **)arg);
			*(char **)arg = s;
			return s ? SQLITE_OK : SQLITE_NOMEM;
		}
		return rc;
	}
	int rc = w->wal ? settle(w) : SQLITE_OK;
	return rc ? rc : RM(f)->xFileControl(REAL(f), op, arg);
}

static int wb_sector_size(sqlite3_file *f)
{
	return RM(f)->xSectorSize(REAL(f));
}

static int wb_device(sqlite3_file *f)
{
	return RM(f)->xDeviceCharacteristics(REAL(f));
}

static int wb_shm_map(sqlite3_file *f, int pg, int sz, int extend,
		      void volatile **pp)
{
	return RM(f)->xShmMap(REAL(f), pg, sz, extend, pp);
}

static int wb_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
	return RM(f)->xShmLock(REAL(f), off, n, flags);
}

static void wb_shm_barrier(sqlite3_file *f)
{
	wb_file *w = ((wb_file *)f)->pair;
	if (w && w->len && !w->err) {
		int rc = flush(w);
		if (rc)
			w->err = rc;
	}
	RM(f)->xShmBarrier(REAL(f));
}

static int wb_shm_unmap(sqlite3_file *f, int del)
{
	return RM(f)->xShmUnmap(REAL(f), del);
}

static int wb_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp)
{
	if (RM(f)->iVersion < 3) {
		*pp = NULL;
		return SQLITE_OK;
	}
	return RM(f)->xFetch(REAL(f), off, n, pp);
}

static int wb_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	if (RM(f)->iVersion < 3)
		return SQLITE_OK;
	return RM(f)->xUnfetch(REAL(f), off, p);
}

/* With the WAL index (the file underneath has it), and without. */
static const sqlite3_io_methods wb_io3 = {
	3, wb_close, wb_read, wb_write, wb_truncate, wb_sync, wb_file_size,
	wb_lock, wb_unlock, wb_check_lock, wb_file_control, wb_sector_size,
	wb_device, wb_shm_map, wb_shm_lock, wb_shm_barrier, wb_shm_unmap,
	wb_fetch, wb_unfetch,
};
static const sqlite3_io_methods wb_io1 = {
	1, wb_close, wb_read, wb_write, wb_truncate, wb_sync, wb_file_size,
	wb_lock, wb_unlock, wb_check_lock, wb_file_control, wb_sector_size,
	wb_device, NULL, NULL, NULL, NULL, NULL, NULL,
};

static int wb_open(sqlite3_vfs *v, const char *name, sqlite3_file *f,
		   int flags, int *out_flags)
{
	(void)v;
	wb_file *w = (wb_file *)f;
	memset(w, 0, sizeof *w);
	sqlite3_vfs *u = under();
	if (!u || !(w->real = calloc(1, (size_t)u->szOsFile)))
		return SQLITE_NOMEM;
	int rc = u->xOpen(u, name, w->real, flags, out_flags);
	if (rc != SQLITE_OK) {
		if (w->real->pMethods) /* a VFS may ask for xClose anyway */
			w->real->pMethods->xClose(w->real);
		free(w->real);
		w->real = NULL;
		return rc;
	}
	const sqlite3_io_methods *m = w->real->pMethods;
	w->base.pMethods = m && m->iVersion >= 2 && m->xShmMap ? &wb_io3
								: &wb_io1;
	if (!name)
		return SQLITE_OK;
	pthread_mutex_lock(&wb_mu);
	if (flags & SQLITE_OPEN_MAIN_DB) {
		w->walname = sqlite3_filename_wal(name);
		w->next = wb_dbs;
		wb_dbs = w;
	} else if (flags & SQLITE_OPEN_WAL) {
		w->wal = 1;
		for (wb_file *d = wb_dbs; d; d = d->next)
			if (d->walname == name && !d->pair) {
				d->pair = w;
				w->pair = d;
				break;
			}
	}
	pthread_mutex_unlock(&wb_mu);
	return SQLITE_OK;
}

static int wb_delete(sqlite3_vfs *v, const char *name, int sync)
{
	(void)v;
	sqlite3_vfs *u = under();
	return u->xDelete(u, name, sync);
}

static int wb_access(sqlite3_vfs *v, const char *name, int flags, int *out)
{
	(void)v;
	sqlite3_vfs *u = under();
	return u->xAccess(u, name, flags, out);
}

static int wb_full_pathname(sqlite3_vfs *v, const char *name, int n,
			    char *out)
{
	(void)v;
	sqlite3_vfs *u = under();
	return u->xFullPathname(u, name, n, out);
}

static void *wb_dlopen(sqlite3_vfs *v, const char *name)
{
	(void)v;
	sqlite3_vfs *u = under();
	return u->xDlOpen(u, name);
}

static void wb_dlerror(sqlite3_vfs *v, int n, char *out)
{
	(void)v;
	sqlite3_vfs *u = under();
	u->xDlError(u, n, out);
}

static void (*wb_dlsym(sqlite3_vfs *v, void *h, const char *sym))(void)
{
	(void)v;
	sqlite3_vfs *u = under();
	return u->xDlSym(u, h, sym);
}

static void wb_dlclose(sqlite3_vfs *v, void *h)
{
	(void)v;
	sqlite3_vfs *u = under();
	u->xDlClose(u, h);
}

static int wb_randomness(sqlite3_vfs *v, int n, char *out)
{
	(void)v;
	sqlite3_vfs *u = under();
	return u->xRandomness(u, n, out);
}

static int wb_sleep(sqlite3_vfs *v, int us)
{
	(void)v;
	sqlite3_vfs *u = under();
	return u->xSleep(u, us);
}

static int wb_current_time(sqlite3_vfs *v, double *t)
{
	(void)v;
	sqlite3_vfs *u = under();
	return u->xCurrentTime(u, t);
}

static int wb_last_error(sqlite3_vfs *v, int n, char *out)
{
	(void)v;
	sqlite3_vfs *u = under();
	return u->xGetLastError ? u->xGetLastError(u, n, out) : 0;
}

static int wb_current_time64(sqlite3_vfs *v, sqlite3_int64 *t)
{
	(void)v;
	sqlite3_vfs *u = under();
	if (u->iVersion >= 2 && u->xCurrentTimeInt64)
		return u->xCurrentTimeInt64(u, t);
	double d;
	int rc = u->xCurrentTime(u, &d);
	*t = (sqlite3_int64)(d * 86400000.0);
	return rc;
}

static sqlite3_vfs wb_vfs = {
	2, (int)sizeof(wb_file), 0, NULL, STORE_WALBUF_VFS, NULL,
	wb_open, wb_delete, wb_access, wb_full_pathname, wb_dlopen,
	wb_dlerror, wb_dlsym, wb_dlclose, wb_randomness, wb_sleep,
	wb_current_time, wb_last_error, wb_current_time64,
	NULL, NULL, NULL,
};

static pthread_once_t wb_once = PTHREAD_ONCE_INIT;
static int wb_rc = SQLITE_ERROR;

static void wb_register(void)
{
	if (sqlite3_initialize() != SQLITE_OK ||
	    !(wb_orig = sqlite3_vfs_find(NULL)))
		return;
	wb_vfs.mxPathname = wb_orig->mxPathname;
	wb_rc = sqlite3_vfs_register(&wb_vfs, 0);
}

int store_walbuf_register(void)
{
	pthread_once(&wb_once, wb_register);
	return wb_rc;
}

void store_walbuf_counts(long long *gathered, long long *made)
{
	*gathered = atomic_load(&wb_gathered);
	*made = atomic_load(&wb_made);
}
