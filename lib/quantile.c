/*
 * Percentile values (quantile.h): exact while the budget allows, a
 * sketch after.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "quantile.h"

void
qbudget_init(struct qbudget *b, size_t limit)
{
	memset(b, 0, sizeof(*b));
	b->limit = limit;
}

void
qbudget_reset(struct qbudget *b)
{
	struct qstore *q, *next;

	for (q = b->stores; q != NULL; q = next) {
		next = q->next;
		free(q->v);
		sketch_free(&q->sk);
		free(q);
	}
	qbudget_init(b, b->limit);
}

struct qstore *
qstore_new(struct qbudget *b)
{
	struct qstore *q;

	if ((q = calloc(1, sizeof(*q))) == NULL)
		return NULL;
	q->ints = 1;
	q->approx = b->approx;
	sketch_init(&q->sk);
	q->min = INFINITY;
	q->max = -INFINITY;
	q->next = b->stores;
	b->stores = q;
	return q;
}

static int
sketch_in(struct qstore *q, double d)
{
	if (sketch_add(&q->sk, d) < 0)
		return -1;
	if (d < q->min)
		q->min = d;
	if (d > q->max)
		q->max = d;
	return 0;
}

/* Move the values of q into its sketch and free them. */
static int
to_sketch(struct qstore *q)
{
	size_t k;

	for (k = 0; k < q->n; k++)
		if (sketch_in(q, q->ints ? (double)q->v[k].i : q->v[k].d) < 0) {
			sketch_free(&q->sk);
			q->min = INFINITY;
			q->max = -INFINITY;
			return -1;
		}
	free(q->v);
	q->v = NULL;
	q->n = q->cap = 0;
	q->approx = 1;
	return 0;
}

/*
 * The limit is passed: every store becomes a sketch.  Values are moved,
 * never lost, so a store that could not be moved for want of memory is
 * left as it is (it stays exact, and counted in held).
 */
static int
budget_switch(struct qbudget *b)
{
	struct qstore *q;
	int r = 0;

	b->approx = 1;
	for (q = b->stores; q != NULL; q = q->next) {
		size_t n = q->n;

		if (q->approx)
			continue;
		if (to_sketch(q) < 0)
			r = -1;
		else
			b->held -= n;
	}
	return r;
}

int
qstore_add(struct qstore *q, struct qbudget *b, const struct num *x)
{
	size_t k;

	if (isnan(x->d))
		return 0;
	if (!q->approx && b->held >= b->limit && budget_switch(b) < 0)
		return -1;
	if (q->approx) {
		q->ints &= x->is_int;
		return sketch_in(q, x->d);
	}
	if (q->n == q->cap) {
		char *v = (char *)q->v;
		size_t cap = q->cap * sizeof(*q->v);

		if (grow(&v, &cap, (q->n + 1) * sizeof(*q->v), 256) < 0)
			return -1;
		q->v = (union qval *)(void *)v;
		q->cap = cap / sizeof(*q->v);
	}
	if (q->ints && !x->is_int) {
		for (k = 0; k < q->n; k++)
			q->v[k].d = (double)q->v[k].i;
		q->ints = 0;
	}
	if (q->ints)
		q->v[q->n++].i = x->i;
	else
		q->v[q->n++].d = x->d;
	q->sorted = 0;
	b->held++;
	return 0;
}

uint64_t
qstore_count(const struct qstore *q)
{
	return q->approx ? q->sk.n : q->n;
}

static int
cmp_int(const void *a, const void *b)
{
	int64_t x = ((const union qval *)a)->i, y = ((const union qval *)b)->i;

	return (x > y) - (x < y);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = ((const union qval *)a)->d, y = ((const union qval *)b)->d;

	return (x > y) - (x < y);
}

/* x to 4 significant digits: the digits a 1% estimate can vouch for. */
static double
round4(double x)
{
	char buf[64];

	if (x == 0 || !isfinite(x))
		return x;
	snprintf(buf, sizeof(buf), "%.3e", x);
	return strtod(buf, NULL);
}

void
qstore_rank(struct qstore *q, uint64_t r, struct num *out, int *approx)
{
	double d;

	*approx = q->approx;
	if (!q->approx) {
		if (!q->sorted) {
			qsort(q->v, q->n, sizeof(*q->v),
			    q->ints ? cmp_int : cmp_double);
			q->sorted = 1;
		}
		if (q->ints)
			num_set_int(out, q->v[r - 1].i);
		else
			num_set_double(out, q->v[r - 1].d);
		return;
	}
	/* The exact least and greatest are better than their buckets. */
	if (r == 1)
		d = q->min;
	else if (r == q->sk.n)
		d = q->max;
	else if (q->ints)
		d = round(sketch_rank(&q->sk, r));
	else
		d = round4(sketch_rank(&q->sk, r));
	d = d < q->min ? q->min : d > q->max ? q->max : d;
	if (d == floor(d) && fabs(d) < 9e15)
		num_set_int(out, (int64_t)d);
	else
		num_set_double(out, d);
}

uint64_t
quantile_rank(uint64_t n, uint64_t num, uint64_t den)
{
	unsigned __int128 p = (unsigned __int128)n * num;
	unsigned __int128 q = (unsigned __int128)100 * den;
	uint64_t r = (uint64_t)((p + q - 1) / q);

	return r < 1 ? 1 : r > n ? n : r;
}
