/*
 * ev_model: the logistic join model (weights and thresholds).
 *
 * Design note: a plain text file of "name value" lines, so a diff of a
 * retrained model is readable; tools/train_events.c writes it.  The
 * built-in defaults below are hand-set priors: the trainer pulls its
 * weights toward them (L2), and the library falls back on them when no
 * model file is found.  They are not the trained weights.
 */
#include "events.h"
#include "core/embed.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const ev_feat_names[EV_NFEAT] = {
	[EVF_BIAS] = "bias",
	[EVF_BODY] = "body_cos",
	[EVF_TITLE] = "title_cos",
	[EVF_CROSS] = "title_in_body",
	[EVF_ENT] = "entity_cos",
	[EVF_ENT_NONE] = "entity_none",
	[EVF_TIME] = "time_close",
	[EVF_TIME_NONE] = "time_none",
	[EVF_YEAR] = "year_share",
	[EVF_YEAR_CLASH] = "year_clash",
	[EVF_PLACE] = "place_same",
	[EVF_PLACE_CLASH] = "place_clash",
	[EVF_SIZE] = "event_size",
	[EVF_BODY_ENT] = "body_x_entity",
	[EVF_NN_BODY] = "nearest_body_cos",
	[EVF_NN_ENT] = "nearest_entity_cos",
	[EVF_ENT_COVER] = "entity_cover",
	[EVF_KEY_ENT] = "key_entities",
	[EVF_PERSON_SAME] = "person_same",
	[EVF_PERSON_CLASH] = "person_clash",
	[EVF_ENT_ZERO] = "entity_zero",
	[EVF_PERSON_MAJOR] = "person_major_clash",
	[EVF_NUM_SHARE] = "number_share",
	[EVF_NUM_CLASH] = "number_clash",
};

void ev_model_default(ev_model *m)
{
	static const double w[EV_NFEAT] = {
		-6.0, 6.0, 2.0, 1.0, 4.0, 0.0, 1.0, 0.0, 1.0, -2.0, 0.5, -0.5,
		0.5, 2.0, 1.0, 1.0, 1.0, 1.0, 0.5, -0.5, -1.0, -1.0,
		1.0, -0.5,
	};
	memcpy(m->w, w, sizeof w);
	m->threshold = 0.5;
	m->story_threshold = 0.3;
	m->max_gap_days = 60;
	m->merge_threshold = 0;
	m->min_content = 0;
	m->undated_threshold = 0;
	m->settle_threshold = 0;
	m->undated_merge_threshold = 0;
}

double ev_model_prob(const ev_model *m, const double f[EV_NFEAT])
{
	double z = 0;
	for (int i = 0; i < EV_NFEAT; i++)
		z += m->w[i] * f[i];
	return 1.0 / (1.0 + exp(-z));
}

static chr_status load_file(ev_model *m, FILE *f, const char *path,
			    char *err, size_t errlen);

chr_status ev_model_load(ev_model *m, const char *path, char *err,
			 size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return CHR_EMODEL;
	}
	return load_file(m, f, path, err, errlen);
}

void ev_model_builtin(ev_model *m)
{
	size_t len = 0;
	const char *data = embed_get("events.txt", &len);
	char err[256];
	FILE *f = data && len ? fmemopen((void *)data, len, "r") : NULL;
	if (!f || load_file(m, f, "events.txt", err, sizeof err))
		ev_model_default(m);
}

static chr_status load_file(ev_model *m, FILE *f, const char *path,
			    char *err, size_t errlen)
{
	ev_model_default(m);
	char line[256];
	int lineno = 0, seen = 0;
	chr_status st = CHR_OK;
	while (!st && fgets(line, sizeof line, f)) {
		lineno++;
		char *p = line;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '#' || *p == '\n' || !*p)
			continue;
		char name[64];
		double v;
		if (sscanf(p, "%63s %lf", name, &v) != 2 || !isfinite(v)) {
			snprintf(err, errlen, "%s:%d: expected 'name value'", path,
				 lineno);
			st = CHR_EMODEL;
			break;
		}
		int k = -1;
		for (int i = 0; i < EV_NFEAT; i++)
			if (!strcmp(name, ev_feat_names[i]))
				k = i;
		if (k >= 0)
			m->w[k] = v, seen++;
		else if (!strcmp(name, "threshold"))
			m->threshold = v;
		else if (!strcmp(name, "story_threshold"))
			m->story_threshold = v;
		else if (!strcmp(name, "max_gap_days"))
			m->max_gap_days = v;
		else if (!strcmp(name, "merge_threshold"))
			m->merge_threshold = v;
		else if (!strcmp(name, "min_content"))
			m->min_content = v;
		else if (!strcmp(name, "undated_threshold"))
			m->undated_threshold = v;
		else if (!strcmp(name, "settle_threshold"))
			m->settle_threshold = v;
		else if (!strcmp(name, "undated_merge_threshold"))
			m->undated_merge_threshold = v;
		else {
			snprintf(err, errlen, "%s:%d: unknown name '%s'", path,
				 lineno, name);
			st = CHR_EMODEL;
		}
	}
	fclose(f);
	if (!st && seen != EV_NFEAT) {
		snprintf(err, errlen, "%s: %d of %d weights given", path, seen,
			 EV_NFEAT);
		st = CHR_EMODEL;
	}
	return st;
}

chr_status ev_model_save(const ev_model *m, const char *path,
			 const char *comment)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return CHR_EIO;
	fprintf(f, "# chronicle events model: logistic join weights.\n");
	if (comment && *comment)
		fprintf(f, "# %s\n", comment);
	for (int i = 0; i < EV_NFEAT; i++)
		fprintf(f, "%s %.6f\n", ev_feat_names[i], m->w[i]);
	fprintf(f, "threshold %.4f\n", m->threshold);
	fprintf(f, "story_threshold %.4f\n", m->story_threshold);
	fprintf(f, "max_gap_days %.0f\n", m->max_gap_days);
	fprintf(f, "merge_threshold %.4f\n", m->merge_threshold);
	fprintf(f, "min_content %.4f\n", m->min_content);
	fprintf(f, "undated_threshold %.4f\n", m->undated_threshold);
	fprintf(f, "settle_threshold %.4f\n", m->settle_threshold);
	fprintf(f, "undated_merge_threshold %.4f\n",
		m->undated_merge_threshold);
	return fclose(f) ? CHR_EIO : CHR_OK;
}
