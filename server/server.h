/*
 * server: internal declarations shared by the files in server/.
 *
 * Design note: a request is a srv_req.  server.c owns the HTTP side
 * (libmicrohttpd, limits, headers, the body of a POST, one chr_db per
 * worker thread); api.c owns the route table, where each endpoint is one
 * row and one handler that writes JSON into r->out and sets r->status;
 * static.c serves the assets compiled into the binary; cache.c keeps
 * finished GET responses while the database is unchanged; writer.c runs
 * POST handlers on one thread of their own.  Adding
 * /api/events later is one handler and one row in api.c.  Nothing here
 * reaches past include/chronicle.h into the library.
 */
#ifndef CHR_SERVER_H
#define CHR_SERVER_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "chronicle.h"
#include "serve.h"

/* Limits (see docs/api.md). */
#define SRV_MAX_URI 8192          /* request target bytes; 414 above */
#define SRV_DEFAULT_LIMIT 50      /* list page size */
#define SRV_MAX_LIMIT 500
#define SRV_SEARCH_LIMIT 20
#define SRV_SEARCH_MAX_LIMIT 100
#define SRV_MAX_OFFSET 100000000u
#define SRV_MAX_RESPONSE ((size_t)64 << 20) /* one JSON body; 503 above */
/* The response cache (cache.c). */
#define SRV_CACHE_ENTRIES 256
#define SRV_CACHE_BYTES ((size_t)64 << 20)
#define SRV_CACHE_MAX_ENTRY ((size_t)4 << 20)
#define SRV_CACHE_MAX_KEY 1024
#define SRV_WRITER_QUEUE 64 /* POSTs waiting for the writer; 503 above */

/* ---- growable output buffer with JSON helpers (json.c) ---- */

typedef struct srv_buf {
	char *p;
	size_t len, cap;
	int oom; /* an allocation failed; the content is incomplete */
} srv_buf;

void sb_put(srv_buf *b, const char *s, size_t n);
void sb_puts(srv_buf *b, const char *s);
void sb_printf(srv_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A JSON string literal for s[0, n) (invalid UTF-8 becomes U+FFFD,
 * control bytes \u00XX), or null when s is NULL. */
void sb_jstrn(srv_buf *b, const char *s, size_t n);
void sb_jstr(srv_buf *b, const char *s);
/* "key": then the value; k is a literal, trusted key. */
void sb_key(srv_buf *b, const char *k);
void sb_free(srv_buf *b);

/* ---- requests ---- */

typedef struct srv_req {
	void *conn;               /* struct MHD_Connection * */
	const char *method;       /* "GET", "HEAD", "POST", ... */
	const char *path;         /* decoded path, no query */
	size_t uri_len;           /* raw request target length */
	char *uri;                /* a copy of it when it is short enough
				     to be a cache key, else NULL */
	int cache;                /* a cacheable GET: store a 200 under gen */
	int claimed;              /* it rebuilds a stale entry (single flight) */
	uint64_t gen;
	const srv_config *cfg;
	chr_db *db;               /* this worker's connection (lazy) */
	const struct srv_route *route;
	char *id;                 /* the {id} part of the path, malloc'd */
	int started;
	/* POST body */
	char *body;
	size_t body_len, body_cap;
	int want_body;            /* a POST to a route that takes one */
	int body_too_big;
	size_t discarded;
	/* response */
	int status;
	srv_buf out;
	const char *allow;        /* Allow header for 405 */
	int www_auth;             /* add WWW-Authenticate: Bearer */
	/* the writer thread (writer.c) */
	int job;                  /* SRV_JOB_* */
	struct srv_req *next;     /* in the writer's queue */
} srv_req;

enum { SRV_JOB_NONE, SRV_JOB_QUEUED, SRV_JOB_DONE };

/* A handler writes its JSON object into r->out and sets r->status (200
 * when left 0).  id is the decoded {id} path segment or NULL. */
typedef void (*srv_handler)(srv_req *r, const char *id);

typedef struct srv_route {
	const char *path;   /* "/api/articles"; with has_id, the prefix
			       before "/{id}" */
	int has_id;
	srv_handler get;    /* GET and HEAD */
	srv_handler post;   /* POST (the body is in r->body) */
	const char *allow;  /* "GET, HEAD" or "GET, HEAD, POST" */
} srv_route;

/* The route for path, or NULL; *id gets a malloc'd copy of the {id}
 * segment when the route has one (NULL on allocation failure, with the
 * route still returned). */
const srv_route *srv_route_find(const char *path, char **id);

/* An error response: {"error": message}. */
void srv_error(srv_req *r, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A query-string argument (decoded, borrowed), or NULL. */
const char *srv_arg(srv_req *r, const char *name);
/* A request header, or NULL. */
const char *srv_header(srv_req *r, const char *name);
/* Parse the count argument name: absent gives def; a whole number in
 * [lo, hi] is stored in *out.  Otherwise writes a 400 and returns -1. */
int srv_arg_count(srv_req *r, const char *name, size_t def, size_t lo,
		  size_t hi, size_t *out);
/* This worker thread's database, opened on first use; NULL (with a 503
 * written) when it cannot be opened. */
chr_db *srv_db(srv_req *r);

/* May answers of this route be cached (the data it reads is all in the
 * database)? */
int srv_route_cacheable(const srv_route *rt);

/* ---- response cache (cache.c) ---- */

typedef struct srv_cache_stats {
	uint64_t hits, stale_hits, misses, stores, evictions, invalidations;
	size_t entries, bytes;
	int enabled;
} srv_cache_stats;

/* Open the cache's own connection to db_path (it only reads
 * data_version); -1 when it cannot be opened, and the cache stays off. */
int srv_cache_init(const char *db_path);
/* Drop every entry and close the connection (after the daemon stops). */
void srv_cache_free(void);
/* Look key[0, klen) up after checking whether the database changed.
 * -1: the cache cannot be used for this request (do not store).  0: a
 * current answer, or a stale one while another request rebuilds it, was
 * queued on conn (*queued 1, or -1 when queueing failed); or a miss
 * (*queued 0) whose answer is to be stored under *gen, with *claimed 1
 * when this request is the one rebuilding a stale entry. */
int srv_cache_serve(const char *key, size_t klen, void *conn,
		    uint64_t *gen, int *claimed, int *queued);
/* Finish a miss: keep response (a struct MHD_Response * already queued
 * by the caller, or NULL when the answer is not to be kept, e.g. not a
 * 200) of bytes body bytes under key and gen, unless a newer answer is
 * there; with claimed, also end this request's rebuild.  The cache takes
 * over the caller's reference to response and destroys it when it is not
 * kept.  Every miss must be finished exactly once. */
void srv_cache_store(const char *key, size_t klen, uint64_t gen,
		     int claimed, void *response, size_t bytes);
/* Drop every entry (after this server stored something). */
void srv_cache_invalidate(void);
void srv_cache_get_stats(srv_cache_stats *out);

/* ---- the writer thread (writer.c) ---- */

/* Start the thread that runs POST handlers; -1 when it cannot start. */
int srv_writer_start(void);
/* Finish the ingest under way, answer the queued ones 503 and resume
 * their connections, and join the thread. */
void srv_writer_stop(void);
/* Suspend r's connection (a POST whose body is in) and queue r for the
 * writer, which runs r->route->post on its own connection, sets
 * r->job = SRV_JOB_DONE and resumes the connection.  -1 when the writer
 * is stopping, -2 when the queue is full (nothing suspended). */
int srv_writer_submit(srv_req *r);

/* ---- static assets (static.c, generated table) ---- */

/* Written at build time by scripts/embed.sh from server/assets/ (the
 * Makefile renames its table); the last entry has a NULL name. */
typedef struct srv_asset {
	const char *name;          /* base name: "index.html" */
	const unsigned char *data; /* NUL-terminated */
	size_t len;                /* bytes, without the NUL */
} srv_asset;

extern const srv_asset srv_assets[];

/* The asset served at path ("/" is "/index.html"), or NULL. */
const srv_asset *srv_asset_find(const char *path);
/* Content-Type for an asset name. */
const char *srv_asset_type(const char *name);

#endif
