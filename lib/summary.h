/*
 * summary.h: the running count, sum, min, max and mean of a stream of
 * numbers, exact in int64 while it can be (power's rules), written as
 * "count=N sum=S min=A max=B mean=M" or the fields a LIST picks.
 */
#ifndef RUNNEL_SUMMARY_H
#define RUNNEL_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

#include "number.h"

enum summary_field { SUM_COUNT, SUM_SUM, SUM_MIN, SUM_MAX, SUM_MEAN };
#define SUMMARY_NFIELDS	5

struct summary {
	uint64_t	count;
	int		sum_is_int;
	int64_t		isum;
	double		dsum, comp;	/* Neumaier-compensated double sum */
	struct num	min, max;
};

/* A field list: which fields, in which order. */
struct summary_list {
	int	n;
	enum summary_field field[SUMMARY_NFIELDS * 4];
};

void	summary_init(struct summary *);
void	summary_add(struct summary *, const struct num *);
/* Parse "count,sum,..." into list; -1 on an unknown or empty name. */
int	summary_list_parse(const char *text, struct summary_list *list);
void	summary_list_all(struct summary_list *);
/* Format the summary line with its '\n' into buf; returns the length. */
size_t	summary_format(const struct summary *, const struct summary_list *,
	    char *buf, size_t size);

#endif
