/*
 * quantile.h: the values of a summary's percentiles.  Each summary (a
 * group of printer --by, or the one summary) has a store; the stores of
 * one window share a budget.  While they hold at most QUANTILE_LIMIT
 * values in all, each keeps its values and a rank is exact; the value
 * that would pass the limit turns every store of the budget into a
 * sketch (sketch.h), and stores made after that start as sketches, so
 * memory stays bounded by the number of stores.
 */
#ifndef RUNNEL_QUANTILE_H
#define RUNNEL_QUANTILE_H

#include <stddef.h>
#include <stdint.h>

#include "number.h"
#include "sketch.h"

#define QUANTILE_LIMIT	1000000

union qval {
	int64_t	i;
	double	d;
};

struct qstore {
	struct qstore	*next;		/* the budget's list */
	int		 approx;	/* a sketch, not values */
	int		 ints;		/* every value an integer: v[].i */
	int		 sorted;
	union qval	*v;
	size_t		 n, cap;
	struct sketch	 sk;
	double		 min, max;	/* of the sketch's values */
};

struct qbudget {
	size_t		 held, limit;
	int		 approx;	/* the limit was passed */
	struct qstore	*stores;	/* owned */
};

void	qbudget_init(struct qbudget *, size_t limit);
/* Free every store of the budget and start afresh (a new window). */
void	qbudget_reset(struct qbudget *);
/* A new empty store in the budget; NULL when out of memory. */
struct qstore *qstore_new(struct qbudget *);
/*
 * Add x (NaN is left out); may turn every store into a sketch.  -1 when
 * out of memory (x not added).
 */
int	qstore_add(struct qstore *, struct qbudget *, const struct num *x);
/* How many values the store has counted. */
uint64_t qstore_count(const struct qstore *);
/*
 * The value at nearest rank r, 1 <= r <= qstore_count(): exact, or from
 * the sketch (*approx set) rounded to an integer when every value was
 * one, else to 4 significant digits, within 1% of the exact value.
 * Sorts the store's values the first time.
 */
void	qstore_rank(struct qstore *, uint64_t r, struct num *out,
	    int *approx);
/*
 * Nearest rank of percentile num / den (as a fraction of 100: p99.9 is
 * 999 / 10) among n values: the least r with r >= n * num / (100 den),
 * at least 1.  Exact integer arithmetic: p7 of 100 is rank 7, not 8.
 */
uint64_t quantile_rank(uint64_t n, uint64_t num, uint64_t den);

#endif
