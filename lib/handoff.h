/*
 * handoff.h: a thread boundary inside a chain (pipe --threads).
 *
 * The stage before the boundary pushes into a handoff stage; the bytes
 * are copied into buffers queued to a worker thread, which pushes them
 * into the rest of the chain (down).  Only that worker touches down while
 * it runs: the handoff ends the chain as the thread before it sees it
 * (its next is NULL), so chain_flush() and chain_info() stop there and
 * hand the request over.  close() queues the end, joins the worker and
 * then closes down on the caller's thread, front to back as before.
 *
 * Flush before blocking still holds: a flush is queued behind the data
 * and the worker flushes down when it gets there.  A stop or error down
 * the chain is latched, returned by the next push or flush, and makes the
 * handoff's wait_fds descriptor readable, so a source waiting for input
 * (follow, a quiet stdin) hears of it at once.
 *
 * down is given what was pushed, in order, but not in the same cuts: a
 * push longer than a buffer arrives in pieces, a line cut anywhere, so
 * down must take a line in pieces (pipe's proxies hold a piece until its
 * line is whole).
 *
 * The worker starts with the first push; if it cannot be started the
 * handoff passes everything straight through on the caller's thread.
 * Worker threads run with SIGINT, SIGTERM and SIGUSR1 blocked: the main
 * thread takes the signals and closes the chain, as without threads.
 */
#ifndef RUNNEL_HANDOFF_H
#define RUNNEL_HANDOFF_H

#include "stage.h"

struct handoff_hooks {
	/*
	 * Called with 1 before the pushing thread blocks for room in the
	 * queue and with 0 after (pipe --stats charges that time to
	 * nobody).  Optional.
	 */
	void	(*waiting)(int start);
	/*
	 * A stop or error came up from a handoff further down while this
	 * one's worker was idle: the stage in front of that one would
	 * have had it from its next push and passed it up.  Called on the
	 * worker thread with down, before the flow is latched here, so
	 * down can mark itself as a closed pipe would.  Optional.
	 */
	void	(*stopped)(struct stage *down, enum flow);
};

/*
 * A handoff in front of down, which it owns (destroy frees down's whole
 * chain).  hooks is borrowed and may be NULL.  NULL when out of memory.
 * Its status is 2 once it could not take a push (no memory for a
 * buffer, reported): the pushing stage's output was lost.
 */
struct stage	*handoff_create(struct stage *down, const char *name,
		    const struct handoff_hooks *hooks);
/*
 * below is the next handoff down the chain, fed by above's worker: a
 * stop latched in below wakes above's worker, which passes it up.
 */
void		 handoff_link(struct stage *above, struct stage *below);

#endif
