/*
 * Field splitting.  Awk-style splitting is on the hot path of power -f
 * and printer -f (field 10 of an access log is ~80 bytes in), so it
 * looks at 64 bytes a step: a field starts at a non-blank byte after a
 * blank (or at the line's start), so the starts in a block are
 * ~blank & (blank << 1 | carry), and counting them skips whole fields
 * at once.
 */
#include <string.h>

#include "bytemask.h"
#include "field.h"

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Bit j set when line[i + j] is a blank, j in [0, n); n <= 64.  The
 * bytes before line + i are readable too (they are the line's).
 */
static uint64_t
blank_mask(const char *line, size_t i, size_t n)
{
	const char *p = line + i;
	uint64_t m = 0;
	size_t j = 0;

#ifdef __SSE2__
	if (i + n >= 16) {
		for (; j + 16 <= n; j += 16)
			m |= bm_blank16(p + j) << j;
		/* the rest: the last 16 bytes again, shifted into place */
		if (j < n)
			m |= bm_blank16(p + n - 16) >> (16 - (n - j)) << j;
		return m;
	}
#endif
	for (; j < n; j++)
		m |= (uint64_t)is_blank(p[j]) << j;
	return m;
}

/* Without -mpopcnt, __builtin_popcountll is a libgcc call: too slow here. */
static unsigned
count64(uint64_t x)
{
	x -= x >> 1 & 0x5555555555555555u;
	x = (x & 0x3333333333333333u) + (x >> 2 & 0x3333333333333333u);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fu;
	return (unsigned)((x * 0x0101010101010101u) >> 56);
}

static int
awk_field(const char *line, size_t len, size_t n, size_t *start,
    size_t *flen)
{
	size_t i, k;
	uint64_t prev = 1;	/* the byte before i was a blank (or none) */

	for (i = 0; i < len; i += 64) {
		size_t w = len - i < 64 ? len - i : 64;
		uint64_t b = blank_mask(line, i, w);
		uint64_t valid = w == 64 ? ~(uint64_t)0 : ((uint64_t)1 << w) - 1;
		uint64_t starts = ~b & (b << 1 | prev) & valid;
		size_t c = count64(starts);

		if (c < n) {
			n -= c;
			prev = b >> 63;
			continue;
		}
		while (--n > 0)
			starts &= starts - 1;
		k = bm_ctz(starts);
		*start = i + k;
		/* the field ends at the next blank, here or further on */
		b = (b | ~valid) >> k;
		if (b != 0) {
			*flen = bm_ctz(b);
			return 0;
		}
		for (i += 64; i < len; i += 64) {
			b = blank_mask(line, i, len - i < 64 ? len - i : 64);
			if (b != 0) {
				*flen = i + bm_ctz(b) - *start;
				return 0;
			}
		}
		*flen = len - *start;
		return 0;
	}
	return -1;
}

int
field_find(const char *line, size_t len, size_t n, int delim, size_t *start,
    size_t *flen)
{
	size_t i = 0, k;
	const char *d;

	if (n == 0)
		return -1;
	if (delim == FIELD_BLANKS)
		return awk_field(line, len, n, start, flen);
	for (k = 1; k < n; k++) {
		if ((d = memchr(line + i, delim, len - i)) == NULL)
			return -1;
		i = (size_t)(d + 1 - line);
	}
	d = memchr(line + i, delim, len - i);
	*start = i;
	*flen = (d ? (size_t)(d - line) : len) - i;
	return 0;
}
