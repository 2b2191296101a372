/*
 * libFuzzer harness for lib/record_parse.c (--parse REGEX).  Input:
 * REGEX '\n' NAME '\n' LINE.  A pattern that compiles and has the name
 * gives a field inside the line, the same on a second reading (the
 * match data is reused), and equal to pcre2_substring_get_byname's.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record_int.h"

static void
fail(const char *what)
{
	fprintf(stderr, "fuzz_parse: %s\n", what);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *d = (const char *)data, *a, *b;
	char *re, name[64];
	size_t rl, nl, len;
	struct record_fmt f;
	struct record r;
	struct rspan s, s2;
	PCRE2_UCHAR *sub;
	PCRE2_SIZE sublen;
	int got;

	if ((a = memchr(d, '\n', size)) == NULL || (b = memchr(a + 1, '\n',
	    size - (size_t)(a + 1 - d))) == NULL)
		return 0;
	rl = (size_t)(a - d);
	nl = (size_t)(b - a - 1);
	len = size - (size_t)(b + 1 - d);
	if (rl > 200 || nl >= sizeof(name) || memchr(d, '\0', rl) ||
	    memchr(a + 1, '\0', nl) || (re = malloc(rl + 1)) == NULL)
		return 0;
	memcpy(re, d, rl);
	re[rl] = '\0';
	memcpy(name, a + 1, nl);
	name[nl] = '\0';
	record_fmt_init(&f);
	f.kind = RECORD_PARSE;
	f.regex = re;
	if (parse_compile(&f, "fuzz_parse") < 0 || !parse_has(&f, name, nl))
		goto out;
	if (record_init(&r, &f, -1) < 0)
		goto out;
	got = parse_find(&r, b + 1, len, name, nl, &s) == 0;
	if (got && (s.p < b + 1 || s.p + s.len > b + 1 + len))
		fail("field outside the line");
	if (got != (parse_find(&r, b + 1, len, name, nl, &s2) == 0) ||
	    (got && (s.p != s2.p || s.len != s2.len)))
		fail("a second reading differs");
	if (got) {
		if (pcre2_substring_get_byname(r.md, (PCRE2_SPTR)name, &sub,
		    &sublen) != 0 || sublen != s.len ||
		    memcmp(sub, s.p, s.len) != 0)
			fail("differs from pcre2_substring_get_byname");
		pcre2_substring_free(sub);
	}
	record_free(&r);
out:
	record_fmt_free(&f);
	free(re);
	return 0;
}
