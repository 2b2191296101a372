#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>

#include "signals.h"

volatile sig_atomic_t signal_fatal;
volatile sig_atomic_t signal_info;

/* The stack of a worker thread: the stages keep their data on the heap,
   and 8 MiB a thread (the default) would only count against ulimit -v. */
#define THREAD_STACK	(1024 * 1024)

/* The signals we take: blocked while a flag is tested, and in workers. */
static void
our_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGUSR1);
}

static void
on_signal(int sig)
{
	if (sig == SIGUSR1)
		signal_info = 1;
	else if (signal_fatal == 0)
		signal_fatal = sig;
}

void
signals_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: a waiting read must wake */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

void
signals_reraise(void)
{
	int sig = signal_fatal;

	if (sig == 0)
		return;
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * A flag set just before a poll that waits long would go unseen until
 * something else happens (a SIGTERM between the test of the flag and
 * the poll: a hang).  So the signals are blocked while the flag is
 * tested and let in only inside ppoll, atomically.
 */
int
signals_poll(struct pollfd *pfd, nfds_t n, int timeout, int what)
{
	sigset_t block, old;
	struct timespec ts, *tsp = NULL;
	int r, e;

	if (timeout == 0)
		return poll(pfd, n, 0);
	if (timeout > 0) {
		ts.tv_sec = timeout / 1000;
		ts.tv_nsec = timeout % 1000 * 1000000L;
		tsp = &ts;
	}
	our_signals(&block);
	sigprocmask(SIG_BLOCK, &block, &old);
	if (((what & SIGP_FATAL) && signal_fatal) ||
	    ((what & SIGP_INFO) && signal_info)) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		errno = EINTR;
		return -1;
	}
	r = ppoll(pfd, n, tsp, &old);
	e = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	errno = e;
	return r;
}

int
signals_thread(pthread_t *t, void *(*fn)(void *), void *arg)
{
	sigset_t block, old;
	pthread_attr_t attr;
	int r;

	/* The new thread starts with the mask of the one that makes it. */
	our_signals(&block);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, THREAD_STACK);
	r = pthread_create(t, &attr, fn, arg);
	pthread_attr_destroy(&attr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return r;
}
