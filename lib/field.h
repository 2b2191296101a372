/*
 * field.h: find field N of a line, split as awk splits it (runs of
 * blanks, leading blanks ignored) or as cut does with -d CHAR (each CHAR
 * separates, empty fields count).
 */
#ifndef RUNNEL_FIELD_H
#define RUNNEL_FIELD_H

#include <stddef.h>

#define FIELD_BLANKS	(-1)	/* delim value for awk-style splitting */

/*
 * Find field n (1-based) in line[0, len) (no '\n').  On success set
 * *start and *flen and return 0; return -1 when the line has fewer than
 * n fields.
 */
int	field_find(const char *line, size_t len, size_t n, int delim,
	    size_t *start, size_t *flen);

#endif
