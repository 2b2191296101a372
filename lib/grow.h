/*
 * grow.h: the one way a byte buffer grows in runnel: doubling, from a
 * first size the owner picks, so that appending a line at a time costs
 * amortised O(1).  The buffer stays owned by the caller.
 */
#ifndef RUNNEL_GROW_H
#define RUNNEL_GROW_H

#include <stddef.h>

/*
 * Make *buf (of *cap bytes; NULL and 0 at first) hold at least need
 * bytes, keeping its contents.  0, or -1 with errno ENOMEM and *buf
 * untouched.
 */
int	grow(char **buf, size_t *cap, size_t need, size_t first);

#endif
