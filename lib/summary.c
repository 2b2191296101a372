#include <math.h>
#include <stdio.h>
#include <string.h>

#include "summary.h"

static const char *const stat_names[] = {
	"count", "sum", "min", "max", "mean", "stddev", "", "rate"
};

void
summary_init(struct summary *s)
{
	memset(s, 0, sizeof(*s));
	s->sum_is_int = 1;
}

static void
add_sum(struct summary *s, const struct num *x)
{
	double t;

	if (s->sum_is_int) {
		int64_t r;

		if (x->is_int && !__builtin_add_overflow(s->isum, x->i, &r)) {
			s->isum = r;
			return;
		}
		s->sum_is_int = 0;
		s->dsum = (double)s->isum;
		s->comp = (long double)s->isum - (long double)s->dsum;
	}
	/* Neumaier's compensated sum: long columns of decimals stay exact. */
	t = s->dsum + x->d;
	if (!isfinite(t))
		s->comp = 0;
	else if (fabs(s->dsum) >= fabs(x->d))
		s->comp += (s->dsum - t) + x->d;
	else
		s->comp += (x->d - t) + s->dsum;
	s->dsum = t;
}

int
summary_add(struct summary *s, const struct summary_list *l,
    struct qbudget *b, const struct num *x)
{
	if (s->count == 0 || num_cmp(x, &s->min) < 0 || isnan(s->min.d))
		s->min = *x;
	if (s->count == 0 || num_cmp(x, &s->max) > 0 || isnan(s->max.d))
		s->max = *x;
	s->count++;
	add_sum(s, x);
	if (l->moments) {
		double d = x->d - s->mean;

		s->mean += d / (double)s->count;
		s->m2 += d * (x->d - s->mean);
	}
	if (l->values) {
		if (s->q == NULL && (s->q = qstore_new(b)) == NULL)
			return -1;
		return qstore_add(s->q, b, x);
	}
	return 0;
}

void
summary_value(struct summary *s, const struct stat_item *it, double seconds,
    struct num *out, int *approx)
{
	uint64_t n;

	*approx = 0;
	switch (it->kind) {
	case STAT_COUNT:
		num_set_int(out, (int64_t)s->count);
		break;
	case STAT_SUM:
		if (s->sum_is_int)
			num_set_int(out, s->isum);
		else
			num_set_double(out, isfinite(s->dsum) ?
			    s->dsum + s->comp : s->dsum);
		break;
	case STAT_MIN:
	case STAT_MAX:
		if (s->count == 0)
			num_set_double(out, NAN);
		else
			*out = it->kind == STAT_MIN ? s->min : s->max;
		break;
	case STAT_MEAN:
		if (s->count == 0)
			num_set_double(out, NAN);
		else if (s->sum_is_int)
			num_set_double(out,
			    (double)((long double)s->isum / s->count));
		else
			num_set_double(out, (isfinite(s->dsum) ?
			    s->dsum + s->comp : s->dsum) / s->count);
		break;
	case STAT_STDDEV:
		num_set_double(out, s->count < 2 ? NAN :
		    sqrt(s->m2 / (double)(s->count - 1)));
		break;
	case STAT_PCT:
		n = s->q != NULL ? qstore_count(s->q) : 0;
		if (n == 0)
			num_set_double(out, NAN);
		else
			qstore_rank(s->q, quantile_rank(n, it->pnum, it->pden),
			    out, approx);
		break;
	case STAT_RATE:
		num_set_double(out, s->count == 0 ? 0 :
		    (double)s->count / seconds);
		break;
	}
}

/* "pNN" or "pNN.N...": 0 <= NN <= 100, as pnum / pden. */
static int
parse_pct(const char *p, size_t n, struct stat_item *it)
{
	uint64_t num = 0, den = 1;
	size_t k = 1;
	int frac = 0, digits = 0;

	if (n < 2 || p[0] != 'p')
		return -1;
	for (; k < n; k++) {
		if (p[k] == '.' && !frac && digits > 0 && k + 1 < n) {
			frac = 1;
			continue;
		}
		if (p[k] < '0' || p[k] > '9' || ++digits > 15)
			return -1;
		num = num * 10 + (uint64_t)(p[k] - '0');
		if (frac)
			den *= 10;
	}
	if (num > 100 * den)
		return -1;
	it->pnum = num;
	it->pden = den;
	return 0;
}

int
summary_list_parse(const char *text, struct summary_list *list)
{
	const char *p = text;

	memset(list, 0, sizeof(*list));
	for (;;) {
		size_t n = strcspn(p, ","), i;
		struct stat_item *it = &list->item[list->n];

		if (list->n == SUMMARY_MAXITEMS || n >= sizeof(it->name))
			return -1;
		for (i = 0; i < sizeof(stat_names) / sizeof(*stat_names); i++)
			if (strlen(stat_names[i]) == n && n > 0 &&
			    strncmp(stat_names[i], p, n) == 0)
				break;
		if (i < sizeof(stat_names) / sizeof(*stat_names))
			it->kind = i;
		else if (parse_pct(p, n, it) == 0)
			it->kind = STAT_PCT;
		else
			return -1;
		memcpy(it->name, p, n);
		it->name[n] = '\0';
		list->values |= it->kind == STAT_PCT;
		list->moments |= it->kind == STAT_STDDEV;
		list->numbers |= it->kind != STAT_COUNT &&
		    it->kind != STAT_RATE;
		list->n++;
		if (p[n] == '\0')
			return 0;
		p += n + 1;
	}
}

void
summary_list_all(struct summary_list *list)
{
	summary_list_parse("count,sum,min,max,mean", list);
}

void
summary_list_count(struct summary_list *list)
{
	summary_list_parse("count", list);
}
