/*
 * match_output: how match writes what match_select.c chose: the -H, -n
 * and -b prefix, -o's parts, --color's SGR sequences (GREP_COLORS), the
 * "--" between context groups, the -c and -l/-L lines.  Built in the
 * stage's own output buffer and pushed on in one call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match_int.h"

static int
out_sgr_start(struct match *m, const char *sgr)
{
	return out_add(m, "\33[", 2) < 0 || out_add(m, sgr, strlen(sgr)) < 0 ||
	    out_add(m, "m\33[K", 4) < 0 ? -1 : 0;
}

static int
out_sgr_end(struct match *m)
{
	return out_add(m, "\33[m\33[K", 6);
}

static int
out_colored(struct match *m, const char *sgr, const char *p, size_t n)
{
	if (m->color && *sgr) {
		if (out_sgr_start(m, sgr) < 0 || out_add(m, p, n) < 0)
			return -1;
		return out_sgr_end(m);
	}
	return out_add(m, p, n);
}

static int
out_sep(struct match *m, char sep)
{
	return out_colored(m, m->a->se, &sep, 1);
}

static int
out_uint(struct match *m, const char *sgr, uint64_t v)
{
	char buf[24];
	int n = snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);

	return out_colored(m, sgr, buf, (size_t)n);
}

static int
out_prefix(struct match *m, uint64_t lineno, uint64_t off, char sep)
{
	const struct match_args *a = m->a;

	if (a->with_name) {
		if (out_colored(m, a->fn, m->fname, strlen(m->fname)) < 0 ||
		    out_sep(m, sep) < 0)
			return -1;
	}
	if (a->number) {
		if (out_uint(m, a->ln, lineno) < 0 || out_sep(m, sep) < 0)
			return -1;
	}
	if (a->byte) {
		if (out_uint(m, a->bn, off) < 0 || out_sep(m, sep) < 0)
			return -1;
	}
	return 0;
}

/* Advance one character (UTF-8 aware) */
static size_t
next_char(struct match *m, const char *p, size_t len, size_t i)
{
	i++;
	if (m->utf)
		while (i < len && ((unsigned char)p[i] & 0xC0) == 0x80)
			i++;
	return i;
}

/*
 * Where -o and --color look for matches in the line p[0, len): the
 * whole line, or with --field the field: *s[0, *sl) is searched, and a
 * match at i in it is at *base + i in p.  A field whose text is not its
 * bytes (unescaped) gets *escaped: -o writes parts of the text, --color
 * colours the whole field.  0: the line has no field, nothing matches.
 */
static int
match_window(struct match *m, const char *p, size_t len, const char **s,
    size_t *sl, size_t *base, size_t *fe, int *escaped)
{
	*s = p;
	*sl = len;
	*base = 0;
	*fe = len;
	*escaped = 0;
	if (!m->a->has_field)
		return 1;
	if (!match_field(m, p, len, s, sl, base, fe))
		return 0;
	*escaped = *s != p + *base;
	return 1;
}

/* -o: each match on its own line. */
static int
emit_only(struct match *m, const char *p, size_t len, uint64_t lineno,
    uint64_t off, char sep)
{
	const struct match_args *a = m->a;
	size_t pos = 0, ms, me, base, fe;
	const char *s;
	int escaped;

	if (!match_window(m, p, len, &s, &len, &base, &fe, &escaped))
		return 0;
	while (pos <= len && match_line_match(m, s, len, pos, &ms, &me) > 0) {
		if (me == ms) {
			if (ms >= len)
				break;
			pos = next_char(m, s, len, ms);
			continue;
		}
		if (out_prefix(m, lineno, off + base + (escaped ? 0 : ms),
		    sep) < 0 ||
		    out_colored(m, a->ms, s + ms, me - ms) < 0 ||
		    out_add(m, "\n", 1) < 0)
			return -1;
		pos = me;
	}
	return 0;
}

/*
 * --color: the matches in p[0, len) coloured, or with --field those in
 * the field; *done gets how much of p was written.
 */
static int
emit_colored(struct match *m, const char *p, size_t len, const char *mcol,
    size_t *done)
{
	size_t pos = 0, ms, me, base, fe, sl;
	const char *s;
	int escaped;

	*done = 0;
	if (!match_window(m, p, len, &s, &sl, &base, &fe, &escaped))
		return 0;
	if (escaped) {
		if (match_line_match(m, s, sl, 0, &ms, &me) <= 0)
			return 0;
		if (out_add(m, p, base) < 0 ||
		    out_colored(m, mcol, p + base, fe - base) < 0)
			return -1;
		*done = fe;
		return 0;
	}
	while (pos < sl && match_line_match(m, s, sl, pos, &ms, &me) > 0) {
		if (me == ms) {
			/* nothing to colour: step on */
			if (ms >= sl)
				break;
			me = next_char(m, s, sl, ms);
			if (out_add(m, p + *done, base + me - *done) < 0)
				return -1;
			*done = base + me;
			pos = me;
			continue;
		}
		if (out_add(m, p + *done, base + ms - *done) < 0 ||
		    out_colored(m, mcol, p + base + ms, me - ms) < 0)
			return -1;
		*done = base + me;
		pos = me;
	}
	return 0;
}

int
match_emit_line(struct match *m, const char *p, size_t len, uint64_t lineno,
    uint64_t off, char sep)
{
	const struct match_args *a = m->a;
	int matching = (sep == ':') ^ a->invert;
	size_t pos = 0;

	if (a->only)
		return sep != ':' || a->invert ? 0 :
		    emit_only(m, p, len, lineno, off, sep);
	if (out_prefix(m, lineno, off, sep) < 0)
		return -1;
	if (m->color && matching &&
	    emit_colored(m, p, len, sep == ':' ? a->ms : a->mc, &pos) < 0)
		return -1;
	if (out_add(m, p + pos, len - pos) < 0 || out_add(m, "\n", 1) < 0)
		return -1;
	return 0;
}

int
match_group_sep(struct match *m, uint64_t at)
{
	const struct match_args *a = m->a;

	if (a->before < 0 && a->after < 0)
		return 0;
	if (m->any_output && !(m->printed_valid && m->printed_end == at)) {
		if (out_colored(m, a->se, "--", 2) < 0 ||
		    out_add(m, "\n", 1) < 0)
			return -1;
	}
	m->any_output = 1;
	return 0;
}

/* -c's line: [NAME:]COUNT. */
int
match_out_count(struct match *m)
{
	const struct match_args *a = m->a;

	if (a->with_name && (out_colored(m, a->fn, m->fname,
	    strlen(m->fname)) < 0 || out_sep(m, ':') < 0))
		return -1;
	if (out_uint(m, "", m->nsel) < 0 || out_add(m, "\n", 1) < 0)
		return -1;
	return 0;
}

/* -l's or -L's line: the file's name. */
int
match_out_name(struct match *m)
{
	if (out_colored(m, m->a->fn, m->fname, strlen(m->fname)) < 0 ||
	    out_add(m, "\n", 1) < 0)
		return -1;
	return 0;
}
