/*
 * handoff: a thread boundary inside a chain (handoff.h).
 *
 * One mutex guards the queue; the pushing thread fills one buffer of its
 * own and queues it when the next push would not fit, so a worker is
 * woken once per HANDOFF_BUFSIZE bytes, not once per run of lines.  A
 * sleeping side is woken only when half the buffers are there for it
 * (or at a flush or the end): waking per buffer made two threads
 * ping-pong through the scheduler, a context switch for every 128 KiB.
 * A push longer than a buffer (follow's batches, a long line) crosses in
 * buffer-sized pieces, so the memory in flight is fixed.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "handoff.h"
#include "monotime.h"
#include "signals.h"

/*
 * Big enough to amortise a wake-up, small enough to stay in cache; 32
 * KiB to 256 KiB and 4 to 16 buffers measured alike (1 GiB, 4 stages).
 */
#define HANDOFF_BUFSIZE	(128 * 1024)
/* Buffers in flight: the queue's depth, and its memory bound. */
#define HANDOFF_NBUF	8
#define HANDOFF_WAKE	(HANDOFF_NBUF / 2)

struct hbuf {
	struct hbuf	*next;
	char		*data;
	size_t		 len;		/* of HANDOFF_BUFSIZE */
	int		 flush;		/* flush down after pushing it */
};

struct handoff {
	struct stage	 base;		/* next is NULL: see handoff.h */
	struct stage	*down;		/* owned */
	const struct handoff_hooks *hooks;
	struct handoff	*above;		/* whose worker pushes into us */
	struct handoff	*below;		/* into which our worker pushes */

	pthread_t	 thread;
	int		 started;	/* the worker runs (until joined) */
	int		 direct;	/* no worker any more (joined, or none
					   could start): pass straight through */
	int		 efd;		/* readable once flow is not GO */

	struct hbuf	*cur;		/* being filled by the pusher */
	int		 dirty;		/* pushed since the last flush */

	pthread_mutex_t	 mu;
	pthread_cond_t	 ready;		/* queue non-empty, end, or info */
	pthread_cond_t	 room;		/* a buffer came back, a flush done */
	struct hbuf	*head, *tail;	/* queued for the worker */
	struct hbuf	*spare;		/* returned by the worker */
	int		 nbuf;		/* allocated, queued or not */
	int		 queued, nspare;
	int		 worker_asleep, pusher_asleep;
	int		 end;
	int		 gone;		/* the worker is done with all */
	int		 info;		/* SIGUSR1 to pass on */
	int		 poked;		/* below latched a stop */
	unsigned	 flushes, flushed;	/* asked for, and done */
	_Atomic int	 flow;		/* latched from down */
};

static void
hbuf_free(struct hbuf *b)
{
	if (b != NULL) {
		free(b->data);
		free(b);
	}
}

/*
 * Latch a stop or error from down, and wake whoever feeds us: a source
 * waiting for input (the eventfd), or the worker above us, idle on its
 * queue.
 */
static void
latch(struct handoff *h, enum flow f)
{
	int expect = FLOW_GO;
	uint64_t one = 1;

	if (f == FLOW_GO ||
	    !atomic_compare_exchange_strong(&h->flow, &expect, (int)f))
		return;
	if (h->efd >= 0)
		(void)!write(h->efd, &one, sizeof(one));
	if (h->above != NULL) {
		pthread_mutex_lock(&h->above->mu);
		h->above->poked = 1;
		pthread_cond_signal(&h->above->ready);
		pthread_mutex_unlock(&h->above->mu);
	}
}

/*
 * Take a stop that came up from further down behind down's back: down is
 * told (as its stage would have been by its next push), then it is
 * latched here.  Called by the thread that owns down.
 */
static void
hand_up(struct handoff *h, enum flow f)
{
	if (atomic_load(&h->flow) != FLOW_GO)
		return;
	if (h->hooks && h->hooks->stopped)
		h->hooks->stopped(h->down, f);
	latch(h, f);
}

/*
 * A stop latched here that no worker above passed up (it had pushed all
 * it had, or ended, before the stop came): pass it up now.  Called after
 * our worker is joined, when every worker above has been joined too
 * (the chain closes front to back), so their down stages are ours.
 * Without threads each stage above would have had the stop from a push;
 * so its statuses read as after a closed pipe, whatever the timing.
 */
static void
stop_above(struct handoff *h)
{
	enum flow f = atomic_load(&h->flow);
	struct handoff *a;

	if (f == FLOW_GO)
		return;
	for (a = h->above; a != NULL && atomic_load(&a->flow) == FLOW_GO;
	    a = a->above)
		hand_up(a, f);
}

/*
 * Wait for the queue until due (monotime_ms()); 1 when due came first.
 * ready runs on CLOCK_MONOTONIC (handoff_create).
 */
static int
idle_until(struct handoff *h, long long due)
{
	struct timespec ts;

	if (due <= monotime_ms())
		return 1;
	ts.tv_sec = due / 1000;
	ts.tv_nsec = due % 1000 * 1000000L;
	return pthread_cond_timedwait(&h->ready, &h->mu, &ts) == ETIMEDOUT &&
	    h->head == NULL && !h->end && !h->info && !h->poked;
}

static void *
worker(void *arg)
{
	struct handoff *h = arg;
	struct hbuf *b;

	pthread_mutex_lock(&h->mu);
	for (;;) {
		while (h->head == NULL && !h->end && !h->info && !h->poked) {
			long long due = chain_deadline(h->down);

			h->worker_asleep = 1;
			if (due >= 0 && idle_until(h, due)) {
				/* a stage's deadline (printer --every): its
				   lines go out at once, as the driver's do */
				h->worker_asleep = 0;
				pthread_mutex_unlock(&h->mu);
				if (atomic_load(&h->flow) == FLOW_GO) {
					enum flow f = chain_wake(h->down);

					latch(h, f == FLOW_GO ?
					    chain_flush(h->down) : f);
				}
				pthread_mutex_lock(&h->mu);
				continue;
			}
			if (due < 0)
				pthread_cond_wait(&h->ready, &h->mu);
			h->worker_asleep = 0;
		}
		if (h->info) {
			h->info = 0;
			pthread_mutex_unlock(&h->mu);
			chain_info(h->down);
			pthread_mutex_lock(&h->mu);
			continue;
		}
		if (h->poked) {
			enum flow f = atomic_load(&h->below->flow);

			h->poked = 0;
			pthread_mutex_unlock(&h->mu);
			hand_up(h, f);
			pthread_mutex_lock(&h->mu);
			continue;
		}
		if ((b = h->head) == NULL) {
			/* the end, and all pushed */
			h->gone = 1;
			pthread_cond_signal(&h->room);
			break;
		}
		if ((h->head = b->next) == NULL)
			h->tail = NULL;
		h->queued--;
		pthread_mutex_unlock(&h->mu);
		/* After a stop what comes is dropped, as into a closed pipe. */
		if (atomic_load(&h->flow) == FLOW_GO) {
			enum flow f = stage_push(h->down, b->data, b->len);

			if (f == FLOW_GO && b->flush)
				f = chain_flush(h->down);
			latch(h, f);
		}
		pthread_mutex_lock(&h->mu);
		if (b->flush) {
			h->flushed++;
			pthread_cond_signal(&h->room);
		}
		b->next = h->spare;
		h->spare = b;
		h->nspare++;
		if (h->pusher_asleep && (h->nspare + HANDOFF_NBUF - h->nbuf >=
		    HANDOFF_WAKE || h->head == NULL))
			pthread_cond_signal(&h->room);
	}
	pthread_mutex_unlock(&h->mu);
	return NULL;
}

static int
start(struct handoff *h)
{
	h->started = signals_thread(&h->thread, worker, h) == 0;
	if (!h->started)
		h->direct = 1;
	return h->started;
}

/* Queue cur (it may be empty: a flush alone).  Called unlocked. */
static void
send(struct handoff *h, struct hbuf *b)
{
	b->next = NULL;
	pthread_mutex_lock(&h->mu);
	if (h->tail != NULL)
		h->tail->next = b;
	else
		h->head = b;
	h->tail = b;
	h->queued++;
	h->flushes += b->flush;
	if (h->worker_asleep && (h->queued >= HANDOFF_WAKE || b->flush))
		pthread_cond_signal(&h->ready);
	pthread_mutex_unlock(&h->mu);
}

/* An empty buffer to fill; waits for one to come back.  NULL: no memory. */
static struct hbuf *
take(struct handoff *h)
{
	struct hbuf *b = NULL;
	int waited = 0;

	pthread_mutex_lock(&h->mu);
	while (h->spare == NULL && h->nbuf >= HANDOFF_NBUF) {
		if (!waited && h->hooks && h->hooks->waiting)
			h->hooks->waiting(1);
		waited = 1;
		/* It may sleep for HANDOFF_WAKE buffers: let it have them. */
		if (h->worker_asleep)
			pthread_cond_signal(&h->ready);
		h->pusher_asleep = 1;
		signals_cond_wait(&h->room, &h->mu, h->thread);
		h->pusher_asleep = 0;
	}
	if (h->spare != NULL) {
		b = h->spare;
		h->spare = b->next;
		h->nspare--;
	} else
		h->nbuf++;
	pthread_mutex_unlock(&h->mu);
	if (waited && h->hooks && h->hooks->waiting)
		h->hooks->waiting(0);
	if (b == NULL && ((b = calloc(1, sizeof(*b))) == NULL ||
	    (b->data = malloc(HANDOFF_BUFSIZE)) == NULL)) {
		hbuf_free(b);
		pthread_mutex_lock(&h->mu);
		h->nbuf--;
		pthread_mutex_unlock(&h->mu);
		return NULL;
	}
	b->len = 0;
	b->flush = 0;
	return b;
}

/* No buffer to hand over: this push's bytes are lost, exit 2. */
static enum flow
no_buffer(struct stage *s)
{
	diag_errno(s->name, ENOMEM, "thread buffer");
	s->status = 2;
	return FLOW_ERROR;
}

static enum flow
handoff_push(struct stage *s, const char *data, size_t len)
{
	struct handoff *h = (struct handoff *)s;
	enum flow f;

	if (h->direct)
		return stage_push(h->down, data, len);
	if ((f = atomic_load(&h->flow)) != FLOW_GO)
		return f;
	if (!h->started && !start(h))
		return stage_push(h->down, data, len);
	/* Runs of lines stay whole in one buffer when they fit in one. */
	if (h->cur != NULL && h->cur->len + len > HANDOFF_BUFSIZE) {
		send(h, h->cur);
		h->cur = NULL;
	}
	h->dirty = 1;
	while (len > 0) {
		size_t n;

		if (h->cur == NULL && (h->cur = take(h)) == NULL)
			return no_buffer(s);
		n = HANDOFF_BUFSIZE - h->cur->len;
		if (n > len)
			n = len;
		memcpy(h->cur->data + h->cur->len, data, n);
		h->cur->len += n;
		data += n;
		len -= n;
		if (h->cur->len == HANDOFF_BUFSIZE) {
			send(h, h->cur);
			h->cur = NULL;
		}
	}
	return FLOW_GO;
}

static enum flow
handoff_flush(struct stage *s)
{
	struct handoff *h = (struct handoff *)s;

	if (!h->started)
		return chain_flush(h->down);
	if (h->dirty) {
		struct hbuf *b = h->cur;

		if (b == NULL && (b = take(h)) == NULL)
			return no_buffer(s);
		h->cur = NULL;
		b->flush = 1;
		h->dirty = 0;
		send(h, b);
		/*
		 * Flushed means written, as without threads: the caller is
		 * about to wait for input (or, follow --state, to record
		 * what is out), so waiting for the worker costs nothing.
		 */
		pthread_mutex_lock(&h->mu);
		while (h->flushed != h->flushes) {
			h->pusher_asleep = 1;
			signals_cond_wait(&h->room, &h->mu, h->thread);
			h->pusher_asleep = 0;
		}
		pthread_mutex_unlock(&h->mu);
	}
	return atomic_load(&h->flow);
}

/*
 * Queue the end after what is pending and wait for the worker to go;
 * from then on pushes pass straight through.
 */
static void
finish(struct handoff *h)
{
	if (h->started) {
		if (h->cur != NULL) {
			send(h, h->cur);
			h->cur = NULL;
		}
		pthread_mutex_lock(&h->mu);
		h->end = 1;
		pthread_cond_signal(&h->ready);
		/* not a bare join: the worker may need a kick (SIGTERM) */
		while (!h->gone)
			signals_cond_wait(&h->room, &h->mu, h->thread);
		pthread_mutex_unlock(&h->mu);
		pthread_join(h->thread, NULL);
		h->started = 0;
	}
	h->direct = 1;
}

static void
handoff_close(struct stage *s)
{
	struct handoff *h = (struct handoff *)s;

	finish(h);
	stop_above(h);
	/* From here on down is ours: close it in order, as one chain. */
	chain_close(h->down);
}

/* Before its worker starts, the stages after it are the caller's. */
static long long
handoff_deadline(struct stage *s)
{
	struct handoff *h = (struct handoff *)s;

	return h->started ? -1 : chain_deadline(h->down);
}

static void
handoff_info(struct stage *s)
{
	struct handoff *h = (struct handoff *)s;

	if (!h->started) {
		chain_info(h->down);
		return;
	}
	pthread_mutex_lock(&h->mu);
	h->info = 1;
	pthread_cond_signal(&h->ready);
	pthread_mutex_unlock(&h->mu);
}

static int
handoff_wait_fds(struct stage *s, struct pollfd *pfd, int max)
{
	struct handoff *h = (struct handoff *)s;

	if (!h->started)
		return chain_wait_fds(h->down, pfd, max);
	if (max < 1 || h->efd < 0)
		return 0;
	pfd[0] = (struct pollfd){ .fd = h->efd, .events = POLLIN };
	return 1;
}

static enum flow
handoff_wake(struct stage *s)
{
	struct handoff *h = (struct handoff *)s;
	uint64_t n;

	if (!h->started)
		return chain_wake(h->down);
	if (atomic_load(&h->flow) != FLOW_GO)
		(void)!read(h->efd, &n, sizeof(n));
	return atomic_load(&h->flow);
}

static void
handoff_destroy(struct stage *s)
{
	struct handoff *h = (struct handoff *)s;
	struct hbuf *b;

	finish(h);	/* never closed (a failed start): no worker left */
	while ((b = h->head) != NULL) {
		h->head = b->next;
		hbuf_free(b);
	}
	while ((b = h->spare) != NULL) {
		h->spare = b->next;
		hbuf_free(b);
	}
	hbuf_free(h->cur);
	chain_destroy(h->down);
	if (h->efd >= 0)
		close(h->efd);
	pthread_mutex_destroy(&h->mu);
	pthread_cond_destroy(&h->ready);
	pthread_cond_destroy(&h->room);
	free(h);
}

static const struct stage_ops handoff_ops = {
	.push = handoff_push,
	.flush = handoff_flush,
	.close = handoff_close,
	.info = handoff_info,
	.wait_fds = handoff_wait_fds,
	.wake = handoff_wake,
	.deadline = handoff_deadline,
	.destroy = handoff_destroy,
};

struct stage *
handoff_create(struct stage *down, const char *name,
    const struct handoff_hooks *hooks)
{
	pthread_condattr_t ca;
	struct handoff *h;

	if ((h = stage_alloc(sizeof(*h), &handoff_ops, NULL, name)) == NULL)
		return NULL;
	h->down = down;
	h->hooks = hooks;
	h->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	pthread_mutex_init(&h->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&h->ready, &ca);
	pthread_condattr_destroy(&ca);
	pthread_cond_init(&h->room, NULL);
	atomic_init(&h->flow, FLOW_GO);
	return &h->base;
}

void
handoff_link(struct stage *above, struct stage *below)
{
	((struct handoff *)above)->below = (struct handoff *)below;
	((struct handoff *)below)->above = (struct handoff *)above;
}
