#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "signals.h"

_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "a handler sets an atomic int");

_Atomic int signal_fatal;
_Atomic int signal_info;

/* Sent by a waiting thread to a worker stuck in write(2) after SIGTERM. */
#define SIGKICK	SIGURG

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
	int none = 0;

	if (sig == SIGUSR1)
		signal_info = 1;
	else
		atomic_compare_exchange_strong(&signal_fatal, &none, sig);
}

/* It need do nothing: being caught makes the worker's write(2) EINTR. */
static void
on_kick(int sig)
{
	(void)sig;
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

/* Ignored by default, and so unable to interrupt: give it a handler. */
static void
install_kick(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_kick;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGKICK, &sa, NULL);
}

int
signals_thread(pthread_t *t, void *(*fn)(void *), void *arg)
{
	static pthread_once_t kick_once = PTHREAD_ONCE_INIT;
	sigset_t block, old;
	pthread_attr_t attr;
	int r;

	pthread_once(&kick_once, install_kick);
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

void
signals_cond_wait(pthread_cond_t *c, pthread_mutex_t *m, pthread_t worker)
{
	struct timespec ts;

	/*
	 * A signal does not end a condition wait, so the wait is timed
	 * throughout: it only times out when the worker is slow to move.
	 */
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += SIGNALS_KICK_MS * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	if (pthread_cond_timedwait(c, m, &ts) != 0 && signal_fatal)
		pthread_kill(worker, SIGKICK);
}
