/*
 * timefmt.h: "now" as text in a strftime format extended as moreutils ts
 * extends it: %.S is seconds with microseconds, %.s epoch seconds with
 * microseconds, %.T is %T with microseconds.
 */
#ifndef RUNNEL_TIMEFMT_H
#define RUNNEL_TIMEFMT_H

#include <stddef.h>
#include <time.h>

struct timefmt {
	const char	*format;	/* borrowed */
	int		 subsecond;	/* the format holds a %.X */
	char		*expanded;	/* owned: format with %.X filled in */
	char		*text;		/* owned: the last result */
	size_t		 textlen, cap;
	time_t		 last_sec;	/* text is valid for this second ... */
	long		 last_usec;	/* ... and microsecond, if subsecond */
};

int		 timefmt_init(struct timefmt *, const char *format);
/* The current time formatted; valid until the next call. */
const char	*timefmt_now(struct timefmt *, size_t *len);
void		 timefmt_free(struct timefmt *);

#endif
