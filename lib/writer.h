/*
 * writer.h: the sink at the end of every chain, a buffered writer on a
 * file descriptor.
 *
 * Block-buffered into pipes and files, line-buffered on a terminal or on
 * request; flush() (sent before the source blocks) empties the buffer.
 * EPIPE stops the chain quietly and sets writer_epipe; so does a reader
 * that takes nothing after SIGINT/SIGTERM (see write_all); any other
 * write error is reported once as "PROG: write error: REASON" and stops
 * the chain with status 2.
 */
#ifndef RUNNEL_WRITER_H
#define RUNNEL_WRITER_H

#include <stddef.h>

#include "stage.h"

/*
 * Set once any writer met EPIPE (the reader chose to stop: exit 0), or
 * gave up on a reader after SIGINT/SIGTERM: what it held was not
 * written.  Atomic: under pipe --threads the writer may run on a worker
 * thread.
 */
extern _Atomic int writer_epipe;

/* Is s a writer (so bytes pushed into it go straight to its fd)? */
int		 writer_is(const struct stage *s);

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
