/*
 * pipe_plan.h: where pipe's threads go (pipeline.h): which run of
 * stages is split over workers (split.h) and over how many, and, with
 * --threads where nothing is split, in front of which stages a handoff
 * (handoff.h) starts a thread.  Read by the build and by --explain.
 */
#ifndef RUNNEL_PIPE_PLAN_H
#define RUNNEL_PIPE_PLAN_H

#include <stddef.h>

struct pipeline;

/* The run [*from, *to) (0-based) to split; 0 when none. */
int	pipe_split_range(const struct pipeline *, size_t *from, size_t *to);
/* The workers of that split. */
int	pipe_split_workers(const struct pipeline *);
/* A thread of its own from stage k (1-based) on? */
int	pipe_thread_before(const struct pipeline *, size_t k);

#endif
