/*
 * libFuzzer harness for lib/logtime.c: any bytes as the text where a
 * time should start.  Invariants: what it takes lies inside the text;
 * a parser that remembers the last date and time gives what a fresh one
 * gives (after this text, and after another text); the UTC offset is
 * one a zone can have.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logtime.h"

static void
fail(const char *what)
{
	fprintf(stderr, "fuzz_logtime: %s\n", what);
	abort();
}

static struct logtime_parser warm;
static int warm_ok;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct logtime_parser fresh;
	struct logtime a, b;
	ptrdiff_t ua, ub;
	char *s;

	if (!warm_ok) {
		if (logtime_init(&warm) < 0)
			return 0;
		warm_ok = 1;
	}
	/* exactly size bytes: a read past the text is an ASan error */
	if ((s = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	if (logtime_init(&fresh) < 0) {
		free(s);
		return 0;
	}
	ua = logtime_parse(&fresh, s, size, &a);
	ub = logtime_parse(&warm, s, size, &b);
	if (ua != ub)
		fail("a warm parser takes another length than a fresh one");
	if (ua >= 0) {
		if ((size_t)ua > size || ua == 0)
			fail("took bytes outside the text");
		if (a.ms != b.ms || a.off != b.off || a.local != b.local)
			fail("a warm parser reads another time");
		if (a.off < -24 * 3600 || a.off > 24 * 3600)
			fail("an offset no zone has");
		/* the same text again, from the cache */
		if (logtime_parse(&fresh, s, size, &b) != ua || a.ms != b.ms ||
		    a.off != b.off)
			fail("the cache reads another time");
	}
	logtime_free(&fresh);
	free(s);
	return 0;
}
