/*
 * sql: the statement text behind enum store_stmt (store.h).
 *
 * Design note: one function over a private table, rather than the table
 * itself, so the only way in is by a statement's name; store.c's
 * statement cache is the one caller that prepares from it.
 * Internal prefix: store_sql_.
 */
#ifndef CHR_STORE_SQL_H
#define CHR_STORE_SQL_H

#include "store/store.h"

/* The SQL of statement k (0 <= k < ST_COUNT_). */
const char *store_sql_text(enum store_stmt k);

#endif
