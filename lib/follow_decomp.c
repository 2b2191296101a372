/*
 * follow and compressed files.  A FILE (or a pattern's match) that
 * starts with the magic bytes of gzip, zstd, xz or bzip2 is read once,
 * whole, decompressed, in its place in the order, and never followed: a
 * compressed file does not grow.  --state records it as read, at its
 * size, so a restart does not read it again.  One that appears while
 * following is logrotate's work on lines already followed: it is noted
 * as read, not read again.
 */
#include <sys/stat.h>

#include <errno.h>
#include <poll.h>
#include <string.h>

#include "decomp.h"
#include "diag.h"
#include "follow_int.h"
#include "idle.h"
#include "reader.h"
#include "signals.h"

int
fl_compressed(const struct follow *fl, const struct ffile *f)
{
	int more;

	/* stdin only when asked, as every command reads it */
	if (strcmp(f->name, "-") == 0 ?
	    fl->a->base.decompress != DECOMPRESS_ALWAYS :
	    fl->a->base.decompress == DECOMPRESS_NEVER)
		return 0;
	return f->cur.fd >= 0 && !f->is_stream &&
	    dz_probe(f->cur.idfp, f->cur.idlen, &more) != NULL;
}

/* f's text is out (or was, by --state): what the state file says. */
static enum flow
noted_read(struct follow *fl, struct ffile *f, off_t size)
{
	f->compressed = 1;
	f->cur.off = size;
	f->cur.hold.len = 0;
	fl_fingerprint(&f->cur);
	fl->state_dirty = 1;
	return fl_settle(fl);
}

enum flow
fl_compressed_skip(struct follow *fl, struct ffile *f)
{
	struct stat st;

	return noted_read(fl, f, fstat(f->cur.fd, &st) == 0 ? st.st_size :
	    f->cur.off);
}

/* A stream's wait for more bytes serves the chain, as follow's wait. */
struct wait_ctx {
	struct follow	*fl;
	int		 fd;
	enum flow	 stopped;	/* idle_wait's, when not FLOW_GO */
};

static int
stream_idle(void *arg)
{
	struct wait_ctx *w = arg;
	struct pollfd p[1 + IDLE_EXTRA];

	for (;;) {
		p[0] = (struct pollfd){ .fd = w->fd, .events = POLLIN };
		if ((w->stopped = idle_wait(w->fl->base.next, p, 1, -1)) !=
		    FLOW_GO)
			return 1;
		if (p[0].revents)
			return 0;
	}
}

/*
 * Push f's whole text through the decompressing reader; pre[0, npre):
 * a stream's first bytes, read already.
 */
static enum flow
read_text(struct follow *fl, struct ffile *f, const char *pre, size_t npre)
{
	const char *name = fl->base.name, *d;
	struct wait_ctx w = { fl, f->cur.fd, FLOW_GO };
	struct reader rd;
	enum flow r = FLOW_GO;
	size_t n;

	if (reader_init(&rd, 0) < 0) {
		diag_errno(name, ENOMEM, "%s", fl_msg_name(f));
		return FLOW_ERROR;
	}
	rd.decompress = 1;
	rd.idle = stream_idle;
	rd.idle_arg = &w;
	reader_attach(&rd, f->cur.fd);
	if (reader_unread(&rd, pre, npre) < 0)
		r = FLOW_ERROR;
	while (r == FLOW_GO && !signal_fatal) {
		enum read_result rr = reader_next(&rd, &d, &n);

		if (rr == READ_EOF)
			break;
		if (rr == READ_INTR)
			r = w.stopped;
		if (rr == READ_DATA)
			r = fl_take(fl, f, &f->cur, d, n);
		else if (rr == READ_CORRUPT || rr == READ_ERROR) {
			if (rr == READ_CORRUPT)
				diag(name, "%s: %s", fl_msg_name(f), rd.msg);
			else
				diag_errno(name, rd.err, "%s", fl_msg_name(f));
			fl->base.input_error = 1;
		} else if (rr == READ_NOMEM) {
			diag_errno(name, ENOMEM, "%s", fl_msg_name(f));
			r = FLOW_ERROR;
		}
	}
	reader_free(&rd);
	if (signal_fatal && r == FLOW_GO)
		r = FLOW_STOP;
	return r;
}

enum flow
fl_compressed_stream(struct follow *fl, struct ffile *f, const char *pre,
    size_t npre)
{
	enum flow r;
	int more;

	f->probed = 1;
	if (fl->a->base.decompress != DECOMPRESS_ALWAYS ||
	    (dz_probe((const unsigned char *)pre, npre, &more) == NULL &&
	    !more))
		return FLOW_GO;
	/* read to its end, whole: -n does not cut a compressed text */
	f->compressed = 1;
	f->done = 1;
	if ((r = read_text(fl, f, pre, npre)) == FLOW_GO)
		r = fl_finish(fl, f, &f->cur, 0);
	fl_src_close(&f->cur);
	return r;
}

enum flow
fl_compressed_read(struct follow *fl, struct ffile *f)
{
	struct stat st;
	enum flow r;

	if (fstat(f->cur.fd, &st) < 0) {
		diag_errno(fl->base.name, errno, "%s", fl_msg_name(f));
		fl->base.input_error = 1;
		return FLOW_GO;
	}
	/* At its end already: --state read it before, or -n 0. */
	if (f->cur.off >= st.st_size)
		return noted_read(fl, f, st.st_size);
	f->cur.hold.len = 0;
	if ((r = read_text(fl, f, NULL, 0)) != FLOW_GO)
		return r;
	/* Its last line lacks '\n': with --once as the file has it, else
	   ended, as other files' lines follow. */
	if ((r = fl_finish(fl, f, &f->cur, !fl->a->once)) != FLOW_GO)
		return r;
	return noted_read(fl, f, st.st_size);
}
