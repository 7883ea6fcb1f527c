/*
 * serve: `chronicle serve`, the JSON API and the web page.
 *
 * Design note: this file only parses options; the server itself lives in
 * server/ (serve.h is its one entry point).  Loopback is the default:
 * binding anywhere else must be asked for with --bind and is warned
 * about, because the API has no access control for reads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../server/serve.h"

static int parse_num(const char *s, unsigned long long max,
		     unsigned long long *out)
{
	char *end;
	if (!s || !*s || *s == '-')
		return -1;
	unsigned long long v = strtoull(s, &end, 10);
	unsigned long long mul = 1;
	if (*end == 'k' || *end == 'K')
		mul = 1024, end++;
	else if (*end == 'm' || *end == 'M')
		mul = 1024 * 1024, end++;
	if (*end || v > max / mul)
		return -1;
	*out = v * mul;
	return 0;
}

int cmd_serve(const cli_ctx *ctx, int argc, char **argv)
{
	srv_config cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.db_path = ctx->db_path;
	cfg.bind = "127.0.0.1";
	cfg.port = 8080;
	cfg.threads = 4;
	cfg.max_body = (size_t)16 << 20;
	cfg.timeout = 30;
	int explicit_bind = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		unsigned long long n;
		if (cli_is_help(a)) {
			printf("usage: chronicle serve [--bind ADDR] [--port N] [--token T]\n"
			       "                       [--threads N] [--max-body BYTES] [--timeout S]\n"
			       "\nServe the JSON API under /api/ and the web page at /.\n"
			       "  --bind ADDR      IP address to listen on (default 127.0.0.1;\n"
			       "                   anything else exposes the data: a warning is printed)\n"
			       "  --port N         TCP port (default 8080; 0 picks a free one)\n"
			       "  --token T        POST /api/articles needs 'Authorization: Bearer T'\n"
			       "                   (also $CHRONICLE_TOKEN)\n"
			       "  --threads N      worker threads (default 4)\n"
			       "  --max-body BYTES largest POST body, with k or m suffix (default 16m)\n"
			       "  --timeout S      idle connection timeout in seconds (default 30)\n"
			       "\nPrints 'listening on http://HOST:PORT/' and runs until interrupted.\n"
			       "The API is described in docs/api.md.\n");
			return EXIT_OK;
		} else if (!strcmp(a, "--bind")) {
			if (!v || !*v)
				return cli_usage_error("serve", "--bind needs an address");
			cfg.bind = v;
			explicit_bind = 1;
			i++;
		} else if (!strcmp(a, "--port")) {
			if (parse_num(v, 65535, &n))
				return cli_usage_error("serve", "--port needs a number from 0 to 65535");
			cfg.port = (unsigned)n;
			i++;
		} else if (!strcmp(a, "--token")) {
			if (!v || !*v)
				return cli_usage_error("serve", "--token needs a value");
			cfg.token = v;
			i++;
		} else if (!strcmp(a, "--threads")) {
			if (parse_num(v, 64, &n) || n == 0)
				return cli_usage_error("serve", "--threads needs a number from 1 to 64");
			cfg.threads = (unsigned)n;
			i++;
		} else if (!strcmp(a, "--max-body")) {
			if (parse_num(v, (unsigned long long)1 << 30, &n) || n == 0)
				return cli_usage_error("serve", "--max-body needs a size up to 1024m");
			cfg.max_body = (size_t)n;
			i++;
		} else if (!strcmp(a, "--timeout")) {
			if (parse_num(v, 3600, &n) || n == 0)
				return cli_usage_error("serve", "--timeout needs seconds from 1 to 3600");
			cfg.timeout = (unsigned)n;
			i++;
		} else {
			return cli_usage_error("serve", "unexpected argument %s", a);
		}
	}
	if (!cfg.token) {
		const char *env = getenv("CHRONICLE_TOKEN");
		if (env && *env)
			cfg.token = env;
	}
	if (explicit_bind && strcmp(cfg.bind, "127.0.0.1") && strcmp(cfg.bind, "::1"))
		fprintf(stderr, "chronicle serve: warning: listening on %s, not loopback: "
			"anyone who can reach this address can read the database%s\n",
			cfg.bind, cfg.token ? "" : " and, without --token, add to it");
	return srv_run(&cfg) ? EXIT_RUNTIME : EXIT_OK;
}
