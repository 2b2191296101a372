/*
 * logtime.h: a log line's own time, for printer --window.  Four forms,
 * told apart by their first bytes:
 *   combined log  10/Oct/2000:13:55:36 -0700   (in [...] or not)
 *   ISO 8601      2000-10-10T13:55:36[.frac][Z|+hh:mm|+hhmm|+hh]
 *                 (or a space or 't' for 'T'; seconds optional)
 *   syslog        Oct 10 13:55:36              (this year)
 *   epoch         971185536[.frac]
 * The calendar is strptime(3) in the C locale and timegm(3) (mktime(3)
 * for a time without a zone, which is local time); the zone is added by
 * hand.  A parser remembers the last date and time to the second it
 * read, so that lines of the same second cost a compare.
 */
#ifndef RUNNEL_LOGTIME_H
#define RUNNEL_LOGTIME_H

#include <locale.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct logtime {
	int64_t	ms;		/* since the epoch, rounded down */
	int	off;		/* the text's UTC offset, seconds */
	int	local;		/* no offset in the text: epoch seconds,
				   whose local offset is left to ask */
};

struct logtime_parser {
	locale_t	 c;		/* month names in English */
	int		 year;		/* this year, for syslog's times */
	/* the last date and time to the second parsed, and its result */
	char		 text[40];
	size_t		 textlen;
	int		 kind;
	struct tm	 tm;
	int64_t		 wall;		/* the time as if it were UTC */
	int		 have_local;	/* local_sec and local_off are set */
	int64_t		 local_sec;	/* the time as local time */
	int		 local_off;
};

int	logtime_init(struct logtime_parser *);
void	logtime_free(struct logtime_parser *);
/*
 * Read a time at the start of s[0, len).  Returns the bytes it took, or
 * -1 when s does not start with a time.
 */
ptrdiff_t logtime_parse(struct logtime_parser *, const char *s, size_t len,
	    struct logtime *out);

#endif
