/*
 * libFuzzer harness for lib/field.c.
 *
 * First byte: the delimiter (0 means awk-style blanks); second: the field
 * number.  The rest is the line (no '\n' by contract: cut there).
 * Invariants: a found field lies inside the line; it holds no delimiter
 * (no blank in awk mode) and, in cut mode, is bounded by delimiters or the
 * line's ends; field n exists iff n-1 exist; awk fields are non-empty;
 * and awk mode finds what a plain byte-at-a-time scan finds.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "field.h"

static void
fail(const char *what)
{
	fprintf(stderr, "fuzz_field: %s\n", what);
	abort();
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The plain scan that lib/field.c's block scan must agree with. */
static int
ref_awk(const char *line, size_t len, size_t n, size_t *start, size_t *flen)
{
	size_t i = 0, k, b;

	for (k = 1;; k++) {
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int delim;
	size_t n, len, start, flen, s2, l2;
	const char *nl;
	char *line;

	if (size < 2)
		return 0;
	delim = data[0] ? data[0] : FIELD_BLANKS;
	n = data[1] % 32 + 1;
	len = size - 2;
	if ((nl = memchr(data + 2, '\n', len)) != NULL)
		len = (size_t)(nl - (const char *)(data + 2));
	if ((line = malloc(len ? len : 1)) == NULL)
		return 0;
	memcpy(line, data + 2, len);

	if (delim == FIELD_BLANKS) {
		int got = field_find(line, len, n, delim, &start, &flen);

		if (got != ref_awk(line, len, n, &s2, &l2) ||
		    (got == 0 && (start != s2 || flen != l2)))
			fail("awk field differs from the plain scan");
	}
	if (field_find(line, len, n, delim, &start, &flen) == 0) {
		if (start > len || flen > len - start)
			fail("field outside the line");
		if (delim == FIELD_BLANKS) {
			size_t i;

			if (flen == 0)
				fail("empty awk field");
			for (i = start; i < start + flen; i++)
				if (is_blank(line[i]))
					fail("blank inside an awk field");
			if (start + flen < len && !is_blank(line[start + flen]))
				fail("awk field cut short");
		} else {
			if (memchr(line + start, delim, flen) != NULL)
				fail("delimiter inside a field");
			if (start > 0 && line[start - 1] != (char)delim)
				fail("field not after a delimiter");
			if (start + flen < len && line[start + flen] != (char)delim)
				fail("field not before a delimiter");
		}
		if (n > 1 && field_find(line, len, n - 1, delim, &s2, &l2) != 0)
			fail("field n found but not n-1");
		if (n > 1 && s2 + l2 > start)
			fail("field n-1 after field n");
	}
	free(line);
	return 0;
}
