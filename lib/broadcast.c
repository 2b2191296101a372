/*
 * broadcast: tee, pee and a line distributor in one stage.  This file
 * holds its options and its stage definition; broadcast_int.h says where
 * the rest lives.
 *
 * Destinations are stdout (without -c), the FILE operands and the -c
 * commands, in command-line order.  Every destination has a bounded
 * queue; one poll loop writes the commands' queues into their stdin and
 * reads each command's stdout on its own pipe, forwarding only whole
 * lines into the next stage, so two commands never tear each other's
 * lines.  A push returns only once every live queue is under its cap: a
 * slow consumer slows the reading of input, nothing is dropped.  close()
 * ends the commands' input, forwards what they still write, reaps them
 * and settles the status.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "broadcast_int.h"
#include "broadcast_sub.h"
#include "diag.h"
#include "field.h"
#include "options.h"
#include "stages.h"

enum { OPT_ROUND_ROBIN = OPT_FIRST_OWN, OPT_KEY, OPT_BALANCE };

static const struct option broadcast_longopts[] = {
	{ "append", no_argument, NULL, 'a' },
	{ "balance", no_argument, NULL, OPT_BALANCE },
	{ "command", required_argument, NULL, 'c' },
	{ "key", required_argument, NULL, OPT_KEY },
	{ "line-buffered", no_argument, NULL, OPT_LINEBUF },
	{ "round-robin", no_argument, NULL, OPT_ROUND_ROBIN },
	RECORD_LONGOPTS,
	OPTIONS_COMMON,
	{ NULL, 0, NULL, 0 }
};

static void
broadcast_args_free(struct stage_args *sa)
{
	struct broadcast_args *a = (struct broadcast_args *)sa;
	int i;

	for (i = 0; i < a->nspecs; i++)
		bsub_spec_free(a->specs[i].sub);
	record_fmt_free(&a->fmt);
	free(a->specs);
	free(a);
}

/* Where p points into the original argv: its index, for ordering. */
static int
argv_pos(char **orig, int argc, const char *p)
{
	int i;

	for (i = 0; i < argc; i++)
		if (p >= orig[i] && p <= orig[i] + strlen(orig[i]))
			return i;
	return argc;
}

/* A FILE or a command, at its place on the command line. */
static void
spec_add(struct broadcast_args *a, enum dkind kind, const char *arg,
    char **orig, int argc)
{
	struct bc_spec *sp = &a->specs[a->nspecs++];

	sp->kind = kind;
	sp->arg = arg;
	sp->pos = argv_pos(orig, argc, arg);
	if (kind == D_CMD)
		a->ncmds++;
}

static int
spec_cmp(const void *x, const void *y)
{
	const struct bc_spec *a = x, *b = y;

	return (a->pos > b->pos) - (a->pos < b->pos);
}

/*
 * Inside pipe, the commands that are pipelines of runnel stages run
 * in-process: parse them now, so that their errors come before input.
 */
static int
subs_parse(struct broadcast_args *a, const struct parse_ctx *ctx)
{
	int i, r, status = PARSE_OK;

	for (i = 0; i < a->nspecs; i++) {
		if (a->specs[i].kind != D_CMD)
			continue;
		r = bsub_parse(ctx, a->specs[i].arg, &a->specs[i].sub);
		if (r == 2)
			return PARSE_EXIT;
		if (r < 0)
			status = PARSE_FAILED;
	}
	return status;
}

static int
broadcast_parse(int argc, char **argv, const struct parse_ctx *ctx,
    struct stage_args **out)
{
	const char *prog = ctx->prog;
	struct broadcast_args *a;
	struct opt_parser op;
	char **orig = NULL;
	int c, r, i;

	if ((a = calloc(1, sizeof(*a))) == NULL ||
	    (a->specs = calloc(argc + 1, sizeof(*a->specs))) == NULL ||
	    (orig = malloc((argc + 1) * sizeof(*orig))) == NULL) {
		diag_errno(prog, ENOMEM, "options");
		goto fail;
	}
	memcpy(orig, argv, argc * sizeof(*orig));
	a->base.def = &broadcast_stage;
	a->base.free = broadcast_args_free;
	record_fmt_init(&a->fmt);
	opt_init(&op, &broadcast_stage, argc, argv, prog, "ac:",
	    broadcast_longopts);
	while ((c = opt_next(&op)) != -1) {
		switch (c) {
		case 'a':
			a->append = 1;
			break;
		case 'c':
			spec_add(a, D_CMD, op.arg, orig, argc);
			break;
		case OPT_BALANCE:
			a->mode = MODE_BALANCE;
			break;
		case OPT_KEY:
			if (rfield_parse(&op, c, op.arg, strlen(op.arg),
			    &a->key) < 0)
				goto fail;
			a->mode = MODE_KEY;
			break;
		case OPT_LINEBUF:
			a->base.line_buffered = 1;
			break;
		case OPT_ROUND_ROBIN:
			a->mode = MODE_ROUND_ROBIN;
			break;
		default:
			if ((r = record_opt(&op, c, &a->fmt)) > 0)
				break;
			if (r == 0 && (r = opt_common(&op, c)) >= 0) {
				free(orig);
				broadcast_args_free(&a->base);
				return r;
			}
			goto fail;
		}
	}
	/* The FILEs are outputs: the driver reads standard input only. */
	for (i = opt_index(&op); i < argc; i++)
		spec_add(a, D_FILE, argv[i], orig, argc);
	qsort(a->specs, a->nspecs, sizeof(*a->specs), spec_cmp);
	free(orig);
	orig = NULL;
	if (a->mode == MODE_KEY &&
	    record_fmt_check(&a->fmt, prog, &a->key, 1) < 0)
		goto fail;
	if (a->mode == MODE_KEY && a->key.num == 0)
		a->base.fields = &a->fmt;
	if (ctx->pl != NULL && (r = subs_parse(a, ctx)) != PARSE_OK) {
		broadcast_args_free(&a->base);
		return r;
	}
	a->base.operands = NULL;
	a->base.noperands = 0;
	*out = &a->base;
	return PARSE_OK;
fail:
	free(orig);
	if (a != NULL)
		broadcast_args_free(&a->base);
	return PARSE_ERROR;
}

static void
broadcast_destroy(struct stage *s)
{
	struct broadcast *b = (struct broadcast *)s;
	int i;

	for (i = 0; i < b->nd; i++) {
		free(b->d[i].q);
		linehold_free(&b->d[i].held);
		if (b->d[i].pidfd >= 0)
			close(b->d[i].pidfd);
	}
	free(b->d);
	free(b->pfd);
	free(b->pfdi);
	free(b->rbuf);
	free(b->guard);
	bsub_merge_free(b->merge);
	record_free(&b->rec);
	free(b);
}

/* SIGUSR1: the in-process commands' stages report too. */
static void
broadcast_info(struct stage *s)
{
	struct broadcast *b = (struct broadcast *)s;
	int i;

	for (i = 0; i < b->nd; i++)
		if (b->d[i].sub != NULL)
			bsub_info(b->d[i].sub);
}

static const struct stage_ops broadcast_ops = {
	.info = broadcast_info,
	.wait_fds = bc_wait_fds,
	.wake = bc_wake,
	.push = bc_push,
	.flush = bc_flush,
	.close = bc_close,
	.destroy = broadcast_destroy,
};

/*
 * Open a FILE, start a command (nofd: there is no room for its pipes),
 * or build an in-process one.  A FILE or command that cannot start is
 * reported and counts as failed; -1 only when out of memory.
 */
static int
dest_start(struct broadcast *b, struct dest *d, const struct bc_spec *sp,
    int nofd)
{
	const struct broadcast_args *a = b->a;

	d->kind = sp->kind;
	d->name = sp->arg;
	d->fd = d->outfd = d->pidfd = -1;
	d->live = 1;
	d->ship = d->kind == D_FILE ? FILE_CHUNK :
	    a->mode == MODE_BALANCE ? 1 : CMD_CHUNK;
	if (d->kind == D_FILE) {
		int fl = O_WRONLY | O_CREAT | O_CLOEXEC |
		    (a->append ? O_APPEND : O_TRUNC);

		while ((d->fd = open(d->name, fl, 0666)) < 0 && errno == EINTR)
			;
		if (d->fd < 0)
			bc_dest_fail(b, d, errno);
	} else if (sp->sub != NULL) {
		return bc_sub_start(b, d, sp->sub);
	} else if (nofd || bc_child_start(b, d) < 0) {
		if (!nofd)
			diag_errno(b->base.name, errno, "'%s'", d->name);
		d->live = 0;
		d->failed = 1;
		d->reaped = 1;
		d->wstatus = 2 << 8;
	}
	return 0;
}

static struct stage *
broadcast_create(const struct stage_args *args, struct stage *next)
{
	const struct broadcast_args *a = (const struct broadcast_args *)args;
	struct broadcast *b;
	int i, n = 0, nofd;

	if ((b = stage_alloc(sizeof(*b), &broadcast_ops, next,
	    broadcast_stage.name)) == NULL ||
	    (b->d = calloc(a->nspecs + 1, sizeof(*b->d))) == NULL ||
	    (b->pfd = calloc(2 * a->nspecs + 1, sizeof(*b->pfd))) == NULL ||
	    (b->pfdi = calloc(2 * a->nspecs + 1, sizeof(*b->pfdi))) == NULL)
		goto nomem;
	b->a = a;
	b->out = next;
	if (record_init(&b->rec, &a->fmt, FIELD_BLANKS) < 0)
		goto nomem;
	nofd = a->ncmds > 0 && bc_fd_room(b, a) < 0;
	if (a->ncmds == 0) {
		if (bc_stdout_dest(b, &b->d[n]) < 0)
			goto nomem;
		n++;
	}
	for (i = 0; i < a->nspecs; i++, n++)
		if (dest_start(b, &b->d[n], &a->specs[i], nofd) < 0)
			goto nomem;
	b->nd = n;
	return &b->base;
nomem:
	if (b != NULL) {
		free(b->d);
		free(b->pfd);
		bsub_merge_free(b->merge);
		record_free(&b->rec);
		free(b);
	}
	return NULL;
}

const struct stage_def broadcast_stage = {
	.name = "broadcast",
	.kind = STAGE_FILTER,
	.concat_files = 1,
	.serves_fds = 1,
	.usage =
	    "%s [OPTION]... [FILE]...\n"
	    "Copy standard input to standard output and to each FILE (as tee),\n"
	    "or to commands whose output is merged on standard output (as pee),\n"
	    "or share the lines out among them.\n"
	    "\n"
	    "  -a, --append          append to the FILEs, do not overwrite\n"
	    "  -c, --command=CMD     also feed every line to `sh -c CMD`; with -c,\n"
	    "                        standard output carries the commands' output\n"
	    "                        in whole lines, not the input (repeatable)\n"
	    "      --round-robin     send each line to one destination in turn\n"
	    "      --key=SPEC        send each line to one destination chosen by\n"
	    "                        a stable hash of its field SPEC: N, the Nth\n"
	    "                        blank-separated word, or a NAME\n"
	    "      --format=FMT      read NAMEs as FMT: combined, common, json,\n"
	    "                        logfmt (default: from the first line)\n"
	    "      --parse=REGEX     NAMEs are REGEX's named groups\n"
	    "      --balance         send each line to the destination with the\n"
	    "                        least unsent data\n"
	    "      --line-buffered   flush output after every line\n"
	    "      --help            display this help and exit\n"
	    "      --version         output version information and exit\n"
	    "\n"
	    "Destinations, in command-line order: standard output (without -c),\n"
	    "then the FILEs and commands.  A failing FILE or command is reported\n"
	    "once and dropped; the exit status is that of the first failing\n"
	    "command, else 2 if a FILE failed, else 0.",
	.parse = broadcast_parse,
	.create = broadcast_create,
};
