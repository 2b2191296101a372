/*
 * printer's summaries (printer.h): the tally of the open window, the
 * windows of --every (the wall clock) and --window (the lines' own
 * times), and the summary lines they write.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bytemask.h"
#include "diag.h"
#include "field.h"
#include "record.h"
#include "monotime.h"
#include "printer.h"
#include "window.h"

/* The bytes of a line quoted in a message. */
#define QUOTE_MAX	40
/*
 * Windows written at once for a leap of the clock (a clock set, a
 * resumed machine, a log with a wild time): past this many, the empty
 * windows between are not written.
 */
#define WINDOW_MAXGAP	1000000

int
sum_init(struct printer *p)
{
	const struct printer_args *a = p->a;

	if (tally_init(&p->tally, &a->tc) < 0)
		return -1;
	if (a->has_time && logtime_init(&p->lt) < 0)
		return -1;
	if (record_init(&p->rec, &a->fmt, a->delim) < 0)
		return -1;
	if (a->every) {
		p->win = window_floor(window_now(), a->every);
		p->win_off = window_local_off(p->win);
		p->win_open = 1;
	}
	return 0;
}

void
sum_free(struct printer *p)
{
	tally_free(&p->tally);
	logtime_free(&p->lt);
	record_free(&p->rec);
}

static enum flow
oom(struct printer *p)
{
	if (!p->oom)
		diag_errno(p->base.name, ENOMEM, "summary");
	p->oom = 1;
	return FLOW_ERROR;
}

static void
first_line(struct printer *p)
{
	if (!p->any) {
		p->any = 1;
		p->t0 = monotime();
	}
}

enum flow
sum_batch(struct printer *p, const char *data, size_t len)
{
	first_line(p);
	return tally_batch(&p->tally, data, len) < 0 ? oom(p) : FLOW_GO;
}

enum flow
sum_line(struct printer *p, const char *line, size_t len)
{
	first_line(p);
	return tally_line(&p->tally, line, len) < 0 ? oom(p) : FLOW_GO;
}

static void
write_fd(int fd, const char *buf, size_t n)
{
	ssize_t w;

	while (n > 0 && ((w = write(fd, buf, n)) > 0 || errno == EINTR))
		if (w > 0) {
			buf += w;
			n -= (size_t)w;
		}
}

/*
 * The summary of the open window (or of all input without windows):
 * pushed on, or written to fd when fd >= 0 (SIGUSR1).
 */
static enum flow
report(struct printer *p, int fd)
{
	const struct printer_args *a = p->a;
	int64_t d = a->every ? a->every : a->window;
	char start[WINDOW_STARTSIZE];
	const char *w = NULL;
	double secs = p->any ? monotime() - p->t0 : 0;
	struct sumline *o = &p->tally.out;

	if (p->win_open) {
		window_start_text(p->win, p->win_off, d % 1000 != 0, start);
		w = start;
		secs = (double)d / 1000;
	}
	o->len = 0;
	if (tally_report(&p->tally, w, secs) < 0)
		return oom(p);
	if (fd >= 0) {
		write_fd(fd, o->buf, o->len);
		return FLOW_GO;
	}
	/* The summary is a line of its own, even after a partial line. */
	if (!a->quiet && !p->last_nl) {
		p->last_nl = 1;
		if (stage_push(p->base.next, "\n", 1) != FLOW_GO)
			return FLOW_STOP;
	}
	return stage_push(p->base.next, o->buf, o->len);
}

/*
 * Close the open window and open the one that starts at w (off its
 * UTC offset), writing the empty windows between, if any.
 */
static enum flow
advance(struct printer *p, int64_t w, int off)
{
	int64_t d = p->a->every ? p->a->every : p->a->window;
	enum flow f;

	f = report(p, -1);
	tally_reset(&p->tally);
	/* Empty windows write nothing with --by: no need to walk them. */
	if ((w - p->win) / d - 1 > WINDOW_MAXGAP || p->a->nby > 0)
		p->win = w - d;
	while (f == FLOW_GO && p->win + d < w) {
		p->win += d;
		f = report(p, -1);
	}
	p->win = w;
	p->win_off = off;
	return f;
}

enum flow
sum_tick(struct printer *p)
{
	int64_t now = window_now(), d = p->a->every, w;

	if (now < p->win + d)
		return FLOW_GO;
	w = window_floor(now, d);
	return advance(p, w, window_local_off(w));
}

long long
sum_deadline(const struct printer *p)
{
	struct timespec wall, mono;
	int64_t left;

	clock_gettime(CLOCK_REALTIME, &wall);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	/* ns to the window's end by the wall clock, from now on monotime's */
	left = (p->win + p->a->every) * 1000000 -
	    ((int64_t)wall.tv_sec * 1000000000 + wall.tv_nsec);
	/* rounded up: woken early, the window would not be over yet */
	return ((long long)mono.tv_sec * 1000000000 + mono.tv_nsec + left +
	    999999) / 1000000;
}

/* The time of a line, or -1 after naming the line (the first few). */
static int
line_time(struct printer *p, const char *line, size_t len, struct logtime *t)
{
	const struct printer_args *a = p->a;
	const struct rfield *f = &a->time.f;
	/* a blank-split time may run over words: "Oct 10 13:55:36" */
	int words = f->num > 0 && a->delim == FIELD_BLANKS;
	char q[QUOTE_MAX * 4 + 4], fq[QUOTE_MAX * 4 + 8];
	size_t n = 0, k;
	const char *s = line;
	struct rspan sp;
	ptrdiff_t used;

	if (rfield_find(&p->rec, line, len, f, &sp) == 0) {
		if (words) {
			s = sp.p;
			n = len - (size_t)(sp.p - line);
		} else if ((s = rspan_text(&p->rec, &sp, &n)) == NULL) {
			s = line;
			n = 0;
		}
		/* a cut-style field may have blanks around the time */
		while (n > 0 && (*s == ' ' || *s == '\t')) {
			s++;
			n--;
		}
		if ((used = logtime_parse(&p->lt, s, n, t)) >= 0) {
			for (k = (size_t)used; k < n && (s[k] == ' ' ||
			    s[k] == '\t'); k++)
				if (words)
					return 0;
			if (k == n)
				return 0;
		}
	}
	if (f->num > 0)
		snprintf(fq, sizeof(fq), "%zu", f->num);
	else
		snprintf(fq, sizeof(fq), "'%s'",
		    diag_quote(q, f->name, f->namelen, QUOTE_MAX));
	if (diag_lines_next(&p->bad_times))
		diag(p->base.name, "line %llu: invalid time '%s' in field %s",
		    (unsigned long long)p->lineno,
		    diag_quote(q, s, n, QUOTE_MAX), fq);
	return -1;
}

enum flow
sum_log_time(struct printer *p, const char *data, size_t len)
{
	int64_t d = p->a->window;
	struct bm_lines ends;
	struct logtime t;
	size_t at, nl, run = 0;
	enum flow f;

	first_line(p);
	bm_lines_init(&ends, data, len);
	for (at = 0; at < len; at = nl + 1) {
		int64_t w;

		nl = bm_lines_next(&ends);
		p->lineno++;
		if (line_time(p, data + at, nl - at, &t) < 0)
			continue;
		w = window_floor(t.ms, d);
		if (!p->win_open) {
			p->win_open = 1;
			p->win = w;
			p->win_off = t.local ? window_local_off(w) : t.off;
		} else if (w > p->win) {
			/* the window's lines, then its summary */
			if ((f = printer_lines(p, data + run, at - run, 0)) !=
			    FLOW_GO)
				return f;
			run = at;
			if ((f = advance(p, w, t.local ? window_local_off(w) :
			    t.off)) != FLOW_GO)
				return f;
		}
		if (tally_line(&p->tally, data + at, nl - at) < 0)
			return oom(p);
	}
	return printer_lines(p, data + run, len - run, 0);
}

void
sum_close(struct printer *p)
{
	const struct printer_args *a = p->a;

	/* --window: no line had a time, there is no window to write */
	if (a->summary && (p->win_open || !a->window))
		report(p, -1);
	diag_lines_end(&p->bad_times, p->base.name, "invalid times");
	if (p->bad_times.n > 0 || p->oom)
		p->base.status = 2;
}

void
sum_info(struct printer *p)
{
	report(p, STDERR_FILENO);
}
