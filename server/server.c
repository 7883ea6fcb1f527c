/*
 * server: the HTTP side of `chronicle serve` on libmicrohttpd.
 *
 * Design note: libmicrohttpd runs its own thread pool
 * (MHD_USE_INTERNAL_POLLING_THREAD + MHD_OPTION_THREAD_POOL_SIZE); a
 * chr_db is not thread-safe, so each worker thread opens its own
 * connection on first use and keeps it in a pthread key whose destructor
 * closes it when the pool stops.  SQLite in WAL mode lets readers run
 * while a POST ingests.
 *
 * Limits are enforced before any work: the raw request target is measured
 * by the URI log callback (414 over SRV_MAX_URI), a POST declares its
 * Content-Length or is cut off at max_body (413), idle connections time
 * out (slowloris), and libmicrohttpd itself refuses request lines and
 * headers that do not fit its per-connection memory.  Client mistakes are
 * 4xx with a JSON {"error"}; 5xx is kept for the server's own trouble
 * (503 when the database is busy or cannot be opened).
 *
 * A POST is handed to the writer thread (writer.c) with its connection
 * suspended, so a long ingest never stalls the readers that share its
 * pool thread.
 *
 * A GET under /api/ is first looked up in the response cache (cache.c),
 * keyed by the raw request target and valid while the database's
 * data_version is unchanged; a 200 built by a handler is stored there as
 * the very MHD_Response that was queued, shared by later readers.
 *
 * Paths are matched exactly against the route table (api.c) and the
 * compiled-in assets (static.c); nothing is ever opened by request path,
 * so traversal attempts are simply unknown paths (404).
 */
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define CSP "default-src 'self'; img-src 'self' data:; object-src 'none'; " \
	    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
#define JSON_TYPE "application/json; charset=utf-8"

static pthread_key_t db_key;
static pthread_once_t db_key_once = PTHREAD_ONCE_INIT;

static void close_db(void *p)
{
	chr_db_close(p);
}

static void make_key(void)
{
	pthread_key_create(&db_key, close_db);
}

/* ---- helpers for handlers ---- */

void srv_error(srv_req *r, int status, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	r->out.len = 0;
	if (r->out.p)
		r->out.p[0] = '\0';
	r->out.oom = 0;
	sb_puts(&r->out, "{\"error\":");
	sb_jstr(&r->out, msg);
	sb_puts(&r->out, "}");
	r->status = status;
}

const char *srv_arg(srv_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *srv_header(srv_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

int srv_arg_count(srv_req *r, const char *name, size_t def, size_t lo,
		  size_t hi, size_t *out)
{
	const char *s = srv_arg(r, name);
	if (!s) {
		*out = def;
		return 0;
	}
	size_t v = 0;
	int ok = *s != '\0';
	for (const char *p = s; *p && ok; p++) {
		if (*p < '0' || *p > '9' || v > hi)
			ok = 0;
		else
			v = v * 10 + (size_t)(*p - '0');
	}
	if (!ok || v < lo || v > hi) {
		srv_error(r, 400, "%s must be a whole number from %zu to %zu",
			  name, lo, hi);
		return -1;
	}
	*out = v;
	return 0;
}

chr_db *srv_db(srv_req *r)
{
	if (r->db)
		return r->db;
	pthread_once(&db_key_once, make_key);
	chr_db *db = pthread_getspecific(db_key);
	if (!db) {
		chr_status st = chr_db_open(r->cfg->db_path, &db);
		if (st) {
			srv_error(r, 503, "database unavailable: %s",
				  chr_strerror(st));
			return NULL;
		}
		pthread_setspecific(db_key, db);
	}
	r->db = db;
	return db;
}

/* ---- responses ---- */

static void security_headers(struct MHD_Response *res)
{
	MHD_add_response_header(res, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(res, "Content-Security-Policy", CSP);
	MHD_add_response_header(res, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(res, "X-Frame-Options", "DENY");
}

/* End a cache miss (once): keep res, or with NULL only end the rebuild. */
static void cache_finish(srv_req *r, struct MHD_Response *res, size_t len)
{
	if (r->cache)
		srv_cache_store(r->uri, r->uri_len, r->gen, r->claimed, res, len);
	else if (res)
		MHD_destroy_response(res);
	r->cache = r->claimed = 0;
}

static enum MHD_Result respond(srv_req *r)
{
	if (!r->status)
		r->status = 200;
	if (r->out.oom)
		srv_error(r, 503, "out of memory");
	if (!r->out.p)
		sb_puts(&r->out, "{}");
	sb_put(&r->out, "\n", 1);
	if (r->out.oom) {
		cache_finish(r, NULL, 0);
		return MHD_NO;
	}
	size_t len = r->out.len;
	char *body = r->out.p;
	r->out.p = NULL;
	r->out.len = r->out.cap = 0;
	struct MHD_Response *res = MHD_create_response_from_buffer(
		len, body, MHD_RESPMEM_MUST_FREE);
	if (!res) {
		free(body);
		cache_finish(r, NULL, 0);
		return MHD_NO;
	}
	MHD_add_response_header(res, "Content-Type", JSON_TYPE);
	security_headers(res);
	MHD_add_response_header(res, "Cache-Control", "no-store");
	if (r->allow)
		MHD_add_response_header(res, "Allow", r->allow);
	if (r->www_auth)
		MHD_add_response_header(res, "WWW-Authenticate",
					"Bearer realm=\"chronicle\"");
	enum MHD_Result ret = MHD_queue_response(r->conn, (unsigned)r->status, res);
	if (r->cache && r->status == 200 && ret == MHD_YES)
		cache_finish(r, res, len);
	else {
		cache_finish(r, NULL, 0);
		MHD_destroy_response(res);
	}
	return ret;
}

static enum MHD_Result respond_static(srv_req *r, const srv_asset *a)
{
	struct MHD_Response *res = MHD_create_response_from_buffer(
		a->len, (void *)a->data, MHD_RESPMEM_PERSISTENT);
	if (!res)
		return MHD_NO;
	MHD_add_response_header(res, "Content-Type", srv_asset_type(a->name));
	security_headers(res);
	MHD_add_response_header(res, "Cache-Control", "no-cache");
	enum MHD_Result ret = MHD_queue_response(r->conn, MHD_HTTP_OK, res);
	MHD_destroy_response(res);
	return ret;
}

static enum MHD_Result fail(srv_req *r, int status, const char *msg)
{
	srv_error(r, status, "%s", msg);
	return respond(r);
}

/* ---- POST bodies ---- */

/* Constant-time comparison of the Authorization header with the token. */
static int token_ok(srv_req *r)
{
	const char *tok = r->cfg->token;
	if (!tok)
		return 1;
	const char *h = srv_header(r, MHD_HTTP_HEADER_AUTHORIZATION);
	if (!h || strncasecmp(h, "Bearer ", 7))
		return 0;
	h += 7;
	size_t a = strlen(h), b = strlen(tok);
	unsigned diff = (unsigned)(a ^ b);
	for (size_t i = 0; i < b; i++)
		diff |= (unsigned char)tok[i] ^ (unsigned char)(i < a ? h[i] : 0);
	return diff == 0;
}

/* First call of a POST: refuse early what can be refused from the
 * headers alone; 1 when a response was queued. */
static int post_precheck(srv_req *r)
{
	if (!token_ok(r)) {
		r->www_auth = 1;
		srv_error(r, 401, "%s", srv_header(r, MHD_HTTP_HEADER_AUTHORIZATION)
			  ? "wrong token" : "this server needs Authorization: Bearer <token>");
		return 1;
	}
	const char *cl = srv_header(r, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl) {
		char *end;
		errno = 0;
		unsigned long long n = strtoull(cl, &end, 10);
		if (*cl == '-' || *end || errno) {
			srv_error(r, 400, "bad Content-Length");
			return 1;
		}
		if (n > r->cfg->max_body) {
			srv_error(r, 413, "body over the %zu-byte limit",
				  r->cfg->max_body);
			return 1;
		}
	}
	return 0;
}

static void body_append(srv_req *r, const char *data, size_t n)
{
	if (r->body_too_big || r->body_len + n > r->cfg->max_body) {
		r->body_too_big = 1;
		r->discarded += n;
		return;
	}
	if (r->body_len + n + 1 > r->body_cap) {
		size_t cap = r->body_cap ? r->body_cap : 16384;
		while (cap < r->body_len + n + 1)
			cap *= 2;
		char *p = realloc(r->body, cap);
		if (!p) {
			r->body_too_big = 1;
			return;
		}
		r->body = p;
		r->body_cap = cap;
	}
	memcpy(r->body + r->body_len, data, n);
	r->body_len += n;
	r->body[r->body_len] = '\0';
}

/* ---- dispatch ---- */

static int is_get(const char *m)
{
	return !strcmp(m, "GET") || !strcmp(m, "HEAD");
}

/* First call, headers only.  Refuses what the request line and headers
 * already show to be wrong; everything else is answered on the last call
 * (libmicrohttpd 0.9 closes the connection after a response queued in
 * the first call, which is right for refusals and wrong for keep-alive).
 * Returns 1 when a response was queued. */
static int first_call(srv_req *r, enum MHD_Result *ret)
{
	if (r->uri_len > SRV_MAX_URI) {
		char msg[80];
		snprintf(msg, sizeof msg, "request URI over %d bytes", SRV_MAX_URI);
		*ret = fail(r, 414, msg);
		return 1;
	}
	const char *p = r->path;
	if (!strcmp(p, "/api") || !strncmp(p, "/api/", 5)) {
		r->route = srv_route_find(p, &r->id);
		if (r->route && r->route->has_id && !r->id) {
			*ret = fail(r, 503, "out of memory");
			return 1;
		}
		if (r->route && r->route->post && !strcmp(r->method, "POST")) {
			r->want_body = 1;
			if (post_precheck(r)) {
				*ret = respond(r);
				return 1;
			}
		}
	}
	return 0;
}

/* Last call: the whole request is in. */
static enum MHD_Result last_call(srv_req *r)
{
	const char *p = r->path;
	if (r->job == SRV_JOB_DONE)
		return respond(r); /* the writer ran it; resumed */
	if (!strcmp(p, "/api") || !strncmp(p, "/api/", 5)) {
		const srv_route *rt = r->route;
		if (!rt)
			return fail(r, 404, "no such endpoint (see /api)");
		srv_handler h = is_get(r->method) ? rt->get
			      : !strcmp(r->method, "POST") ? rt->post : NULL;
		if (!h) {
			char msg[128];
			r->allow = rt->allow;
			snprintf(msg, sizeof msg,
				 "method not allowed here (allowed: %s)", rt->allow);
			return fail(r, 405, msg);
		}
		if (r->body_too_big) {
			char msg[80];
			snprintf(msg, sizeof msg, "body over the %zu-byte limit",
				 r->cfg->max_body);
			return fail(r, 413, msg);
		}
		if (is_get(r->method) && r->uri && !r->body_too_big &&
		    srv_route_cacheable(rt)) {
			int queued;
			if (!srv_cache_serve(r->uri, r->uri_len, r->conn, &r->gen,
					     &r->claimed, &queued)) {
				if (queued)
					return queued > 0 ? MHD_YES : MHD_NO;
				r->cache = 1;
			}
		}
		if (h == rt->post) {
			int q = srv_writer_submit(r);
			if (!q)
				return MHD_YES; /* answered when the writer resumes it */
			return fail(r, 503, q == -2 ? "too many POSTs are waiting; "
				    "try again" : "the server is stopping");
		}
		if (srv_db(r))
			h(r, r->id);
		return respond(r);
	}
	const srv_asset *a = srv_asset_find(p);
	if (!a)
		return fail(r, 404, "not found");
	if (!is_get(r->method)) {
		r->allow = "GET, HEAD";
		return fail(r, 405, "method not allowed here (allowed: GET, HEAD)");
	}
	return respond_static(r, a);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
				  const char *url, const char *method,
				  const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	(void)version;
	srv_req *r = *con_cls;
	if (!r) {
		/* the URI log callback could not allocate */
		if (!(r = calloc(1, sizeof *r)))
			return MHD_NO;
		*con_cls = r;
	}
	if (!r->started) {
		r->started = 1;
		r->conn = conn;
		r->cfg = cls;
		r->path = url;
		r->method = method;
		enum MHD_Result ret = MHD_YES;
		first_call(r, &ret);
		return ret;
	}
	if (*upload_data_size) {
		if (r->want_body) {
			body_append(r, upload_data, *upload_data_size);
		} else {
			r->body_too_big = 1; /* a body where none belongs */
			r->discarded += *upload_data_size;
		}
		*upload_data_size = 0;
		/* a client that streams far past the limit is cut off */
		return r->discarded > 4 * r->cfg->max_body + 65536 ? MHD_NO : MHD_YES;
	}
	return last_call(r);
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	(void)cls;
	(void)conn;
	srv_req *r = calloc(1, sizeof *r);
	if (r) {
		r->uri_len = uri ? strlen(uri) : 0;
		/* a cache key; without it (too long, no memory) the request
		 * is answered uncached */
		if (uri && r->uri_len <= SRV_CACHE_MAX_KEY &&
		    (r->uri = malloc(r->uri_len + 1)))
			memcpy(r->uri, uri, r->uri_len + 1);
	}
	return r;
}

static void on_done(void *cls, struct MHD_Connection *conn, void **con_cls,
		    enum MHD_RequestTerminationCode code)
{
	(void)cls;
	(void)conn;
	(void)code;
	srv_req *r = *con_cls;
	if (!r)
		return;
	cache_finish(r, NULL, 0); /* a miss never answered */
	free(r->id);
	free(r->uri);
	free(r->body);
	sb_free(&r->out);
	free(r);
	*con_cls = NULL;
}

/* ---- start and stop ---- */

int srv_run(const srv_config *cfg)
{
	struct sockaddr_in v4;
	struct sockaddr_in6 v6;
	struct sockaddr *sa;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
			 MHD_ALLOW_SUSPEND_RESUME;
	const char *bind = cfg->bind ? cfg->bind : "127.0.0.1";
	int ipv6 = 0;
	memset(&v4, 0, sizeof v4);
	memset(&v6, 0, sizeof v6);
	if (inet_pton(AF_INET, bind, &v4.sin_addr) == 1) {
		v4.sin_family = AF_INET;
		v4.sin_port = htons((uint16_t)cfg->port);
		sa = (struct sockaddr *)&v4;
	} else if (inet_pton(AF_INET6, bind, &v6.sin6_addr) == 1) {
		v6.sin6_family = AF_INET6;
		v6.sin6_port = htons((uint16_t)cfg->port);
		sa = (struct sockaddr *)&v6;
		flags |= MHD_USE_IPv6;
		ipv6 = 1;
	} else {
		fprintf(stderr, "chronicle serve: --bind needs an IP address, not '%s'\n",
			bind);
		return 1;
	}

	/* Fail early, with the reason, when the database cannot be opened;
	 * this also creates or upgrades it before the workers start. */
	chr_db *probe;
	chr_status st = chr_db_open(cfg->db_path, &probe);
	if (st) {
		fprintf(stderr, "chronicle serve: %s: %s (%s)\n", cfg->db_path,
			chr_strerror(st), chr_last_error());
		return 1;
	}
	int64_t n = chr_db_article_count(probe);
	chr_db_close(probe);
	if (srv_cache_init(cfg->db_path))
		fprintf(stderr, "chronicle serve: warning: no response cache (%s)\n",
			chr_last_error());

	/* SIGINT and SIGTERM are taken by sigwait below; the pool threads
	 * inherit the blocked mask. */
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (srv_writer_start()) {
		srv_cache_free();
		fprintf(stderr, "chronicle serve: cannot start the writer thread\n");
		return 1;
	}
	struct MHD_Daemon *d = MHD_start_daemon(
		flags, (uint16_t)cfg->port, NULL, NULL, on_request, (void *)cfg,
		MHD_OPTION_SOCK_ADDR, sa,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(cfg->threads ? cfg->threads : 4),
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)(cfg->timeout ? cfg->timeout : 30),
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)512,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)128,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)65536,
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
		MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL,
		MHD_OPTION_END);
	if (!d) {
		srv_writer_stop();
		srv_cache_free();
		fprintf(stderr, "chronicle serve: cannot listen on %s port %u: %s\n",
			bind, cfg->port, errno ? strerror(errno) : "unknown error");
		return 1;
	}
	const union MHD_DaemonInfo *info =
		MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	unsigned port = info ? info->port : cfg->port;
	/* exactly this line on stdout, for scripts; the rest on stderr */
	printf("listening on http://%s%s%s:%u/\n", ipv6 ? "[" : "", bind,
	       ipv6 ? "]" : "", port);
	fflush(stdout);
	fprintf(stderr, "chronicle serve: %lld article%s in %s, %u threads%s\n",
		(long long)n, n == 1 ? "" : "s", cfg->db_path,
		cfg->threads ? cfg->threads : 4,
		cfg->token ? ", POST needs the token" : "");

	int sig = 0;
	sigwait(&sigs, &sig);
	srv_writer_stop(); /* resumes every suspended POST first */
	MHD_stop_daemon(d);
	srv_cache_free();
	fprintf(stderr, "chronicle serve: stopped (%s)\n",
		sig == SIGINT ? "interrupt" : "terminated");
	return 0;
}
