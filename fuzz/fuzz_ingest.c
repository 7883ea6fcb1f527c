/*
 * fuzz_ingest: libFuzzer target for the store side of ingest and the
 * queries over what it stored.
 *
 * Design note: fuzz_read ends where an article is processed; the stages
 * after it (dedup, the entity store and its merging, events and
 * storylines, facts and conflicts, FTS) only ever see what earlier
 * inputs left in the store.  So this target keeps one store across
 * inputs: each input is read as JSON Lines (or, by its first byte, as
 * one text article), stored with a transaction every few articles, and
 * then the store is read back through every listing the CLI has,
 * including a search for the input's first word.  The store is
 * started afresh every STORE_INPUTS inputs so that it stays small and
 * fast.  Every call returns a status; crashes, leaks and sanitizer
 * reports are the failures, and a store that can no longer be opened or
 * read is one too (abort).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chronicle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define STORE_INPUTS 256

static char g_path[64];
static chr_db *g_db;
static unsigned g_inputs;

static void rm_store(void)
{
	static const char *const sfx[] = { "", "-wal", "-shm" };
	char p[80];
	for (size_t i = 0; i < 3; i++) {
		snprintf(p, sizeof p, "%s%s", g_path, sfx[i]);
		unlink(p);
	}
}

static void at_exit(void)
{
	chr_db_close(g_db);
	g_db = NULL;
	if (g_path[0])
		rm_store();
}

static chr_db *store(void)
{
	if (g_db && g_inputs++ < STORE_INPUTS)
		return g_db;
	if (!g_path[0]) {
		snprintf(g_path, sizeof g_path, "/tmp/chr_fuzz_ingest_%ld.db",
			 (long)getpid());
		atexit(at_exit);
	}
	chr_db_close(g_db);
	g_db = NULL;
	g_inputs = 0;
	rm_store();
	if (chr_db_open(g_path, &g_db) != CHR_OK)
		abort(); /* a fresh store must open */
	return g_db;
}

static int on_doc(void *ctx, const chr_doc *d)
{
	return chr_ingest_doc(ctx, d) == CHR_EDB; /* the store failed: stop */
}

static int on_json(void *ctx, const char *js, size_t len)
{
	(void)ctx;
	return js == NULL || len == 0; /* every row is a whole object */
}

static int on_entity(void *ctx, const chr_entity_row *e)
{
	char **first = ctx;
	if (!*first && e->name)
		*first = strdup(e->name);
	return 0;
}

static int on_hit(void *ctx, const chr_hit *h)
{
	(void)ctx;
	return h->id == NULL;
}

/* The input's first run of ASCII letters, as a search query. */
static void first_word(const uint8_t *p, size_t n, char *out, size_t cap)
{
	size_t i = 0, k = 0;
	while (i < n && !((p[i] | 32) >= 'a' && (p[i] | 32) <= 'z'))
		i++;
	while (i < n && k + 1 < cap && (p[i] | 32) >= 'a' && (p[i] | 32) <= 'z')
		out[k++] = (char)p[i++];
	out[k] = '\0';
}

static void query_all(chr_db *db, const uint8_t *data, size_t size)
{
	char *ent = NULL;
	if (chr_db_entities(db, NULL, 5, 0, on_entity, &ent) == CHR_EDB)
		abort();
	if (ent) {
		char *js = NULL;
		size_t len = 0;
		if (chr_db_entity_json(db, ent, &js, &len) == CHR_OK && !len)
			abort();
		chr_free(js);
		chr_db_facts(db, ent, on_json, NULL);
		chr_db_timeline(db, ent, NULL, on_json, NULL);
		free(ent);
	}
	if (chr_db_events(db, 5, 0, on_json, NULL) == CHR_EDB ||
	    chr_db_storylines(db, on_json, NULL) == CHR_EDB ||
	    chr_db_facts(db, NULL, on_json, NULL) == CHR_EDB ||
	    chr_db_conflicts(db, on_json, NULL) == CHR_EDB ||
	    chr_db_digests(db, 0, on_json, NULL) == CHR_EDB)
		abort();
	char *js = NULL;
	if (chr_db_event_json(db, 1, &js, NULL) == CHR_OK)
		chr_free(js);
	char q[32];
	first_word(data, size, q, sizeof q);
	if (*q) {
		chr_db_search(db, q, 5, 0, on_hit, NULL);
		chr_db_timeline(db, NULL, q, on_json, NULL);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	chr_db *db = store();
	chr_format fmt = data[0] & 1 ? CHR_FORMAT_TEXT : CHR_FORMAT_JSONL;
	chr_ingest_opts o;
	memset(&o, 0, sizeof o);
	o.threads = 1;
	o.batch = (size_t)(data[0] >> 1 & 3) + 1;  /* 1-4 a transaction */
	o.ev_batch = (size_t)(data[0] >> 3 & 1) + 1;
	data++;
	size--;
	chr_ingest *ing;
	if (chr_ingest_new(db, &o, &ing) != CHR_OK)
		return 0;
	chr_reader *r;
	if (chr_reader_new("fuzz", fmt, 1 << 16, on_doc, NULL, ing, &r) == CHR_OK) {
		chr_reader_feed(r, data, size);
		chr_reader_finish(r);
		chr_reader_free(r);
	}
	chr_ingest_stats st;
	chr_ingest_finish(ing, &st);
	chr_ingest_free(ing);
	query_all(db, data, size);
	return 0;
}
