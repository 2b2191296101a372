/*
 * signals.h: SIGINT, SIGTERM and SIGUSR1 become flags that the loops
 * test between chunks and when a blocking call returns EINTR (installed
 * without SA_RESTART); SIGPIPE is ignored so that a closed output shows
 * up as EPIPE.
 */
#ifndef RUNNEL_SIGNALS_H
#define RUNNEL_SIGNALS_H

#include <poll.h>
#include <pthread.h>
#include <signal.h>

/*
 * Atomic (lock-free, so a handler may set them): under pipe --threads,
 * workers read signal_fatal too (write_all).
 */
extern _Atomic int signal_fatal;	/* SIGINT or SIGTERM seen */
extern _Atomic int signal_info;		/* SIGUSR1 seen, not handled */

void	signals_install(void);
/* After the chain is closed: die by the fatal signal, if one came. */
void	signals_reraise(void);
/*
 * poll(2) that cannot miss a signal that came just before it: -1 with
 * EINTR at once when a flag named in what is set: SIGP_FATAL for
 * SIGINT/SIGTERM (leave it out to wait on after one, as when draining
 * at the end), SIGP_INFO for SIGUSR1.
 */
#define SIGP_FATAL	1
#define SIGP_INFO	2
int	signals_poll(struct pollfd *, nfds_t, int, int what);
/*
 * pthread_create() for a worker (pipe --threads): it takes none of the
 * signals above, which the main thread takes to stop and close the
 * chain, and its stack is small.  0 or an errno value.
 */
int	signals_thread(pthread_t *, void *(*)(void *), void *);
/*
 * pthread_cond_wait() for a thread that waits for a worker to take data
 * (it holds m).  Once SIGINT/SIGTERM has come it wakes every
 * SIGNALS_KICK_MS and kicks worker out of a blocked write(2) (EINTR, by
 * a signal that workers take), so that write_all() can give up on an
 * output nobody reads.  Returns as pthread_cond_wait does, early too.
 */
#define SIGNALS_KICK_MS	100
void	signals_cond_wait(pthread_cond_t *, pthread_mutex_t *m,
	    pthread_t worker);

#endif
