/*
 * lib/bytemask.h: bm_lines, bm_count, bm_find and bm_rfind against
 * plain loops, over
 * buffers of every length to 300 in allocations of exactly that size
 * (so that ASan sees a read past the end), with the byte sought at
 * block edges, in runs, and nowhere.
 */
#include <stdlib.h>

#include "bytemask.h"
#include "tap.h"

static unsigned long rnd = 12345;

static unsigned
next_rand(void)
{
	rnd = rnd * 6364136223846793005u + 1442695040888963407u;
	return (unsigned)(rnd >> 33);
}

/* 0 when bm_lines hands out the '\n's of b, in order, then len. */
static int
lines_agree(const char *b, size_t len)
{
	struct bm_lines l;
	size_t i, got;

	bm_lines_init(&l, b, len);
	for (i = 0; i < len; i++) {
		if (b[i] != '\n')
			continue;
		if ((got = bm_lines_next(&l)) != i)
			return 1;
	}
	return bm_lines_next(&l) != len || bm_lines_next(&l) != len;
}

/* 0 when bm_find and bm_rfind agree with loops over every [lo, hi). */
static int
finds_agree(const char *b, size_t len)
{
	size_t lo, hi, i, want;

	for (lo = 0; lo <= len; lo++) {
		for (hi = lo; hi <= len; hi++) {
			for (i = lo; i < hi && b[i] != '\n'; i++)
				;
			if (bm_find(b, lo, hi, '\n') != i)
				return 1;
			for (want = hi, i = hi; i > lo; i--)
				if (b[i - 1] == '\n') {
					want = i - 1;
					break;
				}
			if (bm_rfind(b, lo, hi, '\n') != want)
				return 1;
		}
	}
	return 0;
}

static size_t
count_plain(const char *b, size_t len, char c)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		n += b[i] == c;
	return n;
}

int
main(void)
{
	size_t len, i;
	int density, bad_lines = 0, bad_count = 0, bad_find = 0;

	for (len = 0; len <= 300; len++) {
		for (density = 0; density < 4; density++) {
			char *b = malloc(len ? len : 1);

			for (i = 0; i < len; i++) {
				unsigned r = next_rand() % 64;

				b[i] = (density == 0 ? 0 : density == 3 ?
				    r < 48 : r < (unsigned)density * 4) ?
				    '\n' : (char)('a' + r % 26);
			}
			bad_lines += lines_agree(b, len);
			bad_count += bm_count(b, len, '\n') !=
			    count_plain(b, len, '\n');
			/* every range is O(len^2): the short lengths and a few */
			if (len <= 160 || len % 37 == 0)
				bad_find += finds_agree(b, len);
			free(b);
		}
	}
	ok(bad_lines == 0, "bm_lines finds every '\\n', then the length");
	ok(bad_count == 0, "bm_count counts as a loop does");
	ok(bad_find == 0, "bm_find and bm_rfind find the first and last "
	    "'\\n' of every range, or say there is none");
	{
		/* over 255 blocks of 16: the byte counters must not wrap */
		size_t n = 255 * 16 * 3 + 5;
		char *b = malloc(n);

		memset(b, '\n', n);
		ok(bm_count(b, n, '\n') == n, "bm_count of %zu in a row", n);
		b[0] = b[n - 1] = 'x';
		ok(bm_count(b, n, '\n') == n - 2, "and at both ends not");
		free(b);
	}
	ok(bm_eq64("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab",
	    'b') == (uint64_t)1 << 63, "bm_eq64: bit 63 is the 64th byte");
	return done_testing();
}
