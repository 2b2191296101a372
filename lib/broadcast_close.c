/*
 * broadcast_close: the end of input (see broadcast_int.h).  What is
 * queued goes out, each command's stdin is closed, what the commands
 * still write is passed on until their output ends, they are reaped,
 * and the status is settled: that of the first failing command on the
 * command line, else 2 when a FILE failed, else 0.  When broadcast
 * stops early (its output is gone, a signal) it does not wait for the
 * commands to finish their work.
 */
#include <sys/wait.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "broadcast_int.h"
#include "broadcast_sub.h"
#include "signals.h"

/*
 * End of input for the in-process commands, in command-line order: what
 * they still write (summaries) comes out now, and their status counts
 * as a command's exit status.
 */
static void
subs_close(struct broadcast *b)
{
	int i, st;

	for (i = 0; i < b->nd; i++) {
		struct dest *d = &b->d[i];

		if (d->sub == NULL)
			continue;
		d->live = 0;
		st = bsub_close(d->sub);
		d->wstatus = (st & 0xff) << 8;
		if (!(b->stopped && b->stopflow == FLOW_STOP))
			bc_report(b, d);
	}
	(void)bc_merge_flush(b);
}

/*
 * End a command's input when its queue is out, or at once when quitting
 * (then its output too when nobody reads on).  1 while it has a pipe
 * open.
 */
static int
cmd_end_input(struct broadcast *b, struct dest *d, int quit)
{
	/*
	 * On a signal its input ends early, but not inside a line: a pipe
	 * that took part of one gets the rest of that line first, so what
	 * the command writes back is whole lines too.
	 */
	if (d->fd >= 0 && quit && !b->stopped && d->midline && d->qlen > 0) {
		const char *nl = memchr(d->q + d->qoff, '\n', d->qlen);

		if (nl != NULL)
			d->qlen = nl + 1 - (d->q + d->qoff);
	}
	if (d->fd >= 0 && ((quit && (b->stopped || !d->midline)) ||
	    d->qlen == 0))
		bc_cmd_close_stdin(d);
	if (quit && b->stopped && d->outfd >= 0) {
		/* Nobody reads on: let it meet EPIPE. */
		close(d->outfd);
		d->outfd = -1;
	}
	return d->fd >= 0 || d->outfd >= 0;
}

/* Feed the commands the rest of their queues, and forward their output. */
static void
drain_commands(struct broadcast *b, int quit)
{
	int i, busy;

	for (;;) {
		quit = quit || b->stopped || signal_fatal;
		busy = 0;
		for (i = 0; i < b->nd; i++)
			if (b->d[i].kind == D_CMD &&
			    cmd_end_input(b, &b->d[i], quit))
				busy = 1;
		if (!busy)
			break;
		if (bc_pump(b, 1) == FLOW_ERROR)
			b->stopped = 1;
	}
}

/* The first failing command on the command line sets the status. */
static int
close_status(const struct broadcast *b)
{
	int i, filefail = 0;

	for (i = 0; i < b->nd; i++) {
		const struct dest *d = &b->d[i];

		if (!d->failed)
			continue;
		if (d->kind == D_FILE) {
			filefail = 1;
			continue;
		}
		return WIFEXITED(d->wstatus) && WEXITSTATUS(d->wstatus) ?
		    WEXITSTATUS(d->wstatus) : 2;
	}
	return filefail || b->base.input_error ? 2 : 0;
}

void
bc_close(struct stage *s)
{
	struct broadcast *b = (struct broadcast *)s;
	int i, quit = b->stopped || signal_fatal;

	/* Everything still queued goes out, unless we are stopping. */
	for (i = 0; i < b->nd && !quit; i++)
		if (b->d[i].kind != D_CMD)
			bc_sync_drain(b, &b->d[i]);
	subs_close(b);
	drain_commands(b, quit);
	if (b->stopped)
		bc_reap_hurried(b);
	for (i = 0; i < b->nd; i++) {
		struct dest *d = &b->d[i];

		if (d->kind == D_FILE && d->fd >= 0) {
			if (close(d->fd) < 0 && !d->failed)
				bc_dest_fail(b, d, errno);
			d->fd = -1;
		}
		bc_reap_wait(b, d);
	}
	s->status = close_status(b);
	/* chain_close goes on from here: straight to the real next stage. */
	if (b->guard != NULL)
		b->base.next = b->out;
}
