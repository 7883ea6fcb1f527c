/*
 * cmd_tag_time: `chronicle tag-time [--dct YYYY-MM-DD] [--format timeml|json]
 * FILE|-`, the stateless TIMEX3 tagger.
 *
 * Design note: a thin shell over chr_time_timeml and chr_time_tag.  With
 * timeml the input is a TempEval-3 document and the output is the same
 * document with TIMEX3 elements in its TEXT; with json the input is plain
 * text and each expression becomes one JSON line with byte offsets.
 * Without --format, input that starts with '<' is taken as TimeML.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_INPUT ((size_t)256 << 20)

static void usage(FILE *f)
{
	fputs("usage: chronicle tag-time [--dct YYYY-MM-DD] [--format timeml|json] FILE|-\n"
	      "\n"
	      "Find temporal expressions (TIMEX3 DATE, TIME, DURATION, SET) and\n"
	      "normalise them against the document creation time.\n"
	      "\n"
	      "  --dct DATE       reference date (default: the <DCT> of a TimeML\n"
	      "                   document; none for plain text)\n"
	      "  --format timeml  read a TempEval-3 .TE3input, write it back with\n"
	      "                   <TIMEX3 tid type value> inserted in <TEXT>\n"
	      "  --format json    read plain text, write one JSON line per\n"
	      "                   expression: {start, end, text, type, value}\n"
	      "                   (byte offsets, end exclusive)\n"
	      "Without --format, input starting with '<' is TimeML, else text.\n",
	      f);
}

static void json_str(FILE *f, const char *s, size_t n)
{
	fputc('"', f);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c == '\r')
			fputs("\\r", f);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

int cmd_tag_time(const cli_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	const char *dct = NULL, *format = NULL, *path = NULL;
	for (int i = 1; i < argc; i++) {
		if (cli_is_help(argv[i])) {
			usage(stdout);
			return EXIT_OK;
		} else if (!strcmp(argv[i], "--dct")) {
			if (++i >= argc)
				return cli_usage_error("tag-time", "--dct needs a date");
			dct = argv[i];
		} else if (!strcmp(argv[i], "--format")) {
			if (++i >= argc)
				return cli_usage_error("tag-time", "--format needs timeml or json");
			format = argv[i];
			if (strcmp(format, "timeml") && strcmp(format, "json"))
				return cli_usage_error("tag-time", "unknown format '%s'", format);
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return cli_usage_error("tag-time", "unknown option '%s'", argv[i]);
		} else if (!path) {
			path = argv[i];
		} else {
			return cli_usage_error("tag-time", "one input only");
		}
	}
	if (!path)
		return cli_usage_error("tag-time", "no input (a file or -)");
	if (dct) {
		chr_timex *probe;
		size_t pn;
		if (chr_time_tag("", 0, dct, &probe, &pn) != CHR_OK)
			return cli_usage_error("tag-time", "--dct wants YYYY-MM-DD, not '%s'", dct);
	}
	size_t len;
	char *in = cli_slurp(path, MAX_INPUT, &len);
	if (!in)
		return EXIT_RUNTIME;
	if (!format) {
		size_t k = 0;
		while (k < len && (in[k] == ' ' || in[k] == '\n' || in[k] == '\r' ||
				   in[k] == '\t'))
			k++;
		format = k < len && in[k] == '<' ? "timeml" : "json";
	}
	int rc = EXIT_OK;
	if (!strcmp(format, "timeml")) {
		char *out;
		size_t olen;
		chr_status st = chr_time_timeml(in, len, dct, &out, &olen);
		if (st != CHR_OK) {
			cli_error("%s: %s", path, chr_strerror(st));
			rc = EXIT_RUNTIME;
		} else {
			if (fwrite(out, 1, olen, stdout) != olen)
				rc = EXIT_RUNTIME;
			chr_free(out);
		}
	} else {
		chr_timex *v;
		size_t n;
		chr_status st = chr_time_tag(in, len, dct, &v, &n);
		if (st != CHR_OK) {
			cli_error("%s: %s", path, chr_strerror(st));
			rc = EXIT_RUNTIME;
		} else {
			for (size_t i = 0; i < n; i++) {
				printf("{\"start\":%zu,\"end\":%zu,\"text\":", v[i].start,
				       v[i].end);
				json_str(stdout, in + v[i].start, v[i].end - v[i].start);
				printf(",\"type\":\"%s\",\"value\":\"%s\"",
				       chr_timex_type_name(v[i].type), v[i].value);
				if (v[i].mod[0])
					printf(",\"mod\":\"%s\"", v[i].mod);
				fputs("}\n", stdout);
			}
			chr_free(v);
		}
	}
	if (fflush(stdout) != 0) {
		cli_error("write error");
		rc = EXIT_RUNTIME;
	}
	free(in);
	return rc;
}
