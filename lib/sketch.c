/*
 * The log-bucketed histogram (sketch.h).  Counters are 32 bits wide
 * until one would overflow, then all 64: most groups of a summary are
 * small, and their buckets are most of printer's memory once it stops
 * holding values.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sketch.h"

/* ln g, g = (1 + a) / (1 - a) */
static double
log_gamma(void)
{
	static double lg;

	if (lg == 0)
		lg = log1p(2 * SKETCH_ALPHA / (1 - SKETCH_ALPHA));
	return lg;
}

/* The bucket of a magnitude: ceil(log_g x). */
static int32_t
bucket_of(double x)
{
	return (int32_t)ceil(log(x) / log_gamma());
}

/* The value that stands for bucket i: within a of all it holds. */
static double
bucket_value(int32_t i)
{
	double g = (1 + SKETCH_ALPHA) / (1 - SKETCH_ALPHA);

	return 2 * exp(i * log_gamma()) / (g + 1);
}

static uint64_t
store_get(const struct sketch_store *st, uint32_t k)
{
	return st->wide ? ((const uint64_t *)st->count)[k] : st->count[k];
}

/* Make [lo, lo + cap) hold bucket i, with room to spare on its side. */
static int
store_reach(struct sketch_store *st, int32_t i)
{
	int64_t lo = st->lo, hi = (int64_t)st->lo + st->cap, nlo, nhi, slack;
	size_t w = st->wide ? sizeof(uint64_t) : sizeof(uint32_t);
	char *c;

	if (st->cap == 0)
		lo = hi = i;
	/* grow by half the range at least: amortised O(1) a bucket */
	slack = (hi - lo) / 2 < 8 ? 8 : (hi - lo) / 2;
	nlo = i < lo ? i - slack : lo;
	nhi = i >= hi ? i + 1 + slack : hi;
	if ((c = calloc((size_t)(nhi - nlo), w)) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	if (st->cap > 0)
		memcpy(c + (size_t)(lo - nlo) * w, st->count, st->cap * w);
	free(st->count);
	st->count = (uint32_t *)(void *)c;
	st->lo = (int32_t)nlo;
	st->cap = (uint32_t)(nhi - nlo);
	return 0;
}

static int
store_widen(struct sketch_store *st)
{
	uint64_t *c;
	uint32_t k;

	if ((c = malloc(st->cap * sizeof(*c))) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	for (k = 0; k < st->cap; k++)
		c[k] = st->count[k];
	free(st->count);
	st->count = (uint32_t *)(void *)c;
	st->wide = 1;
	return 0;
}

static int
store_add(struct sketch_store *st, int32_t i)
{
	uint32_t k;

	if ((st->cap == 0 || i < st->lo || (int64_t)i >= (int64_t)st->lo +
	    st->cap) && store_reach(st, i) < 0)
		return -1;
	k = (uint32_t)(i - st->lo);
	if (!st->wide && st->count[k] == UINT32_MAX && store_widen(st) < 0)
		return -1;
	if (st->wide)
		((uint64_t *)(void *)st->count)[k]++;
	else
		st->count[k]++;
	st->total++;
	return 0;
}

void
sketch_init(struct sketch *s)
{
	memset(s, 0, sizeof(*s));
}

void
sketch_free(struct sketch *s)
{
	free(s->pos.count);
	free(s->neg.count);
	sketch_init(s);
}

int
sketch_add(struct sketch *s, double x)
{
	int r = 0;

	if (x == 0)
		s->zero++;
	else if (isinf(x))
		*(x > 0 ? &s->pinf : &s->ninf) += 1;
	else if (x > 0)
		r = store_add(&s->pos, bucket_of(x));
	else
		r = store_add(&s->neg, bucket_of(-x));
	if (r == 0)
		s->n++;
	return r;
}

/*
 * The bucket where the r-th count of st falls (r <= st->total), walking
 * up from the least bucket or down from the greatest.
 */
static int32_t
store_rank(const struct sketch_store *st, uint64_t r, int down)
{
	uint64_t seen = 0;
	uint32_t j, k;

	for (j = 0; j < st->cap; j++) {
		k = down ? st->cap - 1 - j : j;
		seen += store_get(st, k);
		if (seen >= r)
			return st->lo + (int32_t)k;
	}
	return st->lo + (int32_t)st->cap - 1;	/* not reached */
}

double
sketch_rank(const struct sketch *s, uint64_t r)
{
	if (r <= s->ninf)
		return -INFINITY;
	r -= s->ninf;
	/* the negatives in increasing order: greatest magnitude first */
	if (r <= s->neg.total)
		return -bucket_value(store_rank(&s->neg, r, 1));
	r -= s->neg.total;
	if (r <= s->zero)
		return 0;
	r -= s->zero;
	if (r <= s->pos.total)
		return bucket_value(store_rank(&s->pos, r, 0));
	return INFINITY;
}

size_t
sketch_bytes(const struct sketch *s)
{
	return (size_t)s->pos.cap * (s->pos.wide ? 8 : 4) +
	    (size_t)s->neg.cap * (s->neg.wide ? 8 : 4);
}
