/*
 * How follow notices rotation and truncation.
 *
 * Every event and every polling tick calls one idempotent function per
 * file, fl_reconcile(): the name's identity (device, inode) against the
 * open file's tells a rename or a re-creation.  Then what was written to
 * the open file before the rename is read, and it becomes an old file,
 * read on for --rotate-wait seconds (a writer may still append to it)
 * while the name is opened anew from its start.  Every old generation
 * keeps its own deadline, however many rotations come meanwhile.  A
 * generation that lived between two looks (created, written, renamed
 * away within microseconds) is found where inotify saw the name renamed
 * to (follow_watch.c) and read whole, unless it is one open or closed
 * lately.
 *
 * A file that shrank was truncated; one that kept its size but whose
 * bytes before our offset changed (the refill fingerprint: the last
 * FPMAX bytes read) was truncated and written again.  Either is read
 * again from its start.  The first FPMAX bytes are its identity beside
 * device and inode, for --state to know a file again after a restart.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "follow_int.h"
#include "linehold.h"
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

/* f's old generation i is done with: closed, freed, the rest moved up. */
static void
old_drop(struct ffile *f, size_t i)
{
	struct src *o = f->old[i];
	struct gone *g = &f->gone[f->ngone++ % GONE];

	g->dev = o->dev;
	g->ino = o->ino;
	memcpy(g->id, o->idfp, o->idlen);
	g->idlen = o->idlen;
	fl_src_close(o);
	linehold_free(&o->hold);
	free(o);
	memmove(&f->old[i], &f->old[i + 1], (f->nold - i - 1) *
	    sizeof(*f->old));
	f->nold--;
}

/* The oldest generation read to its end now, its partial line ended. */
static enum flow
old_finish(struct follow *fl, struct ffile *f, size_t i)
{
	enum flow r;

	if ((r = fl_src_read(fl, f, f->old[i])) != FLOW_GO ||
	    (r = fl_finish(fl, f, f->old[i], 1)) != FLOW_GO)
		return r;
	old_drop(f, i);
	fl->state_dirty = 1;
	return FLOW_GO;
}

struct src *
fl_old_add(struct follow *fl, struct ffile *f, struct src *s)
{
	struct src *o, **n;

	if (f->nold == f->oldcap) {
		size_t cap = f->oldcap ? 2 * f->oldcap : 4;

		if ((n = realloc(f->old, cap * sizeof(*n))) == NULL)
			return NULL;
		f->old = n;
		f->oldcap = cap;
	}
	if ((o = malloc(sizeof(*o))) == NULL)
		return NULL;
	/* the held line goes with it: s starts with nothing held */
	*o = *s;
	memset(s, 0, sizeof(*s));
	s->fd = -1;
	o->deadline = monotime() + fl->a->rotate_wait;
	f->old[f->nold++] = o;
	return o;
}

/* Rotated or gone: the open file becomes an old one, read on a while. */
static enum flow
retire(struct follow *fl, struct ffile *f)
{
	enum flow r;

	if (f->nold == OLD_MAX && (r = old_finish(fl, f, 0)) != FLOW_GO)
		return r;
	if (fl_old_add(fl, f, &f->cur) == NULL) {
		diag_errno(fl->base.name, ENOMEM, "%s", f->name);
		return FLOW_ERROR;
	}
	return FLOW_GO;
}

/* Is s one of f's generations, open already or closed lately? */
static int
known(const struct ffile *f, const struct src *s)
{
	size_t i;

	for (i = 0; i < GONE && i < f->ngone; i++)
		if (fl_same_file(s, f->gone[i].dev, f->gone[i].ino,
		    f->gone[i].id, f->gone[i].idlen))
			return 1;
	if (f->cur.fd >= 0 && f->cur.dev == s->dev && f->cur.ino == s->ino)
		return 1;
	for (i = 0; i < f->nold; i++)
		if (f->old[i]->dev == s->dev && f->old[i]->ino == s->ino)
			return 1;
	return 0;
}

/* Is path a FILE of its own (a pattern's, say)?  It is read there. */
static int
followed(const struct follow *fl, const char *path)
{
	size_t i;

	for (i = 0; i < fl->nf; i++)
		if (strcmp(fl->f[i]->name, path) == 0)
			return 1;
	return 0;
}

/*
 * The names f's name was renamed to (inotify told, oldest first): a
 * generation found there that was never opened lived too short a time
 * to be seen at the name (created, written, renamed away between two
 * looks).  It is read from its start, then on as any rotated one.
 */
static enum flow
adopt(struct follow *fl, struct ffile *f)
{
	enum flow r = FLOW_GO;
	struct stat st;
	size_t i;

	for (i = 0; i < f->nmoved; i++) {
		struct src t = { .fd = -1 };

		if (r == FLOW_GO && !followed(fl, f->moved[i]) &&
		    fl_src_open(&t, f->moved[i], &st) == 0) {
			if (!S_ISREG(st.st_mode) || known(f, &t))
				fl_src_close(&t);
			else if (f->nold == OLD_MAX &&
			    (r = old_finish(fl, f, 0)) != FLOW_GO)
				fl_src_close(&t);
			else if (fl_old_add(fl, f, &t) == NULL) {
				diag_errno(fl->base.name, ENOMEM, "%s",
				    f->moved[i]);
				fl_src_close(&t);
				r = FLOW_ERROR;
			}
		}
		free(f->moved[i]);
	}
	f->nmoved = 0;
	return r;
}

/*
 * The old generations read; those whose --rotate-wait is over (all of
 * them with --once) ended and closed.
 */
static enum flow
grace(struct follow *fl, struct ffile *f)
{
	double now = monotime();
	enum flow r;
	size_t i;

	for (i = 0; i < f->nold; ) {
		if ((r = fl_src_read(fl, f, f->old[i])) != FLOW_GO)
			return r;
		if (now < f->old[i]->deadline && !fl->a->once) {
			i++;
			continue;
		}
		if ((r = fl_finish(fl, f, f->old[i], 1)) != FLOW_GO)
			return r;
		old_drop(f, i);
		fl->state_dirty = 1;
		if ((r = fl_settle(fl)) != FLOW_GO)
			return r;
	}
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

	if (f->is_stream || f->compressed)
		return FLOW_GO;
	if (strcmp(f->name, "-") != 0 && !fl->a->descriptor) {
		if (f->cur.fd >= 0 && (stat(f->name, &st) < 0 ||
		    st.st_dev != f->cur.dev || st.st_ino != f->cur.ino)) {
			/* what was written before the rename comes first */
			if ((r = fl_src_read(fl, f, &f->cur)) != FLOW_GO ||
			    (r = retire(fl, f)) != FLOW_GO)
				return r;
		}
		/* then the generations in between, then the name's */
		if ((r = adopt(fl, f)) != FLOW_GO)
			return r;
		if (f->cur.fd < 0)
			reopen(fl, f);
	} else if (f->cur.fd < 0 && !f->seen && strcmp(f->name, "-") != 0)
		reopen(fl, f);
	if ((r = grace(fl, f)) != FLOW_GO)
		return r;
	if (f->is_stream)
		return FLOW_GO;
	if (fl_compressed(fl, f))
		return fl_compressed_skip(fl, f);
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

/* All of f's rotated generations and the names it went to, freed. */
void
fl_old_free(struct ffile *f)
{
	size_t i;

	while (f->nold > 0)
		old_drop(f, f->nold - 1);
	free(f->old);
	for (i = 0; i < f->nmoved; i++)
		free(f->moved[i]);
	free(f->moved);
}
