#include <math.h>
#include <stdio.h>
#include <string.h>

#include "summary.h"

static const char *const field_names[SUMMARY_NFIELDS] = {
	"count", "sum", "min", "max", "mean"
};

void
summary_init(struct summary *s)
{
	memset(s, 0, sizeof(*s));
	s->sum_is_int = 1;
}

void
summary_add(struct summary *s, const struct num *x)
{
	double t;

	if (s->count == 0 || num_cmp(x, &s->min) < 0 || isnan(s->min.d))
		s->min = *x;
	if (s->count == 0 || num_cmp(x, &s->max) > 0 || isnan(s->max.d))
		s->max = *x;
	s->count++;
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
summary_list_parse(const char *text, struct summary_list *list)
{
	const char *p = text;

	list->n = 0;
	for (;;) {
		size_t n = strcspn(p, ","), i;

		for (i = 0; i < SUMMARY_NFIELDS; i++)
			if (strlen(field_names[i]) == n &&
			    strncmp(field_names[i], p, n) == 0)
				break;
		if (i == SUMMARY_NFIELDS ||
		    list->n == (int)(sizeof(list->field) / sizeof(list->field[0])))
			return -1;
		list->field[list->n++] = i;
		if (p[n] == '\0')
			return 0;
		p += n + 1;
	}
}

void
summary_list_all(struct summary_list *list)
{
	int i;

	for (i = 0; i < SUMMARY_NFIELDS; i++)
		list->field[i] = i;
	list->n = SUMMARY_NFIELDS;
}

size_t
summary_format(const struct summary *s, const struct summary_list *list,
    char *buf, size_t size)
{
	size_t len = 0;
	int i;

	for (i = 0; i < list->n; i++) {
		char v[NUM_BUFSIZE];
		struct num sum;

		if (s->sum_is_int)
			num_set_int(&sum, s->isum);
		else
			num_set_double(&sum, isfinite(s->dsum) ?
			    s->dsum + s->comp : s->dsum);
		switch (list->field[i]) {
		case SUM_COUNT:
			snprintf(v, sizeof(v), "%llu",
			    (unsigned long long)s->count);
			break;
		case SUM_SUM:
			num_format(&sum, v);
			break;
		case SUM_MIN:
		case SUM_MAX:
			if (s->count == 0)
				num_format_double(NAN, v);
			else
				num_format(list->field[i] == SUM_MIN ?
				    &s->min : &s->max, v);
			break;
		case SUM_MEAN:
			num_format_double(s->count == 0 ? NAN :
			    s->sum_is_int ?
			    (double)((long double)s->isum / s->count) :
			    sum.d / s->count, v);
			break;
		}
		len += snprintf(buf + len, size - len, "%s%s=%s",
		    i ? " " : "", field_names[list->field[i]], v);
		if (len >= size)
			len = size - 1;
	}
	if (len < size - 1)
		buf[len++] = '\n';
	return len;
}
