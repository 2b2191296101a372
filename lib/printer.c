/*
 * printer: the sink that decorates.  Without options it is cat: batches
 * pass on untouched.  Decorations are built into one output buffer per
 * batch, in the order timestamp, line number, prefix, line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bytemask.h"
#include "diag.h"
#include "grow.h"
#include "field.h"
#include "number.h"
#include "options.h"
#include "stages.h"
#include "summary.h"
#include "timefmt.h"

struct printer_args {
	struct stage_args	 base;
	const char		*prefix;
	size_t			 prefixlen;
	int			 number;
	const char		*tsformat;	/* NULL: no timestamp */
	int			 summary;
	int			 quiet;
	struct summary_list	 list;
	size_t			 field;		/* 0: the whole line */
	int			 delim;
};

struct printer {
	struct stage		 base;
	const struct printer_args *a;
	int			 decorate;
	char			*out;		/* decorated lines, owned */
	size_t			 outlen, outcap;
	char			 counter[32];	/* "%6llu\t", kept as text */
	size_t			 counterlen;
	struct timefmt		 tf;
	struct summary		 sum;
	int			 last_nl;	/* last byte seen was '\n' */
};

enum { OPT_SUMMARY = OPT_FIRST_OWN };

static const struct option printer_longopts[] = {
	{ "delimiter", required_argument, NULL, 'd' },
	{ "field", required_argument, NULL, 'f' },
	{ "line-buffered", no_argument, NULL, OPT_LINEBUF },
	{ "number", no_argument, NULL, 'n' },
	{ "prefix", required_argument, NULL, 'p' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "summary", optional_argument, NULL, OPT_SUMMARY },
	{ "timestamp", no_argument, NULL, 't' },
	{ "timestamp-format", required_argument, NULL, 'T' },
	OPTIONS_COMMON,
	{ NULL, 0, NULL, 0 }
};

#define DEFAULT_TSFORMAT	"%Y-%m-%d %H:%M:%.S"

static int
printer_parse(int argc, char **argv, const struct parse_ctx *ctx,
    struct stage_args **out)
{
	const char *prog = ctx->prog;
	struct printer_args *a;
	struct opt_parser op;
	uint64_t v;
	int c, r;

	if ((a = calloc(1, sizeof(*a))) == NULL) {
		diag_errno(prog, ENOMEM, "options");
		return PARSE_ERROR;
	}
	a->base.def = &printer_stage;
	a->delim = FIELD_BLANKS;
	summary_list_all(&a->list);
	opt_init(&op, &printer_stage, argc, argv, prog, "d:f:np:qtT:",
	    printer_longopts);
	while ((c = opt_next(&op)) != -1) {
		switch (c) {
		case 'd':
			if (opt_char(&op, c, &a->delim) < 0)
				goto fail;
			break;
		case 'f':
			if (opt_uint(&op, c, SIZE_MAX, &v) < 0)
				goto fail;
			if (v == 0) {
				opt_bad(&op, c, "field number");
				goto fail;
			}
			a->field = v;
			break;
		case 'n':
			a->number = 1;
			break;
		case 'p':
			a->prefix = op.arg;
			a->prefixlen = strlen(op.arg);
			break;
		case 'q':
			a->quiet = 1;
			a->summary = 1;
			break;
		case 't':
			if (a->tsformat == NULL)
				a->tsformat = DEFAULT_TSFORMAT;
			break;
		case 'T':
			a->tsformat = op.arg;
			break;
		case OPT_LINEBUF:
			a->base.line_buffered = 1;
			break;
		case OPT_SUMMARY:
			a->summary = 1;
			if (op.arg == NULL)
				summary_list_all(&a->list);
			else if (summary_list_parse(op.arg, &a->list) < 0) {
				opt_bad(&op, c, "summary list");
				goto fail;
			}
			break;
		default:
			if ((r = opt_common(&op, c)) >= 0) {
				free(a);
				return r;
			}
			goto fail;
		}
	}
	a->base.operands = argv + opt_index(&op);
	a->base.noperands = argc - opt_index(&op);
	*out = &a->base;
	return PARSE_OK;
fail:
	free(a);
	return PARSE_ERROR;
}

/* Make room for n more bytes of output. */
static int
out_reserve(struct printer *p, size_t n)
{
	/* the common case, per line: no call */
	if (p->outlen + n <= p->outcap)
		return 0;
	if (grow(&p->out, &p->outcap, p->outlen + n, 64 * 1024) < 0) {
		diag_errno(p->base.name, ENOMEM, "output buffer");
		return -1;
	}
	return 0;
}

static void
out_add(struct printer *p, const char *data, size_t len)
{
	memcpy(p->out + p->outlen, data, len);
	p->outlen += len;
}

/* Count up the cat -n style line number kept as text. */
static void
counter_inc(struct printer *p)
{
	size_t i = p->counterlen - 2;	/* the last digit, before '\t' */

	for (;;) {
		if (p->counter[i] == ' ') {
			p->counter[i] = '1';
			return;
		}
		if (p->counter[i] != '9') {
			p->counter[i]++;
			return;
		}
		p->counter[i] = '0';
		if (i == 0) {
			memmove(p->counter + 1, p->counter, p->counterlen);
			p->counter[0] = '1';
			p->counterlen++;
			return;
		}
		i--;
	}
}

static void
summarize(struct printer *p, const char *line, size_t len)
{
	const struct printer_args *a = p->a;
	struct num n;
	size_t start, flen;

	if (a->field) {
		if (field_find(line, len, a->field, a->delim, &start,
		    &flen) < 0)
			return;
		line += start;
		len = flen;
	}
	if (num_parse_blanks(line, len, &n) == 0)
		summary_add(&p->sum, &n);
}

static enum flow
printer_push(struct stage *s, const char *data, size_t len)
{
	struct printer *p = (struct printer *)s;
	const struct printer_args *a = p->a;
	const char *ts = NULL;
	struct bm_lines ends;
	size_t tslen = 0, at, nl;
	enum flow f;

	p->last_nl = data[len - 1] == '\n';
	bm_lines_init(&ends, data, len);
	if (!p->decorate) {
		/* SIGUSR1 reports a summary even without --summary. */
		for (at = 0; at < len; at = nl + 1) {
			nl = bm_lines_next(&ends);
			summarize(p, data + at, nl - at);
		}
		return a->quiet ? FLOW_GO : stage_push(s->next, data, len);
	}
	if (a->tsformat != NULL)
		ts = timefmt_now(&p->tf, &tslen);
	p->outlen = 0;
	for (at = 0; at < len; at = nl + 1) {
		const char *line = data + at;
		size_t n;

		nl = bm_lines_next(&ends);
		n = (nl < len ? nl + 1 : len) - at;
		summarize(p, line, nl - at);
		/* + the counter's whole array: it is copied whole */
		if (out_reserve(p, tslen + 1 + sizeof(p->counter) +
		    a->prefixlen + n) < 0)
			return FLOW_ERROR;
		if (ts != NULL) {
			out_add(p, ts, tslen);
			p->out[p->outlen++] = ' ';
		}
		if (a->number) {
			counter_inc(p);
			/* a constant size: a move or two, not a call */
			memcpy(p->out + p->outlen, p->counter,
			    sizeof(p->counter));
			p->outlen += p->counterlen;
		}
		if (a->prefixlen > 0)
			out_add(p, a->prefix, a->prefixlen);
		out_add(p, line, n);
		/* Hand on in pieces: the buffer stays small. */
		if (p->outlen >= 64 * 1024) {
			if ((f = stage_push(s->next, p->out, p->outlen)) !=
			    FLOW_GO)
				return f;
			p->outlen = 0;
		}
	}
	f = stage_push(s->next, p->out, p->outlen);
	p->outlen = 0;
	return f;
}

static void
printer_report(struct printer *p, int fd)
{
	char buf[512];
	size_t n = summary_format(&p->sum, &p->a->list, buf, sizeof(buf));

	if (fd >= 0) {
		(void)!write(fd, buf, n);
		return;
	}
	/* The summary is a line of its own, even after a partial line. */
	if (!p->a->quiet && !p->last_nl)
		stage_push(p->base.next, "\n", 1);
	stage_push(p->base.next, buf, n);
}

static void
printer_info(struct stage *s)
{
	printer_report((struct printer *)s, STDERR_FILENO);
}

static void
printer_close(struct stage *s)
{
	struct printer *p = (struct printer *)s;

	if (p->a->summary)
		printer_report(p, -1);
	if (s->input_error)
		s->status = 2;
}

static void
printer_destroy(struct stage *s)
{
	struct printer *p = (struct printer *)s;

	free(p->out);
	timefmt_free(&p->tf);
	free(p);
}

static const struct stage_ops printer_ops = {
	.push = printer_push,
	.close = printer_close,
	.info = printer_info,
	.destroy = printer_destroy,
};

static struct stage *
printer_create(const struct stage_args *args, struct stage *next)
{
	const struct printer_args *a = (const struct printer_args *)args;
	struct printer *p;

	if ((p = stage_alloc(sizeof(*p), &printer_ops, next,
	    printer_stage.name)) == NULL)
		return NULL;
	p->a = a;
	p->decorate = !a->quiet &&
	    (a->number || a->prefixlen > 0 || a->tsformat != NULL);
	memcpy(p->counter, "     0\t", 7);
	p->counterlen = 7;
	p->last_nl = 1;
	summary_init(&p->sum);
	if (a->tsformat != NULL && timefmt_init(&p->tf, a->tsformat) < 0) {
		free(p);
		return NULL;
	}
	return &p->base;
}

const struct stage_def printer_stage = {
	.name = "printer",
	.kind = STAGE_FILTER,
	.concat_files = 1,
	.usage =
	    "%s [OPTION]... [FILE]...\n"
	    "Write lines to standard output, optionally decorated.\n"
	    "With no FILE, or when FILE is -, read standard input.\n"
	    "\n"
	    "  -p, --prefix=STR           write STR before every line\n"
	    "  -n, --number               number the lines as cat -n does\n"
	    "  -t, --timestamp            write the time each line arrived\n"
	    "  -T, --timestamp-format=FMT strftime FORMAT for -t (implies -t);\n"
	    "                             %%.S %%.s %%.T add microseconds\n"
	    "      --summary[=LIST]       at the end, write count=, sum=, min=,\n"
	    "                             max=, mean= of the numeric lines\n"
	    "                             (LIST: some of count,sum,min,max,mean)\n"
	    "  -f, --field=N              summarise field N, not the whole line\n"
	    "  -d, --delimiter=CHAR       fields are separated by CHAR, not blanks\n"
	    "  -q, --quiet                write the summary alone\n"
	    "      --line-buffered        flush output after every line\n"
	    "      --help                 display this help and exit\n"
	    "      --version              output version information and exit\n"
	    "\n"
	    "SIGUSR1 writes the summary so far to standard error.",
	.parse = printer_parse,
	.create = printer_create,
};
