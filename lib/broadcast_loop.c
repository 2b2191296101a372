/*
 * broadcast_loop: the poll loop over the commands' pipes (see
 * broadcast_int.h).  It writes each command's queue into its stdin as
 * far as the pipe takes it, reads each command's stdout on its own pipe
 * and passes whole lines on, and reaps a command that has quit.  A push
 * runs it until every queue is under its cap; while input is idle the
 * driver polls the same descriptors (wait_fds) and calls wake.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>

#include "broadcast_int.h"
#include "broadcast_sub.h"
#include "signals.h"
#include "writer.h"

/*
 * The descriptors to wait on: commands with queued input, and every
 * command's output.  Fills pfd (and pfdi, the destination of each, when
 * not NULL) with at most max entries.
 */
static int
watch_set(struct broadcast *b, struct pollfd *pfd, int *pfdi, int max)
{
	int i, n = 0;

	for (i = 0; i < b->nd && n + 2 <= max; i++) {
		struct dest *d = &b->d[i];

		if (d->kind != D_CMD)
			continue;
		if (d->live && d->qlen > 0 && (!b->due || d->qlen >= d->ship)) {
			pfd[n].fd = d->fd;
			pfd[n].events = POLLOUT;
			if (pfdi)
				pfdi[n] = i;
			n++;
		}
		if (d->outfd >= 0 || (d->pidfd >= 0 && !d->reaped)) {
			pfd[n].fd = d->outfd >= 0 ? d->outfd : d->pidfd;
			pfd[n].events = POLLIN;
			if (pfdi)
				pfdi[n] = i;
			n++;
		}
	}
	return n;
}

/*
 * With -c, stdout carries the commands' output: its reader going away
 * ends broadcast at once, also while input and commands are quiet (a
 * pipe whose reader is gone polls as an error on the write end).  The
 * writer says which descriptor that is and whether it is still worth
 * watching (writer_watch), under pipe too.  Adds at most one entry.
 */
static int
watch_output(const struct broadcast *b, struct pollfd *pfd, int *pfdi)
{
	if (b->a->ncmds == 0 || !writer_watch(pfd))
		return 0;
	if (pfdi)
		*pfdi = -1;
	return 1;
}

/*
 * A round of the loop.  Reading a command's output is not optional: a
 * command blocked writing to us would never read the lines we queue.
 */
enum flow
bc_pump(struct broadcast *b, int block)
{
	int i, n, r;
	enum flow f;

	n = watch_set(b, b->pfd, b->pfdi, INT_MAX);
	n += watch_output(b, b->pfd + n, b->pfdi + n);
	if (n == 0)
		return FLOW_GO;
	if (block) {
		/* Pass on what is held before waiting. */
		f = bc_merge_flush(b);
		if (f == FLOW_GO)
			f = chain_flush(b->base.next);
		if (f != FLOW_GO && b->a->ncmds > 0) {
			b->stopped = 1;
			b->stopflow = f;
			return f;
		}
	}
	/* After SIGINT/SIGTERM it waits on: the commands are drained. */
	r = signals_poll(b->pfd, n, block ? -1 : 0,
	    signal_fatal ? 0 : SIGP_FATAL);
	if (r < 0) {
		if (errno != EINTR)
			return FLOW_ERROR;
		return signal_fatal ? FLOW_STOP : FLOW_GO;
	}
	for (i = 0; i < n; i++) {
		struct dest *d;

		if (b->pfd[i].revents == 0)
			continue;
		if (b->pfdi[i] < 0) {
			/* the output is lost: the reader chose to stop */
			if ((f = writer_watched(&b->pfd[i])) != FLOW_GO) {
				b->stopped = 1;
				b->stopflow = f;
				return f;
			}
			continue;
		}
		d = &b->d[b->pfdi[i]];
		if (b->pfd[i].events == POLLOUT && d->fd == b->pfd[i].fd)
			bc_cmd_write(b, d);
		else if (b->pfd[i].events == POLLIN && d->outfd >= 0 &&
		    (f = bc_cmd_read(b, d)) != FLOW_GO)
			return f;
	}
	bc_reap_quit(b);
	return FLOW_GO;
}

/* What in-process commands hold goes on too (also to their own -c). */
static void
subs_flush(struct broadcast *b)
{
	int i;

	for (i = 0; i < b->nd; i++)
		if (b->d[i].sub != NULL && b->d[i].live &&
		    bsub_flush(b->d[i].sub) != FLOW_GO)
			b->d[i].live = 0;
}

enum flow
bc_flush(struct stage *s)
{
	struct broadcast *b = (struct broadcast *)s;
	enum flow f;
	int i;

	if (b->stopped)
		return b->stopflow;
	for (i = 0; i < b->nd; i++)
		if (b->d[i].kind != D_CMD &&
		    (f = bc_sync_drain(b, &b->d[i])) != FLOW_GO)
			return f;
	/*
	 * The source is about to wait: hand the commands what is queued,
	 * and pass on whatever they have written so far.
	 */
	for (i = 0; i < b->nd; i++)
		if (b->d[i].kind == D_CMD && b->d[i].live)
			bc_cmd_write(b, &b->d[i]);
	if ((f = bc_pump(b, 0)) != FLOW_GO)
		return f;
	subs_flush(b);
	if ((f = bc_merge_flush(b)) != FLOW_GO)
		return f;
	if (b->stopped)
		return b->stopflow;
	return FLOW_GO;
}

/* The driver waits for input: have it watch the commands too. */
int
bc_wait_fds(struct stage *s, struct pollfd *pfd, int max)
{
	struct broadcast *b = (struct broadcast *)s;
	int i, n;

	if (b->stopped)
		return 0;
	n = watch_set(b, pfd, NULL, max);
	if (n < max)
		n += watch_output(b, pfd + n, NULL);
	/* A broadcast -c 'sh command' nested in an in-process command. */
	for (i = 0; i < b->nd && n < max; i++)
		if (b->d[i].sub != NULL && b->d[i].live)
			n += bsub_wait_fds(b->d[i].sub, pfd + n, max - n);
	return n;
}

/* A command is ready while input is idle: pass its lines on now. */
enum flow
bc_wake(struct stage *s)
{
	struct broadcast *b = (struct broadcast *)s;
	enum flow f;

	if (b->stopped)
		return b->stopflow;
	if ((f = bc_pump(b, 0)) != FLOW_GO)
		return f;
	for (int i = 0; i < b->nd; i++)
		if (b->d[i].sub != NULL && b->d[i].live)
			(void)bsub_wake(b->d[i].sub);
	if ((f = bc_merge_flush(b)) != FLOW_GO)
		return f;
	return b->stopped ? b->stopflow : FLOW_GO;
}
