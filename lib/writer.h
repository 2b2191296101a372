/*
 * writer.h: the sink at the end of every chain, a buffered writer on a
 * file descriptor.
 *
 * Block-buffered into pipes and files, line-buffered on a terminal or on
 * request; flush() (sent before the source blocks) empties the buffer.
 * EPIPE stops the chain quietly and marks the output lost (writer_lost);
 * so does a reader that takes nothing after SIGINT/SIGTERM (see
 * write_all); any other write error is reported once as "PROG: write
 * error: REASON" and stops the chain with status 2.
 *
 * A stage never writes to standard output itself: it pushes, and asks
 * the writer below for what it needs to know of the output (its
 * descriptor, a terminal or not, room in its pipe) or to do on it
 * (sendfile).  There is one writer a process: the final output.
 */
#ifndef RUNNEL_WRITER_H
#define RUNNEL_WRITER_H

#include <sys/types.h>

#include <stddef.h>

#include "stage.h"

struct pollfd;

/*
 * Set once the writer met EPIPE (the reader chose to stop: exit 0), or
 * gave up on a reader after SIGINT/SIGTERM: what it held was not
 * written.  Atomic: under pipe --threads the writer may run on a worker
 * thread.  Read it through writer_lost(); it is to go.
 */
extern _Atomic int writer_epipe;

/* Did the output lose bytes pushed into it (EPIPE, a reader given up)? */
int		 writer_lost(void);

/* Is s a writer (so bytes pushed into it go straight to its fd)? */
int		 writer_is(const struct stage *s);

/*
 * The writer that s is, or that it passes its bytes to unchanged (pipe's
 * proxy in front of the sink); NULL when a stage reads what s is given.
 * A stage asks this of its next to learn where its output lands.  With
 * direct, only a writer that the caller may write to around s (with
 * writer_sendfile), which pipe --stats and --trace forbid.
 */
struct stage	*writer_of(struct stage *s, int direct);
/* The descriptor w writes to (not owned by w). */
int		 writer_fd(const struct stage *w);

/*
 * Copy len bytes of in from *off straight to w's descriptor with
 * sendfile(2), after w has written what it holds.  Returns the bytes
 * sent (and moves *off), 0 when w's descriptor cannot take them that way
 * (push them instead), or -1: w has stopped (EPIPE: its output is lost,
 * FLOW_STOP) or failed (reported, FLOW_ERROR); *flow says which.
 */
ssize_t		 writer_sendfile(struct stage *w, int in, off_t *off,
		    size_t len, enum flow *flow);

/*
 * Watch the final output while waiting for input, to notice its reader
 * going away (a pipe's write end polls POLLERR then): fills *pfd (events
 * 0) and returns 1, or 0 when there is no writer or it has stopped
 * already (nothing more to learn).  writer_watched() takes the poll's
 * answer: FLOW_STOP when the reader is gone (the output is then lost,
 * as on EPIPE), else FLOW_GO.  Both may be called from a thread other
 * than the writer's (pipe --threads).
 */
int		 writer_watch(struct pollfd *pfd);
enum flow	 writer_watched(const struct pollfd *pfd);

/*
 * A writer stage on fd, which it does not own.  prog names the command
 * in messages.  line_buffered < 0 means: decide by isatty(fd).
 * Freed by chain_destroy().
 */
struct stage	*writer_create(const char *prog, int fd, int line_buffered);

/*
 * write(2) all of buf, retrying partial writes and EINTR.  Returns 0, or
 * -1 with errno set: EINTR when SIGINT/SIGTERM has come and the reader
 * took nothing for a second (the grace shared by all writes then).
 */
int	write_all(int fd, const void *buf, size_t len);

#endif
