/*
 * libFuzzer harness for lib/number.c.
 *
 * Any bytes: num_parse() never reads outside [s, s+len) and agrees with
 * num_parse_blanks() on blank-free input.  Whatever parses, formats into
 * at most NUM_BUFSIZE-1 bytes that parse back to the same value (same
 * int64, or the same double bits; nan stays nan).  The raw bytes read as
 * a double and an int64 round-trip the same way.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "number.h"

static void
fail(const char *what, const char *text, size_t len)
{
	fprintf(stderr, "fuzz_number: %s: '%.*s'\n", what, (int)len, text);
	abort();
}

static void
round_trip(const struct num *n)
{
	char buf[NUM_BUFSIZE + 8];
	struct num back;
	size_t len;

	memset(buf, 0x55, sizeof(buf));
	len = num_format(n, buf);
	if (len >= NUM_BUFSIZE)
		fail("format too long", buf, len);
	if (num_parse(buf, len, &back) != 0)
		fail("formatted text does not parse", buf, len);
	if (n->is_int) {
		if (!back.is_int || back.i != n->i)
			fail("integer changed", buf, len);
	} else if (isnan(n->d)) {
		if (!isnan(back.d))
			fail("nan changed", buf, len);
	} else if (memcmp(&back.d, &n->d, sizeof(double)) != 0 &&
	    !(back.d == 0 && n->d == 0)) {
		fail("double changed", buf, len);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct num n, m;
	char *copy;
	int r, blank = 0;
	size_t i;

	/* Exact-size copy so ASan sees any read past the end. */
	if ((copy = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	r = num_parse(copy, size, &n);
	if (r == 0)
		round_trip(&n);
	for (i = 0; i < size; i++)
		blank |= num_is_blank((unsigned char)copy[i]);
	if (num_parse_blanks(copy, size, &m) != r && !blank)
		fail("parse and parse_blanks disagree", copy, size);
	free(copy);

	if (size >= sizeof(double)) {
		double d;
		int64_t i64;

		memcpy(&d, data, sizeof(d));
		num_set_double(&n, d);
		round_trip(&n);
		memcpy(&i64, data, sizeof(i64));
		num_set_int(&n, i64);
		round_trip(&n);
		if (size >= 2 * sizeof(double)) {
			struct num a, b, c;

			memcpy(&i64, data + 8, sizeof(i64));
			num_set_int(&a, i64);
			num_set_int(&b, (int64_t)(data[0] % 8 ? i64 >> data[1] % 64 : i64));
			num_add(&c, &a, &b);
			round_trip(&c);
			num_mul(&c, &a, &b);
			round_trip(&c);
			(void)num_cmp(&a, &b);
		}
	}
	return 0;
}
