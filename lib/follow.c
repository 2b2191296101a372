/*
 * follow: a tail -F follower, the source stage.  This file holds its
 * options, the stage definition and the outline of run(): watch, open
 * and place each FILE and write its start, then follow until the end.
 * The rest, by concern (follow_int.h has the map): follow_source.c
 * reads, follow_rotate.c notices rotation and truncation,
 * follow_state.c keeps --state, follow_watch.c waits.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "follow_int.h"
#include "linehold.h"
#include "monotime.h"
#include "options.h"
#include "regex.h"
#include "stages.h"
#include "writer.h"

static enum flow
follow_run(struct stage *s)
{
	struct follow *fl = (struct follow *)s;
	const struct follow_args *a = fl->a;
	struct rec *recs;
	size_t nrec = 0, i;
	enum flow r = FLOW_GO;

	fl->start = monotime();
	fl_state_setup(fl);
	if (!a->prefix && a->until == NULL && !fl->out_pipe &&
	    !a->base.line_buffered &&
	    getenv("RUNNEL_FOLLOW_NO_SENDFILE") == NULL &&
	    (fl->direct = writer_of(s->next, 1)) != NULL &&
	    isatty(writer_fd(fl->direct)))
		fl->direct = NULL;
	fl_watch_start(fl);
	if (fl->headers < 0) {
		/* a pattern may bring more files: name them from the start */
		fl->headers = !a->prefix && (fl->nf > 1 || a->nfiles > 1);
		for (i = 0; i < (size_t)a->nfiles; i++)
			if (fl_has_glob(a->files[i]) && !a->prefix)
				fl->headers = 1;
	}
	recs = fl_state_load(fl, &nrec);
	for (i = 0; i < fl->nf && r == FLOW_GO; i++)
		r = fl_start_file(fl, fl->f[i], recs, nrec);
	fl_state_free(recs, nrec);
	if (r != FLOW_GO)
		goto end;
	r = a->once ? fl_watch_once(fl) : fl_watch_loop(fl);
end:
	if (r == FLOW_STOP && fl->found)
		r = FLOW_GO;
	fl_state_end(fl, r);
	return r;
}

static enum flow
follow_push(struct stage *s, const char *data, size_t len)
{
	return stage_push(s->next, data, len);
}

static enum flow
follow_flush(struct stage *s)
{
	return chain_flush(s->next);
}

static void
follow_close(struct stage *s)
{
	struct follow *fl = (struct follow *)s;

	if (s->input_error)
		s->status = 2;
	else if (fl->timed_out && fl->a->until != NULL)
		s->status = 124;
	else if (fl->a->once && fl->a->until != NULL && !fl->found)
		s->status = 1;
	else
		s->status = 0;
}

static void
follow_destroy(struct stage *s)
{
	struct follow *fl = (struct follow *)s;
	size_t i;

	for (i = 0; i < fl->nf; i++) {
		struct ffile *f = fl->f[i];

		fl_src_close(&f->cur);
		linehold_free(&f->cur.hold);
		fl_old_free(f);
		free(f->sbuf);
		free(f->name);
		free(f);
	}
	free(fl->f);
	fl_watch_free(fl);
	free(fl->buf);
	free(fl->out);
	if (fl->md != NULL)
		pcre2_match_data_free(fl->md);
	free(fl);
}

static const struct stage_ops follow_ops = {
	.push = follow_push,
	.flush = follow_flush,
	.close = follow_close,
	.run = follow_run,
	.destroy = follow_destroy,
};

static struct stage *
follow_create(const struct stage_args *args, struct stage *next)
{
	const struct follow_args *a = (const struct follow_args *)args;
	struct follow *fl;

	if ((fl = stage_alloc(sizeof(*fl), &follow_ops, next,
	    args->def->name)) == NULL)
		return NULL;
	fl->a = a;
	fl->ino = -1;
	fl->headers = a->headers;
	fl->chunk = CHUNK;
	if ((fl->buf = malloc(FRONT + CHUNK)) == NULL ||
	    (a->until != NULL &&
	    (fl->md = pcre2_match_data_create_from_pattern(a->until, NULL)) ==
	    NULL)) {
		free(fl->buf);
		free(fl);
		return NULL;
	}
	return &fl->base;
}

/* ---------- options ---------- */

enum {
	OPT_RETRY = OPT_FIRST_OWN, OPT_DESCRIPTOR, OPT_PREFIX, OPT_ONCE,
	OPT_UNTIL, OPT_TIMEOUT, OPT_ROTATE_WAIT, OPT_PID, OPT_STATE,
	OPT_NO_INOTIFY, OPT_FOLLOW
};

static const struct option follow_longopts[] = {
	{ "follow", optional_argument, NULL, OPT_FOLLOW },
	{ "retry", no_argument, NULL, OPT_RETRY },
	{ "descriptor", no_argument, NULL, OPT_DESCRIPTOR },
	{ "lines", required_argument, NULL, 'n' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "silent", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "prefix", no_argument, NULL, OPT_PREFIX },
	{ "once", no_argument, NULL, OPT_ONCE },
	{ "until", required_argument, NULL, OPT_UNTIL },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "rotate-wait", required_argument, NULL, OPT_ROTATE_WAIT },
	{ "pid", required_argument, NULL, OPT_PID },
	{ "state", required_argument, NULL, OPT_STATE },
	{ "sleep-interval", required_argument, NULL, 's' },
	{ "-disable-inotify", no_argument, NULL, OPT_NO_INOTIFY },
	{ "line-buffered", no_argument, NULL, OPT_LINEBUF },
	OPTIONS_COMMON,
	{ NULL, 0, NULL, 0 }
};

static void
follow_args_free(struct stage_args *sa)
{
	struct follow_args *a = (struct follow_args *)sa;

	if (a->until != NULL)
		pcre2_code_free(a->until);
	free(a);
}

static int
seconds(struct opt_parser *op, int c, double *out)
{
	if (opt_double(op, c, out) < 0)
		return -1;
	if (!(*out >= 0) || *out > 1e9) {
		opt_bad(op, c, "number of seconds");
		return -1;
	}
	return 0;
}

/* -n [+|-]NUM: 0, or -1 (said). */
static int
lines_arg(struct opt_parser *op, int c, struct follow_args *a)
{
	const char *s = op->arg;
	char *end;
	unsigned long long n;

	a->from_start = *s == '+';
	if (*s == '+' || *s == '-')
		s++;
	errno = 0;
	if (*s < '0' || *s > '9' || (n = strtoull(s, &end, 10), *end != '\0') ||
	    errno == ERANGE) {
		opt_bad(op, c, "number of lines");
		return -1;
	}
	a->lines = n;
	return 0;
}

/* --until: compiled as match compiles (UTF in a UTF-8 locale). */
static int
until_arg(struct opt_parser *op, struct follow_args *a, const char *prog)
{
	if (a->until != NULL)
		pcre2_code_free(a->until);
	a->until = regex_compile(prog, op->arg, strlen(op->arg), 0, op->arg,
	    strlen(op->arg));
	if (a->until == NULL)
		return -1;
	(void)regex_jit(a->until);
	return 0;
}

/* One option of follow's own: PARSE_OK, or what parse() returns. */
static int
follow_opt(struct opt_parser *op, int c, struct follow_args *a,
    const char *prog)
{
	uint64_t v;
	int r;

	switch (c) {
	case 'f':
	case 'F':
	case OPT_RETRY:
		return PARSE_OK;
	case OPT_FOLLOW:
		if (op->arg == NULL || strcmp(op->arg, "name") == 0)
			a->descriptor = 0;
		else if (strcmp(op->arg, "descriptor") == 0)
			a->descriptor = 1;
		else {
			opt_bad(op, c, "argument");
			return PARSE_ERROR;
		}
		return PARSE_OK;
	case OPT_DESCRIPTOR:
		a->descriptor = 1;
		return PARSE_OK;
	case 'n':
		return lines_arg(op, c, a) < 0 ? PARSE_ERROR : PARSE_OK;
	case 'q':
	case 'v':
		a->headers = c == 'v';
		return PARSE_OK;
	case 's':
		if (seconds(op, c, &a->interval) < 0)
			return PARSE_ERROR;
		if (a->interval < 0.001)
			a->interval = 0.001;
		return PARSE_OK;
	case OPT_PREFIX:
		a->prefix = 1;
		return PARSE_OK;
	case OPT_ONCE:
		a->once = 1;
		return PARSE_OK;
	case OPT_UNTIL:
		return until_arg(op, a, prog) < 0 ? PARSE_FAILED : PARSE_OK;
	case OPT_TIMEOUT:
		return seconds(op, c, &a->timeout) < 0 ? PARSE_ERROR : PARSE_OK;
	case OPT_ROTATE_WAIT:
		return seconds(op, c, &a->rotate_wait) < 0 ? PARSE_ERROR :
		    PARSE_OK;
	case OPT_PID:
		if (opt_uint(op, c, INT_MAX, &v) < 0)
			return PARSE_ERROR;
		if (v == 0) {
			opt_bad(op, c, "process ID");
			return PARSE_ERROR;
		}
		a->pid = (long)v;
		return PARSE_OK;
	case OPT_STATE:
		a->state = op->arg;
		return PARSE_OK;
	case OPT_NO_INOTIFY:
		a->no_inotify = 1;
		return PARSE_OK;
	case OPT_LINEBUF:
		a->base.line_buffered = 1;
		return PARSE_OK;
	default:
		return (r = opt_common(op, c)) >= 0 ? r : PARSE_ERROR;
	}
}

static int
follow_parse(int argc, char **argv, const struct parse_ctx *ctx,
    struct stage_args **out)
{
	const char *prog = ctx->prog;
	struct follow_args *a;
	struct opt_parser op;
	int c, r;

	if ((a = calloc(1, sizeof(*a))) == NULL) {
		diag_errno(prog, ENOMEM, "options");
		return PARSE_ERROR;
	}
	a->base.def = &follow_stage;
	a->base.free = follow_args_free;
	a->lines = 10;
	a->headers = -1;
	a->timeout = -1;
	a->rotate_wait = 5;
	a->interval = 1;
	opt_init(&op, &follow_stage, argc, argv, prog, "fFn:qvs:",
	    follow_longopts);
	while ((c = opt_next(&op)) != -1)
		if ((r = follow_opt(&op, c, a, prog)) != PARSE_OK) {
			follow_args_free(&a->base);
			return r;
		}
	if (a->prefix)
		a->headers = 0;
	a->files = argv + opt_index(&op);
	a->nfiles = argc - opt_index(&op);
	a->base.operands = NULL;
	a->base.noperands = 0;
	*out = &a->base;
	return PARSE_OK;
}

const struct stage_def follow_stage = {
	.name = "follow",
	.kind = STAGE_SOURCE,
	.concat_files = 0,
	.usage =
	    "%s [OPTION]... [FILE]...\n"
	    "Write the last lines of each FILE, then follow it as it grows,\n"
	    "by name: through rotation, truncation, deletion and re-creation.\n"
	    "With no FILE, or when FILE is -, read standard input to its end.\n"
	    "A FILE holding * ? or [ is a pattern: every file that matches it,\n"
	    "now or later, is followed.\n"
	    "\n"
	    "  -n, --lines=[+]NUM         the last NUM lines (default 10); +NUM\n"
	    "                             starts at line NUM; 0 writes none\n"
	    "  -f, -F, --follow[=name]    follow by name (the default)\n"
	    "      --follow=descriptor, --descriptor\n"
	    "                             follow the open file, as tail -f\n"
	    "      --retry                accepted for tail (always on)\n"
	    "  -q, --quiet, --silent      never write ==> FILE <== headers\n"
	    "  -v, --verbose              always write headers\n"
	    "      --prefix               write FILE: before every line instead\n"
	    "      --once                 write what is there and exit\n"
	    "      --until=PATTERN        exit 0 after the first line matching\n"
	    "                             the PCRE2 PATTERN\n"
	    "      --timeout=SECONDS      stop after SECONDS; with --until,\n"
	    "                             exit 124 when it was not seen\n"
	    "      --rotate-wait=SECONDS  read a renamed file on for SECONDS\n"
	    "                             (default 5)\n"
	    "      --pid=PID              exit once PID is gone and its lines\n"
	    "                             are read\n"
	    "      --state=FILE           remember offsets in FILE and resume\n"
	    "                             from them\n"
	    "  -s, --sleep-interval=SECONDS\n"
	    "                             poll every SECONDS without inotify\n"
	    "                             (default 1)\n"
	    "      --line-buffered        flush output after every line\n"
	    "      --help                 display this help and exit\n"
	    "      --version              output version information and exit\n"
	    "\n"
	    "Exit status: 0 success, 1 --once --until saw no match, 2 trouble,\n"
	    "124 --until timed out.",
	.parse = follow_parse,
	.create = follow_create,
};
