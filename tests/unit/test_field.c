/* Unit tests for lib/field.c: awk-style and cut-style fields. */
#include <stdlib.h>

#include "field.h"
#include "tap.h"

/* Field n the obvious way, for the comparison below. */
static int
plain_field(const char *s, size_t len, size_t n, size_t *start, size_t *flen)
{
	size_t i = 0, k;

	for (k = 1;; k++) {
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i == len)
			return -1;
		*start = i;
		while (i < len && s[i] != ' ' && s[i] != '\t')
			i++;
		*flen = i - *start;
		if (k == n)
			return 0;
	}
}

/*
 * field_find() looks at 64 bytes a step and reads blocks again from
 * before a short rest: lines of every length to 200, in allocations of
 * exactly that size (ASan sees a read past either end), every field.
 */
static int
random_lines_agree(void)
{
	unsigned long r = 99;
	size_t len, i, n, s1, l1, s2, l2;
	int trial, bad = 0;

	for (len = 0; len <= 200; len++) {
		for (trial = 0; trial < 8; trial++) {
			char *b = malloc(len ? len : 1);

			for (i = 0; i < len; i++) {
				r = r * 6364136223846793005u + 1;
				b[i] = (r >> 60) < (unsigned)trial + 1 ?
				    ((r >> 59) & 1 ? ' ' : '\t') : 'x';
			}
			for (n = 1; n <= len / 2 + 2; n++) {
				int w = plain_field(b, len, n, &s1, &l1);
				int g = field_find(b, len, n, FIELD_BLANKS,
				    &s2, &l2);

				if (w != g || (w == 0 && (s1 != s2 ||
				    l1 != l2)))
					bad++;
			}
			free(b);
		}
	}
	return bad;
}

static const char *
field(const char *line, size_t n, int delim)
{
	static char buf[256];
	size_t start, len;

	if (field_find(line, strlen(line), n, delim, &start, &len) < 0)
		return "(none)";
	snprintf(buf, sizeof(buf), "%.*s", (int)len, line + start);
	return buf;
}

int
main(void)
{
	is_str(field("a b c", 1, FIELD_BLANKS), "a", "first");
	is_str(field("a b c", 3, FIELD_BLANKS), "c", "last");
	is_str(field("  a \t b  ", 2, FIELD_BLANKS), "b", "blank runs, leading");
	is_str(field("a b", 3, FIELD_BLANKS), "(none)", "too few");
	is_str(field("   ", 1, FIELD_BLANKS), "(none)", "blank line");
	is_str(field("", 1, FIELD_BLANKS), "(none)", "empty line");
	is_str(field("a b\r", 2, FIELD_BLANKS), "b\r", "CR stays in the field");
	is_str(field("a,,c", 2, ','), "", "empty cut field");
	is_str(field("a,,c", 3, ','), "c", "cut field after empty");
	is_str(field("abc", 1, ','), "abc", "no delimiter: field 1 is the line");
	is_str(field("abc", 2, ','), "(none)", "no delimiter: no field 2");
	is_str(field("a,b,", 3, ','), "", "trailing empty field");
	is_str(field("x", 0, ','), "(none)", "field 0 is none");
	ok(random_lines_agree() == 0, "every field of random lines to 200 bytes");
	{
		/* a field over many blocks of 64: its end is found by block */
		static char big[1005];
		size_t st, fl;

		memset(big, 'x', sizeof(big));
		big[1] = ' ';
		big[1002] = '\t';
		ok(field_find(big, sizeof(big), 2, FIELD_BLANKS, &st, &fl) == 0 &&
		    st == 2 && fl == 1000, "a 1000-byte field ends at its blank");
		ok(field_find(big, 1002, 2, FIELD_BLANKS, &st, &fl) == 0 &&
		    st == 2 && fl == 1000, "and at the line's end");
	}
	return done_testing();
}
