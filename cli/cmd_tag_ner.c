/*
 * cmd_tag_ner: `chronicle tag-ner [--format conll|json] [--model FILE]
 * FILE|-`, the stateless NER tagger.
 *
 * Design note: conll reads CoNLL lines (token in the first column) and
 * writes every line back with the predicted IOB2 tag appended as the last
 * column; -DOCSTART- lines get "O" and blank lines stay blank, so the
 * output lines up with the input line for line (CR of CRLF input is
 * dropped).  Each -DOCSTART- block is tagged as one document, which the
 * tagger uses to keep a word's tags consistent.  json reads plain text and
 * writes one JSON object per mention: {"start","end","text","type"} with
 * byte offsets into the input.  The model is --model FILE, or found as
 * chr_ner_load describes ($CHRONICLE_MODELS, then next to the program).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define TAG_NER_MAX ((size_t)1 << 30)

static void help(FILE *out)
{
	fprintf(out,
		"usage: chronicle tag-ner [--format conll|json] [--model FILE] FILE|-\n"
		"\n"
		"Tag named entities (PER, LOC, ORG, MISC).\n"
		"  --format conll  (default) read CoNLL lines, token first; write each\n"
		"                  line with the predicted IOB2 tag appended.  Blank\n"
		"                  lines end sentences, -DOCSTART- lines documents.\n"
		"  --format json   read plain text; write JSON Lines\n"
		"                  {\"start\",\"end\",\"text\",\"type\"} (byte offsets).\n"
		"  --model FILE    the model (default: $CHRONICLE_MODELS/ner.bin, else\n"
		"                  models/ner.bin beside the program's folder).\n"
		"Exit status: 0 success, 1 runtime error, 2 usage error.\n");
}

typedef struct line {
	char *s;     /* NUL-terminated, CR removed */
	size_t tok;  /* token length (0 for blank and -DOCSTART-) */
	int kind;    /* 0 token, 1 blank, 2 docstart */
} line;

static int tag_block(const chr_ner *m, line *l, size_t n, char **toks,
		     unsigned char *ss, uint8_t *tags)
{
	size_t nt = 0;
	int new_sent = 1;
	for (size_t i = 0; i < n; i++) {
		if (l[i].kind != 0) {
			new_sent = 1;
			continue;
		}
		char save = l[i].s[l[i].tok];
		l[i].s[l[i].tok] = 0;
		toks[nt] = strdup(l[i].s);
		l[i].s[l[i].tok] = save;
		if (!toks[nt]) {
			for (size_t k = 0; k < nt; k++)
				free(toks[k]);
			return -1;
		}
		ss[nt++] = (unsigned char)new_sent;
		new_sent = 0;
	}
	chr_status st = chr_ner_tag_tokens(m, (const char *const *)toks, ss, nt,
					   tags);
	for (size_t k = 0; k < nt; k++)
		free(toks[k]);
	if (st) {
		cli_error("tag-ner: %s", chr_strerror(st));
		return -1;
	}
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (l[i].kind == 1) {
			fputc('\n', stdout);
			continue;
		}
		const char *sep = strchr(l[i].s, '\t') ? "\t" : " ";
		const char *tag = l[i].kind == 2 ? "O" : chr_ner_tag_name(tags[k++]);
		fprintf(stdout, "%s%s%s\n", l[i].s, sep, tag);
	}
	return 0;
}

static int run_conll(const chr_ner *m, char *text, size_t len)
{
	size_t n = 0, cap = 0;
	line *l = NULL;
	char *p = text, *end = text + len;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *e = nl ? nl : end;
		if (e > p && e[-1] == '\r')
			e[-1] = 0, e--;
		*e = 0;
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			line *q = realloc(l, cap * sizeof *q);
			if (!q) {
				free(l);
				cli_error("tag-ner: out of memory");
				return EXIT_RUNTIME;
			}
			l = q;
		}
		size_t lead = strspn(p, " \t");
		l[n].s = p;
		l[n].tok = strcspn(p, " \t");
		l[n].kind = p[lead] == 0 ? 1
			    : strncmp(p, "-DOCSTART-", 10) == 0 ? 2 : 0;
		if (l[n].kind == 0 && l[n].tok == 0)
			l[n].kind = 1; /* leading blanks: treat as blank */
		n++;
		p = nl ? nl + 1 : end;
	}
	char **toks = malloc((n ? n : 1) * sizeof *toks);
	unsigned char *ss = malloc(n ? n : 1);
	uint8_t *tags = malloc(n ? n : 1);
	int rc = EXIT_OK;
	if (!toks || !ss || !tags) {
		cli_error("tag-ner: out of memory");
		rc = EXIT_RUNTIME;
	}
	size_t start = 0;
	for (size_t i = 0; rc == EXIT_OK && i <= n; i++) {
		if (i == n || (l[i].kind == 2 && i > start)) {
			if (tag_block(m, l + start, i - start, toks, ss, tags))
				rc = EXIT_RUNTIME;
			start = i;
		}
	}
	free(toks);
	free(ss);
	free(tags);
	free(l);
	if (fflush(stdout) != 0)
		rc = EXIT_RUNTIME;
	return rc;
}

/* Write s as a JSON string; invalid UTF-8 bytes become U+FFFD. */
static void json_str(const unsigned char *s, size_t n)
{
	fputc('"', stdout);
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		if (c == '"' || c == '\\') {
			fputc('\\', stdout);
			fputc(c, stdout);
			i++;
		} else if (c < 0x20) {
			fprintf(stdout, "\\u%04x", c);
			i++;
		} else if (c < 0x80) {
			fputc(c, stdout);
			i++;
		} else {
			size_t k = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3
				   : c >= 0xC2 && c <= 0xDF ? 2 : 0;
			int ok = k && i + k <= n;
			for (size_t j = 1; ok && j < k; j++)
				ok = (s[i + j] & 0xC0) == 0x80;
			if (ok && k == 3) {
				unsigned cp = (c & 0x0Fu) << 12 | (s[i + 1] & 0x3Fu) << 6;
				ok = cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF);
			}
			if (ok && k == 4) {
				unsigned cp = (c & 0x07u) << 18 | (s[i + 1] & 0x3Fu) << 12;
				ok = cp >= 0x10000 && cp <= 0x10FFFF;
			}
			if (ok) {
				fwrite(s + i, 1, k, stdout);
				i += k;
			} else {
				fputs("\xEF\xBF\xBD", stdout);
				i++;
			}
		}
	}
	fputc('"', stdout);
}

static int run_json(const chr_ner *m, const char *text, size_t len)
{
	chr_entity *e;
	size_t n;
	chr_status st = chr_ner_tag_text(m, text, len, &e, &n);
	if (st) {
		cli_error("tag-ner: %s", chr_strerror(st));
		return EXIT_RUNTIME;
	}
	for (size_t i = 0; i < n; i++) {
		fprintf(stdout, "{\"start\":%zu,\"end\":%zu,\"text\":", e[i].start,
			e[i].end);
		json_str((const unsigned char *)text + e[i].start,
			 e[i].end - e[i].start);
		fprintf(stdout, ",\"type\":\"%s\"}\n", chr_ent_type_name(e[i].type));
	}
	chr_free(e);
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_RUNTIME;
}

int cmd_tag_ner(const cli_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	const char *format = "conll", *model = NULL, *path = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (cli_is_help(a)) {
			help(stdout);
			return EXIT_OK;
		} else if (!strcmp(a, "--format") || !strcmp(a, "--model")) {
			if (i + 1 >= argc)
				return cli_usage_error("tag-ner", "%s needs a value", a);
			if (!strcmp(a, "--format"))
				format = argv[++i];
			else
				model = argv[++i];
		} else if (!strncmp(a, "--format=", 9)) {
			format = a + 9;
		} else if (!strncmp(a, "--model=", 8)) {
			model = a + 8;
		} else if (a[0] == '-' && a[1]) {
			return cli_usage_error("tag-ner", "unknown option %s", a);
		} else if (path) {
			return cli_usage_error("tag-ner", "one input only");
		} else {
			path = a;
		}
	}
	if (strcmp(format, "conll") && strcmp(format, "json"))
		return cli_usage_error("tag-ner", "--format is conll or json, not %s",
				       format);
	if (!path)
		return cli_usage_error("tag-ner", "name a FILE or - for stdin");
	chr_ner *m;
	chr_status st = chr_ner_load(model, &m);
	if (st) {
		cli_error("tag-ner: %s: %s", chr_strerror(st), chr_ner_errmsg());
		return EXIT_RUNTIME;
	}
	size_t len;
	char *text = cli_slurp(path, TAG_NER_MAX, &len);
	if (!text) {
		chr_ner_free(m);
		return EXIT_RUNTIME;
	}
	int rc = !strcmp(format, "conll") ? run_conll(m, text, len)
					  : run_json(m, text, len);
	free(text);
	chr_ner_free(m);
	return rc;
}
