/*
 * split: a run of stages split over worker threads (split.h).
 *
 * Jobs sit in a ring.  Three counters, only ever growing, say where
 * each is: jobs before `merged` were pushed on; before `handed`, given
 * to the workers (done or not); before `taken`, taken by a worker.  The
 * job at `handed` is being filled when `open`.  A slot is free again
 * once its job is merged, so at most nslot jobs are in flight: the
 * memory is bounded whatever the input.  One mutex guards the counters
 * and the done flags; each side sleeps only when it has nothing to do
 * and is woken only when it sleeps.
 *
 * A message that names a line by its place in a stage's input cannot be
 * written by a parallel copy: after the first stage, that place depends
 * on what the copies of the jobs before wrote.  So a copy defers it
 * (stage.defer_lines) and the job is run again when it is merged, in
 * order, on one more copy kept for that on the pushing thread, which is
 * told each stage's place from the bytes every job before took there.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "grow.h"
#include "signals.h"
#include "split.h"

/*
 * A job's input: hand-overs cost, so 64 and 128 KiB jobs took more CPU
 * than 512 KiB (1 GiB, 4 stages); 1 and 2 MiB measured alike and hold
 * more memory in flight (a worker has two jobs' input and output).
 */
#define SPLIT_JOB	(512 * 1024)

struct job {
	char		*in, *out;
	size_t		 inlen, incap, outlen, outcap;
	uint64_t	 off;		/* of in in the split's input */
	uint64_t	*bytes;		/* what entered each stage of the copy */
	enum flow	 flow;		/* what the copy said */
	int		 done;
	int		 nomem;		/* the collector could not keep it */
	int		 defer;		/* a copy deferred a line's message */
};

struct collector {
	struct stage	 base;
	struct job	*job;		/* being worked on */
};

struct split;

struct worker {
	struct split	*sp;
	pthread_t	 thread;
	int		 started;
	enum flow	 flow;		/* not GO: the copy takes no more */
	struct collector *sink;
	struct stage	**st;		/* the copy, front to back */
};

struct split {
	struct stage	 base;		/* next: the rest of the chain */
	int		 nw, nst, nslot;
	struct worker	*w;		/* nw workers' copies, then serial */
	struct worker	*serial;	/* runs deferring jobs again */
	uint64_t	*place;		/* each stage's input merged so far */
	struct job	*slot;
	uint64_t	 in_off;	/* bytes handed out since begin */
	int		 open;		/* the job at handed is being filled */
	int		 direct;	/* no worker: copy 0 on our thread */
	int		 started;
	enum flow	 flow;		/* latched: from next or a copy */
	int		 down_stopped;	/* next stopped */

	pthread_mutex_t	 mu;
	pthread_cond_t	 work;		/* a job handed out, or the end */
	pthread_cond_t	 done;		/* a job done */
	uint64_t	 handed, taken, merged;
	int		 idle;		/* workers asleep on work */
	int		 waiting;	/* we sleep on done */
	int		 end;
};

static struct job *
slot_of(struct split *sp, uint64_t i)
{
	return &sp->slot[i % (uint64_t)sp->nslot];
}

/* The collector: keeps what its copy writes in the job's output. */
static enum flow
collector_push(struct stage *s, const char *data, size_t len)
{
	struct job *j = ((struct collector *)s)->job;

	if (grow(&j->out, &j->outcap, j->outlen + len, 4096) < 0) {
		j->nomem = 1;
		return FLOW_ERROR;
	}
	memcpy(j->out + j->outlen, data, len);
	j->outlen += len;
	return FLOW_GO;
}

static const struct stage_ops collector_ops = {
	.push = collector_push,
};

/*
 * Job j through copy w (on whichever thread runs that copy).  place:
 * where the job's input starts at each stage after the first, when
 * known (the serial copy); else the copy defers line messages.
 */
static void
work_on(struct worker *w, struct job *j, const uint64_t *place)
{
	struct stage *head = w->st[0];
	enum flow f = w->flow;
	int k, nst = w->sp->nst;

	j->outlen = 0;
	j->nomem = 0;
	j->defer = 0;
	w->sink->job = j;
	for (k = 0; k < nst; k++) {
		j->bytes[k] = w->st[k]->bytes_in;
		w->st[k]->defer_lines = place == NULL ? &j->defer : NULL;
	}
	if (f == FLOW_GO) {
		for (k = 0; k < nst; k++)
			if (w->st[k]->ops->at != NULL && (k == 0 || place))
				w->st[k]->ops->at(w->st[k],
				    k == 0 ? j->off : place[k]);
		f = stage_push(head, j->in, j->inlen);
		if (f == FLOW_GO)
			f = chain_flush(head);
		if (j->nomem)
			diag(head->name, "%s", strerror(ENOMEM));
		w->flow = f;
	}
	for (k = 0; k < nst; k++)
		j->bytes[k] = w->st[k]->bytes_in - j->bytes[k];
	j->flow = f;
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct split *sp = w->sp;
	struct job *j;

	pthread_mutex_lock(&sp->mu);
	for (;;) {
		while (sp->taken == sp->handed && !sp->end) {
			sp->idle++;
			pthread_cond_wait(&sp->work, &sp->mu);
			sp->idle--;
		}
		if (sp->taken == sp->handed)
			break;
		j = slot_of(sp, sp->taken++);
		pthread_mutex_unlock(&sp->mu);
		work_on(w, j, NULL);
		pthread_mutex_lock(&sp->mu);
		j->done = 1;
		if (sp->waiting)
			pthread_cond_signal(&sp->done);
	}
	pthread_mutex_unlock(&sp->mu);
	return NULL;
}

/* Start the workers; with none, copy 0 works on our thread. */
static void
start(struct split *sp)
{
	int i, n = 0;

	sp->started = 1;
	for (i = 0; i < sp->nw; i++) {
		if (signals_thread(&sp->w[i].thread, worker_main,
		    &sp->w[i]) != 0)
			break;
		sp->w[i].started = 1;
		n++;
	}
	sp->direct = n == 0;
}

static void
latch(struct split *sp, enum flow f)
{
	if (f != FLOW_GO && sp->flow == FLOW_GO)
		sp->flow = f;
}

/* Push the oldest job on once it is done; wait for it when wait. */
static int
merge_one(struct split *sp, int wait)
{
	struct job *j = slot_of(sp, sp->merged);
	enum flow f;
	int k;

	pthread_mutex_lock(&sp->mu);
	while (!j->done) {
		if (!wait) {
			pthread_mutex_unlock(&sp->mu);
			return 0;
		}
		sp->waiting = 1;
		pthread_cond_wait(&sp->done, &sp->mu);
		sp->waiting = 0;
	}
	pthread_mutex_unlock(&sp->mu);
	/* every job before is merged: the places are known now */
	if (j->defer && sp->flow == FLOW_GO)
		work_on(sp->serial, j, sp->place);
	latch(sp, j->flow);
	if (sp->flow == FLOW_GO && j->outlen > 0) {
		f = stage_push(sp->base.next, j->out, j->outlen);
		if (f != FLOW_GO)
			sp->down_stopped = 1;
		latch(sp, f);
	}
	for (k = 1; k < sp->nst; k++)
		sp->place[k] += j->bytes[k];
	sp->merged++;
	return 1;
}

/* Hand the job being filled to the workers. */
static void
hand_out(struct split *sp)
{
	struct job *j = slot_of(sp, sp->handed);

	sp->open = 0;
	j->off = sp->in_off;
	sp->in_off += j->inlen;
	if (sp->direct) {
		work_on(&sp->w[0], j, NULL);
		j->done = 1;
		sp->handed++;
		sp->taken++;
		return;
	}
	pthread_mutex_lock(&sp->mu);
	j->done = 0;
	sp->handed++;
	if (sp->idle > 0)
		pthread_cond_signal(&sp->work);
	pthread_mutex_unlock(&sp->mu);
}

/* Hand out what is held and push every job on. */
static enum flow
drain(struct split *sp)
{
	if (sp->open && slot_of(sp, sp->handed)->inlen > 0)
		hand_out(sp);
	sp->open = 0;
	while (sp->merged < sp->handed)
		merge_one(sp, 1);
	return sp->flow;
}

/*
 * How much of data (whole lines) goes into a job holding have bytes:
 * up to a '\n' near SPLIT_JOB, or one whole line past it when the job
 * is empty (a long line is a job of its own); 0 when the job is full.
 */
static size_t
portion(const char *data, size_t len, size_t have)
{
	const char *nl;
	size_t room;

	if (have + len <= SPLIT_JOB)
		return len;
	room = have < SPLIT_JOB ? SPLIT_JOB - have : 0;
	if (room > 0 && (nl = memrchr(data, '\n', room)) != NULL)
		return (size_t)(nl - data) + 1;
	if (have > 0)
		return 0;
	nl = memchr(data + room, '\n', len - room);
	return nl != NULL ? (size_t)(nl - data) + 1 : len;
}

static enum flow
split_push(struct stage *s, const char *data, size_t len)
{
	struct split *sp = (struct split *)s;
	struct job *j;
	size_t n;

	if (!sp->started)
		start(sp);
	while (len > 0 && sp->flow == FLOW_GO) {
		if (!sp->open) {
			while (sp->handed - sp->merged >= (uint64_t)sp->nslot)
				merge_one(sp, 1);
			if (sp->flow != FLOW_GO)
				break;
			slot_of(sp, sp->handed)->inlen = 0;
			sp->open = 1;
		}
		j = slot_of(sp, sp->handed);
		if ((n = portion(data, len, j->inlen)) == 0) {
			hand_out(sp);
			continue;
		}
		if (grow(&j->in, &j->incap, j->inlen + n, SPLIT_JOB) < 0) {
			diag(s->name, "%s", strerror(ENOMEM));
			s->status = 2;
			latch(sp, FLOW_ERROR);
			break;
		}
		memcpy(j->in + j->inlen, data, n);
		j->inlen += n;
		data += n;
		len -= n;
		if (j->inlen >= SPLIT_JOB)
			hand_out(sp);
	}
	/* What is done already goes on, so the next stage keeps busy. */
	while (sp->merged < sp->handed && sp->flow == FLOW_GO &&
	    merge_one(sp, 0))
		;
	return sp->flow;
}

static enum flow
split_flush(struct stage *s)
{
	return drain((struct split *)s);
}

/* Each copy's stage 0 starts the file anew: offsets from 0. */
static enum flow
split_begin(struct stage *s, const char *name)
{
	struct split *sp = (struct split *)s;
	enum flow f;
	int i;

	if ((f = drain(sp)) != FLOW_GO)
		return f;
	sp->in_off = 0;
	for (i = 0; i <= sp->nw; i++) {
		struct stage *head = sp->w[i].st[0];

		if (head->ops->begin != NULL)
			latch(sp, head->ops->begin(head, name));
	}
	return sp->flow;
}

/* What a copy writes outside a job (end, close) goes on in copy order. */
static void
pass_loose(struct split *sp, struct job *j)
{
	enum flow f;

	if (sp->flow == FLOW_GO && j->outlen > 0) {
		f = stage_push(sp->base.next, j->out, j->outlen);
		if (f != FLOW_GO)
			sp->down_stopped = 1;
		latch(sp, f);
	}
	j->outlen = 0;
}

static enum flow
split_end(struct stage *s)
{
	struct split *sp = (struct split *)s;
	struct job *j;
	enum flow f;
	int i;

	if ((f = drain(sp)) != FLOW_GO)
		return f;
	/* The workers are idle: each copy is ours until the next job. */
	j = slot_of(sp, sp->handed);
	for (i = 0; i <= sp->nw; i++) {
		struct stage *head = sp->w[i].st[0];

		sp->w[i].sink->job = j;
		j->outlen = 0;
		if (head->ops->end != NULL)
			latch(sp, head->ops->end(head));
		pass_loose(sp, j);
	}
	return sp->flow;
}

static void
stop_workers(struct split *sp)
{
	int i;

	pthread_mutex_lock(&sp->mu);
	sp->end = 1;
	pthread_cond_broadcast(&sp->work);
	pthread_mutex_unlock(&sp->mu);
	for (i = 0; i < sp->nw; i++)
		if (sp->w[i].started) {
			pthread_join(sp->w[i].thread, NULL);
			sp->w[i].started = 0;
		}
}

/* 2 when any copy failed, else 0 when any selected, else 1. */
static int
combine(int a, int b)
{
	if (a >= 2 || b >= 2)
		return a > b ? a : b;
	return a < b ? a : b;
}

static void
split_close(struct stage *s)
{
	struct split *sp = (struct split *)s;
	struct job *j;
	int i, k;

	drain(sp);
	stop_workers(sp);
	j = slot_of(sp, sp->handed);
	for (i = 0; i <= sp->nw; i++) {
		struct worker *w = &sp->w[i];

		if (s->input_error)
			w->st[0]->input_error = 1;
		w->sink->job = j;
		j->outlen = 0;
		for (k = 0; k < sp->nst; k++)
			if (w->st[k]->ops->close != NULL) {
				w->st[k]->ops->close(w->st[k]);
				pass_loose(sp, j);
			}
	}
	for (k = 0; k < sp->nst; k++) {
		int st = sp->w[0].st[k]->status;

		for (i = 1; i <= sp->nw; i++)
			st = combine(st, sp->w[i].st[k]->status);
		/* Its reader went away: the executables saw EPIPE. */
		if (sp->down_stopped)
			st = 0;
		sp->w[0].st[k]->status = st;
	}
	/* Input it could not keep (no memory) is the first stage's loss:
	   the pipeline reads statuses from copy 0. */
	if (s->status >= 2)
		sp->w[0].st[0]->status = s->status;
	s->status = sp->w[0].st[0]->status;
}

static void
split_destroy(struct stage *s)
{
	struct split *sp = (struct split *)s;
	int i;

	if (sp->started)
		stop_workers(sp);
	for (i = 0; sp->w != NULL && i <= sp->nw; i++) {
		struct worker *w = &sp->w[i];

		struct stage *front = NULL;
		int k;

		/* a copy's stages point on to its collector; one built in
		   part has its front stages missing */
		for (k = 0; w->st != NULL && k < sp->nst && front == NULL; k++)
			front = w->st[k];
		if (front != NULL)
			chain_destroy(front);
		else
			free(w->sink);
		free(w->st);
	}
	for (i = 0; sp->slot != NULL && i < sp->nslot; i++) {
		free(sp->slot[i].in);
		free(sp->slot[i].out);
		free(sp->slot[i].bytes);
	}
	free(sp->slot);
	free(sp->w);
	free(sp->place);
	pthread_mutex_destroy(&sp->mu);
	pthread_cond_destroy(&sp->work);
	pthread_cond_destroy(&sp->done);
	free(sp);
}

static const struct stage_ops split_ops = {
	.begin = split_begin,
	.end = split_end,
	.push = split_push,
	.flush = split_flush,
	.close = split_close,
	.destroy = split_destroy,
};

struct stage *
split_create(struct stage *next, int nworkers, int nstages, const char *name)
{
	struct split *sp;
	int i;

	if (nworkers < 1)
		nworkers = 1;
	if (nworkers > SPLIT_MAXW)
		nworkers = SPLIT_MAXW;
	if ((sp = stage_alloc(sizeof(*sp), &split_ops, next, name)) == NULL)
		return NULL;
	pthread_mutex_init(&sp->mu, NULL);
	pthread_cond_init(&sp->work, NULL);
	pthread_cond_init(&sp->done, NULL);
	sp->nw = nworkers;
	sp->nst = nstages;
	/* two jobs a worker: one worked on, one waiting for it */
	sp->nslot = 2 * nworkers + 2;
	if ((sp->w = calloc(nworkers + 1, sizeof(*sp->w))) == NULL ||
	    (sp->slot = calloc(sp->nslot, sizeof(*sp->slot))) == NULL ||
	    (sp->place = calloc(nstages, sizeof(*sp->place))) == NULL) {
		split_destroy(&sp->base);
		return NULL;
	}
	sp->serial = &sp->w[nworkers];
	for (i = 0; i < sp->nslot; i++)
		if ((sp->slot[i].bytes = calloc(nstages,
		    sizeof(uint64_t))) == NULL) {
			split_destroy(&sp->base);
			return NULL;
		}
	for (i = 0; i <= nworkers; i++) {
		struct worker *w = &sp->w[i];

		w->sp = sp;
		if ((w->st = calloc(nstages, sizeof(*w->st))) == NULL ||
		    (w->sink = stage_alloc(sizeof(*w->sink), &collector_ops,
		    NULL, name)) == NULL) {
			split_destroy(&sp->base);
			return NULL;
		}
	}
	return &sp->base;
}

int
split_copies(const struct stage *s)
{
	return ((const struct split *)s)->nw + 1;
}

struct stage *
split_sink(struct stage *s, int w)
{
	return &((struct split *)s)->w[w].sink->base;
}

void
split_set_stage(struct stage *s, int w, int k, struct stage *st)
{
	((struct split *)s)->w[w].st[k] = st;
}
