/*
 * broadcast_route: which destination a line goes to (see
 * broadcast_int.h).  Without a mode every destination takes every
 * line; --round-robin, --key and --balance give each line to exactly
 * one of them.  A push returns only once every live command's queue is
 * under its cap again: that is the back-pressure on the input.
 */
#include <sys/ioctl.h>

#include <poll.h>
#include <stdint.h>
#include <string.h>

#include "broadcast_int.h"
#include "monotime.h"
#include "signals.h"

#define BAL_PRIOR	1	/* --balance: owed beyond what it reads */
#define BAL_WINDOW	5	/* ms: --balance looks at recent reading */

/*
 * Every destination takes the data: commands through sh and files at
 * once, then the in-process commands.  With two or more of those, line
 * by line in command-line order, so that their merged output is, for
 * each input line, command 1's output, then command 2's, and so on.
 */
static enum flow
all_add(struct broadcast *b, const char *data, size_t len)
{
	const char *line, *end = data + len;
	struct dest *sole = NULL;
	enum flow f;
	int i, nlive = 0;

	for (i = 0; i < b->nd; i++) {
		struct dest *d = &b->d[i];

		if (d->sub == NULL) {
			if ((f = bc_dest_add(b, d, data, len)) != FLOW_GO)
				return f;
		} else if (d->live) {
			nlive++;
			sole = d;
		}
	}
	if (nlive <= 1)
		return sole ? bc_sub_add(b, sole, data, len) : FLOW_GO;
	for (line = data; line < end;) {
		const char *nl = memchr(line, '\n', end - line);
		const char *next = nl ? nl + 1 : end;

		for (i = 0; i < b->nd; i++)
			if (b->d[i].sub != NULL && b->d[i].live &&
			    (f = bc_sub_add(b, &b->d[i], line, next - line)) !=
			    FLOW_GO)
				return f;
		line = next;
	}
	return FLOW_GO;
}

/* --round-robin: the next live destination in turn; -1 when none is. */
static int
rr_dest(struct broadcast *b)
{
	int i, k;

	for (k = 0; k < b->nd; k++) {
		i = b->rr;
		if (++b->rr == (size_t)b->nd)
			b->rr = 0;
		if (b->d[i].live)
			return i;
	}
	return -1;
}

static uint64_t
fnv1a(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	while (n-- > 0) {
		h ^= (unsigned char)*p++;
		h *= 1099511628211ULL;
	}
	return h;
}

/*
 * --key: the destination of a line whose key is key[0, len), by a
 * stable hash of it, so that equal keys always meet the same consumer;
 * -1 when none is live.  Every kind of key comes here: a field by
 * number or by name.
 */
static int
key_dest(struct broadcast *b, const char *key, size_t len)
{
	size_t i = fnv1a(key, len) % b->nd;
	int k;

	/* A dropped destination's keys move to the next live one. */
	for (k = 0; k < b->nd; k++, i = (i + 1) % b->nd)
		if (b->d[i].live)
			return i;
	return -1;
}

/*
 * The key of a line: the text of its field SPEC (a JSON string
 * unescaped, so that equal values meet); empty without one.
 */
static void
line_key(struct broadcast *b, const char *line, size_t len,
    const char **key, size_t *klen)
{
	struct rspan s;

	if (len > 0 && line[len - 1] == '\n')
		len--;
	*key = line;
	*klen = 0;
	if (rfield_find(&b->rec, line, len, &b->a->key, &s) == 0 &&
	    (*key = rspan_text(&b->rec, &s, klen)) == NULL) {
		/* out of memory: the empty key, still one destination */
		*key = line;
		*klen = 0;
	}
}

/*
 * --balance: the destination with the least unsent data (queued here,
 * or in its pipe and not read yet); -1 when none is live, -2 when every
 * live one owes as much as it may for now.
 */
static int
balance_dest(struct broadcast *b)
{
	size_t i, best = 0, bestq = SIZE_MAX;
	int k, nd = b->nd, any = 0;

	for (k = 0; k < nd; k++) {
		const struct dest *d;
		size_t u;

		i = (b->rr + k) % nd;
		d = &b->d[i];
		if (!d->live)
			continue;
		any = 1;
		/*
		 * Owed no more than it has read lately (in the last one or
		 * two windows) and a little: one not reading yet (starting
		 * up) or reading slowly is not flooded.
		 */
		if (d->kind == D_CMD && d->qlen + d->inpipe >=
		    d->sent - d->inpipe - d->mark_prev + BAL_PRIOR)
			continue;
		u = d->qlen + d->inpipe;
		if (u < bestq) {
			best = i;
			bestq = u;
		}
	}
	if (bestq == SIZE_MAX)
		return any ? -2 : -1;
	b->rr = (best + 1) % nd;
	return best;
}

/*
 * The destination a shared-out line goes to; -1 when none is live, -2
 * (--balance) when every live one owes as much as it may for now.
 */
static int
choose(struct broadcast *b, const char *line, size_t len)
{
	const char *key;
	size_t klen;

	switch (b->a->mode) {
	case MODE_KEY:
		line_key(b, line, len, &key, &klen);
		return key_dest(b, key, klen);
	case MODE_BALANCE:
		return balance_dest(b);
	default:
		return rr_dest(b);
	}
}

void
bc_balance_look(struct broadcast *b)
{
	long now = monotime_ms();
	int i, n, roll = now - b->t_mark >= BAL_WINDOW;

	if (roll)
		b->t_mark = now;
	for (i = 0; i < b->nd; i++) {
		struct dest *d = &b->d[i];

		if (d->kind == D_CMD && d->live) {
			uint64_t read;

			d->inpipe = ioctl(d->fd, FIONREAD, &n) < 0 ? 0 :
			    (size_t)n;
			read = d->sent - d->inpipe;
			if (roll) {
				d->mark_prev = d->mark;
				d->mark = read;
			}
			d->ship = read / 4 < 1 ? 1 : read / 4 > BAL_CHUNK ?
			    BAL_CHUNK : read / 4;
		}
	}
}

/*
 * --balance: every consumer owes as much as it may.  Hand them what is
 * queued, pass their output on, and give them a moment (1 ms, longer
 * while nothing moves, at most 16 ms) to read.  One that has gone
 * without reading all (no EPIPE: nothing more is written to it) shows
 * as an error on its pipe: it is dropped, its exit status tells.
 */
static enum flow
balance_wait(struct broadcast *b, int waits)
{
	enum flow f;
	int i, k, n = 0;

	for (i = 0; i < b->nd; i++)
		if (b->d[i].kind == D_CMD)
			bc_cmd_write(b, &b->d[i]);
	if ((f = bc_pump(b, 0)) != FLOW_GO)
		return f;
	if ((f = chain_flush(b->base.next)) != FLOW_GO) {
		b->stopped = 1;
		b->stopflow = f;
		return f;
	}
	for (i = 0; i < b->nd; i++)
		if (b->d[i].kind == D_CMD && b->d[i].live) {
			b->pfd[n].fd = b->d[i].fd;
			b->pfd[n].events = 0;
			b->pfd[n].revents = 0;
			b->pfdi[n++] = i;
		}
	if (poll(b->pfd, n, 1 << (waits < 4 ? waits : 4)) > 0)
		for (k = 0; k < n; k++)
			if (b->pfd[k].revents & (POLLERR | POLLHUP))
				bc_cmd_close_stdin(&b->d[b->pfdi[k]]);
	if (signal_fatal)
		return FLOW_STOP;
	bc_balance_look(b);
	return b->stopped ? b->stopflow : FLOW_GO;
}

/* Give each line of data to one destination. */
static enum flow
share_lines(struct broadcast *b, const char *data, size_t len)
{
	const char *line = data, *end = data + len;
	enum flow f;
	int i, waits = 0;

	while (line < end) {
		const char *nl = memchr(line, '\n', end - line);
		const char *next = nl ? nl + 1 : end;
		size_t n = next - line;
		struct dest *d;

		if (b->a->mode == MODE_ROUND_ROBIN && b->d[b->rr].live) {
			/* the common case of choose(), without a call */
			i = b->rr;
			if (++b->rr == (size_t)b->nd)
				b->rr = 0;
		} else if ((i = choose(b, line, n)) == -2) {
			if ((f = balance_wait(b, waits++)) != FLOW_GO)
				return f;
			continue;
		}
		if (i < 0)
			break;
		waits = 0;
		d = &b->d[i];
		if (d->qoff + d->qlen + n <= d->qcap) {
			/* The common case: room in its queue. */
			memcpy(d->q + d->qoff + d->qlen, line, n);
			d->qlen += n;
			f = d->qlen >= d->ship ? bc_dest_queued(b, d) : FLOW_GO;
		} else
			f = bc_dest_add(b, d, line, n);
		if (f != FLOW_GO)
			return f;
		line = next;
		/* Only d's queue grew: wait for it alone. */
		while (d->kind == D_CMD && d->live && d->qlen >= QUEUE_CAP)
			if ((f = bc_pump(b, 1)) != FLOW_GO)
				return f;
	}
	return FLOW_GO;
}

static int
any_full(const struct broadcast *b)
{
	int i;

	for (i = 0; i < b->nd; i++)
		if (b->d[i].kind == D_CMD && b->d[i].live &&
		    b->d[i].qlen >= QUEUE_CAP)
			return 1;
	return 0;
}

static int
any_live(const struct broadcast *b)
{
	int i;

	for (i = 0; i < b->nd; i++)
		if (b->d[i].live)
			return 1;
	return 0;
}

static enum flow
push_lines(struct broadcast *b, const char *data, size_t len)
{
	enum flow f;
	int i;

	if (b->stopped)
		return b->stopflow;
	if (b->a->mode == MODE_ALL && b->nsubs > 0) {
		if ((f = all_add(b, data, len)) != FLOW_GO)
			return f;
	} else if (b->a->mode == MODE_ALL) {
		for (i = 0; i < b->nd; i++)
			if ((f = bc_dest_add(b, &b->d[i], data, len)) !=
			    FLOW_GO)
				return f;
	} else if ((f = share_lines(b, data, len)) != FLOW_GO)
		return f;
	if ((f = bc_merge_flush(b)) != FLOW_GO ||
	    (f = bc_pump(b, 0)) != FLOW_GO)
		return f;
	while (any_full(b))
		if ((f = bc_pump(b, 1)) != FLOW_GO)
			return f;
	if (b->stopped)
		return b->stopflow;
	return any_live(b) ? FLOW_GO : FLOW_STOP;
}

enum flow
bc_push(struct stage *s, const char *data, size_t len)
{
	struct broadcast *b = (struct broadcast *)s;
	enum flow f;

	/*
	 * While lines are shared out, a queue goes to its pipe only once a
	 * chunk is full; flush and close send the rest.
	 */
	b->due = b->a->mode != MODE_ALL;
	f = push_lines(b, data, len);
	b->due = 0;
	return f;
}
