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

#include "record_int.h"

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

static int
blank(char c)
{
	return c == ' ' || c == '\t';
}

struct clf {
	const char	*s;
	size_t		 len, i;
};

/* Blanks, at least one, unless at the end; -1 if neither. */
static int
gap(struct clf *c)
{
	size_t i = c->i;

	while (c->i < c->len && blank(c->s[c->i]))
		c->i++;
	return c->i > i || c->i == c->len ? 0 : -1;
}

static int
word(struct clf *c, struct rspan *out)
{
	size_t a = c->i;

	while (c->i < c->len && !blank(c->s[c->i]))
		c->i++;
	if (c->i == a)
		return -1;
	out->p = c->s + a;
	out->len = c->i - a;
	out->esc = RSPAN_PLAIN;
	return gap(c);
}

static int
bracketed(struct clf *c, struct rspan *out)
{
	const char *e;

	if (c->i >= c->len || c->s[c->i] != '[' ||
	    (e = memchr(c->s + c->i, ']', c->len - c->i)) == NULL)
		return -1;
	out->p = c->s + c->i + 1;
	out->len = (size_t)(e - out->p);
	out->esc = RSPAN_PLAIN;
	c->i = (size_t)(e + 1 - c->s);
	return gap(c);
}

static int
quoted(struct clf *c, struct rspan *out)
{
	const char *s = c->s, *q;
	size_t a, j, k;

	if (c->i >= c->len || s[c->i] != '"')
		return -1;
	a = j = c->i + 1;
	/* the first '"' after an even run of backslashes */
	for (;;) {
		if ((q = memchr(s + j, '"', c->len - j)) == NULL)
			return -1;
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
