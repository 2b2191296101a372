/*
 * split.h: a run of stages split over worker threads (pipe --threads).
 *
 * Some stages write, for a run of whole lines, what those lines alone
 * decide (stage_def.splittable): match without counts or context, power
 * that never warns.  Copies of such a run of stages, created from the
 * same parsed args, can then work on different batches at once.  The
 * split stage copies what is pushed into it into jobs of about 256 KiB
 * cut after a '\n', hands them out in order to its workers, each with a
 * copy of its own that ends in a collector, and pushes the jobs' outputs
 * on into next in the same order.  The rest of the chain sees the bytes
 * one copy alone would have given it.
 *
 * Only the thread that pushes into the split touches next.  A copy is
 * touched by its worker while that runs, and by the pushing thread
 * after the join (close, destroy).  Flush hands out the job being filled
 * and waits until every job is pushed on: nothing is held while the
 * source waits.  Close does the same, ends the workers, closes each copy
 * front to back (what it writes then goes on in copy order), and leaves
 * in copy 0's stages every copy's status combined: 2 when any copy had
 * an error, else 0 when any had 0, else 1 (match selected nothing in the
 * whole input only when it selected nothing in any part).
 *
 * Workers start with the first job; when none can start, copy 0 works
 * on the pushing thread.  They run with SIGINT, SIGTERM and SIGUSR1
 * blocked: the main thread takes the signals and closes the chain.
 */
#ifndef RUNNEL_SPLIT_H
#define RUNNEL_SPLIT_H

#include "stage.h"

/* At most this many copies: each holds two jobs' memory in flight. */
#define SPLIT_MAXW	16

/*
 * A split of nstages stages over nworkers workers, in front of next
 * (borrowed).  NULL when out of memory.  Build each of its
 * split_copies() copies (one a worker, and one more that runs again, in
 * order, a batch whose copy deferred a message naming a line) back to
 * front in front of split_sink(sp, w), handing each stage over with
 * split_set_stage() as soon as it is created: the split owns it from
 * then on, and its destroy frees every copy.
 */
struct stage	*split_create(struct stage *next, int nworkers, int nstages,
		    const char *name);
int		 split_copies(const struct stage *s);
struct stage	*split_sink(struct stage *s, int w);
/* st is stage k (0 first) of copy w. */
void		 split_set_stage(struct stage *s, int w, int k,
		    struct stage *st);

#endif
