#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fieldspec.h"

/* One SPEC, [s, s + len): a number for now. */
static int
spec_one(struct opt_parser *op, int c, const char *s, size_t len,
    struct fieldspec *f)
{
	char sp[64], q[64 * 4 + 4];
	size_t k, v = 0;

	for (k = 0; k < len && s[k] >= '0' && s[k] <= '9'; k++) {
		if (v > (SIZE_MAX - 9) / 10) {
			k = 0;
			break;
		}
		v = v * 10 + (size_t)(s[k] - '0');
	}
	if (len > 0 && k == len && v > 0) {
		f->num = v;
		snprintf(f->label, sizeof(f->label), "f%zu", v);
		return 0;
	}
	opt_spelling(op, c, sp, sizeof(sp));
	diag_quote(q, s, len, 64);
	if (len == 0 || k == len || (s[0] >= '0' && s[0] <= '9'))
		diag(op->prog, "invalid field number '%s' for %s", q, sp);
	else
		diag(op->prog, "invalid field '%s' for %s: a field number is "
		    "needed (names are not supported yet)", q, sp);
	return -1;
}

int
fieldspec_list(struct opt_parser *op, int c, struct fieldspec *out,
    size_t max, size_t *n)
{
	const char *p = op->arg;
	char sp[64];

	*n = 0;
	for (;;) {
		size_t len = strcspn(p, ",");

		if (*n == max) {
			diag(op->prog, "too many fields for %s (at most %zu)",
			    opt_spelling(op, c, sp, sizeof(sp)), max);
			return -1;
		}
		if (spec_one(op, c, p, len, &out[*n]) < 0)
			return -1;
		(*n)++;
		if (p[len] == '\0')
			return 0;
		p += len + 1;
	}
}
