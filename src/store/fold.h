/*
 * fold: random-key rows written to small side tables, moved into their
 * main tables in key order now and then (see fold.c).
 * Internal prefix: store_fold_.
 */
#ifndef CHR_STORE_FOLD_H
#define CHR_STORE_FOLD_H

#include "store/store.h"

/* Rows a side table holds before its commit folds it: STORE_FOLD_ROWS
 * (db->fold_rows instead when non-zero, for tests), or as many as the
 * store has articles when that is more. */
#define STORE_FOLD_ROWS 524288

/* In the open write transaction, before its COMMIT (store_commit): move
 * every side table holding at least the threshold's rows into its main
 * table and empty it.  Nothing to do outside a transaction. */
chr_status store_fold_due(chr_db *db);

/* Fold side tables from rows rows on (0: STORE_FOLD_ROWS again). */
void store_fold_set(chr_db *db, long rows);

#endif
