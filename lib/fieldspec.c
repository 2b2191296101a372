#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "fieldspec.h"

/* One SPEC, [s, s + len): a number or a name (record.h). */
static int
spec_one(struct opt_parser *op, int c, const char *s, size_t len,
    struct fieldspec *f)
{
	char sp[64];

	if (rfield_parse(op, c, s, len, &f->f) < 0)
		return -1;
	if (f->f.num > 0) {
		snprintf(f->label, sizeof(f->label), "f%zu", f->f.num);
		return 0;
	}
	if (len >= sizeof(f->label) || memchr(s, '\0', len) != NULL) {
		diag(op->prog, "field name too long for %s (at most %zu bytes)",
		    opt_spelling(op, c, sp, sizeof(sp)), sizeof(f->label) - 1);
		return -1;
	}
	memcpy(f->label, s, len);
	f->label[len] = '\0';
	return 0;
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
