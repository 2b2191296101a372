/*
 * outbuf.h: the output buffer of a stage that writes lines of its own
 * (decorated, rewritten, cut out): built up in place, pushed on to the
 * next stage in one call, then empty again.  It grows (grow.h) to hold
 * whatever one push needs and keeps its size.  Owned by the stage.
 */
#ifndef RUNNEL_OUTBUF_H
#define RUNNEL_OUTBUF_H

#include <stddef.h>
#include <string.h>

#include "stage.h"

#define OUTBUF_FIRST	(64 * 1024)

struct outbuf {
	char	*buf;		/* NULL until the first reserve */
	size_t	 len, cap;
	const char *name;	/* names the stage in an ENOMEM message */
};

/* Grow to hold n more bytes: 0, or -1 after "NAME: output buffer: ...". */
int		outbuf_grow(struct outbuf *, size_t n);

/* Room for n more bytes at ob->buf + ob->len; 0 or -1 as above. */
static inline int
outbuf_reserve(struct outbuf *ob, size_t n)
{
	/* the common case, a line at a time: no call */
	if (ob->len + n <= ob->cap)
		return 0;
	return outbuf_grow(ob, n);
}

static inline int
outbuf_add(struct outbuf *ob, const void *p, size_t n)
{
	if (n == 0)
		return 0;	/* buf may still be NULL */
	if (outbuf_reserve(ob, n) < 0)
		return -1;
	memcpy(ob->buf + ob->len, p, n);
	ob->len += n;
	return 0;
}

/* Push what is held into next and empty the buffer. */
enum flow	outbuf_push(struct outbuf *, struct stage *next);
void		outbuf_free(struct outbuf *);

#endif
