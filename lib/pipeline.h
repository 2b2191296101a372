/*
 * pipeline.h: pipe's engine.  Text is split into words (words.h), cut at
 * '|' into stages, each stage's words parsed by its own definition's
 * parse() (so errors are the executable's, prefixed "pipe: stage N
 * (NAME)"), then every stage created, back to front, into one chain that
 * ends in a writer on stdout, and run by the driver.
 *
 * Between stages sits a small proxy stage of ours.  It counts lines and
 * time for --stats, writes --trace, and does what a closed pipe does in
 * a shell: once a stage's consumer has stopped (or failed), the stage's
 * later output goes nowhere and the stage ends with status 0, as the
 * executable does on EPIPE.
 *
 * Sub-pipelines (the hook for broadcast -c inside pipe): a stage that
 * runs commands may call pipeline_sub_parse() on a command's text; when
 * it returns a pipeline, the stage builds it with pipeline_build() in
 * front of a stage of its own and pushes lines into pipeline_head()
 * (or, without --stats and --trace, straight into st[0].stage: the
 * last stage then pushes straight into that sink too).  A stage knows
 * it is inside pipe by the pipeline its parse_ctx names.
 */
#ifndef RUNNEL_PIPELINE_H
#define RUNNEL_PIPELINE_H

#include <stddef.h>
#include <stdio.h>

#include "stage.h"
#include "words.h"

#define PIPE_STATS	0x1
#define PIPE_TRACE	0x2

struct pipe_proxy;
struct pipeline;

/* A command text a stage looked at with pipeline_sub_parse(). */
struct pipe_sub {
	const char		*text;		/* borrowed from the stage's args */
	const struct pipeline	*pl;		/* NULL: it runs through sh -c */
};

struct pipe_stage {
	const struct stage_def	*def;
	int			 argc;
	char			**argv;		/* into the words, owned */
	char			*prog;		/* "pipe: stage N (NAME)" */
	struct stage_args	*args;
	struct stage		*stage;
	struct pipe_proxy	*proxy;		/* in front of stage */
	struct stage		*handoff;	/* --threads: in front of proxy */
	/* Its commands (broadcast -c), for --explain and --stats. */
	struct pipe_sub		*subs;
	size_t			 nsubs;
};

struct pipeline {
	const char		*prog;		/* "pipe" */
	struct words		 words;
	size_t			 n;
	struct pipe_stage	*st;		/* n stages */
	struct pipe_proxy	*out_proxy;	/* between last stage and sink */
	struct stage		*sink;
	int			 flags;
	double			*self;		/* --stats seconds by index */
	/* A sub-pipeline: the pipeline whose stage parsed it, and the
	   name it goes by in --trace ("stage 2 (broadcast): -c 'SUB'"). */
	const struct pipeline	*parent;
	const char		*label;
	int			 fed;		/* stage 1 reads no FILE */
	/*
	 * pipe --threads: threads the chain may run on (0 or 1: the
	 * caller's alone); PIPE_THREADS_CPUS: as many as there are
	 * processors.  split_only: only a split gets them, no stage gets
	 * a thread of its own (the default on file input).  line_buffered:
	 * pipe --line-buffered, its output is.  Set before
	 * pipeline_build().
	 */
	int			 threads;
	int			 split_only;
	int			 line_buffered;
	/* The chain built so far, from its front: what pipeline_free()
	   destroys. */
	struct stage		*built;
};

/*
 * Split and parse text; where names the text in word errors ("line N"
 * or "SCRIPT:N").  Returns PARSE_OK, PARSE_EXIT (a stage's --help or
 * --version was written) or PARSE_ERROR (every error found was
 * reported).  pipeline_free() in every case.
 */
int	pipeline_parse(struct pipeline *, const char *prog, const char *text,
	    size_t len, const char *where);
/*
 * Create the stages back to front in front of sink (NULL: a writer on
 * stdout).  Returns 0, or -1 after a message.
 */
int	pipeline_build(struct pipeline *, struct stage *sink, int flags);
struct stage	*pipeline_head(const struct pipeline *);
#define PIPE_THREADS_CPUS	1024

/* The processors this process may run on (affinity mask), at least 1. */
int	pipeline_cpus(void);
/*
 * pipe without --threads: PIPE_THREADS_CPUS when stage 1 reads regular
 * files only (FILE operands, or a standard input redirected from one)
 * and there are two processors or more; else 0, one thread (a pipe, a
 * terminal or follow: latency before throughput).
 */
int	pipeline_default_threads(const struct pipeline *);
/* pipe --explain: the chain, one stage a line. */
void	pipeline_explain(const struct pipeline *, FILE *);
/* Feed the first stage's input through the chain; returns the status. */
int	pipeline_run(struct pipeline *);
/* Statuses after close, as bash -o pipefail combines them. */
int	pipeline_status(const struct pipeline *);
/* pipe --stats: one line a stage on stderr. */
void	pipeline_stats(const struct pipeline *);
void	pipeline_free(struct pipeline *);

/*
 * For broadcast -c inside pipe: parse text as a sub-pipeline when it is
 * one of runnel stages and sh would read it the same way.  Returns 1
 * with p ready for pipeline_build(), 0 when the text is for sh -c
 * (nothing reported), -1 after a message (a runnel stage's bad options,
 * a FILE operand or a source in stage 1: it is fed by the caller), 2
 * when a stage's --help or --version was written (PARSE_EXIT).
 * ctx is the parse context of the stage that looked at the text: the
 * sub-pipeline is remembered by that stage (ctx->ps) for --explain and
 * --stats, and pipeline_build() gives it the flags of the whole
 * pipeline (ctx->pl; its flags argument is ignored).  prog prefixes the
 * stages' messages ("pipe: stage 2 (broadcast): -c 'SUB'") and must
 * outlive p.  The caller owns p: pipeline_free() it after the whole
 * pipeline is freed.
 */
int	pipeline_sub_parse(struct pipeline *p, const struct parse_ctx *ctx,
	    const char *prog, const char *text);

/* Write word quoted for sh when it needs it. */
void	shell_quote(FILE *, const char *word);

#endif
