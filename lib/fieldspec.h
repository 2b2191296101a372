/*
 * fieldspec.h: the field SPECs of an option (printer --by and --time):
 * "SPEC[,SPEC]...", each a field number N (1-based) or a NAME read by
 * a record format (record.h).  The one place such a list is read.
 */
#ifndef RUNNEL_FIELDSPEC_H
#define RUNNEL_FIELDSPEC_H

#include <stddef.h>

#include "options.h"
#include "record.h"

#define FIELDSPEC_MAX	16	/* SPECs in one list */
#define FIELDSPEC_NAME	128	/* room for a NAME and its NUL */

struct fieldspec {
	struct rfield	f;
	char		label[FIELDSPEC_NAME];	/* in a summary: "f9", NAME */
};

/*
 * Parse the last option's argument (option c of op) as at most max
 * SPECs into out[0, *n).  -1 after a message naming the option.
 */
int	fieldspec_list(struct opt_parser *op, int c, struct fieldspec *out,
	    size_t max, size_t *n);

#endif
