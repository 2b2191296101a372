/*
 * reader.h: whole-line chunks from a file descriptor.
 *
 * Each call hands out the longest run of whole lines the buffer holds
 * (a read cut at its last newline); the partial line after it is rolled
 * to the front and completed by the next read.  The buffer grows for a
 * line longer than itself, so any line that fits in memory works.
 */
#ifndef RUNNEL_READER_H
#define RUNNEL_READER_H

#include <stddef.h>

#define READER_BUFSIZE	(128 * 1024)

enum read_result {
	READ_DATA,	/* *data, *len: whole lines (or the final partial line) */
	READ_EOF,
	READ_ERROR,	/* errno-style code in reader.err */
	READ_INTR,	/* a signal arrived while waiting: see signals.h */
	READ_NOMEM
};

struct reader {
	int	 fd;		/* borrowed */
	int	 may_block;	/* not a regular file: poll before reading */
	int	 hold_tail;	/* at EOF keep the partial line (cat FILE...) */
	int	 err;
	int	 eof;
	char	*buf;		/* owned; released by reader_free() */
	size_t	 cap;
	size_t	 start, end;	/* unconsumed bytes: buf[start, end) */
	/* Called before a read that would block; non-zero stops reading. */
	int	(*idle)(void *);
	void	*idle_arg;
};

int		 reader_init(struct reader *, size_t bufsize);
/* Start reading fd; a held partial line stays in front of its data. */
void		 reader_attach(struct reader *, int fd);
enum read_result reader_next(struct reader *, const char **data, size_t *len);
/* Hand out the held partial line, if any (after the last file). */
int		 reader_tail(struct reader *, const char **data, size_t *len);
void		 reader_free(struct reader *);

#endif
