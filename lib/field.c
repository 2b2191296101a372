/*
 * Field splitting.  Awk-style splitting is on the hot path of power -f
 * and printer -f (field 10 of an access log is ~100 bytes in), so it
 * looks at 16 bytes at a time where SSE2 is there: a field starts at a
 * non-blank byte after a blank (or at the line's start), so the starts in
 * a block are ~blank & (blank << 1 | carry), and counting them with
 * popcount skips whole fields per step.
 */
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "field.h"

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

#ifdef __SSE2__
/* Bit i set when p[i] is a blank, for 16 bytes. */
static unsigned
blank_mask(const char *p)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i b = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')),
	    _mm_cmpeq_epi8(v, _mm_set1_epi8('\t')));

	return (unsigned)_mm_movemask_epi8(b);
}
#endif

#ifdef __SSE2__
/* Without -mpopcnt, __builtin_popcount is a libgcc call: too slow here. */
static unsigned
count16(unsigned x)
{
	x -= x >> 1 & 0x5555;
	x = (x & 0x3333) + (x >> 2 & 0x3333);
	x = (x + (x >> 4)) & 0x0f0f;
	return (x + (x >> 8)) & 0x1f;
}
#endif

/* Index of the first blank at or after i, or len. */
static size_t
blank_from(const char *line, size_t len, size_t i)
{
#ifdef __SSE2__
	for (; i + 16 <= len; i += 16) {
		unsigned b = blank_mask(line + i);

		if (b != 0)
			return i + (size_t)__builtin_ctz(b);
	}
#endif
	while (i < len && !is_blank(line[i]))
		i++;
	return i;
}

static int
awk_field(const char *line, size_t len, size_t n, size_t *start,
    size_t *flen)
{
	size_t i = 0;
	unsigned prev = 1;	/* the byte before i was a blank (or none) */

#ifdef __SSE2__
	for (; i + 16 <= len; i += 16) {
		unsigned b = blank_mask(line + i);
		unsigned starts = ~b & (b << 1 | prev) & 0xffff;
		size_t c = count16(starts);

		if (c >= n) {
			while (--n > 0)
				starts &= starts - 1;
			*start = i + (size_t)__builtin_ctz(starts);
			*flen = blank_from(line, len, *start) - *start;
			return 0;
		}
		n -= c;
		prev = b >> 15 & 1;
	}
#endif
	for (; i < len; i++) {
		unsigned blank = is_blank(line[i]);

		if (!blank && prev && --n == 0) {
			*start = i;
			*flen = blank_from(line, len, i) - i;
			return 0;
		}
		prev = blank;
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
