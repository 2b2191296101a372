/*
 * linehold.h: the piece of a line that came without its '\n', held
 * until the rest arrives, so that what goes on is whole lines only (as
 * a reader of a pipe sees them).  Used where pushes may cut a line:
 * between pipe's stages, at a broadcast branch's end, on a command's
 * output, on a followed file's last line.
 */
#ifndef RUNNEL_LINEHOLD_H
#define RUNNEL_LINEHOLD_H

#include <stddef.h>

#include "stage.h"

struct linehold {
	char	*buf;		/* owned; NULL until a piece is held */
	size_t	 len, cap;
};

/* Where whole lines go: a borrowed run of them. */
typedef enum flow (*linehold_out)(void *ctx, const char *data, size_t len);

/*
 * Pass len bytes of data on as whole lines: the held piece with the
 * rest of its line (one call), then the whole lines after it (one call,
 * borrowed from data); what follows the last '\n' is held.  Returns the
 * first answer that is not FLOW_GO, or FLOW_ERROR after "NAME: line
 * buffer: ..." when memory runs out.
 */
enum flow	linehold_push(struct linehold *, const char *data, size_t len,
		    linehold_out out, void *ctx, const char *name);
/* Hold len bytes (no '\n' among them) after what is held; 0 or -1. */
int		linehold_add(struct linehold *, const char *data, size_t len,
		    const char *name);
/* The piece held (a last line without '\n'), passed on and forgotten. */
enum flow	linehold_drain(struct linehold *, linehold_out out, void *ctx);
void		linehold_free(struct linehold *);

#endif
