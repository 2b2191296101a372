/*
 * match_select: what prints, decided in one place, as OpenBSD grep's
 * procline() decides it.  match_select_batch() walks a batch: the scan's
 * hits (match_scan.c) cut it into runs of lines that are selected (the
 * hits, or with -v the lines between them) and runs that are not.  A
 * selected run is cut at -m, counted (-c), noted (-l, -L, -q), passed on
 * as a slice of the batch when nothing decorates it, or printed line by
 * line after its before-context (match_output.c formats).  A run that
 * is not selected gives the after-context its lines and is counted for
 * -n.  The last lines of a batch that -B may want are kept as copies
 * for the next one (save_tail).
 */
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "match_int.h"

/* A new input: per-file counts and context start again. */
void
match_file_start(struct match *m, const char *name)
{
	m->fname = name;
	m->in_file = 1;
	m->off = 0;
	m->lineno = 0;
	m->nsel = 0;
	m->done = m->a->max_count == 0;
	m->after_left = 0;
	m->printed_valid = 0;
	m->svlen = m->svn = 0;
	/* grep's shortcuts read nothing: the input stays where it was */
	m->input_used = m->a->selects_none ? 0 : -1;
}

/* The input ended: its -c or -l/-L line. */
enum flow
match_file_finish(struct match *m)
{
	const struct match_args *a = m->a;

	if (!m->in_file)
		return FLOW_GO;
	m->in_file = 0;
	if (a->quiet)
		return FLOW_GO;
	if (a->count && a->list == LIST_NONE && match_out_count(m) < 0)
		return FLOW_ERROR;
	if (((a->list == LIST_MATCH && m->nsel > 0) ||
	    (a->list == LIST_NOMATCH && m->nsel == 0)) &&
	    match_out_name(m) < 0)
		return FLOW_ERROR;
	return out_flush(m);
}

/*
 * The starts of the up to want lines before ls in b, after lo, nearest
 * first: *k of them in starts (of 64) or, for a large -B, in a buffer
 * the caller frees.  NULL when out of memory.
 */
static size_t *
lines_before(const struct batch *b, size_t ls, size_t lo, long want,
    size_t *starts, size_t *k)
{
	size_t p = ls, cap = 64, *st = starts;

	*k = 0;
	while ((long)*k < want && p > lo) {
		const char *nl = p - 1 > lo ?
		    memrchr(b->d + lo, '\n', p - 1 - lo) : NULL;

		/* a large -B: grow as lines are found */
		if (*k == cap) {
			size_t *ns = malloc(2 * cap * sizeof(*ns));

			if (ns == NULL) {
				if (st != starts)
					free(st);
				return NULL;
			}
			memcpy(ns, st, *k * sizeof(*st));
			if (st != starts)
				free(st);
			st = ns;
			cap *= 2;
		}
		p = nl ? (size_t)(nl - b->d) + 1 : lo;
		st[(*k)++] = p;
	}
	return st;
}

/*
 * The "--" and the lines saved from earlier batches (save_tail) that
 * begin a before-context: the last take of them; first is the offset of
 * the context's first line when none is taken.
 */
static int
saved_context(struct match *m, size_t take, uint64_t first)
{
	const char *q = m->sv;
	size_t j, skip = m->svn - take;

	if (take) {
		for (j = 0; j < skip; j++)
			q = (const char *)memchr(q, '\n',
			    m->sv + m->svlen - q) + 1;
		first = m->sv_off + (uint64_t)(q - m->sv);
	}
	if (match_group_sep(m, first) < 0)
		return -1;
	for (j = 0; j < take; j++) {
		const char *nl = memchr(q, '\n', m->sv + m->svlen - q);

		if (match_emit_line(m, q, nl - q, m->sv_lineno + skip + j,
		    m->sv_off + (q - m->sv), '-') < 0)
			return -1;
		q = nl + 1;
	}
	return 0;
}

/* Write the before-context of the line starting at ls (lineno ln). */
static int
before_context(struct match *m, struct batch *b, size_t ls, uint64_t ln)
{
	long want = m->a->before, i;
	size_t starts[64], *st, k, take = 0;
	int r = 0;

	if (want <= 0)
		return 0;
	if ((st = lines_before(b, ls, b->printed, want, starts, &k)) == NULL)
		return -1;
	if ((long)k < want && b->printed == 0 && m->svn > 0)
		take = m->svn < (size_t)(want - k) ? m->svn :
		    (size_t)(want - k);
	if ((k || take) &&
	    saved_context(m, take, m->off + (k ? st[k - 1] : ls)) < 0)
		r = -1;
	for (i = (long)k - 1; r == 0 && i >= 0; i--) {
		size_t e = i > 0 ? st[i - 1] : ls;

		if (match_emit_line(m, b->d + st[i], e - st[i] - 1,
		    ln - (i + 1), m->off + st[i], '-') < 0)
			r = -1;
	}
	if (r == 0 && (k || take)) {
		m->printed_end = m->off + ls;
		m->printed_valid = 1;
		m->svn = 0;
		m->svlen = 0;
	}
	if (st != starts)
		free(st);
	return r;
}

/*
 * Lines [s, e) are not selected: write the after-context among them,
 * count them.
 */
static enum flow
unselected(struct match *m, struct batch *b, size_t s, size_t e)
{
	const struct match_args *a = m->a;

	while (m->after_left > 0 && s < e) {
		size_t le = line_end(b, s);

		m->lineno++;
		if (match_emit_line(m, b->d + s, content_len(b, s, le),
		    m->lineno, m->off + s, '-') < 0)
			return FLOW_ERROR;
		m->after_left--;
		m->printed_end = m->off + le;
		m->printed_valid = 1;
		b->printed = le;
		s = le;
	}
	if (a->number && s < e)
		m->lineno += count_nl(b->d + s, e - s) +
		    (b->d[e - 1] != '\n');
	return FLOW_GO;
}

static int
decorated(const struct match *m)
{
	const struct match_args *a = m->a;

	return a->number || a->byte || a->with_name || m->color || a->only ||
	    a->before > 0 || a->after >= 0 || a->before == 0;
}

/*
 * Undecorated selected lines [s, e) go on as a slice of the batch; a
 * last line without '\n' gets one, pushed with it: the next stage sees
 * whole lines only.
 */
static enum flow
pass_run(struct match *m, struct batch *b, size_t s, size_t e)
{
	size_t whole = e;
	uint64_t n;
	enum flow f;

	/* counted for -m; without it only "some" matters (-c and -l/-L
	   are dealt with before) */
	n = m->a->max_count != UINT64_MAX ? count_nl(b->d + s, e - s) : 1;
	if (b->d[e - 1] != '\n') {
		const char *nl = memrchr(b->d + s, '\n', e - s);

		whole = nl ? (size_t)(nl - b->d) + 1 : s;
	}
	if ((f = out_flush(m)) != FLOW_GO)
		return f;
	if ((f = stage_push(m->base.next, b->d + s, whole - s)) != FLOW_GO)
		return f;
	if (whole < e) {
		n++;
		if (out_add(m, b->d + whole, e - whole) < 0 ||
		    out_add(m, "\n", 1) < 0)
			return FLOW_ERROR;
		if ((f = out_flush(m)) != FLOW_GO)
			return f;
	}
	m->nsel += n;
	return FLOW_GO;
}

/* Decorated selected lines [s, e): each after its before-context. */
static enum flow
print_run(struct match *m, struct batch *b, size_t s, size_t e)
{
	enum flow f;

	while (s < e) {
		size_t le = line_end(b, s);

		m->lineno++;
		if (before_context(m, b, s, m->lineno) < 0 ||
		    match_group_sep(m, m->off + s) < 0 ||
		    match_emit_line(m, b->d + s, content_len(b, s, le),
		    m->lineno, m->off + s, ':') < 0)
			return FLOW_ERROR;
		m->nsel++;
		m->printed_end = m->off + le;
		m->printed_valid = 1;
		b->printed = le;
		s = le;
		if (m->out.len >= 64 * 1024 && (f = out_flush(m)) != FLOW_GO)
			return f;
	}
	m->after_left = m->a->after > 0 ? m->a->after : 0;
	return FLOW_GO;
}

/* Lines [s, e) are selected. */
static enum flow
selected(struct match *m, struct batch *b, size_t s, size_t e)
{
	const struct match_args *a = m->a;
	uint64_t n, left;
	enum flow f;

	m->any_selected = 1;
	if (a->quiet) {
		m->done = 1;
		return FLOW_STOP;
	}
	if (a->list != LIST_NONE) {
		m->nsel++;
		m->done = 1;
		return FLOW_GO;
	}
	/* cut the run at -m */
	left = a->max_count - m->nsel;
	if (a->max_count != UINT64_MAX) {
		size_t p = s;

		for (n = 0; n < left && p < e; n++)
			p = line_end(b, p);
		if (p < e) {
			/* the rest goes on as possible trailing context */
			enum flow g = selected(m, b, s, p);

			if (g != FLOW_GO)
				return g;
			return unselected(m, b, p, e);
		}
	}
	if (a->count)
		m->nsel += count_nl(b->d + s, e - s) + (b->d[e - 1] != '\n');
	else if ((f = decorated(m) ? print_run(m, b, s, e) :
	    pass_run(m, b, s, e)) != FLOW_GO)
		return f;
	if (m->nsel >= a->max_count) {
		/* -m NUM reached: the input after this line is not ours */
		m->done = 1;
		m->input_used = (int64_t)(m->off + e);
	}
	return FLOW_GO;
}

/* Append n bytes to the saved lines. */
static int
save_add(struct match *m, const char *p, size_t n)
{
	if (n == 0)
		return 0;	/* sv may still be NULL */
	if (grow(&m->sv, &m->svcap, m->svlen + n, 256) < 0)
		return -1;
	memcpy(m->sv + m->svlen, p, n);
	m->svlen += n;
	return 0;
}

/* Keep copies of the last unprinted lines for the next batch's -B. */
static int
save_tail(struct match *m, struct batch *b)
{
	long want = m->a->before;
	size_t k = 0, p = b->len, lo = b->printed, keep;

	if (want <= 0)
		return 0;
	while ((long)k < want && p > lo) {
		const char *nl = p - 1 > lo ?
		    memrchr(b->d + lo, '\n', p - 1 - lo) : NULL;

		p = nl ? (size_t)(nl - b->d) + 1 : lo;
		k++;
	}
	if (lo > 0 || (long)k >= want) {
		m->svlen = m->svn = 0;
		m->sv_off = m->off + p;
		if (m->a->number)
			m->sv_lineno = m->lineno - k + 1;
	} else {
		/* drop the oldest saved lines beyond want */
		size_t drop = m->svn + k > (size_t)want ?
		    m->svn + k - want : 0;
		const char *q = m->sv;

		/* sv may still be NULL: no pointer arithmetic on it then */
		if (drop > 0) {
			for (keep = 0; keep < drop; keep++)
				q = (const char *)memchr(q, '\n',
				    m->sv + m->svlen - q) + 1;
			memmove(m->sv, q, m->sv + m->svlen - q);
			m->svlen -= q - m->sv;
			m->svn -= drop;
			m->sv_off += q - m->sv;
			m->sv_lineno += drop;
		}
		if (m->svn == 0) {
			m->sv_off = m->off + p;
			if (m->a->number)
				m->sv_lineno = m->lineno - k + 1;
		}
	}
	if (save_add(m, b->d + p, b->len - p) < 0)
		return -1;
	m->svn += k;
	return 0;
}

enum flow
match_select_batch(struct match *m, const char *data, size_t len)
{
	const struct match_args *a = m->a;
	struct batch b = { data, len, 0, 0, SIZE_MAX, 0 };
	size_t ls, le, nls = 0, nle = 0;
	int have_next = 0;
	enum flow f = FLOW_GO;

	if (m->done && m->after_left == 0)
		goto skip;
	while (b.pos < len) {
		if (m->done) {
			f = unselected(m, &b, b.pos, len);
			b.pos = len;
			break;
		}
		if (have_next) {
			ls = nls;
			le = nle;
			have_next = 0;
		} else if (!match_find_hit(m, &b, b.pos, &ls, &le))
			ls = le = len;
		if (!a->invert) {
			/* extend over adjacent hit lines; keep the next one */
			while (le < len && !decorated(m) && !a->count &&
			    a->max_count == UINT64_MAX) {
				if (!match_find_hit(m, &b, le, &nls, &nle))
					nls = nle = len;
				if (nls != le) {
					have_next = 1;
					break;
				}
				le = nle;
			}
			if (b.pos < ls &&
			    (f = unselected(m, &b, b.pos, ls)) != FLOW_GO)
				break;
			if (ls < le && (f = selected(m, &b, ls, le)) != FLOW_GO)
				break;
		} else {
			if (b.pos < ls &&
			    (f = selected(m, &b, b.pos, ls)) != FLOW_GO)
				break;
			if (ls < le && (f = unselected(m, &b, ls, le)) !=
			    FLOW_GO)
				break;
		}
		b.pos = le;
	}
	if (f == FLOW_GO && !m->done && save_tail(m, &b) < 0)
		f = FLOW_ERROR;
	if (f == FLOW_GO)
		f = out_flush(m);
skip:
	m->off += len;
	if (f == FLOW_STOP && a->quiet)
		m->stopped = 1;
	if (f == FLOW_GO && m->done && m->after_left == 0 &&
	    (a->quiet || a->base.noperands <= 1 ||
	    m->files_begun >= a->base.noperands))
		f = FLOW_STOP;
	return f;
}
