/*
 * serve: the entry point of `chronicle serve`, for the CLI.
 *
 * Design note: the CLI parses options into a srv_config and calls
 * srv_run, which blocks until SIGINT or SIGTERM.  Everything else about
 * the server (threads, routes, assets) stays behind this one call, and
 * the server reaches the library only through include/chronicle.h.
 */
#ifndef CHR_SERVE_H
#define CHR_SERVE_H

#include <stddef.h>

typedef struct srv_config {
	const char *db_path;  /* SQLite file; one connection per worker */
	const char *bind;     /* IPv4 or IPv6 literal; "127.0.0.1" default */
	unsigned port;        /* 0 = pick a free port and print it */
	const char *token;    /* when non-NULL, POST needs "Bearer <token>" */
	unsigned threads;     /* worker threads in the pool */
	size_t max_body;      /* POST body ceiling in bytes (413 above) */
	unsigned timeout;     /* idle connection timeout in seconds */
} srv_config;

/* Start the server, print "listening on http://HOST:PORT/" on stdout and
 * serve until SIGINT or SIGTERM.  Returns 0 on a clean stop, 1 when the
 * server could not start (the reason is printed on stderr). */
int srv_run(const srv_config *cfg);

#endif
