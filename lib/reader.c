#include <sys/stat.h>

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reader.h"

int
reader_init(struct reader *r, size_t bufsize)
{
	memset(r, 0, sizeof(*r));
	r->fd = -1;
	r->cap = bufsize ? bufsize : READER_BUFSIZE;
	if ((r->buf = malloc(r->cap)) == NULL)
		return -1;
	return 0;
}

void
reader_attach(struct reader *r, int fd)
{
	struct stat st;

	r->fd = fd;
	r->eof = 0;
	r->err = 0;
	r->may_block = fstat(fd, &st) < 0 || !S_ISREG(st.st_mode);
}

void
reader_free(struct reader *r)
{
	free(r->buf);
	r->buf = NULL;
}

/* Make room after the partial line: roll it to the front, or grow. */
static int
reader_make_room(struct reader *r)
{
	size_t tail = r->end - r->start;

	if (r->start > 0 && (tail < r->cap / 2 || r->end == r->cap)) {
		memmove(r->buf, r->buf + r->start, tail);
		r->start = 0;
		r->end = tail;
	}
	/* A full buffer always grows (cap / 4 is 0 for a tiny buffer). */
	if (r->end == r->cap || r->cap - r->end < r->cap / 4) {
		size_t ncap = r->cap * 2;
		char *nbuf;

		if ((nbuf = realloc(r->buf, ncap)) == NULL)
			return -1;
		r->buf = nbuf;
		r->cap = ncap;
	}
	return 0;
}

static int
reader_wait(struct reader *r)
{
	struct pollfd pfd = { .fd = r->fd, .events = POLLIN };

	if (!r->may_block || r->idle == NULL)
		return 0;
	if (poll(&pfd, 1, 0) != 0)
		return 0;
	/* Nothing to read yet: let the chain show what it has first. */
	return r->idle(r->idle_arg);
}

enum read_result
reader_next(struct reader *r, const char **data, size_t *len)
{
	for (;;) {
		size_t scanned = r->end;
		char *nl;
		ssize_t n;

		if (r->eof) {
			if (r->hold_tail || r->end == r->start)
				return READ_EOF;
			*data = r->buf + r->start;
			*len = r->end - r->start;
			r->start = r->end = 0;
			return READ_DATA;
		}
		if (reader_make_room(r) < 0)
			return READ_NOMEM;
		scanned = r->end;
		if (reader_wait(r) != 0)
			return READ_INTR;
		n = read(r->fd, r->buf + r->end, r->cap - r->end);
		if (n < 0) {
			if (errno == EINTR)
				return READ_INTR;
			r->err = errno;
			r->eof = 1;
			return READ_ERROR;
		}
		if (n == 0) {
			r->eof = 1;
			continue;
		}
		r->end += n;
		nl = memrchr(r->buf + scanned, '\n', r->end - scanned);
		if (nl != NULL) {
			*data = r->buf + r->start;
			*len = nl + 1 - (r->buf + r->start);
			r->start += *len;
			return READ_DATA;
		}
	}
}

int
reader_tail(struct reader *r, const char **data, size_t *len)
{
	if (r->end == r->start)
		return 0;
	*data = r->buf + r->start;
	*len = r->end - r->start;
	r->start = r->end = 0;
	return 1;
}
