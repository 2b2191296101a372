/*
 * follow_int.h: what follow's files share, and who does what.
 *
 *   follow.c         options, the stage definition, create, run's outline
 *   follow_source.c  the files followed and reading them: open, read,
 *                    sendfile, streams, -n, whole lines pushed on
 *   follow_rotate.c  how follow notices rotation and truncation: the
 *                    name's identity against the open file's, the old
 *                    files' grace (--rotate-wait), a short-lived
 *                    generation adopted, the refill fingerprint
 *   follow_state.c   --state: load, place, write ahead, settle, save
 *   follow_watch.c   inotify, the polling tick, patterns, the wait loop
 *   follow_decomp.c  a compressed file: read once, whole, never followed
 *
 * Everything here is private to those files.
 */
#ifndef RUNNEL_FOLLOW_INT_H
#define RUNNEL_FOLLOW_INT_H

#include <sys/types.h>

#include <stdint.h>
#include <stdio.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "linehold.h"
#include "stage.h"

#define CHUNK		(256 * 1024)
/*
 * Room before the read area of the buffer: a held partial line up to this
 * size is copied there, so the next read continues it in place and the
 * batch goes downstream without being copied (bulk reading as fast as cat).
 */
#define FRONT		(64 * 1024)
#define DIRECT_MIN	CHUNK		/* bytes worth a sendfile */
#define DIRECT_STEP	(4 * 1024 * 1024)	/* and the most per call */
#define FPMAX		64		/* bytes of a fingerprint */
/*
 * Rotated generations read on at once for a file: a writer rotating
 * faster than --rotate-wait gets its oldest generation finished early
 * rather than follow running out of descriptors.
 */
#define OLD_MAX		64
#define MOVES		16		/* renames half seen, remembered */
#define GONE		32		/* generations closed, remembered */
#define STREAM_KEEP	(1024 * 1024)	/* trim a stream's -n buffer beyond */

struct follow_args {
	struct stage_args	 base;
	char			**files;
	int			 nfiles;
	uint64_t		 lines;		/* -n */
	int			 from_start;	/* -n +K */
	int			 descriptor;
	int			 headers;	/* -1 auto, 0 -q, 1 -v */
	int			 prefix;
	int			 once;
	pcre2_code		*until;
	double			 timeout;	/* < 0: none */
	double			 rotate_wait;
	long			 pid;		/* 0: none */
	const char		*state;
	double			 interval;
	int			 no_inotify;
};

/* One open file being read: the followed one or a rotated one. */
struct src {
	int		 fd;		/* -1: none */
	dev_t		 dev;
	ino_t		 ino;
	off_t		 off;		/* next byte to read */
	struct linehold	 hold;		/* partial line held */
	unsigned char	 idfp[FPMAX];	/* first bytes: identity */
	size_t		 idlen;
	unsigned char	 tailfp[FPMAX];	/* the bytes before off */
	size_t		 tlen;
	double		 deadline;	/* rotated: read on until then */
	int		 remote;	/* on a file system inotify can't see */
	int		 sizeless;	/* /proc and the like: st_size is
					   0 or a page, whatever it holds */
};

struct ffile {
	char		*name;
	int		 is_stream;	/* stdin, a FIFO or a /proc file: read
					   to its end */
	int		 done;		/* stream at EOF */
	int		 noted;		/* missing noted */
	int		 seen;		/* was open at least once */
	int		 compressed;	/* read whole (follow_decomp.c): done */
	int		 probed;	/* a stream's first bytes looked at */
	struct src	 cur;
	/*
	 * Generations renamed away, oldest first, each read on until its
	 * --rotate-wait deadline (OLD_MAX at most).
	 */
	struct src	**old;
	size_t		 nold, oldcap;
	/*
	 * Where inotify saw the name renamed to since the last reconcile:
	 * a generation there that was never opened is read from its start.
	 */
	char		**moved;
	size_t		 nmoved;
	/*
	 * The generations closed last: a rename told late names one of
	 * them, which must not be read again.
	 */
	struct gone {
		dev_t		 dev;
		ino_t		 ino;
		unsigned char	 id[FPMAX];
		size_t		 idlen;
	}		 gone[GONE];
	unsigned	 ngone;
	/* stream -n N: the last lines so far */
	char		*sbuf;
	size_t		 slen, scap;
	size_t		 strim;		/* trim when slen passes this */
	uint64_t	 skip;		/* stream -n +K: lines still to skip */
};

struct follow {
	struct stage		 base;
	const struct follow_args *a;
	struct ffile		**f;
	size_t			 nf, fcap;
	int			 ino;		/* inotify fd or -1 */
	const struct ffile	*last;		/* whose lines came last */
	int			 any_header;
	int			 headers;
	char			*buf;		/* read buffer */
	char			*out;		/* prefix building */
	size_t			 outcap;
	pcre2_match_data	*md;
	int			 found;
	size_t			 unsent;	/* bytes after the --until line */
	int			 timed_out;
	double			 start;
	int			 state_dirty;	/* offsets moved since the save */
	int			 state_unsynced; /* saved without fsync */
	int			 out_pipe;	/* the output is a pipe we write */
	int			 out_fd;	/* and its descriptor */
	struct stage		*direct;	/* the writer we may sendfile to */
	size_t			 chunk;		/* bytes per read: CHUNK or more */
	struct src		*prep;		/* state written ahead for it */
	off_t			 prep_off;
	long			 pipe_cap;
	/* the directories inotify watches: what an event's wd names */
	struct wdir {
		int	 wd;
		char	*path;
	}			*dirs;
	size_t			 ndirs;
	/* renames seen half (IN_MOVED_FROM): whose, and which moved[] */
	struct move {
		uint32_t	 cookie;
		struct ffile	*f;
		long		 idx;	/* -1: f's own name */
	}			 mv[MOVES];
	unsigned		 nmv;
};

/* A file as --state remembers it. */
struct rec {
	char		 kind;		/* 'F' current, 'R' rotated */
	dev_t		 dev;
	ino_t		 ino;
	off_t		 off;
	unsigned char	 id[FPMAX];
	size_t		 idlen;
	char		*name;
};

struct stat;

/* follow_source.c: the files and reading them */

/* Open path into s (identity, file system kind); -1 with errno. */
int		fl_src_open(struct src *, const char *path, struct stat *);
/* Close s's descriptor (not stdin's) and drop its held line. */
void		fl_src_close(struct src *);
/* Read s (a regular file) from its offset to its end, pushing lines. */
enum flow	fl_src_read(struct follow *, struct ffile *, struct src *);
/* The file ended for good: its held partial line (add_nl: with '\n'). */
enum flow	fl_finish(struct follow *, struct ffile *, struct src *,
		    int add_nl);
/* A file as messages name it: stdin as grep and tail call it. */
const char	*fl_msg_name(const struct ffile *);
/* Add a file to follow by name (NULL: it is there already, or ENOMEM). */
struct ffile	*fl_file_add(struct follow *, const char *name);
/* One read from a stream (stdin, a FIFO); at its end, its -n lines. */
enum flow	fl_stream_read(struct follow *, struct ffile *);
/* Open f, place it (state, -n), write its start (all of it: --once). */
enum flow	fl_start_file(struct follow *, struct ffile *,
		    const struct rec *, size_t nrec);

/* Bytes of f got some other way (a compressed file's text): as read. */
enum flow	fl_take(struct follow *, struct ffile *, struct src *,
		    const char *d, size_t n);

/* follow_decomp.c: compressed files */

/* Is f's open file compressed, and to be read decompressed? */
int		fl_compressed(const struct follow *, const struct ffile *);
/* Read f whole, decompressed (unless --state read it), once. */
enum flow	fl_compressed_read(struct follow *, struct ffile *);
/*
 * A stream's first bytes pre[0, npre), read: with --decompress and a
 * compressed format's magic, the stream is read whole, decompressed,
 * and f->compressed set; else nothing is done.
 */
enum flow	fl_compressed_stream(struct follow *, struct ffile *,
		    const char *pre, size_t npre);
/* f appeared while following: note it as read, without reading it. */
enum flow	fl_compressed_skip(struct follow *, struct ffile *);

/* follow_rotate.c: rotation and truncation */

/* Bring f up to date, whatever happened: every event and tick call it. */
enum flow	fl_reconcile(struct follow *, struct ffile *);
/* The first bytes of s: its identity beside device and inode. */
void		fl_id_read(struct src *);
/* s (size bytes now) truncated or rewritten: from its start again. */
void		fl_truncated(struct follow *, const struct ffile *,
		    struct src *, off_t size);
/* After a read that grew s: the fingerprint of the bytes before off. */
void		fl_fingerprint(struct src *);
/*
 * A rotated generation of f to read on for --rotate-wait: s moves there
 * (s is left closed, holding nothing).  NULL: no memory.
 */
struct src	*fl_old_add(struct follow *, struct ffile *, struct src *s);
/* f's rotated generations closed and freed, with its moved names. */
void		fl_old_free(struct ffile *);
/* Is s the file of this device, inode and first bytes? */
int		fl_same_file(const struct src *, dev_t, ino_t,
		    const unsigned char *id, size_t idlen);

/* follow_state.c: --state */

/* The records of the state file (none without --state); owned. */
struct rec	*fl_state_load(struct follow *, size_t *nrec);
void		 fl_state_free(struct rec *, size_t nrec);
/* f's offsets from the records: 1 when they name it (no -n then). */
int		 fl_state_place(struct follow *, struct ffile *,
		    const struct rec *, size_t nrec);
/* Before the first read: batch sizes for a pipe on stdout. */
void		 fl_state_setup(struct follow *);
/* Bytes to read next, so that the batch fits the output pipe now. */
size_t		 fl_state_read_size(struct follow *, size_t pre);
/* Write the state ahead, as it will be once s is written up to off. */
void		 fl_state_prepare(struct follow *, struct src *, off_t off);
/* After a batch: the state follows the output (no fsync). */
enum flow	 fl_settle(struct follow *);
/* Write the state now (sync: and fsync it). */
void		 fl_state_save(struct follow *, int sync);
/* The run ended with r: a last save, or the one written ahead undone. */
void		 fl_state_end(struct follow *, enum flow r);

/* follow_watch.c: inotify, the polling tick, patterns, the wait */

/* Does the operand hold * ? or [ (a pattern)? */
int		fl_has_glob(const char *);
/* inotify set up, the operands' directories watched, their files added. */
void		fl_watch_start(struct follow *);
/* Watch path for changes (inotify), when inotify is on. */
void		fl_watch_file(struct follow *, const char *path);
/* --once: read streams to their end, write every file out. */
enum flow	fl_watch_once(struct follow *);
/* Follow: reconcile after every event or tick until the end. */
enum flow	fl_watch_loop(struct follow *);
/* inotify closed, the watcher's memory freed. */
void		fl_watch_free(struct follow *);

#endif
