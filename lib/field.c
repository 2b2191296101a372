#include <string.h>

#include "field.h"

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

int
field_find(const char *line, size_t len, size_t n, int delim, size_t *start,
    size_t *flen)
{
	size_t i = 0, k;

	if (n == 0)
		return -1;
	if (delim != FIELD_BLANKS) {
		for (k = 1; k < n; k++) {
			const char *d = memchr(line + i, delim, len - i);

			if (d == NULL)
				return -1;
			i = d + 1 - line;
		}
		const char *d = memchr(line + i, delim, len - i);

		*start = i;
		*flen = (d ? (size_t)(d - line) : len) - i;
		return 0;
	}
	for (k = 1;; k++) {
		size_t b;

		while (i < len && is_blank(line[i]))
			i++;
		if (i == len)
			return -1;
		b = i;
		while (i < len && !is_blank(line[i]))
			i++;
		if (k == n) {
			*start = b;
			*flen = i - b;
			return 0;
		}
	}
}
