/*
 * api: the JSON endpoints of `chronicle serve` (documented in
 * docs/api.md).
 *
 * Design note: the route table at the bottom is the whole API.  A row
 * names a path (with has_id, the prefix of "/{id}"), a GET handler and a
 * POST handler; server.c derives 405 and the Allow header from the row,
 * and /api lists the rows.  A handler writes one JSON object into r->out
 * and sets r->status; it never touches HTTP.  Objects that the library
 * already writes as JSON (articles, entities, events, facts, conflicts,
 * timeline entries, digests) are copied as they are, so the server and
 * the CLI's --json output can never disagree; the server adds only the
 * envelope (filters, paging, totals).
 */
#include "server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- paging ---- */

/* Parse ?limit= (default def, 1..max) and ?offset=; -1 with a 400 written. */
static int page_args(srv_req *r, size_t def, size_t max, size_t *limit,
		     size_t *offset)
{
	return srv_arg_count(r, "limit", def, 1, max, limit) ||
	       srv_arg_count(r, "offset", 0, 0, SRV_MAX_OFFSET, offset) ? -1 : 0;
}

/* "limit":L,"offset":O,"key":[ inside an open object. */
static void page_open(srv_buf *b, size_t limit, size_t offset, const char *key)
{
	sb_key(b, "limit");
	sb_printf(b, "%zu", limit);
	sb_key(b, "offset");
	sb_printf(b, "%zu", offset);
	sb_key(b, key);
	sb_puts(b, "[");
}

/* ],"has_more":... and the end of the object. */
static void page_close(srv_buf *b, int more)
{
	sb_puts(b, "]");
	sb_key(b, "has_more");
	sb_puts(b, more ? "true}" : "false}");
}

/* ---- articles ---- */

#define EXCERPT_BYTES 280

/* A short plain excerpt of text: whitespace runs folded to one space, cut
 * at a word boundary before EXCERPT_BYTES, never inside a UTF-8
 * sequence. */
static void put_excerpt(srv_buf *b, const char *text)
{
	char tmp[EXCERPT_BYTES + 8];
	size_t n = 0;
	const char *p = text ? text : "";
	int space = 0, cut = 0;
	while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
		p++;
	for (; *p; p++) {
		int ws = *p == ' ' || *p == '\n' || *p == '\t' || *p == '\r';
		if (ws) {
			space = 1;
			continue;
		}
		if (n + 2 > EXCERPT_BYTES) {
			cut = 1;
			break;
		}
		if (space && n)
			tmp[n++] = ' ';
		space = 0;
		tmp[n++] = *p;
	}
	if (cut) {
		size_t k = n;
		while (k > 0 && tmp[k - 1] != ' ')
			k--;
		if (k > EXCERPT_BYTES / 2)
			n = k - 1;
		while (n > 0 && ((unsigned char)tmp[n] & 0xc0) == 0x80)
			n--; /* stay on a character boundary */
		memcpy(tmp + n, "\xe2\x80\xa6", 3); /* … */
		n += 3;
	}
	sb_jstrn(b, tmp, n);
}

/* The list form of an article: the fields a list shows, without the
 * full text. */
static void put_summary(srv_buf *b, const chr_article *a)
{
	sb_puts(b, "{");
	sb_key(b, "id");
	sb_jstr(b, chr_article_id(a));
	sb_key(b, "headline");
	sb_jstr(b, chr_article_headline(a));
	sb_key(b, "published");
	sb_jstr(b, chr_article_published(a));
	sb_key(b, "published_from");
	sb_jstr(b, chr_article_published_from(a));
	sb_key(b, "dateline");
	sb_jstr(b, chr_article_dateline(a));
	sb_key(b, "outlet");
	sb_jstr(b, chr_article_outlet(a));
	sb_key(b, "agencies");
	sb_puts(b, "[");
	for (size_t i = 0; i < chr_article_agency_count(a); i++) {
		if (i)
			sb_puts(b, ",");
		sb_jstr(b, chr_article_agency(a, i));
	}
	sb_puts(b, "]");
	sb_key(b, "removed_count");
	sb_printf(b, "%zu", chr_article_removed_count(a));
	sb_key(b, "excerpt");
	put_excerpt(b, chr_article_text(a));
	sb_puts(b, "}");
}

typedef struct list_ctx {
	srv_buf *b;
	size_t n;
} list_ctx;

static int on_article(void *ctx, const chr_article *a)
{
	list_ctx *c = ctx;
	if (c->n++)
		sb_puts(c->b, ",");
	put_summary(c->b, a);
	return c->b->oom;
}

static void h_articles(srv_req *r, const char *id)
{
	(void)id;
	size_t limit, offset;
	if (page_args(r, SRV_DEFAULT_LIMIT, SRV_MAX_LIMIT, &limit, &offset))
		return;
	const char *order = srv_arg(r, "order");
	if (order && strcmp(order, "newest") && strcmp(order, "id")) {
		srv_error(r, 400, "order must be newest or id");
		return;
	}
	int by_id = order && !strcmp(order, "id");
	int64_t total = chr_db_article_count(r->db);
	srv_buf *b = &r->out;
	sb_puts(b, "{");
	sb_key(b, "total");
	sb_printf(b, "%lld", (long long)total);
	sb_key(b, "order");
	sb_jstr(b, by_id ? "id" : "newest");
	page_open(b, limit, offset, "articles");
	list_ctx c = { b, 0 };
	chr_status st = by_id
		? chr_db_articles(r->db, limit, offset, on_article, &c)
		: chr_db_articles_newest(r->db, limit, offset, on_article, &c);
	if (st && st != CHR_EINTERRUPTED) {
		srv_error(r, 503, "cannot list articles: %s", chr_db_errmsg(r->db));
		return;
	}
	page_close(b, total > 0 && offset + c.n < (size_t)total);
}

static void h_article(srv_req *r, const char *id)
{
	chr_article *a = NULL;
	chr_status st = chr_db_article(r->db, id, &a);
	if (st == CHR_ENOTFOUND) {
		srv_error(r, 404, "no article with id '%.200s'", id);
		return;
	}
	if (st) {
		srv_error(r, 503, "cannot read the article: %s", chr_strerror(st));
		return;
	}
	size_t len;
	char *js = chr_article_json(a, &len);
	chr_article_free(a);
	if (!js) {
		srv_error(r, 503, "out of memory");
		return;
	}
	sb_put(&r->out, js, len);
	chr_free(js);
}

/* ---- search ---- */

typedef struct hit_ctx {
	srv_buf *b;
	size_t n, limit;
} hit_ctx;

static int on_hit(void *ctx, const chr_hit *h)
{
	hit_ctx *c = ctx;
	if (c->n++ >= c->limit)
		return 1; /* the extra row only says there is more */
	srv_buf *b = c->b;
	if (c->n > 1)
		sb_puts(b, ",");
	sb_puts(b, "{");
	sb_key(b, "id");
	sb_jstr(b, h->id);
	sb_key(b, "headline");
	sb_jstr(b, h->headline);
	sb_key(b, "published");
	sb_jstr(b, h->published);
	sb_key(b, "snippet");
	sb_jstr(b, h->snippet);
	sb_key(b, "score");
	sb_printf(b, "%.4f", h->score);
	sb_puts(b, "}");
	return b->oom;
}

static void h_search(srv_req *r, const char *id)
{
	(void)id;
	size_t limit, offset;
	if (page_args(r, SRV_SEARCH_LIMIT, SRV_SEARCH_MAX_LIMIT, &limit, &offset))
		return;
	const char *q = srv_arg(r, "q");
	if (!q || !*q) {
		srv_error(r, 400, "missing query: use /api/search?q=WORDS");
		return;
	}
	srv_buf *b = &r->out;
	sb_puts(b, "{");
	sb_key(b, "query");
	sb_jstr(b, q);
	page_open(b, limit, offset, "results");
	hit_ctx c = { b, 0, limit };
	chr_status st = chr_db_search(r->db, q, limit + 1, offset, on_hit, &c);
	if (st == CHR_EQUERY) {
		srv_error(r, 400, "malformed query: %s", chr_db_errmsg(r->db));
		return;
	}
	if (st && st != CHR_EINTERRUPTED) {
		srv_error(r, 503, "search failed: %s", chr_db_errmsg(r->db));
		return;
	}
	page_close(b, c.n > limit);
}

/* ---- POST /api/articles ---- */

#define MAX_REASONS 20

typedef struct post_ctx {
	chr_ingest *ing;
	chr_status fatal;
	uint64_t rejected;
	srv_buf reasons; /* JSON array items */
} post_ctx;

static void on_reject(void *ctx, const char *where, chr_status st,
		      const char *why)
{
	post_ctx *c = ctx;
	(void)st;
	if (c->rejected++ >= MAX_REASONS)
		return;
	if (c->reasons.len)
		sb_puts(&c->reasons, ",");
	sb_puts(&c->reasons, "{\"where\":");
	sb_jstr(&c->reasons, where);
	sb_puts(&c->reasons, ",\"reason\":");
	sb_jstr(&c->reasons, why);
	sb_puts(&c->reasons, "}");
}

static int on_doc(void *ctx, const chr_doc *d)
{
	post_ctx *c = ctx;
	chr_status st = chr_ingest_doc(c->ing, d);
	if (st)
		c->fatal = st;
	return st != CHR_OK;
}

/* Is the request body one JSON document rather than JSON Lines? */
static int single_json(srv_req *r)
{
	const char *ct = srv_header(r, "Content-Type");
	if (!ct)
		return 0;
	while (*ct == ' ')
		ct++;
	size_t n = strcspn(ct, "; ");
	return n == 16 && !strncasecmp(ct, "application/json", 16);
}

static void h_post_articles(srv_req *r, const char *id)
{
	(void)id;
	char *body = r->body;
	size_t len = r->body_len;
	size_t i = 0;
	while (i < len && (body[i] == ' ' || body[i] == '\n' ||
			   body[i] == '\r' || body[i] == '\t'))
		i++;
	if (i == len) {
		srv_error(r, 400, "empty body: send a JSON article or JSON Lines");
		return;
	}
	if (body[i] != '{') {
		srv_error(r, 400, "the body must be a JSON object per line "
			  "(an array is not accepted: send JSON Lines)");
		return;
	}
	if (single_json(r)) {
		/* one JSON document, possibly pretty-printed: raw line breaks
		 * cannot occur inside JSON strings, so folding them to spaces
		 * makes it one line without changing its meaning */
		for (size_t k = 0; k < len; k++)
			if (body[k] == '\n' || body[k] == '\r')
				body[k] = ' ';
	}

	post_ctx c;
	memset(&c, 0, sizeof c);
	chr_ingest_opts o;
	memset(&o, 0, sizeof o);
	o.batch = (size_t)-1; /* one transaction: all or nothing */
	o.on_reject = on_reject;
	o.ctx = &c;
	chr_status st = chr_ingest_new(r->db, &o, &c.ing);
	chr_reader *rd = NULL;
	if (!st)
		st = chr_reader_new("post", CHR_FORMAT_JSONL, 0, on_doc, on_reject,
				    &c, &rd);
	if (!st)
		st = chr_reader_feed(rd, body, len);
	if (!st)
		st = chr_reader_finish(rd);
	chr_reader_free(rd);
	if (st == CHR_EINTERRUPTED && c.fatal)
		st = c.fatal;
	chr_ingest_stats stats;
	memset(&stats, 0, sizeof stats);
	if (!st && !c.rejected)
		st = chr_ingest_finish(c.ing, &stats);
	chr_ingest_free(c.ing); /* rolls back anything not finished */

	if (st == CHR_ENOMEM) {
		srv_error(r, 503, "out of memory");
	} else if (st) {
		srv_error(r, 503, "cannot store: %s: %s", chr_strerror(st),
			  chr_db_errmsg(r->db));
	} else if (c.rejected) {
		srv_buf *b = &r->out;
		sb_puts(b, "{\"error\":");
		sb_jstr(b, c.rejected == 1 ? "1 input rejected; nothing was stored"
			   : "inputs rejected; nothing was stored");
		sb_printf(b, ",\"stored\":0,\"rejected\":%llu,\"reasons\":[",
			  (unsigned long long)c.rejected);
		if (c.reasons.p)
			sb_put(b, c.reasons.p, c.reasons.len);
		sb_puts(b, "]}");
		r->status = 400;
	} else if (!stats.stored && !stats.duplicates) {
		srv_error(r, 400, "no articles in the body");
	} else {
		sb_printf(&r->out, "{\"stored\":%llu,\"duplicates\":%llu,"
			  "\"rejected\":0,\"total\":%lld}",
			  (unsigned long long)stats.stored,
			  (unsigned long long)stats.duplicates,
			  (long long)chr_db_article_count(r->db));
		r->status = 201;
	}
	sb_free(&c.reasons);
}

/* ---- service ---- */

static void h_status(srv_req *r, const char *id)
{
	(void)id;
	sb_printf(&r->out, "{\"name\":\"chronicle\",\"version\":");
	sb_jstr(&r->out, chr_version());
	sb_printf(&r->out, ",\"schema\":%d,\"articles\":%lld,\"post_needs_token\":%s",
		  chr_db_schema_version(), (long long)chr_db_article_count(r->db),
		  r->cfg->token ? "true" : "false");
	srv_cache_stats cs;
	srv_cache_get_stats(&cs);
	sb_printf(&r->out, ",\"cache\":{\"enabled\":%s,\"entries\":%zu,"
		  "\"bytes\":%zu,\"hits\":%llu,\"stale_hits\":%llu,"
		  "\"misses\":%llu,\"stores\":%llu,"
		  "\"evictions\":%llu,\"invalidations\":%llu}}",
		  cs.enabled ? "true" : "false", cs.entries, cs.bytes,
		  (unsigned long long)cs.hits, (unsigned long long)cs.stale_hits,
		  (unsigned long long)cs.misses,
		  (unsigned long long)cs.stores, (unsigned long long)cs.evictions,
		  (unsigned long long)cs.invalidations);
}

/* ---- events and storylines (issue 6) ---- */

typedef struct evl_ctx {
	srv_buf *b;
	size_t n, limit;
} evl_ctx;

static int on_event_json(void *ctx, const char *js, size_t len)
{
	evl_ctx *c = ctx;
	if (c->n++ >= c->limit)
		return 1; /* the extra row only says there is more */
	if (c->n > 1)
		sb_puts(c->b, ",");
	sb_put(c->b, js, len);
	return c->b->oom;
}

static void h_events(srv_req *r, const char *id)
{
	(void)id;
	size_t limit, offset;
	if (page_args(r, SRV_DEFAULT_LIMIT, SRV_MAX_LIMIT, &limit, &offset))
		return;
	srv_buf *b = &r->out;
	sb_puts(b, "{");
	page_open(b, limit, offset, "events");
	evl_ctx c = { b, 0, limit };
	chr_status st = chr_db_events(r->db, limit + 1, offset, on_event_json, &c);
	if (st && st != CHR_EINTERRUPTED) {
		srv_error(r, 503, "cannot list events: %s", chr_db_errmsg(r->db));
		return;
	}
	page_close(b, c.n > limit);
}

static void h_event(srv_req *r, const char *id)
{
	char *end;
	long long n = strtoll(id, &end, 10);
	if (!*id || *end || n <= 0) {
		srv_error(r, 404, "no event with id '%.200s'", id);
		return;
	}
	char *js = NULL;
	size_t len = 0;
	chr_status st = chr_db_event_json(r->db, n, &js, &len);
	if (st == CHR_ENOTFOUND) {
		srv_error(r, 404, "no event with id '%.200s'", id);
		return;
	}
	if (st || !js) {
		srv_error(r, 503, "cannot read the event: %s", chr_strerror(st));
		return;
	}
	sb_put(&r->out, js, len);
	chr_free(js);
}

static void h_storylines(srv_req *r, const char *id)
{
	(void)id;
	srv_buf *b = &r->out;
	sb_puts(b, "{");
	sb_key(b, "storylines");
	sb_puts(b, "[");
	evl_ctx c = { b, 0, SIZE_MAX - 1 };
	chr_status st = chr_db_storylines(r->db, on_event_json, &c);
	if (st && st != CHR_EINTERRUPTED) {
		srv_error(r, 503, "cannot list storylines: %s", chr_db_errmsg(r->db));
		return;
	}
	sb_puts(b, "]");
	sb_key(b, "total");
	sb_printf(b, "%zu", c.n);
	sb_puts(b, "}");
}

/* ---- entities (issue 4) and syndication groups (issue 5) ---- */

typedef struct ent_ctx {
	srv_buf *b;
	size_t n, limit;
} ent_ctx;

static int on_entity(void *ctx, const chr_entity_row *e)
{
	ent_ctx *c = ctx;
	if (c->n++ >= c->limit)
		return 1; /* the extra row only says there is more */
	srv_buf *b = c->b;
	sb_puts(b, c->n > 1 ? ",{" : "{");
	sb_key(b, "id");
	sb_printf(b, "%lld", (long long)e->id);
	sb_key(b, "name");
	sb_jstr(b, e->name);
	sb_key(b, "type");
	sb_jstr(b, e->type);
	sb_key(b, "mentions");
	sb_printf(b, "%lld", (long long)e->mentions);
	sb_key(b, "articles");
	sb_printf(b, "%lld", (long long)e->articles);
	sb_puts(b, "}");
	return b->oom;
}

static void h_entities(srv_req *r, const char *id)
{
	(void)id;
	size_t limit, offset;
	if (page_args(r, SRV_DEFAULT_LIMIT, SRV_MAX_LIMIT, &limit, &offset))
		return;
	const char *type = srv_arg(r, "type");
	if (type && !*type)
		type = NULL;
	if (type && strcmp(type, "PER") && strcmp(type, "ORG") &&
	    strcmp(type, "LOC") && strcmp(type, "MISC")) {
		srv_error(r, 400, "type must be PER, ORG, LOC or MISC");
		return;
	}
	srv_buf *b = &r->out;
	sb_puts(b, "{");
	sb_key(b, "type");
	sb_jstr(b, type);
	page_open(b, limit, offset, "entities");
	ent_ctx c = { b, 0, limit };
	chr_status st = chr_db_entities(r->db, type, limit + 1, offset, on_entity, &c);
	if (st && st != CHR_EINTERRUPTED) {
		srv_error(r, 503, "cannot list entities: %s", chr_db_errmsg(r->db));
		return;
	}
	page_close(b, c.n > limit);
}

static void h_entity(srv_req *r, const char *id)
{
	char *js = NULL;
	size_t len = 0;
	chr_status st = chr_db_entity_json(r->db, id, &js, &len);
	if (st == CHR_ENOTFOUND) {
		srv_error(r, 404, "no entity with id or name '%.200s'", id);
		return;
	}
	if (st || !js) {
		srv_error(r, 503, "cannot read the entity: %s", chr_strerror(st));
		return;
	}
	sb_put(&r->out, js, len);
	chr_free(js);
}

typedef struct dup_ctx {
	srv_buf *b;
	size_t n;
} dup_ctx;

static int on_group(void *ctx, const chr_dup_group *g)
{
	dup_ctx *c = ctx;
	srv_buf *b = c->b;
	sb_puts(b, c->n++ ? ",{" : "{");
	sb_key(b, "id");
	sb_printf(b, "%lld", (long long)g->id);
	sb_key(b, "original");
	sb_jstr(b, g->original);
	sb_key(b, "articles");
	sb_puts(b, "[");
	for (size_t i = 0; i < g->n; i++) {
		if (i)
			sb_puts(b, ",");
		sb_jstr(b, g->articles[i]);
	}
	sb_puts(b, "]}");
	return b->oom;
}

/* /api/dups: syndication groups (as `chronicle dups`); ?article=ID gives
 * that article's group only; ?min=N the smallest group listed (2). */
static void h_dups(srv_req *r, const char *id)
{
	(void)id;
	size_t min;
	if (srv_arg_count(r, "min", 2, 0, 1000000, &min))
		return;
	const char *art = srv_arg(r, "article");
	srv_buf *b = &r->out;
	sb_puts(b, "{\"groups\":[");
	dup_ctx c = { b, 0 };
	chr_status st = art ? chr_db_article_group(r->db, art, on_group, &c)
			    : chr_db_dup_groups(r->db, min, on_group, &c);
	if (st == CHR_ENOTFOUND) {
		srv_error(r, 404, "no article with id '%.200s' in the syndication index", art);
		return;
	}
	if (st && st != CHR_EINTERRUPTED) {
		srv_error(r, 503, "cannot list groups: %s", chr_db_errmsg(r->db));
		return;
	}
	sb_puts(b, "]}");
}

/* ---- facts, conflicts, timeline and digests (issue 7) ----
 *
 * Design note: the facts stage hands each item over as one finished JSON
 * object (chr_json_fn), so these handlers copy the objects as they are and
 * add only the envelope: filters the stage does not take (event,
 * storyline) and paging.  Filtering by event reads the object's top-level
 * "event" member with a small scanner (json_top_int) instead of a parser:
 * the objects are our own, well formed, and nested members (a sentence's
 * "article") must not match.  The total counts every item that passes
 * the filters, so a page can say "1–50 of 212". */

#define FACTS_LIMIT 100
#define FACTS_MAX_LIMIT 1000
#define MAX_STORY_EVENTS 4096

/* The integer value of the top-level member key of the JSON object
 * js[0, len); 0 when it is absent or not an integer. */
static int json_top_int(const char *js, size_t len, const char *key,
			int64_t *out)
{
	size_t klen = strlen(key);
	int depth = 0;
	for (size_t i = 0; i < len; i++) {
		char ch = js[i];
		if (ch == '"') {
			size_t s0 = ++i;
			while (i < len && js[i] != '"')
				i += js[i] == '\\' ? 2 : 1;
			if (depth != 1 || i - s0 != klen || memcmp(js + s0, key, klen))
				continue;
			size_t k = i + 1;
			while (k < len && js[k] == ' ')
				k++;
			if (k >= len || js[k] != ':')
				continue; /* a value that happens to equal key */
			k++;
			while (k < len && js[k] == ' ')
				k++;
			char *end;
			long long v = strtoll(js + k, &end, 10);
			if (end == js + k)
				return 0;
			*out = v;
			return 1;
		}
		if (ch == '{' || ch == '[')
			depth++;
		else if (ch == '}' || ch == ']')
			depth--;
	}
	return 0;
}

typedef struct item_ctx {
	srv_buf *b;
	size_t n;        /* items written */
	size_t total;    /* items that pass the filters */
	size_t limit, offset;
	int64_t event;   /* only this event's items; 0 for all */
	const int64_t *events; /* or only these events (a storyline) */
	size_t nevents;
} item_ctx;

static int on_item(void *ctx, const char *js, size_t len)
{
	item_ctx *c = ctx;
	if (c->event || c->events) {
		int64_t ev = 0;
		if (!json_top_int(js, len, "event", &ev))
			return 0;
		if (c->event && ev != c->event)
			return 0;
		if (c->events) {
			size_t i = 0;
			while (i < c->nevents && c->events[i] != ev)
				i++;
			if (i == c->nevents)
				return 0;
		}
	}
	size_t k = c->total++;
	if (k < c->offset || k - c->offset >= c->limit)
		return 0;
	if (c->n++)
		sb_puts(c->b, ",");
	sb_put(c->b, js, len);
	return c->b->oom;
}

/* Reads ?limit=, ?offset= and ?event= into c (a 400 written on -1). */
static int item_args(srv_req *r, item_ctx *c, size_t def)
{
	size_t ev;
	memset(c, 0, sizeof *c);
	c->b = &r->out;
	if (page_args(r, def, FACTS_MAX_LIMIT, &c->limit, &c->offset) ||
	    srv_arg_count(r, "event", 0, 0, (size_t)INT64_MAX, &ev))
		return -1;
	c->event = (int64_t)ev;
	return 0;
}

/* An optional text argument: NULL when absent or empty. */
static const char *text_arg(srv_req *r, const char *name)
{
	const char *v = srv_arg(r, name);
	return v && *v ? v : NULL;
}

/* {"entity", "event" (the filters every list echoes); the caller adds
 * its own, then page_open. */
static void items_open(srv_buf *b, const char *entity, int64_t event)
{
	sb_puts(b, "{");
	sb_key(b, "entity");
	sb_jstr(b, entity);
	sb_key(b, "event");
	if (event)
		sb_printf(b, "%lld", (long long)event);
	else
		sb_puts(b, "null");
}

/* ], "total", "has_more", "available" } or the error for st. */
static void items_close(srv_req *r, const item_ctx *c, chr_status st,
			const char *what, const char *entity)
{
	if (st == CHR_ENOTFOUND && entity) {
		srv_error(r, 404, "no entity with name or alias '%.200s'", entity);
		return;
	}
	if (st == CHR_ENOTFOUND) {
		srv_error(r, 404, "no event %lld", (long long)c->event);
		return;
	}
	if (st && st != CHR_EINTERRUPTED) {
		srv_error(r, 503, "cannot read the %s: %s", what, chr_strerror(st));
		return;
	}
	srv_buf *b = &r->out;
	sb_puts(b, "]");
	sb_key(b, "total");
	sb_printf(b, "%zu", c->total);
	sb_key(b, "has_more");
	sb_puts(b, c->offset + c->n < c->total ? "true" : "false");
	sb_key(b, "available");
	sb_puts(b, "true}");
}

static void h_facts(srv_req *r, const char *id)
{
	(void)id;
	item_ctx c;
	if (item_args(r, &c, FACTS_LIMIT))
		return;
	const char *entity = text_arg(r, "entity");
	items_open(&r->out, entity, c.event);
	page_open(&r->out, c.limit, c.offset, "facts");
	chr_status st = chr_db_facts(r->db, entity, on_item, &c);
	items_close(r, &c, st, "facts", entity);
}

static void h_conflicts(srv_req *r, const char *id)
{
	(void)id;
	item_ctx c;
	if (item_args(r, &c, FACTS_LIMIT))
		return;
	items_open(&r->out, NULL, c.event);
	page_open(&r->out, c.limit, c.offset, "conflicts");
	chr_status st = chr_db_conflicts(r->db, on_item, &c);
	items_close(r, &c, st, "conflicts", NULL);
}

/* The events of storyline story into ev[0, *n), from chr_db_storylines
 * ({id, title, events:[ids]}).  The raw text "events":[ cannot occur
 * inside a JSON string (its quotes would be escaped), so finding it is
 * finding the member. */
typedef struct story_ctx {
	int64_t story;
	int64_t *ev;
	size_t max, n;
	int found;
} story_ctx;

static int on_storyline(void *ctx, const char *js, size_t len)
{
	story_ctx *c = ctx;
	int64_t id = 0;
	if (!json_top_int(js, len, "id", &id) || id != c->story)
		return 0;
	c->found = 1;
	const char *key = "\"events\":[";
	size_t kl = strlen(key);
	for (size_t i = 0; i + kl <= len; i++) {
		if (memcmp(js + i, key, kl))
			continue;
		const char *p = js + i + kl, *end = js + len;
		while (p < end && *p != ']' && c->n < c->max) {
			char *q;
			long long v = strtoll(p, &q, 10);
			if (q == p)
				break;
			c->ev[c->n++] = v;
			p = q;
			while (p < end && (*p == ',' || *p == ' '))
				p++;
		}
		break;
	}
	return 1; /* found: stop */
}

static chr_status storyline_events(srv_req *r, int64_t story, int64_t *ev,
				   size_t max, size_t *n)
{
	story_ctx c = { story, ev, max, 0, 0 };
	chr_status st = chr_db_storylines(r->db, on_storyline, &c);
	*n = c.n;
	if (st == CHR_EINTERRUPTED)
		st = CHR_OK;
	if (!st && !c.found)
		st = CHR_ENOTFOUND;
	return st;
}

static void h_timeline(srv_req *r, const char *id)
{
	(void)id;
	item_ctx c;
	size_t story;
	if (item_args(r, &c, SRV_MAX_LIMIT) ||
	    srv_arg_count(r, "storyline", 0, 0, (size_t)INT64_MAX, &story))
		return;
	const char *entity = text_arg(r, "entity");
	const char *query = text_arg(r, "query");
	int64_t *evs = NULL;
	if (story) {
		evs = malloc(MAX_STORY_EVENTS * sizeof *evs);
		if (!evs) {
			srv_error(r, 503, "out of memory");
			return;
		}
		chr_status sst = storyline_events(r, (int64_t)story, evs,
						  MAX_STORY_EVENTS, &c.nevents);
		if (sst) {
			free(evs);
			if (sst == CHR_ENOTFOUND)
				srv_error(r, 404, "no storyline %zu", story);
			else
				srv_error(r, 503, "cannot read the storyline: %s",
					  chr_strerror(sst));
			return;
		}
		c.events = evs;
	}
	srv_buf *b = &r->out;
	items_open(b, entity, c.event);
	sb_key(b, "query");
	sb_jstr(b, query);
	sb_key(b, "storyline");
	if (story)
		sb_printf(b, "%zu", story);
	else
		sb_puts(b, "null");
	page_open(b, c.limit, c.offset, "entries");
	chr_status st = chr_db_timeline(r->db, entity, query, on_item, &c);
	free(evs);
	items_close(r, &c, st, "timeline", entity);
}

/* /api/digests?event=N: per-event summaries (chr_db_digests), the
 * event page's summary while /api/events/{id} has none; no event gives
 * every event, which also names the events before the events issue
 * stores them (one per syndication group). */
static void h_digests(srv_req *r, const char *id)
{
	(void)id;
	item_ctx c;
	if (item_args(r, &c, FACTS_LIMIT))
		return;
	int64_t ev = c.event;
	c.event = 0; /* chr_db_digests filters itself */
	items_open(&r->out, NULL, ev);
	page_open(&r->out, c.limit, c.offset, "digests");
	chr_status st = chr_db_digests(r->db, ev, on_item, &c);
	c.event = ev;
	items_close(r, &c, st, "digests", NULL);
}

/* ---- the route table ---- */

#define GET_ONLY "GET, HEAD"
#define GET_POST "GET, HEAD, POST"

static void h_index(srv_req *r, const char *id);

static const srv_route routes[] = {
	{ "/api", 0, h_index, NULL, GET_ONLY },
	{ "/api/status", 0, h_status, NULL, GET_ONLY },
	{ "/api/articles", 0, h_articles, h_post_articles, GET_POST },
	{ "/api/articles", 1, h_article, NULL, GET_ONLY },
	{ "/api/search", 0, h_search, NULL, GET_ONLY },
	{ "/api/entities", 0, h_entities, NULL, GET_ONLY },
	{ "/api/entities", 1, h_entity, NULL, GET_ONLY },
	{ "/api/dups", 0, h_dups, NULL, GET_ONLY },
	{ "/api/facts", 0, h_facts, NULL, GET_ONLY },
	{ "/api/conflicts", 0, h_conflicts, NULL, GET_ONLY },
	{ "/api/timeline", 0, h_timeline, NULL, GET_ONLY },
	{ "/api/digests", 0, h_digests, NULL, GET_ONLY },
	/* stubs until their issues land */
	{ "/api/events", 0, h_events, NULL, GET_ONLY },
	{ "/api/events", 1, h_event, NULL, GET_ONLY },
	{ "/api/storylines", 0, h_storylines, NULL, GET_ONLY },
};
#define N_ROUTES (sizeof routes / sizeof routes[0])

static void h_index(srv_req *r, const char *id)
{
	(void)id;
	srv_buf *b = &r->out;
	sb_puts(b, "{\"name\":\"chronicle\",\"version\":");
	sb_jstr(b, chr_version());
	sb_puts(b, ",\"docs\":\"docs/api.md\",\"endpoints\":[");
	for (size_t i = 0; i < N_ROUTES; i++) {
		char path[96];
		snprintf(path, sizeof path, "%s%s", routes[i].path,
			 routes[i].has_id ? "/{id}" : "");
		sb_puts(b, i ? ",{" : "{");
		sb_key(b, "path");
		sb_jstr(b, path);
		sb_key(b, "methods");
		sb_jstr(b, routes[i].allow);
		sb_puts(b, "}");
	}
	sb_puts(b, "]}");
}

/* Every GET reads only the database, except the status, which reports
 * the cache itself. */
int srv_route_cacheable(const srv_route *rt)
{
	return rt && rt->get && rt->get != h_status;
}

const srv_route *srv_route_find(const char *path, char **id)
{
	*id = NULL;
	for (size_t i = 0; i < N_ROUTES; i++) {
		const srv_route *rt = &routes[i];
		size_t n = strlen(rt->path);
		if (strncmp(path, rt->path, n))
			continue;
		if (!rt->has_id && path[n] == '\0')
			return rt;
		if (rt->has_id && path[n] == '/' && path[n + 1]) {
			*id = strdup(path + n + 1);
			return rt;
		}
	}
	return NULL;
}
