/*
 * pipe_plan: where pipe's threads go (pipe_plan.h).
 */
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

#include "pipe_plan.h"
#include "pipeline.h"
#include "record.h"
#include "split.h"

/*
 * May copies of this stage work on batches apart?  Not one that picks
 * its record format from the first line it reads: each copy would pick
 * by its own first line, and a log mixing formats would read otherwise
 * than in the executable.
 */
static int
splits(const struct pipe_stage *ps, int first)
{
	const struct record_fmt *f = ps->args->fields;

	if (ps->def->splittable == NULL ||
	    (f != NULL && f->kind == RECORD_AUTO))
		return 0;
	return ps->def->splittable(ps->args, first);
}

/*
 * pipe --threads: the run of stages to split over worker threads
 * (split.h), as [*from, *to) 0-based; 0 when there is none.  It is the
 * longest run of stages that allow it (the first of a run may allow more
 * than the others), if it holds at least half the stages that read
 * input: the others stay on the pushing thread, and a thread a stage
 * does better when they are most of the work.  (Both at once measured
 * worse than either on 2 cores.)  None with --stats or --trace (counts
 * and order are per copy) or when a stage asked for --line-buffered
 * output (a job's lines would wait for the whole job).
 */
int
pipe_split_range(const struct pipeline *pl, size_t *from, size_t *to)
{
	size_t i, s, e, best = 0, readers = pl->n;

	if (pl->threads < 2 || pl->parent != NULL || pl->flags != 0 ||
	    pl->line_buffered)
		return 0;
	for (i = 0; i < pl->n; i++)
		if (pl->st[i].args->line_buffered)
			return 0;
	for (s = 0; s < pl->n; s++) {
		for (e = s; e < pl->n && splits(&pl->st[e], e == s); e++)
			;
		if (e - s > best) {
			best = e - s;
			*from = s;
			*to = e;
		}
	}
	if (pl->st[0].def->kind == STAGE_SOURCE)
		readers--;
	return best > 0 && 2 * best >= readers;
}

int
pipeline_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) == 0 &&
	    CPU_COUNT(&set) > 0 && (n < 1 || CPU_COUNT(&set) < n))
		n = CPU_COUNT(&set);
	return n < 1 ? 1 : n > INT_MAX ? INT_MAX : (int)n;
}

/* A regular file, or a name that is none yet (its error comes later). */
static int
regular(const char *path)
{
	struct stat st;

	if (strcmp(path, "-") == 0)
		return fstat(STDIN_FILENO, &st) == 0 && S_ISREG(st.st_mode);
	return stat(path, &st) == 0 ? S_ISREG(st.st_mode) : errno == ENOENT;
}

int
pipeline_default_threads(const struct pipeline *pl)
{
	const struct stage_args *a = pl->st[0].args;
	int k;

	if (pl->st[0].def->kind == STAGE_SOURCE || pipeline_cpus() < 2)
		return 0;
	if (a->noperands == 0)
		return regular("-") ? PIPE_THREADS_CPUS : 0;
	for (k = 0; k < a->noperands; k++)
		if (!regular(a->operands[k]))
			return 0;
	return PIPE_THREADS_CPUS;
}

/* Copies of a split: N for --threads=N, else one a processor. */
int
pipe_split_workers(const struct pipeline *pl)
{
	long n = pl->threads;

	if (pl->threads >= PIPE_THREADS_CPUS) {
		n = pipeline_cpus();
		if (n < 2)
			n = 2;
	}
	return n < 1 ? 1 : n > SPLIT_MAXW ? SPLIT_MAXW : (int)n;
}

/*
 * pipe --threads: put a handoff (a thread boundary) in front of stage k
 * (1-based)?  Never in front of the writer: its copy is cheap.  Only in the whole pipeline, not with
 * --trace (its lines would interleave across threads), and only where
 * no stage from k on has descriptors to serve while input is idle
 * (broadcast's children): a worker waits on its queue, not on those.
 */
int
pipe_thread_before(const struct pipeline *pl, size_t k)
{
	size_t n = pl->n, i, from, to;

	if (pl->threads < 2 || pl->split_only || pl->parent != NULL ||
	    (pl->flags & PIPE_TRACE) || k < 2 || k > n)
		return 0;
	for (i = k - 1; i < n; i++)
		if (pl->st[i].def->serves_fds)
			return 0;
	if (pipe_split_range(pl, &from, &to))
		return 0;	/* the threads go to the copies */
	if ((size_t)pl->threads >= n)
		return 1;		/* a thread a stage */
	/* threads - 1 boundaries, spread evenly over the n - 1 places */
	return (k - 1) * (size_t)pl->threads / n !=
	    (k - 2) * (size_t)pl->threads / n;
}
