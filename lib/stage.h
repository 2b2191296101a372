/*
 * stage.h: the push protocol that every runnel stage speaks.
 *
 * A chain is a list of stages ending in a writer (writer.h).  The driver
 * (driver.h) reads input and pushes it into the first stage; each stage
 * pushes what it produces into the next.  Data crossing a boundary is
 * exactly the bytes the stage's executable would write to stdout, always
 * whole lines: only the very last line of a stream may lack its '\n'.
 *
 * Pushed data is borrowed for the duration of the call only; a stage that
 * keeps bytes copies them.
 */
#ifndef RUNNEL_STAGE_H
#define RUNNEL_STAGE_H

#include <stddef.h>
#include <stdint.h>

/* What a push (or flush) tells its caller: go on, stop reading, or fail. */
enum flow {
	FLOW_GO = 0,
	FLOW_STOP,	/* the consumer wants no more: -m reached, stdout closed */
	FLOW_ERROR	/* a fatal error, already reported */
};

struct stage;
struct pollfd;
struct record_fmt;

struct stage_ops {
	/*
	 * begin/end frame one input file for the stage that reads FILE
	 * operands file by file (grep-like stages).  A stage fed by another
	 * stage sees neither: its input is one stream called
	 * "(standard input)", ended by close.  Optional.
	 */
	enum flow	(*begin)(struct stage *, const char *name);
	enum flow	(*end)(struct stage *);
	/* Whole lines; len > 0. */
	enum flow	(*push)(struct stage *, const char *data, size_t len);
	/* The source is about to wait for input: pass on what is held. */
	enum flow	(*flush)(struct stage *);
	/*
	 * End of all input (also after STOP, ERROR or a fatal signal): write
	 * summaries, settle self->status.  Called once, front to back.
	 * The stage pushes what it still has, then closes nothing itself:
	 * the driver closes the next stage after this one.
	 */
	void		(*close)(struct stage *);
	/* SIGUSR1: report progress on stderr.  Optional. */
	void		(*info)(struct stage *);
	/*
	 * While the source waits for input, the fds this stage needs
	 * watched too (its children's pipes): fill at most max of them,
	 * return how many.  When any is ready the driver calls wake(), so
	 * output a stage gets on its own still flows while input is idle.
	 * Both optional.
	 */
	int		(*wait_fds)(struct stage *, struct pollfd *, int max);
	enum flow	(*wake)(struct stage *);
	/*
	 * While the source waits for input: when this stage wants wake()
	 * called whatever happens (a window closing on time), in
	 * monotime_ms() terms, or -1 for never.  Optional.
	 */
	long long	(*deadline)(struct stage *);
	/* Sources only: produce all input, pushing into self->next. */
	enum flow	(*run)(struct stage *);
	/* Free the stage and everything it owns.  Optional. */
	void		(*destroy)(struct stage *);
	/*
	 * The next push starts at byte off of the stage's input: a copy of
	 * a split stage (split.h) works on batches out of order.  Optional;
	 * needed by a stage that names lines by their place.
	 */
	void		(*at)(struct stage *, uint64_t off);
	/*
	 * The writer (writer.h) that this stage hands its input to
	 * unchanged, so a stage before it may ask that writer about the
	 * output (writer_of); with direct, only if writing to it around
	 * this stage would go unnoticed (nothing counted or traced).
	 * Optional: pipe's proxy in front of the sink.
	 */
	struct stage	*(*writer)(struct stage *, int direct);
	/*
	 * How many bytes of the current input (since begin, or the first
	 * push) the stage used, once it wants none after them (grep's -m
	 * reached), else -1.  The driver leaves a regular file on standard
	 * input at that offset, as grep does, so that the next reader of
	 * the file goes on from there.  Optional: -1.
	 */
	int64_t		(*input_used)(struct stage *);
};

struct stage {
	const struct stage_ops *ops;
	struct stage	*next;		/* borrowed; NULL only for the writer */
	const char	*name;		/* command name used in runtime messages */
	int		 status;	/* own exit status, final after close */
	int		 input_error;	/* a FILE operand could not be read */
	/*
	 * The final output's reader going away did not end this stage: it
	 * was one destination of several (broadcast without -c), so the
	 * stage's status stands.  Otherwise a lost output makes the exit
	 * status 0 (stage_main).
	 */
	int		 outlives_output;
	/* Counters kept by the driver's helpers, for pipe --stats. */
	uint64_t	 lines_in;
	double		 seconds;
	/* Bytes pushed into the stage (stage_push): where a batch of a
	   split (split.h) leaves each of its stages. */
	uint64_t	 bytes_in;
	/*
	 * Set on a split's parallel copies: a message that would name a
	 * line (by its place in the input, which a copy does not know) is
	 * not written; the stage sets *defer_lines instead and goes on as
	 * if the line had no match, and the split runs that batch again,
	 * in order, on a copy that knows the place and writes it.
	 */
	int		*defer_lines;
};

static inline enum flow
stage_push(struct stage *s, const char *data, size_t len)
{
	if (len == 0)
		return FLOW_GO;
	s->bytes_in += len;
	return s->ops->push(s, data, len);
}

/*
 * Allocate a zeroed stage struct of size bytes (its struct stage first)
 * with ops, next and name set; NULL when out of memory.  Freed by the
 * stage's destroy (or free() when it has none).
 */
void		*stage_alloc(size_t size, const struct stage_ops *ops,
		    struct stage *next, const char *name);

/* Flush every stage from s to the end of the chain. */
enum flow	chain_flush(struct stage *s);
/* Close every stage from s to the end of the chain, in order. */
void		chain_close(struct stage *s);
/*
 * While the source waits for input: the fds that the stages from s on
 * want watched (at most max), and, when any was ready, let each serve
 * its own (ops->wait_fds, ops->wake).
 */
int		chain_wait_fds(struct stage *s, struct pollfd *, int max);
enum flow	chain_wake(struct stage *s);
/* The nearest deadline of the stages from s on, or -1 for none. */
long long	chain_deadline(struct stage *s);
/* chain_wake() when any of the n fds that chain_wait_fds() gave is ready. */
enum flow	chain_wake_ready(struct stage *s, const struct pollfd *, int n);
/* Report progress (SIGUSR1) for every stage from s on. */
void		chain_info(struct stage *s);
/* Destroy every stage from s on. */
void		chain_destroy(struct stage *s);
/* Exit status of the chain as `bash -o pipefail` computes it. */
int		chain_status(const struct stage *s);

/* Stage definitions: what both an executable and pipe need. */

enum stage_kind {
	STAGE_FILTER,	/* fed from FILE operands or upstream */
	STAGE_SOURCE	/* produces its own input (ops->run) */
};

/* parse() results */
#define PARSE_OK	0
#define PARSE_EXIT	1	/* --help or --version was written: exit 0 */
#define PARSE_ERROR	2	/* a usage message was written: exit 2 */
#define PARSE_FAILED	3	/* an error that no usage hint helps (a bad
				   pattern, as grep has it): exit 2 */

/*
 * Compressed input (decomp.h): by default a FILE operand that starts
 * with a known magic is read decompressed and stdin is read as it is.
 */
enum decompress {
	DECOMPRESS_FILES = 0,	/* neither option given */
	DECOMPRESS_ALWAYS,	/* --decompress: stdin too */
	DECOMPRESS_NEVER	/* --no-decompress */
};

struct stage_def;
struct pipeline;
struct pipe_stage;

/*
 * Where a stage's argv is parsed.  prog prefixes its messages ("match",
 * or "pipe: stage 2 (match)").  Inside pipe, pl and ps are the pipeline
 * and the stage's place in it, so a stage that runs commands (broadcast
 * -c) can parse them as sub-pipelines of that stage; both are NULL in an
 * executable.  Borrowed for the call.
 */
struct parse_ctx {
	const char		*prog;
	struct pipeline		*pl;
	struct pipe_stage	*ps;
};

/*
 * The part of every stage's parsed options that the driver reads.  Each
 * stage's own options struct starts with it.  Owned by whoever called
 * parse(); released with args_free().
 */
struct stage_args {
	const struct stage_def *def;
	char		**operands;	/* FILE operands, borrowed from argv */
	int		  noperands;
	int		  line_buffered;
	int		  quiet_errors;	/* grep -s: no message for a bad FILE */
	/* --decompress, --no-decompress, or neither (options.h) */
	enum decompress	  decompress;
	/* Frees everything, the struct too; optional (then free()). */
	void		(*free)(struct stage_args *);
	/* pipe --explain: describe the parsed options on one line. */
	void		(*explain)(const struct stage_args *, char *, size_t);
	/* Fields by name (record.h): their format, said by --explain. */
	const struct record_fmt *fields;
};

struct stage_def {
	const char	*name;
	enum stage_kind	 kind;
	/* FILE operands read as one stream (cat, tee) or file by file (grep) */
	int		 concat_files;
	/* Its stages may have descriptors to serve (ops->wait_fds). */
	int		 serves_fds;
	/* --help text after "Usage: ", with %s for the name */
	const char	*usage;
	/*
	 * Parse argv (argv[0] is the stage name) without touching input and
	 * without exiting.  Messages go to stderr prefixed by ctx->prog.
	 */
	int		(*parse)(int argc, char **argv,
			    const struct parse_ctx *ctx,
			    struct stage_args **out);
	/* Build a stage that pushes into next; takes no ownership of args. */
	struct stage	*(*create)(const struct stage_args *, struct stage *next);
	/*
	 * Could copies of the stage work on different batches of its input
	 * at once (pipe --threads, split.h)?  Yes when what it writes for a
	 * run of whole lines depends on those lines alone, it keeps no count
	 * and never stops early, and a message that names a line names it
	 * by its byte offset (from ops->at) and is deferred on a parallel
	 * copy (defer_lines).  first: it would be the first stage of the
	 * split.  Optional: no.
	 */
	int		(*splittable)(const struct stage_args *, int first);
};

void	args_free(struct stage_args *);

#endif
