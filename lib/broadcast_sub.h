/*
 * broadcast_sub.h: broadcast -c 'SUB' in-process, inside pipe.
 *
 * When pipe runs broadcast (its parse_ctx names a pipeline) and a
 * command's text is a pipeline of runnel stages, that text is parsed
 * with broadcast's own options (errors before any input, prefixed "pipe:
 * stage N (broadcast): -c 'SUB'") and, when broadcast is created, built in front of a merge
 * stage of ours: the branch.  broadcast pushes lines into the branch and
 * the branch's output comes back, synchronously, through a callback
 * into the stage after broadcast, whole lines only.
 */
#ifndef RUNNEL_BROADCAST_SUB_H
#define RUNNEL_BROADCAST_SUB_H

#include <stddef.h>

#include "stage.h"

struct bsub_spec;	/* a parsed SUB: owned by broadcast's args */
struct bsub;		/* a running branch: the merge stage */
struct bsub_merge;	/* the output of one broadcast's branches */

/* Where the branches' output goes: broadcast's next stage. */
typedef enum flow (*bsub_out_fn)(void *ctx, const char *data, size_t len);

/*
 * The branches' whole lines, in the order written, wait in the merge
 * until bsub_merge_flush() (or 64 KiB): broadcast flushes it at the end
 * of each push and before anything else it pushes on.  It returns the
 * next stage's answer, and keeps returning a STOP or ERROR once seen.
 */
struct bsub_merge *bsub_merge_new(bsub_out_fn, void *ctx);
enum flow	 bsub_merge_flush(struct bsub_merge *);
void		 bsub_merge_free(struct bsub_merge *);

/*
 * Look at a -c text inside pipe (ctx: broadcast's own parse context).
 * Returns 1 with *out set (the text runs in-process), 0 when it is for
 * sh -c, -1 after a message (a bad SUB), 2 when a stage's --help or
 * --version was written.
 */
int		 bsub_parse(const struct parse_ctx *ctx, const char *text,
		    struct bsub_spec **out);
void		 bsub_spec_free(struct bsub_spec *);

/*
 * Build the branch; NULL after a message.  It lives until its spec is
 * freed (the merge stage belongs to the sub-pipeline).
 */
struct bsub	*bsub_start(struct bsub_spec *, struct bsub_merge *);
/*
 * Whole lines into the branch, whose output for them is in the merge
 * when this returns (the branch is flushed): GO, or STOP/ERROR once it
 * is done.
 */
enum flow	 bsub_push(struct bsub *, const char *data, size_t len);
enum flow	 bsub_flush(struct bsub *);
/* Its stages' own descriptors (a broadcast -c 'sh' nested in it). */
int		 bsub_wait_fds(struct bsub *, struct pollfd *, int max);
enum flow	 bsub_wake(struct bsub *);
void		 bsub_info(struct bsub *);
/*
 * End of input: close its stages (summaries come out now) and return
 * its status, as bash -o pipefail combines its stages'.
 */
int		 bsub_close(struct bsub *);

#endif
