#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>


#include "bytemask.h"
#include "number.h"

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Parse the digits of a plain integer into n; -1 when it overflows. */
static int
parse_int64(const char *s, size_t len, int neg, int64_t *out)
{
	uint64_t v = 0, limit = neg ? (uint64_t)INT64_MAX + 1 : INT64_MAX;
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned d = s[i] - '0';

		if (v > (limit - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}

static double
parse_double(const char *s, size_t len)
{
	char small[64], *p = small;
	double d;

	/* strtod wants a NUL; copy, since the text sits inside a line. */
	if (len >= sizeof(small) && (p = malloc(len + 1)) == NULL)
		return NAN;
	memcpy(p, s, len);
	p[len] = '\0';
	d = strtod(p, NULL);
	if (p != small)
		free(p);
	return d;
}

static int
match_word(const char *s, size_t len, const char *word)
{
	return len == strlen(word) && strncasecmp(s, word, len) == 0;
}

int
num_parse(const char *s, size_t len, struct num *out)
{
	size_t i = 0, d0, intdigits, fracdigits = 0;
	int neg = 0, frac = 0, expo = 0;

	if (i < len && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	d0 = i;
	if (i < len && !is_digit(s[i]) && s[i] != '.') {
		if (match_word(s + i, len - i, "inf") ||
		    match_word(s + i, len - i, "infinity")) {
			num_set_double(out, neg ? -INFINITY : INFINITY);
			return 0;
		}
		if (match_word(s + i, len - i, "nan")) {
			num_set_double(out, NAN);
			return 0;
		}
		return -1;
	}
	while (i < len && is_digit(s[i]))
		i++;
	intdigits = i - d0;
	if (i < len && s[i] == '.') {
		frac = 1;
		for (i++; i < len && is_digit(s[i]); i++)
			fracdigits++;
	}
	if (intdigits + fracdigits == 0)
		return -1;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		size_t e = ++i;

		expo = 1;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			e = ++i;
		while (i < len && is_digit(s[i]))
			i++;
		if (i == e)
			return -1;
	}
	if (i != len)
		return -1;
	if (!frac && !expo) {
		if (parse_int64(s + d0, intdigits, neg, &out->i) == 0) {
			num_set_int(out, out->i);
			return 0;
		}
	}
	num_set_double(out, parse_double(s, len));
	return 0;
}

int
num_parse_blanks(const char *s, size_t len, struct num *out)
{
	while (len > 0 && num_is_blank((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len > 0 && num_is_blank((unsigned char)s[len - 1]))
		len--;
#ifdef __SSE2__
	/*
	 * printer tries every line it passes (for its summary): most are
	 * text, and a blank among the first 16 bytes says so at once.
	 */
	if (len >= 16 && bm_blank16(s) != 0)
		return -1;
#endif
	return num_parse(s, len, out);
}

size_t
num_format_int(int64_t i, char *buf)
{
	char tmp[24], *p = tmp + sizeof(tmp);
	uint64_t v = i < 0 ? 0 - (uint64_t)i : (uint64_t)i;
	size_t n;

	do {
		*--p = '0' + v % 10;
		v /= 10;
	} while (v != 0);
	if (i < 0)
		*--p = '-';
	n = tmp + sizeof(tmp) - p;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return n;
}

size_t
num_format_double(double d, char *buf)
{
	/* Room for any "%.*g" in gcc's eyes; 17 digits need far less. */
	char tmp[320];
	int lo = 1, hi = 17, n;

	if (isnan(d))
		return (size_t)snprintf(buf, NUM_BUFSIZE, "nan");
	if (isinf(d))
		return (size_t)snprintf(buf, NUM_BUFSIZE, d < 0 ? "-inf" : "inf");
	/*
	 * Round-tripping is monotonic in the precision (more correctly
	 * rounded digits are never farther away), so search for the least.
	 */
	while (lo < hi) {
		int mid = (lo + hi) / 2;

		snprintf(tmp, sizeof(tmp), "%.*g", mid, d);
		if (strtod(tmp, NULL) == d)
			hi = mid;
		else
			lo = mid + 1;
	}
	n = snprintf(tmp, sizeof(tmp), "%.*g", lo, d);
	memcpy(buf, tmp, n + 1);
	return (size_t)n;
}

size_t
num_format(const struct num *n, char *buf)
{
	if (n->is_int)
		return num_format_int(n->i, buf);
	return num_format_double(n->d, buf);
}

void
num_add(struct num *out, const struct num *a, const struct num *b)
{
	int64_t r;

	if (a->is_int && b->is_int && !__builtin_add_overflow(a->i, b->i, &r))
		num_set_int(out, r);
	else
		num_set_double(out, a->d + b->d);
}

void
num_mul(struct num *out, const struct num *a, const struct num *b)
{
	int64_t r;

	if (a->is_int && b->is_int && !__builtin_mul_overflow(a->i, b->i, &r))
		num_set_int(out, r);
	else
		num_set_double(out, a->d * b->d);
}

int
num_cmp(const struct num *a, const struct num *b)
{
	if (a->is_int && b->is_int)
		return (a->i > b->i) - (a->i < b->i);
	return (a->d > b->d) - (a->d < b->d);
}
