/*
 * static: the web page's files, compiled into the binary.
 *
 * Design note: the build turns server/assets/ into a C table with
 * scripts/embed.sh (build/gen/assets.c), so the server never opens a file
 * by request path: a path is either one of the table's names or a 404.
 * "/" is index.html; the page routes with the URL hash (#/article/ID),
 * so no other HTML paths are needed.
 */
#include "server.h"

#include <string.h>

const srv_asset *srv_asset_find(const char *path)
{
	if (!strcmp(path, "/"))
		path = "/index.html";
	if (path[0] != '/' || strchr(path + 1, '/'))
		return NULL;
	for (const srv_asset *a = srv_assets; a->name; a++)
		if (!strcmp(path + 1, a->name))
			return a;
	return NULL;
}

const char *srv_asset_type(const char *name)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{ ".html", "text/html; charset=utf-8" },
		{ ".css", "text/css; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".svg", "image/svg+xml" },
		{ ".png", "image/png" },
		{ ".ico", "image/x-icon" },
		{ ".txt", "text/plain; charset=utf-8" },
	};
	const char *dot = strrchr(name, '.');
	for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
		if (!strcmp(dot, types[i].ext))
			return types[i].type;
	return "application/octet-stream";
}
