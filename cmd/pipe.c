/*
 * pipe: run a pipeline of runnel stages in one process.  Its own options
 * come first; the stages' words are parsed by the stages (pipeline.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "driver.h"
#include "grow.h"
#include "options.h"
#include "pipeline.h"
#include "signals.h"

#define PROG	"pipe"

static const struct stage_def pipe_def = {
	.name = PROG,
	.usage =
	    "%s [OPTION]... 'PIPELINE'\n"
	    "  or:  pipe [OPTION]... -f SCRIPT\n"
	    "Run PIPELINE, runnel stages separated by '|', in one process.\n"
	    "Words are split as sh splits them (quotes, backslash), with no\n"
	    "expansion; '#' at the start of a word begins a comment.\n"
	    "The first stage reads its FILE operands or standard input.\n"
	    "\n"
	    "  -f, --file=SCRIPT   read the pipeline from SCRIPT\n"
	    "      --explain       print the chain built, one stage a line,\n"
	    "                      and exit without reading input\n"
	    "      --stats         at the end, write lines in and out and time\n"
	    "                      of every stage to standard error\n"
	    "      --trace         write every line entering a stage to\n"
	    "                      standard error\n"
	    "      --threads[=N]   run on N threads: a split of the stages that\n"
	    "                      work line by line gets N workers, else the\n"
	    "                      stages get a thread each, N in all (without\n"
	    "                      N: a worker a processor, or a thread a stage);\n"
	    "                      --threads=1: one thread.  Default: a split\n"
	    "                      over the processors when stage 1 reads\n"
	    "                      regular files, else one thread\n"
	    "      --line-buffered flush the output on every line\n"
	    "      --help          display this help and exit\n"
	    "      --version       output version information and exit\n"
	    "\n"
	    "Stages: match, follow, broadcast, power, printer (those built in).\n"
	    "A broadcast -c command that is itself a pipeline of those runs\n"
	    "in-process, its output in a fixed order; any other runs via sh -c.\n"
	    "Exit status: as bash -o pipefail gives for the same pipeline.",
};

enum { OPT_EXPLAIN = OPT_FIRST_OWN, OPT_STATS, OPT_THREADS, OPT_TRACE };

static const struct option longopts[] = {
	{ "explain", no_argument, NULL, OPT_EXPLAIN },
	{ "file", required_argument, NULL, 'f' },
	{ "line-buffered", no_argument, NULL, OPT_LINEBUF },
	{ "stats", no_argument, NULL, OPT_STATS },
	{ "threads", optional_argument, NULL, OPT_THREADS },
	{ "trace", no_argument, NULL, OPT_TRACE },
	OPTIONS_HELP_VERSION,
	{ NULL, 0, NULL, 0 }
};

/* The whole of a SCRIPT ("-": standard input), NUL-free checked later. */
static char *
read_script(const char *path, size_t *lenp)
{
	size_t len = 0, cap = 0;
	char *buf = NULL;
	int fd = STDIN_FILENO;
	ssize_t n = -1;

	if (strcmp(path, "-") != 0 &&
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		diag_errno(PROG, errno, "%s", path);
		return NULL;
	}
	do {
		if (grow(&buf, &cap, len + 4096, 4096) < 0) {
			diag_errno(PROG, ENOMEM, "%s", path);
			break;
		}
		while ((n = read(fd, buf + len, cap - len)) < 0 &&
		    errno == EINTR)
			;
		if (n < 0)
			diag_errno(PROG, errno, "%s", path);
		else
			len += n;
	} while (n > 0);
	if (fd != STDIN_FILENO)
		close(fd);
	if (n != 0) {
		free(buf);
		return NULL;
	}
	*lenp = len;
	return buf;
}

/*
 * --threads[=N]: N from 1 to 1024; without N, a worker a processor or a
 * thread a stage.  More threads than CPUs is the better default for
 * the latter: the scheduler balances unequal stages, where a split by
 * count cannot know their weights.
 */
static int
parse_threads(const char *arg)
{
	char *end;
	long n;

	if (arg == NULL)
		return PIPE_THREADS_CPUS;
	errno = 0;
	n = strtol(arg, &end, 10);
	if (end == arg || *end != '\0' || errno != 0 || n < 1 || n > 1024) {
		diag(PROG, "invalid number of threads: '%s'", arg);
		return -1;
	}
	return (int)n;
}

static int
usage_error(void)
{
	fprintf(stderr, "Try '%s --help' for more information.\n", PROG);
	return 2;
}

/* pipe's own options, before the PIPELINE operand. */
struct pipe_opts {
	const char *script;	/* -f SCRIPT, or NULL */
	int explain;
	int flags;		/* PIPE_STATS, PIPE_TRACE */
	int threads;		/* -1: the default (pipeline_default_threads) */
	int line_buffered;
};

/* -1: go on; else the exit status (after --help, --version, an error). */
static int
parse_opts(struct pipe_opts *o, int argc, char **argv, int *next)
{
	struct opt_parser op;
	int c, nops;

	memset(o, 0, sizeof(*o));
	o->threads = -1;
	opt_init(&op, &pipe_def, argc, argv, PROG, "f:", longopts);
	while ((c = opt_next(&op)) != -1) {
		switch (c) {
		case 'f':
			o->script = op.arg;
			break;
		case OPT_EXPLAIN:
			o->explain = 1;
			break;
		case OPT_STATS:
			o->flags |= PIPE_STATS;
			break;
		case OPT_TRACE:
			o->flags |= PIPE_TRACE;
			break;
		case OPT_LINEBUF:
			o->line_buffered = 1;
			break;
		case OPT_THREADS:
			if ((o->threads = parse_threads(op.arg)) < 0)
				return usage_error();
			break;
		default:
			if (opt_common(&op, c) >= 0)
				return fflush(stdout) == 0 ? 0 : 2;
			return usage_error();
		}
	}
	*next = opt_index(&op);
	nops = argc - *next;
	if (o->script == NULL && nops == 0) {
		diag(PROG, "missing PIPELINE");
		return usage_error();
	}
	if (nops > (o->script == NULL)) {
		diag(PROG, "extra operand '%s'",
		    argv[*next + (o->script == NULL)]);
		return usage_error();
	}
	return -1;
}

/* --explain: the chain built, on stdout; nothing is read. */
static int
explain(struct pipeline *pl, int flags)
{
	pl->flags = flags;
	pipeline_explain(pl, stdout);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		diag_errno(PROG, errno, "write error");
		return 2;
	}
	return 0;
}

static int
run(struct pipeline *pl, const struct pipe_opts *o)
{
	int status;

	pl->line_buffered = o->line_buffered;
	if (o->threads < 0) {
		pl->threads = pipeline_default_threads(pl);
		pl->split_only = 1;
	} else
		pl->threads = o->threads;
	if (o->explain)
		return explain(pl, o->flags);
	if (pipeline_build(pl, NULL, o->flags) < 0)
		return 2;
	status = pipeline_run(pl);
	if (o->flags & PIPE_STATS)
		pipeline_stats(pl);
	return status;
}

int
main(int argc, char **argv)
{
	struct pipe_opts o;
	struct pipeline pl;
	char *text;
	size_t len;
	int r, next = 0, status;

	driver_start();
	if ((r = parse_opts(&o, argc, argv, &next)) >= 0)
		return r;
	if (o.script != NULL) {
		if ((text = read_script(o.script, &len)) == NULL)
			return 2;
	} else {
		text = argv[next];
		len = strlen(text);
	}
	r = pipeline_parse(&pl, PROG, text, len, o.script);
	if (r == PARSE_OK)
		status = run(&pl, &o);
	else if (r == PARSE_EXIT)
		status = fflush(stdout) == 0 ? 0 : 2;
	else
		status = 2;
	pipeline_free(&pl);
	if (o.script != NULL)
		free(text);
	signals_reraise();
	return status;
}
