/*
 * libFuzzer harness for lib/record_clf.c (combined and common logs).
 * The input is the line (cut at its first '\n').  Invariants: every
 * field lies inside the line; either all of host to bytes are there or
 * none is; time is between '[' and ']', a quoted field between quotes;
 * a word holds no blank; referer is there iff agent is; method, path and
 * protocol lie inside request; a found field's text (unescaped) is no
 * longer than its bytes; and detection agrees with clf_find.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record_int.h"

static void
fail(const char *what)
{
	fprintf(stderr, "fuzz_clf: %s\n", what);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *line = (const char *)data, *nl;
	size_t len = size, k, n;
	struct rspan s[CLF_NFIELDS];
	int got[CLF_NFIELDS], i;
	struct record_fmt f;
	struct record r;
	const char *t;

	if ((nl = memchr(line, '\n', len)) != NULL)
		len = (size_t)(nl - line);
	record_fmt_init(&f);
	f.kind = RECORD_COMBINED;
	record_init(&r, &f, -1);
	for (i = 0; i < CLF_NFIELDS; i++) {
		got[i] = clf_find(line, len, i, &s[i]) == 0;
		if (!got[i])
			continue;
		if (s[i].p < line || s[i].p + s[i].len > line + len)
			fail("field outside the line");
		if ((t = rspan_text(&r, &s[i], &n)) == NULL || n > s[i].len)
			fail("text longer than its bytes");
	}
	record_free(&r);
	for (i = CLF_HOST; i <= CLF_BYTES; i++)
		if (i != CLF_METHOD && i != CLF_PATH && i != CLF_PROTOCOL &&
		    got[i] != got[CLF_HOST])
			fail("host to bytes: some there, some not");
	if (got[CLF_REFERER] != got[CLF_AGENT])
		fail("referer without agent");
	if (got[CLF_HOST] != clf_reads(line, len))
		fail("detection differs");
	if (!got[CLF_HOST])
		return 0;
	if (s[CLF_TIME].p[-1] != '[' || s[CLF_TIME].p[s[CLF_TIME].len] != ']')
		fail("time not between brackets");
	if (s[CLF_REQUEST].p[-1] != '"' ||
	    s[CLF_REQUEST].p[s[CLF_REQUEST].len] != '"')
		fail("request not between quotes");
	for (i = CLF_METHOD; i <= CLF_PROTOCOL; i++)
		if (got[i] && (s[i].p < s[CLF_REQUEST].p || s[i].p + s[i].len >
		    s[CLF_REQUEST].p + s[CLF_REQUEST].len))
			fail("request word outside request");
	for (i = CLF_HOST; i <= CLF_BYTES; i++)
		if (i != CLF_TIME && i != CLF_REQUEST && got[i])
			for (k = 0; k < s[i].len; k++)
				if (s[i].p[k] == ' ' || s[i].p[k] == '\t')
					fail("blank inside a word");
	return 0;
}
