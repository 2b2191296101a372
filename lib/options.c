#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "number.h"
#include "options.h"

/*
 * Where opt_next() puts --decompress / --no-decompress: the choice of
 * the stage_parse() running now (a stage's parse may run others', as
 * broadcast's parses its -c pipelines), so that no stage's own parser
 * has to know of them.  Parsing runs on the main thread only, as
 * getopt's own state does.
 */
static enum decompress *parsing_decompress;

int
stage_parse(const struct stage_def *def, int argc, char **argv,
    const struct parse_ctx *ctx, struct stage_args **out)
{
	enum decompress *outer = parsing_decompress, d = DECOMPRESS_FILES;
	int r;

	parsing_decompress = &d;
	r = def->parse(argc, argv, ctx, out);
	parsing_decompress = outer;
	if (r == PARSE_OK)
		(*out)->decompress = d;
	return r;
}

void
opt_init(struct opt_parser *op, const struct stage_def *def, int argc,
    char **argv, const char *prog, const char *shortopts,
    const struct option *longopts)
{
	memset(op, 0, sizeof(*op));
	op->argc = argc;
	op->argv = argv;
	op->prog = prog;
	op->def = def;
	op->shortopts = shortopts;
	op->longopts = longopts;
	/* ':' first: a missing argument returns ':' and we say it ourselves. */
	snprintf(op->optstring, sizeof(op->optstring), ":%s", shortopts);
	/* optind 0 makes glibc start afresh: pipe parses many argvs. */
	optind = 0;
	opterr = 0;
}

static const struct option *
find_long(const struct opt_parser *op, const char *word)
{
	const struct option *o;
	size_t n = strcspn(word, "=");

	for (o = op->longopts; o->name != NULL; o++)
		if (strlen(o->name) == n && strncmp(o->name, word, n) == 0)
			return o;
	return NULL;
}

int
opt_next(struct opt_parser *op)
{
	int c, longidx = -1;
	const char *word;

	do {
		c = getopt_long(op->argc, op->argv, op->optstring,
		    op->longopts, &longidx);
		/* The last of the two given wins, as GNU options go. */
		if (parsing_decompress != NULL && c == OPT_DECOMPRESS)
			*parsing_decompress = DECOMPRESS_ALWAYS;
		else if (parsing_decompress != NULL && c == OPT_NO_DECOMPRESS)
			*parsing_decompress = DECOMPRESS_NEVER;
		else
			break;
	} while (1);
	op->arg = optarg;
	if (c != '?' && c != ':')
		return c;
	word = optind > 0 && optind <= op->argc ? op->argv[optind - 1] : "";
	if (strncmp(word, "--", 2) == 0 && word[2] != '\0') {
		const struct option *o = find_long(op, word + 2);
		int n = (int)strcspn(word, "=");

		if (c == ':')
			diag(op->prog, "option '%.*s' requires an argument",
			    n, word);
		else if (o != NULL && o->has_arg == no_argument &&
		    word[n] == '=')
			diag(op->prog, "option '%.*s' doesn't allow an argument",
			    n, word);
		else if (o == NULL && optopt == 0)
			diag(op->prog, "unrecognized option '%.*s'", n, word);
		else
			diag(op->prog, "option '%.*s' is ambiguous", n, word);
	} else if (c == ':') {
		diag(op->prog, "option requires an argument -- '%c'", optopt);
	} else {
		diag(op->prog, "invalid option -- '%c'", optopt);
	}
	return '?';
}

int
opt_index(const struct opt_parser *op)
{
	(void)op;
	return optind;
}

void
usage_print(const struct stage_def *def)
{
	printf("Usage: ");
	printf(def->usage, def->name);
	/* A stage (pipe's own definition creates none) reads input. */
	if (def->create != NULL)
		printf("\n\nCompressed input (gzip, zstd, xz, bzip2, known by "
		    "their magic bytes):\n"
		    "      --decompress     read standard input decompressed "
		    "too\n"
		    "      --no-decompress  read compressed FILEs as they "
		    "are\n");
	printf("\nFull documentation: man %s\n", def->name);
}

int
opt_common(struct opt_parser *op, int c)
{
	switch (c) {
	case OPT_HELP:
		usage_print(op->def);
		return PARSE_EXIT;
	case OPT_VERSION:
		printf("%s (runnel) %s\n", op->def->name, RUNNEL_VERSION);
		return PARSE_EXIT;
	}
	return -1;
}

const char *
opt_spelling(const struct opt_parser *op, int c, char *buf, size_t size)
{
	const char *word = optind > 0 && optind <= op->argc ?
	    op->argv[optind - 1] : "";

	/* "--field=3" or "--field 3": the word before the argument. */
	if (op->arg != NULL && word == op->arg && optind >= 2)
		word = op->argv[optind - 2];
	if (strncmp(word, "--", 2) == 0) {
		snprintf(buf, size, "%.*s", (int)strcspn(word, "="), word);
		return buf;
	}
	if (c < OPT_LONG) {
		snprintf(buf, size, "-%c", c);
		return buf;
	}
	snprintf(buf, size, "%s", word);
	return buf;
}

void
opt_bad(struct opt_parser *op, int c, const char *what)
{
	char sp[64];

	diag(op->prog, "invalid %s '%s' for %s", what,
	    op->arg ? op->arg : "", opt_spelling(op, c, sp, sizeof(sp)));
}

int
opt_uint(struct opt_parser *op, int c, uint64_t max, uint64_t *out)
{
	const char *s = op->arg;
	char *end;
	unsigned long long v;

	if (s == NULL || *s < '0' || *s > '9')
		goto bad;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end != '\0' || errno == ERANGE || v > max)
		goto bad;
	*out = v;
	return 0;
bad:
	opt_bad(op, c, "number");
	return -1;
}

int
opt_double(struct opt_parser *op, int c, double *out)
{
	struct num n;

	if (op->arg == NULL ||
	    num_parse(op->arg, strlen(op->arg), &n) < 0) {
		opt_bad(op, c, "number");
		return -1;
	}
	*out = num_double(&n);
	return 0;
}

int
opt_char(struct opt_parser *op, int c, int *out)
{
	if (op->arg == NULL || strlen(op->arg) != 1) {
		opt_bad(op, c, "single-byte delimiter");
		return -1;
	}
	*out = (unsigned char)op->arg[0];
	return 0;
}
