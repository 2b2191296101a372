/*
 * broadcast: tee, pee and a line distributor in one stage.
 *
 * Destinations are stdout (without -c), the FILE operands and the -c
 * commands.  Every destination has a bounded queue; one poll loop
 * (bc_pump) writes the commands' queues into their stdin through
 * non-blocking pipes and reads each command's stdout on its own pipe,
 * forwarding only whole lines into the next stage, so two commands never
 * tear each other's lines.  A push returns only once every live queue is
 * under its cap: a slow consumer slows the reading of input, nothing is
 * dropped.  close() ends the commands' input, forwards what they still
 * write, reaps them and settles the status.
 */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "broadcast_int.h"
#include "broadcast_sub.h"
#include "diag.h"
#include "grow.h"
#include "monotime.h"
#include "field.h"
#include "options.h"
#include "signals.h"
#include "stages.h"
#include "writer.h"

/*
 * Without -c, the stages after broadcast hang off a guard that ends the
 * chain: the driver's flushes reach them only through it, so their stop
 * (a closed stdout) drops one destination instead of ending the input.
 * Once broadcast is closed, its next is the real one again, so the
 * stages after it are closed, counted and freed as in any chain, also
 * when pipe frees its stages one by one.  broadcast frees the guard.
 */
struct guard {
	struct stage	 base;
	struct stage	*rest;
	struct broadcast *b;
};

static void	stdout_drop(struct broadcast *, struct dest *);

static enum flow
guard_flush(struct stage *s)
{
	struct guard *g = (struct guard *)s;
	enum flow f;

	if (!g->b->d[0].live)
		return FLOW_GO;
	f = chain_flush(g->rest);
	if (f == FLOW_STOP)
		stdout_drop(g->b, &g->b->d[0]);
	return f == FLOW_STOP ? FLOW_GO : f;
}

static void
guard_info(struct stage *s)
{
	chain_info(((struct guard *)s)->rest);
}


static const struct stage_ops guard_ops = {
	.flush = guard_flush,
	.info = guard_info,
};

enum { OPT_ROUND_ROBIN = OPT_FIRST_OWN, OPT_KEY, OPT_BALANCE };

static const struct option broadcast_longopts[] = {
	{ "append", no_argument, NULL, 'a' },
	{ "balance", no_argument, NULL, OPT_BALANCE },
	{ "command", required_argument, NULL, 'c' },
	{ "key", required_argument, NULL, OPT_KEY },
	{ "line-buffered", no_argument, NULL, OPT_LINEBUF },
	{ "round-robin", no_argument, NULL, OPT_ROUND_ROBIN },
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
	uint64_t v;
	int c, r, i, first;

	if ((a = calloc(1, sizeof(*a))) == NULL ||
	    (a->specs = calloc(argc + 1, sizeof(*a->specs))) == NULL ||
	    (orig = malloc((argc + 1) * sizeof(*orig))) == NULL) {
		diag_errno(prog, ENOMEM, "options");
		goto fail;
	}
	memcpy(orig, argv, argc * sizeof(*orig));
	a->base.def = &broadcast_stage;
	a->base.free = broadcast_args_free;
	opt_init(&op, &broadcast_stage, argc, argv, prog, "ac:",
	    broadcast_longopts);
	while ((c = opt_next(&op)) != -1) {
		switch (c) {
		case 'a':
			a->append = 1;
			break;
		case 'c':
			a->specs[a->nspecs].kind = D_CMD;
			a->specs[a->nspecs].arg = op.arg;
			a->specs[a->nspecs].pos = argv_pos(orig, argc, op.arg);
			a->nspecs++;
			a->ncmds++;
			break;
		case OPT_BALANCE:
			a->mode = MODE_BALANCE;
			break;
		case OPT_KEY:
			if (opt_uint(&op, c, SIZE_MAX, &v) < 0)
				goto fail;
			if (v == 0) {
				opt_bad(&op, c, "field number");
				goto fail;
			}
			a->keyfield = v;
			a->mode = MODE_KEY;
			break;
		case OPT_LINEBUF:
			a->base.line_buffered = 1;
			break;
		case OPT_ROUND_ROBIN:
			a->mode = MODE_ROUND_ROBIN;
			break;
		default:
			if ((r = opt_common(&op, c)) >= 0) {
				free(orig);
				broadcast_args_free(&a->base);
				return r;
			}
			goto fail;
		}
	}
	/* The FILEs are outputs: the driver reads standard input only. */
	first = opt_index(&op);
	for (i = first; i < argc; i++) {
		a->specs[a->nspecs].kind = D_FILE;
		a->specs[a->nspecs].arg = argv[i];
		a->specs[a->nspecs].pos = argv_pos(orig, argc, argv[i]);
		a->nspecs++;
	}
	qsort(a->specs, a->nspecs, sizeof(*a->specs), spec_cmp);
	free(orig);
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

/* Report a destination's failure once and stop feeding it. */
void
bc_dest_fail(struct broadcast *b, struct dest *d, int errnum)
{
	/* EINTR: write_all() gave up after a SIGTERM, nothing to report */
	if (!d->failed && errnum != 0 && errnum != EINTR)
		diag_errno(b->base.name, errnum, "%s", d->name);
	d->failed = 1;
	d->live = 0;
	d->qlen = d->qoff = 0;
	if (d->kind == D_FILE && d->fd >= 0) {
		close(d->fd);
		d->fd = -1;
	}
}

/* A command's stdin is done with: EOF for it, nothing more queued. */
void
bc_cmd_close_stdin(struct dest *d)
{
	d->live = 0;
	d->qlen = d->qoff = 0;
	if (d->fd >= 0) {
		close(d->fd);
		d->fd = -1;
	}
}

static int
queue_add(struct broadcast *b, struct dest *d, const char *data, size_t len)
{
	if (d->qoff > 0 && d->qoff + d->qlen + len > d->qcap) {
		memmove(d->q, d->q + d->qoff, d->qlen);
		d->qoff = 0;
	}
	if (grow(&d->q, &d->qcap, d->qlen + len, FILE_CHUNK) < 0) {
		diag_errno(b->base.name, ENOMEM, "%s", d->name);
		return -1;
	}
	memcpy(d->q + d->qoff + d->qlen, data, len);
	d->qlen += len;
	return 0;
}

/* Pass a result of the next stage on; remember a stop. */
static enum flow
next_push_now(struct broadcast *b, const char *data, size_t len)
{
	enum flow f;

	if (b->stopped)
		return b->stopflow;
	f = stage_push(b->out, data, len);
	if (f != FLOW_GO) {
		b->stopped = 1;
		b->stopflow = f;
	}
	return f;
}

/* The in-process commands' merged output goes first. */
enum flow
bc_merge_flush(struct broadcast *b)
{
	return b->merge != NULL ? bsub_merge_flush(b->merge) : FLOW_GO;
}

static enum flow
next_push(struct broadcast *b, const char *data, size_t len)
{
	enum flow f = bc_merge_flush(b);

	return f != FLOW_GO ? f : next_push_now(b, data, len);
}

/* Without -c, a closed stdout is one destination dropped, quietly. */
static void
stdout_drop(struct broadcast *b, struct dest *d)
{
	d->live = 0;
	d->qlen = d->qoff = 0;
	b->stdout_dropped = 1;
	b->stopped = 0;
}

/* Write out a FILE's or stdout's queue (blocking: files do not poll). */
enum flow
bc_sync_drain(struct broadcast *b, struct dest *d)
{
	enum flow f;

	if (d->qlen == 0 || !d->live)
		return FLOW_GO;
	if (d->kind == D_FILE) {
		if (write_all(d->fd, d->q + d->qoff, d->qlen) < 0)
			bc_dest_fail(b, d, errno);
		d->qlen = d->qoff = 0;
		return FLOW_GO;
	}
	f = next_push(b, d->q + d->qoff, d->qlen);
	d->qlen = d->qoff = 0;
	if (f == FLOW_STOP) {
		stdout_drop(b, d);
		return FLOW_GO;
	}
	return f;
}

/* Forward the whole lines a command has written; all at its EOF. */
static enum flow
cmd_forward(struct broadcast *b, struct dest *d, int eof)
{
	char *nl;
	size_t n;
	enum flow f;

	if (d->oblen == 0)
		return FLOW_GO;
	if (eof)
		n = d->oblen;
	else {
		nl = memrchr(d->ob, '\n', d->oblen);
		if (nl == NULL)
			return FLOW_GO;
		n = nl + 1 - d->ob;
	}
	f = next_push(b, d->ob, n);
	memmove(d->ob, d->ob + n, d->oblen - n);
	d->oblen -= n;
	return f;
}

/* Read what a command wrote; forward whole lines. */
enum flow
bc_cmd_read(struct broadcast *b, struct dest *d)
{
	ssize_t n;

	for (;;) {
		if (d->obcap - d->oblen < READ_CHUNK) {
			size_t cap = d->obcap ? d->obcap * 2 : 2 * READ_CHUNK;
			char *nb = realloc(d->ob, cap);

			if (nb == NULL) {
				diag_errno(b->base.name, ENOMEM, "%s",
				    d->name);
				return FLOW_ERROR;
			}
			d->ob = nb;
			d->obcap = cap;
		}
		n = read(d->outfd, d->ob + d->oblen, d->obcap - d->oblen);
		if (n > 0) {
			d->oblen += n;
			if ((size_t)n < READ_CHUNK)
				return cmd_forward(b, d, 0);
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return cmd_forward(b, d, 0);
		/* EOF (or a read error: treated as its end) */
		close(d->outfd);
		d->outfd = -1;
		return cmd_forward(b, d, 1);
	}
}

/*
 * Write as much of data as a command's pipe takes now; returns how much
 * it took.  The command may be dropped on the way (d->live cleared).
 */
static size_t
cmd_put(struct broadcast *b, struct dest *d, const char *data, size_t len)
{
	size_t done = 0;

	while (done < len && d->live) {
		ssize_t n = write(d->fd, data + done, len - done);

		if (n > 0) {
			done += n;
			d->sent += n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n < 0 && errno == EPIPE) {
			/* It stopped reading: its exit status tells. */
			bc_cmd_close_stdin(d);
			break;
		}
		bc_cmd_close_stdin(d);
		bc_dest_fail(b, d, n < 0 ? errno : EIO);
		break;
	}
	if (done > 0)
		d->midline = data[done - 1] != '\n';
	return done;
}

/* Write as much of a command's queue as its pipe takes now. */
void
bc_cmd_write(struct broadcast *b, struct dest *d)
{
	size_t n;

	if (d->qlen == 0 || !d->live)
		return;
	n = cmd_put(b, d, d->q + d->qoff, d->qlen);
	if (!d->live)
		return;
	d->qoff += n;
	d->qlen -= n;
	if (d->qlen == 0)
		d->qoff = 0;
}

/* Data was queued for d: send a full chunk on. */
enum flow
bc_dest_queued(struct broadcast *b, struct dest *d)
{
	if (d->kind != D_CMD)
		return d->qlen >= d->ship ? bc_sync_drain(b, d) : FLOW_GO;
	switch (b->a->mode) {
	case MODE_ALL:
		bc_cmd_write(b, d);
		break;
	case MODE_BALANCE:
		if (d->qlen >= d->ship) {
			bc_cmd_write(b, d);
			bc_balance_look(b);
		}
		break;
	default:
		if (d->qlen >= d->ship)
			bc_cmd_write(b, d);
		break;
	}
	return FLOW_GO;
}

/* An in-process command's output: on to the next stage. */
static enum flow
sub_out(void *ctx, const char *data, size_t len)
{
	return next_push_now(ctx, data, len);
}

/*
 * Lines into an in-process command; its output is pushed on before this
 * returns.  One that stops (match -m1) is dropped silently, as a command
 * exiting 0 early; one that fails is dropped too and its status tells
 * at close.  Neither stops the others.
 */
enum flow
bc_sub_add(struct broadcast *b, struct dest *d, const char *data, size_t len)
{
	if (bsub_push(d->sub, data, len) != FLOW_GO)
		d->live = 0;
	return b->stopped ? b->stopflow : FLOW_GO;
}

/* Queue data for one destination; files and stdout go out in chunks. */
enum flow
bc_dest_add(struct broadcast *b, struct dest *d, const char *data, size_t len)
{
	if (!d->live)
		return FLOW_GO;
	if (d->sub != NULL)
		return bc_sub_add(b, d, data, len);
	if (d->qlen == 0 && b->a->mode == MODE_ALL) {
		/* No copy of a whole batch where it can go out at once. */
		if (d->kind == D_STDOUT) {
			/* stdout is the next stage's own buffer */
			enum flow f = next_push(b, data, len);

			if (f == FLOW_STOP)
				stdout_drop(b, d);
			return f == FLOW_STOP ? FLOW_GO : f;
		}
		if (d->kind == D_FILE && len >= FILE_CHUNK) {
			if (write_all(d->fd, data, len) < 0)
				bc_dest_fail(b, d, errno);
			return FLOW_GO;
		}
		if (d->kind == D_CMD) {
			size_t n = cmd_put(b, d, data, len);

			/* The rest waits for the pipe to take it. */
			if (n < len && d->live &&
			    queue_add(b, d, data + n, len - n) < 0)
				return FLOW_ERROR;
			return FLOW_GO;
		}
	}
	if (queue_add(b, d, data, len) < 0)
		return FLOW_ERROR;
	return bc_dest_queued(b, d);
}

static void
broadcast_destroy(struct stage *s)
{
	struct broadcast *b = (struct broadcast *)s;
	int i;

	for (i = 0; i < b->nd; i++) {
		free(b->d[i].q);
		free(b->d[i].ob);
		if (b->d[i].pidfd >= 0)
			close(b->d[i].pidfd);
	}
	free(b->d);
	free(b->pfd);
	free(b->pfdi);
	free(b->guard);
	bsub_merge_free(b->merge);
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
	nofd = a->ncmds > 0 && bc_fd_room(b, a) < 0;
	if (a->ncmds == 0) {
		struct guard *g = calloc(1, sizeof(*g));

		if (g == NULL)
			goto nomem;
		g->base.ops = &guard_ops;
		g->base.name = b->base.name;
		g->rest = next;
		g->b = b;
		b->base.next = &g->base;
		b->guard = g;
		b->d[n].kind = D_STDOUT;
		b->d[n].name = "standard output";
		b->d[n].live = 1;
		b->d[n].fd = b->d[n].outfd = b->d[n].pidfd = -1;
		b->d[n].ship = FILE_CHUNK;
		n++;
	}
	for (i = 0; i < a->nspecs; i++, n++) {
		struct dest *d = &b->d[n];

		d->kind = a->specs[i].kind;
		d->name = a->specs[i].arg;
		d->fd = d->outfd = d->pidfd = -1;
		d->live = 1;
		d->ship = d->kind == D_FILE ? FILE_CHUNK :
		    a->mode == MODE_BALANCE ? 1 : CMD_CHUNK;
		if (d->kind == D_FILE) {
			int fl = O_WRONLY | O_CREAT | O_CLOEXEC |
			    (a->append ? O_APPEND : O_TRUNC);

			while ((d->fd = open(d->name, fl, 0666)) < 0 &&
			    errno == EINTR)
				;
			if (d->fd < 0)
				bc_dest_fail(b, d, errno);
		} else if (a->specs[i].sub != NULL) {
			/* In-process: no child to reap. */
			d->reaped = 1;
			if (b->merge == NULL && (b->merge =
			    bsub_merge_new(sub_out, b)) == NULL)
				goto nomem;
			if ((d->sub = bsub_start(a->specs[i].sub, b->merge)) ==
			    NULL)
				goto nomem;
			b->nsubs++;
		} else if (nofd || bc_child_start(b, d) < 0) {
			if (!nofd)
				diag_errno(b->base.name, errno, "'%s'",
				    d->name);
			d->live = 0;
			d->failed = 1;
			d->reaped = 1;
			d->wstatus = 2 << 8;
		}
	}
	b->nd = n;
	return &b->base;
nomem:
	if (b != NULL) {
		free(b->d);
		free(b->pfd);
		bsub_merge_free(b->merge);
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
	    "      --key=N           send each line to one destination chosen by\n"
	    "                        a stable hash of its blank-separated field N\n"
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
