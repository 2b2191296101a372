/*
 * pipe_proxy: the proxy between two stages of pipe (pipe_proxy.h).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "grow.h"
#include "monotime.h"
#include "pipe_proxy.h"
#include "pipeline.h"
#include "writer.h"

/*
 * --stats time: a stack of the stages whose code is running, each a
 * slot in its pipeline's self[] (sub-pipelines have their own).  One
 * book a thread (--threads): each charges what runs on it.
 */
struct clockbook {
	double	 last;
	int	 depth;
	double	*stack[256];
};
static _Thread_local struct clockbook book;

/* Charge the time since the last event to the stage running. */
static void
book_charge(double t)
{
	int top = book.depth - 1;

	if (top >= 0 && top < (int)(sizeof(book.stack) / sizeof(book.stack[0]))
	    && book.stack[top] != NULL)
		*book.stack[top] += t - book.last;
	book.last = t;
}

static void
book_enter(const struct pipe_proxy *p)
{
	if (!(p->pl->flags & PIPE_STATS))
		return;
	book_charge(monotime());
	if (book.depth < (int)(sizeof(book.stack) / sizeof(book.stack[0])))
		book.stack[book.depth] = p->pl->self ?
		    &p->pl->self[p->index] : NULL;
	book.depth++;
}

static void
book_leave(const struct pipe_proxy *p)
{
	if (!(p->pl->flags & PIPE_STATS))
		return;
	book_charge(monotime());
	book.depth--;
}

/* A handoff's wait for room in its queue is no stage's time. */
static void
book_wait(int start)
{
	if (start)
		book_charge(monotime());
	else
		book.last = monotime();
}

static enum flow
latch(struct pipe_proxy *p, enum flow f)
{
	if (f != FLOW_GO && !p->gone) {
		p->gone = 1;
		p->latched = f;
	}
	return f;
}

/* A stop from further down reached the handoff in front of proxy s. */
static void
handoff_stopped(struct stage *s, enum flow f)
{
	latch((struct pipe_proxy *)s, f);
}

const struct handoff_hooks proxy_hooks_plain = {
	.stopped = handoff_stopped,
};
const struct handoff_hooks proxy_hooks_stats = {
	.waiting = book_wait,
	.stopped = handoff_stopped,
};

/* --trace: "stage N (NAME) <- LINE", one write a line. */
static void
trace_line(const struct pipe_proxy *p, const char *line, size_t len)
{
	char head[256];
	char *buf;
	int n;
	int nl = line[len - 1] == '\n';

	if (p->pl->label != NULL)
		n = snprintf(head, sizeof(head), "%s: stage %d (%s) <- ",
		    p->pl->label, p->index, p->own->name);
	else
		n = snprintf(head, sizeof(head), "stage %d (%s) <- ",
		    p->index, p->own->name);
	if (n < 0 || (size_t)n >= sizeof(head))
		n = (int)strlen(head);
	if ((buf = malloc(n + len + 1)) == NULL) {
		(void)!write(STDERR_FILENO, head, n);
		(void)!write(STDERR_FILENO, line, len);
		return;
	}
	memcpy(buf, head, n);
	memcpy(buf + n, line, len);
	if (!nl)
		buf[n + len++] = '\n';
	(void)write_all(STDERR_FILENO, buf, n + len);
	free(buf);
}

static uint64_t
count_lines(const char *data, size_t len)
{
	const char *p = data, *end = data + len, *nl;
	uint64_t n = 0;

	while ((nl = memchr(p, '\n', end - p)) != NULL) {
		n++;
		p = nl + 1;
	}
	return n + (p < end);
}

static enum flow	drain_next(struct pipe_proxy *, enum flow);

static enum flow
proxy_forward(struct pipe_proxy *p, const char *data, size_t len)
{
	int flags = p->pl->flags;
	enum flow f;

	if (p->gone)
		return p->latched;
	if (flags == 0)		/* the common case */
		return drain_next(p, latch(p, stage_push(p->own, data, len)));
	if (flags & PIPE_STATS) {
		book_charge(monotime());
		p->lines += count_lines(data, len);
		book.last = monotime();	/* our counting is nobody's time */
	}
	if (flags & PIPE_TRACE && p->index <= (int)p->pl->n) {
		/* Line by line, so the trace shows each line's way down. */
		const char *line = data, *end = data + len;

		while (line < end) {
			const char *nl = memchr(line, '\n', end - line);
			const char *next = nl ? nl + 1 : end;

			trace_line(p, line, next - line);
			book_enter(p);
			f = latch(p, stage_push(p->own, line, next - line));
			book_leave(p);
			if (f != FLOW_GO)
				return f;
			line = next;
		}
		return FLOW_GO;
	}
	book_enter(p);
	f = latch(p, stage_push(p->own, data, len));
	book_leave(p);
	return f;
}

static const struct stage_ops proxy_ops;

/* Pass on what was gathered. */
static enum flow
coal_drain(struct pipe_proxy *p)
{
	size_t n = p->coallen;

	if (n == 0)
		return FLOW_GO;
	p->coallen = 0;
	return proxy_forward(p, p->coal, n);
}

/*
 * After a call into p's stage: what it pushed into the next proxy goes
 * on now.  A stop there is p's stage's consumer gone.
 */
static enum flow
drain_next(struct pipe_proxy *p, enum flow f)
{
	struct stage *n = p->base.next;
	enum flow g;

	if (n == NULL || n->ops != &proxy_ops ||
	    ((struct pipe_proxy *)n)->coallen == 0)
		return f;
	g = coal_drain((struct pipe_proxy *)n);
	return f != FLOW_GO ? f : latch(p, g);
}

static enum flow
proxy_out(void *ctx, const char *data, size_t len)
{
	struct pipe_proxy *p = ctx;
	enum flow f;

	if (!p->coalesce || p->gone)
		return proxy_forward(p, data, len);
	if (len >= COALESCE_DIRECT || p->coallen + len > COALESCE_SIZE) {
		if ((f = coal_drain(p)) != FLOW_GO || len >= COALESCE_DIRECT)
			return f != FLOW_GO ? f : proxy_forward(p, data, len);
	}
	if (grow(&p->coal, &p->coalcap, p->coallen + len, COALESCE_SIZE) <
	    0) {
		diag_errno(p->own->name, ENOMEM, "line buffer");
		return FLOW_ERROR;
	}
	memcpy(p->coal + p->coallen, data, len);
	p->coallen += len;
	return FLOW_GO;
}

static enum flow
proxy_push(struct stage *s, const char *data, size_t len)
{
	struct pipe_proxy *p = (struct pipe_proxy *)s;

	/* The first stage's input comes whole from the driver's reader. */
	if (p->index == 1 || p->index > (int)p->pl->n)
		return proxy_forward(p, data, len);
	if (p->gone)
		return p->latched;
	return linehold_push(&p->held, data, len, proxy_out, p, p->own->name);
}

static enum flow
proxy_begin(struct stage *s, const char *name)
{
	struct pipe_proxy *p = (struct pipe_proxy *)s;
	enum flow f = FLOW_GO;

	if (p->own->ops->begin) {
		book_enter(p);
		f = latch(p, p->own->ops->begin(p->own, name));
		book_leave(p);
	}
	return drain_next(p, f);
}

static enum flow
proxy_end(struct stage *s)
{
	struct pipe_proxy *p = (struct pipe_proxy *)s;
	enum flow f = FLOW_GO;

	if (p->own->ops->end) {
		book_enter(p);
		f = latch(p, p->own->ops->end(p->own));
		book_leave(p);
	}
	return drain_next(p, f);
}

/* Does the stage before p go on when p's stage stops (broadcast)? */
static int
outlived(const struct pipe_proxy *p)
{
	const struct stage *before;

	if (p->index < 2)
		return 0;
	before = p->pl->st[p->index - 2].stage;
	return before != NULL && before->outlives_output;
}

static enum flow
proxy_flush(struct stage *s)
{
	struct pipe_proxy *p = (struct pipe_proxy *)s;
	enum flow f = FLOW_GO;

	if ((f = coal_drain(p)) != FLOW_GO)
		return f;
	/* A consumer gone is a closed pipe: nothing more to flush there. */
	if (p->gone || p->own->ops->flush == NULL)
		return FLOW_GO;
	book_enter(p);
	f = p->own->ops->flush(p->own);
	book_leave(p);
	if (f == FLOW_STOP && outlived(p)) {
		/* one output of several gone: the stage before goes on */
		latch(p, f);
		return FLOW_GO;
	}
	return drain_next(p, f);
}

static void
proxy_close(struct stage *s)
{
	struct pipe_proxy *p = (struct pipe_proxy *)s;

	/* The driver marks the chain's first stage: that is us. */
	if (s->input_error)
		p->own->input_error = 1;
	(void)linehold_drain(&p->held, proxy_out, p);
	(void)coal_drain(p);
	book_enter(p);
	if (p->own->ops->close)
		p->own->ops->close(p->own);
	book_leave(p);
	s->status = p->own->status;
}

static void
proxy_info(struct stage *s)
{
	struct pipe_proxy *p = (struct pipe_proxy *)s;

	if (p->own->ops->info)
		p->own->ops->info(p->own);
}

static enum flow
proxy_run(struct stage *s)
{
	struct pipe_proxy *p = (struct pipe_proxy *)s;
	enum flow f;

	book_enter(p);
	f = p->own->ops->run(p->own);
	book_leave(p);
	return drain_next(p, f);
}

/*
 * The stage's own descriptors (broadcast's children) are watched while
 * input is idle, and served when ready, as in its executable.
 */
static int
proxy_wait_fds(struct stage *s, struct pollfd *pfd, int max)
{
	struct pipe_proxy *p = (struct pipe_proxy *)s;

	if (p->gone || p->own->ops->wait_fds == NULL)
		return 0;
	return p->own->ops->wait_fds(p->own, pfd, max);
}

static enum flow
proxy_wake(struct stage *s)
{
	struct pipe_proxy *p = (struct pipe_proxy *)s;
	enum flow f;

	if (p->gone || p->own->ops->wake == NULL)
		return FLOW_GO;
	book_enter(p);
	f = latch(p, p->own->ops->wake(p->own));
	book_leave(p);
	return drain_next(p, f);
}

/*
 * In front of the sink, what the last stage pushes goes to the writer
 * as it is: the stage may ask it about the output as in its executable
 * (writer.h), and write around us when we have nothing to count.
 */
static struct stage *
proxy_writer(struct stage *s, int direct)
{
	struct pipe_proxy *p = (struct pipe_proxy *)s;

	if (p->index <= (int)p->pl->n || (direct && p->pl->flags != 0))
		return NULL;
	return writer_of(p->own, direct);
}

static long long
proxy_deadline(struct stage *s)
{
	struct pipe_proxy *p = (struct pipe_proxy *)s;

	if (p->gone || p->own->ops->deadline == NULL)
		return -1;
	return p->own->ops->deadline(p->own);
}

static void
proxy_destroy(struct stage *s)
{
	struct pipe_proxy *p = (struct pipe_proxy *)s;

	if (p->own != NULL) {
		p->own->next = NULL;
		chain_destroy(p->own);
	}
	linehold_free(&p->held);
	free(p->coal);
	free(p);
}

/* The first stage's use of standard input (driver.c) is its own's. */
static int64_t
proxy_input_used(struct stage *s)
{
	struct stage *own = ((struct pipe_proxy *)s)->own;

	return own->ops->input_used ? own->ops->input_used(own) : -1;
}

static const struct stage_ops proxy_ops = {
	.begin = proxy_begin,
	.end = proxy_end,
	.push = proxy_push,
	.flush = proxy_flush,
	.close = proxy_close,
	.info = proxy_info,
	.run = proxy_run,
	.wait_fds = proxy_wait_fds,
	.wake = proxy_wake,
	.deadline = proxy_deadline,
	.destroy = proxy_destroy,
	.writer = proxy_writer,
	.input_used = proxy_input_used,
};

struct pipe_proxy *
proxy_new(struct pipeline *pl, int index)
{
	struct pipe_proxy *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	p->base.ops = &proxy_ops;
	p->pl = pl;
	p->index = index;
	return p;
}

void
proxy_free(struct pipe_proxy *p)
{
	p->base.next = NULL;
	proxy_destroy(&p->base);
}
