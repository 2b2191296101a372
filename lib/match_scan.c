/*
 * match_scan: the scan of a batch.  A batch is searched as one subject
 * with PCRE2_MULTILINE: one pcre2_jit_match call finds the next hit
 * anywhere in it, the line around it is found with bm_rfind/bm_find.  A
 * hit that runs over a '\n' is checked again on its line alone, so a
 * match never crosses lines.  Patterns whose meaning depends on the
 * subject's ends (\A, \z, \Z, \G, lookarounds) are matched line by line
 * instead.  Before PCRE2, the prefilters of match_pattern.c skip the
 * lines that cannot match; a pattern that is its own literal never asks
 * PCRE2 at all.
 */
#include <stdlib.h>

#include "diag.h"
#include "match_int.h"

/*
 * PCRE2's default JIT stack (32 KiB) fails a line that a repeated group
 * walks deep into (`(x|y)*z` on 5000 bytes): double it, as grep -P does,
 * up to JIT_STACK_MAX.  -1 when it cannot grow.
 */
#define JIT_STACK_MAX	(256u << 20)

static int
jit_stack_grow(struct match *m)
{
	size_t size = m->jst_size ? m->jst_size * 2 : 256 * 1024;
	pcre2_jit_stack *js;

	if (size > JIT_STACK_MAX)
		return -1;
	if (m->mctx == NULL && (m->mctx = pcre2_match_context_create(NULL)) ==
	    NULL)
		return -1;
	if ((js = pcre2_jit_stack_create(32 * 1024, size, NULL)) == NULL)
		return -1;
	pcre2_jit_stack_free(m->jst);
	m->jst = js;
	m->jst_size = size;
	pcre2_jit_stack_assign(m->mctx, NULL, js);
	return 0;
}

int
match_line_match(struct match *m, const char *p, size_t len, size_t start,
    size_t *ms, size_t *me)
{
	int rc;
	PCRE2_SIZE *ov;

	if (m->jit) {
		while ((rc = pcre2_jit_match(m->pat->re, (PCRE2_SPTR)p, len,
		    start, 0, m->md, m->mctx)) == PCRE2_ERROR_JIT_STACKLIMIT &&
		    jit_stack_grow(m) == 0)
			;
	} else
		rc = pcre2_match(m->pat->re, (PCRE2_SPTR)p, len, start, 0,
		    m->md, NULL);
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc < 0) {
		m->match_rc = rc;
		return -1;
	}
	ov = pcre2_get_ovector_pointer(m->md);
	*ms = ov[0];
	*me = ov[1];
	return 1;
}

/*
 * Does the line [p, p+len) at file offset off match?  A match error is
 * reported, naming the file and the line's byte offset, and the line
 * counts as not matching; the exit status will be 2.  grep -P stops at
 * the first such line; match goes on with the others.
 */
static int
line_hit(struct match *m, const char *p, size_t len, uint64_t off,
    size_t *ms, size_t *me)
{
	PCRE2_UCHAR msg[128];
	int r = match_line_match(m, p, len, 0, ms, me);

	if (r >= 0)
		return r;
	if (m->base.defer_lines != NULL) {
		/* a split's copy: the batch is run again where off is known */
		*m->base.defer_lines = 1;
		return 0;
	}
	m->match_failed = 1;
	if (!diag_lines_next(&m->warned))
		return 0;
	pcre2_get_error_message(m->match_rc, msg, sizeof(msg));
	diag(m->base.name, "%s: line at byte offset %llu: %s", m->fname,
	    (unsigned long long)off, (const char *)msg);
	return 0;
}

/* Offset of the literal's first place at or after from, or b->len. */
static size_t
lit_next(const struct match_pattern *mp, struct batch *b, size_t from)
{
	const char *q;

	if (b->hint_from <= from && from <= b->hint_at)
		return b->hint_at;
	q = mp_lit_find(mp, b->d + from, b->len - from);
	b->hint_from = from;
	b->hint_at = q != NULL ? (size_t)(q - b->d) : b->len;
	return b->hint_at;
}

/*
 * match_find_hit() for a pattern that is just its literal: the first run of
 * lines at or after from that all hold it, as [ls, le).  lit_next()
 * jumps to the first, and tells whether the line after it holds one
 * too.  When it does, the run goes on 64 bytes a step, with a mask for
 * the line ends and one for where the literal starts, so that a long
 * run (most lines, for GET in a web log) costs a few instructions a
 * line rather than calls to find each.
 */
static int
lit_run(const struct match_pattern *mp, struct batch *b, size_t from,
    size_t *ls, size_t *le)
{
	size_t off = lit_next(mp, b, from), cur, rs, len = b->len, q;
	int hit = 0;		/* the line at cur holds the literal */

	if (off == len)
		return 0;
	rs = line_start(b, from, off);
	cur = line_end(b, off);
	q = cur < len ? lit_next(mp, b, cur) : len;
	if (q == len || bm_find(b->d, cur, q, '\n') < q)
		goto end;
	for (off = cur; off < len; off += 64) {
		size_t avail = len - off;
		uint64_t nlm = bm_eq_at(b->d, off, len, '\n');
		uint64_t hm = mp_lit_starts(mp, b->d + off, avail);

		for (; nlm != 0; nlm &= nlm - 1) {
			unsigned j = bm_ctz(nlm);
			/* bits 0..j (2 << 63 wraps to 0: all of them) */
			uint64_t upto = ((uint64_t)2 << j) - 1;

			if (hm & upto)
				hit = 1;
			hm &= ~upto;
			if (!hit)
				goto end;
			cur = off + j + 1;
			hit = 0;
		}
		if (hm != 0)
			hit = 1;
	}
	if (hit)		/* the last line, without '\n' */
		cur = len;
end:
	*ls = rs;
	*le = cur;
	return 1;
}

int
match_field(struct match *m, const char *p, size_t len, const char **t,
    size_t *tl, size_t *fs, size_t *fe)
{
	struct rspan s;

	if (rfield_find(&m->rec, p, len, &m->a->field, &s) < 0)
		return 0;
	*fs = (size_t)(s.p - p);
	*fe = *fs + s.len;
	if (s.esc == RSPAN_PLAIN && s.text == NULL) {
		*t = s.p;
		*tl = s.len;
		return 1;
	}
	/* out of memory: the field cannot be read, as if missing */
	return (*t = rspan_text(&m->rec, &s, tl)) != NULL;
}

/*
 * --field: the first line at or after from whose field matches.  No
 * literal prefilter: an escaped field (JSON's \u0041) holds text that
 * its bytes do not.
 */
static int
find_field_lines(struct match *m, const struct batch *b, size_t from,
    size_t *ls, size_t *le)
{
	size_t ms, me, s, e, fs, fe, tl;
	const char *t;

	for (s = from; s < b->len; s = e) {
		e = line_end(b, s);
		if (match_field(m, b->d + s, content_len(b, s, e), &t, &tl,
		    &fs, &fe) && line_hit(m, t, tl, m->off + s, &ms, &me)) {
			*ls = s;
			*le = e;
			return 1;
		}
	}
	return 0;
}

/* match_find_hit() the slow way: PCRE2 asked line by line. */
static int
find_hit_lines(struct match *m, const struct batch *b, size_t from,
    size_t *ls, size_t *le)
{
	size_t ms, me, s, e;

	for (s = from; s < b->len; s = e) {
		e = line_end(b, s);
		if (line_hit(m, b->d + s, content_len(b, s, e), m->off + s,
		    &ms, &me)) {
			*ls = s;
			*le = e;
			return 1;
		}
	}
	return 0;
}

int
match_find_hit(struct match *m, struct batch *b, size_t from, size_t *ls,
    size_t *le)
{
	size_t ms, me, s, e, cl;

	const struct match_pattern *mp = m->pat;

	if (m->a->has_field)
		return find_field_lines(m, b, from, ls, le);
	if (mp->lit_is_pattern)
		return lit_run(mp, b, from, ls, le);
	if (mp->lit_len > 0 || mp->n_branch_bytes > 0) {
		/* lines without the literal cannot match */
		size_t scan = from;	/* from stays at a line start */

		while (scan < b->len) {
			const char *q = mp->lit_len > 0 ?
			    mp_lit_find(mp, b->d + scan, b->len - scan) :
			    mp_branch_find(mp, b->d + scan, b->len - scan);

			if (q != NULL && mp->lit_len == 0 &&
			    !mp_branch_verify(mp, b->d, b->d + b->len, q)) {
				scan = (size_t)(q - b->d) + 1;
				continue;
			}
			if (q == NULL)
				return 0;
			s = line_start(b, from, (size_t)(q - b->d));
			e = line_end(b, (size_t)(q - b->d));
			if (line_hit(m, b->d + s, content_len(b, s, e),
			    m->off + s, &ms, &me)) {
				*ls = s;
				*le = e;
				return 1;
			}
			from = scan = e;
		}
		return 0;
	}
	if (mp->per_line)
		return find_hit_lines(m, b, from, ls, le);
	while (from < b->len) {
		int r = match_line_match(m, b->d, b->len, from, &ms, &me);

		if (r < 0)	/* a limit over the batch: which line, if any */
			return find_hit_lines(m, b, from, ls, le);
		if (r == 0)
			return 0;
		s = line_start(b, from, ms);
		e = line_end(b, ms);
		cl = s + content_len(b, s, e);
		if (me <= cl || line_hit(m, b->d + s, cl - s, m->off + s, &ms,
		    &me)) {
			*ls = s;
			*le = e;
			return 1;
		}
		from = e;
	}
	return 0;
}

