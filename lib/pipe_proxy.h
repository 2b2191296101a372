/*
 * pipe_proxy.h: the stage of pipe's own between two stages of a
 * pipeline (pipeline.h).  Proxy i fronts stage i and links to proxy
 * i+1, and stage i pushes into proxy i+1, so chain_close(),
 * chain_flush() and chain_info() reach every stage through its proxy,
 * nested in our timing, and the driver's messages and input_error land
 * on a proxy named like its stage.
 *
 * A proxy counts lines and time for --stats, writes --trace, holds a
 * piece of a line until it is whole, gathers small pushes into batches
 * (as a shell pipe's reader gets them), and plays the closed pipe: once
 * its stage stopped or failed, later pushes go nowhere (gone).
 */
#ifndef RUNNEL_PIPE_PROXY_H
#define RUNNEL_PIPE_PROXY_H

#include <stdint.h>

#include "handoff.h"
#include "linehold.h"
#include "stage.h"

struct pipeline;

struct pipe_proxy {
	struct stage		 base;	/* next: the following proxy */
	struct stage		*own;	/* the stage fronted: owned */
	struct pipeline		*pl;
	int			 index;	/* 1..n; n+1 fronts the sink */
	uint64_t		 lines;	/* lines pushed into own */
	int			 gone;	/* own stopped or failed: latched */
	enum flow		 latched;
	/*
	 * A stage may push a line in pieces (a partial last line, then its
	 * '\n' before a summary).  Through a shell pipe the reader sees one
	 * line; so do we: a piece is held until its line is whole.
	 */
	struct linehold		 held;
	/*
	 * Small pushes from the stage before, gathered into one push of up
	 * to COALESCE_SIZE, as a shell pipe's reader gets them: a filter
	 * that passes single lines on (match selecting one line in twenty)
	 * would otherwise cost the next stage a call, and a search, a line.
	 * Passed on when the call into the stage before returns (its proxy
	 * drains us), so nothing waits here for more input.
	 */
	char			*coal;
	size_t			 coallen, coalcap;
	int			 coalesce;
};

#define COALESCE_SIZE	(128 * 1024)
#define COALESCE_DIRECT	(16 * 1024)	/* larger pushes go on as they are */

/*
 * A proxy for stage index (1-based; n+1 fronts the sink) of pl, owning
 * nothing yet: set own, base.next and coalesce.  Freed with the chain
 * (its destroy frees own too); NULL when out of memory.
 */
struct pipe_proxy	*proxy_new(struct pipeline *pl, int index);
void			 proxy_free(struct pipe_proxy *);

/* What a handoff in front of a proxy tells it (--stats or not). */
extern const struct handoff_hooks proxy_hooks_plain, proxy_hooks_stats;

#endif
