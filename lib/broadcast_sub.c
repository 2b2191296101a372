/*
 * broadcast_sub: a broadcast -c command run in-process (broadcast_sub.h).
 *
 * The branch is a sub-pipeline (pipeline.h) whose sink is the merge
 * stage below.  Its output reaches broadcast's next stage during the
 * push that caused it, which is what makes the order deterministic:
 * broadcast feeds the branches a line at a time, in command-line order.
 * A line a branch writes in pieces is held until it is whole, and a
 * last line without '\n' until the branch closes, so no other branch's
 * output lands inside it (as broadcast does with a command's pipe).
 *
 * The branches of one broadcast append their whole lines, in the order
 * they are written, to one merge buffer that broadcast pushes on at the
 * end of each push (and before anything else it pushes): a few large
 * pushes down the chain instead of one a line.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "broadcast_sub.h"
#include "diag.h"
#include "grow.h"
#include "linehold.h"
#include "pipeline.h"

struct bsub_spec {
	struct pipeline	 pl;
	char		*prog;		/* "pipe: stage N (broadcast): -c 'X'" */
	struct bsub	*run;		/* once built; owned by pl's chain */
};

struct bsub_merge {
	bsub_out_fn	 out;
	void		*ctx;
	char		*buf;
	size_t		 len, cap;
	enum flow	 flow;		/* what the last push on said */
};

struct bsub {
	struct stage	 base;		/* the sub-pipeline's sink */
	struct bsub_spec *spec;
	struct stage	*head;		/* where lines go in */
	struct bsub_merge *mg;
	struct linehold	 held;		/* a line not yet whole */
};

#define MERGE_FLUSH	(64 * 1024)

struct bsub_merge *
bsub_merge_new(bsub_out_fn out, void *ctx)
{
	struct bsub_merge *mg = calloc(1, sizeof(*mg));

	if (mg != NULL) {
		mg->out = out;
		mg->ctx = ctx;
	}
	return mg;
}

void
bsub_merge_free(struct bsub_merge *mg)
{
	if (mg != NULL)
		free(mg->buf);
	free(mg);
}

enum flow
bsub_merge_flush(struct bsub_merge *mg)
{
	size_t n = mg->len;

	if (n == 0 || mg->flow != FLOW_GO)
		return mg->flow;
	mg->len = 0;
	return mg->flow = mg->out(mg->ctx, mg->buf, n);
}

static enum flow
merge_add(struct bsub_merge *mg, const char *name, const char *data,
    size_t len)
{
	if (mg->flow != FLOW_GO)
		return mg->flow;
	if (grow(&mg->buf, &mg->cap, mg->len + len, 2 * MERGE_FLUSH) < 0) {
		diag_errno(name, ENOMEM, "line buffer");
		return FLOW_ERROR;
	}
	memcpy(mg->buf + mg->len, data, len);
	mg->len += len;
	return mg->len >= MERGE_FLUSH ? bsub_merge_flush(mg) : FLOW_GO;
}

int
bsub_parse(const struct parse_ctx *ctx, const char *text,
    struct bsub_spec **out)
{
	const char *prog = ctx->prog;
	struct bsub_spec *sp;
	char q[4 * 64 + 4];
	int n, r;

	*out = NULL;
	if ((sp = calloc(1, sizeof(*sp))) == NULL) {
		diag_errno(prog, ENOMEM, "options");
		return -1;
	}
	diag_quote(q, text, strlen(text), 64);
	n = snprintf(NULL, 0, "%s: -c '%s'", prog, q);
	if ((sp->prog = malloc(n + 1)) == NULL) {
		free(sp);
		diag_errno(prog, ENOMEM, "options");
		return -1;
	}
	snprintf(sp->prog, n + 1, "%s: -c '%s'", prog, q);
	r = pipeline_sub_parse(&sp->pl, ctx, sp->prog, text);
	if (r != 1) {
		bsub_spec_free(sp);
		return r;
	}
	*out = sp;
	return 1;
}

void
bsub_spec_free(struct bsub_spec *sp)
{
	if (sp == NULL)
		return;
	pipeline_free(&sp->pl);
	free(sp->prog);
	free(sp);
}

static enum flow
merge_out(void *ctx, const char *data, size_t len)
{
	struct bsub *m = ctx;

	return merge_add(m->mg, m->spec->prog, data, len);
}

static enum flow
merge_push(struct stage *s, const char *data, size_t len)
{
	struct bsub *m = (struct bsub *)s;

	return linehold_push(&m->held, data, len, merge_out, m,
	    m->spec->prog);
}

static void
merge_close(struct stage *s)
{
	(void)linehold_drain(&((struct bsub *)s)->held, merge_out, s);
}

static void
merge_destroy(struct stage *s)
{
	struct bsub *m = (struct bsub *)s;

	if (m->spec != NULL)
		m->spec->run = NULL;
	linehold_free(&m->held);
	free(m);
}

static const struct stage_ops merge_ops = {
	.push = merge_push,
	.close = merge_close,
	.destroy = merge_destroy,
};

struct bsub *
bsub_start(struct bsub_spec *sp, struct bsub_merge *mg)
{
	struct bsub *m;

	if (sp->run != NULL) {
		/* Built once per parse: pipe creates each stage once. */
		diag(sp->prog, "already running");
		return NULL;
	}
	if ((m = stage_alloc(sizeof(*m), &merge_ops, NULL,
	    sp->pl.st[sp->pl.n - 1].def->name)) == NULL) {
		diag_errno(sp->prog, ENOMEM, "cannot start");
		return NULL;
	}
	m->spec = sp;
	m->mg = mg;
	if (pipeline_build(&sp->pl, &m->base, 0) < 0)
		return NULL;	/* m is freed with the pipeline */
	sp->run = m;
	/*
	 * Without --stats or --trace the first proxy has nothing to do for
	 * us: a branch is dropped at its first STOP or ERROR, so no latch
	 * is needed.  Straight into stage 1 saves a call a line.
	 */
	m->head = sp->pl.flags ? pipeline_head(&sp->pl) : sp->pl.st[0].stage;
	return m;
}

/*
 * A stage that keeps output for more input to come (a queue of a nested
 * broadcast's) gives it up now: what a push into the branch caused is
 * the branch's output for those lines, before the next branch's.
 */
enum flow
bsub_push(struct bsub *m, const char *data, size_t len)
{
	enum flow f = m->head->ops->push(m->head, data, len);

	return f == FLOW_GO ? bsub_flush(m) : f;
}

enum flow
bsub_flush(struct bsub *m)
{
	return chain_flush(pipeline_head(&m->spec->pl));
}

int
bsub_wait_fds(struct bsub *m, struct pollfd *pfd, int max)
{
	struct stage *s;
	int n = 0;

	for (s = pipeline_head(&m->spec->pl); s != NULL && n < max;
	    s = s->next)
		if (s->ops->wait_fds != NULL)
			n += s->ops->wait_fds(s, pfd + n, max - n);
	return n;
}

enum flow
bsub_wake(struct bsub *m)
{
	struct stage *s;
	enum flow f;

	for (s = pipeline_head(&m->spec->pl); s != NULL; s = s->next)
		if (s->ops->wake != NULL && (f = s->ops->wake(s)) != FLOW_GO)
			return f;
	return FLOW_GO;
}

void
bsub_info(struct bsub *m)
{
	chain_info(pipeline_head(&m->spec->pl));
}

int
bsub_close(struct bsub *m)
{
	struct bsub_spec *sp = m->spec;

	chain_close(pipeline_head(&sp->pl));
	return pipeline_status(&sp->pl);
}
