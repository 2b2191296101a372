/*
 * Summary lines (sumline.h).  JSON strings are valid UTF-8 whatever the
 * key's bytes: a byte that is not part of valid UTF-8 becomes U+FFFD, as
 * RFC 8259 asks of text exchanged as JSON.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "sumline.h"

void
sumline_init(struct sumline *sl, int json)
{
	memset(sl, 0, sizeof(*sl));
	sl->json = json;
}

void
sumline_free(struct sumline *sl)
{
	free(sl->buf);
	sl->buf = NULL;
	sl->len = sl->cap = 0;
}

static int
room(struct sumline *sl, size_t n)
{
	if (sl->len + n <= sl->cap)
		return 0;
	return grow(&sl->buf, &sl->cap, sl->len + n, 256);
}

static void
put(struct sumline *sl, const char *s, size_t n)
{
	if (n == 0)	/* an empty key's bytes may be NULL (groups.c) */
		return;
	memcpy(sl->buf + sl->len, s, n);
	sl->len += n;
}

void
sumline_begin(struct sumline *sl)
{
	sl->npairs = 0;
}

/*
 * The length of the valid UTF-8 sequence at s[0, n), or 0 when s[0]
 * does not start one (overlong forms, surrogates and code points past
 * U+10FFFF are not valid).
 */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t len, k;
	uint32_t c;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, c = s[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (k = 1; k < len; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[k] & 0x3f);
	}
	if ((len == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) ||
	    (len == 4 && (c < 0x10000 || c > 0x10ffff)))
		return 0;
	return len;
}

/* s as a JSON string, quotes included. */
static int
json_string(struct sumline *sl, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t k = 0, l;

	/* at most 6 bytes out for a byte in (\u00XX), 3 for U+FFFD */
	if (room(sl, n * 6 + 2) < 0)
		return -1;
	sl->buf[sl->len++] = '"';
	while (k < n) {
		unsigned char c = u[k];

		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
			sl->buf[sl->len++] = (char)c;
			k++;
		} else if (c == '"' || c == '\\') {
			sl->buf[sl->len++] = '\\';
			sl->buf[sl->len++] = (char)c;
			k++;
		} else if (c < 0x20) {
			static const char esc[] = "btn\0fr";

			if (c >= '\b' && c <= '\r' && c != '\v') {
				sl->buf[sl->len++] = '\\';
				sl->buf[sl->len++] = esc[c - '\b'];
			} else {
				sl->len += (size_t)sprintf(sl->buf + sl->len,
				    "\\u%04x", c);
			}
			k++;
		} else if ((l = utf8_len(u + k, n - k)) > 0) {
			put(sl, s + k, l);
			k += l;
		} else {
			put(sl, "\xef\xbf\xbd", 3);
			k++;
		}
	}
	sl->buf[sl->len++] = '"';
	return 0;
}

/* The separator before a pair and its name: ' name=' or ',"name":'. */
static int
pair(struct sumline *sl, const char *name, int approx)
{
	size_t n = strlen(name);

	if (room(sl, n + 8) < 0)
		return -1;
	if (sl->json) {
		sl->buf[sl->len++] = sl->npairs ? ',' : '{';
		/* names are option text: no byte here needs escaping */
		sl->buf[sl->len++] = '"';
		put(sl, name, n);
		if (approx)
			sl->buf[sl->len++] = '~';
		put(sl, "\":", 2);
	} else {
		if (sl->npairs)
			sl->buf[sl->len++] = ' ';
		put(sl, name, n);
		sl->buf[sl->len++] = '=';
		if (approx)
			sl->buf[sl->len++] = '~';
	}
	sl->npairs++;
	return 0;
}

int
sumline_str(struct sumline *sl, const char *name, const char *val,
    size_t vlen)
{
	if (pair(sl, name, 0) < 0)
		return -1;
	if (sl->json)
		return json_string(sl, val, vlen);
	if (room(sl, vlen) < 0)
		return -1;
	put(sl, val, vlen);
	return 0;
}

int
sumline_num(struct sumline *sl, const char *name, const struct num *v,
    int approx)
{
	if (pair(sl, name, approx) < 0 || room(sl, NUM_BUFSIZE) < 0)
		return -1;
	if (sl->json && (isnan(v->d) || isinf(v->d)) && !v->is_int)
		put(sl, "null", 4);
	else
		sl->len += num_format(v, sl->buf + sl->len);
	return 0;
}

int
sumline_end(struct sumline *sl)
{
	if (room(sl, 3) < 0)
		return -1;
	if (sl->json)
		sl->buf[sl->len++] = sl->npairs ? '}' : '{';
	if (sl->json && sl->npairs == 0)
		sl->buf[sl->len++] = '}';
	sl->buf[sl->len++] = '\n';
	return 0;
}
