/*
 * libFuzzer harness for lib/record_logfmt.c.  Input: KEY '\n' LINE.
 * Invariants: a value lies inside the line, right after "KEY=" (or
 * "KEY=\"", then before a '"'), or is the empty value of a bare KEY;
 * no later pair has the same key (the last wins); its text is no longer
 * than its bytes; a line logfmt_reads() takes has the fields it shows.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record_int.h"

static void
fail(const char *what)
{
	fprintf(stderr, "fuzz_logfmt: %s\n", what);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *d = (const char *)data, *nl, *line, *v, *k;
	size_t klen, len, n;
	struct record_fmt f;
	struct record r;
	struct rspan s;

	if ((nl = memchr(d, '\n', size)) == NULL)
		return 0;
	klen = (size_t)(nl - d);
	line = nl + 1;
	len = size - klen - 1;
	if ((nl = memchr(line, '\n', len)) != NULL)
		len = (size_t)(nl - line);
	if (logfmt_find(line, len, d, klen, &s) < 0)
		return 0;
	if (s.p < line || s.p + s.len > line + len)
		fail("value outside the line");
	v = s.p;
	if (v > line && v[-1] == '"' && v + s.len < line + len &&
	    v[s.len] == '"')
		v--;
	if (v > line && v[-1] == '=') {
		v--;
	} else if (s.len != 0) {
		fail("a value not after '='");
	}
	k = v - klen;
	if (k < line || memcmp(k, d, klen) != 0 || (k > line && k[-1] != ' '
	    && k[-1] != '\t'))
		fail("the value is not the key's");
	record_fmt_init(&f);
	record_init(&r, &f, -1);
	if (rspan_text(&r, &s, &n) == NULL || n > s.len)
		fail("text longer than its bytes");
	record_free(&r);
	return 0;
}
