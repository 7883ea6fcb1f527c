/*
 * vfs_fwd.h: the file of a shim VFS over the real one, and methods that
 * only pass a call on to the real file (test_faults.c counts and fails
 * calls, test_store_journal.c counts sub-journal writes).
 *
 * Design note: a shim's file is its own sqlite3_file followed, in the
 * same block (the shim's szOsFile is the real one's plus sizeof
 * (fwd_file)), by the real VFS's file.  A test writes the methods it
 * hooks and takes the rest from here; they are static inline, so a test
 * need not use them all.
 */
#ifndef CHR_TEST_VFS_FWD_H
#define CHR_TEST_VFS_FWD_H

#include <sqlite3.h>

typedef struct fwd_file {
	sqlite3_file base;
	sqlite3_file *real; /* follows this struct in the same block */
} fwd_file;

#define FWD_REAL(f) (((fwd_file *)(f))->real)

static inline int fwd_close(sqlite3_file *f)
{
	return FWD_REAL(f)->pMethods->xClose(FWD_REAL(f));
}

static inline int fwd_read(sqlite3_file *f, void *p, int n, sqlite3_int64 off)
{
	return FWD_REAL(f)->pMethods->xRead(FWD_REAL(f), p, n, off);
}

static inline int fwd_write(sqlite3_file *f, const void *p, int n,
			    sqlite3_int64 off)
{
	return FWD_REAL(f)->pMethods->xWrite(FWD_REAL(f), p, n, off);
}

static inline int fwd_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	return FWD_REAL(f)->pMethods->xTruncate(FWD_REAL(f), size);
}

static inline int fwd_sync(sqlite3_file *f, int flags)
{
	return FWD_REAL(f)->pMethods->xSync(FWD_REAL(f), flags);
}

static inline int fwd_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return FWD_REAL(f)->pMethods->xFileSize(FWD_REAL(f), size);
}

static inline int fwd_lock(sqlite3_file *f, int l)
{
	return FWD_REAL(f)->pMethods->xLock(FWD_REAL(f), l);
}

static inline int fwd_unlock(sqlite3_file *f, int l)
{
	return FWD_REAL(f)->pMethods->xUnlock(FWD_REAL(f), l);
}

static inline int fwd_check_lock(sqlite3_file *f, int *out)
{
	return FWD_REAL(f)->pMethods->xCheckReservedLock(FWD_REAL(f), out);
}

static inline int fwd_file_control(sqlite3_file *f, int op, void *arg)
{
	return FWD_REAL(f)->pMethods->xFileControl(FWD_REAL(f), op, arg);
}

static inline int fwd_sector_size(sqlite3_file *f)
{
	return FWD_REAL(f)->pMethods->xSectorSize(FWD_REAL(f));
}

static inline int fwd_device(sqlite3_file *f)
{
	return FWD_REAL(f)->pMethods->xDeviceCharacteristics(FWD_REAL(f));
}

static inline int fwd_shm_map(sqlite3_file *f, int pg, int sz, int extend,
			      void volatile **pp)
{
	return FWD_REAL(f)->pMethods->xShmMap(FWD_REAL(f), pg, sz, extend, pp);
}

static inline int fwd_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
	return FWD_REAL(f)->pMethods->xShmLock(FWD_REAL(f), off, n, flags);
}

static inline void fwd_shm_barrier(sqlite3_file *f)
{
	FWD_REAL(f)->pMethods->xShmBarrier(FWD_REAL(f));
}

static inline int fwd_shm_unmap(sqlite3_file *f, int del)
{
	return FWD_REAL(f)->pMethods->xShmUnmap(FWD_REAL(f), del);
}

static inline int fwd_fetch(sqlite3_file *f, sqlite3_int64 off, int n,
			    void **pp)
{
	return FWD_REAL(f)->pMethods->xFetch(FWD_REAL(f), off, n, pp);
}

static inline int fwd_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	return FWD_REAL(f)->pMethods->xUnfetch(FWD_REAL(f), off, p);
}

#endif
