#include <sys/sendfile.h>
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "monotime.h"
#include "signals.h"
#include "writer.h"

/* Large writes amortise the syscall; a pipe takes 64 KiB at a time. */
#define WRITER_BUFSIZE	(128 * 1024)

_Atomic int writer_epipe;

struct writer;
/* The final output: watched by sources while they wait (writer_watch). */
static struct writer *final;

struct writer {
	struct stage	 base;
	int		 fd;
	int		 line_buffered;
	/*
	 * Stop reported; drop everything.  Atomic: the thread that waits
	 * for input reads it (writer_watch), and under pipe --threads that
	 * is not the writer's.
	 */
	_Atomic int	 failed;
	size_t		 len;
	char		*buf;
};

/*
 * After SIGINT/SIGTERM, writes wait for their readers this long at most,
 * all of them together: what was produced still reaches a reader that
 * reads, and one that stopped (a paused pager, a FIFO nobody reads) does
 * not keep the command from dying.
 */
#define WRITE_GRACE_MS	1000

/*
 * How much to write to fd now: all of want, or PIPE_BUF bytes that fd
 * can take without blocking (what POLLOUT promises a pipe); 0 (EINTR):
 * give up.  Only after SIGINT/SIGTERM.
 */
static size_t
write_grace(int fd, size_t want)
{
	static _Atomic long long deadline;
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	long long none = 0, left;
	struct stat st;

	/* a file takes all at once, reader or none */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		return want;
	atomic_compare_exchange_strong(&deadline, &none,
	    monotime_ms() + WRITE_GRACE_MS);
	while ((left = atomic_load(&deadline) - monotime_ms()) > 0) {
		int r = poll(&pfd, 1, (int)left);

		/* POLLERR and the like too: write(2) says what it is */
		if (r > 0 || (r < 0 && errno != EINTR))
			return want < PIPE_BUF ? want : PIPE_BUF;
	}
	errno = EINTR;
	return 0;
}

int
write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		size_t want = len;
		ssize_t n;

		if (signal_fatal && (want = write_grace(fd, want)) == 0)
			return -1;
		if ((n = write(fd, p, want)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= n;
	}
	return 0;
}

static enum flow
writer_fail(struct writer *w, int errnum)
{
	w->len = 0;
	/*
	 * EINTR: write_all() gave up after a SIGTERM.  Like EPIPE, what we
	 * held is lost, so the same flag (follow --state goes by it); the
	 * signal, not the flag, makes the exit status.
	 */
	if (errnum == EPIPE || errnum == EINTR) {
		writer_epipe = 1;
		w->failed = 1;
		return FLOW_STOP;
	}
	diag_errno(w->base.name, errnum, "write error");
	/* the status before the flag: writer_watched() reads them */
	w->base.status = 2;
	w->failed = 1;
	return FLOW_ERROR;
}

static enum flow
writer_drain(struct writer *w)
{
	if (w->failed)
		return w->base.status ? FLOW_ERROR : FLOW_STOP;
	if (w->len > 0 && write_all(w->fd, w->buf, w->len) < 0)
		return writer_fail(w, errno);
	w->len = 0;
	return FLOW_GO;
}

static enum flow
writer_push(struct stage *s, const char *data, size_t len)
{
	struct writer *w = (struct writer *)s;

	if (w->failed)
		return w->base.status ? FLOW_ERROR : FLOW_STOP;
	if (w->len + len > WRITER_BUFSIZE) {
		enum flow f = writer_drain(w);

		if (f != FLOW_GO)
			return f;
		if (len >= WRITER_BUFSIZE) {
			/* Too big to be worth copying: write it through. */
			if (write_all(w->fd, data, len) < 0)
				return writer_fail(w, errno);
			return FLOW_GO;
		}
	}
	memcpy(w->buf + w->len, data, len);
	w->len += len;
	if (w->line_buffered)
		return writer_drain(w);
	return FLOW_GO;
}

static enum flow
writer_flush(struct stage *s)
{
	return writer_drain((struct writer *)s);
}

static void
writer_close(struct stage *s)
{
	struct writer *w = (struct writer *)s;

	writer_drain(w);
}

static void
writer_destroy(struct stage *s)
{
	struct writer *w = (struct writer *)s;

	if (final == w)
		final = NULL;
	free(w->buf);
	free(w);
}

static const struct stage_ops writer_ops = {
	.push = writer_push,
	.flush = writer_flush,
	.close = writer_close,
	.destroy = writer_destroy,
};

int
writer_lost(void)
{
	return writer_epipe;
}

int
writer_is(const struct stage *s)
{
	return s != NULL && s->ops == &writer_ops;
}

struct stage *
writer_of(struct stage *s, int direct)
{
	if (s == NULL || writer_is(s))
		return s;
	return s->ops->writer != NULL ? s->ops->writer(s, direct) : NULL;
}

int
writer_fd(const struct stage *s)
{
	return ((const struct writer *)s)->fd;
}

ssize_t
writer_sendfile(struct stage *s, int in, off_t *off, size_t len,
    enum flow *flow)
{
	struct writer *w = (struct writer *)s;
	ssize_t n;

	if ((*flow = writer_drain(w)) != FLOW_GO)
		return -1;
	while ((n = sendfile(w->fd, in, off, len)) < 0 && errno == EINTR &&
	    !signal_fatal)
		;
	if (n < 0 && (errno == EPIPE || errno == EIO || errno == ENOSPC ||
	    errno == EINTR)) {
		*flow = writer_fail(w, errno);
		return -1;
	}
	/* EINVAL, ENOSYS and the like: not for this output */
	return n < 0 ? 0 : n;
}

int
writer_watch(struct pollfd *pfd)
{
	if (final == NULL || final->failed)
		return 0;
	pfd->fd = final->fd;
	pfd->events = 0;
	pfd->revents = 0;
	return 1;
}

enum flow
writer_watched(const struct pollfd *pfd)
{
	int was = 0;

	if (final == NULL || !(pfd->revents & (POLLERR | POLLHUP | POLLNVAL)))
		return FLOW_GO;
	/*
	 * Mark it stopped and lost, as EPIPE would, and touch nothing else:
	 * under pipe --threads it is pushed into on another thread, which
	 * sees the mark at its next push or flush.
	 */
	if (!atomic_compare_exchange_strong(&final->failed, &was, 1))
		return final->base.status ? FLOW_ERROR : FLOW_STOP;
	writer_epipe = 1;
	return FLOW_STOP;
}

struct stage *
writer_create(const char *prog, int fd, int line_buffered)
{
	struct writer *w;

	if ((w = stage_alloc(sizeof(*w), &writer_ops, NULL, prog)) == NULL ||
	    (w->buf = malloc(WRITER_BUFSIZE)) == NULL) {
		free(w);
		return NULL;
	}
	w->fd = fd;
	w->line_buffered = line_buffered < 0 ? isatty(fd) : line_buffered;
	final = w;
	return &w->base;
}
