#include <sys/stat.h>

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decomp.h"
#include "grow.h"
#include "reader.h"

/* Compressed bytes read at a time (more when a probe read more). */
#define ZBUFSIZE	(128 * 1024)

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

static void
reader_end_codec(struct reader *r)
{
	if (r->z.codec != NULL)
		r->z.codec->close(r->z.state);
	r->z.codec = NULL;
	r->z.state = NULL;
}

void
reader_attach(struct reader *r, int fd)
{
	struct stat st;

	r->fd = fd;
	r->eof = 0;
	r->err = 0;
	r->msg = NULL;
	r->may_block = fstat(fd, &st) < 0 || !S_ISREG(st.st_mode);
	reader_end_codec(r);
	r->z.start = r->z.end = 0;
	r->z.eof = r->z.done = r->z.stuck = 0;
	r->z.damage = NULL;
	r->z.probing = r->decompress;
	/* After a held partial line; an offset, as the buffer may move. */
	r->z.probe_at = r->end - r->start;
}

void
reader_free(struct reader *r)
{
	reader_end_codec(r);
	free(r->z.buf);
	r->z.buf = NULL;
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

/*
 * One read(2) of at most cap bytes into p, after the wait: the bytes
 * read, 0 at the end, or -1 with *res set.
 */
static ssize_t
reader_read(struct reader *r, void *p, size_t cap, enum read_result *res)
{
	ssize_t n;

	if (reader_wait(r) != 0) {
		*res = READ_INTR;
		return -1;
	}
	n = read(r->fd, p, cap);
	if (n < 0) {
		*res = errno == EINTR ? READ_INTR : READ_ERROR;
		r->err = errno;
	}
	return n;
}

/* The input's first bytes buf[at, end) are codec c's: hand them over. */
static int
reader_start_codec(struct reader *r, const struct dz_codec *c, size_t at)
{
	size_t n = r->end - at;

	if (grow(&r->z.buf, &r->z.cap, n, ZBUFSIZE) < 0 ||
	    (r->z.state = c->open()) == NULL)
		return -1;
	r->z.codec = c;
	memcpy(r->z.buf, r->buf + at, n);
	r->z.start = 0;
	r->z.end = n;
	r->end = at;
	return 0;
}

/* Read more compressed bytes behind the unused ones. */
static ssize_t
reader_read_z(struct reader *r, enum read_result *res)
{
	size_t left = r->z.end - r->z.start;
	ssize_t n;

	memmove(r->z.buf, r->z.buf + r->z.start, left);
	r->z.start = 0;
	r->z.end = left;
	/* Only a codec that wants more than a buffer ahead gets here. */
	if (left == r->z.cap && grow(&r->z.buf, &r->z.cap, left + 1,
	    ZBUFSIZE) < 0) {
		*res = READ_NOMEM;
		return -1;
	}
	if ((n = reader_read(r, r->z.buf + left, r->z.cap - left, res)) > 0)
		r->z.end += n;
	else if (n == 0)
		r->z.eof = 1;
	return n;
}

/*
 * Text from the codec into buf[end, cap): how many bytes, 0 when the
 * text ended (cleanly or at damage, then in z.damage), or -1 with *res.
 */
static ssize_t
reader_inflate(struct reader *r, enum read_result *res)
{
	int want = 0;

	while (!r->z.done) {
		size_t il = r->z.end - r->z.start, ol = r->cap - r->end;
		const char *msg = "unexpected end of compressed data";
		enum dz_status st;

		if (!r->z.eof && (il == 0 || want)) {
			if (reader_read_z(r, res) < 0)
				return -1;
			want = 0;
			continue;
		}
		st = r->z.codec->step(r->z.state,
		    (const unsigned char *)r->z.buf + r->z.start, &il,
		    r->z.eof, (unsigned char *)r->buf + r->end, &ol, &msg);
		r->z.start += il;
		if (il > 0 || ol > 0)
			r->z.stuck = 0;
		else if (!r->z.eof)
			want = 1;	/* it needs more than the bytes it has */
		else if (++r->z.stuck > 2)
			st = DZ_ERROR;	/* a codec that breaks its word */
		if (st == DZ_ERROR)
			r->z.damage = msg;
		if (st != DZ_MORE)
			r->z.done = 1;
		if (ol > 0)
			return (ssize_t)ol;
	}
	return 0;
}

/*
 * The first bytes of a probed input are in: buf[at, end).  Returns 1
 * to read more before deciding, 0 for plain bytes, -1 out of memory;
 * a codec takes them over.
 */
static int
reader_probe(struct reader *r, size_t at)
{
	const struct dz_codec *c;
	int more;

	c = dz_probe((unsigned char *)r->buf + at, r->end - at, &more);
	if (c == NULL && more && !r->eof)
		return 1;
	r->z.probing = 0;
	if (c != NULL)
		return reader_start_codec(r, c, at) < 0 ? -1 : 1;
	return 0;
}

enum read_result
reader_next(struct reader *r, const char **data, size_t *len)
{
	for (;;) {
		size_t scanned;
		enum read_result res;
		char *nl;
		ssize_t n;
		int p;

		if (r->eof) {
			if (r->z.damage != NULL) {
				r->msg = r->z.damage;
				r->z.damage = NULL;
				return READ_CORRUPT;
			}
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
		n = r->z.codec != NULL ? reader_inflate(r, &res) :
		    reader_read(r, r->buf + r->end, r->cap - r->end, &res);
		if (n < 0) {
			if (res == READ_ERROR)
				r->eof = 1;
			return res;
		}
		r->end += n;
		if (n == 0)
			r->eof = 1;
		if (r->z.probing) {
			/* Lines are cut from the input's first byte on. */
			scanned = r->start + r->z.probe_at;
			if ((p = reader_probe(r, scanned)) < 0)
				return READ_NOMEM;
			if (p > 0)
				continue;
		}
		if (n == 0)
			continue;
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
