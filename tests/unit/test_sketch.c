/*
 * The sketch's error bound (sketch.h) and the percentile store around it
 * (quantile.h): on random, skewed, constant, signed and wide-ranging
 * data, every rank the sketch gives is within SKETCH_ALPHA of the exact
 * nearest-rank value, and what printer writes (rounded, clamped) within
 * 1%.  The worst error seen is printed as a TAP comment.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "quantile.h"
#include "sketch.h"
#include "tap.h"

#define N	200000

static uint64_t rng = 0x9E3779B97F4A7C15u;

static double
uniform(void)	/* (0, 1) */
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return ((rng >> 11) + 0.5) / 9007199254740992.0;
}

static double
normal(void)
{
	return sqrt(-2 * log(uniform())) * cos(2 * M_PI * uniform());
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double worst_sketch, worst_printed;

static double
rel(double got, double want)
{
	if (got == want)
		return 0;
	return fabs(got - want) / fabs(want);
}

/*
 * Every 1/1000 quantile of v[0, n) (and the extremes) from a sketch and
 * from a store that is a sketch from the start: the worst relative
 * errors, or 1 when a value is off by more than its bound.
 */
static int
check(const char *what, double *v, size_t n)
{
	struct sketch s;
	struct qbudget b;
	struct qstore *q;
	double ws = 0, wp = 0;
	size_t k;
	int bad = 0, approx;

	sketch_init(&s);
	qbudget_init(&b, 0);
	q = qstore_new(&b);
	for (k = 0; k < n; k++) {
		struct num x;

		if (v[k] == floor(v[k]) && fabs(v[k]) < 1e15)
			num_set_int(&x, (int64_t)v[k]);
		else
			num_set_double(&x, v[k]);
		if (sketch_add(&s, v[k]) < 0 || qstore_add(q, &b, &x) < 0)
			bad = 1;
	}
	qsort(v, n, sizeof(*v), cmp);
	for (k = 0; k <= 1000; k++) {
		uint64_t r = quantile_rank(n, k, 10);
		double es = rel(sketch_rank(&s, r), v[r - 1]);
		struct num out;

		qstore_rank(q, r, &out, &approx);
		if (es > SKETCH_ALPHA * (1 + 1e-9) || !approx ||
		    rel(out.d, v[r - 1]) > 0.01)
			bad = 1;
		ws = es > ws ? es : ws;
		wp = rel(out.d, v[r - 1]) > wp ? rel(out.d, v[r - 1]) : wp;
	}
	printf("# %s: worst %.5f%% (sketch), %.5f%% (printed), %zu bytes\n",
	    what, ws * 100, wp * 100, sketch_bytes(&s));
	worst_sketch = ws > worst_sketch ? ws : worst_sketch;
	worst_printed = wp > worst_printed ? wp : worst_printed;
	ok(!bad && s.n == n, "%s: within the bound", what);
	sketch_free(&s);
	qbudget_reset(&b);
	return bad;
}

int
main(void)
{
	double *v = malloc(N * sizeof(*v));
	struct qbudget b;
	struct qstore *q1, *q2;
	struct num x, out;
	struct sketch s;
	size_t k;
	int approx, bad;

	for (k = 0; k < N; k++)
		v[k] = 1 + uniform() * 1e6;
	check("uniform in [1, 1e6]", v, N);
	for (k = 0; k < N; k++)
		v[k] = floor(100 + uniform() * 200000);
	check("integers in [100, 200100)", v, N);
	for (k = 0; k < N; k++)
		v[k] = floor(1 + uniform() * 300);
	check("integers in [1, 300]", v, N);
	for (k = 0; k < N; k++)
		v[k] = floor(exp(3 + 2 * normal()));
	check("lognormal integers (skewed)", v, N);
	for (k = 0; k < N; k++)
		v[k] = exp(3 + 2 * normal());
	check("lognormal (skewed)", v, N);
	for (k = 0; k < N; k++)
		v[k] = 1 / pow(uniform(), 1 / 1.2);
	check("pareto 1.2 (heavy tail)", v, N);
	for (k = 0; k < N; k++)
		v[k] = -log(uniform()) * 0.001;
	check("exponential, mean 0.001", v, N);
	for (k = 0; k < N; k++)
		v[k] = 42;
	check("constant 42", v, N);
	for (k = 0; k < N; k++)
		v[k] = 0.1;
	check("constant 0.1", v, N);
	for (k = 0; k < N; k++)
		v[k] = k % 7 == 0 ? 0 : (uniform() - 0.5) * 1e4;
	check("negative, zero and positive", v, N);
	for (k = 0; k < N; k++)
		v[k] = pow(10, uniform() * 600 - 300) * (k % 2 ? 1 : -1);
	check("1e-300 to 1e300, both signs", v, N);
	for (k = 0; k < 1000; k++)
		v[k] = k % 3 == 0 ? INFINITY : k % 3 == 1 ? -INFINITY : 5;
	check("infinities", v, 1000);
	printf("# worst relative error: %.5f%% sketch, %.5f%% printed\n",
	    worst_sketch * 100, worst_printed * 100);

	/* memory: the range of the values, not their number */
	sketch_init(&s);
	bad = 0;
	for (k = 0; k < 5000000; k++)
		bad |= sketch_add(&s, 100 + uniform() * 200000);
	ok(!bad && sketch_bytes(&s) < 8192,
	    "5e6 values in [100, 200100): %zu bytes", sketch_bytes(&s));
	sketch_free(&s);

	/* ranks: exact integer arithmetic */
	ok(quantile_rank(100, 7, 1) == 7, "p7 of 100 is rank 7");
	ok(quantile_rank(100, 57, 1) == 57, "p57 of 100 is rank 57");
	ok(quantile_rank(1000, 999, 10) == 999, "p99.9 of 1000 is rank 999");
	ok(quantile_rank(1001, 999, 10) == 1000, "p99.9 of 1001 is 1000");
	ok(quantile_rank(5, 0, 1) == 1, "p0 is the least");
	ok(quantile_rank(5, 100, 1) == 5, "p100 is the greatest");
	ok(quantile_rank(UINT64_MAX, 50, 1) == UINT64_MAX / 2 + 1,
	    "no overflow");

	/* the budget: the value past the limit turns every store */
	qbudget_init(&b, 10);
	q1 = qstore_new(&b);
	q2 = qstore_new(&b);
	for (k = 0; k < 10; k++) {
		num_set_int(&x, (int64_t)k * 1000000007);
		qstore_add(k % 2 ? q1 : q2, &b, &x);
	}
	qstore_rank(q1, 5, &out, &approx);
	ok(!approx && !b.approx && b.held == 10 && out.is_int &&
	    out.i == 9000000063, "at the limit: exact integers");
	num_set_double(&x, NAN);
	qstore_add(q1, &b, &x);
	ok(!b.approx && qstore_count(q1) == 5, "NaN is not a value");
	num_set_int(&x, 1);
	qstore_add(q1, &b, &x);
	ok(b.approx && q1->approx && q2->approx && b.held == 0 &&
	    qstore_count(q1) == 6 && qstore_count(q2) == 5,
	    "past it: every store a sketch, no value lost");
	qstore_rank(q2, 5, &out, &approx);
	ok(approx && out.is_int && out.i == 8000000056,
	    "the greatest is exact: %lld", (long long)out.i);
	q1 = qstore_new(&b);
	ok(q1->approx, "a new store starts as a sketch");
	qbudget_reset(&b);
	ok(b.stores == NULL && !b.approx && b.held == 0, "reset: afresh");

	q1 = qstore_new(&b);
	num_set_int(&x, 3);
	qstore_add(q1, &b, &x);
	num_set_double(&x, 2.5);
	qstore_add(q1, &b, &x);
	qstore_rank(q1, 2, &out, &approx);
	ok(!out.is_int && out.d == 3, "a fraction turns the integers to doubles");
	qbudget_reset(&b);
	free(v);
	return done_testing();
}
