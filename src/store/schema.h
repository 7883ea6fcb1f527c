/*
 * schema: the SQL migrations that build and upgrade a store's tables.
 *
 * Design note: a store's version is the number of migrations applied to
 * it (PRAGMA user_version), so the list is only ever appended to;
 * store.c decides when each one runs, this module only holds the text.
 * Internal prefix: store_schema_.
 */
#ifndef CHR_STORE_SCHEMA_H
#define CHR_STORE_SCHEMA_H

/* How many migrations there are: the schema version this build makes. */
int store_schema_count(void);

/* The SQL of migration i, which brings the schema from version i to
 * i + 1 (0 <= i < store_schema_count()). */
const char *store_schema_migration(int i);

#endif
