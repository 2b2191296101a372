/*
 * pipeline: pipe's engine (pipeline.h).
 *
 * The chain that the driver sees is made of our proxies only: proxy i
 * fronts stage i and links to proxy i+1, and stage i pushes into proxy
 * i+1.  So chain_close(), chain_flush() and chain_info() reach every
 * stage through its proxy, nested in our timing, and the driver's
 * messages and input_error land on a proxy named like its stage.
 */
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "driver.h"
#include "grow.h"
#include "handoff.h"
#include "linehold.h"
#include "monotime.h"
#include "split.h"
#include "pipeline.h"
#include "stages.h"
#include "writer.h"

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
 * --stats time: a stack of the stages whose code is running, each a
 * slot in its pipeline's self[] (sub-pipelines have their own).  One
 * book a thread (--threads): each charges what runs on it.
 */
struct clockbook {
	double	 last;
	int	 depth;
	double	*stack[256];
};
static _Thread_local struct clockbook book;

/* Charge the time since the last event to the stage running. */
static void
book_charge(double t)
{
	int top = book.depth - 1;

	if (top >= 0 && top < (int)(sizeof(book.stack) / sizeof(book.stack[0]))
	    && book.stack[top] != NULL)
		*book.stack[top] += t - book.last;
	book.last = t;
}

static void
book_enter(const struct pipe_proxy *p)
{
	if (!(p->pl->flags & PIPE_STATS))
		return;
	book_charge(monotime());
	if (book.depth < (int)(sizeof(book.stack) / sizeof(book.stack[0])))
		book.stack[book.depth] = p->pl->self ?
		    &p->pl->self[p->index] : NULL;
	book.depth++;
}

static void
book_leave(const struct pipe_proxy *p)
{
	if (!(p->pl->flags & PIPE_STATS))
		return;
	book_charge(monotime());
	book.depth--;
}

/* A handoff's wait for room in its queue is no stage's time. */
static void
book_wait(int start)
{
	if (start)
		book_charge(monotime());
	else
		book.last = monotime();
}

static enum flow
latch(struct pipe_proxy *p, enum flow f)
{
	if (f != FLOW_GO && !p->gone) {
		p->gone = 1;
		p->latched = f;
	}
	return f;
}

/* A stop from further down reached the handoff in front of proxy s. */
static void
handoff_stopped(struct stage *s, enum flow f)
{
	latch((struct pipe_proxy *)s, f);
}

static const struct handoff_hooks hooks_plain = {
	.stopped = handoff_stopped,
};
static const struct handoff_hooks hooks_stats = {
	.waiting = book_wait,
	.stopped = handoff_stopped,
};

/* --trace: "stage N (NAME) <- LINE", one write a line. */
static void
trace_line(const struct pipe_proxy *p, const char *line, size_t len)
{
	char head[256];
	char *buf;
	int n;
	int nl = line[len - 1] == '\n';

	if (p->pl->label != NULL)
		n = snprintf(head, sizeof(head), "%s: stage %d (%s) <- ",
		    p->pl->label, p->index, p->own->name);
	else
		n = snprintf(head, sizeof(head), "stage %d (%s) <- ",
		    p->index, p->own->name);
	if (n < 0 || (size_t)n >= sizeof(head))
		n = (int)strlen(head);
	if ((buf = malloc(n + len + 1)) == NULL) {
		(void)!write(STDERR_FILENO, head, n);
		(void)!write(STDERR_FILENO, line, len);
		return;
	}
	memcpy(buf, head, n);
	memcpy(buf + n, line, len);
	if (!nl)
		buf[n + len++] = '\n';
	(void)write_all(STDERR_FILENO, buf, n + len);
	free(buf);
}

static uint64_t
count_lines(const char *data, size_t len)
{
	const char *p = data, *end = data + len, *nl;
	uint64_t n = 0;

	while ((nl = memchr(p, '\n', end - p)) != NULL) {
		n++;
		p = nl + 1;
	}
	return n + (p < end);
}

static enum flow	drain_next(struct pipe_proxy *, enum flow);

static enum flow
proxy_forward(struct pipe_proxy *p, const char *data, size_t len)
{
	int flags = p->pl->flags;
	enum flow f;

	if (p->gone)
		return p->latched;
	if (flags == 0)		/* the common case */
		return drain_next(p, latch(p, stage_push(p->own, data, len)));
	if (flags & PIPE_STATS) {
		book_charge(monotime());
		p->lines += count_lines(data, len);
		book.last = monotime();	/* our counting is nobody's time */
	}
	if (flags & PIPE_TRACE && p->index <= (int)p->pl->n) {
		/* Line by line, so the trace shows each line's way down. */
		const char *line = data, *end = data + len;

		while (line < end) {
			const char *nl = memchr(line, '\n', end - line);
			const char *next = nl ? nl + 1 : end;

			trace_line(p, line, next - line);
			book_enter(p);
			f = latch(p, stage_push(p->own, line, next - line));
			book_leave(p);
			if (f != FLOW_GO)
				return f;
			line = next;
		}
		return FLOW_GO;
	}
	book_enter(p);
	f = latch(p, stage_push(p->own, data, len));
	book_leave(p);
	return f;
}

static const struct stage_ops proxy_ops;

/* Pass on what was gathered. */
static enum flow
coal_drain(struct pipe_proxy *p)
{
	size_t n = p->coallen;

	if (n == 0)
		return FLOW_GO;
	p->coallen = 0;
	return proxy_forward(p, p->coal, n);
}

/*
 * After a call into p's stage: what it pushed into the next proxy goes
 * on now.  A stop there is p's stage's consumer gone.
 */
static enum flow
drain_next(struct pipe_proxy *p, enum flow f)
{
	struct stage *n = p->base.next;
	enum flow g;

	if (n == NULL || n->ops != &proxy_ops ||
	    ((struct pipe_proxy *)n)->coallen == 0)
		return f;
	g = coal_drain((struct pipe_proxy *)n);
	return f != FLOW_GO ? f : latch(p, g);
}

static enum flow
proxy_out(void *ctx, const char *data, size_t len)
{
	struct pipe_proxy *p = ctx;
	enum flow f;

	if (!p->coalesce || p->gone)
		return proxy_forward(p, data, len);
	if (len >= COALESCE_DIRECT || p->coallen + len > COALESCE_SIZE) {
		if ((f = coal_drain(p)) != FLOW_GO || len >= COALESCE_DIRECT)
			return f != FLOW_GO ? f : proxy_forward(p, data, len);
	}
	if (grow(&p->coal, &p->coalcap, p->coallen + len, COALESCE_SIZE) <
	    0) {
		diag_errno(p->own->name, ENOMEM, "line buffer");
		return FLOW_ERROR;
	}
	memcpy(p->coal + p->coallen, data, len);
	p->coallen += len;
	return FLOW_GO;
}

static enum flow
proxy_push(struct stage *s, const char *data, size_t len)
{
	struct pipe_proxy *p = (struct pipe_proxy *)s;

	/* The first stage's input comes whole from the driver's reader. */
	if (p->index == 1 || p->index > (int)p->pl->n)
		return proxy_forward(p, data, len);
	if (p->gone)
		return p->latched;
	return linehold_push(&p->held, data, len, proxy_out, p, p->own->name);
}

static enum flow
proxy_begin(struct stage *s, const char *name)
{
	struct pipe_proxy *p = (struct pipe_proxy *)s;
	enum flow f = FLOW_GO;

	if (p->own->ops->begin) {
		book_enter(p);
		f = latch(p, p->own->ops->begin(p->own, name));
		book_leave(p);
	}
	return drain_next(p, f);
}

static enum flow
proxy_end(struct stage *s)
{
	struct pipe_proxy *p = (struct pipe_proxy *)s;
	enum flow f = FLOW_GO;

	if (p->own->ops->end) {
		book_enter(p);
		f = latch(p, p->own->ops->end(p->own));
		book_leave(p);
	}
	return drain_next(p, f);
}

static enum flow
proxy_flush(struct stage *s)
{
	struct pipe_proxy *p = (struct pipe_proxy *)s;
	enum flow f = FLOW_GO;

	if ((f = coal_drain(p)) != FLOW_GO)
		return f;
	/* A consumer gone is a closed pipe: nothing more to flush there. */
	if (p->gone || p->own->ops->flush == NULL)
		return FLOW_GO;
	book_enter(p);
	f = p->own->ops->flush(p->own);
	book_leave(p);
	return drain_next(p, f);
}

static void
proxy_close(struct stage *s)
{
	struct pipe_proxy *p = (struct pipe_proxy *)s;

	/* The driver marks the chain's first stage: that is us. */
	if (s->input_error)
		p->own->input_error = 1;
	(void)linehold_drain(&p->held, proxy_out, p);
	(void)coal_drain(p);
	book_enter(p);
	if (p->own->ops->close)
		p->own->ops->close(p->own);
	book_leave(p);
	s->status = p->own->status;
}

static void
proxy_info(struct stage *s)
{
	struct pipe_proxy *p = (struct pipe_proxy *)s;

	if (p->own->ops->info)
		p->own->ops->info(p->own);
}

static enum flow
proxy_run(struct stage *s)
{
	struct pipe_proxy *p = (struct pipe_proxy *)s;
	enum flow f;

	book_enter(p);
	f = p->own->ops->run(p->own);
	book_leave(p);
	return drain_next(p, f);
}

/*
 * The stage's own descriptors (broadcast's children) are watched while
 * input is idle, and served when ready, as in its executable.
 */
static int
proxy_wait_fds(struct stage *s, struct pollfd *pfd, int max)
{
	struct pipe_proxy *p = (struct pipe_proxy *)s;

	if (p->gone || p->own->ops->wait_fds == NULL)
		return 0;
	return p->own->ops->wait_fds(p->own, pfd, max);
}

static enum flow
proxy_wake(struct stage *s)
{
	struct pipe_proxy *p = (struct pipe_proxy *)s;
	enum flow f;

	if (p->gone || p->own->ops->wake == NULL)
		return FLOW_GO;
	book_enter(p);
	f = latch(p, p->own->ops->wake(p->own));
	book_leave(p);
	return drain_next(p, f);
}

/*
 * In front of the sink, what the last stage pushes goes to the writer
 * as it is: the stage may ask it about the output as in its executable
 * (writer.h), and write around us when we have nothing to count.
 */
static struct stage *
proxy_writer(struct stage *s, int direct)
{
	struct pipe_proxy *p = (struct pipe_proxy *)s;

	if (p->index <= (int)p->pl->n || (direct && p->pl->flags != 0))
		return NULL;
	return writer_of(p->own, direct);
}

static long long
proxy_deadline(struct stage *s)
{
	struct pipe_proxy *p = (struct pipe_proxy *)s;

	if (p->gone || p->own->ops->deadline == NULL)
		return -1;
	return p->own->ops->deadline(p->own);
}

static void
proxy_destroy(struct stage *s)
{
	struct pipe_proxy *p = (struct pipe_proxy *)s;

	if (p->own != NULL) {
		p->own->next = NULL;
		chain_destroy(p->own);
	}
	linehold_free(&p->held);
	free(p->coal);
	free(p);
}

static const struct stage_ops proxy_ops = {
	.begin = proxy_begin,
	.end = proxy_end,
	.push = proxy_push,
	.flush = proxy_flush,
	.close = proxy_close,
	.info = proxy_info,
	.run = proxy_run,
	.wait_fds = proxy_wait_fds,
	.wake = proxy_wake,
	.deadline = proxy_deadline,
	.destroy = proxy_destroy,
	.writer = proxy_writer,
};

static struct pipe_proxy *
proxy_new(struct pipeline *pl, int index)
{
	struct pipe_proxy *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	p->base.ops = &proxy_ops;
	p->pl = pl;
	p->index = index;
	return p;
}

/* Parsing */

static int
parse_stage(struct pipeline *pl, size_t i, struct word *w, size_t nw)
{
	struct pipe_stage *ps = &pl->st[i];
	size_t k;
	int n;

	if (nw == 0) {
		diag(pl->prog, "stage %zu is empty", i + 1);
		return PARSE_ERROR;
	}
	if ((ps->def = stage_lookup(w[0].s)) == NULL) {
		char q[256];

		diag(pl->prog, "stage %zu: unknown command '%s'", i + 1,
		    diag_quote(q, w[0].s, w[0].len, 48));
		return PARSE_ERROR;
	}
	n = snprintf(NULL, 0, "%s: stage %zu (%s)", pl->prog, i + 1,
	    ps->def->name);
	if ((ps->prog = malloc(n + 1)) == NULL ||
	    (ps->argv = calloc(nw + 1, sizeof(char *))) == NULL) {
		diag_errno(pl->prog, ENOMEM, "parse");
		return PARSE_ERROR;
	}
	snprintf(ps->prog, n + 1, "%s: stage %zu (%s)", pl->prog, i + 1,
	    ps->def->name);
	for (k = 0; k < nw; k++)
		ps->argv[k] = w[k].s;
	ps->argc = (int)nw;
	{
		/* Sub-pipelines it parses (broadcast -c) become ps's. */
		struct parse_ctx ctx = { ps->prog, pl, ps };

		return ps->def->parse(ps->argc, ps->argv, &ctx, &ps->args);
	}
}

/*
 * A stage after the first reads what the stage before it writes.  In a
 * shell a later stage given FILE operands would ignore that output and
 * read its files; inside one process there is no such pipe to leave
 * unread, so pipe refuses it instead of guessing.  "-" alone is fine:
 * it is the upstream output, as in the shell.
 */
static int
check_operands(struct pipeline *pl, size_t i)
{
	const struct stage_args *a = pl->st[i].args;
	char q[256];

	if ((i == 0 && !pl->fed) || a->noperands == 0 ||
	    (a->noperands == 1 && strcmp(a->operands[0], "-") == 0))
		return 0;
	diag_quote(q, a->operands[0], strlen(a->operands[0]), 48);
	if (i == 0)
		diag(pl->st[i].prog, "FILE operand '%s' not allowed: a "
		    "command run in-process reads the lines given to it", q);
	else
		diag(pl->st[i].prog, "FILE operand '%s' not allowed: only "
		    "stage 1 reads files, stage %zu reads stage %zu's output",
		    q, i + 1, i);
	return -1;
}

static int
parse_words(struct pipeline *pl)
{
	struct words *ws = &pl->words;
	size_t i, k, start, nst = 1;
	int status = PARSE_OK, r;

	for (k = 0; k < ws->n; k++)
		nst += ws->w[k].pipe;
	if ((pl->st = calloc(nst, sizeof(*pl->st))) == NULL) {
		diag_errno(pl->prog, ENOMEM, "parse");
		return PARSE_ERROR;
	}
	pl->n = nst;
	for (i = 0, start = 0; i < nst; i++) {
		for (k = start; k < ws->n && !ws->w[k].pipe; k++)
			;
		r = parse_stage(pl, i, ws->w + start, k - start);
		if (r == PARSE_OK && check_operands(pl, i) < 0)
			r = PARSE_ERROR;
		if (r == PARSE_ERROR || r == PARSE_FAILED)
			status = PARSE_ERROR;
		else if (r == PARSE_EXIT && status == PARSE_OK)
			return PARSE_EXIT;
		start = k + 1;
	}
	return status;
}

int
pipeline_parse(struct pipeline *pl, const char *prog, const char *text,
    size_t len, const char *where)
{
	char err[128];
	int line;

	memset(pl, 0, sizeof(*pl));
	pl->prog = prog;
	if (words_split(text, len, &pl->words, err, sizeof(err), &line) < 0) {
		if (where != NULL)
			diag(prog, "%s:%d: %s", where, line, err);
		else
			diag(prog, "line %d: %s", line, err);
		return PARSE_ERROR;
	}
	if (pl->words.n == 0) {
		diag(prog, "empty pipeline");
		return PARSE_ERROR;
	}
	return parse_words(pl);
}

/* Remember a command the stage ps looked at; returns r. */
static int
sub_note(struct pipe_stage *ps, const char *text, const struct pipeline *sub,
    int r)
{
	struct pipe_sub *ns;

	if (ps == NULL)
		return r;
	if ((ns = realloc(ps->subs, (ps->nsubs + 1) * sizeof(*ns))) == NULL)
		return r;	/* --explain shows less: nothing else changes */
	ps->subs = ns;
	ns[ps->nsubs].text = text;
	ns[ps->nsubs].pl = sub;
	ps->nsubs++;
	return r;
}

int
pipeline_sub_parse(struct pipeline *pl, const struct parse_ctx *ctx,
    const char *prog, const char *text)
{
	char err[128];
	int line, r;
	size_t k;

	memset(pl, 0, sizeof(*pl));
	pl->prog = prog;
	if (words_split(text, strlen(text), &pl->words, err, sizeof(err),
	    &line) < 0 || pl->words.sh_special || pl->words.n == 0)
		return sub_note(ctx->ps, text, NULL, 0);
	/* Every stage must be ours; anything else is for sh. */
	for (k = 0; k < pl->words.n; k++) {
		if (pl->words.w[k].pipe)
			continue;
		if (stage_lookup(pl->words.w[k].s) == NULL)
			return sub_note(ctx->ps, text, NULL, 0);
		while (k + 1 < pl->words.n && !pl->words.w[k + 1].pipe)
			k++;
	}
	if ((pl->parent = ctx->pl) != NULL) {
		const struct pipeline *root = pl->parent;
		size_t rl;

		while (root->parent != NULL)
			root = root->parent;
		rl = strlen(root->prog);
		pl->label = strncmp(prog, root->prog, rl) == 0 &&
		    prog[rl] == ':' && prog[rl + 1] == ' ' ? prog + rl + 2 :
		    prog;
	} else
		pl->label = prog;
	pl->fed = 1;
	r = parse_words(pl);
	if (r == PARSE_OK && pl->st[0].def->kind == STAGE_SOURCE) {
		diag(pl->st[0].prog, "a source cannot read the lines given to "
		    "it: it can only be stage 1 of the whole pipeline");
		r = PARSE_ERROR;
	}
	if (r == PARSE_EXIT)
		return 2;
	return r == PARSE_OK ? sub_note(ctx->ps, text, pl, 1) : -1;
}

/* Building */

struct stage *
pipeline_head(const struct pipeline *pl)
{
	return pl->n ? &pl->st[0].proxy->base : NULL;
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
static int
split_range(const struct pipeline *pl, size_t *from, size_t *to)
{
	size_t i, s, e, best = 0, readers = pl->n;

	if (pl->threads < 2 || pl->parent != NULL || pl->flags != 0 ||
	    pl->line_buffered)
		return 0;
	for (i = 0; i < pl->n; i++)
		if (pl->st[i].args->line_buffered)
			return 0;
	for (s = 0; s < pl->n; s++) {
		for (e = s; e < pl->n && pl->st[e].def->splittable != NULL &&
		    pl->st[e].def->splittable(pl->st[e].args, e == s); e++)
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
static int
split_workers(const struct pipeline *pl)
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
static int
split_before(const struct pipeline *pl, size_t k)
{
	size_t n = pl->n, i, from, to;

	if (pl->threads < 2 || pl->split_only || pl->parent != NULL ||
	    (pl->flags & PIPE_TRACE) || k < 2 || k > n)
		return 0;
	for (i = k - 1; i < n; i++)
		if (pl->st[i].def->serves_fds)
			return 0;
	if (split_range(pl, &from, &to))
		return 0;	/* the threads go to the copies */
	if ((size_t)pl->threads >= n)
		return 1;		/* a thread a stage */
	/* threads - 1 boundaries, spread evenly over the n - 1 places */
	return (k - 1) * (size_t)pl->threads / n !=
	    (k - 2) * (size_t)pl->threads / n;
}

/*
 * Stages [from, to) as a split in front of *next: proxy from fronts the
 * split, and its next is *next, so the chain's walks skip the copies,
 * which the split serves itself.  Copy 0's stages are the pipeline's
 * (st[k].stage), for the statuses the split leaves in them.
 */
static int
build_split(struct pipeline *pl, size_t from, size_t to, struct stage **next)
{
	struct pipe_stage *ps = &pl->st[from];
	struct stage *sp, *into, *st;
	int w, nw = split_workers(pl);
	size_t k;

	if ((sp = split_create(*next, nw, (int)(to - from),
	    ps->def->name)) == NULL)
		return -1;
	if ((ps->proxy = proxy_new(pl, (int)from + 1)) == NULL) {
		sp->next = NULL;
		chain_destroy(sp);
		return -1;
	}
	ps->proxy->base.next = *next;
	ps->proxy->own = sp;
	pl->built = *next = &ps->proxy->base;
	for (w = 0; w < split_copies(sp); w++) {
		into = split_sink(sp, w);
		for (k = to; k-- > from;) {
			if ((st = pl->st[k].def->create(pl->st[k].args,
			    into)) == NULL)
				return -1;
			split_set_stage(sp, w, (int)(k - from), st);
			if (w == 0)
				pl->st[k].stage = st;
			into = st;
		}
	}
	ps->proxy->base.name = ps->stage->name;
	return 0;
}

int
pipeline_build(struct pipeline *pl, struct stage *sink, int flags)
{
	struct pipe_stage *last = &pl->st[pl->n - 1];
	struct stage *next, *into, *below = NULL;
	size_t i, from = 0, to = 0;
	int split;

	pl->flags = pl->parent ? pl->parent->flags : flags;
	flags = pl->flags;
	if (sink == NULL && (sink = writer_create(last->def->name,
	    STDOUT_FILENO, last->args->line_buffered || pl->line_buffered ?
	    1 : -1)) == NULL)
		goto nomem;
	if ((pl->out_proxy = proxy_new(pl, (int)pl->n + 1)) == NULL) {
		chain_destroy(sink);
		goto nomem;
	}
	pl->sink = sink;
	pl->out_proxy->own = sink;
	pl->out_proxy->base.name = sink->name;
	pl->built = next = &pl->out_proxy->base;
	split = split_range(pl, &from, &to);
	for (i = pl->n; i-- > 0;) {
		struct pipe_stage *ps = &pl->st[i];

		/* next is the front of stage i + 2 (1-based), made before */
		if (split_before(pl, i + 2)) {
			struct stage *h = handoff_create(next, next->name,
			    flags & PIPE_STATS ? &hooks_stats : &hooks_plain);

			if (h == NULL)
				goto nomem;
			if (below != NULL)
				handoff_link(h, below);
			pl->st[i + 1].handoff = h;
			pl->built = next = below = h;
		}
		if (split && i + 1 == to) {
			if (build_split(pl, from, to, &next) < 0)
				goto nomem;
			i = from;	/* on with stage from - 1 */
			continue;
		}
		if ((ps->proxy = proxy_new(pl, (int)i + 1)) == NULL)
			goto nomem;
		ps->proxy->base.next = next;
		/*
		 * A sub-pipeline's last stage without --stats or --trace
		 * pushes straight into the caller's sink, a call a line
		 * saved: the proxy still closes, flushes and frees it.
		 */
		into = i + 1 == pl->n && pl->fed && flags == 0 ? sink : next;
		if ((ps->stage = ps->def->create(ps->args, into)) == NULL) {
			ps->proxy->base.next = NULL;
			proxy_destroy(&ps->proxy->base);
			ps->proxy = NULL;
			goto nomem;
		}
		ps->proxy->own = ps->stage;
		ps->proxy->base.name = ps->stage->name;
		/* fed by the stage before on this thread, line runs and all */
		ps->proxy->coalesce = i > 0 && flags == 0 && pl->parent == NULL &&
		    !split_before(pl, i + 1);
		pl->built = next = &ps->proxy->base;
		if (i > 0 && ps->stage->ops->push == NULL) {
			diag(ps->prog, "cannot read stage %zu's output: "
			    "a source can only be stage 1", i);
			return -1;
		}
	}
	if (flags & PIPE_STATS) {
		free(pl->self);
		if ((pl->self = calloc(pl->n + 2, sizeof(double))) == NULL)
			goto nomem;
	}
	return 0;
nomem:
	diag_errno(pl->prog, ENOMEM, "cannot start");
	return -1;
}

/* Running */

int
pipeline_run(struct pipeline *pl)
{
	driver_run(pipeline_head(pl), pl->st[0].args);
	return pipeline_status(pl);
}

int
pipeline_status(const struct pipeline *pl)
{
	int status = 0;
	size_t i;

	for (i = 0; i < pl->n; i++) {
		const struct pipe_proxy *after = i + 1 < pl->n ?
		    pl->st[i + 1].proxy : pl->out_proxy;
		int s = pl->st[i].stage ? pl->st[i].stage->status : 0;

		/* Its reader went away: the executable sees EPIPE, exit 0. */
		if (after != NULL && after->gone)
			s = 0;
		/* Its output could not be handed to the next thread. */
		if (i + 1 < pl->n && pl->st[i + 1].handoff != NULL &&
		    pl->st[i + 1].handoff->status)
			s = pl->st[i + 1].handoff->status;
		/* The writer is the last executable's own stdout. */
		if (i + 1 == pl->n && pl->sink != NULL && pl->sink->status)
			s = pl->sink->status;
		if (s != 0)
			status = s;
	}
	return status;
}

void
pipeline_stats(const struct pipeline *pl)
{
	size_t i;

	for (i = 0; i < pl->n; i++) {
		const struct pipe_proxy *in = pl->st[i].proxy;
		const struct pipe_proxy *out = i + 1 < pl->n ?
		    pl->st[i + 1].proxy : pl->out_proxy;

		if (in == NULL || out == NULL)
			continue;
		fprintf(stderr, "%s: stage %zu (%s): in=%llu out=%llu "
		    "time=%.3fs\n", pl->prog, i + 1, pl->st[i].def->name,
		    (unsigned long long)in->lines,
		    (unsigned long long)out->lines,
		    pl->self ? pl->self[i + 1] : 0.0);
		/* Its in-process commands, under their own prefix. */
		for (size_t k = 0; k < pl->st[i].nsubs; k++)
			if (pl->st[i].subs[k].pl != NULL)
				pipeline_stats(pl->st[i].subs[k].pl);
	}
	fflush(stderr);
}

/* Explaining */

void
shell_quote(FILE *fp, const char *w)
{
	const char *p;

	if (*w != '\0' && w[strspn(w, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-")] == '\0') {
		fputs(w, fp);
		return;
	}
	fputc('\'', fp);
	for (p = w; *p; p++) {
		if (*p == '\'')
			fputs("'\\''", fp);
		else
			fputc(*p, fp);
	}
	fputc('\'', fp);
}

/*
 * One line a stage; under a stage, each of its commands (broadcast -c)
 * and, for one run in-process, its stages indented further.
 */
static void
explain_stages(const struct pipeline *pl, FILE *fp, int indent)
{
	size_t i, j, from = 0, to = 0;
	int k, thread = 1, split = split_range(pl, &from, &to);

	for (i = 0; i < pl->n; i++) {
		const struct pipe_stage *ps = &pl->st[i];

		if (split && i == to)
			fprintf(fp, "%*send of split\n", indent, "");
		if (split_before(pl, i + 1))
			fprintf(fp, "%*sthread %d:\n", indent, "", ++thread);
		if (split && i == from)
			fprintf(fp, "%*ssplit over %d worker thread%s (a "
			    "copy of each stage on each, batches in turn, "
			    "output in order):\n", indent, "", split_workers(pl),
			    split_workers(pl) == 1 ? "" : "s");

		fprintf(fp, "%*sstage %zu (%s):", indent, "", i + 1,
		    ps->def->name);
		if (ps->args->explain != NULL) {
			char buf[1024];

			buf[0] = '\0';
			ps->args->explain(ps->args, buf, sizeof(buf));
			fprintf(fp, " %s", buf);
		} else {
			for (k = 1; k < ps->argc; k++) {
				fputc(' ', fp);
				shell_quote(fp, ps->argv[k]);
			}
		}
		fputc('\n', fp);
		for (j = 0; j < ps->nsubs; j++) {
			fprintf(fp, "%*scommand ", indent + 2, "");
			shell_quote(fp, ps->subs[j].text);
			if (ps->subs[j].pl == NULL) {
				fputs(": through sh -c\n", fp);
				continue;
			}
			fputs(": in-process, its output merged in order\n", fp);
			explain_stages(ps->subs[j].pl, fp, indent + 4);
		}
	}
	if (split && to == pl->n)
		fprintf(fp, "%*send of split\n", indent, "");
}

void
pipeline_explain(const struct pipeline *pl, FILE *fp)
{
	const struct stage_args *first = pl->st[0].args;
	int k;

	if (first->def->kind == STAGE_SOURCE)
		fprintf(fp, "input: produced by stage 1 (%s)\n",
		    first->def->name);
	else if (first->noperands == 0)
		fprintf(fp, "input: standard input\n");
	else {
		fprintf(fp, "input: %s",
		    first->def->concat_files ? "one stream of" : "file by file,");
		for (k = 0; k < first->noperands; k++) {
			fputc(' ', fp);
			shell_quote(fp, first->operands[k]);
		}
		fputc('\n', fp);
	}
	explain_stages(pl, fp, 0);
	fprintf(fp, "output: standard output, %s\n",
	    pl->st[pl->n - 1].args->line_buffered || pl->line_buffered ?
	    "line-buffered" :
	    "block-buffered (line-buffered on a terminal)");
}

void
pipeline_free(struct pipeline *pl)
{
	size_t i;

	/* All built or not, what was is one chain from its front. */
	chain_destroy(pl->built);
	for (i = 0; i < pl->n && pl->st != NULL; i++) {
		args_free(pl->st[i].args);
		free(pl->st[i].argv);
		free(pl->st[i].prog);
		free(pl->st[i].subs);
	}
	free(pl->st);
	words_free(&pl->words);
	free(pl->self);
	memset(pl, 0, sizeof(*pl));
}
