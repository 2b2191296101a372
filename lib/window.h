/*
 * window.h: the windows of printer --every and --window: a DURATION
 * ("500ms", "10s", "1m", "1h", "1d"), windows aligned to multiples of it
 * since the epoch, and a window's START in ISO 8601 with a UTC offset.
 */
#ifndef RUNNEL_WINDOW_H
#define RUNNEL_WINDOW_H

#include <stddef.h>
#include <stdint.h>

/* Longest START text, with its NUL. */
#define WINDOW_STARTSIZE	48

/*
 * Parse a DURATION: a number (a fraction allowed) and a unit, ms, s, m,
 * h or d; a number alone is seconds.  It must come to a whole number of
 * milliseconds, at least 1.  0, or -1 when it is no such duration.
 */
int	window_duration(const char *text, int64_t *ms);

/* The start of the window of length d that holds t (ms, floor). */
static inline int64_t
window_floor(int64_t t, int64_t d)
{
	int64_t r = t % d;

	return r < 0 ? t - r - d : t - r;
}

/*
 * START: t (ms since the epoch) at UTC offset off (seconds east) as
 * 2026-12-02T06:15:00+0000, with .mmm when subsec.  Returns the length.
 */
size_t	window_start_text(int64_t t, int off, int subsec, char *buf);
/* The local UTC offset (seconds east) at t (ms since the epoch). */
int	window_local_off(int64_t t);
/* Now, in ms since the epoch, by the wall clock. */
int64_t	window_now(void);

#endif
