/*
 * handoff: bytes cross the thread boundary whole and in order, a flush is
 * done when it returns, a stop comes back up (also between two handoffs
 * at close), and close leaves the rest of the chain closed behind it.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "handoff.h"
#include "tap.h"

/* A sink that keeps what it is given and may stop after limit bytes. */
struct keep {
	struct stage	 base;
	char		*buf;
	size_t		 len, cap, limit;
	int		 flushes, closes;
	pthread_t	 who;		/* the thread of the last push */
};

static enum flow
keep_push(struct stage *s, const char *data, size_t len)
{
	struct keep *k = (struct keep *)s;

	if (k->len + len > k->cap) {
		k->cap = (k->len + len) * 2;
		k->buf = realloc(k->buf, k->cap);
	}
	memcpy(k->buf + k->len, data, len);
	k->len += len;
	k->who = pthread_self();
	return k->limit && k->len >= k->limit ? FLOW_STOP : FLOW_GO;
}

static enum flow
keep_flush(struct stage *s)
{
	((struct keep *)s)->flushes++;
	return FLOW_GO;
}

static void
keep_close(struct stage *s)
{
	((struct keep *)s)->closes++;
}

static void
keep_destroy(struct stage *s)
{
	free(((struct keep *)s)->buf);
	free(s);
}

static const struct stage_ops keep_ops = {
	.push = keep_push,
	.flush = keep_flush,
	.close = keep_close,
	.destroy = keep_destroy,
};

static struct keep *
keep_new(size_t limit)
{
	struct keep *k = stage_alloc(sizeof(*k), &keep_ops, NULL, "keep");

	k->limit = limit;
	return k;
}

/* A stage that passes its input on (to a handoff, as a stage would). */
static enum flow
pass_push(struct stage *s, const char *data, size_t len)
{
	return stage_push(s->next, data, len);
}

static const struct stage_ops pass_ops = {
	.push = pass_push,
};

int
main(void)
{
	static char line[] = "0123456789abcdef0123456789abcdef0123456789\n";
	size_t want = 0;
	struct keep *k = keep_new(0), *k2;
	struct stage *h = handoff_create(&k->base, "h", NULL), *h1, *h2, *p;
	char *big = malloc(1000000);
	enum flow f = FLOW_GO;
	int i, same = 1;

	for (i = 0; i < 100000 && f == FLOW_GO; i++, want += sizeof(line) - 1)
		f = stage_push(h, line, sizeof(line) - 1);
	memset(big, 'x', 999999);
	big[999999] = '\n';
	f = stage_push(h, big, 1000000);	/* larger than a buffer */
	want += 1000000;
	ok(f == FLOW_GO, "pushes go on while the worker keeps up");
	ok(chain_flush(h) == FLOW_GO && k->len == want && k->flushes == 1,
	    "a flush returns once everything before it is through");
	ok(!pthread_equal(k->who, pthread_self()),
	    "the stage after the handoff ran on another thread");
	for (i = 0; i < 100000 && same; i++)
		same = memcmp(k->buf + i * (sizeof(line) - 1), line,
		    sizeof(line) - 1) == 0;
	ok(same && memcmp(k->buf + want - 1000000, big, 1000000) == 0,
	    "bytes whole and in order");
	chain_close(h);
	ok(k->closes == 1, "close closes the rest of the chain");
	ok(stage_push(h, "z\n", 2) == FLOW_GO && k->len == want + 2 &&
	    pthread_equal(k->who, pthread_self()),
	    "after close, pushes pass straight through");
	chain_destroy(h);

	/* Two handoffs: a stop at the end reaches the first one. */
	k2 = keep_new(4096);
	h2 = handoff_create(&k2->base, "h2", NULL);
	p = stage_alloc(sizeof(struct stage), &pass_ops, h2, "pass");
	h1 = handoff_create(p, "h1", NULL);
	handoff_link(h1, h2);
	for (i = 0, f = FLOW_GO; i < 200000 && f == FLOW_GO; i++)
		f = stage_push(h1, line, sizeof(line) - 1);
	if (f == FLOW_GO)
		f = chain_flush(h1);
	ok(f == FLOW_STOP && i < 200000,
	    "a stop two threads down comes back to the pusher");
	chain_close(h1);
	ok(k2->len >= 4096 && k2->len < 4096 + 2 * 131072,
	    "nothing pushed on after the stop (%zu bytes)", k2->len);
	p->next = NULL;
	chain_destroy(h1);	/* h1 owns p, p's next is h2's: free h2 too */
	chain_destroy(h2);
	free(big);
	return done_testing();
}
