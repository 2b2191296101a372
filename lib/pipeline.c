/*
 * pipeline: pipe's engine (pipeline.h): parse every stage of the text,
 * then build the chain back to front, a proxy (pipe_proxy.h) in front of
 * each stage, and the threads where pipe_plan.h puts them.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "options.h"
#include "driver.h"
#include "handoff.h"
#include "pipe_plan.h"
#include "pipe_proxy.h"
#include "pipeline.h"
#include "split.h"
#include "stages.h"
#include "writer.h"

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

		return stage_parse(ps->def, ps->argc, ps->argv, &ctx, &ps->args);
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

/*
 * --decompress and --no-decompress say how a stage reads its input
 * bytes; a stage fed lines in-process reads none, so they would be
 * silently void there.
 */
static int
check_decompress(struct pipeline *pl, size_t i)
{
	const struct stage_args *a = pl->st[i].args;

	if ((i == 0 && !pl->fed) || a->decompress == DECOMPRESS_FILES)
		return 0;
	diag(pl->st[i].prog, "%s not allowed: %s", a->decompress ==
	    DECOMPRESS_ALWAYS ? "--decompress" : "--no-decompress",
	    i == 0 ? "a command run in-process reads the lines given to it" :
	    "only stage 1 reads input bytes");
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
		if (r == PARSE_OK && (check_operands(pl, i) < 0 ||
		    check_decompress(pl, i) < 0))
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
	int w, nw = pipe_split_workers(pl);
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
	split = pipe_split_range(pl, &from, &to);
	for (i = pl->n; i-- > 0;) {
		struct pipe_stage *ps = &pl->st[i];

		/* next is the front of stage i + 2 (1-based), made before */
		if (pipe_thread_before(pl, i + 2)) {
			struct stage *h = handoff_create(next, next->name,
			    flags & PIPE_STATS ? &proxy_hooks_stats :
			    &proxy_hooks_plain);

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
			proxy_free(ps->proxy);
			ps->proxy = NULL;
			goto nomem;
		}
		ps->proxy->own = ps->stage;
		ps->proxy->base.name = ps->stage->name;
		/* fed by the stage before on this thread, line runs and all */
		ps->proxy->coalesce = i > 0 && flags == 0 && pl->parent == NULL &&
		    !pipe_thread_before(pl, i + 1);
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

		/*
		 * Its reader went away: the executable sees EPIPE, exit 0,
		 * unless that was one output of several (broadcast's).
		 */
		if (after != NULL && after->gone && (pl->st[i].stage == NULL ||
		    !pl->st[i].stage->outlives_output))
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
