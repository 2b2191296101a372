/*
 * How follow notices rotation and truncation.
 *
 * Every event and every polling tick calls one idempotent function per
 * file, fl_reconcile(): the name's identity (device, inode) against the
 * open file's tells a rename or a re-creation.  Then what was written to
 * the open file before the rename is read, and it becomes the old file,
 * read on for --rotate-wait seconds (a writer may still append to it)
 * while the name is opened anew from its start.
 *
 * A file that shrank was truncated; one that kept its size but whose
 * bytes before our offset changed (the refill fingerprint: the last
 * FPMAX bytes read) was truncated and written again.  Either is read
 * again from its start.  The first FPMAX bytes are its identity beside
 * device and inode, for --state to know a file again after a restart.
 */
#include <sys/stat.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "follow_int.h"
#include "monotime.h"

/* The first bytes of fd, its identity beside dev and inode. */
void
fl_id_read(struct src *s)
{
	ssize_t n = pread(s->fd, s->idfp, FPMAX, 0);

	s->idlen = n > 0 ? (size_t)n : 0;
}

/* Are the bytes before s->off still those we read?  Else: rewritten. */
static int
rewritten(struct src *s)
{
	unsigned char b[FPMAX];

	if (s->tlen == 0 || s->off < (off_t)s->tlen)
		return s->tlen != 0;
	if (pread(s->fd, b, s->tlen, s->off - (off_t)s->tlen) !=
	    (ssize_t)s->tlen)
		return 1;
	return memcmp(b, s->tailfp, s->tlen) != 0;
}

/* Rotated or gone: the open file becomes the old one, read on a while. */
static enum flow
retire(struct follow *fl, struct ffile *f)
{
	enum flow r;

	if (f->old.fd >= 0) {
		if ((r = fl_src_read(fl, f, &f->old)) != FLOW_GO ||
		    (r = fl_finish(fl, f, &f->old, 1)) != FLOW_GO)
			return r;
		fl_src_close(&f->old);
	}
	/* swap so that the held buffers are kept, not leaked */
	{
		struct src t = f->old;

		f->old = f->cur;
		f->cur = t;
	}
	f->old.deadline = monotime() + fl->a->rotate_wait;
	f->cur.fd = -1;
	f->cur.hold.len = 0;
	return FLOW_GO;
}

/* Open f's name anew, from its start; quiet when it is not there. */
static void
reopen(struct follow *fl, struct ffile *f)
{
	struct stat st;

	if (fl_src_open(&f->cur, f->name, &st) < 0) {
		if (errno != ENOENT && !f->noted) {
			diag_errno(fl->base.name, errno, "%s", fl_msg_name(f));
			f->noted = 1;
		}
		return;
	}
	if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) {
		if (!f->noted)
			diag(fl->base.name, "%s: not a regular file", f->name);
		f->noted = 1;
		fl_src_close(&f->cur);
		return;
	}
	if (S_ISFIFO(st.st_mode) || f->cur.sizeless)
		f->is_stream = 1;
	f->noted = 0;
	f->seen = 1;
	fl_watch_file(fl, f->name);
}

/*
 * Bring f up to date, whatever happened: the one function every event
 * and every tick calls.
 */
enum flow
fl_reconcile(struct follow *fl, struct ffile *f)
{
	struct stat st;
	enum flow r;

	if (f->is_stream)
		return FLOW_GO;
	if (strcmp(f->name, "-") != 0 && !fl->a->descriptor) {
		if (f->cur.fd >= 0 && (stat(f->name, &st) < 0 ||
		    st.st_dev != f->cur.dev || st.st_ino != f->cur.ino)) {
			/* what was written before the rename comes first */
			if ((r = fl_src_read(fl, f, &f->cur)) != FLOW_GO ||
			    (r = retire(fl, f)) != FLOW_GO)
				return r;
		}
		if (f->cur.fd < 0)
			reopen(fl, f);
	} else if (f->cur.fd < 0 && !f->seen && strcmp(f->name, "-") != 0)
		reopen(fl, f);
	if (f->old.fd >= 0) {
		if ((r = fl_src_read(fl, f, &f->old)) != FLOW_GO)
			return r;
		if (monotime() >= f->old.deadline || fl->a->once) {
			if ((r = fl_finish(fl, f, &f->old, 1)) != FLOW_GO)
				return r;
			fl_src_close(&f->old);
			fl->state_dirty = 1;
			if ((r = fl_settle(fl)) != FLOW_GO)
				return r;
		}
	}
	if (f->is_stream)
		return FLOW_GO;
	return fl_src_read(fl, f, &f->cur);
}

/*
 * s (a regular file of size bytes) shrank, or its bytes before our
 * offset are not those we read: it was truncated (and maybe written
 * again as far).  Said, and read again from its start.
 */
void
fl_truncated(struct follow *fl, const struct ffile *f, struct src *s,
    off_t size)
{
	if (size < s->off || rewritten(s)) {
		diag(fl->base.name, "%s: file truncated", f->name);
		s->off = 0;
		s->hold.len = 0;
		s->tlen = 0;
		fl_id_read(s);
	}
}

/* s grew and was read: remember the bytes before its offset. */
void
fl_fingerprint(struct src *s)
{
	s->tlen = s->off < FPMAX ? (size_t)s->off : FPMAX;
	if (pread(s->fd, s->tailfp, s->tlen, s->off - (off_t)s->tlen) !=
	    (ssize_t)s->tlen)
		s->tlen = 0;
}

/*
 * Is s (just opened) the file of that identity: device, inode and its
 * first idlen bytes?
 */
int
fl_same_file(const struct src *s, dev_t dev, ino_t ino,
    const unsigned char *id, size_t idlen)
{
	return dev == s->dev && ino == s->ino && idlen <= s->idlen &&
	    memcmp(id, s->idfp, idlen) == 0;
}
