/*
 * follow --state: the offsets of the files followed, kept in FILE so
 * that a follower started again goes on where the last one stopped.
 * A checkpoint is the end of the last line written plus the identity of
 * the file (device, inode, its first bytes), never a raw read offset.
 * It is written to FILE.tmp and renamed: ahead of a batch when it can
 * be (state_prepare), so that between the batch reaching the output and
 * the state saying so there is one write(2) and one rename(2).
 */
#include <sys/ioctl.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "follow_int.h"
#include "monotime.h"
#include "signals.h"
#include "writer.h"

static void	state_commit(struct follow *, const char *);

/*
 * --state, after each batch: what was pushed is written out, then the
 * state that says so takes effect (the one state_prepare() wrote ahead,
 * renamed, or a fresh one).  No fsync here: rename is atomic against a
 * killed process; fsync only guards against power loss and is done when
 * idle and at exit.  So the state tracks the output batch by batch.
 */
enum flow
fl_settle(struct follow *fl)
{
	enum flow r;

	if (fl->a->state == NULL || !fl->state_dirty)
		return FLOW_GO;
	if ((r = chain_flush(fl->base.next)) != FLOW_GO)
		return r;
	if (fl->prep != NULL &&
	    fl->prep->off - (off_t)fl->prep->hold.len == fl->prep_off) {
		char tmp[PATH_MAX];

		/* prepared before the write and still true: rename it */
		snprintf(tmp, sizeof(tmp), "%s.tmp", fl->a->state);
		fl->prep = NULL;
		fl->state_dirty = 0;
		fl->state_unsynced = 1;
		state_commit(fl, tmp);
	} else
		fl_state_save(fl, 0);
	return FLOW_GO;
}

/* Bytes a write to the stdout pipe can take now without blocking. */
static long
pipe_room(const struct follow *fl)
{
	int queued = 0;
	long room;

	if (ioctl(fl->out_fd, FIONREAD, &queued) < 0)
		return fl->pipe_cap;
	/* slack: partly filled pages hold a whole slot of the pipe */
	room = fl->pipe_cap - queued - 2 * 4096;
	return room > 0 ? room : 0;
}

/*
 * With --state into a pipe, read no more than the pipe takes now: each
 * batch then goes out in one write(2) that does not block, and a SIGKILL
 * lands before it or after it, not in the middle with half a batch out.
 * Returns how much to read.
 */
size_t
fl_state_read_size(struct follow *fl, size_t pre)
{
	long want, room, last = -1, nap = 50;	/* nap: microseconds */

	if (!fl->out_pipe)
		return fl->chunk;
	want = fl->pipe_cap / 4 < CHUNK ? fl->pipe_cap / 4 : CHUNK;
	while ((room = pipe_room(fl)) < want && !signal_fatal) {
		struct pollfd p = { .fd = fl->out_fd, .events = POLLOUT };
		struct timespec ts = { 0, nap * 1000 };

		/* a full pipe (a stalled reader) blocks here, no spinning */
		if (signals_poll(&p, 1, 1000, SIGP_FATAL) <= 0)
			continue;
		/* a reader gone: let the write find EPIPE */
		if (p.revents & (POLLERR | POLLHUP | POLLNVAL))
			break;
		/*
		 * No wake-up for "half empty": a short, growing nap, up to
		 * 6.4 ms while the reader drains, 205 ms while it stalls.
		 */
		nanosleep(&ts, NULL);
		if (nap < 6400 || (room == last && nap < 204800))
			nap *= 2;
		last = room;
	}
	if (room <= (long)pre + 4096)
		return fl->chunk;
	room -= (long)pre;
	return room < (long)fl->chunk ? (size_t)room : fl->chunk;
}

static void
hex(char *o, const unsigned char *b, size_t n)
{
	static const char d[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		o[2 * i] = d[b[i] >> 4];
		o[2 * i + 1] = d[b[i] & 15];
	}
	o[2 * n] = '\0';
}

static int
src_line(FILE *fp, char kind, const struct src *s, const char *name)
{
	char h[2 * FPMAX + 1];

	hex(h, s->idfp, s->idlen);
	return fprintf(fp, "%c %llu %llu %lld %s %s\n", kind,
	    (unsigned long long)s->dev, (unsigned long long)s->ino,
	    (long long)(s->off - (off_t)s->hold.len), s->idlen ? h : "-", name);
}

/* Write the state to PATH.tmp (tmp): 0 when it is ready for rename. */
static int
state_write(struct follow *fl, int sync, char *tmp, size_t tmpsize)
{
	const char *path = fl->a->state;
	FILE *fp;
	size_t i, j;
	int fd, bad = 0;

	if ((size_t)snprintf(tmp, tmpsize, "%s.tmp", path) >= tmpsize)
		return -1;
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0 ||
	    (fp = fdopen(fd, "w")) == NULL) {
		diag_errno(fl->base.name, errno, "%s", tmp);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	for (i = 0; i < fl->nf; i++) {
		const struct ffile *f = fl->f[i];

		if (f->is_stream)
			continue;
		for (j = 0; j < f->nold; j++)
			if (src_line(fp, 'R', f->old[j], f->name) < 0)
				bad = 1;
		if (f->cur.fd >= 0 && src_line(fp, 'F', &f->cur, f->name) < 0)
			bad = 1;
	}
	if (fflush(fp) != 0 || (sync && fsync(fd) < 0))
		bad = 1;
	if (fclose(fp) != 0)
		bad = 1;
	if (bad) {
		diag_errno(fl->base.name, errno, "%s", tmp);
		unlink(tmp);
		return -1;
	}
	return 0;
}

static void
state_commit(struct follow *fl, const char *tmp)
{
	if (rename(tmp, fl->a->state) < 0) {
		diag_errno(fl->base.name, errno, "%s", fl->a->state);
		unlink(tmp);
	}
}

/* Write the state file atomically: temp file, (fsync,) rename. */
void
fl_state_save(struct follow *fl, int sync)
{
	char tmp[PATH_MAX];

	if (fl->a->state == NULL)
		return;
	fl->state_dirty = 0;
	fl->state_unsynced = !sync;
	fl->prep = NULL;
	if (state_write(fl, sync, tmp, sizeof(tmp)) == 0)
		state_commit(fl, tmp);
}

/*
 * Write the state as it will be once s has been written up to off,
 * before writing: after the write only the rename remains, so the time
 * between a batch reaching the output and the state saying so is one
 * write(2) and one rename(2), nothing more.
 */
void
fl_state_prepare(struct follow *fl, struct src *s, off_t off)
{
	char tmp[PATH_MAX];
	off_t o = s->off;
	size_t pl = s->hold.len;

	fl->prep = NULL;
	if (fl->a->state == NULL || fl->a->until != NULL)
		return;
	s->off = off;
	s->hold.len = 0;
	if (state_write(fl, 0, tmp, sizeof(tmp)) == 0) {
		fl->prep = s;
		fl->prep_off = off;
	}
	s->off = o;
	s->hold.len = pl;
}

static int
unhex(const char *h, unsigned char *b, size_t *n)
{
	size_t i, len = strlen(h);

	*n = 0;
	if (strcmp(h, "-") == 0)
		return 0;
	if (len % 2 || len / 2 > FPMAX)
		return -1;
	for (i = 0; i < len / 2; i++) {
		unsigned v;

		if (sscanf(h + 2 * i, "%2x", &v) != 1)
			return -1;
		b[i] = (unsigned char)v;
	}
	*n = len / 2;
	return 0;
}

struct rec *
fl_state_load(struct follow *fl, size_t *nrec)
{
	struct rec *r = NULL, *nr;
	size_t n = 0;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *fp;

	*nrec = 0;
	if (fl->a->state == NULL || (fp = fopen(fl->a->state, "r")) == NULL)
		return NULL;
	while ((len = getline(&line, &cap, fp)) > 0) {
		unsigned long long dev, ino;
		long long off;
		char kind, h[2 * FPMAX + 8];
		int pos = 0;

		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if (sscanf(line, "%c %llu %llu %lld %129s %n", &kind, &dev, &ino,
		    &off, h, &pos) != 5 || pos == 0 || line[pos] == '\0' ||
		    (kind != 'F' && kind != 'R')) {
			diag(fl->base.name, "%s: ignoring a bad line",
			    fl->a->state);
			continue;
		}
		if ((nr = realloc(r, (n + 1) * sizeof(*r))) == NULL)
			break;
		r = nr;
		r[n].kind = kind;
		r[n].dev = (dev_t)dev;
		r[n].ino = (ino_t)ino;
		r[n].off = (off_t)off;
		if (unhex(h, r[n].id, &r[n].idlen) < 0 ||
		    (r[n].name = strdup(line + pos)) == NULL)
			continue;
		n++;
	}
	free(line);
	fclose(fp);
	*nrec = n;
	return r;
}

/* Does src s (just opened) carry the identity the record remembers? */
static int
rec_is(const struct rec *r, const struct src *s)
{
	return fl_same_file(s, r->dev, r->ino, r->id, r->idlen);
}

/* Is the file of record r open already as one of f's old ones? */
static int
rec_open(const struct ffile *f, const struct rec *r)
{
	size_t i;

	for (i = 0; i < f->nold; i++)
		if (f->old[i]->dev == r->dev && f->old[i]->ino == r->ino)
			return 1;
	return 0;
}

/* Find the file of record r in the directory of name; open it into s. */
static int
rec_find(const struct rec *r, const char *name, struct src *s)
{
	char dir[PATH_MAX], path[PATH_MAX + 256];
	const char *sl = strrchr(name, '/');
	struct dirent *de;
	struct stat st;
	DIR *d;
	int ok = 0;

	if (sl == NULL)
		snprintf(dir, sizeof(dir), ".");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(sl - name + (sl == name)),
		    name);
	if ((d = opendir(dir)) == NULL)
		return 0;
	while (!ok && (de = readdir(d)) != NULL) {
		if ((ino_t)de->d_ino != r->ino)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (fl_src_open(s, path, &st) == 0) {
			if (S_ISREG(st.st_mode) && rec_is(r, s))
				ok = 1;
			else
				fl_src_close(s);
		}
	}
	closedir(d);
	return ok;
}

/* The records fl_state_load() gave, freed. */
void
fl_state_free(struct rec *recs, size_t nrec)
{
	size_t i;

	for (i = 0; i < nrec; i++)
		free(recs[i].name);
	free(recs);
}

/*
 * Place f where the state says, before its first read: 1 when the state
 * knows its name (then -n does not apply).
 */
int
fl_state_place(struct follow *fl, struct ffile *f, const struct rec *recs,
    size_t nrec)
{
	int known = 0;
	size_t i;

	for (i = 0; i < nrec; i++) {
		const struct rec *r = &recs[i];

		if (strcmp(r->name, f->name) != 0)
			continue;
		known = 1;
		if (rec_is(r, &f->cur)) {
			f->cur.off = r->off;
			continue;
		}
		/* rotated while we were away: the rest of it comes first */
		if (!rec_open(f, r)) {
			struct src t = { .fd = -1 };

			if (rec_find(r, f->name, &t)) {
				t.off = r->off;
				if (fl_old_add(fl, f, &t) == NULL)
					fl_src_close(&t);
			}
		}
	}
	return known;
}

/*
 * --state into a pipe that the next stage writes to as it is: batches
 * are cut to fit in the pipe (fl_state_read_size), so that each goes
 * out in one write(2).
 */
void
fl_state_setup(struct follow *fl)
{
	struct stage *w;
	struct stat st;
	int fd;

	/* only when what we push goes to the output as it is */
	if (fl->a->state == NULL || (w = writer_of(fl->base.next, 0)) == NULL)
		return;
	fd = writer_fd(w);
	if (fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode) &&
	    (fl->pipe_cap = fcntl(fd, F_GETPIPE_SZ)) > 0) {
		/*
		 * Batches fit in the pipe: a larger pipe (where the
		 * system allows it) means fewer, larger batches and
		 * state saves.
		 */
		if (fl->pipe_cap < 4 * CHUNK)
			(void)fcntl(fd, F_SETPIPE_SZ, 4 * CHUNK);
		fl->pipe_cap = fcntl(fd, F_GETPIPE_SZ);
		fl->out_pipe = fl->pipe_cap > 0;
		fl->out_fd = fd;
	}
	if (fl->out_pipe && fl->pipe_cap > CHUNK) {
		/* batches as large as the pipe: fewer state saves */
		size_t want = fl->pipe_cap < 4 * CHUNK ?
		    (size_t)fl->pipe_cap : 4 * CHUNK;
		char *nb = realloc(fl->buf, FRONT + want);

		if (nb != NULL) {
			fl->buf = nb;
			fl->chunk = want;
		}
	}
}

/*
 * The end of the run (status r): the state saved, synced, when what it
 * counts was written; else the one written ahead for a batch that never
 * went out (or failed) removed.
 */
void
fl_state_end(struct follow *fl, enum flow r)
{
	const char *path = fl->a->state;

	if (path != NULL && !writer_lost() && r != FLOW_ERROR &&
	    chain_flush(fl->base.next) != FLOW_ERROR) {
		fl_state_save(fl, 1);
	} else if (fl->prep != NULL) {
		char tmp[PATH_MAX];

		if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) <
		    sizeof(tmp))
			unlink(tmp);
	}
}
