/*
 * broadcast_int.h: what broadcast's own files share, and nobody else.
 *
 *   broadcast.c        options and the stage definition: parse, create
 *   broadcast_dest.c   the destinations: queues, FILEs, standard output,
 *                      what goes into a command's pipe and comes back
 *   broadcast_route.c  which destination a line goes to: all of them,
 *                      --round-robin, --key, --balance
 *   broadcast_loop.c   the poll loop over the commands' pipes, and what
 *                      the driver asks of broadcast while input idles
 *   broadcast_child.c  the commands' processes: spawn, reap, kill
 *   broadcast_close.c  end of input: drain, reap, settle the status
 *   broadcast_sub.c    a command run in-process inside pipe (its own
 *                      header, broadcast_sub.h)
 */
#ifndef RUNNEL_BROADCAST_INT_H
#define RUNNEL_BROADCAST_INT_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "linehold.h"
#include "record.h"
#include "stage.h"

struct pollfd;
struct bsub;
struct bsub_spec;
struct bsub_merge;

#define QUEUE_CAP	(256 * 1024)	/* back-pressure threshold */
#define FILE_CHUNK	(64 * 1024)	/* files and stdout written in these */
/*
 * Lines shared out one by one gather in a command's queue and go to its
 * pipe in chunks: one write per line would cost a system call and a
 * wake-up of the consumer per line.  --balance ships smaller chunks, the
 * smaller the less a command has read so far, so that a slow consumer
 * is handed a line at a time.
 */
#define CMD_CHUNK	(128 * 1024)
#define BAL_CHUNK	(128 * 1024)

enum mode { MODE_ALL, MODE_ROUND_ROBIN, MODE_KEY, MODE_BALANCE };
enum dkind { D_STDOUT, D_FILE, D_CMD };

/* A FILE operand or a -c command, as parsed. */
struct bc_spec {
	enum dkind	 kind;
	const char	*arg;		/* FILE name or command text */
	int		 pos;		/* place on the command line */
	struct bsub_spec *sub;		/* inside pipe: runs in-process */
};

struct broadcast_args {
	struct stage_args base;
	int		 append;
	enum mode	 mode;
	struct rfield	 key;		/* --key SPEC */
	struct record_fmt fmt;		/* --format, --parse */
	struct bc_spec	*specs;		/* FILEs and commands, in order */
	int		 nspecs;
	int		 ncmds;
};

/* One destination: standard output, a FILE or a command. */
struct dest {
	enum dkind	 kind;
	const char	*name;
	struct bsub	*sub;		/* a command run in-process */
	int		 live;		/* still takes input */
	int		 failed;	/* reported; counts for the status */
	int		 fd;		/* FILE or command stdin; -1 closed */
	char		*q;		/* unsent bytes q[qoff, qoff + qlen) */
	size_t		 qoff, qlen, qcap;
	/* commands only */
	size_t		 ship;		/* queue this long goes out */
	uint64_t	 sent;		/* written to its pipe in all */
	int		 midline;	/* its pipe has part of a line */
	size_t		 inpipe;	/* --balance: in its pipe, last seen */
	uint64_t	 mark, mark_prev; /* --balance: read, 1 and 2 windows ago */
	pid_t		 pid;
	int		 outfd;		/* command stdout; -1 at EOF */
	int		 pidfd;		/* readable once it exits; or -1 */
	struct linehold	 held;		/* a line it wrote in part */
	int		 wstatus;
	int		 reaped;
};

struct guard;

struct broadcast {
	struct stage	 base;
	struct guard	*guard;		/* owned; see broadcast_dest.c */
	const struct broadcast_args *a;
	struct dest	*d;
	int		 nd;
	size_t		 rr;		/* next destination, round robin */
	int		 stopped;	/* the next stage wants no more */
	enum flow	 stopflow;
	struct pollfd	*pfd;
	int		*pfdi;
	struct stage	*out;		/* the next stage (base.next may be
					   the guard) */
	int		 due;		/* poll to write only d->ship chunks */
	long		 t_mark;	/* --balance: when the window began */
	int		 nsubs;		/* commands run in-process */
	struct bsub_merge *merge;	/* their output, owned */
	char		*rbuf;		/* what a command wrote, read */
	struct record	 rec;		/* --key NAME's reading */
};

/* broadcast_dest.c */

/*
 * Without -c, standard output is destination d (the first), behind a
 * guard (b->out must be set); -1 when out of memory.
 */
int		bc_stdout_dest(struct broadcast *, struct dest *);
/*
 * Build an in-process command for d (inside pipe); -1 when it cannot be
 * built (said) or out of memory.
 */
int		bc_sub_start(struct broadcast *, struct dest *,
		    struct bsub_spec *);

/* Report a destination's failure once (errnum 0: quietly), drop it. */
void		bc_dest_fail(struct broadcast *, struct dest *, int errnum);
/* Write out a FILE's or stdout's queue (blocking: files do not poll). */
enum flow	bc_sync_drain(struct broadcast *, struct dest *);
/* Read what a command wrote; pass its whole lines on. */
enum flow	bc_cmd_read(struct broadcast *, struct dest *);

/* Queue data for d, or send it at once where it can go out whole. */
enum flow	bc_dest_add(struct broadcast *, struct dest *, const char *,
		    size_t);
/* Data was queued for d: send a full chunk on. */
enum flow	bc_dest_queued(struct broadcast *, struct dest *);
/* Lines into an in-process command (inside pipe). */
enum flow	bc_sub_add(struct broadcast *, struct dest *, const char *,
		    size_t);
/* Write as much of a command's queue as its pipe takes now. */
void		bc_cmd_write(struct broadcast *, struct dest *);
/* A command's stdin is done with: EOF for it, nothing more queued. */
void		bc_cmd_close_stdin(struct dest *);
/* The in-process commands' merged output, pushed on. */
enum flow	bc_merge_flush(struct broadcast *);

/* broadcast_loop.c */

/*
 * One round of the poll loop: write the commands' queues, read their
 * output.  block: wait for something to happen first.  FLOW_STOP on a
 * fatal signal or when the next stage stopped.
 */
enum flow	bc_pump(struct broadcast *, int block);
/* ops->flush: the source is about to wait; pass on what is held. */
enum flow	bc_flush(struct stage *);
/* ops->wait_fds, ops->wake: the commands served while input idles. */
int		bc_wait_fds(struct stage *, struct pollfd *, int max);
enum flow	bc_wake(struct stage *);

/* broadcast_close.c */

/* ops->close: drain, reap, settle the status. */
void		bc_close(struct stage *);

/* broadcast_route.c */

/* ops->push: each line to every destination, or to the one it goes to. */
enum flow	bc_push(struct stage *, const char *, size_t);
/*
 * --balance: what each command has not read yet of what it was sent,
 * and (every few ms) how much it has read in all: the size of the
 * chunks it is sent.
 */
void		bc_balance_look(struct broadcast *);

/* broadcast_child.c */

/*
 * Each command keeps two pipe ends open here: make room for them under
 * the limit on open files; -1 (said once) when they cannot fit.
 */
int		bc_fd_room(struct broadcast *, const struct broadcast_args *);
/* Start d's command under sh -c with its two pipes; -1 with errno. */
int		bc_child_start(struct broadcast *, struct dest *);
/* Reap the commands that have quit on their own (reported at once). */
void		bc_reap_quit(struct broadcast *);
/* broadcast stops early: the commands get a moment, then signals. */
void		bc_reap_hurried(struct broadcast *);
/* Wait for d's command, if not reaped yet, and report its end. */
void		bc_reap_wait(struct broadcast *, struct dest *);
/* Say once how a command ended, if it failed; marks it failed. */
void		bc_report(struct broadcast *, struct dest *);

#endif
