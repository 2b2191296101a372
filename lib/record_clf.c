/*
 * The combined and common access logs (NCSA, Apache, nginx):
 *
 *   host ident user [time] "request" status bytes "referer" "agent"
 *
 * A quoted field is one field, read without its quotes, a '\' escaping
 * the byte after it (\" and \\, as Apache writes them).  A line is read
 * through bytes or it has no fields; referer and agent are there when
 * they follow, quoted (a common line has neither); anything after them
 * (nginx's extra fields) is left alone.  Fields are separated by runs of
 * blanks.  method, path and protocol are the words of request.
 */
#include <string.h>

#include "bytemask.h"
#include "record_int.h"

/* The readers below make one pass a line: inlined into clf_find(). */
#define CLF_INLINE static inline __attribute__((always_inline))

static const char *const clf_names[CLF_NFIELDS] = {
	"host", "ident", "user", "time", "request", "method", "path",
	"protocol", "status", "bytes", "referer", "agent"
};

int
clf_index(const char *name, size_t len, int combined)
{
	int k, n = combined ? CLF_NFIELDS : CLF_REFERER;

	for (k = 0; k < n; k++)
		if (strlen(clf_names[k]) == len &&
		    memcmp(clf_names[k], name, len) == 0)
			return k;
	return -1;
}

CLF_INLINE int
blank(char c)
{
	return c == ' ' || c == '\t';
}

struct clf {
	const char	*s;
	size_t		 len, i;
};

/* Blanks, at least one, unless at the end; -1 if neither. */
CLF_INLINE int
gap(struct clf *c)
{
	size_t i = c->i;

	/* one space, the common case, without a loop */
	if (i + 1 < c->len && c->s[i] == ' ' && !blank(c->s[i + 1])) {
		c->i = i + 1;
		return 0;
	}
	while (c->i < c->len && blank(c->s[c->i]))
		c->i++;
	return c->i > i || c->i == c->len ? 0 : -1;
}

/*
 * The first blank at or after i, or len: 16 bytes a step while they
 * are there (a host is about 14 bytes; a byte loop mispredicts at its
 * end on every line).
 */
CLF_INLINE size_t
next_blank(const char *s, size_t i, size_t len)
{
#ifdef __SSE2__
	uint64_t m;

	for (; i + 16 <= len; i += 16)
		if ((m = bm_blank16(s + i)) != 0)
			return i + bm_ctz(m);
	/* the end of a line of 16 bytes or more: its last 16 again,
	   shifted to start at i (status and bytes end a common line) */
	if (i < len && len >= 16) {
		m = bm_blank16(s + len - 16) >> (16 - (len - i));
		return m != 0 ? i + bm_ctz(m) : len;
	}
#endif
	while (i < len && !blank(s[i]))
		i++;
	return i;
}

/*
 * The first byte ch at or after i, or len: inline, 16 bytes a step; a
 * time and a request are 20 to 60 bytes, where a call to memchr costs
 * as much as the search.
 */
CLF_INLINE size_t
next_byte(const char *s, size_t i, size_t len, char ch)
{
#ifdef __SSE2__
	__m128i v = _mm_set1_epi8(ch);
	uint64_t m;

	for (; i + 16 <= len; i += 16)
		if ((m = bm_eq16(s + i, v)) != 0)
			return i + bm_ctz(m);
	if (i < len && len >= 16) {
		m = bm_eq16(s + len - 16, v) >> (16 - (len - i));
		return m != 0 ? i + bm_ctz(m) : len;
	}
#endif
	while (i < len && s[i] != ch)
		i++;
	return i;
}

CLF_INLINE int
word(struct clf *c, struct rspan *out)
{
	size_t a = c->i;

	c->i = next_blank(c->s, c->i, c->len);
	if (c->i == a)
		return -1;
	out->p = c->s + a;
	out->len = c->i - a;
	out->esc = RSPAN_PLAIN;
	return gap(c);
}

CLF_INLINE int
bracketed(struct clf *c, struct rspan *out)
{
	const char *e;
	size_t k;

	if (c->i >= c->len || c->s[c->i] != '[' ||
	    (k = next_byte(c->s, c->i, c->len, ']')) == c->len)
		return -1;
	e = c->s + k;
	out->p = c->s + c->i + 1;
	out->len = (size_t)(e - out->p);
	out->esc = RSPAN_PLAIN;
	c->i = (size_t)(e + 1 - c->s);
	return gap(c);
}

CLF_INLINE int
quoted(struct clf *c, struct rspan *out)
{
	const char *s = c->s, *q;
	size_t a, j, k;

	if (c->i >= c->len || s[c->i] != '"')
		return -1;
	a = j = c->i + 1;
	/* the first '"' after an even run of backslashes */
	for (;;) {
		if ((k = next_byte(s, j, c->len, '"')) == c->len)
			return -1;
		q = s + k;
		for (k = 0; q - k > s + a && q[-1 - (ptrdiff_t)k] == '\\'; k++)
			;
		if (k % 2 == 0)
			break;
		j = (size_t)(q - s) + 1;
	}
	out->p = s + a;
	out->len = (size_t)(q - out->p);
	out->esc = memchr(out->p, '\\', out->len) ? RSPAN_QUOTED :
	    RSPAN_PLAIN;
	c->i = (size_t)(q + 1 - s);
	return gap(c);
}

/* Word n (0, 1, 2) of the request. */
static int
request_word(const struct rspan *req, int n, struct rspan *out)
{
	const char *p = req->p, *end = req->p + req->len;
	int k;

	for (k = 0;; k++) {
		while (p < end && blank(*p))
			p++;
		if (p == end)
			return -1;
		out->p = p;
		while (p < end && !blank(*p))
			p++;
		out->len = (size_t)(p - out->p);
		if (k == n)
			break;
	}
	out->esc = req->esc != RSPAN_PLAIN &&
	    memchr(out->p, '\\', out->len) ? RSPAN_QUOTED : RSPAN_PLAIN;
	out->text = NULL;
	return 0;
}

int
clf_find(const char *line, size_t len, int idx, struct rspan *out)
{
	struct clf c = { line, len, 0 };
	struct rspan f[CLF_NFIELDS];

	if (word(&c, &f[CLF_HOST]) < 0 || word(&c, &f[CLF_IDENT]) < 0 ||
	    word(&c, &f[CLF_USER]) < 0 || bracketed(&c, &f[CLF_TIME]) < 0 ||
	    quoted(&c, &f[CLF_REQUEST]) < 0 || word(&c, &f[CLF_STATUS]) < 0 ||
	    word(&c, &f[CLF_BYTES]) < 0)
		return -1;
	switch (idx) {
	case CLF_METHOD:
	case CLF_PATH:
	case CLF_PROTOCOL:
		return request_word(&f[CLF_REQUEST], idx - CLF_METHOD, out);
	case CLF_REFERER:
	case CLF_AGENT:
		if (quoted(&c, &f[CLF_REFERER]) < 0 ||
		    quoted(&c, &f[CLF_AGENT]) < 0)
			return -1;
		break;
	}
	*out = f[idx];
	out->text = NULL;
	return 0;
}

int
clf_reads(const char *line, size_t len)
{
	struct rspan s;

	return clf_find(line, len, CLF_HOST, &s) == 0;
}
