/*
 * ner_api: the public chr_ner_* functions (see include/chronicle.h).
 *
 * Design note: chr_ner is the internal ner_model, read-only once loaded,
 * so one model can serve many threads.  Each thread keeps its scratch
 * (ner_work) between calls: allocating it per document made the kernel
 * fault in and zero its pages every time (a tenth of the tagging time on
 * CoNLL documents); it is freed when the thread ends, and after a
 * document too long to keep it for (NER_WORK_KEEP tokens).
 * ner_tag_iob2 is chr_ner_tag_tokens for callers inside the library
 * that can point tokens into their text (the entities stage), so no
 * token is copied or measured again.  The model is found, when no path is given, in this order:
 *   1. $CHRONICLE_MODELS/ner.bin
 *   2. <dir of the executable>/../models/ner.bin   (build/chronicle in a
 *      source tree: the committed models/ folder)
 *   3. <dir of the executable>/../share/chronicle/models/ner.bin
 *      (an installed prefix: bin/ next to share/)
 *   4. CHR_MODELS_DIR/ner.bin (compiled in; default
 *      /usr/local/share/chronicle/models)
 *   5. ./models/ner.bin
 * The first file that exists is loaded; if it is corrupt that is the
 * error (no silent fallback to another copy).  The message of the last
 * failed load is kept per thread for chr_ner_errmsg.
 */
#include "entities/ner.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef CHR_MODELS_DIR
#define CHR_MODELS_DIR "/usr/local/share/chronicle/models"
#endif

static _Thread_local char g_err[512];

#define NER_WORK_KEEP 8192 /* tokens: a longer document's scratch is freed */

static pthread_key_t work_key;
static pthread_once_t work_once = PTHREAD_ONCE_INIT;
static int work_key_ok;

static void work_destroy(void *p)
{
	ner_work_free(p);
	free(p);
}

static void work_key_init(void)
{
	work_key_ok = pthread_key_create(&work_key, work_destroy) == 0;
}

/* This thread's scratch, or fallback (zeroed) when it cannot be kept. */
static ner_work *work_get(ner_work *fallback)
{
	memset(fallback, 0, sizeof *fallback);
	pthread_once(&work_once, work_key_init);
	if (!work_key_ok)
		return fallback;
	ner_work *w = pthread_getspecific(work_key);
	if (!w && (w = calloc(1, sizeof *w)) && pthread_setspecific(work_key, w)) {
		free(w);
		w = NULL;
	}
	return w ? w : fallback;
}

/* After a document: free the fallback, or a kept scratch grown past
 * NER_WORK_KEEP tokens (it stays registered, empty). */
static void work_put(ner_work *w, ner_work *fallback)
{
	if (w == fallback || w->cap > NER_WORK_KEEP)
		ner_work_free(w);
}

const char *chr_ner_errmsg(void)
{
	return g_err[0] ? g_err : "no error";
}

const char *chr_ent_type_name(int type)
{
	return type >= 1 && type <= NER_NTYPES ? ner_type_names[type] : "O";
}

const char *chr_ner_tag_name(uint8_t tag)
{
	static const char *const names[] = {"O", "B-PER", "I-PER", "B-LOC",
					    "I-LOC", "B-ORG", "I-ORG", "B-MISC",
					    "I-MISC"};
	return tag < sizeof names / sizeof names[0] ? names[tag] : "O";
}

static int exists(const char *p)
{
	return access(p, F_OK) == 0;
}

/* Find the model file; writes the path into out.  0 when found. */
static int find_model(char *out, size_t n)
{
	const char *env = getenv("CHRONICLE_MODELS");
	if (env && *env) {
		snprintf(out, n, "%s/ner.bin", env);
		return 0; /* explicit: use it even if missing (clear error) */
	}
	char exe[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (len > 0) {
		exe[len] = 0;
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = 0;
			static const char *const rel[] = {
				"../models", "../share/chronicle/models",
				"../../models"};
			for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
				if (snprintf(out, n, "%s/%s/ner.bin", exe, rel[i]) <
					    (int)n &&
				    exists(out))
					return 0;
			}
		}
	}
	snprintf(out, n, "%s/ner.bin", CHR_MODELS_DIR);
	if (exists(out))
		return 0;
	snprintf(out, n, "models/ner.bin");
	if (exists(out))
		return 0;
	return -1;
}

chr_status chr_ner_load(const char *path, chr_ner **out)
{
	if (!out)
		return CHR_EINVAL;
	*out = NULL;
	g_err[0] = 0;
	char found[PATH_MAX + 64];
	if (!path) {
		if (find_model(found, sizeof found) != 0) {
			snprintf(g_err, sizeof g_err,
				 "no NER model found (set CHRONICLE_MODELS to "
				 "the folder holding ner.bin)");
			return CHR_EMODEL;
		}
		path = found;
	}
	ner_model *m;
	chr_status st = ner_model_load(path, &m, g_err, sizeof g_err);
	if (st)
		return st;
	*out = (chr_ner *)m;
	return CHR_OK;
}

void chr_ner_free(chr_ner *m)
{
	ner_model_free((ner_model *)m);
}

chr_status ner_tag_iob2(const ner_model *m, const ner_tok *t, size_t n,
			uint8_t *tags)
{
	ner_work fb, *w = work_get(&fb);
	chr_status st = ner_tag_doc(m, t, n, w, tags);
	if (st == CHR_OK) /* in place: each code reads only its own tag */
		ner_to_iob2((int)m->scheme, tags, n, tags);
	work_put(w, &fb);
	return st;
}

chr_status chr_ner_tag_tokens(const chr_ner *cm, const char *const *tok,
			      const unsigned char *sent_start, size_t n,
			      uint8_t *tags)
{
	const ner_model *m = (const ner_model *)cm;
	if (!m || (n && (!tok || !tags)))
		return CHR_EINVAL;
	if (n == 0)
		return CHR_OK;
	ner_tok *t = malloc(n * sizeof *t);
	uint8_t *it = malloc(n);
	if (!t || !it) {
		free(t);
		free(it);
		return CHR_ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		size_t len = tok[i] ? strlen(tok[i]) : 0;
		t[i].s = tok[i] ? tok[i] : "";
		t[i].len = (uint32_t)(len > UINT32_MAX ? UINT32_MAX : len);
		t[i].sent_start = (uint8_t)(i == 0 || (sent_start && sent_start[i]));
	}
	chr_status st = ner_tag_iob2(m, t, n, it);
	if (st == CHR_OK)
		memcpy(tags, it, n);
	free(t);
	free(it);
	return st;
}

chr_status chr_ner_tag_text(const chr_ner *cm, const char *text, size_t len,
			    chr_entity **out, size_t *nout)
{
	const ner_model *m = (const ner_model *)cm;
	if (!m || !out || !nout || (len && !text))
		return CHR_EINVAL;
	*out = NULL;
	*nout = 0;
	ner_span *sp;
	size_t n;
	chr_status st = ner_tokenize(text, len, &sp, &n);
	if (st || n == 0) {
		free(sp);
		return st;
	}
	ner_tok *t = malloc(n * sizeof *t);
	uint8_t *tags = malloc(n);
	chr_entity *ents = NULL;
	size_t ne = 0, cap = 0;
	ner_work fb, *w = work_get(&fb);
	if (!t || !tags) {
		st = CHR_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		t[i].s = text + sp[i].start;
		t[i].len = sp[i].end - sp[i].start;
		t[i].sent_start = sp[i].sent_start;
	}
	st = ner_tag_doc(m, t, n, w, tags);
	if (st)
		goto done;
	ner_to_iob2((int)m->scheme, tags, n, tags);
	for (size_t i = 0; i < n; i++) {
		if (!tags[i] || !(tags[i] & 1))
			continue; /* entities start at a B- code (odd) */
		size_t j = i + 1;
		while (j < n && tags[j] == tags[i] + 1)
			j++;
		if (ne == cap) {
			cap = cap ? cap * 2 : 16;
			chr_entity *q = realloc(ents, cap * sizeof *q);
			if (!q) {
				st = CHR_ENOMEM;
				goto done;
			}
			ents = q;
		}
		ents[ne].start = sp[i].start;
		ents[ne].end = sp[j - 1].end;
		ents[ne].type = (chr_ent_type)((tags[i] + 1) / 2);
		ne++;
	}
done:
	work_put(w, &fb);
	free(sp);
	free(t);
	free(tags);
	if (st) {
		free(ents);
		return st;
	}
	*out = ents;
	*nout = ne;
	return CHR_OK;
}
