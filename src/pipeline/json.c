/*
 * json: the article object of the JSON contract (PRODUCT.md), shared by
 * the CLI's --json and the server so the two can never disagree.
 */
#include "article.h"

#include "core/jsonw.h"

/* The object with extra(w, ctx) called before it is closed, so a stage
 * with a database at hand can add its fields (dedup: src/dedup/api.c). */
char *art_json_with(const chr_article *a, void (*extra)(jw *w, void *ctx),
		    void *ctx, size_t *len)
{
	buf b;
	buf_init(&b, 0);
	jw w;
	jw_init(&w, &b);
	jw_obj(&w);
	jw_kstr(&w, "id", a->id);
	jw_kstr(&w, "path", a->path);
	jw_kstr(&w, "headline", a->headline);
	jw_kstr(&w, "published", chr_article_published(a));
	jw_kstr(&w, "published_from", chr_article_published_from(a));
	jw_kstr(&w, "dateline", a->dateline);
	jw_key(&w, "agencies");
	jw_arr(&w);
	for (size_t i = 0; i < a->agencies.n; i++)
		jw_str(&w, a->agencies.v[i]);
	jw_arr_end(&w);
	jw_kstr(&w, "outlet", a->outlet);
	jw_kstr(&w, "url", a->url);
	jw_key(&w, "text");
	jw_strn(&w, a->text, a->text_len);
	jw_key(&w, "removed");
	jw_arr(&w);
	for (size_t i = 0; i < a->removed.n; i++) {
		jw_obj(&w);
		jw_kstr(&w, "text", a->removed.v[i].text);
		jw_kstr(&w, "reason", a->removed.v[i].reason);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_key(&w, "notes");
	jw_arr(&w);
	for (size_t i = 0; i < a->notes.n; i++)
		jw_str(&w, a->notes.v[i]);
	jw_arr_end(&w);
	if (extra)
		extra(&w, ctx);
	jw_obj_end(&w);
	if (w.st) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b, len);
}

char *chr_article_json(const chr_article *a, size_t *len)
{
	return art_json_with(a, NULL, NULL, len);
}
