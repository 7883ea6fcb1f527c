/*
 * walbuf: a VFS that gathers a connection's WAL frame writes into large
 * writes (see walbuf.c).
 *
 * Design note: SQLite writes a commit's frames to the WAL one write
 * call for each 24-byte frame header and one for each page, so a commit
 * of 40,000 pages at a million articles made 80,000 pwrite calls on the
 * store thread, and their cost per page grew with the store.  Written
 * ~30 frames a call, the same bytes cost a fraction.  The buffer is flushed
 * before the commit is visible to any other connection, so what other
 * connections and a crash can see is what they saw before.
 * Internal prefix: store_walbuf_.
 */
#ifndef CHR_STORE_WALBUF_H
#define CHR_STORE_WALBUF_H

/* The VFS's name, registered (not as the default) by
 * store_walbuf_register; its files live on the VFS that is the default
 * when each is opened. */
#define STORE_WALBUF_VFS "chr-walbuf"

/* Bytes gathered before a write is made (a fixed buffer per WAL file):
 * the most SQLite's unix VFS writes in one call (its seekAndWrite masks
 * a count with 0x1ffff; a longer write comes back SQLITE_FULL). */
#define STORE_WALBUF_BYTES 0x1ffff

/* Register the VFS once per process; SQLITE_OK, or an SQLite error code
 * (then connections are opened on the default VFS). */
int store_walbuf_register(void);

/* Writes the VFS gathered and made since the process started (for tests
 * and profiles): *gathered the WAL write calls SQLite made through it,
 * *made the writes that reached the file underneath. */
void store_walbuf_counts(long long *gathered, long long *made);

#endif
