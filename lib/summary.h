/*
 * summary.h: the statistics of a stream of numbers: count, sum, min,
 * max, mean exact in int64 while they can be (power's rules), the
 * sample standard deviation, nearest-rank percentiles (quantile.h) and
 * the rate; and the LIST that picks them ("count,sum,p99").
 */
#ifndef RUNNEL_SUMMARY_H
#define RUNNEL_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

#include "number.h"
#include "quantile.h"

enum stat_kind {
	STAT_COUNT, STAT_SUM, STAT_MIN, STAT_MAX, STAT_MEAN, STAT_STDDEV,
	STAT_PCT, STAT_RATE
};

struct stat_item {
	enum stat_kind	kind;
	uint64_t	pnum, pden;	/* pNN: NN = pnum / pden */
	char		name[24];	/* as LIST spells it: "p99.9" */
};

#define SUMMARY_MAXITEMS	32

/* A LIST: which statistics, in which order, and what they need kept. */
struct summary_list {
	int		 n;
	struct stat_item item[SUMMARY_MAXITEMS];
	int		 values;	/* a percentile: keep the values */
	int		 moments;	/* stddev: keep the variance */
	int		 numbers;	/* a statistic of the values (not
					   count or rate) */
};

struct summary {
	uint64_t	 count;
	int		 sum_is_int;
	int64_t		 isum;
	double		 dsum, comp;	/* Neumaier-compensated double sum */
	struct num	 min, max;
	double		 mean, m2;	/* Welford's running variance */
	struct qstore	*q;		/* the values, for percentiles;
					   owned by the budget */
};

void	summary_init(struct summary *);
/*
 * Count x in s, keeping what list needs (the values go to a store of
 * budget b).  -1 when out of memory.
 */
int	summary_add(struct summary *, const struct summary_list *,
	    struct qbudget *b, const struct num *x);
/*
 * The value of item: seconds is the time the rate is over.  *approx is
 * set for a percentile from a sketch.
 */
void	summary_value(struct summary *, const struct stat_item *,
	    double seconds, struct num *out, int *approx);

/*
 * Parse "count,sum,p99,..." into list; -1 on an unknown or empty name
 * or a bad percentile.
 */
int	summary_list_parse(const char *text, struct summary_list *list);
/* count,sum,min,max,mean */
void	summary_list_all(struct summary_list *);
/* count alone */
void	summary_list_count(struct summary_list *);

#endif
