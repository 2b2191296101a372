/*
 * reader.h: whole-line chunks from a file descriptor.
 *
 * Each call hands out the longest run of whole lines the buffer holds
 * (a read cut at its last newline); the partial line after it is rolled
 * to the front and completed by the next read.  The buffer grows for a
 * line longer than itself, so any line that fits in memory works.
 *
 * With decompress set, an input that starts with the magic bytes of
 * gzip, zstd, xz or bzip2 (decomp.h) is read decompressed: the codec
 * fills the same buffer and lines are cut from its text as from a plain
 * file's, so no stage knows.  Damage ends that input: the lines before
 * it come out, then READ_CORRUPT with the reason in reader.msg, then
 * its last partial line as at the end of a file.
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
	READ_NOMEM,
	READ_CORRUPT	/* compressed data damaged: reason in reader.msg */
};

struct dz_codec;

struct reader {
	int	 fd;		/* borrowed */
	int	 may_block;	/* not a regular file: poll before reading */
	int	 hold_tail;	/* at EOF keep the partial line (cat FILE...) */
	int	 err;
	int	 eof;
	char	*buf;		/* owned; released by reader_free() */
	size_t	 cap;
	size_t	 start, end;	/* unconsumed bytes: buf[start, end) */
	/* Probe each attached input for a compressed format (decomp.h). */
	int	 decompress;
	const char *msg;	/* READ_CORRUPT's reason; lives until attach */
	struct {
		const struct dz_codec *codec;	/* NULL: plain bytes */
		void	*state;		/* owned: the codec's */
		char	*buf;		/* owned: compressed bytes read */
		size_t	 cap, start, end;	/* unused: buf[start, end) */
		size_t	 probe_at;	/* the input's first byte in r->buf */
		int	 probing;	/* its magic not yet decided */
		int	 eof;		/* no more compressed bytes */
		int	 done;		/* the text ended, or damage */
		int	 stuck;		/* steps at eof that did nothing */
		int	 full;		/* the last step filled its room */
		const char *damage;	/* to report once the lines are out */
		struct ahead *ahead;	/* owned: a regular file's worker */
	} z;
	/* Called before a read that would block; non-zero stops reading. */
	int	(*idle)(void *);
	void	*idle_arg;
};

int		 reader_init(struct reader *, size_t bufsize);
/* Start reading fd; a held partial line stays in front of its data. */
void		 reader_attach(struct reader *, int fd);
/*
 * After reader_attach(): n bytes already read from fd (a caller that
 * looked at a stream's first bytes) come first.  0, or -1 out of memory.
 */
int		 reader_unread(struct reader *, const char *p, size_t n);
enum read_result reader_next(struct reader *, const char **data, size_t *len);
/* Hand out the held partial line, if any (after the last file). */
int		 reader_tail(struct reader *, const char **data, size_t *len);
void		 reader_free(struct reader *);

#endif
