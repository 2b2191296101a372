/*
 * idle.h: the one wait of a source whose input is idle (the driver's
 * reader, follow's loop).
 *
 * Before it blocks, what the chain holds is flushed, so no line sits in
 * a buffer while the program waits.  Then the source's own descriptors
 * are polled together with those the stages want served while input is
 * idle (chain_wait_fds: broadcast's children), the final output (its
 * reader going away ends the wait: writer_watch), and until the nearest
 * of the source's timeout and the stages' deadlines (chain_deadline:
 * printer --every).  Stages whose descriptors are ready, or whose
 * deadline has come, are woken (chain_wake).  SIGUSR1 is reported on
 * the way; SIGINT/SIGTERM end the wait.
 */
#ifndef RUNNEL_IDLE_H
#define RUNNEL_IDLE_H

#include <poll.h>

#include "stage.h"

/* Room idle_wait() needs after the caller's descriptors. */
#define IDLE_EXTRA	1024

/*
 * Wait once.  pfd[0, nown) are the caller's, set by it; pfd has room
 * for nown + IDLE_EXTRA entries.  timeout_ms < 0: no timeout of the
 * caller's own.  chain is the first stage that the source pushes into.
 *
 * FLOW_GO: the wait is over; the caller's revents tell what is ready
 * (all 0 when the timeout came or only stages were served; all POLLERR
 * when poll(2) itself failed: the caller's reads will say why).
 * FLOW_STOP: SIGINT/SIGTERM came, or the output's reader went away, or
 * a stage stopped.  FLOW_ERROR: a stage failed (reported).
 */
enum flow	idle_wait(struct stage *chain, struct pollfd *pfd, int nown,
		    int timeout_ms);

#endif
