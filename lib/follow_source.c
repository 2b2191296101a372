/*
 * follow's sources: the files followed and reading them.  A file is
 * opened (its identity and file system noted), placed (-n, or --state),
 * then read from its offset to its end whenever it is reconciled: in
 * CHUNK reads, or, for bulk output to a file or pipe, by sendfile(2)
 * straight from the file.  Streams (stdin, FIFOs, /proc) are read as
 * they come, to their end.  Only whole lines are pushed on; a partial
 * last line is held until its '\n' comes.
 */
#include <sys/stat.h>
#include <sys/vfs.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "follow_int.h"
#include "grow.h"
#include "linehold.h"
#include "signals.h"
#include "writer.h"

/* ---------- output ---------- */

static enum flow
header(struct follow *fl, const struct ffile *f)
{
	const char *nm = strcmp(f->name, "-") == 0 ? "standard input" :
	    f->name;
	size_t n = strlen(nm);
	enum flow r;

	fl->last = f;
	if (!fl->headers)
		return FLOW_GO;
	if (grow(&fl->out, &fl->outcap, n + 16, 4096) < 0)
		return FLOW_ERROR;
	snprintf(fl->out, fl->outcap, "%s==> %s <==\n",
	    fl->any_header ? "\n" : "", nm);
	fl->any_header = 1;
	r = stage_push(fl->base.next, fl->out, strlen(fl->out));
	return r;
}

/* Push whole lines of f (the last may lack '\n' only at the very end). */
static enum flow
emit(struct follow *fl, const struct ffile *f, const char *data, size_t len)
{
	const char *p = data, *end = data + len;
	enum flow r;

	if (len == 0)
		return FLOW_GO;
	if (fl->last != f && (r = header(fl, f)) != FLOW_GO)
		return r;
	fl->state_dirty = 1;
	if (!fl->a->prefix && fl->a->until == NULL)
		return stage_push(fl->base.next, data, len);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl + 1 : end;
		size_t ll = (size_t)(le - p), tl = nl ? ll - 1 : ll;
		int hit = 0;

		if (fl->a->until != NULL)
			hit = pcre2_match(fl->a->until, (PCRE2_SPTR)p, tl, 0, 0,
			    fl->md, NULL) >= 0;
		if (fl->a->prefix) {
			size_t nn = strlen(f->name);

			if (grow(&fl->out, &fl->outcap, nn + 1 + ll, 4096) < 0)
				return FLOW_ERROR;
			memcpy(fl->out, f->name, nn);
			fl->out[nn] = ':';
			memcpy(fl->out + nn + 1, p, ll);
			r = stage_push(fl->base.next, fl->out, nn + 1 + ll);
			if (r != FLOW_GO)
				return r;
		} else if (hit) {
			r = stage_push(fl->base.next, data, (size_t)(le - data));
			if (r != FLOW_GO)
				return r;
		}
		p = le;
		if (hit) {
			fl->found = 1;
			fl->unsent = (size_t)(end - le);
			chain_flush(fl->base.next);
			return FLOW_STOP;
		}
		if (!fl->a->prefix && p == end)
			return stage_push(fl->base.next, data, len);
	}
	return FLOW_GO;
}

/* Where take() sends whole lines: emit() for f, and what is left. */
struct take_ctx {
	struct follow	*fl;
	const struct ffile *f;
	const char	*d;		/* the new bytes */
	size_t		 n;
	size_t		 held;		/* held before them (0 once passed on) */
	size_t		 rest;		/* of d, after the lines emitted */
};

static enum flow
take_out(void *arg, const char *data, size_t len)
{
	struct take_ctx *c = arg;

	if (c->held > 0) {
		/* the first call: the held piece and the rest of its line */
		c->rest = c->n - (len - c->held);
		c->held = 0;
	} else if (c->d != NULL)
		c->rest = (size_t)(c->d + c->n - (data + len));
	return emit(c->fl, c->f, data, len);
}

/* New bytes of f's source s: push the whole lines, hold the rest. */
static enum flow
take(struct follow *fl, struct ffile *f, struct src *s, const char *d,
    size_t n)
{
	struct take_ctx c = { fl, f, d, n, s->hold.len, n };
	enum flow r;

	r = linehold_push(&s->hold, d, n, take_out, &c, fl->base.name);
	if (r == FLOW_STOP && fl->found) {
		/* not written: the state must not count them */
		s->off -= (off_t)(fl->unsent + c.rest);
		s->hold.len = 0;
	}
	return r;
}

/* ---------- sources ---------- */

static void
src_init(struct src *s)
{
	s->fd = -1;
}

void
fl_src_close(struct src *s)
{
	if (s->fd > STDIN_FILENO)
		close(s->fd);
	s->fd = -1;
	s->hold.len = 0;
}

/* Is magic one of the n in list? */
static int
fs_in(unsigned long magic, const unsigned long *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (magic == list[i])
			return 1;
	return 0;
}

/*
 * What the file system of s->fd tells about following its files: set
 * s->remote and s->sizeless.
 */
static void
fs_kind(struct src *s)
{
	/*
	 * /proc, /sys and the like: a file's size says nothing of what it
	 * holds (0, or a page), so it is read to its end, as a FIFO is.
	 */
	static const unsigned long sizeless[] = {
		0x9fa0,		/* proc */
		0x62656572,	/* sysfs */
		0x64626720,	/* debugfs */
		0x74726163,	/* tracefs */
		0x62656570,	/* configfs */
		0x73636673,	/* securityfs */
		0x27e0eb,	/* cgroup */
		0x63677270,	/* cgroup2 */
	};
	/*
	 * Network and FUSE file systems: inotify sees only what this
	 * machine writes there, so such a file is polled every -s SECONDS,
	 * as tail does.
	 */
	static const unsigned long remote[] = {
		0x6969,		/* NFS */
		0x517b,		/* SMB */
		0xff534d42,	/* CIFS */
		0xfe534d42,	/* SMB2 */
		0x65735546,	/* FUSE */
		0x01021997,	/* 9P */
		0x00c36400,	/* Ceph */
		0x01161970,	/* GFS2 */
		0x7461636f,	/* OCFS2 */
		0x0bd00bd0,	/* Lustre */
		0x47504653,	/* GPFS */
		0xaad7aaea,	/* PanFS */
		0x5346414f,	/* AFS */
		0x6b414653,	/* kAFS */
		0x73757245,	/* Coda */
		0x564c,		/* NCP */
	};
	struct statfs sf;

	if (fstatfs(s->fd, &sf) < 0) {
		s->remote = 1;	/* unknown: keep polling */
		s->sizeless = 0;
		return;
	}
	s->remote = fs_in((unsigned long)sf.f_type, remote,
	    sizeof(remote) / sizeof(remote[0]));
	s->sizeless = fs_in((unsigned long)sf.f_type, sizeless,
	    sizeof(sizeless) / sizeof(sizeless[0]));
}

int
fl_src_open(struct src *s, const char *path, struct stat *st)
{
	int fd;

	while ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0 &&
	    errno == EINTR)
		;
	if (fd < 0)
		return -1;
	if (fstat(fd, st) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	s->fd = fd;
	s->dev = st->st_dev;
	s->ino = st->st_ino;
	s->off = 0;
	s->hold.len = 0;
	s->tlen = 0;
	fs_kind(s);
	fl_id_read(s);
	return 0;
}


/* Read s (a regular file) from s->off to its end. */

/* A file as messages name it: stdin as grep and tail call it. */
const char *
fl_msg_name(const struct ffile *f)
{
	return strcmp(f->name, "-") == 0 ? "(standard input)" : f->name;
}

/*
 * Bulk without decoration: the kernel copies the whole lines of a regular
 * file to stdout (sendfile), the bytes never pass through this process.
 * Only when the next stage is the final writer, on a file or a pipe that
 * is not line-buffered, and nothing decorates the lines.  What it leaves
 * (the partial last line, growth) the ordinary reads take.
 */
static enum flow
src_direct(struct follow *fl, struct ffile *f, struct src *s, off_t size,
    int *grew)
{
	char b[4096];
	off_t end = size;
	enum flow r;

	if (!fl->direct || (fl->last != f && fl->headers) ||
	    size - (s->off - (off_t)s->hold.len) < DIRECT_MIN)
		return FLOW_GO;
	/* the last newline: the partial line after it waits for its end */
	for (;;) {
		size_t k;
		const char *nl;

		if (end <= s->off || size - end >= FRONT)
			return FLOW_GO;
		k = end - s->off < (off_t)sizeof(b) ? (size_t)(end - s->off) :
		    sizeof(b);
		if (pread(s->fd, b, k, end - (off_t)k) != (ssize_t)k)
			return FLOW_GO;
		if ((nl = memrchr(b, '\n', k)) != NULL) {
			end = end - (off_t)k + (nl - b) + 1;
			break;
		}
		end -= (off_t)k;
	}
	/* a held partial line is the file's bytes just before off */
	s->off -= (off_t)s->hold.len;
	s->hold.len = 0;
	fl->last = f;
	if ((r = chain_flush(fl->base.next)) != FLOW_GO)
		return r;
	if (s->idlen < FPMAX)
		fl_id_read(s);
	while (s->off < end) {
		off_t o = s->off;
		size_t len = end - o > DIRECT_STEP ? DIRECT_STEP :
		    (size_t)(end - o);
		ssize_t n;

		if (signal_fatal)
			return FLOW_STOP;
		fl_state_prepare(fl, s, o + (off_t)len);
		if ((n = writer_sendfile(fl->direct, s->fd, &o, len, &r)) < 0)
			return r;	/* EPIPE, or reported */
		if (n == 0) {
			/* not for this output: the ordinary path writes on */
			fl->direct = NULL;
			fl->prep = NULL;
			return FLOW_GO;
		}
		s->off += n;
		*grew = 1;
		fl->state_dirty = 1;
		if ((r = fl_settle(fl)) != FLOW_GO)
			return r;
	}
	return FLOW_GO;
}

enum flow
fl_src_read(struct follow *fl, struct ffile *f, struct src *s)
{
	struct stat st;
	off_t size = 0;		/* a file's, as fstat said */
	enum flow r;
	ssize_t n;
	int grew = 0;

	if (s->fd < 0)
		return FLOW_GO;
	if (fstat(s->fd, &st) == 0 && S_ISREG(st.st_mode)) {
		size = st.st_size;
		fl_truncated(fl, f, s, size);
		if ((r = src_direct(fl, f, s, st.st_size, &grew)) != FLOW_GO)
			return r;
	}
	for (;;) {
		if (signal_fatal)
			return FLOW_STOP;
		/*
		 * A file is read as far as fstat said: what is written
		 * since will be told (inotify, or the next poll), so no
		 * read(2) is spent on being told EOF.  (Size 0: an empty
		 * file, read once to be sure.)
		 */
		if (size > 0 && s->off >= size)
			break;
		size_t pre = s->hold.len <= FRONT ? s->hold.len : 0;
		char *rd = fl->buf + FRONT;

		n = pread(s->fd, rd, fl->a->state ? fl_state_read_size(fl, pre) : fl->chunk,
		    s->off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			diag_errno(fl->base.name, errno, "%s", fl_msg_name(f));
			fl->base.input_error = 1;
			return FLOW_GO;
		}
		if (n == 0)
			break;
		if (s->off == 0 || s->idlen < FPMAX)
			fl_id_read(s);
		s->off += n;
		grew = 1;
		if (pre > 0) {
			/* the held line continues in place: no copy of the read */
			memcpy(rd - pre, s->hold.buf, pre);
			s->hold.len = 0;
		}
		if (fl->a->state != NULL) {
			const char *nl = memrchr(rd - pre, '\n', pre + (size_t)n);

			if (nl != NULL)
				fl_state_prepare(fl, s, s->off -
				    (off_t)(rd + n - (nl + 1)));
		}
		if ((r = take(fl, f, s, rd - pre, pre + (size_t)n)) !=
		    FLOW_GO || (r = fl_settle(fl)) != FLOW_GO)
			return r;
	}
	if (grew)
		fl_fingerprint(s);
	return FLOW_GO;
}

enum flow
fl_take(struct follow *fl, struct ffile *f, struct src *s, const char *d,
    size_t n)
{
	return take(fl, f, s, d, n);
}

/* Write a held partial line: the file ended for good. */
enum flow
fl_finish(struct follow *fl, struct ffile *f, struct src *s, int add_nl)
{
	struct take_ctx c = { fl, f, NULL, 0, 0, 0 };

	if (s->hold.len == 0)
		return FLOW_GO;
	if (add_nl && linehold_add(&s->hold, "\n", 1, fl->base.name) < 0)
		return FLOW_ERROR;
	return linehold_drain(&s->hold, take_out, &c);
}

/* Where the last n lines of a regular file of size bytes begin. */
static off_t
start_from_end(struct follow *fl, int fd, off_t size, uint64_t n)
{
	off_t end = size, blk;
	uint64_t count = 0;
	char c;

	if (n == 0 || size == 0)
		return size;
	if (pread(fd, &c, 1, size - 1) == 1 && c == '\n')
		end = size - 1;
	while (end > 0) {
		ssize_t got;
		const char *p;
		size_t len;

		blk = end < CHUNK ? end : CHUNK;
		if ((got = pread(fd, fl->buf, (size_t)blk, end - blk)) !=
		    (ssize_t)blk)
			return 0;
		len = (size_t)blk;
		while ((p = memrchr(fl->buf, '\n', len)) != NULL) {
			if (++count == n)
				return end - blk + (p - fl->buf) + 1;
			len = (size_t)(p - fl->buf);
		}
		end -= blk;
	}
	return 0;
}

/* Where line k (1-based) of a regular file begins. */
static off_t
start_from_line(struct follow *fl, int fd, uint64_t k)
{
	uint64_t need = k > 1 ? k - 1 : 0;
	off_t off = 0;
	ssize_t n;

	while (need > 0) {
		const char *p, *e;

		if ((n = pread(fd, fl->buf, CHUNK, off)) <= 0)
			return off;
		p = fl->buf;
		e = fl->buf + n;
		while (need > 0 && (p = memchr(p, '\n', (size_t)(e - p)))) {
			p++;
			need--;
		}
		if (need == 0)
			return off + (p - fl->buf);
		off += n;
	}
	return 0;
}

/* ---------- state ---------- */

/* ---------- files ---------- */

struct ffile *
fl_file_add(struct follow *fl, const char *name)
{
	struct ffile *f, **nf;
	size_t i;

	for (i = 0; i < fl->nf; i++)
		if (strcmp(fl->f[i]->name, name) == 0 &&
		    strcmp(name, "-") != 0)
			return NULL;
	if (fl->nf == fl->fcap) {
		size_t cap = fl->fcap ? 2 * fl->fcap : 8;

		if ((nf = realloc(fl->f, cap * sizeof(*nf))) == NULL)
			return NULL;
		fl->f = nf;
		fl->fcap = cap;
	}
	if ((f = calloc(1, sizeof(*f))) == NULL ||
	    (f->name = strdup(name)) == NULL) {
		free(f);
		return NULL;
	}
	src_init(&f->cur);
	fl->f[fl->nf++] = f;
	return f;
}

/* ---------- streams (stdin, FIFOs) ---------- */

/* Offset in buf where its last n lines begin. */
static size_t
last_lines(const char *buf, size_t len, uint64_t n)
{
	size_t end = len;
	uint64_t count = 0;
	const char *p;

	if (n == 0 || len == 0)
		return len;
	if (buf[len - 1] == '\n')
		end = len - 1;
	while ((p = memrchr(buf, '\n', end)) != NULL) {
		if (++count == n)
			return (size_t)(p - buf) + 1;
		end = (size_t)(p - buf);
	}
	return 0;
}

/* One read from a stream; at its end the -n lines and the partial one. */
enum flow
fl_stream_read(struct follow *fl, struct ffile *f)
{
	ssize_t n;
	enum flow r;
	const char *d;
	size_t len;

	n = read(f->cur.fd, fl->buf, CHUNK);
	if (n < 0) {
		if (errno == EINTR || errno == EAGAIN)
			return FLOW_GO;
		diag_errno(fl->base.name, errno, "%s", fl_msg_name(f));
		fl->base.input_error = 1;
		n = 0;
	}
	if (n == 0) {
		f->done = 1;
		if (!fl->a->from_start) {
			size_t k = last_lines(f->sbuf, f->slen, fl->a->lines);

			if (fl->last != f && (r = header(fl, f)) != FLOW_GO)
				return r;
			if ((r = emit(fl, f, f->sbuf + k, f->slen - k)) !=
			    FLOW_GO)
				return r;
		}
		r = fl_finish(fl, f, &f->cur, 0);
		fl_src_close(&f->cur);
		return r;
	}
	if (!f->probed && ((r = fl_compressed_stream(fl, f, fl->buf,
	    (size_t)n)) != FLOW_GO || f->compressed))
		return r;
	d = fl->buf;
	len = (size_t)n;
	if (!fl->a->from_start) {
		if (grow(&f->sbuf, &f->scap, f->slen + len, 4096) < 0)
			return FLOW_ERROR;
		memcpy(f->sbuf + f->slen, d, len);
		f->slen += len;
		if (f->slen > STREAM_KEEP && f->slen > f->strim) {
			size_t k = last_lines(f->sbuf, f->slen, fl->a->lines);

			memmove(f->sbuf, f->sbuf + k, f->slen - k);
			f->slen -= k;
			/* long kept lines: rescan only after doubling */
			f->strim = 2 * f->slen;
		}
		return FLOW_GO;
	}
	while (f->skip > 0 && len > 0) {
		const char *p = memchr(d, '\n', len);

		if (p == NULL)
			return FLOW_GO;
		len -= (size_t)(p + 1 - d);
		d = p + 1;
		f->skip--;
	}
	return take(fl, f, &f->cur, d, len);
}

/* ---------- start ---------- */

/* Place f where the state or -n says, before its first read. */
static void
place(struct follow *fl, struct ffile *f, const struct rec *recs, size_t nrec)
{
	if (fl_state_place(fl, f, recs, nrec))
		return;
	if (fl->a->from_start)
		f->cur.off = start_from_line(fl, f->cur.fd, fl->a->lines);
	else {
		struct stat st;

		if (fstat(f->cur.fd, &st) == 0)
			f->cur.off = start_from_end(fl, f->cur.fd, st.st_size,
			    fl->a->lines);
	}
}

enum flow
fl_start_file(struct follow *fl, struct ffile *f, const struct rec *recs,
    size_t nrec)
{
	struct stat st;
	enum flow r;

	if (strcmp(f->name, "-") == 0) {
		f->cur.fd = STDIN_FILENO;
		if (fstat(STDIN_FILENO, &st) == 0 && S_ISREG(st.st_mode)) {
			f->cur.dev = st.st_dev;
			f->cur.ino = st.st_ino;
			f->cur.off = lseek(STDIN_FILENO, 0, SEEK_CUR);
			if (f->cur.off < 0)
				f->cur.off = 0;
			fl_id_read(&f->cur);
			f->seen = 1;
			place(fl, f, NULL, 0);
		} else
			f->is_stream = 1;
	} else {
		if (fl_src_open(&f->cur, f->name, &st) < 0) {
			diag_errno(fl->base.name, errno, "%s", fl_msg_name(f));
			f->noted = 1;
			if (fl->a->once)
				fl->base.input_error = 1;
			return FLOW_GO;
		}
		f->seen = 1;
		fl_watch_file(fl, f->name);
		if (S_ISFIFO(st.st_mode) || f->cur.sizeless)
			f->is_stream = 1;
		else if (!S_ISREG(st.st_mode)) {
			diag(fl->base.name, "%s: not a regular file", f->name);
			fl->base.input_error = 1;
			fl_src_close(&f->cur);
			return FLOW_GO;
		} else
			place(fl, f, recs, nrec);
	}
	if (f->is_stream) {
		f->skip = fl->a->lines > 1 ? fl->a->lines - 1 : 0;
		return FLOW_GO;
	}
	if ((r = header(fl, f)) != FLOW_GO)
		return r;
	if (fl_compressed(fl, f))
		return fl_compressed_read(fl, f);
	if ((r = fl_reconcile(fl, f)) != FLOW_GO)
		return r;
	if (fl->a->once)
		return fl_finish(fl, f, &f->cur, 0);
	return FLOW_GO;
}
