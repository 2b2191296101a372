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
#include "field.h"
#include "number.h"
#include "options.h"
#include "printer.h"
#include "record.h"
#include "stages.h"
#include "window.h"

enum {
	OPT_SUMMARY = OPT_FIRST_OWN, OPT_BY, OPT_TOP, OPT_EVERY, OPT_WINDOW,
	OPT_TIME, OPT_JSON
};

static const struct option printer_longopts[] = {
	{ "by", required_argument, NULL, OPT_BY },
	{ "delimiter", required_argument, NULL, 'd' },
	{ "every", required_argument, NULL, OPT_EVERY },
	{ "field", required_argument, NULL, 'f' },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "line-buffered", no_argument, NULL, OPT_LINEBUF },
	{ "number", no_argument, NULL, 'n' },
	{ "prefix", required_argument, NULL, 'p' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "summary", optional_argument, NULL, OPT_SUMMARY },
	{ "time", required_argument, NULL, OPT_TIME },
	{ "timestamp", no_argument, NULL, 't' },
	{ "timestamp-format", required_argument, NULL, 'T' },
	{ "top", required_argument, NULL, OPT_TOP },
	{ "window", required_argument, NULL, OPT_WINDOW },
	RECORD_LONGOPTS,
	OPTIONS_COMMON,
	{ NULL, 0, NULL, 0 }
};

#define DEFAULT_TSFORMAT	"%Y-%m-%d %H:%M:%.S"

/* The options that only make sense together, and the LIST's needs. */
static int
check_args(struct printer_args *a, const char *prog)
{
	int i;

	if (a->has_top && a->nby == 0) {
		diag(prog, "--top needs --by");
		return -1;
	}
	if (a->every && a->window) {
		diag(prog, "--every and --window cannot be used together");
		return -1;
	}
	if (a->window && !a->has_time) {
		diag(prog, "--window needs --time to read the time by");
		return -1;
	}
	if (a->has_time && !a->window) {
		diag(prog, "--time needs --window");
		return -1;
	}
	if (!a->list_given) {
		if (a->nby > 0 && !a->has_field)
			summary_list_count(&a->list);
		else
			summary_list_all(&a->list);
	}
	/* --by without -f counts lines: there are no values */
	for (i = 0; a->nby > 0 && !a->has_field && i < a->list.n; i++) {
		enum stat_kind k = a->list.item[i].kind;

		if (k != STAT_COUNT && k != STAT_RATE) {
			diag(prog, "--summary: '%s' with --by needs -f, the "
			    "field to take values from", a->list.item[i].name);
			return -1;
		}
	}
	if (a->nby > 0 || a->every || a->window)
		a->summary = 1;
	a->tc.list = &a->list;
	a->tc.by = a->by;
	a->tc.nby = a->nby;
	if (record_fmt_check(&a->fmt, prog, &a->field, a->has_field) < 0 ||
	    record_fmt_check(&a->fmt, prog, &a->time.f, a->has_time) < 0)
		return -1;
	for (i = 0; i < (int)a->nby; i++)
		if (record_fmt_check(&a->fmt, prog, &a->by[i].f, 1) < 0)
			return -1;
	if ((a->has_field && a->field.num == 0) ||
	    (a->has_time && a->time.f.num == 0))
		a->base.fields = &a->fmt;
	for (i = 0; i < (int)a->nby; i++)
		if (a->by[i].f.num == 0)
			a->base.fields = &a->fmt;
	a->tc.field = a->has_field ? &a->field : NULL;
	a->tc.fmt = &a->fmt;
	a->tc.delim = a->delim;
	a->tc.json = a->json;
	return 0;
}

/* --every and --window: a DURATION. */
static int
opt_duration(struct opt_parser *op, int c, int64_t *ms)
{
	if (window_duration(op->arg, ms) < 0) {
		opt_bad(op, c, "duration");
		return -1;
	}
	return 0;
}

/*
 * The options of the summaries: 1 when c was one of them, 0 when not,
 * -1 after a message.
 */
static int
summary_opt(struct opt_parser *op, int c, struct printer_args *a)
{
	uint64_t v;
	size_t n;

	switch (c) {
	case OPT_SUMMARY:
		a->summary = 1;
		a->list_given = op->arg != NULL;
		if (op->arg != NULL &&
		    summary_list_parse(op->arg, &a->list) < 0) {
			opt_bad(op, c, "summary list");
			return -1;
		}
		return 1;
	case OPT_BY:
		return fieldspec_list(op, c, a->by, FIELDSPEC_MAX, &a->nby) <
		    0 ? -1 : 1;
	case OPT_TOP:
		if (opt_uint(op, c, UINT64_MAX - 1, &v) < 0)
			return -1;
		a->tc.top = v;
		a->has_top = 1;
		return 1;
	case OPT_EVERY:
		return opt_duration(op, c, &a->every) < 0 ? -1 : 1;
	case OPT_WINDOW:
		return opt_duration(op, c, &a->window) < 0 ? -1 : 1;
	case OPT_TIME:
		if (fieldspec_list(op, c, &a->time, 1, &n) < 0)
			return -1;
		a->has_time = 1;
		return 1;
	case OPT_JSON:
		a->json = 1;
		return 1;
	}
	return 0;
}

static void
printer_args_free(struct stage_args *base)
{
	struct printer_args *a = (struct printer_args *)base;

	record_fmt_free(&a->fmt);
	free(a);
}

static int
printer_parse(int argc, char **argv, const struct parse_ctx *ctx,
    struct stage_args **out)
{
	const char *prog = ctx->prog;
	struct printer_args *a;
	struct opt_parser op;
	int c, r;

	if ((a = calloc(1, sizeof(*a))) == NULL) {
		diag_errno(prog, ENOMEM, "options");
		return PARSE_ERROR;
	}
	a->base.def = &printer_stage;
	a->base.free = printer_args_free;
	a->delim = FIELD_BLANKS;
	record_fmt_init(&a->fmt);
	a->tc.top = UINT64_MAX;
	opt_init(&op, &printer_stage, argc, argv, prog, "d:f:np:qtT:",
	    printer_longopts);
	while ((c = opt_next(&op)) != -1) {
		switch (c) {
		case 'd':
			if (opt_char(&op, c, &a->delim) < 0)
				goto fail;
			break;
		case 'f':
			if (rfield_parse(&op, c, op.arg, strlen(op.arg),
			    &a->field) < 0)
				goto fail;
			a->has_field = 1;
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
		default:
			if ((r = summary_opt(&op, c, a)) > 0)
				break;
			if (r == 0 && (r = record_opt(&op, c, &a->fmt)) > 0)
				break;
			if (r == 0 && (r = opt_common(&op, c)) >= 0) {
				printer_args_free(&a->base);
				return r;
			}
			goto fail;
		}
	}
	if (check_args(a, prog) < 0)
		goto fail;
	a->base.operands = argv + opt_index(&op);
	a->base.noperands = argc - opt_index(&op);
	*out = &a->base;
	return PARSE_OK;
fail:
	printer_args_free(&a->base);
	return PARSE_ERROR;
}

/* Bytes into the output buffer, which outbuf_reserve made room for. */
static void
out_add(struct printer *p, const char *data, size_t len)
{
	memcpy(p->out.buf + p->out.len, data, len);
	p->out.len += len;
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

enum flow
printer_lines(struct printer *p, const char *data, size_t len, int summarize)
{
	const struct printer_args *a = p->a;
	const char *ts = NULL;
	struct bm_lines ends;
	size_t tslen = 0, at, nl;
	enum flow f;

	if (len == 0)
		return FLOW_GO;
	if (!p->decorate) {
		if (summarize && (f = sum_batch(p, data, len)) != FLOW_GO)
			return f;
		return a->quiet ? FLOW_GO : stage_push(p->base.next, data, len);
	}
	if (a->tsformat != NULL)
		ts = timefmt_now(&p->tf, &tslen);
	bm_lines_init(&ends, data, len);
	for (at = 0; at < len; at = nl + 1) {
		const char *line = data + at;
		size_t n;

		nl = bm_lines_next(&ends);
		n = (nl < len ? nl + 1 : len) - at;
		if (summarize && (f = sum_line(p, line, nl - at)) != FLOW_GO)
			return f;
		/* + the counter's whole array: it is copied whole */
		if (outbuf_reserve(&p->out, tslen + 1 + sizeof(p->counter) +
		    a->prefixlen + n) < 0)
			return FLOW_ERROR;
		if (ts != NULL) {
			out_add(p, ts, tslen);
			p->out.buf[p->out.len++] = ' ';
		}
		if (a->number) {
			counter_inc(p);
			/* a constant size: a move or two, not a call */
			memcpy(p->out.buf + p->out.len, p->counter,
			    sizeof(p->counter));
			p->out.len += p->counterlen;
		}
		if (a->prefixlen > 0)
			out_add(p, a->prefix, a->prefixlen);
		out_add(p, line, n);
		/* Hand on in pieces: the buffer stays small. */
		if (p->out.len >= 64 * 1024 &&
		    (f = outbuf_push(&p->out, p->base.next)) != FLOW_GO)
			return f;
	}
	return outbuf_push(&p->out, p->base.next);
}

static enum flow
printer_push(struct stage *s, const char *data, size_t len)
{
	struct printer *p = (struct printer *)s;
	enum flow f;

	p->last_nl = data[len - 1] == '\n';
	if (p->a->every && (f = sum_tick(p)) != FLOW_GO)
		return f;
	if (p->a->window)
		return sum_log_time(p, data, len);
	return printer_lines(p, data, len, 1);
}

/* --every: the end of the open window, the wall clock's, on monotime's. */
static long long
printer_deadline(struct stage *s)
{
	struct printer *p = (struct printer *)s;

	return p->a->every ? sum_deadline(p) : -1;
}

static enum flow
printer_wake(struct stage *s)
{
	struct printer *p = (struct printer *)s;

	return p->a->every ? sum_tick(p) : FLOW_GO;
}

static void
printer_info(struct stage *s)
{
	sum_info((struct printer *)s);
}

static void
printer_close(struct stage *s)
{
	struct printer *p = (struct printer *)s;

	sum_close(p);
	if (s->input_error)
		s->status = 2;
}

static void
printer_destroy(struct stage *s)
{
	struct printer *p = (struct printer *)s;

	sum_free(p);
	outbuf_free(&p->out);
	timefmt_free(&p->tf);
	free(p);
}

static const struct stage_ops printer_ops = {
	.push = printer_push,
	.close = printer_close,
	.info = printer_info,
	.wake = printer_wake,
	.deadline = printer_deadline,
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
	p->out.name = p->base.name;
	p->decorate = !a->quiet &&
	    (a->number || a->prefixlen > 0 || a->tsformat != NULL);
	memcpy(p->counter, "     0\t", 7);
	p->counterlen = 7;
	p->last_nl = 1;
	if (a->tsformat != NULL && timefmt_init(&p->tf, a->tsformat) < 0) {
		free(p);
		return NULL;
	}
	if (sum_init(p) < 0) {
		sum_free(p);
		timefmt_free(&p->tf);
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
	    "Write lines to standard output, optionally decorated and summarised.\n"
	    "With no FILE, or when FILE is -, read standard input.\n"
	    "\n"
	    "  -p, --prefix=STR           write STR before every line\n"
	    "  -n, --number               number the lines as cat -n does\n"
	    "  -t, --timestamp            write the time each line arrived\n"
	    "  -T, --timestamp-format=FMT strftime FORMAT for -t (implies -t);\n"
	    "                             %%.S %%.s %%.T add microseconds\n"
	    "      --summary[=LIST]       at the end, write count=, sum=, min=,\n"
	    "                             max=, mean= of the numeric lines; LIST:\n"
	    "                             count,sum,min,max,mean,stddev,pNN,rate\n"
	    "  -f, --field=N              summarise field N, not the whole line\n"
	    "  -d, --delimiter=CHAR       fields are separated by CHAR, not blanks\n"
	    "      --by=SPEC[,SPEC]...    a summary per distinct value of fields\n"
	    "                             SPEC (numbers), most frequent first\n"
	    "      --top=N                only the first N groups of --by\n"
	    "      --every=DURATION       a summary every DURATION (500ms, 10s,\n"
	    "                             1m, 1h, 1d) of the wall clock\n"
	    "      --window=DURATION      a summary every DURATION of the time\n"
	    "      --time=SPEC              read from field SPEC of each line\n"
	    "      --json                 write summaries as JSON objects\n"
	    "  -q, --quiet                write the summary alone\n"
	    "      --line-buffered        flush output after every line\n"
	    "      --help                 display this help and exit\n"
	    "      --version              output version information and exit\n"
	    "\n"
	    "SIGUSR1 writes the summary so far to standard error.",
	.parse = printer_parse,
	.create = printer_create,
};
