/*
 * logfmt: key=value pairs separated by blanks.  A value may be quoted
 * ("a b", with \" and \\); a bare key (no '=') is there with the empty
 * value, as is key=.  A key is a run of bytes other than blanks, '='
 * and '"'.  A repeated key: the last wins (as in JSON).  A line that
 * breaks these rules (an unclosed quote, a quote inside a bare value, a
 * pair that starts with '=') has no fields.
 */
#include <string.h>

#include "record_int.h"

struct pair {
	const char	*k, *v;
	size_t		 klen, vlen;
	int		 eq;		/* key=..., not a bare key */
	int		 esc;
};

static int
blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The pair at *i: 1, 0 at the end of the line, -1 when malformed. */
static int
next_pair(const char *s, size_t len, size_t *i, struct pair *p)
{
	size_t j = *i, a;

	while (j < len && blank(s[j]))
		j++;
	if (j == len)
		return 0;
	for (a = j; j < len && !blank(s[j]) && s[j] != '=' && s[j] != '"';
	    j++)
		;
	if (j == a || (j < len && s[j] == '"'))
		return -1;
	p->k = s + a;
	p->klen = j - a;
	p->eq = j < len && s[j] == '=';
	p->esc = 0;
	p->v = s + j;
	p->vlen = 0;
	if (!p->eq) {
		*i = j;
		return 1;
	}
	j++;
	if (j < len && s[j] == '"') {
		for (a = ++j; j < len && s[j] != '"'; j++)
			if (s[j] == '\\') {
				p->esc = 1;
				j++;
			}
		if (j >= len)
			return -1;
		p->v = s + a;
		p->vlen = j - a;
		j++;
		if (j < len && !blank(s[j]))
			return -1;
	} else {
		for (a = j; j < len && !blank(s[j]); j++)
			if (s[j] == '"')
				return -1;
		p->v = s + a;
		p->vlen = j - a;
	}
	*i = j;
	return 1;
}

int
logfmt_find(const char *line, size_t len, const char *key, size_t klen,
    struct rspan *out)
{
	struct pair p;
	size_t i = 0;
	int r, found = 0;

	while ((r = next_pair(line, len, &i, &p)) > 0)
		if (p.klen == klen && memcmp(p.k, key, klen) == 0) {
			out->p = p.v;
			out->len = p.vlen;
			out->esc = p.esc ? RSPAN_QUOTED : RSPAN_PLAIN;
			out->text = NULL;
			found = 1;
		}
	return r < 0 || !found ? -1 : 0;
}

int
logfmt_reads(const char *line, size_t len)
{
	struct pair p;
	size_t i = 0;
	int r, eq = 0;

	while ((r = next_pair(line, len, &i, &p)) > 0)
		eq |= p.eq;
	return r == 0 && eq;
}
