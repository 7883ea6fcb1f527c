/*
 * walk: chr_read_path, which feeds files, folders and stdin to readers.
 *
 * Folders are walked recursively in byte order of names (scandir +
 * strcmp), so the same tree always gives the same documents in the same
 * order, which keeps ingest deterministic.  Hidden entries (".name") are
 * skipped; symlinked folders are followed to a fixed depth so a loop
 * cannot run forever.  The format comes from the extension (.jsonl,
 * .ndjson, .json) or is sniffed.
 */
#include "read.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define WALK_MAX_DEPTH 32
#define WALK_CHUNK ((size_t)256 * 1024)

typedef struct walk {
	size_t max;
	chr_doc_fn on_doc;
	chr_reject_fn on_reject;
	void *ctx;
	char *chunk;
	int stopped;
} walk;

static void wreject(walk *w, const char *where, chr_status st, const char *why)
{
	if (w->on_reject)
		w->on_reject(w->ctx, where, st, why);
}

static chr_format format_for(const char *path)
{
	const char *dot = strrchr(path, '.');
	const char *slash = strrchr(path, '/');
	if (!dot || (slash && dot < slash))
		return CHR_FORMAT_AUTO;
	if (!strcmp(dot, ".jsonl") || !strcmp(dot, ".ndjson") ||
	    !strcmp(dot, ".json"))
		return CHR_FORMAT_JSONL;
	if (!strcmp(dot, ".txt"))
		return CHR_FORMAT_AUTO;
	return CHR_FORMAT_AUTO;
}

static chr_status read_fd(walk *w, int fd, const char *name, chr_format fmt)
{
	chr_reader *r;
	chr_status st = chr_reader_new(name, fmt, w->max, w->on_doc,
				       w->on_reject, w->ctx, &r);
	if (st)
		return st;
	for (;;) {
		ssize_t got = read(fd, w->chunk, WALK_CHUNK);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			char why[256];
			snprintf(why, sizeof why, "read error: %s", strerror(errno));
			wreject(w, name, CHR_EIO, why);
			chr_reader_free(r);
			return CHR_OK;
		}
		if (got == 0)
			break;
		st = chr_reader_feed(r, w->chunk, (size_t)got);
		if (st == CHR_EINTERRUPTED)
			break;
	}
	if (st != CHR_EINTERRUPTED)
		st = chr_reader_finish(r);
	chr_reader_free(r);
	if (st == CHR_EINTERRUPTED)
		w->stopped = 1;
	return st;
}

static chr_status read_file(walk *w, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		char why[256];
		snprintf(why, sizeof why, "cannot open: %s", strerror(errno));
		wreject(w, path, CHR_EIO, why);
		return CHR_OK;
	}
	chr_status st = read_fd(w, fd, path, format_for(path));
	close(fd);
	return st;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static chr_status read_any(walk *w, const char *path, int depth);

static chr_status read_dir(walk *w, const char *path, int depth)
{
	struct dirent **list;
	int n = scandir(path, &list, NULL, by_name);
	if (n < 0) {
		char why[256];
		snprintf(why, sizeof why, "cannot read folder: %s", strerror(errno));
		wreject(w, path, CHR_EIO, why);
		return CHR_OK;
	}
	chr_status st = CHR_OK;
	for (int i = 0; i < n; i++) {
		const char *nm = list[i]->d_name;
		if (nm[0] != '.' && !w->stopped && st == CHR_OK) {
			size_t len = strlen(path) + strlen(nm) + 2;
			char *child = malloc(len);
			if (!child) {
				st = CHR_ENOMEM;
			} else {
				int trail = path[0] && path[strlen(path) - 1] == '/';
				snprintf(child, len, trail ? "%s%s" : "%s/%s", path, nm);
				st = read_any(w, child, depth + 1);
				free(child);
			}
		}
		free(list[i]);
	}
	free(list);
	return st;
}

static chr_status read_any(walk *w, const char *path, int depth)
{
	struct stat sb;
	if (stat(path, &sb) != 0) {
		char why[256];
		snprintf(why, sizeof why, "cannot open: %s", strerror(errno));
		wreject(w, path, CHR_ENOTFOUND, why);
		return CHR_OK;
	}
	if (S_ISDIR(sb.st_mode)) {
		if (depth >= WALK_MAX_DEPTH) {
			wreject(w, path, CHR_ELIMIT, "folders nested too deep");
			return CHR_OK;
		}
		return read_dir(w, path, depth);
	}
	if (!S_ISREG(sb.st_mode)) {
		wreject(w, path, CHR_EINVAL, "not a regular file");
		return CHR_OK;
	}
	return read_file(w, path);
}

chr_status chr_read_path(const char *path, size_t max_article,
			 chr_doc_fn on_doc, chr_reject_fn on_reject, void *ctx)
{
	if (!path || !on_doc)
		return CHR_EINVAL;
	walk w = { max_article, on_doc, on_reject, ctx, NULL, 0 };
	w.chunk = malloc(WALK_CHUNK);
	if (!w.chunk)
		return CHR_ENOMEM;
	chr_status st;
	if (!strcmp(path, "-"))
		st = read_fd(&w, 0, "-", CHR_FORMAT_AUTO);
	else
		st = read_any(&w, path, 0);
	free(w.chunk);
	return st;
}
