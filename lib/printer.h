/*
 * printer.h: what printer's two files share (not for other stages):
 * printer.c parses the options and decorates lines; printer_sum.c keeps
 * the summaries, their windows and the times they are read by.
 */
#ifndef RUNNEL_PRINTER_H
#define RUNNEL_PRINTER_H

#include <stdint.h>

#include "diag.h"
#include "fieldspec.h"
#include "logtime.h"
#include "outbuf.h"
#include "stage.h"
#include "summary.h"
#include "tally.h"
#include "timefmt.h"

struct printer_args {
	struct stage_args	 base;
	const char		*prefix;
	size_t			 prefixlen;
	int			 number;
	const char		*tsformat;	/* NULL: no timestamp */
	int			 summary;
	int			 quiet;
	struct summary_list	 list;
	int			 list_given;
	struct rfield		 field;		/* -f SPEC */
	int			 has_field;	/* else the whole line */
	struct record_fmt	 fmt;		/* --format, --parse */
	int			 delim;
	struct fieldspec	 by[FIELDSPEC_MAX];
	size_t			 nby;
	int			 has_top;
	int64_t			 every;		/* --every, ms; 0: none */
	int64_t			 window;	/* --window, ms; 0: none */
	struct fieldspec	 time;		/* --time */
	int			 has_time;
	int			 json;
	struct tally_conf	 tc;		/* points into the above */
};

struct printer {
	struct stage		 base;
	const struct printer_args *a;
	int			 decorate;
	struct outbuf		 out;		/* decorated lines */
	char			 counter[32];	/* "%6llu\t", kept as text */
	size_t			 counterlen;
	struct timefmt		 tf;
	int			 last_nl;	/* last byte seen was '\n' */

	struct tally		 tally;
	double			 t0;		/* monotime of the first line */
	int			 any;		/* a line came */
	/* the open window (--every, --window) */
	int			 win_open;
	int64_t			 win;		/* its start, ms since the epoch */
	int			 win_off;	/* its START's UTC offset */
	/* --time */
	struct logtime_parser	 lt;
	struct record		 rec;		/* --time NAME's reading */
	uint64_t		 lineno;
	struct diag_lines	 bad_times;	/* the first few named */
	int			 oom;		/* reported once */
};

/* printer_sum.c */
int		sum_init(struct printer *);
void		sum_free(struct printer *);
/* A batch for the summaries, with no output of lines (or passed on
   whole by the caller afterwards). */
enum flow	sum_batch(struct printer *, const char *data, size_t len);
/* One line's part in the summaries, for the decorating loop. */
enum flow	sum_line(struct printer *, const char *line, size_t len);
/*
 * --window: the batch line by line, the windows its times close
 * written between its lines, which go out as printer_lines() makes
 * them.
 */
enum flow	sum_log_time(struct printer *, const char *data, size_t len);
/* --every: write the windows that the wall clock has closed. */
enum flow	sum_tick(struct printer *);
/* --every: the end of the open window in monotime_ms() terms. */
long long	sum_deadline(const struct printer *);
/* At the end: the last summary; SIGUSR1: the summary so far to fd 2. */
void		sum_close(struct printer *);
void		sum_info(struct printer *);

/* printer.c: push the lines [data, data + len) on, decorated or not. */
enum flow	printer_lines(struct printer *, const char *data, size_t len,
		    int summarize);

#endif
