/*
 * libFuzzer harness for lib/record_json.c: the key scanner against
 * jansson, its oracle.  Input: PATH '\n' LINE (the line ends at the next
 * '\n').  Wherever the scanner does not decline (h.unsure), it must
 * agree with jansson on whether the line is one JSON object, whether
 * the path is there, and on the value: a string's unescaped text, a
 * number's value, true/false/null, an object or array equal to the
 * scanner's span read by jansson.  Declined lines go through json_find
 * (the scanner, then jansson), which must not crash either.  A line
 * with a NUL byte is not compared: jansson reads NUL as nothing.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record_int.h"

static void
fail(const char *what)
{
	fprintf(stderr, "fuzz_json: %s\n", what);
	abort();
}

static json_t *
walk(json_t *v, const char *path, size_t plen)
{
	for (;;) {
		const char *dot = memchr(path, '.', plen);
		size_t k = dot ? (size_t)(dot - path) : plen;

		if (!json_is_object(v) ||
		    (v = json_object_getn(v, path, k)) == NULL)
			return NULL;
		if (dot == NULL)
			return v;
		path += k + 1;
		plen -= k + 1;
	}
}

static void
same_value(json_t *v, const char *line, const struct json_hit *h)
{
	const char *s = line + h->start;
	char buf[400], *t;
	json_error_t e;
	json_t *w;
	size_t n;

	switch (h->type) {
	case 's':
		if (!json_is_string(v))
			fail("string: jansson has another type");
		if ((t = malloc(h->len + 1)) == NULL)
			return;
		n = json_unescape(s, h->len, t);
		if (n != json_string_length(v) ||
		    memcmp(t, json_string_value(v), n) != 0)
			fail("string text differs");
		free(t);
		return;
	case 'n':
		if (h->len >= sizeof(buf))
			return;
		memcpy(buf, s, h->len);
		buf[h->len] = '\0';
		if (json_is_integer(v) ?
		    strtoll(buf, NULL, 10) != json_integer_value(v) :
		    !json_is_real(v) || strtod(buf, NULL) != json_real_value(v))
			fail("number differs");
		return;
	case 't':
		if (!json_is_true(v))
			fail("true differs");
		return;
	case 'f':
		if (!json_is_false(v))
			fail("false differs");
		return;
	case 'z':
		if (!json_is_null(v))
			fail("null differs");
		return;
	default:
		if ((w = json_loadb(s, h->len, 0, &e)) == NULL ||
		    !json_equal(v, w))
			fail("object or array differs");
		json_decref(w);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *d = (const char *)data, *nl, *line;
	size_t plen, len;
	struct json_hit h;
	struct record_fmt f;
	struct record r;
	struct rspan sp;
	json_error_t e;
	json_t *root, *v;
	int rc;

	if ((nl = memchr(d, '\n', size)) == NULL)
		return 0;
	plen = (size_t)(nl - d);
	line = nl + 1;
	len = size - plen - 1;
	if ((nl = memchr(line, '\n', len)) != NULL)
		len = (size_t)(nl - line);

	record_fmt_init(&f);
	f.kind = RECORD_JSON;
	record_init(&r, &f, -1);
	if (json_find(&r, line, len, d, plen, &sp) == 0 && sp.text == NULL &&
	    (sp.p < line || sp.p + sp.len > line + len))
		fail("span outside the line");
	record_free(&r);

	rc = json_scan(line, len, d, plen, &h);
	/* jansson skips NUL bytes (its buffer's end mark): not an oracle */
	if (h.unsure || memchr(line, '\0', len) != NULL)
		return 0;
	root = json_loadb(line, len, 0, &e);
	if (rc == JSCAN_INVALID) {
		if (root != NULL && json_is_object(root))
			fail("scanner: invalid; jansson: an object");
		json_decref(root);
		return 0;
	}
	if (root == NULL || !json_is_object(root))
		fail("scanner: an object; jansson: not");
	v = walk(root, d, plen);
	if ((rc == JSCAN_FOUND) != (v != NULL))
		fail("found by one, not by the other");
	if (v != NULL)
		same_value(v, line, &h);
	json_decref(root);
	return 0;
}
