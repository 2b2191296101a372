/*
 * broadcast_dest: the destinations (see broadcast_int.h).  Each has a
 * queue; a FILE's goes out in chunks with blocking writes, standard
 * output (without -c) is the next stage, and a command's queue goes into
 * its stdin through a non-blocking pipe, as far as the pipe takes it.
 * What a command writes back is passed on in whole lines only, so two
 * commands never tear each other's lines.  A destination that fails is
 * reported once and dropped; the others go on.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "broadcast_int.h"
#include "broadcast_sub.h"
#include "diag.h"
#include "grow.h"
#include "linehold.h"
#include "writer.h"

#define READ_CHUNK	(64 * 1024)	/* a command's output read in these */

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

/* Without -c, a closed stdout is one destination dropped, quietly. */
static void
stdout_drop(struct broadcast *b, struct dest *d)
{
	d->live = 0;
	d->qlen = d->qoff = 0;
	b->stopped = 0;
}

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

int
bc_stdout_dest(struct broadcast *b, struct dest *d)
{
	struct guard *g = calloc(1, sizeof(*g));

	if (g == NULL)
		return -1;
	g->base.ops = &guard_ops;
	g->base.name = b->base.name;
	g->rest = b->out;
	g->b = b;
	b->base.next = &g->base;
	b->guard = g;
	/*
	 * A closed stdout is then one destination dropped: the FILEs go on,
	 * and the writer's "reader chose to stop, exit 0" must not hide one
	 * that failed.
	 */
	b->base.outlives_output = 1;
	d->kind = D_STDOUT;
	d->name = "standard output";
	d->live = 1;
	d->fd = d->outfd = d->pidfd = -1;
	d->ship = FILE_CHUNK;
	return 0;
}

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

/* A command's whole lines: on to the next stage. */
static enum flow
cmd_out(void *ctx, const char *data, size_t len)
{
	return next_push(ctx, data, len);
}

/*
 * A line the command writes in pieces is held until its '\n' comes, and
 * its last line without one until its output ends.
 */
enum flow
bc_cmd_read(struct broadcast *b, struct dest *d)
{
	enum flow f;
	ssize_t n;

	if (b->rbuf == NULL && (b->rbuf = malloc(READ_CHUNK)) == NULL) {
		diag_errno(b->base.name, ENOMEM, "%s", d->name);
		return FLOW_ERROR;
	}
	for (;;) {
		n = read(d->outfd, b->rbuf, READ_CHUNK);
		if (n > 0) {
			f = linehold_push(&d->held, b->rbuf, n, cmd_out, b,
			    b->base.name);
			if (f != FLOW_GO || n < READ_CHUNK)
				return f;
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return FLOW_GO;
		/* EOF (or a read error: treated as its end) */
		close(d->outfd);
		d->outfd = -1;
		return linehold_drain(&d->held, cmd_out, b);
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

int
bc_sub_start(struct broadcast *b, struct dest *d, struct bsub_spec *sp)
{
	/* In-process: no child to reap. */
	d->reaped = 1;
	if (b->merge == NULL && (b->merge = bsub_merge_new(sub_out, b)) ==
	    NULL)
		return -1;
	if ((d->sub = bsub_start(sp, b->merge)) == NULL)
		return -1;
	b->nsubs++;
	return 0;
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
