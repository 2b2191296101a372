#include <sys/stat.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decomp.h"
#include "grow.h"
#include "monotime.h"
#include "reader.h"
#include "signals.h"

/* Compressed bytes read at a time (more when a probe read more). */
#define ZBUFSIZE	(128 * 1024)
/*
 * The text buffer of a compressed input: an inflater keeps its 32 KiB
 * window by copying it at the end of every call, which costs 8% of
 * ISA-L's time when a call writes 128 KiB and under 2% at 1 MiB.
 */
#define ZOUTSIZE	(1024 * 1024)

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

static void	ahead_start(struct reader *);
static void	ahead_stop(struct reader *);

static void
reader_end_codec(struct reader *r)
{
	ahead_stop(r);
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
	r->z.eof = r->z.done = r->z.stuck = r->z.full = 0;
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
	if ((r->end == r->cap || r->cap - r->end < r->cap / 4) &&
	    grow(&r->buf, &r->cap, r->cap + 1, READER_BUFSIZE) < 0)
		return -1;
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

	if (grow(&r->buf, &r->cap, ZOUTSIZE, ZOUTSIZE) < 0 ||
	    grow(&r->z.buf, &r->z.cap, n, ZBUFSIZE) < 0 ||
	    (r->z.state = c->open()) == NULL)
		return -1;
	r->z.codec = c;
	memcpy(r->z.buf, r->buf + at, n);
	r->z.start = 0;
	r->z.end = n;
	/* The raw end seen while probing is the codec's, not the text's. */
	r->z.eof = r->eof;
	r->eof = 0;
	r->end = at;
	/* RUNNEL_DECOMP_INLINE=1: the tests' way to the inline path. */
	if (!r->may_block && getenv("RUNNEL_DECOMP_INLINE") == NULL)
		ahead_start(r);
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
 * Text from the codec into dst[0, room): how many bytes, 0 when the
 * text ended (cleanly or at damage, then in z.damage), or -1 with *res.
 */
static ssize_t
reader_inflate(struct reader *r, char *dst, size_t room,
    enum read_result *res)
{
	int want = 0;

	while (!r->z.done) {
		size_t il = r->z.end - r->z.start, ol = room;
		const char *msg = "unexpected end of compressed data";
		enum dz_status st;

		/* A codec that filled the room may hold more: ask it first,
		   so that a pipe's lines do not wait for its next bytes. */
		if (!r->z.eof && ((il == 0 && !r->z.full) || want)) {
			if (reader_read_z(r, res) < 0)
				return -1;
			want = 0;
			continue;
		}
		st = r->z.codec->step(r->z.state,
		    (const unsigned char *)r->z.buf + r->z.start, &il,
		    r->z.eof, (unsigned char *)dst, &ol, &msg);
		r->z.start += il;
		r->z.full = ol == room;
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
 * A regular file's text is inflated ahead on a worker thread, into two
 * blocks in turn, while the stages work on the text before: the wall
 * time of a search in a .gz is then about the inflate's alone.  The
 * worker owns r->z (and r->err) until it is done; a block passes by
 * its full[] flag, set (release) by the thread that gives it up, under
 * the mutex so that a sleeper cannot miss it.  A pipe or terminal keeps
 * the inline path: its reads wait, and the waits serve the chain
 * (reader_wait).
 */
#ifndef ZBLOCK		/* fuzz_decomp.c sets a small one */
#define ZBLOCK	(2 * 1024 * 1024)
#endif

/*
 * A thread that waits for the other's next block spins a while before
 * it sleeps on the condition: waking a sleeper takes a futex call,
 * which here (a virtual machine) cost the waker some 50 us a block, a
 * tenth of zstd's time at 1 MiB a block.  The wait is a fraction of a
 * millisecond while both threads run; SPIN_SEC bounds the spin where
 * one is far slower (xz) and sleeping costs nothing that matters.
 * ZBLOCK's 2 MiB halve the handoffs of 1 MiB (gzip, whose blocks take
 * longer than the spin, still pays a wake each) for 2 MiB more memory.
 */
#define SPIN_SEC	200e-6

struct ahead {
	pthread_t	 th;
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	char		*blk[2];
	size_t		 len[2];
	int		 full[2];
	int		 head, tail;	/* taken next, filled next */
	size_t		 off;		/* taken of blk[head] */
	int		 lent;		/* blk[head] all handed out: the worker's
				   again at the next call */
	int		 done, stop;
	ssize_t		 last;		/* the worker's last result */
	enum read_result res;		/* with last -1 */
};

/* Has *flag become want within SPIN_SEC? */
static int
ahead_spin(const int *flag, int want)
{
	double end = monotime() + SPIN_SEC;
	int i;

	do {
		for (i = 0; i < 64; i++) {
			if (__atomic_load_n(flag, __ATOMIC_ACQUIRE) == want)
				return 1;
#if defined(__x86_64__) || defined(__i386__)
			__builtin_ia32_pause();
#endif
		}
	} while (monotime() < end);
	return 0;
}

static void *
ahead_run(void *arg)
{
	struct reader *r = arg;
	struct ahead *a = r->z.ahead;
	enum read_result res = READ_EOF;
	ssize_t n = 1;

	while (n > 0) {
		size_t len = 0;
		int t, stop;

		ahead_spin(&a->full[a->tail], 0);
		pthread_mutex_lock(&a->mu);
		while (a->full[a->tail] && !a->stop)
			pthread_cond_wait(&a->cv, &a->mu);
		t = a->tail;
		stop = a->stop;
		pthread_mutex_unlock(&a->mu);
		if (stop)
			return NULL;
		while (len < ZBLOCK) {
			n = reader_inflate(r, a->blk[t] + len, ZBLOCK - len, &res);
			if (n < 0 && res == READ_INTR)
				continue;	/* signals are the main thread's */
			if (n <= 0)
				break;
			len += (size_t)n;
		}
		pthread_mutex_lock(&a->mu);
		a->len[t] = len;
		a->tail ^= len > 0;
		if (n <= 0) {
			a->last = n;
			a->res = res;
			__atomic_store_n(&a->done, 1, __ATOMIC_RELEASE);
		}
		__atomic_store_n(&a->full[t], len > 0, __ATOMIC_RELEASE);
		pthread_cond_broadcast(&a->cv);
		pthread_mutex_unlock(&a->mu);
	}
	return NULL;
}

static void
ahead_free(struct ahead *a)
{
	free(a->blk[0]);
	free(a->blk[1]);
	free(a);
}

/* Start the worker; on any failure the text is inflated inline. */
static void
ahead_start(struct reader *r)
{
	struct ahead *a = calloc(1, sizeof(*a));

	if (a == NULL)
		return;
	if ((a->blk[0] = malloc(ZBLOCK)) == NULL ||
	    (a->blk[1] = malloc(ZBLOCK)) == NULL) {
		ahead_free(a);
		return;
	}
	pthread_mutex_init(&a->mu, NULL);
	pthread_cond_init(&a->cv, NULL);
	r->z.ahead = a;
	if (signals_thread(&a->th, ahead_run, r) != 0) {
		r->z.ahead = NULL;
		pthread_cond_destroy(&a->cv);
		pthread_mutex_destroy(&a->mu);
		ahead_free(a);
	}
}

static void
ahead_stop(struct reader *r)
{
	struct ahead *a = r->z.ahead;

	if (a == NULL)
		return;
	pthread_mutex_lock(&a->mu);
	a->stop = 1;
	pthread_cond_broadcast(&a->cv);
	pthread_mutex_unlock(&a->mu);
	pthread_join(a->th, NULL);
	pthread_cond_destroy(&a->cv);
	pthread_mutex_destroy(&a->mu);
	ahead_free(a);
	r->z.ahead = NULL;
}

/* The block that reader_next() lent out is the worker's again. */
static void
ahead_return(struct ahead *a)
{
	if (!a->lent)
		return;
	a->lent = 0;
	pthread_mutex_lock(&a->mu);
	__atomic_store_n(&a->full[a->head], 0, __ATOMIC_RELEASE);
	a->head ^= 1;
	a->off = 0;
	pthread_cond_broadcast(&a->cv);
	pthread_mutex_unlock(&a->mu);
}

/* Wait for the next block: 1 when blk[head] has text, 0 at the end. */
static int
ahead_wait(struct ahead *a)
{
	int full;

	ahead_return(a);
	/* At the end no block comes: no spin for it. */
	if (!__atomic_load_n(&a->done, __ATOMIC_ACQUIRE) &&
	    ahead_spin(&a->full[a->head], 1))
		return 1;
	pthread_mutex_lock(&a->mu);
	while (!a->full[a->head] && !a->done)
		pthread_cond_wait(&a->cv, &a->mu);
	full = a->full[a->head];
	pthread_mutex_unlock(&a->mu);
	return full;
}

/*
 * With no partial line held, the whole lines of a block are handed out
 * where the worker wrote them, not copied (a pass over the text the
 * main thread saves); the block stays out of the worker's hands until
 * the next call.  0: none there, take the copying path.
 */
static int
ahead_lend(struct reader *r, const char **data, size_t *len)
{
	struct ahead *a = r->z.ahead;
	const char *p, *nl;
	size_t n;

	if (r->end != r->start || !ahead_wait(a))
		return 0;
	p = a->blk[a->head] + a->off;
	n = a->len[a->head] - a->off;
	if ((nl = memrchr(p, '\n', n)) == NULL)
		return 0;
	*data = p;
	*len = (size_t)(nl + 1 - p);
	a->off += *len;
	a->lent = a->off == a->len[a->head];
	return 1;
}

/*
 * As reader_inflate(), from the worker's blocks: behind a partial line
 * only up to the newline that ends it, so that the rest can be lent.
 */
static ssize_t
ahead_take(struct reader *r, enum read_result *res)
{
	struct ahead *a = r->z.ahead;
	const char *p, *nl;
	size_t n;

	if (!ahead_wait(a)) {
		*res = a->res;
		return a->last;
	}
	p = a->blk[a->head] + a->off;
	n = a->len[a->head] - a->off;
	if (n > r->cap - r->end)
		n = r->cap - r->end;
	if (r->end != r->start && (nl = memchr(p, '\n', n)) != NULL)
		n = (size_t)(nl + 1 - p);
	memcpy(r->buf + r->end, p, n);
	a->off += n;
	a->lent = a->off == a->len[a->head];
	return (ssize_t)n;
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
		if (r->z.ahead != NULL && ahead_lend(r, data, len))
			return READ_DATA;
		if (reader_make_room(r) < 0)
			return READ_NOMEM;
		scanned = r->end;
		if (r->z.ahead != NULL)
			n = ahead_take(r, &res);
		else if (r->z.codec != NULL)
			n = reader_inflate(r, r->buf + r->end, r->cap - r->end,
			    &res);
		else
			n = reader_read(r, r->buf + r->end, r->cap - r->end,
			    &res);
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
reader_unread(struct reader *r, const char *p, size_t n)
{
	if (n == 0)
		return 0;
	if (r->cap - r->end < n &&
	    grow(&r->buf, &r->cap, r->end + n, READER_BUFSIZE) < 0)
		return -1;
	memcpy(r->buf + r->end, p, n);
	r->end += n;
	return 0;
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
