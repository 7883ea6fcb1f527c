/*
 * ev_corpus: labelled corpora for training and evaluating the events
 * stage (ECB+ articles with events_gold.tsv, GoogleNews-TS snippets).
 *
 * Design note: the tools need the same things (read JSON Lines, run the
 * text pipeline, attach gold labels, shuffle, cluster in a given order),
 * so they live here once.  Labels are dense ints assigned in first-seen
 * order.  Shuffles use a fixed xorshift generator, so "seed 3" is the
 * same order on every machine.
 */
#include "ev_corpus.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/article.h"

static int label_of(ht *map, arena *mem, const char *s, int *next)
{
	size_t n = strlen(s);
	ht_entry *h = ht_get(map, s, n);
	if (h)
		return (int)h->v.num;
	char *k = arena_strndup(mem, s, n);
	int created;
	if (!k || !(h = ht_put(map, k, n, &created)))
		return -1;
	h->v.num = (*next)++;
	return (int)h->v.num;
}

static const char *dup(arena *a, const char *s)
{
	return s ? arena_strdup(a, s) : NULL;
}

static const char *jget(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

chr_status ev_corpus_load(ev_corpus *c, const char *jsonl, const char *gold,
			  int process, char *err, size_t errlen)
{
	memset(c, 0, sizeof *c);
	arena_init(&c->mem, 0);
	ht goldmap, labels;
	ht_init(&goldmap, 0);
	ht_init(&labels, 0);
	chr_status st = CHR_OK;
	char line[1 << 16];
	FILE *f;
	if (gold) {
		if (!(f = fopen(gold, "r"))) {
			snprintf(err, errlen, "%s: cannot open", gold);
			st = CHR_EIO;
			goto out;
		}
		while (fgets(line, sizeof line, f)) {
			char id[128], topic[32], ev[64];
			if (sscanf(line, "%127s %31s %63s", id, topic, ev) != 3 ||
			    !strcmp(id, "id"))
				continue;
			char *k = arena_strdup(&c->mem, id);
			char *v = arena_strdup(&c->mem, ev);
			int created;
			ht_entry *h = k && v ? ht_put(&goldmap, k, strlen(k),
						      &created) : NULL;
			if (!h) {
				st = CHR_ENOMEM;
				break;
			}
			h->v.ptr = v;
		}
		fclose(f);
		if (st)
			goto out;
	}
	if (!(f = fopen(jsonl, "r"))) {
		snprintf(err, errlen, "%s: cannot open", jsonl);
		st = CHR_EIO;
		goto out;
	}
	int next = 0;
	size_t lineno = 0;
	while (!st && fgets(line, sizeof line, f)) {
		lineno++;
		json_error_t je;
		json_t *o = json_loads(line, 0, &je);
		if (!o) {
			snprintf(err, errlen, "%s:%zu: %s", jsonl, lineno, je.text);
			st = CHR_EPARSE;
			break;
		}
		if (c->n == c->cap) {
			size_t nc = c->cap ? c->cap * 2 : 1024;
			ev_item *nv = realloc(c->items, nc * sizeof *nv);
			if (!nv) {
				json_decref(o);
				st = CHR_ENOMEM;
				break;
			}
			c->items = nv;
			c->cap = nc;
		}
		ev_item *it = &c->items[c->n];
		memset(it, 0, sizeof *it);
		char idbuf[32];
		const char *id = jget(o, "id");
		if (!id) {
			snprintf(idbuf, sizeof idbuf, "%zu", lineno);
			id = idbuf;
		}
		const char *text = jget(o, "text");
		it->id = arena_strdup(&c->mem, id);
		it->title = dup(&c->mem, jget(o, "title"));
		it->text = arena_strdup(&c->mem, text ? text : "");
		it->date = dup(&c->mem, jget(o, "date"));
		it->dateline = dup(&c->mem, jget(o, "dateline"));
		it->gold = -1;
		json_t *cl = json_object_get(o, "cluster");
		if (json_is_integer(cl)) {
			char b[32];
			snprintf(b, sizeof b, "%lld", (long long)json_integer_value(cl));
			it->gold = label_of(&labels, &c->mem, b, &next);
		} else if (gold) {
			ht_entry *h = ht_get(&goldmap, it->id, strlen(it->id));
			if (h)
				it->gold = label_of(&labels, &c->mem, h->v.ptr, &next);
		}
		json_decref(o);
		if (!it->id || !it->text) {
			st = CHR_ENOMEM;
			break;
		}
		if (process) {
			chr_doc d;
			memset(&d, 0, sizeof d);
			d.id = it->id;
			d.title = it->title;
			d.text = it->text;
			d.text_len = strlen(it->text);
			d.date = it->date;
			d.dateline = it->dateline;
			d.path = jsonl;
			d.line = lineno;
			if (chr_article_process(&d, &it->art))
				it->art = NULL; /* unusable: clustered raw */
		}
		c->n++;
	}
	fclose(f);
	c->nlabels = next;
out:
	ht_free(&goldmap);
	ht_free(&labels);
	if (st)
		ev_corpus_free(c);
	return st;
}

void ev_corpus_free(ev_corpus *c)
{
	for (size_t i = 0; i < c->n; i++)
		chr_article_free(c->items[i].art);
	free(c->items);
	arena_free(&c->mem);
	memset(c, 0, sizeof *c);
}

chr_status ev_item_input(const ev_item *it, ev_input *in)
{
	if (it->art)
		return ev_input_from_article(in, it->art);
	memset(in, 0, sizeof *in);
	in->id = it->id;
	in->headline = it->title ? it->title : "";
	in->text = it->text;
	in->text_len = strlen(it->text);
	in->published = it->date;
	in->dateline = it->dateline;
	in->group = -1;
	return CHR_OK;
}

static uint64_t xorshift(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

void ev_order(size_t *order, size_t n, uint64_t seed)
{
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	if (!seed)
		return;
	uint64_t s = seed * 0x9E3779B97F4A7C15ULL + 1;
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)(xorshift(&s) % i);
		size_t t = order[i - 1];
		order[i - 1] = order[j];
		order[j] = t;
	}
}

/* Is the item dated (a published date or an explicit date in text)? */
static int dated(ev_engine *e, const ev_item *it, ev_doc *d)
{
	ev_input in;
	if (ev_item_input(it, &in))
		return 0;
	chr_status st = ev_doc_build(e, &in, d);
	ev_input_release(&in);
	return !st && d->anchor != EV_NODAY;
}

chr_status ev_cluster(const ev_corpus *c, const ev_model *m,
		      const size_t *order, int *labels, ev_engine *keep)
{
	ev_engine e;
	chr_status st = ev_engine_init(&e, m);
	e.batch_merge = 1; /* as ingest */
	ev_doc d;
	ev_doc_init(&d);
	size_t *batch = malloc(EV_BATCH * sizeof *batch);
	if (!batch)
		st = CHR_ENOMEM;
	for (size_t b0 = 0; !st && b0 < c->n; b0 += EV_BATCH) {
		size_t b1 = b0 + EV_BATCH < c->n ? b0 + EV_BATCH : c->n, nb = 0;
		/* dated articles first, then the undated, each in input order */
		for (int pass = 0; pass < 2; pass++)
			for (size_t i = b0; i < b1; i++)
				if (dated(&e, &c->items[order[i]], &d) == !pass)
					batch[nb++] = order[i];
		for (size_t i = 0; !st && i < nb; i++) {
			ev_input in;
			size_t k;
			if ((st = ev_item_input(&c->items[batch[i]], &in)))
				break;
			if (!(st = ev_doc_build(&e, &in, &d)) &&
			    !(st = ev_add(&e, &d, &k, NULL)))
				labels[batch[i]] = (int)k;
			ev_input_release(&in);
		}
		/* the batch's events re-checked, as ingest does */
		for (size_t i = 0; !st && i < nb; i++)
			batch[i] = (size_t)labels[batch[i]];
		if (!st)
			st = ev_settle_batch(&e, batch, nb, NULL, NULL);
		ev_retire(&e); /* as ingest does after each batch */
	}
	/* labels of events merged away name their survivor */
	for (size_t i = 0; !st && i < c->n; i++)
		labels[order[i]] = (int)ev_live(&e, (size_t)labels[order[i]]);
	free(batch);
	ev_doc_free(&d);
	if (keep && !st)
		*keep = e;
	else
		ev_engine_free(&e);
	return st;
}
