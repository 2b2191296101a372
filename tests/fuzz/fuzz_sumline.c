/*
 * libFuzzer harness for lib/sumline.c: any bytes as a key's value.  In
 * text the value is its bytes; in JSON it is one string that a strict
 * reader takes: valid UTF-8, no raw control byte, every escape one of
 * JSON's, the closing quote where it belongs.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sumline.h"

static void
fail(const char *what)
{
	fprintf(stderr, "fuzz_sumline: %s\n", what);
	abort();
}

/* A strict JSON string at s[0, n), quotes included; its length or 0. */
static size_t
json_string_len(const unsigned char *s, size_t n)
{
	size_t i = 1, k, len;

	if (n == 0 || s[0] != '"')
		return 0;
	while (i < n) {
		unsigned char c = s[i];

		if (c == '"')
			return i + 1;
		if (c < 0x20)
			return 0;
		if (c == '\\') {
			if (i + 1 >= n)
				return 0;
			if (strchr("\"\\/bfnrt", s[i + 1]) != NULL && s[i + 1]) {
				i += 2;
				continue;
			}
			if (s[i + 1] != 'u' || i + 6 > n)
				return 0;
			for (k = i + 2; k < i + 6; k++)
				if (strchr("0123456789abcdefABCDEF", s[k]) ==
				    NULL || !s[k])
					return 0;
			i += 6;
			continue;
		}
		if (c < 0x80) {
			i++;
			continue;
		}
		len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
		if (len == 0 || c > 0xf4 || i + len > n)
			return 0;
		for (k = 1; k < len; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
		if ((c == 0xe0 && s[i + 1] < 0xa0) ||
		    (c == 0xed && s[i + 1] >= 0xa0) ||
		    (c == 0xf0 && s[i + 1] < 0x90) ||
		    (c == 0xf4 && s[i + 1] >= 0x90))
			return 0;
		i += len;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sumline sl;
	struct num one;
	size_t len;

	num_set_int(&one, 1);
	sumline_init(&sl, 0);
	sumline_begin(&sl);
	if (sumline_str(&sl, "f1", (const char *)data, size) < 0 ||
	    sumline_num(&sl, "count", &one, 0) < 0 || sumline_end(&sl) < 0)
		fail("out of memory");
	if (sl.len != 3 + size + 9 || memcmp(sl.buf, "f1=", 3) != 0 ||
	    (size && memcmp(sl.buf + 3, data, size) != 0) ||
	    memcmp(sl.buf + 3 + size, " count=1\n", 9) != 0)
		fail("text: the value is not its bytes");
	sumline_free(&sl);

	sumline_init(&sl, 1);
	sumline_begin(&sl);
	if (sumline_str(&sl, "f1", (const char *)data, size) < 0 ||
	    sumline_num(&sl, "p99", &one, 1) < 0 || sumline_end(&sl) < 0)
		fail("out of memory");
	if (sl.len < 7 || memcmp(sl.buf, "{\"f1\":", 6) != 0)
		fail("json: not an object with the key first");
	len = json_string_len((const unsigned char *)sl.buf + 6, sl.len - 6);
	if (len == 0)
		fail("json: the value is not a strict JSON string");
	if (sl.len != 6 + len + 11 ||
	    memcmp(sl.buf + 6 + len, ",\"p99~\":1}\n", 11) != 0)
		fail("json: the string does not end where it should");
	sumline_free(&sl);
	return 0;
}
