/*
 * fieldspec.h: the field SPECs of an option (printer --by and --time):
 * "SPEC[,SPEC]...", each a field number N (1-based).  The one place a
 * SPEC is read, so that names (a record format's fields) come in here.
 */
#ifndef RUNNEL_FIELDSPEC_H
#define RUNNEL_FIELDSPEC_H

#include <stddef.h>

#include "options.h"

#define FIELDSPEC_MAX	16	/* SPECs in one list */

struct fieldspec {
	size_t	num;		/* field number, 1-based */
	char	label[32];	/* its name in a summary: "f9" */
};

/*
 * Parse the last option's argument (option c of op) as at most max
 * SPECs into out[0, *n).  -1 after a message naming the option.
 */
int	fieldspec_list(struct opt_parser *op, int c, struct fieldspec *out,
	    size_t max, size_t *n);

#endif
