/*
 * broadcast_child: the processes of broadcast's -c commands (see
 * broadcast_int.h).  Each runs under sh -c with one pipe to its stdin
 * and one from its stdout, and nothing else of ours open.  One that
 * quits on its own is reaped at once; at the end each is waited for, or,
 * when broadcast stops early, given a moment and then signals.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "broadcast_int.h"
#include "diag.h"
#include "monotime.h"
#include "signals.h"

/*
 * Commands' stdin pipes are enlarged up to PIPE_BIG each (fewer context
 * switches), within PIPE_BUDGET in all: pipe buffers count against a
 * per-user limit, past which every new pipe of the user gets tiny.
 */
#define PIPE_BIG	(1024 * 1024)
#define PIPE_BUDGET	(8 * 1024 * 1024)

/*
 * broadcast ends early (its output is gone): its commands' pipes are
 * closed, and most end at once by EOF or EPIPE.  One that ignores both
 * must not hold broadcast nor outlive it: after GRACE_MS it gets
 * SIGTERM, after GRACE_MS more SIGKILL, each with its descendants.
 */
#define GRACE_MS	150

/* In the child: only its own two pipes, SIGPIPE back to its default. */
static void
child_exec(const char *cmd, int in, int out)
{
	if (dup2(in, STDIN_FILENO) < 0 || dup2(out, STDOUT_FILENO) < 0)
		_exit(126);
#ifdef SYS_close_range
	syscall(SYS_close_range, 3, ~0U, 0);
#else
	for (int fd = 3; fd < 1024; fd++)
		close(fd);
#endif
	signal(SIGPIPE, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGUSR1, SIG_DFL);
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	_exit(127);
}

int
bc_child_start(struct broadcast *b, struct dest *d)
{
	int in[2], out[2];

	if (pipe2(in, O_CLOEXEC) < 0)
		return -1;
	if (pipe2(out, O_CLOEXEC) < 0) {
		close(in[0]);
		close(in[1]);
		return -1;
	}
	fflush(NULL);
	if ((d->pid = fork()) < 0) {
		close(in[0]); close(in[1]); close(out[0]); close(out[1]);
		return -1;
	}
	if (d->pid == 0)
		child_exec(d->name, in[0], out[1]);
	close(in[0]);
	close(out[1]);
	d->fd = in[1];
	d->outfd = out[0];
	fcntl(d->fd, F_SETFL, fcntl(d->fd, F_GETFL) | O_NONBLOCK);
	fcntl(d->outfd, F_SETFL, fcntl(d->outfd, F_GETFL) | O_NONBLOCK);
	/*
	 * A larger pipe wakes the command less often.  Under --balance too:
	 * what sits in a pipe is counted as unsent (FIONREAD), and a command
	 * is never owed more than it reads, so a slow one's pipe stays
	 * nearly empty.  Best effort: the system may refuse (pipe-max-size,
	 * user limit).
	 */
	{
		size_t sz = PIPE_BUDGET / b->a->ncmds;

		if (sz > PIPE_BIG)
			sz = PIPE_BIG;
		if (sz > 64 * 1024)
			(void)fcntl(d->fd, F_SETPIPE_SZ, (int)sz);
	}
	return 0;
}

/*
 * Raise the soft limit on open files as far as the hard one allows if
 * the commands need it, rather than one failure per command.
 */
int
bc_fd_room(struct broadcast *b, const struct broadcast_args *a)
{
	struct rlimit rl;
	rlim_t need = 2 * (rlim_t)a->ncmds + (a->nspecs - a->ncmds) + 16;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY ||
	    rl.rlim_cur >= need)
		return 0;
	if (rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= need) {
		rl.rlim_cur = need;
		if (setrlimit(RLIMIT_NOFILE, &rl) == 0)
			return 0;
	}
	diag(b->base.name, "%d commands need about %llu open files; the "
	    "limit is %llu (ulimit -n)", a->ncmds, (unsigned long long)need,
	    (unsigned long long)(rl.rlim_max != RLIM_INFINITY &&
	    rl.rlim_max < rl.rlim_cur ? rl.rlim_max : rl.rlim_cur));
	return -1;
}

void
bc_report(struct broadcast *b, struct dest *d)
{
	/* "exited": inside pipe too, its words are the executable's. */
	int st = d->wstatus;

	if (WIFEXITED(st) && WEXITSTATUS(st) != 0) {
		diag(b->base.name, "'%s': exited with status %d", d->name,
		    WEXITSTATUS(st));
		d->failed = 1;
	} else if (WIFSIGNALED(st)) {
		d->failed = 1;
		/* The signal that stops us stopped it too: no news. */
		if (WTERMSIG(st) != signal_fatal)
			diag(b->base.name, "'%s': killed by signal %d",
			    d->name, WTERMSIG(st));
	}
}

/*
 * A command whose output has ended and that has exited is reaped at
 * once (and its failure reported), not at broadcast's end: a consumer
 * that quits early (-c 'head -1') must not linger as a zombie.  Its
 * stdin stays open: a process it left behind may still read it, and
 * the next write finds out (EPIPE) when none does.
 */
void
bc_reap_quit(struct broadcast *b)
{
	int i;

	for (i = 0; i < b->nd; i++) {
		struct dest *d = &b->d[i];

		if (d->kind != D_CMD || d->reaped || d->outfd >= 0 ||
		    d->sub != NULL)
			continue;
		if (waitpid(d->pid, &d->wstatus, WNOHANG) != d->pid) {
			/*
			 * Its stdout closes before it can be waited for: an
			 * exit seen by its EOF may not be reapable yet.  Watch
			 * the process itself, or nothing would wake us for it.
			 */
#ifdef SYS_pidfd_open
			if (d->pidfd < 0)
				d->pidfd = (int)syscall(SYS_pidfd_open, d->pid, 0);
#endif
			continue;
		}
		d->reaped = 1;
		if (!(b->stopped && b->stopflow == FLOW_STOP))
			bc_report(b, d);
	}
}

/*
 * Send sig to pid and to its descendants, found in /proc (where it is
 * mounted).  Each one is stopped while its children are listed, so that
 * a shell loop cannot start a new child unseen.
 */
static void
kill_tree(pid_t pid, int sig, int depth)
{
	char path[64], buf[4096], *p, *e;
	ssize_t n;
	int fd;

	if (sig != SIGKILL)
		kill(pid, SIGSTOP);
	snprintf(path, sizeof(path), "/proc/%ld/task/%ld/children",
	    (long)pid, (long)pid);
	if (depth < 32 && (fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		buf[n > 0 ? n : 0] = '\0';
		for (p = buf; *p != '\0'; p = e) {
			long c = strtol(p, &e, 10);

			if (e == p)
				break;
			if (c > 0)
				kill_tree((pid_t)c, sig, depth + 1);
		}
	}
	kill(pid, sig);
	if (sig != SIGKILL)
		kill(pid, SIGCONT);
}

/* Reap the commands that have ended; 1 when none is left. */
static int
reap_ended(struct broadcast *b)
{
	int i, left = 0;

	for (i = 0; i < b->nd; i++) {
		struct dest *d = &b->d[i];
		pid_t r;

		if (d->kind != D_CMD || d->reaped)
			continue;
		r = waitpid(d->pid, &d->wstatus, WNOHANG);
		if (r == d->pid || (r < 0 && errno == ECHILD))
			d->reaped = 1;
		else
			left = 1;
	}
	return !left;
}

void
bc_reap_hurried(struct broadcast *b)
{
	static const int sigs[] = { SIGTERM, SIGKILL };
	long until;
	int i, k;

	for (k = 0; k <= 2; k++) {
		if (k > 0)
			for (i = 0; i < b->nd; i++)
				if (b->d[i].kind == D_CMD && !b->d[i].reaped)
					kill_tree(b->d[i].pid, sigs[k - 1], 0);
		until = monotime_ms() + GRACE_MS;
		while (!reap_ended(b) && monotime_ms() < until)
			poll(NULL, 0, 5);
	}
}

void
bc_reap_wait(struct broadcast *b, struct dest *d)
{
	if (d->kind != D_CMD || d->reaped)
		return;
	while (waitpid(d->pid, &d->wstatus, 0) < 0 && errno == EINTR)
		;
	d->reaped = 1;
	/* stdout closed under -c: the end we chose, nothing to say. */
	if (!(b->stopped && b->stopflow == FLOW_STOP))
		bc_report(b, d);
}
