/*
 * tally.h: printer's summaries of one window: the one summary, or with
 * --by one a group (groups.h) keyed by the bytes of the SPEC fields;
 * their values' store budget (quantile.h); and the summary lines,
 * groups in decreasing count, ties in increasing key bytes, the first
 * --top N only.
 */
#ifndef RUNNEL_TALLY_H
#define RUNNEL_TALLY_H

#include <stddef.h>
#include <stdint.h>

#include "fieldspec.h"
#include "groups.h"
#include "quantile.h"
#include "summary.h"
#include "sumline.h"

/* What to tally: the parsed options, read-only. */
struct tally_conf {
	const struct summary_list *list;
	const struct fieldspec	*by;	/* --by SPECs; nby 0: no groups */
	size_t			 nby;
	const struct rfield	*field;	/* -f SPEC; NULL: the whole line */
	const struct record_fmt	*fmt;	/* how NAMEs are read */
	int			 delim;
	uint64_t		 top;	/* --top N; UINT64_MAX: all */
	int			 json;
};

struct tally {
	const struct tally_conf	*c;
	struct summary		 one;	/* without --by */
	struct groups		 g;
	struct qbudget		 budget;
	char			*key;	/* a composite key being built */
	size_t			 keycap;
	size_t			*order;	/* groups in report order */
	size_t			 ordercap;
	struct sumline		 out;	/* the report's lines */
	struct record		 rec;	/* the fields' reading */
};

int	tally_init(struct tally *, const struct tally_conf *);
void	tally_free(struct tally *);
/* Count one line (without its '\n').  -1 when out of memory. */
int	tally_line(struct tally *, const char *line, size_t len);
/* Count every line of a batch of whole lines.  -1: out of memory. */
int	tally_batch(struct tally *, const char *data, size_t len);
/*
 * The summary lines into t->out.buf[0, t->out.len) (after what it
 * holds): each starts with window=START when window is not NULL; rate
 * is over seconds.  -1 when out of memory.
 */
int	tally_report(struct tally *, const char *window, double seconds);
/* Afresh, for the next window. */
void	tally_reset(struct tally *);
/* Lines of the window so far: was anything counted? */
int	tally_empty(const struct tally *);

#endif
