/*
 * sketch.h: a log-bucketed histogram for quantiles with a bounded
 * relative error, after DDSketch (Masson, Rim, Lee: "DDSketch: a fast
 * and fully-mergeable quantile sketch with relative-error guarantees",
 * VLDB 2019).  Bucket i holds the magnitudes in (g^(i-1), g^i], with
 * g = (1 + a) / (1 - a); a bucket's value is 2 g^i / (g + 1), within a
 * of every magnitude in it.  Negative values are counted by magnitude
 * in a mirrored set of buckets, zero and the infinities in their own;
 * NaN is not a value here.  Memory is one counter a bucket between the
 * least and the greatest bucket used, so it is bounded by the range of
 * the values, not their number.
 */
#ifndef RUNNEL_SKETCH_H
#define RUNNEL_SKETCH_H

#include <stddef.h>
#include <stdint.h>

/*
 * The relative error of a bucket's value: below 1% with room for
 * printer's rounding (quantile.c): to an integer when the values are
 * integers (exact below 125, where a bucket holds one integer at most;
 * 0.4% more above), else to 4 significant digits (0.05% more).
 */
#define SKETCH_ALPHA	0.004

/* Counters for a run of buckets [lo, lo + cap). */
struct sketch_store {
	uint32_t	*count;
	int32_t		 lo;
	uint32_t	 cap;
	uint64_t	 total;
	int		 wide;		/* count is really uint64_t */
};

struct sketch {
	struct sketch_store pos, neg;	/* neg counts -x */
	uint64_t	 zero, pinf, ninf;
	uint64_t	 n;
};

void	sketch_init(struct sketch *);
void	sketch_free(struct sketch *);
/* Count x (not NaN); -1 with errno ENOMEM, x not counted. */
int	sketch_add(struct sketch *, double x);
/*
 * The value of rank r (1 <= r <= n): the r-th least value counted,
 * within SKETCH_ALPHA of it relatively (exact for 0 and the
 * infinities).
 */
double	sketch_rank(const struct sketch *, uint64_t r);
/* Bytes held, for the tests of its bound. */
size_t	sketch_bytes(const struct sketch *);

#endif
