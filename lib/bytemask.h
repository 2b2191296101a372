/*
 * bytemask.h: where a byte sits in a block of 64, as the bits of a mask.
 *
 * Stages walk their input line by line, and a memchr call a line costs
 * more than the work on the line when lines are short: about 10 ns for
 * an 84-byte log line, three or four times over in a chain.  Hot loops
 * instead take all the line ends of 64 bytes at once and step through
 * them with ctz.  SSE2 where it is there (every x86-64), plain C else.
 */
#ifndef RUNNEL_BYTEMASK_H
#define RUNNEL_BYTEMASK_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Bit i set when p[i] == c, i in [0, n), n <= 64. */
static inline uint64_t
bm_eq_short(const char *p, size_t n, char c)
{
	uint64_t m = 0;
	size_t i;

	for (i = 0; i < n; i++)
		m |= (uint64_t)(p[i] == c) << i;
	return m;
}

#ifdef __SSE2__
static inline uint64_t
bm_eq16(const char *p, __m128i v)
{
	return (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(
	    _mm_loadu_si128((const __m128i *)(const void *)p), v));
}
#endif

#ifdef __SSE2__
/* Bit i set when p[i] is a space or a tab, for the 16 bytes at p. */
static inline uint64_t
bm_blank16(const char *p)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);

	return (uint32_t)_mm_movemask_epi8(_mm_or_si128(
	    _mm_cmpeq_epi8(v, _mm_set1_epi8(' ')),
	    _mm_cmpeq_epi8(v, _mm_set1_epi8('\t'))));
}
#endif

/* Bit i set when p[i] == c, for the 64 bytes at p (all readable). */
static inline uint64_t
bm_eq64(const char *p, char c)
{
#ifdef __SSE2__
	__m128i v = _mm_set1_epi8(c);

	return bm_eq16(p, v) | bm_eq16(p + 16, v) << 16 |
	    bm_eq16(p + 32, v) << 32 | bm_eq16(p + 48, v) << 48;
#else
	return bm_eq_short(p, 64, c);
#endif
}

/*
 * Bit j set when base[off + j] == c, for the 64 bytes at base + off or
 * as many as there are up to len.  Near the end it reads the last 16
 * bytes of base again rather than go byte by byte: short pushes (a few
 * lines) are common in a chain.
 */
static inline uint64_t
bm_eq_at(const char *base, size_t off, size_t len, char c)
{
	size_t n = len - off, j = 0;
	uint64_t m = 0;

	if (n >= 64)
		return bm_eq64(base + off, c);
#ifdef __SSE2__
	if (len >= 16) {
		__m128i v = _mm_set1_epi8(c);

		for (; j + 16 <= n; j += 16)
			m |= bm_eq16(base + off + j, v) << j;
		if (j < n)
			m |= bm_eq16(base + len - 16, v) >> (16 - (n - j)) << j;
		return m;
	}
#endif
	return bm_eq_short(base + off, n, c);
}

static inline unsigned
bm_ctz(uint64_t m)
{
	return (unsigned)__builtin_ctzll(m);
}

/*
 * Offset of the first c in base[from, len), or len.  The next 64 bytes
 * by mask, then memchr: most searches for a line's end stop within 64
 * bytes, where a call costs more than the search.
 */
static inline size_t
bm_find(const char *base, size_t from, size_t len, char c)
{
	const char *q;
	uint64_t m;

	if (from >= len)
		return len;
	if ((m = bm_eq_at(base, from, len, c)) != 0)
		return from + bm_ctz(m);
	if (len - from <= 64)
		return len;
	q = memchr(base + from + 64, (unsigned char)c, len - from - 64);
	return q != NULL ? (size_t)(q - base) : len;
}

/*
 * Offset of the last c in base[lo, hi), or hi when there is none: the
 * 64 bytes before hi by mask, then memrchr.
 */
static inline size_t
bm_rfind(const char *base, size_t lo, size_t hi, char c)
{
	const char *q;
	uint64_t m;

	if (hi <= lo)
		return hi;
	if (hi - lo >= 64) {
		if ((m = bm_eq64(base + hi - 64, c)) != 0)
			return hi - 1 - (size_t)__builtin_clzll(m);
		if (hi - lo == 64)
			return hi;
		q = memrchr(base + lo, (unsigned char)c, hi - 64 - lo);
		return q != NULL ? (size_t)(q - base) : hi;
	}
	if ((m = bm_eq_at(base, lo, hi, c)) != 0)
		return lo + 63 - (size_t)__builtin_clzll(m);
	return hi;
}

/* The line ends of a buffer, one at a time: see bm_lines_next(). */
struct bm_lines {
	const char	*base;
	size_t		 len;
	size_t		 blk;		/* offset of the block in mask */
	uint64_t	 mask;		/* its '\n's not yet handed out */
};

static inline void
bm_lines_init(struct bm_lines *l, const char *p, size_t n)
{
	l->base = p;
	l->len = n;
	l->blk = 0;
	l->mask = bm_eq_at(p, 0, n, '\n');
}

/* Offset of the next '\n', or the buffer's length when none is left. */
static inline size_t
bm_lines_next(struct bm_lines *l)
{
	size_t at;

	while (l->mask == 0) {
		if (l->len - l->blk <= 64)
			return l->len;
		l->blk += 64;
		l->mask = bm_eq_at(l->base, l->blk, l->len, '\n');
	}
	at = l->blk + bm_ctz(l->mask);
	l->mask &= l->mask - 1;
	return at;
}

/* How many bytes of [p, p + n) are c. */
static inline size_t
bm_count(const char *p, size_t n, char c)
{
	size_t count = 0, i = 0;

#ifdef __SSE2__
	__m128i v = _mm_set1_epi8(c), zero = _mm_setzero_si128();

	while (n - i >= 16) {
		/* each equal byte takes 1 off its lane: 255 steps fit */
		__m128i acc = zero;
		int k;

		for (k = 0; k < 255 && n - i >= 16; k++, i += 16)
			acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(_mm_loadu_si128(
			    (const __m128i *)(const void *)(p + i)), v));
		acc = _mm_sad_epu8(acc, zero);
		count += (size_t)_mm_cvtsi128_si32(acc) +
		    (size_t)_mm_cvtsi128_si32(_mm_srli_si128(acc, 8));
	}
	if (i < n && n >= 16) {
		/* the last 16 bytes again, less those counted */
		uint64_t m = bm_eq16(p + n - 16, v) >> (16 - (n - i));

		for (; m != 0; m &= m - 1)
			count++;
		i = n;
	}
#endif
	for (; i < n; i++)
		count += p[i] == c;
	return count;
}

#endif
