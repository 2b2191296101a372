/*
 * follow's watcher: what tells follow to look again, and the wait.
 * inotify on every file open and on its directory (a rename, a creation
 * in it); without inotify (--once, -s on a file system it cannot see,
 * RUNNEL_FOLLOW_POLL, ---disable-inotify) a polling tick every -s
 * SECONDS.  Events are hints: after any of them every file is
 * reconciled (follow_rotate.c); renames of a followed name are paired
 * by cookie, so that reconcile learns where each generation went.  FILE
 * operands holding * ? [ are patterns, globbed again when a directory
 * tells of a new name (or on every tick).
 */
#include <sys/inotify.h>

#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "driver.h"
#include "follow_int.h"
#include "idle.h"
#include "monotime.h"
#include "signals.h"
#include "writer.h"

int
fl_has_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

/* name's directory into dir (as the watch names it); its last part. */
static const char *
dir_of(const char *name, char *dir, size_t size)
{
	const char *sl = strrchr(name, '/');

	if (sl == NULL)
		snprintf(dir, size, ".");
	else
		snprintf(dir, size, "%.*s", (int)(sl - name + (sl == name)),
		    name);
	return sl == NULL ? name : sl + 1;
}

static void
watch_dir(struct follow *fl, const char *name)
{
	char dir[PATH_MAX];
	struct wdir *nd;
	size_t i;
	int wd;

	if (fl->ino < 0)
		return;
	(void)dir_of(name, dir, sizeof(dir));
	/* Failure (no such directory yet) leaves it to the polling tick. */
	if ((wd = inotify_add_watch(fl->ino, dir, IN_MODIFY | IN_ATTRIB |
	    IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO |
	    IN_CLOSE_WRITE | IN_DELETE_SELF | IN_MOVE_SELF)) < 0)
		return;
	for (i = 0; i < fl->ndirs; i++)
		if (fl->dirs[i].wd == wd)
			return;
	/* without it, renames in dir are not told: rotation still is */
	if ((nd = realloc(fl->dirs, (fl->ndirs + 1) * sizeof(*nd))) == NULL)
		return;
	fl->dirs = nd;
	if ((nd[fl->ndirs].path = strdup(dir)) != NULL)
		nd[fl->ndirs++].wd = wd;
}

void
fl_watch_file(struct follow *fl, const char *path)
{
	if (fl->ino >= 0)
		(void)inotify_add_watch(fl->ino, path, IN_MODIFY | IN_ATTRIB |
		    IN_CLOSE_WRITE);
}

/* New files matching the glob operands. */
static void
reglob(struct follow *fl)
{
	glob_t g;
	size_t j;
	int i;

	for (i = 0; i < fl->a->nfiles; i++) {
		if (!fl_has_glob(fl->a->files[i]))
			continue;
		if (glob(fl->a->files[i], 0, NULL, &g) != 0)
			continue;
		for (j = 0; j < g.gl_pathc; j++) {
			struct ffile *f = fl_file_add(fl, g.gl_pathv[j]);

			if (f != NULL)
				f->seen = 0;
		}
		globfree(&g);
	}
}

static enum flow
reconcile_all(struct follow *fl)
{
	enum flow r;
	size_t i;

	for (i = 0; i < fl->nf; i++)
		if ((r = fl_reconcile(fl, fl->f[i])) != FLOW_GO)
			return r;
	return FLOW_GO;
}

/* Every stream read to its end, every file written out (pid gone). */
static enum flow
drain_end(struct follow *fl)
{
	enum flow r;
	size_t i, j;

	if ((r = reconcile_all(fl)) != FLOW_GO)
		return r;
	for (i = 0; i < fl->nf; i++) {
		struct ffile *f = fl->f[i];

		for (j = 0; j < f->nold; j++)
			if ((r = fl_finish(fl, f, f->old[j], 1)) != FLOW_GO)
				return r;
		if ((r = fl_finish(fl, f, &f->cur, 0)) != FLOW_GO)
			return r;
	}
	return FLOW_GO;
}

/*
 * Nothing left to follow: every file a stream at its end or a
 * compressed file read (and no pattern that may bring another).
 */
static int
streams_only_done(const struct follow *fl)
{
	int compressed = 0, i;
	size_t k;

	for (k = 0; k < fl->nf; k++) {
		if (fl->f[k]->compressed && !fl->f[k]->is_stream)
			compressed = 1;
		else if (!fl->f[k]->is_stream || !fl->f[k]->done)
			return 0;
	}
	for (i = 0; compressed && i < fl->a->nfiles; i++)
		if (fl_has_glob(fl->a->files[i]))
			return 0;
	return fl->nf > 0;
}

/*
 * Renames, as inotify tells them, keep a generation that lived too short
 * a time to be seen at its name: when f's name (or a name f's name went
 * to) is renamed, where it went is added to (or updated in) f->moved,
 * and reconcile opens what is there (follow_rotate.c: adopt).
 */

/* The directory an event's wd watches, or NULL. */
static const char *
ev_dir(const struct follow *fl, const struct inotify_event *ev)
{
	size_t i;

	for (i = 0; i < fl->ndirs; i++)
		if (fl->dirs[i].wd == ev->wd)
			return fl->dirs[i].path;
	return NULL;
}

/* The path of the event's name: 0, or -1. */
static int
ev_path(const struct follow *fl, const struct inotify_event *ev, char *path,
    size_t size)
{
	const char *d = ev_dir(fl, ev);
	size_t n;

	if (d == NULL)
		return -1;
	if (strcmp(d, ".") == 0)
		n = (size_t)snprintf(path, size, "%s", ev->name);
	else
		n = (size_t)snprintf(path, size, "%s%s%s", d,
		    d[strlen(d) - 1] == '/' ? "" : "/", ev->name);
	return n < size ? 0 : -1;
}

/* IN_MOVED_FROM: is it one of our names?  Then the cookie is kept. */
static void
moved_from(struct follow *fl, const struct inotify_event *ev)
{
	char path[PATH_MAX], dir[PATH_MAX];
	const char *base;
	size_t i, j;

	if (fl->a->descriptor || ev_path(fl, ev, path, sizeof(path)) < 0)
		return;
	for (i = 0; i < fl->nf; i++) {
		struct ffile *f = fl->f[i];
		struct move *m = &fl->mv[fl->nmv % MOVES];
		long idx = -2;

		if (f->is_stream || strcmp(f->name, "-") == 0)
			continue;
		base = dir_of(f->name, dir, sizeof(dir));
		if (strcmp(dir, ev_dir(fl, ev)) == 0 &&
		    strcmp(base, ev->name) == 0)
			idx = -1;
		for (j = 0; idx == -2 && j < f->nmoved; j++)
			if (strcmp(f->moved[j], path) == 0)
				idx = (long)j;
		if (idx == -2)
			continue;
		*m = (struct move){ ev->cookie, f, idx };
		fl->nmv++;
		return;
	}
}

/* IN_MOVED_TO: the other half of a rename kept: f->moved told. */
static void
moved_to(struct follow *fl, const struct inotify_event *ev)
{
	char path[PATH_MAX], *p, **nm;
	unsigned i;

	for (i = 0; i < MOVES && i < fl->nmv; i++) {
		struct move *m = &fl->mv[(fl->nmv - 1 - i) % MOVES];
		struct ffile *f = m->f;

		if (f == NULL || m->cookie != ev->cookie)
			continue;
		m->f = NULL;
		if (ev_path(fl, ev, path, sizeof(path)) < 0 ||
		    (p = strdup(path)) == NULL)
			return;
		if (m->idx >= 0 && (size_t)m->idx < f->nmoved) {
			free(f->moved[m->idx]);
			f->moved[m->idx] = p;
		} else if (m->idx == -1 && (nm = realloc(f->moved,
		    (f->nmoved + 1) * sizeof(*nm))) != NULL) {
			f->moved = nm;
			f->moved[f->nmoved++] = p;
		} else
			free(p);
		return;
	}
}

/* The queue overflowed: renames were lost; what was kept may mislead. */
static void
moves_forget(struct follow *fl)
{
	size_t i, j;

	for (i = 0; i < fl->nf; i++) {
		for (j = 0; j < fl->f[i]->nmoved; j++)
			free(fl->f[i]->moved[j]);
		fl->f[i]->nmoved = 0;
	}
	fl->nmv = 0;
}

/* Read inotify's events: 1 when a name was created (or moved) here. */
static int
drain_inotify(struct follow *fl)
{
	char b[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	int created = 0;
	ssize_t n;

	while ((n = read(fl->ino, b, sizeof(b))) > 0) {
		char *p = b;

		while (p < b + n) {
			const struct inotify_event *ev = (const void *)p;

			if (ev->mask & (IN_CREATE | IN_MOVED_TO))
				created = 1;
			if (ev->mask & IN_Q_OVERFLOW)
				moves_forget(fl);
			else if ((ev->mask & IN_MOVED_FROM) && ev->len > 0)
				moved_from(fl, ev);
			else if ((ev->mask & IN_MOVED_TO) && ev->len > 0)
				moved_to(fl, ev);
			p += sizeof(*ev) + ev->len;
		}
		/*
		 * Room was left for one more event: the queue was empty, and
		 * a read to be told so (EAGAIN) is a syscall an event.  One
		 * that comes later leaves the fd readable for the next poll.
		 */
		if ((size_t)n <= sizeof(b) - (sizeof(struct inotify_event) +
		    NAME_MAX + 1))
			break;
	}
	return created;
}

/* Has an operand a pattern (then new names are looked for)? */
static int
any_glob(const struct follow *fl)
{
	int i;

	for (i = 0; i < fl->a->nfiles; i++)
		if (fl_has_glob(fl->a->files[i]))
			return 1;
	return 0;
}

/*
 * The timeout of the next wait in ms (-1: none), el seconds into the
 * run.  inotify watches every file open and its directory: nothing to
 * look at on a tick, so an idle follower sleeps with no timeout at all.
 * A missing file's directory (or a pattern's) may not be watched yet,
 * and a file on a network file system changes unseen: those need the
 * polling tick; a rotated file read on, a --pid, a --timeout, a shorter
 * one.
 */
static int
wait_ms(const struct follow *fl, int globs, double el)
{
	const struct follow_args *a = fl->a;
	double t = a->interval;
	int quiet = fl->ino >= 0 && !globs, tmo;
	size_t i;

	for (i = 0; i < fl->nf; i++) {
		const struct ffile *f = fl->f[i];

		if (f->nold > 0 && t > 0.1)
			t = 0.1;
		if (!f->is_stream && (f->cur.fd < 0 || f->cur.remote))
			quiet = 0;
	}
	if (quiet && t >= a->interval)
		t = -1;
	if (a->pid > 0 && (t < 0 || t > 0.2))
		t = 0.2;
	if (a->timeout >= 0 && (t < 0 || a->timeout - el < t))
		t = a->timeout - el;
	tmo = t < 0 ? -1 : (int)(t * 1000 + 0.999);
	if (t >= 0 && tmo < 1)
		tmo = 1;
	return tmo;
}

/* Our descriptors for the wait: inotify's, the streams still open. */
static int
own_fds(const struct follow *fl, struct pollfd *pf)
{
	int n = 0;
	size_t i;

	if (fl->ino >= 0)
		pf[n++] = (struct pollfd){ .fd = fl->ino, .events = POLLIN };
	for (i = 0; i < fl->nf; i++) {
		const struct ffile *f = fl->f[i];

		if (f->is_stream && !f->done && f->cur.fd >= 0)
			pf[n++] = (struct pollfd){ .fd = f->cur.fd,
			    .events = POLLIN };
	}
	return n;
}

/* After the wait: events read, patterns globbed, streams read. */
static enum flow
woken(struct follow *fl, const struct pollfd *pf, int npf, int globs)
{
	int k = 0, any = 0, created = 0;
	enum flow r;
	size_t i;

	for (k = 0; k < npf; k++)
		any |= pf[k].revents != 0;
	if (!any) {
		/* the tick (or only the chain was served) */
		if (globs || fl->ino < 0)
			reglob(fl);
		return FLOW_GO;
	}
	k = 0;
	if (fl->ino >= 0 && pf[k++].revents)
		created = drain_inotify(fl);
	if (created && globs)
		reglob(fl);
	for (i = 0; i < fl->nf && k < npf; i++) {
		struct ffile *f = fl->f[i];

		if (f->is_stream && !f->done && f->cur.fd >= 0 &&
		    pf[k].fd == f->cur.fd) {
			if (pf[k].revents &&
			    (r = fl_stream_read(fl, f)) != FLOW_GO)
				return r;
			k++;
		}
	}
	return FLOW_GO;
}

/*
 * Before a wait: every file brought up to date, and the end tested
 * (--pid gone, every stream at its end, --timeout).  1 when the loop
 * ends with *r; 0: wait.
 */
static int
round_up(struct follow *fl, enum flow *r)
{
	const struct follow_args *a = fl->a;
	int pidgone = 0;

	if (a->pid > 0 && kill((pid_t)a->pid, 0) < 0 && errno == ESRCH)
		pidgone = 1;
	if ((*r = reconcile_all(fl)) != FLOW_GO)
		return 1;
	if (pidgone) {
		*r = drain_end(fl);
		return 1;
	}
	if (streams_only_done(fl))
		return 1;
	if (a->timeout >= 0 && monotime() - fl->start >= a->timeout) {
		fl->timed_out = 1;
		return 1;
	}
	if ((*r = chain_flush(fl->base.next)) != FLOW_GO)
		return 1;
	/* idle now: the state on disk, synced */
	if (a->state != NULL && (fl->state_dirty || fl->state_unsynced))
		fl_state_save(fl, 1);
	return 0;
}

enum flow
fl_watch_loop(struct follow *fl)
{
	struct pollfd *pf = NULL;
	enum flow r;

	for (;;) {
		int n, globs = any_glob(fl);
		struct pollfd *npf;

		if (round_up(fl, &r))
			break;
		/* files come and go (patterns): room for every stream */
		if ((npf = realloc(pf, (fl->nf + 1 + IDLE_EXTRA) *
		    sizeof(*pf))) == NULL) {
			diag_errno(fl->base.name, ENOMEM, "poll set");
			r = FLOW_ERROR;
			break;
		}
		pf = npf;
		n = own_fds(fl, pf);
		if ((r = idle_wait(fl->base.next, pf, n, wait_ms(fl, globs,
		    monotime() - fl->start))) != FLOW_GO ||
		    (r = woken(fl, pf, n, globs)) != FLOW_GO)
			break;
	}
	free(pf);
	return r;
}

/*
 * Before the first read: inotify (unless --once or polling is asked
 * for), each operand's directory watched, the files of the operands
 * (a pattern's as it matches now) added.  The watches come first:
 * nothing written from then on is missed.
 */
void
fl_watch_start(struct follow *fl)
{
	const struct follow_args *a = fl->a;
	size_t i;

	if (!a->once && !a->no_inotify &&
	    getenv("RUNNEL_FOLLOW_POLL") == NULL)
		fl->ino = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	for (i = 0; i < (size_t)a->nfiles; i++) {
		const char *op = a->files[i];

		if (strcmp(op, "-") != 0)
			watch_dir(fl, op);
		if (fl_has_glob(op) && strcmp(op, "-") != 0) {
			glob_t g;
			size_t j;

			if (glob(op, 0, NULL, &g) == 0) {
				for (j = 0; j < g.gl_pathc; j++)
					(void)fl_file_add(fl, g.gl_pathv[j]);
				globfree(&g);
			}
		} else
			(void)fl_file_add(fl, op);
	}
	if (a->nfiles == 0)
		(void)fl_file_add(fl, "-");
}

/* --once: streams read to their end (blocking), every file written out. */
enum flow
fl_watch_once(struct follow *fl)
{
	enum flow r = FLOW_GO;
	size_t i;

	for (i = 0; i < fl->nf && r == FLOW_GO; i++) {
		struct ffile *f = fl->f[i];

		while (r == FLOW_GO && f->is_stream && !f->done) {
			struct pollfd p[1 + IDLE_EXTRA] = {
			    { .fd = f->cur.fd, .events = POLLIN } };

			if ((r = idle_wait(fl->base.next, p, 1, -1)) ==
			    FLOW_GO && p[0].revents)
				r = fl_stream_read(fl, f);
		}
	}
	if (r == FLOW_GO)
		r = drain_end(fl);
	return r;
}

/* The watcher's memory: the directories' names. */
void
fl_watch_free(struct follow *fl)
{
	size_t i;

	for (i = 0; i < fl->ndirs; i++)
		free(fl->dirs[i].path);
	free(fl->dirs);
	if (fl->ino >= 0)
		close(fl->ino);
}
