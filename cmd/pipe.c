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
	OPTIONS_COMMON,
	{ NULL, 0, NULL, 0 }
};

/* The whole of a SCRIPT ("-": standard input), NUL-free checked later. */
static char *
read_script(const char *path, size_t *lenp)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	int fd = STDIN_FILENO;

	if (buf == NULL) {
		diag_errno(PROG, ENOMEM, "%s", path);
		return NULL;
	}
	if (strcmp(path, "-") != 0 &&
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		diag_errno(PROG, errno, "%s", path);
		free(buf);
		return NULL;
	}
	for (;;) {
		ssize_t n;

		if (len == cap) {
			char *nb = realloc(buf, cap *= 2);

			if (nb == NULL) {
				diag_errno(PROG, ENOMEM, "%s", path);
				goto fail;
			}
			buf = nb;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			diag_errno(PROG, errno, "%s", path);
			goto fail;
		}
		if (n == 0)
			break;
		len += n;
	}
	if (fd != STDIN_FILENO)
		close(fd);
	*lenp = len;
	return buf;
fail:
	if (fd != STDIN_FILENO)
		close(fd);
	free(buf);
	return NULL;
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

int
main(int argc, char **argv)
{
	struct opt_parser op;
	struct pipeline pl;
	const char *script = NULL;
	char *text = NULL;
	size_t len;
	int c, r, explain = 0, flags = 0, status, nops, threads = -1;
	int line_buffered = 0;

	driver_start();

	opt_init(&op, &pipe_def, argc, argv, PROG, "f:", longopts);
	while ((c = opt_next(&op)) != -1) {
		switch (c) {
		case 'f':
			script = op.arg;
			break;
		case OPT_EXPLAIN:
			explain = 1;
			break;
		case OPT_STATS:
			flags |= PIPE_STATS;
			break;
		case OPT_TRACE:
			flags |= PIPE_TRACE;
			break;
		case OPT_LINEBUF:
			line_buffered = 1;
			break;
		case OPT_THREADS:
			if ((threads = parse_threads(op.arg)) < 0)
				return usage_error();
			break;
		default:
			if ((r = opt_common(&op, c)) >= 0)
				return fflush(stdout) == 0 ? 0 : 2;
			return usage_error();
		}
	}
	nops = argc - opt_index(&op);
	if (script == NULL && nops == 0) {
		diag(PROG, "missing PIPELINE");
		return usage_error();
	}
	if (nops > (script == NULL)) {
		diag(PROG, "extra operand '%s'",
		    argv[opt_index(&op) + (script == NULL)]);
		return usage_error();
	}
	if (script != NULL) {
		if ((text = read_script(script, &len)) == NULL)
			return 2;
	} else {
		text = argv[opt_index(&op)];
		len = strlen(text);
	}
	r = pipeline_parse(&pl, PROG, text, len, script);
	if (r != PARSE_OK) {
		pipeline_free(&pl);
		if (script != NULL)
			free(text);
		if (r == PARSE_EXIT)
			return fflush(stdout) == 0 ? 0 : 2;
		return 2;
	}
	pl.line_buffered = line_buffered;
	if (threads < 0) {
		pl.threads = pipeline_default_threads(&pl);
		pl.split_only = 1;
	} else
		pl.threads = threads;
	if (explain) {
		pl.flags = flags;
		pipeline_explain(&pl, stdout);
		pipeline_free(&pl);
		if (script != NULL)
			free(text);
		if (fflush(stdout) != 0 || ferror(stdout)) {
			diag_errno(PROG, errno, "write error");
			return 2;
		}
		return 0;
	}
	if (pipeline_build(&pl, NULL, flags) < 0) {
		pipeline_free(&pl);
		return 2;
	}
	status = pipeline_run(&pl);
	if (flags & PIPE_STATS)
		pipeline_stats(&pl);
	pipeline_free(&pl);
	if (script != NULL)
		free(text);
	signals_reraise();
	return status;
}
